// The day-one messages and the message templates through the web: the
// head's templates page (fields, text length, a refusal with the words
// kept, saving and going back), the Today page's line and each absent
// pupil's messages, and the message fields of the contact form.
#include <gtest/gtest.h>

#include <string>

#include "test_app.h"

namespace rollcall::testing {
namespace day_one_web {

using web::http::status;
using web::http::verb;

bool Has(const web::Response& r, const std::string& text) {
  return r.body.find(text) != std::string::npos;
}

TEST(TemplatesPageTest, TheHeadEditsTheDayOneWordsAndIsToldWhatIsWrong) {
  TestApp t;
  web::Response page = t.Get("head", "/settings/templates");
  ASSERT_EQ(page.status, status::ok) << page.body;
  EXPECT_TRUE(Has(page, "Day-one absence"));
  EXPECT_TRUE(Has(page, "<code>{{report_link}}</code>"));
  EXPECT_TRUE(Has(page, "The default words."));
  EXPECT_TRUE(Has(page, "Back to the default words"));
  EXPECT_TRUE(Has(page, " characters, 1 part"));

  // A field the message does not have: refused, the head's words kept.
  web::Response refused =
      t.As("head", verb::post, "/settings/templates",
           "kind=day_one&action=save&subject=Absent&email_body=Dear+%7B%7Bparent_name%7D%7D"
           "&sms_body=Where+is+%7B%7Bpupil_first_name%7D%7D%3F");
  EXPECT_EQ(refused.status, status::unprocessable_entity);
  EXPECT_TRUE(Has(refused, "There is a problem"));
  EXPECT_TRUE(Has(refused, "{{parent_name}} is not a field of the Day-one absence message"))
      << refused.body;
  EXPECT_TRUE(Has(refused, ">Dear {{parent_name}}</textarea>"));
  EXPECT_TRUE(Has(refused, ">Where is {{pupil_first_name}}?</textarea>"));

  web::Response saved =
      t.As("head", verb::post, "/settings/templates",
           "kind=day_one&action=save&subject=Absent&email_body=Dear+%7B%7Bcontact_name%7D%7D"
           "&sms_body=Where+is+%7B%7Bpupil_first_name%7D%7D%3F");
  ASSERT_EQ(saved.status, status::ok) << saved.body;
  EXPECT_TRUE(Has(saved, "Day-one absence: the new words are saved."));
  EXPECT_TRUE(Has(saved, "The school&#39;s own words, saved") ||
              Has(saved, "The school's own words, saved"))
      << saved.body;
  EXPECT_TRUE(Has(saved, ">Where is {{pupil_first_name}}?</textarea>"));

  web::Response reset =
      t.As("head", verb::post, "/settings/templates", "kind=day_one&action=reset");
  ASSERT_EQ(reset.status, status::ok) << reset.body;
  EXPECT_TRUE(Has(reset, "Day-one absence: back to the default words."));
  EXPECT_FALSE(Has(reset, ">Where is {{pupil_first_name}}?</textarea>"));
}

TEST(DayOneTodayTest, TodaySaysWhenTheMessagesGoAndWhatEachFamilyWasSent) {
  TestApp t;
  web::Response marked = t.As(
      "office", verb::put, "/api/v1/registers/2026-11-25/AM/marks/" + std::to_string(t.pupil("P2")),
      R"({"code":"N"})");
  ASSERT_LT(static_cast<int>(marked.status), 300) << marked.body;
  t.clock().Set(D("2026-11-25"), 9 * 60 + 45);
  web::Response before = t.Get("office", "/today");
  ASSERT_EQ(before.status, status::ok) << before.body;
  EXPECT_TRUE(Has(before, "Day-one messages: will be sent at 10:00")) << before.body;

  t.clock().Set(D("2026-11-25"), 10 * 60);
  ASSERT_TRUE(t.app().RunScheduledJobs().ok());
  web::Response after = t.Get("office", "/today");
  EXPECT_TRUE(Has(after, "Day-one messages: sent at 10:00 to 1 family")) << after.body;
  EXPECT_TRUE(Has(after, "Texted 10:00 to Parent P2 (Mother): queued")) << after.body;
  EXPECT_TRUE(Has(after, "Texted 10:00 to Other P2 (Father): queued")) << after.body;
  // Run again: nothing more.
  ASSERT_TRUE(t.app().RunScheduledJobs().ok());
  EXPECT_EQ(t.store().OutboxForKindSince("day_one", 0)->size(), 2u);
}

TEST(DayOneTodayTest, TwoServersOnOneDatabaseRunTheDayOnceFromOne) {
  TestApp t;
  web::Response marked = t.As(
      "office", verb::put, "/api/v1/registers/2026-11-25/AM/marks/" + std::to_string(t.pupil("P2")),
      R"({"code":"N"})");
  ASSERT_LT(static_cast<int>(marked.status), 300) << marked.body;
  const int64_t now = t.clock().NowSeconds();
  {
    // A second server process on the same database runs its jobs first:
    // the once-a-day jobs are its until its leases run out or it stops.
    web::App other(t.store(), t.clock());
    ASSERT_TRUE(other.Load().ok());
    ASSERT_TRUE(other.RunScheduledJobs().ok());
    EXPECT_EQ(t.store().OutboxForKindSince("day_one", 0)->size(), 2u);
    for (const char* job : {"day-one", "daily-share", "staff-notifications", "backup"}) {
      EXPECT_FALSE(*t.store().TryTakeLease(job, "a third process", now, now + 60)) << job;
    }
    ASSERT_TRUE(t.app().RunScheduledJobs().ok());
    EXPECT_EQ(t.store().OutboxForKindSince("day_one", 0)->size(), 2u);
  }
  // Stopped, it gave its jobs up at once.
  EXPECT_TRUE(*t.store().TryTakeLease("day-one", "a third process", now, now + 60));
  t.clock().AdvanceSeconds(61);
  ASSERT_TRUE(t.app().RunScheduledJobs().ok());
  EXPECT_FALSE(*t.store().TryTakeLease("day-one", "a third process", now + 61, now + 120));
}

TEST(DayOneContactFormTest, TheContactFormAsksHowMessagesReachThem) {
  TestApp t;
  const std::string path = "/pupils/" + std::to_string(t.pupil("P2"));
  web::Response page = t.Get("office", path);
  ASSERT_EQ(page.status, status::ok) << page.body;
  EXPECT_TRUE(Has(page, "How messages reach them"));
  EXPECT_TRUE(Has(page, "No consent to messages recorded"));

  web::Response saved =
      t.As("office", verb::post, path + "/contacts",
           "position=1&name=Parent+P2&relationship=Mother&phone=07700+900001&email=a%40example.org"
           "&parental_responsibility=yes&preferred_channel=email&record_consent=yes"
           "&consent_note=on+the+admission+form");
  ASSERT_LT(static_cast<int>(saved.status), 400) << saved.body;
  page = t.Get("office", path);
  EXPECT_TRUE(Has(page, "Messages by email")) << page.body;
  EXPECT_TRUE(Has(page, "Consent to messages recorded 25 November 2026 by ")) << page.body;
  EXPECT_TRUE(Has(page, ": on the admission form")) << page.body;

  // A text preferred by a contact with no mobile is refused, naming the field.
  web::Response refused = t.As("office", verb::post, path + "/contacts",
                               "position=1&name=Parent+P2&relationship=Mother&phone=01632+960123"
                               "&parental_responsibility=yes&preferred_channel=sms");
  EXPECT_EQ(refused.status, status::bad_request) << refused.body;
  EXPECT_TRUE(Has(refused, "a text needs a UK mobile number")) << refused.body;

  // The API gives the new fields.
  web::Response api = t.Get("office", "/api/v1/pupils/" + std::to_string(t.pupil("P2")));
  ASSERT_EQ(api.status, status::ok) << api.body;
  EXPECT_TRUE(Has(api, R"("preferred_channel":"email")")) << api.body;
  EXPECT_TRUE(Has(api, R"("consent_note":"on the admission form")")) << api.body;
}

}  // namespace day_one_web
}  // namespace rollcall::testing
