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
#include <utility>
#include <vector>

#include "core/status.h"
#include "store/sql_db.h"

struct pg_conn;
struct pg_result;

namespace rollcall::store::postgres {

using sql::Statement;

// The advisory lock of schema changes and school registration; school ids
// are positive, so no school's lock is the same.
inline constexpr int64_t kSchemaLock = -1;

// The pauses, in milliseconds, before the second and later attempts to
// reconnect: about 6 s in all, enough for a server restart.
inline constexpr int kReconnectPauses[] = {100, 400, 1000, 2000, 2500};

// Statements sent in one pipeline before their answers are read: bounds the
// answers waiting in the socket, so neither side blocks on a full buffer.
inline constexpr int kMaxPipelined = 256;

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
  bool FollowsChanges() const override { return true; }
  bool TransactionLost() const override { return transaction_lost_; }

  // Sets a session setting (set_config(name, value, false)) now and again on
  // every new connection: the school or LA the connection is scoped to, and
  // read-only mode. Call outside a transaction.
  core::Status SetSessionSetting(std::string_view name, std::string_view value);

  // The advisory lock that BeginWrite takes: the school's id once a school
  // is open.
  void set_write_lock(int64_t key) { write_lock_ = key; }
  pg_conn* handle() { return conn_; }

  // Used by the cursors of Prepare.
  struct Prepared {
    std::string name;
    std::string text;  // with $N parameters, to prepare again on a new connection
    int params = 0;
    bool deferrable = false;  // INSERT, UPDATE or DELETE: may be pipelined
    bool select = false;      // SELECT: safe to run again outside a transaction
    int generation = 0;       // the connection it was prepared on
  };
  // Runs `prepared` with text (or, where `binary`, binary) parameters and
  // waits for its result; outside a transaction, a SELECT whose connection
  // was lost runs once more on a new one. nullptr result with the error set
  // on failure.
  core::StatusOr<pg_result*> ExecPrepared(Prepared& prepared,
                                          const std::vector<const char*>& values,
                                          const std::vector<int>& lengths,
                                          const std::vector<int>& binary);
  // Sends `prepared` in the pipeline of the open write transaction (false:
  // no write transaction, run it now instead).
  bool CanPipeline(const Prepared& prepared) const;
  core::Status Pipeline(Prepared& prepared, const std::vector<const char*>& values,
                        const std::vector<int>& lengths, const std::vector<int>& binary);
  // Reads the answers of everything pipelined; the first error, if any.
  core::Status Flush();

 private:
  Db(pg_conn* conn, std::string conninfo) : conn_(conn), conninfo_(std::move(conninfo)) {}

  // A new connection with the connection string (connect_timeout 10 s unless
  // it says otherwise); nullptr only when out of memory.
  static pg_conn* Connect(const std::string& conninfo);
  // The session settings of a new connection, its role check and the
  // settings of SetSessionSetting.
  core::Status SetUpSession();
  bool Lost() const;
  // Replaces a lost connection, outside a transaction; Ok when it is not lost.
  core::Status EnsureConnected();
  core::Status Reconnect();
  core::Status ReconnectWithPauses();
  // Prepares `prepared` on the current connection if it is not yet.
  core::Status EnsurePrepared(Prepared& prepared);
  // The status of a failed result, noting a connection lost inside a
  // transaction.
  core::Status Failure(const pg_result* result, std::string_view what);
  // BEGIN (and for writers the lock), once more on a new connection when the
  // connection turns out to be lost.
  core::Status Begin(bool write);
  core::Status BeginOnce(bool write);
  // After the connection was lost while COMMIT was on its way.
  core::Status SettleLostCommit();

  // Looked up by string_view without building a std::string per call.
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const { return std::hash<std::string_view>()(sql); }
  };

  pg_conn* conn_;
  std::string conninfo_;
  std::vector<std::pair<std::string, std::string>> session_settings_;
  int generation_ = 1;  // bumped by each new connection
  bool in_transaction_ = false;
  bool transaction_lost_ = false;
  bool broken_ = false;        // the server ended the session (a FATAL error)
  bool reconnecting_ = false;  // inside Reconnect: a new loss fails, never recurses
  std::string xact_id_;        // the open write transaction's pg_current_xact_id()
  int pipelined_ = 0;          // statements sent whose answers are not read yet
  int64_t write_lock_ = kSchemaLock;
  std::unordered_map<std::string, Prepared, SqlHash, std::equal_to<>> prepared_;
};

}  // namespace rollcall::store::postgres
