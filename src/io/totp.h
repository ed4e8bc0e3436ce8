// totp.h
//
// Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps from
// the Unix epoch) through liboath, and the pictures a phone's authenticator
// app reads at enrolment: the otpauth:// address of a secret and that
// address as a QR code (libqrencode, drawn as SVG). Nothing here stores a
// secret or knows who it belongs to: service/second_factor.h does.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace rollcall::io {

inline constexpr int kTotpStepSeconds = 30;
inline constexpr int kTotpDigits = 6;

// The step a time falls in: floor(unix_time / 30).
int64_t TotpStep(int64_t unix_time);

// The code for raw secret bytes `secret` at `unix_time`, `digits` long
// (6 to 8). Internal when liboath cannot make it.
core::StatusOr<std::string> TotpCode(std::string_view secret, int64_t unix_time,
                                     int digits = kTotpDigits);

// The step whose code `code` is, among the step of `unix_time` and the
// `window` steps either side (a phone's clock may be a little out);
// nullopt when it is none of them, or is not `digits` digits. The digits
// are the code's length: liboath compares whole codes.
std::optional<int64_t> TotpMatch(std::string_view secret, std::string_view code, int64_t unix_time,
                                 int window = 1, int digits = kTotpDigits);

// RFC 4648 base32 of `bytes`, without padding: how authenticator apps take
// a secret typed in.
std::string Base32(std::string_view bytes);

// The otpauth:// address an authenticator app reads: the secret (base32),
// an issuer (the school, shown in the app) and the account name, with the
// algorithm, digits and period spelled out.
std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view secret_base32);

// `text` as a QR code (error correction M), an SVG document of black
// squares on white with a four-module quiet zone. Internal when the text is
// too long for a QR code.
core::StatusOr<std::string> QrSvg(std::string_view text);

// `bytes` as standard base64 (for a data: address).
std::string Base64(std::string_view bytes);

}  // namespace rollcall::io
