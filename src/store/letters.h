// letters.h
//
// The store's records of letters to families, kept as sent: one aggregate of the Store interface
// (store.h), with its types and the checks every backend applies.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/people.h"

namespace rollcall::store {

// A letter sent to a pupil's parents, kept exactly as sent with the figures
// it quoted. Append-only.
struct Letter {
  int64_t id = 0;     // assigned by AddLetters
  int64_t batch = 0;  // the first id of the letters generated together
  int64_t pupil_id = 0;
  std::string template_key;  // "termly_rag", "attendance_concern", ...
  std::string addressee;     // "Mrs A Khan"
  // The address block at its top left, a line each: the addressee, the
  // address lines and the postcode. Empty for a certificate, or when no
  // address was recorded.
  std::string address;
  std::string subject;
  std::string body;          // paragraphs separated by blank lines
  std::string figures_json;  // the figures quoted, as a JSON object
  int64_t at = 0;
  int64_t by_user_id = 0;
  std::string by_name;
  Role by_role = Role::kOffice;
  // The day a printed letter went in the post, recorded once
  // (Store::RecordLettersPosted), with who recorded it and when.
  std::optional<core::Date> posted_on;
  int64_t posted_at = 0;
  std::string posted_by;
};

// InvalidArgument VALUE_INVALID for an empty batch, a letter without a
// subject or body, or figures that are not a JSON object. Both stores check
// it before writing.
core::Status CheckLetters(const std::vector<Letter>& letters);

}  // namespace rollcall::store
