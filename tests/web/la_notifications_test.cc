// Notifications owed to the LA: derived from the registers, sent by the
// school, acknowledged by the LA, exported as CSV.
#include <gtest/gtest.h>

#include <string>

#include "core/upn.h"
#include "test_app.h"

namespace rollcall::testing {
namespace {

using web::http::status;
using web::http::verb;

nlohmann::json Find(const nlohmann::json& list, const std::string& kind, int64_t pupil) {
  for (const auto& n : list["notifications"]) {
    if (n["kind"] == kind && n["pupil"]["id"] == pupil) return n;
  }
  return nullptr;
}

TEST(LaNotificationsTest, NewPupilsAreDueWithinFiveDaysAndTheLaAcknowledges) {
  TestApp t;
  nlohmann::json list = nlohmann::json::parse(t.Get("office", "/api/v1/la-notifications").body);
  // P3 joined on Monday 23 November: due by the 28th.
  const nlohmann::json p3 = Find(list, "new_admission", t.pupil("P3"));
  ASSERT_FALSE(p3.is_null()) << list.dump();
  EXPECT_EQ(p3["trigger"], "2026-11-23");
  EXPECT_EQ(p3["due"], "2026-11-28");
  EXPECT_EQ(p3["status"], "due");
  // P2 joined Year 4 at the start of the year: a new pupil, long overdue.
  // P1 joined the youngest class on the first day: exempt.
  EXPECT_EQ(Find(list, "new_admission", t.pupil("P2"))["status"], "overdue");
  EXPECT_TRUE(Find(list, "new_admission", t.pupil("P1")).is_null());

  const std::string key = p3["key"];
  const std::string base = "/api/v1/la-notifications/" + key;
  EXPECT_EQ(t.As("la", verb::post, base + "/acknowledged", "{}").status, status::conflict);
  EXPECT_EQ(t.As("la", verb::post, base + "/sent", "{}").status, status::forbidden);
  ASSERT_EQ(
      t.As("office", verb::post, base + "/sent", R"({"note":"Emailed to admissions"})").status,
      status::ok);
  EXPECT_EQ(t.As("office", verb::post, base + "/sent", "{}").status, status::conflict);
  EXPECT_EQ(t.As("office", verb::post, base + "/acknowledged", "{}").status, status::forbidden);
  ASSERT_EQ(t.As("la", verb::post, base + "/acknowledged", "{}").status, status::ok);
  list = nlohmann::json::parse(t.Get("la", "/api/v1/la-notifications").body);
  EXPECT_EQ(Find(list, "new_admission", t.pupil("P3"))["status"], "acknowledged");
  EXPECT_EQ(Find(list, "new_admission", t.pupil("P3"))["updated"]["by"]["role"], "la");
  EXPECT_EQ(
      t.As("office", verb::post, "/api/v1/la-notifications/nothing.1.2026-01-01/sent", "{}").status,
      status::not_found);
  EXPECT_EQ(t.As("office", verb::post, base + "/lost", "{}").status, status::not_found);
  EXPECT_EQ(t.Get("la_other", "/api/v1/la-notifications").status, status::forbidden);
  EXPECT_EQ(t.Get("teacher", "/la-notifications").status, status::forbidden);
}

TEST(LaNotificationsTest, ThePageFiltersAndTheCsvExports) {
  TestApp t;
  web::Response page = t.Get("office", "/la-notifications?status=overdue");
  ASSERT_EQ(page.status, status::ok);
  EXPECT_NE(page.body.find("Mark as sent"), std::string::npos);
  EXPECT_EQ(page.body.find("28 November 2026"), std::string::npos);  // P3's is due, not overdue
  // Unfiltered, P3's due date is there, in UK form.
  EXPECT_NE(t.Get("office", "/la-notifications").body.find(">28 November 2026</td>"),
            std::string::npos);
  web::Response csv = t.Get("office", "/la-notifications.csv");
  ASSERT_EQ(csv.status, status::ok);
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(csv.body.rfind("key,kind,pupil,upn,trigger,due,status,content", 0), 0u);
  EXPECT_NE(csv.body.find("\"new_admission\""), std::string::npos);
  EXPECT_NE(csv.body.find("C909123400003"), std::string::npos);  // P3's UPN
  EXPECT_NE(t.Get("office", "/today").body.find("Notifications to the local authority"),
            std::string::npos);
}

// A pupil admitted and taken off the roll: the notice on the page and in the
// JSON gives the LA the pupil's name and home, the parents (the one the pupil
// lives with first), an emergency phone, the destination, the ground in
// words and the last day.
TEST(LaNotificationsTest, ADeletionNoticeGivesWhatTheLaNeeds) {
  TestApp t;
  const nlohmann::json admission = {{"upn", core::UpnWithCheckLetter("909123426002")},
                                    {"legal_given_name", "Maya"},
                                    {"legal_family_name", "Patel"},
                                    {"sex", "F"},
                                    {"date_of_birth", "2019-03-14"},
                                    {"year_group", 3},
                                    {"start", "2026-11-25"},
                                    {"previous_school", "Elm Primary"},
                                    {"boarder", false},
                                    {"contacts",
                                     {{{"name", "Raj Patel"},
                                       {"relationship", "Father"},
                                       {"phone", "07700 900112"},
                                       {"address", "9 Oak Road\nHinckley"},
                                       {"postcode", "LE10 2BB"},
                                       {"parental_responsibility", true}},
                                      {{"name", "Priya Patel"},
                                       {"relationship", "Mother"},
                                       {"phone", "07700 900111"},
                                       {"address", "3 Mill Lane\nHinckley"},
                                       {"postcode", "LE10 1AA"},
                                       {"parental_responsibility", true},
                                       {"lives_with", true},
                                       {"emergency", true}}}}};
  web::Response admitted = t.As("office", verb::post, "/api/v1/pupils", admission.dump());
  ASSERT_EQ(admitted.status, status::created) << admitted.body;
  const int64_t id = nlohmann::json::parse(admitted.body)["id"];
  ASSERT_EQ(t.As("office", verb::post, "/api/v1/pupils/" + std::to_string(id) + "/leave",
                 R"({"ground":"a","last_day":"2026-11-25","destination":"Oak Academy"})")
                .status,
            status::ok);

  const nlohmann::json n =
      Find(nlohmann::json::parse(t.Get("la", "/api/v1/la-notifications").body), "deletion", id);
  ASSERT_FALSE(n.is_null());
  EXPECT_EQ(n["deletion"],
            (nlohmann::json{{"name", "Maya Patel"},
                            {"last_day", "2026-11-25"},
                            {"ground", "a"},
                            {"ground_words", "Registered at another school"},
                            {"destination", "Oak Academy"},
                            {"address", "3 Mill Lane, Hinckley, LE10 1AA"},
                            {"parents", {"Priya Patel (Mother)", "Raj Patel (Father)"}},
                            {"emergency_phone", "07700 900111 (Priya Patel, Mother)"}}))
      << n.dump();

  const std::string page = t.Get("la", "/la-notifications").body;
  for (const char* line : {"<li>Maya Patel, last day on roll 25 November 2026</li>",
                           "<li>Left on ground (a): Registered at another school</li>",
                           "<li>Destination: Oak Academy</li>",
                           "<li>Home address: 3 Mill Lane, Hinckley, LE10 1AA</li>",
                           "<li>Parents: Priya Patel (Mother), Raj Patel (Father)</li>",
                           "<li>Emergency phone: 07700 900111 (Priya Patel, Mother)</li>"}) {
    EXPECT_NE(page.find(line), std::string::npos) << line;
  }
}

}  // namespace
}  // namespace rollcall::testing

namespace rollcall::testing {
namespace {

// A school just set up: no terms, no pupils. Every page still answers.
TEST(LaNotificationsTest, ANewSchoolWithNoCalendarHasEmptyPages) {
  std::unique_ptr<store::Store> store = store::NewMemoryStore();
  ASSERT_TRUE(store->SetSchool({"New School", "654321", "909", "primary"}).ok());
  store::User head;
  head.username = "head";
  head.display_name = "Ms Head";
  head.role = store::Role::kHead;
  head.password_hash = *service::HashPassword("correct-horse", service::HashCost::kTestOnly);
  ASSERT_TRUE(store->AddUser(head).ok());
  FakeClock clock(D("2026-11-25"), 10 * 60);
  web::App app(*store, clock);
  ASSERT_TRUE(app.Load().ok());
  web::Request login;
  login.method = verb::post;
  login.target = "/api/v1/login";
  login.body = R"({"username":"head","password":"correct-horse"})";
  login.host = "localhost";
  web::Response in = app.Handle(login);
  ASSERT_EQ(in.status, status::ok);
  std::string cookie;
  for (const auto& [name, value] : in.headers) {
    if (name == "Set-Cookie") cookie = value.substr(0, value.find(';'));
  }
  for (const char* path :
       {"/today", "/school", "/governors", "/la-notifications", "/api/v1/la-notifications",
        "/api/v1/school/dashboard", "/api/v1/cme-cases", "/amendments"}) {
    web::Request req;
    req.method = verb::get;
    req.target = path;
    req.cookie = cookie;
    req.host = "localhost";
    EXPECT_EQ(app.Handle(req).status, status::ok) << path;
  }
}

}  // namespace
}  // namespace rollcall::testing
