// `rollcall import-roll --db FILE --pupils pupils.csv [--contacts
// contacts.csv] [--mapping NAME|FILE] [--user USERNAME] [--dry-run]`: a
// school's roll from its old system (docs/import.md) into its database.
// Every row of both files is checked before anything is written; one problem
// anywhere and nothing is imported, with each problem's file and line.
// Historical marks follow with `rollcall import`.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <system_error>

#include "cli/commands.h"
#include "cli/system_clock.h"
#include "core/error_codes.h"
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

// The account named, or with none named the school's one head.
core::StatusOr<store::User> ImporterOf(store::Store& store, const std::string& username) {
  if (!username.empty()) {
    core::StatusOr<store::User> user = store.FindUserByName(username);
    if (!user.ok()) {
      return core::InvalidArgument(user.status().code(), "--user " + username + ": no such user");
    }
    return user;
  }
  ASSIGN_OR_RETURN(std::vector<store::User> users, store.ListUsers());
  std::vector<store::User> heads;
  for (store::User& u : users) {
    if (u.role == store::Role::kHead && u.active) heads.push_back(std::move(u));
  }
  if (heads.size() != 1) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "say who imports with --user USERNAME (an office or head "
                                 "account): the change is recorded in their name");
  }
  return heads.front();
}

}  // namespace

int RunImportRoll(const ImportRollArgs& args) {
  core::StatusOr<io::RollMapping> mapping = MappingOf(args.mapping);
  if (!mapping.ok()) return ReportRollProblem(mapping.status());
  core::StatusOr<std::string> pupils = ReadImportFile(args.pupils);
  if (!pupils.ok()) return ReportRollProblem(pupils.status());
  std::optional<std::string> contacts;
  if (!args.contacts.empty()) {
    core::StatusOr<std::string> text = ReadImportFile(args.contacts);
    if (!text.ok()) return ReportRollProblem(text.status());
    contacts = std::move(*text);
  }
  if (!store::IsPostgresUri(args.db) && !std::filesystem::exists(args.db)) {
    return ReportRollProblem(core::NotFound(core::kErrDbMissing, args.db + ": no such database"));
  }
  core::StatusOr<std::unique_ptr<store::Store>> store = OpenSchoolStore(args.db, args.school);
  if (!store.ok()) return ReportRollProblem(store.status());
  core::StatusOr<store::User> user = ImporterOf(**store, args.user);
  if (!user.ok()) return ReportRollProblem(user.status());

  const SystemClock clock;
  service::School school(**store, clock);
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
      importer.Import(service::PrincipalOf(*user), request);
  if (!result.ok()) return ReportRollProblem(result.status());
  fmt::print(
      "rollcall import-roll: {}{}: {} admitted, {} updated, {} unchanged, {} classes added\n",
      PrintableDb(args.db), args.dry_run ? " (dry run, nothing written)" : "", result->admitted,
      result->updated, result->unchanged, result->classes_added);
  return kExitOk;
}

}  // namespace rollcall::cli
