// postgres_test_util.h
//
// Throwaway PostgreSQL databases for the store tests. ROLLCALL_TEST_PG holds
// a libpq connection string for a role that may create databases (and is not
// a superuser, so row-level security applies to it);
// scripts/with-test-postgres starts a private cluster and sets it. Without
// it the PostgreSQL tests skip. Each test gets a fresh database copied from a
// template migrated once per process, so ids start at 1 as they do in a new
// SQLite file; the databases are dropped when the test (or the process)
// ends.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace rollcall::store::testing {

// The FROM and WHERE of the store's own backends in the test's database.
inline constexpr char kStoreBackends[] =
    "FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'rollcall'";

inline const char kPgSkipReason[] =
    "ROLLCALL_TEST_PG is not set: run under scripts/with-test-postgres (ctest does: "
    "store.postgres) or set it to a libpq connection string of a CREATEDB role";

inline std::string TestPgConninfo() {
  const char* conninfo = std::getenv("ROLLCALL_TEST_PG");
  return conninfo != nullptr ? conninfo : "";
}

// `conninfo` with its dbname replaced, as a keyword='value' string.
inline std::string WithDbname(const std::string& conninfo, const std::string& dbname) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (options == nullptr) {
    ADD_FAILURE() << "ROLLCALL_TEST_PG: " << (error != nullptr ? error : "cannot parse");
    PQfreemem(error);
    return conninfo;
  }
  std::string out;
  auto quote = [](const std::string& value) {
    std::string quoted = "'";
    for (char c : value) {
      if (c == '\'' || c == '\\') quoted += '\\';
      quoted += c;
    }
    return quoted + "'";
  };
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (std::string(o->keyword) == "dbname" || o->val == nullptr) continue;
    out += fmt::format("{}={} ", o->keyword, quote(o->val));
  }
  PQconninfoFree(options);
  return out + "dbname=" + quote(dbname);
}

// A libpq connection for tests that look behind the store. Exec returns the
// first column of the first row ("" when none) or sets *error.
class PgConn {
 public:
  explicit PgConn(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) ADD_FAILURE() << PQerrorMessage(conn_);
  }
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;
  ~PgConn() { PQfinish(conn_); }

  std::string Exec(const std::string& sql, std::string* error = nullptr) {
    PGresult* result = PQexec(conn_, sql.c_str());
    const ExecStatusType status = PQresultStatus(result);
    std::string value;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      if (error != nullptr) {
        *error = PQresultErrorMessage(result);
      } else {
        ADD_FAILURE() << sql << ": " << PQresultErrorMessage(result);
      }
    } else if (error != nullptr) {
      error->clear();
    }
    if (status == PGRES_TUPLES_OK && PQntuples(result) > 0) value = PQgetvalue(result, 0, 0);
    PQclear(result);
    return value;
  }

 private:
  PGconn* conn_;
};

// The process's connection to ROLLCALL_TEST_PG's database and its migrated
// template, dropped at exit.
class PgTestCluster {
 public:
  static PgTestCluster& Get() {
    static PgTestCluster cluster;
    return cluster;
  }
  PgConn& admin() { return *admin_; }
  const std::string& template_name() const { return template_; }
  std::string NextName() { return fmt::format("rollcall_test_{}_{}", getpid(), ++count_); }

  ~PgTestCluster() {
    admin_->Exec(fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", template_));
  }

 private:
  PgTestCluster()
      : admin_(std::make_unique<PgConn>(TestPgConninfo())),
        template_(fmt::format("rollcall_template_{}", getpid())) {
    admin_->Exec(fmt::format("DROP DATABASE IF EXISTS {} WITH (FORCE)", template_));
    admin_->Exec(fmt::format("CREATE DATABASE {}", template_));
    core::StatusOr<int> version = MigratePostgres(WithDbname(TestPgConninfo(), template_));
    if (!version.ok()) ADD_FAILURE() << "migrating the template: " << version.status().message();
  }

  std::unique_ptr<PgConn> admin_;
  std::string template_;
  int count_ = 0;
};

// A fresh, migrated database for one test.
class PgTestDatabase {
 public:
  PgTestDatabase() : name_(PgTestCluster::Get().NextName()) {
    PgTestCluster& cluster = PgTestCluster::Get();
    cluster.admin().Exec(
        fmt::format("CREATE DATABASE {} TEMPLATE {}", name_, cluster.template_name()));
    conninfo_ = WithDbname(TestPgConninfo(), name_);
  }
  PgTestDatabase(const PgTestDatabase&) = delete;
  PgTestDatabase& operator=(const PgTestDatabase&) = delete;
  ~PgTestDatabase() {
    PgTestCluster::Get().admin().Exec(fmt::format("DROP DATABASE {} WITH (FORCE)", name_));
  }

  const std::string& conninfo() const { return conninfo_; }

 private:
  std::string name_;
  std::string conninfo_;
};

}  // namespace rollcall::store::testing
