// internal.h
//
// What the demo school's scenario files (src/demo/*.cc) share and nothing
// else sees: the demo's fixed facts (times of day, classes, the account
// table), school-local times, the pupils as drafted, the plan of marks and
// contacts, the parents chosen and the store ids of the staff; and each
// scenario's steps, which SeedDemoSchool (demo_school.cc) runs in order.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/calendar.h"
#include "core/clock.h"
#include "core/codes.h"
#include "core/date.h"
#include "core/scenario.h"
#include "core/session.h"
#include "core/status.h"
#include "demo/demo_school.h"
#include "service/access.h"
#include "service/services.h"
#include "store/store.h"
#include "synth/random.h"
#include "synth/synth.h"

namespace rollcall::cli::internal {

using core::AttendanceCode;
using core::Date;
using core::Session;
using core::Weekday;

// ---------------------------------------------------------------------------
// The demo's fixed facts. README and `rollcall demo` list the logins from
// kAccounts (through DemoLogins), so this table is the one place to change them.

inline constexpr std::string_view kLaCode = "909";
// The school's DfE establishment number (2xxx: a community primary school).
// "909" + this + issue year + serial make the UPNs the school issues.

inline constexpr int kAmStart = 8 * 60 + 45;
inline constexpr int kPmStart = 13 * 60 + 15;
inline constexpr int kRegisterCloseMinutes = 30;
// When each register is saved: before it closes, so that a pupil marked L
// arrived before the teacher saved it.
inline constexpr int kAmRegisterMinute = kAmStart + 20;  // 09:05
inline constexpr int kPmRegisterMinute = kPmStart + 10;  // 13:25

// The office works through absences in sittings (phone calls after the
// morning register, mid-morning, lunchtime, after the afternoon register,
// end of day); late arrivals it signs in as they come.
inline constexpr int kFirstSitting = 9 * 60 + 40;
inline constexpr int kMidMorningSitting = 11 * 60 + 15;
inline constexpr int kLunchtimeSitting = 12 * 60 + 30;
inline constexpr int kAfternoonSitting = kPmRegisterMinute + 20;  // 13:45
inline constexpr int kLastSitting = 15 * 60 + 30;

inline constexpr int kYearGroups = 7;  // Reception to Year 6
inline constexpr std::array<std::string_view, 2> kClassLetters = {"A", "B"};
inline constexpr int kClasses = kYearGroups * static_cast<int>(kClassLetters.size());

inline constexpr std::string_view kTeacherReason = "Register taken";

struct AccountSpec {
  std::string_view username;
  // Parents: title and given name; their family name is their children's.
  std::string_view display_name;
  store::Role role;
  std::string_view class_name;  // teachers: the class they register
  std::string_view sees;
};

inline constexpr auto kAccounts = std::to_array<AccountSpec>({
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
    // Added after the others, so that the accounts above keep their ids.
    {"attendance", "Mr Marcus Reid (Attendance officer)", store::Role::kAttendanceOfficer, "",
     "Whole school: registers, amendments, letters, casework; not pupils' contacts"},
    {"dsl", "Ms Joanna Clarke (Designated safeguarding lead)", store::Role::kSafeguardingLead, "",
     "Every pupil, their contact log and children-missing-education cases"},
    {"senco", "Mrs Fiona Walsh (SENCO)", store::Role::kSenco, "",
     "Every pupil and their support plans; reads registers"},
});

constexpr size_t AccountIndex(std::string_view username) {
  for (size_t idx = 0; idx < kAccounts.size(); ++idx) {
    if (kAccounts[idx].username == username) return idx;
  }
  return kAccounts.size();
}
inline constexpr size_t kOfficeAccount = AccountIndex("office");
inline constexpr std::array<size_t, 3> kParentAccounts = {
    AccountIndex("parent1"), AccountIndex("parent2"), AccountIndex("parent3")};
static_assert(kOfficeAccount < kAccounts.size() && kParentAccounts[2] < kAccounts.size());

// Family names of adults who do not share their child's, and of foster carers.
inline constexpr std::array<std::string_view, 12> kAdultFamilyNames = {
    "Marsh", "Dobson",    "Fox",  "Lowther", "Iqbal",  "Harper",
    "Nash",  "Kowalczyk", "Reid", "Osei",    "Barker", "Pike"};

// Stream numbers for the demo's own draws, clear of synth's (random.h).
inline constexpr uint64_t kDemoPupilStreamBase = uint64_t{7} << 32;
inline constexpr uint64_t kDemoMarksStreamBase = uint64_t{8} << 32;
inline constexpr uint64_t kDemoDayStreamBase = uint64_t{9} << 32;  // under seed + date
inline constexpr uint64_t kDemoContactsStreamBase = uint64_t{10} << 32;
inline constexpr uint64_t kDemoRegisterStreamBase = uint64_t{11} << 32;

template <typename T, size_t N>
T Pick(const std::array<T, N>& items, synth::Rng& rng) {
  return items[rng.Below(N)];
}

inline int64_t UnixAt(Date date, int minute_of_day) {
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

// The clock the services run on while the demo records its casework: the
// demo sets it to the school-local day and minute each thing was done, so
// the services stamp and check it as they would have then. Never later than
// the caller's now (LocalTime::now), which reads as the caller's day and
// minute, as the clock the web server runs on would.
class DemoClock final : public core::Clock {
 public:
  DemoClock(Date today, int minute_of_day, const LocalTime& time)
      : time_(time), today_(today), minute_of_day_(minute_of_day) {
    SetNow();
  }
  void SetNow() {
    day_ = today_;
    minute_ = minute_of_day_;
    now_ = time_.now();
  }
  // `day` at `minute_of_day`, school-local.
  void Set(Date day, int minute_of_day) {
    if (time_.At(day, minute_of_day) >= time_.now()) return SetNow();
    day_ = day;
    minute_ = minute_of_day;
    now_ = time_.At(day, minute_of_day);
  }
  // Unix seconds `at`, with the seconds within its minute.
  void SetUnix(int64_t at) {
    if (at >= time_.now()) return SetNow();
    const int64_t local = at + (UnixAt(today_, 0) - time_.At(today_, 0));
    day_ = Date::FromDays(static_cast<int32_t>(local / 86400));
    minute_ = static_cast<int>(local % 86400 / 60);
    now_ = at;
  }

  int64_t NowSeconds() const override { return now_; }
  Date Today() const override { return day_; }
  int MinuteOfDay() const override { return minute_; }

 private:
  const LocalTime& time_;
  Date today_;
  int minute_of_day_;
  Date day_;
  int minute_ = 0;
  int64_t now_ = 0;
};

// The services the casework goes through, the clock they run on, and each
// demo account as the services see it (by index into kAccounts), so that
// every record is made by the member of staff who did it.
struct Casework {
  service::Services& services;
  DemoClock& clock;
  std::vector<service::Principal> staff;
  const service::Principal& As(size_t account) const { return staff[account]; }
};

// Lower-case ASCII letters of `name`, for invented email addresses.
inline std::string EmailPart(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
    if (c >= 'a' && c <= 'z') out += c;
  }
  return out;
}

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

// ---------------------------------------------------------------------------
// Parents.

struct ParentChoice {
  std::vector<size_t> children;  // indexes into the drafts
};

inline double AbsenceRate(const MarkPlan& plan, size_t idx) {
  const int possible = plan.possible[idx];
  return possible == 0 ? 0.0 : static_cast<double>(plan.absent[idx]) / possible;
}

// ---------------------------------------------------------------------------
// Staff.

// Store ids of the classes and accounts.
struct Staff {
  std::array<int64_t, kClasses> class_ids{};
  std::array<int64_t, kAccounts.size()> user_ids{};
  std::array<size_t, kClasses> class_teacher_account{};  // index into kAccounts
};

// ---------------------------------------------------------------------------
// The scenarios, in the order SeedDemoSchool runs them. Everything is
// planned before the first write.

// people.cc: the pupils as drafted from synth's school (UPNs, dates of
// birth, enrolments, flags).
// `first_year` to `last_year` are the school's year groups (0 for
// Reception) and `forms` the registration classes of each, filled in turn:
// a pupil's class_index is (year group - first_year) * forms + their place.
std::vector<Draft> DraftPupils(const synth::SynthSchool& school, Date today, uint64_t seed,
                               const std::string& establishment, int first_year = 0,
                               int last_year = kYearGroups - 1,
                               int forms = static_cast<int>(kClassLetters.size()));

// mark_planner.cc: the teachers' registers, the office's amendments and its
// contact log.
MarkPlan PlanMarks(const synth::SynthSchool& school, const std::vector<Draft>& drafts, Date today,
                   int minute_of_day, const LocalTime& time, uint64_t seed);

// families.cc: the parent accounts' children, and every pupil's contacts.
std::array<ParentChoice, 3> ChooseParents(const std::vector<Draft>& drafts, const MarkPlan& plan);
void SetUpFamilies(const synth::SynthSchool& school, const std::array<ParentChoice, 3>& parents,
                   uint64_t seed, std::vector<Draft>& drafts);
// families.cc: the rest of each admission register entry as a school that
// has kept it since September would have it: previous schools of in-year
// joiners, parents living apart, a few pupils with one emergency contact,
// and when each family confirmed its contacts.
void CompleteRegisterEntries(const core::Calendar& calendar, Date today, uint64_t seed,
                             std::vector<Draft>& drafts);

// missing_children.cc: two children missing education.
void MakeChildrenMissing(const core::Calendar& calendar, const std::vector<Draft>& drafts,
                         const std::array<ParentChoice, 3>& parents, Date today, int minute_of_day,
                         const LocalTime& time, MarkPlan& plan);

// part_time_pupil.cc: the pupil on a part-time timetable and the timetable
// agreed.
struct PartTimePlan {
  size_t pupil = 0;  // index into the drafts
  store::PartTimeTimetable timetable;
};

std::optional<PartTimePlan> PutOnPartTime(const core::Calendar& calendar,
                                          const std::vector<Draft>& drafts,
                                          const std::array<ParentChoice, 3>& parents, Date today,
                                          int minute_of_day, const LocalTime& time, MarkPlan& plan);

// leave_requests.cc: the pupil whose family took the leave refused, and the
// sessions they missed.
struct RefusedLeavePlan {
  size_t pupil = 0;
  core::SessionKey from, to;
};

std::optional<RefusedLeavePlan> PlanRefusedLeave(const core::Calendar& calendar,
                                                 const std::vector<Draft>& drafts,
                                                 const std::array<ParentChoice, 3>& parents,
                                                 Date today, const LocalTime& time, MarkPlan& plan);

// school_year.cc
core::Status WriteSettingsAndCalendar(store::Store& store, int year_start, const LocalTime& time,
                                      int am_start = kAmStart, int pm_start = kPmStart);

// people.cc
core::StatusOr<Staff> WriteClassesAndAccounts(store::Store& store,
                                              const std::array<ParentChoice, 3>& parents,
                                              const std::vector<Draft>& drafts,
                                              const DemoOptions& options);
core::Status WritePupils(store::Store& store, const Staff& staff,
                         const std::array<ParentChoice, 3>& parents, std::vector<Draft>& drafts);

// marks.cc
core::Status WriteMarks(store::Store& store, const MarkPlan& plan, const Staff& staff,
                        const std::vector<Draft>& drafts);

// missing_children.cc: the cases, opened in the store before the services
// load (with the time CaseChecks would have opened them), and the steps
// done, through the services.
struct OpenedCme {
  int64_t id = 0;
  Date first_day;
};
core::StatusOr<std::vector<OpenedCme>> OpenCmeCases(store::Store& store,
                                                    const core::Calendar& calendar,
                                                    const std::vector<Draft>& drafts, Date today,
                                                    const LocalTime& time);

// leave_requests.cc: still written to the store, before the services load
// (they hold leave requests and decisions in their snapshot).

core::Status WriteLeave(store::Store& store, const core::Calendar& calendar,
                        const std::vector<Draft>& drafts,
                        const std::array<ParentChoice, 3>& parents, const Staff& staff,
                        const std::optional<RefusedLeavePlan>& refused, Date today,
                        const LocalTime& time, const std::string& school_name);

// The casework, through the services (Casework), once they have loaded.

// marks.cc
core::Status WriteContacts(Casework& work, const MarkPlan& plan, const std::vector<Draft>& drafts,
                           const std::array<ParentChoice, 3>& parents, Date today,
                           const LocalTime& time);

// concern_letters.cc
core::Status WriteLetters(Casework& work, const MarkPlan& plan, const std::vector<Draft>& drafts,
                          Date today);

// missing_children.cc
core::Status RecordCmeSteps(Casework& work, const core::Calendar& calendar,
                            const std::vector<OpenedCme>& cases, Date today, const LocalTime& time);

// support.cc
core::Status WriteSupport(Casework& work, const core::Calendar& calendar,
                          const std::vector<Draft>& drafts, const MarkPlan& plan,
                          const std::array<ParentChoice, 3>& parents, Date today);

// la_notifications.cc
core::Status WriteLaNotifications(store::Store& store, const std::vector<Draft>& drafts,
                                  const Staff& staff, Date today, const LocalTime& time);

// penalties.cc
core::Status WritePenaltyCases(Casework& work, Date today);

// conditions.cc
core::Status RecordKnownCondition(Casework& work, const MarkPlan& plan,
                                  const std::vector<Draft>& drafts, Date today);

}  // namespace rollcall::cli::internal
