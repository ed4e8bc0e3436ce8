// api_tokens.cc: creating, checking and revoking API tokens.
#include "service/api_tokens.h"

#include <fmt/format.h>

#include <utility>

#include "core/error_codes.h"
#include "core/uk_time.h"
#include "io/csv_reader.h"
#include "service/password.h"
#include "service/words.h"

namespace rollcall::service {
namespace {

// The first moment a token whose last day is `last_day` no longer works:
// midnight UK time after that day.
int64_t ExpiresAt(core::Date last_day) { return core::UkUnixSeconds(last_day.AddDays(1), 0); }

core::Status BadTokenRequest(std::string message) {
  return core::InvalidArgument(core::kErrValueInvalid, std::move(message));
}

}  // namespace

core::Status ApiTokens::MayManage(const Principal& who) const {
  auto lock = school_.Read();
  return school_.Allow(who, Action::kManageApiTokens, {});
}

ApiTokenView ApiTokens::ViewOf(store::ApiToken token) const {
  ApiTokenView v;
  // A stored text this program wrote always reads; an unknown name (a
  // scope since removed) allows nothing.
  v.scopes = ApiScopesFromText(token.scopes).value_or(std::vector<ApiScope>{});
  v.last_day = core::UkTimeAt(token.expires_at - 1).date;
  v.expired = school_.clock().NowSeconds() >= token.expires_at;
  v.revoked = token.revoked_at.has_value();
  v.token = std::move(token);
  return v;
}

core::StatusOr<CreatedApiToken> ApiTokens::Create(const Principal& who,
                                                  const NewApiToken& request) {
  RETURN_IF_ERROR(MayManage(who));
  const std::string name = io::Trim(request.name);
  if (name.empty()) return BadTokenRequest("give the token a name that says what it is for");
  if (name.size() > kApiTokenNameMax) {
    return BadTokenRequest(
        fmt::format("a token's name may have at most {} characters", kApiTokenNameMax));
  }
  if (request.scopes.empty()) return BadTokenRequest("choose at least one thing the token may do");
  const core::Date today = school_.clock().Today();
  const core::Date last_day = request.expires_on.value_or(today.AddDays(kApiTokenDefaultDays));
  if (last_day <= today) return BadTokenRequest("the expiry date must be after today");
  if (last_day > today.AddDays(kApiTokenMaxDays)) {
    return BadTokenRequest(fmt::format("a token may last at most a year: until {} at the latest",
                                       LongDate(today.AddDays(kApiTokenMaxDays))));
  }
  CreatedApiToken out;
  // 32 random bytes: a token cannot be guessed, so a fast hash of it is
  // enough to keep (unlike a password, which needs a slow one).
  out.secret = std::string(kApiTokenPrefix) + RandomToken(32);
  out.token = store::ApiToken{.name = name,
                              .scopes = ApiScopesText(request.scopes),
                              .token_hash = TokenHash(out.secret),
                              .created_by_user_id = who.user_id,
                              .created_by_name = who.name,
                              .created_at = school_.clock().NowSeconds(),
                              .expires_at = ExpiresAt(last_day)};
  ASSIGN_OR_RETURN(out.token.id, school_.store().AddApiToken(out.token));
  return out;
}

core::StatusOr<std::vector<ApiTokenView>> ApiTokens::List(const Principal& who) const {
  RETURN_IF_ERROR(MayManage(who));
  ASSIGN_OR_RETURN(std::vector<store::ApiToken> tokens, school_.store().ListApiTokens());
  std::vector<ApiTokenView> out;
  out.reserve(tokens.size());
  for (store::ApiToken& t : tokens) out.push_back(ViewOf(std::move(t)));
  return out;
}

core::StatusOr<std::pair<ApiTokenView, std::vector<store::ApiTokenUse>>> ApiTokens::Details(
    const Principal& who, int64_t id, int limit) const {
  ASSIGN_OR_RETURN(std::vector<ApiTokenView> tokens, List(who));
  for (ApiTokenView& v : tokens) {
    if (v.token.id != id) continue;
    ASSIGN_OR_RETURN(std::vector<store::ApiTokenUse> uses, school_.store().ApiTokenUses(id, limit));
    return std::pair{std::move(v), std::move(uses)};
  }
  return core::NotFound(core::kErrTokenInvalid, "no such API token");
}

core::Status ApiTokens::Revoke(const Principal& who, int64_t id) {
  RETURN_IF_ERROR(MayManage(who));
  return school_.store().RevokeApiToken(id, school_.clock().NowSeconds(), who.name);
}

core::StatusOr<ApiCaller> ApiTokens::Authenticate(std::string_view secret) const {
  // Looked up by its hash, so no stored secret is ever compared.
  core::StatusOr<store::ApiToken> found = school_.store().FindApiToken(TokenHash(secret));
  if (!found.ok() && found.status().code() != core::kErrTokenInvalid) return found.status();
  if (!found.ok()) {
    return core::Unauthenticated(core::kErrTokenInvalid,
                                 "this API token is not known: check it was copied whole");
  }
  ApiTokenView v = ViewOf(std::move(*found));
  if (v.revoked) {
    return core::Unauthenticated(core::kErrTokenRevoked,
                                 fmt::format("this API token was revoked on {}",
                                             LongDate(core::UkTimeAt(*v.token.revoked_at).date)));
  }
  if (v.expired) {
    return core::Unauthenticated(
        core::kErrTokenExpired,
        fmt::format("this API token expired at the end of {}", LongDate(v.last_day)));
  }
  ApiCaller caller{.token_id = v.token.id};
  caller.who.user_id = v.token.created_by_user_id;
  caller.who.role = store::Role::kOffice;
  caller.who.name = "API token: " + v.token.name;
  caller.who.token_scopes = std::move(v.scopes);
  return caller;
}

core::Status ApiTokens::LogUse(const store::ApiTokenUse& use) {
  return school_.store().AddApiTokenUse(use).status();
}

}  // namespace rollcall::service
