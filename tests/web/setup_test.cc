// The first-run page (/setup) on a database with no school, and the head's
// calendar page (/settings/calendar).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/error_codes.h"
#include "store/store.h"
#include "support/fake_clock.h"
#include "test_app.h"
#include "web/app.h"

namespace rollcall::testing {
namespace {

using web::http::status;
using web::http::verb;

// `text` percent-encoded for a form body.
std::string Encode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string FormOf(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string body;
  for (const auto& [key, value] : fields) {
    body += (body.empty() ? "" : "&") + key + "=" + Encode(value);
  }
  return body;
}

class EmptySchool {
 public:
  EmptySchool() : store_(store::NewMemoryStore()), clock_(D("2026-08-20"), 10 * 60) {
    app_ = std::make_unique<web::App>(*store_, clock_);
    EXPECT_TRUE(app_->Load().ok());
  }
  web::Response Send(verb method, const std::string& target, const std::string& body = "",
                     const std::string& content_type = "application/x-www-form-urlencoded") {
    web::Request req;
    req.method = method;
    req.target = target;
    req.body = body;
    req.content_type = content_type;
    req.remote_addr = "127.0.0.1";
    req.host = "localhost";
    return app_->Handle(req);
  }
  std::vector<std::pair<std::string, std::string>> GoodAnswers() const {
    return {{"code", app_->SetupCode()},
            {"name", "Oak Primary"},
            {"urn", "123456"},
            {"la", "909"},
            {"estab", "2001"},
            {"phase", "primary"},
            {"address", "1 Oak Lane\nHinckley"},
            {"postcode", "LE10 1AA"},
            {"am_start", "08:45"},
            {"pm_start", "13:15"},
            {"register_close_minutes", "30"},
            {"am_opens_before_minutes", "15"},
            {"pm_opens_before_minutes", "15"},
            {"terms", "Autumn 2026, 2026-09-03, 2026-12-18\n"},
            {"closures", "2026-10-26 to 2026-10-30, Autumn half term\n"},
            {"classes", "3A, Year 3, Mrs Jo Smith <jsmith>\nR, Reception"},
            {"head_username", "head"},
            {"head_name", "Ms Ada Head"},
            {"head_password", "a-long-password"}};
  }

  std::unique_ptr<store::Store> store_;
  FakeClock clock_;
  std::unique_ptr<web::App> app_;
};

TEST(SetupPageTest, OnlySetUpIsServedUntilTheSchoolExists) {
  EmptySchool s;
  const std::string code = s.app_->SetupCode();
  EXPECT_EQ(code.size(), 16u);
  web::Response res = s.Send(verb::get, "/");
  EXPECT_EQ(res.status, status::see_other);
  EXPECT_EQ(Header(res, "Location"), "/setup");
  EXPECT_EQ(Header(s.Send(verb::get, "/login"), "Location"), "/setup");
  res = s.Send(verb::get, "/api/v1/pupils");
  EXPECT_EQ(res.status, status::service_unavailable);
  EXPECT_EQ(ErrorCode(res), core::kErrSchoolUnset);
  EXPECT_EQ(s.Send(verb::get, "/static/app.css").status, status::ok);
  // Without the code the page says where to find it, and has no form.
  res = s.Send(verb::get, "/setup");
  EXPECT_EQ(res.status, status::ok);
  EXPECT_NE(res.body.find("one-time set-up code"), std::string::npos);
  EXPECT_EQ(res.body.find("<form method=\"post\" action=\"/setup\""), std::string::npos);
  EXPECT_EQ(s.Send(verb::get, "/setup?code=0123456789abcdef").status, status::forbidden);
  res = s.Send(verb::get, "/setup?code=" + code);
  EXPECT_EQ(res.status, status::ok);
  EXPECT_NE(res.body.find("action=\"/setup\""), std::string::npos);
  // A form posted with a wrong code writes nothing.
  auto answers = s.GoodAnswers();
  answers[0].second = "0123456789abcdef";
  EXPECT_EQ(s.Send(verb::post, "/setup", FormOf(answers)).status, status::forbidden);
  EXPECT_FALSE(s.store_->GetSchool().ok());
}

TEST(SetupPageTest, ProblemsAreSummarisedAndTheAnswersKept) {
  EmptySchool s;
  auto answers = s.GoodAnswers();
  answers[2].second = "12345";                      // urn
  answers[15].second = "3A, Year 3, Mrs Jo Smith";  // classes: no username
  answers[18].second = "short";                     // head_password
  web::Response res = s.Send(verb::post, "/setup", FormOf(answers));
  EXPECT_EQ(res.status, status::unprocessable_entity);
  EXPECT_NE(res.body.find("govuk-error-summary"), std::string::npos);
  EXPECT_NE(res.body.find("<a href=\"#urn\">Enter the URN"), std::string::npos);
  EXPECT_NE(res.body.find("<a href=\"#classes\">line 1: give the teacher"), std::string::npos);
  EXPECT_NE(res.body.find("<a href=\"#head_password\">"), std::string::npos);
  EXPECT_NE(res.body.find("value=\"Oak Primary\""), std::string::npos);
  EXPECT_NE(res.body.find("Autumn 2026, 2026-09-03, 2026-12-18"), std::string::npos);
  EXPECT_EQ(res.body.find("value=\"short\""), std::string::npos);  // a password is never echoed
  EXPECT_FALSE(s.store_->GetSchool().ok());
}

TEST(SetupPageTest, ATermDatesFileIsReadFromAnUpload) {
  EmptySchool s;
  const std::string boundary = "----rollcall-test";
  std::string body;
  for (const auto& [key, value] : s.GoodAnswers()) {
    if (key == "terms" || key == "closures") continue;
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + key + "\"\r\n\r\n" +
            value + "\r\n";
  }
  body += "--" + boundary +
          "\r\nContent-Disposition: form-data; name=\"term_dates\"; filename=\"terms.json\"\r\n"
          "Content-Type: application/json\r\n\r\n"
          R"({"terms": [{"name": "Autumn", "first_day": "2026-09-01", "last_day": "2026-12-18",)"
          R"( "pupils_start": "2026-09-03"}], "holidays": [{"name": "Autumn half term",)"
          R"( "start": "2026-10-26", "end": "2026-10-30"}]})"
          "\r\n--" +
          boundary + "--\r\n";
  web::Response res =
      s.Send(verb::post, "/setup", body, "multipart/form-data; boundary=" + boundary);
  ASSERT_EQ(res.status, status::see_other) << res.body.substr(0, 2000);
  EXPECT_EQ(Header(res, "Location"), "/login");
  std::vector<store::Term> terms = *s.store_->ListTerms();
  ASSERT_EQ(terms.size(), 1u);
  EXPECT_EQ(terms[0].name, "Autumn 2026");
  std::vector<store::Closure> closures = *s.store_->ListClosures();
  ASSERT_EQ(closures.size(), 7u);  // 1-2 September INSET, half term Monday to Friday
  EXPECT_EQ(closures[0].reason, "INSET day (staff training)");
}

TEST(SetupPageTest, SetUpWritesTheSchoolAndTheHeadLogsIn) {
  EmptySchool s;
  web::Response res = s.Send(verb::post, "/setup", FormOf(s.GoodAnswers()));
  ASSERT_EQ(res.status, status::see_other) << res.body.substr(0, 2000);
  EXPECT_EQ(Header(res, "Location"), "/login");
  EXPECT_EQ(s.app_->SetupCode(), "");
  EXPECT_EQ(s.store_->GetSchool()->establishment_number, "2001");
  EXPECT_EQ(s.store_->ListClosures()->size(), 5u);
  // Set-up is over: its page sends people to the start (and so to log in),
  // and the login works.
  EXPECT_EQ(Header(s.Send(verb::get, "/setup"), "Location"), "/");
  EXPECT_EQ(s.Send(verb::get, "/login").status, status::ok);
  web::Request login;
  login.method = verb::post;
  login.target = "/api/v1/login";
  login.body = R"({"username":"head","password":"a-long-password"})";
  login.remote_addr = "127.0.0.1";
  login.host = "localhost";
  EXPECT_EQ(s.app_->Handle(login).status, status::ok);
}

TEST(CalendarPageTest, TheHeadChangesTermsUnlessMarksWouldBeOrphaned) {
  TestApp t;
  web::Response res = t.Get("head", "/settings/calendar");
  ASSERT_EQ(res.status, status::ok);
  EXPECT_NE(res.body.find("Autumn 2026, 2026-09-02, 2026-12-18"), std::string::npos);
  EXPECT_NE(res.body.find("2026-10-26, Half term"), std::string::npos);
  EXPECT_EQ(t.Get("teacher", "/settings/calendar").status, status::forbidden);

  const std::string p1 = std::to_string(t.pupil("P1"));
  ASSERT_EQ(
      t.As("office", verb::put, "/api/v1/registers/2026-11-24/AM/marks/" + p1, R"({"code":"/"})")
          .status,
      status::ok);
  res = t.As("head", verb::post, "/settings/calendar",
             FormOf({{"terms", "Autumn 2026, 2026-11-25, 2026-12-18"}, {"closures", ""}}));
  EXPECT_EQ(res.status, status::conflict);
  // The first session with a mark the new calendar would close, then how many more.
  EXPECT_NE(res.body.find("would not open: Mon 23 November 2026 AM and 3 more"), std::string::npos)
      << res.body;
  EXPECT_EQ(t.store().ListTerms()->front().start, D("2026-09-02"));

  res = t.As("head", verb::post, "/settings/calendar",
             FormOf({{"terms",
                      "Autumn 2026, 2026-09-02, 2026-12-18\n"
                      "Spring 2027, 2027-01-05, 2027-03-26"},
                     {"closures",
                      "2026-10-26, Half term\n2027-02-15 to 2027-02-19, Spring half "
                      "term"}}));
  EXPECT_EQ(res.status, status::ok);
  EXPECT_NE(res.body.find("Calendar saved."), std::string::npos);
  EXPECT_EQ(t.store().ListTerms()->size(), 2u);
  EXPECT_EQ(t.store().ListClosures()->size(), 6u);
}

}  // namespace
}  // namespace rollcall::testing
