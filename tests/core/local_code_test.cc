// The local code of conduct's trigger (sessions in this and the previous
// half-term) and the threshold-avoidance patterns.
#include "core/local_code.h"

#include <gtest/gtest.h>

#include "support/scenario_builder.h"

namespace rollcall::testing {
namespace {

ScenarioBuilder Year(const char* as_of) {
  ScenarioBuilder b(as_of);
  b.Term("2026-09-02", "2026-10-23")
      .Term("2026-11-02", "2026-12-18")
      .Term("2027-01-05", "2027-02-12");
  b.Pupil("P1");
  return b;
}

std::vector<core::PupilSession> SessionsOf(const core::Scenario& s) {
  return core::BuildPupilSessions(s.calendar, s.pupils[0], s.marks[0], s.default_mark, s.as_of);
}

TEST(LocalCodeTest, HalfTermsSplitAtBreaks) {
  const core::Scenario s = Year("2027-02-12").Build();
  const auto halves = core::HalfTerms(s.calendar);
  ASSERT_EQ(halves.size(), 3u);
  EXPECT_EQ(halves[0].second, D("2026-10-23"));
  EXPECT_EQ(halves[1].first, D("2026-11-02"));
  EXPECT_EQ(halves[2].first, D("2027-01-05"));
}

TEST(LocalCodeTest, SixLeaveSessionsInThisAndThePreviousHalfTerm) {
  ScenarioBuilder b = Year("2027-01-20");
  // 4 G before half-term, 2 after it: 6 within two half-terms.
  b.Mark("P1", "2026-10-22", "AM", "G").Mark("P1", "2026-10-22", "PM", "G");
  b.Mark("P1", "2026-10-23", "AM", "G").Mark("P1", "2026-10-23", "PM", "G");
  b.Mark("P1", "2026-11-02", "AM", "G").Mark("P1", "2026-11-02", "PM", "G");
  // Two more in January: the October ones are two half-terms back, and the
  // November ones were used.
  b.Mark("P1", "2027-01-05", "AM", "G").Mark("P1", "2027-01-05", "PM", "G");
  const core::Scenario s = b.Build();
  core::LocalCodePolicy policy{.name = "Burbage", .sessions = 6};
  const auto triggers = core::LocalCodeTriggers(s.calendar, policy, SessionsOf(s));
  ASSERT_EQ(triggers.size(), 1u);
  EXPECT_EQ(s.calendar.SessionAt(triggers[0].at).date, D("2026-11-02"));
  EXPECT_EQ(triggers[0].evidence.size(), 6u);
  policy.sessions = 0;  // off
  EXPECT_TRUE(core::LocalCodeTriggers(s.calendar, policy, SessionsOf(s)).empty());
}

TEST(LocalCodeTest, AbsenceBesideTwoHolidaysIsAPattern) {
  ScenarioBuilder b = Year("2027-01-20");
  b.Mark("P1", "2026-10-23", "AM", "O")
      .Mark("P1", "2026-10-23", "PM", "O");  // before October half-term
  b.Mark("P1", "2027-01-05", "AM", "G");     // after Christmas
  const core::Scenario s = b.Build();
  const auto patterns = core::ThresholdAvoidance(s.calendar, s.policy, SessionsOf(s));
  ASSERT_EQ(patterns.size(), 1u);
  EXPECT_EQ(patterns[0].kind, "beside_holidays");
  EXPECT_EQ(patterns[0].evidence.size(), 3u);
  EXPECT_EQ(patterns[0].description, "unauthorised absence next to 2 school holidays");
}

TEST(LocalCodeTest, TwoNearMissesOfTheThresholdAreAPattern) {
  ScenarioBuilder b = Year("2027-02-12");
  // 8 G in September, then 8 more in January, 10+ school weeks apart.
  for (const char* d : {"2026-09-07", "2026-09-08", "2026-09-09", "2026-09-10"}) {
    b.Mark("P1", d, "AM", "G").Mark("P1", d, "PM", "G");
  }
  for (const char* d : {"2027-01-18", "2027-01-19", "2027-01-20", "2027-01-21"}) {
    b.Mark("P1", d, "AM", "G").Mark("P1", d, "PM", "G");
  }
  const core::Scenario s = b.Build();
  auto patterns = core::ThresholdAvoidance(s.calendar, s.policy, SessionsOf(s));
  ASSERT_EQ(patterns.size(), 1u);
  EXPECT_EQ(patterns[0].kind, "just_under_threshold");
  EXPECT_EQ(patterns[0].evidence.size(), 16u);
  // Two more sessions in January reach the threshold: then the national rule applies.
  ScenarioBuilder more = b;
  more.Mark("P1", "2027-01-22", "AM", "G").Mark("P1", "2027-01-22", "PM", "G");
  const core::Scenario reached = more.Build();
  patterns = core::ThresholdAvoidance(reached.calendar, reached.policy, SessionsOf(reached));
  EXPECT_TRUE(patterns.empty());
}

}  // namespace
}  // namespace rollcall::testing
