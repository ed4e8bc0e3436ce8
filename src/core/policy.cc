#include "core/policy.h"

namespace rollcall::core {

std::string BandText(std::string_view band) {
  // The national defaults split amber in two; any other band a school names
  // reads with spaces for underscores and a capital first letter.
  if (band == "amber_upper") return "Amber (upper)";
  if (band == "amber_lower") return "Amber (lower)";
  std::string out(band);
  std::replace(out.begin(), out.end(), '_', ' ');
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

std::vector<AttendanceCode> CodeMask::Codes() const {
  std::vector<AttendanceCode> out;
  for (int stored = 1; stored <= kMaxStoredCode; ++stored) {
    if (bits_.test(static_cast<size_t>(stored))) out.push_back(static_cast<AttendanceCode>(stored));
  }
  return out;
}

}  // namespace rollcall::core
