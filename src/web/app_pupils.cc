// app_pupils.cc: pupils, summaries, classes and the scenario export.
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/evaluate.h"
#include "core/statistics.h"
#include "io/result_json.h"
#include "io/scenario_json.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

// A pupil's class as the pupil JSON gives it: {"id", "name"}, or null.
json ClassJson(const std::optional<service::ClassRef>& c) {
  return c ? json{{"id", c->id}, {"name", c->name}} : json(nullptr);
}

}  // namespace

// ---------------------------------------------------------------------------
// Pupils and summaries

StatusOr<Date> App::AsOfParam(const Call& call) const {
  auto it = call.target.query.find("as_of");
  if (it == call.target.query.end()) return clock_.Today();
  return ParseDateParam(it->second, "as_of");
}

Response App::ListPupils(Call& call) {
  std::optional<std::string> class_filter;
  if (auto it = call.target.query.find("class"); it != call.target.query.end()) {
    class_filter = it->second;
  }
  StatusOr<std::vector<service::PupilListItem>> pupils =
      services_.school_views().Pupils(*call.who, class_filter);
  if (!pupils.ok()) return ErrorResponse(pupils.status());
  json list = json::array();
  for (const service::PupilListItem& p : *pupils) {
    list.push_back(json{{"id", p.id},
                        {"upn", p.upn},
                        {"name", p.name},
                        {"legal_name", p.legal_name},
                        {"year_group", p.year_group},
                        {"class", ClassJson(p.class_ref)},
                        {"on_roll", p.on_roll}});
  }
  return JsonResponse(json{{"pupils", std::move(list)}}.dump());
}

namespace {

// GET /api/v1/pupils/{id}: the pupil's record.
json PupilRecordJson(const service::PupilOverview& v) {
  const store::Pupil& p = v.pupil;
  json flags = json::array();
  for (const store::CohortFlag& f : p.flags) {
    flags.push_back(json{{"flag", f.flag},
                         {"from", f.from.ToString()},
                         {"to", f.to ? json(f.to->ToString()) : json(nullptr)}});
  }
  json enrolments = json::array();
  for (const store::Enrolment& e : p.enrolments) {
    json entry{{"start", e.start.ToString()},
               {"end", e.end ? json(e.end->ToString()) : json(nullptr)}};
    if (e.end) {
      entry["deletion_ground"] = e.deletion_ground;
      entry["destination"] = e.destination;
    }
    enrolments.push_back(std::move(entry));
  }
  json contacts = json::array();
  for (const store::Contact& c : p.contacts) contacts.push_back(PupilContactJson(c));
  // Other schools' figures, as their Common Transfer Files gave them.
  json previous = json::array();
  for (const store::PreviousAttendance& a : v.previous_schools) {
    const std::optional<double> pct = core::Percent(a.attended, a.possible);
    previous.push_back(
        json{{"academic_year", AcademicYearText(a.academic_year)},
             {"lea", a.lea},
             {"estab", a.estab},
             {"school_name", a.school_name},
             {"possible", a.possible},
             {"attended", a.attended},
             {"authorised", a.authorised},
             {"unauthorised", a.unauthorised},
             {"attendance_pct", pct ? json(*pct) : json(nullptr)},
             {"marks_start", a.marks_start ? json(a.marks_start->ToString()) : json(nullptr)},
             {"marks", a.marks}});
  }
  json out{{"id", p.id},
           {"upn", p.upn},
           {"name", DisplayName(p)},
           {"legal_given_name", p.legal_given_name},
           {"legal_family_name", p.legal_family_name},
           {"preferred_given_name", p.preferred_given_name},
           {"preferred_family_name", p.preferred_family_name},
           {"date_of_birth", p.date_of_birth.ToString()},
           {"sex", p.sex},
           {"year_group", p.year_group},
           {"boarder", p.boarder},
           {"previous_school", p.previous_school},
           {"class", nullptr},
           {"cohort_flags", std::move(flags)},
           {"admissions", std::move(enrolments)},
           {"contacts", std::move(contacts)},
           {"previous_schools", std::move(previous)}};
  if (p.class_id && v.class_name) out["class"] = json{{"id", *p.class_id}, {"name", *v.class_name}};
  return out;
}

}  // namespace

Response App::GetPupil(Call& call, int64_t pupil_id) {
  StatusOr<service::PupilOverview> v = services_.pupils().Overview(
      *call.who, pupil_id, clock_.Today(), {.figures = false, .marks = false, .history = false});
  if (!v.ok()) return ErrorResponse(v.status());
  return JsonResponse(PupilRecordJson(*v).dump());
}

Response App::PupilSummary(Call& call, int64_t pupil_id) {
  StatusOr<Date> as_of = AsOfParam(call);
  if (!as_of.ok()) return ErrorResponse(as_of.status());
  StatusOr<service::PupilOverview> v = services_.pupils().Overview(
      *call.who, pupil_id, *as_of, {.record = false, .marks = false, .history = false});
  if (!v.ok()) return ErrorResponse(v.status());
  return JsonResponse(io::PupilResultToJson(std::to_string(pupil_id), v->result).dump());
}

Response App::PupilAmendments(Call& call, int64_t pupil_id) {
  StatusOr<std::vector<store::Amendment>> rows =
      services_.registers().Amendments(*call.who, pupil_id);
  if (!rows.ok()) return ErrorResponse(rows.status());
  json list = json::array();
  for (const store::Amendment& a : *rows) {
    list.push_back(json{
        {"id", a.id},
        {"date", a.slot.date.ToString()},
        {"session", core::SessionName(a.slot.session)},
        {"original", a.old_code ? json(core::SymbolOf(*a.old_code)) : json(nullptr)},
        {"original_arrival_time",
         a.old_arrival_minute ? json(TimeText(*a.old_arrival_minute)) : json(nullptr)},
        {"new", core::SymbolOf(a.new_code)},
        {"new_arrival_time",
         a.new_arrival_minute ? json(TimeText(*a.new_arrival_minute)) : json(nullptr)},
        {"reason", a.reason},
        {"at", IsoTime(a.at)},
        {"by",
         {{"user_id", a.by_user_id}, {"name", a.by_name}, {"role", store::RoleName(a.by_role)}}}});
  }
  return JsonResponse(json{{"pupil_id", pupil_id}, {"amendments", std::move(list)}}.dump());
}

Response App::SchoolSummary(Call& call) {
  StatusOr<Date> as_of = AsOfParam(call);
  if (!as_of.ok()) return ErrorResponse(as_of.status());
  StatusOr<service::SchoolSummaryView> v = services_.dashboards().Summary(*call.who, *as_of);
  if (!v.ok()) return ErrorResponse(v.status());
  // A group too small for the reader (service/dashboards.h) says only "suppressed".
  auto figures = [](const std::optional<core::Aggregate>& a) -> json {
    if (!a) return json{{"suppressed", true}};
    return io::AggregateToJson(*a);
  };
  json cohorts = json::object();
  for (const service::LabelledFigures& c : v->cohorts) cohorts[c.label] = figures(c.figures);
  return JsonResponse(json{{"as_of", v->as_of.ToString()},
                           {"school", figures(v->school)},
                           {"cohorts", std::move(cohorts)}}
                          .dump());
}

Response App::ListClasses(Call& call) {
  StatusOr<std::vector<service::ClassView>> classes = services_.school_views().Classes(*call.who);
  if (!classes.ok()) return ErrorResponse(classes.status());
  json list = json::array();
  for (const service::ClassView& c : *classes) {
    list.push_back(json{
        {"id", c.id}, {"name", c.name}, {"year_group", c.year_group}, {"teachers", c.teachers}});
  }
  return JsonResponse(json{{"classes", std::move(list)}}.dump());
}

// ---------------------------------------------------------------------------
// Export, settings and staff

Response App::ExportScenario(Call& call) {
  StatusOr<Date> as_of = AsOfParam(call);
  if (!as_of.ok()) return ErrorResponse(as_of.status());
  StatusOr<service::ScenarioExport> e = services_.school_views().Export(*call.who, *as_of);
  if (!e.ok()) return ErrorResponse(e.status());
  io::ScenarioWriteOptions options;
  options.name = e->school_name;
  options.omit_default_marks = true;
  return JsonResponse(io::ScenarioToJson(e->scenario, options).dump());
}

}  // namespace rollcall::web
