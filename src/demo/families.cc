// families.cc: the children of the three parent accounts, and two contacts
// for every pupil (siblings share a family name): parents or carers with
// parental responsibility, or a grandparent as an emergency contact, each
// with a salutation and a postal address; and the rest of the admission
// register: whom the pupil lives with, the previous school of a pupil who
// joined during the year, and when the family confirmed the contacts.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "core/cme.h"
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

// The grandparents' names that are women's, for their title.
constexpr std::array<std::string_view, 5> kGrandmothersNames = {"Margaret", "Susan", "Patricia",
                                                                "Maureen", "Christine"};
// Streets of the school's town (LA 909, Cumbria), for postal addresses.
constexpr std::array<std::string_view, 12> kStreets = {
    "Mill Lane",    "Church Street", "Victoria Road", "Warwick Road",
    "Brook Street", "Eden Terrace",  "Orchard Close", "Station Road",
    "Beech Grove",  "Willow Court",  "Petteril Bank", "Scotland Road"};
// Schools that in-year joiners came from (made up).
constexpr std::array<std::string_view, 8> kPreviousSchools = {
    "Brampton Road Primary School, Carlisle", "Eden Vale Primary School, Penrith",
    "Holme Beck CE Primary School, Wigton",   "St Ninian's Catholic Primary School, Dumfries",
    "Ashworth Park Primary Academy, Preston", "Kingsmead Junior School, Lancaster",
    "Thornfield Primary School, Workington",  "Szkoła Podstawowa nr 12, Gdańsk, Poland"};
// The letters a postcode's inward part may end in (not C, I, K, M, O or V).
constexpr std::string_view kInwardLetters = "ABDEFGHJLNPQRSTUWXYZ";

// Ofcom reserves 07700 900000-900999 for drama: numbers that reach nobody.
std::string DramaPhone(synth::Rng& rng) { return fmt::format("07700 900{:03d}", rng.Below(1000)); }

// A Carlisle address: its lines, and a postcode of the CA1 to CA3 districts.
std::pair<std::string, std::string> InventAddress(synth::Rng& rng) {
  const uint64_t number = 1 + rng.Below(120);
  const std::string_view street = Pick(kStreets, rng);
  const uint64_t district = 1 + rng.Below(3);
  const uint64_t sector = rng.Below(10);
  const char first = kInwardLetters[rng.Below(kInwardLetters.size())];
  const char second = kInwardLetters[rng.Below(kInwardLetters.size())];
  return {fmt::format("{} {}\nCarlisle", number, street),
          fmt::format("CA{} {}{}{}", district, sector, first, second)};
}

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
  contact.emergency = true;  // every contact the demo invents may be rung in an emergency
  contact.email = fmt::format("{}.{}@example.org", EmailPart(given), EmailPart(family_name));
  // Some families asked for email rather than texts (chosen by the name, so
  // the rest of the demo's random choices stay as they were).
  if (given.size() % 3 == 0) contact.preferred_channel = "email";
  // Parents have parental responsibility; a grandparent is an emergency
  // contact only.
  contact.parental_responsibility = relationship != "Grandparent";
  const bool woman = relationship == "Mother" ||
                     std::find(kGrandmothersNames.begin(), kGrandmothersNames.end(), given) !=
                         kGrandmothersNames.end();
  contact.salutation = fmt::format("Dear {} {}", woman ? "Mrs" : "Mr", family_name);
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
    const auto [address, postcode] = InventAddress(rng);
    for (store::Contact& contact : contacts) {
      contact.relationship = "Carer";  // who has care of the child
      contact.address = address;
      contact.postcode = postcode;
      contact.lives_with = true;
    }
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
  // Drawn after the names, so that the names stay as they were. Parents share
  // the child's home; a grandparent lives elsewhere.
  const auto [address, postcode] = InventAddress(rng);
  for (store::Contact& contact : contacts) {
    contact.address = address;
    contact.postcode = postcode;
    contact.lives_with = true;
  }
  if (second == "Grandparent") {
    std::tie(contacts.back().address, contacts.back().postcode) = InventAddress(rng);
    contacts.back().lives_with = false;
  }
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

// Drawn from a stream of their own, so that the pupils, marks and contacts
// drawn before stay as they were. Families confirmed their contacts on the
// data-collection sheet sent home in the first three weeks of September (a
// few sheets are still to come back), and a pupil who joined later on the
// admission form of their first day.
void CompleteRegisterEntries(const core::Calendar& calendar, Date today, uint64_t seed,
                             std::vector<Draft>& drafts) {
  const int32_t first_session = calendar.FirstSessionOnOrAfter(today.AcademicYearStart());
  if (first_session >= calendar.SessionCount()) return;
  const Date first_day = calendar.SessionAt(first_session).date;
  for (size_t idx = 0; idx < drafts.size(); ++idx) {
    synth::Rng rng(synth::StreamSeed(seed, kDemoRegisterStreamBase + idx));
    store::Pupil& pupil = drafts[idx].pupil;
    const Date start = pupil.enrolments.front().start;
    const bool joined_in_year = start > first_day;
    if (joined_in_year) pupil.previous_school = std::string(Pick(kPreviousSchools, rng));
    std::vector<store::Contact>& contacts = pupil.contacts;
    if (contacts.size() >= 2 && contacts[1].parental_responsibility) {
      store::Contact& other = contacts[1];
      // About one family in ten: the second parent lives apart from the child.
      if (other.relationship != "Carer" && rng.Chance(0.1)) {
        std::tie(other.address, other.postcode) = InventAddress(rng);
        other.lives_with = false;
      }
      // About one in thirty: only the first contact is to be called in an
      // emergency, which the office's checks flag.
      if (rng.Chance(0.03)) other.emergency = false;
    }
    std::optional<Date> confirmed;
    if (joined_in_year) {
      confirmed = start;
    } else if (!rng.Chance(0.05)) {
      confirmed = core::SchoolDayNumber(calendar, first_day, rng.Between(1, 15));
    }
    if (confirmed && *confirmed > today) confirmed.reset();
    for (store::Contact& contact : contacts) contact.confirmed_on = confirmed;
  }
}

}  // namespace rollcall::cli::internal
