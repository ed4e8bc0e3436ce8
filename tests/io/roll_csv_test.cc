// The pupils and contacts CSVs of `rollcall import-roll`: both built-in
// mappings, mapping files, and every problem of a column or a row named by
// file, line and field, with no row returned for a line that has one.
#include "io/roll_csv.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

#include "core/upn.h"
#include "support/dates.h"

namespace rollcall::io {
namespace {

using rollcall::testing::D;

const core::Date kToday = D("2026-11-25");

// A valid UPN ending in `serial` (three digits).
std::string Upn(int serial) {
  return core::UpnWithCheckLetter(fmt::format("909123426{:03d}", serial));
}

RollMapping Preset(const char* name) {
  core::StatusOr<RollMapping> m = RollMappingPreset(name);
  EXPECT_TRUE(m.ok()) << m.status().message();
  return m.ok() ? *m : RollMapping{};
}

struct Read {
  RollPupilsFile file;
  std::string problems;  // "" when none
};

Read ReadPupils(std::string_view csv, const char* preset = "rollcall") {
  CsvErrors errors;
  Read out;
  out.file = ReadRollPupils(csv, "pupils.csv", Preset(preset), kToday, errors);
  if (!errors.empty()) out.problems = errors.ToStatus("pupils.csv").message();
  return out;
}

const char kHeader[] =
    "upn,legal_given_name,legal_family_name,date_of_birth,sex,year_group,registration_group,"
    "admission_date\n";

std::string Line(const std::string& upn, const std::string& born = "2018-05-01",
                 const std::string& year = "3", const std::string& admitted = "2022-09-05",
                 const std::string& sex = "F") {
  return fmt::format("{},Amy,Ali,{},{},{},3A,{}\n", upn, born, sex, year, admitted);
}

TEST(RollCsvTest, OurOwnHeadingsWithQuotesBomCrlfAndFlags) {
  const Read good = ReadPupils(
      "\xEF\xBB\xBF"
      "sen,upn,legal_family_name,legal_given_name,preferred_given_name,date_of_birth,sex,"
      "year_group,registration_group,admission_date,leaving_date,fsm,fsm_from,boarder,"
      "previous_school,other column\r\n"
      "K," +
      Upn(1) +
      ",\"O'Neil, Jr\",\"Zoë\",Zo,2020-01-31,F,R,RA,2024-09-04,,Yes,2025-01-06,no,\"St "
      "Mary's\",ignored\r\n"
      "\r\n"
      "E," +
      Upn(2) + ",Khan,Ali,,2019-03-02,m,Reception,RA,2024-09-04,2025-07-22,N,,Y,,\r\n");
  ASSERT_EQ(good.problems, "");
  ASSERT_EQ(good.file.rows.size(), 2u);
  const RollPupilRow& a = good.file.rows[0];
  EXPECT_EQ(a.upn, Upn(1));
  EXPECT_EQ(a.legal_family_name, "O'Neil, Jr");
  EXPECT_EQ(a.legal_given_name, "Zoë");
  EXPECT_EQ(a.preferred_given_name, "Zo");
  EXPECT_EQ(a.year_group, 0);
  EXPECT_EQ(a.registration_group, "RA");
  EXPECT_EQ(a.admission, D("2024-09-04"));
  EXPECT_FALSE(a.leaving.has_value());
  EXPECT_FALSE(a.boarder);
  EXPECT_EQ(a.previous_school, "St Mary's");
  ASSERT_EQ(a.flags.size(), 2u);  // fsm and sen: the file has no pp, cla, ... columns
  for (const RollFlag& f : a.flags) {
    if (f.governs.contains("FSM")) {
      EXPECT_EQ(f.held, "FSM");
      EXPECT_EQ(f.from, D("2025-01-06"));
    } else {
      EXPECT_EQ(f.governs, (std::set<std::string>{"SEN_K", "EHCP"}));
      EXPECT_EQ(f.held, "SEN_K");
      EXPECT_EQ(f.from, D("2024-09-04"));  // no sen_from column: the admission date
    }
  }
  const RollPupilRow& b = good.file.rows[1];
  EXPECT_EQ(b.line, 4);  // the blank line counts
  EXPECT_EQ(b.sex, "M");
  EXPECT_EQ(b.leaving, D("2025-07-22"));
  EXPECT_TRUE(b.boarder);
  EXPECT_TRUE(good.file.fields.contains("leaving_date"));
  EXPECT_FALSE(good.file.fields.contains("preferred_family_name"));
}

TEST(RollCsvTest, SurnameForenamePresetReadsUkDatesAndWords) {
  const Read r = ReadPupils(
      "UPN,Legal Surname,Legal Forename,DOB,Gender,Year,Reg,Admission Date,SEN Status,"
      "FSM Eligible,In Care\n" +
          Upn(3) + ",Ali,Amy,01/05/2018,Female,Year 3,3A,05/09/2022,E,TRUE,N\n",
      "surname-forename-dmy");
  ASSERT_EQ(r.problems, "");
  ASSERT_EQ(r.file.rows.size(), 1u);
  EXPECT_EQ(r.file.rows[0].date_of_birth, D("2018-05-01"));
  EXPECT_EQ(r.file.rows[0].admission, D("2022-09-05"));
  EXPECT_EQ(r.file.rows[0].year_group, 3);
  EXPECT_EQ(r.file.rows[0].sex, "F");
  std::set<std::string> held;
  for (const RollFlag& f : r.file.rows[0].flags) held.insert(f.held);
  EXPECT_EQ(held, (std::set<std::string>{"", "EHCP", "FSM"}));

  CsvErrors errors;
  const RollContactsFile contacts = ReadRollContacts(
      "UPN,Contact Forename,Contact Surname,Relationship,Parental Responsibility,Address 1,"
      "Address 2,Town,Postcode,Priority\n" +
          Upn(3) + ",Helen,Ali,Mother,Yes,1 High St,,Hinckley,LE10 2AB,2\n",
      "contacts.csv", Preset("surname-forename-dmy"), errors);
  ASSERT_TRUE(errors.empty()) << errors.ToStatus("contacts.csv").message();
  ASSERT_EQ(contacts.rows.size(), 1u);
  EXPECT_EQ(contacts.rows[0].name, "Helen Ali");
  EXPECT_EQ(contacts.rows[0].address, "1 High St\nHinckley");
  EXPECT_EQ(contacts.rows[0].priority, 2);
  EXPECT_TRUE(contacts.rows[0].parental_responsibility);
}

TEST(RollCsvTest, MissingRequiredColumnsAreNamed) {
  const Read r = ReadPupils("legal_given_name,legal_family_name,sex,year_group,admission_date\n" +
                            Line(Upn(1)));
  EXPECT_NE(r.problems.find("2 problems"), std::string::npos) << r.problems;
  EXPECT_NE(r.problems.find("pupils.csv line 1: no column \"upn\" for upn, which the mapping "
                            "\"rollcall\" requires"),
            std::string::npos)
      << r.problems;
  EXPECT_NE(r.problems.find("no column \"date_of_birth\""), std::string::npos) << r.problems;
  EXPECT_TRUE(r.file.rows.empty());
}

TEST(RollCsvTest, EveryRowProblemIsNamedByLineAndField) {
  std::string bad_letter = Upn(2);
  bad_letter[0] = bad_letter[0] == 'A' ? 'B' : 'A';
  const Read r =
      ReadPupils(std::string(kHeader) + Line(Upn(1)) +                 // 2: good
                 Line(bad_letter) +                                    // 3: check letter
                 Line(Upn(1)) +                                        // 4: UPN of line 2
                 Line(Upn(4), "2018-05-01", "N2") +                    // 5: unknown year group
                 Line(Upn(5), "2018-02-30") +                          // 6: no such day
                 Line(Upn(6), "2018-05-01", "3", "2029-09-03") +       // 7: admission out of range
                 Line(Upn(7), "2023-05-01", "3", "2022-09-05") +       // 8: born after admission
                 Line(Upn(8), "2027-01-01", "3", "2027-02-01") +       // 9: born in the future
                 Line(Upn(9), "2018-05-01", "3", "2022-09-05", "X") +  // 10: sex
                 Upn(10) + ",Amy,Al\xFF,2018-05-01,F,3,3A,2022-09-05\n" +  // 11: not UTF-8
                 Upn(11) + ",Amy,Ali,2018-05-01,F,3\n" +                   // 12: short
                 Upn(12) + ",,Ali,2018-05-01,F,3,3A,2022-09-05\n" +        // 13: no given name
                 Line(Upn(13), "05/01/2018"));                             // 14: not ISO
  for (const char* want : {
           "pupils.csv line 3: upn: UPN check letter is",
           "pupils.csv line 4: upn: ",
           "is also on line 2",
           "pupils.csv line 5: year_group: \"N2\" is not a year group rollcall knows",
           "pupils.csv line 6: date_of_birth: \"2018-02-30\" is not a date (YYYY-MM-DD)",
           "pupils.csv line 7: admission_date: 3 September 2029 is outside 1 January 1990 to 31 "
           "December 2027",
           "pupils.csv line 8: date_of_birth: 1 May 2023 is after the admission date, 5 "
           "September 2022",
           "pupils.csv line 9: date_of_birth: 1 January 2027 is not the birthday of a pupil",
           "pupils.csv line 10: sex: \"X\" is not one the mapping knows",
           "pupils.csv line 11: field 3 is not valid UTF-8",
           "pupils.csv line 12: 6 fields, the header has 8",
           "pupils.csv line 13: legal_given_name: is empty",
           "pupils.csv line 14: date_of_birth: \"05/01/2018\" is not a date",
       }) {
    EXPECT_NE(r.problems.find(want), std::string::npos) << want << "\n" << r.problems;
  }
  EXPECT_NE(r.problems.find("12 problems, nothing imported"), std::string::npos) << r.problems;
  EXPECT_EQ(r.problems.find("line 2:"), std::string::npos) << r.problems;
  ASSERT_EQ(r.file.rows.size(), 1u);  // only line 2
  EXPECT_EQ(r.file.rows[0].line, 2);
}

TEST(RollCsvTest, ManyProblemsAreCappedWithACount) {
  std::string csv = kHeader;
  for (int i = 0; i < 30; ++i) csv += Line(Upn(i), "2018-05-01", "Y9");
  const Read r = ReadPupils(csv);
  EXPECT_NE(r.problems.find("30 problems"), std::string::npos) << r.problems;
  EXPECT_NE(r.problems.find("... and 10 more"), std::string::npos) << r.problems;
}

TEST(RollCsvTest, AFileOverTheLimitIsRefusedUnread) {
  // 50 MB of bytes that are not UTF-8: read, they would be problems of
  // their own; the only problem is the size.
  const std::string huge(50u * 1000 * 1000, '\xFF');
  const Read r = ReadPupils(huge);
  EXPECT_NE(r.problems.find("1 problem,"), std::string::npos) << r.problems;
  EXPECT_NE(r.problems.find("pupils.csv: pupils.csv is 47.7 MB: an import file may have at most "
                            "16 MB"),
            std::string::npos)
      << r.problems;
  EXPECT_TRUE(CheckRollFileSize("pupils.csv", kMaxRollFileBytes).ok());
  EXPECT_FALSE(CheckRollFileSize("pupils.csv", kMaxRollFileBytes + 1).ok());
}

TEST(RollCsvTest, ContactProblems) {
  CsvErrors errors;
  const RollContactsFile c =
      ReadRollContacts("upn,name,priority,email,parental_responsibility\n" + Upn(1) +
                           ",Helen Ali,1,helen@example.org,yes\n" + Upn(1) +
                           ",Sam Ali,1,sam.example.org,maybe\n" + Upn(2) + ",,x,,no\n",
                       "contacts.csv", Preset("rollcall"), errors);
  const std::string m = errors.ToStatus("contacts.csv").message();
  for (const char* want : {
           "contacts.csv line 3: email: \"sam.example.org\" has no @",
           "contacts.csv line 3: parental_responsibility: \"maybe\" is neither yes nor no",
           "contacts.csv line 3: priority: ",
           "contact 1 is also on line 2",
           "contacts.csv line 4: name: is empty",
           "contacts.csv line 4: priority: \"x\" is not a number from 1 to 99",
       }) {
    EXPECT_NE(m.find(want), std::string::npos) << want << "\n" << m;
  }
  ASSERT_EQ(c.rows.size(), 1u);
  EXPECT_EQ(c.rows[0].priority, 1);
}

TEST(RollMappingTest, FilesOfTheSameShapeAndTheirMistakes) {
  core::StatusOr<RollMapping> m = ParseRollMapping(
      R"({"pupils": {"upn": "Pupil UPN", "legal_given_name": "First", "legal_family_name": "Last",
          "date_of_birth": "Born", "sex": "Sex", "year_group": "NC Year",
          "admission_date": "Joined"},
          "flags": [{"column": "Young carer", "flag": "YC"}],
          "values": {"yes": ["x"], "no": ["", "-"], "year_group": {"N2": 0}},
          "date_format": "DD/MM/YYYY"})",
      "mine.json");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->year_group.at("n2"), 0);
  EXPECT_TRUE(m->yes.contains("x"));
  EXPECT_EQ(m->date_format, DateFormat::kDayMonthYear);
  EXPECT_TRUE(m->contacts.empty());
  const std::string pupils =
      R"("pupils": {"upn": "U", "legal_given_name": "G", "legal_family_name": "F",
          "date_of_birth": "D", "sex": "S", "year_group": "Y", "admission_date": "A"})";
  for (const auto& [json, want] : std::vector<std::pair<std::string, std::string>>{
           {R"({"pupils": {"upn": "U"}})", "pupils must name the column of legal_given_name"},
           {R"({"pupils": {"shoe_size": "S"}})", "pupils has no field \"shoe_size\""},
           {"{" + pupils + R"(, "flags": [{"column": "F", "flag": "RICH"}]})",
            "\"RICH\" is not a flag rollcall knows"},
           {"{" + pupils + R"(, "flags": [{"column": "F"}]})", "needs either flag or values"},
           {"{" + pupils + R"(, "date_format": "MM/DD/YYYY"})",
            "date_format is YYYY-MM-DD or DD/MM/YYYY"},
           {"{" + pupils + R"(, "values": {"year_group": {"N1": 14}}})",
            "values.year_group maps to 0 (Reception) to 13"},
           {"{" + pupils + R"(, "values": {"yes": ["y"], "no": ["Y"]}})",
            "\"y\" is both yes and no"},
           {"{" + pupils + R"(, "colour": 1})", "unknown key \"colour\""},
           {"{", "mapping \"m.json\": "},
       }) {
    core::StatusOr<RollMapping> bad = ParseRollMapping(json, "m.json");
    ASSERT_FALSE(bad.ok()) << json;
    EXPECT_NE(bad.status().message().find(want), std::string::npos) << json << "\n"
                                                                    << bad.status().message();
  }
  EXPECT_EQ(RollMappingPresetNames(),
            (std::vector<std::string>{"rollcall", "surname-forename-dmy"}));
  EXPECT_NE(RollMappingPreset("sims").status().message().find("rollcall, surname-forename-dmy"),
            std::string::npos);
}

}  // namespace
}  // namespace rollcall::io
