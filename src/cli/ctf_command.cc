// `rollcall ctf --db FILE (--pupil ID|UPN ... | --owed | --year-group N)
// --out FILE [--dest LAESTAB] [--user USERNAME]`: a Common Transfer File
// for leavers (docs/ctf.md), written as the transfers page writes it, with
// each year's figures from the rules core. The owed files of the pupils
// written are stamped produced.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "cli/system_clock.h"
#include "core/error_codes.h"
#include "service/ctf_export.h"
#include "service/records.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::cli {
namespace {

int ReportCtfProblem(const core::Status& status) { return ReportProblem("ctf", status); }

}  // namespace

int RunCtf(const CtfArgs& args) {
  if (!store::IsPostgresUri(args.db) && !std::filesystem::exists(args.db)) {
    return ReportCtfProblem(core::NotFound(core::kErrDbMissing, args.db + ": no such database"));
  }
  core::StatusOr<std::unique_ptr<store::Store>> store = OpenSchoolStore(args.db, args.school);
  if (!store.ok()) return ReportCtfProblem(store.status());
  core::StatusOr<store::User> user = UserOrTheHead(**store, args.user, "writes the file");
  if (!user.ok()) return ReportCtfProblem(user.status());
  const SystemClock clock;
  service::School school(**store, clock);
  if (core::Status s = school.Load(); !s.ok()) return ReportCtfProblem(s);
  service::CtfRequest request;
  request.pupils = args.pupils;
  request.owed = args.owed;
  request.year_group = args.year_group;
  request.dest = args.dest;
  // The owed files are stamped produced only once the file is written.
  request.stamp = false;
  service::CtfExport ctf(school);
  const service::Principal who = service::PrincipalOf(*user);
  core::StatusOr<service::CtfOutput> out = ctf.Write(who, request);
  if (!out.ok()) return ReportCtfProblem(out.status());
  if (core::Status s = WriteOutput(args.out, out->xml); !s.ok()) return ReportCtfProblem(s);
  if (core::Status s = ctf.MarkProduced(who, out->owed); !s.ok()) return ReportCtfProblem(s);
  out->produced = static_cast<int64_t>(out->owed.size());
  if (args.out != "-") {
    fmt::print("rollcall ctf: {} pupil{} written to {} (send it as {}); {} owed file{} produced\n",
               out->pupils, out->pupils == 1 ? "" : "s", args.out, out->file_name, out->produced,
               out->produced == 1 ? "" : "s");
  }
  return kExitOk;
}

}  // namespace rollcall::cli
