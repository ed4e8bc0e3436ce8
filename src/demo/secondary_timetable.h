// secondary_timetable.h
//
// The demo secondary school's two-week timetable as a plan, before any
// pupil is in it: the periods of the day, the teaching groups of Years 7 to
// 11 with the slots of the cycle they meet in, and the teachers (by
// department, each with a room) who take them. Deterministic and pure, so
// that the demo's logins can be listed without a store and tests can check
// the plan itself.
//
// How the fortnight (50 teaching periods: five a day for ten days) is
// shared out:
//   - Years 7 and 8 are taught in their six forms for every subject.
//   - Year 9 is set for English, Mathematics and Science: the six sets of a
//     subject meet at the same time, so a pupil can be in any set; the other
//     subjects are taught in forms.
//   - Years 10 and 11 are set for the core subjects as Year 9, have PE and
//     RE in forms, and four options blocks of six subjects each: every pupil
//     takes one subject in each block.
// Teachers are given whole groups (a group keeps its teacher for every
// lesson), first fit within their department, never two groups meeting in
// one slot and never more than kMaxTeacherLoad periods a fortnight; a
// department takes on another teacher when none fits.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace rollcall::cli::internal {

inline constexpr int kSecondaryFirstYear = 7;
inline constexpr int kSecondaryLastYear = 11;
inline constexpr int kFormsPerYear = 6;  // forms A to F
inline constexpr int kSecondaryForms =
    (kSecondaryLastYear - kSecondaryFirstYear + 1) * kFormsPerYear;
inline constexpr int kCycleDays = 10;       // Monday of week A is 1, Friday of week B is 10
inline constexpr int kTeachingPeriods = 5;  // P1 to P5 each day
inline constexpr int kCycleSlots = kCycleDays * kTeachingPeriods;
inline constexpr int kMaxTeacherLoad =
    40;  // of the 50 periods: the rest for planning, tutoring and cover
inline constexpr int kSetsPerSubject = 6;
inline constexpr int kOptionBlocks = 4;
inline constexpr int kOptionGroupsPerBlock = 6;

// The school day. Registration periods have no lessons: the form tutor
// takes the statutory AM and PM registers in them.
struct SecondaryPeriod {
  std::string_view name;
  int start_minute = 0, end_minute = 0;
  bool pm = false;
  bool registration = false;
};
inline constexpr std::array<SecondaryPeriod, 7> kSecondaryPeriods = {{
    {"Reg", 8 * 60 + 40, 9 * 60, false, true},
    {"P1", 9 * 60, 10 * 60, false, false},
    {"P2", 10 * 60, 11 * 60, false, false},
    // Break 11:00-11:20.
    {"P3", 11 * 60 + 20, 12 * 60 + 20, false, false},
    {"P4", 12 * 60 + 20, 13 * 60 + 20, false, false},
    // Lunch 13:20-13:55.
    {"PM Reg", 13 * 60 + 55, 14 * 60, true, true},
    {"P5", 14 * 60, 15 * 60, true, false},
}};
// kSecondaryPeriods' index of each teaching period P1..P5.
inline constexpr std::array<size_t, kTeachingPeriods> kTeachingPeriodIndex = {1, 2, 3, 4, 6};
inline constexpr int kSecondaryAmStart = 8 * 60 + 40;   // the school's AM session starts with Reg
inline constexpr int kSecondaryPmStart = 13 * 60 + 55;  // and its PM session with PM Reg

enum class GroupKind { kForm, kSet, kOption };

struct PlannedGroup {
  std::string code;     // "7A/En", "9/Ma2", "10/Gg-A"
  std::string subject;  // "English"
  int year = kSecondaryFirstYear;
  GroupKind kind = GroupKind::kForm;
  int form = 0;        // kForm: 0-5 for A-F
  int set = 0;         // kSet: 1 (top) to kSetsPerSubject
  int block = 0;       // kOption: 0-3 for blocks A-D
  int option = 0;      // kOption: 0-5, its place in the block
  size_t teacher = 0;  // index into SecondaryTimetablePlan::teachers
  // Where it meets: (cycle day - 1) * kTeachingPeriods + teaching period
  // (0 for P1 ... 4 for P5), ascending.
  std::vector<int> slots;
};

struct PlannedTeacher {
  std::string department;  // a subject: "English"
  std::string room;        // "E1", "Lab 3", "Sports hall"
  int load = 0;            // periods a fortnight
};

struct SecondaryTimetablePlan {
  std::vector<PlannedGroup> groups;
  std::vector<PlannedTeacher> teachers;  // castle-teacher1 is teachers[0]
};

// The plan; the same every time. teachers[0] teaches 7A English, which
// meets in P2 on every day of the cycle.
SecondaryTimetablePlan PlanSecondaryTimetable();

// The teaching period of a slot (0 for P1) and its cycle day (1-10).
inline int SlotPeriod(int slot) { return slot % kTeachingPeriods; }
inline int SlotCycleDay(int slot) { return slot / kTeachingPeriods + 1; }

}  // namespace rollcall::cli::internal
