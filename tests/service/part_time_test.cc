// Part-time timetables through the service: only the head agrees one, with
// the reasons a bad agreement is refused; reviews extend and end it; the
// register's planned code follows it; Today reminds the office and flags C2
// recorded where no timetable was agreed.
#include "service/part_time.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "core/error_codes.h"
#include "service/school_fixture.h"
#include "store/store.h"

namespace rollcall::service {
namespace {

using rollcall::testing::D;

class PartTimeTest : public SchoolFixture {
 protected:
  PartTime& part_time() { return services_->part_time(); }

  // Mornings only from today to 11 December, first reviewed on 1 December.
  PartTimeAgreement Mornings() const {
    PartTimeAgreement a;
    a.pupil_id = a_;
    a.agreed_on = "2026-11-24";
    a.start = "2026-11-25";
    a.end = "2026-12-11";
    a.review_date = "2026-12-01";
    a.agreed_with = "Mrs A Parent (Mother)";
    a.reason = "Phased return after surgery";
    a.plan = "Full time from 14 December";
    a.attends = std::vector<std::string>{"mon-am", "tue-am", "wed-am", "thu-am", "fri-am"};
    return a;
  }

  std::optional<PlannedCode> Planned(int64_t pupil, const char* date, core::Session s) {
    auto lock = services_->school().Read();
    const size_t index = services_->school().snapshot().pupil_index.at(pupil);
    return part_time().PlannedCodeFor(index, {D(date), s});
  }
};

TEST_F(PartTimeTest, OnlyTheHeadAgreesOneAndBadAgreementsAreRefused) {
  EXPECT_EQ(part_time().Agree(office_, Mornings()).status().kind(),
            core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(part_time().Agree(teacher_, Mornings()).status().kind(),
            core::ErrorKind::kPermissionDenied);
  PartTimeAgreement bad = Mornings();
  bad.attends.reset();
  EXPECT_EQ(part_time().Agree(head_, bad).status().code(), core::kErrRequiredKey);
  bad = Mornings();
  bad.attends = std::vector<std::string>{"mon-am", "sat-am"};
  core::Status s = part_time().Agree(head_, bad).status();
  EXPECT_EQ(s.code(), core::kErrValueInvalid);
  EXPECT_NE(s.message().find("'sat-am' is not a session"), std::string::npos) << s.message();
  bad = Mornings();
  bad.agreed_on = "2026-11-30";
  EXPECT_EQ(part_time().Agree(head_, bad).status().code(), core::kErrValueInvalid);  // future
  bad = Mornings();
  bad.end = "11 December";
  EXPECT_EQ(part_time().Agree(head_, bad).status().code(), core::kErrDateInvalid);
  bad = Mornings();
  bad.end = "2026-11-20";
  EXPECT_EQ(part_time().Agree(head_, bad).status().code(), core::kErrPartTimeInvalid);
  ASSERT_TRUE(part_time().Timetables(head_, a_)->empty());

  core::StatusOr<PartTimeView> agreed = part_time().Agree(head_, Mornings());
  ASSERT_TRUE(agreed.ok()) << agreed.status().message();
  EXPECT_EQ(agreed->state.status, core::TimetableStatus::kInForce);
  EXPECT_EQ(agreed->state.next_review, D("2026-12-01"));
  EXPECT_EQ(agreed->off_code, core::AttendanceCode::kPartTimeTimetable);  // of school age
  EXPECT_EQ(agreed->t.by_user_id, head_.user_id);
  EXPECT_EQ(part_time().Agree(head_, Mornings()).status().code(), core::kErrPartTimeOverlap);

  // Who sees it: those who see the pupil's support, never a parent.
  EXPECT_EQ(part_time().Timetables(office_, a_)->size(), 1u);
  EXPECT_EQ(part_time().Timetables(teacher_, a_)->size(), 1u);
  EXPECT_EQ(part_time().Timetables(parent_, a_).status().kind(),
            core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(part_time().Timetables(teacher_, b_).status().kind(),
            core::ErrorKind::kPermissionDenied);
  core::StatusOr<PupilPartTime> page = part_time().ForPupil(office_, a_);
  ASSERT_TRUE(page.ok());
  EXPECT_FALSE(page->may_agree);
  EXPECT_TRUE(page->may_review);
  EXPECT_TRUE(part_time().ForPupil(head_, a_)->may_agree);
  EXPECT_FALSE(part_time().ForPupil(teacher_, a_)->may_review);

  // The register: afternoons are off timetable (C2), mornings as usual.
  const std::optional<PlannedCode> pm = Planned(a_, "2026-11-25", core::Session::kPm);
  ASSERT_TRUE(pm);
  EXPECT_EQ(pm->code, core::AttendanceCode::kPartTimeTimetable);
  EXPECT_EQ(pm->label, "Off timetable");
  EXPECT_FALSE(Planned(a_, "2026-11-25", core::Session::kAm));
  EXPECT_FALSE(Planned(a_, "2026-12-14", core::Session::kPm));  // after the end
  EXPECT_FALSE(Planned(b_, "2026-11-25", core::Session::kPm));
}

TEST_F(PartTimeTest, ReviewsExtendAndEndIt) {
  core::StatusOr<PartTimeView> agreed = part_time().Agree(head_, Mornings());
  ASSERT_TRUE(agreed.ok()) << agreed.status().message();
  const std::string id = std::to_string(agreed->t.id);
  PartTimeReviewRequest r{.timetable_id = id, .outcome = "continue"};
  EXPECT_EQ(part_time().Review(teacher_, r).status().kind(), core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(part_time().Review(office_, {.timetable_id = "99", .outcome = "end"}).status().code(),
            core::kErrPartTimeUnknown);
  EXPECT_EQ(part_time().Review(office_, {.timetable_id = id}).status().code(),
            core::kErrRequiredKey);  // no outcome
  EXPECT_EQ(part_time().Review(office_, {.timetable_id = id, .outcome = "extend"}).status().code(),
            core::kErrRequiredKey);  // no new end
  const core::Status paused =
      part_time().Review(office_, {.timetable_id = id, .outcome = "pause"}).status();
  EXPECT_EQ(paused.code(), core::kErrPartTimeInvalid);
  EXPECT_EQ(paused.message(), "part-time review: the outcome is continue, extend or end");
  EXPECT_EQ(part_time()
                .Review(office_, {.timetable_id = id, .held_on = "2026-11-30", .outcome = "end"})
                .status()
                .code(),
            core::kErrValueInvalid);  // held in the future

  core::StatusOr<store::PartTimeReview> extended =
      part_time().Review(office_, {.timetable_id = id,
                                   .outcome = "extend",
                                   .end = "2026-12-18",
                                   .next_review = "2026-12-11",
                                   .notes = "Tiring"});
  ASSERT_TRUE(extended.ok()) << extended.status().message();
  EXPECT_EQ(extended->held_on, D("2026-11-25"));
  std::vector<PartTimeView> now = *part_time().Timetables(office_, a_);
  ASSERT_EQ(now.size(), 1u);
  EXPECT_EQ(now[0].state.end, D("2026-12-18"));
  EXPECT_EQ(now[0].t.end, D("2026-12-11"));
  EXPECT_EQ(now[0].reviews.size(), 1u);
  EXPECT_TRUE(Planned(a_, "2026-12-14", core::Session::kPm));

  // Ended today: from tomorrow the pupil is on the full timetable again.
  ASSERT_TRUE(part_time().Review(head_, {.timetable_id = id, .outcome = "end"}).ok());
  now = *part_time().Timetables(office_, a_);
  EXPECT_EQ(now[0].state.end, D("2026-11-25"));
  EXPECT_FALSE(now[0].state.next_review);
  clock_.Set(D("2026-11-26"), 13 * 60);
  EXPECT_EQ(part_time().Timetables(office_, a_)->front().state.status,
            core::TimetableStatus::kEnded);
  EXPECT_FALSE(Planned(a_, "2026-11-26", core::Session::kPm));
  EXPECT_EQ(part_time().PupilOf(id), a_);
  EXPECT_FALSE(part_time().PupilOf("99"));
}

TEST_F(PartTimeTest, TodayRemindsOfReviewsAndFlagsC2WithNoAgreement) {
  ASSERT_TRUE(part_time().Agree(head_, Mornings()).ok());
  ASSERT_TRUE(Mark(office_, b_, "2026-11-24", "AM", "C2", "Mum said mornings only").ok());
  EXPECT_EQ(part_time().Worklist(teacher_).status().kind(), core::ErrorKind::kPermissionDenied);
  core::StatusOr<PartTimeWorklist> work = part_time().Worklist(office_);
  ASSERT_TRUE(work.ok());
  ASSERT_EQ(work->timetables.size(), 1u);
  EXPECT_EQ(work->timetables[0].pupil_id, a_);
  EXPECT_TRUE(work->timetables[0].review_soon);  // 1 December is within a week
  EXPECT_FALSE(work->timetables[0].review_overdue);
  EXPECT_FALSE(work->timetables[0].ends_soon);
  ASSERT_EQ(work->unagreed.size(), 1u);
  EXPECT_EQ(work->unagreed[0].pupil_id, b_);
  EXPECT_EQ(work->unagreed[0].sessions, 1);
  EXPECT_EQ(work->unagreed[0].first.date, D("2026-11-24"));

  clock_.Set(D("2026-12-04"), 10 * 60);
  work = part_time().Worklist(office_);
  ASSERT_TRUE(work.ok());
  ASSERT_EQ(work->timetables.size(), 1u);
  EXPECT_TRUE(work->timetables[0].review_overdue);
  EXPECT_FALSE(work->timetables[0].review_soon);
  EXPECT_TRUE(work->timetables[0].ends_soon);  // 11 December is within a week
}

}  // namespace
}  // namespace rollcall::service
