// The dashboard (page and GET /api/v1/school/dashboard) and the governors'
// report: figures from the same evaluation as the school summary, groups,
// small-group suppression for governors, and who sees names.
#include <gtest/gtest.h>

#include <string>

#include "test_app.h"

namespace rollcall::testing {
namespace {

using web::http::status;
using web::http::verb;

nlohmann::json GetJson(TestApp& t, const std::string& user, const std::string& target,
                       status expected = status::ok) {
  web::Response res = t.Get(user, target);
  EXPECT_EQ(res.status, expected) << target << ": " << res.body;
  return nlohmann::json::parse(res.body);
}

TEST(DashboardTest, SchoolFiguresAgreeWithTheSummaryWeekByWeek) {
  TestApp t;
  const nlohmann::json d = GetJson(t, "head", "/api/v1/school/dashboard?as_of=2026-11-25");
  const nlohmann::json s = GetJson(t, "head", "/api/v1/school/summary?as_of=2026-11-25");
  EXPECT_EQ(d["group"]["id"], "school");
  EXPECT_FALSE(d["suppressed"]);
  EXPECT_EQ(d["summary"], s["school"]);
  int64_t possible = 0, attended = 0, weekday_possible = 0;
  for (const auto& w : d["weeks"]) {
    possible += w["possible"].get<int64_t>();
    attended += w["attended"].get<int64_t>();
  }
  for (const auto& w : d["weekdays"]) weekday_possible += w["possible"].get<int64_t>();
  EXPECT_EQ(possible, s["school"]["possible"].get<int64_t>());
  EXPECT_EQ(attended, s["school"]["attended"].get<int64_t>());
  EXPECT_EQ(weekday_possible, possible);
  // P1's illness on Monday 23 November is the only absence.
  ASSERT_EQ(d["reasons"].size(), 1u);
  EXPECT_EQ(d["reasons"][0]["code"], "I");
  EXPECT_EQ(d["reasons"][0]["sessions"], 1);
  EXPECT_EQ(d["weekdays"][0]["day"], "Monday");
  EXPECT_EQ(d["weekdays"][0]["absence"], 1);
  EXPECT_EQ(d["weeks"].back()["week_start"], "2026-11-23");
  // No intervention has had four school weeks after it yet.
  EXPECT_EQ(d["impact"]["school_weeks"], 4);
  EXPECT_TRUE(d["impact"]["by_type"].empty());
}

TEST(DashboardTest, GroupsAreYearsClassesAndCohorts) {
  TestApp t;
  const std::string a3 = std::to_string(t.class_id("3A"));
  EXPECT_EQ(GetJson(t, "office", "/api/v1/school/dashboard?group=class-" + a3)["summary"]["pupils"],
            1);  // P1; P3 joined on Monday and has no mark yet, so no possible session
  EXPECT_EQ(GetJson(t, "office", "/api/v1/school/dashboard?group=year-4")["summary"]["pupils"], 1);
  const nlohmann::json fsm = GetJson(t, "office", "/api/v1/school/dashboard?group=cohort-FSM");
  EXPECT_EQ(fsm["summary"], GetJson(t, "office", "/api/v1/school/summary")["cohorts"]["FSM"]);
  const nlohmann::json unknown =
      GetJson(t, "office", "/api/v1/school/dashboard?group=class-999", status::not_found);
  EXPECT_EQ(unknown["error"]["message"],
            "no group 'class-999': use school, year-N, class-ID or cohort-TAG as listed");
  GetJson(t, "office", "/api/v1/school/dashboard?as_of=2026-13-01", status::bad_request);
}

TEST(DashboardTest, GovernorsSeeNoSmallGroupAndNoName) {
  TestApp t;
  // The test school has three pupils: too few to show anyone who may not see names.
  const nlohmann::json d = GetJson(t, "governor", "/api/v1/school/dashboard");
  EXPECT_TRUE(d["suppressed"]);
  EXPECT_FALSE(d.contains("summary"));
  EXPECT_EQ(d["message"], "fewer than 5 pupils: figures are not shown");
  // Staff who may see pupils see the figures of the same group.
  EXPECT_FALSE(GetJson(t, "teacher", "/api/v1/school/dashboard")["suppressed"]);
  web::Response page = t.Get("governor", "/school");
  EXPECT_EQ(page.status, status::ok);
  EXPECT_NE(page.body.find("fewer than 5 pupils"), std::string::npos);
  EXPECT_EQ(page.body.find("Pupil P"), std::string::npos);
  EXPECT_EQ(page.body.find("alert(1)"), std::string::npos);
}

TEST(DashboardTest, PersistentAbsenceListShowsOnlyPupilsTheReaderMaySee) {
  TestApp t;
  // P1: 1 session of 8 missed (12.5%), persistently absent; name escaped.
  web::Response head = t.Get("head", "/school");
  ASSERT_EQ(head.status, status::ok);
  EXPECT_NE(head.body.find("Persistently absent pupils (1)"), std::string::npos);
  EXPECT_NE(head.body.find("&lt;script&gt;alert(1)&lt;/script&gt; P1"), std::string::npos);
  EXPECT_EQ(head.body.find("<script>alert"), std::string::npos);
  EXPECT_NE(head.body.find("data-chart="), std::string::npos);
  EXPECT_NE(head.body.find("National primary, 2024/25"), std::string::npos);
  web::Response other = t.Get("teacher2", "/school");  // 4B's teacher: not P1's
  EXPECT_NE(other.body.find("Persistently absent pupils (0)"), std::string::npos);
  EXPECT_EQ(other.body.find("alert(1)"), std::string::npos);
  EXPECT_EQ(t.Get("head", "/school?group=nothing").status, status::not_found);
  EXPECT_EQ(t.Get("parent", "/school").status, status::forbidden);
}

TEST(DashboardTest, GovernorsReportIsHalfTermlyAndNamesNobody) {
  TestApp t;
  web::Response res = t.Get("governor", "/governors");
  ASSERT_EQ(res.status, status::ok);
  EXPECT_NE(res.body.find("Half-term 1"), std::string::npos);
  EXPECT_NE(res.body.find("Year to date"), std::string::npos);
  EXPECT_NE(res.body.find("National (primary, 2024/25)"), std::string::npos);
  EXPECT_NE(res.body.find("Free school meals</th><td colspan=\"6\">fewer than 5 pupils"),
            std::string::npos);
  EXPECT_EQ(res.body.find("Pupil P"), std::string::npos);
  EXPECT_EQ(res.body.find("alert(1)"), std::string::npos);
  EXPECT_EQ(t.Get("parent", "/governors").status, status::forbidden);
  EXPECT_EQ(t.Get("la_other", "/governors").status, status::forbidden);
  EXPECT_EQ(t.Get("la", "/governors").status, status::ok);
}

}  // namespace
}  // namespace rollcall::testing
