// Every invalid input FORMAT.md lists is refused with the JSON path named,
// and valid scenarios round-trip through the writer.
#include "io/scenario_json.h"

#include <gtest/gtest.h>

#include "core/evaluate.h"
#include "io/result_json.h"

namespace rollcall::io {
namespace {

const char* kValid = R"({
  "as_of": "2024-09-20",
  "calendar": {"terms": [{"start": "2024-09-02", "end": "2024-10-25"}],
               "closures": [{"date": "2024-09-02", "session": "BOTH", "reason": "INSET"}]},
  "default_mark": {"AM": "/", "PM": "\\"},
  "pupils": [{"id": "P1", "cohorts": ["FSM"], "on_roll": [{"from": "2024-09-03", "to": null}],
              "penalty_history": [{"issued": "2024-09-10", "withdrawn": true}]},
             {"id": "P2"}],
  "marks": {"P1": {"2024-09-04": {"AM": "G", "PM": null}}}
})";

// Applies `edit` to the valid scenario and returns the error ("" if valid).
std::string ErrorAfter(const std::function<void(nlohmann::json&)>& edit) {
  nlohmann::json j = nlohmann::json::parse(kValid);
  edit(j);
  auto result = ParseScenario(j.dump());
  return result.ok() ? "" : result.status().message();
}

struct InvalidCase {
  const char* name;
  std::function<void(nlohmann::json&)> edit;
  const char* message;  // expected substring
};

TEST(ScenarioJsonTest, ValidScenarioParses) {
  EXPECT_EQ(ErrorAfter([](auto&) {}), "");
}

TEST(ScenarioJsonTest, RejectsEveryListedProblemNamingItsPath) {
  using J = nlohmann::json;
  const std::vector<InvalidCase> cases = {
      {"missing as_of", [](J& j) { j.erase("as_of"); }, "as_of: required key is missing"},
      {"bad as_of", [](J& j) { j["as_of"] = "2024-13-01"; }, "as_of: not a date"},
      {"as_of number", [](J& j) { j["as_of"] = 20240920; }, "as_of: must be a string"},
      {"missing calendar", [](J& j) { j.erase("calendar"); }, "calendar: required key is missing"},
      {"no terms", [](J& j) { j["calendar"]["terms"] = J::array(); },
       "calendar.terms: needs at least one term"},
      {"term backwards", [](J& j) { j["calendar"]["terms"][0]["end"] = "2024-08-01"; },
       "calendar.terms[0].end: term ends before it starts"},
      {"closure session", [](J& j) { j["calendar"]["closures"][0]["session"] = "ALL"; },
       "calendar.closures[0].session: must be AM, PM or BOTH"},
      {"missing pupils", [](J& j) { j.erase("pupils"); }, "pupils: required key is missing"},
      {"pupil without id", [](J& j) { j["pupils"][1].erase("id"); },
       "pupils[1].id: required key is missing"},
      {"empty id", [](J& j) { j["pupils"][1]["id"] = ""; }, "pupils[1].id: must not be empty"},
      {"numeric id", [](J& j) { j["pupils"][1]["id"] = 2; }, "pupils[1].id: must be a string"},
      {"duplicate id", [](J& j) { j["pupils"][1]["id"] = "P1"; },
       "pupils[1].id: duplicate pupil id"},
      {"empty on_roll", [](J& j) { j["pupils"][0]["on_roll"] = J::array(); },
       "pupils[0].on_roll: must not be empty"},
      {"on_roll backwards", [](J& j) { j["pupils"][0]["on_roll"][0]["to"] = "2024-09-01"; },
       "pupils[0].on_roll[0].to: 'to' is before 'from'"},
      {"cohorts not list", [](J& j) { j["pupils"][0]["cohorts"] = "FSM"; },
       "pupils[0].cohorts: must be a list"},
      {"unknown pupil in marks", [](J& j) { j["marks"]["P9"] = J::object(); },
       "marks[P9]: not the id of a pupil"},
      {"saturday",
       [](J& j) {
         j["marks"]["P1"]["2024-09-07"] = {{"AM", "/"}};
       },
       "marks[P1][2024-09-07].AM: not an open school session"},
      {"closure day",
       [](J& j) {
         j["marks"]["P2"]["2024-09-02"] = {{"PM", "/"}};
       },
       "marks[P2][2024-09-02].PM: not an open school session"},
      {"off roll",
       [](J& j) {
         j["marks"]["P1"]["2024-09-03"] = J::object();
         j["marks"]["P1"].erase("2024-09-03");
         j["pupils"][0]["on_roll"][0]["from"] = "2024-09-05";
       },
       "marks[P1][2024-09-04].AM: pupil is not on roll"},
      {"unknown code", [](J& j) { j["marks"]["P1"]["2024-09-04"]["AM"] = "Q9"; },
       "marks[P1][2024-09-04].AM: 'Q9' is not an attendance code"},
      {"legacy code after switch", [](J& j) { j["marks"]["P1"]["2024-09-04"]["AM"] = "H"; },
       "marks[P1][2024-09-04].AM: code 'H' was withdrawn"},
      {"empty day", [](J& j) { j["marks"]["P1"]["2024-09-04"] = J::object(); },
       "marks[P1][2024-09-04]: needs AM or PM"},
      {"other half key", [](J& j) { j["marks"]["P1"]["2024-09-04"]["EVE"] = "/"; },
       "marks[P1][2024-09-04][EVE]"},
      {"bad date key",
       [](J& j) {
         j["marks"]["P1"]["2024-9-4"] = {{"AM", "/"}};
       },
       "marks[P1][2024-9-4]: not a date"},
      {"default mark 2024-only", [](J& j) { j["default_mark"]["AM"] = "K"; },
       "default_mark.AM: a default mark must be"},
      {"default mark legacy", [](J& j) { j["default_mark"]["PM"] = "H"; }, "default_mark.PM"},
      {"default mark key", [](J& j) { j["default_mark"]["ALL"] = "/"; }, "default_mark[ALL]"},
      {"policy unknown key",
       [](J& j) {
         j["policy"] = {{"penalty", {{"weeks", 3}}}};
       },
       "policy.penalty[weeks]: unknown policy key"},
      {"policy unknown top",
       [](J& j) {
         j["policy"] = {{"colour", 3}};
       },
       "policy[colour]"},
      {"policy not-possible code",
       [](J& j) {
         j["policy"] = {{"penalty", {{"codes", {"G", "X"}}}}};
       },
       "policy.penalty.codes[1]: 'X' is a not-possible code"},
      {"policy unknown code",
       [](J& j) {
         j["policy"] = {{"sickness", {{"codes", {"ZZ"}}}}};
       },
       "policy.sickness.codes[0]"},
      {"policy empty codes",
       [](J& j) {
         j["policy"] = {{"lateness", {{"codes", J::array()}}}};
       },
       "policy.lateness.codes: must not be empty"},
      {"policy fraction count",
       [](J& j) {
         j["policy"] = {{"penalty", {{"sessions", 10.0}}}};
       },
       "policy.penalty.sessions: must be a positive"},
      {"policy zero count",
       [](J& j) {
         j["policy"] = {{"lateness", {{"per_week", 0}}}};
       },
       "policy.lateness.per_week"},
      {"policy negative overdue",
       [](J& j) {
         j["policy"] = {{"n_overdue_school_days", -1}};
       },
       "policy.n_overdue_school_days"},
      {"policy pct over 100",
       [](J& j) {
         j["policy"] = {{"persistent_absence_pct", 100.5}};
       },
       "policy.persistent_absence_pct: must be a number from 0 to 100"},
      {"policy pct string",
       [](J& j) {
         j["policy"] = {{"severe_absence_pct", "50"}};
       },
       "policy.severe_absence_pct"},
      {"policy empty bands",
       [](J& j) {
         j["policy"] = {{"bands", J::array()}};
       },
       "policy.bands: must not be empty"},
      {"band without name",
       [](J& j) {
         j["policy"] = {{"bands", {{{"min", 5}}}}};
       },
       "policy.bands[0].name"},
      {"band extra key",
       [](J& j) {
         j["policy"] = {{"bands", {{{"name", "a"}, {"min", 5}, {"colour", "red"}}}}};
       },
       "policy.bands[0][colour]"},
      {"empty continuous sessions",
       [](J& j) {
         j["policy"] = {{"continuous_absence", {{"sessions", J::array()}}}};
       },
       "policy.continuous_absence.sessions: must not be empty"},
      {"top level list", [](J& j) { j = J::array(); }, "$: must be an object"},
  };
  for (const InvalidCase& c : cases) {
    const std::string error = ErrorAfter(c.edit);
    EXPECT_NE(error.find(c.message), std::string::npos) << c.name << ": got '" << error << "'";
  }
}

TEST(ScenarioJsonTest, RejectsMalformedJsonDuplicateKeysAndNonFiniteNumbers) {
  EXPECT_FALSE(ParseScenario("{").ok());
  EXPECT_FALSE(ParseScenario("").ok());
  EXPECT_FALSE(ParseScenario(R"({"as_of": NaN})").ok());
  EXPECT_FALSE(ParseScenario(R"({"as_of": Infinity})").ok());
  auto dup = ParseScenario(R"({"as_of": "2024-09-20", "as_of": "2024-09-21"})");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), "JSON_DUPLICATE_KEY");
  EXPECT_NE(dup.status().message().find("/as_of"), std::string::npos);
  auto trailing = ParseScenario(std::string(kValid) + " x");
  EXPECT_FALSE(trailing.ok());
}

TEST(ScenarioJsonTest, NullOptionalKeysAreAbsentAndUnknownKeysIgnored) {
  nlohmann::json j = nlohmann::json::parse(kValid);
  j["marks"] = nullptr;
  j["policy"] = nullptr;
  j["description"] = 42;
  j["pupils"][0]["cohorts"] = nullptr;
  j["pupils"][0]["favourite_colour"] = "blue";
  auto parsed = ParseScenario(j.dump());
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_TRUE(parsed->pupils[0].cohorts.empty());
}

TEST(ScenarioJsonTest, WriterRoundTripsToTheSameEvaluation) {
  nlohmann::json j = nlohmann::json::parse(kValid);
  j["policy"] = {{"bands", {{{"name", "top"}, {"min", 95.9}}, {{"name", "low"}, {"min", 0}}}},
                 {"penalty", {{"framework_start", nullptr}, {"codes", {"G", "N"}}}},
                 {"persistent_absence_pct", 12.5}};
  auto first = ParseScenario(j.dump());
  ASSERT_TRUE(first.ok()) << first.status().message();
  const std::string written = ScenarioToJson(*first, {.name = "round trip"}).dump();
  auto second = ParseScenario(written);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(EvaluationToJson(*first, core::Evaluate(*first)),
            EvaluationToJson(*second, core::Evaluate(*second)));
  EXPECT_EQ(second->policy.bands[0].min.ToString(), "95.9");
  EXPECT_FALSE(second->policy.penalty.framework_start.has_value());
  EXPECT_EQ(ScenarioToJson(*second, {.name = "round trip"}).dump(), written);
}

// An export made during the school day says which of the as-of day's
// registers had opened, so `rollcall evaluate` counts what the school's pages
// counted.
TEST(ScenarioJsonTest, RegistersOpenOnTheAsOfDayRoundTrip) {
  nlohmann::json j = nlohmann::json::parse(kValid);
  j["as_of"] = "2024-09-04";  // P1 has G in the morning and no PM mark
  auto whole = ParseScenario(j.dump());
  ASSERT_TRUE(whole.ok()) << whole.status().message();
  EXPECT_EQ(whole->as_of_part, core::DayPart::kWholeDay);
  EXPECT_FALSE(ScenarioToJson(*whole, {}).contains("as_of_registers_open"));

  j["as_of_registers_open"] = "AM";
  auto morning = ParseScenario(j.dump());
  ASSERT_TRUE(morning.ok()) << morning.status().message();
  EXPECT_EQ(morning->as_of_part, core::DayPart::kAmOnly);
  const std::string written = ScenarioToJson(*morning, {}).dump();
  EXPECT_NE(written.find(R"("as_of_registers_open":"AM")"), std::string::npos);
  auto again = ParseScenario(written);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->as_of_part, core::DayPart::kAmOnly);
  // P1's unrecorded afternoon of the as-of day is not yet a session of theirs.
  EXPECT_EQ(core::Evaluate(*whole).pupils[0].counts.unrecorded,
            core::Evaluate(*morning).pupils[0].counts.unrecorded + 1);

  j["as_of_registers_open"] = "none";
  auto early = ParseScenario(j.dump());
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(early->as_of_part, core::DayPart::kNoSession);

  EXPECT_NE(
      ErrorAfter([](auto& s) { s["as_of_registers_open"] = "PM"; }).find("as_of_registers_open"),
      std::string::npos);
  EXPECT_NE(ErrorAfter([](auto& s) { s["as_of_registers_open"] = 1; }), "");
}

}  // namespace
}  // namespace rollcall::io
