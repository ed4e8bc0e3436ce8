// la_returns_test.cc: when each return to the LA falls due, counted in
// calendar or school days over a closure, a half-term and the end of the
// calendar, and the day a return turns overdue.
#include "core/la_returns.h"

#include <gtest/gtest.h>

#include "support/dates.h"

namespace rollcall::core {
namespace {

using rollcall::testing::D;

// Autumn 2026: two half-terms either side of half-term (26-30 October), an
// INSET day on Friday 13 November, nothing after Friday 18 December.
Calendar Autumn2026() {
  return Calendar({{D("2026-09-03"), D("2026-10-23")}, {D("2026-11-02"), D("2026-12-18")}},
                  {{D("2026-11-13"), ClosureSessions::kBoth, "INSET"}});
}

TEST(LaReturnDueTest, NewPupilsWithinFiveCalendarDays) {
  const Calendar cal = Autumn2026();
  // Joined on Monday 23 November: due by Saturday 28th, school day or not.
  EXPECT_EQ(LaReturnDue(cal, LaReturnKind::kNewAdmission, D("2026-11-23")), D("2026-11-28"));
  // The closure makes no difference to calendar days.
  EXPECT_EQ(LaReturnDue(cal, LaReturnKind::kNewAdmission, D("2026-11-09")), D("2026-11-14"));
}

TEST(LaReturnDueTest, DeletionsAreDueOnTheLastDayOnRoll) {
  EXPECT_EQ(LaReturnDue(Autumn2026(), LaReturnKind::kDeletion, D("2026-12-04")), D("2026-12-04"));
}

TEST(LaReturnDueTest, AlertReturnsWithinFiveSchoolDaysSkippingClosures) {
  const Calendar cal = Autumn2026();
  // Monday 9 November counts as day 1; Friday 13th is shut, so the fifth
  // school day after it is Tuesday 17th, not Monday 16th.
  for (LaReturnKind kind : {LaReturnKind::kSickness, LaReturnKind::kContinuousAbsence,
                            LaReturnKind::kPersistentLateness, LaReturnKind::kPersistentAbsence,
                            LaReturnKind::kPartTimeTimetable}) {
    EXPECT_EQ(LaReturnDue(cal, kind, D("2026-11-09")), D("2026-11-17")) << LaReturnKindName(kind);
  }
  // Across half-term: Tuesday 20 October, then 21, 22, 23 October, 2 and
  // 3 November.
  EXPECT_EQ(LaReturnDue(cal, LaReturnKind::kSickness, D("2026-10-20")), D("2026-11-03"));
  // Without the INSET day the same trigger is due a day earlier.
  const Calendar open({{D("2026-11-02"), D("2026-12-18")}}, {});
  EXPECT_EQ(LaReturnDue(open, LaReturnKind::kSickness, D("2026-11-09")), D("2026-11-16"));
}

TEST(LaReturnDueTest, AWeekWhenSchoolDaysCannotBeCounted) {
  const Calendar cal = Autumn2026();
  // A timetable agreed on a Saturday, or in half-term, is not on a school
  // day: 7 calendar days.
  EXPECT_EQ(LaReturnDue(cal, LaReturnKind::kPartTimeTimetable, D("2026-11-07")), D("2026-11-14"));
  EXPECT_EQ(LaReturnDue(cal, LaReturnKind::kPartTimeTimetable, D("2026-10-28")), D("2026-11-04"));
  // Wednesday 16 December: only 3 school days left in the calendar.
  EXPECT_EQ(LaReturnDue(cal, LaReturnKind::kSickness, D("2026-12-16")), D("2026-12-23"));
}

TEST(LaReturnDueTest, CmeReferralOnProtocolDayTen) {
  const Calendar cal = Autumn2026();
  // Day 1 Thursday 5 November; the INSET day is skipped: day 10 is 19th.
  EXPECT_EQ(LaReturnDue(cal, LaReturnKind::kCmeReferral, D("2026-11-05")), D("2026-11-19"));
  // A run cannot start on a day the school is shut: due that day.
  EXPECT_EQ(LaReturnDue(cal, LaReturnKind::kCmeReferral, D("2026-11-13")), D("2026-11-13"));
}

TEST(LaReturnStatusTest, DueOnTheDayOverdueTheDayAfter) {
  const Date due = D("2026-11-28");
  EXPECT_EQ(LaReturnStatusOn(due, std::nullopt, D("2026-11-23")), LaReturnStatus::kDue);
  EXPECT_EQ(LaReturnStatusOn(due, std::nullopt, due), LaReturnStatus::kDue);
  EXPECT_EQ(LaReturnStatusOn(due, std::nullopt, D("2026-11-29")), LaReturnStatus::kOverdue);
  // Once sent or acknowledged, the due date no longer matters.
  EXPECT_EQ(LaReturnStatusOn(due, LaReturnStatus::kSent, D("2026-12-30")), LaReturnStatus::kSent);
  EXPECT_EQ(LaReturnStatusOn(due, LaReturnStatus::kAcknowledged, D("2026-12-30")),
            LaReturnStatus::kAcknowledged);
}

TEST(LaReturnStatusTest, TheQueueOrderIsOverdueDueSentAcknowledged) {
  EXPECT_LT(LaReturnStatus::kOverdue, LaReturnStatus::kDue);
  EXPECT_LT(LaReturnStatus::kDue, LaReturnStatus::kSent);
  EXPECT_LT(LaReturnStatus::kSent, LaReturnStatus::kAcknowledged);
}

TEST(LaReturnNamesTest, NamesAreTheApisAndRoundTrip) {
  EXPECT_EQ(LaReturnKindName(LaReturnKind::kNewAdmission), "new_admission");
  EXPECT_EQ(LaReturnKindName(LaReturnKind::kDeletion), "deletion");
  EXPECT_EQ(LaReturnKindName(LaReturnKind::kSickness), "sickness");
  EXPECT_EQ(LaReturnKindName(LaReturnKind::kContinuousAbsence), "continuous_absence");
  EXPECT_EQ(LaReturnKindName(LaReturnKind::kPersistentLateness), "persistent_lateness");
  EXPECT_EQ(LaReturnKindName(LaReturnKind::kPartTimeTimetable), "part_time_timetable");
  EXPECT_EQ(LaReturnKindName(LaReturnKind::kPersistentAbsence), "persistent_absence");
  EXPECT_EQ(LaReturnKindName(LaReturnKind::kCmeReferral), "cme_referral");
  for (LaReturnKind kind : {LaReturnKind::kNewAdmission, LaReturnKind::kCmeReferral}) {
    EXPECT_EQ(LaReturnKindFromName(LaReturnKindName(kind)), kind);
  }
  EXPECT_FALSE(LaReturnKindFromName("admission"));
  EXPECT_EQ(LaReturnStatusName(LaReturnStatus::kOverdue), "overdue");
  EXPECT_EQ(LaReturnStatusName(LaReturnStatus::kDue), "due");
  EXPECT_EQ(LaReturnStatusFromName("sent"), LaReturnStatus::kSent);
  EXPECT_EQ(LaReturnStatusFromName("acknowledged"), LaReturnStatus::kAcknowledged);
  EXPECT_FALSE(LaReturnStatusFromName("lost"));
}

}  // namespace
}  // namespace rollcall::core
