// The one store suite, continued (instantiated for both backends in
// store_test.cc): penalty-notice cases, their events and evidence packs.
#include <gtest/gtest.h>

#include "core/error_codes.h"
#include "store/store.h"
#include "store_test_util.h"

namespace rollcall::store {
namespace {

using testing::CodeOf;
using testing::D;
using testing::StoreTest;

PenaltyCase Case(int64_t pupil) {
  return {.pupil_id = pupil,
          .alert = {D("2026-11-20"), core::Session::kPm},
          .evidence = "2026-11-16 AM G, 2026-11-16 PM G",
          .opened_at = 10};
}

TEST_P(StoreTest, PenaltyCasesOpenOncePerAlertAndKeepTheirEvents) {
  const int64_t p1 = AddTestPupil("A000000000001");
  ASSERT_OK_AND_ASSIGN(int64_t id, store().OpenPenaltyCase(Case(p1)));
  EXPECT_EQ(CodeOf(store().OpenPenaltyCase(Case(p1))), core::kErrPenaltyCaseExists);
  EXPECT_EQ(CodeOf(store().OpenPenaltyCase(Case(p1 + 5))), core::kErrPupilUnknown);
  PenaltyCase exclusion = Case(p1);
  exclusion.kind = PenaltyCaseKind::kExclusion;
  ASSERT_OK(store().OpenPenaltyCase(exclusion).status());
  ASSERT_OK_AND_ASSIGN(std::vector<PenaltyCase> cases, store().ListPenaltyCases());
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(cases[0].alert.session, core::Session::kPm);
  EXPECT_EQ(cases[0].evidence, "2026-11-16 AM G, 2026-11-16 PM G");

  // One pupil's cases, without the others'.
  const int64_t p2 = AddTestPupil("A000000000002");
  ASSERT_OK(store().OpenPenaltyCase(Case(p2)).status());
  ASSERT_OK_AND_ASSIGN(std::vector<PenaltyCase> of_p1, store().PenaltyCasesOf(p1));
  ASSERT_EQ(of_p1.size(), 2u);
  EXPECT_EQ(of_p1[0].id, id);
  EXPECT_EQ(of_p1[1].kind, PenaltyCaseKind::kExclusion);
  ASSERT_OK_AND_ASSIGN(std::vector<PenaltyCase> of_p2, store().PenaltyCasesOf(p2));
  ASSERT_EQ(of_p2.size(), 1u);
  EXPECT_EQ(of_p2[0].pupil_id, p2);
  EXPECT_EQ(of_p2[0].evidence, "2026-11-16 AM G, 2026-11-16 PM G");
  ASSERT_OK_AND_ASSIGN(std::vector<PenaltyCase> of_none, store().PenaltyCasesOf(p2 + 50));
  EXPECT_TRUE(of_none.empty());

  PenaltyEvent decision{.case_id = id,
                        .kind = PenaltyEventKind::kDecision,
                        .decision = core::PenaltyDecision::kPenaltyNotice,
                        .on = D("2026-11-23"),
                        .text = "Holiday in term time, refused",
                        .by_name = "Mr Head"};
  ASSERT_OK(store().AddPenaltyEvent(decision).status());
  PenaltyEvent notice{.case_id = id,
                      .kind = PenaltyEventKind::kNotice,
                      .parent = "Mrs A Khan",
                      .on = D("2026-11-24"),
                      .amount_pence = 8000,
                      .notice_number = 1,
                      .by_name = "Mr Head"};
  ASSERT_OK_AND_ASSIGN(int64_t notice_id, store().AddPenaltyEvent(notice));
  // Shapes each kind needs.
  PenaltyEvent bad = decision;
  bad.decision.reset();
  EXPECT_EQ(CodeOf(store().AddPenaltyEvent(bad)), core::kErrPenaltyEvent);
  bad = notice;
  bad.parent.clear();
  EXPECT_EQ(CodeOf(store().AddPenaltyEvent(bad)), core::kErrPenaltyEvent);
  PenaltyEvent payment{.case_id = id,
                       .kind = PenaltyEventKind::kPayment,
                       .on = D("2026-12-01"),
                       .amount_pence = 8000,
                       .by_name = "Ms Office"};
  EXPECT_EQ(CodeOf(store().AddPenaltyEvent(payment)), core::kErrPenaltyEvent);  // which notice?
  payment.notice_id = notice_id + 100;
  EXPECT_EQ(CodeOf(store().AddPenaltyEvent(payment)), core::kErrPenaltyNoticeUnknown);
  payment.notice_id = notice_id;
  ASSERT_OK(store().AddPenaltyEvent(payment).status());
  bad = decision;
  bad.case_id = 99;
  EXPECT_EQ(CodeOf(store().AddPenaltyEvent(bad)), core::kErrPenaltyCaseUnknown);
  // Closed: nothing more.
  ASSERT_OK(
      store()
          .AddPenaltyEvent(
              {.case_id = id, .kind = PenaltyEventKind::kClosed, .text = "Paid", .by_name = "x"})
          .status());
  EXPECT_EQ(CodeOf(store().AddPenaltyEvent(decision)), core::kErrPenaltyCaseClosed);
  ASSERT_OK_AND_ASSIGN(std::vector<PenaltyEvent> events, store().PenaltyEvents());
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[1].parent, "Mrs A Khan");
  EXPECT_EQ(events[1].notice_number, 1);
  EXPECT_EQ(events[2].notice_id, notice_id);
  EXPECT_EQ(events[2].on, D("2026-12-01"));

  // Evidence packs: JSON, kept as generated.
  ASSERT_OK(store().AddEvidencePack({.case_id = id, .content = R"({"pupil":1})"}).status());
  EXPECT_EQ(CodeOf(store().AddEvidencePack({.case_id = id, .content = "{not json"})),
            core::kErrValueInvalid);
  EXPECT_EQ(CodeOf(store().AddEvidencePack({.case_id = 42, .content = "{}"})),
            core::kErrPenaltyCaseUnknown);
  ASSERT_OK_AND_ASSIGN(std::vector<EvidencePack> packs, store().EvidencePacksFor(id));
  ASSERT_EQ(packs.size(), 1u);
  EXPECT_EQ(packs[0].content, R"({"pupil":1})");
}

}  // namespace
}  // namespace rollcall::store
