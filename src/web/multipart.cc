// multipart.cc: the multipart/form-data reader of multipart.h.
#include "web/multipart.h"

#include <fmt/format.h>

#include <cctype>

#include "core/error_codes.h"

namespace rollcall::web {
namespace {

core::Status Malformed(std::string_view what) {
  return core::InvalidArgument(core::kErrValueInvalid,
                               fmt::format("the form's upload is malformed: {}", what));
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A header's value split at ';' into its first item and name=value
// parameters, values unquoted (a backslash escapes the next character).
// False when a quoted value is not closed.
struct HeaderValue {
  std::string first;
  std::vector<std::pair<std::string, std::string>> params;  // names lower-case
};

bool ParseHeaderValue(std::string_view text, HeaderValue* out) {
  size_t i = 0;
  auto item_end = [&](size_t from) {
    size_t j = from;
    while (j < text.size() && text[j] != ';') ++j;
    return j;
  };
  size_t end = item_end(0);
  out->first = std::string(Trim(text.substr(0, end)));
  i = end;
  while (i < text.size()) {
    ++i;  // the ';'
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    const size_t eq = text.find('=', i);
    const size_t semi = item_end(i);
    if (eq == std::string_view::npos || eq > semi) {
      // A parameter without a value: kept with an empty one.
      std::string name(Trim(text.substr(i, semi - i)));
      if (!name.empty()) out->params.emplace_back(name, "");
      i = semi;
      continue;
    }
    std::string name(Trim(text.substr(i, eq - i)));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    size_t j = eq + 1;
    while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
    std::string value;
    if (j < text.size() && text[j] == '"') {
      ++j;
      bool closed = false;
      while (j < text.size()) {
        const char c = text[j];
        if (c == '\\' && j + 1 < text.size()) {
          value.push_back(text[j + 1]);
          j += 2;
          continue;
        }
        if (c == '"') {
          closed = true;
          ++j;
          break;
        }
        value.push_back(c);
        ++j;
      }
      if (!closed) return false;
      i = item_end(j);
    } else {
      const size_t stop = item_end(j);
      value = std::string(Trim(text.substr(j, stop - j)));
      i = stop;
    }
    out->params.emplace_back(std::move(name), std::move(value));
  }
  return true;
}

const std::string* Param(const HeaderValue& v, std::string_view name) {
  for (const auto& [n, value] : v.params) {
    if (n == name) return &value;
  }
  return nullptr;
}

// The headers of one part (between its boundary line and the blank line).
core::Status ReadPartHeaders(std::string_view headers, MultipartPart* part) {
  bool disposition_seen = false;
  while (!headers.empty()) {
    size_t eol = headers.find("\r\n");
    std::string_view line = headers.substr(0, eol);
    headers = eol == std::string_view::npos ? std::string_view() : headers.substr(eol + 2);
    if (line.empty()) continue;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return Malformed("a part's header line has no name");
    }
    const std::string_view name = Trim(line.substr(0, colon));
    const std::string_view value = Trim(line.substr(colon + 1));
    if (EqualsIgnoreCase(name, "Content-Disposition")) {
      HeaderValue v;
      if (!ParseHeaderValue(value, &v)) return Malformed("a quoted value is not closed");
      if (!EqualsIgnoreCase(v.first, "form-data")) {
        return Malformed("a part's Content-Disposition is not form-data");
      }
      const std::string* field = Param(v, "name");
      if (field == nullptr || field->empty()) return Malformed("a part has no field name");
      part->name = *field;
      if (const std::string* file = Param(v, "filename")) part->filename = *file;
      disposition_seen = true;
    } else if (EqualsIgnoreCase(name, "Content-Type")) {
      part->content_type = std::string(value);
    }
  }
  if (!disposition_seen) return Malformed("a part has no Content-Disposition");
  return core::OkStatus();
}

}  // namespace

bool IsMultipartForm(std::string_view content_type) {
  HeaderValue v;
  if (!ParseHeaderValue(content_type, &v)) return false;
  return EqualsIgnoreCase(v.first, "multipart/form-data");
}

core::StatusOr<std::string> MultipartBoundary(std::string_view content_type) {
  HeaderValue v;
  if (!ParseHeaderValue(content_type, &v) || !EqualsIgnoreCase(v.first, "multipart/form-data")) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "the form must be sent as multipart/form-data");
  }
  const std::string* boundary = Param(v, "boundary");
  if (boundary == nullptr || boundary->empty() || boundary->size() > 70) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        "the form's Content-Type has no boundary (1 to 70 characters) between its parts");
  }
  return *boundary;
}

core::StatusOr<std::vector<MultipartPart>> ParseMultipart(std::string_view content_type,
                                                          std::string_view body) {
  ASSIGN_OR_RETURN(std::string boundary, MultipartBoundary(content_type));
  const std::string dash_boundary = "--" + boundary;
  const std::string delimiter = "\r\n" + dash_boundary;
  // The first boundary opens the body, or ends a preamble on its own line.
  size_t pos;
  if (body.starts_with(dash_boundary)) {
    pos = dash_boundary.size();
  } else {
    const size_t found = body.find(delimiter);
    if (found == std::string_view::npos) return Malformed("the first boundary is missing");
    pos = found + delimiter.size();
  }
  std::vector<MultipartPart> parts;
  while (true) {
    // After a boundary: "--" closes the body; else transport padding and
    // CRLF, then the part.
    if (body.substr(pos, 2) == "--") return parts;
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (body.substr(pos, 2) != "\r\n") {
      return Malformed("a boundary is not followed by a line break");
    }
    pos += 2;
    if (parts.size() == kMaxMultipartParts) {
      return Malformed(fmt::format("more than {} parts", kMaxMultipartParts));
    }
    // Headers end at the first blank line; a part with no headers at all
    // starts with that blank line itself.
    size_t headers_end;
    size_t content_start;
    if (body.substr(pos, 2) == "\r\n") {
      headers_end = pos;
      content_start = pos + 2;
    } else {
      const size_t blank = body.find("\r\n\r\n", pos);
      if (blank == std::string_view::npos) return Malformed("a part's headers never end");
      headers_end = blank;
      content_start = blank + 4;
    }
    if (headers_end - pos > kMaxPartHeaderBytes) {
      return Malformed(
          fmt::format("a part's headers are longer than {} bytes", kMaxPartHeaderBytes));
    }
    MultipartPart part;
    RETURN_IF_ERROR(ReadPartHeaders(body.substr(pos, headers_end - pos), &part));
    const size_t content_end = body.find(delimiter, content_start);
    if (content_end == std::string_view::npos) {
      return Malformed("the body ends before the closing boundary");
    }
    part.body = std::string(body.substr(content_start, content_end - content_start));
    parts.push_back(std::move(part));
    pos = content_end + delimiter.size();
  }
}

}  // namespace rollcall::web
