#include "io/quote.h"

#include <fmt/format.h>

namespace rollcall::io {
namespace {

bool StartsCharacter(unsigned char byte) { return (byte & 0xC0) != 0x80; }

size_t Characters(std::string_view value) {
  size_t count = 0;
  for (unsigned char byte : value) count += StartsCharacter(byte) ? 1 : 0;
  return count;
}

// The first kShownCharacters characters (all of them when short), control
// characters escaped; `cut` says whether anything was left out.
std::string Prefix(std::string_view value, bool& cut) {
  std::string out;
  size_t characters = 0;
  cut = false;
  for (unsigned char byte : value) {
    if (StartsCharacter(byte) && ++characters > kShownCharacters) {
      cut = true;
      break;
    }
    if (byte < 0x20 || byte == 0x7f) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out += static_cast<char>(byte);
    }
  }
  return out;
}

}  // namespace

std::string Shorten(std::string_view value) {
  bool cut = false;
  std::string out = Prefix(value, cut);
  if (cut) out += fmt::format("… ({} characters)", Characters(value));
  return out;
}

std::string Quote(std::string_view value, char quote) {
  bool cut = false;
  const std::string shown = Prefix(value, cut);
  if (!cut) return fmt::format("{0}{1}{0}", quote, shown);
  return fmt::format("{0}{1}…{0} ({2} characters)", quote, shown, Characters(value));
}

}  // namespace rollcall::io
