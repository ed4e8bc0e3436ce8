// Common Transfer Files out (CtfExport): a leaver's file owed when the
// deletion is recorded, due 15 school days after the last day and stamped
// produced when it is written; every file valid against the schema; and the
// round trip, the file imported into another school (RollImport::ImportCtf),
// keeps every year's figures, which are the rules core's, and every mark,
// the 2024 two-character codes and the withdrawn ones included.
#include "service/ctf_export.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>

#include "core/upn.h"
#include "io/ctf_xml.h"
#include "service/roll_import.h"
#include "service/school_fixture.h"
#include "support/ctf_schema.h"

namespace rollcall::service {
// Named apart from the other tests, which share a build unit with these.
namespace ctf_export_test {

using core::AttendanceCode;
using core::Session;

AttendanceCode Code(std::string_view symbol) {
  const std::optional<AttendanceCode> code = core::CodeFromSymbol(symbol);
  EXPECT_TRUE(code.has_value()) << symbol;
  return code.value_or(AttendanceCode::kPresentAm);
}

// The fixture's school with its DfE number, and a leaver: on roll from
// September 2023 to Friday 20 November 2026, with a year at a previous
// school, marks in 2023 in the codes of that year (J and Y, withdrawn
// since) and in 2026 in the 2024 codes of two characters (Y1, C1, J1).
class CtfExportTest : public SchoolFixture {
 protected:
  CtfExportTest() {
    EXPECT_TRUE(
        store_->SetSchool({"Test Primary", "123456", "909", "primary", "1234", "1 School Lane", ""})
            .ok());
    EXPECT_TRUE(store_->AddTerm({0, "Autumn 2023", D("2023-09-04"), D("2023-12-20")}).ok());
    store::Pupil p = NewPupil(core::UpnWithCheckLetter("909123400003"), class_3a_);
    p.legal_given_name = "Amira";
    p.legal_family_name = "O'Neill";
    p.preferred_given_name = "Mira";
    p.enrolments = {{D("2023-09-04"), std::nullopt, "", ""}};
    store::Contact mother;
    mother.priority = 1;
    mother.name = "Fatima O'Neill";
    mother.relationship = "Parent";
    mother.phone = "01455 000001";
    mother.other_phone = "07700 900101";
    mother.email = "fatima@example.org";
    mother.parental_responsibility = true;
    mother.address = "14 Castle Street\nHinckley";
    mother.postcode = "LE10 1DA";
    mother.lives_with = true;
    store::Contact other;
    other.priority = 2;
    other.name = "Tom Reed";
    other.relationship = "Childminder";
    other.phone = "07700 900102";
    p.contacts = {mother, other};
    leaver_ = *store_->AddPupil(p);

    marks_ = {
        {{D("2023-09-04"), Session::kAm}, Code("/")},
        {{D("2023-09-04"), Session::kPm}, Code("\\")},
        {{D("2023-09-05"), Session::kAm}, Code("L")},
        {{D("2023-09-05"), Session::kPm}, Code("J")},
        {{D("2023-09-06"), Session::kAm}, Code("Y")},
        {{D("2023-09-06"), Session::kPm}, Code("O")},
        {{D("2023-09-07"), Session::kAm}, Code("I")},
        {{D("2023-09-07"), Session::kPm}, Code("X")},
        {{D("2026-11-16"), Session::kAm}, Code("/")},
        {{D("2026-11-16"), Session::kPm}, Code("Y1")},
        {{D("2026-11-17"), Session::kAm}, Code("C1")},
        {{D("2026-11-17"), Session::kPm}, Code("J1")},
        {{D("2026-11-18"), Session::kAm}, Code("L")},
        {{D("2026-11-18"), Session::kPm}, Code("U")},
        {{D("2026-11-19"), Session::kAm}, Code("N")},
        {{D("2026-11-19"), Session::kPm}, Code("B")},
        {{D("2026-11-20"), Session::kAm}, Code("D")},
        {{D("2026-11-20"), Session::kPm}, Code("/")},
    };
    std::vector<store::MarkWrite> writes;
    for (const auto& [slot, code] : marks_) writes.push_back({leaver_, slot, code, {}, "", {}, {}});
    EXPECT_TRUE(
        store_->SaveMarks(writes, {office_.user_id, "Ms Office", store::Role::kOffice}, 0).ok());
    // The year the pupil brought from their previous school.
    store::PreviousAttendance before;
    before.pupil_id = leaver_;
    before.academic_year = 2022;
    before.lea = "855";
    before.estab = "2001";
    before.school_name = "Oakfield Primary School";
    before.possible = 380, before.authorised = 15, before.attended = 361, before.unauthorised = 4;
    EXPECT_TRUE(store_
                    ->ImportTransfer({}, {}, {before},
                                     {office_.user_id, "Ms Office", store::Role::kOffice}, 0,
                                     "from Oakfield")
                    .ok());
    EXPECT_TRUE(Leave(leaver_, D("2026-11-20"), "Castle Academy (855/2345)").ok());
    attendance_ = AddUser("attendance", store::Role::kAttendanceOfficer, "Mr Attendance", {}, {});
    EXPECT_TRUE(services_->Load().ok());
  }

  // Records the deletion as the admission register does: the enrolment
  // gains its last day, and a transfer is owed.
  core::Status Leave(int64_t pupil_id, core::Date last_day, const std::string& destination) {
    store::Pupil p = *store_->GetPupil(pupil_id);
    p.enrolments.back().end = last_day;
    p.enrolments.back().deletion_ground = "b";
    p.enrolments.back().destination = destination;
    return store_
        ->SavePupils({}, {p}, {office_.user_id, "Ms Office", store::Role::kOffice},
                     clock_.NowSeconds(), "left")
        .status();
  }

  // The rules core's counts of the leaver for the academic year that ends
  // on or before `as_of`, as `rollcall evaluate` gives them.
  core::SessionCounts CoreCounts(core::Date as_of) {
    const Evaluated e = services_->school().EvaluatedOn(as_of);
    auto lock = services_->school().Read();
    return e.evaluation->pupils[services_->school().snapshot().pupil_index.at(leaver_)].counts;
  }

  int64_t leaver_ = 0;
  Principal attendance_;
  std::map<core::SessionKey, AttendanceCode> marks_;
};

TEST_F(CtfExportTest, TheDeletionOwesAFileDueFifteenSchoolDaysLater) {
  core::StatusOr<TransfersView> v = services_->ctf_export().Owed(office_);
  ASSERT_TRUE(v.ok()) << v.status().message();
  ASSERT_EQ(v->owed.size(), 1u);
  const TransferLine& t = v->owed[0];
  EXPECT_EQ(t.pupil_id, leaver_);
  EXPECT_EQ(t.pupil_name, "Mira O'Neill");
  EXPECT_EQ(t.last_day, D("2026-11-20"));
  EXPECT_EQ(t.destination, "Castle Academy (855/2345)");
  EXPECT_EQ(t.destination_number, "855/2345");
  // Friday 20 November: the 15th school day after it is Friday 11 December.
  EXPECT_EQ(t.due, D("2026-12-11"));
  EXPECT_FALSE(t.overdue);
  EXPECT_FALSE(t.produced_at.has_value());
  EXPECT_EQ(v->not_produced, 1);

  clock_.Set(D("2026-12-14"), 9 * 60);
  v = services_->ctf_export().Owed(office_);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->owed[0].overdue);
}

TEST_F(CtfExportTest, WritingTheFileStampsItProducedOnce) {
  const int64_t id = services_->ctf_export().Owed(office_)->owed[0].id;
  core::StatusOr<CtfOutput> out = services_->ctf_export().ForTransfer(office_, id);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(out->file_name, "9091234_CTF_8552345_2026-11-25.xml");
  EXPECT_EQ(out->pupils, 1);
  EXPECT_EQ(out->produced, 1);
  EXPECT_TRUE(rollcall::testing::ValidCtf(out->xml));
  const int64_t first = clock_.NowSeconds();
  TransfersView v = *services_->ctf_export().Owed(office_);
  EXPECT_EQ(v.owed[0].produced_at.value_or(-1), first);
  EXPECT_EQ(v.not_produced, 0);

  clock_.Set(D("2026-11-26"), 9 * 60);
  out = services_->ctf_export().ForTransfer(office_, id);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->produced, 0);
  EXPECT_EQ(services_->ctf_export().Owed(office_)->owed[0].produced_at.value_or(-1), first);
  EXPECT_EQ(services_->ctf_export().ForTransfer(office_, id + 100).status().code(),
            core::kErrTransferUnknown);
}

TEST_F(CtfExportTest, AFileNotYetWrittenIsStampedOnlyWhenTheWriterSaysSo) {
  const int64_t id = services_->ctf_export().Owed(office_)->owed[0].id;
  CtfRequest request;
  request.pupils = {std::to_string(leaver_)};
  request.stamp = false;
  core::StatusOr<CtfOutput> out = services_->ctf_export().Write(office_, request);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(out->produced, 0);
  EXPECT_EQ(out->owed, std::vector<int64_t>{id});
  // Not written yet (the command's file may fail): still owed.
  EXPECT_FALSE(services_->ctf_export().Owed(office_)->owed[0].produced_at.has_value());
  EXPECT_EQ(services_->ctf_export().MarkProduced(teacher_, out->owed).kind(),
            core::ErrorKind::kPermissionDenied);
  ASSERT_TRUE(services_->ctf_export().MarkProduced(office_, out->owed).ok());
  EXPECT_EQ(services_->ctf_export().Owed(office_)->owed[0].produced_at.value_or(-1),
            clock_.NowSeconds());
  EXPECT_EQ(services_->ctf_export().MarkProduced(office_, {id + 100}).code(),
            core::kErrTransferUnknown);
}

TEST_F(CtfExportTest, TheRoundTripKeepsEveryFigureAndEveryMark) {
  const core::SessionCounts y2023 = CoreCounts(D("2024-07-31"));
  const core::SessionCounts y2026 = CoreCounts(D("2026-11-25"));
  ASSERT_GT(y2023.possible, 0);
  ASSERT_GT(y2026.possible, 0);
  CtfRequest request;
  request.pupils = {core::UpnWithCheckLetter("909123400003")};
  core::StatusOr<CtfOutput> out = services_->ctf_export().Write(office_, request);
  ASSERT_TRUE(out.ok()) << out.status().message();
  ASSERT_TRUE(rollcall::testing::ValidCtf(out->xml));
  EXPECT_EQ(out->produced, 1);  // the owed file of the pupil chosen by UPN

  // Another school, in another store, receives it.
  std::unique_ptr<store::Store> castle = store::NewMemoryStore();
  ASSERT_TRUE(castle->SetSchool({"Castle Academy", "654321", "855", "primary", "2345"}).ok());
  store::Settings settings;
  settings.set_by = "test";
  ASSERT_TRUE(castle->SaveSettings(settings).ok());
  ASSERT_TRUE(castle->AddTerm({0, "Autumn 2026", D("2026-09-02"), D("2026-12-18")}).ok());
  store::User office;
  office.username = "office";
  office.display_name = "Mr Castle";
  office.role = store::Role::kOffice;
  office.password_hash = "not-a-hash";
  office.id = *castle->AddUser(office);
  Services services(*castle, clock_);
  ASSERT_TRUE(services.Load().ok());
  CtfImportRequest import;
  import.ctf = {out->file_name, out->xml};
  import.start = D("2026-11-30");
  import.class_name = "3C";
  core::StatusOr<RollImportResult> imported =
      services.roll_import().ImportCtf(PrincipalOf(office), import);
  ASSERT_TRUE(imported.ok()) << imported.status().message();
  EXPECT_EQ(imported->admitted, 1);
  EXPECT_EQ(imported->previous_years, 3);

  const store::Pupil pupil = castle->ListPupils()->front();
  EXPECT_EQ(pupil.legal_family_name, "O'Neill");
  EXPECT_EQ(pupil.preferred_given_name, "Mira");
  EXPECT_EQ(pupil.previous_school, "Test Primary (909/1234)");
  ASSERT_EQ(pupil.contacts.size(), 2u);
  EXPECT_EQ(pupil.contacts[0].name, "Fatima O'Neill");
  EXPECT_EQ(pupil.contacts[0].relationship, "Parent");
  EXPECT_EQ(pupil.contacts[0].phone, "01455 000001");
  EXPECT_EQ(pupil.contacts[0].other_phone, "07700 900101");
  EXPECT_EQ(pupil.contacts[0].address, "14 Castle Street\nHinckley");
  EXPECT_EQ(pupil.contacts[0].postcode, "LE10 1DA");
  EXPECT_TRUE(pupil.contacts[0].parental_responsibility);
  EXPECT_EQ(pupil.contacts[1].name, "Tom Reed");
  EXPECT_EQ(pupil.contacts[1].relationship, "Childminder");

  const std::vector<store::PreviousAttendance> years = *castle->PreviousAttendanceFor(pupil.id);
  ASSERT_EQ(years.size(), 3u);
  EXPECT_EQ(
      fmt::format("{} {}/{} {} {} {} {}", years[0].academic_year, years[0].lea, years[0].estab,
                  years[0].possible, years[0].authorised, years[0].attended, years[0].unauthorised),
      "2022 855/2001 380 15 361 4");  // carried on as it came
  const std::pair<const store::PreviousAttendance*, const core::SessionCounts*> own[] = {
      {&years[1], &y2023}, {&years[2], &y2026}};
  for (const auto& [year, counts] : own) {
    EXPECT_EQ(year->lea + "/" + year->estab, "909/1234");
    EXPECT_EQ(year->school_name, "Test Primary");
    EXPECT_EQ(year->possible, counts->possible) << year->academic_year;
    EXPECT_EQ(year->authorised, counts->authorised) << year->academic_year;
    EXPECT_EQ(year->attended, counts->attended) << year->academic_year;
    EXPECT_EQ(year->unauthorised, counts->unauthorised) << year->academic_year;
  }
  EXPECT_EQ(years[1].academic_year, 2023);
  EXPECT_EQ(years[2].academic_year, 2026);
  // In 2026: L is present and B approved activity, so attended; C1 and J1
  // authorised; U and N unauthorised; Y1 and D no possible session; the
  // sessions with no mark are not counted.
  EXPECT_EQ(y2026.possible, 8);
  EXPECT_EQ(y2026.attended, 4);
  EXPECT_EQ(y2026.authorised, 2);
  EXPECT_EQ(y2026.unauthorised, 2);
  // Every mark reads back as the code recorded, from the marks' start day.
  for (const store::PreviousAttendance* year : {&years[1], &years[2]}) {
    ASSERT_TRUE(year->marks_start.has_value());
    for (const auto& [slot, code] : marks_) {
      if (slot.date.AcademicYearStart().year() != year->academic_year) continue;
      const size_t at = static_cast<size_t>(2 * (slot.date.days() - year->marks_start->days()) +
                                            (slot.session == Session::kPm ? 1 : 0));
      ASSERT_LT(at, year->marks.size());
      EXPECT_TRUE(io::CtfMarkCode(year->marks[at]) == code)
          << slot.date.ToString() << " " << year->marks;
    }
  }
  EXPECT_EQ(years[1].marks_start.value_or(core::Date()), D("2023-09-04"));
  EXPECT_EQ(years[2].marks_start.value_or(core::Date()), D("2026-09-02"));
  // A session the pupil had with no mark is '-'; a weekend is '#'.
  EXPECT_EQ(years[2].marks.substr(0, 8), "------##");  // Wed 2 to Sat 5 September
}

TEST_F(CtfExportTest, AnUnknownDestinationGoesToTheLostPupilsDatabase) {
  ASSERT_TRUE(Leave(a_, D("2026-11-24"), "Not known").ok());
  ASSERT_TRUE(services_->Load().ok());
  const TransfersView v = *services_->ctf_export().Owed(office_);
  ASSERT_EQ(v.owed.size(), 2u);
  const TransferLine& line = v.owed[0].pupil_id == a_ ? v.owed[0] : v.owed[1];
  EXPECT_EQ(line.destination_number, "");
  core::StatusOr<CtfOutput> out = services_->ctf_export().ForTransfer(office_, line.id);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(out->file_name, "9091234_CTF_MMMMMMM_2026-11-25.xml");
  EXPECT_NE(out->xml.find("<DestSchool>\n      <LEA>MMM</LEA>\n      <Estab>MMMM</Estab>"),
            std::string::npos)
      << out->xml;
  EXPECT_TRUE(rollcall::testing::ValidCtf(out->xml));
}

TEST_F(CtfExportTest, AllOwedFilesAndAYearGroupGoInOneFile) {
  ASSERT_TRUE(Leave(a_, D("2026-11-24"), "Not known").ok());
  ASSERT_TRUE(services_->Load().ok());
  CtfRequest owed;
  owed.owed = true;
  core::StatusOr<CtfOutput> out = services_->ctf_export().Write(head_, owed);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(out->pupils, 2);
  EXPECT_EQ(out->produced, 2);
  // Two destinations: the file names none of them.
  EXPECT_EQ(out->file_name, "9091234_CTF_MMMMMMM_2026-11-25.xml");
  EXPECT_TRUE(rollcall::testing::ValidCtf(out->xml));
  EXPECT_EQ(services_->ctf_export().Write(head_, owed).status().code(),
            core::kErrTransferInvalid);  // nothing owed now

  CtfRequest year;
  year.year_group = 3;
  year.dest = "855/2345";
  out = services_->ctf_export().Write(attendance_, year);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(out->pupils, 3);  // a_ and the leaver left this year; b_ is on roll
  EXPECT_EQ(out->file_name, "9091234_CTF_8552345_2026-11-25.xml");
  EXPECT_TRUE(rollcall::testing::ValidCtf(out->xml));
}

TEST_F(CtfExportTest, BadRequestsAreRefusedWithTheReason) {
  CtfRequest none;
  EXPECT_EQ(services_->ctf_export().Write(office_, none).status().code(),
            core::kErrTransferInvalid);
  CtfRequest unknown;
  unknown.pupils = {"Z999999999999"};
  EXPECT_EQ(services_->ctf_export().Write(office_, unknown).status().code(),
            core::kErrPupilUnknown);
  CtfRequest bad_dest;
  bad_dest.pupils = {std::to_string(leaver_)};
  bad_dest.dest = "Castle";
  core::Status s = services_->ctf_export().Write(office_, bad_dest).status();
  EXPECT_EQ(s.code(), core::kErrTransferInvalid);
  EXPECT_NE(s.message().find("\"Castle\" is not a school's LA and establishment number"),
            std::string::npos)
      << s.message();
  // A school with no establishment number cannot name itself in a file.
  ASSERT_TRUE(store_->SetSchool({"Test Primary", "123456", "909", "primary"}).ok());
  ASSERT_TRUE(services_->Load().ok());
  CtfRequest one;
  one.pupils = {std::to_string(leaver_)};
  s = services_->ctf_export().Write(office_, one).status();
  EXPECT_EQ(s.code(), core::kErrTransferInvalid);
  EXPECT_NE(s.message().find("establishment numbers are not set"), std::string::npos);
}

TEST_F(CtfExportTest, OnlyTheOfficeHeadAndAttendanceOfficerWriteFiles) {
  CtfRequest one;
  one.pupils = {std::to_string(leaver_)};
  for (const Principal* who : {&teacher_, &parent_, &la_}) {
    EXPECT_EQ(services_->ctf_export().Write(*who, one).status().kind(),
              core::ErrorKind::kPermissionDenied)
        << who->name;
    EXPECT_EQ(services_->ctf_export().Owed(*who).status().kind(),
              core::ErrorKind::kPermissionDenied)
        << who->name;
    // Refused before the number is looked up: an unknown one says nothing.
    EXPECT_EQ(services_->ctf_export().ForTransfer(*who, 999).status().kind(),
              core::ErrorKind::kPermissionDenied)
        << who->name;
  }
  for (const Principal* who : {&office_, &head_, &attendance_}) {
    EXPECT_TRUE(services_->ctf_export().Owed(*who).ok()) << who->name;
  }
}

}  // namespace ctf_export_test
}  // namespace rollcall::service
