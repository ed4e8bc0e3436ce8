// init_command.cc: `rollcall init`, setting up a school in an empty
// database from a JSON file of answers (docs/setup.md) and flags.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <set>
#include <string>

#include "cli/commands.h"
#include "cli/system_clock.h"
#include "core/error_codes.h"
#include "io/json_reader.h"
#include "io/term_dates.h"
#include "service/services.h"
#include "service/setup.h"
#include "store/store.h"

namespace rollcall::cli {
namespace {

using core::Status;
using core::StatusOr;
using io::CheckDocumentKeys;
using io::JsonPath;
using io::PathError;
using nlohmann::json;

int Fail(const Status& status) {
  std::cerr << "rollcall init: " << status.message() << " [" << status.code() << "]\n";
  return status.kind() == core::ErrorKind::kInvalidArgument ? kExitInvalidInput : kExitFailure;
}

// The text at `key`, if given, into `out`.
Status Text(const json& object, std::string_view key, const JsonPath& path, std::string& out) {
  auto it = object.find(key);
  if (it == object.end()) return core::OkStatus();
  if (!it->is_string()) return PathError(core::kErrJsonType, path.Key(key), "must be text");
  out = it->get<std::string>();
  return core::OkStatus();
}

// The whole number at `key`, if given, into `out`.
Status Number(const json& object, std::string_view key, const JsonPath& path, int& out) {
  auto it = object.find(key);
  if (it == object.end()) return core::OkStatus();
  if (!it->is_number_integer() || it->get<int64_t>() < -1000 || it->get<int64_t>() > 1000) {
    return PathError(core::kErrJsonType, path.Key(key), "must be a whole number");
  }
  out = static_cast<int>(it->get<int64_t>());
  return core::OkStatus();
}

StatusOr<core::Date> DateAt(const json& object, std::string_view key, const JsonPath& path) {
  std::string text;
  RETURN_IF_ERROR(Text(object, key, path, text));
  if (std::optional<core::Date> date = core::Date::Parse(text)) return *date;
  return PathError(core::kErrDateInvalid, path.Key(key), "not a date (YYYY-MM-DD)");
}

const json& ListAt(const json& object, std::string_view key, const JsonPath& path, Status& status) {
  static const json kEmpty = json::array();
  auto it = object.find(key);
  if (it == object.end()) return kEmpty;
  if (!it->is_array()) status = PathError(core::kErrJsonType, path.Key(key), "must be a list");
  return it->is_array() ? *it : kEmpty;
}

// Reads a term-dates file into the set-up's calendar.
Status AddTermDatesFile(const std::string& path, service::SchoolSetup& setup) {
  ASSIGN_OR_RETURN(std::string text, ReadInput(path));
  StatusOr<io::TermDates> dates = io::ReadTermDates(text);
  if (!dates.ok()) {
    return core::InvalidArgument(dates.status().code(),
                                 fmt::format("{}: {}", path, dates.status().message()));
  }
  service::AddTermDates(*dates, setup.terms, setup.closures);
  return core::OkStatus();
}

// The answers of the set-up JSON file at `path` (docs/setup.md).
Status ReadSetupFile(const std::string& path, service::SchoolSetup& s) {
  ASSIGN_OR_RETURN(std::string text, ReadInput(path));
  StatusOr<io::StrictJson> parsed = io::ParseStrictJson(text);
  if (!parsed.ok()) {
    return core::InvalidArgument(parsed.status().code(),
                                 fmt::format("{}: {}", path, parsed.status().message()));
  }
  const json& root = parsed->value;
  const JsonPath top;
  RETURN_IF_ERROR(CheckDocumentKeys(
      root,
      {"name", "urn", "la", "estab", "phase", "address", "postcode", "am_start", "pm_start",
       "register_close_minutes", "am_opens_before_minutes", "pm_opens_before_minutes", "term_dates",
       "terms", "closures", "classes", "head_username", "head_name"},
      top, "not a set-up key"));
  store::School& school = s.school;
  RETURN_IF_ERROR(Text(root, "name", top, school.name));
  RETURN_IF_ERROR(Text(root, "urn", top, school.urn));
  RETURN_IF_ERROR(Text(root, "la", top, school.la_code));
  RETURN_IF_ERROR(Text(root, "estab", top, school.establishment_number));
  RETURN_IF_ERROR(Text(root, "phase", top, school.phase));
  RETURN_IF_ERROR(Text(root, "postcode", top, school.postcode));
  if (auto it = root.find("address"); it != root.end() && it->is_array()) {
    school.address.clear();
    for (size_t i = 0; i < it->size(); ++i) {
      if (!(*it)[i].is_string()) {
        return PathError(core::kErrJsonType, top.Key("address").Index(i), "must be text");
      }
      school.address += (i > 0 ? "\n" : "") + (*it)[i].get<std::string>();
    }
  } else {
    RETURN_IF_ERROR(Text(root, "address", top, school.address));
  }
  RETURN_IF_ERROR(Text(root, "am_start", top, s.am_start));
  RETURN_IF_ERROR(Text(root, "pm_start", top, s.pm_start));
  RETURN_IF_ERROR(Number(root, "register_close_minutes", top, s.register_close_minutes));
  RETURN_IF_ERROR(Number(root, "am_opens_before_minutes", top, s.am_opens_before_minutes));
  RETURN_IF_ERROR(Number(root, "pm_opens_before_minutes", top, s.pm_opens_before_minutes));
  RETURN_IF_ERROR(Text(root, "head_username", top, s.head.username));
  RETURN_IF_ERROR(Text(root, "head_name", top, s.head.display_name));

  Status status;
  const json& terms = ListAt(root, "terms", top, status);
  RETURN_IF_ERROR(status);
  for (size_t i = 0; i < terms.size(); ++i) {
    const JsonPath at_list = top.Key("terms");  // named: at points to it
    const JsonPath at = at_list.Index(i);
    RETURN_IF_ERROR(CheckDocumentKeys(terms[i], {"name", "start", "end"}, at, "not a set-up key"));
    store::Term term;
    RETURN_IF_ERROR(Text(terms[i], "name", at, term.name));
    ASSIGN_OR_RETURN(term.start, DateAt(terms[i], "start", at));
    ASSIGN_OR_RETURN(term.end, DateAt(terms[i], "end", at));
    s.terms.push_back(std::move(term));
  }
  const json& closures = ListAt(root, "closures", top, status);
  RETURN_IF_ERROR(status);
  for (size_t i = 0; i < closures.size(); ++i) {
    const JsonPath at_list = top.Key("closures");  // named: at points to it
    const JsonPath at = at_list.Index(i);
    RETURN_IF_ERROR(
        CheckDocumentKeys(closures[i], {"date", "sessions", "reason"}, at, "not a set-up key"));
    store::Closure closure;
    ASSIGN_OR_RETURN(closure.date, DateAt(closures[i], "date", at));
    RETURN_IF_ERROR(Text(closures[i], "reason", at, closure.reason));
    std::string sessions = "both";
    RETURN_IF_ERROR(Text(closures[i], "sessions", at, sessions));
    if (sessions == "AM" || sessions == "PM") {
      closure.sessions = sessions == "AM" ? core::ClosureSessions::kAm : core::ClosureSessions::kPm;
    } else if (sessions != "both") {
      return PathError(core::kErrValueInvalid, at.Key("sessions"), "must be AM, PM or both");
    }
    s.closures.push_back(std::move(closure));
  }
  // A term-dates file named in the set-up file is found beside it.
  if (auto it = root.find("term_dates"); it != root.end()) {
    if (!it->is_string())
      return PathError(core::kErrJsonType, top.Key("term_dates"), "must be text");
    const std::filesystem::path file =
        std::filesystem::path(path).parent_path() / it->get<std::string>();
    RETURN_IF_ERROR(AddTermDatesFile(file.string(), s));
  }
  const json& classes = ListAt(root, "classes", top, status);
  RETURN_IF_ERROR(status);
  for (size_t i = 0; i < classes.size(); ++i) {
    const JsonPath at_list = top.Key("classes");  // named: at points to it
    const JsonPath at = at_list.Index(i);
    RETURN_IF_ERROR(
        CheckDocumentKeys(classes[i], {"name", "year_group", "teachers"}, at, "not a set-up key"));
    service::SetupClass c;
    RETURN_IF_ERROR(Text(classes[i], "name", at, c.name));
    c.year_group = -1;
    RETURN_IF_ERROR(Number(classes[i], "year_group", at, c.year_group));
    const json& teachers = ListAt(classes[i], "teachers", at, status);
    RETURN_IF_ERROR(status);
    for (size_t j = 0; j < teachers.size(); ++j) {
      const JsonPath teacher_at_list = at.Key("teachers");  // named: teacher_at points to it
      const JsonPath teacher_at = teacher_at_list.Index(j);
      RETURN_IF_ERROR(
          CheckDocumentKeys(teachers[j], {"username", "name"}, teacher_at, "not a set-up key"));
      service::SetupPerson teacher;
      RETURN_IF_ERROR(Text(teachers[j], "username", teacher_at, teacher.username));
      RETURN_IF_ERROR(Text(teachers[j], "name", teacher_at, teacher.display_name));
      c.teachers.push_back(std::move(teacher));
    }
    s.classes.push_back(std::move(c));
  }
  return core::OkStatus();
}

}  // namespace

int RunInit(const InitArgs& args) {
  service::SchoolSetup setup;
  if (!args.from.empty()) {
    if (Status s = ReadSetupFile(args.from, setup); !s.ok()) return Fail(s);
  }
  // Flags override the file.
  for (const auto& [flag, field] :
       {std::pair{&args.name, &setup.school.name}, std::pair{&args.urn, &setup.school.urn},
        std::pair{&args.la, &setup.school.la_code},
        std::pair{&args.estab, &setup.school.establishment_number},
        std::pair{&args.phase, &setup.school.phase},
        std::pair{&args.postcode, &setup.school.postcode},
        std::pair{&args.am_start, &setup.am_start}, std::pair{&args.pm_start, &setup.pm_start},
        std::pair{&args.head_username, &setup.head.username},
        std::pair{&args.head_name, &setup.head.display_name}}) {
    if (flag->has_value()) *field = **flag;
  }
  if (!args.address.empty()) {
    setup.school.address.clear();
    for (const std::string& line : args.address) {
      setup.school.address += (setup.school.address.empty() ? "" : "\n") + line;
    }
  }
  if (args.register_close_minutes) setup.register_close_minutes = *args.register_close_minutes;
  if (!args.term_dates.empty()) {
    if (Status s = AddTermDatesFile(args.term_dates, setup); !s.ok()) return Fail(s);
  }

  core::StatusOr<std::unique_ptr<store::Store>> store = OpenSchoolStore(args.db, args.school);
  if (!store.ok()) return Fail(store.status());
  if ((*store)->GetSchool().ok()) {
    return Fail(core::Conflict(core::kErrSchoolExists,
                               fmt::format("{} already has a school; set-up runs once (serve it "
                                           "with rollcall serve --db {})",
                                           PrintableDb(args.db), PrintableDb(args.db))));
  }
  // The head's password, as `rollcall user add` reads one: the first line
  // of standard input, so that it is never in the shell's history.
  std::getline(std::cin, setup.head_password);
  if (const std::vector<service::SetupProblem> problems = service::CheckSetup(setup);
      !problems.empty()) {
    for (const service::SetupProblem& p : problems) {
      std::cerr << "rollcall init: " << p.field << ": " << p.message << "\n";
    }
    std::cerr << "rollcall init: nothing was written [" << core::kErrValueInvalid << "]\n";
    return kExitInvalidInput;
  }
  const SystemClock clock;
  service::Services services(**store, clock);
  if (Status s = services.Load(); !s.ok()) return Fail(s);
  if (Status s = services.setup().Create(setup); !s.ok()) return Fail(s);

  std::set<std::string> teachers;
  for (const service::SetupClass& c : setup.classes) {
    for (const service::SetupPerson& t : c.teachers) teachers.insert(t.username);
  }
  const store::School& school = setup.school;
  std::cout << fmt::format("rollcall init: set up {} (URN {}, DfE number {}/{}) in {}\n",
                           school.name, school.urn, school.la_code, school.establishment_number,
                           PrintableDb(args.db));
  core::Date first = setup.terms.front().start, last = setup.terms.front().end;
  for (const store::Term& t : setup.terms) {
    first = std::min(first, t.start);
    last = std::max(last, t.end);
  }
  std::cout << fmt::format("  {} terms, {} to {}; {} closures\n", setup.terms.size(),
                           first.LongText(), last.LongText(), setup.closures.size());
  std::cout << fmt::format("  {} classes; the head's account '{}'", setup.classes.size(),
                           setup.head.username);
  if (!teachers.empty()) {
    std::cout << fmt::format(
        "; {} teachers' accounts ({}) without a password: send each a set-password "
        "link from Accounts",
        teachers.size(), fmt::join(teachers, ", "));
  }
  std::cout << "\nNext: rollcall serve --db " << PrintableDb(args.db)
            << (args.school.empty() ? "" : " --school " + args.school) << "\n";
  return kExitOk;
}

}  // namespace rollcall::cli
