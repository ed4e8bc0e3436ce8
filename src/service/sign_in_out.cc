// sign_in_out.cc: the reception desk and school transport (sign_in_out.h).
#include "service/sign_in_out.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <utility>

#include "core/error_codes.h"
#include "core/register.h"
#include "io/csv_reader.h"
#include "service/fields.h"
#include "service/records.h"

namespace rollcall::service {

using core::Status;
using core::StatusOr;

namespace {

constexpr size_t kMaxSignReason = 200;
constexpr size_t kMaxFound = 12;

// Route names by id.
StatusOr<std::map<int64_t, std::string>> RouteNames(store::Store& store) {
  ASSIGN_OR_RETURN(std::vector<store::TransportRoute> routes, store.TransportRoutes());
  std::map<int64_t, std::string> out;
  for (store::TransportRoute& r : routes) out.emplace(r.id, std::move(r.name));
  return out;
}

// Each rider's route name, by pupil id.
StatusOr<std::map<int64_t, std::string>> RiderRoutes(store::Store& store) {
  ASSIGN_OR_RETURN(auto names, RouteNames(store));
  ASSIGN_OR_RETURN(std::vector<store::RouteRider> riders, store.RouteRiders());
  std::map<int64_t, std::string> out;
  for (const store::RouteRider& r : riders) out.emplace(r.pupil_id, names[r.route_id]);
  return out;
}

}  // namespace

std::vector<SignLine> SignInOut::Lines(std::vector<store::SignEvent> events) const {
  std::reverse(events.begin(), events.end());  // newest first
  auto lock = school_.Read();
  const Snapshot& snap = school_.snapshot();
  std::vector<SignLine> out;
  for (store::SignEvent& e : events) {
    SignLine line{.event = std::move(e)};
    if (auto it = snap.pupil_index.find(line.event.pupil_id); it != snap.pupil_index.end()) {
      const store::Pupil& p = snap.pupils[it->second];
      line.pupil = DisplayName(p);
      line.class_name = ClassNameOf(snap, p.class_id);
    }
    out.push_back(std::move(line));
  }
  return out;
}

StatusOr<DeskView> SignInOut::Desk(const Principal& who) const {
  DeskView out;
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kSignInOut, {}));
    out.school = school_.snapshot().school.name;
  }
  out.today = school_.clock().Today();
  out.now_minute = school_.clock().MinuteOfDay();
  ASSIGN_OR_RETURN(std::vector<store::SignEvent> events, school_.store().SignEventsOn(out.today));
  out.lines = Lines(std::move(events));
  ASSIGN_OR_RETURN(out.delays, school_.store().RouteDelaysOn(out.today));
  return out;
}

StatusOr<std::vector<SignLine>> SignInOut::Today(const Principal& who) const {
  if (!school_.AllowNow(who, Action::kSignInOut, {}).ok()) return std::vector<SignLine>();
  ASSIGN_OR_RETURN(std::vector<store::SignEvent> events,
                   school_.store().SignEventsOn(school_.clock().Today()));
  return Lines(std::move(events));
}

StatusOr<std::vector<DeskPupil>> SignInOut::Find(const Principal& who,
                                                 std::string_view text) const {
  RETURN_IF_ERROR(school_.AllowNow(who, Action::kSignInOut, {}));
  const std::string wanted = LowerCase(io::Trim(text));
  if (wanted.size() < 2) return std::vector<DeskPupil>();
  ASSIGN_OR_RETURN(auto routes, RiderRoutes(school_.store()));
  const core::Date today = school_.clock().Today();
  std::vector<DeskPupil> out;
  auto lock = school_.Read();
  const Snapshot& snap = school_.snapshot();
  for (size_t i = 0; i < snap.pupils.size(); ++i) {
    const store::Pupil& p = snap.pupils[i];
    if (!snap.scenario.pupils[i].OnRollOn(today)) continue;
    std::string name = DisplayName(p);
    if (LowerCase(name).find(wanted) == std::string::npos) continue;
    DeskPupil found{.pupil_id = p.id, .name = std::move(name)};
    found.class_name = ClassNameOf(snap, p.class_id);
    if (auto r = routes.find(p.id); r != routes.end()) found.route = r->second;
    out.push_back(std::move(found));
  }
  std::sort(out.begin(), out.end(),
            [](const DeskPupil& a, const DeskPupil& b) { return a.name < b.name; });
  if (out.size() > kMaxFound) out.resize(kMaxFound);
  return out;
}

StatusOr<DeskPupil> SignInOut::Pupil(const Principal& who, const std::string& pupil) const {
  const std::optional<int64_t> id = ParseId(pupil);
  if (!id) return core::NotFound(core::kErrPupilUnknown, "no pupil with id '" + pupil + "'");
  ASSIGN_OR_RETURN(auto routes, RiderRoutes(school_.store()));
  auto lock = school_.Read();
  ASSIGN_OR_RETURN(const size_t index, school_.PupilFor(who, *id, Action::kSignInOut));
  const Snapshot& snap = school_.snapshot();
  const store::Pupil& p = snap.pupils[index];
  DeskPupil out{.pupil_id = p.id, .name = DisplayName(p)};
  out.class_name = ClassNameOf(snap, p.class_id);
  if (auto r = routes.find(p.id); r != routes.end()) out.route = r->second;
  return out;
}

StatusOr<SignInOut::Checked> SignInOut::Check(const Principal& who, const std::string& pupil,
                                              const std::string& time,
                                              const std::string& reason) const {
  Checked c;
  const std::optional<int64_t> id = ParseId(pupil);
  if (!id) return core::NotFound(core::kErrPupilUnknown, "no pupil with id '" + pupil + "'");
  c.pupil_id = *id;
  const core::Clock& clock = school_.clock();
  const int now = clock.MinuteOfDay();
  if (time.empty()) {
    c.minute = now;
  } else if (std::optional<int> minute = ParseTime(io::Trim(time))) {
    c.minute = *minute;
  } else {
    return core::InvalidArgument(
        core::kErrTimeInvalid,
        "'" + time + "' is not a time: enter hours and minutes, for example 09:40");
  }
  if (c.minute > now) {
    return core::InvalidArgument(
        core::kErrSignTimeInFuture,
        fmt::format("{} is later than now ({}): enter the time it happened", TimeText(c.minute),
                    TimeText(now)));
  }
  c.reason = io::Trim(reason);
  if (c.reason.empty()) {
    return core::InvalidArgument(core::kErrValueInvalid, "Choose or write a reason");
  }
  if (c.reason.size() > kMaxSignReason) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("the reason is longer than {} characters", kMaxSignReason));
  }
  auto lock = school_.Read();
  RETURN_IF_ERROR(school_.PupilFor(who, c.pupil_id, Action::kSignInOut).status());
  // The afternoon session from its start; any earlier time is the morning's.
  const core::Session session =
      c.minute < school_.SessionStart(core::Session::kPm) ? core::Session::kAm : core::Session::kPm;
  if (const int starts = school_.SessionStart(session); c.minute < starts) {
    return core::InvalidArgument(
        core::kErrSignTimeBeforeSession,
        fmt::format("{} is before the {} session starts ({}): the pupil is not late, so mark "
                    "them on the register",
                    TimeText(c.minute), SessionWord(session), TimeText(starts)));
  }
  c.slot = {clock.Today(), session};
  return c;
}

StatusOr<store::SignEvent> SignInOut::Store(const Principal& who, const Checked& c,
                                            store::SignKind kind, bool counts,
                                            std::optional<core::AttendanceCode> code) {
  store::SignEvent event{.pupil_id = c.pupil_id,
                         .kind = kind,
                         .slot = c.slot,
                         .minute = c.minute,
                         .reason = c.reason,
                         .counts = counts,
                         .code = code,
                         .recorded_at = school_.clock().NowSeconds(),
                         .recorded_by_id = who.user_id,
                         .recorded_by = who.name};
  ASSIGN_OR_RETURN(event.id, school_.store().AddSignEvent(event));
  return event;
}

StatusOr<store::SignEvent> SignInOut::SignIn(const Principal& who, const SignInRequest& request) {
  ASSIGN_OR_RETURN(const Checked c, Check(who, request.pupil, request.time, request.reason));
  // The mark first: the desk's record says what the register now holds, so
  // it is written only once the mark is. RecordMark turns the L into U
  // after the register's close, unless the pupil's route was delayed.
  const std::string at = TimeText(c.minute);
  ASSIGN_OR_RETURN(
      MarkResult mark,
      registers_.RecordMark(who, {.date = c.slot.date.ToString(),
                                  .session = std::string(core::SessionName(c.slot.session)),
                                  .pupil = std::to_string(c.pupil_id),
                                  .code = "L",
                                  .reason = fmt::format("Signed in at {}: {}", at, c.reason),
                                  .arrival_time = at}));
  return Store(who, c, store::SignKind::kIn, true, mark.write.code);
}

StatusOr<store::SignEvent> SignInOut::SignOut(const Principal& who, const SignOutRequest& request) {
  ASSIGN_OR_RETURN(const Checked c, Check(who, request.pupil, request.time, request.reason));
  if (request.counts) return Store(who, c, store::SignKind::kOut, true, std::nullopt);
  const std::optional<core::AttendanceCode> code = core::CodeFromSymbol(io::Trim(request.code));
  const bool absence = code && *code != core::AttendanceCode::kLateAfterClose &&
                       (core::CategoryOf(*code) == core::StatCategory::kAuthorised ||
                        core::CategoryOf(*code) == core::StatCategory::kUnauthorised);
  if (!absence) {
    return core::InvalidArgument(
        core::kErrSignOutCodeInvalid,
        fmt::format("'{}' is not an absence code: when the session does not count, choose the "
                    "code for it, for example M for a medical appointment",
                    request.code));
  }
  ASSIGN_OR_RETURN(
      MarkResult mark,
      registers_.RecordMark(
          who, {.date = c.slot.date.ToString(),
                .session = std::string(core::SessionName(c.slot.session)),
                .pupil = std::to_string(c.pupil_id),
                .code = std::string(core::SymbolOf(*code)),
                .reason = fmt::format("Signed out at {}: {}", TimeText(c.minute), c.reason)}));
  return Store(who, c, store::SignKind::kOut, false, mark.write.code);
}

StatusOr<TransportView> SignInOut::Transport(const Principal& who) const {
  RETURN_IF_ERROR(school_.AllowNow(who, Action::kManageTransport, {}));
  TransportView out;
  out.today = school_.clock().Today();
  ASSIGN_OR_RETURN(std::vector<store::TransportRoute> routes, school_.store().TransportRoutes());
  ASSIGN_OR_RETURN(std::vector<store::RouteRider> riders, school_.store().RouteRiders());
  ASSIGN_OR_RETURN(out.delays, school_.store().RouteDelaysOn(out.today));
  std::map<int64_t, size_t> route_at;  // route id -> index in out.routes
  for (store::TransportRoute& r : routes) {
    route_at.emplace(r.id, out.routes.size());
    out.routes.push_back({.route = std::move(r)});
  }
  std::map<int64_t, int64_t> route_of;  // pupil id -> route id
  for (const store::RouteRider& r : riders) route_of.emplace(r.pupil_id, r.route_id);
  auto lock = school_.Read();
  const Snapshot& snap = school_.snapshot();
  out.school = snap.school.name;
  out.session = school_.clock().MinuteOfDay() < school_.SessionStart(core::Session::kPm)
                    ? core::Session::kAm
                    : core::Session::kPm;
  for (size_t i = 0; i < snap.pupils.size(); ++i) {
    const store::Pupil& p = snap.pupils[i];
    DeskPupil pupil{.pupil_id = p.id, .name = DisplayName(p)};
    pupil.class_name = ClassNameOf(snap, p.class_id);
    if (auto r = route_of.find(p.id); r != route_of.end() && route_at.contains(r->second)) {
      RouteView& view = out.routes[route_at.at(r->second)];
      pupil.route = view.route.name;
      view.riders.push_back(pupil);
    }
    if (snap.scenario.pupils[i].OnRollOn(out.today)) out.pupils.push_back(std::move(pupil));
  }
  const auto by_name = [](const DeskPupil& a, const DeskPupil& b) { return a.name < b.name; };
  for (RouteView& r : out.routes) std::sort(r.riders.begin(), r.riders.end(), by_name);
  std::sort(out.pupils.begin(), out.pupils.end(), by_name);
  return out;
}

StatusOr<int64_t> SignInOut::AddRoute(const Principal& who, const std::string& name) {
  RETURN_IF_ERROR(school_.AllowNow(who, Action::kManageTransport, {}));
  return school_.store().AddTransportRoute(
      {.name = name, .created_at = school_.clock().NowSeconds(), .created_by = who.name});
}

Status SignInOut::SetRoute(const Principal& who, const std::string& pupil,
                           const std::string& route) {
  RETURN_IF_ERROR(school_.AllowNow(who, Action::kManageTransport, {}));
  const std::optional<int64_t> pupil_id = ParseId(pupil);
  if (!pupil_id) return core::NotFound(core::kErrPupilUnknown, "no pupil with id '" + pupil + "'");
  std::optional<int64_t> route_id =
      route.empty() || route == "0" ? std::optional<int64_t>(0) : ParseId(route);
  if (!route_id) return core::NotFound(core::kErrRouteUnknown, "no route with id '" + route + "'");
  return school_.store().SetRouteRiders(
      {{*pupil_id, *route_id, school_.clock().NowSeconds(), who.name}});
}

StatusOr<int> SignInOut::ImportRoutes(const Principal& who, std::string_view csv) {
  RETURN_IF_ERROR(school_.AllowNow(who, Action::kManageTransport, {}));
  ASSIGN_OR_RETURN(std::vector<store::TransportRoute> routes, school_.store().TransportRoutes());
  std::map<std::string, int64_t> route_by_name;  // lower case
  for (const store::TransportRoute& r : routes) route_by_name.emplace(LowerCase(r.name), r.id);

  io::CsvReader reader(csv);
  ASSIGN_OR_RETURN(std::vector<std::string> header, reader.Header());
  std::optional<size_t> upn_at, route_at;
  for (size_t i = 0; i < header.size(); ++i) {
    if (LowerCase(header[i]) == "upn") upn_at = i;
    if (LowerCase(header[i]) == "route") route_at = i;
  }
  io::CsvErrors errors;
  if (!upn_at || !route_at) {
    errors.Add(1, "the header must name the columns UPN and route");
    return errors.ToStatus("transport routes");
  }
  std::map<std::string, int64_t> pupil_by_upn;
  {
    auto lock = school_.Read();
    for (const store::Pupil& p : school_.snapshot().pupils) pupil_by_upn.emplace(p.upn, p.id);
  }
  const int64_t now = school_.clock().NowSeconds();
  std::vector<store::RouteRider> riders;
  int64_t line = 0;
  std::vector<std::string> fields;
  while (reader.Next(errors, line, fields)) {
    const std::string& upn = fields[*upn_at];
    const std::string& name = fields[*route_at];
    auto pupil = pupil_by_upn.find(upn);
    if (pupil == pupil_by_upn.end()) {
      errors.Add(line, fmt::format("no pupil has the UPN '{}'", upn));
      continue;
    }
    int64_t route_id = 0;  // an empty route: off any route
    if (!name.empty()) {
      auto route = route_by_name.find(LowerCase(name));
      if (route == route_by_name.end()) {
        errors.Add(line, fmt::format("there is no route called '{}': add it first", name));
        continue;
      }
      route_id = route->second;
    }
    riders.push_back({pupil->second, route_id, now, who.name});
  }
  if (!errors.empty()) return errors.ToStatus("transport routes");
  RETURN_IF_ERROR(school_.store().SetRouteRiders(riders));
  return static_cast<int>(riders.size());
}

StatusOr<DelayResult> SignInOut::RecordDelay(const Principal& who, const DelayRequest& request) {
  RETURN_IF_ERROR(school_.AllowNow(who, Action::kManageTransport, {}));
  const core::Date today = school_.clock().Today();
  core::Date date = today;
  if (!request.date.empty()) {
    ASSIGN_OR_RETURN(date, ParseDateParam(request.date, "date"));
  }
  const std::optional<core::Session> session = core::SessionFromName(request.session);
  if (!session) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "session must be AM or PM, not '" + request.session + "'");
  }
  const core::SessionKey slot{date, *session};
  if (date > today) {
    return core::InvalidArgument(core::kErrSessionInFuture,
                                 "a delay is recorded once it has happened, not before");
  }
  const std::optional<int64_t> route_id = ParseId(request.route);
  if (!route_id) {
    return core::NotFound(core::kErrRouteUnknown, "no route with id '" + request.route + "'");
  }
  const std::string note = io::Trim(request.note);
  if (note.size() > kMaxSignReason) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("the note is longer than {} characters", kMaxSignReason));
  }
  {
    auto lock = school_.Read();
    if (!school_.snapshot().scenario.calendar.IsOpen(slot)) {
      return core::InvalidArgument(
          core::kErrSessionNotOpen,
          fmt::format("{} {} is not a school session", date.LongText(), SessionWord(*session)));
    }
  }
  DelayResult out;
  ASSIGN_OR_RETURN(out.delay_id,
                   school_.store().AddRouteDelay({.route_id = *route_id,
                                                  .slot = slot,
                                                  .note = note,
                                                  .recorded_at = school_.clock().NowSeconds(),
                                                  .recorded_by_id = who.user_id,
                                                  .recorded_by = who.name}));
  ASSIGN_OR_RETURN(auto names, RouteNames(school_.store()));
  const std::string& route_name = names[*route_id];
  ASSIGN_OR_RETURN(std::vector<store::RouteRider> riders, school_.store().RouteRiders());
  // The route's pupils already marked U this session, with their arrival.
  std::vector<std::pair<int64_t, int>> late;  // pupil id, arrival minute
  std::map<int64_t, std::string> pupil_names;
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    for (const store::RouteRider& r : riders) {
      if (r.route_id != *route_id) continue;
      auto it = snap.pupil_index.find(r.pupil_id);
      if (it == snap.pupil_index.end()) continue;
      const SlotMark m = school_.MarkAt(it->second, slot);
      if (m.code != core::AttendanceCode::kLateAfterClose || !m.arrival) continue;
      late.emplace_back(r.pupil_id, *m.arrival);
      pupil_names.emplace(r.pupil_id, DisplayName(snap.pupils[it->second]));
    }
  }
  // Each through RecordMark, which now finds the delay and gives L. One
  // refusal does not stop the others: the delay is recorded, and the page
  // lists any pupil whose mark the office must look at.
  for (const auto& [pupil_id, arrival] : late) {
    StatusOr<MarkResult> changed = registers_.RecordMark(
        who, {.date = date.ToString(),
              .session = std::string(core::SessionName(*session)),
              .pupil = std::to_string(pupil_id),
              .code = "L",
              .reason = fmt::format("School transport: {} was late this session{}", route_name,
                                    note.empty() ? "" : " (" + note + ")"),
              .arrival_time = TimeText(arrival)});
    if (changed.ok()) {
      out.changed.push_back(pupil_names[pupil_id]);
    } else {
      out.failed.push_back(pupil_names[pupil_id] + ": " + changed.status().message());
    }
  }
  return out;
}

}  // namespace rollcall::service
