// part_time.cc: part-time timetables and compulsory school age.
#include "core/part_time.h"

#include <array>
#include <bit>

#include "core/status.h"

namespace rollcall::core {
namespace {

constexpr std::array<std::string_view, 10> kKeys = {"mon-am", "mon-pm", "tue-am", "tue-pm",
                                                    "wed-am", "wed-pm", "thu-am", "thu-pm",
                                                    "fri-am", "fri-pm"};
constexpr std::array<std::string_view, 5> kDays = {"Mon", "Tue", "Wed", "Thu", "Fri"};

// The same day `years` later; 29 February becomes 28 February.
Date YearsLater(Date d, int years) {
  if (std::optional<Date> same = Date::FromYmd(d.year() + years, d.month(), d.day())) return *same;
  return *Date::FromYmd(d.year() + years, d.month(), 28);
}

}  // namespace

bool TimetablePattern::Attends(SessionKey slot) const {
  if (slot.date.IsWeekend()) return false;
  return (attends & Bit(slot.date.weekday(), slot.session)) != 0;
}

int TimetablePattern::SessionsPerWeek() const {
  return std::popcount(static_cast<unsigned>(attends & kAllSessions));
}

std::string TimetablePattern::ToString() const {
  std::string out;
  for (int bit = 0; bit < 10; ++bit) {
    if ((attends & (1u << bit)) == 0) continue;
    if (!out.empty()) out += ", ";
    out += kDays[static_cast<size_t>(bit / 2)];
    out += bit % 2 == 0 ? " AM" : " PM";
  }
  return out.empty() ? "no sessions" : out;
}

std::string_view TimetablePattern::KeyOf(int bit) { return kKeys.at(static_cast<size_t>(bit)); }

std::optional<int> TimetablePattern::BitOfKey(std::string_view key) {
  for (size_t i = 0; i < kKeys.size(); ++i) {
    if (kKeys[i] == key) return static_cast<int>(i);
  }
  return std::nullopt;
}

Date CompulsorySchoolAgeFrom(Date date_of_birth) {
  const Date fifth = YearsLater(date_of_birth, 5);
  const int y = fifth.year();
  for (Date prescribed :
       {*Date::FromYmd(y, 3, 31), *Date::FromYmd(y, 8, 31), *Date::FromYmd(y, 12, 31)}) {
    if (prescribed >= fifth) return prescribed;
  }
  return fifth;  // unreachable: 31 December is on or after any day of its year
}

Date SchoolLeavingDate(Date date_of_birth) {
  const Date sixteenth = YearsLater(date_of_birth, 16);
  // The school year holding the 16th birthday ends on 31 August of this year.
  const int year = sixteenth.month() >= 9 ? sixteenth.year() + 1 : sixteenth.year();
  Date d = *Date::FromYmd(year, 6, 30);
  while (d.weekday() != Weekday::kFriday) d = d.AddDays(-1);
  return d;
}

bool OfCompulsorySchoolAge(Date date_of_birth, Date day) {
  return day >= CompulsorySchoolAgeFrom(date_of_birth) && day <= SchoolLeavingDate(date_of_birth);
}

AttendanceCode OffTimetableCode(Date date_of_birth, Date day) {
  return OfCompulsorySchoolAge(date_of_birth, day) ? AttendanceCode::kPartTimeTimetable
                                                   : AttendanceCode::kNotRequired;
}

Date EndInForce(Date agreed_end, std::span<const TimetableReview> reviews) {
  // Reviews are append-only (docs/rules.md section 6: a proposed end date
  // which may be extended): the latest one says when it ends.
  return reviews.empty() ? agreed_end : reviews.back().end;
}

std::string_view TimetableStatusName(TimetableStatus status) {
  switch (status) {
    case TimetableStatus::kAgreed:
      return "agreed";
    case TimetableStatus::kInForce:
      return "in_force";
    case TimetableStatus::kEnded:
      return "ended";
    case TimetableStatus::kCancelled:
      return "cancelled";
  }
  Unreachable();
}

TimetableState TimetableStateOn(const TimetableAgreement& agreed,
                                std::span<const TimetableReview> reviews, Date today) {
  TimetableState out{agreed.start, EndInForce(agreed.end, reviews), agreed.review_date,
                     TimetableStatus::kAgreed};
  if (!reviews.empty()) out.next_review = reviews.back().next_review;
  out.status = out.end < out.start ? TimetableStatus::kCancelled
               : out.end < today   ? TimetableStatus::kEnded
               : out.start > today ? TimetableStatus::kAgreed
                                   : TimetableStatus::kInForce;
  // Nothing is left to review once the pupil is back on full time.
  if (out.status == TimetableStatus::kEnded || out.status == TimetableStatus::kCancelled) {
    out.next_review.reset();
  }
  return out;
}

bool TimetablesOverlap(Date start, Date end, Date other_start, Date other_end) {
  return start <= end && other_start <= other_end && start <= other_end && other_start <= end;
}

}  // namespace rollcall::core
