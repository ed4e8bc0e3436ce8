// la_directory.h
//
// The local authority's view across its schools: every school's store (one
// SQLite file per school, or one school each of a PostgreSQL deployment) read
// into the columnar engine, so the school comparison, the cohort figures, the
// targeting-support pack and the pupils found across schools by UPN all come
// from the same statistics pass, which the engine tests prove equal to the
// rules core. Which schools an LA officer sees is decided in one place,
// Visible(), through Authorize (service/access.h) (an officer sees only their LA's schools).
//
// A snapshot is rebuilt when one of its schools has changed since it was
// built (Store::ChangesSince: marks written, pupils, settings...), but no
// sooner than LaTiming::min_age_s after it; and after max_age_s in any case
// (what the change check does not cover: support and census records, and an
// SQLite school's writes by the serving process itself), and on a new day.
// A page says when its figures were computed.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "engine/alert_scan.h"
#include "engine/cohort_stats.h"
#include "engine/column_store.h"
#include "service/access.h"
#include "store/store.h"

namespace rollcall::service {

struct LaSchool {
  store::School school;
  std::vector<store::Pupil> pupils;  // engine pupil i is pupils[i]
  std::vector<store::SupportEvent> support;
  std::map<int64_t, std::vector<store::StageRecord>> stages;  // by pupil id, PA pupils only
  std::optional<store::CensusReturnRecord> last_census;       // the last census return downloaded
};

// One month of the year's trend: the figures from 1 August to its last day
// (or today), as the DfE's year-to-date figures are.
struct LaTrendPoint {
  core::Date to;
  std::vector<engine::GroupTotals> schools;  // by school index
};

struct LaSnapshot {
  core::Date today;
  int64_t computed_at = 0;  // Unix seconds
  std::vector<LaSchool> schools;
  engine::Dataset dataset;  // schools in the same order
  engine::Statistics stats;
  std::vector<LaTrendPoint> trend;
};

// A pupil known to two or more of the schools an officer sees.
struct LaPupilLink {
  std::string key;                                // the UPN, or the shared phone number or email
  std::vector<std::pair<size_t, size_t>> pupils;  // (school index, pupil index)
};

// How old a snapshot may grow, in seconds.
struct LaTiming {
  int64_t min_age_s = 5;   // kept this long even when a school changed
  int64_t max_age_s = 60;  // rebuilt after this long even when none did
};

class LaDirectory {
 public:
  // The stores are not owned and must outlive the directory.
  explicit LaDirectory(std::vector<store::Store*> stores, LaTiming timing = {})
      : stores_(std::move(stores)), timing_(timing), cursors_(stores_.size()) {}

  // The current snapshot: rebuilt when from another day, when older than
  // timing.max_age_s, or when older than timing.min_age_s and a school has
  // changed since it was built.
  core::StatusOr<std::shared_ptr<const LaSnapshot>> Snapshot(core::Date today, int64_t now);

  // The schools (indices into snapshot.schools) `who` may see, by name.
  static std::vector<size_t> Visible(const LaSnapshot& snapshot, const Principal& who);

  // Pupils on the roll of more than one visible school this year (movers);
  // pupils at different visible schools sharing a contact phone or email
  // (likely siblings): the same named parent on the same phone number.
  static std::vector<LaPupilLink> Movers(const LaSnapshot& snapshot,
                                         const std::vector<size_t>& visible);
  static std::vector<LaPupilLink> Siblings(const LaSnapshot& snapshot,
                                           const std::vector<size_t>& visible);

 private:
  core::StatusOr<std::shared_ptr<const LaSnapshot>> Build(core::Date today, int64_t now);

  // True when a school changed since the last Build; mu_ held.
  core::StatusOr<bool> ChangedSinceBuild();

  std::vector<store::Store*> stores_;
  const LaTiming timing_;
  std::mutex mu_;
  std::shared_ptr<const LaSnapshot> current_;
  std::vector<store::ChangeCursor> cursors_;  // by store: where the next change check starts
};

}  // namespace rollcall::service
