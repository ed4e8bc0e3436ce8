// subject_access.h
//
// Subject access requests (docs/subject-access.md): everything rollcall
// holds about one pupil, or about one parent or carer, gathered into one
// structure that both renderings (JSON with stable keys, and a PDF of
// readable sections) are made from, so the two never disagree.
//
// For a pupil: the admission register entry and its changes, every mark
// and amendment (with who, when and why), attendance at previous schools,
// the figures and alerts as the pupil's page shows them (the rules core, as of today), casework
// (support, children missing education, penalty cases, leave, part-time timetables), absence
// reports, the contact log, letters (with their text), messages to the family about the pupil,
// medical evidence (names, types, dates and requests, never the files' bytes), known conditions and
// the access log.
//
// For a contact, named by the pupil and their place in the pupil's contact
// list ("12:1"): their contact record, every pupil they are a contact of
// (the same account, or the same name with the same email or phone), the
// messages sent to their email address or phone, the absence reports and
// leave requests their account made, and their account (rollcall keeps no
// history of logins beyond the live sessions, which are not personal
// history).
//
// Only the head may make one (kMakeSubjectAccess); each made is recorded in
// the access log (kind subject_access) before it is returned.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "service/access.h"
#include "service/access_log.h"
#include "service/pupils.h"
#include "service/school.h"

namespace rollcall::service {

// One section of the copy: a table whose rows are lists of cells, one per
// column. Column keys and section keys are the JSON's, and are stable.
struct SarColumn {
  std::string key;
  std::string title;
};
struct SarSection {
  std::string key;
  std::string title;
  std::vector<SarColumn> columns;
  std::vector<std::vector<std::string>> rows;
};

struct SubjectAccessCopy {
  std::string subject_kind;  // "pupil" or "contact"
  std::string subject_name;  // the pupil's display name, or the contact's name
  int64_t pupil_id = 0;      // the pupil, or the pupil whose contact list names the contact
  std::string contact;       // "12:1" for a contact; empty for a pupil
  std::string school;
  int64_t produced_at = 0;
  std::string produced_by;
  std::vector<SarSection> sections;  // in the order shown
};

// A contact as the request names them: the pupil and their place (1-based
// priority) in the pupil's contact list. InvalidArgument VALUE_INVALID for
// text not of the form "PUPIL:N" with positive numbers.
struct ContactRef {
  int64_t pupil_id = 0;
  int position = 0;
};
core::StatusOr<ContactRef> ParseContactRef(std::string_view text);

class SubjectAccess {
 public:
  SubjectAccess(School& school, Pupils& pupils, AccessLog& log)
      : school_(school), pupils_(pupils), log_(log) {}

  // Everything held about the pupil. kMakeSubjectAccess; NotFound
  // PUPIL_UNKNOWN. `format` ("json", "pdf", "page") is recorded in the
  // access log with the request; an error writing the log fails the call.
  core::StatusOr<SubjectAccessCopy> ForPupil(const Principal& who, int64_t pupil_id,
                                             std::string_view format);
  // Everything held about a contact. kMakeSubjectAccess; NotFound
  // PUPIL_UNKNOWN, or CONTACT_UNKNOWN for a position the pupil's list does
  // not have.
  core::StatusOr<SubjectAccessCopy> ForContact(const Principal& who, ContactRef contact,
                                               std::string_view format);

 private:
  School& school_;
  Pupils& pupils_;
  AccessLog& log_;
};

// The copy as JSON (docs/subject-access.md lists the keys): {"subject":
// {...}, "sections": {key: [{column key: value, ...}, ...], ...}}, indented.
std::string SubjectAccessJson(const SubjectAccessCopy& copy);
// The copy as a PDF: a cover page, then each section with its rows, one
// paragraph a row. Internal PDF_FAILED when libharu fails.
core::StatusOr<std::string> SubjectAccessPdf(const SubjectAccessCopy& copy);

}  // namespace rollcall::service
