// Common Transfer Files on the web: a deletion owes a file, listed on
// /transfers and the API for the office, the head and the attendance
// officer only; the file downloads as XML named as the DfE's service
// expects, valid against the schema, and is then shown produced; the
// leaver's page links to it.
#include <gtest/gtest.h>

#include <string>

#include "support/ctf_schema.h"
#include "test_app.h"

namespace rollcall::testing {
namespace {

using web::http::status;
using web::http::verb;

class TransfersTest : public ::testing::Test {
 protected:
  TransfersTest() {
    EXPECT_TRUE(t_.store().SetSchool({"Test Primary", "123456", "909", "primary", "1234"}).ok());
    EXPECT_TRUE(t_.app().Load().ok());
    p2_ = std::to_string(t_.pupil("P2"));
    const web::Response left =
        t_.As("office", verb::post, "/api/v1/pupils/" + p2_ + "/leave",
              R"j({"ground":"a","last_day":"2026-11-25","destination":"Oak Academy (855/2345)"})j");
    EXPECT_EQ(left.status, status::ok) << left.body;
  }

  nlohmann::json Owed() { return Json(t_.Get("office", "/api/v1/transfers"))["transfers"]; }

  TestApp t_;
  std::string p2_;
};

TEST_F(TransfersTest, ADeletionOwesAFileListedForTheOfficeOnly) {
  const nlohmann::json owed = Owed();
  ASSERT_EQ(owed.size(), 1u) << owed.dump();
  EXPECT_EQ(owed[0]["pupil"]["id"], t_.pupil("P2"));
  EXPECT_EQ(owed[0]["last_day"], "2026-11-25");
  EXPECT_EQ(owed[0]["destination_number"], "855/2345");
  EXPECT_TRUE(owed[0]["produced_at"].is_null());

  const web::Response page = t_.Get("office", "/transfers");
  ASSERT_EQ(page.status, status::ok) << page.body;
  EXPECT_NE(page.body.find("Oak Academy (855/2345)"), std::string::npos);
  EXPECT_NE(page.body.find("25 November 2026"), std::string::npos);
  EXPECT_NE(page.body.find("Not produced yet"), std::string::npos);
  EXPECT_NE(page.body.find("Download all 1 not produced, in one file"), std::string::npos);
  EXPECT_NE(page.body.find(R"(href="/transfers">Transfer files</a>)"), std::string::npos);
  for (const char* user : {"teacher", "governor", "la", "dsl", "senco", "parent"}) {
    EXPECT_EQ(t_.Get(user, "/transfers").status, status::forbidden) << user;
  }
  EXPECT_EQ(t_.Get("attendance", "/transfers").status, status::ok);
}

TEST_F(TransfersTest, TheFileDownloadsValidAndIsThenProduced) {
  const std::string id = std::to_string(Owed()[0]["id"].get<int64_t>());
  EXPECT_EQ(t_.As("office", verb::post, "/transfers/" + id + "/ctf", "", false).status,
            status::forbidden);  // no CSRF token
  EXPECT_EQ(t_.As("teacher", verb::post, "/transfers/" + id + "/ctf").status, status::forbidden);
  const web::Response file = t_.As("office", verb::post, "/transfers/" + id + "/ctf");
  ASSERT_EQ(file.status, status::ok) << file.body;
  EXPECT_EQ(file.content_type, "application/xml");
  EXPECT_EQ(Header(file, "Content-Disposition"),
            "attachment; filename=\"9091234_CTF_8552345_2026-11-25.xml\"");
  EXPECT_TRUE(ValidCtf(file.body));
  EXPECT_FALSE(Owed()[0]["produced_at"].is_null());
  EXPECT_NE(t_.Get("office", "/transfers").body.find("Produced "), std::string::npos);

  // Nothing is owed now: "download all" says so.
  const web::Response none = t_.As("office", verb::post, "/transfers/owed/ctf");
  EXPECT_EQ(none.status, status::bad_request);
  EXPECT_NE(none.body.find("no Common Transfer File is owed"), std::string::npos) << none.body;
}

TEST_F(TransfersTest, AllOwedFilesDownloadAsOne) {
  const web::Response left =
      t_.As("office", verb::post, "/api/v1/pupils/" + std::to_string(t_.pupil("P3")) + "/leave",
            R"({"ground":"a","last_day":"2026-11-25","destination":"Elm School"})");
  ASSERT_EQ(left.status, status::ok) << left.body;
  const web::Response file = t_.As("head", verb::post, "/transfers/owed/ctf");
  ASSERT_EQ(file.status, status::ok) << file.body;
  EXPECT_EQ(Header(file, "Content-Disposition"),
            "attachment; filename=\"9091234_CTF_MMMMMMM_2026-11-25.xml\"");
  EXPECT_TRUE(ValidCtf(file.body));
  EXPECT_NE(file.body.find("B909123400002"), std::string::npos);
  EXPECT_NE(file.body.find("C909123400003"), std::string::npos);
}

TEST_F(TransfersTest, TheLeaversPageLinksToTheFile) {
  const std::string id = std::to_string(Owed()[0]["id"].get<int64_t>());
  const web::Response page = t_.Get("office", "/pupils/" + p2_);
  ASSERT_EQ(page.status, status::ok);
  EXPECT_NE(page.body.find("<h2>Common Transfer File</h2>"), std::string::npos);
  EXPECT_NE(page.body.find("action=\"/transfers/" + id + "/ctf\""), std::string::npos);
  EXPECT_NE(page.body.find("due by "), std::string::npos);
  // Not for a pupil still on roll, nor for those who may not write files.
  EXPECT_EQ(t_.Get("office", "/pupils/" + std::to_string(t_.pupil("P1")))
                .body.find("Common Transfer File</h2>"),
            std::string::npos);
  EXPECT_EQ(t_.Get("dsl", "/pupils/" + p2_).body.find("Common Transfer File</h2>"),
            std::string::npos);
}

}  // namespace
}  // namespace rollcall::testing
