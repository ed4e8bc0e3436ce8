// accounts.cc: accounts and passwords (accounts.h).
#include "service/accounts.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error_codes.h"
#include "service/fields.h"
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

core::StatusOr<store::User> Accounts::CheckNewUser(const NewUser& n) const {
  RETURN_IF_ERROR(ValidateUsername(n.username));
  if (n.display_name.empty()) {
    return core::InvalidArgument(core::kErrValueInvalid, "give the person's name");
  }
  std::optional<store::Role> role = store::RoleFromName(n.role);
  if (!role) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "role must be one of teacher, office, attendance, head, dsl, "
                                 "senco, governor, parent");
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
  if (!n.email.empty()) {
    if (!IsEmailAddress(n.email)) {
      return core::InvalidArgument(core::kErrValueInvalid,
                                   fmt::format("'{}' is not an email address", n.email));
    }
    if (user.role == store::Role::kParent) {
      return core::InvalidArgument(core::kErrValueInvalid,
                                   "a parent's email address is kept with their child's contacts");
    }
    user.email = n.email;
  }
  user.class_ids = n.class_ids;
  user.pupil_ids = n.pupil_ids;
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
  for (const std::string& upn : n.pupil_upns) {
    const auto& pupils = school_.snapshot().pupils;
    auto it = std::find_if(pupils.begin(), pupils.end(),
                           [&](const store::Pupil& p) { return p.upn == upn; });
    if (it == pupils.end()) {
      return core::NotFound(core::kErrPupilUnknown, fmt::format("no pupil has the UPN {}", upn));
    }
    user.pupil_ids.push_back(it->id);
  }
  return user;
}

core::StatusOr<store::User> Accounts::AddUser(const Principal& who, const NewUser& n) {
  RETURN_IF_ERROR(MayManage(who));
  RETURN_IF_ERROR(ValidateNewUser(n.username, n.password));
  ASSIGN_OR_RETURN(store::User user, CheckNewUser(n));
  ASSIGN_OR_RETURN(user.password_hash, HashPassword(n.password));
  const auto write_lock = school_.BeginWrite();
  ASSIGN_OR_RETURN(user.id, school_.store().AddUser(user));
  school_.Apply([&](Snapshot& s) { s.users[user.id] = user; });
  return user;
}

namespace {

// A new link for `user_id` (or for `new_user`, added with it): the token and
// what the store keeps of it (AddInvite ends the account's earlier links).
store::Invite MakeInvite(const Principal& who, int64_t user_id, int64_t now, std::string& token) {
  token = RandomToken();
  store::Invite invite;
  invite.user_id = user_id;
  invite.token_hash = TokenHash(token);
  invite.created_at = now;
  invite.expires_at = now + kSetPasswordLinkSeconds;
  invite.created_by = who.name;
  return invite;
}

}  // namespace

core::StatusOr<SetPasswordLink> Accounts::Invite(const Principal& who, const NewUser& n,
                                                 int64_t now) {
  RETURN_IF_ERROR(MayManage(who));
  ASSIGN_OR_RETURN(store::User user, CheckNewUser(n));
  if (user.role == store::Role::kParent && user.pupil_ids.empty()) {
    return core::InvalidArgument(core::kErrValueInvalid, "choose the parent's children");
  }
  SetPasswordLink link;
  const store::Invite invite = MakeInvite(who, 0, now, link.token);
  const auto write_lock = school_.BeginWrite();
  // The account and its first link in one transaction: never an account
  // that no one can open.
  ASSIGN_OR_RETURN(user.id, school_.store().AddInvite(invite, user));
  school_.Apply([&](Snapshot& s) { s.users[user.id] = user; });
  link.user = user;
  link.expires_at = invite.expires_at;
  return link;
}

core::StatusOr<store::User> Accounts::ManagedUser(const Principal& who, int64_t user_id) const {
  RETURN_IF_ERROR(MayManage(who));
  std::optional<store::User> user = User(user_id);
  if (!user) {
    return core::NotFound(core::kErrUserUnknown, fmt::format("no user with id {}", user_id));
  }
  if (user->role == store::Role::kLaOfficer) {
    return core::PermissionDenied(core::kErrForbidden,
                                  "an LA officer's account is managed by the service's operator "
                                  "(rollcall user)");
  }
  return *user;
}

core::StatusOr<SetPasswordLink> Accounts::NewLink(const Principal& who, int64_t user_id,
                                                  int64_t now) {
  ASSIGN_OR_RETURN(store::User user, ManagedUser(who, user_id));
  if (user.id == who.user_id) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "change your own password with your current one (Your account)");
  }
  if (!user.active) {
    return core::Conflict(core::kErrValueInvalid,
                          "this account is disabled: enable it before sending a link");
  }
  SetPasswordLink link;
  const store::Invite invite = MakeInvite(who, user.id, now, link.token);
  const auto write_lock = school_.BeginWrite();
  RETURN_IF_ERROR(school_.store().AddInvite(invite, std::nullopt).status());
  link.user = user;
  link.expires_at = invite.expires_at;
  return link;
}

core::StatusOr<store::User> Accounts::LinkAccount(std::string_view token, int64_t now) const {
  if (token.empty() || token.size() > 128) {
    return core::NotFound(core::kErrInviteUnknown, "this link is not right: ask for a new one");
  }
  core::StatusOr<store::Invite> invite = school_.store().FindInvite(TokenHash(token));
  if (!invite.ok()) {
    if (invite.status().kind() == core::ErrorKind::kNotFound) {
      return core::NotFound(core::kErrInviteUnknown, "this link is not right: ask for a new one");
    }
    return invite.status();
  }
  std::optional<store::User> user = User(invite->user_id);
  if (invite->used_at || invite->ended_at || now >= invite->expires_at || !user || !user->active) {
    return core::Conflict(core::kErrInviteEnded,
                          "this link has been used, replaced by a newer one or has expired: ask "
                          "for a new one");
  }
  return *user;
}

core::StatusOr<store::User> Accounts::UseLink(std::string_view token, const std::string& password,
                                              int64_t now) {
  ASSIGN_OR_RETURN(store::User user, LinkAccount(token, now));
  RETURN_IF_ERROR(ValidateNewUser(user.username, password));
  ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  const auto write_lock = school_.BeginWrite();
  // The store checks the link again in its transaction: of two uses at
  // once, one wins.
  RETURN_IF_ERROR(school_.store().UseInvite(TokenHash(token), hash, now));
  school_.Apply([&](Snapshot& s) {
    auto it = s.users.find(user.id);
    if (it != s.users.end()) it->second.password_hash = hash;
  });
  user.password_hash = hash;
  return user;
}

core::Status Accounts::SetEmail(const Principal& who, int64_t user_id, const std::string& text) {
  ASSIGN_OR_RETURN(const store::User managed, ManagedUser(who, user_id));
  std::string email = text;
  while (!email.empty() && (email.back() == ' ' || email.back() == '\t')) email.pop_back();
  email.erase(0, email.find_first_not_of(" \t") == std::string::npos
                     ? email.size()
                     : email.find_first_not_of(" \t"));
  if (!email.empty() && !IsEmailAddress(email)) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("'{}' is not an email address", email));
  }
  if (managed.role == store::Role::kParent) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "a parent's email address is kept with their child's contacts");
  }
  const auto write_lock = school_.BeginWrite();
  // The stored row, not the snapshot's copy, so every other column is
  // written back as it is.
  ASSIGN_OR_RETURN(store::User user, school_.store().GetUser(user_id));
  user.email = email;
  RETURN_IF_ERROR(school_.store().UpdateUser(user));
  school_.Apply([&](Snapshot& s) {
    auto it = s.users.find(user_id);
    if (it != s.users.end()) it->second.email = email;
  });
  return core::OkStatus();
}

core::Status Accounts::SetActive(const Principal& who, int64_t user_id, bool active, int64_t now) {
  ASSIGN_OR_RETURN(store::User user, ManagedUser(who, user_id));
  const auto write_lock = school_.BeginWrite();
  if (!active) {
    if (user.id == who.user_id) {
      return core::InvalidArgument(core::kErrValueInvalid, "you cannot disable your own account");
    }
    if (user.role == store::Role::kHead && user.active) {
      auto lock = school_.Read();
      int heads = 0;
      for (const auto& [id, u] : school_.snapshot().users) {
        heads += u.role == store::Role::kHead && u.active ? 1 : 0;
      }
      if (heads <= 1) {
        return core::Conflict(core::kErrValueInvalid,
                              "this is the last active head's account: the school needs one");
      }
    }
  }
  RETURN_IF_ERROR(school_.store().SetUserActive(user.id, active, now));
  school_.Apply([&](Snapshot& s) {
    auto it = s.users.find(user.id);
    if (it != s.users.end()) it->second.active = active;
  });
  return core::OkStatus();
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
  RETURN_IF_ERROR(RefuseApiToken(who, "change a password"));
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
  ASSIGN_OR_RETURN(const store::User user, ManagedUser(who, user_id));
  if (user.id == who.user_id) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "change your own password with your current one (/account)");
  }
  RETURN_IF_ERROR(ValidateNewUser(user.username, next));
  return SetPassword(user.id, next);
}

}  // namespace rollcall::service
