// sql_store.cc: the SQL Store's school, calendar, class, mark and login
// methods. Pupils, users and absence reports are in sql_store_people.cc.
#include "store/sql_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/error_codes.h"

namespace rollcall::store::sql {
namespace {

using core::Status;
using core::StatusOr;

core::Status Corrupt(std::string_view what) {
  return core::Internal(core::kErrDbError, fmt::format("invalid stored value: {}", what));
}

StatusOr<Settings> ReadSettings(const Statement& stmt) {
  Settings s;
  s.version = stmt.Int64(0);
  s.am_start_minute = static_cast<int>(stmt.Int64(1));
  s.pm_start_minute = static_cast<int>(stmt.Int64(2));
  s.register_close_minutes = static_cast<int>(stmt.Int64(3));
  s.policy_json = stmt.Text(4);
  s.target_attendance_pct = stmt.Text(5);
  s.set_at = stmt.Int64(6);
  s.set_by = stmt.Text(7);
  s.am_opens_before_minutes = static_cast<int>(stmt.Int64(8));
  s.pm_opens_before_minutes = static_cast<int>(stmt.Int64(9));
  s.share_destination = stmt.Text(10);
  s.share_minute = static_cast<int>(stmt.Int64(11));
  s.session_idle_minutes = static_cast<int>(stmt.Int64(12));
  s.rewards_exclude_medical = stmt.Int64(13) != 0;
  return s;
}

StatusOr<std::vector<Mark>> ReadMarks(Statement& stmt) {
  std::vector<Mark> marks;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return marks;
    ASSIGN_OR_RETURN(Mark mark, ReadMark(stmt));
    marks.push_back(std::move(mark));
  }
}

}  // namespace

// --- Row helpers shared with sql_store_people.cc -----------------------------

StatusOr<core::Session> SessionColumn(const Statement& stmt, int col) {
  const int64_t stored = stmt.Int64(col);
  if (stored == 1) return core::Session::kAm;
  if (stored == 2) return core::Session::kPm;
  return Corrupt(fmt::format("session {}", stored));
}

StatusOr<core::AttendanceCode> CodeColumn(const Statement& stmt, int col) {
  const int64_t stored = stmt.Int64(col);
  std::optional<core::AttendanceCode> code = stored >= 1 && stored <= core::kMaxStoredCode
                                                 ? core::CodeFromStored(static_cast<int>(stored))
                                                 : std::nullopt;
  if (!code) return Corrupt(fmt::format("attendance code {}", stored));
  return *code;
}

// Columns: pupil_id, date, session, code, arrival_minute, recorded_at, recorded_by.
StatusOr<Mark> ReadMark(const Statement& stmt) {
  Mark mark;
  mark.pupil_id = stmt.Int64(0);
  ASSIGN_OR_RETURN(mark.slot.date, DateColumn(stmt, 1));
  ASSIGN_OR_RETURN(mark.slot.session, SessionColumn(stmt, 2));
  ASSIGN_OR_RETURN(mark.code, CodeColumn(stmt, 3));
  mark.arrival_minute = OptionalIntColumn(stmt, 4);
  mark.recorded_at = stmt.Int64(5);
  mark.recorded_by = stmt.Int64(6);
  return mark;
}

StatusOr<core::Date> DateColumn(const Statement& stmt, int col) {
  std::string text = stmt.Text(col);
  std::optional<core::Date> date = core::Date::Parse(text);
  if (!date) return Corrupt(fmt::format("date '{}'", text));
  return *date;
}

StatusOr<std::optional<core::Date>> OptionalDateColumn(const Statement& stmt, int col) {
  if (stmt.IsNull(col)) return std::optional<core::Date>();
  ASSIGN_OR_RETURN(core::Date date, DateColumn(stmt, col));
  return std::optional<core::Date>(date);
}

StatusOr<Role> RoleColumn(const Statement& stmt, int col) {
  const int64_t stored = stmt.Int64(col);
  if (stored < 1 || stored > 9) return Corrupt(fmt::format("role {}", stored));
  return static_cast<Role>(stored);
}

std::optional<int> OptionalIntColumn(const Statement& stmt, int col) {
  std::optional<int64_t> value = stmt.OptionalInt64(col);
  if (!value) return std::nullopt;
  return static_cast<int>(*value);
}

Status BadStoredName(std::string_view what, std::string_view text) {
  return core::Internal(core::kErrDbBadValue,
                        fmt::format("invalid stored value: {} '{}'", what, text));
}

void BindDate(Statement& stmt, int index, core::Date date) { stmt.Bind(index, date.ToString()); }

void BindDate(Statement& stmt, int index, const std::optional<core::Date>& date) {
  if (date) {
    BindDate(stmt, index, *date);
  } else {
    stmt.BindNull(index);
  }
}

// --- Existence checks --------------------------------------------------------

Status SqlStore::RequireRow(std::string_view sql, int64_t id, const char* code,
                            std::string_view what) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(sql));
  stmt.Bind(1, id);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return core::NotFound(code, fmt::format("no {} with id {}", what, id));
  return core::OkStatus();
}

Status SqlStore::RequireUser(int64_t id) {
  return RequireRow("SELECT 1 FROM users WHERE id = ?1", id, core::kErrUserUnknown, "user");
}

Status SqlStore::RequireClass(int64_t id) {
  return RequireRow("SELECT 1 FROM classes WHERE id = ?1", id, core::kErrClassUnknown, "class");
}

Status SqlStore::RequirePupil(int64_t id) {
  return RequireRow("SELECT 1 FROM pupils WHERE id = ?1", id, core::kErrPupilUnknown, "pupil");
}

// --- School and settings -----------------------------------------------------

StatusOr<School> SqlStore::GetSchool() {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Statement stmt,
                   db_->Prepare("SELECT name, urn, la_code, phase, establishment_number, address, "
                                "postcode FROM school WHERE id = 1"));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return core::NotFound(core::kErrSchoolUnset, "the school has not been set up");
  return School{stmt.Text(0), stmt.Text(1), stmt.Text(2), stmt.Text(3),
                stmt.Text(4), stmt.Text(5), stmt.Text(6)};
}

StatusOr<bool> SqlStore::HasSchool() {
  ASSIGN_OR_RETURN(Statement existing, db_->Prepare("SELECT 1 FROM school WHERE id = 1"));
  return existing.Step();
}

Status SqlStore::WriteSchool(const School& school, bool exists) {
  // Not an upsert: its conflict target would differ between the engines
  // (the PostgreSQL key includes school_id). The write lock makes this safe.
  ASSIGN_OR_RETURN(Statement stmt,
                   db_->Prepare(exists ? "UPDATE school SET name = ?1, urn = ?2, la_code = ?3, "
                                         "phase = ?4, establishment_number = ?5, address = ?6, "
                                         "postcode = ?7 WHERE id = 1"
                                       : "INSERT INTO school (id, name, urn, la_code, phase, "
                                         "establishment_number, address, postcode) "
                                         "VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  stmt.Bind(1, school.name);
  stmt.Bind(2, school.urn);
  stmt.Bind(3, school.la_code);
  stmt.Bind(4, school.phase);
  stmt.Bind(5, school.establishment_number);
  stmt.Bind(6, school.address);
  stmt.Bind(7, school.postcode);
  return stmt.Run();
}

Status SqlStore::SetSchool(const School& school) {
  return Write([&]() -> Status {
    ASSIGN_OR_RETURN(bool exists, HasSchool());
    return WriteSchool(school, exists);
  });
}

Status SqlStore::CreateSchool(const NewSchool& n) {
  return Write([&]() -> Status {
    ASSIGN_OR_RETURN(bool exists, HasSchool());
    if (exists) {
      return core::Conflict(core::kErrSchoolExists,
                            "this database already has a school; set-up runs once");
    }
    RETURN_IF_ERROR(WriteSchool(n.school, false));
    RETURN_IF_ERROR(InsertSettings(n.settings).status());
    for (const Term& term : n.terms) RETURN_IF_ERROR(InsertTerm(term).status());
    for (const Closure& closure : n.closures) RETURN_IF_ERROR(WriteClosure(closure, false));
    std::vector<int64_t> user_ids;
    for (const User& user : n.users) {
      User plain = user;
      plain.class_ids.clear();
      plain.pupil_ids.clear();
      ASSIGN_OR_RETURN(int64_t id, InsertUser(plain));
      user_ids.push_back(id);
    }
    for (const Class& c : n.classes) {
      Class linked = c;
      linked.teacher_ids.clear();
      for (int64_t position : c.teacher_ids) {
        if (position < 0 || static_cast<size_t>(position) >= user_ids.size()) {
          return core::NotFound(core::kErrUserUnknown,
                                fmt::format("class {} names no new user {}", c.name, position));
        }
        linked.teacher_ids.push_back(user_ids[static_cast<size_t>(position)]);
      }
      RETURN_IF_ERROR(InsertClass(linked).status());
    }
    return core::OkStatus();
  });
}

StatusOr<Settings> SqlStore::GetSettings() {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_->Prepare("SELECT version, am_start_minute, pm_start_minute, register_close_minutes, "
                   "policy_json, target_attendance_pct, set_at, set_by, am_opens_before_minutes, "
                   "pm_opens_before_minutes, share_destination, share_minute, "
                   "session_idle_minutes, rewards_exclude_medical FROM settings ORDER BY version "
                   "DESC LIMIT 1"));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return core::NotFound(core::kErrSchoolUnset, "no settings have been saved");
  return ReadSettings(stmt);
}

StatusOr<int64_t> SqlStore::InsertSettings(const Settings& settings) {
  // version is the rowid: the next number, since versions are never deleted.
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_->Prepare("INSERT INTO settings (version, am_start_minute, pm_start_minute, "
                   "register_close_minutes, policy_json, target_attendance_pct, set_at, set_by, "
                   "am_opens_before_minutes, pm_opens_before_minutes, share_destination, "
                   "share_minute, session_idle_minutes, rewards_exclude_medical) VALUES ("
                   "(SELECT COALESCE(MAX(version), 0) + 1 FROM settings), "
                   "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) RETURNING version"));
  stmt.Bind(1, settings.am_start_minute);
  stmt.Bind(2, settings.pm_start_minute);
  stmt.Bind(3, settings.register_close_minutes);
  stmt.Bind(4, settings.policy_json);
  stmt.Bind(5, settings.target_attendance_pct);
  stmt.Bind(6, settings.set_at);
  stmt.Bind(7, settings.set_by);
  stmt.Bind(8, settings.am_opens_before_minutes);
  stmt.Bind(9, settings.pm_opens_before_minutes);
  stmt.Bind(10, settings.share_destination);
  stmt.Bind(11, settings.share_minute);
  stmt.Bind(12, settings.session_idle_minutes);
  stmt.Bind(13, settings.rewards_exclude_medical ? 1 : 0);
  return stmt.InsertReturningId();
}

StatusOr<int64_t> SqlStore::SaveSettings(const Settings& settings) {
  return Write([&] { return InsertSettings(settings); });
}

StatusOr<std::vector<Settings>> SqlStore::SettingsHistory() {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_->Prepare("SELECT version, am_start_minute, pm_start_minute, register_close_minutes, "
                   "policy_json, target_attendance_pct, set_at, set_by, am_opens_before_minutes, "
                   "pm_opens_before_minutes, share_destination, share_minute, "
                   "session_idle_minutes, rewards_exclude_medical FROM settings ORDER BY version"));
  std::vector<Settings> history;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return history;
    ASSIGN_OR_RETURN(Settings settings, ReadSettings(stmt));
    history.push_back(std::move(settings));
  }
}

// --- Calendar ------------------------------------------------------------------

StatusOr<std::vector<Term>> SqlStore::ListTerms() {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("SELECT id, name, start_date, end_date FROM terms "
                                                "ORDER BY start_date, id"));
  std::vector<Term> terms;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return terms;
    Term term;
    term.id = stmt.Int64(0);
    term.name = stmt.Text(1);
    ASSIGN_OR_RETURN(term.start, DateColumn(stmt, 2));
    ASSIGN_OR_RETURN(term.end, DateColumn(stmt, 3));
    terms.push_back(std::move(term));
  }
}

StatusOr<int64_t> SqlStore::InsertTerm(const Term& term) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("INSERT INTO terms (name, start_date, end_date) "
                                                "VALUES (?1, ?2, ?3) RETURNING id"));
  stmt.Bind(1, term.name);
  BindDate(stmt, 2, term.start);
  BindDate(stmt, 3, term.end);
  return stmt.InsertReturningId();
}

StatusOr<int64_t> SqlStore::AddTerm(const Term& term) {
  return Write([&] { return InsertTerm(term); });
}

StatusOr<std::vector<Closure>> SqlStore::ListClosures() {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Statement stmt,
                   db_->Prepare("SELECT date, sessions, reason FROM closures ORDER BY date"));
  std::vector<Closure> closures;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return closures;
    Closure closure;
    ASSIGN_OR_RETURN(closure.date, DateColumn(stmt, 0));
    const int64_t sessions = stmt.Int64(1);
    if (sessions < 1 || sessions > 3) return Corrupt(fmt::format("closure sessions {}", sessions));
    closure.sessions = static_cast<core::ClosureSessions>(sessions);
    closure.reason = stmt.Text(2);
    closures.push_back(std::move(closure));
  }
}

Status SqlStore::WriteClosure(const Closure& closure, bool exists) {
  ASSIGN_OR_RETURN(Statement stmt,
                   db_->Prepare(exists ? "UPDATE closures SET sessions = ?2, reason = ?3 "
                                         "WHERE date = ?1"
                                       : "INSERT INTO closures (date, sessions, reason) "
                                         "VALUES (?1, ?2, ?3)"));
  BindDate(stmt, 1, closure.date);
  stmt.Bind(2, static_cast<int>(closure.sessions));
  stmt.Bind(3, closure.reason);
  return stmt.Run();
}

Status SqlStore::SetClosure(const Closure& closure) {
  return Write([&]() -> Status {
    ASSIGN_OR_RETURN(Statement existing, db_->Prepare("SELECT 1 FROM closures WHERE date = ?1"));
    BindDate(existing, 1, closure.date);
    ASSIGN_OR_RETURN(bool exists, existing.Step());
    return WriteClosure(closure, exists);
  });
}

Status SqlStore::ReplaceCalendar(const std::vector<Term>& terms,
                                 const std::vector<Closure>& closures) {
  return Write([&]() -> Status {
    {
      ASSIGN_OR_RETURN(Statement clear, db_->Prepare("DELETE FROM terms"));
      RETURN_IF_ERROR(clear.Run());
    }
    {
      ASSIGN_OR_RETURN(Statement clear, db_->Prepare("DELETE FROM closures"));
      RETURN_IF_ERROR(clear.Run());
    }
    for (const Term& term : terms) RETURN_IF_ERROR(InsertTerm(term).status());
    // A second closure on one date replaces the first, as SetClosure would.
    std::set<core::Date> written;
    for (const Closure& closure : closures) {
      RETURN_IF_ERROR(WriteClosure(closure, !written.insert(closure.date).second));
    }
    return core::OkStatus();
  });
}

// --- Classes -------------------------------------------------------------------

StatusOr<std::vector<Class>> SqlStore::ListClasses() {
  return Read([&]() -> StatusOr<std::vector<Class>> {
    std::vector<Class> classes;
    std::unordered_map<int64_t, size_t> index;
    {
      ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("SELECT id, name, year_group FROM classes "
                                                    "ORDER BY name, id"));
      while (true) {
        ASSIGN_OR_RETURN(bool row, stmt.Step());
        if (!row) break;
        index[stmt.Int64(0)] = classes.size();
        classes.push_back(Class{stmt.Int64(0), stmt.Text(1), static_cast<int>(stmt.Int64(2)), {}});
      }
    }
    ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("SELECT class_id, user_id FROM class_teachers "
                                                  "ORDER BY class_id, user_id"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return classes;
      auto it = index.find(stmt.Int64(0));
      if (it != index.end()) classes[it->second].teacher_ids.push_back(stmt.Int64(1));
    }
  });
}

StatusOr<int64_t> SqlStore::InsertClass(const Class& c) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_->Prepare("INSERT INTO classes (name, year_group) VALUES (?1, ?2) RETURNING id"));
  stmt.Bind(1, c.name);
  stmt.Bind(2, c.year_group);
  ASSIGN_OR_RETURN(const int64_t id, stmt.InsertReturningId());
  for (int64_t user_id : c.teacher_ids) {
    RETURN_IF_ERROR(RequireUser(user_id));
    ASSIGN_OR_RETURN(Statement link, db_->Prepare("INSERT INTO class_teachers (class_id, user_id) "
                                                  "VALUES (?1, ?2) ON CONFLICT DO NOTHING"));
    link.Bind(1, id);
    link.Bind(2, user_id);
    RETURN_IF_ERROR(link.Run());
  }
  return id;
}

StatusOr<int64_t> SqlStore::AddClass(const Class& c) {
  return Write([&] { return InsertClass(c); });
}

Status SqlStore::SetClassTeachers(int64_t class_id, const std::vector<int64_t>& user_ids) {
  return Write([&]() -> Status {
    RETURN_IF_ERROR(RequireClass(class_id));
    {
      ASSIGN_OR_RETURN(Statement clear,
                       db_->Prepare("DELETE FROM class_teachers WHERE class_id = ?1"));
      clear.Bind(1, class_id);
      RETURN_IF_ERROR(clear.Run());
    }
    for (int64_t user_id : user_ids) {
      RETURN_IF_ERROR(RequireUser(user_id));
      ASSIGN_OR_RETURN(Statement link,
                       db_->Prepare("INSERT INTO class_teachers (class_id, user_id) "
                                    "VALUES (?1, ?2) ON CONFLICT DO NOTHING"));
      link.Bind(1, class_id);
      link.Bind(2, user_id);
      RETURN_IF_ERROR(link.Run());
    }
    return core::OkStatus();
  });
}

// --- Marks ---------------------------------------------------------------------

// The stored code and arrival minute of each mark that `writes` may replace:
// one SELECT per slot written, over the range of pupil ids written in it.
StatusOr<SqlStore::StoredMarks> SqlStore::LoadStoredMarks(const std::vector<MarkWrite>& writes) {
  std::map<std::pair<std::string, int>, std::pair<int64_t, int64_t>> ranges;  // slot: ids
  for (const MarkWrite& write : writes) {
    const auto slot =
        std::make_pair(write.slot.date.ToString(), static_cast<int>(write.slot.session));
    auto [it, added] = ranges.emplace(slot, std::make_pair(write.pupil_id, write.pupil_id));
    if (!added) {
      it->second.first = std::min(it->second.first, write.pupil_id);
      it->second.second = std::max(it->second.second, write.pupil_id);
    }
  }
  StoredMarks stored;
  for (const auto& [slot, ids] : ranges) {
    ASSIGN_OR_RETURN(
        Statement stmt,
        db_->Prepare("SELECT pupil_id, code, arrival_minute FROM marks "
                     "WHERE date = ?1 AND session = ?2 AND pupil_id BETWEEN ?3 AND ?4"));
    stmt.Bind(1, slot.first);
    stmt.Bind(2, slot.second);
    stmt.Bind(3, ids.first);
    stmt.Bind(4, ids.second);
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      stored[std::make_tuple(stmt.Int64(0), slot.first, slot.second)] = {stmt.Int64(1),
                                                                         stmt.OptionalInt64(2)};
    }
  }
  return stored;
}

// The ids of the pupils that exist among those `writes` names: one SELECT
// over the range of their ids.
StatusOr<std::unordered_set<int64_t>> SqlStore::LoadKnownPupils(
    const std::vector<MarkWrite>& writes) {
  std::unordered_set<int64_t> known;
  if (writes.empty()) return known;
  int64_t low = writes.front().pupil_id;
  int64_t high = low;
  for (const MarkWrite& write : writes) {
    low = std::min(low, write.pupil_id);
    high = std::max(high, write.pupil_id);
  }
  ASSIGN_OR_RETURN(Statement stmt,
                   db_->Prepare("SELECT id FROM pupils WHERE id BETWEEN ?1 AND ?2"));
  stmt.Bind(1, low);
  stmt.Bind(2, high);
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return known;
    known.insert(stmt.Int64(0));
  }
}

StatusOr<SaveMarksResult> SqlStore::SaveMarks(const std::vector<MarkWrite>& writes,
                                              const Actor& actor, int64_t at) {
  return Write([&]() -> StatusOr<SaveMarksResult> {
    SaveMarksResult result;
    // The marks already stored, and the pupils that exist, are read up front
    // in a few statements rather than one per mark: a register of 30 marks
    // is then a handful of round trips to PostgreSQL, the writes pipelined.
    ASSIGN_OR_RETURN(StoredMarks stored, LoadStoredMarks(writes));
    ASSIGN_OR_RETURN(std::unordered_set<int64_t> known_pupils, LoadKnownPupils(writes));
    for (const MarkWrite& write : writes) {
      const std::string date = write.slot.date.ToString();
      const int session = static_cast<int>(write.slot.session);
      const int code = static_cast<int>(write.code);
      std::optional<int64_t> old_code;
      std::optional<int64_t> old_arrival;
      const auto key = std::make_tuple(write.pupil_id, date, session);
      if (auto it = stored.find(key); it != stored.end()) {
        old_code = it->second.first;
        old_arrival = it->second.second;
      }
      std::optional<int64_t> new_arrival;
      if (write.arrival_minute) new_arrival = *write.arrival_minute;
      if (old_code == code && old_arrival == new_arrival) {
        ++result.unchanged;
        continue;
      }
      // Only a first recording can name a pupil the database lacks.
      if (!old_code && !known_pupils.contains(write.pupil_id)) {
        RETURN_IF_ERROR(RequirePupil(write.pupil_id));
        known_pupils.insert(write.pupil_id);
      }
      // A later write of the same slot in this call sees this one.
      stored[key] = {code, new_arrival};
      const Actor& who = write.actor ? *write.actor : actor;
      const int64_t when = write.at.value_or(at);
      {
        ASSIGN_OR_RETURN(
            Statement upsert,
            db_->Prepare(old_code ? "UPDATE marks SET code = ?4, arrival_minute = ?5, "
                                    "recorded_at = ?6, recorded_by = ?7 "
                                    "WHERE pupil_id = ?1 AND date = ?2 AND session = ?3"
                                  : "INSERT INTO marks (pupil_id, date, session, code, "
                                    "arrival_minute, recorded_at, recorded_by) "
                                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
        upsert.Bind(1, write.pupil_id);
        upsert.Bind(2, date);
        upsert.Bind(3, session);
        upsert.Bind(4, code);
        upsert.Bind(5, new_arrival);
        upsert.Bind(6, when);
        upsert.Bind(7, who.user_id);
        RETURN_IF_ERROR(upsert.Run());
      }
      ASSIGN_OR_RETURN(
          Statement audit,
          db_->Prepare("INSERT INTO mark_audit (pupil_id, date, session, old_code, "
                       "old_arrival_minute, new_code, new_arrival_minute, reason, at, by_user_id, "
                       "by_name, by_role) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                       "?12)"));
      audit.Bind(1, write.pupil_id);
      audit.Bind(2, date);
      audit.Bind(3, session);
      audit.Bind(4, old_code);
      audit.Bind(5, old_arrival);
      audit.Bind(6, code);
      audit.Bind(7, new_arrival);
      audit.Bind(8, write.reason);
      audit.Bind(9, when);
      audit.Bind(10, who.user_id);
      audit.Bind(11, who.name);
      audit.Bind(12, static_cast<int>(who.role));
      RETURN_IF_ERROR(audit.Run());
      ++result.changed;
    }
    return result;
  });
}

StatusOr<std::vector<Mark>> SqlStore::MarksForSession(core::SessionKey slot) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Statement stmt,
                   db_->Prepare("SELECT pupil_id, date, session, code, arrival_minute, "
                                "recorded_at, recorded_by FROM marks "
                                "WHERE date = ?1 AND session = ?2 ORDER BY pupil_id"));
  BindDate(stmt, 1, slot.date);
  stmt.Bind(2, static_cast<int>(slot.session));
  return ReadMarks(stmt);
}

StatusOr<std::vector<Mark>> SqlStore::MarksForPupil(int64_t pupil_id) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Statement stmt,
                   db_->Prepare("SELECT pupil_id, date, session, code, arrival_minute, "
                                "recorded_at, recorded_by FROM marks "
                                "WHERE pupil_id = ?1 ORDER BY date, session"));
  stmt.Bind(1, pupil_id);
  return ReadMarks(stmt);
}

StatusOr<std::vector<Mark>> SqlStore::AllMarks() {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Statement stmt,
                   db_->Prepare("SELECT pupil_id, date, session, code, arrival_minute, "
                                "recorded_at, recorded_by FROM marks "
                                "ORDER BY pupil_id, date, session"));
  return ReadMarks(stmt);
}

StatusOr<std::vector<Amendment>> SqlStore::AmendmentsForPupil(int64_t pupil_id) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Statement stmt,
                   db_->Prepare("SELECT id, pupil_id, date, session, old_code, old_arrival_minute, "
                                "new_code, new_arrival_minute, reason, at, by_user_id, by_name, "
                                "by_role FROM mark_audit WHERE pupil_id = ?1 ORDER BY id"));
  stmt.Bind(1, pupil_id);
  std::vector<Amendment> amendments;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return amendments;
    Amendment a;
    a.id = stmt.Int64(0);
    a.pupil_id = stmt.Int64(1);
    ASSIGN_OR_RETURN(a.slot.date, DateColumn(stmt, 2));
    ASSIGN_OR_RETURN(a.slot.session, SessionColumn(stmt, 3));
    if (!stmt.IsNull(4)) {
      ASSIGN_OR_RETURN(a.old_code, CodeColumn(stmt, 4));
    }
    a.old_arrival_minute = OptionalIntColumn(stmt, 5);
    ASSIGN_OR_RETURN(a.new_code, CodeColumn(stmt, 6));
    a.new_arrival_minute = OptionalIntColumn(stmt, 7);
    a.reason = stmt.Text(8);
    a.at = stmt.Int64(9);
    a.by_user_id = stmt.Int64(10);
    a.by_name = stmt.Text(11);
    ASSIGN_OR_RETURN(a.by_role, RoleColumn(stmt, 12));
    amendments.push_back(std::move(a));
  }
}

StatusOr<int64_t> SqlStore::CountAmendments() {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("SELECT COUNT(*) FROM mark_audit"));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return core::Internal(core::kErrDbError, "COUNT returned no row");
  return stmt.Int64(0);
}

StatusOr<std::optional<int64_t>> SqlStore::OutsideCommits() {
  std::lock_guard lock(mu_);
  return db_->OutsideCommits();
}

StatusOr<OutsideChanges> SqlStore::ChangesSince(const ChangeCursor& cursor) {
  std::lock_guard lock(mu_);
  OutsideChanges changes;
  changes.next = cursor;
  changes.next.read = true;
  if (!db_->FollowsChanges()) {
    ASSIGN_OR_RETURN(std::optional<int64_t> commits, db_->OutsideCommits());
    if (!commits) return changes;  // memory: no other connection
    changes.next.commits = *commits;
    changes.reload = !cursor.read || *commits != cursor.commits;
    return changes;
  }
  // One statement, so one snapshot (and, as a SELECT, run again on a new
  // connection if the old one was lost): the school's counter, the oldest
  // transaction running now (the next call's start) and the marks written
  // by any transaction at or after the last call's start. The LEFT JOIN
  // gives the first two on one row of NULL marks when none was written. A
  // default cursor reads no marks (the caller reads the whole school).
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_->Prepare("SELECT m.pupil_id, m.date, m.session, m.code, m.arrival_minute, "
                   "m.recorded_at, m.recorded_by, feed.xmin, feed.school_changes FROM (SELECT "
                   "CAST(CAST(pg_snapshot_xmin(pg_current_snapshot()) AS text) AS bigint) AS "
                   "xmin, COALESCE((SELECT version FROM school_changes WHERE school_id = "
                   "rollcall_school_id()), 0) AS school_changes) AS feed "
                   "LEFT JOIN marks m ON ?1 = 1 AND m.school_id = rollcall_school_id() "
                   "AND m.changed_xid >= CAST(CAST(?2 AS text) AS xid8)"));
  stmt.Bind(1, cursor.read ? 1 : 0);
  stmt.Bind(2, cursor.xmin);
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    changes.next.xmin = stmt.Int64(7);
    changes.next.school_changes = stmt.Int64(8);
    if (stmt.IsNull(0)) continue;
    ASSIGN_OR_RETURN(Mark mark, ReadMark(stmt));
    changes.marks.push_back(std::move(mark));
  }
  changes.reload = !cursor.read || changes.next.school_changes != cursor.school_changes;
  if (changes.reload) changes.marks.clear();
  return changes;
}

// --- Login sessions --------------------------------------------------------------

Status SqlStore::CreateAuthSession(const AuthSession& session) {
  return Write([&]() -> Status {
    RETURN_IF_ERROR(RequireUser(session.user_id));
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("INSERT INTO auth_sessions (token_hash, user_id, csrf_token, "
                                  "created_at, expires_at, last_seen_at) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
    stmt.Bind(1, session.token_hash);
    stmt.Bind(2, session.user_id);
    stmt.Bind(3, session.csrf_token);
    stmt.Bind(4, session.created_at);
    stmt.Bind(5, session.expires_at);
    stmt.Bind(6, session.last_seen_at);
    return stmt.Run();
  });
}

StatusOr<AuthSession> SqlStore::FindAuthSession(std::string_view token_hash) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Statement stmt,
                   db_->Prepare("SELECT token_hash, user_id, csrf_token, created_at, expires_at, "
                                "last_seen_at FROM auth_sessions WHERE token_hash = ?1"));
  stmt.Bind(1, token_hash);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return core::NotFound(core::kErrSessionUnknown, "no such login session");
  return AuthSession{stmt.Text(0),  stmt.Int64(1), stmt.Text(2),
                     stmt.Int64(3), stmt.Int64(4), stmt.Int64(5)};
}

Status SqlStore::DeleteAuthSession(std::string_view token_hash) {
  return Write([&]() -> Status {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("DELETE FROM auth_sessions WHERE token_hash = ?1"));
    stmt.Bind(1, token_hash);
    return stmt.Run();
  });
}

Status SqlStore::TouchAuthSession(std::string_view token_hash, int64_t seen_at) {
  return Write([&]() -> Status {
    // Never backwards: two requests of one session may touch it out of order.
    ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("UPDATE auth_sessions SET last_seen_at = ?2 "
                                                  "WHERE token_hash = ?1 AND last_seen_at < ?2"));
    stmt.Bind(1, token_hash);
    stmt.Bind(2, seen_at);
    return stmt.Run();
  });
}

Status SqlStore::DeleteAuthSessionsOf(int64_t user_id) {
  return Write([&] { return EndAuthSessionsOf(user_id); });
}

Status SqlStore::EndAuthSessionsOf(int64_t user_id) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("DELETE FROM auth_sessions WHERE user_id = ?1"));
  stmt.Bind(1, user_id);
  return stmt.Run();
}

Status SqlStore::SetPassword(int64_t user_id, std::string_view password_hash) {
  return Write([&]() -> Status {
    RETURN_IF_ERROR(RequireUser(user_id));
    {
      ASSIGN_OR_RETURN(Statement stmt,
                       db_->Prepare("UPDATE users SET password_hash = ?1 WHERE id = ?2"));
      stmt.Bind(1, password_hash);
      stmt.Bind(2, user_id);
      RETURN_IF_ERROR(stmt.Run());
    }
    return EndAuthSessionsOf(user_id);
  });
}

// --- Links to set a password -------------------------------------------------------

namespace {

constexpr char kInviteColumns[] =
    "SELECT id, user_id, token_hash, created_at, expires_at, created_by, used_at, ended_at "
    "FROM invites ";

Invite ReadInvite(const Statement& stmt) {
  return Invite{stmt.Int64(0), stmt.Int64(1), stmt.Text(2),          stmt.Int64(3),
                stmt.Int64(4), stmt.Text(5),  stmt.OptionalInt64(6), stmt.OptionalInt64(7)};
}

}  // namespace

StatusOr<int64_t> SqlStore::AddInvite(const Invite& invite, const std::optional<User>& new_user) {
  return Write([&]() -> StatusOr<int64_t> {
    int64_t user_id = invite.user_id;
    if (new_user) {
      ASSIGN_OR_RETURN(user_id, InsertUser(*new_user));
    } else {
      RETURN_IF_ERROR(RequireUser(user_id));
    }
    {
      ASSIGN_OR_RETURN(Statement stmt,
                       db_->Prepare("UPDATE invites SET ended_at = ?1 "
                                    "WHERE user_id = ?2 AND used_at IS NULL AND ended_at IS NULL"));
      stmt.Bind(1, invite.created_at);
      stmt.Bind(2, user_id);
      RETURN_IF_ERROR(stmt.Run());
    }
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("INSERT INTO invites (user_id, token_hash, created_at, "
                                  "expires_at, created_by) VALUES (?1, ?2, ?3, ?4, ?5)"));
    stmt.Bind(1, user_id);
    stmt.Bind(2, invite.token_hash);
    stmt.Bind(3, invite.created_at);
    stmt.Bind(4, invite.expires_at);
    stmt.Bind(5, invite.created_by);
    RETURN_IF_ERROR(stmt.Run());
    return user_id;
  });
}

StatusOr<Invite> SqlStore::FindInvite(std::string_view token_hash) {
  return Read([&]() -> StatusOr<Invite> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare(std::string(kInviteColumns) + "WHERE token_hash = ?1"));
    stmt.Bind(1, token_hash);
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return core::NotFound(core::kErrInviteUnknown, "no such link");
    return ReadInvite(stmt);
  });
}

Status SqlStore::UseInvite(std::string_view token_hash, std::string_view password_hash,
                           int64_t at) {
  return Write([&]() -> Status {
    Invite invite;
    {
      ASSIGN_OR_RETURN(Statement stmt,
                       db_->Prepare(std::string(kInviteColumns) + "WHERE token_hash = ?1"));
      stmt.Bind(1, token_hash);
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return core::NotFound(core::kErrInviteUnknown, "no such link");
      invite = ReadInvite(stmt);
    }
    bool active = false;
    {
      ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("SELECT active FROM users WHERE id = ?1"));
      stmt.Bind(1, invite.user_id);
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      active = row && stmt.Int64(0) == 1;
    }
    if (invite.used_at || invite.ended_at || at >= invite.expires_at || !active) {
      return core::Conflict(core::kErrInviteEnded,
                            "this link has been used, replaced or has expired");
    }
    {
      ASSIGN_OR_RETURN(Statement stmt,
                       db_->Prepare("UPDATE invites SET used_at = ?1 WHERE id = ?2"));
      stmt.Bind(1, at);
      stmt.Bind(2, invite.id);
      RETURN_IF_ERROR(stmt.Run());
    }
    {
      ASSIGN_OR_RETURN(Statement stmt,
                       db_->Prepare("UPDATE users SET password_hash = ?1 WHERE id = ?2"));
      stmt.Bind(1, password_hash);
      stmt.Bind(2, invite.user_id);
      RETURN_IF_ERROR(stmt.Run());
    }
    return EndAuthSessionsOf(invite.user_id);
  });
}

Status SqlStore::SetUserActive(int64_t user_id, bool active, int64_t at) {
  return Write([&]() -> Status {
    RETURN_IF_ERROR(RequireUser(user_id));
    {
      ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("UPDATE users SET active = ?1 WHERE id = ?2"));
      stmt.Bind(1, int64_t{active ? 1 : 0});
      stmt.Bind(2, user_id);
      RETURN_IF_ERROR(stmt.Run());
    }
    if (active) return core::OkStatus();
    {
      ASSIGN_OR_RETURN(Statement stmt,
                       db_->Prepare("UPDATE invites SET ended_at = ?1 "
                                    "WHERE user_id = ?2 AND used_at IS NULL AND ended_at IS NULL"));
      stmt.Bind(1, at);
      stmt.Bind(2, user_id);
      RETURN_IF_ERROR(stmt.Run());
    }
    return EndAuthSessionsOf(user_id);
  });
}

Status SqlStore::DeleteExpiredAuthSessions(int64_t now) {
  return Write([&]() -> Status {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("DELETE FROM auth_sessions WHERE expires_at <= ?1"));
    stmt.Bind(1, now);
    return stmt.Run();
  });
}

}  // namespace rollcall::store::sql
