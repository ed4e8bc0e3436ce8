// case_checks.cc: opening and closing CME and penalty cases (case_checks.h).
#include "service/case_checks.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>

#include "core/alerts.h"
#include "core/cme.h"
#include "core/codes.h"
#include "core/error_codes.h"
#include "core/local_code.h"
#include "core/pupil_sessions.h"
#include "service/records.h"
#include "service/words.h"

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
               ? fmt::format("Back in school on {}", SessionText(key))
               : fmt::format("Absence explained: {} ({}) from {}", core::SymbolOf(*s.code),
                             core::InfoOf(*s.code).meaning, SessionText(key));
  }
  return "Absence explained";
}

// One pupil's penalty cases of one kind, as the episode rule reads them
// (docs/rules.md section 5, "One case per episode").
struct Episodes {
  std::optional<int64_t> open_case;  // the latest open case
  std::optional<Date> open_since;    // the day of the window that opened it
  std::optional<Date> last_closed;   // the latest day a case was closed
  std::optional<Date> last_notice;   // the latest penalty notice issued, not withdrawn
  std::set<SessionKey> cited;        // every alert a case or a later window cites
};
using EpisodeKey = std::pair<int64_t, store::PenaltyCaseKind>;  // pupil id, kind

void AddEpisode(std::map<EpisodeKey, Episodes>& episodes, const store::PenaltyCase& c) {
  Episodes& e = episodes[{c.pupil_id, c.kind}];
  e.cited.insert(c.alert);
  for (const store::PenaltyWindow& w : c.windows) e.cited.insert(w.alert);
  if (c.last_notice_on && (!e.last_notice || *e.last_notice < *c.last_notice_on)) {
    e.last_notice = c.last_notice_on;
  }
  if (c.closed_on) {
    e.last_closed = e.last_closed ? std::max(*e.last_closed, *c.closed_on) : *c.closed_on;
  } else if (!e.open_case || *e.open_case < c.id) {
    e.open_case = c.id;
    e.open_since = c.alert.date;
  }
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
  std::map<EpisodeKey, Episodes> episodes;
  if (pupil_ids.size() >= kReadAllCasesFrom) {
    core::StatusOr<std::vector<store::CmeCase>> open = store.ListCmeCases(true);
    core::StatusOr<std::vector<store::PenaltyCase>> penalty = store.ListPenaltyCases();
    if (!open.ok() || !penalty.ok()) {
      spdlog::warn("cases not checked: {}",
                   (!open.ok() ? open.status() : penalty.status()).message());
      return;
    }
    for (store::CmeCase& c : *open) open_cme.emplace(c.pupil_id, std::move(c));
    for (const store::PenaltyCase& c : *penalty) AddEpisode(episodes, c);
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
      for (const store::PenaltyCase& c : *penalty) AddEpisode(episodes, c);
    }
  }

  std::vector<CmeChange> cme_changes;
  // New cases, each with the later windows of its episode found in the same
  // check; and windows for cases already open.
  std::vector<store::PenaltyCase> to_open;
  std::vector<store::PenaltyWindow> to_add;
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

      // Penalty notices, one case per episode of each kind: a threshold met
      // while a case is open adds its sessions to that case; with none open,
      // it opens one. An episode ends when its case closes or a penalty
      // notice is issued in one of its cases (the notice answers the absence
      // up to its issue): only sessions after that count towards a new case.
      const auto penalty_alert = [&](store::PenaltyCaseKind kind, int32_t index,
                                     std::span<const core::PupilSession> evidence) {
        const SessionKey at = calendar.SessionAt(index);
        const auto found = episodes.find({pupil_id, kind});
        const Episodes* e = found == episodes.end() ? nullptr : &found->second;
        if (at.date < year_start || (e && e->cited.contains(at))) return;
        const std::string cited = EvidenceText(calendar, evidence);
        const bool episode_open =
            e && e->open_case && !(e->last_notice && *e->open_since <= *e->last_notice);
        if (episode_open) {
          to_add.push_back(
              {.case_id = *e->open_case, .alert = at, .evidence = cited, .added_at = now});
        } else if (!to_open.empty() && to_open.back().pupil_id == pupil_id &&
                   to_open.back().kind == kind) {
          to_open.back().windows.push_back({.alert = at, .evidence = cited, .added_at = now});
        } else {
          to_open.push_back({.pupil_id = pupil_id,
                             .kind = kind,
                             .alert = at,
                             .evidence = cited,
                             .opened_at = now});
        }
      };
      // The sessions a kind's next window may count: those after its last
      // episode ended.
      const auto counted = [&](store::PenaltyCaseKind kind) -> std::span<const core::PupilSession> {
        const auto found = episodes.find({pupil_id, kind});
        if (found == episodes.end()) return sessions;
        std::optional<Date> ended = found->second.last_notice;
        if (found->second.last_closed && (!ended || *ended < *found->second.last_closed)) {
          ended = found->second.last_closed;
        }
        if (!ended) return sessions;
        const auto first = std::find_if(sessions.begin(), sessions.end(), [&](const auto& s) {
          return calendar.SessionAt(s.index).date > *ended;
        });
        return {first, sessions.end()};
      };
      // ... the national threshold ...
      for (const core::Alert& a :
           core::ComputeAlerts(calendar, scenario.policy, pupil,
                               counted(store::PenaltyCaseKind::kAttendance), today)) {
        if (a.kind == core::AlertKind::kPenaltyThreshold) {
          penalty_alert(store::PenaltyCaseKind::kAttendance, a.at, a.evidence);
        }
      }
      // ... and the local code of conduct's trigger, when the policy sets one.
      if (scenario.policy.local_code.sessions > 0) {
        for (const core::LocalTrigger& t : core::LocalCodeTriggers(
                 calendar, scenario.policy.local_code, counted(store::PenaltyCaseKind::kLocal))) {
          penalty_alert(store::PenaltyCaseKind::kLocal, t.at, t.evidence);
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
    if (!id.ok()) {
      if (id.status().code() != core::kErrPenaltyCaseExists) {
        spdlog::warn("penalty case for pupil {} not opened: {}", c.pupil_id, id.status().message());
      }
      continue;
    }
    for (store::PenaltyWindow w : c.windows) {
      w.case_id = *id;
      to_add.push_back(std::move(w));
    }
  }
  for (const store::PenaltyWindow& w : to_add) {
    core::Status s = store.AddPenaltyWindow(w).status();
    // Another request may have added it, or the head closed the case since
    // it was read: the next check counts the window towards a new case.
    if (!s.ok() && s.code() != core::kErrPenaltyCaseExists &&
        s.code() != core::kErrPenaltyCaseClosed) {
      spdlog::warn("penalty case {} not updated: {}", w.case_id, s.message());
    }
  }
}

}  // namespace rollcall::service
