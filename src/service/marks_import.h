// marks_import.h
//
// Marks from a CSV file (io/marks_csv.h) into a school's store: every row is
// checked first exactly as a register entry is (the pupil exists by UPN, the
// school is this database's, the session is open, the pupil is on roll and
// the code valid that day: core::CheckMark; no session after today, and none of today's before
// its register opens), and only a file with no
// problem is written, in one SaveMarks transaction. A row that changes a stored mark is an
// amendment, kept in the audit trail with the file and line as its reason; a row equal to the
// stored mark changes nothing.
#pragma once

#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "io/marks_csv.h"
#include "store/store.h"

namespace rollcall::service {

struct ImportResult {
  int64_t rows = 0;       // sessions in the file with a code
  int64_t no_mark = 0;    // empty codes: nothing to record
  int64_t changed = 0;    // new marks and amendments (one audit row each)
  int64_t amended = 0;    // of which changed an existing mark
  int64_t unchanged = 0;  // already recorded with that code
};

// InvalidArgument CSV_INVALID listing "line N: problem" entries when any row
// fails a check; nothing is written then.
core::StatusOr<ImportResult> ImportMarks(store::Store& store, const std::vector<io::MarkRow>& rows,
                                         const store::Actor& actor, const core::Clock& clock,
                                         const std::string& source);

}  // namespace rollcall::service
