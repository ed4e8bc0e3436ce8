// The marks and pupils CSV formats of `rollcall import`: both shapes, quoting,
// byte-order marks and CRLF, and every problem named by line with nothing
// returned.
#include "io/marks_csv.h"

#include <gtest/gtest.h>

#include <string>

namespace rollcall::io {
namespace {

using core::AttendanceCode;

std::string MessageOf(std::string_view csv) {
  core::StatusOr<std::vector<MarkRow>> rows = ParseMarksCsv(csv);
  EXPECT_FALSE(rows.ok());
  return rows.ok() ? "" : rows.status().message();
}

TEST(MarksCsvTest, PerSessionRowsWithQuotesBomAndCrlf) {
  core::StatusOr<std::vector<MarkRow>> rows = ParseMarksCsv(
      "\xEF\xBB\xBF"
      "code,session,date,upn,school\r\n"
      "\"/\",AM,2026-11-09,A909241720012,100001\r\n"
      "\"\\\",PM,2026-11-09,A909241720012,\"100001\"\r\n"
      "\r\n"
      ",AM,2026-11-10,A909241720012,100001\r\n"
      "C1,PM,2026-11-10,A909241720012,100001");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ((*rows)[0].code, AttendanceCode::kPresentAm);
  EXPECT_EQ((*rows)[1].code, AttendanceCode::kPresentPm);
  EXPECT_EQ((*rows)[1].slot.session, core::Session::kPm);
  EXPECT_EQ((*rows)[2].code, std::nullopt);  // no mark
  EXPECT_EQ((*rows)[2].line, 5);             // the blank line counts
  EXPECT_EQ((*rows)[3].code, AttendanceCode::kPerformance);
  EXPECT_EQ((*rows)[3].school, "100001");
}

TEST(MarksCsvTest, PerDayRowsBecomeTwoSessions) {
  core::StatusOr<std::vector<MarkRow>> rows =
      ParseMarksCsv("school,upn,date,am,pm\n100001,A909241720012,2026-11-09,L,\n");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].code, AttendanceCode::kLateBeforeClose);
  EXPECT_EQ((*rows)[1].slot.session, core::Session::kPm);
  EXPECT_EQ((*rows)[1].code, std::nullopt);
  EXPECT_EQ((*rows)[1].line, 2);
}

TEST(MarksCsvTest, EveryProblemIsNamedByLine) {
  const std::string m = MessageOf(
      "school,upn,date,session,code\n"
      "100001,A909241720012,2026-11-09,AM,/\n"
      "100001,A909241720013,2026-11-09,AM,/\n"   // check letter
      "100001,A909241720012,2026-02-30,AM,/\n"   // no such day
      "100001,A909241720012,2026-11-09,XM,/\n"   // session
      "100001,A909241720012,2026-11-10,AM,ZZ\n"  // code
      "100001,A909241720012,2026-11-09,AM,I\n"   // same session as line 2
      ",A909241720012,2026-11-11,AM,/\n"         // no school
      "100001,A909241720012,2026-11-12,AM\n"     // short
      "100001,A909241720012,2026-11-13,AM,\"/\"x,y\n"
      "100001,A909241720012,2026-11-14,PM\n");  // short: the line after a bad quote
  EXPECT_NE(m.find("9 problems, nothing imported"), std::string::npos) << m;
  for (const char* want :
       {"line 3: upn", "line 4: date \"2026-02-30\" is not a date", "line 5: session \"XM\"",
        "line 6: \"ZZ\" is not an attendance code",
        "line 7: 100001 A909241720012 2026-11-09 AM is also on line 2", "line 8: school is empty",
        "line 9: 4 fields, the header has 5", "line 10: text after a closing quote",
        "line 11: 4 fields, the header has 5"}) {
    EXPECT_NE(m.find(want), std::string::npos) << want << "\n" << m;
  }
  EXPECT_EQ(m.find("line 2:"), std::string::npos) << m;
}

TEST(MarksCsvTest, HeadersMustBeOneOfTheTwoShapes) {
  EXPECT_NE(MessageOf("school,upn,date,code\n").find("must have the columns"), std::string::npos);
  EXPECT_NE(MessageOf("school,upn,date,session,code,notes\n").find("unknown column \"notes\""),
            std::string::npos);
  EXPECT_NE(MessageOf("school,upn,date,date,session,code\n").find("appears twice"),
            std::string::npos);
}

TEST(MarksCsvTest, ManyProblemsAreCappedWithACount) {
  std::string csv = "school,upn,date,session,code\n";
  for (int i = 0; i < 30; ++i) csv += "100001,A909241720012,2026-11-09,AM,??\n";
  const std::string m = MessageOf(csv);
  EXPECT_NE(m.find("30 problems"), std::string::npos) << m;
  EXPECT_NE(m.find("... and 10 more"), std::string::npos) << m;
}

TEST(PupilsCsvTest, CohortsAndDates) {
  core::StatusOr<std::vector<PupilRow>> rows = ParsePupilsCsv(
      "school,upn,cohorts,admitted,left\n100001,A909241720012,fsm; sen_support,2026-09-03,\n");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].cohorts, (std::vector<std::string>{"fsm", "sen_support"}));
  EXPECT_EQ((*rows)[0].admitted->ToString(), "2026-09-03");
  EXPECT_FALSE((*rows)[0].left.has_value());
  core::StatusOr<std::vector<PupilRow>> bad = ParsePupilsCsv(
      "school,upn,left,admitted\n100001,A909241720012,,\n100001,A909241720012,,\n"
      "100002,A909241720012,2026-09-01,2026-09-03\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("line 4: left is before admitted"), std::string::npos);
  EXPECT_NE(
      bad.status().message().find("line 3: pupil A909241720012 of school 100001 is also on line 2"),
      std::string::npos)
      << bad.status().message();
}

}  // namespace
}  // namespace rollcall::io

namespace rollcall::io {
namespace {

// Property: any mutation of a valid file parses or fails with CSV_INVALID,
// never crashes, and a success has one row per coded or empty session.
TEST(MarksCsvFuzzTest, MutatedFilesNeverCrash) {
  const std::string valid =
      "school,upn,date,am,pm\n100001,A909241720012,2026-11-09,/,\\\n"
      "100001,A909241720012,2026-11-10,\"I\",M\n100002,A909241720012,2026-11-10,,N\n";
  const char alphabet[] = ",\"\n\r/\\AMP0123456789-LI ;\xEF\xBB\xBF";
  uint64_t state = 42;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  for (int i = 0; i < 20000; ++i) {
    std::string text = valid;
    for (int edits = 1 + int(next() % 4); edits > 0; --edits) {
      const size_t at = next() % (text.size() + 1);
      switch (next() % 3) {
        case 0:
          text.insert(text.begin() + std::ptrdiff_t(at), alphabet[next() % (sizeof alphabet - 1)]);
          break;
        case 1:
          if (at < text.size()) text.erase(at, 1);
          break;
        default:
          if (at < text.size()) text[at] = char(next() % 256);
      }
    }
    core::StatusOr<std::vector<MarkRow>> rows = ParseMarksCsv(text);
    if (!rows.ok()) {
      ASSERT_EQ(rows.status().code(), kErrCsvInvalid) << text;
    } else {
      for (const MarkRow& r : *rows) ASSERT_GE(r.line, 2) << text;
    }
    (void)ParsePupilsCsv(text);
  }
}

}  // namespace
}  // namespace rollcall::io
