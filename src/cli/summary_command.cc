// `rollcall summary FILE|-`: a readable summary of the same evaluation that
// `rollcall evaluate` prints as JSON (school figures, PA/SA, alerts by type,
// the pupils of most concern with the sessions their alerts cite). Every
// figure comes from core::Evaluate; nothing is computed here but layout.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <map>

#include "cli/commands.h"
#include "core/evaluate.h"
#include "io/scenario_json.h"

namespace rollcall::cli {
namespace {

std::string Pct(int64_t part, int64_t whole) {
  std::optional<double> pct = core::Percent(part, whole);
  return pct ? fmt::format("{:.2f}%", *pct) : "n/a";
}

std::string AggregateLine(const std::string& label, const core::Aggregate& a) {
  const core::SessionCounts& c = a.counts;
  return fmt::format(
      "  {:<10} {:>6} {:>9} {:>10} {:>9} {:>9} {:>14} {:>12}\n", label, a.pupils,
      Pct(c.attended, c.possible), Pct(c.absence, c.possible), Pct(c.authorised, c.possible),
      Pct(c.unauthorised, c.possible),
      fmt::format("{} ({})", a.persistent_absence, Pct(a.persistent_absence, a.pupils)),
      fmt::format("{} ({})", a.severe_absence, Pct(a.severe_absence, a.pupils)));
}

std::string Session(const core::Calendar& calendar, const core::PupilSession& s) {
  const core::SessionKey key = calendar.SessionAt(s.index);
  return fmt::format("{} {} {}", key.date.ToString(), core::SessionName(key.session),
                     s.code ? core::SymbolOf(*s.code) : "(none)");
}

}  // namespace

std::string FormatSummary(const core::Scenario& scenario, const core::Evaluation& evaluation,
                          size_t pupils_to_show) {
  std::string out;
  const core::Aggregate& school = evaluation.school;
  out += fmt::format("rollcall summary as of {} (statistics period {} to {})\n\n",
                     evaluation.as_of.ToString(), evaluation.period.from.ToString(),
                     evaluation.period.to.ToString());
  out += fmt::format("  {:<10} {:>6} {:>9} {:>10} {:>9} {:>9} {:>14} {:>12}\n", "", "pupils",
                     "attended", "absence", "auth", "unauth", "PA (>=10%)", "SA (>=50%)");
  out += AggregateLine("school", school);
  for (const auto& [tag, aggregate] : evaluation.cohorts) out += AggregateLine(tag, aggregate);

  const core::SessionCounts& c = school.counts;
  out += "\nAbsence by reason (% of possible sessions):\n";
  for (const core::CodeInfo& info : core::AllCodes()) {
    const int64_t n = c.by_code[static_cast<size_t>(info.code)];
    if (n == 0) continue;
    if (info.category != core::StatCategory::kAuthorised &&
        info.category != core::StatCategory::kUnauthorised &&
        info.code != core::AttendanceCode::kLateBeforeClose) {
      continue;
    }
    out += fmt::format("  {:<3} {:<52} {:>8} sessions  {}\n", info.symbol, info.meaning, n,
                       Pct(n, c.possible));
  }

  std::map<std::string, int> by_type;
  for (const core::PupilEvaluation& pupil : evaluation.pupils) {
    for (const core::Alert& alert : pupil.alerts) ++by_type[alert.TypeName()];
  }
  out += "\nAlerts by type (all sessions up to the as-of day):\n";
  if (by_type.empty()) out += "  none\n";
  for (const auto& [type, n] : by_type) out += fmt::format("  {:<34} {:>6}\n", type, n);

  // The pupils of most concern: lowest attendance among those with alerts.
  std::vector<size_t> order;
  for (size_t i = 0; i < evaluation.pupils.size(); ++i) {
    if (evaluation.pupils[i].counts.possible > 0) order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const auto& ca = evaluation.pupils[a].counts;
    const auto& cb = evaluation.pupils[b].counts;
    return ca.attended * cb.possible < cb.attended * ca.possible;  // exact comparison
  });
  order.resize(std::min(order.size(), pupils_to_show));
  out += fmt::format(
      "\nThe {} pupils with the lowest attendance, with the evidence for their alerts:\n",
      order.size());
  for (size_t i : order) {
    const core::PupilEvaluation& pupil = evaluation.pupils[i];
    const core::SessionCounts& pc = pupil.counts;
    out += fmt::format(
        "\n  {}  attendance {} ({}/{} sessions), band {}, {}{}\n", scenario.pupils[i].id,
        Pct(pc.attended, pc.possible), pc.attended, pc.possible, pupil.band.value_or("none"),
        pupil.severe_absence       ? "severely absent"
        : pupil.persistent_absence ? "persistently absent"
                                   : "not PA",
        scenario.pupils[i].cohorts.empty()
            ? ""
            : fmt::format(", cohorts {}", fmt::join(scenario.pupils[i].cohorts, " ")));
    // Overdue N codes are one alert per session: shown as one line per pupil.
    std::vector<const core::Alert*> overdue;
    for (const core::Alert& alert : pupil.alerts) {
      if (alert.kind == core::AlertKind::kNOverdue) {
        overdue.push_back(&alert);
        continue;
      }
      const core::SessionKey at = scenario.calendar.SessionAt(alert.at);
      out += fmt::format("    {} at {} {}", alert.TypeName(), at.date.ToString(),
                         core::SessionName(at.session));
      if (alert.action) out += fmt::format(" -> {}", core::PenaltyActionName(*alert.action));
      out += fmt::format(" ({} session{} cited: ", alert.evidence.size(),
                         alert.evidence.size() == 1 ? "" : "s");
      const size_t shown = std::min<size_t>(alert.evidence.size(), 4);
      for (size_t e = 0; e < shown; ++e) {
        out += (e ? ", " : "") + Session(scenario.calendar, alert.evidence[e]);
      }
      if (alert.evidence.size() > shown) {
        out += fmt::format(", ... {}", Session(scenario.calendar, alert.evidence.back()));
      }
      out += ")\n";
    }
    if (!overdue.empty()) {
      out += fmt::format("    n_overdue: {} session{} still N past the deadline, from {} to {}\n",
                         overdue.size(), overdue.size() == 1 ? "" : "s",
                         Session(scenario.calendar, overdue.front()->evidence.front()),
                         Session(scenario.calendar, overdue.back()->evidence.front()));
    }
  }
  return out;
}

int RunSummary(const std::string& path, size_t pupils_to_show) {
  std::optional<core::Scenario> scenario = LoadScenarioOrReport(path, "summary");
  if (!scenario) return kExitInvalidInput;
  const std::string out = FormatSummary(*scenario, core::Evaluate(*scenario), pupils_to_show);
  if (core::Status written = WriteOutput("", out); !written.ok()) {
    std::cerr << "rollcall summary: " << written.message() << "\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace rollcall::cli
