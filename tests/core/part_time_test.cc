// part_time_test.cc: timetable patterns, compulsory school age, and a
// timetable's end, status and next review in force after its reviews.
#include "core/part_time.h"

#include <gtest/gtest.h>

#include <span>
#include <vector>

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

// Agreed from Monday 2 November to Friday 18 December 2026, first review by
// Friday 27 November.
TimetableAgreement NovemberToDecember() {
  return {D(2026, 11, 2), D(2026, 12, 18), D(2026, 11, 27)};
}

TEST(TimetableEndTest, TheLatestReviewSetsTheEnd) {
  EXPECT_EQ(EndInForce(D(2026, 12, 18), {}), D(2026, 12, 18));
  const std::vector<TimetableReview> reviews = {
      {D(2026, 12, 18), D(2026, 12, 11)},  // continue
      {D(2027, 2, 12), D(2027, 1, 22)},    // extend
      {D(2027, 1, 29), std::nullopt},      // end early
  };
  EXPECT_EQ(EndInForce(D(2026, 12, 18), std::span(reviews).first(1)), D(2026, 12, 18));
  EXPECT_EQ(EndInForce(D(2026, 12, 18), std::span(reviews).first(2)), D(2027, 2, 12));
  EXPECT_EQ(EndInForce(D(2026, 12, 18), reviews), D(2027, 1, 29));
}

TEST(TimetableStateTest, AgreedInForceToItsLastDayThenEnded) {
  const TimetableAgreement a = NovemberToDecember();
  TimetableState s = TimetableStateOn(a, {}, D(2026, 10, 30));
  EXPECT_EQ(s.status, TimetableStatus::kAgreed);
  EXPECT_EQ(s.next_review, D(2026, 11, 27));
  EXPECT_EQ(TimetableStateOn(a, {}, D(2026, 11, 2)).status, TimetableStatus::kInForce);
  s = TimetableStateOn(a, {}, D(2026, 12, 18));
  EXPECT_EQ(s.status, TimetableStatus::kInForce);
  EXPECT_EQ(s.next_review, D(2026, 11, 27));  // overdue, but still owed
  s = TimetableStateOn(a, {}, D(2026, 12, 19));
  EXPECT_EQ(s.status, TimetableStatus::kEnded);
  EXPECT_EQ(s.end, D(2026, 12, 18));
  EXPECT_FALSE(s.next_review);
  EXPECT_TRUE(s.Covers(D(2026, 11, 2)));
  EXPECT_TRUE(s.Covers(D(2026, 12, 18)));
  EXPECT_FALSE(s.Covers(D(2026, 11, 1)));
  EXPECT_FALSE(s.Covers(D(2026, 12, 19)));
}

TEST(TimetableStateTest, AnExtensionKeepsItInForcePastTheAgreedEnd) {
  const std::vector<TimetableReview> extended = {{D(2027, 2, 12), D(2027, 1, 22)}};
  const TimetableState s = TimetableStateOn(NovemberToDecember(), extended, D(2026, 12, 19));
  EXPECT_EQ(s.status, TimetableStatus::kInForce);
  EXPECT_EQ(s.end, D(2027, 2, 12));
  EXPECT_EQ(s.next_review, D(2027, 1, 22));
  EXPECT_TRUE(s.Covers(D(2027, 2, 12)));
  EXPECT_EQ(TimetableStateOn(NovemberToDecember(), extended, D(2027, 2, 13)).status,
            TimetableStatus::kEnded);
}

TEST(TimetableStateTest, EndingItEarlyEndsItTheDayAfterTheLastDay) {
  const std::vector<TimetableReview> ended = {{D(2026, 11, 20), std::nullopt}};
  TimetableState s = TimetableStateOn(NovemberToDecember(), ended, D(2026, 11, 20));
  EXPECT_EQ(s.status, TimetableStatus::kInForce);
  EXPECT_FALSE(s.next_review);  // the review that ended it asked for none
  s = TimetableStateOn(NovemberToDecember(), ended, D(2026, 11, 21));
  EXPECT_EQ(s.status, TimetableStatus::kEnded);
  EXPECT_FALSE(s.Covers(D(2026, 11, 23)));
}

TEST(TimetableStateTest, EndingItTheDayBeforeItStartsCancelsIt) {
  const std::vector<TimetableReview> cancelled = {{D(2026, 11, 1), std::nullopt}};
  for (Date today : {D(2026, 10, 30), D(2026, 11, 2), D(2027, 1, 4)}) {
    const TimetableState s = TimetableStateOn(NovemberToDecember(), cancelled, today);
    EXPECT_EQ(s.status, TimetableStatus::kCancelled) << today.ToString();
    EXPECT_FALSE(s.next_review);
    EXPECT_FALSE(s.Covers(D(2026, 11, 1)));
    EXPECT_FALSE(s.Covers(D(2026, 11, 2)));
  }
}

TEST(TimetableStateTest, StatusNamesAreTheApis) {
  EXPECT_EQ(TimetableStatusName(TimetableStatus::kAgreed), "agreed");
  EXPECT_EQ(TimetableStatusName(TimetableStatus::kInForce), "in_force");
  EXPECT_EQ(TimetableStatusName(TimetableStatus::kEnded), "ended");
  EXPECT_EQ(TimetableStatusName(TimetableStatus::kCancelled), "cancelled");
}

TEST(TimetableOverlapTest, SharingOneDayOverlapsACancelledOneNever) {
  const Date start = D(2026, 11, 2), end = D(2026, 12, 18);
  EXPECT_TRUE(TimetablesOverlap(D(2026, 12, 18), D(2027, 1, 29), start, end));  // its last day
  EXPECT_FALSE(TimetablesOverlap(D(2026, 12, 19), D(2027, 1, 29), start, end));
  EXPECT_TRUE(TimetablesOverlap(D(2026, 10, 1), D(2026, 11, 2), start, end));  // its first day
  EXPECT_FALSE(TimetablesOverlap(D(2026, 10, 1), D(2026, 11, 1), start, end));
  EXPECT_TRUE(TimetablesOverlap(D(2026, 11, 9), D(2026, 11, 13), start, end));  // inside it
  EXPECT_TRUE(TimetablesOverlap(start, end, D(2026, 11, 9), D(2026, 11, 13)));
  // Cancelled (ended the day before it started): its dates are free.
  EXPECT_FALSE(TimetablesOverlap(start, end, start, start.AddDays(-1)));
  EXPECT_FALSE(TimetablesOverlap(start, start.AddDays(-1), start, end));
}

}  // namespace
}  // namespace rollcall::core
