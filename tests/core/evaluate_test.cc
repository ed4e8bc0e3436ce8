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

}  // namespace
}  // namespace rollcall::testing
