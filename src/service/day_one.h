// day_one.h
//
// Day-one absence messages (docs/day-one.md): each school day, once the UK
// time reaches the time in the message settings, a text or email to the
// family of every pupil on roll whose morning mark is N (no reason yet),
// unless a parent has reported an absence covering the day or the office
// has already spoken to the family today. Each message goes to at most two
// contacts (FamilyRecipients: those with parental responsibility, or
// chosen to get absence messages without it), by the channel they prefer.
//
// The day's run and all its messages are written in one store transaction,
// keyed on the date, so a day is run once however often RunDue is called or
// however many processes call it; the sender (Messaging) delivers them.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "service/access.h"
#include "service/message_templates.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::service {

// How long after its time a day's messages may still go (a server down at
// 10:00 and back at 11:30 still sends them; back at 21:30, it does not).
inline constexpr int kDayOneWindowMinutes = 4 * 60;

// What one call of RunDue did.
struct DayOneResult {
  // Why nothing was queued: "" when this call ran the day; otherwise "not a
  // school day", "before the time", or "already run".
  std::string not_run;
  int pupils = 0;    // pupils whose families were messaged
  int messages = 0;  // messages queued
  // Pupils absent with no reason whom no contact could be sent to.
  std::vector<int64_t> unreachable;
};

// The day-one messages on the office's Today page.
struct DayOneToday {
  bool school_day = false;
  int minute = 0;                       // the UK time they go, minutes after midnight
  std::optional<store::DayOneRun> run;  // today's, once run
  // Per pupil: "Texted 10:00 to Mrs A Khan (Mother): delivered".
  std::map<int64_t, std::vector<std::string>> sent;
  // The pupils no one could be sent to, by name: (pupil id, name).
  std::vector<std::pair<int64_t, std::string>> unreachable;
};

class DayOne {
 public:
  DayOne(School& school, MessageTemplates& templates) : school_(school), templates_(templates) {}

  // The scheduled run: on a school day, at or after the time in the message
  // settings, and not yet run today, queues the day's messages with the
  // day's run in one transaction. Returns at once (no store read) once the
  // day is known to be done. Safe from any thread; call every few seconds.
  core::StatusOr<DayOneResult> RunDue();

  // Today's day-one messages for the office (kReadWorklist).
  core::StatusOr<DayOneToday> Today(const Principal& who) const;

 private:
  School& school_;
  MessageTemplates& templates_;
  std::mutex mu_;                      // one run at a time
  std::optional<core::Date> done_on_;  // the day was run; under mu_
};

// "Thursday 3 December", as the messages give the day.
std::string DayOneDate(core::Date d);

}  // namespace rollcall::service
