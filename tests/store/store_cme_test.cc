// The one store suite, continued (instantiated for both backends in
// store_test.cc): CME cases and their step records.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/error_codes.h"
#include "store/store.h"
#include "store_test_util.h"

namespace rollcall::store {
namespace {

using testing::D;
using testing::StoreTest;

using testing::kAt;

CmeStepRecord Step(int64_t case_id, core::CmeStep step, std::string note) {
  return {.case_id = case_id,
          .step = step,
          .done_at = kAt + 60,
          .by_user_id = 4,
          .by_name = "Ms Office",
          .by_role = Role::kOffice,
          .note = std::move(note)};
}

TEST_P(StoreTest, CmeCaseOpensOncePerPupilAndClosesOnce) {
  const int64_t p1 = AddTestPupil("A000000000001");
  const int64_t p2 = AddTestPupil("A000000000002");
  CmeCase c{.pupil_id = p1, .first_day = D("2025-09-08"), .opened_at = kAt};
  c.closed_at = 5;  // ignored: a new case is open
  ASSERT_OK_AND_ASSIGN(int64_t id, store().OpenCmeCase(c));
  core::StatusOr<int64_t> again = store().OpenCmeCase(c);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), core::kErrCaseOpen);
  ASSERT_OK_AND_ASSIGN(int64_t other,
                       store().OpenCmeCase({.pupil_id = p2, .first_day = D("2025-09-09")}));
  EXPECT_NE(id, other);
  ASSERT_OK_AND_ASSIGN(std::vector<CmeCase> open, store().ListCmeCases(true));
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[0].first_day, D("2025-09-08"));
  EXPECT_FALSE(open[0].closed_at);
  EXPECT_EQ(open[0].opened_at, kAt);

  ASSERT_OK(store().CloseCmeCase(id, kAt + 100, "Back in school on 2025-09-10", "rollcall"));
  const core::Status twice = store().CloseCmeCase(id, kAt + 200, "again", "x");
  EXPECT_EQ(twice.code(), core::kErrCaseClosed);
  EXPECT_EQ(store().CloseCmeCase(99, kAt, "x", "y").code(), core::kErrCaseUnknown);
  ASSERT_OK_AND_ASSIGN(std::vector<CmeCase> all, store().ListCmeCases(false));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(*all[0].closed_at, kAt + 100);
  EXPECT_EQ(all[0].outcome, "Back in school on 2025-09-10");
  EXPECT_EQ(all[0].closed_by_name, "rollcall");
  ASSERT_OK_AND_ASSIGN(std::vector<CmeCase> still_open, store().ListCmeCases(true));
  ASSERT_EQ(still_open.size(), 1u);
  EXPECT_EQ(still_open[0].pupil_id, p2);
  // Closed, the pupil may have a new case.
  ASSERT_OK(store().OpenCmeCase({.pupil_id = p1, .first_day = D("2025-10-01")}).status());
  EXPECT_EQ(store().OpenCmeCase({.pupil_id = p1 + 99}).status().code(), core::kErrPupilUnknown);
}

TEST_P(StoreTest, OnePupilsOpenCmeCaseIsFoundWithoutTheOthers) {
  const int64_t p1 = AddTestPupil("A000000000001");
  const int64_t p2 = AddTestPupil("A000000000002");
  ASSERT_OK_AND_ASSIGN(std::optional<CmeCase> none, store().OpenCmeCaseOf(p1));
  EXPECT_FALSE(none);
  ASSERT_OK_AND_ASSIGN(int64_t first,
                       store().OpenCmeCase({.pupil_id = p1, .first_day = D("2025-09-08")}));
  ASSERT_OK(store().OpenCmeCase({.pupil_id = p2, .first_day = D("2025-09-09")}).status());
  ASSERT_OK_AND_ASSIGN(std::optional<CmeCase> open, store().OpenCmeCaseOf(p1));
  ASSERT_TRUE(open);
  EXPECT_EQ(open->id, first);
  EXPECT_EQ(open->pupil_id, p1);
  EXPECT_EQ(open->first_day, D("2025-09-08"));
  // Closed cases are not open ones; a later case is.
  ASSERT_OK(store().CloseCmeCase(first, kAt, "Back in school", "rollcall"));
  ASSERT_OK_AND_ASSIGN(open, store().OpenCmeCaseOf(p1));
  EXPECT_FALSE(open);
  ASSERT_OK_AND_ASSIGN(int64_t second,
                       store().OpenCmeCase({.pupil_id = p1, .first_day = D("2025-10-01")}));
  ASSERT_OK_AND_ASSIGN(open, store().OpenCmeCaseOf(p1));
  ASSERT_TRUE(open);
  EXPECT_EQ(open->id, second);
  ASSERT_OK_AND_ASSIGN(open, store().OpenCmeCaseOf(p2 + 50));
  EXPECT_FALSE(open);
}

TEST_P(StoreTest, CmeStepsAreKeptInOrderOnOpenCasesOnly) {
  const int64_t p1 = AddTestPupil("A000000000001");
  ASSERT_OK_AND_ASSIGN(int64_t id,
                       store().OpenCmeCase({.pupil_id = p1, .first_day = D("2025-09-08")}));
  ASSERT_OK(store().RecordCmeStep(Step(id, core::CmeStep::kHomeVisit, "No one in")).status());
  ASSERT_OK(store().RecordCmeStep(Step(id, core::CmeStep::kHomeVisit, "Seen, well")).status());
  ASSERT_OK_AND_ASSIGN(std::vector<CmeStepRecord> steps, store().CmeStepsFor(id));
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].note, "No one in");
  EXPECT_EQ(steps[1].step, core::CmeStep::kHomeVisit);
  EXPECT_EQ(steps[1].by_name, "Ms Office");
  EXPECT_EQ(steps[1].by_role, Role::kOffice);
  EXPECT_EQ(steps[1].done_at, kAt + 60);
  EXPECT_EQ(store().RecordCmeStep(Step(77, core::CmeStep::kNotifyDsl, "x")).status().code(),
            core::kErrCaseUnknown);
  ASSERT_OK(store().CloseCmeCase(id, kAt + 100, "Found", "Ms Office"));
  EXPECT_EQ(store().RecordCmeStep(Step(id, core::CmeStep::kNotifyDsl, "late")).status().code(),
            core::kErrCaseClosed);
  ASSERT_OK_AND_ASSIGN(std::vector<CmeStepRecord> after, store().CmeStepsFor(id));
  EXPECT_EQ(after.size(), 2u);
}

}  // namespace
}  // namespace rollcall::store
