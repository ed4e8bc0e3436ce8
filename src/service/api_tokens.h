// api_tokens.h
//
// API tokens for integrations: the head creates one for another system
// with a name, scopes (api_scopes.h) and an expiry date; the token is shown
// once and only its hash is kept; the system sends it as
// `Authorization: Bearer rc_...` on /api/v1 calls, and each call is logged.
// A token acts as the office would, within its scopes (access.h), under its
// own name ("API token: <name>"), so an amended mark says which token did
// it. It works until its expiry date ends or the head revokes it; it does
// not end when the account that created it is disabled.
//
// Callable from any thread: tokens are read from and written to the store
// directly (they are not part of the school's snapshot).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "service/access.h"
#include "service/api_scopes.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::service {

// Every token starts with this, so that one pasted where it should not be
// (a log, a ticket) is recognised as a secret.
inline constexpr std::string_view kApiTokenPrefix = "rc_";
// A new token lasts this long unless the head picks another date, and at
// most kApiTokenMaxDays.
inline constexpr int kApiTokenDefaultDays = 90;
inline constexpr int kApiTokenMaxDays = 365;
// The longest name a token may have.
inline constexpr size_t kApiTokenNameMax = 80;

struct NewApiToken {
  std::string name;  // what it is for
  std::vector<ApiScope> scopes;
  std::optional<core::Date> expires_on;  // its last day; nullopt: kApiTokenDefaultDays from today
};

// A token just created: `secret` is shown once and never again.
struct CreatedApiToken {
  store::ApiToken token;
  std::string secret;
};

// A token with its scopes read.
struct ApiTokenView {
  store::ApiToken token;
  std::vector<ApiScope> scopes;
  core::Date last_day;  // the last day it works
  bool expired = false;
  bool revoked = false;
};

// A request's caller when it came with a token.
struct ApiCaller {
  int64_t token_id = 0;
  Principal who;
};

class ApiTokens {
 public:
  explicit ApiTokens(School& school) : school_(school) {}

  // Creates a token (the head only: kManageApiTokens). InvalidArgument
  // VALUE_INVALID for an empty or over-long name, no scope, or an expiry
  // date before tomorrow or more than kApiTokenMaxDays away.
  core::StatusOr<CreatedApiToken> Create(const Principal& who, const NewApiToken& request);
  // Every token, newest first (kManageApiTokens).
  core::StatusOr<std::vector<ApiTokenView>> List(const Principal& who) const;
  // One token (NotFound TOKEN_INVALID) and its latest `limit` uses, newest first.
  core::StatusOr<std::pair<ApiTokenView, std::vector<store::ApiTokenUse>>> Details(
      const Principal& who, int64_t id, int limit) const;
  // Revokes a token at once (kManageApiTokens); revoking it again changes
  // nothing. NotFound TOKEN_INVALID.
  core::Status Revoke(const Principal& who, int64_t id);

  // The caller a bearer token stands for: Unauthenticated TOKEN_INVALID for
  // a token no token has, TOKEN_REVOKED or TOKEN_EXPIRED; the store's error
  // when it cannot be asked.
  core::StatusOr<ApiCaller> Authenticate(std::string_view secret) const;
  // Appends one use of a token (and sets its last use).
  core::Status LogUse(const store::ApiTokenUse& use);

 private:
  core::Status MayManage(const Principal& who) const;
  ApiTokenView ViewOf(store::ApiToken token) const;

  School& school_;
};

}  // namespace rollcall::service
