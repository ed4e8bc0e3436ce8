// accounts.h
//
// Staff and parent accounts: who they are and their passwords. A school
// makes its own staff and parents: the head invites each one, and the
// account gets its password from a one-time link (7 days, once, only the
// newest link of an account works) that the head hands over; the same link
// resets a forgotten password, so no one need learn another's password
// (ResetPassword, which sets a typed one, remains for the API).
// The head disables and re-enables accounts (never their own, nor the last
// active head's); an LA officer's account (many schools) is
// made and reset by the service's operator on the command line, never by a
// school. Changing or resetting a password ends every login session of that
// account in the store in the same transaction. Logins and the cache of
// their sessions are Sessions' (sessions.h): whoever serves logins changes
// and resets passwords through it, so that no cached session outlives the
// old password.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "service/access.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::service {

struct NewUser {
  std::string username, display_name;
  std::string role;      // its name: "teacher", "office", "head", "governor", "parent", ...
  std::string password;  // empty for an invitation: the link sets it
  std::vector<int64_t> class_ids, pupil_ids;
  // Children named by UPN, as the office knows them: added to pupil_ids.
  std::vector<std::string> pupil_upns;
  // Staff: where rollcall's notifications to them go; "" for none.
  std::string email;
};

// How long a link to set a password works.
inline constexpr int64_t kSetPasswordLinkSeconds = 7 * 24 * 3600;

// A link to set a password, just made: the token is shown once and only its
// hash is kept.
struct SetPasswordLink {
  store::User user;
  std::string token;  // the link is /invite/{token}
  int64_t expires_at = 0;
};

class Accounts {
 public:
  explicit Accounts(School& school) : school_(school) {}

  // Every account of the school (the head).
  core::StatusOr<std::vector<store::User>> Users(const Principal& who) const;
  // Ok when `who` may add accounts and reset passwords (the head), else
  // PermissionDenied: for callers that refuse before reading a request.
  core::Status MayManage(const Principal& who) const;
  // A new account (the head): username and password rules
  // (ValidateNewUser), a known role other than LA officer, classes and
  // children that exist.
  core::StatusOr<store::User> AddUser(const Principal& who, const NewUser& user);
  // Someone else's new password (the head); never an LA officer's, nor the
  // head's own (that takes the current one).
  core::Status ResetPassword(const Principal& who, int64_t user_id, const std::string& next);
  // The caller's own new password, once the current one has been checked
  // (Sessions::ChangeOwnPassword checks it; here `current` is only compared
  // with `next`).
  core::Status ChangeOwnPassword(const Principal& who, const std::string& current,
                                 const std::string& next);
  // A new account with no password yet and its link (the head): as AddUser,
  // but the password is set by whoever opens the link. A parent's account
  // names at least one child.
  core::StatusOr<SetPasswordLink> Invite(const Principal& who, const NewUser& user, int64_t now);
  // A new link for an existing account (the head), which ends its earlier
  // links: to send again an invitation, or to reset a forgotten password.
  // Never for an LA officer, the head's own account or a disabled one.
  core::StatusOr<SetPasswordLink> NewLink(const Principal& who, int64_t user_id, int64_t now);
  // The account of a link that can still be used: NotFound INVITE_UNKNOWN,
  // Conflict INVITE_ENDED.
  core::StatusOr<store::User> LinkAccount(std::string_view token, int64_t now) const;
  // Sets the account's password with the link (the password rules of
  // ValidateNewUser); the link is used up and every login of the account
  // ends. Returns the account.
  core::StatusOr<store::User> UseLink(std::string_view token, const std::string& password,
                                      int64_t now);
  // Disables (every login of the account ends at once and it cannot log in)
  // or re-enables an account (the head). Never an LA officer's, and never
  // the head's own or the last active head's.
  core::Status SetActive(const Principal& who, int64_t user_id, bool active, int64_t now);
  // Sets (or, with "", removes) a member of staff's email address, where
  // rollcall's notifications to them go (docs/notifications.md). The head;
  // InvalidArgument VALUE_INVALID for text that is not an email address or
  // a parent's account (parents' addresses are their child's contacts).
  core::Status SetEmail(const Principal& who, int64_t user_id, const std::string& email);

  // The account as the school holds it now.
  std::optional<store::User> User(int64_t user_id) const;
  std::optional<store::User> ActiveUserNamed(std::string_view username) const;

 private:
  // The account `n` describes, checked (username, role, classes, children),
  // without a password: the head may not make an LA officer.
  core::StatusOr<store::User> CheckNewUser(const NewUser& n) const;
  // Ok when the head may change this existing account; its record.
  core::StatusOr<store::User> ManagedUser(const Principal& who, int64_t user_id) const;
  // Hashes and stores the password, ending the account's sessions.
  core::Status SetPassword(int64_t user_id, const std::string& password);

  School& school_;
};

}  // namespace rollcall::service
