// case_checks.h
//
// The casework that opens and closes by itself, checked after marks change:
//
// - A children-missing-education case opens when a pupil's current run of
//   unexplained absence (core/cme.h) holds a whole school day's sessions,
//   and closes, saying why, when the run ends (the pupil is back, the
//   absence is explained) or the pupil leaves the roll.
// - A penalty-notice case opens when the penalty_threshold alert of the
//   rules core fires this school year, or the local code of conduct's
//   trigger when the policy sets one, citing the sessions. One case per
//   episode of each kind: while it is open, a later window that meets the
//   threshold adds its sessions to it; once it is closed, only sessions
//   after the day it closed count towards the next (docs/rules.md section 5).
//
// After a mark only the pupils it touched are checked, reading only their
// own cases, so a register write costs the same with 5 open cases or 500.
// Each pupil's sessions are built once for both checks.
#pragma once

#include <cstddef>
#include <vector>

#include "service/school.h"

namespace rollcall::service {

class CaseChecks {
 public:
  explicit CaseChecks(School& school) : school_(school) {}

  // The pupils at these snapshot indices.
  void Check(const std::vector<size_t>& indices);
  // Every pupil: after loading the school (marks written while the server
  // was down, or by another process, may have started or ended a run).
  void CheckAll();

 private:
  School& school_;
};

}  // namespace rollcall::service
