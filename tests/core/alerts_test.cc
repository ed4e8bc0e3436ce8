// Continuous absence, sickness, lateness, N overdue and unrecorded marks
// (rules 8-12), and alert ordering.
#include <gtest/gtest.h>

#include "support/scenario_builder.h"

namespace rollcall::testing {
namespace {

ScenarioBuilder Autumn(const std::string& as_of) {
  ScenarioBuilder b(as_of);
  b.Term("2024-09-02", "2024-10-25")
      .Term("2024-11-04", "2024-12-20")
      .Term("2025-01-06", "2025-02-14");
  return b;
}

TEST(ContinuousAbsenceTest, RunCrossesHalfTermClosuresAndNotPossibleCodes) {
  ScenarioBuilder b = Autumn("2024-12-20");
  b.Closure("2024-10-23");
  b.Pupil("P1")
      .Days("P1", "2024-10-16", "2024-10-25", "N")   // 7 open days = 14 sessions (23rd closed)
      .Mark("P1", "2024-11-04", "AM", "Y1")          // not possible: skipped
      .Mark("P1", "2024-11-04", "PM", nullptr)       // unrecorded: skipped
      .Days("P1", "2024-11-05", "2024-11-07", "O");  // 6 more: the 20th is 7 Nov PM
  const auto alerts = AlertsOf(b.Evaluate(), 0, "continuous_absence_10_days");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0]["date"], "2024-11-07");
  EXPECT_EQ(alerts[0]["session"], "PM");
  EXPECT_EQ(alerts[0]["evidence"].size(), 20u);
}

TEST(ContinuousAbsenceTest, OtherCodesBreakTheRun) {
  ScenarioBuilder b = Autumn("2024-12-20");
  b.Pupil("P1").Days("P1", "2024-09-02", "2024-09-06", "O").Mark("P1", "2024-09-09", "AM", "U");
  b.Days("P1", "2024-09-10", "2024-09-13", "G");
  EXPECT_TRUE(AlertsOf(b.Evaluate(), 0, "continuous_absence_10_days").empty());
}

TEST(ContinuousAbsenceTest, TwentyDaysAndCustomLengths) {
  ScenarioBuilder b = Autumn("2024-12-20");
  b.Pupil("P1").Days("P1", "2024-09-02", "2024-09-27", "G");  // 40 sessions
  auto r = b.Evaluate();
  EXPECT_EQ(AlertsOf(r, 0, "continuous_absence_20_days").size(), 1u);
  EXPECT_EQ(AlertsOf(r, 0, "continuous_absence_20_days")[0]["date"], "2024-09-27");
  b.Policy({{"continuous_absence", {{"sessions", {6, 6, 40}}}}});
  r = b.Evaluate();
  EXPECT_EQ(AlertsOf(r, 0, "continuous_absence_6_sessions").size(),
            1u);  // listed twice, fires once
  EXPECT_TRUE(AlertsOf(r, 0, "continuous_absence_10_days").empty());
}

TEST(ContinuousAbsenceTest, OffRollDaysNeitherExtendNorBreak) {
  ScenarioBuilder b = Autumn("2024-12-20");
  b.Pupil(
      "P1",
      {{"on_roll",
        {{{"from", nullptr}, {"to", "2024-09-06"}}, {{"from", "2024-09-16"}, {"to", nullptr}}}}});
  b.Days("P1", "2024-09-02", "2024-09-06", "N").Days("P1", "2024-09-16", "2024-09-20", "N");
  const auto alerts = AlertsOf(b.Evaluate(), 0, "continuous_absence_10_days");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0]["date"], "2024-09-20");
}

TEST(SicknessTest, FiresAtThirtiethSessionOncePerYear) {
  ScenarioBuilder b("2025-02-14");
  b.Term("2024-06-03", "2024-07-19")
      .Term("2024-09-02", "2024-12-20")
      .Term("2025-01-06", "2025-02-14");
  b.Pupil("P1")
      .Days("P1", "2024-07-01", "2024-07-19", "I")   // 30 in 2023/24
      .Days("P1", "2024-09-02", "2024-09-13", "I")   // 20 in 2024/25
      .Days("P1", "2024-10-07", "2024-10-11", "I")   // 30th on 11 Oct PM
      .Days("P1", "2025-01-06", "2025-01-10", "I");  // no second alert this year
  const auto alerts = AlertsOf(b.Evaluate(), 0, "sickness_15_days");
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0]["date"], "2024-07-19");
  EXPECT_EQ(alerts[1]["date"], "2024-10-11");
  EXPECT_EQ(alerts[1]["evidence"].size(), 30u);
}

TEST(LatenessTest, WeeklyAndYearlyThresholds) {
  ScenarioBuilder b = Autumn("2024-12-20");
  b.Pupil("P1");
  for (const char* day : {"2024-09-02", "2024-09-03", "2024-09-04", "2024-09-05"}) {
    b.Mark("P1", day, "AM", "L");
  }
  for (const char* day :
       {"2024-09-09", "2024-09-16", "2024-09-23", "2024-09-30", "2024-10-07", "2024-10-14"}) {
    b.Mark("P1", day, "PM", "U");
  }
  const auto r = b.Evaluate();
  const auto week = AlertsOf(r, 0, "lateness_week");
  ASSERT_EQ(week.size(), 1u);  // once per week, even with a 4th late
  EXPECT_EQ(week[0]["date"], "2024-09-04");
  const auto year = AlertsOf(r, 0, "persistent_lateness");
  ASSERT_EQ(year.size(), 1u);
  EXPECT_EQ(year[0]["date"], "2024-10-14");
  EXPECT_EQ(year[0]["evidence"].size(), 10u);
}

TEST(NOverdueTest, MoreThanFiveSchoolDaysAfterTheSession) {
  // N on Mon 16 Sep; school days after it: 17,18,19,20,23 (5) then 24 (6).
  ScenarioBuilder b = Autumn("2024-09-23");
  b.Pupil("P1").Mark("P1", "2024-09-16", "AM", "N");
  EXPECT_TRUE(AlertsOf(b.Evaluate(), 0, "n_overdue").empty());
  b.json()["as_of"] = "2024-09-24";
  EXPECT_EQ(AlertsOf(b.Evaluate(), 0, "n_overdue").size(), 1u);
  b.Closure("2024-09-18");  // a closure is not a school day: back to 5
  EXPECT_TRUE(AlertsOf(b.Evaluate(), 0, "n_overdue").empty());
  b.Policy({{"n_overdue_school_days", 0}});
  EXPECT_EQ(AlertsOf(b.Evaluate(), 0, "n_overdue").size(), 1u);
}

TEST(UnrecordedMarksTest, OneAlertAtTheFirstCitingAll) {
  ScenarioBuilder b = Autumn("2024-09-06");
  b.Pupil("P1").Mark("P1", "2024-09-03", "PM", nullptr).Mark("P1", "2024-09-05", "AM", nullptr);
  const auto alerts = AlertsOf(b.Evaluate(), 0, "unrecorded_marks");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0]["date"], "2024-09-03");
  EXPECT_EQ(alerts[0]["evidence"],
            nlohmann::json::parse(R"([["2024-09-03","PM",null],["2024-09-05","AM",null]])"));
}

TEST(UnrecordedMarksTest, WithoutDefaultMarkEverySessionIsUnrecorded) {
  ScenarioBuilder b = Autumn("2024-09-03");
  b.NoDefaultMark().Pupil("P1").Mark("P1", "2024-09-02", "AM", "/");
  const auto r = b.Evaluate();
  EXPECT_EQ(r["pupils"][0]["unrecorded"], 3);
  EXPECT_EQ(r["pupils"][0]["possible"], 1);
}

TEST(AlertOrderTest, SortedByDateSessionThenType) {
  ScenarioBuilder b = Autumn("2024-12-20");
  b.Pupil("P1").Days("P1", "2024-09-02", "2024-09-13", "G");
  const auto alerts = b.Evaluate()["pupils"][0]["alerts"];
  // 13 Sep PM: continuous_absence_10_days and penalty_threshold (2nd); c < p.
  std::vector<std::string> at_13;
  for (const auto& a : alerts) {
    if (a["date"] == "2024-09-13") at_13.push_back(a["type"]);
  }
  EXPECT_EQ(at_13, (std::vector<std::string>{"continuous_absence_10_days", "penalty_threshold"}));
  for (size_t i = 1; i < alerts.size(); ++i) {
    EXPECT_LE(alerts[i - 1]["date"].get<std::string>(), alerts[i]["date"].get<std::string>());
  }
}

}  // namespace
}  // namespace rollcall::testing
