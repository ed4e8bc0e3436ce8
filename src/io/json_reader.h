// json_reader.h
//
// Strict JSON for scenarios and API bodies: nlohmann-json's parser driven
// through SAX so that an object with a repeated key is an error (nlohmann
// would keep the last), NaN/Infinity are rejected (not JSON), and the literal
// text of every non-integer number is kept for exact decimal policy values.
// Also a lazily rendered JSON path for error messages.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"

namespace rollcall::io {

struct StrictJson {
  nlohmann::json value;
  // Literal text of each floating-point number, keyed by its JSON pointer.
  std::unordered_map<std::string, std::string> float_literals;
};

// A number token longer than this is refused before parsing (JSON_NUMBER_TOO_LONG):
// no scenario, policy or API value needs more, and nlohmann would build it whole.
inline constexpr size_t kMaxNumberCharacters = 64;

// InvalidArgument JSON_NUMBER_TOO_LONG naming the byte offset of the first
// number token longer than kMaxNumberCharacters; OK otherwise (other errors are
// the parser's). Linear and allocation-free; ParseStrictJson calls it first.
core::Status CheckJsonNumberLengths(std::string_view text);

// InvalidArgument JSON_MALFORMED / JSON_DUPLICATE_KEY / JSON_NUMBER_TOO_LONG
// with the byte offset or path in the message.
core::StatusOr<StrictJson> ParseStrictJson(std::string_view text);

// A path into a JSON document, built on the stack while walking it and
// rendered only when an error needs it: `marks[P001][2024-09-14].AM`.
class JsonPath {
 public:
  JsonPath() = default;  // the root
  // A fixed schema key: rendered `.key` (or `key` at the root).
  JsonPath Key(std::string_view key) const { return JsonPath(this, Kind::kKey, key, 0); }
  // A data key (pupil id, date): rendered `[key]`, shortened when long (io/quote.h).
  JsonPath Entry(std::string_view key) const { return JsonPath(this, Kind::kEntry, key, 0); }
  JsonPath Index(size_t index) const { return JsonPath(this, Kind::kIndex, {}, index); }
  std::string ToString() const;   // `calendar.terms[0].end`, `$` for the root
  std::string ToPointer() const;  // RFC 6901 `/calendar/terms/0/end`

 private:
  enum class Kind : uint8_t { kRoot, kKey, kEntry, kIndex };
  JsonPath(const JsonPath* parent, Kind kind, std::string_view key, size_t index)
      : parent_(parent), kind_(kind), key_(key), index_(index) {}
  const JsonPath* parent_ = nullptr;
  Kind kind_ = Kind::kRoot;
  std::string_view key_;
  size_t index_ = 0;
};

// InvalidArgument `code` with the message `PATH: problem`.
core::Status PathError(const char* code, const JsonPath& path, std::string_view problem);

// Ok when `object` is a JSON object whose keys are each one of `allowed` or
// start with '_' (a note, such as a file's "_source"); otherwise JSON_TYPE,
// or UNKNOWN_KEY at the first other key: "PATH: `unknown` (expected one of
// ...)". For files people write and keep notes in: set-up answers, term dates.
core::Status CheckDocumentKeys(const nlohmann::json& object,
                               std::initializer_list<std::string_view> allowed,
                               const JsonPath& path, std::string_view unknown);

}  // namespace rollcall::io
