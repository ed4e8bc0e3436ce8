// share.h
//
// The daily attendance share (docs/share.md): every pupil's session marks,
// with the pupil's characteristics, sent to the destination in the school's
// settings (a folder on this machine or an https address) once a school day
// after the set time, and whenever someone asks. A share is incremental: it
// sends every mark that differs from what was last shared (new, or amended
// since), so a code changed after it was first sent is sent again. It is
// versioned: each share's number is one more than the last, and the extract
// names the version before it.
//
// Only a share that arrived (the file renamed into place, or a 2xx answer)
// is recorded as shared, in the same transaction as its log row; a failed
// one is logged and leaves the next share to send the same marks again. A
// crash between sending and recording makes the next share reuse the same
// version, which an https receiver sees as the same Idempotency-Key.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/session.h"
#include "core/status.h"
#include "io/https_post.h"
#include "service/access.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::service {

// The extract's format name: its number changes when a field changes
// meaning or goes; fields may be added within a version.
inline constexpr std::string_view kShareFormat = "rollcall-daily-share/1";

// Ok when `destination` may receive the share: an https address (as
// io::CheckPostUrl) or the absolute path of a folder that exists and this
// program may write to. InvalidArgument VALUE_INVALID naming `field`
// otherwise. "" is refused too: the caller decides whether none is allowed.
core::Status CheckShareDestination(std::string_view field, std::string_view destination);
// "https" for an http(s) address, else "folder".
std::string_view ShareDestinationKind(std::string_view destination);
// The Idempotency-Key of a share posted to an address:
// rollcall-share-URN-VERSION-HASH, HASH the first 16 hex digits of the
// SHA-256 of `body`. A share resent under the same version after a crash
// carries other bytes (its time, perhaps more rows), so it gets another key
// and a receiver that drops repeated keys drops only exact repeats.
std::string ShareIdempotencyKey(std::string_view urn, int64_t version, std::string_view body);

struct ShareRequest {
  // nullopt: the destination in the school's settings. Any other is a
  // one-off: logged as such, it changes nothing of what the configured
  // destination has had (the next share there sends the same marks).
  std::optional<std::string> destination;
  // Make the extract, but send and record nothing.
  bool dry_run = false;
};

struct ShareResult {
  // As logged: id is the version (on a dry run, the one the share would
  // take; nothing is logged), ok whether it arrived, detail what happened.
  store::Share share;
  // The last share that arrived at the configured destination.
  std::optional<int64_t> previous_version;
  std::string extract;  // the JSON sent
};

// One session where the register now differs from what was last shared:
// what the next share will send.
struct ShareDifference {
  int64_t pupil_id = 0;
  std::string pupil_name;
  core::SessionKey slot;
  std::optional<std::string> shared_code;  // nullopt: never shared
  std::string current_code;
  std::optional<int> shared_arrival, current_arrival;  // minutes after midnight
};

// The "what has been shared" page.
struct SharePage {
  std::string destination;  // "" when none is set
  std::string destination_kind;
  int share_minute = 0;           // UK time of day the scheduled share runs after
  std::vector<store::Share> log;  // newest first
  // Newest session first, then pupils by name; at most kShownDifferences.
  std::vector<ShareDifference> differences;
  size_t differences_total = 0;
  bool may_share = false;   // kShareNow
  bool may_change = false;  // kWriteSettings: the destination and the time
};

class Shares {
 public:
  static constexpr size_t kShownDifferences = 500;
  // A failed scheduled share is tried again this long after, the same day.
  static constexpr int64_t kRetrySeconds = 60 * 60;

  // `poster` is not owned and must outlive the service (tests answer
  // in-process); nullptr: libcurl.
  Shares(School& school, io::Poster* poster) : school_(school), poster_(poster ? poster : &curl_) {}

  core::StatusOr<SharePage> Page(const Principal& who);
  // A share now, asked for by `who` (kShareNow), logged under their name.
  // InvalidArgument when no destination is set, or the one in the request
  // is not usable; a share that does not arrive (including to a folder set
  // in the settings that has since gone) is logged, and returned, as failed.
  core::StatusOr<ShareResult> Share(const Principal& who, const ShareRequest& request = {});
  // A share now on behalf of the school, logged as `by` ("command").
  core::StatusOr<ShareResult> ShareForSchool(std::string_view by, const ShareRequest& request = {});
  // The scheduled share: on a school day, once the UK time is past the set
  // time, shares (logged as "schedule") unless a scheduled share already
  // arrived today or one failed less than kRetrySeconds ago. Returns at
  // once when nothing is due or no destination is set. Safe from any
  // thread; call every few seconds.
  core::Status RunDue();

 private:
  core::StatusOr<ShareResult> Run(std::string by, const ShareRequest& request);

  School& school_;
  io::CurlPoster curl_;
  io::Poster* poster_;
  std::mutex share_mu_;                // one share at a time
  std::optional<core::Date> done_on_;  // a scheduled share arrived; under share_mu_
};

}  // namespace rollcall::service
