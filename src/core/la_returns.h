// la_returns.h
//
// Returns and notifications a school owes its local authority (docs/rules.md
// section 4, "Returns to the LA", and section 7): the kinds, the day each
// falls due counted from what triggered it, and whether one is due or
// overdue on a given day. Which returns are owed (which pupils joined, which
// alerts fired, which timetables were agreed) is decided from the registers
// by the caller (src/service/la_returns.cc); what the school and the LA did
// with one (sent, acknowledged) is stored. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/calendar.h"
#include "core/date.h"

namespace rollcall::core {

// The names (LaReturnKindName) are the API's "kind" and part of the key a
// notification's events are stored under (store::NotificationKey): never
// rename them.
enum class LaReturnKind : uint8_t {
  kNewAdmission,        // "new_admission": a pupil went on the admission register
  kDeletion,            // "deletion": a pupil's last day on roll
  kSickness,            // "sickness": 15 school days' illness this year (section 8 rule 9)
  kContinuousAbsence,   // "continuous_absence": 10 school days' unauthorised absence (rule 8)
  kPersistentLateness,  // "persistent_lateness": section 8 rule 11
  kPartTimeTimetable,   // "part_time_timetable": one was agreed
  kPersistentAbsence,   // "persistent_absence": an action plan reviewed as not improved
  kCmeReferral,         // "cme_referral": the reasonable-enquiries form of the CME protocol
};
std::string_view LaReturnKindName(LaReturnKind kind);
std::optional<LaReturnKind> LaReturnKindFromName(std::string_view name);

// A new pupil is reported within 5 calendar days of going on the register.
inline constexpr int kAdmissionReturnDays = 5;
// A return that follows an alert (and a part-time timetable, and a
// persistent-absence referral) is due within 5 school days.
inline constexpr int kAlertReturnSchoolDays = 5;
// The CME enquiry form goes on day 10 of the protocol (core/cme.h).
inline constexpr int kCmeReferralDay = 10;

// The day a return of `kind` is due, counted from `from`, the day the duty
// arose:
//   new_admission     the starting day + 5 calendar days;
//   deletion          the last day on roll itself (docs/rules.md section 4:
//                     at the latest when the pupil is deleted);
//   cme_referral      protocol day 10 from day 1 of the run (`from`), or
//                     `from` itself when the calendar cannot say;
//   the others        5 school days after `from` (the 6th school day counting
//                     `from` as the first), or 7 calendar days after it when
//                     `from` is not a school day or the calendar ends first.
// For a part-time timetable `from` is the day it was agreed, not its start:
// the LA hears of it once agreed.
Date LaReturnDue(const Calendar& calendar, LaReturnKind kind, Date from);

// Where a return stands. Declared in the order the queue puts them (what
// needs doing first): compare with < to sort. The names (LaReturnStatusName)
// are the API's "status" and the stored event status ("sent",
// "acknowledged"): never rename them.
enum class LaReturnStatus : uint8_t {
  kOverdue,       // "overdue": not sent, and the due day has passed
  kDue,           // "due": not sent, due today or later
  kSent,          // "sent": the school sent it, the LA has not acknowledged it
  kAcknowledged,  // "acknowledged": the LA has it
};
std::string_view LaReturnStatusName(LaReturnStatus status);
std::optional<LaReturnStatus> LaReturnStatusFromName(std::string_view name);

// What the latest recorded event says (sent or acknowledged), if there is
// one; otherwise due up to and including `due`, overdue from the day after.
LaReturnStatus LaReturnStatusOn(Date due, std::optional<LaReturnStatus> recorded, Date today);

}  // namespace rollcall::core
