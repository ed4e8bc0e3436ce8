// An upload: a multipart/form-data body with the boundary of its
// Content-Type. The input is the Content-Type, a new line, then the body.
// Each part's bytes are exactly bytes of the body, and there are never more
// parts than the limit.
#include <cstdint>

#include "fuzz/fuzz_util.h"
#include "web/multipart.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rollcall;
  std::string_view text = fuzz::Bytes(data, size);
  const size_t nl = text.find('\n');
  if (nl == std::string_view::npos) return 0;
  const std::string_view content_type = text.substr(0, nl);
  const std::string_view body = text.substr(nl + 1);
  (void)web::IsMultipartForm(content_type);
  core::StatusOr<std::string> boundary = web::MultipartBoundary(content_type);
  if (boundary.ok()) {
    fuzz::Check(!boundary->empty() && boundary->size() <= 70, "a boundary of the wrong length",
                *boundary);
  }
  core::StatusOr<std::vector<web::MultipartPart>> parts = web::ParseMultipart(content_type, body);
  if (!parts.ok()) return 0;
  fuzz::Check(boundary.ok(), "parts read without a boundary", content_type);
  fuzz::Check(parts->size() <= web::kMaxMultipartParts, "more parts than the limit");
  for (const web::MultipartPart& part : *parts) {
    fuzz::Check(!part.name.empty(), "a part without a name");
    fuzz::Check(body.find(part.body) != std::string_view::npos,
                "a part's bytes are not bytes of the body", part.body);
  }
  return 0;
}
