// The early-warning page (/early-warning) and the pupil page's section:
// who sees them, the filters, and a bad filter refused by name.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "test_app.h"

namespace rollcall::testing {
namespace {

using web::http::status;
using web::http::verb;

const std::vector<std::string> kReaders = {"head", "office", "attendance", "dsl", "senco"};

bool Reads(const std::string& role) {
  return std::find(kReaders.begin(), kReaders.end(), role) != kReaders.end();
}

// Three more school weeks of registers (2 to 20 November): P1 away without a
// reason every Monday and Friday, P2 in every session. With the test app's
// own two days, P1 has 13 absences in 34 sessions, P2 none; P3, who joined
// on 23 November, has no marks.
void ThreeWeeks(TestApp& t) {
  std::vector<store::MarkWrite> writes;
  for (core::Date d = D("2026-11-02"); d <= D("2026-11-20"); d = d.AddDays(1)) {
    if (d.IsWeekend()) continue;
    const bool away =
        d.weekday() == core::Weekday::kMonday || d.weekday() == core::Weekday::kFriday;
    for (core::Session s : {core::Session::kAm, core::Session::kPm}) {
      const core::AttendanceCode present = s == core::Session::kAm
                                               ? core::AttendanceCode::kPresentAm
                                               : core::AttendanceCode::kPresentPm;
      writes.push_back(
          {t.pupil("P1"), {d, s}, away ? core::AttendanceCode::kOtherUnauthorised : present});
      writes.push_back({t.pupil("P2"), {d, s}, present});
    }
  }
  ASSERT_TRUE(
      t.store().SaveMarks(writes, {t.user("office"), "User office", store::Role::kOffice}, 0).ok());
  ASSERT_TRUE(t.app().Load().ok());
}

TEST(EarlyWarningPageTest, TheListUnderEveryRole) {
  TestApp t;
  const std::vector<std::string> roles = {"head",       "office", "teacher",  "teacher2",
                                          "governor",   "la",     "la_other", "parent",
                                          "attendance", "dsl",    "senco"};
  for (const std::string& role : roles) {
    const web::Response page = t.Get(role, "/early-warning");
    EXPECT_EQ(page.status, Reads(role) ? status::ok : status::forbidden) << role;
    // The menu links to it for those who may read it.
    const web::Response home = t.Get(role, "/pupils");
    if (home.status == status::ok) {
      EXPECT_EQ(home.body.find(R"(href="/early-warning")") != std::string::npos, Reads(role))
          << role;
    }
  }
  EXPECT_NE(t.Anonymous(verb::get, "/early-warning").status, status::ok);
}

TEST(EarlyWarningPageTest, EveryoneInAClassWithTheirChance) {
  TestApp t;
  // Four sessions each so far: too early for anyone.
  web::Response page = t.Get("office", "/early-warning?all=yes");
  ASSERT_EQ(page.status, status::ok) << page.body;
  EXPECT_NE(page.body.find("No pupil in this year or class has a forecast yet. 3 pupils have "
                           "fewer than 20 possible sessions this year"),
            std::string::npos)
      << page.body;
  ThreeWeeks(t);
  const std::string p1 = std::to_string(t.pupil("P1"));
  const std::string p2 = std::to_string(t.pupil("P2"));
  page = t.Get("office", "/early-warning?all=yes");
  ASSERT_EQ(page.status, status::ok) << page.body;
  EXPECT_NE(page.body.find("Early warning"), std::string::npos);
  EXPECT_NE(page.body.find("href=\"/pupils/" + p1 + "\""), std::string::npos);
  EXPECT_NE(page.body.find("href=\"/pupils/" + p2 + "\""), std::string::npos);
  EXPECT_NE(page.body.find("pupils have a chance of 50% or more"), std::string::npos);

  page = t.Get("office", "/early-warning?all=yes&class=" + std::to_string(t.class_id("4B")));
  ASSERT_EQ(page.status, status::ok);
  EXPECT_EQ(page.body.find("href=\"/pupils/" + p1 + "\""), std::string::npos);
  EXPECT_NE(page.body.find("href=\"/pupils/" + p2 + "\""), std::string::npos);

  // Without all=yes, only those at or above the cut-off: P1, not P2.
  page = t.Get("office", "/early-warning");
  ASSERT_EQ(page.status, status::ok);
  EXPECT_NE(page.body.find("href=\"/pupils/" + p1 + "\""), std::string::npos);
  EXPECT_EQ(page.body.find("href=\"/pupils/" + p2 + "\""), std::string::npos);
  EXPECT_NE(page.body.find("1 of 2 pupils have a chance of 50% or more. 1 pupil has fewer than "
                           "20 possible sessions this year: too early for a forecast."),
            std::string::npos)
      << page.body;
  EXPECT_NE(page.body.find("Missed 38% of sessions this year (13 of 34)"), std::string::npos);
  EXPECT_NE(page.body.find("12 sessions this year with no reason accepted (N, O, U or G)"),
            std::string::npos);
  // P1's name is shown as text, never as markup.
  EXPECT_EQ(page.body.find("<script>alert(1)"), std::string::npos);
}

TEST(EarlyWarningPageTest, ABadFilterIsRefusedByName) {
  TestApp t;
  web::Response page = t.Get("office", "/early-warning?year=eleven");
  EXPECT_EQ(page.status, status::bad_request);
  EXPECT_NE(page.body.find("is not a year group"), std::string::npos) << page.body;
  page = t.Get("office", "/early-warning?class=987654");
  EXPECT_EQ(page.status, status::bad_request);
  EXPECT_NE(page.body.find("no class 987654"), std::string::npos) << page.body;
  page = t.Get("office", "/early-warning?class=x");
  EXPECT_EQ(page.status, status::bad_request);
  EXPECT_NE(page.body.find("is not a class"), std::string::npos) << page.body;
}

TEST(EarlyWarningPageTest, ThePupilPageShowsTheChanceToThoseWhoReadTheList) {
  TestApp t;
  ThreeWeeks(t);
  const std::string pupil = "/pupils/" + std::to_string(t.pupil("P1"));
  const std::vector<std::string> roles = {"head",       "office", "teacher",
                                          "attendance", "dsl",    "senco"};
  for (const std::string& role : roles) {
    const web::Response page = t.Get(role, pupil);
    ASSERT_EQ(page.status, status::ok) << role;
    EXPECT_EQ(page.body.find("id=\"early-warning\"") != std::string::npos, Reads(role)) << role;
    if (Reads(role)) {
      EXPECT_NE(page.body.find("persistently absent by the end of the year"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace rollcall::testing
