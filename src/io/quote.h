// quote.h
//
// Values from an input file as error messages show them: whole when short;
// otherwise the first kShownCharacters characters, "…" and the full length, so
// that a megabyte field cannot become a megabyte of error output. Control
// characters are written \xNN so that a message stays on one line. Lengths
// count UTF-8 characters, and a cut never splits one.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace rollcall::io {

inline constexpr size_t kShownCharacters = 40;

// `AAAA… (1048576 characters)`, or `value` itself when short.
std::string Shorten(std::string_view value);

// `"value"`, or `"AAAA…" (1048576 characters)` when long; `quote` is the
// quotation mark (" in CSV messages, ' in JSON ones).
std::string Quote(std::string_view value, char quote = '"');

}  // namespace rollcall::io
