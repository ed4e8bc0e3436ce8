// app_penalty_pages.cc: the penalty-notice pages: the list of cases, one
// case with its evidence, timeline and the forms for its next step, the
// pupil page's section, Today's reminders, and the evidence pack for the LA
// (generated, stored, then served as JSON or PDF exactly as stored).
#include <fmt/format.h>

#include <algorithm>

#include "core/error_codes.h"
#include "core/local_code.h"
#include "core/penalty.h"
#include "core/pupil_sessions.h"
#include "letters/pdf.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

std::string_view StatusWords(core::NoticeStatus status) {
  switch (status) {
    case core::NoticeStatus::kDueReduced:
      return "due (reduced amount)";
    case core::NoticeStatus::kDueFull:
      return "due (full amount)";
    case core::NoticeStatus::kUnpaid:
      return "unpaid after 28 days: prosecute or withdraw";
    case core::NoticeStatus::kProsecution:
      return "referred for prosecution";
    case core::NoticeStatus::kPaid:
    case core::NoticeStatus::kWithdrawn:
      return core::NoticeStatusName(status);
  }
  core::Unreachable();
}

std::string EventWords(const store::PenaltyEvent& e) {
  if (e.kind == "decision") return "Decision: " + e.decision;
  if (e.kind == "nti") {
    return fmt::format("Notice to improve issued; improvement period {} to {}", e.on->ToString(),
                       e.end->ToString());
  }
  if (e.kind == "nti_outcome") return "Improvement period outcome: " + e.decision;
  if (e.kind == "notice") {
    return fmt::format("Penalty notice {} issued to {} on {}",
                       e.notice_number == 2 ? "(second)" : "(first)", e.parent, e.on->ToString());
  }
  if (e.kind == "payment")
    return fmt::format("Paid {} on {}", Pounds(e.amount_pence), e.on->ToString());
  if (e.kind == "withdrawal") return "Notice withdrawn";
  if (e.kind == "prosecution") return "Referred to the LA for prosecution";
  if (e.kind == "closed") return "Case closed";
  return e.kind;
}

std::string ThresholdWords(const std::string& kind, const std::string& local_name) {
  if (kind == "local") {
    return "the local code of conduct's trigger" +
           (local_name.empty() ? "" : " (" + local_name + ")");
  }
  if (kind == "exclusion") return "the exclusion notice conditions";
  return "the national threshold";
}

}  // namespace

Html App::AvoidanceHtml(std::optional<int64_t> pupil) const {
  std::shared_lock lock(mu_);
  const core::Calendar& calendar = snapshot_.scenario.calendar;
  const Date today = clock_.Today();
  Html items;
  for (size_t i = 0; i < snapshot_.pupils.size(); ++i) {
    const store::Pupil& p = snapshot_.pupils[i];
    if (pupil && p.id != *pupil) continue;
    if (!snapshot_.scenario.pupils[i].OnRollOn(today)) continue;
    const std::vector<core::PupilSession> sessions = core::BuildPupilSessions(
        calendar, snapshot_.scenario.pupils[i], snapshot_.scenario.marks[i],
        snapshot_.scenario.default_mark, today);
    for (const core::AvoidancePattern& a :
         core::ThresholdAvoidance(calendar, snapshot_.scenario.policy, sessions)) {
      items += Html::Format(
          R"(<li>{}{}<details><summary>{} sessions</summary><p>{}</p></details></li>)",
          pupil ? Html()
                : Html::Format(R"(<a href="/pupils/{}#penalty">{}</a>: )", p.id, DisplayName(p)),
          a.description, a.evidence.size(), EvidenceText(calendar, a.evidence));
    }
  }
  return items;
}

Response App::PagePenalties(Call& call) {
  const std::string school = SchoolName();
  StatusOr<std::vector<PenaltyView>> views = PenaltyViews(call, std::nullopt, std::nullopt);
  if (!views.ok()) return Refused(call.who, call.csrf, school, views.status());
  const Html patterns = AvoidanceHtml(std::nullopt);
  Html rows;
  for (auto v = views->rbegin(); v != views->rend(); ++v) {
    rows += Html::Format(
        R"(<tr><td><a href="/penalties/{}">Case {}</a></td><td><a href="/pupils/{}">{}</a></td><td>{} {}</td><td>{}</td></tr>)",
        v->c.id, v->c.id, v->c.pupil_id, v->pupil_name, v->c.alert.date.ToString(),
        core::SessionName(v->c.alert.session), v->next_step);
  }
  return Layout(
      call.who, call.csrf, school, "Penalty notices",
      Html::Format(
          R"(<p>A case opens when a pupil reaches the national threshold: 10 unauthorised sessions )"
          R"(in 10 school weeks (the school's counted codes). The head decides what follows.</p>)"
          R"(<div class="scroll"><table><thead><tr><th>Case</th><th>Pupil</th><th>Threshold met</th><th>Next step</th></tr></thead>)"
          R"(<tbody>{}</tbody></table></div>)"
          R"(<h2>Patterns to look at</h2><p class="muted">Families who may be keeping just clear of the )"
          R"(threshold: unauthorised absence beside two or more school holidays, or two separate windows )"
          R"(within 2 sessions of it. For the LA's discretion; no case opens from these.</p><ul>{}</ul>)",
          rows.str().empty() ? Html::Trusted(R"(<tr><td colspan="4">None.</td></tr>)") : rows,
          patterns.str().empty() ? Html::Trusted("<li>None.</li>") : patterns));
}

Response App::PagePenaltyCase(Call& call, const std::string& id) {
  const std::string school = SchoolName();
  const std::optional<int64_t> case_id = ParseId(id);
  StatusOr<std::vector<PenaltyView>> views =
      case_id ? PenaltyViews(call, std::nullopt, *case_id)
              : StatusOr<std::vector<PenaltyView>>(std::vector<PenaltyView>{});
  if (!views.ok()) return Refused(call.who, call.csrf, school, views.status());
  if (views->empty()) {
    return Refused(call.who, call.csrf, school,
                   core::NotFound(core::kErrPenaltyCaseUnknown, "No such penalty case."));
  }
  const PenaltyView& v = views->front();
  std::string local_name;
  {
    std::shared_lock lock(mu_);
    local_name = snapshot_.scenario.policy.local_code.name;
  }
  const bool decides = Allow(call, Action::kDecidePenalty, {}).ok();
  const bool pays = Allow(call, Action::kRecordPenaltyPayment, {}).ok();
  const std::string today = clock_.Today().ToString();
  Html evidence;
  size_t at = 0;
  while (at < v.c.evidence.size()) {
    size_t comma = v.c.evidence.find(", ", at);
    if (comma == std::string::npos) comma = v.c.evidence.size();
    evidence += Html::Format("<li>{}</li>", v.c.evidence.substr(at, comma - at));
    at = comma + 2;
  }
  Html parents;
  for (const ParentOption& p : v.parents) {
    parents += Html::Format(
        "<li>{} ({}): {}{}</li>", p.parent, p.relationship,
        p.action == core::PenaltyAction::kFirstNotice
            ? "a first notice: £80 within 21 days, £160 within 28"
        : p.action == core::PenaltyAction::kSecondNotice
            ? "a second notice: £160 within 28 days"
            : "no notice: two in the last 3 years, consider prosecution",
        p.issued_here ? Html::Trusted(" — <strong>issued in this case</strong>") : Html());
  }
  Html notices;
  for (const NoticeView& n : v.notices) {
    Html actions;
    const Html form_head = Html::Format(
        R"(<form class="call-form" method="post" action="/penalties/{}/event"><input type="hidden" name="_csrf" value="{}"><input type="hidden" name="notice_id" value="{}">)",
        v.c.id, call.csrf, n.notice.id);
    if (pays &&
        (n.status == core::NoticeStatus::kDueReduced || n.status == core::NoticeStatus::kDueFull)) {
      actions += Html::Format(
          R"({}<input type="hidden" name="kind" value="payment"><label>Paid on <input type="date" name="on" value="{}"></label> )"
          R"(<label>Amount (pence) <input name="amount_pence" inputmode="numeric" size="6" value="{}"></label> <button type="submit">Record payment</button></form>)",
          form_head, today,
          n.status == core::NoticeStatus::kDueReduced ? n.terms.reduced_pence : n.terms.full_pence);
    }
    if (decides && n.status != core::NoticeStatus::kPaid &&
        n.status != core::NoticeStatus::kWithdrawn) {
      actions += Html::Format(
          R"({}<input type="hidden" name="kind" value="withdrawal"><label>Reason <input name="text" required maxlength="2000" size="20"></label> <button type="submit">Withdraw</button></form>)",
          form_head);
    }
    if (decides && n.status == core::NoticeStatus::kUnpaid) {
      actions += Html::Format(
          R"({}<input type="hidden" name="kind" value="prosecution"><label>Note <input name="text" maxlength="2000" size="20"></label> <button type="submit">Refer for prosecution</button></form>)",
          form_head);
    }
    notices += Html::Format(
        R"(<tr><td>{}</td><td>{}</td><td>{}</td><td>{} by {}; {} by {}</td><td>{}</td><td>{}</td></tr>)",
        n.notice.parent, n.notice.on->ToString(), n.terms.served.ToString(),
        Pounds(n.terms.reduced_pence), n.terms.reduced_by.ToString(), Pounds(n.terms.full_pence),
        n.terms.full_by.ToString(), StatusWords(n.status), actions);
  }
  Html timeline;
  for (const store::PenaltyEvent& e : v.events) {
    timeline += Html::Format("<li>{}: {}{} ({}, {})</li>", IsoTime(e.at), EventWords(e),
                             e.text.empty() ? std::string() : " — " + e.text, e.by_name,
                             store::RoleName(e.by_role));
  }
  Html forms;
  if (decides && v.stage != core::PenaltyStage::kClosed) {
    forms += Html::Format(
        R"(<details><summary>Record the head's decision</summary><form class="stack" method="post" action="/penalties/{}/event">)"
        R"(<input type="hidden" name="_csrf" value="{}"><input type="hidden" name="kind" value="decision">)"
        R"(<label for="pn-decision">Decision</label><select id="pn-decision" name="decision">)"
        R"(<option value="support_first">Support first</option><option value="notice_to_improve">Notice to improve</option>)"
        R"(<option value="penalty_notice">Penalty notice</option><option value="no_action">No action</option></select>)"
        R"(<label for="pn-reasons">Reasons (the threshold, the best option, alternatives, the family's circumstances)</label>)"
        R"(<textarea id="pn-reasons" name="text" rows="3" required maxlength="2000"></textarea>)"
        R"(<p><button type="submit">Save the decision</button></p></form></details>)",
        v.c.id, call.csrf);
    if (v.stage == core::PenaltyStage::kNtiToIssue) {
      forms += Html::Format(
          R"(<details open><summary>Issue the notice to improve</summary><form class="stack" method="post" action="/penalties/{}/event">)"
          R"(<input type="hidden" name="_csrf" value="{}"><input type="hidden" name="kind" value="nti">)"
          R"(<label for="nti-start">Improvement period starts</label><input id="nti-start" type="date" name="on" value="{}" required>)"
          R"(<label for="nti-end">… and ends (3 to 6 weeks)</label><input id="nti-end" type="date" name="end" value="{}" required>)"
          R"(<label for="nti-target">What sufficient improvement means</label><textarea id="nti-target" name="text" rows="2" required maxlength="2000"></textarea>)"
          R"(<p><button type="submit">Issue</button></p></form></details>)",
          v.c.id, call.csrf, today, clock_.Today().AddDays(27).ToString());
    }
    if (v.stage == core::PenaltyStage::kNtiEnded) {
      forms += Html::Format(
          R"(<details open><summary>Record the outcome of the improvement period</summary><form class="stack" method="post" action="/penalties/{}/event">)"
          R"(<input type="hidden" name="_csrf" value="{}"><input type="hidden" name="kind" value="nti_outcome">)"
          R"(<label for="nti-outcome">Outcome</label><select id="nti-outcome" name="outcome"><option value="improved">Improved</option><option value="not_improved">Not improved</option></select>)"
          R"(<label for="nti-notes">Notes</label><textarea id="nti-notes" name="text" rows="2" maxlength="2000"></textarea>)"
          R"(<p><button type="submit">Save</button></p></form></details>)",
          v.c.id, call.csrf);
    }
    if (v.stage == core::PenaltyStage::kNoticeToIssue ||
        v.stage == core::PenaltyStage::kNoticesIssued) {
      Html options;
      for (const ParentOption& p : v.parents) {
        if (p.issued_here || p.action == core::PenaltyAction::kConsiderProsecution) continue;
        options += Html::Format(R"(<option value="{}">{} ({})</option>)", p.parent, p.parent,
                                p.relationship);
      }
      if (!options.str().empty()) {
        forms += Html::Format(
            R"(<details open><summary>Issue a penalty notice</summary><form class="stack" method="post" action="/penalties/{}/event">)"
            R"(<input type="hidden" name="_csrf" value="{}"><input type="hidden" name="kind" value="notice">)"
            R"(<label for="pn-parent">To</label><select id="pn-parent" name="parent">{}</select>)"
            R"(<label for="pn-issued">Issued (posted) on</label><input id="pn-issued" type="date" name="on" value="{}" required>)"
            R"(<p><button type="submit">Issue the notice</button></p></form></details>)",
            v.c.id, call.csrf, options, today);
      }
    }
    forms += Html::Format(
        R"(<details><summary>Close the case</summary><form class="stack" method="post" action="/penalties/{}/event">)"
        R"(<input type="hidden" name="_csrf" value="{}"><input type="hidden" name="kind" value="closed">)"
        R"(<label for="pn-close">Outcome</label><input id="pn-close" name="text" required maxlength="2000">)"
        R"(<p><button type="submit">Close</button></p></form></details>)",
        v.c.id, call.csrf);
  }
  StatusOr<std::vector<store::EvidencePack>> packs = store_.EvidencePacksFor(v.c.id);
  Html pack_list;
  if (packs.ok()) {
    for (const store::EvidencePack& p : *packs) {
      pack_list += Html::Format(
          R"(<li>{} by {}: <a href="/penalties/{}/evidence/{}.pdf">PDF</a> · <a href="/penalties/{}/evidence/{}.json">JSON</a></li>)",
          IsoTime(p.at), p.by_name, v.c.id, p.id, v.c.id, p.id);
    }
  }
  Html generate;
  if (decides) {
    generate = Html::Format(
        R"(<form method="post" action="/penalties/{}/evidence" class="no-print"><input type="hidden" name="_csrf" value="{}">)"
        R"(<button type="submit">Generate an evidence pack for the LA</button></form>)",
        v.c.id, call.csrf);
  }
  Html body = Html::Format(
      R"(<p><a href="/pupils/{}">{}</a> met {} at {} {}. <strong>Next:</strong> {}</p>)"
      R"(<h2>Sessions cited</h2><ol class="cols">{}</ol>)"
      R"(<h2>What each parent may be given</h2><ul>{}</ul>)"
      R"(<h2>Notices</h2><div class="scroll"><table><thead><tr><th>To</th><th>Issued</th><th>Served</th><th>Amounts</th><th>Status</th><th></th></tr></thead><tbody>{}</tbody></table></div>)"
      R"({}<h2>Timeline</h2><ul>{}</ul><h2>Evidence packs</h2><ul>{}</ul>{})",
      v.c.pupil_id, v.pupil_name, ThresholdWords(v.c.kind, local_name), v.c.alert.date.ToString(),
      core::SessionName(v.c.alert.session), v.next_step, evidence,
      parents.str().empty() ? Html::Trusted("<li>No contacts recorded.</li>") : parents,
      notices.str().empty() ? Html::Trusted(R"(<tr><td colspan="6">None.</td></tr>)") : notices,
      forms,
      timeline.str().empty()
          ? Html::Trusted("<li>Opened by rollcall when the threshold was met.</li>")
          : timeline,
      pack_list.str().empty() ? Html::Trusted("<li>None yet.</li>") : pack_list, generate);
  return Layout(call.who, call.csrf, school, fmt::format("Penalty notice case {}", v.c.id), body);
}

Response App::PagePenaltyEvent(Call& call, const std::string& id) {
  std::map<std::string, std::string> form = FormFields(call.req);
  nlohmann::json body;
  for (const char* key : {"kind", "decision", "outcome", "text", "on", "end", "parent"}) {
    if (!form[key].empty()) body[key] = form[key];
  }
  if (std::optional<int64_t> n = ParseId(form["notice_id"])) body["notice_id"] = *n;
  if (!form["amount_pence"].empty()) {
    const std::optional<int64_t> pence = ParseId(form["amount_pence"]);
    body["amount_pence"] = pence ? json(*pence) : json(form["amount_pence"]);
  }
  if (!body.contains("kind")) body["kind"] = "";
  StatusOr<store::PenaltyEvent> e = AddPenalty(call, id, body);
  if (!e.ok()) {
    return Layout(
        call.who, call.csrf, "", "Not saved",
        Html::Format(
            R"(<p class="error" role="alert">{}</p><p><a href="/penalties/{}">Back</a></p>)",
            e.status().message(), id),
        HttpStatusFor(e.status().kind()));
  }
  return Redirect(fmt::format("/penalties/{}", id));
}

StatusOr<json> App::EvidenceFor(const Call& call, const PenaltyView& v) {
  json pack;
  {
    std::shared_lock lock(mu_);
    auto it = snapshot_.pupil_index.find(v.c.pupil_id);
    if (it == snapshot_.pupil_index.end()) {
      return core::NotFound(core::kErrPupilUnknown, "the pupil is no longer in the school");
    }
    const size_t index = it->second;
    const store::Pupil& p = snapshot_.pupils[index];
    const core::Calendar& calendar = snapshot_.scenario.calendar;
    const std::optional<int32_t> alert = calendar.IndexOf(v.c.alert);
    // The window: the alert's school week and the 9 before it.
    json reg = json::array();
    if (alert) {
      const int32_t last_week = calendar.SchoolWeekOf(*alert);
      const std::vector<core::PupilSession> sessions = core::BuildPupilSessions(
          calendar, snapshot_.scenario.pupils[index], snapshot_.scenario.marks[index],
          snapshot_.scenario.default_mark, v.c.alert.date);
      const int32_t weeks = static_cast<int32_t>(snapshot_.scenario.policy.penalty.school_weeks);
      for (const core::PupilSession& s : sessions) {
        if (s.index > *alert || calendar.SchoolWeekOf(s.index) <= last_week - weeks) continue;
        const SessionKey key = calendar.SessionAt(s.index);
        reg.push_back({key.date.ToString(), core::SessionName(key.session),
                       s.code ? json(core::SymbolOf(*s.code)) : json(nullptr)});
      }
    }
    pack["school"] = {{"name", snapshot_.school.name},
                      {"urn", snapshot_.school.urn},
                      {"la_code", snapshot_.school.la_code}};
    pack["pupil"] = {{"id", p.id},
                     {"name", DisplayName(p)},
                     {"upn", p.upn},
                     {"date_of_birth", p.date_of_birth.ToString()},
                     {"year_group", p.year_group}};
    pack["register_extract"] = std::move(reg);
  }
  pack["case"] = PenaltyJson(v);
  pack["counted_codes"] = json::array();
  {
    std::shared_lock lock(mu_);
    for (core::AttendanceCode c : snapshot_.scenario.policy.penalty.codes.Codes()) {
      pack["counted_codes"].push_back(core::SymbolOf(c));
    }
  }
  ASSIGN_OR_RETURN(std::vector<store::ContactLogEntry> log,
                   store_.ContactLogForPupil(v.c.pupil_id));
  json contacts = json::array();
  for (auto e = log.rbegin(); e != log.rend(); ++e) contacts.push_back(ContactEntryJson(*e));
  pack["contact_log"] = std::move(contacts);
  ASSIGN_OR_RETURN(std::vector<store::Letter> sent, store_.LettersForPupil(v.c.pupil_id));
  json letters_json = json::array();
  for (const store::Letter& l : sent) {
    letters_json.push_back({{"id", l.id},
                            {"subject", l.subject},
                            {"sent_at", IsoTime(l.at)},
                            {"to", l.addressee},
                            {"figures", json::parse(l.figures_json, nullptr, false)}});
  }
  pack["letters"] = std::move(letters_json);
  ASSIGN_OR_RETURN(std::vector<store::SupportEvent> support, store_.SupportEventsFor(v.c.pupil_id));
  json meetings = json::array();
  for (const store::SupportEvent& e : support) {
    meetings.push_back({{"kind", store::SupportKindName(e.kind)},
                        {"held_on", e.held_on.ToString()},
                        {"attendees", e.attendees},
                        {"notes", e.notes},
                        {"targets", e.targets},
                        {"support_offered", e.support_offered},
                        {"outcome", e.outcome}});
  }
  pack["meetings_and_plans"] = std::move(meetings);
  pack["generated_at"] = IsoTime(clock_.NowSeconds());
  pack["generated_by"] = {{"name", call.who->name}, {"role", store::RoleName(call.who->role)}};
  return pack;
}

Response App::PostEvidencePack(Call& call, const std::string& id) {
  const std::string school = SchoolName();
  if (Status s = Allow(call, Action::kDecidePenalty, {}); !s.ok()) {
    return Refused(call.who, call.csrf, school, s);
  }
  const std::optional<int64_t> case_id = ParseId(id);
  StatusOr<std::vector<PenaltyView>> views =
      case_id ? PenaltyViews(call, std::nullopt, *case_id)
              : StatusOr<std::vector<PenaltyView>>(std::vector<PenaltyView>{});
  if (!views.ok()) return Refused(call.who, call.csrf, school, views.status());
  if (views->empty()) {
    return Refused(call.who, call.csrf, school,
                   core::NotFound(core::kErrPenaltyCaseUnknown, "No such penalty case."));
  }
  StatusOr<json> pack = EvidenceFor(call, views->front());
  if (!pack.ok()) return Refused(call.who, call.csrf, school, pack.status());
  store::EvidencePack stored{
      .case_id = *case_id, .content = pack->dump(), .at = clock_.NowSeconds()};
  SetAuthor(stored, *call.who);
  StatusOr<int64_t> pack_id = store_.AddEvidencePack(stored);
  if (!pack_id.ok()) return Refused(call.who, call.csrf, school, pack_id.status());
  return Redirect(fmt::format("/penalties/{}/evidence/{}.pdf", *case_id, *pack_id));
}

Response App::GetEvidencePack(Call& call, const std::string& case_text, const std::string& what) {
  const std::string school = SchoolName();
  if (Status s = Allow(call, Action::kReadPenalties, {}); !s.ok()) {
    return Refused(call.who, call.csrf, school, s);
  }
  const bool pdf = what.ends_with(".pdf");
  const bool is_json = what.ends_with(".json");
  const std::optional<int64_t> case_id = ParseId(case_text);
  const std::optional<int64_t> pack_id = ParseId(what.substr(0, what.size() - (pdf       ? 4
                                                                               : is_json ? 5
                                                                                         : 0)));
  std::optional<store::EvidencePack> found;
  if (case_id && pack_id && (pdf || is_json)) {
    StatusOr<std::vector<store::EvidencePack>> packs = store_.EvidencePacksFor(*case_id);
    if (!packs.ok()) return Refused(call.who, call.csrf, school, packs.status());
    for (const store::EvidencePack& p : *packs) {
      if (p.id == *pack_id) found = p;
    }
  }
  if (!found) {
    return Refused(call.who, call.csrf, school,
                   core::NotFound(core::kErrNotFound, "No such evidence pack."));
  }
  if (is_json) {
    Response res = JsonResponse(found->content);
    res.headers.emplace_back(
        "Content-Disposition",
        fmt::format("attachment; filename=\"evidence-{}-{}.json\"", *case_id, *pack_id));
    return res;
  }
  // The PDF: the stored JSON, laid out for reading.
  const json p = json::parse(found->content, nullptr, false);
  if (!p.is_object()) {
    return Refused(call.who, call.csrf, school,
                   core::Internal(core::kErrInternal, "the stored evidence pack is not JSON"));
  }
  std::vector<std::string> paragraphs;
  const json& c = p["case"];
  paragraphs.push_back(fmt::format(
      "Pupil: {} (UPN {}, born {}, Year {}). School: {} (URN {}, LA {}).",
      p["pupil"]["name"].get<std::string>(), p["pupil"]["upn"].get<std::string>(),
      p["pupil"]["date_of_birth"].get<std::string>(), p["pupil"]["year_group"].get<int>(),
      p["school"]["name"].get<std::string>(), p["school"]["urn"].get<std::string>(),
      p["school"]["la_code"].get<std::string>()));
  std::string codes;
  for (const auto& code : p["counted_codes"])
    codes += (codes.empty() ? "" : ", ") + code.get<std::string>();
  paragraphs.push_back(fmt::format(
      "The national threshold (10 unauthorised sessions in 10 school weeks; counted codes {}) was "
      "met at {} {}. Sessions cited: {}.",
      codes, c["alert"]["date"].get<std::string>(), c["alert"]["session"].get<std::string>(),
      c["evidence"].get<std::string>()));
  std::string reg;
  for (const auto& r : p["register_extract"]) {
    reg += fmt::format("{}{} {} {}", reg.empty() ? "" : "; ", r[0].get<std::string>(),
                       r[1].get<std::string>(),
                       r[2].is_null() ? std::string("-") : r[2].get<std::string>());
  }
  paragraphs.push_back("Register for the window: " + (reg.empty() ? std::string("none") : reg) +
                       ".");
  paragraphs.push_back("Case: " + c["next_step"].get<std::string>());
  for (const auto& e : c["events"]) {
    paragraphs.push_back(
        fmt::format("{} — {}{}{} ({})", e["at"].get<std::string>(), e["kind"].get<std::string>(),
                    e.contains("decision") ? ": " + e["decision"].get<std::string>() : "",
                    e.contains("text") ? ". " + e["text"].get<std::string>() : "",
                    e["by"]["name"].get<std::string>()));
  }
  for (const auto& n : c["notices"]) {
    paragraphs.push_back(
        fmt::format("Notice to {}: issued {}, served {}, £{:.2f} by {}, £{:.2f} by {}; {}.",
                    n["parent"].get<std::string>(), n["issued"].get<std::string>(),
                    n["served"].get<std::string>(),
                    static_cast<double>(n["reduced_pence"].get<int64_t>()) / 100.0,
                    n["reduced_by"].get<std::string>(),
                    static_cast<double>(n["full_pence"].get<int64_t>()) / 100.0,
                    n["full_by"].get<std::string>(), n["status"].get<std::string>()));
  }
  for (const auto& e : p["contact_log"]) {
    paragraphs.push_back(
        fmt::format("Contact {}: {} with {}, {}. {}", e["at"].get<std::string>(),
                    e["method"].get<std::string>(), e["contact"].get<std::string>(),
                    e["outcome"].get<std::string>(), e["note"].get<std::string>()));
  }
  for (const auto& l : p["letters"]) {
    paragraphs.push_back(fmt::format("Letter {}: {} (to {})", l["sent_at"].get<std::string>(),
                                     l["subject"].get<std::string>(), l["to"].get<std::string>()));
  }
  for (const auto& m : p["meetings_and_plans"]) {
    paragraphs.push_back(
        fmt::format("{} {}: {} {} {}", m["kind"].get<std::string>(),
                    m["held_on"].get<std::string>(), m["attendees"].get<std::string>(),
                    m["notes"].get<std::string>(), m["targets"].get<std::string>()));
  }
  paragraphs.push_back(fmt::format("Generated {} by {}.", p["generated_at"].get<std::string>(),
                                   p["generated_by"]["name"].get<std::string>()));
  const std::vector<letters::Page> pages = {
      {p["school"]["name"].get<std::string>(), p["generated_at"].get<std::string>().substr(0, 10),
       "Local authority attendance service",
       fmt::format("Evidence pack: penalty notice case {}", c["id"].get<int64_t>()), paragraphs}};
  StatusOr<std::string> bytes = letters::RenderPdf(pages);
  if (!bytes.ok()) return Refused(call.who, call.csrf, school, bytes.status());
  return PdfResponse(std::move(*bytes), fmt::format("evidence-{}-{}.pdf", *case_id, *pack_id));
}

Html App::PenaltySection(const Call& call, const store::Pupil& p) {
  if (!Allow(call, Action::kReadPenalties, {}).ok()) return Html();
  StatusOr<std::vector<PenaltyView>> views = PenaltyViews(call, p.id, std::nullopt);
  if (!views.ok()) return Html();
  Html items;
  for (const PenaltyView& v : *views) {
    items += Html::Format(
        R"(<li><a href="/penalties/{}">Case {}</a>: threshold met {} {}; {}</li>)", v.c.id, v.c.id,
        v.c.alert.date.ToString(), core::SessionName(v.c.alert.session), v.next_step);
  }
  const Html patterns = AvoidanceHtml(p.id);
  return Html::Format(R"(<h2 id="penalty">Penalty notices</h2><ul>{}</ul>{})",
                      items.str().empty() ? Html::Trusted("<li>None.</li>") : items,
                      patterns.str().empty()
                          ? Html()
                          : Html::Format("<h3>Patterns to look at</h3><ul>{}</ul>", patterns));
}

Html App::PenaltyTodaySection(const Call& call) {
  StatusOr<std::vector<PenaltyView>> views = PenaltyViews(call, std::nullopt, std::nullopt);
  if (!views.ok()) return Html();
  Html items;
  for (const PenaltyView& v : *views) {
    // The stages that wait on the school (or the LA) rather than on time
    // or the family.
    using S = core::PenaltyStage;
    const bool to_act_on = v.stage == S::kAwaitingDecision || v.stage == S::kNtiEnded ||
                           v.stage == S::kUnpaid || v.stage == S::kNoticeToIssue ||
                           v.stage == S::kNtiToIssue;
    if (!to_act_on) continue;
    items += Html::Format(R"(<li><a href="/penalties/{}">{}</a>: {}</li>)", v.c.id, v.pupil_name,
                          v.next_step);
  }
  return Html::Format(R"(<h2>Penalty notices to act on</h2><ul>{}</ul>)",
                      items.str().empty() ? Html::Trusted("<li>None.</li>") : items);
}

}  // namespace rollcall::web
