// API tokens through App::Handle: the head's page creates one and shows it
// once; "Authorization: Bearer" then calls the API without a CSRF token,
// within the token's scopes, until it expires or is revoked; it never logs
// in to a page; each use is logged with its status.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "test_app.h"

namespace rollcall::testing {
namespace {

using web::http::status;
using web::http::verb;

// A request with `token` as its bearer, and no cookie or CSRF token.
web::Response WithToken(TestApp& t, const std::string& token, verb method,
                        const std::string& target, const std::string& body = "") {
  web::Request req;
  req.method = method;
  req.target = target;
  req.body = body;
  req.authorization = "Bearer " + token;
  req.remote_addr = "10.0.0.5";
  req.host = "localhost";
  return t.app().Handle(req);
}

// Creates a token on the head's page with these form fields for its
// scopes ("scope-read-figures=yes&...") and returns it, as shown once.
std::string CreateToken(TestApp& t, const std::string& name, const std::string& scopes) {
  web::Response res = t.As("head", verb::post, "/settings/api-tokens",
                           "name=" + name + "&" + scopes + "&expires=2027-02-23");
  EXPECT_EQ(res.status, status::created) << res.body;
  std::smatch m;
  if (!std::regex_search(res.body, m, std::regex("rc_[0-9a-f]{64}"))) return "";
  return m.str();
}

// The tokens in the store, newest first.
std::vector<store::ApiToken> Tokens(TestApp& t) {
  core::StatusOr<std::vector<store::ApiToken>> tokens = t.store().ListApiTokens();
  EXPECT_TRUE(tokens.ok()) << tokens.status().message();
  return tokens.ok() ? *tokens : std::vector<store::ApiToken>{};
}

std::string MarkPath(TestApp& t) {
  return "/api/v1/registers/2026-11-25/AM/marks/" + std::to_string(t.pupil("P1"));
}

TEST(ApiTokensWebTest, TheHeadCreatesATokenThatIsShownOnceAndWorks) {
  TestApp t;
  EXPECT_EQ(t.Get("office", "/settings/api-tokens").status, status::forbidden);
  web::Response page = t.Get("head", "/settings/api-tokens");
  ASSERT_EQ(page.status, status::ok) << page.body;
  EXPECT_NE(page.body.find("Create a token"), std::string::npos);
  EXPECT_NE(t.Get("head", "/settings").body.find(R"(href="/settings/api-tokens")"),
            std::string::npos);

  // No scope: the form again, with the name typed and the problem.
  web::Response none =
      t.As("head", verb::post, "/settings/api-tokens", "name=Trust+dashboard&expires=2027-02-23");
  EXPECT_EQ(none.status, status::bad_request);
  EXPECT_NE(none.body.find("choose at least one"), std::string::npos) << none.body;
  EXPECT_NE(none.body.find(R"(value="Trust dashboard")"), std::string::npos);

  const std::string token = CreateToken(t, "Trust+dashboard", "scope-read-figures=yes");
  ASSERT_FALSE(token.empty());
  web::Response listed = t.Get("head", "/settings/api-tokens");
  EXPECT_EQ(listed.body.find(token), std::string::npos) << "shown once only";
  EXPECT_NE(listed.body.find("Trust dashboard"), std::string::npos);
  EXPECT_NE(listed.body.find("Read school and class figures"), std::string::npos);
  EXPECT_NE(listed.body.find("23 February 2027"), std::string::npos);

  web::Response summary = WithToken(t, token, verb::get, "/api/v1/school/summary");
  EXPECT_EQ(summary.status, status::ok) << summary.body;
  web::Response me = WithToken(t, token, verb::get, "/api/v1/me");
  ASSERT_EQ(me.status, status::ok) << me.body;
  EXPECT_EQ(Json(me)["api_token"]["name"], "API token: Trust dashboard");
  EXPECT_EQ(Json(me)["api_token"]["scopes"], nlohmann::json::array({"read:figures"}));
}

// A token carries the head's user id but is no login of theirs: it may not
// change (or guess at) the head's password, nor log out.
TEST(ApiTokensWebTest, ATokenMayNotChangeThePasswordOrLogOut) {
  TestApp t;
  const std::string token = CreateToken(t, "MIS+sync", "scope-write-marks=yes");
  web::Response password =
      WithToken(t, token, verb::post, "/api/v1/me/password",
                R"({"current_password":"a-wrong-guess","new_password":"a-new-long-password"})");
  EXPECT_EQ(password.status, status::forbidden) << password.body;
  EXPECT_EQ(ErrorCode(password), "FORBIDDEN");
  EXPECT_NE(password.body.find("an API token may not change a password"), std::string::npos)
      << password.body;
  web::Response logout = WithToken(t, token, verb::post, "/api/v1/logout");
  EXPECT_EQ(logout.status, status::forbidden) << logout.body;
  EXPECT_NE(logout.body.find("an API token may not log out"), std::string::npos) << logout.body;
  // The head's own session still works.
  EXPECT_EQ(t.Get("head", "/api/v1/me").status, status::ok);
}

TEST(ApiTokensWebTest, ATokenNeedsNoCsrfTokenButACookieStillDoes) {
  TestApp t;
  const std::string token = CreateToken(t, "MIS+sync", "scope-write-marks=yes");
  web::Response put = WithToken(t, token, verb::put, MarkPath(t), R"({"code":"/"})");
  EXPECT_EQ(put.status, status::ok) << put.body;
  web::Response cookie =
      t.As("office", verb::put, MarkPath(t), R"({"code":"L","arrival_time":"09:00"})",
           /*csrf=*/false);
  EXPECT_EQ(cookie.status, status::forbidden);
  EXPECT_EQ(ErrorCode(cookie), "CSRF_TOKEN_INVALID");
}

TEST(ApiTokensWebTest, OutsideItsScopesATokenIsRefusedAndItsMarksNameIt) {
  TestApp t;
  const std::string figures = CreateToken(t, "Dashboard", "scope-read-figures=yes");
  web::Response refused = WithToken(t, figures, verb::put, MarkPath(t), R"({"code":"/"})");
  EXPECT_EQ(refused.status, status::forbidden) << refused.body;
  EXPECT_EQ(ErrorCode(refused), "FORBIDDEN");
  EXPECT_NE(refused.body.find("write:marks"), std::string::npos) << refused.body;
  EXPECT_EQ(WithToken(t, figures, verb::get, "/api/v1/pupils").status, status::forbidden);

  const std::string marks = CreateToken(t, "MIS+sync", "scope-write-marks=yes");
  ASSERT_EQ(WithToken(t, marks, verb::put, MarkPath(t), R"({"code":"N"})").status, status::ok);
  ASSERT_EQ(WithToken(t, marks, verb::put, MarkPath(t),
                      R"({"code":"I","reason":"Parent phoned: illness"})")
                .status,
            status::ok);
  nlohmann::json trail =
      Json(t.Get("office", "/api/v1/pupils/" + std::to_string(t.pupil("P1")) + "/amendments"));
  ASSERT_FALSE(trail["amendments"].empty()) << trail.dump();
  const nlohmann::json& last = trail["amendments"].back();
  EXPECT_EQ(last["new"], "I");
  EXPECT_EQ(last["by"]["name"], "API token: MIS sync");
  EXPECT_EQ(last["by"]["role"], "office");

  // Every scope at once still never manages accounts or settings.
  const std::string all = CreateToken(t, "Everything",
                                      "scope-read-figures=yes&scope-read-pupils=yes&"
                                      "scope-write-marks=yes&scope-read-casework=yes&"
                                      "scope-read-exports=yes");
  EXPECT_EQ(WithToken(t, all, verb::get, "/api/v1/users").status, status::forbidden);
  EXPECT_EQ(
      WithToken(t, all, verb::put, "/api/v1/settings", R"({"target_attendance_pct":"95"})").status,
      status::forbidden);
  EXPECT_EQ(WithToken(t, all, verb::get, "/api/v1/export/scenario").status, status::ok);
}

TEST(ApiTokensWebTest, AnExpiredRevokedOrUnknownTokenGets401) {
  TestApp t;
  const std::string token = CreateToken(t, "Dashboard", "scope-read-figures=yes");
  web::Response unknown = WithToken(t, "rc_0000", verb::get, "/api/v1/school/summary");
  EXPECT_EQ(unknown.status, status::unauthorized);
  EXPECT_EQ(ErrorCode(unknown), "TOKEN_INVALID");
  EXPECT_EQ(Header(unknown, "WWW-Authenticate"), R"(Bearer error="invalid_token")");

  const std::vector<store::ApiToken> tokens = Tokens(t);
  ASSERT_EQ(tokens.size(), 1u);
  const std::string page = "/settings/api-tokens/" + std::to_string(tokens[0].id);
  // Revoking asks for the box to be ticked first.
  web::Response unconfirmed = t.As("head", verb::post, page + "/revoke", "");
  EXPECT_EQ(unconfirmed.status, status::bad_request);
  EXPECT_EQ(WithToken(t, token, verb::get, "/api/v1/school/summary").status, status::ok);
  EXPECT_EQ(t.As("office", verb::post, page + "/revoke", "confirm=yes").status, status::forbidden);
  web::Response revoked = t.As("head", verb::post, page + "/revoke", "confirm=yes");
  EXPECT_EQ(revoked.status, status::see_other) << revoked.body;
  EXPECT_EQ(Header(revoked, "Location"), "/settings/api-tokens?done=token-revoked");
  web::Response after = WithToken(t, token, verb::get, "/api/v1/school/summary");
  EXPECT_EQ(after.status, status::unauthorized);
  EXPECT_EQ(ErrorCode(after), "TOKEN_REVOKED");

  const std::string other = CreateToken(t, "Other", "scope-read-figures=yes");
  t.clock().Set(D("2027-02-24"), 0);
  web::Response expired = WithToken(t, other, verb::get, "/api/v1/school/summary");
  EXPECT_EQ(expired.status, status::unauthorized);
  EXPECT_EQ(ErrorCode(expired), "TOKEN_EXPIRED");
}

TEST(ApiTokensWebTest, ATokenNeverLogsInToAPage) {
  TestApp t;
  const std::string token = CreateToken(t, "Dashboard", "scope-read-figures=yes");
  for (const char* path : {"/school", "/settings/api-tokens", "/"}) {
    web::Response res = WithToken(t, token, verb::get, path);
    EXPECT_EQ(res.status, status::see_other) << path;
    EXPECT_EQ(Header(res, "Location"), "/login") << path;
  }
}

TEST(ApiTokensWebTest, TheTokenWinsOverACookieSentWithIt) {
  TestApp t;
  const std::string token = CreateToken(t, "Dashboard", "scope-read-figures=yes");
  // The head's own session, CSRF token and all, yet the token's scopes rule.
  web::Request req = t.RequestAs("head", verb::get, "/api/v1/users");
  req.authorization = "Bearer " + token;
  EXPECT_EQ(t.app().Handle(req).status, status::forbidden);
  req.authorization = "Bearer rc_wrong";
  EXPECT_EQ(t.app().Handle(req).status, status::unauthorized);
}

TEST(ApiTokensWebTest, EachUseIsLoggedWithItsStatus) {
  TestApp t;
  const std::string token = CreateToken(t, "Dashboard", "scope-read-figures=yes");
  ASSERT_EQ(WithToken(t, token, verb::get, "/api/v1/school/summary?as_of=2026-11-24").status,
            status::ok);
  ASSERT_EQ(WithToken(t, token, verb::put, MarkPath(t), R"({"code":"/"})").status,
            status::forbidden);
  const std::vector<store::ApiToken> tokens = Tokens(t);
  ASSERT_EQ(tokens.size(), 1u);
  core::StatusOr<std::vector<store::ApiTokenUse>> logged = t.store().ApiTokenUses(tokens[0].id, 10);
  ASSERT_TRUE(logged.ok()) << logged.status().message();
  const std::vector<store::ApiTokenUse>& uses = *logged;
  ASSERT_EQ(uses.size(), 2u);
  EXPECT_EQ(uses[0].method, "PUT");
  EXPECT_EQ(uses[0].status, 403);
  EXPECT_EQ(uses[1].method, "GET");
  EXPECT_EQ(uses[1].path, "/api/v1/school/summary");
  EXPECT_EQ(uses[1].status, 200);
  EXPECT_EQ(uses[1].remote_addr, "10.0.0.5");
  web::Response page = t.Get("head", "/settings/api-tokens/" + std::to_string(tokens[0].id));
  ASSERT_EQ(page.status, status::ok) << page.body;
  EXPECT_NE(page.body.find("GET /api/v1/school/summary"), std::string::npos);
  EXPECT_NE(page.body.find("403"), std::string::npos);
}

}  // namespace
}  // namespace rollcall::testing
