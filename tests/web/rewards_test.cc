// The rewards page (/rewards): the class table ranked, its CSV, the 100%
// list for those who may see names and not for governors, the settings
// page's medical exclusion, and certificates printed as a batch of letters.
#include <gtest/gtest.h>

#include <string>

#include "test_app.h"

namespace rollcall::testing {
namespace {

using web::http::status;
using web::http::verb;

// The test school this week: P1 (3A) ill on Monday morning, P2 (4B) in
// school on Monday and Tuesday, P3 (3A) joined on Monday with no marks.
TEST(RewardsPageTest, TheClassTableIsRankedAndTheHundredPercentListNamesPupils) {
  TestApp t;
  const web::Response page = t.Get("head", "/rewards");
  ASSERT_EQ(page.status, status::ok) << page.body;
  EXPECT_NE(page.body.find("Rewards: this week"), std::string::npos);
  EXPECT_NE(page.body.find("id=\"class-table\""), std::string::npos);
  // 4B (every session) ranks above 3A (one absence in four).
  const size_t four_b = page.body.find("<th scope=\"row\">4B</th>");
  const size_t three_a = page.body.find("<th scope=\"row\">3A</th>");
  ASSERT_NE(four_b, std::string::npos);
  ASSERT_NE(three_a, std::string::npos);
  EXPECT_LT(four_b, three_a);
  EXPECT_NE(page.body.find("100.0%"), std::string::npos);
  EXPECT_NE(page.body.find("75.0%"), std::string::npos);
  EXPECT_NE(page.body.find("id=\"full-attendance\""), std::string::npos);
  EXPECT_NE(page.body.find(std::to_string(t.pupil("P2")) + "\">Pupil P2</a>"), std::string::npos);
  EXPECT_EQ(page.body.find("\">Pupil P3</a>"), std::string::npos) << "no possible session yet";
  EXPECT_NE(page.body.find("Print certificates"), std::string::npos);
  // The other periods, and a period that is none.
  EXPECT_EQ(t.Get("head", "/rewards?period=half-term").status, status::ok);
  EXPECT_EQ(t.Get("head", "/rewards?period=year").status, status::ok);
  EXPECT_NE(t.Get("head", "/rewards?period=fortnight").status, status::ok);
}

TEST(RewardsPageTest, TheClassTableDownloadsAsCsv) {
  TestApp t;
  const web::Response csv = t.Get("office", "/rewards.csv?period=week");
  ASSERT_EQ(csv.status, status::ok) << csv.body;
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(csv.body,
            "rank,class,year_group,pupils,possible_sessions,attended_sessions,attendance_pct\r\n"
            "1,\"4B\",4,1,4,4,100.0\r\n"
            "2,\"3A\",3,1,4,3,75.0\r\n");
  EXPECT_NE(Header(csv, "Content-Disposition").find("class-attendance-week-2026-11-23"),
            std::string::npos);
}

TEST(RewardsPageTest, TheListsDownloadAsCsvWithTheNamesTheReaderMaySee) {
  TestApp t;
  const std::string header =
      "pupil_id,pupil,class,possible_sessions,attended_sessions,attendance_pct\r\n";
  const web::Response full = t.Get("office", "/rewards.csv?period=week&list=full");
  ASSERT_EQ(full.status, status::ok) << full.body;
  EXPECT_EQ(full.body,
            header + std::to_string(t.pupil("P2")) + ",\"Pupil P2\",\"4B\",4,4,100.0\r\n");
  // P2 is not in the teacher's class, and a governor names no one.
  EXPECT_EQ(t.Get("teacher", "/rewards.csv?period=week&list=full").body, header);
  EXPECT_EQ(t.Get("governor", "/rewards.csv?period=week&list=full").body, header);
  EXPECT_EQ(t.Get("teacher2", "/rewards.csv?period=week&list=full").body, full.body);
  const web::Response improved = t.Get("office", "/rewards.csv?period=week&list=improved");
  EXPECT_TRUE(improved.body.starts_with(
      "pupil_id,pupil,class,possible_sessions,attended_sessions,attendance_pct,"
      "previous_possible_sessions,previous_attended_sessions,previous_pct\r\n"))
      << improved.body;
  EXPECT_NE(t.Get("office", "/rewards.csv?period=week&list=everyone").status, status::ok);
}

TEST(RewardsPageTest, GovernorsSeeFiguresOnlyAndFamiliesNothing) {
  TestApp t;
  const web::Response page = t.Get("governor", "/rewards");
  ASSERT_EQ(page.status, status::ok) << page.body;
  EXPECT_EQ(page.body.find("Pupil P"), std::string::npos);
  EXPECT_EQ(page.body.find("100% attendance"), std::string::npos);
  EXPECT_NE(page.body.find("no pupil is named"), std::string::npos);
  for (const char* role : {"parent", "la", "la_other"}) {
    EXPECT_EQ(t.Get(role, "/rewards").status, status::forbidden) << role;
    EXPECT_EQ(t.Get(role, "/rewards.csv").status, status::forbidden) << role;
  }
}

TEST(RewardsPageTest, CertificatesPrintAsABatchOfLetters) {
  TestApp t;
  const web::Response sent =
      t.As("office", verb::post, "/rewards/certificates", "period=week&kind=full");
  ASSERT_EQ(sent.status, status::see_other) << sent.body;
  const std::string batch = Header(sent, "Location");
  EXPECT_TRUE(batch.starts_with("/letters/batch/")) << batch;
  const web::Response letters = t.Get("office", batch);
  ASSERT_EQ(letters.status, status::ok);
  EXPECT_NE(letters.body.find("100% attendance: Pupil P2"), std::string::npos);
  EXPECT_EQ(t.Get("office", batch + ".pdf").status, status::ok);
  // Nobody improved on last week (no marks then): nothing printed.
  EXPECT_EQ(t.As("office", verb::post, "/rewards/certificates", "period=week&kind=improved").status,
            status::bad_request);
  EXPECT_EQ(t.As("teacher", verb::post, "/rewards/certificates", "period=week&kind=full").status,
            status::forbidden);
}

TEST(RewardsPageTest, TheHeadSetsTheMedicalExclusionOnTheSettingsPage) {
  TestApp t;
  EXPECT_EQ(t.Get("head", "/settings")
                .body.find("name=\"rewards_exclude_medical\" "
                           "type=\"checkbox\" value=\"1\" checked"),
            std::string::npos);
  const web::Response saved =
      t.As("head", verb::post, "/settings", "rewards_box=1&rewards_exclude_medical=1");
  EXPECT_EQ(saved.status, status::ok) << saved.body;
  EXPECT_NE(t.Get("head", "/settings")
                .body.find("name=\"rewards_exclude_medical\" "
                           "type=\"checkbox\" value=\"1\" checked"),
            std::string::npos);
  EXPECT_EQ(Json(t.Get("head", "/api/v1/settings"))["rewards_exclude_medical"], true);
  EXPECT_NE(t.Get("head", "/rewards").body.find("known medical condition are left out"),
            std::string::npos);
  // The box unticked turns it off again.
  EXPECT_EQ(t.As("head", verb::post, "/settings", "rewards_box=1").status, status::ok);
  EXPECT_EQ(Json(t.Get("head", "/api/v1/settings"))["rewards_exclude_medical"], false);
  EXPECT_EQ(
      t.As("head", verb::put, "/api/v1/settings", R"({"rewards_exclude_medical": "yes"})").status,
      status::bad_request);
}

}  // namespace
}  // namespace rollcall::testing
