// file_type.cc: libmagic behind MimeTypeOf.
#include "io/file_type.h"

#include <fmt/format.h>
#include <magic.h>

#include <array>
#include <memory>
#include <utility>

#include "core/error_codes.h"

namespace rollcall::io {
namespace {

struct MagicCloser {
  void operator()(magic_set* cookie) const { magic_close(cookie); }
};

core::Status MagicError(std::string_view what, magic_t cookie) {
  const char* error = cookie != nullptr ? magic_error(cookie) : nullptr;
  return core::Unavailable(core::kErrFileType,
                           fmt::format("{}: {}", what, error != nullptr ? error : "out of memory"));
}

}  // namespace

core::StatusOr<std::string> MimeTypeOf(std::string_view bytes) {
  // MAGIC_MIME_TYPE: the type alone, without "; charset=...". A handle is
  // not safe to share between threads, so each call has its own.
  std::unique_ptr<magic_set, MagicCloser> cookie(magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR));
  if (!cookie) return MagicError("opening libmagic", nullptr);
  if (magic_load(cookie.get(), nullptr) != 0) {
    return MagicError("loading libmagic's database", cookie.get());
  }
  const char* type = magic_buffer(cookie.get(), bytes.data(), bytes.size());
  if (type == nullptr) return MagicError("reading a file's type", cookie.get());
  return std::string(type);
}

std::string DescribeMimeType(std::string_view mime) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kWords = {{
      {"application/pdf", "a PDF"},
      {"image/jpeg", "a JPEG image"},
      {"image/png", "a PNG image"},
      {"image/gif", "a GIF image"},
      {"image/heic", "a HEIC photo"},
      {"image/webp", "a WebP image"},
      {"image/tiff", "a TIFF image"},
      {"application/msword", "a Word document"},
      {"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
       "a Word document"},
      {"application/vnd.oasis.opendocument.text", "an OpenDocument text"},
      {"application/zip", "a zip archive"},
      {"application/x-dosexec", "a Windows program"},
      {"application/x-executable", "an executable program"},
      {"text/html", "a web page"},
      {"text/plain", "a text file"},
      {"application/octet-stream", "a file of unknown type"},
  }};
  for (const auto& [type, words] : kWords) {
    if (type == mime) return std::string(words);
  }
  return fmt::format("a file of type {}", mime);
}

}  // namespace rollcall::io
