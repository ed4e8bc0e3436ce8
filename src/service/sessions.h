// sessions.h
//
// Logins: checking a password, the throttling of failed logins, and the
// login sessions that follow, with a short-lived cache of them so that most
// requests read no session from the store. The web's cookies and whatever
// else comes to hold a session token (the command line) go through here, so
// every caller meets the same limits and the same expiry. API tokens for
// other systems are not sessions: api_tokens.h.
//
// Callable from any thread, the web server's login pool among them: a
// password is hashed or verified with no lock held, and the school's lock
// is taken only to read an account.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "service/access.h"
#include "service/accounts.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::service {

struct SessionOptions {
  int64_t session_seconds = 8 * 3600;  // a login lasts a working day
  // Failed logins for one username from one address before that pair waits:
  // 30 s after the 5th, doubling with each further failure up to the window.
  // Other addresses, and other users at the same address, are not held up.
  int login_failures_allowed = 5;
  int64_t login_window_seconds = 15 * 60;  // failures are forgotten after this quiet
  // Failed logins from one address, any username, within the window before
  // that address may try no more (a school's staff share one address).
  int login_address_failures_allowed = 100;
  // A session read from the store is trusted this long before the store is
  // asked again, so a session ended elsewhere (another process, a deleted
  // row) stops working within this time.
  int64_t session_recheck_seconds = 5;
  // A session's last_seen_at is written at most this often: each request
  // would otherwise be a write. The idle limit is therefore kept to within
  // this much.
  int64_t last_seen_write_seconds = 60;
};

// A login session just opened.
struct NewSession {
  store::User user;
  std::string token;  // for the caller to hand back later; only its hash is stored
  std::string csrf;   // the token state-changing requests of this session carry
};

// The login session a token stands for.
struct ActiveSession {
  Principal who;
  std::string csrf;
};

class Sessions {
 public:
  Sessions(School& school, Accounts& accounts, SessionOptions options = {});

  // Checks `password` for the active account `username`, tried from
  // `address`, and opens a session. Unauthenticated LOGIN_FAILED for a wrong
  // password or an unknown username alike (both take as long), and
  // LOGIN_THROTTLED while that username and address, or that address, has
  // failed too often; InvalidArgument for an over-long username or password.
  core::StatusOr<NewSession> Login(std::string_view username, std::string_view password,
                                   std::string_view address, int64_t now);
  // The session of `token`, which counts as used now: Unauthenticated
  // NOT_LOGGED_IN when there is none, it has expired (8 hours) or ended, or
  // its account is no longer active, and SESSION_IDLE when it went unused for
  // the school's session_idle_minutes (it ends); the store's error when it
  // cannot be asked or the use cannot be recorded.
  core::StatusOr<ActiveSession> Lookup(std::string_view token, int64_t now);
  // Ends the session of `token` (no error when there is none).
  core::Status Logout(std::string_view token);

  // The caller's own new password (Accounts::ChangeOwnPassword), once
  // `current` has been checked as a login is (a wrong one counts as a failed
  // login from `address`). Every session of the account ends, the caller's
  // too: they carry on in the new one returned. Should that one fail to
  // open, the password is changed all the same and the error says so.
  core::StatusOr<NewSession> ChangeOwnPassword(const Principal& who, const std::string& current,
                                               const std::string& next, std::string_view address,
                                               int64_t now);
  // Someone else's new password (Accounts::ResetPassword); every session of
  // that account ends.
  core::Status ResetPassword(const Principal& who, int64_t user_id, const std::string& next);
  // Ends every login session of `user_id` at once, here and in the store (a
  // second factor reset, or anything else that must sign a person out
  // everywhere). The caller has checked that it may.
  core::Status EndAllFor(int64_t user_id);
  // The school's idle limit in minutes (settings.session_idle_minutes).
  int IdleMinutes() const;

  // The account of a set-password link (Accounts::LinkAccount), tried from
  // `address`: a link that is not right, used or ended counts as a failed
  // login from that address, and is throttled as logins are.
  core::StatusOr<store::User> CheckLink(std::string_view token, std::string_view address,
                                        int64_t now);
  // Sets the password with the link (Accounts::UseLink), throttled as
  // CheckLink, and opens a session: the person is logged in.
  core::StatusOr<NewSession> UseLink(std::string_view token, const std::string& password,
                                     std::string_view address, int64_t now);
  // Disables or re-enables an account (Accounts::SetActive); a disabled
  // account's sessions end at once.
  core::Status SetActive(const Principal& who, int64_t user_id, bool active, int64_t now);

  // Drops every cached session, so that each is read from the store again:
  // after the school is read again, since another process may have ended
  // sessions or changed passwords.
  void ForgetCached();

 private:
  // Ok unless `username` from `address`, or `address`, has to wait.
  core::Status ThrottleCheck(const std::string& username, const std::string& address, int64_t now);
  void RecordFailure(const std::string& username, const std::string& address, int64_t now);
  void RecordSuccess(const std::string& username, const std::string& address);
  // Checks `password` for `user` (nullopt: no such account), with
  // throttling; Unauthenticated LOGIN_FAILED when wrong.
  core::Status CheckPassword(const std::string& username, const std::optional<store::User>& user,
                             std::string_view password, const std::string& address, int64_t now);
  // A new session for `user`, whose password has been checked.
  core::StatusOr<NewSession> Open(const store::User& user, int64_t now);
  // Forgets the cached sessions of `user_id`.
  void ForgetCachedOf(int64_t user_id);

  School& school_;
  Accounts& accounts_;
  const SessionOptions options_;

  struct CachedSession {
    store::AuthSession session;
    int64_t checked_at = 0;  // when the store last confirmed it
  };
  std::mutex sessions_mu_;                         // guards sessions_
  std::map<std::string, CachedSession> sessions_;  // by token hash

  struct PairFailures {
    int count = 0;     // consecutive failures, none apart by more than the window
    int64_t last = 0;  // the latest
  };
  std::mutex throttle_mu_;  // guards pair_failures_ and address_failures_
  std::map<std::pair<std::string, std::string>, PairFailures> pair_failures_;  // username, address
  std::map<std::string, std::vector<int64_t>> address_failures_;  // address -> failure times
};

}  // namespace rollcall::service
