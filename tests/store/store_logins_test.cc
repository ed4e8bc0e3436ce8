// The one store suite, continued (instantiated for every backend in
// store_test.cc): failed logins counted by pair and by address, pending
// logins and their wrong codes, and the leases of scheduled jobs.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/error_codes.h"
#include "store/store.h"
#include "store_test_util.h"

namespace rollcall::store {
namespace {

using testing::StoreTest;

constexpr int64_t kWindow = 900;

std::string Hash(char c) { return std::string(64, c); }

TEST_P(StoreTest, FailedLoginsCountByPairAndByAddress) {
  ASSERT_OK(store().RecordLoginFailure({"teacher", "203.0.113.9", 100}, kWindow));
  ASSERT_OK(store().RecordLoginFailure({"teacher", "203.0.113.9", 110}, kWindow));
  ASSERT_OK(store().RecordLoginFailure({"office", "203.0.113.9", 120}, kWindow));
  ASSERT_OK(store().RecordLoginFailure({"teacher", "198.51.100.7", 130}, kWindow));

  ASSERT_OK_AND_ASSIGN(FailureCount pair, store().CountLoginFailures("teacher", "203.0.113.9"));
  EXPECT_EQ(pair.count, 2);
  EXPECT_EQ(pair.first, 100);
  EXPECT_EQ(pair.last, 110);
  ASSERT_OK_AND_ASSIGN(FailureCount none, store().CountLoginFailures("head", "203.0.113.9"));
  EXPECT_EQ(none.count, 0);
  EXPECT_EQ(none.last, 0);
  // The address counts every username's failures after `since`.
  ASSERT_OK_AND_ASSIGN(FailureCount address, store().CountAddressFailures("203.0.113.9", 0));
  EXPECT_EQ(address.count, 3);
  EXPECT_EQ(address.first, 100);
  EXPECT_EQ(address.last, 120);
  EXPECT_EQ(store().CountAddressFailures("203.0.113.9", 100)->count, 2);
  EXPECT_EQ(store().CountAddressFailures("198.51.100.7", 0)->count, 1);

  // Cleared: no longer the pair's, still the address's.
  ASSERT_OK(store().ClearLoginFailures("teacher", "203.0.113.9"));
  EXPECT_EQ(store().CountLoginFailures("teacher", "203.0.113.9")->count, 0);
  EXPECT_EQ(store().CountLoginFailures("teacher", "198.51.100.7")->count, 1);
  EXPECT_EQ(store().CountAddressFailures("203.0.113.9", 0)->count, 3);
  ASSERT_OK(store().RecordLoginFailure({"teacher", "203.0.113.9", 140}, kWindow));
  EXPECT_EQ(store().CountLoginFailures("teacher", "203.0.113.9")->count, 1);
}

TEST_P(StoreTest, AFailureSweepsOutWhatNoCountNeeds) {
  ASSERT_OK(store().RecordLoginFailure({"teacher", "203.0.113.9", 100}, kWindow));
  ASSERT_OK(store().RecordLoginFailure({"teacher", "203.0.113.9", 600}, kWindow));
  ASSERT_OK(store().RecordLoginFailure({"office", "203.0.113.9", 200}, kWindow));
  ASSERT_OK(store().ClearLoginFailures("office", "203.0.113.9"));
  // At 1400 the teacher's run goes on (its newest is 800 s old), so its
  // failure of 100 still counts for the pair though the address's window
  // no longer reaches it; the office's cleared one goes.
  ASSERT_OK(store().RecordLoginFailure({"head", "198.51.100.7", 1400}, kWindow));
  EXPECT_EQ(store().CountLoginFailures("teacher", "203.0.113.9")->count, 2);
  EXPECT_EQ(store().CountAddressFailures("203.0.113.9", 0)->count, 2);
  // A failure after a window's quiet starts the pair's run again.
  ASSERT_OK(store().RecordLoginFailure({"teacher", "203.0.113.9", 1501}, kWindow));
  ASSERT_OK_AND_ASSIGN(FailureCount pair, store().CountLoginFailures("teacher", "203.0.113.9"));
  EXPECT_EQ(pair.count, 1);
  EXPECT_EQ(pair.first, 1501);
  EXPECT_EQ(store().CountAddressFailures("203.0.113.9", 0)->count, 1);
  EXPECT_EQ(store().CountAddressFailures("198.51.100.7", 0)->count, 1);
}

TEST_P(StoreTest, PendingLoginsCountTheirWrongCodes) {
  const int64_t office = AddTestUser("office", Role::kOffice);
  const PendingLoginRecord pending{.token_hash = Hash('a'),
                                   .user_id = office,
                                   .must_enrol = true,
                                   .created_at = 100,
                                   .expires_at = 700};
  ASSERT_OK(store().CreatePendingLogin(pending));
  ASSERT_OK_AND_ASSIGN(PendingLoginRecord found, store().FindPendingLogin(Hash('a')));
  EXPECT_EQ(found.user_id, office);
  EXPECT_TRUE(found.must_enrol);
  EXPECT_FALSE(found.enrolment_begun);
  EXPECT_EQ(found.wrong_codes, 0);
  EXPECT_EQ(found.created_at, 100);
  EXPECT_EQ(found.expires_at, 700);

  EXPECT_EQ(*store().CountPendingWrongCode(Hash('a')), 1);
  EXPECT_EQ(*store().CountPendingWrongCode(Hash('a')), 2);
  EXPECT_EQ(store().FindPendingLogin(Hash('a'))->wrong_codes, 2);
  EXPECT_FALSE(*store().BeginPendingEnrolment(Hash('a')));
  EXPECT_TRUE(*store().BeginPendingEnrolment(Hash('a')));
  EXPECT_TRUE(store().FindPendingLogin(Hash('a'))->enrolment_begun);

  ASSERT_OK_AND_ASSIGN(bool first, store().DeletePendingLogin(Hash('a')));
  EXPECT_TRUE(first);
  ASSERT_OK_AND_ASSIGN(bool again, store().DeletePendingLogin(Hash('a')));  // none is no error
  EXPECT_FALSE(again);
  EXPECT_ERROR(store().FindPendingLogin(Hash('a')), core::ErrorKind::kNotFound,
               core::kErrPendingLoginEnded);
  EXPECT_ERROR(store().CountPendingWrongCode(Hash('a')), core::ErrorKind::kNotFound,
               core::kErrPendingLoginEnded);
  EXPECT_ERROR(store().BeginPendingEnrolment(Hash('a')), core::ErrorKind::kNotFound,
               core::kErrPendingLoginEnded);

  EXPECT_ERROR(store().CreatePendingLogin({.token_hash = "short", .user_id = office}),
               core::ErrorKind::kInvalidArgument, core::kErrValueInvalid);
  EXPECT_ERROR(store().CreatePendingLogin({.token_hash = Hash('b'), .user_id = office + 99}),
               core::ErrorKind::kNotFound, core::kErrUserUnknown);
}

TEST_P(StoreTest, ANewPendingLoginSweepsOutTheExpired) {
  const int64_t office = AddTestUser("office", Role::kOffice);
  ASSERT_OK(store().CreatePendingLogin(
      {.token_hash = Hash('a'), .user_id = office, .created_at = 100, .expires_at = 700}));
  ASSERT_OK(store().CreatePendingLogin(
      {.token_hash = Hash('b'), .user_id = office, .created_at = 200, .expires_at = 800}));
  // Still there when expired: the caller compares with its clock.
  EXPECT_TRUE(store().FindPendingLogin(Hash('a')).ok());
  ASSERT_OK(store().CreatePendingLogin(
      {.token_hash = Hash('c'), .user_id = office, .created_at = 750, .expires_at = 1350}));
  EXPECT_EQ(store().FindPendingLogin(Hash('a')).status().code(), core::kErrPendingLoginEnded);
  EXPECT_TRUE(store().FindPendingLogin(Hash('b')).ok());
  EXPECT_TRUE(store().FindPendingLogin(Hash('c')).ok());
}

TEST_P(StoreTest, ALeaseIsOneHoldersUntilItRunsOut) {
  ASSERT_OK_AND_ASSIGN(bool taken, store().TryTakeLease("daily-share", "host-a:1:x", 100, 700));
  EXPECT_TRUE(taken);
  // Another holder waits while it runs; its holder renews it.
  EXPECT_FALSE(*store().TryTakeLease("daily-share", "host-b:2:y", 699, 1299));
  EXPECT_TRUE(*store().TryTakeLease("daily-share", "host-a:1:x", 650, 1250));
  EXPECT_FALSE(*store().TryTakeLease("daily-share", "host-b:2:y", 1000, 1600));
  // Other jobs are apart.
  EXPECT_TRUE(*store().TryTakeLease("backup", "host-b:2:y", 1000, 1600));
  // Run out: taken over, and the old holder is refused.
  EXPECT_TRUE(*store().TryTakeLease("daily-share", "host-b:2:y", 1250, 1850));
  EXPECT_FALSE(*store().TryTakeLease("daily-share", "host-a:1:x", 1300, 1900));
  // Released by someone else: nothing changes; by its holder: free at once.
  ASSERT_OK(store().ReleaseLease("daily-share", "host-a:1:x"));
  EXPECT_FALSE(*store().TryTakeLease("daily-share", "host-a:1:x", 1300, 1900));
  ASSERT_OK(store().ReleaseLease("daily-share", "host-b:2:y"));
  EXPECT_TRUE(*store().TryTakeLease("daily-share", "host-a:1:x", 1300, 1900));

  EXPECT_ERROR(store().TryTakeLease("", "host-a:1:x", 1, 2), core::ErrorKind::kInvalidArgument,
               core::kErrValueInvalid);
  EXPECT_ERROR(store().TryTakeLease(std::string(65, 'j'), "h", 1, 2),
               core::ErrorKind::kInvalidArgument, core::kErrValueInvalid);
  EXPECT_ERROR(store().ReleaseLease("backup", ""), core::ErrorKind::kInvalidArgument,
               core::kErrValueInvalid);
}

TEST_P(StoreTest, AnotherSchoolsFailuresPendingLoginsAndLeasesAreApart) {
  if (GetParam() != testing::Backend::kPostgres) GTEST_SKIP() << "one school per SQLite database";
  const int64_t office = AddTestUser("office", Role::kOffice);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> other,
                       OpenPostgresStore(pg_database_->conninfo(), "100002"));
  ASSERT_OK(store().RecordLoginFailure({"office", "203.0.113.9", 100}, kWindow));
  ASSERT_OK(store().CreatePendingLogin(
      {.token_hash = Hash('a'), .user_id = office, .created_at = 100, .expires_at = 700}));
  EXPECT_TRUE(*store().TryTakeLease("daily-share", "host-a:1:x", 100, 700));

  EXPECT_EQ(other->CountLoginFailures("office", "203.0.113.9")->count, 0);
  EXPECT_EQ(other->CountAddressFailures("203.0.113.9", 0)->count, 0);
  EXPECT_EQ(other->FindPendingLogin(Hash('a')).status().code(), core::kErrPendingLoginEnded);
  // The other school's share is its own job.
  EXPECT_TRUE(*other->TryTakeLease("daily-share", "host-b:2:y", 100, 700));
  // Its sweeps and releases reach none of this school's rows.
  ASSERT_OK(other->RecordLoginFailure({"office", "203.0.113.9", 5000}, kWindow));
  ASSERT_OK(other->ReleaseLease("daily-share", "host-a:1:x"));
  EXPECT_EQ(store().CountLoginFailures("office", "203.0.113.9")->count, 1);
  EXPECT_FALSE(*store().TryTakeLease("daily-share", "host-c:3:z", 200, 800));
}

}  // namespace
}  // namespace rollcall::store
