// app_internal.cc: the helpers shared by the App handler files.
#include "web/app_internal.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <set>

#include "core/error_codes.h"
#include "io/json_reader.h"
#include "io/policy_json.h"

namespace rollcall::web::internal {

std::string Get(const std::map<std::string, std::string>& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? std::string() : it->second;
}

Response PdfResponse(std::string body, const std::string& filename) {
  Response res;
  res.content_type = "application/pdf";
  res.body = std::move(body);
  res.headers.emplace_back("Content-Disposition", "inline; filename=\"" + filename + "\"");
  return res;
}

Html Checkbox(const std::string& id, std::string_view label, bool checked,
              const std::string& name) {
  return Html::Format(
      R"(<div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input" id="{}" )"
      R"(name="{}" type="checkbox" value="yes"{}><label class="govuk-label govuk-checkboxes__label" )"
      R"(for="{}">{}</label></div>)",
      id, name.empty() ? id : name, checked ? Html::Trusted(" checked") : Html(), id, label);
}

Response Attachment(std::string body, std::string content_type, const std::string& filename) {
  Response res;
  res.content_type = std::move(content_type);
  res.body = std::move(body);
  res.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  return res;
}

json UserJson(const store::User& user) {
  return json{{"id", user.id},
              {"username", user.username},
              {"name", user.display_name},
              {"role", store::RoleName(user.role)},
              {"class_ids", user.class_ids},
              {"pupil_ids", user.pupil_ids},
              {"email", user.email}};
}

// The JSON object body of a request, with only `allowed` keys.
namespace {

Status RefuseHugeIntegers(const nlohmann::json& value, const std::string& where) {
  if (value.is_number_unsigned() &&
      value.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("the number at '{}' is too large", where));
  }
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      RETURN_IF_ERROR(RefuseHugeIntegers(item, where.empty() ? key : where + "." + key));
    }
  } else if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i) {
      RETURN_IF_ERROR(RefuseHugeIntegers(value[i], fmt::format("{}[{}]", where, i)));
    }
  }
  return core::OkStatus();
}

}  // namespace

StatusOr<nlohmann::json> ObjectBody(const Request& req,
                                    std::initializer_list<const char*> allowed) {
  if (req.body.empty()) {
    return core::InvalidArgument(core::kErrJsonMalformed, "the request needs a JSON object body");
  }
  ASSIGN_OR_RETURN(io::StrictJson doc, io::ParseStrictJson(req.body));
  if (!doc.value.is_object()) {
    return core::InvalidArgument(core::kErrJsonType, "the request body must be a JSON object");
  }
  for (const auto& item : doc.value.items()) {
    // Not a structured binding: clang 14 (the fuzz build) cannot capture
    // one in the lambda below.
    const std::string& key = item.key();
    if (std::find_if(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; }) ==
        allowed.end()) {
      return core::InvalidArgument(core::kErrUnknownKey, "unknown key '" + key + "'");
    }
  }
  // Whole numbers are read as signed 64-bit: one above that would wrap
  // round to a negative number, so it is refused here, once, for every body.
  RETURN_IF_ERROR(RefuseHugeIntegers(doc.value, ""));
  return std::move(doc.value);
}

StatusOr<std::string> StringField(const nlohmann::json& body, const char* key, bool required) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) {
    if (required) {
      return core::InvalidArgument(core::kErrRequiredKey, fmt::format("'{}' is required", key));
    }
    return std::string();
  }
  if (!it->is_string()) {
    return core::InvalidArgument(core::kErrJsonType, fmt::format("'{}' must be a string", key));
  }
  return it->get<std::string>();
}

StatusOr<bool> TrueOrFalse(const nlohmann::json& body, const char* key,
                           std::optional<bool> absent) {
  const auto it = body.find(key);
  const bool missing = it == body.end() || it->is_null();
  if (missing && absent) return *absent;
  if (missing || !it->is_boolean()) {
    return core::InvalidArgument(missing ? core::kErrRequiredKey : core::kErrJsonType,
                                 fmt::format("'{}' is required: true or false", key));
  }
  return it->get<bool>();
}

Html ErrorSummary(const std::string& message, const std::string& field_id) {
  return ErrorSummary({{message, field_id}});
}

Html ErrorSummary(const std::vector<std::pair<std::string, std::string>>& problems) {
  Html items;
  for (const auto& [message, field_id] : problems) {
    items += field_id.empty() ? Html::Format("<li>{}</li>", message)
                              : Html::Format(R"(<li><a href="#{}">{}</a></li>)", field_id, message);
  }
  return Html::Format(
      R"(<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert">)"
      R"(<h2 class="govuk-error-summary__title">There is a problem</h2>)"
      R"(<div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list">)"
      R"({}</ul></div></div></div>)",
      items);
}

Html Notice(const Html& message) {
  return Html::Format(
      R"(<div class="govuk-notification-banner govuk-notification-banner--success" role="status">)"
      R"(<div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title">)"
      R"(Done</h2></div><div class="govuk-notification-banner__content">)"
      R"(<p class="govuk-notification-banner__heading">{}</p></div></div>)",
      message);
}

const char* CodeTagClass(std::optional<core::AttendanceCode> code) {
  if (!code) return "govuk-tag--grey";
  switch (core::CategoryOf(*code)) {
    case core::StatCategory::kPresent:
      return "govuk-tag--green";
    case core::StatCategory::kApprovedActivity:
      return "govuk-tag--light-blue";
    case core::StatCategory::kAuthorised:
      return "govuk-tag--yellow";
    case core::StatCategory::kUnauthorised:
      return "govuk-tag--red";
    case core::StatCategory::kNotPossible:
      return "govuk-tag--grey";
  }
  core::Unreachable();
}

Html BandTag(const std::string& band) {
  if (band.empty())
    return Html::Trusted(R"(<strong class="govuk-tag govuk-tag--grey">No band</strong>)");
  // Bands are named by the school's policy; the usual names get the usual
  // colours and any other name stays grey.
  const char* colour = band == "green"             ? "govuk-tag--green"
                       : band.starts_with("amber") ? "govuk-tag--orange"
                       : band == "red"             ? "govuk-tag--red"
                                                   : "govuk-tag--grey";
  return Html::Format(R"(<strong class="govuk-tag {} band-{}">{}</strong>)", colour, band,
                      service::BandText(band));
}

Html DateInput(const std::string& id, const std::string& name, const std::string& label,
               std::optional<Date> value, bool required) {
  auto field = [&](const char* part, const char* text, const char* width, std::string current) {
    return Html::Format(
        R"(<div class="govuk-date-input__item"><div class="govuk-form-group">)"
        R"(<label class="govuk-label govuk-date-input__label" for="{}-{}">{}</label>)"
        R"(<input class="govuk-input govuk-date-input__input {}" id="{}-{}" name="{}-{}" )"
        R"(type="text" inputmode="numeric" value="{}"{}></div></div>)",
        id, part, text, width, id, part, name, part, current,
        required ? Html::Trusted(" required") : Html());
  };
  const std::string day = value ? std::to_string(value->day()) : "";
  const std::string month = value ? std::to_string(value->month()) : "";
  const std::string year = value ? std::to_string(value->year()) : "";
  return Html::Format(
      R"(<div class="govuk-form-group"><fieldset class="govuk-fieldset" role="group" )"
      R"(aria-describedby="{}-hint"><legend class="govuk-fieldset__legend govuk-fieldset__legend--s">)"
      R"({}</legend><div class="govuk-hint" id="{}-hint">For example, 2 12 2026</div>)"
      R"(<div class="govuk-date-input" id="{}">{}{}{}</div></fieldset></div>)",
      id, label, id, id, field("day", "Day", "govuk-input--width-2", day),
      field("month", "Month", "govuk-input--width-2", month),
      field("year", "Year", "govuk-input--width-4", year));
}

Status MethodNotAllowed() {
  return core::InvalidArgument(core::kErrMethod, "this method is not allowed on this path");
}

namespace {

struct DoneText {
  Done done;
  std::string_view key, message;
};
constexpr DoneText kDoneTexts[] = {
    {Done::kMarkSaved, "mark", "Mark saved."},
    {Done::kAllPresent, "all-present",
     "Everyone not yet marked is now marked present, or with the code already planned for them."},
    {Done::kCallLogged, "call", "Call logged: it shows on the pupil's row."},
    {Done::kContactSaved, "contact", "Saved to the contact log."},
    {Done::kReportConfirmed, "report",
     "Absence report confirmed: its sessions up to now are coded."},
    {Done::kLeaveCoded, "leave-coded", "Sessions coded."},
    {Done::kStageSaved, "stage", "Stage saved."},
    {Done::kSupportSaved, "support", "Saved to the pupil's support record."},
    {Done::kPartTimeAgreed, "part-time", "Part-time timetable agreed."},
    {Done::kPartTimeReviewed, "part-time-review", "Review of the part-time timetable recorded."},
    {Done::kCmeStepSaved, "cme-step", "Step recorded on the case."},
    {Done::kCmeClosed, "cme-closed", "Case closed."},
    {Done::kLeaveSent, "leave-sent",
     "Request sent to the school. The head will decide, and the answer will show here."},
    {Done::kLeaveRecorded, "leave-recorded",
     "Leave request recorded: it waits for the head's decision."},
    {Done::kLeaveGranted, "leave-granted",
     "Leave granted: a letter to the parents is stored with the pupil's letters."},
    {Done::kLeaveRefused, "leave-refused",
     "Leave refused: a letter to the parents is stored with the pupil's letters."},
    {Done::kLeaveWithdrawn, "leave-withdrawn", "Leave request withdrawn."},
    {Done::kNotificationSent, "sent", "Notification marked as sent to the local authority."},
    {Done::kNotificationReceived, "received", "Notification marked as received."},
    {Done::kPenaltySaved, "penalty", "Saved to the case."},
    {Done::kClosureAdded, "closure", "Closure added to the calendar."},
    {Done::kAbsenceSent, "absence-sent", "Thank you: the school office has your message."},
    {Done::kPasswordChanged, "password",
     "Password changed. Any other logins of this account have ended."},
    {Done::kPupilAdmitted, "admitted",
     "Pupil admitted: they are on roll from their starting day, and the local authority is to "
     "be told."},
    {Done::kPupilEdited, "pupil-edited", "Admission register entry corrected: the change is kept."},
    {Done::kPupilLeft, "left",
     "Pupil taken off the roll. The notice to the local authority is due, and a Common Transfer "
     "File is owed."},
    {Done::kAccountDisabled, "disabled",
     "Account disabled: its logins have ended and it cannot log in."},
    {Done::kAccountEnabled, "enabled", "Account enabled: it can log in again."},
    {Done::kApiTokenRevoked, "token-revoked",
     "Token revoked: the system using it can no longer call the API."},
    {Done::kWebhookPaused, "webhook-paused",
     "Subscription paused: events are not sent to it until it is resumed."},
    {Done::kWebhookResumed, "webhook-resumed", "Subscription resumed."},
    {Done::kWebhookDeleted, "webhook-deleted",
     "Subscription deleted. What was sent to it stays in the delivery log."},
    {Done::kWebhookTestQueued, "webhook-test",
     "Test event queued: it is sent within seconds, and shows in the delivery log."},
    {Done::kEvidenceSent, "evidence-sent",
     "Medical evidence sent. The school office can see it now."},
    {Done::kConditionSaved, "condition-saved",
     "Known condition saved: no evidence is asked for until its review date."},
    {Done::kMessageSettingsSaved, "message-settings", "Message settings saved as a new version."},
    {Done::kMessageTestQueued, "message-test",
     "Test message queued: it is sent within seconds, and shows below."},
    {Done::kBackupSettingsSaved, "backup-settings", "Backup settings saved."},
    {Done::kBackupMade, "backup-made", "Backup made and checked: it is the first row below."},
};

}  // namespace

Response RedirectDone(std::string path, Done what) {
  const auto text = std::find_if(std::begin(kDoneTexts), std::end(kDoneTexts),
                                 [&](const DoneText& t) { return t.done == what; });
  const size_t hash = std::min(path.find('#'), path.size());
  const std::string fragment = path.substr(hash);
  path.resize(hash);
  path += path.find('?') == std::string::npos ? "?done=" : "&done=";
  path += text != std::end(kDoneTexts) ? text->key : std::string_view();
  return Redirect(path + fragment);
}

Html DoneBanner(const std::map<std::string, std::string>& query) {
  const auto done = query.find("done");
  if (done == query.end()) return Html();
  for (const DoneText& t : kDoneTexts) {
    if (t.key == done->second) return SuccessBanner(t.message);
  }
  return Html();
}

Html SuccessBanner(std::string_view message) {
  return Html::Format(
      R"(<div class="govuk-notification-banner govuk-notification-banner--success" role="alert">)"
      R"(<div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title">)"
      R"(Success</h2></div><div class="govuk-notification-banner__content">)"
      R"(<p class="govuk-notification-banner__heading">{}</p></div></div>)",
      message);
}

std::string SizeText(int64_t bytes) {
  if (bytes < 1024 * 1024) return fmt::format("{} KB", (bytes + 1023) / 1024);
  return fmt::format("{:.1f} MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

Html ProgressCount(size_t marked, size_t total, bool oob) {
  return Html::Format(
      R"(<span id="progress"{}>{} of {} marked</span>)",
      oob ? Html::Trusted(R"( hx-swap-oob="innerHTML")") : Html::Trusted(R"( aria-live="polite")"),
      marked, total);
}

Html ErrorRow(std::string_view message) {
  return Html::Format(R"(<tr><td colspan="3" class="error" role="alert">{}</td></tr>)",
                      std::string(message));
}

}  // namespace rollcall::web::internal
