#include "engine/synthetic.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/bank_holidays.h"
#include "engine/parallel.h"

namespace rollcall::engine {
namespace {

using core::AttendanceCode;

// splitmix64: small, fast and good enough for synthetic registers.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double Uniform() { return double(Next() >> 11) * 0x1.0p-53; }

 private:
  uint64_t state_;
};

uint64_t Mix(uint64_t a, uint64_t b) { return Rng(a * 0x9e3779b97f4a7c15ULL ^ b).Next(); }

core::Date Ymd(int y, unsigned m, unsigned d) { return *core::Date::FromYmd(y, m, d); }

// Six terms of an English school year, moved `shift` days, less the bank
// holidays inside them and one INSET day.
core::Calendar YearCalendar(int year, int shift) {
  const int y = year, n = year + 1;
  std::vector<core::Term> terms{{Ymd(y, 9, 4), Ymd(y, 10, 25)}, {Ymd(y, 11, 4), Ymd(y, 12, 20)},
                                {Ymd(n, 1, 6), Ymd(n, 2, 14)},  {Ymd(n, 2, 24), Ymd(n, 4, 4)},
                                {Ymd(n, 4, 22), Ymd(n, 5, 23)}, {Ymd(n, 6, 2), Ymd(n, 7, 22)}};
  for (core::Term& t : terms) {
    t.start = t.start.AddDays(shift);
    t.end = t.end.AddDays(shift);
  }
  std::vector<core::Closure> closures;
  for (const core::BankHoliday& h : core::EnglandAndWalesBankHolidays()) {
    const core::Date date = Ymd(h.year, h.month, h.day);
    if (date >= terms.front().start && date <= terms.back().end) {
      closures.push_back({date, core::ClosureSessions::kBoth, h.title});
    }
  }
  closures.push_back({terms[2].start, core::ClosureSessions::kBoth, "INSET day"});
  return core::Calendar(std::move(terms), std::move(closures));
}

constexpr int kCalendarPatterns = 4;
// Per mille of pupils carrying each of kSyntheticCohorts.
constexpr int kCohortPerMille[] = {25, 250, 5, 130, 30, 20};

void GeneratePupil(const CalendarTables& tables, School& school, size_t p, Rng& rng) {
  PupilMeta& meta = school.pupils[p];
  for (size_t c = 0; c < std::size(kCohortPerMille); ++c) {
    if (int(rng.Next() % 1000) < kCohortPerMille[c]) meta.cohorts |= uint64_t{1} << c;
  }
  // Absence rate: most pupils attend well, a long tail does not.
  const double u = rng.Uniform();
  double rate = u < 0.70   ? 0.06 * rng.Uniform()
                : u < 0.90 ? 0.06 + 0.09 * rng.Uniform()
                : u < 0.98 ? 0.15 + 0.25 * rng.Uniform()
                           : 0.40 + 0.50 * rng.Uniform();
  if (meta.cohorts & 2) rate *= 1.4;  // fsm
  const double unauthorised_share = 0.05 + 0.45 * rng.Uniform() + (rate > 0.15 ? 0.2 : 0.0);
  // A spell of illness lasts 2.5 sessions on average; starts are rarer to match.
  const uint32_t start_below = static_cast<uint32_t>(std::min(rate / 2.0, 0.95) * 16777216.0);
  const uint32_t unauth_below = static_cast<uint32_t>(std::min(unauthorised_share, 1.0) * 65536.0);

  for (YearBlock& year : school.years) {
    uint8_t* row = year.Row(p);
    int32_t from = 0, to = year.sessions;
    const uint64_t roll = rng.Next() % 1000;
    if (roll < 30) from = int32_t(rng.Next() % uint64_t(year.sessions));  // joined mid-year
    if (roll >= 970) to = int32_t(rng.Next() % uint64_t(year.sessions));  // left mid-year
    // Admission and deletion take effect from a whole day.
    const core::Calendar& calendar = tables.calendar;
    auto day_start = [&](int32_t j) {
      const int32_t i = year.first_session + j;
      return j > 0 && calendar.SessionAt(i - 1).date == calendar.SessionAt(i).date ? j - 1 : j;
    };
    if (from < year.sessions) from = day_start(from);
    if (to < year.sessions) to = day_start(to);
    int spell = 0;
    uint8_t spell_code = 0;
    for (int32_t j = from; j < to; ++j) {
      const int32_t index = year.first_session + j;
      if (spell > 0) {
        --spell;
        row[j] = spell_code;
        continue;
      }
      const uint64_t x = rng.Next();
      if ((x & 0xFFFFFF) < start_below) {
        const uint32_t kind = uint32_t(x >> 24) & 0xFFFF, sub = uint32_t(x >> 40) & 0xFF;
        AttendanceCode code;
        if (kind < unauth_below) {
          code = sub < 150   ? AttendanceCode::kOtherUnauthorised
                 : sub < 200 ? AttendanceCode::kHolidayNotGranted
                 : sub < 245 ? AttendanceCode::kLateAfterClose
                             : AttendanceCode::kNoReasonYet;
          if (code == AttendanceCode::kHolidayNotGranted) spell = int((x >> 48) % 10);
        } else {
          code = sub < 170   ? AttendanceCode::kIllness
                 : sub < 200 ? AttendanceCode::kMedical
                 : sub < 215 ? AttendanceCode::kExceptional
                 : sub < 225 ? AttendanceCode::kReligious
                 : sub < 235 ? AttendanceCode::kExcluded
                 : sub < 245 ? AttendanceCode::kEducationalVisit
                             : AttendanceCode::kIllness;
          if (code == AttendanceCode::kIllness) spell = int((x >> 48) % 4);
        }
        spell_code = static_cast<uint8_t>(code);
        row[j] = spell_code;
      } else if (((x >> 24) & 0x3FF) < 20) {
        row[j] = static_cast<uint8_t>(AttendanceCode::kLateBeforeClose);
      } else if (((x >> 34) & 0xFFF) == 0) {
        row[j] = kUnrecorded;
      } else {
        row[j] = static_cast<uint8_t>(tables.IsPm(index) ? AttendanceCode::kPresentPm
                                                         : AttendanceCode::kPresentAm);
      }
    }
  }
}

}  // namespace

core::Date SyntheticAsOf(const SyntheticOptions& options) {
  return Ymd(options.academic_year + 1, 7, 31);
}

Dataset GenerateDataset(const SyntheticOptions& options) {
  std::vector<std::shared_ptr<const CalendarTables>> calendars;
  for (int v = 0; v < kCalendarPatterns; ++v) {
    calendars.push_back(
        std::make_shared<const CalendarTables>(YearCalendar(options.academic_year, v)));
  }
  const auto policy = std::make_shared<const core::Policy>();
  const int64_t size = std::max<int64_t>(1, options.school_size);
  Dataset dataset;
  for (int64_t first = 0; first < options.pupils; first += size) {
    School school;
    const size_t number = dataset.schools.size();
    school.id = fmt::format("{}", 100000 + number);
    school.calendar = calendars[number % calendars.size()];
    school.policy = policy;
    school.cohort_names.assign(std::begin(kSyntheticCohorts), std::end(kSyntheticCohorts));
    const int64_t n = std::min(size, options.pupils - first);
    school.pupils.resize(size_t(n));
    for (int64_t p = 0; p < n; ++p) school.AddPupilId(fmt::format("P{}", first + p));
    school.years = YearBlocksOf(school.calendar->calendar);
    dataset.schools.push_back(std::move(school));
  }
  const core::Date notice = Ymd(options.academic_year, 3, 15);
  RunChunks(dataset.schools.size(), options.threads, [&](size_t s) {
    School& school = dataset.schools[s];
    school.AllocateYears();
    for (size_t p = 0; p < school.PupilCount(); ++p) {
      Rng rng(Mix(options.seed, Mix(s, p)));
      GeneratePupil(*school.calendar, school, p, rng);
      if (rng.Next() % 100 == 0) {
        school.pupils[p].history_begin = static_cast<uint32_t>(school.penalty_history.size());
        school.pupils[p].history_count = 1;
        school.penalty_history.push_back({notice, false});
      }
    }
  });
  return dataset;
}

}  // namespace rollcall::engine
