// The views of pupils as service::Pupils builds them, with no web in
// between: who may read a pupil, the figures (the rules core's, as the API's
// summary gives them), the year's marks, the amendment history for those
// allowed, the parents' page and the office's Today list.
#include "service/pupils.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error_codes.h"
#include "core/evaluate.h"
#include "io/result_json.h"
#include "service/school_fixture.h"

namespace rollcall::service {
namespace {

using rollcall::testing::D;

class PupilsServiceTest : public SchoolFixture {
 protected:
  Pupils& pupils() { return services_->pupils(); }

  // The pupil's figures as the rules core gives them on `as_of`, in the
  // result format.
  nlohmann::ordered_json CoreResult(int64_t pupil_id, core::Date as_of) {
    School& school = services_->school();
    auto lock = school.Read();
    const Snapshot& snap = school.snapshot();
    const size_t index = snap.pupil_index.at(pupil_id);
    return io::PupilResultToJson(
        snap.scenario.calendar, std::to_string(pupil_id),
        core::EvaluatePupil(snap.scenario, index, as_of, school.DayPartOf(as_of)));
  }
};

TEST_F(PupilsServiceTest, OnlyThoseWhoMayReadThePupilGetTheirOverview) {
  const core::Date today = clock_.Today();
  EXPECT_TRUE(pupils().Overview(teacher_, a_, today).ok());
  EXPECT_TRUE(pupils().Overview(parent_, a_, today).ok());
  EXPECT_TRUE(pupils().Overview(la_, b_, today).ok());
  // Another class's teacher, another child's parent.
  core::StatusOr<PupilOverview> v = pupils().Overview(teacher_, b_, today);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().kind(), core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(v.status().code(), core::kErrForbidden);
  v = pupils().Overview(parent_, b_, today);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), core::kErrForbidden);
  const Principal other_parent = AddUser("parent2", store::Role::kParent, "Mr B Parent", {}, {b_});
  EXPECT_EQ(pupils().Overview(other_parent, a_, today).status().code(), core::kErrForbidden);
  v = pupils().Overview(office_, 999999, today);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().kind(), core::ErrorKind::kNotFound);
  EXPECT_EQ(v.status().code(), core::kErrPupilUnknown);
}

TEST_F(PupilsServiceTest, TheFiguresAreTheRulesCores) {
  ASSERT_TRUE(Mark(office_, a_, "2026-11-16", "AM", "N").ok());
  ASSERT_TRUE(Mark(office_, a_, "2026-11-16", "PM", "N").ok());
  ASSERT_TRUE(Mark(office_, a_, "2026-11-24", "AM", "I").ok());
  ASSERT_TRUE(Mark(office_, a_, "2026-11-24", "PM", "\\").ok());
  ASSERT_TRUE(Mark(office_, a_, "2026-11-25", "AM", "L", "", "09:00").ok());
  for (core::Date as_of : {D("2026-11-25"), D("2026-11-24"), D("2026-09-30")}) {
    core::StatusOr<PupilOverview> v = pupils().Overview(office_, a_, as_of);
    ASSERT_TRUE(v.ok()) << v.status().message();
    EXPECT_EQ(io::PupilResultToJson(std::to_string(a_), v->result), CoreResult(a_, as_of))
        << as_of.ToString();
  }
  core::StatusOr<PupilOverview> v = pupils().Overview(teacher_, a_, clock_.Today());
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->school, "Test Primary");
  EXPECT_EQ(v->pupil.upn, "A909123400001");
  EXPECT_EQ(v->class_name, "3A");
  EXPECT_EQ(v->result.counts.unauthorised, 2);
  EXPECT_EQ(v->result.counts.authorised, 1);
  bool overdue = false;
  for (const io::DatedAlert& a : v->result.alerts) {
    if (a.type != "n_overdue") continue;
    overdue = true;
    ASSERT_EQ(a.evidence.size(), 1u);
    EXPECT_EQ(a.evidence[0].slot.date, D("2026-11-16"));
  }
  EXPECT_TRUE(overdue);
  // The year's marks: from the week of 2 September to this week.
  ASSERT_FALSE(v->weeks.empty());
  EXPECT_EQ(v->weeks.front().week, D("2026-08-31"));
  EXPECT_EQ(v->weeks.back().week, D("2026-11-23"));
  const HeatWeek& now = v->weeks.back();
  ASSERT_EQ(now.cells.size(), 10u);
  EXPECT_EQ(now.cells[2].slot, (core::SessionKey{D("2026-11-24"), core::Session::kAm}));
  EXPECT_EQ(now.cells[2].code, core::AttendanceCode::kIllness);
  EXPECT_EQ(now.cells[4].code, core::AttendanceCode::kLateBeforeClose);
  EXPECT_FALSE(now.cells[5].code);  // this afternoon: not yet marked
  EXPECT_TRUE(now.cells[5].open);
  // The API's summary asks for the figures alone.
  v = pupils().Overview(office_, a_, clock_.Today(), {.marks = false, .history = false});
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->weeks.empty());
  EXPECT_TRUE(v->amendments.empty());
  EXPECT_EQ(v->result.counts.unauthorised, 2);
}

TEST_F(PupilsServiceTest, OnlyThoseAllowedSeeTheAmendments) {
  ASSERT_TRUE(Mark(office_, a_, "2026-11-24", "AM", "N").ok());
  ASSERT_TRUE(Mark(office_, a_, "2026-11-24", "AM", "I", "Mother phoned: ill").ok());
  for (const Principal* who : {&office_, &head_, &teacher_, &la_}) {
    core::StatusOr<PupilOverview> v = pupils().Overview(*who, a_, clock_.Today());
    ASSERT_TRUE(v.ok()) << who->name << ": " << v.status().message();
    EXPECT_TRUE(v->sees_history) << who->name;
    ASSERT_EQ(v->amendments.size(), 2u) << who->name;
    EXPECT_FALSE(v->amendments[0].old_code);  // the first recording, oldest first
    EXPECT_EQ(v->amendments[1].reason, "Mother phoned: ill");
  }
  core::StatusOr<PupilOverview> v = pupils().Overview(parent_, a_, clock_.Today());
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_FALSE(v->sees_history);
  EXPECT_TRUE(v->amendments.empty());
  // Not asked for: not read.
  v = pupils().Overview(office_, a_, clock_.Today(), {.history = false});
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->sees_history);
  EXPECT_TRUE(v->amendments.empty());
}

TEST_F(PupilsServiceTest, AParentSeesTheirOwnChildrenOnly) {
  ASSERT_TRUE(Mark(office_, a_, "2026-11-24", "AM", "N").ok());
  core::StatusOr<ChildrenView> v = pupils().Children(parent_, clock_.Today());
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->school, "Test Primary");
  ASSERT_EQ(v->children.size(), 1u);
  EXPECT_EQ(v->children[0].pupil.id, a_);
  EXPECT_EQ(io::PupilResultToJson(std::to_string(a_), v->children[0].result),
            CoreResult(a_, clock_.Today()));
  EXPECT_TRUE(v->children[0].weeks.empty());
  EXPECT_FALSE(v->children[0].sees_history);
  for (const Principal* who : {&office_, &teacher_, &la_}) {
    core::StatusOr<ChildrenView> refused = pupils().Children(*who, clock_.Today());
    ASSERT_FALSE(refused.ok()) << who->name;
    EXPECT_EQ(refused.status().code(), core::kErrForbidden);
  }
}

TEST_F(PupilsServiceTest, TodayListsThoseAbsentWithNoReasonAndTheRegistersNotTaken) {
  // a_ (3A) is N this morning and was N a week last Monday; b_ (4B) is not
  // marked yet.
  ASSERT_TRUE(Mark(office_, a_, "2026-11-25", "AM", "N").ok());
  ASSERT_TRUE(Mark(office_, a_, "2026-11-16", "PM", "N").ok());
  core::StatusOr<WorklistView> v = pupils().Worklist(office_);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->school, "Test Primary");
  EXPECT_EQ(v->slot, (core::SessionKey{D("2026-11-25"), core::Session::kAm}));
  ASSERT_EQ(v->absent.size(), 1u);
  EXPECT_EQ(v->absent[0].pupil.id, a_);
  EXPECT_EQ(v->absent[0].class_name, "3A");
  EXPECT_FALSE(v->absent[0].vulnerable);
  ASSERT_EQ(v->incomplete.size(), 1u);
  EXPECT_EQ(v->incomplete[0].class_id, class_4b_);
  EXPECT_EQ(v->incomplete[0].class_name, "4B");
  EXPECT_EQ(v->incomplete[0].marked, 0);
  EXPECT_EQ(v->incomplete[0].on_roll, 1);
  ASSERT_EQ(v->overdue.size(), 1u);
  EXPECT_EQ(v->overdue[0].pupil_id, a_);
  EXPECT_EQ(v->overdue[0].sessions, 1);
  EXPECT_EQ(v->overdue[0].first, (core::SessionKey{D("2026-11-16"), core::Session::kPm}));
  // From the afternoon's start, the afternoon's register.
  clock_.Set(D("2026-11-25"), 13 * 60 + 15);
  v = pupils().Worklist(head_);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->slot.session, core::Session::kPm);
  EXPECT_TRUE(v->absent.empty());
  EXPECT_EQ(v->incomplete.size(), 2u);
  for (const Principal* who : {&teacher_, &parent_, &la_}) {
    core::StatusOr<WorklistView> refused = pupils().Worklist(*who);
    ASSERT_FALSE(refused.ok()) << who->name;
    EXPECT_EQ(refused.status().code(), core::kErrForbidden);
  }
}

}  // namespace
}  // namespace rollcall::service
