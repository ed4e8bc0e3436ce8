// The graduated approach as service::Support does it, with no web in
// between: the suggested and confirmed stage, panel meetings, action plans
// and the figures a review quotes, the reviews due, and the refusals.
#include "service/support.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error_codes.h"
#include "service/school_fixture.h"

namespace rollcall::service {
namespace {

using rollcall::testing::D;

class SupportServiceTest : public SchoolFixture {
 protected:
  Support& support() { return services_->support(); }

  // An action plan for a_ agreed on Monday 23 November, to review on Friday.
  store::SupportEvent PlanForA() {
    core::StatusOr<store::SupportEvent> plan =
        support().AddEvent(office_, {.pupil_id = a_,
                                     .kind = "action_plan",
                                     .held_on = "2026-11-23",
                                     .targets = "In by 08:50 every day",
                                     .support_offered = "Breakfast club",
                                     .review_date = "2026-11-27"});
    EXPECT_TRUE(plan.ok()) << plan.status().message();
    return plan.ok() ? *plan : store::SupportEvent{};
  }
};

TEST_F(SupportServiceTest, AStageIsSuggestedThenConfirmedWithWhoAndWhy) {
  core::StatusOr<SupportView> v = support().Of(office_, a_);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->current, core::SupportStage::kExpect);
  EXPECT_FALSE(v->confirmed);
  EXPECT_TRUE(v->may_work);
  EXPECT_TRUE(v->history.empty());

  core::StatusOr<store::StageRecord> r =
      support().ConfirmStage(office_, {a_, "monitor", "Two late marks: watching first"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_GT(r->id, 0);
  v = support().Of(teacher_, a_);  // 3A's teacher reads it, and may not act
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->current, core::SupportStage::kMonitor);
  EXPECT_TRUE(v->confirmed);
  EXPECT_FALSE(v->may_work);
  ASSERT_EQ(v->history.size(), 1u);
  EXPECT_EQ(v->history[0].reason, "Two late marks: watching first");
  EXPECT_EQ(v->history[0].by_name, "Ms Office");
  EXPECT_EQ(v->history[0].at, clock_.NowSeconds());
}

TEST_F(SupportServiceTest, WhoMayReadAndWorkIsDecidedHere) {
  EXPECT_EQ(support().Of(teacher_, b_).status().code(), core::kErrForbidden);  // not their class
  EXPECT_EQ(support().Of(parent_, a_).status().code(), core::kErrForbidden);
  EXPECT_EQ(support().Of(office_, a_ + b_ + 99).status().code(), core::kErrPupilUnknown);
  EXPECT_EQ(support().ConfirmStage(teacher_, {a_, "monitor", "x"}).status().code(),
            core::kErrForbidden);
  EXPECT_EQ(support()
                .AddEvent(teacher_,
                          {.pupil_id = a_, .kind = "panel_meeting", .notes = "n", .attendees = "a"})
                .status()
                .code(),
            core::kErrForbidden);
  EXPECT_FALSE(support().Of(office_, a_)->confirmed);
  EXPECT_TRUE(support().Of(office_, a_)->events.empty());
}

TEST_F(SupportServiceTest, BadStagesAndEventsAreRefusedAndNothingIsWritten) {
  EXPECT_EQ(support().ConfirmStage(office_, {a_, "punish", "x"}).status().code(),
            core::kErrValueInvalid);
  EXPECT_EQ(support().ConfirmStage(office_, {a_, "monitor", ""}).status().code(),
            core::kErrValueInvalid);
  struct Bad {
    SupportEventRequest request;
    const char* code;
  };
  const std::vector<Bad> bad = {
      {{.kind = "party"}, core::kErrValueInvalid},
      {{.kind = "panel_meeting", .held_on = "2026-12-01", .notes = "n", .attendees = "a"},
       core::kErrValueInvalid},  // not held yet
      {{.kind = "panel_meeting", .held_on = "2026-11-31", .notes = "n", .attendees = "a"},
       core::kErrDateInvalid},
      {{.kind = "panel_meeting", .notes = "n"}, core::kErrValueInvalid},  // who attended?
      {{.kind = "action_plan", .targets = "t", .support_offered = "s"}, core::kErrRequiredKey},
      {{.kind = "action_plan", .targets = "t", .support_offered = "s", .review_date = "2026-11-20"},
       core::kErrValueInvalid},  // before the plan
      {{.kind = "action_plan", .targets = "t", .support_offered = "s", .review_date = "2028-01-01"},
       core::kErrValueInvalid},  // more than a year away
      {{.kind = "action_plan", .review_date = "2026-12-11"}, core::kErrValueInvalid},
      {{.kind = "review", .outcome = "improved"}, core::kErrRequiredKey},  // which plan?
      {{.kind = "review", .plan_id = 999, .outcome = "improved"}, core::kErrSupportPlan},
      {{.kind = "review", .plan_id = 1, .outcome = "better"}, core::kErrSupportEvent},
      {{.kind = "panel_meeting", .notes = std::string(2001, 'x'), .attendees = "a"},
       core::kErrValueInvalid},
  };
  for (const Bad& b : bad) {
    SupportEventRequest request = b.request;
    request.pupil_id = a_;
    core::StatusOr<store::SupportEvent> e = support().AddEvent(head_, request);
    EXPECT_EQ(e.status().code(), b.code) << request.kind << ": " << e.status().message();
  }
  const core::StatusOr<SupportView> v = support().Of(office_, a_);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->history.empty());
  EXPECT_TRUE(v->events.empty());
}

TEST_F(SupportServiceTest, AReviewQuotesAttendanceBeforeThePlanAndSince) {
  // Present all Tuesday; nothing recorded in the six weeks before Monday.
  ASSERT_TRUE(Mark(office_, a_, "2026-11-24", "AM", "/").ok());
  ASSERT_TRUE(Mark(office_, a_, "2026-11-24", "PM", "\\").ok());
  const store::SupportEvent plan = PlanForA();
  ASSERT_GT(plan.id, 0);
  core::StatusOr<store::SupportEvent> review = support().AddEvent(office_, {.pupil_id = a_,
                                                                            .kind = "review",
                                                                            .notes = "On time",
                                                                            .plan_id = plan.id,
                                                                            .outcome = "improved"});
  ASSERT_TRUE(review.ok()) << review.status().message();
  EXPECT_EQ(review->held_on, D("2026-11-25"));  // today, when not given
  EXPECT_EQ(review->attendance_before, "no sessions");
  EXPECT_EQ(review->attendance_after, "100.0%");
  const core::StatusOr<SupportView> v = support().Of(office_, a_);
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->events.size(), 2u);
  EXPECT_EQ(v->events[1].kind, store::SupportKind::kReview);
  EXPECT_TRUE(v->events[1].plan_id == plan.id);
  // A review is held on or after its plan's day.
  EXPECT_EQ(support()
                .AddEvent(office_, {.pupil_id = a_,
                                    .kind = "review",
                                    .held_on = "2026-11-20",
                                    .plan_id = plan.id,
                                    .outcome = "improved"})
                .status()
                .code(),
            core::kErrValueInvalid);
}

TEST_F(SupportServiceTest, ReviewsDueAreListedUntilTheyAreHeld) {
  const store::SupportEvent plan = PlanForA();
  core::StatusOr<std::vector<ReviewDue>> due = support().ReviewsDue(office_);
  ASSERT_TRUE(due.ok()) << due.status().message();
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ(due->front().pupil_id, a_);
  EXPECT_EQ(due->front().pupil_name, "Pupil A");
  EXPECT_EQ(due->front().plan.id, plan.id);
  EXPECT_FALSE(due->front().overdue);
  // A teacher of another class does not see it; once past, it is overdue.
  const Principal other = AddUser("teacher4b", store::Role::kTeacher, "Ms B", {class_4b_}, {});
  EXPECT_TRUE(support().ReviewsDue(other)->empty());
  clock_.Set(D("2026-11-30"), 9 * 60);
  due = support().ReviewsDue(teacher_);
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 1u);
  EXPECT_TRUE(due->front().overdue);
  ASSERT_TRUE(
      support()
          .AddEvent(
              head_,
              {.pupil_id = a_, .kind = "review", .plan_id = plan.id, .outcome = "not_improved"})
          .ok());
  EXPECT_TRUE(support().ReviewsDue(office_)->empty());
}

}  // namespace
}  // namespace rollcall::service
