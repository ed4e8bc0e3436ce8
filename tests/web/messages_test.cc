// The message pages: the head's settings form keeps secrets out of the page
// and names the field it refuses, the test form queues a message, and the
// log shows it with its state.
#include <gtest/gtest.h>

#include <string>

#include "test_app.h"

namespace rollcall::testing {
namespace {

using web::http::status;
using web::http::verb;

constexpr char kMessageSettingsForm[] =
    "email_transport=smtp%3A%2F%2Frelay.example.org%3A587&smtp_username=office"
    "&smtp_password=relay-password-42&from_address=office%40test.sch.uk"
    "&from_name=Test+Primary&reply_to=&sms_transport=&notify_base_url="
    "&notify_api_key=&notify_sms_template_id=&notify_receipt_token=&day_one_time=10%3A15"
    "&public_url=";

TEST(MessagePagesTest, TheSettingsPageShowsWhetherASecretIsSetNeverTheSecret) {
  TestApp t;
  web::Response before = t.Get("head", "/settings/messages");
  ASSERT_EQ(before.status, status::ok) << before.body;
  EXPECT_NE(before.body.find("Not set yet"), std::string::npos);
  web::Response saved = t.As("head", verb::post, "/settings/messages", kMessageSettingsForm);
  ASSERT_EQ(saved.status, status::see_other) << saved.body;
  web::Response page = t.Get("head", "/settings/messages?done=message-settings");
  ASSERT_EQ(page.status, status::ok);
  EXPECT_EQ(page.body.find("relay-password-42"), std::string::npos);
  EXPECT_NE(page.body.find("smtp://relay.example.org:587"), std::string::npos);
  EXPECT_NE(page.body.find("Message settings saved"), std::string::npos);
  EXPECT_NE(page.body.find("<strong>Set</strong>"), std::string::npos);
  core::StatusOr<store::MessageSettings> stored = t.store().GetMessageSettings();
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->smtp_password, "relay-password-42");
  EXPECT_EQ(stored->day_one_minute, 10 * 60 + 15);
  EXPECT_EQ(stored->set_by, "User head");
}

TEST(MessagePagesTest, ARefusedSettingIsNamedAndNothingIsSaved) {
  TestApp t;
  std::string form = kMessageSettingsForm;
  form.replace(form.find("office%40test.sch.uk"), 20, "not-an-address");
  web::Response refused = t.As("head", verb::post, "/settings/messages", form);
  EXPECT_EQ(refused.status, status::unprocessable_entity) << refused.body;
  EXPECT_NE(refused.body.find("from_address"), std::string::npos);
  EXPECT_NE(refused.body.find("not-an-address"), std::string::npos) << "what was typed is kept";
  EXPECT_EQ(refused.body.find("relay-password-42"), std::string::npos);
  core::StatusOr<store::MessageSettings> stored = t.store().GetMessageSettings();
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->version, 0);
}

TEST(MessagePagesTest, ATestMessageIsQueuedAndShownInTheLog) {
  TestApp t;
  web::Response queued =
      t.As("head", verb::post, "/settings/messages/test", "channel=sms&to=07700+900123");
  ASSERT_EQ(queued.status, status::see_other) << queued.body;
  EXPECT_EQ(Header(queued, "Location"), "/messages?done=message-test");
  web::Response log = t.Get("office", "/messages");
  ASSERT_EQ(log.status, status::ok);
  EXPECT_NE(log.body.find("Test message"), std::string::npos);
  EXPECT_NE(log.body.find("07700 900123"), std::string::npos);
  EXPECT_NE(log.body.find("Waiting"), std::string::npos);
  // No transport is set: RunDue leaves it queued.
  ASSERT_TRUE(t.app().RunScheduledJobs().ok());
  web::Response waiting = t.Get("office", "/messages?state=queued");
  EXPECT_NE(waiting.body.find("07700 900123"), std::string::npos);
  EXPECT_EQ(t.Get("office", "/messages?state=delivered").body.find("07700 900123"),
            std::string::npos);
  EXPECT_EQ(t.Get("office", "/messages?state=lost").status, status::bad_request);
  web::Response bad = t.As("head", verb::post, "/settings/messages/test", "channel=sms&to=0161");
  EXPECT_EQ(bad.status, status::bad_request) << bad.body;
  EXPECT_NE(bad.body.find("UK mobile"), std::string::npos);
}

}  // namespace
}  // namespace rollcall::testing
