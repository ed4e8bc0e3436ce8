// `rollcall bench purge --pupils N --years Y [--keep-db PATH]`: the time the
// retention purge takes on a school of N pupils with Y years of marks (both
// sessions of every school day, an amendment and a logged call every 40
// school days a pupil, one pupil in 20 leaving after the first year), built
// by BuildBigSchool in an SQLite file, as a school's is. Times the dry run
// (counting what would go) and the purge itself, which removes the rows in
// one transaction and reads the school again, as `rollcall purge` and the
// nightly job do. The clock is 4 December 2026 at 02:30.
//
// With --keep-db the school is written to PATH and left there whole for
// other timings (backups): the dry run is timed, the purge is not run.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>

#include "cli/big_school.h"
#include "cli/commands.h"
#include "core/clock.h"
#include "core/error_codes.h"
#include "core/uk_time.h"
#include "service/retention.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::cli {
namespace {

using PurgeSteady = std::chrono::steady_clock;

// 02:30 on Friday 4 December 2026, UK time: in the nightly purge's window.
class NightClock : public core::Clock {
 public:
  int64_t NowSeconds() const override { return core::UkUnixSeconds(Today(), MinuteOfDay()); }
  core::Date Today() const override { return *core::Date::FromYmd(2026, 12, 4); }
  int MinuteOfDay() const override { return 2 * 60 + 30; }
};

core::Status BenchPurge(const BenchPurgeArgs& args) {
  const NightClock clock;
  std::filesystem::path dir;
  std::filesystem::path path = args.keep_db;
  if (path.empty()) {
    dir = std::filesystem::temp_directory_path() / fmt::format("rollcall-bench-purge-{}", getpid());
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    if (!std::filesystem::create_directories(dir, ec)) {
      return core::Unavailable(core::kErrFileWrite,
                               fmt::format("cannot make {}: {}", dir.string(), ec.message()));
    }
    path = dir / "school.db";
  }
  struct RemoveDir {
    std::filesystem::path path;
    ~RemoveDir() {
      std::error_code ignored;
      if (!path.empty()) std::filesystem::remove_all(path, ignored);
    }
  } remove_dir{dir};

  auto start = PurgeSteady::now();
  ASSIGN_OR_RETURN(const BigSchool big,
                   BuildBigSchool(path.string(), BigSchoolOptions{.pupils = args.pupils,
                                                                  .years = args.years,
                                                                  .today = clock.Today()}));
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(path, ec);
  fmt::print(
      "rollcall bench purge: {} pupils ({} left after the first year), {} school days from {}: "
      "{} marks, {} amendments, {} contacts, written in {:.1f} s ({:.0f} MB)\n",
      big.pupils, big.leavers, big.school_days, big.first_day.ToString(), big.marks, big.amendments,
      big.contacts, SecondsSince(start), ec ? 0.0 : static_cast<double>(bytes) / 1e6);

  ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenSqliteStore(path.string()));
  service::School school(*store, clock);
  start = PurgeSteady::now();
  RETURN_IF_ERROR(school.Load());
  fmt::print("rollcall bench purge: the school read in {:.2f} s\n", SecondsSince(start));
  service::Retention retention(school);

  start = PurgeSteady::now();
  ASSIGN_OR_RETURN(const service::PurgePlan dry, retention.DryRun());
  const double dry_seconds = SecondsSince(start);
  fmt::print("rollcall bench purge: dry run in {:.3f} s: {} rows would go\n", dry_seconds,
             dry.total());
  for (const store::PurgeCount& c : dry.counts) {
    fmt::print("  {:<18} {:>9} before {}\n", c.kind, c.rows, c.before.ToString());
  }
  if (!args.keep_db.empty()) {
    fmt::print("rollcall bench purge: the school is left whole at {} (no purge run)\n",
               path.string());
    return core::OkStatus();
  }

  start = PurgeSteady::now();
  ASSIGN_OR_RETURN(const service::PurgePlan done, retention.Apply("bench"));
  const double apply_seconds = SecondsSince(start);
  fmt::print(
      "rollcall bench purge: purge in {:.3f} s (one transaction, then the school read again): "
      "{} rows removed\n",
      apply_seconds, done.total());
  if (done.total() != dry.total()) {
    return core::Internal(
        core::kErrInternal,
        fmt::format("the purge removed {} rows, the dry run said {}", done.total(), dry.total()));
  }
  start = PurgeSteady::now();
  ASSIGN_OR_RETURN(const service::PurgePlan after, retention.DryRun());
  fmt::print("rollcall bench purge: a dry run after it in {:.3f} s: {} rows would go\n",
             SecondsSince(start), after.total());
  if (after.total() != 0) {
    return core::Internal(core::kErrInternal,
                          fmt::format("{} rows still due after the purge", after.total()));
  }
  return core::OkStatus();
}

}  // namespace

int RunBenchPurge(const BenchPurgeArgs& args) {
  if (core::Status s = BenchPurge(args); !s.ok()) {
    std::cerr << "rollcall bench purge: " << s.message() << "\n";
    return s.kind() == core::ErrorKind::kInvalidArgument ? kExitInvalidInput : kExitFailure;
  }
  return kExitOk;
}

}  // namespace rollcall::cli
