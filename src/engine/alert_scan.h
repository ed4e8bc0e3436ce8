// alert_scan.h
//
// The alerts pass over a column store: every alert of core/alerts.h (penalty
// threshold with its action, continuous absence, sickness, weekly and
// persistent lateness, overdue N, unrecorded marks) for every pupil, in one
// scan of each pupil's bytes across all academic years up to as-of. A byte
// classifier built from the school's policy sends the common case (a present
// mark) down a path that touches no rule state.
//
// Alerts are flat records; their evidence is a range of session indexes in
// one shared array (the codes are the bytes at those sessions).
#pragma once

#include <cstdint>
#include <vector>

#include "core/alerts.h"
#include "engine/column_store.h"

namespace rollcall::engine {

struct AlertRecord {
  uint32_t pupil;  // within its school
  core::AlertKind kind;
  uint8_t action = 0;      // core::PenaltyAction for kPenaltyThreshold, else 0
  int32_t run_length = 0;  // kContinuousAbsence only
  int32_t at = 0;          // session index
  uint32_t evidence_begin = 0;
  uint32_t evidence_count = 0;
};

struct SchoolAlerts {
  std::vector<AlertRecord> alerts;  // by pupil, then as core::ComputeAlerts orders them
  std::vector<int32_t> evidence;    // session indexes
};

struct AlertScan {
  std::vector<SchoolAlerts> schools;
  size_t AlertCount() const;
};

// threads <= 0: one per core.
AlertScan ScanAlerts(const Dataset& dataset, core::Date as_of, int threads = 0);

// One alert in the core's form (evidence with its codes).
core::Alert ToCoreAlert(const School& school, const SchoolAlerts& alerts, const AlertRecord& r);

}  // namespace rollcall::engine
