#include "core/policy.h"

namespace rollcall::core {

std::vector<AttendanceCode> CodeMask::Codes() const {
  std::vector<AttendanceCode> out;
  for (int stored = 1; stored <= kMaxStoredCode; ++stored) {
    if (bits_.test(static_cast<size_t>(stored))) out.push_back(static_cast<AttendanceCode>(stored));
  }
  return out;
}

}  // namespace rollcall::core
