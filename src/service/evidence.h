// evidence.h
//
// Medical evidence for illness absence (docs/evidence.md): families and the
// office send in a doctor's note, an appointment card or a prescription (a
// PDF, JPEG or PNG of at most 10 MB) for the days a pupil was off ill; the
// school asks for it when an illness episode meets one of its rules (long,
// repeated, or next to a holiday), once per episode and rule, by a message
// to the family queued with the request. A pupil with a known condition is
// not asked until its review date.
//
// A file's type is read from its bytes, never from its name or the type
// the browser claimed; a name that says otherwise is refused, so a file is
// always what it appears to be when the office opens it.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "service/access.h"
#include "service/message_templates.h"
#include "service/school.h"
#include "store/evidence.h"

namespace rollcall::service {

// The largest file accepted.
inline constexpr size_t kMaxEvidenceBytes = 10 * 1024 * 1024;

// One illness episode: consecutive school days with a session marked I.
struct IllnessEpisode {
  core::Date from;
  core::Date to;
  int school_days = 0;
  int number_in_term = 0;       // 1 for the term's first episode
  bool after_holiday = false;   // the school day before it is a holiday or closure
  bool before_holiday = false;  // the school day after it is a holiday or closure
};

// The illness episodes in `marks` between `from` and `to` (inclusive), in
// order. A day counts as illness when any of its open sessions is I; a
// weekend does not break an episode, a school day without I, a holiday or
// a closure does. Pure.
std::vector<IllnessEpisode> IllnessEpisodes(const core::Calendar& calendar,
                                            const std::vector<core::RecordedMark>& marks,
                                            core::Date from, core::Date to);

// The rule in words, for messages and pages: "an illness of 5 school days or
// more".
std::string EvidenceRuleText(std::string_view rule, const store::EvidenceRules& rules);

// The warning UnaskedIllnessWarning gives, for callers that hold only the
// School (Registers). Requires no lock held.
core::StatusOr<std::string> UnaskedEvidenceWarning(const School& school, int64_t pupil_id,
                                                   core::SessionKey slot);

// The pupils whose known condition is in force on `on`: the newest of each
// pupil's in `all` (by id, as the store lists them) has its review date
// after `on`, as requests for evidence pause until then. Pure.
std::set<int64_t> PupilsWithConditionOn(const std::vector<store::ConditionReview>& all,
                                        core::Date on);

class MedicalEvidence {
 public:
  MedicalEvidence(School& school, MessageTemplates& templates)
      : school_(school), templates_(templates) {}

  struct UploadResult {
    int64_t id = 0;
    // Set when the days given include no illness mark in the register
    // (yet): the file is kept, and the office sees the warning.
    std::string warning;
  };
  // Stores a file for the pupil's illness days from..to, with its SHA-256,
  // and resolves the pupil's open requests it covers. kUploadEvidence
  // (parents for their own children). Errors, each naming the problem:
  // InvalidArgument VALUE_INVALID "the file is empty"; BODY_TOO_LARGE over
  // kMaxEvidenceBytes ("the file is 12.3 MB; the limit is 10 MB");
  // EVIDENCE_INVALID for a type other than PDF, JPEG or PNG ("a Word
  // document is not accepted: ..."), a name whose extension contradicts the
  // content, to before from, from in the future, or more than 92 days.
  core::StatusOr<UploadResult> Upload(const Principal& who, int64_t pupil_id, core::Date from,
                                      core::Date to, std::string_view filename,
                                      std::string_view bytes, const std::string& note);

  // The pupil's evidence (newest first, without bytes). kReadEvidence.
  core::StatusOr<std::vector<store::MedicalEvidence>> List(const Principal& who,
                                                           int64_t pupil_id) const;
  // The pupil's requests (by id). kReadEvidence.
  core::StatusOr<std::vector<store::EvidenceRequest>> Requests(const Principal& who,
                                                               int64_t pupil_id) const;

  struct Download {
    store::MedicalEvidence record;
    std::string bytes;
  };
  // One file with its bytes. kReadEvidence for its pupil; NotFound
  // EVIDENCE_UNKNOWN.
  core::StatusOr<Download> Get(const Principal& who, int64_t id) const;

  // For the Today page (kReadWorklist): open requests, and evidence
  // received in the last `days` days.
  struct Worklist {
    std::vector<store::EvidenceRequest> open;
    std::vector<store::MedicalEvidence> received;
    std::map<int64_t, std::string> names;  // pupil id -> DisplayName, for both lists
  };
  core::StatusOr<Worklist> Today(const Principal& who, int days = 7) const;

  // The rules in force, to say in words why a request the reader sees was
  // raised: no access check (the rules are the school's published policy).
  core::StatusOr<store::EvidenceRules> RulesInForce() const;
  // The rules in force (kReadSettings) and saving new ones (kWriteSettings).
  core::StatusOr<store::EvidenceRules> Rules(const Principal& who) const;
  core::Status SaveRules(const Principal& who, int long_illness_days, int repeated_illness_count,
                         bool next_to_holiday);

  // The pupil's known condition in force, if any (kReadEvidence), and
  // recording one (kRecordCondition). InvalidArgument VALUE_INVALID for an
  // empty note.
  core::StatusOr<std::optional<store::ConditionReview>> Condition(const Principal& who,
                                                                  int64_t pupil_id) const;
  core::Status SetCondition(const Principal& who, int64_t pupil_id, const std::string& note,
                            core::Date review_date);

  // Whether changing the pupil's `slot` from I to an unauthorised absence
  // needs the office's confirmation: the rule in words when no evidence
  // was asked for the illness episode the session belongs to, else "".
  // Requires no lock held.
  core::StatusOr<std::string> UnaskedIllnessWarning(int64_t pupil_id, core::SessionKey slot) const;

  // Once a school day, after the morning register closes: raises the
  // requests the rules call for, each with its messages. Returns how many
  // were raised. Safe to call often: it does nothing more that day.
  core::StatusOr<int> RunDue();
  // The same, now, whatever the time and whether it already ran today.
  core::StatusOr<int> RaiseRequests();

 private:
  School& school_;
  MessageTemplates& templates_;
  std::mutex run_mu_;
  std::optional<core::Date> done_on_;  // under run_mu_
};

}  // namespace rollcall::service
