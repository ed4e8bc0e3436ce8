// `rollcall census --db FILE --census spring|summer|autumn --year YYYY --out
// FILE.xml [--csv FILE] [--user USERNAME]`: the school census attendance
// return (docs/census.md), as the head downloads it from /census: the XML,
// recorded in the school's database in the name of the account given, and
// optionally the same figures as CSV. The checks are printed; a problem to
// put right does not stop the file being written, as on the page.
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.h"
#include "cli/system_clock.h"
#include "core/error_codes.h"
#include "service/census.h"
#include "service/records.h"
#include "service/school.h"

namespace rollcall::cli {
namespace {

int ReportCensusProblem(const core::Status& status) {
  std::cerr << "rollcall census: " << status.message() << "\n";
  return status.kind() == core::ErrorKind::kInvalidArgument ||
                 status.kind() == core::ErrorKind::kPermissionDenied ||
                 status.kind() == core::ErrorKind::kNotFound
             ? kExitInvalidInput
             : kExitFailure;
}

}  // namespace

int RunCensus(const CensusArgs& args) {
  const std::optional<core::Census> census = core::CensusFromName(args.census);
  if (!census) {
    return ReportCensusProblem(core::InvalidArgument(
        core::kErrValueInvalid, "--census " + args.census + ": expected spring, summer or autumn"));
  }
  core::StatusOr<std::unique_ptr<store::Store>> store = OpenSchoolStore(args.db, args.school);
  if (!store.ok()) return ReportCensusProblem(store.status());
  core::StatusOr<store::User> user = UserOrTheHead(**store, args.user, "makes the return");
  if (!user.ok()) return ReportCensusProblem(user.status());
  const SystemClock clock;
  service::School school(**store, clock);
  if (core::Status s = school.Load(); !s.ok()) return ReportCensusProblem(s);
  service::CensusReturns returns(school);
  const service::Principal who = service::PrincipalOf(*user);
  const service::CensusRequest request{*census, args.year};
  core::StatusOr<service::CensusView> view = returns.Prepare(who, request);
  if (!view.ok()) return ReportCensusProblem(view.status());
  core::StatusOr<service::CensusFile> xml = returns.RecordXml(who, *view);
  if (!xml.ok()) return ReportCensusProblem(xml.status());
  if (core::Status s = WriteOutput(args.out, xml->text); !s.ok()) return ReportCensusProblem(s);
  if (!args.csv.empty()) {
    if (core::Status s = WriteOutput(args.csv, returns.Csv(*view).text); !s.ok()) {
      return ReportCensusProblem(s);
    }
  }
  for (const service::CensusProblemLine& p : view->problems) {
    std::cerr << (p.blocking ? "to put right: " : "to look at: ") << p.text << "\n";
  }
  fmt::print(
      "rollcall census: {}: {} pupils, {} enrolments, {} possible sessions, {} "
      "authorised and {} unauthorised absences; {} to put right\n",
      service::CensusTitle(request), view->total.pupils, view->total.enrolments,
      view->total.possible, view->total.authorised, view->total.unauthorised, view->blocking);
  return kExitOk;
}

}  // namespace rollcall::cli
