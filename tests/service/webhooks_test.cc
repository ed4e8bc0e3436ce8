// Webhooks as service::Webhooks sends them, with a fake receiver in place of
// the network: each event fanned out once per subscription, signed, retried
// with backoff, never sent again once delivered, and not sent twice inside
// a claim's lease.
#include "service/webhooks.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/error_codes.h"
#include "service/password.h"
#include "service/school_fixture.h"

namespace rollcall::service {
namespace {

using rollcall::testing::D;

// Answers each POST with the next of `answers` (204 once they run out) and
// keeps every request.
class FakePoster : public io::Poster {
 public:
  io::PostAnswer Post(const io::PostRequest& request) override {
    requests.push_back(request);
    if (answers.empty()) return {.status = 204};
    io::PostAnswer answer = answers.front();
    answers.pop_front();
    return answer;
  }
  std::string Header(size_t i, const std::string& name) const {
    for (const auto& [n, v] : requests.at(i).headers) {
      if (n == name) return v;
    }
    return "";
  }

  std::deque<io::PostAnswer> answers;
  std::vector<io::PostRequest> requests;
};

class WebhooksTest : public SchoolFixture {
 protected:
  WebhooksTest() {
    services_ = std::make_unique<Services>(*store_, clock_, ServiceOptions{.poster = &poster_});
    EXPECT_TRUE(services_->Load().ok());
  }

  Webhooks& webhooks() { return services_->webhooks(); }

  store::Webhook Subscribe(const std::string& url, std::vector<std::string> kinds) {
    core::StatusOr<store::Webhook> w = webhooks().Add(head_, {url, std::move(kinds)});
    EXPECT_TRUE(w.ok()) << w.status().message();
    return w.ok() ? *w : store::Webhook{};
  }
  static std::vector<std::string> AllKinds() {
    return {store::kEventKinds.begin(), store::kEventKinds.end()};
  }
  WebhookRun Run() {
    core::StatusOr<WebhookRun> run = webhooks().RunDue();
    EXPECT_TRUE(run.ok()) << run.status().message();
    return run.ok() ? *run : WebhookRun{};
  }
  nlohmann::json Body(size_t i) const { return nlohmann::json::parse(poster_.requests.at(i).body); }
  std::vector<store::OutboxMessage> Log() {
    core::StatusOr<std::vector<store::OutboxMessage>> log = store_->ListOutbox(std::nullopt, 100);
    EXPECT_TRUE(log.ok());
    return log.ok() ? *log : std::vector<store::OutboxMessage>{};
  }

  FakePoster poster_;
};

// An amendment of only the arrival time keeps the code: the payload says
// which times changed, or the receiver would see N -> N, or L -> L.
TEST_F(WebhooksTest, AnAmendedArrivalTimeIsInThePayload) {
  Subscribe("https://receiver.example/hook", {"mark.amended"});
  ASSERT_TRUE(Mark(office_, a_, "2026-11-24", "AM", "L", "", "08:55").ok());
  ASSERT_TRUE(
      Mark(office_, a_, "2026-11-24", "AM", "L", "Signed in at the office later", "09:10").ok());
  Run();
  ASSERT_EQ(poster_.requests.size(), 1u);
  const nlohmann::json data = Body(0)["data"];
  EXPECT_EQ(data["old_code"], "L");
  EXPECT_EQ(data["new_code"], "L");
  EXPECT_EQ(data["old_arrival"], "08:55");
  EXPECT_EQ(data["new_arrival"], "09:10");
}

TEST_F(WebhooksTest, EachKindOfEventIsSentOnce) {
  const store::Webhook hook = Subscribe("https://receiver.example/hook", AllKinds());
  // a_ absent with no reason all Tuesday (a CME case opens), and Tuesday
  // morning's mark amended.
  ASSERT_TRUE(Mark(office_, a_, "2026-11-24", "AM", "N").ok());
  ASSERT_TRUE(Mark(office_, a_, "2026-11-24", "PM", "N").ok());
  ASSERT_TRUE(Mark(office_, a_, "2026-11-24", "AM", "I", "Mother rang").ok());
  store::PenaltyCase penalty{.pupil_id = b_,
                             .alert = {D("2026-11-20"), core::Session::kPm},
                             .evidence = "2026-11-16 AM G",
                             .opened_at = clock_.NowSeconds()};
  ASSERT_TRUE(store_->OpenPenaltyCase(penalty).ok());
  const store::Actor office{office_.user_id, office_.name, office_.role};
  store::Pupil c = NewPupil("C909123400003", class_3a_);
  core::StatusOr<std::vector<int64_t>> ids =
      store_->SavePupils({}, {c}, office, clock_.NowSeconds(), "new pupil");
  ASSERT_TRUE(ids.ok());
  c.id = ids->front();
  c.enrolments[0].end = D("2026-11-25");
  c.enrolments[0].deletion_ground = "a";
  c.enrolments[0].destination = "Elm School";
  ASSERT_TRUE(store_->SavePupils({}, {c}, office, clock_.NowSeconds(), "left").ok());

  const WebhookRun run = Run();
  EXPECT_EQ(run.queued, 6);
  EXPECT_EQ(run.delivered, 6);
  std::map<std::string, nlohmann::json> by_kind;
  for (size_t i = 0; i < poster_.requests.size(); ++i) {
    const nlohmann::json body = Body(i);
    EXPECT_EQ(poster_.Header(i, "Rollcall-Event"), body["event"]);
    EXPECT_EQ(poster_.Header(i, "Rollcall-Delivery"), body["id"]);
    EXPECT_EQ(poster_.requests[i].url, "https://receiver.example/hook");
    EXPECT_TRUE(by_kind.emplace(body["event"], body).second) << body["event"] << " twice";
  }
  ASSERT_EQ(by_kind.size(), 6u);
  const nlohmann::json& amended = by_kind["mark.amended"];
  EXPECT_EQ(amended["version"], 1);
  EXPECT_EQ(amended["school"]["urn"], "123456");
  EXPECT_EQ(amended["data"]["pupil_id"], a_);
  EXPECT_EQ(amended["data"]["upn"], "A909123400001");
  EXPECT_EQ(amended["data"]["date"], "2026-11-24");
  EXPECT_EQ(amended["data"]["session"], "AM");
  EXPECT_EQ(amended["data"]["old_code"], "N");
  EXPECT_EQ(amended["data"]["new_code"], "I");
  EXPECT_EQ(amended["data"]["reason"], "Mother rang");
  EXPECT_TRUE(amended["data"]["old_arrival"].is_null());
  EXPECT_TRUE(amended["data"]["new_arrival"].is_null());
  EXPECT_EQ(by_kind["absence.no_reason"]["data"]["code"], "N");
  EXPECT_EQ(by_kind["cme.case_opened"]["data"]["first_day"], "2026-11-24");
  EXPECT_EQ(by_kind["penalty.threshold_crossed"]["data"]["trigger"], "penalty_threshold");
  EXPECT_EQ(by_kind["pupil.admitted"]["data"]["start_date"], "2026-09-01");
  EXPECT_EQ(by_kind["pupil.deleted"]["data"]["destination"], "Elm School");
  EXPECT_EQ(by_kind["pupil.deleted"]["data"]["last_day"], "2026-11-25");
  // One key per event and subscription: "evt_<event>_<webhook>".
  for (const auto& [kind, body] : by_kind) {
    const std::string key = body["id"];
    EXPECT_TRUE(key.starts_with("evt_") && key.ends_with(fmt::format("_{}", hook.id))) << key;
  }

  // Nothing new: nothing sent, ever again.
  clock_.AdvanceSeconds(86400);
  EXPECT_EQ(Run().attempted, 0);
  EXPECT_EQ(poster_.requests.size(), 6u);
}

TEST_F(WebhooksTest, AnEditOfAPupilsDetailsIsNoAdmission) {
  Subscribe("https://receiver.example/hook", {"pupil.admitted"});
  core::StatusOr<store::Pupil> a = store_->GetPupil(a_);
  ASSERT_TRUE(a.ok());
  a->legal_family_name = "Different";
  a->enrolments[0].start = D("2026-09-02");
  const store::Actor office{office_.user_id, office_.name, office_.role};
  ASSERT_TRUE(store_->SavePupils({}, {*a}, office, clock_.NowSeconds(), "corrected").ok());
  EXPECT_EQ(Run().queued, 0);
  EXPECT_TRUE(poster_.requests.empty());
}

TEST_F(WebhooksTest, OnlySubscribedKindsAreSentAndEachSubscriptionGetsItsOwn) {
  const store::Webhook one = Subscribe("https://one.example/hook", {"mark.amended"});
  const store::Webhook two = Subscribe("https://two.example/hook", {"mark.amended"});
  Subscribe("https://three.example/hook", {"pupil.deleted"});
  ASSERT_TRUE(Mark(office_, a_, "2026-11-25", "AM", "/").ok());
  ASSERT_TRUE(Mark(office_, a_, "2026-11-25", "AM", "I", "Mother rang").ok());
  EXPECT_EQ(Run().queued, 2);
  ASSERT_EQ(poster_.requests.size(), 2u);
  std::map<std::string, std::string> key_by_url;
  for (size_t i = 0; i < 2; ++i) {
    key_by_url[poster_.requests[i].url] = poster_.Header(i, "Rollcall-Delivery");
  }
  ASSERT_EQ(key_by_url.size(), 2u);
  EXPECT_TRUE(key_by_url["https://one.example/hook"].ends_with(fmt::format("_{}", one.id)));
  EXPECT_TRUE(key_by_url["https://two.example/hook"].ends_with(fmt::format("_{}", two.id)));
  EXPECT_EQ(Log().size(), 2u);
}

TEST_F(WebhooksTest, ASubscriptionGetsNothingFromBeforeItWasMade) {
  ASSERT_TRUE(Mark(office_, a_, "2026-11-25", "AM", "/").ok());
  ASSERT_TRUE(Mark(office_, a_, "2026-11-25", "AM", "I", "Mother rang").ok());
  clock_.AdvanceSeconds(1);
  Subscribe("https://receiver.example/hook", {"mark.amended"});
  EXPECT_EQ(Run().queued, 0);
  ASSERT_TRUE(Mark(office_, a_, "2026-11-25", "AM", "M", "Appointment card seen").ok());
  EXPECT_EQ(Run().delivered, 1);
  ASSERT_EQ(poster_.requests.size(), 1u);
  EXPECT_EQ(Body(0)["data"]["new_code"], "M");
}

TEST_F(WebhooksTest, FailuresAreRetriedWithBackoffWithTheSameBytesAndKey) {
  Subscribe("https://receiver.example/hook", {"mark.amended"});
  ASSERT_TRUE(Mark(office_, a_, "2026-11-25", "AM", "/").ok());
  ASSERT_TRUE(Mark(office_, a_, "2026-11-25", "AM", "I", "Mother rang").ok());
  poster_.answers = {{.status = 500, .body = "oops"}, {.status = 0, .error = "connection refused"}};

  EXPECT_EQ(Run().attempted, 1);  // 500
  EXPECT_EQ(Run().attempted, 0);  // not due for 30 s
  clock_.AdvanceSeconds(30);
  EXPECT_EQ(Run().attempted, 1);  // no answer
  clock_.AdvanceSeconds(119);
  EXPECT_EQ(Run().attempted, 0);  // not due for 2 min
  clock_.AdvanceSeconds(1);
  EXPECT_EQ(Run().delivered, 1);
  ASSERT_EQ(poster_.requests.size(), 3u);
  for (size_t i = 1; i < 3; ++i) {
    EXPECT_EQ(poster_.requests[i].body, poster_.requests[0].body);
    EXPECT_EQ(poster_.Header(i, "Rollcall-Delivery"), poster_.Header(0, "Rollcall-Delivery"));
  }
  // The timestamp, and so the signature, is each attempt's own.
  EXPECT_NE(poster_.Header(2, "Rollcall-Timestamp"), poster_.Header(0, "Rollcall-Timestamp"));

  const std::vector<store::OutboxMessage> log = Log();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].state, store::OutboxState::kDelivered);
  EXPECT_EQ(log[0].attempts, 3);
  core::StatusOr<std::vector<store::OutboxAttempt>> attempts = store_->OutboxAttemptsFor(log[0].id);
  ASSERT_TRUE(attempts.ok());
  ASSERT_EQ(attempts->size(), 3u);
  EXPECT_EQ((*attempts)[0].status, 500);
  EXPECT_EQ((*attempts)[0].answer, "oops");
  EXPECT_FALSE((*attempts)[1].status.has_value());
  EXPECT_EQ((*attempts)[1].answer, "connection refused");
  EXPECT_EQ((*attempts)[2].status, 204);

  // Delivered: never sent again.
  clock_.AdvanceSeconds(7 * 86400);
  EXPECT_EQ(Run().attempted, 0);
  EXPECT_EQ(poster_.requests.size(), 3u);
}

TEST_F(WebhooksTest, ARefusalFailsAtOnceAndRetriesEndAfterSixAttempts) {
  EXPECT_EQ(NextAfterAttempt(400, 1, 1000).state, store::OutboxState::kFailed);
  EXPECT_EQ(NextAfterAttempt(410, 1, 1000).state, store::OutboxState::kFailed);
  EXPECT_EQ(NextAfterAttempt(429, 1, 1000).next_attempt_at, 1030);
  EXPECT_EQ(NextAfterAttempt(408, 2, 1000).next_attempt_at, 1120);
  EXPECT_EQ(NextAfterAttempt(503, 3, 1000).next_attempt_at, 1600);
  EXPECT_EQ(NextAfterAttempt(0, 4, 1000).next_attempt_at, 4600);
  EXPECT_EQ(NextAfterAttempt(0, 5, 1000).next_attempt_at, 1000 + 21600);
  EXPECT_EQ(NextAfterAttempt(500, 6, 1000).state, store::OutboxState::kFailed);
  EXPECT_EQ(NextAfterAttempt(201, 6, 1000).state, store::OutboxState::kDelivered);
}

TEST_F(WebhooksTest, TheSignatureIsAnHmacOfTheTimestampAndBody) {
  // RFC 4231, test case 2.
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  const store::Webhook hook = Subscribe("https://receiver.example/hook", {"mark.amended"});
  EXPECT_TRUE(hook.secret.starts_with("whsec_"));
  ASSERT_TRUE(Mark(office_, a_, "2026-11-25", "AM", "/").ok());
  ASSERT_TRUE(Mark(office_, a_, "2026-11-25", "AM", "I", "Mother rang").ok());
  Run();
  ASSERT_EQ(poster_.requests.size(), 1u);
  const std::string stamp = poster_.Header(0, "Rollcall-Timestamp");
  EXPECT_EQ(stamp, std::to_string(clock_.NowSeconds()));
  EXPECT_EQ(poster_.Header(0, "Rollcall-Signature"),
            "v1=" + HmacSha256Hex(hook.secret, stamp + "." + poster_.requests[0].body));
}

TEST_F(WebhooksTest, AClaimedMessageIsNotSentAgainInsideItsLease) {
  Subscribe("https://receiver.example/hook", {"mark.amended"});
  ASSERT_TRUE(Mark(office_, a_, "2026-11-25", "AM", "/").ok());
  ASSERT_TRUE(Mark(office_, a_, "2026-11-25", "AM", "I", "Mother rang").ok());
  poster_.answers = {{.status = 0, .error = "timed out"}};
  Run();  // fans out and fails once
  clock_.AdvanceSeconds(30);
  // Another worker claims it and dies before it records anything.
  core::StatusOr<std::vector<store::OutboxMessage>> claimed = store_->ClaimDueOutbox(
      "webhook", clock_.NowSeconds(), clock_.NowSeconds() + kWebhookLeaseSeconds, 10);
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ(Run().attempted, 0);
  clock_.AdvanceSeconds(kWebhookLeaseSeconds);
  EXPECT_EQ(Run().delivered, 1);
  ASSERT_EQ(poster_.requests.size(), 2u);
  EXPECT_EQ(poster_.requests[1].body, poster_.requests[0].body);
}

TEST_F(WebhooksTest, PausedSubscriptionsWaitAndDeletedOnesStop) {
  const store::Webhook hook = Subscribe("https://receiver.example/hook", {"mark.amended"});
  ASSERT_TRUE(webhooks().SetActive(head_, hook.id, false).ok());
  ASSERT_TRUE(Mark(office_, a_, "2026-11-25", "AM", "/").ok());
  ASSERT_TRUE(Mark(office_, a_, "2026-11-25", "AM", "I", "Mother rang").ok());
  // Paused when the event happened: nothing is queued for it.
  EXPECT_EQ(Run().queued, 0);
  ASSERT_TRUE(webhooks().SetActive(head_, hook.id, true).ok());
  ASSERT_TRUE(webhooks().SendTest(head_, hook.id).ok());
  ASSERT_TRUE(webhooks().SetActive(head_, hook.id, false).ok());
  EXPECT_EQ(Run().attempted, 0);  // queued, but waits while paused
  ASSERT_TRUE(webhooks().SetActive(head_, hook.id, true).ok());
  clock_.AdvanceSeconds(kWebhookPausedWaitSeconds);
  EXPECT_EQ(Run().delivered, 1);
  ASSERT_EQ(poster_.requests.size(), 1u);
  EXPECT_EQ(poster_.Header(0, "Rollcall-Event"), "webhook.test");
  EXPECT_EQ(Body(0)["data"]["requested_by"], "Mrs Head");

  ASSERT_TRUE(webhooks().SendTest(head_, hook.id).ok());
  ASSERT_TRUE(webhooks().Delete(head_, hook.id).ok());
  EXPECT_EQ(Run().attempted, 0);
  const std::vector<store::OutboxMessage> log = Log();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].state, store::OutboxState::kFailed);  // kept in the log
  core::StatusOr<WebhooksView> view = webhooks().Get(head_, std::nullopt);
  ASSERT_TRUE(view.ok());
  EXPECT_TRUE(view->webhooks.empty());
  EXPECT_EQ(view->log.size(), 2u);
  EXPECT_EQ(webhooks().SendTest(head_, hook.id).code(), core::kErrWebhookUnknown);
}

TEST_F(WebhooksTest, OnlyTheHeadManagesSubscriptionsAndTheyAreChecked) {
  EXPECT_EQ(webhooks().Add(office_, {"https://x.example/", {"mark.amended"}}).status().kind(),
            core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(webhooks().Get(teacher_, std::nullopt).status().kind(),
            core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(webhooks().Add(head_, {"http://x.example/", {"mark.amended"}}).status().code(),
            core::kErrValueInvalid);  // pupils' data only over https
  EXPECT_EQ(webhooks().Add(head_, {"https://x.example/", {}}).status().code(),
            core::kErrWebhookInvalid);
  EXPECT_EQ(webhooks().Add(head_, {"https://x.example/", {"mark.deleted"}}).status().code(),
            core::kErrWebhookInvalid);
  EXPECT_TRUE(webhooks().Add(head_, {"http://127.0.0.1:8080/hook", {"mark.amended"}}).ok());
}

}  // namespace
}  // namespace rollcall::service
