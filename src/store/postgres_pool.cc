// postgres_pool.cc: the connections shared by a process's PostgreSQL stores.
#include "store/postgres_pool.h"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <algorithm>
#include <cctype>

#include "core/error_codes.h"
#include "store/postgres_db.h"

namespace rollcall::store::postgres {
namespace {

// libpq's messages end with a newline and may run to several lines: the
// first says what went wrong.
// The first word of a statement, upper-cased: what kind of statement it is.
std::string FirstWord(std::string_view sql) {
  size_t begin = 0;
  while (begin < sql.size() && (sql[begin] == ' ' || sql[begin] == '\n')) ++begin;
  std::string word;
  for (size_t i = begin; i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i])); ++i) {
    word.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i]))));
  }
  return word;
}

const std::string* Find(const std::vector<Setting>& settings, std::string_view name) {
  for (const Setting& setting : settings) {
    if (setting.first == name) return &setting.second;
  }
  return nullptr;
}

// The session settings every connection gets, and the check that row-level
// security applies to its role.
core::Status SetUp(PGconn* conn) {
  PGresult* set = PQexec(conn,
                         "SET client_encoding = 'UTF8'; SET lock_timeout = '5s'; "
                         "SET client_min_messages = warning; SET application_name = 'rollcall'");
  const bool set_ok = PQresultStatus(set) == PGRES_COMMAND_OK;
  core::Status status =
      set_ok ? core::OkStatus() : ErrorStatus(conn, set, "setting up the connection");
  PQclear(set);
  RETURN_IF_ERROR(status);
  PGresult* role = PQexec(conn,
                          "SELECT current_user, rolsuper OR rolbypassrls FROM pg_roles "
                          "WHERE rolname = current_user");
  if (PQresultStatus(role) != PGRES_TUPLES_OK) {
    status = ErrorStatus(conn, role, "checking the role");
  } else if (PQntuples(role) == 1 && std::string_view(PQgetvalue(role, 0, 1)) == "t") {
    status = core::PermissionDenied(
        core::kErrDbOpen,
        fmt::format("PostgreSQL role '{}' is a superuser or has BYPASSRLS, so row-level "
                    "security would not keep the schools apart; connect as an ordinary role",
                    PQgetvalue(role, 0, 0)));
  }
  PQclear(role);
  return status;
}

}  // namespace

std::string FirstLine(const char* message) {
  std::string_view text = message != nullptr ? message : "";
  return std::string(text.substr(0, text.find('\n')));
}

std::string UnsetValue(std::string_view name) {
  return name == "default_transaction_read_only" ? "off" : "";
}

std::vector<Setting> ScopeChanges(const std::vector<Setting>& have,
                                  const std::vector<Setting>& want) {
  std::vector<Setting> changes;
  auto value_in = [](const std::vector<Setting>& settings, const std::string& name) {
    const std::string* value = Find(settings, name);
    return value != nullptr ? *value : UnsetValue(name);
  };
  for (const auto& [name, value] : want) {
    if (value_in(have, name) != value) changes.emplace_back(name, value);
  }
  // A setting of an earlier scope that this one does not have goes back to
  // unset: a school's store must not inherit an LA view's LA or read-only.
  for (const auto& [name, value] : have) {
    if (Find(want, name) == nullptr && value != UnsetValue(name)) {
      changes.emplace_back(name, UnsetValue(name));
    }
  }
  return changes;
}

void Connection::Replace(PGconn* fresh) {
  PQfinish(conn);
  conn = fresh;
  broken = false;
  prepared.clear();
  settings.clear();
}

core::StatusOr<PGconn*> Pool::Connect(const std::string& conninfo) {
  // A default connect_timeout, listed before the connection string so that
  // one the string gives wins: without it a host that does not answer would
  // hold a reconnecting store for minutes.
  const char* const keywords[] = {"connect_timeout", "dbname", nullptr};
  const char* const values[] = {"10", conninfo.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) {
    return core::Unavailable(core::kErrDbOpen, "cannot connect to PostgreSQL: out of memory");
  }
  if (PQstatus(conn) != CONNECTION_OK) {
    // libpq quotes a connection string it cannot parse, password and all.
    std::string reason = FirstLine(PQerrorMessage(conn));
    for (size_t at = reason.find(conninfo); !conninfo.empty() && at != std::string::npos;
         at = reason.find(conninfo, at)) {
      reason.replace(at, conninfo.size(), "(the connection string)");
    }
    PQfinish(conn);
    return core::Unavailable(core::kErrDbOpen,
                             fmt::format("cannot connect to PostgreSQL: {}", reason));
  }
  if (core::Status set_up = SetUp(conn); !set_up.ok()) {
    PQfinish(conn);
    return set_up;
  }
  return conn;
}

core::StatusOr<std::shared_ptr<Pool>> Pool::Open(const std::string& conninfo, int size,
                                                 std::chrono::milliseconds wait) {
  std::shared_ptr<Pool> pool(new Pool(conninfo, std::max(size, 1), wait));
  ASSIGN_OR_RETURN(PGconn * conn, Connect(conninfo));
  auto first = std::make_unique<Connection>();
  first->conn = conn;
  pool->free_.push_back(first.get());
  pool->connections_.push_back(std::move(first));
  return pool;
}

Pool::~Pool() {
  for (const std::unique_ptr<Connection>& connection : connections_) PQfinish(connection->conn);
}

core::StatusOr<Connection*> Pool::Checkout(const std::vector<Setting>& scope) {
  std::unique_lock lock(mu_);
  // First come, first served: while anyone waits, a newcomer queues behind
  // them, so a store that gives a connection back and asks again at once
  // cannot keep it from the others.
  if (waiters_.empty()) {
    if (!free_.empty()) {
      // The connection that served this scope last costs no settings; else
      // the one given back most recently.
      auto same = std::find_if(free_.begin(), free_.end(), [&](const Connection* c) {
        return ScopeChanges(c->settings, scope).empty();
      });
      if (same == free_.end()) same = std::prev(free_.end());
      Connection* connection = *same;
      free_.erase(same);
      return connection;
    }
    if (CanOpen()) return OpenOne(lock);
  }
  Waiter me;
  waiters_.push_back(&me);
  // Given a connection, or first in the queue with room for one more (after
  // a connection that could not be opened); wait_for keeps one deadline
  // across spurious wakeups.
  const bool served = me.wake.wait_for(
      lock, wait_, [&] { return me.given != nullptr || (waiters_.front() == &me && CanOpen()); });
  if (me.given != nullptr) return me.given;
  if (served) {
    waiters_.pop_front();
    return OpenOne(lock);
  }
  waiters_.erase(std::find(waiters_.begin(), waiters_.end(), &me));
  return core::Unavailable(
      core::kErrDbBusy, fmt::format("all {} database connections are busy (waited {} ms for one)",
                                    size_, wait_.count()));
}

bool Pool::CanOpen() const { return static_cast<int>(connections_.size()) + opening_ < size_; }

core::StatusOr<Connection*> Pool::OpenOne(std::unique_lock<std::mutex>& lock) {
  ++opening_;
  lock.unlock();
  core::StatusOr<PGconn*> conn = Connect(conninfo_);
  lock.lock();
  --opening_;
  if (!conn.ok()) {
    // The first in the queue may try in turn.
    if (!waiters_.empty()) waiters_.front()->wake.notify_one();
    return conn.status();
  }
  auto connection = std::make_unique<Connection>();
  connection->conn = *conn;
  connections_.push_back(std::move(connection));
  return connections_.back().get();
}

void Pool::Return(Connection* connection) {
  std::lock_guard lock(mu_);
  if (waiters_.empty()) {
    free_.push_back(connection);
    return;
  }
  Waiter* first = waiters_.front();
  waiters_.pop_front();
  first->given = connection;
  first->wake.notify_one();
}

const Prepared& Pool::Register(std::string_view sql) {
  std::lock_guard lock(statements_mu_);
  auto it = by_sql_.find(sql);
  if (it != by_sql_.end()) return *it->second;
  Prepared& prepared = statements_.emplace_back();
  prepared.index = static_cast<int>(statements_.size()) - 1;
  prepared.name = fmt::format("rollcall_{}", prepared.index + 1);
  prepared.text = TranslatePlaceholders(sql, &prepared.params);
  const std::string word = FirstWord(sql);
  prepared.deferrable = word == "INSERT" || word == "UPDATE" || word == "DELETE";
  prepared.select = word == "SELECT";
  by_sql_.emplace(std::string(sql), &prepared);
  return prepared;
}

}  // namespace rollcall::store::postgres
