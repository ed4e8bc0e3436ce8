// The school day on the register page and in the API: a register not yet
// open, or not the reader's to mark, has no buttons and says why; the state
// and countdown come from the server's clock; opening times are settings.
#include <gtest/gtest.h>

#include <string>

#include "test_app.h"

namespace rollcall::testing {
namespace {

using web::http::status;
using web::http::verb;

bool HasMarkButtons(const std::string& page) {
  return page.find("data-key=") != std::string::npos ||
         page.find("/register/all-present") != std::string::npos;
}

TEST(SchoolDayPageTest, TheAfternoonRegisterBeforeItOpensHasNoButtonsAndSaysWhen) {
  TestApp t;  // 10:00 on Wednesday 25 November 2026
  const std::string cls = std::to_string(t.class_id("3A"));
  web::Response pm = t.Get("teacher", "/register?class=" + cls + "&date=2026-11-25&session=PM");
  ASSERT_EQ(pm.status, status::ok);
  EXPECT_NE(pm.body.find(">Opens at 13:00<"), std::string::npos) << pm.body;
  EXPECT_NE(pm.body.find("The afternoon register opens at 13:00."), std::string::npos);
  EXPECT_FALSE(HasMarkButtons(pm.body));
  // The countdown's moments are the server's (ms since 1970), not the browser's.
  const int64_t now_ms = t.clock().NowSeconds() * 1000;
  EXPECT_NE(pm.body.find("data-now=\"" + std::to_string(now_ms) + "\""), std::string::npos);
  EXPECT_NE(pm.body.find("data-opens=\"" + std::to_string(now_ms + 3 * 3600 * 1000) + "\""),
            std::string::npos);

  web::Response am = t.Get("teacher", "/register?class=" + cls + "&date=2026-11-25&session=AM");
  EXPECT_NE(am.body.find(">Closed: late arrivals are U<"), std::string::npos) << am.body;
  EXPECT_TRUE(HasMarkButtons(am.body));

  const nlohmann::json reg =
      nlohmann::json::parse(t.Get("teacher", "/api/v1/registers/2026-11-25/PM?class=" + cls).body);
  EXPECT_EQ(reg["opens_at"], "13:00");
  EXPECT_EQ(reg["state"], "not_open");
  EXPECT_EQ(reg["read_only"], "The afternoon register opens at 13:00");
  web::Response early = t.As(
      "teacher", verb::put,
      "/api/v1/registers/2026-11-25/PM/marks/" + std::to_string(t.pupil("P1")), R"({"code":"\\"})");
  EXPECT_EQ(early.status, status::conflict);
  EXPECT_EQ(nlohmann::json::parse(early.body)["error"]["code"], "REGISTER_NOT_OPEN");
}

TEST(SchoolDayPageTest, YesterdaysRegisterIsReadOnlyForATeacherAndSaysWhy) {
  TestApp t;
  const std::string cls = std::to_string(t.class_id("3A"));
  const std::string path = "/register?class=" + cls + "&date=2026-11-24&session=AM";
  web::Response teacher = t.Get("teacher", path);
  ASSERT_EQ(teacher.status, status::ok);
  EXPECT_FALSE(HasMarkButtons(teacher.body));
  EXPECT_NE(teacher.body.find("id=\"read-only\""), std::string::npos);
  EXPECT_NE(teacher.body.find("Registers before today are changed by the attendance office"),
            std::string::npos);
  EXPECT_TRUE(HasMarkButtons(t.Get("office", path).body));  // the office amends it
}

TEST(SchoolDayPageTest, OpeningTimesAreInTheSettingsApi) {
  TestApp t;
  nlohmann::json s = nlohmann::json::parse(t.Get("office", "/api/v1/settings").body);
  EXPECT_EQ(s["am_open"], "08:30");
  EXPECT_EQ(s["pm_open"], "13:00");
  web::Response set =
      t.As("head", verb::put, "/api/v1/settings", R"({"am_open":"08:35","pm_open":"13:05"})");
  ASSERT_EQ(set.status, status::ok) << set.body;
  s = nlohmann::json::parse(set.body);
  EXPECT_EQ(s["am_open"], "08:35");
  EXPECT_EQ(s["pm_open"], "13:05");
  web::Response late = t.As("head", verb::put, "/api/v1/settings", R"({"am_open":"09:00"})");
  EXPECT_EQ(late.status, status::bad_request);
  EXPECT_EQ(nlohmann::json::parse(late.body)["error"]["message"],
            "The morning register cannot open at 09:00, after the session starts at 08:45");
}

}  // namespace
}  // namespace rollcall::testing
