// The cost of the per-request check for other processes' commits
// (service::School::ReloadIfWrittenOutside, checking on every call): when
// nothing changed, which is one round trip to PostgreSQL, and when another
// connection has just recorded one mark, which the check reads and applies
// without reading the school again. The school has 300 pupils and a term of
// marks, in a PostgreSQL database of ROLLCALL_TEST_PG (run it under
// scripts/with-test-postgres) and, for comparison, in an SQLite file.
//
// Usage: scripts/with-test-postgres build/release/bench/outside_check_bench
//        [google benchmark flags]
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "service/school.h"
#include "store/store.h"

namespace {

using namespace rollcall;

constexpr int kPupils = 300;
constexpr int kDays = 60;

class BenchClock : public core::Clock {
 public:
  int64_t NowSeconds() const override { return int64_t{Today().days()} * 86400 + 10 * 3600; }
  core::Date Today() const override { return *core::Date::Parse("2026-11-25"); }
  int MinuteOfDay() const override { return 10 * 60; }
};

void Check(const core::Status& s) {
  if (!s.ok()) {
    std::fprintf(stderr, "outside_check_bench: %s\n", s.message().c_str());
    std::abort();
  }
}

template <typename T>
T Value(core::StatusOr<T> v) {
  Check(v.status());
  return std::move(*v);
}

// A school of kPupils pupils, each with a mark for both sessions of each of
// kDays weekdays.
void Fill(store::Store& store) {
  Check(store.SetSchool({"Bench Primary", "900001", "909", "primary"}));
  store::Settings settings;
  settings.set_by = "bench";
  Value(store.SaveSettings(settings));
  const core::Date start = *core::Date::Parse("2026-09-02");
  Value(store.AddTerm({0, "Autumn 2026", start, *core::Date::Parse("2026-12-18")}));
  const int64_t class_id = Value(store.AddClass({0, "3A", 3, {}}));
  std::vector<int64_t> ids;
  for (int i = 0; i < kPupils; ++i) {
    store::Pupil p;
    p.upn = "B90912340" + std::to_string(1000 + i);
    p.legal_given_name = "Pupil";
    p.legal_family_name = std::to_string(i);
    p.date_of_birth = *core::Date::Parse("2018-05-01");
    p.sex = "F";
    p.year_group = 3;
    p.class_id = class_id;
    p.enrolments.push_back({start, std::nullopt, "", ""});
    ids.push_back(Value(store.AddPupil(p)));
  }
  const store::Actor actor{0, "bench", store::Role::kOffice};
  int days = 0;
  for (core::Date d = start; days < kDays; d = d.AddDays(1)) {
    if (d.IsWeekend()) continue;
    ++days;
    std::vector<store::MarkWrite> writes;
    for (int64_t id : ids) {
      writes.push_back({id, {d, core::Session::kAm}, core::AttendanceCode::kPresentAm});
      writes.push_back({id, {d, core::Session::kPm}, core::AttendanceCode::kPresentPm});
    }
    Value(store.SaveMarks(writes, actor, 0));
  }
}

// Two connections to one school: `writer` another process's, `reader` the
// one the School reads through.
struct Pair {
  Pair() = default;
  Pair(Pair&&) = default;
  Pair(const Pair&) = delete;
  Pair& operator=(const Pair&) = delete;
  Pair& operator=(Pair&&) = delete;
  ~Pair() {
    writer.reset();
    reader.reset();
    if (file.empty()) return;
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((file + suffix).c_str());
  }
  std::unique_ptr<store::Store> writer, reader;
  std::vector<int64_t> pupils;
  std::string file;  // SQLite: removed at the end
};

Pair OpenPair(bool postgres) {
  Pair p;
  if (postgres) {
    const char* conninfo = std::getenv("ROLLCALL_TEST_PG");
    if (conninfo == nullptr) return p;
    p.writer = Value(store::OpenPostgresStore(conninfo, "900001"));
    p.reader = Value(store::OpenPostgresStore(conninfo, "900001"));
  } else {
    p.file = "/tmp/outside_check_bench_" + std::to_string(::getpid()) + ".db";
    std::remove(p.file.c_str());
    p.writer = Value(store::OpenSqliteStore(p.file));
    p.reader = Value(store::OpenSqliteStore(p.file));
  }
  if (Value(p.reader->ListPupils()).empty()) Fill(*p.writer);
  for (const store::Pupil& pupil : Value(p.reader->ListPupils())) p.pupils.push_back(pupil.id);
  return p;
}

void BM_CheckNothingChanged(benchmark::State& state) {
  Pair p = OpenPair(state.range(0) == 1);
  if (!p.reader) {
    state.SkipWithError("ROLLCALL_TEST_PG is not set: run under scripts/with-test-postgres");
    return;
  }
  BenchClock clock;
  service::School school(*p.reader, clock, /*outside_write_check_ms=*/0);
  Check(school.Load());
  for (auto _ : state) {
    benchmark::DoNotOptimize(school.ReloadIfWrittenOutside());
  }
}
BENCHMARK(BM_CheckNothingChanged)->ArgName("postgres")->Arg(1)->Arg(0);

void BM_CheckAfterAnotherProcessMarked(benchmark::State& state) {
  Pair p = OpenPair(state.range(0) == 1);
  if (!p.reader) {
    state.SkipWithError("ROLLCALL_TEST_PG is not set: run under scripts/with-test-postgres");
    return;
  }
  BenchClock clock;
  service::School school(*p.reader, clock, /*outside_write_check_ms=*/0);
  Check(school.Load());
  const store::Actor actor{0, "bench", store::Role::kOffice};
  const core::SessionKey today{clock.Today(), core::Session::kAm};
  size_t n = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const store::MarkWrite w{
        p.pupils[n % p.pupils.size()], today,
        n % 2 == 0 ? core::AttendanceCode::kPresentAm : core::AttendanceCode::kNoReasonYet};
    ++n;
    Value(p.writer->SaveMarks({w}, actor, 0));
    state.ResumeTiming();
    benchmark::DoNotOptimize(school.ReloadIfWrittenOutside());
  }
}
BENCHMARK(BM_CheckAfterAnotherProcessMarked)->ArgName("postgres")->Arg(1)->Arg(0);

}  // namespace

BENCHMARK_MAIN();
