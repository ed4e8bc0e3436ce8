// lessons_import.cc: replacing the timetable from the four CSV files of the
// school's timetabling program (lessons.h, docs/lessons.md). Every problem
// of every file is collected with its file and line; the store is asked to
// write only when there are none, and then writes all of it or nothing.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/error_codes.h"
#include "io/csv_reader.h"
#include "service/fields.h"
#include "service/lessons.h"
#include "service/records.h"

namespace rollcall::service {
namespace {

constexpr char kPeriodsFile[] = "periods.csv";
constexpr char kGroupsFile[] = "groups.csv";
constexpr char kMembersFile[] = "members.csv";
constexpr char kLessonsFile[] = "lessons.csv";

// Reads one file whose header must name exactly `columns` (in any order,
// any case), calling `row(line, fields)` with the fields in the order of
// `columns`. Problems go to `errors`.
template <typename Row>
void ReadFile(const std::string& text, const char* file, const std::vector<std::string>& columns,
              io::CsvErrors& errors, Row row) {
  if (io::Trim(text).empty()) {
    errors.AddFile(file, "the file is empty: it needs a header line naming " +
                             fmt::format("{}", fmt::join(columns, ",")));
    return;
  }
  io::CsvReader reader(text, file);
  core::StatusOr<std::vector<std::string>> head = reader.Header();
  if (!head.ok()) {
    std::string message = head.status().message();
    if (message.starts_with("line 1: ")) message.erase(0, 8);
    errors.Add(file, 1, std::move(message));
    return;
  }
  std::vector<size_t> at(columns.size(), head->size());
  for (size_t i = 0; i < head->size(); ++i) {
    const std::string name = LowerCase((*head)[i]);
    auto it = std::find(columns.begin(), columns.end(), name);
    if (it == columns.end()) {
      errors.Add(file, 1,
                 fmt::format("unknown column '{}': the columns are {}", (*head)[i],
                             fmt::join(columns, ",")));
      return;
    }
    at[static_cast<size_t>(it - columns.begin())] = i;
  }
  for (size_t c = 0; c < columns.size(); ++c) {
    if (at[c] == head->size()) {
      errors.Add(file, 1, fmt::format("no column '{}'", columns[c]));
      return;
    }
  }
  int64_t line = 0;
  std::vector<std::string> cells;
  while (reader.Next(errors, line, cells)) {
    std::vector<std::string> fields;
    for (size_t c = 0; c < columns.size(); ++c) fields.push_back(cells[at[c]]);
    row(line, fields);
  }
}

std::optional<bool> YesNo(const std::string& text) {
  const std::string t = LowerCase(text);
  if (t.empty() || t == "no" || t == "n" || t == "false" || t == "0") return false;
  if (t == "yes" || t == "y" || t == "true" || t == "1") return true;
  return std::nullopt;
}

// "Mon".."Fri", with " A" or " B" in a two-week cycle: the cycle day.
std::optional<int> ParseDay(const std::string& text, int cycle_weeks) {
  static constexpr const char* kDayNames[] = {"mon", "tue", "wed", "thu", "fri"};
  std::string t = LowerCase(text);
  int week = 0;
  if (t.size() >= 2 && t[t.size() - 2] == ' ' && (t.back() == 'a' || t.back() == 'b')) {
    week = t.back() == 'a' ? 1 : 2;
    t = io::Trim(t.substr(0, t.size() - 2));
  }
  if (cycle_weeks == 2 && week == 0) return std::nullopt;
  if (cycle_weeks == 1 && week == 2) return std::nullopt;
  for (int d = 0; d < 5; ++d) {
    if (t == kDayNames[d]) return d + 1 + (week == 2 ? 5 : 0);
  }
  return std::nullopt;
}

}  // namespace

core::StatusOr<TimetableImportResult> Lessons::ImportTimetable(
    const Principal& who, const std::string& periods_csv, const std::string& groups_csv,
    const std::string& members_csv, const std::string& lessons_csv,
    const std::string& cycle_weeks_text, const std::string& week1_monday_text,
    const std::string& source_text) {
  RETURN_IF_ERROR(school_.AllowNow(who, Action::kManageTimetable, {}));
  store::Timetable t;
  if (cycle_weeks_text == "1" || cycle_weeks_text == "2") {
    t.cycle_weeks = cycle_weeks_text == "1" ? 1 : 2;
  } else {
    return core::InvalidArgument(
        core::kErrTimetableInvalid,
        fmt::format("the cycle is 1 or 2 weeks, not '{}'", cycle_weeks_text));
  }
  ASSIGN_OR_RETURN(t.week1_monday, ParseDateParam(week1_monday_text, "week 1's Monday"));
  if (t.week1_monday.weekday() != core::Weekday::kMonday) {
    return core::InvalidArgument(
        core::kErrTimetableInvalid,
        fmt::format("week 1 starts on a Monday; {} is not one", t.week1_monday.ToString()));
  }
  if (source_text == "registration") {
    t.source = core::StatutorySource::kRegistration;
  } else if (source_text == "first-lesson") {
    t.source = core::StatutorySource::kFirstLesson;
  } else {
    return core::InvalidArgument(
        core::kErrTimetableInvalid,
        fmt::format("the statutory marks come from 'registration' or 'first-lesson', not '{}'",
                    source_text));
  }

  io::CsvErrors errors;
  std::map<std::string, size_t> period_at, group_at;  // name or code: position
  ReadFile(
      periods_csv, kPeriodsFile, {"period", "start", "end", "session", "registration"}, errors,
      [&](int64_t line, const std::vector<std::string>& f) {
        store::Period p;
        p.name = f[0];
        std::optional<int> start = ParseTime(f[1]);
        std::optional<int> end = ParseTime(f[2]);
        std::optional<core::Session> session = core::SessionFromName(f[3]);
        std::optional<bool> registration = YesNo(f[4]);
        if (p.name.empty() || p.name.size() > 40) {
          return errors.Add(kPeriodsFile, line, "a period's name is 1 to 40 characters");
        }
        if (!start || !end) {
          return errors.Add(
              kPeriodsFile, line,
              fmt::format("period {}: start and end are times such as 09:05", p.name));
        }
        if (*end <= *start) {
          return errors.Add(
              kPeriodsFile, line,
              fmt::format("period {} ends ({}) before it starts ({})", p.name, f[2], f[1]));
        }
        if (!session) {
          return errors.Add(kPeriodsFile, line,
                            fmt::format("period {}: session is AM or PM, not '{}'", p.name, f[3]));
        }
        if (!registration) {
          return errors.Add(
              kPeriodsFile, line,
              fmt::format("period {}: registration is yes or no, not '{}'", p.name, f[4]));
        }
        if (period_at.contains(p.name)) {
          return errors.Add(kPeriodsFile, line, fmt::format("period {} is listed twice", p.name));
        }
        p.start_minute = *start;
        p.end_minute = *end;
        p.session = *session;
        p.registration = *registration;
        period_at[p.name] = t.periods.size();
        t.periods.push_back(std::move(p));
      });

  std::map<std::string, int64_t> user_ids;   // username: id
  std::map<std::string, int64_t> pupil_ids;  // UPN: id
  std::map<int64_t, std::string> upns;
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    for (const auto& [id, u] : snap.users) {
      if (u.role != store::Role::kParent && u.role != store::Role::kLaOfficer) {
        user_ids[u.username] = id;
      }
    }
    for (const store::Pupil& p : snap.pupils) {
      pupil_ids[p.upn] = p.id;
      upns[p.id] = p.upn;
    }
  }
  ReadFile(groups_csv, kGroupsFile, {"group", "subject", "teachers"}, errors,
           [&](int64_t line, const std::vector<std::string>& f) {
             store::TeachingGroup g;
             g.code = f[0];
             g.subject = f[1];
             if (g.code.empty() || g.code.size() > 40) {
               return errors.Add(kGroupsFile, line, "a group's code is 1 to 40 characters");
             }
             if (group_at.contains(g.code)) {
               return errors.Add(kGroupsFile, line,
                                 fmt::format("group {} is listed twice", g.code));
             }
             std::string rest = f[2];
             while (!rest.empty()) {
               const size_t semi = rest.find(';');
               const std::string username = io::Trim(rest.substr(0, semi));
               rest = semi == std::string::npos ? "" : rest.substr(semi + 1);
               if (username.empty()) continue;
               auto u = user_ids.find(username);
               if (u == user_ids.end()) {
                 errors.Add(kGroupsFile, line,
                            fmt::format("group {}: no member of staff has the username '{}'",
                                        g.code, username));
                 continue;
               }
               g.teacher_ids.push_back(u->second);
             }
             group_at[g.code] = t.groups.size();
             t.groups.push_back(std::move(g));
           });

  ReadFile(members_csv, kMembersFile, {"group", "upn"}, errors,
           [&](int64_t line, const std::vector<std::string>& f) {
             auto g = group_at.find(f[0]);
             if (g == group_at.end()) {
               return errors.Add(kMembersFile, line,
                                 fmt::format("no group '{}' in {}", f[0], kGroupsFile));
             }
             auto p = pupil_ids.find(f[1]);
             if (p == pupil_ids.end()) {
               return errors.Add(kMembersFile, line,
                                 fmt::format("no pupil on the roll has the UPN '{}'", f[1]));
             }
             std::vector<int64_t>& members = t.groups[g->second].pupil_ids;
             if (std::find(members.begin(), members.end(), p->second) != members.end()) {
               return errors.Add(kMembersFile, line,
                                 fmt::format("pupil {} is listed twice in group {}", f[1], f[0]));
             }
             members.push_back(p->second);
           });

  std::map<std::pair<int, size_t>, std::vector<std::pair<size_t, int64_t>>> slots;  // groups, line
  ReadFile(lessons_csv, kLessonsFile, {"group", "day", "period", "room"}, errors,
           [&](int64_t line, const std::vector<std::string>& f) {
             auto g = group_at.find(f[0]);
             if (g == group_at.end()) {
               return errors.Add(kLessonsFile, line,
                                 fmt::format("no group '{}' in {}", f[0], kGroupsFile));
             }
             std::optional<int> day = ParseDay(f[1], t.cycle_weeks);
             if (!day) {
               return errors.Add(
                   kLessonsFile, line,
                   t.cycle_weeks == 2
                       ? fmt::format("day is Mon to Fri with A or B (\"Mon A\"), not '{}'", f[1])
                       : fmt::format("day is Mon to Fri in a one-week cycle, not '{}'", f[1]));
             }
             auto p = period_at.find(f[2]);
             if (p == period_at.end()) {
               return errors.Add(kLessonsFile, line,
                                 fmt::format("no period '{}' in {}", f[2], kPeriodsFile));
             }
             std::vector<std::pair<size_t, int64_t>>& here = slots[{*day, p->second}];
             for (const auto& [other, other_line] : here) {
               if (other == g->second) {
                 return errors.Add(kLessonsFile, line,
                                   fmt::format("group {} already meets on {} in {} (line {})", f[0],
                                               f[1], f[2], other_line));
               }
             }
             here.emplace_back(g->second, line);
             t.lessons.push_back({.group_id = static_cast<int64_t>(g->second),
                                  .cycle_day = *day,
                                  .period_id = static_cast<int64_t>(p->second),
                                  .room = f[3]});
           });

  // A pupil in two groups that meet at once: named by UPN, with the lines.
  if (errors.empty()) {
    for (const auto& [slot, groups] : slots) {
      std::map<int64_t, std::pair<size_t, int64_t>> seen;  // pupil: group, line
      for (const auto& [group, line] : groups) {
        for (int64_t pupil : t.groups[group].pupil_ids) {
          auto [it, added] = seen.emplace(pupil, std::make_pair(group, line));
          if (!added) {
            errors.Add(
                kLessonsFile, line,
                fmt::format("pupil {} is in {} and {} (line {}), which meet at the same "
                            "time ({})",
                            upns[pupil], t.groups[group].code, t.groups[it->second.first].code,
                            it->second.second, t.periods[slot.second].name));
          }
        }
      }
    }
  }
  // Overlapping periods, by their lines in the periods file.
  if (errors.empty()) {
    std::vector<size_t> by_start(t.periods.size());
    for (size_t i = 0; i < by_start.size(); ++i) by_start[i] = i;
    std::sort(by_start.begin(), by_start.end(), [&](size_t a, size_t b) {
      return t.periods[a].start_minute < t.periods[b].start_minute;
    });
    for (size_t i = 1; i < by_start.size(); ++i) {
      const store::Period& before = t.periods[by_start[i - 1]];
      const store::Period& after = t.periods[by_start[i]];
      if (after.start_minute < before.end_minute) {
        errors.AddFile(
            kPeriodsFile,
            fmt::format("periods {} ({}-{}) and {} ({}-{}) overlap", before.name,
                        TimeText(before.start_minute), TimeText(before.end_minute), after.name,
                        TimeText(after.start_minute), TimeText(after.end_minute)));
      }
    }
  }
  if (!errors.empty()) {
    const core::Status status = errors.ToStatus("timetable");
    return core::InvalidArgument(core::kErrTimetableInvalid, status.message());
  }

  // The store first, then the snapshot that serves every lesson page.
  const auto write_lock = school_.BeginWrite();
  RETURN_IF_ERROR(school_.store().SetTimetable(t, {who.user_id, who.name, who.role},
                                               school_.clock().NowSeconds()));
  ASSIGN_OR_RETURN(store::Timetable stored, school_.store().GetTimetable());
  school_.Apply([&](Snapshot& snap) { snap.timetable = stored; });
  TimetableImportResult result;
  result.periods = static_cast<int>(t.periods.size());
  result.groups = static_cast<int>(t.groups.size());
  result.lessons = static_cast<int>(t.lessons.size());
  for (const store::TeachingGroup& g : t.groups) {
    result.memberships += static_cast<int>(g.pupil_ids.size());
  }
  for (const store::Period& p : stored.periods) result.retired += p.retired ? 1 : 0;
  for (const store::TeachingGroup& g : stored.groups) result.retired += g.retired ? 1 : 0;
  return result;
}

}  // namespace rollcall::service
