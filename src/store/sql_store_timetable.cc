// sql_store_timetable.cc: a secondary school's timetable: periods,
// teaching groups with their teachers and pupils, and lessons (lessons.h).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <unordered_set>
#include <vector>

#include "core/error_codes.h"
#include "store/sql_store.h"

namespace rollcall::store::sql {
namespace {

using core::Status;
using core::StatusOr;

Status Invalid(const std::string& message) {
  return core::InvalidArgument(core::kErrTimetableInvalid, message);
}

std::string Clock(int minute) { return fmt::format("{:02}:{:02}", minute / 60, minute % 60); }

// The name of cycle day `day` (1..10) as the timetable's files write it.
std::string DayName(int day, int cycle_weeks) {
  static constexpr const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri"};
  const std::string name = kDays[(day - 1) % 5];
  if (cycle_weeks == 1) return name;
  return name + (day <= 5 ? " A" : " B");
}

}  // namespace

// --- The timetable -------------------------------------------------------------

StatusOr<Timetable> SqlStore::LoadTimetable() {
  Timetable t;
  {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("SELECT cycle_weeks, week1_monday, source, set_at, set_by "
                                  "FROM timetable_settings ORDER BY id DESC LIMIT 1"));
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (row) {
      t.cycle_weeks = static_cast<int>(stmt.Int64(0));
      ASSIGN_OR_RETURN(t.week1_monday, DateColumn(stmt, 1));
      const int64_t source = stmt.Int64(2);
      if (source != 1 && source != 2) {
        return core::Internal(core::kErrDbBadValue,
                              fmt::format("stored timetable source {} names none", source));
      }
      t.source = static_cast<core::StatutorySource>(source);
      t.set_at = stmt.Int64(3);
      t.set_by = stmt.Text(4);
    }
  }
  {
    ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("SELECT id, name, start_minute, end_minute, "
                                                  "session, registration, retired FROM periods "
                                                  "ORDER BY start_minute, id"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      Period p;
      p.id = stmt.Int64(0);
      p.name = stmt.Text(1);
      p.start_minute = static_cast<int>(stmt.Int64(2));
      p.end_minute = static_cast<int>(stmt.Int64(3));
      ASSIGN_OR_RETURN(p.session, SessionColumn(stmt, 4));
      p.registration = stmt.Int64(5) != 0;
      p.retired = stmt.Int64(6) != 0;
      t.periods.push_back(std::move(p));
    }
  }
  std::map<int64_t, size_t> group_index;
  {
    ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("SELECT id, code, subject, retired "
                                                  "FROM teaching_groups ORDER BY code"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      TeachingGroup g;
      g.id = stmt.Int64(0);
      g.code = stmt.Text(1);
      g.subject = stmt.Text(2);
      g.retired = stmt.Int64(3) != 0;
      group_index[g.id] = t.groups.size();
      t.groups.push_back(std::move(g));
    }
  }
  for (const bool teachers : {true, false}) {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare(teachers ? "SELECT group_id, user_id FROM group_teachers "
                                             "ORDER BY group_id, user_id"
                                           : "SELECT group_id, pupil_id FROM group_members "
                                             "ORDER BY group_id, pupil_id"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      auto it = group_index.find(stmt.Int64(0));
      if (it == group_index.end()) continue;  // a foreign key makes this impossible
      TeachingGroup& g = t.groups[it->second];
      (teachers ? g.teacher_ids : g.pupil_ids).push_back(stmt.Int64(1));
    }
  }
  {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("SELECT l.group_id, l.cycle_day, l.period_id, l.room FROM "
                                  "lessons l JOIN periods p ON p.id = l.period_id "
                                  "ORDER BY l.cycle_day, p.start_minute, l.group_id"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      t.lessons.push_back({.group_id = stmt.Int64(0),
                           .cycle_day = static_cast<int>(stmt.Int64(1)),
                           .period_id = stmt.Int64(2),
                           .room = stmt.Text(3)});
    }
  }
  return t;
}

StatusOr<Timetable> SqlStore::GetTimetable() {
  return Read([&] { return LoadTimetable(); });
}

// Every refusal of lessons.h, before anything is written. The users and
// pupils named are looked up inside the caller's transaction.
Status SqlStore::CheckTimetable(const Timetable& t) {
  if (t.cycle_weeks != 1 && t.cycle_weeks != 2) {
    return Invalid(fmt::format("a timetable's cycle is 1 or 2 weeks, not {}", t.cycle_weeks));
  }
  if (t.week1_monday.weekday() != core::Weekday::kMonday) {
    return Invalid(
        fmt::format("week 1 must start on a Monday; {} is not one", t.week1_monday.ToString()));
  }
  if (t.source != core::StatutorySource::kRegistration &&
      t.source != core::StatutorySource::kFirstLesson) {
    return Invalid("the statutory marks come from the registration period or the first lesson");
  }
  std::set<std::string> names;
  for (const Period& p : t.periods) {
    if (p.name.empty() || p.name.size() > 40) {
      return Invalid(fmt::format("a period's name is 1 to 40 characters: '{}'", p.name));
    }
    if (!names.insert(p.name).second) {
      return Invalid(fmt::format("period {} is listed twice", p.name));
    }
    if (p.start_minute < 0 || p.end_minute > 24 * 60 || p.end_minute <= p.start_minute) {
      return Invalid(fmt::format("period {} ends ({}) before it starts ({})", p.name,
                                 Clock(p.end_minute), Clock(p.start_minute)));
    }
  }
  std::vector<const Period*> by_start;
  for (const Period& p : t.periods) by_start.push_back(&p);
  std::sort(by_start.begin(), by_start.end(),
            [](const Period* a, const Period* b) { return a->start_minute < b->start_minute; });
  for (size_t i = 1; i < by_start.size(); ++i) {
    if (by_start[i]->start_minute < by_start[i - 1]->end_minute) {
      return Invalid(fmt::format("periods {} ({}-{}) and {} ({}-{}) overlap", by_start[i - 1]->name,
                                 Clock(by_start[i - 1]->start_minute),
                                 Clock(by_start[i - 1]->end_minute), by_start[i]->name,
                                 Clock(by_start[i]->start_minute), Clock(by_start[i]->end_minute)));
    }
  }
  std::set<std::string> codes;
  std::set<int64_t> users, pupils;
  for (const TeachingGroup& g : t.groups) {
    if (g.code.empty() || g.code.size() > 40) {
      return Invalid(fmt::format("a group's code is 1 to 40 characters: '{}'", g.code));
    }
    if (!codes.insert(g.code).second) {
      return Invalid(fmt::format("group {} is listed twice", g.code));
    }
    users.insert(g.teacher_ids.begin(), g.teacher_ids.end());
    pupils.insert(g.pupil_ids.begin(), g.pupil_ids.end());
  }
  const int days = 5 * t.cycle_weeks;
  std::set<std::tuple<size_t, int, size_t>> slots;             // group, day, period
  std::map<std::pair<int, size_t>, std::vector<size_t>> meet;  // (day, period): groups
  for (const Lesson& l : t.lessons) {
    if (l.group_id < 0 || static_cast<size_t>(l.group_id) >= t.groups.size() || l.period_id < 0 ||
        static_cast<size_t>(l.period_id) >= t.periods.size()) {
      return Invalid("a lesson names a group or period the timetable does not have");
    }
    const size_t group = static_cast<size_t>(l.group_id);
    const size_t period = static_cast<size_t>(l.period_id);
    if (l.cycle_day < 1 || l.cycle_day > days) {
      return Invalid(fmt::format("group {} meets on day {} of a {}-day cycle", t.groups[group].code,
                                 l.cycle_day, days));
    }
    if (!slots.insert({group, l.cycle_day, period}).second) {
      return Invalid(fmt::format("group {} meets twice on {} in {}", t.groups[group].code,
                                 DayName(l.cycle_day, t.cycle_weeks), t.periods[period].name));
    }
    meet[{l.cycle_day, period}].push_back(group);
  }
  for (const auto& [slot, groups] : meet) {
    if (groups.size() < 2) continue;
    std::map<int64_t, size_t> seen;  // pupil: group
    for (size_t group : groups) {
      for (int64_t pupil : t.groups[group].pupil_ids) {
        auto [it, added] = seen.emplace(pupil, group);
        if (!added && it->second != group) {
          return Invalid(fmt::format("pupil {} is in groups {} and {}, which both meet on {} in {}",
                                     pupil, t.groups[it->second].code, t.groups[group].code,
                                     DayName(slot.first, t.cycle_weeks),
                                     t.periods[slot.second].name));
        }
      }
    }
  }
  for (int64_t user : users) {
    Status s = RequireUser(user);
    if (!s.ok()) {
      if (s.kind() != core::ErrorKind::kNotFound) return s;
      return Invalid(
          fmt::format("a group's teacher, account {}, is not one of the school's", user));
    }
  }
  for (int64_t pupil : pupils) {
    Status s = RequirePupil(pupil);
    if (!s.ok()) {
      if (s.kind() != core::ErrorKind::kNotFound) return s;
      return Invalid(fmt::format("a group's pupil, id {}, is not one of the school's", pupil));
    }
  }
  return core::OkStatus();
}

Status SqlStore::SetTimetable(const Timetable& t, const Actor& by, int64_t at) {
  return Write([&]() -> Status {
    RETURN_IF_ERROR(CheckTimetable(t));
    ASSIGN_OR_RETURN(Timetable stored, LoadTimetable());
    // Lessons and memberships are replaced whole; periods and groups keep
    // their rows (and ids) by name and code.
    for (const char* sql :
         {"DELETE FROM lessons", "DELETE FROM group_teachers", "DELETE FROM group_members"}) {
      ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(sql));
      RETURN_IF_ERROR(stmt.Run());
    }
    std::map<std::string, int64_t> period_ids, group_ids;
    for (const Period& p : stored.periods) period_ids[p.name] = p.id;
    for (const TeachingGroup& g : stored.groups) group_ids[g.code] = g.id;

    std::vector<int64_t> period_at;  // position in t.periods: id
    std::set<int64_t> kept_periods, kept_groups;
    for (const Period& p : t.periods) {
      auto it = period_ids.find(p.name);
      const bool exists = it != period_ids.end();
      ASSIGN_OR_RETURN(
          Statement stmt,
          db_->Prepare(exists ? "UPDATE periods SET start_minute = ?2, end_minute = ?3, "
                                "session = ?4, registration = ?5, retired = 0 WHERE id = ?1"
                              : "INSERT INTO periods (name, start_minute, end_minute, session, "
                                "registration, retired) VALUES (?1, ?2, ?3, ?4, ?5, 0) "
                                "RETURNING id"));
      if (exists) {
        stmt.Bind(1, it->second);
      } else {
        stmt.Bind(1, std::string_view(p.name));
      }
      stmt.Bind(2, p.start_minute);
      stmt.Bind(3, p.end_minute);
      stmt.Bind(4, static_cast<int>(p.session));
      stmt.Bind(5, p.registration ? 1 : 0);
      if (exists) {
        RETURN_IF_ERROR(stmt.Run());
        period_at.push_back(it->second);
      } else {
        ASSIGN_OR_RETURN(int64_t id, stmt.InsertReturningId());
        period_at.push_back(id);
      }
      kept_periods.insert(period_at.back());
    }
    std::vector<int64_t> group_at;
    for (const TeachingGroup& g : t.groups) {
      auto it = group_ids.find(g.code);
      const bool exists = it != group_ids.end();
      ASSIGN_OR_RETURN(Statement stmt,
                       db_->Prepare(exists ? "UPDATE teaching_groups SET subject = ?2, "
                                             "retired = 0 WHERE id = ?1"
                                           : "INSERT INTO teaching_groups (code, subject, "
                                             "retired) VALUES (?1, ?2, 0) RETURNING id"));
      if (exists) {
        stmt.Bind(1, it->second);
      } else {
        stmt.Bind(1, std::string_view(g.code));
      }
      stmt.Bind(2, std::string_view(g.subject));
      int64_t id = 0;
      if (exists) {
        RETURN_IF_ERROR(stmt.Run());
        id = it->second;
      } else {
        ASSIGN_OR_RETURN(id, stmt.InsertReturningId());
      }
      group_at.push_back(id);
      kept_groups.insert(id);
      for (const bool teachers : {true, false}) {
        std::set<int64_t> ids = teachers
                                    ? std::set<int64_t>(g.teacher_ids.begin(), g.teacher_ids.end())
                                    : std::set<int64_t>(g.pupil_ids.begin(), g.pupil_ids.end());
        for (int64_t member : ids) {
          ASSIGN_OR_RETURN(Statement link,
                           db_->Prepare(teachers ? "INSERT INTO group_teachers (group_id, user_id) "
                                                   "VALUES (?1, ?2)"
                                                 : "INSERT INTO group_members (group_id, pupil_id) "
                                                   "VALUES (?1, ?2)"));
          link.Bind(1, id);
          link.Bind(2, member);
          RETURN_IF_ERROR(link.Run());
        }
      }
    }
    for (const Lesson& l : t.lessons) {
      ASSIGN_OR_RETURN(Statement stmt,
                       db_->Prepare("INSERT INTO lessons (group_id, cycle_day, period_id, room) "
                                    "VALUES (?1, ?2, ?3, ?4)"));
      stmt.Bind(1, group_at[static_cast<size_t>(l.group_id)]);
      stmt.Bind(2, l.cycle_day);
      stmt.Bind(3, period_at[static_cast<size_t>(l.period_id)]);
      stmt.Bind(4, std::string_view(l.room));
      RETURN_IF_ERROR(stmt.Run());
    }
    // Left out: deleted, unless a lesson mark names it (its audit rows,
    // which are never deleted, say so); then retired, so the marks still say
    // where the pupil was.
    auto drop = [&](int64_t id, const char* used_sql, const char* retire_sql,
                    const char* delete_sql) -> Status {
      ASSIGN_OR_RETURN(Statement used, db_->Prepare(used_sql));
      used.Bind(1, id);
      ASSIGN_OR_RETURN(bool has_marks, used.Step());
      ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(has_marks ? retire_sql : delete_sql));
      stmt.Bind(1, id);
      return stmt.Run();
    };
    for (const Period& p : stored.periods) {
      if (kept_periods.contains(p.id)) continue;
      RETURN_IF_ERROR(drop(p.id, "SELECT 1 FROM lesson_mark_audit WHERE period_id = ?1 LIMIT 1",
                           "UPDATE periods SET retired = 1 WHERE id = ?1",
                           "DELETE FROM periods WHERE id = ?1"));
    }
    for (const TeachingGroup& g : stored.groups) {
      if (kept_groups.contains(g.id)) continue;
      RETURN_IF_ERROR(drop(g.id, "SELECT 1 FROM lesson_mark_audit WHERE group_id = ?1 LIMIT 1",
                           "UPDATE teaching_groups SET retired = 1 WHERE id = ?1",
                           "DELETE FROM teaching_groups WHERE id = ?1"));
    }
    ASSIGN_OR_RETURN(Statement settings,
                     db_->Prepare("INSERT INTO timetable_settings (cycle_weeks, week1_monday, "
                                  "source, set_at, set_by) VALUES (?1, ?2, ?3, ?4, ?5)"));
    settings.Bind(1, t.cycle_weeks);
    BindDate(settings, 2, t.week1_monday);
    settings.Bind(3, static_cast<int>(t.source));
    settings.Bind(4, at);
    settings.Bind(5, std::string_view(by.name));
    return settings.Run();
  });
}

}  // namespace rollcall::store::sql
