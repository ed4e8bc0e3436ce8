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

// A later window of an open case's episode is kept on the case, read with
// it; a case once closed takes none, and reads back the day it closed.
TEST_P(StoreTest, LaterWindowsAreKeptOnTheOpenCaseAndAClosedCaseSaysWhen) {
  const int64_t p1 = AddTestPupil("A000000000001");
  const int64_t p2 = AddTestPupil("A000000000002");
  ASSERT_OK_AND_ASSIGN(int64_t id, store().OpenPenaltyCase(Case(p1)));
  ASSERT_OK_AND_ASSIGN(int64_t other, store().OpenPenaltyCase(Case(p2)));
  const PenaltyWindow later{.case_id = id,
                            .alert = {D("2026-11-27"), core::Session::kAm},
                            .evidence = "2026-11-23 AM G, 2026-11-27 AM G",
                            .added_at = 20};
  ASSERT_OK_AND_ASSIGN(int64_t window_id, store().AddPenaltyWindow(later));
  PenaltyWindow again = later;
  EXPECT_EQ(CodeOf(store().AddPenaltyWindow(again)), core::kErrPenaltyCaseExists);
  again.alert = Case(p1).alert;  // the case's own alert
  EXPECT_EQ(CodeOf(store().AddPenaltyWindow(again)), core::kErrPenaltyCaseExists);
  again.case_id = 99;
  EXPECT_EQ(CodeOf(store().AddPenaltyWindow(again)), core::kErrPenaltyCaseUnknown);

  for (const auto& read : {store().ListPenaltyCases(), store().PenaltyCasesOf(p1)}) {
    ASSERT_OK(read.status());
    const PenaltyCase& c = read->front();
    EXPECT_EQ(c.id, id);
    EXPECT_FALSE(c.closed_on.has_value());
    ASSERT_EQ(c.windows.size(), 1u);
    EXPECT_EQ(c.windows[0].id, window_id);
    EXPECT_EQ(c.windows[0].case_id, id);
    EXPECT_EQ(c.windows[0].alert.date, D("2026-11-27"));
    EXPECT_EQ(c.windows[0].alert.session, core::Session::kAm);
    EXPECT_EQ(c.windows[0].evidence, "2026-11-23 AM G, 2026-11-27 AM G");
    EXPECT_EQ(c.windows[0].added_at, 20);
  }
  ASSERT_OK_AND_ASSIGN(std::vector<PenaltyCase> of_p2, store().PenaltyCasesOf(p2));
  ASSERT_EQ(of_p2.size(), 1u);
  EXPECT_TRUE(of_p2[0].windows.empty());

  ASSERT_OK(store()
                .AddPenaltyEvent({.case_id = id,
                                  .kind = PenaltyEventKind::kClosed,
                                  .on = D("2026-12-01"),
                                  .text = "No action",
                                  .by_name = "x"})
                .status());
  // Recorded without a day: closed on the day it was recorded (2025-09-08).
  ASSERT_OK(store()
                .AddPenaltyEvent({.case_id = other,
                                  .kind = PenaltyEventKind::kClosed,
                                  .text = "No action",
                                  .at = testing::kAt,
                                  .by_name = "x"})
                .status());
  PenaltyWindow after = later;
  after.alert = {D("2026-12-04"), core::Session::kPm};
  EXPECT_EQ(CodeOf(store().AddPenaltyWindow(after)), core::kErrPenaltyCaseClosed);
  ASSERT_OK_AND_ASSIGN(std::vector<PenaltyCase> cases, store().ListPenaltyCases());
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(cases[0].closed_on, D("2026-12-01"));
  EXPECT_EQ(cases[0].windows.size(), 1u);
  EXPECT_EQ(cases[1].closed_on, D("2025-09-08"));
}

}  // namespace
}  // namespace rollcall::store
