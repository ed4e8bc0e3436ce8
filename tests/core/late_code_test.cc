// The one rule that makes a late arrival L or U (core::LateCode): the
// minute the register closes, the minute after, and the school transport
// exemption.
#include <gtest/gtest.h>

#include "core/register.h"

namespace rollcall::core {
namespace {

constexpr int kRegisterClose = 9 * 60 + 30;  // the register closes at 09:30

TEST(LateCodeTest, BeforeTheCloseIsL) {
  EXPECT_EQ(LateCode(kRegisterClose - 1, kRegisterClose), AttendanceCode::kLateBeforeClose);
  EXPECT_EQ(LateCode(8 * 60 + 50, kRegisterClose), AttendanceCode::kLateBeforeClose);
}

TEST(LateCodeTest, AtTheCloseMinuteAndAfterIsU) {
  EXPECT_EQ(LateCode(kRegisterClose, kRegisterClose), AttendanceCode::kLateAfterClose);
  EXPECT_EQ(LateCode(kRegisterClose + 1, kRegisterClose), AttendanceCode::kLateAfterClose);
  EXPECT_EQ(LateCode(12 * 60, kRegisterClose), AttendanceCode::kLateAfterClose);
}

TEST(LateCodeTest, ALateBusKeepsAnArrivalAfterTheCloseL) {
  const LateExemption bus{.transport_delayed = true};
  EXPECT_EQ(LateCode(kRegisterClose, kRegisterClose, bus), AttendanceCode::kLateBeforeClose);
  EXPECT_EQ(LateCode(kRegisterClose + 1, kRegisterClose, bus), AttendanceCode::kLateBeforeClose);
  EXPECT_EQ(LateCode(kRegisterClose - 1, kRegisterClose, bus), AttendanceCode::kLateBeforeClose);
  // Without the delay the same minute is U.
  EXPECT_EQ(LateCode(kRegisterClose + 1, kRegisterClose, LateExemption{}),
            AttendanceCode::kLateAfterClose);
}

}  // namespace
}  // namespace rollcall::core
