// routes.h
//
// App's one route table: every path of the JSON API and of the pages, one
// line each, with its method, its kind (how a refusal is answered), whether
// it needs a login, and its handler. App::Dispatch matches each request
// against it, so a new endpoint is one line in the table and one handler.
// The table (App::Route::All) is in app.cc, beside the dispatcher.
//
// A route that needs a login gets one before its handler runs, and on every
// method but GET the session's CSRF token too; without them the request is
// refused as the route's kind says. An API route may take an API token
// ("Authorization: Bearer") instead of a login, and then no CSRF token. A
// path that fits a pattern, but not with the request's method, is a 405 for
// an API route, decided before authentication so that it is the same for
// everyone. A path that fits no pattern is a JSON 404 under /api; any other
// is no page, which the pages answer after the login (a POST's token too)
// with "Page not found".
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "web/app.h"
#include "web/http.h"

namespace rollcall::web {

struct App::Route {
  // How a request for the route is refused.
  enum class Kind {
    // JSON errors (ErrorResponse): 401 NOT_LOGGED_IN, 403 CSRF_TOKEN_INVALID,
    // and 405 METHOD_NOT_ALLOWED for a method the path does not have.
    kApi,
    // For people: without a login, a redirect to /login (for htmx, a 401
    // with HX-Redirect); with a wrong CSRF token, the "This form has
    // expired" page (403). A method the path does not have is answered as a
    // path that does not exist: after a login, "Page not found" (404).
    kPage,
  };
  enum class Access {
    kLogin,   // a login, and on every method but GET the CSRF token
    kPublic,  // neither
  };
  // The values of the pattern's {name} segments, in order, percent-decoded.
  using Params = std::span<const std::string>;
  using Handler = Response (*)(App& app, Call& call, Params params);

  http::verb method;
  // The path: literal segments, and {name} for any one segment, as in
  // "/api/v1/pupils/{id}/summary". A request's path is compared segment by
  // segment after decoding, without its query, and empty segments do not
  // count: "/api/v1/pupils/" and "//api/v1//pupils" are "/api/v1/pupils".
  std::string_view pattern;
  Kind kind;
  Handler handler;
  Access access = Access::kLogin;
  // The handler hashes a password (logins, password changes and resets, new
  // accounts): the server runs these requests on a pool of their own
  // (HashesPasswords), so a burst of them never holds up registers.
  bool hashes_password = false;

  // The table, grouped by subject. A request takes the first route whose
  // pattern fits its path and whose method is its method.
  static std::span<const Route> All();

 private:
  // Adapters from a handler's own signature to Handler (app.cc). Bind passes
  // the path's values as strings, then the constants `Extra`; Pupil and User
  // read the one value as an id, answering PUPIL_UNKNOWN or USER_UNKNOWN
  // (404) when it is not one, after the login and CSRF checks.
  template <auto F, auto... Extra>
  static Response Bind(App& app, Call& call, Params params);
  template <auto F>
  static Response Pupil(App& app, Call& call, Params params);
  template <auto F>
  static Response User(App& app, Call& call, Params params);
};

}  // namespace rollcall::web
