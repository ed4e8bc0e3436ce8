// app_transfers.cc: the Common Transfer Files the school owes for its
// leavers (docs/ctf.md), as JSON and a page, the file for one leaver or for
// every owed file, and the line on a leaver's page. What is owed, when it is
// due and the file itself are service::CtfExport's (service/ctf_export.h).
// A file is downloaded with a POST: writing it stamps the owed file
// produced.
#include <fmt/format.h>

#include <optional>
#include <string>

#include "core/error_codes.h"
#include "service/ctf_export.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

json TransferJson(const service::TransferLine& t) {
  json j{{"id", t.id},
         {"pupil", {{"id", t.pupil_id}, {"name", t.pupil_name}, {"upn", t.upn}}},
         {"last_day", t.last_day.ToString()},
         {"destination", t.destination},
         {"destination_number", t.destination_number},
         {"due", t.due.ToString()},
         {"overdue", t.overdue},
         {"produced_at", nullptr}};
  if (t.produced_at) j["produced_at"] = IsoTime(*t.produced_at);
  return j;
}

// Where the file goes, in words: the school the deletion named, or the
// DfE's lost pupils database when no school is known.
Html DestinationText(const service::TransferLine& t) {
  if (t.destination_number.empty()) {
    return Html::Format(
        R"({}<div class="muted">No school known: the file goes to the DfE's lost pupils )"
        R"(database</div>)",
        t.destination.empty() ? "Not known" : t.destination);
  }
  return Html::Text(t.destination);
}

// A button that downloads a file: a form, as writing it is recorded.
Html DownloadButton(const std::string& action, const std::string& csrf, const std::string& label) {
  return Html::Format(
      R"(<form method="post" action="{}" class="inline"><input type="hidden" name="_csrf" )"
      R"(value="{}"><button type="submit" class="govuk-button govuk-button--secondary" )"
      R"(data-module="govuk-button">{}</button></form>)",
      action, csrf, label);
}

Html TransfersBody(const service::TransfersView& v, const std::string& csrf) {
  Html rows;
  for (const service::TransferLine& t : v.owed) {
    const Html status = t.produced_at ? Html::Format("Produced {}", MomentText(*t.produced_at))
                        : t.overdue   ? Html::Trusted("<strong>Overdue</strong>")
                                      : Html::Trusted("Not produced yet");
    rows += Html::Format(
        R"(<tr><td><a href="/pupils/{}">{}</a><div class="muted">{}</div></td><td>{}</td>)"
        R"(<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>)",
        t.pupil_id, t.pupil_name, t.upn, LongDate(t.last_day), DestinationText(t), LongDate(t.due),
        status, DownloadButton(fmt::format("/transfers/{}/ctf", t.id), csrf, "Download"));
  }
  Html all;
  if (v.not_produced > 0) {
    all = DownloadButton("/transfers/owed/ctf", csrf,
                         fmt::format("Download all {} not produced, in one file", v.not_produced));
  }
  return Html::Format(
      R"(<p>When a pupil leaves, the school sends a Common Transfer File to their new school )"
      R"(within {} school days. When the new school is not known, it goes to the DfE's lost )"
      R"(pupils database through the DfE's secure upload service. Each file is made from the )"
      R"(pupil's records when you download it; upload it to the DfE's service.</p>{})"
      R"(<div class="scroll"><table><thead><tr><th>Pupil</th><th>Last day</th>)"
      R"(<th>Destination</th><th>Due by</th><th>Status</th><th></th></tr></thead>)"
      R"(<tbody>{}</tbody></table></div>)",
      service::kTransferDueSchoolDays, all,
      rows.str().empty() ? Html::Trusted(R"(<tr><td colspan="6">None.</td></tr>)") : rows);
}

Response XmlFile(service::CtfOutput out) {
  return Attachment(std::move(out.xml), "application/xml", out.file_name);
}

}  // namespace

Response App::GetTransfers(Call& call) {
  StatusOr<service::TransfersView> v = services_.ctf_export().Owed(*call.who);
  if (!v.ok()) return ErrorResponse(v.status());
  json items = json::array();
  for (const service::TransferLine& t : v->owed) items.push_back(TransferJson(t));
  return JsonResponse(json{{"transfers", std::move(items)}}.dump());
}

Response App::PageTransfers(Call& call) {
  StatusOr<service::TransfersView> v = services_.ctf_export().Owed(*call.who);
  const std::string school = SchoolName();
  if (!v.ok()) return Refused(call.who, call.csrf, school, v.status());
  return Layout(call.who, call.csrf, school, "Common Transfer Files", TransfersBody(*v, call.csrf));
}

Response App::PageTransferFile(Call& call, const std::string& id) {
  const std::optional<int64_t> transfer = ParseId(id);
  StatusOr<service::CtfOutput> out =
      transfer ? services_.ctf_export().ForTransfer(*call.who, *transfer)
               : StatusOr<service::CtfOutput>(
                     core::NotFound(core::kErrTransferUnknown, "No such transfer file."));
  if (!out.ok())
    return NotSaved(call.who, call.csrf, out.status(), "/transfers", "Not written", SchoolName());
  return XmlFile(std::move(*out));
}

Response App::PageOwedTransfersFile(Call& call) {
  service::CtfRequest request;
  request.owed = true;
  StatusOr<service::CtfOutput> out = services_.ctf_export().Write(*call.who, request);
  if (!out.ok())
    return NotSaved(call.who, call.csrf, out.status(), "/transfers", "Not written", SchoolName());
  return XmlFile(std::move(*out));
}

Html App::TransferSection(const Call& call, const store::Pupil& p) {
  StatusOr<service::TransfersView> v = services_.ctf_export().Owed(*call.who, p.id);
  if (!v.ok()) return Html();
  Html items;
  for (const service::TransferLine& t : v->owed) {
    items += Html::Format(R"(<li>Left on {}: {}, due by {}. {}</li>)", LongDate(t.last_day),
                          t.produced_at ? Html::Format("produced {}", MomentText(*t.produced_at))
                                        : Html::Trusted("not produced yet"),
                          LongDate(t.due),
                          DownloadButton(fmt::format("/transfers/{}/ctf", t.id), call.csrf,
                                         "Download the Common Transfer File"));
  }
  if (items.str().empty()) return Html();
  return Html::Format(R"(<h2>Common Transfer File</h2><ul class="govuk-list">{}</ul>)"
                      R"(<p><a href="/transfers">All the files owed for leavers</a></p>)",
                      items);
}

}  // namespace rollcall::web
