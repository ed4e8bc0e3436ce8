// The one store suite, continued (instantiated for both backends in
// store_test.cc): part-time timetables and letters.
#include <gtest/gtest.h>

#include "core/error_codes.h"
#include "core/part_time.h"
#include "store/store.h"
#include "store_test_util.h"

namespace rollcall::store {
namespace {

using testing::CodeOf;
using testing::D;
using testing::StoreTest;

constexpr uint16_t kMornings = 0b0101010101;

PartTimeTimetable PartTimeFor(int64_t pupil) {
  return {.pupil_id = pupil,
          .agreed_on = D("2025-10-01"),
          .agreed_with = "Mrs A Khan (mother)",
          .start = D("2025-10-06"),
          .end = D("2025-11-14"),
          .attends = kMornings,
          .review_date = D("2025-10-20"),
          .reason = "Phased return after an operation",
          .plan = "Back to full time by half-term",
          .at = 100,
          .by_name = "Mr Head",
          .by_role = Role::kHead};
}

TEST_P(StoreTest, PartTimeTimetablesAreCheckedAndRoundTrip) {
  const int64_t p1 = AddTestPupil("A000000000001");
  ASSERT_OK_AND_ASSIGN(int64_t id, store().AddPartTimeTimetable(PartTimeFor(p1)));
  EXPECT_EQ(id, 1);
  ASSERT_OK_AND_ASSIGN(std::vector<PartTimeTimetable> all, store().ListPartTimeTimetables());
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].attends, kMornings);
  EXPECT_EQ(all[0].end, D("2025-11-14"));
  EXPECT_EQ(all[0].agreed_with, "Mrs A Khan (mother)");
  EXPECT_EQ(all[0].by_role, Role::kHead);

  auto refused = [&](auto change) {
    PartTimeTimetable t = PartTimeFor(p1);
    t.start = D("2026-01-05");
    t.end = D("2026-02-06");
    t.review_date = D("2026-01-19");
    t.agreed_on = D("2026-01-02");
    change(t);
    return CodeOf(store().AddPartTimeTimetable(t));
  };
  EXPECT_EQ(refused([](PartTimeTimetable& t) { t.end = D("2026-01-02"); }),
            core::kErrPartTimeInvalid);  // ends before it starts
  EXPECT_EQ(refused([](PartTimeTimetable& t) { t.end = D("2027-02-01"); }),
            core::kErrPartTimeInvalid);  // not time-limited
  EXPECT_EQ(refused([](PartTimeTimetable& t) { t.review_date = D("2026-03-01"); }),
            core::kErrPartTimeInvalid);  // review after the end
  EXPECT_EQ(refused([](PartTimeTimetable& t) { t.attends = 0; }), core::kErrPartTimeInvalid);
  EXPECT_EQ(refused([](PartTimeTimetable& t) { t.attends = core::TimetablePattern::kAllSessions; }),
            core::kErrPartTimeInvalid);  // full time
  EXPECT_EQ(refused([](PartTimeTimetable& t) { t.agreed_with.clear(); }),
            core::kErrPartTimeInvalid);
  EXPECT_EQ(refused([](PartTimeTimetable& t) {
              t.agreed_on = D("2025-11-03");
              t.start = D("2025-11-10");
            }),
            core::kErrPartTimeOverlap);  // overlaps the first
  EXPECT_EQ(refused([](PartTimeTimetable& t) { t.pupil_id = 99; }), core::kErrPupilUnknown);
  EXPECT_EQ(refused([](PartTimeTimetable&) {}), "");  // the same dates next term are fine
  ASSERT_OK_AND_ASSIGN(all, store().ListPartTimeTimetables());
  EXPECT_EQ(all.size(), 2u);
}

TEST_P(StoreTest, PartTimeReviewsContinueExtendOrEndTheTimetable) {
  const int64_t p1 = AddTestPupil("A000000000001");
  ASSERT_OK_AND_ASSIGN(int64_t id, store().AddPartTimeTimetable(PartTimeFor(p1)));
  PartTimeReview r{.timetable_id = id,
                   .held_on = D("2025-10-20"),
                   .outcome = PartTimeOutcome::kContinue,
                   .end = D("2025-11-14"),
                   .next_review = D("2025-11-03"),
                   .notes = "Going well",
                   .at = 200,
                   .by_name = "Mr Head"};
  ASSERT_OK(store().AddPartTimeReview(r).status());
  PartTimeReview bad = r;
  bad.end = D("2025-11-21");  // continue keeps the end date
  EXPECT_EQ(CodeOf(store().AddPartTimeReview(bad)), core::kErrPartTimeInvalid);
  bad = r;
  bad.next_review.reset();
  EXPECT_EQ(CodeOf(store().AddPartTimeReview(bad)), core::kErrPartTimeInvalid);
  bad = r;
  bad.timetable_id = 42;
  EXPECT_EQ(CodeOf(store().AddPartTimeReview(bad)), core::kErrPartTimeUnknown);

  PartTimeReview extend = r;
  extend.held_on = D("2025-11-03");
  extend.outcome = PartTimeOutcome::kExtend;
  extend.end = D("2025-11-28");
  extend.next_review = D("2025-11-21");
  ASSERT_OK(store().AddPartTimeReview(extend).status());
  // Now the end in force is 28 November: continuing must keep that.
  PartTimeReview again = r;
  again.held_on = D("2025-11-21");
  again.next_review = D("2025-11-27");
  EXPECT_EQ(CodeOf(store().AddPartTimeReview(again)), core::kErrPartTimeInvalid);
  again.end = D("2025-11-28");
  ASSERT_OK(store().AddPartTimeReview(again).status());
  // Ending it: no next review, and no later than the end in force.
  PartTimeReview end{.timetable_id = id,
                     .held_on = D("2025-11-24"),
                     .outcome = PartTimeOutcome::kEnd,
                     .end = D("2025-11-24"),
                     .by_name = "Mr Head"};
  PartTimeReview late = end;
  late.end = D("2025-12-05");
  EXPECT_EQ(CodeOf(store().AddPartTimeReview(late)), core::kErrPartTimeInvalid);
  ASSERT_OK(store().AddPartTimeReview(end).status());
  ASSERT_OK_AND_ASSIGN(std::vector<PartTimeReview> reviews, store().ListPartTimeReviews());
  ASSERT_EQ(reviews.size(), 4u);
  EXPECT_EQ(reviews.back().outcome, PartTimeOutcome::kEnd);
  EXPECT_FALSE(reviews.back().next_review);
  // Ended on 24 November: a new timetable may start the next week.
  PartTimeTimetable next = PartTimeFor(p1);
  next.agreed_on = D("2025-11-25");
  next.start = D("2025-12-01");
  next.end = D("2025-12-12");
  next.review_date = D("2025-12-08");
  ASSERT_OK(store().AddPartTimeTimetable(next).status());
}

Letter MakeLetter(int64_t pupil, std::string subject) {
  return {.pupil_id = pupil,
          .template_key = "attendance_concern",
          .addressee = "Mrs A Khan",
          .address = "Mrs A Khan\n3 Mill Lane\nHinckley\nLE10 2AB",
          .subject = std::move(subject),
          .body = "Dear Mrs Khan,\n\nAttendance is 89.5%.",
          .figures_json = R"({"attendance_pct":"89.5"})",
          .at = 300,
          .by_user_id = 2,
          .by_name = "Ms Office",
          .by_role = Role::kOffice};
}

TEST_P(StoreTest, LettersAreStoredInBatchesAndLoggedAsContacts) {
  const int64_t p1 = AddTestPupil("A000000000001");
  const int64_t p2 = AddTestPupil("A000000000002");
  ASSERT_OK_AND_ASSIGN(std::vector<int64_t> first,
                       store().AddLetters({MakeLetter(p1, "Attendance concern")}));
  ASSERT_OK_AND_ASSIGN(std::vector<int64_t> ids,
                       store().AddLetters({MakeLetter(p1, "Termly"), MakeLetter(p2, "Termly")}));
  ASSERT_EQ(ids.size(), 2u);
  ASSERT_OK_AND_ASSIGN(std::vector<Letter> batch, store().LettersInBatch(ids[0]));
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch[1].pupil_id, p2);
  EXPECT_EQ(batch[1].batch, ids[0]);
  EXPECT_EQ(batch[1].figures_json, R"({"attendance_pct":"89.5"})");
  ASSERT_OK_AND_ASSIGN(std::vector<Letter> mine, store().LettersForPupil(p1));
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].id, first[0]);
  ASSERT_OK_AND_ASSIGN(Letter one, store().GetLetter(ids[1]));
  EXPECT_EQ(one.subject, "Termly");
  EXPECT_EQ(one.pupil_id, p2);
  EXPECT_EQ(one.address, "Mrs A Khan\n3 Mill Lane\nHinckley\nLE10 2AB");
  EXPECT_EQ(CodeOf(store().GetLetter(99)), core::kErrLetterUnknown);
  ASSERT_OK_AND_ASSIGN(std::vector<Letter> recent, store().RecentBatches(5));
  ASSERT_EQ(recent.size(), 2u);
  EXPECT_EQ(recent[0].id, ids[0]);
  // Each letter is in the contact log as a letter sent.
  ASSERT_OK_AND_ASSIGN(std::vector<ContactLogEntry> log, store().ContactLogForPupil(p2));
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].method, ContactMethod::kLetter);
  EXPECT_EQ(log[0].outcome, ContactOutcome::kSent);
  EXPECT_EQ(log[0].note, "Termly (letter 3)");

  // All or nothing: an unknown pupil or bad figures stores none of the batch.
  Letter bad = MakeLetter(p2, "x");
  bad.figures_json = "[1]";
  EXPECT_EQ(CodeOf(store().AddLetters({MakeLetter(p1, "y"), bad})), core::kErrValueInvalid);
  EXPECT_EQ(CodeOf(store().AddLetters({MakeLetter(p1, "y"), MakeLetter(77, "z")})),
            core::kErrPupilUnknown);
  EXPECT_EQ(CodeOf(store().AddLetters({})), core::kErrValueInvalid);
  EXPECT_EQ(CodeOf(store().AddLetters({MakeLetter(p1, "")})), core::kErrValueInvalid);
  ASSERT_OK_AND_ASSIGN(mine, store().LettersForPupil(p1));
  EXPECT_EQ(mine.size(), 2u);
  ASSERT_OK_AND_ASSIGN(log, store().ContactLogForPupil(p1));
  EXPECT_EQ(log.size(), 2u);
}

}  // namespace
}  // namespace rollcall::store

namespace rollcall::store {
namespace {

using testing::CodeOf;
using testing::D;
using testing::StoreTest;

LeaveRequest Request(int64_t pupil) {
  return {.pupil_id = pupil,
          .from = {D("2026-12-07"), core::Session::kAm},
          .to = {D("2026-12-08"), core::Session::kPm},
          .code = core::AttendanceCode::kExceptional,
          .reason = "Grandmother's funeral in Poland",
          .evidence = "Funeral notice",
          .received_on = D("2026-12-01"),
          .at = 50,
          .by_name = "Mrs Parent"};
}

TEST_P(StoreTest, LeaveRequestsAreDecidedOnceWithTheirLetter) {
  const int64_t p1 = AddTestPupil("A000000000001");
  ASSERT_OK_AND_ASSIGN(int64_t id, store().AddLeaveRequest(Request(p1)));
  LeaveRequest bad = Request(p1);
  bad.code = core::AttendanceCode::kHolidayNotGranted;
  EXPECT_EQ(CodeOf(store().AddLeaveRequest(bad)), core::kErrLeaveInvalid);
  bad = Request(p1);
  bad.to = {D("2026-12-07"), core::Session::kAm};
  bad.from = {D("2026-12-07"), core::Session::kPm};
  EXPECT_EQ(CodeOf(store().AddLeaveRequest(bad)), core::kErrLeaveInvalid);
  EXPECT_EQ(CodeOf(store().AddLeaveRequest(Request(p1 + 3))), core::kErrPupilUnknown);
  ASSERT_OK_AND_ASSIGN(std::vector<LeaveRequest> all, store().ListLeaveRequests());
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].to.session, core::Session::kPm);
  EXPECT_EQ(all[0].code, core::AttendanceCode::kExceptional);

  Letter letter = MakeLetter(p1, "Leave of absence granted");
  ASSERT_OK_AND_ASSIGN(
      int64_t decided,
      store().DecideLeave(
          {.request_id = id, .decision = LeaveOutcome::kGranted, .reason = "Bereavement"}, letter));
  (void)decided;
  EXPECT_EQ(CodeOf(store().DecideLeave({.request_id = id, .decision = LeaveOutcome::kRefused},
                                       std::nullopt)),
            core::kErrLeaveDecided);
  EXPECT_EQ(CodeOf(store().DecideLeave({.request_id = 9, .decision = LeaveOutcome::kRefused},
                                       std::nullopt)),
            core::kErrLeaveUnknown);
  ASSERT_OK_AND_ASSIGN(std::vector<LeaveDecision> decisions, store().ListLeaveDecisions());
  ASSERT_EQ(decisions.size(), 1u);
  ASSERT_TRUE(decisions[0].letter_id);
  ASSERT_OK_AND_ASSIGN(Letter sent, store().GetLetter(*decisions[0].letter_id));
  EXPECT_EQ(sent.subject, "Leave of absence granted");
  ASSERT_OK_AND_ASSIGN(std::vector<ContactLogEntry> log, store().ContactLogForPupil(p1));
  EXPECT_EQ(log.size(), 1u);
}

}  // namespace
}  // namespace rollcall::store
