// fields.h
//
// The text fields people enter (in a form, a JSON body or a file), parsed
// the same way wherever they arrive, and the few values written back the
// same way wherever they are shown.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/date.h"
#include "core/session.h"
#include "core/status.h"

namespace rollcall::service {

// "HH:MM", 00:00-23:59, as minutes after midnight.
std::optional<int> ParseTime(std::string_view text);
// Minutes after midnight as "HH:MM" (24-hour).
std::string TimeText(int minute);
// Unix seconds of the start of the clock's day (UK midnight).
int64_t StartOfToday(const core::Clock& clock);
// "morning" or "afternoon".
const char* SessionWord(core::Session session);
// A positive decimal id of at most 18 digits.
std::optional<int64_t> ParseId(std::string_view text);
// A date (YYYY-MM-DD); InvalidArgument DATE_INVALID naming `what` otherwise.
core::StatusOr<core::Date> ParseDateParam(std::string_view text, const char* what);

// "2026-11-25T09:05:00Z", as the API writes every moment.
std::string IsoTime(int64_t unix_seconds);
// "2026-11-25T09:05:00", the school's (UK) local time at `unix_seconds`, as
// the Common Transfer File and the census return date themselves: read from
// one moment, so a file written at midnight cannot mix two days.
std::string LocalIsoTime(int64_t unix_seconds);
// An email address: something, one '@', and a domain with a dot in it, no
// spaces, control characters, commas, semicolons or angle brackets, no
// empty parts. Only such an address is handed to an SMTP relay.
bool IsEmailAddress(std::string_view text);
// "£80.00".
std::string Pounds(int64_t pence);

}  // namespace rollcall::service
