// multipart.h
//
// Reading a multipart/form-data body (RFC 7578), as a browser sends a form
// with a file: the boundary from the Content-Type, then each part's
// Content-Disposition name (and filename, for a file), its Content-Type and
// its bytes. Malformed input of any kind is an InvalidArgument
// VALUE_INVALID naming what is wrong, never a crash or a partial result.
// Pure: no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace rollcall::web {

struct MultipartPart {
  std::string name;                     // the form field's name
  std::optional<std::string> filename;  // set for a file (possibly empty: none chosen)
  std::string content_type;             // as sent; "" when the part gave none
  std::string body;                     // the bytes, exactly
};

// At most this many parts, and this many bytes of headers in one part.
inline constexpr size_t kMaxMultipartParts = 64;
inline constexpr size_t kMaxPartHeaderBytes = 8 * 1024;

// Whether `content_type` is multipart/form-data (any parameters).
bool IsMultipartForm(std::string_view content_type);

// The boundary of a multipart/form-data `content_type` (quoted or not):
// InvalidArgument VALUE_INVALID when it is not multipart/form-data or has
// no valid boundary (1-70 characters).
core::StatusOr<std::string> MultipartBoundary(std::string_view content_type);

// Every part of `body`, in order. InvalidArgument VALUE_INVALID for a
// missing first boundary, a part without a blank line after its headers,
// without Content-Disposition form-data and a name, a body that ends
// before the closing boundary, or more than kMaxMultipartParts parts.
core::StatusOr<std::vector<MultipartPart>> ParseMultipart(std::string_view content_type,
                                                          std::string_view body);

}  // namespace rollcall::web
