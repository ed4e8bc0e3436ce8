// Staff's second factor (service::SecondFactors) and the login step it adds
// (service::Sessions): enrolment and its confirmation, the code after the
// password, wrong codes counted and throttled, replays refused, recovery
// codes good once, the school's requirement, turning it off and the head's
// reset.
#include "service/second_factor.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

#include "core/error_codes.h"
#include "io/totp.h"
#include "service/password.h"
#include "service/school_fixture.h"
#include "service/sessions.h"
#include "store/store.h"

namespace rollcall::service {
namespace {

class SecondFactorTest : public SchoolFixture {
 protected:
  static constexpr char kPassword[] = "correct-horse";
  static constexpr char kAddress[] = "203.0.113.9";

  // The office, the teacher and the head log in with kPassword.
  SecondFactorTest() {
    const std::string hash = *HashPassword(kPassword, HashCost::kTestOnly);
    for (const Principal* who : {&office_, &teacher_, &head_}) {
      EXPECT_TRUE(store_->SetPassword(who->user_id, hash).ok());
    }
    EXPECT_TRUE(services_->Load().ok());
  }

  SecondFactors& factors() { return services_->second_factors(); }
  Sessions& sessions() { return services_->sessions(); }
  int64_t Now() const { return clock_.NowSeconds(); }

  // The raw secret the store holds for `user_id` (hex in the store).
  std::string Secret(int64_t user_id) {
    const std::string hex = store_->GetSecondFactor(user_id)->secret;
    std::string out;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) {
      out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    }
    return out;
  }
  // The code the phone of `user_id` shows now.
  std::string Code(int64_t user_id) { return *io::TotpCode(Secret(user_id), Now()); }
  // A code that is not right now (nor a step either side).
  std::string WrongCode(int64_t user_id) {
    const std::string secret = Secret(user_id);
    for (int n = 0;; ++n) {
      std::string guess = fmt::format("{:06d}", n);
      if (!io::TotpMatch(secret, guess, Now())) return guess;
    }
  }
  // Enrols `who` and moves the clock on a step, so the code that confirmed
  // it is not the next login's. The recovery codes.
  std::vector<std::string> Enrol(const Principal& who) {
    EXPECT_TRUE(factors().Start(who.user_id, Now()).ok());
    core::StatusOr<std::vector<std::string>> codes =
        factors().Confirm(who.user_id, Code(who.user_id), who.name, Now());
    EXPECT_TRUE(codes.ok()) << codes.status().message();
    clock_.AdvanceSeconds(30);
    return codes.ok() ? *codes : std::vector<std::string>{};
  }
  // A pending login of `username` with the right password.
  PendingLogin Pending(const std::string& username) {
    core::StatusOr<LoginStep> step = sessions().BeginLogin(username, kPassword, kAddress, Now());
    EXPECT_TRUE(step.ok()) << step.status().message();
    EXPECT_FALSE(step->session);
    EXPECT_TRUE(step->pending);
    return step.ok() && step->pending ? *step->pending : PendingLogin{};
  }
};

TEST_F(SecondFactorTest, EnrolmentShowsTheSecretThreeWaysAndNeedsACurrentCode) {
  core::StatusOr<SecondFactorEnrolment> e = factors().Start(office_.user_id, Now());
  ASSERT_TRUE(e.ok()) << e.status().message();
  EXPECT_EQ(e->secret_base32.size(), 32u);  // 160 bits
  EXPECT_EQ(e->secret_base32, io::Base32(Secret(office_.user_id)));
  EXPECT_EQ(e->otpauth_uri, "otpauth://totp/Test%20Primary:office?secret=" + e->secret_base32 +
                                "&issuer=Test%20Primary&algorithm=SHA1&digits=6&period=30");
  EXPECT_TRUE(e->qr_svg.starts_with("<svg"));
  // Shown again, the same, until confirmed.
  EXPECT_EQ(factors().Waiting(office_.user_id)->secret_base32, e->secret_base32);
  EXPECT_FALSE(*factors().Enrolled(office_.user_id));

  core::StatusOr<std::vector<std::string>> wrong =
      factors().Confirm(office_.user_id, WrongCode(office_.user_id), "Ms Office", Now());
  EXPECT_EQ(wrong.status().code(), std::string(core::kErrCodeWrong));
  EXPECT_FALSE(*factors().Enrolled(office_.user_id));

  core::StatusOr<std::vector<std::string>> codes =
      factors().Confirm(office_.user_id, Code(office_.user_id), "Ms Office", Now());
  ASSERT_TRUE(codes.ok()) << codes.status().message();
  ASSERT_EQ(codes->size(), 10u);
  for (const std::string& code : *codes) {
    EXPECT_EQ(code.size(), 11u) << code;
    EXPECT_EQ(code[5], '-') << code;
  }
  EXPECT_TRUE(*factors().Enrolled(office_.user_id));
  EXPECT_EQ(*store_->RecoveryCodesLeft(office_.user_id), 10);
  // The secret is never shown again, and enrolling again is refused.
  EXPECT_EQ(factors().Waiting(office_.user_id).status().code(),
            std::string(core::kErrSecondFactorEnrolled));
  EXPECT_EQ(factors().Start(office_.user_id, Now()).status().code(),
            std::string(core::kErrSecondFactorEnrolled));
  core::StatusOr<std::vector<store::SecondFactorEvent>> events = store_->SecondFactorEvents(10);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].kind, store::SecondFactorEventKind::kEnrolled);
}

TEST_F(SecondFactorTest, ALoginWithASecondFactorNeedsACodeAfterThePassword) {
  Enrol(office_);
  // The API's login (no second step) refuses it and opens nothing.
  EXPECT_EQ(sessions().Login("office", kPassword, kAddress, Now()).status().code(),
            std::string(core::kErrSecondFactorNeeded));
  // A wrong password is still just a wrong password.
  EXPECT_EQ(sessions().BeginLogin("office", "wrong", kAddress, Now()).status().code(),
            std::string(core::kErrLoginFailed));

  const PendingLogin pending = Pending("office");
  EXPECT_FALSE(pending.must_enrol);
  EXPECT_EQ(pending.user.id, office_.user_id);
  // The pending token is no session.
  EXPECT_FALSE(sessions().Lookup(pending.token, Now()).ok());

  core::StatusOr<NewSession> session =
      sessions().FinishLogin(pending.token, Code(office_.user_id), kAddress, Now());
  ASSERT_TRUE(session.ok()) << session.status().message();
  EXPECT_EQ(sessions().Lookup(session->token, Now())->who.user_id, office_.user_id);
  // The pending login is used up.
  EXPECT_EQ(sessions().Pending(pending.token, Now()).status().code(),
            std::string(core::kErrPendingLoginEnded));
  // Accounts without one log in as before.
  core::StatusOr<LoginStep> teacher = sessions().BeginLogin("teacher", kPassword, kAddress, Now());
  ASSERT_TRUE(teacher.ok());
  EXPECT_TRUE(teacher->session);
}

TEST_F(SecondFactorTest, FiveWrongCodesEndThePendingLoginAndMoreAreThrottled) {
  Enrol(office_);
  const PendingLogin pending = Pending("office");
  const std::string wrong = WrongCode(office_.user_id);
  for (int i = 1; i <= 4; ++i) {
    core::StatusOr<NewSession> s = sessions().FinishLogin(pending.token, wrong, kAddress, Now());
    EXPECT_EQ(s.status().code(), std::string(core::kErrCodeWrong)) << i;
    EXPECT_NE(s.status().message().find(Plural(5 - i, "try", "tries") + " left"), std::string::npos)
        << s.status().message();
  }
  core::StatusOr<NewSession> fifth = sessions().FinishLogin(pending.token, wrong, kAddress, Now());
  EXPECT_EQ(fifth.status().code(), std::string(core::kErrPendingLoginEnded));
  // Ended: even the right code no longer opens it.
  EXPECT_EQ(
      sessions().FinishLogin(pending.token, Code(office_.user_id), kAddress, Now()).status().code(),
      std::string(core::kErrPendingLoginEnded));
  // The password again gives a new pending login, but the wrong codes are
  // remembered: the next code waits, even a right one, even from elsewhere.
  const PendingLogin again = Pending("office");
  EXPECT_EQ(
      sessions().FinishLogin(again.token, Code(office_.user_id), kAddress, Now()).status().code(),
      std::string(core::kErrLoginThrottled));
  EXPECT_EQ(sessions()
                .FinishLogin(again.token, Code(office_.user_id), "198.51.100.7", Now())
                .status()
                .code(),
            std::string(core::kErrLoginThrottled));
  clock_.AdvanceSeconds(31);
  EXPECT_TRUE(sessions().FinishLogin(again.token, Code(office_.user_id), kAddress, Now()).ok());
}

TEST_F(SecondFactorTest, APendingLoginExpires) {
  Enrol(office_);
  const PendingLogin pending = Pending("office");
  clock_.AdvanceSeconds(SessionOptions{}.pending_login_seconds);
  EXPECT_EQ(
      sessions().FinishLogin(pending.token, Code(office_.user_id), kAddress, Now()).status().code(),
      std::string(core::kErrPendingLoginEnded));
}

TEST_F(SecondFactorTest, ACodeCannotBeUsedTwice) {
  Enrol(office_);
  const std::string code = Code(office_.user_id);
  ASSERT_TRUE(sessions().FinishLogin(Pending("office").token, code, kAddress, Now()).ok());
  // The same code, still inside its window, seen over a shoulder.
  clock_.AdvanceSeconds(5);
  core::StatusOr<NewSession> replay =
      sessions().FinishLogin(Pending("office").token, code, "198.51.100.7", Now());
  EXPECT_EQ(replay.status().code(), std::string(core::kErrCodeWrong));
  EXPECT_NE(replay.status().message().find("used already"), std::string::npos);
  // Nor an older step's code once a newer one was used.
  clock_.AdvanceSeconds(30);
  const std::string next = Code(office_.user_id);
  ASSERT_TRUE(sessions().FinishLogin(Pending("office").token, next, kAddress, Now()).ok());
  EXPECT_FALSE(sessions().FinishLogin(Pending("office").token, code, kAddress, Now()).ok());
}

TEST_F(SecondFactorTest, ARecoveryCodeLogsInOnceAndIsLogged) {
  const std::vector<std::string> codes = Enrol(office_);
  ASSERT_EQ(codes.size(), 10u);
  // Typed in lower case, without the dash.
  std::string typed = codes[3].substr(0, 5) + codes[3].substr(6);
  for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  ASSERT_TRUE(sessions().FinishLogin(Pending("office").token, typed, kAddress, Now()).ok());
  EXPECT_EQ(*store_->RecoveryCodesLeft(office_.user_id), 9);
  EXPECT_EQ(
      sessions().FinishLogin(Pending("office").token, codes[3], kAddress, Now()).status().code(),
      std::string(core::kErrCodeWrong));
  EXPECT_EQ((*store_->SecondFactorEvents(1))[0].kind,
            store::SecondFactorEventKind::kRecoveryCodeUsed);
  // New codes replace the old, once a current code is given.
  core::StatusOr<std::vector<std::string>> fresh =
      sessions().NewRecoveryCodes(office_, Code(office_.user_id), kAddress, Now());
  ASSERT_TRUE(fresh.ok()) << fresh.status().message();
  EXPECT_EQ(*store_->RecoveryCodesLeft(office_.user_id), 10);
  EXPECT_EQ(
      sessions().FinishLogin(Pending("office").token, codes[4], kAddress, Now()).status().code(),
      std::string(core::kErrCodeWrong));
  EXPECT_TRUE(sessions().FinishLogin(Pending("office").token, (*fresh)[0], kAddress, Now()).ok());
}

TEST_F(SecondFactorTest, TheSchoolsRequirementSendsKeyRolesToEnrolFirst) {
  EXPECT_EQ(factors().SetRequired(office_, true, Now()).code(), std::string(core::kErrForbidden));
  ASSERT_TRUE(factors().SetRequired(head_, true, Now()).ok());
  EXPECT_TRUE(store_->GetSecondFactorPolicy()->required);
  EXPECT_EQ(store_->GetSecondFactorPolicy()->set_by, head_.name);

  // Teachers are not required to.
  EXPECT_TRUE(sessions().BeginLogin("teacher", kPassword, kAddress, Now())->session);
  // The office is, and gets no session until enrolled: not by the API either.
  EXPECT_EQ(sessions().Login("office", kPassword, kAddress, Now()).status().code(),
            std::string(core::kErrSecondFactorNeeded));
  const PendingLogin pending = Pending("office");
  EXPECT_TRUE(pending.must_enrol);
  EXPECT_EQ(sessions().FinishLogin(pending.token, "123456", kAddress, Now()).status().kind(),
            core::ErrorKind::kConflict);
  core::StatusOr<SecondFactorEnrolment> e = sessions().PendingEnrolment(pending.token, Now());
  ASSERT_TRUE(e.ok()) << e.status().message();
  // Shown again (a reload), the same secret.
  EXPECT_EQ(sessions().PendingEnrolment(pending.token, Now())->secret_base32, e->secret_base32);
  EXPECT_EQ(sessions()
                .FinishEnrolment(pending.token, WrongCode(office_.user_id), kAddress, Now())
                .status()
                .code(),
            std::string(core::kErrCodeWrong));
  core::StatusOr<EnrolledLogin> done =
      sessions().FinishEnrolment(pending.token, Code(office_.user_id), kAddress, Now());
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ(done->recovery_codes.size(), 10u);
  EXPECT_TRUE(sessions().Lookup(done->session.token, Now()).ok());
  // From now on the office logs in with a code; and cannot turn it off.
  clock_.AdvanceSeconds(30);
  EXPECT_FALSE(Pending("office").must_enrol);
  EXPECT_EQ(factors().TurnOff(office_, Code(office_.user_id), Now()).code(),
            std::string(core::kErrForbidden));
  EXPECT_TRUE(factors().StateOf(office_)->required);
  EXPECT_FALSE(factors().StateOf(teacher_)->required);
}

TEST_F(SecondFactorTest, TurningItOffTakesThePasswordAndACode) {
  Enrol(teacher_);
  EXPECT_EQ(sessions()
                .TurnOffSecondFactor(teacher_, "wrong", Code(teacher_.user_id), kAddress, Now())
                .code(),
            std::string(core::kErrLoginFailed));
  EXPECT_EQ(
      sessions()
          .TurnOffSecondFactor(teacher_, kPassword, WrongCode(teacher_.user_id), kAddress, Now())
          .code(),
      std::string(core::kErrCodeWrong));
  EXPECT_TRUE(*factors().Enrolled(teacher_.user_id));
  ASSERT_TRUE(sessions()
                  .TurnOffSecondFactor(teacher_, kPassword, Code(teacher_.user_id), kAddress, Now())
                  .ok());
  EXPECT_FALSE(*factors().Enrolled(teacher_.user_id));
  EXPECT_EQ(*store_->RecoveryCodesLeft(teacher_.user_id), 0);
  EXPECT_TRUE(sessions().BeginLogin("teacher", kPassword, kAddress, Now())->session);
  EXPECT_EQ((*store_->SecondFactorEvents(1))[0].kind, store::SecondFactorEventKind::kTurnedOff);
}

TEST_F(SecondFactorTest, TheHeadResetsAColleaguesForALostPhone) {
  Enrol(office_);
  Enrol(head_);
  EXPECT_EQ(factors().Reset(office_, head_.user_id, Now()).code(),
            std::string(core::kErrForbidden));
  EXPECT_EQ(factors().Reset(head_, head_.user_id, Now()).code(),
            std::string(core::kErrValueInvalid));
  EXPECT_EQ(factors().Reset(head_, teacher_.user_id, Now()).code(),
            std::string(core::kErrUserUnknown));  // has none
  ASSERT_TRUE(factors().Reset(head_, office_.user_id, Now()).ok());
  EXPECT_FALSE(*factors().Enrolled(office_.user_id));
  const store::SecondFactorEvent logged = (*store_->SecondFactorEvents(1))[0];
  EXPECT_EQ(logged.kind, store::SecondFactorEventKind::kReset);
  EXPECT_EQ(logged.user_id, office_.user_id);
  EXPECT_EQ(logged.by_user_id, head_.user_id);
  EXPECT_EQ(logged.by_name, head_.name);
  // The office logs in with the password alone again.
  EXPECT_TRUE(sessions().BeginLogin("office", kPassword, kAddress, Now())->session);

  core::StatusOr<SecondFactorOverview> overview = factors().Overview(head_);
  ASSERT_TRUE(overview.ok());
  for (const SecondFactorStaffRow& row : overview->staff) {
    EXPECT_NE(row.user.role, store::Role::kParent);
    EXPECT_EQ(row.enrolled, row.user.id == head_.user_id) << row.user.username;
  }
  EXPECT_EQ(factors().Overview(office_).status().code(), std::string(core::kErrForbidden));
}

TEST_F(SecondFactorTest, ASetPasswordLinkDoesNotSkipTheCode) {
  Enrol(office_);
  core::StatusOr<SetPasswordLink> link =
      services_->accounts().NewLink(head_, office_.user_id, Now());
  ASSERT_TRUE(link.ok()) << link.status().message();
  core::StatusOr<LoginStep> step =
      sessions().UseLink(link->token, "a-new-long-password", kAddress, Now());
  ASSERT_TRUE(step.ok()) << step.status().message();
  EXPECT_FALSE(step->session);
  ASSERT_TRUE(step->pending);
  EXPECT_TRUE(
      sessions().FinishLogin(step->pending->token, Code(office_.user_id), kAddress, Now()).ok());
}

TEST_F(SecondFactorTest, ApiTokensCannotTouchASecondFactor) {
  Principal token = head_;
  token.token_scopes = std::vector<ApiScope>{};
  EXPECT_EQ(factors().StateOf(token).status().code(), std::string(core::kErrForbidden));
  EXPECT_EQ(factors().TurnOff(token, "123456", Now()).code(), std::string(core::kErrForbidden));
}

TEST(SecondFactorRoles, KeyRolesOnly) {
  EXPECT_TRUE(SecondFactorRequiredFor(store::Role::kHead));
  EXPECT_TRUE(SecondFactorRequiredFor(store::Role::kOffice));
  EXPECT_TRUE(SecondFactorRequiredFor(store::Role::kAttendanceOfficer));
  EXPECT_TRUE(SecondFactorRequiredFor(store::Role::kSafeguardingLead));
  EXPECT_TRUE(SecondFactorRequiredFor(store::Role::kLaOfficer));
  EXPECT_FALSE(SecondFactorRequiredFor(store::Role::kTeacher));
  EXPECT_FALSE(SecondFactorRequiredFor(store::Role::kSenco));
  EXPECT_FALSE(SecondFactorRequiredFor(store::Role::kGovernor));
  EXPECT_FALSE(SecondFactorRequiredFor(store::Role::kParent));
  EXPECT_EQ(CanonicalRecoveryCode(" abcde-fghjk "), "ABCDEFGHJK");
}

}  // namespace
}  // namespace rollcall::service
