// The penalty-notice threshold (rule 6) and the action from the history (rule 7).
#include <gtest/gtest.h>

#include "core/alerts.h"
#include "support/scenario_builder.h"

namespace rollcall::testing {
namespace {

using core::Date;
using core::PenaltyAction;
using core::PenaltyActionFor;

ScenarioBuilder Autumn2024(const std::string& as_of) {
  ScenarioBuilder b(as_of);
  b.Term("2024-09-02", "2024-10-25").Term("2024-11-04", "2024-12-20");
  b.Term("2025-01-06", "2025-02-14").Term("2025-02-24", "2025-04-04");
  b.Term("2025-04-22", "2025-05-23").Term("2025-06-02", "2025-07-22");
  b.Term("2025-09-03", "2025-10-24");
  return b;
}

TEST(PenaltyThresholdTest, FiresAtTenthSessionWithThoseSessionsAsEvidence) {
  ScenarioBuilder b = Autumn2024("2024-12-20");
  b.Pupil("P1").Days("P1", "2024-09-09", "2024-09-12", "G").Mark("P1", "2024-09-13", "AM", "O");
  b.Mark("P1", "2024-09-13", "PM", "U");
  const auto alerts = AlertsOf(b.Evaluate(), 0, "penalty_threshold");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0]["date"], "2024-09-13");
  EXPECT_EQ(alerts[0]["session"], "PM");
  EXPECT_EQ(alerts[0]["evidence"].size(), 10u);
  EXPECT_EQ(alerts[0]["action"], "penalty_notice_1");
}

TEST(PenaltyThresholdTest, NineSessionsAndNDoNotFireByDefault) {
  ScenarioBuilder b = Autumn2024("2024-12-20");
  b.Pupil("P1").Days("P1", "2024-09-09", "2024-09-12", "G").Mark("P1", "2024-09-13", "AM", "O");
  b.Mark("P1", "2024-09-13", "PM", "N");
  EXPECT_TRUE(AlertsOf(b.Evaluate(), 0, "penalty_threshold").empty());
  b.Policy({{"penalty", {{"codes", {"G", "N", "O", "U"}}}}});
  EXPECT_EQ(AlertsOf(b.Evaluate(), 0, "penalty_threshold").size(), 1u);
}

TEST(PenaltyThresholdTest, WindowSpansHalfTermBecauseHolidayWeeksAreNotSchoolWeeks) {
  // Week 1 of the window: 2 Sep; week 10: the week of 11 Nov (half term skipped).
  ScenarioBuilder b = Autumn2024("2024-12-20");
  b.Pupil("P1")
      .Days("P1", "2024-09-02", "2024-09-03", "G")
      .Days("P1", "2024-11-11", "2024-11-13", "G");
  auto alerts = AlertsOf(b.Evaluate(), 0, "penalty_threshold");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0]["date"], "2024-11-13");

  // One school week later the 2 September sessions have left the window.
  ScenarioBuilder late = Autumn2024("2024-12-20");
  late.Pupil("P1")
      .Days("P1", "2024-09-02", "2024-09-03", "G")
      .Days("P1", "2024-11-18", "2024-11-20", "G");
  EXPECT_TRUE(AlertsOf(late.Evaluate(), 0, "penalty_threshold").empty());
}

TEST(PenaltyThresholdTest, WindowSpansAcademicYears) {
  ScenarioBuilder b = Autumn2024("2025-10-24");
  b.Pupil("P1")
      .Days("P1", "2025-07-21", "2025-07-22", "G")
      .Days("P1", "2025-09-03", "2025-09-05", "G");
  auto alerts = AlertsOf(b.Evaluate(), 0, "penalty_threshold");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0]["evidence"][0][0], "2025-07-21");
}

TEST(PenaltyThresholdTest, UsedSessionsNeverCountTwice) {
  ScenarioBuilder b = Autumn2024("2024-12-20");
  b.Pupil("P1").Days("P1", "2024-09-09", "2024-09-20", "O");  // 20 sessions
  auto alerts = AlertsOf(b.Evaluate(), 0, "penalty_threshold");
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0]["date"], "2024-09-13");
  EXPECT_EQ(alerts[1]["date"], "2024-09-20");
  EXPECT_EQ(alerts[1]["evidence"][0][0], "2024-09-16");
}

TEST(PenaltyThresholdTest, SessionsBeforeFrameworkStartAreNotCounted) {
  ScenarioBuilder b("2024-09-30");
  b.Term("2024-06-03", "2024-07-19").Term("2024-09-02", "2024-10-25");
  b.Pupil("P1")
      .Days("P1", "2024-07-15", "2024-07-19", "G")
      .Days("P1", "2024-09-02", "2024-09-03", "G");
  EXPECT_TRUE(AlertsOf(b.Evaluate(), 0, "penalty_threshold").empty());
  b.Policy({{"penalty", {{"framework_start", nullptr}}}});
  EXPECT_EQ(AlertsOf(b.Evaluate(), 0, "penalty_threshold").size(), 1u);
}

TEST(PenaltyActionTest, HistoryWindowIsExactlyThreeYearsInclusive) {
  const Date alert = D("2028-03-01");
  const std::optional<Date> no_limit;
  EXPECT_EQ(PenaltyActionFor({}, alert, no_limit), PenaltyAction::kFirstNotice);
  std::vector<core::PenaltyNotice> on_boundary{{D("2025-03-01"), false}};
  EXPECT_EQ(PenaltyActionFor(on_boundary, alert, no_limit), PenaltyAction::kSecondNotice);
  std::vector<core::PenaltyNotice> day_before{{D("2025-02-28"), false}};
  EXPECT_EQ(PenaltyActionFor(day_before, alert, no_limit), PenaltyAction::kFirstNotice);
  std::vector<core::PenaltyNotice> after_alert{{D("2028-03-02"), false}};
  EXPECT_EQ(PenaltyActionFor(after_alert, alert, no_limit), PenaltyAction::kFirstNotice);
  std::vector<core::PenaltyNotice> on_alert_day{{D("2028-03-01"), false}, {D("2026-01-01"), false}};
  EXPECT_EQ(PenaltyActionFor(on_alert_day, alert, no_limit), PenaltyAction::kConsiderProsecution);
}

TEST(PenaltyActionTest, LeapDayAlertLooksBackToTwentyEighthFebruary) {
  const Date alert = D("2028-02-29");
  std::vector<core::PenaltyNotice> history{{D("2025-02-28"), false}};
  EXPECT_EQ(PenaltyActionFor(history, alert, std::nullopt), PenaltyAction::kSecondNotice);
  history = {{D("2025-02-27"), false}};
  EXPECT_EQ(PenaltyActionFor(history, alert, std::nullopt), PenaltyAction::kFirstNotice);
}

TEST(PenaltyActionTest, WithdrawnAndPreFrameworkNoticesDoNotCount) {
  const Date alert = D("2025-06-10");
  std::vector<core::PenaltyNotice> history{
      {D("2024-10-10"), true}, {D("2023-01-10"), false}, {D("2025-01-10"), false}};
  EXPECT_EQ(PenaltyActionFor(history, alert, core::kCodeSwitchDate), PenaltyAction::kSecondNotice);
  EXPECT_EQ(PenaltyActionFor(history, alert, std::nullopt), PenaltyAction::kConsiderProsecution);
}

}  // namespace
}  // namespace rollcall::testing
