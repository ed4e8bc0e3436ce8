// Reading a Common Transfer File (io/ctf_xml.h): the hand-written fixture
// tests/data/ctf/two_pupils.xml read field by field, the one-character marks
// of the 2024 codes read back as the codes export writes them from, and
// every problem named by its element's path with the pupil left out.
#include "io/ctf_xml.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "support/ctf_schema.h"
#include "support/dates.h"

namespace rollcall::io {
// Named apart from the other tests, which share a build unit with these.
namespace ctf_test {

using core::Date;

using rollcall::testing::D;

const Date kToday = D("2026-11-25");

std::string Fixture() {
  const char* root = std::getenv("ROLLCALL_SOURCE_DIR");
  EXPECT_NE(root, nullptr) << "ROLLCALL_SOURCE_DIR not set (ctest sets it)";
  if (root == nullptr) return "";
  std::ifstream in(std::string(root) + "/tests/data/ctf/two_pupils.xml");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_FALSE(text.str().empty()) << "tests/data/ctf/two_pupils.xml not read";
  return text.str();
}

// The fixture with the first `from` replaced by `to`.
std::string Damaged(const std::string& from, const std::string& to) {
  std::string text = Fixture();
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

struct Read {
  CtfFile file;
  std::string problems;  // "" when none
};

Read ReadText(const std::string& text) {
  CsvErrors errors;
  Read r{ReadCtf(text, "a.xml", kToday, errors), ""};
  if (!errors.empty()) r.problems = errors.ToStatus("a.xml").message();
  return r;
}

TEST(CtfXmlTest, ReadsEveryFieldOfTheFixture) {
  const Read r = ReadText(Fixture());
  ASSERT_EQ(r.problems, "");
  EXPECT_EQ(r.file.version, "25.0");
  EXPECT_EQ(r.file.source.lea, "855");
  EXPECT_EQ(r.file.source.estab, "2001");
  EXPECT_EQ(r.file.source.school_name, "Oakfield Primary School");
  EXPECT_EQ(r.file.source.academic_year, 2026);
  ASSERT_EQ(r.file.pupils.size(), 2u);

  const CtfPupil& a = r.file.pupils[0];
  EXPECT_EQ(a.path, "CTFpupilData/Pupil[1]");
  EXPECT_EQ(a.upn, "N855200125001");
  EXPECT_EQ(a.family_name, "O'Neill");
  EXPECT_EQ(a.given_name, "Amira");
  EXPECT_EQ(a.preferred_family_name, "");  // the same as the legal one
  EXPECT_EQ(a.preferred_given_name, "Mira");
  EXPECT_EQ(a.date_of_birth, D("2018-10-14"));
  EXPECT_EQ(a.sex, "F");
  EXPECT_EQ(a.year_group.value_or(-1), 3);
  EXPECT_EQ(a.address.Text(), "14\nCastle Street\nHinckley");
  EXPECT_EQ(a.address.postcode, "LE10 1DA");
  // Contacts by their order, whatever the file's.
  ASSERT_EQ(a.contacts.size(), 2u);
  const CtfContact& mother = a.contacts[0];
  EXPECT_EQ(mother.order.value_or(0), 1);
  EXPECT_EQ(mother.Name(), "Mrs Fatima O'Neill");
  EXPECT_EQ(mother.relationship, "Parent");
  EXPECT_TRUE(mother.parental_responsibility);
  ASSERT_EQ(mother.phones.size(), 2u);
  EXPECT_EQ(mother.phones[0].type, "H");
  EXPECT_EQ(mother.phones[0].number, "01455 000001");
  EXPECT_EQ(mother.phones[1].number, "07700 900101");
  EXPECT_EQ(mother.email, "fatima@example.org");
  EXPECT_EQ(mother.address.Text(), "14\nCastle Street\nHinckley");  // AddressAsPupil
  EXPECT_EQ(mother.address.postcode, "LE10 1DA");
  EXPECT_EQ(a.contacts[1].Name(), "Mr Tom Reed");
  EXPECT_EQ(a.contacts[1].relationship, "Other");
  EXPECT_FALSE(a.contacts[1].parental_responsibility);
  EXPECT_TRUE(a.contacts[1].address.empty());
  ASSERT_EQ(a.schools.size(), 1u);
  EXPECT_EQ(a.schools[0].lea, "855");
  EXPECT_EQ(a.schools[0].estab, "2001");
  EXPECT_EQ(a.schools[0].name, "Oakfield Primary School");
  EXPECT_EQ(a.schools[0].entry, D("2022-09-05"));
  EXPECT_EQ(a.schools[0].leaving, D("2025-09-12"));
  EXPECT_EQ(a.schools[0].leaving_reason, "Moved away");
  // Attendance by year, whatever the file's order.
  ASSERT_EQ(a.attendance.size(), 2u);
  const CtfYearData& y2024 = a.attendance[0];
  EXPECT_EQ(y2024.year, 2024);
  EXPECT_EQ(y2024.lea, "855");
  EXPECT_EQ(y2024.estab, "2001");
  EXPECT_EQ(y2024.school_name, "Oakfield Primary School");
  EXPECT_EQ(y2024.possible, 380);
  EXPECT_EQ(y2024.authorised, 15);
  EXPECT_EQ(y2024.attended, 361);
  EXPECT_EQ(y2024.unauthorised, 4);
  EXPECT_EQ(y2024.marks_start, std::nullopt);
  EXPECT_EQ(y2024.marks, "");
  const CtfYearData& y2025 = a.attendance[1];
  EXPECT_EQ(y2025.year, 2025);
  EXPECT_EQ(y2025.possible, 13);
  EXPECT_EQ(y2025.marks_start, D("2025-09-01"));
  EXPECT_EQ(y2025.marks, "##/\\/\\II/8####/\\L\\/1");
  // '8' is C1 and '1' Y1 (docs/ctf.md).
  EXPECT_EQ(CtfMarkCode(y2025.marks[9]), core::AttendanceCode::kPerformance);
  EXPECT_EQ(CtfMarkCode(y2025.marks[19]), core::AttendanceCode::kTransport);

  const CtfPupil& b = r.file.pupils[1];
  EXPECT_EQ(b.upn, "C855200125002");
  EXPECT_EQ(b.sex, "M");  // written as Gender, as before CTF 25
  EXPECT_EQ(b.year_group.value_or(-1), 4);
  EXPECT_TRUE(b.address.empty());
  ASSERT_EQ(b.contacts.size(), 1u);
  EXPECT_EQ(b.contacts[0].Name(), "Jan Nowak");
  EXPECT_EQ(b.contacts[0].address.Text(), "Flat 3\n2 Mill Lane\nHinckley");
  EXPECT_EQ(b.contacts[0].address.postcode, "LE10 2AB");
  ASSERT_EQ(b.attendance.size(), 1u);
  EXPECT_EQ(b.attendance[0].attended, 90);
}

TEST(CtfXmlTest, EveryCodeHasItsOwnCharacterThatReadsBack) {
  std::set<char> used;
  for (const core::CodeInfo& info : core::AllCodes()) {
    const char c = CtfMarkChar(info.code);
    EXPECT_TRUE(used.insert(c).second) << info.symbol << " shares " << c;
    EXPECT_EQ(CtfMarkCode(c), info.code) << info.symbol;
    if (info.symbol.size() == 1) {
      EXPECT_EQ(c, info.symbol[0]);
    }
  }
  EXPECT_EQ(CtfMarkChar(core::AttendanceCode::kPerformance), '8');        // C1
  EXPECT_EQ(CtfMarkChar(core::AttendanceCode::kPartTimeTimetable), '9');  // C2
  EXPECT_EQ(CtfMarkChar(core::AttendanceCode::kInterview), '0');          // J1
  EXPECT_EQ(CtfMarkChar(core::AttendanceCode::kOtherUnavoidable), '7');   // Y7
  EXPECT_EQ(CtfMarkCode('-'), std::nullopt);
  EXPECT_EQ(CtfMarkCode('q'), std::nullopt);
}

TEST(CtfXmlTest, ReadsANestedEmailAndUnrecordedSessions) {
  std::string text = Damaged("<Email>fatima@example.org</Email>",
                             "<Email><EmailAddress>f@example.org</EmailAddress></Email>");
  text.replace(text.find("##/\\/\\II"), 8, "##/\\--II");
  const Read r = ReadText(text);
  ASSERT_EQ(r.problems, "");
  EXPECT_EQ(r.file.pupils[0].contacts[0].email, "f@example.org");
  EXPECT_EQ(r.file.pupils[0].attendance[1].marks, "##/\\--II/8####/\\L\\/1");
}

// One problem, named by path, and the pupil it is in left out.
void ExpectProblem(const std::string& from, const std::string& to, const std::string& problem,
                   size_t pupils_left = 1) {
  const Read r = ReadText(Damaged(from, to));
  EXPECT_NE(r.problems.find("a.xml: " + problem), std::string::npos)
      << "wanted: " << problem << "\ngot: " << r.problems;
  EXPECT_EQ(r.file.pupils.size(), pupils_left) << problem;
}

TEST(CtfXmlTest, PupilProblemsNameTheElementPath) {
  ExpectProblem("<UPN>N855200125001</UPN>", "", "CTFpupilData/Pupil[1]/UPN: missing");
  ExpectProblem("<UPN>N855200125001</UPN>", "<UPN>A855200125001</UPN>",
                "CTFpupilData/Pupil[1]/UPN: UPN check letter is");
  ExpectProblem("<UPN>C855200125002</UPN>", "<UPN>N855200125001</UPN>",
                "CTFpupilData/Pupil[2]/UPN: N855200125001 is also CTFpupilData/Pupil[1]");
  ExpectProblem("<Surname>Nowak</Surname>\n      <Forename>Piotr</Forename>",
                "<Forename>Piotr</Forename>", "CTFpupilData/Pupil[2]/Surname: missing");
  ExpectProblem("<Forename>Amira</Forename>", "", "CTFpupilData/Pupil[1]/Forename: missing");
  ExpectProblem("<DOB>2018-10-14</DOB>", "<DOB>14/10/2018</DOB>",
                "CTFpupilData/Pupil[1]/DOB: \"14/10/2018\" is not a date (yyyy-MM-dd)");
  ExpectProblem("<DOB>2018-10-14</DOB>", "<DOB>2018-02-30</DOB>",
                "CTFpupilData/Pupil[1]/DOB: \"2018-02-30\" is not a date");
  ExpectProblem("<DOB>2018-10-14</DOB>", "<DOB>2027-01-01</DOB>",
                "CTFpupilData/Pupil[1]/DOB: 1 January 2027 is not between");
  ExpectProblem("<DOB>2018-10-14</DOB>", "", "CTFpupilData/Pupil[1]/DOB: missing");
  ExpectProblem("<Sex>F</Sex>", "<Sex>X</Sex>", "CTFpupilData/Pupil[1]/Sex: \"X\" is not F or M");
  ExpectProblem("<Gender>M</Gender>", "<Gender>male</Gender>",
                "CTFpupilData/Pupil[2]/Gender: \"male\" is not F or M");
  ExpectProblem("<Sex>F</Sex>", "", "CTFpupilData/Pupil[1]/Sex: missing");
  ExpectProblem("<NCyearActual>3</NCyearActual>", "<NCyearActual>14</NCyearActual>",
                "CTFpupilData/Pupil[1]/BasicDetails/NCyearActual: \"14\" is not a year group");
}

TEST(CtfXmlTest, ContactAndHistoryProblemsNameTheElementPath) {
  ExpectProblem("<Order>2</Order>", "<Order>first</Order>",
                "CTFpupilData/Pupil[1]/Contacts/Contact[1]/Order: \"first\" is not a priority");
  ExpectProblem("<Responsibility>false</Responsibility>", "<Responsibility>maybe</Responsibility>",
                "CTFpupilData/Pupil[1]/Contacts/Contact[1]/Responsibility: \"maybe\" is not "
                "true or false");
  ExpectProblem("<Surname>Reed</Surname>", "",
                "CTFpupilData/Pupil[1]/Contacts/Contact[1]/Surname: missing");
  ExpectProblem("<EntryDate>2022-09-05</EntryDate>", "<EntryDate>2022-13-05</EntryDate>",
                "CTFpupilData/Pupil[1]/SchoolHistory/School[1]/EntryDate: \"2022-13-05\" is "
                "not a date");
  ExpectProblem("<LeavingDate>2025-09-12</LeavingDate>", "<LeavingDate>2021-09-12</LeavingDate>",
                "CTFpupilData/Pupil[1]/SchoolHistory/School[1]/LeavingDate: 12 September 2021 "
                "is before EntryDate 5 September 2022");
}

TEST(CtfXmlTest, AttendanceProblemsNameTheElementPath) {
  const std::string y1 = "CTFpupilData/Pupil[1]/Attendance/YearData[1]/";
  ExpectProblem("<Year>2025</Year>", "<Year>25/26</Year>",
                y1 + "Year: \"25/26\" is not an academic year's first year");
  ExpectProblem("<Year>2025</Year>", "<Year>2024</Year>",
                "CTFpupilData/Pupil[1]/Attendance/YearData[2]: a second YearData for 2024 at "
                "855/2001");
  ExpectProblem(
      "<LEA>855</LEA>\n          <Estab>2001</Estab>\n          <SchoolName>Oakfield "
      "Primary School</SchoolName>\n          <SessionsPossible>13",
      "<LEA>85</LEA>\n          <Estab>2001</Estab>\n          <SchoolName>Oakfield "
      "Primary School</SchoolName>\n          <SessionsPossible>13",
      y1 + "LEA: \"85\" is not a local authority number (3 digits)");
  ExpectProblem(
      "<Estab>2001</Estab>\n          <SchoolName>Oakfield Primary "
      "School</SchoolName>\n          <SessionsPossible>13",
      "<Estab>20O1</Estab>\n          <SchoolName>Oakfield Primary "
      "School</SchoolName>\n          <SessionsPossible>13",
      y1 + "Estab: \"20O1\" is not an establishment number (4 digits)");
  ExpectProblem("<SessionsAttended>10</SessionsAttended>",
                "<SessionsAttended>ten</SessionsAttended>",
                y1 + "SessionsAttended: \"ten\" is not a number of sessions");
  ExpectProblem("<SessionsAuthorised>3</SessionsAuthorised>", "",
                y1 + "SessionsAuthorised: missing");
  ExpectProblem("<SessionsPossible>13</SessionsPossible>",
                "<SessionsPossible>14</SessionsPossible>",
                y1 + "SessionsPossible: 14 is not SessionsAttended + SessionsAuthorised + "
                     "SessionsUnauthorised (13)");
  ExpectProblem("<AttendanceStartDate>2025-09-01</AttendanceStartDate>", "",
                y1 + "AttendSessions/AttendanceStartDate: missing");
  ExpectProblem("##/\\/\\II/8####/\\L\\/1", "##/\\/\\II/8####/\\L\\/",
                y1 + "AttendSessions/AttendanceMarks: 19 characters: two a day");
  ExpectProblem("##/\\/\\II/8####/\\L\\/1", "##/\\/\\II/8####/\\L\\/q",
                y1 + "AttendSessions/AttendanceMarks: character 20 (\"q\") is not an "
                     "attendance mark");
}

// A problem of the whole file: no pupil is read.
void ExpectFileProblem(const std::string& text, const std::string& problem) {
  const Read r = ReadText(text);
  EXPECT_NE(r.problems.find("a.xml: " + problem), std::string::npos)
      << "wanted: " << problem << "\ngot: " << r.problems;
  EXPECT_TRUE(r.file.pupils.empty()) << problem;
}

TEST(CtfXmlTest, FileProblemsAreRefusedBeforeAnyPupil) {
  ExpectFileProblem("<CTfile><CTFpupilData><Pupil>", "not XML at byte");
  ExpectFileProblem("<CTfile>\xff</CTfile>", "byte 9 is not UTF-8");
  ExpectFileProblem("<Other/>", "Other: the root element of a Common Transfer File is CTfile");
  ExpectFileProblem("<CTfile><Header/></CTfile>", "CTFpupilData: missing");
  ExpectFileProblem("<CTfile><CTFpupilData/></CTfile>", "CTFpupilData: no Pupil");
  // A document type could declare entities (XXE, "billion laughs"): refused.
  ExpectFileProblem(
      "<?xml version=\"1.0\"?>\n<!DOCTYPE CTfile [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
      "<CTfile><CTFpupilData><Pupil><UPN>&x;</UPN></Pupil></CTFpupilData></CTfile>",
      "DOCTYPE: a Common Transfer File has no document type declaration");
  std::string big = Fixture();
  big.resize(kMaxCtfBytes + 1, ' ');
  ExpectFileProblem(big, "64.0 MB: a Common Transfer File may have at most 64 MB");
}

TEST(CtfXmlTest, APupilWithAProblemIsLeftOutAndTheOthersRead) {
  const Read r = ReadText(Damaged("<DOB>2017-12-02</DOB>", "<DOB>yesterday</DOB>"));
  EXPECT_NE(r.problems.find("1 problem"), std::string::npos) << r.problems;
  ASSERT_EQ(r.file.pupils.size(), 1u);
  EXPECT_EQ(r.file.pupils[0].upn, "N855200125001");
}

// Everything ReadCtf gives of a pupil but the path, as text.
std::string PupilText(const CtfPupil& p) {
  std::string out = p.upn + "|" + p.family_name + "|" + p.given_name + "|" +
                    p.preferred_family_name + "|" + p.preferred_given_name + "|" +
                    p.date_of_birth.ToString() + "|" + p.sex + "|" +
                    std::to_string(p.year_group.value_or(-1)) + "|" + p.address.Text() + "|" +
                    p.address.postcode + "\n";
  for (const CtfContact& c : p.contacts) {
    out += "contact " + std::to_string(c.order.value_or(0)) + "|" + c.Name() + "|" +
           c.relationship + "|" + (c.parental_responsibility ? "PR" : "-") + "|" + c.email + "|" +
           c.address.Text() + "|" + c.address.postcode;
    for (const CtfPhone& phone : c.phones) out += "|" + phone.type + " " + phone.number;
    out += "\n";
  }
  for (const CtfSchool& s : p.schools) {
    out += "school " + s.lea + s.estab + "|" + s.name + "|" + (s.entry ? s.entry->ToString() : "") +
           "|" + (s.leaving ? s.leaving->ToString() : "") + "|" + s.leaving_reason + "\n";
  }
  for (const CtfYearData& y : p.attendance) {
    out += "year " + std::to_string(y.year) + " " + y.lea + y.estab + "|" + y.school_name + "|" +
           std::to_string(y.possible) + " " + std::to_string(y.authorised) + " " +
           std::to_string(y.attended) + " " + std::to_string(y.unauthorised) + "|" +
           (y.marks_start ? y.marks_start->ToString() : "") + " " + y.marks + "\n";
  }
  return out;
}

CtfHeader Header(CtfDestination dest) {
  return {"2026-11-25T10:15:00", {"909", "1234", "Test Primary", 2026}, std::move(dest)};
}

TEST(CtfXmlTest, WhatIsWrittenIsValidAndReadsBackAsGiven) {
  const Read fixture = ReadText(Fixture());
  ASSERT_EQ(fixture.problems, "");
  const std::string xml = WriteCtf(Header({"855", "2345"}), fixture.file.pupils);
  EXPECT_TRUE(rollcall::testing::ValidCtf(xml));
  const Read back = ReadText(xml);
  ASSERT_EQ(back.problems, "");
  EXPECT_EQ(back.file.version, "25.0");
  EXPECT_EQ(back.file.source.lea, "909");
  EXPECT_EQ(back.file.source.estab, "1234");
  EXPECT_EQ(back.file.source.academic_year, 2026);
  ASSERT_EQ(back.file.pupils.size(), fixture.file.pupils.size());
  for (size_t i = 0; i < back.file.pupils.size(); ++i) {
    EXPECT_EQ(PupilText(back.file.pupils[i]), PupilText(fixture.file.pupils[i]));
  }
  // CTF 25 writes Sex, never Gender, and the header as the DfE's shape has it.
  EXPECT_EQ(xml.find("<Gender>"), std::string::npos);
  EXPECT_NE(xml.find("<DestSchool>\n      <LEA>855</LEA>\n      <Estab>2345</Estab>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<DocumentName>Common Transfer File</DocumentName>"), std::string::npos);
}

TEST(CtfXmlTest, EveryCodeAndNoMarkWrittenReadsBack) {
  CtfPupil p = ReadText(Fixture()).file.pupils[0];
  std::string marks;
  for (const core::CodeInfo& info : core::AllCodes()) marks += CtfMarkChar(info.code);
  marks += "-#";
  if (marks.size() % 2 != 0) marks += '#';
  p.attendance[0].marks_start = D("2024-09-02");
  p.attendance[0].marks = marks;
  const std::string xml = WriteCtf(Header(CtfUnknownDestination()), std::span(&p, 1));
  EXPECT_TRUE(rollcall::testing::ValidCtf(xml));
  const Read back = ReadText(xml);
  ASSERT_EQ(back.problems, "");
  EXPECT_EQ(back.file.pupils[0].attendance[0].marks, marks);
  // The unknown destination as the DfE's lost pupils database expects it.
  EXPECT_NE(xml.find("<LEA>MMM</LEA>"), std::string::npos);
  EXPECT_NE(xml.find("<Estab>MMMM</Estab>"), std::string::npos);
}

TEST(CtfXmlTest, TheSchemaRefusesWhatIsNotWrittenThatWay) {
  // The hand-written fixture has no DataDescriptor, and a Gender where
  // CTF 25 writes Sex.
  EXPECT_FALSE(rollcall::testing::ValidCtf(Fixture()));
  const Read fixture = ReadText(Fixture());
  std::string xml = WriteCtf(Header({"855", "2345"}), fixture.file.pupils);
  ASSERT_TRUE(rollcall::testing::ValidCtf(xml));
  const size_t at = xml.find("<Sex>F</Sex>");
  ASSERT_NE(at, std::string::npos);
  xml.replace(at, 12, "<Gender>F</Gender>");
  EXPECT_FALSE(rollcall::testing::ValidCtf(xml));
}

TEST(CtfXmlTest, AnAddressOfMoreThanFiveLinesKeepsTheRestInTheFifth) {
  CtfPupil p = ReadText(Fixture()).file.pupils[0];
  p.address.lines = {"Flat 2", "14", "Castle Street", "Old Town", "Hinckley", "Leicestershire"};
  const std::string xml = WriteCtf(Header({"855", "2345"}), std::span(&p, 1));
  EXPECT_TRUE(rollcall::testing::ValidCtf(xml));
  const Read back = ReadText(xml);
  ASSERT_EQ(back.problems, "");
  EXPECT_EQ(back.file.pupils[0].address.Text(),
            "Flat 2\n14\nCastle Street\nOld Town\nHinckley, Leicestershire");
}

TEST(CtfXmlTest, ADestinationIsTheDfENumberTheWordsName) {
  auto dest = [](std::string_view text) {
    const std::optional<CtfDestination> d = CtfDestinationIn(text);
    return d ? d->lea + "/" + d->estab : std::string("none");
  };
  EXPECT_EQ(dest("Castle Academy (855/2345)"), "855/2345");
  EXPECT_EQ(dest("8552345"), "855/2345");
  EXPECT_EQ(dest("MMMMMMM"), "MMM/MMMM");
  EXPECT_EQ(dest("Not known"), "none");
  EXPECT_EQ(dest("Education at home"), "none");
  EXPECT_EQ(dest("call 01455 000001"), "none");   // a phone number is not one
  EXPECT_EQ(dest("URN 123456"), "none");          // nor a URN
  EXPECT_EQ(dest("85523456"), "none");            // nor eight digits
  EXPECT_EQ(dest("Castle (855/23456)"), "none");  // nor a five-digit establishment
}

}  // namespace ctf_test
}  // namespace rollcall::io
