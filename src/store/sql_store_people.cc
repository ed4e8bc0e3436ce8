// sql_store_people.cc: the SQL Store's pupils (with their flags,
// enrolments and contacts), users (with their classes and children) and
// absence reports.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <unordered_map>
#include <utility>

#include "core/error_codes.h"
#include "core/uk_time.h"
#include "store/sql_store.h"

namespace rollcall::store::sql {
namespace {

using core::Status;
using core::StatusOr;

// Id -> position in `rows`, for attaching child rows read in a second query.
template <typename Row>
std::unordered_map<int64_t, size_t> IndexById(const std::vector<Row>& rows) {
  std::unordered_map<int64_t, size_t> index;
  for (size_t i = 0; i < rows.size(); ++i) index[rows[i].id] = i;
  return index;
}

// Steps `stmt` (column 0: the owner's id) and hands each row to `attach`
// together with its owner, skipping rows whose owner was not loaded.
template <typename Row, typename Attach>
Status ForEachChild(Statement& stmt, std::vector<Row>& rows,
                    const std::unordered_map<int64_t, size_t>& index, Attach attach) {
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return core::OkStatus();
    auto it = index.find(stmt.Int64(0));
    if (it == index.end()) continue;
    RETURN_IF_ERROR(attach(rows[it->second]));
  }
}

// One query in two forms: every row, or only the rows of one owner (?1).
struct AllOrOne {
  const char* all;
  const char* one;
};

StatusOr<Statement> PrepareAllOrOne(Db& db, const AllOrOne& query, std::optional<int64_t> id) {
  ASSIGN_OR_RETURN(Statement stmt, db.Prepare(id ? query.one : query.all));
  if (id) stmt.Bind(1, *id);
  return stmt;
}

constexpr AllOrOne kFlags = {
    "SELECT pupil_id, flag, from_date, to_date FROM pupil_flags "
    "ORDER BY pupil_id, from_date, flag, id",
    "SELECT pupil_id, flag, from_date, to_date FROM pupil_flags WHERE pupil_id = ?1 "
    "ORDER BY from_date, flag, id"};
constexpr AllOrOne kEnrolments = {
    "SELECT pupil_id, start_date, end_date, deletion_ground, destination FROM enrolments "
    "ORDER BY pupil_id, start_date, id",
    "SELECT pupil_id, start_date, end_date, deletion_ground, destination FROM enrolments "
    "WHERE pupil_id = ?1 ORDER BY start_date, id"};
constexpr AllOrOne kContacts = {
    "SELECT pupil_id, priority, name, relationship, phone, email, user_id, "
    "parental_responsibility, salutation, address, postcode, lives_with, emergency, other_phone, "
    "confirmed_on, preferred_channel, optional_opt_out, messages_without_pr, consent_at, "
    "consent_by, consent_note FROM contacts "
    "ORDER BY pupil_id, priority, id",
    "SELECT pupil_id, priority, name, relationship, phone, email, user_id, "
    "parental_responsibility, salutation, address, postcode, lives_with, emergency, other_phone, "
    "confirmed_on, preferred_channel, optional_opt_out, messages_without_pr, consent_at, "
    "consent_by, consent_note FROM contacts "
    "WHERE pupil_id = ?1 ORDER BY priority, id"};
constexpr AllOrOne kPupilRows = {
    "SELECT id, upn, legal_given_name, legal_family_name, preferred_given_name, "
    "preferred_family_name, date_of_birth, sex, year_group, class_id, boarder, previous_school, "
    "social_worker_name, social_worker_email FROM pupils ORDER BY id",
    "SELECT id, upn, legal_given_name, legal_family_name, preferred_given_name, "
    "preferred_family_name, date_of_birth, sex, year_group, class_id, boarder, previous_school, "
    "social_worker_name, social_worker_email FROM pupils WHERE id = ?1"};

constexpr AllOrOne kUserRows = {
    "SELECT id, username, display_name, role, password_hash, la_code, active, email FROM users "
    "ORDER BY id",
    "SELECT id, username, display_name, role, password_hash, la_code, active, email FROM users "
    "WHERE id = ?1"};
constexpr AllOrOne kUserClasses = {
    "SELECT user_id, class_id FROM class_teachers ORDER BY user_id, class_id",
    "SELECT user_id, class_id FROM class_teachers WHERE user_id = ?1 ORDER BY class_id"};
constexpr AllOrOne kUserPupils = {
    "SELECT user_id, pupil_id FROM parent_links ORDER BY user_id, pupil_id",
    "SELECT user_id, pupil_id FROM parent_links WHERE user_id = ?1 ORDER BY pupil_id"};

Status RunBound(Db& db, const char* sql, int64_t id) {
  ASSIGN_OR_RETURN(Statement stmt, db.Prepare(sql));
  stmt.Bind(1, id);
  return stmt.Run();
}

Status InsertLink(Db& db, const char* sql, int64_t first, int64_t second) {
  ASSIGN_OR_RETURN(Statement stmt, db.Prepare(sql));
  stmt.Bind(1, first);
  stmt.Bind(2, second);
  return stmt.Run();
}

// Binds the pupils row's columns ?1..?13 (id is ?14 for an update).
void BindPupilRow(Statement& stmt, const Pupil& pupil) {
  stmt.Bind(1, pupil.upn);
  stmt.Bind(2, pupil.legal_given_name);
  stmt.Bind(3, pupil.legal_family_name);
  stmt.Bind(4, pupil.preferred_given_name);
  stmt.Bind(5, pupil.preferred_family_name);
  BindDate(stmt, 6, pupil.date_of_birth);
  stmt.Bind(7, pupil.sex);
  stmt.Bind(8, pupil.year_group);
  stmt.Bind(9, pupil.class_id);
  stmt.Bind(10, pupil.boarder ? 1 : 0);
  stmt.Bind(11, pupil.previous_school);
  stmt.Bind(12, pupil.social_worker_name);
  stmt.Bind(13, pupil.social_worker_email);
}

// Binds the users row's columns ?1..?7 (id is ?8 for an update).
void BindUserRow(Statement& stmt, const User& user) {
  stmt.Bind(1, user.username);
  stmt.Bind(2, user.display_name);
  stmt.Bind(3, static_cast<int>(user.role));
  stmt.Bind(4, user.password_hash);
  stmt.Bind(5, user.la_code);
  stmt.Bind(6, user.active ? 1 : 0);
  stmt.Bind(7, user.email);
}

// Columns: id, pupil_id, date_from, date_to, reason, reported_at, reported_by,
// reported_by_name, resolved_at, resolved_by, resolution.
StatusOr<AbsenceReport> ReadAbsenceReport(const Statement& stmt) {
  AbsenceReport r;
  r.id = stmt.Int64(0);
  r.pupil_id = stmt.Int64(1);
  ASSIGN_OR_RETURN(r.from, DateColumn(stmt, 2));
  ASSIGN_OR_RETURN(r.to, DateColumn(stmt, 3));
  r.reason = stmt.Text(4);
  r.reported_at = stmt.Int64(5);
  r.reported_by = stmt.Int64(6);
  r.reported_by_name = stmt.Text(7);
  r.resolved_at = stmt.OptionalInt64(8);
  r.resolved_by = stmt.Int64(9);
  r.resolution = stmt.Text(10);
  return r;
}

}  // namespace

// --- Pupils ----------------------------------------------------------------------

StatusOr<std::vector<Pupil>> SqlStore::LoadPupils(std::optional<int64_t> id) {
  std::vector<Pupil> pupils;
  {
    ASSIGN_OR_RETURN(Statement stmt, PrepareAllOrOne(*db_, kPupilRows, id));
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      Pupil p;
      p.id = stmt.Int64(0);
      p.upn = stmt.Text(1);
      p.legal_given_name = stmt.Text(2);
      p.legal_family_name = stmt.Text(3);
      p.preferred_given_name = stmt.Text(4);
      p.preferred_family_name = stmt.Text(5);
      ASSIGN_OR_RETURN(p.date_of_birth, DateColumn(stmt, 6));
      p.sex = stmt.Text(7);
      p.year_group = static_cast<int>(stmt.Int64(8));
      p.class_id = stmt.OptionalInt64(9);
      p.boarder = stmt.Int64(10) != 0;
      p.previous_school = stmt.Text(11);
      p.social_worker_name = stmt.Text(12);
      p.social_worker_email = stmt.Text(13);
      pupils.push_back(std::move(p));
    }
  }
  if (pupils.empty()) return pupils;
  const std::unordered_map<int64_t, size_t> index = IndexById(pupils);
  {
    ASSIGN_OR_RETURN(Statement stmt, PrepareAllOrOne(*db_, kFlags, id));
    RETURN_IF_ERROR(ForEachChild(stmt, pupils, index, [&](Pupil& p) -> Status {
      CohortFlag flag;
      flag.flag = stmt.Text(1);
      ASSIGN_OR_RETURN(flag.from, DateColumn(stmt, 2));
      ASSIGN_OR_RETURN(flag.to, OptionalDateColumn(stmt, 3));
      p.flags.push_back(std::move(flag));
      return core::OkStatus();
    }));
  }
  {
    ASSIGN_OR_RETURN(Statement stmt, PrepareAllOrOne(*db_, kEnrolments, id));
    RETURN_IF_ERROR(ForEachChild(stmt, pupils, index, [&](Pupil& p) -> Status {
      Enrolment e;
      ASSIGN_OR_RETURN(e.start, DateColumn(stmt, 1));
      ASSIGN_OR_RETURN(e.end, OptionalDateColumn(stmt, 2));
      e.deletion_ground = stmt.Text(3);
      e.destination = stmt.Text(4);
      p.enrolments.push_back(std::move(e));
      return core::OkStatus();
    }));
  }
  ASSIGN_OR_RETURN(Statement stmt, PrepareAllOrOne(*db_, kContacts, id));
  RETURN_IF_ERROR(ForEachChild(stmt, pupils, index, [&](Pupil& p) -> Status {
    Contact c;
    c.priority = static_cast<int>(stmt.Int64(1));
    c.name = stmt.Text(2);
    c.relationship = stmt.Text(3);
    c.phone = stmt.Text(4);
    c.email = stmt.Text(5);
    c.user_id = stmt.OptionalInt64(6);
    c.parental_responsibility = stmt.Int64(7) != 0;
    c.salutation = stmt.Text(8);
    c.address = stmt.Text(9);
    c.postcode = stmt.Text(10);
    c.lives_with = stmt.Int64(11) != 0;
    c.emergency = stmt.Int64(12) != 0;
    c.other_phone = stmt.Text(13);
    ASSIGN_OR_RETURN(c.confirmed_on, OptionalDateColumn(stmt, 14));
    c.preferred_channel = stmt.Text(15);
    c.optional_opt_out = stmt.Int64(16) != 0;
    c.messages_without_pr = stmt.Int64(17) != 0;
    c.consent_at = stmt.OptionalInt64(18);
    c.consent_by = stmt.Text(19);
    c.consent_note = stmt.Text(20);
    p.contacts.push_back(std::move(c));
    return core::OkStatus();
  }));
  return pupils;
}

Status SqlStore::CheckPupilReferences(const Pupil& pupil) {
  // An explicit check gives the caller the right code, where the foreign key
  // would only say "constraint failed".
  if (pupil.class_id) RETURN_IF_ERROR(RequireClass(*pupil.class_id));
  for (const Contact& contact : pupil.contacts) {
    if (contact.user_id) RETURN_IF_ERROR(RequireUser(*contact.user_id));
  }
  ASSIGN_OR_RETURN(Statement stmt,
                   db_->Prepare("SELECT 1 FROM pupils WHERE upn = ?1 AND id != ?2"));
  stmt.Bind(1, pupil.upn);
  stmt.Bind(2, pupil.id);
  ASSIGN_OR_RETURN(bool duplicate, stmt.Step());
  if (duplicate) {
    return core::Conflict(core::kErrPupilDuplicate, "another pupil already has this UPN");
  }
  return core::OkStatus();
}

// Replaces the flags, enrolments and contacts of pupil `id` with pupil's.
Status SqlStore::WritePupilDetails(int64_t id, const Pupil& pupil) {
  RETURN_IF_ERROR(RunBound(*db_, "DELETE FROM pupil_flags WHERE pupil_id = ?1", id));
  RETURN_IF_ERROR(RunBound(*db_, "DELETE FROM enrolments WHERE pupil_id = ?1", id));
  RETURN_IF_ERROR(RunBound(*db_, "DELETE FROM contacts WHERE pupil_id = ?1", id));
  for (const CohortFlag& flag : pupil.flags) {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("INSERT INTO pupil_flags (pupil_id, flag, from_date, to_date) "
                                  "VALUES (?1, ?2, ?3, ?4)"));
    stmt.Bind(1, id);
    stmt.Bind(2, flag.flag);
    BindDate(stmt, 3, flag.from);
    BindDate(stmt, 4, flag.to);
    RETURN_IF_ERROR(stmt.Run());
  }
  for (const Enrolment& e : pupil.enrolments) {
    ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("INSERT INTO enrolments (pupil_id, start_date, "
                                                  "end_date, deletion_ground, destination) "
                                                  "VALUES (?1, ?2, ?3, ?4, ?5)"));
    stmt.Bind(1, id);
    BindDate(stmt, 2, e.start);
    BindDate(stmt, 3, e.end);
    stmt.Bind(4, e.deletion_ground);
    stmt.Bind(5, e.destination);
    RETURN_IF_ERROR(stmt.Run());
  }
  for (const Contact& c : pupil.contacts) {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("INSERT INTO contacts (pupil_id, priority, name, relationship, "
                                  "phone, email, user_id, parental_responsibility, salutation, "
                                  "address, postcode, lives_with, emergency, other_phone, "
                                  "confirmed_on, preferred_channel, optional_opt_out, "
                                  "messages_without_pr, consent_at, consent_by, consent_note) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                                  "?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)"));
    stmt.Bind(1, id);
    stmt.Bind(2, c.priority);
    stmt.Bind(3, c.name);
    stmt.Bind(4, c.relationship);
    stmt.Bind(5, c.phone);
    stmt.Bind(6, c.email);
    stmt.Bind(7, c.user_id);
    stmt.Bind(8, c.parental_responsibility ? 1 : 0);
    stmt.Bind(9, c.salutation);
    stmt.Bind(10, c.address);
    stmt.Bind(11, c.postcode);
    stmt.Bind(12, c.lives_with ? 1 : 0);
    stmt.Bind(13, c.emergency ? 1 : 0);
    stmt.Bind(14, c.other_phone);
    BindDate(stmt, 15, c.confirmed_on);
    stmt.Bind(16, c.preferred_channel);
    stmt.Bind(17, c.optional_opt_out ? 1 : 0);
    stmt.Bind(18, c.messages_without_pr ? 1 : 0);
    stmt.Bind(19, c.consent_at);
    stmt.Bind(20, c.consent_by);
    stmt.Bind(21, c.consent_note);
    RETURN_IF_ERROR(stmt.Run());
  }
  return core::OkStatus();
}

StatusOr<std::vector<Pupil>> SqlStore::ListPupils() {
  return Read([&] { return LoadPupils(std::nullopt); });
}

StatusOr<Pupil> SqlStore::GetPupil(int64_t id) {
  return Read([&]() -> StatusOr<Pupil> {
    ASSIGN_OR_RETURN(std::vector<Pupil> pupils, LoadPupils(id));
    if (pupils.empty()) {
      return core::NotFound(core::kErrPupilUnknown, fmt::format("no pupil with id {}", id));
    }
    return std::move(pupils.front());
  });
}

StatusOr<int64_t> SqlStore::InsertPupil(const Pupil& pupil) {
  Pupil fresh = pupil;
  fresh.id = 0;  // ids are assigned here; 0 matches no row in the UPN check
  RETURN_IF_ERROR(CheckPupilReferences(fresh));
  int64_t id = 0;
  {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("INSERT INTO pupils (upn, legal_given_name, legal_family_name, "
                                  "preferred_given_name, preferred_family_name, date_of_birth, "
                                  "sex, year_group, class_id, boarder, previous_school, "
                                  "social_worker_name, social_worker_email) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                                  "?13) "
                                  "RETURNING id"));
    BindPupilRow(stmt, fresh);
    ASSIGN_OR_RETURN(id, stmt.InsertReturningId());
  }
  RETURN_IF_ERROR(WritePupilDetails(id, fresh));
  return id;
}

Status SqlStore::ReplacePupil(const Pupil& pupil) {
  RETURN_IF_ERROR(RequirePupil(pupil.id));
  RETURN_IF_ERROR(CheckPupilReferences(pupil));
  {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("UPDATE pupils SET upn = ?1, legal_given_name = ?2, "
                                  "legal_family_name = ?3, preferred_given_name = ?4, "
                                  "preferred_family_name = ?5, date_of_birth = ?6, sex = ?7, "
                                  "year_group = ?8, class_id = ?9, boarder = ?10, "
                                  "previous_school = ?11, social_worker_name = ?12, "
                                  "social_worker_email = ?13 WHERE id = ?14"));
    BindPupilRow(stmt, pupil);
    stmt.Bind(14, pupil.id);
    RETURN_IF_ERROR(stmt.Run());
  }
  return WritePupilDetails(pupil.id, pupil);
}

StatusOr<int64_t> SqlStore::AddPupil(const Pupil& pupil) {
  return Write([&] { return InsertPupil(pupil); });
}

Status SqlStore::UpdatePupil(const Pupil& pupil) {
  return Write([&] { return ReplacePupil(pupil); });
}

namespace {

std::string YesNo(bool value) { return value ? "yes" : "no"; }

std::string OptionalDateText(const std::optional<core::Date>& date) {
  return date ? date->ToString() : "";
}

// The fields of a pupil's admission register entry as text, by name, in the
// order the history lists them. Enrolments and contacts are numbered from 1
// in their stored order. The class is not an entry of the register (pupils
// move class every year); the cohort flags and when the family last
// confirmed their contacts are kept beside it, so their changes are traced too.
std::vector<std::pair<std::string, std::string>> AdmissionFields(const Pupil& p) {
  std::vector<std::pair<std::string, std::string>> out = {
      {"upn", p.upn},
      {"legal_given_name", p.legal_given_name},
      {"legal_family_name", p.legal_family_name},
      {"preferred_given_name", p.preferred_given_name},
      {"preferred_family_name", p.preferred_family_name},
      {"date_of_birth", p.date_of_birth.ToString()},
      {"sex", p.sex},
      {"year_group", std::to_string(p.year_group)},
      {"boarder", YesNo(p.boarder)},
      {"previous_school", p.previous_school},
      {"social_worker_name", p.social_worker_name},
      {"social_worker_email", p.social_worker_email},
  };
  std::string flags;
  for (const CohortFlag& f : p.flags) {
    flags += fmt::format("{}{} from {}{}", flags.empty() ? "" : "; ", f.flag, f.from.ToString(),
                         f.to ? " to " + f.to->ToString() : "");
  }
  out.emplace_back("cohort_flags", flags);
  for (size_t i = 0; i < p.enrolments.size(); ++i) {
    const Enrolment& e = p.enrolments[i];
    const std::string key = fmt::format("enrolment {} ", i + 1);
    out.emplace_back(key + "start", e.start.ToString());
    out.emplace_back(key + "end", OptionalDateText(e.end));
    out.emplace_back(key + "deletion_ground", e.deletion_ground);
    out.emplace_back(key + "destination", e.destination);
  }
  for (size_t i = 0; i < p.contacts.size(); ++i) {
    const Contact& c = p.contacts[i];
    const std::string key = fmt::format("contact {} ", i + 1);
    out.emplace_back(key + "name", c.name);
    out.emplace_back(key + "relationship", c.relationship);
    out.emplace_back(key + "phone", c.phone);
    out.emplace_back(key + "other_phone", c.other_phone);
    out.emplace_back(key + "email", c.email);
    out.emplace_back(key + "address", c.address);
    out.emplace_back(key + "postcode", c.postcode);
    out.emplace_back(key + "parental_responsibility", YesNo(c.parental_responsibility));
    out.emplace_back(key + "lives_with", YesNo(c.lives_with));
    out.emplace_back(key + "emergency", YesNo(c.emergency));
    out.emplace_back(key + "confirmed_on", OptionalDateText(c.confirmed_on));
    out.emplace_back(key + "preferred_channel", c.preferred_channel);
    out.emplace_back(key + "optional_opt_out", YesNo(c.optional_opt_out));
    out.emplace_back(key + "messages_without_pr", YesNo(c.messages_without_pr));
    out.emplace_back(
        key + "consent",
        c.consent_at ? fmt::format("{} by {}: {}", core::UkTimeAt(*c.consent_at).date.ToString(),
                                   c.consent_by, c.consent_note)
                     : "");
  }
  return out;
}

// The fields that differ between two versions of an entry, as (field, old,
// new): a field only one version has is "" in the other.
std::vector<std::array<std::string, 3>> ChangedFields(const Pupil& before, const Pupil& after) {
  const std::vector<std::pair<std::string, std::string>> old_fields = AdmissionFields(before);
  const std::vector<std::pair<std::string, std::string>> new_fields = AdmissionFields(after);
  std::unordered_map<std::string, const std::string*> old_by_name;
  for (const auto& [name, value] : old_fields) old_by_name[name] = &value;
  std::vector<std::array<std::string, 3>> out;
  for (const auto& [name, value] : new_fields) {
    auto it = old_by_name.find(name);
    const std::string old_value = it == old_by_name.end() ? "" : *it->second;
    if (it != old_by_name.end()) old_by_name.erase(it);
    if (old_value != value) out.push_back({name, old_value, value});
  }
  for (const auto& [name, value] : old_fields) {
    if (old_by_name.contains(name) && !value.empty()) out.push_back({name, value, ""});
  }
  return out;
}

}  // namespace

Status SqlStore::InsertAdmissionChange(const AdmissionChange& c) {
  ASSIGN_OR_RETURN(Statement stmt,
                   db_->Prepare("INSERT INTO admission_changes (pupil_id, at, actor_name, "
                                "actor_role, reason, field, old_value, new_value) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  stmt.Bind(1, c.pupil_id);
  stmt.Bind(2, c.at);
  stmt.Bind(3, c.actor_name);
  stmt.Bind(4, static_cast<int>(c.actor_role));
  stmt.Bind(5, c.reason);
  stmt.Bind(6, c.field);
  stmt.Bind(7, c.old_value);
  stmt.Bind(8, c.new_value);
  return stmt.Run();
}

StatusOr<std::vector<int64_t>> SqlStore::SavePupils(const std::vector<Class>& new_classes,
                                                    const std::vector<Pupil>& pupils,
                                                    const Actor& actor, int64_t at,
                                                    const std::string& reason) {
  return Write([&] { return WritePupils(new_classes, pupils, actor, at, reason); });
}

StatusOr<std::vector<int64_t>> SqlStore::ImportTransfer(
    const std::vector<Class>& new_classes, const std::vector<Pupil>& pupils,
    const std::vector<PreviousAttendance>& previous, const Actor& actor, int64_t at,
    const std::string& reason) {
  return Write([&]() -> StatusOr<std::vector<int64_t>> {
    ASSIGN_OR_RETURN(std::vector<int64_t> ids, WritePupils(new_classes, pupils, actor, at, reason));
    for (const PreviousAttendance& row : previous) {
      int64_t pupil_id = row.pupil_id;
      if (pupil_id < 0) {
        const auto index = static_cast<size_t>(-pupil_id - 1);
        if (index >= ids.size()) {
          return core::NotFound(
              core::kErrPupilUnknown,
              fmt::format("previous attendance of pupil {} of {} written", index + 1, ids.size()));
        }
        pupil_id = ids[index];
      } else {
        RETURN_IF_ERROR(RequirePupil(pupil_id));
      }
      ASSIGN_OR_RETURN(Statement drop,
                       db_->Prepare("DELETE FROM previous_attendance WHERE pupil_id = ?1 AND "
                                    "academic_year = ?2 AND lea = ?3 AND estab = ?4"));
      drop.Bind(1, pupil_id);
      drop.Bind(2, row.academic_year);
      drop.Bind(3, row.lea);
      drop.Bind(4, row.estab);
      RETURN_IF_ERROR(drop.Run());
      ASSIGN_OR_RETURN(
          Statement stmt,
          db_->Prepare("INSERT INTO previous_attendance (pupil_id, academic_year, lea, estab, "
                       "school_name, possible, authorised, attended, unauthorised, marks_start, "
                       "marks) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"));
      stmt.Bind(1, pupil_id);
      stmt.Bind(2, row.academic_year);
      stmt.Bind(3, row.lea);
      stmt.Bind(4, row.estab);
      stmt.Bind(5, row.school_name);
      stmt.Bind(6, row.possible);
      stmt.Bind(7, row.authorised);
      stmt.Bind(8, row.attended);
      stmt.Bind(9, row.unauthorised);
      BindDate(stmt, 10, row.marks_start);
      stmt.Bind(11, row.marks);
      RETURN_IF_ERROR(stmt.Run());
    }
    return ids;
  });
}

namespace {

// The rows of a statement selecting previous_attendance's columns in the
// order of PreviousAttendanceFor.
StatusOr<std::vector<PreviousAttendance>> PreviousAttendanceRows(Statement& stmt) {
  std::vector<PreviousAttendance> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    PreviousAttendance a;
    a.id = stmt.Int64(0);
    a.pupil_id = stmt.Int64(1);
    a.academic_year = static_cast<int>(stmt.Int64(2));
    a.lea = stmt.Text(3);
    a.estab = stmt.Text(4);
    a.school_name = stmt.Text(5);
    a.possible = stmt.Int64(6);
    a.authorised = stmt.Int64(7);
    a.attended = stmt.Int64(8);
    a.unauthorised = stmt.Int64(9);
    ASSIGN_OR_RETURN(a.marks_start, OptionalDateColumn(stmt, 10));
    a.marks = stmt.Text(11);
    out.push_back(std::move(a));
  }
}

constexpr char kPreviousAttendanceColumns[] =
    "SELECT id, pupil_id, academic_year, lea, estab, school_name, possible, authorised, "
    "attended, unauthorised, marks_start, marks FROM previous_attendance ";

}  // namespace

StatusOr<std::vector<PreviousAttendance>> SqlStore::PreviousAttendanceFor(int64_t pupil_id) {
  return Read([&]() -> StatusOr<std::vector<PreviousAttendance>> {
    RETURN_IF_ERROR(RequirePupil(pupil_id));
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare(std::string(kPreviousAttendanceColumns) +
                                  "WHERE pupil_id = ?1 ORDER BY academic_year, lea, estab"));
    stmt.Bind(1, pupil_id);
    return PreviousAttendanceRows(stmt);
  });
}

StatusOr<std::vector<PreviousAttendance>> SqlStore::PreviousAttendanceInYear(int academic_year) {
  return Read([&]() -> StatusOr<std::vector<PreviousAttendance>> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare(std::string(kPreviousAttendanceColumns) +
                                  "WHERE academic_year = ?1 ORDER BY pupil_id, lea, estab"));
    stmt.Bind(1, static_cast<int64_t>(academic_year));
    return PreviousAttendanceRows(stmt);
  });
}

StatusOr<std::vector<int64_t>> SqlStore::WritePupils(const std::vector<Class>& new_classes,
                                                     const std::vector<Pupil>& pupils,
                                                     const Actor& actor, int64_t at,
                                                     const std::string& reason) {
  std::vector<int64_t> class_ids;
  for (const Class& c : new_classes) {
    ASSIGN_OR_RETURN(class_ids.emplace_back(), InsertClass(c));
  }
  std::vector<int64_t> ids;
  for (const Pupil& given : pupils) {
    Pupil pupil = given;
    if (pupil.class_id && *pupil.class_id < 0) {
      const int64_t placeholder = -*pupil.class_id - 1;
      if (placeholder >= static_cast<int64_t>(class_ids.size())) {
        return core::NotFound(core::kErrClassUnknown,
                              fmt::format("pupil {} is placed in new class {}, but {} are added",
                                          pupil.upn, placeholder + 1, class_ids.size()));
      }
      pupil.class_id = class_ids[static_cast<size_t>(placeholder)];
    }
    AdmissionChange change{
        .at = at, .actor_name = actor.name, .actor_role = actor.role, .reason = reason};
    if (pupil.id == 0) {
      ASSIGN_OR_RETURN(pupil.id, InsertPupil(pupil));
      change.pupil_id = pupil.id;
      change.field = "admitted";
      change.new_value =
          fmt::format("{} {} {}", pupil.upn, pupil.legal_given_name, pupil.legal_family_name);
      RETURN_IF_ERROR(InsertAdmissionChange(change));
    } else {
      ASSIGN_OR_RETURN(std::vector<Pupil> before, LoadPupils(pupil.id));
      if (before.empty()) {
        return core::NotFound(core::kErrPupilUnknown, fmt::format("no pupil with id {}", pupil.id));
      }
      RETURN_IF_ERROR(ReplacePupil(pupil));
      change.pupil_id = pupil.id;
      for (auto& [field, old_value, new_value] : ChangedFields(before.front(), pupil)) {
        change.field = std::move(field);
        change.old_value = std::move(old_value);
        change.new_value = std::move(new_value);
        RETURN_IF_ERROR(InsertAdmissionChange(change));
      }
      RETURN_IF_ERROR(RecordTransfersOwed(before.front(), pupil, at));
    }
    ids.push_back(pupil.id);
  }
  return ids;
}

// A transfer owed for each enrolment (matched by its starting day) that had
// no last day before and has one now.
Status SqlStore::RecordTransfersOwed(const Pupil& before, const Pupil& after, int64_t at) {
  for (const Enrolment& e : after.enrolments) {
    if (!e.end) continue;
    const bool was_open =
        std::any_of(before.enrolments.begin(), before.enrolments.end(),
                    [&](const Enrolment& b) { return b.start == e.start && !b.end; });
    if (!was_open) continue;
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("INSERT INTO transfers_owed (pupil_id, last_day, destination, "
                                  "recorded_at) VALUES (?1, ?2, ?3, ?4)"));
    stmt.Bind(1, after.id);
    BindDate(stmt, 2, *e.end);
    stmt.Bind(3, e.destination);
    stmt.Bind(4, at);
    RETURN_IF_ERROR(stmt.Run());
  }
  return core::OkStatus();
}

StatusOr<std::vector<AdmissionChange>> SqlStore::AdmissionChangesFor(int64_t pupil_id) {
  return Read([&]() -> StatusOr<std::vector<AdmissionChange>> {
    RETURN_IF_ERROR(RequirePupil(pupil_id));
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("SELECT id, pupil_id, at, actor_name, actor_role, reason, field, "
                                  "old_value, new_value FROM admission_changes "
                                  "WHERE pupil_id = ?1 ORDER BY id"));
    stmt.Bind(1, pupil_id);
    std::vector<AdmissionChange> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return out;
      AdmissionChange c;
      c.id = stmt.Int64(0);
      c.pupil_id = stmt.Int64(1);
      c.at = stmt.Int64(2);
      c.actor_name = stmt.Text(3);
      ASSIGN_OR_RETURN(c.actor_role, RoleColumn(stmt, 4));
      c.reason = stmt.Text(5);
      c.field = stmt.Text(6);
      c.old_value = stmt.Text(7);
      c.new_value = stmt.Text(8);
      out.push_back(std::move(c));
    }
  });
}

StatusOr<std::vector<TransferOwed>> SqlStore::TransfersOwed() {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Statement stmt,
                   db_->Prepare("SELECT id, pupil_id, last_day, destination, recorded_at, "
                                "produced_at FROM transfers_owed ORDER BY id"));
  std::vector<TransferOwed> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    TransferOwed t;
    t.id = stmt.Int64(0);
    t.pupil_id = stmt.Int64(1);
    ASSIGN_OR_RETURN(t.last_day, DateColumn(stmt, 2));
    t.destination = stmt.Text(3);
    t.recorded_at = stmt.Int64(4);
    t.produced_at = stmt.OptionalInt64(5);
    out.push_back(std::move(t));
  }
}

Status SqlStore::MarkTransfersProduced(const std::vector<int64_t>& ids, int64_t at) {
  return Write([&]() -> Status {
    for (int64_t id : ids) {
      ASSIGN_OR_RETURN(Statement known,
                       db_->Prepare("SELECT id FROM transfers_owed WHERE id = ?1"));
      known.Bind(1, id);
      ASSIGN_OR_RETURN(bool found, known.Step());
      if (!found) {
        return core::NotFound(core::kErrTransferUnknown,
                              fmt::format("no transfer owed with id {}", id));
      }
      ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("UPDATE transfers_owed SET produced_at = ?2 "
                                                    "WHERE id = ?1 AND produced_at IS NULL"));
      stmt.Bind(1, id);
      stmt.Bind(2, at);
      RETURN_IF_ERROR(stmt.Run());
    }
    return core::OkStatus();
  });
}

// --- Users -----------------------------------------------------------------------

StatusOr<std::vector<User>> SqlStore::LoadUsers(std::optional<int64_t> id) {
  std::vector<User> users;
  {
    ASSIGN_OR_RETURN(Statement stmt, PrepareAllOrOne(*db_, kUserRows, id));
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      User u;
      u.id = stmt.Int64(0);
      u.username = stmt.Text(1);
      u.display_name = stmt.Text(2);
      ASSIGN_OR_RETURN(u.role, RoleColumn(stmt, 3));
      u.password_hash = stmt.Text(4);
      u.la_code = stmt.Text(5);
      u.active = stmt.Int64(6) != 0;
      u.email = stmt.Text(7);
      users.push_back(std::move(u));
    }
  }
  if (users.empty()) return users;
  const std::unordered_map<int64_t, size_t> index = IndexById(users);
  {
    ASSIGN_OR_RETURN(Statement stmt, PrepareAllOrOne(*db_, kUserClasses, id));
    RETURN_IF_ERROR(ForEachChild(stmt, users, index, [&](User& u) -> Status {
      u.class_ids.push_back(stmt.Int64(1));
      return core::OkStatus();
    }));
  }
  ASSIGN_OR_RETURN(Statement stmt, PrepareAllOrOne(*db_, kUserPupils, id));
  RETURN_IF_ERROR(ForEachChild(stmt, users, index, [&](User& u) -> Status {
    u.pupil_ids.push_back(stmt.Int64(1));
    return core::OkStatus();
  }));
  return users;
}

StatusOr<std::optional<int64_t>> SqlStore::UserIdByName(std::string_view username) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("SELECT id FROM users WHERE username = ?1"));
  stmt.Bind(1, username);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<int64_t>();
  return std::optional<int64_t>(stmt.Int64(0));
}

Status SqlStore::CheckUserReferences(const User& user) {
  ASSIGN_OR_RETURN(std::optional<int64_t> holder, UserIdByName(user.username));
  if (holder && *holder != user.id) {
    return core::Conflict(core::kErrUserDuplicate,
                          fmt::format("the username '{}' is already taken", user.username));
  }
  for (int64_t class_id : user.class_ids) RETURN_IF_ERROR(RequireClass(class_id));
  for (int64_t pupil_id : user.pupil_ids) RETURN_IF_ERROR(RequirePupil(pupil_id));
  return core::OkStatus();
}

// Replaces the user's classes and children with user.class_ids and pupil_ids.
Status SqlStore::WriteUserLinks(int64_t id, const User& user) {
  RETURN_IF_ERROR(RunBound(*db_, "DELETE FROM class_teachers WHERE user_id = ?1", id));
  RETURN_IF_ERROR(RunBound(*db_, "DELETE FROM parent_links WHERE user_id = ?1", id));
  for (int64_t class_id : user.class_ids) {
    RETURN_IF_ERROR(InsertLink(*db_,
                               "INSERT INTO class_teachers (class_id, user_id) VALUES (?1, ?2) "
                               "ON CONFLICT DO NOTHING",
                               class_id, id));
  }
  for (int64_t pupil_id : user.pupil_ids) {
    RETURN_IF_ERROR(InsertLink(*db_,
                               "INSERT INTO parent_links (user_id, pupil_id) VALUES (?1, ?2) "
                               "ON CONFLICT DO NOTHING",
                               id, pupil_id));
  }
  return core::OkStatus();
}

StatusOr<int64_t> SqlStore::InsertUser(const User& user) {
  User fresh = user;
  fresh.id = 0;  // ids are assigned here
  RETURN_IF_ERROR(CheckUserReferences(fresh));
  int64_t id = 0;
  {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("INSERT INTO users (username, display_name, role, "
                                  "password_hash, la_code, active, email) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id"));
    BindUserRow(stmt, fresh);
    ASSIGN_OR_RETURN(id, stmt.InsertReturningId());
  }
  RETURN_IF_ERROR(WriteUserLinks(id, fresh));
  return id;
}

StatusOr<int64_t> SqlStore::AddUser(const User& user) {
  return Write([&] { return InsertUser(user); });
}

Status SqlStore::UpdateUser(const User& user) {
  return Write([&]() -> Status {
    RETURN_IF_ERROR(RequireUser(user.id));
    RETURN_IF_ERROR(CheckUserReferences(user));
    {
      ASSIGN_OR_RETURN(Statement stmt,
                       db_->Prepare("UPDATE users SET username = ?1, display_name = ?2, role = ?3, "
                                    "password_hash = ?4, la_code = ?5, active = ?6, email = ?7 "
                                    "WHERE id = ?8"));
      BindUserRow(stmt, user);
      stmt.Bind(8, user.id);
      RETURN_IF_ERROR(stmt.Run());
    }
    return WriteUserLinks(user.id, user);
  });
}

StatusOr<User> SqlStore::GetUser(int64_t id) {
  return Read([&]() -> StatusOr<User> {
    ASSIGN_OR_RETURN(std::vector<User> users, LoadUsers(id));
    if (users.empty()) {
      return core::NotFound(core::kErrUserUnknown, fmt::format("no user with id {}", id));
    }
    return std::move(users.front());
  });
}

StatusOr<User> SqlStore::FindUserByName(std::string_view username) {
  return Read([&]() -> StatusOr<User> {
    ASSIGN_OR_RETURN(std::optional<int64_t> id, UserIdByName(username));
    std::vector<User> users;
    if (id) {
      ASSIGN_OR_RETURN(users, LoadUsers(*id));
    }
    if (users.empty()) return core::NotFound(core::kErrUserUnknown, "no user with that name");
    return std::move(users.front());
  });
}

StatusOr<std::vector<User>> SqlStore::ListUsers() {
  return Read([&] { return LoadUsers(std::nullopt); });
}

// --- Absence reports -------------------------------------------------------------

StatusOr<int64_t> SqlStore::AddAbsenceReport(const AbsenceReport& report) {
  return Write([&]() -> StatusOr<int64_t> {
    RETURN_IF_ERROR(RequirePupil(report.pupil_id));
    // A new report is open, whatever the resolution fields say.
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("INSERT INTO absence_reports (pupil_id, date_from, date_to, "
                                  "reason, reported_at, reported_by, reported_by_name) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id"));
    stmt.Bind(1, report.pupil_id);
    BindDate(stmt, 2, report.from);
    BindDate(stmt, 3, report.to);
    stmt.Bind(4, report.reason);
    stmt.Bind(5, report.reported_at);
    stmt.Bind(6, report.reported_by);
    stmt.Bind(7, report.reported_by_name);
    return stmt.InsertReturningId();
  });
}

StatusOr<std::vector<AbsenceReport>> SqlStore::ListAbsenceReports(bool open_only) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_->Prepare(open_only
                       ? "SELECT id, pupil_id, date_from, date_to, reason, reported_at, "
                         "reported_by, reported_by_name, resolved_at, resolved_by, resolution "
                         "FROM absence_reports WHERE resolved_at IS NULL "
                         "ORDER BY reported_at DESC, id DESC"
                       : "SELECT id, pupil_id, date_from, date_to, reason, reported_at, "
                         "reported_by, reported_by_name, resolved_at, resolved_by, resolution "
                         "FROM absence_reports ORDER BY reported_at DESC, id DESC"));
  std::vector<AbsenceReport> reports;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return reports;
    ASSIGN_OR_RETURN(AbsenceReport report, ReadAbsenceReport(stmt));
    reports.push_back(std::move(report));
  }
}

Status SqlStore::ResolveAbsenceReport(int64_t id, int64_t at, int64_t by_user_id,
                                      const std::string& resolution) {
  return Write([&]() -> Status {
    {
      ASSIGN_OR_RETURN(Statement stmt,
                       db_->Prepare("SELECT resolved_at FROM absence_reports WHERE id = ?1"));
      stmt.Bind(1, id);
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) {
        return core::NotFound(core::kErrReportUnknown,
                              fmt::format("no absence report with id {}", id));
      }
      if (!stmt.IsNull(0)) {
        return core::Conflict(core::kErrReportResolved,
                              fmt::format("absence report {} is already resolved", id));
      }
    }
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("UPDATE absence_reports SET resolved_at = ?1, resolved_by = ?2, "
                                  "resolution = ?3 WHERE id = ?4 AND resolved_at IS NULL"));
    stmt.Bind(1, at);
    stmt.Bind(2, by_user_id);
    stmt.Bind(3, resolution);
    stmt.Bind(4, id);
    return stmt.Run();
  });
}

// --- Contact log -------------------------------------------------------------------

StatusOr<int64_t> SqlStore::AddContactLogEntry(const ContactLogEntry& entry) {
  return Write([&]() -> StatusOr<int64_t> {
    RETURN_IF_ERROR(RequirePupil(entry.pupil_id));
    return InsertContactLogEntry(entry);
  });
}

StatusOr<int64_t> SqlStore::InsertContactLogEntry(const ContactLogEntry& entry) {
  RETURN_IF_ERROR(CheckContactLogEntry(entry));
  ASSIGN_OR_RETURN(Statement stmt,
                   db_->Prepare("INSERT INTO contact_log (pupil_id, at, method, contact_name, "
                                "outcome, note, by_user_id, by_name, by_role) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id"));
  stmt.Bind(1, entry.pupil_id);
  stmt.Bind(2, entry.at);
  stmt.Bind(3, std::string(ContactMethodName(entry.method)));
  stmt.Bind(4, entry.contact_name);
  stmt.Bind(5, std::string(ContactOutcomeName(entry.outcome)));
  stmt.Bind(6, entry.note);
  stmt.Bind(7, entry.by_user_id);
  stmt.Bind(8, entry.by_name);
  stmt.Bind(9, static_cast<int>(entry.by_role));
  return stmt.InsertReturningId();
}

StatusOr<std::vector<ContactLogEntry>> SqlStore::ContactLogForPupil(int64_t pupil_id) {
  return ContactLogWhere("pupil_id = ?1", pupil_id);
}

StatusOr<std::vector<ContactLogEntry>> SqlStore::ContactLogSince(int64_t since) {
  return ContactLogWhere("at >= ?1", since);
}

StatusOr<std::vector<ContactLogEntry>> SqlStore::ContactLogWhere(const char* where, int64_t value) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Statement stmt,
                   db_->Prepare(fmt::format("SELECT id, pupil_id, at, method, contact_name, "
                                            "outcome, note, by_user_id, by_name, by_role "
                                            "FROM contact_log WHERE {} "
                                            "ORDER BY at DESC, id DESC",
                                            where)));
  stmt.Bind(1, value);
  std::vector<ContactLogEntry> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    ContactLogEntry e;
    e.id = stmt.Int64(0);
    e.pupil_id = stmt.Int64(1);
    e.at = stmt.Int64(2);
    ASSIGN_OR_RETURN(e.method, NameColumn(stmt, 3, ContactMethodFromName, "contact method"));
    e.contact_name = stmt.Text(4);
    ASSIGN_OR_RETURN(e.outcome, NameColumn(stmt, 5, ContactOutcomeFromName, "contact outcome"));
    e.note = stmt.Text(6);
    e.by_user_id = stmt.Int64(7);
    e.by_name = stmt.Text(8);
    ASSIGN_OR_RETURN(e.by_role, RoleColumn(stmt, 9));
    out.push_back(std::move(e));
  }
}

// --- CME cases ---------------------------------------------------------------------

StatusOr<int64_t> SqlStore::OpenCmeCase(const CmeCase& c) {
  return Write([&]() -> StatusOr<int64_t> {
    RETURN_IF_ERROR(RequirePupil(c.pupil_id));
    {
      ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("SELECT id FROM cme_cases WHERE pupil_id = ?1 "
                                                    "AND closed_at IS NULL"));
      stmt.Bind(1, c.pupil_id);
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (row) {
        return core::Conflict(core::kErrCaseOpen,
                              fmt::format("pupil {} already has an open CME case", c.pupil_id));
      }
    }
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("INSERT INTO cme_cases (pupil_id, first_day, opened_at) "
                                  "VALUES (?1, ?2, ?3) RETURNING id"));
    stmt.Bind(1, c.pupil_id);
    BindDate(stmt, 2, c.first_day);
    stmt.Bind(3, c.opened_at);
    return stmt.InsertReturningId();
  });
}

namespace {

// The CME cases a prepared SELECT of id, pupil_id, first_day, opened_at,
// closed_at, outcome and closed_by_name returns.
StatusOr<std::vector<CmeCase>> ReadCmeCases(Statement& stmt) {
  std::vector<CmeCase> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    CmeCase c;
    c.id = stmt.Int64(0);
    c.pupil_id = stmt.Int64(1);
    ASSIGN_OR_RETURN(c.first_day, DateColumn(stmt, 2));
    c.opened_at = stmt.Int64(3);
    c.closed_at = stmt.OptionalInt64(4);
    c.outcome = stmt.Text(5);
    c.closed_by_name = stmt.Text(6);
    out.push_back(std::move(c));
  }
}

constexpr char kCmeCaseColumns[] =
    "SELECT id, pupil_id, first_day, opened_at, closed_at, outcome, closed_by_name FROM cme_cases ";

}  // namespace

StatusOr<std::vector<CmeCase>> SqlStore::ListCmeCases(bool open_only) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Statement stmt,
                   db_->Prepare(fmt::format("{}{} ORDER BY id", kCmeCaseColumns,
                                            open_only ? "WHERE closed_at IS NULL" : "")));
  return ReadCmeCases(stmt);
}

StatusOr<std::optional<CmeCase>> SqlStore::OpenCmeCaseOf(int64_t pupil_id) {
  std::lock_guard lock(mu_);
  // At most one: the schema allows one open case per pupil.
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(std::string(kCmeCaseColumns) +
                                                "WHERE pupil_id = ?1 AND closed_at IS NULL"));
  stmt.Bind(1, pupil_id);
  ASSIGN_OR_RETURN(std::vector<CmeCase> cases, ReadCmeCases(stmt));
  if (cases.empty()) return std::optional<CmeCase>();
  return std::optional<CmeCase>(std::move(cases.front()));
}

Status SqlStore::RequireOpenCase(int64_t id) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("SELECT closed_at FROM cme_cases WHERE id = ?1"));
  stmt.Bind(1, id);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return core::NotFound(core::kErrCaseUnknown, fmt::format("no CME case with id {}", id));
  if (!stmt.IsNull(0)) {
    return core::Conflict(core::kErrCaseClosed, fmt::format("CME case {} is closed", id));
  }
  return core::OkStatus();
}

Status SqlStore::CloseCmeCase(int64_t id, int64_t at, const std::string& outcome,
                              const std::string& by_name) {
  return Write([&]() -> Status {
    RETURN_IF_ERROR(RequireOpenCase(id));
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("UPDATE cme_cases SET closed_at = ?1, outcome = ?2, "
                                  "closed_by_name = ?3 WHERE id = ?4 AND closed_at IS NULL"));
    stmt.Bind(1, at);
    stmt.Bind(2, outcome);
    stmt.Bind(3, by_name);
    stmt.Bind(4, id);
    return stmt.Run();
  });
}

StatusOr<int64_t> SqlStore::RecordCmeStep(const CmeStepRecord& record) {
  return Write([&]() -> StatusOr<int64_t> {
    RETURN_IF_ERROR(RequireOpenCase(record.case_id));
    ASSIGN_OR_RETURN(
        Statement stmt,
        db_->Prepare("INSERT INTO cme_steps (case_id, step, done_at, by_user_id, "
                     "by_name, by_role, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id"));
    stmt.Bind(1, record.case_id);
    stmt.Bind(2, static_cast<int>(record.step));
    stmt.Bind(3, record.done_at);
    stmt.Bind(4, record.by_user_id);
    stmt.Bind(5, record.by_name);
    stmt.Bind(6, static_cast<int>(record.by_role));
    stmt.Bind(7, record.note);
    return stmt.InsertReturningId();
  });
}

StatusOr<std::vector<CmeStepRecord>> SqlStore::CmeStepsFor(int64_t case_id) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Statement stmt,
                   db_->Prepare("SELECT id, case_id, step, done_at, by_user_id, by_name, by_role, "
                                "note FROM cme_steps WHERE case_id = ?1 ORDER BY id"));
  stmt.Bind(1, case_id);
  std::vector<CmeStepRecord> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    CmeStepRecord r;
    r.id = stmt.Int64(0);
    r.case_id = stmt.Int64(1);
    const int64_t step = stmt.Int64(2);
    if (step < 1 || step > static_cast<int64_t>(core::CmeSteps().size())) {
      return core::Internal(
          core::kErrDbError,
          fmt::format("invalid stored value: cme_steps row {}: step {}", r.id, step));
    }
    r.step = static_cast<core::CmeStep>(step);
    r.done_at = stmt.Int64(3);
    r.by_user_id = stmt.Int64(4);
    r.by_name = stmt.Text(5);
    ASSIGN_OR_RETURN(r.by_role, RoleColumn(stmt, 6));
    r.note = stmt.Text(7);
    out.push_back(std::move(r));
  }
}

// --- Graduated approach ------------------------------------------------------------

StatusOr<int64_t> SqlStore::AddStageRecord(const StageRecord& r) {
  return Write([&]() -> StatusOr<int64_t> {
    RETURN_IF_ERROR(RequirePupil(r.pupil_id));
    ASSIGN_OR_RETURN(
        Statement stmt,
        db_->Prepare(
            "INSERT INTO support_stages (pupil_id, stage, at, reason, "
            "by_user_id, by_name, by_role) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id"));
    stmt.Bind(1, r.pupil_id);
    stmt.Bind(2, static_cast<int>(r.stage));
    stmt.Bind(3, r.at);
    stmt.Bind(4, r.reason);
    stmt.Bind(5, r.by_user_id);
    stmt.Bind(6, r.by_name);
    stmt.Bind(7, static_cast<int>(r.by_role));
    return stmt.InsertReturningId();
  });
}

StatusOr<std::vector<StageRecord>> SqlStore::StageHistory(int64_t pupil_id) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(Statement stmt,
                   db_->Prepare("SELECT id, pupil_id, stage, at, reason, by_user_id, by_name, "
                                "by_role FROM support_stages WHERE pupil_id = ?1 ORDER BY id"));
  stmt.Bind(1, pupil_id);
  std::vector<StageRecord> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    StageRecord r;
    r.id = stmt.Int64(0);
    r.pupil_id = stmt.Int64(1);
    const int64_t stage = stmt.Int64(2);
    if (stage < 1 || stage > 6) {
      return core::Internal(core::kErrDbError,
                            fmt::format("invalid stored value: support stage {}", stage));
    }
    r.stage = static_cast<core::SupportStage>(stage);
    r.at = stmt.Int64(3);
    r.reason = stmt.Text(4);
    r.by_user_id = stmt.Int64(5);
    r.by_name = stmt.Text(6);
    ASSIGN_OR_RETURN(r.by_role, RoleColumn(stmt, 7));
    out.push_back(std::move(r));
  }
}

StatusOr<int64_t> SqlStore::AddSupportEvent(const SupportEvent& e) {
  return Write([&]() -> StatusOr<int64_t> {
    RETURN_IF_ERROR(RequirePupil(e.pupil_id));
    RETURN_IF_ERROR(CheckSupportEvent(e));
    if (e.kind == SupportKind::kReview) {
      ASSIGN_OR_RETURN(Statement plan,
                       db_->Prepare("SELECT 1 FROM support_events WHERE id = ?1 AND pupil_id = ?2 "
                                    "AND kind = ?3"));
      plan.Bind(1, *e.plan_id);
      plan.Bind(2, e.pupil_id);
      plan.Bind(3, SupportKindName(SupportKind::kActionPlan));
      ASSIGN_OR_RETURN(bool found, plan.Step());
      if (!found) {
        return core::NotFound(core::kErrSupportPlan, fmt::format("pupil {} has no action plan {}",
                                                                 e.pupil_id, *e.plan_id));
      }
    }
    ASSIGN_OR_RETURN(
        Statement stmt,
        db_->Prepare("INSERT INTO support_events (pupil_id, kind, held_on, attendees, notes, "
                     "targets, support_offered, review_date, plan_id, outcome, attendance_before, "
                     "attendance_after, at, by_user_id, by_name, by_role) VALUES (?1, ?2, ?3, ?4, "
                     "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) RETURNING id"));
    stmt.Bind(1, e.pupil_id);
    stmt.Bind(2, SupportKindName(e.kind));
    BindDate(stmt, 3, e.held_on);
    stmt.Bind(4, e.attendees);
    stmt.Bind(5, e.notes);
    stmt.Bind(6, e.targets);
    stmt.Bind(7, e.support_offered);
    BindDate(stmt, 8, e.review_date);
    if (e.plan_id) {
      stmt.Bind(9, *e.plan_id);
    } else {
      stmt.BindNull(9);
    }
    stmt.Bind(10, e.outcome ? core::ImprovementOutcomeName(*e.outcome) : "");
    stmt.Bind(11, e.attendance_before);
    stmt.Bind(12, e.attendance_after);
    stmt.Bind(13, e.at);
    stmt.Bind(14, e.by_user_id);
    stmt.Bind(15, e.by_name);
    stmt.Bind(16, static_cast<int>(e.by_role));
    return stmt.InsertReturningId();
  });
}

StatusOr<std::vector<SupportEvent>> SqlStore::SupportEventsFor(int64_t pupil_id) {
  return LoadSupportEvents(pupil_id);
}

StatusOr<std::vector<SupportEvent>> SqlStore::AllSupportEvents() {
  return LoadSupportEvents(std::nullopt);
}

StatusOr<std::vector<SupportEvent>> SqlStore::LoadSupportEvents(std::optional<int64_t> pupil_id) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_->Prepare(fmt::format("SELECT id, pupil_id, kind, held_on, attendees, notes, targets, "
                               "support_offered, review_date, plan_id, outcome, attendance_before, "
                               "attendance_after, at, by_user_id, by_name, by_role FROM "
                               "support_events {} ORDER BY id",
                               pupil_id ? "WHERE pupil_id = ?1" : "")));
  if (pupil_id) stmt.Bind(1, *pupil_id);
  std::vector<SupportEvent> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    SupportEvent e;
    e.id = stmt.Int64(0);
    e.pupil_id = stmt.Int64(1);
    ASSIGN_OR_RETURN(e.kind, NameColumn(stmt, 2, SupportKindFromName, "support kind"));
    ASSIGN_OR_RETURN(e.held_on, DateColumn(stmt, 3));
    e.attendees = stmt.Text(4);
    e.notes = stmt.Text(5);
    e.targets = stmt.Text(6);
    e.support_offered = stmt.Text(7);
    ASSIGN_OR_RETURN(e.review_date, OptionalDateColumn(stmt, 8));
    e.plan_id = stmt.OptionalInt64(9);
    if (!stmt.Text(10).empty()) {
      ASSIGN_OR_RETURN(e.outcome, NameColumn(stmt, 10, core::ImprovementOutcomeFromName,
                                             "support review outcome"));
    }
    e.attendance_before = stmt.Text(11);
    e.attendance_after = stmt.Text(12);
    e.at = stmt.Int64(13);
    e.by_user_id = stmt.Int64(14);
    e.by_name = stmt.Text(15);
    ASSIGN_OR_RETURN(e.by_role, RoleColumn(stmt, 16));
    out.push_back(std::move(e));
  }
}

// --- LA notifications --------------------------------------------------------------

namespace {

// The statuses a notification's event records; due and overdue are worked
// out from the dates (core::LaReturnStatusOn).
bool IsRecordedStatus(core::LaReturnStatus status) {
  return status == core::LaReturnStatus::kSent || status == core::LaReturnStatus::kAcknowledged;
}

}  // namespace

StatusOr<int64_t> SqlStore::AddNotificationEvent(const NotificationEvent& e) {
  if (!IsRecordedStatus(e.status)) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "a notification's status is sent or acknowledged");
  }
  return Write([&]() -> StatusOr<int64_t> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("INSERT INTO la_notification_events (notification, status, at, "
                                  "by_user_id, by_name, by_role, note) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id"));
    stmt.Bind(1, e.notification);
    stmt.Bind(2, core::LaReturnStatusName(e.status));
    stmt.Bind(3, e.at);
    stmt.Bind(4, e.by_user_id);
    stmt.Bind(5, e.by_name);
    stmt.Bind(6, static_cast<int>(e.by_role));
    stmt.Bind(7, e.note);
    return stmt.InsertReturningId();
  });
}

StatusOr<std::vector<NotificationEvent>> SqlStore::NotificationEvents() {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_->Prepare("SELECT id, notification, status, at, by_user_id, by_name, by_role, "
                   "note FROM la_notification_events ORDER BY id"));
  std::vector<NotificationEvent> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    NotificationEvent e;
    e.id = stmt.Int64(0);
    e.notification = stmt.Text(1);
    ASSIGN_OR_RETURN(e.status,
                     NameColumn(stmt, 2, core::LaReturnStatusFromName, "notification status"));
    if (!IsRecordedStatus(e.status)) return BadStoredName("notification status", stmt.Text(2));
    e.at = stmt.Int64(3);
    e.by_user_id = stmt.Int64(4);
    e.by_name = stmt.Text(5);
    ASSIGN_OR_RETURN(e.by_role, RoleColumn(stmt, 6));
    e.note = stmt.Text(7);
    out.push_back(std::move(e));
  }
}

}  // namespace rollcall::store::sql
