// dashboards.h
//
// The school's attendance figures as the dashboard (school, year group,
// class or cohort), its JSON twin, the governors' half-termly report and the
// school summary show them. Every figure is a core::Aggregate or
// core::Breakdown of the same as-of evaluation (School::EvaluatedOn), so the
// pages, the API and `rollcall evaluate` of the export agree.
//
// Who sees what is decided here. Those who may not see pupils' names
// (governors) get no figure about fewer than kSmallGroup pupils, and no
// pupil's name; the governors' report holds back small groups from everyone.
// A view carries nothing its reader may not see, so whatever renders it
// (a page, the JSON) cannot show more.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/codes.h"
#include "core/date.h"
#include "core/evaluate.h"
#include "core/statistics.h"
#include "core/status.h"
#include "service/access.h"
#include "service/school.h"
#include "service/school_views.h"
#include "service/support.h"

namespace rollcall::service {

// A handful of pupils can be identified: figures about fewer than this many
// are withheld from those who may not see names.
inline constexpr int64_t kSmallGroup = 5;
// The school weeks before and after an intervention whose attendance the
// dashboard compares.
inline constexpr int kImpactWeeks = 4;

// A group of pupils: "school", "year-N", "class-ID" or "cohort-TAG", and
// its label ("Whole school", "Year 3", "Class 3A", "Cohort: Free school meals").
struct DashboardGroup {
  std::string id, label;
};

struct DashboardWeek {
  core::Date week_start;                      // the Monday
  std::optional<core::SessionCounts> counts;  // nullopt: too few pupils for the reader
};

// An absence code used in the group's sessions.
struct DashboardReason {
  const core::CodeInfo* info = nullptr;  // an authorised or unauthorised absence code
  std::optional<int64_t> sessions;       // nullopt: too few pupils for the reader
};

// The attendance of the group's pupils in the kImpactWeeks school weeks
// before and after each intervention of one kind (complete windows only).
struct DashboardImpact {
  std::string type;   // "call", "panel_meeting", "part_time_timetable", ...
  std::string label;  // "Phone calls", "Attendance panels", ...
  struct Figures {
    int64_t interventions = 0;
    int64_t pupils = 0;    // the different pupils concerned
    int64_t improved = 0;  // attendance higher after than before
    core::SessionCounts before, after;
  };
  std::optional<Figures> figures;  // nullopt: too few pupils for the reader
};

// A cohort's (or a half-term's) figures under a label.
struct LabelledFigures {
  std::string label;
  std::optional<core::Aggregate> figures;  // nullopt: too few pupils for the reader
};

// A persistently absent pupil of the group whom the reader may read.
struct PersistentAbsentee {
  int64_t pupil_id = 0;
  std::string name;
  std::string class_label;  // their class's name, else their year group's
  core::SessionCounts counts;
  bool severe = false;  // 50% or more absent
};

struct DashboardView {
  SchoolFacts school;
  core::Date as_of;
  core::Period period;                 // this academic year, to as_of
  std::vector<DashboardGroup> groups;  // every group the school has, for the picker
  DashboardGroup group;                // the group shown
  bool names_allowed = false;          // the reader may see pupils' names
  // The group's figures; nullopt when the group is too small to show the
  // reader (suppressed), and then every list below is empty.
  std::optional<core::Aggregate> summary;
  std::vector<DashboardWeek> weeks;                                 // school weeks, in order
  std::array<std::optional<core::SessionCounts>, 5> weekdays = {};  // Monday to Friday
  int64_t sessions_possible = 0;         // the sessions the reasons are a share of
  std::vector<DashboardReason> reasons;  // absence codes used, in code order
  std::optional<int64_t> illness;        // sessions coded I, unless too few pupils
  std::vector<DashboardImpact> impact;   // by type
  std::vector<LabelledFigures> cohorts;  // by tag; the whole school's group only
  // Lowest attendance first; only for readers who may see names.
  std::vector<PersistentAbsentee> persistent_absence;
};

// The governors' report: half-term by half-term, aggregates only, and no row
// about fewer than kSmallGroup pupils whoever reads it.
struct GovernorsReport {
  SchoolFacts school;
  core::Date as_of;
  core::Period year;  // this academic year, to as_of
  // "Autumn 1".."Summer 2" in a year of six, else "Half-term N"; each with
  // persistent and severe absence judged on its own sessions.
  struct HalfTerm {
    core::Period period;
    LabelledFigures row;
  };
  std::vector<HalfTerm> half_terms;
  std::optional<core::Aggregate> year_to_date;
  std::vector<LabelledFigures> cohorts;  // by tag, year to date
};

// The school's and each cohort's figures (GET /api/v1/school/summary).
struct SchoolSummaryView {
  core::Date as_of;
  std::optional<core::Aggregate> school;  // nullopt: too few pupils for the reader
  std::vector<LabelledFigures> cohorts;   // by tag
};

class Dashboards {
 public:
  Dashboards(School& school, Support& support) : school_(school), support_(support) {}

  // The dashboard of `group` ("" for the whole school) as of `as_of`, for
  // those who may read the school's figures (kReadSchoolSummary). NotFound
  // (NOT_FOUND) when the school has no such group.
  core::StatusOr<DashboardView> For(const Principal& who, const std::string& group,
                                    core::Date as_of);

  // The governors' report as of `as_of` (kReadSchoolSummary).
  core::StatusOr<GovernorsReport> Governors(const Principal& who, core::Date as_of);

  // The school's and its cohorts' figures as of `as_of` (kReadSchoolSummary).
  core::StatusOr<SchoolSummaryView> Summary(const Principal& who, core::Date as_of);

 private:
  // The group's interventions this academic year, from the contact log, the
  // support records and the part-time timetables (`pupils`: scenario
  // indices of the group).
  core::StatusOr<std::vector<DashboardImpact>> ImpactOf(const Principal& who,
                                                        const Evaluated& state,
                                                        const std::vector<size_t>& pupils,
                                                        bool names_allowed);

  School& school_;
  Support& support_;
};

}  // namespace rollcall::service
