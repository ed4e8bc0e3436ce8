// sql_store_lessons.cc: lesson marks and their audit trail (lessons.h);
// the timetable they are taken in is sql_store_timetable.cc's.
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

constexpr char kLessonMarkColumns[] =
    "SELECT m.pupil_id, m.date, m.period_id, m.group_id, m.code, m.arrival_minute, "
    "m.recorded_at, m.recorded_by FROM lesson_marks m JOIN periods p ON p.id = m.period_id ";

StatusOr<std::vector<LessonMark>> ReadLessonMarks(Statement& stmt) {
  std::vector<LessonMark> marks;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return marks;
    LessonMark m;
    m.pupil_id = stmt.Int64(0);
    ASSIGN_OR_RETURN(m.date, DateColumn(stmt, 1));
    m.period_id = stmt.Int64(2);
    m.group_id = stmt.Int64(3);
    ASSIGN_OR_RETURN(m.code, CodeColumn(stmt, 4));
    m.arrival_minute = OptionalIntColumn(stmt, 5);
    m.recorded_at = stmt.Int64(6);
    m.recorded_by = stmt.Int64(7);
    marks.push_back(m);
  }
}

}  // namespace

// --- Lesson marks ----------------------------------------------------------------

StatusOr<SaveMarksResult> SqlStore::SaveLessonMarks(const std::vector<LessonMarkWrite>& writes,
                                                    const Actor& by, int64_t at) {
  return Write([&]() -> StatusOr<SaveMarksResult> {
    SaveMarksResult result;
    // The marks stored for each (date, period) written, read in one
    // statement each, and the periods, groups and pupils checked once each.
    using Key = std::tuple<int64_t, std::string, int64_t>;  // pupil, date, period
    struct Stored {
      int64_t code;
      std::optional<int64_t> arrival;
      int64_t group_id;
    };
    std::map<Key, Stored> stored;
    // The range of pupil ids written in each (date, period): one SELECT
    // each, which for one lesson's register reads only its own marks.
    std::map<std::pair<std::string, int64_t>, std::pair<int64_t, int64_t>> ranges;
    std::unordered_set<int64_t> known_periods, known_groups, known_pupils;
    for (const LessonMarkWrite& w : writes) {
      if (!known_periods.contains(w.period_id)) {
        RETURN_IF_ERROR(RequireRow("SELECT 1 FROM periods WHERE id = ?1", w.period_id,
                                   core::kErrPeriodUnknown, "period"));
        known_periods.insert(w.period_id);
      }
      if (!known_groups.contains(w.group_id)) {
        RETURN_IF_ERROR(RequireRow("SELECT 1 FROM teaching_groups WHERE id = ?1", w.group_id,
                                   core::kErrGroupUnknown, "teaching group"));
        known_groups.insert(w.group_id);
      }
      auto [it, added] = ranges.emplace(std::make_pair(w.date.ToString(), w.period_id),
                                        std::make_pair(w.pupil_id, w.pupil_id));
      if (!added) {
        it->second.first = std::min(it->second.first, w.pupil_id);
        it->second.second = std::max(it->second.second, w.pupil_id);
      }
    }
    for (const auto& [slot, ids] : ranges) {
      ASSIGN_OR_RETURN(Statement stmt,
                       db_->Prepare("SELECT pupil_id, code, arrival_minute, group_id "
                                    "FROM lesson_marks WHERE date = ?1 AND period_id = ?2 "
                                    "AND pupil_id BETWEEN ?3 AND ?4"));
      stmt.Bind(1, std::string_view(slot.first));
      stmt.Bind(2, slot.second);
      stmt.Bind(3, ids.first);
      stmt.Bind(4, ids.second);
      while (true) {
        ASSIGN_OR_RETURN(bool row, stmt.Step());
        if (!row) break;
        stored[{stmt.Int64(0), slot.first, slot.second}] = {stmt.Int64(1), stmt.OptionalInt64(2),
                                                            stmt.Int64(3)};
      }
    }
    for (const LessonMarkWrite& w : writes) {
      const std::string date = w.date.ToString();
      const int code = static_cast<int>(w.code);
      std::optional<int64_t> arrival;
      if (w.arrival_minute) arrival = *w.arrival_minute;
      const Key key{w.pupil_id, date, w.period_id};
      std::optional<int64_t> old_code, old_arrival;
      if (auto it = stored.find(key); it != stored.end()) {
        if (it->second.code == code && it->second.arrival == arrival &&
            it->second.group_id == w.group_id) {
          ++result.unchanged;
          continue;
        }
        if (!w.reason_given) {
          return core::InvalidArgument(
              core::kErrReasonRequired,
              fmt::format("this lesson is already marked {}: give a reason for the change",
                          core::SymbolOf(static_cast<core::AttendanceCode>(it->second.code))));
        }
        old_code = it->second.code;
        old_arrival = it->second.arrival;
      } else if (!known_pupils.contains(w.pupil_id)) {
        RETURN_IF_ERROR(RequirePupil(w.pupil_id));
        known_pupils.insert(w.pupil_id);
      }
      stored[key] = {code, arrival, w.group_id};  // a later write of the slot sees this one
      {
        ASSIGN_OR_RETURN(
            Statement upsert,
            db_->Prepare(old_code ? "UPDATE lesson_marks SET group_id = ?4, code = ?5, "
                                    "arrival_minute = ?6, recorded_at = ?7, recorded_by = ?8 "
                                    "WHERE pupil_id = ?1 AND date = ?2 AND period_id = ?3"
                                  : "INSERT INTO lesson_marks (pupil_id, date, period_id, "
                                    "group_id, code, arrival_minute, recorded_at, recorded_by) "
                                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
        upsert.Bind(1, w.pupil_id);
        upsert.Bind(2, std::string_view(date));
        upsert.Bind(3, w.period_id);
        upsert.Bind(4, w.group_id);
        upsert.Bind(5, code);
        upsert.Bind(6, arrival);
        upsert.Bind(7, at);
        upsert.Bind(8, by.user_id);
        RETURN_IF_ERROR(upsert.Run());
      }
      ASSIGN_OR_RETURN(
          Statement audit,
          db_->Prepare("INSERT INTO lesson_mark_audit (pupil_id, date, period_id, group_id, "
                       "old_code, old_arrival_minute, new_code, new_arrival_minute, reason, at, "
                       "by_user_id, by_name, by_role) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                       "?9, ?10, ?11, ?12, ?13)"));
      audit.Bind(1, w.pupil_id);
      audit.Bind(2, std::string_view(date));
      audit.Bind(3, w.period_id);
      audit.Bind(4, w.group_id);
      audit.Bind(5, old_code);
      audit.Bind(6, old_arrival);
      audit.Bind(7, code);
      audit.Bind(8, arrival);
      audit.Bind(9, std::string_view(w.reason));
      audit.Bind(10, at);
      audit.Bind(11, by.user_id);
      audit.Bind(12, std::string_view(by.name));
      audit.Bind(13, static_cast<int>(by.role));
      RETURN_IF_ERROR(audit.Run());
      ++result.changed;
    }
    return result;
  });
}

StatusOr<std::vector<LessonMark>> SqlStore::LessonMarksBetween(core::Date from, core::Date to) {
  return Read([&]() -> StatusOr<std::vector<LessonMark>> {
    ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(std::string(kLessonMarkColumns) +
                                                  "WHERE m.date BETWEEN ?1 AND ?2 "
                                                  "ORDER BY m.date, p.start_minute, m.pupil_id"));
    BindDate(stmt, 1, from);
    BindDate(stmt, 2, to);
    return ReadLessonMarks(stmt);
  });
}

StatusOr<std::vector<LessonMark>> SqlStore::LessonMarksInPeriod(core::Date date,
                                                                int64_t period_id) {
  return Read([&]() -> StatusOr<std::vector<LessonMark>> {
    ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(std::string(kLessonMarkColumns) +
                                                  "WHERE m.date = ?1 AND m.period_id = ?2 "
                                                  "ORDER BY m.pupil_id"));
    BindDate(stmt, 1, date);
    stmt.Bind(2, period_id);
    return ReadLessonMarks(stmt);
  });
}

StatusOr<std::vector<LessonMark>> SqlStore::LessonMarksOf(int64_t pupil_id, core::Date from,
                                                          core::Date to) {
  return Read([&]() -> StatusOr<std::vector<LessonMark>> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare(std::string(kLessonMarkColumns) +
                                  "WHERE m.pupil_id = ?1 AND m.date BETWEEN ?2 AND ?3 "
                                  "ORDER BY m.date, p.start_minute"));
    stmt.Bind(1, pupil_id);
    BindDate(stmt, 2, from);
    BindDate(stmt, 3, to);
    return ReadLessonMarks(stmt);
  });
}

StatusOr<std::vector<LessonAmendment>> SqlStore::LessonAmendmentsOf(int64_t pupil_id) {
  return Read([&]() -> StatusOr<std::vector<LessonAmendment>> {
    ASSIGN_OR_RETURN(
        Statement stmt,
        db_->Prepare("SELECT id, pupil_id, date, period_id, group_id, old_code, new_code, "
                     "new_arrival_minute, reason, at, by_user_id, by_name, by_role "
                     "FROM lesson_mark_audit WHERE pupil_id = ?1 ORDER BY id"));
    stmt.Bind(1, pupil_id);
    std::vector<LessonAmendment> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return out;
      LessonAmendment a;
      a.id = stmt.Int64(0);
      a.pupil_id = stmt.Int64(1);
      ASSIGN_OR_RETURN(a.date, DateColumn(stmt, 2));
      a.period_id = stmt.Int64(3);
      a.group_id = stmt.Int64(4);
      if (!stmt.IsNull(5)) {
        ASSIGN_OR_RETURN(a.old_code, CodeColumn(stmt, 5));
      }
      ASSIGN_OR_RETURN(a.new_code, CodeColumn(stmt, 6));
      a.new_arrival_minute = OptionalIntColumn(stmt, 7);
      a.reason = stmt.Text(8);
      a.at = stmt.Int64(9);
      a.by_user_id = stmt.Int64(10);
      a.by_name = stmt.Text(11);
      ASSIGN_OR_RETURN(a.by_role, RoleColumn(stmt, 12));
      out.push_back(std::move(a));
    }
  });
}

}  // namespace rollcall::store::sql
