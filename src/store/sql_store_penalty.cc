// sql_store_penalty.cc: penalty-notice cases, their events and evidence
// packs.
#include <fmt/format.h>

#include <map>
#include <string>

#include "core/error_codes.h"
#include "store/sql_store.h"

namespace rollcall::store::sql {
namespace {

using core::Status;
using core::StatusOr;

// The text of penalty_events.decision: the decision's or the outcome's
// name, "" for the kinds that have neither.
std::string_view DecisionColumnText(const PenaltyEvent& e) {
  if (e.decision) return core::PenaltyDecisionName(*e.decision);
  if (e.outcome) return core::ImprovementOutcomeName(*e.outcome);
  return "";
}

// Reads penalty_events.decision (column `col`) into e.decision or e.outcome
// as e.kind says; Internal DB_BAD_VALUE for a text its kind cannot have.
Status ReadDecisionColumn(const Statement& stmt, int col, PenaltyEvent& e) {
  if (e.kind == PenaltyEventKind::kDecision) {
    ASSIGN_OR_RETURN(e.decision,
                     NameColumn(stmt, col, core::PenaltyDecisionFromName, "penalty decision"));
  } else if (e.kind == PenaltyEventKind::kNtiOutcome) {
    ASSIGN_OR_RETURN(e.outcome, NameColumn(stmt, col, core::ImprovementOutcomeFromName,
                                           "improvement period outcome"));
  } else if (const std::string text = stmt.Text(col); !text.empty()) {
    return BadStoredName(fmt::format("{} decision", PenaltyEventKindName(e.kind)), text);
  }
  return core::OkStatus();
}

}  // namespace

StatusOr<int64_t> SqlStore::OpenPenaltyCase(const PenaltyCase& c) {
  return Write([&]() -> StatusOr<int64_t> {
    RETURN_IF_ERROR(RequirePupil(c.pupil_id));
    ASSIGN_OR_RETURN(Statement same,
                     db_->Prepare("SELECT id FROM penalty_cases WHERE pupil_id = ?1 AND kind = ?2 "
                                  "AND alert_date = ?3 AND alert_session = ?4"));
    same.Bind(1, c.pupil_id);
    same.Bind(2, PenaltyCaseKindName(c.kind));
    BindDate(same, 3, c.alert.date);
    same.Bind(4, static_cast<int>(c.alert.session));
    ASSIGN_OR_RETURN(bool exists, same.Step());
    if (exists) {
      return core::Conflict(core::kErrPenaltyCaseExists,
                            fmt::format("pupil {} already has a case for the alert of {}",
                                        c.pupil_id, c.alert.date.ToString()));
    }
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("INSERT INTO penalty_cases (pupil_id, kind, alert_date, "
                                  "alert_session, evidence, opened_at) VALUES (?1, ?2, ?3, ?4, "
                                  "?5, ?6) RETURNING id"));
    stmt.Bind(1, c.pupil_id);
    stmt.Bind(2, PenaltyCaseKindName(c.kind));
    BindDate(stmt, 3, c.alert.date);
    stmt.Bind(4, static_cast<int>(c.alert.session));
    stmt.Bind(5, c.evidence);
    stmt.Bind(6, c.opened_at);
    return stmt.InsertReturningId();
  });
}

namespace {

// The penalty cases a prepared SELECT of kPenaltyCaseColumns returns: the
// case's own columns, then its closed event's on_date and at (NULL when
// open), then the day of its latest penalty notice not withdrawn (NULL: none).
StatusOr<std::vector<PenaltyCase>> ReadPenaltyCases(Statement& stmt) {
  std::vector<PenaltyCase> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    PenaltyCase c;
    c.id = stmt.Int64(0);
    c.pupil_id = stmt.Int64(1);
    ASSIGN_OR_RETURN(c.kind, NameColumn(stmt, 2, PenaltyCaseKindFromName, "penalty case kind"));
    ASSIGN_OR_RETURN(c.alert.date, DateColumn(stmt, 3));
    ASSIGN_OR_RETURN(c.alert.session, SessionColumn(stmt, 4));
    c.evidence = stmt.Text(5);
    c.opened_at = stmt.Int64(6);
    ASSIGN_OR_RETURN(c.closed_on, OptionalDateColumn(stmt, 7));
    // A closed event recorded without a day closed the case on the day it
    // was recorded.
    if (const std::optional<int64_t> closed_at = stmt.OptionalInt64(8); closed_at && !c.closed_on) {
      c.closed_on = core::Date::FromDays(static_cast<int32_t>(*closed_at / 86400));
    }
    ASSIGN_OR_RETURN(c.last_notice_on, OptionalDateColumn(stmt, 9));
    out.push_back(std::move(c));
  }
}

// Attaches the windows a prepared SELECT of kPenaltyWindowColumns returns
// to their cases.
Status ReadPenaltyWindows(Statement& stmt, std::vector<PenaltyCase>& cases) {
  std::map<int64_t, PenaltyCase*> by_id;
  for (PenaltyCase& c : cases) by_id[c.id] = &c;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return core::OkStatus();
    PenaltyWindow w;
    w.id = stmt.Int64(0);
    w.case_id = stmt.Int64(1);
    ASSIGN_OR_RETURN(w.alert.date, DateColumn(stmt, 2));
    ASSIGN_OR_RETURN(w.alert.session, SessionColumn(stmt, 3));
    w.evidence = stmt.Text(4);
    w.added_at = stmt.Int64(5);
    if (auto it = by_id.find(w.case_id); it != by_id.end()) {
      it->second->windows.push_back(std::move(w));
    }
  }
}

constexpr char kPenaltyCaseColumns[] =
    "SELECT c.id, c.pupil_id, c.kind, c.alert_date, c.alert_session, c.evidence, c.opened_at, "
    "e.on_date, e.at, (SELECT max(n.on_date) FROM penalty_events n WHERE n.case_id = c.id AND "
    "n.kind = 'notice' AND NOT EXISTS (SELECT 1 FROM penalty_events w WHERE w.notice_id = n.id "
    "AND w.kind = 'withdrawal')) FROM penalty_cases c LEFT JOIN penalty_events e ON "
    "e.case_id = c.id AND e.kind = 'closed' ";
constexpr char kPenaltyWindowColumns[] =
    "SELECT w.id, w.case_id, w.alert_date, w.alert_session, w.evidence, w.added_at FROM "
    "penalty_windows w JOIN penalty_cases c ON c.id = w.case_id ";

// Conflict PENALTY_CASE_CLOSED once case `case_id` has its closed event.
Status RequireCaseOpen(Db& db, int64_t case_id) {
  ASSIGN_OR_RETURN(Statement closed,
                   db.Prepare("SELECT 1 FROM penalty_events WHERE case_id = ?1 AND kind = ?2"));
  closed.Bind(1, case_id);
  closed.Bind(2, PenaltyEventKindName(PenaltyEventKind::kClosed));
  ASSIGN_OR_RETURN(bool is_closed, closed.Step());
  if (is_closed) {
    return core::Conflict(core::kErrPenaltyCaseClosed,
                          fmt::format("penalty case {} is closed", case_id));
  }
  return core::OkStatus();
}

}  // namespace

StatusOr<std::vector<PenaltyCase>> SqlStore::ListPenaltyCases() {
  return Read([&]() -> StatusOr<std::vector<PenaltyCase>> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare(std::string(kPenaltyCaseColumns) + "ORDER BY c.id"));
    ASSIGN_OR_RETURN(std::vector<PenaltyCase> cases, ReadPenaltyCases(stmt));
    ASSIGN_OR_RETURN(Statement windows,
                     db_->Prepare(std::string(kPenaltyWindowColumns) + "ORDER BY w.id"));
    RETURN_IF_ERROR(ReadPenaltyWindows(windows, cases));
    return cases;
  });
}

StatusOr<std::vector<PenaltyCase>> SqlStore::PenaltyCasesOf(int64_t pupil_id) {
  return Read([&]() -> StatusOr<std::vector<PenaltyCase>> {
    ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(std::string(kPenaltyCaseColumns) +
                                                  "WHERE c.pupil_id = ?1 ORDER BY c.id"));
    stmt.Bind(1, pupil_id);
    ASSIGN_OR_RETURN(std::vector<PenaltyCase> cases, ReadPenaltyCases(stmt));
    ASSIGN_OR_RETURN(Statement windows, db_->Prepare(std::string(kPenaltyWindowColumns) +
                                                     "WHERE c.pupil_id = ?1 ORDER BY w.id"));
    windows.Bind(1, pupil_id);
    RETURN_IF_ERROR(ReadPenaltyWindows(windows, cases));
    return cases;
  });
}

StatusOr<int64_t> SqlStore::AddPenaltyWindow(const PenaltyWindow& w) {
  return Write([&]() -> StatusOr<int64_t> {
    RETURN_IF_ERROR(RequireRow("SELECT 1 FROM penalty_cases WHERE id = ?1", w.case_id,
                               core::kErrPenaltyCaseUnknown, "penalty case"));
    RETURN_IF_ERROR(RequireCaseOpen(*db_, w.case_id));
    ASSIGN_OR_RETURN(Statement same,
                     db_->Prepare("SELECT 1 FROM penalty_cases WHERE id = ?1 AND alert_date = ?2 "
                                  "AND alert_session = ?3 UNION ALL SELECT 1 FROM penalty_windows "
                                  "WHERE case_id = ?1 AND alert_date = ?2 AND alert_session = ?3"));
    same.Bind(1, w.case_id);
    BindDate(same, 2, w.alert.date);
    same.Bind(3, static_cast<int>(w.alert.session));
    ASSIGN_OR_RETURN(bool exists, same.Step());
    if (exists) {
      return core::Conflict(core::kErrPenaltyCaseExists,
                            fmt::format("penalty case {} already cites the alert of {}", w.case_id,
                                        w.alert.date.ToString()));
    }
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("INSERT INTO penalty_windows (case_id, alert_date, "
                                  "alert_session, evidence, added_at) VALUES (?1, ?2, ?3, ?4, ?5) "
                                  "RETURNING id"));
    stmt.Bind(1, w.case_id);
    BindDate(stmt, 2, w.alert.date);
    stmt.Bind(3, static_cast<int>(w.alert.session));
    stmt.Bind(4, w.evidence);
    stmt.Bind(5, w.added_at);
    return stmt.InsertReturningId();
  });
}

StatusOr<int64_t> SqlStore::AddPenaltyEvent(const PenaltyEvent& e) {
  RETURN_IF_ERROR(CheckPenaltyEvent(e));
  return Write([&]() -> StatusOr<int64_t> {
    RETURN_IF_ERROR(RequireRow("SELECT 1 FROM penalty_cases WHERE id = ?1", e.case_id,
                               core::kErrPenaltyCaseUnknown, "penalty case"));
    RETURN_IF_ERROR(RequireCaseOpen(*db_, e.case_id));
    if (e.notice_id) {
      ASSIGN_OR_RETURN(Statement notice,
                       db_->Prepare("SELECT 1 FROM penalty_events WHERE id = ?1 AND case_id = ?2 "
                                    "AND kind = ?3"));
      notice.Bind(1, *e.notice_id);
      notice.Bind(2, e.case_id);
      notice.Bind(3, PenaltyEventKindName(PenaltyEventKind::kNotice));
      ASSIGN_OR_RETURN(bool found, notice.Step());
      if (!found) {
        return core::NotFound(core::kErrPenaltyNoticeUnknown,
                              fmt::format("case {} has no notice {}", e.case_id, *e.notice_id));
      }
    }
    ASSIGN_OR_RETURN(
        Statement stmt,
        db_->Prepare("INSERT INTO penalty_events (case_id, kind, notice_id, decision, parent, "
                     "on_date, end_date, amount_pence, notice_number, text, at, by_user_id, "
                     "by_name, by_role) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                     "?12, ?13, ?14) RETURNING id"));
    stmt.Bind(1, e.case_id);
    stmt.Bind(2, PenaltyEventKindName(e.kind));
    stmt.Bind(3, e.notice_id);
    stmt.Bind(4, DecisionColumnText(e));
    stmt.Bind(5, e.parent);
    BindDate(stmt, 6, e.on);
    BindDate(stmt, 7, e.end);
    stmt.Bind(8, e.amount_pence);
    stmt.Bind(9, e.notice_number);
    stmt.Bind(10, e.text);
    stmt.Bind(11, e.at);
    stmt.Bind(12, e.by_user_id);
    stmt.Bind(13, e.by_name);
    stmt.Bind(14, static_cast<int>(e.by_role));
    return stmt.InsertReturningId();
  });
}

StatusOr<std::vector<PenaltyEvent>> SqlStore::PenaltyEvents() {
  return Read([&]() -> StatusOr<std::vector<PenaltyEvent>> {
    ASSIGN_OR_RETURN(
        Statement stmt,
        db_->Prepare("SELECT id, case_id, kind, notice_id, decision, parent, on_date, end_date, "
                     "amount_pence, notice_number, text, at, by_user_id, by_name, by_role FROM "
                     "penalty_events ORDER BY id"));
    std::vector<PenaltyEvent> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return out;
      PenaltyEvent e;
      e.id = stmt.Int64(0);
      e.case_id = stmt.Int64(1);
      ASSIGN_OR_RETURN(e.kind, NameColumn(stmt, 2, PenaltyEventKindFromName, "penalty event kind"));
      e.notice_id = stmt.OptionalInt64(3);
      RETURN_IF_ERROR(ReadDecisionColumn(stmt, 4, e));
      e.parent = stmt.Text(5);
      ASSIGN_OR_RETURN(e.on, OptionalDateColumn(stmt, 6));
      ASSIGN_OR_RETURN(e.end, OptionalDateColumn(stmt, 7));
      e.amount_pence = stmt.Int64(8);
      e.notice_number = static_cast<int>(stmt.Int64(9));
      e.text = stmt.Text(10);
      e.at = stmt.Int64(11);
      e.by_user_id = stmt.Int64(12);
      e.by_name = stmt.Text(13);
      ASSIGN_OR_RETURN(e.by_role, RoleColumn(stmt, 14));
      out.push_back(std::move(e));
    }
  });
}

StatusOr<int64_t> SqlStore::AddEvidencePack(const EvidencePack& pack) {
  return Write([&]() -> StatusOr<int64_t> {
    RETURN_IF_ERROR(RequireRow("SELECT 1 FROM penalty_cases WHERE id = ?1", pack.case_id,
                               core::kErrPenaltyCaseUnknown, "penalty case"));
    ASSIGN_OR_RETURN(
        Statement stmt,
        db_->Prepare("INSERT INTO evidence_packs (case_id, content, at, by_user_id, "
                     "by_name, by_role) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id"));
    stmt.Bind(1, pack.case_id);
    stmt.Bind(2, pack.content);
    stmt.Bind(3, pack.at);
    stmt.Bind(4, pack.by_user_id);
    stmt.Bind(5, pack.by_name);
    stmt.Bind(6, static_cast<int>(pack.by_role));
    StatusOr<int64_t> id = stmt.InsertReturningId();
    if (!id.ok()) {
      return core::InvalidArgument(
          core::kErrValueInvalid,
          "an evidence pack's content must be JSON: " + id.status().message());
    }
    return id;
  });
}

StatusOr<std::vector<EvidencePack>> SqlStore::EvidencePacksFor(int64_t case_id) {
  return Read([&]() -> StatusOr<std::vector<EvidencePack>> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("SELECT id, case_id, content, at, by_user_id, by_name, by_role "
                                  "FROM evidence_packs WHERE case_id = ?1 ORDER BY id"));
    stmt.Bind(1, case_id);
    std::vector<EvidencePack> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return out;
      EvidencePack p;
      p.id = stmt.Int64(0);
      p.case_id = stmt.Int64(1);
      p.content = stmt.Text(2);
      p.at = stmt.Int64(3);
      p.by_user_id = stmt.Int64(4);
      p.by_name = stmt.Text(5);
      ASSIGN_OR_RETURN(p.by_role, RoleColumn(stmt, 6));
      out.push_back(std::move(p));
    }
  });
}

}  // namespace rollcall::store::sql
