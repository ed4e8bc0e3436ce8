#include "engine/cohort_stats.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "engine/parallel.h"

namespace rollcall::engine {
namespace {

constexpr size_t kCodes = core::kMaxStoredCode + 1;

// For every possible-session count n: the least absence count that makes a
// pupil persistently (severely) absent, and the least attended count for
// each band. Exact: built with the policy's own Decimal comparisons.
struct Thresholds {
  std::vector<uint16_t> pa, sa;
  std::vector<std::vector<uint16_t>> band;  // [band][n]

  Thresholds(const core::Policy& policy, int32_t max_sessions) {
    const size_t n = static_cast<size_t>(max_sessions) + 1;
    auto least = [](const core::Decimal& pct, int64_t whole) {
      int64_t lo = 0, hi = whole + 1;  // answer in [0, whole + 1]
      while (lo < hi) {
        const int64_t mid = (lo + hi) / 2;
        if (mid <= whole && pct.PercentReached(mid, whole)) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      return static_cast<uint16_t>(lo);
    };
    pa.resize(n);
    sa.resize(n);
    band.assign(policy.bands.size(), std::vector<uint16_t>(n));
    for (size_t w = 1; w < n; ++w) {
      pa[w] = least(policy.persistent_absence_pct, int64_t(w));
      sa[w] = least(policy.severe_absence_pct, int64_t(w));
      for (size_t b = 0; b < policy.bands.size(); ++b)
        band[b][w] = least(policy.bands[b].min, int64_t(w));
    }
  }
};

// Per byte value, its counts packed as one 8-bit lane per Lane, so that a
// pupil's row is counted with one table load and one add per byte. Lanes
// are flushed to wide counters every 255 bytes, before one can overflow.
struct PackedCounts {
  alignas(64) std::array<uint64_t, 256> per_byte{};
  PackedCounts() {
    using C = core::AttendanceCode;
    using K = core::StatCategory;
    auto lane = [](Lane l) { return uint64_t{1} << (8 * size_t(l)); };
    per_byte[kUnrecorded] = lane(kLaneUnrecorded);
    for (size_t c = 1; c < kCodes; ++c) {
      const C code = static_cast<C>(c);
      uint64_t v = 0;
      switch (core::CategoryOf(code)) {
        case K::kPresent:
          v = lane(kLanePresent);
          break;
        case K::kApprovedActivity:
          v = lane(kLaneApproved);
          break;
        case K::kAuthorised:
          v = lane(kLaneAuthorised);
          break;
        case K::kUnauthorised:
          v = lane(kLaneUnauthorised);
          break;
        case K::kNotPossible:
          v = lane(kLaneNotPossible);
          break;
      }
      if (code == C::kLateBeforeClose) v |= lane(kLaneLateBeforeClose);
      if (code == C::kLateAfterClose) v |= lane(kLaneLateAfterClose);
      per_byte[c] = v;
    }
  }

  void Count(const uint8_t* p, size_t n, std::array<uint32_t, kLanes>& out) const {
    out.fill(0);
    while (n > 0) {
      const size_t block = std::min<size_t>(n, 255);
      uint64_t a = 0, b = 0;
      size_t i = 0;
      for (; i + 2 <= block; i += 2) {
        a += per_byte[p[i]];
        b += per_byte[p[i + 1]];
      }
      if (i < block) a += per_byte[p[i]];
      const uint64_t sum = a + b;  // no lane exceeds 255 within a block
      for (size_t l = 0; l < kLanes; ++l) out[l] += uint32_t((sum >> (8 * l)) & 0xFF);
      p += block;
      n -= block;
    }
  }
};

const PackedCounts& Packed() {
  static const PackedCounts packed;
  return packed;
}

PupilStats FromLanes(const std::array<uint32_t, kLanes>& n, const Thresholds& t) {
  PupilStats s;
  s.present = static_cast<uint16_t>(n[kLanePresent]);
  s.approved_activity = static_cast<uint16_t>(n[kLaneApproved]);
  s.authorised = static_cast<uint16_t>(n[kLaneAuthorised]);
  s.unauthorised = static_cast<uint16_t>(n[kLaneUnauthorised]);
  s.not_possible = static_cast<uint16_t>(n[kLaneNotPossible]);
  s.unrecorded = static_cast<uint16_t>(n[kLaneUnrecorded]);
  s.late_before_close = static_cast<uint16_t>(n[kLaneLateBeforeClose]);
  s.late_after_close = static_cast<uint16_t>(n[kLaneLateAfterClose]);
  s.attended = static_cast<uint16_t>(s.present + s.approved_activity);
  s.absence = static_cast<uint16_t>(s.authorised + s.unauthorised);
  s.possible = static_cast<uint16_t>(s.attended + s.absence);
  if (s.possible > 0) {
    s.persistent_absence = s.absence >= t.pa[s.possible];
    s.severe_absence = s.absence >= t.sa[s.possible];
    for (size_t b = 0; b < t.band.size(); ++b) {
      if (s.attended >= t.band[b][s.possible]) {
        s.band = static_cast<int8_t>(b);
        break;
      }
    }
  }
  return s;
}

void AddPupil(GroupTotals& g, const PupilStats& s, const std::array<uint32_t, kLanes>& n) {
  ++g.pupils;
  g.persistent_absence += s.persistent_absence;
  g.severe_absence += s.severe_absence;
  for (size_t l = 0; l < kLanes; ++l) g.sessions[l] += n[l];
}

}  // namespace

PeriodRange RangeOf(const School& school, const core::Period& period, core::Date as_of) {
  const core::Calendar& calendar = school.calendar->calendar;
  PeriodRange r;
  for (const YearBlock& y : school.years) {
    if (y.year_start == period.from) r.year = &y;
  }
  if (r.year == nullptr) return r;
  const int32_t begin = calendar.FirstSessionOnOrAfter(period.from);
  const int32_t end = calendar.FirstSessionOnOrAfter(as_of.AddDays(1));
  r.offset = begin - r.year->first_session;
  r.length = std::max(0, end - begin);
  return r;
}

GroupTotals& GroupTotals::operator+=(const GroupTotals& o) {
  pupils += o.pupils;
  persistent_absence += o.persistent_absence;
  severe_absence += o.severe_absence;
  for (size_t c = 0; c < sessions.size(); ++c) sessions[c] += o.sessions[c];
  return *this;
}

core::Aggregate GroupTotals::ToAggregate() const {
  core::Aggregate a;
  a.pupils = pupils;
  a.persistent_absence = persistent_absence;
  a.severe_absence = severe_absence;
  core::SessionCounts& c = a.counts;
  c.present = sessions[kLanePresent];
  c.approved_activity = sessions[kLaneApproved];
  c.authorised = sessions[kLaneAuthorised];
  c.unauthorised = sessions[kLaneUnauthorised];
  c.not_possible = sessions[kLaneNotPossible];
  c.unrecorded = sessions[kLaneUnrecorded];
  c.late_before_close = sessions[kLaneLateBeforeClose];
  c.late_after_close = sessions[kLaneLateAfterClose];
  c.attended = c.present + c.approved_activity;
  c.absence = c.authorised + c.unauthorised;
  c.possible = c.attended + c.absence;
  return a;
}

core::SessionCounts ToSessionCounts(const PupilStats& s) {
  core::SessionCounts c;
  c.possible = s.possible;
  c.present = s.present;
  c.late_before_close = s.late_before_close;
  c.late_after_close = s.late_after_close;
  c.approved_activity = s.approved_activity;
  c.attended = s.attended;
  c.authorised = s.authorised;
  c.unauthorised = s.unauthorised;
  c.absence = s.absence;
  c.not_possible = s.not_possible;
  c.unrecorded = s.unrecorded;
  return c;
}

std::vector<CodeCounts> CodeBreakdown(const Dataset& dataset, core::Date as_of, int threads) {
  const core::Period period = core::StatisticsPeriod(as_of);
  std::vector<CodeCounts> out(dataset.schools.size());
  RunChunks(dataset.schools.size(), threads, [&](size_t s) {
    const School& school = dataset.schools[s];
    const PeriodRange range = RangeOf(school, period, as_of);
    if (range.year == nullptr) return;
    const PackedCounts& packed = Packed();
    std::array<uint32_t, kLanes> lanes{};
    for (size_t p = 0; p < school.PupilCount(); ++p) {
      const uint8_t* row = range.year->Row(p) + range.offset;
      // As in every total, pupils with no possible session are left out.
      packed.Count(row, size_t(range.length), lanes);
      if (lanes[kLanePresent] + lanes[kLaneApproved] + lanes[kLaneAuthorised] +
              lanes[kLaneUnauthorised] ==
          0) {
        continue;
      }
      for (int32_t j = 0; j < range.length; ++j) {
        if (row[j] != kOffRoll) ++out[s][row[j]];
      }
    }
  });
  return out;
}

Statistics ComputeStatistics(const Dataset& dataset, core::Date as_of, int threads) {
  Statistics out;
  out.period = core::StatisticsPeriod(as_of);
  out.schools.resize(dataset.schools.size());

  // Thresholds per distinct policy, sized for the longest year.
  int32_t longest = 1;
  for (const School& s : dataset.schools) {
    for (const YearBlock& y : s.years) longest = std::max(longest, y.sessions);
  }
  std::vector<const core::Policy*> policy_of(dataset.schools.size());
  std::vector<std::pair<const core::Policy*, std::unique_ptr<Thresholds>>> thresholds;
  std::vector<const Thresholds*> thresholds_of(dataset.schools.size());
  for (size_t s = 0; s < dataset.schools.size(); ++s) {
    const core::Policy* p = dataset.schools[s].policy.get();
    auto it = std::find_if(thresholds.begin(), thresholds.end(),
                           [&](const auto& e) { return e.first == p; });
    if (it == thresholds.end()) {
      thresholds.emplace_back(p, std::make_unique<Thresholds>(*p, longest));
      it = thresholds.end() - 1;
    }
    thresholds_of[s] = it->second.get();
    out.schools[s].pupils.resize(dataset.schools[s].PupilCount());
    out.schools[s].cohorts.resize(dataset.schools[s].cohort_names.size());
  }

  const std::vector<Chunk> chunks = ChunksOf(dataset);
  struct ChunkTotals {
    GroupTotals school;
    std::vector<GroupTotals> cohorts;
  };
  std::vector<ChunkTotals> totals(chunks.size());
  RunChunks(chunks.size(), threads, [&](size_t ci) {
    const Chunk& chunk = chunks[ci];
    const School& school = dataset.schools[chunk.school];
    const Thresholds& t = *thresholds_of[chunk.school];
    ChunkTotals& result = totals[ci];
    result.cohorts.resize(school.cohort_names.size());
    std::vector<PupilStats>& pupils = out.schools[chunk.school].pupils;

    const PeriodRange range = RangeOf(school, out.period, as_of);
    const PackedCounts& packed = Packed();
    std::array<uint32_t, kLanes> n{};
    for (size_t p = chunk.begin; p < chunk.end; ++p) {
      if (range.year != nullptr) {
        packed.Count(range.year->Row(p) + range.offset, size_t(range.length), n);
      } else {
        n.fill(0);
      }
      const PupilStats s = FromLanes(n, t);
      pupils[p] = s;
      if (s.possible == 0) continue;  // DfE leaves such enrolments out of every total
      AddPupil(result.school, s, n);
      for (uint64_t bits = school.pupils[p].cohorts; bits != 0; bits &= bits - 1) {
        AddPupil(result.cohorts[size_t(std::countr_zero(bits))], s, n);
      }
    }
  });

  for (size_t ci = 0; ci < chunks.size(); ++ci) {
    SchoolStats& school = out.schools[chunks[ci].school];
    school.school += totals[ci].school;
    for (size_t c = 0; c < school.cohorts.size(); ++c) school.cohorts[c] += totals[ci].cohorts[c];
  }
  for (size_t s = 0; s < dataset.schools.size(); ++s) {
    out.all += out.schools[s].school;
    for (size_t c = 0; c < dataset.schools[s].cohort_names.size(); ++c) {
      out.cohorts[dataset.schools[s].cohort_names[c]] += out.schools[s].cohorts[c];
    }
  }
  return out;
}

}  // namespace rollcall::engine
