// The contact log over the API and the pages: calls logged from Today, the
// pupil page's log and form, messages that parents read, and bad input.
#include <gtest/gtest.h>

#include <string>

#include "test_app.h"

namespace rollcall::testing {
namespace {

using web::http::status;
using web::http::verb;

std::string Form(const std::string& csrf, const std::string& fields) {
  return "_csrf=" + csrf + "&" + fields;
}

std::string CsrfOf(TestApp& t, const std::string& user) {
  return nlohmann::json::parse(t.Get(user, "/api/v1/me").body)["csrf_token"];
}

TEST(ContactsTest, ApiRecordsAndListsNewestFirstWithWhoAndWhen) {
  TestApp t;
  const std::string p1 = std::to_string(t.pupil("P1"));
  web::Response first = t.As("office", verb::post, "/api/v1/pupils/" + p1 + "/contact-log",
                             R"({"method":"call","outcome":"no_answer","contact":"Parent P1"})");
  ASSERT_EQ(first.status, status::created) << first.body;
  t.clock().AdvanceSeconds(300);
  web::Response second =
      t.As("la", verb::post, "/api/v1/pupils/" + p1 + "/contact-log",
           R"({"method":"home_visit","outcome":"seen","note":"Child seen at home, well"})");
  ASSERT_EQ(second.status, status::created) << second.body;
  const nlohmann::json log =
      nlohmann::json::parse(t.Get("teacher", "/api/v1/pupils/" + p1 + "/contact-log").body);
  ASSERT_EQ(log["entries"].size(), 2u);
  EXPECT_EQ(log["entries"][0]["method"], "home_visit");
  EXPECT_EQ(log["entries"][0]["by"]["role"], "la");
  EXPECT_EQ(log["entries"][0]["note"], "Child seen at home, well");
  EXPECT_EQ(log["entries"][1]["outcome"], "no_answer");
  EXPECT_EQ(log["entries"][1]["contact"], "Parent P1");
  EXPECT_EQ(log["entries"][1]["by"]["name"], "User office");
  EXPECT_EQ(log["entries"][1]["at"], "2026-11-25T10:00:00Z");
}

TEST(ContactsTest, BadInputIsRefusedAndNothingIsWritten) {
  TestApp t;
  const std::string path = "/api/v1/pupils/" + std::to_string(t.pupil("P1")) + "/contact-log";
  struct Case {
    const char* body;
    const char* code;
    const char* message;
  };
  const Case cases[] = {
      {R"({"method":"fax"})", "VALUE_INVALID",
       "method 'fax' is not one of call, text, email, letter, home_visit, meeting, message"},
      {R"({"method":"call"})", "CONTACT_OUTCOME_INVALID",
       "give the outcome of the call: spoke, no_answer, left_message"},
      {R"({"method":"letter","outcome":"spoke"})", "CONTACT_OUTCOME_INVALID",
       "a letter cannot have the outcome 'spoke': use sent"},
      {R"({"method":"message"})", "VALUE_INVALID", "a message to parents needs its text in 'note'"},
      {R"({"outcome":"spoke"})", "REQUIRED_KEY_MISSING", nullptr},
      {R"({"method":"call","outcome":"spoke","when":"now"})", "UNKNOWN_KEY", nullptr},
      {R"({"method":"call","outcome":"spoke","note":7})", "JSON_WRONG_TYPE", nullptr},
      {"{not json", "JSON_MALFORMED", nullptr},
  };
  for (const Case& c : cases) {
    web::Response res = t.As("office", verb::post, path, c.body);
    EXPECT_EQ(res.status, status::bad_request) << c.body << ": " << res.body;
    const nlohmann::json error = nlohmann::json::parse(res.body)["error"];
    EXPECT_EQ(error["code"], c.code) << c.body;
    if (c.message) {
      EXPECT_EQ(error["message"], c.message) << c.body;
    }
  }
  const std::string long_note(2001, 'x');
  EXPECT_EQ(
      t.As("office", verb::post, path,
           nlohmann::json{{"method", "call"}, {"outcome", "spoke"}, {"note", long_note}}.dump())
          .status,
      status::bad_request);
  EXPECT_EQ(t.As("office", verb::post, "/api/v1/pupils/999/contact-log",
                 R"({"method":"call","outcome":"spoke"})")
                .status,
            status::not_found);
  EXPECT_EQ(nlohmann::json::parse(t.Get("office", path).body)["entries"].size(), 0u);
  // A message has only one outcome, so it may be left out.
  EXPECT_EQ(t.As("office", verb::post, path, R"({"method":"letter"})").status, status::created);
}

TEST(ContactsTest, TodayLogsACallOnTheAbsentPupilsRow) {
  TestApp t;
  const std::string p1 = std::to_string(t.pupil("P1"));
  ASSERT_EQ(
      t.As("office", verb::put, "/api/v1/registers/2026-11-25/AM/marks/" + p1, R"({"code":"N"})")
          .status,
      status::ok);
  web::Response today = t.Get("office", "/today");
  EXPECT_NE(today.body.find("action=\"/today/call\""), std::string::npos);
  EXPECT_NE(today.body.find("tel:07700 900001"), std::string::npos);
  const std::string csrf = CsrfOf(t, "office");
  web::Response posted =
      t.As("office", verb::post, "/today/call",
           Form(csrf, "pupil=" + p1 +
                          "&contact=Parent+P1+(Mother)&outcome=no_answer&note=voicemail+full"),
           false);
  ASSERT_EQ(posted.status, status::see_other) << posted.body;
  today = t.Get("office", "/today");
  EXPECT_NE(today.body.find("10:00 Phone call with Parent P1 (Mother): no answer. voicemail full. "
                            "(User office)"),
            std::string::npos)
      << today.body;
  // A teacher cannot log calls; the form's CSRF token is checked.
  EXPECT_EQ(t.As("teacher", verb::post, "/today/call",
                 Form(CsrfOf(t, "teacher"), "pupil=" + p1 + "&outcome=spoke"), false)
                .status,
            status::forbidden);
  EXPECT_EQ(
      t.As("office", verb::post, "/today/call", "pupil=" + p1 + "&outcome=spoke", false).status,
      status::forbidden);
  web::Response bad =
      t.As("office", verb::post, "/today/call", Form(csrf, "pupil=" + p1 + "&outcome=sent"), false);
  EXPECT_EQ(bad.status, status::bad_request);
  EXPECT_NE(bad.body.find("a call cannot have the outcome"), std::string::npos);
}

TEST(ContactsTest, AReasonGivenOnThePhoneBecomesAReportToConfirm) {
  TestApp t;
  const std::string p1 = std::to_string(t.pupil("P1"));
  ASSERT_EQ(
      t.As("office", verb::put, "/api/v1/registers/2026-11-25/AM/marks/" + p1, R"({"code":"N"})")
          .status,
      status::ok);
  const std::string csrf = CsrfOf(t, "office");
  // A reason needs the parent on the line.
  web::Response refused =
      t.As("office", verb::post, "/today/call",
           Form(csrf, "pupil=" + p1 + "&outcome=no_answer&reason=Chickenpox"), false);
  EXPECT_EQ(refused.status, status::bad_request);
  EXPECT_NE(refused.body.find("comes from speaking to the family"), std::string::npos);
  EXPECT_EQ(
      t.As("office", verb::post, "/today/call",
           Form(csrf, "pupil=" + p1 + "&outcome=spoke&reason=Chickenpox&until=2026-11-20"), false)
          .status,
      status::bad_request);  // off until a day before today
  nlohmann::json reports =
      nlohmann::json::parse(t.Get("office", "/api/v1/absence-reports?open=1").body);
  EXPECT_TRUE(reports["absence_reports"].empty()) << reports.dump();
  web::Response posted = t.As(
      "office", verb::post, "/today/call",
      Form(
          csrf,
          "pupil=" + p1 +
              "&contact=Parent+P1+(Mother)&outcome=spoke&reason=Chickenpox+fever&until=2026-11-26"),
      false);
  ASSERT_EQ(posted.status, status::see_other) << posted.body;
  reports = nlohmann::json::parse(t.Get("office", "/api/v1/absence-reports?open=1").body);
  ASSERT_EQ(reports["absence_reports"].size(), 1u) << reports.dump();
  EXPECT_EQ(reports["absence_reports"][0]["reason"], "Chickenpox fever");
  EXPECT_EQ(reports["absence_reports"][0]["to"], "2026-11-26");
  // Today offers it with the code the reason suggests; the call is logged.
  web::Response today = t.Get("office", "/today");
  EXPECT_NE(today.body.find("Chickenpox fever"), std::string::npos);
  EXPECT_NE(today.body.find("Suggested: I (illness)"), std::string::npos) << today.body;
  const nlohmann::json log =
      nlohmann::json::parse(t.Get("office", "/api/v1/pupils/" + p1 + "/contact-log").body);
  EXPECT_EQ(log["entries"][0]["outcome"], "spoke");
  EXPECT_EQ(log["entries"][0]["note"], "Reason given: Chickenpox fever");
}

TEST(ContactsTest, PupilPageShowsTheLogAndParentsReadTheSchoolsMessages) {
  TestApp t;
  const std::string p1 = std::to_string(t.pupil("P1"));
  const std::string csrf = CsrfOf(t, "office");
  ASSERT_EQ(t.As("office", verb::post, "/pupils/" + p1 + "/contact",
                 Form(csrf, "method=message&contact=&note=%3Cb%3EPlease%3C%2Fb%3E+call+the+office"),
                 false)
                .status,
            status::see_other);
  ASSERT_EQ(t.As("parent", verb::post, "/api/v1/pupils/" + p1 + "/absence-reports",
                 R"({"from":"2026-11-26","reason":"Dentist"})")
                .status,
            status::created);
  web::Response page = t.Get("office", "/pupils/" + p1);
  EXPECT_NE(page.body.find("Message to parents"), std::string::npos);
  EXPECT_NE(page.body.find("&lt;b&gt;Please&lt;/b&gt; call the office"), std::string::npos);
  EXPECT_NE(page.body.find("action=\"/pupils/" + p1 + "/contact\""), std::string::npos);
  // The teacher sees the log but has no form; the parent sees neither.
  web::Response teacher = t.Get("teacher", "/pupils/" + p1);
  EXPECT_NE(teacher.body.find("Contact log"), std::string::npos);
  EXPECT_EQ(teacher.body.find("Record a contact"), std::string::npos);
  EXPECT_EQ(t.Get("parent", "/pupils/" + p1).body.find("Contact log"), std::string::npos);
  // Parents read the school's messages and their own reports, newest first.
  web::Response parent = t.Get("parent", "/parent");
  EXPECT_NE(parent.body.find("&lt;b&gt;Please&lt;/b&gt; call the office"), std::string::npos);
  EXPECT_NE(parent.body.find("Absence 26 November 2026: Dentist"), std::string::npos);
  const nlohmann::json messages =
      nlohmann::json::parse(t.Get("parent", "/api/v1/pupils/" + p1 + "/messages").body);
  ASSERT_EQ(messages["messages"].size(), 2u);
  EXPECT_EQ(messages["messages"][0]["from"], "school");
  EXPECT_EQ(messages["messages"][1]["from"], "family");
  // Calls stay in the contact log: parents do not see them.
  ASSERT_EQ(t.As("office", verb::post, "/api/v1/pupils/" + p1 + "/contact-log",
                 R"({"method":"call","outcome":"spoke","note":"internal note"})")
                .status,
            status::created);
  EXPECT_EQ(t.Get("parent", "/parent").body.find("internal note"), std::string::npos);
}

// The new fields of a contact over the API; removing, confirming and
// cohort flags; each refusal says why.
TEST(ContactsTest, ApiKeepsEmergencyContactsConfirmationsAndFlags) {
  TestApp t;
  const std::string p1 = "/api/v1/pupils/" + std::to_string(t.pupil("P1"));
  web::Response put =
      t.As("office", verb::put, p1 + "/contacts/1",
           R"({"name":"Parent P1","relationship":"Mother","parental_responsibility":true,)"
           R"("phone":"+44 7700 900001","other_phone":"0113 496 0000","lives_with":true,)"
           R"("emergency":true,"confirmed":true,"reason":"Checked at parents' evening"})");
  ASSERT_EQ(put.status, status::ok) << put.body;
  nlohmann::json contact = nlohmann::json::parse(put.body)["contact"];
  EXPECT_EQ(contact["phone"], "07700 900001");
  EXPECT_EQ(contact["other_phone"], "0113 496 0000");
  EXPECT_EQ(contact["lives_with"], true);
  EXPECT_EQ(contact["emergency"], true);
  EXPECT_EQ(contact["confirmed_on"], "2026-11-25");
  EXPECT_EQ(nlohmann::json::parse(t.Get("head", p1).body)["contacts"][0]["emergency"], true);

  web::Response bad = t.As("office", verb::post, p1 + "/contacts",
                           R"({"name":"Gran","relationship":"Grandparent",)"
                           R"("parental_responsibility":false,"phone":"0800 123 456"})");
  EXPECT_EQ(bad.status, status::bad_request);
  EXPECT_EQ(ErrorCode(bad), "VALUE_INVALID");
  EXPECT_NE(bad.body.find("'phone': '0800 123 456' is not a UK phone number"), std::string::npos)
      << bad.body;
  EXPECT_EQ(ErrorCode(t.As("office", verb::post, p1 + "/contacts",
                           R"({"name":"Gran","relationship":"Grandparent",)"
                           R"("parental_responsibility":false,"emergency":"yes"})")),
            "JSON_WRONG_TYPE");

  web::Response confirmed = t.As("head", verb::post, p1 + "/contacts/confirm", "{}");
  ASSERT_EQ(confirmed.status, status::ok) << confirmed.body;
  EXPECT_EQ(nlohmann::json::parse(confirmed.body)["contacts"][1]["confirmed_on"], "2026-11-25");
  // Only POST reaches .../contacts/confirm: it is not a contact number.
  EXPECT_EQ(t.As("head", verb::put, p1 + "/contacts/confirm", "{}").status,
            status::method_not_allowed);
  EXPECT_EQ(t.As("head", verb::delete_, p1 + "/contacts/confirm").status,
            status::method_not_allowed);

  web::Response removed = t.As("office", verb::delete_, p1 + "/contacts/2?reason=Moved+away");
  ASSERT_EQ(removed.status, status::ok) << removed.body;
  EXPECT_EQ(nlohmann::json::parse(removed.body)["contacts"].size(), 1u);
  EXPECT_EQ(t.As("office", verb::delete_, p1 + "/contacts/2").status, status::bad_request);

  web::Response flag =
      t.As("office", verb::post, p1 + "/flags", R"({"flag":"FSM","to":"2026-11-20"})");
  ASSERT_EQ(flag.status, status::ok) << flag.body;
  EXPECT_EQ(nlohmann::json::parse(flag.body)["flags"][0]["to"], "2026-11-20");
  flag = t.As("office", verb::post, p1 + "/flags", R"({"flag":"SEN_K","from":"2026-11-02"})");
  ASSERT_EQ(flag.status, status::ok) << flag.body;
  EXPECT_EQ(nlohmann::json::parse(flag.body)["flags"].size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(t.Get("office", p1).body)["cohort_flags"][1]["flag"], "SEN_K");
  EXPECT_EQ(t.As("office", verb::post, p1 + "/flags", R"({"flag":"EAL"})").status,
            status::bad_request);  // neither from nor to
  EXPECT_EQ(t.As("office", verb::post, p1 + "/flags",
                 R"({"flag":"EAL","from":"2026-11-02","to":"2026-11-03"})")
                .status,
            status::bad_request);  // both
  EXPECT_EQ(
      t.As("teacher", verb::post, p1 + "/flags", R"({"flag":"EAL","from":"2026-11-02"})").status,
      status::forbidden);
}

// The pupil page warns the office of too few emergency contacts and
// unconfirmed ones, with a button to confirm; the list of pupils to check;
// siblings linked both ways.
TEST(ContactsTest, PagesWarnListAndLinkSiblings) {
  TestApp t;
  const std::string p1 = std::to_string(t.pupil("P1"));
  const std::string p2 = std::to_string(t.pupil("P2"));
  web::Response page = t.Get("office", "/pupils/" + p1);
  EXPECT_NE(page.body.find("No emergency contact: the school&#39;s policy asks for two"),
            std::string::npos)
      << page.body;
  EXPECT_NE(page.body.find("Contacts not yet checked with the family"), std::string::npos);
  EXPECT_NE(page.body.find("action=\"/pupils/" + p1 + "/contacts/confirm\""), std::string::npos);
  EXPECT_NE(page.body.find("Add a cohort flag"), std::string::npos);
  EXPECT_NE(page.body.find("Free school meals"), std::string::npos);
  // The teacher sees the contacts but neither the warnings nor the forms.
  web::Response teacher = t.Get("teacher", "/pupils/" + p1);
  EXPECT_EQ(teacher.body.find("emergency-warning"), std::string::npos);
  EXPECT_EQ(teacher.body.find("Add a cohort flag"), std::string::npos);

  web::Response list = t.Get("head", "/pupils/contacts-to-check");
  ASSERT_EQ(list.status, status::ok) << list.body;
  EXPECT_NE(list.body.find("id=\"check-" + p1 + "\""), std::string::npos);
  EXPECT_NE(list.body.find("id=\"check-" + p2 + "\""), std::string::npos);
  EXPECT_EQ(t.Get("teacher", "/pupils/contacts-to-check").status, status::forbidden);
  EXPECT_NE(t.Get("office", "/today").body.find("/pupils/contacts-to-check"), std::string::npos);

  // Two emergency contacts, confirmed: no warning, off the list.
  const std::string csrf = CsrfOf(t, "office");
  for (const char* n : {"1", "2"}) {
    web::Response saved =
        t.As("office", verb::post, "/pupils/" + p1 + "/contacts",
             Form(csrf, std::string("position=") + n + "&name=Parent+" + n +
                            "&relationship=Mother&phone=07700900001&parental_responsibility=yes"
                            "&emergency=yes&confirmed=yes"),
             false);
    ASSERT_EQ(saved.status, status::see_other) << saved.body;
  }
  page = t.Get("office", "/pupils/" + p1);
  EXPECT_EQ(page.body.find("emergency-warning"), std::string::npos);
  EXPECT_EQ(page.body.find("check-warning"), std::string::npos);
  EXPECT_EQ(t.Get("head", "/pupils/contacts-to-check").body.find("id=\"check-" + p1 + "\""),
            std::string::npos);

  // A bad phone number is refused and the form shown again as typed.
  web::Response bad = t.As("office", verb::post, "/pupils/" + p1 + "/contacts",
                           Form(csrf, "name=Gran&relationship=Grandparent&phone=12345"), false);
  EXPECT_EQ(bad.status, status::bad_request);
  EXPECT_NE(bad.body.find("&#39;phone&#39;: &#39;12345&#39; is not a UK phone number"),
            std::string::npos)
      << bad.body;
  EXPECT_NE(bad.body.find("value=\"Gran\""), std::string::npos);

  // P2's first contact is P1's "Parent 1", with the same number spaced otherwise.
  ASSERT_EQ(t.As("office", verb::put, "/api/v1/pupils/" + p2 + "/contacts/1",
                 R"({"name":"parent 1","relationship":"Mother","parental_responsibility":true,)"
                 R"("phone":"07700 900 001"})")
                .status,
            status::ok);
  EXPECT_NE(t.Get("office", "/pupils/" + p1).body.find("href=\"/pupils/" + p2 + "\">Pupil P2</a>"),
            std::string::npos);
  EXPECT_NE(t.Get("head", "/pupils/" + p2).body.find("id=\"siblings\""), std::string::npos);

  // Moving, removing and flags from the page.
  ASSERT_EQ(t.As("office", verb::post, "/pupils/" + p1 + "/contacts/move",
                 Form(csrf, "position=2&to=1"), false)
                .status,
            status::see_other);
  EXPECT_EQ(
      nlohmann::json::parse(t.Get("office", "/api/v1/pupils/" + p1).body)["contacts"][0]["name"],
      "Parent 2");
  ASSERT_EQ(t.As("office", verb::post, "/pupils/" + p1 + "/contacts/remove",
                 Form(csrf, "position=2&reason=Duplicate"), false)
                .status,
            status::see_other);
  ASSERT_EQ(t.As("office", verb::post, "/pupils/" + p1 + "/flags",
                 Form(csrf, "action=add&flag=EAL&date-day=2&date-month=11&date-year=2026"), false)
                .status,
            status::see_other);
  EXPECT_NE(t.Get("office", "/pupils/" + p1).body.find("English as an additional language"),
            std::string::npos);
  web::Response overlap =
      t.As("office", verb::post, "/pupils/" + p1 + "/flags",
           Form(csrf, "action=add&flag=EAL&date-day=3&date-month=11&date-year=2026"), false);
  EXPECT_EQ(overlap.status, status::bad_request);
  EXPECT_NE(overlap.body.find("is already recorded from 2 November 2026"), std::string::npos);
}

}  // namespace
}  // namespace rollcall::testing
