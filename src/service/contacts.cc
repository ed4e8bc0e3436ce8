// contacts.cc: the contact log and the messages parents read (contacts.h).
#include "service/contacts.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>

#include "core/error_codes.h"
#include "service/fields.h"

namespace rollcall::service {

nlohmann::ordered_json ContactEntryJson(const store::ContactLogEntry& e) {
  return nlohmann::ordered_json{
      {"id", e.id},
      {"pupil_id", e.pupil_id},
      {"at", IsoTime(e.at)},
      {"method", store::ContactMethodName(e.method)},
      {"contact", e.contact_name},
      {"outcome", store::ContactOutcomeName(e.outcome)},
      {"note", e.note},
      {"by", {{"name", e.by_name}, {"role", store::RoleName(e.by_role)}}}};
}
namespace {

constexpr size_t kMaxContactName = 200;
constexpr size_t kMaxContactNote = 2000;

std::string OutcomeNames(const std::vector<store::ContactOutcome>& outcomes) {
  std::string out;
  for (store::ContactOutcome o : outcomes) {
    out += (out.empty() ? "" : ", ") + std::string(store::ContactOutcomeName(o));
  }
  return out;
}

}  // namespace

core::StatusOr<store::ContactLogEntry> Contacts::Add(const Principal& who,
                                                     const ContactRequest& req) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.PupilFor(who, req.pupil_id, Action::kRecordContact).status());
  }
  store::ContactLogEntry e;
  e.pupil_id = req.pupil_id;
  const std::optional<store::ContactMethod> method = store::ContactMethodFromName(req.method);
  if (!method) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("method '{}' is not one of call, text, email, letter, home_visit, meeting, "
                    "message",
                    req.method));
  }
  e.method = *method;
  const std::vector<store::ContactOutcome> allowed = store::OutcomesOf(e.method);
  if (req.outcome.empty() && allowed.size() == 1) {
    e.outcome = allowed.front();  // a letter or a message is simply sent
  } else {
    const std::optional<store::ContactOutcome> outcome = store::ContactOutcomeFromName(req.outcome);
    if (!outcome) {
      return core::InvalidArgument(
          core::kErrContactOutcome,
          fmt::format("give the outcome of the {}: {}", req.method, OutcomeNames(allowed)));
    }
    // One the method cannot have (a letter that "spoke") is refused by the
    // store's own check (store::CheckContactLogEntry).
    e.outcome = *outcome;
  }
  if (req.contact.size() > kMaxContactName) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("'contact' is longer than {} characters", kMaxContactName));
  }
  if (req.note.size() > kMaxContactNote) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("'note' is longer than {} characters", kMaxContactNote));
  }
  if (e.method == store::ContactMethod::kMessage && req.note.empty()) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "a message to parents needs its text in 'note'");
  }
  e.contact_name = req.contact;
  e.note = req.note;
  e.at = school_.clock().NowSeconds();
  e.by_user_id = who.user_id;
  e.by_name = who.name;
  e.by_role = who.role;
  const auto write = school_.BeginWrite();
  ASSIGN_OR_RETURN(e.id, school_.store().AddContactLogEntry(e));
  return e;
}

core::StatusOr<store::ContactLogEntry> Contacts::LogCall(const Principal& who,
                                                         const CallRequest& req) {
  ContactRequest call{req.pupil_id, "call", req.outcome, req.contact, req.note};
  if (!req.reason.empty()) {
    // A reason comes from the family, so only from a call that reached them.
    if (req.outcome != store::ContactOutcomeName(store::ContactOutcome::kSpoke)) {
      return core::InvalidArgument(core::kErrValueInvalid,
                                   "a reason for the absence comes from speaking to the family: "
                                   "choose 'spoke to them'");
    }
    const std::string today = school_.clock().Today().ToString();
    RETURN_IF_ERROR(reports_
                        .Report(who, {.pupil_id = req.pupil_id,
                                      .from = today,
                                      .to = req.until.empty() ? today : req.until,
                                      .reason = req.reason})
                        .status());
    call.note = req.note.empty() ? "Reason given: " + req.reason
                                 : req.note + " (reason given: " + req.reason + ")";
  }
  return Add(who, call);
}

core::StatusOr<ContactLogView> Contacts::Log(const Principal& who, int64_t pupil_id) {
  ContactLogView v;
  {
    auto lock = school_.Read();
    ASSIGN_OR_RETURN(size_t index, school_.PupilFor(who, pupil_id, Action::kReadContactLog));
    const store::Pupil& p = school_.snapshot().pupils[index];
    v.may_record = school_.Allow(who, Action::kRecordContact, {p.id, p.class_id}).ok();
  }
  ASSIGN_OR_RETURN(v.entries, school_.store().ContactLogForPupil(pupil_id));
  return v;
}

core::StatusOr<std::vector<store::ContactLogEntry>> Contacts::LoggedToday(const Principal& who) {
  const core::Clock& clock = school_.clock();
  const int64_t now = clock.NowSeconds();
  const int64_t midnight = now - int64_t{clock.MinuteOfDay()} * 60 - now % 60;
  ASSIGN_OR_RETURN(std::vector<store::ContactLogEntry> entries,
                   school_.store().ContactLogSince(midnight));
  auto lock = school_.Read();
  std::erase_if(entries, [&](const store::ContactLogEntry& e) {
    return !school_.PupilFor(who, e.pupil_id, Action::kReadContactLog).ok();
  });
  return entries;
}

core::StatusOr<std::vector<FamilyMessage>> Contacts::Messages(const Principal& who,
                                                              int64_t pupil_id) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.PupilFor(who, pupil_id, Action::kReadMessages).status());
  }
  ASSIGN_OR_RETURN(std::vector<store::ContactLogEntry> log,
                   school_.store().ContactLogForPupil(pupil_id));
  ASSIGN_OR_RETURN(std::vector<store::AbsenceReport> reports,
                   school_.store().ListAbsenceReports(false));
  std::vector<FamilyMessage> out;
  for (const store::ContactLogEntry& e : log) {
    if (e.method != store::ContactMethod::kMessage) continue;
    out.push_back({e.at, "school", e.by_name, e.note});
  }
  for (const store::AbsenceReport& r : reports) {
    if (r.pupil_id != pupil_id) continue;
    const std::string dates =
        r.from == r.to ? r.from.ToString() : r.from.ToString() + " to " + r.to.ToString();
    out.push_back({r.reported_at, "family", r.reported_by_name,
                   fmt::format("Absence {}: {}", dates, r.reason)});
    if (r.resolved_at) {
      out.push_back({*r.resolved_at, "school", "School office",
                     fmt::format("About the absence {}: {}", dates, r.resolution)});
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const FamilyMessage& a, const FamilyMessage& b) { return a.at > b.at; });
  return out;
}

}  // namespace rollcall::service
