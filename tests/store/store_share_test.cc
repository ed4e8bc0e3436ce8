// The one store suite, continued (instantiated for every backend in
// store_test.cc): the daily attendance share's log and the marks as last
// shared (store/share.h).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error_codes.h"
#include "store/store.h"
#include "store_test_util.h"

namespace rollcall::store {
namespace {

using core::AttendanceCode;
using core::ErrorKind;
using testing::Am;
using testing::kAt;
using testing::Opt;
using testing::Pm;
using testing::StoreTest;

std::string Dump(const Share& s) {
  return fmt::format("Share{{{} at={} {} {} rows={} ok={} {} by={} one_off={}}}", s.id, s.at,
                     s.destination_kind, s.destination, s.rows, s.ok, s.detail, s.by, s.one_off);
}

std::string Dump(const std::vector<SharedMark>& marks) {
  std::string out;
  for (const SharedMark& m : marks) {
    out += fmt::format("{} {} {} {} {} share={}\n", m.pupil_id, m.slot.date.ToString(),
                       core::SessionName(m.slot.session), static_cast<int>(m.code),
                       Opt(m.arrival_minute), m.share_id);
  }
  return out;
}

Share ShareOf(int64_t id, bool ok, int64_t rows) {
  return Share{id,
               kAt + id,
               "https",
               "https://receiver.example/share",
               rows,
               ok,
               ok ? "HTTP 200" : "HTTP 500: try later",
               "schedule",
               false};
}

TEST_P(StoreTest, AFailedShareIsLoggedAndRecordsNoMarkAsShared) {
  const int64_t p1 = AddTestPupil("A000000000001");
  const SharedMark m1{p1, Am("2025-09-08"), AttendanceCode::kPresentAm, std::nullopt, 0};
  ASSERT_OK(store().RecordShare(ShareOf(1, false, 1), {m1}));
  ASSERT_OK_AND_ASSIGN(std::vector<Share> log, store().ListShares());
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(Dump(log[0]), Dump(ShareOf(1, false, 1)));
  ASSERT_OK_AND_ASSIGN(std::vector<SharedMark> shared, store().SharedMarks());
  EXPECT_TRUE(shared.empty());
}

TEST_P(StoreTest, ASuccessfulShareRecordsEachMarkSentUnderItsVersion) {
  const int64_t p1 = AddTestPupil("A000000000001");
  const int64_t p2 = AddTestPupil("A000000000002");
  const SharedMark am{p1, Am("2025-09-08"), AttendanceCode::kPresentAm, std::nullopt, 0};
  const SharedMark pm{p1, Pm("2025-09-08"), AttendanceCode::kLateBeforeClose, 13 * 60 + 20, 0};
  const SharedMark other{p2, Am("2025-09-08"), AttendanceCode::kIllness, std::nullopt, 0};
  ASSERT_OK(store().RecordShare(ShareOf(1, true, 3), {other, pm, am}));
  ASSERT_OK_AND_ASSIGN(std::vector<SharedMark> shared, store().SharedMarks());
  EXPECT_EQ(Dump(shared), fmt::format("{0} 2025-09-08 AM {1} null share=1\n"
                                      "{0} 2025-09-08 PM {2} 800 share=1\n"
                                      "{3} 2025-09-08 AM {4} null share=1\n",
                                      p1, static_cast<int>(AttendanceCode::kPresentAm),
                                      static_cast<int>(AttendanceCode::kLateBeforeClose), p2,
                                      static_cast<int>(AttendanceCode::kIllness)));

  // The next share sends one amended mark: it alone is replaced, and names
  // the share that sent it.
  SharedMark amended = am;
  amended.code = AttendanceCode::kOtherUnauthorised;
  ASSERT_OK(store().RecordShare(ShareOf(2, true, 1), {amended}));
  ASSERT_OK_AND_ASSIGN(shared, store().SharedMarks());
  EXPECT_EQ(Dump(shared), fmt::format("{0} 2025-09-08 AM {1} null share=2\n"
                                      "{0} 2025-09-08 PM {2} 800 share=1\n"
                                      "{3} 2025-09-08 AM {4} null share=1\n",
                                      p1, static_cast<int>(AttendanceCode::kOtherUnauthorised),
                                      static_cast<int>(AttendanceCode::kLateBeforeClose), p2,
                                      static_cast<int>(AttendanceCode::kIllness)));
  ASSERT_OK_AND_ASSIGN(std::vector<Share> log, store().ListShares());
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(Dump(log[1]), Dump(ShareOf(2, true, 1)));
}

TEST_P(StoreTest, AOneOffShareIsLoggedAsSuchAndRecordsNoMarkAsShared) {
  const int64_t p1 = AddTestPupil("A000000000001");
  const SharedMark m1{p1, Am("2025-09-08"), AttendanceCode::kPresentAm, std::nullopt, 0};
  Share one_off = ShareOf(1, true, 1);
  one_off.destination = "https://elsewhere.example/in";
  one_off.one_off = true;
  ASSERT_OK(store().RecordShare(one_off, {m1}));
  ASSERT_OK_AND_ASSIGN(std::vector<Share> log, store().ListShares());
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(Dump(log[0]), Dump(one_off));
  ASSERT_OK_AND_ASSIGN(std::vector<SharedMark> shared, store().SharedMarks());
  EXPECT_TRUE(shared.empty());
}

TEST_P(StoreTest, AShareMustTakeTheNextVersion) {
  const int64_t p1 = AddTestPupil("A000000000001");
  const SharedMark m1{p1, Am("2025-09-08"), AttendanceCode::kPresentAm, std::nullopt, 0};
  // Another process's share took version 1 meanwhile: this one, sent as 1
  // too, is refused whole.
  ASSERT_OK(store().RecordShare(ShareOf(1, false, 0), {}));
  EXPECT_ERROR(store().RecordShare(ShareOf(1, true, 1), {m1}), ErrorKind::kConflict,
               core::kErrShareVersionTaken);
  EXPECT_ERROR(store().RecordShare(ShareOf(3, true, 1), {m1}), ErrorKind::kConflict,
               core::kErrShareVersionTaken);
  Share odd = ShareOf(2, true, 1);
  odd.destination_kind = "email";
  EXPECT_ERROR(store().RecordShare(odd, {m1}), ErrorKind::kInvalidArgument, core::kErrValueInvalid);
  ASSERT_OK_AND_ASSIGN(std::vector<Share> log, store().ListShares());
  EXPECT_EQ(log.size(), 1u);
  ASSERT_OK_AND_ASSIGN(std::vector<SharedMark> shared, store().SharedMarks());
  EXPECT_TRUE(shared.empty());
}

TEST_P(StoreTest, MarksToShareAreThoseNeverSharedOrChangedSince) {
  const int64_t p1 = AddTestPupil("A000000000001");
  const int64_t p2 = AddTestPupil("A000000000002");
  ASSERT_OK(store()
                .SaveMarks({testing::Write(p1, Am("2025-09-08"), AttendanceCode::kPresentAm),
                            testing::Write(p1, Pm("2025-09-08"), AttendanceCode::kLateBeforeClose,
                                           13 * 60 + 20),
                            testing::Write(p2, Am("2025-09-08"), AttendanceCode::kNoReasonYet)},
                           testing::kOffice, kAt)
                .status());
  ASSERT_OK_AND_ASSIGN(std::vector<MarkToShare> due, store().MarksToShare());
  ASSERT_EQ(due.size(), 3u) << "nothing shared yet";
  EXPECT_FALSE(due[0].shared);

  std::vector<SharedMark> sent;
  for (const MarkToShare& m : due) {
    sent.push_back({m.mark.pupil_id, m.mark.slot, m.mark.code, m.mark.arrival_minute, 1});
  }
  ASSERT_OK(store().RecordShare(ShareOf(1, true, 3), sent));
  ASSERT_OK_AND_ASSIGN(due, store().MarksToShare());
  EXPECT_TRUE(due.empty());

  // A new code for one session, a new arrival time (same code) for another.
  ASSERT_OK(store()
                .SaveMarks({testing::Write(p2, Am("2025-09-08"), AttendanceCode::kIllness,
                                           std::nullopt, "Mother phoned"),
                            testing::Write(p1, Pm("2025-09-08"), AttendanceCode::kLateBeforeClose,
                                           13 * 60 + 25, "Clock was wrong")},
                           testing::kOffice, kAt + 60)
                .status());
  ASSERT_OK_AND_ASSIGN(due, store().MarksToShare());
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].mark.pupil_id, p1);
  EXPECT_EQ(due[0].mark.arrival_minute, 13 * 60 + 25);
  ASSERT_TRUE(due[0].shared);
  EXPECT_EQ(due[0].shared->arrival_minute, 13 * 60 + 20);
  EXPECT_EQ(due[0].shared->share_id, 1);
  EXPECT_EQ(due[1].mark.pupil_id, p2);
  EXPECT_EQ(due[1].mark.code, AttendanceCode::kIllness);
  EXPECT_EQ(due[1].mark.recorded_at, kAt + 60);
  ASSERT_TRUE(due[1].shared);
  EXPECT_EQ(due[1].shared->code, AttendanceCode::kNoReasonYet);
}

}  // namespace
}  // namespace rollcall::store
