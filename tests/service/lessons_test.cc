// The lessons service: the timetable's import and its refusals, the day of
// a two-week cycle, taking a lesson's register (teachers only their own
// groups and today), the first lesson giving the statutory mark once and
// never over one, disagreements of each kind, internal truancy today and a
// pupil's pattern of it, and who may do what.
#include "service/lessons.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error_codes.h"
#include "service/access.h"
#include "service/school_fixture.h"

namespace rollcall::service {
namespace {

using core::AttendanceCode;

// Unpacks a StatusOr into `decl`, failing the test with its message.
#define ASSERT_OK_AND_ASSIGN_SVC(decl, expr) \
  ASSERT_OK_AND_ASSIGN_SVC_IMPL(ROLLCALL_CONCAT(lessons_or_, __LINE__), decl, expr)
#define ASSERT_OK_AND_ASSIGN_SVC_IMPL(tmp, decl, expr) \
  auto tmp = (expr);                                   \
  ASSERT_TRUE(tmp.ok()) << tmp.status().message();     \
  decl = std::move(tmp).value()

constexpr char kPeriods[] =
    "period,start,end,session,registration\n"
    "Reg,08:45,09:00,AM,yes\n"
    "P1,09:00,10:00,AM,no\n"
    "P2,10:00,11:00,AM,no\n"
    "P3,11:15,12:15,AM,no\n"
    "P4,13:15,14:15,PM,no\n";
constexpr char kGroups[] =
    "group,subject,teachers\n"
    "10X/Ma1,Mathematics,maths\n"
    "10X/En1,English,teacher;maths\n";
constexpr char kMembers[] =
    "group,upn\n"
    "10X/Ma1,A909123400001\n"
    "10X/Ma1,B909123400002\n"
    "10X/Ma1,C909123400003\n"
    "10X/En1,A909123400001\n"
    "10X/En1,B909123400002\n";
// Today, Wednesday 2026-11-25, is Wednesday of week A (week 1 began on
// Monday 2026-11-23): Ma1 in P1 and P3, En1 in P2. Wednesday of week B:
// Ma1 in P2 only.
constexpr char kLessons[] =
    "group,day,period,room\n"
    "10X/Ma1,Wed A,P1,M1\n"
    "10X/En1,Wed A,P2,E4\n"
    "10X/Ma1,Wed A,P3,M1\n"
    "10X/Ma1,Wed B,P2,M2\n";

class LessonsTest : public SchoolFixture {
 protected:
  LessonsTest() {
    c_ = AddPupil("C909123400003", class_3a_);
    maths_ = AddUser("maths", store::Role::kTeacher, "Ms Maths", {}, {});
    dsl_ = AddUser("dsl", store::Role::kSafeguardingLead, "Mr DSL", {}, {});
    EXPECT_TRUE(services_->Load().ok());
  }

  Lessons& lessons() { return services_->lessons(); }

  core::StatusOr<TimetableImportResult> Import(const std::string& source = "registration",
                                               const std::string& periods = kPeriods,
                                               const std::string& groups = kGroups,
                                               const std::string& members = kMembers,
                                               const std::string& lessons_csv = kLessons,
                                               const std::string& weeks = "2",
                                               const std::string& monday = "2026-11-23") {
    return lessons().ImportTimetable(office_, periods, groups, members, lessons_csv, weeks, monday,
                                     source);
  }

  // The id of the period or group with this name or code.
  int64_t PeriodId(const std::string& name) {
    const store::Timetable t = *store_->GetTimetable();
    for (const store::Period& p : t.periods) {
      if (p.name == name) return p.id;
    }
    ADD_FAILURE() << "no period " << name;
    return 0;
  }
  int64_t GroupId(const std::string& code) {
    const store::Timetable t = *store_->GetTimetable();
    for (const store::TeachingGroup& g : t.groups) {
      if (g.code == code) return g.id;
    }
    ADD_FAILURE() << "no group " << code;
    return 0;
  }

  core::StatusOr<LessonMarkResult> LessonMark(const Principal& who, const char* date,
                                              const std::string& period, const std::string& group,
                                              int64_t pupil, const char* code,
                                              const std::string& time = "",
                                              const std::string& reason = "") {
    return lessons().RecordLessonMark(who, {.date = date,
                                            .period = std::to_string(PeriodId(period)),
                                            .group = std::to_string(GroupId(group)),
                                            .pupil = std::to_string(pupil),
                                            .code = code,
                                            .arrival_time = time,
                                            .reason = reason});
  }

  // The statutory mark of `pupil` this morning, as stored.
  std::optional<AttendanceCode> Statutory(int64_t pupil, const char* date = "2026-11-25",
                                          core::Session session = core::Session::kAm) {
    for (const store::Mark& m : *store_->MarksForSession({D(date), session})) {
      if (m.pupil_id == pupil) return m.code;
    }
    return std::nullopt;
  }

  int64_t c_ = 0;
  Principal maths_, dsl_;
};

std::string Codes(const std::vector<LessonRef>& lessons) {
  std::string out;
  for (const LessonRef& l : lessons) out += (out.empty() ? "" : " ") + l.period + ":" + l.group;
  return out;
}

TEST_F(LessonsTest, ImportCountsWhatItWrote) {
  ASSERT_OK_AND_ASSIGN_SVC(TimetableImportResult r, Import());
  EXPECT_EQ(r.periods, 5);
  EXPECT_EQ(r.groups, 2);
  EXPECT_EQ(r.lessons, 4);
  EXPECT_EQ(r.memberships, 5);
  EXPECT_EQ(r.retired, 0);
  ASSERT_OK_AND_ASSIGN_SVC(store::Timetable t, lessons().Timetable(teacher_));
  EXPECT_EQ(t.cycle_weeks, 2);
  EXPECT_EQ(t.week1_monday, D("2026-11-23"));
  EXPECT_EQ(t.set_by, "Ms Office");
  EXPECT_EQ(lessons().Timetable(parent_).status().code(), core::kErrForbidden);
}

TEST_F(LessonsTest, TheDayOfATwoWeekCycle) {
  ASSERT_TRUE(Import().ok());
  auto on = [&](const Principal& who, const char* date) {
    core::StatusOr<std::vector<LessonRef>> l = lessons().LessonsOn(who, date);
    EXPECT_TRUE(l.ok()) << l.status().message();
    return l.ok() ? Codes(*l) : "error";
  };
  EXPECT_EQ(on(office_, "2026-11-25"), "P1:10X/Ma1 P2:10X/En1 P3:10X/Ma1");  // Wed A
  EXPECT_EQ(on(office_, "2026-12-02"), "P2:10X/Ma1");                        // Wed B
  EXPECT_EQ(on(office_, "2026-11-18"), "P2:10X/Ma1");  // the week before week 1: B
  EXPECT_EQ(on(office_, "2026-11-11"), "P1:10X/Ma1 P2:10X/En1 P3:10X/Ma1");  // A
  EXPECT_EQ(on(office_, "2026-12-09"), "P1:10X/Ma1 P2:10X/En1 P3:10X/Ma1");  // A again
  EXPECT_EQ(on(office_, "2026-11-24"), "");  // Tuesday: nothing timetabled
  EXPECT_EQ(on(office_, "2026-11-28"), "");  // Saturday
  EXPECT_EQ(on(office_, "2026-12-23"), "");  // the Christmas holiday: the school is closed
  // A teacher sees only the groups they teach.
  EXPECT_EQ(on(teacher_, "2026-11-25"), "P2:10X/En1");
  EXPECT_EQ(on(maths_, "2026-11-25"), "P1:10X/Ma1 P2:10X/En1 P3:10X/Ma1");
  ASSERT_OK_AND_ASSIGN_SVC(std::vector<LessonRef> today,
                           lessons().LessonsOn(office_, "2026-11-25"));
  EXPECT_EQ(today[0].pupils, 3);
  EXPECT_EQ(today[0].marked, 0);
  EXPECT_EQ(today[0].subject, "Mathematics");
  EXPECT_EQ(today[0].room, "M1");
  EXPECT_EQ(today[0].teachers, std::vector<std::string>{"Ms Maths"});
  EXPECT_FALSE(today[0].gives_statutory);  // a registration school
}

TEST_F(LessonsTest, ATeacherTakesTheirLessonsRegister) {
  ASSERT_TRUE(Import().ok());
  ASSERT_TRUE(LessonMark(maths_, "2026-11-25", "P1", "10X/Ma1", a_, "/").ok());
  ASSERT_OK_AND_ASSIGN_SVC(LessonMarkResult late,
                           LessonMark(maths_, "2026-11-25", "P1", "10X/Ma1", b_, "L", "09:10"));
  EXPECT_TRUE(late.changed);
  EXPECT_EQ(late.mark.arrival_minute, 9 * 60 + 10);
  ASSERT_TRUE(LessonMark(maths_, "2026-11-25", "P1", "10X/Ma1", c_, "N").ok());
  // The same mark again changes nothing.
  ASSERT_OK_AND_ASSIGN_SVC(LessonMarkResult again,
                           LessonMark(maths_, "2026-11-25", "P1", "10X/Ma1", a_, "/"));
  EXPECT_FALSE(again.changed);

  ASSERT_OK_AND_ASSIGN_SVC(
      LessonRegisterView view,
      lessons().LessonRegister(maths_, "2026-11-25", PeriodId("P1"), GroupId("10X/Ma1")));
  EXPECT_EQ(view.read_only, "");
  EXPECT_EQ(view.lesson.marked, 3);
  ASSERT_EQ(view.pupils.size(), 3u);  // by family name: A, B, C
  EXPECT_EQ(view.pupils[0].pupil_id, a_);
  EXPECT_EQ(view.pupils[0].form, "3A");
  EXPECT_EQ(view.pupils[1].mark->code, AttendanceCode::kLateBeforeClose);
  EXPECT_EQ(view.pupils[2].mark->code, AttendanceCode::kNoReasonYet);
  // A registration school: lessons never give the statutory mark.
  EXPECT_FALSE(Statutory(a_).has_value());
  EXPECT_FALSE(late.statutory_recorded.has_value());

  // A change needs a reason.
  EXPECT_EQ(LessonMark(maths_, "2026-11-25", "P1", "10X/Ma1", c_, "B").status().code(),
            core::kErrReasonRequired);
  ASSERT_TRUE(
      LessonMark(maths_, "2026-11-25", "P1", "10X/Ma1", c_, "B", "", "With the music service")
          .ok());
  ASSERT_OK_AND_ASSIGN_SVC(std::vector<store::LessonAmendment> trail,
                           store_->LessonAmendmentsOf(c_));
  ASSERT_EQ(trail.size(), 2u);
  EXPECT_EQ(trail[1].old_code, AttendanceCode::kNoReasonYet);
  EXPECT_EQ(trail[1].reason, "With the music service");
  EXPECT_EQ(trail[1].by_name, "Ms Maths");
}

TEST_F(LessonsTest, RefusalsWhenTakingALessonRegister) {
  ASSERT_TRUE(Import().ok());
  auto code = [](const core::StatusOr<LessonMarkResult>& r) {
    return r.ok() ? std::string("OK") : r.status().code();
  };
  // Not a group of theirs (teacher_ teaches En1, not Ma1).
  EXPECT_EQ(code(LessonMark(teacher_, "2026-11-25", "P1", "10X/Ma1", a_, "/")),
            core::kErrForbidden);
  EXPECT_EQ(lessons()
                .LessonRegister(teacher_, "2026-11-25", PeriodId("P1"), GroupId("10X/Ma1"))
                .status()
                .code(),
            core::kErrForbidden);
  // Another day's lesson: the office only.
  EXPECT_EQ(code(LessonMark(maths_, "2026-11-11", "P1", "10X/Ma1", a_, "/")), core::kErrForbidden);
  EXPECT_EQ(code(LessonMark(office_, "2026-11-11", "P1", "10X/Ma1", a_, "/")), "OK");
  // Before the lesson starts (P3 at 11:15; it is 10:00), and a future day.
  EXPECT_EQ(code(LessonMark(maths_, "2026-11-25", "P3", "10X/Ma1", a_, "/")),
            core::kErrRegisterNotOpen);
  EXPECT_EQ(code(LessonMark(office_, "2026-12-09", "P1", "10X/Ma1", a_, "/")),
            core::kErrSessionInFuture);
  // No such lesson today, no such pupil in the group, codes a lesson cannot have.
  EXPECT_EQ(code(LessonMark(maths_, "2026-11-25", "P2", "10X/Ma1", a_, "/")),
            core::kErrLessonNotTimetabled);
  EXPECT_EQ(code(LessonMark(teacher_, "2026-11-25", "P2", "10X/En1", c_, "/")),
            core::kErrPupilUnknown);
  for (const char* bad : {"U", "X", "#", "Z", "\\"}) {
    EXPECT_EQ(code(LessonMark(maths_, "2026-11-25", "P1", "10X/Ma1", a_, bad)),
              core::kErrLessonCodeInvalid)
        << bad;
  }
  EXPECT_EQ(code(LessonMark(maths_, "2026-11-25", "P1", "10X/Ma1", a_, "L")),
            core::kErrTimeInvalid);
  EXPECT_EQ(code(LessonMark(maths_, "2026-11-25", "P1", "10X/Ma1", a_, "L", "10:30")),
            core::kErrArrivalInFuture);
  EXPECT_EQ(code(LessonMark(maths_, "2026-11-25", "P1", "10X/Ma1", a_, "/", "09:05")),
            core::kErrTimeInvalid);
  EXPECT_EQ(code(LessonMark(parent_, "2026-11-25", "P1", "10X/Ma1", a_, "/")), core::kErrForbidden);
  // Nothing of those was recorded but the office's mark.
  ASSERT_OK_AND_ASSIGN_SVC(std::vector<store::LessonMark> marks,
                           store_->LessonMarksBetween(D("2026-11-01"), D("2026-12-31")));
  ASSERT_EQ(marks.size(), 1u);
  EXPECT_EQ(marks[0].date, D("2026-11-11"));
  // A past lesson is read-only for its teacher.
  ASSERT_OK_AND_ASSIGN_SVC(
      LessonRegisterView old,
      lessons().LessonRegister(maths_, "2026-11-11", PeriodId("P1"), GroupId("10X/Ma1")));
  EXPECT_NE(old.read_only, "");
}

TEST_F(LessonsTest, TheFirstLessonGivesTheStatutoryMarkOnceAndNeverOverOne) {
  ASSERT_TRUE(Import("first-lesson").ok());
  ASSERT_OK_AND_ASSIGN_SVC(std::vector<LessonRef> today,
                           lessons().LessonsOn(office_, "2026-11-25"));
  ASSERT_EQ(today.size(), 3u);
  EXPECT_TRUE(today[0].gives_statutory);   // P1 Ma1: first for a, b and c
  EXPECT_FALSE(today[1].gives_statutory);  // P2 En1: a and b had P1
  EXPECT_FALSE(today[2].gives_statutory);

  // a: present in P1 gives / (the maths teacher is not a's form tutor).
  ASSERT_OK_AND_ASSIGN_SVC(LessonMarkResult a,
                           LessonMark(maths_, "2026-11-25", "P1", "10X/Ma1", a_, "/"));
  EXPECT_EQ(a.statutory_recorded, AttendanceCode::kPresentAm);
  EXPECT_EQ(Statutory(a_), AttendanceCode::kPresentAm);
  ASSERT_OK_AND_ASSIGN_SVC(std::vector<store::Amendment> trail,
                           services_->registers().Amendments(office_, a_));
  ASSERT_EQ(trail.size(), 1u);
  EXPECT_EQ(trail[0].reason, "From the P1 lesson register");
  EXPECT_EQ(trail[0].by_name, "Ms Maths");
  // b: late at 09:10, before the register closed at 09:15: L.
  ASSERT_OK_AND_ASSIGN_SVC(LessonMarkResult b,
                           LessonMark(maths_, "2026-11-25", "P1", "10X/Ma1", b_, "L", "09:10"));
  EXPECT_EQ(b.statutory_recorded, AttendanceCode::kLateBeforeClose);
  // c was marked N at registration by the form tutor: the lesson leaves it.
  ASSERT_TRUE(Mark(teacher_, c_, "2026-11-25", "AM", "N").ok());
  ASSERT_OK_AND_ASSIGN_SVC(LessonMarkResult c,
                           LessonMark(maths_, "2026-11-25", "P1", "10X/Ma1", c_, "L", "09:20"));
  EXPECT_FALSE(c.statutory_recorded.has_value());
  EXPECT_EQ(Statutory(c_), AttendanceCode::kNoReasonYet);
  // A change of the P1 mark, with a reason, does not touch the statutory mark.
  ASSERT_TRUE(LessonMark(maths_, "2026-11-25", "P1", "10X/Ma1", a_, "N", "", "Misread").ok());
  EXPECT_EQ(Statutory(a_), AttendanceCode::kPresentAm);
  EXPECT_EQ(services_->registers().Amendments(office_, a_)->size(), 1u);
}

TEST_F(LessonsTest, ALaterLessonNeverGivesTheStatutoryMark) {
  ASSERT_TRUE(Import("first-lesson").ok());
  // En1 in P2 is not a's first lesson (Ma1 in P1 is, still unmarked).
  ASSERT_OK_AND_ASSIGN_SVC(LessonMarkResult r,
                           LessonMark(teacher_, "2026-11-25", "P2", "10X/En1", a_, "/"));
  EXPECT_FALSE(r.statutory_recorded.has_value());
  EXPECT_FALSE(Statutory(a_).has_value());
}

TEST_F(LessonsTest, ALateArrivalAfterTheCloseGivesU) {
  ASSERT_TRUE(Import("first-lesson").ok());
  ASSERT_OK_AND_ASSIGN_SVC(LessonMarkResult at_close,
                           LessonMark(maths_, "2026-11-25", "P1", "10X/Ma1", b_, "L", "09:15"));
  EXPECT_EQ(at_close.statutory_recorded, AttendanceCode::kLateAfterClose);
  ASSERT_OK_AND_ASSIGN_SVC(LessonMarkResult before,
                           LessonMark(maths_, "2026-11-25", "P1", "10X/Ma1", c_, "L", "09:14"));
  EXPECT_EQ(before.statutory_recorded, AttendanceCode::kLateBeforeClose);
}

TEST_F(LessonsTest, DisagreementsOfEachKind) {
  ASSERT_TRUE(Import().ok());
  // a: present at registration, present in P1, N in P2: internal truancy.
  ASSERT_TRUE(Mark(teacher_, a_, "2026-11-25", "AM", "/").ok());
  ASSERT_TRUE(LessonMark(maths_, "2026-11-25", "P1", "10X/Ma1", a_, "/").ok());
  ASSERT_TRUE(LessonMark(teacher_, "2026-11-25", "P2", "10X/En1", a_, "N").ok());
  // b: N at registration, present in P1.
  ASSERT_TRUE(Mark(office_, b_, "2026-11-25", "AM", "N").ok());
  ASSERT_TRUE(LessonMark(maths_, "2026-11-25", "P1", "10X/Ma1", b_, "/").ok());
  // c: no mark at registration, which closed at 09:15, present in P1.
  ASSERT_TRUE(LessonMark(maths_, "2026-11-25", "P1", "10X/Ma1", c_, "/").ok());

  ASSERT_OK_AND_ASSIGN_SVC(std::vector<DisagreementLine> lines,
                           lessons().Disagreements(office_, "2026-11-25", "2026-11-25"));
  ASSERT_EQ(lines.size(), 3u);  // newest lesson first, then by name
  EXPECT_EQ(lines[0].pupil_id, a_);
  EXPECT_EQ(lines[0].kind, core::Disagreement::kMissingFromLesson);
  EXPECT_EQ(lines[0].words, "Marked / at registration, missing (N) from P2 10X/En1 (English)");
  EXPECT_EQ(lines[1].pupil_id, b_);
  EXPECT_EQ(lines[1].kind, core::Disagreement::kSeenWhileAbsent);
  EXPECT_EQ(lines[1].words, "Marked N at registration, present in P1 10X/Ma1 (Mathematics)");
  EXPECT_EQ(lines[2].pupil_id, c_);
  EXPECT_EQ(lines[2].kind, core::Disagreement::kSeenButUnmarked);
  EXPECT_EQ(lines[2].form, "3A");
  EXPECT_EQ(lines[2].words,
            "No AM mark after the register closed, present in P1 10X/Ma1 (Mathematics)");
  // Before the close, a pupil seen but unmarked is no disagreement yet.
  clock_.Set(D("2026-11-26"), 9 * 60);
  ASSERT_OK_AND_ASSIGN_SVC(std::vector<DisagreementLine> yesterday,
                           lessons().Disagreements(dsl_, "2026-11-25", "2026-11-26"));
  EXPECT_EQ(yesterday.size(), 3u);
  EXPECT_EQ(lessons().Disagreements(teacher_, "2026-11-25", "2026-11-25").status().code(),
            core::kErrForbidden);
  EXPECT_EQ(lessons().Disagreements(office_, "2026-11-26", "2026-11-25").status().code(),
            core::kErrDateInvalid);
}

TEST_F(LessonsTest, SeenButUnmarkedWaitsForTheClose) {
  ASSERT_TRUE(Import().ok());
  clock_.Set(D("2026-11-25"), 9 * 60 + 5);
  ASSERT_TRUE(LessonMark(maths_, "2026-11-25", "P1", "10X/Ma1", c_, "/").ok());
  EXPECT_TRUE(lessons().Disagreements(office_, "2026-11-25", "2026-11-25")->empty());
  clock_.Set(D("2026-11-25"), 9 * 60 + 15);  // the register closes
  EXPECT_EQ(lessons().Disagreements(office_, "2026-11-25", "2026-11-25")->size(), 1u);
}

TEST_F(LessonsTest, TruancyTodayAndThePatternOverWeeks) {
  ASSERT_TRUE(Import().ok());
  // Two earlier Wednesdays and today: a present at registration, N in a
  // later lesson; b N at registration and N in lessons (absent, not truant).
  for (const char* day : {"2026-11-11", "2026-11-18"}) {
    ASSERT_TRUE(Mark(office_, a_, day, "AM", "/").ok());
    ASSERT_TRUE(Mark(office_, b_, day, "AM", "N").ok());
  }
  ASSERT_TRUE(LessonMark(office_, "2026-11-11", "P2", "10X/En1", a_, "N").ok());
  ASSERT_TRUE(LessonMark(office_, "2026-11-11", "P2", "10X/En1", b_, "N").ok());
  ASSERT_TRUE(LessonMark(office_, "2026-11-18", "P2", "10X/Ma1", a_, "N").ok());
  ASSERT_TRUE(Mark(teacher_, a_, "2026-11-25", "AM", "/").ok());
  ASSERT_TRUE(LessonMark(teacher_, "2026-11-25", "P2", "10X/En1", a_, "N").ok());
  ASSERT_TRUE(LessonMark(maths_, "2026-11-25", "P1", "10X/Ma1", a_, "I", "", "").ok());

  ASSERT_OK_AND_ASSIGN_SVC(std::vector<DisagreementLine> today, lessons().TruancyToday(office_));
  ASSERT_EQ(today.size(), 1u);
  EXPECT_EQ(today[0].pupil_id, a_);
  EXPECT_EQ(today[0].lesson.period, "P2");
  EXPECT_EQ(today[0].date, D("2026-11-25"));
  EXPECT_EQ(lessons().TruancyToday(teacher_).status().code(), core::kErrForbidden);

  ASSERT_OK_AND_ASSIGN_SVC(TruancyPatternView pattern, lessons().TruancyPattern(office_, a_, 6));
  ASSERT_EQ(pattern.missed.size(), 3u);  // newest first
  EXPECT_EQ(pattern.missed[0].date, D("2026-11-25"));
  EXPECT_EQ(pattern.missed[2].date, D("2026-11-11"));
  EXPECT_EQ(pattern.by_weekday[2], 3);  // Wednesdays
  EXPECT_EQ(pattern.by_weekday[0], 0);
  EXPECT_EQ(pattern.by_period.at("P2"), 3);
  EXPECT_EQ(pattern.by_subject.at("English"), 2);
  EXPECT_EQ(pattern.by_subject.at("Mathematics"), 1);
  EXPECT_EQ(pattern.from, D("2026-10-15"));
  ASSERT_OK_AND_ASSIGN_SVC(TruancyPatternView one_week, lessons().TruancyPattern(office_, a_, 1));
  EXPECT_EQ(one_week.missed.size(), 1u);
  ASSERT_OK_AND_ASSIGN_SVC(TruancyPatternView of_b, lessons().TruancyPattern(office_, b_, 6));
  EXPECT_TRUE(of_b.missed.empty());
  EXPECT_EQ(lessons().TruancyPattern(teacher_, b_, 6).status().code(), core::kErrForbidden);
}

// Reception's book says when a pupil was not on site: a lesson after they
// signed out, or before they signed in late, is no internal truancy.
TEST_F(LessonsTest, SigningOutOrInLateIsNoTruancy) {
  ASSERT_TRUE(Import().ok());
  clock_.Set(D("2026-11-25"), 10 * 60 + 30);
  const auto sign = [&](int64_t pupil, store::SignKind kind, int minute) {
    ASSERT_TRUE(store_
                    ->AddSignEvent({.pupil_id = pupil,
                                    .kind = kind,
                                    .slot = {D("2026-11-25"), core::Session::kAm},
                                    .minute = minute,
                                    .reason = "Dentist",
                                    .recorded_at = clock_.NowSeconds(),
                                    .recorded_by_id = office_.user_id})
                    .ok());
  };
  // a: present at registration, signed out at 09:55, N in P2 (10:00).
  ASSERT_TRUE(Mark(office_, a_, "2026-11-25", "AM", "/").ok());
  sign(a_, store::SignKind::kOut, 9 * 60 + 55);
  ASSERT_TRUE(LessonMark(office_, "2026-11-25", "P2", "10X/En1", a_, "N").ok());
  // b: signed in late at 09:10 (L), N in P1 (09:00) before it and in P2 after it.
  ASSERT_TRUE(Mark(office_, b_, "2026-11-25", "AM", "L", "", "09:10").ok());
  sign(b_, store::SignKind::kIn, 9 * 60 + 10);
  ASSERT_TRUE(LessonMark(office_, "2026-11-25", "P1", "10X/Ma1", b_, "N").ok());
  ASSERT_TRUE(LessonMark(office_, "2026-11-25", "P2", "10X/En1", b_, "N").ok());

  ASSERT_OK_AND_ASSIGN_SVC(std::vector<DisagreementLine> today, lessons().TruancyToday(office_));
  ASSERT_EQ(today.size(), 1u);
  EXPECT_EQ(today[0].pupil_id, b_);
  EXPECT_EQ(today[0].lesson.period, "P2");
  ASSERT_OK_AND_ASSIGN_SVC(std::vector<DisagreementLine> all,
                           lessons().Disagreements(office_, "2026-11-25", "2026-11-25"));
  EXPECT_EQ(all.size(), 1u);
  ASSERT_OK_AND_ASSIGN_SVC(TruancyPatternView of_a, lessons().TruancyPattern(office_, a_, 6));
  EXPECT_TRUE(of_a.missed.empty());
}

TEST_F(LessonsTest, MarkAllPresentMarksOnlyTheUnmarked) {
  ASSERT_TRUE(Import().ok());
  ASSERT_TRUE(LessonMark(maths_, "2026-11-25", "P1", "10X/Ma1", b_, "I").ok());
  ASSERT_TRUE(
      lessons().MarkAllPresent(maths_, "2026-11-25", PeriodId("P1"), GroupId("10X/Ma1")).ok());
  ASSERT_OK_AND_ASSIGN_SVC(
      LessonRegisterView view,
      lessons().LessonRegister(maths_, "2026-11-25", PeriodId("P1"), GroupId("10X/Ma1")));
  ASSERT_EQ(view.pupils.size(), 3u);
  EXPECT_EQ(view.pupils[0].mark->code, AttendanceCode::kPresentAm);
  EXPECT_EQ(view.pupils[1].mark->code, AttendanceCode::kIllness);
  EXPECT_EQ(view.pupils[2].mark->code, AttendanceCode::kPresentAm);
  EXPECT_EQ(
      lessons().MarkAllPresent(teacher_, "2026-11-25", PeriodId("P1"), GroupId("10X/Ma1")).code(),
      core::kErrForbidden);
}

TEST_F(LessonsTest, NotesSayWhyAPupilMayBeAway) {
  ASSERT_TRUE(Import().ok());
  ASSERT_TRUE(Mark(office_, b_, "2026-11-25", "AM", "I").ok());
  ASSERT_OK_AND_ASSIGN_SVC(
      LessonRegisterView view,
      lessons().LessonRegister(teacher_, "2026-11-25", PeriodId("P2"), GroupId("10X/En1")));
  ASSERT_EQ(view.pupils.size(), 2u);
  EXPECT_EQ(view.pupils[0].note, "");
  EXPECT_EQ(view.pupils[1].note, "Absent at registration (I)");
  EXPECT_EQ(view.pupils[1].statutory, AttendanceCode::kIllness);
}

// Each refusal names the file, the line and the problem, and writes nothing.
TEST_F(LessonsTest, EveryImportRefusal) {
  ASSERT_TRUE(Import().ok());
  const int64_t set_at = store_->GetTimetable()->set_at;
  clock_.AdvanceSeconds(60);
  struct Bad {
    const char* what;
    std::string periods, groups, members, lessons, weeks, monday, source;
    const char* words;
  };
  const std::string p = kPeriods, g = kGroups, m = kMembers, l = kLessons;
  const Bad kBad[] = {
      {"bad time", p + "P5,14:15,1515,PM,no\n", g, m, l, "2", "2026-11-23", "registration",
       "periods.csv line 7: period P5: start and end are times"},
      {"ends first", p + "P5,15:15,14:20,PM,no\n", g, m, l, "2", "2026-11-23", "registration",
       "periods.csv line 7: period P5 ends (14:20) before it starts (15:15)"},
      {"duplicate period", p + "P1,15:00,16:00,PM,no\n", g, m, l, "2", "2026-11-23", "registration",
       "periods.csv line 7: period P1 is listed twice"},
      {"bad session", p + "P5,15:00,16:00,EV,no\n", g, m, l, "2", "2026-11-23", "registration",
       "session is AM or PM"},
      {"overlap", p + "P5,14:00,15:00,PM,no\n", g, m, l, "2", "2026-11-23", "registration",
       "periods P4 (13:15-14:15) and P5 (14:00-15:00) overlap"},
      {"header", "period,start,finish,session,registration\n", g, m, l, "2", "2026-11-23",
       "registration", "periods.csv line 1: unknown column 'finish'"},
      {"unknown teacher", p, g + "11Y/Sc1,Science,nobody\n", m, l, "2", "2026-11-23",
       "registration", "groups.csv line 4: group 11Y/Sc1: no member of staff has the username"},
      {"duplicate group", p, g + "10X/Ma1,Maths,maths\n", m, l, "2", "2026-11-23", "registration",
       "groups.csv line 4: group 10X/Ma1 is listed twice"},
      {"unknown UPN", p, g, m + "10X/Ma1,Z999999999999\n", l, "2", "2026-11-23", "registration",
       "members.csv line 7: no pupil on the roll has the UPN 'Z999999999999'"},
      {"unknown group", p, g, m + "10X/Fr1,A909123400001\n", l, "2", "2026-11-23", "registration",
       "members.csv line 7: no group '10X/Fr1'"},
      {"bad day", p, g, m, l + "10X/En1,Wed,P4,E4\n", "2", "2026-11-23", "registration",
       "lessons.csv line 6: day is Mon to Fri with A or B"},
      {"unknown period", p, g, m, l + "10X/En1,Thu A,P9,E4\n", "2", "2026-11-23", "registration",
       "lessons.csv line 6: no period 'P9'"},
      {"twice in a slot", p, g, m, l + "10X/Ma1,Wed A,P1,M3\n", "2", "2026-11-23", "registration",
       "lessons.csv line 6: group 10X/Ma1 already meets on Wed A in P1 (line 2)"},
      {"pupil in two lessons at once", p, g, m, l + "10X/En1,Wed A,P1,E4\n", "2", "2026-11-23",
       "registration", "pupil A909123400001 is in"},
      {"cycle", p, g, m, l, "3", "2026-11-23", "registration", "1 or 2 weeks"},
      {"not a Monday", p, g, m, l, "2", "2026-11-24", "registration", "2026-11-24 is not one"},
      {"source", p, g, m, l, "2", "2026-11-23", "form-tutor", "'registration' or 'first-lesson'"},
      {"empty file", p, g, "", l, "2", "2026-11-23", "registration",
       "members.csv: the file is empty"},
  };
  for (const Bad& bad : kBad) {
    core::StatusOr<TimetableImportResult> r =
        lessons().ImportTimetable(office_, bad.periods, bad.groups, bad.members, bad.lessons,
                                  bad.weeks, bad.monday, bad.source);
    ASSERT_FALSE(r.ok()) << bad.what;
    EXPECT_EQ(r.status().code(), core::kErrTimetableInvalid) << bad.what;
    EXPECT_NE(r.status().message().find(bad.words), std::string::npos)
        << bad.what << ": " << r.status().message();
  }
  EXPECT_EQ(store_->GetTimetable()->set_at, set_at);
  EXPECT_EQ(store_->GetTimetable()->periods.size(), 5u);
  EXPECT_EQ(lessons()
                .ImportTimetable(teacher_, kPeriods, kGroups, kMembers, kLessons, "2", "2026-11-23",
                                 "registration")
                .status()
                .code(),
            core::kErrForbidden);
}

TEST_F(LessonsTest, WhoMayDoWhat) {
  using store::Role;
  const Subject none{};
  struct Row {
    Role role;
    bool read_timetable, manage, read_register, write_mark, disagreements;
  };
  const Row kRows[] = {
      {Role::kTeacher, true, false, true, true, false},
      {Role::kOffice, true, true, true, true, true},
      {Role::kHead, true, true, true, true, true},
      {Role::kGovernor, false, false, false, false, false},
      {Role::kLaOfficer, false, false, false, false, false},
      {Role::kParent, false, false, false, false, false},
      {Role::kSafeguardingLead, true, false, false, false, true},
      {Role::kSenco, true, false, false, false, false},
      {Role::kAttendanceOfficer, true, false, false, false, false},
  };
  for (const Row& row : kRows) {
    Principal who{.user_id = 1, .role = row.role, .name = "x", .la_code = "909"};
    auto ok = [&](Action a) { return Authorize(who, a, none, "909").ok(); };
    const std::string role(store::RoleName(row.role));
    EXPECT_EQ(ok(Action::kReadTimetable), row.read_timetable) << role;
    EXPECT_EQ(ok(Action::kManageTimetable), row.manage) << role;
    EXPECT_EQ(ok(Action::kReadLessonRegister), row.read_register) << role;
    EXPECT_EQ(ok(Action::kWriteLessonMark), row.write_mark) << role;
    EXPECT_EQ(ok(Action::kReadLessonDisagreements), row.disagreements) << role;
  }
  // An API token reads lesson registers with read:pupils and marks them with
  // write:marks; it never imports a timetable.
  Principal token{.user_id = 1, .role = Role::kOffice, .name = "MIS"};
  token.token_scopes = std::vector<ApiScope>{ApiScope::kReadPupils};
  EXPECT_TRUE(Authorize(token, Action::kReadLessonRegister, none, "909").ok());
  EXPECT_TRUE(Authorize(token, Action::kReadTimetable, none, "909").ok());
  EXPECT_FALSE(Authorize(token, Action::kWriteLessonMark, none, "909").ok());
  EXPECT_FALSE(Authorize(token, Action::kReadLessonDisagreements, none, "909").ok());
  token.token_scopes->push_back(ApiScope::kWriteMarks);
  EXPECT_TRUE(Authorize(token, Action::kWriteLessonMark, none, "909").ok());
  EXPECT_FALSE(Authorize(token, Action::kManageTimetable, none, "909").ok());
}

}  // namespace
}  // namespace rollcall::service
