#include "synth/synth.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "core/codes.h"
#include "core/evaluate.h"
#include "core/pupil_sessions.h"
#include "core/register.h"
#include "io/scenario_json.h"
#include "support/dates.h"

namespace rollcall::synth {
namespace {

using core::AttendanceCode;
using core::Date;

using rollcall::testing::D;

SynthSchool MakeSchool(const SynthOptions& options) {
  core::StatusOr<SynthSchool> school = Synthesize(options);
  EXPECT_TRUE(school.ok()) << school.status().message();
  return std::move(school).value();
}

std::string ToJson(const core::Scenario& scenario) {
  return io::ScenarioToJson(scenario, {.name = "synth"}).dump();
}

// The calibration school: 2,000 pupils, one year, the national mix.
const SynthSchool& CalibrationSchool() {
  static const SynthSchool school = MakeSchool({.pupils = 2000, .years = 1, .seed = 1});
  return school;
}

// Two years across the August 2024 change of code sets.
const SynthSchool& TwoYearSchool() {
  static const SynthSchool school = MakeSchool({.pupils = 2000, .years = 2, .seed = 1});
  return school;
}

double Pct(int64_t part, int64_t whole) {
  return whole == 0 ? 0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

TEST(SynthTest, SameSeedGivesIdenticalJson) {
  const SynthOptions options{.pupils = 300, .years = 2, .seed = 42};
  EXPECT_EQ(ToJson(MakeSchool(options).scenario), ToJson(MakeSchool(options).scenario));
}

TEST(SynthTest, DifferentSeedGivesDifferentSchool) {
  const SynthSchool a = MakeSchool({.pupils = 300, .years = 1, .seed = 1});
  const SynthSchool b = MakeSchool({.pupils = 300, .years = 1, .seed = 2});
  EXPECT_NE(ToJson(a.scenario), ToJson(b.scenario));
}

TEST(SynthTest, MorePupilsKeepTheFirstPupilsAttributes) {
  // Each pupil draws from its own streams, so adding pupils does not reshuffle
  // who is on free school meals.
  const SynthSchool small = MakeSchool({.pupils = 100, .years = 1, .seed = 5});
  const SynthSchool large = MakeSchool({.pupils = 200, .years = 1, .seed = 5});
  for (size_t i = 0; i < small.pupils.size(); ++i) {
    EXPECT_EQ(small.pupils[i].given_name, large.pupils[i].given_name);
    EXPECT_EQ(small.scenario.pupils[i].cohorts, large.scenario.pupils[i].cohorts);
  }
}

TEST(SynthTest, EveryMarkPassesCheckMark) {
  for (const SynthSchool* school : {&CalibrationSchool(), &TwoYearSchool()}) {
    const core::Scenario& scenario = school->scenario;
    ASSERT_EQ(scenario.marks.size(), scenario.pupils.size());
    for (size_t i = 0; i < scenario.pupils.size(); ++i) {
      std::set<core::SessionKey> slots;
      for (const core::RecordedMark& mark : scenario.marks[i]) {
        const core::Status valid =
            core::CheckMark(scenario.calendar, scenario.pupils[i], mark.slot, mark.code);
        ASSERT_TRUE(valid.ok()) << scenario.pupils[i].id << " " << mark.slot.date.ToString() << ": "
                                << valid.message();
        EXPECT_LE(mark.slot.date, scenario.as_of);
        EXPECT_TRUE(slots.insert(mark.slot).second) << "two marks for one session";
      }
    }
  }
}

TEST(SynthTest, JsonRoundTripsThroughParseScenario) {
  const core::Scenario& scenario = TwoYearSchool().scenario;
  const std::string json = ToJson(scenario);
  core::StatusOr<core::Scenario> parsed = io::ParseScenario(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(ToJson(*parsed), json);
}

TEST(SynthTest, CalibratedToNationalFigures) {
  const core::Evaluation evaluation = core::Evaluate(CalibrationSchool().scenario);
  const core::Aggregate& school = evaluation.school;
  const core::SessionCounts& counts = school.counts;
  const double absence = Pct(counts.absence, counts.possible);
  const double persistent = Pct(school.persistent_absence, school.pupils);
  const double severe = Pct(school.severe_absence, school.pupils);
  const double illness =
      Pct(counts.by_code[static_cast<size_t>(AttendanceCode::kIllness)], counts.possible);
  EXPECT_GE(absence, 5.5);
  EXPECT_LE(absence, 8.5);
  EXPECT_GE(persistent, 14);
  EXPECT_LE(persistent, 26);
  EXPECT_GE(severe, 0.8);
  EXPECT_LE(severe, 4);
  EXPECT_GE(illness, 2.5);
  EXPECT_LE(illness, 4.5);

  const core::Aggregate& fsm = evaluation.cohorts.at("FSM");
  const double fsm_pa = Pct(fsm.persistent_absence, fsm.pupils);
  const double other_pa =
      Pct(school.persistent_absence - fsm.persistent_absence, school.pupils - fsm.pupils);
  EXPECT_GE(fsm_pa, 1.5 * other_pa) << fsm_pa << " vs " << other_pa;
}

TEST(SynthTest, FridaysAreWorseThanTuesdays) {
  const core::Scenario& scenario = CalibrationSchool().scenario;
  std::map<core::Weekday, std::pair<int64_t, int64_t>> by_day;  // absence, possible
  for (size_t i = 0; i < scenario.pupils.size(); ++i) {
    for (const core::PupilSession& session :
         core::BuildPupilSessions(scenario.calendar, scenario.pupils[i], scenario.marks[i],
                                  scenario.default_mark, scenario.as_of)) {
      if (!session.code || !core::IsPossible(*session.code)) continue;
      auto& [absent, possible] = by_day[scenario.calendar.SessionAt(session.index).date.weekday()];
      ++possible;
      const core::StatCategory category = core::CategoryOf(*session.code);
      absent += category == core::StatCategory::kAuthorised ||
                category == core::StatCategory::kUnauthorised;
    }
  }
  const auto rate = [&](core::Weekday day) { return Pct(by_day[day].first, by_day[day].second); };
  EXPECT_GT(rate(core::Weekday::kFriday), rate(core::Weekday::kTuesday));
  EXPECT_GT(rate(core::Weekday::kFriday), rate(core::Weekday::kWednesday));
}

TEST(SynthTest, CohortRatesAreNational) {
  std::map<std::string, int> tags;
  for (const core::PupilRecord& pupil : CalibrationSchool().scenario.pupils) {
    for (const std::string& tag : pupil.cohorts) ++tags[tag];
  }
  const auto share = [&](const char* tag) { return Pct(tags[tag], 2000); };
  EXPECT_NEAR(share("FSM"), 24, 3);
  EXPECT_NEAR(share("SEN_K"), 13, 2.5);
  EXPECT_NEAR(share("EHCP"), 3, 1.2);
  EXPECT_NEAR(share("CLA"), 1, 0.8);
  EXPECT_NEAR(share("SW"), 3, 1.2);
  EXPECT_NEAR(share("YC"), 2, 1);
}

// Counts alerts by type over the two-year school.
std::map<std::string, int> AlertCounts(const core::Evaluation& evaluation) {
  std::map<std::string, int> counts;
  for (const core::PupilEvaluation& pupil : evaluation.pupils) {
    for (const core::Alert& alert : pupil.alerts) ++counts[alert.TypeName()];
  }
  return counts;
}

TEST(SynthTest, RegistersTellTheUsualStories) {
  const SynthSchool& school = TwoYearSchool();
  const std::map<std::string, int> alerts = AlertCounts(core::Evaluate(school.scenario));
  for (const char* type : {"penalty_threshold", "continuous_absence_10_days",
                           "continuous_absence_20_days", "sickness_15_days", "lateness_week",
                           "persistent_lateness", "n_overdue", "unrecorded_marks"}) {
    EXPECT_GT(alerts.count(type) ? alerts.at(type) : 0, 0) << type;
  }
  int joiners = 0, leavers = 0, with_notices = 0, missing = 0, long_absence = 0;
  for (size_t i = 0; i < school.pupils.size(); ++i) {
    const core::PupilRecord& pupil = school.scenario.pupils[i];
    for (const core::OnRollPeriod& period : pupil.on_roll) {
      joiners += period.from && period.from->month() != 9 ? 1 : 0;
      leavers += period.to ? 1 : 0;
    }
    with_notices += pupil.penalty_history.empty() ? 0 : 1;
    missing += school.pupils[i].pattern == PupilPattern::kMissingEducation ? 1 : 0;
    long_absence += school.pupils[i].pattern == PupilPattern::kLongAbsence ? 1 : 0;
  }
  EXPECT_GT(joiners, 60);
  EXPECT_GT(leavers, 40);
  EXPECT_GT(with_notices, 0);
  EXPECT_EQ(missing, 4);  // one pupil in 500
  EXPECT_GT(long_absence, 5);
}

TEST(SynthTest, CodesMatchTheirEra) {
  // Legacy codes only before 19 August 2024, 2024 codes only after; both occur.
  std::map<core::CodeSet, int> before, after;
  for (const auto& marks : TwoYearSchool().scenario.marks) {
    for (const core::RecordedMark& mark : marks) {
      if (!mark.code) continue;
      const core::CodeSet set = core::InfoOf(*mark.code).set;
      ++(mark.slot.date < core::kCodeSwitchDate ? before : after)[set];
    }
  }
  EXPECT_GT(before[core::CodeSet::kLegacyOnly], 0);
  EXPECT_EQ(before[core::CodeSet::kSince2024], 0);
  EXPECT_GT(after[core::CodeSet::kSince2024], 0);
  EXPECT_EQ(after[core::CodeSet::kLegacyOnly], 0);
}

TEST(SynthTest, UnrecordedSessionsAreCloseToAsOf) {
  const core::Scenario& scenario = CalibrationSchool().scenario;
  int unrecorded = 0;
  for (const auto& marks : scenario.marks) {
    for (const core::RecordedMark& mark : marks) {
      if (mark.code) continue;
      ++unrecorded;
      EXPECT_GE(mark.slot.date, scenario.as_of.AddDays(-7));
    }
  }
  EXPECT_GT(unrecorded, 0);
}

TEST(SynthTest, PhasesTeachTheirYearGroups) {
  for (Phase phase : {Phase::kPrimary, Phase::kSecondary, Phase::kAllThrough}) {
    const SynthSchool school = MakeSchool({.pupils = 240, .years = 1, .seed = 3, .phase = phase});
    std::set<int> groups;
    for (const SynthPupil& pupil : school.pupils) groups.insert(pupil.year_group);
    EXPECT_EQ(*groups.begin(), phase == Phase::kSecondary ? 7 : 0);
    EXPECT_EQ(*groups.rbegin(), phase == Phase::kPrimary ? 6 : 11);
    EXPECT_EQ(PhaseFromName(PhaseName(phase)), phase);
  }
  EXPECT_FALSE(PhaseFromName("sixth-form").has_value());
}

TEST(SynthTest, EdgeCasesStillCheck) {
  // One pupil over ten years; as_of in August (no school day yet this year);
  // as_of on a weekend; the oldest year the bank-holiday table allows.
  for (const SynthOptions& options :
       {SynthOptions{.pupils = 1, .years = 10, .seed = 9},
        SynthOptions{.pupils = 50, .years = 2, .seed = 9, .as_of = D("2025-08-20")},
        SynthOptions{.pupils = 50, .years = 1, .seed = 9, .as_of = D("2024-11-09")},
        SynthOptions{.pupils = 50,
        .years = 1,
        .seed = 9,
        .as_of = D("2013-03-01"),
        .phase = Phase::kPrimary}}) {
    core::StatusOr<SynthSchool> school = Synthesize(options);
    ASSERT_TRUE(school.ok()) << school.status().message();
    EXPECT_EQ(school->scenario.pupils.size(), static_cast<size_t>(options.pupils));
    EXPECT_TRUE(io::ParseScenario(ToJson(school->scenario)).ok());
  }
}

TEST(SynthTest, PupilIdsAreZeroPadded) {
  const SynthSchool school = MakeSchool({.pupils = 12, .years = 1, .seed = 1});
  EXPECT_EQ(school.scenario.pupils.front().id, "P00001");
  EXPECT_EQ(school.scenario.pupils.back().id, "P00012");
  EXPECT_FALSE(school.pupils.front().given_name.empty());
  EXPECT_FALSE(school.pupils.front().form.empty());
}

TEST(SynthOptionsTest, BadOptionsAreInvalidArguments) {
  const auto error = [](const SynthOptions& options) {
    core::StatusOr<SynthSchool> school = Synthesize(options);
    EXPECT_FALSE(school.ok());
    if (school.ok()) return std::string();
    EXPECT_EQ(school.status().kind(), core::ErrorKind::kInvalidArgument);
    EXPECT_EQ(school.status().code(), "VALUE_INVALID");
    return school.status().message();
  };
  EXPECT_EQ(error({.pupils = 0, .years = 1}), "pupils must be between 1 and 1000000, not 0");
  EXPECT_EQ(error({.pupils = -5, .years = 1}), "pupils must be between 1 and 1000000, not -5");
  EXPECT_EQ(error({.pupils = 1'000'001, .years = 1}),
            "pupils must be between 1 and 1000000, not 1000001");
  EXPECT_EQ(error({.pupils = 10, .years = 0}), "years must be between 1 and 10, not 0");
  EXPECT_EQ(error({.pupils = 10, .years = 11}), "years must be between 1 and 10, not 11");
  EXPECT_EQ(error({.pupils = 10, .years = 1, .as_of = D("2030-01-01")}),
            "as_of 2030-01-01 with 1 year(s) needs academic years 2029/30 to 2029/30; bank "
            "holidays are known only for 2012/13 to 2027/28");
  EXPECT_NE(error({.pupils = 10, .years = 2, .as_of = D("2013-03-01")}), "");
  EXPECT_TRUE(ValidateOptions({.pupils = 1'000'000, .years = 10}).ok());
}

TEST(CohortTagsTest, ListsTagsInOrder) {
  EXPECT_EQ(CohortTags({.free_school_meals = true, .ehc_plan = true, .young_carer = true}),
            (std::vector<std::string>{"FSM", "EHCP", "YC"}));
  EXPECT_TRUE(CohortTags({}).empty());
}

}  // namespace
}  // namespace rollcall::synth
