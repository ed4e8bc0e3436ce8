// sql_store_templates.cc: the school's words for its messages and the
// day-one absence runs (messaging.h).
#include <fmt/format.h>

#include <charconv>

#include "store/sql_store.h"

namespace rollcall::store::sql {

using core::StatusOr;

namespace {

// DayOneRun.unreachable as stored: ids, comma-separated.
std::string JoinIds(const std::vector<int64_t>& ids) {
  std::string out;
  for (int64_t id : ids) out += fmt::format("{}{}", out.empty() ? "" : ",", id);
  return out;
}

StatusOr<std::vector<int64_t>> SplitIds(std::string_view text) {
  std::vector<int64_t> out;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    int64_t id = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), id);
    if (ec != std::errc() || end != item.data() + item.size()) {
      return BadStoredName("list of pupil ids", text);
    }
    out.push_back(id);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace

StatusOr<std::vector<MessageTemplateVersion>> SqlStore::CurrentMessageTemplates() {
  return Read([&]() -> StatusOr<std::vector<MessageTemplateVersion>> {
    ASSIGN_OR_RETURN(
        Statement stmt,
        db_->Prepare("SELECT t.kind, t.version, t.subject, t.email_body, t.sms_body, "
                     "t.is_default, t.set_at, t.set_by FROM message_templates t "
                     "WHERE t.version = (SELECT MAX(n.version) FROM message_templates n "
                     "WHERE n.kind = t.kind) ORDER BY t.kind"));
    std::vector<MessageTemplateVersion> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      MessageTemplateVersion& t = out.emplace_back();
      t.kind = stmt.Text(0);
      t.version = stmt.Int64(1);
      t.subject = stmt.Text(2);
      t.email_body = stmt.Text(3);
      t.sms_body = stmt.Text(4);
      t.is_default = stmt.Int64(5) != 0;
      t.set_at = stmt.Int64(6);
      t.set_by = stmt.Text(7);
    }
    return out;
  });
}

StatusOr<int64_t> SqlStore::SaveMessageTemplate(const MessageTemplateVersion& t) {
  return Write([&]() -> StatusOr<int64_t> {
    ASSIGN_OR_RETURN(
        Statement stmt,
        db_->Prepare("INSERT INTO message_templates (kind, version, subject, email_body, "
                     "sms_body, is_default, set_at, set_by) VALUES (?1, "
                     "(SELECT COALESCE(MAX(version), 0) + 1 FROM message_templates WHERE kind = "
                     "?1), ?2, ?3, ?4, ?5, ?6, ?7) RETURNING version"));
    stmt.Bind(1, t.kind);
    stmt.Bind(2, t.is_default ? std::string() : t.subject);
    stmt.Bind(3, t.is_default ? std::string() : t.email_body);
    stmt.Bind(4, t.is_default ? std::string() : t.sms_body);
    stmt.Bind(5, t.is_default ? 1 : 0);
    stmt.Bind(6, t.set_at);
    stmt.Bind(7, t.set_by);
    return stmt.InsertReturningId();
  });
}

StatusOr<bool> SqlStore::RecordDayOneRun(const DayOneRun& run,
                                         const std::vector<OutboxMessage>& messages) {
  return Write([&]() -> StatusOr<bool> {
    // The date is unique: a second run of the day (another process, or a
    // retry after a crash) inserts nothing and so queues nothing.
    ASSIGN_OR_RETURN(
        Statement stmt,
        db_->Prepare("INSERT INTO day_one_runs (run_date, run_at, pupils, messages, unreachable) "
                     "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING RETURNING id"));
    BindDate(stmt, 1, run.date);
    stmt.Bind(2, run.run_at);
    stmt.Bind(3, run.pupils);
    stmt.Bind(4, run.messages);
    stmt.Bind(5, JoinIds(run.unreachable));
    ASSIGN_OR_RETURN(bool inserted, stmt.Step());
    if (!inserted) return false;
    RETURN_IF_ERROR(stmt.Run());
    for (const OutboxMessage& m : messages) {
      ASSIGN_OR_RETURN(bool queued, InsertOutbox(m));
      (void)queued;  // a key already queued is the same message: nothing to add
    }
    return true;
  });
}

StatusOr<std::optional<DayOneRun>> SqlStore::GetDayOneRun(core::Date date) {
  return Read([&]() -> StatusOr<std::optional<DayOneRun>> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("SELECT run_date, run_at, pupils, messages, unreachable "
                                  "FROM day_one_runs WHERE run_date = ?1"));
    BindDate(stmt, 1, date);
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return std::optional<DayOneRun>();
    DayOneRun run;
    ASSIGN_OR_RETURN(run.date, DateColumn(stmt, 0));
    run.run_at = stmt.Int64(1);
    run.pupils = static_cast<int>(stmt.Int64(2));
    run.messages = static_cast<int>(stmt.Int64(3));
    ASSIGN_OR_RETURN(run.unreachable, SplitIds(stmt.Text(4)));
    return std::optional<DayOneRun>(std::move(run));
  });
}

}  // namespace rollcall::store::sql
