// api_scopes.cc: the scopes' names and words.
#include "service/api_scopes.h"

#include <algorithm>

#include "core/status.h"

namespace rollcall::service {

std::string_view ApiScopeName(ApiScope scope) {
  switch (scope) {
    case ApiScope::kReadFigures:
      return "read:figures";
    case ApiScope::kReadPupils:
      return "read:pupils";
    case ApiScope::kWriteMarks:
      return "write:marks";
    case ApiScope::kReadCasework:
      return "read:casework";
    case ApiScope::kReadExports:
      return "read:exports";
  }
  core::Unreachable();
}

std::optional<ApiScope> ApiScopeFromName(std::string_view name) {
  for (ApiScope scope : kApiScopes) {
    if (ApiScopeName(scope) == name) return scope;
  }
  return std::nullopt;
}

std::string_view ApiScopeText(ApiScope scope) {
  switch (scope) {
    case ApiScope::kReadFigures:
      return "Read school and class figures";
    case ApiScope::kReadPupils:
      return "Read pupils, their marks and registers";
    case ApiScope::kWriteMarks:
      return "Record and amend marks";
    case ApiScope::kReadCasework:
      return "Read casework (missing education, support, penalties, leave, contact logs)";
    case ApiScope::kReadExports:
      return "Download the whole school's data";
  }
  core::Unreachable();
}

std::string ApiScopesText(const std::vector<ApiScope>& scopes) {
  std::string out;
  for (ApiScope scope : kApiScopes) {
    if (std::find(scopes.begin(), scopes.end(), scope) == scopes.end()) continue;
    if (!out.empty()) out += ' ';
    out += ApiScopeName(scope);
  }
  return out;
}

std::optional<std::vector<ApiScope>> ApiScopesFromText(std::string_view text) {
  std::vector<ApiScope> out;
  while (!text.empty()) {
    const size_t space = text.find(' ');
    const std::string_view name = text.substr(0, space);
    text = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
    if (name.empty()) continue;
    const std::optional<ApiScope> scope = ApiScopeFromName(name);
    if (!scope) return std::nullopt;
    if (std::find(out.begin(), out.end(), *scope) == out.end()) out.push_back(*scope);
  }
  return out;
}

}  // namespace rollcall::service
