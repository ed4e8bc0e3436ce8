// la_views.cc: the LA officer's cross-school views (la_views.h).
#include "service/la_views.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "core/error_codes.h"
#include "core/statistics.h"
#include "core/upn.h"
#include "service/records.h"

namespace rollcall::service {
namespace {

// The figures of a group (all pupils or one cohort) of one school.
const engine::GroupTotals& GroupOf(const LaSnapshot& s, size_t school, const std::string& cohort,
                                   const engine::GroupTotals& empty) {
  const engine::SchoolStats& stats = s.stats.schools[school];
  if (cohort.empty()) return stats.school;
  const std::vector<std::string>& names = s.dataset.schools[school].cohort_names;
  auto it = std::find(names.begin(), names.end(), cohort);
  return it == names.end() ? empty : stats.cohorts[size_t(it - names.begin())];
}

std::vector<std::string> CohortsOfPupil(const engine::School& columns, size_t pupil) {
  std::vector<std::string> tags;
  for (size_t c = 0; c < columns.cohort_names.size(); ++c) {
    if ((columns.pupils[pupil].cohorts >> c) & 1) tags.push_back(columns.cohort_names[c]);
  }
  return tags;
}

LaPupilAttendance AttendanceOf(const engine::PupilStats& p) {
  return {core::Percent(p.attended, p.possible), p.persistent_absence, p.severe_absence};
}

LaPupilRow RowOf(const LaSnapshot& s, size_t school, size_t pupil) {
  const store::Pupil& p = s.schools[school].pupils[pupil];
  return {DisplayName(p), p.upn, s.schools[school].school.name, p.enrolments,
          AttendanceOf(s.stats.schools[school].pupils[pupil])};
}

std::vector<std::vector<LaPupilRow>> RowsOf(const LaSnapshot& s,
                                            const std::vector<LaPupilLink>& links) {
  std::vector<std::vector<LaPupilRow>> out;
  for (const LaPupilLink& link : links) {
    std::vector<LaPupilRow>& rows = out.emplace_back();
    for (auto [school, pupil] : link.pupils) rows.push_back(RowOf(s, school, pupil));
  }
  return out;
}

}  // namespace

core::StatusOr<std::shared_ptr<const LaSnapshot>> LaViews::SnapshotFor(const Principal& who) {
  RETURN_IF_ERROR(Authorize(who, Action::kReadLaSchools, {}, who.la_code));
  return directory_.Snapshot(clock_.Today(), clock_.NowSeconds());
}

core::StatusOr<LaSchoolsView> LaViews::Schools(const Principal& who, const std::string& cohort) {
  ASSIGN_OR_RETURN(const std::shared_ptr<const LaSnapshot> snapshot, SnapshotFor(who));
  const LaSnapshot& s = *snapshot;
  LaSchoolsView v;
  v.as_of = s.today;
  v.computed_at = s.computed_at;
  v.la_code = who.la_code;
  v.cohort = cohort;
  std::set<std::string> cohorts;
  engine::GroupTotals total;
  const engine::GroupTotals empty;
  for (size_t school : LaDirectory::Visible(s, who)) {
    const std::vector<std::string>& names = s.dataset.schools[school].cohort_names;
    cohorts.insert(names.begin(), names.end());
    const engine::GroupTotals& g = GroupOf(s, school, cohort, empty);
    total += g;
    v.schools.push_back({s.schools[school].school, g.ToAggregate()});
  }
  v.cohorts.assign(cohorts.begin(), cohorts.end());
  v.all_schools = total.ToAggregate();
  return v;
}

core::StatusOr<LaPupilsView> LaViews::Pupils(const Principal& who, const std::string& upn) {
  ASSIGN_OR_RETURN(const std::shared_ptr<const LaSnapshot> snapshot, SnapshotFor(who));
  const LaSnapshot& s = *snapshot;
  const std::vector<size_t> visible = LaDirectory::Visible(s, who);
  LaPupilsView v;
  v.upn = UpnAsHeld(upn);
  if (!v.upn.empty()) {
    if (core::Status bad = core::CheckUpn(v.upn); !bad.ok()) {
      v.upn_problem = bad.message();
    } else {
      for (size_t school : visible) {
        const std::vector<store::Pupil>& pupils = s.schools[school].pupils;
        for (size_t p = 0; p < pupils.size(); ++p) {
          if (pupils[p].upn == v.upn) v.found.push_back(RowOf(s, school, p));
        }
      }
    }
  }
  v.movers = RowsOf(s, LaDirectory::Movers(s, visible));
  v.siblings = RowsOf(s, LaDirectory::Siblings(s, visible));
  return v;
}

core::StatusOr<size_t> LaViews::SchoolInto(const LaSnapshot& s, const Principal& who,
                                           const std::string& urn, LaSchoolView& v) {
  const std::vector<size_t> visible = LaDirectory::Visible(s, who);
  auto it = std::find_if(visible.begin(), visible.end(),
                         [&](size_t school) { return s.schools[school].school.urn == urn; });
  if (it == visible.end()) {
    return core::NotFound(core::kErrNotFound,
                          fmt::format("No school with URN {} among your schools.", urn));
  }
  const size_t school = *it;
  const engine::SchoolStats& stats = s.stats.schools[school];
  const engine::School& columns = s.dataset.schools[school];
  v.school = s.schools[school].school;
  v.as_of = s.today;
  v.computed_at = s.computed_at;
  v.figures = stats.school.ToAggregate();
  for (const LaTrendPoint& t : s.trend) {
    const core::Aggregate a = t.schools[school].ToAggregate();
    if (a.counts.possible > 0) v.trend.push_back({t.to, a});
  }
  for (size_t c = 0; c < columns.cohort_names.size(); ++c) {
    const core::Aggregate a = stats.cohorts[c].ToAggregate();
    if (a.pupils > 0) v.cohorts.push_back({columns.cohort_names[c], a});
  }
  if (Authorize(who, Action::kReadCensusReturns, {}, v.school.la_code).ok()) {
    v.last_census = s.schools[school].last_census;
  }
  return school;
}

core::StatusOr<LaSchoolView> LaViews::SchoolFigures(const Principal& who, const std::string& urn) {
  ASSIGN_OR_RETURN(const std::shared_ptr<const LaSnapshot> snapshot, SnapshotFor(who));
  LaSchoolView v;
  RETURN_IF_ERROR(SchoolInto(*snapshot, who, urn, v).status());
  return v;
}

core::StatusOr<LaPackView> LaViews::Pack(const Principal& who, const std::string& urn) {
  ASSIGN_OR_RETURN(const std::shared_ptr<const LaSnapshot> snapshot, SnapshotFor(who));
  const LaSnapshot& s = *snapshot;
  LaPackView v;
  ASSIGN_OR_RETURN(const size_t school, SchoolInto(s, who, urn, v));
  const LaSchool& ls = s.schools[school];
  const engine::SchoolStats& stats = s.stats.schools[school];
  const engine::School& columns = s.dataset.schools[school];
  const core::Date year_start = s.today.AcademicYearStart();
  for (const store::SupportEvent& e : ls.support) {
    if (e.held_on < year_start) continue;
    v.meetings += e.kind == store::SupportKind::kPanelMeeting;
    v.plans += e.kind == store::SupportKind::kActionPlan;
    v.reviews += e.kind == store::SupportKind::kReview;
  }
  // By first cohort flag; "~" sorts those with none last.
  std::map<std::string, std::vector<LaPackPupil>> by_cohort;
  for (size_t p = 0; p < ls.pupils.size(); ++p) {
    if (!stats.pupils[p].persistent_absence) continue;
    const store::Pupil& pupil = ls.pupils[p];
    LaPackPupil row{DisplayName(pupil), pupil.upn, pupil.year_group, AttendanceOf(stats.pupils[p]),
                    CohortsOfPupil(columns, p)};
    if (auto h = ls.stages.find(pupil.id); h != ls.stages.end() && !h->second.empty()) {
      row.stage = h->second.back().stage;
    }
    for (const store::SupportEvent& e : ls.support) {
      row.actions += e.pupil_id == pupil.id && e.held_on >= year_start;
    }
    const std::string key = row.cohorts.empty() ? "~" : row.cohorts.front();
    by_cohort[key].push_back(std::move(row));
  }
  for (auto& [cohort, pupils] : by_cohort) {
    v.persistent_absence.push_back({cohort == "~" ? "" : cohort, std::move(pupils)});
  }
  return v;
}

}  // namespace rollcall::service
