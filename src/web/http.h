// http.h
//
// The request and response values that handlers see. The Beast session code
// (server.cc) only reads, routes and writes; everything between is plain
// functions on these structs, so handlers are tested without a socket.
#pragma once

#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace rollcall::web {

namespace http = boost::beast::http;

struct Request {
  http::verb method = http::verb::get;
  std::string target;  // raw request target, "/api/v1/pupils?x=1"
  std::string body;
  std::string content_type;
  std::string cookie;       // the Cookie header
  std::string csrf_token;   // the X-CSRF-Token header
  std::string origin;       // the Origin header, if any
  std::string host;         // the Host header
  std::string remote_addr;  // client IP, for login throttling and logs
  // The path prefix the browser's URL has before what the App routes on:
  // "/s/URN" when Hosted routed the request by path (and took the prefix
  // off `target`), empty otherwise. A full URL the App prints as text (a
  // link to copy) puts it after the host; Hosted rewrites only attributes.
  std::string base_path;
  bool htmx = false;  // sent by htmx (HX-Request: true): answer with a fragment
  // The Authorization header: "Bearer rc_..." for an API token (BearerToken).
  std::string authorization;
};

struct Response {
  http::status status = http::status::ok;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Set-Cookie
};

// The request target split into decoded path segments and query parameters.
struct Target {
  std::vector<std::string> segments;  // "/api/v1/pupils/7" -> {"api","v1","pupils","7"}
  std::map<std::string, std::string> query;
};
// InvalidArgument (VALUE_INVALID) for bad percent-encoding, a repeated query
// key, or a path not starting with '/'.
core::StatusOr<Target> ParseTarget(std::string_view target);

// The value of cookie `name` in a Cookie header; nullopt when absent.
std::optional<std::string> CookieValue(std::string_view header, std::string_view name);

// The token of an Authorization header "Bearer <token>" (the scheme in any
// case); nullopt for no header or another scheme.
std::optional<std::string> BearerToken(std::string_view header);

// One function maps error kinds to HTTP statuses.
http::status HttpStatusFor(core::ErrorKind kind);
// {"error":{"code":…,"message":…}} with the mapped status.
Response ErrorResponse(const core::Status& status);
Response JsonResponse(std::string body, http::status status = http::status::ok);
Response HtmlResponse(std::string body, http::status status = http::status::ok);
// `location` as a path on this site that is safe in a header: it starts with
// one '/', and control, space and non-ASCII bytes are percent-encoded, so
// no value in it can end the header or point at another site.
std::string SafeLocation(std::string_view location);
// 303 See Other to `location` (a path on this site, made safe by SafeLocation).
Response Redirect(std::string location);

}  // namespace rollcall::web
