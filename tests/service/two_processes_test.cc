// Two server processes on one database: two Services, each over its own
// connection to the same SQLite file, as two `rollcall serve` processes
// behind a load balancer would be. What a login needs between requests is
// the store's, so failed logins counted on one hold a guesser back on the
// other, a password typed on one is finished with a code on the other, and
// a scheduled job's lease taken by one keeps the other from running it.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <latch>
#include <memory>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "core/error_codes.h"
#include "io/totp.h"
#include "service/jobs.h"
#include "service/password.h"
#include "service/services.h"
#include "service/sessions.h"
#include "service/words.h"
#include "store/store.h"
#include "support/dates.h"
#include "support/fake_clock.h"

namespace rollcall::service {
namespace {

using rollcall::testing::D;
using rollcall::testing::FakeClock;

class TwoProcessesTest : public ::testing::Test {
 protected:
  static constexpr char kPassword[] = "correct-horse";
  static constexpr char kAddress[] = "203.0.113.9";

  // A school with an office account and a teacher, both with kPassword, in
  // a new database file; then the two processes over it.
  TwoProcessesTest() : clock_(D("2026-11-25"), 10 * 60) {
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = (std::filesystem::temp_directory_path() /
             fmt::format("rollcall_two_{}_{}.db", getpid(), info->name()))
                .string();
    RemoveFiles();
    first_store_ = Open();
    store::Store& store = *first_store_;
    EXPECT_TRUE(store.SetSchool({"Test Primary", "123456", "909", "primary"}).ok());
    store::Settings settings;
    settings.set_by = "test";
    EXPECT_TRUE(store.SaveSettings(settings).ok());
    EXPECT_TRUE(store.AddTerm({0, "Autumn 2026", D("2026-09-02"), D("2026-12-18")}).ok());
    const std::string hash = *HashPassword(kPassword, HashCost::kTestOnly);
    for (const auto& [username, role] :
         {std::pair{"office", store::Role::kOffice}, std::pair{"teacher", store::Role::kTeacher}}) {
      store::User u;
      u.username = username;
      u.display_name = std::string("Name of ") + username;
      u.role = role;
      u.password_hash = hash;
      core::StatusOr<int64_t> id = store.AddUser(u);
      EXPECT_TRUE(id.ok()) << id.status().message();
      if (id.ok() && u.username == "office") office_id_ = *id;
    }
    second_store_ = Open();
    one_ = std::make_unique<Services>(*first_store_, clock_);
    two_ = std::make_unique<Services>(*second_store_, clock_);
    EXPECT_TRUE(one_->Load().ok());
    EXPECT_TRUE(two_->Load().ok());
  }

  ~TwoProcessesTest() override {
    one_.reset();
    two_.reset();
    first_store_.reset();
    second_store_.reset();
    RemoveFiles();
  }

  std::unique_ptr<store::Store> Open() {
    core::StatusOr<std::unique_ptr<store::Store>> opened = store::OpenSqliteStore(path_);
    EXPECT_TRUE(opened.ok()) << opened.status().message();
    return opened.ok() ? std::move(opened).value() : store::NewMemoryStore();
  }
  void RemoveFiles() {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::filesystem::remove(path_ + suffix, ignored);
    }
  }

  int64_t Now() const { return clock_.NowSeconds(); }
  std::string LogInError(Services& process, const std::string& password,
                         const std::string& address = kAddress) {
    core::StatusOr<NewSession> s = process.sessions().Login("teacher", password, address, Now());
    return s.ok() ? "" : s.status().code();
  }

  // The office's second factor, enrolled through the first process; the
  // clock then moves on a step, so the code that confirmed it is not the
  // next login's.
  void EnrolOffice() {
    ASSERT_TRUE(one_->second_factors().Start(office_id_, Now()).ok());
    core::StatusOr<std::vector<std::string>> codes =
        one_->second_factors().Confirm(office_id_, Code(), "Name of office", Now());
    ASSERT_TRUE(codes.ok()) << codes.status().message();
    recovery_codes_ = *codes;
    clock_.AdvanceSeconds(30);
  }
  // The code the office's phone shows now, and one that is not right.
  std::string Code() { return *io::TotpCode(Secret(), Now()); }
  std::string WrongCode() {
    const std::string secret = Secret();
    for (int n = 0;; ++n) {
      std::string guess = fmt::format("{:06d}", n);
      if (!io::TotpMatch(secret, guess, Now())) return guess;
    }
  }
  std::string Secret() {
    const std::string hex = first_store_->GetSecondFactor(office_id_)->secret;
    std::string out;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) {
      out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    }
    return out;
  }
  // The office's password typed on `process`: a pending login.
  PendingLogin Pending(Services& process) {
    core::StatusOr<LoginStep> step =
        process.sessions().BeginLogin("office", kPassword, kAddress, Now());
    EXPECT_TRUE(step.ok()) << step.status().message();
    EXPECT_TRUE(step.ok() && step->pending);
    return step.ok() && step->pending ? *step->pending : PendingLogin{};
  }

  std::string path_;
  FakeClock clock_;
  int64_t office_id_ = 0;
  std::vector<std::string> recovery_codes_;  // the office's, from EnrolOffice
  std::unique_ptr<store::Store> first_store_, second_store_;
  std::unique_ptr<Services> one_, two_;
};

TEST_F(TwoProcessesTest, FailuresOnOneProcessCountOnTheOther) {
  for (int i = 0; i < 5; ++i) EXPECT_EQ(LogInError(*one_, "wrong-password"), "LOGIN_FAILED") << i;
  // The sixth try, on the other process, even with the right password.
  core::StatusOr<NewSession> sixth = two_->sessions().Login("teacher", kPassword, kAddress, Now());
  ASSERT_FALSE(sixth.ok());
  EXPECT_EQ(sixth.status().code(), core::kErrLoginThrottled);
  EXPECT_EQ(sixth.status().message(),
            "too many failed logins for this username: try again in 30 seconds");
  EXPECT_EQ(LogInError(*one_, kPassword), "LOGIN_THROTTLED");
  // Elsewhere the account logs in on either.
  EXPECT_EQ(LogInError(*two_, kPassword, "198.51.100.7"), "");
  // 30 s on, a success on one starts the count afresh for both.
  clock_.AdvanceSeconds(30);
  EXPECT_EQ(LogInError(*two_, kPassword), "");
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(LogInError(i % 2 == 0 ? *one_ : *two_, "wrong-password"), "LOGIN_FAILED") << i;
  }
  EXPECT_EQ(LogInError(*one_, kPassword), "");
}

TEST_F(TwoProcessesTest, FailuresAlternatingBetweenProcessesAddUp) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(LogInError(i % 2 == 0 ? *one_ : *two_, "wrong-password"), "LOGIN_FAILED") << i;
  }
  EXPECT_EQ(LogInError(*one_, kPassword), "LOGIN_THROTTLED");
  EXPECT_EQ(LogInError(*two_, kPassword), "LOGIN_THROTTLED");
}

TEST_F(TwoProcessesTest, APendingLoginBegunOnOneFinishesOnTheOther) {
  EnrolOffice();
  const PendingLogin pending = Pending(*one_);
  EXPECT_FALSE(pending.must_enrol);
  // The other process knows the pending login...
  core::StatusOr<PendingLogin> seen = two_->sessions().Pending(pending.token, Now());
  ASSERT_TRUE(seen.ok()) << seen.status().message();
  EXPECT_EQ(seen->user.id, office_id_);
  EXPECT_EQ(seen->expires_at, pending.expires_at);
  // ...and finishes it with the code.
  core::StatusOr<NewSession> session =
      two_->sessions().FinishLogin(pending.token, Code(), kAddress, Now());
  ASSERT_TRUE(session.ok()) << session.status().message();
  core::StatusOr<ActiveSession> found = one_->sessions().Lookup(session->token, Now());
  ASSERT_TRUE(found.ok()) << found.status().message();
  EXPECT_EQ(found->who.user_id, office_id_);
  // Used up on both; only its token's hash was ever stored.
  EXPECT_EQ(one_->sessions().Pending(pending.token, Now()).status().code(),
            std::string(core::kErrPendingLoginEnded));
  EXPECT_EQ(first_store_->FindPendingLogin(TokenHash(pending.token)).status().code(),
            std::string(core::kErrPendingLoginEnded));
}

TEST_F(TwoProcessesTest, APendingLoginFinishedOnBothAtOnceOpensOneSession) {
  EnrolOffice();
  // Each round, both processes finish the same pending login at the same
  // moment with two right codes (the phone's and a recovery code): both may
  // find it pending, but only the one whose delete removes it opens a
  // session; the other is told the login has ended.
  for (int round = 0; round < 5; ++round) {
    const PendingLogin pending = Pending(*one_);
    const std::string code = Code();
    const std::string& recovery = recovery_codes_.at(static_cast<size_t>(round));
    core::StatusOr<NewSession> by_one = core::Internal("test", "not run");
    core::StatusOr<NewSession> by_two = core::Internal("test", "not run");
    {
      std::latch start(2);
      std::jthread first([&] {
        start.arrive_and_wait();
        by_one = one_->sessions().FinishLogin(pending.token, code, kAddress, Now());
      });
      std::jthread second([&] {
        start.arrive_and_wait();
        by_two = two_->sessions().FinishLogin(pending.token, recovery, kAddress, Now());
      });
    }
    EXPECT_EQ(by_one.ok() + by_two.ok(), 1)
        << round << ": " << by_one.status().message() << " / " << by_two.status().message();
    const core::Status& loser = by_one.ok() ? by_two.status() : by_one.status();
    EXPECT_EQ(loser.code(), std::string(core::kErrPendingLoginEnded)) << loser.message();
    // The next round's phone code is a new one.
    clock_.AdvanceSeconds(30);
  }
}

TEST_F(TwoProcessesTest, WrongCodesAreCountedAcrossProcesses) {
  EnrolOffice();
  const PendingLogin pending = Pending(*one_);
  const std::string wrong = WrongCode();
  for (int i = 1; i <= 4; ++i) {
    Services& process = i % 2 == 0 ? *two_ : *one_;
    core::StatusOr<NewSession> s =
        process.sessions().FinishLogin(pending.token, wrong, kAddress, Now());
    EXPECT_EQ(s.status().code(), std::string(core::kErrCodeWrong)) << i;
    EXPECT_NE(s.status().message().find(Plural(5 - i, "try", "tries") + " left"), std::string::npos)
        << s.status().message();
  }
  core::StatusOr<NewSession> fifth =
      two_->sessions().FinishLogin(pending.token, wrong, kAddress, Now());
  EXPECT_EQ(fifth.status().code(), std::string(core::kErrPendingLoginEnded));
  EXPECT_EQ(one_->sessions().FinishLogin(pending.token, Code(), kAddress, Now()).status().code(),
            std::string(core::kErrPendingLoginEnded));
  // The wrong codes are the account's too: a new pending login on the other
  // process waits before its first code.
  const PendingLogin again = Pending(*two_);
  EXPECT_EQ(one_->sessions().FinishLogin(again.token, Code(), kAddress, Now()).status().code(),
            std::string(core::kErrLoginThrottled));
}

TEST_F(TwoProcessesTest, AnExpiredPendingLoginIsRefusedOnEither) {
  EnrolOffice();
  const PendingLogin pending = Pending(*one_);
  clock_.AdvanceSeconds(SessionOptions{}.pending_login_seconds - 1);
  EXPECT_TRUE(two_->sessions().Pending(pending.token, Now()).ok());
  clock_.AdvanceSeconds(1);
  EXPECT_EQ(two_->sessions().FinishLogin(pending.token, Code(), kAddress, Now()).status().code(),
            std::string(core::kErrPendingLoginEnded));
  EXPECT_EQ(one_->sessions().Pending(pending.token, Now()).status().code(),
            std::string(core::kErrPendingLoginEnded));
}

TEST_F(TwoProcessesTest, ALogoutOnOneIsHonouredByTheOtherWithinTheRecheck) {
  core::StatusOr<NewSession> s = one_->sessions().Login("teacher", kPassword, kAddress, Now());
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_TRUE(two_->sessions().Lookup(s->token, Now()).ok());
  ASSERT_TRUE(one_->sessions().Logout(s->token).ok());
  EXPECT_FALSE(one_->sessions().Lookup(s->token, Now()).ok());
  // The other trusts what it read for at most session_recheck_seconds.
  clock_.AdvanceSeconds(SessionOptions{}.session_recheck_seconds);
  EXPECT_EQ(two_->sessions().Lookup(s->token, Now()).status().code(),
            std::string(core::kErrNotLoggedIn));
}

TEST_F(TwoProcessesTest, AJobsLeaseKeepsItToOneProcessUntilItRunsOut) {
  ASSERT_NE(one_->jobs().holder(), two_->jobs().holder());
  EXPECT_TRUE(*one_->jobs().Claim("daily-share", 600));
  EXPECT_FALSE(*two_->jobs().Claim("daily-share", 600));
  EXPECT_TRUE(*two_->jobs().Claim("backup", 600));  // each job its own
  EXPECT_FALSE(*one_->jobs().Claim("backup", 600));
  // Its holder renews it once half has gone: still its own 599 s later.
  clock_.AdvanceSeconds(301);
  EXPECT_TRUE(*one_->jobs().Claim("daily-share", 600));
  clock_.AdvanceSeconds(599);
  EXPECT_FALSE(*two_->jobs().Claim("daily-share", 600));
  // A holder that stops claiming (a process that died) loses it once it
  // runs out.
  clock_.AdvanceSeconds(1);
  EXPECT_TRUE(*two_->jobs().Claim("daily-share", 600));
  EXPECT_FALSE(*one_->jobs().Claim("daily-share", 600));
  // Released (a server stopping): the other takes its jobs at once.
  ASSERT_TRUE(two_->jobs().ReleaseAll().ok());
  EXPECT_TRUE(*one_->jobs().Claim("daily-share", 600));
  EXPECT_TRUE(*one_->jobs().Claim("backup", 600));
}

}  // namespace
}  // namespace rollcall::service
