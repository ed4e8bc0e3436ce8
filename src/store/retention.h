// retention.h
//
// How long each kind of record is kept and the purge that removes records
// once that time has passed (docs/retention.md): one aggregate of the Store
// interface (store.h).
//
// The register (marks), its amendments and the admission register are kept
// six years, as the regulations require; those periods can be made longer
// but never shorter. The other kinds have defaults a head may change with a
// reason. A purge removes, for each kind, the records made before its
// cut-off day, except those of pupils on hold (an open penalty case, a
// prosecution, an open children-missing-education case), all in one
// transaction, and records each kind's count in the purge log. Only that
// transaction may delete from the append-only tables: it writes a permit
// row the tables' triggers look for and removes it before committing
// (migrations/sqlite/0025_retention.sql).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"

namespace rollcall::store {

// What a period is counted from: when the record was made, or (for records
// about a pupil) when the record was made and the pupil has left, both at
// least the period ago. Stored by name ("made", "left"): never rename them.
enum class RetentionBasis : uint8_t { kMade, kLeft };
std::string_view RetentionBasisName(RetentionBasis basis);
std::optional<RetentionBasis> RetentionBasisFromName(std::string_view name);

// One kind of record the purge knows, with its default period. The names
// are stored (retention_periods.kind, purge_log.kind): never rename them.
struct RetentionKind {
  std::string_view name;   // "marks"
  std::string_view title;  // "Attendance register marks"
  int default_months = 0;
  RetentionBasis default_basis = RetentionBasis::kMade;
  bool statutory = false;  // the register's six years: never below 72 months
  // Why the default is what it is, shown on the retention page.
  std::string_view why;
};

inline constexpr int kStatutoryMonths = 72;  // six years

inline constexpr std::array<RetentionKind, 8> kRetentionKinds = {{
    {"marks", "Attendance register marks", 72, RetentionBasis::kMade, true,
     "The School Attendance (Pupil Registration) (England) Regulations 2024 require every entry "
     "in the attendance register to be kept for six years from the date it was made."},
    {"mark_amendments", "Amendments to marks", 72, RetentionBasis::kMade, true,
     "An amendment is itself an entry in the attendance register: kept six years from the date "
     "it was made."},
    {"admission_changes", "Admission register entries and their changes", 72, RetentionBasis::kLeft,
     true,
     "Entries in the admission register are kept six years from the date they were made; an "
     "entry is kept while the pupil is on roll, so it is counted from when the pupil left."},
    {"contact_log", "Contact log", 72, RetentionBasis::kLeft, false,
     "Contacts with families are part of the pupil's attendance record and evidence for any "
     "later casework: kept six years after the pupil left, with the register."},
    {"letters", "Letters to families", 72, RetentionBasis::kMade, false,
     "Attendance letters may be evidence in a penalty or prosecution: kept six years from when "
     "they were sent, with the register entries they quote."},
    {"messages", "Sent emails and texts (outbox)", 24, RetentionBasis::kMade, false,
     "The copy of each email and text sent, and its delivery record. Each message sent to a "
     "family is also written to the contact log, so the outbox copy is kept two years."},
    {"events", "Events told to other systems (webhooks)", 24, RetentionBasis::kMade, false,
     "Copies of marks, amendments and admissions as they happened, kept to send to other "
     "systems; the register itself keeps the record. Kept two years once sent on, as messages "
     "are."},
    {"medical_evidence", "Medical evidence files", 12, RetentionBasis::kMade, false,
     "Health data is special category data: kept only while it may be needed to authorise "
     "illness absence, one year from when it was sent in (longer while a case is open)."},
}};

// The RetentionKind named `name`, or nullptr.
const RetentionKind* FindRetentionKind(std::string_view name);

// A head's change to a kind's period; the newest row of a kind is in force.
struct RetentionChange {
  int64_t id = 0;
  std::string kind;
  int months = 0;
  RetentionBasis basis = RetentionBasis::kMade;
  std::string reason;
  int64_t set_at = 0;
  std::string set_by;
};

// Whether the server purges each night by itself (version 0: never set).
struct RetentionSettings {
  int64_t version = 0;
  bool auto_purge = false;
  int64_t set_at = 0;
  std::string set_by;
};

// Where the purge of one kind stops: records made before `before` (a day;
// `before_at` is the first second of it in UK time) go.
struct PurgeCutoff {
  std::string kind;  // a kRetentionKinds name
  RetentionBasis basis = RetentionBasis::kMade;
  core::Date before;
  int64_t before_at = 0;
};

// A pupil whose records no purge removes, and why ("open penalty case",
// "prosecution", "open CME case"; one row per reason).
struct PurgeHold {
  int64_t pupil_id = 0;
  std::string reason;
};

// How many records of a kind a purge removes (or would), and how many more
// it would have but for the holds.
struct PurgeCount {
  std::string kind;
  core::Date before;
  int64_t rows = 0;
  int64_t held = 0;
};

// One row of the purge log.
struct PurgeLogEntry {
  int64_t id = 0;
  std::string kind;
  int64_t rows = 0;
  core::Date up_to;  // records made before this day went
  int64_t held = 0;
  int64_t at = 0;
  std::string by;  // a user's name, or "scheduled"
};

}  // namespace rollcall::store
