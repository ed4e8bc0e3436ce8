// test_app.h
//
// TestApp: an App over a MemoryStore and a FakeClock with a small school:
// two classes (3A taught by `teacher`, 4B by `teacher2`), three pupils (P1 in
// 3A, P2 in 4B, P3 in 3A joining on 2026-11-23), and one account per role:
// head, office, teacher, teacher2, governor, la (LA 909, the school's),
// la_other (LA 111), parent (P1's), attendance (attendance officer), dsl
// (designated safeguarding lead), senco. Every password is "correct-horse".
// Today is Wednesday 2026-11-25 at 10:00.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "service/password.h"
#include "store/store.h"
#include "support/dates.h"
#include "support/fake_clock.h"
#include "web/app.h"

namespace rollcall::testing {

// An answer's body as JSON (throws when it is not JSON).
inline nlohmann::json Json(const web::Response& r) { return nlohmann::json::parse(r.body); }

// The value of an answer's header `name`, "" when it has none.
inline std::string Header(const web::Response& r, const std::string& name) {
  for (const auto& [key, value] : r.headers) {
    if (key == name) return value;
  }
  return "";
}

// The code of an error answer ({"error":{"code":...}}), "" for any other body.
inline std::string ErrorCode(const web::Response& r) {
  nlohmann::json body = nlohmann::json::parse(r.body, nullptr, false);
  if (!body.is_object() || !body.contains("error")) return "";
  return body["error"].value("code", "");
}

class TestApp {
 public:
  static constexpr char kPassword[] = "correct-horse";

  explicit TestApp(web::AppConfig config = {})
      : store_(store::NewMemoryStore()), clock_(D("2026-11-25"), 10 * 60) {
    Seed();
    app_ = std::make_unique<web::App>(*store_, clock_, config);
    EXPECT_TRUE(app_->Load().ok());
  }

  web::App& app() { return *app_; }
  store::Store& store() { return *store_; }
  FakeClock& clock() { return clock_; }
  int64_t pupil(const std::string& name) const { return pupils_.at(name); }
  int64_t class_id(const std::string& name) const { return classes_.at(name); }
  int64_t user(const std::string& name) const { return users_.at(name); }

  // A request with no session.
  web::Response Anonymous(web::http::verb method, const std::string& target,
                          const std::string& body = "") {
    web::Request req;
    req.method = method;
    req.target = target;
    req.body = body;
    req.remote_addr = "127.0.0.1";
    req.host = "localhost";
    return app_->Handle(req);
  }

  web::Response Login(const std::string& username, const std::string& password,
                      const std::string& addr = "127.0.0.1") {
    web::Request req;
    req.method = web::http::verb::post;
    req.target = "/api/v1/login";
    req.body = nlohmann::json{{"username", username}, {"password", password}}.dump();
    req.remote_addr = addr;
    req.host = "localhost";
    return app_->Handle(req);
  }

  // A request as `username`, logging in first if needed; state-changing
  // requests carry the CSRF token unless `csrf` is false.
  web::Response As(const std::string& username, web::http::verb method, const std::string& target,
                   const std::string& body = "", bool csrf = true) {
    return app_->Handle(RequestAs(username, method, target, body, csrf));
  }
  // The request As() would send (logging in first if needed), for tests that
  // call App::Handle from several threads.
  web::Request RequestAs(const std::string& username, web::http::verb method,
                         const std::string& target, const std::string& body = "",
                         bool csrf = true) {
    auto it = sessions_.find(username);
    // A login left unused for the school's idle limit (60 minutes) has
    // ended, as it would for a person: a test that moves the clock on past
    // it logs in again, unless it is testing that very ending.
    if (it != sessions_.end() && relogin_when_idle_ &&
        clock_.NowSeconds() - last_used_[username] >= 60 * 60) {
      sessions_.erase(it);
      it = sessions_.end();
    }
    last_used_[username] = clock_.NowSeconds();
    if (it == sessions_.end()) {
      web::Response res = Login(username, kPassword);
      EXPECT_EQ(res.status, web::http::status::ok) << username << ": " << res.body;
      std::string cookie;
      for (const auto& [name, value] : res.headers) {
        if (name == "Set-Cookie") cookie = value.substr(0, value.find(';'));
      }
      const std::string csrf_token = nlohmann::json::parse(res.body)["csrf_token"];
      it = sessions_.emplace(username, std::make_pair(cookie, csrf_token)).first;
    }
    web::Request req;
    req.method = method;
    req.target = target;
    req.body = body;
    req.cookie = it->second.first;
    if (csrf) req.csrf_token = it->second.second;
    req.remote_addr = "127.0.0.1";
    req.host = "localhost";
    return req;
  }
  web::Response Get(const std::string& username, const std::string& target) {
    return As(username, web::http::verb::get, target);
  }
  void ForgetSessions() { sessions_.clear(); }
  // Keeps each login however long it goes unused, for the tests of the
  // idle limit itself.
  void KeepIdleSessions() { relogin_when_idle_ = false; }

 private:
  void Seed() {
    auto check = [](const core::Status& s) {
      ASSERT_TRUE(s.ok()) << s.code() << " " << s.message();
    };
    check(store_->SetSchool({"Test Primary", "123456", "909", "primary"}));
    store::Settings settings;
    settings.set_by = "test";
    ASSERT_TRUE(store_->SaveSettings(settings).ok());
    ASSERT_TRUE(store_->AddTerm({0, "Autumn 2026", D("2026-09-02"), D("2026-12-18")}).ok());
    check(store_->SetClosure({D("2026-10-26"), core::ClosureSessions::kBoth, "Half term"}));
    classes_["3A"] = *store_->AddClass({0, "3A", 3, {}});
    classes_["4B"] = *store_->AddClass({0, "4B", 4, {}});

    auto add_pupil = [&](const std::string& key, const std::string& upn, int64_t class_id,
                         const char* start) {
      store::Pupil p;
      p.upn = upn;
      p.legal_given_name = key == "P1" ? "<script>alert(1)</script>" : "Pupil";
      p.legal_family_name = key;
      p.date_of_birth = D("2018-05-01");
      p.sex = "F";
      p.year_group = class_id == classes_["3A"] ? 3 : 4;
      p.class_id = class_id;
      p.flags.push_back({"FSM", D("2026-09-01"), std::nullopt});
      p.enrolments.push_back({D(start), std::nullopt, "", ""});
      p.contacts.push_back(
          {1, "Parent " + key, "Mother", "07700 900001", "a@example.org", {}, true});
      p.contacts.push_back(
          {2, "Other " + key, "Father", "07700 900002", "b@example.org", {}, true});
      pupils_[key] = *store_->AddPupil(p);
    };
    add_pupil("P1", "A909123400001", classes_["3A"], "2026-09-01");
    add_pupil("P2", "B909123400002", classes_["4B"], "2026-09-01");
    add_pupil("P3", "C909123400003", classes_["3A"], "2026-11-23");

    const std::string hash = *service::HashPassword(kPassword, service::HashCost::kTestOnly);
    auto add_user = [&](const std::string& name, store::Role role, std::vector<int64_t> classes,
                        std::vector<int64_t> children, const std::string& la) {
      store::User u;
      u.username = name;
      u.display_name = "User " + name;
      u.role = role;
      u.password_hash = hash;
      u.la_code = la;
      u.class_ids = classes;
      u.pupil_ids = children;
      users_[name] = *store_->AddUser(u);
    };
    add_user("head", store::Role::kHead, {}, {}, "");
    add_user("office", store::Role::kOffice, {}, {}, "");
    add_user("teacher", store::Role::kTeacher, {classes_["3A"]}, {}, "");
    add_user("teacher2", store::Role::kTeacher, {classes_["4B"]}, {}, "");
    add_user("governor", store::Role::kGovernor, {}, {}, "");
    add_user("la", store::Role::kLaOfficer, {}, {}, "909");
    add_user("la_other", store::Role::kLaOfficer, {}, {}, "111");
    add_user("parent", store::Role::kParent, {}, {pupils_["P1"]}, "");
    add_user("attendance", store::Role::kAttendanceOfficer, {}, {}, "");
    add_user("dsl", store::Role::kSafeguardingLead, {}, {}, "");
    add_user("senco", store::Role::kSenco, {}, {}, "");
    check(store_->SetClassTeachers(classes_["3A"], {users_["teacher"]}));
    check(store_->SetClassTeachers(classes_["4B"], {users_["teacher2"]}));

    // Some history: P1 absent ill on 2026-11-23 AM, present otherwise.
    std::vector<store::MarkWrite> writes;
    for (const char* day : {"2026-11-23", "2026-11-24"}) {
      for (core::Session s : {core::Session::kAm, core::Session::kPm}) {
        for (const char* key : {"P1", "P2"}) {
          store::MarkWrite w;
          w.pupil_id = pupils_[key];
          w.slot = {D(day), s};
          w.code = core::AttendanceCode::kPresentAm;
          if (s == core::Session::kPm) w.code = core::AttendanceCode::kPresentPm;
          if (std::string(key) == "P1" && std::string(day) == "2026-11-23" &&
              s == core::Session::kAm) {
            w.code = core::AttendanceCode::kIllness;
          }
          w.reason = "Register taken";
          writes.push_back(w);
        }
      }
    }
    ASSERT_TRUE(store_
                    ->SaveMarks(writes, {users_["office"], "User office", store::Role::kOffice},
                                clock_.NowSeconds() - 86400)
                    .ok());
  }

  std::unique_ptr<store::Store> store_;
  FakeClock clock_;
  std::unique_ptr<web::App> app_;
  std::map<std::string, int64_t> pupils_;
  std::map<std::string, int64_t> classes_;
  std::map<std::string, int64_t> users_;
  std::map<std::string, std::pair<std::string, std::string>> sessions_;  // cookie, csrf
  std::map<std::string, int64_t> last_used_;  // by username, clock seconds
  bool relogin_when_idle_ = true;
};

}  // namespace rollcall::testing
