// registers.cc: recording marks and the group commit (registers.h).
#include "service/registers.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include "core/error_codes.h"
#include "core/register.h"
#include "service/evidence.h"
#include "service/fields.h"
#include "service/records.h"

namespace rollcall::service {

using core::Date;
using core::SessionKey;

namespace {

// "AM" or "PM"; InvalidArgument VALUE_INVALID otherwise.
core::StatusOr<core::Session> ParseSession(const std::string& text) {
  std::optional<core::Session> session = core::SessionFromName(text);
  if (!session) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "session must be AM or PM, not '" + text + "'");
  }
  return *session;
}

}  // namespace

core::Status Registers::MayMarkNow(const Principal& who, SessionKey slot) const {
  const Date today = school_.clock().Today();
  if (slot.date > today) {
    return core::InvalidArgument(
        core::kErrSessionInFuture,
        "This session has not happened yet: marks are recorded on the day");
  }
  if (slot.date == today) {
    if (const int opens = school_.RegisterOpen(slot.session);
        school_.clock().MinuteOfDay() < opens) {
      return core::Conflict(
          core::kErrRegisterNotOpen,
          fmt::format("The {} register opens at {}", SessionWord(slot.session), TimeText(opens)));
    }
  } else if (who.role == store::Role::kTeacher) {
    return core::PermissionDenied(core::kErrForbidden,
                                  "Registers before today are changed by the attendance office, "
                                  "who give a reason for each change");
  }
  return core::OkStatus();
}

core::StatusOr<RegisterView> Registers::Register(const Principal& who, const std::string& date_text,
                                                 const std::string& session_text,
                                                 std::optional<int64_t> class_id) const {
  ASSIGN_OR_RETURN(Date date, ParseDateParam(date_text, "date"));
  ASSIGN_OR_RETURN(const core::Session session, ParseSession(session_text));
  if (!class_id && who.role == store::Role::kTeacher && !who.class_ids.empty()) {
    class_id = who.class_ids.front();
  }
  const SessionKey slot{date, session};
  {
    auto lock = school_.Read();
    if (class_id && !school_.snapshot().classes.contains(*class_id)) {
      return core::NotFound(core::kErrClassUnknown, fmt::format("no class with id {}", *class_id));
    }
    RETURN_IF_ERROR(school_.Allow(who, Action::kReadRegister, {std::nullopt, class_id}));
  }
  ASSIGN_OR_RETURN(std::vector<store::Mark> marks, school_.store().MarksForSession(slot));
  std::map<int64_t, store::Mark> by_pupil;
  for (store::Mark& m : marks) by_pupil.emplace(m.pupil_id, std::move(m));

  auto lock = school_.Read();
  const Snapshot& snap = school_.snapshot();
  RegisterView out;
  out.slot = slot;
  out.open = snap.scenario.calendar.IsOpen(slot);
  out.opens = school_.RegisterOpen(session);
  out.starts = school_.SessionStart(session);
  out.closes = school_.RegisterClose(session);
  const core::Clock& clock = school_.clock();
  const int now_minute = clock.MinuteOfDay();
  out.now = clock.NowSeconds();
  // Local midnight: the UK is a whole number of hours from UTC, so "now"
  // less the minutes of the local day and the seconds of this minute.
  const int64_t midnight = out.now - out.now % 60 - int64_t{now_minute} * 60;
  out.opens_at = midnight + int64_t{out.opens} * 60;
  out.closes_at = midnight + int64_t{out.closes} * 60;
  if (date == clock.Today()) {
    out.state = now_minute < out.opens    ? RegisterState::kNotOpenYet
                : now_minute < out.closes ? RegisterState::kOpen
                                          : RegisterState::kClosed;
  }
  if (core::Status may = MayMarkNow(who, slot); !may.ok()) {
    out.read_only = may.message();
  } else if (!school_.Allow(who, Action::kWriteMark, {std::nullopt, class_id}).ok()) {
    out.read_only = "You may see this register but not record marks in it";
  }
  if (class_id) out.of_class = snap.classes.at(*class_id);
  for (size_t i = 0; i < snap.pupils.size(); ++i) {
    const store::Pupil& p = snap.pupils[i];
    if (class_id && p.class_id != class_id) continue;
    if (!snap.scenario.pupils[i].OnRollOn(date)) continue;
    RegisterRow row{.pupil_id = p.id, .name = DisplayName(p), .class_id = p.class_id};
    row.planned = part_time_.PlannedCodeFor(i, slot);
    if (auto m = by_pupil.find(p.id); m != by_pupil.end()) {
      row.mark = m->second;
      auto u = snap.users.find(m->second.recorded_by);
      row.recorded_by = u != snap.users.end() ? u->second.display_name : "";
    }
    out.pupils.push_back(std::move(row));
  }
  return out;
}

core::StatusOr<RegisterPageView> Registers::RegisterPage(const Principal& who,
                                                         const std::string& date,
                                                         const std::string& session,
                                                         std::optional<int64_t> class_id) const {
  RegisterPageView out;
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    out.school = snap.school.name;
    // Not asked: the session under way, the morning's until the afternoon starts.
    const bool morning = school_.clock().MinuteOfDay() < snap.settings.pm_start_minute;
    out.session =
        core::SessionFromName(session).value_or(morning ? core::Session::kAm : core::Session::kPm);
    for (const auto& [id, c] : snap.classes) {
      if (school_.Allow(who, Action::kReadRegister, {std::nullopt, id}).ok()) {
        out.classes.push_back({id, c.name});
      }
    }
    if (!class_id || !snap.classes.contains(*class_id)) return out;
  }
  ASSIGN_OR_RETURN(out.chosen,
                   Register(who, date, std::string(core::SessionName(out.session)), class_id));
  return out;
}

core::StatusOr<DayRegisterView> Registers::DayRegister(const Principal& who,
                                                       const std::string& date,
                                                       int64_t class_id) const {
  // Each session's register, with its checks and refusals: the pupils on
  // roll that day.
  ASSIGN_OR_RETURN(RegisterView am, Register(who, date, "AM", class_id));
  ASSIGN_OR_RETURN(RegisterView pm, Register(who, date, "PM", class_id));
  DayRegisterView out;
  out.date = am.slot.date;
  out.of_class = *am.of_class;
  out.open_am = am.open;
  out.open_pm = pm.open;
  out.printed_at = school_.clock().NowSeconds();
  {
    auto lock = school_.Read();
    out.school = school_.snapshot().school.name;
    if (out.date == school_.clock().Today() &&
        school_.clock().MinuteOfDay() < school_.snapshot().settings.pm_start_minute) {
      out.latest = core::Session::kAm;
    }
  }
  std::map<int64_t, std::optional<store::Mark>> afternoon;  // by pupil
  if (out.latest == core::Session::kPm) {
    for (RegisterRow& r : pm.pupils) afternoon.emplace(r.pupil_id, std::move(r.mark));
  }
  for (RegisterRow& r : am.pupils) {
    DayRegisterRow row{.pupil_id = r.pupil_id, .name = std::move(r.name), .am = std::move(r.mark)};
    if (auto it = afternoon.find(row.pupil_id); it != afternoon.end()) row.pm = it->second;
    const std::optional<store::Mark>& latest = row.pm ? row.pm : row.am;
    row.in_school = latest && (core::CategoryOf(latest->code) == core::StatCategory::kPresent ||
                               latest->code == core::AttendanceCode::kLateAfterClose);
    out.in_school += row.in_school ? 1 : 0;
    out.pupils.push_back(std::move(row));
  }
  return out;
}

core::StatusOr<RegisterRow> Registers::Row(const Principal& who, int64_t pupil_id,
                                           std::optional<SessionKey> slot) const {
  auto lock = school_.Read();
  ASSIGN_OR_RETURN(const size_t index, school_.PupilFor(who, pupil_id, Action::kReadPupil));
  const store::Pupil& p = school_.snapshot().pupils[index];
  RegisterRow row{.pupil_id = p.id, .name = DisplayName(p), .class_id = p.class_id};
  if (!slot) return row;
  if (const SlotMark m = school_.MarkAt(index, *slot); m.code) {
    row.mark =
        store::Mark{.pupil_id = p.id, .slot = *slot, .code = *m.code, .arrival_minute = m.arrival};
  }
  row.planned = part_time_.PlannedCodeFor(index, *slot);
  return row;
}

core::Status Registers::MarkAllPresent(const Principal& who, const std::string& date,
                                       const std::string& session, int64_t class_id) {
  ASSIGN_OR_RETURN(const Date day, ParseDateParam(date, "date"));
  ASSIGN_OR_RETURN(const core::Session s, ParseSession(session));
  const SessionKey slot{day, s};
  const char* present = s == core::Session::kAm ? "/" : "\\";
  std::vector<MarkRequest> marks;
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    for (size_t i = 0; i < snap.pupils.size(); ++i) {
      const store::Pupil& p = snap.pupils[i];
      if (p.class_id != class_id || !snap.scenario.pupils[i].OnRollOn(day)) continue;
      if (school_.MarkAt(i, slot).code) continue;
      MarkRequest m{date, session, std::to_string(p.id), present, "", ""};
      if (const std::optional<PlannedCode> planned = part_time_.PlannedCodeFor(i, slot)) {
        m.code = core::SymbolOf(planned->code);
        m.reason = planned->reason;
      }
      marks.push_back(std::move(m));
    }
  }
  // Outside the lock: recording a mark takes it again, and applying the mark
  // its exclusive side.
  for (const MarkRequest& m : marks) RETURN_IF_ERROR(RecordMark(who, m).status());
  return core::OkStatus();
}

core::StatusOr<MarkResult> Registers::RecordMark(const Principal& who, const MarkRequest& m) {
  ASSIGN_OR_RETURN(Date date, ParseDateParam(m.date, "date"));
  ASSIGN_OR_RETURN(const core::Session session, ParseSession(m.session));
  std::optional<int64_t> pupil_id = ParseId(m.pupil);
  if (!pupil_id)
    return core::NotFound(core::kErrPupilUnknown, "no pupil with id '" + m.pupil + "'");
  if (m.reason.size() > 500) {
    return core::InvalidArgument(core::kErrValueInvalid, "reason is longer than 500 characters");
  }
  std::optional<core::AttendanceCode> code = core::CodeFromSymbol(m.code);
  if (!code) {
    return core::InvalidArgument(core::kErrCodeUnknown,
                                 "'" + m.code + "' is not an attendance code");
  }
  const SessionKey slot{date, session};
  const bool late = *code == core::AttendanceCode::kLateBeforeClose ||
                    *code == core::AttendanceCode::kLateAfterClose;
  // The school's transport policy: a pupil whose route's transport was late
  // that session is not marked U (core::LateCode).
  std::optional<store::RouteDelay> delay;
  if (late) {
    ASSIGN_OR_RETURN(delay, school_.store().RouteDelayFor(*pupil_id, slot));
  }
  bool delay_exempts = false;
  PendingMark pending;
  store::MarkWrite& write = pending.write;
  bool illness_to_unauthorised = false;
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    RETURN_IF_ERROR(MayMarkNow(who, slot));
    ASSIGN_OR_RETURN(pending.index, school_.PupilFor(who, *pupil_id, Action::kWriteMark));
    // Late arrivals: the arrival time decides L (before the register closed)
    // or U (after it).
    if (late) {
      if (m.arrival_time.empty()) {
        return core::InvalidArgument(core::kErrTimeInvalid,
                                     "Enter the time the pupil arrived, for example 09:05");
      }
      std::optional<int> minute = ParseTime(m.arrival_time);
      if (!minute) {
        return core::InvalidArgument(core::kErrTimeInvalid,
                                     "'" + m.arrival_time +
                                         "' is not a time: enter the time the pupil arrived as "
                                         "hours and minutes, for example 09:05");
      }
      if (const int now = school_.clock().MinuteOfDay();
          date == school_.clock().Today() && *minute > now) {
        return core::InvalidArgument(
            core::kErrArrivalInFuture,
            fmt::format("An arrival time of {} is later than now ({}): enter the time the pupil "
                        "arrived",
                        TimeText(*minute), TimeText(now)));
      }
      const int closes = school_.RegisterClose(session);
      code = core::LateCode(*minute, closes, {.transport_delayed = delay.has_value()});
      delay_exempts = delay && *minute >= closes;
      write.arrival_minute = *minute;
    } else if (!m.arrival_time.empty()) {
      return core::InvalidArgument(core::kErrTimeInvalid,
                                   "An arrival time is only for a late mark (L or U)");
    }
    RETURN_IF_ERROR(
        core::CheckMark(snap.scenario.calendar, snap.scenario.pupils[pending.index], slot, *code));
    illness_to_unauthorised =
        school_.MarkAt(pending.index, slot).code == core::AttendanceCode::kIllness &&
        core::CategoryOf(*code) == core::StatCategory::kUnauthorised;
  }
  if (illness_to_unauthorised && !m.evidence_confirmed) {
    ASSIGN_OR_RETURN(std::string warning, UnaskedEvidenceWarning(school_, *pupil_id, slot));
    if (!warning.empty()) return core::Conflict(core::kErrEvidenceNotAsked, warning);
  }
  write.pupil_id = *pupil_id;
  write.slot = slot;
  write.code = *code;
  write.reason = m.reason.empty() ? std::string("Register taken") : m.reason;
  if (delay_exempts) {
    write.reason +=
        fmt::format(" (L, not U: the {} transport was late this session)", delay->route_name);
  }
  write.actor = store::Actor{who.user_id, who.name, who.role};
  write.at = school_.clock().NowSeconds();
  pending.reason_given = !m.reason.empty();
  pending.only_if_unmarked = m.only_if_unmarked;
  CommitMark(pending);
  RETURN_IF_ERROR(pending.status);
  // The mark is stored; it may open or close this pupil's cases.
  if (pending.changed) cases_.Check({pending.index});
  return MarkResult{pending.write, pending.changed, pending.previous};
}

core::StatusOr<std::vector<store::Amendment>> Registers::Amendments(const Principal& who,
                                                                    int64_t pupil_id) const {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.PupilFor(who, pupil_id, Action::kReadAmendments).status());
  }
  return school_.store().AmendmentsForPupil(pupil_id);
}

core::StatusOr<AmendmentReportView> Registers::AmendmentReport(
    const Principal& who, const AmendmentFilter& filter) const {
  AmendmentReportView out;
  std::vector<std::pair<int64_t, std::string>> pupils;  // id, name
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    out.school = snap.school.name;
    RETURN_IF_ERROR(school_.Allow(who, Action::kReadAmendmentReport, {}));
    for (const store::Pupil& p : snap.pupils) pupils.emplace_back(p.id, DisplayName(p));
  }
  ASSIGN_OR_RETURN(out.from, ParseDateParam(filter.from, "from"));
  ASSIGN_OR_RETURN(out.to, ParseDateParam(filter.to, "to"));
  const std::string from = out.from.ToString();
  const std::string to = out.to.ToString();
  const int64_t from_at = int64_t{out.from.days()} * 86400 - 86400;  // a day's margin for UK time
  const int64_t to_at = int64_t{out.to.days()} * 86400 + 2 * 86400;
  // Whoever may read the report may read every pupil's amendments
  // (kReadAmendments).
  for (const auto& [id, name] : pupils) {
    ASSIGN_OR_RETURN(std::vector<store::Amendment> list, school_.store().AmendmentsForPupil(id));
    for (store::Amendment& a : list) {
      if (!a.old_code || a.at < from_at || a.at >= to_at) continue;
      const std::string day = IsoTime(a.at).substr(0, 10);
      if (day < from || day > to) continue;
      if (!filter.by.empty() && a.by_name.find(filter.by) == std::string::npos) continue;
      if (!filter.code.empty() && core::SymbolOf(a.new_code) != filter.code &&
          core::SymbolOf(*a.old_code) != filter.code) {
        continue;
      }
      out.lines.push_back({std::move(a), name});
    }
  }
  std::sort(out.lines.begin(), out.lines.end(), [](const AmendmentLine& x, const AmendmentLine& y) {
    return std::tie(x.amendment.at, x.amendment.id) > std::tie(y.amendment.at, y.amendment.id);
  });
  return out;
}

// Group commit: the first writer to arrive becomes the leader and commits
// every mark queued meanwhile in one transaction (one fsync), then the next
// group, until the queue is empty; the others wait for their result. Each
// mark is checked against the snapshot as updated by the marks before it in
// the queue, so the result is as if they were committed one by one in order.
void Registers::CommitMark(PendingMark& mine) {
  std::unique_lock queue_lock(queue_mu_);
  queue_.push_back(&mine);
  if (committing_) {
    queue_cv_.wait(queue_lock, [&] { return mine.done; });
    return;
  }
  committing_ = true;
  while (!queue_.empty()) {
    std::vector<PendingMark*> group;
    group.swap(queue_);
    queue_lock.unlock();
    CommitGroup(group);
    queue_lock.lock();
    for (PendingMark* p : group) p->done = true;
    queue_cv_.notify_all();
  }
  committing_ = false;
}

void Registers::CommitGroup(const std::vector<PendingMark*>& group) {
  const auto write_lock = school_.BeginWrite();
  std::map<std::pair<int64_t, SessionKey>, SlotMark> overlay;  // marks decided in this group
  std::vector<store::MarkWrite> writes;
  std::vector<PendingMark*> writers;
  {
    auto lock = school_.Read();
    for (PendingMark* p : group) {
      const store::MarkWrite& w = p->write;
      const auto key = std::make_pair(w.pupil_id, w.slot);
      auto o = overlay.find(key);
      const SlotMark current = o != overlay.end() ? o->second : school_.MarkAt(p->index, w.slot);
      p->previous = current.code;
      if (current.code && *current.code == w.code && current.arrival == w.arrival_minute) {
        continue;  // the same mark again: nothing to write
      }
      if (current.code && p->only_if_unmarked) continue;  // marked meanwhile: left as it is
      if (current.code && !p->reason_given) {
        p->status = core::InvalidArgument(
            core::kErrReasonRequired,
            fmt::format("this session is already marked {}: give a reason for the amendment",
                        core::SymbolOf(*current.code)));
        continue;
      }
      overlay[key] = SlotMark{w.code, w.arrival_minute};
      writes.push_back(w);
      writers.push_back(p);
    }
  }
  if (writes.empty()) return;
  core::StatusOr<store::SaveMarksResult> saved =
      school_.store().SaveMarks(writes, *writes.front().actor, *writes.front().at);
  if (!saved.ok()) {
    for (PendingMark* p : writers) p->status = saved.status();
    return;
  }
  std::vector<size_t> indices;
  for (const PendingMark* p : writers) indices.push_back(p->index);
  school_.ApplyMarks(indices, [&](Snapshot& snap) {
    for (PendingMark* p : writers) {
      const store::MarkWrite& w = p->write;
      p->changed = true;
      SetMark(snap, p->index, w.pupil_id, w.slot, w.code, w.arrival_minute);
    }
  });
}

}  // namespace rollcall::service
