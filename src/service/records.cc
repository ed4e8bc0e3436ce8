// records.cc: stored records as the rules core sees them (records.h).
#include "service/records.h"

#include <fmt/format.h>

#include <cctype>
#include <map>
#include <set>

#include "core/codes.h"
#include "io/json_reader.h"
#include "io/policy_json.h"
#include "service/school.h"

namespace rollcall::service {

const std::string& GivenName(const store::Pupil& p) {
  return p.preferred_given_name.empty() ? p.legal_given_name : p.preferred_given_name;
}

std::string DisplayName(const store::Pupil& p) {
  const std::string& given = GivenName(p);
  const std::string& family =
      p.preferred_family_name.empty() ? p.legal_family_name : p.preferred_family_name;
  return given + " " + family;
}

LetterRecipient RecipientOf(const store::Pupil& p) {
  for (const store::Contact& c : p.contacts) {
    if (!c.parental_responsibility) continue;
    const bool has_address = !c.address.empty() || !c.postcode.empty();
    return {c.name, store::SalutationOf(c), has_address ? store::AddressBlockOf(c) : ""};
  }
  return {"Parent or carer of " + DisplayName(p), "Dear Parent or carer", ""};
}

std::string YearGroupName(int year_group) {
  return year_group == 0 ? std::string("Reception") : fmt::format("Year {}", year_group);
}

std::string UpnAsHeld(std::string_view typed) {
  std::string out;
  for (char c : typed) {
    if (c != ' ') out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string ClassNameOf(const Snapshot& snap, const std::optional<int64_t>& class_id) {
  if (!class_id) return "";
  auto it = snap.classes.find(*class_id);
  return it == snap.classes.end() ? std::string() : it->second.name;
}

std::string LowerCase(std::string_view text) {
  std::string out;
  for (char c : text) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> CohortTagsOn(const store::Pupil& p, core::Date day) {
  std::set<std::string> tags;
  for (const store::CohortFlag& f : p.flags) {
    if (f.from <= day && (!f.to || day <= *f.to)) tags.insert(f.flag);
  }
  return {tags.begin(), tags.end()};
}

core::PupilRecord RecordOf(const store::Pupil& p, core::Date day) {
  core::PupilRecord record;
  record.id = std::to_string(p.id);
  record.cohorts = CohortTagsOn(p, day);
  for (const store::Enrolment& e : p.enrolments) {
    record.on_roll.push_back(core::OnRollPeriod{e.start, e.end});
  }
  // A pupil with no admission entry is not on roll at all, rather than "on
  // roll throughout" as an empty list means in a scenario.
  if (record.on_roll.empty()) {
    record.on_roll.push_back(core::OnRollPeriod{core::Date::FromDays(1), core::Date::FromDays(0)});
  }
  return record;
}

core::StatusOr<core::Policy> PolicyOf(const store::Settings& settings) {
  ASSIGN_OR_RETURN(io::StrictJson doc, io::ParseStrictJson(settings.policy_json));
  return io::ParsePolicy(doc.value, doc.float_literals, io::JsonPath().Key("policy"));
}

core::StatusOr<store::Settings> SettingsInForce(store::Store& store) {
  core::StatusOr<store::Settings> saved = store.GetSettings();
  if (!saved.ok() && saved.status().kind() == core::ErrorKind::kNotFound) {
    return store::Settings{};
  }
  return saved;
}

core::StatusOr<core::Scenario> ScenarioOf(store::Store& store, const store::Settings& settings,
                                          const std::vector<store::Pupil>& pupils,
                                          const std::vector<store::Mark>& marks, core::Date today) {
  core::Scenario scenario;
  scenario.as_of = today;
  ASSIGN_OR_RETURN(scenario.policy, PolicyOf(settings));
  ASSIGN_OR_RETURN(std::vector<store::Term> terms, store.ListTerms());
  ASSIGN_OR_RETURN(std::vector<store::Closure> closures, store.ListClosures());
  scenario.calendar = store::CalendarOf(terms, closures);
  std::map<int64_t, size_t> index;
  scenario.marks.resize(pupils.size());
  for (size_t i = 0; i < pupils.size(); ++i) {
    index.emplace(pupils[i].id, i);
    scenario.pupils.push_back(RecordOf(pupils[i], today));
  }
  for (const store::Mark& m : marks) {
    if (auto it = index.find(m.pupil_id); it != index.end()) {
      scenario.marks[it->second].push_back(core::RecordedMark{m.slot, m.code});
    }
  }
  return scenario;
}

Principal PrincipalOf(const store::User& user) {
  return Principal{user.id,      user.role,      user.display_name,
                   user.la_code, user.class_ids, user.pupil_ids};
}

std::string EvidenceText(const core::Calendar& calendar,
                         std::span<const core::PupilSession> sessions) {
  std::string out;
  for (const core::PupilSession& s : sessions) {
    const core::SessionKey key = calendar.SessionAt(s.index);
    out += fmt::format("{}{} {} {}", out.empty() ? "" : ", ", key.date.ToString(),
                       core::SessionName(key.session),
                       s.code ? std::string(core::SymbolOf(*s.code)) : std::string("-"));
  }
  return out;
}

}  // namespace rollcall::service
