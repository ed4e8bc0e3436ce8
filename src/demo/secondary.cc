// secondary.cc: the demo's secondary school, Castle Hill Academy: its staff,
// pupils, the form tutors' statutory registers, the two-week timetable and
// the lesson registers of the last six school weeks, with internal truancy to
// find (demo_school.h says what is seeded).
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/calendar.h"
#include "core/codes.h"
#include "core/error_codes.h"
#include "core/lessons.h"
#include "demo/demo_school.h"
#include "demo/internal.h"
#include "demo/secondary_timetable.h"
#include "service/fields.h"
#include "service/lessons_day.h"
#include "service/password.h"
#include "synth/synth.h"

namespace rollcall::cli {
namespace {

using namespace internal;  // NOLINT: the demo's shared steps (internal.h)

constexpr std::string_view kEmailDomain = "castlehill-academy.example.org";
// When the tutors save the registers, and when the office records what it
// has learnt: an absence's reason mid-morning (or mid-afternoon), the
// arrival of a pupil late after the close as they sign in.
constexpr int kAmRegisterMinute = kSecondaryAmStart + 10;  // 08:50
constexpr int kPmRegisterMinute = kSecondaryPmStart + 4;   // 13:59
constexpr int kAmOfficeMinute = 11 * 60 + 15;
constexpr int kPmOfficeMinute = 14 * 60 + 45;
constexpr int kLessonTakenAfter = 5;  // minutes into the lesson
constexpr int kLessonWeeks = 6;       // school weeks of lesson registers in the demo
constexpr int kTruancyToday = 4;      // pupils missing from a lesson this morning

struct OtherAccount {
  std::string_view username;
  std::string_view display_name;
  store::Role role;
  std::string_view sees;
};
constexpr std::array<OtherAccount, 4> kOtherAccounts = {{
    {"castle-head", "Mr Andrew Whitfield (Headteacher)", store::Role::kHead,
     "Castle Hill: the whole school, its timetable and lesson registers"},
    {"castle-office", "Mrs Karen Doyle (Attendance officer)", store::Role::kOffice,
     "Castle Hill: registers, lessons that disagree with them, internal truancy"},
    {"castle-dsl", "Ms Sunita Patel (Designated safeguarding lead)", store::Role::kSafeguardingLead,
     "Castle Hill: every pupil, missed lessons, /lessons/disagreements"},
    {"castle-governor", "Mr Colin Baxter (Governor)", store::Role::kGovernor,
     "Castle Hill: whole-school and cohort figures only"},
}};
constexpr size_t kHead = 0;
constexpr size_t kOffice = 1;

constexpr std::array<std::string_view, 24> kGivenNames = {
    "James", "Sarah",  "Michael", "Emma",    "David", "Rachel", "Thomas", "Laura",
    "Adam",  "Hannah", "Imran",   "Zoe",     "Peter", "Nicola", "Owen",   "Fiona",
    "Raj",   "Claire", "Stuart",  "Natalie", "Paul",  "Bethan", "Lewis",  "Agnieszka"};
constexpr std::array<std::string_view, 29> kFamilyNames = {
    "Armstrong", "Bell",     "Carr",    "Dixon",   "Elliott", "Forster", "Graham", "Hodgson",
    "Irving",    "Jackson",  "Kerr",    "Little",  "Moffat",  "Nixon",   "Ogden",  "Parkin",
    "Quinn",     "Robinson", "Scott",   "Telford", "Usher",   "Varty",   "Wilson", "Young",
    "Ahmed",     "Brennan",  "Chapman", "Dodd",    "Ellwood"};

// "Ms Sarah Bell (English)": distinct for every index below 24 * 29 (the
// lists' lengths share no factor). Even places in kGivenNames are men's.
std::string TeacherName(size_t index, const std::string& department) {
  const size_t given = index % kGivenNames.size();
  const std::string_view family = kFamilyNames[(index * 7) % kFamilyNames.size()];
  const bool woman = given % 2 == 1;
  const std::string_view title =
      index % 9 == 4 ? "Dr" : (woman ? (index % 3 == 0 ? "Mrs" : "Ms") : "Mr");
  return fmt::format("{} {} {} ({})", title, kGivenNames[given], family, department);
}

std::string TeacherUsername(size_t index) { return fmt::format("castle-teacher{}", index + 1); }

using core::PresentCode;

// A session's statutory mark as it stands once the office has done its
// work (0: none recorded), and the arrival of a late pupil.
struct Statutory {
  uint8_t code = 0;
  int16_t arrival = -1;
};

// The office's reason for recording an absence's code.
std::string OfficeReason(AttendanceCode code) {
  switch (code) {
    case AttendanceCode::kIllness:
      return "Parent phoned: ill";
    case AttendanceCode::kMedical:
      return "Medical appointment: card seen";
    case AttendanceCode::kOtherUnauthorised:
      return "No reason given after a week";
    case AttendanceCode::kHolidayNotGranted:
      return "Holiday in term time, not granted";
    default:
      return "Reason confirmed by the office";
  }
}

struct SecondaryStaff {
  std::vector<int64_t> form_ids;     // 7A ... 11F
  std::vector<int64_t> other_ids;    // kOtherAccounts
  std::vector<int64_t> teacher_ids;  // the plan's teachers
  std::vector<std::string> teacher_names;
  store::Actor Other(size_t account) const {
    return {other_ids[account], std::string(kOtherAccounts[account].display_name),
            kOtherAccounts[account].role};
  }
  store::Actor Teacher(size_t teacher) const {
    return {teacher_ids[teacher], teacher_names[teacher], store::Role::kTeacher};
  }
};

std::string FormName(int form_index) {
  return fmt::format("{}{}", kSecondaryFirstYear + form_index / kFormsPerYear,
                     static_cast<char>('A' + form_index % kFormsPerYear));
}

core::StatusOr<SecondaryStaff> WriteStaff(store::Store& store, const SecondaryTimetablePlan& plan,
                                          const DemoOptions& options) {
  SecondaryStaff staff;
  for (int f = 0; f < kSecondaryForms; ++f) {
    store::Class cls;
    cls.name = FormName(f);
    cls.year_group = kSecondaryFirstYear + f / kFormsPerYear;
    ASSIGN_OR_RETURN(const int64_t id, store.AddClass(cls));
    staff.form_ids.push_back(id);
  }
  // Every account has the one public demo password: one hash serves them
  // all, where hashing it for each of seventy-odd accounts would add
  // seconds to every demo start.
  ASSIGN_OR_RETURN(
      const std::string hash,
      service::HashPassword(kDemoPassword, options.fast_hashing ? service::HashCost::kTestOnly
                                                                : service::HashCost::kInteractive));
  for (const OtherAccount& account : kOtherAccounts) {
    store::User user;
    user.username = std::string(account.username);
    user.display_name = std::string(account.display_name);
    user.role = account.role;
    user.email = fmt::format("{}@{}", account.username, kEmailDomain);
    user.password_hash = hash;
    ASSIGN_OR_RETURN(const int64_t id, store.AddUser(user));
    staff.other_ids.push_back(id);
  }
  // The first thirty teachers are the form tutors, in form order.
  for (size_t t = 0; t < plan.teachers.size(); ++t) {
    store::User user;
    user.username = TeacherUsername(t);
    user.display_name = TeacherName(t, plan.teachers[t].department);
    user.role = store::Role::kTeacher;
    user.email = fmt::format("{}@{}", user.username, kEmailDomain);
    user.password_hash = hash;
    if (t < staff.form_ids.size()) user.class_ids = {staff.form_ids[t]};
    ASSIGN_OR_RETURN(const int64_t id, store.AddUser(user));
    staff.teacher_ids.push_back(id);
    staff.teacher_names.push_back(user.display_name);
  }
  for (size_t f = 0; f < staff.form_ids.size() && f < staff.teacher_ids.size(); ++f) {
    RETURN_IF_ERROR(store.SetClassTeachers(staff.form_ids[f], {staff.teacher_ids[f]}));
  }
  return staff;
}

// The tutors' registers and the office's amendments, one day at a time,
// each write stamped with its writer and time; and each pupil's statutory
// mark per session as it stands, for the lesson registers.
class StatutoryMarks {
 public:
  StatutoryMarks(const synth::SynthSchool& school, const std::vector<Draft>& drafts,
                 const LocalTime& time, uint64_t seed)
      : school_(school), drafts_(drafts), time_(time), seed_(seed) {
    const core::Calendar& calendar = school.scenario.calendar;
    marks_.assign(drafts.size(),
                  std::vector<Statutory>(static_cast<size_t>(calendar.SessionCount())));
  }

  core::Status Write(store::Store& store, const SecondaryStaff& staff) {
    const core::Calendar& calendar = school_.scenario.calendar;
    const size_t sessions = static_cast<size_t>(calendar.SessionCount());
    // Synth's marks, by pupil and session: 0 for present (no entry), 255
    // for a register not taken.
    constexpr uint8_t kUnmarked = 255;
    std::vector<std::vector<uint8_t>> cells(drafts_.size(), std::vector<uint8_t>(sessions));
    for (size_t p = 0; p < drafts_.size(); ++p) {
      for (const core::RecordedMark& mark : school_.scenario.marks[p]) {
        if (const std::optional<int32_t> s = calendar.IndexOf(mark.slot)) {
          cells[p][static_cast<size_t>(*s)] =
              mark.code ? static_cast<uint8_t>(*mark.code) : kUnmarked;
        }
      }
    }
    const store::Actor office = staff.Other(kOffice);
    std::vector<synth::Rng> rngs;
    for (size_t p = 0; p < drafts_.size(); ++p) {
      rngs.emplace_back(synth::StreamSeed(seed_, kDemoMarksStreamBase + p));
    }
    Date day;
    // A day's registers in one save; the office's amendments once the day
    // they were made has been written, in time order.
    std::vector<store::MarkWrite> tutors;
    std::multimap<int64_t, store::MarkWrite> amendments;
    const auto save = [&](const std::vector<store::MarkWrite>& batch) -> core::Status {
      if (batch.empty()) return core::OkStatus();
      return store.SaveMarks(batch, office, time_.now()).status();
    };
    const auto flush = [&](int64_t until) -> core::Status {
      RETURN_IF_ERROR(save(tutors));
      tutors.clear();
      std::vector<store::MarkWrite> due;
      while (!amendments.empty() && amendments.begin()->first <= until) {
        due.push_back(std::move(amendments.begin()->second));
        amendments.erase(amendments.begin());
      }
      return save(due);
    };
    for (size_t s = 0; s < sessions; ++s) {
      const core::SessionKey slot = calendar.SessionAt(static_cast<int32_t>(s));
      const bool am = slot.session == Session::kAm;
      const int start = am ? kSecondaryAmStart : kSecondaryPmStart;
      const int64_t register_at = time_.At(slot.date, am ? kAmRegisterMinute : kPmRegisterMinute);
      if (register_at > time_.now()) break;
      if (slot.date != day) {
        RETURN_IF_ERROR(flush(time_.At(day, 24 * 60 - 1)));
        day = slot.date;
      }
      for (size_t p = 0; p < drafts_.size(); ++p) {
        const Draft& draft = drafts_[p];
        if (!draft.record.OnRollOn(slot.date)) continue;
        const uint8_t cell = cells[p][s];
        if (cell == kUnmarked) continue;
        const AttendanceCode code =
            cell == 0 ? PresentCode(slot.session) : *core::CodeFromStored(cell);
        synth::Rng& rng = rngs[p];
        const size_t tutor = static_cast<size_t>(draft.class_index);
        store::MarkWrite tutor_write{.pupil_id = draft.id,
                                     .slot = slot,
                                     .code = code,
                                     .arrival_minute = std::nullopt,
                                     .reason = std::string(kTeacherReason),
                                     .actor = staff.Teacher(tutor),
                                     .at = register_at};
        Statutory& mark = marks_[p][s];
        mark.code = static_cast<uint8_t>(code);
        const core::StatCategory category = core::CategoryOf(code);
        if (code == AttendanceCode::kLateBeforeClose) {
          const int register_minute = am ? kAmRegisterMinute : kPmRegisterMinute;
          const int arrival = start + rng.Between(1, register_minute - start - 1);
          tutor_write.arrival_minute = arrival;
          mark.arrival = static_cast<int16_t>(arrival);
        } else if (code == AttendanceCode::kNoReasonYet) {
          // Unexplained: after a week with no reason, the office records O.
          const int64_t week_later = time_.At(slot.date.AddDays(7), kLastSitting);
          if (week_later <= time_.now()) {
            amendments.emplace(
                week_later,
                store::MarkWrite{.pupil_id = draft.id,
                                 .slot = slot,
                                 .code = AttendanceCode::kOtherUnauthorised,
                                 .arrival_minute = std::nullopt,
                                 .reason = OfficeReason(AttendanceCode::kOtherUnauthorised),
                                 .actor = office,
                                 .at = week_later});
            mark.code = static_cast<uint8_t>(AttendanceCode::kOtherUnauthorised);
          }
        } else if (code == AttendanceCode::kLateAfterClose ||
                   category == core::StatCategory::kAuthorised ||
                   category == core::StatCategory::kUnauthorised) {
          // Not there at registration: N, until the office signs them in
          // or learns why.
          tutor_write.code = AttendanceCode::kNoReasonYet;
          store::MarkWrite later{.pupil_id = draft.id,
                                 .slot = slot,
                                 .code = code,
                                 .arrival_minute = std::nullopt,
                                 .reason = OfficeReason(code),
                                 .actor = office,
                                 .at = time_.At(slot.date, am ? kAmOfficeMinute : kPmOfficeMinute)};
          if (code == AttendanceCode::kLateAfterClose) {
            const int arrival = start + kRegisterCloseMinutes + rng.Between(5, 25);
            later.arrival_minute = arrival;
            later.at = time_.At(slot.date, arrival + 2);
            later.reason = fmt::format(
                "Arrived at {}, after the register closed: signed in "
                "at reception",
                service::TimeText(arrival));
            mark.arrival = static_cast<int16_t>(arrival);
          }
          if (*later.at <= time_.now()) {
            amendments.emplace(*later.at, std::move(later));
          } else {
            mark.code = static_cast<uint8_t>(AttendanceCode::kNoReasonYet);
          }
        }
        tutors.push_back(std::move(tutor_write));
      }
    }
    return flush(time_.now());
  }

  // The statutory mark of pupil `p` in session `key` (nullopt: none).
  std::optional<Statutory> Of(size_t p, core::SessionKey key) const {
    const std::optional<int32_t> s = school_.scenario.calendar.IndexOf(key);
    if (!s) return std::nullopt;
    const Statutory& mark = marks_[p][static_cast<size_t>(*s)];
    if (mark.code == 0) return std::nullopt;
    return mark;
  }

 private:
  const synth::SynthSchool& school_;
  const std::vector<Draft>& drafts_;
  const LocalTime& time_;
  uint64_t seed_;
  std::vector<std::vector<Statutory>> marks_;
};

// A number of its own for each subject (the same on every platform).
uint64_t SubjectNumber(const std::string& subject) {
  uint64_t n = 0;
  for (const char c : subject) n = n * 131 + static_cast<unsigned char>(c);
  return n % 100'003;
}

// Each on-roll pupil's teaching groups: their form's groups, a set in each
// set subject (by an aptitude of their own, a little different per
// subject), one subject in each options block (never one they already
// take, and never in a full group).
std::vector<std::vector<int64_t>> Memberships(const SecondaryTimetablePlan& plan,
                                              const std::vector<Draft>& drafts, uint64_t seed) {
  std::vector<std::vector<int64_t>> members(plan.groups.size());
  constexpr uint64_t kSetsStream = uint64_t{12} << 32;
  std::map<int, std::vector<size_t>> by_year;  // on roll today
  for (size_t p = 0; p < drafts.size(); ++p) {
    if (drafts[p].on_roll_today) by_year[drafts[p].pupil.year_group].push_back(p);
  }
  std::vector<double> aptitude(drafts.size());
  for (size_t p = 0; p < drafts.size(); ++p) {
    synth::Rng rng(synth::StreamSeed(seed, kSetsStream + p));
    aptitude[p] = rng.Uniform();
  }
  // Set of pupil p in `subject`, 1 (top) to kSetsPerSubject.
  std::map<std::pair<int, std::string>, std::map<size_t, int>> sets;
  std::map<std::pair<size_t, int>, std::pair<int, int>> option_of;  // (pupil, block) -> option
  for (auto& [year, pupils] : by_year) {
    for (const PlannedGroup& g : plan.groups) {
      if (g.year != year || g.kind != GroupKind::kSet || g.set != 1) continue;
      std::vector<std::pair<double, size_t>> ranked;
      for (size_t p : pupils) {
        synth::Rng rng(synth::StreamSeed(seed + SubjectNumber(g.subject), kSetsStream + p));
        ranked.emplace_back(-(aptitude[p] + 0.3 * rng.Uniform()), p);
      }
      std::sort(ranked.begin(), ranked.end());
      auto& placed = sets[{year, g.subject}];
      for (size_t r = 0; r < ranked.size(); ++r) {
        placed[ranked[r].second] =
            1 + static_cast<int>(r * kSetsPerSubject / std::max<size_t>(ranked.size(), 1));
      }
    }
    if (year < 10) continue;
    const size_t cap = pupils.size() / kOptionGroupsPerBlock + 6;
    std::map<std::pair<int, int>, size_t> sizes;  // (block, option) -> pupils
    for (size_t p : pupils) {
      synth::Rng rng(synth::StreamSeed(seed, kSetsStream + (uint64_t{1} << 20) + p));
      std::set<std::string> taken;
      for (int b = 0; b < kOptionBlocks; ++b) {
        const int first = static_cast<int>(rng.Below(kOptionGroupsPerBlock));
        for (int k = 0; k < kOptionGroupsPerBlock; ++k) {
          const int o = (first + k) % kOptionGroupsPerBlock;
          const PlannedGroup* group = nullptr;
          for (const PlannedGroup& g : plan.groups) {
            if (g.year == year && g.kind == GroupKind::kOption && g.block == b && g.option == o) {
              group = &g;
            }
          }
          const bool last_resort = k == kOptionGroupsPerBlock - 1;
          if (group == nullptr) continue;
          if (!last_resort && (taken.contains(group->subject) || sizes[{b, o}] >= cap)) continue;
          taken.insert(group->subject);
          ++sizes[{b, o}];
          option_of[{p, b}] = {b, o};
          break;
        }
      }
    }
  }
  for (size_t g = 0; g < plan.groups.size(); ++g) {
    const PlannedGroup& group = plan.groups[g];
    for (size_t p : by_year[group.year]) {
      const Draft& d = drafts[p];
      const int form = d.class_index % kFormsPerYear;
      bool in = false;
      switch (group.kind) {
        case GroupKind::kForm:
          in = form == group.form;
          break;
        case GroupKind::kSet:
          in = sets[{group.year, group.subject}][p] == group.set;
          break;
        case GroupKind::kOption: {
          const auto it = option_of.find({p, group.block});
          in = it != option_of.end() && it->second.second == group.option;
          break;
        }
      }
      if (in) members[g].push_back(d.id);
    }
  }
  return members;
}

// The Monday of week 1 of the cycle: the week the autumn term began.
Date Week1Monday(const core::Calendar& calendar, Date today) {
  const int32_t first = calendar.FirstSessionOnOrAfter(today.AcademicYearStart());
  const Date start =
      first < calendar.SessionCount() ? calendar.SessionAt(first).date : today.AcademicYearStart();
  return start.WeekStart();
}

store::Timetable TimetableOf(const SecondaryTimetablePlan& plan,
                             const std::vector<std::vector<int64_t>>& members,
                             const SecondaryStaff& staff, Date week1_monday) {
  store::Timetable t;
  t.cycle_weeks = 2;
  t.week1_monday = week1_monday;
  t.source = core::StatutorySource::kRegistration;
  for (const SecondaryPeriod& p : kSecondaryPeriods) {
    store::Period period;
    period.name = std::string(p.name);
    period.start_minute = p.start_minute;
    period.end_minute = p.end_minute;
    period.session = p.pm ? Session::kPm : Session::kAm;
    period.registration = p.registration;
    t.periods.push_back(std::move(period));
  }
  for (size_t g = 0; g < plan.groups.size(); ++g) {
    store::TeachingGroup group;
    group.code = plan.groups[g].code;
    group.subject = plan.groups[g].subject;
    group.teacher_ids = {staff.teacher_ids[plan.groups[g].teacher]};
    group.pupil_ids = members[g];
    t.groups.push_back(std::move(group));
  }
  for (int slot = 0; slot < kCycleSlots; ++slot) {
    for (size_t g = 0; g < plan.groups.size(); ++g) {
      const PlannedGroup& group = plan.groups[g];
      if (!std::binary_search(group.slots.begin(), group.slots.end(), slot)) continue;
      t.lessons.push_back({.group_id = static_cast<int64_t>(g),
                           .cycle_day = SlotCycleDay(slot),
                           .period_id = static_cast<int64_t>(
                               kTeachingPeriodIndex[static_cast<size_t>(SlotPeriod(slot))]),
                           .room = plan.teachers[group.teacher].room});
    }
  }
  return t;
}

// Who misses lessons while in school, and how.
enum class Pattern { kNone, kFridayP5, kMathematics, kP4MondayWednesday };

struct Truant {
  size_t pupil = 0;
  Pattern pattern = Pattern::kNone;
};

// Five pupils of Years 9 to 11 who are seldom absent, each with a pattern.
std::vector<Truant> ChooseTruants(const std::vector<Draft>& drafts, uint64_t seed) {
  constexpr std::array<Pattern, 5> kPatterns = {Pattern::kFridayP5, Pattern::kMathematics,
                                                Pattern::kP4MondayWednesday, Pattern::kFridayP5,
                                                Pattern::kMathematics};
  std::vector<Truant> out;
  synth::Rng rng(synth::StreamSeed(seed, (uint64_t{12} << 32) + (uint64_t{2} << 20)));
  std::set<int> forms;
  for (size_t tries = 0; tries < 20 * drafts.size() && out.size() < kPatterns.size(); ++tries) {
    const size_t p = rng.Below(drafts.size());
    const Draft& d = drafts[p];
    if (!d.on_roll_today || d.pupil.year_group < 9 || d.pattern != synth::PupilPattern::kTypical ||
        forms.contains(d.class_index)) {
      continue;
    }
    forms.insert(d.class_index);
    out.push_back({p, kPatterns[out.size()]});
  }
  return out;
}

class LessonMarks {
 public:
  LessonMarks(const SecondaryTimetablePlan& plan, const std::vector<std::vector<int64_t>>& members,
              const std::vector<Draft>& drafts, const StatutoryMarks& statutory,
              const SecondaryStaff& staff, const store::Timetable& stored, const LocalTime& time,
              uint64_t seed)
      : plan_(plan),
        drafts_(drafts),
        statutory_(statutory),
        staff_(staff),
        stored_(stored),
        time_(time),
        seed_(seed) {
    for (size_t p = 0; p < drafts.size(); ++p) index_of_[drafts[p].id] = p;
    members_ = &members;
  }

  core::Status Write(store::Store& store, const core::Calendar& calendar, Date today,
                     const std::vector<Truant>& truants) {
    std::map<size_t, Pattern> pattern_of;
    for (const Truant& t : truants) pattern_of[t.pupil] = t.pattern;
    const std::set<size_t> today_missing = ChooseTodaysTruants(calendar, today);
    // The last kLessonWeeks weeks of school days, holidays not counted.
    Date from = today;
    for (int school_days = 0; school_days < 5 * kLessonWeeks && from > today.AddDays(-120);) {
      from = from.AddDays(-1);
      if (calendar.IsOpen({from, Session::kAm})) ++school_days;
    }
    // Today's registers are saved lesson by lesson, each as it was taken.
    // An earlier day's are saved a teacher's day at a time, stamped with the
    // teacher's last lesson that day: one transaction per lesson would add
    // seconds to every demo start for no one to see.
    for (Date day = from; day <= today; day = day.AddDays(1)) {
      if (day.IsWeekend()) continue;
      const int cycle_day = *service::lessons_internal::CycleDay(stored_, day);
      std::map<size_t, std::pair<int64_t, std::vector<store::LessonMarkWrite>>> by_teacher;
      for (int period = 0; period < kTeachingPeriods; ++period) {
        const SecondaryPeriod& p =
            kSecondaryPeriods[kTeachingPeriodIndex[static_cast<size_t>(period)]];
        const Session session = p.pm ? Session::kPm : Session::kAm;
        if (!calendar.IsOpen({day, session})) continue;
        const int64_t taken_at = time_.At(day, p.start_minute + kLessonTakenAfter);
        // A lesson still under way is left for whoever tries the demo to
        // take (castle-teacher1's P2 at 10:15, say).
        if (time_.At(day, p.end_minute) > time_.now()) continue;
        const int slot = (cycle_day - 1) * kTeachingPeriods + period;
        for (size_t g = 0; g < plan_.groups.size(); ++g) {
          const PlannedGroup& group = plan_.groups[g];
          if (!std::binary_search(group.slots.begin(), group.slots.end(), slot)) continue;
          std::vector<store::LessonMarkWrite> writes;
          for (int64_t pupil_id : (*members_)[g]) {
            const size_t pupil = index_of_.at(pupil_id);
            if (!drafts_[pupil].record.OnRollOn(day)) continue;
            const bool missing_today =
                day == today && today_missing.contains(pupil) && period == todays_period_;
            const auto pattern = pattern_of.find(pupil);
            if (std::optional<store::LessonMarkWrite> w =
                    Mark(pupil, pupil_id, day, session, period, p, group,
                         pattern == pattern_of.end() ? Pattern::kNone : pattern->second,
                         missing_today, g)) {
              writes.push_back(std::move(*w));
            }
          }
          if (writes.empty()) continue;
          if (day == today) {
            RETURN_IF_ERROR(
                store.SaveLessonMarks(writes, staff_.Teacher(group.teacher), taken_at).status());
            continue;
          }
          auto& [at, batch] = by_teacher[group.teacher];
          at = std::max(at, taken_at);
          batch.insert(batch.end(), writes.begin(), writes.end());
        }
      }
      for (const auto& [teacher, batch] : by_teacher) {
        RETURN_IF_ERROR(
            store.SaveLessonMarks(batch.second, staff_.Teacher(teacher), batch.first).status());
      }
    }
    return core::OkStatus();
  }

 private:
  // Today's morning lesson with internal truancy: the latest one over by
  // now, and the pupils missing from it: present at registration this
  // morning, from different forms.
  std::set<size_t> ChooseTodaysTruants(const core::Calendar& calendar, Date today) {
    std::set<size_t> out;
    todays_period_ = -1;
    if (!calendar.IsOpen({today, Session::kAm})) return out;
    for (int period = 0; period < kTeachingPeriods; ++period) {
      const SecondaryPeriod& p =
          kSecondaryPeriods[kTeachingPeriodIndex[static_cast<size_t>(period)]];
      if (p.pm) break;
      if (time_.At(today, p.end_minute) <= time_.now()) todays_period_ = period;
    }
    if (todays_period_ < 0) return out;
    synth::Rng rng(synth::StreamSeed(seed_ + static_cast<uint64_t>(today.days()),
                                     (uint64_t{12} << 32) + (uint64_t{3} << 20)));
    std::set<int> forms;
    for (size_t tries = 0; tries < 20 * drafts_.size() && out.size() < kTruancyToday; ++tries) {
      const size_t p = rng.Below(drafts_.size());
      const Draft& d = drafts_[p];
      if (!d.on_roll_today || d.pupil.year_group < 8 || forms.contains(d.class_index)) continue;
      const std::optional<Statutory> am = statutory_.Of(p, {today, Session::kAm});
      if (!am || (am->code != static_cast<uint8_t>(AttendanceCode::kPresentAm) &&
                  am->code != static_cast<uint8_t>(AttendanceCode::kLateBeforeClose))) {
        continue;
      }
      forms.insert(d.class_index);
      out.insert(p);
    }
    return out;
  }

  std::optional<store::LessonMarkWrite> Mark(size_t pupil, int64_t pupil_id, Date day,
                                             Session session, int period, const SecondaryPeriod& p,
                                             const PlannedGroup& group, Pattern pattern,
                                             bool missing_today, size_t group_index) const {
    store::LessonMarkWrite w;
    w.pupil_id = pupil_id;
    w.date = day;
    w.period_id = stored_.periods[kTeachingPeriodIndex[static_cast<size_t>(period)]].id;
    w.group_id = stored_.groups[group_index].id;
    w.code = PresentCode(session);
    w.reason = "Lesson register taken";
    // One draw per pupil, day and period.
    synth::Rng rng(synth::StreamSeed(
        seed_ + static_cast<uint64_t>(day.days()) * 8 + static_cast<uint64_t>(period),
        (uint64_t{13} << 32) + pupil));
    const std::optional<Statutory> st = statutory_.Of(pupil, {day, session});
    const AttendanceCode code = st ? *core::CodeFromStored(st->code) : PresentCode(session);
    const bool on_site = code == AttendanceCode::kPresentAm || code == AttendanceCode::kPresentPm ||
                         code == AttendanceCode::kLateBeforeClose ||
                         code == AttendanceCode::kLateAfterClose;
    if (!on_site) {
      // Away from school: on an approved activity the lesson says so;
      // otherwise absent, the reason the office's to give. Not required to
      // attend or not on roll: no lesson mark.
      if (code == AttendanceCode::kNotRequired || code == AttendanceCode::kNotOnRoll ||
          code == AttendanceCode::kPlannedClosure) {
        return std::nullopt;
      }
      w.code = core::CategoryOf(code) == core::StatCategory::kApprovedActivity
                   ? code
                   : AttendanceCode::kNoReasonYet;
      return w;
    }
    if (st && st->arrival > p.start_minute) {
      w.code = AttendanceCode::kLateBeforeClose;
      w.arrival_minute = st->arrival;
      return w;
    }
    const double draw = rng.Uniform();
    bool skip = missing_today;
    switch (pattern) {
      case Pattern::kFridayP5:
        skip = skip || (day.weekday() == core::Weekday::kFriday && period == 4 && draw < 0.8);
        break;
      case Pattern::kMathematics:
        skip = skip || (group.subject == "Mathematics" && period > 0 && draw < 0.6);
        break;
      case Pattern::kP4MondayWednesday:
        skip = skip || ((day.weekday() == core::Weekday::kMonday ||
                         day.weekday() == core::Weekday::kWednesday) &&
                        period == 3 && draw < 0.7);
        break;
      case Pattern::kNone:
        break;
    }
    if (skip) {
      w.code = AttendanceCode::kNoReasonYet;
      return w;
    }
    if (period > 0 && draw > 0.985) {
      w.code = AttendanceCode::kLateBeforeClose;
      w.arrival_minute = p.start_minute + rng.Between(3, 12);
    }
    return w;
  }

  const SecondaryTimetablePlan& plan_;
  const std::vector<std::vector<int64_t>>* members_ = nullptr;
  const std::vector<Draft>& drafts_;
  const StatutoryMarks& statutory_;
  const SecondaryStaff& staff_;
  const store::Timetable& stored_;
  const LocalTime& time_;
  uint64_t seed_;
  std::map<int64_t, size_t> index_of_;
  int todays_period_ = -1;
};

}  // namespace

DemoOptions DemoSecondary() {
  DemoOptions o;
  o.school_name = "Castle Hill Academy";
  o.urn = "138456";
  o.establishment = "4012";  // 4xxx: a secondary school
  o.pupils = 1000;
  o.seed = 20261204;
  return o;
}

std::vector<DemoLogin> DemoSecondaryLogins() {
  std::vector<DemoLogin> out;
  for (const OtherAccount& a : kOtherAccounts) {
    out.push_back(
        {std::string(a.username), std::string(store::RoleName(a.role)), std::string(a.sees)});
  }
  const SecondaryTimetablePlan plan = PlanSecondaryTimetable();
  for (size_t t = 0; t < plan.teachers.size(); ++t) {
    std::string sees =
        fmt::format("Castle Hill: their {} lessons' registers", plan.teachers[t].department);
    if (t < static_cast<size_t>(kSecondaryForms)) {
      sees += fmt::format(" and form {}'s AM/PM register", FormName(static_cast<int>(t)));
    }
    out.push_back({TeacherUsername(t), "teacher", std::move(sees)});
  }
  return out;
}

core::Status SeedDemoSecondary(store::Store& store, Date today, int minute_of_day, int64_t now_unix,
                               const DemoOptions& options) {
  if (core::StatusOr<store::School> existing = store.GetSchool(); existing.ok()) {
    return core::OkStatus();
  } else if (existing.status().kind() != core::ErrorKind::kNotFound) {
    return existing.status();
  }
  if (minute_of_day < 0 || minute_of_day >= 24 * 60) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("minute of day {} is not 0-1439", minute_of_day));
  }
  ASSIGN_OR_RETURN(const synth::SynthSchool school,
                   synth::Synthesize({.pupils = options.pupils,
                                      .years = 1,
                                      .seed = options.seed,
                                      .as_of = today,
                                      .phase = synth::Phase::kSecondary}));
  const LocalTime time(today, minute_of_day, now_unix);
  const core::Calendar& calendar = school.scenario.calendar;
  std::vector<Draft> drafts = DraftPupils(school, today, options.seed, options.establishment,
                                          kSecondaryFirstYear, kSecondaryLastYear, kFormsPerYear);
  SetUpFamilies(school, {}, options.seed, drafts);
  CompleteRegisterEntries(calendar, today, options.seed, drafts);
  const SecondaryTimetablePlan plan = PlanSecondaryTimetable();

  RETURN_IF_ERROR(WriteSettingsAndCalendar(store, today.AcademicYearStart().year(), time,
                                           kSecondaryAmStart, kSecondaryPmStart));
  ASSIGN_OR_RETURN(const SecondaryStaff staff, WriteStaff(store, plan, options));
  // Every pupil in one admission write, as the office entered them before
  // term began (and joiners since, by their own enrolments).
  std::vector<store::Pupil> pupils;
  for (Draft& draft : drafts) {
    draft.pupil.class_id = staff.form_ids[static_cast<size_t>(draft.class_index)];
    pupils.push_back(draft.pupil);
  }
  const Date first_day = Week1Monday(calendar, today);
  ASSIGN_OR_RETURN(const std::vector<int64_t> ids,
                   store.SavePupils({}, pupils, staff.Other(kOffice),
                                    std::min(time.now(), time.At(first_day.AddDays(-4), 10 * 60)),
                                    "Admission register set up for the school year"));
  for (size_t i = 0; i < drafts.size() && i < ids.size(); ++i) drafts[i].id = ids[i];
  StatutoryMarks statutory(school, drafts, time, options.seed);
  RETURN_IF_ERROR(statutory.Write(store, staff));

  // The timetable as the head set it up before term began.
  const Date week1 = first_day;
  const std::vector<std::vector<int64_t>> members = Memberships(plan, drafts, options.seed);
  const store::Timetable timetable = TimetableOf(plan, members, staff, week1);
  RETURN_IF_ERROR(store.SetTimetable(timetable, staff.Other(kHead),
                                     std::min(time.now(), time.At(week1.AddDays(-3), 16 * 60))));
  // SetTimetable gives the groups and periods their ids; the lesson marks
  // name them by those.
  ASSIGN_OR_RETURN(const store::Timetable stored, store.GetTimetable());
  store::Timetable by_position = timetable;
  for (size_t i = 0; i < by_position.periods.size(); ++i) {
    for (const store::Period& p : stored.periods) {
      if (p.name == by_position.periods[i].name) by_position.periods[i].id = p.id;
    }
  }
  for (size_t i = 0; i < by_position.groups.size(); ++i) {
    for (const store::TeachingGroup& g : stored.groups) {
      if (g.code == by_position.groups[i].code) by_position.groups[i].id = g.id;
    }
  }
  LessonMarks lessons(plan, members, drafts, statutory, staff, by_position, time, options.seed);
  RETURN_IF_ERROR(lessons.Write(store, calendar, today, ChooseTruants(drafts, options.seed)));

  return store.SetSchool({.name = options.school_name,
                          .urn = options.urn,
                          .la_code = std::string(kLaCode),
                          .phase = "secondary",
                          .establishment_number = options.establishment});
}

}  // namespace rollcall::cli
