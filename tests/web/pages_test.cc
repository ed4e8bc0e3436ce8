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

// The head's Accounts page: every account with its role in words and its
// status, forms to invite staff and parents, a link shown once, disabling.
TEST(PagesTest, TheHeadInvitesAndDisablesOnTheAccountsPage) {
  TestApp t;
  EXPECT_EQ(t.Get("office", "/users").status, status::forbidden);
  web::Response page = t.Get("head", "/users");
  ASSERT_EQ(page.status, status::ok) << page.body;
  EXPECT_NE(page.body.find("<td class=\"govuk-table__cell\">Designated safeguarding lead</td>"),
            std::string::npos)
      << page.body;
  EXPECT_NE(page.body.find(">SENCO</td>"), std::string::npos);
  EXPECT_NE(page.body.find(">Attendance officer</td>"), std::string::npos);
  EXPECT_NE(page.body.find(">Active</td>"), std::string::npos);
  EXPECT_NE(page.body.find("Invite a member of staff"), std::string::npos);
  EXPECT_NE(page.body.find("Invite a parent"), std::string::npos);
  EXPECT_NE(page.body.find(R"(action="/users/invite")"), std::string::npos);
  EXPECT_EQ(page.body.find(R"(<option value="la">)"), std::string::npos);

  // A parent invited by their child's UPN: the link is shown once.
  web::Response invited = t.As("head", verb::post, "/users/invite",
                               "kind=parent&display_name=Mrs+B&username=mum%40example.org&"
                               "upns=B909123400002");
  ASSERT_EQ(invited.status, status::ok) << invited.body;
  const size_t at = invited.body.find("href=\"/invite/");
  ASSERT_NE(at, std::string::npos) << invited.body;
  EXPECT_NE(invited.body.find("only time the link is shown"), std::string::npos);
  web::Response listed = t.Get("head", "/users");
  EXPECT_NE(listed.body.find("Invited — link not used"), std::string::npos);
  EXPECT_NE(listed.body.find("mum@example.org"), std::string::npos);
  EXPECT_EQ(listed.body.find("/invite/"), std::string::npos) << "never shown again";
  web::Response unknown = t.As("head", verb::post, "/users/invite",
                               "kind=parent&display_name=Mr+C&username=dad&upns=Z1");
  EXPECT_EQ(unknown.status, status::not_found);
  EXPECT_NE(unknown.body.find("no pupil has the UPN Z1"), std::string::npos) << unknown.body;

  // Disabling ends the account's logins at once.
  ASSERT_EQ(t.Get("teacher", "/register").status, status::ok);
  const std::string teacher = std::to_string(t.user("teacher"));
  web::Response disabled = t.As("head", verb::post, "/users/" + teacher + "/disable");
  EXPECT_EQ(disabled.status, status::see_other);
  EXPECT_EQ(Header(disabled, "Location"), "/users?done=disabled");
  EXPECT_EQ(t.Get("teacher", "/register").status, status::see_other);  // to the login page
  EXPECT_NE(t.Get("head", "/users?done=disabled").body.find(">Disabled</td>"), std::string::npos);
  const std::string head = std::to_string(t.user("head"));
  web::Response own = t.As("head", verb::post, "/users/" + head + "/disable");
  EXPECT_EQ(own.status, status::bad_request);
  EXPECT_NE(own.body.find("your own account"), std::string::npos);
}

TEST(PagesTest, TheNewRolesStartWhereTheirWorkIs) {
  TestApp t;
  EXPECT_EQ(Header(t.Get("attendance", "/"), "Location"), "/today");
  EXPECT_EQ(Header(t.Get("dsl", "/"), "Location"), "/pupils");
  EXPECT_EQ(Header(t.Get("senco", "/"), "Location"), "/pupils");
  EXPECT_EQ(t.Get("attendance", "/today").status, status::ok);
  EXPECT_EQ(t.Get("dsl", "/settings").status, status::forbidden);
  EXPECT_EQ(t.Get("senco", "/settings").status, status::forbidden);
  const std::string p2 = std::to_string(t.pupil("P2"));
  EXPECT_EQ(t.Get("dsl", "/pupils/" + p2).status, status::ok);
  EXPECT_EQ(t.Get("senco", "/pupils/" + p2).status, status::ok);
  EXPECT_EQ(t.Get("senco",
                  "/register?date=2026-11-25&session=AM&class=" + std::to_string(t.class_id("4B")))
                .status,
            status::ok);
  EXPECT_NE(t.Get("head", "/today").body.find(R"(href="/users")"), std::string::npos);
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
  EXPECT_NE(page.body.find("/ — present (AM) → O — other unauthorised absence"), std::string::npos)
      << page.body;
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

// The policy is a form of the values in force, not a JSON box; a change goes
// through the API's checks and keeps the school's other overrides.
TEST(PagesTest, TheHeadChangesThePolicyThroughAForm) {
  TestApp t;
  web::Response page = t.Get("head", "/settings");
  ASSERT_EQ(page.status, status::ok);
  EXPECT_NE(page.body.find(R"(name="persistent_absence_pct" value="10")"), std::string::npos)
      << page.body;
  EXPECT_NE(page.body.find(R"(name="penalty.sessions" value="10")"), std::string::npos);
  EXPECT_NE(page.body.find("Amber (lower)"), std::string::npos);
  EXPECT_EQ(page.body.find("<textarea"), std::string::npos);
  ASSERT_EQ(
      t.As("head", verb::put, "/api/v1/settings", R"({"policy":{"leave":{"overstay_code":"O"}}})")
          .status,
      status::ok);
  web::Response saved = t.As("head", verb::post, "/settings",
                             "persistent_absence_pct=12.5&penalty.sessions=8&band_min_2=89");
  ASSERT_EQ(saved.status, status::ok) << saved.body;
  EXPECT_NE(saved.body.find(R"(name="persistent_absence_pct" value="12.5")"), std::string::npos);
  EXPECT_NE(saved.body.find(R"(name="penalty.sessions" value="8")"), std::string::npos);
  EXPECT_NE(saved.body.find(R"(name="band_min_2" value="89")"), std::string::npos);
  const nlohmann::json policy = Json(t.Get("office", "/api/v1/settings"))["policy"];
  EXPECT_EQ(policy["leave"]["overstay_code"], "O");
  EXPECT_EQ(policy["penalty"]["sessions"], 8);
  web::Response bad = t.As("head", verb::post, "/settings", "persistent_absence_pct=lots");
  EXPECT_EQ(bad.status, status::bad_request);
  EXPECT_NE(bad.body.find("persistent_absence_pct"), std::string::npos) << bad.body;
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

TEST(PagesTest, AMarkSavedInPlaceUpdatesTheRegistersCount) {
  TestApp t;
  const std::string p1 = std::to_string(t.pupil("P1"));
  web::Request req = t.RequestAs("teacher", verb::post, "/register/mark",
                                 "date=2026-11-25&session=AM&pupil=" + p1 + "&code=%2F");
  req.htmx = true;
  web::Response row = t.app().Handle(req);
  ASSERT_EQ(row.status, status::ok) << row.body;
  // The row, then the count of 3A's register (P1 and P3) out of band.
  EXPECT_EQ(row.body.rfind("<tr id=\"row-" + p1 + "\"", 0), 0u) << row.body;
  EXPECT_NE(
      row.body.find(
          R"(<template><span id="progress" hx-swap-oob="innerHTML">1 of 2 marked</span></template>)"),
      std::string::npos)
      << row.body;
  // The register page starts from the same count.
  web::Response page = t.Get("teacher", "/register?class=" + std::to_string(t.class_id("3A")) +
                                            "&date=2026-11-25&session=AM");
  EXPECT_NE(page.body.find(R"(<span id="progress" aria-live="polite">1 of 2 marked</span>)"),
            std::string::npos);
  // A refused mark changes no count.
  req.body = "date=2026-11-25&session=AM&pupil=" + p1 + "&code=XYZ";
  row = t.app().Handle(req);
  EXPECT_NE(row.body.find("not an attendance code"), std::string::npos) << row.body;
  EXPECT_EQ(row.body.find("hx-swap-oob"), std::string::npos) << row.body;
  // One tap on L today: arrived now (10:00), after the register closed at 09:15.
  req.body = "date=2026-11-25&session=AM&pupil=" + p1 + "&code=L&reason=Came+in+late";
  row = t.app().Handle(req);
  EXPECT_NE(row.body.find(">U</span> at 10:00"), std::string::npos) << row.body;
}

TEST(PagesTest, FormsSayWhatTheyDid) {
  TestApp t;
  const std::string p1 = std::to_string(t.pupil("P1"));
  // A parent's leave request: the parents' page says it has gone.
  web::Response sent =
      t.As("parent", verb::post, "/leave/request",
           "pupil=" + p1 + "&from=2026-12-07&to=2026-12-07&code=C&reason=Family+wedding");
  ASSERT_EQ(sent.status, status::see_other) << sent.body;
  EXPECT_EQ(Header(sent, "Location"), "/parent?done=leave-sent");
  web::Response parent = t.Get("parent", Header(sent, "Location"));
  EXPECT_NE(parent.body.find("govuk-notification-banner--success"), std::string::npos);
  EXPECT_NE(parent.body.find("Request sent to the school."), std::string::npos);

  // The head refuses it: the pupil page says a letter is stored.
  const nlohmann::json list = nlohmann::json::parse(t.Get("head", "/api/v1/leave-requests").body);
  ASSERT_EQ(list["leave_requests"].size(), 1u);
  const std::string id = std::to_string(list["leave_requests"][0]["id"].get<int64_t>());
  web::Response decided = t.As("head", verb::post, "/leave/" + id + "/decide",
                               "decision=refused&reason=Not+exceptional");
  ASSERT_EQ(decided.status, status::see_other) << decided.body;
  EXPECT_EQ(Header(decided, "Location"), "/pupils/" + p1 + "?done=leave-refused#leave");
  web::Response pupil = t.Get("head", "/pupils/" + p1 + "?done=leave-refused");
  EXPECT_NE(pupil.body.find("Leave refused: a letter to the parents is stored"), std::string::npos);

  // The words are the program's own: an unknown done= shows nothing.
  web::Response odd = t.Get("parent", "/parent?done=%3Cb%3Ehello%3C%2Fb%3E");
  EXPECT_EQ(odd.body.find("govuk-notification-banner"), std::string::npos);
  EXPECT_EQ(odd.body.find("hello"), std::string::npos);

  // Confirming a parent's report on Today answers in place of its item.
  web::Response report = t.As("parent", verb::post, "/api/v1/pupils/" + p1 + "/absence-reports",
                              R"({"from":"2026-11-25","reason":"Sick bug"})");
  ASSERT_EQ(report.status, status::created) << report.body;
  const std::string report_id =
      std::to_string(nlohmann::json::parse(report.body)["id"].get<int64_t>());
  web::Response today = t.Get("office", "/today");
  EXPECT_NE(today.body.find(R"(hx-post="/today/report/)" + report_id + "\""), std::string::npos);
  web::Request confirm = t.RequestAs("office", verb::post, "/today/report/" + report_id, "code=I");
  confirm.htmx = true;
  web::Response item = t.app().Handle(confirm);
  ASSERT_EQ(item.status, status::ok) << item.body;
  EXPECT_EQ(item.body.rfind("<li>", 0), 0u) << item.body;
  EXPECT_NE(item.body.find("govuk-notification-banner--success"), std::string::npos);
  EXPECT_NE(item.body.find("Confirmed: "), std::string::npos) << item.body;
  // Again: already resolved or nothing left, said in place too.
  item = t.app().Handle(confirm);
  EXPECT_EQ(item.status, status::ok) << item.body;
  EXPECT_EQ(item.body.rfind("<li>", 0), 0u) << item.body;
}

TEST(PagesTest, FormsAskForDatesAsDayMonthYear) {
  TestApp t;
  const std::string p1 = std::to_string(t.pupil("P1"));
  // No single date boxes in the forms people fill in: support, part-time
  // timetables and leave on the pupil page, calls on Today, leave on the
  // parents' page.
  const std::string head = t.Get("head", "/pupils/" + p1).body;
  const std::string office = t.Get("office", "/pupils/" + p1).body;
  const std::string today = t.Get("office", "/today").body;
  const std::string parent = t.Get("parent", "/parent").body;
  for (const std::string* page : {&head, &office, &today, &parent}) {
    EXPECT_EQ(page->find(R"(type="date")"), std::string::npos) << *page;
  }
  EXPECT_NE(head.find(R"(id="pt-start-day")"), std::string::npos);
  EXPECT_NE(head.find(R"(id="review-date-year")"), std::string::npos);
  EXPECT_NE(office.find(R"(id="lv-from-)" + p1 + R"(-month")"), std::string::npos);
  EXPECT_NE(parent.find(R"(id="lv-to-)" + p1 + R"(-day")"), std::string::npos);
  // The three fields are read back as one date.
  web::Response sent = t.As("parent", verb::post, "/leave/request",
                            "pupil=" + p1 +
                                "&from-day=7&from-month=12&from-year=2026"
                                "&to-day=7&to-month=12&to-year=2026&code=C&reason=Family+wedding");
  ASSERT_EQ(sent.status, status::see_other) << sent.body;
  const nlohmann::json list = nlohmann::json::parse(t.Get("head", "/api/v1/leave-requests").body);
  ASSERT_EQ(list["leave_requests"].size(), 1u);
  EXPECT_EQ(list["leave_requests"][0]["from"]["date"], "2026-12-07");
}

TEST(PagesTest, ThePrintableRegisterAndClassList) {
  TestApp t;
  const std::string p1 = std::to_string(t.pupil("P1"));
  const std::string class_3a = std::to_string(t.class_id("3A"));
  ASSERT_EQ(t.As("teacher", verb::put, "/api/v1/registers/2026-11-25/AM/marks/" + p1,
                 R"({"code":"L","arrival_time":"09:05"})")
                .status,
            status::ok);
  const std::string print = "/register/print?class=" + class_3a + "&date=2026-11-25";
  web::Response page = t.Get("teacher", print);
  ASSERT_EQ(page.status, status::ok) << page.body;
  EXPECT_NE(page.body.find("Register: 3A, 25 November 2026"), std::string::npos);
  EXPECT_NE(page.body.find("1 of 2 pupils in school"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("at 09:05"), std::string::npos);
  EXPECT_NE(page.body.find(kEscaped), std::string::npos);
  EXPECT_EQ(page.body.find(kRaw), std::string::npos);
  EXPECT_NE(page.body.find("Pupil P3"), std::string::npos);
  EXPECT_EQ(page.body.find("Pupil P2"), std::string::npos);  // 4B

  const std::string list = "/classes/" + class_3a + "/list";
  web::Response names = t.Get("office", list);
  ASSERT_EQ(names.status, status::ok) << names.body;
  EXPECT_NE(names.body.find("Class list: 3A"), std::string::npos);
  EXPECT_NE(names.body.find("A909123400001"), std::string::npos);
  EXPECT_NE(names.body.find("Parent P3"), std::string::npos);
  EXPECT_NE(names.body.find("07700 900001"), std::string::npos);
  EXPECT_NE(names.body.find(kEscaped), std::string::npos);

  // Linked from the register and the class's dashboard.
  const std::string links = "/register/print?class=" + class_3a + "&date=2026-11-25";
  EXPECT_NE(t.Get("teacher", "/register?class=" + class_3a + "&date=2026-11-25&session=AM")
                .body.find(links),
            std::string::npos);
  EXPECT_NE(t.Get("office", "/school?group=class-" + class_3a).body.find(list), std::string::npos);
  EXPECT_EQ(t.Get("governor", "/school?group=class-" + class_3a).body.find(list),
            std::string::npos);

  // Only for those who may read the class's register.
  for (const char* user : {"teacher2", "governor", "parent"}) {
    EXPECT_EQ(t.Get(user, print).status, status::forbidden) << user;
    EXPECT_EQ(t.Get(user, list).status, status::forbidden) << user;
  }
  EXPECT_EQ(t.Get("office", "/register/print?date=2026-11-25").status, status::bad_request);
  EXPECT_EQ(t.Get("office", "/classes/999/list").status, status::not_found);
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
  EXPECT_NE(res.body.find("No band"), std::string::npos);
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

TEST(PagesTest, PupilPageAndApiShowAttendanceAtPreviousSchoolsToStaffOnly) {
  TestApp t;
  const std::string p1 = std::to_string(t.pupil("P1"));
  store::PreviousAttendance oakfield;
  oakfield.pupil_id = t.pupil("P1");
  oakfield.academic_year = 2025;
  oakfield.lea = "855";
  oakfield.estab = "2001";
  oakfield.school_name = "Oakfield Primary School";
  oakfield.possible = 300;
  oakfield.attended = 290;
  oakfield.authorised = 7;
  oakfield.unauthorised = 3;
  ASSERT_TRUE(t.store()
                  .ImportTransfer({}, {}, {oakfield}, {0, "Ms Office", store::Role::kOffice}, 1,
                                  "Common Transfer File")
                  .ok());
  for (const char* user : {"office", "head", "teacher", "la"}) {
    web::Response page = t.Get(user, "/pupils/" + p1);
    ASSERT_EQ(page.status, status::ok) << user;
    EXPECT_NE(page.body.find("<h2>Attendance at previous schools</h2>"), std::string::npos) << user;
    EXPECT_NE(page.body.find("<tr><td>2025/26</td><td>Oakfield Primary School</td>"
                             "<td class=\"num\">300</td><td class=\"num\">96.7%</td>"
                             "<td class=\"num\">7</td><td class=\"num\">3</td></tr>"),
              std::string::npos)
        << user;
  }
  web::Response parent = t.Get("parent", "/pupils/" + p1);
  ASSERT_EQ(parent.status, status::ok);
  EXPECT_EQ(parent.body.find("Attendance at previous schools"), std::string::npos);

  const nlohmann::json record = Json(t.Get("office", "/api/v1/pupils/" + p1));
  ASSERT_EQ(record["previous_schools"].size(), 1u) << record.dump();
  const nlohmann::json& year = record["previous_schools"][0];
  EXPECT_EQ(year["academic_year"], "2025/26");
  EXPECT_EQ(year["lea"], "855");
  EXPECT_EQ(year["estab"], "2001");
  EXPECT_EQ(year["school_name"], "Oakfield Primary School");
  EXPECT_EQ(year["possible"], 300);
  EXPECT_EQ(year["attended"], 290);
  EXPECT_EQ(year["authorised"], 7);
  EXPECT_EQ(year["unauthorised"], 3);
  EXPECT_NEAR(year["attendance_pct"].get<double>(), 96.667, 0.001);
  EXPECT_TRUE(year["marks_start"].is_null());
  EXPECT_TRUE(Json(t.Get("parent", "/api/v1/pupils/" + p1))["previous_schools"].empty());
}

}  // namespace
}  // namespace rollcall::testing
