// app_evidence.cc: medical evidence on the web: the upload forms on the
// parents' page and a pupil's page, downloads, the API, the Today list, the
// rules' settings page and a pupil's known condition (service::MedicalEvidence).
#include <fmt/format.h>

#include <string>
#include <vector>

#include "core/error_codes.h"
#include "web/app.h"
#include "web/app_internal.h"
#include "web/multipart.h"

namespace rollcall::web {

using namespace internal;  // NOLINT(google-build-using-namespace)

namespace {

// The file and fields of an upload form or API call (multipart/form-data:
// a part "file", and "from", "to", "note"; "pupil" on the parents' page).
struct UploadForm {
  std::map<std::string, std::string> fields;
  std::string filename;
  std::string bytes;
};

StatusOr<UploadForm> ReadUploadForm(const Request& req) {
  ASSIGN_OR_RETURN(std::vector<MultipartPart> parts, ParseMultipart(req.content_type, req.body));
  UploadForm out;
  bool file_seen = false;
  for (MultipartPart& part : parts) {
    if (part.name == "file" && part.filename) {
      if (file_seen) {
        return core::InvalidArgument(core::kErrValueInvalid, "send one file at a time");
      }
      file_seen = true;
      out.filename = std::move(*part.filename);
      out.bytes = std::move(part.body);
    }
  }
  if (!file_seen) {
    return core::InvalidArgument(core::kErrValueInvalid, "choose the file to send");
  }
  out.fields = FormFields(req);  // the other fields, dates joined
  return out;
}

// The upload's dates: "from", and "to" (the same day when left empty).
StatusOr<std::pair<Date, Date>> UploadDates(const std::map<std::string, std::string>& fields) {
  ASSIGN_OR_RETURN(Date from, ParseDateParam(Get(fields, "from"), "first day of illness"));
  Date to = from;
  if (!Get(fields, "to").empty()) {
    ASSIGN_OR_RETURN(to, ParseDateParam(Get(fields, "to"), "last day of illness"));
  }
  return std::make_pair(from, to);
}

json EvidenceJson(const store::MedicalEvidence& e) {
  return json{{"id", e.id},
              {"pupil_id", e.pupil_id},
              {"from", e.from_date.ToString()},
              {"to", e.to_date.ToString()},
              {"filename", e.filename},
              {"content_type", e.content_type},
              {"size_bytes", e.size_bytes},
              {"sha256", e.sha256},
              {"note", e.note},
              {"uploaded_by", e.uploaded_by_name},
              {"role", e.role},
              {"uploaded_at", IsoTime(e.uploaded_at)},
              {"download", fmt::format("/evidence/{}", e.id)}};
}

// The upload form: on the parents' page it names the child in a hidden
// field; on a pupil's page the address does.
Html UploadFormHtml(const std::string& csrf, const store::Pupil& p, bool parent_card, Date today) {
  return Html::Format(
      R"(<form class="stack" method="post" action="{}" enctype="multipart/form-data">)"
      R"(<input type="hidden" name="_csrf" value="{}">{})"
      R"(<h3>Send medical evidence</h3><p class="govuk-hint">A photo or scan of an appointment )"
      R"(card, prescription, medicine label or doctor's note: PDF, JPEG or PNG, at most 10 MB.</p>)"
      R"({}{})"
      R"(<label for="file-{}">File</label><input id="file-{}" name="file" type="file" required )"
      R"(accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png">)"
      R"(<label for="enote-{}">Note (optional)</label><input id="enote-{}" name="note" maxlength="500">)"
      R"(<p><button type="submit">Send evidence</button></p></form>)",
      parent_card ? std::string("/parent/evidence") : fmt::format("/pupils/{}/evidence", p.id),
      csrf,
      parent_card ? Html::Format(R"(<input type="hidden" name="pupil" value="{}">)", p.id) : Html(),
      DateInput(fmt::format("efrom-{}", p.id), "from", "First day of illness", today),
      DateInput(fmt::format("eto-{}", p.id), "to", "Last day (optional)", std::nullopt, false),
      p.id, p.id, p.id, p.id);
}

Html EvidenceList(const std::vector<store::MedicalEvidence>& list) {
  Html rows;
  for (const store::MedicalEvidence& e : list) {
    rows += Html::Format(
        R"(<li><a class="govuk-link" href="/evidence/{}">{}</a> ({}, {}): illness {} to {}, sent by {} {}{}</li>)",
        e.id, e.filename, e.content_type, SizeText(e.size_bytes), ShortDate(e.from_date),
        ShortDate(e.to_date), e.uploaded_by_name, MomentText(e.uploaded_at),
        e.note.empty() ? std::string() : fmt::format(": “{}”", e.note));
  }
  if (rows.str().empty()) return Html::Trusted("<p>No medical evidence sent.</p>");
  return Html::Format(R"(<ul class="evidence-list">{}</ul>)", rows);
}

Response UploadRefused(const std::optional<Principal>& who, const std::string& csrf,
                       const Status& s, const std::string& back) {
  return Layout(
      who, csrf, "", "Evidence not sent",
      ErrorSummary(s.message()) +
          Html::Format(R"(<p class="govuk-body"><a class="govuk-link" href="{}">Back</a></p>)",
                       back),
      s.code() == core::kErrBodyTooLarge ? http::status::payload_too_large
                                         : HttpStatusFor(s.kind()));
}

}  // namespace

Html App::EvidenceSection(const Call& call, const store::Pupil& p, bool parent_card) {
  StatusOr<std::vector<store::MedicalEvidence>> list = services_.evidence().List(*call.who, p.id);
  if (!list.ok()) return Html();  // not the reader's to see
  Html requests;
  StatusOr<std::vector<store::EvidenceRequest>> asked =
      services_.evidence().Requests(*call.who, p.id);
  StatusOr<store::EvidenceRules> rules = services_.evidence().RulesInForce();
  if (asked.ok() && rules.ok()) {
    for (const store::EvidenceRequest& r : *asked) {
      if (r.resolved_at) continue;
      requests +=
          Html::Format(R"(<li>Asked for the illness {} to {} ({})</li>)", ShortDate(r.from_date),
                       ShortDate(r.to_date), service::EvidenceRuleText(r.rule, *rules));
    }
  }
  Html condition;
  if (!parent_card) {
    StatusOr<std::optional<store::ConditionReview>> c =
        services_.evidence().Condition(*call.who, p.id);
    if (c.ok() && c->has_value()) {
      condition = Html::Format(
          R"(<p class="known-condition">Known condition: {}, review on {} (set by {})</p>)",
          (*c)->note, LongDate((*c)->review_date), (*c)->set_by);
    }
    if (call.who->role == Role::kOffice || call.who->role == Role::kHead) {
      condition += Html::Format(
          R"(<form class="stack" method="post" action="/pupils/{}/condition">)"
          R"(<input type="hidden" name="_csrf" value="{}"><h3>Known condition</h3>)"
          R"(<p class="govuk-hint">No evidence is asked for this pupil until the review date.</p>)"
          R"(<label for="cnote">Condition</label><input id="cnote" name="note" required maxlength="500">)"
          R"({}<p><button type="submit">Save</button></p></form>)",
          p.id, call.csrf, DateInput("creview", "review_date", "Review on", std::nullopt));
    }
  }
  // One section a child on the parents' page, so each id is unique there.
  return Html::Format(
      R"(<section id="{}"><{}>Medical evidence</{}>{}{}{}{}</section>)",
      parent_card ? fmt::format("evidence-{}", p.id) : std::string("evidence"),
      parent_card ? "h3" : "h2", parent_card ? "h3" : "h2",
      requests.str().empty() ? Html()
                             : Html::Format(R"(<ul class="evidence-requests">{}</ul>)", requests),
      EvidenceList(*list), condition, UploadFormHtml(call.csrf, p, parent_card, clock_.Today()));
}

Response App::PagePostEvidence(Call& call, const std::string& id_text) {
  const bool parent_page = id_text.empty();
  const std::string back =
      parent_page ? std::string("/parent") : fmt::format("/pupils/{}#evidence", id_text);
  StatusOr<UploadForm> form = ReadUploadForm(call.req);
  if (!form.ok()) return UploadRefused(call.who, call.csrf, form.status(), back);
  const std::optional<int64_t> pupil_id =
      ParseId(parent_page ? Get(form->fields, "pupil") : id_text);
  if (!pupil_id) {
    return UploadRefused(call.who, call.csrf,
                         core::NotFound(core::kErrPupilUnknown, "No such pupil."), back);
  }
  StatusOr<std::pair<Date, Date>> dates = UploadDates(form->fields);
  if (!dates.ok()) return UploadRefused(call.who, call.csrf, dates.status(), back);
  StatusOr<service::MedicalEvidence::UploadResult> done =
      services_.evidence().Upload(*call.who, *pupil_id, dates->first, dates->second, form->filename,
                                  form->bytes, Get(form->fields, "note"));
  if (!done.ok()) return UploadRefused(call.who, call.csrf, done.status(), back);
  const std::string to =
      parent_page ? std::string("/parent") : fmt::format("/pupils/{}", *pupil_id);
  if (done->warning.empty()) return RedirectDone(to, Done::kEvidenceSent);
  return Layout(
      call.who, call.csrf, "", "Evidence sent",
      SuccessBanner("Medical evidence sent. The school office can see it now.") +
          Html::Format(R"(<p class="govuk-body evidence-warning">Note: {}.</p>)"
                       R"(<p class="govuk-body"><a class="govuk-link" href="{}">Back</a></p>)",
                       done->warning, to));
}

Response App::GetEvidence(Call& call, const std::string& id_text) {
  const std::optional<int64_t> id = ParseId(id_text);
  StatusOr<service::MedicalEvidence::Download> file =
      id ? services_.evidence().Get(*call.who, *id)
         : StatusOr<service::MedicalEvidence::Download>(
               core::NotFound(core::kErrEvidenceUnknown, "No such evidence."));
  if (!file.ok()) return Refused(call.who, call.csrf, "", file.status());
  if (Status logged = services_.access_log().Record(
          *call.who, store::kAccessEvidence, file->record.pupil_id,
          fmt::format("evidence {} ({})", file->record.id, file->record.filename));
      !logged.ok()) {
    return Refused(call.who, call.csrf, "", logged);
  }
  // Served under a name of the program's making (the sent name is shown on
  // the pages only), as an attachment of its stored type: the browser never
  // renders it in the school's origin, and never guesses another type.
  const std::string& type = file->record.content_type;
  const char* ext = type == "application/pdf" ? "pdf" : type == "image/png" ? "png" : "jpg";
  Response res =
      Attachment(std::move(file->bytes), type,
                 fmt::format("evidence-{}-{}.{}", file->record.pupil_id, file->record.id, ext));
  res.headers.emplace_back("Cache-Control", "no-store");
  return res;
}

Response App::ApiPostEvidence(Call& call, int64_t pupil_id) {
  StatusOr<UploadForm> form = ReadUploadForm(call.req);
  if (!form.ok()) return ErrorResponse(form.status());
  StatusOr<std::pair<Date, Date>> dates = UploadDates(form->fields);
  if (!dates.ok()) return ErrorResponse(dates.status());
  StatusOr<service::MedicalEvidence::UploadResult> done =
      services_.evidence().Upload(*call.who, pupil_id, dates->first, dates->second, form->filename,
                                  form->bytes, Get(form->fields, "note"));
  if (!done.ok()) return ErrorResponse(done.status());
  StatusOr<std::vector<store::MedicalEvidence>> list =
      services_.evidence().List(*call.who, pupil_id);
  json body{{"id", done->id}, {"warning", done->warning}};
  if (list.ok()) {
    for (const store::MedicalEvidence& e : *list) {
      if (e.id == done->id) body["evidence"] = EvidenceJson(e);
    }
  }
  return JsonResponse(body.dump(), http::status::created);
}

Response App::ApiListEvidence(Call& call, int64_t pupil_id) {
  StatusOr<std::vector<store::MedicalEvidence>> list =
      services_.evidence().List(*call.who, pupil_id);
  if (!list.ok()) return ErrorResponse(list.status());
  StatusOr<std::vector<store::EvidenceRequest>> asked =
      services_.evidence().Requests(*call.who, pupil_id);
  if (!asked.ok()) return ErrorResponse(asked.status());
  json items = json::array();
  for (const store::MedicalEvidence& e : *list) items.push_back(EvidenceJson(e));
  json requests = json::array();
  for (const store::EvidenceRequest& r : *asked) {
    requests.push_back(
        json{{"id", r.id},
             {"rule", r.rule},
             {"from", r.from_date.ToString()},
             {"to", r.to_date.ToString()},
             {"raised_at", IsoTime(r.raised_at)},
             {"resolved_at", r.resolved_at ? json(IsoTime(*r.resolved_at)) : json(nullptr)}});
  }
  return JsonResponse(
      json{{"evidence", std::move(items)}, {"requests", std::move(requests)}}.dump());
}

Response App::PageCondition(Call& call, const std::string& id_text) {
  const std::optional<int64_t> id = ParseId(id_text);
  const std::string back = fmt::format("/pupils/{}#evidence", id_text);
  if (!id)
    return Refused(call.who, call.csrf, "",
                   core::NotFound(core::kErrPupilUnknown, "No such pupil."));
  const auto form = FormFields(call.req);
  StatusOr<Date> review = ParseDateParam(Get(form, "review_date"), "review date");
  if (!review.ok()) return NotSaved(call.who, call.csrf, review.status(), back);
  if (Status s = services_.evidence().SetCondition(*call.who, *id, Get(form, "note"), *review);
      !s.ok()) {
    return NotSaved(call.who, call.csrf, s, back);
  }
  return RedirectDone(fmt::format("/pupils/{}", *id), Done::kConditionSaved);
}

Html App::EvidenceTodaySection(const Call& call) {
  StatusOr<service::MedicalEvidence::Worklist> w = services_.evidence().Today(*call.who);
  if (!w.ok()) return Html();
  StatusOr<store::EvidenceRules> rules = services_.evidence().RulesInForce();
  auto name_of = [&](int64_t id) {
    auto it = w->names.find(id);
    return it == w->names.end() ? fmt::format("pupil {}", id) : it->second;
  };
  Html open;
  for (const store::EvidenceRequest& r : w->open) {
    open += Html::Format(
        R"(<li><a href="/pupils/{}#evidence">{}</a>: illness {} to {} ({}), asked {}</li>)",
        r.pupil_id, name_of(r.pupil_id), ShortDate(r.from_date), ShortDate(r.to_date),
        rules.ok() ? service::EvidenceRuleText(r.rule, *rules) : r.rule, MomentText(r.raised_at));
  }
  Html received;
  for (const store::MedicalEvidence& e : w->received) {
    received += Html::Format(
        R"(<li><a href="/pupils/{}#evidence">{}</a>: <a class="govuk-link" href="/evidence/{}">{}</a> for {} to {}, from {} {}</li>)",
        e.pupil_id, name_of(e.pupil_id), e.id, e.filename, ShortDate(e.from_date),
        ShortDate(e.to_date), e.uploaded_by_name, MomentText(e.uploaded_at));
  }
  return Html::Format(
      R"(<h2 id="evidence">Medical evidence asked for, not yet sent</h2><ul>{}</ul>)"
      R"(<h2>Medical evidence received in the last week</h2><ul>{}</ul>)",
      open.str().empty() ? Html::Trusted("<li>None.</li>") : open,
      received.str().empty() ? Html::Trusted("<li>None.</li>") : received);
}

Response App::PageEvidenceSettings(Call& call) {
  const std::string school = SchoolName();
  Html message;
  http::status status = http::status::ok;
  if (call.req.method == http::verb::post) {
    const auto form = FormFields(call.req);
    auto count = [&](const char* key) -> std::optional<int> {
      const std::string text = Get(form, key);
      if (text.empty() || text.size() > 3 ||
          text.find_first_not_of("0123456789") != std::string::npos) {
        return std::nullopt;
      }
      return std::stoi(text);
    };
    const std::optional<int> days = count("long_illness_days");
    const std::optional<int> times = count("repeated_illness_count");
    Status s = !days || !times
                   ? core::InvalidArgument(core::kErrValueInvalid,
                                           "enter each count as a whole number from 1 to 100")
                   : services_.evidence().SaveRules(*call.who, *days, *times,
                                                    Get(form, "next_to_holiday") == "yes");
    if (s.ok()) {
      message = SuccessBanner("Saved: the new rules apply from the next school day's check.");
    } else {
      message = ErrorSummary(s.message());
      status = HttpStatusFor(s.kind());
      if (s.kind() == core::ErrorKind::kPermissionDenied) {
        return Refused(call.who, call.csrf, school, s);
      }
    }
  }
  StatusOr<store::EvidenceRules> rules = services_.evidence().Rules(*call.who);
  if (!rules.ok()) return Refused(call.who, call.csrf, school, rules.status());
  const bool head = call.who->role == Role::kHead;
  const char* disabled = head ? "" : " disabled";
  const Html body = Html::Format(
      R"({}<p>The school asks a family for medical evidence when a pupil's illness (I) meets one )"
      R"(of these rules: once per illness and rule, by the “Medical evidence request” message, )"
      R"(after the morning register closes. A pupil with a known condition is not asked until )"
      R"(its review date.</p>{})"
      R"(<form class="stack" method="post" action="/settings/evidence"><input type="hidden" name="_csrf" value="{}">)"
      R"(<label for="long">Ask after an illness of this many school days or more</label>)"
      R"(<input id="long" name="long_illness_days" type="number" min="1" max="100" value="{}"{}>)"
      R"(<label for="times">Ask at this illness of a term (3: the third)</label>)"
      R"(<input id="times" name="repeated_illness_count" type="number" min="1" max="100" value="{}"{}>)"
      R"({}{}</form>)",
      message,
      rules->id == 0
          ? Html::Trusted("<p>These are the defaults: no one has changed them.</p>")
          : Html::Format("<p>Set by {} {}.</p>", rules->set_by, MomentText(rules->set_at)),
      call.csrf, rules->long_illness_days, disabled, rules->repeated_illness_count, disabled,
      Checkbox("next-to-holiday",
               "Ask for an illness on the school day just before or just after a holiday, "
               "half-term or closure",
               rules->next_to_holiday, "next_to_holiday"),
      head ? Html::Trusted(R"(<p><button class="primary" type="submit">Save rules</button></p>)")
           : Html());
  return Layout(call.who, call.csrf, school, "Medical evidence rules", body, status);
}

}  // namespace rollcall::web
