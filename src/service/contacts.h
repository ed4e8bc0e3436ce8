// contacts.h
//
// A pupil's contacts (who they are, whether they have parental
// responsibility, how a letter greets them and where it goes) and contact
// log: every call, text, email, letter, home visit and
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
#include <vector>

#include "core/status.h"
#include "service/absence_reports.h"
#include "service/access.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::service {

// One contact as entered (text fields, checked here).
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
  std::string salutation;  // "Dear Mrs Ali", or "" to greet them by name
  std::string address;     // lines without the postcode
  std::string postcode;    // a UK postcode, or ""
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
  // (kEditContacts). InvalidArgument VALUE_INVALID naming the field: no
  // name or relationship, a field too long, an email without '@', a
  // salutation not starting "Dear", a postcode that is not a UK one, no
  // contact at that position.
  core::StatusOr<store::Contact> SaveContact(const Principal& who, const ContactDetails& d);
  // Whether `who` may change the pupil's contacts, for showing the forms.
  bool MayEditContacts(const Principal& who, int64_t pupil_id) const;
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
  School& school_;
  AbsenceReports& reports_;
};

}  // namespace rollcall::service
