// The PostgreSQL store across a lost connection: its backend terminated
// (pg_terminate_backend from a second connection) while idle, or while a
// write waits inside its transaction. The store must connect again with its
// school's settings, and a write cut off in flight must be saved exactly
// once or not at all, never in part. Skipped unless ROLLCALL_TEST_PG is set
// (scripts/with-test-postgres sets it).
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "core/error_codes.h"
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

class PostgresReconnectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::TestPgConninfo().empty()) GTEST_SKIP() << testing::kPgSkipReason;
    database_ = std::make_unique<PgTestDatabase>();
    core::StatusOr<std::unique_ptr<Store>> store =
        OpenPostgresStore(database_->conninfo(), "100001");
    ASSERT_TRUE(store.ok()) << testing::Describe(store.status());
    store_ = std::move(*store);
    watcher_ = std::make_unique<PgConn>(database_->conninfo());
  }

  int64_t AddPupil(const std::string& upn) {
    Pupil p;
    p.upn = upn;
    p.legal_given_name = "Given " + upn;
    p.legal_family_name = "Family";
    p.date_of_birth = D("2016-05-01");
    p.sex = "F";
    p.year_group = 4;
    core::StatusOr<int64_t> id = store_->AddPupil(p);
    EXPECT_TRUE(id.ok()) << testing::Describe(id.status());
    return id.ok() ? *id : 0;
  }

  // Terminates every backend of the store; the number signalled (one that
  // was terminated a moment ago may still be listed while it exits).
  std::string TerminateStoreBackends() {
    return watcher_->Exec(
        fmt::format("SELECT count(pg_terminate_backend(pid)) {}", testing::kStoreBackends));
  }

  // The pid of the store's backend once it waits for a lock, other than
  // `not_pid`; "" when none does within 10 s.
  std::string WaitForBlockedBackend(const std::string& not_pid) {
    for (int tries = 0; tries < 1000; ++tries) {
      const std::string pid = watcher_->Exec(
          fmt::format("SELECT pid::text {} AND wait_event_type = 'Lock' AND pid::text <> '{}'",
                      testing::kStoreBackends, not_pid));
      if (!pid.empty()) return pid;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return "";
  }

  // Rows of `table` the school can see, counted behind the store.
  std::string Count(const std::string& table) {
    PgConn raw(database_->conninfo());
    raw.Exec("SELECT set_config('rollcall.school_urn', '100001', false)");
    raw.Exec("SELECT set_config('rollcall.school_id', (SELECT id::text FROM schools), false)");
    return raw.Exec("SELECT count(*) FROM " + table);
  }

  std::unique_ptr<PgTestDatabase> database_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<PgConn> watcher_;
};

TEST_F(PostgresReconnectTest, TheStoreConnectsAgainAfterItsBackendIsTerminated) {
  const int64_t first = AddPupil("A000000000001");
  ASSERT_NE(TerminateStoreBackends(), "0");
  // A read on its own, then a write: each finds the connection gone and
  // replaces it, still scoped to its school (row-level security would show
  // no rows and refuse the insert otherwise).
  ASSERT_OK_AND_ASSIGN(std::vector<Pupil> pupils, store_->ListPupils());
  ASSERT_EQ(pupils.size(), 1u);
  EXPECT_EQ(pupils[0].id, first);
  ASSERT_NE(TerminateStoreBackends(), "0");
  const int64_t second = AddPupil("A000000000002");
  EXPECT_GT(second, first);
  ASSERT_NE(TerminateStoreBackends(), "0");
  ASSERT_OK(
      store_->SaveMarks({Write(first, Am("2025-09-08"), AttendanceCode::kPresentAm)}, kOffice, 5)
          .status());
  ASSERT_OK_AND_ASSIGN(std::vector<Mark> marks, store_->MarksForPupil(first));
  EXPECT_EQ(marks.size(), 1u);
  EXPECT_EQ(Count("pupils"), "2");
}

TEST_F(PostgresReconnectTest, AWriteCutOffBeforeCommitRunsAgainAndIsSavedOnce) {
  const int64_t a = AddPupil("A000000000001");
  const int64_t b = AddPupil("A000000000002");
  const int64_t c = AddPupil("A000000000003");
  // Another session holds mark_audit, so the store's write waits inside its
  // transaction, its marks already sent: there its backend is terminated.
  PgConn locker(database_->conninfo());
  locker.Exec("BEGIN; LOCK TABLE mark_audit IN EXCLUSIVE MODE");
  core::StatusOr<SaveMarksResult> saved = core::Internal(core::kErrDbError, "not run");
  std::thread writer([&] {
    saved = store_->SaveMarks({Write(a, Am("2025-09-08"), AttendanceCode::kPresentAm),
                               Write(b, Am("2025-09-08"), AttendanceCode::kIllness),
                               Write(c, Am("2025-09-08"), AttendanceCode::kNoReasonYet)},
                              kOffice, 5);
  });
  const std::string blocked = WaitForBlockedBackend("");
  EXPECT_FALSE(blocked.empty()) << "the write never waited for the lock";
  EXPECT_NE(TerminateStoreBackends(), "0");
  // The store runs the whole write again on a new connection, which waits
  // for the lock in turn; then the lock goes.
  EXPECT_FALSE(WaitForBlockedBackend(blocked).empty()) << "the write was not run again";
  locker.Exec("COMMIT");
  writer.join();
  ASSERT_TRUE(saved.ok()) << testing::Describe(saved.status());
  EXPECT_EQ(saved->changed, 3);
  EXPECT_EQ(Count("marks"), "3");
  EXPECT_EQ(Count("mark_audit"), "3") << "one audit row a mark: the first run left nothing";
}

TEST_F(PostgresReconnectTest, AWriteCutOffTwiceFailsAndLeavesNothing) {
  const int64_t a = AddPupil("A000000000001");
  const int64_t b = AddPupil("A000000000002");
  PgConn locker(database_->conninfo());
  locker.Exec("BEGIN; LOCK TABLE mark_audit IN EXCLUSIVE MODE");
  core::StatusOr<SaveMarksResult> saved = core::Internal(core::kErrDbError, "not run");
  std::thread writer([&] {
    saved = store_->SaveMarks({Write(a, Am("2025-09-08"), AttendanceCode::kPresentAm),
                               Write(b, Am("2025-09-08"), AttendanceCode::kIllness)},
                              kOffice, 5);
  });
  const std::string first = WaitForBlockedBackend("");
  EXPECT_FALSE(first.empty());
  EXPECT_NE(TerminateStoreBackends(), "0");
  EXPECT_FALSE(WaitForBlockedBackend(first).empty());
  EXPECT_NE(TerminateStoreBackends(), "0");
  writer.join();
  locker.Exec("COMMIT");
  EXPECT_ERROR(saved.status(), ErrorKind::kUnavailable, core::kErrDbOpen);
  EXPECT_EQ(Count("marks"), "0");
  EXPECT_EQ(Count("mark_audit"), "0");
  // And the store carries on.
  ASSERT_OK(store_->SaveMarks({Write(a, Am("2025-09-08"), AttendanceCode::kPresentAm)}, kOffice, 6)
                .status());
  EXPECT_EQ(Count("marks"), "1");
}

TEST_F(PostgresReconnectTest, AnErrorInAPipelinedWriteLeavesNothingOfTheTransaction) {
  const int64_t a = AddPupil("A000000000001");
  // The first mark is sent in the pipeline; the unknown pupil is refused
  // before anything commits.
  EXPECT_ERROR(store_
                   ->SaveMarks({Write(a, Am("2025-09-08"), AttendanceCode::kPresentAm),
                                Write(a + 100, Am("2025-09-08"), AttendanceCode::kPresentAm)},
                               kOffice, 5)
                   .status(),
               ErrorKind::kNotFound, core::kErrPupilUnknown);
  EXPECT_EQ(Count("marks"), "0");
  EXPECT_EQ(Count("mark_audit"), "0");
  // A statement the server refuses inside the pipeline (an arrival minute
  // outside the CHECK constraint's 0-1439): its error comes back at COMMIT
  // and nothing of the transaction is saved.
  EXPECT_FALSE(store_
                   ->SaveMarks({Write(a, Am("2025-09-08"), AttendanceCode::kLateBeforeClose,
                                      /*arrival=*/5000)},
                               kOffice, 5)
                   .ok());
  EXPECT_EQ(Count("marks"), "0");
  EXPECT_EQ(Count("mark_audit"), "0");
}

}  // namespace
}  // namespace rollcall::store
