// API tokens in the application layer (service/api_tokens.h): creating one
// (the head only, shown once, stored hashed), checking it, its expiry and
// revocation, its scopes on top of the office's rules, and the audit of a
// mark written with it.
#include "service/api_tokens.h"

#include <gtest/gtest.h>

#include "core/error_codes.h"
#include "school_fixture.h"
#include "service/password.h"

namespace rollcall::service {
namespace {

class ApiTokensTest : public SchoolFixture {
 protected:
  ApiTokens& tokens() { return services_->api_tokens(); }

  CreatedApiToken Create(std::vector<ApiScope> scopes, std::string name = "Trust dashboard") {
    core::StatusOr<CreatedApiToken> created =
        tokens().Create(head_, {.name = std::move(name), .scopes = std::move(scopes)});
    EXPECT_TRUE(created.ok()) << created.status().message();
    return created.ok() ? *created : CreatedApiToken{};
  }
};

TEST_F(ApiTokensTest, ACreatedTokenIsShownOnceAndOnlyItsHashIsKept) {
  const CreatedApiToken created = Create({ApiScope::kReadFigures});
  EXPECT_TRUE(created.secret.starts_with("rc_")) << created.secret;
  EXPECT_GE(created.secret.size(), 40u);
  core::StatusOr<std::vector<store::ApiToken>> stored = store_->ListApiTokens();
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_NE((*stored)[0].token_hash, created.secret);
  EXPECT_EQ((*stored)[0].token_hash, TokenHash(created.secret));
  EXPECT_EQ((*stored)[0].scopes, "read:figures");
  // 90 days from 25 November 2026 by default: works to the end of 23 February 2027.
  core::StatusOr<std::vector<ApiTokenView>> listed = tokens().List(head_);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ((*listed)[0].last_day, D("2027-02-23"));

  core::StatusOr<ApiCaller> caller = tokens().Authenticate(created.secret);
  ASSERT_TRUE(caller.ok()) << caller.status().message();
  EXPECT_EQ(caller->who.name, "API token: Trust dashboard");
  EXPECT_EQ(caller->who.role, store::Role::kOffice);
  EXPECT_EQ(caller->who.token_scopes, (std::vector<ApiScope>{ApiScope::kReadFigures}));
}

// Every caller of the service is refused, before the current password is
// tried: a token's guesses must not count as the head's failed logins.
TEST_F(ApiTokensTest, ATokenMayNotChangeTheHeadsPassword) {
  const CreatedApiToken created = Create({ApiScope::kWriteMarks});
  core::StatusOr<ApiCaller> caller = tokens().Authenticate(created.secret);
  ASSERT_TRUE(caller.ok()) << caller.status().message();
  ASSERT_EQ(caller->who.user_id, head_.user_id);
  core::StatusOr<NewSession> changed = services_->sessions().ChangeOwnPassword(
      caller->who, "a-wrong-guess", "a-new-long-password", "10.0.0.5", clock_.NowSeconds());
  EXPECT_EQ(changed.status().code(), core::kErrForbidden) << changed.status().message();
  EXPECT_EQ(services_->accounts()
                .ChangeOwnPassword(caller->who, "a-wrong-guess", "a-new-long-password")
                .code(),
            core::kErrForbidden);
}

TEST_F(ApiTokensTest, OnlyTheHeadManagesTokens) {
  for (const Principal& who : {office_, teacher_, parent_, la_}) {
    core::StatusOr<CreatedApiToken> created =
        tokens().Create(who, {.name = "x", .scopes = {ApiScope::kReadFigures}});
    EXPECT_EQ(created.status().code(), core::kErrForbidden) << who.name;
    EXPECT_EQ(tokens().List(who).status().code(), core::kErrForbidden) << who.name;
  }
}

TEST_F(ApiTokensTest, ANameAScopeAndAnExpiryWithinAYearAreRequired) {
  auto refused = [&](NewApiToken request) { return tokens().Create(head_, request).status(); };
  EXPECT_EQ(refused({.name = "  ", .scopes = {ApiScope::kReadFigures}}).code(),
            core::kErrValueInvalid);
  EXPECT_EQ(refused({.name = std::string(81, 'x'), .scopes = {ApiScope::kReadFigures}}).code(),
            core::kErrValueInvalid);
  const core::Status no_scope = refused({.name = "x", .scopes = {}});
  EXPECT_EQ(no_scope.code(), core::kErrValueInvalid);
  EXPECT_NE(no_scope.message().find("at least one"), std::string::npos);
  EXPECT_EQ(
      refused({.name = "x", .scopes = {ApiScope::kReadFigures}, .expires_on = D("2026-11-25")})
          .code(),
      core::kErrValueInvalid);
  const core::Status too_long =
      refused({.name = "x", .scopes = {ApiScope::kReadFigures}, .expires_on = D("2027-11-26")});
  EXPECT_EQ(too_long.code(), core::kErrValueInvalid);
  EXPECT_NE(too_long.message().find("25 November 2027"), std::string::npos) << too_long.message();
  EXPECT_TRUE(
      tokens()
          .Create(head_,
                  {.name = "x", .scopes = {ApiScope::kReadFigures}, .expires_on = D("2027-11-25")})
          .ok());
}

TEST_F(ApiTokensTest, AnExpiredRevokedOrUnknownTokenIsRefused) {
  const CreatedApiToken created = Create({ApiScope::kReadFigures});
  EXPECT_EQ(tokens().Authenticate("rc_not-a-token").status().code(), core::kErrTokenInvalid);
  EXPECT_EQ(tokens().Authenticate("").status().kind(), core::ErrorKind::kUnauthenticated);

  // Works to the end of its last day (UK time), not a second more.
  clock_.Set(D("2027-02-23"), 23 * 60 + 59);
  EXPECT_TRUE(tokens().Authenticate(created.secret).ok());
  clock_.Set(D("2027-02-24"), 0);
  core::StatusOr<ApiCaller> expired = tokens().Authenticate(created.secret);
  EXPECT_EQ(expired.status().code(), core::kErrTokenExpired);
  EXPECT_EQ(expired.status().kind(), core::ErrorKind::kUnauthenticated);
  EXPECT_NE(expired.status().message().find("23 February 2027"), std::string::npos);

  clock_.Set(D("2026-11-26"), 9 * 60);
  const CreatedApiToken other = Create({ApiScope::kReadPupils}, "Messaging");
  EXPECT_EQ(tokens().Revoke(office_, other.token.id).code(), core::kErrForbidden);
  ASSERT_TRUE(tokens().Revoke(head_, other.token.id).ok());
  core::StatusOr<ApiCaller> revoked = tokens().Authenticate(other.secret);
  EXPECT_EQ(revoked.status().code(), core::kErrTokenRevoked);
  // Revoking again keeps the first revocation.
  EXPECT_TRUE(tokens().Revoke(head_, other.token.id).ok());
  EXPECT_EQ(tokens().Revoke(head_, 999).code(), core::kErrTokenInvalid);
}

TEST_F(ApiTokensTest, ScopesLimitWhatTheOfficeMayDo) {
  const Principal figures = tokens().Authenticate(Create({ApiScope::kReadFigures}).secret)->who;
  core::Status s = Authorize(figures, Action::kWriteMark, {a_, class_3a_}, "909");
  EXPECT_EQ(s.code(), core::kErrForbidden);
  EXPECT_NE(s.message().find("write:marks"), std::string::npos) << s.message();
  EXPECT_TRUE(Authorize(figures, Action::kReadSchoolSummary, {}, "909").ok());
  EXPECT_EQ(Authorize(figures, Action::kReadPupil, {a_, class_3a_}, "909").code(),
            core::kErrForbidden);

  // Every scope at once still never manages accounts, settings or tokens.
  std::vector<ApiScope> all(kApiScopes.begin(), kApiScopes.end());
  const Principal everything = tokens().Authenticate(Create(all, "Everything").secret)->who;
  for (Action action : {Action::kManageUsers, Action::kWriteSettings, Action::kReadSettings,
                        Action::kManageApiTokens, Action::kImportRoll, Action::kDecideLeave}) {
    const core::Status refused = Authorize(everything, action, {}, "909");
    EXPECT_EQ(refused.code(), core::kErrForbidden) << static_cast<int>(action);
  }
  EXPECT_TRUE(Authorize(everything, Action::kWriteMark, {a_, class_3a_}, "909").ok());
  EXPECT_TRUE(Authorize(everything, Action::kExportScenario, {}, "909").ok());
}

TEST_F(ApiTokensTest, AMarkWrittenWithATokenNamesTheTokenInTheAudit) {
  const Principal marks =
      tokens().Authenticate(Create({ApiScope::kWriteMarks}, "MIS sync").secret)->who;
  ASSERT_TRUE(Mark(marks, a_, "2026-11-25", "AM", "/").ok());
  ASSERT_TRUE(Mark(marks, a_, "2026-11-25", "AM", "M", "Medical appointment letter").ok());
  core::StatusOr<std::vector<store::Amendment>> trail = store_->AmendmentsForPupil(a_);
  ASSERT_TRUE(trail.ok());
  ASSERT_EQ(trail->size(), 2u);
  EXPECT_EQ(trail->back().by_name, "API token: MIS sync");
  EXPECT_EQ(trail->back().reason, "Medical appointment letter");
}

TEST_F(ApiTokensTest, UsesAreLoggedNewestFirstWithTheirStatus) {
  const CreatedApiToken created = Create({ApiScope::kReadFigures});
  ASSERT_TRUE(tokens()
                  .LogUse({.token_id = created.token.id,
                           .at = clock_.NowSeconds(),
                           .method = "GET",
                           .path = "/api/v1/school/summary",
                           .status = 200,
                           .remote_addr = "10.0.0.5"})
                  .ok());
  ASSERT_TRUE(tokens()
                  .LogUse({.token_id = created.token.id,
                           .at = clock_.NowSeconds() + 1,
                           .method = "PUT",
                           .path = "/api/v1/registers/2026-11-25/AM/marks/1",
                           .status = 403,
                           .remote_addr = "10.0.0.5"})
                  .ok());
  auto details = tokens().Details(head_, created.token.id, 10);
  ASSERT_TRUE(details.ok());
  ASSERT_EQ(details->second.size(), 2u);
  EXPECT_EQ(details->second[0].status, 403);
  EXPECT_EQ(details->second[1].status, 200);
  EXPECT_EQ(details->first.token.last_used_at, clock_.NowSeconds() + 1);
}

}  // namespace
}  // namespace rollcall::service
