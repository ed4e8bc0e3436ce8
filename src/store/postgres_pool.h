// postgres_pool.h
//
// A fixed number of libpq connections to one database, shared by every
// PostgreSQL store of a process (each school's, each LA view's). A store's
// driver (postgres::Db) checks a connection out for one transaction, or for
// one statement outside a transaction, and gives it back afterwards, so a
// process serving a hundred schools holds only as many connections as it has
// work in flight. Connections are opened on first need, up to the size.
//
// Each connection remembers the session settings in force on it (its scope:
// the school, the LA, read-only) and which of the pool's statements it has
// prepared, so a driver sets the scope only when it differs and prepares a
// statement only on its first use on that connection. Thread-safe.
//
// Private to src/store: callers see store::PostgresPool (store.h).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/status.h"

struct pg_conn;

namespace rollcall::store::postgres {

// The first line of a libpq message (its reason, without the detail lines).
std::string FirstLine(const char* message);

// How long a checkout waits for a free connection before giving up with
// Unavailable DB_BUSY.
inline constexpr std::chrono::milliseconds kCheckoutWait{5000};

// One statement of the pool: the same SQL text has the same name on every
// connection, whichever store prepared it first.
struct Prepared {
  int index = 0;     // numbers the statement within the pool, from 0
  std::string name;  // rollcall_<index + 1>
  std::string text;  // with $N parameters
  int params = 0;
  bool deferrable = false;  // INSERT, UPDATE or DELETE: may be pipelined
  bool select = false;      // SELECT: safe to run again outside a transaction
};

// A session setting of a connection (set_config(name, value, false)).
using Setting = std::pair<std::string, std::string>;

// The value a setting has when no store has set it: what a scope that lacks
// it must put back ("off" for default_transaction_read_only, otherwise "",
// which the schema's functions read as unset).
std::string UnsetValue(std::string_view name);

// The settings of `want` that differ from those in force in `have`, a
// setting missing from either counting as UnsetValue; with `want`'s value,
// or the unset value where `want` lacks one.
std::vector<Setting> ScopeChanges(const std::vector<Setting>& have,
                                  const std::vector<Setting>& want);

// One pooled connection. Used by one driver at a time, between Checkout and
// Return; the pool never touches it in between.
struct Connection {
  pg_conn* conn = nullptr;
  bool broken = false;            // the server ended the session (a FATAL error)
  std::vector<bool> prepared;     // by Prepared::index: prepared on this connection
  std::vector<Setting> settings;  // session settings in force
  // Forgets what a replaced connection had: its statements and its settings.
  void Replace(pg_conn* fresh);
};

class Pool {
 public:
  // Connects once (so a wrong connection string or a superuser role fails
  // here, as postgres::Db::Open describes) and keeps that connection as the
  // first of `size` (at least 1). A checkout waits up to `wait` for one.
  static core::StatusOr<std::shared_ptr<Pool>> Open(const std::string& conninfo, int size,
                                                    std::chrono::milliseconds wait = kCheckoutWait);
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;
  ~Pool();

  // A free connection, preferring one whose settings are `scope` already;
  // a new one while fewer than size() are open; else the next one given
  // back, waiters served in the order they came. Unavailable DB_BUSY ("all
  // N database connections are busy") after waiting; Unavailable DB_OPEN
  // when a new connection cannot be made.
  core::StatusOr<Connection*> Checkout(const std::vector<Setting>& scope);
  // Gives back a connection from Checkout, idle (no transaction, no pipeline).
  void Return(Connection* connection);

  // The pool's statement for `sql` (written with ?N parameters), named once.
  // The reference stays valid as long as the pool.
  const Prepared& Register(std::string_view sql);

  const std::string& conninfo() const { return conninfo_; }
  int size() const { return size_; }

  // A new connection with the connection string (connect_timeout 10 s unless
  // it says otherwise) and the session settings every connection has, after
  // checking the role; the error names libpq's reason without the string.
  static core::StatusOr<pg_conn*> Connect(const std::string& conninfo);

 private:
  Pool(std::string conninfo, int size, std::chrono::milliseconds wait)
      : conninfo_(std::move(conninfo)), size_(size), wait_(wait) {}

  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const { return std::hash<std::string_view>()(sql); }
  };

  const std::string conninfo_;
  const int size_;
  const std::chrono::milliseconds wait_;

  // A checkout waiting for a connection, given one by Return in turn.
  struct Waiter {
    std::condition_variable wake;
    Connection* given = nullptr;
  };

  // True while fewer than size() connections are open or being opened.
  bool CanOpen() const;
  // Opens one more connection, outside the lock, for the caller.
  core::StatusOr<Connection*> OpenOne(std::unique_lock<std::mutex>& lock);

  std::mutex mu_;
  std::vector<std::unique_ptr<Connection>> connections_;  // every one opened
  std::vector<Connection*> free_;
  std::deque<Waiter*> waiters_;  // oldest first
  int opening_ = 0;              // connections being opened outside the lock

  std::mutex statements_mu_;
  std::unordered_map<std::string, Prepared*, SqlHash, std::equal_to<>> by_sql_;
  std::deque<Prepared> statements_;  // stable addresses
};

}  // namespace rollcall::store::postgres
