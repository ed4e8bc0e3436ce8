// share.h
//
// The store's records of the daily attendance share (docs/share.md): the
// log of shares and, per pupil and session, the mark as last shared. One
// aggregate of the Store interface (store.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/codes.h"
#include "core/session.h"
#include "store/registers.h"

namespace rollcall::store {

// One share, sent or failed. Its id is the share's version: 1, 2, ... in
// the order they were made.
struct Share {
  int64_t id = 0;
  int64_t at = 0;
  std::string destination_kind;  // "folder" or "https"
  std::string destination;       // the folder's path or the https address
  int64_t rows = 0;              // marks sent (or that would have been)
  bool ok = false;
  // What happened in words: the file written, the receiver's answer, or
  // why the share failed.
  std::string detail;
  std::string by;  // "schedule", "command" or the name of the user who asked
  // Sent to a destination given for this share only (`rollcall share --out`
  // or `--url`), not the one in the settings: no marks are recorded as
  // shared by it.
  bool one_off = false;
};

// A pupil's mark for one session as last shared, and the share that sent it.
struct SharedMark {
  int64_t pupil_id = 0;
  core::SessionKey slot;
  core::AttendanceCode code = core::AttendanceCode::kPresentAm;
  std::optional<int> arrival_minute;
  int64_t share_id = 0;
};

// A mark of the register that the next share will send, and what was last
// shared of its session (nullopt: never shared).
struct MarkToShare {
  Mark mark;
  std::optional<SharedMark> shared;
};

}  // namespace rollcall::store
