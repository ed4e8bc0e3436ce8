#include "service/la_directory.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "service/records.h"

namespace rollcall::service {
namespace {

using core::Date;

// The last day of each month from September up to today (today last).
std::vector<Date> MonthEnds(Date today) {
  std::vector<Date> ends;
  const Date start = today.AcademicYearStart();
  for (int m = 0; m < 12; ++m) {
    const int year = start.year() + (8 + m) / 12;
    const unsigned month = static_cast<unsigned>((8 + m) % 12 + 1);  // September first
    const Date first_of_next =
        month == 12 ? *Date::FromYmd(year + 1, 1, 1) : *Date::FromYmd(year, month + 1, 1);
    const Date end = first_of_next.AddDays(-1);
    if (end >= today) break;
    ends.push_back(end);
  }
  ends.push_back(today);
  return ends;
}

std::string PhoneKey(const std::string& phone) {
  std::string digits;
  for (char c : phone) {
    if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
  }
  if (digits.rfind("44", 0) == 0) digits = "0" + digits.substr(2);
  return digits.size() >= 10 ? digits : "";
}

bool OnRollThisYear(const store::Pupil& p, Date today) {
  const Date from = today.AcademicYearStart();
  return std::any_of(p.enrolments.begin(), p.enrolments.end(), [&](const store::Enrolment& e) {
    return e.start <= today && (!e.end || *e.end >= from);
  });
}

}  // namespace

core::StatusOr<std::shared_ptr<const LaSnapshot>> LaDirectory::Snapshot(Date today, int64_t now) {
  std::lock_guard lock(mu_);
  if (current_ && current_->today == today && now >= current_->computed_at) {
    const int64_t age = now - current_->computed_at;
    if (age < timing_.min_age_s) return current_;
    if (age < timing_.max_age_s) {
      ASSIGN_OR_RETURN(bool changed, ChangedSinceBuild());
      if (!changed) return current_;
    }
  }
  ASSIGN_OR_RETURN(current_, Build(today, now));
  return current_;
}

core::StatusOr<bool> LaDirectory::ChangedSinceBuild() {
  std::vector<store::ChangeCursor> next;
  next.reserve(stores_.size());
  bool changed = false;
  for (size_t i = 0; i < stores_.size(); ++i) {
    ASSIGN_OR_RETURN(store::OutsideChanges changes, stores_[i]->ChangesSince(cursors_[i]));
    changed = changed || changes.reload || !changes.marks.empty();
    next.push_back(changes.next);
  }
  // Unchanged: the next check starts from here, so it reads only newer marks.
  if (!changed) cursors_ = std::move(next);
  return changed;
}

core::StatusOr<std::shared_ptr<const LaSnapshot>> LaDirectory::Build(Date today, int64_t now) {
  // Where the next change check starts, read before the schools are: what
  // commits while they are read comes back from that check.
  std::vector<store::ChangeCursor> cursors;
  for (store::Store* store : stores_) {
    ASSIGN_OR_RETURN(store::OutsideChanges start, store->ChangesSince(store::ChangeCursor{}));
    cursors.push_back(start.next);
  }
  auto snapshot = std::make_shared<LaSnapshot>();
  snapshot->today = today;
  snapshot->computed_at = now;
  for (store::Store* store : stores_) {
    LaSchool s;
    core::StatusOr<store::School> school = store->GetSchool();
    if (!school.ok() && school.status().kind() == core::ErrorKind::kNotFound) continue;
    if (!school.ok()) return school.status();
    s.school = *school;
    ASSIGN_OR_RETURN(store::Settings settings, store->GetSettings());
    ASSIGN_OR_RETURN(s.pupils, store->ListPupils());
    ASSIGN_OR_RETURN(std::vector<store::Mark> marks, store->AllMarks());
    ASSIGN_OR_RETURN(const core::Scenario scenario,
                     ScenarioOf(*store, settings, s.pupils, marks, today));
    ASSIGN_OR_RETURN(s.support, store->AllSupportEvents());
    ASSIGN_OR_RETURN(const std::vector<store::CensusReturnRecord> census, store->CensusReturns());
    if (!census.empty()) s.last_census = census.front();
    ASSIGN_OR_RETURN(engine::School columns, engine::SchoolFromScenario(scenario, s.school.urn));
    snapshot->dataset.schools.push_back(std::move(columns));
    snapshot->schools.push_back(std::move(s));
  }
  snapshot->stats = engine::ComputeStatistics(snapshot->dataset, today);
  for (Date end : MonthEnds(today)) {
    engine::Statistics month = engine::ComputeStatistics(snapshot->dataset, end);
    LaTrendPoint point{end, {}};
    for (const engine::SchoolStats& s : month.schools) point.schools.push_back(s.school);
    snapshot->trend.push_back(std::move(point));
  }
  // The stage history of each persistently absent pupil, for the packs.
  for (size_t s = 0; s < snapshot->schools.size(); ++s) {
    LaSchool& school = snapshot->schools[s];
    for (size_t p = 0; p < school.pupils.size(); ++p) {
      if (!snapshot->stats.schools[s].pupils[p].persistent_absence) continue;
      ASSIGN_OR_RETURN(school.stages[school.pupils[p].id],
                       stores_[s]->StageHistory(school.pupils[p].id));
    }
  }
  cursors_ = std::move(cursors);
  return std::shared_ptr<const LaSnapshot>(std::move(snapshot));
}

std::vector<size_t> LaDirectory::Visible(const LaSnapshot& snapshot, const Principal& who) {
  std::vector<size_t> visible;
  for (size_t s = 0; s < snapshot.schools.size(); ++s) {
    if (Authorize(who, Action::kReadLaSchools, {}, snapshot.schools[s].school.la_code).ok()) {
      visible.push_back(s);
    }
  }
  std::sort(visible.begin(), visible.end(), [&](size_t a, size_t b) {
    return snapshot.schools[a].school.name < snapshot.schools[b].school.name;
  });
  return visible;
}

std::vector<LaPupilLink> LaDirectory::Movers(const LaSnapshot& snapshot,
                                             const std::vector<size_t>& visible) {
  std::map<std::string, std::vector<std::pair<size_t, size_t>>> by_upn;
  for (size_t s : visible) {
    const std::vector<store::Pupil>& pupils = snapshot.schools[s].pupils;
    for (size_t p = 0; p < pupils.size(); ++p) {
      if (OnRollThisYear(pupils[p], snapshot.today)) by_upn[pupils[p].upn].push_back({s, p});
    }
  }
  std::vector<LaPupilLink> out;
  for (auto& [upn, list] : by_upn) {
    if (list.size() > 1) out.push_back({upn, std::move(list)});
  }
  return out;
}

std::vector<LaPupilLink> LaDirectory::Siblings(const LaSnapshot& snapshot,
                                               const std::vector<size_t>& visible) {
  std::map<std::string, std::vector<std::pair<size_t, size_t>>> by_contact;
  for (size_t s : visible) {
    const std::vector<store::Pupil>& pupils = snapshot.schools[s].pupils;
    for (size_t p = 0; p < pupils.size(); ++p) {
      if (!OnRollThisYear(pupils[p], snapshot.today)) continue;
      std::set<std::string> keys;
      for (const store::Contact& c : pupils[p].contacts) {
        // The same named adult on the same phone: a number alone is shared
        // too often (recycled numbers, a grandparent's landline).
        if (std::string k = PhoneKey(c.phone); !k.empty() && !c.name.empty()) {
          keys.insert(LowerCase(c.name) + " " + k);
        }
      }
      for (const std::string& k : keys) by_contact[k].push_back({s, p});
    }
  }
  std::vector<LaPupilLink> out;
  std::set<std::vector<std::pair<size_t, size_t>>> seen;  // one entry per group of children
  for (auto& [key, list] : by_contact) {
    std::set<size_t> schools;
    std::set<std::string> upns;
    for (auto [s, p] : list) {
      schools.insert(s);
      upns.insert(snapshot.schools[s].pupils[p].upn);
    }
    // Children at two or more schools; one child's two records is a mover.
    if (schools.size() < 2 || upns.size() < 2) continue;
    if (!seen.insert(list).second) continue;
    out.push_back({key, std::move(list)});
  }
  return out;
}

}  // namespace rollcall::service
