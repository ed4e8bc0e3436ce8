// Confirming a parent's absence report: the suggested code, coding the
// sessions it covers that are still N or unmarked, and resolving it.
#include <gtest/gtest.h>

#include <string>

#include "core/codes.h"
#include "test_app.h"

namespace rollcall::testing {
namespace {

using web::http::status;
using web::http::verb;

TEST(ReportsTest, TheReasonSuggestsACode) {
  using core::AttendanceCode;
  EXPECT_EQ(web::SuggestedCode("Dentist at 10"), AttendanceCode::kMedical);
  EXPECT_EQ(web::SuggestedCode("Hospital appointment for her cough"), AttendanceCode::kMedical);
  EXPECT_EQ(web::SuggestedCode("He is poorly with a temperature"), AttendanceCode::kIllness);
  EXPECT_EQ(web::SuggestedCode("Sickness bug"), AttendanceCode::kIllness);
  EXPECT_EQ(web::SuggestedCode("Eid al-Fitr"), AttendanceCode::kReligious);
  EXPECT_FALSE(web::SuggestedCode("She will be at her cousin's wedding"));  // not "ill"
  EXPECT_FALSE(web::SuggestedCode("Family holiday"));
}

TEST(ReportsTest, ConfirmingCodesTheCoveredSessionsAndResolvesTheReport) {
  TestApp t;
  const std::string p1 = std::to_string(t.pupil("P1"));
  // Wednesday morning's register has P1 as N; their parent then reports them
  // ill today. Only N and unmarked sessions are coded.
  ASSERT_EQ(
      t.As("office", verb::put, "/api/v1/registers/2026-11-25/AM/marks/" + p1, R"({"code":"N"})")
          .status,
      status::ok);
  web::Response report = t.As("parent", verb::post, "/api/v1/pupils/" + p1 + "/absence-reports",
                              R"({"from":"2026-11-25","reason":"Unwell with a fever"})");
  ASSERT_EQ(report.status, status::created);
  const std::string id = std::to_string(nlohmann::json::parse(report.body)["id"].get<int64_t>());
  web::Response today = t.Get("office", "/today");
  EXPECT_NE(today.body.find("Suggested: I (illness)"), std::string::npos);
  EXPECT_NE(today.body.find("action=\"/today/report/" + id + "\""), std::string::npos);
  // 10:00: the morning is coded, the afternoon is still to come, so the
  // report stays open.
  web::Response morning =
      t.As("office", verb::post, "/api/v1/absence-reports/" + id + "/confirm", R"({"code":"I"})");
  ASSERT_EQ(morning.status, status::ok) << morning.body;
  nlohmann::json j = nlohmann::json::parse(morning.body);
  ASSERT_EQ(j["coded"].size(), 1u);
  EXPECT_EQ(j["coded"][0]["session"], "AM");
  EXPECT_FALSE(j["resolved"]);
  const nlohmann::json reg = nlohmann::json::parse(
      t.Get("office", "/api/v1/registers/2026-11-25/AM?class=" + std::to_string(t.class_id("3A")))
          .body);
  bool found = false;
  for (const auto& p : reg["pupils"]) {
    if (p["id"] == t.pupil("P1")) {
      found = true;
      EXPECT_EQ(p["code"], "I");
    }
  }
  EXPECT_TRUE(found);
  const nlohmann::json audit =
      nlohmann::json::parse(t.Get("office", "/api/v1/pupils/" + p1 + "/amendments").body);
  EXPECT_EQ(audit["amendments"].back()["reason"], "Parent reported: Unwell with a fever");
  // 14:00: the afternoon is coded too and the report resolved; the parent
  // sees the office's reply.
  t.clock().Set(D("2026-11-25"), 14 * 60);
  j = nlohmann::json::parse(
      t.As("office", verb::post, "/api/v1/absence-reports/" + id + "/confirm", R"({"code":"I"})")
          .body);
  ASSERT_EQ(j["coded"].size(), 1u);
  EXPECT_EQ(j["coded"][0]["session"], "PM");
  EXPECT_TRUE(j["resolved"]);
  EXPECT_NE(
      t.Get("parent", "/parent").body.find("Recorded as I (illness): Wed 25 November 2026 PM"),
      std::string::npos);
  EXPECT_EQ(
      t.As("office", verb::post, "/api/v1/absence-reports/" + id + "/confirm", R"({"code":"I"})")
          .status,
      status::not_found);  // no longer open
}

TEST(ReportsTest, ConfirmingRefusesBadCodesAndOtherRoles) {
  TestApp t;
  const std::string p1 = std::to_string(t.pupil("P1"));
  web::Response report = t.As("parent", verb::post, "/api/v1/pupils/" + p1 + "/absence-reports",
                              R"({"from":"2026-11-25","reason":"Dentist"})");
  const std::string id = std::to_string(nlohmann::json::parse(report.body)["id"].get<int64_t>());
  const std::string path = "/api/v1/absence-reports/" + id + "/confirm";
  EXPECT_EQ(t.As("office", verb::post, path, R"({"code":"ZZ"})").status, status::bad_request);
  EXPECT_EQ(t.As("office", verb::post, path, R"({})").status, status::bad_request);
  EXPECT_EQ(t.As("teacher", verb::post, path, R"({"code":"M"})").status, status::forbidden);
  EXPECT_EQ(t.As("parent", verb::post, path, R"({"code":"M"})").status, status::forbidden);
  EXPECT_EQ(
      t.As("office", verb::post, "/api/v1/absence-reports/999/confirm", R"({"code":"M"})").status,
      status::not_found);
}

}  // namespace
}  // namespace rollcall::testing
