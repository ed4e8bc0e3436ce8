// rewards.h
//
// Rewards and recognition (docs/rewards.md): for assemblies and newsletters,
// each class's attendance this week, this half-term and this academic year,
// ranked; the pupils who missed no session of the period (the 100% list);
// the pupils whose attendance rose most against the period before (the
// most-improved list); and certificates for either list, made and logged
// as letters (service/letters.h).
//
// Every figure is the rules core's: each pupil's sessions are built and
// counted exactly as for their own figures (core::CountSessions), and a
// class's figure is the sum of its pupils' counts (core::Aggregate), so the
// year's class table agrees with the dashboard's class figures. A late mark
// before the register closed (L) is present, as in the statistics; a late
// mark after it closed (U) is an unauthorised absence.
//
// When the school's setting says so (store::Settings::
// rewards_exclude_medical), pupils with a known medical condition in force
// (service/evidence.h) are left out of everything here: their sessions
// leave their class's figure and they are on neither list.
//
// Who sees what: the head, the office and the attendance officer see
// everything and print certificates; a teacher sees the whole school's
// class table and the names of their own classes' pupils; the SENCO and the
// DSL the class table and the names they may read; a governor the class
// table alone (no names, and no figure about fewer than kSmallGroup pupils);
// parents and the LA nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/statistics.h"
#include "core/status.h"
#include "service/access.h"
#include "service/letters.h"
#include "service/school.h"
#include "service/school_views.h"

namespace rollcall::service {

// A pupil is on the most-improved list only with at least this many
// possible sessions in each of the two periods compared (or every session,
// when the school has been open fewer so far), and at least half the
// sessions the school has been open in each: a pupil who joined last week,
// or was on roll for one day of the period before, cannot top it on a
// handful of sessions.
inline constexpr int64_t kImprovedMinSessions = 6;
// The most-improved list shows this many pupils, and everyone tied with the
// last of them.
inline constexpr size_t kImprovedShown = 10;

enum class RewardPeriod { kWeek, kHalfTerm, kYear };

// "week", "half-term", "year": as the page's links and the CSV name them.
std::string_view RewardPeriodKey(RewardPeriod p);
// "This week", "This half-term", "This academic year".
std::string_view RewardPeriodLabel(RewardPeriod p);
// The period a key names; InvalidArgument VALUE_INVALID naming the keys.
core::StatusOr<RewardPeriod> RewardPeriodFromKey(std::string_view key);

// The dates of `period` as of `as_of` on the school's calendar, and those of
// the period before it (for the most-improved list): this school week
// (Monday to as_of; the last school week when as_of falls in a holiday) and
// the school week before; the half-term holding as_of (else the last to have
// begun) and the one before; the academic year from 1 August and the whole
// academic year before. nullopt `previous` when the calendar has none.
struct RewardDates {
  core::Period current;
  std::optional<core::Period> previous;
};
RewardDates RewardDatesOf(const core::Calendar& calendar, RewardPeriod period, core::Date as_of);

// One class's attendance in the period.
struct ClassStanding {
  int64_t class_id = 0;
  std::string name;
  int year_group = 0;
  // 1 for the best; classes with equal attendance share a rank (1, 1, 3).
  // 0 when the class has no figure (no possible session, or withheld).
  int rank = 0;
  int64_t pupils = 0;  // pupils with a possible session in the period
  // nullopt: no possible session in the period, or too few pupils for a
  // reader who may not see names.
  std::optional<core::SessionCounts> counts;
};

// A pupil on a list, with the period's counts.
struct RewardPupil {
  int64_t pupil_id = 0;
  std::string name;        // DisplayName
  std::string class_name;  // their class's, else their year group's
  core::SessionCounts counts;
  core::SessionCounts previous;  // the most-improved list: the period before
};

struct RewardsView {
  SchoolFacts school;
  core::Date as_of;
  RewardPeriod period = RewardPeriod::kWeek;
  RewardDates dates;
  bool names_allowed = false;       // the reader may see pupils' names (kListPupils)
  bool may_print = false;           // the reader may print certificates (kSendLetters)
  bool medical_excluded = false;    // the school's setting is on
  std::optional<int64_t> excluded;  // how many pupils it left out, for the office and head
  // Best first; classes without a figure last, by name.
  std::vector<ClassStanding> classes;
  // The pupils on roll on as_of whom the reader may read; by class, then name.
  std::vector<RewardPupil> full_attendance;
  // The greatest rise in attendance first (ties by class, then name).
  std::vector<RewardPupil> most_improved;
};

// Which certificates to print.
enum class CertificateKind { kFullAttendance, kMostImproved };

class Rewards {
 public:
  Rewards(School& school, Letters& letters) : school_(school), letters_(letters) {}

  // The class table and the lists for `period` as of `as_of`
  // (kReadRewards; the lists filtered by kReadPupil).
  core::StatusOr<RewardsView> For(const Principal& who, RewardPeriod period, core::Date as_of);

  // One certificate per pupil of the list `kind` for `period` as of today
  // (kSendLetters), stored as one batch of letters and logged in each
  // pupil's contact log (Letters::SendDrafts); each letter comes back with
  // its batch. InvalidArgument NO_LETTERS when the list is empty.
  core::StatusOr<std::vector<store::Letter>> Certificates(const Principal& who, RewardPeriod period,
                                                          CertificateKind kind);

 private:
  School& school_;
  Letters& letters_;
};

}  // namespace rollcall::service
