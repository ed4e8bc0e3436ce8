// second_factor.h
//
// Staff's second factor: a one-time code from an authenticator app on the
// phone (RFC 6238, io/totp.h) asked for after the password. A member of
// staff enrols from their account page (or straight after the password when
// the school requires it of their role): rollcall makes a 160-bit secret,
// shows it as text, as an otpauth:// address and as a QR code, and switches
// it on only once a code from the app confirms it; the secret is never
// shown again. Enrolling gives ten recovery codes, shown once and stored
// hashed, each good for one login without the phone. A code is accepted
// one 30-second step either side of now, and never twice (the newest
// step used is stored). Turning it off takes the password and a code
// (Sessions::TurnOffSecondFactor); the head resets a colleague's for a
// lost phone, which is logged. The head's setting "second factor required"
// makes it compulsory for the head, office, attendance officer, DSL and LA
// officer roles. API tokens are not affected: they are not logins.
//
// Logins themselves, their throttling and the pending step between the
// password and the code are Sessions' (sessions.h). Callable from any
// thread: everything is read from and written to the store directly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "service/access.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::service {

// How many recovery codes enrolment gives, and their length (before the
// dash that splits them in two for reading).
inline constexpr int kRecoveryCodeCount = 10;
inline constexpr int kRecoveryCodeLength = 10;

// True for the roles the school's setting makes enrol: those that see
// every pupil's casework or change the school (head, office, attendance
// officer, DSL) and LA officers, who see many schools.
bool SecondFactorRequiredFor(store::Role role);

// An enrolment waiting for its first code: what the phone needs.
struct SecondFactorEnrolment {
  std::string secret_base32;  // to type into the app
  std::string otpauth_uri;    // what the QR code holds
  std::string qr_svg;         // the QR code, an SVG document
};

// An account's second factor as its owner sees it.
struct SecondFactorState {
  bool enrolled = false;
  std::optional<int64_t> enrolled_at;
  bool enrolling = false;  // a secret shown, not yet confirmed
  int recovery_codes_left = 0;
  bool required = false;  // the school requires it of this account's role
};

// One member of staff on the head's page.
struct SecondFactorStaffRow {
  store::User user;
  bool enrolled = false;
  bool required = false;  // of their role, when the setting is on
};

// The head's page: the setting, every active staff account, the log.
struct SecondFactorOverview {
  store::SecondFactorPolicy policy;
  std::vector<SecondFactorStaffRow> staff;
  std::vector<store::SecondFactorEvent> events;  // newest first
};

class SecondFactors {
 public:
  explicit SecondFactors(School& school) : school_(school) {}

  // The caller's own state (any signed-in person; refused to API tokens).
  core::StatusOr<SecondFactorState> StateOf(const Principal& who) const;
  // Begins enrolling `user_id` again from the start: a new secret replaces
  // any not yet confirmed. Conflict SECOND_FACTOR_ENROLLED when one is on.
  core::StatusOr<SecondFactorEnrolment> Start(int64_t user_id, int64_t now);
  // The enrolment begun and not yet confirmed, shown again (after a wrong
  // code); NotFound USER_UNKNOWN when none was begun, Conflict
  // SECOND_FACTOR_ENROLLED when it is already on (its secret is never shown
  // again).
  core::StatusOr<SecondFactorEnrolment> Waiting(int64_t user_id) const;
  // Switches the waiting enrolment on with a current code from the app, by
  // `by` (the account's owner): the recovery codes, in plain text, shown
  // once. Unauthenticated SECOND_FACTOR_CODE_WRONG for a wrong code.
  core::StatusOr<std::vector<std::string>> Confirm(int64_t user_id, std::string_view code,
                                                   const std::string& by_name, int64_t now);
  // Whether `user_id` has a second factor switched on.
  core::StatusOr<bool> Enrolled(int64_t user_id) const;
  // Whether `user` must enrol before logging in: the setting is on, their
  // role is one it covers and they have none.
  core::StatusOr<bool> MustEnrol(const store::User& user) const;
  // Checks a login's code: a one-time code (6 digits) not used before, or
  // an unused recovery code (which is then used up). Unauthenticated
  // SECOND_FACTOR_CODE_WRONG otherwise; the store's error when it fails.
  core::Status Check(int64_t user_id, std::string_view code, const std::string& by_name,
                     int64_t now);
  // New recovery codes for the caller, replacing the old, once a current
  // code is checked (Check).
  core::StatusOr<std::vector<std::string>> NewRecoveryCodes(const Principal& who,
                                                            std::string_view code, int64_t now);
  // Removes the caller's second factor, once a current code is checked;
  // the password is Sessions::TurnOffSecondFactor's to check. Refused
  // (PermissionDenied FORBIDDEN) while the school requires it of the role.
  core::Status TurnOff(const Principal& who, std::string_view code, int64_t now);
  // Removes a colleague's second factor (the head: kManageUsers), for a
  // lost phone; logged. Not the head's own (TurnOff), nor an LA officer's
  // (the service's operator). NotFound USER_UNKNOWN when they have none.
  core::Status Reset(const Principal& who, int64_t user_id, int64_t now);

  // The head's page (kManageUsers).
  core::StatusOr<SecondFactorOverview> Overview(const Principal& who) const;
  // Turns the school's requirement on or off (kManageUsers).
  core::Status SetRequired(const Principal& who, bool required, int64_t now);

 private:
  // The enrolment for `secret_hex` of `user_id`, as the phone needs it.
  core::StatusOr<SecondFactorEnrolment> EnrolmentOf(int64_t user_id,
                                                    const std::string& secret_hex) const;
  // Fresh recovery codes and their hashes under `key_hex`.
  static std::vector<std::string> MakeRecoveryCodes(const std::string& key_hex,
                                                    std::vector<std::string>& hashes);

  School& school_;
};

// A recovery code as typed, made canonical: spaces and dashes dropped,
// letters upper case. Exposed for tests.
std::string CanonicalRecoveryCode(std::string_view typed);

}  // namespace rollcall::service
