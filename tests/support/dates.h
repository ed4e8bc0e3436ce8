// dates.h
//
// Dates written briefly in tests: D("2024-09-02") and D(2024, 9, 2). Both
// abort the test binary on a date that does not exist (a typo in a test).
#pragma once

#include "core/date.h"

namespace rollcall::testing {

inline core::Date D(const char* iso) { return *core::Date::Parse(iso); }
inline core::Date D(int year, unsigned month, unsigned day) {
  return *core::Date::FromYmd(year, month, day);
}

}  // namespace rollcall::testing
