// The CME protocol: the run of unexplained absence and due dates in school
// days across a weekend, a bank holiday and a half-term.
#include "core/cme.h"

#include <gtest/gtest.h>

#include "core/evaluate.h"
#include "core/pupil_sessions.h"
#include "support/scenario_builder.h"

namespace rollcall::testing {
namespace {

// Summer 1 2027 to 21 May with the May Day bank holiday (Mon 3 May) closed,
// half-term 24-31 May, Summer 2 from Tue 1 June.
ScenarioBuilder Summer(const char* as_of) {
  ScenarioBuilder b(as_of);
  b.Term("2027-04-12", "2027-05-21").Term("2027-06-01", "2027-07-21").Closure("2027-05-03");
  return b;
}

std::optional<core::UnexplainedRun> RunOf(const ScenarioBuilder& b) {
  const core::Scenario s = b.Build();
  const std::vector<core::PupilSession> sessions =
      core::BuildPupilSessions(s.calendar, s.pupils[0], s.marks[0], s.default_mark, s.as_of);
  return core::CurrentUnexplainedRun(s.calendar, sessions);
}

TEST(CmeTest, DueDatesCountSchoolDaysOnly) {
  const core::Calendar cal = Summer("2027-06-04").Build().calendar;
  const core::Date first = D("2027-04-29");  // a Thursday
  auto day = [&](int n) { return core::SchoolDayNumber(cal, first, n)->ToString(); };
  EXPECT_EQ(day(1), "2027-04-29");
  EXPECT_EQ(day(2), "2027-04-30");  // Friday
  EXPECT_EQ(day(3), "2027-05-04");  // over the weekend and the bank holiday
  EXPECT_EQ(day(10), "2027-05-13");
  EXPECT_EQ(day(16), "2027-05-21");  // the last day before half-term
  EXPECT_EQ(day(17), "2027-06-01");  // the first day after it
  EXPECT_EQ(day(20), "2027-06-04");
  EXPECT_EQ(core::ProtocolDay(cal, first, D("2027-05-03")),
            2);  // a closed day counts as the day before
  EXPECT_EQ(core::ProtocolDay(cal, first, D("2027-05-04")), 3);
  EXPECT_EQ(core::ProtocolDay(cal, first, D("2027-05-26")), 16);  // half-term
  EXPECT_EQ(core::ProtocolDay(cal, first, D("2027-04-28")), 0);
  EXPECT_FALSE(core::SchoolDayNumber(cal, D("2027-05-03"), 1));  // not a school day
  EXPECT_FALSE(core::SchoolDayNumber(cal, first, 0));
  EXPECT_FALSE(core::SchoolDayNumber(cal, D("2027-07-20"), 3));  // beyond the calendar
}

TEST(CmeTest, TheRunIsTheLatestNAndOSessions) {
  ScenarioBuilder b = Summer("2027-05-05");
  b.Pupil("P").NoDefaultMark();
  b.Mark("P", "2027-04-28", "AM", "/").Mark("P", "2027-04-28", "PM", "\\");
  b.Days("P", "2027-04-29", "2027-05-05", "N");
  b.Mark("P", "2027-04-30", "PM", "O");   // no reason accepted: still unexplained
  b.Mark("P", "2027-05-04", "AM", "Y1");  // not possible: skipped
  const std::optional<core::UnexplainedRun> run = RunOf(b);
  ASSERT_TRUE(run);
  EXPECT_EQ(run->first_day.ToString(), "2027-04-29");
  EXPECT_EQ(run->sessions, 7);  // 29 Apr, 30 Apr, 4 May PM, 5 May
}

TEST(CmeTest, AnyOtherCodeEndsTheRun) {
  ScenarioBuilder b = Summer("2027-05-05");
  b.Pupil("P").NoDefaultMark();
  b.Days("P", "2027-04-29", "2027-05-05", "N");
  b.Mark("P", "2027-05-04", "PM", "I");  // explained: the run starts again after it
  const std::optional<core::UnexplainedRun> run = RunOf(b);
  ASSERT_TRUE(run);
  EXPECT_EQ(run->first_day.ToString(), "2027-05-05");
  EXPECT_EQ(run->sessions, 2);
  ScenarioBuilder holiday = Summer("2027-05-05");
  holiday.Pupil("P").NoDefaultMark();
  holiday.Days("P", "2027-04-29", "2027-05-05", "G");  // a reason, if not an accepted one
  EXPECT_FALSE(RunOf(holiday));
  ScenarioBuilder back = Summer("2027-05-05");
  back.Pupil("P").NoDefaultMark();
  back.Days("P", "2027-04-29", "2027-05-04", "N").Mark("P", "2027-05-05", "AM", "L");
  EXPECT_FALSE(RunOf(back));  // back in school
}

TEST(CmeTest, StepsAreInProtocolOrderWithKeys) {
  int last_due = 0;
  for (const core::CmeStepInfo& info : core::CmeSteps()) {
    EXPECT_GE(info.due_day, last_due);
    EXPECT_LE(info.from_day, info.due_day);
    last_due = info.due_day;
    EXPECT_EQ(core::CmeStepFromKey(info.key), info.step);
    EXPECT_EQ(&core::InfoOf(info.step), &info);
  }
  EXPECT_EQ(core::InfoOf(core::CmeStep::kNotifyDsl).due_day, 3);
  EXPECT_EQ(core::InfoOf(core::CmeStep::kLaEnquiryForm).due_day, 10);
  EXPECT_EQ(core::InfoOf(core::CmeStep::kDeletionReview).due_day, 20);
  EXPECT_FALSE(core::CmeStepFromKey("phone_police"));
}

}  // namespace
}  // namespace rollcall::testing
