// The dashboard, the governors' report and the school summary as
// service::Dashboards builds them, and the school's records as
// service::SchoolViews gives them, with no web in between: the figures,
// who sees names, the small groups withheld from governors, and the
// refusals.
#include "service/dashboards.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "core/error_codes.h"
#include "service/school_fixture.h"
#include "service/school_views.h"

namespace rollcall::service {
namespace {

using rollcall::testing::D;

// The fixture's school on Wednesday 25 November: a_ (3A) was ill on Monday
// morning and in school since, so persistently absent (1 of 4 sessions
// missed); b_ (4B) in school throughout. A governor.
class DashboardsTest : public SchoolFixture {
 protected:
  DashboardsTest() {
    governor_ = AddUser("governor", store::Role::kGovernor, "Mr Governor", {}, {});
    EXPECT_TRUE(services_->Load().ok());
    EXPECT_TRUE(Mark(office_, a_, "2026-11-23", "AM", "I").ok());
    MarkPresent(a_, "2026-11-23", {"PM"});
    MarkPresent(a_, "2026-11-24", {"AM", "PM"});
    MarkPresent(b_, "2026-11-23", {"AM", "PM"});
    MarkPresent(b_, "2026-11-24", {"AM", "PM"});
  }

  void MarkPresent(int64_t pupil, const char* day, std::vector<const char*> sessions) {
    for (const char* s : sessions) {
      EXPECT_TRUE(Mark(office_, pupil, day, s, s[0] == 'A' ? "/" : "\\").ok()) << day << " " << s;
    }
  }

  // Three more pupils in 3A, in school on Monday and Tuesday: five with
  // figures, enough for a governor to see the school's.
  void AddThreePupils() {
    std::vector<int64_t> added;
    for (const char* upn : {"C909123400003", "D909123400004", "E909123400005"}) {
      added.push_back(AddPupil(upn, class_3a_));
    }
    ASSERT_TRUE(services_->Load().ok());
    for (int64_t p : added) {
      MarkPresent(p, "2026-11-23", {"AM", "PM"});
      MarkPresent(p, "2026-11-24", {"AM", "PM"});
    }
  }

  Dashboards& dashboards() { return services_->dashboards(); }
  SchoolViews& views() { return services_->school_views(); }

  const core::Date today_ = D("2026-11-25");
  Principal governor_;
};

TEST_F(DashboardsTest, StaffSeeTheGroupsFiguresAndThePupilsTheyMayRead) {
  core::StatusOr<DashboardView> v = dashboards().For(head_, "", today_);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->school.name, "Test Primary");
  EXPECT_EQ(v->group.id, "school");
  EXPECT_EQ(v->group.label, "Whole school");
  std::vector<std::string> groups;
  for (const DashboardGroup& g : v->groups) groups.push_back(g.id);
  EXPECT_EQ(groups,
            (std::vector<std::string>{"school", "year-3", "class-" + std::to_string(class_3a_),
                                      "class-" + std::to_string(class_4b_)}));
  EXPECT_TRUE(v->names_allowed);
  ASSERT_TRUE(v->summary);
  EXPECT_EQ(v->summary->pupils, 2);
  EXPECT_EQ(v->summary->counts.possible, 8);
  EXPECT_EQ(v->summary->persistent_absence, 1);
  ASSERT_FALSE(v->weeks.empty());  // every school week of the year so far
  EXPECT_EQ(v->weeks.back().week_start, D("2026-11-23"));
  ASSERT_TRUE(v->weeks.back().counts);
  EXPECT_EQ(v->weeks.back().counts->possible, 8);
  ASSERT_TRUE(v->weekdays[0]);
  EXPECT_EQ(v->weekdays[0]->absence, 1);
  ASSERT_EQ(v->reasons.size(), 1u);
  EXPECT_EQ(v->reasons[0].info->symbol, "I");
  EXPECT_EQ(v->reasons[0].sessions, 1);
  EXPECT_EQ(v->illness, 1);
  EXPECT_TRUE(v->impact.empty());  // no intervention yet
  ASSERT_EQ(v->persistent_absence.size(), 1u);
  EXPECT_EQ(v->persistent_absence[0].pupil_id, a_);
  EXPECT_EQ(v->persistent_absence[0].name, "Pupil A");
  EXPECT_EQ(v->persistent_absence[0].class_label, "3A");
  EXPECT_FALSE(v->persistent_absence[0].severe);

  // One class: its own pupils' figures.
  v = dashboards().For(office_, "class-" + std::to_string(class_4b_), today_);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->group.label, "Class 4B");
  EXPECT_EQ(v->summary->pupils, 1);
  EXPECT_TRUE(v->persistent_absence.empty());
  EXPECT_TRUE(v->cohorts.empty());  // cohorts are the whole school's view

  // 4B's teacher sees the school's figures, but not 3A's pupil by name.
  const Principal teacher_4b =
      AddUser("teacher4b", store::Role::kTeacher, "Ms Four", {class_4b_}, {});
  v = dashboards().For(teacher_4b, "", today_);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->summary->pupils, 2);
  EXPECT_TRUE(v->persistent_absence.empty());
}

TEST_F(DashboardsTest, GovernorsSeeAggregatesOnlyAndNoSmallGroup) {
  // Two pupils: too few for anyone who may not see names.
  core::StatusOr<DashboardView> v = dashboards().For(governor_, "", today_);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_FALSE(v->names_allowed);
  EXPECT_FALSE(v->summary);
  EXPECT_TRUE(v->weeks.empty());
  EXPECT_TRUE(v->reasons.empty());
  EXPECT_FALSE(v->illness);
  EXPECT_TRUE(v->persistent_absence.empty());
  core::StatusOr<SchoolSummaryView> summary = dashboards().Summary(governor_, today_);
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  EXPECT_FALSE(summary->school);
  EXPECT_TRUE(dashboards().Summary(head_, today_)->school);

  // Five pupils: the school's figures, but no reason only one pupil had,
  // and still no name.
  AddThreePupils();
  v = dashboards().For(governor_, "", today_);
  ASSERT_TRUE(v.ok()) << v.status().message();
  ASSERT_TRUE(v->summary);
  EXPECT_EQ(v->summary->pupils, 5);
  EXPECT_EQ(v->summary->persistent_absence, 1);
  ASSERT_FALSE(v->weeks.empty());
  EXPECT_TRUE(v->weeks.back().counts);  // five pupils that week
  ASSERT_EQ(v->reasons.size(), 1u);
  EXPECT_EQ(v->reasons[0].info->symbol, "I");
  EXPECT_FALSE(v->reasons[0].sessions);
  EXPECT_FALSE(v->illness);
  EXPECT_TRUE(v->persistent_absence.empty());
  // The head sees the same reason, counted.
  EXPECT_EQ(dashboards().For(head_, "", today_)->reasons[0].sessions, 1);
  // A class of four is too small for a governor again.
  EXPECT_FALSE(dashboards().For(governor_, "class-" + std::to_string(class_3a_), today_)->summary);
}

TEST_F(DashboardsTest, TheGovernorsReportHoldsBackSmallGroupsFromEveryone) {
  for (const Principal& who : {governor_, head_}) {
    core::StatusOr<GovernorsReport> r = dashboards().Governors(who, today_);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->year.from, D("2026-08-01"));
    ASSERT_EQ(r->half_terms.size(), 1u);  // one term in the calendar
    EXPECT_EQ(r->half_terms[0].row.label, "Half-term 1");
    EXPECT_EQ(r->half_terms[0].period.from, D("2026-09-02"));
    EXPECT_EQ(r->half_terms[0].period.to, today_);
    EXPECT_FALSE(r->half_terms[0].row.figures);
    EXPECT_FALSE(r->year_to_date);
  }
  AddThreePupils();
  core::StatusOr<GovernorsReport> r = dashboards().Governors(governor_, today_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_TRUE(r->year_to_date);
  EXPECT_EQ(r->year_to_date->pupils, 5);
  ASSERT_TRUE(r->half_terms[0].row.figures);
  EXPECT_EQ(r->half_terms[0].row.figures->counts.possible, 20);
}

TEST_F(DashboardsTest, AnUnknownGroupIsNotFoundForEveryReader) {
  for (const Principal& who : {head_, governor_, teacher_}) {
    core::StatusOr<DashboardView> v = dashboards().For(who, "class-999", today_);
    EXPECT_EQ(v.status().kind(), core::ErrorKind::kNotFound);
    EXPECT_EQ(v.status().code(), core::kErrNotFound);
    EXPECT_EQ(v.status().message(),
              "no group 'class-999': use school, year-N, class-ID or cohort-TAG as listed");
  }
  EXPECT_EQ(dashboards().For(head_, "cohort-FSM", today_).status().code(), core::kErrNotFound);
  EXPECT_TRUE(dashboards().For(head_, "year-3", today_).ok());
}

TEST_F(DashboardsTest, ParentsSeeNoSchoolFigures) {
  EXPECT_EQ(dashboards().For(parent_, "", today_).status().code(), core::kErrForbidden);
  // Refused before the group is looked at.
  EXPECT_EQ(dashboards().For(parent_, "class-999", today_).status().code(), core::kErrForbidden);
  EXPECT_EQ(dashboards().Governors(parent_, today_).status().code(), core::kErrForbidden);
  EXPECT_EQ(dashboards().Summary(parent_, today_).status().code(), core::kErrForbidden);
}

TEST_F(DashboardsTest, TheSchoolsRecordsAsEachReaderMaySeeThem) {
  EXPECT_EQ(views().Facts().name, "Test Primary");
  EXPECT_EQ(views().Facts().phase, "primary");
  EXPECT_EQ(views().Facts().urn, "123456");
  EXPECT_EQ(views().Facts().la_code, "909");

  core::StatusOr<std::vector<ClassView>> classes = views().Classes(office_);
  ASSERT_TRUE(classes.ok()) << classes.status().message();
  ASSERT_EQ(classes->size(), 2u);
  EXPECT_EQ((*classes)[0].name, "3A");
  EXPECT_EQ((*classes)[0].teachers, std::vector<std::string>{"Mr Teacher"});
  EXPECT_EQ(views().Classes(parent_).status().code(), core::kErrForbidden);

  // A teacher lists their own class's pupils only.
  core::StatusOr<std::vector<PupilListItem>> pupils = views().Pupils(teacher_, std::nullopt);
  ASSERT_TRUE(pupils.ok()) << pupils.status().message();
  ASSERT_EQ(pupils->size(), 1u);
  EXPECT_EQ((*pupils)[0].id, a_);
  ASSERT_TRUE((*pupils)[0].class_ref);
  EXPECT_EQ((*pupils)[0].class_ref->name, "3A");
  EXPECT_TRUE((*pupils)[0].on_roll);
  EXPECT_EQ(views().Pupils(office_, std::nullopt)->size(), 2u);
  EXPECT_EQ(views().Pupils(office_, std::to_string(class_4b_))->size(), 1u);
  EXPECT_EQ(views().Pupils(office_, "4B").status().code(), core::kErrValueInvalid);
  EXPECT_EQ(views().Pupils(governor_, std::nullopt).status().code(), core::kErrForbidden);

  core::StatusOr<ScenarioExport> e = views().Export(office_, today_);
  ASSERT_TRUE(e.ok()) << e.status().message();
  EXPECT_EQ(e->school_name, "Test Primary");
  EXPECT_EQ(e->scenario.pupils.size(), 2u);
  EXPECT_EQ(views().Export(teacher_, today_).status().code(), core::kErrForbidden);
}

}  // namespace
}  // namespace rollcall::service
