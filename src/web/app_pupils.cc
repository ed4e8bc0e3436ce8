// app_pupils.cc: pupils, summaries, classes and the scenario export.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/error_codes.h"
#include "core/evaluate.h"
#include "io/result_json.h"
#include "io/scenario_json.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

// ---------------------------------------------------------------------------
// Pupils and summaries

StatusOr<Date> App::AsOfParam(const Call& call) const {
  auto it = call.target.query.find("as_of");
  if (it == call.target.query.end()) return clock_.Today();
  return ParseDateParam(it->second, "as_of");
}

Response App::ListPupils(Call& call) {
  if (Status s = Allow(call, Action::kListPupils, {}); !s.ok()) return ErrorResponse(s);
  std::optional<int64_t> class_filter;
  if (auto it = call.target.query.find("class"); it != call.target.query.end()) {
    class_filter = ParseId(it->second);
    if (!class_filter) {
      return ErrorResponse(
          core::InvalidArgument(core::kErrValueInvalid, "class must be a class id"));
    }
  }
  const Date today = clock_.Today();
  std::shared_lock lock(mu_);
  json list = json::array();
  for (size_t i = 0; i < snapshot_.pupils.size(); ++i) {
    const store::Pupil& p = snapshot_.pupils[i];
    if (class_filter && p.class_id != class_filter) continue;
    if (!Authorize(*call.who, Action::kReadPupil, {p.id, p.class_id}, snapshot_.school.la_code)
             .ok()) {
      continue;
    }
    json item{{"id", p.id},
              {"upn", p.upn},
              {"name", DisplayName(p)},
              {"legal_name", p.legal_given_name + " " + p.legal_family_name},
              {"year_group", p.year_group},
              {"class", nullptr},
              {"on_roll", snapshot_.scenario.pupils[i].OnRollOn(today)}};
    if (p.class_id) {
      auto c = snapshot_.classes.find(*p.class_id);
      if (c != snapshot_.classes.end()) {
        item["class"] = json{{"id", c->first}, {"name", c->second.name}};
      }
    }
    list.push_back(std::move(item));
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
  for (const store::Contact& c : p.contacts) {
    contacts.push_back(json{{"priority", c.priority},
                            {"name", c.name},
                            {"relationship", c.relationship},
                            {"phone", c.phone},
                            {"email", c.email}});
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
           {"class", nullptr},
           {"cohort_flags", std::move(flags)},
           {"admissions", std::move(enrolments)},
           {"contacts", std::move(contacts)}};
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
  StatusOr<service::PupilOverview> v =
      services_.pupils().Overview(*call.who, pupil_id, *as_of, {.marks = false, .history = false});
  if (!v.ok()) return ErrorResponse(v.status());
  return JsonResponse(io::PupilResultToJson(std::to_string(v->pupil.id), v->result).dump());
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

StatusOr<std::shared_ptr<const core::Evaluation>> App::SchoolEvaluation(Date as_of) {
  StatusOr<SchoolState> state = SchoolAt(as_of);
  if (!state.ok()) return state.status();
  return state->evaluation;
}

StatusOr<App::SchoolState> App::SchoolAt(Date as_of) { return school_.EvaluatedOn(as_of); }

Response App::SchoolSummary(Call& call) {
  if (Status s = Allow(call, Action::kReadSchoolSummary, {}); !s.ok()) return ErrorResponse(s);
  StatusOr<Date> as_of = AsOfParam(call);
  if (!as_of.ok()) return ErrorResponse(as_of.status());
  StatusOr<std::shared_ptr<const core::Evaluation>> evaluation = SchoolEvaluation(*as_of);
  if (!evaluation.ok()) return ErrorResponse(evaluation.status());
  const core::Evaluation& e = **evaluation;
  // Those who may not see names (governors) get no figures about fewer than
  // kSmallGroup pupils: such a cohort, or school, says only "suppressed".
  const bool names_allowed = Allow(call, Action::kListPupils, {}).ok();
  auto figures = [&](const core::Aggregate& a) -> json {
    if (!names_allowed && a.pupils < kSmallGroup) return json{{"suppressed", true}};
    return io::AggregateToJson(a);
  };
  json cohorts = json::object();
  for (const auto& [tag, aggregate] : e.cohorts) cohorts[tag] = figures(aggregate);
  return JsonResponse(json{
      {"as_of", as_of->ToString()}, {"school", figures(e.school)}, {"cohorts", std::move(cohorts)}}
                          .dump());
}

Response App::ListClasses(Call& call) {
  if (Status s = Allow(call, Action::kListClasses, {}); !s.ok()) return ErrorResponse(s);
  std::shared_lock lock(mu_);
  json list = json::array();
  for (const auto& [id, c] : snapshot_.classes) {
    json teachers = json::array();
    for (int64_t t : c.teacher_ids) {
      auto u = snapshot_.users.find(t);
      if (u != snapshot_.users.end()) teachers.push_back(u->second.display_name);
    }
    list.push_back(json{{"id", id},
                        {"name", c.name},
                        {"year_group", c.year_group},
                        {"teachers", std::move(teachers)}});
  }
  return JsonResponse(json{{"classes", std::move(list)}}.dump());
}

// ---------------------------------------------------------------------------
// Export, settings and staff

Response App::ExportScenario(Call& call) {
  if (Status s = Allow(call, Action::kExportScenario, {}); !s.ok()) return ErrorResponse(s);
  StatusOr<Date> as_of = AsOfParam(call);
  if (!as_of.ok()) return ErrorResponse(as_of.status());
  std::shared_lock lock(mu_);
  const core::Scenario scenario = ScenarioAsOf(*as_of);
  io::ScenarioWriteOptions options;
  options.name = snapshot_.school.name;
  options.omit_default_marks = true;
  return JsonResponse(io::ScenarioToJson(scenario, options).dump());
}

}  // namespace rollcall::web
