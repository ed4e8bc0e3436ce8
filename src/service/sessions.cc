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

// "45 seconds" or "4 minutes": how long a throttled login waits.
std::string LoginWaitText(int64_t seconds) {
  if (seconds < 120) return Plural(std::max<int64_t>(seconds, 1), "second");
  return Plural((seconds + 59) / 60, "minute");
}

}  // namespace

Sessions::Sessions(School& school, Accounts& accounts, SessionOptions options)
    : school_(school), accounts_(accounts), options_(options) {}

core::StatusOr<NewSession> Sessions::Login(std::string_view username, std::string_view password,
                                           std::string_view address, int64_t now) {
  if (username.size() > 64 || password.size() > 256) {
    return core::InvalidArgument(core::kErrValueInvalid, "username or password too long");
  }
  const std::string name(username);
  std::optional<store::User> user = accounts_.ActiveUserNamed(name);
  RETURN_IF_ERROR(CheckPassword(name, user, password, std::string(address), now));
  return Open(*user, now);
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

core::StatusOr<NewSession> Sessions::UseLink(std::string_view token, const std::string& password,
                                             std::string_view address, int64_t now) {
  RETURN_IF_ERROR(CheckLink(token, address, now).status());
  ASSIGN_OR_RETURN(store::User user, accounts_.UseLink(token, password, now));
  ForgetCachedOf(user.id);
  return Open(user, now);
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
