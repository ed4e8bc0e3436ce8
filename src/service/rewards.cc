// rewards.cc: class tables, the 100% and most-improved lists, and their
// certificates (rewards.h).
#include "service/rewards.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>
#include <utility>

#include "core/error_codes.h"
#include "core/evaluate.h"
#include "core/pupil_sessions.h"
#include "letters/letters.h"
#include "service/dashboards.h"
#include "service/evidence.h"
#include "service/records.h"
#include "service/words.h"

namespace rollcall::service {
namespace {

using core::Date;
using core::Period;
using core::SessionCounts;

// The index of the last session on or before `day`; -1 when there is none.
int32_t LastSessionOnOrBefore(const core::Calendar& calendar, Date day) {
  return calendar.FirstSessionOnOrAfter(day.AddDays(1)) - 1;
}

// The sessions the school has been open in `period` by the scenario's
// moment: of its as_of day, only those whose registers have opened.
int64_t OpenSessions(const core::Scenario& scenario, const Period& period) {
  const core::Calendar& calendar = scenario.calendar;
  int64_t out = 0;
  for (int32_t i = calendar.FirstSessionOnOrAfter(period.from);
       i < calendar.FirstSessionOnOrAfter(period.to.AddDays(1)); ++i) {
    const core::SessionKey s = calendar.SessionAt(i);
    if (s.date > scenario.as_of) break;
    if (s.date == scenario.as_of &&
        (scenario.as_of_part == core::DayPart::kNoSession ||
         (scenario.as_of_part == core::DayPart::kAmOnly && s.session == core::Session::kPm))) {
      continue;
    }
    ++out;
  }
  return out;
}

// a's attendance is higher than b's: attended/possible compared exactly.
bool HigherRate(const SessionCounts& a, const SessionCounts& b) {
  return a.attended * b.possible > b.attended * a.possible;
}

bool SameRate(const SessionCounts& a, const SessionCounts& b) {
  return a.attended * b.possible == b.attended * a.possible;
}

// The rise from `before` to `now` as a fraction numerator/denominator:
// now.attended/now.possible - before.attended/before.possible.
struct Rise {
  int64_t numerator = 0, denominator = 1;
};
Rise RiseOf(const RewardPupil& p) {
  return {p.counts.attended * p.previous.possible - p.previous.attended * p.counts.possible,
          p.counts.possible * p.previous.possible};
}
// Compared exactly (both denominators are positive).
int CompareRise(const Rise& a, const Rise& b) {
  const int64_t l = a.numerator * b.denominator, r = b.numerator * a.denominator;
  return l < r ? -1 : (l > r ? 1 : 0);
}

// Enough sessions in a period to be compared: a handful does not make a
// rise. Half the sessions the school has been open, and kImprovedMinSessions
// (or every one, early in a week when there have been fewer).
bool EnoughToCompare(const SessionCounts& c, int64_t open_sessions) {
  return c.possible > 0 && c.possible >= std::max((open_sessions + 1) / 2,
                                                  std::min(kImprovedMinSessions, open_sessions));
}

// The period in the words of a certificate: "week beginning 30 November
// 2026", "half-term that began on 2 November 2026", "school year".
std::string PeriodWords(RewardPeriod period, const Period& dates) {
  switch (period) {
    case RewardPeriod::kWeek:
      return "week beginning " + LongDate(dates.from);
    case RewardPeriod::kHalfTerm:
      return "half-term that began on " + LongDate(dates.from);
    case RewardPeriod::kYear:
      return "school year";
  }
  core::Unreachable();
}

std::string PreviousWords(RewardPeriod period, const Period& dates) {
  switch (period) {
    case RewardPeriod::kWeek:
      return "week beginning " + LongDate(dates.from);
    case RewardPeriod::kHalfTerm:
      return "half-term that began on " + LongDate(dates.from);
    case RewardPeriod::kYear:
      return "school year " + core::AcademicYearText(dates.from.year());
  }
  core::Unreachable();
}

// Ranks `classes` best first, equal figures sharing a rank; those without
// a figure last, by name.
void Rank(std::vector<ClassStanding>& classes) {
  std::stable_sort(classes.begin(), classes.end(),
                   [](const ClassStanding& a, const ClassStanding& b) {
                     if (a.counts.has_value() != b.counts.has_value()) return a.counts.has_value();
                     if (a.counts && !SameRate(*a.counts, *b.counts)) {
                       return HigherRate(*a.counts, *b.counts);
                     }
                     return a.name < b.name;
                   });
  for (size_t i = 0; i < classes.size() && classes[i].counts; ++i) {
    classes[i].rank = i > 0 && SameRate(*classes[i].counts, *classes[i - 1].counts)
                          ? classes[i - 1].rank
                          : static_cast<int>(i) + 1;
  }
}

}  // namespace

std::string_view RewardPeriodKey(RewardPeriod p) {
  switch (p) {
    case RewardPeriod::kWeek:
      return "week";
    case RewardPeriod::kHalfTerm:
      return "half-term";
    case RewardPeriod::kYear:
      return "year";
  }
  core::Unreachable();
}

std::string_view RewardPeriodLabel(RewardPeriod p) {
  switch (p) {
    case RewardPeriod::kWeek:
      return "This week";
    case RewardPeriod::kHalfTerm:
      return "This half-term";
    case RewardPeriod::kYear:
      return "This academic year";
  }
  core::Unreachable();
}

core::StatusOr<RewardPeriod> RewardPeriodFromKey(std::string_view key) {
  for (RewardPeriod p : {RewardPeriod::kWeek, RewardPeriod::kHalfTerm, RewardPeriod::kYear}) {
    if (RewardPeriodKey(p) == key) return p;
  }
  return core::InvalidArgument(
      core::kErrValueInvalid,
      fmt::format("period '{}' is not one of week, half-term and year", key));
}

RewardDates RewardDatesOf(const core::Calendar& calendar, RewardPeriod period, Date as_of) {
  RewardDates out{{as_of, as_of}, std::nullopt};
  switch (period) {
    case RewardPeriod::kWeek: {
      // The school week holding as_of, else the last before it (in a
      // holiday, the assembly after it celebrates the week before).
      const int32_t last = LastSessionOnOrBefore(calendar, as_of);
      if (last < 0) return out;
      const Date monday = calendar.SessionAt(last).date.WeekStart();
      out.current = {monday, std::min(monday.AddDays(6), as_of)};
      const int32_t before = LastSessionOnOrBefore(calendar, monday.AddDays(-1));
      if (before >= 0) {
        const Date previous = calendar.SessionAt(before).date.WeekStart();
        out.previous = Period{previous, previous.AddDays(6)};
      }
      return out;
    }
    case RewardPeriod::kHalfTerm: {
      // The calendar's terms are its half-terms (as the governors' report
      // reads them).
      std::optional<core::Term> current, previous;
      for (const core::Term& t : calendar.terms()) {
        if (t.start <= as_of && (!current || t.start > current->start)) current = t;
      }
      if (!current) return out;
      for (const core::Term& t : calendar.terms()) {
        if (t.start < current->start && (!previous || t.start > previous->start)) previous = t;
      }
      out.current = {current->start, std::min(current->end, as_of)};
      if (previous) out.previous = Period{previous->start, previous->end};
      return out;
    }
    case RewardPeriod::kYear: {
      out.current = core::StatisticsPeriod(as_of);
      out.previous = Period{out.current.from.YearsEarlier(1), out.current.from.AddDays(-1)};
      return out;
    }
  }
  core::Unreachable();
}

core::StatusOr<RewardsView> Rewards::For(const Principal& who, RewardPeriod period, Date as_of) {
  bool exclude = false;
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kReadRewards, {}));
    exclude = school_.snapshot().settings.rewards_exclude_medical;
  }
  std::set<int64_t> conditions;
  if (exclude) {
    ASSIGN_OR_RETURN(std::vector<store::ConditionReview> all,
                     school_.store().ListConditionReviews());
    conditions = PupilsWithConditionOn(all, as_of);
  }
  const Evaluated state = school_.EvaluatedOn(as_of);
  const core::Scenario& scenario = *state.scenario;
  const core::Calendar& calendar = scenario.calendar;
  RewardsView v;
  v.as_of = as_of;
  v.period = period;
  v.dates = RewardDatesOf(calendar, period, as_of);
  v.medical_excluded = exclude;
  const int64_t open_now = OpenSessions(scenario, v.dates.current);
  const int64_t open_before = v.dates.previous ? OpenSessions(scenario, *v.dates.previous) : 0;

  // Who is who, read under the lock; the sessions are counted after it,
  // on the evaluation's own copy of the school, so writers do not wait.
  struct Member {
    size_t index = 0;  // in the scenario
    std::optional<int64_t> class_id;
    bool listed = false;  // on roll on as_of, and the reader may name them
    RewardPupil pupil;
  };
  std::vector<Member> members;
  std::map<int64_t, core::Aggregate> by_class;
  std::vector<ClassStanding> classes;
  int64_t excluded = 0;
  bool may_count_excluded = false;
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    v.school = FactsOf(snap);
    v.names_allowed = school_.Allow(who, Action::kListPupils, {}).ok();
    v.may_print = school_.Allow(who, Action::kSendLetters, {}).ok();
    // How many were left out is about pupils' health: only for those who
    // record conditions (the office and the head).
    may_count_excluded = school_.Allow(who, Action::kRecordCondition, {}).ok();
    for (const auto& [id, c] : snap.classes) {
      by_class[id];
      classes.push_back({.class_id = id, .name = c.name, .year_group = c.year_group});
    }
    // The snapshot may hold a pupil added since the evaluation: only those
    // evaluated count.
    for (size_t i = 0; i < snap.pupils.size() && i < scenario.pupils.size(); ++i) {
      const store::Pupil& p = snap.pupils[i];
      if (conditions.contains(p.id)) {
        ++excluded;
        continue;
      }
      Member m{.index = i, .class_id = p.class_id};
      // The lists are of pupils still on roll, whom the reader may name.
      m.listed = scenario.pupils[i].OnRollOn(as_of) &&
                 school_.Allow(who, Action::kReadPupil, {p.id, p.class_id}).ok();
      if (m.listed) {
        const std::string form = ClassNameOf(snap, p.class_id);
        m.pupil.pupil_id = p.id;
        m.pupil.name = DisplayName(p);
        m.pupil.class_name = form.empty() ? YearGroupName(p.year_group) : form;
      }
      members.push_back(std::move(m));
    }
  }
  if (may_count_excluded && exclude) v.excluded = excluded;

  std::vector<RewardPupil> improved;
  for (Member& m : members) {
    const std::vector<core::PupilSession> sessions =
        core::BuildPupilSessions(calendar, scenario.pupils[m.index], scenario.marks[m.index],
                                 scenario.default_mark, scenario.as_of, scenario.as_of_part);
    core::PupilEvaluation e;
    e.counts = core::CountSessions(calendar, sessions, v.dates.current);
    if (m.class_id) {
      if (auto c = by_class.find(*m.class_id); c != by_class.end()) c->second.Add(e);
    }
    if (!m.listed) continue;
    RewardPupil& rp = m.pupil;
    rp.counts = e.counts;
    if (e.counts.possible > 0 && e.counts.absence == 0) v.full_attendance.push_back(rp);
    if (v.dates.previous) {
      rp.previous = core::CountSessions(calendar, sessions, *v.dates.previous);
      if (EnoughToCompare(rp.counts, open_now) && EnoughToCompare(rp.previous, open_before) &&
          HigherRate(rp.counts, rp.previous)) {
        improved.push_back(std::move(rp));
      }
    }
  }

  for (ClassStanding& row : classes) {
    const core::Aggregate& a = by_class[row.class_id];
    row.pupils = a.pupils;
    // A governor sees no figure about a handful of pupils (dashboards.h).
    if (a.pupils > 0 && (v.names_allowed || a.pupils >= kSmallGroup)) row.counts = a.counts;
  }
  v.classes = std::move(classes);
  Rank(v.classes);

  auto by_class_then_name = [](const RewardPupil& a, const RewardPupil& b) {
    return std::tie(a.class_name, a.name, a.pupil_id) < std::tie(b.class_name, b.name, b.pupil_id);
  };
  std::sort(v.full_attendance.begin(), v.full_attendance.end(), by_class_then_name);
  std::sort(improved.begin(), improved.end(), [&](const RewardPupil& a, const RewardPupil& b) {
    const int c = CompareRise(RiseOf(a), RiseOf(b));
    return c != 0 ? c > 0 : by_class_then_name(a, b);
  });
  size_t shown = std::min(improved.size(), kImprovedShown);
  while (shown > 0 && shown < improved.size() &&
         CompareRise(RiseOf(improved[shown]), RiseOf(improved[shown - 1])) == 0) {
    ++shown;
  }
  improved.resize(shown);
  v.most_improved = std::move(improved);
  return v;
}

core::StatusOr<std::vector<store::Letter>> Rewards::Certificates(const Principal& who,
                                                                 RewardPeriod period,
                                                                 CertificateKind kind) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kSendLetters, {}));
  }
  const Date today = school_.clock().Today();
  ASSIGN_OR_RETURN(RewardsView v, For(who, period, today));
  const bool improved = kind == CertificateKind::kMostImproved;
  const std::vector<RewardPupil>& list = improved ? v.most_improved : v.full_attendance;
  if (list.empty()) {
    return core::InvalidArgument(
        core::kErrNoLetters,
        fmt::format("no pupil is on the {} list for {}: there is no certificate to print",
                    improved ? "most-improved" : "100%", PeriodWords(period, v.dates.current)));
  }
  const letters::Template tpl =
      improved ? letters::Template::kImprovedCertificate : letters::Template::kCertificate;
  std::vector<LetterDraft> drafts;
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    std::string signatory = "The attendance office";
    for (const auto& [id, u] : snap.users) {
      if (u.role == store::Role::kHead && u.active) {
        signatory = u.display_name;
        break;
      }
    }
    for (const RewardPupil& rp : list) {
      auto at = snap.pupil_index.find(rp.pupil_id);
      if (at == snap.pupil_index.end()) continue;  // removed since: no certificate
      const store::Pupil& p = snap.pupils[at->second];
      letters::Facts f;
      f.school_name = snap.school.name;
      f.signatory = signatory;
      f.date = LongDate(today);
      f.addressee = RecipientOf(p).addressee;
      f.pupil_name = rp.name;
      f.class_name = rp.class_name;
      f.attendance_pct = AttendancePctText(rp.counts);
      f.term = PeriodWords(period, v.dates.current);
      f.term_sessions =
          fmt::format("{} of {}", rp.counts.attended, Plural(rp.counts.possible, "session"));
      if (improved) {
        f.previous_term = PreviousWords(period, *v.dates.previous);
        f.previous_pct = AttendancePctText(rp.previous);
      }
      const letters::Text text = letters::Compose(tpl, f);
      nlohmann::ordered_json figures{
          {"period", RewardPeriodKey(period)}, {"period_from", v.dates.current.from.ToString()},
          {"as_of", today.ToString()},         {"attended", rp.counts.attended},
          {"possible", rp.counts.possible},    {"attendance_pct", f.attendance_pct}};
      if (improved) {
        figures["previous_from"] = v.dates.previous->from.ToString();
        figures["previous_to"] = v.dates.previous->to.ToString();
        figures["previous_attended"] = rp.previous.attended;
        figures["previous_possible"] = rp.previous.possible;
        figures["previous_pct"] = f.previous_pct;
      }
      store::Letter l{.pupil_id = p.id,
                      .template_key = std::string(letters::InfoOf(tpl).key),
                      .addressee = f.addressee,
                      .address = "",
                      .subject = text.subject,
                      .body = letters::JoinParagraphs(text.paragraphs),
                      .figures_json = figures.dump(),
                      .at = school_.clock().NowSeconds()};
      StampAuthor(l, who);
      drafts.push_back({std::move(l), rp.name});
    }
  }
  return letters_.SendDrafts(who, std::move(drafts));
}

}  // namespace rollcall::service
