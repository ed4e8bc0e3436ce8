// logins.h
//
// The store's records of what a login needs remembered between requests,
// kept in the database so that every server process sees the same: failed
// logins (the throttle's counts), pending logins (a right password waiting
// for its one-time code) and the leases of scheduled jobs (which process
// runs each job that must run once). One aggregate of the Store interface
// (store.h); the rules are service/sessions.h's and service/jobs.h's.
#pragma once

#include <cstdint>
#include <string>

namespace rollcall::store {

// A failed login, wrong code or wrong set-password link, by the throttle's
// key (a username, or a username with a suffix) and address.
struct LoginFailure {
  std::string username;
  std::string address;
  int64_t at = 0;
};

// How many failures a count found, and the earliest and latest of them (0
// when there are none).
struct FailureCount {
  int count = 0;
  int64_t first = 0;
  int64_t last = 0;
};

// A right password that still needs a code, or an enrolment first. Only
// the hash of its token is stored.
struct PendingLoginRecord {
  std::string token_hash;  // 64 hex digits
  int64_t user_id = 0;
  bool must_enrol = false;
  bool enrolment_begun = false;
  int wrong_codes = 0;
  int64_t created_at = 0;
  int64_t expires_at = 0;
};

}  // namespace rollcall::store
