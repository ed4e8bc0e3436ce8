// The one store suite, continued (instantiated for every backend in
// store_test.cc): API tokens and the log of their uses.
#include <gtest/gtest.h>

#include "core/error_codes.h"
#include "store/store.h"
#include "store_test_util.h"

namespace rollcall::store {
namespace {

using testing::StoreTest;

ApiToken Token(int64_t user_id, const std::string& name, const std::string& hash, int64_t at) {
  return {.name = name,
          .scopes = "read:figures write:marks",
          .token_hash = hash,
          .created_by_user_id = user_id,
          .created_by_name = "Mrs Head",
          .created_at = at,
          .expires_at = at + 86400};
}

TEST_P(StoreTest, ApiTokensAreFoundByTheirHashAndListedNewestFirst) {
  const int64_t head = AddTestUser("head", Role::kHead);
  ASSERT_OK_AND_ASSIGN(const int64_t first, store().AddApiToken(Token(head, "One", "h1", 100)));
  ASSERT_OK_AND_ASSIGN(const int64_t second, store().AddApiToken(Token(head, "Two", "h2", 200)));
  ASSERT_OK_AND_ASSIGN(ApiToken found, store().FindApiToken("h1"));
  EXPECT_EQ(found.id, first);
  EXPECT_EQ(found.name, "One");
  EXPECT_EQ(found.scopes, "read:figures write:marks");
  EXPECT_EQ(found.created_by_user_id, head);
  EXPECT_EQ(found.created_by_name, "Mrs Head");
  EXPECT_EQ(found.expires_at, 100 + 86400);
  EXPECT_FALSE(found.revoked_at.has_value());
  EXPECT_FALSE(found.last_used_at.has_value());
  EXPECT_EQ(store().FindApiToken("nope").status().code(), core::kErrTokenInvalid);
  ASSERT_OK_AND_ASSIGN(std::vector<ApiToken> all, store().ListApiTokens());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, second);
  EXPECT_EQ(all[1].id, first);
  // A creator that is no account, and an expiry not after creation, are refused.
  EXPECT_EQ(store().AddApiToken(Token(head + 99, "X", "h3", 100)).status().code(),
            core::kErrUserUnknown);
  ApiToken backwards = Token(head, "X", "h4", 100);
  backwards.expires_at = 100;
  EXPECT_FALSE(store().AddApiToken(backwards).ok());
}

TEST_P(StoreTest, ARevokedTokenKeepsItsFirstRevocation) {
  const int64_t head = AddTestUser("head", Role::kHead);
  ASSERT_OK_AND_ASSIGN(const int64_t id, store().AddApiToken(Token(head, "One", "h1", 100)));
  ASSERT_OK(store().RevokeApiToken(id, 150, "Mrs Head"));
  ASSERT_OK(store().RevokeApiToken(id, 160, "Mr Deputy"));
  ASSERT_OK_AND_ASSIGN(ApiToken found, store().FindApiToken("h1"));
  EXPECT_EQ(found.revoked_at, 150);
  EXPECT_EQ(found.revoked_by, "Mrs Head");
  EXPECT_EQ(store().RevokeApiToken(id + 9, 150, "x").code(), core::kErrTokenInvalid);
}

TEST_P(StoreTest, EachUseOfATokenIsLoggedAndSetsItsLastUse) {
  const int64_t head = AddTestUser("head", Role::kHead);
  ASSERT_OK_AND_ASSIGN(const int64_t id, store().AddApiToken(Token(head, "One", "h1", 100)));
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK(store()
                  .AddApiTokenUse({.token_id = id,
                                   .at = 200 + i,
                                   .method = "GET",
                                   .path = "/api/v1/school/summary",
                                   .status = i == 2 ? 403 : 200,
                                   .remote_addr = "10.0.0.5"})
                  .status());
  }
  ASSERT_OK_AND_ASSIGN(std::vector<ApiTokenUse> uses, store().ApiTokenUses(id, 2));
  ASSERT_EQ(uses.size(), 2u);
  EXPECT_EQ(uses[0].at, 202);
  EXPECT_EQ(uses[0].status, 403);
  EXPECT_EQ(uses[0].method, "GET");
  EXPECT_EQ(uses[0].path, "/api/v1/school/summary");
  EXPECT_EQ(uses[0].remote_addr, "10.0.0.5");
  EXPECT_EQ(uses[1].at, 201);
  ASSERT_OK_AND_ASSIGN(ApiToken found, store().FindApiToken("h1"));
  EXPECT_EQ(found.last_used_at, 202);
  EXPECT_EQ(store().AddApiTokenUse({.token_id = id + 9, .at = 1, .status = 200}).status().code(),
            core::kErrTokenInvalid);
}

}  // namespace
}  // namespace rollcall::store
