// The school census attendance module's rules (core/census.h): the periods
// of the three censuses, the figures per enrolment from the rules core's
// counts, and the checks before a school sends its return.
#include "core/census.h"

#include <gtest/gtest.h>

#include "core/bank_holidays.h"
#include "core/upn.h"
#include "support/scenario_builder.h"

namespace rollcall::testing {
namespace {

using core::AttendanceCode;
using core::Census;
using core::CensusCheck;

// Every enrolment returned as its own reason, as the data file does, with C1
// marked unconfirmed as there.
std::vector<core::CensusCodeRow> Codes() {
  std::vector<core::CensusCodeRow> out;
  for (const core::CodeInfo& info : core::AllCodes()) {
    const bool absence = info.category == core::StatCategory::kAuthorised ||
                         info.category == core::StatCategory::kUnauthorised;
    out.push_back({info.code, absence ? std::string(info.symbol) : "",
                   info.code != AttendanceCode::kPerformance});
  }
  return out;
}

TEST(CensusTest, EasterAndTheSpringBankHoliday) {
  EXPECT_EQ(core::EasterSunday(2000), D("2000-04-23"));
  EXPECT_EQ(core::EasterSunday(2019), D("2019-04-21"));
  EXPECT_EQ(core::EasterSunday(2024), D("2024-03-31"));
  EXPECT_EQ(core::EasterSunday(2025), D("2025-04-20"));
  EXPECT_EQ(core::EasterSunday(2026), D("2026-04-05"));
  // Every Easter Monday of the GOV.UK table follows the computed Sunday.
  int mondays = 0;
  for (const core::BankHoliday& h : core::EnglandAndWalesBankHolidays()) {
    if (std::string_view(h.title) != "Easter Monday") continue;
    ++mondays;
    EXPECT_EQ(core::EasterSunday(h.year).AddDays(1), D(h.year, h.month, h.day)) << h.year;
  }
  EXPECT_GT(mondays, 10);
  EXPECT_EQ(core::SpringBankHoliday(2025), D("2025-05-26"));
  EXPECT_EQ(core::SpringBankHoliday(2026), D("2026-05-25"));
  EXPECT_EQ(core::SpringBankHoliday(2027), D("2027-05-31"));
}

TEST(CensusTest, EachCensusReturnsTheTermBefore) {
  const auto spring = core::CensusParts(Census::kSpring, 2026);
  ASSERT_EQ(spring.size(), 1u);
  EXPECT_EQ(spring[0].period.from, D("2025-08-01"));
  EXPECT_EQ(spring[0].period.to, D("2025-12-31"));
  const auto summer = core::CensusParts(Census::kSummer, 2026);
  ASSERT_EQ(summer.size(), 1u);
  EXPECT_EQ(summer[0].period.from, D("2026-01-01"));
  EXPECT_EQ(summer[0].period.to, D("2026-04-05"));  // Easter Sunday
  const auto autumn = core::CensusParts(Census::kAutumn, 2026);
  ASSERT_EQ(autumn.size(), 2u);
  EXPECT_EQ(autumn[0].period.from, D("2026-04-06"));  // Easter Monday
  EXPECT_EQ(autumn[0].period.to, D("2026-05-24"));    // the day before the bank holiday week
  EXPECT_EQ(autumn[1].period.from, D("2026-05-25"));
  EXPECT_EQ(autumn[1].period.to, D("2026-07-31"));
  EXPECT_EQ(core::CensusDay(Census::kSpring, 2026), D("2026-01-15"));
  EXPECT_EQ(core::CensusDay(Census::kSummer, 2026), D("2026-05-21"));
  EXPECT_EQ(core::CensusDay(Census::kAutumn, 2026), D("2026-10-01"));
  EXPECT_EQ(core::CensusFromName("autumn"), Census::kAutumn);
  EXPECT_EQ(core::CensusFromName("Autumn"), std::nullopt);
}

TEST(CensusTest, TheModuleCoversPupilsAgedFourToFifteenAtTheStartOfTheYear) {
  // The spring census of 2026 returns the autumn term of 2025: ages on 31 August 2025.
  EXPECT_TRUE(core::InCensusAgeRange(D("2021-08-31"), Census::kSpring, 2026));
  EXPECT_FALSE(core::InCensusAgeRange(D("2021-09-01"), Census::kSpring, 2026));
  EXPECT_TRUE(core::InCensusAgeRange(D("2009-09-01"), Census::kSpring, 2026));
  EXPECT_FALSE(core::InCensusAgeRange(D("2009-08-31"), Census::kSpring, 2026));
  // The summer and autumn censuses of 2026 return terms of the same year.
  EXPECT_TRUE(core::InCensusAgeRange(D("2021-08-31"), Census::kAutumn, 2026));
  EXPECT_FALSE(core::InCensusAgeRange(D("2009-08-31"), Census::kSummer, 2026));
}

// Autumn term 2025; the pupil left on 10 October and came back on 3 November.
core::Scenario LeftAndRejoined() {
  ScenarioBuilder b("2025-12-19");
  b.Term("2025-09-01", "2025-12-19")
      .Pupil("P1", {{"on_roll",
                     {{{"from", "2025-09-01"}, {"to", "2025-10-10"}},
                      {{"from", "2025-11-03"}, {"to", nullptr}}}}})
      .Mark("P1", "2025-09-10", "AM", "I")
      .Mark("P1", "2025-09-10", "PM", "I")
      .Mark("P1", "2025-11-05", "AM", "O")
      .Mark("P1", "2025-11-06", "AM", "C1")
      .Mark("P1", "2025-11-07", "AM", "Y1")
      .Mark("P1", "2025-11-10", "AM", nullptr);
  core::Scenario s = b.Build();
  // A mark while off roll, as an import from another system could leave: the
  // scenario format refuses it, the store's history may hold it.
  s.marks[0].push_back({{D("2025-10-20"), core::Session::kAm}, AttendanceCode::kOtherUnauthorised});
  return s;
}

std::vector<core::CensusEnrolment> EnrolmentsOf(const core::Scenario& s,
                                                const std::vector<core::CensusPart>& parts) {
  const std::vector<core::PupilSession> sessions =
      core::BuildPupilSessions(s.calendar, s.pupils[0], s.marks[0], s.default_mark, s.as_of);
  return core::CensusEnrolments(s.calendar, s.pupils[0], 0, sessions, parts, Codes());
}

TEST(CensusTest, APupilWhoLeftAndRejoinedHasTwoEnrolmentsEachCountedByTheCore) {
  const core::Scenario s = LeftAndRejoined();
  const auto parts = core::CensusParts(Census::kSpring, 2026);
  const std::vector<core::CensusEnrolment> e = EnrolmentsOf(s, parts);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].counted.from, D("2025-09-01"));
  EXPECT_EQ(e[0].counted.to, D("2025-10-10"));
  EXPECT_EQ(e[1].counted.from, D("2025-11-03"));
  EXPECT_EQ(e[1].counted.to, D("2025-12-31"));
  const std::vector<core::PupilSession> sessions =
      core::BuildPupilSessions(s.calendar, s.pupils[0], s.marks[0], s.default_mark, s.as_of);
  for (const core::CensusEnrolment& one : e) {
    const core::SessionCounts core = core::CountSessions(s.calendar, sessions, one.counted);
    EXPECT_EQ(one.counts.possible, core.possible);
    EXPECT_EQ(one.counts.authorised, core.authorised);
    EXPECT_EQ(one.counts.unauthorised, core.unauthorised);
  }
  // Six weeks to Friday 10 October: 30 days, 60 sessions.
  EXPECT_EQ(e[0].counts.possible, 60);
  EXPECT_EQ(e[0].counts.authorised, 2);
  ASSERT_EQ(e[0].reasons.size(), 1u);
  EXPECT_EQ(e[0].reasons[0].reason, "I");
  EXPECT_EQ(e[0].reasons[0].sessions, 2);
  // Y1 is no possible session and no reason; the unrecorded session is neither.
  EXPECT_EQ(e[1].counts.not_possible, 1);
  EXPECT_EQ(e[1].counts.unrecorded, 1);
  EXPECT_EQ(e[1].counts.authorised, 1);
  EXPECT_EQ(e[1].counts.unauthorised, 1);
  ASSERT_EQ(e[1].reasons.size(), 2u);
  EXPECT_EQ(e[1].reasons[0].reason, "C1");  // in the order of the DfE table
  EXPECT_EQ(e[1].reasons[1].reason, "O");
  EXPECT_EQ(core::MarksOutsideEnrolments(s.calendar, s.pupils[0], s.marks[0], parts), 1);
}

TEST(CensusTest, AnEnrolmentWithEverySessionUnmarkedIsKeptForTheChecks) {
  ScenarioBuilder b("2025-12-19");
  b.NoDefaultMark().Term("2025-09-01", "2025-12-19").Pupil("P1");
  const core::Scenario s = b.Build();
  const auto parts = core::CensusParts(Census::kSpring, 2026);
  std::vector<core::CensusEnrolment> e = EnrolmentsOf(s, parts);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].counts.possible, 0);
  EXPECT_GT(e[0].counts.unrecorded, 0);
  e[0].upn = core::UpnWithCheckLetter("909123400001");
  const std::vector<core::CensusProblem> problems = core::CheckCensus(e, parts, Codes(), {});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].check, CensusCheck::kUnrecorded);
  EXPECT_EQ(problems[0].enrolment, 0u);
}

TEST(CensusTest, NoEnrolmentOutsideTheCensusPeriod) {
  const core::Scenario s = LeftAndRejoined();
  EXPECT_TRUE(EnrolmentsOf(s, core::CensusParts(Census::kSummer, 2026)).empty());
  EXPECT_TRUE(EnrolmentsOf(s, core::CensusParts(Census::kSpring, 2025)).empty());
}

TEST(CensusTest, TheChecksPassCleanFiguresAndCatchCraftedFaults) {
  const core::Scenario s = LeftAndRejoined();
  const auto parts = core::CensusParts(Census::kSpring, 2026);
  std::vector<core::CensusEnrolment> e = EnrolmentsOf(s, parts);
  for (core::CensusEnrolment& one : e) one.upn = core::UpnWithCheckLetter("909123400001");
  const std::vector<core::CensusCodeRow> codes = Codes();
  auto blocking = [&](const std::vector<core::CensusProblem>& problems) {
    std::vector<CensusCheck> out;
    for (const core::CensusProblem& p : problems) {
      if (p.blocking) out.push_back(p.check);
    }
    return out;
  };
  const std::vector<core::CensusProblem> clean = core::CheckCensus(e, parts, codes, {});
  EXPECT_TRUE(blocking(clean).empty());
  // Warnings only: the unrecorded session and the unconfirmed C1.
  ASSERT_EQ(clean.size(), 2u);
  EXPECT_EQ(clean[0].check, CensusCheck::kUnrecorded);
  EXPECT_EQ(clean[1].check, CensusCheck::kUnconfirmedCode);
  EXPECT_NE(clean[1].message.find("C1"), std::string::npos);

  std::vector<core::CensusEnrolment> bad = e;
  bad[0].counts.possible += 1;            // possible != attended + absence
  bad[1].reasons.pop_back();              // O's session is in no reason
  bad[1].counted.from = D("2025-10-01");  // before the enrolment began
  bad[1].pupil = 1;                       // as if another pupil's, whose UPN is checked too
  bad[0].upn = "";                        // no UPN
  bad[1].upn = "A" + core::UpnWithCheckLetter("909123400001").substr(1);  // wrong check letter
  const std::vector<CensusCheck> found =
      blocking(core::CheckCensus(bad, parts, codes, std::vector<int64_t>{0}));
  EXPECT_EQ(found, (std::vector<CensusCheck>{CensusCheck::kIdentity, CensusCheck::kNoUpn,
                                             CensusCheck::kOutsideDates, CensusCheck::kReasonTotals,
                                             CensusCheck::kBadUpn}));

  const std::vector<core::CensusProblem> off_roll =
      core::CheckCensus(e, parts, codes, std::vector<int64_t>{1});
  EXPECT_TRUE(std::any_of(off_roll.begin(), off_roll.end(), [](const core::CensusProblem& p) {
    return p.check == CensusCheck::kMarksOffRoll && !p.blocking && p.pupil == 0u;
  }));
}

TEST(CensusTest, TheAutumnCensusReturnsTheSummerHalvesSeparately) {
  ScenarioBuilder b("2026-07-22");
  b.Term("2026-04-13", "2026-05-22").Term("2026-06-01", "2026-07-22").Pupil("P1");
  b.Mark("P1", "2026-04-13", "AM", "M").Mark("P1", "2026-06-01", "PM", "G");
  const core::Scenario s = b.Build();
  const std::vector<core::CensusEnrolment> e =
      EnrolmentsOf(s, core::CensusParts(Census::kAutumn, 2026));
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].part, 0u);
  EXPECT_EQ(e[0].counts.possible, 60);  // 6 weeks
  EXPECT_EQ(e[0].counts.authorised, 1);
  EXPECT_EQ(e[1].part, 1u);
  EXPECT_EQ(e[1].counts.possible, 76);  // 7 weeks and 3 days
  EXPECT_EQ(e[1].counts.unauthorised, 1);
}

}  // namespace
}  // namespace rollcall::testing
