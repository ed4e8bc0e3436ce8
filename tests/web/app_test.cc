// The API v1 handlers through App::Handle, without a socket: registers and
// amendments, login and sessions, summaries equal to the rules core, clean
// 4xx answers for bad input with nothing written, and the route table that
// leads to every handler and page.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <string>
#include <thread>

#include "core/evaluate.h"
#include "io/result_json.h"
#include "io/scenario_json.h"
#include "test_app.h"
#include "web/routes.h"

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
  // The afternoon's register has opened.
  t.clock().Set(D("2026-11-25"), 13 * 60 + 20);
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
  t.ForgetSessions();  // an hour unused: that login has ended, so the office logs in again
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
  EXPECT_EQ(t.As("office", verb::delete_, "/api/v1/pupils", "").status, status::method_not_allowed);
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
  // In use all day (every half hour), a login still ends after 8 hours.
  for (int half_hours = 1; half_hours < 16; ++half_hours) {
    t.clock().AdvanceSeconds(1800);
    ASSERT_EQ(t.Get("office", "/api/v1/me").status, status::ok) << half_hours;
  }
  t.clock().AdvanceSeconds(1801);
  EXPECT_EQ(t.Get("office", "/api/v1/me").status, status::unauthorized);
}

TEST(LoginTest, AnHourUnusedEndsTheLoginAndTheLoginPageSaysWhy) {
  TestApp t;
  t.KeepIdleSessions();
  ASSERT_EQ(t.Get("office", "/today").status, status::ok);
  t.clock().AdvanceSeconds(59 * 60);
  ASSERT_EQ(t.Get("office", "/today").status, status::ok);  // used: the hour starts again
  t.clock().AdvanceSeconds(60 * 60);
  web::Response page = t.Get("office", "/today");
  EXPECT_EQ(page.status, status::see_other);
  std::string location;
  for (const auto& [name, value] : page.headers) {
    if (name == "Location") location = value;
  }
  EXPECT_EQ(location, "/login?ended=idle");
  web::Response login = t.Anonymous(verb::get, "/login?ended=idle");
  EXPECT_EQ(login.status, status::ok);
  EXPECT_NE(login.body.find("You were signed out after 60 minutes without activity"),
            std::string::npos)
      << login.body;
  EXPECT_EQ(t.Anonymous(verb::get, "/login").body.find("signed out"), std::string::npos);
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

// ---------------------------------------------------------------------------
// The route table (src/web/routes.h)

using Route = web::App::Route;

// A path for `pattern` with a sample value in each {name} segment: P1 for the
// ids (so a pupil's routes reach their handlers' checks), values the handlers
// read without refusing the path for the others.
std::string SamplePath(const std::string& pattern, TestApp& t) {
  const std::string p1 = std::to_string(t.pupil("P1"));
  const std::map<std::string, std::string> samples = {
      {"id", p1},         {"pupil", p1},      {"date", "2026-11-25"}, {"session", "AM"},
      {"key", "x"},       {"action", "sent"}, {"name", "app.css"},    {"urn", "123456"},
      {"what", "1.json"}, {"batch", "1"}};
  std::string out;
  size_t at = 0;
  while (at < pattern.size()) {
    const size_t open = pattern.find('{', at);
    if (open == std::string::npos) {
      out += pattern.substr(at);
      break;
    }
    const size_t close = pattern.find('}', open);
    out += pattern.substr(at, open - at);
    auto sample = samples.find(pattern.substr(open + 1, close - open - 1));
    out += sample == samples.end() ? std::string("1") : sample->second;
    at = close + 1;
  }
  return out;
}

// Whether the dispatcher answered instead of the route's handler: no such
// path, a wrong method, no login or no CSRF token. (Logging out also ends at
// /login, but clears the cookie as it goes.)
bool RefusedBeforeTheHandler(const web::Response& res) {
  const std::string code = ErrorCode(res);
  // A 404's words, not any body's: the API's description quotes them.
  const bool not_found = res.status == status::not_found;
  return res.status == status::method_not_allowed || code == "NOT_LOGGED_IN" ||
         code == "CSRF_TOKEN_INVALID" ||
         (not_found && (res.body.find("no such API path") != std::string::npos ||
                        res.body.find("\"no such page: ") != std::string::npos ||
                        res.body.find("There is no such page.") != std::string::npos)) ||
         res.body.find("This form has expired.") != std::string::npos ||
         Header(res, "HX-Redirect") == "/login" ||
         (res.status == status::see_other && Header(res, "Location") == "/login" &&
          Header(res, "Set-Cookie").empty());
}

TEST(RouteTableTest, EachPatternHasEachMethodOnceAndOneKind) {
  std::map<std::string, Route::Kind> kinds;
  std::set<std::string> seen;
  for (const Route& r : Route::All()) {
    const std::string pattern(r.pattern);
    const std::string line = std::string(web::http::to_string(r.method)) + " " + pattern;
    EXPECT_TRUE(seen.insert(line).second) << line << " is in the table twice";
    // A pattern is a path: one leading slash, no empty segment, none at the end.
    EXPECT_TRUE(pattern.starts_with("/")) << line;
    EXPECT_EQ(pattern.find("//"), std::string::npos) << line;
    EXPECT_TRUE(pattern == "/" || !pattern.ends_with("/")) << line;
    EXPECT_NE(r.handler, nullptr) << line;
    // A wrong method is answered as the pattern's kind says, so all its
    // routes must say the same.
    auto [kind, added] = kinds.emplace(pattern, r.kind);
    EXPECT_EQ(kind->second, r.kind) << line;
  }
}

// The server sends these to the pool that hashes passwords (HashesPasswords):
// the table says which, so a new endpoint that hashes says so on its line.
TEST(RouteTableTest, TheRoutesThatHashAPasswordAreTheLoginsAndPasswordChanges) {
  std::set<std::string> hashing;
  for (const Route& r : Route::All()) {
    if (!r.hashes_password) continue;
    hashing.insert(std::string(web::http::to_string(r.method)) + " " + std::string(r.pattern));
    web::Request req;
    req.method = r.method;
    std::string target(r.pattern);
    for (size_t at = target.find('{'); at != std::string::npos; at = target.find('{')) {
      target.replace(at, target.find('}', at) - at + 1, "7");
    }
    req.target = target + "?next=/";
    EXPECT_TRUE(web::HashesPasswords(req)) << req.target;
    req.method = web::http::verb::get;
    EXPECT_FALSE(web::HashesPasswords(req)) << "GET " << req.target;
  }
  EXPECT_EQ(hashing,
            (std::set<std::string>{"POST /api/v1/login", "POST /login", "POST /api/v1/me/password",
                                   "POST /api/v1/users", "POST /api/v1/users/{id}/password",
                                   "POST /account/password", "POST /invite/{token}", "POST /setup",
                                   "POST /account/second-factor/off"}));
}

// The set-up page is guarded by its one-time code instead (setup_test.cc).
// The API's description and the national codes are public knowledge that an
// integration reads before it logs in. GOV.UK Notify's delivery receipts
// carry the bearer token set in the message settings instead of a login
// (access_matrix_test.cc). The step after a right password (the one-time
// code, or enrolling first) has the pending login's own cookie instead.
TEST(RouteTableTest, OnlyTheHealthCheckLoginsSetUpStaticFilesAndApiDescriptionNeedNoLogin) {
  std::set<std::string> open;
  for (const Route& r : Route::All()) {
    if (r.access == Route::Access::kPublic) {
      open.insert(std::string(web::http::to_string(r.method)) + " " + std::string(r.pattern));
    }
  }
  // A set-password link needs no login: its token is the permission.
  EXPECT_EQ(open, (std::set<std::string>{
                      "GET /healthz", "POST /api/v1/login", "GET /api/v1/openapi.json",
                      "GET /api/v1/codes", "GET /login", "POST /login", "GET /static/{name}",
                      "GET /setup", "POST /setup", "GET /invite/{token}", "POST /invite/{token}",
                      "POST /api/v1/messages/notify-receipts", "GET /login/code",
                      "POST /login/code", "GET /login/enrol", "POST /login/enrol"}));
}

// Every line of the table reaches its handler with its own method; every
// other method is a 405 on an API path, before the login, and no page at all
// on a page's path, after it.
TEST(RouteTableTest, EveryRouteIsReachedAndOtherMethodsAreRefused) {
  TestApp t;
  std::map<std::string, std::set<verb>> methods;
  for (const Route& r : Route::All()) {
    const std::string path = SamplePath(std::string(r.pattern), t);
    const std::string body = r.kind == Route::Kind::kApi && r.method != verb::get ? "{}" : "";
    web::Response res = t.As("head", r.method, path, body);
    EXPECT_FALSE(RefusedBeforeTheHandler(res))
        << web::http::to_string(r.method) << " " << path << ": " << res.body;
    EXPECT_NE(res.status, status::internal_server_error)
        << web::http::to_string(r.method) << " " << path << ": " << res.body;
    if (r.pattern.ends_with("logout")) t.ForgetSessions();  // that login has ended
    methods[std::string(r.pattern)].insert(r.method);
  }
  for (const Route& r : Route::All()) {
    const std::string pattern(r.pattern);
    if (!methods.contains(pattern)) continue;  // its first route has been here
    const std::set<verb> has = methods[pattern];
    methods.erase(pattern);
    const std::string path = SamplePath(pattern, t);
    for (verb other : {verb::get, verb::post, verb::put, verb::delete_}) {
      if (has.contains(other)) continue;
      const std::string what = std::string(web::http::to_string(other)) + " " + path;
      web::Response anonymous = t.Anonymous(other, path, "{}");
      web::Response head = t.As("head", other, path, "{}");
      if (r.kind == Route::Kind::kApi) {
        EXPECT_EQ(anonymous.status, status::method_not_allowed) << what;
        EXPECT_EQ(ErrorCode(anonymous), "METHOD_NOT_ALLOWED") << what;
        EXPECT_EQ(head.status, status::method_not_allowed) << what;
      } else {
        EXPECT_EQ(anonymous.status, status::see_other) << what;
        EXPECT_EQ(Header(anonymous, "Location"), "/login") << what;
        EXPECT_EQ(head.status, status::not_found) << what;
        EXPECT_NE(head.body.find("There is no such page."), std::string::npos) << what;
      }
    }
  }
}

// The Content-Security-Policy runs no inline script, event handler or style
// attribute: a page with one would break in the browser. Every GET route is
// rendered for each kind of user who has pages of their own, and each answer
// must carry the security headers.
TEST(RouteTableTest, NoPageHasInlineScriptHandlersOrStylesAndEveryAnswerHasTheHeaders) {
  TestApp t;
  const std::regex inline_script(R"(<script(?![^>]*\ssrc=)[^>]*>)", std::regex::icase);
  const std::regex handler(R"(\son[a-z]+\s*=)", std::regex::icase);
  const std::regex style(R"(\sstyle\s*=)", std::regex::icase);
  int pages = 0;
  for (const char* user : {"head", "office", "teacher", "governor", "la", "parent"}) {
    for (const Route& r : Route::All()) {
      if (r.method != verb::get || r.pattern.ends_with("logout")) continue;
      const std::string path = SamplePath(std::string(r.pattern), t);
      const web::Response res = t.Get(user, path);
      const std::string what = std::string(user) + " GET " + path;
      EXPECT_NE(Header(res, "Content-Security-Policy").find("script-src 'self'"), std::string::npos)
          << what;
      EXPECT_EQ(Header(res, "X-Frame-Options"), "DENY") << what;
      EXPECT_EQ(Header(res, "Referrer-Policy"), "same-origin") << what;
      if (!res.content_type.starts_with("text/html")) continue;
      if (res.status == status::ok) ++pages;
      std::smatch found;
      EXPECT_FALSE(std::regex_search(res.body, found, inline_script)) << what << ": " << found[0];
      EXPECT_FALSE(std::regex_search(res.body, found, handler)) << what << ": " << found[0];
      EXPECT_FALSE(std::regex_search(res.body, found, style)) << what << ": " << found[0];
    }
  }
  // The login page, and the pages a signed-out visitor is shown, too.
  for (const char* path : {"/login", "/login?ended=idle", "/nope"}) {
    const web::Response res = t.Anonymous(verb::get, path);
    std::smatch found;
    EXPECT_FALSE(std::regex_search(res.body, found, inline_script)) << path;
    EXPECT_FALSE(std::regex_search(res.body, found, handler)) << path;
    EXPECT_FALSE(std::regex_search(res.body, found, style)) << path;
    EXPECT_NE(Header(res, "Content-Security-Policy"), "") << path;
  }
  EXPECT_GT(pages, 40);  // the pages themselves were rendered, not only refusals
}

TEST(RouteTableTest, EveryStateChangeNeedsTheCsrfTokenOnPagesAndTheApiAlike) {
  TestApp t;
  int checked = 0;
  for (const Route& r : Route::All()) {
    if (r.method == verb::get || r.access == Route::Access::kPublic) continue;
    const std::string path = SamplePath(std::string(r.pattern), t);
    const bool api = r.kind == Route::Kind::kApi;
    web::Response res = t.As("head", r.method, path, api ? "{}" : "", /*csrf=*/false);
    EXPECT_EQ(res.status, status::forbidden) << path << ": " << res.body;
    if (api) {
      EXPECT_EQ(ErrorCode(res), "CSRF_TOKEN_INVALID") << path;
    } else {
      EXPECT_NE(res.body.find("This form has expired."), std::string::npos) << path;
    }
    ++checked;
  }
  EXPECT_GT(checked, 40);
  // The login was never ended: /logout and /api/v1/logout were refused too.
  EXPECT_EQ(t.Get("head", "/api/v1/me").status, status::ok);
}

// A page's form may send the token in its `_csrf` field, but a header sent
// with it wins; the API reads the header alone.
TEST(RouteTableTest, PagesTakeTheTokenFromTheFormTheApiOnlyFromTheHeader) {
  TestApp t;
  const std::string p1 = std::to_string(t.pupil("P1"));
  const std::string csrf = Json(t.Get("office", "/api/v1/me"))["csrf_token"];
  const std::string form = "date=2026-11-25&session=AM&pupil=" + p1 + "&code=%2F";

  web::Response missing = t.As("office", verb::post, "/register/mark", form, /*csrf=*/false);
  EXPECT_EQ(missing.status, status::forbidden);
  EXPECT_NE(missing.body.find("This form has expired."), std::string::npos) << missing.body;
  web::Response wrong =
      t.As("office", verb::post, "/register/mark", form + "&_csrf=not-the-token", false);
  EXPECT_EQ(wrong.status, status::forbidden);
  web::Request header_wins =
      t.RequestAs("office", verb::post, "/register/mark", form + "&_csrf=" + csrf);
  header_wins.csrf_token = "not-the-token";
  EXPECT_EQ(t.app().Handle(header_wins).status, status::forbidden);
  web::Response in_form = t.As("office", verb::post, "/register/mark", form + "&_csrf=" + csrf,
                               /*csrf=*/false);
  EXPECT_FALSE(RefusedBeforeTheHandler(in_form)) << in_form.body;

  const std::string contact_log = "/api/v1/pupils/" + p1 + "/contact-log";
  web::Response api_missing = t.As("office", verb::post, contact_log,
                                   R"({"method":"phone","outcome":"spoke"})", /*csrf=*/false);
  EXPECT_EQ(api_missing.status, status::forbidden);
  EXPECT_EQ(ErrorCode(api_missing), "CSRF_TOKEN_INVALID");
  web::Response api_form =
      t.As("office", verb::post, contact_log, "_csrf=" + csrf + "&method=phone", false);
  EXPECT_EQ(api_form.status, status::forbidden);
  EXPECT_EQ(ErrorCode(api_form), "CSRF_TOKEN_INVALID");
}

TEST(RouteTableTest, UnknownPathsWrongMethodsAndLoginsAnswerAsTheyAlwaysHave) {
  TestApp t;
  // Under /api, decided before the login, and the same for everyone.
  web::Response no_path = t.Anonymous(verb::get, "/api/v1/nothing");
  EXPECT_EQ(no_path.status, status::not_found);
  EXPECT_EQ(ErrorCode(no_path), "NOT_FOUND");
  EXPECT_EQ(Json(no_path)["error"]["message"], "no such API path: /api/v1/nothing");
  web::Response no_version = t.Get("office", "/api/v2/pupils?x=1");
  EXPECT_EQ(no_version.status, status::not_found);
  EXPECT_EQ(Json(no_version)["error"]["message"], "no such page: /api/v2/pupils?x=1");
  EXPECT_EQ(t.Anonymous(verb::delete_, "/api/v1/pupils").status, status::method_not_allowed);
  EXPECT_EQ(t.Anonymous(verb::get, "/api/v1/login").status, status::method_not_allowed);
  EXPECT_EQ(t.Anonymous(verb::post, "/healthz").status, status::method_not_allowed);
  // The login form's one refusal is a JSON 405.
  web::Response put_login = t.Anonymous(verb::put, "/login");
  EXPECT_EQ(put_login.status, status::method_not_allowed);
  EXPECT_EQ(ErrorCode(put_login), "METHOD_NOT_ALLOWED");
  // Empty segments and the query do not change the route.
  EXPECT_EQ(t.Get("office", "/api/v1/me/?x=1").status, status::ok);
  EXPECT_EQ(t.Get("office", "//api/v1//me").status, status::ok);
  EXPECT_EQ(t.Anonymous(verb::get, "/healthz/").body, R"({"status":"ok"})");

  // Pages: whoever is not logged in is sent to log in, whatever the path;
  // htmx is told to load the login page rather than swap it into a row.
  web::Response anonymous = t.Anonymous(verb::get, "/nothing");
  EXPECT_EQ(anonymous.status, status::see_other);
  EXPECT_EQ(Header(anonymous, "Location"), "/login");
  web::Request htmx;
  htmx.method = verb::post;
  htmx.target = "/register/mark";
  htmx.htmx = true;
  htmx.host = "localhost";
  htmx.remote_addr = "127.0.0.1";
  web::Response swapped = t.app().Handle(htmx);
  EXPECT_EQ(swapped.status, status::unauthorized);
  EXPECT_EQ(Header(swapped, "HX-Redirect"), "/login");
  // Logged in: no such page, after a POST's token.
  web::Response no_page = t.Get("office", "/nothing");
  EXPECT_EQ(no_page.status, status::not_found);
  EXPECT_NE(no_page.body.find("There is no such page."), std::string::npos);
  EXPECT_EQ(t.As("office", verb::post, "/nothing", "", /*csrf=*/false).status, status::forbidden);
  EXPECT_EQ(t.As("office", verb::post, "/nothing").status, status::not_found);
  EXPECT_EQ(t.Get("office", "/register/mark").status, status::not_found);
  // Static files need no login; another method on them is no page.
  EXPECT_EQ(t.Anonymous(verb::get, "/static/app.css").status, status::ok);
  EXPECT_EQ(t.Anonymous(verb::post, "/static/app.css").status, status::see_other);
  EXPECT_EQ(t.Anonymous(verb::get, "/static/nothing.css").status, status::not_found);
}

}  // namespace
}  // namespace rollcall::testing
