// records.h
//
// The school's stored records as the rules core and the access rules see
// them: a pupil's name, cohort flags and on-roll periods on a day, the
// school's policy, the whole school as a core::Scenario, a user as a
// Principal. Every service, page and export builds these the same way.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/date.h"
#include "core/policy.h"
#include "core/pupil_sessions.h"
#include "core/scenario.h"
#include "core/status.h"
#include "service/access.h"
#include "store/store.h"

namespace rollcall::service {

struct Snapshot;

// Preferred names where given, else legal names.
std::string DisplayName(const store::Pupil& p);
// The pupil's preferred given name, or the legal one.
const std::string& GivenName(const store::Pupil& p);
// Whom a letter about the pupil goes to: the first contact by priority who
// has parental responsibility, greeted by their salutation, with their
// address block (empty when no address is recorded). With no such contact:
// "Parent or carer of <pupil>", "Dear Parent or carer" and no address.
struct LetterRecipient {
  std::string addressee;   // "Helen Ali"
  std::string salutation;  // "Dear Mrs Ali"
  std::string address;     // store::AddressBlockOf, or ""
};
LetterRecipient RecipientOf(const store::Pupil& p);
// "Reception" for year group 0, else "Year 3".
std::string YearGroupName(int year_group);
// A UPN as typed ("a909 1234 00001") as it is held ("A909123400001").
std::string UpnAsHeld(std::string_view typed);
// The name of the class `class_id` in the snapshot ("" for none or an
// unknown one). Requires the school's lock.
std::string ClassNameOf(const Snapshot& snap, const std::optional<int64_t>& class_id);
// Text in lower case (ASCII letters), to compare names and contact details.
std::string LowerCase(std::string_view text);
// The cohort flags a pupil holds on `day`, sorted.
std::vector<std::string> CohortTagsOn(const store::Pupil& p, core::Date day);
// The pupil as the rules core sees them (id, cohorts on `day`, on-roll periods).
core::PupilRecord RecordOf(const store::Pupil& p, core::Date day);
core::StatusOr<core::Policy> PolicyOf(const store::Settings& settings);
// The settings in force: the defaults until a head first saves some.
core::StatusOr<store::Settings> SettingsInForce(store::Store& store);
// The school as the rules core sees it on `today`: policy, calendar, pupils
// (in `pupils` order) and their marks.
core::StatusOr<core::Scenario> ScenarioOf(store::Store& store, const store::Settings& settings,
                                          const std::vector<store::Pupil>& pupils,
                                          const std::vector<store::Mark>& marks, core::Date today);
Principal PrincipalOf(const store::User& user);
// Sessions a rule cites, as stored and shown: "2026-11-02 AM G, 2026-11-02 PM G".
std::string EvidenceText(const core::Calendar& calendar, std::span<const core::PupilSession> s);
// Stamps a record with who is making it: by_user_id, by_name, by_role.
template <typename Record>
void StampAuthor(Record& record, const Principal& who) {
  record.by_user_id = who.user_id;
  record.by_name = who.name;
  record.by_role = who.role;
}

}  // namespace rollcall::service
