// hosted.cc: choosing a school per request, and keeping the browser under
// the school's path prefix.
#include "web/hosted.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>
#include <utility>

#include "core/error_codes.h"
#include "web/app.h"

namespace rollcall::web {
namespace {

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::string Lowered(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), Lower);
  return out;
}

bool IsUrn(std::string_view urn) {
  if (urn.empty() || urn.size() > 64) return false;
  return std::all_of(urn.begin(), urn.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

bool IsHostName(std::string_view host) {
  if (host.empty() || host.size() > 253 || host.front() == '.' || host.front() == '-' ||
      host.back() == '.' || host.find("..") != std::string_view::npos) {
    return false;
  }
  return std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
  });
}

core::Status FileError(const std::string& path, int line, const std::string& problem) {
  return core::InvalidArgument(core::kErrSchoolsFile,
                               fmt::format("{}, line {}: {}", path, line, problem));
}

// "/s/" then a URN, as a request's target starts under a prefix.
constexpr std::string_view kPrefixStart = "/s/";

// An attribute whose value is a URL on this site when it starts with '/'.
bool HoldsUrl(std::string_view name) {
  static constexpr std::string_view kNames[] = {"href",       "src",       "action",
                                                "formaction", "hx-get",    "hx-post",
                                                "hx-put",     "hx-delete", "hx-patch"};
  if (name.starts_with("data-")) return true;
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

bool RootRelative(std::string_view url) {
  return url.starts_with('/') && !url.starts_with("//") && !url.starts_with("/\\");
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

Response Finished(Response res, bool secure) {
  res.headers.emplace_back("Cache-Control", "no-store");
  AddSecurityHeaders(res, secure);
  return res;
}

}  // namespace

core::StatusOr<std::vector<SchoolsFileEntry>> ParseSchoolsFile(std::string_view text,
                                                               const std::string& path) {
  std::vector<SchoolsFileEntry> entries;
  std::map<std::string, int> urn_lines;
  std::map<std::string, int> host_lines;
  int number = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++number;
    if (const size_t hash = line.find('#'); hash != std::string_view::npos) {
      line = line.substr(0, hash);
    }
    std::vector<std::string> words;
    std::istringstream in{std::string(line)};
    for (std::string word; in >> word;) words.push_back(std::move(word));
    if (words.empty()) continue;
    SchoolsFileEntry entry;
    entry.line = number;
    entry.urn = words[0];
    if (!IsUrn(entry.urn)) {
      return FileError(
          path, number,
          fmt::format("'{}' is not a URN (1 to 64 letters, digits, '-' or '_')", entry.urn));
    }
    if (auto [it, added] = urn_lines.emplace(entry.urn, number); !added) {
      return FileError(path, number,
                       fmt::format("URN {} is listed already, on line {}", entry.urn, it->second));
    }
    for (size_t w = 1; w < words.size(); ++w) {
      std::string host = Lowered(words[w]);
      if (!IsHostName(host)) {
        return FileError(path, number,
                         fmt::format("'{}' is not a host name (letters, digits, '-' and '.'; no "
                                     "port, no scheme, no path)",
                                     words[w]));
      }
      if (auto [it, added] = host_lines.emplace(host, number); !added) {
        return FileError(path, number,
                         fmt::format("host {} is listed already, on line {}", host, it->second));
      }
      entry.hosts.push_back(std::move(host));
    }
    entries.push_back(std::move(entry));
  }
  if (entries.empty()) {
    return core::InvalidArgument(
        core::kErrSchoolsFile,
        fmt::format("{}: lists no school (one a line: URN [HOST ...])", path));
  }
  return entries;
}

core::StatusOr<std::vector<SchoolsFileEntry>> ReadSchoolsFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return core::InvalidArgument(core::kErrFileRead,
                                 fmt::format("--schools {}: cannot read the file", path));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return core::InvalidArgument(core::kErrFileRead, fmt::format("{}: read failed", path));
  }
  return ParseSchoolsFile(text.str(), path);
}

std::string HostName(std::string_view host_header) {
  std::string_view host = host_header;
  if (host.starts_with('[')) {
    const size_t close = host.find(']');
    if (close != std::string_view::npos) host = host.substr(0, close + 1);
  } else if (const size_t colon = host.find(':'); colon != std::string_view::npos) {
    host = host.substr(0, colon);
  }
  // A fully qualified name may end in '.': the same host.
  if (host.ends_with('.')) host.remove_suffix(1);
  return Lowered(host);
}

std::string PrefixLocation(std::string_view prefix, std::string_view location) {
  if (!RootRelative(location)) return std::string(location);
  return std::string(prefix) + std::string(location);
}

std::string PrefixCookiePath(std::string_view prefix, std::string_view set_cookie) {
  std::string out;
  bool had_path = false;
  size_t start = 0;
  while (start <= set_cookie.size()) {
    size_t end = set_cookie.find(';', start);
    if (end == std::string_view::npos) end = set_cookie.size();
    std::string_view part = set_cookie.substr(start, end - start);
    if (start > 0) out += ';';
    // Attributes after the first part are " Name=value".
    size_t lead = 0;
    while (lead < part.size() && part[lead] == ' ') ++lead;
    const std::string_view attribute = part.substr(lead);
    if (start > 0 && Lowered(attribute.substr(0, 5)) == "path=") {
      const std::string_view path = attribute.substr(5);
      out += part.substr(0, lead);
      out += "Path=";
      out += prefix;
      out += path.starts_with('/') ? path : "/";
      had_path = true;
    } else {
      out += part;
    }
    start = end + 1;
  }
  if (!had_path) out += fmt::format("; Path={}/", prefix);
  return out;
}

std::string PrefixHtml(std::string_view prefix, std::string_view html) {
  std::string out;
  out.reserve(html.size() + html.size() / 16);
  const size_t n = html.size();
  size_t i = 0;
  while (i < n) {
    // Comments and declarations are copied whole.
    if (html.substr(i).starts_with("<!--")) {
      size_t end = html.find("-->", i + 4);
      end = end == std::string_view::npos ? n : end + 3;
      out += html.substr(i, end - i);
      i = end;
      continue;
    }
    if (html[i] != '<' || i + 1 >= n || !std::isalpha(static_cast<unsigned char>(html[i + 1]))) {
      out += html[i++];
      continue;
    }
    // A start tag: its name, then its attributes up to '>'.
    size_t j = i + 1;
    while (j < n && !IsSpace(html[j]) && html[j] != '>' && html[j] != '/') ++j;
    out += html.substr(i, j - i);
    while (j < n && html[j] != '>') {
      if (IsSpace(html[j]) || html[j] == '/') {
        out += html[j++];
        continue;
      }
      size_t name_end = j;
      while (name_end < n && !IsSpace(html[name_end]) && html[name_end] != '=' &&
             html[name_end] != '>' && html[name_end] != '/') {
        ++name_end;
      }
      if (name_end == j) {  // a stray '=': copied
        out += html[j++];
        continue;
      }
      const std::string name = Lowered(html.substr(j, name_end - j));
      out += html.substr(j, name_end - j);
      j = name_end;
      if (j >= n || html[j] != '=') continue;  // an attribute without a value
      out += html[j++];
      size_t value_start = j;
      size_t value_end = j;
      char quote = 0;
      if (j < n && (html[j] == '"' || html[j] == '\'')) {
        quote = html[j];
        value_start = j + 1;
        value_end = html.find(quote, value_start);
        if (value_end == std::string_view::npos) value_end = n;
      } else {
        while (value_end < n && !IsSpace(html[value_end]) && html[value_end] != '>') ++value_end;
      }
      const std::string_view value = html.substr(value_start, value_end - value_start);
      if (quote) out += quote;
      if (HoldsUrl(name) && RootRelative(value)) out += prefix;
      out += value;
      j = value_end;
      if (quote && j < n) out += html[j++];  // the closing quote
    }
    i = j;
  }
  return out;
}

Hosted::Hosted(std::vector<HostedSchool> schools, bool secure_cookies, RequestHandler* fallback)
    : schools_(std::move(schools)), secure_(secure_cookies), fallback_(fallback) {
  for (HostedSchool& school : schools_) {
    for (std::string& host : school.hosts) host = HostName(host);
  }
}

Hosted::Routed Hosted::Route(const Request& request) const {
  const std::string_view target = request.target;
  if (target.starts_with(kPrefixStart)) {
    const std::string_view rest = target.substr(kPrefixStart.size());
    const size_t end = rest.find_first_of("/?");
    const std::string_view urn = rest.substr(0, end);
    for (const HostedSchool& school : schools_) {
      if (school.urn != urn) continue;
      Routed routed{&school, "", fmt::format("/s/{}", urn)};
      // "/s/URN" and "/s/URN?x" leave the target empty or a bare query:
      // Handle sends the browser to "/s/URN/".
      routed.target = end == std::string_view::npos ? "" : std::string(rest.substr(end));
      return routed;
    }
  }
  const std::string host = HostName(request.host);
  if (!host.empty()) {
    for (const HostedSchool& school : schools_) {
      if (std::find(school.hosts.begin(), school.hosts.end(), host) != school.hosts.end()) {
        return Routed{&school, std::string(target), ""};
      }
    }
  }
  return Routed{};
}

bool Hosted::ForFallback(const Request& request, const Routed& routed) const {
  // A fallback answers what names no school; "/s/..." with a URN this
  // process does not hold names one, wrongly, and is not the fallback's.
  return !routed.school && fallback_ != nullptr && !request.target.starts_with(kPrefixStart);
}

bool Hosted::HashesPasswords(const Request& request) const {
  const Routed routed = Route(request);
  if (ForFallback(request, routed)) return fallback_->HashesPasswords(request);
  if (!routed.school || !routed.target.starts_with('/')) return false;
  Request bare;
  bare.method = request.method;
  bare.target = routed.target;
  return routed.school->app->HashesPasswords(bare);
}

Response Hosted::Handle(const Request& request) {
  const Routed routed = Route(request);
  if (ForFallback(request, routed)) return fallback_->Handle(request);
  if (!routed.school) {
    if (request.target == "/healthz" || request.target.starts_with("/healthz?")) {
      return Finished(JsonResponse(R"({"status":"ok"})"), secure_);
    }
    // Lists nothing: which schools this service holds is not for strangers.
    return Finished(HtmlResponse("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                                 "<title>Not found</title></head><body><h1>Not found</h1>"
                                 "<p>No school is served at this address.</p></body></html>",
                                 http::status::not_found),
                    secure_);
  }
  if (!routed.target.starts_with('/')) {
    // The prefix without its slash: the school's pages are under "/s/URN/".
    return Finished(Redirect(routed.prefix + "/" + routed.target), secure_);
  }
  if (routed.prefix.empty()) return routed.school->app->Handle(request);
  Request inner = request;
  inner.target = routed.target;
  inner.base_path = routed.prefix;
  Response res = routed.school->app->Handle(inner);
  for (auto& [name, value] : res.headers) {
    const std::string lowered = Lowered(name);
    if (lowered == "location" || lowered == "hx-redirect" || lowered == "hx-location" ||
        lowered == "content-location") {
      value = PrefixLocation(routed.prefix, value);
    } else if (lowered == "set-cookie") {
      value = PrefixCookiePath(routed.prefix, value);
    }
  }
  if (Lowered(res.content_type).starts_with("text/html")) {
    res.body = PrefixHtml(routed.prefix, res.body);
  }
  return res;
}

}  // namespace rollcall::web
