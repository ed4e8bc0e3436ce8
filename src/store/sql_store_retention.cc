// sql_store_retention.cc: retention periods, the purge and its log
// (retention.h).
#include <fmt/format.h>

#include <array>
#include <string>

#include "core/error_codes.h"
#include "store/sql_store.h"

namespace rollcall::store {

std::string_view RetentionBasisName(RetentionBasis basis) {
  switch (basis) {
    case RetentionBasis::kMade:
      return "made";
    case RetentionBasis::kLeft:
      return "left";
  }
  core::Unreachable();
}

std::optional<RetentionBasis> RetentionBasisFromName(std::string_view name) {
  for (RetentionBasis b : {RetentionBasis::kMade, RetentionBasis::kLeft}) {
    if (RetentionBasisName(b) == name) return b;
  }
  return std::nullopt;
}

const RetentionKind* FindRetentionKind(std::string_view name) {
  for (const RetentionKind& k : kRetentionKinds) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

namespace sql {
namespace {

using core::Status;
using core::StatusOr;

// The pupils on hold: an open CME case, or a penalty case with no closing
// event (a referral for prosecution keeps its case open until it closes).
constexpr char kHeld[] =
    "(SELECT pupil_id FROM cme_cases WHERE closed_at IS NULL UNION SELECT pc.pupil_id FROM "
    "penalty_cases pc WHERE NOT EXISTS (SELECT 1 FROM penalty_events pe WHERE pe.case_id = pc.id "
    "AND pe.kind = 'closed'))";

// The pupils who have left before the cut-off day: every enrolment has a
// last day, the latest of them before it.
constexpr char kLeftBefore[] =
    "(SELECT pupil_id FROM enrolments GROUP BY pupil_id HAVING COUNT(end_date) = COUNT(*) AND "
    "MAX(end_date) < @day)";

// How one kind is found: its table and the condition on a row's age. @day
// stands for the cut-off day (YYYY-MM-DD), @at for its first second;
// Numbered turns them into parameters.
struct KindSql {
  std::string_view kind;
  std::string_view table;
  std::string_view old_enough;
  // Rows of other tables that hang off a purged row, deleted first:
  // "DELETE FROM x WHERE y IN (SELECT id FROM <table> WHERE " + condition + ")".
  std::string_view dependent_table;
  std::string_view dependent_column;
};

constexpr std::array<KindSql, 8> kKindSql = {{
    // A mark goes once both its session and its last recording are past the
    // period: an old session's mark corrected lately is kept for its change.
    {"marks", "marks", "date < @day AND recorded_at < @at", "", ""},
    {"mark_amendments", "mark_audit", "at < @at", "", ""},
    {"admission_changes", "admission_changes", "at < @at", "", ""},
    {"contact_log", "contact_log", "at < @at", "", ""},
    // A letter a leave decision points to stays with the decision.
    {"letters", "letters",
     "at < @at AND id NOT IN (SELECT letter_id FROM leave_decisions WHERE letter_id IS NOT NULL)",
     "letter_postings", "letter_id"},
    // Only messages that are done with: delivered or given up.
    {"messages", "outbox", "created_at < @at AND state IN ('delivered', 'failed')",
     "outbox_attempts", "outbox_id"},
    // Only events already fanned out to the webhooks' outbox.
    {"events", "events", "at < @at AND fanned_out = 1", "", ""},
    {"medical_evidence", "medical_evidence", "uploaded_at < @at", "", ""},
}};

const KindSql* FindKindSql(std::string_view kind) {
  for (const KindSql& k : kKindSql) {
    if (k.kind == kind) return &k;
  }
  return nullptr;
}

StatusOr<const KindSql*> KindSqlFor(const PurgeCutoff& cutoff) {
  const KindSql* k = FindKindSql(cutoff.kind);
  if (k == nullptr) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("no kind of record is called '{}'", cutoff.kind));
  }
  return k;
}

// The rows of `k` old enough under `basis`, held or not.
std::string OldEnough(const KindSql& k, RetentionBasis basis) {
  std::string where = fmt::format("({})", k.old_enough);
  if (basis == RetentionBasis::kLeft) where += fmt::format(" AND pupil_id IN {}", kLeftBefore);
  return where;
}

// Those of them the purge removes: of no pupil (a webhook delivery), or of
// a pupil not on hold.
std::string Removable(const KindSql& k, RetentionBasis basis) {
  return OldEnough(k, basis) + fmt::format(" AND (pupil_id IS NULL OR pupil_id NOT IN {})", kHeld);
}

// A statement of `sql` with @day and @at made parameters ?1 and ?2, in the
// order they first appear (PostgreSQL must see every number it is given,
// and cannot type one the text does not use), and bound to the cut-off.
StatusOr<Statement> Numbered(Db& db, std::string sql, const PurgeCutoff& cutoff) {
  const size_t day_at = sql.find("@day");
  const size_t at_at = sql.find("@at");
  const bool day_first =
      day_at != std::string::npos && (at_at == std::string::npos || day_at < at_at);
  const std::string day_param = day_first ? "?1" : "?2";
  const std::string at_param = day_first ? "?2" : "?1";
  for (size_t i = sql.find("@day"); i != std::string::npos; i = sql.find("@day")) {
    sql.replace(i, 4, day_param);
  }
  for (size_t i = sql.find("@at"); i != std::string::npos; i = sql.find("@at")) {
    sql.replace(i, 3, at_param);
  }
  ASSIGN_OR_RETURN(Statement stmt, db.Prepare(sql));
  if (day_at != std::string::npos) stmt.Bind(day_first ? 1 : 2, cutoff.before.ToString());
  if (at_at != std::string::npos) stmt.Bind(day_first ? 2 : 1, cutoff.before_at);
  return stmt;
}

StatusOr<int64_t> CountWhere(Db& db, std::string_view table, const std::string& where,
                             const PurgeCutoff& cutoff) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      Numbered(db, fmt::format("SELECT COUNT(*) FROM {} WHERE {}", table, where), cutoff));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? stmt.Int64(0) : 0;
}

}  // namespace

StatusOr<std::vector<RetentionChange>> SqlStore::ListRetentionChanges() {
  return Read([&]() -> StatusOr<std::vector<RetentionChange>> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("SELECT id, kind, months, basis, reason, set_at, set_by FROM "
                                  "retention_periods ORDER BY id"));
    std::vector<RetentionChange> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      RetentionChange& c = out.emplace_back();
      c.id = stmt.Int64(0);
      c.kind = stmt.Text(1);
      c.months = static_cast<int>(stmt.Int64(2));
      ASSIGN_OR_RETURN(c.basis, NameColumn(stmt, 3, RetentionBasisFromName, "retention basis"));
      c.reason = stmt.Text(4);
      c.set_at = stmt.Int64(5);
      c.set_by = stmt.Text(6);
    }
    return out;
  });
}

StatusOr<int64_t> SqlStore::AddRetentionChange(const RetentionChange& change) {
  const RetentionKind* kind = FindRetentionKind(change.kind);
  if (kind == nullptr) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("no kind of record is called '{}'", change.kind));
  }
  if (change.months < 1 || change.months > 1200) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("{} is not a number of months from 1 to 1200", change.months));
  }
  if (kind->statutory && change.months < kStatutoryMonths) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("{} must be kept at least six years (72 months), not {} months", kind->title,
                    change.months));
  }
  if (change.reason.empty()) {
    return core::InvalidArgument(core::kErrValueInvalid, "a change of retention needs a reason");
  }
  return Write([&]() -> StatusOr<int64_t> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("INSERT INTO retention_periods (kind, months, basis, reason, "
                                  "set_at, set_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id"));
    stmt.Bind(1, change.kind);
    stmt.Bind(2, change.months);
    stmt.Bind(3, RetentionBasisName(change.basis));
    stmt.Bind(4, change.reason);
    stmt.Bind(5, change.set_at);
    stmt.Bind(6, change.set_by);
    return stmt.InsertReturningId();
  });
}

StatusOr<RetentionSettings> SqlStore::GetRetentionSettings() {
  return Read([&]() -> StatusOr<RetentionSettings> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("SELECT version, auto_purge, set_at, set_by FROM "
                                  "retention_settings ORDER BY version DESC LIMIT 1"));
    RetentionSettings s;
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return s;
    s.version = stmt.Int64(0);
    s.auto_purge = stmt.Int64(1) != 0;
    s.set_at = stmt.Int64(2);
    s.set_by = stmt.Text(3);
    return s;
  });
}

StatusOr<int64_t> SqlStore::SaveRetentionSettings(const RetentionSettings& settings) {
  return Write([&]() -> StatusOr<int64_t> {
    ASSIGN_OR_RETURN(Statement last,
                     db_->Prepare("SELECT COALESCE(MAX(version), 0) FROM retention_settings"));
    ASSIGN_OR_RETURN(bool row, last.Step());
    const int64_t version = (row ? last.Int64(0) : 0) + 1;
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("INSERT INTO retention_settings (version, auto_purge, set_at, "
                                  "set_by) VALUES (?1, ?2, ?3, ?4)"));
    stmt.Bind(1, version);
    stmt.Bind(2, settings.auto_purge ? 1 : 0);
    stmt.Bind(3, settings.set_at);
    stmt.Bind(4, settings.set_by);
    RETURN_IF_ERROR(stmt.Run());
    return version;
  });
}

StatusOr<std::vector<PurgeHold>> SqlStore::ListPurgeHolds() {
  return Read([&]() -> StatusOr<std::vector<PurgeHold>> {
    ASSIGN_OR_RETURN(
        Statement stmt,
        db_->Prepare(
            "SELECT pupil_id, reason FROM (SELECT pupil_id, 'open CME case' AS reason FROM "
            "cme_cases WHERE closed_at IS NULL UNION SELECT pc.pupil_id, CASE WHEN EXISTS "
            "(SELECT 1 FROM penalty_events pr WHERE pr.case_id = pc.id AND pr.kind = "
            "'prosecution') THEN 'prosecution' ELSE 'open penalty case' END AS reason FROM "
            "penalty_cases pc WHERE NOT EXISTS (SELECT 1 FROM penalty_events pe WHERE "
            "pe.case_id = pc.id AND pe.kind = 'closed')) holds ORDER BY pupil_id, reason"));
    std::vector<PurgeHold> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      out.push_back(PurgeHold{.pupil_id = stmt.Int64(0), .reason = stmt.Text(1)});
    }
    return out;
  });
}

StatusOr<PurgeCount> SqlStore::CountPurgeOne(const PurgeCutoff& cutoff) {
  ASSIGN_OR_RETURN(const KindSql* k, KindSqlFor(cutoff));
  PurgeCount count{.kind = cutoff.kind, .before = cutoff.before};
  ASSIGN_OR_RETURN(count.rows, CountWhere(*db_, k->table, Removable(*k, cutoff.basis), cutoff));
  ASSIGN_OR_RETURN(const int64_t all,
                   CountWhere(*db_, k->table, OldEnough(*k, cutoff.basis), cutoff));
  count.held = all - count.rows;
  return count;
}

StatusOr<std::vector<PurgeCount>> SqlStore::CountPurge(const std::vector<PurgeCutoff>& cutoffs) {
  return Read([&]() -> StatusOr<std::vector<PurgeCount>> {
    std::vector<PurgeCount> out;
    for (const PurgeCutoff& c : cutoffs) {
      ASSIGN_OR_RETURN(out.emplace_back(), CountPurgeOne(c));
    }
    return out;
  });
}

StatusOr<std::vector<PurgeCount>> SqlStore::Purge(const std::vector<PurgeCutoff>& cutoffs,
                                                  int64_t at, std::string_view by) {
  for (const PurgeCutoff& c : cutoffs) RETURN_IF_ERROR(KindSqlFor(c).status());
  if (by.empty()) {
    return core::InvalidArgument(core::kErrValueInvalid, "a purge must say who ran it");
  }
  return Write([&]() -> StatusOr<std::vector<PurgeCount>> {
    // The permit that lets this transaction, and only it, delete from the
    // append-only tables; removed again before the commit.
    ASSIGN_OR_RETURN(Statement permit,
                     db_->Prepare("INSERT INTO purge_permits (started_at) VALUES (?1)"));
    permit.Bind(1, at);
    RETURN_IF_ERROR(permit.Run());
    std::vector<PurgeCount> out;
    for (const PurgeCutoff& c : cutoffs) {
      const KindSql& k = *FindKindSql(c.kind);
      ASSIGN_OR_RETURN(const PurgeCount count, CountPurgeOne(c));
      out.push_back(count);
      const std::string where = Removable(k, c.basis);
      if (count.rows > 0) {
        if (!k.dependent_table.empty()) {
          ASSIGN_OR_RETURN(
              Statement dep,
              Numbered(*db_,
                       fmt::format("DELETE FROM {} WHERE {} IN (SELECT id FROM {} WHERE {})",
                                   k.dependent_table, k.dependent_column, k.table, where),
                       c));
          RETURN_IF_ERROR(dep.Run());
        }
        ASSIGN_OR_RETURN(Statement del,
                         Numbered(*db_, fmt::format("DELETE FROM {} WHERE {}", k.table, where), c));
        RETURN_IF_ERROR(del.Run());
      }
      ASSIGN_OR_RETURN(Statement log,
                       db_->Prepare("INSERT INTO purge_log (kind, row_count, up_to, held, at, "
                                    "by_name) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
      log.Bind(1, c.kind);
      log.Bind(2, count.rows);
      log.Bind(3, c.before.ToString());
      log.Bind(4, count.held);
      log.Bind(5, at);
      log.Bind(6, by);
      RETURN_IF_ERROR(log.Run());
    }
    ASSIGN_OR_RETURN(Statement done, db_->Prepare("DELETE FROM purge_permits"));
    RETURN_IF_ERROR(done.Run());
    return out;
  });
}

StatusOr<std::vector<PurgeLogEntry>> SqlStore::ListPurgeLog(int limit) {
  return Read([&]() -> StatusOr<std::vector<PurgeLogEntry>> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("SELECT id, kind, row_count, up_to, held, at, by_name FROM "
                                  "purge_log ORDER BY at DESC, id DESC LIMIT ?1"));
    stmt.Bind(1, limit);
    std::vector<PurgeLogEntry> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      PurgeLogEntry& e = out.emplace_back();
      e.id = stmt.Int64(0);
      e.kind = stmt.Text(1);
      e.rows = stmt.Int64(2);
      ASSIGN_OR_RETURN(e.up_to, DateColumn(stmt, 3));
      e.held = stmt.Int64(4);
      e.at = stmt.Int64(5);
      e.by = stmt.Text(6);
    }
    return out;
  });
}

}  // namespace sql
}  // namespace rollcall::store
