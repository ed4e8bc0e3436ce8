// school_views.h
//
// The school's records as the API and the pages show them: its name and
// attendance target, its classes, the pupils a reader may see, one pupil's
// record and figures, and the whole school in the scenario format. Each call
// checks access, reads the snapshot under the school's lock and returns
// copies, so a caller renders them holding no lock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/scenario.h"
#include "core/status.h"
#include "service/access.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::service {

// The school's name, attendance target and phase, for a page's heading and
// the comparisons with the target and the national figures; its URN and its
// LA's code, for the API's account details.
struct SchoolFacts {
  std::string name;
  std::string target_attendance_pct;  // "96.5"; "" when none is set
  std::string phase;                  // "primary", "secondary", ...
  std::string urn;
  std::string la_code;
};

// The facts of the snapshot. Requires the school's lock held.
SchoolFacts FactsOf(const Snapshot& snap);

// A class a pupil belongs to.
struct ClassRef {
  int64_t id = 0;
  std::string name;
};

struct ClassView {
  int64_t id = 0;
  std::string name;
  int year_group = 0;
  std::vector<std::string> teachers;  // display names, of accounts that exist
};

// A pupil as the pupil list shows them.
struct PupilListItem {
  int64_t id = 0;
  std::string upn;
  std::string name;        // preferred names where given (DisplayName)
  std::string legal_name;  // "given family"
  int year_group = 0;
  std::optional<ClassRef> class_ref;  // nullopt: no class, or one no longer held
  bool on_roll = false;               // today
};

// What the pupil list and the pupil search narrow the pupils by, as the
// form sends them; an empty field narrows nothing.
struct PupilFilter {
  std::string text;      // part of a name or of a UPN, in any case
  std::string class_id;  // a class's id
  std::string year;      // a year group: "0" for Reception, else its number
  std::string band;      // a band of the school's policy ("green", ...)
  std::string cohort;    // a cohort flag held today ("FSM", ...)
};

// A pupil found, with what the filters look at.
struct FoundPupil {
  PupilListItem pupil;
  std::optional<std::string> band;   // this year's; nullopt before any possible session
  std::vector<std::string> cohorts;  // the flags held today, sorted
};

// The pupil list and the search (/pupils).
struct PupilSearchView {
  PupilFilter filter;  // as given, the text without its outer spaces
  // The pupil whose UPN the text is, when the reader may see them: a search
  // for a UPN goes straight to that pupil.
  std::optional<int64_t> upn_match;
  std::vector<FoundPupil> pupils;  // the matches the reader may see, in the school's order
  // What the filters offer, drawn only from the pupils the reader may see,
  // so a teacher is offered their own classes.
  std::vector<ClassRef> classes;     // by id
  std::vector<int> years;            // ascending
  std::vector<std::string> bands;    // the policy's, best first
  std::vector<std::string> cohorts;  // sorted
};

// A class's pupils on roll today, to print and keep by the door: who they
// are and whom to ring in an emergency.
struct ClassListRow {
  int64_t pupil_id = 0;
  std::string name;  // DisplayName
  std::string upn;
  int year_group = 0;
  core::Date date_of_birth;
  std::vector<store::Contact> contacts;  // in the order to ring them
};
struct ClassListView {
  std::string school;
  store::Class of_class;
  core::Date as_of;
  std::vector<ClassListRow> pupils;
};

// The school as the rules core sees it on a day, to export.
struct ScenarioExport {
  std::string school_name;
  core::Scenario scenario;
};

class SchoolViews {
 public:
  explicit SchoolViews(School& school) : school_(school) {}

  // No access check: the name heads every page, the login form's too.
  SchoolFacts Facts() const;

  // The classes by id, with their teachers' names (kListClasses).
  core::StatusOr<std::vector<ClassView>> Classes(const Principal& who) const;

  // The pupils `who` may read (kListPupils, then kReadPupil for each), in
  // the school's order; with a filter, only those of that class.
  // InvalidArgument VALUE_INVALID when the filter is not a class id.
  core::StatusOr<std::vector<PupilListItem>> Pupils(
      const Principal& who, const std::optional<std::string>& class_filter) const;

  // The pupils `who` may read (kListPupils, then kReadPupil for each) that
  // match every field of `filter`, with their band and cohorts today, and
  // what the filters may offer. InvalidArgument VALUE_INVALID naming the
  // field when the class, year or band is not one there can be.
  core::StatusOr<PupilSearchView> FindPupils(const Principal& who, const PupilFilter& filter);

  // The pupils of `class_id` on roll today, with their contacts, for whoever
  // may read that class's register (kReadRegister) and each pupil
  // (kReadPupil): the class's teachers, the office, the head and the LA.
  // NotFound CLASS_UNKNOWN when the school has no such class.
  core::StatusOr<ClassListView> ClassList(const Principal& who, int64_t class_id) const;

  // The whole school as of `as_of` (kExportScenario), cohort tags as held
  // that day.
  core::StatusOr<ScenarioExport> Export(const Principal& who, core::Date as_of) const;

 private:
  School& school_;
};

}  // namespace rollcall::service
