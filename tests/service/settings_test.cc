// The school's settings through the service: the view the API and the
// settings page both render (the settings, the terms and closures, whether
// the reader may change them), and that only the head changes them.
#include "service/settings.h"

#include <gtest/gtest.h>

#include "core/error_codes.h"
#include "service/school_fixture.h"
#include "store/store.h"

namespace rollcall::service {
namespace {

using rollcall::testing::D;

class SettingsTest : public SchoolFixture {
 protected:
  SchoolSettings& settings() { return services_->settings(); }
};

TEST_F(SettingsTest, TheViewHoldsTheCalendarAndWhetherTheReaderMayChangeIt) {
  ASSERT_TRUE(
      settings()
          .AddClosure(head_, {D("2026-12-01"), core::ClosureSessions::kAm, "Staff training"})
          .ok());
  core::StatusOr<SettingsView> v = settings().Get(office_);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->school, "Test Primary");
  EXPECT_EQ(v->settings.pm_start_minute, 13 * 60 + 15);
  ASSERT_EQ(v->terms.size(), 1u);
  EXPECT_EQ(v->terms[0].start, D("2026-09-02"));
  EXPECT_EQ(v->terms[0].end, D("2026-12-18"));
  ASSERT_EQ(v->closures.size(), 1u);
  EXPECT_EQ(v->closures[0].date, D("2026-12-01"));
  EXPECT_EQ(v->closures[0].sessions, core::ClosureSessions::kAm);
  EXPECT_EQ(v->closures[0].reason, "Staff training");
  EXPECT_FALSE(v->may_change);
  EXPECT_TRUE(settings().Get(head_)->may_change);
  EXPECT_EQ(settings().Get(parent_).status().code(), core::kErrForbidden);
}

TEST_F(SettingsTest, OnlyTheHeadChangesThemAndAChangeReturnsTheWholeView) {
  EXPECT_TRUE(settings().MayChange(head_).ok());
  for (const Principal* who : {&office_, &teacher_, &parent_, &la_}) {
    EXPECT_EQ(settings().MayChange(*who).code(), core::kErrForbidden);
  }
  EXPECT_EQ(
      settings().AddClosure(office_, {D("2026-12-01"), core::ClosureSessions::kBoth, "x"}).code(),
      core::kErrForbidden);

  SettingsChange change;
  change.pm_start = "13:00";
  EXPECT_EQ(settings().Change(office_, change).status().code(), core::kErrForbidden);
  core::StatusOr<SettingsView> v = settings().Change(head_, change);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->settings.pm_start_minute, 13 * 60);
  EXPECT_EQ(v->settings.set_by, "Mrs Head");
  EXPECT_EQ(v->school, "Test Primary");
  EXPECT_EQ(v->terms.size(), 1u);
  EXPECT_TRUE(v->may_change);
  EXPECT_EQ(settings().Get(office_)->settings.pm_start_minute, 13 * 60);
}

}  // namespace
}  // namespace rollcall::service
