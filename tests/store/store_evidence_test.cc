// The one store suite, continued (instantiated for every backend in
// store_test.cc): medical evidence with its bytes, the requests for it and
// their messages, the rules for asking and known conditions.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error_codes.h"
#include "store/store.h"
#include "store_test_util.h"

namespace rollcall::store {
namespace {

using testing::D;
using testing::kAt;
using testing::StoreTest;

// Every byte value, NUL and invalid UTF-8 included: stored as binary.
std::string AllBytes() {
  std::string out;
  for (int i = 0; i < 256; ++i) out.push_back(static_cast<char>(i));
  return out + out;
}

MedicalEvidence SampleEvidence(int64_t pupil, const char* from, const char* to,
                               const std::string& bytes) {
  return {.pupil_id = pupil,
          .from_date = D(from),
          .to_date = D(to),
          .filename = "note.pdf",
          .content_type = "application/pdf",
          .size_bytes = static_cast<int64_t>(bytes.size()),
          .sha256 = std::string(64, 'a'),
          .note = "from the GP",
          .uploaded_by = 7,
          .uploaded_by_name = "Mrs A Parent",
          .role = "parent",
          .uploaded_at = kAt};
}

TEST_P(StoreTest, MedicalEvidenceKeepsItsBytesExactlyAndListsWithoutThem) {
  const int64_t p = AddTestPupil("A000000000001");
  const std::string bytes = AllBytes();
  ASSERT_OK_AND_ASSIGN(
      int64_t first,
      store().AddMedicalEvidence(SampleEvidence(p, "2025-09-01", "2025-09-02", bytes), bytes));
  MedicalEvidence later = SampleEvidence(p, "2025-09-10", "2025-09-10", "x");
  later.uploaded_at = kAt + 100;
  ASSERT_OK_AND_ASSIGN(int64_t second, store().AddMedicalEvidence(later, "x"));
  ASSERT_OK_AND_ASSIGN(std::vector<MedicalEvidence> list, store().MedicalEvidenceFor(p));
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, second);
  EXPECT_EQ(list[1].id, first);
  EXPECT_EQ(list[1].from_date, D("2025-09-01"));
  EXPECT_EQ(list[1].to_date, D("2025-09-02"));
  EXPECT_EQ(list[1].filename, "note.pdf");
  EXPECT_EQ(list[1].size_bytes, 512);
  EXPECT_EQ(list[1].note, "from the GP");
  EXPECT_EQ(list[1].uploaded_by_name, "Mrs A Parent");
  EXPECT_EQ(list[1].role, "parent");
  ASSERT_OK_AND_ASSIGN(std::string content, store().EvidenceContent(first));
  EXPECT_EQ(content, bytes);
  ASSERT_OK_AND_ASSIGN(MedicalEvidence one, store().GetMedicalEvidence(second));
  EXPECT_EQ(one.from_date, D("2025-09-10"));
  ASSERT_OK_AND_ASSIGN(std::vector<MedicalEvidence> since, store().MedicalEvidenceSince(kAt + 50));
  ASSERT_EQ(since.size(), 1u);
  EXPECT_EQ(since[0].id, second);
  EXPECT_ERROR(store().EvidenceContent(99), core::ErrorKind::kNotFound, core::kErrEvidenceUnknown);
  EXPECT_ERROR(store().GetMedicalEvidence(99), core::ErrorKind::kNotFound,
               core::kErrEvidenceUnknown);
}

TEST_P(StoreTest, MedicalEvidenceRefusesWhatCannotBeRight) {
  const int64_t p = AddTestPupil("A000000000001");
  EXPECT_ERROR(store().AddMedicalEvidence(SampleEvidence(p, "2025-09-01", "2025-09-01", ""), ""),
               core::ErrorKind::kInvalidArgument, core::kErrEvidenceInvalid);
  EXPECT_ERROR(
      store().AddMedicalEvidence(SampleEvidence(p, "2025-09-01", "2025-09-01", "abc"), "ab"),
      core::ErrorKind::kInvalidArgument, core::kErrEvidenceInvalid);
  EXPECT_ERROR(
      store().AddMedicalEvidence(SampleEvidence(p, "2025-09-02", "2025-09-01", "ab"), "ab"),
      core::ErrorKind::kInvalidArgument, core::kErrEvidenceInvalid);
  MedicalEvidence bad_hash = SampleEvidence(p, "2025-09-01", "2025-09-01", "ab");
  bad_hash.sha256 = "not hex";
  EXPECT_ERROR(store().AddMedicalEvidence(bad_hash, "ab"), core::ErrorKind::kInvalidArgument,
               core::kErrEvidenceInvalid);
  EXPECT_ERROR(
      store().AddMedicalEvidence(SampleEvidence(p + 99, "2025-09-01", "2025-09-01", "ab"), "ab"),
      core::ErrorKind::kNotFound, core::kErrPupilUnknown);
  ASSERT_OK_AND_ASSIGN(std::vector<MedicalEvidence> list, store().MedicalEvidenceFor(p));
  EXPECT_TRUE(list.empty());
}

TEST_P(StoreTest, AnEvidenceRequestIsRaisedOnceWithItsMessagesAndResolvedByEvidence) {
  const int64_t p = AddTestPupil("A000000000001");
  EvidenceRequest r{.pupil_id = p,
                    .rule = kRuleLongIllness,
                    .from_date = D("2025-09-01"),
                    .to_date = D("2025-09-05"),
                    .raised_at = kAt,
                    .outbox_key = "evidence_request/1/long_illness/2025-09-01"};
  OutboxMessage m;
  m.channel = "email";
  m.idempotency_key = r.outbox_key + "/0";
  m.event_kind = "evidence_request";
  m.destination = "mother@example.org";
  m.payload = "{}";
  m.pupil_id = p;
  m.created_at = kAt;
  ASSERT_OK_AND_ASSIGN(bool added, store().AddEvidenceRequest(r, {m}));
  EXPECT_TRUE(added);
  ASSERT_OK_AND_ASSIGN(bool again, store().AddEvidenceRequest(r, {m}));
  EXPECT_FALSE(again);
  EvidenceRequest other_rule = r;
  other_rule.rule = kRuleNextToHoliday;
  ASSERT_OK_AND_ASSIGN(bool second, store().AddEvidenceRequest(other_rule, {}));
  EXPECT_TRUE(second);
  ASSERT_OK_AND_ASSIGN(std::vector<OutboxMessage> outbox, store().ListOutbox(std::nullopt, 10));
  EXPECT_EQ(outbox.size(), 1u);
  ASSERT_OK_AND_ASSIGN(std::vector<EvidenceRequest> open, store().ListEvidenceRequests(true));
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[0].to_date, D("2025-09-05"));
  EXPECT_EQ(open[0].outbox_key, r.outbox_key);
  // Evidence for a day of the episode answers both; for other days, none.
  ASSERT_OK(store().AddMedicalEvidence(SampleEvidence(p, "2025-09-08", "2025-09-09", "ab"), "ab"));
  ASSERT_OK_AND_ASSIGN(open, store().ListEvidenceRequests(true));
  EXPECT_EQ(open.size(), 2u);
  ASSERT_OK(store().AddMedicalEvidence(SampleEvidence(p, "2025-09-05", "2025-09-06", "ab"), "ab"));
  ASSERT_OK_AND_ASSIGN(open, store().ListEvidenceRequests(true));
  EXPECT_TRUE(open.empty());
  ASSERT_OK_AND_ASSIGN(std::vector<EvidenceRequest> all, store().EvidenceRequestsFor(p));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].resolved_at, kAt);
  ASSERT_OK_AND_ASSIGN(std::vector<EvidenceRequest> every, store().ListEvidenceRequests(false));
  EXPECT_EQ(every.size(), 2u);
}

TEST_P(StoreTest, EvidenceRulesAreVersionedWithDefaultsAndConditionsAreKept) {
  ASSERT_OK_AND_ASSIGN(EvidenceRules defaults, store().GetEvidenceRules());
  EXPECT_EQ(defaults.id, 0);
  EXPECT_EQ(defaults.long_illness_days, 5);
  EXPECT_EQ(defaults.repeated_illness_count, 3);
  EXPECT_TRUE(defaults.next_to_holiday);
  ASSERT_OK(store().SaveEvidenceRules({.long_illness_days = 3,
                                       .repeated_illness_count = 4,
                                       .next_to_holiday = false,
                                       .set_at = kAt,
                                       .set_by = "Mrs Head"}));
  ASSERT_OK_AND_ASSIGN(EvidenceRules now, store().GetEvidenceRules());
  EXPECT_GT(now.id, 0);
  EXPECT_EQ(now.long_illness_days, 3);
  EXPECT_EQ(now.repeated_illness_count, 4);
  EXPECT_FALSE(now.next_to_holiday);
  EXPECT_EQ(now.set_by, "Mrs Head");
  EXPECT_ERROR(store().SaveEvidenceRules({.long_illness_days = 0}),
               core::ErrorKind::kInvalidArgument, core::kErrValueInvalid);

  const int64_t p = AddTestPupil("A000000000001");
  ASSERT_OK(store().AddConditionReview({.pupil_id = p,
                                        .note = "Asthma",
                                        .review_date = D("2025-12-01"),
                                        .set_by = "Ms Office",
                                        .set_at = kAt}));
  ASSERT_OK_AND_ASSIGN(std::vector<ConditionReview> reviews, store().ListConditionReviews());
  ASSERT_EQ(reviews.size(), 1u);
  EXPECT_EQ(reviews[0].note, "Asthma");
  EXPECT_EQ(reviews[0].review_date, D("2025-12-01"));
  EXPECT_ERROR(
      store().AddConditionReview({.pupil_id = p + 99, .note = "x", .review_date = D("2025-12-01")}),
      core::ErrorKind::kNotFound, core::kErrPupilUnknown);
}

}  // namespace
}  // namespace rollcall::store
