// The one store suite, continued (instantiated for every backend in
// store_test.cc): the timetable and lesson marks with their audit trail.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error_codes.h"
#include "raw_sqlite.h"
#include "store/store.h"
#include "store_test_util.h"

namespace rollcall::store {
namespace {

using core::AttendanceCode;
using core::Session;
using testing::D;
using testing::StoreTest;

const Actor kHead{.user_id = 3, .name = "Mrs Head", .role = Role::kHead};

Period MakePeriod(const std::string& name, int start, int end, Session session,
                  bool registration = false) {
  return {.name = name,
          .start_minute = start,
          .end_minute = end,
          .session = session,
          .registration = registration};
}

// A small two-week timetable: registration, two morning lessons and one
// afternoon lesson; 10X/Ma1 meets on Monday of week 1 in P1 and Monday of
// week 2 in P2, 10X/En1 on Monday of week 1 in P2.
Timetable SmallTimetable(int64_t teacher, const std::vector<int64_t>& pupils) {
  Timetable t;
  t.cycle_weeks = 2;
  t.week1_monday = D("2025-09-01");
  t.source = core::StatutorySource::kFirstLesson;
  t.periods = {MakePeriod("Reg", 8 * 60 + 40, 9 * 60, Session::kAm, true),
               MakePeriod("P1", 9 * 60, 10 * 60, Session::kAm),
               MakePeriod("P2", 10 * 60, 11 * 60, Session::kAm),
               MakePeriod("P4", 13 * 60 + 30, 14 * 60 + 30, Session::kPm)};
  t.groups = {TeachingGroup{.code = "10X/Ma1",
                            .subject = "Mathematics",
                            .teacher_ids = {teacher},
                            .pupil_ids = pupils},
              TeachingGroup{.code = "10X/En1",
                            .subject = "English",
                            .teacher_ids = {teacher},
                            .pupil_ids = {pupils.front()}}};
  t.lessons = {{.group_id = 0, .cycle_day = 1, .period_id = 1, .room = "M1"},
               {.group_id = 1, .cycle_day = 1, .period_id = 2, .room = "E4"},
               {.group_id = 0, .cycle_day = 6, .period_id = 2, .room = "M2"}};
  return t;
}

const Period* PeriodNamed(const Timetable& t, const std::string& name) {
  for (const Period& p : t.periods) {
    if (p.name == name) return &p;
  }
  return nullptr;
}
const TeachingGroup* GroupCoded(const Timetable& t, const std::string& code) {
  for (const TeachingGroup& g : t.groups) {
    if (g.code == code) return &g;
  }
  return nullptr;
}

TEST_P(StoreTest, NoTimetableUntilOneIsSet) {
  ASSERT_OK_AND_ASSIGN(Timetable t, store().GetTimetable());
  EXPECT_TRUE(t.periods.empty());
  EXPECT_TRUE(t.groups.empty());
  EXPECT_TRUE(t.lessons.empty());
  EXPECT_EQ(t.source, core::StatutorySource::kRegistration);
}

TEST_P(StoreTest, ATimetableRoundTrips) {
  const int64_t teacher = AddTestUser("teacher");
  const int64_t a = AddTestPupil("A000000000001");
  const int64_t b = AddTestPupil("A000000000002");
  ASSERT_OK(store().SetTimetable(SmallTimetable(teacher, {b, a}), kHead, 500));
  ASSERT_OK_AND_ASSIGN(Timetable t, store().GetTimetable());
  EXPECT_EQ(t.cycle_weeks, 2);
  EXPECT_EQ(t.week1_monday, D("2025-09-01"));
  EXPECT_EQ(t.source, core::StatutorySource::kFirstLesson);
  EXPECT_EQ(t.set_at, 500);
  EXPECT_EQ(t.set_by, "Mrs Head");
  ASSERT_EQ(t.periods.size(), 4u);  // by start
  EXPECT_EQ(t.periods[0].name, "Reg");
  EXPECT_TRUE(t.periods[0].registration);
  EXPECT_EQ(t.periods[3].name, "P4");
  EXPECT_EQ(t.periods[3].session, Session::kPm);
  EXPECT_EQ(t.periods[3].start_minute, 13 * 60 + 30);
  EXPECT_EQ(t.periods[3].end_minute, 14 * 60 + 30);
  EXPECT_FALSE(t.periods[3].retired);
  ASSERT_EQ(t.groups.size(), 2u);  // by code
  EXPECT_EQ(t.groups[0].code, "10X/En1");
  EXPECT_EQ(t.groups[1].code, "10X/Ma1");
  EXPECT_EQ(t.groups[1].subject, "Mathematics");
  EXPECT_EQ(t.groups[1].teacher_ids, std::vector<int64_t>{teacher});
  EXPECT_EQ(t.groups[1].pupil_ids, (std::vector<int64_t>{std::min(a, b), std::max(a, b)}));
  ASSERT_EQ(t.lessons.size(), 3u);  // by cycle day, then start
  EXPECT_EQ(t.lessons[0].group_id, t.groups[1].id);
  EXPECT_EQ(t.lessons[0].period_id, PeriodNamed(t, "P1")->id);
  EXPECT_EQ(t.lessons[0].room, "M1");
  EXPECT_EQ(t.lessons[1].group_id, t.groups[0].id);
  EXPECT_EQ(t.lessons[2].cycle_day, 6);
  EXPECT_EQ(t.lessons[2].period_id, PeriodNamed(t, "P2")->id);
}

TEST_P(StoreTest, IdsAreKeptByNameAndCodeAndLeftOutOnesRetiredOnlyWithMarks) {
  const int64_t teacher = AddTestUser("teacher");
  const int64_t a = AddTestPupil("A000000000001");
  ASSERT_OK(store().SetTimetable(SmallTimetable(teacher, {a}), kHead, 500));
  ASSERT_OK_AND_ASSIGN(Timetable first, store().GetTimetable());
  const int64_t p1 = PeriodNamed(first, "P1")->id;
  const int64_t p2 = PeriodNamed(first, "P2")->id;
  const int64_t p4 = PeriodNamed(first, "P4")->id;
  const int64_t maths = GroupCoded(first, "10X/Ma1")->id;
  const int64_t english = GroupCoded(first, "10X/En1")->id;
  // A mark in P1 of 10X/Ma1: they are kept when left out.
  ASSERT_OK(store()
                .SaveLessonMarks({{.pupil_id = a,
                                   .date = D("2025-09-08"),
                                   .period_id = p1,
                                   .group_id = maths,
                                   .code = AttendanceCode::kPresentAm}},
                                 kHead, 600)
                .status());

  Timetable next = SmallTimetable(teacher, {a});
  next.periods.erase(next.periods.begin() + 1);  // P1 out
  next.periods[1].start_minute = 9 * 60 + 5;     // P2 now 09:05
  next.groups.erase(next.groups.begin());        // 10X/Ma1 out
  next.groups[0].subject = "English Language";
  next.lessons = {{.group_id = 0, .cycle_day = 2, .period_id = 1, .room = "E5"}};
  ASSERT_OK(store().SetTimetable(next, kHead, 700));
  ASSERT_OK_AND_ASSIGN(Timetable t, store().GetTimetable());
  ASSERT_NE(PeriodNamed(t, "P1"), nullptr);
  EXPECT_TRUE(PeriodNamed(t, "P1")->retired);
  EXPECT_EQ(PeriodNamed(t, "P1")->id, p1);
  EXPECT_EQ(PeriodNamed(t, "P2")->id, p2);
  EXPECT_EQ(PeriodNamed(t, "P2")->start_minute, 9 * 60 + 5);
  EXPECT_FALSE(PeriodNamed(t, "P2")->retired);
  EXPECT_EQ(PeriodNamed(t, "P4")->id, p4);
  ASSERT_NE(GroupCoded(t, "10X/Ma1"), nullptr);
  EXPECT_TRUE(GroupCoded(t, "10X/Ma1")->retired);
  EXPECT_EQ(GroupCoded(t, "10X/En1")->id, english);
  EXPECT_EQ(GroupCoded(t, "10X/En1")->subject, "English Language");
  ASSERT_EQ(t.lessons.size(), 1u);
  EXPECT_EQ(t.lessons[0].group_id, english);
  EXPECT_EQ(t.lessons[0].period_id, p2);
  // The mark still reads, naming the retired period and group.
  ASSERT_OK_AND_ASSIGN(std::vector<LessonMark> marks,
                       store().LessonMarksBetween(D("2025-09-08"), D("2025-09-08")));
  ASSERT_EQ(marks.size(), 1u);
  EXPECT_EQ(marks[0].period_id, p1);
  EXPECT_EQ(marks[0].group_id, maths);

  // P4 and 10X/En1 have no marks: left out, they are deleted. A retired
  // period listed again comes back with its id.
  Timetable last;
  last.week1_monday = D("2025-09-01");
  last.periods = {MakePeriod("P1", 9 * 60, 10 * 60, Session::kAm)};
  ASSERT_OK(store().SetTimetable(last, kHead, 800));
  ASSERT_OK_AND_ASSIGN(Timetable after, store().GetTimetable());
  EXPECT_EQ(PeriodNamed(after, "P4"), nullptr);
  EXPECT_EQ(PeriodNamed(after, "P2"), nullptr);
  ASSERT_NE(PeriodNamed(after, "P1"), nullptr);
  EXPECT_EQ(PeriodNamed(after, "P1")->id, p1);
  EXPECT_FALSE(PeriodNamed(after, "P1")->retired);
  EXPECT_EQ(GroupCoded(after, "10X/En1"), nullptr);
  ASSERT_NE(GroupCoded(after, "10X/Ma1"), nullptr);
  EXPECT_TRUE(GroupCoded(after, "10X/Ma1")->retired);
  EXPECT_EQ(after.cycle_weeks, 1);
  EXPECT_EQ(after.source, core::StatutorySource::kRegistration);
}

TEST_P(StoreTest, EveryInvalidTimetableIsRefusedWritingNothing) {
  const int64_t teacher = AddTestUser("teacher");
  const int64_t a = AddTestPupil("A000000000001");
  const int64_t b = AddTestPupil("A000000000002");
  ASSERT_OK(store().SetTimetable(SmallTimetable(teacher, {a, b}), kHead, 500));
  ASSERT_OK_AND_ASSIGN(Timetable before, store().GetTimetable());

  struct Bad {
    const char* what;
    void (*spoil)(Timetable&, int64_t);
    const char* words;
  };
  const Bad kBad[] = {
      {"duplicate period", [](Timetable& t, int64_t) { t.periods[2].name = "P1"; },
       "period P1 is listed twice"},
      {"duplicate group", [](Timetable& t, int64_t) { t.groups[1].code = "10X/Ma1"; },
       "group 10X/Ma1 is listed twice"},
      {"ends before it starts",
       [](Timetable& t, int64_t) { t.periods[3].end_minute = t.periods[3].start_minute - 5; },
       "period P4 ends (13:25) before it starts (13:30)"},
      {"overlap", [](Timetable& t, int64_t) { t.periods[2].start_minute = 9 * 60 + 50; },
       "periods P1 (09:00-10:00) and P2 (09:50-11:00) overlap"},
      {"cycle day", [](Timetable& t, int64_t) { t.lessons[2].cycle_day = 11; },
       "group 10X/Ma1 meets on day 11 of a 10-day cycle"},
      {"one-week cycle day", [](Timetable& t, int64_t) { t.cycle_weeks = 1; },
       "group 10X/Ma1 meets on day 6 of a 5-day cycle"},
      {"twice in a slot", [](Timetable& t, int64_t) { t.lessons.push_back(t.lessons[0]); },
       "group 10X/Ma1 meets twice on Mon A in P1"},
      {"pupil in two groups at once", [](Timetable& t, int64_t) { t.lessons[1].period_id = 1; },
       "is in groups 10X/Ma1 and 10X/En1, which both meet on Mon A in P1"},
      {"unknown teacher", [](Timetable& t, int64_t) { t.groups[0].teacher_ids.push_back(9999); },
       "account 9999"},
      {"unknown pupil", [](Timetable& t, int64_t) { t.groups[0].pupil_ids.push_back(99999); },
       "id 99999"},
      {"not a Monday", [](Timetable& t, int64_t) { t.week1_monday = D("2025-09-02"); },
       "2025-09-02 is not one"},
      {"cycle of three weeks", [](Timetable& t, int64_t) { t.cycle_weeks = 3; }, "1 or 2 weeks"},
      {"lesson naming no period", [](Timetable& t, int64_t) { t.lessons[0].period_id = 9; },
       "does not have"},
  };
  for (const Bad& bad : kBad) {
    Timetable t = SmallTimetable(teacher, {a, b});
    t.periods.push_back(MakePeriod("P5", 15 * 60, 16 * 60, Session::kPm));  // would be new
    bad.spoil(t, teacher);
    const core::Status s = store().SetTimetable(t, kHead, 900);
    EXPECT_EQ(s.code(), core::kErrTimetableInvalid) << bad.what;
    EXPECT_NE(s.message().find(bad.words), std::string::npos) << bad.what << ": " << s.message();
  }
  ASSERT_OK_AND_ASSIGN(Timetable after, store().GetTimetable());
  EXPECT_EQ(after.periods.size(), before.periods.size());
  EXPECT_EQ(PeriodNamed(after, "P5"), nullptr);
  EXPECT_EQ(after.set_at, 500);
  EXPECT_EQ(after.lessons.size(), before.lessons.size());
}

TEST_P(StoreTest, LessonMarksAreAuditedAndAnUnchangedMarkWritesNothing) {
  const int64_t teacher = AddTestUser("teacher");
  const int64_t a = AddTestPupil("A000000000001");
  const int64_t b = AddTestPupil("A000000000002");
  ASSERT_OK(store().SetTimetable(SmallTimetable(teacher, {a, b}), kHead, 500));
  ASSERT_OK_AND_ASSIGN(Timetable t, store().GetTimetable());
  const int64_t p1 = PeriodNamed(t, "P1")->id;
  const int64_t p2 = PeriodNamed(t, "P2")->id;
  const int64_t maths = GroupCoded(t, "10X/Ma1")->id;
  const int64_t english = GroupCoded(t, "10X/En1")->id;
  const Actor teacher_actor{.user_id = teacher, .name = "Mr Teacher", .role = Role::kTeacher};
  const core::Date day = D("2025-09-08");

  ASSERT_OK_AND_ASSIGN(SaveMarksResult first,
                       store().SaveLessonMarks({{.pupil_id = a,
                                                 .date = day,
                                                 .period_id = p1,
                                                 .group_id = maths,
                                                 .code = AttendanceCode::kPresentAm,
                                                 .reason = "Lesson register"},
                                                {.pupil_id = b,
                                                 .date = day,
                                                 .period_id = p1,
                                                 .group_id = maths,
                                                 .code = AttendanceCode::kLateBeforeClose,
                                                 .arrival_minute = 9 * 60 + 10,
                                                 .reason = "Lesson register"},
                                                {.pupil_id = a,
                                                 .date = day,
                                                 .period_id = p2,
                                                 .group_id = english,
                                                 .code = AttendanceCode::kNoReasonYet,
                                                 .reason = "Lesson register"}},
                                               teacher_actor, 1000));
  EXPECT_EQ(first.changed, 3);
  EXPECT_EQ(first.unchanged, 0);
  // The same again: nothing written, no audit row.
  ASSERT_OK_AND_ASSIGN(SaveMarksResult again,
                       store().SaveLessonMarks({{.pupil_id = b,
                                                 .date = day,
                                                 .period_id = p1,
                                                 .group_id = maths,
                                                 .code = AttendanceCode::kLateBeforeClose,
                                                 .arrival_minute = 9 * 60 + 10,
                                                 .reason = "again"}},
                                               teacher_actor, 1100));
  EXPECT_EQ(again.changed, 0);
  EXPECT_EQ(again.unchanged, 1);
  // A change: one audit row naming the old code.
  ASSERT_OK_AND_ASSIGN(SaveMarksResult changed,
                       store().SaveLessonMarks({{.pupil_id = a,
                                                 .date = day,
                                                 .period_id = p2,
                                                 .group_id = english,
                                                 .code = AttendanceCode::kOtherApproved,
                                                 .reason = "With the music service"}},
                                               kHead, 1200));
  EXPECT_EQ(changed.changed, 1);
  // A change with no reason of the writer's own is refused in the write's
  // transaction, with nothing written: a first mark in the same batch too.
  const auto refused = store().SaveLessonMarks({{.pupil_id = a,
                                                 .date = D("2025-09-09"),
                                                 .period_id = p1,
                                                 .group_id = maths,
                                                 .code = AttendanceCode::kPresentAm,
                                                 .reason = "Lesson register",
                                                 .reason_given = false},
                                                {.pupil_id = a,
                                                 .date = day,
                                                 .period_id = p2,
                                                 .group_id = english,
                                                 .code = AttendanceCode::kNoReasonYet,
                                                 .reason = "Lesson register",
                                                 .reason_given = false}},
                                               teacher_actor, 1300);
  EXPECT_EQ(CodeOf(refused), core::kErrReasonRequired);
  ASSERT_OK_AND_ASSIGN(std::vector<LessonMark> next_day_marks,
                       store().LessonMarksBetween(D("2025-09-09"), D("2025-09-09")));
  EXPECT_TRUE(next_day_marks.empty());

  ASSERT_OK_AND_ASSIGN(std::vector<LessonMark> day_marks, store().LessonMarksBetween(day, day));
  ASSERT_EQ(day_marks.size(), 3u);  // by period start, then pupil
  EXPECT_EQ(day_marks[0].period_id, p1);
  EXPECT_EQ(day_marks[0].pupil_id, std::min(a, b));
  EXPECT_EQ(day_marks[2].period_id, p2);
  EXPECT_EQ(day_marks[2].code, AttendanceCode::kOtherApproved);
  EXPECT_EQ(day_marks[2].recorded_by, kHead.user_id);
  EXPECT_EQ(day_marks[2].recorded_at, 1200);
  ASSERT_OK_AND_ASSIGN(std::vector<LessonMark> of_b, store().LessonMarksOf(b, day, day));
  ASSERT_EQ(of_b.size(), 1u);
  EXPECT_EQ(of_b[0].arrival_minute, 9 * 60 + 10);
  EXPECT_EQ(of_b[0].group_id, maths);
  EXPECT_EQ(of_b[0].recorded_by, teacher);
  // One period's marks: P1's two, by pupil; P2's one; none another day.
  ASSERT_OK_AND_ASSIGN(std::vector<LessonMark> in_p1, store().LessonMarksInPeriod(day, p1));
  ASSERT_EQ(in_p1.size(), 2u);
  EXPECT_EQ(in_p1[0].pupil_id, std::min(a, b));
  EXPECT_EQ(in_p1[1].pupil_id, std::max(a, b));
  ASSERT_OK_AND_ASSIGN(std::vector<LessonMark> in_p2, store().LessonMarksInPeriod(day, p2));
  ASSERT_EQ(in_p2.size(), 1u);
  EXPECT_EQ(in_p2[0].code, AttendanceCode::kOtherApproved);
  ASSERT_OK_AND_ASSIGN(std::vector<LessonMark> next_day,
                       store().LessonMarksInPeriod(D("2025-09-09"), p1));
  EXPECT_TRUE(next_day.empty());
  ASSERT_OK_AND_ASSIGN(std::vector<LessonMark> none,
                       store().LessonMarksBetween(D("2025-09-09"), D("2025-09-30")));
  EXPECT_TRUE(none.empty());

  ASSERT_OK_AND_ASSIGN(std::vector<LessonAmendment> trail, store().LessonAmendmentsOf(a));
  ASSERT_EQ(trail.size(), 3u);  // oldest first
  EXPECT_FALSE(trail[0].old_code.has_value());
  EXPECT_EQ(trail[0].new_code, AttendanceCode::kPresentAm);
  EXPECT_EQ(trail[0].by_role, Role::kTeacher);
  EXPECT_EQ(trail[2].old_code, AttendanceCode::kNoReasonYet);
  EXPECT_EQ(trail[2].new_code, AttendanceCode::kOtherApproved);
  EXPECT_EQ(trail[2].reason, "With the music service");
  EXPECT_EQ(trail[2].by_name, "Mrs Head");
  EXPECT_EQ(trail[2].at, 1200);
  EXPECT_EQ(trail[2].period_id, p2);
  ASSERT_OK_AND_ASSIGN(std::vector<LessonAmendment> trail_b, store().LessonAmendmentsOf(b));
  ASSERT_EQ(trail_b.size(), 1u);
  EXPECT_EQ(trail_b[0].new_arrival_minute, 9 * 60 + 10);
}

TEST_P(StoreTest, LessonMarksNameKnownPupilsPeriodsAndGroups) {
  const int64_t teacher = AddTestUser("teacher");
  const int64_t a = AddTestPupil("A000000000001");
  ASSERT_OK(store().SetTimetable(SmallTimetable(teacher, {a}), kHead, 500));
  ASSERT_OK_AND_ASSIGN(Timetable t, store().GetTimetable());
  const int64_t p1 = PeriodNamed(t, "P1")->id;
  const int64_t maths = GroupCoded(t, "10X/Ma1")->id;
  const core::Date day = D("2025-09-08");
  auto write = [&](int64_t pupil, int64_t period, int64_t group) {
    return store()
        .SaveLessonMarks({{.pupil_id = a,
                           .date = day,
                           .period_id = p1,
                           .group_id = maths,
                           .code = AttendanceCode::kPresentAm},
                          {.pupil_id = pupil,
                           .date = day,
                           .period_id = period,
                           .group_id = group,
                           .code = AttendanceCode::kPresentAm}},
                         kHead, 1000)
        .status();
  };
  EXPECT_EQ(write(a + 999, p1, maths).code(), core::kErrPupilUnknown);
  EXPECT_EQ(write(a, p1 + 999, maths).code(), core::kErrPeriodUnknown);
  EXPECT_EQ(write(a, p1, maths + 999).code(), core::kErrGroupUnknown);
  // Nothing of a refused call was written, not even its good mark.
  ASSERT_OK_AND_ASSIGN(std::vector<LessonMark> marks, store().LessonMarksBetween(day, day));
  EXPECT_TRUE(marks.empty());
  ASSERT_OK_AND_ASSIGN(std::vector<LessonAmendment> trail, store().LessonAmendmentsOf(a));
  EXPECT_TRUE(trail.empty());
}

TEST_P(StoreTest, TheLessonAuditCannotBeChangedInTheDatabase) {
  const int64_t teacher = AddTestUser("teacher");
  const int64_t a = AddTestPupil("A000000000001");
  ASSERT_OK(store().SetTimetable(SmallTimetable(teacher, {a}), kHead, 500));
  ASSERT_OK_AND_ASSIGN(Timetable t, store().GetTimetable());
  ASSERT_OK(store()
                .SaveLessonMarks({{.pupil_id = a,
                                   .date = D("2025-09-08"),
                                   .period_id = PeriodNamed(t, "P1")->id,
                                   .group_id = GroupCoded(t, "10X/Ma1")->id,
                                   .code = AttendanceCode::kNoReasonYet}},
                                 kHead, 1000)
                .status());
  std::string error;
  switch (GetParam()) {
    case testing::Backend::kMemory:
      GTEST_SKIP() << "no second connection to a database in memory";
    case testing::Backend::kSqlite: {
      testing::RawDb raw(path_);
      EXPECT_NE(raw.Exec("UPDATE lesson_mark_audit SET new_code = 19", &error), 0);
      EXPECT_EQ(error, "lesson_mark_audit is append-only");
      EXPECT_NE(raw.Exec("DELETE FROM lesson_mark_audit", &error), 0);
      EXPECT_EQ(error, "lesson_mark_audit is append-only");
      break;
    }
    case testing::Backend::kPostgres: {
      testing::PgConn raw(pg_database_->conninfo());
      raw.Exec("SELECT set_config('rollcall.school_urn', '100001', false)");
      raw.Exec("SELECT set_config('rollcall.school_id', (SELECT id::text FROM schools), false)");
      raw.Exec("UPDATE lesson_mark_audit SET new_code = 19", &error);
      EXPECT_NE(error.find("lesson_mark_audit is append-only"), std::string::npos) << error;
      raw.Exec("DELETE FROM lesson_mark_audit", &error);
      EXPECT_NE(error.find("lesson_mark_audit is append-only"), std::string::npos) << error;
      break;
    }
  }
  ASSERT_OK_AND_ASSIGN(std::vector<LessonAmendment> trail, store().LessonAmendmentsOf(a));
  ASSERT_EQ(trail.size(), 1u);
  EXPECT_EQ(trail[0].new_code, AttendanceCode::kNoReasonYet);
}

}  // namespace
}  // namespace rollcall::store
