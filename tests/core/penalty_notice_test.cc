// penalty_notice_test.cc: notice amounts and deadlines from the day of
// service (working days skip weekends and bank holidays), and the 3-6 week
// improvement period of a notice to improve.
#include <gtest/gtest.h>

#include "core/bank_holidays.h"
#include "core/penalty.h"
#include "support/dates.h"

namespace rollcall::core {
namespace {

using rollcall::testing::D;

TEST(WorkingDaysTest, SkipWeekendsAndBankHolidays) {
  EXPECT_FALSE(IsWorkingDay(D(2026, 12, 25)));  // Christmas Day
  EXPECT_FALSE(IsWorkingDay(D(2026, 12, 28)));  // Boxing Day, substitute Monday
  EXPECT_FALSE(IsWorkingDay(D(2026, 12, 26)));  // Saturday
  EXPECT_TRUE(IsWorkingDay(D(2026, 12, 24)));
  EXPECT_STREQ(BankHolidayOn(D(2027, 3, 29))->title, "Easter Monday");
  EXPECT_EQ(AddWorkingDays(D(2026, 12, 2), 0), D(2026, 12, 2));
  EXPECT_EQ(AddWorkingDays(D(2026, 12, 4), 2), D(2026, 12, 8));    // Friday → Tuesday
  EXPECT_EQ(AddWorkingDays(D(2026, 12, 23), 2), D(2026, 12, 29));  // over Christmas
  EXPECT_EQ(AddWorkingDays(D(2027, 3, 25), 1), D(2027, 3, 30));    // over Easter
}

TEST(NoticeTermsTest, FirstNoticeIsEightyPoundsIn21DaysThenOneSixty) {
  const auto t = TermsOf(NoticeKind::kAttendance, PenaltyAction::kFirstNotice, D(2026, 12, 23), 2);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->served, D(2026, 12, 29));
  EXPECT_EQ(t->reduced_by, D(2027, 1, 19));
  EXPECT_EQ(t->full_by, D(2027, 1, 26));
  EXPECT_EQ(t->reduced_pence, 8000);
  EXPECT_EQ(t->full_pence, 16000);
  EXPECT_EQ(AmountDueOn(*t, D(2027, 1, 19)), 8000);
  EXPECT_EQ(AmountDueOn(*t, D(2027, 1, 20)), 16000);
  EXPECT_EQ(AmountDueOn(*t, D(2027, 1, 26)), 16000);
  EXPECT_FALSE(AmountDueOn(*t, D(2027, 1, 27)));  // too late: prosecute or withdraw
}

TEST(NoticeTermsTest, SecondNoticeIsOneSixtyFlatAndAThirdCannotBeIssued) {
  const auto t = TermsOf(NoticeKind::kAttendance, PenaltyAction::kSecondNotice, D(2026, 12, 2), 2);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->served, D(2026, 12, 4));
  EXPECT_EQ(t->reduced_pence, 16000);
  EXPECT_EQ(t->reduced_by, t->full_by);
  EXPECT_EQ(t->full_by, D(2027, 1, 1));
  EXPECT_EQ(AmountDueOn(*t, D(2026, 12, 20)), 16000);
  EXPECT_FALSE(
      TermsOf(NoticeKind::kAttendance, PenaltyAction::kConsiderProsecution, D(2026, 12, 2), 2));
}

TEST(NoticeTermsTest, ExclusionNoticesAreSixtyAndOneTwenty) {
  const auto t = TermsOf(NoticeKind::kExclusion, PenaltyAction::kConsiderProsecution,
                         D(2026, 12, 2), 0);  // handed over: served the same day
  ASSERT_TRUE(t);
  EXPECT_EQ(t->served, D(2026, 12, 2));
  EXPECT_EQ(t->reduced_pence, 6000);
  EXPECT_EQ(t->full_pence, 12000);
  EXPECT_EQ(t->reduced_by, D(2026, 12, 23));
  EXPECT_EQ(NoticeKindFromName("exclusion"), NoticeKind::kExclusion);
  EXPECT_EQ(NoticeKindName(NoticeKind::kAttendance), "attendance");
}

TEST(ImprovementPeriodTest, ThreeToSixWeeks) {
  EXPECT_TRUE(ValidImprovementPeriod(D(2026, 12, 2), D(2026, 12, 22)));   // 21 days
  EXPECT_FALSE(ValidImprovementPeriod(D(2026, 12, 2), D(2026, 12, 21)));  // 20
  EXPECT_TRUE(ValidImprovementPeriod(D(2026, 12, 2), D(2027, 1, 12)));    // 42
  EXPECT_FALSE(ValidImprovementPeriod(D(2026, 12, 2), D(2027, 1, 13)));   // 43
}

}  // namespace
}  // namespace rollcall::core
