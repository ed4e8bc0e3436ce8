// sessions.cc: logins, their throttling and login sessions (sessions.h).
#include "service/sessions.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/error_codes.h"
#include "service/password.h"
#include "service/records.h"
#include "service/words.h"

namespace rollcall::service {

namespace {

// The throttle's username for set-password links: no username has a space,
// so it is never a real account's.
constexpr char kLinkThrottleKey[] = "set-password link";
// The throttle's key for wrong codes is the username and this (no username
// has a space), kept apart from wrong passwords: a right password must not
// wipe out the count of wrong codes.
constexpr char kCodeThrottleSuffix[] = " code";
// The throttle's address for an account's wrong codes from anywhere: no
// address has a space. Someone who has the password tries codes from many
// addresses; the account's owner is held up too, but only for seconds.
constexpr char kAnyAddress[] = "any address";

// "45 seconds" or "4 minutes": how long a throttled login waits.
std::string LoginWaitText(int64_t seconds) {
  if (seconds < 120) return Plural(std::max<int64_t>(seconds, 1), "second");
  return Plural((seconds + 59) / 60, "minute");
}

}  // namespace

Sessions::Sessions(School& school, Accounts& accounts, SecondFactors& second_factors,
                   SessionOptions options)
    : school_(school), accounts_(accounts), second_factors_(second_factors), options_(options) {}

core::StatusOr<NewSession> Sessions::Login(std::string_view username, std::string_view password,
                                           std::string_view address, int64_t now) {
  if (username.size() > 64 || password.size() > 256) {
    return core::InvalidArgument(core::kErrValueInvalid, "username or password too long");
  }
  const std::string name(username);
  std::optional<store::User> user = accounts_.ActiveUserNamed(name);
  RETURN_IF_ERROR(CheckPassword(name, user, password, std::string(address), now));
  ASSIGN_OR_RETURN(const bool enrolled, second_factors_.Enrolled(user->id));
  ASSIGN_OR_RETURN(const bool must_enrol, second_factors_.MustEnrol(*user));
  if (enrolled || must_enrol) {
    return core::Unauthenticated(core::kErrSecondFactorNeeded,
                                 "this account needs a one-time code: log in on the login page "
                                 "(other systems use an API token)");
  }
  return Open(*user, now);
}

core::StatusOr<LoginStep> Sessions::BeginLogin(std::string_view username, std::string_view password,
                                               std::string_view address, int64_t now) {
  if (username.size() > 64 || password.size() > 256) {
    return core::InvalidArgument(core::kErrValueInvalid, "username or password too long");
  }
  const std::string name(username);
  std::optional<store::User> user = accounts_.ActiveUserNamed(name);
  RETURN_IF_ERROR(CheckPassword(name, user, password, std::string(address), now));
  return AfterPassword(*user, now);
}

core::StatusOr<LoginStep> Sessions::AfterPassword(const store::User& user, int64_t now) {
  ASSIGN_OR_RETURN(const bool enrolled, second_factors_.Enrolled(user.id));
  bool must_enrol = false;
  if (!enrolled) {
    ASSIGN_OR_RETURN(must_enrol, second_factors_.MustEnrol(user));
  }
  LoginStep step;
  if (!enrolled && !must_enrol) {
    ASSIGN_OR_RETURN(step.session, Open(user, now));
    return step;
  }
  PendingLogin pending{RandomToken(), user, must_enrol, now + options_.pending_login_seconds};
  // In the store, so that the code may be typed on whichever process the
  // next request reaches; each new one sweeps out the expired.
  RETURN_IF_ERROR(school_.store().CreatePendingLogin({.token_hash = TokenHash(pending.token),
                                                      .user_id = user.id,
                                                      .must_enrol = must_enrol,
                                                      .created_at = now,
                                                      .expires_at = pending.expires_at}));
  step.pending = std::move(pending);
  return step;
}

core::StatusOr<PendingLogin> Sessions::Pending(std::string_view token, int64_t now) {
  const core::Status ended = core::Unauthenticated(
      core::kErrPendingLoginEnded, "this login has ended: log in again with your password");
  if (token.empty() || token.size() > 128) return ended;
  const std::string hash = TokenHash(token);
  core::StatusOr<store::PendingLoginRecord> entry = school_.store().FindPendingLogin(hash);
  if (!entry.ok()) {
    if (entry.status().kind() == core::ErrorKind::kNotFound) return ended;
    return entry.status();
  }
  if (entry->expires_at <= now) {
    RETURN_IF_ERROR(school_.store().DeletePendingLogin(hash).status());
    return ended;
  }
  std::optional<store::User> user = accounts_.User(entry->user_id);
  if (!user || !user->active) {
    RETURN_IF_ERROR(school_.store().DeletePendingLogin(hash).status());
    return ended;
  }
  return PendingLogin{std::string(token), *user, entry->must_enrol, entry->expires_at};
}

void Sessions::EndPending(std::string_view token) {
  // Should the store fail, the pending login is left to expire: it opens
  // nothing without a right code, and each code is good once.
  if (core::StatusOr<bool> s = school_.store().DeletePendingLogin(TokenHash(token)); !s.ok()) {
    spdlog::warn("could not end a pending login: {}", s.status().message());
  }
}

core::Status Sessions::EndPendingOnce(std::string_view token) {
  ASSIGN_OR_RETURN(const bool deleted, school_.store().DeletePendingLogin(TokenHash(token)));
  if (!deleted) {
    return core::Unauthenticated(core::kErrPendingLoginEnded,
                                 "this login has ended: log in again with your password");
  }
  return core::OkStatus();
}

core::Status Sessions::PendingCodeWrong(const std::string& hash, const std::string& username,
                                        const std::string& address, const core::Status& wrong,
                                        int64_t now) {
  RETURN_IF_ERROR(RecordCodeFailure(username, address, now));
  // Counted in the store: wrong codes typed on several processes add up.
  core::StatusOr<int> wrong_codes = school_.store().CountPendingWrongCode(hash);
  if (!wrong_codes.ok()) {
    if (wrong_codes.status().kind() == core::ErrorKind::kNotFound) return wrong;
    return wrong_codes.status();
  }
  const int left = options_.pending_login_wrong_codes - *wrong_codes;
  if (left <= 0) {
    RETURN_IF_ERROR(school_.store().DeletePendingLogin(hash).status());
    return core::Unauthenticated(
        core::kErrPendingLoginEnded,
        fmt::format("{} wrong codes: this login has ended. Log in again with your password",
                    options_.pending_login_wrong_codes));
  }
  return core::Status(wrong.kind(), wrong.code(),
                      fmt::format("{} ({} left before this login ends)", wrong.message(),
                                  Plural(left, "try", "tries")));
}

core::StatusOr<NewSession> Sessions::FinishLogin(std::string_view token, std::string_view code,
                                                 std::string_view address, int64_t now) {
  ASSIGN_OR_RETURN(const PendingLogin pending, Pending(token, now));
  if (pending.must_enrol) {
    return core::Conflict(core::kErrSecondFactorNeeded,
                          "set up your second factor first: the school requires one");
  }
  const std::string addr(address);
  RETURN_IF_ERROR(CodeThrottleCheck(pending.user.username, addr, now));
  if (core::Status s = second_factors_.Check(pending.user.id, code, pending.user.display_name, now);
      !s.ok()) {
    if (s.code() != std::string_view(core::kErrCodeWrong)) return s;
    return PendingCodeWrong(TokenHash(token), pending.user.username, addr, s, now);
  }
  RETURN_IF_ERROR(RecordSuccess(pending.user.username + kCodeThrottleSuffix, addr));
  // Ended before the session opens, so that it cannot be finished twice:
  // of two requests with right codes at once (on two processes, say), only
  // the one whose delete removed the row goes on.
  RETURN_IF_ERROR(EndPendingOnce(token));
  return Open(pending.user, now);
}

core::StatusOr<SecondFactorEnrolment> Sessions::PendingEnrolment(std::string_view token,
                                                                 int64_t now) {
  ASSIGN_OR_RETURN(const PendingLogin pending, Pending(token, now));
  if (!pending.must_enrol) {
    return core::Conflict(core::kErrSecondFactorEnrolled,
                          "this account has a second factor: type a code from its app");
  }
  core::StatusOr<bool> begun = school_.store().BeginPendingEnrolment(TokenHash(token));
  if (!begun.ok()) {
    if (begun.status().kind() == core::ErrorKind::kNotFound) {
      return core::Unauthenticated(core::kErrPendingLoginEnded,
                                   "this login has ended: log in again with your password");
    }
    return begun.status();
  }
  if (*begun) {
    core::StatusOr<SecondFactorEnrolment> waiting = second_factors_.Waiting(pending.user.id);
    if (waiting.ok() || waiting.status().kind() != core::ErrorKind::kNotFound) return waiting;
  }
  return second_factors_.Start(pending.user.id, now);
}

core::StatusOr<EnrolledLogin> Sessions::FinishEnrolment(std::string_view token,
                                                        std::string_view code,
                                                        std::string_view address, int64_t now) {
  ASSIGN_OR_RETURN(const PendingLogin pending, Pending(token, now));
  if (!pending.must_enrol) {
    return core::Conflict(core::kErrSecondFactorEnrolled,
                          "this account has a second factor: type a code from its app");
  }
  const std::string addr(address);
  RETURN_IF_ERROR(CodeThrottleCheck(pending.user.username, addr, now));
  core::StatusOr<std::vector<std::string>> codes =
      second_factors_.Confirm(pending.user.id, code, pending.user.display_name, now);
  if (!codes.ok()) {
    if (codes.status().code() != std::string_view(core::kErrCodeWrong)) return codes.status();
    return PendingCodeWrong(TokenHash(token), pending.user.username, addr, codes.status(), now);
  }
  RETURN_IF_ERROR(EndPendingOnce(token));
  ASSIGN_OR_RETURN(NewSession session, Open(pending.user, now));
  return EnrolledLogin{std::move(session), std::move(*codes)};
}

core::Status Sessions::TurnOffSecondFactor(const Principal& who, std::string_view password,
                                           std::string_view code, std::string_view address,
                                           int64_t now) {
  RETURN_IF_ERROR(RefuseApiToken(who, "turn off a second factor"));
  std::optional<store::User> user = accounts_.User(who.user_id);
  if (!user) return core::NotFound(core::kErrUserUnknown, "no such account");
  if (password.size() > 256) {
    return core::InvalidArgument(core::kErrValueInvalid, "the password is too long");
  }
  const std::string addr(address);
  if (core::Status s = CheckPassword(user->username, user, password, addr, now); !s.ok()) {
    if (s.code() == std::string_view(core::kErrLoginFailed)) {
      return core::Unauthenticated(core::kErrLoginFailed, "the password is not right");
    }
    return s;
  }
  RETURN_IF_ERROR(CodeThrottleCheck(user->username, addr, now));
  core::Status s = second_factors_.TurnOff(who, code, now);
  if (!s.ok() && s.code() == std::string_view(core::kErrCodeWrong)) {
    RETURN_IF_ERROR(RecordCodeFailure(user->username, addr, now));
  }
  return s;
}

core::StatusOr<std::vector<std::string>> Sessions::NewRecoveryCodes(const Principal& who,
                                                                    std::string_view code,
                                                                    std::string_view address,
                                                                    int64_t now) {
  RETURN_IF_ERROR(RefuseApiToken(who, "make recovery codes"));
  std::optional<store::User> user = accounts_.User(who.user_id);
  if (!user) return core::NotFound(core::kErrUserUnknown, "no such account");
  const std::string addr(address);
  RETURN_IF_ERROR(CodeThrottleCheck(user->username, addr, now));
  core::StatusOr<std::vector<std::string>> codes = second_factors_.NewRecoveryCodes(who, code, now);
  if (!codes.ok() && codes.status().code() == std::string_view(core::kErrCodeWrong)) {
    RETURN_IF_ERROR(RecordCodeFailure(user->username, addr, now));
  }
  return codes;
}

core::Status Sessions::CodeThrottleCheck(const std::string& username, const std::string& address,
                                         int64_t now) {
  const std::string key = username + kCodeThrottleSuffix;
  core::Status s = ThrottleCheck(key, address, now);
  if (s.ok()) s = ThrottleCheck(key, kAnyAddress, now);
  if (s.ok()) return s;
  const size_t wait = s.message().find("try again");
  if (wait == std::string::npos) return s;
  return core::Status(s.kind(), s.code(),
                      "too many wrong codes for this username: " + s.message().substr(wait));
}

core::Status Sessions::RecordCodeFailure(const std::string& username, const std::string& address,
                                         int64_t now) {
  const std::string key = username + kCodeThrottleSuffix;
  RETURN_IF_ERROR(RecordFailure(key, address, now));
  // The account's count from anywhere: a pair of its own, whose address no
  // per-address ceiling ever counts (ThrottleCheck), so that ceiling is not
  // shared by every account's codes.
  return RecordFailure(key, kAnyAddress, now);
}

core::StatusOr<ActiveSession> Sessions::Lookup(std::string_view token, int64_t now) {
  if (token.empty() || token.size() > 128) {
    return core::Unauthenticated(core::kErrNotLoggedIn, "log in first");
  }
  const std::string hash = TokenHash(token);
  std::optional<store::AuthSession> session;
  {
    std::lock_guard lock(sessions_mu_);
    auto it = sessions_.find(hash);
    // Trusted only briefly: a session ended in the store (a password changed
    // by another process, a row deleted) stops working within the recheck.
    if (it != sessions_.end() && now - it->second.checked_at < options_.session_recheck_seconds &&
        now >= it->second.checked_at) {
      session = it->second.session;
    }
  }
  if (!session) {
    core::StatusOr<store::AuthSession> found = school_.store().FindAuthSession(hash);
    if (!found.ok()) {
      {
        std::lock_guard lock(sessions_mu_);
        sessions_.erase(hash);
      }
      if (found.status().kind() == core::ErrorKind::kNotFound) {
        return core::Unauthenticated(core::kErrNotLoggedIn, "your session has ended: log in again");
      }
      return found.status();
    }
    session = *found;
    std::lock_guard lock(sessions_mu_);
    sessions_[hash] = CachedSession{*session, now};
  }
  if (session->expires_at <= now) {
    {
      std::lock_guard lock(sessions_mu_);
      sessions_.erase(hash);
    }
    (void)school_.store().DeleteAuthSession(hash);
    return core::Unauthenticated(core::kErrNotLoggedIn, "your session has expired: log in again");
  }
  std::optional<Principal> who;
  int idle_minutes = 0;
  {
    auto lock = school_.Read();
    const auto& users = school_.snapshot().users;
    auto user = users.find(session->user_id);
    if (user == users.end() || !user->second.active) {
      return core::Unauthenticated(core::kErrNotLoggedIn, "this account is no longer active");
    }
    who = PrincipalOf(user->second);
    idle_minutes = school_.snapshot().settings.session_idle_minutes;
  }
  // Sessions opened before last_seen_at was kept read 0: seen when opened.
  const int64_t seen = std::max(session->last_seen_at, session->created_at);
  if (idle_minutes > 0 && now - seen >= int64_t{idle_minutes} * 60) {
    {
      std::lock_guard lock(sessions_mu_);
      sessions_.erase(hash);
    }
    // As with an expired session: should the row stay, it is refused again
    // next time, and swept out with the expired ones after its 8 hours.
    (void)school_.store().DeleteAuthSession(hash);
    return core::Unauthenticated(
        core::kErrSessionIdle,
        fmt::format("you were signed out after {} without activity: log in again",
                    Plural(idle_minutes, "minute")));
  }
  // Written at most once a minute or so: a teacher's clicks through a
  // register would otherwise each be a write.
  if (now - seen >= options_.last_seen_write_seconds) {
    RETURN_IF_ERROR(school_.store().TouchAuthSession(hash, now));
    std::lock_guard lock(sessions_mu_);
    if (auto it = sessions_.find(hash); it != sessions_.end()) {
      it->second.session.last_seen_at = std::max(it->second.session.last_seen_at, now);
    }
  }
  return ActiveSession{*who, session->csrf_token};
}

core::Status Sessions::Logout(std::string_view token) {
  const std::string hash = TokenHash(token);
  {
    std::lock_guard lock(sessions_mu_);
    sessions_.erase(hash);
  }
  return school_.store().DeleteAuthSession(hash);
}

core::StatusOr<NewSession> Sessions::ChangeOwnPassword(const Principal& who,
                                                       const std::string& current,
                                                       const std::string& next,
                                                       std::string_view address, int64_t now) {
  // Before the current password is tried: a token's guesses would count as
  // the head's failed logins.
  RETURN_IF_ERROR(RefuseApiToken(who, "change a password"));
  std::optional<store::User> user = accounts_.User(who.user_id);
  if (!user) return core::NotFound(core::kErrUserUnknown, "no such account");
  if (current.size() > 256) {
    return core::InvalidArgument(core::kErrValueInvalid, "the current password is too long");
  }
  // A wrong current password counts as a failed login (and is throttled).
  if (core::Status s = CheckPassword(user->username, user, current, std::string(address), now);
      !s.ok()) {
    if (s.code() == std::string_view(core::kErrLoginFailed)) {
      return core::Unauthenticated(core::kErrLoginFailed, "the current password is not right");
    }
    return s;
  }
  RETURN_IF_ERROR(accounts_.ChangeOwnPassword(who, current, next));
  ForgetCachedOf(user->id);
  // The store ended every session of the account with the old password, the
  // caller's too: they carry on in a new one.
  core::StatusOr<NewSession> session = Open(accounts_.User(user->id).value_or(*user), now);
  if (!session.ok()) {
    const core::Status s = session.status();
    return core::Status(s.kind(), s.code(),
                        "your password is changed, but a new login could not be opened (log in "
                        "again with the new password): " +
                            s.message());
  }
  return session;
}

core::Status Sessions::ResetPassword(const Principal& who, int64_t user_id,
                                     const std::string& next) {
  RETURN_IF_ERROR(accounts_.ResetPassword(who, user_id, next));
  ForgetCachedOf(user_id);
  return core::OkStatus();
}

core::Status Sessions::EndAllFor(int64_t user_id) {
  RETURN_IF_ERROR(school_.store().DeleteAuthSessionsOf(user_id));
  ForgetCachedOf(user_id);
  return core::OkStatus();
}

int Sessions::IdleMinutes() const {
  auto lock = school_.Read();
  return school_.snapshot().settings.session_idle_minutes;
}

core::StatusOr<store::User> Sessions::CheckLink(std::string_view token, std::string_view address,
                                                int64_t now) {
  const std::string addr(address);
  if (core::Status s = ThrottleCheck(kLinkThrottleKey, addr, now); !s.ok()) {
    const size_t wait = s.message().find("try again");
    if (wait == std::string::npos) return s;
    return core::Status(
        s.kind(), s.code(),
        "too many links that are not right were tried from here: " + s.message().substr(wait));
  }
  core::StatusOr<store::User> user = accounts_.LinkAccount(token, now);
  if (!user.ok() && user.status().kind() != core::ErrorKind::kInternal) {
    RETURN_IF_ERROR(RecordFailure(kLinkThrottleKey, addr, now));
  }
  return user;
}

core::StatusOr<LoginStep> Sessions::UseLink(std::string_view token, const std::string& password,
                                            std::string_view address, int64_t now) {
  RETURN_IF_ERROR(CheckLink(token, address, now).status());
  ASSIGN_OR_RETURN(store::User user, accounts_.UseLink(token, password, now));
  ForgetCachedOf(user.id);
  // A link resets a password, not a second factor: the code is still asked.
  return AfterPassword(user, now);
}

core::Status Sessions::SetActive(const Principal& who, int64_t user_id, bool active, int64_t now) {
  RETURN_IF_ERROR(accounts_.SetActive(who, user_id, active, now));
  ForgetCachedOf(user_id);
  return core::OkStatus();
}

void Sessions::ForgetCached() {
  std::lock_guard lock(sessions_mu_);
  sessions_.clear();
}

void Sessions::ForgetCachedOf(int64_t user_id) {
  std::lock_guard lock(sessions_mu_);
  std::erase_if(sessions_, [&](const auto& e) { return e.second.session.user_id == user_id; });
}

// Failures count per (username, address): guessing one account's password
// from one place slows down, while the same account from anywhere else, and
// everyone else behind the same address, logs in as usual. A much higher
// ceiling per address stops one place trying many accounts. The counts are
// the store's, so every process behind a load balancer holds a guesser back
// alike: five tries in all, not five on each.
core::Status Sessions::ThrottleCheck(const std::string& username, const std::string& address,
                                     int64_t now, int* pair_failures) {
  const int64_t window = options_.login_window_seconds;
  if (pair_failures != nullptr) *pair_failures = 0;
  store::Store& store = school_.store();
  // The account's wrong codes from anywhere are a pair alone: that address
  // is no place, and has no ceiling.
  if (address != kAnyAddress) {
    ASSIGN_OR_RETURN(const store::FailureCount from_address,
                     store.CountAddressFailures(address, now - window));
    if (from_address.count >= options_.login_address_failures_allowed) {
      return core::Unauthenticated(
          core::kErrLoginThrottled,
          fmt::format("too many failed logins from this address: try again in {}",
                      LoginWaitText(from_address.first + window - now)));
    }
  }
  ASSIGN_OR_RETURN(const store::FailureCount f, store.CountLoginFailures(username, address));
  // A run of failures ends after a window's quiet.
  if (f.count == 0 || now - f.last > window) return core::OkStatus();
  if (pair_failures != nullptr) *pair_failures = f.count;
  if (f.count < options_.login_failures_allowed) return core::OkStatus();
  // 30 s after the allowed failures, doubling with each one after, at most
  // the window.
  const int shift = std::min(f.count - options_.login_failures_allowed, 20);
  const int64_t delay = std::min<int64_t>(int64_t{30} << shift, window);
  if (now < f.last + delay) {
    return core::Unauthenticated(
        core::kErrLoginThrottled,
        fmt::format("too many failed logins for this username: try again in {}",
                    LoginWaitText(f.last + delay - now)));
  }
  return core::OkStatus();
}

core::Status Sessions::RecordFailure(const std::string& username, const std::string& address,
                                     int64_t now) {
  return school_.store().RecordLoginFailure({.username = username, .address = address, .at = now},
                                            options_.login_window_seconds);
}

core::Status Sessions::RecordSuccess(const std::string& username, const std::string& address) {
  return school_.store().ClearLoginFailures(username, address);
}

core::Status Sessions::CheckPassword(const std::string& username,
                                     const std::optional<store::User>& user,
                                     std::string_view password, const std::string& address,
                                     int64_t now) {
  int earlier_failures = 0;
  RETURN_IF_ERROR(ThrottleCheck(username, address, now, &earlier_failures));
  // Verify against a fixed hash for unknown users too, so that timing does
  // not tell which usernames exist.
  static const std::string kDummyHash = [] {
    core::StatusOr<std::string> h = HashPassword("no such user", HashCost::kInteractive);
    return h.ok() ? *h : std::string();
  }();
  const bool ok = VerifyPassword(password, user ? user->password_hash : kDummyHash) && user;
  if (!ok) {
    RETURN_IF_ERROR(RecordFailure(username, address, now));
    return core::Unauthenticated(core::kErrLoginFailed, "the username or password is not right");
  }
  // A right password starts the pair's count afresh; most logins have
  // nothing to clear, and write nothing here.
  if (earlier_failures > 0) RETURN_IF_ERROR(RecordSuccess(username, address));
  return core::OkStatus();
}

core::StatusOr<NewSession> Sessions::Open(const store::User& user, int64_t now) {
  NewSession out{user, RandomToken(), RandomToken(24)};
  store::AuthSession session;
  session.token_hash = TokenHash(out.token);
  session.user_id = user.id;
  session.csrf_token = out.csrf;
  session.created_at = now;
  session.expires_at = now + options_.session_seconds;
  session.last_seen_at = now;
  // Each login also sweeps out expired sessions, here and in the store.
  RETURN_IF_ERROR(school_.store().DeleteExpiredAuthSessions(now));
  RETURN_IF_ERROR(school_.store().CreateAuthSession(session));
  std::lock_guard lock(sessions_mu_);
  std::erase_if(sessions_,
                [&](const auto& entry) { return entry.second.session.expires_at <= now; });
  sessions_[session.token_hash] = CachedSession{session, now};
  return out;
}

}  // namespace rollcall::service
