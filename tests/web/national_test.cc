// The compiled-in national figures and their parser.
#include "web/national.h"

#include <gtest/gtest.h>

namespace rollcall::web {
namespace {

constexpr char kHeader[] =
    "academic_year,phase,attendance_pct,absence_pct,authorised_pct,unauthorised_pct,illness_pct,"
    "persistent_absence_pct,source\n";

TEST(NationalTest, CompiledInTableHoldsThePublishedFigures) {
  // DfE, 2024/25 full year: primary absence 5.25%, PA 13.5%; all schools 6.87%, PA 18.7%.
  const std::vector<NationalFigures> primary = LatestNational("primary", 10);
  ASSERT_GE(primary.size(), 4u);
  EXPECT_EQ(primary[0].academic_year, "2025/26");  // newest first
  bool found = false;
  for (const NationalFigures& f : primary) {
    if (f.academic_year != "2024/25") continue;
    found = true;
    EXPECT_EQ(f.absence_pct, "5.25");
    EXPECT_EQ(f.persistent_absence_pct, "13.50");
    EXPECT_EQ(f.attendance_pct, "94.75");
  }
  EXPECT_TRUE(found);
  const std::vector<NationalFigures> total = LatestNational("total", 2);
  ASSERT_EQ(total.size(), 2u);
  EXPECT_EQ(total[1].academic_year, "2024/25");
  EXPECT_EQ(total[1].absence_pct, "6.87");
  EXPECT_EQ(total[1].authorised_pct, "4.54");
  EXPECT_EQ(total[1].unauthorised_pct, "2.33");
}

TEST(NationalTest, PhaseOfSchool) {
  EXPECT_EQ(NationalPhaseFor("primary"), "primary");
  EXPECT_EQ(NationalPhaseFor("secondary"), "secondary");
  EXPECT_EQ(NationalPhaseFor("all-through"), "total");
  EXPECT_EQ(NationalPhaseFor(""), "total");
  EXPECT_TRUE(LatestNational("nursery", 2).empty());
}

TEST(NationalTest, ParserNamesTheBadLine) {
  EXPECT_TRUE(ParseNationalFigures(std::string(kHeader) +
                                   "2024/25,primary,94.75,5.25,3.74,1.51,2.86,13.50,f.csv\n")
                  .ok());
  auto bad = [](const std::string& text) {
    core::StatusOr<std::vector<NationalFigures>> r = ParseNationalFigures(text);
    EXPECT_FALSE(r.ok()) << text;
    return r.ok() ? std::string() : r.status().message();
  };
  EXPECT_EQ(bad("year,phase\n"), "national figures: line 1 is not the expected header");
  EXPECT_EQ(bad(kHeader), "national figures: no rows");
  EXPECT_EQ(bad(std::string(kHeader) + "2024/25,primary,94.75\n"),
            "national figures: line 2 has 3 fields, not 9");
  EXPECT_EQ(bad(std::string(kHeader) + "2024-25,primary,94.75,5.25,3.74,1.51,2.86,13.50,f\n"),
            "national figures: line 2: academic year \"2024-25\" is not YYYY/YY");
  EXPECT_EQ(bad(std::string(kHeader) + "2024/25,primary,94.75,x,3.74,1.51,2.86,13.50,f\n"),
            "national figures: line 2: \"x\" is not a percentage");
  EXPECT_EQ(bad(std::string(kHeader) + "2024/25,primary,194.75,5.25,3.74,1.51,2.86,13.50,f\n"),
            "national figures: line 2: \"194.75\" is not a percentage");
}

}  // namespace
}  // namespace rollcall::web
