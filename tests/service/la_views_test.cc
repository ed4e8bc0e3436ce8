// The LA officer's cross-school views as service::LaViews builds them, over
// the fixture's school (LA 909) and a school of LA 111: each officer sees
// only their LA's schools, in the comparison, the UPN search and the packs;
// no one else sees them at all.
#include "service/la_views.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/error_codes.h"
#include "service/la_directory.h"
#include "service/school_fixture.h"
#include "store/store.h"

namespace rollcall::service {
namespace {

using rollcall::testing::D;

class LaViewsServiceTest : public SchoolFixture {
 protected:
  LaViewsServiceTest() {
    EXPECT_TRUE(elsewhere_->SetSchool({"Elsewhere Academy", "300001", "111", "secondary"}).ok());
    store::Settings settings;
    settings.set_by = "test";
    EXPECT_TRUE(elsewhere_->SaveSettings(settings).ok());
    EXPECT_TRUE(elsewhere_->AddTerm({0, "Autumn 2026", D("2026-09-02"), D("2026-12-18")}).ok());
    store::Pupil far = NewPupil("P909555500001", 0);
    far.class_id.reset();
    EXPECT_TRUE(elsewhere_->AddPupil(far).ok());
    la_other_ = AddUser("la_other", store::Role::kLaOfficer, "Mr LA", {}, {}, "111");
    // a_ missed Monday morning: persistently absent.
    EXPECT_TRUE(Mark(office_, a_, "2026-11-23", "AM", "O").ok());
    EXPECT_TRUE(Mark(office_, a_, "2026-11-23", "PM", "\\").ok());
  }

  LaViews views() { return LaViews(directory_, clock_); }

  std::unique_ptr<store::Store> elsewhere_ = store::NewMemoryStore();
  LaDirectory directory_{{store_.get(), elsewhere_.get()}};
  Principal la_other_;
};

TEST_F(LaViewsServiceTest, EachOfficerComparesOnlyTheirLasSchools) {
  core::StatusOr<LaSchoolsView> v = views().Schools(la_, "");
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->la_code, "909");
  ASSERT_EQ(v->schools.size(), 1u);
  EXPECT_EQ(v->schools[0].school.name, "Test Primary");
  EXPECT_EQ(v->schools[0].figures.pupils, 1);  // b_ has no mark yet
  EXPECT_EQ(v->schools[0].figures.counts.possible, 2);
  EXPECT_EQ(v->all_schools.counts.possible, 2);
  v = views().Schools(la_other_, "");
  ASSERT_TRUE(v.ok()) << v.status().message();
  ASSERT_EQ(v->schools.size(), 1u);
  EXPECT_EQ(v->schools[0].school.name, "Elsewhere Academy");
  // No one but an LA officer sees the comparison.
  for (const Principal& who : {head_, office_, teacher_, parent_}) {
    EXPECT_EQ(views().Schools(who, "").status().code(), core::kErrForbidden) << who.name;
    EXPECT_EQ(views().Pupils(who, "").status().code(), core::kErrForbidden) << who.name;
    EXPECT_EQ(views().Pack(who, "123456").status().code(), core::kErrForbidden) << who.name;
  }
}

TEST_F(LaViewsServiceTest, AUpnIsFoundOnlyAtTheOfficersSchools) {
  core::StatusOr<LaPupilsView> v = views().Pupils(la_, "p909 5555 00001");
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->upn, "P909555500001");
  EXPECT_TRUE(v->upn_problem.empty());
  EXPECT_TRUE(v->found.empty());  // that pupil is at a school of LA 111
  v = views().Pupils(la_other_, "P909555500001");
  ASSERT_TRUE(v.ok()) << v.status().message();
  ASSERT_EQ(v->found.size(), 1u);
  EXPECT_EQ(v->found[0].school_name, "Elsewhere Academy");
  EXPECT_FALSE(v->found[0].attendance.pct);  // no sessions yet
  v = views().Pupils(la_, "P909555500009");
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_NE(v->upn_problem.find("check letter"), std::string::npos) << v->upn_problem;
}

TEST_F(LaViewsServiceTest, APackIsOnlyOfTheOfficersSchools) {
  core::StatusOr<LaPackView> v = views().Pack(la_, "123456");
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->school.name, "Test Primary");
  EXPECT_EQ(v->figures.persistent_absence, 1);
  ASSERT_EQ(v->persistent_absence.size(), 1u);
  EXPECT_EQ(v->persistent_absence[0].cohort, "");  // a_ holds no cohort flag
  ASSERT_EQ(v->persistent_absence[0].pupils.size(), 1u);
  EXPECT_EQ(v->persistent_absence[0].pupils[0].name, "Pupil A");
  EXPECT_FALSE(v->persistent_absence[0].pupils[0].stage);
  const core::StatusOr<LaPackView> other = views().Pack(la_, "300001");
  EXPECT_EQ(other.status().code(), core::kErrNotFound);
  EXPECT_EQ(other.status().message(), "No school with URN 300001 among your schools.");
  EXPECT_EQ(views().Pack(la_other_, "123456").status().code(), core::kErrNotFound);
}

// The dashboard an officer opens from the comparison holds what the LA's
// snapshot holds of that school, and only of the officer's own schools.
TEST_F(LaViewsServiceTest, ASchoolsFiguresAreOnlyOfTheOfficersSchools) {
  core::StatusOr<LaSchoolView> v = views().SchoolFigures(la_other_, "300001");
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->school.name, "Elsewhere Academy");
  EXPECT_EQ(v->as_of, D("2026-11-25"));
  v = views().SchoolFigures(la_, "123456");
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->figures.counts.possible, 2);
  EXPECT_EQ(v->figures.persistent_absence, 1);
  ASSERT_FALSE(v->trend.empty());
  EXPECT_EQ(v->trend.back().figures.counts.possible, 2);
  // The pack opens with the same figures.
  const core::StatusOr<LaPackView> pack = views().Pack(la_, "123456");
  ASSERT_TRUE(pack.ok());
  EXPECT_EQ(pack->figures.counts.attended, v->figures.counts.attended);
  EXPECT_EQ(pack->trend.size(), v->trend.size());
  EXPECT_EQ(views().SchoolFigures(la_, "300001").status().code(), core::kErrNotFound);
  EXPECT_EQ(views().SchoolFigures(la_other_, "123456").status().code(), core::kErrNotFound);
  for (const Principal& who : {head_, office_, teacher_, parent_}) {
    EXPECT_EQ(views().SchoolFigures(who, "123456").status().code(), core::kErrForbidden)
        << who.name;
  }
}

}  // namespace
}  // namespace rollcall::service
