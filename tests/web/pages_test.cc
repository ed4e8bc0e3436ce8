// The HTML pages through App::Handle: escaping of names on every page that
// shows them, the same access rules as the API, forms with CSRF tokens.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "test_app.h"
#include "web/html.h"

namespace rollcall::testing {
namespace {

using web::http::status;
using web::http::verb;

constexpr char kRaw[] = "<script>alert(1)</script>";
constexpr char kEscaped[] = "&lt;script&gt;alert(1)&lt;/script&gt;";

TEST(HtmlTest, EscapesByDefault) {
  EXPECT_EQ(web::Html::Format("<b>{}</b>", kRaw).str(), std::string("<b>") + kEscaped + "</b>");
  EXPECT_EQ(web::Html::Format("<a title=\"{}\">", "\"x' & y").str(),
            "<a title=\"&quot;x&#39; &amp; y\">");
  EXPECT_EQ(web::Html::Format("{}", web::Html::Trusted("<i>ok</i>")).str(), "<i>ok</i>");
  EXPECT_EQ(web::Html::Format("{} {}", 7, std::string("<")).str(), "7 &lt;");
}

TEST(PagesTest, NamesAreEscapedOnEveryPageThatShowsThem) {
  TestApp t;
  const std::string p1 = std::to_string(t.pupil("P1"));
  // Make P1 absent (N) today so that the office's Today page lists them.
  ASSERT_EQ(
      t.As("office", verb::put, "/api/v1/registers/2026-11-25/AM/marks/" + p1, R"({"code":"N"})")
          .status,
      status::ok);
  ASSERT_EQ(t.As("parent", verb::post, "/api/v1/pupils/" + p1 + "/absence-reports",
                 R"({"from":"2026-11-26","reason":"<b>bold</b> claim"})")
                .status,
            status::created);
  const std::vector<std::pair<std::string, std::string>> pages = {
      {"teacher",
       "/register?class=" + std::to_string(t.class_id("3A")) + "&date=2026-11-25&session=AM"},
      {"office", "/pupils/" + p1},
      {"office", "/today"},
      {"parent", "/parent"},
      {"parent", "/pupils/" + p1},
  };
  for (const auto& [user, path] : pages) {
    web::Response res = t.Get(user, path);
    EXPECT_EQ(res.status, status::ok) << user << " " << path << ": " << res.body.substr(0, 300);
    EXPECT_EQ(res.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(res.body.find(kRaw), std::string::npos) << path;
    EXPECT_NE(res.body.find(kEscaped), std::string::npos) << path;
    EXPECT_EQ(res.body.find("<b>bold</b>"), std::string::npos) << path;
  }
}

TEST(PagesTest, TheSameRulesAsTheApi) {
  TestApp t;
  const std::string p1 = std::to_string(t.pupil("P1"));
  EXPECT_EQ(t.Get("governor", "/pupils/" + p1).status, status::forbidden);
  EXPECT_EQ(t.Get("parent", "/pupils/" + std::to_string(t.pupil("P2"))).status, status::forbidden);
  EXPECT_EQ(t.Get("teacher", "/register?class=" + std::to_string(t.class_id("4B"))).status,
            status::forbidden);
  EXPECT_EQ(t.Get("governor", "/today").status, status::forbidden);
  web::Response school = t.Get("governor", "/school");
  EXPECT_EQ(school.status, status::ok);
  EXPECT_EQ(school.body.find("Pupil P2"), std::string::npos);  // no pupil's name
  EXPECT_EQ(school.body.find("alert(1)"), std::string::npos);
  EXPECT_NE(school.body.find("Whole school"), std::string::npos);
}

TEST(PagesTest, LoginLogoutAndHomePages) {
  TestApp t;
  web::Response anon = t.Anonymous(verb::get, "/register");
  EXPECT_EQ(anon.status, status::see_other);
  web::Request bad;
  bad.method = verb::post;
  bad.target = "/login";
  bad.body = "username=office&password=nope";
  bad.host = "localhost";
  bad.remote_addr = "127.0.0.1";
  web::Response refused = t.app().Handle(bad);
  EXPECT_EQ(refused.status, status::unauthorized);
  EXPECT_NE(refused.body.find("not right"), std::string::npos);
  web::Request good = bad;
  good.body = std::string("username=office&password=") + TestApp::kPassword;
  web::Response in = t.app().Handle(good);
  EXPECT_EQ(in.status, status::see_other);
  for (const char* user : {"teacher", "office", "governor", "parent"}) {
    web::Response home = t.Get(user, "/");
    EXPECT_EQ(home.status, status::see_other) << user;
  }
  EXPECT_EQ(t.Get("office", "/static/htmx.min.js").status, status::ok);
  EXPECT_EQ(t.Get("office", "/static/nothing.js").status, status::not_found);
}

TEST(PagesTest, FormsMarkTheRegisterWithLateArrivals) {
  TestApp t;
  const std::string p1 = std::to_string(t.pupil("P1"));
  // A form post without the CSRF token is refused.
  web::Response no_token = t.As("office", verb::post, "/register/mark",
                                "date=2026-11-25&session=AM&pupil=" + p1 + "&code=%2F",
                                /*csrf=*/false);
  EXPECT_EQ(no_token.status, status::forbidden);
  web::Request req =
      t.RequestAs("office", verb::post, "/register/mark",
                  "date=2026-11-25&session=AM&pupil=" + p1 + "&code=L&arrival_time=09%3A40");
  req.htmx = true;
  web::Response row = t.app().Handle(req);
  EXPECT_EQ(row.status, status::ok);
  EXPECT_NE(row.body.find(">U</span> at 09:40"), std::string::npos) << row.body;
  // Changing it without a reason: the row says why.
  req.body = "date=2026-11-25&session=AM&pupil=" + p1 + "&code=other&other=I";
  row = t.app().Handle(req);
  EXPECT_NE(row.body.find("give a reason"), std::string::npos) << row.body;
  req.body += "&reason=Mum+phoned";
  row = t.app().Handle(req);
  EXPECT_NE(row.body.find(">I</span>"), std::string::npos) << row.body;
  web::Response page = t.Get("office", "/pupils/" + p1);
  EXPECT_NE(page.body.find("Mum phoned"), std::string::npos);
}

TEST(PagesTest, AmendmentsReportAndCsv) {
  TestApp t;
  const std::string p1 = std::to_string(t.pupil("P1"));
  ASSERT_EQ(t.As("office", verb::put, "/api/v1/registers/2026-11-24/AM/marks/" + p1,
                 R"({"code":"O","reason":"=HYPERLINK(\"x\") no reason given"})")
                .status,
            status::ok);
  web::Response page = t.Get("head", "/amendments?from=2026-11-20&to=2026-11-25");
  ASSERT_EQ(page.status, status::ok);
  EXPECT_NE(page.body.find("/ → O"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find(kEscaped), std::string::npos);
  web::Response csv = t.Get("office", "/amendments.csv?from=2026-11-20&to=2026-11-25&code=O");
  ASSERT_EQ(csv.status, status::ok);
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(csv.body.rfind("when,pupil_id,pupil,date,session,original,new,reason,by,role", 0), 0u);
  // Formulas are defused and quotes doubled.
  EXPECT_NE(csv.body.find("\"'=HYPERLINK(\"\"x\"\") no reason given\""), std::string::npos)
      << csv.body;
  web::Response none = t.Get("office", "/amendments.csv?from=2026-11-20&to=2026-11-25&code=G");
  EXPECT_EQ(std::count(none.body.begin(), none.body.end(), '\n'), 1);
  EXPECT_EQ(t.Get("teacher", "/amendments").status, status::forbidden);
  EXPECT_EQ(t.Get("office", "/amendments?from=nonsense").status, status::bad_request);
}

TEST(PagesTest, TheHeadChangesSettingsAndClosures) {
  TestApp t;
  web::Response page = t.Get("head", "/settings");
  ASSERT_EQ(page.status, status::ok);
  EXPECT_NE(page.body.find("Save settings"), std::string::npos);
  EXPECT_EQ(t.Get("office", "/settings").body.find("Save settings"), std::string::npos);
  EXPECT_EQ(t.Get("parent", "/settings").status, status::forbidden);
  web::Response saved =
      t.As("head", verb::post, "/settings", "register_close_minutes=20&target_attendance_pct=95.5");
  EXPECT_EQ(saved.status, status::ok);
  EXPECT_NE(saved.body.find("Saved as a new version"), std::string::npos) << saved.body;
  web::Response too_long = t.As("head", verb::post, "/settings", "register_close_minutes=45");
  EXPECT_EQ(too_long.status, status::bad_request);
  EXPECT_NE(too_long.body.find("at most 30 minutes"), std::string::npos);
  EXPECT_EQ(t.As("office", verb::post, "/settings", "register_close_minutes=10").status,
            status::forbidden);
  // A closure on a day with marks is refused; on a clean day it closes the
  // register.
  web::Response refused =
      t.As("head", verb::post, "/settings/closure", "date=2026-11-23&sessions=both&reason=Snow");
  EXPECT_EQ(refused.status, status::conflict);
  EXPECT_NE(refused.body.find("marks are recorded"), std::string::npos);
  web::Response closed =
      t.As("head", verb::post, "/settings/closure", "date=2026-11-26&sessions=both&reason=Snow");
  EXPECT_EQ(closed.status, status::see_other) << closed.body;
  t.clock().Set(D("2026-11-26"), 9 * 60);
  t.ForgetSessions();  // a day later: yesterday's logins have expired
  EXPECT_EQ(t.As("office", verb::put,
                 "/api/v1/registers/2026-11-26/AM/marks/" + std::to_string(t.pupil("P1")),
                 R"({"code":"/"})")
                .status,
            status::bad_request);
}

}  // namespace
}  // namespace rollcall::testing

namespace rollcall::testing {
namespace {

TEST(PagesTest, APupilWithNoPossibleSessionYetHasAPageWithoutFigures) {
  TestApp t;
  // P3 joined on Monday and has no mark yet: nothing to divide by.
  web::Response res = t.Get("office", "/pupils/" + std::to_string(t.pupil("P3")));
  ASSERT_EQ(res.status, web::http::status::ok) << res.body.substr(0, 300);
  EXPECT_NE(res.body.find("<div class=\"big\">–</div>"), std::string::npos);
  EXPECT_NE(res.body.find("no band"), std::string::npos);
}

// One design system: every page is GOV.UK Frontend's template without the
// GOV.UK brand, its stylesheet and script served from the binary.
TEST(PagesTest, PagesUseGovukFrontendWithoutTheGovukBrand) {
  TestApp t;
  web::Response login = t.Anonymous(verb::get, "/login");
  ASSERT_EQ(login.status, status::ok);
  for (const char* part :
       {R"(<body class="govuk-template__body")", R"(class="govuk-skip-link")",
        R"(<header class="govuk-header">)", R"(<main class="govuk-main-wrapper" id="main">)",
        R"(<footer class="govuk-footer">)", "/static/govuk-frontend.min.css",
        R"(<script type="module" src="/static/govuk-init.js">)"}) {
    EXPECT_NE(login.body.find(part), std::string::npos) << part;
  }
  // No crown: no logo drawn and no GOV.UK name in the page.
  EXPECT_EQ(login.body.find("<svg"), std::string::npos);
  EXPECT_EQ(login.body.find("GOV.UK"), std::string::npos);
  // Staff get the role's menu, which collapses behind a button on a phone.
  web::Response today = t.Get("office", "/today");
  EXPECT_NE(today.body.find(R"(class="govuk-service-navigation__toggle )"), std::string::npos);
  EXPECT_NE(today.body.find(R"(<a class="govuk-service-navigation__link" href="/today">Today</a>)"),
            std::string::npos);
  for (const char* asset : {"/static/govuk-frontend.min.css", "/static/govuk-frontend.min.js",
                            "/static/govuk-init.js", "/static/govuk-frontend.LICENSE"}) {
    EXPECT_EQ(t.Anonymous(verb::get, asset).status, status::ok) << asset;
  }
  // The stylesheet loads no font and no image: no GDS Transport, no crest.
  const std::string css = t.Anonymous(verb::get, "/static/govuk-frontend.min.css").body;
  EXPECT_NE(css.find(".govuk-date-input"), std::string::npos);
  EXPECT_EQ(css.find("GDS Transport"), std::string::npos);
  EXPECT_EQ(css.find("@font-face"), std::string::npos);
  EXPECT_EQ(css.find("url("), std::string::npos);
}

TEST(PagesTest, AFailedLoginShowsAnErrorSummaryLinkedToTheField) {
  TestApp t;
  web::Request bad;
  bad.method = verb::post;
  bad.target = "/login";
  bad.body = "username=office&password=nope";
  bad.host = "localhost";
  bad.remote_addr = "127.0.0.1";
  web::Response refused = t.app().Handle(bad);
  EXPECT_EQ(refused.status, status::unauthorized);
  EXPECT_NE(refused.body.find(R"(<div class="govuk-error-summary")"), std::string::npos);
  EXPECT_NE(refused.body.find(R"(<li><a href="#username">)"), std::string::npos) << refused.body;
}

// Dates are asked for as day, month and year fields; the single field the
// forms sent before still works.
TEST(PagesTest, FormsTakeADateAsDayMonthAndYear) {
  TestApp t;
  web::Response settings = t.Get("head", "/settings");
  EXPECT_NE(settings.body.find(R"(<div class="govuk-date-input" id="cdate">)"), std::string::npos);
  EXPECT_NE(settings.body.find(R"(name="date-day")"), std::string::npos);
  web::Response closed = t.As("head", verb::post, "/settings/closure",
                              "date-day=26&date-month=11&date-year=2026&sessions=both&reason=Snow");
  EXPECT_EQ(closed.status, status::see_other) << closed.body;
  web::Response single =
      t.As("head", verb::post, "/settings/closure", "date=2026-11-27&sessions=AM&reason=Snow");
  EXPECT_EQ(single.status, status::see_other) << single.body;
  web::Response impossible = t.As("head", verb::post, "/settings/closure",
                                  "date-day=31&date-month=2&date-year=2026&sessions=both&reason=x");
  EXPECT_EQ(impossible.status, status::bad_request);
  EXPECT_NE(impossible.body.find("2026-02-31"), std::string::npos) << impossible.body;
  const std::string listed = t.Get("head", "/settings").body;
  size_t closures = 0;
  for (size_t at = listed.find(": Snow"); at != std::string::npos;
       at = listed.find(": Snow", at + 1)) {
    ++closures;
  }
  EXPECT_EQ(closures, 2u);
}

// The pupil page's facts are a summary list, the band a tag.
TEST(PagesTest, ThePupilPageShowsItsFactsAsASummaryList) {
  TestApp t;
  web::Response res = t.Get("office", "/pupils/" + std::to_string(t.pupil("P1")));
  ASSERT_EQ(res.status, status::ok);
  EXPECT_NE(res.body.find(R"(<dt class="govuk-summary-list__key">UPN</dt>)"), std::string::npos);
  EXPECT_NE(res.body.find(R"(<strong class="govuk-tag govuk-tag--)"), std::string::npos);
}

}  // namespace
}  // namespace rollcall::testing
