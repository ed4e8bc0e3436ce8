// files.h
//
// Writing a file whole or not at all, for every file rollcall writes for
// another program to read (the daily share's extracts, transfer files,
// census returns, engine files).
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace rollcall::io {

// Writes `text` to `path`: first to a hidden temporary file beside it,
// flushed to disk, then renamed over `path`, and the folder flushed too, so
// that neither a reader nor a crash ever sees half a file, and a file
// reported written is still there after a power cut. A failure names the
// step and the file (code FILE_WRITE) and leaves no temporary file behind.
core::Status WriteFileAtomically(const std::string& path, std::string_view text);

}  // namespace rollcall::io
