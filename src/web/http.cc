// http.cc: request targets, cookies and the mapping of errors to HTTP.
#include "web/http.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/error_codes.h"

namespace rollcall::web {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

core::StatusOr<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) {
        return core::InvalidArgument(core::kErrValueInvalid, "truncated %-escape in the URL");
      }
      const int hi = HexValue(text[i + 1]);
      const int lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) {
        return core::InvalidArgument(core::kErrValueInvalid, "bad %-escape in the URL");
      }
      const char decoded = static_cast<char>(hi * 16 + lo);
      if (decoded == '\0') {
        return core::InvalidArgument(core::kErrValueInvalid, "NUL character in the URL");
      }
      out.push_back(decoded);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

core::StatusOr<Target> ParseTarget(std::string_view target) {
  if (target.empty() || target.front() != '/') {
    return core::InvalidArgument(core::kErrValueInvalid, "the request path must start with /");
  }
  Target out;
  const size_t q = target.find('?');
  const std::string_view path = target.substr(0, q);
  size_t start = 1;
  while (start <= path.size()) {
    const size_t slash = path.find('/', start);
    const std::string_view raw = path.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (!raw.empty()) {
      ASSIGN_OR_RETURN(std::string segment, PercentDecode(raw, false));
      out.segments.push_back(std::move(segment));
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (q == std::string_view::npos) return out;
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    ASSIGN_OR_RETURN(std::string key, PercentDecode(pair.substr(0, eq), true));
    std::string value;
    if (eq != std::string_view::npos) {
      ASSIGN_OR_RETURN(value, PercentDecode(pair.substr(eq + 1), true));
    }
    if (!out.query.emplace(key, std::move(value)).second) {
      return core::InvalidArgument(core::kErrValueInvalid,
                                   "query parameter '" + key + "' is given more than once");
    }
  }
  return out;
}

std::optional<std::string> CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const size_t semi = header.find(';');
    std::string_view part = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    const size_t eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    if (part.substr(0, eq) == name) return std::string(part.substr(eq + 1));
  }
  return std::nullopt;
}

std::optional<std::string> BearerToken(std::string_view header) {
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size()) return std::nullopt;
  for (size_t i = 0; i < kScheme.size(); ++i) {
    const char c = header[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != kScheme[i]) {
      return std::nullopt;
    }
  }
  std::string_view token = header.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return std::string(token);
}

http::status HttpStatusFor(core::ErrorKind kind) {
  switch (kind) {
    case core::ErrorKind::kInvalidArgument:
      return http::status::bad_request;  // 400
    case core::ErrorKind::kUnauthenticated:
      return http::status::unauthorized;  // 401
    case core::ErrorKind::kPermissionDenied:
      return http::status::forbidden;  // 403
    case core::ErrorKind::kNotFound:
      return http::status::not_found;  // 404
    case core::ErrorKind::kConflict:
      return http::status::conflict;  // 409
    case core::ErrorKind::kUnavailable:
      return http::status::service_unavailable;  // 503
    case core::ErrorKind::kInternal:
      return http::status::internal_server_error;  // 500
  }
  core::Unreachable();
}

Response ErrorResponse(const core::Status& status) {
  nlohmann::ordered_json body;
  body["error"]["code"] = status.code();
  body["error"]["message"] = status.message();
  Response res;
  res.status = HttpStatusFor(status.kind());
  // Codes with their own HTTP meaning.
  if (status.code() == core::kErrLoginThrottled) res.status = http::status::too_many_requests;
  if (status.code() == core::kErrBodyTooLarge) res.status = http::status::payload_too_large;
  if (status.code() == core::kErrMethod) res.status = http::status::method_not_allowed;
  // Messages may quote the request; never fail on its bytes.
  res.body = body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  return res;
}

Response JsonResponse(std::string body, http::status status) {
  Response res;
  res.status = status;
  res.body = std::move(body);
  return res;
}

Response HtmlResponse(std::string body, http::status status) {
  Response res;
  res.status = status;
  res.content_type = "text/html; charset=utf-8";
  res.body = std::move(body);
  return res;
}

std::string SafeLocation(std::string_view location) {
  // A value from a form or path must never end the header: CR, LF and every
  // other control, space or non-ASCII byte is percent-encoded.
  std::string out;
  if (location.empty() || location.front() != '/' || location.starts_with("//") ||
      location.starts_with("/\\")) {
    out = "/";
    location =
        location.empty() || location.front() != '/' ? std::string_view() : location.substr(1);
    while (!location.empty() && (location.front() == '/' || location.front() == '\\')) {
      location.remove_prefix(1);
    }
  }
  for (char c : location) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f) {
      out += fmt::format("%{:02X}", byte);
    } else {
      out += c;
    }
  }
  return out;
}

Response Redirect(std::string location) {
  Response res;
  res.status = http::status::see_other;
  res.content_type = "text/plain; charset=utf-8";
  res.headers.emplace_back("Location", SafeLocation(location));
  return res;
}

}  // namespace rollcall::web
