// password.cc: argon2id hashing and tokens through libsodium.
#include "service/password.h"

#include <sodium.h>

#include <algorithm>
#include <mutex>

#include "core/error_codes.h"

namespace rollcall::service {
namespace {

void InitSodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) core::Unreachable();  // no usable randomness: cannot run safely
  });
}

std::string Hex(const unsigned char* data, size_t size) {
  std::string out(size * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, size);
  out.pop_back();
  return out;
}

}  // namespace

core::StatusOr<std::string> HashPassword(std::string_view password, HashCost cost) {
  InitSodium();
  char out[crypto_pwhash_STRBYTES];
  const unsigned long long ops = cost == HashCost::kInteractive ? crypto_pwhash_OPSLIMIT_INTERACTIVE
                                                                : crypto_pwhash_OPSLIMIT_MIN;
  const size_t mem = cost == HashCost::kInteractive ? crypto_pwhash_MEMLIMIT_INTERACTIVE
                                                    : crypto_pwhash_MEMLIMIT_MIN;
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops, mem,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return core::Internal(core::kErrPasswordHash, "could not hash the password (out of memory)");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view password, const std::string& hash) {
  InitSodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string RandomToken(size_t bytes) {
  InitSodium();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  return Hex(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
}

std::string TokenHash(std::string_view text) {
  InitSodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  return Hex(digest, sizeof digest);
}

std::string HmacSha256Hex(std::string_view key, std::string_view message) {
  InitSodium();
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  return Hex(mac, sizeof mac);
}

core::Status ValidateUsername(std::string_view username) {
  // '@' and '+' let a parent's username be their email address.
  const bool name_ok = username.size() >= 2 && username.size() <= 64 &&
                       std::all_of(username.begin(), username.end(), [](char c) {
                         return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                                c == '_' || c == '-' || c == '@' || c == '+';
                       });
  if (!name_ok) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        "a username is 2-64 characters of a-z, 0-9, '.', '_', '-', '@' and '+'");
  }
  return core::OkStatus();
}

core::Status ValidateNewUser(std::string_view username, std::string_view password) {
  RETURN_IF_ERROR(ValidateUsername(username));
  if (password.size() < 10 || password.size() > 256) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "a password must be 10 to 256 characters long");
  }
  return core::OkStatus();
}

bool SecretEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace rollcall::service
