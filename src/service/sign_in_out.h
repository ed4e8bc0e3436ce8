// sign_in_out.h
//
// The reception desk: pupils who arrive after registration are signed in,
// pupils who leave early are signed out, each with the time and a reason;
// and the school's transport routes, which pupils travel on each, and the
// delays recorded for a route's session (docs/sign-in-out.md).
//
// The statutory mark is always recorded through Registers::RecordMark, so a
// late arrival gets L or U by the one rule (core::LateCode, with the
// transport exemption) and every change of a mark has its audit row. This
// service adds the desk's own record (store::SignEvent), who recorded it
// and when. It holds nothing in memory: each view is read from the store.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "service/access.h"
#include "service/registers.h"
#include "service/school.h"
#include "store/sign_in_out.h"

namespace rollcall::service {

// The reasons the kiosk offers, before the office's own words.
inline constexpr std::array<std::string_view, 6> kArrivalReasons = {
    "Bus or taxi late", "Medical or dental appointment", "Overslept",
    "Traffic",          "Family circumstances",          "Other"};
inline constexpr std::array<std::string_view, 5> kDepartureReasons = {
    "Medical or dental appointment", "Unwell", "Family emergency", "Collected by a parent",
    "Other"};
// The codes offered for a departure after which the session does not
// count; SignOut accepts any absence code but L and U.
inline constexpr std::array<std::string_view, 4> kDepartureCodes = {"M", "I", "C", "O"};

// A late arrival as the office enters it: the pupil's id, the time
// ("HH:MM"; "" for now by the school's clock) and the reason.
struct SignInRequest {
  std::string pupil, time, reason;
};

// An early departure: as SignInRequest, and whether the session still
// counts as attended; when it does not, the code to record (e.g. "M").
struct SignOutRequest {
  std::string pupil, time, reason;
  bool counts = true;
  std::string code;
};

// One signing in or out, with the pupil's name and class for the lists.
struct SignLine {
  store::SignEvent event;
  std::string pupil;
  std::string class_name;  // "" when the pupil has no class
};

// What the kiosk shows: today's signings, newest first, and today's route
// delays.
struct DeskView {
  std::string school;
  core::Date today;
  int now_minute = 0;
  std::vector<SignLine> lines;
  std::vector<store::RouteDelay> delays;
};

// A pupil the kiosk's search found.
struct DeskPupil {
  int64_t pupil_id = 0;
  std::string name, class_name, route;  // route: "" when on none
};

// The transport page: each route with its pupils' names, the pupils on no
// route (to add), and the delays recorded today.
struct RouteView {
  store::TransportRoute route;
  std::vector<DeskPupil> riders;  // by name
};
struct TransportView {
  std::string school;
  core::Date today;
  core::Session session = core::Session::kAm;  // the one under way, for the delay form
  std::vector<RouteView> routes;               // by name
  std::vector<DeskPupil> pupils;               // every pupil on roll today, by name
  std::vector<store::RouteDelay> delays;       // today's
};

// A delay as the office enters it: the route's id, the date (YYYY-MM-DD;
// "" for today), the session ("AM" or "PM") and a note.
struct DelayRequest {
  std::string route, date, session, note;
};
// The delay recorded, and its pupils whose U for the session became L
// (names), and any whose mark could not be changed, with why.
struct DelayResult {
  int64_t delay_id = 0;
  std::vector<std::string> changed;
  std::vector<std::string> failed;
};

class SignInOut {
 public:
  SignInOut(School& school, Registers& registers) : school_(school), registers_(registers) {}

  // The kiosk (kSignInOut).
  core::StatusOr<DeskView> Desk(const Principal& who) const;
  // Today's signings only (kSignInOut), newest first: the Today page's
  // short list. Empty for those who may not sign pupils in or out.
  core::StatusOr<std::vector<SignLine>> Today(const Principal& who) const;
  // The pupils on roll today whose name contains `text` (any case; at
  // least two letters, else none), at most 12, by name (kSignInOut).
  core::StatusOr<std::vector<DeskPupil>> Find(const Principal& who, std::string_view text) const;

  // One pupil as the kiosk's form names them (kSignInOut): NotFound
  // PUPIL_UNKNOWN.
  core::StatusOr<DeskPupil> Pupil(const Principal& who, const std::string& pupil) const;

  // Signs a pupil in late today and records their mark (an L or U by the
  // register's close and the transport exemption; an existing mark for the
  // session is amended) with the reason "Signed in at HH:MM: <reason>".
  // NotFound PUPIL_UNKNOWN; PermissionDenied FORBIDDEN; InvalidArgument
  // TIME_INVALID, SIGN_TIME_IN_FUTURE, SIGN_TIME_BEFORE_SESSION (the pupil
  // is not late) or VALUE_INVALID (no reason, or one over 200 characters);
  // RecordMark's refusals. Returns the event stored.
  core::StatusOr<store::SignEvent> SignIn(const Principal& who, const SignInRequest& request);
  // Signs a pupil out early today. When the session counts the mark is
  // kept; when it does not, the session's mark becomes `code` with the
  // reason "Signed out at HH:MM: <reason>". SignIn's refusals, and
  // InvalidArgument SIGN_OUT_CODE_INVALID for a code that is not an
  // absence code (or is L or U).
  core::StatusOr<store::SignEvent> SignOut(const Principal& who, const SignOutRequest& request);

  // The transport page (kManageTransport).
  core::StatusOr<TransportView> Transport(const Principal& who) const;
  // Adds a route (kManageTransport): InvalidArgument VALUE_INVALID for a
  // blank name, Conflict ROUTE_NAME_TAKEN.
  core::StatusOr<int64_t> AddRoute(const Principal& who, const std::string& name);
  // Puts a pupil on a route, or ("" or "0") on none (kManageTransport):
  // NotFound PUPIL_UNKNOWN or ROUTE_UNKNOWN.
  core::Status SetRoute(const Principal& who, const std::string& pupil, const std::string& route);
  // Sets the routes of the pupils a CSV names (columns "UPN" and "route",
  // the route by name; an empty route takes the pupil off), all or nothing
  // (kManageTransport). InvalidArgument CSV_INVALID listing every line
  // with an unknown UPN or route. Returns how many pupils were set.
  core::StatusOr<int> ImportRoutes(const Principal& who, std::string_view csv);
  // Records a route's delay for a session (kManageTransport) and changes
  // each of its pupils' U for that session to L, through RecordMark, with
  // the reason naming the route's delay. NotFound ROUTE_UNKNOWN; Conflict
  // ROUTE_DELAY_EXISTS; InvalidArgument DATE_INVALID, VALUE_INVALID,
  // SESSION_IN_FUTURE or SESSION_NOT_OPEN (not a school session).
  core::StatusOr<DelayResult> RecordDelay(const Principal& who, const DelayRequest& request);

 private:
  // A signing's pupil, time and reason, checked (the pupil exists and `who`
  // may sign them in or out): today's session the time falls in, and the
  // minute.
  struct Checked {
    int64_t pupil_id = 0;
    core::SessionKey slot;
    int minute = 0;
    std::string reason;
  };
  core::StatusOr<Checked> Check(const Principal& who, const std::string& pupil,
                                const std::string& time, const std::string& reason) const;
  core::StatusOr<store::SignEvent> Store(const Principal& who, const Checked& c,
                                         store::SignKind kind, bool counts,
                                         std::optional<core::AttendanceCode> code);
  std::vector<SignLine> Lines(std::vector<store::SignEvent> events) const;

  School& school_;
  Registers& registers_;
};

}  // namespace rollcall::service
