// decimal.h
//
// A non-negative percentage exactly as written in a policy ("95.9" is 959/10),
// so that thresholds are compared as exact rationals, never as binary floats
// and never rounded (docs/rules.md section 8, rule 5).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rollcall::core {

// GCC's 128-bit integer; __extension__ keeps -Wpedantic quiet about it.
__extension__ using Int128 = __int128;

class Decimal {
 public:
  Decimal() = default;
  static Decimal FromInt(int64_t value);
  // Parses a JSON number literal (digits, optional fraction, optional exponent,
  // optional leading minus). Nullopt when it is not one or is negative with a
  // non-zero value. Exact up to 24 fractional digits; further non-zero digits
  // are remembered as a tail so comparisons stay exact.
  static std::optional<Decimal> Parse(std::string_view literal);

  std::string ToString() const;  // exact: "95.9", "10"
  // True when value <= 100 (the value is never negative).
  bool AtMostHundred() const;
  // True when 100 * numerator / denominator >= this value (denominator > 0).
  // Exact for counts below 10^9 and literals of up to 24 fractional digits.
  bool PercentReached(int64_t numerator, int64_t denominator) const;
  friend bool operator==(const Decimal&, const Decimal&) = default;

 private:
  static constexpr int kMaxScale = 24;
  Int128 scaled_ = 0;  // value * 10^scale_, truncated
  int scale_ = 0;
  bool tail_ = false;  // non-zero digits beyond kMaxScale were dropped
};

}  // namespace rollcall::core
