// contacts.h
//
// A pupil's contacts (who they are, whether they have parental
// responsibility, who is called in an emergency, when the family last
// confirmed them, how a letter greets them and where it goes), the checks
// the office makes of them, the siblings they reveal, the pupil's cohort
// flags, and the contact log: every call, text, email, letter, home visit and
// meeting with the family, and the messages the school sends the parents,
// with what came of each and who made it. The log is append-only (a mistake
// is put right by a later entry). Parents read the school's messages beside
// their own absence reports and the office's replies; calls and visits stay
// in the log for staff.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/date.h"
#include "core/scenario.h"
#include "core/status.h"
#include "service/absence_reports.h"
#include "service/access.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::service {

// One contact log entry with the keys of the contact log's API (GET
// /api/v1/pupils/{id}/contact-log); evidence packs quote entries the same
// way, so the LA reads both alike.
nlohmann::ordered_json ContactEntryJson(const store::ContactLogEntry& e);

struct ContactRequest {
  int64_t pupil_id = 0;
  std::string method;   // store::ContactMethodName, e.g. "call"
  std::string outcome;  // store::ContactOutcomeName; "" when the method has only one
  std::string contact;  // who was contacted, e.g. "Mrs A Khan (Mother)"
  std::string note;     // for a message: the text the parents read
};

// A call to a family from the office's Today list. When the family gave a
// reason for the absence it becomes an absence report from today to
// `until`, which Today then offers to confirm as a parent's own.
struct CallRequest {
  int64_t pupil_id = 0;
  std::string outcome, contact, note;
  std::string reason;  // why the pupil is absent, if the family said
  std::string until;   // YYYY-MM-DD, the last day off; "" for today only
};

// One of a pupil's contacts as entered on the pupil's page or in the API
// (text fields, checked here).
struct ContactDetails {
  int64_t pupil_id = 0;
  std::optional<size_t> position;  // 1 = the first contact; nullopt: add one, last
  std::string name, relationship, phone, email;
  bool parental_responsibility = false;
  std::string salutation;   // "Dear Mrs Ali", or "" to greet them by name
  std::string address;      // lines without the postcode
  std::string postcode;     // a UK postcode, or ""
  bool lives_with = false;  // the child lives with them
  bool emergency = false;   // to be called in an emergency
  std::string other_phone;  // a second number, or ""
  bool confirmed = false;   // the family has just confirmed these details
  // Why, for the admission register; "" for "Contacts changed by the office".
  std::string reason;
  // The place to move the contact to (1 = called first); nullopt: where it is.
  std::optional<size_t> priority;
  // How the school's messages reach them (docs/day-one.md): "sms" (needs a
  // UK mobile), "email" (needs an email address), or "" for a text when they
  // have a mobile, else email.
  std::string preferred_channel;
  // No messages the law does not require.
  bool optional_opt_out = false;
  // A contact without parental responsibility who is an emergency contact
  // and is to get the absence messages anyway.
  bool messages_without_pr = false;
  // Record now that they consented to messages, as `consent_note` says they
  // did ("on the admission form"), under the name of whoever saves. false:
  // the consent recorded before is kept.
  bool record_consent = false;
  std::string consent_note;
};

// The cohort flags the school records (words: CohortText).
using core::kCohortFlags;

// A cohort flag added from a day, or ended on one, as entered (text fields,
// checked here).
struct FlagChange {
  int64_t pupil_id = 0;
  std::string flag;    // one of kCohortFlags
  std::string date;    // YYYY-MM-DD: the first day held, or the last
  std::string reason;  // "" for "Cohort flags changed by the office"
};

// What the school's checks of a pupil's contacts find.
struct ContactChecks {
  int emergency = 0;  // contacts to call in an emergency
  // The oldest confirmation of the contacts' details; nullopt when one was
  // never confirmed.
  std::optional<core::Date> checked_on;
  // The warnings as the office reads them, "" for none: fewer than two
  // emergency contacts, and details not confirmed this school year
  // (1 September to 31 August).
  std::string emergency_warning;
  std::string check_warning;
  bool any() const { return !emergency_warning.empty() || !check_warning.empty(); }
};

// The checks of `p`'s contacts on `today`.
ContactChecks ChecksOf(const store::Pupil& p, core::Date today);

// Another pupil sharing a contact with parental responsibility.
struct Sibling {
  int64_t pupil_id = 0;
  std::string name;
  std::string contact;  // the shared contact's name
};

// The pupils of `pupils` other than pupils[index] who share a contact with
// parental responsibility with them: the same name and the same phone
// number or email address, compared without case or spacing. By name.
std::vector<Sibling> SiblingsOf(const std::vector<store::Pupil>& pupils, size_t index);

// A pupil's contacts, cohort flags, checks and siblings, for their page.
struct ContactsView {
  int64_t pupil_id = 0;
  std::vector<store::Contact> contacts;  // by priority
  std::vector<store::CohortFlag> flags;  // as held, by flag and date
  ContactChecks checks;
  std::vector<Sibling> siblings;  // those the reader may see
  bool may_edit = false;          // contacts and flags (kEditContacts)
};

// A pupil on the list of contacts to check.
struct ContactCheckRow {
  int64_t pupil_id = 0;
  std::string name;
  std::string class_name;
  ContactChecks checks;
};

struct ContactLogView {
  std::vector<store::ContactLogEntry> entries;  // newest first
  bool may_record = false;                      // the reader may add to it
};

// What a pupil's parents and the school have said to each other.
struct FamilyMessage {
  int64_t at = 0;
  std::string from;  // "school" or "family"
  std::string by;
  std::string text;
};

class Contacts {
 public:
  Contacts(School& school, AbsenceReports& reports) : school_(school), reports_(reports) {}

  // Changes the pupil's contact at d.position (keeping its priority and its
  // parent account), or adds one after the others, and returns it as stored
  // (the postcode written as "LE10 2AB"). The office and the head
  // (kEditContacts). Every change to contacts and flags is written to the
  // admission register (store SavePupils) with who, when and why.
  // InvalidArgument VALUE_INVALID naming the field: no name or relationship,
  // a field too long, a phone number or postcode that is not a UK one, an
  // emergency contact without a phone, an email that is not an address, a
  // salutation not starting "Dear", no contact at that position, a
  // preferred channel not "", "sms" or "email" or one the contact has no
  // mobile or address for, messages without parental responsibility for a
  // contact who has it or is not an emergency contact, consent recorded
  // without saying how it was given.
  core::StatusOr<store::Contact> SaveContact(const Principal& who, const ContactDetails& d);
  // Whether `who` may change the pupil's contacts, for showing the forms.
  bool MayEditContacts(const Principal& who, int64_t pupil_id) const;
  // Moves the contact at `position` (1 = first) to `to`, the others keeping
  // their order, and numbers the priorities 1, 2, ... again (kEditContacts).
  core::Status MoveContact(const Principal& who, int64_t pupil_id, size_t position, size_t to,
                           const std::string& reason);
  // Removes the contact at `position` (kEditContacts).
  core::Status RemoveContact(const Principal& who, int64_t pupil_id, size_t position,
                             const std::string& reason);
  // The family has confirmed every contact's details today (kEditContacts).
  core::Status ConfirmContacts(const Principal& who, int64_t pupil_id);
  // Adds c.flag from c.date: refused while the pupil holds it then, unless
  // it is held from that very day, which changes nothing (kEditContacts).
  core::Status AddFlag(const Principal& who, const FlagChange& c);
  // Ends the pupil's flag c.flag still held, on c.date, its last day: on or
  // after the day it was added (kEditContacts).
  core::Status EndFlag(const Principal& who, const FlagChange& c);
  // The pupil's contacts, flags, checks and siblings for whoever may read
  // the pupil (kReadPupil).
  core::StatusOr<ContactsView> View(const Principal& who, int64_t pupil_id) const;
  // The pupils on roll today whose contacts the checks find wanting, by
  // class and name: the office's list at the start of the year
  // (kEditContacts).
  core::StatusOr<std::vector<ContactCheckRow>> ToCheck(const Principal& who) const;
  // Appends an entry to the pupil's log, as `who`, now. The outcome must be
  // one the method can have; a message needs its text.
  core::StatusOr<store::ContactLogEntry> Add(const Principal& who, const ContactRequest& r);
  // Logs a call; with a reason, first stores it as an absence report (the
  // family must have been spoken to).
  core::StatusOr<store::ContactLogEntry> LogCall(const Principal& who, const CallRequest& r);
  // The pupil's log, for those who may read it (kReadContactLog).
  core::StatusOr<ContactLogView> Log(const Principal& who, int64_t pupil_id);
  // Every entry made since midnight, of the pupils whose log `who` may
  // read, newest first: the calls already made today, so no one rings twice.
  core::StatusOr<std::vector<store::ContactLogEntry>> LoggedToday(const Principal& who);
  // The school's messages to the parents, the parents' absence reports and
  // the office's replies to them, newest first (kReadMessages).
  core::StatusOr<std::vector<FamilyMessage>> Messages(const Principal& who, int64_t pupil_id);

 private:
  // Writes `pupil` (a changed copy of the snapshot's pupil at `index`) to the
  // admission register with `reason`, as `who`, then to the snapshot. With
  // School::BeginWrite held.
  core::Status Save(const Principal& who, size_t index, const store::Pupil& pupil,
                    const std::string& reason);
  // The pupil `who` may edit, copied under the read lock: its index and the
  // copy. With School::BeginWrite held.
  core::StatusOr<std::pair<size_t, store::Pupil>> Editable(const Principal& who,
                                                           int64_t pupil_id) const;

  School& school_;
  AbsenceReports& reports_;
};

}  // namespace rollcall::service
