// Reading term-dates files: the two real files vendored in data/reference
// (a Kent school's six-term list, Staffordshire's pattern by academic year)
// and the errors a damaged file gets.
#include "io/term_dates.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/calendar.h"
#include "core/error_codes.h"
#include "support/dates.h"

namespace rollcall::io {
namespace {

using core::Date;

using rollcall::testing::D;

std::string ReadData(const std::string& name) {
  const char* root = std::getenv("ROLLCALL_SOURCE_DIR");
  if (root == nullptr) return "";
  std::ifstream in(std::string(root) + "/data/reference/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

core::Calendar CalendarOf(const TermDates& dates) {
  std::vector<core::Term> terms;
  for (const NamedTerm& t : dates.terms) terms.push_back({t.start, t.end});
  return core::Calendar(terms, dates.closures);
}

// Open sessions from `from` to `to` inclusive.
int32_t SessionsBetween(const core::Calendar& calendar, Date from, Date to) {
  return calendar.FirstSessionOnOrAfter(to.AddDays(1)) - calendar.FirstSessionOnOrAfter(from);
}

std::string ReasonOn(const TermDates& dates, Date date) {
  for (const core::Closure& c : dates.closures) {
    if (c.date == date) return c.reason;
  }
  return "";
}

TEST(TermDatesTest, StaffordshireYearsHaveTheirNamedTermsAndThe380SessionsTheFileGives) {
  const std::string text =
      ReadData("term_dates_staffordshire_pattern_2025-26_2026-27_moorhill.json");
  if (text.empty()) GTEST_SKIP() << "ROLLCALL_SOURCE_DIR not set";
  core::StatusOr<TermDates> dates = ReadTermDates(text);
  ASSERT_TRUE(dates.ok()) << dates.status().message();
  ASSERT_EQ(dates->terms.size(), 6u);
  EXPECT_EQ(dates->terms[0].name, "Autumn 2025");
  EXPECT_EQ(dates->terms[0].start, D("2025-09-01"));
  EXPECT_EQ(dates->terms[5].name, "Summer 2027");
  // "_derived_check" in the file: 190 pupil days, 380 possible sessions.
  EXPECT_EQ(SessionsBetween(CalendarOf(*dates), D("2025-09-01"), D("2026-08-31")), 380);
  // Before pupils start, INSET; a half term inside a term; a bank holiday.
  EXPECT_EQ(ReasonOn(*dates, D("2025-09-02")), kInsetReason);
  EXPECT_EQ(ReasonOn(*dates, D("2026-07-20")), kInsetReason);  // after pupils_last_day
  EXPECT_EQ(ReasonOn(*dates, D("2026-02-17")), "Spring half term");
  EXPECT_EQ(ReasonOn(*dates, D("2026-05-04")), "Bank holiday: Early May bank holiday");
  EXPECT_EQ(ReasonOn(*dates, D("2025-09-03")), "");  // the first day pupils come
  EXPECT_EQ(ReasonOn(*dates, D("2025-12-25")), "");  // outside every term: no closure needed
}

TEST(TermDatesTest, KentSixTermListIsNamedBySeasonWithItsInsetDays) {
  const std::string text = ReadData("term_dates_knole_kent_2025-27_oam100.json");
  if (text.empty()) GTEST_SKIP() << "ROLLCALL_SOURCE_DIR not set";
  core::StatusOr<TermDates> dates = ReadTermDates(text);
  ASSERT_TRUE(dates.ok()) << dates.status().message();
  ASSERT_EQ(dates->terms.size(), 12u);
  EXPECT_EQ(dates->terms[0].name, "Autumn 1 2025");
  EXPECT_EQ(dates->terms[1].name, "Autumn 2 2025");
  EXPECT_EQ(dates->terms[2].name, "Spring 1 2026");
  EXPECT_EQ(dates->terms[5].name, "Summer 2 2026");
  EXPECT_EQ(ReasonOn(*dates, D("2025-09-22")), kInsetReason);
  EXPECT_EQ(ReasonOn(*dates, D("2026-05-04")), "Bank holiday: Early May bank holiday");
  // An INSET day the file puts in a holiday closes nothing that was open.
  EXPECT_EQ(ReasonOn(*dates, D("2026-10-19")), "");
  for (const core::Closure& c : dates->closures) EXPECT_FALSE(c.date.IsWeekend());
}

TEST(TermDatesTest, ErrorsNameThePlaceInTheFile) {
  struct Case {
    const char* json;
    const char* code;
    const char* message;
  };
  const Case cases[] = {
      {R"({"terms": [{"start": "2025-09-01", "end": "2025-10-17"},
                     {"start": "2025-11-03", "end": "2025-12-19"},
                     {"start": "2026-01-05", "end": "5 Jan"}]})",
       core::kErrDateInvalid, "terms[2].end: not a date (YYYY-MM-DD)"},
      {R"({"terms": [{"start": "2025-09-01"}]})", core::kErrRequiredKey, "terms[0].end: missing"},
      {R"({"terms": [{"start": "2025-09-01", "end": "2025-08-01"}]})", core::kErrValueInvalid,
       "terms[0].end: 1 August 2025 is before the term starts (1 September 2025)"},
      {R"({"holidays": []})", core::kErrRequiredKey, "terms: the file gives no terms"},
      {R"({"terms": [], "term": []})", core::kErrUnknownKey, "term: not a key"},
      {R"({"academic_years": {"2025/26": {"terms": [{"first_day": "2025-09-01",
           "last_day": "2025-12-19", "pupils_start": "2026-01-01"}]}}})",
       core::kErrValueInvalid, "academic_years[2025/26].terms[0].pupils_start: not inside"},
      {R"({"terms": [{"start": "2025-09-01", "end": "2025-12-19"},
                     {"start": "2025-12-01", "end": "2026-03-27"}]})",
       core::kErrValueInvalid, "terms: the term starting 1 December 2025 overlaps"},
      {R"({"terms": [{"start": "2025-09-01", "end": "2025-12-19"}], "inset_days": [7]})",
       core::kErrDateInvalid, "inset_days[0]: not a date"},
      {"[1, 2", core::kErrJsonMalformed, ""},
  };
  for (const Case& c : cases) {
    core::StatusOr<TermDates> dates = ReadTermDates(c.json);
    ASSERT_FALSE(dates.ok()) << c.json;
    EXPECT_EQ(dates.status().code(), c.code) << c.json;
    EXPECT_TRUE(dates.status().message().starts_with(c.message))
        << c.json << "\n  got: " << dates.status().message();
  }
}

}  // namespace
}  // namespace rollcall::io
