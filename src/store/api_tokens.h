// api_tokens.h
//
// The store's records of API tokens for integrations and of each use of
// them: one aggregate of the Store interface (store.h), with its types. A
// token itself is never stored, only its hash; a token and its uses are
// never deleted (a revoked token keeps its row, so its uses still name it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace rollcall::store {

// An API token the head created for another system (service/api_tokens.h).
struct ApiToken {
  int64_t id = 0;          // assigned by AddApiToken
  std::string name;        // what it is for, e.g. "Trust data warehouse"
  std::string scopes;      // the scopes' names, space-separated ("read:figures write:marks")
  std::string token_hash;  // hex hash of the token (service::TokenHash)
  int64_t created_by_user_id = 0;
  std::string created_by_name;
  int64_t created_at = 0;
  int64_t expires_at = 0;  // refused from this moment
  std::optional<int64_t> revoked_at;
  std::string revoked_by;  // display name; "" while not revoked
  std::optional<int64_t> last_used_at;
};

// One request made with a token: appended after the request was answered,
// never changed or deleted.
struct ApiTokenUse {
  int64_t id = 0;  // assigned by AddApiTokenUse
  int64_t token_id = 0;
  int64_t at = 0;
  std::string method;  // "GET"
  std::string path;    // without the query: "/api/v1/school/summary"
  int status = 0;      // the HTTP status answered
  std::string remote_addr;
};

}  // namespace rollcall::store
