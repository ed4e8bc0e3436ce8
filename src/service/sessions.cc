// sessions.cc: logins, their throttling and login sessions (sessions.h).
#include "service/sessions.h"

#include <fmt/format.h>

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
  std::lock_guard lock(pending_mu_);
  // Each new one sweeps out the expired, so the map stays small.
  std::erase_if(pending_, [&](const auto& e) { return e.second.expires_at <= now; });
  pending_[TokenHash(pending.token)] =
      PendingEntry{.user_id = user.id, .must_enrol = must_enrol, .expires_at = pending.expires_at};
  step.pending = std::move(pending);
  return step;
}

core::StatusOr<PendingLogin> Sessions::Pending(std::string_view token, int64_t now) {
  const core::Status ended = core::Unauthenticated(
      core::kErrPendingLoginEnded, "this login has ended: log in again with your password");
  if (token.empty() || token.size() > 128) return ended;
  PendingEntry entry;
  {
    std::lock_guard lock(pending_mu_);
    auto it = pending_.find(TokenHash(token));
    if (it == pending_.end()) return ended;
    if (it->second.expires_at <= now) {
      pending_.erase(it);
      return ended;
    }
    entry = it->second;
  }
  std::optional<store::User> user = accounts_.User(entry.user_id);
  if (!user || !user->active) {
    EndPending(token);
    return ended;
  }
  return PendingLogin{std::string(token), *user, entry.must_enrol, entry.expires_at};
}

void Sessions::EndPending(std::string_view token) {
  std::lock_guard lock(pending_mu_);
  pending_.erase(TokenHash(token));
}

core::Status Sessions::PendingCodeWrong(const std::string& hash, const std::string& username,
                                        const std::string& address, const core::Status& wrong,
                                        int64_t now) {
  RecordCodeFailure(username, address, now);
  std::lock_guard lock(pending_mu_);
  auto it = pending_.find(hash);
  if (it == pending_.end()) return wrong;
  const int left = options_.pending_login_wrong_codes - ++it->second.wrong_codes;
  if (left <= 0) {
    pending_.erase(it);
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
  RecordSuccess(pending.user.username + kCodeThrottleSuffix, addr);
  EndPending(token);
  return Open(pending.user, now);
}

core::StatusOr<SecondFactorEnrolment> Sessions::PendingEnrolment(std::string_view token,
                                                                 int64_t now) {
  ASSIGN_OR_RETURN(const PendingLogin pending, Pending(token, now));
  if (!pending.must_enrol) {
    return core::Conflict(core::kErrSecondFactorEnrolled,
                          "this account has a second factor: type a code from its app");
  }
  bool begun = false;
  {
    std::lock_guard lock(pending_mu_);
    auto it = pending_.find(TokenHash(token));
    if (it != pending_.end()) {
      begun = it->second.enrolment_begun;
      it->second.enrolment_begun = true;
    }
  }
  if (begun) {
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
  EndPending(token);
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
    RecordCodeFailure(user->username, addr, now);
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
    RecordCodeFailure(user->username, addr, now);
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

void Sessions::RecordCodeFailure(const std::string& username, const std::string& address,
                                 int64_t now) {
  const std::string key = username + kCodeThrottleSuffix;
  RecordFailure(key, address, now);
  // The account's count from anywhere: the pair only, so that the
  // per-address ceiling is not shared by every account's codes.
  std::lock_guard lock(throttle_mu_);
  PairFailures& f = pair_failures_[{key, kAnyAddress}];
  if (now - f.last > options_.login_window_seconds) f.count = 0;
  ++f.count;
  f.last = now;
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
    RecordFailure(kLinkThrottleKey, addr, now);
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
// ceiling per address stops one place trying many accounts.
core::Status Sessions::ThrottleCheck(const std::string& username, const std::string& address,
                                     int64_t now) {
  const int64_t window = options_.login_window_seconds;
  std::lock_guard lock(throttle_mu_);
  if (auto it = address_failures_.find(address); it != address_failures_.end()) {
    std::erase_if(it->second, [&](int64_t t) { return t <= now - window; });
    if (it->second.empty()) {
      address_failures_.erase(it);
    } else if (static_cast<int>(it->second.size()) >= options_.login_address_failures_allowed) {
      return core::Unauthenticated(
          core::kErrLoginThrottled,
          fmt::format("too many failed logins from this address: try again in {}",
                      LoginWaitText(it->second.front() + window - now)));
    }
  }
  auto it = pair_failures_.find({username, address});
  if (it == pair_failures_.end()) return core::OkStatus();
  const PairFailures& f = it->second;
  if (now - f.last > window) {
    pair_failures_.erase(it);
    return core::OkStatus();
  }
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

void Sessions::RecordFailure(const std::string& username, const std::string& address, int64_t now) {
  const int64_t window = options_.login_window_seconds;
  std::lock_guard lock(throttle_mu_);
  // Bounded memory under a flood of made-up usernames: forget quiet pairs.
  if (pair_failures_.size() > 10000) {
    std::erase_if(pair_failures_, [&](const auto& e) { return now - e.second.last > window; });
  }
  PairFailures& f = pair_failures_[{username, address}];
  if (now - f.last > window) f.count = 0;
  ++f.count;
  f.last = now;
  address_failures_[address].push_back(now);
}

void Sessions::RecordSuccess(const std::string& username, const std::string& address) {
  std::lock_guard lock(throttle_mu_);
  pair_failures_.erase({username, address});
}

core::Status Sessions::CheckPassword(const std::string& username,
                                     const std::optional<store::User>& user,
                                     std::string_view password, const std::string& address,
                                     int64_t now) {
  RETURN_IF_ERROR(ThrottleCheck(username, address, now));
  // Verify against a fixed hash for unknown users too, so that timing does
  // not tell which usernames exist.
  static const std::string kDummyHash = [] {
    core::StatusOr<std::string> h = HashPassword("no such user", HashCost::kInteractive);
    return h.ok() ? *h : std::string();
  }();
  const bool ok = VerifyPassword(password, user ? user->password_hash : kDummyHash) && user;
  if (!ok) {
    RecordFailure(username, address, now);
    return core::Unauthenticated(core::kErrLoginFailed, "the username or password is not right");
  }
  RecordSuccess(username, address);
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
