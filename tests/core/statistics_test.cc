// Statistics, PA/SA and bands through the whole evaluation (rules 1-5).
#include <gtest/gtest.h>

#include "support/scenario_builder.h"

namespace rollcall::testing {
namespace {

TEST(StatisticsTest, CountsEveryCategory) {
  ScenarioBuilder b = TwoWeeks();
  b.Pupil("P1")
      .Mark("P1", "2024-09-02", "AM", "L")
      .Mark("P1", "2024-09-02", "PM", "U")
      .Mark("P1", "2024-09-03", "AM", "V")
      .Mark("P1", "2024-09-03", "PM", "I")
      .Mark("P1", "2024-09-04", "AM", "G")
      .Mark("P1", "2024-09-04", "PM", "Y1")
      .Mark("P1", "2024-09-05", "AM", nullptr);
  const auto p = b.Evaluate()["pupils"][0];
  EXPECT_EQ(p["possible"], 18);  // 20 less Y1 and the unrecorded session
  EXPECT_EQ(p["present"], 14);   // 13 defaults + L
  EXPECT_EQ(p["late_before_close"], 1);
  EXPECT_EQ(p["late_after_close"], 1);
  EXPECT_EQ(p["approved_activity"], 1);
  EXPECT_EQ(p["attended"], 15);
  EXPECT_EQ(p["authorised"], 1);
  EXPECT_EQ(p["unauthorised"], 2);  // U is unauthorised absence
  EXPECT_EQ(p["absence"], 3);
  EXPECT_EQ(p["not_possible"], 1);
  EXPECT_EQ(p["unrecorded"], 1);
  EXPECT_NEAR(p["attendance_pct"].get<double>(), 100.0 * 15 / 18, 1e-9);
}

TEST(StatisticsTest, PersistentAbsenceAtExactlyTenPercent) {
  ScenarioBuilder b = TwoWeeks();
  b.Pupil("exact").Mark("exact", "2024-09-02", "AM", "O").Mark("exact", "2024-09-02", "PM", "O");
  b.Pupil("under").Mark("under", "2024-09-02", "AM", "O").Mark("under", "2024-09-02", "PM", "X");
  const auto r = b.Evaluate();
  EXPECT_EQ(r["pupils"][0]["possible"], 20);
  EXPECT_TRUE(r["pupils"][0]["persistent_absence"]);   // 2 of 20 = 10%
  EXPECT_EQ(r["pupils"][0]["band"], "amber_lower");    // exactly 90%: amber_lower and PA
  EXPECT_FALSE(r["pupils"][1]["persistent_absence"]);  // 1 of 19
}

TEST(StatisticsTest, SevereAbsenceAtExactlyHalf) {
  ScenarioBuilder b = TwoWeeks();
  b.Pupil("P1").Days("P1", "2024-09-02", "2024-09-06", "I");
  const auto p = b.Evaluate()["pupils"][0];
  EXPECT_TRUE(p["severe_absence"]);
  EXPECT_TRUE(p["persistent_absence"]);
}

TEST(StatisticsTest, BandsCompareExactDecimals) {
  // 1000 possible sessions would be needed for 95.9 exactly; use a policy band
  // of 90 and a pupil at exactly 90%: amber_lower and PA together.
  ScenarioBuilder b = TwoWeeks();
  b.Pupil("P1").Mark("P1", "2024-09-02", "AM", "O").Mark("P1", "2024-09-02", "PM", "O");
  auto p = b.Evaluate()["pupils"][0];
  EXPECT_EQ(p["band"], "amber_lower");
  EXPECT_TRUE(p["persistent_absence"]);

  b.Policy({{"bands", {{{"name", "top"}, {"min", 90.0000001}}, {{"name", "rest"}, {"min", 0}}}}});
  EXPECT_EQ(b.Evaluate()["pupils"][0]["band"], "rest");
  b.Policy({{"bands", {{{"name", "top"}, {"min", 95}}}}});
  EXPECT_TRUE(b.Evaluate()["pupils"][0]["band"].is_null());  // no band matches
}

TEST(StatisticsTest, NoPossibleSessionsMeansNullsAndNoFlags) {
  ScenarioBuilder b = TwoWeeks();
  b.Pupil("P1").Days("P1", "2024-09-02", "2024-09-13", "X");
  const auto r = b.Evaluate();
  const auto p = r["pupils"][0];
  EXPECT_EQ(p["possible"], 0);
  EXPECT_TRUE(p["attendance_pct"].is_null());
  EXPECT_TRUE(p["band"].is_null());
  EXPECT_FALSE(p["persistent_absence"]);
  EXPECT_EQ(r["school"]["pupils"], 0);
  EXPECT_TRUE(r["school"]["persistent_absence_pct"].is_null());
}

TEST(StatisticsTest, PeriodStartsFirstAugustAndEndsAtAsOf) {
  ScenarioBuilder b("2024-09-04");
  b.Term("2024-06-03", "2024-07-19").Term("2024-09-02", "2024-09-13");
  b.Pupil("P1").Mark("P1", "2024-07-19", "AM", "O").Mark("P1", "2024-09-05", "AM", "O");
  const auto r = b.Evaluate();
  EXPECT_EQ(r["period"]["from"], "2024-08-01");
  EXPECT_EQ(r["pupils"][0]["possible"], 6);  // Mon 2 - Wed 4 Sep only
  EXPECT_EQ(r["pupils"][0]["absence"], 0);   // July is last year; 5 Sep is after as_of
}

TEST(StatisticsTest, JoiningAndLeavingMidYearCountOnlyOnRollSessions) {
  ScenarioBuilder b = TwoWeeks();
  b.Pupil("joiner", {{"on_roll", {{{"from", "2024-09-09"}, {"to", nullptr}}}}});
  b.Pupil("leaver", {{"on_roll", {{{"from", nullptr}, {"to", "2024-09-04"}}}}});
  b.Pupil("returner", {{"on_roll",
                        {{{"from", "2024-09-02"}, {"to", "2024-09-03"}},
                         {{"from", "2024-09-12"}, {"to", nullptr}}}}});
  const auto r = b.Evaluate();
  EXPECT_EQ(r["pupils"][0]["possible"], 10);
  EXPECT_EQ(r["pupils"][1]["possible"], 6);
  EXPECT_EQ(r["pupils"][2]["possible"], 8);
  EXPECT_EQ(r["pupils"][2]["unrecorded"], 0);  // off-roll sessions are nobody's
  b.Mark("joiner", "2024-09-06", "AM", "/");
  EXPECT_NE(b.Error().find("marks[joiner][2024-09-06].AM: pupil is not on roll"),
            std::string::npos);
}

TEST(StatisticsTest, SchoolAndCohortsSumPupilsWithPossibleSessions) {
  ScenarioBuilder b = TwoWeeks();
  b.Pupil("A", {{"cohorts", {"FSM", "SEN_K"}}}).Days("A", "2024-09-02", "2024-09-03", "O");
  b.Pupil("B", {{"cohorts", {"FSM", "FSM"}}});
  b.Pupil("C", {{"cohorts", {"EHCP"}}}).Days("C", "2024-09-02", "2024-09-13", "X");
  const auto r = b.Evaluate();
  EXPECT_EQ(r["school"]["pupils"], 2);
  EXPECT_EQ(r["school"]["possible"], 40);
  EXPECT_EQ(r["school"]["absence"], 4);
  EXPECT_EQ(r["school"]["persistent_absence"], 1);
  EXPECT_DOUBLE_EQ(r["school"]["persistent_absence_pct"].get<double>(), 50.0);
  EXPECT_EQ(r["cohorts"]["FSM"]["pupils"], 2);   // B listed FSM twice: counted once
  EXPECT_EQ(r["cohorts"]["EHCP"]["pupils"], 0);  // kept though empty
  EXPECT_TRUE(r["cohorts"]["EHCP"]["attendance_pct"].is_null());
  std::vector<std::string> keys;
  for (const auto& item : r["cohorts"].items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"EHCP", "FSM", "SEN_K"}));
}

}  // namespace
}  // namespace rollcall::testing
