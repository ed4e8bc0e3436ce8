// Children missing education, end to end through the API and the pages: a
// pupil absent with no contact from Thursday 29 April 2027 is walked through
// the protocol to the deletion review on day 20, over a weekend, the May Day
// bank holiday and the May half-term; a second pupil comes back on day 2 and
// their case closes by itself.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "service/password.h"
#include "store/store.h"
#include "support/fake_clock.h"
#include "web/app.h"

namespace rollcall::testing {
namespace {

using web::http::status;
using web::http::verb;

core::Date D(const char* text) { return *core::Date::Parse(text); }

class CmeSchool {
 public:
  CmeSchool() : store_(store::NewMemoryStore()), clock_(D("2027-04-28"), 9 * 60) {
    EXPECT_TRUE(store_->SetSchool({"Test Primary", "123456", "909", "primary"}).ok());
    store::Settings settings;
    settings.set_by = "test";
    EXPECT_TRUE(store_->SaveSettings(settings).ok());
    EXPECT_TRUE(store_->AddTerm({0, "Summer 1", D("2027-04-12"), D("2027-05-21")}).ok());
    EXPECT_TRUE(store_->AddTerm({0, "Summer 2", D("2027-06-01"), D("2027-07-21")}).ok());
    EXPECT_TRUE(
        store_->SetClosure({D("2027-05-03"), core::ClosureSessions::kBoth, "Bank holiday"}).ok());
    const int64_t cls = *store_->AddClass({0, "4B", 4, {}});
    for (const char* key : {"Ava", "Ben"}) {
      store::Pupil p;
      p.upn = std::string(key) == "Ava" ? "A909123400001" : "B909123400002";
      p.legal_given_name = key;
      p.legal_family_name = "Test";
      p.date_of_birth = D("2017-05-01");
      p.sex = "F";
      p.year_group = 4;
      p.class_id = cls;
      p.enrolments.push_back({D("2026-09-01"), std::nullopt, "", ""});
      p.contacts.push_back({1, "Mum " + std::string(key), "Mother", "07700 900001", "", {}});
      p.contacts.push_back({2, "Gran " + std::string(key), "Grandparent", "07700 900002", "", {}});
      pupils_[key] = std::to_string(*store_->AddPupil(p));
    }
    const std::string hash = *service::HashPassword("correct-horse", service::HashCost::kTestOnly);
    for (auto [name, role] :
         {std::pair{"office", store::Role::kOffice}, std::pair{"head", store::Role::kHead},
          std::pair{"teacher", store::Role::kTeacher}}) {
      store::User u;
      u.username = name;
      u.display_name = std::string("Ms ") + name;
      u.role = role;
      u.password_hash = hash;
      if (role == store::Role::kTeacher) u.class_ids = {cls};
      EXPECT_TRUE(store_->AddUser(u).ok());
    }
    app_ = std::make_unique<web::App>(*store_, clock_);
    EXPECT_TRUE(app_->Load().ok());
  }

  const std::string& pupil(const char* key) { return pupils_.at(key); }
  void At(const char* day, int hour) { clock_.Set(D(day), hour * 60); }

  web::Response As(const std::string& user, verb method, const std::string& target,
                   const std::string& body = "") {
    if (!sessions_.contains(user)) {
      web::Request login;
      login.method = verb::post;
      login.target = "/api/v1/login";
      login.body = nlohmann::json{{"username", user}, {"password", "correct-horse"}}.dump();
      login.host = "localhost";
      web::Response res = app_->Handle(login);
      EXPECT_EQ(res.status, status::ok) << res.body;
      std::string cookie;
      for (const auto& [name, value] : res.headers) {
        if (name == "Set-Cookie") cookie = value.substr(0, value.find(';'));
      }
      sessions_[user] = {cookie, nlohmann::json::parse(res.body)["csrf_token"]};
    }
    web::Request req;
    req.method = method;
    req.target = target;
    req.body = body;
    req.cookie = sessions_[user].first;
    req.csrf_token = sessions_[user].second;
    req.host = "localhost";
    web::Response res = app_->Handle(req);
    if (res.status == status::unauthorized) {  // a login lasts a day: log in again
      sessions_.erase(user);
      return As(user, method, target, body);
    }
    return res;
  }
  nlohmann::json Json(const std::string& user, const std::string& target) {
    web::Response res = As(user, verb::get, target);
    EXPECT_EQ(res.status, status::ok) << target << ": " << res.body;
    return nlohmann::json::parse(res.body);
  }
  // Both of the day's sessions as `code`, entered by the office that afternoon.
  void Day(const char* key, const char* day, const char* code) {
    At(day, 15);
    for (const char* session : {"AM", "PM"}) {
      web::Response res =
          As("office", verb::put,
             std::string("/api/v1/registers/") + day + "/" + session + "/marks/" + pupil(key),
             nlohmann::json{{"code", code}, {"reason", "follow-up"}}.dump());
      EXPECT_EQ(res.status, status::ok) << day << " " << session << ": " << res.body;
    }
  }
  nlohmann::json Case(const char* key) {
    const nlohmann::json cases = Json("office", "/api/v1/pupils/" + pupil(key) + "/cme");
    EXPECT_FALSE(cases["cme_cases"].empty());
    return cases["cme_cases"].empty() ? nlohmann::json() : cases["cme_cases"].back();
  }
  static nlohmann::json Step(const nlohmann::json& c, const std::string& key) {
    for (const auto& s : c["steps"]) {
      if (s["step"] == key) return s;
    }
    ADD_FAILURE() << "no step " << key;
    return {};
  }
  void Record(const nlohmann::json& c, const char* step, const char* note) {
    web::Response res = As("office", verb::post,
                           "/api/v1/cme-cases/" + std::to_string(c["id"].get<int64_t>()) + "/steps",
                           nlohmann::json{{"step", step}, {"note", note}}.dump());
    EXPECT_EQ(res.status, status::created) << step << ": " << res.body;
  }

 private:
  std::unique_ptr<store::Store> store_;
  FakeClock clock_;
  std::unique_ptr<web::App> app_;
  std::map<std::string, std::string> pupils_;
  std::map<std::string, std::pair<std::string, std::string>> sessions_;
};

TEST(CmeCaseTest, APupilMissingEducationIsFollowedToTheDeletionReview) {
  CmeSchool s;
  s.Day("Ava", "2027-04-28", "/");  // in school on Wednesday
  // Day 1: absent, no contact. Half a day opens nothing; the whole day does.
  s.At("2027-04-29", 10);
  ASSERT_EQ(s.As("office", verb::put, "/api/v1/registers/2027-04-29/AM/marks/" + s.pupil("Ava"),
                 R"({"code":"N"})")
                .status,
            status::ok);
  EXPECT_TRUE(s.Json("office", "/api/v1/pupils/" + s.pupil("Ava") + "/cme")["cme_cases"].empty());
  s.Day("Ava", "2027-04-29", "N");
  nlohmann::json c = s.Case("Ava");
  EXPECT_EQ(c["first_day"], "2027-04-29");
  EXPECT_EQ(c["school_day"], 1);
  EXPECT_TRUE(c["open"]);
  // Every due date in school days: over the weekend and the bank holiday to
  // day 3, to day 10 on 13 May, over half-term to day 20 on 4 June.
  EXPECT_EQ(CmeSchool::Step(c, "contact_family")["due"], "2027-04-30");
  EXPECT_EQ(CmeSchool::Step(c, "contact_family")["status"], "due");
  EXPECT_EQ(CmeSchool::Step(c, "notify_dsl")["due"], "2027-05-04");
  EXPECT_EQ(CmeSchool::Step(c, "notify_dsl")["status"], "later");
  EXPECT_EQ(CmeSchool::Step(c, "home_visit")["from"], "2027-05-04");
  EXPECT_EQ(CmeSchool::Step(c, "home_visit")["due"], "2027-05-13");
  EXPECT_EQ(CmeSchool::Step(c, "la_enquiry_form")["due"], "2027-05-13");
  EXPECT_EQ(CmeSchool::Step(c, "la_attendance_return")["due"], "2027-05-13");
  EXPECT_EQ(CmeSchool::Step(c, "deletion_review")["due"], "2027-06-04");
  const std::string id = std::to_string(c["id"].get<int64_t>());

  // Day 2: calls logged in the contact log, and the first two steps done.
  s.Day("Ava", "2027-04-30", "N");
  ASSERT_EQ(s.As("office", verb::post, "/api/v1/pupils/" + s.pupil("Ava") + "/contact-log",
                 R"j({"method":"call","outcome":"no_answer","contact":"Mum Ava (Mother)"})j")
                .status,
            status::created);
  s.Record(c, "contact_family", "Rang mum and gran twice each; emailed mum");
  s.Record(c, "sibling_check", "No siblings on roll here or in the family's other schools");
  // Day 3 passes with the DSL not told: on day 4 the step is overdue, and
  // Today says so.
  s.Day("Ava", "2027-05-04", "N");
  s.Day("Ava", "2027-05-05", "N");
  c = s.Case("Ava");
  EXPECT_EQ(c["school_day"], 4);
  EXPECT_EQ(CmeSchool::Step(c, "contact_family")["status"], "done");
  EXPECT_EQ(CmeSchool::Step(c, "notify_dsl")["status"], "overdue");
  EXPECT_EQ(CmeSchool::Step(c, "notify_dsl")["overdue_school_days"], 1);
  EXPECT_EQ(CmeSchool::Step(c, "home_visit")["status"], "due");
  web::Response today = s.As("head", verb::get, "/today");
  EXPECT_NE(today.body.find("Log a safeguarding concern and tell the DSL and the head</strong>, "
                            "due 4 May 2027, overdue by 1 school day"),
            std::string::npos)
      << today.body;
  s.Record(c, "notify_dsl", "Concern logged; DSL and head told at 09:15");
  s.Record(c, "home_visit", "Visited with the DSL: no answer, letter hand-delivered");
  // Days 6 to 10 (and the mark of the case's pupil stays N, then O).
  for (const char* day :
       {"2027-05-06", "2027-05-07", "2027-05-10", "2027-05-11", "2027-05-12", "2027-05-13"}) {
    s.Day("Ava", day, "O");
  }
  c = s.Case("Ava");
  EXPECT_EQ(c["school_day"], 10);
  EXPECT_EQ(c["first_day"], "2027-04-29");  // N then O is one run
  EXPECT_EQ(CmeSchool::Step(c, "la_enquiry_form")["status"], "due");
  s.Record(c, "la_enquiry_form", "Reasonable-enquiries form sent to the LA CME officer");
  s.Record(c, "la_attendance_return", "10 continuous school days reported to the LA");
  // To day 20, over half-term: nothing overdue on the way.
  for (const char* day : {"2027-05-14", "2027-05-17", "2027-05-18", "2027-05-19", "2027-05-20",
                          "2027-05-21", "2027-06-01", "2027-06-02", "2027-06-03", "2027-06-04"}) {
    s.Day("Ava", day, "O");
  }
  c = s.Case("Ava");
  EXPECT_EQ(c["school_day"], 20);
  for (const auto& step : c["steps"]) {
    EXPECT_NE(step["status"], "overdue") << step["step"];
  }
  EXPECT_EQ(CmeSchool::Step(c, "deletion_review")["status"], "due");
  s.Record(c, "deletion_review", "Joint enquiries with the LA: family not found; CTF sent");
  ASSERT_EQ(s.As("head", verb::post, "/api/v1/cme-cases/" + id + "/close",
                 R"j({"outcome":"Not found after joint enquiries: removed under ground (i)"})j")
                .status,
            status::ok);
  c = s.Case("Ava");
  EXPECT_FALSE(c["open"]);
  EXPECT_EQ(c["outcome"], "Not found after joint enquiries: removed under ground (i)");
  EXPECT_EQ(c["closed_by"], "Ms head");
  EXPECT_EQ(CmeSchool::Step(c, "deletion_review")["done"][0]["by"]["role"], "office");
  // A closed case takes no more steps; bad input is refused.
  EXPECT_EQ(s.As("office", verb::post, "/api/v1/cme-cases/" + id + "/steps",
                 R"({"step":"home_visit","note":"late"})")
                .status,
            status::conflict);
  EXPECT_EQ(
      s.As("office", verb::post, "/api/v1/cme-cases/" + id + "/close", R"({"outcome":"again"})")
          .status,
      status::conflict);
  EXPECT_EQ(s.As("teacher", verb::get, "/api/v1/cme-cases").status, status::forbidden);
  // The pupil page shows the whole timeline with who did what.
  web::Response page = s.As("office", verb::get, "/pupils/" + s.pupil("Ava"));
  EXPECT_NE(page.body.find("Children missing education"), std::string::npos);
  EXPECT_NE(page.body.find("Visited with the DSL: no answer, letter hand-delivered"),
            std::string::npos);
  EXPECT_NE(page.body.find("removed under ground (i)"), std::string::npos);
  EXPECT_EQ(s.As("teacher", verb::get, "/pupils/" + s.pupil("Ava")).body.find("Children missing"),
            std::string::npos);
}

TEST(CmeCaseTest, ACaseClosesWhenThePupilIsBackAndBadStepsAreRefused) {
  CmeSchool s;
  s.Day("Ben", "2027-04-29", "N");
  nlohmann::json c = s.Case("Ben");
  const std::string id = std::to_string(c["id"].get<int64_t>());
  const std::string path = "/api/v1/cme-cases/" + id + "/steps";
  EXPECT_EQ(s.As("office", verb::post, path, R"({"step":"call_police","note":"x"})").status,
            status::bad_request);
  EXPECT_EQ(s.As("office", verb::post, path, R"({"step":"notify_dsl","note":""})").status,
            status::bad_request);
  EXPECT_EQ(s.As("office", verb::post, path, R"({"step":"notify_dsl"})").status,
            status::bad_request);
  EXPECT_EQ(s.As("office", verb::post, "/api/v1/cme-cases/77/steps",
                 R"({"step":"notify_dsl","note":"x"})")
                .status,
            status::not_found);
  EXPECT_TRUE(CmeSchool::Step(s.Case("Ben"), "notify_dsl")["done"].empty());
  // Back on Friday morning: the case closes itself and says when.
  s.At("2027-04-30", 10);
  ASSERT_EQ(s.As("office", verb::put, "/api/v1/registers/2027-04-30/AM/marks/" + s.pupil("Ben"),
                 R"({"code":"/"})")
                .status,
            status::ok);
  c = s.Case("Ben");
  EXPECT_FALSE(c["open"]);
  EXPECT_EQ(c["outcome"], "Back in school on Fri 30 April 2027 AM");
  EXPECT_EQ(c["closed_by"], "rollcall");
  EXPECT_TRUE(s.Json("office", "/api/v1/cme-cases")["cme_cases"].empty());
  EXPECT_EQ(s.Json("office", "/api/v1/cme-cases?all")["cme_cases"].size(), 1u);
  // A new run later is a new case; an explained absence closes it too.
  s.Day("Ben", "2027-05-04", "N");
  EXPECT_TRUE(s.Case("Ben")["open"]);
  s.At("2027-05-05", 11);
  ASSERT_EQ(s.As("office", verb::put, "/api/v1/registers/2027-05-04/AM/marks/" + s.pupil("Ben"),
                 R"({"code":"I","reason":"Mum rang: ill"})")
                .status,
            status::ok);
  ASSERT_EQ(s.As("office", verb::put, "/api/v1/registers/2027-05-04/PM/marks/" + s.pupil("Ben"),
                 R"({"code":"I","reason":"Mum rang: ill"})")
                .status,
            status::ok);
  c = s.Case("Ben");
  EXPECT_FALSE(c["open"]);
  EXPECT_EQ(c["outcome"], "Absence explained: I (illness) from Tue 4 May 2027 AM");
}

}  // namespace
}  // namespace rollcall::testing
