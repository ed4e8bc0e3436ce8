// app_notifications.cc: the head's page of the emails rollcall sends staff
// (service/notifications.h), and a pupil's social worker on the pupil's
// page (service/admissions.h), shown only to those who may see
// safeguarding details.
#include <fmt/format.h>

#include <string>

#include "service/fields.h"
#include "service/message_templates.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

constexpr char kNotificationsPath[] = "/settings/notifications";

std::string RunText(const store::NotificationRun& r) {
  const std::string session = r.session == 1 ? " (morning)" : r.session == 2 ? " (afternoon)" : "";
  const service::TemplateInfo* info = service::FindTemplateInfo(r.kind);
  return fmt::format("{}{} at {}: {} email{}", info ? std::string(info->title) : r.kind, session,
                     MomentText(r.at), r.messages, r.messages == 1 ? "" : "s");
}

Html NotificationsBody(const service::NotificationsView& v, const std::string& csrf,
                       const Html& message) {
  const store::NotificationSettings& s = v.settings;
  Html leads = Html::Trusted(R"(<option value="">Nobody: no digest</option>)");
  for (const service::StaffChoice& c : v.staff) {
    const bool chosen = s.attendance_lead_user_id && *s.attendance_lead_user_id == c.user_id;
    leads += Html::Format(R"(<option value="{}"{}>{}{}</option>)", c.user_id,
                          chosen ? Html::Trusted(" selected") : Html(), c.name,
                          c.email.empty() ? std::string(" (no email address)") : "");
  }
  Html runs;
  for (const store::NotificationRun& r : v.today) {
    runs += Html::Format("<li>{}</li>", RunText(r));
  }
  Html missing;
  if (!v.without_email.empty()) {
    std::string names;
    for (const std::string& n : v.without_email) names += (names.empty() ? "" : ", ") + n;
    missing = Html::Format(
        R"(<div class="govuk-inset-text">No email address, so no notification reaches: {}. )"
        R"(Add them on the <a class="govuk-link" href="/users">accounts page</a>.</div>)",
        names);
  }
  return Html::Format(
      R"({}{}<form method="post" action="{}" class="stack card"><input type="hidden" name="_csrf" value="{}">)"
      R"(<h2 class="govuk-heading-m">Registers</h2>{})"
      R"(<h2 class="govuk-heading-m">Designated safeguarding lead</h2>{})"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="dsl_list_time">Time of the list</label>)"
      R"(<div class="govuk-hint">Leave empty for the day-one message time ({}).</div>)"
      R"(<input class="govuk-input govuk-input--width-5" id="dsl_list_time" name="dsl_list_time" value="{}" placeholder="HH:MM"></div>{})"
      R"(<h2 class="govuk-heading-m">Attendance digest</h2>)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="attendance_lead">Attendance lead</label>)"
      R"(<select class="govuk-select" id="attendance_lead" name="attendance_lead">{}</select></div>)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="digest_time">Time of the digest</label>)"
      R"(<input class="govuk-input govuk-input--width-5" id="digest_time" name="digest_time" value="{}" placeholder="HH:MM"></div>)"
      R"(<button class="govuk-button" type="submit">Save</button></form>)"
      R"(<h2 class="govuk-heading-m">Sent today</h2><ul class="govuk-list">{}</ul>{})",
      message, missing, kNotificationsPath, csrf,
      Checkbox("register_reminders",
               "Remind teachers of a register not taken 5 minutes before it closes, and tell "
               "the office at close which are still not taken",
               s.register_reminders),
      Checkbox("dsl_list",
               "Email the DSL each school day the pupils with a social worker, looked after or "
               "with an EHC plan who are absent with no reason",
               s.dsl_list),
      TimeText(v.day_one_minute), s.dsl_list_minute ? TimeText(*s.dsl_list_minute) : "",
      Checkbox("social_worker_emails",
               "Also email each listed pupil's social worker about that pupil",
               s.social_worker_emails),
      leads, TimeText(s.digest_minute),
      runs.str().empty() ? Html::Trusted("<li>Nothing yet.</li>") : runs,
      s.version == 0 ? Html()
                     : Html::Format(R"(<p class="govuk-body muted">Last changed {} by {}.</p>)",
                                    MomentText(s.set_at), s.set_by));
}

}  // namespace

Response App::PageNotifications(Call& call) {
  Html message = DoneBanner(call.target.query);
  http::status status = http::status::ok;
  if (call.req.method == http::verb::post) {
    const auto form = FormFields(call.req);
    const service::NotificationSettingsForm typed{
        .register_reminders = Get(form, "register_reminders") == "yes",
        .dsl_list = Get(form, "dsl_list") == "yes",
        .dsl_list_time = Get(form, "dsl_list_time"),
        .social_worker_emails = Get(form, "social_worker_emails") == "yes",
        .attendance_lead = Get(form, "attendance_lead"),
        .digest_time = Get(form, "digest_time")};
    StatusOr<store::NotificationSettings> saved = services_.notifications().Save(*call.who, typed);
    if (saved.ok()) {
      message = SuccessBanner("Notifications saved.");
    } else if (saved.status().kind() == core::ErrorKind::kInvalidArgument) {
      status = http::status::unprocessable_entity;
      message = ErrorSummary(saved.status().message());
    } else {
      return Refused(call.who, call.csrf, SchoolName(), saved.status());
    }
  }
  StatusOr<service::NotificationsView> v = services_.notifications().Get(*call.who);
  if (!v.ok()) return Refused(call.who, call.csrf, SchoolName(), v.status());
  return Layout(call.who, call.csrf, SchoolName(), "Notifications to staff",
                NotificationsBody(*v, call.csrf, message), status);
}

Html App::SocialWorkerSection(const Call& call, const store::Pupil& p) {
  StatusOr<service::SocialWorkerView> v = services_.admissions().SocialWorker(*call.who, p.id);
  // Those who may not see safeguarding details see nothing of it.
  if (!v.ok()) return Html();
  const Html shown =
      v->name.empty()
          ? Html::Trusted(R"(<p class="govuk-body">No social worker recorded.</p>)")
          : Html::Format(R"(<p class="govuk-body">{}{}</p>)", v->name,
                         v->email.empty()
                             ? Html()
                             : Html::Format(R"(, <a class="govuk-link" href="mailto:{}">{}</a>)",
                                            v->email, v->email));
  Html form;
  if (v->may_edit) {
    form = Html::Format(
        R"(<details class="govuk-details"><summary class="govuk-details__summary">Change</summary>)"
        R"(<form class="stack" method="post" action="/pupils/{}/social-worker"><input type="hidden" name="_csrf" value="{}">)"
        R"(<label class="govuk-label" for="sw-name">Name</label><input class="govuk-input" id="sw-name" name="name" value="{}">)"
        R"(<label class="govuk-label" for="sw-email">Email</label><input class="govuk-input" type="email" id="sw-email" name="email" value="{}" spellcheck="false">)"
        R"(<label class="govuk-label" for="sw-reason">Reason for the change</label><input class="govuk-input" id="sw-reason" name="reason" required>)"
        R"(<p><button class="govuk-button" type="submit">Save</button></p></form></details>)",
        p.id, call.csrf, v->name, v->email);
  }
  return Html::Format(R"(<h2 id="social-worker" class="govuk-heading-m">Social worker</h2>{}{})",
                      shown, form);
}

Response App::PageSocialWorker(Call& call, const std::string& pupil_text) {
  std::map<std::string, std::string> form = FormFields(call.req);
  const std::optional<int64_t> pupil_id = ParseId(pupil_text);
  if (!pupil_id) {
    return Refused(call.who, call.csrf, "",
                   core::NotFound(core::kErrPupilUnknown, "No such pupil."));
  }
  const std::string back = fmt::format("/pupils/{}#social-worker", *pupil_id);
  const Status s = services_.admissions().SetSocialWorker(
      *call.who, *pupil_id,
      {.name = form["name"], .email = form["email"], .reason = form["reason"]});
  if (!s.ok()) return NotSaved(call.who, call.csrf, s, back);
  return Redirect(back);
}

}  // namespace rollcall::web
