// Backups of an SQLite school file and their restore (store/backup.h), on
// real files: what is written, what is refused, that nothing is lost.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "core/error_codes.h"
#include "store/backup.h"
#include "store/store.h"

namespace rollcall::store {
namespace {

namespace fs = std::filesystem;

// Runs SQL on a file outside the store; "" on success, else SQLite's message.
std::string Exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  std::string message = rc == SQLITE_OK ? "" : (error != nullptr ? error : "failed");
  sqlite3_free(error);
  sqlite3_close(db);
  return message;
}

class SqliteBackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() / ("rollcall-sqlite-backup-test-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = Path("school.db");
    core::StatusOr<std::unique_ptr<Store>> store = OpenSqliteStore(db_);
    ASSERT_TRUE(store.ok()) << store.status().message();
    ASSERT_TRUE((*store)->SetSchool({"Test Primary", "123456", "909", "primary"}).ok());
    core::StatusOr<int> version = MigrateSqlite(db_);
    ASSERT_TRUE(version.ok());
    latest_ = *version;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
  std::string db_;
  int latest_ = 0;
};

TEST_F(SqliteBackupTest, ABackupIsACheckedFileOfTheDatabase) {
  const std::string out = Path("backup.db");
  core::StatusOr<BackupFacts> facts = BackupSqlite(db_, out, {});
  ASSERT_TRUE(facts.ok()) << facts.status().message();
  EXPECT_EQ(facts->schema_version, latest_);
  EXPECT_EQ(facts->bytes, static_cast<int64_t>(fs::file_size(out)));
  EXPECT_EQ(fs::status(out).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_FALSE(fs::exists(out + "-wal")) << "one file";
  core::StatusOr<BackupFacts> checked = CheckSqliteBackup(out);
  ASSERT_TRUE(checked.ok()) << checked.status().message();
  for (const fs::directory_entry& entry : fs::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().string().find(".partial-"), std::string::npos) << entry.path();
  }
}

TEST_F(SqliteBackupTest, ABackupRefusesToOverwriteOrToCreate) {
  const std::string out = Path("backup.db");
  ASSERT_TRUE(BackupSqlite(db_, out, {}).ok());
  EXPECT_EQ(BackupSqlite(db_, out, {}).status().code(), core::kErrFileExists);
  EXPECT_TRUE(BackupSqlite(db_, out, {.force = true}).ok());
  EXPECT_EQ(BackupSqlite(db_, db_, {.force = true}).status().code(), core::kErrFileExists)
      << "never over the database itself";
  EXPECT_EQ(BackupSqlite(Path("missing.db"), Path("x.db"), {}).status().code(),
            core::kErrDbMissing);
  EXPECT_FALSE(fs::exists(Path("missing.db")));
  EXPECT_FALSE(fs::exists(Path("x.db")));
}

TEST_F(SqliteBackupTest, ARestoreKeepsTheDatabaseItReplaces) {
  const std::string out = Path("backup.db");
  ASSERT_TRUE(BackupSqlite(db_, out, {}).ok());
  const std::string target = Path("restored.db");
  core::StatusOr<RestoreResult> restored = RestoreSqlite(out, target, {.stamp = "T1"});
  ASSERT_TRUE(restored.ok()) << restored.status().message();
  EXPECT_TRUE(restored->kept.empty());
  EXPECT_EQ(restored->schema_version, latest_);
  {
    core::StatusOr<std::unique_ptr<Store>> store = OpenSqliteStore(target);
    ASSERT_TRUE(store.ok());
    core::StatusOr<School> school = (*store)->GetSchool();
    ASSERT_TRUE(school.ok());
    EXPECT_EQ(school->name, "Test Primary");
  }
  EXPECT_EQ(RestoreSqlite(out, target, {.stamp = "T2"}).status().code(), core::kErrFileExists);
  EXPECT_FALSE(fs::exists(target + ".before-restore-T2"));
  core::StatusOr<RestoreResult> again = RestoreSqlite(out, target, {.force = true, .stamp = "T3"});
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->kept, target + ".before-restore-T3");
  EXPECT_TRUE(CheckSqliteBackup(again->kept).ok()) << "the replaced database is kept whole";
  EXPECT_TRUE(fs::exists(target));
}

TEST_F(SqliteBackupTest, ARestoreRefusesADatabaseInUse) {
  const std::string out = Path("backup.db");
  ASSERT_TRUE(BackupSqlite(db_, out, {}).ok());
  core::StatusOr<std::unique_ptr<Store>> serving = OpenSqliteStore(db_);
  ASSERT_TRUE(serving.ok());
  core::StatusOr<RestoreResult> refused = RestoreSqlite(out, db_, {.force = true, .stamp = "T"});
  EXPECT_EQ(refused.status().code(), core::kErrDbInUse);
  EXPECT_FALSE(fs::exists(db_ + ".before-restore-T"));
  EXPECT_TRUE((*serving)->GetSchool().ok()) << "the open store is untouched";
}

TEST_F(SqliteBackupTest, AnOlderBackupIsMigratedAsItIsRestored) {
  // A backup as a program that knew only the first migration wrote it.
  const std::string old = Path("old.db");
  std::string migration_1;
  {
    std::ifstream file(ROLLCALL_SQLITE_MIGRATION_0001);
    ASSERT_TRUE(file);
    migration_1.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  }
  ASSERT_EQ(Exec(old,
                 "BEGIN; CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                 "applied_at INTEGER NOT NULL);" +
                     migration_1 +
                     "; INSERT INTO schema_migrations VALUES (1, 123);"
                     "INSERT INTO school VALUES (1, 'Old Primary', '654321', '909', "
                     "'primary'); COMMIT"),
            "");
  core::StatusOr<BackupFacts> facts = CheckSqliteBackup(old);
  ASSERT_TRUE(facts.ok()) << facts.status().message();
  EXPECT_EQ(facts->schema_version, 1);
  core::StatusOr<RestoreResult> restored = RestoreSqlite(old, Path("new.db"), {.stamp = "T"});
  ASSERT_TRUE(restored.ok()) << restored.status().message();
  EXPECT_EQ(restored->backup.schema_version, 1);
  EXPECT_EQ(restored->schema_version, latest_);
}

TEST_F(SqliteBackupTest, WhatIsNotAGoodBackupIsRefusedAndNothingWritten) {
  const std::string target = Path("target.db");
  const std::string text = Path("notes.txt");
  std::ofstream(text) << std::string(8192, 'x');
  EXPECT_EQ(RestoreSqlite(text, target, {}).status().code(), core::kErrBackupInvalid);

  const std::string other = Path("other.db");
  ASSERT_EQ(Exec(other, "CREATE TABLE notes (x)"), "");
  EXPECT_EQ(RestoreSqlite(other, target, {}).status().code(), core::kErrBackupInvalid);

  const std::string out = Path("backup.db");
  ASSERT_TRUE(BackupSqlite(db_, out, {}).ok());
  const std::string cut = Path("cut.db");
  fs::copy_file(out, cut);
  fs::resize_file(cut, fs::file_size(out) / 2);
  EXPECT_EQ(RestoreSqlite(cut, target, {}).status().code(), core::kErrBackupInvalid);

  const std::string newer = Path("newer.db");
  fs::copy_file(out, newer);
  ASSERT_EQ(Exec(newer, "INSERT INTO schema_migrations VALUES (9999, 0)"), "");
  core::StatusOr<RestoreResult> refused = RestoreSqlite(newer, target, {});
  EXPECT_EQ(refused.status().code(), core::kErrBackupInvalid);
  EXPECT_NE(refused.status().message().find("newer rollcall"), std::string::npos)
      << refused.status().message();

  EXPECT_EQ(RestoreSqlite(Path("missing.db"), target, {}).status().kind(),
            core::ErrorKind::kNotFound);
  EXPECT_FALSE(fs::exists(target));
  for (const fs::directory_entry& entry : fs::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().string().find("restoring"), std::string::npos) << entry.path();
  }
}

}  // namespace
}  // namespace rollcall::store
