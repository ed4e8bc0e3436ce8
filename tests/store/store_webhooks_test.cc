// The one store suite, continued (instantiated for every backend in
// store_test.cc): the events the database records itself, in the write's own
// transaction, and the outbox that delivers them.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/codes.h"
#include "core/error_codes.h"
#include "store/store.h"
#include "store_test_util.h"

namespace rollcall::store {
namespace {

using core::AttendanceCode;
using testing::Am;
using testing::D;
using testing::kOffice;
using testing::Pm;
using testing::StoreTest;
using testing::Write;

std::vector<Event> EventsInStore(Store& store) {
  core::StatusOr<std::vector<Event>> events = store.ListEvents(false, 1000);
  EXPECT_TRUE(events.ok());
  return events.ok() ? *events : std::vector<Event>{};
}

std::vector<std::string> EventKindsOf(const std::vector<Event>& events) {
  std::vector<std::string> out;
  for (const Event& e : events) out.push_back(e.kind);
  return out;
}

TEST_P(StoreTest, MarksRecordAmendmentsAndTheFirstNoReasonAbsenceOfADay) {
  const int64_t p = AddTestPupil("A000000000001");
  // The first marks of sessions are not amendments; the first N of the day is
  // an event, the second N of the same day is not.
  ASSERT_OK(store()
                .SaveMarks({Write(p, Am("2026-11-02"), AttendanceCode::kNoReasonYet),
                            Write(p, Pm("2026-11-02"), AttendanceCode::kNoReasonYet),
                            Write(p, Am("2026-11-03"), AttendanceCode::kPresentAm)},
                           kOffice, 100)
                .status());
  std::vector<Event> events = EventsInStore(store());
  ASSERT_EQ(EventKindsOf(events), std::vector<std::string>{"absence.no_reason"});
  EXPECT_EQ(events[0].pupil_id, p);
  EXPECT_EQ(events[0].upn, "A000000000001");
  EXPECT_EQ(events[0].date, D("2026-11-02"));
  EXPECT_EQ(events[0].session, 1);
  EXPECT_EQ(events[0].new_code, static_cast<int>(AttendanceCode::kNoReasonYet));
  EXPECT_EQ(events[0].at, 100);
  EXPECT_FALSE(events[0].fanned_out);

  // An amendment: an event with the old and new code and the reason. Its N
  // again later that day is no new no-reason event.
  MarkWrite ill = Write(p, Am("2026-11-02"), AttendanceCode::kIllness);
  ill.reason = "Mother rang";
  ASSERT_OK(store().SaveMarks({ill}, kOffice, 200).status());
  ASSERT_OK(store()
                .SaveMarks({Write(p, Am("2026-11-02"), AttendanceCode::kNoReasonYet)}, kOffice, 300)
                .status());
  events = EventsInStore(store());
  ASSERT_EQ(EventKindsOf(events),
            (std::vector<std::string>{"absence.no_reason", "mark.amended", "mark.amended"}));
  EXPECT_EQ(events[1].old_code, static_cast<int>(AttendanceCode::kNoReasonYet));
  EXPECT_EQ(events[1].new_code, static_cast<int>(AttendanceCode::kIllness));
  EXPECT_EQ(events[1].detail, "Mother rang");
  EXPECT_EQ(events[1].at, 200);

  // A write equal to the stored mark changes nothing, so records nothing.
  ASSERT_OK(store()
                .SaveMarks({Write(p, Am("2026-11-02"), AttendanceCode::kNoReasonYet)}, kOffice, 400)
                .status());
  EXPECT_EQ(EventsInStore(store()).size(), 3u);
}

TEST_P(StoreTest, CasesRecordTheirEvents) {
  const int64_t p = AddTestPupil("A000000000001");
  ASSERT_OK(store().OpenCmeCase({.pupil_id = p, .first_day = D("2026-11-02"), .opened_at = 50}));
  PenaltyCase threshold{
      .pupil_id = p, .alert = Pm("2026-11-20"), .evidence = "2026-11-16 AM G", .opened_at = 60};
  ASSERT_OK(store().OpenPenaltyCase(threshold).status());
  PenaltyCase local = threshold;
  local.kind = PenaltyCaseKind::kLocal;
  ASSERT_OK(store().OpenPenaltyCase(local).status());
  // An exclusion notice is opened by hand: no threshold was crossed.
  PenaltyCase exclusion = threshold;
  exclusion.kind = PenaltyCaseKind::kExclusion;
  ASSERT_OK(store().OpenPenaltyCase(exclusion).status());

  const std::vector<Event> events = EventsInStore(store());
  ASSERT_EQ(EventKindsOf(events),
            (std::vector<std::string>{"cme.case_opened", "penalty.threshold_crossed",
                                      "penalty.threshold_crossed"}));
  EXPECT_EQ(events[0].date, D("2026-11-02"));
  EXPECT_EQ(events[0].at, 50);
  EXPECT_EQ(events[1].detail, "attendance");
  EXPECT_EQ(events[1].date, D("2026-11-20"));
  EXPECT_EQ(events[1].session, 2);
  EXPECT_EQ(events[2].detail, "local");
}

TEST_P(StoreTest, AdmissionAndDeletionRecordEventsButAnEditDoesNot) {
  Pupil p;
  p.upn = "A123456789012";
  p.legal_given_name = "Aisha";
  p.date_of_birth = D("2018-05-01");
  p.enrolments = {{D("2026-09-02"), std::nullopt, "", ""}};
  ASSERT_OK_AND_ASSIGN(std::vector<int64_t> ids, store().SavePupils({}, {p}, kOffice, 100, "new"));
  p.id = ids[0];
  std::vector<Event> events = EventsInStore(store());
  ASSERT_EQ(EventKindsOf(events), std::vector<std::string>{"pupil.admitted"});
  EXPECT_EQ(events[0].pupil_id, p.id);
  EXPECT_EQ(events[0].date, D("2026-09-02"));
  EXPECT_EQ(events[0].at, 100);

  // Saving rewrites every enrolment row; an edit of the details, an unchanged
  // save and a changed start day are still no admission.
  p.legal_given_name = "Ayesha";
  ASSERT_OK(store().SavePupils({}, {p}, kOffice, 200, "spelling").status());
  ASSERT_OK(store().SavePupils({}, {p}, kOffice, 210, "no change").status());
  p.enrolments[0].start = D("2026-09-03");
  ASSERT_OK(store().SavePupils({}, {p}, kOffice, 220, "start corrected").status());
  EXPECT_EQ(EventsInStore(store()).size(), 1u);

  // Deleted from the roll: one event with the last day and destination.
  p.enrolments[0].end = D("2026-11-20");
  p.enrolments[0].deletion_ground = "a";
  p.enrolments[0].destination = "Elm School";
  ASSERT_OK(store().SavePupils({}, {p}, kOffice, 300, "left").status());
  ASSERT_OK(store().SavePupils({}, {p}, kOffice, 310, "again").status());
  // Readmitted later: a second enrolment is a second admission.
  p.enrolments.push_back({D("2027-01-05"), std::nullopt, "", ""});
  ASSERT_OK(store().SavePupils({}, {p}, kOffice, 400, "back").status());
  events = EventsInStore(store());
  ASSERT_EQ(EventKindsOf(events),
            (std::vector<std::string>{"pupil.admitted", "pupil.deleted", "pupil.admitted"}));
  EXPECT_EQ(events[1].date, D("2026-11-20"));
  EXPECT_EQ(events[1].detail, "Elm School");
  EXPECT_EQ(events[1].at, 300);
  EXPECT_EQ(events[2].date, D("2027-01-05"));
}

TEST_P(StoreTest, AFailedWriteRecordsNoEvent) {
  const int64_t p = AddTestPupil("A000000000001");
  // The second write names no pupil, so the whole save is rolled back,
  // with the event of the first.
  EXPECT_FALSE(store()
                   .SaveMarks({Write(p, Am("2026-11-02"), AttendanceCode::kNoReasonYet),
                               Write(p + 99, Am("2026-11-02"), AttendanceCode::kNoReasonYet)},
                              kOffice, 100)
                   .ok());
  EXPECT_TRUE(EventsInStore(store()).empty());
}

OutboxMessage QueuedMessage(const std::string& key, int64_t due) {
  return {.channel = "webhook",
          .idempotency_key = key,
          .subscription_id = 1,
          .event_kind = "mark.amended",
          .destination = "https://example.org/hook",
          .payload = "{\"id\":\"" + key + "\"}",
          .next_attempt_at = due,
          .created_at = due};
}

TEST_P(StoreTest, FanOutQueuesEachKeyOnceAndMarksEventsFannedOut) {
  const int64_t p = AddTestPupil("A000000000001");
  ASSERT_OK(store().OpenCmeCase({.pupil_id = p, .first_day = D("2026-11-02"), .opened_at = 50}));
  ASSERT_OK_AND_ASSIGN(std::vector<Event> pending, store().ListEvents(true, 10));
  ASSERT_EQ(pending.size(), 1u);
  ASSERT_OK_AND_ASSIGN(int queued, store().FanOut({pending[0].id}, {QueuedMessage("evt_1_1", 60),
                                                                    QueuedMessage("evt_1_2", 60)}));
  EXPECT_EQ(queued, 2);
  ASSERT_OK_AND_ASSIGN(pending, store().ListEvents(true, 10));
  EXPECT_TRUE(pending.empty());
  // A second fan-out of the same event (two workers) queues nothing and
  // keeps the first payload.
  OutboxMessage again = QueuedMessage("evt_1_1", 70);
  again.payload = "other bytes";
  ASSERT_OK_AND_ASSIGN(queued, store().FanOut({}, {again}));
  EXPECT_EQ(queued, 0);
  ASSERT_OK_AND_ASSIGN(std::vector<OutboxMessage> all, store().ListOutbox(std::nullopt, 10));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].idempotency_key, "evt_1_1");  // newest first
  EXPECT_EQ(all[1].payload, "{\"id\":\"evt_1_1\"}");
  EXPECT_EQ(all[1].state, OutboxState::kQueued);
}

TEST_P(StoreTest, OutboxClaimsUnderALeaseAndLogsAttempts) {
  ASSERT_OK(store().FanOut({}, {QueuedMessage("a", 100), QueuedMessage("b", 500)}).status());
  // Only what is due is claimed, and a second worker inside the lease gets nothing.
  ASSERT_OK_AND_ASSIGN(std::vector<OutboxMessage> claimed,
                       store().ClaimDueOutbox("webhook", 200, 260, 10));
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].idempotency_key, "a");
  EXPECT_EQ(claimed[0].state, OutboxState::kSending);
  ASSERT_OK_AND_ASSIGN(std::vector<OutboxMessage> none,
                       store().ClaimDueOutbox("webhook", 250, 310, 10));
  EXPECT_TRUE(none.empty());
  // A worker that died: after the lease the message is claimed again.
  ASSERT_OK_AND_ASSIGN(claimed, store().ClaimDueOutbox("webhook", 260, 320, 10));
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].idempotency_key, "a");

  ASSERT_OK(store().RecordOutboxAttempt(
      {.outbox_id = claimed[0].id, .at = 265, .status = 500, .answer = "oops", .duration_ms = 12},
      {.state = OutboxState::kQueued, .next_attempt_at = 295}));
  ASSERT_OK(store().RecordOutboxAttempt(
      {.outbox_id = claimed[0].id, .at = 300, .status = 204, .answer = "", .duration_ms = 8},
      {.state = OutboxState::kDelivered, .next_attempt_at = 300}));
  ASSERT_OK_AND_ASSIGN(std::vector<OutboxMessage> delivered,
                       store().ListOutbox(OutboxState::kDelivered, 10));
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_EQ(delivered[0].attempts, 2);
  EXPECT_EQ(delivered[0].last_status, 204);
  EXPECT_EQ(delivered[0].delivered_at, 300);
  ASSERT_OK_AND_ASSIGN(std::vector<OutboxAttempt> attempts,
                       store().OutboxAttemptsFor(claimed[0].id));
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].status, 500);
  EXPECT_EQ(attempts[0].answer, "oops");
  EXPECT_EQ(attempts[0].duration_ms, 12);
  // A second worker whose lease ran out and that got no answer does not
  // undo the delivery.
  ASSERT_OK(store().RecordOutboxAttempt(
      {.outbox_id = claimed[0].id, .at = 310, .answer = "timed out", .duration_ms = 10'000},
      {.state = OutboxState::kQueued, .next_attempt_at = 340}));
  ASSERT_OK_AND_ASSIGN(delivered, store().ListOutbox(OutboxState::kDelivered, 10));
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_EQ(delivered[0].delivered_at, 300);
  // A delivered message is never claimed again.
  ASSERT_OK_AND_ASSIGN(claimed, store().ClaimDueOutbox("webhook", 10'000, 10'060, 10));
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].idempotency_key, "b");
  EXPECT_ERROR(store().RecordOutboxAttempt({.outbox_id = 999, .at = 1}, {}),
               core::ErrorKind::kNotFound, core::kErrOutboxUnknown);

  // Released without an attempt (its subscription is paused): queued again
  // for later, its attempts unchanged.
  ASSERT_OK(store().ReleaseOutbox(claimed[0].id, 20'000));
  ASSERT_OK_AND_ASSIGN(std::vector<OutboxMessage> queued,
                       store().ListOutbox(OutboxState::kQueued, 10));
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].idempotency_key, "b");
  EXPECT_EQ(queued[0].attempts, 0);
  EXPECT_EQ(queued[0].next_attempt_at, 20'000);
  ASSERT_OK_AND_ASSIGN(claimed, store().ClaimDueOutbox("webhook", 19'999, 20'059, 10));
  EXPECT_TRUE(claimed.empty());
  EXPECT_ERROR(store().ReleaseOutbox(999, 1), core::ErrorKind::kNotFound, core::kErrOutboxUnknown);
}

TEST_P(StoreTest, WebhooksArePausedAndDeletedButKept) {
  Webhook w{.url = "https://example.org/hook",
            .secret = "s3cret",
            .kinds = {"mark.amended", "pupil.deleted"},
            .created_by = 7,
            .created_by_name = "Mrs Head",
            .created_at = 100};
  ASSERT_OK_AND_ASSIGN(int64_t id, store().AddWebhook(w));
  ASSERT_OK(store().SetWebhookActive(id, false));
  ASSERT_OK_AND_ASSIGN(std::vector<Webhook> hooks, store().ListWebhooks());
  ASSERT_EQ(hooks.size(), 1u);
  EXPECT_EQ(hooks[0].kinds, w.kinds);
  EXPECT_EQ(hooks[0].secret, "s3cret");
  EXPECT_FALSE(hooks[0].active);
  ASSERT_OK(store().DeleteWebhook(id, 200));
  ASSERT_OK_AND_ASSIGN(hooks, store().ListWebhooks());
  ASSERT_EQ(hooks.size(), 1u);
  EXPECT_EQ(hooks[0].deleted_at, 200);
  EXPECT_ERROR(store().SetWebhookActive(id, true), core::ErrorKind::kNotFound,
               core::kErrWebhookUnknown);
  EXPECT_ERROR(store().DeleteWebhook(id + 1, 300), core::ErrorKind::kNotFound,
               core::kErrWebhookUnknown);
}

}  // namespace
}  // namespace rollcall::store
