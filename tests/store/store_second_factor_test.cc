// The one store suite, continued (instantiated for every backend in
// store_test.cc): second factors, recovery codes, their log and the
// school's requirement.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error_codes.h"
#include "store/store.h"
#include "store_test_util.h"

namespace rollcall::store {
namespace {

using testing::StoreTest;

SecondFactor TestFactor(int64_t user_id, int64_t at) {
  return {.user_id = user_id,
          .secret = std::string(40, 'a'),
          .created_at = at,
          .recovery_key = std::string(64, 'b')};
}

SecondFactorEvent FactorEvent(int64_t user_id, SecondFactorEventKind kind, int64_t at) {
  return {
      .user_id = user_id, .kind = kind, .at = at, .by_user_id = user_id, .by_name = "Ms Office"};
}

std::string CodeHash(char c) { return std::string(64, c); }

TEST_P(StoreTest, ASecondFactorIsOnOnlyOnceConfirmed) {
  const int64_t office = AddTestUser("office", Role::kOffice);
  EXPECT_EQ(store().GetSecondFactor(office).status().code(), core::kErrUserUnknown);
  ASSERT_OK(store().StartSecondFactor(TestFactor(office, 100)));
  ASSERT_OK_AND_ASSIGN(SecondFactor waiting, store().GetSecondFactor(office));
  EXPECT_FALSE(waiting.confirmed_at.has_value());
  EXPECT_EQ(waiting.secret, std::string(40, 'a'));
  // Not on: no step can be used, and it is not listed.
  ASSERT_OK_AND_ASSIGN(bool used, store().UseTotpStep(office, 5));
  EXPECT_FALSE(used);
  ASSERT_OK_AND_ASSIGN(std::vector<int64_t> on, store().UsersWithSecondFactor());
  EXPECT_TRUE(on.empty());
  // Started again: replaced.
  SecondFactor again = TestFactor(office, 110);
  again.secret = std::string(40, 'c');
  ASSERT_OK(store().StartSecondFactor(again));
  EXPECT_EQ(store().GetSecondFactor(office)->secret, std::string(40, 'c'));

  ASSERT_OK(
      store().ConfirmSecondFactor(office, 7, 120, {CodeHash('1'), CodeHash('2')},
                                  FactorEvent(office, SecondFactorEventKind::kEnrolled, 120)));
  ASSERT_OK_AND_ASSIGN(SecondFactor confirmed, store().GetSecondFactor(office));
  EXPECT_EQ(confirmed.confirmed_at, 120);
  EXPECT_EQ(confirmed.last_step, 7);
  EXPECT_EQ(*store().RecoveryCodesLeft(office), 2);
  EXPECT_EQ(*store().UsersWithSecondFactor(), std::vector<int64_t>{office});
  // Once on, neither started nor confirmed again.
  EXPECT_EQ(store().StartSecondFactor(TestFactor(office, 130)).code(),
            core::kErrSecondFactorEnrolled);
  EXPECT_EQ(store()
                .ConfirmSecondFactor(office, 8, 130, {},
                                     FactorEvent(office, SecondFactorEventKind::kEnrolled, 130))
                .code(),
            core::kErrSecondFactorEnrolled);
  EXPECT_EQ(store().StartSecondFactor(TestFactor(office + 99, 130)).code(), core::kErrUserUnknown);
}

TEST_P(StoreTest, EachStepAndEachRecoveryCodeIsUsedOnce) {
  const int64_t office = AddTestUser("office", Role::kOffice);
  ASSERT_OK(store().StartSecondFactor(TestFactor(office, 100)));
  ASSERT_OK(
      store().ConfirmSecondFactor(office, 7, 100, {CodeHash('1'), CodeHash('2')},
                                  FactorEvent(office, SecondFactorEventKind::kEnrolled, 100)));
  EXPECT_FALSE(*store().UseTotpStep(office, 7));  // the step that confirmed it
  EXPECT_FALSE(*store().UseTotpStep(office, 6));  // an older one
  EXPECT_TRUE(*store().UseTotpStep(office, 8));
  EXPECT_FALSE(*store().UseTotpStep(office, 8));
  EXPECT_EQ(store().GetSecondFactor(office)->last_step, 8);

  const SecondFactorEvent used = FactorEvent(office, SecondFactorEventKind::kRecoveryCodeUsed, 200);
  EXPECT_TRUE(*store().UseRecoveryCode(office, CodeHash('1'), used));
  EXPECT_FALSE(*store().UseRecoveryCode(office, CodeHash('1'), used));
  EXPECT_FALSE(*store().UseRecoveryCode(office, CodeHash('9'), used));
  EXPECT_EQ(*store().RecoveryCodesLeft(office), 1);

  ASSERT_OK(store().ReplaceRecoveryCodes(
      office, {CodeHash('3'), CodeHash('4'), CodeHash('5')},
      FactorEvent(office, SecondFactorEventKind::kNewRecoveryCodes, 300)));
  EXPECT_EQ(*store().RecoveryCodesLeft(office), 3);
  EXPECT_FALSE(*store().UseRecoveryCode(office, CodeHash('2'), used));

  ASSERT_OK_AND_ASSIGN(std::vector<SecondFactorEvent> events, store().SecondFactorEvents(10));
  ASSERT_EQ(events.size(), 3u);  // newest first
  EXPECT_EQ(events[0].kind, SecondFactorEventKind::kNewRecoveryCodes);
  EXPECT_EQ(events[1].kind, SecondFactorEventKind::kRecoveryCodeUsed);
  EXPECT_EQ(events[2].kind, SecondFactorEventKind::kEnrolled);
  EXPECT_EQ(events[1].by_name, "Ms Office");
}

TEST_P(StoreTest, RemovingASecondFactorDropsItsCodesAndIsLogged) {
  const int64_t office = AddTestUser("office", Role::kOffice);
  const int64_t head = AddTestUser("head", Role::kHead);
  EXPECT_EQ(store()
                .RemoveSecondFactor(office, FactorEvent(office, SecondFactorEventKind::kReset, 100))
                .code(),
            core::kErrUserUnknown);
  ASSERT_OK(store().StartSecondFactor(TestFactor(office, 100)));
  ASSERT_OK(store().ConfirmSecondFactor(
      office, 7, 100, {CodeHash('1')}, FactorEvent(office, SecondFactorEventKind::kEnrolled, 100)));
  SecondFactorEvent reset = FactorEvent(office, SecondFactorEventKind::kReset, 200);
  reset.by_user_id = head;
  reset.by_name = "Mrs Head";
  ASSERT_OK(store().RemoveSecondFactor(office, reset));
  EXPECT_EQ(store().GetSecondFactor(office).status().code(), core::kErrUserUnknown);
  EXPECT_EQ(*store().RecoveryCodesLeft(office), 0);
  const SecondFactorEvent logged = (*store().SecondFactorEvents(1))[0];
  EXPECT_EQ(logged.kind, SecondFactorEventKind::kReset);
  EXPECT_EQ(logged.by_user_id, head);
  EXPECT_EQ(logged.by_name, "Mrs Head");
  // Enrolling again starts afresh.
  ASSERT_OK(store().StartSecondFactor(TestFactor(office, 300)));
}

TEST_P(StoreTest, TheRequirementIsOffUntilSetAndTheNewestCounts) {
  ASSERT_OK_AND_ASSIGN(SecondFactorPolicy none, store().GetSecondFactorPolicy());
  EXPECT_FALSE(none.required);
  ASSERT_OK(
      store().SaveSecondFactorPolicy({.required = true, .set_at = 100, .set_by = "Mrs Head"}));
  ASSERT_OK_AND_ASSIGN(SecondFactorPolicy on, store().GetSecondFactorPolicy());
  EXPECT_TRUE(on.required);
  EXPECT_EQ(on.set_at, 100);
  EXPECT_EQ(on.set_by, "Mrs Head");
  ASSERT_OK(
      store().SaveSecondFactorPolicy({.required = false, .set_at = 200, .set_by = "Mr Deputy"}));
  EXPECT_FALSE(store().GetSecondFactorPolicy()->required);
}

}  // namespace
}  // namespace rollcall::store
