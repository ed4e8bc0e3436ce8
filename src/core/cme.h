// cme.h
//
// The children-missing-education protocol (docs/rules.md section 7, "CME
// protocol"): what a school does, school day by school day, while a pupil is
// absent and no one has explained why. Pure: the run of unexplained absence
// comes from a pupil's session sequence and every due date from the calendar,
// so adding a closure moves the due dates with it.
//
// Day 1 is the first school day of the run. A run is consecutive possible
// sessions coded N (no reason yet) or O (no reason accepted); not-possible
// and unrecorded sessions are skipped and any other code ends it (as the
// continuous-absence run of section 8 rule 8, without G: a holiday not
// granted has a reason, even if not an acceptable one).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "core/calendar.h"
#include "core/pupil_sessions.h"

namespace rollcall::core {

struct UnexplainedRun {
  int32_t first;  // session index (Calendar::SessionAt) of the run's first session
  int32_t last;   // ... and of its latest
  int64_t sessions = 0;
  Date first_day;  // day 1 of the protocol
};

// The run that holds the pupil's latest possible recorded session, if that
// session is N or O.
std::optional<UnexplainedRun> CurrentUnexplainedRun(const Calendar& calendar,
                                                    std::span<const PupilSession> sessions);

// Stored in the database: never renumber or reuse a value.
enum class CmeStep : uint8_t {
  kContactFamily = 1,       // days 1-2: call, text and email every adult and contact
  kSiblingCheck = 2,        // days 1-2: siblings' attendance (pupils who share a contact)
  kNotifyDsl = 3,           // day 3: log a safeguarding concern, tell the DSL and the head
  kHomeVisit = 4,           // days 3-10: home visit with a hand-delivered letter
  kLaEnquiryForm = 5,       // day 10: the reasonable-enquiries form to the LA
  kLaAttendanceReturn = 6,  // day 10: 10 continuous school days, the LA attendance return
  kDeletionReview = 7,      // day 20: deletion ground (i) review with the LA
};

struct CmeStepInfo {
  CmeStep step;
  std::string_view key;    // "contact_family", ... (API and forms)
  std::string_view title;  // what to do, for people
  int from_day;            // the protocol day it starts
  int due_day;             // the protocol day it is due by (end of that school day)
  std::string_view owner;  // who does it: "office", "DSL", "attendance lead"
};

// Every step, in protocol order.
std::span<const CmeStepInfo> CmeSteps();
const CmeStepInfo& InfoOf(CmeStep step);
std::optional<CmeStep> CmeStepFromKey(std::string_view key);

// The date of protocol day `n` (n >= 1) for a run whose day 1 is
// `first_day`: the nth school day counting first_day as the first. nullopt
// when first_day is not a school day or the calendar ends before day n.
std::optional<Date> SchoolDayNumber(const Calendar& calendar, Date first_day, int n);

// Which protocol day `day` is (1 on first_day, counting school days only;
// a holiday counts as the school day before it). 0 before first_day.
int ProtocolDay(const Calendar& calendar, Date first_day, Date day);

}  // namespace rollcall::core
