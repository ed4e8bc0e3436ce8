// sql_store_sign_in_out.cc: the reception desk's records: transport routes,
// their riders and delays, and pupils signed in late or out early
// (sign_in_out.h).
#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

#include "core/error_codes.h"
#include "store/sql_store.h"

namespace rollcall::store {

std::string_view SignKindName(SignKind kind) {
  switch (kind) {
    case SignKind::kIn:
      return "in";
    case SignKind::kOut:
      return "out";
  }
  core::Unreachable();
}

std::optional<SignKind> SignKindFromName(std::string_view name) {
  for (SignKind k : {SignKind::kIn, SignKind::kOut}) {
    if (SignKindName(k) == name) return k;
  }
  return std::nullopt;
}

namespace sql {
namespace {

using core::Status;
using core::StatusOr;

constexpr size_t kMaxRouteName = 80;

// Whitespace trimmed from both ends, as the name is stored and compared.
std::string Trimmed(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const size_t last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

// Columns: id, route_id, route name, date, session, note, recorded_at,
// recorded_by_id, recorded_by.
constexpr char kDelayColumns[] =
    "d.id, d.route_id, r.name, d.date, d.session, d.note, d.recorded_at, d.recorded_by_id, "
    "d.recorded_by FROM route_delays d JOIN transport_routes r ON r.id = d.route_id";

StatusOr<RouteDelay> ReadDelay(const Statement& stmt) {
  RouteDelay d{.id = stmt.Int64(0), .route_id = stmt.Int64(1), .route_name = stmt.Text(2)};
  ASSIGN_OR_RETURN(d.slot.date, DateColumn(stmt, 3));
  ASSIGN_OR_RETURN(d.slot.session, SessionColumn(stmt, 4));
  d.note = stmt.Text(5);
  d.recorded_at = stmt.Int64(6);
  d.recorded_by_id = stmt.Int64(7);
  d.recorded_by = stmt.Text(8);
  return d;
}

}  // namespace

Status SqlStore::RequireRoute(int64_t id) {
  return RequireRow("SELECT 1 FROM transport_routes WHERE id = ?1", id, core::kErrRouteUnknown,
                    "transport route");
}

StatusOr<int64_t> SqlStore::AddTransportRoute(const TransportRoute& route) {
  const std::string name = Trimmed(route.name);
  if (name.empty() || name.size() > kMaxRouteName) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("a route's name is 1 to {} characters, not {}", kMaxRouteName, name.size()));
  }
  return Write([&]() -> StatusOr<int64_t> {
    {
      // Checked here, not left to the unique index, to name the problem.
      ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("SELECT name FROM transport_routes WHERE "
                                                    "lower(name) = lower(?1)"));
      stmt.Bind(1, name);
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (row) {
        return core::Conflict(core::kErrRouteNameTaken,
                              fmt::format("there is already a route called '{}'", stmt.Text(0)));
      }
    }
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("INSERT INTO transport_routes (name, created_at, created_by) "
                                  "VALUES (?1, ?2, ?3) RETURNING id"));
    stmt.Bind(1, name);
    stmt.Bind(2, route.created_at);
    stmt.Bind(3, route.created_by);
    return stmt.InsertReturningId();
  });
}

StatusOr<std::vector<TransportRoute>> SqlStore::TransportRoutes() {
  return Read([&]() -> StatusOr<std::vector<TransportRoute>> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("SELECT id, name, created_at, created_by FROM transport_routes "
                                  "ORDER BY lower(name), id"));
    std::vector<TransportRoute> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      out.push_back({.id = stmt.Int64(0),
                     .name = stmt.Text(1),
                     .created_at = stmt.Int64(2),
                     .created_by = stmt.Text(3)});
    }
    return out;
  });
}

Status SqlStore::SetRouteRiders(const std::vector<RouteRider>& riders) {
  return Write([&]() -> Status {
    for (const RouteRider& r : riders) {
      RETURN_IF_ERROR(RequirePupil(r.pupil_id));
      if (r.route_id != 0) RETURN_IF_ERROR(RequireRoute(r.route_id));
      // Replaced, not upserted: PostgreSQL's key is (school_id, pupil_id),
      // SQLite's pupil_id, and the same SQL serves both.
      {
        ASSIGN_OR_RETURN(Statement stmt,
                         db_->Prepare("DELETE FROM route_riders WHERE pupil_id = ?1"));
        stmt.Bind(1, r.pupil_id);
        RETURN_IF_ERROR(stmt.Run());
      }
      if (r.route_id == 0) continue;
      ASSIGN_OR_RETURN(Statement stmt,
                       db_->Prepare("INSERT INTO route_riders (pupil_id, route_id, set_at, set_by) "
                                    "VALUES (?1, ?2, ?3, ?4)"));
      stmt.Bind(1, r.pupil_id);
      stmt.Bind(2, r.route_id);
      stmt.Bind(3, r.set_at);
      stmt.Bind(4, r.set_by);
      RETURN_IF_ERROR(stmt.Run());
    }
    return core::OkStatus();
  });
}

StatusOr<std::vector<RouteRider>> SqlStore::RouteRiders() {
  return Read([&]() -> StatusOr<std::vector<RouteRider>> {
    ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("SELECT pupil_id, route_id, set_at, set_by FROM "
                                                  "route_riders ORDER BY route_id, pupil_id"));
    std::vector<RouteRider> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      out.push_back({.pupil_id = stmt.Int64(0),
                     .route_id = stmt.Int64(1),
                     .set_at = stmt.Int64(2),
                     .set_by = stmt.Text(3)});
    }
    return out;
  });
}

StatusOr<int64_t> SqlStore::AddRouteDelay(const RouteDelay& delay) {
  return Write([&]() -> StatusOr<int64_t> {
    RETURN_IF_ERROR(RequireRoute(delay.route_id));
    {
      ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("SELECT 1 FROM route_delays WHERE route_id = "
                                                    "?1 AND date = ?2 AND session = ?3"));
      stmt.Bind(1, delay.route_id);
      BindDate(stmt, 2, delay.slot.date);
      stmt.Bind(3, static_cast<int>(delay.slot.session));
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (row) {
        return core::Conflict(
            core::kErrRouteDelayExists,
            fmt::format("a delay is already recorded for this route on {} {}",
                        delay.slot.date.ToString(), core::SessionName(delay.slot.session)));
      }
    }
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("INSERT INTO route_delays (route_id, date, session, note, "
                                  "recorded_at, recorded_by_id, recorded_by) VALUES (?1, ?2, ?3, "
                                  "?4, ?5, ?6, ?7) RETURNING id"));
    stmt.Bind(1, delay.route_id);
    BindDate(stmt, 2, delay.slot.date);
    stmt.Bind(3, static_cast<int>(delay.slot.session));
    stmt.Bind(4, delay.note);
    stmt.Bind(5, delay.recorded_at);
    stmt.Bind(6, delay.recorded_by_id);
    stmt.Bind(7, delay.recorded_by);
    return stmt.InsertReturningId();
  });
}

StatusOr<std::vector<RouteDelay>> SqlStore::RouteDelaysOn(core::Date date) {
  return Read([&]() -> StatusOr<std::vector<RouteDelay>> {
    ASSIGN_OR_RETURN(
        Statement stmt,
        db_->Prepare(fmt::format("SELECT {} WHERE d.date = ?1 ORDER BY d.id", kDelayColumns)));
    BindDate(stmt, 1, date);
    std::vector<RouteDelay> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      ASSIGN_OR_RETURN(RouteDelay d, ReadDelay(stmt));
      out.push_back(std::move(d));
    }
    return out;
  });
}

StatusOr<std::optional<RouteDelay>> SqlStore::RouteDelayFor(int64_t pupil_id,
                                                            core::SessionKey slot) {
  return Read([&]() -> StatusOr<std::optional<RouteDelay>> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare(fmt::format("SELECT {} JOIN route_riders p ON p.route_id = "
                                              "d.route_id WHERE p.pupil_id = ?1 AND d.date = ?2 "
                                              "AND d.session = ?3",
                                              kDelayColumns)));
    stmt.Bind(1, pupil_id);
    BindDate(stmt, 2, slot.date);
    stmt.Bind(3, static_cast<int>(slot.session));
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return std::optional<RouteDelay>();
    ASSIGN_OR_RETURN(RouteDelay d, ReadDelay(stmt));
    return std::optional<RouteDelay>(std::move(d));
  });
}

StatusOr<int64_t> SqlStore::AddSignEvent(const SignEvent& event) {
  if (event.minute < 0 || event.minute > 1439) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("{} is not a minute of the day", event.minute));
  }
  return Write([&]() -> StatusOr<int64_t> {
    RETURN_IF_ERROR(RequirePupil(event.pupil_id));
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("INSERT INTO sign_events (pupil_id, kind, date, session, minute, "
                                  "reason, counts, code, recorded_at, recorded_by_id, recorded_by) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
                                  "RETURNING id"));
    stmt.Bind(1, event.pupil_id);
    stmt.Bind(2, SignKindName(event.kind));
    BindDate(stmt, 3, event.slot.date);
    stmt.Bind(4, static_cast<int>(event.slot.session));
    stmt.Bind(5, event.minute);
    stmt.Bind(6, event.reason);
    stmt.Bind(7, event.counts ? 1 : 0);
    if (event.code) {
      stmt.Bind(8, static_cast<int>(*event.code));
    } else {
      stmt.BindNull(8);
    }
    stmt.Bind(9, event.recorded_at);
    stmt.Bind(10, event.recorded_by_id);
    stmt.Bind(11, event.recorded_by);
    return stmt.InsertReturningId();
  });
}

StatusOr<std::vector<SignEvent>> SqlStore::SignEventsOn(core::Date date) {
  return Read([&]() -> StatusOr<std::vector<SignEvent>> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("SELECT id, pupil_id, kind, date, session, minute, reason, "
                                  "counts, code, recorded_at, recorded_by_id, recorded_by FROM "
                                  "sign_events WHERE date = ?1 ORDER BY id"));
    BindDate(stmt, 1, date);
    std::vector<SignEvent> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      std::optional<SignKind> kind = SignKindFromName(stmt.Text(2));
      if (!kind) {
        return core::Internal(core::kErrDbBadValue,
                              fmt::format("sign_events: unknown kind '{}'", stmt.Text(2)));
      }
      SignEvent e{.id = stmt.Int64(0), .pupil_id = stmt.Int64(1), .kind = *kind};
      ASSIGN_OR_RETURN(e.slot.date, DateColumn(stmt, 3));
      ASSIGN_OR_RETURN(e.slot.session, SessionColumn(stmt, 4));
      e.minute = static_cast<int>(stmt.Int64(5));
      e.reason = stmt.Text(6);
      e.counts = stmt.Int64(7) != 0;
      if (!stmt.IsNull(8)) {
        ASSIGN_OR_RETURN(core::AttendanceCode code, CodeColumn(stmt, 8));
        e.code = code;
      }
      e.recorded_at = stmt.Int64(9);
      e.recorded_by_id = stmt.Int64(10);
      e.recorded_by = stmt.Text(11);
      out.push_back(std::move(e));
    }
    return out;
  });
}

}  // namespace sql
}  // namespace rollcall::store
