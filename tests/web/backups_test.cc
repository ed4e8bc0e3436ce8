// The head's Backups page through App::Handle, over a real SQLite school
// file: the schedule saved, a backup made now and listed, a refused form
// shown again, a failed backup leading the page and noted on Settings.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <memory>
#include <string>

#include "store/store.h"
#include "test_app.h"

namespace rollcall::testing {
namespace {

namespace fs = std::filesystem;
using web::http::status;
using web::http::verb;

bool BackupsPageHas(const web::Response& r, const std::string& text) {
  return r.body.find(text) != std::string::npos;
}

// Percent-encodes a form value.
std::string BackupsFormValue(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

class BackupsPageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("rollcall-backups-page-test-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    // A folder name a page must escape.
    folder_ = (dir_ / "<b>backups").string();
    fs::create_directories(folder_);
    db_ = (dir_ / "school.db").string();
    core::StatusOr<std::unique_ptr<store::Store>> file = store::OpenSqliteStore(db_);
    ASSERT_TRUE(file.ok()) << file.status().message();
    ASSERT_TRUE((*file)->SetSchool({"Test Primary", "123456", "909", "primary"}).ok());
    app_ = std::make_unique<TestApp>(web::AppConfig{.database_file = db_});
  }
  void TearDown() override {
    app_.reset();
    fs::remove_all(dir_);
  }

  fs::path dir_;
  std::string folder_;
  std::string db_;
  std::unique_ptr<TestApp> app_;
};

TEST_F(BackupsPageTest, TheHeadSetsTheScheduleAndBacksUpNow) {
  TestApp& t = *app_;
  web::Response page = t.Get("head", "/settings/backups");
  ASSERT_EQ(page.status, status::ok) << page.body;
  EXPECT_TRUE(BackupsPageHas(page, "No backup has been made by the server yet."));
  EXPECT_FALSE(BackupsPageHas(page, "Back up now")) << "no folder yet";

  web::Response refused =
      t.As("head", verb::post, "/settings/backups", "folder=relative%2Fpath&time=02%3A30&keep=14");
  EXPECT_EQ(refused.status, status::unprocessable_entity);
  EXPECT_TRUE(BackupsPageHas(refused, "starting with /"));
  EXPECT_TRUE(BackupsPageHas(refused, "value=\"relative/path\"")) << "shown again as typed";
  refused = t.As("head", verb::post, "/settings/backups",
                 "folder=" + BackupsFormValue(folder_) + "&time=02%3A30&keep=none");
  EXPECT_EQ(refused.status, status::unprocessable_entity);

  web::Response saved = t.As("head", verb::post, "/settings/backups",
                             "folder=" + BackupsFormValue(folder_) + "&time=02%3A30&keep=14");
  ASSERT_EQ(saved.status, status::see_other) << saved.body;
  page = t.Get("head", "/settings/backups");
  EXPECT_TRUE(BackupsPageHas(page, "&lt;b&gt;backups")) << "the folder escaped";
  EXPECT_FALSE(BackupsPageHas(page, "<b>backups"));
  EXPECT_TRUE(BackupsPageHas(page, "Each day after 02:30"));
  EXPECT_TRUE(BackupsPageHas(page, "Back up now"));

  web::Response made = t.As("head", verb::post, "/settings/backups/now", "");
  ASSERT_EQ(made.status, status::see_other) << made.body;
  page = t.Get("head", "/settings/backups");
  EXPECT_TRUE(BackupsPageHas(page, ">Made</strong>")) << page.body;
  EXPECT_TRUE(BackupsPageHas(page, "rollcall-2026-"));
  bool written = false;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder_)) {
    written = written || entry.path().filename().string().starts_with("rollcall-");
  }
  EXPECT_TRUE(written);
  EXPECT_FALSE(BackupsPageHas(t.Get("head", "/settings"), "The last backup failed"));
}

TEST_F(BackupsPageTest, AFailedBackupLeadsThePageAndShowsOnSettings) {
  TestApp& t = *app_;
  ASSERT_EQ(t.As("head", verb::post, "/settings/backups",
                 "folder=" + BackupsFormValue(folder_) + "&time=02%3A30&keep=14")
                .status,
            status::see_other);
  fs::remove_all(folder_);  // the backup disk gone
  web::Response tried = t.As("head", verb::post, "/settings/backups/now", "");
  ASSERT_EQ(tried.status, status::see_other);
  web::Response page = t.Get("head", "/settings/backups");
  EXPECT_TRUE(BackupsPageHas(page, "The last backup failed")) << page.body;
  EXPECT_TRUE(BackupsPageHas(page, ">Failed</strong>"));
  EXPECT_TRUE(BackupsPageHas(t.Get("head", "/settings"), "The last backup failed"));
  EXPECT_FALSE(BackupsPageHas(t.Get("office", "/settings"), "The last backup failed"))
      << "the head's to deal with";
}

}  // namespace
}  // namespace rollcall::testing
