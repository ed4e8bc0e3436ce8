// The one store suite, continued (instantiated for every backend in
// store_test.cc): the access log of who read a pupil's records, read per
// pupil and per user, newest first, a page at a time.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error_codes.h"
#include "store/store.h"
#include "store_test_util.h"

namespace rollcall::store {
namespace {

using testing::kAt;
using testing::StoreTest;

AccessLogEntry Read(int64_t user, int64_t pupil, const char* kind, int64_t at,
                    const std::string& detail = "") {
  return {.id = 0,
          .at = at,
          .user_id = user,
          .user_name = "User " + std::to_string(user),
          .role = user == 1 ? Role::kHead : Role::kOffice,
          .kind = kind,
          .pupil_id = pupil,
          .detail = detail};
}

TEST_P(StoreTest, TheAccessLogIsReadPerPupilAndPerUserNewestFirst) {
  const int64_t p1 = AddTestPupil("A000000000001");
  const int64_t p2 = AddTestPupil("A000000000002");
  ASSERT_OK(store().AddAccessLogEntry(Read(2, p1, kAccessPupilPage, kAt, "/pupils/1")).status());
  ASSERT_OK(store().AddAccessLogEntry(Read(2, p2, kAccessEvidence, kAt + 1, "note.pdf")).status());
  ASSERT_OK(store().AddAccessLogEntry(Read(1, p1, kAccessSubjectAccess, kAt + 2)).status());
  ASSERT_OK_AND_ASSIGN(int64_t last,
                       store().AddAccessLogEntry(Read(2, p1, kAccessCasework, kAt + 3, "case 4")));

  ASSERT_OK_AND_ASSIGN(std::vector<AccessLogEntry> by_pupil,
                       store().AccessLogEntries({.pupil_id = p1}));
  ASSERT_EQ(by_pupil.size(), 3u);
  EXPECT_EQ(by_pupil[0].id, last);
  EXPECT_EQ(by_pupil[0].kind, kAccessCasework);
  EXPECT_EQ(by_pupil[0].detail, "case 4");
  EXPECT_EQ(by_pupil[0].at, kAt + 3);
  EXPECT_EQ(by_pupil[0].user_name, "User 2");
  EXPECT_EQ(by_pupil[0].role, Role::kOffice);
  EXPECT_EQ(by_pupil[1].role, Role::kHead);
  EXPECT_EQ(by_pupil[2].detail, "/pupils/1");
  ASSERT_OK_AND_ASSIGN(int64_t count, store().CountAccessLog({.pupil_id = p1}));
  EXPECT_EQ(count, 3);

  ASSERT_OK_AND_ASSIGN(std::vector<AccessLogEntry> by_user,
                       store().AccessLogEntries({.user_id = 2}));
  ASSERT_EQ(by_user.size(), 3u);
  EXPECT_EQ(by_user[1].pupil_id, p2);
  ASSERT_OK_AND_ASSIGN(std::vector<AccessLogEntry> page,
                       store().AccessLogEntries({.user_id = 2, .limit = 1, .offset = 1}));
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0].pupil_id, p2);
  ASSERT_OK_AND_ASSIGN(std::vector<AccessLogEntry> none, store().AccessLogEntries({.user_id = 99}));
  EXPECT_TRUE(none.empty());
}

TEST_P(StoreTest, TheAccessLogRefusesWhatItCannotHold) {
  const int64_t p = AddTestPupil("A000000000001");
  EXPECT_ERROR(store().AddAccessLogEntry(Read(2, 999, kAccessPupilPage, kAt)),
               core::ErrorKind::kNotFound, core::kErrPupilUnknown);
  EXPECT_ERROR(store().AddAccessLogEntry(Read(2, p, "glance", kAt)),
               core::ErrorKind::kInvalidArgument, core::kErrValueInvalid);
  EXPECT_ERROR(store().AccessLogEntries({}), core::ErrorKind::kInvalidArgument,
               core::kErrValueInvalid);
  EXPECT_ERROR(store().CountAccessLog({.pupil_id = p, .user_id = 2}),
               core::ErrorKind::kInvalidArgument, core::kErrValueInvalid);
  ASSERT_OK_AND_ASSIGN(int64_t count, store().CountAccessLog({.pupil_id = p}));
  EXPECT_EQ(count, 0);
}

}  // namespace
}  // namespace rollcall::store
