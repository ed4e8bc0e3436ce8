// access_log.h
//
// The store's record of who read a pupil's records (docs/access-log.md):
// one row per read of a pupil's page, casework or medical evidence, and
// per subject access request made. One aggregate of the Store interface
// (store.h). Rows are appended and never changed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/people.h"

namespace rollcall::store {

// What was read. Stored by these names: never rename them.
inline constexpr char kAccessPupilPage[] = "pupil_page";
inline constexpr char kAccessCasework[] = "casework";
inline constexpr char kAccessEvidence[] = "evidence";
inline constexpr char kAccessSubjectAccess[] = "subject_access";

struct AccessLogEntry {
  int64_t id = 0;  // assigned by AddAccessLogEntry
  int64_t at = 0;
  int64_t user_id = 0;
  std::string user_name;
  Role role = Role::kOffice;
  std::string kind;  // one of the kAccess... names
  int64_t pupil_id = 0;
  std::string detail;  // the path read, the file's name, the request's format
};

// Which rows AccessLogEntries returns: one pupil's or one user's, newest
// first, `limit` rows after skipping `offset`.
struct AccessLogQuery {
  std::optional<int64_t> pupil_id;
  std::optional<int64_t> user_id;
  int limit = 50;
  int offset = 0;
};

}  // namespace rollcall::store
