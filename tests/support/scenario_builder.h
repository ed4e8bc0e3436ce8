// scenario_builder.h
//
// Test helper: writes small scenarios in the conformance JSON format with a
// few calls, parses them through the real parser and evaluates them with the
// real core, so rule tests read like the rules.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/evaluate.h"
#include "io/result_json.h"
#include "io/scenario_json.h"
#include "support/dates.h"

namespace rollcall::testing {

class ScenarioBuilder {
 public:
  explicit ScenarioBuilder(std::string as_of) {
    json_["as_of"] = std::move(as_of);
    json_["calendar"]["terms"] = nlohmann::json::array();
    json_["calendar"]["closures"] = nlohmann::json::array();
    json_["default_mark"] = {{"AM", "/"}, {"PM", "\\"}};
    json_["pupils"] = nlohmann::json::array();
    json_["marks"] = nlohmann::json::object();
  }
  ScenarioBuilder& Term(const std::string& start, const std::string& end) {
    json_["calendar"]["terms"].push_back({{"start", start}, {"end", end}});
    return *this;
  }
  ScenarioBuilder& Closure(const std::string& date, const std::string& session = "BOTH") {
    json_["calendar"]["closures"].push_back({{"date", date}, {"session", session}});
    closed_[date] = session;
    return *this;
  }
  ScenarioBuilder& NoDefaultMark() {
    json_.erase("default_mark");
    return *this;
  }
  ScenarioBuilder& Policy(nlohmann::json policy) {
    json_["policy"] = std::move(policy);
    return *this;
  }
  ScenarioBuilder& Pupil(const std::string& id, nlohmann::json extra = nlohmann::json::object()) {
    extra["id"] = id;
    json_["pupils"].push_back(std::move(extra));
    return *this;
  }
  ScenarioBuilder& Mark(const std::string& pupil, const std::string& date,
                        const std::string& session, nlohmann::json code) {
    json_["marks"][pupil][date][session] = std::move(code);
    return *this;
  }
  // Both sessions of every weekday from..to that is not closed get `code`.
  ScenarioBuilder& Days(const std::string& pupil, const std::string& from, const std::string& to,
                        const std::string& code) {
    for (core::Date d = *core::Date::Parse(from); d <= *core::Date::Parse(to); d = d.AddDays(1)) {
      if (d.IsWeekend()) continue;
      auto closed = closed_.find(d.ToString());
      if (closed == closed_.end() || closed->second == "PM") Mark(pupil, d.ToString(), "AM", code);
      if (closed == closed_.end() || closed->second == "AM") Mark(pupil, d.ToString(), "PM", code);
    }
    return *this;
  }
  nlohmann::json& json() { return json_; }

  core::Scenario Build() const {
    core::StatusOr<core::Scenario> scenario = io::ParseScenario(json_.dump());
    EXPECT_TRUE(scenario.ok()) << scenario.status().message();
    return scenario.ok() ? std::move(scenario).value() : core::Scenario{};
  }
  // The result JSON, exactly as `rollcall evaluate` prints it.
  nlohmann::json Evaluate() const {
    core::Scenario scenario = Build();
    return nlohmann::json::parse(io::EvaluationToJson(scenario, core::Evaluate(scenario)).dump());
  }
  // The problem message, or "" when the scenario is valid.
  std::string Error() const {
    core::StatusOr<core::Scenario> scenario = io::ParseScenario(json_.dump());
    return scenario.ok() ? "" : scenario.status().message();
  }

 private:
  nlohmann::json json_;
  std::map<std::string, std::string> closed_;
};

// The alerts of one pupil in a result, filtered by type.
inline std::vector<nlohmann::json> AlertsOf(const nlohmann::json& result, size_t pupil,
                                            const std::string& type) {
  std::vector<nlohmann::json> out;
  for (const auto& alert : result["pupils"][pupil]["alerts"]) {
    if (alert["type"] == type) out.push_back(alert);
  }
  return out;
}

// Two school weeks, Mon 2 to Fri 13 Sep 2024 (20 sessions), as of the last day.
inline ScenarioBuilder TwoWeeks() {
  ScenarioBuilder b("2024-09-13");
  b.Term("2024-09-02", "2024-09-13");
  return b;
}

}  // namespace rollcall::testing
