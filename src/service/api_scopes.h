// api_scopes.h
//
// What an API token for an integration may do: a small fixed set of
// scopes, each allowing a few actions (access.cc maps every action to the
// scope it needs; an action no scope names is refused to every token).
// docs/api-tokens.md lists them for the school.
//
//   read:figures   school and cohort figures, dashboards and the classes
//   read:pupils    pupils, their summaries, marks and amendments, registers
//   write:marks    record and amend marks through the register API
//   read:casework  CME, support, penalty, leave and absence-report casework,
//                  contact logs and the notifications owed to the LA
//   read:exports   the whole-school data export
//
// Whatever its scopes, a token never manages accounts, settings or tokens.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rollcall::service {

// Stored by name (ApiScopeName): never rename one.
enum class ApiScope : uint8_t {
  kReadFigures = 1,
  kReadPupils,
  kWriteMarks,
  kReadCasework,
  kReadExports,
};

inline constexpr std::array<ApiScope, 5> kApiScopes = {
    ApiScope::kReadFigures, ApiScope::kReadPupils, ApiScope::kWriteMarks, ApiScope::kReadCasework,
    ApiScope::kReadExports};

// "read:figures", ...
std::string_view ApiScopeName(ApiScope scope);
std::optional<ApiScope> ApiScopeFromName(std::string_view name);
// In words for the head: "Read school and class figures".
std::string_view ApiScopeText(ApiScope scope);

// The names space-separated, in kApiScopes order, as stored.
std::string ApiScopesText(const std::vector<ApiScope>& scopes);
// The scopes of a stored text; nullopt when a name is unknown.
std::optional<std::vector<ApiScope>> ApiScopesFromText(std::string_view text);

}  // namespace rollcall::service
