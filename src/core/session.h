// session.h
//
// One register slot: a date and its morning or afternoon session.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/date.h"

namespace rollcall::core {

// Stored: do not renumber.
enum class Session : uint8_t { kAm = 1, kPm = 2 };

inline std::string_view SessionName(Session s) { return s == Session::kAm ? "AM" : "PM"; }
inline std::optional<Session> SessionFromName(std::string_view name) {
  if (name == "AM") return Session::kAm;
  if (name == "PM") return Session::kPm;
  return std::nullopt;
}

struct SessionKey {
  Date date;
  Session session = Session::kAm;
  friend constexpr auto operator<=>(const SessionKey&, const SessionKey&) = default;
  friend constexpr bool operator==(const SessionKey&, const SessionKey&) = default;
};

// A typed identifier: a pupil id cannot be passed where a school id is meant.
template <typename Tag>
class Id {
 public:
  constexpr explicit Id(int64_t value) : value_(value) {}
  constexpr int64_t value() const { return value_; }
  friend constexpr auto operator<=>(const Id&, const Id&) = default;
  friend constexpr bool operator==(const Id&, const Id&) = default;

 private:
  int64_t value_;
};

}  // namespace rollcall::core
