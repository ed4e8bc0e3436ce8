// The scheduled backup (service/backups.h) over a real SQLite school file:
// once a day at the head's time, the oldest files beyond the number kept
// deleted, failures logged and shown, and only the head sets it up.
#include "service/backups.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "core/error_codes.h"
#include "service/school_fixture.h"
#include "store/backup.h"

namespace rollcall::service {
namespace {

namespace fs = std::filesystem;

class BackupsTest : public SchoolFixture {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / fmt::format("rollcall-backups-test-{}", ::getpid());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "backups");
    folder_ = (dir_ / "backups").string();
    db_ = (dir_ / "school.db").string();
    core::StatusOr<std::unique_ptr<store::Store>> opened = store::OpenSqliteStore(db_);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    file_store_ = std::move(*opened);
    ASSERT_TRUE(file_store_->SetSchool({"Test Primary", "123456", "909", "primary"}).ok());
    store::Settings settings;
    settings.set_by = "test";
    ASSERT_TRUE(file_store_->SaveSettings(settings).ok());
    ASSERT_TRUE(file_store_->AddTerm({0, "Autumn 2026", D("2026-09-02"), D("2026-12-18")}).ok());
    store::User head;
    head.username = "head";
    head.display_name = "Mrs Head";
    head.role = store::Role::kHead;
    head.password_hash = "not-a-hash";
    head.id = *file_store_->AddUser(head);
    file_head_ = PrincipalOf(head);
    file_services_ =
        std::make_unique<Services>(*file_store_, clock_, ServiceOptions{.database_file = db_});
    ASSERT_TRUE(file_services_->Load().ok());
  }

  void TearDown() override {
    file_services_.reset();
    file_store_.reset();
    fs::remove_all(dir_);
  }

  Backups& backups() { return file_services_->backups(); }

  void Schedule(int at_minute, int keep) {
    ASSERT_TRUE(
        backups().Save(file_head_, {.folder = folder_, .at_minute = at_minute, .keep = keep}).ok());
  }

  fs::path dir_;
  std::string folder_;
  std::string db_;
  std::unique_ptr<store::Store> file_store_;
  std::unique_ptr<Services> file_services_;
  Principal file_head_;
};

TEST_F(BackupsTest, NothingIsBackedUpBeforeAFolderIsSet) {
  core::StatusOr<std::optional<store::BackupRun>> run = backups().RunDue();
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_FALSE(*run);
  core::StatusOr<BackupsView> view = backups().Get(file_head_);
  ASSERT_TRUE(view.ok());
  EXPECT_TRUE(view->available);
  EXPECT_FALSE(view->schedule);
  EXPECT_TRUE(view->runs.empty());
}

TEST_F(BackupsTest, OnceADayAfterTheSetTime) {
  Schedule(11 * 60, 7);  // the clock says 10:00
  core::StatusOr<std::optional<store::BackupRun>> early = backups().RunDue();
  ASSERT_TRUE(early.ok());
  EXPECT_FALSE(*early) << "not before 11:00";

  clock_.Set(D("2026-11-25"), 11 * 60 + 5);
  core::StatusOr<std::optional<store::BackupRun>> run = backups().RunDue();
  ASSERT_TRUE(run.ok()) << run.status().message();
  ASSERT_TRUE(*run);
  EXPECT_TRUE((*run)->ok) << (*run)->detail;
  EXPECT_EQ((*run)->file, folder_ + "/rollcall-2026-11-25.db");
  EXPECT_GT((*run)->bytes, 0);
  core::StatusOr<store::BackupFacts> facts = store::CheckSqliteBackup((*run)->file);
  ASSERT_TRUE(facts.ok()) << facts.status().message();
  EXPECT_EQ(facts->bytes, (*run)->bytes);

  clock_.Set(D("2026-11-25"), 15 * 60);
  core::StatusOr<std::optional<store::BackupRun>> again = backups().RunDue();
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again) << "one backup a day";

  clock_.Set(D("2026-11-26"), 11 * 60);
  core::StatusOr<std::optional<store::BackupRun>> tomorrow = backups().RunDue();
  ASSERT_TRUE(tomorrow.ok());
  ASSERT_TRUE(*tomorrow);
  EXPECT_EQ((*tomorrow)->file, folder_ + "/rollcall-2026-11-26.db");
  core::StatusOr<BackupsView> view = backups().Get(file_head_);
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->runs.size(), 2u);
  EXPECT_EQ(view->runs[0].for_date, D("2026-11-26")) << "newest first";
  EXPECT_FALSE(view->last_failed);
}

TEST_F(BackupsTest, KeepsTheNewestAndLeavesOtherFilesAlone) {
  for (int day = 1; day <= 5; ++day) {
    std::ofstream(fs::path(folder_) / fmt::format("rollcall-2026-11-0{}.db", day)) << "old";
  }
  std::ofstream(fs::path(folder_) / "notes.txt") << "the head's own file";
  std::ofstream(fs::path(folder_) / "rollcall-copy.db") << "not one of the schedule's names";
  Schedule(9 * 60, 3);
  core::StatusOr<std::optional<store::BackupRun>> run = backups().RunDue();
  ASSERT_TRUE(run.ok());
  ASSERT_TRUE(*run);
  EXPECT_TRUE((*run)->ok) << (*run)->detail;
  EXPECT_EQ((*run)->pruned, 3);
  EXPECT_TRUE(fs::exists(fs::path(folder_) / "rollcall-2026-11-25.db"));
  EXPECT_TRUE(fs::exists(fs::path(folder_) / "rollcall-2026-11-05.db"));
  EXPECT_TRUE(fs::exists(fs::path(folder_) / "rollcall-2026-11-04.db"));
  EXPECT_FALSE(fs::exists(fs::path(folder_) / "rollcall-2026-11-03.db"));
  EXPECT_FALSE(fs::exists(fs::path(folder_) / "rollcall-2026-11-01.db"));
  EXPECT_TRUE(fs::exists(fs::path(folder_) / "notes.txt"));
  EXPECT_TRUE(fs::exists(fs::path(folder_) / "rollcall-copy.db"));
}

TEST_F(BackupsTest, AFailedBackupIsLoggedShownAndNotRetriedAllDay) {
  Schedule(9 * 60, 3);
  fs::remove_all(folder_);  // the backup disk gone
  core::StatusOr<std::optional<store::BackupRun>> run = backups().RunDue();
  ASSERT_TRUE(run.ok()) << run.status().message();
  ASSERT_TRUE(*run);
  EXPECT_FALSE((*run)->ok);
  EXPECT_FALSE((*run)->detail.empty());
  core::StatusOr<BackupsView> view = backups().Get(file_head_);
  ASSERT_TRUE(view.ok());
  EXPECT_TRUE(view->last_failed);
  ASSERT_EQ(view->runs.size(), 1u);
  core::StatusOr<std::optional<store::BackupRun>> again = backups().RunDue();
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);

  // The head mends the folder and backs up now: the page is clear again.
  fs::create_directories(folder_);
  core::StatusOr<store::BackupRun> now = backups().RunNow(file_head_);
  ASSERT_TRUE(now.ok()) << now.status().message();
  EXPECT_TRUE(now->ok) << now->detail;
  view = backups().Get(file_head_);
  ASSERT_TRUE(view.ok());
  EXPECT_FALSE(view->last_failed);
}

TEST_F(BackupsTest, TheFormIsChecked) {
  auto save = [&](const std::string& folder, int at_minute, int keep) {
    return backups().Save(file_head_, {.folder = folder, .at_minute = at_minute, .keep = keep});
  };
  EXPECT_EQ(save("backups", 120, 7).kind(), core::ErrorKind::kInvalidArgument) << "relative";
  EXPECT_EQ(save("/no/such/folder", 120, 7).kind(), core::ErrorKind::kInvalidArgument);
  EXPECT_EQ(save(folder_, 120, 0).kind(), core::ErrorKind::kInvalidArgument);
  EXPECT_EQ(save(folder_, 120, 367).kind(), core::ErrorKind::kInvalidArgument);
  EXPECT_EQ(save(folder_, 1440, 7).kind(), core::ErrorKind::kInvalidArgument);
  ASSERT_TRUE(save(folder_ + "/", 150, 7).ok());
  core::StatusOr<BackupsView> view = backups().Get(file_head_);
  ASSERT_TRUE(view.ok());
  ASSERT_TRUE(view->schedule);
  EXPECT_EQ(view->schedule->folder, folder_) << "the trailing / dropped";
  EXPECT_EQ(view->schedule->at_minute, 150);
  EXPECT_EQ(view->schedule->updated_by_name, "Mrs Head");
  // An empty folder turns the backups off.
  ASSERT_TRUE(save("", 150, 7).ok());
  core::StatusOr<std::optional<store::BackupRun>> run = backups().RunDue();
  ASSERT_TRUE(run.ok());
  EXPECT_FALSE(*run);
}

TEST_F(BackupsTest, OnlyTheHeadSetsUpBackups) {
  for (const Principal& who : {office_, teacher_, parent_, la_}) {
    EXPECT_EQ(backups().Get(who).status().kind(), core::ErrorKind::kPermissionDenied);
    EXPECT_EQ(backups().Save(who, {.folder = folder_}).kind(), core::ErrorKind::kPermissionDenied);
    EXPECT_EQ(backups().RunNow(who).status().kind(), core::ErrorKind::kPermissionDenied);
  }
}

// A school with no database file (PostgreSQL, or memory here): nothing to
// back up, and the page says so.
TEST_F(BackupsTest, NoFileNoScheduledBackups) {
  Backups& none = services_->backups();
  core::StatusOr<BackupsView> view = none.Get(head_);
  ASSERT_TRUE(view.ok());
  EXPECT_FALSE(view->available);
  EXPECT_EQ(none.Save(head_, {.folder = folder_}).kind(), core::ErrorKind::kInvalidArgument);
  core::StatusOr<std::optional<store::BackupRun>> run = none.RunDue();
  ASSERT_TRUE(run.ok());
  EXPECT_FALSE(*run);
}

}  // namespace
}  // namespace rollcall::service
