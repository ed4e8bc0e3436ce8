// `rollcall share --db FILE [--school URN] [--out DIR | --url URL]
// [--dry-run]`: the daily attendance share now (docs/share.md): every mark
// new or changed since the last share, to the destination in the school's
// settings, or to the folder or https address given. Logged as "command",
// as the scheduled share inside `rollcall serve` is logged as "schedule".
// With --dry-run the extract is printed and nothing is sent or recorded.
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.h"
#include "cli/system_clock.h"
#include "service/school.h"
#include "service/share.h"

namespace rollcall::cli {
namespace {

int ReportShareProblem(const core::Status& status) {
  std::cerr << "rollcall share: " << status.message() << "\n";
  return status.kind() == core::ErrorKind::kInvalidArgument ? kExitInvalidInput : kExitFailure;
}

}  // namespace

int RunShare(const ShareArgs& args) {
  if (!args.out.empty() && !args.url.empty()) {
    std::cerr << "rollcall share: give --out or --url, not both\n";
    return kExitInvalidInput;
  }
  service::ShareRequest request;
  request.dry_run = args.dry_run;
  if (!args.out.empty() || !args.url.empty()) {
    const std::string& destination = args.out.empty() ? args.url : args.out;
    if (core::Status s =
            service::CheckShareDestination(args.out.empty() ? "--url" : "--out", destination);
        !s.ok()) {
      return ReportShareProblem(s);
    }
    request.destination = destination;
  }
  core::StatusOr<std::unique_ptr<store::Store>> store = OpenSchoolStore(args.db, args.school);
  if (!store.ok()) return ReportShareProblem(store.status());
  const SystemClock clock;
  service::School school(**store, clock);
  if (core::Status s = school.Load(); !s.ok()) return ReportShareProblem(s);
  service::Shares shares(school, nullptr);  // sends with libcurl
  core::StatusOr<service::ShareResult> result = shares.ShareForSchool("command", request);
  if (!result.ok()) return ReportShareProblem(result.status());
  const store::Share& share = result->share;
  if (args.dry_run) {
    std::cout << result->extract << "\n";
    return kExitOk;
  }
  if (!share.ok) {
    std::cerr << fmt::format("rollcall share: share {} failed: {}\n", share.id, share.detail);
    return kExitFailure;
  }
  std::cout << fmt::format("Share {}: {} marks, {}{}\n", share.id, share.rows, share.detail,
                           share.one_off ? " (a one-off: no mark is recorded as shared, so the "
                                           "destination set still gets them all)"
                                         : "");
  return kExitOk;
}

}  // namespace rollcall::cli
