// The API v1 handlers through App::Handle, without a socket: registers and
// amendments, login and sessions, summaries equal to the rules core, and
// clean 4xx answers for bad input with nothing written.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>

#include "core/evaluate.h"
#include "io/result_json.h"
#include "io/scenario_json.h"
#include "test_app.h"

namespace rollcall::testing {
namespace {

using nlohmann::json;
using web::http::status;
using web::http::verb;

std::string MarkPath(TestApp& t, const char* date, const char* session, const char* pupil) {
  return std::string("/api/v1/registers/") + date + "/" + session + "/marks/" +
         std::to_string(t.pupil(pupil));
}

web::Response Put(TestApp& t, const std::string& user, const std::string& path, json body) {
  return t.As(user, verb::put, path, body.dump());
}

TEST(RegisterTest, TeacherTakesTodaysRegister) {
  TestApp t;
  web::Response res = Put(t, "teacher", MarkPath(t, "2026-11-25", "AM", "P1"), {{"code", "/"}});
  ASSERT_EQ(res.status, status::ok) << res.body;
  EXPECT_EQ(json::parse(res.body)["changed"], true);
  json reg = json::parse(
      t.Get("teacher", "/api/v1/registers/2026-11-25/AM?class=" + std::to_string(t.class_id("3A")))
          .body);
  EXPECT_EQ(reg["closes_at"], "09:15");
  EXPECT_EQ(reg["open"], true);
  ASSERT_EQ(reg["pupils"].size(), 2u);  // P1 and P3 (on roll from 23 Nov)
  EXPECT_EQ(reg["pupils"][0]["code"], "/");
  EXPECT_EQ(reg["pupils"][0]["recorded_by"], "User teacher");
  EXPECT_TRUE(reg["pupils"][1]["code"].is_null());
}

TEST(RegisterTest, LateArrivalBecomesLOrUFromTheCloseTime) {
  TestApp t;
  auto put = [&](const char* pupil, const char* code, const char* time) {
    return Put(t, "office", MarkPath(t, "2026-11-25", "AM", pupil),
               {{"code", code}, {"arrival_time", time}, {"reason", "arrived late"}});
  };
  web::Response before = put("P1", "L", "09:14");
  ASSERT_EQ(before.status, status::ok) << before.body;
  EXPECT_EQ(json::parse(before.body)["code"], "L");
  web::Response at_close = put("P2", "L", "09:15");
  EXPECT_EQ(json::parse(at_close.body)["code"], "U");
  EXPECT_EQ(json::parse(at_close.body)["arrival_time"], "09:15");
  // A U sent for an arrival before close is an L.
  web::Response u_before = put("P3", "U", "08:50");
  EXPECT_EQ(json::parse(u_before.body)["code"], "L");
  EXPECT_EQ(ErrorCode(Put(t, "office", MarkPath(t, "2026-11-25", "PM", "P1"), {{"code", "L"}})),
            "TIME_INVALID");
  EXPECT_EQ(ErrorCode(put("P1", "L", "9:20")), "TIME_INVALID");
  EXPECT_EQ(ErrorCode(Put(t, "office", MarkPath(t, "2026-11-25", "PM", "P1"),
                          {{"code", "/"}, {"arrival_time", "13:20"}})),
            "TIME_INVALID");
}

TEST(RegisterTest, RegisterCloseTimeFollowsTheSchoolSetting) {
  TestApp t;
  web::Response set =
      t.As("head", verb::put, "/api/v1/settings", R"({"register_close_minutes":10})");
  ASSERT_EQ(set.status, status::ok) << set.body;
  EXPECT_EQ(json::parse(set.body)["version"], 2);
  web::Response res = Put(t, "office", MarkPath(t, "2026-11-25", "AM", "P1"),
                          {{"code", "L"}, {"arrival_time", "08:58"}});
  EXPECT_EQ(json::parse(res.body)["code"], "U");
  EXPECT_EQ(
      ErrorCode(t.As("head", verb::put, "/api/v1/settings", R"({"register_close_minutes":45})")),
      "VALUE_INVALID");
  EXPECT_EQ(ErrorCode(t.As("head", verb::put, "/api/v1/settings",
                           R"({"policy":{"no_such_threshold":1}})")),
            "UNKNOWN_KEY");
  EXPECT_EQ(json::parse(t.Get("office", "/api/v1/settings").body)["version"], 2);
}

TEST(AmendmentTest, EveryChangeIsKeptWithWhoWhyAndWhen) {
  TestApp t;
  const std::string path = MarkPath(t, "2026-11-25", "AM", "P1");
  ASSERT_EQ(Put(t, "teacher", path, {{"code", "N"}}).status, status::ok);
  // Changing a mark needs a reason.
  web::Response no_reason = Put(t, "office", path, {{"code", "I"}});
  EXPECT_EQ(no_reason.status, status::bad_request);
  EXPECT_EQ(ErrorCode(no_reason), "REASON_REQUIRED");
  t.clock().AdvanceSeconds(3600);
  web::Response amended =
      Put(t, "office", path, {{"code", "I"}, {"reason", "Parent phoned: illness"}});
  ASSERT_EQ(amended.status, status::ok) << amended.body;
  EXPECT_EQ(json::parse(amended.body)["previous"], "N");
  // The same mark again changes nothing and writes no audit row.
  EXPECT_EQ(json::parse(Put(t, "office", path, {{"code", "I"}}).body)["changed"], false);

  json trail = json::parse(
      t.Get("office", "/api/v1/pupils/" + std::to_string(t.pupil("P1")) + "/amendments").body);
  json today = json::array();
  for (const json& a : trail["amendments"]) {
    if (a["date"] == "2026-11-25") today.push_back(a);
  }
  ASSERT_EQ(today.size(), 2u) << trail.dump();
  EXPECT_TRUE(today[0]["original"].is_null());
  EXPECT_EQ(today[0]["new"], "N");
  EXPECT_EQ(today[0]["by"]["role"], "teacher");
  EXPECT_EQ(today[1]["original"], "N");
  EXPECT_EQ(today[1]["new"], "I");
  EXPECT_EQ(today[1]["reason"], "Parent phoned: illness");
  EXPECT_EQ(today[1]["by"]["name"], "User office");
  EXPECT_EQ(today[1]["by"]["role"], "office");
  EXPECT_EQ(today[1]["at"], "2026-11-25T11:00:00Z");
  // The audit trail has no write endpoint at all.
  EXPECT_EQ(
      t.As("head", verb::delete_, "/api/v1/pupils/" + std::to_string(t.pupil("P1")) + "/amendments")
          .status,
      status::method_not_allowed);
}

// Concurrent writes are committed in groups; the outcome must be as if one by
// one: every "changed" answer has exactly one audit row, and the snapshot
// the summaries use equals what the store holds.
TEST(RegisterTest, ConcurrentWritersAreCommittedAsIfOneByOne) {
  TestApp t;
  const int64_t before = *t.store().CountAmendments();
  // Requests are prepared (and logins made) up front; Handle runs in parallel.
  std::vector<std::vector<web::Request>> requests(8);
  const char* codes[] = {"O", "I", "M", "N"};
  for (int i = 0; i < 8; ++i) {
    for (int n = 0; n < 40; ++n) {
      json body{{"code", codes[(n * 7 + i) % 4]}};
      if ((n + i) % 5) body["reason"] = "concurrency test";
      requests[i].push_back(t.RequestAs(
          i % 2 ? "office" : "head", verb::put,
          MarkPath(t, "2026-11-24", n % 3 ? "AM" : "PM", (n + i) % 2 ? "P1" : "P2"), body.dump()));
    }
  }
  std::atomic<int> changed{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      for (const web::Request& req : requests[i]) {
        web::Response res = t.app().Handle(req);
        if (res.status == status::ok && json::parse(res.body)["changed"] == true) ++changed;
        if (ErrorCode(res) == "REASON_REQUIRED") ++refused;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(*t.store().CountAmendments() - before, changed.load());
  EXPECT_GT(refused.load(), 0);
  // The snapshot agrees with the store, mark for mark.
  json exported = json::parse(t.Get("office", "/api/v1/export/scenario").body);
  for (const char* p : {"P1", "P2"}) {
    const std::string id = std::to_string(t.pupil(p));
    const std::vector<store::Mark> marks = *t.store().MarksForPupil(t.pupil(p));
    ASSERT_FALSE(marks.empty());
    for (const store::Mark& m : marks) {
      EXPECT_EQ(exported["marks"][id][m.slot.date.ToString()]
                        [std::string(core::SessionName(m.slot.session))],
                std::string(core::SymbolOf(m.code)))
          << p << " " << m.slot.date.ToString();
    }
  }
}

TEST(RegisterTest, RefusesMarksTheRulesDoNotAllow) {
  TestApp t;
  struct Case {
    const char* user;
    const char* date;
    const char* session;
    const char* pupil;
    json body;
    const char* code;
    status http;
  };
  const std::vector<Case> cases = {
      {"office",
       "2026-11-28",
       "AM",
       "P1",
       {{"code", "/"}},
       "SESSION_IN_FUTURE",
       status::bad_request},
      {"office",
       "2026-11-21",
       "AM",
       "P1",
       {{"code", "/"}},
       "SESSION_NOT_OPEN",
       status::bad_request},
      {"office",
       "2026-10-26",
       "PM",
       "P1",
       {{"code", "\\"}},
       "SESSION_NOT_OPEN",
       status::bad_request},
      {"office",
       "2026-11-20",
       "AM",
       "P3",
       {{"code", "/"}},
       "PUPIL_NOT_ON_ROLL",
       status::bad_request},
      {"office",
       "2026-11-25",
       "AM",
       "P1",
       {{"code", "Q9"}},
       "MARK_CODE_UNKNOWN",
       status::bad_request},
      {"office",
       "2026-11-25",
       "AM",
       "P1",
       {{"code", "H"}},
       "MARK_CODE_WITHDRAWN",
       status::bad_request},
      {"teacher",
       "2026-11-24",
       "AM",
       "P1",
       {{"code", "O"}, {"reason", "x"}},
       "FORBIDDEN",
       status::forbidden},
      {"office", "2026-11-25", "XM", "P1", {{"code", "/"}}, "VALUE_INVALID", status::bad_request},
      {"office", "2026-02-30", "AM", "P1", {{"code", "/"}}, "DATE_INVALID", status::bad_request},
      {"office", "2026-11-25", "AM", "P1", {{"code", 7}}, "JSON_WRONG_TYPE", status::bad_request},
      {"office", "2026-11-25", "AM", "P1", {{"mark", "/"}}, "UNKNOWN_KEY", status::bad_request},
      {"office", "2026-11-25", "AM", "P1", json::object(), "REQUIRED_KEY_MISSING",
       status::bad_request},
  };
  const int64_t version = t.app().version();
  const int64_t audit_rows = *t.store().CountAmendments();
  for (const Case& c : cases) {
    web::Response res = Put(t, c.user, MarkPath(t, c.date, c.session, c.pupil), c.body);
    EXPECT_EQ(res.status, c.http) << c.code << ": " << res.body;
    EXPECT_EQ(ErrorCode(res), c.code) << res.body;
  }
  EXPECT_EQ(t.app().version(), version);
  EXPECT_EQ(*t.store().CountAmendments(), audit_rows);
}

TEST(BadInputTest, CleanErrorsAndNoSideEffects) {
  TestApp t;
  const int64_t audit_rows = *t.store().CountAmendments();
  const std::string path = MarkPath(t, "2026-11-25", "AM", "P1");
  for (const std::string& body :
       {std::string("{"), std::string("[1,2]"), std::string(""),
        std::string("{\"code\":\"/\",\"code\":\"/\"}"), std::string("{\"code\":\"/\"} trailing"),
        std::string("\xff\xfe"), std::string("null")}) {
    web::Response res = t.As("office", verb::put, path, body);
    EXPECT_EQ(res.status, status::bad_request) << body << " -> " << res.body;
    EXPECT_FALSE(ErrorCode(res).empty()) << res.body;
  }
  // SQL-looking text is data, never SQL.
  for (const char* id :
       {"1%20OR%201=1", "1;DROP%20TABLE%20marks", "0", "-1", "99999999", "999999999999999999999"}) {
    web::Response res = t.Get("office", std::string("/api/v1/pupils/") + id);
    EXPECT_EQ(res.status, status::not_found) << id;
    EXPECT_EQ(ErrorCode(res), "PUPIL_UNKNOWN");
  }
  web::Response sql =
      Put(t, "office", path, {{"code", "/"}, {"reason", "'); DROP TABLE mark_audit; --"}});
  EXPECT_EQ(sql.status, status::ok);
  web::Response amended = Put(t, "office", path, {{"code", "O"}, {"reason", "x' OR '1'='1"}});
  EXPECT_EQ(amended.status, status::ok);
  EXPECT_EQ(*t.store().CountAmendments(), audit_rows + 2);
  EXPECT_EQ(t.Get("office", "/api/v1/school/summary?as_of=2026-13-01").status, status::bad_request);
  EXPECT_EQ(t.Get("office", "/api/v1/school/summary?as_of=yesterday").status, status::bad_request);
  EXPECT_EQ(t.Get("office", "/api/v1/school/summary?as_of=1&as_of=2").status, status::bad_request);
  EXPECT_EQ(t.Get("office", "/api/v1/pupils?class=%zz").status, status::bad_request);
  EXPECT_EQ(t.Get("office", "/api/v1/registers/2026-11-25/AM?class=424242").status,
            status::not_found);
  EXPECT_EQ(t.Get("office", "/api/v1/nothing").status, status::not_found);
  EXPECT_EQ(t.Get("office", "/etc/passwd").status, status::not_found);
  EXPECT_EQ(t.As("office", verb::post, "/api/v1/pupils", "{}").status, status::method_not_allowed);
}

TEST(AbsenceReportTest, ParentReportsOfficeResolves) {
  TestApp t;
  const std::string p1 = std::to_string(t.pupil("P1"));
  web::Response made = t.As("parent", verb::post, "/api/v1/pupils/" + p1 + "/absence-reports",
                            R"({"from":"2026-11-26","to":"2026-11-27","reason":"Chickenpox"})");
  ASSERT_EQ(made.status, status::created) << made.body;
  const int64_t id = json::parse(made.body)["id"];
  json mine = json::parse(t.Get("parent", "/api/v1/absence-reports").body);
  ASSERT_EQ(mine["absence_reports"].size(), 1u);
  EXPECT_EQ(mine["absence_reports"][0]["reason"], "Chickenpox");
  EXPECT_EQ(mine["absence_reports"][0]["reported_by"], "User parent");
  EXPECT_EQ(
      json::parse(t.Get("teacher2", "/api/v1/absence-reports").body)["absence_reports"].size(), 0u);
  const std::string resolve = "/api/v1/absence-reports/" + std::to_string(id) + "/resolve";
  ASSERT_EQ(t.As("office", verb::post, resolve, R"({"resolution":"Will code I"})").status,
            status::ok);
  EXPECT_EQ(ErrorCode(t.As("office", verb::post, resolve, R"({"resolution":"again"})")),
            "ABSENCE_REPORT_RESOLVED");
  EXPECT_EQ(
      json::parse(t.Get("office", "/api/v1/absence-reports?open=1").body)["absence_reports"].size(),
      0u);
  json all = json::parse(t.Get("office", "/api/v1/absence-reports").body);
  EXPECT_EQ(all["absence_reports"][0]["resolution"], "Will code I");
  for (const char* bad :
       {R"({"from":"2026-11-27","to":"2026-11-26","reason":"x"})",
        R"({"from":"2026-10-01","reason":"x"})", R"({"from":"2026-11-26","reason":""})",
        R"({"from":"2026-11-31","reason":"x"})", R"({"reason":"x"})"}) {
    web::Response res =
        t.As("parent", verb::post, "/api/v1/pupils/" + p1 + "/absence-reports", bad);
    EXPECT_EQ(res.status, status::bad_request) << bad << " -> " << res.body;
  }
}

TEST(LoginTest, SessionsCookiesAndThrottling) {
  TestApp t;
  web::Response ok = t.Login("office", TestApp::kPassword);
  ASSERT_EQ(ok.status, status::ok);
  std::string cookie;
  for (const auto& [name, value] : ok.headers) {
    if (name == "Set-Cookie") cookie = value;
  }
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(json::parse(ok.body)["user"]["role"], "office");

  EXPECT_EQ(ErrorCode(t.Login("office", "wrong")), "LOGIN_FAILED");
  EXPECT_EQ(ErrorCode(t.Login("nobody", "wrong")), "LOGIN_FAILED");
  EXPECT_EQ(t.Login("nobody", "x").status, status::unauthorized);
  // Five failures for one username from one address hold that pair back,
  // even with the right password; the same account from another address
  // logs in (security_test.cc has the rest).
  for (int i = 0; i < 5; ++i) (void)t.Login("teacher", "wrong", "10.0.0.9");
  web::Response locked = t.Login("teacher", TestApp::kPassword, "10.0.0.9");
  EXPECT_EQ(locked.status, status::too_many_requests);
  EXPECT_EQ(ErrorCode(locked), "LOGIN_THROTTLED");
  EXPECT_EQ(t.Login("teacher", TestApp::kPassword, "10.0.0.8").status, status::ok);
  t.clock().AdvanceSeconds(15 * 60 + 1);
  EXPECT_EQ(t.Login("teacher", TestApp::kPassword, "10.0.0.9").status, status::ok);
  EXPECT_EQ(t.Anonymous(verb::post, "/api/v1/login", "not json").status, status::bad_request);
}

TEST(LoginTest, LogoutAndExpiryEndTheSession) {
  TestApp t;
  ASSERT_EQ(t.Get("office", "/api/v1/me").status, status::ok);
  ASSERT_EQ(t.As("office", verb::post, "/api/v1/logout").status, status::ok);
  EXPECT_EQ(t.Get("office", "/api/v1/me").status, status::unauthorized);
  t.ForgetSessions();
  ASSERT_EQ(t.Get("office", "/api/v1/me").status, status::ok);
  t.clock().AdvanceSeconds(8 * 3600 + 1);
  EXPECT_EQ(t.Get("office", "/api/v1/me").status, status::unauthorized);
}

TEST(SummaryTest, ApiEqualsEvaluatingTheExport) {
  TestApp t;
  ASSERT_EQ(Put(t, "office", MarkPath(t, "2026-11-25", "AM", "P1"), {{"code", "O"}}).status,
            status::ok);
  for (const char* as_of : {"2026-11-25", "2026-11-24", "2026-09-30"}) {
    const std::string q = std::string("?as_of=") + as_of;
    web::Response exported = t.Get("office", "/api/v1/export/scenario" + q);
    ASSERT_EQ(exported.status, status::ok);
    core::StatusOr<core::Scenario> scenario = io::ParseScenario(exported.body);
    ASSERT_TRUE(scenario.ok()) << scenario.status().message();
    const core::Evaluation evaluation = core::Evaluate(*scenario);
    const json expected = io::EvaluationToJson(*scenario, evaluation);
    json school = json::parse(t.Get("office", "/api/v1/school/summary" + q).body);
    EXPECT_EQ(school["school"], expected["school"]) << as_of;
    EXPECT_EQ(school["cohorts"], expected["cohorts"]) << as_of;
    ASSERT_EQ(expected["pupils"].size(), 3u);
    for (const json& want : expected["pupils"]) {
      const std::string id = want["id"];
      json pupil = json::parse(t.Get("office", "/api/v1/pupils/" + id + "/summary" + q).body);
      EXPECT_EQ(pupil, want) << id << " " << as_of;
    }
  }
}

TEST(SummaryTest, PupilSummaryCountsTheRegister) {
  TestApp t;
  json s = json::parse(t.Get("parent", "/api/v1/pupils/" + std::to_string(t.pupil("P1")) +
                                           "/summary?as_of=2026-11-24")
                           .body);
  EXPECT_EQ(s["possible"], 4) << s.dump();
  EXPECT_EQ(s["present"], 3);
  EXPECT_EQ(s["authorised"], 1);
}

}  // namespace
}  // namespace rollcall::testing
