// jobs.cc: the leases of scheduled jobs that must run once (jobs.h).
#include "service/jobs.h"

#include <fmt/format.h>
#include <unistd.h>

#include <array>

#include "service/password.h"

namespace rollcall::service {

namespace {

std::string ProcessHolder() {
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) != 0 || host[0] == '\0') {
    return fmt::format("unknown-host:{}:{}", getpid(), RandomToken(6));
  }
  // The random part tells apart two processes that share a host name and a
  // pid: containers, each of which starts its server as pid 1.
  return fmt::format("{}:{}:{}", std::string(host.data()).substr(0, 150), getpid(), RandomToken(6));
}

}  // namespace

Jobs::Jobs(School& school, std::string holder)
    : school_(school), holder_(holder.empty() ? ProcessHolder() : std::move(holder)) {}

core::StatusOr<bool> Jobs::Claim(std::string_view job, int64_t lease_seconds) {
  const int64_t now = school_.clock().NowSeconds();
  std::lock_guard lock(mu_);
  // A lease of ours with more than half left runs on without a write: the
  // holder of every job writes once per half lease, not once per round.
  if (auto it = held_.find(job); it != held_.end() && it->second - now > lease_seconds / 2) {
    return true;
  }
  ASSIGN_OR_RETURN(const bool taken,
                   school_.store().TryTakeLease(job, holder_, now, now + lease_seconds));
  if (taken) {
    held_.insert_or_assign(std::string(job), now + lease_seconds);
  } else if (auto it = held_.find(job); it != held_.end()) {
    held_.erase(it);
  }
  return taken;
}

core::Status Jobs::ReleaseAll() {
  std::lock_guard lock(mu_);
  core::Status first = core::OkStatus();
  for (const auto& [job, until] : held_) {
    if (core::Status s = school_.store().ReleaseLease(job, holder_); !s.ok() && first.ok()) {
      first = s;
    }
  }
  held_.clear();
  return first;
}

}  // namespace rollcall::service
