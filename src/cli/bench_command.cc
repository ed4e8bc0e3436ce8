// `rollcall bench engine`: the columnar engine at LA and national scale.
// Generates (or loads) N pupils x one academic year, times the statistics
// pass (counts, PA/SA, bands, totals by school and cohort) and the alerts
// pass on one and on every core, reports memory per pupil-year, and, on
// request, times the same aggregation over the same data in DuckDB (via
// Node.js, bench/duckdb) and SQLite, checking that all three agree.
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/commands.h"
#include "core/error_codes.h"
#include "engine/alert_scan.h"
#include "engine/cohort_stats.h"
#include "engine/evaluation.h"
#include "engine/parallel.h"
#include "engine/synthetic.h"
#include "io/policy_json.h"

namespace rollcall::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

double PeakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return double(usage.ru_maxrss) / 1024.0;
}

template <typename F>
std::vector<double> Time(int repeat, F f) {
  std::vector<double> times;
  for (int i = 0; i < repeat; ++i) {
    const Clock::time_point start = Clock::now();
    f();
    times.push_back(Seconds(start));
  }
  std::sort(times.begin(), times.end());
  return times;
}

std::string Grouped(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// One row of the comparison: totals for a school (cohort -1) or a cohort
// bit within a school.
struct TotalsRow {
  int64_t pupils, possible, attended, authorised, unauthorised, pa, sa;
  friend bool operator==(const TotalsRow&, const TotalsRow&) = default;
};
using TotalsTable = std::map<std::pair<int64_t, int64_t>, TotalsRow>;

TotalsRow RowOf(const engine::GroupTotals& g) {
  const core::Aggregate a = g.ToAggregate();
  return {a.pupils,
          a.counts.possible,
          a.counts.attended,
          a.counts.authorised,
          a.counts.unauthorised,
          a.persistent_absence,
          a.severe_absence};
}

TotalsTable EngineTable(const engine::Statistics& stats) {
  TotalsTable t;
  for (size_t s = 0; s < stats.schools.size(); ++s) {
    t[{int64_t(s), -1}] = RowOf(stats.schools[s].school);
    for (size_t c = 0; c < stats.schools[s].cohorts.size(); ++c) {
      if (stats.schools[s].cohorts[c].pupils > 0) {
        t[{int64_t(s), int64_t(c)}] = RowOf(stats.schools[s].cohorts[c]);
      }
    }
  }
  return t;
}

// The aggregation in SQL, with the code lists taken from the core.
std::string AggregateSql(const core::Policy& policy) {
  std::vector<std::string> attended, absent, unauthorised;
  for (const core::CodeInfo& info : core::AllCodes()) {
    const std::string n = std::to_string(static_cast<int>(info.code));
    switch (info.category) {
      case core::StatCategory::kPresent:
      case core::StatCategory::kApprovedActivity:
        attended.push_back(n);
        break;
      case core::StatCategory::kUnauthorised:
        unauthorised.push_back(n);
        absent.push_back(n);
        break;
      case core::StatCategory::kAuthorised:
        absent.push_back(n);
        break;
      case core::StatCategory::kNotPossible:
        break;
    }
  }
  const std::string pa = policy.persistent_absence_pct.ToString();
  const std::string sa = policy.severe_absence_pct.ToString();
  const std::string sums = fmt::format(
      "COUNT(*), SUM(possible), SUM(attended), SUM(absence - unauthorised), SUM(unauthorised), "
      "SUM(CASE WHEN absence * 100 >= {} * possible THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN absence * 100 >= {} * possible THEN 1 ELSE 0 END)",
      pa, sa);
  return fmt::format(
      "CREATE TEMP TABLE q AS SELECT p.school AS school, p.cohorts AS cohorts, s.attended AS "
      "attended, s.absence AS absence, s.unauthorised AS unauthorised, s.attended + s.absence AS "
      "possible FROM (SELECT pupil, SUM(CASE WHEN code IN ({}) THEN 1 ELSE 0 END) AS attended, "
      "SUM(CASE WHEN code IN ({}) THEN 1 ELSE 0 END) AS absence, SUM(CASE WHEN code IN ({}) THEN "
      "1 ELSE 0 END) AS unauthorised FROM marks GROUP BY pupil) s JOIN pupils p ON p.pupil = "
      "s.pupil WHERE s.attended + s.absence > 0;\n"
      "SELECT school, -1 AS cohort, {} FROM q GROUP BY school UNION ALL SELECT q.school, b.bit, {} "
      "FROM q JOIN bits b ON ((q.cohorts >> b.bit) & 1) = 1 GROUP BY q.school, b.bit ORDER BY 1, "
      "2;\n",
      fmt::join(attended, ","), fmt::join(absent, ","), fmt::join(unauthorised, ","), sums, sums);
}

// The statistics period's marks as CSV: marks.csv (pupil, code; one row per
// on-roll session, unrecorded as 0) and pupils.csv (pupil, school, cohort
// bits). Pupils are numbered across schools.
core::Status ExportCsv(const engine::Dataset& dataset, core::Date as_of, const fs::path& dir,
                       uint64_t& rows) {
  const core::Period period = core::StatisticsPeriod(as_of);
  std::FILE* marks = std::fopen((dir / "marks.csv").c_str(), "w");
  std::FILE* pupils = std::fopen((dir / "pupils.csv").c_str(), "w");
  if (marks == nullptr || pupils == nullptr) {
    if (marks) std::fclose(marks);
    if (pupils) std::fclose(pupils);
    return core::Internal(core::kErrBenchIo,
                          fmt::format("cannot write CSV files in {}", dir.string()));
  }
  std::fputs("pupil,code\n", marks);
  std::fputs("pupil,school,cohorts\n", pupils);
  std::string buffer;
  buffer.reserve(1 << 22);
  int64_t number = 0;
  rows = 0;
  for (size_t s = 0; s < dataset.schools.size(); ++s) {
    const engine::School& school = dataset.schools[s];
    const engine::PeriodRange range = engine::RangeOf(school, period, as_of);
    for (size_t p = 0; p < school.PupilCount(); ++p, ++number) {
      fmt::print(pupils, "{},{},{}\n", number, s, static_cast<int64_t>(school.pupils[p].cohorts));
      if (range.year == nullptr) continue;
      const uint8_t* row = range.year->Row(p) + range.offset;
      const std::string prefix = fmt::format("{},", number);
      for (int32_t j = 0; j < range.length; ++j) {
        if (row[j] == engine::kOffRoll) continue;
        buffer += prefix;
        fmt::format_to(std::back_inserter(buffer), "{}\n", int{row[j]});
        ++rows;
      }
      if (buffer.size() > (1 << 22) - 4096) {
        std::fwrite(buffer.data(), 1, buffer.size(), marks);
        buffer.clear();
      }
    }
  }
  std::fwrite(buffer.data(), 1, buffer.size(), marks);
  const bool ok = std::fclose(marks) == 0 && std::fclose(pupils) == 0;
  if (!ok) return core::Internal(core::kErrBenchIo, "writing the CSV files failed");
  return core::OkStatus();
}

int64_t JsonInt(const nlohmann::json& v) {
  return v.is_string() ? std::stoll(v.get<std::string>()) : v.get<int64_t>();
}

TotalsTable TableFromRows(const std::vector<std::vector<int64_t>>& rows) {
  TotalsTable t;
  for (const std::vector<int64_t>& r : rows) {
    t[{r[0], r[1]}] = {r[2], r[3], r[4], r[5], r[6], r[7], r[8]};
  }
  return t;
}

struct SqliteResult {
  double load_seconds = 0;
  std::vector<double> query_seconds;
  TotalsTable table;
  std::string error;
};

SqliteResult RunSqlite(const fs::path& dir, const std::string& sql, int repeat) {
  SqliteResult out;
  sqlite3* db = nullptr;
  const std::string path = (dir / "bench.sqlite").string();
  fs::remove(path);
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    out.error = "cannot open " + path;
    return out;
  }
  auto exec = [&](const std::string& text) {
    char* message = nullptr;
    if (sqlite3_exec(db, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      out.error = message ? message : "sqlite error";
      sqlite3_free(message);
      return false;
    }
    return true;
  };
  const Clock::time_point start = Clock::now();
  bool ok = exec(
      "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-2000000;"
      "PRAGMA temp_store=MEMORY;"
      "CREATE TABLE marks(pupil INTEGER NOT NULL, code INTEGER NOT NULL);"
      "CREATE TABLE pupils(pupil INTEGER PRIMARY KEY, school INTEGER, cohorts INTEGER);"
      "CREATE TABLE bits(bit INTEGER);"
      "WITH RECURSIVE r(b) AS (SELECT 0 UNION ALL SELECT b + 1 FROM r WHERE b < 63) "
      "INSERT INTO bits SELECT b FROM r; BEGIN;");
  // Loads the CSV files the DuckDB side reads, with prepared inserts.
  auto load = [&](const char* file, const char* insert, int columns) {
    std::ifstream in(dir / file);
    std::string line;
    std::getline(in, line);  // header
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, insert, -1, &stmt, nullptr) != SQLITE_OK) return false;
    while (std::getline(in, line)) {
      const char* p = line.c_str();
      for (int c = 1; c <= columns; ++c) {
        char* next = nullptr;
        sqlite3_bind_int64(stmt, c, std::strtoll(p, &next, 10));
        p = next + 1;
      }
      if (sqlite3_step(stmt) != SQLITE_DONE) {
        sqlite3_finalize(stmt);
        return false;
      }
      sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
    return true;
  };
  ok = ok && load("marks.csv", "INSERT INTO marks VALUES (?1, ?2)", 2) &&
       load("pupils.csv", "INSERT INTO pupils VALUES (?1, ?2, ?3)", 3) && exec("COMMIT;");
  out.load_seconds = Seconds(start);
  const size_t split = sql.find(";\n");
  const std::string create = sql.substr(0, split + 1), select = sql.substr(split + 2);
  for (int i = 0; ok && i < repeat; ++i) {
    const Clock::time_point t = Clock::now();
    std::vector<std::vector<int64_t>> rows;
    ok = exec(create);
    sqlite3_stmt* stmt = nullptr;
    if (ok && sqlite3_prepare_v2(db, select.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
      while (sqlite3_step(stmt) == SQLITE_ROW) {
        std::vector<int64_t> r;
        for (int c = 0; c < 9; ++c) r.push_back(sqlite3_column_int64(stmt, c));
        rows.push_back(std::move(r));
      }
      sqlite3_finalize(stmt);
    }
    out.query_seconds.push_back(Seconds(t));
    out.table = TableFromRows(rows);
    ok = ok && exec("DROP TABLE q;");
  }
  sqlite3_close(db);
  fs::remove(path);
  std::sort(out.query_seconds.begin(), out.query_seconds.end());
  return out;
}

// The first schools of `dataset` holding at most `pupils` pupils.
engine::Dataset Prefix(const engine::Dataset& dataset, int64_t pupils) {
  engine::Dataset out;
  int64_t n = 0;
  for (const engine::School& s : dataset.schools) {
    if (n + int64_t(s.PupilCount()) > pupils && !out.schools.empty()) break;
    out.schools.push_back(s);
    n += int64_t(s.PupilCount());
  }
  return out;
}

core::StatusOr<core::Policy> PolicyFromJson(std::string_view json) {
  return io::ParsePolicyText(json);
}

}  // namespace

int RunBenchEngine(const BenchEngineArgs& args) {
  if (args.pupils < 1 || args.pupils > 20'000'000) {
    std::cerr << "rollcall bench engine: --pupils must be 1 to 20000000\n";
    return kExitInvalidInput;
  }
  if (args.school_size < 1 || args.school_size > 10'000'000) {
    std::cerr << "rollcall bench engine: --school-size must be 1 to 10000000\n";
    return kExitInvalidInput;
  }
  if (args.core_pupils < 1) {
    std::cerr << "rollcall bench engine: --core-pupils must be at least 1\n";
    return kExitInvalidInput;
  }
  if (args.repeat < 1 || args.repeat > 100) {
    std::cerr << "rollcall bench engine: --repeat must be 1 to 100\n";
    return kExitInvalidInput;
  }
  const int cores = engine::ThreadCount(args.threads);
  engine::SyntheticOptions options{.pupils = args.pupils,
                                   .school_size = args.school_size,
                                   .academic_year = 2024,
                                   .seed = args.seed,
                                   .threads = cores};
  core::Date as_of = engine::SyntheticAsOf(options);
  if (!args.as_of.empty()) {
    std::optional<core::Date> day = core::Date::Parse(args.as_of);
    if (!day) {
      std::cerr << "rollcall bench engine: --as-of " << args.as_of << " is not a date\n";
      return kExitInvalidInput;
    }
    as_of = *day;
  }
  engine::Dataset dataset;
  Clock::time_point start = Clock::now();
  if (!args.load.empty()) {
    std::ifstream in(args.load, std::ios::binary);
    if (!in) {
      std::cerr << "rollcall bench engine: cannot open " << args.load << "\n";
      return kExitFailure;
    }
    core::StatusOr<engine::Dataset> loaded = engine::ReadDataset(in, PolicyFromJson);
    if (!loaded.ok()) {
      std::cerr << "rollcall bench engine: " << args.load << ": " << loaded.status().message()
                << "\n";
      return kExitInvalidInput;
    }
    dataset = std::move(loaded).value();
    fmt::print("loaded {} in {:.2f} s\n", args.load, Seconds(start));
  } else {
    dataset = engine::GenerateDataset(options);
    fmt::print("generated in {:.2f} s ({} threads)\n", Seconds(start), cores);
  }
  if (!args.save.empty()) {
    start = Clock::now();
    std::ofstream out(args.save, std::ios::binary | std::ios::trunc);
    core::Status written = out ? engine::WriteDataset(dataset, out)
                               : core::Internal(core::kErrBenchIo, "cannot open the file");
    out.close();
    if (!written.ok() || !out) {
      std::cerr << "rollcall bench engine: cannot write " << args.save << "\n";
      return kExitFailure;
    }
    fmt::print("saved {} ({:.2f} GB) in {:.2f} s\n", args.save,
               double(fs::file_size(args.save)) / 1e9, Seconds(start));
  }
  const size_t pupils = dataset.PupilCount();
  const size_t mark_bytes = dataset.MarkBytes();
  fmt::print("{} pupils in {} schools, {} pupil-sessions, as of {}\n", Grouped(pupils),
             Grouped(dataset.schools.size()), Grouped(mark_bytes), as_of.ToString());
  fmt::print(
      "memory: {:.1f} bytes per pupil-year ({:.1f} marks + {:.1f} pupil tables); "
      "{:.2f} GB in all; peak RSS {:.0f} MB\n",
      double(dataset.MemoryBytes()) / double(pupils), double(mark_bytes) / double(pupils),
      double(dataset.MemoryBytes() - mark_bytes) / double(pupils),
      double(dataset.MemoryBytes()) / 1e9, PeakRssMb());

  nlohmann::ordered_json report{
      {"pupils", pupils},
      {"schools", dataset.schools.size()},
      {"pupil_sessions", mark_bytes},
      {"bytes_per_pupil_year", double(dataset.MemoryBytes()) / double(pupils)}};
  engine::Statistics stats;
  std::vector<int> thread_counts{1};
  if (cores > 1) thread_counts.push_back(cores);
  for (int threads : thread_counts) {
    const std::vector<double> t =
        Time(args.repeat, [&] { stats = engine::ComputeStatistics(dataset, as_of, threads); });
    fmt::print("statistics pass, {} thread{}: best {:.3f} s, median {:.3f} s ({} runs)\n", threads,
               threads == 1 ? "" : "s", t.front(), t[t.size() / 2], t.size());
    report["statistics_seconds"][std::to_string(threads)] = t.front();
  }
  const core::Aggregate all = stats.all.ToAggregate();
  fmt::print("  attendance {:.2f}%, PA {:.1f}% ({} pupils), SA {:.1f}%\n",
             100.0 * double(all.counts.attended) / double(all.counts.possible),
             100.0 * double(all.persistent_absence) / double(all.pupils),
             Grouped(uint64_t(all.persistent_absence)),
             100.0 * double(all.severe_absence) / double(all.pupils));
  for (int threads : thread_counts) {
    size_t alerts = 0, evidence = 0;
    const std::vector<double> t = Time(args.repeat, [&] {
      const engine::AlertScan scan = engine::ScanAlerts(dataset, as_of, threads);
      alerts = scan.AlertCount();
      evidence = 0;
      for (const engine::SchoolAlerts& s : scan.schools) evidence += s.evidence.size();
    });
    fmt::print(
        "alerts pass, {} thread{}: best {:.3f} s, median {:.3f} s; {} alerts citing {} "
        "sessions\n",
        threads, threads == 1 ? "" : "s", t.front(), t[t.size() / 2], Grouped(alerts),
        Grouped(evidence));
    report["alerts_seconds"][std::to_string(threads)] = t.front();
    report["alerts"] = alerts;
  }
  fmt::print("peak RSS {:.0f} MB\n", PeakRssMb());

  // Baseline in the same run: the rules core itself (as `rollcall evaluate`
  // and the school service run it) on the first schools' pupils, one thread.
  {
    const engine::Dataset subset =
        Prefix(dataset, std::min<int64_t>(args.core_pupils, int64_t(pupils)));
    std::vector<core::Scenario> scenarios;
    for (const engine::School& s : subset.schools)
      scenarios.push_back(engine::ToScenario(s, as_of));
    size_t sessions = 0;
    int64_t pa = 0;
    const std::vector<double> core_stats = Time(args.repeat, [&] {
      sessions = 0;
      pa = 0;
      for (const core::Scenario& sc : scenarios) {
        core::Aggregate school;
        for (size_t p = 0; p < sc.pupils.size(); ++p) {
          const std::vector<core::PupilSession> seq = core::BuildPupilSessions(
              sc.calendar, sc.pupils[p], sc.marks[p], sc.default_mark, as_of);
          core::PupilEvaluation e;
          e.counts = core::CountSessions(sc.calendar, seq, core::StatisticsPeriod(as_of));
          e.persistent_absence = core::IsPersistentAbsence(e.counts, sc.policy);
          e.severe_absence = core::IsSevereAbsence(e.counts, sc.policy);
          e.band = core::BandOf(e.counts, sc.policy);
          school.Add(e);
          sessions += seq.size();
        }
        pa += school.persistent_absence;
      }
    });
    const std::vector<double> core_all = Time(args.repeat, [&] {
      for (const core::Scenario& sc : scenarios) (void)core::Evaluate(sc);
    });
    const std::vector<double> ours =
        Time(args.repeat, [&] { (void)engine::ComputeStatistics(subset, as_of, 1); });
    const std::vector<double> ours_alerts =
        Time(args.repeat, [&] { (void)engine::ScanAlerts(subset, as_of, 1); });
    const double n = double(subset.PupilCount());
    fmt::print(
        "core baseline, {} pupils, 1 thread: statistics {:.3f} s ({:.0f} us/pupil) vs engine "
        "{:.4f} s: engine {:.0f}x; whole evaluation {:.3f} s vs engine statistics + alerts {:.3f} "
        "s: engine {:.0f}x (PA pupils {})\n",
        Grouped(subset.PupilCount()), core_stats.front(), 1e6 * core_stats.front() / n,
        ours.front(), core_stats.front() / ours.front(), core_all.front(),
        ours.front() + ours_alerts.front(), core_all.front() / (ours.front() + ours_alerts.front()),
        Grouped(uint64_t(pa)));
    report["core_baseline"] = {{"pupils", subset.PupilCount()},
                               {"statistics_seconds", core_stats.front()},
                               {"engine_statistics_seconds", ours.front()},
                               {"evaluate_seconds", core_all.front()},
                               {"engine_all_seconds", ours.front() + ours_alerts.front()}};
  }

  if (!args.duckdb.empty() || args.sqlite_pupils > 0) {
    const fs::path dir = args.work_dir.empty() ? fs::temp_directory_path() / "rollcall-bench"
                                               : fs::path(args.work_dir);
    fs::create_directories(dir);
    auto compare = [&](const std::string& name, int64_t limit, auto run) {
      // A copy only when comparing on fewer pupils (the data may be most of RAM).
      const engine::Dataset copy =
          limit < int64_t(pupils) ? Prefix(dataset, limit) : engine::Dataset{};
      const engine::Dataset& subset = limit < int64_t(pupils) ? copy : dataset;
      const size_t n = subset.PupilCount();
      uint64_t rows = 0;
      Clock::time_point t0 = Clock::now();
      if (core::Status s = ExportCsv(subset, as_of, dir, rows); !s.ok()) {
        std::cerr << "rollcall bench engine: " << s.message() << "\n";
        return false;
      }
      fmt::print("{}: exported {} pupils, {} rows of CSV in {:.1f} s\n", name, Grouped(n),
                 Grouped(rows), Seconds(t0));
      {
        std::ofstream sql(dir / "aggregate.sql");
        sql << AggregateSql(*subset.schools.front().policy);
      }
      engine::Statistics ours;
      const std::vector<double> mine =
          Time(args.repeat, [&] { ours = engine::ComputeStatistics(subset, as_of, cores); });
      double load = 0;
      std::vector<double> theirs;
      TotalsTable table;
      if (!run(load, theirs, table)) return false;
      const bool agree = table == EngineTable(ours);
      fmt::print(
          "{}: load {:.1f} s; aggregation best {:.3f} s vs engine {:.3f} s: engine {:.1f}x "
          "faster; results {}\n",
          name, load, theirs.front(), mine.front(), theirs.front() / mine.front(),
          agree ? "identical for every school and cohort" : "DIFFER");
      report[name] = {{"pupils", n},
                      {"rows", rows},
                      {"load_seconds", load},
                      {"query_seconds", theirs.front()},
                      {"engine_seconds", mine.front()},
                      {"ratio", theirs.front() / mine.front()},
                      {"agree", agree}};
      return agree;
    };
    bool ok = true;
    if (!args.duckdb.empty()) {
      ok = compare("duckdb", args.duckdb_pupils > 0 ? args.duckdb_pupils : args.pupils,
                   [&](double& load, std::vector<double>& times, TotalsTable& table) {
                     const std::string command =
                         fmt::format("node '{}' '{}' {} {} {}", args.duckdb, dir.string(), cores,
                                     args.repeat, args.duckdb_storage);
                     std::FILE* pipe = popen(command.c_str(), "r");
                     if (pipe == nullptr) return false;
                     std::string text;
                     char chunk[65536];
                     for (size_t n; (n = std::fread(chunk, 1, sizeof chunk, pipe)) > 0;) {
                       text.append(chunk, n);
                     }
                     if (pclose(pipe) != 0 || text.empty()) {
                       std::cerr << "rollcall bench engine: DuckDB (" << command << ") failed\n";
                       return false;
                     }
                     const nlohmann::json j = nlohmann::json::parse(text);
                     load = j["load_seconds"].get<double>();
                     for (const auto& t : j["query_seconds"]) times.push_back(t.get<double>());
                     std::sort(times.begin(), times.end());
                     std::vector<std::vector<int64_t>> rows;
                     for (const auto& r : j["rows"]) {
                       std::vector<int64_t> v;
                       for (const auto& x : r) v.push_back(JsonInt(x));
                       rows.push_back(std::move(v));
                     }
                     table = TableFromRows(rows);
                     fmt::print("duckdb: {}, {} threads, marks in {}\n",
                                j["version"].get<std::string>(), cores, args.duckdb_storage);
                     return true;
                   }) &&
           ok;
    }
    if (args.sqlite_pupils > 0) {
      ok = compare("sqlite", args.sqlite_pupils,
                   [&](double& load, std::vector<double>& times, TotalsTable& table) {
                     const std::string sql = AggregateSql(*dataset.schools.front().policy);
                     SqliteResult r = RunSqlite(dir, sql, args.repeat);
                     if (!r.error.empty()) {
                       std::cerr << "rollcall bench engine: SQLite: " << r.error << "\n";
                       return false;
                     }
                     fmt::print("sqlite: {} (one thread: SQLite runs a query on one)\n",
                                sqlite3_libversion());
                     load = r.load_seconds;
                     times = r.query_seconds;
                     table = std::move(r.table);
                     return true;
                   }) &&
           ok;
    }
    fs::remove(dir / "marks.csv");
    fs::remove(dir / "pupils.csv");
    if (!ok) return kExitFailure;
  }
  if (!args.json.empty()) {
    std::ofstream out(args.json);
    out << report.dump(1) << "\n";
  }
  return kExitOk;
}

}  // namespace rollcall::cli
