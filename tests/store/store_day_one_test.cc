// The one store suite, continued (instantiated for every backend in
// store_test.cc): contacts' message preferences and consent, the school's
// words for its messages, and the day-one runs written with their messages.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error_codes.h"
#include "store/store.h"
#include "store_test_util.h"

namespace rollcall::store {
namespace {

using testing::D;
using testing::kOffice;
using testing::StoreTest;

OutboxMessage DayOneMessage(int64_t pupil, const std::string& key, int64_t at) {
  OutboxMessage m;
  m.channel = "sms";
  m.idempotency_key = key;
  m.event_kind = "day_one";
  m.destination = "07700 900123";
  m.payload = R"({"kind":"day_one","to":"07700 900123","body":"Not in school"})";
  m.next_attempt_at = at;
  m.created_at = at;
  m.pupil_id = pupil;
  m.recipient = "Helen Ali (Mother)";
  return m;
}

TEST_P(StoreTest, ContactsKeepTheirMessagePreferencesAndConsent) {
  const int64_t id = AddTestPupil("A000000000001");
  ASSERT_OK_AND_ASSIGN(Pupil p, store().GetPupil(id));
  Contact c;
  c.name = "Helen Ali";
  c.relationship = "Mother";
  c.phone = "07700 900123";
  c.email = "helen@example.org";
  c.preferred_channel = "email";
  c.optional_opt_out = true;
  c.consent_at = 1234;
  c.consent_by = "Mrs Patel";
  c.consent_note = "on the admission form";
  Contact gran;
  gran.priority = 2;
  gran.name = "Margaret Ali";
  gran.relationship = "Grandparent";
  gran.emergency = true;
  gran.messages_without_pr = true;
  p.contacts = {c, gran};
  ASSERT_OK(store().SavePupils({}, {p}, kOffice, 100, "consent recorded").status());
  ASSERT_OK_AND_ASSIGN(Pupil stored, store().GetPupil(id));
  ASSERT_EQ(stored.contacts.size(), 2u);
  EXPECT_EQ(stored.contacts[0].preferred_channel, "email");
  EXPECT_TRUE(stored.contacts[0].optional_opt_out);
  EXPECT_FALSE(stored.contacts[0].messages_without_pr);
  EXPECT_EQ(stored.contacts[0].consent_at, 1234);
  EXPECT_EQ(stored.contacts[0].consent_by, "Mrs Patel");
  EXPECT_EQ(stored.contacts[0].consent_note, "on the admission form");
  EXPECT_EQ(stored.contacts[1].preferred_channel, "");
  EXPECT_TRUE(stored.contacts[1].messages_without_pr);
  EXPECT_FALSE(stored.contacts[1].consent_at.has_value());
  ASSERT_OK_AND_ASSIGN(std::vector<Pupil> all, store().ListPupils());
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].contacts[0].consent_note, "on the admission form");

  // A change of channel is a change to the admission register entry.
  stored.contacts[0].preferred_channel = "sms";
  ASSERT_OK(store().SavePupils({}, {stored}, kOffice, 200, "mother asked for texts").status());
  ASSERT_OK_AND_ASSIGN(std::vector<AdmissionChange> changes, store().AdmissionChangesFor(id));
  bool found = false;
  for (const AdmissionChange& ch : changes) {
    if (ch.field != "contact 1 preferred_channel" || ch.at != 200) continue;
    found = true;
    EXPECT_EQ(ch.old_value, "email");
    EXPECT_EQ(ch.new_value, "sms");
    EXPECT_EQ(ch.reason, "mother asked for texts");
  }
  EXPECT_TRUE(found);

  // The database refuses a channel it does not know.
  stored.contacts[0].preferred_channel = "fax";
  EXPECT_FALSE(store().SavePupils({}, {stored}, kOffice, 300, "").ok());
  ASSERT_OK_AND_ASSIGN(Pupil unchanged, store().GetPupil(id));
  EXPECT_EQ(unchanged.contacts[0].preferred_channel, "sms");
}

TEST_P(StoreTest, MessageTemplatesAreVersionedPerKindTheNewestInForce) {
  ASSERT_OK_AND_ASSIGN(std::vector<MessageTemplateVersion> none, store().CurrentMessageTemplates());
  EXPECT_TRUE(none.empty());
  MessageTemplateVersion t{.kind = "day_one",
                           .subject = "S1",
                           .email_body = "E1",
                           .sms_body = "T1",
                           .set_at = 10,
                           .set_by = "Mrs Head"};
  ASSERT_OK_AND_ASSIGN(int64_t v1, store().SaveMessageTemplate(t));
  EXPECT_EQ(v1, 1);
  t.subject = "S2";
  t.set_at = 20;
  ASSERT_OK_AND_ASSIGN(int64_t v2, store().SaveMessageTemplate(t));
  EXPECT_EQ(v2, 2);
  MessageTemplateVersion other{.kind = "test",
                               .subject = "x",
                               .email_body = "y",
                               .sms_body = "z",
                               .set_at = 30,
                               .set_by = "Mrs Head"};
  ASSERT_OK_AND_ASSIGN(int64_t first_of_other, store().SaveMessageTemplate(other));
  EXPECT_EQ(first_of_other, 1);
  ASSERT_OK_AND_ASSIGN(std::vector<MessageTemplateVersion> now, store().CurrentMessageTemplates());
  ASSERT_EQ(now.size(), 2u);
  EXPECT_EQ(now[0].kind, "day_one");
  EXPECT_EQ(now[0].version, 2);
  EXPECT_EQ(now[0].subject, "S2");
  EXPECT_EQ(now[0].set_at, 20);
  EXPECT_FALSE(now[0].is_default);
  // Back to the default: a version whose words are not kept.
  MessageTemplateVersion reset{.kind = "day_one",
                               .subject = "ignored",
                               .is_default = true,
                               .set_at = 40,
                               .set_by = "Mrs Head"};
  ASSERT_OK(store().SaveMessageTemplate(reset).status());
  ASSERT_OK_AND_ASSIGN(now, store().CurrentMessageTemplates());
  EXPECT_EQ(now[0].version, 3);
  EXPECT_TRUE(now[0].is_default);
  EXPECT_EQ(now[0].subject, "");
}

TEST_P(StoreTest, ADayOneRunIsWrittenWithItsMessagesOncePerDay) {
  const int64_t a = AddTestPupil("A000000000001");
  const int64_t b = AddTestPupil("A000000000002");
  DayOneRun run{
      .date = D("2026-11-25"), .run_at = 1000, .pupils = 1, .messages = 2, .unreachable = {b}};
  ASSERT_OK_AND_ASSIGN(bool first,
                       store().RecordDayOneRun(run, {DayOneMessage(a, "day_one/x/a/0", 1000),
                                                     DayOneMessage(a, "day_one/x/a/1", 1000)}));
  EXPECT_TRUE(first);
  ASSERT_OK_AND_ASSIGN(std::optional<DayOneRun> stored, store().GetDayOneRun(D("2026-11-25")));
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->run_at, 1000);
  EXPECT_EQ(stored->pupils, 1);
  EXPECT_EQ(stored->messages, 2);
  EXPECT_EQ(stored->unreachable, std::vector<int64_t>{b});
  ASSERT_OK_AND_ASSIGN(std::optional<DayOneRun> other_day, store().GetDayOneRun(D("2026-11-26")));
  EXPECT_FALSE(other_day.has_value());

  // The same day again writes nothing: neither the run nor its messages.
  run.run_at = 2000;
  ASSERT_OK_AND_ASSIGN(bool second,
                       store().RecordDayOneRun(run, {DayOneMessage(a, "day_one/x/a/2", 2000)}));
  EXPECT_FALSE(second);
  ASSERT_OK_AND_ASSIGN(std::vector<OutboxMessage> rows, store().OutboxForKindSince("day_one", 0));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].idempotency_key, "day_one/x/a/0");
  EXPECT_EQ(rows[0].pupil_id, a);
  EXPECT_EQ(rows[0].recipient, "Helen Ali (Mother)");
  EXPECT_EQ(rows[0].state, OutboxState::kQueued);
  ASSERT_OK_AND_ASSIGN(stored, store().GetDayOneRun(D("2026-11-25")));
  EXPECT_EQ(stored->run_at, 1000);

  // Since a time, and of a kind.
  ASSERT_OK_AND_ASSIGN(rows, store().OutboxForKindSince("day_one", 1001));
  EXPECT_TRUE(rows.empty());
  ASSERT_OK_AND_ASSIGN(rows, store().OutboxForKindSince("other", 0));
  EXPECT_TRUE(rows.empty());

  // A failure part-way leaves nothing behind: a message with no channel is
  // refused by the database, and the day stays unrun.
  OutboxMessage bad = DayOneMessage(a, "day_one/y/a/0", 3000);
  bad.channel = "";
  run.date = D("2026-11-26");
  EXPECT_FALSE(store().RecordDayOneRun(run, {DayOneMessage(a, "day_one/y/a/1", 3000), bad}).ok());
  ASSERT_OK_AND_ASSIGN(other_day, store().GetDayOneRun(D("2026-11-26")));
  EXPECT_FALSE(other_day.has_value());
  ASSERT_OK_AND_ASSIGN(rows, store().OutboxForKindSince("day_one", 3000));
  EXPECT_TRUE(rows.empty());
}

}  // namespace
}  // namespace rollcall::store
