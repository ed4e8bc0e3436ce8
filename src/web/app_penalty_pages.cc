// app_penalty_pages.cc: the penalty-notice pages: the list of cases, one
// case with its evidence, timeline and the forms for its next step, the
// pupil page's section, Today's reminders, and the evidence pack for the LA
// (generated and stored by service::Penalties, then served as JSON or PDF
// exactly as stored).
#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

#include "core/error_codes.h"
#include "core/penalty.h"
#include "letters/pdf.h"
#include "service/penalties.h"
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
  switch (e.kind) {
    case store::PenaltyEventKind::kDecision:
      return fmt::format("Decision: {}", service::DecisionText(*e.decision));
    case store::PenaltyEventKind::kNti:
      return fmt::format("Notice to improve issued; improvement period {} to {}", LongDate(*e.on),
                         LongDate(*e.end));
    case store::PenaltyEventKind::kNtiOutcome:
      return fmt::format("Improvement period outcome: {}", service::ImprovementText(*e.outcome));
    case store::PenaltyEventKind::kNotice:
      return fmt::format("Penalty notice {} issued to {} on {}",
                         e.notice_number == 2 ? "(second)" : "(first)", e.parent, LongDate(*e.on));
    case store::PenaltyEventKind::kPayment:
      return fmt::format("Paid {} on {}", Pounds(e.amount_pence), LongDate(*e.on));
    case store::PenaltyEventKind::kWithdrawal:
      return "Notice withdrawn";
    case store::PenaltyEventKind::kProsecution:
      return "Referred to the LA for prosecution";
    case store::PenaltyEventKind::kClosed:
      return "Case closed";
  }
  core::Unreachable();
}

std::string ThresholdWords(store::PenaltyCaseKind kind, const std::string& local_name) {
  switch (kind) {
    case store::PenaltyCaseKind::kLocal:
      return "the local code of conduct's trigger" +
             (local_name.empty() ? "" : " (" + local_name + ")");
    case store::PenaltyCaseKind::kExclusion:
      return "the exclusion notice conditions";
    case store::PenaltyCaseKind::kAttendance:
      return "the national threshold";
  }
  core::Unreachable();
}

// Threshold-avoidance patterns as list items; `names`: with the pupil's
// name, linked, before each (the list of every pupil's).
Html AvoidanceItems(const core::StatusOr<std::vector<service::AvoidanceView>>& patterns,
                    bool names) {
  Html items;
  if (!patterns.ok()) return items;
  for (const service::AvoidanceView& a : *patterns) {
    items += Html::Format(
        R"(<li>{}{}<details class="govuk-details"><summary class="govuk-details__summary">)"
        R"(<span class="govuk-details__summary-text">{}</span></summary>)"
        R"(<div class="govuk-details__text"><p>{}</p></div></details></li>)",
        names ? Html::Format(R"(<a href="/pupils/{}#penalty">{}</a>: )", a.pupil_id, a.pupil_name)
              : Html(),
        a.description, Plural(a.sessions, "session"),
        fmt::format("{}", fmt::join(CitedSessions(a.evidence), ", ")));
  }
  return items;
}

// A case id that names none reads the same on every page.
Status NoSuchPenaltyCase(const Status& s) {
  return s.code() == core::kErrPenaltyCaseUnknown
             ? core::NotFound(core::kErrPenaltyCaseUnknown, "No such penalty case.")
             : s;
}

}  // namespace

Response App::PagePenalties(Call& call) {
  const std::string school = SchoolName();
  service::Penalties& penalties = services_.penalties();
  StatusOr<std::vector<service::PenaltyView>> views = penalties.Cases(*call.who);
  if (!views.ok()) return Refused(call.who, call.csrf, school, views.status());
  const Html patterns = AvoidanceItems(penalties.Patterns(*call.who, std::nullopt), true);
  Html rows;
  for (auto v = views->rbegin(); v != views->rend(); ++v) {
    rows += Html::Format(
        R"(<tr><td><a href="/penalties/{}">Case {}</a></td><td><a href="/pupils/{}">{}</a></td><td>{}</td><td>{}</td></tr>)",
        v->c.id, v->c.id, v->c.pupil_id, v->pupil_name, SessionText(v->c.alert), v->next_step);
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
  service::Penalties& penalties = services_.penalties();
  StatusOr<service::PenaltyView> found = penalties.Case(*call.who, id);
  if (!found.ok()) return Refused(call.who, call.csrf, school, NoSuchPenaltyCase(found.status()));
  const service::PenaltyView& v = *found;
  if (Status logged = services_.access_log().Record(*call.who, store::kAccessCasework, v.c.pupil_id,
                                                    fmt::format("penalty case {}", v.c.id));
      !logged.ok()) {
    return Refused(call.who, call.csrf, school, logged);
  }
  const service::PenaltyRights rights = penalties.RightsOf(*call.who);
  const bool decides = rights.decide;
  const bool pays = rights.record_payment;
  const Date today = clock_.Today();
  // The sessions of the window that opened the case, then of each later
  // window of the episode.
  const auto session_items = [](const std::string& cited) {
    Html items;
    for (const std::string& item : CitedSessions(cited)) items += Html::Format("<li>{}</li>", item);
    return items;
  };
  const Html evidence = session_items(v.c.evidence);
  Html later;
  for (const store::PenaltyWindow& w : v.c.windows) {
    later += Html::Format(
        R"(<h3 class="govuk-heading-s">Threshold met again at {}</h3><ol class="cols">{}</ol>)",
        SessionText(w.alert), session_items(w.evidence));
  }
  Html parents;
  for (const service::ParentOption& p : v.parents) {
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
  for (const service::NoticeView& n : v.notices) {
    Html actions;
    const Html form_head = Html::Format(
        R"(<form class="call-form" method="post" action="/penalties/{}/event"><input type="hidden" name="_csrf" value="{}"><input type="hidden" name="notice_id" value="{}">)",
        v.c.id, call.csrf, n.notice.id);
    if (pays &&
        (n.status == core::NoticeStatus::kDueReduced || n.status == core::NoticeStatus::kDueFull)) {
      actions += Html::Format(
          R"({}<input type="hidden" name="kind" value="payment">{} )"
          R"(<label>Amount (pence) <input name="amount_pence" inputmode="numeric" size="6" value="{}"></label> <button type="submit">Record payment</button></form>)",
          form_head, DateInput(fmt::format("paid-{}", n.notice.id), "on", "Paid on", today, false),
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
        n.notice.parent, LongDate(*n.notice.on), LongDate(n.terms.served),
        Pounds(n.terms.reduced_pence), LongDate(n.terms.reduced_by), Pounds(n.terms.full_pence),
        LongDate(n.terms.full_by), StatusWords(n.status), actions);
  }
  Html timeline;
  for (const store::PenaltyEvent& e : v.events) {
    timeline += Html::Format("<li>{}: {}{} ({}, {})</li>", MomentText(e.at), EventWords(e),
                             e.text.empty() ? std::string() : " — " + e.text, e.by_name,
                             service::RoleText(e.by_role));
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
          R"({}{})"
          R"(<label for="nti-target">What sufficient improvement means</label><textarea id="nti-target" name="text" rows="2" required maxlength="2000"></textarea>)"
          R"(<p><button type="submit">Issue</button></p></form></details>)",
          v.c.id, call.csrf, DateInput("nti-start", "on", "Improvement period starts", today),
          DateInput("nti-end", "end", "… and ends (3 to 6 weeks)", today.AddDays(27)));
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
      for (const service::ParentOption& p : v.parents) {
        if (p.issued_here || p.action == core::PenaltyAction::kConsiderProsecution) continue;
        options += Html::Format(R"(<option value="{}">{} ({})</option>)", p.parent, p.parent,
                                p.relationship);
      }
      if (!options.str().empty()) {
        forms += Html::Format(
            R"(<details open><summary>Issue a penalty notice</summary><form class="stack" method="post" action="/penalties/{}/event">)"
            R"(<input type="hidden" name="_csrf" value="{}"><input type="hidden" name="kind" value="notice">)"
            R"(<label for="pn-parent">To</label><select id="pn-parent" name="parent">{}</select>)"
            R"({})"
            R"(<p><button type="submit">Issue the notice</button></p></form></details>)",
            v.c.id, call.csrf, options, DateInput("pn-issued", "on", "Issued (posted) on", today));
      }
    }
    forms += Html::Format(
        R"(<details><summary>Close the case</summary><form class="stack" method="post" action="/penalties/{}/event">)"
        R"(<input type="hidden" name="_csrf" value="{}"><input type="hidden" name="kind" value="closed">)"
        R"(<label for="pn-close">Outcome</label><input id="pn-close" name="text" required maxlength="2000">)"
        R"(<p><button type="submit">Close</button></p></form></details>)",
        v.c.id, call.csrf);
  }
  StatusOr<std::vector<store::EvidencePack>> packs = penalties.EvidencePacks(*call.who, v.c.id);
  Html pack_list;
  if (packs.ok()) {
    for (const store::EvidencePack& p : *packs) {
      pack_list += Html::Format(
          R"(<li>{} by {}: <a href="/penalties/{}/evidence/{}.pdf">PDF</a> · <a href="/penalties/{}/evidence/{}.json">JSON</a></li>)",
          MomentText(p.at), p.by_name, v.c.id, p.id, v.c.id, p.id);
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
      R"(<p><a href="/pupils/{}">{}</a> met {} at {}. <strong>Next:</strong> {}</p>)"
      R"(<h2>Sessions cited</h2><ol class="cols">{}</ol>{})"
      R"(<h2>What each parent may be given</h2><ul id="case-parents">{}</ul>)"
      R"(<h2>Notices</h2><div class="scroll"><table><thead><tr><th>To</th><th>Issued</th><th>Served</th><th>Amounts</th><th>Status</th><th></th></tr></thead><tbody>{}</tbody></table></div>)"
      R"({}<h2>Timeline</h2><ul>{}</ul><h2>Evidence packs</h2><ul>{}</ul>{})",
      v.c.pupil_id, v.pupil_name, ThresholdWords(v.c.kind, v.local_code_name),
      SessionText(v.c.alert), v.next_step, evidence, later,
      parents.str().empty()
          ? Html::Format(
                R"(<li>No contact of {} is recorded as having parental responsibility. The )"
                R"(office must record who has it, on <a href="/pupils/{}#contacts">the pupil's )"
                R"(contacts</a>, before a notice to improve or a penalty notice can be issued.</li>)",
                v.pupil_name, v.c.pupil_id)
          : parents,
      notices.str().empty() ? Html::Trusted(R"(<tr><td colspan="6">None.</td></tr>)") : notices,
      forms,
      timeline.str().empty()
          ? Html::Trusted("<li>Opened by rollcall when the threshold was met.</li>")
          : timeline,
      pack_list.str().empty() ? Html::Trusted("<li>None yet.</li>") : pack_list, generate);
  return Layout(call.who, call.csrf, school, fmt::format("Penalty notice case {}", v.c.id),
                DoneBanner(call.target.query) + body);
}

Response App::PagePenaltyEvent(Call& call, const std::string& id) {
  std::map<std::string, std::string> form = FormFields(call.req);
  // An empty field is one not given, as in the API's body.
  auto given = [&](const char* key) {
    return form[key].empty() ? std::nullopt : std::optional<std::string>(form[key]);
  };
  const service::PenaltyEventRequest r{.case_id = id,
                                       .kind = form["kind"],
                                       .decision = given("decision"),
                                       .outcome = given("outcome"),
                                       .end = given("end"),
                                       .parent = given("parent"),
                                       .text = form["text"],
                                       .on = form["on"],
                                       .notice_id = ParseId(form["notice_id"]),
                                       .amount_pence = ParseId(form["amount_pence"])};
  StatusOr<store::PenaltyEvent> e = services_.penalties().AddEvent(*call.who, r);
  if (!e.ok()) {
    return NotSaved(call.who, call.csrf, e.status(), fmt::format("/penalties/{}", id));
  }
  return RedirectDone(fmt::format("/penalties/{}", id), Done::kPenaltySaved);
}

Response App::PostEvidencePack(Call& call, const std::string& id) {
  StatusOr<store::EvidencePack> pack = services_.penalties().GenerateEvidencePack(*call.who, id);
  if (!pack.ok()) {
    return Refused(call.who, call.csrf, SchoolName(), NoSuchPenaltyCase(pack.status()));
  }
  return Redirect(fmt::format("/penalties/{}/evidence/{}.pdf", pack->case_id, pack->id));
}

Response App::GetEvidencePack(Call& call, const std::string& case_text, const std::string& what) {
  const std::string school = SchoolName();
  const bool pdf = what.ends_with(".pdf");
  const bool is_json = what.ends_with(".json");
  // "12.pdf" or "12.json"; anything else names no pack.
  const std::string pack_text = pdf       ? what.substr(0, what.size() - 4)
                                : is_json ? what.substr(0, what.size() - 5)
                                          : std::string();
  StatusOr<store::EvidencePack> found =
      services_.penalties().FindEvidencePack(*call.who, case_text, pack_text);
  if (!found.ok()) return Refused(call.who, call.csrf, school, found.status());
  const int64_t case_id = found->case_id;
  const int64_t pack_id = found->id;
  if (StatusOr<service::PenaltyView> c = services_.penalties().Case(*call.who, case_text);
      !c.ok()) {
    return Refused(call.who, call.csrf, school, c.status());
  } else if (Status logged = services_.access_log().Record(
                 *call.who, store::kAccessCasework, c->c.pupil_id,
                 fmt::format("penalty case {} evidence pack {}", case_id, pack_id));
             !logged.ok()) {
    return Refused(call.who, call.csrf, school, logged);
  }
  if (is_json) {
    return Attachment(found->content, "application/json",
                      fmt::format("evidence-{}-{}.json", case_id, pack_id));
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
    std::string service;
    // Packs made before letters recorded their service have no "service".
    if (l.contains("service")) {
      for (const auto& line : l["service"]) service += ". " + line.get<std::string>();
    }
    paragraphs.push_back(fmt::format("Letter {}: {} (to {}){}", l["sent_at"].get<std::string>(),
                                     l["subject"].get<std::string>(), l["to"].get<std::string>(),
                                     service));
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
  return PdfResponse(std::move(*bytes), fmt::format("evidence-{}-{}.pdf", case_id, pack_id));
}

Html App::PenaltySection(const Call& call, const store::Pupil& p) {
  service::Penalties& penalties = services_.penalties();
  StatusOr<std::vector<service::PenaltyView>> views = penalties.Cases(*call.who, p.id);
  if (!views.ok()) return Html();
  Html items;
  for (const service::PenaltyView& v : *views) {
    items += Html::Format(R"(<li><a href="/penalties/{}">Case {}</a>: threshold met {}; {}</li>)",
                          v.c.id, v.c.id, SessionText(v.c.alert), v.next_step);
  }
  const Html patterns = AvoidanceItems(penalties.Patterns(*call.who, p.id), false);
  return Html::Format(R"(<h2 id="penalty">Penalty notices</h2><ul>{}</ul>{})",
                      items.str().empty() ? Html::Trusted("<li>None.</li>") : items,
                      patterns.str().empty()
                          ? Html()
                          : Html::Format("<h3>Patterns to look at</h3><ul>{}</ul>", patterns));
}

Html App::PenaltyTodaySection(const Call& call) {
  StatusOr<std::vector<service::PenaltyView>> views = services_.penalties().ToActOn(*call.who);
  if (!views.ok()) return Html();
  Html items;
  for (const service::PenaltyView& v : *views) {
    items += Html::Format(R"(<li><a href="/penalties/{}">{}</a>: {}</li>)", v.c.id, v.pupil_name,
                          v.next_step);
  }
  return Html::Format(R"(<h2>Penalty notices to act on</h2><ul>{}</ul>)",
                      items.str().empty() ? Html::Trusted("<li>None.</li>") : items);
}

}  // namespace rollcall::web
