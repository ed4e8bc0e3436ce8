// hosted_test.cc: one process serving two schools (web::Hosted) over two
// TestApps, each on its own in-memory store: routing by host name and by
// path prefix, the prefix taken off the request and put back on the answer,
// and nothing of one school reachable from the other.
#include "web/hosted.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "test_app.h"

namespace rollcall::testing {
namespace {

using web::http::status;
using web::http::verb;

class HostedTest : public ::testing::Test {
 protected:
  HostedTest()
      : hosted_({{"100001", {"A.Example.org"}, &a_.app()},
                 {"100002", {"b.example.org", "www.b.example.org"}, &b_.app()}},
                false) {}

  web::Request Req(verb method, const std::string& target, const std::string& host,
                   const std::string& cookie = "", const std::string& body = "") {
    web::Request req;
    req.method = method;
    req.target = target;
    req.host = host;
    req.cookie = cookie;
    req.body = body;
    req.content_type = body.empty() ? "" : "application/json";
    req.remote_addr = "127.0.0.1";
    return req;
  }
  // Logs in as `user` by `target` on `host`; returns the whole Set-Cookie
  // value.
  std::string LoginCookie(const std::string& target, const std::string& host,
                          const std::string& user = "head") {
    web::Response res = hosted_.Handle(
        Req(verb::post, target, host, "",
            nlohmann::json{{"username", user}, {"password", TestApp::kPassword}}.dump()));
    EXPECT_EQ(res.status, status::ok) << res.body;
    return Header(res, "Set-Cookie");
  }
  static std::string CookieOf(const std::string& set_cookie) {
    return set_cookie.substr(0, set_cookie.find(';'));
  }

  TestApp a_;
  TestApp b_;
  web::Hosted hosted_;
};

TEST_F(HostedTest, HostNameChoosesTheSchoolAndItsCookieWorksThereAlone) {
  const std::string set_cookie = LoginCookie("/api/v1/login", "a.example.org:8443");
  EXPECT_NE(set_cookie.find("Path=/;"), std::string::npos) << set_cookie;  // host routing: as is
  const std::string cookie = CookieOf(set_cookie);
  web::Response me = hosted_.Handle(Req(verb::get, "/api/v1/me", "A.EXAMPLE.ORG", cookie));
  EXPECT_EQ(me.status, status::ok) << me.body;
  EXPECT_EQ(Json(me)["user"]["username"], "head");
  // The same token at school B finds no session there.
  for (const char* host : {"b.example.org", "www.b.example.org:80"}) {
    web::Response other = hosted_.Handle(Req(verb::get, "/api/v1/me", host, cookie));
    EXPECT_EQ(other.status, status::unauthorized) << host << ": " << other.body;
  }
  web::Response prefixed = hosted_.Handle(Req(verb::get, "/s/100002/api/v1/me", "x", cookie));
  EXPECT_EQ(prefixed.status, status::unauthorized) << prefixed.body;
}

TEST_F(HostedTest, PrefixChoosesTheSchoolOnAnyHostAndScopesTheCookie) {
  const std::string set_cookie = LoginCookie("/s/100002/api/v1/login", "203.0.113.9:8080");
  EXPECT_NE(set_cookie.find("; Path=/s/100002/;"), std::string::npos) << set_cookie;
  EXPECT_EQ(set_cookie.find("Path=/;"), std::string::npos) << set_cookie;
  const std::string cookie = CookieOf(set_cookie);
  // The prefix wins over the host name: school B even on A's host.
  for (const char* host : {"203.0.113.9", "a.example.org"}) {
    web::Response me = hosted_.Handle(Req(verb::get, "/s/100002/api/v1/me", host, cookie));
    EXPECT_EQ(me.status, status::ok) << host << ": " << me.body;
  }
  EXPECT_EQ(hosted_.Handle(Req(verb::get, "/s/100001/api/v1/me", "x", cookie)).status,
            status::unauthorized);
  EXPECT_EQ(hosted_.Handle(Req(verb::get, "/api/v1/me", "a.example.org", cookie)).status,
            status::unauthorized);
}

TEST_F(HostedTest, TheAppSeesThePathWithoutThePrefix) {
  // The same answer as the App gives for the bare path: JSON is not rewritten.
  web::Response direct = a_.Anonymous(verb::get, "/api/v1/openapi.json");
  web::Response prefixed = hosted_.Handle(Req(verb::get, "/s/100001/api/v1/openapi.json", "x"));
  ASSERT_EQ(prefixed.status, status::ok);
  EXPECT_EQ(prefixed.body, direct.body);
  EXPECT_NE(prefixed.body.find("\"/api/v1/pupils\""), std::string::npos);
  web::Response codes =
      hosted_.Handle(Req(verb::get, "/s/100001/api/v1/codes?date=2026-11-25", "x"));
  EXPECT_EQ(codes.status, status::ok) << codes.body;
  // An unknown path under a school is that school's 404.
  web::Response missing = hosted_.Handle(Req(verb::get, "/s/100001/api/v1/nothing", "x"));
  EXPECT_EQ(missing.status, status::not_found);
  EXPECT_EQ(ErrorCode(missing), "NOT_FOUND");
}

TEST_F(HostedTest, RedirectsAndPagesStayUnderThePrefix) {
  // Not logged in: the page sends the browser to the school's login form.
  web::Response res = hosted_.Handle(Req(verb::get, "/s/100001/pupils", "x"));
  ASSERT_EQ(res.status, status::see_other);
  EXPECT_EQ(Header(res, "Location"), "/s/100001/login");
  // htmx is told where to go in a header of its own.
  web::Request htmx = Req(verb::get, "/s/100001/register", "x");
  htmx.htmx = true;
  web::Response partial = hosted_.Handle(htmx);
  EXPECT_EQ(Header(partial, "HX-Redirect"), "/s/100001/login");

  web::Response login = hosted_.Handle(Req(verb::get, "/s/100001/login", "x"));
  ASSERT_EQ(login.status, status::ok);
  EXPECT_NE(login.body.find("action=\"/s/100001/login\""), std::string::npos) << login.body;
  EXPECT_NE(login.body.find("src=\"/s/100001/static/htmx.min.js\""), std::string::npos);
  EXPECT_NE(login.body.find("href=\"/s/100001/static/"), std::string::npos);
  // No root-relative URL is left without the prefix.
  const std::regex unprefixed(
      R"re(\s(href|src|action|formaction|hx-(get|post|put|delete|patch)|data-[a-z-]+)=["']/(?!/|s/100001/))re");
  EXPECT_FALSE(std::regex_search(login.body, unprefixed)) << login.body;
  // The same page by host is untouched.
  web::Response by_host = hosted_.Handle(Req(verb::get, "/login", "a.example.org"));
  EXPECT_NE(by_host.body.find("action=\"/login\""), std::string::npos);
  EXPECT_EQ(by_host.body.find("/s/100001"), std::string::npos);

  // A logged-in page: every link stays under the prefix.
  const std::string cookie = CookieOf(LoginCookie("/s/100001/api/v1/login", "x"));
  web::Response home = hosted_.Handle(Req(verb::get, "/s/100001/pupils", "x", cookie));
  ASSERT_EQ(home.status, status::ok) << home.body;
  EXPECT_NE(home.body.find("href=\"/s/100001/pupils/"), std::string::npos);
  EXPECT_FALSE(std::regex_search(home.body, unprefixed));
}

TEST_F(HostedTest, ASetPasswordLinkShownAsTextCarriesThePrefix) {
  web::Response login = hosted_.Handle(
      Req(verb::post, "/s/100001/api/v1/login", "rollcall.example.org", "",
          nlohmann::json{{"username", "head"}, {"password", TestApp::kPassword}}.dump()));
  ASSERT_EQ(login.status, status::ok) << login.body;
  const std::string cookie = CookieOf(Header(login, "Set-Cookie"));
  const std::string csrf = Json(login)["csrf_token"];

  // The page a head copies the link from: the text is the whole URL,
  // prefix included, as is the link it names.
  web::Request invite = Req(verb::post, "/s/100001/users/invite", "rollcall.example.org", cookie,
                            "kind=staff&display_name=Ms+D&username=msd&role=teacher");
  invite.content_type = "application/x-www-form-urlencoded";
  invite.csrf_token = csrf;
  web::Response page = hosted_.Handle(invite);
  ASSERT_EQ(page.status, status::ok) << page.body;
  std::smatch shown;
  ASSERT_TRUE(std::regex_search(
      page.body, shown,
      std::regex(R"re(href="(/s/100001/invite/[^"]+)">rollcall\.example\.org([^<]+)</a>)re")))
      << page.body;
  EXPECT_EQ(shown[2].str(), shown[1].str());
  EXPECT_EQ(page.body.find("rollcall.example.org/invite/"), std::string::npos);

  // The API's link is the path under the prefix too.
  web::Request api = Req(
      verb::post, "/s/100001/api/v1/users/invitations", "x", cookie,
      nlohmann::json{{"username", "mre"}, {"display_name", "Mr E"}, {"role", "teacher"}}.dump());
  api.csrf_token = csrf;
  web::Response created = hosted_.Handle(api);
  ASSERT_EQ(created.status, status::created) << created.body;
  EXPECT_TRUE(Json(created)["link"].get<std::string>().starts_with("/s/100001/invite/"))
      << created.body;

  // By host name there is no prefix to add.
  web::Response by_host = b_.As("head", verb::post, "/users/invite",
                                "kind=staff&display_name=Ms+F&username=msf&role=teacher");
  ASSERT_EQ(by_host.status, status::ok) << by_host.body;
  EXPECT_NE(by_host.body.find(">localhost/invite/"), std::string::npos) << by_host.body;
}

TEST_F(HostedTest, ThePrefixWithoutItsSlashRedirects) {
  web::Response res = hosted_.Handle(Req(verb::get, "/s/100002", "x"));
  EXPECT_EQ(res.status, status::see_other);
  EXPECT_EQ(Header(res, "Location"), "/s/100002/");
  web::Response query = hosted_.Handle(Req(verb::get, "/s/100002?ended=idle", "x"));
  EXPECT_EQ(Header(query, "Location"), "/s/100002/?ended=idle");
  // "/s/1000021" is no school: the URN is matched whole.
  EXPECT_EQ(hosted_.Handle(Req(verb::get, "/s/1000021/", "x")).status, status::not_found);
}

TEST_F(HostedTest, NoSchoolIsA404ThatNamesNone) {
  for (const char* target : {"/", "/login", "/s/999999/", "/api/v1/me", "/s/"}) {
    web::Response res = hosted_.Handle(Req(verb::get, target, "unknown.example.org"));
    EXPECT_EQ(res.status, status::not_found) << target;
    EXPECT_EQ(res.body.find("100001"), std::string::npos);
    EXPECT_EQ(res.body.find("100002"), std::string::npos);
    EXPECT_EQ(res.body.find("example.org"), std::string::npos);
    EXPECT_EQ(res.body.find("Test Primary"), std::string::npos);
    EXPECT_FALSE(Header(res, "Content-Security-Policy").empty());
  }
  // The health check answers for the process.
  web::Response health = hosted_.Handle(Req(verb::get, "/healthz", "10.0.0.5:8081"));
  EXPECT_EQ(health.status, status::ok);
  EXPECT_EQ(Json(health)["status"], "ok");
}

TEST_F(HostedTest, PasswordHashingRequestsAreKnownUnderEitherRouting) {
  EXPECT_TRUE(hosted_.HashesPasswords(Req(verb::post, "/s/100001/api/v1/login", "x")));
  EXPECT_TRUE(hosted_.HashesPasswords(Req(verb::post, "/login", "b.example.org")));
  EXPECT_FALSE(hosted_.HashesPasswords(Req(verb::get, "/s/100001/login", "x")));
  EXPECT_FALSE(hosted_.HashesPasswords(Req(verb::post, "/login", "unknown.example.org")));
  EXPECT_FALSE(hosted_.HashesPasswords(Req(verb::post, "/s/100001", "x")));
}

// `rollcall demo`: one school at / (the fallback), another under its prefix.
TEST_F(HostedTest, AFallbackAnswersWhatNamesNoSchoolAsItCame) {
  TestApp home;
  web::Hosted demo({{"100002", {}, &b_.app()}}, false, &home.app());
  const auto login = [&](const std::string& target) {
    web::Response res = demo.Handle(
        Req(verb::post, target, "localhost:8080", "",
            nlohmann::json{{"username", "head"}, {"password", TestApp::kPassword}}.dump()));
    EXPECT_EQ(res.status, status::ok) << target << ": " << res.body;
    return Header(res, "Set-Cookie");
  };
  // At /: the fallback's own answer, its cookie at Path=/ unchanged.
  const std::string home_cookie = login("/api/v1/login");
  EXPECT_NE(home_cookie.find("Path=/;"), std::string::npos) << home_cookie;
  web::Response me = demo.Handle(Req(verb::get, "/api/v1/me", "localhost", CookieOf(home_cookie)));
  EXPECT_EQ(me.status, status::ok) << me.body;
  // The same token is no login under the prefix: that is the other school.
  EXPECT_EQ(
      demo.Handle(Req(verb::get, "/s/100002/api/v1/me", "localhost", CookieOf(home_cookie))).status,
      status::unauthorized);
  // Under the prefix: the hosted school, its cookie scoped to it.
  const std::string school_cookie = login("/s/100002/api/v1/login");
  EXPECT_NE(school_cookie.find("Path=/s/100002/;"), std::string::npos) << school_cookie;
  EXPECT_EQ(demo.Handle(Req(verb::get, "/s/100002/api/v1/me", "x", CookieOf(school_cookie))).status,
            status::ok);
  EXPECT_EQ(demo.Handle(Req(verb::get, "/api/v1/me", "x", CookieOf(school_cookie))).status,
            status::unauthorized);
  // An unknown prefix names no school this process holds: Hosted's 404,
  // not the fallback's login; the login page is the fallback's.
  web::Response unknown = demo.Handle(Req(verb::get, "/s/999999/api/v1/me", "x"));
  EXPECT_EQ(unknown.status, status::not_found);
  EXPECT_NE(unknown.body.find("No school is served at this address"), std::string::npos);
  web::Response page = demo.Handle(Req(verb::get, "/login", "x"));
  EXPECT_EQ(page.status, status::ok);
  EXPECT_TRUE(demo.HashesPasswords(Req(verb::post, "/login", "unknown.example.org")));
  EXPECT_TRUE(demo.HashesPasswords(Req(verb::post, "/s/100002/login", "x")));
  // Without a fallback the same request is Hosted's own 404.
  EXPECT_EQ(hosted_.Handle(Req(verb::get, "/login", "unknown.example.org")).status,
            status::not_found);
}

TEST(HostedRewriteTest, LocationsGetThePrefixWhenRootRelative) {
  EXPECT_EQ(web::PrefixLocation("/s/7", "/"), "/s/7/");
  EXPECT_EQ(web::PrefixLocation("/s/7", "/pupils/3?x=1"), "/s/7/pupils/3?x=1");
  EXPECT_EQ(web::PrefixLocation("/s/7", "//evil.example/"), "//evil.example/");
  EXPECT_EQ(web::PrefixLocation("/s/7", "https://example.org/"), "https://example.org/");
}

TEST(HostedRewriteTest, CookiePathsMoveUnderThePrefix) {
  EXPECT_EQ(web::PrefixCookiePath("/s/7", "rollcall_session=abc; Path=/; HttpOnly; Max-Age=60"),
            "rollcall_session=abc; Path=/s/7/; HttpOnly; Max-Age=60");
  EXPECT_EQ(web::PrefixCookiePath("/s/7", "p=x; path=/login; HttpOnly"),
            "p=x; Path=/s/7/login; HttpOnly");
  EXPECT_EQ(web::PrefixCookiePath("/s/7", "a=b; HttpOnly"), "a=b; HttpOnly; Path=/s/7/");
  // A cookie's value that looks like an attribute is not one.
  EXPECT_EQ(web::PrefixCookiePath("/s/7", "path=/x; Path=/"), "path=/x; Path=/s/7/");
}

TEST(HostedRewriteTest, HtmlAttributesWithRootRelativeUrlsAndNothingElse) {
  const std::string html =
      R"(<a href="/pupils/3">x</a><form action='/login' method="post">)"
      R"(<button formaction=/logout hx-post="/register/mark" hx-get="/today">)"
      R"(<tr data-url="/pupils/3" data-pupil="7" title="/not-a-url">)"
      R"(<a href="//cdn.example/x">c</a><a href="https://example.org/">e</a>)"
      R"(<p>Type href="/x" here; 3 < 4</p><!-- <a href="/c"> --><IMG SRC="/static/i.png">)"
      R"(<input value="/kept" disabled><a class="x" href="#top">t</a>)";
  EXPECT_EQ(
      web::PrefixHtml("/s/7", html),
      R"(<a href="/s/7/pupils/3">x</a><form action='/s/7/login' method="post">)"
      R"(<button formaction=/s/7/logout hx-post="/s/7/register/mark" hx-get="/s/7/today">)"
      R"(<tr data-url="/s/7/pupils/3" data-pupil="7" title="/not-a-url">)"
      R"(<a href="//cdn.example/x">c</a><a href="https://example.org/">e</a>)"
      R"(<p>Type href="/x" here; 3 < 4</p><!-- <a href="/c"> --><IMG SRC="/s/7/static/i.png">)"
      R"(<input value="/kept" disabled><a class="x" href="#top">t</a>)");
}

TEST(SchoolsFileTest, ReadsSchoolsHostsCommentsAndBlankLines) {
  core::StatusOr<std::vector<web::SchoolsFileEntry>> entries = web::ParseSchoolsFile(
      "# the trust's schools\n\n100001 Riverside.example.org  www.riverside.example.org\n"
      "\t100002   # path routing only\n100003 hill.example.org\n",
      "schools.txt");
  ASSERT_TRUE(entries.ok()) << entries.status().message();
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].urn, "100001");
  EXPECT_EQ((*entries)[0].hosts,
            (std::vector<std::string>{"riverside.example.org", "www.riverside.example.org"}));
  EXPECT_EQ((*entries)[0].line, 3);
  EXPECT_TRUE((*entries)[1].hosts.empty());
  EXPECT_EQ((*entries)[1].line, 4);
  EXPECT_EQ((*entries)[2].line, 5);
}

TEST(SchoolsFileTest, NamesTheFileLineAndProblem) {
  struct Case {
    const char* text;
    const char* message;
  };
  for (const Case& c : {
           Case{"100001\n10 0002!\n", "schools.txt, line 2: '0002!' is not a host name"},
           Case{"1000/01\n", "schools.txt, line 1: '1000/01' is not a URN"},
           Case{"100001 a.example\n\n100001 b.example\n",
                "schools.txt, line 3: URN 100001 is listed already, on line 1"},
           Case{"100001 a.example\n100002 A.EXAMPLE\n",
                "schools.txt, line 2: host a.example is listed already, on line 1"},
           Case{"100001 a.example:8080\n", "schools.txt, line 1: 'a.example:8080' is not a host"},
           Case{"100001 https://a.example/\n", "schools.txt, line 1: 'https://a.example/' is not"},
           Case{"# nothing\n\n", "schools.txt: lists no school"},
       }) {
    core::StatusOr<std::vector<web::SchoolsFileEntry>> entries =
        web::ParseSchoolsFile(c.text, "schools.txt");
    ASSERT_FALSE(entries.ok()) << c.text;
    EXPECT_EQ(entries.status().code(), std::string("SCHOOLS_FILE"));
    EXPECT_NE(entries.status().message().find(c.message), std::string::npos)
        << entries.status().message();
  }
  core::StatusOr<std::vector<web::SchoolsFileEntry>> missing =
      web::ReadSchoolsFile("/nonexistent/schools.txt");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), std::string("FILE_READ"));
}

TEST(HostNameTest, LowerCaseWithoutPort) {
  EXPECT_EQ(web::HostName("A.Example.ORG:8080"), "a.example.org");
  EXPECT_EQ(web::HostName("a.example.org."), "a.example.org");
  EXPECT_EQ(web::HostName("[::1]:8080"), "[::1]");
  EXPECT_EQ(web::HostName(""), "");
}

}  // namespace
}  // namespace rollcall::testing
