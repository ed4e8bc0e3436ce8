// penalties.cc: penalty-notice cases at several stages.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "core/penalty.h"
#include "demo/internal.h"

namespace rollcall::cli::internal {

// Penalty-notice cases at several stages. The services open a case for each
// pupil's episode of absence this year when they load, later windows of it
// added to the case (so the demo's cases are exactly those the rules core
// finds); then, oldest first: a notice paid on time and the case closed (a
// case with no absence after that); a notice unpaid after 28 days; a notice
// to improve whose period has ended; one still running; one for support
// first. The rest await the head's decision. Each event goes through the penalties service
// as the head (or, for the payment, the office) recorded it that day, so the
// service checks its order, dates and amount as it would have then.
core::Status WritePenaltyCases(Casework& work, Date today) {
  store::Store& store = work.services.school().store();
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
  // Recorded by `account` at the end of `day` (or now, if that is later).
  auto add = [&](service::PenaltyEventRequest r, size_t account,
                 Date day) -> core::StatusOr<int64_t> {
    work.clock.Set(day, kLastSitting);
    r.on = day.ToString();
    ASSIGN_OR_RETURN(const store::PenaltyEvent e,
                     work.services.penalties().AddEvent(work.As(account), r));
    return e.id;
  };
  // Tries to put case `c` at `stage`; false when its dates do not fit.
  auto try_stage = [&](int stage, const store::PenaltyCase& c) -> core::StatusOr<bool> {
    ASSIGN_OR_RETURN(const store::Pupil pupil, store.GetPupil(c.pupil_id));
    if (pupil.contacts.empty()) return false;
    const std::string parent = pupil.contacts.front().name;
    const std::string id = std::to_string(c.id);
    const Date decided = weekday_after(c.alert.date, 3);
    const Date issued = weekday_after(decided, 4);
    const auto terms =
        core::TermsOf(core::NoticeKind::kAttendance, core::PenaltyAction::kFirstNotice, issued, 2);
    bool used = false;
    // A case closed on the day its notice was paid holds only the windows of
    // absence before then: later absence belongs to a new episode (rule:
    // docs/rules.md section 5, "One case per episode").
    const auto ends_by = [&](Date day) {
      return std::all_of(c.windows.begin(), c.windows.end(),
                         [&](const store::PenaltyWindow& w) { return w.alert.date <= day; });
    };
    if (stage <= 1 && terms && terms->full_by.AddDays(7) < today &&
        (stage == 1 || ends_by(terms->served.AddDays(12)))) {
      // 0: paid on time, closed; 1: unpaid after 28 days.
      RETURN_IF_ERROR(add({.case_id = id,
                           .kind = "decision",
                           .decision = "penalty_notice",
                           .text = "Holiday in term time after the request was refused; the "
                                   "parents were told in writing that a notice could follow"},
                          head, decided)
                          .status());
      ASSIGN_OR_RETURN(const int64_t notice,
                       add({.case_id = id, .kind = "notice", .parent = parent}, head, issued));
      if (stage == 0) {
        const Date paid = terms->served.AddDays(12);
        RETURN_IF_ERROR(add({.case_id = id,
                             .kind = "payment",
                             .notice_id = notice,
                             .amount_pence = terms->reduced_pence},
                            office, paid)
                            .status());
        RETURN_IF_ERROR(
            add({.case_id = id, .kind = "closed", .text = "Paid within 21 days"}, head, paid)
                .status());
      }
      used = true;
    } else if (stage == 2 && decided.AddDays(30) < today) {
      RETURN_IF_ERROR(add({.case_id = id,
                           .kind = "decision",
                           .decision = "notice_to_improve",
                           .text = "First time over the threshold; the family agreed to meet"},
                          head, decided)
                          .status());
      RETURN_IF_ERROR(add({.case_id = id,
                           .kind = "nti",
                           .end = decided.AddDays(27).ToString(),
                           .text = "No unauthorised absence and no late arrival after the "
                                   "register closes during the four weeks"},
                          head, decided)
                          .status());
      used = true;
    } else if (stage == 3 && c.alert.date >= today.AddDays(-21)) {
      const Date start = weekday_after(c.alert.date, 1);
      if (start <= today) {
        RETURN_IF_ERROR(add({.case_id = id,
                             .kind = "decision",
                             .decision = "notice_to_improve",
                             .text = "Support offered first; an improvement period agreed"},
                            head, start)
                            .status());
        RETURN_IF_ERROR(add({.case_id = id,
                             .kind = "nti",
                             .end = start.AddDays(27).ToString(),
                             .text = "Attendance every day for four weeks"},
                            head, start)
                            .status());
        used = true;
      }
    } else if (stage == 4 && decided <= today) {
      RETURN_IF_ERROR(add({.case_id = id,
                           .kind = "decision",
                           .decision = "support_first",
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

}  // namespace rollcall::cli::internal
