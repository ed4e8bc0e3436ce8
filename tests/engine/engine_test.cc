// The columnar engine against the core, the reference: on every public
// conformance case, on thousands of randomly generated pupils (varied
// calendars, enrolments, marks, default marks and policies), and on the
// benchmark's synthetic LA data. A failure prints the seed that reproduces it.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "core/evaluate.h"
#include "engine/evaluation.h"
#include "engine/synthetic.h"
#include "io/policy_json.h"
#include "io/result_json.h"
#include "io/scenario_json.h"

namespace rollcall::engine {
namespace {

namespace fs = std::filesystem;
using core::AttendanceCode;
using core::Date;

Date Ymd(int y, unsigned m, unsigned d) { return *Date::FromYmd(y, m, d); }

// The engine's result and the core's, as the conformance JSON plus what the
// JSON leaves out (every count of every aggregate, by code).
std::string Describe(const core::Scenario& scenario, const core::Evaluation& e) {
  std::string out = io::EvaluationToJson(scenario, e).dump(1);
  auto counts = [](const core::Aggregate& a) {
    return fmt::format("{} {} {} {} {} {} {}", a.counts.present, a.counts.late_before_close,
                       a.counts.late_after_close, a.counts.approved_activity, a.counts.not_possible,
                       a.counts.unrecorded, a.pupils);
  };
  // By code for the school (the engine's CodeBreakdown); cohorts' by_code
  // is not computed by the engine.
  out += "\nschool " + counts(e.school) +
         fmt::format(" | {}", fmt::join(e.school.counts.by_code, " "));
  for (const auto& [tag, a] : e.cohorts) out += "\n" + tag + " " + counts(a);
  for (const core::PupilEvaluation& p : e.pupils) {
    out += fmt::format("\n{} {} {} {} {}", p.counts.present, p.counts.late_before_close,
                       p.counts.late_after_close, p.counts.not_possible, p.counts.unrecorded);
  }
  return out;
}

void ExpectSameAsCore(const core::Scenario& scenario, const std::string& what) {
  const core::Evaluation reference = core::Evaluate(scenario);
  for (int threads : {1, 2}) {
    core::StatusOr<core::Evaluation> engine = EvaluateScenario(scenario, threads);
    ASSERT_TRUE(engine.ok()) << what << ": " << engine.status().message();
    const std::string want = Describe(scenario, reference);
    const std::string got = Describe(scenario, *engine);
    if (want != got) {
      // The first differing line, then the whole of both.
      std::istringstream a(want), b(got);
      std::string la, lb;
      int line = 1;
      while (std::getline(a, la) && std::getline(b, lb) && la == lb) ++line;
      FAIL() << what << " (threads " << threads << "): first difference at line " << line
             << "\n core:   " << la << "\n engine: " << lb;
    }
  }
}

// --- Random scenarios ---------------------------------------------------------------

class ScenarioGenerator {
 public:
  explicit ScenarioGenerator(uint64_t seed) : rng_(seed) {}

  core::Scenario Next(int pupils) {
    core::Scenario s;
    // 1 to 3 academic years, 2022-23 to 2025-26: across the 2024 code switch.
    const int first_year = Int(2022, 2025);
    const int years = Int(1, 3);
    std::vector<core::Term> terms;
    std::vector<core::Closure> closures;
    for (int y = first_year; y < first_year + years; ++y) {
      Date start = Ymd(y, 9, 1).AddDays(Int(0, 6));
      const int term_count = Int(1, 6);
      for (int t = 0; t < term_count; ++t) {
        const Date end = start.AddDays(Int(4, 60));
        terms.push_back({start, end});
        for (int c = Int(0, 3); c > 0; --c) {
          closures.push_back(
              {start.AddDays(Int(0, 60)), static_cast<core::ClosureSessions>(Int(1, 3)), "closed"});
        }
        start = end.AddDays(Int(2, 16));
      }
    }
    s.calendar = core::Calendar(terms, closures);
    if (s.calendar.SessionCount() == 0) return Next(pupils);
    const Date first = s.calendar.SessionAt(0).date;
    const Date last = s.calendar.SessionAt(s.calendar.SessionCount() - 1).date;
    s.as_of = first.AddDays(Int(-5, last.days() - first.days() + 5));
    s.policy = RandomPolicy();
    if (Int(0, 3) == 0) s.default_mark[0] = AttendanceCode::kPresentAm;
    if (Int(0, 5) == 0) s.default_mark[1] = AttendanceCode::kNoReasonYet;
    const char* tags[] = {"fsm", "sen", "ehcp", "lac", "sw"};
    for (int p = 0; p < pupils; ++p) {
      core::PupilRecord pupil;
      pupil.id = fmt::format("P{}", p);
      for (const char* tag : tags) {
        if (Int(0, 3) == 0) pupil.cohorts.push_back(tag);
      }
      if (Int(0, 9) == 0 && !pupil.cohorts.empty()) pupil.cohorts.push_back(pupil.cohorts[0]);
      for (int n = Int(0, 4) == 0 ? Int(1, 3) : 0; n > 0; --n) {
        pupil.penalty_history.push_back({s.as_of.AddDays(-Int(0, 1300)), Int(0, 4) == 0});
      }
      for (int n = Int(0, 2) == 0 ? Int(1, 3) : 0; n > 0; --n) {
        core::OnRollPeriod period;
        if (Int(0, 3) != 0) period.from = first.AddDays(Int(-10, last.days() - first.days()));
        if (Int(0, 2) != 0) {
          period.to = (period.from ? *period.from : first).AddDays(Int(0, 200));
        }
        pupil.on_roll.push_back(period);
      }
      s.pupils.push_back(pupil);
      s.marks.push_back(RandomMarks(s.calendar));
    }
    return s;
  }

 private:
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  core::CodeMask RandomCodes(std::initializer_list<AttendanceCode> likely) {
    core::CodeMask mask;
    for (AttendanceCode c : likely) {
      if (Int(0, 4) != 0) mask.Add(c);
    }
    if (Int(0, 3) == 0) mask.Add(static_cast<AttendanceCode>(Int(1, core::kMaxStoredCode)));
    return mask;
  }

  core::Policy RandomPolicy() {
    core::Policy p;
    if (Int(0, 2) == 0) return p;  // the national defaults, often
    using C = AttendanceCode;
    p.penalty.codes =
        RandomCodes({C::kHolidayNotGranted, C::kOtherUnauthorised, C::kLateAfterClose});
    p.penalty.sessions = Int(1, 12);
    p.penalty.school_weeks = Int(1, 10);
    if (Int(0, 2) == 0) p.penalty.framework_start = std::nullopt;
    p.continuous_absence.codes =
        RandomCodes({C::kHolidayNotGranted, C::kNoReasonYet, C::kOtherUnauthorised, C::kIllness});
    p.continuous_absence.sessions.clear();
    for (int n = Int(1, 3); n > 0; --n) p.continuous_absence.sessions.push_back(Int(1, 40));
    p.sickness.codes = RandomCodes({C::kIllness, C::kMedical});
    p.sickness.sessions = Int(1, 30);
    p.lateness.codes = RandomCodes({C::kLateBeforeClose, C::kLateAfterClose});
    p.lateness.per_week = Int(1, 5);
    p.lateness.per_year = Int(1, 20);
    p.n_overdue_school_days = Int(0, 10);
    p.persistent_absence_pct = *core::Decimal::Parse(fmt::format("{}.{}", Int(1, 30), Int(0, 99)));
    p.severe_absence_pct = *core::Decimal::Parse(fmt::format("{}.5", Int(30, 70)));
    p.bands.clear();
    p.bands.push_back({"high", *core::Decimal::Parse(fmt::format("9{}.{}", Int(0, 9), Int(0, 9)))});
    p.bands.push_back({"mid", core::Decimal::FromInt(Int(60, 89))});
    if (Int(0, 1) == 0) p.bands.push_back({"low", core::Decimal::FromInt(0)});
    return p;
  }

  std::vector<core::RecordedMark> RandomMarks(const core::Calendar& calendar) {
    // A pupil's profile: mostly present, with runs of one absence code.
    static const AttendanceCode kAbsences[] = {
        AttendanceCode::kIllness,          AttendanceCode::kHolidayNotGranted,
        AttendanceCode::kNoReasonYet,      AttendanceCode::kOtherUnauthorised,
        AttendanceCode::kLateAfterClose,   AttendanceCode::kLateBeforeClose,
        AttendanceCode::kMedical,          AttendanceCode::kNotRequired,
        AttendanceCode::kEducationalVisit, AttendanceCode::kDualRegistered};
    const int absent_pct = Int(0, 3) == 0 ? Int(30, 95) : Int(0, 20);
    std::vector<core::RecordedMark> marks;
    AttendanceCode run_code = AttendanceCode::kIllness;
    int run = 0;
    for (int32_t i = 0; i < calendar.SessionCount(); ++i) {
      const core::SessionKey key = calendar.SessionAt(i);
      if (Int(0, 30) == 0) continue;  // no mark
      std::optional<AttendanceCode> code;
      if (run > 0) {
        --run;
        code = run_code;
      } else if (Int(0, 99) < absent_pct) {
        run_code = kAbsences[Int(0, std::size(kAbsences) - 1)];
        run = Int(0, 12);
        code = run_code;
      } else if (Int(0, 60) == 0) {
        code = static_cast<AttendanceCode>(Int(1, core::kMaxStoredCode));
      } else {
        code = key.session == core::Session::kAm ? AttendanceCode::kPresentAm
                                                 : AttendanceCode::kPresentPm;
      }
      if (!core::IsValidOn(*code, key.date)) continue;
      if (Int(0, 200) == 0) code.reset();  // recorded as "no mark"
      marks.push_back({key, code});
    }
    return marks;
  }

  std::mt19937_64 rng_;
};

TEST(EngineDifferentialTest, MatchesCoreOnRandomScenarios) {
  // 400 scenarios of 1-30 pupils: about 6,000 pupils.
  int pupils = 0;
  for (uint64_t seed = 1; seed <= 400; ++seed) {
    ScenarioGenerator generator(seed);
    const core::Scenario scenario = generator.Next(int(seed % 30) + 1);
    pupils += int(scenario.pupils.size());
    ExpectSameAsCore(scenario, fmt::format("random scenario, seed {}", seed));
    if (HasFatalFailure() || HasFailure()) return;
  }
  EXPECT_GT(pupils, 5000);
}

TEST(EngineDifferentialTest, MatchesCoreOnOneLargeRandomSchool) {
  ScenarioGenerator generator(9001);
  ExpectSameAsCore(generator.Next(2500), "large random school, seed 9001");
}

TEST(EngineDifferentialTest, MatchesCoreOnSyntheticLaData) {
  SyntheticOptions options{.pupils = 3000, .school_size = 600, .academic_year = 2024, .seed = 7};
  const Dataset dataset = GenerateDataset(options);
  ASSERT_EQ(dataset.schools.size(), 5u);
  ASSERT_EQ(dataset.PupilCount(), 3000u);
  const core::Date as_of = SyntheticAsOf(options);
  for (core::Date day : {as_of, Ymd(2025, 2, 12)}) {
    for (size_t s = 0; s < dataset.schools.size(); s += 2) {
      ExpectSameAsCore(ToScenario(dataset.schools[s], day),
                       fmt::format("synthetic school {} as of {}, seed 7", s, day.ToString()));
    }
  }
}

TEST(EngineTest, SyntheticDataLooksLikeEnglandsAttendance) {
  const SyntheticOptions options{.pupils = 20000, .school_size = 400, .seed = 3};
  const Dataset dataset = GenerateDataset(options);
  const Statistics stats = ComputeStatistics(dataset, SyntheticAsOf(options));
  const core::Aggregate all = stats.all.ToAggregate();
  const double absence = 100.0 * double(all.counts.absence) / double(all.counts.possible);
  const double pa = 100.0 * double(all.persistent_absence) / double(all.pupils);
  const double sa = 100.0 * double(all.severe_absence) / double(all.pupils);
  // National figures 2023/24: overall absence 7.1%, PA 20.0%, SA 2.0%.
  EXPECT_GT(absence, 4.0);
  EXPECT_LT(absence, 11.0);
  EXPECT_GT(pa, 10.0);
  EXPECT_LT(pa, 30.0);
  EXPECT_GT(sa, 0.5);
  EXPECT_LT(sa, 5.0);
  EXPECT_EQ(stats.cohorts.size(), std::size(kSyntheticCohorts));
}

TEST(EngineTest, ResultsDoNotDependOnThreadCountOrSeedReuse) {
  const SyntheticOptions one{.pupils = 5000, .school_size = 300, .seed = 11, .threads = 1};
  SyntheticOptions two = one;
  two.threads = 2;
  const Dataset a = GenerateDataset(one), b = GenerateDataset(two);
  ASSERT_EQ(a.schools.size(), b.schools.size());
  for (size_t s = 0; s < a.schools.size(); ++s) {
    ASSERT_EQ(a.schools[s].years[0].marks, b.schools[s].years[0].marks) << s;
  }
  const core::Date as_of = SyntheticAsOf(one);
  const AlertScan x = ScanAlerts(a, as_of, 1), y = ScanAlerts(a, as_of, 2);
  ASSERT_EQ(x.AlertCount(), y.AlertCount());
  EXPECT_GT(x.AlertCount(), 1000u);
  for (size_t s = 0; s < a.schools.size(); ++s) {
    ASSERT_EQ(x.schools[s].evidence, y.schools[s].evidence);
  }
}

// --- Conformance cases ----------------------------------------------------------------

fs::path CasesDir() {
  const char* dir = std::getenv("ROLLCALL_SOURCE_DIR");
  return fs::path(dir ? dir : ".") / "tests" / "conformance" / "cases";
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(EngineConformanceTest, EveryPublicCaseGivesTheExpectedResult) {
  int evaluated = 0;
  for (const auto& entry : fs::directory_iterator(CasesDir())) {
    const std::string name = entry.path().filename();
    const nlohmann::json expected = nlohmann::json::parse(ReadFile(entry.path() / "expected.json"));
    core::StatusOr<core::Scenario> scenario =
        io::ParseScenario(ReadFile(entry.path() / "scenario.json"));
    if (!scenario.ok()) {
      EXPECT_TRUE(expected.contains("error")) << name << ": " << scenario.status().message();
      continue;
    }
    ++evaluated;
    core::StatusOr<core::Evaluation> engine = EvaluateScenario(*scenario, 2);
    ASSERT_TRUE(engine.ok()) << name;
    // Parsed back so that key order and number spelling do not matter.
    const nlohmann::json got =
        nlohmann::json::parse(io::EvaluationToJson(*scenario, *engine).dump());
    EXPECT_EQ(got, expected) << name;
    ExpectSameAsCore(*scenario, name);
  }
  EXPECT_GE(evaluated, 40);
}

// --- File ---------------------------------------------------------------------------

core::StatusOr<core::Policy> DefaultPolicy(std::string_view json) {
  return io::ParsePolicyText(json);
}

TEST(EngineFileTest, RoundTripsAndRefusesDamage) {
  const SyntheticOptions options{.pupils = 1500, .school_size = 400, .seed = 5};
  Dataset dataset = GenerateDataset(options);
  dataset.schools[1].policy_json = R"({"persistent_absence_pct": 12})";
  std::stringstream file;
  ASSERT_TRUE(WriteDataset(dataset, file).ok());
  const std::string bytes = file.str();

  std::istringstream in(bytes);
  core::StatusOr<Dataset> back = ReadDataset(in, DefaultPolicy);
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back->schools.size(), dataset.schools.size());
  for (size_t s = 0; s < dataset.schools.size(); ++s) {
    EXPECT_EQ(back->schools[s].id, dataset.schools[s].id);
    EXPECT_EQ(back->schools[s].id_chars, dataset.schools[s].id_chars);
    EXPECT_EQ(back->schools[s].years[0].marks, dataset.schools[s].years[0].marks);
    EXPECT_EQ(back->schools[s].penalty_history.size(), dataset.schools[s].penalty_history.size());
  }
  EXPECT_EQ(back->schools[1].policy->persistent_absence_pct.ToString(), "12");
  const core::Date as_of = SyntheticAsOf(options);
  const Statistics a = ComputeStatistics(dataset, as_of);
  const Statistics b = ComputeStatistics(*back, as_of);
  EXPECT_EQ(a.all.sessions, b.all.sessions);

  auto read = [](std::string text) {
    std::istringstream damaged(text);
    return ReadDataset(damaged, DefaultPolicy).status();
  };
  core::Status bad = read("not an engine file at all");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.code(), kErrEngineFile);
  EXPECT_NE(bad.message().find("bad magic"), std::string::npos) << bad.message();

  bad = read(bytes.substr(0, bytes.size() - 100));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("truncated"), std::string::npos) << bad.message();

  std::string wrong = bytes;
  wrong[wrong.size() - 7] = char(200);  // not a code
  bad = read(wrong);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("mark byte 200"), std::string::npos) << bad.message();

  Dataset bad_policy = dataset;
  bad_policy.schools[0].policy_json = R"({"no_such_key": 1})";
  std::stringstream f2;
  ASSERT_TRUE(WriteDataset(bad_policy, f2).ok());
  bad = read(f2.str());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("policy"), std::string::npos) << bad.message();
}

TEST(EngineTest, TooManyCohortTagsIsAClearError) {
  core::Scenario s;
  s.calendar = core::Calendar({{Ymd(2024, 9, 2), Ymd(2024, 9, 6)}}, {});
  s.as_of = Ymd(2024, 9, 6);
  core::PupilRecord p;
  p.id = "A";
  for (int i = 0; i < 65; ++i) p.cohorts.push_back(fmt::format("tag{}", i));
  s.pupils.push_back(p);
  s.marks.emplace_back();
  core::StatusOr<School> school = SchoolFromScenario(s, "x");
  ASSERT_FALSE(school.ok());
  EXPECT_EQ(school.status().code(), kErrTooManyCohorts);
}

}  // namespace
}  // namespace rollcall::engine
