// secondary_timetable.cc: the demo secondary school's fortnight, planned
// (secondary_timetable.h says how it is shared out).
#include "demo/secondary_timetable.h"

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace rollcall::cli::internal {
namespace {

struct Subject {
  std::string_view name;
  std::string_view abbreviation;
};

constexpr Subject kEnglish{"English", "En"};
constexpr Subject kMaths{"Mathematics", "Ma"};
constexpr Subject kScience{"Science", "Sc"};
constexpr Subject kGeography{"Geography", "Gg"};
constexpr Subject kHistory{"History", "Hi"};
constexpr Subject kFrench{"French", "Fr"};
constexpr Subject kSpanish{"Spanish", "Sp"};
constexpr Subject kPe{"Physical Education", "PE"};
constexpr Subject kArt{"Art", "Ar"};
constexpr Subject kMusic{"Music", "Mu"};
constexpr Subject kDrama{"Drama", "Dr"};
constexpr Subject kComputing{"Computing", "Co"};
constexpr Subject kComputerScience{"Computer Science", "CS"};
constexpr Subject kRe{"Religious Education and PSHE", "RE"};
constexpr Subject kBusiness{"Business", "Bs"};
constexpr Subject kDesign{"Design and Technology", "DT"};
constexpr Subject kFood{"Food Preparation and Nutrition", "Fd"};
constexpr Subject kSociology{"Sociology", "So"};

struct Allocation {
  Subject subject;
  int periods = 0;  // a fortnight
};

// Years 7 and 8, in forms: 50 periods. English every day.
constexpr std::array<Allocation, 11> kLowerSchool = {{{kEnglish, 10},
                                                      {kMaths, 9},
                                                      {kScience, 7},
                                                      {kGeography, 3},
                                                      {kHistory, 3},
                                                      {kFrench, 5},
                                                      {kPe, 4},
                                                      {kArt, 2},
                                                      {kMusic, 2},
                                                      {kComputing, 2},
                                                      {kRe, 3}}};
// Year 9's subjects taught in forms (24 periods; the sets have the other 26).
constexpr std::array<Allocation, 8> kYear9Forms = {{{kGeography, 3},
                                                    {kHistory, 3},
                                                    {kFrench, 5},
                                                    {kPe, 4},
                                                    {kArt, 2},
                                                    {kMusic, 2},
                                                    {kComputing, 2},
                                                    {kRe, 3}}};
constexpr std::array<Allocation, 3> kYear9Sets = {{{kEnglish, 9}, {kMaths, 9}, {kScience, 8}}};
constexpr std::array<Allocation, 3> kUpperSets = {{{kEnglish, 9}, {kMaths, 9}, {kScience, 10}}};
constexpr std::array<Allocation, 2> kUpperForms = {{{kPe, 3}, {kRe, 3}}};
constexpr int kOptionPeriods = 4;  // each block, a fortnight
constexpr int kCoreSlots = 27;     // Years 9-11's sets: 9 of each core subject
constexpr std::array<std::array<Subject, kOptionGroupsPerBlock>, kOptionBlocks> kOptionSubjects = {{
    {kGeography, kHistory, kFrench, kArt, kComputerScience, kDrama},
    {kHistory, kGeography, kSpanish, kMusic, kBusiness, kArt},
    {kGeography, kHistory, kFrench, kDesign, kComputerScience, kFood},
    {kSpanish, kGeography, kHistory, kPe, kArt, kSociology},
}};
constexpr std::string_view kBlockLetters = "ABCD";
constexpr std::string_view kFormLetters = "ABCDEF";

// Labels spread evenly over `positions`: label i appears counts[i] times,
// its k-th time at the position whose rank is nearest (k + 1/2) / counts[i]
// of the way through. The result is parallel to `positions`.
std::vector<int> Spread(const std::vector<int>& counts, size_t positions) {
  std::vector<std::pair<double, int>> keyed;
  for (size_t label = 0; label < counts.size(); ++label) {
    for (int k = 0; k < counts[label]; ++k) {
      keyed.emplace_back((k + 0.5) / counts[label] + static_cast<double>(label) * 1e-6,
                         static_cast<int>(label));
    }
  }
  std::sort(keyed.begin(), keyed.end());
  std::vector<int> out;
  out.reserve(positions);
  for (size_t i = 0; i < positions && i < keyed.size(); ++i) out.push_back(keyed[i].second);
  return out;
}

template <size_t N>
std::vector<int> CountsOf(const std::array<Allocation, N>& allocations) {
  std::vector<int> counts;
  for (const Allocation& a : allocations) counts.push_back(a.periods);
  return counts;
}

std::string YearText(int year) { return std::to_string(year); }

class Planner {
 public:
  // Years 7 and 8: each form has English at the same period every day (7A
  // in P2), and the other subjects filled in period by period, the subject
  // furthest behind its share first, a subject already taught that day
  // last. The forms of each half-year (A-C, D-F) never have the same
  // subject at once, so one teacher can take a subject in all three.
  void LowerSchool(int year) {
    // P1 is 0 ... P5 is 4.
    constexpr std::array<std::array<int, kFormsPerYear>, 2> kEnglishPeriod = {{
        {1, 0, 4, 2, 3, 1},
        {3, 2, 0, 4, 1, 0},
    }};
    const auto& english = kEnglishPeriod[static_cast<size_t>(year - kSecondaryFirstYear)];
    constexpr size_t kSubjects = kLowerSchool.size();
    for (int half = 0; half < 2; ++half) {
      std::array<std::array<int, kSubjects>, 3> remaining{};
      std::array<std::array<std::vector<int>, kSubjects>, 3> slots{};
      std::array<int, 3> free_left{};
      for (size_t i = 0; i < 3; ++i) {
        for (size_t j = 1; j < kSubjects; ++j) remaining[i][j] = kLowerSchool[j].periods;
        free_left[i] = kCycleSlots - kCycleDays;
      }
      std::array<std::array<int, kSubjects>, 3> today{};
      // Each half-year starts filling at a different point of the cycle,
      // so that the halves and years do not all want one subject at once.
      const int start = 13 * half + 29 * (year - kSecondaryFirstYear);
      for (int n = 0; n < kCycleSlots; ++n) {
        const int slot = (n + start) % kCycleSlots;
        if (n == 0 || SlotPeriod(slot) == 0) today = {};
        std::array<bool, kSubjects> taken{};
        for (size_t k = 0; k < 3; ++k) {
          const size_t i = (static_cast<size_t>(slot) + k) % 3;
          const int form = half * 3 + static_cast<int>(i);
          size_t subject = 0;  // English
          if (english[static_cast<size_t>(form)] != SlotPeriod(slot)) {
            subject = Choose(remaining[i], free_left[i], today[i], taken);
            --remaining[i][subject];
            --free_left[i];
          }
          taken[subject] = true;
          ++today[i][subject];
          slots[i][subject].push_back(slot);
        }
      }
      for (size_t i = 0; i < 3; ++i) {
        for (size_t j = 0; j < kSubjects; ++j) {
          std::sort(slots[i][j].begin(), slots[i][j].end());
          AddForm(year, half * 3 + static_cast<int>(i), kLowerSchool[j].subject,
                  std::move(slots[i][j]));
        }
      }
    }
  }

  // The subject (not English, index 0) with periods left that is furthest
  // behind its share: first one not taught today and not taken by another
  // form this period, then one not taken, then any.
  template <size_t N>
  static size_t Choose(const std::array<int, N>& remaining, int free_left,
                       const std::array<int, N>& today, const std::array<bool, N>& taken) {
    size_t best = 0;
    std::tuple<int, int, double> best_key{-1, -1, 0};
    for (size_t j = 1; j < N; ++j) {
      if (remaining[j] == 0) continue;
      const std::tuple<int, int, double> key{taken[j] ? 0 : 1, today[j] == 0 ? 1 : 0,
                                             static_cast<double>(remaining[j]) / free_left};
      if (key > best_key) {
        best_key = key;
        best = j;
      }
    }
    return best;
  }

  // Years 9 to 11 share the core slots: 27 of the 50, spread through the
  // fortnight, in each of which the three years have English, Mathematics
  // and Science sets in turn, so no two years need a department's sets at
  // once. Year 9 gives one of its Science slots to its forms; Years 10 and
  // 11 take one more Science slot each outside the core.
  void UpperYears() {
    std::vector<bool> core(kCycleSlots, false);
    for (int j = 0; j < kCoreSlots; ++j) {
      core[static_cast<size_t>((2 * j + 1) * kCycleSlots / (2 * kCoreSlots))] = true;
    }
    for (int year = 9; year <= kSecondaryLastYear; ++year) {
      constexpr int kForms = 3;  // labels 0-2 are the sets' subjects
      std::vector<int> pattern(kCycleSlots, -1);
      int j = 0;
      for (int slot = 0; slot < kCycleSlots; ++slot) {
        if (core[static_cast<size_t>(slot)]) pattern[static_cast<size_t>(slot)] = (j++ + year) % 3;
      }
      std::vector<size_t> rest;  // the year's slots outside the core
      for (size_t slot = 0; slot < pattern.size(); ++slot) {
        if (pattern[slot] < 0) rest.push_back(slot);
      }
      if (year == 9) {
        for (size_t slot = pattern.size(); slot-- > 0;) {
          if (pattern[slot] == 2) {
            pattern[slot] = kForms;
            break;
          }
        }
        for (size_t slot : rest) pattern[slot] = kForms;
        AddSets(year, kYear9Sets, pattern);
        AddFormSubjects(year, kYear9Forms, pattern, kForms, 5);
        continue;
      }
      // Labels outside the core: Science (2), forms (3), the blocks (4-7).
      const size_t extra_science = year == 10 ? 5 : 17;
      pattern[rest[extra_science]] = 2;
      rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(extra_science));
      std::vector<int> counts = {6};
      for (int b = 0; b < kOptionBlocks; ++b) counts.push_back(kOptionPeriods);
      const std::vector<int> spread = Rotated(Spread(counts, rest.size()), year == 10 ? 0 : 7);
      for (size_t k = 0; k < rest.size(); ++k) pattern[rest[k]] = kForms + spread[k];
      AddSets(year, kUpperSets, pattern);
      AddFormSubjects(year, kUpperForms, pattern, kForms, 1);
      for (int b = 0; b < kOptionBlocks; ++b) {
        std::vector<int> slots;
        for (int slot = 0; slot < kCycleSlots; ++slot) {
          if (pattern[static_cast<size_t>(slot)] == kForms + 1 + b) slots.push_back(slot);
        }
        AddOptionBlock(year, b, slots);
      }
    }
  }

  void AddOptionBlock(int year, int b, const std::vector<int>& slots) {
    for (int o = 0; o < kOptionGroupsPerBlock; ++o) {
      const Subject& subject = kOptionSubjects[static_cast<size_t>(b)][static_cast<size_t>(o)];
      PlannedGroup g;
      g.code = YearText(year) + "/" + std::string(subject.abbreviation) + "-" +
               kBlockLetters[static_cast<size_t>(b)];
      g.subject = std::string(subject.name);
      g.year = year;
      g.kind = GroupKind::kOption;
      g.block = b;
      g.option = o;
      g.slots = slots;
      plan_.groups.push_back(std::move(g));
    }
  }

  // Teachers, department by department in the order the departments first
  // appear (English first, with 7A/En its first group).
  void AssignTeachers() {
    std::vector<std::string> departments;
    for (const PlannedGroup& g : plan_.groups) {
      const std::string d = Department(g.subject);
      if (std::find(departments.begin(), departments.end(), d) == departments.end()) {
        departments.push_back(d);
      }
    }
    std::vector<std::vector<bool>> busy;  // per teacher, per slot
    for (const std::string& department : departments) {
      // The department's first group first (7A/En for English), then the
      // sets and options, which meet together and so constrain most, then
      // the forms.
      std::vector<PlannedGroup*> groups;
      for (PlannedGroup& g : plan_.groups) {
        if (Department(g.subject) == department) groups.push_back(&g);
      }
      std::stable_sort(groups.begin() + 1, groups.end(),
                       [](const PlannedGroup* a, const PlannedGroup* b) {
                         return (a->kind == GroupKind::kForm) < (b->kind == GroupKind::kForm);
                       });
      std::vector<size_t> staff;  // this department's teachers
      for (PlannedGroup* group : groups) {
        PlannedGroup& g = *group;
        const auto fits = [&](size_t t) {
          if (plan_.teachers[t].load + static_cast<int>(g.slots.size()) > kMaxTeacherLoad) {
            return false;
          }
          return std::none_of(g.slots.begin(), g.slots.end(),
                              [&](int slot) { return busy[t][static_cast<size_t>(slot)]; });
        };
        const auto found = std::find_if(staff.begin(), staff.end(), fits);
        size_t teacher = 0;
        if (found != staff.end()) {
          teacher = *found;
        } else {
          teacher = plan_.teachers.size();
          plan_.teachers.push_back(
              {department, RoomOf(department, static_cast<int>(staff.size()) + 1), 0});
          busy.emplace_back(kCycleSlots, false);
          staff.push_back(teacher);
        }
        g.teacher = teacher;
        plan_.teachers[teacher].load += static_cast<int>(g.slots.size());
        for (int slot : g.slots) busy[teacher][static_cast<size_t>(slot)] = true;
      }
    }
  }

  SecondaryTimetablePlan Take() { return std::move(plan_); }

 private:
  static std::vector<int> Rotated(const std::vector<int>& pattern, int by) {
    std::vector<int> out(pattern.size());
    for (size_t i = 0; i < pattern.size(); ++i) {
      out[i] = pattern[(i + static_cast<size_t>(by)) % pattern.size()];
    }
    return out;
  }

  // Teachers of the smaller subjects teach any subject of their department.
  static std::string Department(const std::string& subject) {
    static const std::map<std::string, std::string, std::less<>> kDepartments = {
        {std::string(kGeography.name), "Humanities"},
        {std::string(kHistory.name), "Humanities"},
        {std::string(kSociology.name), "Humanities"},
        {std::string(kRe.name), "Humanities"},
        {std::string(kFrench.name), "Languages"},
        {std::string(kSpanish.name), "Languages"},
        {std::string(kArt.name), "Creative arts"},
        {std::string(kMusic.name), "Creative arts"},
        {std::string(kDrama.name), "Creative arts"},
        {std::string(kComputing.name), "Technology"},
        {std::string(kComputerScience.name), "Technology"},
        {std::string(kDesign.name), "Technology"},
        {std::string(kFood.name), "Technology"},
        {std::string(kBusiness.name), "Technology"}};
    const auto it = kDepartments.find(subject);
    return it == kDepartments.end() ? subject : it->second;
  }

  static std::string RoomOf(const std::string& department, int n) {
    static const std::map<std::string, std::string, std::less<>> kPrefixes = {
        {"English", "E"},   {"Mathematics", "M"},   {"Science", "Lab "}, {"Humanities", "H"},
        {"Languages", "L"}, {"Creative arts", "A"}, {"Technology", "T"}};
    if (department == kPe.name) {
      constexpr std::array<std::string_view, 5> kSpaces = {"Sports hall", "Gym", "Field",
                                                           "Dance studio", "Courts"};
      if (n <= static_cast<int>(kSpaces.size()))
        return std::string(kSpaces[static_cast<size_t>(n - 1)]);
      return "Courts " + std::to_string(n);
    }
    const auto it = kPrefixes.find(department);
    return (it == kPrefixes.end() ? std::string("R") : it->second) + std::to_string(n);
  }

  void AddForm(int year, int form, const Subject& subject, std::vector<int> slots) {
    PlannedGroup g;
    g.code = YearText(year) + kFormLetters[static_cast<size_t>(form)] + "/" +
             std::string(subject.abbreviation);
    g.subject = std::string(subject.name);
    g.year = year;
    g.kind = GroupKind::kForm;
    g.form = form;
    g.slots = std::move(slots);
    plan_.groups.push_back(std::move(g));
  }

  // The six sets of each subject, all meeting in the subject's slots.
  template <size_t N>
  void AddSets(int year, const std::array<Allocation, N>& sets, const std::vector<int>& pattern) {
    for (size_t s = 0; s < N; ++s) {
      std::vector<int> slots;
      for (int slot = 0; slot < kCycleSlots; ++slot) {
        if (pattern[static_cast<size_t>(slot)] == static_cast<int>(s)) slots.push_back(slot);
      }
      for (int set = 1; set <= kSetsPerSubject; ++set) {
        PlannedGroup g;
        g.code =
            YearText(year) + "/" + std::string(sets[s].subject.abbreviation) + std::to_string(set);
        g.subject = std::string(sets[s].subject.name);
        g.year = year;
        g.kind = GroupKind::kSet;
        g.set = set;
        g.slots = slots;
        plan_.groups.push_back(std::move(g));
      }
    }
  }

  // The subjects taught in forms, in the slots labelled `label`: form f
  // starts the subjects' sequence `step` f slots on.
  template <size_t N>
  void AddFormSubjects(int year, const std::array<Allocation, N>& subjects,
                       const std::vector<int>& pattern, int label, int step) {
    std::vector<int> form_slots;
    for (int slot = 0; slot < kCycleSlots; ++slot) {
      if (pattern[static_cast<size_t>(slot)] == label) form_slots.push_back(slot);
    }
    const std::vector<int> sequence = Spread(CountsOf(subjects), form_slots.size());
    for (int form = 0; form < kFormsPerYear; ++form) {
      std::vector<std::vector<int>> slots(N);
      for (size_t k = 0; k < form_slots.size(); ++k) {
        const int subject = sequence[(k + static_cast<size_t>(step * form)) % sequence.size()];
        slots[static_cast<size_t>(subject)].push_back(form_slots[k]);
      }
      for (size_t s = 0; s < N; ++s) {
        std::sort(slots[s].begin(), slots[s].end());
        AddForm(year, form, subjects[s].subject, std::move(slots[s]));
      }
    }
  }

  SecondaryTimetablePlan plan_;
};

}  // namespace

SecondaryTimetablePlan PlanSecondaryTimetable() {
  Planner planner;
  planner.LowerSchool(7);
  planner.LowerSchool(8);
  planner.UpperYears();
  planner.AssignTeachers();
  return planner.Take();
}

}  // namespace rollcall::cli::internal
