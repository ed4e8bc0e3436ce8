#include "core/date.h"

#include <gtest/gtest.h>

namespace rollcall::core {
namespace {

TEST(DateTest, ParsesStrictIso) {
  EXPECT_EQ(Date::Parse("2024-09-03")->ToString(), "2024-09-03");
  EXPECT_FALSE(Date::Parse("2024-9-03"));
  EXPECT_FALSE(Date::Parse("2024-13-01"));
  EXPECT_FALSE(Date::Parse("2025-02-29"));
  EXPECT_TRUE(Date::Parse("2024-02-29"));
  EXPECT_FALSE(Date::Parse("2024-02-30"));
  EXPECT_FALSE(Date::Parse("2024-09-03T00:00"));
  EXPECT_FALSE(Date::Parse(" 2024-09-03"));
  EXPECT_FALSE(Date::Parse("+024-09-03"));
  EXPECT_FALSE(Date::Parse(""));
}

TEST(DateTest, WeekdaysAndWeeks) {
  const Date d = *Date::Parse("2024-09-06");  // a Friday
  EXPECT_EQ(d.weekday(), Weekday::kFriday);
  EXPECT_EQ(d.WeekStart().ToString(), "2024-09-02");
  EXPECT_TRUE(Date::Parse("2024-09-08")->IsWeekend());
  EXPECT_EQ(Date::Parse("2024-09-08")->WeekStart().ToString(), "2024-09-02");  // Sunday ends it
}

TEST(DateTest, AcademicYearStartsFirstOfAugust) {
  EXPECT_EQ(Date::Parse("2024-07-31")->AcademicYearStart().ToString(), "2023-08-01");
  EXPECT_EQ(Date::Parse("2024-08-01")->AcademicYearStart().ToString(), "2024-08-01");
  EXPECT_EQ(Date::Parse("2025-01-15")->AcademicYearStart().ToString(), "2024-08-01");
}

TEST(DateTest, YearsEarlierMapsLeapDayToTwentyEighth) {
  EXPECT_EQ(Date::Parse("2028-02-29")->YearsEarlier(3).ToString(), "2025-02-28");
  EXPECT_EQ(Date::Parse("2027-03-01")->YearsEarlier(3).ToString(), "2024-03-01");
  EXPECT_EQ(Date::Parse("2024-02-29")->YearsEarlier(4).ToString(), "2020-02-29");
}

}  // namespace
}  // namespace rollcall::core
