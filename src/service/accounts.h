// accounts.h
//
// Staff and parent accounts: who they are and their passwords. A school
// makes its own staff and parents; an LA officer's account (many schools) is
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
  std::string role;  // its name: "teacher", "office", "head", "governor", "parent"
  std::string password;
  std::vector<int64_t> class_ids, pupil_ids;
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
  // The account as the school holds it now.
  std::optional<store::User> User(int64_t user_id) const;
  std::optional<store::User> ActiveUserNamed(std::string_view username) const;

 private:
  // Hashes and stores the password, ending the account's sessions.
  core::Status SetPassword(int64_t user_id, const std::string& password);

  School& school_;
};

}  // namespace rollcall::service
