// part_time_test.cc: timetable patterns and compulsory school age.
#include "core/part_time.h"

#include <gtest/gtest.h>

#include "support/dates.h"

namespace rollcall::core {
namespace {

using rollcall::testing::D;

TEST(TimetablePatternTest, MorningsOnly) {
  TimetablePattern p;
  for (Weekday w : {Weekday::kMonday, Weekday::kTuesday, Weekday::kWednesday, Weekday::kThursday,
                    Weekday::kFriday}) {
    p.attends |= TimetablePattern::Bit(w, Session::kAm);
  }
  EXPECT_EQ(p.SessionsPerWeek(), 5);
  EXPECT_EQ(p.attends, 0b0101010101);
  EXPECT_TRUE(p.Attends({D(2026, 12, 2), Session::kAm}));  // a Wednesday
  EXPECT_FALSE(p.Attends({D(2026, 12, 2), Session::kPm}));
  EXPECT_FALSE(p.Attends({D(2026, 12, 5), Session::kAm}));  // a Saturday
  EXPECT_EQ(p.ToString(), "Mon AM, Tue AM, Wed AM, Thu AM, Fri AM");
  EXPECT_EQ(TimetablePattern{}.ToString(), "no sessions");
}

TEST(TimetablePatternTest, KeysRoundTrip) {
  for (int bit = 0; bit < 10; ++bit) {
    EXPECT_EQ(TimetablePattern::BitOfKey(TimetablePattern::KeyOf(bit)), bit);
  }
  EXPECT_EQ(TimetablePattern::KeyOf(9), "fri-pm");
  EXPECT_FALSE(TimetablePattern::BitOfKey("sat-am"));
  TimetablePattern p{static_cast<uint16_t>(1u << *TimetablePattern::BitOfKey("thu-pm"))};
  EXPECT_TRUE(p.Attends({D(2026, 12, 3), Session::kPm}));
  EXPECT_EQ(p.ToString(), "Thu PM");
}

TEST(CompulsorySchoolAgeTest, PrescribedDayAfterFifthBirthday) {
  // Fifth birthday in the autumn term: of compulsory school age from 31 Dec.
  EXPECT_EQ(CompulsorySchoolAgeFrom(D(2021, 10, 14)), D(2026, 12, 31));
  // In the spring term: from 31 March; in the summer: from 31 August.
  EXPECT_EQ(CompulsorySchoolAgeFrom(D(2021, 2, 1)), D(2026, 3, 31));
  EXPECT_EQ(CompulsorySchoolAgeFrom(D(2021, 4, 1)), D(2026, 8, 31));
  // A fifth birthday on a prescribed day starts it that day.
  EXPECT_EQ(CompulsorySchoolAgeFrom(D(2021, 3, 31)), D(2026, 3, 31));
  EXPECT_EQ(CompulsorySchoolAgeFrom(D(2021, 9, 1)), D(2026, 12, 31));
  // Born on 29 February: the fifth birthday is taken as 28 February.
  EXPECT_EQ(CompulsorySchoolAgeFrom(D(2020, 2, 29)), D(2025, 3, 31));
}

TEST(CompulsorySchoolAgeTest, LeavingDateIsLastFridayInJune) {
  // Turns 16 in the school year 2026/27: leaves on Friday 25 June 2027.
  EXPECT_EQ(SchoolLeavingDate(D(2010, 9, 1)), D(2027, 6, 25));
  EXPECT_EQ(SchoolLeavingDate(D(2011, 8, 31)), D(2027, 6, 25));
  // 30 June 2028 is a Friday.
  EXPECT_EQ(SchoolLeavingDate(D(2012, 1, 5)), D(2028, 6, 30));
  EXPECT_TRUE(OfCompulsorySchoolAge(D(2011, 8, 31), D(2027, 6, 25)));
  EXPECT_FALSE(OfCompulsorySchoolAge(D(2011, 8, 31), D(2027, 6, 28)));
}

TEST(CompulsorySchoolAgeTest, OffTimetableCodeIsC2OnlyWhileOfCompulsoryAge) {
  const Date reception_child = D(2021, 10, 14);  // CSA from 31 Dec 2026
  EXPECT_EQ(OffTimetableCode(reception_child, D(2026, 12, 2)), AttendanceCode::kNotRequired);
  EXPECT_EQ(OffTimetableCode(reception_child, D(2027, 1, 5)), AttendanceCode::kPartTimeTimetable);
  const Date sixth_former = D(2009, 11, 1);  // left on 26 June 2026
  EXPECT_EQ(OffTimetableCode(sixth_former, D(2026, 12, 2)), AttendanceCode::kNotRequired);
  EXPECT_EQ(OffTimetableCode(sixth_former, D(2026, 3, 2)), AttendanceCode::kPartTimeTimetable);
}

}  // namespace
}  // namespace rollcall::core
