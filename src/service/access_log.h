// access_log.h
//
// Who read a pupil's records (docs/access-log.md). Each read of a pupil's
// page, of a casework page about them (a penalty case, its evidence pack)
// or of a file of their medical evidence, and each subject access request
// made, is recorded by the one caller that shows it, through Record, before
// anything is shown: a read that cannot be recorded is refused, because
// keeping the log is a duty and a gap in it could hide a look nobody may
// account for. The head reads the log per pupil and per user.
//
// A parent reading their own child's records is not recorded: it is the
// family's own data, the parents' pages show only it, and the log exists to
// account for staff (and API tokens) reading other people's data.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "service/access.h"
#include "service/school.h"
#include "store/access_log.h"

namespace rollcall::service {

// Rows shown on a page of the log.
inline constexpr int kAccessLogPageSize = 50;

class AccessLog {
 public:
  explicit AccessLog(School& school) : school_(school) {}

  // Records that `who` read `kind` (one of store::kAccess...) of the pupil's
  // records, with a short detail (the path, the file's name). Nothing is
  // recorded for a parent. Errors: NotFound PUPIL_UNKNOWN; the store's
  // error when the row cannot be written, which the caller must treat as
  // refusing the read.
  core::Status Record(const Principal& who, std::string_view kind, int64_t pupil_id,
                      std::string detail);

  struct Page {
    std::vector<store::AccessLogEntry> entries;  // newest first
    int64_t total = 0;                           // rows in the whole log for this pupil or user
    int page = 1;                                // 1-based, as asked (clamped to 1..pages)
    int pages = 1;
    std::string subject;                         // the pupil's or the user's name
    std::map<int64_t, std::string> pupil_names;  // pupil id -> DisplayName
  };
  // One page of the log for a pupil (NotFound PUPIL_UNKNOWN) or for a user
  // (NotFound USER_UNKNOWN), newest first. kReadAccessLog.
  core::StatusOr<Page> ForPupil(const Principal& who, int64_t pupil_id, int page) const;
  core::StatusOr<Page> ForUser(const Principal& who, int64_t user_id, int page) const;

 private:
  core::StatusOr<Page> Read(store::AccessLogQuery query, int page) const;

  School& school_;
};

// The kind in words for pages and the subject access copy: "pupil page",
// "casework", "medical evidence", "subject access".
std::string AccessKindText(std::string_view kind);

}  // namespace rollcall::service
