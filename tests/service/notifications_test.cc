// Staff notifications (service/notifications.h): register reminders only
// for registers not taken, once, at the right minute and only on school
// days; the office's list at close; the DSL's list of vulnerable pupils
// absent with no reason and who gets it; social workers told only when set
// on; the digest's figures the dashboard's.
#include "service/notifications.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/statistics.h"
#include "service/school_fixture.h"

namespace rollcall::service {
namespace {

class NotificationsTest : public SchoolFixture {
 protected:
  NotificationsTest() {
    teacher_4b_ = AddUser("teacher4b", store::Role::kTeacher, "Ms Four", {class_4b_}, {});
    dsl_ = AddUser("dsl", store::Role::kSafeguardingLead, "Mr Safe", {}, {});
    EXPECT_TRUE(services_->Load().ok());
    Accounts& accounts = services_->accounts();
    EXPECT_TRUE(accounts.SetEmail(head_, teacher_.user_id, "teacher@school.example").ok());
    EXPECT_TRUE(accounts.SetEmail(head_, teacher_4b_.user_id, "four@school.example").ok());
    EXPECT_TRUE(accounts.SetEmail(head_, office_.user_id, "office@school.example").ok());
    EXPECT_TRUE(accounts.SetEmail(head_, dsl_.user_id, "dsl@school.example").ok());
  }

  StaffNotifications& notifications() { return services_->notifications(); }

  void Settings(NotificationSettingsForm form) {
    if (form.digest_time.empty()) form.digest_time = "16:00";
    core::StatusOr<store::NotificationSettings> saved = notifications().Save(head_, form);
    ASSERT_TRUE(saved.ok()) << saved.status().message();
  }

  // The emails queued so far, oldest first.
  std::vector<store::OutboxMessage> Emails() {
    std::vector<store::OutboxMessage> all = *store_->ListOutbox(std::nullopt, 1000);
    std::reverse(all.begin(), all.end());
    std::vector<store::OutboxMessage> out;
    for (store::OutboxMessage& m : all) {
      if (m.channel == "email") out.push_back(std::move(m));
    }
    return out;
  }

  int RunAt(const char* date, int minute) {
    clock_.Set(D(date), minute);
    core::StatusOr<int> n = notifications().RunDue();
    EXPECT_TRUE(n.ok()) << n.status().message();
    return n.ok() ? *n : -1;
  }

  Principal teacher_4b_, dsl_;
};

TEST_F(NotificationsTest, RemindsOnlyTheTeachersOfRegistersNotTakenOnceAtTheRightMinute) {
  Settings({.register_reminders = true});
  clock_.Set(D("2026-11-25"), 9 * 60);
  ASSERT_TRUE(Mark(office_, a_, "2026-11-25", "AM", "/").ok());  // 3A complete; 4B not
  // The morning register closes at 09:15: the reminder goes from 09:10.
  EXPECT_EQ(RunAt("2026-11-25", 9 * 60 + 9), 0);
  EXPECT_TRUE(Emails().empty());
  EXPECT_EQ(RunAt("2026-11-25", 9 * 60 + 10), 1);
  std::vector<store::OutboxMessage> emails = Emails();
  ASSERT_EQ(emails.size(), 1u);
  EXPECT_EQ(emails[0].event_kind, "register_reminder");
  EXPECT_EQ(emails[0].destination, "four@school.example");
  EXPECT_EQ(emails[0].idempotency_key, "register_reminder/2026-11-25/1/" +
                                           std::to_string(class_4b_) + "/" +
                                           std::to_string(teacher_4b_.user_id));
  EXPECT_NE(emails[0].payload.find("4B"), std::string::npos);
  EXPECT_NE(emails[0].payload.find("09:15"), std::string::npos);
  EXPECT_NE(emails[0].payload.find("morning"), std::string::npos);
  EXPECT_FALSE(emails[0].pupil_id.has_value());  // staff mail: no pupil's contact log
  // Once: a minute later nothing more, even though 4B is still not taken.
  EXPECT_EQ(RunAt("2026-11-25", 9 * 60 + 11), 0);
  EXPECT_EQ(Emails().size(), 1u);
  const std::vector<store::NotificationRun> runs = *store_->NotificationRunsOn(D("2026-11-25"));
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].kind, "register_reminder");
  EXPECT_EQ(runs[0].session, 1);
  EXPECT_EQ(runs[0].messages, 1);
}

TEST_F(NotificationsTest, NoReminderWhenEveryRegisterIsTakenOrWhenSwitchedOff) {
  clock_.Set(D("2026-11-25"), 9 * 60);
  ASSERT_TRUE(Mark(office_, a_, "2026-11-25", "AM", "/").ok());
  ASSERT_TRUE(Mark(office_, b_, "2026-11-25", "AM", "/").ok());
  EXPECT_EQ(RunAt("2026-11-25", 9 * 60 + 10), 0);  // off by default
  EXPECT_TRUE(store_->NotificationRunsOn(D("2026-11-25"))->empty());
  Settings({.register_reminders = true});
  EXPECT_EQ(RunAt("2026-11-25", 9 * 60 + 12), 0);
  EXPECT_EQ(RunAt("2026-11-25", 9 * 60 + 15), 0);  // and no list for the office
  EXPECT_TRUE(Emails().empty());
}

TEST_F(NotificationsTest, NothingOnADayThatIsNotASchoolDay) {
  Settings({.register_reminders = true, .dsl_list = true});
  EXPECT_EQ(RunAt("2026-11-28", 9 * 60 + 10), 0);  // a Saturday
  EXPECT_EQ(RunAt("2026-11-28", 9 * 60 + 15), 0);
  EXPECT_EQ(RunAt("2026-12-24", 10 * 60), 0);  // the Christmas holiday
  EXPECT_TRUE(Emails().empty());
  EXPECT_TRUE(store_->NotificationRunsOn(D("2026-11-28"))->empty());
}

TEST_F(NotificationsTest, TheOfficeIsToldAtCloseWhichRegistersAreStillNotTaken) {
  Settings({.register_reminders = true});
  clock_.Set(D("2026-11-25"), 9 * 60);
  ASSERT_TRUE(Mark(office_, a_, "2026-11-25", "AM", "/").ok());
  EXPECT_EQ(RunAt("2026-11-25", 9 * 60 + 14), 1);  // the reminder to 4B's teacher
  EXPECT_EQ(RunAt("2026-11-25", 9 * 60 + 15), 1);  // the office's list
  std::vector<store::OutboxMessage> emails = Emails();
  ASSERT_EQ(emails.size(), 2u);
  EXPECT_EQ(emails[1].event_kind, "registers_missing");
  EXPECT_EQ(emails[1].destination, "office@school.example");
  EXPECT_NE(emails[1].payload.find("- 4B"), std::string::npos);
  EXPECT_EQ(emails[1].payload.find("- 3A"), std::string::npos);
  EXPECT_EQ(RunAt("2026-11-25", 9 * 60 + 16), 0);
  const auto missing = notifications().IncompleteRegisters(core::Session::kAm);
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].first, class_4b_);
}

TEST_F(NotificationsTest, ARegisterJobMissedWhileTheServerWasDownIsNotSentLate) {
  Settings({.register_reminders = true});
  // First asked at 10:00: the reminder's minutes and the office's half
  // hour after close have passed; the afternoon's have not come.
  EXPECT_EQ(RunAt("2026-11-25", 10 * 60), 0);
  EXPECT_TRUE(Emails().empty());
  EXPECT_TRUE(store_->NotificationRunsOn(D("2026-11-25"))->empty());
}

TEST_F(NotificationsTest, TheDslListsVulnerablePupilsAbsentWithNoReasonAndNoOneElse) {
  ASSERT_TRUE(services_->admissions()
                  .SetSocialWorker(office_, a_,
                                   {.name = "Ms Worker",
                                    .email = "worker@council.example",
                                    .reason = "Child in need plan"})
                  .ok());
  clock_.Set(D("2026-11-25"), 9 * 60 + 20);
  ASSERT_TRUE(Mark(office_, a_, "2026-11-25", "AM", "N").ok());
  ASSERT_TRUE(Mark(office_, b_, "2026-11-25", "AM", "N").ok());  // not vulnerable
  ASSERT_TRUE(store_
                  ->AddContactLogEntry({.pupil_id = a_,
                                        .at = clock_.NowSeconds(),
                                        .method = store::ContactMethod::kCall,
                                        .contact_name = "Mrs A Parent",
                                        .outcome = store::ContactOutcome::kSpoke,
                                        .by_user_id = office_.user_id,
                                        .by_name = "Ms Office"})
                  .ok());
  Settings({.dsl_list = true, .dsl_list_time = "10:30"});
  EXPECT_EQ(RunAt("2026-11-25", 10 * 60 + 29), 0);
  EXPECT_EQ(RunAt("2026-11-25", 10 * 60 + 30), 1);
  std::vector<store::OutboxMessage> emails = Emails();
  ASSERT_EQ(emails.size(), 1u);  // no social worker email: that is off
  EXPECT_EQ(emails[0].event_kind, "dsl_vulnerable");
  EXPECT_EQ(emails[0].destination, "dsl@school.example");
  EXPECT_NE(emails[0].payload.find("Pupil A, 3A (social worker)"), std::string::npos)
      << emails[0].payload;
  EXPECT_NE(emails[0].payload.find("09:20 call"), std::string::npos) << emails[0].payload;
  EXPECT_EQ(emails[0].payload.find("Pupil B"), std::string::npos);
  EXPECT_EQ(RunAt("2026-11-25", 11 * 60), 0);  // once a day

  const std::vector<VulnerableAbsence> listed = *notifications().VulnerableAbsent();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].pupil_id, a_);
  EXPECT_EQ(listed[0].sessions, std::vector<std::string>{"morning"});
}

TEST_F(NotificationsTest, TheSocialWorkerIsEmailedAboutTheirPupilOnlyWhenSetOn) {
  ASSERT_TRUE(services_->admissions()
                  .SetSocialWorker(office_, a_,
                                   {.name = "Ms Worker",
                                    .email = "worker@council.example",
                                    .reason = "Child in need plan"})
                  .ok());
  clock_.Set(D("2026-11-25"), 9 * 60 + 20);
  ASSERT_TRUE(Mark(office_, a_, "2026-11-25", "AM", "N").ok());
  Settings({.dsl_list = true, .social_worker_emails = true});
  // The list's time: the day-one message time (10:00 by default).
  EXPECT_EQ(RunAt("2026-11-25", 9 * 60 + 59), 0);
  EXPECT_EQ(RunAt("2026-11-25", 10 * 60), 2);
  std::vector<store::OutboxMessage> emails = Emails();
  ASSERT_EQ(emails.size(), 2u);
  const store::OutboxMessage& sw = emails[1];
  EXPECT_EQ(sw.event_kind, "social_worker_absence");
  EXPECT_EQ(sw.destination, "worker@council.example");
  EXPECT_EQ(sw.pupil_id, a_);
  EXPECT_EQ(sw.idempotency_key, "social_worker_absence/2026-11-25/" + std::to_string(a_));
  EXPECT_NE(sw.payload.find("Pupil A"), std::string::npos);
}

TEST_F(NotificationsTest, TheDigestQuotesTheDashboardsFigures) {
  clock_.Set(D("2026-11-25"), 9 * 60);
  ASSERT_TRUE(Mark(office_, a_, "2026-11-25", "AM", "/").ok());
  ASSERT_TRUE(Mark(office_, b_, "2026-11-25", "AM", "N").ok());
  Settings({.attendance_lead = std::to_string(office_.user_id), .digest_time = "15:30"});
  EXPECT_EQ(RunAt("2026-11-25", 15 * 60 + 29), 0);
  clock_.Set(D("2026-11-25"), 15 * 60 + 30);
  const DigestFigures d = *notifications().Digest();
  ASSERT_TRUE(d.year_pct.has_value());
  core::StatusOr<SchoolSummaryView> dashboard =
      services_->dashboards().Summary(head_, D("2026-11-25"));
  ASSERT_TRUE(dashboard.ok());
  ASSERT_TRUE(dashboard->school.has_value());
  EXPECT_EQ(d.year_pct,
            core::Percent(dashboard->school->counts.attended, dashboard->school->counts.possible));
  EXPECT_EQ(d.unexplained, 1);  // b_'s N
  EXPECT_EQ(RunAt("2026-11-25", 15 * 60 + 30), 1);
  std::vector<store::OutboxMessage> emails = Emails();
  ASSERT_EQ(emails.size(), 1u);
  EXPECT_EQ(emails[0].event_kind, "attendance_digest");
  EXPECT_EQ(emails[0].destination, "office@school.example");
  EXPECT_NE(emails[0].payload.find(fmt::format("this school year: {:.1f}%", *d.year_pct)),
            std::string::npos)
      << emails[0].payload;
  EXPECT_NE(emails[0].payload.find("Still absent with no reason: 1."), std::string::npos);
  EXPECT_EQ(RunAt("2026-11-25", 16 * 60), 0);
}

TEST_F(NotificationsTest, OnlyTheHeadChangesTheSettingsAndBadInputIsNamed) {
  NotificationSettingsForm form{.digest_time = "16:00"};
  EXPECT_EQ(notifications().Save(office_, form).status().kind(),
            core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(notifications().Get(teacher_).status().kind(), core::ErrorKind::kPermissionDenied);
  form.digest_time = "25:00";
  core::StatusOr<store::NotificationSettings> bad = notifications().Save(head_, form);
  EXPECT_EQ(bad.status().code(), core::kErrValueInvalid);
  EXPECT_NE(bad.status().message().find("25:00"), std::string::npos);
  form.digest_time = "16:00";
  form.attendance_lead = std::to_string(parent_.user_id);
  EXPECT_EQ(notifications().Save(head_, form).status().code(), core::kErrValueInvalid);
  form.attendance_lead = std::to_string(office_.user_id);
  form.dsl_list_time = "09:45";
  core::StatusOr<store::NotificationSettings> saved = notifications().Save(head_, form);
  ASSERT_TRUE(saved.ok()) << saved.status().message();
  EXPECT_EQ(saved->version, 1);
  const NotificationsView v = *notifications().Get(head_);
  EXPECT_EQ(v.settings.attendance_lead_user_id, office_.user_id);
  EXPECT_EQ(v.settings.dsl_list_minute, 9 * 60 + 45);
  EXPECT_EQ(v.settings.set_by, head_.name);
}

TEST_F(NotificationsTest, StaffEmailAddressesAreCheckedAndKept) {
  EXPECT_EQ(services_->accounts().SetEmail(head_, teacher_.user_id, "not an address").code(),
            core::kErrValueInvalid);
  EXPECT_EQ(services_->accounts().SetEmail(office_, teacher_.user_id, "t@school.example").kind(),
            core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(services_->accounts().SetEmail(head_, parent_.user_id, "p@home.example").code(),
            core::kErrValueInvalid);
  EXPECT_EQ(store_->GetUser(teacher_.user_id)->email, "teacher@school.example");
  ASSERT_TRUE(services_->accounts().SetEmail(head_, teacher_.user_id, "").ok());
  EXPECT_EQ(store_->GetUser(teacher_.user_id)->email, "");
  // The password is untouched by a change of address.
  EXPECT_EQ(store_->GetUser(teacher_.user_id)->password_hash, "not-a-hash");
}

}  // namespace
}  // namespace rollcall::service
