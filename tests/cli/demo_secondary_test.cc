// demo_secondary_test.cc: the demo's secondary school as seeded into a
// store: its people, a timetable without clashes in which every pupil has a
// lesson in every teaching period of both weeks, lesson marks that agree
// with the statutory marks, and internal truancy to find today.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/codes.h"
#include "demo/demo_school.h"
#include "demo/secondary_timetable.h"
#include "service/password.h"
#include "store/store.h"

namespace rollcall::cli {
namespace {

using core::AttendanceCode;
using core::Date;

const Date kToday = *Date::FromYmd(2026, 11, 25);  // a Wednesday in the autumn term
constexpr int kTenThirty = 10 * 60 + 30;           // P1 over, P2 under way

int64_t UnixAt(Date date, int minute) { return int64_t{date.days()} * 86400 + minute * 60; }

template <typename T>
T ValueOrFail(core::StatusOr<T> result) {
  EXPECT_TRUE(result.ok()) << result.status().code() << ": " << result.status().message();
  if (!result.ok()) std::abort();
  return std::move(result).value();
}

bool OnSite(AttendanceCode code) {
  return code == AttendanceCode::kPresentAm || code == AttendanceCode::kPresentPm ||
         code == AttendanceCode::kLateBeforeClose || code == AttendanceCode::kLateAfterClose;
}

class DemoSecondaryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    store_ = store::NewMemoryStore().release();
    DemoOptions options = DemoSecondary();
    options.fast_hashing = true;
    const auto started = std::chrono::steady_clock::now();
    const core::Status seeded =
        SeedDemoSecondary(*store_, kToday, kTenThirty, UnixAt(kToday, kTenThirty), options);
    const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
    ASSERT_TRUE(seeded.ok()) << seeded.code() << ": " << seeded.message();
    fmt::print("seeded the secondary school in {:.2f} s\n", elapsed.count());
  }
  static void TearDownTestSuite() {
    delete store_;
    store_ = nullptr;
  }
  static store::Store& store() { return *store_; }

  // The statutory mark of each pupil's session: (pupil, date, session).
  static std::map<std::tuple<int64_t, int32_t, core::Session>, store::Mark> StatutoryMarks() {
    std::map<std::tuple<int64_t, int32_t, core::Session>, store::Mark> out;
    for (const store::Mark& m : ValueOrFail(store().AllMarks())) {
      out[{m.pupil_id, m.slot.date.days(), m.slot.session}] = m;
    }
    return out;
  }

 private:
  static store::Store* store_;
};
store::Store* DemoSecondaryTest::store_ = nullptr;

TEST_F(DemoSecondaryTest, AboutAThousandPupilsInThirtyFormsOfYearsSevenToEleven) {
  const store::School school = ValueOrFail(store().GetSchool());
  EXPECT_EQ(school.name, "Castle Hill Academy");
  EXPECT_EQ(school.urn, "138456");
  EXPECT_EQ(school.phase, "secondary");
  EXPECT_EQ(school.la_code, "909");
  const store::Settings settings = ValueOrFail(store().GetSettings());
  EXPECT_EQ(settings.am_start_minute, 8 * 60 + 40);
  EXPECT_EQ(settings.pm_start_minute, 13 * 60 + 55);
  const std::vector<store::Pupil> pupils = ValueOrFail(store().ListPupils());
  EXPECT_GE(pupils.size(), 950u);
  EXPECT_LE(pupils.size(), 1050u);
  for (const store::Pupil& p : pupils) {
    EXPECT_GE(p.year_group, 7) << p.upn;
    EXPECT_LE(p.year_group, 11) << p.upn;
    EXPECT_FALSE(p.contacts.empty()) << p.upn;
  }
  const std::vector<store::Class> forms = ValueOrFail(store().ListClasses());
  ASSERT_EQ(forms.size(), 30u);
  for (const store::Class& c : forms) EXPECT_EQ(c.teacher_ids.size(), 1u) << c.name;
}

TEST_F(DemoSecondaryTest, EveryLoginExistsWithItsRoleAndThePassword) {
  const std::vector<DemoLogin> logins = DemoSecondaryLogins();
  EXPECT_GE(logins.size(), 50u);
  for (const DemoLogin& login : logins) {
    const store::User user = ValueOrFail(store().FindUserByName(login.username));
    EXPECT_EQ(store::RoleName(user.role), login.role) << login.username;
    EXPECT_TRUE(service::VerifyPassword(kDemoPassword, user.password_hash)) << login.username;
  }
  EXPECT_EQ(logins.front().username, "castle-head");
  const std::set<std::string> names = [&] {
    std::set<std::string> out;
    for (const store::User& u : ValueOrFail(store().ListUsers())) out.insert(u.display_name);
    return out;
  }();
  EXPECT_EQ(names.size(), logins.size()) << "every account has its own name";
}

TEST_F(DemoSecondaryTest, ATwoWeekTimetableWithoutClashesWhereEveryPupilHasEveryLesson) {
  const store::Timetable t = ValueOrFail(store().GetTimetable());
  EXPECT_EQ(t.cycle_weeks, 2);
  EXPECT_EQ(t.source, core::StatutorySource::kRegistration);
  EXPECT_EQ(t.week1_monday.weekday(), core::Weekday::kMonday);
  std::map<int64_t, const store::Period*> periods;
  std::set<int64_t> teaching;
  for (const store::Period& p : t.periods) {
    periods[p.id] = &p;
    if (!p.registration) teaching.insert(p.id);
  }
  EXPECT_EQ(teaching.size(), 5u);
  std::map<int64_t, const store::TeachingGroup*> groups;
  for (const store::TeachingGroup& g : t.groups) groups[g.id] = &g;
  std::set<std::tuple<int64_t, int, int64_t>> teacher_busy, pupil_busy, room_busy_keys;
  std::map<std::pair<int, int64_t>, std::set<std::string>> rooms;
  int teacher_clashes = 0, pupil_clashes = 0, room_clashes = 0;
  for (const store::Lesson& l : t.lessons) {
    ASSERT_TRUE(groups.contains(l.group_id));
    ASSERT_TRUE(teaching.contains(l.period_id)) << "no lesson in a registration period";
    EXPECT_GE(l.cycle_day, 1);
    EXPECT_LE(l.cycle_day, 10);
    const store::TeachingGroup& g = *groups[l.group_id];
    for (int64_t teacher : g.teacher_ids) {
      teacher_clashes += !teacher_busy.insert({teacher, l.cycle_day, l.period_id}).second;
    }
    for (int64_t pupil : g.pupil_ids) {
      pupil_clashes += !pupil_busy.insert({pupil, l.cycle_day, l.period_id}).second;
    }
    room_clashes += !rooms[{l.cycle_day, l.period_id}].insert(l.room).second;
  }
  EXPECT_EQ(teacher_clashes, 0);
  EXPECT_EQ(pupil_clashes, 0);
  EXPECT_EQ(room_clashes, 0);
  // Every pupil on roll has a lesson in all 50 teaching periods.
  std::map<int64_t, int> lessons_of;
  for (const auto& [pupil, day, period] : pupil_busy) ++lessons_of[pupil];
  int on_roll = 0;
  for (const store::Pupil& p : ValueOrFail(store().ListPupils())) {
    if (!p.enrolments.back().end || *p.enrolments.back().end >= kToday) {
      ++on_roll;
      EXPECT_EQ(lessons_of[p.id], 50) << p.upn;
    }
  }
  EXPECT_GT(on_roll, 900);
  // Week A and week B differ.
  std::map<int, std::set<std::pair<int64_t, int64_t>>> by_day;
  for (const store::Lesson& l : t.lessons) by_day[l.cycle_day].insert({l.group_id, l.period_id});
  for (int day = 1; day <= 5; ++day) EXPECT_NE(by_day[day], by_day[day + 5]) << day;
  // Sets in Years 9-11: six Mathematics sets a year.
  int maths_sets = 0;
  for (const store::TeachingGroup& g : t.groups) {
    if (g.code.starts_with("10/Ma")) ++maths_sets;
  }
  EXPECT_EQ(maths_sets, 6);
}

TEST_F(DemoSecondaryTest, CastleTeacherOneTeachesInP2OnEveryDayOfBothWeeks) {
  const store::Timetable t = ValueOrFail(store().GetTimetable());
  const store::User teacher = ValueOrFail(store().FindUserByName("castle-teacher1"));
  int64_t p2 = 0;
  for (const store::Period& p : t.periods) {
    if (p.name == "P2") {
      p2 = p.id;
      EXPECT_EQ(p.start_minute, 10 * 60);
    }
  }
  std::set<int> days;
  for (const store::Lesson& l : t.lessons) {
    if (l.period_id != p2) continue;
    for (const store::TeachingGroup& g : t.groups) {
      if (g.id == l.group_id && g.teacher_ids == std::vector<int64_t>{teacher.id}) {
        days.insert(l.cycle_day);
        EXPECT_EQ(g.code, "7A/En");
      }
    }
  }
  EXPECT_EQ(days.size(), 10u);
}

TEST_F(DemoSecondaryTest, LessonMarksAgreeWithTheStatutoryMarksAndNoneIsLaterThanNow) {
  const auto statutory = StatutoryMarks();
  const std::vector<store::LessonMark> marks =
      ValueOrFail(store().LessonMarksBetween(kToday.AddDays(-90), kToday));
  ASSERT_GT(marks.size(), 50'000u);
  const int64_t now = UnixAt(kToday, kTenThirty);
  const store::Timetable t = ValueOrFail(store().GetTimetable());
  std::map<int64_t, const store::Period*> periods;
  for (const store::Period& p : t.periods) periods[p.id] = &p;
  std::map<int64_t, std::set<int64_t>> teachers_of;
  for (const store::TeachingGroup& g : t.groups) {
    teachers_of[g.id] = {g.teacher_ids.begin(), g.teacher_ids.end()};
  }
  Date earliest = kToday;
  int late = 0, seen_while_absent = 0, present = 0;
  for (const store::LessonMark& m : marks) {
    earliest = std::min(earliest, m.date);
    EXPECT_LE(m.recorded_at, now);
    EXPECT_TRUE(teachers_of[m.group_id].contains(m.recorded_by));
    const store::Period& period = *periods.at(m.period_id);
    const auto it = statutory.find({m.pupil_id, m.date.days(), period.session});
    if (it == statutory.end()) continue;
    const bool on_site = OnSite(it->second.code);
    const bool seen = m.code == AttendanceCode::kPresentAm ||
                      m.code == AttendanceCode::kPresentPm ||
                      m.code == AttendanceCode::kLateBeforeClose;
    if (!on_site && seen) ++seen_while_absent;
    if (on_site) {
      // At school: present, late, or (internal truancy) N; never a reason
      // the lesson cannot know.
      EXPECT_TRUE(seen || m.code == AttendanceCode::kNoReasonYet) << static_cast<int>(m.code);
    }
    if (m.code == AttendanceCode::kLateBeforeClose) {
      ++late;
      ASSERT_TRUE(m.arrival_minute.has_value());
      EXPECT_GT(*m.arrival_minute, period.start_minute);
    }
    if (m.code == AttendanceCode::kPresentAm || m.code == AttendanceCode::kPresentPm) ++present;
  }
  EXPECT_EQ(seen_while_absent, 0);
  EXPECT_GT(late, 100) << "a few pupils are late to lessons";
  EXPECT_GT(present, static_cast<int>(marks.size() * 8 / 10));
  // Six school weeks (and the half-term holiday among them).
  EXPECT_LE(earliest, kToday.AddDays(-40));
  EXPECT_GE(earliest, kToday.AddDays(-60));
}

TEST_F(DemoSecondaryTest, TodayHasInternalTruancyToFindAndSomePupilsHaveAPattern) {
  const auto statutory = StatutoryMarks();
  const store::Timetable t = ValueOrFail(store().GetTimetable());
  std::map<int64_t, const store::Period*> periods;
  for (const store::Period& p : t.periods) periods[p.id] = &p;
  std::set<int64_t> missing_today;
  std::map<int64_t, int> missed;  // on site, N in a lesson
  for (const store::LessonMark& m :
       ValueOrFail(store().LessonMarksBetween(kToday.AddDays(-70), kToday))) {
    if (m.code != AttendanceCode::kNoReasonYet) continue;
    const store::Period& period = *periods.at(m.period_id);
    const auto it = statutory.find({m.pupil_id, m.date.days(), period.session});
    if (it == statutory.end() || !OnSite(it->second.code)) continue;
    ++missed[m.pupil_id];
    if (m.date == kToday) {
      EXPECT_EQ(period.session, core::Session::kAm);
      EXPECT_GE(period.start_minute, 9 * 60) << "after registration";
      missing_today.insert(m.pupil_id);
    }
  }
  EXPECT_GE(missing_today.size(), 3u);
  EXPECT_LE(missing_today.size(), 7u);
  int with_pattern = 0;
  for (const auto& [pupil, n] : missed) with_pattern += n >= 3;
  EXPECT_GE(with_pattern, 4);
  EXPECT_LE(with_pattern, 12) << "truancy is the exception";
}

TEST_F(DemoSecondaryTest, TodaysLessonsOverHaveRegistersAndTheOneUnderWayIsLeftToTake) {
  const store::Timetable t = ValueOrFail(store().GetTimetable());
  std::map<int64_t, std::string> period_name;
  for (const store::Period& p : t.periods) period_name[p.id] = p.name;
  std::map<std::string, int> today;
  for (const store::LessonMark& m : ValueOrFail(store().LessonMarksBetween(kToday, kToday))) {
    ++today[period_name[m.period_id]];
  }
  EXPECT_GT(today["P1"], 900);
  EXPECT_EQ(today.size(), 1u) << "only P1 is over at 10:30";
}

TEST(DemoSecondaryClockTest, NoLessonOfTodayBeforeItsRegisterIsTaken) {
  std::unique_ptr<store::Store> store = store::NewMemoryStore();
  DemoOptions options = DemoSecondary();
  options.fast_hashing = true;
  options.pupils = 200;
  const int minute = 9 * 60 + 2;  // registration done, P1 under way, its register not yet taken
  ASSERT_TRUE(SeedDemoSecondary(*store, kToday, minute, UnixAt(kToday, minute), options).ok());
  EXPECT_TRUE(ValueOrFail(store->LessonMarksBetween(kToday, kToday)).empty());
  int today_am = 0;
  for (const store::Mark& m : ValueOrFail(store->AllMarks())) {
    today_am += m.slot.date == kToday;
    EXPECT_LE(m.recorded_at, UnixAt(kToday, minute));
  }
  EXPECT_GT(today_am, 100) << "the morning registers are taken at 08:50";
  EXPECT_FALSE(
      ValueOrFail(store->LessonMarksBetween(kToday.AddDays(-1), kToday.AddDays(-1))).empty());
}

TEST(DemoSecondaryPlanTest, ThePlanKeepsEveryTeacherWithinTheirLoad) {
  const internal::SecondaryTimetablePlan plan = internal::PlanSecondaryTimetable();
  EXPECT_GE(plan.teachers.size(), 40u);
  EXPECT_LE(plan.teachers.size(), 80u);
  std::vector<int> load(plan.teachers.size());
  for (const internal::PlannedGroup& g : plan.groups) {
    load[g.teacher] += static_cast<int>(g.slots.size());
  }
  for (size_t t = 0; t < load.size(); ++t) {
    EXPECT_LE(load[t], internal::kMaxTeacherLoad) << t;
    EXPECT_EQ(load[t], plan.teachers[t].load) << t;
  }
  EXPECT_EQ(plan.groups.front().code, "7A/En");
  EXPECT_EQ(plan.groups.front().teacher, 0u);
}

}  // namespace
}  // namespace rollcall::cli
