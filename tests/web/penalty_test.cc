// Penalty-notice cases end to end: the threshold opens a case with its
// sessions; the head decides on a notice to improve, its 3-6 week period
// runs and fails; notices go to each parent with amounts and deadlines from
// the day of service (over Christmas); one is paid late at the full amount,
// the other lapses and is referred for prosecution; an evidence pack is
// generated and stored; a second threshold proposes second notices, and a
// withdrawn notice stops counting.
#include <gtest/gtest.h>

#include <string>

#include "test_app.h"

namespace rollcall::testing {
namespace {

using web::http::status;
using web::http::verb;

// Ten G sessions (holiday not agreed) for P2 over the five days from `monday`.
void HolidayWeek(TestApp& t, const std::vector<std::string>& days) {
  const std::string p2 = std::to_string(t.pupil("P2"));
  for (const std::string& day : days) {
    for (const char* s : {"AM", "PM"}) {
      web::Response r =
          t.As("office", verb::put, "/api/v1/registers/" + day + "/" + s + "/marks/" + p2,
               R"({"code":"G","reason":"Holiday in term time, not agreed"})");
      ASSERT_EQ(r.status, status::ok) << day << " " << s << ": " << r.body;
    }
  }
}

web::Response Event(TestApp& t, const std::string& who, const std::string& body) {
  return t.As(who, verb::post, "/api/v1/penalty-cases/1/events", body);
}

TEST(PenaltyTest, ThresholdToNoticeToImproveToNoticesPaidAndProsecuted) {
  TestApp t;
  HolidayWeek(t, {"2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"});
  nlohmann::json cases = Json(t.Get("office", "/api/v1/penalty-cases"));
  ASSERT_EQ(cases["cases"].size(), 1u) << cases.dump();
  nlohmann::json c = cases["cases"][0];
  EXPECT_EQ(c["pupil"]["id"], t.pupil("P2"));
  EXPECT_EQ(c["alert"]["date"], "2026-11-20");
  EXPECT_EQ(c["alert"]["session"], "PM");
  EXPECT_EQ(c["stage"], "awaiting_decision");
  EXPECT_NE(c["evidence"].get<std::string>().find("2026-11-16 AM G"), std::string::npos);
  ASSERT_EQ(c["parents"].size(), 2u);
  // The action proposed is the rules core's: the summary's alert says the same.
  EXPECT_EQ(c["parents"][0]["action"], "penalty_notice_1");
  const nlohmann::json summary =
      Json(t.Get("office", "/api/v1/pupils/" + std::to_string(t.pupil("P2")) + "/summary"));
  bool alert_found = false;
  for (const auto& a : summary["alerts"]) {
    if (a["type"] == "penalty_threshold") {
      alert_found = true;
      EXPECT_EQ(a["action"], c["parents"][0]["action"]);
    }
  }
  EXPECT_TRUE(alert_found) << summary.dump();

  // Only the head (or the LA) decides.
  EXPECT_EQ(
      Event(t, "office", R"({"kind":"decision","decision":"penalty_notice","text":"x"})").status,
      status::forbidden);
  EXPECT_EQ(Event(t, "head", R"({"kind":"decision","decision":"fine","text":"x"})").status,
            status::bad_request);
  ASSERT_EQ(
      Event(
          t, "head",
          R"({"kind":"decision","decision":"notice_to_improve","text":"First time; family engaged"})")
          .status,
      status::created);
  // A 3 to 6 week improvement period.
  EXPECT_EQ(
      Event(t, "head", R"({"kind":"nti","end":"2026-12-10","text":"No unauthorised absence"})")
          .status,
      status::bad_request);
  EXPECT_EQ(
      Event(t, "head", R"({"kind":"nti","end":"2027-01-08","text":"No unauthorised absence"})")
          .status,
      status::bad_request);
  ASSERT_EQ(
      Event(t, "head", R"({"kind":"nti","end":"2026-12-22","text":"No unauthorised absence"})")
          .status,
      status::created);
  EXPECT_EQ(Event(t, "head", R"({"kind":"nti_outcome","outcome":"not_improved"})").status,
            status::conflict);  // still running
  EXPECT_EQ(Event(t, "head", R"({"kind":"notice","parent":"Parent P2"})").status,
            status::conflict);  // no decision for a notice yet
  EXPECT_EQ(Json(t.Get("office", "/api/v1/penalty-cases/1"))["stage"], "nti_running");

  // The period ends; it did not work; notices to both parents on 23 December.
  t.clock().Set(D("2026-12-23"), 10 * 60);
  t.ForgetSessions();
  EXPECT_EQ(Json(t.Get("office", "/api/v1/penalty-cases/1"))["stage"], "nti_ended");
  ASSERT_EQ(Event(t, "head", R"({"kind":"nti_outcome","outcome":"not_improved","text":"2 more G"})")
                .status,
            status::created);
  ASSERT_EQ(
      Event(t, "head", R"({"kind":"decision","decision":"penalty_notice","text":"NTI failed"})")
          .status,
      status::created);
  EXPECT_EQ(Event(t, "head", R"({"kind":"notice","parent":"Nobody"})").status, status::bad_request);
  web::Response first = Event(t, "head", R"({"kind":"notice","parent":"Parent P2"})");
  ASSERT_EQ(first.status, status::created) << first.body;
  EXPECT_EQ(Event(t, "head", R"({"kind":"notice","parent":"Parent P2"})").status,
            status::conflict);  // one per parent per child
  ASSERT_EQ(Event(t, "la", R"({"kind":"notice","parent":"Other P2"})").status, status::created);
  c = Json(t.Get("office", "/api/v1/penalty-cases/1"));
  ASSERT_EQ(c["notices"].size(), 2u);
  const nlohmann::json n = c["notices"][0];
  EXPECT_EQ(n["served"], "2026-12-29");  // two working days, over Christmas and Boxing Day
  EXPECT_EQ(n["reduced_pence"], 8000);
  EXPECT_EQ(n["reduced_by"], "2027-01-19");
  EXPECT_EQ(n["full_pence"], 16000);
  EXPECT_EQ(n["full_by"], "2027-01-26");
  EXPECT_EQ(n["status"], "due_reduced");
  const std::string n1 = std::to_string(n["id"].get<int64_t>());
  const std::string n2 = std::to_string(c["notices"][1]["id"].get<int64_t>());

  // Paid on 20 January: the full amount was due by then.
  t.clock().Set(D("2027-01-20"), 10 * 60);
  t.ForgetSessions();
  web::Response wrong =
      Event(t, "office", R"({"kind":"payment","notice_id":)" + n1 + R"(,"amount_pence":8000})");
  EXPECT_EQ(wrong.status, status::bad_request);
  EXPECT_NE(wrong.body.find("£160.00 was due on 2027-01-20"), std::string::npos) << wrong.body;
  ASSERT_EQ(
      Event(t, "office", R"({"kind":"payment","notice_id":)" + n1 + R"(,"amount_pence":16000})")
          .status,
      status::created);
  EXPECT_EQ(
      Event(t, "office", R"({"kind":"payment","notice_id":)" + n1 + R"(,"amount_pence":16000})")
          .status,
      status::conflict);  // already paid
  // The other lapses: after 26 January it cannot be paid; the LA prosecutes.
  t.clock().Set(D("2027-01-27"), 10 * 60);
  t.ForgetSessions();
  EXPECT_EQ(
      Event(t, "office", R"({"kind":"payment","notice_id":)" + n2 + R"(,"amount_pence":16000})")
          .status,
      status::conflict);
  c = Json(t.Get("office", "/api/v1/penalty-cases/1"));
  EXPECT_EQ(c["stage"], "unpaid");
  EXPECT_EQ(c["notices"][1]["status"], "unpaid");
  EXPECT_NE(t.Get("office", "/today").body.find("Unpaid after 28 days"), std::string::npos);
  EXPECT_EQ(Event(t, "office", R"({"kind":"prosecution","notice_id":)" + n2 + "}").status,
            status::forbidden);
  ASSERT_EQ(
      Event(t, "la", R"({"kind":"prosecution","notice_id":)" + n2 + R"(,"text":"s444"})").status,
      status::created);

  // The evidence pack: generated once, stored, served as PDF and JSON.
  const std::string csrf = Json(t.Get("head", "/api/v1/me"))["csrf_token"];
  web::Response made = t.As("head", verb::post, "/penalties/1/evidence", "_csrf=" + csrf, false);
  ASSERT_EQ(made.status, status::see_other) << made.body;
  EXPECT_EQ(Header(made, "Location"), "/penalties/1/evidence/1.pdf");
  web::Response pdf = t.Get("la", "/penalties/1/evidence/1.pdf");
  ASSERT_EQ(pdf.status, status::ok);
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
  const nlohmann::json pack = Json(t.Get("la", "/penalties/1/evidence/1.json"));
  EXPECT_EQ(pack["pupil"]["upn"], "B909123400002");
  int g = 0;
  for (const auto& r : pack["register_extract"]) g += r[2] == "G" ? 1 : 0;
  EXPECT_EQ(g, 10);
  EXPECT_EQ(pack["case"]["notices"].size(), 2u);
  EXPECT_EQ(t.Get("teacher", "/penalties/1/evidence/1.json").status, status::forbidden);
  EXPECT_EQ(t.Get("la", "/penalties/1/evidence/2.json").status, status::not_found);

  ASSERT_EQ(Event(t, "head", R"({"kind":"closed","text":"Paid; the other with the LA"})").status,
            status::created);
  EXPECT_EQ(Event(t, "head", R"({"kind":"decision","decision":"no_action","text":"x"})").status,
            status::conflict);
  web::Response page = t.Get("head", "/penalties/1");
  EXPECT_NE(page.body.find("Penalty notice (first) issued to Parent P2"), std::string::npos);
  EXPECT_NE(page.body.find("Referred to the LA for prosecution"), std::string::npos);
}

TEST(PenaltyTest, ASecondThresholdProposesSecondNoticesAndWithdrawnOnesDoNotCount) {
  TestApp t;
  HolidayWeek(t, {"2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06"});
  ASSERT_EQ(Event(t, "head", R"({"kind":"decision","decision":"penalty_notice","text":"Holiday"})")
                .status,
            status::created);
  ASSERT_EQ(Event(t, "head", R"({"kind":"notice","parent":"Parent P2","on":"2026-11-09"})").status,
            status::created);
  ASSERT_EQ(Event(t, "head", R"({"kind":"notice","parent":"Other P2","on":"2026-11-09"})").status,
            status::created);
  // Another holiday, a second threshold and a second case.
  HolidayWeek(t, {"2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"});
  nlohmann::json c = Json(t.Get("head", "/api/v1/penalty-cases/2"));
  ASSERT_EQ(c["parents"].size(), 2u) << c.dump();
  EXPECT_EQ(c["parents"][0]["action"], "penalty_notice_2");
  EXPECT_EQ(c["parents"][0]["prior_notices"], 1);
  // Withdrawing the other parent's first notice: it no longer counts.
  const nlohmann::json first = Json(t.Get("head", "/api/v1/penalty-cases/1"));
  const std::string other = std::to_string(first["notices"][1]["id"].get<int64_t>());
  EXPECT_EQ(Event(t, "head", R"({"kind":"withdrawal","notice_id":)" + other + "}").status,
            status::bad_request);  // a reason is needed
  ASSERT_EQ(Event(t, "head",
                  R"({"kind":"withdrawal","notice_id":)" + other +
                      R"(,"text":"Sent to the wrong address"})")
                .status,
            status::created);
  c = Json(t.Get("head", "/api/v1/penalty-cases/2"));
  EXPECT_EQ(c["parents"][1]["action"], "penalty_notice_1");
  // The second case's notice to Parent P2 is a second notice: £160 flat.
  web::Response second = t.As("head", verb::post, "/api/v1/penalty-cases/2/events",
                              R"({"kind":"decision","decision":"penalty_notice","text":"Again"})");
  ASSERT_EQ(second.status, status::created);
  second = t.As("head", verb::post, "/api/v1/penalty-cases/2/events",
                R"({"kind":"notice","parent":"Parent P2"})");
  ASSERT_EQ(second.status, status::created) << second.body;
  const nlohmann::json n = Json(second)["notices"][0];
  EXPECT_EQ(n["reduced_pence"], 16000);
  EXPECT_EQ(n["reduced_by"], n["full_by"]);
}

TEST(PenaltyTest, ALocalCodeOfConductOpensItsOwnCase) {
  TestApp t;
  web::Response set =
      t.As("head", verb::put, "/api/v1/settings",
           R"({"policy":{"local_code":{"name":"Burbage local code","codes":["G"],"sessions":6}}})");
  ASSERT_EQ(set.status, status::ok) << set.body;
  HolidayWeek(t, {"2026-11-16", "2026-11-17", "2026-11-18"});
  const nlohmann::json cases = Json(t.Get("head", "/api/v1/penalty-cases"));
  ASSERT_EQ(cases["cases"].size(), 1u) << cases.dump();
  EXPECT_EQ(cases["cases"][0]["kind"], "local");
  EXPECT_EQ(cases["cases"][0]["alert"]["date"], "2026-11-18");
  web::Response page = t.Get("head", "/penalties/1");
  EXPECT_NE(page.body.find("the local code of conduct&#39;s trigger (Burbage local code)"),
            std::string::npos)
      << page.body.substr(0, 3000);
  // A bad local code is refused with where it is wrong.
  web::Response bad =
      t.As("head", verb::put, "/api/v1/settings", R"({"policy":{"local_code":{"sessions":-1}}})");
  EXPECT_EQ(bad.status, status::bad_request);
  EXPECT_NE(bad.body.find("local_code.sessions"), std::string::npos) << bad.body;
}

TEST(PenaltyTest, AnExcludedPupilInAPublicPlaceIsAnExclusionNotice) {
  TestApp t;
  const std::string p2 = std::to_string(t.pupil("P2"));
  for (const char* s : {"AM", "PM"}) {
    ASSERT_EQ(
        t.As("office", verb::put, std::string("/api/v1/registers/2026-11-24/") + s + "/marks/" + p2,
             R"({"code":"E","reason":"Suspended for two days"})")
            .status,
        status::ok);
  }
  const std::string url = "/api/v1/pupils/" + p2 + "/exclusion-notice-cases";
  const std::string seen =
      R"({"date":"2026-11-24","session":"PM","text":"Seen in the shopping centre at 14:00 by PCSO"})";
  EXPECT_EQ(t.As("office", verb::post, url, seen).status, status::forbidden);
  EXPECT_EQ(
      t.As("head", verb::post, url, R"({"date":"2026-11-23","text":"Seen in the park"})").status,
      status::bad_request);  // not excluded that day
  web::Response opened = t.As("head", verb::post, url, seen);
  ASSERT_EQ(opened.status, status::created) << opened.body;
  EXPECT_EQ(Json(opened)["kind"], "exclusion");
  const std::string events =
      "/api/v1/penalty-cases/" + std::to_string(Json(opened)["id"].get<int64_t>()) + "/events";
  ASSERT_EQ(
      t.As("head", verb::post, events,
           R"({"kind":"decision","decision":"penalty_notice","text":"In a public place while suspended"})")
          .status,
      status::created);
  web::Response notice =
      t.As("la", verb::post, events, R"({"kind":"notice","parent":"Parent P2"})");
  ASSERT_EQ(notice.status, status::created) << notice.body;
  const nlohmann::json n = Json(notice)["notices"][0];
  EXPECT_EQ(n["reduced_pence"], 6000);
  EXPECT_EQ(n["full_pence"], 12000);
}

}  // namespace
}  // namespace rollcall::testing
