#include "core/decimal.h"

#include <fmt/format.h>

namespace rollcall::core {
namespace {

Int128 Pow10(int n) {
  Int128 p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

}  // namespace

Decimal Decimal::FromInt(int64_t value) {
  Decimal d;
  d.scaled_ = value;
  return d;
}

std::optional<Decimal> Decimal::Parse(std::string_view text) {
  size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && text[pos] == '-') {
    negative = true;
    ++pos;
  }
  std::string digits;  // all significant digits, integer part then fraction
  int fraction_digits = 0;
  size_t int_start = pos;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') digits += text[pos++];
  if (pos == int_start) return std::nullopt;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    size_t frac_start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      digits += text[pos++];
      ++fraction_digits;
    }
    if (pos == frac_start) return std::nullopt;
  }
  int64_t exponent = 0;
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    bool exp_negative = false;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-'))
      exp_negative = text[pos++] == '-';
    size_t exp_start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (exponent < 100000) exponent = exponent * 10 + (text[pos] - '0');
      ++pos;
    }
    if (pos == exp_start) return std::nullopt;
    if (exp_negative) exponent = -exponent;
  }
  if (pos != text.size()) return std::nullopt;

  // value = digits * 10^(exponent - fraction_digits)
  const int64_t shift = exponent - fraction_digits;
  size_t first_nonzero = digits.find_first_not_of('0');
  if (first_nonzero == std::string::npos) return Decimal();  // zero, also "-0"
  if (negative) return std::nullopt;
  digits = digits.substr(first_nonzero);
  // Integer digits of the value: digits.size() + shift. Anything of 10^4 or
  // more only needs to compare as "over 100"; clamp rather than overflow.
  if (static_cast<int64_t>(digits.size()) + shift > 4) {
    Decimal big;
    big.scaled_ = Pow10(5);
    return big;
  }
  Decimal d;
  // Digit i has weight 10^(digits.size()-1-i+shift). Keep those with weight
  // >= 10^-kMaxScale.
  for (size_t i = 0; i < digits.size(); ++i) {
    int64_t weight = static_cast<int64_t>(digits.size()) - 1 - static_cast<int64_t>(i) + shift;
    if (weight < -kMaxScale) {
      if (digits[i] != '0') d.tail_ = true;
      continue;
    }
    int needed_scale = weight < 0 ? static_cast<int>(-weight) : 0;
    if (needed_scale > d.scale_) {
      d.scaled_ *= Pow10(needed_scale - d.scale_);
      d.scale_ = needed_scale;
    }
    d.scaled_ += (digits[i] - '0') * Pow10(static_cast<int>(weight + d.scale_));
  }
  return d;
}

std::string Decimal::ToString() const {
  const Int128 unit = Pow10(scale_);
  const auto whole = static_cast<int64_t>(scaled_ / unit);
  Int128 fraction = scaled_ % unit;
  if (fraction == 0) return fmt::format("{}", whole);
  std::string digits;
  for (int i = 0; i < scale_; ++i) {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(fraction % 10)));
    fraction /= 10;
  }
  digits.erase(digits.find_last_not_of('0') + 1);
  return fmt::format("{}.{}", whole, digits);
}

bool Decimal::AtMostHundred() const {
  const Int128 hundred = 100 * Pow10(scale_);
  return scaled_ < hundred || (scaled_ == hundred && !tail_);
}

bool Decimal::PercentReached(int64_t numerator, int64_t denominator) const {
  // 100 * n / d >= scaled / 10^scale  <=>  100 * n * 10^scale >= scaled * d.
  // With a dropped tail (a literal with over 24 fractional digits) the true
  // value lies strictly above the truncated one, so ">= true value" is taken
  // as "> truncated value": exact unless a ratio lands within 10^-24 of it.
  const Int128 lhs = static_cast<Int128>(numerator) * 100 * Pow10(scale_);
  const Int128 rhs = scaled_ * denominator;
  return tail_ ? lhs > rhs : lhs >= rhs;
}

}  // namespace rollcall::core
