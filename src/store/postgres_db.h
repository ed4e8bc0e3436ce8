// postgres_db.h
//
// The PostgreSQL driver of sql_db.h, over libpq. A Db is one store's handle
// on a Pool of connections (postgres_pool.h): it checks a connection out for
// each transaction, and for each statement outside one, and returns it
// afterwards; on checkout it makes the connection's session settings (the
// store's school or LA) its own, in the same round trip as BEGIN. Statements
// are server-side prepared statements, named once per distinct SQL text by
// the pool and prepared on each connection on first use there. The store's
// ?N parameters are rewritten to $N; values travel as text and the server
// infers their types from the columns they meet. Every failure comes back as
// a core::Status; nothing throws. Not thread-safe: the store serialises all
// use of one Db with its own mutex (the pool itself is shared safely).
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
#include "store/postgres_pool.h"
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
  // A handle on a private pool of one connection, made with a libpq
  // connection string ("host=... dbname=..." or "postgresql://user@host/db").
  // Unavailable DB_OPEN, naming libpq's reason, when it cannot connect;
  // PermissionDenied DB_OPEN when the role is a superuser or has BYPASSRLS,
  // since row-level security would not apply to it.
  static core::StatusOr<std::unique_ptr<Db>> Open(const std::string& conninfo);
  // A handle on a shared pool, with no session settings yet.
  explicit Db(std::shared_ptr<Pool> pool) : pool_(std::move(pool)) {}

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

  // Sets a session setting of this handle (set_config(name, value, false)):
  // the school or LA its connections are scoped to, and read-only mode. It
  // is put in force on whichever connection the next transaction or
  // statement checks out. Call outside a transaction.
  core::Status SetSessionSetting(std::string_view name, std::string_view value);

  // The advisory lock that BeginWrite takes: the school's id once a school
  // is open.
  void set_write_lock(int64_t key) { write_lock_ = key; }
  const std::shared_ptr<Pool>& pool() const { return pool_; }

  // Used by the cursors of Prepare.
  //
  // Runs `prepared` with text (or, where `binary`, binary) parameters and
  // waits for its result; outside a transaction, on a connection checked out
  // for it alone, and a SELECT whose connection was lost runs once more on a
  // new one. nullptr result with the error set on failure.
  core::StatusOr<pg_result*> ExecPrepared(const Prepared& prepared,
                                          const std::vector<const char*>& values,
                                          const std::vector<int>& lengths,
                                          const std::vector<int>& binary);
  // Sends `prepared` in the pipeline of the open write transaction (false:
  // no write transaction, run it now instead).
  bool CanPipeline(const Prepared& prepared) const;
  core::Status Pipeline(const Prepared& prepared, const std::vector<const char*>& values,
                        const std::vector<int>& lengths, const std::vector<int>& binary);
  // Reads the answers of everything pipelined; the first error, if any.
  core::Status Flush();

 private:
  // Checks a connection out of the pool unless one is held.
  core::Status Acquire();
  // Gives the held connection back, unless a transaction is open on it.
  void Release();
  bool Lost() const;
  // Replaces a lost connection, outside a transaction; Ok when it is not lost.
  core::Status EnsureConnected();
  core::Status Reconnect();
  core::Status ReconnectWithPauses();
  // Puts this handle's session settings in force on the held connection,
  // outside a transaction, when they differ.
  core::Status ApplyScope();
  // The SQL that sets `changes`: SELECT set_config(...), ...
  core::StatusOr<std::string> ScopeSql(const std::vector<Setting>& changes) const;
  // After `changes` were sent: in force (or, when the answer was an error,
  // not known to be, so that they are sent again).
  void Adopt(const std::vector<Setting>& changes, bool applied);
  // Prepares `prepared` on the held connection if it is not yet.
  core::Status EnsurePrepared(const Prepared& prepared);
  // The pool's statement for `sql`, remembered here to spare the pool's lock.
  const Prepared& Lookup(std::string_view sql);
  core::StatusOr<pg_result*> ExecPreparedHeld(const Prepared& prepared,
                                              const std::vector<const char*>& values,
                                              const std::vector<int>& lengths,
                                              const std::vector<int>& binary);
  core::Status ExecHeld(const char* sql);
  // The status of a failed result, noting a connection lost inside a
  // transaction.
  core::Status Failure(const pg_result* result, std::string_view what);
  // BEGIN (and for writers the lock), once more on a new connection when the
  // connection turns out to be lost.
  core::Status Begin(bool write);
  core::Status BeginOnce(bool write);
  core::Status CommitHeld();
  // After the connection was lost while COMMIT was on its way.
  core::Status SettleLostCommit();

  // Looked up by string_view without building a std::string per call.
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const { return std::hash<std::string_view>()(sql); }
  };

  std::shared_ptr<Pool> pool_;
  Connection* held_ = nullptr;  // checked out, between Acquire and Release
  std::vector<Setting> session_settings_;
  bool in_transaction_ = false;
  bool transaction_lost_ = false;
  bool reconnecting_ = false;  // inside Reconnect: a new loss fails, never recurses
  std::string xact_id_;        // the open write transaction's pg_current_xact_id()
  int pipelined_ = 0;          // statements sent whose answers are not read yet
  int64_t write_lock_ = kSchemaLock;
  std::unordered_map<std::string, const Prepared*, SqlHash, std::equal_to<>> statements_;
};

}  // namespace rollcall::store::postgres
