// file_type.h
//
// What a file is, read from its bytes (libmagic) rather than from the name
// or type the sender gave: uploads are checked against what they really
// contain. Reads nothing but the bytes given; thread-safe (each call opens
// its own libmagic handle).
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace rollcall::io {

// The MIME type of `bytes` ("application/pdf", "image/png",
// "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
// ...), as libmagic reads the content. Unavailable FILE_TYPE when libmagic
// or its database cannot be loaded.
core::StatusOr<std::string> MimeTypeOf(std::string_view bytes);

// A MIME type in words for a message to a parent: "a PDF", "a PNG image",
// "a Word document", "an executable program"; for one it does not know,
// "a file of type <mime>".
std::string DescribeMimeType(std::string_view mime);

}  // namespace rollcall::io
