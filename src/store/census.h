// census.h
//
// The store's record of each school census attendance return the school has
// downloaded: one aggregate of the Store interface (store.h). The record is
// kept so the school and its local authority can see what was sent.
#pragma once

#include <cstdint>
#include <string>

#include "core/census.h"

namespace rollcall::store {

struct CensusReturnRecord {
  int64_t id = 0;  // assigned by AddCensusReturn
  core::Census census = core::Census::kSpring;
  int year = 0;             // the year the census is taken in (2000-2200)
  int64_t produced_at = 0;  // Unix seconds
  int64_t by_user_id = 0;
  std::string by_name;
  int64_t pupils = 0;      // pupils with at least one enrolment returned
  int64_t enrolments = 0;  // enrolment and part rows
  int64_t possible = 0;    // totals over every row
  int64_t authorised = 0;
  int64_t unauthorised = 0;
  int64_t problems = 0;  // problems the checks found that should block sending
  std::string xml;       // the file as downloaded; "" when read by CensusReturns
};

}  // namespace rollcall::store
