#include "cli/demo_school.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>
#include <utility>

#include "core/cme.h"
#include "core/codes.h"
#include "core/error_codes.h"
#include "core/leave.h"
#include "core/part_time.h"
#include "core/penalty.h"
#include "core/pupil_sessions.h"
#include "core/session.h"
#include "core/statistics.h"
#include "core/upn.h"
#include "letters/letters.h"
#include "service/leave.h"
#include "service/password.h"
#include "service/services.h"
#include "synth/random.h"
#include "synth/school_calendar.h"
#include "synth/synth.h"

namespace rollcall::cli {
namespace {

using core::AttendanceCode;
using core::Date;
using core::Session;
using core::Weekday;

// ---------------------------------------------------------------------------
// The demo's fixed facts. README and `rollcall demo` list the logins from
// kAccounts (through DemoLogins), so this table is the one place to change them.

constexpr std::string_view kLaCode = "909";
// The school's DfE establishment number (2xxx: a community primary school).
// "909" + this + issue year + serial make the UPNs the school issues.

constexpr int kAmStart = 8 * 60 + 45;
constexpr int kPmStart = 13 * 60 + 15;
constexpr int kRegisterCloseMinutes = 30;
// When each register is saved: before it closes, so that a pupil marked L
// arrived before the teacher saved it.
constexpr int kAmRegisterMinute = kAmStart + 20;  // 09:05
constexpr int kPmRegisterMinute = kPmStart + 10;  // 13:25

// The office works through absences in sittings (phone calls after the
// morning register, mid-morning, lunchtime, after the afternoon register,
// end of day); late arrivals it signs in as they come.
constexpr int kFirstSitting = 9 * 60 + 40;
constexpr int kMidMorningSitting = 11 * 60 + 15;
constexpr int kLunchtimeSitting = 12 * 60 + 30;
constexpr int kAfternoonSitting = kPmRegisterMinute + 20;  // 13:45
constexpr int kLastSitting = 15 * 60 + 30;

constexpr int kYearGroups = 7;  // Reception to Year 6
constexpr std::array<std::string_view, 2> kClassLetters = {"A", "B"};
constexpr int kClasses = kYearGroups * static_cast<int>(kClassLetters.size());

constexpr std::string_view kTeacherReason = "Register taken";

struct AccountSpec {
  std::string_view username;
  // Parents: title and given name; their family name is their children's.
  std::string_view display_name;
  store::Role role;
  std::string_view class_name;  // teachers: the class they register
  std::string_view sees;
};

constexpr auto kAccounts = std::to_array<AccountSpec>({
    {"head", "Mrs Sarah Okafor (Head)", store::Role::kHead, "",
     "Whole school: registers, amendments, policy settings and staff"},
    {"office", "Mrs Linda Pearce (Attendance officer)", store::Role::kOffice, "",
     "Whole school: registers, absence codes and amendments"},
    {"teacher1", "Mr Daniel Hughes (3A)", store::Role::kTeacher, "3A", "Class 3A's registers"},
    {"teacher2", "Ms Priya Shah (3B)", store::Role::kTeacher, "3B", "Class 3B's registers"},
    {"teacher3", "Mrs Claire Bennett (RA)", store::Role::kTeacher, "RA", "Class RA's registers"},
    {"teacher4", "Miss Laura Greenwood (RB)", store::Role::kTeacher, "RB", "Class RB's registers"},
    {"teacher5", "Mr Tom Fletcher (1A)", store::Role::kTeacher, "1A", "Class 1A's registers"},
    {"teacher6", "Mrs Aisha Rahman (1B)", store::Role::kTeacher, "1B", "Class 1B's registers"},
    {"teacher7", "Miss Chloe Marsden (2A)", store::Role::kTeacher, "2A", "Class 2A's registers"},
    {"teacher8", "Mr Kwame Mensah (2B)", store::Role::kTeacher, "2B", "Class 2B's registers"},
    {"teacher9", "Mrs Joanne Whitaker (4A)", store::Role::kTeacher, "4A", "Class 4A's registers"},
    {"teacher10", "Mr Piotr Kowalski (4B)", store::Role::kTeacher, "4B", "Class 4B's registers"},
    {"teacher11", "Ms Rebecca Lord (5A)", store::Role::kTeacher, "5A", "Class 5A's registers"},
    {"teacher12", "Mr Gareth Evans (5B)", store::Role::kTeacher, "5B", "Class 5B's registers"},
    {"teacher13", "Mrs Helen Atkinson (6A)", store::Role::kTeacher, "6A", "Class 6A's registers"},
    {"teacher14", "Mr Samuel Osei (6B)", store::Role::kTeacher, "6B", "Class 6B's registers"},
    {"governor", "Dr Peter Ashworth (Governor)", store::Role::kGovernor, "",
     "Whole-school and cohort figures only"},
    {"la", "Ms Rachel Dunn (LA attendance officer)", store::Role::kLaOfficer, "",
     "Schools in LA 909, this one included"},
    {"parent1", "Mrs Emma", store::Role::kParent, "",
     "Their two children, one of them persistently absent"},
    {"parent2", "Mr David", store::Role::kParent, "", "Their child"},
    {"parent3", "Ms Nadia", store::Role::kParent, "",
     "Their child, with an absence still awaiting a reason"},
});

constexpr size_t AccountIndex(std::string_view username) {
  for (size_t idx = 0; idx < kAccounts.size(); ++idx) {
    if (kAccounts[idx].username == username) return idx;
  }
  return kAccounts.size();
}
constexpr size_t kOfficeAccount = AccountIndex("office");
constexpr std::array<size_t, 3> kParentAccounts = {AccountIndex("parent1"), AccountIndex("parent2"),
                                                   AccountIndex("parent3")};
static_assert(kOfficeAccount < kAccounts.size() && kParentAccounts[2] < kAccounts.size());

// Synth's invented given names that are girls' names; every other name is a boy's.
constexpr std::array<std::string_view, 24> kGirlsNames = {
    "Amelia", "Isla",  "Ava",   "Mia",      "Ivy",    "Lily",   "Isabella", "Rosie",
    "Sophia", "Grace", "Freya", "Florence", "Evie",   "Olivia", "Ella",     "Poppy",
    "Aisha",  "Zara",  "Maya",  "Chloe",    "Hannah", "Priya",  "Amara",    "Niamh"};

// Names a few children are known by instead of their legal given name.
constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kKnownAs = {{
    {"Oliver", "Ollie"},
    {"Thomas", "Tom"},
    {"Joshua", "Josh"},
    {"Isabella", "Bella"},
    {"Florence", "Flo"},
    {"Jacob", "Jake"},
    {"Sophia", "Sophie"},
    {"Olivia", "Liv"},
    {"Tomasz", "Tomek"},
    {"Muhammad", "Mo"},
}};

constexpr std::array<std::string_view, 16> kMothersNames = {
    "Sarah", "Emma",      "Laura", "Rebecca", "Claire", "Nadia",  "Fatima", "Joanne",
    "Katie", "Agnieszka", "Gemma", "Anjali",  "Amina",  "Rachel", "Helen",  "Louise"};
constexpr std::array<std::string_view, 16> kFathersNames = {
    "James", "David", "Daniel", "Mark",   "Imran",   "Tariq", "Paul", "Chris",
    "Kwame", "Piotr", "Andrew", "Steven", "Michael", "Lee",   "Ravi", "Gareth"};
constexpr std::array<std::string_view, 8> kGrandparentsNames = {
    "Margaret", "Susan", "Brian", "Patricia", "Maureen", "Keith", "Christine", "Alan"};
constexpr std::array<std::string_view, 12> kAdultFamilyNames = {
    "Marsh", "Dobson",    "Fox",  "Lowther", "Iqbal",  "Harper",
    "Nash",  "Kowalczyk", "Reid", "Osei",    "Barker", "Pike"};

// Destinations of pupils who left for another school (deletion ground a).
constexpr std::array<std::string_view, 5> kOtherSchools = {
    "Fellside Primary School, Kendal", "St Bega's CE Primary School, Eskdale",
    "Greengate Junior School, Barrow-in-Furness", "Oakfield Primary Academy, Leeds",
    "Castle Hill Primary School, Carlisle"};
// Where families moved too far away for the school run (deletion ground g).
constexpr std::array<std::string_view, 4> kMovedTo = {"Bristol", "Norwich", "Plymouth",
                                                      "Newcastle upon Tyne"};
// LA numbers (real ones) of the schools that issued joiners' UPNs.
constexpr std::array<std::string_view, 5> kOtherLas = {"908", "888", "330", "919", "802"};

// Stream numbers for the demo's own draws, clear of synth's (random.h).
constexpr uint64_t kDemoPupilStreamBase = uint64_t{7} << 32;
constexpr uint64_t kDemoMarksStreamBase = uint64_t{8} << 32;
constexpr uint64_t kDemoDayStreamBase = uint64_t{9} << 32;  // under seed + date
constexpr uint64_t kDemoContactsStreamBase = uint64_t{10} << 32;

template <typename T, size_t N>
T Pick(const std::array<T, N>& items, synth::Rng& rng) {
  return items[rng.Below(N)];
}

int64_t UnixAt(Date date, int minute_of_day) {
  return int64_t{date.days()} * 86400 + int64_t{minute_of_day} * 60;
}

// Turns school-local times into Unix seconds with the caller's UTC offset
// now, taken from its local and Unix clocks to the nearest quarter hour (so
// in British Summer Time, 09:05 is 08:05 UTC). Times before a clock change
// are an hour out, which nothing relies on; an implausible offset (the
// clocks disagree by more than 14 hours) counts as none.
class LocalTime {
 public:
  LocalTime(Date today, int minute_of_day, int64_t now_unix) {
    constexpr int64_t kQuarter = 15 * 60;
    const int64_t diff = UnixAt(today, minute_of_day) - now_unix;
    const int64_t rounded = (diff >= 0 ? diff + kQuarter / 2 : diff - kQuarter / 2) / kQuarter;
    offset_ = std::abs(rounded * kQuarter) <= 14 * 3600 ? rounded * kQuarter : 0;
    now_ = std::min(now_unix, At(today, minute_of_day));
  }
  int64_t At(Date date, int minute_of_day) const { return UnixAt(date, minute_of_day) - offset_; }
  // The latest time anything may be stamped with.
  int64_t now() const { return now_; }

 private:
  int64_t offset_ = 0;
  int64_t now_ = 0;
};

std::string YearGroupLabel(int year_group) {
  return year_group == 0 ? "R" : std::to_string(year_group);
}

std::string ClassName(int class_index) {
  return YearGroupLabel(class_index / 2) +
         std::string(kClassLetters[static_cast<size_t>(class_index % 2)]);
}

std::string ClockText(int minute_of_day) {
  return fmt::format("{:02d}:{:02d}", minute_of_day / 60, minute_of_day % 60);
}

// Lower-case ASCII letters of `name`, for invented email addresses.
std::string EmailPart(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
    if (c >= 'a' && c <= 'z') out += c;
  }
  return out;
}

// An explanation the school does not accept as a reason for absence (O).
std::string NotAccepted(synth::Rng& rng) {
  constexpr std::array<std::string_view, 5> kExplanations = {
      "family day out", "birthday treat", "shopping trip", "overslept", "visiting relatives"};
  return fmt::format("Reason given not accepted: {}", Pick(kExplanations, rng));
}

// Ofcom reserves 07700 900000-900999 for drama: numbers that reach nobody.
std::string DramaPhone(synth::Rng& rng) { return fmt::format("07700 900{:03d}", rng.Below(1000)); }

// ---------------------------------------------------------------------------
// Pupils.

struct Draft {
  store::Pupil pupil;
  core::PupilRecord record;  // on roll as the enrolment says: which sessions get marks
  int class_index = 0;
  synth::PupilPattern pattern = synth::PupilPattern::kTypical;
  bool on_roll_today = true;
  int64_t id = 0;  // once added to the store
};

// The 1 September that starts academic year `start_year`.
Date SeptemberFirst(int start_year) { return *Date::FromYmd(start_year, 9, 1); }

Date FlagStart(Date enrolled, Date today, synth::Rng& rng) {
  // Identified some time after joining (but before the last month), or on joining.
  const int32_t span = today.AddDays(-30).days() - enrolled.days();
  if (span <= 0 || rng.Chance(0.5)) return enrolled;
  return enrolled.AddDays(rng.Between(0, span));
}

void AddFlags(const synth::CohortFlags& flags, Date enrolled, Date today, synth::Rng& rng,
              std::vector<store::CohortFlag>& out) {
  const auto add = [&](std::string_view flag, Date from) {
    out.push_back({std::string(flag), from, std::nullopt});
  };
  if (flags.free_school_meals) {
    add("FSM", enrolled);
    add("PP", enrolled);
  } else if (flags.looked_after) {
    add("PP", enrolled);  // pupil premium plus: looked-after children qualify without FSM
  }
  if (flags.sen_support) add("SEN_K", FlagStart(enrolled, today, rng));
  if (flags.ehc_plan) add("EHCP", FlagStart(enrolled, today, rng));
  if (flags.looked_after) add("CLA", FlagStart(enrolled, today, rng));
  if (flags.social_worker) add("SW", FlagStart(enrolled, today, rng));
  if (flags.young_carer) add("YC", FlagStart(enrolled, today, rng));
  if (rng.Chance(0.2)) add("EAL", enrolled);
}

// Deletion from the admission register: the ground letter of the 2024
// Regulations (reg 9) and the destination.
void SetDeletion(synth::PupilPattern pattern, synth::Rng& rng, store::Enrolment& enrolment) {
  if (pattern == synth::PupilPattern::kMissingEducation) {
    // Ground (i): continuously absent 20 school days, whereabouts unknown
    // after joint enquiries with the LA.
    enrolment.deletion_ground = "i";
    enrolment.destination = "Not known \u2014 referred to LA (CME)";
    return;
  }
  const double draw = rng.Uniform();
  if (draw < 0.75) {
    enrolment.deletion_ground = "a";  // registered at another school
    enrolment.destination = std::string(Pick(kOtherSchools, rng));
  } else if (draw < 0.9) {
    enrolment.deletion_ground = "f";  // parent's written notice of home education
    enrolment.destination = "Elective home education (parent's written notice)";
  } else {
    enrolment.deletion_ground = "g";  // no longer lives within reasonable distance
    enrolment.destination =
        fmt::format("Moved to {}; new school not yet known", Pick(kMovedTo, rng));
  }
}

class UpnIssuer {
 public:
  explicit UpnIssuer(std::string establishment) : establishment_(std::move(establishment)) {}
  // The UPN of a pupil who started in Reception here in `reception_year`.
  std::string IssuedHere(int reception_year) {
    const int serial = ++serials_[reception_year];
    return Issue(
        fmt::format("{}{}{:02d}{:03d}", kLaCode, establishment_, reception_year % 100, serial));
  }
  // The UPN a joiner brought from the school that issued it.
  std::string IssuedElsewhere(int reception_year, synth::Rng& rng) {
    while (true) {
      const std::string twelve =
          fmt::format("{}2{:03d}{:02d}{:03d}", Pick(kOtherLas, rng), rng.Below(1000),
                      reception_year % 100, rng.Below(1000));
      if (!used_.contains(twelve)) return Issue(twelve);
    }
  }

 private:
  std::string Issue(const std::string& twelve) {
    used_.insert(twelve);
    return core::UpnWithCheckLetter(twelve);
  }
  std::string establishment_;
  std::map<int, int> serials_;
  std::set<std::string> used_;
};

std::vector<Draft> DraftPupils(const synth::SynthSchool& school, Date today, uint64_t seed,
                               const std::string& establishment) {
  const int year_start = today.AcademicYearStart().year();
  std::vector<Draft> drafts(school.pupils.size());
  std::array<int, kYearGroups> seen_in_year{};
  UpnIssuer upns(establishment);
  for (size_t idx = 0; idx < drafts.size(); ++idx) {
    const synth::SynthPupil& meta = school.pupils[idx];
    const core::PupilRecord& record = school.scenario.pupils[idx];
    synth::Rng rng(synth::StreamSeed(seed, kDemoPupilStreamBase + idx));
    Draft& draft = drafts[idx];
    draft.record = record;
    draft.pattern = meta.pattern;
    const int year_group = std::clamp(meta.year_group, 0, kYearGroups - 1);
    // Two classes a year, filled alternately (synth's forms assume 28 a form).
    draft.class_index = year_group * 2 + seen_in_year[static_cast<size_t>(year_group)]++ % 2;

    store::Pupil& pupil = draft.pupil;
    pupil.legal_given_name = meta.given_name;
    pupil.legal_family_name = meta.family_name;
    for (const auto& [legal, known_as] : kKnownAs) {
      if (meta.given_name == legal && rng.Chance(0.4)) pupil.preferred_given_name = known_as;
    }
    if (rng.Chance(0.015)) {
      pupil.preferred_family_name =
          meta.family_name + "-" + std::string(Pick(kAdultFamilyNames, rng));
    }
    const bool girl =
        std::find(kGirlsNames.begin(), kGirlsNames.end(), meta.given_name) != kGirlsNames.end();
    pupil.sex = girl ? "F" : "M";
    pupil.year_group = year_group;
    // Born in the academic year (1 September to 31 August) that puts them in
    // this year group: Reception children turn 5 during the year.
    const int reception_year = year_start - year_group;
    const Date born_from = SeptemberFirst(reception_year - 5);
    const Date born_to = SeptemberFirst(reception_year - 4).AddDays(-1);
    pupil.date_of_birth = born_from.AddDays(rng.Between(0, born_to.days() - born_from.days()));

    std::optional<Date> from;
    std::optional<Date> to;
    if (!record.on_roll.empty()) {
      from = record.on_roll.front().from;
      to = record.on_roll.front().to;
    }
    store::Enrolment enrolment;
    enrolment.start = from.value_or(SeptemberFirst(reception_year));
    pupil.upn = from ? upns.IssuedElsewhere(reception_year, rng) : upns.IssuedHere(reception_year);
    if (to) {
      enrolment.end = to;
      SetDeletion(meta.pattern, rng, enrolment);
    }
    draft.on_roll_today = !to || *to >= today;
    // Keep the checked on-roll period equal to the enrolment stored.
    draft.record.on_roll = {{enrolment.start, enrolment.end}};
    pupil.enrolments.push_back(enrolment);
    AddFlags(meta.flags, enrolment.start, today, rng, pupil.flags);
  }
  return drafts;
}

// ---------------------------------------------------------------------------
// Marks.

// One write to the store: the teacher's register or the office's amendment.
struct PlannedWrite {
  size_t pupil = 0;  // index into the drafts
  core::SessionKey slot;
  AttendanceCode code = AttendanceCode::kPresentAm;
  std::optional<int> arrival_minute;
  int64_t at = 0;
  bool by_office = false;
  std::string reason;
};

// An entry of the office's contact log, planned with the marks it explains.
struct PlannedContact {
  size_t pupil = 0;  // index into the drafts
  int64_t at = 0;
  store::ContactMethod method = store::ContactMethod::kCall;
  store::ContactOutcome outcome = store::ContactOutcome::kSpoke;
  std::string note;
};

struct MarkPlan {
  std::vector<PlannedWrite> writes;
  std::vector<PlannedContact> contacts;
  std::vector<int> unresolved_n;  // per pupil: N marks left for the office to resolve
  std::vector<int> possible;      // per pupil: possible sessions recorded
  std::vector<int> absent;        // per pupil: of which absent
};

// The open school days in order, for "n school days later".
class SchoolDayList {
 public:
  explicit SchoolDayList(const core::Calendar& calendar) : calendar_(calendar) {
    for (int32_t s = 0; s < calendar.SessionCount(); ++s) {
      const Date date = calendar.SessionAt(s).date;
      if (days_.empty() || days_.back() != date) {
        index_.emplace(date.days(), days_.size());
        days_.push_back(date);
      }
    }
  }
  // The school day `n` school days after `date` (a school day), if the calendar has one.
  std::optional<Date> After(Date date, int n) const {
    const auto it = index_.find(date.days());
    if (it == index_.end() || it->second + static_cast<size_t>(n) >= days_.size()) {
      return std::nullopt;
    }
    return days_[it->second + static_cast<size_t>(n)];
  }
  // School days after `from`, up to and including `to`.
  int Between(Date from, Date to) const { return calendar_.SchoolDaysBetween(from, to); }

 private:
  const core::Calendar& calendar_;
  std::vector<Date> days_;
  std::map<int32_t, size_t> index_;
};

struct Resolution {
  std::optional<Date> date;  // nullopt: never (beyond the calendar, or not followed up)
  int minute = 0;
  std::string reason;
  AttendanceCode code = AttendanceCode::kNoReasonYet;
  std::optional<int> arrival_minute;
};

class MarkPlanner {
 public:
  MarkPlanner(const core::Calendar& calendar, Date today, const LocalTime& time, uint64_t seed)
      : days_(calendar), today_(today), time_(time), seed_(seed) {}

  // Plans the writes of one mark whose code in synth's registers is `code`.
  // `rng` is the pupil's own stream, drawn from in session order.
  void Plan(size_t pupil, const Draft& draft, core::SessionKey slot, AttendanceCode code,
            synth::Rng& rng, MarkPlan& plan) const {
    const bool am = slot.session == Session::kAm;
    const int start = am ? kAmStart : kPmStart;
    const int register_minute = am ? kAmRegisterMinute : kPmRegisterMinute;
    const int64_t register_at = time_.At(slot.date, register_minute);
    if (register_at > time_.now()) return;
    PlannedWrite teacher{.pupil = pupil,
                         .slot = slot,
                         .code = code,
                         .at = register_at,
                         .reason = std::string(kTeacherReason)};
    if (code == AttendanceCode::kLateBeforeClose) {
      teacher.arrival_minute = start + rng.Between(1, register_minute - start - 1);
    }
    // One draw per pupil and day, so that a morning and an afternoon absence
    // are explained together.
    synth::Rng day_rng(synth::StreamSeed(seed_ + static_cast<uint64_t>(slot.date.days()),
                                         kDemoDayStreamBase + pupil));
    const std::optional<Resolution> later = Resolve(draft, slot, code, start, day_rng, rng);
    const AttendanceCode final_code = later && later->date ? later->code : teacher.code;
    const core::StatCategory category = core::CategoryOf(final_code);
    if (core::IsPossible(final_code)) ++plan.possible[pupil];
    if (category == core::StatCategory::kAuthorised ||
        category == core::StatCategory::kUnauthorised) {
      ++plan.absent[pupil];
    }
    if (!later) {
      plan.writes.push_back(std::move(teacher));
      return;
    }
    // Absent at registration with no reason yet: N, until the office learns why.
    teacher.code = AttendanceCode::kNoReasonYet;
    plan.writes.push_back(std::move(teacher));
    if (am) PlanContacts(pupil, slot.date, *later, plan);
    // The office never amends a register before the teacher has saved it:
    // an afternoon's absences wait for the sitting after that register.
    const int64_t earliest = am ? register_at : time_.At(slot.date, kAfternoonSitting);
    const std::optional<int64_t> at =
        later->date
            ? std::optional<int64_t>(std::max(time_.At(*later->date, later->minute), earliest))
            : std::nullopt;
    if (!at || *at > time_.now()) {
      ++plan.unresolved_n[pupil];
      return;
    }
    plan.writes.push_back({.pupil = pupil,
                           .slot = slot,
                           .code = later->code,
                           .arrival_minute = later->arrival_minute,
                           .at = *at,
                           .by_office = true,
                           .reason = later->reason});
  }

 private:
  // The office's contact log for a morning's unexplained absence, as the
  // first-day calling routine would leave it: the parent rang in or emailed;
  // or the office rang (no answer), then heard back, wrote, or, for a child
  // missing education, rang again and visited.
  void PlanContacts(size_t pupil, Date day, const Resolution& later, MarkPlan& plan) const {
    using store::ContactMethod;
    using store::ContactOutcome;
    auto add = [&](std::optional<Date> date, int minute, ContactMethod method,
                   ContactOutcome outcome, std::string note) {
      if (!date) return;
      const int64_t at = time_.At(*date, minute);
      if (at > time_.now()) return;
      plan.contacts.push_back({pupil, at, method, outcome, std::move(note)});
    };
    const std::string& why = later.reason;
    if (why.starts_with("Parent phoned:") || why.starts_with("Parent told the office")) {
      add(day, kFirstSitting - 5, ContactMethod::kCall, ContactOutcome::kSpoke,
          "Parent rang the office: " + why.substr(why.find(':') + 2));
      return;
    }
    if (why.starts_with("Parent emailed")) {
      add(day, kMidMorningSitting - 10, ContactMethod::kEmail, ContactOutcome::kSent,
          "Parent's email: " + why.substr(why.find(':') + 2));
      return;
    }
    if (why.starts_with("Term-time holiday") || why.starts_with("Note from parent") ||
        why.starts_with("Appointment card") || why.starts_with("Arrived at")) {
      return;  // known from a note, a card or the signing-in book
    }
    // The office rang the first contact that morning and got no answer.
    add(day, kFirstSitting, ContactMethod::kCall, ContactOutcome::kNoAnswer,
        "First-day call about the unexplained absence");
    if (!later.date) return;  // still open
    if (why.starts_with("Parent phoned back")) {
      add(later.date, later.minute - 5, ContactMethod::kCall, ContactOutcome::kSpoke,
          "Parent phoned back: " + why.substr(why.find(':') + 2));
    } else if (why.starts_with("No contact after 5 school days")) {
      add(days_.After(day, 1), kFirstSitting, ContactMethod::kCall, ContactOutcome::kNoAnswer,
          "Second day: rang both contacts, no answer; emailed");
      add(days_.After(day, 3), kAfternoonSitting, ContactMethod::kHomeVisit,
          ContactOutcome::kNotSeen,
          "Home visit with the DSL: no one home, card left. DSL informed");
    } else {
      add(later.date, later.minute, ContactMethod::kLetter, ContactOutcome::kSent,
          "Letter: no reason given for the absence, so it is recorded as unauthorised");
    }
  }

  // How and when the office learns the reason for an absence that the
  // teacher records as N; nullopt for a code the teacher records directly
  // (present, late before close, and absence known in advance: trips, leave
  // granted, suspensions, part-time timetables). Choices come from
  // `day_rng`; arrival times from `rng`.
  std::optional<Resolution> Resolve(const Draft& draft, core::SessionKey slot, AttendanceCode code,
                                    int session_start, synth::Rng& day_rng, synth::Rng& rng) const {
    const Date day = slot.date;
    const auto when = [&](std::optional<Date> date, int minute, std::string reason,
                          AttendanceCode final_code) {
      return Resolution{
          .date = date, .minute = minute, .reason = std::move(reason), .code = final_code};
    };
    const double draw = day_rng.Uniform();
    switch (code) {
      case AttendanceCode::kIllness:
        if (draw < 0.15) return std::nullopt;  // the parent rang before the register
        if (draw < 0.7) return when(day, kFirstSitting, "Parent phoned: illness", code);
        if (draw < 0.9) return when(day, kMidMorningSitting, "Parent emailed: illness", code);
        return when(days_.After(day, 1), kFirstSitting, "Note from parent on return: illness",
                    code);
      case AttendanceCode::kMedical:
        if (draw < 0.5) {
          return when(day, kMidMorningSitting, "Parent told the office: medical appointment", code);
        }
        return when(days_.After(day, 1), kFirstSitting,
                    "Appointment card seen: medical appointment", code);
      case AttendanceCode::kHolidayNotGranted:
        return when(days_.After(day, 2), kLunchtimeSitting,
                    "Term-time holiday: leave not requested, so not authorised", code);
      case AttendanceCode::kOtherUnauthorised:
        if (draw < 0.5) {
          return when(days_.After(day, 1), kLunchtimeSitting, NotAccepted(day_rng), code);
        }
        if (draw < 0.85) {
          return when(days_.After(day, 3), kLastSitting, "No reason given after 3 school days",
                      code);
        }
        return when(days_.After(day, 5), kLastSitting, "No reason given after 5 school days", code);
      case AttendanceCode::kLateAfterClose: {
        // Absent when the register was taken; the office records the arrival.
        const int arrival = session_start + kRegisterCloseMinutes + rng.Between(1, 75);
        Resolution r = when(day, arrival + 3,
                            fmt::format("Arrived at {}, after the register closed: signed in "
                                        "at the office",
                                        ClockText(arrival)),
                            code);
        r.arrival_minute = arrival;
        return r;
      }
      case AttendanceCode::kNoReasonYet:
        return ResolveUnexplained(draft, day, draw, day_rng);
      default:
        return std::nullopt;
    }
  }

  // Synth's N marks: a child missing education, the last few days'
  // unexplained absence, and the odd older N never followed up.
  std::optional<Resolution> ResolveUnexplained(const Draft& draft, Date day, double draw,
                                               synth::Rng& day_rng) const {
    Resolution r;
    if (draft.pattern == synth::PupilPattern::kMissingEducation) {
      // No contact, so unauthorised after five school days while the CME
      // enquiries go on.
      r.date = days_.After(day, 5);
      r.minute = kLastSitting;
      r.reason = "No contact after 5 school days: CME enquiries under way";
      r.code = AttendanceCode::kOtherUnauthorised;
      return r;
    }
    if (days_.Between(day, today_) >= 3) return r;  // overdue: never followed up
    // The office chases the last few days' absences; some are still open.
    if (draw < 0.4) {
      r.date = day;
      r.minute = kMidMorningSitting;
      r.reason = "Parent phoned back: illness";
      r.code = AttendanceCode::kIllness;
    } else if (draw < 0.65) {
      r.date = days_.After(day, 1);
      r.minute = kFirstSitting;
      r.reason = "Parent phoned back: illness";
      r.code = AttendanceCode::kIllness;
    } else if (draw < 0.8) {
      r.date = days_.After(day, 1);
      r.minute = kLunchtimeSitting;
      r.reason = NotAccepted(day_rng);
      r.code = AttendanceCode::kOtherUnauthorised;
    }
    return r;
  }

  SchoolDayList days_;
  Date today_;
  LocalTime time_;
  uint64_t seed_;
};

MarkPlan PlanMarks(const synth::SynthSchool& school, const std::vector<Draft>& drafts, Date today,
                   int minute_of_day, const LocalTime& time, uint64_t seed) {
  const core::Calendar& calendar = school.scenario.calendar;
  const MarkPlanner planner(calendar, today, time, seed);
  MarkPlan plan;
  plan.unresolved_n.assign(drafts.size(), 0);
  plan.possible.assign(drafts.size(), 0);
  plan.absent.assign(drafts.size(), 0);
  // A register is recorded once it has closed: every session before today,
  // and today's sessions whose close time has passed.
  const auto recorded = [&](core::SessionKey slot) {
    if (slot.date != today) return slot.date < today;
    const int start = slot.session == Session::kAm ? kAmStart : kPmStart;
    return minute_of_day >= start + kRegisterCloseMinutes;
  };
  // Synth's explicit nulls: a register not taken. Only the odd pupil's
  // session is kept unmarked; synth's whole-form gap on the last school
  // afternoon does not match the demo's classes, so those pupils are marked
  // present.
  const int32_t last_session = calendar.FirstSessionOnOrAfter(today.AddDays(1)) - 1;
  const bool any_school_day = last_session >= 0;
  const Date last_school_day = any_school_day ? calendar.SessionAt(last_session).date : Date();
  constexpr uint8_t kFree = 0;
  constexpr uint8_t kUnmarked = 255;
  std::vector<uint8_t> cells(static_cast<size_t>(calendar.SessionCount()));
  for (size_t idx = 0; idx < drafts.size(); ++idx) {
    std::fill(cells.begin(), cells.end(), kFree);
    for (const core::RecordedMark& mark : school.scenario.marks[idx]) {
      if (const std::optional<int32_t> s = calendar.IndexOf(mark.slot)) {
        cells[static_cast<size_t>(*s)] = mark.code ? static_cast<uint8_t>(*mark.code) : kUnmarked;
      }
    }
    synth::Rng rng(synth::StreamSeed(seed, kDemoMarksStreamBase + idx));
    for (int32_t s = 0; s < calendar.SessionCount(); ++s) {
      const core::SessionKey slot = calendar.SessionAt(s);
      if (!recorded(slot)) break;
      if (!drafts[idx].record.OnRollOn(slot.date)) continue;
      const uint8_t cell = cells[static_cast<size_t>(s)];
      const bool whole_form_gap =
          any_school_day && slot.date == last_school_day && slot.session == Session::kPm;
      if (cell == kUnmarked && !whole_form_gap) continue;
      AttendanceCode code =
          slot.session == Session::kAm ? AttendanceCode::kPresentAm : AttendanceCode::kPresentPm;
      if (cell != kFree && cell != kUnmarked) code = *core::CodeFromStored(cell);
      planner.Plan(idx, drafts[idx], slot, code, rng, plan);
    }
  }
  return plan;
}

// ---------------------------------------------------------------------------
// Parents and contacts.

struct ParentChoice {
  std::vector<size_t> children;  // indexes into the drafts
};

double AbsenceRate(const MarkPlan& plan, size_t idx) {
  const int possible = plan.possible[idx];
  return possible == 0 ? 0.0 : static_cast<double>(plan.absent[idx]) / possible;
}

// parent1: a persistently absent child (about 10-25% absence) and a
// sibling with good attendance two or more years apart; parent2: a child
// with good attendance; parent3: a child with an N still to resolve.
std::array<ParentChoice, 3> ChooseParents(const std::vector<Draft>& drafts, const MarkPlan& plan) {
  std::vector<size_t> candidates;
  for (size_t idx = 0; idx < drafts.size(); ++idx) {
    const Draft& d = drafts[idx];
    if (d.on_roll_today && d.pattern != synth::PupilPattern::kMissingEducation &&
        plan.possible[idx] >= 20) {
      candidates.push_back(idx);
    }
  }
  std::array<ParentChoice, 3> parents;
  if (candidates.empty()) return parents;
  std::set<size_t> taken;
  const auto choose = [&](auto&& accept, auto&& better) -> std::optional<size_t> {
    std::optional<size_t> best;
    for (size_t idx : candidates) {
      if (taken.contains(idx) || !accept(idx)) continue;
      if (!best || better(idx, *best)) best = idx;
    }
    if (best) taken.insert(*best);
    return best;
  };
  const auto rate = [&](size_t idx) { return AbsenceRate(plan, idx); };
  const auto first_found = [](size_t, size_t) { return false; };
  // The most absent child at or below 25%: notable, but not a crisis.
  std::optional<size_t> notable =
      choose([&](size_t idx) { return rate(idx) >= 0.10 && rate(idx) <= 0.25; },
             [&](size_t a, size_t b) { return rate(a) > rate(b); });
  if (!notable) {
    notable =
        choose([](size_t) { return true; }, [&](size_t a, size_t b) { return rate(a) > rate(b); });
  }
  parents[0].children.push_back(*notable);
  const int notable_year = drafts[*notable].pupil.year_group;
  if (const std::optional<size_t> sibling = choose(
          [&](size_t idx) {
            return std::abs(drafts[idx].pupil.year_group - notable_year) >= 2 && rate(idx) < 0.04;
          },
          first_found)) {
    parents[0].children.push_back(*sibling);
  }
  if (const std::optional<size_t> child =
          choose([&](size_t idx) { return rate(idx) < 0.03; }, first_found)) {
    parents[1].children.push_back(*child);
  }
  std::optional<size_t> awaiting = choose(
      [&](size_t idx) { return plan.unresolved_n[idx] > 0 && rate(idx) < 0.15; }, first_found);
  if (!awaiting) awaiting = choose([](size_t) { return true; }, first_found);
  if (awaiting) parents[2].children.push_back(*awaiting);
  return parents;
}

store::Contact InventContact(int priority, std::string_view relationship,
                             std::string_view family_name, synth::Rng& rng) {
  std::string_view given;
  if (relationship == "Mother") {
    given = Pick(kMothersNames, rng);
  } else if (relationship == "Father") {
    given = Pick(kFathersNames, rng);
  } else {
    given = Pick(kGrandparentsNames, rng);
  }
  store::Contact contact;
  contact.priority = priority;
  contact.name = fmt::format("{} {}", given, family_name);
  contact.relationship = std::string(relationship);
  contact.phone = DramaPhone(rng);
  contact.email = fmt::format("{}.{}@example.org", EmailPart(given), EmailPart(family_name));
  return contact;
}

void InventContacts(Draft& draft, const synth::CohortFlags& flags, synth::Rng& rng) {
  const std::string& family = draft.pupil.legal_family_name;
  std::vector<store::Contact>& contacts = draft.pupil.contacts;
  if (flags.looked_after) {
    // Foster carers, who have their own family name.
    const std::string_view carers = Pick(kAdultFamilyNames, rng);
    contacts.push_back(InventContact(1, "Mother", carers, rng));
    contacts.push_back(InventContact(2, "Father", carers, rng));
    for (store::Contact& contact : contacts) contact.relationship = "Carer";
    return;
  }
  // Parents do not always share their child's family name.
  const auto surname = [&]() -> std::string_view {
    return rng.Chance(0.8) ? std::string_view(family) : Pick(kAdultFamilyNames, rng);
  };
  const bool mother_first = rng.Chance(0.75);
  contacts.push_back(InventContact(1, mother_first ? "Mother" : "Father", surname(), rng));
  const std::string_view second =
      rng.Chance(0.25) ? "Grandparent" : (mother_first ? "Father" : "Mother");
  contacts.push_back(InventContact(2, second, surname(), rng));
}

// ---------------------------------------------------------------------------
// Writing to the store.

core::Status WriteCalendar(store::Store& store, int year_start) {
  ASSIGN_OR_RETURN(const synth::AcademicYearDates dates, synth::AcademicYearCalendar(year_start));
  // Six half terms, named as schools name them.
  constexpr std::array<std::string_view, 6> kHalfTerms = {"Autumn 1", "Autumn 2", "Spring 1",
                                                          "Spring 2", "Summer 1", "Summer 2"};
  for (size_t idx = 0; idx < dates.terms.size() && idx < kHalfTerms.size(); ++idx) {
    store::Term term;
    term.name = fmt::format("{} {}", kHalfTerms[idx], dates.terms[idx].start.year());
    term.start = dates.terms[idx].start;
    term.end = dates.terms[idx].end;
    ASSIGN_OR_RETURN(const int64_t id, store.AddTerm(term));
    (void)id;
  }
  for (const core::Closure& closure : dates.closures) {
    const std::string reason =
        closure.reason == "INSET" ? "INSET day (staff training)" : closure.reason;
    RETURN_IF_ERROR(store.SetClosure({closure.date, closure.sessions, reason}));
  }
  return core::OkStatus();
}

// Two children who have stopped coming to school with no word from home:
// for the last 12 school days and the last 3 (today's registers too, once
// taken), so the demo has CME cases at two stages. Their marks in those days
// become the teacher's N, never resolved, with a daily unanswered call.
void MakeChildrenMissing(const core::Calendar& calendar, const std::vector<Draft>& drafts,
                         const std::array<ParentChoice, 3>& parents, Date today, int minute_of_day,
                         const LocalTime& time, MarkPlan& plan) {
  std::set<size_t> taken;
  for (const ParentChoice& p : parents) taken.insert(p.children.begin(), p.children.end());
  std::vector<size_t> chosen;
  for (size_t idx = 0; idx < drafts.size() && chosen.size() < 2; ++idx) {
    const Draft& d = drafts[idx];
    if (d.on_roll_today && d.pattern == synth::PupilPattern::kTypical && !taken.contains(idx) &&
        plan.possible[idx] >= 40 && plan.unresolved_n[idx] == 0 && idx % 97 == 13) {
      chosen.push_back(idx);
    }
  }
  const std::array<int, 2> school_days = {12, 3};
  for (size_t k = 0; k < chosen.size(); ++k) {
    const size_t idx = chosen[k];
    // The first day: school_days[k] school days before today.
    if (calendar.SessionCount() == 0) return;
    const Date first_day = calendar.SessionAt(0).date;
    Date from = today;
    for (int n = 0; n < school_days[k] && from > first_day;) {
      from = from.AddDays(-1);
      if (calendar.IsSchoolDay(from)) ++n;
    }
    std::erase_if(plan.writes,
                  [&](const PlannedWrite& w) { return w.pupil == idx && w.slot.date >= from; });
    for (int32_t i = calendar.FirstSessionOnOrAfter(from); i < calendar.SessionCount(); ++i) {
      const core::SessionKey slot = calendar.SessionAt(i);
      if (slot.date > today || !drafts[idx].record.OnRollOn(slot.date)) break;
      const bool am = slot.session == Session::kAm;
      const int register_minute = am ? kAmRegisterMinute : kPmRegisterMinute;
      if (slot.date == today && minute_of_day < register_minute) break;
      const int64_t at = time.At(slot.date, register_minute);
      plan.writes.push_back({.pupil = idx,
                             .slot = slot,
                             .code = AttendanceCode::kNoReasonYet,
                             .at = at,
                             .reason = std::string(kTeacherReason)});
      ++plan.unresolved_n[idx];
      if (am && time.At(slot.date, kFirstSitting) <= time.now()) {
        plan.contacts.push_back({idx, time.At(slot.date, kFirstSitting),
                                 store::ContactMethod::kCall, store::ContactOutcome::kNoAnswer,
                                 "Daily call about the unexplained absence"});
      }
    }
  }
}

// One pupil on a part-time timetable: mornings only, agreed the Friday
// before it started two weeks ago, for five weeks, with a review next week.
// Their afternoons since it started are C2 on the register.
struct PartTimePlan {
  size_t pupil = 0;  // index into the drafts
  store::PartTimeTimetable timetable;
};

std::optional<PartTimePlan> PutOnPartTime(const core::Calendar& calendar,
                                          const std::vector<Draft>& drafts,
                                          const std::array<ParentChoice, 3>& parents, Date today,
                                          int minute_of_day, const LocalTime& time,
                                          MarkPlan& plan) {
  if (calendar.SessionCount() == 0) return std::nullopt;
  const Date start = today.WeekStart().AddDays(-14);
  if (start <= calendar.SessionAt(0).date) return std::nullopt;
  std::set<size_t> taken;
  for (const ParentChoice& p : parents) taken.insert(p.children.begin(), p.children.end());
  std::optional<size_t> chosen;
  for (size_t idx = 0; idx < drafts.size() && !chosen; ++idx) {
    const Draft& d = drafts[idx];
    if (d.on_roll_today && d.record.OnRollOn(start) && d.pattern == synth::PupilPattern::kTypical &&
        !taken.contains(idx) && plan.unresolved_n[idx] == 0 && idx % 97 != 13 && idx % 89 == 7 &&
        core::OfCompulsorySchoolAge(d.pupil.date_of_birth, start)) {
      chosen = idx;
    }
  }
  if (!chosen) return std::nullopt;
  const size_t idx = *chosen;
  PartTimePlan out{idx,
                   {.agreed_on = start.AddDays(-3),
                    .agreed_with = drafts[idx].pupil.contacts.empty()
                                       ? std::string("Parent")
                                       : drafts[idx].pupil.contacts.front().name + " (" +
                                             drafts[idx].pupil.contacts.front().relationship + ")",
                    .start = start,
                    .end = start.AddDays(4 * 7 + 4),
                    .review_date = today.WeekStart().AddDays(10),
                    .reason = "Phased return after a long illness, on the paediatrician's advice",
                    .plan = "Mornings for three weeks, then two full days a week more; back to "
                            "full time after five weeks. School nurse check-in weekly.",
                    .at = time.At(start.AddDays(-3), kLastSitting)}};
  for (Weekday w : {Weekday::kMonday, Weekday::kTuesday, Weekday::kWednesday, Weekday::kThursday,
                    Weekday::kFriday}) {
    out.timetable.attends |= core::TimetablePattern::Bit(w, Session::kAm);
  }
  // The afternoons since it started: C2, recorded as the register is taken.
  std::erase_if(plan.writes, [&](const PlannedWrite& w) {
    return w.pupil == idx && w.slot.date >= start && w.slot.session == Session::kPm;
  });
  for (int32_t i = calendar.FirstSessionOnOrAfter(start); i < calendar.SessionCount(); ++i) {
    const core::SessionKey slot = calendar.SessionAt(i);
    if (slot.date > today) break;
    if (slot.session != Session::kPm) continue;
    if (slot.date == today && minute_of_day < kPmRegisterMinute) break;
    plan.writes.push_back(
        {.pupil = idx,
         .slot = slot,
         .code = core::OffTimetableCode(drafts[idx].pupil.date_of_birth, slot.date),
         .at = time.At(slot.date, kPmRegisterMinute),
         .reason = "Part-time timetable: not timetabled this session"});
  }
  std::stable_sort(plan.writes.begin(), plan.writes.end(),
                   [](const PlannedWrite& a, const PlannedWrite& b) { return a.at < b.at; });
  return out;
}

// Leave of absence at several stages. One pupil's leave request was refused
// and the family went anyway: Thursday and Friday of last week are N on the
// register (the office has still to confirm G). The rest are written by
// WriteLeave: parent1's child asks for next week, an appointment granted for
// Monday, a holiday refused and one withdrawn.
struct RefusedLeavePlan {
  size_t pupil = 0;
  core::SessionKey from, to;
};

std::optional<RefusedLeavePlan> PlanRefusedLeave(const core::Calendar& calendar,
                                                 const std::vector<Draft>& drafts,
                                                 const std::array<ParentChoice, 3>& parents,
                                                 Date today, const LocalTime& time,
                                                 MarkPlan& plan) {
  const Date thursday = today.WeekStart().AddDays(-4);
  const Date friday = thursday.AddDays(1);
  if (!calendar.IsSchoolDay(thursday) || !calendar.IsSchoolDay(friday)) return std::nullopt;
  std::set<size_t> taken;
  for (const ParentChoice& p : parents) taken.insert(p.children.begin(), p.children.end());
  for (size_t idx = 0; idx < drafts.size(); ++idx) {
    const Draft& d = drafts[idx];
    if (!d.on_roll_today || d.pattern != synth::PupilPattern::kTypical || taken.contains(idx) ||
        idx % 97 == 13 || idx % 89 == 7 || idx % 83 != 11 || !d.record.OnRollOn(thursday)) {
      continue;
    }
    std::erase_if(plan.writes, [&](const PlannedWrite& w) {
      return w.pupil == idx && (w.slot.date == thursday || w.slot.date == friday);
    });
    for (Date day : {thursday, friday}) {
      for (Session s : {Session::kAm, Session::kPm}) {
        plan.writes.push_back(
            {.pupil = idx,
             .slot = {day, s},
             .code = AttendanceCode::kNoReasonYet,
             .at = time.At(day, s == Session::kAm ? kAmRegisterMinute : kPmRegisterMinute),
             .reason = std::string(kTeacherReason)});
      }
    }
    return RefusedLeavePlan{idx, {thursday, Session::kAm}, {friday, Session::kPm}};
  }
  return std::nullopt;
}

// Siblings share a family name; every pupil gets two contacts.
void SetUpFamilies(const synth::SynthSchool& school, const std::array<ParentChoice, 3>& parents,
                   uint64_t seed, std::vector<Draft>& drafts) {
  if (parents[0].children.size() == 2) {
    Draft& sibling = drafts[parents[0].children[1]];
    sibling.pupil.legal_family_name = drafts[parents[0].children[0]].pupil.legal_family_name;
    sibling.pupil.preferred_family_name.clear();
  }
  for (size_t idx = 0; idx < drafts.size(); ++idx) {
    synth::Rng rng(synth::StreamSeed(seed, kDemoContactsStreamBase + idx));
    InventContacts(drafts[idx], school.pupils[idx].flags, rng);
  }
}

// Settings and calendar, as the school set them up before term began.
core::Status WriteSettingsAndCalendar(store::Store& store, int year_start, const LocalTime& time) {
  ASSIGN_OR_RETURN(const synth::AcademicYearDates year_dates,
                   synth::AcademicYearCalendar(year_start));
  store::Settings settings;
  settings.am_start_minute = kAmStart;
  settings.pm_start_minute = kPmStart;
  settings.register_close_minutes = kRegisterCloseMinutes;
  settings.policy_json = "{}";
  settings.target_attendance_pct = "96";
  settings.set_at = std::min(time.now(), time.At(year_dates.terms.front().start, 8 * 60));
  settings.set_by = "Demo setup";
  ASSIGN_OR_RETURN(const int64_t version, store.SaveSettings(settings));
  (void)version;
  return WriteCalendar(store, year_start);
}

// Store ids of the classes and accounts.
struct Staff {
  std::array<int64_t, kClasses> class_ids{};
  std::array<int64_t, kAccounts.size()> user_ids{};
  std::array<size_t, kClasses> class_teacher_account{};  // index into kAccounts
};

// The classes, then every account (teachers with their class, parents named
// after their children), then each class's teacher.
core::StatusOr<Staff> WriteClassesAndAccounts(store::Store& store,
                                              const std::array<ParentChoice, 3>& parents,
                                              const std::vector<Draft>& drafts,
                                              const DemoOptions& options) {
  Staff staff;
  for (int c = 0; c < kClasses; ++c) {
    store::Class cls;
    cls.name = ClassName(c);
    cls.year_group = c / 2;
    ASSIGN_OR_RETURN(staff.class_ids[static_cast<size_t>(c)], store.AddClass(cls));
  }
  std::array<int64_t, kClasses> class_teacher{};  // user id per class
  for (size_t a = 0; a < kAccounts.size(); ++a) {
    const AccountSpec& spec = kAccounts[a];
    store::User user;
    user.username = std::string(spec.username);
    user.display_name = std::string(spec.display_name);
    user.role = spec.role;
    if (spec.role == store::Role::kLaOfficer) user.la_code = std::string(kLaCode);
    std::optional<size_t> class_index;
    for (int c = 0; c < kClasses; ++c) {
      if (!spec.class_name.empty() && ClassName(c) == spec.class_name) {
        class_index = static_cast<size_t>(c);
      }
    }
    if (class_index) user.class_ids = {staff.class_ids[*class_index]};
    if (spec.role == store::Role::kParent) {
      const auto p = static_cast<size_t>(
          std::find(kParentAccounts.begin(), kParentAccounts.end(), a) - kParentAccounts.begin());
      const std::string family = parents[p].children.empty()
                                     ? std::string("Smith")
                                     : drafts[parents[p].children.front()].pupil.legal_family_name;
      user.display_name = fmt::format("{} {} (parent)", spec.display_name, family);
    }
    ASSIGN_OR_RETURN(user.password_hash,
                     service::HashPassword(kDemoPassword, options.fast_hashing
                                                              ? service::HashCost::kTestOnly
                                                              : service::HashCost::kInteractive));
    ASSIGN_OR_RETURN(staff.user_ids[a], store.AddUser(user));
    if (class_index) {
      class_teacher[*class_index] = staff.user_ids[a];
      staff.class_teacher_account[*class_index] = a;
    }
  }
  for (size_t c = 0; c < class_teacher.size(); ++c) {
    if (class_teacher[c] != 0) {
      RETURN_IF_ERROR(store.SetClassTeachers(staff.class_ids[c], {class_teacher[c]}));
    }
  }
  return staff;
}

// The pupils, each parent account as its children's first contact, and the
// parents' links to their children.
core::Status WritePupils(store::Store& store, const Staff& staff,
                         const std::array<ParentChoice, 3>& parents, std::vector<Draft>& drafts) {
  for (size_t p = 0; p < parents.size(); ++p) {
    const std::string_view title_and_given = kAccounts[kParentAccounts[p]].display_name;
    const std::string_view given = title_and_given.substr(title_and_given.find(' ') + 1);
    for (size_t child : parents[p].children) {
      store::Pupil& pupil = drafts[child].pupil;
      store::Contact& first = pupil.contacts.front();
      first.name = fmt::format("{} {}", given, pupil.legal_family_name);
      first.relationship = title_and_given.starts_with("Mr ") ? "Father" : "Mother";
      first.email =
          fmt::format("{}.{}@example.org", EmailPart(given), EmailPart(pupil.legal_family_name));
      first.user_id = staff.user_ids[kParentAccounts[p]];
    }
    // Siblings: the same two adults for both.
    for (size_t k = 1; k < parents[p].children.size(); ++k) {
      drafts[parents[p].children[k]].pupil.contacts =
          drafts[parents[p].children.front()].pupil.contacts;
    }
  }
  for (Draft& draft : drafts) {
    draft.pupil.class_id = staff.class_ids[static_cast<size_t>(draft.class_index)];
    ASSIGN_OR_RETURN(draft.id, store.AddPupil(draft.pupil));
  }
  for (size_t p = 0; p < parents.size(); ++p) {
    ASSIGN_OR_RETURN(store::User parent, store.GetUser(staff.user_ids[kParentAccounts[p]]));
    for (size_t child : parents[p].children) parent.pupil_ids.push_back(drafts[child].id);
    RETURN_IF_ERROR(store.UpdateUser(parent));
  }
  return core::OkStatus();
}

// Registers and amendments in time order: one save per register (a class's
// session) and per office sitting, each stamped with its writer.
core::Status WriteMarks(store::Store& store, const MarkPlan& plan, const Staff& staff,
                        const std::vector<Draft>& drafts) {
  std::map<std::pair<int64_t, size_t>, std::vector<store::MarkWrite>> batches;
  for (const PlannedWrite& w : plan.writes) {
    const size_t account =
        w.by_office ? kOfficeAccount
                    : staff.class_teacher_account[static_cast<size_t>(drafts[w.pupil].class_index)];
    batches[{w.at, account}].push_back({.pupil_id = drafts[w.pupil].id,
                                        .slot = w.slot,
                                        .code = w.code,
                                        .arrival_minute = w.arrival_minute,
                                        .reason = w.reason});
  }
  for (const auto& [key, writes] : batches) {
    const auto& [at, account] = key;
    const store::Actor actor{.user_id = staff.user_ids[account],
                             .name = std::string(kAccounts[account].display_name),
                             .role = kAccounts[account].role};
    ASSIGN_OR_RETURN(const store::SaveMarksResult saved, store.SaveMarks(writes, actor, at));
    (void)saved;
  }
  return core::OkStatus();
}

// The office's contact log, in time order, with the first contact's name;
// then, a week ago, an attendance-concern letter for each persistently absent
// pupil, and for parent1's child a message on the parents' page.
core::Status WriteContacts(store::Store& store, const MarkPlan& plan, const Staff& staff,
                           const std::vector<Draft>& drafts,
                           const std::array<ParentChoice, 3>& parents, Date today,
                           const LocalTime& time) {
  std::vector<PlannedContact> contacts = plan.contacts;
  // A week ago, at the end of that (week)day.
  Date week_ago_day = today.AddDays(-7);
  while (week_ago_day.IsWeekend()) week_ago_day = week_ago_day.AddDays(-1);
  const int64_t week_ago = time.At(week_ago_day, kLastSitting);
  for (size_t child : parents[0].children) {
    if (AbsenceRate(plan, child) < 0.1) continue;
    contacts.push_back(
        {child, week_ago + 3600, store::ContactMethod::kMessage, store::ContactOutcome::kSent,
         fmt::format("We are worried about {}'s attendance this term and would like to help. "
                     "Please ring the office to arrange a meeting with Mrs Okafor.",
                     drafts[child].pupil.legal_given_name)});
  }
  std::stable_sort(contacts.begin(), contacts.end(),
                   [](const PlannedContact& a, const PlannedContact& b) { return a.at < b.at; });
  const AccountSpec& office = kAccounts[kOfficeAccount];
  for (const PlannedContact& c : contacts) {
    const store::Pupil& pupil = drafts[c.pupil].pupil;
    store::ContactLogEntry e;
    e.pupil_id = drafts[c.pupil].id;
    e.at = c.at;
    e.method = c.method;
    e.outcome = c.outcome;
    e.note = c.note;
    if (!pupil.contacts.empty()) {
      e.contact_name =
          fmt::format("{} ({})", pupil.contacts.front().name, pupil.contacts.front().relationship);
    }
    e.by_user_id = staff.user_ids[kOfficeAccount];
    e.by_name = std::string(office.display_name);
    e.by_role = office.role;
    ASSIGN_OR_RETURN(const int64_t id, store.AddContactLogEntry(e));
    (void)id;
  }
  return core::OkStatus();
}

core::Status WriteLeave(store::Store& store, const core::Calendar& calendar,
                        const std::vector<Draft>& drafts,
                        const std::array<ParentChoice, 3>& parents, const Staff& staff,
                        const std::optional<RefusedLeavePlan>& refused, Date today,
                        const LocalTime& time, const std::string& school_name) {
  const size_t head = AccountIndex("head");
  const auto weekday = [](Date d) {
    while (d.IsWeekend()) d = d.AddDays(1);
    return d;
  };
  struct Planned {
    size_t pupil;
    core::SessionKey from, to;
    AttendanceCode code;
    std::string reason, evidence;
    Date received;
    size_t by;  // account
    std::string decision, decision_reason;
  };
  std::vector<Planned> planned;
  const Date next_monday = today.WeekStart().AddDays(7);
  if (!parents[0].children.empty()) {
    planned.push_back({parents[0].children.front(),
                       {next_monday, Session::kAm},
                       {next_monday.AddDays(2), Session::kPm},
                       AttendanceCode::kExceptional,
                       "Grandfather's 80th birthday in Lahore; the family has not met since 2019",
                       "",
                       weekday(today.AddDays(-1)) > today ? today : today.AddDays(-1),
                       kParentAccounts[0],
                       "",
                       ""});
  }
  std::set<size_t> used;
  for (const ParentChoice& p : parents) used.insert(p.children.begin(), p.children.end());
  if (refused) used.insert(refused->pupil);
  std::vector<size_t> others;
  for (size_t idx = 0; idx < drafts.size() && others.size() < 3; ++idx) {
    if (drafts[idx].on_roll_today && !used.contains(idx) && idx % 71 == 5) others.push_back(idx);
  }
  if (others.size() == 3) {
    planned.push_back({others[0],
                       {next_monday, Session::kAm},
                       {next_monday, Session::kAm},
                       AttendanceCode::kMedical,
                       "Orthodontist at the Royal Infirmary",
                       "Appointment letter",
                       today.AddDays(-6),
                       kOfficeAccount,
                       "granted",
                       "an appointment that cannot be made out of school hours"});
    planned.push_back({others[1],
                       {weekday(today.AddDays(14)), Session::kAm},
                       {weekday(today.AddDays(14)).AddDays(2), Session::kPm},
                       AttendanceCode::kExceptional,
                       "Family holiday: flights are half the price before the school holidays",
                       "",
                       today.AddDays(-8),
                       kOfficeAccount,
                       "refused",
                       "a holiday is not an exceptional circumstance"});
    planned.push_back({others[2],
                       {weekday(today.AddDays(9)), Session::kPm},
                       {weekday(today.AddDays(9)), Session::kPm},
                       AttendanceCode::kMedical,
                       "Hospital follow-up",
                       "",
                       today.AddDays(-5),
                       kOfficeAccount,
                       "withdrawn",
                       ""});
  }
  if (refused) {
    planned.push_back({refused->pupil, refused->from, refused->to, AttendanceCode::kExceptional,
                       "Long weekend in Spain", "", refused->from.date.AddDays(-20), kOfficeAccount,
                       "refused", "a holiday in term time is not an exceptional circumstance"});
  }
  for (const Planned& p : planned) {
    const Date received = p.received > today ? today : p.received;
    store::LeaveRequest request{.pupil_id = drafts[p.pupil].id,
                                .from = p.from,
                                .to = p.to,
                                .code = p.code,
                                .reason = p.reason,
                                .evidence = p.evidence,
                                .received_on = received,
                                .at = std::min(time.At(received, kFirstSitting), time.now()),
                                .by_user_id = staff.user_ids[p.by],
                                .by_name = std::string(kAccounts[p.by].display_name),
                                .by_role = kAccounts[p.by].role};
    ASSIGN_OR_RETURN(request.id, store.AddLeaveRequest(request));
    const int64_t id = request.id;
    if (p.decision.empty()) continue;
    const Date decided = std::min(today, received.AddDays(2));
    const size_t account = p.decision == "withdrawn" ? kOfficeAccount : head;
    std::optional<store::Letter> letter;
    if (p.decision != "withdrawn") {
      // The letter the head's decision sends in the application itself.
      letter = service::LeaveLetter(
          school_name, std::string(kAccounts[head].display_name), drafts[p.pupil].pupil, request,
          core::LeaveSessions(calendar, p.from, p.to).size(), p.decision, p.decision_reason);
      letter->at = std::min(time.At(decided, kLastSitting), time.now());
      letter->by_user_id = staff.user_ids[head];
      letter->by_name = std::string(kAccounts[head].display_name);
      letter->by_role = kAccounts[head].role;
    }
    RETURN_IF_ERROR(store
                        .DecideLeave({.request_id = id,
                                      .decision = p.decision,
                                      .reason = p.decision_reason,
                                      .at = std::min(time.At(decided, kLastSitting), time.now()),
                                      .by_user_id = staff.user_ids[account],
                                      .by_name = std::string(kAccounts[account].display_name),
                                      .by_role = kAccounts[account].role},
                                     letter)
                        .status());
  }
  return core::OkStatus();
}

// A week ago, the office sent an attendance-concern letter to each
// persistently absent pupil's family: one batch, each letter quoting the
// pupil's figures as the registers stood then, counted by the rules core.
core::Status WriteLetters(store::Store& store, const core::Scenario& scenario, const MarkPlan& plan,
                          const Staff& staff, const std::vector<Draft>& drafts, Date today,
                          const LocalTime& time, const std::string& school_name) {
  Date day = today.AddDays(-7);
  while (day.IsWeekend()) day = day.AddDays(-1);
  const int64_t at = time.At(day, kLastSitting);
  const Date year_start = day.AcademicYearStart();
  // The registers as they stood at `at`: the last write of each slot by then.
  std::vector<std::map<core::SessionKey, AttendanceCode>> marks(drafts.size());
  for (const PlannedWrite& w : plan.writes) {
    if (w.at <= at) marks[w.pupil][w.slot] = w.code;
  }
  const AccountSpec& office = kAccounts[kOfficeAccount];
  std::vector<store::Letter> batch;
  for (size_t idx = 0; idx < drafts.size(); ++idx) {
    if (plan.possible[idx] < 40 || AbsenceRate(plan, idx) < 0.1) continue;
    std::vector<core::RecordedMark> recorded;
    for (const auto& [slot, code] : marks[idx]) recorded.push_back({slot, code});
    const std::vector<core::PupilSession> sessions = core::BuildPupilSessions(
        scenario.calendar, drafts[idx].record, recorded, scenario.default_mark, day);
    const core::SessionCounts c =
        core::CountSessions(scenario.calendar, sessions, {year_start, day});
    const std::optional<double> pct = core::Percent(c.attended, c.possible);
    if (!pct || *pct >= 96) continue;
    const store::Pupil& p = drafts[idx].pupil;
    letters::Facts f;
    f.school_name = school_name;
    f.signatory = std::string(kAccounts[AccountIndex("head")].display_name);
    f.addressee = p.contacts.empty() ? std::string("Parent or carer") : p.contacts.front().name;
    f.pupil_name = p.legal_given_name + " " + p.legal_family_name;
    f.period = "this school year";
    f.attendance_pct = fmt::format("{:.1f}", *pct);
    f.target_pct = "96";
    f.possible = c.possible;
    f.absent = c.absence;
    f.authorised = c.authorised;
    f.unauthorised = c.unauthorised;
    const letters::Text text = letters::Compose(letters::Template::kAttendanceConcern, f);
    batch.push_back(
        {.pupil_id = drafts[idx].id,
         .template_key = "attendance_concern",
         .addressee = f.addressee,
         .subject = text.subject,
         .body = letters::JoinParagraphs(text.paragraphs),
         .figures_json = fmt::format(
             R"({{"as_of":"{}","attendance_pct":"{}","possible":{},"absent":{},)"
             R"("authorised":{},"unauthorised":{},"target_pct":"96"}})",
             day.ToString(), f.attendance_pct, c.possible, c.absence, c.authorised, c.unauthorised),
         .at = at,
         .by_user_id = staff.user_ids[kOfficeAccount],
         .by_name = std::string(office.display_name),
         .by_role = office.role});
  }
  if (batch.empty()) return core::OkStatus();
  return store.AddLetters(batch).status();
}

// A CME case for each pupil on roll whose unexplained absence runs to now, as
// the service opens it, with the steps the office and the head (as DSL)
// carried out on their due dates: all but the deletion review, and in a case
// of five school days or fewer, telling the DSL, which Today shows overdue.
core::Status WriteCmeCases(store::Store& store, const core::Calendar& calendar,
                           const std::vector<Draft>& drafts, const Staff& staff, Date today,
                           const LocalTime& time) {
  constexpr std::array<std::string_view, 7> kNotes = {
      "Rang both contacts each day and emailed; no reply",
      "No siblings on roll; the family's other school has not seen them either",
      "Safeguarding concern logged; DSL and head told",
      "Home visit with the DSL: no one home, letter hand-delivered; neighbours say the family "
      "may have gone abroad",
      "Reasonable-enquiries form sent to the LA CME officer",
      "10 continuous school days of unauthorised absence reported to the LA",
      ""};
  for (const Draft& d : drafts) {
    if (!d.on_roll_today) continue;
    ASSIGN_OR_RETURN(const std::vector<store::Mark> stored, store.MarksForPupil(d.id));
    std::vector<core::RecordedMark> marks;
    for (const store::Mark& m : stored) marks.push_back({m.slot, m.code});
    const std::vector<core::PupilSession> sessions =
        core::BuildPupilSessions(calendar, d.record, marks, {}, today);
    const std::optional<core::UnexplainedRun> run = core::CurrentUnexplainedRun(calendar, sessions);
    if (!run || run->sessions < 2) continue;
    // Opened when the register of the run's second session was taken.
    const core::SessionKey second = calendar.SessionAt(std::min(run->first + 1, run->last));
    const int64_t opened_at = std::min(
        time.now(), time.At(second.date, second.session == Session::kAm ? kAmRegisterMinute
                                                                        : kPmRegisterMinute));
    ASSIGN_OR_RETURN(
        const int64_t id,
        store.OpenCmeCase({.pupil_id = d.id, .first_day = run->first_day, .opened_at = opened_at}));
    const int day = core::ProtocolDay(calendar, run->first_day, today);
    for (const core::CmeStepInfo& info : core::CmeSteps()) {
      if (info.step == core::CmeStep::kDeletionReview || info.due_day > day) continue;
      // In the newest case the DSL has not yet been told: Today escalates it.
      if (day <= 5 && info.step == core::CmeStep::kNotifyDsl) continue;
      const std::optional<Date> due = core::SchoolDayNumber(calendar, run->first_day, info.due_day);
      if (!due || time.At(*due, kLunchtimeSitting) > time.now()) continue;
      const bool dsl = info.step == core::CmeStep::kHomeVisit;
      const size_t account = dsl ? AccountIndex("head") : kOfficeAccount;
      RETURN_IF_ERROR(
          store
              .RecordCmeStep({.case_id = id,
                              .step = info.step,
                              .done_at = time.At(*due, kLunchtimeSitting),
                              .by_user_id = staff.user_ids[account],
                              .by_name = std::string(kAccounts[account].display_name),
                              .by_role = kAccounts[account].role,
                              .note = std::string(
                                  kNotes[static_cast<size_t>(static_cast<int>(info.step) - 1)])})
              .status());
    }
  }
  return core::OkStatus();
}

// The graduated approach for two persistently absent pupils: parent1's child
// is at "listen and understand" with an action plan whose review is due in a
// few days; another pupil's plan was reviewed a week ago, not improved, and
// the head moved them to "facilitate support".
core::Status WriteSupport(store::Store& store, const core::Calendar& calendar,
                          const std::vector<Draft>& drafts, const MarkPlan& plan,
                          const std::array<ParentChoice, 3>& parents, const Staff& staff,
                          Date today, const LocalTime& time) {
  if (calendar.SessionCount() == 0) return core::OkStatus();
  const auto weekday_before = [&](int days) {
    Date d = today.AddDays(-days);
    while (d.IsWeekend()) d = d.AddDays(-1);
    return d;
  };
  if (weekday_before(35) < calendar.SessionAt(0).date) return core::OkStatus();  // too early
  std::vector<size_t> pa;
  for (size_t child : parents[0].children) {
    if (AbsenceRate(plan, child) >= 0.1) pa.push_back(child);
  }
  for (size_t idx = 0; idx < drafts.size() && pa.size() < 2; ++idx) {
    if (drafts[idx].on_roll_today && plan.possible[idx] >= 60 && AbsenceRate(plan, idx) >= 0.12 &&
        std::find(pa.begin(), pa.end(), idx) == pa.end()) {
      pa.push_back(idx);
    }
  }
  const size_t head = AccountIndex("head");
  const auto by = [&](size_t account) {
    return std::make_tuple(staff.user_ids[account], std::string(kAccounts[account].display_name),
                           kAccounts[account].role);
  };
  for (size_t k = 0; k < pa.size(); ++k) {
    const Draft& d = drafts[pa[k]];
    const std::string given = d.pupil.legal_given_name;
    const auto stage = [&](core::SupportStage st, Date day, std::string reason, size_t account) {
      const auto [id, name, role] = by(account);
      return store
          .AddStageRecord({.pupil_id = d.id,
                           .stage = st,
                           .at = time.At(day, kLastSitting),
                           .reason = std::move(reason),
                           .by_user_id = id,
                           .by_name = name,
                           .by_role = role})
          .status();
    };
    const auto event = [&](store::SupportEvent e, size_t account) -> core::StatusOr<int64_t> {
      const auto [id, name, role] = by(account);
      e.pupil_id = d.id;
      e.at = time.At(e.held_on, kLastSitting);
      e.by_user_id = id;
      e.by_name = name;
      e.by_role = role;
      return store.AddSupportEvent(e);
    };
    const Date monitor = weekday_before(k == 0 ? 28 : 35);
    const Date panel = weekday_before(k == 0 ? 21 : 28);
    RETURN_IF_ERROR(stage(core::SupportStage::kMonitor, monitor,
                          "Attendance below 90% this half-term: first-day calls and a letter",
                          kOfficeAccount));
    RETURN_IF_ERROR(
        event({.kind = store::SupportKind::kPanelMeeting,
               .held_on = panel,
               .attendees = "Mrs Okafor (head), Mr Ashworth (link governor), " +
                            d.pupil.contacts.front().name,
               .notes = fmt::format("{}'s mornings are difficult: a younger sibling is often ill "
                                    "and {} is kept at home",
                                    given, given)},
              head)
            .status());
    RETURN_IF_ERROR(stage(core::SupportStage::kListen, panel,
                          "Panel: barriers understood, support agreed with the family", head));
    ASSIGN_OR_RETURN(
        const int64_t plan_id,
        event({.kind = store::SupportKind::kActionPlan,
               .held_on = panel,
               .notes = "Signed by the parent at the panel",
               .targets = "At least 95% attendance until the review; in school by 08:50",
               .support_offered = "Breakfast club place; a call from the office each morning of "
                                  "absence; early-help referral offered",
               .review_date = k == 0 ? today.AddDays(3) : weekday_before(7)},
              head));
    if (k == 0) continue;
    // The second pupil's plan was reviewed a week ago: not improved.
    const Date reviewed = weekday_before(7);
    ASSIGN_OR_RETURN(const std::vector<store::Mark> stored, store.MarksForPupil(d.id));
    std::vector<core::RecordedMark> marks;
    for (const store::Mark& m : stored) marks.push_back({m.slot, m.code});
    const std::vector<core::PupilSession> sessions =
        core::BuildPupilSessions(calendar, d.record, marks, {}, today);
    const auto pct = [&](core::Period period) {
      const core::SessionCounts c = core::CountSessions(calendar, sessions, period);
      const std::optional<double> p = core::Percent(c.attended, c.possible);
      return p ? fmt::format("{:.1f}%", *p) : std::string("no sessions");
    };
    RETURN_IF_ERROR(event({.kind = store::SupportKind::kReview,
                           .held_on = reviewed,
                           .notes = "Breakfast club not taken up; absences continue on Mondays",
                           .plan_id = plan_id,
                           .outcome = "not_improved",
                           .attendance_before = pct({panel.AddDays(-42), panel.AddDays(-1)}),
                           .attendance_after = pct({panel, reviewed})},
                          kOfficeAccount)
                        .status());
    RETURN_IF_ERROR(stage(core::SupportStage::kFacilitate, reviewed,
                          "Review: no improvement; referral to the LA attendance team for a "
                          "family support worker",
                          head));
  }
  return core::OkStatus();
}

// The office tells the LA of new pupils and deletions on time: each one
// older than a week is marked sent the day it fell due, and the LA has
// acknowledged those older than a fortnight. Returns from alerts (sickness,
// continuous absence, lateness) are left for Today to show.
core::Status WriteLaNotifications(store::Store& store, const std::vector<Draft>& drafts,
                                  const Staff& staff, Date today, const LocalTime& time) {
  const Date year_start = today.AcademicYearStart();
  const size_t la = AccountIndex("la");
  for (const Draft& d : drafts) {
    for (const store::Enrolment& e : d.pupil.enrolments) {
      std::vector<std::pair<std::string, Date>> owed;  // key, due
      if (e.start >= year_start && e.start <= today.AddDays(-7)) {
        owed.emplace_back(store::NotificationKey("new_admission", d.id, e.start),
                          e.start.AddDays(5));
      }
      if (e.end && *e.end >= year_start && *e.end <= today.AddDays(-7)) {
        owed.emplace_back(store::NotificationKey("deletion", d.id, *e.end), *e.end);
      }
      for (const auto& [key, due] : owed) {
        RETURN_IF_ERROR(store
                            .AddNotificationEvent(
                                {.notification = key,
                                 .status = "sent",
                                 .at = time.At(due, kLastSitting),
                                 .by_user_id = staff.user_ids[kOfficeAccount],
                                 .by_name = std::string(kAccounts[kOfficeAccount].display_name),
                                 .by_role = kAccounts[kOfficeAccount].role,
                                 .note = "Sent on the LA's pupil-movement form"})
                            .status());
        if (due > today.AddDays(-14)) continue;
        RETURN_IF_ERROR(
            store
                .AddNotificationEvent({.notification = key,
                                       .status = "acknowledged",
                                       .at = time.At(due.AddDays(2), kMidMorningSitting),
                                       .by_user_id = staff.user_ids[la],
                                       .by_name = std::string(kAccounts[la].display_name),
                                       .by_role = kAccounts[la].role,
                                       .note = ""})
                .status());
      }
    }
  }
  return core::OkStatus();
}

}  // namespace

// The clock the demo's seeding runs the service with: fixed at "now".
class FixedClock final : public core::Clock {
 public:
  FixedClock(Date today, int minute_of_day, int64_t now)
      : today_(today), minute_(minute_of_day), now_(now) {}
  int64_t NowSeconds() const override { return now_; }
  Date Today() const override { return today_; }
  int MinuteOfDay() const override { return minute_; }

 private:
  Date today_;
  int minute_;
  int64_t now_;
};

// Penalty-notice cases at several stages. The services open a case for each
// threshold alert this year when they load (so the demo's cases are exactly
// those the rules core finds); then, oldest first: a notice paid on time and
// the case closed; a notice unpaid after 28 days; a notice to improve whose
// period has ended; one still running; one for support first. The rest
// await the head's decision.
core::Status WritePenaltyCases(store::Store& store, const Staff& staff, Date today,
                               int minute_of_day, const LocalTime& time) {
  {
    const FixedClock clock(today, minute_of_day, time.now());
    service::Services services(store, clock);
    RETURN_IF_ERROR(services.Load());
  }
  ASSIGN_OR_RETURN(std::vector<store::PenaltyCase> cases, store.ListPenaltyCases());
  std::stable_sort(cases.begin(), cases.end(),
                   [](const auto& a, const auto& b) { return a.alert < b.alert; });
  const size_t head = AccountIndex("head");
  const size_t office = kOfficeAccount;
  std::set<int64_t> pupils_done;
  auto weekday_after = [](Date d, int days) {
    d = d.AddDays(days);
    while (d.IsWeekend()) d = d.AddDays(1);
    return d;
  };
  auto add = [&](store::PenaltyEvent e, size_t account, Date day) -> core::StatusOr<int64_t> {
    e.at = std::min(time.At(day, kLastSitting), time.now());
    e.by_user_id = staff.user_ids[account];
    e.by_name = std::string(kAccounts[account].display_name);
    e.by_role = kAccounts[account].role;
    return store.AddPenaltyEvent(e);
  };
  // Tries to put case `c` at `stage`; false when its dates do not fit.
  auto try_stage = [&](int stage, const store::PenaltyCase& c) -> core::StatusOr<bool> {
    ASSIGN_OR_RETURN(const store::Pupil pupil, store.GetPupil(c.pupil_id));
    if (pupil.contacts.empty()) return false;
    const std::string parent = pupil.contacts.front().name;
    const Date decided = weekday_after(c.alert.date, 3);
    const Date issued = weekday_after(decided, 4);
    const auto terms =
        core::TermsOf(core::NoticeKind::kAttendance, core::PenaltyAction::kFirstNotice, issued, 2);
    bool used = false;
    if (stage <= 1 && terms && terms->full_by.AddDays(7) < today) {
      // 0: paid on time, closed; 1: unpaid after 28 days.
      RETURN_IF_ERROR(add({.case_id = c.id,
                           .kind = "decision",
                           .decision = "penalty_notice",
                           .on = decided,
                           .text = "Holiday in term time after the request was refused; the "
                                   "parents were told in writing that a notice could follow"},
                          head, decided)
                          .status());
      ASSIGN_OR_RETURN(const int64_t notice, add({.case_id = c.id,
                                                  .kind = "notice",
                                                  .parent = parent,
                                                  .on = issued,
                                                  .amount_pence = terms->reduced_pence,
                                                  .notice_number = 1},
                                                 head, issued));
      if (stage == 0) {
        const Date paid = terms->served.AddDays(12);
        RETURN_IF_ERROR(add({.case_id = c.id,
                             .kind = "payment",
                             .notice_id = notice,
                             .on = paid,
                             .amount_pence = terms->reduced_pence},
                            office, paid)
                            .status());
        RETURN_IF_ERROR(
            add({.case_id = c.id, .kind = "closed", .text = "Paid within 21 days"}, head, paid)
                .status());
      }
      used = true;
    } else if (stage == 2 && decided.AddDays(30) < today) {
      RETURN_IF_ERROR(add({.case_id = c.id,
                           .kind = "decision",
                           .decision = "notice_to_improve",
                           .on = decided,
                           .text = "First time over the threshold; the family agreed to meet"},
                          head, decided)
                          .status());
      RETURN_IF_ERROR(add({.case_id = c.id,
                           .kind = "nti",
                           .on = decided,
                           .end = decided.AddDays(27),
                           .text = "No unauthorised absence and no late arrival after the "
                                   "register closes during the four weeks"},
                          head, decided)
                          .status());
      used = true;
    } else if (stage == 3 && c.alert.date >= today.AddDays(-21)) {
      const Date start = weekday_after(c.alert.date, 1);
      if (start <= today) {
        RETURN_IF_ERROR(add({.case_id = c.id,
                             .kind = "decision",
                             .decision = "notice_to_improve",
                             .on = start,
                             .text = "Support offered first; an improvement period agreed"},
                            head, start)
                            .status());
        RETURN_IF_ERROR(add({.case_id = c.id,
                             .kind = "nti",
                             .on = start,
                             .end = start.AddDays(27),
                             .text = "Attendance every day for four weeks"},
                            head, start)
                            .status());
        used = true;
      }
    } else if (stage == 4 && decided <= today) {
      RETURN_IF_ERROR(add({.case_id = c.id,
                           .kind = "decision",
                           .decision = "support_first",
                           .on = decided,
                           .text = "Bereavement in the family: support through the early-help "
                                   "team before anything else"},
                          head, decided)
                          .status());
      used = true;
    }
    return used;
  };
  for (int stage = 0; stage < 5; ++stage) {
    for (const store::PenaltyCase& c : cases) {
      if (pupils_done.contains(c.pupil_id)) continue;
      ASSIGN_OR_RETURN(const bool used, try_stage(stage, c));
      if (used) {
        pupils_done.insert(c.pupil_id);
        break;
      }
    }
  }
  return core::OkStatus();
}

std::vector<DemoLogin> DemoLogins() {
  std::vector<DemoLogin> logins;
  logins.reserve(kAccounts.size());
  for (const AccountSpec& account : kAccounts) {
    logins.push_back({std::string(account.username), std::string(store::RoleName(account.role)),
                      std::string(account.sees)});
  }
  return logins;
}

core::Status SeedDemoSchool(store::Store& store, Date today, int minute_of_day, int64_t now_unix,
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
                                      .phase = synth::Phase::kPrimary}));
  const LocalTime time(today, minute_of_day, now_unix);

  // Everything is decided before the first write.
  std::vector<Draft> drafts = DraftPupils(school, today, options.seed, options.establishment);
  const MarkPlan plan = PlanMarks(school, drafts, today, minute_of_day, time, options.seed);
  const std::array<ParentChoice, 3> parents = ChooseParents(drafts, plan);
  SetUpFamilies(school, parents, options.seed, drafts);
  MarkPlan final_plan = plan;
  MakeChildrenMissing(school.scenario.calendar, drafts, parents, today, minute_of_day, time,
                      final_plan);
  std::optional<PartTimePlan> part_time = PutOnPartTime(school.scenario.calendar, drafts, parents,
                                                        today, minute_of_day, time, final_plan);
  const std::optional<RefusedLeavePlan> refused_leave =
      PlanRefusedLeave(school.scenario.calendar, drafts, parents, today, time, final_plan);

  RETURN_IF_ERROR(WriteSettingsAndCalendar(store, today.AcademicYearStart().year(), time));
  ASSIGN_OR_RETURN(const Staff staff, WriteClassesAndAccounts(store, parents, drafts, options));
  RETURN_IF_ERROR(WritePupils(store, staff, parents, drafts));
  RETURN_IF_ERROR(WriteMarks(store, final_plan, staff, drafts));
  RETURN_IF_ERROR(WriteContacts(store, final_plan, staff, drafts, parents, today, time));
  RETURN_IF_ERROR(WriteLetters(store, school.scenario, final_plan, staff, drafts, today, time,
                               options.school_name));
  RETURN_IF_ERROR(WriteCmeCases(store, school.scenario.calendar, drafts, staff, today, time));
  RETURN_IF_ERROR(WriteSupport(store, school.scenario.calendar, drafts, final_plan, parents, staff,
                               today, time));
  if (part_time) {
    store::PartTimeTimetable t = part_time->timetable;
    t.pupil_id = drafts[part_time->pupil].id;
    const size_t head = AccountIndex("head");
    t.by_user_id = staff.user_ids[head];
    t.by_name = std::string(kAccounts[head].display_name);
    t.by_role = kAccounts[head].role;
    RETURN_IF_ERROR(store.AddPartTimeTimetable(t).status());
  }
  RETURN_IF_ERROR(WriteLaNotifications(store, drafts, staff, today, time));
  RETURN_IF_ERROR(WriteLeave(store, school.scenario.calendar, drafts, parents, staff, refused_leave,
                             today, time, options.school_name));
  RETURN_IF_ERROR(WritePenaltyCases(store, staff, today, minute_of_day, time));
  // Last: a school record means a complete demo school.
  return store.SetSchool({.name = options.school_name,
                          .urn = options.urn,
                          .la_code = std::string(kLaCode),
                          .phase = "primary"});
}

}  // namespace rollcall::cli

namespace rollcall::cli {

namespace {

// Open sessions of `store`'s calendar from `from` up to yesterday, and this
// morning's once it is past 10:00.
core::StatusOr<std::vector<core::SessionKey>> SessionsSince(store::Store& store, Date from,
                                                            Date today, int minute_of_day) {
  ASSIGN_OR_RETURN(std::vector<store::Term> terms, store.ListTerms());
  ASSIGN_OR_RETURN(std::vector<store::Closure> closures, store.ListClosures());
  const core::Calendar calendar = store::CalendarOf(terms, closures);
  std::vector<core::SessionKey> out;
  for (int32_t i = calendar.FirstSessionOnOrAfter(from); i < calendar.SessionCount(); ++i) {
    const core::SessionKey key = calendar.SessionAt(i);
    if (key.date > today ||
        (key.date == today && (minute_of_day < 10 * 60 || key.session == core::Session::kPm))) {
      break;
    }
    out.push_back(key);
  }
  return out;
}

// Admits `pupil` to `store` and marks them present at every session since.
core::Status AdmitWithMarks(store::Store& store, store::Pupil pupil, Date today, int minute_of_day,
                            int64_t now_unix) {
  pupil.id = 0;
  pupil.class_id.reset();
  for (store::Contact& c : pupil.contacts) c.user_id.reset();
  ASSIGN_OR_RETURN(const int64_t id, store.AddPupil(pupil));
  ASSIGN_OR_RETURN(store::User office, store.FindUserByName("office"));
  const store::Actor actor{office.id, office.display_name, office.role};
  ASSIGN_OR_RETURN(std::vector<core::SessionKey> sessions,
                   SessionsSince(store, pupil.enrolments.front().start, today, minute_of_day));
  std::vector<store::MarkWrite> writes;
  for (const core::SessionKey& key : sessions) {
    writes.push_back({.pupil_id = id,
                      .slot = key,
                      .code = key.session == core::Session::kAm ? core::AttendanceCode::kPresentAm
                                                                : core::AttendanceCode::kPresentPm,
                      .arrival_minute = std::nullopt,
                      .reason = "register",
                      .actor = std::nullopt,
                      .at = std::nullopt});
  }
  if (!writes.empty()) RETURN_IF_ERROR(store.SaveMarks(writes, actor, now_unix).status());
  return core::OkStatus();
}

}  // namespace

std::vector<DemoOptions> DemoNeighbours() {
  std::vector<DemoOptions> out(3);
  out[0].school_name = "Hillside Primary School";
  out[0].urn = "112605";
  out[0].establishment = "2418";
  out[0].pupils = 240;
  out[0].seed = 20261126;
  out[1].school_name = "St Anne's CofE Primary School";
  out[1].urn = "112606";
  out[1].establishment = "3301";
  out[1].pupils = 210;
  out[1].seed = 20261127;
  out[2].school_name = "Meadow Lane Primary School";
  out[2].urn = "112607";
  out[2].establishment = "2419";
  out[2].pupils = 300;
  out[2].seed = 20261128;
  for (DemoOptions& o : out) o.fast_hashing = true;  // nobody logs in to them in the demo
  return out;
}

core::Status LinkDemoNeighbours(store::Store& home, store::Store& mover_to,
                                store::Store& sibling_at, Date today, int minute_of_day,
                                int64_t now_unix) {
  ASSIGN_OR_RETURN(std::vector<store::Pupil> pupils, home.ListPupils());
  const Date year_start = today.AcademicYearStart();
  // A pupil who left this term for a school "not yet known": it is Hillside.
  for (const store::Pupil& p : pupils) {
    if (p.enrolments.empty()) continue;
    const store::Enrolment& last = p.enrolments.back();
    if (!last.end || *last.end < year_start || *last.end >= today.AddDays(-7)) continue;
    store::Pupil moved = p;
    moved.enrolments = {{last.end->AddDays(3), std::nullopt, "", ""}};
    RETURN_IF_ERROR(AdmitWithMarks(mover_to, moved, today, minute_of_day, now_unix));
    break;
  }
  // A younger brother or sister of a Riverside pupil, at Meadow Lane.
  for (const store::Pupil& p : pupils) {
    if (p.contacts.empty() || p.contacts.front().phone.empty() || p.year_group < 3) continue;
    if (p.enrolments.empty() || p.enrolments.back().end) continue;
    store::Pupil sibling = p;
    sibling.legal_given_name = sibling.preferred_given_name.empty() ? "Sam" : "Alex";
    sibling.preferred_given_name.clear();
    sibling.year_group = p.year_group - 2;
    sibling.date_of_birth = p.date_of_birth.AddDays(2 * 365 + 40);
    sibling.flags.clear();
    sibling.upn = core::UpnWithCheckLetter(fmt::format(
        "909{}{:02d}{:03d}", "2419", (year_start.year() - sibling.year_group) % 100, 900));
    sibling.enrolments = {{year_start.AddDays(31), std::nullopt, "", ""}};
    RETURN_IF_ERROR(AdmitWithMarks(sibling_at, sibling, today, minute_of_day, now_unix));
    break;
  }
  return core::OkStatus();
}

}  // namespace rollcall::cli
