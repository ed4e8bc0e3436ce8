// app_templates.cc: the head's message templates page (/settings/templates):
// every kind of message the school sends, when it goes, the fields its words
// may use, and its email and text message words to change or put back to
// the defaults.
#include <fmt/format.h>

#include <map>
#include <string>
#include <vector>

#include "core/error_codes.h"
#include "service/message_templates.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

constexpr char kTemplatesPath[] = "/settings/templates";

// What the head typed for one kind, shown again with its problem.
struct TypedWords {
  std::string kind;
  std::string subject, email_body, sms_body;
  std::string problem;
};

// The length of a text message of `info` with `sms` as its words, filled in
// for an example family of this school (names of a usual length, a link),
// since the fields' values, not their names, are what is sent.
std::string LengthText(const service::TemplateInfo& info, const std::string& sms,
                       const std::string& school_name) {
  const std::map<std::string, std::string> example = {
      {"school_name", school_name},
      {"pupil_first_name", "Oliver"},
      {"pupil_name", "Oliver Smith"},
      {"contact_name", "Mrs A Smith"},
      {"salutation", "Dear Mrs Smith"},
      {"date", "Wednesday 30 September"},
      {"report_link", "https://attendance.example.org/parent"}};
  core::StatusOr<std::string> filled = service::FillTemplate(info, sms, example);
  const service::SmsLength n = service::SmsLengthOf(filled.ok() ? *filled : sms);
  return fmt::format(
      "{} characters, {} {} for a pupil called Oliver with a link to the "
      "parents' page{}",
      n.characters, n.parts, n.parts == 1 ? "part" : "parts",
      n.gsm ? ""
            : " (a character outside the GSM alphabet makes each part 70 "
              "characters)");
}

Html KindSection(const service::MessageTemplates::Words& w, const std::string& csrf,
                 const std::string& school_name, const TypedWords* typed) {
  const service::TemplateInfo& info = *w.info;
  const std::string& subject = typed ? typed->subject : w.subject;
  const std::string& email_body = typed ? typed->email_body : w.email_body;
  const std::string& sms_body = typed ? typed->sms_body : w.sms_body;
  const std::string id(info.kind);
  Html fields;
  for (const service::TemplateField& f : info.fields) {
    fields += Html::Format(R"(<dt><code>{{{{{}}}}}</code></dt><dd>{}</dd>)", f.name, f.meaning);
  }
  const std::string status =
      w.edited
          ? fmt::format("The school's own words, saved {} by {}.", MomentText(w.set_at), w.set_by)
      : w.set_at
          ? fmt::format("The default words (put back {} by {}).", MomentText(w.set_at), w.set_by)
          : std::string("The default words.");
  return Html::Format(
      R"(<section class="template" id="template-{}"><h2 class="govuk-heading-m">{}</h2>)"
      R"(<p class="govuk-body">{}</p><p class="govuk-body">{}</p><p class="govuk-hint">{}</p>{})"
      R"(<div class="template-editor"><div class="template-fields"><h3 class="govuk-heading-s">)"
      R"(Fields the words may use</h3><dl>{}</dl></div>)"
      R"(<form method="post" action="{}" class="template-form"><input type="hidden" name="_csrf" value="{}">)"
      R"(<input type="hidden" name="kind" value="{}">)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="{}-subject">Email subject</label>)"
      R"(<input class="govuk-input" id="{}-subject" name="subject" value="{}" maxlength="200"></div>)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="{}-email_body">Email</label>)"
      R"(<textarea class="govuk-textarea" id="{}-email_body" name="email_body" rows="10">{}</textarea></div>)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="{}-sms_body">Text message</label>)"
      R"(<div class="govuk-hint" id="{}-sms-length">{}</div>)"
      R"(<textarea class="govuk-textarea" id="{}-sms_body" name="sms_body" rows="4" aria-describedby="{}-sms-length">{}</textarea></div>)"
      R"(<button class="govuk-button" type="submit" name="action" value="save">Save</button> )"
      R"(<button class="govuk-button govuk-button--secondary" type="submit" name="action" value="reset">)"
      R"(Back to the default words</button></form></div></section>)",
      id, info.title, info.when,
      info.optional ? "Optional: not sent to contacts who asked for no optional messages."
                    : "Always sent, also to contacts who asked for no optional messages.",
      status,
      typed && !typed->problem.empty()
          ? Html::Format(R"(<p class="govuk-error-message"><span class="govuk-visually-hidden">)"
                         R"(Error:</span> {}</p>)",
                         typed->problem)
          : Html(),
      fields, kTemplatesPath, csrf, id, id, id, subject, id, id, email_body, id, id,
      LengthText(info, sms_body, school_name), id, id, sms_body);
}

// The field a refusal is about, from the part its message names first.
std::string ProblemField(std::string_view message) {
  if (message.starts_with("the text message")) return "-sms_body";
  if (message.starts_with("the email subject")) return "-subject";
  return "-email_body";
}

}  // namespace

Response App::PageTemplates(Call& call) {
  service::MessageTemplates& templates = services_.templates();
  Html message;
  http::status status = http::status::ok;
  TypedWords typed;
  if (call.req.method == http::verb::post) {
    const auto form = FormFields(call.req);
    typed.kind = Get(form, "kind");
    typed.subject = Get(form, "subject");
    typed.email_body = Get(form, "email_body");
    typed.sms_body = Get(form, "sms_body");
    const std::string action = Get(form, "action");
    const Status s = action == "reset" ? templates.Reset(*call.who, typed.kind)
                                       : templates.Save(*call.who, typed.kind, typed.subject,
                                                        typed.email_body, typed.sms_body);
    if (s.ok()) {
      const service::TemplateInfo* info = service::FindTemplateInfo(typed.kind);
      message = SuccessBanner(fmt::format(
          "{}: {}", info ? info->title : typed.kind,
          action == "reset" ? "back to the default words." : "the new words are saved."));
      typed = {};
    } else if (s.kind() == core::ErrorKind::kInvalidArgument) {
      status = http::status::unprocessable_entity;
      typed.problem = s.message();
      message = ErrorSummary(s.message(), typed.kind + ProblemField(s.message()));
    } else {
      return Refused(call.who, call.csrf, SchoolName(), s);
    }
  }
  StatusOr<std::vector<service::MessageTemplates::Words>> all = templates.List(*call.who);
  if (!all.ok()) return Refused(call.who, call.csrf, SchoolName(), all.status());
  Html sections;
  for (const service::MessageTemplates::Words& w : *all) {
    sections +=
        KindSection(w, call.csrf, SchoolName(), w.info->kind == typed.kind ? &typed : nullptr);
  }
  return Layout(
      call.who, call.csrf, SchoolName(), "Message templates",
      Html::Format(
          R"({}<p class="govuk-body">The words of every email and text message the school )"
          R"(sends. A field written <code>{{{{name}}}}</code> is filled in for each message; )"
          R"(only the fields listed beside each message can be used. A text message is )"
          R"(charged by the part: 160 characters in one, 153 a part when longer.</p>{})",
          message, sections),
      status);
}

}  // namespace rollcall::web
