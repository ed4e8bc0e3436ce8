// The one store suite, continued (instantiated for both backends in
// store_test.cc): the contact log.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/error_codes.h"
#include "store/store.h"
#include "store_test_util.h"

namespace rollcall::store {
namespace {

using core::ErrorKind;
using testing::StoreTest;

using testing::kAt;

ContactLogEntry Entry(int64_t pupil_id, int64_t at, ContactMethod method = ContactMethod::kCall,
                      ContactOutcome outcome = ContactOutcome::kNoAnswer) {
  ContactLogEntry e;
  e.pupil_id = pupil_id;
  e.at = at;
  e.method = method;
  e.outcome = outcome;
  e.contact_name = "Mrs A Khan (mother)";
  e.note = "Rang twice; voicemail full";
  e.by_user_id = 7;
  e.by_name = "Ms Office";
  e.by_role = Role::kOffice;
  return e;
}

std::string Dump(const ContactLogEntry& e) {
  return fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}|{}", e.id, e.pupil_id, e.at,
                     ContactMethodName(e.method), e.contact_name, ContactOutcomeName(e.outcome),
                     e.note, e.by_user_id, e.by_name, RoleName(e.by_role));
}

TEST_P(StoreTest, ContactLogRoundTripsEveryFieldNewestFirst) {
  const int64_t p1 = AddTestPupil("A000000000001");
  const int64_t p2 = AddTestPupil("A000000000002");
  ContactLogEntry first = Entry(p1, kAt);
  first.id = 42;  // ignored: ids are assigned
  ASSERT_OK_AND_ASSIGN(int64_t id1, store().AddContactLogEntry(first));
  ASSERT_OK_AND_ASSIGN(int64_t id2,
                       store().AddContactLogEntry(
                           Entry(p1, kAt + 600, ContactMethod::kHomeVisit, ContactOutcome::kSeen)));
  ASSERT_OK_AND_ASSIGN(int64_t id3, store().AddContactLogEntry(Entry(p2, kAt + 60)));
  ASSERT_OK_AND_ASSIGN(int64_t id4, store().AddContactLogEntry(Entry(p1, kAt + 600)));  // a tie
  EXPECT_EQ(id1, 1);
  ASSERT_OK_AND_ASSIGN(std::vector<ContactLogEntry> p1_log, store().ContactLogForPupil(p1));
  ASSERT_EQ(p1_log.size(), 3u);
  EXPECT_EQ(p1_log[0].id, id4);  // same time: the later entry first
  EXPECT_EQ(p1_log[1].id, id2);
  first.id = id1;
  EXPECT_EQ(Dump(p1_log[2]), Dump(first));
  EXPECT_EQ(p1_log[1].method, ContactMethod::kHomeVisit);
  EXPECT_EQ(p1_log[1].outcome, ContactOutcome::kSeen);
  ASSERT_OK_AND_ASSIGN(std::vector<ContactLogEntry> since, store().ContactLogSince(kAt + 60));
  ASSERT_EQ(since.size(), 3u);
  EXPECT_EQ(since[2].id, id3);
  ASSERT_OK_AND_ASSIGN(std::vector<ContactLogEntry> none, store().ContactLogForPupil(p2 + 100));
  EXPECT_TRUE(none.empty());
}

TEST_P(StoreTest, ContactLogRefusesUnknownPupilsAndMismatchedOutcomes) {
  const int64_t p1 = AddTestPupil("A000000000001");
  core::StatusOr<int64_t> unknown = store().AddContactLogEntry(Entry(p1 + 99, kAt));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), core::kErrPupilUnknown);
  core::StatusOr<int64_t> wrong =
      store().AddContactLogEntry(Entry(p1, kAt, ContactMethod::kLetter, ContactOutcome::kSpoke));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(wrong.status().message(), "a letter cannot have the outcome 'spoke': use sent");
  ASSERT_OK_AND_ASSIGN(std::vector<ContactLogEntry> log, store().ContactLogForPupil(p1));
  EXPECT_TRUE(log.empty());  // nothing half-written
}

TEST(ContactNamesTest, EveryMethodAndOutcomeRoundTrips) {
  for (int m = 1; m <= 7; ++m) {
    const auto method = static_cast<ContactMethod>(m);
    EXPECT_EQ(ContactMethodFromName(ContactMethodName(method)), method);
    EXPECT_FALSE(OutcomesOf(method).empty());
  }
  for (int o = 1; o <= 8; ++o) {
    const auto outcome = static_cast<ContactOutcome>(o);
    EXPECT_EQ(ContactOutcomeFromName(ContactOutcomeName(outcome)), outcome);
  }
  EXPECT_FALSE(ContactMethodFromName("fax").has_value());
  EXPECT_FALSE(ContactOutcomeFromName("").has_value());
}

}  // namespace
}  // namespace rollcall::store
