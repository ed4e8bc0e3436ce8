// The contact log, parents' messages and absence reports as
// service::Contacts and service::AbsenceReports do them, with no web in
// between: entries with who and when, a call that becomes an absence report,
// confirming a report onto the register, and the refusals.
#include "service/contacts.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "core/error_codes.h"
#include "service/absence_reports.h"
#include "service/dashboards.h"
#include "service/school_fixture.h"

namespace rollcall::service {
namespace {

using rollcall::testing::D;

class ContactsServiceTest : public SchoolFixture {
 protected:
  Contacts& contacts() { return services_->contacts(); }
  AbsenceReports& reports() { return services_->absence_reports(); }

  // The open reports as the office sees them.
  std::vector<AbsenceReportView> OpenReports() {
    core::StatusOr<std::vector<AbsenceReportView>> open = reports().List(office_, true);
    EXPECT_TRUE(open.ok()) << open.status().message();
    return open.ok() ? *open : std::vector<AbsenceReportView>{};
  }
};

TEST_F(ContactsServiceTest, AContactIsLoggedWithWhoAndWhenAndReadNewestFirst) {
  core::StatusOr<store::ContactLogEntry> first =
      contacts().Add(office_, {a_, "call", "no_answer", "Mum (Mother)", ""});
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_GT(first->id, 0);
  EXPECT_EQ(first->at, clock_.NowSeconds());
  EXPECT_EQ(first->by_name, "Ms Office");
  clock_.AdvanceSeconds(300);
  // A letter has one outcome, so it may be left out.
  core::StatusOr<store::ContactLogEntry> letter = contacts().Add(head_, {a_, "letter", "", "", ""});
  ASSERT_TRUE(letter.ok()) << letter.status().message();
  EXPECT_EQ(letter->outcome, store::ContactOutcome::kSent);

  core::StatusOr<ContactLogView> log = contacts().Log(teacher_, a_);
  ASSERT_TRUE(log.ok()) << log.status().message();
  EXPECT_FALSE(log->may_record);  // teachers read the log of their class
  ASSERT_EQ(log->entries.size(), 2u);
  EXPECT_EQ(log->entries[0].method, store::ContactMethod::kLetter);
  EXPECT_EQ(log->entries[0].by_role, store::Role::kHead);
  EXPECT_EQ(log->entries[1].contact_name, "Mum (Mother)");
  EXPECT_EQ(log->entries[1].outcome, store::ContactOutcome::kNoAnswer);
  EXPECT_TRUE(contacts().Log(office_, a_)->may_record);
}

TEST_F(ContactsServiceTest, TodaysCallsAreThoseSinceMidnight) {
  ASSERT_TRUE(contacts().Add(office_, {a_, "call", "no_answer", "", ""}).ok());
  core::StatusOr<std::vector<store::ContactLogEntry>> today = contacts().LoggedToday(office_);
  ASSERT_TRUE(today.ok()) << today.status().message();
  ASSERT_EQ(today->size(), 1u);
  EXPECT_EQ(today->front().pupil_id, a_);
  EXPECT_TRUE(contacts().LoggedToday(parent_)->empty());  // parents do not read the log
  clock_.Set(D("2026-11-26"), 8 * 60);
  EXPECT_TRUE(contacts().LoggedToday(office_)->empty());
}

TEST_F(ContactsServiceTest, BadContactsAndOtherRolesAreRefusedAndNothingIsWritten) {
  struct Bad {
    ContactRequest request;
    const char* code;
  };
  const std::vector<Bad> bad = {
      {{a_, "fax", "", "", ""}, core::kErrValueInvalid},
      {{a_, "call", "", "", ""}, core::kErrContactOutcome},
      {{a_, "letter", "spoke", "", ""}, core::kErrContactOutcome},  // the store's check
      {{a_, "message", "", "", ""}, core::kErrValueInvalid},        // no text
      {{a_, "call", "spoke", std::string(201, 'x'), ""}, core::kErrValueInvalid},
      {{a_, "call", "spoke", "", std::string(2001, 'x')}, core::kErrValueInvalid},
      {{a_ + b_ + 99, "call", "spoke", "", ""}, core::kErrPupilUnknown},
  };
  for (const Bad& b : bad) {
    EXPECT_EQ(contacts().Add(office_, b.request).status().code(), b.code)
        << b.request.method << " " << b.request.outcome;
  }
  EXPECT_EQ(contacts().Add(teacher_, {a_, "call", "spoke", "", ""}).status().code(),
            core::kErrForbidden);
  EXPECT_EQ(contacts().Add(parent_, {a_, "message", "", "", "hello"}).status().code(),
            core::kErrForbidden);
  EXPECT_EQ(contacts().Log(parent_, a_).status().code(), core::kErrForbidden);
  EXPECT_EQ(contacts().Log(teacher_, b_).status().code(), core::kErrForbidden);
  EXPECT_TRUE(contacts().Log(office_, a_)->entries.empty());
}

TEST_F(ContactsServiceTest, ParentsReadTheSchoolsMessagesAndTheirReportsNotCalls) {
  ASSERT_TRUE(contacts().Add(office_, {a_, "message", "", "", "Please call the office"}).ok());
  ASSERT_TRUE(contacts().Add(office_, {a_, "call", "spoke", "", "internal note"}).ok());
  clock_.AdvanceSeconds(60);
  core::StatusOr<store::AbsenceReport> report =
      reports().Report(parent_, {.pupil_id = a_, .from = "2026-11-26", .reason = "Dentist"});
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->to, D("2026-11-26"));  // one day, when `to` is not given
  core::StatusOr<std::vector<FamilyMessage>> messages = contacts().Messages(parent_, a_);
  ASSERT_TRUE(messages.ok()) << messages.status().message();
  ASSERT_EQ(messages->size(), 2u);
  EXPECT_EQ((*messages)[0].from, "family");
  EXPECT_EQ((*messages)[0].text, "Absence 26 November 2026: Dentist");
  EXPECT_EQ((*messages)[0].by, "Mrs A Parent");
  EXPECT_EQ((*messages)[1].from, "school");
  EXPECT_EQ((*messages)[1].text, "Please call the office");
  // The office's reply follows the report.
  clock_.AdvanceSeconds(60);
  ASSERT_TRUE(reports().Resolve(office_, {std::to_string(report->id), "Coded M"}).ok());
  messages = contacts().Messages(parent_, a_);
  ASSERT_TRUE(messages.ok());
  ASSERT_EQ(messages->size(), 3u);
  EXPECT_EQ((*messages)[0].text, "About the absence 26 November 2026: Coded M");
  EXPECT_EQ(contacts().Messages(parent_, b_).status().code(), core::kErrForbidden);
}

TEST_F(ContactsServiceTest, AReasonGivenOnThePhoneBecomesAReportToConfirm) {
  // A reason comes from speaking to the family.
  EXPECT_EQ(contacts()
                .LogCall(office_, {.pupil_id = a_, .outcome = "no_answer", .reason = "Chickenpox"})
                .status()
                .code(),
            core::kErrValueInvalid);
  EXPECT_EQ(
      contacts()
          .LogCall(
              office_,
              {.pupil_id = a_, .outcome = "spoke", .reason = "Chickenpox", .until = "2026-11-20"})
          .status()
          .code(),
      core::kErrValueInvalid);  // off until a day before today
  EXPECT_TRUE(OpenReports().empty());
  EXPECT_TRUE(contacts().Log(office_, a_)->entries.empty());

  core::StatusOr<store::ContactLogEntry> call =
      contacts().LogCall(office_, {.pupil_id = a_,
                                   .outcome = "spoke",
                                   .contact = "Mum (Mother)",
                                   .reason = "Chickenpox fever",
                                   .until = "2026-11-26"});
  ASSERT_TRUE(call.ok()) << call.status().message();
  EXPECT_EQ(call->method, store::ContactMethod::kCall);
  EXPECT_EQ(call->note, "Reason given: Chickenpox fever");
  const std::vector<AbsenceReportView> open = OpenReports();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].r.from, D("2026-11-25"));
  EXPECT_EQ(open[0].r.to, D("2026-11-26"));
  EXPECT_EQ(open[0].r.reported_by_name, "Ms Office");
  EXPECT_EQ(open[0].pupil_name, "Pupil A");
  EXPECT_EQ(SuggestedCode(open[0].r.reason), core::AttendanceCode::kIllness);
  // Without a reason a call is a plain entry, with its note as given.
  call = contacts().LogCall(office_, {.pupil_id = a_, .outcome = "no_answer", .note = "voicemail"});
  ASSERT_TRUE(call.ok()) << call.status().message();
  EXPECT_EQ(call->note, "voicemail");
  EXPECT_EQ(OpenReports().size(), 1u);
}

TEST_F(ContactsServiceTest, TheReasonSuggestsACode) {
  EXPECT_EQ(SuggestedCode("Hospital appointment for her cough"), core::AttendanceCode::kMedical);
  EXPECT_EQ(SuggestedCode("He is poorly"), core::AttendanceCode::kIllness);
  EXPECT_EQ(SuggestedCode("Eid al-Fitr"), core::AttendanceCode::kReligious);
  EXPECT_FALSE(SuggestedCode("She will be at a wedding"));  // "will" is not "ill"
}

TEST_F(ContactsServiceTest, ParentsReportForTheirOwnChildrenWithinLimits) {
  EXPECT_EQ(reports()
                .Report(parent_, {.pupil_id = b_, .from = "2026-11-26", .reason = "Dentist"})
                .status()
                .code(),
            core::kErrForbidden);
  struct Bad {
    AbsenceReportRequest request;
    const char* code;
  };
  const std::vector<Bad> bad = {
      {{.from = "2026-11-27", .to = "2026-11-26", .reason = "x"}, core::kErrValueInvalid},
      {{.from = "2026-10-01", .reason = "x"}, core::kErrValueInvalid},  // too long ago
      {{.from = "2026-11-26", .to = "2027-02-01", .reason = "x"}, core::kErrValueInvalid},
      {{.from = "2026-11-26", .reason = ""}, core::kErrValueInvalid},
      {{.from = "2026-11-31", .reason = "x"}, core::kErrDateInvalid},
      {{.from = "", .reason = "x"}, core::kErrDateInvalid},
  };
  for (const Bad& b : bad) {
    AbsenceReportRequest request = b.request;
    request.pupil_id = a_;
    EXPECT_EQ(reports().Report(parent_, request).status().code(), b.code)
        << request.from << " " << request.to;
  }
  EXPECT_TRUE(OpenReports().empty());
  // Each reader sees the reports of the pupils they may see.
  ASSERT_TRUE(
      reports().Report(parent_, {.pupil_id = a_, .from = "2026-11-26", .reason = "x"}).ok());
  ASSERT_TRUE(
      reports().Report(office_, {.pupil_id = b_, .from = "2026-11-26", .reason = "y"}).ok());
  EXPECT_EQ(reports().List(office_, false)->size(), 2u);
  core::StatusOr<std::vector<AbsenceReportView>> mine = reports().List(parent_, false);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().r.pupil_id, a_);
  ASSERT_EQ(reports().List(teacher_, false)->size(), 1u);
}

TEST_F(ContactsServiceTest, AReportIsResolvedOnceByTheOffice) {
  core::StatusOr<store::AbsenceReport> report =
      reports().Report(parent_, {.pupil_id = a_, .from = "2026-11-26", .reason = "Dentist"});
  ASSERT_TRUE(report.ok()) << report.status().message();
  const std::string id = std::to_string(report->id);
  EXPECT_EQ(reports().Resolve(teacher_, {id, "Coded M"}).status().code(), core::kErrForbidden);
  EXPECT_EQ(reports().Resolve(parent_, {id, "Coded M"}).status().code(), core::kErrForbidden);
  EXPECT_EQ(reports().Resolve(office_, {"abc", "Coded M"}).status().code(),
            core::kErrReportUnknown);
  EXPECT_EQ(reports().Resolve(office_, {"999", "Coded M"}).status().code(),
            core::kErrReportUnknown);
  EXPECT_EQ(reports().Resolve(office_, {id, ""}).status().code(), core::kErrValueInvalid);
  EXPECT_EQ(OpenReports().size(), 1u);
  core::StatusOr<int64_t> resolved = reports().Resolve(office_, {id, "Coded M"});
  ASSERT_TRUE(resolved.ok()) << resolved.status().message();
  EXPECT_EQ(*resolved, report->id);
  EXPECT_TRUE(OpenReports().empty());
  const std::vector<AbsenceReportView> all = *reports().List(office_, false);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].r.resolution, "Coded M");
  EXPECT_EQ(reports().Resolve(office_, {id, "again"}).status().code(), core::kErrReportResolved);
}

TEST_F(ContactsServiceTest, ConfirmingCodesTheReportsSessionsAndResolvesIt) {
  // Wednesday morning's register has a_ as N; the parent then says why.
  ASSERT_TRUE(Mark(office_, a_, "2026-11-25", "AM", "N").ok());
  core::StatusOr<store::AbsenceReport> report = reports().Report(
      parent_, {.pupil_id = a_, .from = "2026-11-25", .reason = "Unwell with a fever"});
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(reports().Confirm(teacher_, {report->id, "I"}).status().code(), core::kErrForbidden);
  EXPECT_EQ(reports().Confirm(office_, {report->id, "ZZ"}).status().code(), core::kErrCodeUnknown);
  EXPECT_EQ(reports().Confirm(office_, {report->id + 99, "I"}).status().code(),
            core::kErrReportUnknown);
  // 10:00: the morning is coded; the afternoon is still to come.
  core::StatusOr<ReportConfirmation> done = reports().Confirm(office_, {report->id, "I"});
  ASSERT_TRUE(done.ok()) << done.status().message();
  ASSERT_EQ(done->coded.size(), 1u);
  EXPECT_EQ(done->coded[0].session, core::Session::kAm);
  EXPECT_FALSE(done->resolved);
  {
    auto lock = services_->school().Read();
    const size_t index = services_->school().snapshot().pupil_index.at(a_);
    const SlotMark m = services_->school().MarkAt(index, {D("2026-11-25"), core::Session::kAm});
    ASSERT_TRUE(m.code);
    EXPECT_EQ(*m.code, core::AttendanceCode::kIllness);
  }
  const std::vector<store::Amendment> trail = *store_->AmendmentsForPupil(a_);
  ASSERT_EQ(trail.size(), 2u);
  EXPECT_EQ(trail[1].reason, "Parent reported: Unwell with a fever");
  EXPECT_EQ(OpenReports().size(), 1u);
  // 14:00: the afternoon too, and the report is resolved saying so.
  clock_.Set(D("2026-11-25"), 14 * 60);
  done = reports().Confirm(office_, {report->id, "I"});
  ASSERT_TRUE(done.ok()) << done.status().message();
  ASSERT_EQ(done->coded.size(), 1u);
  EXPECT_EQ(done->coded[0].session, core::Session::kPm);
  EXPECT_TRUE(done->resolved);
  EXPECT_TRUE(OpenReports().empty());
  const std::vector<AbsenceReportView> all = *reports().List(office_, false);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].r.resolution, "Recorded as I (illness): Wed 25 November 2026 PM");
  EXPECT_EQ(reports().Confirm(office_, {report->id, "I"}).status().code(),
            core::kErrReportUnknown);  // no longer open
}

// The school records who has parental
// responsibility, how letters greet each contact and where they go; the
// office and the head change a contact or add one, each field checked.
TEST_F(ContactsServiceTest, TheOfficeRecordsParentalResponsibilitySalutationAndAddress) {
  core::StatusOr<store::Contact> added =
      contacts().SaveContact(office_, {.pupil_id = a_,
                                       .name = "Helen Ali",
                                       .relationship = "Mother",
                                       .phone = "07700 900123",
                                       .email = "helen@example.org",
                                       .parental_responsibility = true,
                                       .salutation = "Dear Mrs Ali",
                                       .address = "12 Mill Lane \r\n\nBurbage",
                                       .postcode = "le10  2ab"});
  ASSERT_TRUE(added.ok()) << added.status().message();
  EXPECT_EQ(added->priority, 1);
  EXPECT_EQ(added->address, "12 Mill Lane\nBurbage");
  EXPECT_EQ(added->postcode, "LE10 2AB");
  ASSERT_TRUE(
      contacts()
          .SaveContact(head_,
                       {.pupil_id = a_, .name = "Margaret Ali", .relationship = "Grandparent"})
          .ok());
  // Stored, and in the snapshot the pages and the penalty cases read.
  store::Pupil stored = *store_->GetPupil(a_);
  ASSERT_EQ(stored.contacts.size(), 2u);
  EXPECT_TRUE(stored.contacts[0].parental_responsibility);
  EXPECT_EQ(stored.contacts[0].salutation, "Dear Mrs Ali");
  EXPECT_FALSE(stored.contacts[1].parental_responsibility);
  EXPECT_EQ(stored.contacts[1].priority, 2);
  EXPECT_EQ(services_->pupils().Overview(office_, a_, D("2026-11-25"))->pupil.contacts.size(), 2u);

  // Changing the second keeps its place.
  core::StatusOr<store::Contact> changed =
      contacts().SaveContact(office_, {.pupil_id = a_,
                                       .position = 2,
                                       .name = "Margaret Ali",
                                       .relationship = "Special guardian",
                                       .parental_responsibility = true});
  ASSERT_TRUE(changed.ok()) << changed.status().message();
  EXPECT_EQ(changed->priority, 2);
  EXPECT_TRUE(store_->GetPupil(a_)->contacts[1].parental_responsibility);

  // Each field checked, naming it.
  const auto refused = [&](ContactDetails d) {
    d.pupil_id = a_;
    if (d.name.empty()) d.name = "X";
    if (d.relationship.empty()) d.relationship = "Mother";
    return contacts().SaveContact(office_, d).status();
  };
  EXPECT_EQ(refused({.postcode = "12345"}).message(),
            "'12345' is not a UK postcode, such as LE10 2AB");
  EXPECT_EQ(refused({.salutation = "Hello Mrs Ali"}).message(),
            "a salutation starts with 'Dear', e.g. 'Dear Mrs Ali'");
  EXPECT_EQ(refused({.email = "helen.example.org"}).code(), core::kErrValueInvalid);
  EXPECT_EQ(refused({.position = 3}).message(), "the pupil has no contact 3: there are 2");
  EXPECT_EQ(refused({.name = std::string(201, 'x')}).message(),
            "'name' is longer than 200 characters");
  EXPECT_EQ(contacts().SaveContact(office_, {.pupil_id = a_, .name = "X"}).status().code(),
            core::kErrValueInvalid);  // no relationship
  // Only the office and the head.
  for (const Principal& who : {teacher_, parent_, la_}) {
    EXPECT_EQ(contacts()
                  .SaveContact(who, {.pupil_id = a_, .name = "X", .relationship = "Mother"})
                  .status()
                  .kind(),
              core::ErrorKind::kPermissionDenied);
    EXPECT_FALSE(contacts().MayEditContacts(who, a_));
  }
  EXPECT_TRUE(contacts().MayEditContacts(office_, a_));
  EXPECT_EQ(store_->GetPupil(a_)->contacts.size(), 2u);
}

// A contact of the office's, saved as `who` for `pupil`; the test stops on a refusal.
class ContactDetailsTest : public ContactsServiceTest {
 protected:
  store::Contact Save(int64_t pupil, ContactDetails d, const Principal* who = nullptr) {
    d.pupil_id = pupil;
    core::StatusOr<store::Contact> c = contacts().SaveContact(who ? *who : office_, d);
    EXPECT_TRUE(c.ok()) << c.status().message();
    return c.ok() ? *c : store::Contact{};
  }
  // Helen Ali, a mother with parental responsibility, to call in an emergency.
  static ContactDetails Mother() {
    return {.name = "Helen Ali",
            .relationship = "Mother",
            .phone = "07700 900123",
            .email = "helen@example.org",
            .parental_responsibility = true,
            .emergency = true};
  }
  ContactChecks Checks(int64_t pupil) {
    core::StatusOr<ContactsView> v = contacts().View(office_, pupil);
    EXPECT_TRUE(v.ok()) << v.status().message();
    return v.ok() ? v->checks : ContactChecks{};
  }
  std::vector<std::string> Names(int64_t pupil) {
    std::vector<std::string> out;
    const store::Pupil stored = *store_->GetPupil(pupil);
    for (const store::Contact& c : stored.contacts) {
      out.push_back(std::to_string(c.priority) + " " + c.name);
    }
    return out;
  }
};

// Phone numbers are held as UK numbers are written, whatever the spacing or
// a +44; the new fields are kept.
TEST_F(ContactDetailsTest, PhoneNumbersAreHeldInUkFormAndTheNewFieldsKept) {
  struct Case {
    const char* typed;
    const char* held;
  };
  const Case cases[] = {
      {"07700900123", "07700 900123"},          {"+44 7700 900123", "07700 900123"},
      {"+44 (0)20 7946 0000", "020 7946 0000"}, {"0113-496-0000", "0113 496 0000"},
      {"0161 4960000", "0161 496 0000"},        {"01632 960123", "01632 960123"},
      {"(0300) 123 4567", "0300 123 4567"},     {"016977 3456", "01697 73456"},
      {"+44 020 7946 0000", "020 7946 0000"}};
  for (const Case& c : cases) {
    ContactDetails d = Mother();
    d.phone = c.typed;
    d.other_phone = c.typed;
    d.position = store_->GetPupil(a_)->contacts.empty() ? std::nullopt : std::optional<size_t>(1);
    const store::Contact saved = Save(a_, d);
    EXPECT_EQ(saved.phone, c.held) << c.typed;
    EXPECT_EQ(saved.other_phone, c.held) << c.typed;
  }
  ContactDetails d = Mother();
  d.lives_with = true;
  d.other_phone = "01697 73456";
  d.position = 1;
  Save(a_, d);
  const store::Contact stored = store_->GetPupil(a_)->contacts.at(0);
  EXPECT_TRUE(stored.lives_with);
  EXPECT_TRUE(stored.emergency);
  EXPECT_EQ(stored.other_phone, "01697 73456");
  EXPECT_FALSE(stored.confirmed_on);  // not confirmed until the family says so
}

// Every field's check names the field, and nothing is written.
TEST_F(ContactDetailsTest, EachBadFieldIsRefusedNamingIt) {
  const auto refused = [&](ContactDetails d) {
    d.pupil_id = a_;
    return contacts().SaveContact(office_, d).status();
  };
  const auto with = [](auto change) {
    ContactDetails d = Mother();
    change(d);
    return d;
  };
  const std::string phone_rule =
      "is not a UK phone number: a mobile (07…), a landline (01…, 02… or 03…) or the same with "
      "+44, e.g. 07700 900123";
  EXPECT_EQ(refused(with([](ContactDetails& d) { d.phone = "12345"; })).message(),
            "'phone': '12345' " + phone_rule);
  EXPECT_EQ(refused(with([](ContactDetails& d) { d.other_phone = "0800 123 4567"; })).message(),
            "'other_phone': '0800 123 4567' " + phone_rule);
  for (const char* bad : {"07700 90012", "07700 9001234", "0770O 900123", "020 7946 000",
                          "+33 6 12 34 56 78", "07700 900123 ext 2", "+"}) {
    const core::Status s = refused(with([&](ContactDetails& d) { d.phone = bad; }));
    EXPECT_EQ(s.code(), core::kErrValueInvalid) << bad;
    EXPECT_TRUE(s.message().starts_with("'phone': ")) << bad << ": " << s.message();
  }
  EXPECT_EQ(refused(with([](ContactDetails& d) { d.phone = ""; })).message(),
            "'phone': an emergency contact needs a phone number");
  EXPECT_EQ(refused(with([](ContactDetails& d) { d.email = "helen.example.org"; })).message(),
            "'email': 'helen.example.org' is not an email address, e.g. name@example.org");
  for (const char* bad : {"helen@", "@example.org", "helen@example", "helen smith@example.org",
                          "helen@ex@ample.org", "helen@example..org", "helen@example.org."}) {
    const core::Status s = refused(with([&](ContactDetails& d) { d.email = bad; }));
    EXPECT_TRUE(s.message().starts_with("'email': ")) << bad << ": " << s.message();
  }
  EXPECT_EQ(refused(with([](ContactDetails& d) { d.postcode = "LE10"; })).message(),
            "'LE10' is not a UK postcode, such as LE10 2AB");
  EXPECT_EQ(
      refused(with([](ContactDetails& d) { d.other_phone = std::string(41, '0'); })).message(),
      "'other_phone' is longer than 40 characters");
  EXPECT_EQ(refused(with([](ContactDetails& d) { d.reason = std::string(501, 'x'); })).message(),
            "'reason' is longer than 500 characters");
  EXPECT_TRUE(store_->GetPupil(a_)->contacts.empty());
  EXPECT_TRUE(store_->AdmissionChangesFor(a_)->empty());
}

// Each change goes into the admission register with who made it and why.
TEST_F(ContactDetailsTest, ChangesAreKeptInTheAdmissionRegisterWithWhoAndWhy) {
  Save(a_, Mother());
  ContactDetails d = Mother();
  d.position = 1;
  d.phone = "07700 900456";
  d.reason = "Mother phoned with a new number";
  Save(a_, d, &head_);
  core::StatusOr<std::vector<store::AdmissionChange>> changes = store_->AdmissionChangesFor(a_);
  ASSERT_TRUE(changes.ok()) << changes.status().message();
  ASSERT_FALSE(changes->empty());
  EXPECT_EQ(changes->front().reason, "Contacts changed by the office");
  EXPECT_EQ(changes->front().actor_name, "Ms Office");
  // The new number, in a change of the second save (of the phone, or of
  // the whole contact, as the register words it).
  const auto phone =
      std::find_if(changes->begin(), changes->end(), [](const store::AdmissionChange& c) {
        return c.new_value.find("07700 900456") != std::string::npos;
      });
  ASSERT_NE(phone, changes->end());
  EXPECT_NE(phone->old_value.find("07700 900123"), std::string::npos) << phone->old_value;
  EXPECT_EQ(phone->reason, "Mother phoned with a new number");
  EXPECT_EQ(phone->actor_name, "Mrs Head");
  EXPECT_EQ(phone->actor_role, store::Role::kHead);
  EXPECT_EQ(phone->at, clock_.NowSeconds());
}

TEST_F(ContactDetailsTest, ContactsAreMovedUpOrDownAndRemoved) {
  for (const char* name : {"Ann", "Bea", "Cat"}) {
    Save(a_, {.name = name, .relationship = "Aunt"});
  }
  ASSERT_TRUE(contacts().MoveContact(office_, a_, 3, 1, "").ok());
  EXPECT_EQ(Names(a_), (std::vector<std::string>{"1 Cat", "2 Ann", "3 Bea"}));
  ASSERT_TRUE(contacts().MoveContact(head_, a_, 1, 2, "Cat works days now").ok());
  EXPECT_EQ(Names(a_), (std::vector<std::string>{"1 Ann", "2 Cat", "3 Bea"}));
  EXPECT_EQ(store_->AdmissionChangesFor(a_)->back().reason, "Cat works days now");
  ASSERT_TRUE(contacts().RemoveContact(office_, a_, 2, "").ok());
  EXPECT_EQ(Names(a_), (std::vector<std::string>{"1 Ann", "2 Bea"}));
  // In the snapshot too.
  EXPECT_EQ(contacts().View(office_, a_)->contacts.at(1).name, "Bea");

  EXPECT_EQ(contacts().MoveContact(office_, a_, 1, 3, "").message(),
            "there is no priority 3: give 1 to 2");
  EXPECT_EQ(contacts().RemoveContact(office_, a_, 1, std::string(501, 'x')).message(),
            "'reason' is longer than 500 characters");
  EXPECT_EQ(contacts().MoveContact(office_, a_, 3, 1, "").message(),
            "the pupil has no contact 3: there are 2");
  EXPECT_EQ(contacts().RemoveContact(office_, a_, 0, "").message(),
            "the pupil has no contact 0: there are 2");
  EXPECT_EQ(contacts().RemoveContact(teacher_, a_, 1, "").kind(),
            core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(contacts().MoveContact(parent_, a_, 2, 1, "").kind(),
            core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(Names(a_), (std::vector<std::string>{"1 Ann", "2 Bea"}));

  // Saved with a priority, a contact moves there in the same write.
  ContactDetails bea{.position = 2, .name = "Bea", .relationship = "Aunt", .priority = 1};
  EXPECT_EQ(Save(a_, bea).priority, 1);
  EXPECT_EQ(Names(a_), (std::vector<std::string>{"1 Bea", "2 Ann"}));
  ContactDetails dan{.name = "Dan", .relationship = "Uncle", .priority = 2};
  Save(a_, dan);
  EXPECT_EQ(Names(a_), (std::vector<std::string>{"1 Bea", "2 Dan", "3 Ann"}));
  dan.pupil_id = a_;
  dan.priority = 5;  // of four, with this one added
  EXPECT_EQ(contacts().SaveContact(office_, dan).status().message(),
            "there is no priority 5: give 1 to 4");
  EXPECT_EQ(Names(a_).size(), 3u);
}

// Fewer than two emergency contacts, and contacts not confirmed this school
// year (from 1 September), are flagged for the office.
TEST_F(ContactDetailsTest, TheChecksWarnOfTooFewEmergencyContactsAndUncheckedOnes) {
  EXPECT_EQ(Checks(a_).emergency_warning, "No emergency contact: the school's policy asks for two");
  EXPECT_EQ(Checks(a_).check_warning, "");  // nothing to check yet
  ContactDetails mother = Mother();
  mother.confirmed = true;
  Save(a_, mother);
  EXPECT_EQ(Checks(a_).emergency, 1);
  EXPECT_EQ(Checks(a_).emergency_warning,
            "Only one emergency contact: the school's policy asks for two");
  EXPECT_EQ(Checks(a_).check_warning, "");  // confirmed today
  // Not an emergency contact: still one.
  Save(a_, {.name = "Sam Ali", .relationship = "Brother"});
  EXPECT_EQ(Checks(a_).emergency, 1);
  EXPECT_EQ(Checks(a_).check_warning, "Contacts not yet checked with the family");
  Save(a_, {.name = "Margaret Ali",
            .relationship = "Grandparent",
            .phone = "01632 960123",
            .emergency = true,
            .confirmed = true});
  ASSERT_TRUE(contacts().ConfirmContacts(office_, a_).ok());
  EXPECT_FALSE(Checks(a_).any());
  EXPECT_EQ(store_->GetPupil(a_)->contacts.at(1).confirmed_on, D("2026-11-25"));
  EXPECT_EQ(store_->AdmissionChangesFor(a_)->back().reason, "Contacts confirmed with the family");

  // The office's list: b_ has no contacts; a_ has nothing to check.
  core::StatusOr<std::vector<ContactCheckRow>> list = contacts().ToCheck(office_);
  ASSERT_TRUE(list.ok()) << list.status().message();
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().pupil_id, b_);
  EXPECT_EQ(list->front().class_name, "4B");
  EXPECT_EQ(contacts().ToCheck(teacher_).status().kind(), core::ErrorKind::kPermissionDenied);

  // 31 August is still the year they were confirmed in; 1 September starts the next.
  clock_.Set(D("2027-08-31"), 9 * 60);
  EXPECT_FALSE(Checks(a_).any());
  clock_.Set(D("2027-09-01"), 9 * 60);
  EXPECT_EQ(Checks(a_).check_warning, "Contacts not checked since 25 November 2026");
  EXPECT_EQ(contacts().ToCheck(head_)->size(), 2u);
  ASSERT_TRUE(contacts().ConfirmContacts(head_, a_).ok());
  EXPECT_FALSE(Checks(a_).any());
  EXPECT_EQ(contacts().ConfirmContacts(office_, b_).message(),
            "the pupil has no contacts to confirm: add them first");
  EXPECT_EQ(contacts().ConfirmContacts(teacher_, a_).kind(), core::ErrorKind::kPermissionDenied);
}

// Pupils who share a contact with parental responsibility (same name, and
// the same phone or email) are siblings, each on the other's page.
TEST_F(ContactDetailsTest, PupilsSharingAParentAreSiblings) {
  Save(a_, Mother());
  ContactDetails same = Mother();
  same.name = "helen  ALI";
  same.phone = "+44 7700 900 123";
  same.email = "";
  Save(b_, same);
  const std::vector<Sibling> of_a = contacts().View(office_, a_)->siblings;
  ASSERT_EQ(of_a.size(), 1u);
  EXPECT_EQ(of_a[0].pupil_id, b_);
  EXPECT_EQ(of_a[0].name, "Pupil B");
  EXPECT_EQ(of_a[0].contact, "Helen Ali");
  ASSERT_EQ(contacts().View(head_, b_)->siblings.size(), 1u);
  EXPECT_EQ(contacts().View(head_, b_)->siblings[0].pupil_id, a_);
  // A parent sees only their own children as siblings.
  EXPECT_TRUE(contacts().View(parent_, a_)->siblings.empty());

  // By email, in any case.
  ContactDetails by_email = Mother();
  by_email.position = 1;
  by_email.phone = "07700 900999";
  by_email.email = "Helen@Example.org";
  Save(b_, by_email);
  EXPECT_EQ(contacts().View(office_, a_)->siblings.size(), 1u);

  // The same name with other numbers and email is someone else.
  by_email.email = "h.ali@example.org";
  Save(b_, by_email);
  EXPECT_TRUE(contacts().View(office_, a_)->siblings.empty());
  // Without parental responsibility on either side, no link.
  by_email.email = "helen@example.org";
  by_email.parental_responsibility = false;
  Save(b_, by_email);
  EXPECT_TRUE(contacts().View(office_, a_)->siblings.empty());

  // SiblingsOf itself, over pupils of a list.
  std::vector<store::Pupil> pupils = {*store_->GetPupil(a_), *store_->GetPupil(b_)};
  pupils[1].contacts[0].parental_responsibility = true;
  EXPECT_EQ(SiblingsOf(pupils, 0).size(), 1u);
  EXPECT_EQ(SiblingsOf(pupils, 1).size(), 1u);
}

// A cohort flag added from a day counts in the cohort figures from then;
// ended, it stops after its last day.
TEST_F(ContactDetailsTest, CohortFlagsWithDatesFeedTheCohortFigures) {
  const auto cohorts = [&](const char* day) {
    return services_->school().EvaluatedOn(D(day)).evaluation->cohorts;
  };
  EXPECT_FALSE(cohorts("2026-11-25").contains("FSM"));
  ASSERT_TRUE(contacts().AddFlag(office_, {a_, "FSM", "2026-10-01", ""}).ok());
  EXPECT_TRUE(cohorts("2026-11-25").contains("FSM"));
  EXPECT_FALSE(cohorts("2026-09-30").contains("FSM"));
  core::StatusOr<SchoolSummaryView> summary =
      services_->dashboards().Summary(head_, D("2026-11-25"));
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  ASSERT_EQ(summary->cohorts.size(), 1u);
  EXPECT_EQ(summary->cohorts[0].label, "FSM");
  const store::Pupil stored = *store_->GetPupil(a_);
  ASSERT_EQ(stored.flags.size(), 1u);
  EXPECT_EQ(stored.flags[0].from, D("2026-10-01"));
  EXPECT_FALSE(stored.flags[0].to);
  EXPECT_EQ(store_->AdmissionChangesFor(a_)->back().reason, "Cohort flags changed by the office");

  // Refusals, each naming what is wrong.
  EXPECT_EQ(contacts().AddFlag(office_, {a_, "FSM", "2026-11-01", ""}).message(),
            "Free school meals is already recorded from 1 October 2026: end it before 1 November "
            "2026");
  // The same again changes nothing.
  const size_t changes = store_->AdmissionChangesFor(a_)->size();
  ASSERT_TRUE(contacts().AddFlag(head_, {a_, "FSM", "2026-10-01", ""}).ok());
  EXPECT_EQ(store_->GetPupil(a_)->flags.size(), 1u);
  EXPECT_EQ(store_->AdmissionChangesFor(a_)->size(), changes);
  EXPECT_EQ(contacts().AddFlag(office_, {a_, "XYZ", "2026-11-01", ""}).message(),
            "'flag': 'XYZ' is not one of FSM, PP, SEN_K, EHCP, CLA, SW, YC, EAL");
  EXPECT_EQ(contacts().AddFlag(office_, {a_, "EAL", "1 Nov", ""}).message(),
            "'date': '1 Nov' is not a date, YYYY-MM-DD");
  EXPECT_EQ(contacts().EndFlag(office_, {a_, "FSM", "2026-09-30", ""}).message(),
            "Free school meals cannot end on 30 September 2026, before it began on 1 October 2026");
  EXPECT_EQ(contacts().EndFlag(office_, {a_, "EAL", "2026-11-01", ""}).message(),
            "the pupil has no English as an additional language still held to end");
  EXPECT_EQ(contacts().AddFlag(teacher_, {a_, "EAL", "2026-11-01", ""}).kind(),
            core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(contacts().EndFlag(la_, {a_, "FSM", "2026-11-01", ""}).kind(),
            core::ErrorKind::kPermissionDenied);

  ASSERT_TRUE(contacts().EndFlag(head_, {a_, "FSM", "2026-11-20", "No longer eligible"}).ok());
  EXPECT_EQ(store_->GetPupil(a_)->flags.at(0).to, D("2026-11-20"));
  EXPECT_EQ(store_->AdmissionChangesFor(a_)->back().reason, "No longer eligible");
  EXPECT_TRUE(cohorts("2026-11-20").contains("FSM"));
  EXPECT_FALSE(cohorts("2026-11-25").contains("FSM"));
  // Added again after it ended; the flags are listed by flag and date.
  ASSERT_TRUE(contacts().AddFlag(office_, {a_, "FSM", "2026-11-23", ""}).ok());
  ASSERT_TRUE(contacts().AddFlag(office_, {a_, "EAL", "2026-09-01", ""}).ok());
  const std::vector<store::CohortFlag> flags = contacts().View(office_, a_)->flags;
  ASSERT_EQ(flags.size(), 3u);
  EXPECT_EQ(flags[0].flag, "EAL");
  EXPECT_EQ(flags[2].from, D("2026-11-23"));
  EXPECT_TRUE(cohorts("2026-11-25").contains("FSM"));
}

}  // namespace
}  // namespace rollcall::service

namespace rollcall::service {
namespace {

// A refusal's message, or "ok" (a Status that is ok has none).
std::string Why(const core::Status& s) { return s.ok() ? "ok" : s.message(); }

// How the school's messages reach a contact, their opt-out of optional
// messages and the record of their consent are kept with the contact, each
// change in the admission register, and checked against what the contact
// has: a preferred channel they can be reached by, absence messages without
// parental responsibility only for an emergency contact.
TEST_F(ContactDetailsTest, MessagePreferencesAndConsentAreKeptAndChecked) {
  ContactDetails d = Mother();
  d.preferred_channel = "email";
  d.optional_opt_out = true;
  d.record_consent = true;
  d.consent_note = "on the admission form";
  Save(a_, d);
  store::Contact stored = store_->GetPupil(a_)->contacts.at(0);
  EXPECT_EQ(stored.preferred_channel, "email");
  EXPECT_TRUE(stored.optional_opt_out);
  EXPECT_FALSE(stored.messages_without_pr);
  EXPECT_EQ(stored.consent_at, clock_.NowSeconds());
  EXPECT_EQ(stored.consent_by, "Ms Office");
  EXPECT_EQ(stored.consent_note, "on the admission form");

  // A later change keeps the consent recorded unless it is recorded again.
  clock_.AdvanceSeconds(600);
  ContactDetails changed = Mother();
  changed.position = 1;
  changed.preferred_channel = "sms";
  Save(a_, changed, &head_);
  stored = store_->GetPupil(a_)->contacts.at(0);
  EXPECT_EQ(stored.preferred_channel, "sms");
  EXPECT_FALSE(stored.optional_opt_out);
  EXPECT_EQ(stored.consent_at, clock_.NowSeconds() - 600);
  EXPECT_EQ(stored.consent_by, "Ms Office");
  // In the snapshot the senders read, too.
  EXPECT_EQ(contacts().View(office_, a_)->contacts.at(0).preferred_channel, "sms");

  // The change of channel and opt-out is in the admission register.
  core::StatusOr<std::vector<store::AdmissionChange>> changes = store_->AdmissionChangesFor(a_);
  ASSERT_TRUE(changes.ok()) << changes.status().message();
  const auto field = [&](const std::string& name) {
    return std::find_if(changes->begin(), changes->end(), [&](const store::AdmissionChange& c) {
      return c.field == name && c.actor_name == "Mrs Head";
    });
  };
  ASSERT_NE(field("contact 1 preferred_channel"), changes->end());
  EXPECT_EQ(field("contact 1 preferred_channel")->old_value, "email");
  EXPECT_EQ(field("contact 1 preferred_channel")->new_value, "sms");
  ASSERT_NE(field("contact 1 optional_opt_out"), changes->end());
  EXPECT_EQ(field("contact 1 optional_opt_out")->new_value, "no");
  // Consent recorded again is a change too.
  changed.record_consent = true;
  changed.consent_note = "by phone to the office";
  Save(a_, changed, &head_);
  changes = store_->AdmissionChangesFor(a_);
  ASSERT_NE(field("contact 1 consent"), changes->end());
  EXPECT_NE(field("contact 1 consent")->new_value.find("by Mrs Head: by phone to the office"),
            std::string::npos)
      << field("contact 1 consent")->new_value;

  // An emergency contact without parental responsibility may get the
  // absence messages.
  ContactDetails gran{.name = "Margaret Ali",
                      .relationship = "Grandparent",
                      .phone = "01632 960123",
                      .emergency = true,
                      .messages_without_pr = true};
  EXPECT_TRUE(Save(a_, gran).messages_without_pr);

  const auto refused = [&](ContactDetails c) {
    c.pupil_id = a_;
    return contacts().SaveContact(office_, c).status();
  };
  const auto with = [](auto change) {
    ContactDetails c = Mother();
    change(c);
    return c;
  };
  // A channel they have no address or mobile for, or none at all.
  core::Status s = refused(with([](ContactDetails& c) {
    c.email = "";
    c.preferred_channel = "email";
  }));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), core::kErrValueInvalid);
  EXPECT_NE(Why(s).find("'preferred_channel'"), std::string::npos) << Why(s);
  s = refused(with([](ContactDetails& c) {
    c.phone = "01632 960123";
    c.preferred_channel = "sms";
  }));
  EXPECT_NE(Why(s).find("UK mobile"), std::string::npos) << Why(s);
  // A mobile as the other number will do.
  EXPECT_TRUE(refused(with([](ContactDetails& c) {
                c.phone = "01632 960123";
                c.other_phone = "07700 900999";
                c.preferred_channel = "sms";
              })).ok());
  s = refused(with([](ContactDetails& c) { c.preferred_channel = "fax"; }));
  EXPECT_NE(Why(s).find("'fax' is not one of"), std::string::npos) << Why(s);
  // Without parental responsibility only for an emergency contact.
  s = refused(with([](ContactDetails& c) { c.messages_without_pr = true; }));
  EXPECT_NE(Why(s).find("'messages_without_pr'"), std::string::npos) << Why(s);
  s = refused(with([](ContactDetails& c) {
    c.parental_responsibility = false;
    c.emergency = false;
    c.messages_without_pr = true;
  }));
  EXPECT_NE(Why(s).find("'messages_without_pr'"), std::string::npos) << Why(s);
  // Consent says how it was given.
  s = refused(with([](ContactDetails& c) { c.record_consent = true; }));
  EXPECT_NE(Why(s).find("'consent_note'"), std::string::npos) << Why(s);
}

}  // namespace
}  // namespace rollcall::service
