// sql_store_casework.cc: part-time timetables, letters and leave of absence.
#include <fmt/format.h>

#include "core/error_codes.h"
#include "store/sql_store.h"

namespace rollcall::store::sql {
namespace {

using core::Status;
using core::StatusOr;

}  // namespace

// --- Part-time timetables ----------------------------------------------------

StatusOr<int64_t> SqlStore::AddPartTimeTimetable(const PartTimeTimetable& t) {
  return Write([&]() -> StatusOr<int64_t> {
    RETURN_IF_ERROR(RequirePupil(t.pupil_id));
    RETURN_IF_ERROR(CheckPartTimeTimetable(t));
    ASSIGN_OR_RETURN(std::vector<PartTimeTimetable> others,
                     LoadTimetables("WHERE pupil_id = ?1", t.pupil_id));
    ASSIGN_OR_RETURN(
        std::vector<PartTimeReview> reviews,
        LoadPartTimeReviews("WHERE timetable_id IN (SELECT id FROM part_time_timetables WHERE "
                            "pupil_id = ?1)",
                            t.pupil_id));
    RETURN_IF_ERROR(CheckPartTimeOverlap(t, others, reviews));
    ASSIGN_OR_RETURN(
        Statement stmt,
        db_->Prepare(
            "INSERT INTO part_time_timetables (pupil_id, agreed_on, agreed_with, start, "
            "\"end\", attends, review_date, reason, plan, at, by_user_id, by_name, by_role) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) RETURNING id"));
    stmt.Bind(1, t.pupil_id);
    BindDate(stmt, 2, t.agreed_on);
    stmt.Bind(3, t.agreed_with);
    BindDate(stmt, 4, t.start);
    BindDate(stmt, 5, t.end);
    stmt.Bind(6, static_cast<int>(t.attends));
    BindDate(stmt, 7, t.review_date);
    stmt.Bind(8, t.reason);
    stmt.Bind(9, t.plan);
    stmt.Bind(10, t.at);
    stmt.Bind(11, t.by_user_id);
    stmt.Bind(12, t.by_name);
    stmt.Bind(13, static_cast<int>(t.by_role));
    return stmt.InsertReturningId();
  });
}

StatusOr<int64_t> SqlStore::AddPartTimeReview(const PartTimeReview& r) {
  return Write([&]() -> StatusOr<int64_t> {
    ASSIGN_OR_RETURN(std::vector<PartTimeTimetable> found,
                     LoadTimetables("WHERE id = ?1", r.timetable_id));
    if (found.empty()) {
      return core::NotFound(core::kErrPartTimeUnknown,
                            fmt::format("no part-time timetable with id {}", r.timetable_id));
    }
    ASSIGN_OR_RETURN(std::vector<PartTimeReview> reviews,
                     LoadPartTimeReviews("WHERE timetable_id = ?1", r.timetable_id));
    RETURN_IF_ERROR(CheckPartTimeReview(
        r, found[0], core::EndInForce(found[0].end, TimetableReviewsOf(found[0], reviews))));
    ASSIGN_OR_RETURN(
        Statement stmt,
        db_->Prepare("INSERT INTO part_time_reviews (timetable_id, held_on, outcome, \"end\", "
                     "next_review, notes, at, by_user_id, by_name, by_role) VALUES (?1, ?2, ?3, "
                     "?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id"));
    stmt.Bind(1, r.timetable_id);
    BindDate(stmt, 2, r.held_on);
    stmt.Bind(3, PartTimeOutcomeName(r.outcome));
    BindDate(stmt, 4, r.end);
    BindDate(stmt, 5, r.next_review);
    stmt.Bind(6, r.notes);
    stmt.Bind(7, r.at);
    stmt.Bind(8, r.by_user_id);
    stmt.Bind(9, r.by_name);
    stmt.Bind(10, static_cast<int>(r.by_role));
    return stmt.InsertReturningId();
  });
}

StatusOr<std::vector<PartTimeTimetable>> SqlStore::ListPartTimeTimetables() {
  return Read([&] { return LoadTimetables("", 0); });
}

StatusOr<std::vector<PartTimeReview>> SqlStore::ListPartTimeReviews() {
  return Read([&] { return LoadPartTimeReviews("", 0); });
}

StatusOr<std::vector<PartTimeTimetable>> SqlStore::LoadTimetables(const char* where,
                                                                  int64_t value) {
  ASSIGN_OR_RETURN(Statement stmt,
                   db_->Prepare(fmt::format(
                       "SELECT id, pupil_id, agreed_on, agreed_with, start, \"end\", attends, "
                       "review_date, reason, plan, at, by_user_id, by_name, by_role FROM "
                       "part_time_timetables {} ORDER BY id",
                       where)));
  if (*where != '\0') stmt.Bind(1, value);
  std::vector<PartTimeTimetable> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    PartTimeTimetable t;
    t.id = stmt.Int64(0);
    t.pupil_id = stmt.Int64(1);
    ASSIGN_OR_RETURN(t.agreed_on, DateColumn(stmt, 2));
    t.agreed_with = stmt.Text(3);
    ASSIGN_OR_RETURN(t.start, DateColumn(stmt, 4));
    ASSIGN_OR_RETURN(t.end, DateColumn(stmt, 5));
    t.attends = static_cast<uint16_t>(stmt.Int64(6));
    ASSIGN_OR_RETURN(t.review_date, DateColumn(stmt, 7));
    t.reason = stmt.Text(8);
    t.plan = stmt.Text(9);
    t.at = stmt.Int64(10);
    t.by_user_id = stmt.Int64(11);
    t.by_name = stmt.Text(12);
    ASSIGN_OR_RETURN(t.by_role, RoleColumn(stmt, 13));
    out.push_back(std::move(t));
  }
}

StatusOr<std::vector<PartTimeReview>> SqlStore::LoadPartTimeReviews(const char* where,
                                                                    int64_t value) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_->Prepare(fmt::format("SELECT id, timetable_id, held_on, outcome, \"end\", next_review, "
                               "notes, at, by_user_id, by_name, by_role FROM part_time_reviews "
                               "{} ORDER BY id",
                               where)));
  if (*where != '\0') stmt.Bind(1, value);
  std::vector<PartTimeReview> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    PartTimeReview r;
    r.id = stmt.Int64(0);
    r.timetable_id = stmt.Int64(1);
    ASSIGN_OR_RETURN(r.held_on, DateColumn(stmt, 2));
    ASSIGN_OR_RETURN(r.outcome,
                     NameColumn(stmt, 3, PartTimeOutcomeFromName, "part-time review outcome"));
    ASSIGN_OR_RETURN(r.end, DateColumn(stmt, 4));
    ASSIGN_OR_RETURN(r.next_review, OptionalDateColumn(stmt, 5));
    r.notes = stmt.Text(6);
    r.at = stmt.Int64(7);
    r.by_user_id = stmt.Int64(8);
    r.by_name = stmt.Text(9);
    ASSIGN_OR_RETURN(r.by_role, RoleColumn(stmt, 10));
    out.push_back(std::move(r));
  }
}

// --- Letters -------------------------------------------------------------------

StatusOr<std::vector<int64_t>> SqlStore::AddLetters(const std::vector<Letter>& letters) {
  RETURN_IF_ERROR(CheckLetters(letters));
  return Write([&]() { return InsertLetters(letters); });
}

StatusOr<std::vector<int64_t>> SqlStore::AddLettersWithEmails(
    const std::vector<Letter>& letters, const std::vector<std::vector<OutboxMessage>>& emails) {
  RETURN_IF_ERROR(CheckLetters(letters));
  if (!emails.empty() && emails.size() != letters.size()) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("{} lists of emails for {} letters", emails.size(), letters.size()));
  }
  return Write([&]() -> StatusOr<std::vector<int64_t>> {
    ASSIGN_OR_RETURN(std::vector<int64_t> ids, InsertLetters(letters));
    for (size_t k = 0; k < emails.size(); ++k) {
      for (OutboxMessage m : emails[k]) {
        m.idempotency_key = fmt::format("letter/{}/{}", ids[k], m.idempotency_key);
        ASSIGN_OR_RETURN(const bool queued, InsertOutbox(m));
        (void)queued;  // a new letter's key cannot have been queued before
      }
    }
    return ids;
  });
}

Status SqlStore::RecordLettersPosted(const std::vector<int64_t>& letter_ids, core::Date posted_on,
                                     int64_t at, int64_t by_user_id, const std::string& by_name) {
  return Write([&]() -> Status {
    for (int64_t id : letter_ids) {
      ASSIGN_OR_RETURN(Statement find,
                       db_->Prepare("SELECT letters.id, letter_postings.posted_on FROM letters "
                                    "LEFT JOIN letter_postings ON letter_postings.letter_id = "
                                    "letters.id WHERE letters.id = ?1"));
      find.Bind(1, id);
      ASSIGN_OR_RETURN(const bool found, find.Step());
      if (!found) {
        return core::NotFound(core::kErrLetterUnknown, fmt::format("no letter with id {}", id));
      }
      if (!find.IsNull(1)) {
        return core::Conflict(
            core::kErrLetterPosted,
            fmt::format("letter {} was already recorded as posted on {}", id, find.Text(1)));
      }
      ASSIGN_OR_RETURN(Statement stmt,
                       db_->Prepare("INSERT INTO letter_postings (letter_id, posted_on, at, "
                                    "by_user_id, by_name) VALUES (?1, ?2, ?3, ?4, ?5)"));
      stmt.Bind(1, id);
      BindDate(stmt, 2, posted_on);
      stmt.Bind(3, at);
      stmt.Bind(4, by_user_id);
      stmt.Bind(5, by_name);
      RETURN_IF_ERROR(stmt.Run());
    }
    return core::OkStatus();
  });
}

StatusOr<std::vector<int64_t>> SqlStore::InsertLetters(const std::vector<Letter>& letters) {
  std::vector<int64_t> ids;
  // The batch is the first letter's id, reserved so that it can be written
  // into the first row itself (the rows are append-only).
  ASSIGN_OR_RETURN(const int64_t batch, db_->ReserveId("letters"));
  for (const Letter& l : letters) {
    RETURN_IF_ERROR(RequirePupil(l.pupil_id));
    ASSIGN_OR_RETURN(
        Statement stmt,
        db_->Prepare(ids.empty() ? "INSERT INTO letters (batch, pupil_id, template, addressee, "
                                   "subject, body, figures, at, by_user_id, by_name, by_role, "
                                   "address, id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                                   "?10, ?11, ?12, ?1) RETURNING id"
                                 : "INSERT INTO letters (batch, pupil_id, template, addressee, "
                                   "subject, body, figures, at, by_user_id, by_name, by_role, "
                                   "address) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
                                   "?11, ?12) RETURNING id"));
    stmt.Bind(1, batch);
    stmt.Bind(2, l.pupil_id);
    stmt.Bind(3, l.template_key);
    stmt.Bind(4, l.addressee);
    stmt.Bind(5, l.subject);
    stmt.Bind(6, l.body);
    stmt.Bind(7, l.figures_json.empty() ? std::string("{}") : l.figures_json);
    stmt.Bind(8, l.at);
    stmt.Bind(9, l.by_user_id);
    stmt.Bind(10, l.by_name);
    stmt.Bind(11, static_cast<int>(l.by_role));
    stmt.Bind(12, l.address);
    ASSIGN_OR_RETURN(const int64_t id, stmt.InsertReturningId());
    ids.push_back(id);
    ASSIGN_OR_RETURN(
        int64_t entry,
        InsertContactLogEntry({.pupil_id = l.pupil_id,
                               .at = l.at,
                               .method = ContactMethod::kLetter,
                               .contact_name = l.addressee,
                               .outcome = ContactOutcome::kSent,
                               .note = fmt::format("{} (letter {})", l.subject, ids.back()),
                               .by_user_id = l.by_user_id,
                               .by_name = l.by_name,
                               .by_role = l.by_role}));
    (void)entry;
  }
  return ids;
}

// --- Leave of absence ----------------------------------------------------------

StatusOr<int64_t> SqlStore::AddLeaveRequest(const LeaveRequest& r) {
  RETURN_IF_ERROR(CheckLeaveRequest(r));
  return Write([&]() -> StatusOr<int64_t> {
    RETURN_IF_ERROR(RequirePupil(r.pupil_id));
    ASSIGN_OR_RETURN(
        Statement stmt,
        db_->Prepare("INSERT INTO leave_requests (pupil_id, from_date, from_session, to_date, "
                     "to_session, code, reason, evidence, received_on, at, by_user_id, by_name, "
                     "by_role) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
                     "RETURNING id"));
    stmt.Bind(1, r.pupil_id);
    BindDate(stmt, 2, r.from.date);
    stmt.Bind(3, static_cast<int>(r.from.session));
    BindDate(stmt, 4, r.to.date);
    stmt.Bind(5, static_cast<int>(r.to.session));
    stmt.Bind(6, std::string(core::SymbolOf(r.code)));
    stmt.Bind(7, r.reason);
    stmt.Bind(8, r.evidence);
    BindDate(stmt, 9, r.received_on);
    stmt.Bind(10, r.at);
    stmt.Bind(11, r.by_user_id);
    stmt.Bind(12, r.by_name);
    stmt.Bind(13, static_cast<int>(r.by_role));
    return stmt.InsertReturningId();
  });
}

StatusOr<std::vector<LeaveRequest>> SqlStore::ListLeaveRequests() {
  return Read([&]() -> StatusOr<std::vector<LeaveRequest>> {
    ASSIGN_OR_RETURN(
        Statement stmt,
        db_->Prepare("SELECT id, pupil_id, from_date, from_session, to_date, to_session, code, "
                     "reason, evidence, received_on, at, by_user_id, by_name, by_role FROM "
                     "leave_requests ORDER BY id"));
    std::vector<LeaveRequest> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return out;
      LeaveRequest r;
      r.id = stmt.Int64(0);
      r.pupil_id = stmt.Int64(1);
      ASSIGN_OR_RETURN(r.from.date, DateColumn(stmt, 2));
      r.from.session = stmt.Int64(3) == 2 ? core::Session::kPm : core::Session::kAm;
      ASSIGN_OR_RETURN(r.to.date, DateColumn(stmt, 4));
      r.to.session = stmt.Int64(5) == 2 ? core::Session::kPm : core::Session::kAm;
      ASSIGN_OR_RETURN(r.code, NameColumn(stmt, 6, core::CodeFromSymbol, "leave code"));
      r.reason = stmt.Text(7);
      r.evidence = stmt.Text(8);
      ASSIGN_OR_RETURN(r.received_on, DateColumn(stmt, 9));
      r.at = stmt.Int64(10);
      r.by_user_id = stmt.Int64(11);
      r.by_name = stmt.Text(12);
      ASSIGN_OR_RETURN(r.by_role, RoleColumn(stmt, 13));
      out.push_back(std::move(r));
    }
  });
}

StatusOr<int64_t> SqlStore::DecideLeave(const LeaveDecision& d,
                                        const std::optional<Letter>& letter) {
  if (letter) RETURN_IF_ERROR(CheckLetters({*letter}));
  return Write([&]() -> StatusOr<int64_t> {
    RETURN_IF_ERROR(RequireRow("SELECT 1 FROM leave_requests WHERE id = ?1", d.request_id,
                               core::kErrLeaveUnknown, "leave request"));
    ASSIGN_OR_RETURN(Statement decided,
                     db_->Prepare("SELECT decision FROM leave_decisions WHERE request_id = ?1"));
    decided.Bind(1, d.request_id);
    ASSIGN_OR_RETURN(bool exists, decided.Step());
    if (exists) {
      return core::Conflict(core::kErrLeaveDecided, fmt::format("leave request {} is already {}",
                                                                d.request_id, decided.Text(0)));
    }
    std::optional<int64_t> letter_id;
    if (letter) {
      ASSIGN_OR_RETURN(std::vector<int64_t> ids, InsertLetters({*letter}));
      letter_id = ids.front();
    }
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("INSERT INTO leave_decisions (request_id, decision, reason, "
                                  "letter_id, at, by_user_id, by_name, by_role) VALUES (?1, ?2, "
                                  "?3, ?4, ?5, ?6, ?7, ?8) RETURNING id"));
    stmt.Bind(1, d.request_id);
    stmt.Bind(2, LeaveOutcomeName(d.decision));
    stmt.Bind(3, d.reason);
    stmt.Bind(4, letter_id);
    stmt.Bind(5, d.at);
    stmt.Bind(6, d.by_user_id);
    stmt.Bind(7, d.by_name);
    stmt.Bind(8, static_cast<int>(d.by_role));
    return stmt.InsertReturningId();
  });
}

StatusOr<std::vector<LeaveDecision>> SqlStore::ListLeaveDecisions() {
  return Read([&]() -> StatusOr<std::vector<LeaveDecision>> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("SELECT id, request_id, decision, reason, letter_id, at, "
                                  "by_user_id, by_name, by_role FROM leave_decisions ORDER BY id"));
    std::vector<LeaveDecision> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return out;
      LeaveDecision d;
      d.id = stmt.Int64(0);
      d.request_id = stmt.Int64(1);
      ASSIGN_OR_RETURN(d.decision, NameColumn(stmt, 2, LeaveOutcomeFromName, "leave decision"));
      d.reason = stmt.Text(3);
      d.letter_id = stmt.OptionalInt64(4);
      d.at = stmt.Int64(5);
      d.by_user_id = stmt.Int64(6);
      d.by_name = stmt.Text(7);
      ASSIGN_OR_RETURN(d.by_role, RoleColumn(stmt, 8));
      out.push_back(std::move(d));
    }
  });
}

StatusOr<Letter> SqlStore::GetLetter(int64_t id) {
  ASSIGN_OR_RETURN(std::vector<Letter> found,
                   Read([&] { return LoadLetters("WHERE id = ?1", id); }));
  if (found.empty()) {
    return core::NotFound(core::kErrLetterUnknown, fmt::format("no letter with id {}", id));
  }
  return found.front();
}

StatusOr<std::vector<Letter>> SqlStore::LettersForPupil(int64_t pupil_id) {
  return Read([&] { return LoadLetters("WHERE pupil_id = ?1 ORDER BY id", pupil_id); });
}

StatusOr<std::vector<Letter>> SqlStore::LettersInBatch(int64_t batch) {
  return Read([&] { return LoadLetters("WHERE batch = ?1 ORDER BY id", batch); });
}

StatusOr<std::vector<Letter>> SqlStore::RecentBatches(int limit) {
  return Read([&] { return LoadLetters("WHERE id = batch ORDER BY id DESC LIMIT ?1", limit); });
}

StatusOr<std::vector<Letter>> SqlStore::LoadLetters(const std::string& tail, int64_t value) {
  ASSIGN_OR_RETURN(Statement stmt,
                   db_->Prepare("SELECT id, batch, pupil_id, template, addressee, subject, body, "
                                "figures, letters.at, letters.by_user_id, letters.by_name, "
                                "by_role, address, letter_postings.posted_on, "
                                "letter_postings.at, letter_postings.by_name FROM letters "
                                "LEFT JOIN letter_postings ON letter_postings.letter_id = "
                                "letters.id " +
                                tail));
  stmt.Bind(1, value);
  std::vector<Letter> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    Letter l;
    l.id = stmt.Int64(0);
    l.batch = stmt.Int64(1);
    l.pupil_id = stmt.Int64(2);
    l.template_key = stmt.Text(3);
    l.addressee = stmt.Text(4);
    l.subject = stmt.Text(5);
    l.body = stmt.Text(6);
    l.figures_json = stmt.Text(7);
    l.at = stmt.Int64(8);
    l.by_user_id = stmt.Int64(9);
    l.by_name = stmt.Text(10);
    ASSIGN_OR_RETURN(l.by_role, RoleColumn(stmt, 11));
    l.address = stmt.Text(12);
    ASSIGN_OR_RETURN(l.posted_on, OptionalDateColumn(stmt, 13));
    l.posted_at = stmt.OptionalInt64(14).value_or(0);
    l.posted_by = stmt.Text(15);
    out.push_back(std::move(l));
  }
}

}  // namespace rollcall::store::sql
