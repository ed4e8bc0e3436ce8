// accounts.h
//
// Staff and parent accounts: who they are, their passwords and their login
// sessions. A school makes its own staff and parents; an LA officer's
// account (many schools) is made and reset by the service's operator on the
// command line, never by a school. Changing or resetting a password ends
// every login session of that account in the same transaction.
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
  // A new account (the head): username and password rules
  // (ValidateNewUser), a known role other than LA officer, classes and
  // children that exist.
  core::StatusOr<store::User> AddUser(const Principal& who, const NewUser& user);
  // Someone else's new password (the head); never an LA officer's, nor the
  // head's own (that takes the current one).
  core::Status ResetPassword(const Principal& who, int64_t user_id, const std::string& next);
  // The caller's own new password, once the current one has been checked
  // (`current` is only compared with `next`).
  core::Status ChangeOwnPassword(const Principal& who, const std::string& current,
                                 const std::string& next);
  // The account as the school holds it now.
  std::optional<store::User> User(int64_t user_id) const;
  std::optional<store::User> ActiveUserNamed(std::string_view username) const;

  // Login sessions (by the hash of their token). Opening one also sweeps out
  // the expired ones.
  core::Status OpenSession(const store::AuthSession& session);
  core::StatusOr<store::AuthSession> FindSession(std::string_view token_hash);
  core::Status EndSession(std::string_view token_hash);

 private:
  // Hashes and stores the password, ending the account's sessions.
  core::Status SetPassword(int64_t user_id, const std::string& password);

  School& school_;
};

}  // namespace rollcall::service
