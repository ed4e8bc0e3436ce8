// totp.cc: one-time passwords through liboath, QR codes through libqrencode
// (totp.h).
#include "io/totp.h"

#include <fmt/format.h>
#include <liboath/oath.h>
#include <qrencode.h>
#include <sodium.h>

#include <cstdlib>
#include <memory>
#include <mutex>

#include "core/error_codes.h"

namespace rollcall::io {
namespace {

// liboath asks to be started once before use; it keeps nothing that a
// second thread could disturb afterwards.
void InitOath() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (oath_init() != OATH_OK) core::Unreachable();  // cannot check codes at all
  });
}

// A character of an otpauth:// address's path or query value, escaped as
// RFC 3986 asks (unreserved characters as they are).
std::string UriEscape(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

}  // namespace

int64_t TotpStep(int64_t unix_time) {
  // Floor division: a time before 1970 is no use, but must not round up.
  return unix_time >= 0 ? unix_time / kTotpStepSeconds
                        : -((-unix_time + kTotpStepSeconds - 1) / kTotpStepSeconds);
}

core::StatusOr<std::string> TotpCode(std::string_view secret, int64_t unix_time, int digits) {
  InitOath();
  if (digits < 6 || digits > 8) {
    return core::InvalidArgument(core::kErrValueInvalid, "a code has 6 to 8 digits");
  }
  char out[16] = {};
  const int rc = oath_totp_generate(secret.data(), secret.size(), static_cast<time_t>(unix_time),
                                    kTotpStepSeconds, OATH_TOTP_DEFAULT_START_TIME,
                                    static_cast<unsigned>(digits), out);
  if (rc != OATH_OK) {
    return core::Internal(core::kErrInternal,
                          fmt::format("could not make a one-time code: {}", oath_strerror(rc)));
  }
  return std::string(out);
}

std::optional<int64_t> TotpMatch(std::string_view secret, std::string_view code, int64_t unix_time,
                                 int window, int digits) {
  InitOath();
  if (code.size() != static_cast<size_t>(digits) || window < 0) return std::nullopt;
  for (char c : code) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  const std::string otp(code);
  int position = 0;
  const int rc = oath_totp_validate2(secret.data(), secret.size(), static_cast<time_t>(unix_time),
                                     kTotpStepSeconds, OATH_TOTP_DEFAULT_START_TIME,
                                     static_cast<size_t>(window), &position, otp.c_str());
  if (rc < 0) return std::nullopt;
  // `position` is the matching step's distance from the current one.
  return TotpStep(unix_time) + position;
}

std::string Base32(std::string_view bytes) {
  InitOath();
  char* out = nullptr;
  size_t length = 0;
  if (oath_base32_encode(bytes.data(), bytes.size(), &out, &length) != OATH_OK || !out) {
    core::Unreachable();  // only an allocation can fail here
  }
  std::string text(out, length);
  std::free(out);
  while (!text.empty() && text.back() == '=') text.pop_back();
  return text;
}

std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view secret_base32) {
  // The label is "issuer:account"; apps that read only the label still
  // show the school.
  return fmt::format("otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={}&period={}",
                     UriEscape(issuer), UriEscape(account), secret_base32, UriEscape(issuer),
                     kTotpDigits, kTotpStepSeconds);
}

core::StatusOr<std::string> QrSvg(std::string_view text) {
  const std::string input(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(
      QRcode_encodeString8bit(input.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
  if (!qr) {
    return core::Internal(core::kErrInternal, "the text is too long for a QR code");
  }
  constexpr int kQuiet = 4;
  const int width = qr->width;
  const int size = width + 2 * kQuiet;
  // One path of unit squares: a few kilobytes, sharp at any size.
  std::string path;
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width; ++x) {
      // Bit 0 of each byte is the module's colour (1: dark).
      if (qr->data[y * width + x] & 1) {
        path += fmt::format("M{} {}h1v1h-1z", x + kQuiet, y + kQuiet);
      }
    }
  }
  return fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {0} {0}" width="{1}" height="{1}" )"
      R"(shape-rendering="crispEdges"><rect width="{0}" height="{0}" fill="#fff"/>)"
      R"(<path d="{2}" fill="#000"/></svg>)",
      size, size * 5, path);
}

std::string Base64(std::string_view bytes) {
  if (sodium_init() < 0) core::Unreachable();
  const size_t length = sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  std::string out(length, '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.pop_back();  // the terminating NUL
  return out;
}

}  // namespace rollcall::io
