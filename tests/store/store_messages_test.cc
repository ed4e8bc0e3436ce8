// The one store suite, continued (instantiated for every backend in
// store_test.cc): email and text messages in the outbox, their attempts
// with the provider's id and the contact log entry written once, delivery
// receipts, and the message log's filters.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error_codes.h"
#include "store/store.h"
#include "store_test_util.h"

namespace rollcall::store {
namespace {

using testing::StoreTest;

OutboxMessage Message(const std::string& channel, const std::string& key, int64_t at,
                      std::optional<int64_t> pupil_id) {
  return {.channel = channel,
          .idempotency_key = key,
          .event_kind = "day_one",
          .destination = channel == "sms" ? "07700900123" : "parent@example.org",
          .payload = "{}",
          .next_attempt_at = at,
          .created_at = at,
          .pupil_id = pupil_id,
          .recipient = "Mrs A Khan (Mother)"};
}

ContactLogEntry SentEntry(int64_t pupil_id, int64_t at) {
  return {.pupil_id = pupil_id,
          .at = at,
          .method = ContactMethod::kText,
          .contact_name = "Mrs A Khan (Mother)",
          .outcome = ContactOutcome::kSent,
          .note = "Amir is not in school today",
          .by_user_id = 0,
          .by_name = "rollcall",
          .by_role = Role::kOffice};
}

TEST_P(StoreTest, AMessageDeliveredTwiceIsLoggedOnceWithItsProviderId) {
  const int64_t p = AddTestPupil("A000000000001");
  ASSERT_OK(store().FanOut({}, {Message("sms", "day_one/1", 100, p)}).status());
  ASSERT_OK_AND_ASSIGN(std::vector<OutboxMessage> claimed,
                       store().ClaimDueOutbox("sms", 100, 190, 1));
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_FALSE(claimed[0].lease_expired);
  const int64_t id = claimed[0].id;
  // A retry: no log entry, no provider id yet.
  ASSERT_OK(store().RecordMessageAttempt({.outbox_id = id, .at = 110, .answer = "no answer"},
                                         {OutboxState::kQueued, 140}, std::nullopt,
                                         SentEntry(p, 110)));
  ASSERT_OK_AND_ASSIGN(std::vector<ContactLogEntry> log, store().ContactLogForPupil(p));
  EXPECT_TRUE(log.empty());
  // Delivered: the provider's id and one log entry, in one transaction.
  ASSERT_OK(store().RecordMessageAttempt({.outbox_id = id, .at = 150, .status = 201},
                                         {OutboxState::kDelivered, 150}, std::string("notify-1"),
                                         SentEntry(p, 150)));
  // A second worker records it delivered again: nothing changes.
  ASSERT_OK(store().RecordMessageAttempt({.outbox_id = id, .at = 160, .status = 201},
                                         {OutboxState::kDelivered, 160}, std::string("notify-2"),
                                         SentEntry(p, 160)));
  ASSERT_OK_AND_ASSIGN(log, store().ContactLogForPupil(p));
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].method, ContactMethod::kText);
  EXPECT_EQ(log[0].outcome, ContactOutcome::kSent);
  EXPECT_EQ(log[0].by_name, "rollcall");
  EXPECT_EQ(log[0].at, 150);
  ASSERT_OK_AND_ASSIGN(std::vector<OutboxMessage> messages, store().ListMessages({}));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].state, OutboxState::kDelivered);
  EXPECT_EQ(messages[0].provider_ref, "notify-1");
  EXPECT_EQ(messages[0].attempts, 2);
  EXPECT_EQ(messages[0].delivered_at, 150);
  ASSERT_OK_AND_ASSIGN(std::vector<OutboxAttempt> attempts, store().OutboxAttemptsFor(id));
  EXPECT_EQ(attempts.size(), 3u);  // every attempt is kept, the late one too

  EXPECT_ERROR(
      store().RecordMessageAttempt({.outbox_id = 999, .at = 1}, {}, std::nullopt, std::nullopt),
      core::ErrorKind::kNotFound, core::kErrOutboxUnknown);
  ContactLogEntry wrong = SentEntry(p, 1);
  wrong.outcome = ContactOutcome::kSpoke;  // a text is sent, not spoken
  EXPECT_ERROR(store().RecordMessageAttempt({.outbox_id = id, .at = 1}, {}, std::nullopt, wrong),
               core::ErrorKind::kInvalidArgument, core::kErrContactOutcome);
}

TEST_P(StoreTest, AMessageClaimedFromAnExpiredLeaseSaysSo) {
  ASSERT_OK(store().FanOut({}, {Message("email", "e/1", 100, std::nullopt)}).status());
  ASSERT_OK_AND_ASSIGN(std::vector<OutboxMessage> claimed,
                       store().ClaimDueOutbox("email", 100, 190, 1));
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_FALSE(claimed[0].lease_expired);
  // The worker died; after its lease another claims the message.
  ASSERT_OK_AND_ASSIGN(claimed, store().ClaimDueOutbox("email", 200, 290, 1));
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_TRUE(claimed[0].lease_expired);
  // A staff message delivered: no pupil, so no log entry is asked for.
  ASSERT_OK(store().RecordMessageAttempt({.outbox_id = claimed[0].id, .at = 210, .status = 250},
                                         {OutboxState::kDelivered, 210}, std::nullopt,
                                         std::nullopt));
  ASSERT_OK_AND_ASSIGN(std::vector<OutboxMessage> messages, store().ListMessages({}));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].provider_ref, std::nullopt);
  EXPECT_EQ(messages[0].state, OutboxState::kDelivered);
}

TEST_P(StoreTest, ReceiptsAreRecordedByTheProvidersId) {
  ASSERT_OK(store().FanOut({}, {Message("sms", "s/1", 100, std::nullopt)}).status());
  ASSERT_OK_AND_ASSIGN(std::vector<OutboxMessage> claimed,
                       store().ClaimDueOutbox("sms", 100, 190, 1));
  ASSERT_EQ(claimed.size(), 1u);
  ASSERT_OK(store().RecordMessageAttempt({.outbox_id = claimed[0].id, .at = 110, .status = 201},
                                         {OutboxState::kDelivered, 110}, std::string("740e5834"),
                                         std::nullopt));
  ASSERT_OK(store().RecordMessageReceipt("740e5834", "temporary-failure", 120));
  ASSERT_OK(store().RecordMessageReceipt("740e5834", "delivered", 130));
  ASSERT_OK_AND_ASSIGN(std::vector<OutboxMessage> messages, store().ListMessages({}));
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].receipt, "delivered");
  EXPECT_EQ(messages[0].receipt_at, 130);
  EXPECT_ERROR(store().RecordMessageReceipt("unknown", "delivered", 140),
               core::ErrorKind::kNotFound, core::kErrOutboxUnknown);
}

TEST_P(StoreTest, TheMessageLogFiltersByChannelStateAndPupilNewestFirst) {
  const int64_t p = AddTestPupil("A000000000001");
  const int64_t q = AddTestPupil("A000000000002");
  OutboxMessage hook = Message("webhook", "evt_1_1", 50, std::nullopt);
  hook.subscription_id = std::nullopt;
  ASSERT_OK(store()
                .FanOut({}, {Message("email", "m/1", 100, p), Message("sms", "m/2", 200, p),
                             Message("sms", "m/3", 300, q), hook})
                .status());
  auto keys = [](const std::vector<OutboxMessage>& messages) {
    std::vector<std::string> out;
    for (const OutboxMessage& m : messages) out.push_back(m.idempotency_key);
    return out;
  };
  ASSERT_OK_AND_ASSIGN(std::vector<OutboxMessage> all, store().ListMessages({}));
  EXPECT_EQ(keys(all), (std::vector<std::string>{"m/3", "m/2", "m/1"}));
  ASSERT_OK_AND_ASSIGN(std::vector<OutboxMessage> texts,
                       store().ListMessages({.channels = {"sms"}}));
  EXPECT_EQ(keys(texts), (std::vector<std::string>{"m/3", "m/2"}));
  ASSERT_OK_AND_ASSIGN(std::vector<OutboxMessage> pupils, store().ListMessages({.pupil_id = p}));
  EXPECT_EQ(keys(pupils), (std::vector<std::string>{"m/2", "m/1"}));
  ASSERT_OK_AND_ASSIGN(std::vector<OutboxMessage> one, store().ListMessages({.limit = 1}));
  EXPECT_EQ(keys(one), (std::vector<std::string>{"m/3"}));
  ASSERT_OK_AND_ASSIGN(std::vector<OutboxMessage> claimed,
                       store().ClaimDueOutbox("email", 1000, 1090, 1));
  ASSERT_EQ(claimed.size(), 1u);
  ASSERT_OK_AND_ASSIGN(std::vector<OutboxMessage> sending,
                       store().ListMessages({.state = OutboxState::kSending, .pupil_id = p}));
  EXPECT_EQ(keys(sending), (std::vector<std::string>{"m/1"}));
  ASSERT_OK_AND_ASSIGN(std::vector<OutboxMessage> hooks,
                       store().ListMessages({.channels = {"webhook"}}));
  EXPECT_EQ(keys(hooks), (std::vector<std::string>{"evt_1_1"}));
}

}  // namespace
}  // namespace rollcall::store
