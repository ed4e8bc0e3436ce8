// demo_school.h
//
// The demo school behind `rollcall demo`: a realistic primary school
// (Riverside Primary School, about 420 pupils in Reception to Year 6, two
// classes a year) written into an empty store, with a login for every role.
// Pupils, calendar and registers come from the synthesiser (synth/synth.h);
// this adds what a store needs and the synthesiser leaves out: UPNs, dates of
// birth, contacts (whom each pupil lives with, confirmed by most families in
// September), previous schools of in-year joiners, staff and parent
// accounts, and an audit trail in which
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
  bool fast_hashing = false;  // service::HashCost::kTestOnly instead of kInteractive (tests)
  // The school. Its UPNs are "909" + establishment + year + serial.
  std::string school_name = "Riverside Primary School";
  std::string urn = "112604";
  std::string establishment = "2417";  // 2xxx: a community primary school
  // Bus routes and this morning's late bus at reception (SeedDemoTransport).
  bool transport = true;
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
// The demo LA's other schools (LA 909), for the LA officer's cross-school
// views: smaller primaries with their own pupils and registers.
std::vector<DemoOptions> DemoNeighbours();

// Makes the schools' pupils meet: a Riverside leaver joins `mover_to` (the
// same UPN, a few days later), and a younger sibling of a Riverside pupil
// (the same parents' phone and email) is on roll at `sibling_at`. Both are
// marked present since they joined.
core::Status LinkDemoNeighbours(store::Store& home, store::Store& mover_to,
                                store::Store& sibling_at, core::Date today, int minute_of_day,
                                int64_t now_unix);

core::Status SeedDemoSchool(store::Store& store, core::Date today, int minute_of_day,
                            int64_t now_unix, const DemoOptions& options);

// Gives a seeded demo school (any: it needs only pupils on roll and an
// office or head account) two transport routes, "Northfield bus" and
// "Canal Road minibus", with some pupils on each; and, on a school day once
// the morning register closed 25 minutes ago, this morning at reception:
// a Northfield pupil signed in late, the bus's delay recorded (their U
// becomes L) and another pupil signed in late (U). Through the services
// (service::SignInOut), as the office, at the times they happened. A
// school of fewer than 30 pupils on roll gets nothing. The store's errors,
// or a service's refusal; seed into a fresh database.
core::Status SeedDemoTransport(store::Store& store, core::Date today, int minute_of_day,
                               int64_t now_unix);
// The demo's secondary school, served by `rollcall demo` beside Riverside
// at /s/138456/: Castle Hill Academy, about 1,000 pupils in Years 7 to 11
// in six forms a year (7A to 11F), with a two-week timetable of five
// one-hour lessons a day (demo/secondary_timetable.h) and lesson registers.
DemoOptions DemoSecondary();

// The secondary school's accounts in a fixed order: castle-head,
// castle-office, castle-dsl, castle-governor, then castle-teacher1 ... N
// (each with their department). castle-teacher1 teaches 7A English (group
// 7A/En), which meets in P2 (10:00-11:00) on every day of both weeks.
std::vector<DemoLogin> DemoSecondaryLogins();

// Fills an empty store with the secondary school as of `today`,
// `minute_of_day` and `now_unix` (as SeedDemoSchool does, whose errors it
// shares): settings (AM register 08:40, PM 13:55), calendar, forms, staff,
// pupils and their contacts, the statutory AM/PM marks of the year so far
// (the form tutor's registers: the statutory marks come from registration),
// the timetable, and the lesson marks of the last six school weeks up to now,
// consistent with the statutory marks: a few pupils late to lessons, five
// pupils with a pattern of missed lessons (P5 on Fridays, their Mathematics
// sets, P4 on Mondays and Wednesdays), and today, once a morning lesson is
// over, four pupils present at registration and missing from the latest
// morning lesson over. Lessons still under way have no register yet, for
// whoever tries the demo to take. Does nothing when the store has a school.
core::Status SeedDemoSecondary(store::Store& store, core::Date today, int minute_of_day,
                               int64_t now_unix, const DemoOptions& options);

}  // namespace rollcall::cli
