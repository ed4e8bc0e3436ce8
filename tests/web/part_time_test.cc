// Part-time timetables through the API, the register and Today: the head
// agrees one, the register offers (and "mark everyone present" records) C2
// for the sessions off timetable, reviews extend and end it, the LA queue
// lists it, and C2 recorded with no agreement is flagged.
#include <gtest/gtest.h>

#include <string>

#include "test_app.h"

namespace rollcall::testing {
namespace {

using web::http::status;
using web::http::verb;

constexpr char kMornings[] =
    R"j({"agreed_with":"Parent P1 (Mother)","agreed_on":"2026-11-24","start":"2026-11-25",)j"
    R"j("end":"2026-12-11","review_date":"2026-12-01",)j"
    R"j("attends":["mon-am","tue-am","wed-am","thu-am","fri-am"],)j"
    R"j("reason":"Phased return after surgery","plan":"Full time from 14 December"})j";

TEST(PartTimeTest, TheHeadAgreesItAndTheRegisterCodesOffTimetableSessionsC2) {
  TestApp t;
  const std::string p1 = std::to_string(t.pupil("P1"));
  const std::string base = "/api/v1/pupils/" + p1 + "/part-time";
  EXPECT_EQ(t.As("office", verb::post, base, kMornings).status, status::forbidden);
  EXPECT_EQ(t.As("teacher", verb::post, base, kMornings).status, status::forbidden);
  web::Response agreed = t.As("head", verb::post, base, kMornings);
  ASSERT_EQ(agreed.status, status::created) << agreed.body;
  const nlohmann::json a = Json(agreed);
  EXPECT_EQ(a["status"], "in_force");
  EXPECT_EQ(a["sessions_per_week"], 5);
  EXPECT_EQ(a["attends_text"], "Mon AM, Tue AM, Wed AM, Thu AM, Fri AM");
  EXPECT_EQ(a["next_review"], "2026-12-01");
  const std::string id = std::to_string(a["id"].get<int64_t>());

  // Bad agreements are refused with the reason, and nothing is stored.
  struct Bad {
    std::string body;
    status expected;
    const char* says;
  };
  auto with = [](const char* key, nlohmann::json value) {
    nlohmann::json b = nlohmann::json::parse(kMornings);
    if (value.is_null()) {
      b.erase(key);
    } else {
      b[key] = value;
    }
    return b.dump();
  };
  const Bad bad[] = {
      {with("end", nullptr), status::bad_request, "end"},
      {with("end", "2026-11-20"), status::bad_request, "before the start"},
      {with("attends", nlohmann::json::array()), status::bad_request, "at least one"},
      {with("attends", {"mon-am", "sat-am"}), status::bad_request, "'sat-am' is not a session"},
      {with("agreed_on", "2026-11-30"), status::bad_request, "future"},
      {with("review_date", "2027-01-04"), status::bad_request, "review date"},
      {kMornings, status::conflict, "already has a part-time timetable"},
  };
  for (const Bad& b : bad) {
    web::Response r = t.As("head", verb::post, base, b.body);
    EXPECT_EQ(r.status, b.expected) << b.body << " → " << r.body;
    EXPECT_NE(r.body.find(b.says), std::string::npos) << r.body;
  }
  EXPECT_EQ(Json(t.Get("office", base))["timetables"].size(), 1u);
  EXPECT_EQ(t.Get("parent", base).status, status::forbidden);

  // This afternoon's register: P1 is off timetable, so C2 is offered.
  const std::string cls = std::to_string(t.class_id("3A"));
  nlohmann::json reg = Json(t.Get("teacher", "/api/v1/registers/2026-11-25/PM?class=" + cls));
  for (const auto& p : reg["pupils"]) {
    EXPECT_EQ(p["off_timetable"],
              p["id"] == t.pupil("P1") ? nlohmann::json("C2") : nlohmann::json())
        << p.dump();
  }
  EXPECT_TRUE(Json(t.Get(
      "teacher", "/api/v1/registers/2026-11-25/AM?class=" + cls))["pupils"][0]["off_timetable"]
                  .is_null());
  t.clock().Set(D("2026-11-25"), 13 * 60 + 20);
  web::Response page = t.Get("teacher", "/register?class=" + cls + "&date=2026-11-25&session=PM");
  EXPECT_NE(
      page.body.find(R"(value="C2" data-key="off">C2<span class="reg-word"> Off timetable</span>)"),
      std::string::npos);
  const std::string csrf = Json(t.Get("teacher", "/api/v1/me"))["csrf_token"];
  ASSERT_EQ(t.As("teacher", verb::post, "/register/all-present",
                 "_csrf=" + csrf + "&class=" + cls + "&date=2026-11-25&session=PM", false)
                .status,
            status::see_other);
  reg = Json(t.Get("teacher", "/api/v1/registers/2026-11-25/PM?class=" + cls));
  for (const auto& p : reg["pupils"]) {
    EXPECT_EQ(p["code"], p["id"] == t.pupil("P1") ? "C2" : "\\") << p.dump();
  }
  const nlohmann::json trail = Json(t.Get("office", "/api/v1/pupils/" + p1 + "/amendments"));
  EXPECT_EQ(trail["amendments"].back()["reason"],
            "Part-time timetable: not timetabled this session");
  // C2 is authorised absence: the summary counts it so.
  const nlohmann::json summary = Json(t.Get("office", "/api/v1/pupils/" + p1 + "/summary"));
  EXPECT_EQ(summary["authorised"], 2);  // the illness on 23 Nov and today's C2

  // Today reminds the office of the review; the LA queue lists the timetable.
  web::Response today = t.Get("office", "/today");
  EXPECT_NE(today.body.find("review due by 1 December 2026"), std::string::npos) << today.body;
  bool listed = false;
  const nlohmann::json queue = Json(t.Get("la", "/api/v1/la-notifications"));
  for (const auto& n : queue["notifications"]) {
    if (n["kind"] != "part_time_timetable") continue;
    listed = true;
    EXPECT_EQ(n["pupil"]["id"], t.pupil("P1"));
    EXPECT_EQ(n["due"], "2026-12-01");  // 5 school days after it was agreed on 24 Nov
    EXPECT_NE(n["content"].get<std::string>().find("5 of 10 sessions"), std::string::npos);
  }
  EXPECT_TRUE(listed) << queue.dump();

  // Reviews: extend, then end it early.
  const std::string reviews = "/api/v1/part-time/" + id + "/reviews";
  EXPECT_EQ(
      t.As("office", verb::post, reviews, R"({"outcome":"extend","next_review":"2026-12-11"})")
          .status,
      status::bad_request);  // no new end
  EXPECT_EQ(
      t.As("office", verb::post, reviews, R"({"outcome":"continue","next_review":"2026-12-18"})")
          .status,
      status::bad_request);  // next review after the end
  EXPECT_EQ(t.As("teacher", verb::post, reviews, R"({"outcome":"continue"})").status,
            status::forbidden);
  EXPECT_EQ(
      t.As("office", verb::post, "/api/v1/part-time/99/reviews", R"({"outcome":"end"})").status,
      status::not_found);
  web::Response extended = t.As(
      "office", verb::post, reviews,
      R"({"outcome":"extend","end":"2026-12-18","next_review":"2026-12-11","notes":"Tiring"})");
  ASSERT_EQ(extended.status, status::created) << extended.body;
  nlohmann::json now = Json(t.Get("office", base))["timetables"][0];
  EXPECT_EQ(now["end"], "2026-12-18");
  EXPECT_EQ(now["agreed_end"], "2026-12-11");
  EXPECT_EQ(now["next_review"], "2026-12-11");
  ASSERT_EQ(t.As("head", verb::post, reviews, R"({"outcome":"end","notes":"Ready"})").status,
            status::created);
  now = Json(t.Get("office", base))["timetables"][0];
  EXPECT_EQ(now["end"], "2026-11-25");
  EXPECT_TRUE(now["next_review"].is_null());
  // From tomorrow P1 is on the full timetable again.
  t.clock().Set(D("2026-11-26"), 13 * 60 + 20);
  t.ForgetSessions();  // yesterday's logins have expired
  reg = Json(t.Get("teacher", "/api/v1/registers/2026-11-26/PM?class=" + cls));
  EXPECT_TRUE(reg["pupils"][0]["off_timetable"].is_null());
  EXPECT_EQ(Json(t.Get("office", base))["timetables"][0]["status"], "ended");
  // The pupil page shows the history.
  page = t.Get("office", "/pupils/" + p1);
  EXPECT_NE(page.body.find("Reviewed 25 November 2026: extended to 18 December 2026"),
            std::string::npos);
  EXPECT_NE(page.body.find("Phased return after surgery"), std::string::npos);
}

TEST(PartTimeTest, C2WithNoAgreementIsFlaggedOnToday) {
  TestApp t;
  const std::string p2 = std::to_string(t.pupil("P2"));
  ASSERT_EQ(t.As("office", verb::put, "/api/v1/registers/2026-11-24/AM/marks/" + p2,
                 R"({"code":"C2","reason":"Mum said mornings only"})")
                .status,
            status::ok);
  web::Response today = t.Get("office", "/today");
  EXPECT_NE(today.body.find("C2 recorded outside an agreement"), std::string::npos);
  EXPECT_NE(today.body.find("1 session coded C2 with no part-time timetable agreed, the first on "
                            "Tue 24 November 2026 AM"),
            std::string::npos)
      << today.body;
}

TEST(PartTimeTest, APlanReviewedAsNotImprovedIsAPersistentAbsenceReferral) {
  TestApp t;
  const std::string base = "/api/v1/pupils/" + std::to_string(t.pupil("P1"));
  web::Response plan = t.As(
      "office", verb::post, base + "/support-events",
      R"({"kind":"action_plan","held_on":"2026-11-24","targets":"On time","support_offered":"Call","review_date":"2026-12-04"})");
  ASSERT_EQ(plan.status, status::created);
  ASSERT_EQ(t.As("office", verb::post, base + "/support-events",
                 nlohmann::json{
                     {"kind", "review"}, {"plan_id", Json(plan)["id"]}, {"outcome", "not_improved"}}
                     .dump())
                .status,
            status::created);
  int referrals = 0;
  const nlohmann::json queue = Json(t.Get("office", "/api/v1/la-notifications"));
  for (const auto& n : queue["notifications"]) {
    if (n["kind"] == "persistent_absence") {
      ++referrals;
      EXPECT_EQ(n["trigger"], "2026-11-25");
      EXPECT_NE(n["content"].get<std::string>().find("six weeks before the plan"),
                std::string::npos);
    }
  }
  EXPECT_EQ(referrals, 1);
}

}  // namespace
}  // namespace rollcall::testing
