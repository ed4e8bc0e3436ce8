// school.h
//
// The one owner of a school's in-memory state. School keeps a snapshot of
// the school (calendar, policy, pupils, users, every mark as a
// core::Scenario, part-time timetables, leave and the lesson timetable) so
// that pages and summaries are computed by the rules core without touching
// the database.
//
// Reading: take Read() and use snapshot() while holding it.
// Writing: take BeginWrite() (one writer at a time), write to the store in
// one transaction with its audit rows, and only then Apply() the same change
// to the snapshot, so the snapshot never holds what the database does not.
// Apply is the only way to change the snapshot, and it counts every write
// (version), which is what cached evaluations are keyed on.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/evaluate.h"
#include "core/scenario.h"
#include "core/status.h"
#include "service/access.h"
#include "service/shared_mutex.h"
#include "store/store.h"

namespace rollcall::service {

// Everything the services read, rebuilt from the store by School::Load.
struct Snapshot {
  store::School school;
  store::Settings settings;
  core::Scenario scenario;  // pupils in the order of `pupils`; as_of = load day
  std::vector<store::Pupil> pupils;
  std::map<int64_t, size_t> pupil_index;  // pupil id -> index in pupils/scenario
  std::map<int64_t, store::Class> classes;
  std::map<int64_t, store::User> users;
  std::map<int64_t, std::map<core::SessionKey, int>> arrivals;  // late arrival minutes
  std::vector<store::PartTimeTimetable> part_time;              // by id
  std::vector<store::PartTimeReview> part_time_reviews;         // by id
  std::vector<store::LeaveRequest> leave_requests;              // by id
  std::vector<store::LeaveDecision> leave_decisions;            // by id
  // The timetable of a secondary school (lessons.h): empty when none is set.
  store::Timetable timetable;
  int64_t version = 0;  // bumped by every write
};

// Sets the pupil at snapshot `index` (id `pupil_id`) to `code` for `slot`,
// with its late arrival minute or none: how a recorded or amended mark
// reaches the snapshot, whichever process wrote it.
void SetMark(Snapshot& snap, size_t index, int64_t pupil_id, core::SessionKey slot,
             core::AttendanceCode code, std::optional<int> arrival_minute);

// The school as the rules core sees it on a day, and its evaluation.
struct Evaluated {
  std::shared_ptr<const core::Scenario> scenario;
  std::shared_ptr<const core::Evaluation> evaluation;
};

// A session's current mark for one pupil: nullopt code when unrecorded.
struct SlotMark {
  std::optional<core::AttendanceCode> code;
  std::optional<int> arrival;  // late arrivals: minutes after midnight
};

class School {
 public:
  // `outside_write_check_ms`: how often ReloadIfWrittenOutside asks the
  // store what other processes have written; 0: on every call.
  School(store::Store& store, const core::Clock& clock, int64_t outside_write_check_ms = 1000);

  // Reads the whole school from the store. Call once before serving, and
  // after changing the store behind School's back.
  core::Status Load();

  // At most once per outside_write_check_ms: brings the snapshot up to date
  // with what other processes (another `rollcall serve`, `rollcall import`)
  // have committed (store::Store::ChangesSince). Marks written elsewhere are
  // applied one by one (a mark the snapshot already holds, as after this
  // process's own writes, is left alone and counts as no write); any other
  // change reads the whole school again. True when it read the school again.
  //
  // A call that finds nothing costs one store round trip and takes no lock
  // that writers hold. Calls made at the same time share one check: a call
  // waits for the check in progress, then returns if another check began
  // after it was made (that check saw every commit this call must see).
  bool ReloadIfWrittenOutside();

  store::Store& store() const { return store_; }
  const core::Clock& clock() const { return clock_; }

  // The lock that guards snapshot(): shared for reading.
  WriterPreferringMutex& mutex() const { return mu_; }
  std::shared_lock<WriterPreferringMutex> Read() const {
    return std::shared_lock<WriterPreferringMutex>(mu_);
  }
  // Requires mutex() held.
  const Snapshot& snapshot() const { return snapshot_; }
  // The number of writes applied since construction.
  int64_t version() const;

  // One writer at a time: the store write, then Apply.
  [[nodiscard]] std::unique_lock<std::mutex> BeginWrite() {
    return std::unique_lock<std::mutex>(write_mu_);
  }
  // With BeginWrite's lock held and the store write committed: the same
  // change to the snapshot, under the exclusive lock, counted as a write.
  template <typename Change>
  void Apply(Change&& change) {
    Write(nullptr, std::forward<Change>(change));
  }
  // Apply for a change to nothing but the marks (and late arrival times) of
  // the pupils at snapshot `indices`: the next evaluation of the same day
  // evaluates only those pupils again (core::EvaluateAgain).
  template <typename Change>
  void ApplyMarks(const std::vector<size_t>& indices, Change&& change) {
    Write(&indices, std::forward<Change>(change));
  }

  // The school on `as_of` (cohort tags as held that day, marks up to it;
  // of today, only the sessions whose registers have opened: DayPartOf)
  // and its evaluation by the rules core: one evaluation at a time, cached
  // until the next write or the next register to open, so every page,
  // letter and return of the day reads the same figures. After writes to
  // marks alone (ApplyMarks), only the pupils written are evaluated again
  // and the rest kept from the cached evaluation of the same day
  // (core::EvaluateAgain: the same figures as evaluating everyone). The
  // snapshot is copied under the read lock and evaluated outside it, so
  // writers wait only for the copy. Must not be called with mutex() held.
  Evaluated EvaluatedOn(core::Date as_of);

  // The following require mutex() held.
  //
  // A copy of the scenario as of `as_of`, cohort tags as held that day and
  // as_of_part DayPartOf(as_of).
  core::Scenario ScenarioAsOf(core::Date as_of) const;
  // The marks of the pupil at snapshot `index` up to `as_of`, in session
  // order: that pupil's part of ScenarioAsOf.
  std::vector<core::RecordedMark> MarksAsOf(size_t index, core::Date as_of) const;
  //
  // How much of `day` counts now: of today, the sessions whose registers
  // have opened by the clock; of any other day, the whole day.
  core::DayPart DayPartOf(core::Date day) const;
  //
  // The snapshot index of pupil `pupil_id` when `who` may do `action` to
  // them: NotFound PUPIL_UNKNOWN or PermissionDenied otherwise.
  core::StatusOr<size_t> PupilFor(const Principal& who, int64_t pupil_id, Action action) const;
  // Authorize() for this school.
  core::Status Allow(const Principal& who, Action action, const Subject& subject) const;
  // Allow, taking Read() itself: for a caller that holds no lock.
  core::Status AllowNow(const Principal& who, Action action, const Subject& subject) const;
  // The pupil at snapshot `index`'s mark for `slot`.
  SlotMark MarkAt(size_t index, core::SessionKey slot) const;
  // Minutes after midnight the session starts, its register opens (no mark
  // before then) and its register closes (a late arrival after it is U).
  int SessionStart(core::Session session) const;
  int RegisterOpen(core::Session session) const;
  int RegisterClose(core::Session session) const;

 private:
  // Apply and ApplyMarks: the change under the exclusive lock, counted, and
  // noted for the next evaluation (NoteChange).
  template <typename Change>
  void Write(const std::vector<size_t>* indices, Change&& change) {
    std::unique_lock lock(mu_);
    change(snapshot_);
    ++snapshot_.version;
    NoteChange(indices);
  }

  store::Store& store_;
  const core::Clock& clock_;
  const int64_t outside_write_check_ms_;

  mutable WriterPreferringMutex mu_;  // guards snapshot_
  Snapshot snapshot_;
  std::mutex write_mu_;                         // one writer at a time: store, then snapshot
  std::atomic<int64_t> next_outside_check_{0};  // steady clock, ns

  // Of `marks` (as stored), those that differ from the snapshot's, with
  // their pupils' snapshot indices; takes Read() itself.
  struct MarkChange {
    size_t index;
    const store::Mark* mark;
  };
  std::vector<MarkChange> DifferingMarks(const std::vector<store::Mark>& marks) const;
  // Applies DifferingMarks(marks) as one write; write_mu_ held. False when
  // the snapshot held every one already.
  bool ApplyOutsideMarks(const std::vector<store::Mark>& marks);

  std::mutex check_mu_;           // one ReloadIfWrittenOutside check at a time
  int64_t last_check_start_ = 0;  // steady clock, ns; under check_mu_
  std::mutex cursor_mu_;          // guards the two below
  store::ChangeCursor cursor_;    // where the next check starts
  int64_t cursor_loads_ = 0;      // Loads so far: a check's cursor is stale once it moves

  // Under mu_ held exclusively: records a write of snapshot version
  // snapshot_.version, to the marks of `indices` only, or (nullptr) to
  // anything.
  void NoteChange(const std::vector<size_t>* indices);
  std::mutex changes_mu_;  // guards the two below; taken after mu_
  // The last version written other than by ApplyMarks (Load included): an
  // evaluation older than it is not reused.
  int64_t any_change_version_ = 0;
  // (version, pupil index) of each pupil whose marks ApplyMarks changed
  // since the cached evaluation's version.
  std::vector<std::pair<int64_t, size_t>> marks_changed_;

  std::mutex eval_mu_;  // one evaluation at a time; guards the cache below
  int64_t eval_version_ = -1;
  core::Date eval_as_of_;
  core::DayPart eval_part_ = core::DayPart::kWholeDay;
  Evaluated eval_;
};

}  // namespace rollcall::service
