// fuzz_school.h: the school the routing harness sends requests to. An App
// over a MemoryStore (SQLite in memory) and a fixed clock, seeded as the web
// tests' TestApp is (tests/web/test_app.h): two classes, three pupils with
// two contacts each, a head and an office account, and two days of marks.
// Today is Wednesday 2026-11-25 at 10:00. Nothing can leave the process:
// webhooks, email and texts go to senders that refuse them.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/date.h"
#include "fuzz/fuzz_util.h"
#include "io/https_post.h"
#include "io/mail.h"
#include "io/sms.h"
#include "service/password.h"
#include "store/store.h"
#include "tests/support/fake_clock.h"
#include "web/app.h"

namespace rollcall::fuzz {

class NoPoster : public io::Poster {
 public:
  io::PostAnswer Post(const io::PostRequest&) override { return {0, "", "not sent: fuzzing"}; }
};
class NoMail : public io::MailTransport {
 public:
  io::SendResult Send(const io::MailEnvelope&, const std::string&) override {
    return {false, false, 0, "not sent: fuzzing", ""};
  }
};
class NoSms : public io::SmsProvider {
 public:
  io::SendResult Send(const std::string&, const std::string&, const std::string&) override {
    return {false, false, 0, "not sent: fuzzing", ""};
  }
  core::StatusOr<std::optional<std::string>> FindByReference(const std::string&) override {
    return std::optional<std::string>();
  }
};

inline constexpr char kPassword[] = "correct-horse";

inline core::Date Day(const char* iso) { return *core::Date::Parse(iso); }

inline void Must(const core::Status& s, const char* what) { Check(s.ok(), what, s.message()); }

class FuzzSchool {
 public:
  FuzzSchool() : store_(store::NewMemoryStore()), clock_(Day("2026-11-25"), 10 * 60) {
    Seed();
    web::AppConfig config;
    config.poster = &poster_;
    config.mail = &mail_;
    config.sms = &sms_;
    app_ = std::make_unique<web::App>(*store_, clock_, config);
    Must(app_->Load(), "the school does not load");
  }

  web::App& app() { return *app_; }

  // Logs `username` in; false when the login is refused (the fuzzed
  // requests may have changed the password or closed the account).
  bool Login(const std::string& username) {
    web::Request req;
    req.method = web::http::verb::post;
    req.target = "/api/v1/login";
    req.body = nlohmann::json{{"username", username}, {"password", kPassword}}.dump();
    req.remote_addr = "192.0.2.1";
    req.host = "localhost";
    web::Response res = app_->Handle(req);
    if (res.status != web::http::status::ok) return false;
    for (const auto& [name, value] : res.headers) {
      if (name == "Set-Cookie") cookie_ = value.substr(0, value.find(';'));
    }
    nlohmann::json body = nlohmann::json::parse(res.body, nullptr, false);
    if (!body.is_object() || !body.contains("csrf_token")) return false;
    csrf_ = body["csrf_token"].get<std::string>();
    return true;
  }
  const std::string& cookie() const { return cookie_; }
  const std::string& csrf() const { return csrf_; }

 private:
  void Seed() {
    Must(store_->SetSchool({"Fuzz Primary", "123456", "909", "primary"}), "school");
    store::Settings settings;
    settings.set_by = "fuzz";
    Must(store_->SaveSettings(settings).status(), "settings");
    Must(store_->AddTerm({0, "Autumn 2026", Day("2026-09-02"), Day("2026-12-18")}).status(),
         "term");
    Must(store_->SetClosure({Day("2026-10-26"), core::ClosureSessions::kBoth, "Half term"}),
         "closure");
    const int64_t class_3a = *store_->AddClass({0, "3A", 3, {}});
    const int64_t class_4b = *store_->AddClass({0, "4B", 4, {}});
    std::vector<int64_t> pupils;
    auto add_pupil = [&](const std::string& key, const std::string& upn, int64_t class_id,
                         const char* start) {
      store::Pupil p;
      p.upn = upn;
      p.legal_given_name = "Pupil";
      p.legal_family_name = key;
      p.date_of_birth = Day("2018-05-01");
      p.sex = "F";
      p.year_group = class_id == class_3a ? 3 : 4;
      p.class_id = class_id;
      p.flags.push_back({"FSM", Day("2026-09-01"), std::nullopt});
      p.enrolments.push_back({Day(start), std::nullopt, "", ""});
      p.contacts.push_back(
          {1, "Parent " + key, "Mother", "07700 900001", "a@example.org", {}, true});
      p.contacts.push_back(
          {2, "Other " + key, "Father", "07700 900002", "b@example.org", {}, true});
      pupils.push_back(*store_->AddPupil(p));
    };
    add_pupil("P1", "A909123400001", class_3a, "2026-09-01");
    add_pupil("P2", "B909123400002", class_4b, "2026-09-01");
    add_pupil("P3", "C909123400003", class_3a, "2026-11-23");

    const std::string hash = *service::HashPassword(kPassword, service::HashCost::kTestOnly);
    int64_t office = 0;
    for (const auto& [name, role] :
         {std::pair{"head", store::Role::kHead}, std::pair{"office", store::Role::kOffice}}) {
      store::User u;
      u.username = name;
      u.display_name = std::string("User ") + name;
      u.role = role;
      u.password_hash = hash;
      const int64_t id = *store_->AddUser(u);
      if (role == store::Role::kOffice) office = id;
    }
    std::vector<store::MarkWrite> writes;
    for (const char* day : {"2026-11-23", "2026-11-24"}) {
      for (core::Session s : {core::Session::kAm, core::Session::kPm}) {
        for (size_t i = 0; i < 2; ++i) {
          store::MarkWrite w;
          w.pupil_id = pupils[i];
          w.slot = {Day(day), s};
          w.code = s == core::Session::kAm ? core::AttendanceCode::kPresentAm
                                           : core::AttendanceCode::kPresentPm;
          w.reason = "Register taken";
          writes.push_back(w);
        }
      }
    }
    Must(store_
             ->SaveMarks(writes, {office, "User office", store::Role::kOffice},
                         clock_.NowSeconds() - 86400)
             .status(),
         "marks");
  }

  std::unique_ptr<store::Store> store_;
  testing::FakeClock clock_;
  NoPoster poster_;
  NoMail mail_;
  NoSms sms_;
  std::unique_ptr<web::App> app_;
  std::string cookie_, csrf_;
};

}  // namespace rollcall::fuzz
