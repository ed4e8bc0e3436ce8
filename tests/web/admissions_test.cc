// The admission register over the API and the pages: a pupil admitted, taken
// off the roll and the LA's notice due; errors as JSON naming the problem;
// the forms and the entry on the pupil's page only for the office and the
// head.
#include <gtest/gtest.h>

#include <string>

#include "core/upn.h"
#include "test_app.h"

namespace rollcall::testing {
namespace {

using web::http::status;
using web::http::verb;

// A whole admission in the API's words, with a UPN whose check letter is right.
std::string AdmissionBody(const std::string& upn) {
  nlohmann::json body = {{"upn", upn},
                         {"legal_given_name", "Maya"},
                         {"legal_family_name", "Patel"},
                         {"sex", "F"},
                         {"date_of_birth", "2019-03-14"},
                         {"year_group", 3},
                         {"start", "2026-11-25"},
                         {"previous_school", "Elm Primary"},
                         {"boarder", false},
                         {"contacts",
                          {{{"name", "Priya Patel"},
                            {"relationship", "Mother"},
                            {"phone", "07700 900111"},
                            {"address", "3 Mill Lane"},
                            {"postcode", "LE10 1AA"},
                            {"parental_responsibility", true},
                            {"lives_with", true},
                            {"emergency", true}}}}};
  return body.dump();
}

TEST(AdmissionsWebTest, ApiAdmitsAPupilAndTakesThemOffTheRollWithTheLaToldOfIt) {
  TestApp t;
  const std::string upn = core::UpnWithCheckLetter("909123426001");
  web::Response admitted = t.As("office", verb::post, "/api/v1/pupils", AdmissionBody(upn));
  ASSERT_EQ(admitted.status, status::created) << admitted.body;
  const int64_t id = nlohmann::json::parse(admitted.body)["id"];
  const std::string path = "/api/v1/pupils/" + std::to_string(id);
  const nlohmann::json pupil = nlohmann::json::parse(t.Get("office", path).body);
  EXPECT_EQ(pupil["upn"], upn) << pupil.dump();
  EXPECT_EQ(pupil["previous_school"], "Elm Primary");
  EXPECT_EQ(pupil["boarder"], false);
  EXPECT_EQ(pupil["admissions"][0]["start"], "2026-11-25");

  // The same UPN again is a conflict.
  web::Response again = t.As("head", verb::post, "/api/v1/pupils", AdmissionBody(upn));
  EXPECT_EQ(again.status, status::conflict) << again.body;
  EXPECT_EQ(ErrorCode(again), "PUPIL_DUPLICATE");

  // A correction needs its reason.
  web::Response unexplained = t.As("office", verb::put, path,
                                   R"({"upn":")" + upn +
                                       R"(","legal_given_name":"Maya",)"
                                       R"("legal_family_name":"Patel-Shah","sex":"F",)"
                                       R"("date_of_birth":"2019-03-14","year_group":3})");
  EXPECT_EQ(unexplained.status, status::bad_request) << unexplained.body;
  EXPECT_EQ(ErrorCode(unexplained), "REASON_REQUIRED");

  // Ground (a) without the new school is refused, saying so.
  web::Response unnamed =
      t.As("office", verb::post, path + "/leave", R"({"ground":"a","last_day":"2026-11-25"})");
  EXPECT_EQ(unnamed.status, status::bad_request) << unnamed.body;
  EXPECT_EQ(ErrorCode(unnamed), "DELETION_REFUSED");
  EXPECT_NE(unnamed.body.find("new school named"), std::string::npos) << unnamed.body;
  web::Response left =
      t.As("office", verb::post, path + "/leave",
           R"({"ground":"a","last_day":"2026-11-25","destination":"Oak Academy"})");
  ASSERT_EQ(left.status, status::ok) << left.body;
  web::Response twice =
      t.As("office", verb::post, path + "/leave",
           R"({"ground":"a","last_day":"2026-11-25","destination":"Oak Academy"})");
  EXPECT_EQ(twice.status, status::conflict) << twice.body;

  const nlohmann::json queue =
      nlohmann::json::parse(t.Get("office", "/api/v1/la-notifications").body);
  bool deletion = false;
  for (const auto& n : queue["notifications"]) {
    if (n["kind"] == "deletion" && n["pupil"]["id"] == id) deletion = true;
  }
  EXPECT_TRUE(deletion) << queue.dump();
}

TEST(AdmissionsWebTest, ApiRefusesBadBodiesAsJsonErrors) {
  TestApp t;
  const std::string good = AdmissionBody(core::UpnWithCheckLetter("909123426001"));
  struct Case {
    std::string body;
    const char* code;
  };
  const Case cases[] = {
      {"[]", "JSON_WRONG_TYPE"},
      {R"({"surname":"x"})", "UNKNOWN_KEY"},
      {R"({"upn":1})", "JSON_WRONG_TYPE"},
      {R"({"boarder":"yes"})", "JSON_WRONG_TYPE"},
      {R"({"contacts":"Mum"})", "JSON_WRONG_TYPE"},
      {R"({"contacts":[1]})", "JSON_WRONG_TYPE"},
      {R"({"start":"2026-11-25","upn":"A123"})", "UPN_INVALID"},
  };
  for (const Case& c : cases) {
    web::Response res = t.As("office", verb::post, "/api/v1/pupils", c.body);
    EXPECT_EQ(res.status, status::bad_request) << c.body << ": " << res.body;
    EXPECT_EQ(ErrorCode(res), c.code) << c.body << ": " << res.body;
  }
  EXPECT_EQ(nlohmann::json::parse(t.Get("office", "/api/v1/pupils").body)["pupils"].size(), 3u);
}

TEST(AdmissionsWebTest, TheFormsAndTheEntryAreTheOfficesAndTheHeads) {
  TestApp t;
  const std::string p1 = std::to_string(t.pupil("P1"));
  for (const char* user : {"office", "head"}) {
    EXPECT_NE(t.Get(user, "/pupils").body.find(R"(href="/pupils/new")"), std::string::npos) << user;
    web::Response form = t.Get(user, "/pupils/new");
    EXPECT_EQ(form.status, status::ok) << user;
    EXPECT_NE(form.body.find("Admit the pupil"), std::string::npos);
    EXPECT_NE(form.body.find(R"(id="date_of_birth-day")"), std::string::npos);
    const std::string page = t.Get(user, "/pupils/" + p1).body;
    EXPECT_NE(page.find(R"(id="admission")"), std::string::npos) << user;
    EXPECT_NE(page.find("/pupils/" + p1 + "/leave"), std::string::npos) << user;
    EXPECT_EQ(t.Get(user, "/pupils/" + p1 + "/edit").status, status::ok) << user;
    web::Response leave = t.Get(user, "/pupils/" + p1 + "/leave");
    EXPECT_EQ(leave.status, status::ok) << user;
    EXPECT_NE(leave.body.find(R"(id="ground-o")"), std::string::npos) << user;
  }
  for (const char* user : {"teacher", "parent"}) {
    EXPECT_EQ(t.Get(user, "/pupils/new").status, status::forbidden) << user;
    EXPECT_EQ(t.Get(user, "/pupils/" + p1 + "/edit").status, status::forbidden) << user;
    EXPECT_EQ(t.Get(user, "/pupils/" + p1 + "/leave").status, status::forbidden) << user;
    EXPECT_EQ(t.Get(user, "/pupils/" + p1).body.find(R"(id="admission")"), std::string::npos)
        << user;
  }
  EXPECT_EQ(t.Get("teacher", "/pupils").body.find(R"(href="/pupils/new")"), std::string::npos);
}

TEST(AdmissionsWebTest, TheAdmissionFormShowsTheProblemAndKeepsWhatWasTyped) {
  TestApp t;
  const std::string csrf = nlohmann::json::parse(t.Get("office", "/api/v1/me").body)["csrf_token"];
  web::Response res = t.As("office", verb::post, "/pupils/new",
                           "_csrf=" + csrf +
                               "&upn=A123&legal_given_name=Maya&legal_family_name=Patel&sex=F"
                               "&start-day=25&start-month=11&start-year=2026",
                           false);
  EXPECT_EQ(res.status, status::bad_request) << res.body;
  EXPECT_NE(res.body.find("There is a problem"), std::string::npos);
  EXPECT_NE(res.body.find(R"(value="Patel")"), std::string::npos);
}

TEST(AdmissionsWebTest, TodayListsANewPupilNotArrivedSinceTheirStartingDay) {
  TestApp t;  // P3 started on Monday 23 November and has no mark yet
  const std::string today = t.Get("office", "/today").body;
  const size_t list = today.find("Not arrived on their first day");
  ASSERT_NE(list, std::string::npos) << today;
  EXPECT_NE(today.find("/pupils/" + std::to_string(t.pupil("P3")), list), std::string::npos);
  ASSERT_EQ(t.As("office", verb::put,
                 "/api/v1/registers/2026-11-25/AM/marks/" + std::to_string(t.pupil("P3")),
                 R"({"code":"/"})")
                .status,
            status::ok);
  EXPECT_EQ(t.Get("office", "/today").body.find("Not arrived on their first day"),
            std::string::npos);
}

}  // namespace
}  // namespace rollcall::testing
