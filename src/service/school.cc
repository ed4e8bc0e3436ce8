// school.cc: loading the school, noticing other processes' writes, and the
// reads every service shares (school.h).
#include "service/school.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "core/error_codes.h"
#include "service/records.h"

namespace rollcall::service {

School::School(store::Store& store, const core::Clock& clock, int64_t outside_write_check_ms)
    : store_(store), clock_(clock), outside_write_check_ms_(outside_write_check_ms) {}

int64_t School::version() const {
  std::shared_lock lock(mu_);
  return snapshot_.version;
}

core::Status School::Load() {
  // Where the next check starts, read before the school: whatever commits
  // after this point (or while the school is read) comes back from that
  // check, even if this Load already saw some of it.
  ASSIGN_OR_RETURN(store::OutsideChanges start, store_.ChangesSince(store::ChangeCursor{}));
  Snapshot s;
  core::StatusOr<store::School> school = store_.GetSchool();
  if (school.ok()) {
    s.school = *school;
  } else if (school.status().kind() != core::ErrorKind::kNotFound) {
    return school.status();
  }
  ASSIGN_OR_RETURN(s.settings, SettingsInForce(store_));
  ASSIGN_OR_RETURN(std::vector<store::Class> classes, store_.ListClasses());
  for (store::Class& c : classes) s.classes.emplace(c.id, std::move(c));
  ASSIGN_OR_RETURN(std::vector<store::User> users, store_.ListUsers());
  for (store::User& u : users) s.users.emplace(u.id, std::move(u));
  ASSIGN_OR_RETURN(s.pupils, store_.ListPupils());
  ASSIGN_OR_RETURN(std::vector<store::Mark> marks, store_.AllMarks());
  ASSIGN_OR_RETURN(s.scenario, ScenarioOf(store_, s.settings, s.pupils, marks, clock_.Today()));
  for (size_t i = 0; i < s.pupils.size(); ++i) s.pupil_index.emplace(s.pupils[i].id, i);
  for (const store::Mark& m : marks) {
    if (m.arrival_minute && s.pupil_index.contains(m.pupil_id)) {
      s.arrivals[m.pupil_id][m.slot] = *m.arrival_minute;
    }
  }
  ASSIGN_OR_RETURN(s.part_time, store_.ListPartTimeTimetables());
  ASSIGN_OR_RETURN(s.part_time_reviews, store_.ListPartTimeReviews());
  ASSIGN_OR_RETURN(s.leave_requests, store_.ListLeaveRequests());
  ASSIGN_OR_RETURN(s.leave_decisions, store_.ListLeaveDecisions());
  ASSIGN_OR_RETURN(s.timetable, store_.GetTimetable());
  {
    std::unique_lock lock(mu_);
    s.version = snapshot_.version + 1;
    snapshot_ = std::move(s);
    NoteChange(nullptr);
  }
  std::lock_guard cursor_lock(cursor_mu_);
  cursor_ = start.next;
  ++cursor_loads_;
  return core::OkStatus();
}

namespace {

int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

bool School::ReloadIfWrittenOutside() {
  const int64_t arrived = SteadyNanos();
  int64_t due = next_outside_check_.load(std::memory_order_relaxed);
  if (arrived < due) return false;
  if (outside_write_check_ms_ > 0 && !next_outside_check_.compare_exchange_strong(
                                         due, arrived + outside_write_check_ms_ * 1000000)) {
    return false;  // another request checks; this one carries on with the snapshot it has
  }
  std::lock_guard check_lock(check_mu_);
  // A check that began after this call was made has seen every commit this
  // call must see.
  if (last_check_start_ > arrived) return false;
  last_check_start_ = SteadyNanos();
  store::ChangeCursor cursor;
  int64_t loads = 0;
  {
    std::lock_guard cursor_lock(cursor_mu_);
    cursor = cursor_;
    loads = cursor_loads_;
  }
  core::StatusOr<store::OutsideChanges> changes = store_.ChangesSince(cursor);
  if (!changes.ok()) {
    spdlog::warn("cannot tell what other processes wrote to the database: {}",
                 changes.status().message());
    return false;
  }
  // Marks the snapshot already holds (this process's own, mostly) need
  // nothing: had one of ours changed since, the snapshot would hold the
  // newer one, which is also what the store holds.
  if (!changes->reload && DifferingMarks(changes->marks).empty()) {
    std::lock_guard cursor_lock(cursor_mu_);
    if (cursor_loads_ == loads) cursor_ = changes->next;
    return false;
  }
  // Something changed. Under the writer lock no write of ours is half-way
  // between the store and the snapshot; the changes are read again under it
  // (from the cursor as it stands now), so that a mark this process wrote
  // meanwhile is not overwritten by the older one read above.
  std::lock_guard write_lock(write_mu_);
  {
    std::lock_guard cursor_lock(cursor_mu_);
    cursor = cursor_;
  }
  changes = store_.ChangesSince(cursor);
  if (!changes.ok()) {
    spdlog::warn("cannot read what other processes wrote to the database: {}",
                 changes.status().message());
    return false;
  }
  if (changes->reload) {
    spdlog::info("another process changed the school: reading it again");
    if (core::Status s = Load(); !s.ok()) {
      // The old snapshot and cursor stay; the next check tries again.
      spdlog::error("reading the school again failed: {}", s.message());
      return false;
    }
    return true;
  }
  ApplyOutsideMarks(changes->marks);
  std::lock_guard cursor_lock(cursor_mu_);
  cursor_ = changes->next;
  return false;
}

std::vector<School::MarkChange> School::DifferingMarks(
    const std::vector<store::Mark>& marks) const {
  std::vector<MarkChange> differ;
  std::shared_lock lock(mu_);
  for (const store::Mark& m : marks) {
    auto it = snapshot_.pupil_index.find(m.pupil_id);
    // A pupil the snapshot lacks was added by a change that reads the whole
    // school again.
    if (it == snapshot_.pupil_index.end()) continue;
    const SlotMark held = MarkAt(it->second, m.slot);
    if (held.code == m.code && held.arrival == m.arrival_minute) continue;
    differ.push_back({it->second, &m});
  }
  return differ;
}

bool School::ApplyOutsideMarks(const std::vector<store::Mark>& marks) {
  const std::vector<MarkChange> differ = DifferingMarks(marks);
  if (differ.empty()) return false;
  std::vector<size_t> indices;
  for (const MarkChange& c : differ) indices.push_back(c.index);
  ApplyMarks(indices, [&](Snapshot& snap) {
    for (const MarkChange& c : differ) {
      const store::Mark& m = *c.mark;
      SetMark(snap, c.index, m.pupil_id, m.slot, m.code, m.arrival_minute);
    }
  });
  return true;
}

void SetMark(Snapshot& snap, size_t index, int64_t pupil_id, core::SessionKey slot,
             core::AttendanceCode code, std::optional<int> arrival_minute) {
  std::vector<core::RecordedMark>& held = snap.scenario.marks[index];
  auto r = std::find_if(held.begin(), held.end(),
                        [&](const core::RecordedMark& x) { return x.slot == slot; });
  if (r == held.end()) {
    held.push_back(core::RecordedMark{slot, code});
  } else {
    r->code = code;
  }
  if (arrival_minute) {
    snap.arrivals[pupil_id][slot] = *arrival_minute;
  } else if (auto a = snap.arrivals.find(pupil_id); a != snap.arrivals.end()) {
    a->second.erase(slot);
  }
}

core::Scenario School::ScenarioAsOf(core::Date as_of) const {
  core::Scenario s;
  s.as_of = as_of;
  s.as_of_part = DayPartOf(as_of);
  s.calendar = snapshot_.scenario.calendar;
  s.policy = snapshot_.scenario.policy;
  s.default_mark = snapshot_.scenario.default_mark;
  s.pupils = snapshot_.scenario.pupils;
  s.marks.resize(snapshot_.scenario.marks.size());
  for (size_t i = 0; i < s.pupils.size(); ++i) {
    s.pupils[i].cohorts = CohortTagsOn(snapshot_.pupils[i], as_of);
    s.marks[i] = MarksAsOf(i, as_of);
  }
  return s;
}

std::vector<core::RecordedMark> School::MarksAsOf(size_t index, core::Date as_of) const {
  std::vector<core::RecordedMark> marks;
  for (const core::RecordedMark& m : snapshot_.scenario.marks[index]) {
    if (m.slot.date <= as_of) marks.push_back(m);
  }
  std::sort(
      marks.begin(), marks.end(),
      [](const core::RecordedMark& a, const core::RecordedMark& b) { return a.slot < b.slot; });
  return marks;
}

void School::NoteChange(const std::vector<size_t>* indices) {
  std::lock_guard lock(changes_mu_);
  // A list longer than the school is worth no more than evaluating it all.
  if (indices == nullptr || marks_changed_.size() > snapshot_.pupils.size()) {
    any_change_version_ = snapshot_.version;
    marks_changed_.clear();
    return;
  }
  for (size_t index : *indices) marks_changed_.emplace_back(snapshot_.version, index);
}

Evaluated School::EvaluatedOn(core::Date as_of) {
  std::lock_guard eval_lock(eval_mu_);
  auto scenario = std::make_shared<core::Scenario>();
  int64_t version = 0;
  // The pupils whose marks alone changed since the cached evaluation of the
  // same day: nullopt when anything else did, or there is none to build on.
  std::optional<std::vector<size_t>> changed;
  {
    std::shared_lock lock(mu_);
    version = snapshot_.version;
    const core::DayPart part = DayPartOf(as_of);
    const bool same_day = eval_.evaluation && eval_as_of_ == as_of && eval_part_ == part;
    if (same_day && eval_version_ == version) return eval_;
    if (same_day) {
      std::lock_guard changes_lock(changes_mu_);
      if (any_change_version_ <= eval_version_) {
        std::vector<size_t> pupils;
        for (const auto& [at, index] : marks_changed_) {
          if (at > eval_version_) pupils.push_back(index);
        }
        std::sort(pupils.begin(), pupils.end());
        pupils.erase(std::unique(pupils.begin(), pupils.end()), pupils.end());
        changed = std::move(pupils);
      }
    }
    if (changed) {
      // The last evaluation's scenario with those pupils' marks read again.
      *scenario = *eval_.scenario;
      for (size_t index : *changed) scenario->marks[index] = MarksAsOf(index, as_of);
    } else {
      *scenario = ScenarioAsOf(as_of);
    }
  }
  eval_.evaluation = std::make_shared<const core::Evaluation>(
      changed ? core::EvaluateAgain(*scenario, *eval_.evaluation, *changed)
              : core::Evaluate(*scenario));
  {
    // What this evaluation holds need not be evaluated again.
    std::lock_guard changes_lock(changes_mu_);
    std::erase_if(marks_changed_, [&](const auto& c) { return c.first <= version; });
  }
  eval_version_ = version;
  eval_as_of_ = as_of;
  eval_part_ = scenario->as_of_part;
  eval_.scenario = std::move(scenario);
  return eval_;
}

core::StatusOr<size_t> School::PupilFor(const Principal& who, int64_t pupil_id,
                                        Action action) const {
  auto it = snapshot_.pupil_index.find(pupil_id);
  if (it == snapshot_.pupil_index.end()) {
    return core::NotFound(core::kErrPupilUnknown, fmt::format("no pupil {}", pupil_id));
  }
  const store::Pupil& p = snapshot_.pupils[it->second];
  RETURN_IF_ERROR(Authorize(who, action, {p.id, p.class_id}, snapshot_.school.la_code));
  return it->second;
}

core::Status School::Allow(const Principal& who, Action action, const Subject& subject) const {
  return Authorize(who, action, subject, snapshot_.school.la_code);
}

core::Status School::AllowNow(const Principal& who, Action action, const Subject& subject) const {
  auto lock = Read();
  return Allow(who, action, subject);
}

SlotMark School::MarkAt(size_t index, core::SessionKey slot) const {
  SlotMark out;
  for (const core::RecordedMark& m : snapshot_.scenario.marks[index]) {
    if (m.slot == slot) out.code = m.code;
  }
  if (auto a = snapshot_.arrivals.find(snapshot_.pupils[index].id); a != snapshot_.arrivals.end()) {
    if (auto b = a->second.find(slot); b != a->second.end()) out.arrival = b->second;
  }
  return out;
}

core::DayPart School::DayPartOf(core::Date day) const {
  if (day != clock_.Today()) return core::DayPart::kWholeDay;
  const int now = clock_.MinuteOfDay();
  if (now >= RegisterOpen(core::Session::kPm)) return core::DayPart::kWholeDay;
  return now >= RegisterOpen(core::Session::kAm) ? core::DayPart::kAmOnly
                                                 : core::DayPart::kNoSession;
}

int School::SessionStart(core::Session session) const {
  return snapshot_.settings.SessionStart(session);
}

int School::RegisterOpen(core::Session session) const {
  return snapshot_.settings.RegisterOpen(session);
}

int School::RegisterClose(core::Session session) const {
  return SessionStart(session) + snapshot_.settings.register_close_minutes;
}

}  // namespace rollcall::service
