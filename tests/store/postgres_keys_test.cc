// postgres_keys_test.cc
//
// The shape of the PostgreSQL schema's keys after every migration: what lets
// the tables of many schools be spread over several database servers by
// school_id (docs/scaling.md, migration 0034). Every table belongs to one
// school, except the reference tables listed below, which every server would
// hold a copy of. A per-school table's primary key, unique keys and indexes
// start with school_id, and its foreign keys to other per-school tables pair
// school_id with school_id, so each check and each join along a key stays
// within one school's rows. Skipped unless ROLLCALL_TEST_PG is set
// (scripts/with-test-postgres sets it).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "core/error_codes.h"
#include "store/store.h"
#include "store_test_util.h"

namespace rollcall::store {
namespace {

using testing::PgConn;
using testing::PgTestDatabase;

struct ReferenceTable {
  std::string_view name;
  std::string_view reason;
};

// The tables shared by all schools, each with why it cannot belong to one.
// A new table belongs here only when no school owns its rows; migration
// 0034 leaves exactly these alone.
constexpr ReferenceTable kReferenceTables[] = {
    {"schools",
     "the registry of schools: one row per school, which every per-school row refers to by "
     "school_id and an LA's view reads across schools by la_code"},
    {"schema_migrations", "the schema version of the whole database, the same for every school"},
};

// The reference tables as an SQL array literal.
std::string ReferenceTablesSql() {
  std::string names;
  for (const ReferenceTable& table : kReferenceTables) {
    names += fmt::format("{}'{}'", names.empty() ? "" : ", ", table.name);
  }
  return fmt::format("ARRAY[{}]::name[]", names);
}

// The per-school tables of the schema, as the end of a FROM clause that
// binds c (the table) and s (its school_id column, NULL when it has none),
// followed by a WHERE clause that more conditions may extend with AND.
std::string PerSchoolTablesSql() {
  return fmt::format(
      "pg_class c LEFT JOIN pg_attribute s ON s.attrelid = c.oid AND s.attname = 'school_id' "
      "AND NOT s.attisdropped "
      "WHERE c.relkind IN ('r', 'p') AND c.relnamespace = current_schema()::regnamespace "
      "AND c.relname <> ALL ({})",
      ReferenceTablesSql());
}

class PostgresKeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::TestPgConninfo().empty()) GTEST_SKIP() << testing::kPgSkipReason;
    database_ = std::make_unique<PgTestDatabase>();
    raw_ = std::make_unique<PgConn>(database_->conninfo());
  }

  // What `sql` lists: the first column of its one row, "" when NULL.
  std::string Exec(const std::string& sql) { return raw_->Exec(sql); }

  // The count `sql` returns, -1 when it fails (the failure is reported).
  int Count(const std::string& sql) {
    const std::string count = raw_->Exec(sql);
    return count.empty() ? -1 : std::stoi(count);
  }

  std::unique_ptr<PgTestDatabase> database_;
  std::unique_ptr<PgConn> raw_;
};

TEST_F(PostgresKeysTest, ThereArePerSchoolTablesToCheck) {
  // The other tests would pass on an empty schema: make sure they look at
  // the real one.
  EXPECT_GE(
      Count(fmt::format("SELECT count(*) FROM {} AND s.attnum IS NOT NULL", PerSchoolTablesSql())),
      60);
  EXPECT_EQ(Exec(fmt::format("SELECT string_agg(c.relname, ', ' ORDER BY c.relname) FROM {} "
                             "AND c.relname IN ('marks', 'pupils')",
                             PerSchoolTablesSql())),
            "marks, pupils");
}

TEST_F(PostgresKeysTest, ReferenceTablesExistHaveNoSchoolIdAndReferToNoSchoolsRows) {
  for (const ReferenceTable& table : kReferenceTables) {
    SCOPED_TRACE(table.name);
    EXPECT_FALSE(table.reason.empty());
    EXPECT_EQ(Exec(fmt::format("SELECT to_regclass('{}') IS NOT NULL", table.name)), "t")
        << "a reference table that no longer exists: take it off the list";
    EXPECT_EQ(Exec(fmt::format("SELECT count(*) FROM pg_attribute WHERE attrelid = '{}'"
                               "::regclass AND attname = 'school_id' AND NOT attisdropped",
                               table.name)),
              "0")
        << "a table with a school_id belongs to a school";
  }
  // A copy on every server cannot point at rows that live on only one.
  EXPECT_EQ(Exec(fmt::format(
                "SELECT string_agg(r.relname || ' ' || k.conname, ', ') FROM pg_constraint k "
                "JOIN pg_class r ON r.oid = k.conrelid JOIN pg_class t ON t.oid = k.confrelid "
                "WHERE k.contype = 'f' AND r.relname = ANY ({0}) AND t.relname <> ALL ({0})",
                ReferenceTablesSql())),
            "");
}

TEST_F(PostgresKeysTest, EveryPerSchoolTableHasAPrimaryKeyStartingWithSchoolId) {
  EXPECT_EQ(
      Exec(fmt::format(
          "SELECT string_agg(c.relname || COALESCE(' ' || (SELECT pg_get_constraintdef(k.oid) "
          "FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p'), "
          "' (no primary key)'), ', ' ORDER BY c.relname) FROM {} "
          "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid "
          "AND k.contype = 'p' AND k.conkey[1] = s.attnum)",
          PerSchoolTablesSql())),
      "");
}

TEST_F(PostgresKeysTest, EveryUniqueKeyAndIndexOfAPerSchoolTableStartsWithSchoolId) {
  // The primary key, the unique constraints and the bare unique indexes
  // (partial ones, say) each have a unique index. One without school_id
  // could only be checked by asking every server.
  EXPECT_EQ(Exec(fmt::format("SELECT string_agg(pg_get_indexdef(i.indexrelid), '; ' "
                             "ORDER BY c.relname) FROM pg_index i, {} "
                             "AND i.indrelid = c.oid AND i.indisunique "
                             "AND (s.attnum IS NULL OR i.indkey[0] <> s.attnum)",
                             PerSchoolTablesSql())),
            "");
  // The other indexes too: the read policy's school_id = ANY (...) is the
  // leading condition of each index scan (migration 0030).
  EXPECT_EQ(Exec(fmt::format("SELECT string_agg(pg_get_indexdef(i.indexrelid), '; ' "
                             "ORDER BY c.relname) FROM pg_index i, {} "
                             "AND i.indrelid = c.oid "
                             "AND (s.attnum IS NULL OR i.indkey[0] <> s.attnum)",
                             PerSchoolTablesSql())),
            "");
}

TEST_F(PostgresKeysTest, ForeignKeysBetweenPerSchoolTablesPairSchoolIdWithSchoolId) {
  EXPECT_EQ(Exec(fmt::format(
                "SELECT string_agg(c.relname || ' ' || pg_get_constraintdef(k.oid), '; ' "
                "ORDER BY c.relname, k.conname) FROM pg_constraint k, {} "
                "AND k.conrelid = c.oid AND k.contype = 'f' "
                "AND k.confrelid NOT IN (SELECT r.oid FROM pg_class r "
                "WHERE r.relname = ANY ({}) AND r.relnamespace = c.relnamespace) "
                "AND NOT EXISTS (SELECT 1 FROM generate_subscripts(k.conkey, 1) AS n "
                "JOIN pg_attribute rs ON rs.attrelid = k.confrelid AND rs.attname = 'school_id' "
                "WHERE k.conkey[n] = s.attnum AND k.confkey[n] = rs.attnum)",
                PerSchoolTablesSql(), ReferenceTablesSql())),
            "");
  // They are still there after 0034 made some of them again: a row of one
  // school cannot name another school's pupil.
  EXPECT_EQ(Exec("SELECT string_agg(pg_get_constraintdef(oid), '; ') FROM pg_constraint "
                 "WHERE conrelid = 'marks'::regclass AND confrelid = 'pupils'::regclass"),
            "FOREIGN KEY (school_id, pupil_id) REFERENCES pupils(school_id, id)");
  EXPECT_GE(Count(fmt::format("SELECT count(*) FROM pg_constraint k, {} "
                              "AND k.conrelid = c.oid AND k.contype = 'f' "
                              "AND k.confrelid <> 'schools'::regclass",
                              PerSchoolTablesSql())),
            49);
}

TEST_F(PostgresKeysTest, EveryPerSchoolTableHasForcedRowLevelSecurity) {
  EXPECT_EQ(Exec(fmt::format("SELECT string_agg(c.relname, ', ' ORDER BY c.relname) FROM {} "
                             "AND (NOT c.relrowsecurity OR NOT c.relforcerowsecurity OR "
                             "NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid))",
                             PerSchoolTablesSql())),
            "");
}

TEST_F(PostgresKeysTest, IdsStayUniqueAcrossSchools) {
  core::StatusOr<std::unique_ptr<Store>> a = OpenPostgresStore(database_->conninfo(), "100001");
  core::StatusOr<std::unique_ptr<Store>> b = OpenPostgresStore(database_->conninfo(), "100002");
  ASSERT_TRUE(a.ok()) << testing::Describe(a.status());
  ASSERT_TRUE(b.ok()) << testing::Describe(b.status());
  Pupil p;
  p.upn = "A000000000001";
  p.legal_given_name = "Ada";
  p.legal_family_name = "Lovelace";
  p.date_of_birth = testing::D("2016-05-01");
  p.sex = "F";
  p.year_group = 4;
  ASSERT_OK_AND_ASSIGN(const int64_t in_a, (*a)->AddPupil(p));
  ASSERT_OK_AND_ASSIGN(const int64_t in_b, (*b)->AddPupil(p));
  // The key is (school_id, id) now, but ids still come from one sequence
  // per table, so an id names one row in the whole database.
  EXPECT_NE(in_a, in_b);
  EXPECT_EQ(Exec("SELECT attidentity FROM pg_attribute WHERE attrelid = 'pupils'::regclass "
                 "AND attname = 'id'"),
            "d");
  ASSERT_OK_AND_ASSIGN(Pupil found, (*b)->GetPupil(in_b));
  EXPECT_EQ(found.upn, p.upn);
  EXPECT_ERROR((*a)->GetPupil(in_b), core::ErrorKind::kNotFound, core::kErrPupilUnknown);
}

}  // namespace
}  // namespace rollcall::store
