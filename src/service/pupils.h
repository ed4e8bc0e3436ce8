// pupils.h
//
// What the school's pages and the API show of pupils, as views: one pupil
// (their page, GET /api/v1/pupils/{id} and its summary), a parent's children
// (the parents' page) and the office's Today list. Each view is copied from
// the school's snapshot under its read lock, with the figures from the rules
// core, so the web renders it without locks and the page and the API cannot
// disagree. The casework areas (contact log, CME, support, part-time
// timetables, leave, penalty notices, letters) have their own services and
// views; these do not repeat them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/codes.h"
#include "core/date.h"
#include "core/session.h"
#include "core/status.h"
#include "io/result_json.h"
#include "service/access.h"
#include "service/school.h"
#include "service/words.h"
#include "store/store.h"

namespace rollcall::service {

// One session of the year's marks.
struct HeatCell {
  core::SessionKey slot;
  std::optional<core::AttendanceCode> code;  // the mark recorded, if any
  bool open = false;                         // the school is open for the session
};
// One school week: Monday AM, Monday PM, ... Friday PM.
struct HeatWeek {
  core::Date week;  // its Monday
  std::vector<HeatCell> cells;
};

// What Overview reads beyond the pupil's record. The API's reads of a pupil
// ask for less than the page: the summary is the API's busiest read, and
// neither the year's marks nor the amendments (a database read) are in it.
struct OverviewParts {
  bool record = true;   // the pupil's record, class and cohorts (the summary needs none)
  bool figures = true;  // the evaluation as of the day
  bool marks = true;    // the year's marks, week by week
  bool history = true;  // the amendments, for those who may read them
  // The attendance at previous schools (a database read), for those who may
  // read the amendments; with the record only.
  bool previous = true;
};

struct PupilOverview {
  std::string school;  // the school's name, for the page's heading
  store::Pupil pupil;
  std::optional<std::string> class_name;  // when the pupil's class exists
  core::Date as_of;
  std::vector<std::string> cohorts;  // the cohort flags held on as_of
  // The figures and alerts as of as_of, by the rules core (parts.figures).
  io::PupilResult result;
  // The same alerts as sentences for the reader, a parent's in the parents'
  // wording (parts.figures).
  std::vector<AlertLine> alert_lines;
  // From the week of the school year's first session to the week of as_of,
  // the weeks with an open session (parts.marks).
  std::vector<HeatWeek> weeks;
  bool sees_history = false;  // the reader may read the amendments (kReadAmendments)
  // Every recording and change of the pupil's marks, oldest first
  // (parts.history, and only when sees_history).
  std::vector<store::Amendment> amendments;
  // The pupil's attendance at previous schools, from their Common Transfer
  // Files, by academic year and school (parts.record and parts.previous,
  // and only when sees_history): the other schools' figures, never part of
  // `result`.
  std::vector<store::PreviousAttendance> previous_schools;
};

// The parents' page.
struct ChildrenView {
  std::string school;
  // The children of the account the parent may see, in the account's order,
  // with their figures only.
  std::vector<PupilOverview> children;
};

// Today's list for the office.
struct AbsentNow {
  store::Pupil pupil;
  std::string class_name;
  bool vulnerable = false;  // a social worker, looked after, or an EHC plan
};
struct IncompleteRegister {
  int64_t class_id = 0;
  std::string class_name;
  int marked = 0;
  int on_roll = 0;
};
// A pupil with N codes older than the follow-up window (the rules core's
// n_overdue alerts, one per session).
struct OverdueN {
  int64_t pupil_id = 0;
  std::string name;
  int sessions = 0;
  core::SessionKey first;
};
// A new pupil who has not come to school since their starting day: the
// office makes enquiries (docs/rules.md section 4).
struct NotArrived {
  store::Pupil pupil;
  std::string class_name;
  core::Date start;
};
struct WorklistView {
  std::string school;
  core::SessionKey slot;  // today's session now: the afternoon's from its start
  // On roll with N (no reason yet) for the session, vulnerable pupils first,
  // then in the school's order.
  std::vector<AbsentNow> absent;
  std::vector<IncompleteRegister> incomplete;  // by class id
  std::vector<OverdueN> overdue;               // in the school's order
  // On roll, their first session's register open, and no present mark
  // since their starting day; in the school's order.
  std::vector<NotArrived> not_arrived;
};

class Pupils {
 public:
  explicit Pupils(School& school) : school_(school) {}

  // The pupil as of `as_of`, for those who may read them (kReadPupil):
  // NotFound PUPIL_UNKNOWN or PermissionDenied otherwise.
  core::StatusOr<PupilOverview> Overview(const Principal& who, int64_t pupil_id, core::Date as_of,
                                         OverviewParts parts = {});
  // The parents' page (kReadOwnChildren): each of the account's children it
  // may read, with their figures as of `today`.
  core::StatusOr<ChildrenView> Children(const Principal& who, core::Date today);
  // The office's Today list (kReadWorklist), for today's session now.
  core::StatusOr<WorklistView> Worklist(const Principal& who);
  // The school's name, for the heading of a page that refuses.
  std::string SchoolName() const;

 private:
  // The pupil at snapshot `index`, without the amendments. Requires
  // school_.mutex() held.
  PupilOverview OverviewAt(const Principal& who, size_t index, core::Date as_of,
                           OverviewParts parts) const;

  School& school_;
};

}  // namespace rollcall::service
