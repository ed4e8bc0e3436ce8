// Dashboard breakdowns and period aggregates: the same counts as Evaluate.
#include "core/breakdown.h"

#include <gtest/gtest.h>

#include <numeric>

#include "core/pupil_sessions.h"
#include "support/scenario_builder.h"

namespace rollcall::testing {
namespace {

core::Period Between(const char* from, const char* to) {
  return {*core::Date::Parse(from), *core::Date::Parse(to)};
}

std::vector<size_t> All(const core::Scenario& s) {
  std::vector<size_t> out(s.pupils.size());
  std::iota(out.begin(), out.end(), 0);
  return out;
}

// Two school weeks with half-term between them; Friday 20 Sep closed.
ScenarioBuilder Weeks() {
  ScenarioBuilder b("2024-10-04");
  b.Term("2024-09-16", "2024-09-20").Term("2024-09-30", "2024-10-04").Closure("2024-09-20");
  return b;
}

TEST(BreakdownTest, WeeksAndWeekdaysSumToTheYearCounts) {
  ScenarioBuilder b = Weeks();
  b.Pupil("A").Mark("A", "2024-09-16", "AM", "I").Mark("A", "2024-10-04", "PM", "O");
  b.Pupil("B").Mark("B", "2024-10-04", "AM", "Y1").Mark("B", "2024-10-01", "AM", "L");
  const core::Scenario s = b.Build();
  const std::vector<size_t> pupils = All(s);
  const core::Breakdown d = core::BreakdownOf(s, pupils, Between("2024-08-01", "2024-10-04"));
  ASSERT_EQ(d.weeks.size(), 2u);
  EXPECT_EQ(d.weeks[0].week_start.ToString(), "2024-09-16");
  EXPECT_EQ(d.weeks[1].week_start.ToString(), "2024-09-30");
  EXPECT_EQ(d.weeks[0].counts.possible, 16);  // 4 open days x 2 sessions x 2 pupils
  EXPECT_EQ(d.weeks[1].counts.possible, 19);  // Y1 is not possible
  EXPECT_EQ(d.weeks[0].counts.authorised, 1);
  EXPECT_EQ(d.weeks[1].counts.unauthorised, 1);
  EXPECT_EQ(d.weekday[4].possible, 3);  // only the second Friday, less Y1
  EXPECT_EQ(d.weekday[4].unauthorised, 1);
  EXPECT_EQ(d.weekday[0].authorised, 1);
  EXPECT_EQ(d.weekday[1].late_before_close, 1);
  const core::Evaluation e = core::Evaluate(s);
  EXPECT_EQ(d.total.possible, e.school.counts.possible);
  EXPECT_EQ(d.total.absence, e.school.counts.absence);
  int64_t weekdays = 0;
  for (const core::SessionCounts& c : d.weekday) weekdays += c.possible;
  EXPECT_EQ(weekdays, d.total.possible);
}

TEST(BreakdownTest, PeriodLimitsTheSessions) {
  ScenarioBuilder b = Weeks();
  b.Pupil("A").Mark("A", "2024-09-16", "AM", "I");
  const core::Scenario s = b.Build();
  const std::vector<size_t> pupils = All(s);
  const core::Breakdown d = core::BreakdownOf(s, pupils, Between("2024-09-30", "2024-10-02"));
  ASSERT_EQ(d.weeks.size(), 1u);
  EXPECT_EQ(d.total.possible, 6);
  EXPECT_EQ(d.total.absence, 0);
  EXPECT_TRUE(core::BreakdownOf(s, pupils, Between("2024-09-21", "2024-09-29")).weeks.empty());
}

TEST(BreakdownTest, PeriodAggregateJudgesAbsenceWithinThePeriod) {
  ScenarioBuilder b = Weeks();
  // 2 of the first half's 8 sessions missed: 25% there, 2 of 18 = 11.1% for the year.
  b.Pupil("A").Mark("A", "2024-09-16", "AM", "O").Mark("A", "2024-09-16", "PM", "O");
  b.Pupil("B");
  // Joins in the second half: no possible session in the first, left out.
  b.Pupil("C", {{"on_roll", {{{"from", "2024-09-30"}, {"to", nullptr}}}}});
  const core::Scenario s = b.Build();
  const std::vector<size_t> pupils = All(s);
  const core::Aggregate first = core::AggregateOver(s, pupils, Between("2024-09-16", "2024-09-20"));
  EXPECT_EQ(first.pupils, 2);
  EXPECT_EQ(first.persistent_absence, 1);
  EXPECT_EQ(first.counts.possible, 16);
  const core::Aggregate second =
      core::AggregateOver(s, pupils, Between("2024-09-30", "2024-10-04"));
  EXPECT_EQ(second.pupils, 3);
  EXPECT_EQ(second.persistent_absence, 0);
  // Over the whole year it is the same as Evaluate's school aggregate.
  const core::Aggregate year = core::AggregateOver(s, pupils, core::StatisticsPeriod(s.as_of));
  const core::Evaluation e = core::Evaluate(s);
  EXPECT_EQ(year.pupils, e.school.pupils);
  EXPECT_EQ(year.persistent_absence, e.school.persistent_absence);
  EXPECT_EQ(year.counts.absence, e.school.counts.absence);
}

TEST(BreakdownTest, NoPupilsNoCounts) {
  const core::Scenario s = Weeks().Build();
  const core::Breakdown d = core::BreakdownOf(s, {}, Between("2024-08-01", "2024-10-04"));
  EXPECT_EQ(d.weeks.size(), 2u);
  EXPECT_EQ(d.total.possible, 0);
  EXPECT_EQ(core::AggregateOver(s, {}, Between("2024-08-01", "2024-10-04")).pupils, 0);
}

TEST(BreakdownTest, ImpactComparesTheSchoolWeeksBeforeAndAfter) {
  // Three school weeks with half-term after the first: the weeks are school
  // weeks, so the holiday is skipped.
  ScenarioBuilder b("2024-10-11");
  b.Term("2024-09-16", "2024-09-20").Term("2024-09-30", "2024-10-11");
  b.Pupil("P").Days("P", "2024-09-16", "2024-09-20", "O");  // absent all the week before
  b.Mark("P", "2024-10-01", "AM", "I");                     // one session after
  const core::Scenario s = b.Build();
  const std::vector<core::PupilSession> sessions =
      core::BuildPupilSessions(s.calendar, s.pupils[0], s.marks[0], s.default_mark, s.as_of);
  // An intervention on Wednesday 2 October, one school week either side.
  core::Impact one = core::ImpactAround(s.calendar, sessions, D("2024-10-02"), 1);
  EXPECT_EQ(one.before.possible, 10);  // the week of 16 September
  EXPECT_EQ(one.before.attended, 0);
  EXPECT_EQ(one.after.possible, 4);  // from the next day: Thursday and Friday
  EXPECT_EQ(one.after.attended, 4);
  EXPECT_TRUE(one.complete);  // the next school week has passed
  core::Impact two = core::ImpactAround(s.calendar, sessions, D("2024-10-02"), 2);
  EXPECT_EQ(two.after.possible, 14);  // and the week of 7 October
  EXPECT_TRUE(two.complete);          // the calendar ends with it
  core::Impact three = core::ImpactAround(s.calendar, sessions, D("2024-09-30"), 1);
  EXPECT_EQ(three.before.possible, 10);
  EXPECT_EQ(three.after.possible, 8);  // 1 to 4 October, one I
  EXPECT_EQ(three.after.attended, 7);
  EXPECT_TRUE(three.complete);
  EXPECT_EQ(core::ImpactAround(s.calendar, sessions, D("2024-12-01"), 1).before.possible, 0);
}

}  // namespace
}  // namespace rollcall::testing
