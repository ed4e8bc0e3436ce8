// The contact log, parents' messages and absence reports as
// service::Contacts and service::AbsenceReports do them, with no web in
// between: entries with who and when, a call that becomes an absence report,
// confirming a report onto the register, and the refusals.
#include "service/contacts.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error_codes.h"
#include "service/absence_reports.h"
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

}  // namespace
}  // namespace rollcall::service
