// retention.cc: retention periods and the purge (retention.h).
#include "service/retention.h"

#include <fmt/format.h>

#include <map>

#include "core/error_codes.h"
#include "core/uk_time.h"
#include "service/fields.h"
#include "service/records.h"

namespace rollcall::service {

using core::Status;
using core::StatusOr;

int64_t PurgePlan::total() const {
  int64_t n = 0;
  for (const store::PurgeCount& c : counts) n += c.rows;
  return n;
}

core::Date RetentionCutoff(core::Date today, int months) {
  const int64_t index = int64_t{today.year()} * 12 + (today.month() - 1) - months;
  const int year = static_cast<int>(index / 12);
  const unsigned month = static_cast<unsigned>(index % 12) + 1;
  for (unsigned day = today.day(); day >= 28; --day) {
    if (std::optional<core::Date> d = core::Date::FromYmd(year, month, day)) return *d;
  }
  return *core::Date::FromYmd(year, month, today.day());
}

std::string MonthsText(int months) {
  if (months % 12 == 0) {
    const int years = months / 12;
    return fmt::format("{} year{}", years, years == 1 ? "" : "s");
  }
  return fmt::format("{} month{}", months, months == 1 ? "" : "s");
}

StatusOr<std::vector<RetentionPeriod>> Retention::Periods(const Principal& who) const {
  RETURN_IF_ERROR(school_.AllowNow(who, Action::kManageRetention, {}));
  return PeriodsInForce();
}

StatusOr<std::vector<RetentionPeriod>> Retention::PeriodsInForce() const {
  ASSIGN_OR_RETURN(std::vector<store::RetentionChange> changes,
                   school_.store().ListRetentionChanges());
  std::vector<RetentionPeriod> out;
  for (const store::RetentionKind& k : store::kRetentionKinds) {
    RetentionPeriod& p = out.emplace_back();
    p.kind = &k;
    p.months = k.default_months;
    p.basis = k.default_basis;
    // Changes come by id: the last of a kind is in force.
    for (const store::RetentionChange& c : changes) {
      if (c.kind != k.name) continue;
      p.months = c.months;
      p.basis = c.basis;
      p.change = c;
    }
  }
  return out;
}

Status Retention::SetPeriod(const Principal& who, std::string_view kind, int months,
                            store::RetentionBasis basis, std::string_view reason) {
  RETURN_IF_ERROR(school_.AllowNow(who, Action::kManageRetention, {}));
  store::RetentionChange change{.kind = std::string(kind),
                                .months = months,
                                .basis = basis,
                                .reason = std::string(reason),
                                .set_at = school_.clock().NowSeconds(),
                                .set_by = who.name};
  return school_.store().AddRetentionChange(change).status();
}

StatusOr<store::RetentionSettings> Retention::Settings(const Principal& who) const {
  RETURN_IF_ERROR(school_.AllowNow(who, Action::kManageRetention, {}));
  return school_.store().GetRetentionSettings();
}

Status Retention::SetAutoPurge(const Principal& who, bool on) {
  RETURN_IF_ERROR(school_.AllowNow(who, Action::kManageRetention, {}));
  store::RetentionSettings s{
      .auto_purge = on, .set_at = school_.clock().NowSeconds(), .set_by = who.name};
  return school_.store().SaveRetentionSettings(s).status();
}

StatusOr<PurgePlan> Retention::Plan() const {
  PurgePlan plan;
  plan.today = school_.clock().Today();
  ASSIGN_OR_RETURN(plan.periods, PeriodsInForce());
  store::Store& store = school_.store();
  ASSIGN_OR_RETURN(std::vector<store::PurgeHold> holds, store.ListPurgeHolds());
  std::map<int64_t, HeldPupil> held;
  for (const store::PurgeHold& h : holds) {
    HeldPupil& p = held[h.pupil_id];
    p.pupil_id = h.pupil_id;
    p.reasons.push_back(h.reason);
  }
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    for (auto& [id, p] : held) {
      auto it = snap.pupil_index.find(id);
      p.name = it == snap.pupil_index.end()
                   ? fmt::format("pupil {}", id)
                   : fmt::format("{} (Year {})", DisplayName(snap.pupils[it->second]),
                                 snap.pupils[it->second].year_group);
      plan.held.push_back(p);
    }
  }
  return plan;
}

std::vector<store::PurgeCutoff> Retention::Cutoffs(const PurgePlan& plan) const {
  std::vector<store::PurgeCutoff> out;
  for (const RetentionPeriod& p : plan.periods) {
    const core::Date before = RetentionCutoff(plan.today, p.months);
    out.push_back(store::PurgeCutoff{.kind = std::string(p.kind->name),
                                     .basis = p.basis,
                                     .before = before,
                                     .before_at = core::UkUnixSeconds(before, 0)});
  }
  return out;
}

StatusOr<PurgePlan> Retention::DryRun(const Principal& who) const {
  RETURN_IF_ERROR(school_.AllowNow(who, Action::kManageRetention, {}));
  return DryRun();
}

StatusOr<PurgePlan> Retention::DryRun() const {
  ASSIGN_OR_RETURN(PurgePlan plan, Plan());
  ASSIGN_OR_RETURN(plan.counts, school_.store().CountPurge(Cutoffs(plan)));
  return plan;
}

StatusOr<PurgePlan> Retention::Apply(const Principal& who) {
  RETURN_IF_ERROR(school_.AllowNow(who, Action::kManageRetention, {}));
  return Apply(who.name);
}

StatusOr<PurgePlan> Retention::Apply(std::string_view by) {
  std::lock_guard run_lock(mu_);
  ASSIGN_OR_RETURN(PurgePlan plan, Plan());
  {
    // The purge and the school read again under the writer's lock, so no
    // write of ours falls between them and the snapshot never holds a
    // purged mark.
    auto write = school_.BeginWrite();
    ASSIGN_OR_RETURN(plan.counts,
                     school_.store().Purge(Cutoffs(plan), school_.clock().NowSeconds(), by));
    plan.applied = true;
    RETURN_IF_ERROR(school_.Load());
  }
  return plan;
}

StatusOr<std::optional<PurgePlan>> Retention::RunDue() {
  const core::Clock& clock = school_.clock();
  const core::Date today = clock.Today();
  const int minute = clock.MinuteOfDay();
  {
    std::lock_guard run_lock(mu_);
    if (done_on_ == today) return std::optional<PurgePlan>();
  }
  if (minute < kPurgeFromMinute || minute >= kPurgeUntilMinute) return std::optional<PurgePlan>();
  store::Store& store = school_.store();
  ASSIGN_OR_RETURN(const store::RetentionSettings settings, store.GetRetentionSettings());
  if (!settings.auto_purge) return std::optional<PurgePlan>();
  // Run once a night, however often called and by however many servers:
  // a scheduled purge logged since midnight means tonight's is done.
  ASSIGN_OR_RETURN(const std::vector<store::PurgeLogEntry> last, store.ListPurgeLog(1));
  if (!last.empty() && last[0].by == kScheduledPurge && last[0].at >= StartOfToday(clock)) {
    std::lock_guard run_lock(mu_);
    done_on_ = today;
    return std::optional<PurgePlan>();
  }
  ASSIGN_OR_RETURN(PurgePlan plan, Apply(kScheduledPurge));
  std::lock_guard run_lock(mu_);
  done_on_ = today;
  return std::optional<PurgePlan>(std::move(plan));
}

StatusOr<std::vector<store::PurgeLogEntry>> Retention::Log(const Principal& who, int limit) const {
  RETURN_IF_ERROR(school_.AllowNow(who, Action::kManageRetention, {}));
  return school_.store().ListPurgeLog(limit);
}

}  // namespace rollcall::service
