// The Common Transfer File import (RollImport::ImportCtf): the fixture's
// pupils admitted on the starting day given with their contacts and their
// attendance at previous schools; a second import of the same file writes
// nothing; the school's own figures are the same before and after; the
// pupil's page shows the previous schools to staff, not to parents; and a
// problem anywhere writes nothing.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/evaluate.h"
#include "core/upn.h"
#include "io/result_json.h"
#include "service/roll_import.h"
#include "service/school_fixture.h"

namespace rollcall::service {
// Named apart from the other tests, which share a build unit with these.
namespace ctf_import_test {

std::string Fixture() {
  const char* root = std::getenv("ROLLCALL_SOURCE_DIR");
  EXPECT_NE(root, nullptr) << "ROLLCALL_SOURCE_DIR not set (ctest sets it)";
  if (root == nullptr) return "";
  std::ifstream in(std::string(root) + "/tests/data/ctf/two_pupils.xml");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Replaced(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// Everything the import may write, as text.
std::string StateOf(store::Store& store) {
  std::ostringstream out;
  for (const store::Class& c : *store.ListClasses()) out << "class " << c.id << c.name << "\n";
  for (const store::Pupil& p : *store.ListPupils()) {
    out << "pupil " << p.id << " " << p.upn << " " << p.legal_given_name << " "
        << p.legal_family_name << " " << p.preferred_given_name << " " << p.year_group << " "
        << p.class_id.value_or(0) << " " << p.previous_school << "\n";
    for (const store::Enrolment& e : p.enrolments)
      out << "  on roll " << e.start.ToString() << "\n";
    for (const store::Contact& c : p.contacts) {
      out << "  contact " << c.priority << " " << c.name << " " << c.phone << " " << c.other_phone
          << " " << c.address << "\n";
    }
    out << "  changes " << store.AdmissionChangesFor(p.id)->size() << "\n";
    for (const store::PreviousAttendance& a : *store.PreviousAttendanceFor(p.id)) {
      out << "  previous " << a.id << " " << a.academic_year << " " << a.attended << "/"
          << a.possible << " " << a.marks << "\n";
    }
  }
  return out.str();
}

class CtfImportTest : public SchoolFixture {
 protected:
  CtfImportTest() {
    // The fixture's pupils with UPNs whose check letters are right.
    for (int64_t id : {a_, b_}) {
      store::Pupil p = *store_->GetPupil(id);
      p.upn = core::UpnWithCheckLetter(p.upn.substr(1));
      EXPECT_TRUE(store_->UpdatePupil(p).ok());
    }
    EXPECT_TRUE(services_->Load().ok());
  }

  core::StatusOr<RollImportResult> Import(const Principal& who, const std::string& text,
                                          const std::string& class_name = "",
                                          bool dry_run = false) {
    CtfImportRequest r;
    r.ctf = {"oakfield.xml", text};
    r.start = D("2026-11-30");
    r.class_name = class_name;
    r.dry_run = dry_run;
    return services_->roll_import().ImportCtf(who, r);
  }
  std::optional<store::Pupil> ByUpn(const std::string& upn) {
    for (const store::Pupil& p : *store_->ListPupils()) {
      if (p.upn == upn) return p;
    }
    return std::nullopt;
  }
  std::string SchoolFigures() {
    const Evaluated e = services_->school().EvaluatedOn(clock_.Today());
    return io::EvaluationToJson(*e.scenario, *e.evaluation).dump();
  }
};

TEST_F(CtfImportTest, AdmitsThePupilsWithContactsAndPreviousAttendance) {
  core::StatusOr<RollImportResult> r = Import(office_, Fixture());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->admitted, 2);
  EXPECT_EQ(r->updated, 0);
  EXPECT_EQ(r->previous_years, 3);

  const std::optional<store::Pupil> amira = ByUpn("N855200125001");
  ASSERT_TRUE(amira);
  EXPECT_EQ(amira->legal_given_name, "Amira");
  EXPECT_EQ(amira->preferred_given_name, "Mira");
  EXPECT_EQ(amira->legal_family_name, "O'Neill");
  EXPECT_EQ(amira->date_of_birth, D("2018-10-14"));
  EXPECT_EQ(amira->sex, "F");
  EXPECT_EQ(amira->year_group, 3);
  EXPECT_FALSE(amira->class_id);
  EXPECT_EQ(amira->previous_school, "Oakfield Primary School (855/2001)");
  ASSERT_EQ(amira->enrolments.size(), 1u);
  EXPECT_EQ(amira->enrolments[0].start, D("2026-11-30"));
  ASSERT_EQ(amira->contacts.size(), 2u);
  const store::Contact& mother = amira->contacts[0];
  EXPECT_EQ(mother.priority, 1);
  EXPECT_EQ(mother.name, "Mrs Fatima O'Neill");
  EXPECT_EQ(mother.relationship, "Parent");
  EXPECT_TRUE(mother.parental_responsibility);
  EXPECT_EQ(mother.phone, "01455 000001");
  EXPECT_EQ(mother.other_phone, "07700 900101");
  EXPECT_EQ(mother.email, "fatima@example.org");
  EXPECT_EQ(mother.address, "14\nCastle Street\nHinckley");
  EXPECT_EQ(mother.postcode, "LE10 1DA");
  EXPECT_EQ(amira->contacts[1].name, "Mr Tom Reed");

  const std::vector<store::PreviousAttendance> years = *store_->PreviousAttendanceFor(amira->id);
  ASSERT_EQ(years.size(), 2u);
  EXPECT_EQ(years[0].academic_year, 2024);
  EXPECT_EQ(years[0].possible, 380);
  EXPECT_EQ(years[1].academic_year, 2025);
  EXPECT_EQ(years[1].marks_start, D("2025-09-01"));
  EXPECT_EQ(years[1].marks, "##/\\/\\II/8####/\\L\\/1");
  EXPECT_EQ(years[1].school_name, "Oakfield Primary School");

  // Kept in the admission register's history with the file as its reason.
  const std::vector<store::AdmissionChange> changes = *store_->AdmissionChangesFor(amira->id);
  ASSERT_FALSE(changes.empty());
  EXPECT_EQ(changes[0].field, "admitted");
  EXPECT_EQ(changes[0].reason,
            "Common Transfer File oakfield.xml from Oakfield Primary School (855/2001)");
  EXPECT_EQ(changes[0].actor_name, "Ms Office");
}

TEST_F(CtfImportTest, NewPupilsJoinTheClassGivenAndTakeItsYearWhenTheFileHasNone) {
  const std::string text = Replaced(Fixture(), "<NCyearActual>3</NCyearActual>", "");
  // No year group and no class: the pupil cannot be placed.
  core::StatusOr<RollImportResult> r = Import(office_, text);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find(
                "oakfield.xml: CTFpupilData/Pupil[1]/BasicDetails/NCyearActual: missing"),
            std::string::npos)
      << r.status().message();
  r = Import(office_, Replaced(text, "<NCyearActual>4</NCyearActual>", ""), "3A");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(ByUpn("N855200125001")->class_id, class_3a_);
  EXPECT_EQ(ByUpn("N855200125001")->year_group, 3);
  EXPECT_EQ(ByUpn("C855200125002")->class_id, class_3a_);
}

TEST_F(CtfImportTest, ImportingTheSameFileAgainChangesNothing) {
  ASSERT_TRUE(Import(office_, Fixture()).ok());
  const std::string before = StateOf(*store_);
  core::StatusOr<RollImportResult> again = Import(office_, Fixture());
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->admitted, 0);
  EXPECT_EQ(again->updated, 0);
  EXPECT_EQ(again->unchanged, 2);
  EXPECT_EQ(again->previous_years, 0);
  EXPECT_EQ(StateOf(*store_), before);
}

TEST_F(CtfImportTest, AKnownPupilIsUpdatedAndKeepsTheirAdmission) {
  const std::string a_upn = store_->GetPupil(a_)->upn;
  const store::Pupil before = *store_->GetPupil(a_);
  core::StatusOr<RollImportResult> r =
      Import(office_, Replaced(Fixture(), "<UPN>N855200125001</UPN>", "<UPN>" + a_upn + "</UPN>"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->admitted, 1);
  EXPECT_EQ(r->updated, 1);
  const store::Pupil after = *store_->GetPupil(a_);
  EXPECT_EQ(after.legal_given_name, "Amira");
  EXPECT_EQ(after.contacts.size(), 2u);
  EXPECT_EQ(after.class_id, before.class_id);
  ASSERT_EQ(after.enrolments.size(), 1u);
  EXPECT_EQ(after.enrolments[0].start, before.enrolments[0].start);
  EXPECT_EQ(after.previous_school, before.previous_school);
  EXPECT_EQ(store_->PreviousAttendanceFor(a_)->size(), 2u);
}

TEST_F(CtfImportTest, TheSchoolsFiguresAreTheSameBeforeAndAfter) {
  ASSERT_TRUE(Mark(office_, a_, "2026-11-25", "AM", "/").ok());
  ASSERT_TRUE(Mark(office_, b_, "2026-11-25", "AM", "I").ok());
  const std::string before = SchoolFigures();
  // The file's pupils are the school's own two, with years at Oakfield.
  std::string text = Replaced(Fixture(), "<UPN>N855200125001</UPN>",
                              "<UPN>" + store_->GetPupil(a_)->upn + "</UPN>");
  text = Replaced(text, "<UPN>C855200125002</UPN>", "<UPN>" + store_->GetPupil(b_)->upn + "</UPN>");
  text = Replaced(text, "<NCyearActual>4</NCyearActual>", "<NCyearActual>3</NCyearActual>");
  core::StatusOr<RollImportResult> r = Import(office_, text);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->previous_years, 3);
  EXPECT_EQ(SchoolFigures(), before);
  core::StatusOr<PupilOverview> v = services_->pupils().Overview(head_, a_, clock_.Today());
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->result.counts.possible, 1);  // this school's one session, not Oakfield's 393
  EXPECT_EQ(v->result.counts.attended, 1);
}

TEST_F(CtfImportTest, ThePupilsPageShowsPreviousSchoolsToStaffNotParents) {
  const std::string a_upn = store_->GetPupil(a_)->upn;
  ASSERT_TRUE(
      Import(office_, Replaced(Fixture(), "<UPN>N855200125001</UPN>", "<UPN>" + a_upn + "</UPN>"))
          .ok());
  for (const Principal& who : {office_, head_, teacher_, la_}) {
    core::StatusOr<PupilOverview> v = services_->pupils().Overview(who, a_, clock_.Today());
    ASSERT_TRUE(v.ok()) << v.status().message();
    ASSERT_EQ(v->previous_schools.size(), 2u) << who.name;
    EXPECT_EQ(v->previous_schools[1].academic_year, 2025);
    EXPECT_EQ(v->previous_schools[1].attended, 10);
    EXPECT_EQ(v->previous_schools[1].possible, 13);
  }
  core::StatusOr<PupilOverview> parent = services_->pupils().Overview(parent_, a_, clock_.Today());
  ASSERT_TRUE(parent.ok()) << parent.status().message();
  EXPECT_TRUE(parent->previous_schools.empty());
}

TEST_F(CtfImportTest, AProblemAnywhereWritesNothing) {
  const std::string before = StateOf(*store_);
  core::StatusOr<RollImportResult> r =
      Import(office_, Replaced(Fixture(), "<DOB>2017-12-02</DOB>", "<DOB>2017-12-32</DOB>"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("oakfield.xml: 1 problem, nothing imported"),
            std::string::npos)
      << r.status().message();
  EXPECT_NE(r.status().message().find("CTFpupilData/Pupil[2]/DOB"), std::string::npos);
  EXPECT_EQ(StateOf(*store_), before);
}

// The malformed files the issue names: each is refused with a clear
// problem, and nothing is written.
TEST_F(CtfImportTest, MalformedFilesAreRefusedAndWriteNothing) {
  const std::string before = StateOf(*store_);
  const std::pair<std::string, std::string> cases[] = {
      {"<Other/>", "Other: the root element of a Common Transfer File is CTfile"},
      {Replaced(Fixture(), "<EntryDate>2022-09-05</EntryDate>", "<EntryDate>5/9/2022</EntryDate>"),
       "CTFpupilData/Pupil[1]/SchoolHistory/School[1]/EntryDate: \"5/9/2022\" is not a date"},
      {Replaced(Fixture(), "##/\\/\\II/8####/\\L\\/1", "##/\\/\\II/8####/\\L\\/q"),
       "AttendanceMarks: character 20 (\"q\") is not an attendance mark"},
      {std::string(100 * 1024 * 1024, ' '),
       "100.0 MB: a Common Transfer File may have at most 64 MB"},
  };
  for (const auto& [text, problem] : cases) {
    core::StatusOr<RollImportResult> r = Import(office_, text);
    ASSERT_FALSE(r.ok()) << problem;
    EXPECT_EQ(r.status().code(), core::kErrCsvInvalid) << problem;
    EXPECT_NE(r.status().message().find(problem), std::string::npos) << r.status().message();
    EXPECT_EQ(StateOf(*store_), before) << problem;
  }
}

TEST_F(CtfImportTest, ADryRunCountsAndWritesNothing) {
  const std::string before = StateOf(*store_);
  core::StatusOr<RollImportResult> r = Import(office_, Fixture(), "", true);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->admitted, 2);
  EXPECT_EQ(r->previous_years, 3);
  EXPECT_EQ(StateOf(*store_), before);
}

TEST_F(CtfImportTest, OnlyTheOfficeAndHeadImport) {
  core::StatusOr<RollImportResult> r = Import(teacher_, Fixture());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().kind(), core::ErrorKind::kPermissionDenied);
  EXPECT_TRUE(Import(head_, Fixture()).ok());
}

}  // namespace ctf_import_test
}  // namespace rollcall::service
