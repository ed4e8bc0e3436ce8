// letters.h
//
// Attendance letters (letters/letters.h). The office picks a template and a
// group (the whole school, a year, a class, a RAG band or one pupil);
// rollcall works out who qualifies, quotes each pupil's figures from the
// rules core, and stores every letter exactly as sent, with those figures,
// in one transaction that also logs it in the contact log. Leave letters are
// not sent here: they go with the head's decision (leave.h).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/evaluate.h"
#include "core/scenario.h"
#include "core/status.h"
#include "service/access.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::service {

struct LetterRequest {
  std::string template_key;  // letters::TemplateInfo::key, e.g. "termly_rag"
  // "school", "year-N", "class-ID", "band-NAME" or "pupil-ID".
  std::string group;
  std::string meeting;  // panel invitations: when and where
};

// A letter composed but not stored, and whom it is about.
struct LetterDraft {
  store::Letter letter;
  std::string pupil_name;
};

// A group the letters page offers: its value for LetterRequest::group.
struct LetterGroup {
  std::string value, label;
};

// A pupil's letters, oldest first, and whether `who` may send more.
struct PupilLetters {
  std::vector<store::Letter> letters;
  bool may_send = false;
};

class Letters {
 public:
  explicit Letters(School& school) : school_(school) {}

  // The letters the request would send to the pupils who qualify, composed
  // with their figures today; not stored. The office and the head.
  core::StatusOr<std::vector<LetterDraft>> Draft(const Principal& who, const LetterRequest& r);
  // Draft, then stores them as one batch (and in the contact log). Each
  // letter comes back with its id and batch.
  core::StatusOr<std::vector<store::Letter>> Send(const Principal& who, const LetterRequest& r);
  // Stores drafts chosen from Draft's as one batch, as Send does with all
  // of them (the demo sends its concern letters to some pupils only).
  core::StatusOr<std::vector<store::Letter>> SendDrafts(const Principal& who,
                                                        std::vector<LetterDraft> drafts);

  // One letter, for those who may read the pupil's contact log.
  core::StatusOr<store::Letter> Get(const Principal& who, const std::string& id);
  // A batch as sent, for those who send letters.
  core::StatusOr<std::vector<store::Letter>> Batch(const Principal& who, const std::string& batch);
  // Every letter to a pupil's family.
  core::StatusOr<PupilLetters> ForPupil(const Principal& who, int64_t pupil_id);
  // The newest batches, each as its first letter, newest first.
  core::StatusOr<std::vector<store::Letter>> RecentBatches(const Principal& who);
  // The groups a letter may be sent to, for those who send letters.
  core::StatusOr<std::vector<LetterGroup>> Groups(const Principal& who);

 private:
  School& school_;
};

}  // namespace rollcall::service
