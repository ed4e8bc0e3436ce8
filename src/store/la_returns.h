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
#include "core/la_returns.h"
#include "store/people.h"

namespace rollcall::store {

// The key of the LA notification of `kind` about a pupil, triggered on
// `trigger`: "kind.pupil.date", the kind by its name (core::LaReturnKindName).
std::string NotificationKey(core::LaReturnKind kind, int64_t pupil_id, core::Date trigger);

// A change of status of one LA notification (keyed by NotificationKey). The
// status is sent or acknowledged, stored by its name
// (core::LaReturnStatusName); due and overdue are worked out, never stored.
struct NotificationEvent {
  int64_t id = 0;  // assigned by AddNotificationEvent
  std::string notification;
  core::LaReturnStatus status = core::LaReturnStatus::kSent;
  int64_t at = 0;
  int64_t by_user_id = 0;
  std::string by_name;
  Role by_role = Role::kOffice;
  std::string note;
};

}  // namespace rollcall::store
