// people.cc: the pupils (drafted from synth's school with UPNs, dates of
// birth, enrolments and flags), the classes and every account, and the pupils
// written to the store with their parents' links.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/upn.h"
#include "demo/internal.h"
#include "service/password.h"

namespace rollcall::cli::internal {
namespace {

// Synth's invented given names that are girls' names; every other name is a boy's.
constexpr std::array<std::string_view, 24> kGirlsNames = {
    "Amelia", "Isla",  "Ava",   "Mia",      "Ivy",    "Lily",   "Isabella", "Rosie",
    "Sophia", "Grace", "Freya", "Florence", "Evie",   "Olivia", "Ella",     "Poppy",
    "Aisha",  "Zara",  "Maya",  "Chloe",    "Hannah", "Priya",  "Amara",    "Niamh"};

// Names a few children are known by instead of their legal given name.
constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kKnownAs = {{
    {"Oliver", "Ollie"},
    {"Thomas", "Tom"},
    {"Joshua", "Josh"},
    {"Isabella", "Bella"},
    {"Florence", "Flo"},
    {"Jacob", "Jake"},
    {"Sophia", "Sophie"},
    {"Olivia", "Liv"},
    {"Tomasz", "Tomek"},
    {"Muhammad", "Mo"},
}};

// Destinations of pupils who left for another school (deletion ground a).
constexpr std::array<std::string_view, 5> kOtherSchools = {
    "Fellside Primary School, Kendal", "St Bega's CE Primary School, Eskdale",
    "Greengate Junior School, Barrow-in-Furness", "Oakfield Primary Academy, Leeds",
    "Castle Hill Primary School, Carlisle"};
// Where families moved too far away for the school run (deletion ground g).
constexpr std::array<std::string_view, 4> kMovedTo = {"Bristol", "Norwich", "Plymouth",
                                                      "Newcastle upon Tyne"};
// LA numbers (real ones) of the schools that issued joiners' UPNs.
constexpr std::array<std::string_view, 5> kOtherLas = {"908", "888", "330", "919", "802"};

std::string YearGroupLabel(int year_group) {
  return year_group == 0 ? "R" : std::to_string(year_group);
}

std::string ClassName(int class_index) {
  return YearGroupLabel(class_index / 2) +
         std::string(kClassLetters[static_cast<size_t>(class_index % 2)]);
}

// The 1 September that starts academic year `start_year`.
Date SeptemberFirst(int start_year) { return *Date::FromYmd(start_year, 9, 1); }

Date FlagStart(Date enrolled, Date today, synth::Rng& rng) {
  // Identified some time after joining (but before the last month), or on joining.
  const int32_t span = today.AddDays(-30).days() - enrolled.days();
  if (span <= 0 || rng.Chance(0.5)) return enrolled;
  return enrolled.AddDays(rng.Between(0, span));
}

void AddFlags(const synth::CohortFlags& flags, Date enrolled, Date today, synth::Rng& rng,
              std::vector<store::CohortFlag>& out) {
  const auto add = [&](std::string_view flag, Date from) {
    out.push_back({std::string(flag), from, std::nullopt});
  };
  if (flags.free_school_meals) {
    add("FSM", enrolled);
    add("PP", enrolled);
  } else if (flags.looked_after) {
    add("PP", enrolled);  // pupil premium plus: looked-after children qualify without FSM
  }
  if (flags.sen_support) add("SEN_K", FlagStart(enrolled, today, rng));
  if (flags.ehc_plan) add("EHCP", FlagStart(enrolled, today, rng));
  if (flags.looked_after) add("CLA", FlagStart(enrolled, today, rng));
  if (flags.social_worker) add("SW", FlagStart(enrolled, today, rng));
  if (flags.young_carer) add("YC", FlagStart(enrolled, today, rng));
  if (rng.Chance(0.2)) add("EAL", enrolled);
}

// Deletion from the admission register: the ground letter of the 2024
// Regulations (reg 9) and the destination.
void SetDeletion(synth::PupilPattern pattern, synth::Rng& rng, store::Enrolment& enrolment) {
  if (pattern == synth::PupilPattern::kMissingEducation) {
    // Ground (i): continuously absent 20 school days, whereabouts unknown
    // after joint enquiries with the LA.
    enrolment.deletion_ground = "i";
    enrolment.destination = "Not known \u2014 referred to LA (CME)";
    return;
  }
  const double draw = rng.Uniform();
  if (draw < 0.75) {
    enrolment.deletion_ground = "a";  // registered at another school
    enrolment.destination = std::string(Pick(kOtherSchools, rng));
  } else if (draw < 0.9) {
    enrolment.deletion_ground = "f";  // parent's written notice of home education
    enrolment.destination = "Elective home education (parent's written notice)";
  } else {
    enrolment.deletion_ground = "g";  // no longer lives within reasonable distance
    enrolment.destination =
        fmt::format("Moved to {}; new school not yet known", Pick(kMovedTo, rng));
  }
}

class UpnIssuer {
 public:
  explicit UpnIssuer(std::string establishment) : establishment_(std::move(establishment)) {}
  // The UPN of a pupil who started in Reception here in `reception_year`.
  std::string IssuedHere(int reception_year) {
    const int serial = ++serials_[reception_year];
    return Issue(
        fmt::format("{}{}{:02d}{:03d}", kLaCode, establishment_, reception_year % 100, serial));
  }
  // The UPN a joiner brought from the school that issued it.
  std::string IssuedElsewhere(int reception_year, synth::Rng& rng) {
    while (true) {
      const std::string twelve =
          fmt::format("{}2{:03d}{:02d}{:03d}", Pick(kOtherLas, rng), rng.Below(1000),
                      reception_year % 100, rng.Below(1000));
      if (!used_.contains(twelve)) return Issue(twelve);
    }
  }

 private:
  std::string Issue(const std::string& twelve) {
    used_.insert(twelve);
    return core::UpnWithCheckLetter(twelve);
  }
  std::string establishment_;
  std::map<int, int> serials_;
  std::set<std::string> used_;
};

}  // namespace

std::vector<Draft> DraftPupils(const synth::SynthSchool& school, Date today, uint64_t seed,
                               const std::string& establishment, int first_year, int last_year,
                               int forms) {
  const int year_start = today.AcademicYearStart().year();
  std::vector<Draft> drafts(school.pupils.size());
  std::map<int, int> seen_in_year;
  UpnIssuer upns(establishment);
  for (size_t idx = 0; idx < drafts.size(); ++idx) {
    const synth::SynthPupil& meta = school.pupils[idx];
    const core::PupilRecord& record = school.scenario.pupils[idx];
    synth::Rng rng(synth::StreamSeed(seed, kDemoPupilStreamBase + idx));
    Draft& draft = drafts[idx];
    draft.record = record;
    draft.pattern = meta.pattern;
    const int year_group = std::clamp(meta.year_group, first_year, last_year);
    // The year's classes filled in turn (synth's forms assume 28 a form).
    draft.class_index = (year_group - first_year) * forms + seen_in_year[year_group]++ % forms;

    store::Pupil& pupil = draft.pupil;
    pupil.legal_given_name = meta.given_name;
    pupil.legal_family_name = meta.family_name;
    for (const auto& [legal, known_as] : kKnownAs) {
      if (meta.given_name == legal && rng.Chance(0.4)) pupil.preferred_given_name = known_as;
    }
    if (rng.Chance(0.015)) {
      pupil.preferred_family_name =
          meta.family_name + "-" + std::string(Pick(kAdultFamilyNames, rng));
    }
    const bool girl =
        std::find(kGirlsNames.begin(), kGirlsNames.end(), meta.given_name) != kGirlsNames.end();
    pupil.sex = girl ? "F" : "M";
    pupil.year_group = year_group;
    // Born in the academic year (1 September to 31 August) that puts them in
    // this year group: Reception children turn 5 during the year.
    const int reception_year = year_start - year_group;
    const Date born_from = SeptemberFirst(reception_year - 5);
    const Date born_to = SeptemberFirst(reception_year - 4).AddDays(-1);
    pupil.date_of_birth = born_from.AddDays(rng.Between(0, born_to.days() - born_from.days()));

    std::optional<Date> from;
    std::optional<Date> to;
    if (!record.on_roll.empty()) {
      from = record.on_roll.front().from;
      to = record.on_roll.front().to;
    }
    store::Enrolment enrolment;
    enrolment.start = from.value_or(SeptemberFirst(reception_year));
    pupil.upn = from ? upns.IssuedElsewhere(reception_year, rng) : upns.IssuedHere(reception_year);
    if (to) {
      enrolment.end = to;
      SetDeletion(meta.pattern, rng, enrolment);
    }
    draft.on_roll_today = !to || *to >= today;
    // Keep the checked on-roll period equal to the enrolment stored.
    draft.record.on_roll = {{enrolment.start, enrolment.end}};
    pupil.enrolments.push_back(enrolment);
    AddFlags(meta.flags, enrolment.start, today, rng, pupil.flags);
  }
  return drafts;
}

// The classes, then every account (teachers with their class, parents named
// after their children), then each class's teacher.
core::StatusOr<Staff> WriteClassesAndAccounts(store::Store& store,
                                              const std::array<ParentChoice, 3>& parents,
                                              const std::vector<Draft>& drafts,
                                              const DemoOptions& options) {
  Staff staff;
  for (int c = 0; c < kClasses; ++c) {
    store::Class cls;
    cls.name = ClassName(c);
    cls.year_group = c / 2;
    ASSIGN_OR_RETURN(staff.class_ids[static_cast<size_t>(c)], store.AddClass(cls));
  }
  std::array<int64_t, kClasses> class_teacher{};  // user id per class
  for (size_t a = 0; a < kAccounts.size(); ++a) {
    const AccountSpec& spec = kAccounts[a];
    store::User user;
    user.username = std::string(spec.username);
    user.display_name = std::string(spec.display_name);
    user.role = spec.role;
    if (spec.role == store::Role::kLaOfficer) user.la_code = std::string(kLaCode);
    // Staff get their notifications (register reminders, the DSL's list)
    // at a school address; parents sign in but are written to as contacts.
    if (spec.role != store::Role::kParent && spec.role != store::Role::kLaOfficer) {
      user.email = fmt::format("{}@riverside-primary.example.org", spec.username);
    }
    std::optional<size_t> class_index;
    for (int c = 0; c < kClasses; ++c) {
      if (!spec.class_name.empty() && ClassName(c) == spec.class_name) {
        class_index = static_cast<size_t>(c);
      }
    }
    if (class_index) user.class_ids = {staff.class_ids[*class_index]};
    if (spec.role == store::Role::kParent) {
      const auto p = static_cast<size_t>(
          std::find(kParentAccounts.begin(), kParentAccounts.end(), a) - kParentAccounts.begin());
      const std::string family = parents[p].children.empty()
                                     ? std::string("Smith")
                                     : drafts[parents[p].children.front()].pupil.legal_family_name;
      user.display_name = fmt::format("{} {} (parent)", spec.display_name, family);
    }
    ASSIGN_OR_RETURN(user.password_hash,
                     service::HashPassword(kDemoPassword, options.fast_hashing
                                                              ? service::HashCost::kTestOnly
                                                              : service::HashCost::kInteractive));
    ASSIGN_OR_RETURN(staff.user_ids[a], store.AddUser(user));
    if (class_index) {
      class_teacher[*class_index] = staff.user_ids[a];
      staff.class_teacher_account[*class_index] = a;
    }
  }
  for (size_t c = 0; c < class_teacher.size(); ++c) {
    if (class_teacher[c] != 0) {
      RETURN_IF_ERROR(store.SetClassTeachers(staff.class_ids[c], {class_teacher[c]}));
    }
  }
  return staff;
}

// The pupils, each parent account as its children's first contact, and the
// parents' links to their children.
core::Status WritePupils(store::Store& store, const Staff& staff,
                         const std::array<ParentChoice, 3>& parents, std::vector<Draft>& drafts) {
  for (size_t p = 0; p < parents.size(); ++p) {
    const std::string_view title_and_given = kAccounts[kParentAccounts[p]].display_name;
    const std::string_view given = title_and_given.substr(title_and_given.find(' ') + 1);
    for (size_t child : parents[p].children) {
      store::Pupil& pupil = drafts[child].pupil;
      store::Contact& first = pupil.contacts.front();
      first.name = fmt::format("{} {}", given, pupil.legal_family_name);
      first.relationship = title_and_given.starts_with("Mr ") ? "Father" : "Mother";
      first.parental_responsibility = true;
      first.salutation =
          fmt::format("Dear {} {}", title_and_given.substr(0, title_and_given.find(' ')),
                      pupil.legal_family_name);
      first.email =
          fmt::format("{}.{}@example.org", EmailPart(given), EmailPart(pupil.legal_family_name));
      first.user_id = staff.user_ids[kParentAccounts[p]];
    }
    // Siblings: the same two adults for both.
    for (size_t k = 1; k < parents[p].children.size(); ++k) {
      drafts[parents[p].children[k]].pupil.contacts =
          drafts[parents[p].children.front()].pupil.contacts;
    }
  }
  for (Draft& draft : drafts) {
    draft.pupil.class_id = staff.class_ids[static_cast<size_t>(draft.class_index)];
    ASSIGN_OR_RETURN(draft.id, store.AddPupil(draft.pupil));
  }
  for (size_t p = 0; p < parents.size(); ++p) {
    ASSIGN_OR_RETURN(store::User parent, store.GetUser(staff.user_ids[kParentAccounts[p]]));
    for (size_t child : parents[p].children) parent.pupil_ids.push_back(drafts[child].id);
    RETURN_IF_ERROR(store.UpdateUser(parent));
  }
  return core::OkStatus();
}

}  // namespace rollcall::cli::internal
