// roll_import.h
//
// A school's roll from its old system (io/roll_csv.h) into the admission
// register: pupils, their classes, cohort flags and contacts. Every row of
// both files is checked first, on its own (io/roll_csv.h) and against the
// school: a registration group that is a class of another year group, a
// year group the school's phase does not teach, a contact whose UPN is in
// neither the pupils file nor the school. One problem anywhere and nothing
// is written; otherwise one store::Store::SavePupils call adds the classes
// the files name that the school lacks, admits the new pupils and replaces
// the changed ones (matched on UPN, the change kept in the admission
// register's history with the files as its reason). A pupil the files leave
// as they are is not written at all, so importing the same files again
// changes nothing. Fields the files have no column for are kept. Historical
// marks then come through the marks import (service/marks_import.h).
//
// A Common Transfer File (io/ctf_xml.h) is read into the same rows and goes
// through the same checks and matching (ImportCtf): a pupil new to the
// school is admitted on the starting day the importer gives (a CTF does not
// carry it), a known UPN has its names and contacts updated and keeps its
// admission, and the pupil's attendance at previous schools is stored with
// them in one transaction (store::Store::ImportTransfer), for their page
// only: it never enters this school's figures.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "io/roll_csv.h"
#include "service/access.h"
#include "service/school.h"

namespace rollcall::service {

struct RollImportFile {
  std::string name;  // as problems name it, e.g. "pupils.csv"
  std::string_view text;
};

struct RollImportRequest {
  RollImportFile pupils;
  std::optional<RollImportFile> contacts;
  io::RollMapping mapping;
  bool dry_run = false;  // check and count, write nothing
};

struct CtfImportRequest {
  RollImportFile ctf;  // e.g. "A123.xml"
  core::Date start;    // the starting day of the pupils new to the school
  // The class new pupils join ("" for none); added when the school has no
  // class of that name. Pupils already on the school's roll keep theirs.
  std::string class_name;
  bool dry_run = false;
};

struct RollImportResult {
  int64_t admitted = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
  int64_t classes_added = 0;
  // Years at previous schools (a CTF's YearData) stored or replaced; those
  // already stored as the file gives them are not counted.
  int64_t previous_years = 0;
};

class RollImport {
 public:
  explicit RollImport(School& school) : school_(school) {}

  // The office and the head (kImportRoll). InvalidArgument CSV_INVALID
  // listing "FILE line N: field: problem" entries when any row is wrong;
  // nothing is written then. After a write the school is read again.
  core::StatusOr<RollImportResult> Import(const Principal& who, const RollImportRequest& request);
  // The same for a Common Transfer File: its problems are named by element
  // path ("FILE: CTFpupilData/Pupil[2]/DOB: ..."), and nothing is written
  // when there is any.
  core::StatusOr<RollImportResult> ImportCtf(const Principal& who, const CtfImportRequest& request);

 private:
  // The school's roll as an import finds it.
  struct Roll {
    std::vector<store::Pupil> pupils;
    std::map<std::string, size_t> by_upn;         // UPN -> index in pupils
    std::map<std::string, store::Class> classes;  // by name
    std::string phase;
  };
  // How problems name the rows: the files, and for a CTF the element path
  // of each pupils row (row.line N is paths[N-1]).
  struct RowNames {
    std::string pupils, contacts;
    std::vector<std::string> paths;
  };
  // What the rows would write.
  struct Plan {
    RollImportResult result;
    std::vector<store::Class> new_classes;
    std::vector<store::Pupil> writes;  // in the files' order
  };
  // Requires kImportRoll.
  core::StatusOr<Roll> ReadRoll(const Principal& who) const;
  // Checks the rows against the school (adding problems to `errors`) and
  // works out the write; nothing is written.
  Plan PlanWrites(const Roll& roll, const io::RollPupilsFile& file,
                  const io::RollContactsFile& contacts, const RowNames& names,
                  io::CsvErrors& errors) const;

  School& school_;
};

}  // namespace rollcall::service
