// transport.cc: the demo school's bus routes and this morning at reception
// (SeedDemoTransport, demo_school.h). Two routes with some pupils on each;
// on a school day once the morning register has closed, a pupil off the
// Northfield bus signed in late (U), the bus's delay recorded a few minutes
// later (the U becomes L, as the school's policy says), and another pupil
// signed in late with no transport to blame (U). All through the services,
// as the office did it, at the time it was done.
#include <fmt/format.h>

#include <set>
#include <string>
#include <vector>

#include "demo/internal.h"
#include "service/fields.h"
#include "service/records.h"

namespace rollcall::cli {

namespace {

using internal::DemoClock;
using internal::LocalTime;

constexpr char kNorthfield[] = "Northfield bus";
constexpr char kCanalRoad[] = "Canal Road minibus";

// The office's account, else the head's: who works the reception desk.
core::StatusOr<service::Principal> DeskPrincipal(store::Store& store) {
  ASSIGN_OR_RETURN(std::vector<store::User> users, store.ListUsers());
  for (store::Role role : {store::Role::kOffice, store::Role::kHead}) {
    for (const store::User& u : users) {
      if (u.role == role) return service::PrincipalOf(u);
    }
  }
  return core::InvalidArgument(core::kErrValueInvalid,
                               "the demo school has no office or head account to record transport");
}

}  // namespace

core::Status SeedDemoTransport(store::Store& store, core::Date today, int minute_of_day,
                               int64_t now_unix) {
  const LocalTime time(today, minute_of_day, now_unix);
  DemoClock clock(today, minute_of_day, time);
  service::Services services(store, clock);
  RETURN_IF_ERROR(services.Load());
  ASSIGN_OR_RETURN(const service::Principal office, DeskPrincipal(store));
  const core::SessionKey morning{today, core::Session::kAm};

  // The pupils on roll today, in the school's order, and which of them are
  // still waiting for a reason for this morning (N): the ones the office
  // would sign in late. Not a child missing education (an
  // open case) nor a demo parent's child: their stories are told elsewhere.
  std::set<int64_t> elsewhere;
  ASSIGN_OR_RETURN(std::vector<store::CmeCase> cme, store.ListCmeCases(true));
  for (const store::CmeCase& c : cme) elsewhere.insert(c.pupil_id);
  ASSIGN_OR_RETURN(std::vector<store::User> users, store.ListUsers());
  for (const store::User& u : users) elsewhere.insert(u.pupil_ids.begin(), u.pupil_ids.end());
  std::vector<int64_t> on_roll, not_here;
  bool school_day = false;
  int close = 0;
  {
    service::School& school = services.school();
    auto lock = school.Read();
    const service::Snapshot& snap = school.snapshot();
    school_day = snap.scenario.calendar.IsOpen(morning);
    close = school.RegisterClose(core::Session::kAm);
    for (size_t i = 0; i < snap.pupils.size(); ++i) {
      if (!snap.scenario.pupils[i].OnRollOn(today)) continue;
      on_roll.push_back(snap.pupils[i].id);
      const service::SlotMark m = school.MarkAt(i, morning);
      if (elsewhere.contains(snap.pupils[i].id)) continue;
      if (m.code == core::AttendanceCode::kNoReasonYet) {
        not_here.push_back(snap.pupils[i].id);
      }
    }
  }
  if (on_roll.size() < 30) return core::OkStatus();  // too small a school for buses

  ASSIGN_OR_RETURN(const int64_t northfield, services.sign_in_out().AddRoute(office, kNorthfield));
  ASSIGN_OR_RETURN(const int64_t canal_road, services.sign_in_out().AddRoute(office, kCanalRoad));
  // The late pupils: the first off the Northfield bus, the second (when a
  // second pupil is still N this morning) on no route.
  const bool late_pair = school_day && minute_of_day >= close + 25 && !not_here.empty();
  const int64_t bus_pupil = late_pair ? not_here[0] : 0;
  const int64_t walker = late_pair && not_here.size() >= 2 ? not_here[1] : 0;
  std::vector<store::RouteRider> riders;
  const int64_t set_at = clock.NowSeconds();
  if (late_pair) riders.push_back({bus_pupil, northfield, set_at, office.name});
  for (size_t idx = 3; idx < on_roll.size() && riders.size() < 14; idx += 13) {
    if (on_roll[idx] != bus_pupil && on_roll[idx] != walker) {
      riders.push_back({on_roll[idx], northfield, set_at, office.name});
    }
  }
  for (size_t idx = 8; idx < on_roll.size() && riders.size() < 23; idx += 17) {
    const int64_t id = on_roll[idx];
    bool taken = id == bus_pupil || id == walker;
    for (const store::RouteRider& r : riders) taken = taken || r.pupil_id == id;
    if (!taken) riders.push_back({id, canal_road, set_at, office.name});
  }
  RETURN_IF_ERROR(store.SetRouteRiders(riders));
  if (!late_pair) return core::OkStatus();

  // This morning: the bus pupil first (U, as no delay is known yet), then
  // the driver's call (the delay turns the U into L), then the walker (U).
  const std::string bus_at = service::TimeText(close + 8);
  clock.Set(today, close + 9);
  RETURN_IF_ERROR(services.sign_in_out()
                      .SignIn(office, {std::to_string(bus_pupil), bus_at, "Bus or taxi late"})
                      .status());
  clock.Set(today, close + 14);
  RETURN_IF_ERROR(services.sign_in_out()
                      .RecordDelay(office, {std::to_string(northfield), today.ToString(), "AM",
                                            "Broke down on Northfield Lane; the driver rang"})
                      .status());
  if (walker != 0) {
    clock.Set(today, close + 21);
    RETURN_IF_ERROR(
        services.sign_in_out()
            .SignIn(office, {std::to_string(walker), service::TimeText(close + 20), "Overslept"})
            .status());
  }
  clock.SetNow();
  return core::OkStatus();
}

}  // namespace rollcall::cli
