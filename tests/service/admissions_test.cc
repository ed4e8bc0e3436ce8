// The admission register as service::Admissions keeps it, with no web in
// between: admitting with every statutory entry checked, corrections with
// their reasons, who may do what, a pupil not on roll before their starting
// day, a new pupil who does not arrive, and deletion on each ground with its
// conditions.
#include "service/admissions.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "core/error_codes.h"
#include "core/upn.h"
#include "service/school_fixture.h"

namespace rollcall::service {
namespace {

using rollcall::testing::D;

// Today in the fixture is Wednesday 25 November 2026, 10:00.
class AdmissionsTest : public SchoolFixture {
 protected:
  Admissions& admissions() { return services_->admissions(); }

  // A form that is right in every field: a Year 3 pupil starting today.
  AdmissionForm ValidForm() const {
    AdmissionForm f;
    f.upn = core::UpnWithCheckLetter("909123426001");
    f.legal_given_name = "Maya";
    f.legal_family_name = "Patel";
    f.sex = "F";
    f.date_of_birth = "2019-03-14";
    f.year_group = "3";
    f.class_id = std::to_string(class_3a_);
    f.start = "2026-11-25";
    f.previous_school = "Elm Primary, Leicester";
    AdmissionContact mother;
    mother.name = "Priya Patel";
    mother.relationship = "Mother";
    mother.phone = "07700 900111";
    mother.address = "3 Mill Lane\nHinckley";
    mother.postcode = "LE10 1AA";
    mother.parental_responsibility = true;
    mother.lives_with = true;
    mother.emergency = true;
    AdmissionContact aunt;
    aunt.name = "Asha Shah";
    aunt.relationship = "Aunt";
    aunt.phone = "07700 900222";
    aunt.emergency = true;
    f.contacts = {mother, aunt};
    return f;
  }

  int64_t AdmitValid(const std::string& start = "2026-11-25") {
    AdmissionForm f = ValidForm();
    f.start = start;
    core::StatusOr<int64_t> id = admissions().Admit(office_, f);
    EXPECT_TRUE(id.ok()) << id.status().message();
    return id.ok() ? *id : 0;
  }

  store::Pupil Stored(int64_t id) {
    core::StatusOr<store::Pupil> p = store_->GetPupil(id);
    EXPECT_TRUE(p.ok());
    return p.ok() ? *p : store::Pupil{};
  }

  void ExpectRefused(const core::Status& s, const std::string& words) {
    EXPECT_EQ(s.kind(), core::ErrorKind::kInvalidArgument) << s.message();
    EXPECT_EQ(s.code(), core::kErrDeletionRefused) << s.message();
    EXPECT_NE(s.message().find(words), std::string::npos) << s.message();
  }

  // Marks every open session from `from` to `to` with `code`, as the office.
  void MarkDays(int64_t pupil, const char* from, const char* to, const char* code) {
    for (core::Date d = D(from); d <= D(to); d = d.AddDays(1)) {
      if (d.IsWeekend()) continue;
      for (const char* s : {"AM", "PM"}) {
        core::StatusOr<MarkResult> r = Mark(office_, pupil, d.ToString().c_str(), s, code);
        ASSERT_TRUE(r.ok()) << d.ToString() << " " << s << ": " << r.status().message();
      }
    }
  }
};

TEST_F(AdmissionsTest, AdmitKeepsEveryStatutoryEntryAndRecordsTheAdmission) {
  const int64_t id = AdmitValid();
  const store::Pupil p = Stored(id);
  EXPECT_EQ(p.upn, core::UpnWithCheckLetter("909123426001"));
  EXPECT_EQ(p.legal_family_name, "Patel");
  EXPECT_EQ(p.sex, "F");
  EXPECT_EQ(p.date_of_birth, D("2019-03-14"));
  EXPECT_EQ(p.year_group, 3);
  EXPECT_EQ(p.class_id, class_3a_);
  EXPECT_EQ(p.previous_school, "Elm Primary, Leicester");
  EXPECT_FALSE(p.boarder);
  ASSERT_EQ(p.enrolments.size(), 1u);
  EXPECT_EQ(p.enrolments[0].start, D("2026-11-25"));
  EXPECT_FALSE(p.enrolments[0].end);
  ASSERT_EQ(p.contacts.size(), 2u);
  EXPECT_TRUE(p.contacts[0].lives_with);
  EXPECT_TRUE(p.contacts[0].parental_responsibility);
  EXPECT_EQ(p.contacts[0].address, "3 Mill Lane\nHinckley");
  EXPECT_TRUE(p.contacts[1].emergency);
  EXPECT_EQ(p.contacts[1].priority, 2);
  EXPECT_EQ(p.contacts[0].confirmed_on, D("2026-11-25"));

  core::StatusOr<AdmissionEntryView> entry = admissions().Entry(office_, id);
  ASSERT_TRUE(entry.ok()) << entry.status().message();
  ASSERT_EQ(entry->changes.size(), 1u);
  EXPECT_EQ(entry->changes[0].field, "Admitted");
  EXPECT_EQ(entry->changes[0].by, "Ms Office (office)");
  EXPECT_TRUE(entry->may_edit);
  EXPECT_TRUE(entry->may_remove);
  // The snapshot has the pupil too: their page opens at once.
  EXPECT_TRUE(services_->pupils().Overview(office_, id, clock_.Today()).ok());
}

TEST_F(AdmissionsTest, AdmitTakesAUpnAsTypedInLowerCaseWithSpaces) {
  AdmissionForm f = ValidForm();
  const std::string upn = f.upn;
  f.upn = " " + upn.substr(0, 4) + " " + upn.substr(4);
  f.upn[1] = static_cast<char>(f.upn[1] - 'A' + 'a');
  core::StatusOr<int64_t> id = admissions().Admit(office_, f);
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_EQ(Stored(*id).upn, upn);
}

// Each statutory entry is checked on its own, with a message naming it.
// Year groups are by birth from 1 September to 31 August: a child born on 20
// August 2020 is in Year 2 in 2026/27, so Year 3 is within a year of it and
// Reception is not (counted from 1 August, they would look a year younger).
TEST_F(AdmissionsTest, AnAugustBirthdayCountsInTheYearGroupBeforeSeptembers) {
  AdmissionForm f = ValidForm();
  f.date_of_birth = "2020-08-20";
  core::StatusOr<int64_t> id = admissions().Admit(office_, f);
  EXPECT_TRUE(id.ok()) << id.status().message();
  f = ValidForm();
  f.upn = core::UpnWithCheckLetter("909123426009");
  f.date_of_birth = "2020-08-20";
  f.year_group = "0";
  f.class_id.clear();
  const core::StatusOr<int64_t> reception = admissions().Admit(office_, f);
  ASSERT_FALSE(reception.ok());
  EXPECT_NE(reception.status().message().find("usually in Year 2"), std::string::npos)
      << reception.status().message();
}

TEST_F(AdmissionsTest, AdmitRefusesEachFieldThatIsWrongAndWritesNothing) {
  struct Case {
    const char* what;
    std::function<void(AdmissionForm&)> spoil;
    const char* code;
    const char* words;
  };
  const std::vector<Case> cases = {
      {"no UPN", [](AdmissionForm& f) { f.upn = ""; }, core::kErrValueInvalid, "UPN"},
      {"wrong check letter", [](AdmissionForm& f) { f.upn[0] = f.upn[0] == 'A' ? 'B' : 'A'; },
       core::kErrUpnInvalid, "check letter"},
      {"short UPN", [](AdmissionForm& f) { f.upn = "A9091234"; }, core::kErrUpnInvalid, ""},
      {"no first name", [](AdmissionForm& f) { f.legal_given_name = " "; }, core::kErrValueInvalid,
       "legal first name"},
      {"no last name", [](AdmissionForm& f) { f.legal_family_name = ""; }, core::kErrValueInvalid,
       "legal last name"},
      {"long name", [](AdmissionForm& f) { f.legal_family_name = std::string(101, 'x'); },
       core::kErrValueInvalid, "longer than"},
      {"no sex", [](AdmissionForm& f) { f.sex = ""; }, core::kErrValueInvalid, "sex"},
      {"odd sex", [](AdmissionForm& f) { f.sex = "X"; }, core::kErrValueInvalid, "sex"},
      {"no date of birth", [](AdmissionForm& f) { f.date_of_birth = ""; }, core::kErrValueInvalid,
       "date of birth"},
      {"bad date of birth", [](AdmissionForm& f) { f.date_of_birth = "2018-02-30"; },
       core::kErrDateInvalid, "date of birth"},
      {"born after starting", [](AdmissionForm& f) { f.date_of_birth = "2026-12-01"; },
       core::kErrValueInvalid, "not before the starting day"},
      {"too young for the year", [](AdmissionForm& f) { f.date_of_birth = "2021-03-14"; },
       core::kErrValueInvalid, "usually in"},
      {"too old for the year", [](AdmissionForm& f) { f.date_of_birth = "2012-03-14"; },
       core::kErrValueInvalid, "usually in Year 10"},
      {"year group 14", [](AdmissionForm& f) { f.year_group = "14"; }, core::kErrValueInvalid,
       "year group"},
      {"year group words", [](AdmissionForm& f) { f.year_group = "three"; }, core::kErrValueInvalid,
       "year group"},
      {"unknown class", [](AdmissionForm& f) { f.class_id = "999"; }, core::kErrClassUnknown,
       "classes"},
      {"no starting day", [](AdmissionForm& f) { f.start = ""; }, core::kErrValueInvalid,
       "starting day"},
      {"bad starting day", [](AdmissionForm& f) { f.start = "25/11/2026"; }, core::kErrDateInvalid,
       "starting day"},
      {"backdated start", [](AdmissionForm& f) { f.start = "2026-11-01"; }, core::kErrValueInvalid,
       "days ago"},
      {"contact without a name", [](AdmissionForm& f) { f.contacts[1].name = ""; },
       core::kErrValueInvalid, "name of contact 2"},
      {"contact without a relationship", [](AdmissionForm& f) { f.contacts[0].relationship = ""; },
       core::kErrValueInvalid, "relationship"},
      {"contact without a phone", [](AdmissionForm& f) { f.contacts[1].phone = ""; },
       core::kErrValueInvalid, "phone number for contact 2"},
      {"contact with a bad email", [](AdmissionForm& f) { f.contacts[1].email = "asha.example"; },
       core::kErrValueInvalid, "not an email address"},
      {"parent without an address", [](AdmissionForm& f) { f.contacts[0].address = ""; },
       core::kErrValueInvalid, "address of contact 1"},
      {"no parent",
       [](AdmissionForm& f) {
         f.contacts[0].parental_responsibility = false;
         f.contacts[0].address = "";
       },
       core::kErrValueInvalid, "parental responsibility"},
      {"lives with no one", [](AdmissionForm& f) { f.contacts[0].lives_with = false; },
       core::kErrValueInvalid, "lives with"},
      {"no emergency number",
       [](AdmissionForm& f) {
         f.contacts[0].emergency = false;
         f.contacts[1].emergency = false;
       },
       core::kErrValueInvalid, "emergency"},
      {"no contacts", [](AdmissionForm& f) { f.contacts.clear(); }, core::kErrValueInvalid,
       "parent"},
  };
  for (const Case& c : cases) {
    AdmissionForm f = ValidForm();
    c.spoil(f);
    core::StatusOr<int64_t> id = admissions().Admit(office_, f);
    ASSERT_FALSE(id.ok()) << c.what;
    EXPECT_EQ(id.status().code(), c.code) << c.what << ": " << id.status().message();
    EXPECT_NE(id.status().message().find(c.words), std::string::npos)
        << c.what << ": " << id.status().message();
  }
  core::StatusOr<std::vector<store::Pupil>> pupils = store_->ListPupils();
  ASSERT_TRUE(pupils.ok());
  EXPECT_EQ(pupils->size(), 2u);  // the fixture's a_ and b_ only
}

TEST_F(AdmissionsTest, AdmitRefusesAUpnAlreadyOnTheRegister) {
  AdmitValid();
  core::StatusOr<int64_t> again = admissions().Admit(office_, ValidForm());
  EXPECT_EQ(again.status().kind(), core::ErrorKind::kConflict);
  EXPECT_EQ(again.status().code(), core::kErrPupilDuplicate);
}

TEST_F(AdmissionsTest, OnlyTheOfficeAndTheHeadChangeTheRegisterAndTheLaReadsItsHistory) {
  const Principal governor = AddUser("gov", store::Role::kGovernor, "Mr Gov", {}, {});
  for (const Principal& who : {teacher_, parent_, la_, governor}) {
    EXPECT_EQ(admissions().Admit(who, ValidForm()).status().kind(),
              core::ErrorKind::kPermissionDenied);
    EXPECT_EQ(admissions().Edit(who, a_, {ValidForm(), "x"}).kind(),
              core::ErrorKind::kPermissionDenied);
    EXPECT_EQ(
        admissions().RemoveFromRoll(who, a_, {"k", "2026-11-25", "", "", "Told by mother"}).kind(),
        core::ErrorKind::kPermissionDenied);
    EXPECT_FALSE(admissions().MayAdmit(who));
  }
  ASSERT_TRUE(services_->Load().ok());  // the new governor account
  EXPECT_TRUE(admissions().MayAdmit(head_));
  core::StatusOr<AdmissionEntryView> la = admissions().Entry(la_, a_);
  ASSERT_TRUE(la.ok()) << la.status().message();
  EXPECT_FALSE(la->may_edit);
  EXPECT_FALSE(la->may_remove);
  for (const Principal& who : {teacher_, parent_}) {
    EXPECT_EQ(admissions().Entry(who, a_).status().kind(), core::ErrorKind::kPermissionDenied);
  }
}

TEST_F(AdmissionsTest, EditKeepsEachChangedFieldWithItsReason) {
  const int64_t id = AdmitValid();
  core::StatusOr<EditForm> form = admissions().FormOf(head_, id);
  ASSERT_TRUE(form.ok()) << form.status().message();
  form->entry.legal_family_name = "Patel-Shah";
  EXPECT_EQ(admissions().Edit(head_, id, *form).code(), core::kErrReasonRequired);
  form->reason = "Deed poll seen by the office";
  ASSERT_TRUE(admissions().Edit(head_, id, *form).ok());
  EXPECT_EQ(Stored(id).legal_family_name, "Patel-Shah");
  // The contacts are kept as they were.
  EXPECT_EQ(Stored(id).contacts.size(), 2u);
  core::StatusOr<AdmissionEntryView> entry = admissions().Entry(office_, id);
  ASSERT_TRUE(entry.ok());
  ASSERT_EQ(entry->changes.size(), 2u);
  EXPECT_EQ(entry->changes[1].field, "Legal family name");
  EXPECT_EQ(entry->changes[1].before, "Patel");
  EXPECT_EQ(entry->changes[1].after, "Patel-Shah");
  EXPECT_EQ(entry->changes[1].reason, "Deed poll seen by the office");
  EXPECT_EQ(entry->changes[1].by, "Mrs Head (head teacher)");
  // The pupil's page reads the new name at once.
  core::StatusOr<PupilOverview> v = services_->pupils().Overview(office_, id, clock_.Today());
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->pupil.legal_family_name, "Patel-Shah");
  // Saving the same again changes nothing and keeps nothing.
  ASSERT_TRUE(admissions().Edit(head_, id, *form).ok());
  entry = admissions().Entry(office_, id);
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry->changes.size(), 2u);
}

TEST_F(AdmissionsTest, EditChecksTheFieldsAsAdmittingDoes) {
  core::StatusOr<EditForm> form = admissions().FormOf(office_, a_);
  ASSERT_TRUE(form.ok());
  form->reason = "typo";
  form->entry.upn = "A9091234000";  // too short
  EXPECT_EQ(admissions().Edit(office_, a_, *form).code(), core::kErrUpnInvalid);
  form = admissions().FormOf(office_, a_);
  form->reason = "typo";
  form->entry.start = "2026-09-10";  // a_ has been on roll since September
  MarkDays(a_, "2026-11-23", "2026-11-23", "/");
  EXPECT_NE(admissions().Edit(office_, a_, *form).message().find("before the first mark"),
            std::string::npos);
}

TEST_F(AdmissionsTest, APupilIsNotOnRollBeforeTheirStartingDay) {
  const int64_t id = AdmitValid("2026-11-27");  // Friday
  core::StatusOr<RegisterView> today =
      services_->registers().Register(office_, "2026-11-25", "AM", class_3a_);
  ASSERT_TRUE(today.ok()) << today.status().message();
  for (const RegisterRow& row : today->pupils) EXPECT_NE(row.pupil_id, id);
  core::StatusOr<MarkResult> mark = Mark(office_, id, "2026-11-25", "AM", "/");
  EXPECT_FALSE(mark.ok());
  EXPECT_EQ(mark.status().code(), core::kErrPupilNotOnRoll);
  {
    auto lock = services_->school().Read();
    const Snapshot& s = services_->school().snapshot();
    const size_t i = s.pupil_index.at(id);
    EXPECT_FALSE(s.scenario.pupils[i].OnRollOn(D("2026-11-26")));
    EXPECT_TRUE(s.scenario.pupils[i].OnRollOn(D("2026-11-27")));
  }
  // Nor in the figures: no possible session yet.
  const Evaluated e = services_->school().EvaluatedOn(D("2026-11-25"));
  EXPECT_EQ(e.evaluation->pupils.back().counts.possible, 0);
  // Nor is a pupil starting later on Today's list of those not arrived.
  core::StatusOr<WorklistView> w = services_->pupils().Worklist(office_);
  ASSERT_TRUE(w.ok());
  EXPECT_TRUE(w->not_arrived.empty());
}

TEST_F(AdmissionsTest, ANewPupilNotArrivedOnTheirFirstDayIsOnTodayUntilTheyCome) {
  const int64_t id = AdmitValid("2026-11-25");
  core::StatusOr<WorklistView> w = services_->pupils().Worklist(office_);
  ASSERT_TRUE(w.ok());
  ASSERT_EQ(w->not_arrived.size(), 1u);
  EXPECT_EQ(w->not_arrived[0].pupil.id, id);
  EXPECT_EQ(w->not_arrived[0].start, D("2026-11-25"));
  EXPECT_EQ(w->not_arrived[0].class_name, "3A");
  // Absent is still not arrived.
  ASSERT_TRUE(Mark(office_, id, "2026-11-25", "AM", "N").ok());
  w = services_->pupils().Worklist(office_);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->not_arrived.size(), 1u);
  // Once in school, they are off the list.
  ASSERT_TRUE(Mark(office_, id, "2026-11-25", "AM", "L", "arrived late", "09:05").ok());
  w = services_->pupils().Worklist(office_);
  ASSERT_TRUE(w.ok());
  EXPECT_TRUE(w->not_arrived.empty());
}

TEST_F(AdmissionsTest, ANewPupilWhoNeverArrivesOpensAChildrenMissingEducationCase) {
  const int64_t id = AdmitValid("2026-11-24");
  ASSERT_TRUE(Mark(office_, id, "2026-11-24", "AM", "N").ok());
  core::StatusOr<std::vector<CmeView>> cases = services_->cme().Cases(office_, id, false);
  ASSERT_TRUE(cases.ok());
  EXPECT_TRUE(cases->empty());  // half a day is not yet a case
  ASSERT_TRUE(Mark(office_, id, "2026-11-24", "PM", "N").ok());
  cases = services_->cme().Cases(office_, id, false);
  ASSERT_TRUE(cases.ok());
  ASSERT_EQ(cases->size(), 1u);
  EXPECT_EQ(cases->front().c.first_day, D("2026-11-24"));
}

// --- Leaving the roll ----------------------------------------------------------------

TEST_F(AdmissionsTest, GroundANeedsTheNewSchoolAndThenEndsTheEnrolmentWithTheLaToldAndACtfOwed) {
  const int64_t id = AdmitValid("2026-11-23");
  ExpectRefused(admissions().RemoveFromRoll(office_, id, {"a", "2026-11-25", "", "", ""}),
                "new school named");
  ASSERT_TRUE(
      admissions().RemoveFromRoll(office_, id, {"a", "2026-11-25", "Oak Academy", "", ""}).ok());
  const store::Pupil p = Stored(id);
  ASSERT_EQ(p.enrolments.size(), 1u);
  EXPECT_EQ(p.enrolments[0].end, D("2026-11-25"));
  EXPECT_EQ(p.enrolments[0].deletion_ground, "a");
  EXPECT_EQ(p.enrolments[0].destination, "Oak Academy");
  // Kept with who and why.
  core::StatusOr<AdmissionEntryView> entry = admissions().Entry(office_, id);
  ASSERT_TRUE(entry.ok());
  EXPECT_FALSE(entry->may_remove);
  ASSERT_TRUE(entry->left);
  bool end_kept = false;
  for (const AdmissionChangeLine& c : entry->changes) {
    if (c.field == "Enrolment 1 end") {
      end_kept = true;
      EXPECT_EQ(c.after, "25 November 2026");
      EXPECT_NE(c.reason.find("ground (a)"), std::string::npos) << c.reason;
    }
  }
  EXPECT_TRUE(end_kept);
  // A Common Transfer File is owed to the new school.
  core::StatusOr<std::vector<store::TransferOwed>> owed = store_->TransfersOwed();
  ASSERT_TRUE(owed.ok());
  ASSERT_EQ(owed->size(), 1u);
  EXPECT_EQ((*owed)[0].pupil_id, id);
  EXPECT_EQ((*owed)[0].destination, "Oak Academy");
  // The LA's deletion notice is due in the queue.
  core::StatusOr<std::vector<LaNotification>> queue = services_->la_returns().Queue(office_);
  ASSERT_TRUE(queue.ok());
  bool due = false;
  for (const LaNotification& n : *queue) {
    if (n.pupil_id == id && n.kind == core::LaReturnKind::kDeletion) {
      due = true;
      EXPECT_EQ(n.trigger, D("2026-11-25"));
      EXPECT_NE(n.content.find("ground (a)"), std::string::npos) << n.content;
      EXPECT_NE(n.content.find("Oak Academy"), std::string::npos) << n.content;
    }
  }
  EXPECT_TRUE(due);
  // The pupil is off the roll from the next day.
  {
    auto lock = services_->school().Read();
    const Snapshot& s = services_->school().snapshot();
    const size_t i = s.pupil_index.at(id);
    EXPECT_TRUE(s.scenario.pupils[i].OnRollOn(D("2026-11-25")));
    EXPECT_FALSE(s.scenario.pupils[i].OnRollOn(D("2026-11-26")));
  }
  // A second deletion is refused.
  core::Status again =
      admissions().RemoveFromRoll(office_, id, {"a", "2026-11-25", "Oak Academy", "", ""});
  EXPECT_EQ(again.kind(), core::ErrorKind::kConflict);
  EXPECT_EQ(again.code(), core::kErrPupilNotOnRoll);
}

TEST_F(AdmissionsTest, ADeletionIsNeitherAheadOfTimeNorBackdated) {
  ExpectRefused(admissions().RemoveFromRoll(office_, a_, {"a", "2026-11-26", "Oak", "", ""}),
                "after today");
  ExpectRefused(admissions().RemoveFromRoll(office_, a_, {"a", "2026-11-19", "Oak", "", ""}),
                "never backdated");
  // Not before a day the pupil was in school.
  MarkDays(a_, "2026-11-24", "2026-11-24", "/");
  ExpectRefused(admissions().RemoveFromRoll(office_, a_, {"a", "2026-11-23", "Oak", "", ""}),
                "was in school on Tue 24 November 2026 AM");
  // Nor before the starting day.
  const int64_t id = AdmitValid("2026-11-25");
  ExpectRefused(admissions().RemoveFromRoll(office_, id, {"a", "2026-11-24", "Oak", "", ""}),
                "before the starting day");
  EXPECT_EQ(admissions().RemoveFromRoll(office_, a_, {"z", "2026-11-25", "Oak", "", ""}).code(),
            core::kErrValueInvalid);
  EXPECT_EQ(admissions().RemoveFromRoll(office_, a_, {"a", "", "Oak", "", ""}).code(),
            core::kErrValueInvalid);
  core::StatusOr<store::Pupil> a = store_->GetPupil(a_);
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(a->enrolments.back().end);
}

TEST_F(AdmissionsTest, GroundsWithoutDataHereNeedTheirEvidence) {
  for (const char* ground : {"b", "c", "d", "e", "g", "j", "k", "l", "n", "o"}) {
    ExpectRefused(admissions().RemoveFromRoll(office_, a_, {ground, "2026-11-25", "Elm", "", ""}),
                  "needs the evidence");
  }
  ASSERT_TRUE(admissions()
                  .RemoveFromRoll(office_, a_,
                                  {"k", "2026-11-25", "", "", "Mother telephoned on 25 November"})
                  .ok());
  EXPECT_EQ(Stored(a_).enrolments.back().deletion_ground, "k");
  EXPECT_EQ(Stored(a_).enrolments.back().destination, "Not known");
}

TEST_F(AdmissionsTest, GroundsGAndMDependOnBoarding) {
  store::Pupil boarder = NewPupil("C909123400003", class_3a_);
  boarder.boarder = true;
  const int64_t b = *store_->AddPupil(boarder);
  ASSERT_TRUE(services_->Load().ok());
  ExpectRefused(admissions().RemoveFromRoll(office_, b, {"g", "2026-11-25", "", "", "Moved"}),
                "not for a boarder");
  ExpectRefused(admissions().RemoveFromRoll(office_, a_, {"m", "2026-11-25", "", "", "Unpaid"}),
                "only for a boarder");
  EXPECT_TRUE(admissions().RemoveFromRoll(office_, b, {"m", "2026-11-25", "", "", "Unpaid"}).ok());
  EXPECT_TRUE(admissions().RemoveFromRoll(office_, a_, {"g", "2026-11-25", "", "", "Moved"}).ok());
}

TEST_F(AdmissionsTest, GroundFNeedsTheParentsWrittenNoticeOnOrBeforeTheLastDay) {
  ExpectRefused(admissions().RemoveFromRoll(office_, a_, {"f", "2026-11-25", "", "", ""}),
                "written notice");
  ExpectRefused(admissions().RemoveFromRoll(office_, a_, {"f", "2026-11-25", "", "2026-11-26", ""}),
                "after today");
  ExpectRefused(admissions().RemoveFromRoll(office_, a_, {"f", "2026-11-23", "", "2026-11-24", ""}),
                "before the parent's notice");
  ASSERT_TRUE(
      admissions().RemoveFromRoll(office_, a_, {"f", "2026-11-25", "", "2026-11-20", ""}).ok());
  EXPECT_EQ(Stored(a_).enrolments.back().destination, "Education at home");
}

TEST_F(AdmissionsTest, GroundHNeedsTenSchoolDaysAfterLeaveAndEnquiries) {
  ExpectRefused(admissions().RemoveFromRoll(office_, a_, {"h", "2026-11-25", "", "", ""}),
                "leave of absence granted");
  // Leave granted from Monday 2 to Friday 6 November.
  store::LeaveRequest r;
  r.pupil_id = a_;
  r.from = {D("2026-11-02"), core::Session::kAm};
  r.to = {D("2026-11-06"), core::Session::kPm};
  r.reason = "Family funeral abroad";
  r.received_on = D("2026-10-01");
  r.by_name = "Mrs A Parent";
  core::StatusOr<int64_t> request = store_->AddLeaveRequest(r);
  ASSERT_TRUE(request.ok()) << request.status().message();
  store::LeaveDecision d;
  d.request_id = *request;
  d.reason = "Exceptional";
  d.by_name = "Mrs Head";
  ASSERT_TRUE(store_->DecideLeave(d, std::nullopt).ok());
  ASSERT_TRUE(services_->Load().ok());
  // Friday 20 November is only the tenth school day after: 9 to 20 November.
  // Thursday 19 November is the ninth.
  ExpectRefused(admissions().RemoveFromRoll(office_, a_, {"h", "2026-11-20", "", "", ""}),
                "ground (h) needs the school's enquiries");
  clock_.Set(D("2026-11-24"), 10 * 60);
  ExpectRefused(admissions().RemoveFromRoll(office_, a_, {"h", "2026-11-19", "", "", ""}),
                "there are 9");
  clock_.Set(D("2026-11-25"), 10 * 60);
  ASSERT_TRUE(services_->contacts()
                  .Add(office_, {a_, "call", "no_answer", "Mrs A Parent", "Not back after leave"})
                  .ok());
  ASSERT_TRUE(admissions().RemoveFromRoll(office_, a_, {"h", "2026-11-20", "", "", ""}).ok());
  EXPECT_EQ(Stored(a_).enrolments.back().deletion_ground, "h");
}

TEST_F(AdmissionsTest, GroundINeedsTwentySchoolDaysOfGNOEnquiriesAndAWorkedCmeCase) {
  // 20 school days up to yesterday: Wednesday 28 October to Tuesday 24
  // November (the fixture's term has no half-term holiday).
  MarkDays(a_, "2026-10-28", "2026-11-24", "N");
  ExpectRefused(admissions().RemoveFromRoll(office_, a_, {"i", "2026-11-24", "", "", ""}),
                "enquiries");
  ASSERT_TRUE(services_->contacts()
                  .Add(office_, {a_, "home_visit", "not_seen", "", "No one at home"})
                  .ok());
  ExpectRefused(admissions().RemoveFromRoll(office_, a_, {"i", "2026-11-24", "", "", ""}),
                "children-missing-education case");
  core::StatusOr<std::vector<CmeView>> cases = services_->cme().Cases(office_, a_, false);
  ASSERT_TRUE(cases.ok());
  ASSERT_FALSE(cases->empty());
  ASSERT_TRUE(services_->cme()
                  .RecordStep(office_, {std::to_string(cases->front().c.id), "contact_family",
                                        "Called both parents"})
                  .ok());
  // One session present in the 20 days, and the ground is not met.
  ASSERT_TRUE(Mark(office_, a_, "2026-11-02", "AM", "/", "Register corrected").ok());
  ExpectRefused(admissions().RemoveFromRoll(office_, a_, {"i", "2026-11-24", "", "", ""}),
                "Mon 2 November 2026 AM is /");
  ASSERT_TRUE(Mark(office_, a_, "2026-11-02", "AM", "O", "Register corrected").ok());
  ASSERT_TRUE(admissions().RemoveFromRoll(office_, a_, {"i", "2026-11-24", "", "", ""}).ok());
  EXPECT_EQ(Stored(a_).enrolments.back().deletion_ground, "i");
  // Off the roll, the CME case closes by itself at the next check.
}

TEST_F(AdmissionsTest, EveryGroundHasItsWordsAndConditions) {
  ASSERT_EQ(DeletionGrounds().size(), 15u);
  char letter = 'a';
  for (const DeletionGround& g : DeletionGrounds()) {
    EXPECT_EQ(g.letter, letter++);
    EXPECT_FALSE(g.words.empty());
    EXPECT_FALSE(g.conditions.empty());
  }
  EXPECT_EQ(DeletionGroundOf("o")->letter, 'o');
  EXPECT_EQ(DeletionGroundOf("p"), nullptr);
  EXPECT_EQ(DeletionGroundOf("ab"), nullptr);
}

}  // namespace
}  // namespace rollcall::service
