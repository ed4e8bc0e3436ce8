// ctf_export.h
//
// Common Transfer Files out (docs/ctf.md): the files a school owes for its
// leavers, and the file itself for one leaver, for every owed file at once,
// or for a group on request (pupils by id or UPN, a year group leaving for
// secondary). A file is made from the school's records when it is asked
// for, never stored: the owed row (store::TransferOwed, recorded when the
// deletion is) is what says a file is due, and asking for the file stamps
// it produced (or, for a command writing it to disk, writing it does). Each academic year's figures
// at this school come from the rules core (core::CountSessions over the pupil's own sessions), so
// they are the figures `rollcall evaluate` gives; the years the pupil brought from previous schools
// go on as their files gave them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "service/access.h"
#include "service/school.h"

namespace rollcall::service {

// A file is due this many school days after the pupil's last day.
inline constexpr int kTransferDueSchoolDays = 15;

// One file owed, for the transfers page.
struct TransferLine {
  int64_t id = 0;  // the owed row
  int64_t pupil_id = 0;
  std::string pupil_name;
  std::string upn;
  core::Date last_day;
  std::string destination;         // in words, as the admission register records it
  std::string destination_number;  // "855/2345", or "" when unknown
  core::Date due;                  // the 15th school day after last_day
  bool overdue = false;            // not produced, and due before today
  std::optional<int64_t> produced_at;
};

struct TransfersView {
  core::Date today;
  std::vector<TransferLine> owed;  // not produced first, then by due day
  int64_t not_produced = 0;
};

// Whom a file is for: exactly one of pupils, owed or year_group.
struct CtfRequest {
  std::vector<std::string> pupils;  // ids or UPNs
  bool owed = false;                // every file owed and not produced yet
  std::optional<int> year_group;    // every pupil of the year group on roll this year
  // The school it goes to: "8552345", "855/2345" or "MMMMMMM"; "" takes the
  // destination the pupils' deletions recorded when they all name the same
  // school, else MMMMMMM (docs/ctf.md).
  std::string dest;
  // False leaves the owed files unstamped (listed in CtfOutput::owed) for
  // MarkProduced once the file is safely written: a command writing to a
  // file that fails must not leave a leaver looking sent. A download stamps
  // at once, as it can be downloaded again.
  bool stamp = true;
};

struct CtfOutput {
  std::string file_name;  // "9091234_CTF_8552345_2026-11-25.xml"
  std::string xml;
  int64_t pupils = 0;
  int64_t produced = 0;       // owed files stamped produced by this one
  std::vector<int64_t> owed;  // the owed files not produced before that this one produces
};

class CtfExport {
 public:
  explicit CtfExport(School& school) : school_(school) {}

  // kWriteTransferFile: the files owed for the school's leavers, or only
  // those of `pupil_id` when given (a pupil's page).
  core::StatusOr<TransfersView> Owed(const Principal& who,
                                     std::optional<int64_t> pupil_id = std::nullopt) const;
  // kWriteTransferFile: the file for one owed row (NotFound TRANSFER_UNKNOWN).
  core::StatusOr<CtfOutput> ForTransfer(const Principal& who, int64_t transfer_id);
  // kWriteTransferFile: the file a request asks for. InvalidArgument
  // TRANSFER_INVALID when the school has no LA or establishment number, no
  // pupil is chosen or the destination is not a DfE number; NotFound
  // PUPIL_UNKNOWN for an id or UPN that is no pupil. Every owed file of the
  // pupils written that was not produced is stamped produced now, unless
  // the request says not to.
  core::StatusOr<CtfOutput> Write(const Principal& who, const CtfRequest& request);
  // kWriteTransferFile: stamps produced now the owed files a Write that did
  // not stamp listed (CtfOutput::owed), once the file is written; one
  // stamped meanwhile keeps its first time. NotFound TRANSFER_UNKNOWN for a
  // number that is no owed file.
  core::Status MarkProduced(const Principal& who, const std::vector<int64_t>& owed);

 private:
  School& school_;
};

}  // namespace rollcall::service
