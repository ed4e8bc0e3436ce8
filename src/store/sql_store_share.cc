// sql_store_share.cc: the daily attendance share's log and the marks as
// last shared (share.h).
#include <fmt/format.h>

#include "core/error_codes.h"
#include "store/sql_store.h"

namespace rollcall::store::sql {

using core::Status;
using core::StatusOr;

StatusOr<std::vector<Share>> SqlStore::ListShares() {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Statement stmt,
                   db_->Prepare("SELECT id, at, destination_kind, destination, row_count, "
                                "status, detail, by_name, one_off FROM shares ORDER BY id"));
  std::vector<Share> shares;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return shares;
    Share share;
    share.id = stmt.Int64(0);
    share.at = stmt.Int64(1);
    share.destination_kind = stmt.Text(2);
    share.destination = stmt.Text(3);
    share.rows = stmt.Int64(4);
    const std::string status = stmt.Text(5);
    if (status != "ok" && status != "failed") return BadStoredName("share status", status);
    share.ok = status == "ok";
    share.detail = stmt.Text(6);
    share.by = stmt.Text(7);
    share.one_off = stmt.Int64(8) != 0;
    shares.push_back(std::move(share));
  }
}

StatusOr<std::vector<SharedMark>> SqlStore::SharedMarks() {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Statement stmt,
                   db_->Prepare("SELECT pupil_id, date, session, code, arrival_minute, share_id "
                                "FROM shared_marks ORDER BY pupil_id, date, session"));
  std::vector<SharedMark> marks;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return marks;
    SharedMark mark;
    mark.pupil_id = stmt.Int64(0);
    ASSIGN_OR_RETURN(mark.slot.date, DateColumn(stmt, 1));
    ASSIGN_OR_RETURN(mark.slot.session, SessionColumn(stmt, 2));
    ASSIGN_OR_RETURN(mark.code, CodeColumn(stmt, 3));
    mark.arrival_minute = OptionalIntColumn(stmt, 4);
    mark.share_id = stmt.Int64(5);
    marks.push_back(mark);
  }
}

StatusOr<std::vector<MarkToShare>> SqlStore::MarksToShare() {
  std::lock_guard lock(mu_);
  // COALESCE: an arrival is a minute of the day, never -1, so two absent
  // arrivals compare equal and an absent one differs from any present.
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_->Prepare("SELECT m.pupil_id, m.date, m.session, m.code, m.arrival_minute, "
                   "m.recorded_at, m.recorded_by, s.code, s.arrival_minute, s.share_id "
                   "FROM marks m LEFT JOIN shared_marks s ON s.pupil_id = m.pupil_id "
                   "AND s.date = m.date AND s.session = m.session "
                   "WHERE s.code IS NULL OR s.code <> m.code "
                   "OR COALESCE(s.arrival_minute, -1) <> COALESCE(m.arrival_minute, -1) "
                   "ORDER BY m.pupil_id, m.date, m.session"));
  std::vector<MarkToShare> marks;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return marks;
    MarkToShare next;
    ASSIGN_OR_RETURN(next.mark, ReadMark(stmt));
    if (!stmt.IsNull(7)) {
      SharedMark shared;
      shared.pupil_id = next.mark.pupil_id;
      shared.slot = next.mark.slot;
      ASSIGN_OR_RETURN(shared.code, CodeColumn(stmt, 7));
      shared.arrival_minute = OptionalIntColumn(stmt, 8);
      shared.share_id = stmt.Int64(9);
      next.shared = shared;
    }
    marks.push_back(std::move(next));
  }
}

Status SqlStore::RecordShare(const Share& share, const std::vector<SharedMark>& sent) {
  if (share.destination_kind != "folder" && share.destination_kind != "https") {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("a share goes to a folder or an https address, not "
                                             "'{}'",
                                             share.destination_kind));
  }
  return Write([&]() -> Status {
    // The version was chosen before sending (it is the Idempotency-Key), so
    // it must still be the next one: otherwise another process shared
    // meanwhile and this share's marks may already be recorded as sent.
    ASSIGN_OR_RETURN(Statement last, db_->Prepare("SELECT COALESCE(MAX(id), 0) FROM shares"));
    ASSIGN_OR_RETURN(bool row, last.Step());
    const int64_t next = row ? last.Int64(0) + 1 : 1;
    if (share.id != next) {
      return core::Conflict(core::kErrShareVersionTaken,
                            fmt::format("share {} was not the next version ({}): another share "
                                        "was made meanwhile",
                                        share.id, next));
    }
    ASSIGN_OR_RETURN(Statement insert,
                     db_->Prepare("INSERT INTO shares (id, at, destination_kind, destination, "
                                  "row_count, status, detail, by_name, one_off) VALUES (?1, ?2, "
                                  "?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
    insert.Bind(1, share.id);
    insert.Bind(2, share.at);
    insert.Bind(3, share.destination_kind);
    insert.Bind(4, share.destination);
    insert.Bind(5, share.rows);
    insert.Bind(6, std::string_view(share.ok ? "ok" : "failed"));
    insert.Bind(7, share.detail);
    insert.Bind(8, share.by);
    insert.Bind(9, share.one_off ? 1 : 0);
    RETURN_IF_ERROR(insert.Run());
    if (!share.ok || share.one_off) return core::OkStatus();
    for (const SharedMark& mark : sent) {
      ASSIGN_OR_RETURN(Statement drop,
                       db_->Prepare("DELETE FROM shared_marks WHERE pupil_id = ?1 AND date = ?2 "
                                    "AND session = ?3"));
      drop.Bind(1, mark.pupil_id);
      BindDate(drop, 2, mark.slot.date);
      drop.Bind(3, static_cast<int>(mark.slot.session));
      RETURN_IF_ERROR(drop.Run());
      ASSIGN_OR_RETURN(Statement add,
                       db_->Prepare("INSERT INTO shared_marks (pupil_id, date, session, code, "
                                    "arrival_minute, share_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
      add.Bind(1, mark.pupil_id);
      BindDate(add, 2, mark.slot.date);
      add.Bind(3, static_cast<int>(mark.slot.session));
      add.Bind(4, static_cast<int>(mark.code));
      add.Bind(5, mark.arrival_minute);
      add.Bind(6, share.id);
      RETURN_IF_ERROR(add.Run());
    }
    return core::OkStatus();
  });
}

}  // namespace rollcall::store::sql
