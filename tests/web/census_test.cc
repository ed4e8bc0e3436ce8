// The school census page (/census), its downloads and who may use them:
// the head and the office make the return, no one else; the LA officer sees
// the school's last return on the school's page.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "service/la_directory.h"
#include "test_app.h"

namespace rollcall::testing {
namespace {

using web::http::status;
using web::http::verb;

const std::vector<std::string> kCensusRoles = {"head", "office", "teacher",  "governor",
                                               "la",   "parent", "la_other", "attendance",
                                               "dsl",  "senco"};

TEST(CensusPageTest, TheHeadSeesTheChecksTotalsAndDownloads) {
  TestApp t;
  web::Response page = t.Get("head", "/census?census=spring&year=2027");
  ASSERT_EQ(page.status, status::ok) << page.body;
  EXPECT_NE(page.body.find("School census: attendance"), std::string::npos);
  EXPECT_NE(page.body.find("Spring census 2027 (census day 21 January 2027)"), std::string::npos)
      << page.body;
  EXPECT_NE(page.body.find("Autumn term: 1 August 2026 to 31 December 2026"), std::string::npos);
  EXPECT_NE(page.body.find("The term has not ended: the figures are to 25 November 2026."),
            std::string::npos);
  EXPECT_NE(page.body.find("Totals by year group"), std::string::npos);
  EXPECT_NE(page.body.find("Download the return (XML)"), std::string::npos);
  EXPECT_NE(page.body.find("/census/return.csv?census=spring&amp;year=2027"), std::string::npos);
  EXPECT_NE(page.body.find("No return has been downloaded yet."), std::string::npos);
  // Without a choice, the census that returns the last term to have ended.
  web::Response latest = t.Get("head", "/census");
  EXPECT_EQ(latest.status, status::ok);
  EXPECT_NE(latest.body.find("Autumn census 2026"), std::string::npos);
  // A year typed wrong is said, with the form to try again.
  web::Response bad = t.Get("head", "/census?census=spring&year=27");
  EXPECT_EQ(bad.status, status::bad_request);
  EXPECT_NE(bad.body.find("as four digits"), std::string::npos);
  EXPECT_NE(bad.body.find("value=\"27\""), std::string::npos);
  // A download refused is said in the page with the school's name, as every page is.
  web::Response refused = t.As("head", verb::post, "/census/return.xml", "census=spring&year=27");
  EXPECT_EQ(refused.status, status::bad_request);
  EXPECT_NE(refused.body.find("Not downloaded"), std::string::npos);
  EXPECT_NE(refused.body.find("Test Primary"), std::string::npos) << refused.body;
}

TEST(CensusPageTest, DownloadingTheXmlRecordsTheReturnForTheSchoolAndTheLa) {
  TestApp t;
  web::Response xml = t.As("head", verb::post, "/census/return.xml", "census=spring&year=2027");
  ASSERT_EQ(xml.status, status::ok) << xml.body;
  EXPECT_EQ(Header(xml, "Content-Disposition"), "attachment; filename=\"census-spring-2027.xml\"");
  EXPECT_EQ(xml.body.rfind("<?xml", 0), 0u);
  EXPECT_NE(xml.body.find("<Collection>SC</Collection>"), std::string::npos);
  web::Response csv = t.Get("office", "/census/return.csv?census=spring&year=2027");
  ASSERT_EQ(csv.status, status::ok) << csv.body;
  EXPECT_EQ(csv.body.rfind("census,year,part,upn,", 0), 0u);

  web::Response page = t.Get("head", "/census?census=spring&year=2027");
  EXPECT_NE(page.body.find("Returns downloaded"), std::string::npos);
  EXPECT_EQ(page.body.find("No return has been downloaded yet."), std::string::npos);
  // Each return downloaded can be fetched again, as it was sent.
  const int64_t id = t.store().CensusReturns()->front().id;
  const std::string again_link = "/census/returns/" + std::to_string(id) + ".xml";
  EXPECT_NE(page.body.find("href=\"" + again_link + "\">Download again"), std::string::npos)
      << page.body;
  web::Response again = t.Get("office", again_link);
  ASSERT_EQ(again.status, status::ok) << again.body;
  EXPECT_EQ(Header(again, "Content-Disposition"),
            "attachment; filename=\"census-spring-2027.xml\"");
  EXPECT_EQ(again.body, xml.body);
  EXPECT_EQ(t.Get("head", "/census/returns/" + std::to_string(id + 1) + ".xml").status,
            status::not_found);
  EXPECT_EQ(t.Get("head", "/census/returns/" + std::to_string(id)).status, status::not_found);

  service::LaDirectory directory({&t.store()});
  t.app().SetLaDirectory(&directory);
  web::Response la = t.Get("la", "/la/schools/123456");
  ASSERT_EQ(la.status, status::ok) << la.body;
  EXPECT_NE(la.body.find("Last return: Spring census 2027"), std::string::npos) << la.body;
}

TEST(CensusPageTest, OnlyTheHeadAndTheOfficeMakeTheReturn) {
  TestApp t;
  const std::vector<std::string> allowed = {"head", "office"};
  ASSERT_EQ(t.As("head", verb::post, "/census/return.xml", "census=spring&year=2027").status,
            status::ok);
  const std::string sent =
      "/census/returns/" + std::to_string(t.store().CensusReturns()->front().id) + ".xml";
  for (const std::string& role : kCensusRoles) {
    const bool may = std::find(allowed.begin(), allowed.end(), role) != allowed.end();
    const status want = may ? status::ok : status::forbidden;
    EXPECT_EQ(t.Get(role, "/census?census=spring&year=2027").status, want) << role;
    EXPECT_EQ(t.Get(role, "/census/return.csv?census=spring&year=2027").status, want) << role;
    EXPECT_EQ(t.As(role, verb::post, "/census/return.xml", "census=spring&year=2027").status, want)
        << role;
    EXPECT_EQ(t.Get(role, sent).status, want) << role;
  }
  EXPECT_EQ(t.Anonymous(verb::get, "/census").status, status::see_other);
}

}  // namespace
}  // namespace rollcall::testing
