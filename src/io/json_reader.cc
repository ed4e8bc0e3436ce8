#include "io/json_reader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <new>
#include <vector>

#include "core/error_codes.h"
#include "io/quote.h"

namespace rollcall::io {
namespace {

using nlohmann::json;

// Appends `/segment` with RFC 6901 escaping (~ as ~0, / as ~1).
void AppendPointerSegment(std::string& pointer, std::string_view segment) {
  pointer += '/';
  for (char c : segment) {
    if (c == '~') {
      pointer += "~0";
    } else if (c == '/') {
      pointer += "~1";
    } else {
      pointer += c;
    }
  }
}

// Builds the DOM like nlohmann's own SAX DOM parser, plus duplicate-key
// detection and float literal capture.
class StrictSax : public nlohmann::json_sax<json> {
 public:
  explicit StrictSax(StrictJson& out) : out_(out) {}

  bool null() override { return Add(json(nullptr)); }
  bool boolean(bool v) override { return Add(json(v)); }
  bool number_integer(number_integer_t v) override { return Add(json(v)); }
  bool number_unsigned(number_unsigned_t v) override { return Add(json(v)); }
  bool number_float(number_float_t v, const string_t& literal) override {
    if (!Add(json(v))) return false;
    out_.float_literals[CurrentPointer()] = literal;
    return true;
  }
  bool string(string_t& v) override { return Add(json(std::move(v))); }
  bool binary(binary_t&) override { return Fail("binary values are not JSON"); }
  bool start_object(std::size_t) override {
    if (!Add(json::object())) return false;
    stack_.push_back(last_);
    path_.emplace_back();
    return true;
  }
  bool key(string_t& k) override {
    if (stack_.back()->contains(k)) {
      duplicate_ = true;
      path_.back() = k;
      return Fail(fmt::format("{}: repeated key", ShownPointer()));
    }
    pending_key_ = k;
    path_.back() = k;
    return true;
  }
  bool end_object() override { return Pop(); }
  bool start_array(std::size_t) override {
    if (!Add(json::array())) return false;
    stack_.push_back(last_);
    path_.emplace_back();
    return true;
  }
  bool end_array() override { return Pop(); }
  bool parse_error(std::size_t position, const std::string& token,
                   const nlohmann::detail::exception& ex) override {
    std::string what = ex.what();
    // nlohmann prefixes "[json.exception.parse_error.101] parse error at line 1, column 2: ".
    if (size_t colon = what.find(": "); colon != std::string::npos) what = what.substr(colon + 2);
    return Fail(fmt::format("not valid JSON at byte {} near '{}': {}", position,
                            token.substr(0, 20), what));
  }

  const std::string& error() const { return error_; }
  bool duplicate() const { return duplicate_; }

 private:
  bool Add(json value) {
    if (stack_.empty()) {
      out_.value = std::move(value);
      last_ = &out_.value;
      return true;
    }
    json* parent = stack_.back();
    if (parent->is_array()) {
      path_.back() = std::to_string(parent->size());
      parent->push_back(std::move(value));
      last_ = &parent->back();
    } else {
      last_ = &((*parent)[pending_key_] = std::move(value));
    }
    return true;
  }
  bool Pop() {
    stack_.pop_back();
    path_.pop_back();
    return true;
  }
  bool Fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return false;
  }
  std::string CurrentPointer() const {
    std::string pointer;
    for (const std::string& part : path_) AppendPointerSegment(pointer, part);
    return pointer;
  }
  // The pointer for an error message: keys are the input's, and may be long.
  std::string ShownPointer() const {
    std::string pointer;
    for (const std::string& part : path_) AppendPointerSegment(pointer, Shorten(part));
    return pointer.empty() ? "$" : pointer;
  }

  StrictJson& out_;
  std::vector<json*> stack_;
  std::vector<std::string> path_;  // one segment per open container
  json* last_ = nullptr;
  std::string pending_key_;
  std::string error_;
  bool duplicate_ = false;
};

}  // namespace

// nlohmann builds each number token whole in a string before converting it,
// so a number of a billion digits cost gigabytes before it could be refused.
// This scan finds over-long number tokens outside strings first; it is not a
// validator (anything else is left to the parser).
core::Status CheckJsonNumberLengths(std::string_view text) {
  bool in_string = false;
  for (size_t pos = 0; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (in_string) {
      if (c == '\\') {
        ++pos;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      continue;
    }
    if (c != '-' && (c < '0' || c > '9')) continue;
    const size_t start = pos;
    while (pos < text.size() &&
           std::string_view("0123456789+-.eE").find(text[pos]) != std::string_view::npos) {
      ++pos;
    }
    if (pos - start > kMaxNumberCharacters) {
      return core::InvalidArgument(
          core::kErrJsonNumberTooLong,
          fmt::format(
              "not valid JSON at byte {}: a number of {} characters is too long (at most {})",
              start, pos - start, kMaxNumberCharacters));
    }
    --pos;
  }
  return core::OkStatus();
}

core::StatusOr<StrictJson> ParseStrictJson(std::string_view text) {
  RETURN_IF_ERROR(CheckJsonNumberLengths(text));
  StrictJson out;
  StrictSax sax(out);
  bool ok = false;
  try {
    ok = json::sax_parse(text.begin(), text.end(), &sax, json::input_format_t::json, true);
  } catch (const std::bad_alloc&) {
    throw;  // not a fault of the JSON: the command's outermost catch reports it
  } catch (const std::exception& e) {  // nlohmann throws on some invalid UTF-8 paths
    return core::InvalidArgument(core::kErrJsonMalformed,
                                 fmt::format("not valid JSON: {}", e.what()));
  }
  if (!ok) {
    return core::InvalidArgument(
        sax.duplicate() ? core::kErrJsonDuplicateKey : core::kErrJsonMalformed,
        sax.error().empty() ? "not valid JSON" : sax.error());
  }
  return out;
}

std::string JsonPath::ToString() const {
  if (kind_ == Kind::kRoot) return "$";
  std::string prefix = parent_->kind_ == Kind::kRoot ? "" : parent_->ToString();
  switch (kind_) {
    case Kind::kKey:
      return prefix.empty() ? std::string(key_) : fmt::format("{}.{}", prefix, key_);
    case Kind::kEntry:
      return fmt::format("{}[{}]", prefix, Shorten(key_));
    case Kind::kIndex:
      return fmt::format("{}[{}]", prefix, index_);
    case Kind::kRoot:
      break;
  }
  return prefix;
}

core::Status PathError(const char* code, const JsonPath& path, std::string_view problem) {
  return core::InvalidArgument(code, fmt::format("{}: {}", path.ToString(), problem));
}

std::string JsonPath::ToPointer() const {
  if (kind_ == Kind::kRoot) return "";
  std::string pointer = parent_->ToPointer();
  AppendPointerSegment(pointer, kind_ == Kind::kIndex ? std::to_string(index_) : std::string(key_));
  return pointer;
}

core::Status CheckDocumentKeys(const nlohmann::json& object,
                               std::initializer_list<std::string_view> allowed,
                               const JsonPath& path, std::string_view unknown) {
  if (!object.is_object()) return PathError(core::kErrJsonType, path, "must be an object");
  for (const auto& item : object.items()) {
    if (item.key().starts_with('_')) continue;
    if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) {
      return PathError(core::kErrUnknownKey, path.Key(item.key()),
                       fmt::format("{} (expected one of {})", unknown, fmt::join(allowed, ", ")));
    }
  }
  return core::OkStatus();
}

}  // namespace rollcall::io
