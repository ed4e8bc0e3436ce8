// open_store.cc: the factories of store.h that open a SQL store on a driver.
#include <memory>
#include <utility>

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

core::StatusOr<int> MigrateSqlite(const std::string& path) {
  ASSIGN_OR_RETURN(std::unique_ptr<sqlite::Db> db, sqlite::Db::Open(path));
  return sqlite::ApplyMigrations(*db);
}

}  // namespace rollcall::store
