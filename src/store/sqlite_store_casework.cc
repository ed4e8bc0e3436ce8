// sqlite_store_casework.cc: part-time timetables and letters in SQLite.
#include <fmt/format.h>

#include "core/error_codes.h"
#include "store/sqlite_store.h"

namespace rollcall::store::sqlite {
namespace {

using core::Status;
using core::StatusOr;

// The end date in force: the latest review's, else the agreement's.
core::Date CurrentEnd(const PartTimeTimetable& t, const std::vector<PartTimeReview>& reviews) {
  core::Date end = t.end;
  for (const PartTimeReview& r : reviews) {
    if (r.timetable_id == t.id) end = r.end;
  }
  return end;
}

}  // namespace

// --- Part-time timetables ----------------------------------------------------

StatusOr<int64_t> SqliteStore::AddPartTimeTimetable(const PartTimeTimetable& t) {
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
    for (const PartTimeTimetable& o : others) {
      const core::Date end = CurrentEnd(o, reviews);
      if (o.start <= t.end && t.start <= end && o.start <= end) {
        return core::Conflict(
            core::kErrPartTimeOverlap,
            fmt::format("pupil {} already has a part-time timetable from {} to {}", t.pupil_id,
                        o.start.ToString(), end.ToString()));
      }
    }
    ASSIGN_OR_RETURN(
        Statement stmt,
        db_->Prepare("INSERT INTO part_time_timetables (pupil_id, agreed_on, agreed_with, start, "
                     "end, attends, review_date, reason, plan, at, by_user_id, by_name, by_role) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"));
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
    RETURN_IF_ERROR(stmt.Run());
    return db_->LastInsertRowid();
  });
}

StatusOr<int64_t> SqliteStore::AddPartTimeReview(const PartTimeReview& r) {
  return Write([&]() -> StatusOr<int64_t> {
    ASSIGN_OR_RETURN(std::vector<PartTimeTimetable> found,
                     LoadTimetables("WHERE id = ?1", r.timetable_id));
    if (found.empty()) {
      return core::NotFound(core::kErrPartTimeUnknown,
                            fmt::format("no part-time timetable with id {}", r.timetable_id));
    }
    ASSIGN_OR_RETURN(std::vector<PartTimeReview> reviews,
                     LoadPartTimeReviews("WHERE timetable_id = ?1", r.timetable_id));
    RETURN_IF_ERROR(CheckPartTimeReview(r, found[0], CurrentEnd(found[0], reviews)));
    ASSIGN_OR_RETURN(
        Statement stmt,
        db_->Prepare("INSERT INTO part_time_reviews (timetable_id, held_on, outcome, end, "
                     "next_review, notes, at, by_user_id, by_name, by_role) VALUES (?1, ?2, ?3, "
                     "?4, ?5, ?6, ?7, ?8, ?9, ?10)"));
    stmt.Bind(1, r.timetable_id);
    BindDate(stmt, 2, r.held_on);
    stmt.Bind(3, r.outcome);
    BindDate(stmt, 4, r.end);
    BindDate(stmt, 5, r.next_review);
    stmt.Bind(6, r.notes);
    stmt.Bind(7, r.at);
    stmt.Bind(8, r.by_user_id);
    stmt.Bind(9, r.by_name);
    stmt.Bind(10, static_cast<int>(r.by_role));
    RETURN_IF_ERROR(stmt.Run());
    return db_->LastInsertRowid();
  });
}

StatusOr<std::vector<PartTimeTimetable>> SqliteStore::ListPartTimeTimetables() {
  return Read([&] { return LoadTimetables("", 0); });
}

StatusOr<std::vector<PartTimeReview>> SqliteStore::ListPartTimeReviews() {
  return Read([&] { return LoadPartTimeReviews("", 0); });
}

StatusOr<std::vector<PartTimeTimetable>> SqliteStore::LoadTimetables(const char* where,
                                                                     int64_t value) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_->Prepare(fmt::format("SELECT id, pupil_id, agreed_on, agreed_with, start, end, attends, "
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

StatusOr<std::vector<PartTimeReview>> SqliteStore::LoadPartTimeReviews(const char* where,
                                                                       int64_t value) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_->Prepare(fmt::format("SELECT id, timetable_id, held_on, outcome, end, next_review, "
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
    r.outcome = stmt.Text(3);
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

StatusOr<std::vector<int64_t>> SqliteStore::AddLetters(const std::vector<Letter>& letters) {
  if (letters.empty()) {
    return core::InvalidArgument(core::kErrValueInvalid, "no letters to send");
  }
  for (const Letter& l : letters) {
    if (l.subject.empty() || l.body.empty()) {
      return core::InvalidArgument(core::kErrValueInvalid, "a letter needs a subject and a body");
    }
  }
  return Write([&]() -> StatusOr<std::vector<int64_t>> {
    std::vector<int64_t> ids;
    ASSIGN_OR_RETURN(Statement next, db_->Prepare("SELECT COALESCE(MAX(id), 0) + 1 FROM letters"));
    ASSIGN_OR_RETURN(bool row, next.Step());
    const int64_t batch = row ? next.Int64(0) : 1;
    for (const Letter& l : letters) {
      RETURN_IF_ERROR(RequirePupil(l.pupil_id));
      ASSIGN_OR_RETURN(
          Statement stmt,
          db_->Prepare("INSERT INTO letters (batch, pupil_id, template, addressee, subject, body, "
                       "figures, at, by_user_id, by_name, by_role) VALUES (?1, ?2, ?3, ?4, ?5, "
                       "?6, ?7, ?8, ?9, ?10, ?11)"));
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
      if (Status s = stmt.Run(); !s.ok()) {
        return core::InvalidArgument(core::kErrValueInvalid,
                                     "a letter's figures must be a JSON object: " + s.message());
      }
      ids.push_back(db_->LastInsertRowid());
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
  });
}

StatusOr<Letter> SqliteStore::GetLetter(int64_t id) {
  ASSIGN_OR_RETURN(std::vector<Letter> found,
                   Read([&] { return LoadLetters("WHERE id = ?1", id); }));
  if (found.empty()) {
    return core::NotFound(core::kErrLetterUnknown, fmt::format("no letter with id {}", id));
  }
  return found.front();
}

StatusOr<std::vector<Letter>> SqliteStore::LettersForPupil(int64_t pupil_id) {
  return Read([&] { return LoadLetters("WHERE pupil_id = ?1 ORDER BY id", pupil_id); });
}

StatusOr<std::vector<Letter>> SqliteStore::LettersInBatch(int64_t batch) {
  return Read([&] { return LoadLetters("WHERE batch = ?1 ORDER BY id", batch); });
}

StatusOr<std::vector<Letter>> SqliteStore::RecentBatches(int limit) {
  return Read([&] { return LoadLetters("WHERE id = batch ORDER BY id DESC LIMIT ?1", limit); });
}

StatusOr<std::vector<Letter>> SqliteStore::LoadLetters(const std::string& tail, int64_t value) {
  ASSIGN_OR_RETURN(Statement stmt,
                   db_->Prepare("SELECT id, batch, pupil_id, template, addressee, subject, body, "
                                "figures, at, by_user_id, by_name, by_role FROM letters " +
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
    out.push_back(std::move(l));
  }
}

}  // namespace rollcall::store::sqlite
