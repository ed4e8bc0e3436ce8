// Logins and their sessions (service::Sessions) with no web in between: the
// password check, the throttling of failed logins, logout, expiry, and the
// password change and reset that end an account's sessions.
#include "service/sessions.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error_codes.h"
#include "service/password.h"
#include "service/school_fixture.h"
#include "store/store.h"

namespace rollcall::service {
namespace {

class SessionsTest : public SchoolFixture {
 protected:
  static constexpr char kPassword[] = "correct-horse";
  static constexpr char kAddress[] = "203.0.113.9";

  // The office, the teacher and the head log in with kPassword.
  SessionsTest() {
    const std::string hash = *HashPassword(kPassword, HashCost::kTestOnly);
    for (const Principal* who : {&office_, &teacher_, &head_}) {
      EXPECT_TRUE(store_->SetPassword(who->user_id, hash).ok());
    }
    EXPECT_TRUE(services_->Load().ok());
  }

  Sessions& sessions() { return services_->sessions(); }
  int64_t Now() const { return clock_.NowSeconds(); }
  core::StatusOr<NewSession> LogIn(const std::string& username, const std::string& password,
                                   const std::string& address = kAddress) {
    return sessions().Login(username, password, address, Now());
  }
  // The code of a failed lookup of `token` now, "" when it is found.
  std::string LookupError(const std::string& token) {
    core::StatusOr<ActiveSession> found = sessions().Lookup(token, Now());
    return found.ok() ? "" : found.status().code();
  }
};

TEST_F(SessionsTest, ALoginOpensASessionThatItsTokenFinds) {
  core::StatusOr<NewSession> s = LogIn("teacher", kPassword);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->user.id, teacher_.user_id);
  EXPECT_FALSE(s->token.empty());
  EXPECT_FALSE(s->csrf.empty());

  core::StatusOr<ActiveSession> found = sessions().Lookup(s->token, Now());
  ASSERT_TRUE(found.ok()) << found.status().message();
  EXPECT_EQ(found->who.user_id, teacher_.user_id);
  EXPECT_EQ(found->who.role, store::Role::kTeacher);
  EXPECT_EQ(found->who.class_ids, std::vector<int64_t>{class_3a_});
  EXPECT_EQ(found->csrf, s->csrf);
  // Only the token's hash is stored.
  EXPECT_TRUE(store_->FindAuthSession(TokenHash(s->token)).ok());
  EXPECT_FALSE(store_->FindAuthSession(s->token).ok());
  // Past the recheck the store is asked again, and still has it.
  clock_.AdvanceSeconds(6);
  EXPECT_EQ(LookupError(s->token), "");
}

TEST_F(SessionsTest, AWrongPasswordAndAnUnknownUsernameFailAlike) {
  core::StatusOr<NewSession> wrong = LogIn("teacher", "wrong-password");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().kind(), core::ErrorKind::kUnauthenticated);
  EXPECT_EQ(wrong.status().code(), core::kErrLoginFailed);
  EXPECT_EQ(wrong.status().message(), "the username or password is not right");
  core::StatusOr<NewSession> nobody = LogIn("nobody", "wrong-password");
  ASSERT_FALSE(nobody.ok());
  EXPECT_EQ(nobody.status().code(), core::kErrLoginFailed);
  EXPECT_EQ(nobody.status().message(), wrong.status().message());

  core::StatusOr<NewSession> too_long = LogIn(std::string(65, 'a'), kPassword);
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.status().code(), core::kErrValueInvalid);
  EXPECT_EQ(LogIn("teacher", std::string(257, 'a')).status().code(), core::kErrValueInvalid);
  // One failure holds no one back.
  EXPECT_TRUE(LogIn("teacher", kPassword).ok());
}

TEST_F(SessionsTest, FiveFailuresHoldThatUsernameBackAtThatAddressOnly) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(LogIn("teacher", "wrong-password").status().code(), core::kErrLoginFailed) << i;
  }
  core::StatusOr<NewSession> held = LogIn("teacher", kPassword);
  ASSERT_FALSE(held.ok());
  EXPECT_EQ(held.status().kind(), core::ErrorKind::kUnauthenticated);
  EXPECT_EQ(held.status().code(), core::kErrLoginThrottled);
  EXPECT_EQ(held.status().message(),
            "too many failed logins for this username: try again in 30 seconds");
  // The same account from elsewhere, and a colleague at the same address,
  // log in as usual.
  EXPECT_TRUE(LogIn("teacher", kPassword, "198.51.100.7").ok());
  EXPECT_TRUE(LogIn("office", kPassword).ok());
  // 30 s on, the pair may try again; a success starts the count afresh.
  clock_.AdvanceSeconds(29);
  EXPECT_EQ(LogIn("teacher", kPassword).status().code(), core::kErrLoginThrottled);
  clock_.AdvanceSeconds(1);
  EXPECT_TRUE(LogIn("teacher", kPassword).ok());
  EXPECT_EQ(LogIn("teacher", "wrong-password").status().code(), core::kErrLoginFailed);
  EXPECT_TRUE(LogIn("teacher", kPassword).ok());
}

TEST_F(SessionsTest, EachFailureAfterTheFifthDoublesTheWait) {
  for (int i = 0; i < 5; ++i) (void)LogIn("teacher", "wrong-password");
  clock_.AdvanceSeconds(30);
  EXPECT_EQ(LogIn("teacher", "wrong-again").status().code(), core::kErrLoginFailed);
  EXPECT_EQ(LogIn("teacher", kPassword).status().message(),
            "too many failed logins for this username: try again in 60 seconds");
  clock_.AdvanceSeconds(59);
  EXPECT_EQ(LogIn("teacher", kPassword).status().code(), core::kErrLoginThrottled);
  clock_.AdvanceSeconds(1);
  EXPECT_TRUE(LogIn("teacher", kPassword).ok());
}

TEST_F(SessionsTest, FailuresAreForgottenAfterAQuarterOfAnHour) {
  for (int i = 0; i < 5; ++i) (void)LogIn("teacher", "wrong-password");
  EXPECT_EQ(LogIn("teacher", kPassword).status().code(), core::kErrLoginThrottled);
  clock_.AdvanceSeconds(15 * 60 + 1);
  EXPECT_TRUE(LogIn("teacher", kPassword).ok());
}

TEST_F(SessionsTest, OneAddressTryingManyAccountsMeetsACeiling) {
  Services services(*store_, clock_, {.sessions = {.login_address_failures_allowed = 3}});
  ASSERT_TRUE(services.Load().ok());
  for (const char* username : {"office", "teacher", "head"}) {
    EXPECT_EQ(
        services.sessions().Login(username, "wrong-password", kAddress, Now()).status().code(),
        core::kErrLoginFailed);
  }
  core::StatusOr<NewSession> held = services.sessions().Login("office", kPassword, kAddress, Now());
  ASSERT_FALSE(held.ok());
  EXPECT_EQ(held.status().code(), core::kErrLoginThrottled);
  EXPECT_EQ(held.status().message(),
            "too many failed logins from this address: try again in 15 minutes");
  EXPECT_TRUE(services.sessions().Login("office", kPassword, "198.51.100.7", Now()).ok());
  clock_.AdvanceSeconds(15 * 60 + 1);
  EXPECT_TRUE(services.sessions().Login("office", kPassword, kAddress, Now()).ok());
}

TEST_F(SessionsTest, LogoutEndsTheSessionAtOnce) {
  core::StatusOr<NewSession> s = LogIn("office", kPassword);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(LookupError(s->token), "");
  ASSERT_TRUE(sessions().Logout(s->token).ok());
  core::StatusOr<ActiveSession> found = sessions().Lookup(s->token, Now());
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), core::kErrNotLoggedIn);
  EXPECT_EQ(found.status().message(), "your session has ended: log in again");
  EXPECT_FALSE(store_->FindAuthSession(TokenHash(s->token)).ok());
  // Logging out of a session that has already ended is no error.
  EXPECT_TRUE(sessions().Logout(s->token).ok());
}

TEST_F(SessionsTest, ASessionLastsEightHours) {
  core::StatusOr<NewSession> s = LogIn("office", kPassword);
  ASSERT_TRUE(s.ok());
  // Used every 50 minutes, it is never idle for the hour...
  for (int step = 1; step <= 9; ++step) {
    clock_.AdvanceSeconds(50 * 60);
    ASSERT_EQ(LookupError(s->token), "") << step;
  }
  // ...but ends at 8 hours all the same.
  clock_.AdvanceSeconds(8 * 3600 - 1 - 9 * 50 * 60);
  EXPECT_EQ(LookupError(s->token), "");
  clock_.AdvanceSeconds(1);
  core::StatusOr<ActiveSession> found = sessions().Lookup(s->token, Now());
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().kind(), core::ErrorKind::kUnauthenticated);
  EXPECT_EQ(found.status().code(), core::kErrNotLoggedIn);
  EXPECT_EQ(found.status().message(), "your session has expired: log in again");
  EXPECT_FALSE(store_->FindAuthSession(TokenHash(s->token)).ok());
}

TEST_F(SessionsTest, AnHourWithoutActivityEndsTheSession) {
  core::StatusOr<NewSession> s = LogIn("office", kPassword);
  ASSERT_TRUE(s.ok());
  clock_.AdvanceSeconds(60 * 60 - 1);
  EXPECT_EQ(LookupError(s->token), "");  // used: the hour starts again
  clock_.AdvanceSeconds(60 * 60 - 1);
  EXPECT_EQ(LookupError(s->token), "");
  clock_.AdvanceSeconds(60 * 60);
  core::StatusOr<ActiveSession> found = sessions().Lookup(s->token, Now());
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().kind(), core::ErrorKind::kUnauthenticated);
  EXPECT_EQ(found.status().code(), core::kErrSessionIdle);
  EXPECT_EQ(found.status().message(),
            "you were signed out after 60 minutes without activity: log in again");
  // It has ended, not merely been refused.
  EXPECT_FALSE(store_->FindAuthSession(TokenHash(s->token)).ok());
  EXPECT_EQ(LookupError(s->token), core::kErrNotLoggedIn);
}

TEST_F(SessionsTest, LastSeenIsWrittenAtMostOnceAMinute) {
  core::StatusOr<NewSession> s = LogIn("teacher", kPassword);
  ASSERT_TRUE(s.ok());
  const int64_t opened = Now();
  const std::string hash = TokenHash(s->token);
  // A register's clicks, a few seconds apart, write nothing...
  for (int click = 0; click < 10; ++click) {
    clock_.AdvanceSeconds(5);
    ASSERT_EQ(LookupError(s->token), "");
  }
  EXPECT_EQ(store_->FindAuthSession(hash)->last_seen_at, opened);
  // ...until a minute has passed since the last write.
  clock_.AdvanceSeconds(10);
  ASSERT_EQ(LookupError(s->token), "");
  EXPECT_EQ(store_->FindAuthSession(hash)->last_seen_at, opened + 60);
  clock_.AdvanceSeconds(30);
  ASSERT_EQ(LookupError(s->token), "");
  EXPECT_EQ(store_->FindAuthSession(hash)->last_seen_at, opened + 60);
  // The cached session counts the write too: idle is measured from it.
  clock_.AdvanceSeconds(60 * 60 - 30 - 1);
  EXPECT_EQ(LookupError(s->token), "");
}

TEST_F(SessionsTest, TheIdleLimitIsTheSchoolsSetting) {
  SettingsChange change;
  change.session_idle_minutes = 4;
  EXPECT_EQ(services_->settings().Change(head_, change).status().code(), core::kErrValueInvalid);
  change.session_idle_minutes = 481;
  EXPECT_EQ(services_->settings().Change(head_, change).status().code(), core::kErrValueInvalid);
  change.session_idle_minutes = 15;
  ASSERT_TRUE(services_->settings().Change(head_, change).ok());
  EXPECT_EQ(sessions().IdleMinutes(), 15);
  core::StatusOr<NewSession> s = LogIn("office", kPassword);
  ASSERT_TRUE(s.ok());
  clock_.AdvanceSeconds(15 * 60 - 1);
  EXPECT_EQ(LookupError(s->token), "");
  clock_.AdvanceSeconds(15 * 60);
  core::StatusOr<ActiveSession> found = sessions().Lookup(s->token, Now());
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().message(),
            "you were signed out after 15 minutes without activity: log in again");
}

TEST_F(SessionsTest, EndAllForEndsEverySessionOfThatPersonAlone) {
  core::StatusOr<NewSession> a = LogIn("teacher", kPassword);
  core::StatusOr<NewSession> b = LogIn("teacher", kPassword, "198.51.100.7");
  core::StatusOr<NewSession> head = LogIn("head", kPassword);
  ASSERT_TRUE(a.ok() && b.ok() && head.ok());
  ASSERT_EQ(LookupError(a->token), "");  // cached now: ending must not wait for the recheck
  ASSERT_TRUE(sessions().EndAllFor(teacher_.user_id).ok());
  EXPECT_EQ(LookupError(a->token), core::kErrNotLoggedIn);
  EXPECT_EQ(LookupError(b->token), core::kErrNotLoggedIn);
  EXPECT_EQ(LookupError(head->token), "");
  EXPECT_TRUE(LogIn("teacher", kPassword).ok());
}

TEST_F(SessionsTest, NoTokenOrAnUnknownOneFindsNoSession) {
  for (const std::string& token : {std::string(), std::string(129, 'a')}) {
    core::StatusOr<ActiveSession> found = sessions().Lookup(token, Now());
    ASSERT_FALSE(found.ok());
    EXPECT_EQ(found.status().code(), core::kErrNotLoggedIn);
    EXPECT_EQ(found.status().message(), "log in first");
  }
  core::StatusOr<ActiveSession> unknown = sessions().Lookup("not-a-session", Now());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(), "your session has ended: log in again");
}

TEST_F(SessionsTest, ChangingYourPasswordEndsEveryOtherSessionAtOnce) {
  core::StatusOr<NewSession> laptop = LogIn("teacher", kPassword);
  core::StatusOr<NewSession> phone = LogIn("teacher", kPassword);
  core::StatusOr<NewSession> office = LogIn("office", kPassword);
  ASSERT_TRUE(laptop.ok() && phone.ok() && office.ok());

  core::StatusOr<NewSession> wrong =
      sessions().ChangeOwnPassword(teacher_, "not-it-at-all", "a-brand-new-one", kAddress, Now());
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), core::kErrLoginFailed);
  EXPECT_EQ(wrong.status().message(), "the current password is not right");
  EXPECT_EQ(
      sessions().ChangeOwnPassword(teacher_, kPassword, "short", kAddress, Now()).status().code(),
      core::kErrValueInvalid);
  EXPECT_EQ(LookupError(laptop->token), "");

  core::StatusOr<NewSession> next =
      sessions().ChangeOwnPassword(teacher_, kPassword, "a-brand-new-one", kAddress, Now());
  ASSERT_TRUE(next.ok()) << next.status().message();
  // Both earlier sessions have ended, with no wait for the cache; the
  // caller carries on in the new one, and other accounts are untouched.
  EXPECT_EQ(LookupError(laptop->token), core::kErrNotLoggedIn);
  EXPECT_EQ(LookupError(phone->token), core::kErrNotLoggedIn);
  EXPECT_EQ(LookupError(next->token), "");
  EXPECT_EQ(LookupError(office->token), "");
  EXPECT_EQ(LogIn("teacher", kPassword).status().code(), core::kErrLoginFailed);
  EXPECT_TRUE(LogIn("teacher", "a-brand-new-one").ok());
}

TEST_F(SessionsTest, AWrongCurrentPasswordIsThrottledAsAFailedLoginIs) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(sessions()
                  .ChangeOwnPassword(teacher_, "wrong-password", "a-brand-new-one", kAddress, Now())
                  .status()
                  .code(),
              core::kErrLoginFailed);
  }
  EXPECT_EQ(sessions()
                .ChangeOwnPassword(teacher_, kPassword, "a-brand-new-one", kAddress, Now())
                .status()
                .code(),
            core::kErrLoginThrottled);
  EXPECT_EQ(LogIn("teacher", kPassword).status().code(), core::kErrLoginThrottled);
}

TEST_F(SessionsTest, AResetEndsThatAccountsSessionsAtOnce) {
  core::StatusOr<NewSession> teacher = LogIn("teacher", kPassword);
  core::StatusOr<NewSession> head = LogIn("head", kPassword);
  ASSERT_TRUE(teacher.ok() && head.ok());
  EXPECT_EQ(sessions().ResetPassword(office_, teacher_.user_id, "reset-by-office").code(),
            core::kErrForbidden);
  EXPECT_EQ(LookupError(teacher->token), "");

  ASSERT_TRUE(sessions().ResetPassword(head_, teacher_.user_id, "reset-by-head").ok());
  EXPECT_EQ(LookupError(teacher->token), core::kErrNotLoggedIn);
  EXPECT_EQ(LookupError(head->token), "");
  EXPECT_TRUE(LogIn("teacher", "reset-by-head").ok());
}

TEST_F(SessionsTest, ReadingTheSchoolAgainForgetsTheCachedSessions) {
  core::StatusOr<NewSession> s = LogIn("teacher", kPassword);
  ASSERT_TRUE(s.ok());
  // Another process (`rollcall user password`) changes the password, which
  // ends the session in the store: the cache trusts it a few seconds more...
  ASSERT_TRUE(store_->SetPassword(teacher_.user_id, "other-hash").ok());
  clock_.AdvanceSeconds(4);
  EXPECT_EQ(LookupError(s->token), "");
  // ...unless the school is read again, as it is when another process writes.
  ASSERT_TRUE(services_->Load().ok());
  EXPECT_EQ(LookupError(s->token), core::kErrNotLoggedIn);
}

}  // namespace
}  // namespace rollcall::service
