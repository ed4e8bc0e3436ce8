// Email and text messages as service::Messaging sends them, with fake
// transports in place of the relay and Notify: a family message sent once
// and logged once, retries on a 4xx, failure at once on a 5xx, a channel
// with no transport kept queued, the check at the provider that stops a
// second text after a crash, delivery receipts and their token, the
// settings' checks, and who may do what.
#include "service/messaging.h"

#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "core/error_codes.h"
#include "service/outgoing.h"
#include "service/school_fixture.h"

namespace rollcall::service {
namespace {

constexpr char kTemplateId[] = "f33517ff-2a88-4f6e-b855-c550268ce08a";
constexpr char kApiKey[] =
    "rollcall-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0";
constexpr char kReceiptToken[] = "receipt-token-123456";

// Answers each message with the next of `answers` (accepted once they run
// out) and keeps every message.
class FakeMail : public io::MailTransport {
 public:
  io::SendResult Send(const io::MailEnvelope& envelope, const std::string& rfc5322) override {
    sent.push_back({envelope, rfc5322});
    if (answers.empty()) return {.ok = true, .status = 250, .answer = "2.0.0 queued"};
    io::SendResult r = answers.front();
    answers.pop_front();
    return r;
  }
  std::deque<io::SendResult> answers;
  std::vector<std::pair<io::MailEnvelope, std::string>> sent;
};

// As FakeMail for texts; `known` is what the provider holds by reference,
// as Notify would after accepting a message.
class FakeSms : public io::SmsProvider {
 public:
  io::SendResult Send(const std::string& to, const std::string& body,
                      const std::string& reference) override {
    sent.push_back({to, body, reference});
    io::SendResult r{.ok = true, .status = 201};
    if (!answers.empty()) {
      r = answers.front();
      answers.pop_front();
    }
    if (r.ok) {
      r.provider_ref = "notify-" + std::to_string(sent.size());
      known[reference] = r.provider_ref;
    }
    return r;
  }
  core::StatusOr<std::optional<std::string>> FindByReference(
      const std::string& reference) override {
    lookups.push_back(reference);
    if (lookup_down) {
      return core::Unavailable(core::kErrValueInvalid, "the provider did not answer");
    }
    const auto it = known.find(reference);
    if (it == known.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
  bool lookup_down = false;
  struct Text {
    std::string to, body, reference;
  };
  std::deque<io::SendResult> answers;
  std::vector<Text> sent;
  std::map<std::string, std::string> known;
  std::vector<std::string> lookups;
};

class MessagingTest : public SchoolFixture {
 protected:
  MessagingTest() {
    services_ =
        std::make_unique<Services>(*store_, clock_, ServiceOptions{.mail = &mail_, .sms = &sms_});
    EXPECT_TRUE(services_->Load().ok());
  }

  Messaging& messaging() { return services_->messaging(); }

  // Both channels on (the fakes stand in for the transports the settings name).
  void Configure(bool email = true, bool sms = true) {
    store::MessageSettings s;
    s.email_transport = email ? "smtp://relay.example.org:587" : "";
    s.from_address = "office@test.sch.uk";
    s.from_name = "Test Primary";
    s.sms_transport = sms ? "notify" : "";
    s.notify_api_key = kApiKey;
    s.notify_sms_template_id = kTemplateId;
    s.notify_receipt_token = kReceiptToken;
    s.set_at = clock_.NowSeconds();
    s.set_by = "test";
    ASSERT_TRUE(store_->SaveMessageSettings(s).ok());
  }

  Outgoing Family(const std::string& channel, const std::string& key) const {
    return {.kind = "day_one",
            .channel = channel,
            .pupil_id = a_,
            .recipient = "Mrs A Khan (Mother)",
            .to = channel == "sms" ? "07700900123" : "parent@example.org",
            .subject = "Pupil is not in school today",
            .body = "Pupil has not arrived and we have not been told why.",
            .key = key};
  }
  void Queue(const Outgoing& m) {
    ASSERT_TRUE(store_->FanOut({}, {ToOutbox(m, clock_.NowSeconds())}).ok());
  }
  MessageRun Run() {
    core::StatusOr<MessageRun> run = messaging().RunDue();
    EXPECT_TRUE(run.ok()) << run.status().message();
    return run.ok() ? *run : MessageRun{};
  }
  store::OutboxMessage Only() {
    core::StatusOr<std::vector<store::OutboxMessage>> all = store_->ListMessages({});
    EXPECT_TRUE(all.ok());
    EXPECT_EQ(all.ok() ? all->size() : 0u, 1u);
    return all.ok() && !all->empty() ? all->front() : store::OutboxMessage{};
  }
  std::vector<store::ContactLogEntry> ContactLog() {
    core::StatusOr<std::vector<store::ContactLogEntry>> log = store_->ContactLogForPupil(a_);
    EXPECT_TRUE(log.ok());
    return log.ok() ? *log : std::vector<store::ContactLogEntry>{};
  }

  FakeMail mail_;
  FakeSms sms_;
};

TEST_F(MessagingTest, AFamilyEmailIsSentOnceAndLoggedOnce) {
  Configure();
  Outgoing m = Family("email", "day_one/2026-11-25/1/0");
  m.attachments = {{"letter.pdf", "application/pdf", "%PDF-1.4 bytes"}};
  Queue(m);
  MessageRun run = Run();
  EXPECT_EQ(run.attempted, 1);
  EXPECT_EQ(run.delivered, 1);
  ASSERT_EQ(mail_.sent.size(), 1u);
  EXPECT_EQ(mail_.sent[0].first.from, "office@test.sch.uk");
  EXPECT_EQ(mail_.sent[0].first.to, std::vector<std::string>{"parent@example.org"});
  const std::string& text = mail_.sent[0].second;
  EXPECT_NE(text.find("Message-ID: <day_one-2026-11-25-1-0@rollcall>\r\n"), std::string::npos);
  EXPECT_NE(text.find("Subject: Pupil is not in school today\r\n"), std::string::npos);
  EXPECT_NE(text.find("From: \"Test Primary\" <office@test.sch.uk>\r\n"), std::string::npos);
  EXPECT_NE(text.find("filename=\"letter.pdf\""), std::string::npos);
  EXPECT_EQ(Only().state, store::OutboxState::kDelivered);
  std::vector<store::ContactLogEntry> log = ContactLog();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].method, store::ContactMethod::kEmail);
  EXPECT_EQ(log[0].outcome, store::ContactOutcome::kSent);
  EXPECT_EQ(log[0].contact_name, "Mrs A Khan (Mother)");
  EXPECT_EQ(log[0].note, "Pupil is not in school today");
  EXPECT_EQ(log[0].by_name, "rollcall");
  // Nothing is sent or logged again.
  clock_.AdvanceSeconds(3600);
  EXPECT_EQ(Run().attempted, 0);
  EXPECT_EQ(mail_.sent.size(), 1u);
  EXPECT_EQ(ContactLog().size(), 1u);
}

TEST_F(MessagingTest, A4xxFromTheRelayIsRetriedWithTheSameMessageId) {
  Configure();
  Queue(Family("email", "day_one/2026-11-25/1/0"));
  mail_.answers.push_back({.status = 451, .answer = "451 4.3.0 try again later"});
  MessageRun run = Run();
  EXPECT_EQ(run.attempted, 1);
  EXPECT_EQ(run.delivered, 0);
  EXPECT_EQ(run.failed, 0);
  store::OutboxMessage m = Only();
  EXPECT_EQ(m.state, store::OutboxState::kQueued);
  EXPECT_EQ(m.attempts, 1);
  EXPECT_EQ(m.last_status, 451);
  EXPECT_EQ(m.next_attempt_at, clock_.NowSeconds() + kWebhookBackoffSeconds[0]);
  EXPECT_TRUE(ContactLog().empty());
  // Not before its time.
  EXPECT_EQ(Run().attempted, 0);
  clock_.AdvanceSeconds(kWebhookBackoffSeconds[0]);
  EXPECT_EQ(Run().delivered, 1);
  ASSERT_EQ(mail_.sent.size(), 2u);
  const auto message_id = [](const std::string& text) {
    const size_t at = text.find("Message-ID: ");
    return text.substr(at, text.find("\r\n", at) - at);
  };
  EXPECT_EQ(message_id(mail_.sent[0].second), message_id(mail_.sent[1].second));
  EXPECT_EQ(Only().state, store::OutboxState::kDelivered);
  EXPECT_EQ(ContactLog().size(), 1u);
}

TEST_F(MessagingTest, A5xxFromTheRelayFailsAtOnce) {
  Configure();
  Queue(Family("email", "day_one/2026-11-25/1/0"));
  mail_.answers.push_back(
      {.permanent = true, .status = 550, .answer = "550 5.1.1 no such mailbox"});
  MessageRun run = Run();
  EXPECT_EQ(run.failed, 1);
  store::OutboxMessage m = Only();
  EXPECT_EQ(m.state, store::OutboxState::kFailed);
  EXPECT_EQ(m.last_answer, "550 5.1.1 no such mailbox");
  EXPECT_TRUE(ContactLog().empty());
  clock_.AdvanceSeconds(86400);
  EXPECT_EQ(Run().attempted, 0);
}

TEST_F(MessagingTest, TextsGiveUpAfterTheLastRetry) {
  Configure();
  Queue(Family("sms", "day_one/2026-11-25/1/0"));
  for (int i = 0; i < kWebhookMaxAttempts; ++i) sms_.answers.push_back({.status = 503});
  for (int i = 0; i < kWebhookMaxAttempts; ++i) {
    Run();
    clock_.AdvanceSeconds(86400);
  }
  EXPECT_EQ(sms_.sent.size(), static_cast<size_t>(kWebhookMaxAttempts));
  EXPECT_EQ(Only().state, store::OutboxState::kFailed);
}

TEST_F(MessagingTest, AChannelWithNoTransportKeepsItsMessagesQueued) {
  Configure(/*email=*/true, /*sms=*/false);
  Queue(Family("sms", "day_one/2026-11-25/1/0"));
  const int64_t now = clock_.NowSeconds();
  clock_.AdvanceSeconds(3600);
  EXPECT_EQ(Run().attempted, 0);
  EXPECT_TRUE(sms_.sent.empty());
  store::OutboxMessage m = Only();
  EXPECT_EQ(m.state, store::OutboxState::kQueued);
  EXPECT_EQ(m.attempts, 0);
  EXPECT_EQ(m.next_attempt_at, now);  // untouched
  core::StatusOr<MessageLog> log = messaging().Log(office_, {});
  ASSERT_TRUE(log.ok());
  EXPECT_TRUE(log->email_on);
  EXPECT_FALSE(log->sms_on);
  // Once the head turns texts on, it goes at once.
  Configure();
  EXPECT_EQ(Run().delivered, 1);
  ASSERT_EQ(sms_.sent.size(), 1u);
  EXPECT_EQ(sms_.sent[0].to, "07700900123");
  EXPECT_EQ(sms_.sent[0].reference, "day_one/2026-11-25/1/0");
}

TEST_F(MessagingTest, AFirstAttemptSendsWithoutAskingTheProvider) {
  Configure();
  Queue(Family("sms", "day_one/2026-11-25/1/0"));
  EXPECT_EQ(Run().delivered, 1);
  EXPECT_TRUE(sms_.lookups.empty());
  const store::OutboxMessage m = Only();
  EXPECT_EQ(m.provider_ref, "notify-1");
  std::vector<store::ContactLogEntry> log = ContactLog();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].method, store::ContactMethod::kText);
  EXPECT_EQ(log[0].note, "Pupil has not arrived and we have not been told why.");
}

TEST_F(MessagingTest, ATextTheProviderAlreadyHasIsNotSentAgainAfterACrash) {
  Configure();
  const std::string key = "day_one/2026-11-25/1/0";
  Queue(Family("sms", key));
  // A worker claimed it, Notify accepted it, and the process died before
  // recording the answer.
  const int64_t now = clock_.NowSeconds();
  ASSERT_TRUE(store_->ClaimDueOutbox("sms", now, now + kMessageLeaseSeconds, 1).ok());
  sms_.known[key] = "notify-77";
  // Inside the lease nothing happens; after it, the provider is asked first.
  EXPECT_EQ(Run().attempted, 0);
  clock_.AdvanceSeconds(kMessageLeaseSeconds);
  MessageRun run = Run();
  EXPECT_EQ(run.delivered, 1);
  EXPECT_TRUE(sms_.sent.empty());
  EXPECT_EQ(sms_.lookups, std::vector<std::string>{key});
  const store::OutboxMessage m = Only();
  EXPECT_EQ(m.state, store::OutboxState::kDelivered);
  EXPECT_EQ(m.provider_ref, "notify-77");
  EXPECT_EQ(ContactLog().size(), 1u);
}

TEST_F(MessagingTest, ATextTheProviderNeverGotIsSentAfterACrash) {
  Configure();
  const std::string key = "day_one/2026-11-25/1/0";
  Queue(Family("sms", key));
  const int64_t now = clock_.NowSeconds();
  ASSERT_TRUE(store_->ClaimDueOutbox("sms", now, now + kMessageLeaseSeconds, 1).ok());
  clock_.AdvanceSeconds(kMessageLeaseSeconds);
  EXPECT_EQ(Run().delivered, 1);
  EXPECT_EQ(sms_.lookups, std::vector<std::string>{key});
  EXPECT_EQ(sms_.sent.size(), 1u);
}

TEST_F(MessagingTest, ATextIsNotSentWhileTheProviderCannotSayWhetherItHasIt) {
  Configure();
  const std::string key = "day_one/2026-11-25/1/0";
  Queue(Family("sms", key));
  const int64_t now = clock_.NowSeconds();
  ASSERT_TRUE(store_->ClaimDueOutbox("sms", now, now + kMessageLeaseSeconds, 1).ok());
  sms_.known[key] = "notify-77";
  sms_.lookup_down = true;
  clock_.AdvanceSeconds(kMessageLeaseSeconds);
  // The lookup fails: nothing is sent, and the text waits to be asked about again.
  EXPECT_EQ(Run().delivered, 0);
  EXPECT_TRUE(sms_.sent.empty());
  EXPECT_EQ(Only().state, store::OutboxState::kQueued);
  EXPECT_EQ(Run().attempted, 0);  // not before its wait is over
  sms_.lookup_down = false;
  clock_.AdvanceSeconds(kLookupRetrySeconds);
  EXPECT_EQ(Run().delivered, 1);
  EXPECT_TRUE(sms_.sent.empty());
  EXPECT_EQ(Only().provider_ref, "notify-77");
}

TEST_F(MessagingTest, ATextRetriedAfterNoAnswerIsLookedUpFirst) {
  Configure();
  const std::string key = "day_one/2026-11-25/1/0";
  Queue(Family("sms", key));
  // No answer came, but Notify had accepted it.
  sms_.answers.push_back({.status = 0, .answer = "Timeout was reached"});
  Run();
  sms_.known[key] = "notify-9";
  clock_.AdvanceSeconds(kWebhookBackoffSeconds[0]);
  EXPECT_EQ(Run().delivered, 1);
  EXPECT_EQ(sms_.sent.size(), 1u);
  EXPECT_EQ(Only().provider_ref, "notify-9");
}

TEST_F(MessagingTest, ReceiptsAreRecordedOnlyWithTheToken) {
  Configure();
  Queue(Family("sms", "day_one/2026-11-25/1/0"));
  Run();
  const std::string receipt =
      R"({"id": "notify-1", "reference": "day_one/2026-11-25/1/0", "to": "07700900123",
          "status": "delivered", "created_at": "2026-11-25T10:00:00Z", "completed_at": null,
          "sent_at": null, "notification_type": "sms"})";
  for (const std::string& wrong : {std::string("Bearer wrong-token-123456"), std::string(""),
                                   std::string(kReceiptToken),  // no "Bearer "
                                   std::string("Bearer ")}) {
    const core::Status refused = messaging().ReceiveNotifyReceipt(wrong, receipt);
    EXPECT_EQ(refused.kind(), core::ErrorKind::kUnauthenticated) << wrong;
    EXPECT_EQ(refused.code(), core::kErrTokenInvalid);
  }
  EXPECT_EQ(Only().receipt, "");
  const std::string bearer = std::string("Bearer ") + kReceiptToken;
  ASSERT_TRUE(messaging().ReceiveNotifyReceipt(bearer, receipt).ok());
  EXPECT_EQ(Only().receipt, "delivered");
  EXPECT_EQ(Only().receipt_at, clock_.NowSeconds());
  EXPECT_EQ(messaging().ReceiveNotifyReceipt(bearer, "{not json").kind(),
            core::ErrorKind::kInvalidArgument);
  EXPECT_EQ(messaging()
                .ReceiveNotifyReceipt(bearer, R"({"id": "someone-else", "status": "delivered"})")
                .code(),
            core::kErrOutboxUnknown);
}

TEST_F(MessagingTest, NoReceiptIsTakenBeforeATokenIsSet) {
  const core::Status refused =
      messaging().ReceiveNotifyReceipt("Bearer ", R"({"id": "x", "status": "delivered"})");
  EXPECT_EQ(refused.kind(), core::ErrorKind::kUnauthenticated);
}

TEST_F(MessagingTest, SettingsAreCheckedNamingTheField) {
  store::MessageSettings good;
  good.email_transport = "smtp://relay.example.org:587";
  good.smtp_username = "office";
  good.smtp_password = "relay-secret";
  good.from_address = "office@test.sch.uk";
  good.sms_transport = "notify";
  good.notify_api_key = kApiKey;
  good.notify_sms_template_id = kTemplateId;
  good.notify_receipt_token = kReceiptToken;
  good.public_url = "https://attendance.test.sch.uk";
  ASSERT_TRUE(messaging().SaveSettings(head_, good).ok());

  const auto refused = [&](const char* field, auto change) {
    store::MessageSettings s = good;
    change(s);
    const core::Status status = messaging().SaveSettings(head_, s);
    EXPECT_EQ(status.code(), core::kErrValueInvalid) << field;
    EXPECT_NE(status.message().find(field), std::string::npos) << status.message();
  };
  refused("email_transport", [](auto& s) { s.email_transport = "http://relay"; });
  refused("email_transport", [](auto& s) { s.email_transport = "folder:relative/path"; });
  refused("from_address", [](auto& s) { s.from_address = ""; });
  refused("from_address", [](auto& s) { s.from_address = "office at school"; });
  refused("reply_to", [](auto& s) { s.reply_to = "nobody"; });
  refused("from_name", [](auto& s) { s.from_name = "School\r\nBcc: x@y.z"; });
  refused("sms_transport", [](auto& s) { s.sms_transport = "twilio"; });
  refused("notify_api_key", [](auto& s) { s.notify_api_key = "a-short-key"; });
  refused("notify_sms_template_id", [](auto& s) { s.notify_sms_template_id = "template 1"; });
  refused("notify_base_url", [](auto& s) { s.notify_base_url = "http://notify.example.org"; });
  refused("notify_receipt_token", [](auto& s) { s.notify_receipt_token = "short"; });
  refused("public_url", [](auto& s) { s.public_url = "http://attendance.test.sch.uk"; });
  refused("day_one_minute", [](auto& s) { s.day_one_minute = 1440; });

  // The page never shows the secrets; left blank they stay as they were.
  core::StatusOr<MessageSettingsView> view = messaging().Settings(head_);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->settings.smtp_password, "");
  EXPECT_EQ(view->settings.notify_api_key, "");
  EXPECT_TRUE(view->smtp_password_set);
  EXPECT_TRUE(view->notify_api_key_set);
  EXPECT_TRUE(view->notify_receipt_token_set);
  store::MessageSettings edited = view->settings;
  edited.from_name = "Test Primary School";
  ASSERT_TRUE(messaging().SaveSettings(head_, edited).ok());
  core::StatusOr<store::MessageSettings> saved = store_->GetMessageSettings();
  ASSERT_TRUE(saved.ok());
  EXPECT_EQ(saved->from_name, "Test Primary School");
  EXPECT_EQ(saved->smtp_password, "relay-secret");
  EXPECT_EQ(saved->notify_api_key, kApiKey);
  EXPECT_EQ(saved->notify_receipt_token, kReceiptToken);
  EXPECT_EQ(saved->set_by, "Mrs Head");

  // Folders, and nothing at all, are fine too.
  store::MessageSettings folders;
  folders.email_transport = "folder:/var/lib/rollcall/outbox/email";
  folders.from_address = "office@test.sch.uk";
  folders.sms_transport = "folder:/var/lib/rollcall/outbox/sms";
  EXPECT_TRUE(messaging().SaveSettings(head_, folders).ok());
  EXPECT_TRUE(messaging().SaveSettings(head_, store::MessageSettings{}).ok());
}

TEST_F(MessagingTest, ATestMessageIsQueuedAndSent) {
  Configure();
  core::StatusOr<std::string> key = messaging().SendTest(head_, "sms", "07700 900123");
  ASSERT_TRUE(key.ok()) << key.status().message();
  EXPECT_EQ(Run().delivered, 1);
  ASSERT_EQ(sms_.sent.size(), 1u);
  EXPECT_EQ(sms_.sent[0].reference, *key);
  EXPECT_NE(sms_.sent[0].body.find("Test Primary"), std::string::npos);
  EXPECT_NE(sms_.sent[0].body.find("Mrs Head"), std::string::npos);
  EXPECT_TRUE(ContactLog().empty());  // not about a pupil
  ASSERT_TRUE(messaging().SendTest(head_, "email", "head@test.sch.uk").ok());
  EXPECT_EQ(Run().delivered, 1);
  ASSERT_EQ(mail_.sent.size(), 1u);
  EXPECT_NE(mail_.sent[0].second.find("Subject: A test message from Test Primary"),
            std::string::npos);
  EXPECT_EQ(messaging().SendTest(head_, "sms", "01632 960000").status().code(),
            core::kErrValueInvalid);
  EXPECT_EQ(messaging().SendTest(head_, "email", "nobody").status().code(), core::kErrValueInvalid);
  EXPECT_EQ(messaging().SendTest(head_, "fax", "x").status().code(), core::kErrValueInvalid);
}

TEST_F(MessagingTest, OnlyTheHeadSetsMessagingAndTheSchoolReadsTheLog) {
  Configure();
  Queue(Family("email", "day_one/2026-11-25/1/0"));
  for (const Principal* who : {&office_, &teacher_, &parent_, &la_}) {
    EXPECT_EQ(messaging().Settings(*who).status().kind(), core::ErrorKind::kPermissionDenied);
    EXPECT_EQ(messaging().SaveSettings(*who, {}).kind(), core::ErrorKind::kPermissionDenied);
    EXPECT_EQ(messaging().SendTest(*who, "email", "a@b.cd").status().kind(),
              core::ErrorKind::kPermissionDenied);
  }
  Principal attendance =
      AddUser("attendance", store::Role::kAttendanceOfficer, "Mr Attendance", {}, {});
  for (const Principal* who : {&office_, &head_, &attendance}) {
    core::StatusOr<MessageLog> log = messaging().Log(*who, {});
    ASSERT_TRUE(log.ok()) << log.status().message();
    EXPECT_EQ(log->messages.size(), 1u);
    core::StatusOr<std::vector<store::OutboxMessage>> pupil = messaging().ForPupil(*who, a_);
    ASSERT_TRUE(pupil.ok());
    EXPECT_EQ(pupil->size(), 1u);
  }
  for (const Principal* who : {&teacher_, &parent_, &la_}) {
    EXPECT_EQ(messaging().Log(*who, {}).status().kind(), core::ErrorKind::kPermissionDenied);
    EXPECT_EQ(messaging().ForPupil(*who, a_).status().kind(), core::ErrorKind::kPermissionDenied);
  }
  EXPECT_EQ(messaging().ForPupil(office_, 9999).status().code(), core::kErrPupilUnknown);
}

TEST_F(MessagingTest, TheLogFiltersAndShowsAttempts) {
  Configure();
  Queue(Family("email", "day_one/2026-11-25/1/0"));
  Queue(Family("sms", "day_one/2026-11-25/1/1"));
  sms_.answers.push_back({.status = 500, .answer = "Internal server error"});
  Run();
  core::StatusOr<MessageLog> queued =
      messaging().Log(office_, {.state = store::OutboxState::kQueued});
  ASSERT_TRUE(queued.ok());
  ASSERT_EQ(queued->messages.size(), 1u);
  EXPECT_EQ(queued->messages[0].channel, "sms");
  ASSERT_EQ(queued->attempts.at(queued->messages[0].id).size(), 1u);
  EXPECT_EQ(queued->attempts.at(queued->messages[0].id)[0].status, 500);
  core::StatusOr<MessageLog> emails = messaging().Log(office_, {.channel = "email"});
  ASSERT_TRUE(emails.ok());
  ASSERT_EQ(emails->messages.size(), 1u);
  EXPECT_EQ(emails->messages[0].state, store::OutboxState::kDelivered);
  EXPECT_EQ(messaging().Log(office_, {.channel = "pigeon"}).status().code(),
            core::kErrValueInvalid);
}

}  // namespace
}  // namespace rollcall::service
