#include "core/upn.h"

#include <fmt/format.h>

#include <optional>

#include "core/error_codes.h"

namespace rollcall::core {
namespace {

// The check-letter table: the 23 letters other than I, O and S (easily
// misread as 1, 0 and 5), valued 0 to 22 in order.
constexpr std::string_view kCheckLetters = "ABCDEFGHJKLMNPQRTUVWXYZ";
static_assert(kCheckLetters.size() == 23);

// Position 1 is the check letter; positions 2-13 are weighted 2-13.
constexpr size_t kWeightedFirst = 1;  // index of position 2

std::optional<int> LetterValue(char c) {
  const size_t at = kCheckLetters.find(c);
  if (at == std::string_view::npos) return std::nullopt;
  return static_cast<int>(at);
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The value of position 13: a digit, or a letter of the check-letter table in
// a temporary UPN.
std::optional<int> LastValue(char c) {
  if (IsDigit(c)) return c - '0';
  return LetterValue(c);
}

// A character as it should appear in a message: quoted when printable ASCII,
// as a byte value otherwise (the input may be anything a user pasted).
std::string Shown(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x20 && byte < 0x7f) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02X}", byte);
}

// Characters 2-13 of a UPN: the index of the first bad one (0-based within
// `twelve`) with what was wrong, or nullopt when all are well formed.
struct BadCharacter {
  size_t index;
  std::string expected;
};

std::optional<BadCharacter> FindBadCharacter(std::string_view twelve) {
  for (size_t idx = 0; idx + 1 < twelve.size(); ++idx) {
    if (!IsDigit(twelve[idx])) return BadCharacter{idx, "a digit"};
  }
  if (!LastValue(twelve.back())) {
    return BadCharacter{twelve.size() - 1, "a digit or a letter A-Z other than I, O and S"};
  }
  return std::nullopt;
}

// Requires `twelve` to be well formed (FindBadCharacter found nothing).
char CheckLetterOf(std::string_view twelve) {
  int sum = 0;
  for (size_t idx = 0; idx < twelve.size(); ++idx) {
    const int value = idx + 1 < twelve.size() ? twelve[idx] - '0' : *LastValue(twelve[idx]);
    sum += value * static_cast<int>(idx + 2);
  }
  return kCheckLetters[static_cast<size_t>(sum % 23)];
}

}  // namespace

Status CheckUpn(std::string_view upn) {
  if (upn.size() != kUpnLength) {
    return InvalidArgument(kErrUpnInvalid,
                           fmt::format("a UPN has {} characters, not {}", kUpnLength, upn.size()));
  }
  if (!LetterValue(upn[0])) {
    return InvalidArgument(
        kErrUpnInvalid,
        fmt::format("UPN character 1 must be a check letter (A-Z other than I, O and S), not {}",
                    Shown(upn[0])));
  }
  const std::string_view twelve = upn.substr(kWeightedFirst);
  if (const std::optional<BadCharacter> bad = FindBadCharacter(twelve)) {
    return InvalidArgument(kErrUpnInvalid,
                           fmt::format("UPN character {} must be {}, not {}", bad->index + 2,
                                       bad->expected, Shown(twelve[bad->index])));
  }
  if (const char expected = CheckLetterOf(twelve); expected != upn[0]) {
    return InvalidArgument(kErrUpnInvalid,
                           fmt::format("UPN check letter is {} but characters 2-13 give '{}'",
                                       Shown(upn[0]), expected));
  }
  return OkStatus();
}

std::string UpnWithCheckLetter(std::string_view twelve_chars) {
  if (twelve_chars.size() != kUpnLength - 1 || FindBadCharacter(twelve_chars)) return "";
  std::string upn(1, CheckLetterOf(twelve_chars));
  upn.append(twelve_chars);
  return upn;
}

}  // namespace rollcall::core
