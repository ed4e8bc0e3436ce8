#include "engine/alert_scan.h"

#include <algorithm>
#include <array>
#include <map>
#include <string>

#include "engine/parallel.h"

namespace rollcall::engine {
namespace {

// What a byte means to the rules, per school policy.
enum : uint8_t {
  kPossible = 1,      // a possible session
  kPenalty = 2,       // a penalty-threshold code
  kContinuous = 4,    // a possible session with a continuous-absence code
  kSick = 8,          // a sickness code
  kLate = 16,         // a lateness code
  kN = 32,            // N
  kUnrecorded_ = 64,  // no mark
  kNotPupils = 128,   // off roll: not one of the pupil's sessions
};

// Everything a scan of one school needs that does not depend on the pupil.
struct ScanSetup {
  std::array<uint8_t, 256> byte_class{};
  int32_t end = 0;                       // sessions before this are on or before as-of
  int32_t framework_first = 0;           // first session the penalty threshold counts
  int32_t n_cutoff = 0;                  // N before this session is overdue at as-of
  std::vector<uint8_t> fires_at_length;  // continuous run lengths that fire
  // Sort rank of each alert type name, as core::ComputeAlerts sorts them:
  // by kind, and for continuous absence by run length.
  std::array<int, 8> kind_rank{};
  std::vector<int> run_rank;

  int RankOf(const AlertRecord& a) const {
    return a.kind == core::AlertKind::kContinuousAbsence ? run_rank[size_t(a.run_length)]
                                                         : kind_rank[size_t(a.kind)];
  }

  ScanSetup(const School& school, core::Date as_of) {
    const core::Policy& policy = *school.policy;
    const core::Calendar& calendar = school.calendar->calendar;
    byte_class[kUnrecorded] = kUnrecorded_;
    byte_class[kOffRoll] = kNotPupils;
    for (int v = 1; v <= core::kMaxStoredCode; ++v) {
      const auto code = static_cast<core::AttendanceCode>(v);
      uint8_t c = 0;
      if (core::IsPossible(code)) {
        c |= kPossible;
        if (policy.continuous_absence.codes.Contains(code)) c |= kContinuous;
      }
      if (policy.penalty.codes.Contains(code)) c |= kPenalty;
      if (policy.sickness.codes.Contains(code)) c |= kSick;
      if (policy.lateness.codes.Contains(code)) c |= kLate;
      if (code == core::AttendanceCode::kNoReasonYet) c |= kN;
      byte_class[size_t(v)] = c;
    }
    end = calendar.FirstSessionOnOrAfter(as_of.AddDays(1));
    framework_first = policy.penalty.framework_start
                          ? calendar.FirstSessionOnOrAfter(*policy.penalty.framework_start)
                          : 0;
    // School days after a session's day up to as-of fall as the index rises.
    int32_t lo = 0, hi = end;
    while (lo < hi) {
      const int32_t mid = lo + (hi - lo) / 2;
      if (calendar.SchoolDaysBetween(calendar.SessionAt(mid).date, as_of) >
          policy.n_overdue_school_days) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    n_cutoff = lo;
    int64_t longest = 0;
    for (int64_t l : policy.continuous_absence.sessions) longest = std::max(longest, l);
    fires_at_length.assign(size_t(std::min<int64_t>(longest, 1 << 20)) + 1, 0);
    for (int64_t l : policy.continuous_absence.sessions) {
      if (l > 0 && l < int64_t(fires_at_length.size())) fires_at_length[size_t(l)] = 1;
    }
    std::vector<std::pair<std::string, std::pair<core::AlertKind, int64_t>>> names;
    auto add = [&](core::AlertKind kind, int64_t run) {
      core::Alert a{.kind = kind, .run_length = run, .at = 0, .evidence = {}, .action = {}};
      names.push_back({a.TypeName(), {kind, run}});
    };
    for (core::AlertKind kind :
         {core::AlertKind::kPenaltyThreshold, core::AlertKind::kSickness,
          core::AlertKind::kLatenessWeek, core::AlertKind::kPersistentLateness,
          core::AlertKind::kNOverdue, core::AlertKind::kUnrecordedMarks}) {
      add(kind, 0);
    }
    for (size_t l = 1; l < fires_at_length.size(); ++l) {
      if (fires_at_length[l]) add(core::AlertKind::kContinuousAbsence, int64_t(l));
    }
    std::sort(names.begin(), names.end());
    run_rank.assign(fires_at_length.size(), 0);
    for (size_t i = 0; i < names.size(); ++i) {
      const auto [kind, run] = names[i].second;
      if (kind == core::AlertKind::kContinuousAbsence) {
        run_rank[size_t(run)] = int(i);
      } else {
        kind_rank[size_t(kind)] = int(i);
      }
    }
  }
};

// Matches grouped by academic year or week, firing once per group at a
// threshold (core's CountWithinGroup).
struct GroupCounter {
  std::vector<int32_t> matched;
  int32_t group = INT32_MIN;
  bool fired = false;

  // True when this match fires.
  bool Match(int32_t index, int32_t g, int64_t threshold) {
    if (g != group) {
      group = g;
      matched.clear();
      fired = false;
    }
    matched.push_back(index);
    if (!fired && int64_t(matched.size()) >= threshold) {
      fired = true;
      return true;
    }
    return false;
  }
  void Reset() {
    matched.clear();
    group = INT32_MIN;
    fired = false;
  }
};

class PupilScanner {
 public:
  PupilScanner(const School& school, const ScanSetup& setup, SchoolAlerts& out)
      : school_(school), setup_(setup), policy_(*school.policy), out_(out) {}

  void Scan(size_t pupil) {
    const size_t first_alert = out_.alerts.size();
    pupil_ = static_cast<uint32_t>(pupil);
    penalty_.clear();
    penalty_head_ = 0;
    run_.clear();
    unrecorded_.clear();
    sick_.Reset();
    late_week_.Reset();
    late_year_.Reset();
    const std::vector<int32_t>& week_of = school_.calendar->week_of;
    const auto& byte_class = setup_.byte_class;
    for (size_t y = 0; y < school_.years.size(); ++y) {
      const YearBlock& year = school_.years[y];
      if (year.first_session >= setup_.end) break;
      const int32_t n = std::min(year.sessions, setup_.end - year.first_session);
      const uint8_t* row = year.Row(pupil);
      for (int32_t j = 0; j < n; ++j) {
        const uint8_t cls = byte_class[row[j]];
        if (cls == kPossible) {  // the common case: present, or a code no rule counts
          run_.clear();
          continue;
        }
        if (cls & kNotPupils) continue;
        const int32_t index = year.first_session + j;
        if (cls & kUnrecorded_) {
          unrecorded_.push_back(index);
          continue;
        }
        if ((cls & kPenalty) && index >= setup_.framework_first) Penalty(index, week_of);
        if (cls & kPossible) {
          if (cls & kContinuous) {
            run_.push_back(index);
            const size_t length = run_.size();
            if (length < setup_.fires_at_length.size() && setup_.fires_at_length[length]) {
              Emit(core::AlertKind::kContinuousAbsence, index, run_, 0, int32_t(length));
            }
          } else {
            run_.clear();
          }
        }
        if ((cls & kSick) && sick_.Match(index, int32_t(y), policy_.sickness.sessions)) {
          Emit(core::AlertKind::kSickness, index, sick_.matched);
        }
        if (cls & kLate) {
          if (late_week_.Match(index, week_of[size_t(index)], policy_.lateness.per_week)) {
            Emit(core::AlertKind::kLatenessWeek, index, late_week_.matched);
          }
          if (late_year_.Match(index, int32_t(y), policy_.lateness.per_year)) {
            Emit(core::AlertKind::kPersistentLateness, index, late_year_.matched);
          }
        }
        if ((cls & kN) && index < setup_.n_cutoff) {
          const int32_t one[1] = {index};
          Emit(core::AlertKind::kNOverdue, index, one);
        }
      }
    }
    if (!unrecorded_.empty()) {
      Emit(core::AlertKind::kUnrecordedMarks, unrecorded_.front(), unrecorded_);
    }
    SortPupilAlerts(first_alert);
  }

 private:
  // Rule 6 as core's PenaltyThreshold: unused counted sessions within the
  // window of school weeks; a firing uses them all.
  void Penalty(int32_t index, const std::vector<int32_t>& week_of) {
    const int32_t week = week_of[size_t(index)];
    penalty_.push_back(index);
    while (penalty_head_ < penalty_.size() &&
           int64_t(week) - week_of[size_t(penalty_[penalty_head_])] >=
               policy_.penalty.school_weeks) {
      ++penalty_head_;
    }
    const size_t unused = penalty_.size() - penalty_head_;
    if (int64_t(unused) >= policy_.penalty.sessions) {
      const std::span<const int32_t> evidence(penalty_.data() + penalty_head_, unused);
      const core::PenaltyAction action = core::PenaltyActionFor(
          std::span<const core::PenaltyNotice>(
              school_.penalty_history.data() + school_.pupils[pupil_].history_begin,
              school_.pupils[pupil_].history_count),
          school_.calendar->calendar.SessionAt(index).date, policy_.penalty.framework_start);
      Emit(core::AlertKind::kPenaltyThreshold, index, evidence, static_cast<uint8_t>(action));
      penalty_.clear();
      penalty_head_ = 0;
    } else if (penalty_head_ > 256) {
      penalty_.erase(penalty_.begin(), penalty_.begin() + std::ptrdiff_t(penalty_head_));
      penalty_head_ = 0;
    }
  }

  void Emit(core::AlertKind kind, int32_t at, std::span<const int32_t> evidence, uint8_t action = 0,
            int32_t run_length = 0) {
    out_.alerts.push_back({.pupil = pupil_,
                           .kind = kind,
                           .action = action,
                           .run_length = run_length,
                           .at = at,
                           .evidence_begin = static_cast<uint32_t>(out_.evidence.size()),
                           .evidence_count = static_cast<uint32_t>(evidence.size())});
    out_.evidence.insert(out_.evidence.end(), evidence.begin(), evidence.end());
  }

  void SortPupilAlerts(size_t first) {
    if (out_.alerts.size() - first < 2) return;
    std::stable_sort(out_.alerts.begin() + std::ptrdiff_t(first), out_.alerts.end(),
                     [&](const AlertRecord& a, const AlertRecord& b) {
                       return a.at != b.at ? a.at < b.at : setup_.RankOf(a) < setup_.RankOf(b);
                     });
  }

  const School& school_;
  const ScanSetup& setup_;
  const core::Policy& policy_;
  SchoolAlerts& out_;
  uint32_t pupil_ = 0;
  std::vector<int32_t> penalty_;
  size_t penalty_head_ = 0;
  std::vector<int32_t> run_;
  std::vector<int32_t> unrecorded_;
  GroupCounter sick_, late_week_, late_year_;
};

}  // namespace

size_t AlertScan::AlertCount() const {
  size_t n = 0;
  for (const SchoolAlerts& s : schools) n += s.alerts.size();
  return n;
}

AlertScan ScanAlerts(const Dataset& dataset, core::Date as_of, int threads) {
  // One setup per distinct calendar and policy (an LA's schools share a few).
  std::map<std::pair<const void*, const void*>, std::unique_ptr<ScanSetup>> setups;
  std::vector<const ScanSetup*> setup_of(dataset.schools.size());
  for (size_t s = 0; s < dataset.schools.size(); ++s) {
    const School& school = dataset.schools[s];
    auto& setup = setups[{school.calendar.get(), school.policy.get()}];
    if (!setup) setup = std::make_unique<ScanSetup>(school, as_of);
    setup_of[s] = setup.get();
  }
  const std::vector<Chunk> chunks = ChunksOf(dataset);
  std::vector<SchoolAlerts> parts(chunks.size());
  RunChunks(chunks.size(), threads, [&](size_t ci) {
    const Chunk& chunk = chunks[ci];
    const School& school = dataset.schools[chunk.school];
    PupilScanner scanner(school, *setup_of[chunk.school], parts[ci]);
    for (size_t p = chunk.begin; p < chunk.end; ++p) scanner.Scan(p);
  });
  AlertScan out;
  out.schools.resize(dataset.schools.size());
  for (size_t ci = 0; ci < chunks.size(); ++ci) {
    SchoolAlerts& school = out.schools[chunks[ci].school];
    SchoolAlerts& part = parts[ci];
    if (school.alerts.empty()) {
      school = std::move(part);
      continue;
    }
    const uint32_t offset = static_cast<uint32_t>(school.evidence.size());
    for (AlertRecord& a : part.alerts) a.evidence_begin += offset;
    school.alerts.insert(school.alerts.end(), part.alerts.begin(), part.alerts.end());
    school.evidence.insert(school.evidence.end(), part.evidence.begin(), part.evidence.end());
  }
  return out;
}

core::Alert ToCoreAlert(const School& school, const SchoolAlerts& alerts, const AlertRecord& r) {
  core::Alert a{
      .kind = r.kind, .run_length = r.run_length, .at = r.at, .evidence = {}, .action = {}};
  if (r.kind == core::AlertKind::kPenaltyThreshold) {
    a.action = static_cast<core::PenaltyAction>(r.action);
  }
  a.evidence.reserve(r.evidence_count);
  for (uint32_t i = 0; i < r.evidence_count; ++i) {
    const int32_t index = alerts.evidence[r.evidence_begin + i];
    const uint8_t byte = school.MarkAt(r.pupil, index);
    a.evidence.push_back({index, byte == kUnrecorded
                                     ? std::nullopt
                                     : std::optional<core::AttendanceCode>(
                                           static_cast<core::AttendanceCode>(byte))});
  }
  return a;
}

}  // namespace rollcall::engine
