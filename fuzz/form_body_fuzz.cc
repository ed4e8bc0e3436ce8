// A form POST's fields, as every page handler reads them (FormFields):
// URL-encoded, or a multipart form with a file. The first byte chooses;
// for a multipart form the input is the Content-Type, a new line, then the
// body.
#include <cstdint>

#include "fuzz/fuzz_util.h"
#include "web/app_internal.h"
#include "web/http.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rollcall;
  if (size < 1) return 0;
  web::Request req;
  req.method = web::http::verb::post;
  req.target = "/";
  std::string_view text = fuzz::Bytes(data + 1, size - 1);
  if (data[0] & 1) {
    const size_t nl = text.find('\n');
    if (nl == std::string_view::npos) return 0;
    req.content_type = std::string(text.substr(0, nl));
    text.remove_prefix(nl + 1);
  } else {
    req.content_type = "application/x-www-form-urlencoded";
  }
  req.body = std::string(text);
  (void)web::internal::FormFields(req);
  return 0;
}
