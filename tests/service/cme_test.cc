// Children-missing-education casework as service::Cme does it, with no web
// in between: who reads and works the cases, steps and their due dates,
// closing a case, and the refusals.
#include "service/cme.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error_codes.h"
#include "service/school_fixture.h"

namespace rollcall::service {
namespace {

using rollcall::testing::D;

class CmeServiceTest : public SchoolFixture {
 protected:
  // a_ absent with no reason all Tuesday: a case opens from that day.
  void SetUp() override {
    ASSERT_TRUE(Mark(office_, a_, "2026-11-24", "AM", "N").ok());
    ASSERT_TRUE(Mark(office_, a_, "2026-11-24", "PM", "N").ok());
    core::StatusOr<std::vector<CmeView>> cases = cme().Cases(office_, a_, false);
    ASSERT_TRUE(cases.ok()) << cases.status().message();
    ASSERT_EQ(cases->size(), 1u);
    case_id_ = std::to_string(cases->front().c.id);
  }

  Cme& cme() { return services_->cme(); }

  // a_'s one case as `who` reads it.
  CmeView CaseOfA(const Principal& who) {
    core::StatusOr<std::vector<CmeView>> cases = cme().Cases(who, a_, false);
    EXPECT_TRUE(cases.ok()) << cases.status().message();
    if (!cases.ok() || cases->size() != 1) {
      ADD_FAILURE() << "a_ should have one case";
      return {};
    }
    return cases->front();
  }

  static const CmeStepView& StepOf(const CmeView& v, core::CmeStep step) {
    for (const CmeStepView& s : v.steps) {
      if (s.info->step == step) return s;
    }
    ADD_FAILURE() << "no step " << static_cast<int>(step);
    return v.steps.front();
  }

  std::string case_id_;
};

TEST_F(CmeServiceTest, ACaseShowsItsStepsWithDueDatesInSchoolDays) {
  const CmeView v = CaseOfA(office_);
  EXPECT_EQ(v.c.first_day, D("2026-11-24"));
  EXPECT_FALSE(v.c.closed_at);
  EXPECT_EQ(v.pupil_name, "Pupil A");
  EXPECT_TRUE(v.class_id == class_3a_);
  EXPECT_EQ(v.day, 2);  // Tuesday was day 1
  EXPECT_TRUE(v.may_work);
  ASSERT_EQ(v.steps.size(), core::CmeSteps().size());
  const CmeStepView& contact = StepOf(v, core::CmeStep::kContactFamily);
  EXPECT_TRUE(contact.due == D("2026-11-25"));
  EXPECT_EQ(contact.status, CmeStepStatus::kDue);
  EXPECT_TRUE(StepOf(v, core::CmeStep::kNotifyDsl).due == D("2026-11-26"));
  EXPECT_EQ(StepOf(v, core::CmeStep::kNotifyDsl).status, CmeStepStatus::kLater);
  EXPECT_STREQ(CmeStepStatusWord(CmeStepStatus::kLater), "later");
  // b_ has no case; the school's list holds a_'s alone.
  EXPECT_TRUE(cme().Cases(office_, b_, false)->empty());
  core::StatusOr<std::vector<CmeView>> open = cme().Cases(head_, std::nullopt, true);
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ(open->front().c.pupil_id, a_);
}

TEST_F(CmeServiceTest, AStepNotDoneIsOverdueTheDayAfterItIsDue) {
  // Friday: day 4, and no step recorded yet.
  clock_.Set(D("2026-11-27"), 10 * 60);
  CmeView v = CaseOfA(office_);
  EXPECT_EQ(v.day, 4);
  EXPECT_EQ(StepOf(v, core::CmeStep::kContactFamily).status, CmeStepStatus::kOverdue);
  EXPECT_EQ(StepOf(v, core::CmeStep::kContactFamily).overdue_school_days, 2);
  EXPECT_EQ(StepOf(v, core::CmeStep::kNotifyDsl).status, CmeStepStatus::kOverdue);
  EXPECT_EQ(StepOf(v, core::CmeStep::kNotifyDsl).overdue_school_days, 1);
  // Recorded late, it is done: no longer overdue.
  ASSERT_TRUE(cme().RecordStep(office_, {case_id_, "notify_dsl", "DSL told at 09:15"}).ok());
  v = CaseOfA(office_);
  EXPECT_EQ(StepOf(v, core::CmeStep::kNotifyDsl).status, CmeStepStatus::kDone);
}

TEST_F(CmeServiceTest, OnlyTheOfficeTheHeadAndTheLaReadOrWorkCases) {
  for (const Principal* who : {&teacher_, &parent_}) {
    EXPECT_EQ(cme().Cases(*who, std::nullopt, false).status().kind(),
              core::ErrorKind::kPermissionDenied);
    EXPECT_EQ(cme().Cases(*who, a_, false).status().code(), core::kErrForbidden);
    EXPECT_EQ(cme().RecordStep(*who, {case_id_, "notify_dsl", "x"}).status().code(),
              core::kErrForbidden);
    EXPECT_EQ(cme().Close(*who, {case_id_, "Found"}).code(), core::kErrForbidden);
  }
  EXPECT_EQ(cme().Cases(office_, a_ + b_ + 99, false).status().code(), core::kErrPupilUnknown);
  EXPECT_TRUE(CaseOfA(office_).steps[0].done.empty());
  EXPECT_FALSE(CaseOfA(office_).c.closed_at);
}

TEST_F(CmeServiceTest, AStepIsRecordedWithWhoAndWhenAndBadStepsAreRefused) {
  core::StatusOr<store::CmeStepRecord> r =
      cme().RecordStep(office_, {case_id_, "contact_family", "Rang mum twice"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_GT(r->id, 0);
  EXPECT_EQ(r->step, core::CmeStep::kContactFamily);
  EXPECT_EQ(r->done_at, clock_.NowSeconds());
  const CmeView v = CaseOfA(head_);
  const CmeStepView& done = StepOf(v, core::CmeStep::kContactFamily);
  EXPECT_EQ(done.status, CmeStepStatus::kDone);
  ASSERT_EQ(done.done.size(), 1u);
  EXPECT_EQ(done.done[0].note, "Rang mum twice");
  EXPECT_EQ(done.done[0].by_name, "Ms Office");
  EXPECT_EQ(done.done[0].by_role, store::Role::kOffice);

  EXPECT_EQ(cme().RecordStep(office_, {case_id_, "call_police", "x"}).status().code(),
            core::kErrValueInvalid);
  EXPECT_EQ(cme().RecordStep(office_, {case_id_, "notify_dsl", ""}).status().code(),
            core::kErrValueInvalid);
  EXPECT_EQ(
      cme().RecordStep(office_, {case_id_, "notify_dsl", std::string(2001, 'x')}).status().code(),
      core::kErrValueInvalid);
  EXPECT_EQ(cme().RecordStep(office_, {"77", "notify_dsl", "x"}).status().code(),
            core::kErrCaseUnknown);
  EXPECT_EQ(cme().RecordStep(office_, {"abc", "notify_dsl", "x"}).status().code(),
            core::kErrCaseUnknown);
  EXPECT_TRUE(StepOf(CaseOfA(office_), core::CmeStep::kNotifyDsl).done.empty());
}

TEST_F(CmeServiceTest, AClosedCaseSaysWhoClosedItAndTakesNoMoreSteps) {
  EXPECT_EQ(cme().Close(head_, {case_id_, ""}).code(), core::kErrValueInvalid);
  EXPECT_FALSE(CaseOfA(office_).c.closed_at);
  ASSERT_TRUE(cme().Close(head_, {case_id_, "Moved abroad: confirmed by the LA"}).ok());
  const CmeView v = CaseOfA(office_);
  ASSERT_TRUE(v.c.closed_at);
  EXPECT_EQ(v.c.outcome, "Moved abroad: confirmed by the LA");
  EXPECT_EQ(v.c.closed_by_name, "Mrs Head");
  EXPECT_TRUE(cme().Cases(office_, std::nullopt, true)->empty());
  EXPECT_EQ(cme().Cases(office_, std::nullopt, false)->size(), 1u);
  EXPECT_EQ(cme().Close(head_, {case_id_, "again"}).code(), core::kErrCaseClosed);
  EXPECT_EQ(cme().RecordStep(office_, {case_id_, "home_visit", "late"}).status().code(),
            core::kErrCaseClosed);
  EXPECT_EQ(cme().CaseToWork(office_, case_id_).status().code(), core::kErrCaseClosed);
}

}  // namespace
}  // namespace rollcall::service
