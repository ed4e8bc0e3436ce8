// uk_time.h
//
// UK civil time (Europe/London) as arithmetic: GMT in winter, British Summer
// Time (GMT+1) from 01:00 GMT on the last Sunday of March to 01:00 GMT on
// the last Sunday of October, the rule in force since 1996. Pure, so that the
// real clock and the pages agree on what a stored moment was in the school's
// time without reading the time zone database.
#pragma once

#include <cstdint>

#include "core/date.h"

namespace rollcall::core {

struct UkTime {
  Date date;
  int minute_of_day = 0;  // 0-1439
  int second = 0;         // 0-59
  bool summer = false;    // British Summer Time, else GMT
};

// The UK civil time at `unix_seconds` (UTC).
UkTime UkTimeAt(int64_t unix_seconds);

// The Unix seconds of UK civil `date` at `minute_of_day`. In the hour the
// clocks skip in March the time is read as GMT (so 01:30 is 02:30 BST); in
// the hour repeated in October, the first (BST) one.
int64_t UkUnixSeconds(Date date, int minute_of_day);

}  // namespace rollcall::core
