// accounts.cc: accounts and passwords (accounts.h).
#include "service/accounts.h"

#include <fmt/format.h>

#include "core/error_codes.h"
#include "service/password.h"

namespace rollcall::service {

core::StatusOr<std::vector<store::User>> Accounts::Users(const Principal& who) const {
  auto lock = school_.Read();
  RETURN_IF_ERROR(school_.Allow(who, Action::kManageUsers, {}));
  std::vector<store::User> out;
  for (const auto& [id, u] : school_.snapshot().users) out.push_back(u);
  return out;
}

core::Status Accounts::MayManage(const Principal& who) const {
  auto lock = school_.Read();
  return school_.Allow(who, Action::kManageUsers, {});
}

core::StatusOr<store::User> Accounts::AddUser(const Principal& who, const NewUser& n) {
  RETURN_IF_ERROR(MayManage(who));
  RETURN_IF_ERROR(ValidateNewUser(n.username, n.password));
  std::optional<store::Role> role = store::RoleFromName(n.role);
  if (!role) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "role must be one of teacher, office, head, governor, parent");
  }
  // LA officers see many schools, so they are made by whoever runs the
  // service (`rollcall user add --role la --la-code CODE`), never by a school.
  if (*role == store::Role::kLaOfficer) {
    return core::PermissionDenied(
        core::kErrForbidden,
        "a school cannot create a local authority officer's account: the service's operator "
        "does (rollcall user add --role la)");
  }
  store::User user;
  user.username = n.username;
  user.display_name = n.display_name;
  user.role = *role;
  user.class_ids = n.class_ids;
  user.pupil_ids = n.pupil_ids;
  ASSIGN_OR_RETURN(user.password_hash, HashPassword(n.password));
  const auto write_lock = school_.BeginWrite();
  {
    auto lock = school_.Read();
    for (int64_t c : user.class_ids) {
      if (!school_.snapshot().classes.contains(c)) {
        return core::NotFound(core::kErrClassUnknown, fmt::format("no class {}", c));
      }
    }
    for (int64_t p : user.pupil_ids) {
      if (!school_.snapshot().pupil_index.contains(p)) {
        return core::NotFound(core::kErrPupilUnknown, fmt::format("no pupil {}", p));
      }
    }
  }
  ASSIGN_OR_RETURN(user.id, school_.store().AddUser(user));
  school_.Apply([&](Snapshot& s) { s.users[user.id] = user; });
  return user;
}

std::optional<store::User> Accounts::User(int64_t user_id) const {
  auto lock = school_.Read();
  auto it = school_.snapshot().users.find(user_id);
  if (it == school_.snapshot().users.end()) return std::nullopt;
  return it->second;
}

std::optional<store::User> Accounts::ActiveUserNamed(std::string_view username) const {
  auto lock = school_.Read();
  std::optional<store::User> user;
  for (const auto& [id, u] : school_.snapshot().users) {
    if (u.username == username && u.active) user = u;
  }
  return user;
}

core::Status Accounts::SetPassword(int64_t user_id, const std::string& password) {
  ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  const auto write_lock = school_.BeginWrite();
  // One transaction: the new hash, and no session of the old password left.
  RETURN_IF_ERROR(school_.store().SetPassword(user_id, hash));
  school_.Apply([&](Snapshot& s) {
    auto it = s.users.find(user_id);
    if (it != s.users.end()) it->second.password_hash = hash;
  });
  return core::OkStatus();
}

core::Status Accounts::ChangeOwnPassword(const Principal& who, const std::string& current,
                                         const std::string& next) {
  std::optional<store::User> user = User(who.user_id);
  if (!user) return core::NotFound(core::kErrUserUnknown, "no such account");
  RETURN_IF_ERROR(ValidateNewUser(user->username, next));
  if (next == current) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "the new password must differ from the current one");
  }
  return SetPassword(user->id, next);
}

core::Status Accounts::ResetPassword(const Principal& who, int64_t user_id,
                                     const std::string& next) {
  RETURN_IF_ERROR(MayManage(who));
  std::optional<store::User> user = User(user_id);
  if (!user) {
    return core::NotFound(core::kErrUserUnknown, fmt::format("no user with id {}", user_id));
  }
  if (user->role == store::Role::kLaOfficer) {
    return core::PermissionDenied(core::kErrForbidden,
                                  "an LA officer's password is reset by the service's operator "
                                  "(rollcall user password)");
  }
  if (user->id == who.user_id) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "change your own password with your current one (/account)");
  }
  RETURN_IF_ERROR(ValidateNewUser(user->username, next));
  return SetPassword(user->id, next);
}

}  // namespace rollcall::service
