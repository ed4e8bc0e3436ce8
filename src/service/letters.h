// letters.h
//
// Attendance letters (letters/letters.h). The office picks a template and a
// group (the whole school, a year, a class, a RAG band or one pupil);
// rollcall works out who qualifies, quotes each pupil's figures from the
// rules core, and stores every letter exactly as sent, with those figures,
// in one transaction that also logs it in the contact log. Leave letters are
// not sent here: they go with the head's decision (leave.h).
//
// By email (docs/letters.md): when the office chooses, each letter also goes
// as a PDF attached to the pupil's contacts whose messages go by email, in
// the same transaction; a letter with no such contact is printed and posted
// as before, and the office records the day it went in the post. The
// proof of service (the penalty evidence pack quotes it) is the posting
// date or each email's delivery.
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
#include "letters/pdf.h"
#include "service/access.h"
#include "service/message_templates.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::service {

struct LetterRequest {
  std::string template_key;  // letters::TemplateInfo::key, e.g. "termly_rag"
  // "school", "year-N", "class-ID", "band-NAME" or "pupil-ID".
  std::string group;
  std::string meeting;  // panel invitations: when and where
  // Each letter also goes by email, as a PDF, to the contacts who take
  // their messages by email (Send and SendDrafts).
  bool email_where_possible = true;
};

// One email that carried a letter, as the outbox holds it.
struct LetterEmail {
  std::string recipient;  // "Mrs A Khan (Mother)"
  std::string to;         // the address
  store::OutboxState state = store::OutboxState::kQueued;
  int64_t queued_at = 0;
  std::optional<int64_t> delivered_at;
};

// A letter with how it reached the family.
struct LetterService {
  std::vector<LetterEmail> emails;  // none: the letter was to be printed
  // "Posted on 3 December 2026 (recorded by Ann Office)", "Emailed to Mrs A
  // Khan (Mother) on 3 December 2026, delivered", or "Not yet recorded as
  // posted"; one line per way it went.
  std::vector<std::string> proof;
};

// The letter as a printed page: the letters page, its PDF and the PDF
// attached to an email are all made from this.
letters::Page LetterPage(const store::Letter& l, const std::string& school_name);

// How `l` reached the family, read from the store (its posting date, and
// the outbox rows keyed "letter/<id>/...").
core::StatusOr<LetterService> ServiceOf(store::Store& store, const store::Letter& l);

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
  Letters(School& school, MessageTemplates& templates) : school_(school), templates_(templates) {}

  // The letters the request would send to the pupils who qualify, composed
  // with their figures today; not stored. The office and the head.
  core::StatusOr<std::vector<LetterDraft>> Draft(const Principal& who, const LetterRequest& r);
  // Draft, then stores them as one batch (and in the contact log). Each
  // letter comes back with its id and batch.
  core::StatusOr<std::vector<store::Letter>> Send(const Principal& who, const LetterRequest& r);
  // Stores drafts chosen from Draft's as one batch, as Send does with all
  // of them (the demo sends its concern letters to some pupils only).
  // With `email_where_possible`, each letter also goes by email (the PDF
  // attached, the "letter" message's words) to each of the pupil's contacts
  // whose messages go by email, queued in the same transaction as the letter
  // with the key "letter/<letter id>/<contact index>".
  core::StatusOr<std::vector<store::Letter>> SendDrafts(const Principal& who,
                                                        std::vector<LetterDraft> drafts,
                                                        bool email_where_possible = false);
  // Records the day the printed letters of a batch went in the post (those
  // sending letters): every letter of the batch that went by no email and
  // has no posting date yet. `date` is YYYY-MM-DD, neither before the
  // letters were made nor after today (InvalidArgument DATE_INVALID);
  // InvalidArgument NO_LETTERS when no letter of the batch is waiting for a
  // posting date. Returns how many were recorded.
  core::StatusOr<int> MarkPosted(const Principal& who, const std::string& batch,
                                 const std::string& date);
  // How a letter reached the family, for those who may read the letter.
  core::StatusOr<LetterService> Service(const Principal& who, const store::Letter& l);

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
  MessageTemplates& templates_;
};

}  // namespace rollcall::service
