// penalty_packs.cc: a penalty case's JSON and its evidence pack for the LA
// (penalties.h): generated from the snapshot and the casework records in one
// click, and stored exactly as generated, so that what the LA was sent can
// be shown again as it was.
#include <fmt/format.h>

#include <optional>
#include <utility>

#include "core/error_codes.h"
#include "core/pupil_sessions.h"
#include "service/contacts.h"
#include "service/fields.h"
#include "service/letters.h"
#include "service/penalties.h"
#include "service/records.h"

namespace rollcall::service {
namespace {

using core::Date;
using core::SessionKey;

}  // namespace

nlohmann::ordered_json PenaltyJson(const PenaltyView& v) {
  using json = nlohmann::ordered_json;
  json events = json::array();
  for (const store::PenaltyEvent& e : v.events) {
    json j{{"id", e.id},
           {"kind", store::PenaltyEventKindName(e.kind)},
           {"at", IsoTime(e.at)},
           {"by", {{"name", e.by_name}, {"role", store::RoleName(e.by_role)}}}};
    // The API names the outcome of an improvement period "decision" too.
    if (e.decision) j["decision"] = core::PenaltyDecisionName(*e.decision);
    if (e.outcome) j["decision"] = core::ImprovementOutcomeName(*e.outcome);
    if (!e.parent.empty()) j["parent"] = e.parent;
    if (e.on) j["on"] = e.on->ToString();
    if (e.end) j["end"] = e.end->ToString();
    if (e.notice_id) j["notice_id"] = *e.notice_id;
    if (e.amount_pence) j["amount_pence"] = e.amount_pence;
    if (!e.text.empty()) j["text"] = e.text;
    events.push_back(std::move(j));
  }
  json notices = json::array();
  for (const NoticeView& n : v.notices) {
    notices.push_back({{"id", n.notice.id},
                       {"parent", n.notice.parent},
                       {"number", n.notice.notice_number},
                       {"issued", n.notice.on->ToString()},
                       {"served", n.terms.served.ToString()},
                       {"reduced_pence", n.terms.reduced_pence},
                       {"reduced_by", n.terms.reduced_by.ToString()},
                       {"full_pence", n.terms.full_pence},
                       {"full_by", n.terms.full_by.ToString()},
                       {"status", core::NoticeStatusName(n.status)}});
  }
  json parents = json::array();
  for (const ParentOption& p : v.parents) {
    parents.push_back({{"parent", p.parent},
                       {"relationship", p.relationship},
                       {"action", core::PenaltyActionName(p.action)},
                       {"prior_notices", p.prior_notices},
                       {"issued_in_this_case", p.issued_here}});
  }
  // The later windows of the episode, each with the sessions it cited.
  json windows = json::array();
  for (const store::PenaltyWindow& w : v.c.windows) {
    windows.push_back(
        {{"alert",
          {{"date", w.alert.date.ToString()}, {"session", core::SessionName(w.alert.session)}}},
         {"evidence", w.evidence},
         {"added_at", IsoTime(w.added_at)}});
  }
  return json{
      {"id", v.c.id},
      {"kind", store::PenaltyCaseKindName(v.c.kind)},
      {"pupil", {{"id", v.c.pupil_id}, {"name", v.pupil_name}}},
      {"alert",
       {{"date", v.c.alert.date.ToString()}, {"session", core::SessionName(v.c.alert.session)}}},
      {"evidence", v.c.evidence},
      {"later_windows", std::move(windows)},
      {"stage", core::PenaltyStageName(v.stage)},
      {"next_step", v.next_step},
      {"parents", std::move(parents)},
      {"notices", std::move(notices)},
      {"events", std::move(events)}};
}

core::StatusOr<nlohmann::ordered_json> Penalties::PackOf(const Principal& who, const PenaltyView& v,
                                                         int64_t now) {
  using json = nlohmann::ordered_json;
  json pack;
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    auto it = snap.pupil_index.find(v.c.pupil_id);
    if (it == snap.pupil_index.end()) {
      return core::NotFound(core::kErrPupilUnknown, "the pupil is no longer in the school");
    }
    const size_t index = it->second;
    const store::Pupil& p = snap.pupils[index];
    const core::Calendar& calendar = snap.scenario.calendar;
    const std::optional<int32_t> alert = calendar.IndexOf(v.c.alert);
    // The window: the alert's school week and the 9 before it.
    json reg = json::array();
    if (alert) {
      const int32_t last_week = calendar.SchoolWeekOf(*alert);
      const std::vector<core::PupilSession> sessions = core::BuildPupilSessions(
          calendar, snap.scenario.pupils[index], snap.scenario.marks[index],
          snap.scenario.default_mark, v.c.alert.date);
      const int32_t weeks = static_cast<int32_t>(snap.scenario.policy.penalty.school_weeks);
      for (const core::PupilSession& s : sessions) {
        if (s.index > *alert || calendar.SchoolWeekOf(s.index) <= last_week - weeks) continue;
        const SessionKey key = calendar.SessionAt(s.index);
        reg.push_back({key.date.ToString(), core::SessionName(key.session),
                       s.code ? json(core::SymbolOf(*s.code)) : json(nullptr)});
      }
    }
    pack["school"] = {
        {"name", snap.school.name}, {"urn", snap.school.urn}, {"la_code", snap.school.la_code}};
    pack["pupil"] = {{"id", p.id},
                     {"name", DisplayName(p)},
                     {"upn", p.upn},
                     {"date_of_birth", p.date_of_birth.ToString()},
                     {"year_group", p.year_group}};
    pack["register_extract"] = std::move(reg);
    pack["case"] = PenaltyJson(v);
    pack["counted_codes"] = json::array();
    for (core::AttendanceCode c : snap.scenario.policy.penalty.codes.Codes()) {
      pack["counted_codes"].push_back(core::SymbolOf(c));
    }
  }
  store::Store& store = school_.store();
  ASSIGN_OR_RETURN(std::vector<store::ContactLogEntry> log, store.ContactLogForPupil(v.c.pupil_id));
  json contacts = json::array();
  for (auto e = log.rbegin(); e != log.rend(); ++e) contacts.push_back(ContactEntryJson(*e));
  pack["contact_log"] = std::move(contacts);
  ASSIGN_OR_RETURN(std::vector<store::Letter> sent, store.LettersForPupil(v.c.pupil_id));
  json letters_json = json::array();
  for (const store::Letter& l : sent) {
    // Proof of service: the posting date, or each email and its delivery.
    ASSIGN_OR_RETURN(const LetterService service, ServiceOf(store, l));
    letters_json.push_back({{"id", l.id},
                            {"subject", l.subject},
                            {"sent_at", IsoTime(l.at)},
                            {"to", l.addressee},
                            {"figures", json::parse(l.figures_json, nullptr, false)},
                            {"posted_on", l.posted_on ? json(l.posted_on->ToString()) : json()},
                            {"service", service.proof}});
  }
  pack["letters"] = std::move(letters_json);
  ASSIGN_OR_RETURN(std::vector<store::SupportEvent> support, store.SupportEventsFor(v.c.pupil_id));
  json meetings = json::array();
  for (const store::SupportEvent& e : support) {
    meetings.push_back({{"kind", store::SupportKindName(e.kind)},
                        {"held_on", e.held_on.ToString()},
                        {"attendees", e.attendees},
                        {"notes", e.notes},
                        {"targets", e.targets},
                        {"support_offered", e.support_offered},
                        {"outcome", e.outcome ? core::ImprovementOutcomeName(*e.outcome) : ""}});
  }
  pack["meetings_and_plans"] = std::move(meetings);
  pack["generated_at"] = IsoTime(now);
  pack["generated_by"] = {{"name", who.name}, {"role", store::RoleName(who.role)}};
  return pack;
}

core::StatusOr<store::EvidencePack> Penalties::GenerateEvidencePack(const Principal& who,
                                                                    const std::string& case_id) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kDecidePenalty, {}));
  }
  ASSIGN_OR_RETURN(PenaltyView v, Case(who, case_id));
  const int64_t now = school_.clock().NowSeconds();
  ASSIGN_OR_RETURN(nlohmann::ordered_json pack, PackOf(who, v, now));
  store::EvidencePack stored{.case_id = v.c.id,
                             .content = pack.dump(),
                             .at = now,
                             .by_user_id = who.user_id,
                             .by_name = who.name,
                             .by_role = who.role};
  const auto write = school_.BeginWrite();
  ASSIGN_OR_RETURN(stored.id, school_.store().AddEvidencePack(stored));
  return stored;
}

core::StatusOr<std::vector<store::EvidencePack>> Penalties::EvidencePacks(const Principal& who,
                                                                          int64_t case_id) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kReadPenalties, {}));
  }
  return school_.store().EvidencePacksFor(case_id);
}

core::StatusOr<store::EvidencePack> Penalties::FindEvidencePack(const Principal& who,
                                                                const std::string& case_id,
                                                                const std::string& pack_id) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kReadPenalties, {}));
  }
  const std::optional<int64_t> case_number = ParseId(case_id);
  const std::optional<int64_t> pack_number = ParseId(pack_id);
  if (case_number && pack_number) {
    ASSIGN_OR_RETURN(std::vector<store::EvidencePack> packs,
                     school_.store().EvidencePacksFor(*case_number));
    for (store::EvidencePack& p : packs) {
      if (p.id == *pack_number) return std::move(p);
    }
  }
  return core::NotFound(core::kErrNotFound, "No such evidence pack.");
}

}  // namespace rollcall::service
