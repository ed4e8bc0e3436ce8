// Whole-scenario properties: the identities every DfE row satisfies hold for
// every pupil and aggregate, on a varied scenario.
#include <gtest/gtest.h>

#include "support/scenario_builder.h"

namespace rollcall::testing {
namespace {

void ExpectIdentities(const nlohmann::json& c) {
  EXPECT_EQ(c["attended"].get<int>() + c["absence"].get<int>(), c["possible"].get<int>());
  EXPECT_EQ(c["authorised"].get<int>() + c["unauthorised"].get<int>(), c["absence"].get<int>());
}

TEST(EvaluateTest, IdentitiesHoldForPupilsSchoolAndCohorts) {
  ScenarioBuilder b("2024-10-18");
  b.Term("2024-09-02", "2024-10-25");
  const char* codes[] = {"/", "L", "U", "G", "N", "O", "I", "M",
                         "V", "X", "D", "C", "B", "K", "C1"};
  for (int p = 0; p < 15; ++p) {
    const std::string id = "P" + std::to_string(p);
    b.Pupil(id, {{"cohorts", {p % 2 ? "FSM" : "none"}}});
    b.Days(id, "2024-09-09", "2024-09-09", codes[p]);
    b.Days(id, "2024-09-16", "2024-09-17", codes[(p * 7) % 15]);
  }
  const auto r = b.Evaluate();
  for (const auto& pupil : r["pupils"]) {
    ExpectIdentities(pupil);
    EXPECT_EQ(pupil["present"].get<int>() + pupil["approved_activity"].get<int>(),
              pupil["attended"].get<int>());
  }
  ExpectIdentities(r["school"]);
  for (const auto& item : r["cohorts"].items()) ExpectIdentities(item.value());
  EXPECT_EQ(r["school"]["pupils"], 15);
}

TEST(EvaluateTest, PupilsListedInScenarioOrder) {
  ScenarioBuilder b("2024-09-06");
  b.Term("2024-09-02", "2024-09-06").Pupil("zed").Pupil("amy").Pupil("M");
  const auto r = b.Evaluate();
  EXPECT_EQ(r["pupils"][0]["id"], "zed");
  EXPECT_EQ(r["pupils"][2]["id"], "M");
}

// The JSON of the evaluation of `scenario`, done in full or (with
// `previous`) again for the pupils at `changed` only.
std::string Json(const core::Scenario& scenario, const core::Evaluation& evaluation) {
  return io::EvaluationToJson(scenario, evaluation).dump();
}

// A school of 12 pupils in three cohorts; `amended` changes the marks of
// pupils 3 and 7 (one amended, one with a new absence).
core::Scenario TwelvePupils(bool amended) {
  ScenarioBuilder b("2024-10-18");
  b.Term("2024-09-02", "2024-10-25");
  const char* codes[] = {"/", "N", "O", "I", "M", "G"};
  for (int p = 0; p < 12; ++p) {
    const std::string id = "P" + std::to_string(p);
    b.Pupil(id, {{"cohorts", {p % 3 == 0 ? "FSM" : p % 3 == 1 ? "SEN" : "none"}}});
    b.Days(id, "2024-09-09", "2024-09-13", codes[p % 6]);
  }
  if (amended) {
    b.Days("P3", "2024-09-09", "2024-09-10", "/");
    b.Days("P7", "2024-09-16", "2024-09-20", "O");
  }
  return b.Build();
}

TEST(EvaluateTest, EvaluatingAgainTheChangedPupilsEqualsEvaluatingAll) {
  const core::Scenario before = TwelvePupils(false);
  const core::Scenario after = TwelvePupils(true);
  const core::Evaluation previous = core::Evaluate(before);
  const core::Evaluation again = core::EvaluateAgain(after, previous, {3, 7});
  EXPECT_EQ(Json(after, again), Json(after, core::Evaluate(after)));
  // Not a copy of the old one: the changed pupils' figures moved.
  EXPECT_NE(Json(after, again), Json(before, previous));
}

TEST(EvaluateTest, EvaluatingAgainWithAnotherPupilCountEvaluatesAll) {
  ScenarioBuilder b("2024-10-18");
  b.Term("2024-09-02", "2024-10-25").Pupil("A");
  b.Days("A", "2024-09-09", "2024-09-13", "N");
  const core::Scenario one = b.Build();
  const core::Scenario twelve = TwelvePupils(true);
  const core::Evaluation again = core::EvaluateAgain(twelve, core::Evaluate(one), {});
  EXPECT_EQ(Json(twelve, again), Json(twelve, core::Evaluate(twelve)));
}

}  // namespace
}  // namespace rollcall::testing
