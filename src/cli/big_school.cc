// big_school.cc: a big school in an SQLite file (big_school.h).
#include "cli/big_school.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <vector>

#include "core/codes.h"
#include "core/error_codes.h"
#include "core/uk_time.h"
#include "core/upn.h"
#include "store/store.h"

namespace rollcall::cli {
namespace {

using core::Status;
using core::StatusOr;

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct Finalize {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using Db = std::unique_ptr<sqlite3, CloseDb>;
using Stmt = std::unique_ptr<sqlite3_stmt, Finalize>;

Status SqliteError(sqlite3* db, std::string_view doing) {
  return core::Unavailable(core::kErrDbError, fmt::format("{}: {}", doing, sqlite3_errmsg(db)));
}

Status Exec(sqlite3* db, const char* sql) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return SqliteError(db, sql);
  }
  return core::OkStatus();
}

StatusOr<Stmt> Prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr) != SQLITE_OK) {
    return SqliteError(db, "preparing the bulk insert");
  }
  return Stmt(raw);
}

// Runs a bound statement and resets it for the next row.
Status Step(sqlite3* db, sqlite3_stmt* stmt) {
  const int rc = sqlite3_step(stmt);
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE) return SqliteError(db, "writing the big school");
  return core::OkStatus();
}

// A school day's time, in UK local time, as Unix seconds.
int64_t At(core::Date day, int minute) { return core::UkUnixSeconds(day, minute); }

}  // namespace

StatusOr<BigSchool> BuildBigSchool(const std::string& path, const BigSchoolOptions& options) {
  if (options.pupils < 1 || options.pupils > 100000) {
    return core::InvalidArgument(core::kErrValueInvalid, "pupils is 1 to 100000");
  }
  if (options.years < 1 || options.years > 20) {
    return core::InvalidArgument(core::kErrValueInvalid, "years is 1 to 20");
  }
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("{} is already there: give a new file", path));
  }
  BigSchool out;
  out.today =
      options.today == core::Date::FromDays(0) ? *core::Date::FromYmd(2026, 12, 4) : options.today;
  const int first_year = out.today.year() - options.years;
  out.first_day = *core::Date::FromYmd(first_year, 9, 1);
  const core::Date first_leaving = *core::Date::FromYmd(first_year + 1, 7, 20);

  // The school, its terms and pupils, as the store writes them.
  std::vector<store::Term> terms;
  std::vector<int64_t> ids;
  {
    ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenSqliteStore(path));
    RETURN_IF_ERROR(store->SetSchool({"Big Primary", "999998", "909", "primary", "1235"}));
    store::Settings settings;
    settings.set_by = "bench";
    RETURN_IF_ERROR(store->SaveSettings(settings).status());
    for (int y = first_year; y <= out.today.year(); ++y) {
      store::Term t{0, fmt::format("{}/{}", y, (y + 1) % 100), *core::Date::FromYmd(y, 9, 1),
                    *core::Date::FromYmd(y + 1, 7, 20)};
      RETURN_IF_ERROR(store->AddTerm(t).status());
      terms.push_back(t);
    }
    std::vector<store::Pupil> pupils;
    for (int64_t i = 0; i < options.pupils; ++i) {
      store::Pupil p;
      p.upn = core::UpnWithCheckLetter(fmt::format("909124{:06}", i));
      p.legal_given_name = fmt::format("Pupil{}", i);
      p.legal_family_name = "Big";
      p.date_of_birth = *core::Date::FromYmd(first_year - 5, 5, 1);
      p.sex = i % 2 == 0 ? "F" : "M";
      p.year_group = static_cast<int>(1 + i % 6);
      store::Enrolment e{out.first_day, std::nullopt, "", ""};
      if (options.leaver_every > 0 && i % options.leaver_every == 1) {
        e.end = first_leaving;
        e.deletion_ground = "a";  // registered at another school
        e.destination = "Another School";
        ++out.leavers;
      }
      p.enrolments.push_back(e);
      store::Contact mother;
      mother.priority = 1;
      mother.name = fmt::format("Mother {}", i);
      mother.relationship = "Mother";
      mother.phone = fmt::format("07700 9{:05}", i % 100000);
      mother.parental_responsibility = true;
      p.contacts = {mother};
      pupils.push_back(std::move(p));
    }
    ASSIGN_OR_RETURN(ids, store->SavePupils({}, pupils, {0, "bench", store::Role::kHead},
                                            At(out.first_day, 8 * 60), "admitted"));
    out.pupils = static_cast<int64_t>(ids.size());
  }

  // The school days: weekdays in term, before today.
  std::vector<core::Date> days;
  for (const store::Term& t : terms) {
    for (core::Date d = t.start; d <= t.end && d < out.today; d = d.AddDays(1)) {
      if (d.weekday() < core::Weekday::kSaturday) days.push_back(d);
    }
  }
  out.school_days = static_cast<int>(days.size());

  // The marks, amendments and contacts, straight into the tables.
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    Db failed(raw);
    return SqliteError(raw, "opening " + path);
  }
  Db db(raw);
  RETURN_IF_ERROR(Exec(db.get(), "PRAGMA foreign_keys = ON; BEGIN IMMEDIATE"));
  ASSIGN_OR_RETURN(Stmt mark, Prepare(db.get(),
                                      "INSERT INTO marks (pupil_id, date, session, code, "
                                      "arrival_minute, recorded_at, recorded_by) VALUES (?1, ?2, "
                                      "?3, ?4, NULL, ?5, 0)"));
  ASSIGN_OR_RETURN(Stmt audit,
                   Prepare(db.get(),
                           "INSERT INTO mark_audit (pupil_id, date, session, old_code, "
                           "old_arrival_minute, new_code, new_arrival_minute, reason, at, "
                           "by_user_id, by_name, by_role) VALUES (?1, ?2, 1, ?3, NULL, ?4, NULL, "
                           "'Parent rang: ill', ?5, 0, 'Office', 2)"));
  ASSIGN_OR_RETURN(Stmt contact, Prepare(db.get(),
                                         "INSERT INTO contact_log (pupil_id, at, method, "
                                         "contact_name, outcome, note, by_user_id, by_name, "
                                         "by_role) VALUES (?1, ?2, 'call', ?3, 'spoke', 'Ill "
                                         "today', 0, 'Office', 2)"));
  const int present_am = static_cast<int>(core::AttendanceCode::kPresentAm);
  const int present_pm = static_cast<int>(core::AttendanceCode::kPresentPm);
  const int no_reason = static_cast<int>(core::AttendanceCode::kNoReasonYet);
  const int illness = static_cast<int>(core::AttendanceCode::kIllness);
  for (size_t i = 0; i < ids.size(); ++i) {
    const int64_t id = ids[i];
    const bool leaver =
        options.leaver_every > 0 && static_cast<int64_t>(i) % options.leaver_every == 1;
    for (size_t n = 0; n < days.size(); ++n) {
      const core::Date d = days[n];
      if (leaver && d > first_leaving) break;
      const std::string date = d.ToString();
      // Spread each pupil's amended days so every date has some.
      const bool amended = options.amend_every_days > 0 &&
                           (static_cast<int64_t>(n) + id) % options.amend_every_days == 0;
      for (int session = 1; session <= 2; ++session) {
        const int code = amended ? illness : session == 1 ? present_am : present_pm;
        sqlite3_bind_int64(mark.get(), 1, id);
        sqlite3_bind_text(mark.get(), 2, date.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(mark.get(), 3, session);
        sqlite3_bind_int(mark.get(), 4, code);
        sqlite3_bind_int64(mark.get(), 5, At(d, session == 1 ? 9 * 60 : 13 * 60 + 15));
        RETURN_IF_ERROR(Step(db.get(), mark.get()));
        ++out.marks;
      }
      if (!amended) continue;
      sqlite3_bind_int64(audit.get(), 1, id);
      sqlite3_bind_text(audit.get(), 2, date.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int(audit.get(), 3, no_reason);
      sqlite3_bind_int(audit.get(), 4, illness);
      sqlite3_bind_int64(audit.get(), 5, At(d, 10 * 60));
      RETURN_IF_ERROR(Step(db.get(), audit.get()));
      ++out.amendments;
      sqlite3_bind_int64(contact.get(), 1, id);
      sqlite3_bind_int64(contact.get(), 2, At(d, 9 * 60 + 45));
      const std::string who = fmt::format("Mother {}", i);
      sqlite3_bind_text(contact.get(), 3, who.c_str(), -1, SQLITE_TRANSIENT);
      RETURN_IF_ERROR(Step(db.get(), contact.get()));
      ++out.contacts;
    }
  }
  mark.reset();
  audit.reset();
  contact.reset();
  RETURN_IF_ERROR(Exec(db.get(), "COMMIT"));
  return out;
}

}  // namespace rollcall::cli
