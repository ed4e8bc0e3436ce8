// PostgreSQL stores sharing a pool of connections (store::OpenPostgresPool):
// more schools than connections, each used from several threads, every row
// landing in its own school and every read seeing only its school however
// the connections pass between them; a checkout that waits too long; a
// terminated connection replaced; prepared statements kept across schools.
// Skipped unless ROLLCALL_TEST_PG is set (scripts/with-test-postgres sets
// it), except the scope arithmetic at the top.
#include "store/postgres_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "core/error_codes.h"
#include "store/postgres_db.h"
#include "store/store.h"
#include "store_test_util.h"

namespace rollcall::store {
namespace {

using core::AttendanceCode;
using core::ErrorKind;
using testing::Am;
using testing::D;
using testing::kOffice;
using testing::PgConn;
using testing::PgTestDatabase;
using testing::Write;

using ScopeSettings = std::vector<postgres::Setting>;

TEST(PoolScopeTest, OnlyTheSettingsThatDifferAreSent) {
  const ScopeSettings school_a = {{"rollcall.school_urn", "100001"}, {"rollcall.school_id", "1"}};
  const ScopeSettings school_b = {{"rollcall.school_urn", "100002"}, {"rollcall.school_id", "2"}};
  EXPECT_TRUE(postgres::ScopeChanges(school_a, school_a).empty());
  EXPECT_EQ(postgres::ScopeChanges(school_a, school_b), school_b);
  // A fresh connection has nothing set, which is what a handle without
  // settings (migrations) wants.
  EXPECT_TRUE(postgres::ScopeChanges({}, {}).empty());
  EXPECT_EQ(postgres::ScopeChanges({}, school_a), school_a);
}

TEST(PoolScopeTest, AnEarlierScopesSettingsGoBackToUnset) {
  const ScopeSettings la = {{"rollcall.la_code", "909"}, {"default_transaction_read_only", "on"}};
  const ScopeSettings school = {{"rollcall.school_urn", "100001"}, {"rollcall.school_id", "1"}};
  // A school's store after an LA view: its own settings, and the LA's
  // cleared, read-only off again.
  EXPECT_EQ(postgres::ScopeChanges(la, school),
            (ScopeSettings{{"rollcall.school_urn", "100001"},
                           {"rollcall.school_id", "1"},
                           {"rollcall.la_code", ""},
                           {"default_transaction_read_only", "off"}}));
  // And the other way round.
  EXPECT_EQ(postgres::ScopeChanges(school, la),
            (ScopeSettings{{"rollcall.la_code", "909"},
                           {"default_transaction_read_only", "on"},
                           {"rollcall.school_urn", ""},
                           {"rollcall.school_id", ""}}));
  // ScopeSettings already back at unset need nothing.
  EXPECT_TRUE(postgres::ScopeChanges({{"rollcall.la_code", ""}}, {}).empty());
}

class PostgresPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::TestPgConninfo().empty()) GTEST_SKIP() << testing::kPgSkipReason;
    database_ = std::make_unique<PgTestDatabase>();
    watcher_ = std::make_unique<PgConn>(database_->conninfo());
  }

  std::shared_ptr<PostgresPool> Pool(int connections) {
    core::StatusOr<std::shared_ptr<PostgresPool>> pool =
        OpenPostgresPool(database_->conninfo(), connections);
    EXPECT_TRUE(pool.ok()) << testing::Describe(pool.status());
    return pool.ok() ? *pool : nullptr;
  }

  static std::unique_ptr<Store> Open(const std::shared_ptr<PostgresPool>& pool,
                                     const std::string& urn) {
    core::StatusOr<std::unique_ptr<Store>> store = OpenPostgresStore(pool, urn);
    EXPECT_TRUE(store.ok()) << testing::Describe(store.status());
    return store.ok() ? std::move(*store) : nullptr;
  }

  static core::StatusOr<int64_t> AddPupil(Store& store, const std::string& upn) {
    Pupil p;
    p.upn = upn;
    p.legal_given_name = "Given " + upn;
    p.legal_family_name = "Family";
    p.date_of_birth = D("2016-05-01");
    p.sex = "F";
    p.year_group = 4;
    return store.AddPupil(p);
  }

  // Rows of `table` that school `urn` holds, counted behind the stores.
  std::string Count(const std::string& urn, const std::string& table) {
    PgConn raw(database_->conninfo());
    raw.Exec("SELECT set_config('rollcall.school_urn', '" + urn + "', false)");
    raw.Exec("SELECT set_config('rollcall.school_id', (SELECT id::text FROM schools), false)");
    return raw.Exec("SELECT count(*) FROM " + table);
  }

  std::string Backends() {
    return watcher_->Exec(fmt::format("SELECT count(*) {}", testing::kStoreBackends));
  }

  std::unique_ptr<PgTestDatabase> database_;
  std::unique_ptr<PgConn> watcher_;
};

// A school's UPNs start with its own letter: A for the first, B for the next.
std::string Upn(int school, int thread, int n) {
  return fmt::format("{}{:012}", static_cast<char>('A' + school), thread * 1000 + n);
}

TEST_F(PostgresPoolTest, FiveSchoolsOnTwoConnectionsEachKeepTheirOwnRows) {
  constexpr int kSchools = 5;
  constexpr int kThreads = 2;  // per school
  constexpr int kPupils = 6;   // per thread
  std::shared_ptr<PostgresPool> pool = Pool(2);
  ASSERT_NE(pool, nullptr);
  std::vector<std::unique_ptr<Store>> schools;
  for (int school = 0; school < kSchools; ++school) {
    schools.push_back(Open(pool, fmt::format("10000{}", school + 1)));
    ASSERT_NE(schools.back(), nullptr);
  }
  std::atomic<int> failures = 0;
  std::vector<std::thread> threads;
  for (int school = 0; school < kSchools; ++school) {
    for (int thread = 0; thread < kThreads; ++thread) {
      threads.emplace_back([&, school, thread] {
        Store& store = *schools[static_cast<size_t>(school)];
        const char letter = static_cast<char>('A' + school);
        for (int n = 0; n < kPupils; ++n) {
          core::StatusOr<int64_t> id = AddPupil(store, Upn(school, thread, n));
          if (!id.ok()) {
            ADD_FAILURE() << "school " << school << ": " << testing::Describe(id.status());
            ++failures;
            return;
          }
          core::Status marked =
              store
                  .SaveMarks({Write(*id, Am("2025-09-08"), AttendanceCode::kPresentAm)}, kOffice, 5)
                  .status();
          EXPECT_TRUE(marked.ok()) << testing::Describe(marked);
          core::StatusOr<std::vector<Pupil>> pupils = store.ListPupils();
          if (!pupils.ok()) {
            ADD_FAILURE() << testing::Describe(pupils.status());
            ++failures;
            return;
          }
          for (const Pupil& pupil : *pupils) {
            if (pupil.upn[0] != letter) {
              ADD_FAILURE() << "school " << letter << " read " << pupil.upn;
              ++failures;
            }
          }
          core::StatusOr<std::vector<Mark>> marks = store.MarksForPupil(*id);
          EXPECT_TRUE(marks.ok() && marks->size() == 1u);
        }
      });
    }
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  for (int school = 0; school < kSchools; ++school) {
    const std::string urn = fmt::format("10000{}", school + 1);
    EXPECT_EQ(Count(urn, "pupils"), std::to_string(kThreads * kPupils)) << urn;
    EXPECT_EQ(Count(urn, "marks"), std::to_string(kThreads * kPupils)) << urn;
    EXPECT_EQ(
        Count(urn, fmt::format("pupils WHERE upn NOT LIKE '{}%'", static_cast<char>('A' + school))),
        "0")
        << urn;
  }
  // Five schools, ten threads, and never more than the pool's two connections.
  EXPECT_LE(std::stoi(Backends()), 2);
}

TEST_F(PostgresPoolTest, OneConnectionPassesBetweenSchoolsAndAnLaViewWithoutLeakingScope) {
  // With one connection every store reuses the one the last store left: if
  // the school were not set again on each checkout, B's rows would land in
  // A, A would read them, and after the LA view every write would be
  // refused as read-only.
  std::shared_ptr<PostgresPool> pool = Pool(1);
  ASSERT_NE(pool, nullptr);
  std::unique_ptr<Store> a = Open(pool, "100001");
  std::unique_ptr<Store> b = Open(pool, "100002");
  ASSERT_TRUE(a && b);
  ASSERT_OK(a->SetSchool({"Oak", "100001", "909", "primary"}));
  ASSERT_OK(b->SetSchool({"Ash", "100002", "910", "primary"}));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> la, OpenPostgresLaView(pool, "909"));
  for (int round = 0; round < 3; ++round) {
    ASSERT_OK_AND_ASSIGN(int64_t in_a, AddPupil(*a, Upn(0, 0, round)));
    ASSERT_OK_AND_ASSIGN(std::vector<Pupil> seen_by_la, la->ListPupils());
    EXPECT_EQ(seen_by_la.size(), static_cast<size_t>(round + 1));
    ASSERT_OK_AND_ASSIGN(int64_t in_b, AddPupil(*b, Upn(1, 0, round)));
    ASSERT_OK(a->SaveMarks({Write(in_a, Am("2025-09-08"), AttendanceCode::kPresentAm)}, kOffice, 5)
                  .status());
    EXPECT_ERROR(la->AddPupil(Pupil{}), ErrorKind::kPermissionDenied, core::kErrDbError);
    ASSERT_OK(b->SaveMarks({Write(in_b, Am("2025-09-08"), AttendanceCode::kIllness)}, kOffice, 5)
                  .status());
    ASSERT_OK_AND_ASSIGN(std::vector<Pupil> seen_by_a, a->ListPupils());
    ASSERT_OK_AND_ASSIGN(std::vector<Pupil> seen_by_b, b->ListPupils());
    ASSERT_EQ(seen_by_a.size(), static_cast<size_t>(round + 1));
    ASSERT_EQ(seen_by_b.size(), static_cast<size_t>(round + 1));
    for (const Pupil& pupil : seen_by_a) EXPECT_EQ(pupil.upn[0], 'A');
    for (const Pupil& pupil : seen_by_b) EXPECT_EQ(pupil.upn[0], 'B');
    ASSERT_OK_AND_ASSIGN(std::vector<Mark> b_marks, b->MarksForPupil(in_b));
    ASSERT_EQ(b_marks.size(), 1u);
    EXPECT_EQ(b_marks[0].code, AttendanceCode::kIllness);
    // A pupil id of the other school is unknown here.
    EXPECT_ERROR(a->GetPupil(in_b).status(), ErrorKind::kNotFound, core::kErrPupilUnknown);
  }
  EXPECT_EQ(Count("100001", "pupils"), "3");
  EXPECT_EQ(Count("100002", "pupils"), "3");
  EXPECT_EQ(Count("100001", "marks WHERE code = 1"), "3");
  EXPECT_EQ(Count("100002", "marks"), "3");
  EXPECT_EQ(Backends(), "1");
}

TEST_F(PostgresPoolTest, ACheckoutThatWaitsTooLongIsBusy) {
  ASSERT_OK_AND_ASSIGN(
      std::shared_ptr<postgres::Pool> pool,
      postgres::Pool::Open(database_->conninfo(), 1, std::chrono::milliseconds(300)));
  postgres::Db holder(pool);
  postgres::Db waiter(pool);
  ASSERT_OK(holder.BeginRead());
  const auto start = std::chrono::steady_clock::now();
  core::StatusOr<bool> stepped = [&]() -> core::StatusOr<bool> {
    ASSIGN_OR_RETURN(sql::Statement stmt, waiter.Prepare("SELECT 1"));
    return stmt.Step();
  }();
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_ERROR(stepped.status(), ErrorKind::kUnavailable, core::kErrDbBusy);
  EXPECT_NE(stepped.status().message().find("all 1 database connections are busy"),
            std::string::npos)
      << stepped.status().message();
  EXPECT_GE(waited, std::chrono::milliseconds(300));
  EXPECT_ERROR(waiter.BeginWrite(), ErrorKind::kUnavailable, core::kErrDbBusy);
  // Given back, the connection serves the waiter.
  ASSERT_OK(holder.Rollback());
  ASSERT_OK_AND_ASSIGN(sql::Statement again, waiter.Prepare("SELECT 1"));
  ASSERT_OK_AND_ASSIGN(bool row, again.Step());
  EXPECT_TRUE(row);
}

TEST_F(PostgresPoolTest, AWaitingCheckoutGetsTheConnectionWhenItIsGivenBack) {
  ASSERT_OK_AND_ASSIGN(
      std::shared_ptr<postgres::Pool> pool,
      postgres::Pool::Open(database_->conninfo(), 1, std::chrono::milliseconds(5000)));
  postgres::Db holder(pool);
  postgres::Db waiter(pool);
  ASSERT_OK(holder.BeginWrite());
  core::Status began = core::Internal(core::kErrDbError, "not run");
  std::thread thread([&] { began = waiter.BeginRead(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_OK(holder.Commit());
  thread.join();
  ASSERT_OK(began);
  ASSERT_OK(waiter.Rollback());
}

TEST_F(PostgresPoolTest, TerminatedConnectionsAreReplaced) {
  std::shared_ptr<PostgresPool> pool = Pool(2);
  ASSERT_NE(pool, nullptr);
  std::unique_ptr<Store> a = Open(pool, "100001");
  std::unique_ptr<Store> b = Open(pool, "100002");
  ASSERT_TRUE(a && b);
  ASSERT_OK_AND_ASSIGN(int64_t in_a, AddPupil(*a, Upn(0, 0, 1)));
  ASSERT_OK_AND_ASSIGN(int64_t in_b, AddPupil(*b, Upn(1, 0, 1)));
  for (int round = 0; round < 2; ++round) {
    ASSERT_NE(watcher_->Exec(fmt::format("SELECT count(pg_terminate_backend(pid)) {}",
                                         testing::kStoreBackends)),
              "0");
    // Reads and writes of both schools, each finding its connection gone
    // and a new one made, scoped to its school.
    ASSERT_OK_AND_ASSIGN(std::vector<Pupil> seen_by_a, a->ListPupils());
    ASSERT_EQ(seen_by_a.size(), static_cast<size_t>(round + 1));
    EXPECT_EQ(seen_by_a[0].id, in_a);
    ASSERT_OK_AND_ASSIGN(std::vector<Pupil> seen_by_b, b->ListPupils());
    ASSERT_EQ(seen_by_b.size(), static_cast<size_t>(round + 1));
    EXPECT_EQ(seen_by_b[0].id, in_b);
    ASSERT_OK(AddPupil(*a, Upn(0, 1, round)).status());
    ASSERT_OK(AddPupil(*b, Upn(1, 1, round)).status());
  }
  EXPECT_EQ(Count("100001", "pupils"), "3");
  EXPECT_EQ(Count("100002", "pupils"), "3");
  EXPECT_LE(std::stoi(Backends()), 2);
}

TEST_F(PostgresPoolTest, AStatementIsPreparedOncePerConnectionWhicheverSchoolUsesIt) {
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<postgres::Pool> pool,
                       postgres::Pool::Open(database_->conninfo(), 1));
  // The statements prepared on the connection, asked through it.
  auto prepared_count = [](postgres::Db& db) -> std::string {
    core::StatusOr<sql::Statement> stmt = db.Prepare("SELECT count(*) FROM pg_prepared_statements");
    if (!stmt.ok()) return stmt.status().message();
    core::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status().message();
    return stmt->Text(0);
  };
  auto run = [](postgres::Db& db, std::string_view sql) {
    ASSERT_OK_AND_ASSIGN(sql::Statement stmt, db.Prepare(sql));
    ASSERT_OK(stmt.Run());
  };
  postgres::Db a(pool);
  postgres::Db b(pool);
  ASSERT_OK(a.SetSessionSetting("rollcall.school_urn", "100001"));
  ASSERT_OK(b.SetSessionSetting("rollcall.school_urn", "100002"));
  run(a, "SELECT 1");
  EXPECT_EQ(prepared_count(a), "2");  // SELECT 1 and the count itself
  // B uses the same text on the same connection: the same statement, not
  // prepared again under another name (nor refused as a duplicate).
  run(b, "SELECT 1");
  EXPECT_EQ(prepared_count(b), "2");
  run(b, "SELECT 2");
  run(a, "SELECT 2");
  EXPECT_EQ(prepared_count(a), "3");
  // And each checkout had its own school in force.
  auto urn = [](postgres::Db& db) -> std::string {
    core::StatusOr<sql::Statement> stmt = db.Prepare("SELECT rollcall_school_urn()");
    if (!stmt.ok()) return stmt.status().message();
    core::StatusOr<bool> row = stmt->Step();
    return row.ok() ? stmt->Text(0) : row.status().message();
  };
  EXPECT_EQ(urn(a), "100001");
  EXPECT_EQ(urn(b), "100002");
  EXPECT_EQ(urn(a), "100001");
  // A statement prepared on a connection that was then replaced is
  // prepared again on the new one.
  ASSERT_NE(watcher_->Exec(
                fmt::format("SELECT count(pg_terminate_backend(pid)) {}", testing::kStoreBackends)),
            "0");
  // Gone, so the next statement cannot slip in before the backend exits.
  for (int tries = 0; tries < 1000 && Backends() != "0"; ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(Backends(), "0");
  run(a, "SELECT 1");
  EXPECT_EQ(urn(b), "100002");
  EXPECT_EQ(prepared_count(b), "3");  // SELECT 1, the school's URN and the count
}

TEST_F(PostgresPoolTest, APoolNeedsOneConnectionAtLeast) {
  EXPECT_ERROR(OpenPostgresPool(database_->conninfo(), 0).status(), ErrorKind::kInvalidArgument,
               core::kErrValueInvalid);
  EXPECT_ERROR(OpenPostgresStore(std::shared_ptr<PostgresPool>(), "100001").status(),
               ErrorKind::kInvalidArgument, core::kErrValueInvalid);
}

}  // namespace
}  // namespace rollcall::store
