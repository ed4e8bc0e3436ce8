// second_factor.cc: staff's second factor (second_factor.h).
#include "service/second_factor.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>

#include "core/error_codes.h"
#include "io/totp.h"
#include "service/password.h"

namespace rollcall::service {
namespace {

// 160 bits: the secret length RFC 4226 recommends for HMAC-SHA1.
constexpr size_t kSecretBytes = 20;
constexpr size_t kRecoveryKeyBytes = 32;
// No 0/O or 1/I to misread from paper: 32 symbols, 5 bits each, so a code
// of 10 carries 50 random bits.
constexpr std::string_view kRecoveryAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
static_assert(kRecoveryAlphabet.size() == 32);
// The log lines the head's page shows.
constexpr int kEventsShown = 50;

core::Status WrongCode(std::string_view why = "the code is not right") {
  return core::Unauthenticated(core::kErrCodeWrong, std::string(why));
}

// Hex text back to bytes; empty for text that is not hex.
std::string FromHex(const std::string& hex) {
  std::string out(hex.size() / 2, '\0');
  size_t length = 0;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), hex.data(),
                     hex.size(), nullptr, &length, nullptr) != 0 ||
      length != out.size()) {
    return {};
  }
  return out;
}

// The recovery code's hash: BLAKE2b keyed with the account's random key.
// A fast hash is enough: a code carries 50 random bits, so no list of
// likely codes exists to try, guesses at the login are throttled, and the
// one who could try offline holds the database, where the account's
// one-time secret itself lies beside the hashes.
std::string RecoveryHash(std::string_view canonical, const std::string& key_hex) {
  if (sodium_init() < 0) core::Unreachable();  // no usable randomness: cannot run safely
  const std::string key = FromHex(key_hex);
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest,
                     reinterpret_cast<const unsigned char*>(canonical.data()), canonical.size(),
                     reinterpret_cast<const unsigned char*>(key.data()), key.size());
  std::string hex(sizeof digest * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest, sizeof digest);
  hex.pop_back();
  return hex;
}

bool IsSixDigits(std::string_view code) {
  return code.size() == 6 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The code as typed without the spaces a phone app shows in the middle.
std::string WithoutSpaces(std::string_view typed) {
  std::string out;
  for (char c : typed) {
    if (c != ' ' && c != '\t') out += c;
  }
  return out;
}

}  // namespace

bool SecondFactorRequiredFor(store::Role role) {
  switch (role) {
    case store::Role::kHead:
    case store::Role::kOffice:
    case store::Role::kAttendanceOfficer:
    case store::Role::kSafeguardingLead:
    case store::Role::kLaOfficer:
      return true;
    // Teachers see their own classes' registers and parents their own
    // children: a phone for every one of them would cost the school more
    // than the little their accounts reach.
    case store::Role::kTeacher:
    case store::Role::kGovernor:
    case store::Role::kParent:
    case store::Role::kSenco:
      return false;
  }
  core::Unreachable();
}

std::string CanonicalRecoveryCode(std::string_view typed) {
  std::string out;
  for (char c : typed) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return out;
}

core::StatusOr<SecondFactorState> SecondFactors::StateOf(const Principal& who) const {
  RETURN_IF_ERROR(RefuseApiToken(who, "read a second factor"));
  SecondFactorState state;
  ASSIGN_OR_RETURN(const store::SecondFactorPolicy policy, school_.store().GetSecondFactorPolicy());
  state.required = policy.required && SecondFactorRequiredFor(who.role);
  core::StatusOr<store::SecondFactor> factor = school_.store().GetSecondFactor(who.user_id);
  if (!factor.ok()) {
    if (factor.status().kind() == core::ErrorKind::kNotFound) return state;
    return factor.status();
  }
  state.enrolled = factor->confirmed_at.has_value();
  state.enrolled_at = factor->confirmed_at;
  state.enrolling = !state.enrolled;
  if (state.enrolled) {
    ASSIGN_OR_RETURN(state.recovery_codes_left, school_.store().RecoveryCodesLeft(who.user_id));
  }
  return state;
}

core::StatusOr<SecondFactorEnrolment> SecondFactors::EnrolmentOf(
    int64_t user_id, const std::string& secret_hex) const {
  std::string issuer;
  std::string account;
  {
    auto lock = school_.Read();
    issuer = school_.snapshot().school.name;
    auto it = school_.snapshot().users.find(user_id);
    if (it != school_.snapshot().users.end()) account = it->second.username;
  }
  if (issuer.empty()) issuer = "rollcall";
  SecondFactorEnrolment out;
  out.secret_base32 = io::Base32(FromHex(secret_hex));
  out.otpauth_uri = io::OtpauthUri(issuer, account, out.secret_base32);
  ASSIGN_OR_RETURN(out.qr_svg, io::QrSvg(out.otpauth_uri));
  return out;
}

core::StatusOr<SecondFactorEnrolment> SecondFactors::Start(int64_t user_id, int64_t now) {
  store::SecondFactor factor;
  factor.user_id = user_id;
  factor.secret = RandomToken(kSecretBytes);
  factor.created_at = now;
  factor.recovery_key = RandomToken(kRecoveryKeyBytes);
  RETURN_IF_ERROR(school_.store().StartSecondFactor(factor));
  return EnrolmentOf(user_id, factor.secret);
}

core::StatusOr<SecondFactorEnrolment> SecondFactors::Waiting(int64_t user_id) const {
  ASSIGN_OR_RETURN(const store::SecondFactor factor, school_.store().GetSecondFactor(user_id));
  if (factor.confirmed_at) {
    return core::Conflict(core::kErrSecondFactorEnrolled,
                          "this account's second factor is already on");
  }
  return EnrolmentOf(user_id, factor.secret);
}

std::vector<std::string> SecondFactors::MakeRecoveryCodes(const std::string& key_hex,
                                                          std::vector<std::string>& hashes) {
  // After a restart this may come before anything else has started
  // libsodium (a confirmation of an enrolment begun earlier).
  if (sodium_init() < 0) core::Unreachable();
  std::vector<std::string> codes;
  hashes.clear();
  for (int n = 0; n < kRecoveryCodeCount; ++n) {
    std::string code;
    for (int i = 0; i < kRecoveryCodeLength; ++i) {
      code += kRecoveryAlphabet[randombytes_uniform(32)];
    }
    hashes.push_back(RecoveryHash(code, key_hex));
    codes.push_back(code.substr(0, kRecoveryCodeLength / 2) + "-" +
                    code.substr(kRecoveryCodeLength / 2));
  }
  return codes;
}

core::StatusOr<std::vector<std::string>> SecondFactors::Confirm(int64_t user_id,
                                                                std::string_view code,
                                                                const std::string& by_name,
                                                                int64_t now) {
  ASSIGN_OR_RETURN(const store::SecondFactor factor, school_.store().GetSecondFactor(user_id));
  if (factor.confirmed_at) {
    return core::Conflict(core::kErrSecondFactorEnrolled,
                          "this account's second factor is already on");
  }
  const std::string typed = WithoutSpaces(code);
  std::optional<int64_t> step;
  if (IsSixDigits(typed)) step = io::TotpMatch(FromHex(factor.secret), typed, now);
  if (!step) {
    return WrongCode(
        "the code is not right: type the 6 digits the app shows now (check the phone's clock is "
        "right)");
  }
  std::vector<std::string> hashes;
  std::vector<std::string> codes = MakeRecoveryCodes(factor.recovery_key, hashes);
  const store::SecondFactorEvent event{.user_id = user_id,
                                       .kind = store::SecondFactorEventKind::kEnrolled,
                                       .at = now,
                                       .by_user_id = user_id,
                                       .by_name = by_name};
  RETURN_IF_ERROR(school_.store().ConfirmSecondFactor(user_id, *step, now, hashes, event));
  return codes;
}

core::StatusOr<bool> SecondFactors::Enrolled(int64_t user_id) const {
  core::StatusOr<store::SecondFactor> factor = school_.store().GetSecondFactor(user_id);
  if (!factor.ok()) {
    if (factor.status().kind() == core::ErrorKind::kNotFound) return false;
    return factor.status();
  }
  return factor->confirmed_at.has_value();
}

core::StatusOr<bool> SecondFactors::MustEnrol(const store::User& user) const {
  if (!SecondFactorRequiredFor(user.role)) return false;
  ASSIGN_OR_RETURN(const store::SecondFactorPolicy policy, school_.store().GetSecondFactorPolicy());
  if (!policy.required) return false;
  ASSIGN_OR_RETURN(const bool enrolled, Enrolled(user.id));
  return !enrolled;
}

core::Status SecondFactors::Check(int64_t user_id, std::string_view code,
                                  const std::string& by_name, int64_t now) {
  core::StatusOr<store::SecondFactor> factor = school_.store().GetSecondFactor(user_id);
  if (!factor.ok()) {
    if (factor.status().kind() == core::ErrorKind::kNotFound) return WrongCode();
    return factor.status();
  }
  if (!factor->confirmed_at) return WrongCode();
  const std::string typed = WithoutSpaces(code);
  if (IsSixDigits(typed)) {
    std::optional<int64_t> step = io::TotpMatch(FromHex(factor->secret), typed, now);
    if (!step) return WrongCode();
    ASSIGN_OR_RETURN(const bool fresh, school_.store().UseTotpStep(user_id, *step));
    if (!fresh) {
      return WrongCode("this code has been used already: wait for the app's next one");
    }
    return core::OkStatus();
  }
  const std::string canonical = CanonicalRecoveryCode(typed);
  if (canonical.size() != static_cast<size_t>(kRecoveryCodeLength)) return WrongCode();
  const store::SecondFactorEvent event{.user_id = user_id,
                                       .kind = store::SecondFactorEventKind::kRecoveryCodeUsed,
                                       .at = now,
                                       .by_user_id = user_id,
                                       .by_name = by_name};
  ASSIGN_OR_RETURN(const bool used,
                   school_.store().UseRecoveryCode(
                       user_id, RecoveryHash(canonical, factor->recovery_key), event));
  if (!used) return WrongCode("the code is not right, or that recovery code was used already");
  return core::OkStatus();
}

core::StatusOr<std::vector<std::string>> SecondFactors::NewRecoveryCodes(const Principal& who,
                                                                         std::string_view code,
                                                                         int64_t now) {
  RETURN_IF_ERROR(RefuseApiToken(who, "make recovery codes"));
  RETURN_IF_ERROR(Check(who.user_id, code, who.name, now));
  ASSIGN_OR_RETURN(const store::SecondFactor factor, school_.store().GetSecondFactor(who.user_id));
  std::vector<std::string> hashes;
  std::vector<std::string> codes = MakeRecoveryCodes(factor.recovery_key, hashes);
  const store::SecondFactorEvent event{.user_id = who.user_id,
                                       .kind = store::SecondFactorEventKind::kNewRecoveryCodes,
                                       .at = now,
                                       .by_user_id = who.user_id,
                                       .by_name = who.name};
  RETURN_IF_ERROR(school_.store().ReplaceRecoveryCodes(who.user_id, hashes, event));
  return codes;
}

core::Status SecondFactors::TurnOff(const Principal& who, std::string_view code, int64_t now) {
  RETURN_IF_ERROR(RefuseApiToken(who, "turn off a second factor"));
  ASSIGN_OR_RETURN(const store::SecondFactorPolicy policy, school_.store().GetSecondFactorPolicy());
  if (policy.required && SecondFactorRequiredFor(who.role)) {
    return core::PermissionDenied(
        core::kErrForbidden,
        "the school requires a second factor of your role: it cannot be turned off (the head can "
        "reset it for a lost phone)");
  }
  RETURN_IF_ERROR(Check(who.user_id, code, who.name, now));
  return school_.store().RemoveSecondFactor(who.user_id,
                                            {.user_id = who.user_id,
                                             .kind = store::SecondFactorEventKind::kTurnedOff,
                                             .at = now,
                                             .by_user_id = who.user_id,
                                             .by_name = who.name});
}

core::Status SecondFactors::Reset(const Principal& who, int64_t user_id, int64_t now) {
  std::optional<store::User> user;
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kManageUsers, {}));
    auto it = school_.snapshot().users.find(user_id);
    if (it != school_.snapshot().users.end()) user = it->second;
  }
  if (!user) {
    return core::NotFound(core::kErrUserUnknown, fmt::format("no user with id {}", user_id));
  }
  if (user->id == who.user_id) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "turn off your own second factor from Your account, with your "
                                 "password and a code");
  }
  if (user->role == store::Role::kLaOfficer) {
    return core::PermissionDenied(core::kErrForbidden,
                                  "an LA officer's account is managed by the service's operator");
  }
  return school_.store().RemoveSecondFactor(user_id, {.user_id = user_id,
                                                      .kind = store::SecondFactorEventKind::kReset,
                                                      .at = now,
                                                      .by_user_id = who.user_id,
                                                      .by_name = who.name});
}

core::StatusOr<SecondFactorOverview> SecondFactors::Overview(const Principal& who) const {
  SecondFactorOverview out;
  std::vector<store::User> staff;
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kManageUsers, {}));
    for (const auto& [id, u] : school_.snapshot().users) {
      if (u.active && u.role != store::Role::kParent) staff.push_back(u);
    }
  }
  ASSIGN_OR_RETURN(out.policy, school_.store().GetSecondFactorPolicy());
  ASSIGN_OR_RETURN(const std::vector<int64_t> enrolled, school_.store().UsersWithSecondFactor());
  for (store::User& u : staff) {
    SecondFactorStaffRow row;
    row.enrolled = std::binary_search(enrolled.begin(), enrolled.end(), u.id);
    row.required = out.policy.required && SecondFactorRequiredFor(u.role);
    row.user = std::move(u);
    out.staff.push_back(std::move(row));
  }
  std::sort(out.staff.begin(), out.staff.end(),
            [](const auto& a, const auto& b) { return a.user.display_name < b.user.display_name; });
  ASSIGN_OR_RETURN(out.events, school_.store().SecondFactorEvents(kEventsShown));
  return out;
}

core::Status SecondFactors::SetRequired(const Principal& who, bool required, int64_t now) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kManageUsers, {}));
  }
  return school_.store().SaveSecondFactorPolicy(
      {.required = required, .set_at = now, .set_by = who.name});
}

}  // namespace rollcall::service
