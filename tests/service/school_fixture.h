// school_fixture.h
//
// SchoolFixture: the services over a MemoryStore and a FakeClock, with no
// web in between, for the tests of the application layer.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "service/records.h"
#include "service/services.h"
#include "store/store.h"
#include "support/dates.h"
#include "support/fake_clock.h"

namespace rollcall::service {

using rollcall::testing::D;
using rollcall::testing::FakeClock;

// Today is Wednesday 2026-11-25 at 10:00. Classes 3A (taught by teacher_)
// and 4B; pupils a_ (3A) and b_ (4B) on roll since September; accounts
// office_, teacher_, head_, parent_ (a_'s) and la_ (an officer of the
// school's LA, 909), in the store.
class SchoolFixture : public ::testing::Test {
 protected:
  SchoolFixture() : store_(store::NewMemoryStore()), clock_(D("2026-11-25"), 10 * 60) {
    EXPECT_TRUE(store_->SetSchool({"Test Primary", "123456", "909", "primary"}).ok());
    store::Settings settings;
    settings.set_by = "test";
    EXPECT_TRUE(store_->SaveSettings(settings).ok());
    EXPECT_TRUE(store_->AddTerm({0, "Autumn 2026", D("2026-09-02"), D("2026-12-18")}).ok());
    class_3a_ = *store_->AddClass({0, "3A", 3, {}});
    class_4b_ = *store_->AddClass({0, "4B", 4, {}});
    a_ = AddPupil("A909123400001", class_3a_);
    b_ = AddPupil("B909123400002", class_4b_);
    office_ = AddUser("office", store::Role::kOffice, "Ms Office", {}, {});
    teacher_ = AddUser("teacher", store::Role::kTeacher, "Mr Teacher", {class_3a_}, {});
    head_ = AddUser("head", store::Role::kHead, "Mrs Head", {}, {});
    parent_ = AddUser("parent", store::Role::kParent, "Mrs A Parent", {}, {a_});
    la_ = AddUser("la", store::Role::kLaOfficer, "Ms LA", {}, {}, "909");
    services_ = std::make_unique<Services>(*store_, clock_);
    EXPECT_TRUE(services_->Load().ok());
  }

  int64_t AddPupil(const std::string& upn, int64_t class_id) {
    return *store_->AddPupil(NewPupil(upn, class_id));
  }
  // A pupil on roll since September, to change before adding.
  store::Pupil NewPupil(const std::string& upn, int64_t class_id) const {
    store::Pupil p;
    p.upn = upn;
    p.legal_given_name = "Pupil";
    p.legal_family_name = upn.substr(0, 1);
    p.date_of_birth = D("2018-05-01");
    p.sex = "F";
    p.year_group = 3;
    p.class_id = class_id;
    p.enrolments.push_back({D("2026-09-01"), std::nullopt, "", ""});
    return p;
  }

  // An account in the store, and the principal the services see for it.
  Principal AddUser(const std::string& username, store::Role role, const std::string& name,
                    std::vector<int64_t> classes, std::vector<int64_t> children,
                    const std::string& la_code = "") {
    store::User u;
    u.username = username;
    u.display_name = name;
    u.role = role;
    u.password_hash = "not-a-hash";  // no one logs in here
    u.class_ids = std::move(classes);
    u.pupil_ids = std::move(children);
    u.la_code = la_code;
    u.id = *store_->AddUser(u);
    return PrincipalOf(u);
  }

  core::StatusOr<MarkResult> Mark(const Principal& who, int64_t pupil, const char* date,
                                  const char* session, const char* code,
                                  const std::string& reason = "", const std::string& time = "") {
    return services_->registers().RecordMark(
        who, {date, session, std::to_string(pupil), code, reason, time});
  }

  std::unique_ptr<store::Store> store_;
  FakeClock clock_;
  int64_t class_3a_ = 0, class_4b_ = 0, a_ = 0, b_ = 0;
  Principal office_, teacher_, head_, parent_, la_;
  std::unique_ptr<Services> services_;
};

}  // namespace rollcall::service
