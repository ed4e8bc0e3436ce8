// The one store suite, continued (instantiated for both backends in
// store_test.cc): graduated-approach stages and support events.
#include <gtest/gtest.h>

#include "core/error_codes.h"
#include "store/store.h"
#include "store_test_util.h"

namespace rollcall::store {
namespace {

using testing::D;
using testing::StoreTest;

SupportEvent Plan(int64_t pupil) {
  return {.pupil_id = pupil,
          .kind = SupportKind::kActionPlan,
          .held_on = D("2025-10-06"),
          .notes = "Agreed with mum",
          .targets = "96% by half-term",
          .support_offered = "Breakfast club; morning check-in",
          .review_date = D("2025-11-17"),
          .at = 100,
          .by_name = "Ms Office"};
}

TEST_P(StoreTest, StagesAreAHistoryOldestFirst) {
  const int64_t p1 = AddTestPupil("A000000000001");
  ASSERT_OK(store()
                .AddStageRecord({.pupil_id = p1,
                                 .stage = core::SupportStage::kMonitor,
                                 .at = 10,
                                 .reason = "amber",
                                 .by_user_id = 3,
                                 .by_name = "Ms Office",
                                 .by_role = Role::kOffice})
                .status());
  ASSERT_OK(store()
                .AddStageRecord({.pupil_id = p1,
                                 .stage = core::SupportStage::kListen,
                                 .at = 20,
                                 .reason = "PA",
                                 .by_name = "Mr Head",
                                 .by_role = Role::kHead})
                .status());
  ASSERT_OK_AND_ASSIGN(std::vector<StageRecord> history, store().StageHistory(p1));
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].stage, core::SupportStage::kMonitor);
  EXPECT_EQ(history[0].by_user_id, 3);
  EXPECT_EQ(history[1].stage, core::SupportStage::kListen);
  EXPECT_EQ(history[1].reason, "PA");
  EXPECT_EQ(history[1].by_role, Role::kHead);
  EXPECT_EQ(store().AddStageRecord({.pupil_id = p1 + 9}).status().code(), core::kErrPupilUnknown);
}

TEST_P(StoreTest, SupportEventsRoundTripAndReviewsNeedTheirPlan) {
  const int64_t p1 = AddTestPupil("A000000000001");
  const int64_t p2 = AddTestPupil("A000000000002");
  ASSERT_OK(store()
                .AddSupportEvent({.pupil_id = p1,
                                  .kind = SupportKind::kPanelMeeting,
                                  .held_on = D("2025-10-01"),
                                  .attendees = "Head, link governor, mum",
                                  .notes = "Morning routine is the barrier",
                                  .by_name = "Mr Head"})
                .status());
  ASSERT_OK_AND_ASSIGN(int64_t plan, store().AddSupportEvent(Plan(p1)));
  SupportEvent review{.pupil_id = p1,
                      .kind = SupportKind::kReview,
                      .held_on = D("2025-11-17"),
                      .notes = "Better mornings",
                      .plan_id = plan,
                      .outcome = core::ImprovementOutcome::kImproved,
                      .attendance_before = "88.0%",
                      .attendance_after = "95.5%",
                      .by_name = "Ms Office"};
  ASSERT_OK(store().AddSupportEvent(review).status());
  ASSERT_OK_AND_ASSIGN(std::vector<SupportEvent> events, store().SupportEventsFor(p1));
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].attendees, "Head, link governor, mum");
  EXPECT_EQ(events[1].targets, "96% by half-term");
  EXPECT_EQ(events[1].support_offered, "Breakfast club; morning check-in");
  EXPECT_EQ(*events[1].review_date, D("2025-11-17"));
  EXPECT_FALSE(events[1].plan_id);
  EXPECT_EQ(*events[2].plan_id, plan);
  EXPECT_EQ(events[2].outcome, core::ImprovementOutcome::kImproved);
  EXPECT_EQ(events[2].attendance_after, "95.5%");
  // Refused: a review of another pupil's plan, of no plan, without outcome;
  // a plan without a review date.
  SupportEvent wrong = review;
  wrong.pupil_id = p2;
  EXPECT_EQ(store().AddSupportEvent(wrong).status().code(), core::kErrSupportPlan);
  wrong = review;
  wrong.outcome.reset();
  EXPECT_EQ(store().AddSupportEvent(wrong).status().code(), core::kErrSupportEvent);
  SupportEvent undated = Plan(p1);
  undated.review_date.reset();
  EXPECT_EQ(store().AddSupportEvent(undated).status().code(), core::kErrSupportEvent);
  ASSERT_OK_AND_ASSIGN(std::vector<SupportEvent> all, store().AllSupportEvents());
  EXPECT_EQ(all.size(), 3u);
}

}  // namespace
}  // namespace rollcall::store

namespace rollcall::store {
namespace {

using testing::StoreTest;

TEST_P(StoreTest, NotificationEventsAreKeptInOrder) {
  ASSERT_OK(store()
                .AddNotificationEvent({.notification = "deletion:3:2025-10-01",
                                       .status = core::LaReturnStatus::kSent,
                                       .at = 5,
                                       .by_user_id = 2,
                                       .by_name = "Ms Office",
                                       .by_role = Role::kOffice,
                                       .note = "Emailed to the CME officer"})
                .status());
  ASSERT_OK(store()
                .AddNotificationEvent({.notification = "deletion:3:2025-10-01",
                                       .status = core::LaReturnStatus::kAcknowledged,
                                       .at = 9,
                                       .by_name = "Mr LA",
                                       .by_role = Role::kLaOfficer})
                .status());
  // Due and overdue are worked out from the dates, never recorded.
  EXPECT_EQ(store()
                .AddNotificationEvent({.notification = "x", .status = core::LaReturnStatus::kDue})
                .status()
                .code(),
            core::kErrValueInvalid);
  ASSERT_OK_AND_ASSIGN(std::vector<NotificationEvent> events, store().NotificationEvents());
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].note, "Emailed to the CME officer");
  EXPECT_EQ(events[0].by_user_id, 2);
  EXPECT_EQ(events[1].status, core::LaReturnStatus::kAcknowledged);
  EXPECT_EQ(events[1].by_role, Role::kLaOfficer);
}

}  // namespace
}  // namespace rollcall::store
