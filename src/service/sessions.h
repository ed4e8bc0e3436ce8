// sessions.h
//
// Logins: checking a password, the throttling of failed logins, and the
// login sessions that follow, with a short-lived cache of them so that most
// requests read no session from the store. The web's cookies and whatever
// else comes to hold a session token (the command line) go through here, so
// every caller meets the same limits and the same expiry. API tokens for
// other systems are not sessions: api_tokens.h.
//
// An account with a second factor (second_factor.h), or one the school
// requires to enrol, gets no session from its password alone: BeginLogin
// answers with a pending login, a short-lived token the browser keeps in
// its own cookie, which FinishLogin (a one-time or recovery code) or
// FinishEnrolment (enrolling, then a code) turns into a session. Five wrong
// codes end a pending login; wrong codes are also throttled as wrong
// passwords are, per username and address and per username from anywhere.
//
// Nothing a login needs between requests is kept in this process: the
// counts of failed logins and wrong codes, the pending logins and their
// wrong codes, and the sessions are the store's (logins.h), so any number
// of processes behind a load balancer share them, and a restart ends no
// pending login. The one thing kept here is a short cache of sessions read
// from the store (SessionOptions::session_recheck_seconds).
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
#include <vector>

#include "core/status.h"
#include "service/access.h"
#include "service/accounts.h"
#include "service/school.h"
#include "service/second_factor.h"
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
  // The step between a right password and the code (or the enrolment it
  // needs) lasts this long, and ends at this many wrong codes.
  int64_t pending_login_seconds = 10 * 60;
  int pending_login_wrong_codes = 5;
};

// A login session just opened.
struct NewSession {
  store::User user;
  std::string token;  // for the caller to hand back later; only its hash is stored
  std::string csrf;   // the token state-changing requests of this session carry
};

// A right password that still needs a code, or an enrolment first: no
// session yet.
struct PendingLogin {
  std::string token;  // for the caller to hand back (a cookie); only its hash is kept
  store::User user;
  bool must_enrol = false;  // the school requires a second factor and the account has none
  int64_t expires_at = 0;
};

// Where a right password leads: a session, or a pending login.
struct LoginStep {
  std::optional<NewSession> session;
  std::optional<PendingLogin> pending;
};

// A login finished by enrolling: the session and the recovery codes, to be
// shown once.
struct EnrolledLogin {
  NewSession session;
  std::vector<std::string> recovery_codes;
};

// The login session a token stands for.
struct ActiveSession {
  Principal who;
  std::string csrf;
};

class Sessions {
 public:
  Sessions(School& school, Accounts& accounts, SecondFactors& second_factors,
           SessionOptions options = {});

  // Checks `password` for the active account `username`, tried from
  // `address`, and opens a session. Unauthenticated LOGIN_FAILED for a wrong
  // password or an unknown username alike (both take as long), and
  // LOGIN_THROTTLED while that username and address, or that address, has
  // failed too often; InvalidArgument for an over-long username or password;
  // Unauthenticated SECOND_FACTOR_NEEDED for an account that needs a code
  // or must enrol (BeginLogin serves those).
  core::StatusOr<NewSession> Login(std::string_view username, std::string_view password,
                                   std::string_view address, int64_t now);
  // As Login, but an account with a second factor, or one that must enrol,
  // gets a pending login instead of an error.
  core::StatusOr<LoginStep> BeginLogin(std::string_view username, std::string_view password,
                                       std::string_view address, int64_t now);
  // The pending login of `token`: Unauthenticated PENDING_LOGIN_ENDED when
  // there is none or it has expired.
  core::StatusOr<PendingLogin> Pending(std::string_view token, int64_t now);
  // Ends the pending login of `token` with a session when `code` is a
  // current one-time code or an unused recovery code of its account.
  // Unauthenticated SECOND_FACTOR_CODE_WRONG for a wrong code (the fifth
  // ends the pending login: PENDING_LOGIN_ENDED), LOGIN_THROTTLED while too
  // many wrong codes were tried; Conflict when the account must enrol first.
  core::StatusOr<NewSession> FinishLogin(std::string_view token, std::string_view code,
                                         std::string_view address, int64_t now);
  // The enrolment a pending login that must enrol shows: begun on the first
  // call, the same secret after. Conflict when it needs no enrolment.
  core::StatusOr<SecondFactorEnrolment> PendingEnrolment(std::string_view token, int64_t now);
  // Switches that enrolment on with a code from the app and opens the
  // session; wrong codes count as FinishLogin's do.
  core::StatusOr<EnrolledLogin> FinishEnrolment(std::string_view token, std::string_view code,
                                                std::string_view address, int64_t now);
  // Ends a pending login (no error when there is none).
  void EndPending(std::string_view token);

  // The caller's second factor turned off (SecondFactors::TurnOff) once
  // `password` has been checked as a login is; wrong codes are throttled as
  // FinishLogin's.
  core::Status TurnOffSecondFactor(const Principal& who, std::string_view password,
                                   std::string_view code, std::string_view address, int64_t now);
  // New recovery codes for the caller (SecondFactors::NewRecoveryCodes),
  // wrong codes throttled as FinishLogin's.
  core::StatusOr<std::vector<std::string>> NewRecoveryCodes(const Principal& who,
                                                            std::string_view code,
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
  // CheckLink, and logs the person in: a session, or a pending login when
  // the account needs a code or must enrol (as BeginLogin).
  core::StatusOr<LoginStep> UseLink(std::string_view token, const std::string& password,
                                    std::string_view address, int64_t now);
  // Disables or re-enables an account (Accounts::SetActive); a disabled
  // account's sessions end at once.
  core::Status SetActive(const Principal& who, int64_t user_id, bool active, int64_t now);

  // Drops every cached session, so that each is read from the store again:
  // after the school is read again, since another process may have ended
  // sessions or changed passwords.
  void ForgetCached();

 private:
  // Ok unless `username` from `address`, or `address`, has to wait; the
  // store's error when it cannot be asked. `pair_failures`, when given, is
  // set to the pair's failures still counting.
  core::Status ThrottleCheck(const std::string& username, const std::string& address, int64_t now,
                             int* pair_failures = nullptr);
  // A failure of `username` from `address` counted in the store.
  core::Status RecordFailure(const std::string& username, const std::string& address, int64_t now);
  // The pair's count started afresh (its failures still count for the
  // address).
  core::Status RecordSuccess(const std::string& username, const std::string& address);
  // Checks `password` for `user` (nullopt: no such account), with
  // throttling; Unauthenticated LOGIN_FAILED when wrong.
  core::Status CheckPassword(const std::string& username, const std::optional<store::User>& user,
                             std::string_view password, const std::string& address, int64_t now);
  // Ok unless `username`'s codes, from `address` or from anywhere, have
  // been wrong too often; RecordCodeFailure counts one wrong code.
  core::Status CodeThrottleCheck(const std::string& username, const std::string& address,
                                 int64_t now);
  core::Status RecordCodeFailure(const std::string& username, const std::string& address,
                                 int64_t now);
  // A session, or a pending login, for `user`, whose password is right.
  core::StatusOr<LoginStep> AfterPassword(const store::User& user, int64_t now);
  // A wrong code of the pending login `hash` counted (and throttled); the
  // error to answer, PENDING_LOGIN_ENDED at the last allowed.
  core::Status PendingCodeWrong(const std::string& hash, const std::string& username,
                                const std::string& address, const core::Status& wrong, int64_t now);
  // Deletes the pending login `token` before its session opens;
  // PENDING_LOGIN_ENDED when another request already did.
  core::Status EndPendingOnce(std::string_view token);
  // A new session for `user`, whose password has been checked.
  core::StatusOr<NewSession> Open(const store::User& user, int64_t now);
  // Forgets the cached sessions of `user_id`.
  void ForgetCachedOf(int64_t user_id);

  School& school_;
  Accounts& accounts_;
  SecondFactors& second_factors_;
  const SessionOptions options_;

  struct CachedSession {
    store::AuthSession session;
    int64_t checked_at = 0;  // when the store last confirmed it
  };
  std::mutex sessions_mu_;                         // guards sessions_
  std::map<std::string, CachedSession> sessions_;  // by token hash
};

}  // namespace rollcall::service
