// Letters through the service: who qualifies for a template, the figures a
// letter quotes (from the rules core, as the registers stand now), storage
// as one batch with the contact log, who may read what was sent, and the
// refusals of a bad request.
#include "service/letters.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/error_codes.h"
#include "service/outgoing.h"
#include "service/school_fixture.h"
#include "service/words.h"
#include "store/store.h"

namespace rollcall::service {
namespace {

using rollcall::testing::D;

class LettersTest : public SchoolFixture {
 protected:
  // Pupil a_ was ill on Monday morning and in school since; b_ has no
  // marks yet, so no possible sessions.
  LettersTest() {
    EXPECT_TRUE(Mark(office_, a_, "2026-11-23", "AM", "I").ok());
    EXPECT_TRUE(Mark(office_, a_, "2026-11-23", "PM", "\\").ok());
    EXPECT_TRUE(Mark(office_, a_, "2026-11-24", "AM", "/").ok());
    EXPECT_TRUE(Mark(office_, a_, "2026-11-24", "PM", "\\").ok());
  }
  Letters& letters() { return services_->letters(); }
};

TEST_F(LettersTest, TermlyLettersQuoteEachPupilsFiguresAndAreKeptAsSent) {
  core::StatusOr<std::vector<LetterDraft>> drafts =
      letters().Draft(office_, {"termly_rag", "school", ""});
  ASSERT_TRUE(drafts.ok()) << drafts.status().message();
  ASSERT_EQ(drafts->size(), 1u);  // b_ has no possible session yet
  EXPECT_EQ((*drafts)[0].pupil_name, "Pupil A");
  const store::Letter& draft = (*drafts)[0].letter;
  EXPECT_EQ(draft.pupil_id, a_);
  EXPECT_EQ(draft.addressee, "Parent or carer of Pupil A");
  EXPECT_EQ(draft.by_user_id, office_.user_id);
  nlohmann::json figures = nlohmann::json::parse(draft.figures_json);
  EXPECT_EQ(figures["attendance_pct"], "75.0");
  EXPECT_EQ(figures["possible"], 4);
  EXPECT_NE(draft.body.find("missed 1 of 4 possible sessions"), std::string::npos) << draft.body;
  EXPECT_TRUE(store_->LettersForPupil(a_)->empty());  // a draft is not stored

  // A mark since counts at once: the evaluation is not kept past a write.
  ASSERT_TRUE(Mark(office_, a_, "2026-11-25", "AM", "/").ok());
  core::StatusOr<std::vector<store::Letter>> sent =
      letters().Send(office_, {"termly_rag", "school", ""});
  ASSERT_TRUE(sent.ok()) << sent.status().message();
  ASSERT_EQ(sent->size(), 1u);
  const store::Letter& letter = sent->front();
  EXPECT_GT(letter.id, 0);
  EXPECT_EQ(letter.batch, letter.id);
  figures = nlohmann::json::parse(letter.figures_json);
  EXPECT_EQ(figures["attendance_pct"], "80.0");
  // Stored as sent, and in the pupil's contact log.
  EXPECT_EQ(store_->GetLetter(letter.id)->body, letter.body);
  const std::vector<store::ContactLogEntry> log = *store_->ContactLogForPupil(a_);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].method, store::ContactMethod::kLetter);

  // Who may read it: those who may read the pupil's contact log.
  const std::string id = std::to_string(letter.id);
  EXPECT_TRUE(letters().Get(teacher_, id).ok());
  EXPECT_EQ(letters().Get(parent_, id).status().kind(), core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(letters().Get(office_, "999").status().code(), core::kErrLetterUnknown);
  EXPECT_EQ(letters().Get(office_, "x").status().code(), core::kErrLetterUnknown);
  core::StatusOr<PupilLetters> pupil = letters().ForPupil(teacher_, a_);
  ASSERT_TRUE(pupil.ok());
  EXPECT_EQ(pupil->letters.size(), 1u);
  EXPECT_FALSE(pupil->may_send);
  EXPECT_TRUE(letters().ForPupil(office_, a_)->may_send);
  EXPECT_EQ(letters().ForPupil(teacher_, b_).status().kind(), core::ErrorKind::kPermissionDenied);
  // Batches: for those who send letters.
  const std::string batch = std::to_string(letter.batch);
  EXPECT_EQ(letters().Batch(office_, batch)->size(), 1u);
  EXPECT_EQ(letters().Batch(teacher_, batch).status().kind(), core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(letters().Batch(office_, "999").status().code(), core::kErrLetterUnknown);
  ASSERT_EQ(letters().RecentBatches(head_)->size(), 1u);
  EXPECT_EQ(letters().RecentBatches(teacher_).status().kind(), core::ErrorKind::kPermissionDenied);
}

TEST_F(LettersTest, BadRequestsAreRefusedAndNothingIsSent) {
  EXPECT_EQ(letters().Send(teacher_, {"termly_rag", "school", ""}).status().kind(),
            core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(letters().Send(office_, {"love_letter", "school", ""}).status().code(),
            core::kErrValueInvalid);
  EXPECT_EQ(letters().Send(office_, {"leave_granted", "school", ""}).status().code(),
            core::kErrValueInvalid);  // sent with the head's decision
  EXPECT_EQ(letters().Send(office_, {"panel_invitation", "school", ""}).status().code(),
            core::kErrRequiredKey);  // when and where
  EXPECT_EQ(letters()
                .Send(office_, {"panel_invitation", "school", std::string(301, 'x')})
                .status()
                .code(),
            core::kErrValueInvalid);
  EXPECT_EQ(letters().Send(office_, {"termly_rag", "everyone", ""}).status().code(),
            core::kErrValueInvalid);
  EXPECT_EQ(letters().Send(office_, {"termly_rag", "band-purple", ""}).status().code(),
            core::kErrValueInvalid);
  EXPECT_EQ(letters().Send(office_, {"termly_rag", "pupil-999", ""}).status().code(),
            core::kErrPupilUnknown);
  core::Status none =
      letters().Send(office_, {"certificate", "pupil-" + std::to_string(b_), ""}).status();
  EXPECT_EQ(none.code(), core::kErrNoLetters);
  EXPECT_NE(none.message().find("has not attended every session"), std::string::npos)
      << none.message();
  EXPECT_TRUE(store_->RecentBatches(10)->empty());
  // A class with no pupil who qualifies.
  EXPECT_EQ(letters()
                .Send(office_, {"termly_rag", "class-" + std::to_string(class_4b_), ""})
                .status()
                .code(),
            core::kErrNoLetters);
}

TEST_F(LettersTest, TheGroupsAreTheSchoolsYearsClassesAndBands) {
  core::StatusOr<std::vector<LetterGroup>> groups = letters().Groups(office_);
  ASSERT_TRUE(groups.ok());
  std::vector<std::string> values;
  for (const LetterGroup& g : *groups) values.push_back(g.value);
  ASSERT_GE(values.size(), 5u);
  EXPECT_EQ(values[0], "school");
  EXPECT_EQ(values[1], "year-3");
  EXPECT_EQ(values[2], "year-4");
  EXPECT_EQ(values[3], "class-" + std::to_string(class_3a_));
  EXPECT_EQ(values[4], "class-" + std::to_string(class_4b_));
  EXPECT_EQ(values.back().rfind("band-", 0), 0u);
  EXPECT_EQ(letters().Groups(teacher_).status().kind(), core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(LongDate(D("2026-12-02")), "2 December 2026");
}

// Letters once went to the first contact whoever they were,
// as "Dear Helen Ali,", with no address, saying the year began on 1 August.
// They go to the first contact with parental responsibility, greeted as the
// contact record says, with the address block, from the first day of term.
TEST_F(LettersTest, ALetterGoesToAParentWithTheirSalutationAndAddress) {
  store::Pupil p = *store_->GetPupil(a_);
  p.contacts = {{1, "Margaret Ali", "Grandparent", "", "", std::nullopt, false, "Dear Mrs Ali",
                 "1 Elm Road\nHinckley", "LE10 3CD"},
                {2, "Helen Ali", "Mother", "", "", std::nullopt, true, "Dear Mrs Ali",
                 "12 Mill Lane\nBurbage\nHinckley", "LE10 2AB"}};
  ASSERT_TRUE(store_->UpdatePupil(p).ok());
  ASSERT_TRUE(services_->Load().ok());
  core::StatusOr<std::vector<LetterDraft>> drafts =
      letters().Draft(office_, {"attendance_concern", "pupil-" + std::to_string(a_), ""});
  ASSERT_TRUE(drafts.ok()) << drafts.status().message();
  ASSERT_EQ(drafts->size(), 1u);
  const store::Letter& l = drafts->front().letter;
  EXPECT_EQ(l.addressee, "Helen Ali");
  EXPECT_EQ(l.address, "Helen Ali\n12 Mill Lane\nBurbage\nHinckley\nLE10 2AB");
  EXPECT_EQ(l.body.substr(0, l.body.find('\n')), "Dear Mrs Ali,");
  EXPECT_EQ(l.body.find("1 August"), std::string::npos) << l.body;
  const std::string period = "since the start of the school year (2 September 2026)";
  const size_t first = l.body.find(period);
  ASSERT_NE(first, std::string::npos) << l.body;
  EXPECT_EQ(l.body.find(period, first + 1), std::string::npos) << l.body;

  // With no contact recorded as a parent, the letter says so rather than
  // going to the grandparent.
  p.contacts[1].parental_responsibility = false;
  ASSERT_TRUE(store_->UpdatePupil(p).ok());
  ASSERT_TRUE(services_->Load().ok());
  drafts = letters().Draft(office_, {"attendance_concern", "pupil-" + std::to_string(a_), ""});
  ASSERT_TRUE(drafts.ok()) << drafts.status().message();
  EXPECT_EQ(drafts->front().letter.addressee, "Parent or carer of Pupil A");
  EXPECT_EQ(drafts->front().letter.address, "");
}

// A contact of pupil a_: a parent unless said otherwise.
store::Contact ContactOf(int priority, const std::string& name, const std::string& relationship,
                         const std::string& phone, const std::string& email, bool pr = true) {
  store::Contact c;
  c.priority = priority;
  c.name = name;
  c.relationship = relationship;
  c.phone = phone;
  c.email = email;
  c.parental_responsibility = pr;
  return c;
}

class LettersByEmailTest : public LettersTest {
 protected:
  // The mother takes email (no mobile); the father has a mobile, so his
  // messages are texts and his letter is printed; the grandmother has no
  // parental responsibility and gets no letter.
  LettersByEmailTest() {
    store::Pupil p = *store_->GetPupil(a_);
    p.contacts = {ContactOf(1, "Helen Ali", "Mother", "01455 123456", "helen@home.example"),
                  ContactOf(2, "Omar Ali", "Father", "07700 900123", "omar@home.example"),
                  ContactOf(3, "Margaret Ali", "Grandparent", "", "gran@home.example", false)};
    EXPECT_TRUE(store_->UpdatePupil(p).ok());
    EXPECT_TRUE(services_->Load().ok());
  }
  LetterRequest Termly(bool email) {
    return {"termly_rag", "pupil-" + std::to_string(a_), "", email};
  }
};

TEST_F(LettersByEmailTest, ALetterGoesAsAPdfToEachContactWhoTakesEmail) {
  core::StatusOr<std::vector<store::Letter>> sent = letters().Send(office_, Termly(true));
  ASSERT_TRUE(sent.ok()) << sent.status().message();
  ASSERT_EQ(sent->size(), 1u);
  const store::Letter& l = sent->front();
  const std::vector<store::OutboxMessage> rows =
      *store_->OutboxWithKeyPrefix("letter/" + std::to_string(l.id) + "/");
  ASSERT_EQ(rows.size(), 1u);  // the mother only
  const store::OutboxMessage& row = rows[0];
  EXPECT_EQ(row.idempotency_key, "letter/" + std::to_string(l.id) + "/0");
  EXPECT_EQ(row.channel, "email");
  EXPECT_EQ(row.event_kind, "letter");
  EXPECT_EQ(row.destination, "helen@home.example");
  EXPECT_EQ(row.recipient, "Helen Ali (Mother)");
  EXPECT_EQ(row.pupil_id, a_);
  std::string error;
  const std::optional<Outgoing> m = FromOutbox(row, &error);
  ASSERT_TRUE(m.has_value()) << error;
  EXPECT_EQ(m->subject, l.subject);
  EXPECT_NE(m->body.find("Please find attached"), std::string::npos) << m->body;
  ASSERT_EQ(m->attachments.size(), 1u);
  EXPECT_EQ(m->attachments[0].content_type, "application/pdf");
  EXPECT_EQ(m->attachments[0].filename, "termly_rag-2026-11-25.pdf");
  EXPECT_EQ(m->attachments[0].bytes.substr(0, 5), "%PDF-");

  // Its proof of service is the email; it was not printed, so it cannot be
  // recorded as posted.
  const LetterService service = *letters().Service(office_, l);
  ASSERT_EQ(service.proof.size(), 1u);
  EXPECT_EQ(service.proof[0],
            "Emailed to Helen Ali (Mother) <helen@home.example> on 25 November 2026, not yet "
            "delivered");
  EXPECT_EQ(letters().MarkPosted(office_, std::to_string(l.batch), "2026-11-25").status().code(),
            core::kErrNoLetters);
}

TEST_F(LettersByEmailTest, WithoutEmailTheLetterIsPrintedAndItsPostingDateSetOnce) {
  core::StatusOr<std::vector<store::Letter>> sent = letters().Send(office_, Termly(false));
  ASSERT_TRUE(sent.ok()) << sent.status().message();
  const store::Letter& l = sent->front();
  EXPECT_TRUE(store_->OutboxWithKeyPrefix("letter/")->empty());
  EXPECT_EQ(letters().Service(office_, l)->proof,
            std::vector<std::string>{"Printed; not yet recorded as posted"});
  const std::string batch = std::to_string(l.batch);
  EXPECT_EQ(letters().MarkPosted(office_, batch, "2026-11-26").status().code(),
            core::kErrDateInvalid);  // tomorrow
  EXPECT_EQ(letters().MarkPosted(office_, batch, "2026-11-24").status().code(),
            core::kErrDateInvalid);  // before the letter was made
  EXPECT_EQ(letters().MarkPosted(teacher_, batch, "2026-11-25").status().kind(),
            core::ErrorKind::kPermissionDenied);
  core::StatusOr<int> posted = letters().MarkPosted(office_, batch, "2026-11-25");
  ASSERT_TRUE(posted.ok()) << posted.status().message();
  EXPECT_EQ(*posted, 1);
  const store::Letter stored = *store_->GetLetter(l.id);
  EXPECT_EQ(stored.posted_on, D("2026-11-25"));
  EXPECT_EQ(stored.posted_by, office_.name);
  EXPECT_EQ(stored.posted_at, clock_.NowSeconds());
  EXPECT_EQ(
      letters().Service(office_, stored)->proof,
      std::vector<std::string>{"Posted on 25 November 2026 (recorded by " + office_.name + ")"});
  // Set once: the batch has nothing left to post, and the store refuses a
  // second date for the letter.
  EXPECT_EQ(letters().MarkPosted(office_, batch, "2026-11-25").status().code(),
            core::kErrNoLetters);
  EXPECT_EQ(store_->RecordLettersPosted({l.id}, D("2026-11-25"), 0, office_.user_id, "x").code(),
            core::kErrLetterPosted);
}

TEST_F(LettersByEmailTest, TheLettersAndTheirEmailsAreWrittenTogetherOrNotAtAll) {
  core::StatusOr<std::vector<LetterDraft>> drafts = letters().Draft(office_, Termly(true));
  ASSERT_TRUE(drafts.ok());
  store::Letter good = drafts->front().letter;
  store::Letter bad = good;
  bad.pupil_id = 999;  // no such pupil: the second letter fails
  store::OutboxMessage email;
  email.channel = "email";
  email.idempotency_key = "0";
  email.event_kind = "letter";
  email.destination = "helen@home.example";
  email.payload = "{}";
  EXPECT_EQ(store_->AddLettersWithEmails({good, bad}, {{email}, {}}).status().code(),
            core::kErrPupilUnknown);
  EXPECT_TRUE(store_->LettersForPupil(a_)->empty());
  EXPECT_TRUE(store_->OutboxWithKeyPrefix("letter/")->empty());
  EXPECT_EQ(store_->AddLettersWithEmails({good}, {{email}, {}}).status().code(),
            core::kErrValueInvalid);  // two lists of emails for one letter
}

}  // namespace
}  // namespace rollcall::service
