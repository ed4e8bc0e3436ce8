// families.cc: the children of the three parent accounts, and two contacts
// for every pupil (siblings share a family name).
#include <fmt/format.h>

#include <array>
#include <cstdlib>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "demo/internal.h"

namespace rollcall::cli::internal {
namespace {

constexpr std::array<std::string_view, 16> kMothersNames = {
    "Sarah", "Emma",      "Laura", "Rebecca", "Claire", "Nadia",  "Fatima", "Joanne",
    "Katie", "Agnieszka", "Gemma", "Anjali",  "Amina",  "Rachel", "Helen",  "Louise"};
constexpr std::array<std::string_view, 16> kFathersNames = {
    "James", "David", "Daniel", "Mark",   "Imran",   "Tariq", "Paul", "Chris",
    "Kwame", "Piotr", "Andrew", "Steven", "Michael", "Lee",   "Ravi", "Gareth"};
constexpr std::array<std::string_view, 8> kGrandparentsNames = {
    "Margaret", "Susan", "Brian", "Patricia", "Maureen", "Keith", "Christine", "Alan"};

// Ofcom reserves 07700 900000-900999 for drama: numbers that reach nobody.
std::string DramaPhone(synth::Rng& rng) { return fmt::format("07700 900{:03d}", rng.Below(1000)); }

store::Contact InventContact(int priority, std::string_view relationship,
                             std::string_view family_name, synth::Rng& rng) {
  std::string_view given;
  if (relationship == "Mother") {
    given = Pick(kMothersNames, rng);
  } else if (relationship == "Father") {
    given = Pick(kFathersNames, rng);
  } else {
    given = Pick(kGrandparentsNames, rng);
  }
  store::Contact contact;
  contact.priority = priority;
  contact.name = fmt::format("{} {}", given, family_name);
  contact.relationship = std::string(relationship);
  contact.phone = DramaPhone(rng);
  contact.email = fmt::format("{}.{}@example.org", EmailPart(given), EmailPart(family_name));
  return contact;
}

void InventContacts(Draft& draft, const synth::CohortFlags& flags, synth::Rng& rng) {
  const std::string& family = draft.pupil.legal_family_name;
  std::vector<store::Contact>& contacts = draft.pupil.contacts;
  if (flags.looked_after) {
    // Foster carers, who have their own family name.
    const std::string_view carers = Pick(kAdultFamilyNames, rng);
    contacts.push_back(InventContact(1, "Mother", carers, rng));
    contacts.push_back(InventContact(2, "Father", carers, rng));
    for (store::Contact& contact : contacts) contact.relationship = "Carer";
    return;
  }
  // Parents do not always share their child's family name.
  const auto surname = [&]() -> std::string_view {
    return rng.Chance(0.8) ? std::string_view(family) : Pick(kAdultFamilyNames, rng);
  };
  const bool mother_first = rng.Chance(0.75);
  contacts.push_back(InventContact(1, mother_first ? "Mother" : "Father", surname(), rng));
  const std::string_view second =
      rng.Chance(0.25) ? "Grandparent" : (mother_first ? "Father" : "Mother");
  contacts.push_back(InventContact(2, second, surname(), rng));
}

}  // namespace

// parent1: a persistently absent child (about 10-25% absence) and a
// sibling with good attendance two or more years apart; parent2: a child
// with good attendance; parent3: a child with an N still to resolve.
std::array<ParentChoice, 3> ChooseParents(const std::vector<Draft>& drafts, const MarkPlan& plan) {
  std::vector<size_t> candidates;
  for (size_t idx = 0; idx < drafts.size(); ++idx) {
    const Draft& d = drafts[idx];
    if (d.on_roll_today && d.pattern != synth::PupilPattern::kMissingEducation &&
        plan.possible[idx] >= 20) {
      candidates.push_back(idx);
    }
  }
  std::array<ParentChoice, 3> parents;
  if (candidates.empty()) return parents;
  std::set<size_t> taken;
  const auto choose = [&](auto&& accept, auto&& better) -> std::optional<size_t> {
    std::optional<size_t> best;
    for (size_t idx : candidates) {
      if (taken.contains(idx) || !accept(idx)) continue;
      if (!best || better(idx, *best)) best = idx;
    }
    if (best) taken.insert(*best);
    return best;
  };
  const auto rate = [&](size_t idx) { return AbsenceRate(plan, idx); };
  const auto first_found = [](size_t, size_t) { return false; };
  // The most absent child at or below 25%: notable, but not a crisis.
  std::optional<size_t> notable =
      choose([&](size_t idx) { return rate(idx) >= 0.10 && rate(idx) <= 0.25; },
             [&](size_t a, size_t b) { return rate(a) > rate(b); });
  if (!notable) {
    notable =
        choose([](size_t) { return true; }, [&](size_t a, size_t b) { return rate(a) > rate(b); });
  }
  parents[0].children.push_back(*notable);
  const int notable_year = drafts[*notable].pupil.year_group;
  if (const std::optional<size_t> sibling = choose(
          [&](size_t idx) {
            return std::abs(drafts[idx].pupil.year_group - notable_year) >= 2 && rate(idx) < 0.04;
          },
          first_found)) {
    parents[0].children.push_back(*sibling);
  }
  if (const std::optional<size_t> child =
          choose([&](size_t idx) { return rate(idx) < 0.03; }, first_found)) {
    parents[1].children.push_back(*child);
  }
  std::optional<size_t> awaiting = choose(
      [&](size_t idx) { return plan.unresolved_n[idx] > 0 && rate(idx) < 0.15; }, first_found);
  if (!awaiting) awaiting = choose([](size_t) { return true; }, first_found);
  if (awaiting) parents[2].children.push_back(*awaiting);
  return parents;
}

// Siblings share a family name; every pupil gets two contacts.
void SetUpFamilies(const synth::SynthSchool& school, const std::array<ParentChoice, 3>& parents,
                   uint64_t seed, std::vector<Draft>& drafts) {
  if (parents[0].children.size() == 2) {
    Draft& sibling = drafts[parents[0].children[1]];
    sibling.pupil.legal_family_name = drafts[parents[0].children[0]].pupil.legal_family_name;
    sibling.pupil.preferred_family_name.clear();
  }
  for (size_t idx = 0; idx < drafts.size(); ++idx) {
    synth::Rng rng(synth::StreamSeed(seed, kDemoContactsStreamBase + idx));
    InventContacts(drafts[idx], school.pupils[idx].flags, rng);
  }
}

}  // namespace rollcall::cli::internal
