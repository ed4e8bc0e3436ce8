// The request target (path and query), the Cookie and Authorization
// headers and the redirect location, as App::Handle reads them. The input
// is the header or target itself; every function gets the same bytes.
#include <cstdint>

#include "fuzz/fuzz_util.h"
#include "web/app.h"
#include "web/http.h"
#include "web/server.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rollcall;
  const std::string_view text = fuzz::Bytes(data, size);
  core::StatusOr<web::Target> target = web::ParseTarget(text);
  if (target.ok()) {
    for (const std::string& segment : target->segments) {
      fuzz::Check(segment.find('/') == std::string::npos || text.find("%2") != text.npos,
                  "a path segment holds a '/' the target did not encode", text);
    }
  }
  (void)web::CookieValue(text, web::kSessionCookie);
  (void)web::BearerToken(text);
  (void)web::IsUploadTarget(text);
  const std::string location = web::SafeLocation(text);
  fuzz::Check(!location.empty() && location[0] == '/', "a redirect leaves the site", location);
  fuzz::Check(location.size() < 2 || (location[1] != '/' && location[1] != '\\'),
              "a redirect leaves the site", location);
  for (const char c : location) {
    const auto byte = static_cast<unsigned char>(c);
    fuzz::Check(byte > 0x20 && byte < 0x7f, "a redirect holds a byte unsafe in a header", location);
  }
  return 0;
}
