// The early warning's features on crafted registers (Mondays and Fridays,
// days next to a break, the six-week trend, last year, unexplained codes),
// the model's arithmetic, the reasons' order, fitting and measuring.
#include "core/forecast.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/evaluate.h"
#include "support/scenario_builder.h"

namespace rollcall::testing {
namespace {

using core::ForecastFeature;

size_t Idx(ForecastFeature f) { return static_cast<size_t>(f); }

core::Date D(const char* text) { return *core::Date::Parse(text); }

// The first half of the autumn term 2024 (Mon 2 Sep to Fri 25 Oct, eight
// school weeks) and the second half, as of the Friday before half-term.
ScenarioBuilder AutumnTerm() {
  ScenarioBuilder b("2024-10-25");
  b.Term("2024-09-02", "2024-10-25").Term("2024-11-04", "2024-12-20");
  return b;
}

core::ForecastInputs InputsOf(const ScenarioBuilder& b, size_t pupil = 0,
                              std::optional<core::PriorYear> recorded = std::nullopt) {
  const core::Scenario s = b.Build();
  return core::ForecastInputsFor(s, pupil, s.as_of, core::DayPart::kWholeDay, recorded);
}

TEST(ForecastTest, MondaysAndFridaysAgainstTheOtherDays) {
  ScenarioBuilder b = AutumnTerm();
  b.Pupil("P1")
      .Days("P1", "2024-09-09", "2024-09-09", "O")
      .Days("P1", "2024-09-13", "2024-09-13", "I")
      .Days("P1", "2024-09-16", "2024-09-16", "O")
      .Mark("P1", "2024-09-23", "AM", "N")
      .Mark("P1", "2024-09-25", "PM", "I");  // a Wednesday
  const core::ForecastInputs in = InputsOf(b);
  // Eight weeks: 32 Monday and Friday sessions, 48 on the other days.
  EXPECT_EQ(in.monday_friday.possible, 32);
  EXPECT_EQ(in.monday_friday.absence, 7);
  EXPECT_EQ(in.other_weekdays.possible, 48);
  EXPECT_EQ(in.other_weekdays.absence, 1);
  const core::ForecastValues v = core::FeatureValues(in);
  EXPECT_NEAR(*v[Idx(ForecastFeature::kMondayFriday)], 100.0 * 7 / 32 - 100.0 / 48, 1e-9);
}

TEST(ForecastTest, DaysNextToABreakIncludeClosuresAndTermEnds) {
  ScenarioBuilder b = AutumnTerm();
  b.Closure("2024-09-20");  // a Friday INSET day
  b.Pupil("P1")
      .Days("P1", "2024-09-19", "2024-09-19", "G")   // the day before the closure
      .Days("P1", "2024-09-23", "2024-09-23", "G")   // the Monday after it
      .Days("P1", "2024-10-09", "2024-10-09", "I");  // an ordinary Wednesday
  const core::ForecastInputs in = InputsOf(b);
  // Mon 2 Sep (after the summer), Thu 19 and Mon 23 Sep (around the closure)
  // and Fri 25 Oct (before half-term): eight sessions.
  EXPECT_EQ(in.next_to_break.possible, 8);
  EXPECT_EQ(in.next_to_break.absence, 4);
  EXPECT_EQ(in.not_next_to_break.possible, 70);
  EXPECT_EQ(in.not_next_to_break.absence, 2);
  const core::ForecastValues v = core::FeatureValues(in);
  EXPECT_NEAR(*v[Idx(ForecastFeature::kHolidayAdjacent)], 50.0 - 100.0 * 2 / 70, 1e-9);
}

TEST(ForecastTest, TrendComparesTheLastSixSchoolWeeksWithTheRestOfTheYear) {
  ScenarioBuilder b = AutumnTerm();
  b.Pupil("P1").Mark("P1", "2024-09-04", "AM", "I").Days("P1", "2024-10-21", "2024-10-25", "I");
  const core::ForecastInputs in = InputsOf(b);
  EXPECT_EQ(in.before_recent.possible, 20);  // weeks of 2 and 9 September
  EXPECT_EQ(in.before_recent.absence, 1);
  EXPECT_EQ(in.recent.possible, 60);
  EXPECT_EQ(in.recent.absence, 10);
  const core::ForecastValues v = core::FeatureValues(in);
  EXPECT_NEAR(*v[Idx(ForecastFeature::kTrend)], 100.0 * 10 / 60 - 5.0, 1e-9);

  // Within the first six weeks there is no "before": no trend.
  ScenarioBuilder early("2024-10-11");
  early.Term("2024-09-02", "2024-10-25");
  early.Pupil("P1").Days("P1", "2024-10-07", "2024-10-11", "I");
  EXPECT_EQ(*core::FeatureValues(InputsOf(early))[Idx(ForecastFeature::kTrend)], 0.0);
}

TEST(ForecastTest, YearCountsAreTheEvaluationsOwn) {
  ScenarioBuilder b = AutumnTerm();
  b.Pupil("P1")
      .Days("P1", "2024-09-02", "2024-09-06", "I")
      .Mark("P1", "2024-09-10", "AM", "X")
      .Mark("P1", "2024-09-10", "PM", nullptr);
  const core::Scenario s = b.Build();
  const core::ForecastInputs in = core::ForecastInputsFor(s, 0, s.as_of);
  const core::PupilEvaluation e = core::EvaluatePupil(s, 0);
  EXPECT_EQ(in.year.possible, e.counts.possible);
  EXPECT_EQ(in.year.absence, e.counts.absence);
  EXPECT_NEAR(
      *core::FeatureValues(in)[Idx(ForecastFeature::kYearRate)],
      100.0 * static_cast<double>(e.counts.absence) / static_cast<double>(e.counts.possible), 1e-9);
}

TEST(ForecastTest, UnexplainedCountsNOUAndG) {
  ScenarioBuilder b = AutumnTerm();
  b.Pupil("P1")
      .Mark("P1", "2024-09-03", "AM", "N")
      .Mark("P1", "2024-09-03", "PM", "O")
      .Mark("P1", "2024-09-04", "AM", "U")
      .Mark("P1", "2024-09-04", "PM", "G")
      .Mark("P1", "2024-09-05", "AM", "I")
      .Mark("P1", "2024-09-05", "PM", "L")
      .Mark("P1", "2024-09-06", "AM", "C");
  const core::ForecastInputs in = InputsOf(b);
  EXPECT_EQ(in.unexplained, 4);
  EXPECT_NEAR(*core::FeatureValues(in)[Idx(ForecastFeature::kUnexplained)], 100.0 * 4 / 80, 1e-9);
}

TEST(ForecastTest, LastYearFromTheMarksElseAsRecordedElseUnknown) {
  ScenarioBuilder b("2024-10-25");
  b.Term("2023-09-04", "2023-10-27").Term("2024-09-02", "2024-10-25");
  b.Pupil("stayer").Days("stayer", "2023-09-04", "2023-09-08", "I");
  b.Pupil("joiner", {{"on_roll", {{{"from", "2024-09-01"}, {"to", nullptr}}}}});
  const core::Scenario s = b.Build();

  const core::ForecastInputs stayer =
      core::ForecastInputsFor(s, 0, s.as_of, core::DayPart::kWholeDay, core::PriorYear{100, 50});
  ASSERT_TRUE(stayer.last_year);
  EXPECT_TRUE(stayer.last_year_from_marks);  // the marks win over a recorded figure
  EXPECT_EQ(stayer.last_year->possible, 80);
  EXPECT_EQ(stayer.last_year->absence, 10);
  EXPECT_NEAR(*core::FeatureValues(stayer)[Idx(ForecastFeature::kLastYear)], 12.5, 1e-9);

  const core::ForecastInputs recorded =
      core::ForecastInputsFor(s, 1, s.as_of, core::DayPart::kWholeDay, core::PriorYear{300, 45});
  ASSERT_TRUE(recorded.last_year);
  EXPECT_FALSE(recorded.last_year_from_marks);
  EXPECT_NEAR(*core::FeatureValues(recorded)[Idx(ForecastFeature::kLastYear)], 15.0, 1e-9);

  const core::ForecastInputs unknown = core::ForecastInputsFor(s, 1, s.as_of);
  EXPECT_FALSE(unknown.last_year);
  EXPECT_FALSE(core::FeatureValues(unknown)[Idx(ForecastFeature::kLastYear)]);
}

core::ForecastModel PlainModel() {
  core::ForecastModel m;
  m.mean = {5, 0, 0, 0, 5, 1};
  m.scale = {10, 10, 5, 10, 10, 2};
  m.weight = {2.0, 0.5, 0.4, -0.3, 1.0, 0.6};
  m.bias = -1.5;
  return m;
}

TEST(ForecastTest, ChanceIsTheSigmoidOfTheStandardisedSum) {
  const core::ForecastModel m = PlainModel();
  core::ForecastValues v = {15.0, 10.0, 5.0, 10.0, std::nullopt, 3.0};
  // -1.5 + 2*(1) + 0.5*(1) + 0.4*(1) - 0.3*(1) + (unknown: 0) + 0.6*(1)
  const double t = -1.5 + 2.0 + 0.5 + 0.4 - 0.3 + 0.6;
  EXPECT_NEAR(core::ForecastLogOdds(m, v), t, 1e-12);
  EXPECT_NEAR(core::ForecastChance(m, v), 1.0 / (1.0 + std::exp(-t)), 1e-12);
  v[Idx(ForecastFeature::kLastYear)] = 25.0;
  EXPECT_NEAR(core::ForecastLogOdds(m, v), t + 2.0, 1e-12);
}

TEST(ForecastTest, ReasonsAreTheLargestRaisingFeaturesInWords) {
  ScenarioBuilder b = AutumnTerm();
  // 14 sessions absent out of 80: 7 unexplained (O), all on Mondays/Fridays.
  b.Pupil("P1")
      .Days("P1", "2024-09-06", "2024-09-06", "O")
      .Days("P1", "2024-09-09", "2024-09-09", "O")
      .Days("P1", "2024-09-13", "2024-09-13", "I")
      .Days("P1", "2024-09-16", "2024-09-16", "I")
      .Days("P1", "2024-09-20", "2024-09-20", "I")
      .Days("P1", "2024-09-27", "2024-09-27", "I")
      .Mark("P1", "2024-10-04", "AM", "O")
      .Mark("P1", "2024-10-04", "PM", "O")
      .Mark("P1", "2024-10-07", "AM", "O")
      .Mark("P1", "2024-10-07", "PM", "I");
  const core::ForecastInputs in = InputsOf(b);
  ASSERT_EQ(in.year.absence, 16);
  const core::Forecast f = core::ForecastFrom(PlainModel(), in);
  ASSERT_EQ(f.reasons.size(), 3u);
  for (size_t i = 1; i < f.reasons.size(); ++i) {
    EXPECT_GE(f.reasons[i - 1].contribution, f.reasons[i].contribution);
  }
  // Mondays and Fridays: 0.4 * (50 - 0) / 5 = 4; the year: 2 * (20 - 5) / 10
  // = 3; unexplained: 0.6 * (8.75 - 1) / 2 = 2.325. The trend is falling
  // (30% before, 17% since), holidays carry a negative weight and last year
  // is unknown: none of them is a reason.
  EXPECT_EQ(f.reasons[0].feature, ForecastFeature::kMondayFriday);
  EXPECT_NEAR(f.reasons[0].contribution, 4.0, 1e-9);
  EXPECT_EQ(f.reasons[0].words,
            "16 of 16 absences on Mondays or Fridays in the last twelve months");
  EXPECT_EQ(f.reasons[1].feature, ForecastFeature::kYearRate);
  EXPECT_NEAR(f.reasons[1].contribution, 3.0, 1e-9);
  EXPECT_EQ(f.reasons[1].words, "Missed 20% of sessions this year (16 of 80)");
  EXPECT_EQ(f.reasons[2].feature, ForecastFeature::kUnexplained);
  EXPECT_NEAR(f.reasons[2].contribution, 2.325, 1e-9);
  EXPECT_EQ(f.reasons[2].words, "7 sessions this year with no reason accepted (N, O, U or G)");
  EXPECT_EQ(core::ForecastFrom(PlainModel(), in, 1).reasons.size(), 1u);

  // A pupil at school every day: nothing above the usual, no reason.
  ScenarioBuilder good = AutumnTerm();
  good.Pupil("P2");
  const core::Forecast none = core::ForecastFrom(PlainModel(), InputsOf(good));
  EXPECT_TRUE(none.reasons.empty());
  EXPECT_LT(none.chance, f.chance);
}

TEST(ForecastTest, TheCutOffIsTheLastDayOfTheFirstAutumnTerm) {
  ScenarioBuilder b("2025-07-22");
  b.Term("2023-09-04", "2023-10-27")
      .Term("2024-11-04", "2024-12-20")
      .Term("2024-09-02", "2024-10-27")  // written to end on a Sunday
      .Term("2025-06-02", "2025-07-22");
  const core::Scenario s = b.Build();
  EXPECT_EQ(core::AutumnHalfTermCutOff(s.calendar, D("2025-07-22")), D("2024-10-25"));
  EXPECT_EQ(core::AutumnHalfTermCutOff(s.calendar, D("2023-12-01")), D("2023-10-27"));
  EXPECT_FALSE(core::AutumnHalfTermCutOff(s.calendar, D("2022-07-01")));
}

// Examples whose label follows the year rate, with the other features noise.
std::vector<core::ForecastExample> Examples() {
  std::vector<core::ForecastExample> out;
  for (int i = 0; i < 200; ++i) {
    core::ForecastExample e;
    const double rate = (i * 37) % 40;  // 0-39
    e.values = {rate,
                ((i * 13) % 9) - 4.0,
                ((i * 7) % 11) - 5.0,
                ((i * 5) % 13) - 6.0,
                i % 3 == 0 ? std::nullopt : std::optional<double>(rate + (i % 5) - 2),
                (i * 3) % 6};
    e.persistent_absence = rate + ((i * 11) % 7) - 3 >= 12;
    e.baseline = rate >= 10;
    out.push_back(e);
  }
  return out;
}

TEST(ForecastTest, FittingIsDeterministicAndFindsTheSignal) {
  const std::vector<core::ForecastExample> examples = Examples();
  const core::StatusOr<core::ForecastModel> a = core::FitForecastModel(examples);
  const core::StatusOr<core::ForecastModel> b = core::FitForecastModel(examples);
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(core::ForecastModelInclude(*a, "x"), core::ForecastModelInclude(*b, "x"));
  EXPECT_EQ(a->examples, 200);
  EXPECT_GT(a->weight[Idx(ForecastFeature::kYearRate)], 1.0);
  for (size_t j = 1; j < core::kForecastFeatures; ++j) {
    if (j == Idx(ForecastFeature::kLastYear)) continue;  // the rate again, with noise
    EXPECT_LT(std::fabs(a->weight[j]), a->weight[Idx(ForecastFeature::kYearRate)]) << j;
  }
  const core::ForecastMeasure m = core::MeasureModel(*a, examples);
  EXPECT_GT(*m.auc, 0.9);
  EXPECT_GT(*m.precision, 0.8);
  EXPECT_GT(*m.recall, 0.8);
  // The mean of a feature is over those that know it.
  double sum = 0;
  int n = 0;
  for (const core::ForecastExample& e : examples) {
    if (e.values[Idx(ForecastFeature::kLastYear)]) {
      sum += *e.values[Idx(ForecastFeature::kLastYear)];
      ++n;
    }
  }
  EXPECT_NEAR(a->mean[Idx(ForecastFeature::kLastYear)], sum / n, 1e-9);
}

TEST(ForecastTest, FittingNeedsBothKinds) {
  std::vector<core::ForecastExample> examples = Examples();
  for (core::ForecastExample& e : examples) e.persistent_absence = false;
  const core::StatusOr<core::ForecastModel> m = core::FitForecastModel(examples);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().kind(), core::ErrorKind::kInvalidArgument);
  EXPECT_FALSE(core::FitForecastModel({}).ok());
}

TEST(ForecastTest, MeasuresCountTheListAndRankPairs) {
  // Baseline flags: yes yes no no; labels: yes no yes no; rates 30 20 10 0.
  std::vector<core::ForecastExample> examples(4);
  const double rates[] = {30, 20, 10, 0};
  const bool labels[] = {true, false, true, false};
  for (size_t i = 0; i < 4; ++i) {
    examples[i].values[Idx(ForecastFeature::kYearRate)] = rates[i];
    examples[i].persistent_absence = labels[i];
    examples[i].baseline = i < 2;
  }
  const core::ForecastMeasure m = core::MeasureBaseline(examples);
  EXPECT_EQ(m.pupils, 4);
  EXPECT_EQ(m.positives, 2);
  EXPECT_EQ(m.flagged, 2);
  EXPECT_EQ(m.true_positives, 1);
  EXPECT_DOUBLE_EQ(*m.precision, 0.5);
  EXPECT_DOUBLE_EQ(*m.recall, 0.5);
  // Positive-negative pairs ranked right: (30,20) (30,0) (10,0) of four.
  EXPECT_DOUBLE_EQ(*m.auc, 0.75);
  // Nothing flagged: no precision.
  for (core::ForecastExample& e : examples) e.baseline = false;
  EXPECT_FALSE(core::MeasureBaseline(examples).precision);
}

TEST(ForecastTest, TheShippedModelRaisesTheChanceWithTheRate) {
  const core::ForecastModel& m = core::ShippedForecastModel();
  EXPECT_GT(m.examples, 0);
  EXPECT_GT(m.positives, 0);
  EXPECT_GT(m.weight[Idx(ForecastFeature::kYearRate)], 0);
  core::ForecastValues low{}, high{};
  for (size_t j = 0; j < core::kForecastFeatures; ++j) low[j] = high[j] = m.mean[j];
  low[Idx(ForecastFeature::kYearRate)] = 2.0;
  high[Idx(ForecastFeature::kYearRate)] = 20.0;
  EXPECT_LT(core::ForecastChance(m, low), core::ForecastChance(m, high));
}

}  // namespace
}  // namespace rollcall::testing
