// The daily attendance share's page, "What has been shared": the head sets
// where it goes, the office shares now, and the page lists the log and what
// the next share will send.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "test_app.h"

namespace rollcall::testing {
namespace {

using web::http::status;
using web::http::verb;

// A folder of this test's own, removed afterwards.
class ShareFolder {
 public:
  ShareFolder()
      : path_(std::filesystem::temp_directory_path() /
              ("rollcall-web-share-" + std::to_string(reinterpret_cast<uintptr_t>(this)))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ShareFolder() { std::filesystem::remove_all(path_); }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

TEST(SharePageTest, TheHeadSetsWhereItGoesAndABadAddressIsShownAgainWithTheReason) {
  TestApp t;
  web::Response page = t.Get("head", "/share");
  ASSERT_EQ(page.status, status::ok);
  EXPECT_NE(page.body.find("What has been shared"), std::string::npos);
  EXPECT_NE(page.body.find("Not set: nothing is shared"), std::string::npos);
  EXPECT_NE(page.body.find("after 18:00"), std::string::npos);
  EXPECT_EQ(page.body.find(">Share now<"), std::string::npos) << "nowhere to share to yet";
  EXPECT_EQ(t.Get("office", "/share").body.find("share_destination"), std::string::npos)
      << "only the head changes where it goes";

  web::Response bad =
      t.As("head", verb::post, "/share/settings",
           "share_destination=http%3A%2F%2Freceiver.example%2Fin&share_time=17%3A30");
  EXPECT_EQ(bad.status, status::bad_request);
  EXPECT_NE(bad.body.find("There is a problem"), std::string::npos) << bad.body;
  EXPECT_NE(bad.body.find("The share&#39;s destination"), std::string::npos) << bad.body;
  EXPECT_NE(bad.body.find(R"(value="http://receiver.example/in")"), std::string::npos)
      << "the address typed is shown again";

  ShareFolder folder;
  web::Response saved = t.As("head", verb::post, "/share/settings",
                             "share_destination=" + folder.str() + "&share_time=17%3A30");
  ASSERT_EQ(saved.status, status::ok) << saved.body;
  EXPECT_NE(saved.body.find("Saved where and when to share"), std::string::npos);
  EXPECT_NE(saved.body.find("A file in the folder " + folder.str()), std::string::npos);
  EXPECT_NE(saved.body.find("after 17:30"), std::string::npos);
}

TEST(SharePageTest, TheOfficeSharesNowAndThePageShowsTheLogAndWhatIsLeft) {
  TestApp t;
  ShareFolder folder;
  ASSERT_EQ(t.As("head", verb::post, "/share/settings", "share_destination=" + folder.str()).status,
            status::ok);
  web::Response before = t.Get("office", "/share");
  ASSERT_EQ(before.status, status::ok);
  EXPECT_NE(before.body.find("8 marks are new or changed since the last share"), std::string::npos)
      << before.body;
  EXPECT_NE(before.body.find("not shared yet"), std::string::npos);
  EXPECT_NE(before.body.find("Nothing has been shared yet."), std::string::npos);

  web::Response shared = t.As("office", verb::post, "/share");
  ASSERT_EQ(shared.status, status::ok) << shared.body;
  EXPECT_NE(shared.body.find("Share 1 sent: 8 marks."), std::string::npos) << shared.body;
  EXPECT_NE(shared.body.find("The register is as last shared"), std::string::npos);
  EXPECT_NE(shared.body.find(">Sent<"), std::string::npos);
  EXPECT_NE(shared.body.find("User office"), std::string::npos) << "who shared";
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(folder.str()) /
                                      "rollcall-share-123456-000001.json"));

  // An amended mark is listed with what was shared and what it is now.
  ASSERT_EQ(t.As("office", verb::put,
                 "/api/v1/registers/2026-11-24/AM/marks/" + std::to_string(t.pupil("P2")),
                 R"({"code":"I","reason":"Mother phoned: ill"})")
                .status,
            status::ok);
  web::Response after = t.Get("attendance", "/share");
  EXPECT_NE(after.body.find("1 mark is new or changed since the last share"), std::string::npos)
      << after.body;
  EXPECT_NE(after.body.find("Tue 24 Nov"), std::string::npos) << after.body;
  EXPECT_NE(after.body.find("<td class=\"govuk-table__cell\">/</td>"
                            "<td class=\"govuk-table__cell\">I</td>"),
            std::string::npos)
      << after.body;
}

}  // namespace
}  // namespace rollcall::testing
