// absence_reports.h
//
// A parent (or the office, for a parent on the phone) tells the school that
// a pupil is or will be absent, and why. The office confirms the report
// with the code its reason suggests (illness I, appointment M, religious
// observance R) or another: one action records that code on every session
// the report covers up to now that is still N or unmarked, through
// Registers (the same checks and audit trail as any register change), and
// resolves the report once none of its days is still to come. A report may
// also be resolved by hand, saying what was done.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/codes.h"
#include "core/date.h"
#include "core/status.h"
#include "service/access.h"
#include "service/registers.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::service {

// The code a parent's reason suggests: M for an appointment, I for illness,
// R for religious observance; nullopt when the office must choose.
std::optional<core::AttendanceCode> SuggestedCode(std::string_view reason);

// A report as entered (text fields, checked here).
struct AbsenceReportRequest {
  int64_t pupil_id = 0;
  std::string from;  // YYYY-MM-DD
  std::string to;    // YYYY-MM-DD, inclusive; "" for one day
  std::string reason;
};

struct AbsenceReportView {
  store::AbsenceReport r;
  std::string pupil_name;
};

struct ResolveReportRequest {
  std::string report_id;
  std::string resolution;  // what the office did
};

struct ConfirmReportRequest {
  int64_t report_id = 0;
  std::string code;  // the attendance code's symbol
};

struct ReportConfirmation {
  std::vector<core::SessionKey> coded;  // sessions recorded with the code
  bool resolved = false;                // no day of the report is still to come
};

class AbsenceReports {
 public:
  AbsenceReports(School& school, Registers& registers) : school_(school), registers_(registers) {}

  // Stores a report by `who`, now: at most 60 days long, starting at most
  // 14 days ago and at most a year ahead, with a reason of 1 to 500
  // characters. Parents report only for their own children.
  core::StatusOr<store::AbsenceReport> Report(const Principal& who, const AbsenceReportRequest& r);
  // The reports of the pupils `who` may see (open ones only when
  // `open_only`), in the store's order.
  core::StatusOr<std::vector<AbsenceReportView>> List(const Principal& who, bool open_only);
  // Resolves a report by hand, as `who`, now; returns its id.
  core::StatusOr<int64_t> Resolve(const Principal& who, const ResolveReportRequest& r);
  // Records the code on the report's sessions up to now that are still N or
  // unmarked, as register amendments by `who` giving the parent's reason,
  // and resolves the report unless one of its sessions is still to come.
  core::StatusOr<ReportConfirmation> Confirm(const Principal& who, const ConfirmReportRequest& r);

 private:
  School& school_;
  Registers& registers_;
};

}  // namespace rollcall::service
