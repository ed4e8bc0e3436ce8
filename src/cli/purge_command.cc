// `rollcall purge --db FILE (--dry-run | --apply) [--now TIME]`: the records
// past their retention period (docs/retention.md). The dry run lists, for
// each kind of record, how many rows would go and up to which day, and the
// pupils held; --apply removes them in one transaction, records the purge
// in the purge log as "command", and prints the same. --now purges as of
// another UK local time (for trying things out and tests).
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "cli/system_clock.h"
#include "service/retention.h"
#include "service/school.h"

namespace rollcall::cli {
namespace {

void PrintPlan(const service::PurgePlan& plan) {
  std::cout << fmt::format("{} on {}\n", plan.applied ? "Purged" : "Dry run (nothing removed)",
                           plan.today.ToString());
  for (size_t i = 0; i < plan.counts.size() && i < plan.periods.size(); ++i) {
    const service::RetentionPeriod& p = plan.periods[i];
    const store::PurgeCount& c = plan.counts[i];
    std::cout << fmt::format(
        "  {:<18} {:>9} {} made before {} (kept {} {}){}\n", c.kind, c.rows,
        plan.applied ? "removed," : "to remove,", c.before.ToString(),
        service::MonthsText(p.months),
        p.basis == store::RetentionBasis::kLeft ? "after the pupil left" : "from when made",
        c.held > 0 ? fmt::format("; {} held", c.held) : "");
  }
  if (plan.held.empty()) {
    std::cout << "No pupil is held.\n";
  } else {
    std::cout << "Held (nothing of theirs is purged while the case is open):\n";
    for (const service::HeldPupil& h : plan.held) {
      std::string reasons;
      for (const std::string& r : h.reasons) reasons += (reasons.empty() ? "" : ", ") + r;
      std::cout << fmt::format("  {} (id {}): {}\n", h.name, h.pupil_id, reasons);
    }
  }
  std::cout << fmt::format("{} rows {}.\n", plan.total(),
                           plan.applied ? "removed" : "would be removed");
}

}  // namespace

int RunPurge(const PurgeArgs& args) {
  if (args.dry_run == args.apply) {
    std::cerr << "rollcall purge: give --dry-run (see what would go) or --apply (remove it), "
                 "one of them\n";
    return kExitInvalidInput;
  }
  int64_t offset = 0;
  if (!args.now.empty()) {
    core::StatusOr<int64_t> o = OffsetToLocalTime(args.now);
    if (!o.ok()) return ReportProblem("purge", o.status());
    offset = *o;
    // A clock ahead of the real time would purge records still inside their
    // period; a dry run may look ahead, a purge may not.
    if (args.apply && offset > 0) {
      std::cerr << "rollcall purge: --apply cannot run with --now later than the real time: "
                   "records still inside their retention period would be removed\n";
      return kExitInvalidInput;
    }
  }
  // A purge never makes a database: a mistyped path is an error, not an
  // empty school with nothing to purge.
  std::error_code ec;
  if (!store::IsPostgresUri(args.db) && !std::filesystem::exists(args.db, ec)) {
    std::cerr << "rollcall purge: there is no database at " << args.db << "\n";
    return kExitInvalidInput;
  }
  core::StatusOr<std::unique_ptr<store::Store>> store = OpenSchoolStore(args.db, args.school);
  if (!store.ok()) return ReportProblem("purge", store.status());
  const SystemClock clock(offset);
  service::School school(**store, clock);
  if (core::Status s = school.Load(); !s.ok()) return ReportProblem("purge", s);
  service::Retention retention(school);
  core::StatusOr<service::PurgePlan> plan =
      args.apply ? retention.Apply("command") : retention.DryRun();
  if (!plan.ok()) return ReportProblem("purge", plan.status());
  PrintPlan(*plan);
  return kExitOk;
}

}  // namespace rollcall::cli
