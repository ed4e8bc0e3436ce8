// penalty_stage_test.cc: where a penalty notice and a penalty case stand on
// a given day: the deadlines of a notice to the day, the end of an
// improvement period, and the stage names the API shows.
#include <gtest/gtest.h>

#include "core/penalty.h"
#include "support/dates.h"

namespace rollcall::core {
namespace {

using rollcall::testing::D;

// Posted Wednesday 23 December 2026, served Tuesday 29th (after Christmas):
// £80 up to Tuesday 19 January 2027, £160 up to Tuesday 26 January.
NoticeRecord FirstNotice() {
  return {.terms =
              *TermsOf(NoticeKind::kAttendance, PenaltyAction::kFirstNotice, D(2026, 12, 23), 2)};
}

TEST(NoticeStatusTest, ReducedThenFullThenUnpaidToTheDay) {
  const NoticeRecord n = FirstNotice();
  ASSERT_EQ(n.terms.reduced_by, D(2027, 1, 19));
  ASSERT_EQ(n.terms.full_by, D(2027, 1, 26));
  EXPECT_EQ(NoticeStatusOn(n, D(2026, 12, 23)), NoticeStatus::kDueReduced);
  EXPECT_EQ(NoticeStatusOn(n, D(2027, 1, 19)), NoticeStatus::kDueReduced);
  EXPECT_EQ(NoticeStatusOn(n, D(2027, 1, 20)), NoticeStatus::kDueFull);
  EXPECT_EQ(NoticeStatusOn(n, D(2027, 1, 26)), NoticeStatus::kDueFull);
  EXPECT_EQ(NoticeStatusOn(n, D(2027, 1, 27)), NoticeStatus::kUnpaid);
}

TEST(NoticeStatusTest, ASecondNoticeHasNoReducedAmount) {
  const NoticeRecord n{
      .terms = *TermsOf(NoticeKind::kAttendance, PenaltyAction::kSecondNotice, D(2026, 12, 23), 2)};
  EXPECT_EQ(NoticeStatusOn(n, D(2026, 12, 29)), NoticeStatus::kDueFull);
  EXPECT_EQ(NoticeStatusOn(n, D(2027, 1, 26)), NoticeStatus::kDueFull);
  EXPECT_EQ(NoticeStatusOn(n, D(2027, 1, 27)), NoticeStatus::kUnpaid);
}

TEST(NoticeStatusTest, WithdrawnOutranksPaidOutranksProsecution) {
  NoticeRecord n = FirstNotice();
  n.prosecuted = true;
  EXPECT_EQ(NoticeStatusOn(n, D(2027, 2, 1)), NoticeStatus::kProsecution);
  n.paid = true;
  EXPECT_EQ(NoticeStatusOn(n, D(2027, 2, 1)), NoticeStatus::kPaid);
  n.withdrawn = true;
  EXPECT_EQ(NoticeStatusOn(n, D(2027, 1, 2)), NoticeStatus::kWithdrawn);
}

TEST(PenaltyStageTest, BeforeAndWithoutADecision) {
  PenaltyCaseRecord r;
  EXPECT_EQ(PenaltyStageOn(r, D(2026, 12, 1)), PenaltyStage::kAwaitingDecision);
  r.decision = PenaltyDecision::kSupportFirst;
  EXPECT_EQ(PenaltyStageOn(r, D(2026, 12, 1)), PenaltyStage::kSupportFirst);
  r.decision = PenaltyDecision::kNoAction;
  EXPECT_EQ(PenaltyStageOn(r, D(2026, 12, 1)), PenaltyStage::kNoAction);
  // Closing outranks whatever was decided.
  r.closed = true;
  EXPECT_EQ(PenaltyStageOn(r, D(2026, 12, 1)), PenaltyStage::kClosed);
}

TEST(PenaltyStageTest, TheImprovementPeriodEndsTheDayAfterItsLastDay) {
  PenaltyCaseRecord r{.decision = PenaltyDecision::kNoticeToImprove};
  EXPECT_EQ(PenaltyStageOn(r, D(2026, 12, 1)), PenaltyStage::kNtiToIssue);
  // An outcome without a notice to improve issued does not count.
  r.nti_outcome = ImprovementOutcome::kImproved;
  EXPECT_EQ(PenaltyStageOn(r, D(2026, 12, 1)), PenaltyStage::kNtiToIssue);
  r.nti_outcome.reset();
  // Issued for 3 weeks: 1 to 21 December inclusive.
  ASSERT_TRUE(ValidImprovementPeriod(D(2026, 12, 1), D(2026, 12, 21)));
  r.improvement_end = D(2026, 12, 21);
  EXPECT_EQ(PenaltyStageOn(r, D(2026, 12, 1)), PenaltyStage::kNtiRunning);
  EXPECT_EQ(PenaltyStageOn(r, D(2026, 12, 21)), PenaltyStage::kNtiRunning);
  EXPECT_EQ(PenaltyStageOn(r, D(2026, 12, 22)), PenaltyStage::kNtiEnded);
  r.nti_outcome = ImprovementOutcome::kImproved;
  EXPECT_EQ(PenaltyStageOn(r, D(2026, 12, 22)), PenaltyStage::kNtiImproved);
  r.nti_outcome = ImprovementOutcome::kNotImproved;
  EXPECT_EQ(PenaltyStageOn(r, D(2026, 12, 22)), PenaltyStage::kNtiNotImproved);
  // Deciding again after it failed moves the case on.
  r.decision = PenaltyDecision::kPenaltyNotice;
  EXPECT_EQ(PenaltyStageOn(r, D(2026, 12, 22)), PenaltyStage::kNoticeToIssue);
}

TEST(PenaltyStageTest, NoticesIssuedThenUnpaidTheDayAfterTheFullDeadline) {
  PenaltyCaseRecord r{.decision = PenaltyDecision::kPenaltyNotice};
  EXPECT_EQ(PenaltyStageOn(r, D(2026, 12, 23)), PenaltyStage::kNoticeToIssue);
  r.notices.push_back(FirstNotice());
  EXPECT_EQ(PenaltyStageOn(r, D(2026, 12, 23)), PenaltyStage::kNoticesIssued);
  EXPECT_EQ(PenaltyStageOn(r, D(2027, 1, 26)), PenaltyStage::kNoticesIssued);
  EXPECT_EQ(PenaltyStageOn(r, D(2027, 1, 27)), PenaltyStage::kUnpaid);
  // One parent unpaid while another may still pay: the unpaid one needs
  // the LA, so the case is unpaid.
  NoticeRecord later{
      .terms = *TermsOf(NoticeKind::kAttendance, PenaltyAction::kFirstNotice, D(2027, 1, 20), 2)};
  r.notices.push_back(later);
  EXPECT_EQ(PenaltyStageOn(r, D(2027, 1, 27)), PenaltyStage::kUnpaid);
  // Paid, withdrawn or prosecuted: settled.
  r.notices[0].prosecuted = true;
  EXPECT_EQ(PenaltyStageOn(r, D(2027, 1, 27)), PenaltyStage::kNoticesIssued);
  r.notices[1].paid = true;
  EXPECT_EQ(PenaltyStageOn(r, D(2027, 1, 27)), PenaltyStage::kNoticesSettled);
}

TEST(PenaltyStageTest, NamesAreTheApis) {
  EXPECT_EQ(PenaltyStageName(PenaltyStage::kAwaitingDecision), "awaiting_decision");
  EXPECT_EQ(PenaltyStageName(PenaltyStage::kSupportFirst), "support_first");
  EXPECT_EQ(PenaltyStageName(PenaltyStage::kNoAction), "no_action");
  EXPECT_EQ(PenaltyStageName(PenaltyStage::kNtiToIssue), "nti_to_issue");
  EXPECT_EQ(PenaltyStageName(PenaltyStage::kNtiRunning), "nti_running");
  EXPECT_EQ(PenaltyStageName(PenaltyStage::kNtiEnded), "nti_ended");
  EXPECT_EQ(PenaltyStageName(PenaltyStage::kNtiImproved), "nti_improved");
  EXPECT_EQ(PenaltyStageName(PenaltyStage::kNtiNotImproved), "nti_not_improved");
  EXPECT_EQ(PenaltyStageName(PenaltyStage::kNoticeToIssue), "notice_to_issue");
  EXPECT_EQ(PenaltyStageName(PenaltyStage::kNoticesIssued), "notices_issued");
  EXPECT_EQ(PenaltyStageName(PenaltyStage::kUnpaid), "unpaid");
  EXPECT_EQ(PenaltyStageName(PenaltyStage::kNoticesSettled), "notices_settled");
  EXPECT_EQ(PenaltyStageName(PenaltyStage::kClosed), "closed");
  EXPECT_EQ(NoticeStatusName(NoticeStatus::kDueReduced), "due_reduced");
  EXPECT_EQ(NoticeStatusName(NoticeStatus::kDueFull), "due_full");
  EXPECT_EQ(NoticeStatusName(NoticeStatus::kPaid), "paid");
  EXPECT_EQ(NoticeStatusName(NoticeStatus::kWithdrawn), "withdrawn");
  EXPECT_EQ(NoticeStatusName(NoticeStatus::kProsecution), "prosecution");
  EXPECT_EQ(NoticeStatusName(NoticeStatus::kUnpaid), "unpaid");
}

TEST(PenaltyStageTest, DecisionsAndOutcomesAsStored) {
  for (PenaltyDecision d : {PenaltyDecision::kSupportFirst, PenaltyDecision::kNoticeToImprove,
                            PenaltyDecision::kPenaltyNotice, PenaltyDecision::kNoAction}) {
    EXPECT_EQ(PenaltyDecisionFromName(PenaltyDecisionName(d)), d);
  }
  EXPECT_EQ(PenaltyDecisionName(PenaltyDecision::kNoticeToImprove), "notice_to_improve");
  EXPECT_FALSE(PenaltyDecisionFromName("prosecute"));
  EXPECT_EQ(ImprovementOutcomeFromName("improved"), ImprovementOutcome::kImproved);
  EXPECT_EQ(ImprovementOutcomeFromName("not_improved"), ImprovementOutcome::kNotImproved);
  EXPECT_EQ(ImprovementOutcomeName(ImprovementOutcome::kNotImproved), "not_improved");
  EXPECT_FALSE(ImprovementOutcomeFromName("better"));
}

}  // namespace
}  // namespace rollcall::core
