// la_views.h
//
// The local authority's cross-school views as an LA officer reads them: the
// comparison of their schools (all pupils or one cohort), a pupil found
// across schools by UPN with the movers and likely siblings, and a school's
// targeting-support meeting pack. Each is built from LaDirectory's snapshot
// (every figure an engine::GroupTotals turned into a core::Aggregate, as the
// school's own dashboard counts them) and holds only the schools the officer
// may see (LaDirectory::Visible): only LA officers use these views.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/date.h"
#include "core/evaluate.h"
#include "core/graduated.h"
#include "core/status.h"
#include "service/access.h"
#include "service/la_directory.h"
#include "store/store.h"

namespace rollcall::service {

// A pupil's attendance at one school this year.
struct LaPupilAttendance {
  std::optional<double> pct;  // nullopt: no possible session yet
  bool persistent_absence = false;
  bool severe_absence = false;
};

struct LaSchoolFigures {
  store::School school;
  core::Aggregate figures;  // of the pupils compared
};

// The school comparison (/la/schools and GET /api/v1/la/schools).
struct LaSchoolsView {
  core::Date as_of;
  int64_t computed_at = 0;               // Unix seconds
  std::string la_code;                   // the officer's LA
  std::string cohort;                    // the pupils compared: "" for all, else a cohort flag
  std::vector<std::string> cohorts;      // every cohort flag at the officer's schools, sorted
  std::vector<LaSchoolFigures> schools;  // the officer's schools, by name
  core::Aggregate all_schools;
};

// A pupil on the roll of one of the officer's schools.
struct LaPupilRow {
  std::string name, upn, school_name;
  std::vector<store::Enrolment> enrolments;
  LaPupilAttendance attendance;
};

// Pupils across schools (/la/pupils).
struct LaPupilsView {
  std::string upn;                // as searched, upper case without spaces; "" for no search
  std::string upn_problem;        // why the UPN searched is not a valid UPN; "" when it is
  std::vector<LaPupilRow> found;  // the pupils with that UPN at the officer's schools
  // Each a group of rows about one child, or one family.
  std::vector<std::vector<LaPupilRow>> movers;    // on two of the schools' rolls this year
  std::vector<std::vector<LaPupilRow>> siblings;  // the same parent on the same phone
};

// A persistently absent pupil in the pack.
struct LaPackPupil {
  std::string name, upn;
  int year_group = 0;
  LaPupilAttendance attendance;
  std::vector<std::string> cohorts;         // the flags they hold
  std::optional<core::SupportStage> stage;  // the latest confirmed; nullopt when none
  int64_t actions = 0;                      // meetings, plans and reviews this year
};

// One school's figures as the LA's snapshot holds them: the school's
// dashboard as an officer opens it from the comparison (/la/schools/URN),
// which is all the LA holds of a school it does not serve, and the head of
// the school's pack.
struct LaSchoolView {
  store::School school;
  core::Date as_of;
  int64_t computed_at = 0;  // Unix seconds
  core::Aggregate figures;  // this year so far
  struct Month {
    core::Date to;  // the month's last day, or today
    core::Aggregate figures;
  };
  std::vector<Month> trend;  // year to date at each month's end, months with sessions only
  struct Cohort {
    std::string cohort;
    core::Aggregate figures;
  };
  std::vector<Cohort> cohorts;  // cohorts with pupils
  // The last school census return the school downloaded, for those who may
  // see it.
  std::optional<store::CensusReturnRecord> last_census;
};

// The targeting-support meeting pack of one school (/la/schools/URN/pack):
// its figures, then the persistently absent pupils and the support recorded.
struct LaPackView : LaSchoolView {
  // Persistently absent pupils grouped by their first cohort flag, in flag
  // order, with those who hold none ("") last.
  struct Group {
    std::string cohort;
    std::vector<LaPackPupil> pupils;
  };
  std::vector<Group> persistent_absence;
  int64_t meetings = 0, plans = 0, reviews = 0;  // support recorded this year
};

class LaViews {
 public:
  // Neither is owned; both must outlive the views.
  LaViews(LaDirectory& directory, const core::Clock& clock)
      : directory_(directory), clock_(clock) {}

  // The officer's schools compared on the pupils of `cohort` ("" for all).
  // PermissionDenied for anyone but an LA officer.
  core::StatusOr<LaSchoolsView> Schools(const Principal& who, const std::string& cohort);
  // The pupils with UPN `upn` (any case, spaces ignored; "" for none) at the
  // officer's schools, and the movers and likely siblings among them.
  core::StatusOr<LaPupilsView> Pupils(const Principal& who, const std::string& upn);
  // The figures of the school with URN `urn`, and its pack: NotFound
  // (NOT_FOUND) unless it is one of the officer's schools.
  core::StatusOr<LaSchoolView> SchoolFigures(const Principal& who, const std::string& urn);
  core::StatusOr<LaPackView> Pack(const Principal& who, const std::string& urn);

 private:
  // The directory's snapshot, when `who` is an LA officer.
  core::StatusOr<std::shared_ptr<const LaSnapshot>> SnapshotFor(const Principal& who);
  // The index in `s` of the officer's school with URN `urn`, and its
  // figures into `v`.
  static core::StatusOr<size_t> SchoolInto(const LaSnapshot& s, const Principal& who,
                                           const std::string& urn, LaSchoolView& v);

  LaDirectory& directory_;
  const core::Clock& clock_;
};

}  // namespace rollcall::service
