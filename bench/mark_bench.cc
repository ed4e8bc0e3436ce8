// The cost of recording one mark as the number of open cases grows: a school
// of 40 pupils plus N others, each of whom has an open penalty-notice case
// and an open children-missing-education case, in a SQLite database file.
// After each mark the casework checks run for the marked pupil only, reading
// only that pupil's cases, so the time per mark should not grow with N: the
// figure to read is the ratio of N = 500 to N = 0, measured in the same run.
//
// Usage: mark_bench [google benchmark flags]   (make bench-mark)
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include "core/clock.h"
#include "service/records.h"
#include "service/services.h"
#include "store/store.h"

namespace {

using namespace rollcall;

class BenchClock : public core::Clock {
 public:
  int64_t NowSeconds() const override { return int64_t{Today().days()} * 86400 + 10 * 3600; }
  core::Date Today() const override { return *core::Date::Parse("2026-11-25"); }
  int MinuteOfDay() const override { return 10 * 60; }
};

void Check(const core::Status& s) {
  if (!s.ok()) {
    std::fprintf(stderr, "mark_bench: %s\n", s.message().c_str());
    std::abort();
  }
}

int64_t AddPupil(store::Store& store, int n, int64_t class_id) {
  store::Pupil p;
  p.upn = "A" + std::to_string(100000000000 + n);
  p.legal_given_name = "Pupil";
  p.legal_family_name = std::to_string(n);
  p.date_of_birth = *core::Date::Parse("2018-05-01");
  p.sex = "F";
  p.year_group = 3;
  p.class_id = class_id;
  p.enrolments.push_back({*core::Date::Parse("2026-09-01"), std::nullopt, "", ""});
  core::StatusOr<int64_t> id = store.AddPupil(p);
  Check(id.status());
  return *id;
}

void BM_RecordMark(benchmark::State& state) {
  const int cases = static_cast<int>(state.range(0));
  char path[] = "/tmp/rollcall-mark-bench-XXXXXX";
  const int fd = mkstemp(path);
  if (fd >= 0) close(fd);
  std::remove(path);
  {
    core::StatusOr<std::unique_ptr<store::Store>> opened = store::OpenSqliteStore(path);
    Check(opened.status());
    store::Store& store = **opened;
    Check(store.SetSchool({"Bench Primary", "123456", "909", "primary"}));
    store::Settings settings;
    settings.set_by = "bench";
    Check(store.SaveSettings(settings).status());
    Check(store
              .AddTerm({0, "Autumn 2026", *core::Date::Parse("2026-09-02"),
                        *core::Date::Parse("2026-12-18")})
              .status());
    const int64_t class_id = *store.AddClass({0, "3A", 3, {}});
    std::vector<int64_t> pupils;
    for (int i = 0; i < 40; ++i) pupils.push_back(AddPupil(store, i, class_id));
    store::User office;
    office.username = "office";
    office.display_name = "Ms Office";
    office.role = store::Role::kOffice;
    office.password_hash = "not-a-hash";
    office.id = *store.AddUser(office);
    const BenchClock clock;
    service::Services services(store, clock);
    Check(services.Load());
    // The others' cases, opened after loading (which would close CME cases
    // of pupils with no unexplained absence).
    for (int i = 0; i < cases; ++i) {
      const int64_t other = AddPupil(store, 1000 + i, class_id);
      Check(store
                .OpenPenaltyCase({.pupil_id = other,
                                  .alert = {*core::Date::Parse("2026-11-20"), core::Session::kAm},
                                  .evidence = "2026-11-20 AM G",
                                  .opened_at = 0})
                .status());
      Check(store.OpenCmeCase({.pupil_id = other, .first_day = *core::Date::Parse("2026-11-24")})
                .status());
    }
    Check(services.Load());
    const service::Principal who = service::PrincipalOf(office);
    size_t n = 0;
    for (auto _ : state) {
      // Alternately present and ill: every mark is a change, so every one
      // is written and followed by the casework checks.
      const int64_t pupil = pupils[n % pupils.size()];
      const bool ill = (n / pupils.size()) % 2 == 1;
      core::StatusOr<service::MarkResult> r = services.registers().RecordMark(
          who, {"2026-11-25", "AM", std::to_string(pupil), ill ? "I" : "/", "bench", ""});
      Check(r.status());
      ++n;
    }
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((std::string(path) + suffix).c_str());
}
BENCHMARK(BM_RecordMark)->Arg(0)->Arg(500)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
