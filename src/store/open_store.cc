// open_store.cc: the factories of store.h that open a SQL store on a driver.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <utility>

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

core::StatusOr<std::unique_ptr<Store>> OpenPostgresStore(const std::string& conninfo,
                                                         const std::string& school_urn) {
  ASSIGN_OR_RETURN(std::unique_ptr<postgres::Db> db, postgres::Db::Open(conninfo));
  RETURN_IF_ERROR(postgres::ApplyMigrations(*db).status());
  RETURN_IF_ERROR(postgres::OpenSchool(*db, school_urn));
  return std::unique_ptr<Store>(std::make_unique<sql::SqlStore>(std::move(db)));
}

core::StatusOr<std::unique_ptr<Store>> OpenPostgresLaView(const std::string& conninfo,
                                                          const std::string& la_code) {
  ASSIGN_OR_RETURN(std::unique_ptr<postgres::Db> db, postgres::Db::Open(conninfo));
  RETURN_IF_ERROR(postgres::ApplyMigrations(*db).status());
  RETURN_IF_ERROR(postgres::OpenLaView(*db, la_code));
  return std::unique_ptr<Store>(std::make_unique<sql::SqlStore>(std::move(db)));
}

core::StatusOr<int> MigratePostgres(const std::string& conninfo) {
  ASSIGN_OR_RETURN(std::unique_ptr<postgres::Db> db, postgres::Db::Open(conninfo));
  return postgres::ApplyMigrations(*db);
}

bool IsPostgresUri(std::string_view db) {
  return db.starts_with("postgresql://") || db.starts_with("postgres://");
}

}  // namespace rollcall::store
