// `rollcall census --db FILE --census spring|summer|autumn --year YYYY --out
// FILE.xml [--csv FILE] [--user USERNAME]`: the school census attendance
// return (docs/census.md), as the head downloads it from /census: the XML,
// recorded in the school's database in the name of the account given, and
// optionally the same figures as CSV. The checks are printed; a problem to
// put right does not stop the file being written, as on the page.
//
// `rollcall bench census --db FILE --census ... --year YYYY [--repeat N]`:
// how long producing that return takes (the figures, the checks, the XML and
// the CSV; nothing recorded), after reading the school once.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/system_clock.h"
#include "core/error_codes.h"
#include "service/census.h"
#include "service/records.h"
#include "service/school.h"

namespace rollcall::cli {
namespace {

// The school read from its database, and who makes the return.
struct CensusSchool {
  std::unique_ptr<store::Store> store;
  service::Principal who;
  SystemClock clock;
  std::unique_ptr<service::School> school;
  service::CensusRequest request;
};

core::Status OpenForCensus(const CensusArgs& args, CensusSchool& out) {
  const std::optional<core::Census> census = core::CensusFromName(args.census);
  if (!census) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "--census " + args.census + ": expected spring, summer or autumn");
  }
  out.request = {*census, args.year};
  ASSIGN_OR_RETURN(out.store, OpenSchoolStore(args.db, args.school));
  ASSIGN_OR_RETURN(const store::User user,
                   UserOrTheHead(*out.store, args.user, "makes the return"));
  out.who = service::PrincipalOf(user);
  out.school = std::make_unique<service::School>(*out.store, out.clock);
  return out.school->Load();
}

}  // namespace

int RunCensus(const CensusArgs& args) {
  CensusSchool opened;
  if (core::Status s = OpenForCensus(args, opened); !s.ok()) return ReportProblem("census", s);
  service::CensusReturns returns(*opened.school);
  core::StatusOr<service::CensusView> view = returns.Prepare(opened.who, opened.request);
  if (!view.ok()) return ReportProblem("census", view.status());
  // Recorded only once written: a failed --out leaves no return recorded
  // that was never sent.
  const service::CensusFile xml = returns.Xml(*view);
  if (core::Status s = WriteOutput(args.out, xml.text); !s.ok()) {
    return ReportProblem("census", s);
  }
  if (core::Status s = returns.Record(opened.who, *view, xml); !s.ok()) {
    return ReportProblem("census", s);
  }
  if (!args.csv.empty()) {
    if (core::Status s = WriteOutput(args.csv, returns.Csv(*view).text); !s.ok()) {
      return ReportProblem("census", s);
    }
  }
  for (const service::CensusProblemLine& p : view->problems) {
    std::cerr << (p.blocking ? "to put right: " : "to look at: ") << p.text << "\n";
  }
  fmt::print(
      "rollcall census: {}: {} pupils, {} enrolments, {} possible sessions, {} "
      "authorised and {} unauthorised absences; {} to put right\n",
      service::CensusTitle(opened.request), view->total.pupils, view->total.enrolments,
      view->total.possible, view->total.authorised, view->total.unauthorised, view->blocking);
  return kExitOk;
}

int RunBenchCensus(const CensusArgs& args) {
  const auto start = std::chrono::steady_clock::now();
  CensusSchool opened;
  if (core::Status s = OpenForCensus(args, opened); !s.ok())
    return ReportProblem("bench census", s);
  const double load = SecondsSince(start);
  service::CensusReturns returns(*opened.school);
  std::vector<double> times;
  int64_t enrolments = 0;
  size_t bytes = 0;
  for (int i = 0; i < std::max(args.repeat, 1); ++i) {
    const auto run = std::chrono::steady_clock::now();
    core::StatusOr<service::CensusView> view = returns.Prepare(opened.who, opened.request);
    if (!view.ok()) return ReportProblem("bench census", view.status());
    bytes = returns.Xml(*view).text.size() + returns.Csv(*view).text.size();
    times.push_back(SecondsSince(run));
    enrolments = view->total.enrolments;
  }
  std::sort(times.begin(), times.end());
  fmt::print(
      "rollcall bench census: {}: reading the school {:.2f} s; the return ({} enrolments, "
      "checks, {} KB of XML and CSV) {:.3f} s median of {} (target: under 2 s for 2,000 "
      "pupils)\n",
      service::CensusTitle(opened.request), load, enrolments, bytes / 1024, times[times.size() / 2],
      times.size());
  return kExitOk;
}

}  // namespace rollcall::cli
