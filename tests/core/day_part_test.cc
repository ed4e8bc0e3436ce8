// How much of the as-of day counts (core::DayPart): during the school day a
// session whose register has not opened is neither possible nor unrecorded.
#include <gtest/gtest.h>

#include "core/evaluate.h"
#include "core/pupil_sessions.h"
#include "support/scenario_builder.h"

namespace rollcall::testing {
namespace {

using core::DayPart;

// Mon 2 to Wed 4 Sep 2024, as of the Wednesday; no default mark, so a
// session without a mark is unrecorded. P1 is present every session but
// Wednesday afternoon's, which has no mark yet.
core::Scenario Wednesday(DayPart part) {
  ScenarioBuilder b("2024-09-04");
  b.Term("2024-09-02", "2024-09-13").NoDefaultMark().Pupil("P1");
  b.Days("P1", "2024-09-02", "2024-09-03", "/").Mark("P1", "2024-09-04", "AM", "/");
  core::Scenario s = b.Build();
  s.as_of_part = part;
  return s;
}

bool HasUnrecordedAlert(const core::PupilEvaluation& e) {
  for (const core::Alert& a : e.alerts) {
    if (a.kind == core::AlertKind::kUnrecordedMarks) return true;
  }
  return false;
}

TEST(DayPartTest, TheWholeDayCountsAnAfternoonWithoutAMarkAsUnrecorded) {
  const core::Evaluation e = core::Evaluate(Wednesday(DayPart::kWholeDay));
  EXPECT_EQ(e.pupils[0].counts.possible, 5);
  EXPECT_EQ(e.pupils[0].counts.unrecorded, 1);
  EXPECT_TRUE(HasUnrecordedAlert(e.pupils[0]));
}

TEST(DayPartTest, BeforeTheAfternoonOpensItIsNeitherPossibleNorUnrecorded) {
  const core::Evaluation e = core::Evaluate(Wednesday(DayPart::kAmOnly));
  EXPECT_EQ(e.pupils[0].counts.possible, 5);
  EXPECT_EQ(e.pupils[0].counts.unrecorded, 0);
  EXPECT_FALSE(HasUnrecordedAlert(e.pupils[0]));
  EXPECT_EQ(e.school.counts.unrecorded, 0);
}

TEST(DayPartTest, BeforeTheMorningOpensNoSessionOfTheDayCounts) {
  core::Scenario s = Wednesday(DayPart::kNoSession);
  const core::Evaluation e = core::Evaluate(s);
  EXPECT_EQ(e.pupils[0].counts.possible, 4);  // Monday and Tuesday
  EXPECT_EQ(e.pupils[0].counts.unrecorded, 0);
  // The morning's mark, recorded early, is ignored rather than counted.
  EXPECT_EQ(e.pupils[0].counts.present, 4);
}

TEST(DayPartTest, TheOnePupilOverloadTakesTheDayPart) {
  const core::Scenario s = Wednesday(DayPart::kWholeDay);
  EXPECT_EQ(core::EvaluatePupil(s, 0, D("2024-09-04")).counts.unrecorded, 1);
  EXPECT_EQ(core::EvaluatePupil(s, 0, D("2024-09-04"), DayPart::kAmOnly).counts.unrecorded, 0);
  // An earlier day is whole whatever today's part.
  EXPECT_EQ(core::EvaluatePupil(s, 0, D("2024-09-03"), DayPart::kNoSession).counts.possible, 2);
}

TEST(DayPartTest, SessionsEndStopsAtTheSessionsThatHaveOpened) {
  const core::Scenario s = Wednesday(DayPart::kWholeDay);
  const core::Calendar& c = s.calendar;
  // Sessions 0-3 are Monday and Tuesday; 4 and 5 Wednesday's.
  EXPECT_EQ(core::SessionsEnd(c, D("2024-09-04"), DayPart::kNoSession), 4);
  EXPECT_EQ(core::SessionsEnd(c, D("2024-09-04"), DayPart::kAmOnly), 5);
  EXPECT_EQ(core::SessionsEnd(c, D("2024-09-04"), DayPart::kWholeDay), 6);
  const auto sessions = core::BuildPupilSessions(c, s.pupils[0], s.marks[0], s.default_mark,
                                                 D("2024-09-04"), DayPart::kAmOnly);
  ASSERT_EQ(sessions.size(), 5u);
  EXPECT_EQ(sessions.back().index, 4);
}

TEST(DayPartTest, AMorningClosureLeavesNothingOpenBeforeTheAfternoon) {
  ScenarioBuilder b("2024-09-04");
  b.Term("2024-09-02", "2024-09-13").Closure("2024-09-04", "AM").Pupil("P1");
  const core::Scenario s = b.Build();
  // Sessions 0-3 are Monday and Tuesday; Wednesday has only its afternoon, 4.
  EXPECT_EQ(core::SessionsEnd(s.calendar, D("2024-09-04"), DayPart::kAmOnly), 4);
  EXPECT_EQ(core::SessionsEnd(s.calendar, D("2024-09-04"), DayPart::kWholeDay), 5);
}

}  // namespace
}  // namespace rollcall::testing
