// Accounts through the service: the head lists them and may manage them;
// an account as the school holds it; invitations and set-password links,
// disabling; and what the designated safeguarding lead, the SENCO and the
// attendance officer may do.
#include "service/accounts.h"

#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "core/error_codes.h"
#include "service/access.h"
#include "service/password.h"
#include "service/school_fixture.h"
#include "service/sessions.h"
#include "store/store.h"

namespace rollcall::service {
namespace {

constexpr char kAddress[] = "192.0.2.7";
constexpr char kPassword[] = "a-new-password-1";

class AccountsTest : public SchoolFixture {
 protected:
  Accounts& accounts() { return services_->accounts(); }
  Sessions& sessions() { return services_->sessions(); }
  int64_t Now() const { return clock_.NowSeconds(); }

  // The head invites a member of staff with this role.
  SetPasswordLink Invite(const std::string& username, const std::string& role) {
    NewUser n;
    n.username = username;
    n.display_name = "Ms " + username;
    n.role = role;
    core::StatusOr<SetPasswordLink> link = accounts().Invite(head_, n, Now());
    EXPECT_TRUE(link.ok()) << link.status().message();
    return link.ok() ? *link : SetPasswordLink{};
  }
};

TEST_F(AccountsTest, OnlyTheHeadListsAndManagesAccounts) {
  EXPECT_TRUE(accounts().MayManage(head_).ok());
  for (const Principal* who : {&office_, &teacher_, &parent_, &la_}) {
    EXPECT_EQ(accounts().MayManage(*who).code(), core::kErrForbidden);
    EXPECT_EQ(accounts().Users(*who).status().code(), core::kErrForbidden);
  }
  core::StatusOr<std::vector<store::User>> users = accounts().Users(head_);
  ASSERT_TRUE(users.ok()) << users.status().message();
  ASSERT_EQ(users->size(), 5u);
  EXPECT_EQ((*users)[0].id, office_.user_id);  // by id
  EXPECT_EQ((*users)[0].username, "office");

  const std::optional<store::User> teacher = accounts().User(teacher_.user_id);
  ASSERT_TRUE(teacher);
  EXPECT_EQ(teacher->display_name, "Mr Teacher");
  EXPECT_FALSE(accounts().User(la_.user_id + 99));
}

TEST_F(AccountsTest, AnInvitationLinkSetsThePasswordOnceAndLogsIn) {
  const SetPasswordLink link = Invite("dsl", "dsl");
  EXPECT_EQ(link.user.role, store::Role::kSafeguardingLead);
  EXPECT_EQ(link.expires_at, Now() + 7 * 24 * 3600);
  // Invited: no password yet, so no login.
  EXPECT_TRUE(accounts().User(link.user.id)->password_hash.empty());
  EXPECT_EQ(sessions().Login("dsl", kPassword, kAddress, Now()).status().code(),
            core::kErrLoginFailed);
  // The store keeps only the token's hash.
  EXPECT_EQ(store_->FindInvite(link.token).status().code(), core::kErrInviteUnknown);

  core::StatusOr<store::User> account = sessions().CheckLink(link.token, kAddress, Now());
  ASSERT_TRUE(account.ok()) << account.status().message();
  EXPECT_EQ(account->username, "dsl");
  // The password rules hold; a refused password leaves the link usable.
  EXPECT_EQ(sessions().UseLink(link.token, "short", kAddress, Now()).status().code(),
            core::kErrValueInvalid);
  core::StatusOr<LoginStep> step = sessions().UseLink(link.token, kPassword, kAddress, Now());
  ASSERT_TRUE(step.ok()) << step.status().message();
  ASSERT_TRUE(step->session.has_value()) << "no second factor: the link signs in at once";
  const NewSession* session = &*step->session;
  EXPECT_EQ(session->user.id, link.user.id);
  core::StatusOr<ActiveSession> active = sessions().Lookup(session->token, Now());
  ASSERT_TRUE(active.ok()) << active.status().message();
  EXPECT_EQ(active->who.role, store::Role::kSafeguardingLead);
  EXPECT_TRUE(sessions().Login("dsl", kPassword, kAddress, Now()).ok());

  // Used once: never again.
  EXPECT_EQ(sessions().UseLink(link.token, "another-password-2", kAddress, Now()).status().code(),
            core::kErrInviteEnded);
  EXPECT_EQ(sessions().CheckLink(link.token, kAddress, Now()).status().code(),
            core::kErrInviteEnded);
  EXPECT_EQ(sessions().CheckLink("not-a-token", kAddress, Now()).status().code(),
            core::kErrInviteUnknown);
}

TEST_F(AccountsTest, AnExpiredLinkIsRefused) {
  const SetPasswordLink link = Invite("senco", "senco");
  clock_.AdvanceSeconds(7 * 24 * 3600);
  EXPECT_EQ(sessions().UseLink(link.token, kPassword, kAddress, Now()).status().code(),
            core::kErrInviteEnded);
  EXPECT_TRUE(accounts().User(link.user.id)->password_hash.empty());
}

TEST_F(AccountsTest, ASecondLinkEndsTheFirst) {
  const SetPasswordLink first = Invite("attendance", "attendance");
  core::StatusOr<SetPasswordLink> second = accounts().NewLink(head_, first.user.id, Now());
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_NE(second->token, first.token);
  EXPECT_EQ(sessions().UseLink(first.token, kPassword, kAddress, Now()).status().code(),
            core::kErrInviteEnded);
  EXPECT_TRUE(sessions().UseLink(second->token, kPassword, kAddress, Now()).ok());
}

TEST_F(AccountsTest, ALinkResetsAForgottenPasswordAndEndsTheOldLogins) {
  const SetPasswordLink link = Invite("office2", "office");
  ASSERT_TRUE(sessions().UseLink(link.token, kPassword, kAddress, Now()).ok());
  core::StatusOr<NewSession> old = sessions().Login("office2", kPassword, kAddress, Now());
  ASSERT_TRUE(old.ok());
  core::StatusOr<SetPasswordLink> reset = accounts().NewLink(head_, link.user.id, Now());
  ASSERT_TRUE(reset.ok()) << reset.status().message();
  ASSERT_TRUE(sessions().UseLink(reset->token, "a-second-password", kAddress, Now()).ok());
  clock_.AdvanceSeconds(10);  // past the session cache's recheck
  EXPECT_EQ(sessions().Lookup(old->token, Now()).status().code(), core::kErrNotLoggedIn);
  EXPECT_EQ(sessions().Login("office2", kPassword, kAddress, Now()).status().code(),
            core::kErrLoginFailed);
}

TEST_F(AccountsTest, OnlyTheHeadInvitesAndNeverAnLaOfficer) {
  NewUser n{"someone", "Someone", "teacher", "", {class_3a_}, {}, {}};
  for (const Principal* who : {&office_, &teacher_, &parent_, &la_}) {
    EXPECT_EQ(accounts().Invite(*who, n, Now()).status().code(), core::kErrForbidden);
  }
  n.role = "la";
  EXPECT_EQ(accounts().Invite(head_, n, Now()).status().code(), core::kErrForbidden);
  n.role = "janitor";
  EXPECT_EQ(accounts().Invite(head_, n, Now()).status().code(), core::kErrValueInvalid);
  // A parent names their children, here by UPN.
  NewUser parent{"mum@example.org", "Mrs B", "parent", "", {}, {}, {}};
  EXPECT_EQ(accounts().Invite(head_, parent, Now()).status().code(), core::kErrValueInvalid);
  parent.pupil_upns = {"Z999"};
  EXPECT_EQ(accounts().Invite(head_, parent, Now()).status().code(), core::kErrPupilUnknown);
  parent.pupil_upns = {"B909123400002"};
  core::StatusOr<SetPasswordLink> link = accounts().Invite(head_, parent, Now());
  ASSERT_TRUE(link.ok()) << link.status().message();
  EXPECT_EQ(link->user.pupil_ids, std::vector<int64_t>{b_});
  EXPECT_EQ(store_->GetUser(link->user.id)->pupil_ids, std::vector<int64_t>{b_});
}

TEST_F(AccountsTest, DisablingEndsSessionsAndRefusesLogin) {
  const SetPasswordLink link = Invite("teacher2", "teacher");
  core::StatusOr<LoginStep> step = sessions().UseLink(link.token, kPassword, kAddress, Now());
  ASSERT_TRUE(step.ok() && step->session.has_value());
  const NewSession* session = &*step->session;
  EXPECT_EQ(sessions().SetActive(office_, link.user.id, false, Now()).code(), core::kErrForbidden);
  ASSERT_TRUE(sessions().SetActive(head_, link.user.id, false, Now()).ok());
  // At once, without waiting for the session cache.
  EXPECT_EQ(sessions().Lookup(session->token, Now()).status().code(), core::kErrNotLoggedIn);
  EXPECT_EQ(store_->FindAuthSession(TokenHash(session->token)).status().code(),
            core::kErrSessionUnknown);
  EXPECT_EQ(sessions().Login("teacher2", kPassword, kAddress, Now()).status().code(),
            core::kErrLoginFailed);
  EXPECT_FALSE(store_->GetUser(link.user.id)->active);
  // No new link for a disabled account; enabled again, it logs in.
  EXPECT_FALSE(accounts().NewLink(head_, link.user.id, Now()).ok());
  ASSERT_TRUE(sessions().SetActive(head_, link.user.id, true, Now()).ok());
  EXPECT_TRUE(sessions().Login("teacher2", kPassword, kAddress, Now()).ok());
}

TEST_F(AccountsTest, TheHeadKeepsTheirOwnAccountAndTheLastHead) {
  EXPECT_EQ(sessions().SetActive(head_, head_.user_id, false, Now()).code(),
            core::kErrValueInvalid);
  EXPECT_FALSE(accounts().NewLink(head_, head_.user_id, Now()).ok());
  EXPECT_EQ(sessions().SetActive(head_, la_.user_id, false, Now()).code(), core::kErrForbidden);
  // A second head may disable the first only while another head is active.
  const SetPasswordLink deputy = Invite("deputy", "head");
  const Principal second = PrincipalOf(deputy.user);
  ASSERT_TRUE(sessions().SetActive(second, head_.user_id, false, Now()).ok());
  ASSERT_TRUE(sessions().SetActive(second, head_.user_id, true, Now()).ok());
  ASSERT_TRUE(sessions().SetActive(head_, deputy.user.id, false, Now()).ok());
  EXPECT_TRUE(accounts().User(head_.user_id)->active);
}

TEST_F(AccountsTest, TheLastActiveHeadCannotBeDisabled) {
  const SetPasswordLink deputy = Invite("deputy", "head");
  const Principal second = PrincipalOf(deputy.user);
  ASSERT_TRUE(sessions().SetActive(second, head_.user_id, false, Now()).ok());
  // `second` is now the only active head: even a request made with the
  // disabled head's old principal cannot leave the school without one.
  EXPECT_EQ(sessions().SetActive(head_, second.user_id, false, Now()).code(),
            core::kErrValueInvalid);
  EXPECT_TRUE(accounts().User(second.user_id)->active);
}

// What each new role may do, on the actions that tell them apart.
TEST_F(AccountsTest, TheNewRolesHaveTheirOwnAccess) {
  const Principal dsl = AddUser("dsl", store::Role::kSafeguardingLead, "Ms DSL", {}, {});
  const Principal senco = AddUser("senco", store::Role::kSenco, "Mrs SENCO", {}, {});
  const Principal att = AddUser("att", store::Role::kAttendanceOfficer, "Mr Att", {}, {});
  const Subject pupil{b_, class_4b_};  // not in any class of theirs
  auto ok = [&](const Principal& who, Action a) { return Authorize(who, a, pupil, "909").ok(); };
  // The DSL: every pupil, their casework and contact log; records contacts
  // and works CME cases; no marks, registers or settings.
  for (Action a : {Action::kReadPupil, Action::kReadContactLog, Action::kRecordContact,
                   Action::kReadCases, Action::kWorkCases, Action::kReadSupport}) {
    EXPECT_TRUE(ok(dsl, a)) << static_cast<int>(a);
  }
  for (Action a : {Action::kWriteMark, Action::kReadRegister, Action::kReadAmendmentReport,
                   Action::kReadSettings, Action::kWriteSettings, Action::kManageUsers,
                   Action::kWorkSupport, Action::kReadWorklist}) {
    EXPECT_FALSE(ok(dsl, a)) << static_cast<int>(a);
  }
  // The SENCO: every pupil and their support; reads registers, never marks.
  for (Action a :
       {Action::kReadPupil, Action::kReadSupport, Action::kWorkSupport, Action::kReadRegister}) {
    EXPECT_TRUE(ok(senco, a)) << static_cast<int>(a);
  }
  for (Action a : {Action::kWriteMark, Action::kWorkCases, Action::kRecordContact,
                   Action::kReadSettings, Action::kManageUsers}) {
    EXPECT_FALSE(ok(senco, a)) << static_cast<int>(a);
  }
  // The attendance officer: the office's attendance work and casework, but
  // not contacts, settings, accounts or the head's decisions.
  for (Action a :
       {Action::kReadRegister, Action::kWriteMark, Action::kReadWorklist,
        Action::kReadAmendmentReport, Action::kWorkCases, Action::kWorkSupport,
        Action::kSendLetters, Action::kReadPenalties, Action::kRecordPenaltyPayment,
        Action::kRequestLeave, Action::kSendLaNotification, Action::kResolveAbsenceReport}) {
    EXPECT_TRUE(ok(att, a)) << static_cast<int>(a);
  }
  for (Action a : {Action::kWriteSettings, Action::kManageUsers, Action::kDecideLeave,
                   Action::kDecidePenalty, Action::kAgreePartTime, Action::kEditContacts}) {
    EXPECT_FALSE(ok(att, a)) << static_cast<int>(a);
  }
}

// The stored role checks take the new roles: their marks, contacts and
// support records are written with their role.
TEST_F(AccountsTest, TheNewRolesWriteTheirRecords) {
  const Principal att = AddUser("att", store::Role::kAttendanceOfficer, "Mr Att", {}, {});
  ASSERT_TRUE(services_->Load().ok());
  core::StatusOr<MarkResult> mark =
      Mark(att, a_, "2026-11-25", "AM", "/", "Seen in class; entered late");
  ASSERT_TRUE(mark.ok()) << mark.status().message();
  core::StatusOr<std::vector<store::Amendment>> trail = store_->AmendmentsForPupil(a_);
  ASSERT_TRUE(trail.ok());
  ASSERT_FALSE(trail->empty());
  EXPECT_EQ(trail->back().by_role, store::Role::kAttendanceOfficer);
}

}  // namespace
}  // namespace rollcall::service
