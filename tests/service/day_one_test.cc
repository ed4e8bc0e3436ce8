// The day-one absence messages as service::DayOne sends them, with no web
// in between: when they go (after the time, on school days, once a day),
// to whom (contacts with parental responsibility or chosen to get them, by
// their channel), whom they skip (a parent's report covers the day, the
// office spoke to the family, the pupil is in), and their words.
#include "service/day_one.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "service/outgoing.h"
#include "service/school_fixture.h"

namespace rollcall::service {
namespace {

using rollcall::testing::D;

class DayOneTest : public SchoolFixture {
 protected:
  DayOne& day_one() { return services_->day_one(); }

  // Helen Ali, a mother with parental responsibility, a mobile and an email.
  static ContactDetails Mother(int64_t pupil) {
    return {.pupil_id = pupil,
            .name = "Helen Ali",
            .relationship = "Mother",
            .phone = "07700 900123",
            .email = "helen@example.org",
            .parental_responsibility = true,
            .emergency = true};
  }
  void AddContact(const ContactDetails& d) {
    core::StatusOr<store::Contact> c = services_->contacts().SaveContact(office_, d);
    ASSERT_TRUE(c.ok()) << c.status().message();
  }
  void MarkAm(int64_t pupil, const char* code) {
    core::StatusOr<MarkResult> r = Mark(office_, pupil, "2026-11-25", "AM", code);
    ASSERT_TRUE(r.ok()) << r.status().message();
  }
  DayOneResult Run() {
    core::StatusOr<DayOneResult> r = day_one().RunDue();
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : DayOneResult{.not_run = "error"};
  }
  // Today's day-one messages as queued.
  std::vector<Outgoing> Queued() {
    std::vector<Outgoing> out;
    core::StatusOr<std::vector<store::OutboxMessage>> rows =
        store_->OutboxForKindSince("day_one", 0);
    EXPECT_TRUE(rows.ok()) << rows.status().message();
    if (!rows.ok()) return out;
    for (const store::OutboxMessage& row : *rows) {
      std::string error;
      std::optional<Outgoing> m = FromOutbox(row, &error);
      EXPECT_TRUE(m) << error;
      if (m) {
        m->pupil_id = row.pupil_id;
        m->key = row.idempotency_key;
        out.push_back(*m);
      }
    }
    return out;
  }
  void SetMessageSettings(const std::string& public_url, int minute) {
    store::MessageSettings s;
    s.public_url = public_url;
    s.day_one_minute = minute;
    s.set_by = "test";
    ASSERT_TRUE(store_->SaveMessageSettings(s).ok());
  }
};

TEST_F(DayOneTest, SentOnlyAtTheTimeAndOnceADay) {
  AddContact(Mother(a_));
  clock_.Set(D("2026-11-25"), 9 * 60 + 30);
  MarkAm(a_, "N");
  clock_.Set(D("2026-11-25"), 9 * 60 + 59);
  EXPECT_EQ(Run().not_run, "before the time");
  EXPECT_TRUE(Queued().empty());

  clock_.Set(D("2026-11-25"), 10 * 60);
  DayOneResult first = Run();
  EXPECT_EQ(first.not_run, "");
  EXPECT_EQ(first.pupils, 1);
  EXPECT_EQ(first.messages, 1);
  std::vector<Outgoing> queued = Queued();
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].channel, "sms");  // a mobile, no preference: a text
  EXPECT_EQ(queued[0].to, "07700 900123");
  EXPECT_EQ(queued[0].recipient, "Helen Ali (Mother)");
  EXPECT_EQ(queued[0].pupil_id, a_);
  EXPECT_EQ(queued[0].key, "day_one/2026-11-25/" + std::to_string(a_) + "/0");

  // Once a day: again in this process, and in another over the same store.
  clock_.Set(D("2026-11-25"), 11 * 60);
  EXPECT_EQ(Run().not_run, "already run");
  Services other(*store_, clock_);
  ASSERT_TRUE(other.Load().ok());
  core::StatusOr<DayOneResult> again = other.day_one().RunDue();
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->not_run, "already run");
  EXPECT_EQ(Queued().size(), 1u);
  core::StatusOr<std::optional<store::DayOneRun>> run = store_->GetDayOneRun(D("2026-11-25"));
  ASSERT_TRUE(run.ok() && *run);
  EXPECT_EQ((*run)->messages, 1);
  EXPECT_EQ((*run)->run_at, D("2026-11-25").days() * int64_t{86400} + 10 * 3600);
}

TEST_F(DayOneTest, TheTimeIsTheOneInTheMessageSettings) {
  AddContact(Mother(a_));
  MarkAm(a_, "N");
  SetMessageSettings("", 10 * 60 + 30);
  EXPECT_EQ(Run().not_run, "before the time");
  clock_.Set(D("2026-11-25"), 10 * 60 + 30);
  EXPECT_EQ(Run().messages, 1);
}

TEST_F(DayOneTest, AServerBackInTheEveningDoesNotTextFamilies) {
  AddContact(Mother(a_));
  MarkAm(a_, "N");
  clock_.Set(D("2026-11-25"), 10 * 60 + kDayOneWindowMinutes + 1);
  EXPECT_EQ(Run().not_run, "too late in the day");
  EXPECT_FALSE(store_->GetDayOneRun(D("2026-11-25"))->has_value());
  clock_.Set(D("2026-11-25"), 10 * 60 + kDayOneWindowMinutes);
  EXPECT_EQ(Run().messages, 1);
}

TEST_F(DayOneTest, NothingOnADayThatIsNotASchoolDay) {
  AddContact(Mother(a_));
  clock_.Set(D("2026-11-28"), 11 * 60);  // a Saturday
  EXPECT_EQ(Run().not_run, "not a school day");
  clock_.Set(D("2026-12-21"), 11 * 60);  // the holidays
  EXPECT_EQ(Run().not_run, "not a school day");
  EXPECT_FALSE(store_->GetDayOneRun(D("2026-11-28"))->has_value());
}

TEST_F(DayOneTest, APupilMarkedPresentGetsNothing) {
  AddContact(Mother(a_));
  AddContact(Mother(b_));
  MarkAm(a_, "/");
  MarkAm(b_, "N");
  DayOneResult r = Run();
  EXPECT_EQ(r.pupils, 1);
  std::vector<Outgoing> queued = Queued();
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].pupil_id, b_);
}

TEST_F(DayOneTest, SkipsAReportedAbsenceAndAFamilyTheOfficeSpokeTo) {
  AddContact(Mother(a_));
  AddContact(Mother(b_));
  MarkAm(a_, "N");
  MarkAm(b_, "N");
  // A parent's report of an absence from yesterday to tomorrow.
  core::StatusOr<store::AbsenceReport> report =
      services_->absence_reports().Report(parent_, {a_, "2026-11-24", "2026-11-26", "Sick"});
  ASSERT_TRUE(report.ok()) << report.status().message();
  // The office rang b_'s family and spoke to them.
  ASSERT_TRUE(services_->contacts().Add(office_, {b_, "call", "spoke", "Helen Ali", ""}).ok());
  DayOneResult r = Run();
  EXPECT_EQ(r.not_run, "");
  EXPECT_EQ(r.messages, 0);
  EXPECT_TRUE(Queued().empty());
}

TEST_F(DayOneTest, ACallWithNoAnswerDoesNotStopTheMessage) {
  AddContact(Mother(a_));
  MarkAm(a_, "N");
  ASSERT_TRUE(services_->contacts().Add(office_, {a_, "call", "no_answer", "Helen Ali", ""}).ok());
  EXPECT_EQ(Run().messages, 1);
}

TEST_F(DayOneTest, AContactWithoutParentalResponsibilityOnlyWhenChosen) {
  ContactDetails gran{.pupil_id = a_,
                      .name = "Margaret Ali",
                      .relationship = "Grandparent",
                      .phone = "07700 900456",
                      .emergency = true};
  AddContact(gran);
  MarkAm(a_, "N");
  MarkAm(b_, "N");  // no contacts at all
  DayOneResult r = Run();
  EXPECT_EQ(r.messages, 0);
  EXPECT_EQ(r.unreachable, (std::vector<int64_t>{a_, b_}));
  // Today lists them for the office to call.
  core::StatusOr<DayOneToday> today = day_one().Today(office_);
  ASSERT_TRUE(today.ok()) << today.status().message();
  ASSERT_EQ(today->unreachable.size(), 2u);
  EXPECT_EQ(today->unreachable[0].first, a_);

  // The next day, chosen to get the absence messages, she does.
  gran.position = 1;
  gran.messages_without_pr = true;
  AddContact(gran);
  clock_.Set(D("2026-11-26"), 9 * 60);
  core::StatusOr<MarkResult> mark = Mark(office_, a_, "2026-11-26", "AM", "N");
  ASSERT_TRUE(mark.ok()) << mark.status().message();
  clock_.Set(D("2026-11-26"), 10 * 60);
  r = Run();
  EXPECT_EQ(r.messages, 1);
  std::vector<Outgoing> queued = Queued();
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].to, "07700 900456");
}

TEST_F(DayOneTest, EachContactIsReachedByTheChannelTheyPrefer) {
  ContactDetails mother = Mother(a_);
  mother.preferred_channel = "email";
  AddContact(mother);
  ContactDetails father{.pupil_id = a_,
                        .name = "Omar Ali",
                        .relationship = "Father",
                        .phone = "07700 900789",
                        .email = "omar@example.org",
                        .parental_responsibility = true};
  AddContact(father);
  MarkAm(a_, "N");
  EXPECT_EQ(Run().messages, 2);
  std::vector<Outgoing> queued = Queued();
  ASSERT_EQ(queued.size(), 2u);
  EXPECT_EQ(queued[0].channel, "email");
  EXPECT_EQ(queued[0].to, "helen@example.org");
  EXPECT_EQ(queued[0].subject, "Pupil is not in school today");
  EXPECT_NE(queued[0].body.find("Dear Helen Ali"), std::string::npos) << queued[0].body;
  EXPECT_EQ(queued[1].channel, "sms");
  EXPECT_EQ(queued[1].to, "07700 900789");
  EXPECT_EQ(queued[1].key, "day_one/2026-11-25/" + std::to_string(a_) + "/1");
}

TEST_F(DayOneTest, TheWordsCarryTheReportLinkAndReadWellWithout) {
  AddContact(Mother(a_));
  AddContact(Mother(b_));
  MarkAm(a_, "N");
  SetMessageSettings("https://attendance.example.org/", 10 * 60);
  ASSERT_EQ(Run().messages, 1);
  std::vector<Outgoing> queued = Queued();
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].body,
            "Test Primary: Pupil is absent today and we have not been told why. Please let us "
            "know. https://attendance.example.org/parent");

  // With no public address the text ends at its last sentence.
  clock_.Set(D("2026-11-26"), 9 * 60);
  ASSERT_TRUE(Mark(office_, b_, "2026-11-26", "AM", "N").ok());
  SetMessageSettings("", 10 * 60);
  clock_.Set(D("2026-11-26"), 10 * 60);
  ASSERT_EQ(Run().messages, 1);
  queued = Queued();
  ASSERT_EQ(queued.size(), 2u);
  EXPECT_EQ(queued[1].body,
            "Test Primary: Pupil is absent today and we have not been told why. Please let us "
            "know.");
  // The email gives the day.
  ContactDetails by_email = Mother(b_);
  by_email.position = 1;
  by_email.preferred_channel = "email";
  AddContact(by_email);
  clock_.Set(D("2026-11-27"), 9 * 60);
  ASSERT_TRUE(Mark(office_, b_, "2026-11-27", "AM", "N").ok());
  clock_.Set(D("2026-11-27"), 10 * 60);
  ASSERT_EQ(Run().messages, 1);
  queued = Queued();
  ASSERT_EQ(queued.size(), 3u);
  EXPECT_NE(queued[2].body.find("today, Friday 27 November, and"), std::string::npos)
      << queued[2].body;
  EXPECT_EQ(queued[2].body.find("{{"), std::string::npos);
}

TEST_F(DayOneTest, TheHeadsWordsAreSent) {
  AddContact(Mother(a_));
  MarkAm(a_, "N");
  ASSERT_TRUE(services_->templates()
                  .Save(head_, "day_one", "Absence", "{{salutation}}, where is {{pupil_name}}?",
                        "{{pupil_first_name}} is not in today ({{date}}).")
                  .ok());
  ASSERT_EQ(Run().messages, 1);
  EXPECT_EQ(Queued().at(0).body, "Pupil is not in today (Wednesday 25 November).");
}

TEST_F(DayOneTest, TodayShowsWhatWasSentToEachFamily) {
  AddContact(Mother(a_));
  MarkAm(a_, "N");
  core::StatusOr<DayOneToday> before = day_one().Today(office_);
  ASSERT_TRUE(before.ok()) << before.status().message();
  EXPECT_TRUE(before->school_day);
  EXPECT_FALSE(before->run);
  EXPECT_EQ(before->minute, 10 * 60);
  ASSERT_EQ(Run().messages, 1);
  core::StatusOr<DayOneToday> after = day_one().Today(office_);
  ASSERT_TRUE(after.ok());
  ASSERT_TRUE(after->run);
  EXPECT_EQ(after->run->pupils, 1);
  ASSERT_EQ(after->sent[a_].size(), 1u);
  EXPECT_EQ(after->sent[a_][0], "Texted 10:00 to Helen Ali (Mother): queued");
  // The office's page: not for teachers or parents.
  EXPECT_EQ(day_one().Today(teacher_).status().kind(), core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(day_one().Today(parent_).status().kind(), core::ErrorKind::kPermissionDenied);
}

}  // namespace
}  // namespace rollcall::service
