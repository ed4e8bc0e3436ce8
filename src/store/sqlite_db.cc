// sqlite_db.cc: the SQLite driver of sql_db.h.
#include "store/sqlite_db.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utility>

#include "core/error_codes.h"

namespace rollcall::store::sqlite {
namespace {

// SQLITE_TRANSIENT is an old-style cast in sqlite3.h; this is the same value.
const auto kTransient = reinterpret_cast<sqlite3_destructor_type>(-1);

constexpr int kBusyTimeoutMs = 5000;

// A statement borrowed from Db's cache (or a one-off, finalized when done).
class SqliteCursor final : public sql::Cursor {
 public:
  SqliteCursor(sqlite3* db, sqlite3_stmt* stmt, bool* in_use)
      : db_(db), stmt_(stmt), in_use_(in_use) {}
  SqliteCursor(const SqliteCursor&) = delete;
  SqliteCursor& operator=(const SqliteCursor&) = delete;

  ~SqliteCursor() override {
    if (in_use_ == nullptr) {
      sqlite3_finalize(stmt_);
      return;
    }
    // The return values repeat the last step's error, already reported.
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *in_use_ = false;
  }

  void BindInt64(int index, int64_t value) override {
    Keep(sqlite3_bind_int64(stmt_, index, value));
  }

  void BindText(int index, std::string_view value) override {
    Keep(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), kTransient, SQLITE_UTF8));
  }

  void BindNull(int index) override { Keep(sqlite3_bind_null(stmt_, index)); }

  void BindBlob(int index, std::string_view bytes) override {
    // A zero-length blob still binds as a blob, not as NULL: the pointer
    // passed must then be non-null.
    static constexpr char kEmpty = 0;
    Keep(sqlite3_bind_blob64(stmt_, index, bytes.empty() ? &kEmpty : bytes.data(), bytes.size(),
                             kTransient));
  }

  core::StatusOr<bool> Step() override {
    if (bind_rc_ != SQLITE_OK) {
      return ErrorStatus(bind_rc_, "binding a parameter", sqlite3_errstr(bind_rc_));
    }
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return ErrorStatus(rc, "running a statement", sqlite3_errmsg(db_));
  }

  bool IsNull(int col) const override { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

  int64_t Int64(int col) const override { return sqlite3_column_int64(stmt_, col); }

  std::string Text(int col) const override {
    const unsigned char* text = sqlite3_column_text(stmt_, col);
    if (text == nullptr) return {};
    const int size = sqlite3_column_bytes(stmt_, col);
    return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(size));
  }

  std::string Blob(int col) const override {
    const void* bytes = sqlite3_column_blob(stmt_, col);
    if (bytes == nullptr) return {};
    const int size = sqlite3_column_bytes(stmt_, col);
    return std::string(static_cast<const char*>(bytes), static_cast<size_t>(size));
  }

 private:
  void Keep(int rc) {
    if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  }

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  bool* in_use_;  // the cache entry's flag; null for a one-off statement
  int bind_rc_ = SQLITE_OK;
};

// A school database holds pupils' names, marks and password hashes: a new
// file is made readable by its owner only, whatever the umask. SQLite gives
// the -wal and -shm files the database file's mode. An existing file keeps
// its mode (its owner may have chosen it); any error here is left for SQLite
// to report when it opens the path.
void CreateOwnerOnly(const std::string& path) {
  if (path.empty() || path == ":memory:" || path.starts_with("file:")) return;
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return;
  ::fchmod(fd, 0600);  // the umask may have taken bits from 0600 as well
  ::close(fd);
}

}  // namespace

core::Status ErrorStatus(int rc, std::string_view what, std::string_view detail) {
  const int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return core::Unavailable(core::kErrDbBusy,
                             fmt::format("{}: database is busy ({})", what, detail));
  }
  return core::Internal(core::kErrDbError, fmt::format("{}: {} ({})", what, detail, rc));
}

core::StatusOr<std::unique_ptr<Db>> Db::Open(const std::string& path) {
  CreateOwnerOnly(path);
  sqlite3* handle = nullptr;
  // NOMUTEX: the store's own mutex already serialises every use of the handle.
  const int rc = sqlite3_open_v2(
      path.c_str(), &handle,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
      nullptr);
  if (rc != SQLITE_OK) {
    std::string detail = handle != nullptr ? sqlite3_errmsg(handle) : sqlite3_errstr(rc);
    sqlite3_close(handle);  // a handle is returned even on most failures
    return core::Unavailable(core::kErrDbOpen,
                             fmt::format("cannot open database '{}': {}", path, detail));
  }
  std::unique_ptr<Db> db(new Db(handle));
  sqlite3_extended_result_codes(handle, 1);
  sqlite3_busy_timeout(handle, kBusyTimeoutMs);

  // SQLite reads the file lazily: the first statement is where a file that is
  // not a database (or cannot be locked) shows itself.
  core::StatusOr<std::string> mode = db->JournalModeWal();
  if (!mode.ok()) {
    if (mode.status().code() == core::kErrDbBusy) return mode.status();
    return core::Unavailable(core::kErrDbOpen, fmt::format("cannot open database '{}': {}", path,
                                                           mode.status().message()));
  }
  // An in-memory database (":memory:") cannot use WAL and says "memory".
  if (*mode != "wal" && *mode != "memory") {
    return core::Unavailable(core::kErrDbOpen,
                             fmt::format("database '{}' refused WAL mode ({})", path, *mode));
  }
  // A page cache of 64 MB (SQLite's default is 2 MB): an import of a
  // school's years of marks writes millions of rows in one transaction, and
  // with the default cache SQLite spills and reads back its own pages (an
  // import of 2,000 pupils' five years took five times as long). Pages are
  // allocated as used, so a small school never takes the 64 MB.
  RETURN_IF_ERROR(
      db->Exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;"));
  return db;
}

core::StatusOr<std::string> Db::JournalModeWal() {
  ASSIGN_OR_RETURN(Statement stmt, Prepare("PRAGMA journal_mode=WAL"));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? stmt.Text(0) : std::string();
}

Db::~Db() {
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
  sqlite3_close(db_);
}

core::Status Db::Exec(const char* sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
  if (rc == SQLITE_OK) return core::OkStatus();
  std::string detail = error != nullptr ? error : sqlite3_errstr(rc);
  sqlite3_free(error);
  return ErrorStatus(rc, "executing SQL", detail);
}

core::StatusOr<Statement> Db::Prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end() && !it->second.in_use) {
    it->second.in_use = true;
    return Statement(std::make_unique<SqliteCursor>(db_, it->second.stmt, &it->second.in_use));
  }
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return ErrorStatus(rc, "preparing a statement", ErrorMessage());
  if (it != cache_.end()) {
    // The cached copy is busy (a nested use of the same SQL): use a one-off.
    return Statement(std::make_unique<SqliteCursor>(db_, stmt, nullptr));
  }
  auto inserted = cache_.emplace(std::string(sql), CachedStatement{stmt, true}).first;
  return Statement(std::make_unique<SqliteCursor>(db_, stmt, &inserted->second.in_use));
}

const char* Db::ErrorMessage() const { return sqlite3_errmsg(db_); }

core::Status Db::BeginWrite() { return Run("BEGIN IMMEDIATE"); }

core::Status Db::BeginRead() { return Run("BEGIN DEFERRED"); }

core::Status Db::Commit() { return Run("COMMIT"); }

core::Status Db::Rollback() { return Run("ROLLBACK"); }

core::StatusOr<int64_t> Db::ReserveId(std::string_view table) {
  // `table` is one of the store's own table names, never user input.
  ASSIGN_OR_RETURN(Statement stmt,
                   Prepare(fmt::format("SELECT COALESCE(MAX(id), 0) + 1 FROM {}", table)));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? stmt.Int64(0) : 1;
}

core::StatusOr<std::optional<int64_t>> Db::OutsideCommits() {
  ASSIGN_OR_RETURN(Statement stmt, Prepare("PRAGMA data_version"));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return core::Internal(core::kErrDbError, "PRAGMA data_version gave no row");
  return std::optional<int64_t>(stmt.Int64(0));
}

}  // namespace rollcall::store::sqlite
