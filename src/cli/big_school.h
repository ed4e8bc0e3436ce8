// big_school.h
//
// A big school in an SQLite file, quickly: for timing what a school with
// years of history costs (the purge, backups). The school, its terms (one
// per academic year, September to July) and its pupils go through the
// store as set-up and the roll import would write them; the marks (both
// sessions of every weekday in term, before `today`), some amendments and
// contact log entries are then written in one transaction with prepared
// statements, straight into the tables, which the store's own writes would
// take hours to do one by one.
#pragma once

#include <cstdint>
#include <string>

#include "core/date.h"
#include "core/status.h"

namespace rollcall::cli {

struct BigSchoolOptions {
  int64_t pupils = 2000;
  int years = 7;  // of marks, back from `today` (from 1 September of that year)
  core::Date today = core::Date::FromDays(0);  // 1970-01-01: replaced by 2026-12-04
  // Every this many school days, a pupil's morning mark is amended (to I,
  // illness, with the reason), with its audit row, and a call to the family
  // is logged.
  int amend_every_days = 40;
  // One pupil in this many left at the end of the first academic year.
  int leaver_every = 20;
};

struct BigSchool {
  int64_t pupils = 0;
  int64_t leavers = 0;
  int school_days = 0;
  int64_t marks = 0;
  int64_t amendments = 0;
  int64_t contacts = 0;
  core::Date first_day;
  core::Date today;
};

// Builds the school in a new SQLite file at `path`. InvalidArgument
// VALUE_INVALID when a file is already there (it never writes into a
// school's database), or for pupils outside 1-100000 or years outside 1-20.
core::StatusOr<BigSchool> BuildBigSchool(const std::string& path, const BigSchoolOptions& options);

}  // namespace rollcall::cli
