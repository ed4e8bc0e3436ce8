// The one rule that makes a late arrival L or U (core::LateCode): the
// minute the register closes, the minute after, and the school transport
// exemption.
#include <gtest/gtest.h>

#include "core/register.h"

namespace rollcall::core {
namespace {

constexpr int kClose = 9 * 60 + 30;  // the register closes at 09:30

TEST(LateCodeTest, BeforeTheCloseIsL) {
  EXPECT_EQ(LateCode(kClose - 1, kClose), AttendanceCode::kLateBeforeClose);
  EXPECT_EQ(LateCode(8 * 60 + 50, kClose), AttendanceCode::kLateBeforeClose);
}

TEST(LateCodeTest, AtTheCloseMinuteAndAfterIsU) {
  EXPECT_EQ(LateCode(kClose, kClose), AttendanceCode::kLateAfterClose);
  EXPECT_EQ(LateCode(kClose + 1, kClose), AttendanceCode::kLateAfterClose);
  EXPECT_EQ(LateCode(12 * 60, kClose), AttendanceCode::kLateAfterClose);
}

TEST(LateCodeTest, ALateBusKeepsAnArrivalAfterTheCloseL) {
  const LateExemption bus{.transport_delayed = true};
  EXPECT_EQ(LateCode(kClose, kClose, bus), AttendanceCode::kLateBeforeClose);
  EXPECT_EQ(LateCode(kClose + 1, kClose, bus), AttendanceCode::kLateBeforeClose);
  EXPECT_EQ(LateCode(kClose - 1, kClose, bus), AttendanceCode::kLateBeforeClose);
  // Without the delay the same minute is U.
  EXPECT_EQ(LateCode(kClose + 1, kClose, LateExemption{}), AttendanceCode::kLateAfterClose);
}

}  // namespace
}  // namespace rollcall::core
