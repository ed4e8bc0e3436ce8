// sign_in_out.h
//
// The store's records of the reception desk: pupils signed in late and
// signed out early, the school's transport routes, which pupils travel on
// each, and the delays recorded for a route on a session. One aggregate of
// the Store interface (store.h); the rules (which code a late arrival gets,
// when a departure changes the mark) are service/sign_in_out.h's. The marks
// themselves are registers.h's: an event here says what happened at the
// desk, the mark and its audit row say what the register holds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/codes.h"
#include "core/date.h"
#include "core/session.h"

namespace rollcall::store {

// A school bus or taxi route, by the name the office knows it by (unique,
// compared without regard to case).
struct TransportRoute {
  int64_t id = 0;
  std::string name;
  int64_t created_at = 0;
  std::string created_by;  // the name of whoever added it
};

// A pupil's route: each pupil travels on at most one. Who set it and when
// stay with the row.
struct RouteRider {
  int64_t pupil_id = 0;
  int64_t route_id = 0;
  int64_t set_at = 0;
  std::string set_by;
};

// The route's transport was late for a session: its pupils arriving after
// the register closed get L, not U, that session. One per route and session.
struct RouteDelay {
  int64_t id = 0;
  int64_t route_id = 0;
  std::string route_name;  // read back with the delay; ignored when adding
  core::SessionKey slot;
  std::string note;  // e.g. "bus broke down at Hinckley Road"
  int64_t recorded_at = 0;
  int64_t recorded_by_id = 0;
  std::string recorded_by;
};

// Stored by name: never rename them.
enum class SignKind : uint8_t {
  kIn = 1,   // "in": arrived late, signed in at reception
  kOut = 2,  // "out": left early, signed out at reception
};
std::string_view SignKindName(SignKind kind);
std::optional<SignKind> SignKindFromName(std::string_view name);

// One signing in or out at reception, append-only.
struct SignEvent {
  int64_t id = 0;
  int64_t pupil_id = 0;
  SignKind kind = SignKind::kIn;
  core::SessionKey slot;  // the session the time falls in
  int minute = 0;         // the time of arrival or departure, minutes after midnight
  std::string reason;
  // A departure: whether the session still counts as attended (the mark
  // kept). Always true for an arrival.
  bool counts = true;
  // The mark this event recorded (L or U for an arrival, the office's code
  // for a departure that does not count); nullopt when the mark was kept.
  std::optional<core::AttendanceCode> code;
  int64_t recorded_at = 0;
  int64_t recorded_by_id = 0;
  std::string recorded_by;
};

}  // namespace rollcall::store
