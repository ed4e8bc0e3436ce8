// registers.h
//
// Recording marks: the checks a register entry must pass, the group commit
// that writes many teachers' marks in one transaction, and the casework
// checks that follow for the pupils whose marks changed. The register page,
// the API, confirming a parent's report and coding leave all record marks
// here.
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/codes.h"
#include "core/status.h"
#include "service/access.h"
#include "service/case_checks.h"
#include "service/part_time.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::service {

// One mark as a person entered it (text fields, checked here).
struct MarkRequest {
  std::string date, session, pupil, code, reason, arrival_time;
};

// A register as a teacher or the office sees it: one session, one class or
// the whole school, every pupil on roll that day with their mark.
struct RegisterRow {
  int64_t pupil_id = 0;
  std::string name;
  std::optional<store::Mark> mark;     // nullopt: not yet marked
  std::string recorded_by;             // the name of whoever marked it
  std::optional<PlannedCode> planned;  // leave or a part-time timetable
};
struct RegisterView {
  core::SessionKey slot;
  bool open = false;           // a school session, not a closure or holiday
  int starts = 0, closes = 0;  // minutes after midnight
  std::optional<store::Class> of_class;
  std::vector<RegisterRow> pupils;
};

struct MarkResult {
  store::MarkWrite write;
  bool changed = false;  // false: the same mark was already recorded
  std::optional<core::AttendanceCode> previous;
};

class Registers {
 public:
  Registers(School& school, CaseChecks& cases, const PartTime& part_time)
      : school_(school), cases_(cases), part_time_(part_time) {}

  // One session's register, of `class_id` or (none given) a teacher's first
  // class, else the whole school.
  core::StatusOr<RegisterView> Register(const Principal& who, const std::string& date,
                                        const std::string& session,
                                        std::optional<int64_t> class_id) const;

  // Records (or, with a reason, amends) one mark as `who`, now. Checks: the
  // date and session, no session after today, the pupil exists and `who`
  // may mark them (teachers only today's registers), a late mark's arrival
  // time decides L or U by the register's close, the code is valid for that
  // pupil and day (core::CheckMark), and an amendment gives a reason.
  core::StatusOr<MarkResult> RecordMark(const Principal& who, const MarkRequest& m);

  // A pupil's audit trail: every recording and change of their marks, with
  // who, when and why, oldest first.
  core::StatusOr<std::vector<store::Amendment>> Amendments(const Principal& who,
                                                           int64_t pupil_id) const;

 private:
  // A validated mark waiting for the group commit, and its result.
  struct PendingMark {
    store::MarkWrite write;  // actor and time set
    size_t index = 0;        // the pupil's index in the snapshot
    bool reason_given = false;
    core::Status status;
    bool changed = false;
    std::optional<core::AttendanceCode> previous;
    bool done = false;
  };
  void CommitMark(PendingMark& mark);
  void CommitGroup(const std::vector<PendingMark*>& group);

  School& school_;
  CaseChecks& cases_;
  const PartTime& part_time_;

  std::mutex queue_mu_;  // marks waiting for the group commit
  std::condition_variable queue_cv_;
  std::vector<PendingMark*> queue_;
  bool committing_ = false;  // a leader is committing
};

}  // namespace rollcall::service
