// The head's webhooks page through App::Handle: adding a subscription (its
// secret shown, a refused address shown again with what was typed), pausing
// it, a test event sent by App::RunScheduledJobs, the delivery log, and no
// one else let in.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "io/https_post.h"
#include "test_app.h"

namespace rollcall::testing {
namespace {

using web::http::status;
using web::http::verb;

class RecordingPoster : public io::Poster {
 public:
  io::PostAnswer Post(const io::PostRequest& request) override {
    requests.push_back(request);
    return {.status = 200, .body = "thanks"};
  }
  std::vector<io::PostRequest> requests;
};

bool PageHas(const web::Response& r, const std::string& text) {
  return r.body.find(text) != std::string::npos;
}

TEST(WebhooksPageTest, TheHeadAddsPausesAndTestsASubscription) {
  RecordingPoster poster;
  TestApp t(web::AppConfig{.poster = &poster});
  web::Response page = t.Get("head", "/settings/webhooks");
  ASSERT_EQ(page.status, status::ok) << page.body;
  EXPECT_TRUE(PageHas(page, "No subscriptions yet."));
  EXPECT_TRUE(PageHas(page, "A mark amended"));  // the events in words
  // The retries' span in words matches the backoff (30 s to 6 h: 7 h 12 min).
  EXPECT_TRUE(PageHas(page, "tries again for about 7 hours"));

  // Pupils' data never goes out unencrypted: the address is refused and
  // shown again with the events ticked.
  web::Response refused = t.As("head", verb::post, "/settings/webhooks",
                               "url=http%3A%2F%2Freceiver.example%2Fhook&kind_mark.amended=yes");
  EXPECT_EQ(refused.status, status::unprocessable_entity);
  EXPECT_TRUE(PageHas(refused, "There is a problem"));
  EXPECT_TRUE(PageHas(refused, R"(value="http://receiver.example/hook")"));
  EXPECT_TRUE(PageHas(refused, R"(name="kind_mark.amended" type="checkbox" value="yes" checked)"));
  web::Response no_events =
      t.As("head", verb::post, "/settings/webhooks", "url=https%3A%2F%2Freceiver.example%2Fhook");
  EXPECT_EQ(no_events.status, status::unprocessable_entity);
  EXPECT_TRUE(PageHas(no_events, "choose at least one event"));

  web::Response added = t.As("head", verb::post, "/settings/webhooks",
                             "url=https%3A%2F%2Freceiver.example%2Fhook&kind_mark.amended=yes"
                             "&kind_pupil.deleted=yes");
  ASSERT_EQ(added.status, status::ok) << added.body;
  EXPECT_TRUE(PageHas(added, "Subscription added. Its secret is whsec_"));
  EXPECT_TRUE(PageHas(added, "https://receiver.example/hook"));
  EXPECT_TRUE(PageHas(added, ">Active</strong>"));
  const size_t at = added.body.find("/settings/webhooks/");
  ASSERT_NE(at, std::string::npos);
  const std::string id = added.body.substr(at + 19, added.body.find('/', at + 19) - at - 19);

  web::Response paused = t.As("head", verb::post, "/settings/webhooks/" + id + "/pause");
  EXPECT_EQ(Header(paused, "Location"), "/settings/webhooks?done=webhook-paused");
  EXPECT_TRUE(PageHas(t.Get("head", "/settings/webhooks"), ">Paused</strong>"));
  ASSERT_EQ(Header(t.As("head", verb::post, "/settings/webhooks/" + id + "/resume"), "Location"),
            "/settings/webhooks?done=webhook-resumed");

  ASSERT_EQ(Header(t.As("head", verb::post, "/settings/webhooks/" + id + "/test"), "Location"),
            "/settings/webhooks?done=webhook-test");
  ASSERT_TRUE(t.app().RunScheduledJobs().ok());
  ASSERT_EQ(poster.requests.size(), 1u);
  EXPECT_EQ(poster.requests[0].url, "https://receiver.example/hook");
  web::Response log = t.Get("head", "/settings/webhooks?state=delivered");
  EXPECT_TRUE(PageHas(log, "A test"));
  EXPECT_TRUE(PageHas(log, ">Delivered</strong>"));
  EXPECT_TRUE(PageHas(log, "thanks"));
  // Each attempt is listed under the message, with its status and answer.
  EXPECT_TRUE(PageHas(log, R"(<span class="govuk-details__summary-text">1</span>)")) << log.body;
  EXPECT_TRUE(PageHas(log, ": HTTP 200 thanks</li>")) << log.body;
  EXPECT_FALSE(PageHas(t.Get("head", "/settings/webhooks?state=failed"), "A test"));

  web::Response unknown = t.As("head", verb::post, "/settings/webhooks/" + id + "/explode");
  EXPECT_EQ(unknown.status, status::not_found);
}

TEST(WebhooksApiTest, SubscriptionsAndDeliveriesAsJson) {
  RecordingPoster poster;
  TestApp t(web::AppConfig{.poster = &poster});
  web::Response added = t.As(
      "head", verb::post, "/api/v1/webhooks",
      R"({"url":"https://receiver.example/hook","events":["pupil.admitted","pupil.deleted"]})");
  ASSERT_EQ(added.status, status::created) << added.body;
  const nlohmann::json hook = nlohmann::json::parse(added.body);
  EXPECT_EQ(hook["events"], nlohmann::json::array({"pupil.admitted", "pupil.deleted"}));
  EXPECT_TRUE(hook["secret"].get<std::string>().starts_with("whsec_"));
  EXPECT_EQ(hook["active"], true);
  const std::string id = std::to_string(hook["id"].get<int64_t>());

  EXPECT_EQ(ErrorCode(t.As("head", verb::post, "/api/v1/webhooks",
                           R"({"url":"https://receiver.example/hook","events":"pupil.deleted"})")),
            "JSON_WRONG_TYPE");
  EXPECT_EQ(ErrorCode(t.As("head", verb::post, "/api/v1/webhooks",
                           R"({"url":"https://receiver.example/hook","events":["marks"]})")),
            "WEBHOOK_INVALID");
  EXPECT_EQ(ErrorCode(t.As("head", verb::post, "/api/v1/webhooks/" + id + "/explode", "{}")),
            "NOT_FOUND");
  EXPECT_EQ(ErrorCode(t.As("head", verb::post, "/api/v1/webhooks/999/pause", "{}")),
            "WEBHOOK_UNKNOWN");
  EXPECT_EQ(ErrorCode(t.Get("head", "/api/v1/webhooks?state=lost")), "VALUE_INVALID");

  ASSERT_EQ(t.As("head", verb::post, "/api/v1/webhooks/" + id + "/test", "{}").status, status::ok);
  ASSERT_TRUE(t.app().RunScheduledJobs().ok());
  const nlohmann::json list =
      nlohmann::json::parse(t.Get("head", "/api/v1/webhooks?state=delivered").body);
  ASSERT_EQ(list["webhooks"].size(), 1u);
  ASSERT_EQ(list["deliveries"].size(), 1u);
  EXPECT_EQ(list["deliveries"][0]["event"], "webhook.test");
  EXPECT_EQ(list["deliveries"][0]["state"], "delivered");
  EXPECT_EQ(list["deliveries"][0]["last_status"], 200);
  EXPECT_EQ(list["deliveries"][0]["attempts"], 1);

  ASSERT_EQ(t.As("head", verb::post, "/api/v1/webhooks/" + id + "/delete", "{}").status,
            status::ok);
  EXPECT_TRUE(nlohmann::json::parse(t.Get("head", "/api/v1/webhooks").body)["webhooks"].empty());
}

TEST(WebhooksPageTest, OnlyTheHeadSeesOrChangesWebhooks) {
  TestApp t;
  for (const char* role :
       {"office", "teacher", "governor", "la", "parent", "attendance", "dsl", "senco"}) {
    EXPECT_EQ(t.Get(role, "/settings/webhooks").status, status::forbidden) << role;
    EXPECT_EQ(t.As(role, verb::post, "/settings/webhooks",
                   "url=https%3A%2F%2Fx.example%2F&kind_mark.amended=yes")
                  .status,
              status::forbidden)
        << role;
  }
  EXPECT_TRUE(t.store().ListWebhooks()->empty());
}

}  // namespace
}  // namespace rollcall::testing
