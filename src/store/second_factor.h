// second_factor.h
//
// The store's records of staff's second factor: the shared secret of each
// account's authenticator app, its recovery codes (hashed), the log of
// changes to them and the school's setting that requires them. One
// aggregate of the Store interface (store.h); the rules are
// service/second_factor.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rollcall::store {

// An account's authenticator app, enrolled (confirmed_at) or not yet.
struct SecondFactor {
  int64_t user_id = 0;
  std::string secret;  // hex of the 20 bytes the app shares
  int64_t created_at = 0;
  std::optional<int64_t> confirmed_at;  // nullopt: shown, not yet confirmed by a code
  int64_t last_step = 0;                // the newest 30-second step whose code was accepted
  std::string recovery_key;             // hex of the key recovery codes are hashed with
};

// What happened to an account's second factor. Stored by name: never
// rename them.
enum class SecondFactorEventKind : uint8_t {
  kEnrolled = 1,      // "enrolled"
  kTurnedOff,         // "turned_off": by its owner, with the password and a code
  kReset,             // "reset": by the head, for a lost phone
  kRecoveryCodeUsed,  // "recovery_code_used"
  kNewRecoveryCodes,  // "new_recovery_codes": the old ones replaced
};
std::string_view SecondFactorEventName(SecondFactorEventKind kind);
std::optional<SecondFactorEventKind> SecondFactorEventFromName(std::string_view name);

struct SecondFactorEvent {
  int64_t id = 0;
  int64_t user_id = 0;
  SecondFactorEventKind kind = SecondFactorEventKind::kEnrolled;
  int64_t at = 0;
  int64_t by_user_id = 0;
  std::string by_name;
};

// The school's "second factor required" setting; required = false until
// the head first sets it.
struct SecondFactorPolicy {
  bool required = false;
  int64_t set_at = 0;
  std::string set_by;
};

}  // namespace rollcall::store
