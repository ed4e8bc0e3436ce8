// la_returns.h
//
// The queue of notifications a school owes its local authority
// (docs/rules.md section 4, "Returns to the LA", and section 7): new
// admissions within 5 days, deletions with their ground, sickness returns
// (15 school days), continuous absence (10 school days), CME referrals (the
// enquiry form on day 10), part-time timetables, persistent-absence
// referrals (an action plan reviewed as not improved: the red escalation of
// docs/rules.md section 7) and persistent lateness. Each is derived from the
// registers, the rules core's alerts and the casework records, with its due
// date from core/la_returns.h; only what was done with one (sent by the
// school, acknowledged by the LA) is stored. Rendering (the page, the CSV,
// the JSON) is the caller's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/la_returns.h"
#include "core/status.h"
#include "service/access.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::service {

// What a deletion notice gives the LA (docs/rules.md section 4, "Returns to
// the LA"), from the pupil's record as it stands when the queue is read.
struct DeletionNotice {
  std::string legal_name;  // the admission register's given and family names
  // The pupil's home: the address of the first contact they live with (or,
  // failing that, of the first with parental responsibility), lines joined
  // by ", " and the postcode last; "" when none is recorded.
  std::string address;
  // Contacts with parental responsibility, those the pupil lives with first,
  // then by priority: "Emma Smith (Mother)".
  std::vector<std::string> parents;
  // The first emergency contact by priority: "07700 900123 (Emma Smith,
  // Mother)"; "" when there is none.
  std::string emergency_phone;
  std::string destination;   // "" when not known
  std::string ground;        // the letter of reg 9, "" when not given
  std::string ground_words;  // "Registered at another school", "" when not given
  core::Date last_day;
};

// The notice as lines for people to read: the pupil and last day, the
// ground, destination, home address, parents and emergency phone. The
// queue's details are these joined by "; ".
std::vector<std::string> DeletionLines(const DeletionNotice& notice);

// One notification owed to the LA, and where it stands today.
struct LaNotification {
  std::string key;  // "kind.pupil.trigger date", stable while the data holds
  core::LaReturnKind kind = core::LaReturnKind::kNewAdmission;
  std::string title;
  int64_t pupil_id = 0;
  std::string pupil_name, upn;
  core::Date trigger, due;
  std::string content;
  core::LaReturnStatus status = core::LaReturnStatus::kDue;
  std::optional<store::NotificationEvent> last;  // the latest sent or acknowledged
  std::optional<DeletionNotice> deletion;        // a deletion's particulars
};

// What `who` may do to the queue, for showing only the forms that work.
struct LaRights {
  bool send = false;         // the school: mark one as sent
  bool acknowledge = false;  // the LA: mark one as received
};

class LaReturns {
 public:
  explicit LaReturns(School& school) : school_(school) {}

  LaRights RightsOf(const Principal& who) const;

  // Every notification owed this school year, what needs doing first first:
  // overdue, due, sent (awaiting the LA), acknowledged; then by due date.
  // PermissionDenied unless `who` may read the queue (the office, the head,
  // the school's LA).
  core::StatusOr<std::vector<LaNotification>> Queue(const Principal& who);

  // Records, as `who` now, that the school sent notification `key` (status
  // kSent: the office or the head) or that the LA received it
  // (kAcknowledged: the school's LA), with a note of up to 2000 characters.
  // Errors: PermissionDenied; InvalidArgument VALUE_INVALID (a long note, or
  // another status); NotFound NOT_FOUND (no such notification in the
  // queue); Conflict NOTIFICATION_SENT (already sent) or
  // NOTIFICATION_NOT_SENT (acknowledging one not sent).
  core::Status Mark(const Principal& who, const std::string& key, core::LaReturnStatus status,
                    const std::string& note);

 private:
  // A return that follows one of the rules core's alerts this school year.
  struct AlertReturn {
    core::LaReturnKind kind = core::LaReturnKind::kSickness;
    core::Date at;        // the day the alert fired
    size_t sessions = 0;  // the sessions it cites
  };
  // By pupil id, in alert order: the alerts of every pupil as of `today`,
  // from the school's evaluation of the day (School::EvaluatedOn).
  std::map<int64_t, std::vector<AlertReturn>> AlertReturns(core::Date today);

  School& school_;
};

}  // namespace rollcall::service
