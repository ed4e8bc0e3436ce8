// The census code-to-reason table compiled in from
// data/reference/census_codes.json, and the return written as XML and CSV.
#include "io/census_xml.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <pugixml.hpp>

#include "core/error_codes.h"
#include "support/dates.h"

namespace rollcall::io {
namespace {

using rollcall::testing::D;

TEST(CensusCodesTest, EveryCodeHasARowAndThe2024CodesAreUnconfirmed) {
  const core::StatusOr<std::vector<core::CensusCodeRow>> codes = CensusCodes();
  ASSERT_TRUE(codes.ok()) << codes.status().message();
  for (const core::CodeInfo& info : core::AllCodes()) {
    const auto row = std::find_if(codes->begin(), codes->end(), [&](const core::CensusCodeRow& r) {
      return r.code == info.code;
    });
    ASSERT_NE(row, codes->end()) << info.symbol;
    const bool absence = info.category == core::StatCategory::kAuthorised ||
                         info.category == core::StatCategory::kUnauthorised;
    EXPECT_EQ(row->reason.empty(), !absence) << info.symbol;
  }
  EXPECT_EQ(codes->size(), core::AllCodes().size());
  for (const char* symbol :
       {"C1", "C2", "J1", "K", "Q", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7"}) {
    const core::AttendanceCode code = *core::CodeFromSymbol(symbol);
    for (const core::CensusCodeRow& row : *codes) {
      if (row.code == code) {
        EXPECT_FALSE(row.confirmed) << symbol;
      }
    }
  }
}

TEST(CensusCodesTest, ABadTableIsRefusedNamingTheEntry) {
  auto error = [](std::string_view json) {
    const core::StatusOr<std::vector<core::CensusCodeRow>> codes = ParseCensusCodes(json);
    return codes.ok() ? std::string() : codes.status().message();
  };
  EXPECT_NE(error(R"({"codes": [{"code": "QQ", "reason": null, "confirmed": true}]})")
                .find("QQ is no attendance code"),
            std::string::npos);
  EXPECT_NE(
      error(R"({"codes": [{"code": "/", "reason": "P", "confirmed": true}]})").find("no absence"),
      std::string::npos);
  EXPECT_NE(error(R"({"codes": [{"code": "I", "reason": null, "confirmed": true}]})")
                .find("needs a reason"),
            std::string::npos);
  EXPECT_NE(error(R"({"codes": [{"code": "I", "reason": "I", "confirmed": true},
                                {"code": "I", "reason": "I", "confirmed": true}]})")
                .find("listed twice"),
            std::string::npos);
  // A table that leaves a code out names it.
  EXPECT_NE(
      error(R"({"codes": [{"code": "I", "reason": "I", "confirmed": true}]})").find("has no entry"),
      std::string::npos);
}

TEST(CensusXmlTest, TheReturnIsWellFormedInTheMessageShapeAndTheCsvSaysTheSame) {
  const std::vector<core::CensusCodeRow> codes = *CensusCodes();
  const std::vector<core::CensusPart> parts = core::CensusParts(core::Census::kAutumn, 2026);
  core::CensusEnrolment first;
  first.pupil = 0;
  first.part = 0;
  first.dates = {D("2025-09-01"), std::nullopt};
  first.counted = parts[0].period;
  first.counts.possible = 60;
  first.counts.attended = 56;
  first.counts.authorised = 3;
  first.counts.unauthorised = 1;
  first.reasons = {{"I", core::StatCategory::kAuthorised, 3},
                   {"O", core::StatCategory::kUnauthorised, 1}};
  core::CensusEnrolment second = first;
  second.part = 1;
  second.counted = parts[1].period;
  second.counts = {};
  second.counts.possible = 76;
  second.counts.attended = 76;
  second.reasons.clear();
  const std::vector<core::CensusEnrolment> enrolments = {first, second};
  const std::vector<CensusPupil> pupils = {{"Z909123400001", "O'Brien & Sons <x>", "Ann", 4}};
  const CensusReturnFile file{.census = core::Census::kAutumn,
                              .year = 2026,
                              .reference_date = core::CensusDay(core::Census::kAutumn, 2026),
                              .produced_at = "2026-10-02T09:15:00",
                              .lea = "909",
                              .estab = "1234",
                              .school_name = "Test Primary",
                              .codes = codes,
                              .parts = parts,
                              .enrolments = enrolments,
                              .pupils = pupils};
  const std::string xml = WriteCensusXml(file);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str())) << xml;
  const pugi::xml_node details = doc.child("Message").child("Header").child("CollectionDetails");
  EXPECT_STREQ(details.child_value("Collection"), "SC");
  EXPECT_STREQ(details.child_value("Term"), "AUT");
  EXPECT_STREQ(details.child_value("Year"), "2026");
  EXPECT_STREQ(details.child_value("ReferenceDate"), "2026-10-01");
  const pugi::xml_node pupil = doc.child("Message").child("Pupils").child("PupilOnRoll");
  EXPECT_STREQ(pupil.child_value("UPN"), "Z909123400001");
  EXPECT_STREQ(pupil.child_value("Surname"), "O'Brien & Sons <x>");
  EXPECT_TRUE(pupil.next_sibling("PupilOnRoll").empty());  // one enrolment, two parts
  const pugi::xml_node half1 = pupil.child("Attendance").child("SummerHalfTerm1SessionDetails");
  const pugi::xml_node half2 = pupil.child("Attendance").child("SummerHalfTerm2SessionDetails");
  EXPECT_STREQ(half1.child_value("SessionsPossible"), "60");
  EXPECT_STREQ(half1.child_value("SessionsAuthorised"), "3");
  EXPECT_STREQ(half1.child_value("SessionsUnauthorised"), "1");
  EXPECT_STREQ(half1.child("SessionDetail").child_value("AttendanceReason"), "I");
  EXPECT_STREQ(half1.child("SessionDetail").child_value("AbsenceSessions"), "3");
  EXPECT_STREQ(half2.child_value("SessionsPossible"), "76");
  EXPECT_TRUE(half2.child("SessionDetail").empty());

  const std::string csv = WriteCensusCsv(file);
  const size_t header_end = csv.find('\n');
  EXPECT_EQ(csv.substr(0, csv.find(",reason_")),
            "census,year,part,upn,year_group,enrolment_from,enrolment_to,counted_from,counted_to,"
            "sessions_possible,sessions_attended,sessions_authorised,sessions_unauthorised");
  const std::string row1 =
      csv.substr(header_end + 1, csv.find('\n', header_end + 1) - header_end - 1);
  EXPECT_EQ(
      row1.rfind("autumn,2026,1,Z909123400001,4,2025-09-01,,2026-04-06,2026-05-24,60,56,3,1,", 0),
      0u)
      << row1;
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 3);  // the header and a row per part
}

}  // namespace
}  // namespace rollcall::io
