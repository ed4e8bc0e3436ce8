// open_store.cc: the factories of store.h that open a SQL store on a driver.
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <utility>

#include "core/error_codes.h"
#include "store/postgres_db.h"
#include "store/postgres_migrations.h"
#include "store/sql_store.h"
#include "store/sqlite_db.h"
#include "store/sqlite_migrations.h"
#include "store/store.h"

namespace rollcall::store {

core::StatusOr<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path) {
  ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Db> db, sqlite::Db::Open(path));
  RETURN_IF_ERROR(sqlite::ApplyMigrations(*db).status());
  return std::unique_ptr<Store>(std::make_unique<sql::SqlStore>(std::move(db)));
}

std::unique_ptr<Store> NewMemoryStore() {
  core::StatusOr<std::unique_ptr<Store>> store = OpenSqliteStore(":memory:");
  if (!store.ok()) {
    std::fprintf(stderr, "rollcall: cannot open an in-memory database: %s\n",
                 store.status().message().c_str());
    std::abort();
  }
  return std::move(*store);
}

core::StatusOr<int> MigrateSqlite(const std::string& path) {
  ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Db> db, sqlite::Db::Open(path));
  return sqlite::ApplyMigrations(*db);
}

// The pool behind store.h's opaque handle, and whether its database has been
// migrated yet: once per pool, not once per store.
class PostgresPool {
 public:
  explicit PostgresPool(std::shared_ptr<postgres::Pool> pool) : pool_(std::move(pool)) {}

  // Applies missing migrations the first time a store is opened on the pool.
  core::Status Migrate() {
    std::lock_guard lock(mu_);
    if (migrated_) return core::OkStatus();
    postgres::Db db(pool_);
    RETURN_IF_ERROR(postgres::ApplyMigrations(db).status());
    migrated_ = true;
    return core::OkStatus();
  }

  const std::shared_ptr<postgres::Pool>& pool() const { return pool_; }

 private:
  std::shared_ptr<postgres::Pool> pool_;
  std::mutex mu_;
  bool migrated_ = false;
};

namespace {

core::Status CheckPool(const std::shared_ptr<PostgresPool>& pool) {
  if (pool == nullptr) {
    return core::InvalidArgument(core::kErrValueInvalid, "no PostgreSQL connection pool given");
  }
  return pool->Migrate();
}

}  // namespace

core::StatusOr<std::shared_ptr<PostgresPool>> OpenPostgresPool(const std::string& conninfo,
                                                               int connections) {
  if (connections < 1 || connections > kMaxPostgresConnections) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("{} database connections: a pool holds 1 to {}",
                                             connections, kMaxPostgresConnections));
  }
  ASSIGN_OR_RETURN(std::shared_ptr<postgres::Pool> pool,
                   postgres::Pool::Open(conninfo, connections));
  return std::make_shared<PostgresPool>(std::move(pool));
}

core::StatusOr<std::unique_ptr<Store>> OpenPostgresStore(std::shared_ptr<PostgresPool> pool,
                                                         const std::string& school_urn) {
  RETURN_IF_ERROR(CheckPool(pool));
  auto db = std::make_unique<postgres::Db>(pool->pool());
  RETURN_IF_ERROR(postgres::OpenSchool(*db, school_urn));
  return std::unique_ptr<Store>(std::make_unique<sql::SqlStore>(std::move(db)));
}

core::StatusOr<std::unique_ptr<Store>> OpenPostgresLaView(std::shared_ptr<PostgresPool> pool,
                                                          const std::string& la_code) {
  RETURN_IF_ERROR(CheckPool(pool));
  auto db = std::make_unique<postgres::Db>(pool->pool());
  RETURN_IF_ERROR(postgres::OpenLaView(*db, la_code));
  return std::unique_ptr<Store>(std::make_unique<sql::SqlStore>(std::move(db)));
}

// A store of its own keeps a private pool of one connection, as a store had
// before pools.
core::StatusOr<std::unique_ptr<Store>> OpenPostgresStore(const std::string& conninfo,
                                                         const std::string& school_urn) {
  ASSIGN_OR_RETURN(std::shared_ptr<PostgresPool> pool, OpenPostgresPool(conninfo, 1));
  return OpenPostgresStore(std::move(pool), school_urn);
}

core::StatusOr<std::unique_ptr<Store>> OpenPostgresLaView(const std::string& conninfo,
                                                          const std::string& la_code) {
  ASSIGN_OR_RETURN(std::shared_ptr<PostgresPool> pool, OpenPostgresPool(conninfo, 1));
  return OpenPostgresLaView(std::move(pool), la_code);
}

core::StatusOr<int> MigratePostgres(const std::string& conninfo) {
  ASSIGN_OR_RETURN(std::unique_ptr<postgres::Db> db, postgres::Db::Open(conninfo));
  return postgres::ApplyMigrations(*db);
}

bool IsPostgresUri(std::string_view db) {
  return db.starts_with("postgresql://") || db.starts_with("postgres://");
}

}  // namespace rollcall::store
