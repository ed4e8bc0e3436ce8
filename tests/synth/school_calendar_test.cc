#include "synth/school_calendar.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "core/date.h"
#include "support/dates.h"

namespace rollcall::synth {
namespace {

using core::Date;

using rollcall::testing::D;

int PupilDays(const core::Calendar& calendar) {
  int days = 0;
  for (int32_t i = 0; i < calendar.SessionCount(); ++i) {
    days += calendar.SessionAt(i).session == core::Session::kAm ? 1 : 0;
  }
  return days;
}

TEST(EasterSundayTest, KnownDates) {
  EXPECT_EQ(EasterSunday(2008), D("2008-03-23"));
  EXPECT_EQ(EasterSunday(2019), D("2019-04-21"));
  EXPECT_EQ(EasterSunday(2024), D("2024-03-31"));
  EXPECT_EQ(EasterSunday(2025), D("2025-04-20"));
  EXPECT_EQ(EasterSunday(2026), D("2026-04-05"));
  EXPECT_EQ(EasterSunday(2038), D("2038-04-25"));
}

TEST(EasterSundayTest, AgreesWithBankHolidayTable) {
  int checked = 0;
  for (const BankHoliday& holiday : EnglandAndWalesBankHolidays()) {
    if (std::string(holiday.title) != "Good Friday") continue;
    const Date good_friday = *Date::FromYmd(holiday.year, holiday.month, holiday.day);
    EXPECT_EQ(EasterSunday(holiday.year), good_friday.AddDays(2)) << holiday.year;
    ++checked;
  }
  EXPECT_EQ(checked, 17);  // 2012-2028
}

TEST(BankHolidaysTest, MatchVendoredGovUkFeed) {
  const char* root = std::getenv("ROLLCALL_SOURCE_DIR");
  if (root == nullptr) GTEST_SKIP() << "ROLLCALL_SOURCE_DIR not set";
  std::ifstream in(std::string(root) + "/data/reference/govuk-bank-holidays.json");
  ASSERT_TRUE(in) << "cannot open the feed";
  std::stringstream text;
  text << in.rdbuf();
  const nlohmann::json feed = nlohmann::json::parse(text.str());
  const nlohmann::json& events = feed["england-and-wales"]["events"];
  const auto table = EnglandAndWalesBankHolidays();
  ASSERT_EQ(table.size(), events.size()) << "regenerate with scripts/gen_synth_tables.py";
  for (size_t i = 0; i < table.size(); ++i) {
    EXPECT_EQ(Date::FromYmd(table[i].year, table[i].month, table[i].day)->ToString(),
              events[i]["date"].get<std::string>());
  }
}

TEST(AcademicYearCalendarTest, Year2024To25) {
  core::StatusOr<AcademicYearDates> dates = AcademicYearCalendar(2024);
  ASSERT_TRUE(dates.ok());
  ASSERT_EQ(dates->terms.size(), 6u);
  EXPECT_EQ(dates->terms[0].start, D("2024-09-02"));
  EXPECT_EQ(dates->terms[0].end, D("2024-10-25"));  // half term from 28 October
  EXPECT_EQ(dates->terms[1].start, D("2024-11-04"));
  EXPECT_EQ(dates->terms[1].end, D("2024-12-20"));
  EXPECT_EQ(dates->terms[2].start, D("2025-01-06"));  // 3 January is a Friday
  EXPECT_EQ(dates->terms[2].end, D("2025-02-14"));
  EXPECT_EQ(dates->terms[3].start, D("2025-02-24"));
  EXPECT_EQ(dates->terms[3].end, D("2025-04-11"));  // Easter 20 April: 14-25 April off
  EXPECT_EQ(dates->terms[4].start, D("2025-04-28"));
  EXPECT_EQ(dates->terms[4].end, D("2025-05-23"));  // spring bank holiday 26 May
  EXPECT_EQ(dates->terms[5].start, D("2025-06-02"));
  EXPECT_EQ(dates->terms[5].end, D("2025-07-22"));
  int inset = 0;
  bool early_may = false;
  for (const core::Closure& closure : dates->closures) {
    inset += closure.reason == "INSET" ? 1 : 0;
    early_may |=
        closure.date == D("2025-05-05") && closure.reason == "Bank holiday: Early May bank holiday";
  }
  EXPECT_EQ(inset, 5);
  EXPECT_TRUE(early_may);
}

TEST(AcademicYearCalendarTest, MatchesStaffordshire2025To26Holidays) {
  // The Staffordshire pattern in data/reference: half terms 27-31 Oct and
  // 16-20 Feb, Easter 30 Mar - 10 Apr, May half term 25-29 May.
  core::StatusOr<AcademicYearDates> dates = AcademicYearCalendar(2025);
  ASSERT_TRUE(dates.ok());
  EXPECT_EQ(dates->terms[0].start, D("2025-09-01"));
  EXPECT_EQ(dates->terms[0].end, D("2025-10-24"));
  EXPECT_EQ(dates->terms[1].start, D("2025-11-03"));
  EXPECT_EQ(dates->terms[2].end, D("2026-02-13"));
  EXPECT_EQ(dates->terms[3].start, D("2026-02-23"));
  EXPECT_EQ(dates->terms[3].end, D("2026-03-27"));
  EXPECT_EQ(dates->terms[4].start, D("2026-04-13"));
  EXPECT_EQ(dates->terms[4].end, D("2026-05-22"));
  EXPECT_EQ(dates->terms[5].start, D("2026-06-01"));
}

TEST(AcademicYearCalendarTest, EveryYearHasAbout190PupilDays) {
  for (int year = kFirstAcademicYear; year <= kLastAcademicYear; ++year) {
    core::StatusOr<core::Calendar> calendar = SchoolCalendar(year, year);
    ASSERT_TRUE(calendar.ok()) << year;
    const int days = PupilDays(*calendar);
    EXPECT_GE(days, 185) << year;
    EXPECT_LE(days, 195) << year;
    for (const core::Closure& closure : calendar->closures()) {
      EXPECT_FALSE(closure.date.IsWeekend()) << closure.date.ToString();
    }
  }
}

TEST(AcademicYearCalendarTest, StateFuneralIsAClosure) {
  core::StatusOr<AcademicYearDates> dates = AcademicYearCalendar(2022);
  ASSERT_TRUE(dates.ok());
  bool found = false;
  for (const core::Closure& closure : dates->closures) found |= closure.date == D("2022-09-19");
  EXPECT_TRUE(found);
}

TEST(AcademicYearCalendarTest, YearsOutsideTheTableAreRejected) {
  for (int year : {kFirstAcademicYear - 1, kLastAcademicYear + 1}) {
    core::StatusOr<AcademicYearDates> dates = AcademicYearCalendar(year);
    ASSERT_FALSE(dates.ok());
    EXPECT_EQ(dates.status().kind(), core::ErrorKind::kInvalidArgument);
    EXPECT_EQ(dates.status().code(), "VALUE_INVALID");
  }
  EXPECT_FALSE(SchoolCalendar(2025, 2024).ok());
}

}  // namespace
}  // namespace rollcall::synth
