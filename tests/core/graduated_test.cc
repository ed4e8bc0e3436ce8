// Graduated approach: the suggested stage and its reasons.
#include "core/graduated.h"

#include <gtest/gtest.h>

#include "support/scenario_builder.h"

namespace rollcall::testing {
namespace {

core::StageSuggestion Suggest(const ScenarioBuilder& b) {
  const core::Scenario s = b.Build();
  return core::SuggestStage(core::EvaluatePupil(s, 0), s.policy, s.calendar);
}

TEST(GraduatedTest, GoodAttendanceIsExpect) {
  ScenarioBuilder b = TwoWeeks();
  b.Pupil("P");
  const core::StageSuggestion s = Suggest(b);
  EXPECT_EQ(s.stage, core::SupportStage::kExpect);
  EXPECT_TRUE(s.reasons.empty());
}

TEST(GraduatedTest, AmberIsMonitorAndPersistentAbsenceIsListen) {
  ScenarioBuilder amber = TwoWeeks();
  amber.Pupil("P").Mark("P", "2024-09-02", "AM", "I");  // 19 of 20: 95%, amber_upper
  core::StageSuggestion s = Suggest(amber);
  EXPECT_EQ(s.stage, core::SupportStage::kMonitor);
  ASSERT_EQ(s.reasons.size(), 1u);
  EXPECT_EQ(s.reasons[0], "attendance 95.0% is in the Amber (upper) band");
  ScenarioBuilder pa = TwoWeeks();
  pa.Pupil("P").Mark("P", "2024-09-02", "AM", "I").Mark("P", "2024-09-02", "PM", "I");  // 90%
  s = Suggest(pa);
  EXPECT_EQ(s.stage, core::SupportStage::kListen);
  ASSERT_EQ(s.reasons.size(), 2u);
  EXPECT_EQ(s.reasons[1], "persistently absent: 10.0% of sessions missed");
}

TEST(GraduatedTest, SevereAbsenceAndThresholdsAreFacilitateNeverFurther) {
  ScenarioBuilder b = TwoWeeks();
  b.Pupil("P").Days("P", "2024-09-02", "2024-09-06", "O");  // 10 unauthorised: threshold
  const core::StageSuggestion s = Suggest(b);
  EXPECT_EQ(s.stage, core::SupportStage::kFacilitate);
  const std::string all = [&] {
    std::string out;
    for (const std::string& r : s.reasons) out += r + "|";
    return out;
  }();
  EXPECT_NE(all.find("severely absent"), std::string::npos) << all;
  EXPECT_NE(all.find("penalty-notice threshold was met on 6 September 2024"), std::string::npos)
      << all;
  EXPECT_NE(all.find("attendance 50.0% is in the Red band"), std::string::npos) << all;
}

TEST(GraduatedTest, StageKeysRoundTrip) {
  for (core::SupportStage stage : core::kStages) {
    EXPECT_EQ(core::StageFromKey(core::StageKey(stage)), stage);
  }
  EXPECT_EQ(core::StageTitle(core::SupportStage::kListen), "Listen and understand");
  EXPECT_FALSE(core::StageFromKey("punish"));
}

}  // namespace
}  // namespace rollcall::testing
