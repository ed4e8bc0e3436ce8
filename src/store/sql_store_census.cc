// sql_store_census.cc: the school census returns a school has downloaded.
#include <fmt/format.h>

#include "core/error_codes.h"
#include "store/sql_store.h"

namespace rollcall::store::sql {

using core::StatusOr;

StatusOr<int64_t> SqlStore::AddCensusReturn(const CensusReturnRecord& r) {
  if (r.year < 2000 || r.year > 2200) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("census year {}: expected 2000 to 2200", r.year));
  }
  for (int64_t n : {r.pupils, r.enrolments, r.possible, r.authorised, r.unauthorised, r.problems}) {
    if (n < 0) {
      return core::InvalidArgument(core::kErrValueInvalid,
                                   "a census return's counts are never negative");
    }
  }
  return Write([&]() -> StatusOr<int64_t> {
    ASSIGN_OR_RETURN(
        Statement stmt,
        db_->Prepare("INSERT INTO census_returns (census, year, produced_at, by_user_id, by_name, "
                     "pupils, enrolments, possible, authorised, unauthorised, problems, xml) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id"));
    stmt.Bind(1, core::CensusName(r.census));
    stmt.Bind(2, r.year);
    stmt.Bind(3, r.produced_at);
    stmt.Bind(4, r.by_user_id);
    stmt.Bind(5, r.by_name);
    stmt.Bind(6, r.pupils);
    stmt.Bind(7, r.enrolments);
    stmt.Bind(8, r.possible);
    stmt.Bind(9, r.authorised);
    stmt.Bind(10, r.unauthorised);
    stmt.Bind(11, r.problems);
    stmt.Bind(12, r.xml);
    return stmt.InsertReturningId();
  });
}

StatusOr<std::vector<CensusReturnRecord>> SqlStore::CensusReturns() {
  return Read([&]() -> StatusOr<std::vector<CensusReturnRecord>> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("SELECT id, census, year, produced_at, by_user_id, by_name, "
                                  "pupils, enrolments, possible, authorised, unauthorised, "
                                  "problems FROM census_returns ORDER BY id DESC"));
    std::vector<CensusReturnRecord> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return out;
      CensusReturnRecord r;
      r.id = stmt.Int64(0);
      ASSIGN_OR_RETURN(r.census, NameColumn(stmt, 1, core::CensusFromName, "census"));
      r.year = static_cast<int>(stmt.Int64(2));
      r.produced_at = stmt.Int64(3);
      r.by_user_id = stmt.Int64(4);
      r.by_name = stmt.Text(5);
      r.pupils = stmt.Int64(6);
      r.enrolments = stmt.Int64(7);
      r.possible = stmt.Int64(8);
      r.authorised = stmt.Int64(9);
      r.unauthorised = stmt.Int64(10);
      r.problems = stmt.Int64(11);
      out.push_back(std::move(r));
    }
  });
}

StatusOr<std::string> SqlStore::CensusReturnXml(int64_t id) {
  return Read([&]() -> StatusOr<std::string> {
    ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("SELECT xml FROM census_returns WHERE id = ?1"));
    stmt.Bind(1, id);
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) {
      return core::NotFound(core::kErrNotFound, fmt::format("no census return with id {}", id));
    }
    return stmt.Text(0);
  });
}

}  // namespace rollcall::store::sql
