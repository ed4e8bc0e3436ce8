// admissions.h
//
// The admission register: admitting a pupil with the entries the law asks
// for (docs/rules.md section 4), correcting an entry with the reason kept,
// the history of every change, and taking a pupil off the roll on one of the
// fifteen grounds with the conditions checked that rollcall holds the data
// for. Every write goes through store::Store::SavePupils, so each changed
// field is kept with who, when and why, as marks are; the school's snapshot
// is changed only after the store has committed.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "service/access.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::service {

// One parent or emergency contact as typed on the admission form.
struct AdmissionContact {
  std::string name, relationship, phone, other_phone, email, address, postcode;
  bool parental_responsibility = false;
  bool lives_with = false;  // the pupil normally lives with them
  bool emergency = false;   // to be called in an emergency
};

// A pupil's admission register entry as typed (text fields, checked here).
struct AdmissionForm {
  std::string upn;  // any case, spaces allowed: "a909 1234 00001"
  std::string legal_given_name, legal_family_name;
  std::string preferred_given_name, preferred_family_name;  // "" for the legal ones
  std::string sex;                                          // "F" or "M"
  std::string date_of_birth;                                // YYYY-MM-DD
  std::string year_group;                                   // "R" or "0".."13"
  std::string class_id;                                     // a class of the school, or ""
  std::string start;                                        // the starting day, YYYY-MM-DD
  std::string previous_school;                              // "" when none
  bool boarder = false;
  std::vector<AdmissionContact> contacts;  // in priority order; blank ones are left out
};

// A correction of an entry: the same fields but the contacts (kept on the
// contacts page), and why.
struct EditForm {
  AdmissionForm entry;
  std::string reason;
};

// A pupil's social worker as a person enters them, and why the record
// changes (kept with the change, as for the entry).
struct SocialWorkerForm {
  std::string name, email;  // both "" to record that the pupil has none
  std::string reason;
};

// A pupil's social worker for those who may see safeguarding details.
struct SocialWorkerView {
  std::string name, email;
  bool may_edit = false;
};

// A deletion from the admission register.
struct LeaveForm {
  std::string ground;       // "a".."o"
  std::string last_day;     // the last day on roll, YYYY-MM-DD
  std::string destination;  // the new school, or where the pupil went
  std::string notice_date;  // ground f: the date of the parent's written notice
  std::string evidence;     // what shows the ground is met
};

// One of the fifteen grounds for deletion of a pupil of compulsory school
// age, with its conditions in plain words.
struct DeletionGround {
  char letter;
  std::string_view words;       // "Registered at another school"
  std::string_view conditions;  // what must be true, and what rollcall checks
  bool needs_destination;       // the new school must be named
  bool needs_evidence;          // no data here shows the ground: the evidence note must
};
std::span<const DeletionGround> DeletionGrounds();
const DeletionGround* DeletionGroundOf(std::string_view letter);

// One change of the entry, for the page.
struct AdmissionChangeLine {
  int64_t at = 0;
  std::string by;      // "Ms Office (office)"
  std::string field;   // "Legal family name", "Contact 1 phone", "Admitted"
  std::string before;  // "" for none
  std::string after;
  std::string reason;
};

// The entry as the pupil page shows it to those who may read amendments.
struct AdmissionEntryView {
  store::Pupil pupil;
  std::string class_name;  // "" when none
  std::optional<core::Date> start;
  std::optional<store::Enrolment> left;      // the latest enrolment, when ended
  std::vector<AdmissionChangeLine> changes;  // oldest first
  bool may_edit = false;                     // kEditPupil
  bool may_remove = false;                   // kRemoveFromRoll, while on roll
};

class Admissions {
 public:
  explicit Admissions(School& school) : school_(school) {}

  // Admits a pupil (kAdmitPupil) and returns their id. InvalidArgument
  // (VALUE_INVALID, DATE_INVALID, UPN_INVALID) naming the first field at
  // fault; Conflict PUPIL_DUPLICATE when the UPN is already used.
  core::StatusOr<int64_t> Admit(const Principal& who, const AdmissionForm& form);
  // Corrects the pupil's entry (kEditPupil); every changed field is kept
  // with the reason. REASON_REQUIRED without one.
  core::Status Edit(const Principal& who, int64_t pupil_id, const EditForm& form);
  // Takes the pupil off the roll (kRemoveFromRoll) when the ground's
  // conditions are met: InvalidArgument (DELETION_REFUSED) saying which
  // is not; Conflict PUPIL_NOT_ON_ROLL when already off it.
  core::Status RemoveFromRoll(const Principal& who, int64_t pupil_id, const LeaveForm& form);
  // The pupil's social worker, for those who may see it (kReadSocialWorker):
  // PermissionDenied for anyone else, who is shown nothing of it.
  core::StatusOr<SocialWorkerView> SocialWorker(const Principal& who, int64_t pupil_id) const;
  // Records the pupil's social worker (kEditSocialWorker: the office, the
  // head, the DSL) with the reason, kept in the pupil's history like a
  // change of the entry. InvalidArgument VALUE_INVALID for an email that
  // is not an address, or an email without a name; REASON_REQUIRED.
  core::Status SetSocialWorker(const Principal& who, int64_t pupil_id,
                               const SocialWorkerForm& form);
  // The entry and its changes (kReadAdmissionHistory).
  core::StatusOr<AdmissionEntryView> Entry(const Principal& who, int64_t pupil_id);
  // The pupil's entry as the edit form starts with it (kEditPupil).
  core::StatusOr<EditForm> FormOf(const Principal& who, int64_t pupil_id);
  // The classes a pupil may be placed in, by name: id and name.
  std::vector<std::pair<int64_t, std::string>> Classes() const;
  bool MayAdmit(const Principal& who) const;

 private:
  // The checked entry, as the store holds it, without id, enrolments or
  // contacts (those the callers add). Requires school_.mutex() held.
  core::StatusOr<store::Pupil> CheckedEntry(const AdmissionForm& form, core::Date start) const;
  // Writes `pupil` (id 0: a new one) with SavePupils, then the snapshot.
  // Requires BeginWrite's lock held. Returns the id.
  core::StatusOr<int64_t> Save(const Principal& who, const store::Pupil& pupil,
                               const std::string& reason);
  // The ground's conditions, for pupil at snapshot `index` leaving on
  // `last_day`. Requires school_.mutex() held.
  core::Status CheckGround(size_t index, const DeletionGround& ground, const LeaveForm& form,
                           core::Date last_day, const std::vector<store::ContactLogEntry>& log,
                           bool cme_case_worked) const;

  School& school_;
};

}  // namespace rollcall::service
