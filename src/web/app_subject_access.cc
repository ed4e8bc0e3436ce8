// app_subject_access.cc: data protection pages for the head: who read a
// pupil's records (per pupil and per user, service::AccessLog) and subject
// access requests for a pupil or a contact (service::SubjectAccess), whose
// downloads are made by the same service as `rollcall sar`.
#include <fmt/format.h>

#include <string>

#include "core/error_codes.h"
#include "service/fields.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

// The page number asked for in ?page=N; 1 when absent or not a number.
int PageAsked(const std::map<std::string, std::string>& query) {
  std::optional<int64_t> n = ParseId(Get(query, "page"));
  return n && *n < 1000000 ? static_cast<int>(*n) : 1;
}

// The log's rows as a table; `by_pupil` shows who read, else which pupil.
Html AccessTable(const service::AccessLog::Page& page, bool by_pupil, const std::string& base) {
  if (page.entries.empty()) return Html::Trusted("<p>No reads are recorded.</p>");
  Html rows;
  for (const store::AccessLogEntry& e : page.entries) {
    Html whom;
    if (by_pupil) {
      whom = Html::Format(R"(<a href="/users/{}/access-log">{}</a> ({}))", e.user_id, e.user_name,
                          service::RoleText(e.role));
    } else {
      auto it = page.pupil_names.find(e.pupil_id);
      whom = Html::Format(R"(<a href="/pupils/{}">{}</a>)", e.pupil_id,
                          it == page.pupil_names.end() ? std::to_string(e.pupil_id) : it->second);
    }
    rows +=
        Html::Format(R"(<tr class="govuk-table__row"><td class="govuk-table__cell">{}</td>)"
                     R"(<td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}</td>)"
                     R"(<td class="govuk-table__cell">{}</td></tr>)",
                     service::LocalIsoTime(e.at), whom, service::AccessKindText(e.kind), e.detail);
  }
  Html pager;
  if (page.page > 1) {
    pager +=
        Html::Format(R"(<a class="govuk-link" href="{}?page={}">Newer</a> )", base, page.page - 1);
  }
  if (page.page < page.pages) {
    pager +=
        Html::Format(R"(<a class="govuk-link" href="{}?page={}">Older</a>)", base, page.page + 1);
  }
  return Html::Format(
      R"(<p>{} recorded, newest first; page {} of {}.</p>)"
      R"(<table class="govuk-table"><thead class="govuk-table__head"><tr class="govuk-table__row">)"
      R"(<th class="govuk-table__header">When</th><th class="govuk-table__header">{}</th>)"
      R"(<th class="govuk-table__header">What</th><th class="govuk-table__header">Detail</th>)"
      R"(</tr></thead><tbody class="govuk-table__body">{}</tbody></table><p>{}</p>)",
      Plural(page.total, "read"), page.page, page.pages, by_pupil ? "Who" : "Pupil", rows, pager);
}

}  // namespace

Html App::DataProtectionLinks(const Call& call, int64_t pupil_id) {
  if (!services_.school().AllowNow(*call.who, service::Action::kReadAccessLog, {}).ok()) return {};
  return Html::Format(
      R"(<h2 class="govuk-heading-m">Data protection</h2><ul class="govuk-list">)"
      R"(<li><a class="govuk-link" href="/pupils/{}/access-log">Who has read this pupil's )"
      R"(records</a></li><li><a class="govuk-link" href="/pupils/{}/subject-access">Subject )"
      R"(access request</a></li></ul>)",
      pupil_id, pupil_id);
}

namespace {

// A path's id, or NotFound naming what it should have been.
StatusOr<int64_t> PathId(const std::string& text, const char* code, const char* what) {
  std::optional<int64_t> id = ParseId(text);
  if (!id) return core::NotFound(code, fmt::format("No such {}.", what));
  return *id;
}

}  // namespace

Response App::PagePupilAccessLog(Call& call, const std::string& id_text) {
  StatusOr<int64_t> pupil = PathId(id_text, core::kErrPupilUnknown, "pupil");
  if (!pupil.ok()) return Refused(call.who, call.csrf, SchoolName(), pupil.status());
  const int64_t pupil_id = *pupil;
  StatusOr<service::AccessLog::Page> page =
      services_.access_log().ForPupil(*call.who, pupil_id, PageAsked(call.target.query));
  if (!page.ok()) return Refused(call.who, call.csrf, SchoolName(), page.status());
  return Layout(
      call.who, call.csrf, SchoolName(), "Who read " + page->subject + "'s records",
      Html::Format(R"(<p><a class="govuk-link" href="/pupils/{}">Back to {}</a></p>{})", pupil_id,
                   page->subject,
                   AccessTable(*page, true, fmt::format("/pupils/{}/access-log", pupil_id))));
}

Response App::PageUserAccessLog(Call& call, const std::string& id_text) {
  StatusOr<int64_t> user = PathId(id_text, core::kErrUserUnknown, "user");
  if (!user.ok()) return Refused(call.who, call.csrf, SchoolName(), user.status());
  const int64_t user_id = *user;
  StatusOr<service::AccessLog::Page> page =
      services_.access_log().ForUser(*call.who, user_id, PageAsked(call.target.query));
  if (!page.ok()) return Refused(call.who, call.csrf, SchoolName(), page.status());
  return Layout(
      call.who, call.csrf, SchoolName(), "Pupils' records read by " + page->subject,
      Html::Format(R"(<p><a class="govuk-link" href="/users">Back to accounts</a></p>{})",
                   AccessTable(*page, false, fmt::format("/users/{}/access-log", user_id))));
}

Response App::PageSubjectAccess(Call& call, const std::string& id_text) {
  StatusOr<int64_t> pupil = PathId(id_text, core::kErrPupilUnknown, "pupil");
  if (!pupil.ok()) return Refused(call.who, call.csrf, SchoolName(), pupil.status());
  const int64_t pupil_id = *pupil;
  // The page itself shows only names: it reads through the same checks.
  Status allowed = services_.school().AllowNow(*call.who, service::Action::kMakeSubjectAccess,
                                               {.pupil_id = pupil_id});
  StatusOr<service::PupilOverview> v =
      allowed.ok() ? services_.pupils().Overview(
                         *call.who, pupil_id, clock_.Today(),
                         {.figures = false, .marks = false, .history = false, .previous = false})
                   : StatusOr<service::PupilOverview>(allowed);
  if (!v.ok()) return Refused(call.who, call.csrf, SchoolName(), v.status());
  const std::string name = service::DisplayName(v->pupil);
  auto links = [&](const std::string& what, const std::string& label) {
    return Html::Format(R"(<a class="govuk-button govuk-!-margin-right-2" )"
                        R"(href="/pupils/{}/subject-access/{}.json">Download {} as JSON</a>)"
                        R"(<a class="govuk-button govuk-button--secondary" )"
                        R"(href="/pupils/{}/subject-access/{}.pdf">Download {} as PDF</a>)",
                        pupil_id, what, label, pupil_id, what, label);
  };
  Html contacts;
  for (const store::Contact& c : v->pupil.contacts) {
    contacts += Html::Format(R"(<h3 class="govuk-heading-s">{} ({})</h3><p>{}</p>)", c.name,
                             c.relationship, links(fmt::format("contact-{}", c.priority), c.name));
  }
  if (v->pupil.contacts.empty()) contacts = Html::Trusted("<p>No contacts are recorded.</p>");
  return Layout(
      call.who, call.csrf, SchoolName(), "Subject access request: " + name,
      Html::Format(
          R"(<p><a class="govuk-link" href="/pupils/{}">Back to {}</a></p>)"
          R"(<p>A copy of everything rollcall holds about {}: the admission register entry )"
          R"(and its changes, marks and amendments, figures and alerts, casework, the contact )"
          R"(log, letters, messages, medical evidence (the files' details) and who has read the )"
          R"(records. Each copy made is recorded in the access log.</p><p>{}</p>)"
          R"(<h2 class="govuk-heading-m">A parent or carer</h2><p>Everything held about one of )"
          R"({}'s contacts: their details, the pupils they are a contact of, the messages sent to )"
          R"(them, and the absence reports and leave requests their account made.</p>{})",
          pupil_id, name, name, links("pupil", "the pupil's copy"), name, contacts));
}

Response App::GetSubjectAccess(Call& call, const std::string& id_text, const std::string& what) {
  StatusOr<int64_t> pupil = PathId(id_text, core::kErrPupilUnknown, "pupil");
  if (!pupil.ok()) return Refused(call.who, call.csrf, SchoolName(), pupil.status());
  const int64_t pupil_id = *pupil;
  const bool pdf = what.ends_with(".pdf");
  const bool is_json = what.ends_with(".json");
  const std::string stem = pdf       ? what.substr(0, what.size() - 4)
                           : is_json ? what.substr(0, what.size() - 5)
                                     : std::string();
  const std::string format = pdf ? "pdf (web)" : "json (web)";
  StatusOr<service::SubjectAccessCopy> copy =
      core::NotFound(core::kErrNotFound, "there is no such download");
  if (stem == "pupil") {
    copy = services_.subject_access().ForPupil(*call.who, pupil_id, format);
  } else if (stem.starts_with("contact-")) {
    StatusOr<service::ContactRef> ref =
        service::ParseContactRef(fmt::format("{}:{}", pupil_id, stem.substr(8)));
    copy = ref.ok() ? services_.subject_access().ForContact(*call.who, *ref, format)
                    : StatusOr<service::SubjectAccessCopy>(
                          core::NotFound(core::kErrNotFound, "there is no such download"));
  }
  if (!copy.ok()) return Refused(call.who, call.csrf, SchoolName(), copy.status());
  const std::string filename = fmt::format("subject-access-{}-{}", pupil_id, stem);
  Response res;
  if (pdf) {
    StatusOr<std::string> bytes = service::SubjectAccessPdf(*copy);
    if (!bytes.ok()) return Refused(call.who, call.csrf, SchoolName(), bytes.status());
    res = Attachment(std::move(*bytes), "application/pdf", filename + ".pdf");
  } else {
    res = Attachment(service::SubjectAccessJson(*copy), "application/json", filename + ".json");
  }
  res.headers.emplace_back("Cache-Control", "no-store");
  return res;
}

}  // namespace rollcall::web
