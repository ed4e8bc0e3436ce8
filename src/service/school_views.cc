// school_views.cc: the school's records as the API and pages show them
// (school_views.h).
#include "service/school_views.h"

#include <fmt/format.h>

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
    out.push_back({p.id, p.upn, DisplayName(p), p.legal_given_name + " " + p.legal_family_name,
                   p.year_group, ClassOf(snap, p), snap.scenario.pupils[i].OnRollOn(today)});
  }
  return out;
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
