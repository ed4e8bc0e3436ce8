// evidence.h
//
// The store's records of medical evidence for illness absence
// (docs/evidence.md): the files families and the office send in, the
// requests the school raises for them, the rules that decide when to ask,
// and pupils' known conditions that pause asking. One aggregate of the
// Store interface (store.h). A file's bytes are read only one at a time
// (Store::EvidenceContent): lists never carry them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/date.h"

namespace rollcall::store {

// One file of medical evidence. Append-only.
struct MedicalEvidence {
  int64_t id = 0;  // assigned by AddMedicalEvidence
  int64_t pupil_id = 0;
  core::Date from_date;  // the illness days it covers, inclusive
  core::Date to_date;
  std::string filename;      // as sent, for display only
  std::string content_type;  // read from the bytes: application/pdf, image/jpeg or image/png
  int64_t size_bytes = 0;
  std::string sha256;  // lower-case hex of the bytes
  std::string note;
  int64_t uploaded_by = 0;  // the user's id
  std::string uploaded_by_name;
  std::string role;  // the uploader's role name
  int64_t uploaded_at = 0;
};

// The school asked a family for evidence of one illness episode. The rule
// names are stored: never rename them.
inline constexpr char kRuleLongIllness[] = "long_illness";
inline constexpr char kRuleRepeatedIllness[] = "repeated_illness";
inline constexpr char kRuleNextToHoliday[] = "next_to_holiday";

struct EvidenceRequest {
  int64_t id = 0;
  int64_t pupil_id = 0;
  std::string rule;  // one of the kRule... names
  core::Date from_date;
  core::Date to_date;
  int64_t raised_at = 0;
  std::string outbox_key;  // the idempotency key prefix of its messages
  std::optional<int64_t> resolved_at;
};

// When to ask for evidence. Versioned: the newest is in force; before any
// is saved, these defaults.
struct EvidenceRules {
  int64_t id = 0;                  // 0 for the defaults
  int long_illness_days = 5;       // an episode this many school days long or more
  int repeated_illness_count = 3;  // the Nth illness episode of a term
  bool next_to_holiday = true;     // an episode next to a holiday or closure
  int64_t set_at = 0;
  std::string set_by;
};

// A pupil's known condition: no request for them is raised before
// review_date. The newest a pupil is in force.
struct ConditionReview {
  int64_t id = 0;
  int64_t pupil_id = 0;
  std::string note;
  core::Date review_date;
  std::string set_by;
  int64_t set_at = 0;
};

}  // namespace rollcall::store
