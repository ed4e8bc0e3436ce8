// The one store suite, continued (instantiated for both backends in
// store_test.cc): marks, the audit trail, login sessions and concurrent use.
#include <gtest/gtest.h>

#include <thread>

#include "core/error_codes.h"
#include "store/store.h"
#include "store_test_util.h"

namespace rollcall::store {
namespace {

using core::AttendanceCode;
using core::ErrorKind;
using testing::Am;
using testing::D;
using testing::Dump;
using testing::kOffice;
using testing::Pm;
using testing::StoreTest;
using testing::Write;

using testing::kAt;

// --- SaveMarks -------------------------------------------------------------------

TEST_P(StoreTest, FirstRecordingStoresMarksAndAuditRowsWithoutOldValues) {
  const int64_t p1 = AddTestPupil("A000000000001");
  const int64_t p2 = AddTestPupil("A000000000002");
  ASSERT_OK_AND_ASSIGN(
      SaveMarksResult result,
      store().SaveMarks(
          {Write(p1, Am("2025-09-08"), AttendanceCode::kPresentAm),
           Write(p2, Am("2025-09-08"), AttendanceCode::kLateBeforeClose, 9 * 60 + 5, "bus late")},
          kOffice, kAt));
  EXPECT_EQ(result.changed, 2);
  EXPECT_EQ(result.unchanged, 0);

  ASSERT_OK_AND_ASSIGN(std::vector<Mark> marks, store().MarksForSession(Am("2025-09-08")));
  EXPECT_EQ(Dump(marks),
            Dump(std::vector<Mark>{
                {p1, Am("2025-09-08"), AttendanceCode::kPresentAm, std::nullopt, kAt, 7},
                {p2, Am("2025-09-08"), AttendanceCode::kLateBeforeClose, 545, kAt, 7}}));

  ASSERT_OK_AND_ASSIGN(std::vector<Amendment> audit, store().AmendmentsForPupil(p2));
  Amendment expected;
  expected.id = 2;
  expected.pupil_id = p2;
  expected.slot = Am("2025-09-08");
  expected.new_code = AttendanceCode::kLateBeforeClose;
  expected.new_arrival_minute = 545;
  expected.reason = "bus late";
  expected.at = kAt;
  expected.by_user_id = 7;
  expected.by_name = "Ms Office";
  expected.by_role = Role::kOffice;
  EXPECT_EQ(Dump(audit), Dump(std::vector<Amendment>{expected}));
  EXPECT_FALSE(audit[0].old_code.has_value());
  ASSERT_OK_AND_ASSIGN(int64_t count, store().CountAmendments());
  EXPECT_EQ(count, 2);
}

TEST_P(StoreTest, AWriteMayNameItsOwnActorAndTime) {
  const int64_t p1 = AddTestPupil("A000000000001");
  const int64_t p2 = AddTestPupil("A000000000002");
  MarkWrite teacher = Write(p1, Am("2025-09-08"), AttendanceCode::kNoReasonYet);
  teacher.actor = Actor{42, "Mr Teacher", Role::kTeacher};
  teacher.at = kAt + 60;
  ASSERT_OK(store()
                .SaveMarks({teacher, Write(p2, Am("2025-09-08"), AttendanceCode::kPresentAm)},
                           kOffice, kAt)
                .status());
  ASSERT_OK_AND_ASSIGN(std::vector<Amendment> first, store().AmendmentsForPupil(p1));
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].by_user_id, 42);
  EXPECT_EQ(first[0].by_name, "Mr Teacher");
  EXPECT_EQ(first[0].by_role, Role::kTeacher);
  EXPECT_EQ(first[0].at, kAt + 60);
  ASSERT_OK_AND_ASSIGN(std::vector<Amendment> second, store().AmendmentsForPupil(p2));
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].by_name, "Ms Office");
  EXPECT_EQ(second[0].at, kAt);
  ASSERT_OK_AND_ASSIGN(std::vector<Mark> marks, store().MarksForSession(Am("2025-09-08")));
  ASSERT_EQ(marks.size(), 2u);
  EXPECT_EQ(marks[0].recorded_by, 42);
  EXPECT_EQ(marks[0].recorded_at, kAt + 60);
}

TEST_P(StoreTest, SameMarkAgainIsUnchangedAndWritesNothing) {
  const int64_t p1 = AddTestPupil("A000000000001");
  const std::vector<MarkWrite> batch = {
      Write(p1, Am("2025-09-08"), AttendanceCode::kLateBeforeClose, 545),
      Write(p1, Pm("2025-09-08"), AttendanceCode::kPresentPm)};
  ASSERT_OK(store().SaveMarks(batch, kOffice, kAt));
  const Actor later{.user_id = 8, .name = "Mr Later", .role = Role::kTeacher};
  ASSERT_OK_AND_ASSIGN(SaveMarksResult result, store().SaveMarks(batch, later, kAt + 600));
  EXPECT_EQ(result.changed, 0);
  EXPECT_EQ(result.unchanged, 2);
  ASSERT_OK_AND_ASSIGN(std::vector<Mark> marks, store().MarksForPupil(p1));
  ASSERT_EQ(marks.size(), 2u);
  EXPECT_EQ(marks[0].recorded_at, kAt);  // untouched
  EXPECT_EQ(marks[0].recorded_by, 7);
  ASSERT_OK_AND_ASSIGN(int64_t count, store().CountAmendments());
  EXPECT_EQ(count, 2);
}

TEST_P(StoreTest, ChangesRecordTheOldCodeAndArrival) {
  const int64_t p1 = AddTestPupil("A000000000001");
  ASSERT_OK(
      store().SaveMarks({Write(p1, Am("2025-09-08"), AttendanceCode::kNoReasonYet)}, kOffice, kAt));
  const Actor head{.user_id = 3, .name = "Dr Head", .role = Role::kHead};
  ASSERT_OK_AND_ASSIGN(
      SaveMarksResult result,
      store().SaveMarks({Write(p1, Am("2025-09-08"), AttendanceCode::kLateBeforeClose, 540,
                               "arrived; register corrected")},
                        head, kAt + 100));
  EXPECT_EQ(result.changed, 1);
  // Only the arrival time differs: still a change.
  ASSERT_OK_AND_ASSIGN(
      result, store().SaveMarks({Write(p1, Am("2025-09-08"), AttendanceCode::kLateBeforeClose, 550,
                                       "time corrected")},
                                head, kAt + 200));
  EXPECT_EQ(result.changed, 1);

  ASSERT_OK_AND_ASSIGN(std::vector<Amendment> audit, store().AmendmentsForPupil(p1));
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[0].id, 1);
  EXPECT_FALSE(audit[0].old_code.has_value());
  EXPECT_EQ(audit[1].old_code, AttendanceCode::kNoReasonYet);
  EXPECT_FALSE(audit[1].old_arrival_minute.has_value());
  EXPECT_EQ(audit[1].new_code, AttendanceCode::kLateBeforeClose);
  EXPECT_EQ(audit[1].new_arrival_minute, 540);
  EXPECT_EQ(audit[1].reason, "arrived; register corrected");
  EXPECT_EQ(audit[1].by_name, "Dr Head");
  EXPECT_EQ(audit[1].by_role, Role::kHead);
  EXPECT_EQ(audit[1].by_user_id, 3);
  EXPECT_EQ(audit[1].at, kAt + 100);
  EXPECT_EQ(audit[2].old_code, AttendanceCode::kLateBeforeClose);
  EXPECT_EQ(audit[2].old_arrival_minute, 540);
  EXPECT_EQ(audit[2].new_arrival_minute, 550);
  ASSERT_OK_AND_ASSIGN(std::vector<Mark> marks, store().MarksForPupil(p1));
  EXPECT_EQ(Dump(marks),
            Dump(std::vector<Mark>{
                {p1, Am("2025-09-08"), AttendanceCode::kLateBeforeClose, 550, kAt + 200, 3}}));
}

TEST_P(StoreTest, ABatchWithAnUnknownPupilWritesNothing) {
  const int64_t p1 = AddTestPupil("A000000000001");
  const int64_t p2 = AddTestPupil("A000000000002");
  ASSERT_OK(
      store().SaveMarks({Write(p1, Am("2025-09-08"), AttendanceCode::kPresentAm)}, kOffice, kAt));
  ASSERT_OK_AND_ASSIGN(std::vector<Mark> before, store().AllMarks());

  // A change, a first recording, then the unknown pupil last.
  EXPECT_ERROR(store().SaveMarks({Write(p1, Am("2025-09-08"), AttendanceCode::kIllness),
                                  Write(p2, Am("2025-09-08"), AttendanceCode::kPresentAm),
                                  Write(99, Am("2025-09-08"), AttendanceCode::kPresentAm)},
                                 kOffice, kAt + 60),
               ErrorKind::kNotFound, core::kErrPupilUnknown);
  ASSERT_OK_AND_ASSIGN(std::vector<Mark> after, store().AllMarks());
  EXPECT_EQ(Dump(after), Dump(before));
  ASSERT_OK_AND_ASSIGN(int64_t count, store().CountAmendments());
  EXPECT_EQ(count, 1);
  ASSERT_OK_AND_ASSIGN(std::vector<Amendment> audit, store().AmendmentsForPupil(p2));
  EXPECT_TRUE(audit.empty());

  // The store still works, and audit ids continue without a gap.
  ASSERT_OK(store().SaveMarks({Write(p2, Am("2025-09-08"), AttendanceCode::kPresentAm)}, kOffice,
                              kAt + 120));
  ASSERT_OK_AND_ASSIGN(audit, store().AmendmentsForPupil(p2));
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].id, 2);
}

TEST_P(StoreTest, ARepeatedSlotInOneBatchComparesWithTheEarlierWrite) {
  const int64_t p1 = AddTestPupil("A000000000001");
  ASSERT_OK_AND_ASSIGN(SaveMarksResult result,
                       store().SaveMarks({Write(p1, Am("2025-09-08"), AttendanceCode::kNoReasonYet),
                                          Write(p1, Am("2025-09-08"), AttendanceCode::kNoReasonYet),
                                          Write(p1, Am("2025-09-08"), AttendanceCode::kIllness)},
                                         kOffice, kAt));
  EXPECT_EQ(result.changed, 2);
  EXPECT_EQ(result.unchanged, 1);
  ASSERT_OK_AND_ASSIGN(std::vector<Amendment> audit, store().AmendmentsForPupil(p1));
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[1].old_code, AttendanceCode::kNoReasonYet);
  EXPECT_EQ(audit[1].new_code, AttendanceCode::kIllness);
}

TEST_P(StoreTest, AnEmptyBatchSavesNothing) {
  ASSERT_OK_AND_ASSIGN(SaveMarksResult result, store().SaveMarks({}, kOffice, kAt));
  EXPECT_EQ(result.changed, 0);
  EXPECT_EQ(result.unchanged, 0);
}

TEST_P(StoreTest, EveryCodeRoundTrips) {
  const int64_t p1 = AddTestPupil("A000000000001");
  std::vector<MarkWrite> writes;
  core::Date date = D("2020-01-06");
  for (const core::CodeInfo& info : core::AllCodes()) {
    writes.push_back(Write(p1, {date, core::Session::kAm}, info.code));
    date = date.AddDays(1);
  }
  ASSERT_OK(store().SaveMarks(writes, kOffice, kAt));
  ASSERT_OK_AND_ASSIGN(std::vector<Mark> marks, store().MarksForPupil(p1));
  ASSERT_EQ(marks.size(), writes.size());
  for (size_t i = 0; i < marks.size(); ++i) EXPECT_EQ(marks[i].code, writes[i].code);
}

TEST_P(StoreTest, MarksComeBackInTheStatedOrders) {
  const int64_t p1 = AddTestPupil("A000000000001");
  const int64_t p2 = AddTestPupil("A000000000002");
  const int64_t p3 = AddTestPupil("A000000000003");
  // Written out of order on purpose.
  ASSERT_OK(store().SaveMarks({Write(p3, Pm("2025-09-09"), AttendanceCode::kPresentPm),
                               Write(p2, Am("2025-09-09"), AttendanceCode::kIllness),
                               Write(p3, Am("2025-09-09"), AttendanceCode::kPresentAm),
                               Write(p1, Am("2025-09-09"), AttendanceCode::kPresentAm),
                               Write(p3, Pm("2025-09-08"), AttendanceCode::kPresentPm),
                               Write(p1, Pm("2025-09-08"), AttendanceCode::kIllness)},
                              kOffice, kAt));
  auto ids_and_slots = [](const std::vector<Mark>& marks) {
    std::vector<std::string> out;
    for (const Mark& m : marks)
      out.push_back(fmt::format("{} {}", m.pupil_id, testing::Slot(m.slot)));
    return out;
  };
  ASSERT_OK_AND_ASSIGN(std::vector<Mark> marks, store().MarksForSession(Am("2025-09-09")));
  EXPECT_EQ(ids_and_slots(marks),
            (std::vector<std::string>{"1 2025-09-09 AM", "2 2025-09-09 AM", "3 2025-09-09 AM"}));
  ASSERT_OK_AND_ASSIGN(marks, store().MarksForPupil(p3));
  EXPECT_EQ(ids_and_slots(marks),
            (std::vector<std::string>{"3 2025-09-08 PM", "3 2025-09-09 AM", "3 2025-09-09 PM"}));
  ASSERT_OK_AND_ASSIGN(marks, store().AllMarks());
  EXPECT_EQ(ids_and_slots(marks),
            (std::vector<std::string>{"1 2025-09-08 PM", "1 2025-09-09 AM", "2 2025-09-09 AM",
                                      "3 2025-09-08 PM", "3 2025-09-09 AM", "3 2025-09-09 PM"}));
  ASSERT_OK_AND_ASSIGN(marks, store().MarksForSession(Am("2025-09-10")));
  EXPECT_TRUE(marks.empty());
  ASSERT_OK_AND_ASSIGN(marks, store().MarksForPupil(99));
  EXPECT_TRUE(marks.empty());
  ASSERT_OK_AND_ASSIGN(std::vector<Amendment> audit, store().AmendmentsForPupil(99));
  EXPECT_TRUE(audit.empty());
  ASSERT_OK_AND_ASSIGN(audit, store().AmendmentsForPupil(p3));
  EXPECT_EQ(audit.size(), 3u);
}

TEST_P(StoreTest, MarksOutsideTheSchemaLimitsAreRefusedAndNothingIsWritten) {
  const int64_t p1 = AddTestPupil("A000000000001");
  EXPECT_ERROR(
      store().SaveMarks({Write(p1, Am("2025-09-08"), AttendanceCode::kPresentAm),
                         Write(p1, Pm("2025-09-08"), AttendanceCode::kLateBeforeClose, 24 * 60)},
                        kOffice, kAt),
      ErrorKind::kInternal, core::kErrDbError);
  const Actor bad_role{.user_id = 1, .name = "?", .role = static_cast<Role>(0)};
  EXPECT_ERROR(
      store().SaveMarks({Write(p1, Am("2025-09-08"), AttendanceCode::kPresentAm)}, bad_role, kAt),
      ErrorKind::kInternal, core::kErrDbError);
  ASSERT_OK_AND_ASSIGN(std::vector<Mark> marks, store().AllMarks());
  EXPECT_TRUE(marks.empty());
  ASSERT_OK_AND_ASSIGN(int64_t count, store().CountAmendments());
  EXPECT_EQ(count, 0);
}

// --- Login sessions -------------------------------------------------------------

TEST_P(StoreTest, AuthSessionsAreCreatedFoundDeletedAndExpired) {
  const int64_t user = AddTestUser("kim");
  const AuthSession a{"hash-a", user, "csrf-a", 1000, 2000};
  const AuthSession b{"hash-b", user, "csrf-b", 1000, 3000};
  ASSERT_OK(store().CreateAuthSession(a));
  ASSERT_OK(store().CreateAuthSession(b));
  ASSERT_OK_AND_ASSIGN(AuthSession found, store().FindAuthSession("hash-a"));
  EXPECT_EQ(Dump(found), Dump(a));
  EXPECT_ERROR(store().FindAuthSession("hash-x"), ErrorKind::kNotFound, core::kErrSessionUnknown);
  EXPECT_ERROR(store().CreateAuthSession({"hash-c", 99, "csrf", 0, 1}), ErrorKind::kNotFound,
               core::kErrUserUnknown);
  EXPECT_ERROR(store().CreateAuthSession(a), ErrorKind::kInternal, core::kErrDbError);

  ASSERT_OK(store().DeleteAuthSession("hash-a"));
  EXPECT_ERROR(store().FindAuthSession("hash-a"), ErrorKind::kNotFound, core::kErrSessionUnknown);
  ASSERT_OK(store().DeleteAuthSession("hash-a"));  // logging out twice is fine

  const AuthSession c{"hash-c", user, "csrf-c", 1000, 4000};
  ASSERT_OK(store().CreateAuthSession(c));
  ASSERT_OK(store().DeleteExpiredAuthSessions(2999));
  ASSERT_OK(store().FindAuthSession("hash-b"));
  ASSERT_OK(store().DeleteExpiredAuthSessions(3000));  // expires_at <= now: expired
  EXPECT_ERROR(store().FindAuthSession("hash-b"), ErrorKind::kNotFound, core::kErrSessionUnknown);
  ASSERT_OK_AND_ASSIGN(found, store().FindAuthSession("hash-c"));
  EXPECT_EQ(Dump(found), Dump(c));
}

TEST_P(StoreTest, ASessionIsTouchedOnlyForwardAndAUsersSessionsEndTogether) {
  const int64_t kim = AddTestUser("kim");
  const int64_t lee = AddTestUser("lee");
  ASSERT_OK(store().CreateAuthSession({"kim-1", kim, "c1", 1000, 9000, 1000}));
  ASSERT_OK(store().CreateAuthSession({"kim-2", kim, "c2", 1000, 9000, 1000}));
  ASSERT_OK(store().CreateAuthSession({"lee-1", lee, "c3", 1000, 9000, 1000}));

  ASSERT_OK(store().TouchAuthSession("kim-1", 1500));
  ASSERT_OK(store().TouchAuthSession("kim-1", 1200));  // an older request, answered later
  ASSERT_OK(store().TouchAuthSession("nobody", 1500));
  ASSERT_OK_AND_ASSIGN(AuthSession found, store().FindAuthSession("kim-1"));
  EXPECT_EQ(found.last_seen_at, 1500);
  ASSERT_OK_AND_ASSIGN(found, store().FindAuthSession("kim-2"));
  EXPECT_EQ(found.last_seen_at, 1000);

  ASSERT_OK(store().DeleteAuthSessionsOf(kim));
  EXPECT_ERROR(store().FindAuthSession("kim-1"), ErrorKind::kNotFound, core::kErrSessionUnknown);
  EXPECT_ERROR(store().FindAuthSession("kim-2"), ErrorKind::kNotFound, core::kErrSessionUnknown);
  ASSERT_OK(store().FindAuthSession("lee-1"));
  ASSERT_OK(store().DeleteAuthSessionsOf(kim));  // none left is no error
}

TEST_P(StoreTest, SetPasswordEndsEveryLoginOfThatUserAlone) {
  const int64_t kim = AddTestUser("kim");
  const int64_t lee = AddTestUser("lee");
  ASSERT_OK(store().CreateAuthSession({"kim-1", kim, "c1", 1000, 9000}));
  ASSERT_OK(store().CreateAuthSession({"kim-2", kim, "c2", 1000, 9000}));
  ASSERT_OK(store().CreateAuthSession({"lee-1", lee, "c3", 1000, 9000}));
  ASSERT_OK(store().SetPassword(kim, "new-hash"));
  EXPECT_ERROR(store().FindAuthSession("kim-1"), ErrorKind::kNotFound, core::kErrSessionUnknown);
  EXPECT_ERROR(store().FindAuthSession("kim-2"), ErrorKind::kNotFound, core::kErrSessionUnknown);
  ASSERT_OK(store().FindAuthSession("lee-1"));
  ASSERT_OK_AND_ASSIGN(User user, store().GetUser(kim));
  EXPECT_EQ(user.password_hash, "new-hash");
  EXPECT_ERROR(store().SetPassword(99, "x"), ErrorKind::kNotFound, core::kErrUserUnknown);
}

// --- Threads ---------------------------------------------------------------------

TEST_P(StoreTest, ConcurrentWritersAndReadersSeeWholeBatches) {
  constexpr int kThreads = 4;
  constexpr int kBatches = 25;
  constexpr int kPupilsPerThread = 5;
  std::vector<std::vector<int64_t>> pupils(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPupilsPerThread; ++i) {
      pupils[t].push_back(AddTestPupil(fmt::format("T{:02}{:010}", t, i)));
    }
  }
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads + 1, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      core::Date date = D("2025-09-08");
      for (int batch = 0; batch < kBatches; ++batch, date = date.AddDays(1)) {
        std::vector<MarkWrite> writes;
        for (int64_t id : pupils[t]) {
          writes.push_back(Write(id, {date, core::Session::kAm}, AttendanceCode::kPresentAm));
        }
        core::StatusOr<SaveMarksResult> saved = store().SaveMarks(writes, kOffice, kAt);
        if (!saved.ok() || saved->changed != kPupilsPerThread) ++failures[t];
      }
    });
  }
  threads.emplace_back([&] {
    // A reader never sees part of a batch: each pupil's marks come in whole
    // slots that every pupil of the thread shares.
    for (int i = 0; i < 50; ++i) {
      core::StatusOr<std::vector<Mark>> marks = store().MarksForSession(Am("2025-09-10"));
      if (!marks.ok() || (marks->size() % kPupilsPerThread) != 0) ++failures[kThreads];
      if (!store().CountAmendments().ok()) ++failures[kThreads];
    }
  });
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures, std::vector<int>(kThreads + 1, 0));
  ASSERT_OK_AND_ASSIGN(int64_t count, store().CountAmendments());
  EXPECT_EQ(count, kThreads * kBatches * kPupilsPerThread);
  ASSERT_OK_AND_ASSIGN(std::vector<Mark> marks, store().AllMarks());
  EXPECT_EQ(marks.size(), static_cast<size_t>(kThreads * kBatches * kPupilsPerThread));
}

}  // namespace
}  // namespace rollcall::store
