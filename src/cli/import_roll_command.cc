// `rollcall import-roll --db FILE --pupils pupils.csv [--contacts
// contacts.csv] [--mapping NAME|FILE] [--user USERNAME] [--dry-run]`: a
// school's roll from its old system (docs/import.md) into its database.
// Every row of both files is checked before anything is written; one problem
// anywhere and nothing is imported, with each problem's file and line.
// Historical marks follow with `rollcall import`.
//
// `rollcall import-roll --db FILE --ctf FILE.xml --start YYYY-MM-DD [--class
// NAME] [--user USERNAME] [--dry-run]`: the pupils of a Common Transfer File
// received (docs/ctf.md), checked the same way, problems named by element.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <system_error>

#include "cli/commands.h"
#include "cli/system_clock.h"
#include "core/error_codes.h"
#include "io/ctf_xml.h"
#include "io/roll_csv.h"
#include "service/records.h"
#include "service/roll_import.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::cli {
namespace {

int ReportRollProblem(const core::Status& status) {
  std::cerr << "rollcall import-roll: " << status.message() << "\n";
  return status.kind() == core::ErrorKind::kInvalidArgument ||
                 status.kind() == core::ErrorKind::kPermissionDenied
             ? kExitInvalidInput
             : kExitFailure;
}

// A file's text, refused unread when it is larger than an import file may be.
core::StatusOr<std::string> ReadImportFile(const std::string& path) {
  std::error_code error;
  const uintmax_t bytes = std::filesystem::file_size(path, error);
  if (!error) {
    RETURN_IF_ERROR(io::CheckRollFileSize(std::filesystem::path(path).filename().string(), bytes));
  }
  return ReadInput(path);
}

// A built-in mapping by name, or a mapping file.
core::StatusOr<io::RollMapping> MappingOf(const std::string& name_or_file) {
  for (const std::string& preset : io::RollMappingPresetNames()) {
    if (preset == name_or_file) return io::RollMappingPreset(preset);
  }
  if (!std::filesystem::exists(name_or_file)) {
    return io::RollMappingPreset(name_or_file);  // the error lists the built-in ones
  }
  ASSIGN_OR_RETURN(std::string text, ReadImportFile(name_or_file));
  return io::ParseRollMapping(text, std::filesystem::path(name_or_file).filename().string());
}

// What --ctf asks for, checked before the database is opened.
core::StatusOr<service::CtfImportRequest> CtfRequestOf(const ImportRollArgs& args) {
  if (!args.pupils.empty() || !args.contacts.empty()) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        "--ctf is instead of --pupils and --contacts: give one or the other");
  }
  const std::optional<core::Date> start = core::Date::Parse(args.start);
  if (!start) {
    return core::InvalidArgument(
        core::kErrDateInvalid,
        args.start.empty()
            ? "--ctf needs --start YYYY-MM-DD: the day pupils new to the school start"
            : "--start " + args.start + ": not a date (YYYY-MM-DD)");
  }
  const std::string name = std::filesystem::path(args.ctf).filename().string();
  std::error_code error;
  const uintmax_t bytes = std::filesystem::file_size(args.ctf, error);
  if (!error) RETURN_IF_ERROR(io::CheckCtfSize(name, bytes));
  service::CtfImportRequest request;
  request.ctf.name = name;
  request.start = *start;
  request.class_name = args.class_name;
  request.dry_run = args.dry_run;
  return request;
}

// The school's database, opened, and the account importing.
struct Opened {
  std::unique_ptr<store::Store> store;
  store::User user;
};
core::StatusOr<Opened> OpenForImport(const ImportRollArgs& args) {
  if (!store::IsPostgresUri(args.db) && !std::filesystem::exists(args.db)) {
    return core::NotFound(core::kErrDbMissing, args.db + ": no such database");
  }
  Opened opened;
  ASSIGN_OR_RETURN(opened.store, OpenSchoolStore(args.db, args.school));
  ASSIGN_OR_RETURN(opened.user, UserOrTheHead(*opened.store, args.user, "imports"));
  return opened;
}

void PrintResult(const ImportRollArgs& args, const service::RollImportResult& result) {
  fmt::print("rollcall import-roll: {}{}: {} admitted, {} updated, {} unchanged, {} classes added",
             PrintableDb(args.db), args.dry_run ? " (dry run, nothing written)" : "",
             result.admitted, result.updated, result.unchanged, result.classes_added);
  if (!args.ctf.empty()) fmt::print(", {} years at previous schools", result.previous_years);
  fmt::print("\n");
}

int RunImportCtf(const ImportRollArgs& args) {
  core::StatusOr<service::CtfImportRequest> request = CtfRequestOf(args);
  if (!request.ok()) return ReportRollProblem(request.status());
  core::StatusOr<std::string> text = ReadInput(args.ctf);
  if (!text.ok()) return ReportRollProblem(text.status());
  request->ctf.text = *text;
  core::StatusOr<Opened> opened = OpenForImport(args);
  if (!opened.ok()) return ReportRollProblem(opened.status());
  const SystemClock clock;
  service::School school(*opened->store, clock);
  if (core::Status s = school.Load(); !s.ok()) return ReportRollProblem(s);
  service::RollImport importer(school);
  core::StatusOr<service::RollImportResult> result =
      importer.ImportCtf(service::PrincipalOf(opened->user), *request);
  if (!result.ok()) return ReportRollProblem(result.status());
  PrintResult(args, *result);
  return kExitOk;
}

}  // namespace

int RunImportRoll(const ImportRollArgs& args) {
  // Options that belong to the other kind of file are refused, not ignored.
  if (!args.ctf.empty() && !args.mapping.empty()) {
    return ReportRollProblem(core::InvalidArgument(
        core::kErrValueInvalid, "--mapping is for CSV files; a Common Transfer File needs none"));
  }
  if (args.ctf.empty() && (!args.start.empty() || !args.class_name.empty())) {
    return ReportRollProblem(core::InvalidArgument(
        core::kErrValueInvalid,
        "--start and --class are for a Common Transfer File (--ctf); a CSV file gives each "
        "pupil's admission date and registration group"));
  }
  if (!args.ctf.empty()) return RunImportCtf(args);
  if (args.pupils.empty()) {
    return ReportRollProblem(
        core::InvalidArgument(core::kErrValueInvalid,
                              "give --pupils FILE (the old system's CSV) or --ctf FILE "
                              "(a Common Transfer File)"));
  }
  core::StatusOr<io::RollMapping> mapping =
      MappingOf(args.mapping.empty() ? "rollcall" : args.mapping);
  if (!mapping.ok()) return ReportRollProblem(mapping.status());
  core::StatusOr<std::string> pupils = ReadImportFile(args.pupils);
  if (!pupils.ok()) return ReportRollProblem(pupils.status());
  std::optional<std::string> contacts;
  if (!args.contacts.empty()) {
    core::StatusOr<std::string> text = ReadImportFile(args.contacts);
    if (!text.ok()) return ReportRollProblem(text.status());
    contacts = std::move(*text);
  }
  core::StatusOr<Opened> opened = OpenForImport(args);
  if (!opened.ok()) return ReportRollProblem(opened.status());
  const SystemClock clock;
  service::School school(*opened->store, clock);
  if (core::Status s = school.Load(); !s.ok()) return ReportRollProblem(s);
  service::RollImportRequest request;
  request.pupils = {std::filesystem::path(args.pupils).filename().string(), *pupils};
  if (contacts) {
    request.contacts = {std::filesystem::path(args.contacts).filename().string(), *contacts};
  }
  request.mapping = std::move(*mapping);
  request.dry_run = args.dry_run;
  service::RollImport importer(school);
  core::StatusOr<service::RollImportResult> result =
      importer.Import(service::PrincipalOf(opened->user), request);
  if (!result.ok()) return ReportRollProblem(result.status());
  PrintResult(args, *result);
  return kExitOk;
}

}  // namespace rollcall::cli
