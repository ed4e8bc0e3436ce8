#include "core/census.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/status.h"
#include "core/upn.h"

namespace rollcall::core {
namespace {

Date Ymd(int year, unsigned month, unsigned day) { return *Date::FromYmd(year, month, day); }

// The `n`th (1-based) Thursday of `month`.
Date NthThursday(int year, unsigned month, int n) {
  Date d = Ymd(year, month, 1);
  while (d.weekday() != Weekday::kThursday) d = d.AddDays(1);
  return d.AddDays(7 * (n - 1));
}

const CensusCodeRow* RowOf(std::span<const CensusCodeRow> codes, AttendanceCode code) {
  for (const CensusCodeRow& row : codes) {
    if (row.code == code) return &row;
  }
  return nullptr;
}

}  // namespace

std::string_view CensusName(Census census) {
  switch (census) {
    case Census::kSpring:
      return "spring";
    case Census::kSummer:
      return "summer";
    case Census::kAutumn:
      return "autumn";
  }
  Unreachable();
}

std::optional<Census> CensusFromName(std::string_view name) {
  for (Census c : {Census::kSpring, Census::kSummer, Census::kAutumn}) {
    if (CensusName(c) == name) return c;
  }
  return std::nullopt;
}

Date EasterSunday(int year) {
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return Ymd(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

Date SpringBankHoliday(int year) {
  Date d = Ymd(year, 5, 31);
  while (d.weekday() != Weekday::kMonday) d = d.AddDays(-1);
  return d;
}

Date CensusDay(Census census, int year) {
  switch (census) {
    case Census::kSpring:
      return NthThursday(year, 1, 3);
    case Census::kSummer:
      return NthThursday(year, 5, 3);
    case Census::kAutumn:
      return NthThursday(year, 10, 1);
  }
  Unreachable();
}

bool InCensusAgeRange(Date date_of_birth, Census census, int year) {
  const Date start = CensusParts(census, year).front().period.from.AcademicYearStart();
  const Date on = start.AddDays(30);  // 31 August
  int age = on.year() - date_of_birth.year();
  if (on.month() < date_of_birth.month() ||
      (on.month() == date_of_birth.month() && on.day() < date_of_birth.day())) {
    --age;
  }
  return age >= 4 && age <= 15;
}

std::vector<CensusPart> CensusParts(Census census, int year) {
  switch (census) {
    case Census::kSpring:
      return {{"Autumn term", {Ymd(year - 1, 8, 1), Ymd(year - 1, 12, 31)}}};
    case Census::kSummer:
      return {{"Spring term", {Ymd(year, 1, 1), EasterSunday(year)}}};
    case Census::kAutumn: {
      const Date half = SpringBankHoliday(year);
      return {{"Summer term, first half", {EasterSunday(year).AddDays(1), half.AddDays(-1)}},
              {"Summer term, second half", {half, Ymd(year, 7, 31)}}};
    }
  }
  Unreachable();
}

std::vector<CensusEnrolment> CensusEnrolments(const Calendar& calendar, const PupilRecord& pupil,
                                              size_t pupil_index,
                                              std::span<const PupilSession> sessions,
                                              std::span<const CensusPart> parts,
                                              std::span<const CensusCodeRow> codes) {
  // A pupil with no recorded periods is on roll throughout: one enrolment.
  const std::vector<OnRollPeriod> enrolments =
      pupil.on_roll.empty() ? std::vector<OnRollPeriod>{OnRollPeriod{}} : pupil.on_roll;
  std::vector<CensusEnrolment> out;
  for (size_t part = 0; part < parts.size(); ++part) {
    for (const OnRollPeriod& dates : enrolments) {
      Period counted = parts[part].period;
      if (dates.from) counted.from = std::max(counted.from, *dates.from);
      if (dates.to) counted.to = std::min(counted.to, *dates.to);
      if (counted.to < counted.from) continue;
      CensusEnrolment e;
      e.pupil = pupil_index;
      e.part = part;
      e.dates = dates;
      e.counted = counted;
      e.counts = CountSessions(calendar, sessions, counted);
      // An enrolment whose sessions are all unmarked has no possible session
      // but is kept, so that the checks name the pupil; the caller leaves it
      // out of the return. Only a part with no session at all is skipped.
      if (e.counts.possible + e.counts.not_possible + e.counts.unrecorded == 0) continue;
      for (const CodeInfo& info : AllCodes()) {
        const int64_t n = e.counts.by_code[static_cast<size_t>(info.code)];
        if (n == 0 || !IsAbsence(info.category)) continue;
        const CensusCodeRow* row = RowOf(codes, info.code);
        if (row == nullptr || row->reason.empty()) continue;
        auto same = std::find_if(e.reasons.begin(), e.reasons.end(),
                                 [&](const CensusReason& r) { return r.reason == row->reason; });
        if (same != e.reasons.end()) {
          same->sessions += n;
        } else {
          e.reasons.push_back({row->reason, info.category, n});
        }
      }
      out.push_back(std::move(e));
    }
  }
  return out;
}

int64_t MarksOutsideEnrolments(const Calendar& calendar, const PupilRecord& pupil,
                               std::span<const RecordedMark> marks,
                               std::span<const CensusPart> parts) {
  int64_t n = 0;
  for (const RecordedMark& mark : marks) {
    if (!mark.code || !calendar.IsOpen(mark.slot) || pupil.OnRollOn(mark.slot.date)) continue;
    for (const CensusPart& part : parts) {
      if (part.period.from <= mark.slot.date && mark.slot.date <= part.period.to) {
        ++n;
        break;
      }
    }
  }
  return n;
}

std::vector<CensusProblem> CheckCensus(std::span<const CensusEnrolment> enrolments,
                                       std::span<const CensusPart> parts,
                                       std::span<const CensusCodeRow> codes,
                                       std::span<const int64_t> marks_off_roll) {
  std::vector<CensusProblem> out;
  std::set<size_t> upn_checked;  // pupils
  for (size_t i = 0; i < enrolments.size(); ++i) {
    const CensusEnrolment& e = enrolments[i];
    const SessionCounts& c = e.counts;
    auto add = [&](CensusCheck check, bool blocking, std::string message) {
      out.push_back({check, blocking, i, e.pupil, std::move(message)});
    };
    if (c.possible != c.attended + c.absence) {
      add(CensusCheck::kIdentity, true,
          fmt::format("{} possible sessions, but {} attended and {} absent", c.possible, c.attended,
                      c.absence));
    }
    const Period& period = parts[e.part].period;
    if (e.counted.from < period.from || period.to < e.counted.to ||
        (e.dates.from && e.counted.from < *e.dates.from) ||
        (e.dates.to && *e.dates.to < e.counted.to)) {
      add(CensusCheck::kOutsideDates, true,
          fmt::format("sessions counted from {} to {}, outside the enrolment or the term",
                      e.counted.from.LongText(), e.counted.to.LongText()));
    }
    int64_t authorised = 0;
    int64_t unauthorised = 0;
    for (const CensusReason& r : e.reasons) {
      (r.category == StatCategory::kAuthorised ? authorised : unauthorised) += r.sessions;
    }
    if (authorised != c.authorised) {
      add(CensusCheck::kReasonTotals, true,
          fmt::format("the reasons give {} authorised sessions, the total is {}", authorised,
                      c.authorised));
    }
    if (unauthorised != c.unauthorised) {
      add(CensusCheck::kReasonTotals, true,
          fmt::format("the reasons give {} unauthorised sessions, the total is {}", unauthorised,
                      c.unauthorised));
    }
    // A pupil's UPN is said once, on their first enrolment.
    if (upn_checked.insert(e.pupil).second) {
      if (e.upn.empty()) {
        add(CensusCheck::kNoUpn, true, "no UPN recorded");
      } else if (Status upn = CheckUpn(e.upn); !upn.ok()) {
        add(CensusCheck::kBadUpn, true, upn.message());
      }
    }
    if (c.unrecorded > 0) {
      add(CensusCheck::kUnrecorded, false,
          fmt::format("{} {} with no mark, left out of the figures", c.unrecorded,
                      c.unrecorded == 1 ? "session" : "sessions"));
    }
  }
  for (size_t p = 0; p < marks_off_roll.size(); ++p) {
    if (marks_off_roll[p] == 0) continue;
    out.push_back({CensusCheck::kMarksOffRoll, false, std::nullopt, p,
                   fmt::format("{} {} recorded while not on roll, left out of the return",
                               marks_off_roll[p], marks_off_roll[p] == 1 ? "mark" : "marks")});
  }
  for (const CensusCodeRow& row : codes) {
    if (row.confirmed) continue;
    size_t uses = 0;
    for (const CensusEnrolment& e : enrolments) {
      if (e.counts.by_code[static_cast<size_t>(row.code)] > 0) ++uses;
    }
    if (uses == 0) continue;
    out.push_back(
        {CensusCheck::kUnconfirmedCode, false, std::nullopt, std::nullopt,
         fmt::format("code {} is used in {} {} and {}: how the census takes it is "
                     "not confirmed",
                     SymbolOf(row.code), uses, uses == 1 ? "enrolment" : "enrolments",
                     row.reason.empty() ? "left out of the reasons"
                                        : fmt::format("returned as \"{}\"", row.reason))});
  }
  return out;
}

}  // namespace rollcall::core
