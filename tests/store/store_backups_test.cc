// The one store suite, continued (instantiated for every backend in
// store_test.cc): the scheduled backup's settings and its log of runs.
#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "core/error_codes.h"
#include "store/store.h"
#include "store_test_util.h"

namespace rollcall::store {
namespace {

using testing::D;
using testing::kAt;
using testing::StoreTest;

TEST_P(StoreTest, TheBackupScheduleIsOneRowReplacedWhole) {
  ASSERT_OK_AND_ASSIGN(std::optional<BackupSchedule> none, store().GetBackupSchedule());
  EXPECT_FALSE(none);
  ASSERT_TRUE(store()
                  .SaveBackupSchedule({.folder = "/srv/backups",
                                       .at_minute = 150,
                                       .keep = 14,
                                       .updated_at = kAt,
                                       .updated_by_name = "Mrs Head"})
                  .ok());
  ASSERT_TRUE(store()
                  .SaveBackupSchedule({.folder = "/mnt/usb/rollcall",
                                       .at_minute = 1439,
                                       .keep = 366,
                                       .updated_at = kAt + 60,
                                       .updated_by_name = "Mr Deputy"})
                  .ok());
  ASSERT_OK_AND_ASSIGN(std::optional<BackupSchedule> saved, store().GetBackupSchedule());
  ASSERT_TRUE(saved);
  EXPECT_EQ(saved->folder, "/mnt/usb/rollcall");
  EXPECT_EQ(saved->at_minute, 1439);
  EXPECT_EQ(saved->keep, 366);
  EXPECT_EQ(saved->updated_at, kAt + 60);
  EXPECT_EQ(saved->updated_by_name, "Mr Deputy");
}

TEST_P(StoreTest, ABackupScheduleOutsideTheLimitsIsRefused) {
  for (const BackupSchedule& bad :
       {BackupSchedule{.folder = "/srv", .at_minute = -1, .keep = 7},
        BackupSchedule{.folder = "/srv", .at_minute = 1440, .keep = 7},
        BackupSchedule{.folder = "/srv", .at_minute = 60, .keep = 0},
        BackupSchedule{.folder = "/srv", .at_minute = 60, .keep = 367}}) {
    core::Status s = store().SaveBackupSchedule(bad);
    EXPECT_EQ(s.code(), core::kErrValueInvalid) << bad.at_minute << " " << bad.keep;
  }
  ASSERT_OK_AND_ASSIGN(std::optional<BackupSchedule> none, store().GetBackupSchedule());
  EXPECT_FALSE(none) << "nothing saved";
}

TEST_P(StoreTest, BackupRunsAreLoggedNewestFirst) {
  ASSERT_OK_AND_ASSIGN(std::vector<BackupRun> empty, store().RecentBackupRuns(10));
  EXPECT_TRUE(empty.empty());
  BackupRun ok{.for_date = D("2026-11-24"),
               .started_at = kAt,
               .file = "/srv/backups/rollcall-2026-11-24.db",
               .ok = true,
               .bytes = 5'000'000'000,
               .milliseconds = 61'250,
               .pruned = 2,
               .detail = "2000 pupils"};
  ASSERT_OK_AND_ASSIGN(int64_t first, store().AddBackupRun(ok));
  BackupRun failed{.for_date = D("2026-11-25"),
                   .started_at = kAt + 86400,
                   .file = "/srv/backups/rollcall-2026-11-25.db",
                   .ok = false,
                   .detail = "cannot create '/srv/backups/...': No space left on device"};
  ASSERT_OK_AND_ASSIGN(int64_t second, store().AddBackupRun(failed));
  EXPECT_GT(second, first);
  ASSERT_OK_AND_ASSIGN(std::vector<BackupRun> runs, store().RecentBackupRuns(10));
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].id, second);
  EXPECT_FALSE(runs[0].ok);
  EXPECT_EQ(runs[0].detail, failed.detail);
  EXPECT_EQ(runs[1].for_date, D("2026-11-24"));
  EXPECT_TRUE(runs[1].ok);
  EXPECT_EQ(runs[1].bytes, 5'000'000'000) << "sizes past 4 GB";
  EXPECT_EQ(runs[1].milliseconds, 61'250);
  EXPECT_EQ(runs[1].pruned, 2);
  ASSERT_OK_AND_ASSIGN(std::vector<BackupRun> newest, store().RecentBackupRuns(1));
  ASSERT_EQ(newest.size(), 1u);
  EXPECT_EQ(newest[0].id, second);
}

}  // namespace
}  // namespace rollcall::store
