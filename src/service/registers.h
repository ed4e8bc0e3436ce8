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
#include "service/school_views.h"
#include "store/store.h"

namespace rollcall::service {

// One mark as a person entered it (text fields, checked here).
struct MarkRequest {
  std::string date, session, pupil, code, reason, arrival_time;
  // The office confirmed turning an illness (I) into unauthorised absence
  // although no medical evidence was asked for it (EVIDENCE_NOT_ASKED).
  bool evidence_confirmed = false;
  // Record only a session's first mark, never change one: a lesson giving
  // the statutory mark (lessons.h). When the session is marked by then, the
  // result has changed = false and previous set, and nothing is written.
  bool only_if_unmarked = false;
};

// A register as a teacher or the office sees it: one session, one class or
// the whole school, every pupil on roll that day with their mark.
struct RegisterRow {
  int64_t pupil_id = 0;
  std::string name;
  std::optional<int64_t> class_id;     // the pupil's class
  std::optional<store::Mark> mark;     // nullopt: not yet marked
  std::string recorded_by;             // the name of whoever marked it
  std::optional<PlannedCode> planned;  // leave or a part-time timetable
};
// Where today's register stands by the school's clock.
enum class RegisterState : uint8_t {
  kNotToday,    // another day's register
  kNotOpenYet,  // before its opening time: no marks yet
  kOpen,        // a late arrival now is L
  kClosed,      // a late arrival now is U
};
struct RegisterView {
  core::SessionKey slot;
  bool open = false;                      // a school session, not a closure or holiday
  int opens = 0, starts = 0, closes = 0;  // minutes after midnight
  RegisterState state = RegisterState::kNotToday;
  // The school's clock when the view was made, and the moments today's
  // register opens and closes (Unix seconds): the page's countdown runs on
  // these, not on the reader's computer clock.
  int64_t now = 0, opens_at = 0, closes_at = 0;
  // Empty when the reader may record marks in this register now; else why
  // not, in words for the page (the register is shown read-only).
  std::string read_only;
  std::optional<store::Class> of_class;
  std::vector<RegisterRow> pupils;
};

// The register page: what it offers whichever register is chosen, and the
// chosen one.
struct RegisterPageView {
  std::string school;                          // the school's name, for the page's heading
  core::Session session = core::Session::kAm;  // as asked, else the one under way now
  // The classes whose registers the reader may see (kReadRegister), by id.
  std::vector<ClassRef> classes;
  // The chosen class's register; nullopt when no class is chosen or the
  // school has no such class.
  std::optional<RegisterView> chosen;
};

// A class's register for a whole day, to print: the fire register at an
// evacuation, and the record of who came late and when.
struct DayRegisterRow {
  int64_t pupil_id = 0;
  std::string name;
  std::optional<store::Mark> am, pm;  // nullopt: not marked (or no session)
  // In school by the latest mark of the day up to the session under way:
  // present, late (L) or late after the register closed (U). A pupil away
  // on an approved activity (a trip, another school) is not on the site.
  bool in_school = false;
};
struct DayRegisterView {
  std::string school;
  core::Date date;
  store::Class of_class;
  bool open_am = false, open_pm = false;  // school sessions, not closures or holidays
  // The session under way when printed (today), else the afternoon: the
  // marks up to it say who is in school.
  core::Session latest = core::Session::kPm;
  std::vector<DayRegisterRow> pupils;  // every pupil on roll that day
  int in_school = 0;
  int64_t printed_at = 0;  // seconds since the epoch
};

// The amendments report's filter as a person enters it: the first and last
// days (YYYY-MM-DD); part of the name of whoever amended ("" for anyone);
// a code the mark was changed from or to ("" for any).
struct AmendmentFilter {
  std::string from, to, by, code;
};
struct AmendmentLine {
  store::Amendment amendment;  // old_code is set: a change, not a first mark
  std::string pupil;           // the pupil's name (DisplayName)
};
struct AmendmentReportView {
  std::string school;
  core::Date from, to;
  std::vector<AmendmentLine> lines;  // newest first
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

  // The register page for `class_id` (none: no register, only the choice
  // of one). `session` other than AM or PM asks for the session under way
  // now: the morning's until the afternoon session starts. The chosen
  // register is Register's, with its checks and refusals.
  core::StatusOr<RegisterPageView> RegisterPage(const Principal& who, const std::string& date,
                                                const std::string& session,
                                                std::optional<int64_t> class_id) const;

  // The day's register of `class_id` on `date` (YYYY-MM-DD), both
  // sessions, for whoever may read that class's register (kReadRegister).
  core::StatusOr<DayRegisterView> DayRegister(const Principal& who, const std::string& date,
                                              int64_t class_id) const;

  // One pupil's row of the register for `slot`, as the register page
  // redraws it after a mark, for those who may read the pupil (kReadPupil):
  // NotFound PUPIL_UNKNOWN or PermissionDenied otherwise. The mark is the
  // one the school holds now: its code and arrival time, not who recorded
  // it. Without a slot, the row has no mark and no planned code.
  core::StatusOr<RegisterRow> Row(const Principal& who, int64_t pupil_id,
                                  std::optional<core::SessionKey> slot) const;

  // Records every pupil on roll in `class_id` who has no mark for the
  // session yet: present, or the code already decided for them (granted
  // leave, off a part-time timetable) with its reason. Each is RecordMark's,
  // with its checks; the first refusal stops the rest.
  core::Status MarkAllPresent(const Principal& who, const std::string& date,
                              const std::string& session, int64_t class_id);

  // Records (or, with a reason, amends) one mark as `who`, now. Checks: the
  // date and session, no session after today and none of today's before
  // its register opens (MayMarkNow), the pupil exists and `who` may mark
  // them (teachers only today's registers), a late mark's arrival time is
  // not later than now and decides L or U by the register's close (L after
  // it too when a delay is recorded for the pupil's transport route that
  // session: the reason then names the route), the code
  // is valid for that pupil and day (core::CheckMark), and an amendment
  // gives a reason. Changing an I to an unauthorised code when no medical
  // evidence was asked for the illness is refused with Conflict
  // EVIDENCE_NOT_ASKED, saying the school's rule, unless
  // m.evidence_confirmed.
  core::StatusOr<MarkResult> RecordMark(const Principal& who, const MarkRequest& m);

  // A pupil's audit trail: every recording and change of their marks, with
  // who, when and why, oldest first.
  core::StatusOr<std::vector<store::Amendment>> Amendments(const Principal& who,
                                                           int64_t pupil_id) const;

  // Every amendment of the school's marks made from `filter.from` to
  // `filter.to` (kReadAmendmentReport), newest first, that `filter` keeps.
  core::StatusOr<AmendmentReportView> AmendmentReport(const Principal& who,
                                                      const AmendmentFilter& filter) const;

  // The planned codes (leave, part-time timetables) the register shows.
  const PartTime& part_time() const { return part_time_; }

 private:
  // Ok when `who` may record marks for `slot` now, whichever pupils they
  // may mark: SESSION_IN_FUTURE after today, REGISTER_NOT_OPEN before
  // today's register opens, FORBIDDEN for a teacher before today. Requires
  // the school's lock.
  core::Status MayMarkNow(const Principal& who, core::SessionKey slot) const;

  // A validated mark waiting for the group commit, and its result.
  struct PendingMark {
    store::MarkWrite write;  // actor and time set
    size_t index = 0;        // the pupil's index in the snapshot
    bool reason_given = false;
    bool only_if_unmarked = false;
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
