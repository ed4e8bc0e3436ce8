// marks.cc: the registers and amendments as planned, and the office's
// contact log.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "demo/internal.h"

namespace rollcall::cli::internal {

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
// and, a week ago, for parent1's child a message on the parents' page. Each
// entry goes through the contacts service as the office made it, at the
// time it was made.
core::Status WriteContacts(Casework& work, const MarkPlan& plan, const std::vector<Draft>& drafts,
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
  const service::Principal& office = work.As(kOfficeAccount);
  for (const PlannedContact& c : contacts) {
    const store::Pupil& pupil = drafts[c.pupil].pupil;
    std::string contact;
    if (!pupil.contacts.empty()) {
      contact =
          fmt::format("{} ({})", pupil.contacts.front().name, pupil.contacts.front().relationship);
    }
    work.clock.SetUnix(c.at);
    RETURN_IF_ERROR(work.services.contacts()
                        .Add(office, {.pupil_id = drafts[c.pupil].id,
                                      .method = std::string(store::ContactMethodName(c.method)),
                                      .outcome = std::string(store::ContactOutcomeName(c.outcome)),
                                      .contact = std::move(contact),
                                      .note = c.note})
                        .status());
  }
  return core::OkStatus();
}

}  // namespace rollcall::cli::internal
