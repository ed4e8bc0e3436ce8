// The rules of the school day: a register opens at the school's opening
// time (15 minutes before its session by default), no mark is recorded
// before then and no arrival time later than now, and during the day the
// figures and alerts count only the sessions whose registers have opened.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error_codes.h"
#include "service/school_fixture.h"
#include "store/store.h"

namespace rollcall::service {
namespace {

using core::Session;
using core::SessionKey;

constexpr const char* kToday = "2026-11-25";

class SchoolDayTest : public SchoolFixture {
 protected:
  // Both pupils present at every session from the start of term to
  // yesterday, so that today's sessions are the only ones that can be
  // unrecorded.
  void MarkTheTermSoFar() {
    std::vector<store::MarkWrite> writes;
    for (core::Date d = D("2026-09-02"); d < D(kToday); d = d.AddDays(1)) {
      if (d.IsWeekend()) continue;
      for (int64_t pupil : {a_, b_}) {
        writes.push_back({.pupil_id = pupil,
                          .slot = {d, Session::kAm},
                          .code = core::AttendanceCode::kPresentAm,
                          .reason = "Register taken"});
        writes.push_back({.pupil_id = pupil,
                          .slot = {d, Session::kPm},
                          .code = core::AttendanceCode::kPresentPm,
                          .reason = "Register taken"});
      }
    }
    ASSERT_TRUE(store_->SaveMarks(writes, {1, "Ms Office", store::Role::kOffice}, 0).ok());
    ASSERT_TRUE(services_->Load().ok());
  }

  // How many of today's sessions the school's evaluation of today counts as
  // unrecorded for `pupil`, and whether any alert cites this afternoon.
  int64_t UnrecordedToday(int64_t pupil) {
    const Evaluated e = services_->school().EvaluatedOn(D(kToday));
    auto lock = services_->school().Read();
    const size_t index = services_->school().snapshot().pupil_index.at(pupil);
    return e.evaluation->pupils[index].counts.unrecorded;
  }
  bool AnAlertCitesThisAfternoon(int64_t pupil) {
    core::StatusOr<PupilOverview> v = services_->pupils().Overview(
        office_, pupil, D(kToday), {.record = false, .marks = false, .history = false});
    EXPECT_TRUE(v.ok()) << v.status().message();
    for (const io::DatedAlert& a : v->result.alerts) {
      for (const io::DatedSession& s : a.evidence) {
        if (s.slot == SessionKey{D(kToday), Session::kPm}) return true;
      }
    }
    return false;
  }
};

TEST_F(SchoolDayTest, EachRegisterOpensFifteenMinutesBeforeItsSessionByDefault) {
  core::StatusOr<SettingsView> v = services_->settings().Get(office_);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->am_open_minute, 8 * 60 + 30);
  EXPECT_EQ(v->pm_open_minute, 13 * 60);
}

TEST_F(SchoolDayTest, NoMarkBeforeTheRegisterOpens) {
  clock_.Set(D(kToday), 8 * 60 + 20);
  core::StatusOr<MarkResult> early = Mark(teacher_, a_, kToday, "AM", "/");
  EXPECT_EQ(early.status().code(), core::kErrRegisterNotOpen);
  EXPECT_EQ(early.status().kind(), core::ErrorKind::kConflict);
  EXPECT_EQ(early.status().message(), "The morning register opens at 08:30");
  clock_.Set(D(kToday), 8 * 60 + 46);
  EXPECT_TRUE(Mark(teacher_, a_, kToday, "AM", "/").ok());
  // The afternoon's, seen at 08:46 (the issue: "\" saved at 08:46:59).
  core::StatusOr<MarkResult> pm = Mark(teacher_, a_, kToday, "PM", "\\");
  EXPECT_EQ(pm.status().code(), core::kErrRegisterNotOpen);
  EXPECT_EQ(pm.status().message(), "The afternoon register opens at 13:00");
  EXPECT_EQ(Mark(office_, a_, kToday, "PM", "\\").status().code(), core::kErrRegisterNotOpen);
  clock_.Set(D(kToday), 13 * 60);
  EXPECT_TRUE(Mark(teacher_, a_, kToday, "PM", "\\").ok());
}

TEST_F(SchoolDayTest, AnArrivalTimeLaterThanNowIsRefused) {
  clock_.Set(D(kToday), 8 * 60 + 56);
  // The issue: "U at 10:40" accepted at 08:56.
  core::StatusOr<MarkResult> future = Mark(office_, a_, kToday, "AM", "U", "", "10:40");
  EXPECT_EQ(future.status().code(), core::kErrArrivalInFuture);
  EXPECT_NE(future.status().message().find("10:40"), std::string::npos);
  core::StatusOr<MarkResult> now = Mark(office_, a_, kToday, "AM", "L", "", "08:56");
  ASSERT_TRUE(now.ok()) << now.status().message();
  EXPECT_EQ(now->write.code, core::AttendanceCode::kLateBeforeClose);
  // An earlier day's arrival time is not in the future.
  EXPECT_TRUE(Mark(office_, b_, "2026-11-24", "AM", "L", "signed in late", "10:40").ok());
}

TEST_F(SchoolDayTest, TodaysAfternoonIsNeitherPossibleNorUnrecordedUntilItOpens) {
  MarkTheTermSoFar();
  // Before the morning register opens, nothing of today counts.
  clock_.Set(D(kToday), 8 * 60 + 20);
  EXPECT_EQ(UnrecordedToday(a_), 0);
  // 08:46: the morning register is open and a_ is marked; the afternoon is
  // not counted, so no alert cites it (the issue: unrecorded_marks from
  // today PM on every pupil every morning).
  clock_.Set(D(kToday), 8 * 60 + 46);
  ASSERT_TRUE(Mark(teacher_, a_, kToday, "AM", "/").ok());
  EXPECT_EQ(UnrecordedToday(a_), 0);
  EXPECT_EQ(UnrecordedToday(b_), 1);  // this morning's register, open and not taken
  EXPECT_FALSE(AnAlertCitesThisAfternoon(a_));
  EXPECT_FALSE(AnAlertCitesThisAfternoon(b_));
  const int64_t possible_am = [&] {
    const Evaluated e = services_->school().EvaluatedOn(D(kToday));
    return e.evaluation->school.counts.possible;
  }();
  core::StatusOr<ChildrenView> parent = services_->pupils().Children(parent_, D(kToday));
  ASSERT_TRUE(parent.ok()) << parent.status().message();
  ASSERT_EQ(parent->children.size(), 1u);
  EXPECT_TRUE(parent->children[0].result.alerts.empty());
  EXPECT_EQ(parent->children[0].result.counts.unrecorded, 0);

  // 13:00, with no write in between: the afternoon register has opened, so
  // it counts, and unrecorded until it is taken.
  clock_.Set(D(kToday), 13 * 60);
  EXPECT_EQ(UnrecordedToday(a_), 1);
  EXPECT_TRUE(AnAlertCitesThisAfternoon(a_));
  ASSERT_TRUE(Mark(teacher_, a_, kToday, "PM", "\\").ok());
  EXPECT_EQ(UnrecordedToday(a_), 0);
  const Evaluated e = services_->school().EvaluatedOn(D(kToday));
  EXPECT_EQ(e.evaluation->school.counts.possible, possible_am + 1);
  // An earlier day is counted whole, whatever the time.
  clock_.Set(D(kToday), 8 * 60);
  EXPECT_EQ(services_->school().EvaluatedOn(D("2026-11-24")).evaluation->school.counts.unrecorded,
            0);
}

TEST_F(SchoolDayTest, TheRegisterSaysWhereItStandsAndWhyItIsReadOnly) {
  const auto reg = [&](const Principal& who, const char* date, const char* session) {
    core::StatusOr<RegisterView> v = services_->registers().Register(who, date, session, class_3a_);
    EXPECT_TRUE(v.ok()) << v.status().message();
    return v.ok() ? *v : RegisterView{};
  };
  clock_.Set(D(kToday), 8 * 60 + 20);
  RegisterView v = reg(teacher_, kToday, "AM");
  EXPECT_EQ(v.state, RegisterState::kNotOpenYet);
  EXPECT_EQ(v.opens, 8 * 60 + 30);
  EXPECT_EQ(v.read_only, "The morning register opens at 08:30");
  // The moments the page counts down to are the school's, not the reader's.
  EXPECT_EQ(v.opens_at - v.now, 10 * 60);
  EXPECT_EQ(v.closes_at - v.now, 55 * 60);

  clock_.Set(D(kToday), 8 * 60 + 46);
  v = reg(teacher_, kToday, "AM");
  EXPECT_EQ(v.state, RegisterState::kOpen);
  EXPECT_EQ(v.read_only, "");
  EXPECT_EQ(reg(teacher_, kToday, "PM").state, RegisterState::kNotOpenYet);
  EXPECT_EQ(reg(teacher_, kToday, "PM").read_only, "The afternoon register opens at 13:00");

  clock_.Set(D(kToday), 9 * 60 + 15);
  EXPECT_EQ(reg(teacher_, kToday, "AM").state, RegisterState::kClosed);
  EXPECT_EQ(reg(teacher_, kToday, "AM").read_only, "");  // late arrivals are still recorded

  // Yesterday's: the office's to change, read-only for the teacher.
  v = reg(teacher_, "2026-11-24", "AM");
  EXPECT_EQ(v.state, RegisterState::kNotToday);
  EXPECT_NE(v.read_only.find("attendance office"), std::string::npos) << v.read_only;
  EXPECT_EQ(Mark(teacher_, a_, "2026-11-24", "AM", "/").status().message(), v.read_only);
  EXPECT_EQ(reg(office_, "2026-11-24", "AM").read_only, "");
  // An LA officer may read a register but never mark one.
  EXPECT_NE(reg(la_, kToday, "AM").read_only, "");
}

TEST_F(SchoolDayTest, OpeningTimesAreSetWithTheSessionTimesAndChecked) {
  SettingsChange change;
  change.am_open = "08:40";
  change.pm_open = "12:55";
  core::StatusOr<SettingsView> v = services_->settings().Change(head_, change);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->am_open_minute, 8 * 60 + 40);
  EXPECT_EQ(v->pm_open_minute, 12 * 60 + 55);
  EXPECT_EQ(v->settings.am_opens_before_minutes, 5);

  // A new start time carries its opening time with it.
  change = {};
  change.am_start = "08:50";
  v = services_->settings().Change(head_, change);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->am_open_minute, 8 * 60 + 45);

  change = {};
  change.am_open = "09:00";
  core::StatusOr<SettingsView> after_start = services_->settings().Change(head_, change);
  EXPECT_EQ(after_start.status().code(), core::kErrValueInvalid);
  EXPECT_EQ(after_start.status().message(),
            "The morning register cannot open at 09:00, after the session starts at 08:50");
  change.am_open = "nine";
  EXPECT_EQ(services_->settings().Change(head_, change).status().code(), core::kErrTimeInvalid);
  change = {};
  change.pm_open = "09:00";  // before the morning register closes at 09:20
  EXPECT_EQ(services_->settings().Change(head_, change).status().code(), core::kErrValueInvalid);
  EXPECT_EQ(services_->settings().Get(office_)->am_open_minute, 8 * 60 + 45);
}

}  // namespace
}  // namespace rollcall::service
