// access_log.cc: recording and reading who read a pupil's records.
#include "service/access_log.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error_codes.h"
#include "service/records.h"

namespace rollcall::service {

std::string AccessKindText(std::string_view kind) {
  if (kind == store::kAccessPupilPage) return "pupil page";
  if (kind == store::kAccessCasework) return "casework";
  if (kind == store::kAccessEvidence) return "medical evidence";
  if (kind == store::kAccessSubjectAccess) return "subject access";
  return std::string(kind);
}

core::Status AccessLog::Record(const Principal& who, std::string_view kind, int64_t pupil_id,
                               std::string detail) {
  // The family's own data (see the header): nothing to account for.
  if (who.role == store::Role::kParent) return core::OkStatus();
  store::AccessLogEntry e;
  e.at = school_.clock().NowSeconds();
  e.user_id = who.user_id;
  e.user_name = who.name;
  e.role = who.role;
  e.kind = std::string(kind);
  e.pupil_id = pupil_id;
  // A path or a file's name, never a body: keep the row small.
  if (detail.size() > 200) detail.resize(200);
  e.detail = std::move(detail);
  ASSIGN_OR_RETURN(int64_t id, school_.store().AddAccessLogEntry(e));
  (void)id;
  return core::OkStatus();
}

core::StatusOr<AccessLog::Page> AccessLog::ForPupil(const Principal& who, int64_t pupil_id,
                                                    int page) const {
  RETURN_IF_ERROR(school_.AllowNow(who, Action::kReadAccessLog, {.pupil_id = pupil_id}));
  std::string name;
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    auto it = snap.pupil_index.find(pupil_id);
    if (it == snap.pupil_index.end()) {
      return core::NotFound(core::kErrPupilUnknown, fmt::format("no pupil with id {}", pupil_id));
    }
    name = DisplayName(snap.pupils[it->second]);
  }
  ASSIGN_OR_RETURN(Page out, Read({.pupil_id = pupil_id}, page));
  out.subject = name;
  return out;
}

core::StatusOr<AccessLog::Page> AccessLog::ForUser(const Principal& who, int64_t user_id,
                                                   int page) const {
  RETURN_IF_ERROR(school_.AllowNow(who, Action::kReadAccessLog, {}));
  std::string name;
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    auto it = snap.users.find(user_id);
    if (it == snap.users.end()) {
      return core::NotFound(core::kErrUserUnknown, fmt::format("no user with id {}", user_id));
    }
    name = it->second.display_name.empty() ? it->second.username : it->second.display_name;
  }
  ASSIGN_OR_RETURN(Page out, Read({.user_id = user_id}, page));
  out.subject = name;
  return out;
}

core::StatusOr<AccessLog::Page> AccessLog::Read(store::AccessLogQuery query, int page) const {
  Page out;
  ASSIGN_OR_RETURN(out.total, school_.store().CountAccessLog(query));
  out.pages = static_cast<int>(
      std::max<int64_t>(1, (out.total + kAccessLogPageSize - 1) / kAccessLogPageSize));
  out.page = std::clamp(page, 1, out.pages);
  query.limit = kAccessLogPageSize;
  query.offset = (out.page - 1) * kAccessLogPageSize;
  ASSIGN_OR_RETURN(out.entries, school_.store().AccessLogEntries(query));
  auto lock = school_.Read();
  const Snapshot& snap = school_.snapshot();
  for (const store::AccessLogEntry& e : out.entries) {
    if (auto it = snap.pupil_index.find(e.pupil_id); it != snap.pupil_index.end()) {
      out.pupil_names[e.pupil_id] = DisplayName(snap.pupils[it->second]);
    }
  }
  return out;
}

}  // namespace rollcall::service
