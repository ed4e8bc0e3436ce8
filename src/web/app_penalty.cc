// app_penalty.cc: the API of penalty-notice cases under the national
// framework (docs/rules.md section 5). The workflow, who may do what and
// where a case stands are service::Penalties' (service/penalties.h); these
// handlers read the JSON body, call it and answer with the case's JSON.
#include <optional>
#include <string>
#include <utility>

#include "service/penalties.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

// A string member that may be absent (nullopt, as when null); JSON_TYPE
// when it is there but not a string.
StatusOr<std::optional<std::string>> PenaltyBodyString(const nlohmann::json& body,
                                                       const char* key) {
  if (auto it = body.find(key); it == body.end() || it->is_null()) {
    return std::optional<std::string>();
  }
  ASSIGN_OR_RETURN(std::string value, StringField(body, key, false));
  return std::optional<std::string>(std::move(value));
}

// A whole-number member, or nullopt when absent or not a whole number (the
// service says which kinds need it).
std::optional<int64_t> PenaltyBodyInteger(const nlohmann::json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int64_t>();
}

}  // namespace

Response App::PostExclusionCase(Call& call, int64_t pupil_id) {
  StatusOr<nlohmann::json> body = ObjectBody(call.req, {"date", "session", "text"});
  if (!body.ok()) return ErrorResponse(body.status());
  service::ExclusionCaseRequest r{.pupil_id = pupil_id};
  StatusOr<std::optional<std::string>> date = PenaltyBodyString(*body, "date");
  if (!date.ok()) return ErrorResponse(date.status());
  StatusOr<std::string> session = StringField(*body, "session", false);
  if (!session.ok()) return ErrorResponse(session.status());
  StatusOr<std::optional<std::string>> text = PenaltyBodyString(*body, "text");
  if (!text.ok()) return ErrorResponse(text.status());
  r.date = std::move(*date);
  r.session = std::move(*session);
  r.text = std::move(*text);
  StatusOr<int64_t> id = services_.penalties().OpenExclusionCase(*call.who, r);
  if (!id.ok()) return ErrorResponse(id.status());
  return GetPenaltyCaseCreated(call, std::to_string(*id));
}

Response App::ListPenaltyCases(Call& call) {
  StatusOr<std::vector<service::PenaltyView>> views = services_.penalties().Cases(*call.who);
  if (!views.ok()) return ErrorResponse(views.status());
  json items = json::array();
  for (const service::PenaltyView& v : *views) items.push_back(service::PenaltyJson(v));
  return JsonResponse(json{{"cases", std::move(items)}}.dump());
}

Response App::GetPenaltyCase(Call& call, const std::string& id) {
  StatusOr<service::PenaltyView> v = services_.penalties().Case(*call.who, id);
  if (!v.ok()) return ErrorResponse(v.status());
  return JsonResponse(service::PenaltyJson(*v).dump());
}

Response App::PostPenaltyEvent(Call& call, const std::string& id) {
  StatusOr<nlohmann::json> body = ObjectBody(
      call.req,
      {"kind", "decision", "outcome", "text", "on", "end", "parent", "notice_id", "amount_pence"});
  if (!body.ok()) return ErrorResponse(body.status());
  service::PenaltyEventRequest r{.case_id = id};
  StatusOr<std::string> kind = StringField(*body, "kind", true);
  if (!kind.ok()) return ErrorResponse(kind.status());
  r.kind = std::move(*kind);
  for (auto [key, field] : {std::pair{"decision", &r.decision}, std::pair{"outcome", &r.outcome},
                            std::pair{"end", &r.end}, std::pair{"parent", &r.parent}}) {
    StatusOr<std::optional<std::string>> value = PenaltyBodyString(*body, key);
    if (!value.ok()) return ErrorResponse(value.status());
    *field = std::move(*value);
  }
  for (auto [key, field] : {std::pair{"text", &r.text}, std::pair{"on", &r.on}}) {
    StatusOr<std::string> value = StringField(*body, key, false);
    if (!value.ok()) return ErrorResponse(value.status());
    *field = std::move(*value);
  }
  r.notice_id = PenaltyBodyInteger(*body, "notice_id");
  r.amount_pence = PenaltyBodyInteger(*body, "amount_pence");
  StatusOr<store::PenaltyEvent> e = services_.penalties().AddEvent(*call.who, r);
  if (!e.ok()) return ErrorResponse(e.status());
  return GetPenaltyCaseCreated(call, id);
}

Response App::GetPenaltyCaseCreated(Call& call, const std::string& id) {
  Response res = GetPenaltyCase(call, id);
  if (res.status == http::status::ok) res.status = http::status::created;
  return res;
}

}  // namespace rollcall::web
