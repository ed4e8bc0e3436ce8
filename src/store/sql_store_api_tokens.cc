// sql_store_api_tokens.cc: API tokens and the log of their uses.
#include <string>
#include <vector>

#include "core/error_codes.h"
#include "store/sql_store.h"

namespace rollcall::store::sql {
namespace {

using core::Status;
using core::StatusOr;

constexpr char kTokenColumns[] =
    "SELECT id, name, scopes, token_hash, created_by_user_id, created_by_name, created_at, "
    "expires_at, revoked_at, revoked_by, last_used_at FROM api_tokens ";

ApiToken ReadToken(const Statement& stmt) {
  return ApiToken{.id = stmt.Int64(0),
                  .name = stmt.Text(1),
                  .scopes = stmt.Text(2),
                  .token_hash = stmt.Text(3),
                  .created_by_user_id = stmt.Int64(4),
                  .created_by_name = stmt.Text(5),
                  .created_at = stmt.Int64(6),
                  .expires_at = stmt.Int64(7),
                  .revoked_at = stmt.OptionalInt64(8),
                  .revoked_by = stmt.Text(9),
                  .last_used_at = stmt.OptionalInt64(10)};
}

Status NoSuchToken() { return core::NotFound(core::kErrTokenInvalid, "no such API token"); }

}  // namespace

StatusOr<int64_t> SqlStore::AddApiToken(const ApiToken& token) {
  return Write([&]() -> StatusOr<int64_t> {
    RETURN_IF_ERROR(RequireUser(token.created_by_user_id));
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("INSERT INTO api_tokens (name, scopes, token_hash, "
                                  "created_by_user_id, created_by_name, created_at, expires_at) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id"));
    stmt.Bind(1, token.name);
    stmt.Bind(2, token.scopes);
    stmt.Bind(3, token.token_hash);
    stmt.Bind(4, token.created_by_user_id);
    stmt.Bind(5, token.created_by_name);
    stmt.Bind(6, token.created_at);
    stmt.Bind(7, token.expires_at);
    return stmt.InsertReturningId();
  });
}

StatusOr<ApiToken> SqlStore::FindApiToken(std::string_view token_hash) {
  return Read([&]() -> StatusOr<ApiToken> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare(std::string(kTokenColumns) + "WHERE token_hash = ?1"));
    stmt.Bind(1, token_hash);
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return NoSuchToken();
    return ReadToken(stmt);
  });
}

StatusOr<std::vector<ApiToken>> SqlStore::ListApiTokens() {
  return Read([&]() -> StatusOr<std::vector<ApiToken>> {
    ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(std::string(kTokenColumns) +
                                                  "ORDER BY created_at DESC, id DESC"));
    std::vector<ApiToken> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      out.push_back(ReadToken(stmt));
    }
    return out;
  });
}

Status SqlStore::RevokeApiToken(int64_t id, int64_t at, const std::string& by_name) {
  return Write([&]() -> Status {
    RETURN_IF_ERROR(RequireRow("SELECT 1 FROM api_tokens WHERE id = ?1", id, core::kErrTokenInvalid,
                               "API token"));
    // The first revocation stands: its time and name are the record.
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("UPDATE api_tokens SET revoked_at = ?1, revoked_by = ?2 "
                                  "WHERE id = ?3 AND revoked_at IS NULL"));
    stmt.Bind(1, at);
    stmt.Bind(2, by_name);
    stmt.Bind(3, id);
    return stmt.Run();
  });
}

StatusOr<int64_t> SqlStore::AddApiTokenUse(const ApiTokenUse& use) {
  return Write([&]() -> StatusOr<int64_t> {
    {
      // One statement both finds the token and stamps it: this runs on
      // every call an integration makes.
      ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("UPDATE api_tokens SET last_used_at = ?1 "
                                                    "WHERE id = ?2 RETURNING id"));
      stmt.Bind(1, use.at);
      stmt.Bind(2, use.token_id);
      ASSIGN_OR_RETURN(const bool found, stmt.Step());
      if (!found) return NoSuchToken();
      RETURN_IF_ERROR(stmt.Run());
    }
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("INSERT INTO api_token_uses (token_id, at, method, path, status, "
                                  "remote_addr) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id"));
    stmt.Bind(1, use.token_id);
    stmt.Bind(2, use.at);
    stmt.Bind(3, use.method);
    stmt.Bind(4, use.path);
    stmt.Bind(5, use.status);
    stmt.Bind(6, use.remote_addr);
    return stmt.InsertReturningId();
  });
}

StatusOr<std::vector<ApiTokenUse>> SqlStore::ApiTokenUses(int64_t token_id, int limit) {
  return Read([&]() -> StatusOr<std::vector<ApiTokenUse>> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("SELECT id, token_id, at, method, path, status, remote_addr "
                                  "FROM api_token_uses WHERE token_id = ?1 "
                                  "ORDER BY id DESC LIMIT ?2"));
    stmt.Bind(1, token_id);
    stmt.Bind(2, limit);
    std::vector<ApiTokenUse> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      out.push_back(ApiTokenUse{.id = stmt.Int64(0),
                                .token_id = stmt.Int64(1),
                                .at = stmt.Int64(2),
                                .method = stmt.Text(3),
                                .path = stmt.Text(4),
                                .status = static_cast<int>(stmt.Int64(5)),
                                .remote_addr = stmt.Text(6)});
    }
    return out;
  });
}

}  // namespace rollcall::store::sql
