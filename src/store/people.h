// people.h
//
// The store's records of the school, its calendar, classes, pupils (the admission register's
// entries) and accounts, and login sessions: one aggregate of the Store interface (store.h), with
// its types and the checks every backend applies.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/date.h"
#include "core/status.h"

namespace rollcall::store {

// Stored: do not renumber.
enum class Role : uint8_t {
  kTeacher = 1,            // own classes' registers
  kOffice = 2,             // attendance officer: whole school, codes and amendments
  kHead = 3,               // head / attendance lead: as office, plus policy and staff
  kGovernor = 4,           // aggregates only
  kLaOfficer = 5,          // schools linked to their LA
  kParent = 6,             // own children
  kSafeguardingLead = 7,   // designated safeguarding lead: every pupil's casework
  kSenco = 8,              // SENCO: every pupil's support plans
  kAttendanceOfficer = 9,  // the whole school's attendance work and casework
};
// "teacher", "office", "head", "governor", "la", "parent", "dsl", "senco",
// "attendance"
std::string_view RoleName(Role role);
std::optional<Role> RoleFromName(std::string_view name);

struct School {
  std::string name;
  std::string urn;      // unique reference number, 6 digits
  std::string la_code;  // 3-digit LA number, e.g. "909"
  std::string phase;    // "primary", "secondary", "all-through", "nursery", "special", ...
  // Defaulted, so that a School braced from its first four fields is whole.
  std::string establishment_number = {};  // 4 digits: with la_code, the DfE number "909/1234"
  std::string address = {};  // the postal address without the postcode, a line per line
  std::string postcode = {};
};

// School policy settings. Every change is a new version; old versions are kept.
struct Settings {
  int64_t version = 0;  // assigned by SaveSettings: 1, 2, ...
  int am_start_minute = 8 * 60 + 45;
  int pm_start_minute = 13 * 60 + 15;
  int register_close_minutes = 30;  // after session start; 0..30 (Regulations 2024)
  // How long before each session starts its register opens: no mark before
  // then. 0..the start minute, so the opening is a time of the same day.
  int am_opens_before_minutes = 15;
  int pm_opens_before_minutes = 15;
  // Policy overrides in the conformance scenario format ("policy" object):
  // thresholds and bands. Stored as text; validated by the caller.
  std::string policy_json = "{}";
  std::string target_attendance_pct = "96";  // school target, decimal text
  // Where the daily attendance share goes: a folder on this machine or an
  // https address ("" for nowhere yet), and the UK time of day, minutes
  // after midnight, after which the scheduled share runs (docs/share.md).
  std::string share_destination;
  int share_minute = 18 * 60;
  // A login session not used for this many minutes ends (5..480; within the
  // 8-hour cap of every login).
  int session_idle_minutes = 60;
  // Rewards (service/rewards.h): pupils with a known medical condition in
  // force are left out of the class tables and lists.
  bool rewards_exclude_medical = false;
  int64_t set_at = 0;
  std::string set_by;  // display name of who set it

  // Minutes after midnight the session starts and its register opens.
  int SessionStart(core::Session session) const {
    return session == core::Session::kAm ? am_start_minute : pm_start_minute;
  }
  int RegisterOpen(core::Session session) const {
    return SessionStart(session) -
           (session == core::Session::kAm ? am_opens_before_minutes : pm_opens_before_minutes);
  }
};

struct Term {
  int64_t id = 0;
  std::string name;  // e.g. "Autumn 2026"
  core::Date start;
  core::Date end;  // inclusive
};

struct Closure {
  core::Date date;
  core::ClosureSessions sessions = core::ClosureSessions::kBoth;
  std::string reason;
};

// The school's calendar as the rules see it: its terms and closures.
core::Calendar CalendarOf(const std::vector<Term>& terms, const std::vector<Closure>& closures);

struct Class {
  int64_t id = 0;
  std::string name;    // registration group, e.g. "3B"
  int year_group = 0;  // 0 = Reception, 1..13
  std::vector<int64_t> teacher_ids;
};

// A cohort characteristic held over a date range. Flags: FSM, PP (pupil
// premium), SEN_K (SEN support), EHCP, CLA (looked after), SW (social worker
// or child protection), YC (young carer), EAL.
struct CohortFlag {
  std::string flag;
  core::Date from;
  std::optional<core::Date> to;  // inclusive; nullopt: still holds
};

// An admission register entry: on roll from `start`; a deletion sets `end`
// (last day on roll), the ground (a letter a-o of the 2024 Regulations) and
// the destination school or reason.
struct Enrolment {
  core::Date start;
  std::optional<core::Date> end;
  std::string deletion_ground;
  std::string destination;
};

struct Contact {
  int priority = 1;  // 1 = call first
  std::string name;
  std::string relationship;
  std::string phone;
  std::string email;
  std::optional<int64_t> user_id;  // the parent's account, if they have one
  // Has parental responsibility for the child, or has care of them: only
  // these contacts are given penalty notices, notices to improve and letters.
  bool parental_responsibility = false;
  std::string salutation;   // "Dear Mrs Ali"; empty: made from the name (SalutationOf)
  std::string address;      // the postal address without the postcode, a line per line
  std::string postcode;     // "LE10 2AB"
  bool lives_with = false;  // the pupil normally lives with them
  bool emergency = false;   // to be called in an emergency
  std::string other_phone;  // a second number, e.g. work
  std::optional<core::Date> confirmed_on;  // the family last confirmed these details
  // How the school's messages reach them (docs/messaging.md).
  // "sms", "email", or "" for a text when they have a mobile number, else email.
  std::string preferred_channel;
  // They asked for no messages the law does not require (certificates,
  // digests, reminders); statutory and safeguarding messages still go.
  bool optional_opt_out = false;
  // A contact without parental responsibility who is to get the school's
  // messages about absence anyway, as an emergency contact for that purpose.
  bool messages_without_pr = false;
  // The record of consent to messages: when given, who recorded it and how
  // it was given ("on the admission form", "by phone to the office").
  std::optional<int64_t> consent_at;
  std::string consent_by;
  std::string consent_note;
};

// How a letter greets the contact: their salutation, or "Dear" and their name.
std::string SalutationOf(const Contact& contact);
// The contact's name, address lines and postcode, a line each, as the top
// left of a letter gives them; blank lines and an empty postcode are left out.
std::string AddressBlockOf(const Contact& contact);

struct Pupil {
  int64_t id = 0;   // assigned by AddPupil
  std::string upn;  // 13 characters with check letter; validated by the caller
  std::string legal_given_name;
  std::string legal_family_name;
  std::string preferred_given_name;  // empty: same as legal
  std::string preferred_family_name;
  core::Date date_of_birth;
  std::string sex;  // "F", "M"
  int year_group = 0;
  std::optional<int64_t> class_id;
  std::vector<CohortFlag> flags;
  std::vector<Enrolment> enrolments;  // sorted by start
  std::vector<Contact> contacts;      // sorted by priority
  bool boarder = false;
  std::string previous_school;  // the school attended before this one; "" for none
  // The pupil's social worker, when they have one: emailed the same-day
  // list of their unexplained absences when the school sets that on.
  std::string social_worker_name;
  std::string social_worker_email;
};

// One change to a pupil's admission register entry: a field, its old and
// new value as text, when, by whom and why. Appended by SavePupils, never
// changed or deleted.
struct AdmissionChange {
  int64_t id = 0;
  int64_t pupil_id = 0;
  int64_t at = 0;
  std::string actor_name;
  Role actor_role = Role::kOffice;
  std::string reason;
  std::string field;  // e.g. "legal_family_name", "enrolment 1 end", "contact 1 phone"
  std::string old_value, new_value;  // "" for none
};

// A Common Transfer File the school owes for a pupil who left: recorded by
// SavePupils when an enrolment gains its last day; produced_at stays empty
// until the file is made.
struct TransferOwed {
  int64_t id = 0;
  int64_t pupil_id = 0;
  core::Date last_day;
  std::string destination;  // as the enrolment gives it; "" when unknown
  int64_t recorded_at = 0;
  std::optional<int64_t> produced_at;
};

// A pupil's attendance at a school they attended before this one, for one
// academic year, as their Common Transfer File gives it: shown on the
// pupil's page, never part of this school's figures.
struct PreviousAttendance {
  int64_t id = 0;
  int64_t pupil_id = 0;    // ImportTransfer: -(i+1) for its pupils[i]
  int academic_year = 0;   // its first calendar year: 2024 is 2024/25
  std::string lea, estab;  // the school's LA (3 digits) and establishment (4) numbers
  std::string school_name;
  int64_t possible = 0, authorised = 0, attended = 0, unauthorised = 0;  // sessions
  std::optional<core::Date> marks_start;  // when the file gave the marks
  std::string marks;                      // two characters a day from marks_start (docs/ctf.md)
};

struct User {
  int64_t id = 0;  // assigned by AddUser
  std::string username;
  std::string display_name;
  Role role = Role::kTeacher;
  std::string password_hash;  // argon2id string from libsodium
  std::string la_code;        // LA officers: their authority
  bool active = true;
  std::vector<int64_t> class_ids;  // teachers: classes they register
  std::vector<int64_t> pupil_ids;  // parents: their children
  std::string email;               // staff: where their notifications go; "" for none
};

// A one-time link to set an account's password: an invitation to a new
// account, or a reset. The token itself is never stored, only its hash. It
// works once, until expires_at, and only while it is the account's newest.
struct Invite {
  int64_t id = 0;  // assigned by AddInvite
  int64_t user_id = 0;
  std::string token_hash;
  int64_t created_at = 0;
  int64_t expires_at = 0;
  std::string created_by;           // display name of who sent it
  std::optional<int64_t> used_at;   // when the password was set with it
  std::optional<int64_t> ended_at;  // when a newer link or disabling ended it
};

// A logged-in browser or API client. The token itself is never stored, only
// its hash.
struct AuthSession {
  std::string token_hash;  // hex SHA-256 (or similar) of the cookie token
  int64_t user_id = 0;
  std::string csrf_token;
  int64_t created_at = 0;
  int64_t expires_at = 0;  // the absolute cap, however busy the session
  // When it last made a request, to the minute or so (written at most once
  // a minute); it ends once idle for the school's session_idle_minutes.
  int64_t last_seen_at = 0;
};

}  // namespace rollcall::store
