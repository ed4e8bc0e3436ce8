// Finding a pupil (SchoolViews::FindPupils): the search by name or UPN in
// every staff page's header and the pupil list's filters by class, year
// group, band and cohort. Each reader finds only the pupils they may see, and
// is offered only the classes, years and cohorts of those pupils.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/error_codes.h"
#include "service/school_fixture.h"
#include "service/school_views.h"

namespace rollcall::service {
namespace {

class FindPupilsTest : public SchoolFixture {
 protected:
  FindPupilsTest() {
    // c_: Year 4, in 4B, eligible for free school meals.
    store::Pupil c = NewPupil("C909123400003", class_4b_);
    c.legal_given_name = "Reuben";
    c.legal_family_name = "Hill";
    c.year_group = 4;
    c.flags = {{"FSM", D("2026-09-01"), std::nullopt}};
    c_ = *store_->AddPupil(c);
    governor_ = AddUser("governor", store::Role::kGovernor, "Dr Governor", {}, {});
    EXPECT_TRUE(services_->Load().ok());
    // Monday: a_ away in the morning (50%, red), b_ in all day (100%, green).
    EXPECT_TRUE(Mark(office_, a_, "2026-11-23", "AM", "O").ok());
    EXPECT_TRUE(Mark(office_, a_, "2026-11-23", "PM", "\\").ok());
    EXPECT_TRUE(Mark(office_, b_, "2026-11-23", "AM", "/").ok());
    EXPECT_TRUE(Mark(office_, b_, "2026-11-23", "PM", "\\").ok());
  }

  // The ids found for `who` with `filter`, in the school's order.
  std::vector<int64_t> Found(const Principal& who, const PupilFilter& filter) {
    core::StatusOr<PupilSearchView> v = services_->school_views().FindPupils(who, filter);
    EXPECT_TRUE(v.ok()) << v.status().message();
    std::vector<int64_t> ids;
    if (v.ok()) {
      for (const FoundPupil& p : v->pupils) ids.push_back(p.pupil.id);
    }
    return ids;
  }

  int64_t c_ = 0;
  Principal governor_;
};

TEST_F(FindPupilsTest, ANameFindsOnlyThePupilsTheReaderMaySee) {
  EXPECT_EQ(Found(office_, {.text = "pupil"}), (std::vector<int64_t>{a_, b_}));
  EXPECT_EQ(Found(office_, {.text = " HILL "}), std::vector<int64_t>{c_});
  // Every word in one of the names, in any order.
  EXPECT_EQ(Found(office_, {.text = "hill reu"}), std::vector<int64_t>{c_});
  EXPECT_TRUE(Found(office_, {.text = "hill pupil"}).empty());
  // A teacher finds their own class's pupils only.
  EXPECT_EQ(Found(teacher_, {.text = "pupil"}), std::vector<int64_t>{a_});
  EXPECT_TRUE(Found(teacher_, {.text = "hill"}).empty());
  EXPECT_EQ(Found(la_, {.text = "pupil"}), (std::vector<int64_t>{a_, b_}));
  core::StatusOr<PupilSearchView> governor =
      services_->school_views().FindPupils(governor_, {.text = "pupil"});
  EXPECT_EQ(governor.status().code(), core::kErrForbidden);
  // Each found pupil carries their class and year for the results.
  core::StatusOr<PupilSearchView> v =
      services_->school_views().FindPupils(office_, {.text = "hill"});
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->pupils.size(), 1u);
  ASSERT_TRUE(v->pupils[0].pupil.class_ref);
  EXPECT_EQ(v->pupils[0].pupil.class_ref->name, "4B");
  EXPECT_EQ(v->pupils[0].pupil.year_group, 4);
  EXPECT_EQ(v->pupils[0].cohorts, std::vector<std::string>{"FSM"});
  EXPECT_FALSE(v->upn_match);
}

TEST_F(FindPupilsTest, AUpnGoesStraightToThePupilTheReaderMaySee) {
  core::StatusOr<PupilSearchView> v =
      services_->school_views().FindPupils(office_, {.text = "c909 1234 00003"});
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->upn_match, c_);
  ASSERT_EQ(v->pupils.size(), 1u);
  // Part of a UPN lists the pupils whose UPN holds it.
  EXPECT_EQ(Found(office_, {.text = "1234000"}), (std::vector<int64_t>{a_, b_, c_}));
  // Not for a teacher of another class.
  v = services_->school_views().FindPupils(teacher_, {.text = "C909123400003"});
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->upn_match);
  EXPECT_TRUE(v->pupils.empty());
}

TEST_F(FindPupilsTest, TheListFiltersByClassYearBandAndCohort) {
  EXPECT_EQ(Found(office_, {}), (std::vector<int64_t>{a_, b_, c_}));
  EXPECT_EQ(Found(office_, {.class_id = std::to_string(class_4b_)}),
            (std::vector<int64_t>{b_, c_}));
  EXPECT_EQ(Found(office_, {.year = "4"}), std::vector<int64_t>{c_});
  EXPECT_EQ(Found(office_, {.band = "red"}), std::vector<int64_t>{a_});
  EXPECT_EQ(Found(office_, {.band = "green"}), std::vector<int64_t>{b_});
  EXPECT_EQ(Found(office_, {.cohort = "FSM"}), std::vector<int64_t>{c_});
  EXPECT_EQ(Found(office_, {.class_id = std::to_string(class_4b_), .year = "3"}),
            std::vector<int64_t>{b_});
  // What the filters offer.
  core::StatusOr<PupilSearchView> v = services_->school_views().FindPupils(office_, {});
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->classes.size(), 2u);
  EXPECT_EQ(v->classes[0].name, "3A");
  EXPECT_EQ(v->years, (std::vector<int>{3, 4}));
  EXPECT_EQ(v->bands, (std::vector<std::string>{"green", "amber_upper", "amber_lower", "red"}));
  EXPECT_EQ(v->cohorts, std::vector<std::string>{"FSM"});
  // A teacher is offered their own class only, and no other's cohorts.
  v = services_->school_views().FindPupils(teacher_, {});
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->classes.size(), 1u);
  EXPECT_EQ(v->classes[0].id, class_3a_);
  EXPECT_TRUE(v->cohorts.empty());
  // Filters that can match nothing are refused, naming the field.
  for (const PupilFilter& bad : {PupilFilter{.class_id = "3A"}, PupilFilter{.year = "three"},
                                 PupilFilter{.year = "-1"}, PupilFilter{.band = "purple"}}) {
    core::StatusOr<PupilSearchView> refused = services_->school_views().FindPupils(office_, bad);
    EXPECT_EQ(refused.status().code(), core::kErrValueInvalid);
  }
  EXPECT_NE(services_->school_views()
                .FindPupils(office_, {.band = "purple"})
                .status()
                .message()
                .find("band must be one of"),
            std::string::npos);
}

}  // namespace
}  // namespace rollcall::service
