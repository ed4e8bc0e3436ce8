// cme.h
//
// Children-missing-education casework as staff work it. CaseChecks opens a
// case when a pupil's run of unexplained absence (core/cme.h) reaches a
// whole school day and closes it when the pupil is back or the absence is
// explained; here staff read the cases, record what they did at each step of
// the protocol and close a case with the outcome of their enquiries. Due
// dates and overdue steps are worked out from the calendar on every read,
// so a step is overdue the day it becomes so, with nothing stored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/cme.h"
#include "core/date.h"
#include "core/status.h"
#include "service/access.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::service {

// Where one step of a CME case stands today.
enum class CmeStepStatus { kDone, kOverdue, kDue, kLater };

// "done", "overdue", "due", "later".
const char* CmeStepStatusWord(CmeStepStatus status);

struct CmeStepView {
  const core::CmeStepInfo* info = nullptr;
  std::optional<core::Date> from, due;  // nullopt: beyond the calendar
  std::vector<store::CmeStepRecord> done;
  CmeStepStatus status = CmeStepStatus::kLater;
  int overdue_school_days = 0;
};

struct CmeView {
  store::CmeCase c;
  std::string pupil_name;
  std::optional<int64_t> class_id;
  int day = 0;  // today's protocol day
  std::vector<CmeStepView> steps;
  bool may_work = false;  // the reader may record steps and close the case
};

// A step done, as a person entered it (text fields, checked here).
struct CmeStepRequest {
  std::string case_id;
  std::string step;  // a core::CmeStepInfo key, e.g. "notify_dsl"
  std::string note;  // what was done
};

struct CmeCloseRequest {
  std::string case_id;
  std::string outcome;  // the outcome of the enquiries
};

class Cme {
 public:
  explicit Cme(School& school) : school_(school) {}

  // The cases `who` may read (kReadCases), oldest first: of one pupil (an
  // unknown pupil is NotFound PUPIL_UNKNOWN), or of every pupil, open ones
  // only when `open_only`.
  core::StatusOr<std::vector<CmeView>> Cases(const Principal& who, std::optional<int64_t> pupil,
                                             bool open_only);
  // The open case `case_id` when `who` may work on its pupil's cases:
  // NotFound CME_CASE_UNKNOWN, PermissionDenied, or Conflict CME_CASE_CLOSED.
  core::StatusOr<store::CmeCase> CaseToWork(const Principal& who, const std::string& case_id);
  // Records a step of an open case, as `who`, now: the step must be one of
  // the protocol's and the note say what was done.
  core::StatusOr<store::CmeStepRecord> RecordStep(const Principal& who, const CmeStepRequest& r);
  // Closes an open case, as `who`, now, with the outcome of the enquiries.
  core::Status Close(const Principal& who, const CmeCloseRequest& r);

 private:
  // The case with its steps as they stand today. Takes the reader lock.
  core::StatusOr<CmeView> ViewOf(const Principal& who, const store::CmeCase& c);

  School& school_;
};

}  // namespace rollcall::service
