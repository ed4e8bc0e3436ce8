// Leave of absence end to end: a parent asks, with the head's warnings; only
// the head decides, in advance, with a letter; granted leave is recorded on
// the register as its code; a pupil not back afterwards, and refused leave
// taken anyway, are coded as unauthorised once the office confirms.
#include <gtest/gtest.h>

#include <string>

#include "test_app.h"

namespace rollcall::testing {
namespace {

using web::http::status;
using web::http::verb;

TEST(LeaveTest, AskedGrantedRecordedAndOverstayCoded) {
  TestApp t;
  const std::string p1 = std::to_string(t.pupil("P1"));
  const std::string p2 = std::to_string(t.pupil("P2"));
  const std::string wedding =
      R"({"from":"2026-12-07","to":"2026-12-08","code":"C","reason":"Sister's wedding abroad","evidence":"Invitation"})";
  EXPECT_EQ(t.As("parent", verb::post, "/api/v1/pupils/" + p2 + "/leave-requests", wedding).status,
            status::forbidden);  // not their child
  EXPECT_EQ(t.As("teacher", verb::post, "/api/v1/pupils/" + p1 + "/leave-requests", wedding).status,
            status::forbidden);
  EXPECT_EQ(t.As("parent", verb::post, "/api/v1/pupils/" + p1 + "/leave-requests",
                 R"({"from":"2026-12-07","to":"2026-12-08","code":"G","reason":"x"})")
                .status,
            status::bad_request);  // not a leave code
  EXPECT_EQ(
      t.As("parent", verb::post, "/api/v1/pupils/" + p1 + "/leave-requests",
           R"({"from":"2026-12-07","to":"2026-12-08","code":"C","reason":"x","received_on":"2026-11-01"})")
          .status,
      status::bad_request);  // the school says when it received it
  EXPECT_EQ(t.As("parent", verb::post, "/api/v1/pupils/" + p1 + "/leave-requests",
                 R"({"from":"2026-12-19","to":"2026-12-20","code":"C","reason":"x"})")
                .status,
            status::bad_request);  // no open session
  web::Response asked =
      t.As("parent", verb::post, "/api/v1/pupils/" + p1 + "/leave-requests", wedding);
  ASSERT_EQ(asked.status, status::created) << asked.body;
  nlohmann::json r = Json(asked);
  EXPECT_EQ(r["status"], "pending");
  EXPECT_EQ(r["sessions"], 4);
  ASSERT_EQ(r["warnings"].size(), 1u);
  EXPECT_NE(r["warnings"][0].get<std::string>().find("asked 12 days ahead"), std::string::npos);
  // Today shows it to the head to decide.
  EXPECT_NE(t.Get("head", "/today").body.find("Sister&#39;s wedding abroad"), std::string::npos);

  // Only the head decides; once; with a reason that goes in the letter.
  const std::string decide = "/api/v1/leave-requests/1/decision";
  EXPECT_EQ(t.As("office", verb::post, decide, R"({"decision":"granted","reason":"x"})").status,
            status::forbidden);
  EXPECT_EQ(t.As("la", verb::post, decide, R"({"decision":"granted","reason":"x"})").status,
            status::forbidden);
  EXPECT_EQ(t.As("head", verb::post, decide, R"({"decision":"granted"})").status,
            status::bad_request);
  web::Response granted =
      t.As("head", verb::post, decide,
           R"({"decision":"granted","reason":"a once-in-a-lifetime family event"})");
  ASSERT_EQ(granted.status, status::created) << granted.body;
  const int64_t letter = Json(granted)["letter_id"];
  EXPECT_EQ(t.As("head", verb::post, decide, R"({"decision":"refused","reason":"x"})").status,
            status::conflict);
  const nlohmann::json sent = Json(t.Get("office", "/api/v1/letters/" + std::to_string(letter)));
  EXPECT_EQ(sent["template"], "leave_granted");
  EXPECT_NE(sent["body"].get<std::string>().find("a once-in-a-lifetime family event"),
            std::string::npos);
  EXPECT_NE(sent["body"].get<std::string>().find("recorded as C (leave: exceptional"),
            std::string::npos)
      << sent["body"];
  // The parent sees the decision.
  EXPECT_NE(t.Get("parent", "/parent").body.find("granted"), std::string::npos);

  // On the day, the register offers C, and "mark everyone present" records it.
  t.clock().Set(D("2026-12-07"), 9 * 60);
  t.ForgetSessions();
  const std::string cls = std::to_string(t.class_id("3A"));
  nlohmann::json reg = Json(t.Get("teacher", "/api/v1/registers/2026-12-07/AM?class=" + cls));
  EXPECT_EQ(reg["pupils"][0]["planned_code"], "C") << reg.dump();
  const std::string csrf = Json(t.Get("teacher", "/api/v1/me"))["csrf_token"];
  ASSERT_EQ(t.As("teacher", verb::post, "/register/all-present",
                 "_csrf=" + csrf + "&class=" + cls + "&date=2026-12-07&session=AM", false)
                .status,
            status::see_other);
  reg = Json(t.Get("teacher", "/api/v1/registers/2026-12-07/AM?class=" + cls));
  EXPECT_EQ(reg["pupils"][0]["code"], "C");
  EXPECT_EQ(reg["pupils"][1]["code"], "/");

  // Not back on Wednesday: N twice; Today offers to code them G.
  t.clock().Set(D("2026-12-09"), 14 * 60);
  t.ForgetSessions();
  for (const char* s : {"AM", "PM"}) {
    ASSERT_EQ(
        t.As("office", verb::put, std::string("/api/v1/registers/2026-12-09/") + s + "/marks/" + p1,
             R"({"code":"N"})")
            .status,
        status::ok);
  }
  web::Response today = t.Get("office", "/today");
  EXPECT_NE(today.body.find("not back after granted leave — 2 sessions still N"), std::string::npos)
      << today.body;
  const std::string ocsrf = Json(t.Get("office", "/api/v1/me"))["csrf_token"];
  EXPECT_EQ(t.As("office", verb::post, "/today/leave/1/taken", "_csrf=" + ocsrf, false).status,
            status::not_found);  // it was granted, not refused
  ASSERT_EQ(t.As("office", verb::post, "/today/leave/1/overstay", "_csrf=" + ocsrf, false).status,
            status::see_other);
  const nlohmann::json marks = Json(t.Get("office", "/api/v1/pupils/" + p1 + "/amendments"));
  EXPECT_EQ(marks["amendments"].back()["new"], "G");
  EXPECT_EQ(marks["amendments"].back()["reason"],
            "Not back after leave granted to 8 December 2026 (request 1)");
}

TEST(LeaveTest, RefusedLeaveTakenIsCodedGAndGrantsAreNeverRetrospective) {
  TestApp t;
  const std::string p2 = std::to_string(t.pupil("P2"));
  // Entered by the office from a paper form received last week.
  web::Response asked = t.As(
      "office", verb::post, "/api/v1/pupils/" + p2 + "/leave-requests",
      R"({"from":"2026-11-30","to":"2026-12-01","code":"C","reason":"Cheaper flights","received_on":"2026-11-18"})");
  ASSERT_EQ(asked.status, status::created) << asked.body;
  EXPECT_EQ(Json(asked)["requested_by"]["role"], "office");
  ASSERT_EQ(
      t.As("head", verb::post, "/api/v1/leave-requests/1/decision",
           R"({"decision":"refused","reason":"a holiday is not an exceptional circumstance"})")
          .status,
      status::created);
  // Taken anyway: N on Monday and Tuesday; the office confirms: G.
  t.clock().Set(D("2026-12-01"), 15 * 60);
  t.ForgetSessions();
  for (const char* d : {"2026-11-30", "2026-12-01"}) {
    for (const char* s : {"AM", "PM"}) {
      ASSERT_EQ(
          t.As("office", verb::put,
               std::string("/api/v1/registers/") + d + "/" + s + "/marks/" + p2, R"({"code":"N"})")
              .status,
          status::ok);
    }
  }
  EXPECT_NE(t.Get("office", "/today").body.find("refused leave taken — 4 sessions still N"),
            std::string::npos);
  const std::string csrf = Json(t.Get("office", "/api/v1/me"))["csrf_token"];
  ASSERT_EQ(t.As("office", verb::post, "/today/leave/1/taken", "_csrf=" + csrf, false).status,
            status::see_other);
  const nlohmann::json summary = Json(t.Get("office", "/api/v1/pupils/" + p2 + "/summary"));
  EXPECT_EQ(summary["unauthorised"], 4) << summary.dump();
  const nlohmann::json trail = Json(t.Get("office", "/api/v1/pupils/" + p2 + "/amendments"));
  EXPECT_EQ(trail["amendments"].back()["new"], "G");
  EXPECT_EQ(trail["amendments"].back()["reason"], "Leave refused (request 1) and taken");

  // A request for sessions already begun cannot be granted, only refused.
  web::Response late = t.As(
      "office", verb::post, "/api/v1/pupils/" + p2 + "/leave-requests",
      R"({"from":"2026-12-01","from_session":"AM","to":"2026-12-02","code":"M","reason":"Dentist"})");
  ASSERT_EQ(late.status, status::created);
  web::Response refused = t.As("head", verb::post, "/api/v1/leave-requests/2/decision",
                               R"({"decision":"granted","reason":"ok"})");
  EXPECT_EQ(refused.status, status::conflict);
  EXPECT_NE(refused.body.find("LEAVE_RETROSPECTIVE"), std::string::npos);
  // And a parent may withdraw their own request before the decision.
  web::Response mine = t.As(
      "parent", verb::post, "/api/v1/pupils/" + std::to_string(t.pupil("P1")) + "/leave-requests",
      R"({"from":"2026-12-14","to":"2026-12-14","code":"M","reason":"Orthodontist"})");
  ASSERT_EQ(mine.status, status::created);
  EXPECT_EQ(t.As("parent", verb::post, "/api/v1/leave-requests/3/decision",
                 R"({"decision":"granted","reason":"x"})")
                .status,
            status::forbidden);
  EXPECT_EQ(
      t.As("parent", verb::post, "/api/v1/leave-requests/3/decision", R"({"decision":"withdrawn"})")
          .status,
      status::created);
  const nlohmann::json list = Json(t.Get("parent", "/api/v1/leave-requests"));
  ASSERT_EQ(list["leave_requests"].size(), 1u);  // only their child's
  EXPECT_EQ(list["leave_requests"][0]["status"], "withdrawn");
}

TEST(LeaveTest, ThePolicySaysHowAnOverstayIsCoded) {
  TestApp t;
  ASSERT_EQ(
      t.As("head", verb::put, "/api/v1/settings", R"({"policy":{"leave":{"overstay_code":"O"}}})")
          .status,
      status::ok);
  EXPECT_EQ(
      t.As("head", verb::put, "/api/v1/settings", R"({"policy":{"leave":{"overstay_code":"I"}}})")
          .status,
      status::bad_request);
  const std::string p1 = std::to_string(t.pupil("P1"));
  ASSERT_EQ(t.As("parent", verb::post, "/api/v1/pupils/" + p1 + "/leave-requests",
                 R"({"from":"2026-12-07","to":"2026-12-07","code":"C","reason":"Funeral"})")
                .status,
            status::created);
  ASSERT_EQ(t.As("head", verb::post, "/api/v1/leave-requests/1/decision",
                 R"({"decision":"granted","reason":"bereavement"})")
                .status,
            status::created);
  t.clock().Set(D("2026-12-08"), 15 * 60);
  t.ForgetSessions();
  ASSERT_EQ(
      t.As("office", verb::put, "/api/v1/registers/2026-12-08/AM/marks/" + p1, R"({"code":"N"})")
          .status,
      status::ok);
  const std::string csrf = Json(t.Get("office", "/api/v1/me"))["csrf_token"];
  EXPECT_NE(t.Get("office", "/today").body.find("Code them O"), std::string::npos);
  ASSERT_EQ(t.As("office", verb::post, "/today/leave/1/overstay", "_csrf=" + csrf, false).status,
            status::see_other);
  const nlohmann::json trail = Json(t.Get("office", "/api/v1/pupils/" + p1 + "/amendments"));
  EXPECT_EQ(trail["amendments"].back()["new"], "O");
}

}  // namespace
}  // namespace rollcall::testing
