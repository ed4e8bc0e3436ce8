// column_store.h
//
// The columnar form of many schools' registers, for LA- and national-scale
// analytics: one byte per pupil-session in contiguous arrays, one array per
// school and academic year, pupil-major (a pupil's year is one run of bytes).
// A byte is the stored attendance code (1..38), kUnrecorded (no mark) or
// kOffRoll (the session is not the pupil's: before admission, after deletion).
// Default marks are written into the bytes when the store is built, so the
// passes read nothing but bytes and the calendar's per-session tables.
//
// Builds on core only. No file I/O here: Write/Read take streams the caller
// opened (cli).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/error_codes.h"
#include "core/policy.h"
#include "core/scenario.h"
#include "core/status.h"

namespace rollcall::engine {

inline constexpr uint8_t kUnrecorded = 0;
inline constexpr uint8_t kOffRoll = 0xFF;
// Cohort tags per school, one bit each in PupilMeta::cohorts.
inline constexpr size_t kMaxCohorts = 64;

// Error codes of the engine (InvalidArgument), kept in core's registry.
using core::kErrEngineFile;
using core::kErrTooManyCohorts;

// A calendar with the per-session tables the passes read: the school week
// ordinal of each open session and a bitmap of PM sessions. Shared by every
// school that uses it.
struct CalendarTables {
  core::Calendar calendar;
  std::vector<int32_t> week_of;  // per open session
  std::vector<uint64_t> pm;      // bit per open session: PM

  explicit CalendarTables(core::Calendar c);
  bool IsPm(int32_t index) const { return (pm[index >> 6] >> (index & 63)) & 1; }
};

// One academic year of one school's marks: sessions [first_session,
// first_session + sessions) of the calendar, for every pupil of the school.
struct YearBlock {
  core::Date year_start;  // 1 August
  int32_t first_session = 0;
  int32_t sessions = 0;
  std::vector<uint8_t> marks;  // pupils x sessions, pupil-major

  const uint8_t* Row(size_t pupil) const { return marks.data() + pupil * size_t(sessions); }
  uint8_t* Row(size_t pupil) { return marks.data() + pupil * size_t(sessions); }
};

struct PupilMeta {
  uint64_t cohorts = 0;        // bit i: School::cohort_names[i]
  uint32_t history_begin = 0;  // into School::penalty_history
  uint32_t history_count = 0;
};

struct School {
  std::string id;
  std::shared_ptr<const CalendarTables> calendar;
  std::shared_ptr<const core::Policy> policy;
  // Carried through files untouched for callers that keep the policy as
  // JSON (the engine never parses it).
  std::string policy_json;
  std::vector<std::string> cohort_names;  // at most kMaxCohorts, sorted
  std::vector<PupilMeta> pupils;
  std::vector<core::PenaltyNotice> penalty_history;
  std::vector<YearBlock> years;  // in time order, covering every open session

  size_t PupilCount() const { return pupils.size(); }
  std::string_view PupilId(size_t pupil) const;
  // Appends a pupil (ids are stored in one buffer, not one string each).
  void AddPupilId(std::string_view pupil_id);
  // The byte of `pupil` at calendar session `index`.
  uint8_t MarkAt(size_t pupil, int32_t index) const;
  // Sets every year block's size for PupilCount() pupils, all kOffRoll.
  void AllocateYears();

  std::string id_chars;          // pupil ids, concatenated
  std::vector<uint32_t> id_end;  // end of each pupil's id in id_chars
};

struct Dataset {
  std::vector<School> schools;

  size_t PupilCount() const;
  size_t MarkBytes() const;
  // Bytes held: marks, pupil tables and ids (not the shared calendars).
  size_t MemoryBytes() const;
};

// Splits a calendar's open sessions into academic-year blocks (no marks).
std::vector<YearBlock> YearBlocksOf(const core::Calendar& calendar);

// The columnar form of a conformance scenario (one school): recorded marks,
// default marks and enrolment periods become bytes. InvalidArgument
// TOO_MANY_COHORTS when the pupils carry more than kMaxCohorts distinct tags.
core::StatusOr<School> SchoolFromScenario(const core::Scenario& scenario, std::string id);

// The binary file: magic "RCENGIN1", then each school's calendar, policy
// JSON, cohorts, pupils and year blocks, little-endian. Read checks every
// count and code and returns InvalidArgument ENGINE_FILE naming the problem;
// `policy_for` turns each school's policy JSON into a policy (or fails).
core::Status WriteDataset(const Dataset& dataset, std::ostream& out);
using PolicyParser = core::StatusOr<core::Policy> (*)(std::string_view json);
core::StatusOr<Dataset> ReadDataset(std::istream& in, PolicyParser policy_for);

}  // namespace rollcall::engine
