#include "synth/roster.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>

namespace rollcall::synth {
namespace {

// Invented names: common given and family names in England, combined at random.
constexpr std::array<std::string_view, 48> kGivenNames = {
    "Oliver",   "Amelia", "George",  "Isla",   "Noah",   "Ava",      "Arthur", "Mia",
    "Muhammad", "Ivy",    "Leo",     "Lily",   "Harry",  "Isabella", "Oscar",  "Rosie",
    "Archie",   "Sophia", "Henry",   "Grace",  "Jack",   "Freya",    "Theo",   "Florence",
    "Charlie",  "Evie",   "Freddie", "Olivia", "Alfie",  "Ella",     "Jacob",  "Poppy",
    "Thomas",   "Aisha",  "Joshua",  "Zara",   "Ethan",  "Maya",     "Yusuf",  "Chloe",
    "Kai",      "Hannah", "Reuben",  "Priya",  "Tomasz", "Amara",    "Dylan",  "Niamh"};
constexpr std::array<std::string_view, 48> kFamilyNames = {
    "Smith",  "Jones",    "Taylor",  "Brown",    "Williams", "Wilson",  "Johnson", "Davies",
    "Patel",  "Robinson", "Wright",  "Thompson", "Evans",    "Walker",  "White",   "Roberts",
    "Green",  "Hall",     "Thomas",  "Clarke",   "Jackson",  "Wood",    "Harris",  "Edwards",
    "Turner", "Martin",   "Cooper",  "Hill",     "Ward",     "Hughes",  "Moore",   "Clark",
    "Khan",   "Ali",      "Begum",   "Hussain",  "Nowak",    "Okafor",  "Mensah",  "Singh",
    "Kaur",   "Murphy",   "O'Brien", "Campbell", "Price",    "Bennett", "Shah",    "Ahmed"};

constexpr int kFormSize = 28;

std::string YearGroupLabel(int year_group) {
  return year_group == 0 ? "R" : std::to_string(year_group);
}

// A, B, ..., Z, AA, AB, ...: form letters for however many forms a year has.
std::string FormLetters(int index) {
  std::string letters;
  for (int n = index + 1; n > 0; n = (n - 1) / 26) {
    letters.insert(letters.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return letters;
}

CohortFlags DrawFlags(Rng& rng) {
  CohortFlags flags;
  // National rates (DfE, 2023/24): FSM 24%, SEN support 13%, EHC plan 3%,
  // looked after 1%, social worker 3%, young carer 2%. SEN, care and social
  // work involvement are all more common among FSM pupils.
  flags.free_school_meals = rng.Chance(0.24);
  const double fsm_factor = flags.free_school_meals ? 1.45 : 0.857;  // mean 1
  if (rng.Chance(0.16 * fsm_factor)) {
    if (rng.Chance(0.19)) {
      flags.ehc_plan = true;
    } else {
      flags.sen_support = true;
    }
  }
  flags.looked_after = rng.Chance(flags.free_school_meals ? 0.02 : 0.0068);
  flags.social_worker = flags.looked_after || rng.Chance(flags.free_school_meals ? 0.046 : 0.013);
  flags.young_carer = rng.Chance(flags.free_school_meals ? 0.03 : 0.0168);
  return flags;
}

// Moves a quantile towards the top of the distribution with probability p:
// children with a social worker and young carers miss more school than the
// FSM x SEN tables alone say.
double ShiftUp(Rng& rng, double rank, double p) {
  if (!rng.Chance(p)) return rank;
  return std::max(rank, rng.Uniform());
}

PupilPlan DrawPupil(int year_group, Rng& rng) {
  PupilPlan pupil;
  SynthPupil& meta = pupil.meta;
  meta.year_group = year_group;
  meta.given_name = std::string(kGivenNames[rng.Below(kGivenNames.size())]);
  meta.family_name = std::string(kFamilyNames[rng.Below(kFamilyNames.size())]);
  meta.flags = DrawFlags(rng);
  double rank = rng.Uniform();
  if (meta.flags.social_worker) rank = ShiftUp(rng, rank, 0.5);
  if (meta.flags.young_carer) rank = ShiftUp(rng, rank, 0.35);
  pupil.absence_rank = rank;
  // Lateness is a habit of a few families, commoner where absence is high.
  const double late_rank = rng.Chance(0.5) ? rank : rng.Uniform();
  pupil.lateness = late_rank < 0.55 ? 0.005 : (late_rank < 0.9 ? 0.03 : 0.12);
  meta.holiday_family = rng.Chance(meta.flags.free_school_meals ? 0.35 : 0.45);
  pupil.religious_observance = rng.Chance(0.04);
  if (year_group >= 7 && rank > 0.7 && rng.Chance(0.02)) {
    pupil.dual_registered_weekday = static_cast<int>(rng.Below(5));
  }
  return pupil;
}

// Chooses when the pupil was on roll: from the start of the first year their
// year group is taught here (or from before the calendar), unless they arrive
// part way through a year (about 5% of a year's pupils); and perhaps leaving
// part way through a year (about 3%: moving house, another school, home
// education). Years with no school day up to as_of are left out.
void DrawOnRoll(const RosterContext& context, PupilPlan& pupil, Rng& rng) {
  const SchoolDays& days = context.days;
  const int32_t limit = context.last_day + 1;
  std::optional<core::Date> from;
  std::optional<core::Date> to;
  std::vector<YearSpan> years;  // the years this pupil could be here, up to as_of
  bool taught_yet = false;
  for (const YearSpan& year : days.years()) {
    if (YearGroupIn(pupil, context.as_of_year, year.start_year) < LowestYearGroup(context.phase)) {
      continue;
    }
    // A new intake is on roll from 1 September (not from before the calendar).
    if (!taught_yet && year.start_year != days.years().front().start_year) {
      from = *core::Date::FromYmd(year.start_year, 9, 1);
    }
    taught_yet = true;
    if (year.first < limit) {
      years.push_back({year.start_year, year.first, std::min(year.end, limit)});
    }
  }
  pupil.first_day = years.empty() ? 0 : years.front().first;
  pupil.end_day = years.empty() ? 0 : limit;
  size_t arrival = 0;
  for (size_t k = 0; k < years.size(); ++k) {
    if (years[k].first + 10 < years[k].end && rng.Chance(0.05)) {
      arrival = k;
      pupil.first_day = rng.Between(years[k].first + 5, years[k].end - 1);
      from = days.date(pupil.first_day);
      break;
    }
  }
  for (size_t k = arrival; k < years.size(); ++k) {
    const int32_t earliest = std::max(pupil.first_day + 1, years[k].first);
    if (earliest < years[k].end && rng.Chance(0.03)) {
      const int32_t last = rng.Between(earliest, years[k].end - 1);
      to = days.date(last);
      pupil.end_day = last + 1;
      break;
    }
  }
  if (from || to) pupil.record.on_roll.push_back({from, to});
}

// Children missing education: on roll through the recent weeks, then a run of
// 20-25 school days of N ending at least 6 school days before as_of, after
// which the school takes them off roll (RULES: deletion after 20 days of
// continuous unexplained absence and enquiries). About 1 pupil in 500.
void ChooseMissingChildren(const RosterContext& context, std::vector<PupilPlan>& pupils, Rng& rng) {
  const auto count = static_cast<int64_t>((pupils.size() + 250) / 500);
  const int32_t last = context.last_day;
  for (int64_t chosen = 0, attempts = 0; chosen < count && attempts < 50 * count; ++attempts) {
    PupilPlan& pupil = pupils[rng.Below(pupils.size())];
    const int32_t run_last = rng.Between(std::max(0, last - 40), std::max(0, last - 6));
    const int32_t run_first = run_last - rng.Between(19, 24);
    const bool fits = run_first > pupil.first_day && run_last + 6 <= last &&
                      pupil.end_day == last + 1 && pupil.missing_first < 0;
    if (!fits) continue;
    pupil.missing_first = run_first;
    pupil.end_day = run_last + 1;
    pupil.meta.pattern = PupilPattern::kMissingEducation;
    std::optional<core::Date> from;
    if (!pupil.record.on_roll.empty()) from = pupil.record.on_roll.front().from;
    pupil.record.on_roll = {{from, context.days.date(run_last)}};
    // Those who go missing have usually been missing a lot already.
    pupil.absence_rank = std::max(pupil.absence_rank, rng.Uniform());
    ++chosen;
  }
}

}  // namespace

int LowestYearGroup(Phase phase) {
  switch (phase) {
    case Phase::kPrimary:
    case Phase::kAllThrough:
      return 0;
    case Phase::kSecondary:
      return 7;
  }
  core::Unreachable();
}

int HighestYearGroup(Phase phase) {
  switch (phase) {
    case Phase::kPrimary:
      return 6;
    case Phase::kSecondary:
    case Phase::kAllThrough:
      return 11;
  }
  core::Unreachable();
}

int YearGroupIn(const PupilPlan& pupil, int as_of_year, int start_year) {
  return pupil.meta.year_group - (as_of_year - start_year);
}

std::vector<PupilPlan> BuildRoster(const RosterContext& context, int64_t pupils, uint64_t seed,
                                   Rng& school_rng) {
  const int lowest = LowestYearGroup(context.phase);
  const int groups = HighestYearGroup(context.phase) - lowest + 1;
  // Equal year groups, in random order of pupil ids.
  std::vector<int> year_groups(static_cast<size_t>(pupils));
  for (size_t i = 0; i < year_groups.size(); ++i) {
    year_groups[i] = lowest + static_cast<int>(i % static_cast<size_t>(groups));
  }
  for (size_t i = year_groups.size(); i > 1; --i) {
    std::swap(year_groups[i - 1], year_groups[school_rng.Below(i)]);
  }
  std::vector<int> group_sizes(static_cast<size_t>(groups), 0);
  for (int year_group : year_groups) ++group_sizes[static_cast<size_t>(year_group - lowest)];

  const int id_width = std::max<int>(5, static_cast<int>(std::to_string(pupils).size()));
  std::vector<int> seen_in_group(static_cast<size_t>(groups), 0);
  std::vector<PupilPlan> plans;
  plans.reserve(static_cast<size_t>(pupils));
  for (int64_t idx = 0; idx < pupils; ++idx) {
    Rng rng(StreamSeed(seed, kRosterStreamBase + static_cast<uint64_t>(idx)));
    const int year_group = year_groups[static_cast<size_t>(idx)];
    PupilPlan pupil = DrawPupil(year_group, rng);
    pupil.record.id = fmt::format("P{:0{}d}", idx + 1, id_width);
    pupil.record.cohorts = CohortTags(pupil.meta.flags);
    const size_t group = static_cast<size_t>(year_group - lowest);
    const int forms = std::max(1, (group_sizes[group] + kFormSize - 1) / kFormSize);
    pupil.meta.form = YearGroupLabel(year_group) + FormLetters(seen_in_group[group]++ % forms);
    DrawOnRoll(context, pupil, rng);
    plans.push_back(std::move(pupil));
  }
  if (context.last_day >= 0) ChooseMissingChildren(context, plans, school_rng);
  return plans;
}

}  // namespace rollcall::synth
