// memory_store.cc: the in-memory Store, for tests and demos. Standard
// containers behind one mutex; it behaves like the SQLite store, down to the
// ids it assigns, the orders it returns, the references it checks and the
// CHECK constraints of migrations/sqlite (Internal DB_ERROR when broken), so
// that one test suite holds for both.
#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>
#include <utility>

#include "core/error_codes.h"
#include "store/store.h"

namespace rollcall::store {
namespace {

using core::Status;
using core::StatusOr;

Status ConstraintFailed(std::string_view what) {
  return core::Internal(core::kErrDbError, fmt::format("constraint failed: {}", what));
}

bool IsMinuteOfDay(int minute) { return minute >= 0 && minute < 24 * 60; }

bool IsStoredRole(Role role) {
  const int stored = static_cast<int>(role);
  return stored >= 1 && stored <= 6;
}

// A mark's primary key: pupil, date, session.
using MarkKey = std::tuple<int64_t, int32_t, int>;
MarkKey KeyOf(int64_t pupil_id, core::SessionKey slot) {
  return {pupil_id, slot.date.days(), static_cast<int>(slot.session)};
}

class MemoryStore final : public Store {
 public:
  StatusOr<School> GetSchool() override {
    std::lock_guard lock(mu_);
    if (!school_) return core::NotFound(core::kErrSchoolUnset, "the school has not been set up");
    return *school_;
  }

  Status SetSchool(const School& school) override {
    std::lock_guard lock(mu_);
    school_ = school;
    return core::OkStatus();
  }

  StatusOr<Settings> GetSettings() override {
    std::lock_guard lock(mu_);
    if (settings_.empty()) return core::NotFound(core::kErrSchoolUnset, "no settings saved");
    return settings_.back();
  }

  StatusOr<int64_t> SaveSettings(const Settings& settings) override {
    std::lock_guard lock(mu_);
    if (!IsMinuteOfDay(settings.am_start_minute) || !IsMinuteOfDay(settings.pm_start_minute)) {
      return ConstraintFailed("settings start minutes");
    }
    if (settings.register_close_minutes < 0 || settings.register_close_minutes > 30) {
      return ConstraintFailed("settings.register_close_minutes");
    }
    Settings saved = settings;
    saved.version = static_cast<int64_t>(settings_.size()) + 1;
    settings_.push_back(std::move(saved));
    return settings_.back().version;
  }

  StatusOr<std::vector<Settings>> SettingsHistory() override {
    std::lock_guard lock(mu_);
    return settings_;
  }

  StatusOr<std::vector<Term>> ListTerms() override {
    std::lock_guard lock(mu_);
    std::vector<Term> terms = terms_;
    std::sort(terms.begin(), terms.end(), [](const Term& a, const Term& b) {
      return std::tie(a.start, a.id) < std::tie(b.start, b.id);
    });
    return terms;
  }

  StatusOr<int64_t> AddTerm(const Term& term) override {
    std::lock_guard lock(mu_);
    if (term.start > term.end) return ConstraintFailed("terms.start_date <= end_date");
    Term saved = term;
    saved.id = static_cast<int64_t>(terms_.size()) + 1;
    terms_.push_back(std::move(saved));
    return terms_.back().id;
  }

  StatusOr<std::vector<Closure>> ListClosures() override {
    std::lock_guard lock(mu_);
    std::vector<Closure> closures;
    for (const auto& [date, closure] : closures_) closures.push_back(closure);
    return closures;
  }

  Status SetClosure(const Closure& closure) override {
    std::lock_guard lock(mu_);
    const int sessions = static_cast<int>(closure.sessions);
    if (sessions < 1 || sessions > 3) return ConstraintFailed("closures.sessions");
    closures_[closure.date] = closure;
    return core::OkStatus();
  }

  StatusOr<std::vector<Class>> ListClasses() override {
    std::lock_guard lock(mu_);
    std::vector<Class> classes;
    for (const auto& [id, c] : classes_) classes.push_back(WithTeachers(c));
    std::sort(classes.begin(), classes.end(), [](const Class& a, const Class& b) {
      return std::tie(a.name, a.id) < std::tie(b.name, b.id);
    });
    return classes;
  }

  StatusOr<int64_t> AddClass(const Class& c) override {
    std::lock_guard lock(mu_);
    for (int64_t user_id : c.teacher_ids) RETURN_IF_ERROR(RequireUser(user_id));
    const int64_t id = static_cast<int64_t>(classes_.size()) + 1;
    Class saved = c;
    saved.id = id;
    saved.teacher_ids.clear();  // held in class_teachers_
    classes_[id] = std::move(saved);
    for (int64_t user_id : c.teacher_ids) class_teachers_.insert({id, user_id});
    return id;
  }

  Status SetClassTeachers(int64_t class_id, const std::vector<int64_t>& user_ids) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(RequireClass(class_id));
    for (int64_t user_id : user_ids) RETURN_IF_ERROR(RequireUser(user_id));
    std::erase_if(class_teachers_, [&](const auto& link) { return link.first == class_id; });
    for (int64_t user_id : user_ids) class_teachers_.insert({class_id, user_id});
    return core::OkStatus();
  }

  StatusOr<std::vector<Pupil>> ListPupils() override {
    std::lock_guard lock(mu_);
    std::vector<Pupil> pupils;
    for (const auto& [id, pupil] : pupils_) pupils.push_back(pupil);
    return pupils;
  }

  StatusOr<Pupil> GetPupil(int64_t id) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(RequirePupil(id));
    return pupils_.at(id);
  }

  StatusOr<int64_t> AddPupil(const Pupil& pupil) override {
    std::lock_guard lock(mu_);
    Pupil saved = pupil;
    saved.id = static_cast<int64_t>(pupils_.size()) + 1;
    RETURN_IF_ERROR(CheckPupil(saved));
    Normalise(saved);
    const int64_t id = saved.id;
    pupils_[id] = std::move(saved);
    return id;
  }

  Status UpdatePupil(const Pupil& pupil) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(RequirePupil(pupil.id));
    RETURN_IF_ERROR(CheckPupil(pupil));
    Pupil saved = pupil;
    Normalise(saved);
    pupils_[pupil.id] = std::move(saved);
    return core::OkStatus();
  }

  StatusOr<int64_t> AddUser(const User& user) override {
    std::lock_guard lock(mu_);
    User saved = user;
    saved.id = static_cast<int64_t>(users_.size()) + 1;
    RETURN_IF_ERROR(CheckUser(saved));
    const int64_t id = saved.id;
    SaveUser(std::move(saved));
    return id;
  }

  Status UpdateUser(const User& user) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(RequireUser(user.id));
    RETURN_IF_ERROR(CheckUser(user));
    SaveUser(user);
    return core::OkStatus();
  }

  StatusOr<User> GetUser(int64_t id) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(RequireUser(id));
    return WithLinks(users_.at(id));
  }

  StatusOr<User> FindUserByName(std::string_view username) override {
    std::lock_guard lock(mu_);
    for (const auto& [id, user] : users_) {
      if (user.username == username) return WithLinks(user);
    }
    return core::NotFound(core::kErrUserUnknown, "no user with that name");
  }

  StatusOr<std::vector<User>> ListUsers() override {
    std::lock_guard lock(mu_);
    std::vector<User> users;
    for (const auto& [id, user] : users_) users.push_back(WithLinks(user));
    return users;
  }

  StatusOr<SaveMarksResult> SaveMarks(const std::vector<MarkWrite>& writes, const Actor& actor,
                                      int64_t at) override {
    std::lock_guard lock(mu_);
    // Stage every change first and apply only when the whole batch is good,
    // so a failing write leaves nothing behind.
    std::map<MarkKey, Mark> staged;
    std::vector<Amendment> amendments;
    SaveMarksResult result;
    for (const MarkWrite& write : writes) {
      const MarkKey key = KeyOf(write.pupil_id, write.slot);
      const Mark* old = nullptr;
      if (auto it = staged.find(key); it != staged.end()) {
        old = &it->second;
      } else if (auto stored = marks_.find(key); stored != marks_.end()) {
        old = &stored->second;
      }
      if (old != nullptr && old->code == write.code &&
          old->arrival_minute == write.arrival_minute) {
        ++result.unchanged;
        continue;
      }
      // The checks of the SQLite store, in its order: pupil, mark row, audit row.
      if (old == nullptr) RETURN_IF_ERROR(RequirePupil(write.pupil_id));
      const int session = static_cast<int>(write.slot.session);
      if (session != 1 && session != 2) return ConstraintFailed("marks.session");
      if (write.arrival_minute && !IsMinuteOfDay(*write.arrival_minute)) {
        return ConstraintFailed("marks.arrival_minute");
      }
      const Actor& who = write.actor ? *write.actor : actor;
      const int64_t when = write.at.value_or(at);
      if (!IsStoredRole(who.role)) return ConstraintFailed("mark_audit.by_role");
      Amendment a;
      a.id = static_cast<int64_t>(audit_.size() + amendments.size()) + 1;
      a.pupil_id = write.pupil_id;
      a.slot = write.slot;
      if (old != nullptr) {
        a.old_code = old->code;
        a.old_arrival_minute = old->arrival_minute;
      }
      a.new_code = write.code;
      a.new_arrival_minute = write.arrival_minute;
      a.reason = write.reason;
      a.at = when;
      a.by_user_id = who.user_id;
      a.by_name = who.name;
      a.by_role = who.role;
      amendments.push_back(std::move(a));
      staged[key] =
          Mark{write.pupil_id, write.slot, write.code, write.arrival_minute, when, who.user_id};
      ++result.changed;
    }
    for (auto& [key, mark] : staged) marks_[key] = std::move(mark);
    for (Amendment& a : amendments) audit_.push_back(std::move(a));
    return result;
  }

  StatusOr<std::vector<Mark>> MarksForSession(core::SessionKey slot) override {
    std::lock_guard lock(mu_);
    std::vector<Mark> marks;
    for (const auto& [key, mark] : marks_) {
      if (mark.slot == slot) marks.push_back(mark);
    }
    return marks;
  }

  StatusOr<std::vector<Mark>> MarksForPupil(int64_t pupil_id) override {
    std::lock_guard lock(mu_);
    std::vector<Mark> marks;
    auto it = marks_.lower_bound(MarkKey{pupil_id, std::numeric_limits<int32_t>::min(), 0});
    for (; it != marks_.end() && std::get<0>(it->first) == pupil_id; ++it) {
      marks.push_back(it->second);
    }
    return marks;
  }

  StatusOr<std::vector<Mark>> AllMarks() override {
    std::lock_guard lock(mu_);
    std::vector<Mark> marks;
    marks.reserve(marks_.size());
    for (const auto& [key, mark] : marks_) marks.push_back(mark);
    return marks;
  }

  StatusOr<std::vector<Amendment>> AmendmentsForPupil(int64_t pupil_id) override {
    std::lock_guard lock(mu_);
    std::vector<Amendment> amendments;
    for (const Amendment& a : audit_) {
      if (a.pupil_id == pupil_id) amendments.push_back(a);
    }
    return amendments;
  }

  StatusOr<int64_t> CountAmendments() override {
    std::lock_guard lock(mu_);
    return static_cast<int64_t>(audit_.size());
  }

  // One process holds a memory store: nobody else writes to it.
  StatusOr<std::optional<int64_t>> OutsideCommits() override { return std::optional<int64_t>(); }

  StatusOr<int64_t> AddAbsenceReport(const AbsenceReport& report) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(RequirePupil(report.pupil_id));
    if (report.from > report.to) return ConstraintFailed("absence_reports.date_from <= date_to");
    AbsenceReport saved = report;
    saved.id = static_cast<int64_t>(reports_.size()) + 1;
    // A new report is open, whatever the resolution fields say.
    saved.resolved_at.reset();
    saved.resolved_by = 0;
    saved.resolution.clear();
    reports_.push_back(std::move(saved));
    return reports_.back().id;
  }

  StatusOr<std::vector<AbsenceReport>> ListAbsenceReports(bool open_only) override {
    std::lock_guard lock(mu_);
    std::vector<AbsenceReport> reports;
    for (const AbsenceReport& r : reports_) {
      if (!open_only || !r.resolved_at) reports.push_back(r);
    }
    std::sort(reports.begin(), reports.end(), [](const AbsenceReport& a, const AbsenceReport& b) {
      return std::tie(a.reported_at, a.id) > std::tie(b.reported_at, b.id);
    });
    return reports;
  }

  Status ResolveAbsenceReport(int64_t id, int64_t at, int64_t by_user_id,
                              const std::string& resolution) override {
    std::lock_guard lock(mu_);
    if (id < 1 || id > static_cast<int64_t>(reports_.size())) {
      return core::NotFound(core::kErrReportUnknown,
                            fmt::format("no absence report with id {}", id));
    }
    AbsenceReport& report = reports_[static_cast<size_t>(id - 1)];
    if (report.resolved_at) {
      return core::Conflict(core::kErrReportResolved,
                            fmt::format("absence report {} is already resolved", id));
    }
    report.resolved_at = at;
    report.resolved_by = by_user_id;
    report.resolution = resolution;
    return core::OkStatus();
  }

  StatusOr<int64_t> AddContactLogEntry(const ContactLogEntry& entry) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(RequirePupil(entry.pupil_id));
    RETURN_IF_ERROR(CheckContactLogEntry(entry));
    return Append(contact_log_, entry);
  }

  StatusOr<std::vector<ContactLogEntry>> ContactLogForPupil(int64_t pupil_id) override {
    return ContactLogWhere([&](const ContactLogEntry& e) { return e.pupil_id == pupil_id; });
  }

  StatusOr<std::vector<ContactLogEntry>> ContactLogSince(int64_t since) override {
    return ContactLogWhere([&](const ContactLogEntry& e) { return e.at >= since; });
  }

  StatusOr<int64_t> OpenCmeCase(const CmeCase& c) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(RequirePupil(c.pupil_id));
    for (const CmeCase& other : cme_cases_) {
      if (other.pupil_id == c.pupil_id && !other.closed_at) {
        return core::Conflict(core::kErrCaseOpen,
                              fmt::format("pupil {} already has an open CME case", c.pupil_id));
      }
    }
    CmeCase saved = c;
    saved.closed_at.reset();  // a new case is open
    saved.outcome.clear();
    saved.closed_by_name.clear();
    return Append(cme_cases_, std::move(saved));
  }

  StatusOr<std::vector<CmeCase>> ListCmeCases(bool open_only) override {
    std::lock_guard lock(mu_);
    return Select(cme_cases_, [&](const CmeCase& c) { return !open_only || !c.closed_at; });
  }

  StatusOr<std::optional<CmeCase>> OpenCmeCaseOf(int64_t pupil_id) override {
    std::lock_guard lock(mu_);
    for (const CmeCase& c : cme_cases_) {
      if (c.pupil_id == pupil_id && !c.closed_at) return std::optional<CmeCase>(c);
    }
    return std::optional<CmeCase>();
  }

  Status CloseCmeCase(int64_t id, int64_t at, const std::string& outcome,
                      const std::string& by_name) override {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(CmeCase * c, OpenCase(id));
    c->closed_at = at;
    c->outcome = outcome;
    c->closed_by_name = by_name;
    return core::OkStatus();
  }

  StatusOr<int64_t> RecordCmeStep(const CmeStepRecord& record) override {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(CmeCase * c, OpenCase(record.case_id));
    (void)c;
    return Append(cme_steps_, record);
  }

  StatusOr<std::vector<CmeStepRecord>> CmeStepsFor(int64_t case_id) override {
    std::lock_guard lock(mu_);
    return Select(cme_steps_, [&](const CmeStepRecord& r) { return r.case_id == case_id; });
  }

  StatusOr<int64_t> AddStageRecord(const StageRecord& record) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(RequirePupil(record.pupil_id));
    return Append(stages_, record);
  }

  StatusOr<std::vector<StageRecord>> StageHistory(int64_t pupil_id) override {
    std::lock_guard lock(mu_);
    return Select(stages_, [&](const StageRecord& r) { return r.pupil_id == pupil_id; });
  }

  StatusOr<int64_t> AddSupportEvent(const SupportEvent& event) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(RequirePupil(event.pupil_id));
    RETURN_IF_ERROR(CheckSupportEvent(event));
    if (event.kind == SupportKind::kReview) {
      const bool found = std::any_of(events_.begin(), events_.end(), [&](const SupportEvent& e) {
        return e.id == *event.plan_id && e.pupil_id == event.pupil_id &&
               e.kind == SupportKind::kActionPlan;
      });
      if (!found) {
        return core::NotFound(core::kErrSupportPlan, fmt::format("pupil {} has no action plan {}",
                                                                 event.pupil_id, *event.plan_id));
      }
    }
    return Append(events_, event);
  }

  StatusOr<std::vector<SupportEvent>> SupportEventsFor(int64_t pupil_id) override {
    std::lock_guard lock(mu_);
    return Select(events_, [&](const SupportEvent& e) { return e.pupil_id == pupil_id; });
  }

  StatusOr<std::vector<SupportEvent>> AllSupportEvents() override {
    std::lock_guard lock(mu_);
    return events_;
  }

  StatusOr<int64_t> AddPartTimeTimetable(const PartTimeTimetable& t) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(RequirePupil(t.pupil_id));
    RETURN_IF_ERROR(CheckPartTimeTimetable(t));
    RETURN_IF_ERROR(CheckPartTimeOverlap(t, timetables_, part_time_reviews_));
    return Append(timetables_, t);
  }

  StatusOr<int64_t> AddPartTimeReview(const PartTimeReview& r) override {
    std::lock_guard lock(mu_);
    if (r.timetable_id < 1 || r.timetable_id > static_cast<int64_t>(timetables_.size())) {
      return core::NotFound(core::kErrPartTimeUnknown,
                            fmt::format("no part-time timetable with id {}", r.timetable_id));
    }
    const PartTimeTimetable& t = timetables_[static_cast<size_t>(r.timetable_id - 1)];
    RETURN_IF_ERROR(CheckPartTimeReview(
        r, t, core::EndInForce(t.end, TimetableReviewsOf(t, part_time_reviews_))));
    return Append(part_time_reviews_, r);
  }

  StatusOr<std::vector<PartTimeTimetable>> ListPartTimeTimetables() override {
    std::lock_guard lock(mu_);
    return timetables_;
  }

  StatusOr<std::vector<PartTimeReview>> ListPartTimeReviews() override {
    std::lock_guard lock(mu_);
    return part_time_reviews_;
  }

  StatusOr<std::vector<int64_t>> AddLetters(const std::vector<Letter>& letters) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(CheckLetters(letters));
    return InsertLetters(letters);
  }

  StatusOr<int64_t> AddLeaveRequest(const LeaveRequest& r) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(CheckLeaveRequest(r));
    RETURN_IF_ERROR(RequirePupil(r.pupil_id));
    return Append(leave_requests_, r);
  }

  StatusOr<std::vector<LeaveRequest>> ListLeaveRequests() override {
    std::lock_guard lock(mu_);
    return leave_requests_;
  }

  StatusOr<int64_t> DecideLeave(const LeaveDecision& d,
                                const std::optional<Letter>& letter) override {
    std::lock_guard lock(mu_);
    if (d.decision != "granted" && d.decision != "refused" && d.decision != "withdrawn") {
      return core::InvalidArgument(core::kErrLeaveInvalid,
                                   "a request is granted, refused or withdrawn");
    }
    if (letter) RETURN_IF_ERROR(CheckLetters({*letter}));
    if (d.request_id < 1 || d.request_id > static_cast<int64_t>(leave_requests_.size())) {
      return core::NotFound(core::kErrLeaveUnknown,
                            fmt::format("no leave request with id {}", d.request_id));
    }
    for (const LeaveDecision& o : leave_decisions_) {
      if (o.request_id == d.request_id) {
        return core::Conflict(core::kErrLeaveDecided, fmt::format("leave request {} is already {}",
                                                                  d.request_id, o.decision));
      }
    }
    LeaveDecision saved = d;
    if (letter) {
      ASSIGN_OR_RETURN(std::vector<int64_t> ids, InsertLetters({*letter}));
      saved.letter_id = ids.front();
    }
    return Append(leave_decisions_, saved);
  }

  StatusOr<std::vector<LeaveDecision>> ListLeaveDecisions() override {
    std::lock_guard lock(mu_);
    return leave_decisions_;
  }

  StatusOr<Letter> GetLetter(int64_t id) override {
    std::lock_guard lock(mu_);
    if (id < 1 || id > static_cast<int64_t>(letters_.size())) {
      return core::NotFound(core::kErrLetterUnknown, fmt::format("no letter with id {}", id));
    }
    return letters_[static_cast<size_t>(id - 1)];
  }

  StatusOr<std::vector<Letter>> LettersForPupil(int64_t pupil_id) override {
    std::lock_guard lock(mu_);
    return Select(letters_, [&](const Letter& l) { return l.pupil_id == pupil_id; });
  }

  StatusOr<std::vector<Letter>> LettersInBatch(int64_t batch) override {
    std::lock_guard lock(mu_);
    return Select(letters_, [&](const Letter& l) { return l.batch == batch; });
  }

  StatusOr<std::vector<Letter>> RecentBatches(int limit) override {
    std::lock_guard lock(mu_);
    std::vector<Letter> out;
    for (auto l = letters_.rbegin(); l != letters_.rend() && static_cast<int>(out.size()) < limit;
         ++l) {
      if (l->id == l->batch) out.push_back(*l);
    }
    return out;
  }

  StatusOr<int64_t> OpenPenaltyCase(const PenaltyCase& c) override {
    std::lock_guard lock(mu_);
    if (c.kind != "attendance" && c.kind != "local" && c.kind != "exclusion") {
      return core::InvalidArgument(core::kErrValueInvalid,
                                   "a penalty case is for attendance or an exclusion");
    }
    RETURN_IF_ERROR(RequirePupil(c.pupil_id));
    for (const PenaltyCase& o : penalty_cases_) {
      if (o.pupil_id == c.pupil_id && o.kind == c.kind && o.alert == c.alert) {
        return core::Conflict(core::kErrPenaltyCaseExists,
                              fmt::format("pupil {} already has a case for the alert of {}",
                                          c.pupil_id, c.alert.date.ToString()));
      }
    }
    return Append(penalty_cases_, c);
  }

  StatusOr<std::vector<PenaltyCase>> ListPenaltyCases() override {
    std::lock_guard lock(mu_);
    return penalty_cases_;
  }

  StatusOr<std::vector<PenaltyCase>> PenaltyCasesOf(int64_t pupil_id) override {
    std::lock_guard lock(mu_);
    return Select(penalty_cases_, [&](const PenaltyCase& c) { return c.pupil_id == pupil_id; });
  }

  StatusOr<int64_t> AddPenaltyEvent(const PenaltyEvent& e) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(CheckPenaltyEvent(e));
    if (e.case_id < 1 || e.case_id > static_cast<int64_t>(penalty_cases_.size())) {
      return core::NotFound(core::kErrPenaltyCaseUnknown,
                            fmt::format("no penalty case with id {}", e.case_id));
    }
    for (const PenaltyEvent& o : penalty_events_) {
      if (o.case_id == e.case_id && o.kind == "closed") {
        return core::Conflict(core::kErrPenaltyCaseClosed,
                              fmt::format("penalty case {} is closed", e.case_id));
      }
    }
    if (e.notice_id) {
      const bool found =
          std::any_of(penalty_events_.begin(), penalty_events_.end(), [&](const PenaltyEvent& o) {
            return o.id == *e.notice_id && o.case_id == e.case_id && o.kind == "notice";
          });
      if (!found) {
        return core::NotFound(core::kErrPenaltyNoticeUnknown,
                              fmt::format("case {} has no notice {}", e.case_id, *e.notice_id));
      }
    }
    return Append(penalty_events_, e);
  }

  StatusOr<std::vector<PenaltyEvent>> PenaltyEvents() override {
    std::lock_guard lock(mu_);
    return penalty_events_;
  }

  StatusOr<int64_t> AddEvidencePack(const EvidencePack& pack) override {
    std::lock_guard lock(mu_);
    if (pack.case_id < 1 || pack.case_id > static_cast<int64_t>(penalty_cases_.size())) {
      return core::NotFound(core::kErrPenaltyCaseUnknown,
                            fmt::format("no penalty case with id {}", pack.case_id));
    }
    if (nlohmann::json::parse(pack.content, nullptr, false).is_discarded()) {
      return core::InvalidArgument(core::kErrValueInvalid,
                                   "an evidence pack's content must be JSON");
    }
    return Append(evidence_packs_, pack);
  }

  StatusOr<std::vector<EvidencePack>> EvidencePacksFor(int64_t case_id) override {
    std::lock_guard lock(mu_);
    return Select(evidence_packs_, [&](const EvidencePack& p) { return p.case_id == case_id; });
  }

  StatusOr<int64_t> AddNotificationEvent(const NotificationEvent& event) override {
    std::lock_guard lock(mu_);
    if (event.status != "sent" && event.status != "acknowledged") {
      return core::InvalidArgument(core::kErrValueInvalid,
                                   "a notification's status is sent or acknowledged");
    }
    return Append(notifications_, event);
  }

  StatusOr<std::vector<NotificationEvent>> NotificationEvents() override {
    std::lock_guard lock(mu_);
    return notifications_;
  }

  Status CreateAuthSession(const AuthSession& session) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(RequireUser(session.user_id));
    if (auth_sessions_.contains(session.token_hash)) {
      return ConstraintFailed("auth_sessions.token_hash is unique");
    }
    auth_sessions_.emplace(session.token_hash, session);
    return core::OkStatus();
  }

  StatusOr<AuthSession> FindAuthSession(std::string_view token_hash) override {
    std::lock_guard lock(mu_);
    auto it = auth_sessions_.find(token_hash);
    if (it == auth_sessions_.end()) {
      return core::NotFound(core::kErrSessionUnknown, "no such login session");
    }
    return it->second;
  }

  Status DeleteAuthSession(std::string_view token_hash) override {
    std::lock_guard lock(mu_);
    auto it = auth_sessions_.find(token_hash);
    if (it != auth_sessions_.end()) auth_sessions_.erase(it);
    return core::OkStatus();
  }

  Status SetPassword(int64_t user_id, std::string_view password_hash) override {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(RequireUser(user_id));
    User user = WithLinks(users_.at(user_id));
    user.password_hash = std::string(password_hash);
    SaveUser(std::move(user));
    std::erase_if(auth_sessions_,
                  [&](const auto& entry) { return entry.second.user_id == user_id; });
    return core::OkStatus();
  }

  Status DeleteExpiredAuthSessions(int64_t now) override {
    std::lock_guard lock(mu_);
    std::erase_if(auth_sessions_,
                  [&](const auto& entry) { return entry.second.expires_at <= now; });
    return core::OkStatus();
  }

 private:
  Status RequireUser(int64_t id) const {
    if (users_.contains(id)) return core::OkStatus();
    return core::NotFound(core::kErrUserUnknown, fmt::format("no user with id {}", id));
  }
  Status RequireClass(int64_t id) const {
    if (classes_.contains(id)) return core::OkStatus();
    return core::NotFound(core::kErrClassUnknown, fmt::format("no class with id {}", id));
  }
  Status RequirePupil(int64_t id) const {
    if (pupils_.contains(id)) return core::OkStatus();
    return core::NotFound(core::kErrPupilUnknown, fmt::format("no pupil with id {}", id));
  }
  // Appends `row` to a table whose row i + 1 is at index i, and returns its id.
  template <typename Row>
  static int64_t Append(std::vector<Row>& table, Row row) {
    row.id = static_cast<int64_t>(table.size()) + 1;
    table.push_back(std::move(row));
    return table.back().id;
  }
  // The rows of `table` for which `pred` holds, in id order.
  template <typename Row, typename Pred>
  static std::vector<Row> Select(const std::vector<Row>& table, Pred pred) {
    std::vector<Row> out;
    for (const Row& r : table) {
      if (pred(r)) out.push_back(r);
    }
    return out;
  }
  // Appends a batch of letters and their contact-log entries (checked).
  StatusOr<std::vector<int64_t>> InsertLetters(const std::vector<Letter>& letters) {
    for (const Letter& l : letters) RETURN_IF_ERROR(RequirePupil(l.pupil_id));
    const int64_t batch = static_cast<int64_t>(letters_.size()) + 1;
    std::vector<int64_t> ids;
    for (Letter l : letters) {
      l.batch = batch;
      if (l.figures_json.empty()) l.figures_json = "{}";
      ids.push_back(Append(letters_, l));
      Append(contact_log_,
             ContactLogEntry{.pupil_id = l.pupil_id,
                             .at = l.at,
                             .method = ContactMethod::kLetter,
                             .contact_name = l.addressee,
                             .outcome = ContactOutcome::kSent,
                             .note = fmt::format("{} (letter {})", l.subject, ids.back()),
                             .by_user_id = l.by_user_id,
                             .by_name = l.by_name,
                             .by_role = l.by_role});
    }
    return ids;
  }
  // The open case `id`: NotFound or Conflict as the Store interface says.
  StatusOr<CmeCase*> OpenCase(int64_t id) {
    if (id < 1 || id > static_cast<int64_t>(cme_cases_.size())) {
      return core::NotFound(core::kErrCaseUnknown, fmt::format("no CME case with id {}", id));
    }
    CmeCase* c = &cme_cases_[static_cast<size_t>(id - 1)];
    if (c->closed_at) {
      return core::Conflict(core::kErrCaseClosed, fmt::format("CME case {} is closed", id));
    }
    return c;
  }
  // Newest first, as the SQLite store's ORDER BY at DESC, id DESC.
  template <typename Pred>
  std::vector<ContactLogEntry> ContactLogWhere(Pred pred) {
    std::lock_guard lock(mu_);
    std::vector<ContactLogEntry> out = Select(contact_log_, pred);
    std::sort(out.begin(), out.end(), [](const ContactLogEntry& a, const ContactLogEntry& b) {
      return std::tie(a.at, a.id) > std::tie(b.at, b.id);
    });
    return out;
  }

  // The checks of sqlite_store_people.cc, in the same order.
  Status CheckPupil(const Pupil& pupil) const {
    if (pupil.class_id) RETURN_IF_ERROR(RequireClass(*pupil.class_id));
    for (const Contact& contact : pupil.contacts) {
      if (contact.user_id) RETURN_IF_ERROR(RequireUser(*contact.user_id));
    }
    for (const auto& [id, other] : pupils_) {
      if (other.upn == pupil.upn && id != pupil.id) {
        return core::Conflict(core::kErrPupilDuplicate, "another pupil already has this UPN");
      }
    }
    return core::OkStatus();
  }

  Status CheckUser(const User& user) const {
    for (const auto& [id, other] : users_) {
      if (other.username == user.username && id != user.id) {
        return core::Conflict(core::kErrUserDuplicate,
                              fmt::format("the username '{}' is already taken", user.username));
      }
    }
    for (int64_t class_id : user.class_ids) RETURN_IF_ERROR(RequireClass(class_id));
    for (int64_t pupil_id : user.pupil_ids) RETURN_IF_ERROR(RequirePupil(pupil_id));
    if (!IsStoredRole(user.role)) return ConstraintFailed("users.role");
    return core::OkStatus();
  }

  // The orders the SQLite store reads child rows in; ties keep their order.
  static void Normalise(Pupil& pupil) {
    std::stable_sort(pupil.flags.begin(), pupil.flags.end(),
                     [](const CohortFlag& a, const CohortFlag& b) {
                       return std::tie(a.from, a.flag) < std::tie(b.from, b.flag);
                     });
    std::stable_sort(pupil.enrolments.begin(), pupil.enrolments.end(),
                     [](const Enrolment& a, const Enrolment& b) { return a.start < b.start; });
    std::stable_sort(pupil.contacts.begin(), pupil.contacts.end(),
                     [](const Contact& a, const Contact& b) { return a.priority < b.priority; });
  }

  // Stores the user's row and replaces its classes and children.
  void SaveUser(User user) {
    const int64_t id = user.id;
    std::erase_if(class_teachers_, [&](const auto& link) { return link.second == id; });
    std::erase_if(parent_links_, [&](const auto& link) { return link.first == id; });
    for (int64_t class_id : user.class_ids) class_teachers_.insert({class_id, id});
    for (int64_t pupil_id : user.pupil_ids) parent_links_.insert({id, pupil_id});
    user.class_ids.clear();
    user.pupil_ids.clear();
    users_[id] = std::move(user);
  }

  Class WithTeachers(Class c) const {
    for (const auto& [class_id, user_id] : class_teachers_) {
      if (class_id == c.id) c.teacher_ids.push_back(user_id);
    }
    return c;
  }

  User WithLinks(User user) const {
    for (const auto& [class_id, user_id] : class_teachers_) {
      if (user_id == user.id) user.class_ids.push_back(class_id);
    }
    std::sort(user.class_ids.begin(), user.class_ids.end());
    for (const auto& [user_id, pupil_id] : parent_links_) {
      if (user_id == user.id) user.pupil_ids.push_back(pupil_id);
    }
    return user;
  }

  std::mutex mu_;
  std::optional<School> school_;
  std::vector<Settings> settings_;  // version i + 1 at index i
  std::vector<Term> terms_;         // id i + 1 at index i
  std::map<core::Date, Closure> closures_;
  std::map<int64_t, Class> classes_;                      // teacher_ids empty: see class_teachers_
  std::set<std::pair<int64_t, int64_t>> class_teachers_;  // (class id, user id)
  std::map<int64_t, Pupil> pupils_;                       // flags etc. kept sorted
  std::map<int64_t, User> users_;  // class_ids, pupil_ids empty: see the link sets
  std::set<std::pair<int64_t, int64_t>> parent_links_;  // (user id, pupil id)
  std::map<MarkKey, Mark> marks_;
  std::vector<Amendment> audit_;                   // id i + 1 at index i
  std::vector<AbsenceReport> reports_;             // id i + 1 at index i
  std::vector<ContactLogEntry> contact_log_;       // id i + 1 at index i
  std::vector<CmeCase> cme_cases_;                 // id i + 1 at index i
  std::vector<CmeStepRecord> cme_steps_;           // id i + 1 at index i
  std::vector<StageRecord> stages_;                // id i + 1 at index i
  std::vector<SupportEvent> events_;               // id i + 1 at index i
  std::vector<PartTimeTimetable> timetables_;      // id i + 1 at index i
  std::vector<PartTimeReview> part_time_reviews_;  // id i + 1 at index i
  std::vector<Letter> letters_;                    // id i + 1 at index i
  std::vector<LeaveRequest> leave_requests_;       // id i + 1 at index i
  std::vector<LeaveDecision> leave_decisions_;     // id i + 1 at index i
  std::vector<PenaltyCase> penalty_cases_;         // id i + 1 at index i
  std::vector<PenaltyEvent> penalty_events_;       // id i + 1 at index i
  std::vector<EvidencePack> evidence_packs_;       // id i + 1 at index i
  std::vector<NotificationEvent> notifications_;   // id i + 1 at index i
  std::map<std::string, AuthSession, std::less<>> auth_sessions_;
};

}  // namespace

std::unique_ptr<Store> NewMemoryStore() { return std::make_unique<MemoryStore>(); }

}  // namespace rollcall::store
