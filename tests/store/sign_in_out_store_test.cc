// The one store suite, continued (instantiated for every backend in
// store_test.cc): the reception desk's routes, riders, delays and
// signings in and out.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error_codes.h"
#include "store/store.h"
#include "store_test_util.h"

namespace rollcall::store {
namespace {

using testing::Am;
using testing::D;
using testing::kAt;
using testing::Pm;
using testing::StoreTest;

TransportRoute Route(const std::string& name) {
  return {.name = name, .created_at = kAt, .created_by = "Ms Office"};
}

RouteDelay Delay(int64_t route_id, core::SessionKey slot) {
  return {.route_id = route_id,
          .slot = slot,
          .note = "broke down",
          .recorded_at = kAt,
          .recorded_by_id = 7,
          .recorded_by = "Ms Office"};
}

TEST_P(StoreTest, RoutesHaveOneNameWhateverItsCase) {
  ASSERT_OK_AND_ASSIGN(int64_t north, store().AddTransportRoute(Route("  North bus ")));
  ASSERT_OK_AND_ASSIGN(int64_t east, store().AddTransportRoute(Route("East taxi")));
  EXPECT_ERROR(store().AddTransportRoute(Route("NORTH BUS")), core::ErrorKind::kConflict,
               core::kErrRouteNameTaken);
  EXPECT_ERROR(store().AddTransportRoute(Route("   ")), core::ErrorKind::kInvalidArgument,
               core::kErrValueInvalid);
  EXPECT_ERROR(store().AddTransportRoute(Route(std::string(81, 'x'))),
               core::ErrorKind::kInvalidArgument, core::kErrValueInvalid);
  ASSERT_OK_AND_ASSIGN(std::vector<TransportRoute> routes, store().TransportRoutes());
  ASSERT_EQ(routes.size(), 2u);  // by name
  EXPECT_EQ(routes[0].id, east);
  EXPECT_EQ(routes[1].id, north);
  EXPECT_EQ(routes[1].name, "North bus");  // trimmed
  EXPECT_EQ(routes[1].created_by, "Ms Office");
  EXPECT_EQ(routes[1].created_at, kAt);
}

TEST_P(StoreTest, ARiderIsOnOneRouteAndABadListWritesNothing) {
  const int64_t ann = AddTestPupil("A12345678901A");
  const int64_t ben = AddTestPupil("B12345678901B");
  ASSERT_OK_AND_ASSIGN(int64_t north, store().AddTransportRoute(Route("North")));
  ASSERT_OK_AND_ASSIGN(int64_t east, store().AddTransportRoute(Route("East")));
  ASSERT_OK(
      store().SetRouteRiders({{ann, north, kAt, "Ms Office"}, {ben, north, kAt, "Ms Office"}}));
  // Moved to another route: still one row.
  ASSERT_OK(store().SetRouteRiders({{ann, east, kAt + 5, "Mr Head"}}));
  ASSERT_OK_AND_ASSIGN(std::vector<RouteRider> riders, store().RouteRiders());
  ASSERT_EQ(riders.size(), 2u);
  EXPECT_EQ(riders[0].pupil_id, ben);
  EXPECT_EQ(riders[0].route_id, north);
  EXPECT_EQ(riders[1].pupil_id, ann);
  EXPECT_EQ(riders[1].route_id, east);
  EXPECT_EQ(riders[1].set_by, "Mr Head");
  EXPECT_EQ(riders[1].set_at, kAt + 5);

  // An unknown route or pupil anywhere in the list: nothing changes.
  EXPECT_ERROR(store().SetRouteRiders({{ben, 0, kAt, "x"}, {ann, east + north + 9, kAt, "x"}}),
               core::ErrorKind::kNotFound, core::kErrRouteUnknown);
  EXPECT_ERROR(store().SetRouteRiders({{ben, 0, kAt, "x"}, {ann + ben + 9, east, kAt, "x"}}),
               core::ErrorKind::kNotFound, core::kErrPupilUnknown);
  EXPECT_EQ(store().RouteRiders()->size(), 2u);
  // Route 0 takes a pupil off.
  ASSERT_OK(store().SetRouteRiders({{ben, 0, kAt, "x"}}));
  ASSERT_OK_AND_ASSIGN(riders, store().RouteRiders());
  ASSERT_EQ(riders.size(), 1u);
  EXPECT_EQ(riders[0].pupil_id, ann);
}

TEST_P(StoreTest, ARouteHasOneDelayASessionAndItsRidersFindIt) {
  const int64_t ann = AddTestPupil("A12345678901A");
  const int64_t ben = AddTestPupil("B12345678901B");
  ASSERT_OK_AND_ASSIGN(int64_t north, store().AddTransportRoute(Route("North")));
  ASSERT_OK(store().SetRouteRiders({{ann, north, kAt, "Ms Office"}}));
  ASSERT_OK_AND_ASSIGN(int64_t id, store().AddRouteDelay(Delay(north, Am("2025-09-08"))));
  EXPECT_ERROR(store().AddRouteDelay(Delay(north, Am("2025-09-08"))), core::ErrorKind::kConflict,
               core::kErrRouteDelayExists);
  EXPECT_ERROR(store().AddRouteDelay(Delay(north + 9, Am("2025-09-08"))),
               core::ErrorKind::kNotFound, core::kErrRouteUnknown);
  ASSERT_OK(store().AddRouteDelay(Delay(north, Pm("2025-09-08"))).status());

  ASSERT_OK_AND_ASSIGN(std::optional<RouteDelay> found,
                       store().RouteDelayFor(ann, Am("2025-09-08")));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, id);
  EXPECT_EQ(found->route_name, "North");
  EXPECT_EQ(found->note, "broke down");
  EXPECT_EQ(found->recorded_by, "Ms Office");
  EXPECT_EQ(found->recorded_by_id, 7);
  EXPECT_EQ(found->slot, Am("2025-09-08"));
  // Not on the route, or another day: none.
  EXPECT_FALSE(store().RouteDelayFor(ben, Am("2025-09-08"))->has_value());
  EXPECT_FALSE(store().RouteDelayFor(ann, Am("2025-09-09"))->has_value());

  ASSERT_OK_AND_ASSIGN(std::vector<RouteDelay> on, store().RouteDelaysOn(D("2025-09-08")));
  ASSERT_EQ(on.size(), 2u);
  EXPECT_EQ(on[0].slot.session, core::Session::kAm);
  EXPECT_EQ(on[1].slot.session, core::Session::kPm);
  EXPECT_TRUE(store().RouteDelaysOn(D("2025-09-09"))->empty());
}

TEST_P(StoreTest, SignEventsReadBackByDay) {
  const int64_t ann = AddTestPupil("A12345678901A");
  const SignEvent in{.pupil_id = ann,
                     .kind = SignKind::kIn,
                     .slot = Am("2025-09-08"),
                     .minute = 9 * 60 + 40,
                     .reason = "Bus late",
                     .code = core::AttendanceCode::kLateAfterClose,
                     .recorded_at = kAt,
                     .recorded_by_id = 7,
                     .recorded_by = "Ms Office"};
  SignEvent out = in;
  out.kind = SignKind::kOut;
  out.slot = Pm("2025-09-08");
  out.minute = 14 * 60;
  out.reason = "Dentist";
  out.counts = false;
  out.code = core::AttendanceCode::kMedical;
  SignEvent kept = out;
  kept.counts = true;
  kept.code.reset();
  ASSERT_OK_AND_ASSIGN(int64_t first, store().AddSignEvent(in));
  ASSERT_OK(store().AddSignEvent(out).status());
  ASSERT_OK(store().AddSignEvent(kept).status());
  EXPECT_ERROR(store().AddSignEvent(SignEvent{.pupil_id = ann + 9, .slot = Am("2025-09-08")}),
               core::ErrorKind::kNotFound, core::kErrPupilUnknown);
  SignEvent bad = in;
  bad.minute = 1440;
  EXPECT_ERROR(store().AddSignEvent(bad), core::ErrorKind::kInvalidArgument,
               core::kErrValueInvalid);

  ASSERT_OK_AND_ASSIGN(std::vector<SignEvent> events, store().SignEventsOn(D("2025-09-08")));
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].id, first);
  EXPECT_EQ(events[0].kind, SignKind::kIn);
  EXPECT_EQ(events[0].minute, 9 * 60 + 40);
  EXPECT_EQ(events[0].code, core::AttendanceCode::kLateAfterClose);
  EXPECT_TRUE(events[0].counts);
  EXPECT_EQ(events[0].recorded_by, "Ms Office");
  EXPECT_EQ(events[1].kind, SignKind::kOut);
  EXPECT_EQ(events[1].slot, Pm("2025-09-08"));
  EXPECT_FALSE(events[1].counts);
  EXPECT_EQ(events[1].code, core::AttendanceCode::kMedical);
  EXPECT_EQ(events[1].reason, "Dentist");
  EXPECT_TRUE(events[2].counts);
  EXPECT_FALSE(events[2].code.has_value());
  EXPECT_TRUE(store().SignEventsOn(D("2025-09-09"))->empty());
}

}  // namespace
}  // namespace rollcall::store
