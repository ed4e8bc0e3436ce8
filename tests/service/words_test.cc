// The school's values as people read them (service/words.h): plurals, UK
// dates, moments in UK time (GMT and BST), codes, bands, cohort flags, and a
// pupil's alerts as sentences for staff and for parents.
#include "service/words.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error_codes.h"
#include "core/uk_time.h"
#include "service/fields.h"
#include "service/school_fixture.h"

namespace rollcall::service {
namespace {

// Unix seconds of a UTC date and time.
int64_t Utc(const char* date, int hour, int minute, int second = 0) {
  return int64_t{D(date).days()} * 86400 + hour * 3600 + minute * 60 + second;
}

TEST(WordsTest, CountsHaveTheirPlural) {
  EXPECT_EQ(Plural(1, "session"), "1 session");
  EXPECT_EQ(Plural(2, "session"), "2 sessions");
  EXPECT_EQ(Plural(0, "minute"), "0 minutes");
  EXPECT_EQ(Plural(1, "child", "children"), "1 child");
  EXPECT_EQ(Plural(3, "child", "children"), "3 children");
}

TEST(WordsTest, DatesInUkForm) {
  EXPECT_EQ(LongDate(D("2026-12-02")), "2 December 2026");
  EXPECT_EQ(DayDate(D("2026-12-02")), "Wed 2 December 2026");
  EXPECT_EQ(ShortDayDate(D("2026-12-02")), "Wed 2 Dec");
  EXPECT_EQ(ShortDate(D("2026-09-07")), "7 Sep");
  EXPECT_EQ(SessionText({D("2026-11-16"), core::Session::kPm}), "Mon 16 November 2026 PM");
}

TEST(WordsTest, CitedSessionsInUkForm) {
  EXPECT_EQ(CitedSessions("2026-11-13 PM G, 2026-11-16 AM -"),
            (std::vector<std::string>{"Fri 13 November 2026 PM: G", "Mon 16 November 2026 AM: -"}));
  // An exclusion's evidence says more after the code, commas and all.
  EXPECT_EQ(CitedSessions("2026-11-02 AM E (excluded, school day 1 of the exclusion): fighting"),
            (std::vector<std::string>{"Mon 2 November 2026 AM: E (excluded",
                                      "school day 1 of the exclusion): fighting"}));
  EXPECT_EQ(CitedSessions("not a session"), std::vector<std::string>{"not a session"});
  EXPECT_TRUE(CitedSessions("").empty());
}

TEST(WordsTest, MomentsInUkTime) {
  // Winter: GMT, the UTC time itself.
  EXPECT_EQ(MomentText(Utc("2026-12-02", 10, 37, 20)), "Wed 2 December 2026, 10:37");
  // Summer: BST, an hour ahead, and past midnight it is the next day.
  EXPECT_EQ(MomentText(Utc("2026-06-15", 9, 5)), "Mon 15 June 2026, 10:05");
  EXPECT_EQ(MomentText(Utc("2026-07-01", 23, 30)), "Thu 2 July 2026, 00:30");
  // The clocks change at 01:00 GMT on the last Sundays of March and October.
  EXPECT_EQ(MomentText(Utc("2026-03-29", 0, 59)), "Sun 29 March 2026, 00:59");
  EXPECT_EQ(MomentText(Utc("2026-03-29", 1, 0)), "Sun 29 March 2026, 02:00");
  EXPECT_EQ(MomentText(Utc("2026-10-25", 0, 59)), "Sun 25 October 2026, 01:59");
  EXPECT_EQ(MomentText(Utc("2026-10-25", 1, 0)), "Sun 25 October 2026, 01:00");
  const core::UkTime t = core::UkTimeAt(Utc("2026-06-15", 9, 5, 7));
  EXPECT_TRUE(t.summer);
  EXPECT_EQ(t.second, 7);
  // As the transfer file and the census return write it, from the one moment.
  EXPECT_EQ(LocalIsoTime(Utc("2026-12-02", 10, 37, 20)), "2026-12-02T10:37:20");
  EXPECT_EQ(LocalIsoTime(Utc("2026-07-01", 23, 30, 5)), "2026-07-02T00:30:05");
  // And back: UK local time to the moment.
  EXPECT_EQ(core::UkUnixSeconds(D("2026-12-02"), 8 * 60 + 46), Utc("2026-12-02", 8, 46));
  EXPECT_EQ(core::UkUnixSeconds(D("2026-06-15"), 10 * 60 + 5), Utc("2026-06-15", 9, 5));
  EXPECT_EQ(core::UkUnixSeconds(D("2026-10-25"), 2 * 60), Utc("2026-10-25", 2, 0));
}

TEST(WordsTest, CodesBandsAndCohortsInWords) {
  EXPECT_EQ(CodeText(core::AttendanceCode::kNoReasonYet), "N — reason not yet established");
  EXPECT_EQ(CodeText(core::AttendanceCode::kIllness), "I — illness");
  EXPECT_EQ(BandText("amber_lower"), "Amber (lower)");
  EXPECT_EQ(BandText("amber_upper"), "Amber (upper)");
  EXPECT_EQ(BandText("green"), "Green");
  EXPECT_EQ(BandText("needs_support"), "Needs support");
  EXPECT_EQ(CohortText("SEN_K"), "SEN support");
  EXPECT_EQ(CohortText("FSM"), "Free school meals");
  EXPECT_EQ(CohortText("NEW_FLAG"), "NEW_FLAG");
  EXPECT_EQ(RoleText(store::Role::kLaOfficer), "LA officer");
  EXPECT_EQ(RoleText(store::Role::kSafeguardingLead), "designated safeguarding lead");
  EXPECT_EQ(RoleText(store::Role::kSenco), "SENCO");
  EXPECT_EQ(RoleText(store::Role::kAttendanceOfficer), "attendance officer");
  // The new roles' stored names, as the API and the command line take them.
  for (const char* name : {"dsl", "senco", "attendance"}) {
    ASSERT_TRUE(store::RoleFromName(name)) << name;
    EXPECT_EQ(store::RoleName(*store::RoleFromName(name)), name);
  }
  EXPECT_EQ(static_cast<int>(*store::RoleFromName("attendance")), 9);
  EXPECT_EQ(DecisionText(core::PenaltyDecision::kSupportFirst), "support first");
}

// 14 N codes past the follow-up window (one alert each), one unrecorded
// session, the penalty threshold twice and persistent absence.
io::PupilResult Result() {
  io::PupilResult r;
  r.persistent_absence = true;
  for (int day = 2; day <= 8; ++day) {
    for (core::Session s : {core::Session::kAm, core::Session::kPm}) {
      const core::SessionKey slot{D("2026-11-01").AddDays(day - 1), s};
      r.alerts.push_back({"n_overdue",
                          core::AlertKind::kNOverdue,
                          0,
                          slot,
                          {{slot, core::AttendanceCode::kNoReasonYet}},
                          std::nullopt});
    }
  }
  const core::SessionKey unmarked{D("2026-11-20"), core::Session::kAm};
  r.alerts.push_back({"unrecorded_marks",
                      core::AlertKind::kUnrecordedMarks,
                      0,
                      unmarked,
                      {{unmarked, std::nullopt}},
                      std::nullopt});
  for (core::PenaltyAction action :
       {core::PenaltyAction::kFirstNotice, core::PenaltyAction::kSecondNotice}) {
    const core::SessionKey at{D("2026-11-03"), core::Session::kAm};
    r.alerts.push_back({"penalty_threshold",
                        core::AlertKind::kPenaltyThreshold,
                        0,
                        at,
                        {{at, core::AttendanceCode::kOtherUnauthorised}},
                        action});
  }
  return r;
}

TEST(WordsTest, AlertsForStaffAreSentencesOneLineAKind) {
  const std::vector<AlertLine> lines =
      AlertLines(Result(), core::Policy{}, Audience::kStaff, "Amy");
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].text,
            "Absent for 10% or more of sessions this school year: persistently absent.");
  EXPECT_TRUE(lines[0].sessions.empty());
  EXPECT_EQ(lines[1].text,
            "Reached the threshold for a penalty notice: 10 unauthorised sessions within 10 "
            "school weeks, 2 times. Next step allowed: a second penalty notice.");
  // The same session behind both alerts is listed once.
  EXPECT_EQ(lines[1].sessions, std::vector<std::string>{"Tue 3 November 2026 AM: O"});
  EXPECT_EQ(lines[2].text,
            "14 sessions are still recorded as N (no reason yet), more than 5 school days after "
            "the session.");
  ASSERT_EQ(lines[2].sessions.size(), 14u);
  EXPECT_EQ(lines[2].sessions.front(), "Mon 2 November 2026 AM: N");
  EXPECT_EQ(lines[2].sessions.back(), "Sun 8 November 2026 PM: N");
  EXPECT_EQ(lines[3].text, "1 session has no mark recorded yet.");
  EXPECT_EQ(lines[3].sessions, std::vector<std::string>{"Fri 20 November 2026 AM: no mark"});
}

TEST(WordsTest, AlertsForParentsAreAboutTheirChild) {
  io::PupilResult r = Result();
  r.alerts.erase(r.alerts.begin() + 1, r.alerts.begin() + 14);  // one N left
  const std::vector<AlertLine> lines = AlertLines(r, core::Policy{}, Audience::kParent, "Amy");
  // No line for the school's own unrecorded marks.
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].text, "Amy has missed 10% or more of sessions this school year.");
  EXPECT_EQ(lines[1].text,
            "Amy has missed 10 half-day sessions without the school's permission within 10 "
            "school weeks.");
  EXPECT_EQ(lines[2].text,
            "The school does not yet know why Amy missed 1 half-day session. Please tell the "
            "school office.");
  for (const AlertLine& line : lines) {
    for (const char* internal : {"threshold", "penalty", "N (", "unrecorded", "_"}) {
      EXPECT_EQ(line.text.find(internal), std::string::npos) << line.text;
    }
  }
}

class WordsOverviewTest : public SchoolFixture {};

// The pupil's view holds the lines for its reader: the office reads the
// staff wording, the pupil's parent the parents'.
TEST_F(WordsOverviewTest, TheOverviewHoldsTheReadersLines) {
  ASSERT_TRUE(Mark(office_, a_, "2026-11-16", "AM", "N").ok());
  core::StatusOr<PupilOverview> staff = services_->pupils().Overview(office_, a_, clock_.Today());
  ASSERT_TRUE(staff.ok()) << staff.status().message();
  bool overdue = false, unrecorded = false;
  for (const AlertLine& line : staff->alert_lines) {
    overdue = overdue || line.text.starts_with("1 session is still recorded as N");
    unrecorded = unrecorded || line.text.find("no mark recorded yet") != std::string::npos;
  }
  EXPECT_TRUE(overdue);
  EXPECT_TRUE(unrecorded);
  core::StatusOr<PupilOverview> parent = services_->pupils().Overview(parent_, a_, clock_.Today());
  ASSERT_TRUE(parent.ok()) << parent.status().message();
  ASSERT_FALSE(parent->alert_lines.empty());
  for (const AlertLine& line : parent->alert_lines) {
    EXPECT_EQ(line.text.find("no mark recorded"), std::string::npos) << line.text;
  }
  EXPECT_EQ(parent->alert_lines.back().text,
            "The school does not yet know why Pupil missed 1 half-day session. Please tell the "
            "school office.");
}

// A late mark without its time says what to enter; the API's code stays.
TEST_F(WordsOverviewTest, ALateMarkWithoutItsTimeSaysWhatToEnter) {
  core::StatusOr<MarkResult> late = Mark(office_, a_, "2026-11-24", "AM", "L");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.status().code(), core::kErrTimeInvalid);
  EXPECT_EQ(late.status().message(), "Enter the time the pupil arrived, for example 09:05");
}

}  // namespace
}  // namespace rollcall::service
