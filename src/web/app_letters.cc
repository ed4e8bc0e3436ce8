// app_letters.cc: the pages and API of attendance letters
// (service/letters.h): choosing a template and a group, seeing who
// qualifies, sending, and printing what was stored as HTML or PDF.
#include <fmt/format.h>

#include <array>
#include <tuple>

#include "letters/letters.h"
#include "letters/pdf.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

json App::LetterJson(const store::Letter& l) {
  return json{{"id", l.id},
              {"batch", l.batch},
              {"pupil_id", l.pupil_id},
              {"template", l.template_key},
              {"addressee", l.addressee},
              {"address", l.address},
              {"subject", l.subject},
              {"body", l.body},
              {"figures", json::parse(l.figures_json, nullptr, false)},
              {"sent_at", IsoTime(l.at)},
              {"by", {{"name", l.by_name}, {"role", store::RoleName(l.by_role)}}},
              {"posted_on", l.posted_on ? json(l.posted_on->ToString()) : json()}};
}

Response App::PostLetters(Call& call) {
  StatusOr<nlohmann::json> body =
      ObjectBody(call.req, {"template", "group", "meeting", "email_where_possible"});
  if (!body.ok()) return ErrorResponse(body.status());
  bool email = true;
  if (body->contains("email_where_possible")) {
    if (!(*body)["email_where_possible"].is_boolean()) {
      return ErrorResponse(core::InvalidArgument(core::kErrValueInvalid,
                                                 "'email_where_possible' is not true or false"));
    }
    email = (*body)["email_where_possible"].get<bool>();
  }
  std::array<std::string, 3> fields;
  for (auto [key, field, required] :
       {std::tuple{"template", &fields[0], true}, std::tuple{"group", &fields[1], true},
        std::tuple{"meeting", &fields[2], false}}) {
    StatusOr<std::string> value = StringField(*body, key, required);
    if (!value.ok()) return ErrorResponse(value.status());
    *field = *value;
  }
  StatusOr<std::vector<store::Letter>> sent =
      services_.letters().Send(*call.who, {fields[0], fields[1], fields[2], email});
  if (!sent.ok()) return ErrorResponse(sent.status());
  json items = json::array();
  for (const store::Letter& l : *sent) items.push_back(LetterJson(l));
  return JsonResponse(json{{"batch", sent->front().batch}, {"letters", std::move(items)}}.dump(),
                      http::status::created);
}

Response App::GetLetter(Call& call, const std::string& id) {
  StatusOr<store::Letter> l = services_.letters().Get(*call.who, id);
  if (!l.ok()) return ErrorResponse(l.status());
  return JsonResponse(LetterJson(*l).dump());
}

Response App::GetPupilLetters(Call& call, int64_t pupil_id) {
  StatusOr<service::PupilLetters> list = services_.letters().ForPupil(*call.who, pupil_id);
  if (!list.ok()) return ErrorResponse(list.status());
  json items = json::array();
  for (const store::Letter& l : list->letters) items.push_back(LetterJson(l));
  return JsonResponse(json{{"letters", std::move(items)}}.dump());
}

// ---------------------------------------------------------------------------
// Pages

namespace {

letters::Page PageOf(const store::Letter& l, const std::string& school) {
  return service::LetterPage(l, school);
}

// How the letter reached the family, a line each.
Html ServiceLines(const service::LetterService& s) {
  Html lines;
  for (const std::string& line : s.proof) {
    lines += Html::Format(R"(<li>{}</li>)", line);
  }
  return Html::Format(R"(<ul class="govuk-list no-print letter-service">{}</ul>)", lines);
}

// Text with line breaks, as lines of HTML.
Html LinesHtml(const std::string& text) {
  Html lines;
  size_t at = 0;
  while (at <= text.size()) {
    const size_t nl = text.find('\n', at);
    lines += Html::Format("{}{}", lines.str().empty() ? Html() : Html::Trusted("<br>"),
                          text.substr(at, nl == std::string::npos ? std::string::npos : nl - at));
    if (nl == std::string::npos) break;
    at = nl + 1;
  }
  return lines;
}

// As a UK letter: the school, the address block top left, the date, then
// the subject and the text.
Html LetterArticle(const letters::Page& p) {
  Html paragraphs;
  for (const std::string& para : p.paragraphs) {
    paragraphs += Html::Format(R"(<p class="govuk-body">{}</p>)", LinesHtml(para));
  }
  const std::string& to = p.address.empty() ? p.addressee : p.address;
  return Html::Format(
      R"(<article class="letter"><p class="letter-school">{}</p>{}<p class="govuk-body">{}</p><h2>{}</h2>{}</article>)",
      p.school_name,
      to.empty() ? Html()
                 : Html::Format(R"(<address class="letter-address govuk-body">{}</address>)",
                                LinesHtml(to)),
      p.date, p.subject, paragraphs);
}

}  // namespace

Response App::PageLetters(Call& call) {
  const bool post = call.req.method == http::verb::post;
  std::map<std::string, std::string> form =
      post ? FormFields(call.req)
           : std::map<std::string, std::string>(call.target.query.begin(), call.target.query.end());
  const std::string tpl = form["template"];
  const std::string group = form["group"];
  const std::string meeting = form["meeting"];
  // Ticked on the preview form unless the office untick it.
  const bool email = form["email"] == "yes";
  const std::string school = SchoolName();
  // Those who may send letters see the groups; others are refused the page.
  StatusOr<std::vector<service::LetterGroup>> group_list = services_.letters().Groups(*call.who);
  if (!group_list.ok()) return Refused(call.who, call.csrf, school, group_list.status());
  if (post) {
    StatusOr<std::vector<store::Letter>> sent =
        services_.letters().Send(*call.who, {tpl, group, meeting, email});
    if (!sent.ok()) {
      return NotSaved(call.who, call.csrf, sent.status(), "/letters", "No letters sent", school);
    }
    return Redirect(fmt::format("/letters/batch/{}", sent->front().batch));
  }
  // The form: template and group.
  Html templates;
  for (const letters::TemplateInfo& info : letters::Templates()) {
    if (!letters::ForGroups(info.id)) continue;
    templates +=
        Html::Format(R"(<option value="{}"{}>{} — {}</option>)", info.key,
                     info.key == tpl ? Html::Trusted(" selected") : Html(), info.title, info.who);
  }
  Html groups;
  for (const service::LetterGroup& g : *group_list) {
    groups += Html::Format(R"(<option value="{}"{}>{}</option>)", g.value,
                           g.value == group ? Html::Trusted(" selected") : Html(), g.label);
  }
  Html preview;
  if (!tpl.empty() && !group.empty()) {
    StatusOr<std::vector<service::LetterDraft>> drafts =
        services_.letters().Draft(*call.who, {tpl, group, meeting});
    if (!drafts.ok()) {
      preview = ErrorSummary(drafts.status().message());
    } else {
      Html rows;
      for (const service::LetterDraft& d : *drafts) {
        const store::Letter& l = d.letter;
        const json f = json::parse(l.figures_json);
        rows += Html::Format(
            R"(<tr><td><a href="/pupils/{}">{}</a></td><td>{}</td><td>{}</td><td>{}%</td><td>{}</td></tr>)",
            l.pupil_id, d.pupil_name, l.addressee, l.subject,
            f["attendance_pct"].get<std::string>(), BandText(f["band"].get<std::string>()));
      }
      preview = Html::Format(
          R"(<h2>{} letter{} to send</h2><form method="post" action="/letters"><input type="hidden" name="_csrf" value="{}">)"
          R"(<input type="hidden" name="template" value="{}"><input type="hidden" name="group" value="{}">)"
          R"(<input type="hidden" name="meeting" value="{}">{}<p><button class="primary" type="submit">Record and send {} letter{}</button></p></form>)"
          R"(<div class="scroll"><table><thead><tr><th>Pupil</th><th>To</th><th>Subject</th><th>Attendance</th><th>Band</th></tr></thead><tbody>{}</tbody></table></div>)",
          drafts->size(), drafts->size() == 1 ? "" : "s", call.csrf, tpl, group, meeting,
          Checkbox("email",
                   "Email each letter (as a PDF) to the contacts who take email; "
                   "print the rest",
                   true),
          drafts->size(), drafts->size() == 1 ? "" : "s", rows);
    }
  }
  Html recent;
  StatusOr<std::vector<store::Letter>> batches = services_.letters().RecentBatches(*call.who);
  if (batches.ok()) {
    for (const store::Letter& b : *batches) {
      recent += Html::Format(
          R"(<li><a href="/letters/batch/{}">{}</a>, {} by {} (<a href="/letters/batch/{}.pdf">PDF</a>)</li>)",
          b.batch, service::LetterKindText(b.template_key), MomentText(b.at), b.by_name, b.batch);
    }
  }
  Html body = Html::Format(
      R"(<form method="get" action="/letters" class="stack card no-print">)"
      R"(<label for="letter-template">Letter</label><select id="letter-template" name="template">{}</select>)"
      R"(<label for="letter-group">To the families of</label><select id="letter-group" name="group">{}</select>)"
      R"(<label for="letter-meeting">Meeting (panel invitations): when and where</label><input id="letter-meeting" name="meeting" maxlength="300" value="{}">)"
      R"(<p><button type="submit">See who qualifies</button></p></form>{})"
      R"(<h2>Recently sent</h2><ul>{}</ul>)",
      templates, groups, meeting, preview,
      recent.str().empty() ? Html::Trusted("<li>None yet.</li>") : recent);
  return Layout(call.who, call.csrf, school, "Letters", body);
}

Response App::PageLetterBatch(Call& call, const std::string& what) {
  const bool pdf = what.ends_with(".pdf");
  const std::string batch = pdf ? what.substr(0, what.size() - 4) : what;
  const std::string school = SchoolName();
  StatusOr<std::vector<store::Letter>> list = services_.letters().Batch(*call.who, batch);
  if (!list.ok()) return Refused(call.who, call.csrf, school, list.status());
  // "?to_print": only the letters that went by no email, for the post.
  const bool to_print = call.target.query.contains("to_print");
  std::vector<letters::Page> pages;
  std::vector<service::LetterService> services;
  int printed = 0, waiting = 0;
  for (const store::Letter& l : *list) {
    StatusOr<service::LetterService> s = services_.letters().Service(*call.who, l);
    if (!s.ok()) return Refused(call.who, call.csrf, school, s.status());
    const bool emailed = !s->emails.empty();
    printed += emailed ? 0 : 1;
    waiting += !emailed && !l.posted_on ? 1 : 0;
    if (to_print && emailed) continue;
    pages.push_back(PageOf(l, school));
    services.push_back(std::move(*s));
  }
  if (pdf) {
    if (pages.empty()) {
      return Refused(call.who, call.csrf, school,
                     core::NotFound(core::kErrNoLetters,
                                    "every letter of this batch went by email: none to print"));
    }
    StatusOr<std::string> bytes = letters::RenderPdf(pages);
    if (!bytes.ok()) return Refused(call.who, call.csrf, school, bytes.status());
    return PdfResponse(std::move(*bytes), fmt::format("letters-{}.pdf", batch));
  }
  Html articles;
  for (size_t k = 0; k < pages.size(); ++k) {
    articles += ServiceLines(services[k]);
    articles += LetterArticle(pages[k]);
  }
  Html posted;
  if (waiting > 0) {
    posted = Html::Format(
        R"(<form method="post" action="/letters/batch/{}/posted" class="stack card no-print">)"
        R"(<input type="hidden" name="_csrf" value="{}">)"
        R"(<label for="posted-on">{} printed letter{} went in the post on</label>)"
        R"(<input id="posted-on" name="posted_on" type="date" value="{}">)"
        R"(<p><button type="submit">Record the posting date</button></p></form>)",
        batch, call.csrf, waiting, waiting == 1 ? "" : "s", clock_.Today().ToString());
  }
  return Layout(
      call.who, call.csrf, school,
      fmt::format("{} letter{} recorded", list->size(), list->size() == 1 ? "" : "s"),
      Html::Format(
          R"(<p class="no-print">{} to print, {} by email. )"
          R"(<a href="/letters/batch/{}.pdf?to_print">Download the letters to print (PDF)</a> · )"
          R"(<a href="/letters/batch/{}.pdf">Download all as PDF</a> · )"
          R"(<button type="button" data-print>Print</button> · <a href="/letters">Letters</a></p>{}{})",
          printed, list->size() - static_cast<size_t>(printed), batch, batch, posted, articles));
}

Response App::PageLettersPosted(Call& call, const std::string& batch) {
  std::map<std::string, std::string> form = FormFields(call.req);
  const std::string back = fmt::format("/letters/batch/{}", batch);
  StatusOr<int> n = services_.letters().MarkPosted(*call.who, batch, form["posted_on"]);
  if (!n.ok()) return NotSaved(call.who, call.csrf, n.status(), back, "Not recorded", SchoolName());
  return Redirect(back);
}

Response App::PageLetter(Call& call, const std::string& what) {
  const bool pdf = what.ends_with(".pdf");
  const std::string id = pdf ? what.substr(0, what.size() - 4) : what;
  const std::string school = SchoolName();
  StatusOr<store::Letter> l = services_.letters().Get(*call.who, id);
  if (!l.ok()) return Refused(call.who, call.csrf, school, l.status());
  const std::vector<letters::Page> pages = {PageOf(*l, school)};
  if (pdf) {
    StatusOr<std::string> bytes = letters::RenderPdf(pages);
    if (!bytes.ok()) return Refused(call.who, call.csrf, school, bytes.status());
    return PdfResponse(std::move(*bytes), fmt::format("letter-{}.pdf", id));
  }
  StatusOr<service::LetterService> service = services_.letters().Service(*call.who, *l);
  if (!service.ok()) return Refused(call.who, call.csrf, school, service.status());
  return Layout(
      call.who, call.csrf, school, l->subject,
      Html::Format(
          R"(<p class="no-print"><a href="/letters/{}.pdf">Download as PDF</a> · <a href="/pupils/{}#letters">Back to the pupil</a></p>{}{})",
          l->id, l->pupil_id, ServiceLines(*service), LetterArticle(pages.front())));
}

Html App::LettersSection(const Call& call, const store::Pupil& p) {
  StatusOr<service::PupilLetters> list = services_.letters().ForPupil(*call.who, p.id);
  if (!list.ok()) {
    // Those who may not read the pupil's contact log see nothing of it.
    const core::ErrorKind kind = list.status().kind();
    if (kind == core::ErrorKind::kPermissionDenied || kind == core::ErrorKind::kNotFound) {
      return Html();
    }
    return ErrorSummary(list.status().message());
  }
  Html items;
  for (auto l = list->letters.rbegin(); l != list->letters.rend(); ++l) {
    items += Html::Format(
        R"(<li><a href="/letters/{}">{}</a>, {} to {} by {} (<a href="/letters/{}.pdf">PDF</a>)</li>)",
        l->id, l->subject, MomentText(l->at), l->addressee, l->by_name, l->id);
  }
  Html form;
  if (list->may_send) {
    Html templates;
    for (const letters::TemplateInfo& info : letters::Templates()) {
      if (!letters::ForGroups(info.id)) continue;
      templates += Html::Format(R"(<option value="{}">{}</option>)", info.key, info.title);
    }
    form = Html::Format(
        R"(<details><summary>Send a letter</summary><form class="stack" method="post" action="/letters">)"
        R"(<input type="hidden" name="_csrf" value="{}"><input type="hidden" name="group" value="pupil-{}">)"
        R"(<label for="pupil-letter">Letter</label><select id="pupil-letter" name="template">{}</select>)"
        R"(<label for="pupil-meeting">Meeting (panel invitations): when and where</label><input id="pupil-meeting" name="meeting" maxlength="300">)"
        R"(<p><button type="submit">Record and print</button></p></form></details>)",
        call.csrf, p.id, templates);
  }
  return Html::Format(R"(<h2 id="letters">Letters</h2><ul>{}</ul>{})",
                      items.str().empty() ? Html::Trusted("<li>None sent.</li>") : items, form);
}

}  // namespace rollcall::web
