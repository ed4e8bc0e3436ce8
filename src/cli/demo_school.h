// demo_school.h
//
// The demo school behind `rollcall demo`: a realistic primary school
// (Riverside Primary School, about 420 pupils in Reception to Year 6, two
// classes a year) written into an empty store, with a login for every role.
// Pupils, calendar and registers come from the synthesiser (synth/synth.h);
// this adds what a store needs and the synthesiser leaves out: UPNs, dates of
// birth, contacts, staff and parent accounts, and an audit trail in which
// teachers record unexplained absence as N and the office later replaces it
// with the reason (leaving the last day or two's N marks to resolve).
//
// Deterministic apart from password salts: the same options and clock give
// the same school. Reads no clock itself: the caller passes "now".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "store/store.h"

namespace rollcall::cli {

// Every demo account's password.
inline constexpr char kDemoPassword[] = "rollcall-demo";

struct DemoOptions {
  int pupils = 420;           // pupil records, leavers included
  uint64_t seed = 20261125;   // the synthesiser's seed: same seed, same pupils and marks
  bool fast_hashing = false;  // web::HashCost::kTestOnly instead of kInteractive (tests)
};

// One demo login, for the README and `rollcall demo`'s output.
struct DemoLogin {
  std::string username;
  std::string role;  // store::RoleName: "head", "teacher", ...
  std::string sees;  // what the account can see, in a few words
};

// The demo accounts in a fixed order (head, office, teacher1-14, governor, la,
// parent1-3). Each logs in with kDemoPassword.
std::vector<DemoLogin> DemoLogins();

// Fills an empty store with the demo school as of `today`, `minute_of_day`
// (local time, minutes after midnight) and `now_unix`. Marks cover every open
// session before today, and today's morning (afternoon) session once its
// register has closed; no mark or amendment is stamped later than now_unix.
// Local times (09:05 registers) become Unix seconds with the UTC offset that
// `minute_of_day` and `now_unix` imply (0 in winter, an hour in summer).
//
// Does nothing and returns Ok when the store already has a school. Otherwise
// InvalidArgument (VALUE_INVALID) when `minute_of_day` is not 0-1439 or
// `today` is outside the synthesiser's calendar (academic years 2012/13 to
// 2027/28), or the store's error. The
// school record is written last, so a store left by a failed seeding has no
// school; seed again into a fresh database.
core::Status SeedDemoSchool(store::Store& store, core::Date today, int minute_of_day,
                            int64_t now_unix, const DemoOptions& options);

}  // namespace rollcall::cli
