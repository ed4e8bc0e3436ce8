// The early-warning list and the pupil page's forecast over the services:
// who may read them, the order and filters, the figures from the day's
// evaluation, and last year's figure from a previous school's transfer file.
#include "service/early_warning.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error_codes.h"
#include "school_fixture.h"

namespace rollcall::service {
namespace {

using core::AttendanceCode;
using core::ForecastFeature;

class EarlyWarningTest : public SchoolFixture {
 protected:
  EarlyWarningTest() {
    c_ = AddPupil("C909123400003", class_3a_);  // no marks yet
    dsl_ = AddUser("dsl", store::Role::kSafeguardingLead, "Ms DSL", {}, {});
    senco_ = AddUser("senco", store::Role::kSenco, "Mr SENCO", {}, {});
    governor_ = AddUser("governor", store::Role::kGovernor, "Mr Governor", {}, {});
    // From the first day of term to yesterday (60 school days, 120
    // sessions): a_ away without a reason every Monday and Friday (24 days),
    // b_ in every session.
    std::vector<store::MarkWrite> writes;
    for (core::Date d = D("2026-09-02"); d <= D("2026-11-24"); d = d.AddDays(1)) {
      if (d.IsWeekend()) continue;
      const bool away =
          d.weekday() == core::Weekday::kMonday || d.weekday() == core::Weekday::kFriday;
      for (core::Session s : {core::Session::kAm, core::Session::kPm}) {
        const AttendanceCode present =
            s == core::Session::kAm ? AttendanceCode::kPresentAm : AttendanceCode::kPresentPm;
        writes.push_back({a_, {d, s}, away ? AttendanceCode::kOtherUnauthorised : present});
        writes.push_back({b_, {d, s}, present});
      }
    }
    EXPECT_TRUE(
        store_->SaveMarks(writes, {office_.user_id, "Ms Office", store::Role::kOffice}, 0).ok());
    EXPECT_TRUE(services_->Load().ok());
  }

  EarlyWarning& warning() { return services_->early_warning(); }

  int64_t c_ = 0;
  Principal dsl_, senco_, governor_;
};

TEST_F(EarlyWarningTest, TheListRanksByChanceWithReasons) {
  core::StatusOr<EarlyWarningView> v = warning().List(office_, D("2026-11-25"), {});
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->school, "Test Primary");
  EXPECT_EQ(v->as_of, D("2026-11-25"));
  EXPECT_EQ(v->forecast, 2);
  EXPECT_EQ(v->too_early, 1);  // c_ has no possible session yet
  EXPECT_EQ(v->on_list, 1);
  ASSERT_EQ(v->pupils.size(), 1u);
  const PupilForecast& a = v->pupils[0];
  EXPECT_EQ(a.pupil_id, a_);
  EXPECT_EQ(a.class_name, "3A");
  EXPECT_GE(a.chance, core::kForecastListCutOff);
  EXPECT_TRUE(a.on_list);
  EXPECT_TRUE(a.persistent_absence_now);
  ASSERT_TRUE(a.year_absence_pct);
  EXPECT_DOUBLE_EQ(*a.year_absence_pct, 40.0);
  ASSERT_FALSE(a.reasons.empty());
  EXPECT_EQ(a.reasons[0].feature, ForecastFeature::kYearRate);
  EXPECT_EQ(a.reasons[0].words, "Missed 40% of sessions this year (48 of 120)");
  bool unexplained = false;
  for (const core::ForecastReason& r : a.reasons) {
    if (r.feature == ForecastFeature::kUnexplained) {
      unexplained = true;
      EXPECT_EQ(r.words, "48 sessions this year with no reason accepted (N, O, U or G)");
    }
  }
  EXPECT_TRUE(unexplained);

  // Everyone: both pupils with a forecast, the higher chance first.
  v = warning().List(office_, D("2026-11-25"), {.everyone = true});
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->pupils.size(), 2u);
  EXPECT_EQ(v->pupils[0].pupil_id, a_);
  EXPECT_EQ(v->pupils[1].pupil_id, b_);
  EXPECT_LT(v->pupils[1].chance, core::kForecastListCutOff);
  EXPECT_FALSE(v->pupils[1].on_list);
  EXPECT_TRUE(v->pupils[1].reasons.empty());
}

TEST_F(EarlyWarningTest, FiltersByClassAndYear) {
  core::StatusOr<EarlyWarningView> v =
      warning().List(office_, D("2026-11-25"), {.class_id = class_4b_, .everyone = true});
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->pupils.size(), 1u);
  EXPECT_EQ(v->pupils[0].pupil_id, b_);
  EXPECT_EQ(v->forecast, 1);
  EXPECT_EQ(v->on_list, 0);
  ASSERT_EQ(v->classes.size(), 2u);
  EXPECT_EQ(v->classes[0].name, "3A");
  EXPECT_EQ(v->year_groups, std::vector<int>{3});

  v = warning().List(office_, D("2026-11-25"), {.year_group = 4, .everyone = true});
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->forecast, 0);
  EXPECT_TRUE(v->pupils.empty());

  v = warning().List(office_, D("2026-11-25"), {.class_id = 987654});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().kind(), core::ErrorKind::kInvalidArgument);
  EXPECT_EQ(v.status().code(), core::kErrClassUnknown);
}

TEST_F(EarlyWarningTest, WhoMayReadTheList) {
  for (const Principal* who : {&head_, &office_, &dsl_, &senco_}) {
    EXPECT_TRUE(warning().List(*who, D("2026-11-25"), {}).ok()) << who->name;
  }
  for (const Principal* who : {&teacher_, &parent_, &la_, &governor_}) {
    core::StatusOr<EarlyWarningView> v = warning().List(*who, D("2026-11-25"), {});
    ASSERT_FALSE(v.ok()) << who->name;
    EXPECT_EQ(v.status().kind(), core::ErrorKind::kPermissionDenied) << who->name;
  }
}

TEST_F(EarlyWarningTest, ThePupilsForecastIsTheListsForThoseWhoMay) {
  core::StatusOr<EarlyWarningView> list =
      warning().List(office_, D("2026-11-25"), {.everyone = true});
  ASSERT_TRUE(list.ok());
  core::StatusOr<std::optional<PupilForecast>> a = warning().ForPupil(office_, a_, D("2026-11-25"));
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_TRUE(*a);
  EXPECT_DOUBLE_EQ((*a)->chance, list->pupils[0].chance);
  EXPECT_TRUE((*a)->on_list);
  EXPECT_EQ((*a)->reasons.size(), list->pupils[0].reasons.size());

  // The class teacher reads the pupil, not the forecast; a parent neither.
  core::StatusOr<std::optional<PupilForecast>> teacher =
      warning().ForPupil(teacher_, a_, D("2026-11-25"));
  ASSERT_TRUE(teacher.ok());
  EXPECT_FALSE(*teacher);
  core::StatusOr<std::optional<PupilForecast>> parent =
      warning().ForPupil(parent_, a_, D("2026-11-25"));
  ASSERT_TRUE(parent.ok());
  EXPECT_FALSE(*parent);
  EXPECT_EQ(warning().ForPupil(teacher_, b_, D("2026-11-25")).status().kind(),
            core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(warning().ForPupil(office_, 987654, D("2026-11-25")).status().code(),
            core::kErrPupilUnknown);
  // No possible session yet: no forecast.
  core::StatusOr<std::optional<PupilForecast>> c = warning().ForPupil(office_, c_, D("2026-11-25"));
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(*c);
}

TEST_F(EarlyWarningTest, LastYearComesFromThePreviousSchoolsTransferFile) {
  const double before = (*warning().ForPupil(office_, b_, D("2026-11-25")))->chance;
  store::PreviousAttendance last;
  last.pupil_id = b_;
  last.academic_year = 2025;
  last.lea = "855";
  last.estab = "2001";
  last.school_name = "Oakfield Primary School";
  last.possible = 300, last.authorised = 60, last.unauthorised = 30, last.attended = 210;
  store::PreviousAttendance older = last;
  older.academic_year = 2024;
  older.authorised = 150;  // not last year: no part in the forecast
  ASSERT_TRUE(store_
                  ->ImportTransfer({}, {}, {last, older},
                                   {office_.user_id, "Ms Office", store::Role::kOffice}, 0,
                                   "Imported from ctf.xml")
                  .ok());
  ASSERT_TRUE(services_->Load().ok());
  core::StatusOr<std::optional<PupilForecast>> b = warning().ForPupil(office_, b_, D("2026-11-25"));
  ASSERT_TRUE(b.ok());
  ASSERT_TRUE(*b);
  EXPECT_GT((*b)->chance, before);
  ASSERT_FALSE((*b)->reasons.empty());
  EXPECT_EQ((*b)->reasons[0].feature, ForecastFeature::kLastYear);
  EXPECT_EQ((*b)->reasons[0].words,
            "Missed 30% of sessions last year (as recorded by the school then)");
  // The list reads the same figure for the whole school at once.
  core::StatusOr<EarlyWarningView> list =
      warning().List(office_, D("2026-11-25"), {.class_id = class_4b_, .everyone = true});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->pupils.size(), 1u);
  EXPECT_DOUBLE_EQ(list->pupils[0].chance, (*b)->chance);
}

}  // namespace
}  // namespace rollcall::service
