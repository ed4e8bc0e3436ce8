// app_registers.cc: registers, the group commit of marks, and absence reports
// (service::AbsenceReports).
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <tuple>

#include "core/codes.h"
#include "core/error_codes.h"
#include "core/register.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

// ---------------------------------------------------------------------------
// Registers

namespace {

// Where today's register stands by the school's clock; null for another day.
json RegisterStateName(service::RegisterState state) {
  switch (state) {
    case service::RegisterState::kNotToday:
      return nullptr;
    case service::RegisterState::kNotOpenYet:
      return "not_open";
    case service::RegisterState::kOpen:
      return "open";
    case service::RegisterState::kClosed:
      return "closed";
  }
  core::Unreachable();
}

}  // namespace

Response App::GetRegister(Call& call, const std::string& date_text,
                          const std::string& session_text) {
  std::optional<int64_t> class_id;
  if (auto it = call.target.query.find("class"); it != call.target.query.end()) {
    class_id = ParseId(it->second);
    if (!class_id) {
      return ErrorResponse(
          core::InvalidArgument(core::kErrValueInvalid, "class must be a class id"));
    }
  }
  StatusOr<service::RegisterView> reg =
      services_.registers().Register(*call.who, date_text, session_text, class_id);
  if (!reg.ok()) return ErrorResponse(reg.status());
  json pupils = json::array();
  for (const service::RegisterRow& row : reg->pupils) {
    json item{
        {"id", row.pupil_id}, {"name", row.name}, {"code", nullptr}, {"arrival_time", nullptr}};
    // Off timetable under a part-time timetable: the code the session takes.
    const std::optional<PlannedCode>& planned = row.planned;
    item["off_timetable"] = planned && planned->label == "Off timetable"
                                ? json(core::SymbolOf(planned->code))
                                : json(nullptr);
    item["planned_code"] = planned ? json(core::SymbolOf(planned->code)) : json(nullptr);
    item["planned_reason"] = planned ? json(planned->reason) : json(nullptr);
    if (row.mark) {
      item["code"] = core::SymbolOf(row.mark->code);
      if (row.mark->arrival_minute) item["arrival_time"] = TimeText(*row.mark->arrival_minute);
      item["recorded_by"] = row.recorded_by;
      item["recorded_at"] = IsoTime(row.mark->recorded_at);
    }
    pupils.push_back(std::move(item));
  }
  json out{{"date", reg->slot.date.ToString()},
           {"session", core::SessionName(reg->slot.session)},
           {"open", reg->open},
           {"opens_at", TimeText(reg->opens)},
           {"starts_at", TimeText(reg->starts)},
           {"closes_at", TimeText(reg->closes)},
           {"state", RegisterStateName(reg->state)},
           {"read_only", reg->read_only.empty() ? json(nullptr) : json(reg->read_only)},
           {"class", nullptr},
           {"pupils", std::move(pupils)}};
  if (reg->of_class) out["class"] = json{{"id", reg->of_class->id}, {"name", reg->of_class->name}};
  return JsonResponse(out.dump());
}

Response App::PutMark(Call& call, const std::string& date_text, const std::string& session_text,
                      const std::string& pupil_text) {
  StatusOr<nlohmann::json> body =
      ObjectBody(call.req, {"code", "reason", "arrival_time", "evidence_confirmed"});
  if (!body.ok()) return ErrorResponse(body.status());
  MarkRequest m{date_text, session_text, pupil_text, "", "", ""};
  StatusOr<bool> confirmed = TrueOrFalse(*body, "evidence_confirmed", false);
  if (!confirmed.ok()) return ErrorResponse(confirmed.status());
  m.evidence_confirmed = *confirmed;
  for (auto [key, field, required] :
       {std::tuple{"code", &m.code, true}, std::tuple{"reason", &m.reason, false},
        std::tuple{"arrival_time", &m.arrival_time, false}}) {
    StatusOr<std::string> value = StringField(*body, key, required);
    if (!value.ok()) return ErrorResponse(value.status());
    *field = *value;
  }
  StatusOr<MarkResult> result = RecordMark(call, m);
  if (!result.ok()) return ErrorResponse(result.status());
  const store::MarkWrite& write = result->write;
  json out{{"pupil_id", write.pupil_id},
           {"date", write.slot.date.ToString()},
           {"session", core::SessionName(write.slot.session)},
           {"code", core::SymbolOf(write.code)},
           {"arrival_time",
            write.arrival_minute ? json(TimeText(*write.arrival_minute)) : json(nullptr)},
           {"previous", result->previous ? json(core::SymbolOf(*result->previous)) : json(nullptr)},
           {"changed", result->changed}};
  return JsonResponse(out.dump());
}

StatusOr<App::MarkResult> App::RecordMark(const Call& call, const MarkRequest& m) {
  return services_.registers().RecordMark(*call.who, m);
}

// ---------------------------------------------------------------------------
// Absence reports

Response App::ReportAbsence(Call& call, int64_t pupil_id) {
  StatusOr<nlohmann::json> body = ObjectBody(call.req, {"from", "to", "reason"});
  if (!body.ok()) return ErrorResponse(body.status());
  service::AbsenceReportRequest request{.pupil_id = pupil_id};
  for (auto [key, field, required] :
       {std::tuple{"from", &request.from, true}, std::tuple{"to", &request.to, false},
        std::tuple{"reason", &request.reason, true}}) {
    StatusOr<std::string> value = StringField(*body, key, required);
    if (!value.ok()) return ErrorResponse(value.status());
    *field = *value;
  }
  StatusOr<store::AbsenceReport> report = services_.absence_reports().Report(*call.who, request);
  if (!report.ok()) return ErrorResponse(report.status());
  return JsonResponse(json{{"id", report->id}, {"status", "received"}}.dump(),
                      http::status::created);
}

Response App::ListAbsenceReports(Call& call) {
  StatusOr<std::vector<service::AbsenceReportView>> reports =
      services_.absence_reports().List(*call.who, call.target.query.contains("open"));
  if (!reports.ok()) return ErrorResponse(reports.status());
  json list = json::array();
  for (const service::AbsenceReportView& v : *reports) {
    const store::AbsenceReport& r = v.r;
    json item{{"id", r.id},
              {"pupil", {{"id", r.pupil_id}, {"name", v.pupil_name}}},
              {"from", r.from.ToString()},
              {"to", r.to.ToString()},
              {"reason", r.reason},
              {"reported_at", IsoTime(r.reported_at)},
              {"reported_by", r.reported_by_name},
              {"resolved", r.resolved_at.has_value()}};
    if (r.resolved_at) {
      item["resolved_at"] = IsoTime(*r.resolved_at);
      item["resolution"] = r.resolution;
    }
    list.push_back(std::move(item));
  }
  return JsonResponse(json{{"absence_reports", std::move(list)}}.dump());
}

Response App::ResolveAbsenceReport(Call& call, const std::string& id_text) {
  StatusOr<nlohmann::json> body = ObjectBody(call.req, {"resolution"});
  if (!body.ok()) return ErrorResponse(body.status());
  StatusOr<std::string> resolution = StringField(*body, "resolution", true);
  if (!resolution.ok()) return ErrorResponse(resolution.status());
  StatusOr<int64_t> id = services_.absence_reports().Resolve(*call.who, {id_text, *resolution});
  if (!id.ok()) return ErrorResponse(id.status());
  return JsonResponse(json{{"id", *id}, {"status", "resolved"}}.dump());
}

}  // namespace rollcall::web
