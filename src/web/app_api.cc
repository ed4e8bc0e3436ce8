// app_api.cc: what an integration reads before anything else: the API's
// OpenAPI description and the national attendance codes in force on a date.
#include <nlohmann/json.hpp>
#include <string>

#include "core/codes.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

// src/web/openapi.json, compiled in by CMake: the one copy of the description.
constexpr std::string_view kOpenApiJson =
#include "openapi_json.inc"
    ;

}  // namespace

Response App::OpenApi(Call&) { return JsonResponse(std::string(kOpenApiJson)); }

Response App::Codes(Call& call) {
  const auto it = call.target.query.find("date");
  StatusOr<Date> date =
      it == call.target.query.end() ? clock_.Today() : ParseDateParam(it->second, "date");
  if (!date.ok()) return ErrorResponse(date.status());
  const bool since_2024 = *date >= core::kCodeSwitchDate;
  json codes = json::array();
  for (const core::CodeInfo& info : core::AllCodes()) {
    if (!core::IsValidOn(info.code, *date)) continue;
    codes.push_back(json{{"code", info.symbol},
                         {"meaning", info.meaning},
                         {"category", core::CategoryKey(info.category)},
                         {"category_words", core::CategoryWords(info.category)},
                         {"possible", core::IsPossible(info.code)}});
  }
  const std::string switch_day = core::kCodeSwitchDate.ToString();
  const std::string day_before = core::kCodeSwitchDate.AddDays(-1).ToString();
  return JsonResponse(json{
      {"date", date->ToString()},
      {"code_set", since_2024 ? "2024" : "legacy"},
      {"in_force_from", since_2024 ? json(switch_day) : json(nullptr)},
      {"in_force_to", since_2024 ? json(nullptr) : json(day_before)},
      {"codes",
       std::move(codes)}}.dump());
}

}  // namespace rollcall::web
