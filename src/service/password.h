// password.h
//
// Password hashing with libsodium's argon2id (crypto_pwhash_str), random
// tokens, and constant-time comparison. The only place that touches
// passwords or token randomness.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace rollcall::service {

// Cost of hashing. kInteractive is libsodium's interactive limits (about
// 64 MiB and 0.1 s); kTestOnly is the minimum, for tests and demo seeding
// of many accounts.
enum class HashCost : uint8_t { kInteractive = 1, kTestOnly = 2 };

// An argon2id hash string ("$argon2id$v=19$..."). Internal on allocation failure.
core::StatusOr<std::string> HashPassword(std::string_view password,
                                         HashCost cost = HashCost::kInteractive);
// True when `password` matches `hash`; false for a wrong password or a
// malformed hash.
bool VerifyPassword(std::string_view password, const std::string& hash);

// `bytes` random bytes as lower-case hex (2*bytes characters).
std::string RandomToken(size_t bytes = 32);
// Lower-case hex SHA-256 of `text` (generic hash, 32 bytes): what is stored
// for a session token.
std::string TokenHash(std::string_view text);
// Lower-case hex HMAC-SHA-256 of `message` keyed with `key` (any length):
// the signature of a webhook delivery.
std::string HmacSha256Hex(std::string_view key, std::string_view message);
// Ok, or InvalidArgument (VALUE_INVALID) when a new account's username is
// not 2-64 characters of a-z, 0-9, '.', '_', '-', '@' and '+' (an email
// address will do).
core::Status ValidateUsername(std::string_view username);
// As ValidateUsername, and also InvalidArgument when the password is shorter
// than 10 characters or longer than 256.
core::Status ValidateNewUser(std::string_view username, std::string_view password);

// Constant-time equality for secrets.
bool SecretEquals(std::string_view a, std::string_view b);

}  // namespace rollcall::service
