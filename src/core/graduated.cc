#include "core/graduated.h"

#include <fmt/format.h>

#include <algorithm>

namespace rollcall::core {
namespace {

struct StageText {
  SupportStage stage;
  std::string_view key;
  std::string_view title;
};

constexpr StageText kText[] = {
    {SupportStage::kExpect, "expect", "Expect"},
    {SupportStage::kMonitor, "monitor", "Monitor"},
    {SupportStage::kListen, "listen", "Listen and understand"},
    {SupportStage::kFacilitate, "facilitate", "Facilitate support"},
    {SupportStage::kFormalise, "formalise", "Formalise support"},
    {SupportStage::kEnforce, "enforce", "Enforce"},
};

}  // namespace

std::string_view StageKey(SupportStage stage) { return kText[static_cast<size_t>(stage) - 1].key; }

std::string_view StageTitle(SupportStage stage) {
  return kText[static_cast<size_t>(stage) - 1].title;
}

std::optional<SupportStage> StageFromKey(std::string_view key) {
  for (const StageText& t : kText) {
    if (t.key == key) return t.stage;
  }
  return std::nullopt;
}

StageSuggestion SuggestStage(const PupilEvaluation& pupil, const Policy& policy,
                             const Calendar& calendar) {
  StageSuggestion out;
  auto raise = [&](SupportStage stage, std::string reason) {
    out.stage = std::max(out.stage, stage);
    out.reasons.push_back(std::move(reason));
  };
  const SessionCounts& c = pupil.counts;
  const std::optional<double> pct = Percent(c.attended, c.possible);
  if (pupil.band && !policy.bands.empty() && *pupil.band != policy.bands.front().name && pct) {
    raise(SupportStage::kMonitor,
          fmt::format("attendance {:.1f}% is in the {} band", *pct, BandText(*pupil.band)));
  }
  bool lateness = false, continuous = false, penalty = false;
  for (const Alert& a : pupil.alerts) {
    const std::string date = calendar.SessionAt(a.at).date.LongText();
    if ((a.kind == AlertKind::kLatenessWeek || a.kind == AlertKind::kPersistentLateness) &&
        !lateness) {
      lateness = true;
      raise(SupportStage::kMonitor,
            fmt::format("{} from {}",
                        a.kind == AlertKind::kLatenessWeek ? "late several times in a week"
                                                           : "persistently late",
                        date));
    }
    if (a.kind == AlertKind::kContinuousAbsence && !continuous) {
      continuous = true;
      raise(SupportStage::kFacilitate,
            fmt::format("{} sessions missed in a row from {}", a.run_length, date));
    }
    if (a.kind == AlertKind::kPenaltyThreshold && !penalty) {
      penalty = true;
      raise(SupportStage::kFacilitate,
            fmt::format("the penalty-notice threshold was met on {}: support first", date));
    }
  }
  if (pupil.persistent_absence && pct) {
    raise(SupportStage::kListen,
          fmt::format("persistently absent: {:.1f}% of sessions missed", 100.0 - *pct));
  }
  if (pupil.severe_absence) {
    raise(SupportStage::kFacilitate, "severely absent: half or more of sessions missed");
  }
  return out;
}

}  // namespace rollcall::core
