// roles.cc: role names as they appear in the API and the database.
#include "store/store.h"

namespace rollcall::store {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kTeacher:
      return "teacher";
    case Role::kOffice:
      return "office";
    case Role::kHead:
      return "head";
    case Role::kGovernor:
      return "governor";
    case Role::kLaOfficer:
      return "la";
    case Role::kParent:
      return "parent";
  }
  core::Unreachable();
}

std::optional<Role> RoleFromName(std::string_view name) {
  for (Role r : {Role::kTeacher, Role::kOffice, Role::kHead, Role::kGovernor, Role::kLaOfficer,
                 Role::kParent}) {
    if (RoleName(r) == name) return r;
  }
  return std::nullopt;
}

}  // namespace rollcall::store
