// sqlite_backup.cc: online backups of an SQLite school database and their
// restore (backup.h).
#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include "core/error_codes.h"
#include "store/backup.h"
#include "store/sqlite_db.h"
#include "store/sqlite_migrations.h"

namespace rollcall::store {
namespace {

namespace fs = std::filesystem;

constexpr int kBusyTimeoutMs = 5000;

// Owns one sqlite3 connection opened for the backup's own reads and writes,
// outside the store (which the server may be using at the same moment).
class Connection {
 public:
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() { sqlite3_close(db_); }

  core::Status Open(const std::string& path, int flags) {
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_EXRESCODE, nullptr);
    if (rc != SQLITE_OK) {
      return core::Unavailable(
          core::kErrDbOpen, fmt::format("cannot open '{}': {}", path,
                                        db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc)));
    }
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    return core::OkStatus();
  }

  sqlite3* handle() { return db_; }
  const char* Message() const { return sqlite3_errmsg(db_); }

  // Runs `sql`, returning the text of each row's first column; `rc` gets the
  // SQLite result code of the failure, if any.
  core::StatusOr<std::vector<std::string>> Column(const char* sql, int* rc_out = nullptr) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr);
    std::vector<std::string> rows;
    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
      rc = sqlite3_step(stmt);
      if (rc != SQLITE_ROW) break;
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      rows.emplace_back(text != nullptr ? reinterpret_cast<const char*>(text) : "");
    }
    // The message before finalize, which may replace it.
    const std::string message = rc != SQLITE_DONE ? Message() : "";
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) {
      if (rc_out != nullptr) *rc_out = rc;
      return core::Internal(core::kErrDbError, message);
    }
    return rows;
  }

 private:
  sqlite3* db_ = nullptr;
};

core::Status NotABackup(const std::string& path, std::string_view why) {
  return core::InvalidArgument(core::kErrBackupInvalid,
                               fmt::format("'{}' is not a usable rollcall backup: {}", path, why));
}

// The checks every backup passes, on an open connection to it. `path` names
// the file in messages.
core::StatusOr<BackupFacts> CheckOpen(Connection& conn, const std::string& path) {
  BackupFacts facts;
  // The schema version first: a file that is not an SQLite database, or an
  // SQLite database that is not rollcall's, says so here.
  core::StatusOr<std::vector<std::string>> version =
      conn.Column("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!version.ok()) {
    return NotABackup(
        path, fmt::format("it is not a rollcall database ({})", version.status().message()));
  }
  facts.schema_version = std::stoi(version->at(0));
  core::StatusOr<std::vector<std::string>> integrity = conn.Column("PRAGMA integrity_check");
  if (!integrity.ok()) {
    return NotABackup(path, fmt::format("damaged or cut short ({})", integrity.status().message()));
  }
  if (integrity->empty() || integrity->front() != "ok") {
    return NotABackup(path, fmt::format("it fails SQLite's integrity check ({})",
                                        integrity->empty() ? "no answer" : integrity->front()));
  }
  core::StatusOr<std::vector<std::string>> orphans = conn.Column("PRAGMA foreign_key_check");
  if (!orphans.ok()) return NotABackup(path, orphans.status().message());
  if (!orphans->empty()) {
    return NotABackup(path, fmt::format("{} rows point at rows that are not there (first in "
                                        "table {})",
                                        orphans->size(), orphans->front()));
  }
  core::StatusOr<std::vector<std::string>> schools = conn.Column("SELECT COUNT(*) FROM school");
  if (!schools.ok()) return NotABackup(path, schools.status().message());
  if (schools->at(0) == "0") return NotABackup(path, "it holds no school");
  core::StatusOr<std::vector<std::string>> pupils = conn.Column("SELECT COUNT(*) FROM pupils");
  core::StatusOr<std::vector<std::string>> marks = conn.Column("SELECT COUNT(*) FROM marks");
  if (!pupils.ok()) return NotABackup(path, pupils.status().message());
  if (!marks.ok()) return NotABackup(path, marks.status().message());
  facts.pupils = std::stoll(pupils->at(0));
  facts.marks = std::stoll(marks->at(0));
  std::error_code ec;
  const uintmax_t size = fs::file_size(path, ec);
  facts.bytes = ec ? 0 : static_cast<int64_t>(size);
  return facts;
}

core::Status WriteError(const std::string& path, std::string_view doing, int err) {
  return core::Internal(core::kErrFileWrite,
                        fmt::format("cannot {} '{}': {}", doing, path, std::strerror(err)));
}

// Flushes a file's (or folder's) contents to the disk.
core::Status Fsync(const std::string& path, bool folder) {
  const int fd = ::open(path.c_str(), folder ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
  if (fd < 0) return WriteError(path, "open", errno);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return WriteError(path, "flush", err);
  return core::OkStatus();
}

std::string FolderOf(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

// A name beside `path` for the file being written, unique to this process.
std::string TemporaryBeside(const std::string& path, std::string_view what) {
  return fmt::format("{}.{}-{}", path, what, ::getpid());
}

void RemoveQuietly(const std::string& path) {
  std::error_code ec;
  fs::remove(path, ec);  // a leftover temporary file is harmless; the error adds nothing
  fs::remove(path + "-journal", ec);
  fs::remove(path + "-wal", ec);
  fs::remove(path + "-shm", ec);
}

// Puts the finished file `from` at `to`: over an existing file only when
// `replace`; without it a file that appeared meanwhile is never overwritten.
core::Status PutInPlace(const std::string& from, const std::string& to, bool replace) {
  RETURN_IF_ERROR(Fsync(from, false));
  if (replace) {
    if (::rename(from.c_str(), to.c_str()) != 0) return WriteError(to, "write", errno);
  } else {
    if (::link(from.c_str(), to.c_str()) != 0) {
      if (errno == EEXIST) {
        return core::Conflict(core::kErrFileExists,
                              fmt::format("'{}' already exists; give --force to replace it", to));
      }
      return WriteError(to, "write", errno);
    }
    ::unlink(from.c_str());
  }
  return Fsync(FolderOf(to), true);
}

// Copies `db` (a read transaction holds its snapshot) to the new file `temp`.
core::Status CopyOnline(Connection& source, const std::string& temp, const BackupOptions& options) {
  Connection dest;
  RETURN_IF_ERROR(dest.Open(temp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  sqlite3_backup* backup = sqlite3_backup_init(dest.handle(), "main", source.handle(), "main");
  if (backup == nullptr) {
    return core::Internal(core::kErrDbError,
                          fmt::format("cannot start the backup: {}", dest.Message()));
  }
  int rc = SQLITE_OK;
  while (true) {
    rc = sqlite3_backup_step(backup, options.pages_per_step);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    std::this_thread::sleep_for(options.pause);
  }
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    return core::Internal(core::kErrDbError,
                          fmt::format("the backup stopped: {}", sqlite3_errstr(rc)));
  }
  // The copy carries the source's WAL setting; a backup is one file, so it
  // goes back to a rollback journal (restore switches it to WAL again).
  core::StatusOr<std::vector<std::string>> mode = dest.Column("PRAGMA journal_mode=DELETE");
  if (!mode.ok()) return mode.status();
  return core::OkStatus();
}

}  // namespace

core::StatusOr<BackupFacts> BackupSqlite(const std::string& db, const std::string& out,
                                         const BackupOptions& options) {
  std::error_code ec;
  if (!fs::is_regular_file(db, ec)) {
    return core::NotFound(core::kErrDbMissing, fmt::format("there is no database at '{}'", db));
  }
  if (fs::exists(out, ec)) {
    if (fs::equivalent(db, out, ec)) {
      return core::Conflict(
          core::kErrFileExists,
          fmt::format("'{}' is the database itself; back up to another file", out));
    }
    if (!options.force) {
      return core::Conflict(core::kErrFileExists,
                            fmt::format("'{}' already exists; give --force to replace it", out));
    }
  }
  Connection source;
  // Never SQLITE_OPEN_CREATE: a mistyped path must not become an empty database.
  RETURN_IF_ERROR(source.Open(db, SQLITE_OPEN_READWRITE));
  // One read transaction across the whole copy: in WAL mode it fixes the
  // snapshot the backup copies, while the server's writes go on into the WAL.
  // Without it SQLite would restart the copy after every outside write.
  if (sqlite3_exec(source.handle(), "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return core::Internal(core::kErrDbError, source.Message());
  }
  core::StatusOr<std::vector<std::string>> version =
      source.Column("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!version.ok()) {
    return core::InvalidArgument(
        core::kErrBackupInvalid,
        fmt::format("'{}' is not a rollcall database ({})", db, version.status().message()));
  }
  const int source_version = std::stoi(version->at(0));

  const std::string temp = TemporaryBeside(out, "partial");
  RemoveQuietly(temp);
  // Owner-only from the start: a backup holds the same children's data.
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) return WriteError(temp, "create", errno);
  ::close(fd);
  core::Status copied = CopyOnline(source, temp, options);
  sqlite3_exec(source.handle(), "COMMIT", nullptr, nullptr, nullptr);  // read-only: cannot fail
  if (!copied.ok()) {
    RemoveQuietly(temp);
    return copied;
  }
  core::StatusOr<BackupFacts> facts = [&]() -> core::StatusOr<BackupFacts> {
    Connection check;
    RETURN_IF_ERROR(check.Open(temp, SQLITE_OPEN_READWRITE));
    return CheckOpen(check, temp);
  }();
  if (facts.ok() && facts->schema_version != source_version) {
    facts = core::Internal(core::kErrDbError,
                           fmt::format("the copy is at schema version {}, the database at {}",
                                       facts->schema_version, source_version));
  }
  if (!facts.ok()) {
    RemoveQuietly(temp);
    return facts.status();
  }
  if (core::Status placed = PutInPlace(temp, out, options.force); !placed.ok()) {
    RemoveQuietly(temp);
    return placed;
  }
  return facts;
}

core::StatusOr<BackupFacts> CheckSqliteBackup(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return core::NotFound(core::kErrBackupInvalid, fmt::format("there is no file '{}'", path));
  }
  Connection conn;
  RETURN_IF_ERROR(conn.Open(path, SQLITE_OPEN_READONLY));
  ASSIGN_OR_RETURN(BackupFacts facts, CheckOpen(conn, path));
  if (facts.schema_version > sqlite::LatestSchemaVersion()) {
    return NotABackup(path, fmt::format("it was made by a newer rollcall (schema version {}; "
                                        "this program knows up to {}): upgrade rollcall first",
                                        facts.schema_version, sqlite::LatestSchemaVersion()));
  }
  return facts;
}

namespace {

// Refuses when another program has `db` open. Leaving WAL mode needs the only
// connection to the file, so it fails exactly when a server (or anything else)
// still has it open; when it succeeds the WAL has been folded into the file,
// which can then be moved aside whole.
core::Status CheckNotInUse(const std::string& db) {
  Connection conn;
  if (!conn.Open(db, SQLITE_OPEN_READWRITE).ok()) return core::OkStatus();  // kept as it is
  sqlite3_busy_timeout(conn.handle(), 500);
  int rc = SQLITE_OK;
  core::StatusOr<std::vector<std::string>> mode = conn.Column("PRAGMA journal_mode=DELETE", &rc);
  if (!mode.ok() && ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)) {
    return core::Conflict(core::kErrDbInUse,
                          fmt::format("'{}' is open in another program (is rollcall serve "
                                      "running on it?); stop it and restore again",
                                      db));
  }
  return core::OkStatus();  // any other problem: the file is kept aside unread, so nothing is lost
}

core::Status CopyFile(const std::string& from, const std::string& to) {
  const int in = ::open(from.c_str(), O_RDONLY);
  if (in < 0) return WriteError(from, "read", errno);
  const int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (out < 0) {
    const int err = errno;
    ::close(in);
    return WriteError(to, "create", err);
  }
  std::vector<char> buffer(1 << 20);
  core::Status status;
  while (status.ok()) {
    const ssize_t got = ::read(in, buffer.data(), buffer.size());
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      status = WriteError(from, "read", errno);
      break;
    }
    for (ssize_t done = 0; done < got;) {
      const ssize_t put = ::write(out, buffer.data() + done, static_cast<size_t>(got - done));
      if (put < 0) {
        if (errno == EINTR) continue;
        status = WriteError(to, "write", errno);
        break;
      }
      done += put;
    }
  }
  ::close(in);
  if (::close(out) != 0 && status.ok()) status = WriteError(to, "write", errno);
  return status;
}

// Moves the database at `db` (and any -wal/-shm beside it) to `kept`.
core::Status KeepAside(const std::string& db, const std::string& kept) {
  std::error_code ec;
  if (fs::exists(kept, ec)) {
    return core::Conflict(core::kErrFileExists,
                          fmt::format("'{}' already exists; restore again in a second", kept));
  }
  for (const char* suffix : {"-wal", "-shm"}) {
    if (fs::exists(db + suffix, ec) &&
        ::rename((db + suffix).c_str(), (kept + suffix).c_str()) != 0) {
      return WriteError(kept + suffix, "write", errno);
    }
  }
  if (::rename(db.c_str(), kept.c_str()) != 0) return WriteError(kept, "write", errno);
  return core::OkStatus();
}

// Undoes KeepAside after the restored file could not be put in place: the
// database (and its -wal/-shm) goes back where it was. `why` is the error
// that stopped the restore; when even this fails, the error says where the
// old database now is, so it is never stranded under a name nobody was told.
core::Status PutBack(const std::string& kept, const std::string& db, const core::Status& why) {
  bool back = ::rename(kept.c_str(), db.c_str()) == 0;
  std::error_code ec;
  for (const char* suffix : {"-wal", "-shm"}) {
    if (back && fs::exists(kept + suffix, ec)) {
      back = ::rename((kept + suffix).c_str(), (db + suffix).c_str()) == 0;
    }
  }
  if (back) return why;
  return core::Internal(
      core::kErrDbError,
      fmt::format("{}; the database that was there is kept, whole, at '{}'", why.message(), kept));
}

}  // namespace

core::StatusOr<RestoreResult> RestoreSqlite(const std::string& backup, const std::string& db,
                                            const RestoreOptions& options) {
  std::error_code ec;
  const bool db_exists = fs::exists(db, ec);
  if (db_exists && fs::equivalent(backup, db, ec)) {
    return core::InvalidArgument(core::kErrBackupInvalid,
                                 fmt::format("'{}' is the database itself", backup));
  }
  RestoreResult result;
  ASSIGN_OR_RETURN(result.backup, CheckSqliteBackup(backup));
  if (db_exists) {
    if (!options.force) {
      return core::Conflict(core::kErrFileExists,
                            fmt::format("there is already a database at '{}'; give --force to "
                                        "replace it (it is kept as {}.before-restore-...)",
                                        db, db));
    }
    RETURN_IF_ERROR(CheckNotInUse(db));
  }
  const std::string temp = TemporaryBeside(db, "restoring");
  RemoveQuietly(temp);
  if (core::Status copied = CopyFile(backup, temp); !copied.ok()) {
    RemoveQuietly(temp);
    return copied;
  }
  // The normal migration path brings an older backup up to this program's
  // schema before anyone can open it.
  core::StatusOr<int> version = [&]() -> core::StatusOr<int> {
    ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Db> opened, sqlite::Db::Open(temp));
    return sqlite::ApplyMigrations(*opened);
  }();
  if (!version.ok()) {
    RemoveQuietly(temp);
    return version.status();
  }
  result.schema_version = *version;
  if (db_exists) {
    // Checked again: a server may have started while the copy was made.
    core::Status kept = CheckNotInUse(db);
    const std::string kept_path = db + ".before-restore-" + options.stamp;
    if (kept.ok()) kept = KeepAside(db, kept_path);
    if (!kept.ok()) {
      RemoveQuietly(temp);
      return kept;
    }
    result.kept = kept_path;
  }
  if (core::Status placed = PutInPlace(temp, db, /*replace=*/false); !placed.ok()) {
    RemoveQuietly(temp);
    if (!result.kept.empty()) return PutBack(result.kept, db, placed);
    return placed;
  }
  return result;
}

}  // namespace rollcall::store
