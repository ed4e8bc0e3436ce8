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
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

struct RollImportResult {
  int64_t admitted = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
  int64_t classes_added = 0;
};

class RollImport {
 public:
  explicit RollImport(School& school) : school_(school) {}

  // The office and the head (kImportRoll). InvalidArgument CSV_INVALID
  // listing "FILE line N: field: problem" entries when any row is wrong;
  // nothing is written then. After a write the school is read again.
  core::StatusOr<RollImportResult> Import(const Principal& who, const RollImportRequest& request);

 private:
  School& school_;
};

}  // namespace rollcall::service
