// postgres_db.h
//
// The PostgreSQL driver of sql_db.h, over libpq: one connection (Db) and its
// server-side prepared statements, named once per distinct SQL text. The
// store's ?N parameters are rewritten to $N; values travel as text and the
// server infers their types from the columns they meet. Every failure comes
// back as a core::Status; nothing throws. Not thread-safe: the store
// serialises all use of one Db with its own mutex.
//
// Write transactions take a transaction-scoped advisory lock first (the
// school's id, or kSchemaLock while migrating or registering a school), so
// writers to one school queue as they do on SQLite's single write lock and
// the store's check-then-write logic stays correct; writers to different
// schools do not wait for each other. Lock waits give up after 5 s
// (lock_timeout) with Unavailable DB_BUSY.
//
// Private to src/store: callers of the store see only store.h.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"
#include "store/sql_db.h"

struct pg_conn;
struct pg_result;

namespace rollcall::store::postgres {

using sql::Statement;

// The advisory lock of schema changes and school registration; school ids
// are positive, so no school's lock is the same.
inline constexpr int64_t kSchemaLock = -1;

// Rewrites the numbered parameters ?1, ?2, ... to $1, $2, ..., leaving string
// literals, quoted identifiers and comments alone. Sets `params` to the
// highest number used.
std::string TranslatePlaceholders(std::string_view sql, int* params);

// Maps a failed result to a Status: serialisation failures, deadlocks and
// lock timeouts become Unavailable DB_BUSY; a read-only transaction or a
// row-level security refusal PermissionDenied DB_ERROR; a lost connection
// Unavailable DB_OPEN; everything else (constraint violations included)
// Internal DB_ERROR, as on SQLite.
core::Status ErrorStatus(pg_conn* conn, const pg_result* result, std::string_view what);

class Db final : public sql::Db {
 public:
  // Connects with a libpq connection string ("host=... dbname=..." or
  // "postgresql://user@host/db"). Unavailable DB_OPEN, naming libpq's
  // reason, when it cannot connect; PermissionDenied DB_OPEN when the role
  // is a superuser or has BYPASSRLS, since row-level security would not
  // apply to it.
  static core::StatusOr<std::unique_ptr<Db>> Open(const std::string& conninfo);

  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db() override;

  core::Status Exec(const char* sql) override;
  core::StatusOr<Statement> Prepare(std::string_view sql) override;
  core::Status BeginWrite() override;  // BEGIN, then the advisory lock
  core::Status BeginRead() override;   // REPEATABLE READ, READ ONLY: one snapshot
  core::Status Commit() override;
  core::Status Rollback() override;
  // nextval() of the table's identity sequence.
  core::StatusOr<int64_t> ReserveId(std::string_view table) override;
  // PostgreSQL has no per-connection counter of others' commits: nullopt.
  core::StatusOr<std::optional<int64_t>> OutsideCommits() override {
    return std::optional<int64_t>();
  }

  // The advisory lock that BeginWrite takes: the school's id once a school
  // is open.
  void set_write_lock(int64_t key) { write_lock_ = key; }
  pg_conn* handle() { return conn_; }

 private:
  explicit Db(pg_conn* conn) : conn_(conn) {}

  struct Prepared {
    std::string name;
    int params = 0;
  };

  // Looked up by string_view without building a std::string per call.
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const { return std::hash<std::string_view>()(sql); }
  };

  pg_conn* conn_;
  int64_t write_lock_ = kSchemaLock;
  std::unordered_map<std::string, Prepared, SqlHash, std::equal_to<>> prepared_;
};

}  // namespace rollcall::store::postgres
