// sql_store_evidence.cc: medical evidence, the requests for it, the rules
// that raise them and pupils' known conditions.
#include <fmt/format.h>

#include <string>

#include "core/error_codes.h"
#include "store/sql_store.h"

namespace rollcall::store::sql {
namespace {

using core::Status;
using core::StatusOr;

constexpr char kEvidenceColumns[] =
    "SELECT id, pupil_id, from_date, to_date, filename, content_type, size_bytes, sha256, note, "
    "uploaded_by, uploaded_by_name, role, uploaded_at FROM medical_evidence ";

StatusOr<MedicalEvidence> ReadEvidence(const Statement& stmt) {
  MedicalEvidence e;
  e.id = stmt.Int64(0);
  e.pupil_id = stmt.Int64(1);
  ASSIGN_OR_RETURN(e.from_date, DateColumn(stmt, 2));
  ASSIGN_OR_RETURN(e.to_date, DateColumn(stmt, 3));
  e.filename = stmt.Text(4);
  e.content_type = stmt.Text(5);
  e.size_bytes = stmt.Int64(6);
  e.sha256 = stmt.Text(7);
  e.note = stmt.Text(8);
  e.uploaded_by = stmt.Int64(9);
  e.uploaded_by_name = stmt.Text(10);
  e.role = stmt.Text(11);
  e.uploaded_at = stmt.Int64(12);
  return e;
}

constexpr char kRequestColumns[] =
    "SELECT id, pupil_id, rule, from_date, to_date, raised_at, outbox_key, resolved_at "
    "FROM evidence_requests ";

StatusOr<EvidenceRequest> ReadRequest(const Statement& stmt) {
  EvidenceRequest r;
  r.id = stmt.Int64(0);
  r.pupil_id = stmt.Int64(1);
  r.rule = stmt.Text(2);
  ASSIGN_OR_RETURN(r.from_date, DateColumn(stmt, 3));
  ASSIGN_OR_RETURN(r.to_date, DateColumn(stmt, 4));
  r.raised_at = stmt.Int64(5);
  r.outbox_key = stmt.Text(6);
  r.resolved_at = stmt.OptionalInt64(7);
  return r;
}

bool IsHex64(std::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Status CheckEvidence(const MedicalEvidence& e, std::string_view content) {
  if (content.empty()) {
    return core::InvalidArgument(core::kErrEvidenceInvalid, "the file is empty");
  }
  if (e.size_bytes != static_cast<int64_t>(content.size())) {
    return core::InvalidArgument(
        core::kErrEvidenceInvalid,
        fmt::format("the size given ({}) is not the file's ({})", e.size_bytes, content.size()));
  }
  if (!IsHex64(e.sha256)) {
    return core::InvalidArgument(core::kErrEvidenceInvalid,
                                 "the SHA-256 must be 64 lower-case hex digits");
  }
  if (e.to_date < e.from_date) {
    return core::InvalidArgument(core::kErrEvidenceInvalid,
                                 "the last day covered is before the first");
  }
  return core::OkStatus();
}

}  // namespace

StatusOr<int64_t> SqlStore::AddMedicalEvidence(const MedicalEvidence& e, std::string_view content) {
  RETURN_IF_ERROR(CheckEvidence(e, content));
  return Write([&]() -> StatusOr<int64_t> {
    RETURN_IF_ERROR(RequirePupil(e.pupil_id));
    ASSIGN_OR_RETURN(
        Statement stmt,
        db_->Prepare("INSERT INTO medical_evidence (pupil_id, from_date, to_date, filename, "
                     "content_type, size_bytes, sha256, content, note, uploaded_by, "
                     "uploaded_by_name, role, uploaded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                     "?8, ?9, ?10, ?11, ?12, ?13) RETURNING id"));
    stmt.Bind(1, e.pupil_id);
    BindDate(stmt, 2, e.from_date);
    BindDate(stmt, 3, e.to_date);
    stmt.Bind(4, e.filename);
    stmt.Bind(5, e.content_type);
    stmt.Bind(6, e.size_bytes);
    stmt.Bind(7, e.sha256);
    stmt.BindBlob(8, content);
    stmt.Bind(9, e.note);
    stmt.Bind(10, e.uploaded_by);
    stmt.Bind(11, e.uploaded_by_name);
    stmt.Bind(12, e.role);
    stmt.Bind(13, e.uploaded_at);
    ASSIGN_OR_RETURN(int64_t id, stmt.InsertReturningId());
    // Evidence for any day of an episode answers the request for it: a
    // doctor's note rarely matches the register's days exactly.
    ASSIGN_OR_RETURN(Statement resolve,
                     db_->Prepare("UPDATE evidence_requests SET resolved_at = ?4 "
                                  "WHERE pupil_id = ?1 AND resolved_at IS NULL "
                                  "AND from_date <= ?3 AND to_date >= ?2"));
    resolve.Bind(1, e.pupil_id);
    BindDate(resolve, 2, e.from_date);
    BindDate(resolve, 3, e.to_date);
    resolve.Bind(4, e.uploaded_at);
    RETURN_IF_ERROR(resolve.Run());
    return id;
  });
}

StatusOr<std::vector<MedicalEvidence>> SqlStore::LoadEvidence(const char* tail, int64_t value) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(std::string(kEvidenceColumns) + tail));
  stmt.Bind(1, value);
  std::vector<MedicalEvidence> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    ASSIGN_OR_RETURN(out.emplace_back(), ReadEvidence(stmt));
  }
}

StatusOr<std::vector<MedicalEvidence>> SqlStore::MedicalEvidenceFor(int64_t pupil_id) {
  return Read([&] { return LoadEvidence("WHERE pupil_id = ?1 ORDER BY id DESC", pupil_id); });
}

StatusOr<std::vector<MedicalEvidence>> SqlStore::MedicalEvidenceSince(int64_t since) {
  return Read([&] { return LoadEvidence("WHERE uploaded_at >= ?1 ORDER BY id DESC", since); });
}

StatusOr<MedicalEvidence> SqlStore::GetMedicalEvidence(int64_t id) {
  return Read([&]() -> StatusOr<MedicalEvidence> {
    ASSIGN_OR_RETURN(std::vector<MedicalEvidence> found, LoadEvidence("WHERE id = ?1", id));
    if (found.empty()) {
      return core::NotFound(core::kErrEvidenceUnknown, fmt::format("no evidence with id {}", id));
    }
    return found.front();
  });
}

StatusOr<std::string> SqlStore::EvidenceContent(int64_t id) {
  return Read([&]() -> StatusOr<std::string> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("SELECT content FROM medical_evidence WHERE id = ?1"));
    stmt.Bind(1, id);
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) {
      return core::NotFound(core::kErrEvidenceUnknown, fmt::format("no evidence with id {}", id));
    }
    return stmt.Blob(0);
  });
}

StatusOr<bool> SqlStore::AddEvidenceRequest(const EvidenceRequest& r,
                                            const std::vector<OutboxMessage>& messages) {
  return Write([&]() -> StatusOr<bool> {
    RETURN_IF_ERROR(RequirePupil(r.pupil_id));
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("INSERT INTO evidence_requests (pupil_id, rule, from_date, "
                                  "to_date, raised_at, outbox_key) VALUES (?1, ?2, ?3, ?4, ?5, "
                                  "?6) ON CONFLICT DO NOTHING RETURNING id"));
    stmt.Bind(1, r.pupil_id);
    stmt.Bind(2, r.rule);
    BindDate(stmt, 3, r.from_date);
    BindDate(stmt, 4, r.to_date);
    stmt.Bind(5, r.raised_at);
    stmt.Bind(6, r.outbox_key);
    ASSIGN_OR_RETURN(bool inserted, stmt.Step());
    if (!inserted) return false;
    RETURN_IF_ERROR(stmt.Run());
    for (const OutboxMessage& m : messages) {
      ASSIGN_OR_RETURN(bool queued, InsertOutbox(m));
      (void)queued;  // a key already queued is the same message: nothing to add
    }
    return true;
  });
}

StatusOr<std::vector<EvidenceRequest>> SqlStore::LoadEvidenceRequests(const char* tail,
                                                                      int64_t value) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(std::string(kRequestColumns) + tail));
  stmt.Bind(1, value);
  std::vector<EvidenceRequest> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    ASSIGN_OR_RETURN(out.emplace_back(), ReadRequest(stmt));
  }
}

StatusOr<std::vector<EvidenceRequest>> SqlStore::ListEvidenceRequests(bool open_only) {
  return Read([&] {
    return LoadEvidenceRequests("WHERE (?1 = 0 OR resolved_at IS NULL) ORDER BY id",
                                open_only ? 1 : 0);
  });
}

StatusOr<std::vector<EvidenceRequest>> SqlStore::EvidenceRequestsFor(int64_t pupil_id) {
  return Read([&] { return LoadEvidenceRequests("WHERE pupil_id = ?1 ORDER BY id", pupil_id); });
}

StatusOr<EvidenceRules> SqlStore::GetEvidenceRules() {
  return Read([&]() -> StatusOr<EvidenceRules> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("SELECT id, long_illness_days, repeated_illness_count, "
                                  "next_to_holiday, set_at, set_by FROM evidence_rules "
                                  "ORDER BY id DESC LIMIT 1"));
    EvidenceRules rules;
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return rules;
    rules.id = stmt.Int64(0);
    rules.long_illness_days = static_cast<int>(stmt.Int64(1));
    rules.repeated_illness_count = static_cast<int>(stmt.Int64(2));
    rules.next_to_holiday = stmt.Int64(3) != 0;
    rules.set_at = stmt.Int64(4);
    rules.set_by = stmt.Text(5);
    return rules;
  });
}

StatusOr<int64_t> SqlStore::SaveEvidenceRules(const EvidenceRules& rules) {
  for (int n : {rules.long_illness_days, rules.repeated_illness_count}) {
    if (n < 1 || n > 100) {
      return core::InvalidArgument(core::kErrValueInvalid,
                                   fmt::format("{} is not a count from 1 to 100", n));
    }
  }
  return Write([&]() -> StatusOr<int64_t> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("INSERT INTO evidence_rules (long_illness_days, "
                                  "repeated_illness_count, next_to_holiday, set_at, set_by) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id"));
    stmt.Bind(1, rules.long_illness_days);
    stmt.Bind(2, rules.repeated_illness_count);
    stmt.Bind(3, rules.next_to_holiday ? 1 : 0);
    stmt.Bind(4, rules.set_at);
    stmt.Bind(5, rules.set_by);
    return stmt.InsertReturningId();
  });
}

StatusOr<int64_t> SqlStore::AddConditionReview(const ConditionReview& review) {
  return Write([&]() -> StatusOr<int64_t> {
    RETURN_IF_ERROR(RequirePupil(review.pupil_id));
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("INSERT INTO condition_reviews (pupil_id, note, review_date, "
                                  "set_by, set_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id"));
    stmt.Bind(1, review.pupil_id);
    stmt.Bind(2, review.note);
    BindDate(stmt, 3, review.review_date);
    stmt.Bind(4, review.set_by);
    stmt.Bind(5, review.set_at);
    return stmt.InsertReturningId();
  });
}

StatusOr<std::vector<ConditionReview>> SqlStore::ListConditionReviews() {
  return Read([&]() -> StatusOr<std::vector<ConditionReview>> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("SELECT id, pupil_id, note, review_date, set_by, set_at "
                                  "FROM condition_reviews ORDER BY id"));
    std::vector<ConditionReview> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return out;
      ConditionReview& c = out.emplace_back();
      c.id = stmt.Int64(0);
      c.pupil_id = stmt.Int64(1);
      c.note = stmt.Text(2);
      ASSIGN_OR_RETURN(c.review_date, DateColumn(stmt, 3));
      c.set_by = stmt.Text(4);
      c.set_at = stmt.Int64(5);
    }
  });
}

}  // namespace rollcall::store::sql
