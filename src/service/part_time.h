// part_time.h
//
// Part-time timetables (docs/rules.md section 6). The head agrees one with a
// resident parent for a fixed period, with the sessions the pupil attends, a
// reason, the wider plan and a first review; reviews continue, extend or end
// it. While one is in force the register offers the off-timetable code (C2,
// or X outside compulsory school age) for the sessions the pupil is not
// timetabled for. Today reminds the office of reviews and ends, and flags C2
// recorded where no timetable was agreed.
//
// The code a session is already decided to take, granted leave first and
// then a part-time timetable, is answered here too: the register, its page
// and "mark everyone present" all ask PlannedCodeFor.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/codes.h"
#include "core/date.h"
#include "core/part_time.h"
#include "core/session.h"
#include "core/status.h"
#include "service/access.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::service {

// One timetable as it stands today.
struct PartTimeView {
  store::PartTimeTimetable t;
  std::vector<store::PartTimeReview> reviews;
  core::TimetableState state;  // after its reviews, today: end in force, status
  // The code of a session off timetable from its start: C2, or X when the
  // pupil is not of compulsory school age.
  core::AttendanceCode off_code = core::AttendanceCode::kPartTimeTimetable;
};

// A code the school has already decided for a session: granted leave, or
// the off-timetable code of a part-time timetable.
struct PlannedCode {
  core::AttendanceCode code;
  std::string label;   // "Leave granted", "Off timetable"
  std::string reason;  // the register amendment's reason
};

// An agreement as entered. Text fields as given ("" when not given), parsed
// here; `attends` lists session keys ("mon-am" ... "fri-pm"), nullopt when
// the sessions were not given at all.
struct PartTimeAgreement {
  int64_t pupil_id = 0;
  std::string agreed_on;  // "": today
  std::string start, end, review_date;
  std::string agreed_with, reason, plan;
  std::optional<std::vector<std::string>> attends;
};

// A review as entered. `outcome` is nullopt when not given: it is required,
// but who may review is checked first.
struct PartTimeReviewRequest {
  std::string timetable_id;
  std::string held_on;  // "": today
  std::optional<std::string> outcome;
  std::string end;  // "": the end in force (continue) or the review day (end)
  std::string next_review, notes;
};

// A pupil's part-time timetables as their page shows them to `who`.
struct PupilPartTime {
  std::vector<PartTimeView> timetables;  // oldest first
  bool may_agree = false;
  bool may_review = false;
  // Cautions before agreeing one: an EHC plan (talk to the LA), a social
  // worker (involve them).
  bool has_ehcp = false;
  bool has_social_worker = false;
};

// Today's reminder about a timetable not ended or cancelled.
struct PartTimeReminder {
  PartTimeView view;
  int64_t pupil_id = 0;
  std::string pupil_name;
  bool review_overdue = false;  // the next review is before today
  bool review_soon = false;     // ... or within a week
  bool ends_soon = false;       // the end in force is within a week: plan the return
};

// C2 recorded this school year on days no timetable of the pupil covered.
struct UnagreedC2 {
  int64_t pupil_id = 0;
  std::string pupil_name;
  int sessions = 0;
  core::SessionKey first;
};

struct PartTimeWorklist {
  std::vector<PartTimeReminder> timetables;
  std::vector<UnagreedC2> unagreed;
};

class PartTime {
 public:
  explicit PartTime(School& school) : school_(school) {}

  // The head agrees a timetable for a pupil on roll on its start date.
  // Returns it as it stands today.
  core::StatusOr<PartTimeView> Agree(const Principal& who, const PartTimeAgreement& a);
  // The office, the head or the LA records a review.
  core::StatusOr<store::PartTimeReview> Review(const Principal& who,
                                               const PartTimeReviewRequest& r);

  // A pupil's timetables, oldest first, for those who may see their support.
  core::StatusOr<std::vector<PartTimeView>> Timetables(const Principal& who, int64_t pupil_id);
  // The same with what `who` may do, for the pupil's page.
  core::StatusOr<PupilPartTime> ForPupil(const Principal& who, int64_t pupil_id);
  // The office's Today: timetables in force or agreed, and C2 outside one.
  core::StatusOr<PartTimeWorklist> Worklist(const Principal& who);
  // The pupil a timetable is for (where to go back to after a review).
  std::optional<int64_t> PupilOf(const std::string& timetable_id) const;

  // The following require school.mutex() held (shared).
  //
  // A pupil's timetables (nullopt: every pupil's), oldest first.
  std::vector<PartTimeView> TimetablesOf(std::optional<int64_t> pupil_id) const;
  // The code for `slot` when a timetable in force leaves the pupil at
  // snapshot `index` off timetable then (C2, or X); else nullopt.
  std::optional<core::AttendanceCode> OffTimetable(size_t index, core::SessionKey slot) const;
  // The granted leave covering `slot` for the pupil at `index`: its code and
  // request id.
  std::optional<std::pair<core::AttendanceCode, int64_t>> LeaveOn(size_t index,
                                                                  core::SessionKey slot) const;
  // Granted leave first, then a part-time timetable.
  std::optional<PlannedCode> PlannedCodeFor(size_t index, core::SessionKey slot) const;

 private:
  School& school_;
};

}  // namespace rollcall::service
