// la_returns.h
//
// The store's records of the notifications owed to the local authority and their status: one
// aggregate of the Store interface (store.h), with its types and the checks every backend applies.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "store/people.h"

namespace rollcall::store {

// The key of the LA notification of `kind` ("new_admission", "deletion",
// "sickness", ...) about a pupil, triggered on `trigger`: "kind.pupil.date".
std::string NotificationKey(std::string_view kind, int64_t pupil_id, core::Date trigger);

// A change of status of one LA notification (keyed by NotificationKey).
struct NotificationEvent {
  int64_t id = 0;  // assigned by AddNotificationEvent
  std::string notification;
  std::string status;  // "sent" or "acknowledged"
  int64_t at = 0;
  int64_t by_user_id = 0;
  std::string by_name;
  Role by_role = Role::kOffice;
  std::string note;
};

}  // namespace rollcall::store
