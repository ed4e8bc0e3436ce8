#include "core/register.h"

#include <fmt/format.h>

#include "core/error_codes.h"

namespace rollcall::core {

bool PupilRecord::OnRollOn(Date d) const {
  if (on_roll.empty()) return true;
  for (const OnRollPeriod& period : on_roll) {
    if (period.Contains(d)) return true;
  }
  return false;
}

Status CheckMark(const Calendar& calendar, const PupilRecord& pupil, SessionKey slot,
                 std::optional<AttendanceCode> code) {
  if (!calendar.IsOpen(slot)) {
    return InvalidArgument(kErrSessionNotOpen, "not an open school session");
  }
  if (!pupil.OnRollOn(slot.date)) {
    return InvalidArgument(kErrPupilNotOnRoll, "pupil is not on roll on this date");
  }
  if (code && !IsValidOn(*code, slot.date)) {
    const CodeInfo& info = InfoOf(*code);
    if (info.set == CodeSet::kLegacyOnly) {
      return InvalidArgument(kErrCodeWithdrawn,
                             fmt::format("code '{}' was withdrawn on 2024-08-19", info.symbol));
    }
    return InvalidArgument(kErrCodeNotYetValid,
                           fmt::format("code '{}' is valid only from 2024-08-19", info.symbol));
  }
  return OkStatus();
}

AttendanceCode LateCode(int arrival_minute, int close_minute, LateExemption exemption) {
  if (arrival_minute < close_minute || exemption.transport_delayed) {
    return AttendanceCode::kLateBeforeClose;
  }
  return AttendanceCode::kLateAfterClose;
}

}  // namespace rollcall::core
