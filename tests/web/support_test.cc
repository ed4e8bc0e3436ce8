// The graduated approach through the API and the pupil page: a pupil goes
// from monitor to an attendance panel, an action plan and its review, with
// the figures the review quotes counted by the rules core.
#include <gtest/gtest.h>

#include <string>

#include "test_app.h"

namespace rollcall::testing {
namespace {

using web::http::status;
using web::http::verb;

TEST(SupportTest, MonitorThenPanelThenActionPlanThenReview) {
  TestApp t;
  const std::string p1 = std::to_string(t.pupil("P1"));
  const std::string base = "/api/v1/pupils/" + p1;
  // P1 missed 1 of 4 recorded sessions: persistently absent, so rollcall
  // suggests listening to the family; nothing is confirmed yet.
  nlohmann::json s = nlohmann::json::parse(t.Get("office", base + "/support").body);
  EXPECT_EQ(s["stage"], "expect");
  EXPECT_FALSE(s["confirmed"]);
  EXPECT_EQ(s["suggested"]["stage"], "listen");
  EXPECT_EQ(s["suggested"]["reasons"].back(), "persistently absent: 25.0% of sessions missed");

  ASSERT_EQ(t.As("office", verb::post, base + "/stage",
                 R"({"stage":"monitor","reason":"One absence so far: watching first"})")
                .status,
            status::ok);
  ASSERT_EQ(
      t.As("head", verb::post, base + "/support-events",
           R"({"kind":"panel_meeting","held_on":"2026-11-24","attendees":"Head, link governor, mum","notes":"Mornings are hard; younger sibling unwell"})")
          .status,
      status::created);
  ASSERT_EQ(t.As("head", verb::post, base + "/stage",
                 R"({"stage":"facilitate","reason":"Panel agreed support"})")
                .status,
            status::ok);
  web::Response plan = t.As(
      "head", verb::post, base + "/support-events",
      R"({"kind":"action_plan","held_on":"2026-11-24","targets":"Every morning by 08:50","support_offered":"Breakfast club, morning call","review_date":"2026-12-11"})");
  ASSERT_EQ(plan.status, status::created) << plan.body;
  const int64_t plan_id = nlohmann::json::parse(plan.body)["id"];
  // Bad input: refused, nothing written.
  struct Bad {
    const char* body;
    status expected;
  };
  const Bad bad[] = {
      {R"({"kind":"action_plan","targets":"x","support_offered":"y"})", status::bad_request},
      {R"({"kind":"action_plan","targets":"x","support_offered":"y","review_date":"2026-11-20"})",
       status::bad_request},
      {R"({"kind":"action_plan","review_date":"2026-12-11"})", status::bad_request},
      {R"({"kind":"panel_meeting","held_on":"2026-12-01","attendees":"a","notes":"b"})",
       status::bad_request},  // in the future
      {R"({"kind":"review","plan_id":999,"outcome":"improved"})", status::not_found},
      {R"({"kind":"review","plan_id":1,"outcome":"better"})", status::bad_request},
      {R"({"kind":"party"})", status::bad_request},
  };
  for (const Bad& b : bad) {
    EXPECT_EQ(t.As("head", verb::post, base + "/support-events", b.body).status, b.expected)
        << b.body;
  }
  EXPECT_EQ(t.As("head", verb::post, base + "/stage", R"({"stage":"punish","reason":"x"})").status,
            status::bad_request);
  // The review, with the attendance before the plan and since it.
  t.clock().Set(D("2026-11-25"), 15 * 60);
  web::Response review = t.As("office", verb::post, base + "/support-events",
                              nlohmann::json{{"kind", "review"},
                                             {"plan_id", plan_id},
                                             {"outcome", "not_improved"},
                                             {"notes", "Late twice more"}}
                                  .dump());
  ASSERT_EQ(review.status, status::created) << review.body;
  const nlohmann::json r = nlohmann::json::parse(review.body);
  EXPECT_EQ(r["attendance_before"], "50.0%");  // 23 Nov: ill in the morning, present after
  EXPECT_EQ(r["attendance_since"], "100.0%");  // 24 Nov, both sessions present
  s = nlohmann::json::parse(t.Get("teacher", base + "/support").body);
  EXPECT_EQ(s["stage"], "facilitate");
  EXPECT_TRUE(s["confirmed"]);
  ASSERT_EQ(s["history"].size(), 2u);
  EXPECT_EQ(s["history"][1]["by"]["role"], "head");
  ASSERT_EQ(s["events"].size(), 3u);
  EXPECT_EQ(s["events"][1]["reviewed"], true);
  EXPECT_EQ(s["events"][2]["outcome"], "not_improved");
  // The page shows it all, and the next step after a review that failed.
  web::Response page = t.Get("office", "/pupils/" + p1);
  EXPECT_NE(page.body.find("Stage: <strong>Facilitate support</strong>"), std::string::npos);
  EXPECT_NE(page.body.find("not improved: consider Formalise support"), std::string::npos);
  EXPECT_NE(page.body.find("Breakfast club, morning call"), std::string::npos);
  EXPECT_EQ(t.Get("teacher", "/pupils/" + p1).body.find("Agree an action plan"),
            std::string::npos);  // teachers read, the office acts
  EXPECT_EQ(t.Get("parent", "/pupils/" + p1).body.find("graduated approach"), std::string::npos);
}

TEST(SupportTest, TodayListsReviewsDueAndFormsGoThroughTheSameChecks) {
  TestApp t;
  const std::string p1 = std::to_string(t.pupil("P1"));
  const std::string csrf = nlohmann::json::parse(t.Get("office", "/api/v1/me").body)["csrf_token"];
  web::Response posted =
      t.As("office", verb::post, "/pupils/" + p1 + "/support",
           "_csrf=" + csrf +
               "&kind=action_plan&held_on=2026-11-23&targets=On+time&support_offered=Walking+bus"
               "&review_date=2026-11-27&notes=",
           false);
  ASSERT_EQ(posted.status, status::see_other) << posted.body;
  web::Response today = t.Get("office", "/today");
  EXPECT_NE(today.body.find("action plan of 23 November 2026, review by 27 November 2026"),
            std::string::npos)
      << today.body;
  web::Response bad = t.As("office", verb::post, "/pupils/" + p1 + "/support",
                           "_csrf=" + csrf + "&kind=action_plan&targets=x", false);
  EXPECT_EQ(bad.status, status::bad_request);
  EXPECT_NE(bad.body.find("review_date"), std::string::npos);
  // Said as a GOV.UK error summary, with the way back to the form.
  EXPECT_NE(bad.body.find(R"(<div class="govuk-error-summary")"), std::string::npos) << bad.body;
  EXPECT_NE(bad.body.find(R"(href="/pupils/)" + p1 + R"(#support">Back</a>)"), std::string::npos);
  EXPECT_EQ(t.As("teacher", verb::post, "/pupils/" + p1 + "/stage",
                 "_csrf=" +
                     nlohmann::json::parse(t.Get("teacher", "/api/v1/me").body)["csrf_token"]
                         .get<std::string>() +
                     "&stage=monitor&reason=x",
                 false)
                .status,
            status::forbidden);
}

}  // namespace
}  // namespace rollcall::testing
