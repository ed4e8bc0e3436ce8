// The services as the command line and scheduled jobs use them: no web in
// between. Recording marks (the checks, amendments, the group commit's
// write-through to the snapshot) and the casework that follows a mark.
#include "service/services.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/error_codes.h"
#include "service/school_fixture.h"
#include "store/store.h"

namespace rollcall::service {
namespace {

using rollcall::testing::D;

using ServicesTest = SchoolFixture;

TEST_F(ServicesTest, AMarkIsStoredAndSeenInTheSnapshotAsOneWrite) {
  const int64_t before = services_->school().version();
  core::StatusOr<MarkResult> r = Mark(office_, a_, "2026-11-25", "AM", "/");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->changed);
  EXPECT_FALSE(r->previous);
  EXPECT_EQ(services_->school().version(), before + 1);
  {
    auto lock = services_->school().Read();
    const size_t index = services_->school().snapshot().pupil_index.at(a_);
    const SlotMark m = services_->school().MarkAt(index, {D("2026-11-25"), core::Session::kAm});
    ASSERT_TRUE(m.code);
    EXPECT_EQ(*m.code, core::AttendanceCode::kPresentAm);
  }
  const std::vector<store::Mark> stored = *store_->MarksForPupil(a_);
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].recorded_by, office_.user_id);
  // The same mark again writes nothing.
  r = Mark(office_, a_, "2026-11-25", "AM", "/");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->changed);
  EXPECT_EQ(services_->school().version(), before + 1);
}

TEST_F(ServicesTest, AnAmendmentNeedsAReasonAndKeepsTheOriginal) {
  ASSERT_TRUE(Mark(office_, a_, "2026-11-24", "AM", "N").ok());
  core::StatusOr<MarkResult> r = Mark(office_, a_, "2026-11-24", "AM", "I");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), core::kErrReasonRequired);
  r = Mark(office_, a_, "2026-11-24", "AM", "I", "Mother phoned: ill");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_TRUE(r->previous);
  EXPECT_EQ(*r->previous, core::AttendanceCode::kNoReasonYet);
  const std::vector<store::Amendment> trail = *store_->AmendmentsForPupil(a_);
  ASSERT_EQ(trail.size(), 2u);
  EXPECT_EQ(trail[1].reason, "Mother phoned: ill");
}

TEST_F(ServicesTest, WhoMayMarkIsDecidedHereForEveryCaller) {
  core::StatusOr<MarkResult> r = Mark(teacher_, b_, "2026-11-25", "AM", "/");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().kind(), core::ErrorKind::kPermissionDenied);
  r = Mark(teacher_, a_, "2026-11-24", "AM", "/");  // an earlier day: the office amends
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), core::kErrForbidden);
  EXPECT_TRUE(Mark(teacher_, a_, "2026-11-25", "AM", "/").ok());
  EXPECT_EQ(Mark(office_, a_, "2026-11-26", "AM", "/").status().code(), core::kErrSessionInFuture);
  EXPECT_EQ(Mark(office_, a_ + 99, "2026-11-25", "AM", "/").status().code(),
            core::kErrPupilUnknown);
  EXPECT_EQ(Mark(office_, a_, "2026-11-25", "AM", "ZZ").status().code(), core::kErrCodeUnknown);
  EXPECT_EQ(Mark(office_, a_, "2026-11-25", "AM", "L").status().code(), core::kErrTimeInvalid);
}

TEST_F(ServicesTest, ALateArrivalIsLOrUByTheRegistersClose) {
  // Defaults: the morning starts at 08:45 and the register closes 30 minutes later.
  core::StatusOr<MarkResult> r = Mark(office_, a_, "2026-11-25", "AM", "L", "", "09:10");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->write.code, core::AttendanceCode::kLateBeforeClose);
  r = Mark(office_, b_, "2026-11-25", "AM", "L", "", "09:40");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->write.code, core::AttendanceCode::kLateAfterClose);
  ASSERT_TRUE(r->write.arrival_minute);
  EXPECT_EQ(*r->write.arrival_minute, 9 * 60 + 40);
}

TEST_F(ServicesTest, MarksOpenAndCloseTheirPupilsCmeCase) {
  ASSERT_TRUE(Mark(office_, a_, "2026-11-24", "AM", "N").ok());
  EXPECT_FALSE(*store_->OpenCmeCaseOf(a_));  // one session is not a school day
  ASSERT_TRUE(Mark(office_, a_, "2026-11-24", "PM", "N").ok());
  const std::optional<store::CmeCase> open = *store_->OpenCmeCaseOf(a_);
  ASSERT_TRUE(open);
  EXPECT_EQ(open->first_day, D("2026-11-24"));
  EXPECT_FALSE(*store_->OpenCmeCaseOf(b_));
  // Back in school: the case closes, saying so.
  ASSERT_TRUE(Mark(office_, a_, "2026-11-25", "AM", "/").ok());
  EXPECT_FALSE(*store_->OpenCmeCaseOf(a_));
  const std::vector<store::CmeCase> all = *store_->ListCmeCases(false);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].outcome, "Back in school on Wed 25 November 2026 AM");
  EXPECT_EQ(all[0].closed_by_name, "rollcall");
}

TEST_F(ServicesTest, LoadingTheSchoolOpensCasesForMarksWrittenMeanwhile) {
  // Written behind the services' back, as `rollcall import` does.
  std::vector<store::MarkWrite> writes;
  for (core::Session s : {core::Session::kAm, core::Session::kPm}) {
    writes.push_back({.pupil_id = b_,
                      .slot = {D("2026-11-24"), s},
                      .code = core::AttendanceCode::kNoReasonYet,
                      .reason = "imported"});
  }
  ASSERT_TRUE(store_->SaveMarks(writes, {1, "Ms Office", store::Role::kOffice}, 0).ok());
  EXPECT_FALSE(*store_->OpenCmeCaseOf(b_));
  ASSERT_TRUE(services_->Load().ok());
  EXPECT_TRUE(*store_->OpenCmeCaseOf(b_));
}

TEST_F(ServicesTest, MarksFromManyThreadsAreEachCommittedOnce) {
  // The group commit: every mark is written once and counted once, whichever
  // thread led the transaction it went in. After lunch, so that both of
  // today's registers are open.
  clock_.Set(D("2026-11-25"), 13 * 60 + 30);
  const int64_t before = services_->school().version();
  std::vector<std::thread> threads;
  std::vector<core::Status> results(2);
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      const int64_t pupil = t == 0 ? a_ : b_;
      for (const char* session : {"AM", "PM"}) {
        const char* present = std::string(session) == "AM" ? "/" : "\\";
        core::StatusOr<MarkResult> r = Mark(office_, pupil, "2026-11-25", session, present);
        if (!r.ok()) results[t] = r.status();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const core::Status& s : results) EXPECT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(*store_->CountAmendments(), 4);
  const int64_t writes = services_->school().version() - before;
  EXPECT_GE(writes, 1);
  EXPECT_LE(writes, 4);
}

}  // namespace
}  // namespace rollcall::service
