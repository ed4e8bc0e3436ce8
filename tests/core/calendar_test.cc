#include "core/calendar.h"

#include <gtest/gtest.h>

#include "support/dates.h"

namespace rollcall::core {
namespace {

using rollcall::testing::D;

TEST(CalendarTest, OpenSessionsAreTermWeekdaysLessClosures) {
  Calendar calendar({{D("2024-09-02"), D("2024-09-13")}},
                    {{D("2024-09-02"), ClosureSessions::kBoth, "INSET"},
                     {D("2024-09-04"), ClosureSessions::kPm, "early close"},
                     {D("2024-12-25"), ClosureSessions::kBoth, "outside every term"}});
  // 10 weekdays = 20 sessions, less 2 (INSET) and 1 (PM closure).
  EXPECT_EQ(calendar.SessionCount(), 17);
  EXPECT_FALSE(calendar.IsOpen({D("2024-09-02"), Session::kAm}));
  EXPECT_TRUE(calendar.IsOpen({D("2024-09-04"), Session::kAm}));
  EXPECT_FALSE(calendar.IsOpen({D("2024-09-04"), Session::kPm}));
  EXPECT_FALSE(calendar.IsOpen({D("2024-09-07"), Session::kAm}));  // Saturday
  EXPECT_FALSE(calendar.IsOpen({D("2024-09-16"), Session::kAm}));  // after the term
  EXPECT_EQ(calendar.SessionAt(0), (SessionKey{D("2024-09-03"), Session::kAm}));
  EXPECT_TRUE(calendar.IsSchoolDay(D("2024-09-04")));
  EXPECT_FALSE(calendar.IsSchoolDay(D("2024-09-02")));
}

TEST(CalendarTest, OverlappingTermsMerge) {
  Calendar calendar({{D("2024-09-02"), D("2024-09-06")}, {D("2024-09-04"), D("2024-09-10")}}, {});
  EXPECT_EQ(calendar.SessionCount(), 14);  // 7 weekdays, none twice
}

TEST(CalendarTest, SchoolWeeksSkipHolidayWeeks) {
  // Half term in the week of 28 October: the weeks either side are consecutive.
  Calendar calendar({{D("2024-10-21"), D("2024-10-25")}, {D("2024-11-04"), D("2024-11-08")}},
                    {{D("2024-11-04"), ClosureSessions::kBoth, "INSET"}});
  const int32_t before = *calendar.IndexOf({D("2024-10-25"), Session::kPm});
  const int32_t after = *calendar.IndexOf({D("2024-11-05"), Session::kAm});
  EXPECT_EQ(calendar.SchoolWeekOf(before), 0);
  EXPECT_EQ(calendar.SchoolWeekOf(after), 1);
}

TEST(CalendarTest, WeekOfOnlyClosuresIsNotASchoolWeek) {
  Calendar calendar({{D("2024-09-02"), D("2024-09-20")}},
                    {{D("2024-09-09"), ClosureSessions::kBoth, ""},
                     {D("2024-09-10"), ClosureSessions::kBoth, ""},
                     {D("2024-09-11"), ClosureSessions::kBoth, ""},
                     {D("2024-09-12"), ClosureSessions::kBoth, ""},
                     {D("2024-09-13"), ClosureSessions::kBoth, ""}});
  EXPECT_EQ(calendar.SchoolWeekOf(*calendar.IndexOf({D("2024-09-16"), Session::kAm})), 1);
}

TEST(CalendarTest, SchoolDaysBetweenCountsOpenDaysAfterUpTo) {
  Calendar calendar(
      {{D("2024-09-02"), D("2024-09-30")}},
      {{D("2024-09-05"), ClosureSessions::kBoth, ""}, {D("2024-09-06"), ClosureSessions::kAm, ""}});
  // After Mon 2nd up to Mon 9th: Tue 3, Wed 4, Fri 6 (PM open), Mon 9 = 4.
  EXPECT_EQ(calendar.SchoolDaysBetween(D("2024-09-02"), D("2024-09-09")), 4);
  EXPECT_EQ(calendar.SchoolDaysBetween(D("2024-09-09"), D("2024-09-09")), 0);
  EXPECT_EQ(calendar.SchoolDaysBetween(D("2024-09-09"), D("2024-09-02")), 0);
  // Beyond the calendar's end no further school days are added.
  EXPECT_EQ(calendar.SchoolDaysBetween(D("2024-09-27"), D("2024-12-31")), 1);
}

}  // namespace
}  // namespace rollcall::core
