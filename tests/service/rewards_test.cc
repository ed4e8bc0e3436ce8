// Rewards as service::Rewards builds them, on crafted marks: the class
// table's ranks and ties, late marks, the 100% list, the most-improved
// list's minimum, the medical exclusion on and off, who sees what, and the
// certificates stored as letters.
#include "service/rewards.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error_codes.h"
#include "service/dashboards.h"
#include "service/school_fixture.h"

namespace rollcall::service {
namespace {

using rollcall::testing::D;

// The fixture's school on Wednesday 25 November at 10:00: this week so far
// is Monday, Tuesday and Wednesday morning (5 sessions); last week 16 to 20
// November (10 sessions).
class RewardsTest : public SchoolFixture {
 protected:
  RewardsTest() {
    governor_ = AddUser("governor", store::Role::kGovernor, "Mr Gov", {}, {});
    EXPECT_TRUE(services_->Load().ok());
  }

  // `code` on every session of `days` ("2026-11-23", ...), AM and PM; the
  // morning only on today.
  void MarkDays(int64_t pupil, const std::vector<const char*>& days, const char* am,
                const char* pm) {
    for (const char* day : days) {
      EXPECT_TRUE(Mark(office_, pupil, day, "AM", am).ok()) << day;
      if (std::string(day) != "2026-11-25") {
        EXPECT_TRUE(Mark(office_, pupil, day, "PM", pm).ok()) << day;
      }
    }
  }
  void PresentThisWeek(int64_t pupil) {
    MarkDays(pupil, {"2026-11-23", "2026-11-24", "2026-11-25"}, "/", "\\");
  }

  RewardsView View(const Principal& who, RewardPeriod period = RewardPeriod::kWeek) {
    core::StatusOr<RewardsView> v = services_->rewards().For(who, period, D("2026-11-25"));
    EXPECT_TRUE(v.ok()) << v.status().message();
    return v.ok() ? *v : RewardsView{};
  }

  void ExcludeMedical(bool on) {
    SettingsChange change;
    change.rewards_exclude_medical = on;
    ASSERT_TRUE(services_->settings().Change(head_, change).ok());
  }

  static std::vector<int64_t> Ids(const std::vector<RewardPupil>& list) {
    std::vector<int64_t> out;
    for (const RewardPupil& p : list) out.push_back(p.pupil_id);
    return out;
  }

  Principal governor_;
};

TEST_F(RewardsTest, AClassWithOneAbsenceRanksBelowAClassWithNone) {
  PresentThisWeek(a_);
  ASSERT_TRUE(Mark(office_, a_, "2026-11-23", "AM", "I", "Phoned in ill").ok());
  PresentThisWeek(b_);
  const RewardsView v = View(head_);
  EXPECT_EQ(v.dates.current.from, D("2026-11-23"));
  EXPECT_EQ(v.dates.current.to, D("2026-11-25"));
  ASSERT_EQ(v.classes.size(), 2u);
  EXPECT_EQ(v.classes[0].class_id, class_4b_);
  EXPECT_EQ(v.classes[0].rank, 1);
  ASSERT_TRUE(v.classes[0].counts);
  EXPECT_EQ(v.classes[0].counts->possible, 5);
  EXPECT_EQ(v.classes[0].counts->attended, 5);
  EXPECT_EQ(v.classes[1].class_id, class_3a_);
  EXPECT_EQ(v.classes[1].rank, 2);
  EXPECT_EQ(v.classes[1].counts->possible, 5);
  EXPECT_EQ(v.classes[1].counts->attended, 4);
  EXPECT_EQ(Ids(v.full_attendance), std::vector<int64_t>{b_});
}

TEST_F(RewardsTest, EqualClassesShareARankAndLateBeforeCloseIsPresent) {
  PresentThisWeek(a_);
  PresentThisWeek(b_);
  ASSERT_TRUE(Mark(office_, a_, "2026-11-24", "AM", "L", "Arrived late", "08:55").ok());
  RewardsView v = View(head_);
  ASSERT_EQ(v.classes.size(), 2u);
  EXPECT_EQ(v.classes[0].rank, 1);
  EXPECT_EQ(v.classes[1].rank, 1);
  EXPECT_EQ(Ids(v.full_attendance), (std::vector<int64_t>{a_, b_}));
  // Late after the register closed is an unauthorised absence.
  ASSERT_TRUE(Mark(office_, b_, "2026-11-24", "AM", "U", "Arrived after close", "10:00").ok());
  v = View(head_);
  EXPECT_EQ(v.classes[0].class_id, class_3a_);
  EXPECT_EQ(v.classes[1].rank, 2);
  EXPECT_EQ(Ids(v.full_attendance), std::vector<int64_t>{a_});
}

TEST_F(RewardsTest, MostImprovedNeedsEnoughSessionsInBothPeriods) {
  const std::vector<const char*> last_week = {"2026-11-16", "2026-11-17", "2026-11-18",
                                              "2026-11-19", "2026-11-20"};
  // a_: 4 of 10 last week, every session this week.
  MarkDays(a_, {"2026-11-16", "2026-11-17", "2026-11-18"}, "O", "O");
  MarkDays(a_, {"2026-11-19", "2026-11-20"}, "/", "\\");
  PresentThisWeek(a_);
  // b_: in school throughout both weeks: no rise.
  MarkDays(b_, last_week, "/", "\\");
  PresentThisWeek(b_);
  // c: joined on the Friday and missed it, then in school: a rise of 100
  // points on two sessions, which must not top the list.
  store::Pupil joiner = NewPupil("C909123400003", class_4b_);
  joiner.enrolments = {{D("2026-11-20"), std::nullopt, "", ""}};
  const int64_t c = *store_->AddPupil(joiner);
  ASSERT_TRUE(services_->Load().ok());
  MarkDays(c, {"2026-11-20"}, "O", "O");
  PresentThisWeek(c);
  const RewardsView v = View(head_);
  ASSERT_TRUE(v.dates.previous);
  EXPECT_EQ(v.dates.previous->from, D("2026-11-16"));
  ASSERT_EQ(Ids(v.most_improved), std::vector<int64_t>{a_});
  EXPECT_EQ(v.most_improved[0].previous.possible, 10);
  EXPECT_EQ(v.most_improved[0].previous.attended, 4);
  EXPECT_EQ(v.most_improved[0].counts.attended, 5);
  // c is on the 100% list for this week all the same.
  EXPECT_EQ(Ids(v.full_attendance), (std::vector<int64_t>{a_, b_, c}));
}

TEST_F(RewardsTest, AKnownMedicalConditionLeavesTheTablesOnlyWhenTheSchoolSaysSo) {
  PresentThisWeek(a_);
  ASSERT_TRUE(Mark(office_, a_, "2026-11-23", "AM", "I", "Phoned in ill").ok());
  PresentThisWeek(b_);
  ASSERT_TRUE(services_->evidence().SetCondition(office_, a_, "Asthma", D("2027-03-01")).ok());
  // Off by default: a_ counts like everyone else.
  RewardsView v = View(office_);
  EXPECT_FALSE(v.medical_excluded);
  EXPECT_FALSE(v.excluded);
  EXPECT_EQ(v.classes[1].class_id, class_3a_);
  ASSERT_TRUE(v.classes[1].counts);
  EXPECT_EQ(v.classes[1].counts->possible, 5);

  ExcludeMedical(true);
  v = View(office_);
  EXPECT_TRUE(v.medical_excluded);
  EXPECT_EQ(v.excluded, 1);
  // 3A's only pupil left: the class has no figure, and no rank.
  const ClassStanding& three_a = v.classes[1];
  EXPECT_EQ(three_a.class_id, class_3a_);
  EXPECT_EQ(three_a.pupils, 0);
  EXPECT_FALSE(three_a.counts);
  EXPECT_EQ(three_a.rank, 0);
  // A teacher is not told how many were left out.
  EXPECT_FALSE(View(teacher_).excluded);

  // A condition past its review date is no longer in force.
  ASSERT_TRUE(services_->evidence().SetCondition(office_, a_, "Asthma", D("2026-11-01")).ok());
  v = View(office_);
  EXPECT_EQ(v.excluded, 0);
  ASSERT_TRUE(v.classes[1].counts);
  EXPECT_EQ(v.classes[1].counts->attended, 4);

  ExcludeMedical(false);
  ASSERT_TRUE(services_->evidence().SetCondition(office_, b_, "Diabetes", D("2027-03-01")).ok());
  EXPECT_EQ(Ids(View(head_).full_attendance), std::vector<int64_t>{b_});
  ExcludeMedical(true);
  EXPECT_TRUE(View(head_).full_attendance.empty());
}

TEST_F(RewardsTest, EachReaderSeesWhatTheirRoleAllows) {
  PresentThisWeek(a_);
  PresentThisWeek(b_);
  // A teacher: the whole school's table, their own class's names.
  RewardsView v = View(teacher_);
  EXPECT_EQ(v.classes.size(), 2u);
  EXPECT_TRUE(v.classes[0].counts);
  EXPECT_EQ(Ids(v.full_attendance), std::vector<int64_t>{a_});
  EXPECT_FALSE(v.may_print);
  // A governor: no names, and no figure about fewer than five pupils.
  v = View(governor_);
  EXPECT_FALSE(v.names_allowed);
  EXPECT_TRUE(v.full_attendance.empty());
  EXPECT_TRUE(v.most_improved.empty());
  ASSERT_EQ(v.classes.size(), 2u);
  EXPECT_FALSE(v.classes[0].counts);
  EXPECT_EQ(v.classes[0].rank, 0);
  // The office: everything, and certificates.
  v = View(office_);
  EXPECT_TRUE(v.may_print);
  EXPECT_EQ(v.full_attendance.size(), 2u);
  for (const Principal* refused : {&parent_, &la_}) {
    core::StatusOr<RewardsView> r =
        services_->rewards().For(*refused, RewardPeriod::kWeek, D("2026-11-25"));
    ASSERT_FALSE(r.ok()) << refused->name;
    EXPECT_EQ(r.status().kind(), core::ErrorKind::kPermissionDenied) << refused->name;
  }
}

TEST_F(RewardsTest, CertificatesAreOnePerPupilAndLoggedAsLetters) {
  PresentThisWeek(a_);
  PresentThisWeek(b_);
  ASSERT_TRUE(Mark(office_, b_, "2026-11-23", "AM", "O", "Not in after all").ok());
  core::StatusOr<std::vector<store::Letter>> sent = services_->rewards().Certificates(
      office_, RewardPeriod::kWeek, CertificateKind::kFullAttendance);
  ASSERT_TRUE(sent.ok()) << sent.status().message();
  ASSERT_EQ(sent->size(), 1u);
  const store::Letter& l = sent->front();
  EXPECT_EQ(l.pupil_id, a_);
  EXPECT_EQ(l.template_key, "certificate");
  EXPECT_NE(l.body.find("week beginning 23 November 2026"), std::string::npos) << l.body;
  EXPECT_NE(l.body.find("5 of 5 sessions"), std::string::npos) << l.body;
  core::StatusOr<std::vector<store::Letter>> batch =
      services_->letters().Batch(office_, std::to_string(l.batch));
  ASSERT_TRUE(batch.ok()) << batch.status().message();
  EXPECT_EQ(batch->size(), 1u);
  // Nobody has improved (no marks last week): nothing to print, nothing stored.
  core::StatusOr<std::vector<store::Letter>> none = services_->rewards().Certificates(
      office_, RewardPeriod::kWeek, CertificateKind::kMostImproved);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), core::kErrNoLetters);
  // A teacher sees the list but does not print certificates.
  EXPECT_EQ(services_->rewards()
                .Certificates(teacher_, RewardPeriod::kWeek, CertificateKind::kFullAttendance)
                .status()
                .kind(),
            core::ErrorKind::kPermissionDenied);
}

// The year's class table and the dashboard count with the one rules core:
// each class's figures are the same.
TEST_F(RewardsTest, TheYearsClassTableAgreesWithTheDashboard) {
  PresentThisWeek(a_);
  ASSERT_TRUE(Mark(office_, a_, "2026-11-24", "PM", "O", "No reason given").ok());
  MarkDays(b_, {"2026-11-19", "2026-11-20"}, "I", "I");
  PresentThisWeek(b_);
  const RewardsView v = View(head_, RewardPeriod::kYear);
  EXPECT_EQ(v.dates.current.from, D("2026-08-01"));
  ASSERT_EQ(v.classes.size(), 2u);
  for (const ClassStanding& c : v.classes) {
    core::StatusOr<DashboardView> d =
        services_->dashboards().For(head_, "class-" + std::to_string(c.class_id), D("2026-11-25"));
    ASSERT_TRUE(d.ok()) << d.status().message();
    ASSERT_TRUE(d->summary && c.counts) << c.name;
    EXPECT_EQ(c.pupils, d->summary->pupils) << c.name;
    EXPECT_EQ(c.counts->possible, d->summary->counts.possible) << c.name;
    EXPECT_EQ(c.counts->attended, d->summary->counts.attended) << c.name;
    EXPECT_EQ(c.counts->absence, d->summary->counts.absence) << c.name;
  }
}

TEST(RewardDatesTest, HalfTermsAndWeeksFollowTheCalendar) {
  const core::Calendar calendar(
      {core::Term{D("2026-09-02"), D("2026-10-23")}, core::Term{D("2026-11-02"), D("2026-12-18")}},
      {});
  // In the half-term holiday: the week is the last school week, the
  // half-term the one that has begun.
  RewardDates week = RewardDatesOf(calendar, RewardPeriod::kWeek, D("2026-10-28"));
  EXPECT_EQ(week.current.from, D("2026-10-19"));
  EXPECT_EQ(week.current.to, D("2026-10-25"));
  ASSERT_TRUE(week.previous);
  EXPECT_EQ(week.previous->from, D("2026-10-12"));
  RewardDates half = RewardDatesOf(calendar, RewardPeriod::kHalfTerm, D("2026-11-25"));
  EXPECT_EQ(half.current.from, D("2026-11-02"));
  EXPECT_EQ(half.current.to, D("2026-11-25"));
  ASSERT_TRUE(half.previous);
  EXPECT_EQ(half.previous->from, D("2026-09-02"));
  EXPECT_EQ(half.previous->to, D("2026-10-23"));
  EXPECT_FALSE(RewardDatesOf(calendar, RewardPeriod::kHalfTerm, D("2026-10-01")).previous);
  RewardDates year = RewardDatesOf(calendar, RewardPeriod::kYear, D("2026-11-25"));
  EXPECT_EQ(year.current.from, D("2026-08-01"));
  EXPECT_EQ(year.previous->from, D("2025-08-01"));
  EXPECT_EQ(year.previous->to, D("2026-07-31"));
  EXPECT_EQ(RewardPeriodFromKey("fortnight").status().code(), core::kErrValueInvalid);
}

}  // namespace
}  // namespace rollcall::service
