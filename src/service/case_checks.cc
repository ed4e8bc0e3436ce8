// case_checks.cc: opening and closing CME and penalty cases (case_checks.h).
#include "service/case_checks.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>

#include "core/alerts.h"
#include "core/cme.h"
#include "core/codes.h"
#include "core/error_codes.h"
#include "core/local_code.h"
#include "core/pupil_sessions.h"
#include "service/records.h"

namespace rollcall::service {
namespace {

using core::Date;
using core::SessionKey;

// A run opens a case once it holds a whole school day's sessions.
constexpr int64_t kOpenAfterSessions = 2;
// Checking more pupils than this reads every case once instead of each
// pupil's: one query rather than many.
constexpr size_t kReadAllCasesFrom = 16;

struct CmeChange {
  int64_t pupil_id;
  std::optional<Date> open_from;  // open a case from this day
  std::optional<int64_t> close;   // close this case ...
  std::string outcome;            // ... saying why
};

// How the run that opened a case ended, from the first session after its
// start that is neither N nor O.
std::string CmeOutcome(const core::Calendar& calendar,
                       const std::vector<core::PupilSession>& sessions, Date first_day) {
  for (const core::PupilSession& s : sessions) {
    const SessionKey key = calendar.SessionAt(s.index);
    if (key.date < first_day || !s.code || !core::IsPossible(*s.code)) continue;
    if (*s.code == core::AttendanceCode::kNoReasonYet ||
        *s.code == core::AttendanceCode::kOtherUnauthorised) {
      continue;
    }
    const core::StatCategory cat = core::CategoryOf(*s.code);
    return cat == core::StatCategory::kPresent || cat == core::StatCategory::kApprovedActivity
               ? fmt::format("Back in school on {} {}", key.date.ToString(),
                             core::SessionName(key.session))
               : fmt::format("Absence explained: {} ({}) from {} {}", core::SymbolOf(*s.code),
                             core::InfoOf(*s.code).meaning, key.date.ToString(),
                             core::SessionName(key.session));
  }
  return "Absence explained";
}

}  // namespace

void CaseChecks::CheckAll() {
  std::vector<size_t> all;
  {
    auto lock = school_.Read();
    all.resize(school_.snapshot().pupils.size());
  }
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  Check(all);
}

void CaseChecks::Check(const std::vector<size_t>& indices) {
  if (indices.empty()) return;
  store::Store& store = school_.store();
  std::vector<int64_t> pupil_ids;
  {
    auto lock = school_.Read();
    for (size_t i : indices) {
      if (i < school_.snapshot().pupils.size()) {
        pupil_ids.push_back(school_.snapshot().pupils[i].id);
      }
    }
  }
  // The cases that exist: of these pupils only, unless there are many.
  std::map<int64_t, store::CmeCase> open_cme;
  std::set<std::tuple<store::PenaltyCaseKind, int64_t, SessionKey>> have_penalty;
  if (pupil_ids.size() >= kReadAllCasesFrom) {
    core::StatusOr<std::vector<store::CmeCase>> open = store.ListCmeCases(true);
    core::StatusOr<std::vector<store::PenaltyCase>> penalty = store.ListPenaltyCases();
    if (!open.ok() || !penalty.ok()) {
      spdlog::warn("cases not checked: {}",
                   (!open.ok() ? open.status() : penalty.status()).message());
      return;
    }
    for (store::CmeCase& c : *open) open_cme.emplace(c.pupil_id, std::move(c));
    for (const store::PenaltyCase& c : *penalty) have_penalty.insert({c.kind, c.pupil_id, c.alert});
  } else {
    for (int64_t id : pupil_ids) {
      core::StatusOr<std::optional<store::CmeCase>> open = store.OpenCmeCaseOf(id);
      core::StatusOr<std::vector<store::PenaltyCase>> penalty = store.PenaltyCasesOf(id);
      if (!open.ok() || !penalty.ok()) {
        spdlog::warn("cases of pupil {} not checked: {}", id,
                     (!open.ok() ? open.status() : penalty.status()).message());
        return;
      }
      if (*open) open_cme.emplace(id, std::move(**open));
      for (const store::PenaltyCase& c : *penalty) {
        have_penalty.insert({c.kind, c.pupil_id, c.alert});
      }
    }
  }

  std::vector<CmeChange> cme_changes;
  std::vector<store::PenaltyCase> to_open;
  const core::Clock& clock = school_.clock();
  const Date today = clock.Today();
  const Date year_start = today.AcademicYearStart();
  const int64_t now = clock.NowSeconds();
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    const core::Scenario& scenario = snap.scenario;
    const core::Calendar& calendar = scenario.calendar;
    const core::DayPart part = school_.DayPartOf(today);
    for (size_t i : indices) {
      if (i >= snap.pupils.size()) continue;
      const int64_t pupil_id = snap.pupils[i].id;
      const core::PupilRecord& pupil = scenario.pupils[i];
      const std::vector<core::PupilSession> sessions = core::BuildPupilSessions(
          calendar, pupil, scenario.marks[i], scenario.default_mark, today, part);

      // Children missing education.
      const std::optional<core::UnexplainedRun> run =
          core::CurrentUnexplainedRun(calendar, sessions);
      auto open = open_cme.find(pupil_id);
      if (!pupil.OnRollOn(today)) {
        // Off the admission register: no case to keep open, none to open.
        if (open != open_cme.end()) {
          cme_changes.push_back({pupil_id, std::nullopt, open->second.id, "No longer on roll"});
        }
      } else if (open != open_cme.end()) {
        if (!run || run->first_day != open->second.first_day) {
          cme_changes.push_back({pupil_id, std::nullopt, open->second.id,
                                 CmeOutcome(calendar, sessions, open->second.first_day)});
          // A new run after the explained one opens a new case.
          if (run && run->sessions >= kOpenAfterSessions) {
            cme_changes.push_back({pupil_id, run->first_day, std::nullopt, ""});
          }
        }
      } else if (run && run->sessions >= kOpenAfterSessions) {
        cme_changes.push_back({pupil_id, run->first_day, std::nullopt, ""});
      }

      // Penalty notices: the national threshold ...
      for (const core::Alert& a :
           core::ComputeAlerts(calendar, scenario.policy, pupil, sessions, today)) {
        if (a.kind != core::AlertKind::kPenaltyThreshold) continue;
        const SessionKey at = calendar.SessionAt(a.at);
        if (at.date < year_start ||
            have_penalty.contains({store::PenaltyCaseKind::kAttendance, pupil_id, at})) {
          continue;
        }
        to_open.push_back({.pupil_id = pupil_id,
                           .kind = store::PenaltyCaseKind::kAttendance,
                           .alert = at,
                           .evidence = EvidenceText(calendar, a.evidence),
                           .opened_at = now});
      }
      // ... and the local code of conduct's trigger, when the policy sets one.
      if (scenario.policy.local_code.sessions > 0) {
        for (const core::LocalTrigger& t :
             core::LocalCodeTriggers(calendar, scenario.policy.local_code, sessions)) {
          const SessionKey at = calendar.SessionAt(t.at);
          if (at.date < year_start ||
              have_penalty.contains({store::PenaltyCaseKind::kLocal, pupil_id, at})) {
            continue;
          }
          to_open.push_back({.pupil_id = pupil_id,
                             .kind = store::PenaltyCaseKind::kLocal,
                             .alert = at,
                             .evidence = EvidenceText(calendar, t.evidence),
                             .opened_at = now});
        }
      }
    }
  }

  for (const CmeChange& c : cme_changes) {
    core::Status s =
        c.close ? store.CloseCmeCase(*c.close, now, c.outcome, "rollcall")
                : store
                      .OpenCmeCase(
                          {.pupil_id = c.pupil_id, .first_day = *c.open_from, .opened_at = now})
                      .status();
    // Another request may have got there first; anything else is logged and
    // retried at the pupil's next mark.
    if (!s.ok() && s.code() != core::kErrCaseOpen && s.code() != core::kErrCaseClosed) {
      spdlog::warn("CME case for pupil {} not updated: {}", c.pupil_id, s.message());
    }
  }
  for (const store::PenaltyCase& c : to_open) {
    core::StatusOr<int64_t> id = store.OpenPenaltyCase(c);
    if (!id.ok() && id.status().code() != core::kErrPenaltyCaseExists) {
      spdlog::warn("penalty case for pupil {} not opened: {}", c.pupil_id, id.status().message());
    }
  }
}

}  // namespace rollcall::service
