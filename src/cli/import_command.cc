// `rollcall import MARKS.csv`: attendance marks from CSV (io/marks_csv.h)
// into a school's database (--db, with --user naming who imports), into an
// engine file for LA-scale analytics (--engine-file, with the calendar the
// schools share), or both. Every row is checked before anything is written;
// one problem anywhere and nothing is imported, with each problem's line.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>

#include "cli/commands.h"
#include "cli/system_clock.h"
#include "core/error_codes.h"
#include "core/register.h"
#include "engine/column_store.h"
#include "io/marks_csv.h"
#include "io/policy_json.h"
#include "io/quote.h"
#include "io/scenario_json.h"
#include "service/marks_import.h"
#include "service/words.h"
#include "store/store.h"

namespace rollcall::cli {
namespace {

int Report(const core::Status& status) {
  std::cerr << "rollcall import: " << status.message() << "\n";
  return status.kind() == core::ErrorKind::kInvalidArgument ? kExitInvalidInput : kExitFailure;
}

// The engine's form of the file: one school per school column value, its
// pupils from the pupil list (or in order of first appearance), each on roll
// from admitted to left (or from their first to their last row).
core::StatusOr<engine::Dataset> BuildDataset(const std::vector<io::MarkRow>& rows,
                                             const std::vector<io::PupilRow>& pupil_list,
                                             bool have_pupil_list, const core::Calendar& calendar,
                                             const std::string& policy_json,
                                             const std::string& source) {
  ASSIGN_OR_RETURN(core::Policy policy, io::ParsePolicyText(policy_json));
  struct PupilEntry {
    core::PupilRecord record;
    std::vector<core::RecordedMark> marks;
  };
  std::map<std::string, std::vector<PupilEntry>> schools;  // by school, sorted
  std::map<std::pair<std::string, std::string>, size_t> index;
  auto add_pupil = [&](const std::string& school, const std::string& upn) {
    std::vector<PupilEntry>& list = schools[school];
    index[{school, upn}] = list.size();
    list.push_back({});
    list.back().record.id = upn;
  };
  for (const io::PupilRow& p : pupil_list) {
    add_pupil(p.school, p.upn);
    PupilEntry& e = schools[p.school].back();
    e.record.cohorts = p.cohorts;
    if (p.admitted || p.left) e.record.on_roll.push_back({p.admitted, p.left});
  }
  io::CsvErrors errors;
  for (const io::MarkRow& row : rows) {
    auto it = index.find({row.school, row.upn});
    if (it == index.end()) {
      if (have_pupil_list) {
        errors.Add(row.line, fmt::format("pupil {} of school {} is not in the pupil list", row.upn,
                                         io::Shorten(row.school)));
        continue;
      }
      add_pupil(row.school, row.upn);
      it = index.find({row.school, row.upn});
    }
    PupilEntry& e = schools[row.school][it->second];
    if (core::Status s = core::CheckMark(calendar, e.record, row.slot, row.code); !s.ok()) {
      errors.Add(row.line, fmt::format("{} {} {}: {}", row.upn, row.slot.date.ToString(),
                                       core::SessionName(row.slot.session), s.message()));
      continue;
    }
    e.marks.push_back({row.slot, row.code});
  }
  if (!errors.empty()) return errors.ToStatus(source);

  engine::Dataset dataset;
  const auto tables = std::make_shared<const engine::CalendarTables>(calendar);
  const auto shared_policy = std::make_shared<const core::Policy>(policy);
  for (auto& [id, pupils] : schools) {
    core::Scenario scenario;
    scenario.calendar = calendar;
    scenario.policy = policy;
    for (PupilEntry& e : pupils) {
      // Without dates, a pupil is on roll from their first row to their last.
      if (e.record.on_roll.empty() && !e.marks.empty()) {
        auto [lo, hi] =
            std::minmax_element(e.marks.begin(), e.marks.end(),
                                [](const core::RecordedMark& a, const core::RecordedMark& b) {
                                  return a.slot < b.slot;
                                });
        e.record.on_roll.push_back({lo->slot.date, hi->slot.date});
      } else if (e.record.on_roll.empty()) {
        e.record.on_roll.push_back({core::Date::FromDays(1), core::Date::FromDays(0)});  // never
      }
      scenario.pupils.push_back(std::move(e.record));
      scenario.marks.push_back(std::move(e.marks));
    }
    ASSIGN_OR_RETURN(engine::School school, engine::SchoolFromScenario(scenario, id));
    school.calendar = tables;
    school.policy = shared_policy;
    school.policy_json = policy_json;
    dataset.schools.push_back(std::move(school));
  }
  return dataset;
}

}  // namespace

int RunImport(const ImportArgs& args) {
  if (args.db.empty() && args.engine_file.empty()) {
    return Report(core::InvalidArgument(
        core::kErrValueInvalid,
        "say where the marks go: --db SCHOOL.db, --engine-file FILE, or both"));
  }
  if (!args.db.empty() && args.user.empty()) {
    return Report(
        core::InvalidArgument(core::kErrValueInvalid,
                              "--db needs --user USERNAME: the audit trail records who imported"));
  }
  if (!args.engine_file.empty() && args.calendar.empty()) {
    return Report(core::InvalidArgument(
        core::kErrValueInvalid,
        "--engine-file needs --calendar FILE (the schools' terms and closures)"));
  }
  const std::string source = std::filesystem::path(args.marks).filename().string();
  core::StatusOr<std::string> text = ReadInput(args.marks);
  if (!text.ok()) return Report(text.status());
  core::StatusOr<std::vector<io::MarkRow>> rows = io::ParseMarksCsv(*text);
  if (!rows.ok()) {
    return Report(
        core::InvalidArgument(rows.status().code(), source + ": " + rows.status().message()));
  }
  std::vector<io::PupilRow> pupils;
  if (!args.pupils.empty()) {
    core::StatusOr<std::string> pupil_text = ReadInput(args.pupils);
    if (!pupil_text.ok()) return Report(pupil_text.status());
    core::StatusOr<std::vector<io::PupilRow>> parsed = io::ParsePupilsCsv(*pupil_text);
    if (!parsed.ok()) return Report(parsed.status());
    pupils = std::move(parsed).value();
  }

  // Everything is checked, and the engine file written aside, before the
  // database is touched; the file goes into place only after the database
  // transaction commits.
  std::string engine_bytes;
  size_t engine_pupils = 0, engine_schools = 0, engine_marks = 0;
  if (!args.engine_file.empty()) {
    core::StatusOr<std::string> calendar_text = ReadInput(args.calendar);
    if (!calendar_text.ok()) return Report(calendar_text.status());
    core::StatusOr<core::Calendar> calendar = io::ParseCalendarText(*calendar_text);
    if (!calendar.ok()) {
      return Report(core::InvalidArgument(calendar.status().code(),
                                          args.calendar + ": " + calendar.status().message()));
    }
    std::string policy_json;
    if (!args.policy.empty()) {
      core::StatusOr<std::string> policy_text = ReadInput(args.policy);
      if (!policy_text.ok()) return Report(policy_text.status());
      policy_json = *policy_text;
    }
    core::StatusOr<engine::Dataset> dataset =
        BuildDataset(*rows, pupils, !args.pupils.empty(), *calendar, policy_json, source);
    if (!dataset.ok()) return Report(dataset.status());
    engine_pupils = dataset->PupilCount();
    engine_schools = dataset->schools.size();
    for (const io::MarkRow& row : *rows) engine_marks += row.code ? 1 : 0;
    std::ostringstream out;
    if (core::Status s = engine::WriteDataset(*dataset, out); !s.ok()) return Report(s);
    engine_bytes = std::move(out).str();
  }

  if (!args.db.empty()) {
    if (!store::IsPostgresUri(args.db) && !std::filesystem::exists(args.db)) {
      return Report(core::NotFound(core::kErrDbMissing, args.db + ": no such database"));
    }
    core::StatusOr<std::unique_ptr<store::Store>> store = OpenSchoolStore(args.db, args.school);
    if (!store.ok()) return Report(store.status());
    core::StatusOr<store::User> user = (*store)->FindUserByName(args.user);
    if (!user.ok())
      return Report(
          core::InvalidArgument(user.status().code(), "--user " + args.user + ": no such user"));
    if (user->role != store::Role::kOffice && user->role != store::Role::kHead &&
        user->role != store::Role::kAttendanceOfficer) {
      return Report(core::InvalidArgument(
          core::kErrForbidden,
          fmt::format(
              "--user {} is {}: only the office, attendance officers and heads import marks",
              args.user, service::RoleWithArticle(user->role))));
    }
    const store::Actor actor{user->id, user->display_name, user->role};
    const SystemClock clock;
    core::StatusOr<service::ImportResult> result =
        service::ImportMarks(**store, *rows, actor, clock, source);
    if (!result.ok()) return Report(result.status());
    fmt::print(
        "rollcall import: {}: {} marks checked; {} recorded ({} of them amendments), {} already "
        "recorded, {} empty\n",
        PrintableDb(args.db), result->rows, result->changed, result->amended, result->unchanged,
        result->no_mark);
  }
  if (!args.engine_file.empty()) {
    if (core::Status s = WriteOutput(args.engine_file, engine_bytes); !s.ok()) return Report(s);
    fmt::print("rollcall import: {}: {} pupils in {} schools, {} marks ({} empty sessions)\n",
               args.engine_file, engine_pupils, engine_schools, engine_marks,
               rows->size() - engine_marks);
  }
  return kExitOk;
}

}  // namespace rollcall::cli
