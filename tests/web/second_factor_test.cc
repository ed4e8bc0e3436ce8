// The second factor's pages: the code after the password on the login page,
// enrolling from one's account with the QR code, enrolling straight after
// the password when the school requires it, and the head's page with the
// setting and resets.
#include <gtest/gtest.h>

#include <string>

#include "io/totp.h"
#include "test_app.h"

namespace rollcall::testing {
namespace {

using web::http::status;
using web::http::verb;

// A browser: its cookies, sent back on each request.
class Browser {
 public:
  explicit Browser(TestApp& t) : t_(t) {}

  web::Response Send(verb method, const std::string& target, const std::string& body = "") {
    web::Request req;
    req.method = method;
    req.target = target;
    req.body = body;
    req.remote_addr = "127.0.0.1";
    req.host = "localhost";
    std::string cookie;
    for (const auto& [name, value] : cookies_) {
      cookie += (cookie.empty() ? "" : "; ") + name + "=" + value;
    }
    req.cookie = cookie;
    web::Response res = t_.app().Handle(req);
    for (const auto& [name, value] : res.headers) {
      if (name != "Set-Cookie") continue;
      const std::string pair = value.substr(0, value.find(';'));
      const size_t eq = pair.find('=');
      if (pair.substr(eq + 1).empty()) {
        cookies_.erase(pair.substr(0, eq));
      } else {
        cookies_[pair.substr(0, eq)] = pair.substr(eq + 1);
      }
    }
    return res;
  }
  bool Has(const std::string& cookie) const { return cookies_.contains(cookie); }

 private:
  TestApp& t_;
  std::map<std::string, std::string> cookies_;
};

// The raw secret the store holds for `user_id`, and its code now.
std::string Code(TestApp& t, int64_t user_id) {
  const std::string hex = t.store().GetSecondFactor(user_id)->secret;
  std::string secret;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    secret += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return *io::TotpCode(secret, t.clock().NowSeconds());
}

// `user` enrols from their account page; the clock then moves a step on.
void EnrolFromAccount(TestApp& t, const std::string& user) {
  web::Response start = t.As(user, verb::post, "/account/second-factor/start");
  ASSERT_EQ(start.status, status::see_other) << start.body;
  web::Response shown = t.Get(user, Header(start, "Location"));
  ASSERT_EQ(shown.status, status::ok);
  web::Response on =
      t.As(user, verb::post, "/account/second-factor/confirm", "code=" + Code(t, t.user(user)));
  ASSERT_EQ(on.status, status::ok) << on.body;
  ASSERT_NE(on.body.find("id=\"recovery-codes\""), std::string::npos);
  t.clock().AdvanceSeconds(30);
}

TEST(SecondFactorPagesTest, EnrolmentShowsTheQrCodeAsAnImageAndTheKeyAsText) {
  TestApp t;
  web::Response page = t.Get("office", "/account/second-factor");
  EXPECT_EQ(page.status, status::ok);
  EXPECT_NE(page.body.find("Your second factor is <strong>off"), std::string::npos);
  web::Response start = t.As("office", verb::post, "/account/second-factor/start");
  ASSERT_EQ(start.status, status::see_other);
  web::Response shown = t.Get("office", "/account/second-factor?done=start");
  ASSERT_EQ(shown.status, status::ok);
  EXPECT_NE(shown.body.find(R"(<img id="second-factor-qr" src="data:image/svg+xml;base64,)"),
            std::string::npos);
  EXPECT_NE(shown.body.find("otpauth://totp/Test%20Primary:office?secret="), std::string::npos);
  EXPECT_NE(shown.body.find("id=\"second-factor-secret\""), std::string::npos);
  // The page's policy allows no inline style, and the page has none.
  EXPECT_EQ(shown.body.find("style="), std::string::npos);

  web::Response wrong = t.As("office", verb::post, "/account/second-factor/confirm", "code=000000");
  if (Code(t, t.user("office")) != "000000") {
    EXPECT_EQ(wrong.status, status::bad_request) << wrong.body;
    EXPECT_NE(wrong.body.find("the code is not right"), std::string::npos);
  }
  web::Response on = t.As("office", verb::post, "/account/second-factor/confirm",
                          "code=" + Code(t, t.user("office")));
  ASSERT_EQ(on.status, status::ok) << on.body;
  EXPECT_NE(on.body.find("Your recovery codes"), std::string::npos);
  // Never shown again.
  web::Response after = t.Get("office", "/account/second-factor?done=start");
  EXPECT_NE(after.body.find("Your second factor is <strong>on"), std::string::npos);
  EXPECT_EQ(after.body.find("second-factor-secret"), std::string::npos);
}

TEST(SecondFactorPagesTest, TheLoginPageAsksForTheCodeAfterThePassword) {
  TestApp t;
  EnrolFromAccount(t, "office");
  // The API's login will not do.
  EXPECT_EQ(ErrorCode(t.Login("office", TestApp::kPassword)), "SECOND_FACTOR_NEEDED");

  Browser b(t);
  web::Response password = b.Send(verb::post, "/login", "username=office&password=correct-horse");
  ASSERT_EQ(password.status, status::see_other) << password.body;
  EXPECT_EQ(Header(password, "Location"), "/login/code");
  EXPECT_TRUE(b.Has("rollcall_pending"));
  EXPECT_FALSE(b.Has("rollcall_session"));
  EXPECT_NE(Header(password, "Set-Cookie").find("Path=/login; HttpOnly; SameSite=Strict"),
            std::string::npos);
  // No page opens on the pending login alone.
  EXPECT_EQ(Header(b.Send(verb::get, "/today"), "Location"), "/login");

  web::Response form = b.Send(verb::get, "/login/code");
  EXPECT_EQ(form.status, status::ok);
  EXPECT_NE(form.body.find("Your one-time code"), std::string::npos);
  const std::string right = Code(t, t.user("office"));
  const std::string wrong = right == "111111" ? "222222" : "111111";
  web::Response refused = b.Send(verb::post, "/login/code", "code=" + wrong);
  EXPECT_EQ(refused.status, status::unauthorized);
  EXPECT_NE(refused.body.find("4 tries left"), std::string::npos) << refused.body;

  web::Response in = b.Send(verb::post, "/login/code", "code=" + right);
  ASSERT_EQ(in.status, status::see_other) << in.body;
  EXPECT_EQ(Header(in, "Location"), "/");
  EXPECT_TRUE(b.Has("rollcall_session"));
  EXPECT_FALSE(b.Has("rollcall_pending"));
  EXPECT_EQ(b.Send(verb::get, "/api/v1/me").status, status::ok);
  // Another browser with no pending login gets nowhere.
  Browser other(t);
  EXPECT_EQ(other.Send(verb::get, "/login/code").status, status::unauthorized);
  EXPECT_EQ(other.Send(verb::post, "/login/code", "code=" + right).status, status::unauthorized);
}

TEST(SecondFactorPagesTest, FiveWrongCodesEndTheLogin) {
  TestApp t;
  EnrolFromAccount(t, "office");
  Browser b(t);
  ASSERT_EQ(b.Send(verb::post, "/login", "username=office&password=correct-horse").status,
            status::see_other);
  const std::string right = Code(t, t.user("office"));
  const std::string wrong = right == "111111" ? "222222" : "111111";
  web::Response last;
  for (int i = 0; i < 5; ++i) last = b.Send(verb::post, "/login/code", "code=" + wrong);
  EXPECT_EQ(last.status, status::unauthorized);
  EXPECT_NE(last.body.find("this login has ended"), std::string::npos) << last.body;
  EXPECT_FALSE(b.Has("rollcall_pending"));
}

TEST(SecondFactorPagesTest, TheRequirementSendsTheDslToEnrolStraightAfterThePassword) {
  TestApp t;
  web::Response set = t.As("head", verb::post, "/second-factor/required", "required=yes");
  ASSERT_EQ(set.status, status::see_other) << set.body;
  EXPECT_NE(t.Get("head", "/second-factor").body.find("<strong>required</strong>"),
            std::string::npos);

  Browser b(t);
  web::Response password = b.Send(verb::post, "/login", "username=dsl&password=correct-horse");
  ASSERT_EQ(password.status, status::see_other);
  EXPECT_EQ(Header(password, "Location"), "/login/enrol");
  // The code page sends it back to enrol.
  EXPECT_EQ(Header(b.Send(verb::get, "/login/code"), "Location"), "/login/enrol");
  web::Response form = b.Send(verb::get, "/login/enrol");
  ASSERT_EQ(form.status, status::ok) << form.body;
  EXPECT_NE(form.body.find("data:image/svg+xml;base64,"), std::string::npos);
  web::Response done = b.Send(verb::post, "/login/enrol", "code=" + Code(t, t.user("dsl")));
  ASSERT_EQ(done.status, status::ok) << done.body;
  EXPECT_NE(done.body.find("id=\"recovery-codes\""), std::string::npos);
  EXPECT_TRUE(b.Has("rollcall_session"));
  EXPECT_EQ(b.Send(verb::get, "/api/v1/me").status, status::ok);

  // A teacher is not asked.
  Browser teacher(t);
  EXPECT_EQ(Header(teacher.Send(verb::post, "/login", "username=teacher&password=correct-horse"),
                   "Location"),
            "/");
}

TEST(SecondFactorPagesTest, TheHeadResetsAColleaguesAndTheLogSaysSo) {
  TestApp t;
  EnrolFromAccount(t, "office");
  web::Response page = t.Get("head", "/second-factor");
  ASSERT_EQ(page.status, status::ok);
  EXPECT_NE(page.body.find("Reset (lost phone)"), std::string::npos);
  web::Response reset = t.As("head", verb::post, "/second-factor/reset",
                             "user_id=" + std::to_string(t.user("office")));
  ASSERT_EQ(reset.status, status::see_other) << reset.body;
  web::Response after = t.Get("head", "/second-factor?done=reset");
  EXPECT_NE(after.body.find("reset by the head"), std::string::npos);
  EXPECT_NE(after.body.find("Their second factor is reset."), std::string::npos);
  // The office logs in with the password alone again.
  Browser b(t);
  EXPECT_EQ(
      Header(b.Send(verb::post, "/login", "username=office&password=correct-horse"), "Location"),
      "/");
}

TEST(SecondFactorPagesTest, TurningItOffTakesThePasswordAndACode) {
  TestApp t;
  EnrolFromAccount(t, "teacher");
  web::Response wrong = t.As("teacher", verb::post, "/account/second-factor/off",
                             "password=wrong&code=" + Code(t, t.user("teacher")));
  EXPECT_EQ(wrong.status, status::unauthorized) << wrong.body;
  web::Response off = t.As("teacher", verb::post, "/account/second-factor/off",
                           "password=correct-horse&code=" + Code(t, t.user("teacher")));
  ASSERT_EQ(off.status, status::see_other) << off.body;
  EXPECT_NE(t.Get("teacher", "/account/second-factor?done=off")
                .body.find("Your second factor is turned off."),
            std::string::npos);
}

}  // namespace
}  // namespace rollcall::testing
