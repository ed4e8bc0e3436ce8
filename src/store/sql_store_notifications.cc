// sql_store_notifications.cc: the settings and the record of the
// notifications rollcall sends staff (notifications.h).
#include <fmt/format.h>

#include "core/error_codes.h"
#include "store/sql_store.h"

namespace rollcall::store::sql {

using core::StatusOr;

StatusOr<NotificationSettings> SqlStore::GetNotificationSettings() {
  return Read([&]() -> StatusOr<NotificationSettings> {
    ASSIGN_OR_RETURN(
        Statement stmt,
        db_->Prepare("SELECT version, register_reminders, dsl_list, dsl_list_minute, "
                     "social_worker_emails, attendance_lead_user_id, digest_minute, set_at, "
                     "set_by FROM notification_settings ORDER BY version DESC LIMIT 1"));
    NotificationSettings s;
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return s;
    s.version = stmt.Int64(0);
    s.register_reminders = stmt.Int64(1) != 0;
    s.dsl_list = stmt.Int64(2) != 0;
    if (const std::optional<int64_t> m = stmt.OptionalInt64(3)) {
      s.dsl_list_minute = static_cast<int>(*m);
    }
    s.social_worker_emails = stmt.Int64(4) != 0;
    s.attendance_lead_user_id = stmt.OptionalInt64(5);
    s.digest_minute = static_cast<int>(stmt.Int64(6));
    s.set_at = stmt.Int64(7);
    s.set_by = stmt.Text(8);
    return s;
  });
}

StatusOr<int64_t> SqlStore::SaveNotificationSettings(const NotificationSettings& s) {
  auto minute_ok = [](int m) { return m >= 0 && m < 24 * 60; };
  if (!minute_ok(s.digest_minute) || (s.dsl_list_minute && !minute_ok(*s.dsl_list_minute))) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "a notification time is not between 00:00 and 23:59");
  }
  return Write([&]() -> StatusOr<int64_t> {
    if (s.attendance_lead_user_id) RETURN_IF_ERROR(RequireUser(*s.attendance_lead_user_id));
    ASSIGN_OR_RETURN(
        Statement stmt,
        db_->Prepare("INSERT INTO notification_settings (version, register_reminders, dsl_list, "
                     "dsl_list_minute, social_worker_emails, attendance_lead_user_id, "
                     "digest_minute, set_at, set_by) VALUES ((SELECT COALESCE(MAX(version), 0) "
                     "+ 1 FROM notification_settings), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                     "RETURNING version"));
    stmt.Bind(1, s.register_reminders ? 1 : 0);
    stmt.Bind(2, s.dsl_list ? 1 : 0);
    stmt.Bind(3, s.dsl_list_minute);
    stmt.Bind(4, s.social_worker_emails ? 1 : 0);
    stmt.Bind(5, s.attendance_lead_user_id);
    stmt.Bind(6, s.digest_minute);
    stmt.Bind(7, s.set_at);
    stmt.Bind(8, s.set_by);
    return stmt.InsertReturningId();
  });
}

StatusOr<bool> SqlStore::RecordNotificationRun(const NotificationRun& run,
                                               const std::vector<OutboxMessage>& messages) {
  if (run.kind.empty() || run.session < 0 || run.session > 2) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("a notification run needs a kind and a session of "
                                             "0, 1 or 2, not '{}' and {}",
                                             run.kind, run.session));
  }
  return Write([&]() -> StatusOr<bool> {
    // The unique (kind, date, session) makes a second run of the same job
    // write nothing: its messages are not queued twice.
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("INSERT INTO notification_runs (kind, date, session, at, "
                                  "messages) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING "
                                  "RETURNING id"));
    stmt.Bind(1, run.kind);
    BindDate(stmt, 2, run.date);
    stmt.Bind(3, run.session);
    stmt.Bind(4, run.at);
    stmt.Bind(5, static_cast<int64_t>(messages.size()));
    ASSIGN_OR_RETURN(const bool inserted, stmt.Step());
    if (!inserted) return false;
    RETURN_IF_ERROR(stmt.Run());
    for (const OutboxMessage& m : messages) {
      ASSIGN_OR_RETURN(const bool queued, InsertOutbox(m));
      (void)queued;  // a key queued before (by an earlier run) is not sent twice
    }
    return true;
  });
}

StatusOr<std::vector<NotificationRun>> SqlStore::NotificationRunsOn(core::Date date) {
  return Read([&]() -> StatusOr<std::vector<NotificationRun>> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("SELECT id, kind, date, session, at, messages FROM "
                                  "notification_runs WHERE date = ?1 ORDER BY id"));
    BindDate(stmt, 1, date);
    std::vector<NotificationRun> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return out;
      NotificationRun& r = out.emplace_back();
      r.id = stmt.Int64(0);
      r.kind = stmt.Text(1);
      ASSIGN_OR_RETURN(r.date, DateColumn(stmt, 2));
      r.session = static_cast<int>(stmt.Int64(3));
      r.at = stmt.Int64(4);
      r.messages = static_cast<int>(stmt.Int64(5));
    }
  });
}

}  // namespace rollcall::store::sql
