// Whole requests through App::Handle, the way the server hands them over:
// routing, sign-in, CSRF, every handler and page, over a small school in
// SQLite in memory (fuzz_school.h), built once. The input reads like an
// HTTP request:
//
//   METHOD TARGET
//   Name: value          (Content-Type, Authorization, Origin, Cookie,
//   ...                   HX-Request; "As: head" signs in as the head, with
//                         the CSRF token, "As: head-no-csrf" without it)
//
//   body
//
// Every answer must carry a real HTTP status and headers that cannot be
// split, and never 500: a 500 is a crash the handler caught. 502 and 503 are
// deliberate answers (another system, or this one, cannot be reached now).
#include <cstdint>
#include <memory>
#include <string>

#include "fuzz/fuzz_school.h"
#include "fuzz/fuzz_util.h"
#include "web/app.h"
#include "web/http.h"

namespace {

using namespace rollcall;

// Fuzzed requests may sign the head out, change the password or fill the
// database; the school is built again after this many inputs, or when the
// head can no longer sign in, so one input's effect never lasts long.
constexpr int kInputsPerSchool = 2000;

std::unique_ptr<fuzz::FuzzSchool> school;
int inputs = 0;

void Fresh() {
  school = std::make_unique<fuzz::FuzzSchool>();
  fuzz::Check(school->Login("head"), "the head cannot sign in to a fresh school");
  inputs = 0;
}

std::string_view Line(std::string_view& rest) {
  const size_t nl = rest.find('\n');
  std::string_view line = rest.substr(0, nl);
  rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (!school || ++inputs > kInputsPerSchool) Fresh();
  std::string_view rest = fuzz::Bytes(data, size);
  const std::string_view request_line = Line(rest);
  const size_t space = request_line.find(' ');
  if (space == std::string_view::npos) return 0;
  web::Request req;
  const std::string_view verb = request_line.substr(0, space);
  req.method = web::http::string_to_verb({verb.data(), verb.size()});
  if (req.method == web::http::verb::unknown) return 0;
  req.target = std::string(request_line.substr(space + 1));
  req.remote_addr = "192.0.2.7";
  req.host = "localhost";
  bool as_head = false;
  while (!rest.empty()) {
    const std::string_view line = Line(rest);
    if (line.empty()) break;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view name = line.substr(0, colon);
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    if (EqualsIgnoreCase(name, "Content-Type")) req.content_type = std::string(value);
    if (EqualsIgnoreCase(name, "Authorization")) req.authorization = std::string(value);
    if (EqualsIgnoreCase(name, "Origin")) req.origin = std::string(value);
    if (EqualsIgnoreCase(name, "Cookie")) req.cookie = std::string(value);
    if (EqualsIgnoreCase(name, "HX-Request")) req.htmx = value == "true";
    if (EqualsIgnoreCase(name, "As") && value.starts_with("head")) {
      as_head = true;
      req.cookie = school->cookie();
      if (value == "head") req.csrf_token = school->csrf();
    }
  }
  req.body = std::string(rest);

  const web::Response res = school->app().Handle(req);
  const int status = static_cast<int>(res.status);
  const std::string what = std::string(web::http::to_string(req.method)) + " " + req.target +
                           " -> " + std::to_string(status) + "\n" + res.body.substr(0, 2000);
  fuzz::Check(status >= 100 && status <= 599, "not an HTTP status", what);
  fuzz::Check(status < 500 || status == 502 || status == 503, "a server error", what);
  for (const auto& [name, value] : res.headers) {
    fuzz::Check(name.find_first_of("\r\n:") == std::string::npos &&
                    value.find_first_of("\r\n") == std::string::npos,
                "a header that splits the answer", name + ": " + value);
  }
  fuzz::Check(res.content_type.find_first_of("\r\n") == std::string::npos,
              "a Content-Type that splits the answer", res.content_type);

  // The head's session ended (signed out, password changed): sign in again,
  // or start afresh when that is refused.
  bool new_cookie = false;
  for (const auto& [name, value] : res.headers) {
    if (name == "Set-Cookie" && value.starts_with(web::kSessionCookie)) new_cookie = true;
  }
  if ((as_head && (new_cookie || res.status == web::http::status::unauthorized)) &&
      !school->Login("head")) {
    school.reset();
  }
  return 0;
}
