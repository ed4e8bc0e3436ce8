// The one store suite, continued (instantiated for every backend in
// store_test.cc): staff email addresses, pupils' social workers, letters
// with their emails and their posting dates, and the settings and runs of
// staff notifications.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error_codes.h"
#include "store/store.h"
#include "store_test_util.h"

namespace rollcall::store {
namespace {

using core::ErrorKind;
using testing::D;
using testing::StoreTest;

Letter PrintedLetter(int64_t pupil, int64_t at) {
  return {.pupil_id = pupil,
          .template_key = "termly_rag",
          .addressee = "Mrs A Khan",
          .subject = "Attendance this term",
          .body = "Dear Mrs Khan,\n\nAttendance is 96.0%.",
          .figures_json = R"({"attendance_pct":"96.0"})",
          .at = at,
          .by_user_id = 2,
          .by_name = "Ms Office",
          .by_role = Role::kOffice};
}

OutboxMessage Email(const std::string& key, const std::string& to) {
  OutboxMessage m;
  m.channel = "email";
  m.idempotency_key = key;
  m.event_kind = "letter";
  m.destination = to;
  m.payload = R"({"kind":"letter"})";
  m.next_attempt_at = 500;
  m.created_at = 500;
  m.recipient = "Mrs A Khan (Mother)";
  return m;
}

TEST_P(StoreTest, StaffEmailAndSocialWorkerAreKept) {
  const int64_t user = AddTestUser("teacher");
  ASSERT_OK_AND_ASSIGN(User u, store().GetUser(user));
  EXPECT_EQ(u.email, "");
  u.email = "teacher@school.example";
  ASSERT_OK(store().UpdateUser(u));
  ASSERT_OK_AND_ASSIGN(User read, store().GetUser(user));
  EXPECT_EQ(read.email, "teacher@school.example");
  EXPECT_EQ(read.password_hash, u.password_hash);

  const int64_t p = AddTestPupil("A000000000001");
  ASSERT_OK_AND_ASSIGN(Pupil pupil, store().GetPupil(p));
  EXPECT_EQ(pupil.social_worker_name, "");
  pupil.social_worker_name = "Ms Worker";
  pupil.social_worker_email = "worker@council.example";
  ASSERT_OK(store().SavePupils({}, {pupil}, testing::kOffice, 100, "Child in need plan").status());
  ASSERT_OK_AND_ASSIGN(Pupil saved, store().GetPupil(p));
  EXPECT_EQ(saved.social_worker_name, "Ms Worker");
  EXPECT_EQ(saved.social_worker_email, "worker@council.example");
  // The change is kept in the admission register's history with its reason.
  ASSERT_OK_AND_ASSIGN(std::vector<AdmissionChange> changes, store().AdmissionChangesFor(p));
  bool found = false;
  for (const AdmissionChange& c : changes) {
    if (c.field == "social_worker_name") {
      found = true;
      EXPECT_EQ(c.new_value, "Ms Worker");
      EXPECT_EQ(c.reason, "Child in need plan");
    }
  }
  EXPECT_TRUE(found);
}

TEST_P(StoreTest, LettersAndTheirEmailsAreQueuedTogetherUnderTheLettersIds) {
  const int64_t p = AddTestPupil("A000000000001");
  ASSERT_OK_AND_ASSIGN(std::vector<int64_t> ids,
                       store().AddLettersWithEmails(
                           {PrintedLetter(p, 300), PrintedLetter(p, 300)},
                           {{Email("0", "mum@home.example"), Email("1", "dad@home.example")}, {}}));
  ASSERT_EQ(ids.size(), 2u);
  ASSERT_OK_AND_ASSIGN(std::vector<OutboxMessage> first,
                       store().OutboxWithKeyPrefix("letter/" + std::to_string(ids[0]) + "/"));
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].idempotency_key, "letter/" + std::to_string(ids[0]) + "/0");
  EXPECT_EQ(first[1].destination, "dad@home.example");
  ASSERT_OK_AND_ASSIGN(std::vector<OutboxMessage> second,
                       store().OutboxWithKeyPrefix("letter/" + std::to_string(ids[1]) + "/"));
  EXPECT_TRUE(second.empty());
  // A prefix is a prefix, not a pattern: '_' matches only itself.
  ASSERT_OK_AND_ASSIGN(std::vector<OutboxMessage> none, store().OutboxWithKeyPrefix("letter_"));
  EXPECT_TRUE(none.empty());
}

TEST_P(StoreTest, APrintedLettersPostingDateIsRecordedOnce) {
  const int64_t p = AddTestPupil("A000000000001");
  ASSERT_OK_AND_ASSIGN(std::vector<int64_t> ids,
                       store().AddLetters({PrintedLetter(p, 300), PrintedLetter(p, 300)}));
  ASSERT_OK(store().RecordLettersPosted({ids[0]}, D("2026-12-03"), 900, 2, "Ms Office"));
  ASSERT_OK_AND_ASSIGN(Letter posted, store().GetLetter(ids[0]));
  EXPECT_EQ(posted.posted_on, D("2026-12-03"));
  EXPECT_EQ(posted.posted_at, 900);
  EXPECT_EQ(posted.posted_by, "Ms Office");
  ASSERT_OK_AND_ASSIGN(Letter not_posted, store().GetLetter(ids[1]));
  EXPECT_FALSE(not_posted.posted_on.has_value());
  // A second date for the first letter is refused, and with it the whole call.
  EXPECT_ERROR(store().RecordLettersPosted({ids[1], ids[0]}, D("2026-12-04"), 901, 2, "Ms Office"),
               ErrorKind::kConflict, core::kErrLetterPosted);
  ASSERT_OK_AND_ASSIGN(Letter still, store().GetLetter(ids[1]));
  EXPECT_FALSE(still.posted_on.has_value());
  EXPECT_ERROR(store().RecordLettersPosted({999}, D("2026-12-04"), 901, 2, "Ms Office"),
               ErrorKind::kNotFound, core::kErrLetterUnknown);
  ASSERT_OK_AND_ASSIGN(std::vector<Letter> batch, store().LettersInBatch(ids[0]));
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch[0].posted_on, D("2026-12-03"));
}

TEST_P(StoreTest, NotificationSettingsAreVersioned) {
  ASSERT_OK_AND_ASSIGN(NotificationSettings none, store().GetNotificationSettings());
  EXPECT_EQ(none.version, 0);
  EXPECT_FALSE(none.register_reminders);
  EXPECT_EQ(none.digest_minute, 16 * 60);
  const int64_t lead = AddTestUser("lead", Role::kAttendanceOfficer);
  NotificationSettings s{.register_reminders = true,
                         .dsl_list = true,
                         .dsl_list_minute = 9 * 60 + 45,
                         .social_worker_emails = true,
                         .attendance_lead_user_id = lead,
                         .digest_minute = 15 * 60 + 30,
                         .set_at = 100,
                         .set_by = "Mrs Head"};
  ASSERT_OK_AND_ASSIGN(int64_t v1, store().SaveNotificationSettings(s));
  EXPECT_EQ(v1, 1);
  s.dsl_list_minute.reset();
  s.attendance_lead_user_id.reset();
  ASSERT_OK_AND_ASSIGN(int64_t v2, store().SaveNotificationSettings(s));
  EXPECT_EQ(v2, 2);
  ASSERT_OK_AND_ASSIGN(NotificationSettings read, store().GetNotificationSettings());
  EXPECT_EQ(read.version, 2);
  EXPECT_TRUE(read.register_reminders && read.dsl_list && read.social_worker_emails);
  EXPECT_FALSE(read.dsl_list_minute.has_value());
  EXPECT_FALSE(read.attendance_lead_user_id.has_value());
  EXPECT_EQ(read.digest_minute, 15 * 60 + 30);
  EXPECT_EQ(read.set_by, "Mrs Head");
  s.attendance_lead_user_id = 999;
  EXPECT_ERROR(store().SaveNotificationSettings(s), ErrorKind::kNotFound, core::kErrUserUnknown);
  s.attendance_lead_user_id.reset();
  s.digest_minute = 24 * 60;
  EXPECT_ERROR(store().SaveNotificationSettings(s), ErrorKind::kInvalidArgument,
               core::kErrValueInvalid);
}

TEST_P(StoreTest, ANotificationRunIsRecordedOnceWithItsMessages) {
  const NotificationRun run{
      .kind = "register_reminder", .date = D("2026-12-03"), .session = 1, .at = 500};
  ASSERT_OK_AND_ASSIGN(bool first,
                       store().RecordNotificationRun(
                           run, {Email("register_reminder/2026-12-03/1/3/4", "t@school.example")}));
  EXPECT_TRUE(first);
  ASSERT_OK_AND_ASSIGN(bool again,
                       store().RecordNotificationRun(
                           run, {Email("register_reminder/2026-12-03/1/3/5", "u@school.example")}));
  EXPECT_FALSE(again);  // done already: the second message is not queued
  ASSERT_OK_AND_ASSIGN(std::vector<OutboxMessage> queued,
                       store().OutboxWithKeyPrefix("register_reminder/"));
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].destination, "t@school.example");
  // The afternoon's is another job.
  ASSERT_OK_AND_ASSIGN(
      bool afternoon,
      store().RecordNotificationRun(
          {.kind = "register_reminder", .date = D("2026-12-03"), .session = 2, .at = 600}, {}));
  EXPECT_TRUE(afternoon);
  ASSERT_OK_AND_ASSIGN(std::vector<NotificationRun> runs,
                       store().NotificationRunsOn(D("2026-12-03")));
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].messages, 1);
  EXPECT_EQ(runs[1].session, 2);
  EXPECT_TRUE(store().NotificationRunsOn(D("2026-12-04"))->empty());
  EXPECT_ERROR(store().RecordNotificationRun({.kind = "", .date = D("2026-12-03")}, {}),
               ErrorKind::kInvalidArgument, core::kErrValueInvalid);
}

}  // namespace
}  // namespace rollcall::store
