// The findings of the security probe, one test (or more) each, over App as
// the server calls it: who may create whom, login throttling, password
// change and reset, governors' small cells, redirects, security headers,
// CSV cells, Secure cookies and numbers too large. The socket-level findings
// (connection cap, request smuggling, HEAD, the login pool) are in
// tests/server/security_test.py.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "core/error_codes.h"
#include "web/app_internal.h"
#include "web/test_app.h"

namespace rollcall::testing {
namespace {

using web::http::status;
using web::http::verb;
using json = nlohmann::json;

// A login by hand (not TestApp's cached one): the cookie and CSRF token.
struct Login {
  std::string cookie, csrf;
};
Login LogIn(TestApp& t, const std::string& user, const std::string& password,
            const std::string& addr = "127.0.0.1") {
  web::Response res = t.Login(user, password, addr);
  EXPECT_EQ(res.status, status::ok) << res.body;
  if (res.status != status::ok) return {};
  return {Header(res, "Set-Cookie").substr(0, Header(res, "Set-Cookie").find(';')),
          json::parse(res.body)["csrf_token"].get<std::string>()};
}

web::Response Send(TestApp& t, const Login& l, verb method, const std::string& target,
                   const std::string& body = "", const std::string& content_type = "") {
  web::Request req;
  req.method = method;
  req.target = target;
  req.body = body;
  req.cookie = l.cookie;
  req.csrf_token = l.csrf;
  req.content_type = content_type;
  req.remote_addr = "127.0.0.1";
  req.host = "localhost";
  return t.app().Handle(req);
}

// --- 1. A head cannot create an LA officer ----------------------------------------

TEST(SecurityProbeTest, HeadCannotCreateAnLaOfficerOrSetAnLaCode) {
  TestApp t;
  web::Response with_code = t.As("head", verb::post, "/api/v1/users",
                                 R"({"username":"spy","display_name":"Spy","role":"la",)"
                                 R"("password":"a-long-password","la_code":"909"})");
  EXPECT_EQ(with_code.status, status::bad_request) << with_code.body;
  EXPECT_EQ(ErrorCode(with_code), core::kErrUnknownKey);
  web::Response la = t.As("head", verb::post, "/api/v1/users",
                          R"({"username":"spy","display_name":"Spy","role":"la",)"
                          R"("password":"a-long-password"})");
  EXPECT_EQ(la.status, status::forbidden) << la.body;
  EXPECT_EQ(ErrorCode(la), core::kErrForbidden);
  EXPECT_FALSE(t.store().FindUserByName("spy").ok());
  EXPECT_EQ(t.Login("spy", "a-long-password").status, status::unauthorized);
  // The school's own staff and parents it still creates.
  web::Response teacher = t.As("head", verb::post, "/api/v1/users",
                               R"({"username":"newteacher","display_name":"Mr New",)"
                               R"("role":"teacher","password":"a-long-password"})");
  EXPECT_EQ(teacher.status, status::created) << teacher.body;
  // And nobody else creates anyone.
  EXPECT_EQ(
      t.As("office", verb::post, "/api/v1/users",
           R"({"username":"x2","display_name":"X","role":"teacher","password":"a-long-password"})")
          .status,
      status::forbidden);
}

// --- 2. Throttling by username and address ---------------------------------------

TEST(SecurityProbeTest, FailuresFromOneAddressNeverLockTheRightPasswordOutElsewhere) {
  TestApp t;
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(t.Login("head", "wrong-password", "203.0.113.9").status, status::unauthorized);
  }
  // That pair now waits...
  web::Response held = t.Login("head", TestApp::kPassword, "203.0.113.9");
  EXPECT_EQ(held.status, status::too_many_requests);
  EXPECT_EQ(ErrorCode(held), core::kErrLoginThrottled);
  // ...but the head logs in from school, and colleagues behind the failing
  // address log in as themselves.
  EXPECT_EQ(t.Login("head", TestApp::kPassword, "198.51.100.7").status, status::ok);
  EXPECT_EQ(t.Login("office", TestApp::kPassword, "203.0.113.9").status, status::ok);
  // The login form is throttled in the same way.
  web::Request form;
  form.method = verb::post;
  form.target = "/login";
  form.body = "username=head&password=correct-horse";
  form.remote_addr = "198.51.100.7";
  form.host = "localhost";
  EXPECT_EQ(t.app().Handle(form).status, status::see_other);
  form.remote_addr = "203.0.113.9";
  web::Response refused = t.app().Handle(form);
  EXPECT_EQ(refused.status, status::unauthorized);
  EXPECT_NE(refused.body.find("too many failed logins"), std::string::npos);
}

TEST(SecurityProbeTest, DelaysGrowWithEachFailureAndASuccessClearsThem) {
  TestApp t;
  const std::string addr = "203.0.113.9";
  for (int i = 0; i < 5; ++i) t.Login("teacher", "wrong-password", addr);
  EXPECT_EQ(ErrorCode(t.Login("teacher", TestApp::kPassword, addr)), core::kErrLoginThrottled);
  t.clock().AdvanceSeconds(31);  // the first wait is 30 s
  EXPECT_EQ(ErrorCode(t.Login("teacher", "wrong-again", addr)), core::kErrLoginFailed);
  // The sixth failure: 60 s now.
  t.clock().AdvanceSeconds(31);
  EXPECT_EQ(ErrorCode(t.Login("teacher", TestApp::kPassword, addr)), core::kErrLoginThrottled);
  t.clock().AdvanceSeconds(30);
  EXPECT_EQ(t.Login("teacher", TestApp::kPassword, addr).status, status::ok);
  // A success starts the count again.
  EXPECT_EQ(ErrorCode(t.Login("teacher", "wrong-password", addr)), core::kErrLoginFailed);
  EXPECT_EQ(t.Login("teacher", TestApp::kPassword, addr).status, status::ok);
}

TEST(SecurityProbeTest, OneAddressTryingManyAccountsMeetsACeiling) {
  web::AppConfig config;
  config.login_address_failures_allowed = 12;  // 100 by default; each failure hashes
  TestApp t(config);
  const std::string addr = "203.0.113.9";
  for (int i = 0; i < 12; ++i) {
    t.Login("nobody" + std::to_string(i), "wrong-password", addr);
  }
  web::Response held = t.Login("office", TestApp::kPassword, addr);
  EXPECT_EQ(ErrorCode(held), core::kErrLoginThrottled);
  EXPECT_NE(json::parse(held.body)["error"]["message"].get<std::string>().find("address"),
            std::string::npos);
  EXPECT_EQ(t.Login("office", TestApp::kPassword, "198.51.100.7").status, status::ok);
  t.clock().AdvanceSeconds(15 * 60 + 1);
  EXPECT_EQ(t.Login("office", TestApp::kPassword, addr).status, status::ok);
}

// --- 3. Password change and reset end sessions ---------------------------------

TEST(SecurityProbeTest, ChangingYourPasswordEndsEveryOtherLogin) {
  TestApp t;
  const Login laptop = LogIn(t, "teacher", TestApp::kPassword);
  const Login phone = LogIn(t, "teacher", TestApp::kPassword);
  EXPECT_EQ(Send(t, phone, verb::get, "/api/v1/me").status, status::ok);

  web::Response wrong =
      Send(t, laptop, verb::post, "/api/v1/me/password",
           R"({"current_password":"not-it-at-all","new_password":"a-brand-new-one"})");
  EXPECT_EQ(wrong.status, status::unauthorized);
  EXPECT_EQ(ErrorCode(wrong), core::kErrLoginFailed);
  web::Response short_one = Send(t, laptop, verb::post, "/api/v1/me/password",
                                 R"({"current_password":"correct-horse","new_password":"short"})");
  EXPECT_EQ(short_one.status, status::bad_request);
  EXPECT_EQ(Send(t, laptop, verb::post, "/api/v1/me/password",
                 R"({"current_password":"correct-horse","new_password":"a-brand-new-one"})", "")
                .status,
            status::ok);
  // Both old logins have ended (no cache keeps them alive).
  EXPECT_EQ(Send(t, phone, verb::get, "/api/v1/me").status, status::unauthorized);
  EXPECT_EQ(Send(t, laptop, verb::get, "/api/v1/me").status, status::unauthorized);
  EXPECT_EQ(t.Login("teacher", TestApp::kPassword).status, status::unauthorized);
  EXPECT_EQ(t.Login("teacher", "a-brand-new-one").status, status::ok);
}

TEST(SecurityProbeTest, ThePasswordChangeCarriesOnInANewSession) {
  TestApp t;
  const Login l = LogIn(t, "office", TestApp::kPassword);
  web::Response res =
      Send(t, l, verb::post, "/api/v1/me/password",
           R"({"current_password":"correct-horse","new_password":"a-brand-new-one"})");
  ASSERT_EQ(res.status, status::ok) << res.body;
  const std::string cookie = Header(res, "Set-Cookie");
  ASSERT_FALSE(cookie.empty());
  const Login next{cookie.substr(0, cookie.find(';')),
                   json::parse(res.body)["csrf_token"].get<std::string>()};
  EXPECT_EQ(Send(t, next, verb::get, "/api/v1/me").status, status::ok);
  // The page form does the same, then says so on the account page.
  web::Response page =
      Send(t, next, verb::post, "/account/password",
           "_csrf=" + next.csrf + "&current_password=a-brand-new-one&new_password=and-another-one",
           "application/x-www-form-urlencoded");
  EXPECT_EQ(page.status, status::see_other) << page.body;
  EXPECT_EQ(Send(t, next, verb::get, "/api/v1/me").status, status::unauthorized);
  EXPECT_EQ(t.Login("office", "and-another-one").status, status::ok);
  EXPECT_EQ(t.Get("teacher", "/account").status, status::ok);
}

TEST(SecurityProbeTest, HeadResetsStaffPasswordsAndTheirLoginsEnd) {
  TestApp t;
  const Login teacher = LogIn(t, "teacher", TestApp::kPassword);
  const std::string target = "/api/v1/users/" + std::to_string(t.user("teacher")) + "/password";
  EXPECT_EQ(t.As("office", verb::post, target, R"({"new_password":"reset-by-office"})").status,
            status::forbidden);
  EXPECT_EQ(t.As("teacher2", verb::post, target, R"({"new_password":"reset-by-colleague"})").status,
            status::forbidden);
  web::Response reset = t.As("head", verb::post, target, R"({"new_password":"reset-by-head"})");
  EXPECT_EQ(reset.status, status::ok) << reset.body;
  EXPECT_EQ(Send(t, teacher, verb::get, "/api/v1/me").status, status::unauthorized);
  EXPECT_EQ(t.Login("teacher", "reset-by-head").status, status::ok);
  // Not an LA officer's (the operator's job), not an unknown account.
  const std::string la = "/api/v1/users/" + std::to_string(t.user("la")) + "/password";
  EXPECT_EQ(t.As("head", verb::post, la, R"({"new_password":"reset-by-head"})").status,
            status::forbidden);
  EXPECT_EQ(
      t.As("head", verb::post, "/api/v1/users/999/password", R"({"new_password":"reset-by-head"})")
          .status,
      status::not_found);
}

TEST(SecurityProbeTest, ASessionEndedInTheStoreStopsWorkingWithinSeconds) {
  TestApp t;
  const Login l = LogIn(t, "teacher", TestApp::kPassword);
  EXPECT_EQ(Send(t, l, verb::get, "/api/v1/me").status, status::ok);
  // Another process (`rollcall user password`) changes it behind the app.
  ASSERT_TRUE(t.store().SetPassword(t.user("teacher"), "other-hash").ok());
  t.clock().AdvanceSeconds(6);
  EXPECT_EQ(Send(t, l, verb::get, "/api/v1/me").status, status::unauthorized);
}

// --- 4. Governors see no cell about fewer than 5 pupils ----------------------------

TEST(SecurityProbeTest, GovernorsSeeNoRowAboutFewerThanFivePupils) {
  TestApp t;
  // Six pupils, all present every session from 14 September, so the school
  // is large enough to show; one home visit, to one pupil.
  for (const char* key : {"P4", "P5", "P6"}) {
    store::Pupil p;
    p.upn = std::string(1, static_cast<char>('D' + (key[1] - '4'))) + "90912340000" + key[1];
    p.legal_given_name = "Pupil";
    p.legal_family_name = key;
    p.date_of_birth = D("2018-05-01");
    p.sex = "M";
    p.year_group = 3;
    p.class_id = t.class_id("3A");
    p.enrolments.push_back({D("2026-09-01"), std::nullopt, "", ""});
    ASSERT_TRUE(t.store().AddPupil(p).ok());
  }
  ASSERT_TRUE(t.app().Load().ok());
  std::vector<store::MarkWrite> writes;
  core::StatusOr<std::vector<store::Pupil>> pupils = t.store().ListPupils();
  ASSERT_TRUE(pupils.ok());
  for (core::Date day = D("2026-09-14"); day < D("2026-11-23"); day = day.AddDays(1)) {
    if (day.weekday() >= core::Weekday::kSaturday) continue;
    if (day >= D("2026-10-26") && day <= D("2026-10-30")) continue;
    for (const store::Pupil& p : *pupils) {
      if (p.legal_family_name == "P3") continue;  // joins on 2026-11-23
      for (core::Session s : {core::Session::kAm, core::Session::kPm}) {
        store::MarkWrite w;
        w.pupil_id = p.id;
        w.slot = {day, s};
        w.code = s == core::Session::kAm ? core::AttendanceCode::kPresentAm
                                         : core::AttendanceCode::kPresentPm;
        if (p.legal_family_name == "P1" && day == D("2026-11-02")) {
          w.code = core::AttendanceCode::kStudyLeave;  // one pupil's code
        }
        w.reason = "Register taken";
        writes.push_back(w);
      }
    }
  }
  ASSERT_TRUE(t.store()
                  .SaveMarks(writes, {t.user("office"), "User office", store::Role::kOffice},
                             t.clock().NowSeconds() - 86400)
                  .ok());
  store::ContactLogEntry visit;
  visit.pupil_id = t.pupil("P1");
  visit.at = int64_t{D("2026-10-14").days()} * 86400 + 10 * 3600;
  visit.method = store::ContactMethod::kHomeVisit;
  visit.outcome = store::ContactOutcome::kSeen;
  visit.by_user_id = t.user("office");
  visit.by_name = "User office";
  ASSERT_TRUE(t.store().AddContactLogEntry(visit).ok());
  ASSERT_TRUE(t.app().Load().ok());

  const json head = json::parse(t.Get("head", "/api/v1/school/dashboard").body);
  ASSERT_FALSE(head["suppressed"]);
  ASSERT_EQ(head["impact"]["by_type"].size(), 1u) << head.dump();
  EXPECT_EQ(head["impact"]["by_type"][0]["interventions"], 1);
  bool head_sees_study_leave = false;
  for (const json& r : head["reasons"]) head_sees_study_leave |= r["code"] == "S";
  EXPECT_TRUE(head_sees_study_leave) << head["reasons"].dump();

  web::Response res = t.Get("governor", "/api/v1/school/dashboard");
  ASSERT_EQ(res.status, status::ok);
  const json gov = json::parse(res.body);
  ASSERT_FALSE(gov["suppressed"]) << res.body;
  ASSERT_EQ(gov["impact"]["by_type"].size(), 1u);
  const json& row = gov["impact"]["by_type"][0];
  EXPECT_TRUE(row["suppressed"]) << row.dump();
  EXPECT_FALSE(row.contains("interventions"));
  EXPECT_FALSE(row.contains("attendance_before_pct"));
  for (const json& r : gov["reasons"]) {
    if (r["code"] == "S") {
      EXPECT_TRUE(r["suppressed"]);
      EXPECT_FALSE(r.contains("sessions"));
    }
  }
  // Weeks with fewer than five pupils on roll say so too: none here.
  for (const json& w : gov["weeks"]) EXPECT_FALSE(w.contains("suppressed")) << w.dump();
  // The page shows the same.
  web::Response page = t.Get("governor", "/school");
  ASSERT_EQ(page.status, status::ok);
  EXPECT_NE(page.body.find("Home visits</th><td colspan=\"5\" class=\"muted\">fewer than 5 pupils"),
            std::string::npos);
  EXPECT_EQ(page.body.find("91.7%"), std::string::npos);
}

TEST(SecurityProbeTest, GovernorsGetNoSummaryOfFewerThanFivePupils) {
  TestApp t;  // three pupils, P1 and P2 with FSM
  const json gov = json::parse(t.Get("governor", "/api/v1/school/summary").body);
  EXPECT_EQ(gov["school"], json({{"suppressed", true}})) << gov.dump();
  EXPECT_EQ(gov["cohorts"]["FSM"], json({{"suppressed", true}})) << gov.dump();
  const json head = json::parse(t.Get("head", "/api/v1/school/summary").body);
  EXPECT_TRUE(head["school"]["pupils"].is_number()) << head.dump();
  EXPECT_TRUE(head["cohorts"]["FSM"]["pupils"].is_number()) << head.dump();
  // The governors' report: every row of three pupils says so.
  web::Response report = t.Get("governor", "/governors");
  EXPECT_NE(report.body.find("Year to date</th><td colspan=\"6\">fewer than 5 pupils"),
            std::string::npos);
}

// --- 8. Nothing from a request reaches a header unchecked ----------------------------

TEST(SecurityProbeTest, RedirectsNeverCarryALineBreak) {
  EXPECT_EQ(web::SafeLocation("/register?date=2026-12-02\r\nSet-Cookie: x=1"),
            "/register?date=2026-12-02%0D%0ASet-Cookie:%20x=1");
  EXPECT_EQ(web::SafeLocation("//evil.example/x"), "/evil.example/x");
  EXPECT_EQ(web::SafeLocation("/\\evil.example"), "/evil.example");
  EXPECT_EQ(web::SafeLocation("https://evil.example/"), "/");
  EXPECT_EQ(web::SafeLocation("/pupils/7#cme"), "/pupils/7#cme");
  TestApp t;
  const Login office = LogIn(t, "office", TestApp::kPassword);
  web::Response res = Send(t, office, verb::post, "/register/all-present",
                           "_csrf=" + office.csrf + "&class=" + std::to_string(t.class_id("3A")) +
                               "&date=2026-11-25%0D%0ASet-Cookie:%20injected=1&session=AM",
                           "application/x-www-form-urlencoded");
  EXPECT_EQ(res.status, status::bad_request);
  for (const auto& [name, value] : res.headers) {
    EXPECT_EQ(value.find_first_of("\r\n"), std::string::npos) << name;
    EXPECT_EQ(value.find("injected"), std::string::npos) << name;
  }
}

// --- 10, 12. Security headers, Secure cookies and HSTS ----------------------------

TEST(SecurityProbeTest, EveryAnswerCarriesAContentSecurityPolicy) {
  TestApp t;
  const std::vector<web::Response> answers = {t.Anonymous(verb::get, "/login"),
                                              t.Anonymous(verb::get, "/api/v1/me"),
                                              t.Anonymous(verb::get, "/static/app.css"),
                                              t.Get("head", "/today"),
                                              t.Get("head", "/school"),
                                              t.Get("head", "/settings"),
                                              t.Get("office", "/register"),
                                              t.Get("governor", "/governors"),
                                              t.Get("head", "/api/v1/school/summary")};
  for (const web::Response& res : answers) {
    const std::string csp = Header(res, "Content-Security-Policy");
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
    EXPECT_EQ(Header(res, "Referrer-Policy"), "same-origin");
    EXPECT_EQ(Header(res, "X-Frame-Options"), "DENY");
    EXPECT_EQ(Header(res, "Strict-Transport-Security"), "");  // not behind TLS
    // Pages have no inline style or script for the policy to break.
    if (res.content_type.starts_with("text/html")) {
      EXPECT_EQ(res.body.find("style=\""), std::string::npos);
      EXPECT_EQ(res.body.find("<script>"), std::string::npos);
    }
  }
  EXPECT_EQ(Header(t.Login("head", TestApp::kPassword), "Set-Cookie").find("Secure"),
            std::string::npos);
}

TEST(SecurityProbeTest, BehindTlsCookiesAreSecureAndHstsIsSent) {
  web::AppConfig config;
  config.secure_cookies = true;
  TestApp t(config);
  web::Response login = t.Login("head", TestApp::kPassword);
  ASSERT_EQ(login.status, status::ok);
  EXPECT_NE(Header(login, "Set-Cookie").find("; Secure"), std::string::npos);
  EXPECT_EQ(Header(login, "Strict-Transport-Security"), "max-age=31536000");
  EXPECT_EQ(Header(t.Get("head", "/today"), "Strict-Transport-Security"), "max-age=31536000");
}

// --- 6. Every password hash runs on the login pool -----------------------------------

TEST(SecurityProbeTest, EveryRequestThatHashesAPasswordGoesToTheLoginPool) {
  auto req = [](verb method, const char* target) {
    web::Request r;
    r.method = method;
    r.target = target;
    return r;
  };
  EXPECT_TRUE(web::HashesPasswords(req(verb::post, "/api/v1/login")));
  EXPECT_TRUE(web::HashesPasswords(req(verb::post, "/login")));
  EXPECT_TRUE(web::HashesPasswords(req(verb::post, "/login?next=/")));
  EXPECT_TRUE(web::HashesPasswords(req(verb::post, "/api/v1/me/password")));
  EXPECT_TRUE(web::HashesPasswords(req(verb::post, "/api/v1/users")));
  EXPECT_TRUE(web::HashesPasswords(req(verb::post, "/api/v1/users/7/password")));
  EXPECT_TRUE(web::HashesPasswords(req(verb::post, "/account/password")));
  EXPECT_FALSE(web::HashesPasswords(req(verb::post, "/account/reset")));  // a link resets now
  EXPECT_TRUE(web::HashesPasswords(req(verb::post, "/invite/0123abcd")));
  // Turning a second factor off checks the password; a code alone is no hash.
  EXPECT_TRUE(web::HashesPasswords(req(verb::post, "/account/second-factor/off")));
  EXPECT_FALSE(web::HashesPasswords(req(verb::post, "/account/second-factor/confirm")));
  EXPECT_FALSE(web::HashesPasswords(req(verb::post, "/login/code")));
  EXPECT_FALSE(web::HashesPasswords(req(verb::get, "/login")));
  EXPECT_FALSE(web::HashesPasswords(req(verb::post, "/register/mark")));
  EXPECT_FALSE(web::HashesPasswords(req(verb::put, "/api/v1/registers/2026-11-25/AM/marks/1")));
}

// --- 11. CSV cells that a spreadsheet could run ------------------------------------

TEST(SecurityProbeTest, CsvCellsStartingWithATabOrReturnAreNeutralised) {
  using web::internal::CsvField;
  EXPECT_EQ(CsvField("\t=1+2"), "\"'\t=1+2\"");
  EXPECT_EQ(CsvField("\r=1+2"), "\"'\r=1+2\"");
  EXPECT_EQ(CsvField("=1+2"), "\"'=1+2\"");
  EXPECT_EQ(CsvField("Ill"), "\"Ill\"");
  TestApp t;
  web::Response put = t.As("office", verb::put,
                           "/api/v1/registers/2026-11-24/AM/marks/" + std::to_string(t.pupil("P2")),
                           json{{"code", "I"}, {"reason", "\t=1+2"}}.dump());
  ASSERT_EQ(put.status, status::ok) << put.body;
  web::Response csv = t.Get("office", "/amendments.csv");
  ASSERT_EQ(csv.status, status::ok);
  EXPECT_NE(csv.body.find("\"'\t=1+2\""), std::string::npos);
  EXPECT_EQ(csv.body.find(",\"\t=1+2\""), std::string::npos);
}

// --- 16. Numbers too large are said to be too large -------------------------------------

TEST(SecurityProbeTest, IntegersAbove64BitsAreTooLargeNotWrapped) {
  TestApp t;
  web::Response res = t.As("head", verb::post, "/api/v1/users",
                           R"({"username":"big","display_name":"Big","role":"teacher",)"
                           R"("password":"a-long-password","class_ids":[18446744073709551615]})");
  EXPECT_EQ(res.status, status::bad_request);
  const std::string message = json::parse(res.body)["error"]["message"];
  EXPECT_NE(message.find("too large"), std::string::npos) << message;
  EXPECT_NE(message.find("class_ids[0]"), std::string::npos) << message;
  EXPECT_EQ(web::internal::Pounds(std::numeric_limits<int64_t>::min()), "-£92233720368547758.08");
  EXPECT_EQ(web::internal::Pounds(-808), "-£8.08");
  EXPECT_EQ(web::internal::Pounds(8000), "£80.00");
}

}  // namespace
}  // namespace rollcall::testing
