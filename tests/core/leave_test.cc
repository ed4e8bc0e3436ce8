// Leave of absence: the sessions a request covers and the warnings the head
// weighs: short notice, restricted periods, the first half-term, and leave
// beside a school holiday.
#include "core/leave.h"

#include <gtest/gtest.h>

#include "support/scenario_builder.h"

namespace rollcall::testing {
namespace {

// Autumn 2026 in two halves (half-term 26-30 October), spring from 5 January.
core::Calendar Autumn() {
  ScenarioBuilder b("2026-11-25");
  b.Term("2026-09-02", "2026-10-23")
      .Term("2026-11-02", "2026-12-18")
      .Term("2027-01-05", "2027-02-12");
  return b.Build().calendar;
}

bool Has(const std::vector<std::string>& w, const std::string& text) {
  for (const std::string& s : w) {
    if (s.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(LeaveTest, SessionsCoveredSkipClosedDays) {
  const core::Calendar cal = Autumn();
  const auto s = core::LeaveSessions(cal, {D("2026-10-23"), core::Session::kPm},
                                     {D("2026-11-02"), core::Session::kAm});
  ASSERT_EQ(s.size(), 2u);  // Friday afternoon, then Monday morning after half-term
  EXPECT_EQ(s[1].date, D("2026-11-02"));
  EXPECT_TRUE(core::IsLeaveCode(core::AttendanceCode::kExceptional));
  EXPECT_FALSE(core::IsLeaveCode(core::AttendanceCode::kHolidayNotGranted));
  EXPECT_FALSE(core::IsLeaveCode(core::AttendanceCode::kPartTimeTimetable));
}

TEST(LeaveTest, WarningsForNoticeRestrictedPeriodsAndHolidays) {
  const core::Calendar cal = Autumn();
  core::Policy policy;
  policy.leave.restricted.push_back({D("2026-12-14"), D("2026-12-18"), {6}, "Year 6 mock SATs"});
  // Two weeks asked for exceptional leave; 12 days given.
  auto w = core::LeaveWarnings(cal, policy.leave, core::AttendanceCode::kExceptional,
                               D("2026-11-25"), {D("2026-12-07"), core::Session::kAm},
                               {D("2026-12-08"), core::Session::kPm}, 3);
  EXPECT_EQ(w.size(), 1u);
  EXPECT_TRUE(Has(w, "asked 12 days ahead; the school asks for 14"));
  // A medical appointment needs 2 days.
  w = core::LeaveWarnings(cal, policy.leave, core::AttendanceCode::kMedical, D("2026-11-25"),
                          {D("2026-11-27"), core::Session::kAm},
                          {D("2026-11-27"), core::Session::kAm}, 3);
  EXPECT_TRUE(w.empty());
  // Restricted for Year 6 only; and the last week before Christmas ends
  // just before a holiday.
  w = core::LeaveWarnings(cal, policy.leave, core::AttendanceCode::kExceptional, D("2026-10-01"),
                          {D("2026-12-16"), core::Session::kAm},
                          {D("2026-12-18"), core::Session::kPm}, 6);
  EXPECT_TRUE(Has(w, "Year 6 mock SATs"));
  EXPECT_TRUE(Has(w, "ends just before a school holiday"));
  w = core::LeaveWarnings(cal, policy.leave, core::AttendanceCode::kExceptional, D("2026-10-01"),
                          {D("2026-12-16"), core::Session::kAm},
                          {D("2026-12-17"), core::Session::kPm}, 5);
  EXPECT_TRUE(w.empty());
  // The first half-term, and straight after half-term.
  w = core::LeaveWarnings(cal, policy.leave, core::AttendanceCode::kExceptional, D("2026-08-01"),
                          {D("2026-09-21"), core::Session::kAm},
                          {D("2026-09-22"), core::Session::kPm}, 3);
  EXPECT_TRUE(Has(w, "the first half-term of the year (2026-09-02 to 2026-10-23)"));
  w = core::LeaveWarnings(cal, policy.leave, core::AttendanceCode::kExceptional, D("2026-08-01"),
                          {D("2026-11-02"), core::Session::kAm},
                          {D("2026-11-03"), core::Session::kPm}, 3);
  EXPECT_TRUE(Has(w, "starts straight after a school holiday"));
  policy.leave.first_half_term_restricted = false;
  w = core::LeaveWarnings(cal, policy.leave, core::AttendanceCode::kExceptional, D("2026-08-01"),
                          {D("2026-09-21"), core::Session::kAm},
                          {D("2026-09-22"), core::Session::kPm}, 3);
  EXPECT_TRUE(w.empty());
}

}  // namespace
}  // namespace rollcall::testing
