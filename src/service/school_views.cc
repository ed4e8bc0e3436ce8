// school_views.cc: the school's records as the API and pages show them
// (school_views.h).
#include "service/school_views.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <string_view>

#include "core/error_codes.h"
#include "service/fields.h"
#include "service/records.h"

namespace rollcall::service {
namespace {

// The pupil's class, when they have one the school still holds.
std::optional<ClassRef> ClassOf(const Snapshot& snap, const store::Pupil& p) {
  if (!p.class_id) return std::nullopt;
  auto c = snap.classes.find(*p.class_id);
  if (c == snap.classes.end()) return std::nullopt;
  return ClassRef{c->first, c->second.name};
}

// The pupil at snapshot index `i` as the list shows them.
PupilListItem ItemOf(const Snapshot& snap, size_t i, core::Date today) {
  const store::Pupil& p = snap.pupils[i];
  return {p.id,
          p.upn,
          DisplayName(p),
          p.legal_given_name + " " + p.legal_family_name,
          p.year_group,
          ClassOf(snap, p),
          snap.scenario.pupils[i].OnRollOn(today)};
}

// Whether the search text is in the pupil's names or UPN: every word of it
// in one of the names, so "ben hill" finds Reuben Hill.
bool TextMatches(const std::string& text, const PupilListItem& p) {
  if (text.empty()) return true;
  if (const std::string upn = UpnAsHeld(text);
      upn.size() >= 3 && p.upn.find(upn) != std::string::npos) {
    return true;
  }
  const std::string names = LowerCase(p.name + " " + p.legal_name);
  size_t start = 0;
  const std::string lower = LowerCase(text);
  while (start < lower.size()) {
    size_t end = lower.find(' ', start);
    if (end == std::string::npos) end = lower.size();
    if (end > start && names.find(lower.substr(start, end - start)) == std::string::npos) {
      return false;
    }
    start = end + 1;
  }
  return true;
}

std::string Trimmed(const std::string& text) {
  const size_t from = text.find_first_not_of(' ');
  if (from == std::string::npos) return "";
  return text.substr(from, text.find_last_not_of(' ') - from + 1);
}

}  // namespace

SchoolFacts FactsOf(const Snapshot& snap) {
  return {snap.school.name, snap.settings.target_attendance_pct, snap.school.phase, snap.school.urn,
          snap.school.la_code};
}

SchoolFacts SchoolViews::Facts() const {
  auto lock = school_.Read();
  return FactsOf(school_.snapshot());
}

core::StatusOr<std::vector<ClassView>> SchoolViews::Classes(const Principal& who) const {
  auto lock = school_.Read();
  RETURN_IF_ERROR(school_.Allow(who, Action::kListClasses, {}));
  const Snapshot& snap = school_.snapshot();
  std::vector<ClassView> out;
  for (const auto& [id, c] : snap.classes) {
    ClassView v{id, c.name, c.year_group, {}};
    for (int64_t t : c.teacher_ids) {
      auto u = snap.users.find(t);
      if (u != snap.users.end()) v.teachers.push_back(u->second.display_name);
    }
    out.push_back(std::move(v));
  }
  return out;
}

core::StatusOr<std::vector<PupilListItem>> SchoolViews::Pupils(
    const Principal& who, const std::optional<std::string>& class_filter) const {
  const core::Date today = school_.clock().Today();
  auto lock = school_.Read();
  RETURN_IF_ERROR(school_.Allow(who, Action::kListPupils, {}));
  std::optional<int64_t> class_id;
  if (class_filter) {
    class_id = ParseId(*class_filter);
    if (!class_id) return core::InvalidArgument(core::kErrValueInvalid, "class must be a class id");
  }
  const Snapshot& snap = school_.snapshot();
  std::vector<PupilListItem> out;
  for (size_t i = 0; i < snap.pupils.size(); ++i) {
    const store::Pupil& p = snap.pupils[i];
    if (class_id && p.class_id != class_id) continue;
    if (!school_.Allow(who, Action::kReadPupil, {p.id, p.class_id}).ok()) continue;
    out.push_back(ItemOf(snap, i, today));
  }
  return out;
}

core::StatusOr<PupilSearchView> SchoolViews::FindPupils(const Principal& who,
                                                        const PupilFilter& filter) {
  const core::Date today = school_.clock().Today();
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kListPupils, {}));
  }
  PupilSearchView v;
  v.filter = filter;
  v.filter.text = Trimmed(filter.text);
  std::optional<int64_t> class_id;
  if (!filter.class_id.empty()) {
    class_id = ParseId(filter.class_id);
    if (!class_id) return core::InvalidArgument(core::kErrValueInvalid, "class must be a class id");
  }
  std::optional<int> year;
  if (!filter.year.empty()) {
    int y = -1;
    const char* end = filter.year.data() + filter.year.size();
    if (filter.year.size() > 2 || std::from_chars(filter.year.data(), end, y).ptr != end || y < 0) {
      return core::InvalidArgument(core::kErrValueInvalid,
                                   "year must be a year group: 0 for Reception, else its number");
    }
    year = y;
  }
  // The bands come from the school's evaluation, which is taken without the
  // lock held (School::EvaluatedOn).
  const Evaluated state = school_.EvaluatedOn(today);
  const std::vector<core::PupilEvaluation>& evaluated = state.evaluation->pupils;
  auto lock = school_.Read();
  const Snapshot& snap = school_.snapshot();
  for (const core::Band& b : snap.scenario.policy.bands) v.bands.push_back(b.name);
  if (!filter.band.empty() &&
      std::find(v.bands.begin(), v.bands.end(), filter.band) == v.bands.end()) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("band must be one of the school's bands: {}", fmt::join(v.bands, ", ")));
  }
  const std::string upn = UpnAsHeld(v.filter.text);
  std::map<int64_t, std::string> classes;
  std::set<int> years;
  std::set<std::string> cohorts;
  for (size_t i = 0; i < snap.pupils.size(); ++i) {
    const store::Pupil& p = snap.pupils[i];
    if (!school_.Allow(who, Action::kReadPupil, {p.id, p.class_id}).ok()) continue;
    // A pupil added since the evaluation has no band yet.
    FoundPupil found{ItemOf(snap, i, today),
                     i < evaluated.size() ? evaluated[i].band : std::nullopt,
                     CohortTagsOn(p, today)};
    if (found.pupil.class_ref)
      classes.emplace(found.pupil.class_ref->id, found.pupil.class_ref->name);
    years.insert(p.year_group);
    cohorts.insert(found.cohorts.begin(), found.cohorts.end());
    if (!upn.empty() && p.upn == upn) v.upn_match = p.id;
    if (class_id && p.class_id != class_id) continue;
    if (year && p.year_group != *year) continue;
    if (!filter.band.empty() && found.band != filter.band) continue;
    if (!filter.cohort.empty() && std::find(found.cohorts.begin(), found.cohorts.end(),
                                            filter.cohort) == found.cohorts.end()) {
      continue;
    }
    if (!TextMatches(v.filter.text, found.pupil)) continue;
    v.pupils.push_back(std::move(found));
  }
  for (const auto& [id, name] : classes) v.classes.push_back({id, name});
  v.years.assign(years.begin(), years.end());
  v.cohorts.assign(cohorts.begin(), cohorts.end());
  return v;
}

core::StatusOr<ClassListView> SchoolViews::ClassList(const Principal& who, int64_t class_id) const {
  const core::Date today = school_.clock().Today();
  auto lock = school_.Read();
  const Snapshot& snap = school_.snapshot();
  auto c = snap.classes.find(class_id);
  if (c == snap.classes.end()) {
    return core::NotFound(core::kErrClassUnknown, fmt::format("no class with id {}", class_id));
  }
  RETURN_IF_ERROR(school_.Allow(who, Action::kReadRegister, {std::nullopt, class_id}));
  ClassListView out{.school = snap.school.name, .of_class = c->second, .as_of = today};
  for (size_t i = 0; i < snap.pupils.size(); ++i) {
    const store::Pupil& p = snap.pupils[i];
    if (p.class_id != class_id || !snap.scenario.pupils[i].OnRollOn(today)) continue;
    RETURN_IF_ERROR(school_.Allow(who, Action::kReadPupil, {p.id, p.class_id}));
    out.pupils.push_back({p.id, DisplayName(p), p.upn, p.year_group, p.date_of_birth, p.contacts});
  }
  return out;
}

core::StatusOr<ScenarioExport> SchoolViews::Export(const Principal& who, core::Date as_of) const {
  auto lock = school_.Read();
  RETURN_IF_ERROR(school_.Allow(who, Action::kExportScenario, {}));
  return ScenarioExport{school_.snapshot().school.name, school_.ScenarioAsOf(as_of)};
}

}  // namespace rollcall::service
