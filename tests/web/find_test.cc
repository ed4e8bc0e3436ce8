// Finding a pupil in the pages: the search in the header of every page of
// those who may list pupils, a UPN going straight to the pupil, the pupil
// list's filters, and register names that open the pupil's page.
#include <gtest/gtest.h>

#include <string>

#include "test_app.h"

namespace rollcall::testing {
namespace {

using web::http::status;

bool PageHas(const std::string& body, const std::string& text) {
  return body.find(text) != std::string::npos;
}

TEST(FindPagesTest, StaffPagesHaveTheSearchInTheirHeader) {
  TestApp t;
  const std::string search = R"(<form method="get" action="/pupils" role="search")";
  EXPECT_TRUE(PageHas(t.Get("office", "/today").body, search));
  EXPECT_TRUE(PageHas(t.Get("teacher", "/register").body, search));
  EXPECT_TRUE(PageHas(t.Get("head", "/school").body, search));
  // Governors see no pupil; parents have their children's page.
  EXPECT_FALSE(PageHas(t.Get("governor", "/school").body, search));
  EXPECT_FALSE(PageHas(t.Get("parent", "/parent").body, search));
  EXPECT_EQ(t.Get("governor", "/pupils?q=pupil").status, status::forbidden);
}

TEST(FindPagesTest, AUpnGoesStraightToThePupilANameListsThem) {
  TestApp t;
  const std::string p2 = std::to_string(t.pupil("P2"));
  const web::Response upn = t.Get("office", "/pupils?q=b909+1234+00002");
  EXPECT_EQ(upn.status, status::see_other);
  EXPECT_EQ(Header(upn, "Location"), "/pupils/" + p2);
  const web::Response name = t.Get("office", "/pupils?q=P2");
  ASSERT_EQ(name.status, status::ok) << name.body;
  EXPECT_TRUE(PageHas(name.body, R"(href="/pupils/)" + p2 + R"(">Pupil P2</a>)")) << name.body;
  EXPECT_TRUE(PageHas(name.body, "<td class=\"govuk-table__cell\">4B</td>"));
  EXPECT_TRUE(PageHas(name.body, "<td class=\"govuk-table__cell\">Year 4</td>"));
  // The teacher of 3A neither goes to nor finds 4B's pupil.
  const web::Response teacher = t.Get("teacher", "/pupils?q=B909123400002");
  EXPECT_EQ(teacher.status, status::ok);
  EXPECT_FALSE(PageHas(teacher.body, "/pupils/" + p2)) << teacher.body;
  EXPECT_TRUE(PageHas(teacher.body, "No pupil you may see matches."));
}

TEST(FindPagesTest, ThePupilListFiltersByClassAndRefusesABand) {
  TestApp t;
  const std::string p1 = std::to_string(t.pupil("P1"));
  const std::string p2 = std::to_string(t.pupil("P2"));
  const web::Response all = t.Get("office", "/pupils");
  ASSERT_EQ(all.status, status::ok);
  EXPECT_TRUE(PageHas(all.body, "href=\"/pupils/" + p1 + "\""));
  EXPECT_TRUE(PageHas(all.body, "href=\"/pupils/" + p2 + "\""));
  const web::Response four_b = t.Get("office", "/pupils?class=" + std::to_string(t.class_id("4B")));
  ASSERT_EQ(four_b.status, status::ok);
  EXPECT_FALSE(PageHas(four_b.body, "href=\"/pupils/" + p1 + "\""));
  EXPECT_TRUE(PageHas(four_b.body, "href=\"/pupils/" + p2 + "\""));
  const web::Response band = t.Get("office", "/pupils?band=purple");
  EXPECT_EQ(band.status, status::bad_request);
  EXPECT_TRUE(PageHas(band.body, "band must be one of"));
}

TEST(FindPagesTest, RegisterNamesOpenThePupil) {
  TestApp t;
  const std::string page = t.Get("teacher", "/register?date=2026-11-25&session=AM").body;
  EXPECT_TRUE(PageHas(page, "<a href=\"/pupils/" + std::to_string(t.pupil("P1")) + "\">")) << page;
}

}  // namespace
}  // namespace rollcall::testing
