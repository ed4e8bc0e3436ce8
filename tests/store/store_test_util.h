// store_test_util.h
//
// Helpers for the store tests: status assertions, dates from ISO text,
// temporary database files, and Dump() functions that print every field of
// the store's structs so that a round trip is checked field by field with a
// readable diff.
#pragma once

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <ostream>
#include <string>
#include <system_error>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "postgres_test_util.h"
#include "store/store.h"

namespace rollcall::store::testing {

// A fixed moment for the times stores record: 2025-09-08 08:00 UTC.
inline constexpr int64_t kAt = 1'757'318'400;

inline const core::Status& StatusOf(const core::Status& status) { return status; }
template <typename T>
core::Status StatusOf(const core::StatusOr<T>& result) {
  return result.status();
}

inline std::string Describe(const core::Status& status) {
  if (status.ok()) return "OK";
  return fmt::format("[{}] {}: {}", static_cast<int>(status.kind()), status.code(),
                     status.message());
}

#define ASSERT_OK(expr)                                                                     \
  do {                                                                                      \
    const ::rollcall::core::Status assert_ok_ = ::rollcall::store::testing::StatusOf(expr); \
    ASSERT_TRUE(assert_ok_.ok()) << ::rollcall::store::testing::Describe(assert_ok_);       \
  } while (false)

#define ASSERT_OK_AND_ASSIGN(decl, expr) \
  ASSERT_OK_AND_ASSIGN_IMPL(ROLLCALL_CONCAT(assert_or_, __LINE__), decl, expr)
#define ASSERT_OK_AND_ASSIGN_IMPL(tmp, decl, expr)                             \
  auto tmp = (expr);                                                           \
  ASSERT_TRUE(tmp.ok()) << ::rollcall::store::testing::Describe(tmp.status()); \
  decl = std::move(tmp).value()

// Expects an error of `kind` with machine code `code`.
#define EXPECT_ERROR(expr, error_kind, error_code)                                             \
  do {                                                                                         \
    const ::rollcall::core::Status expect_error_ = ::rollcall::store::testing::StatusOf(expr); \
    EXPECT_FALSE(expect_error_.ok());                                                          \
    if (!expect_error_.ok()) {                                                                 \
      EXPECT_EQ(expect_error_.kind(), error_kind)                                              \
          << ::rollcall::store::testing::Describe(expect_error_);                              \
      EXPECT_EQ(expect_error_.code(), error_code) << expect_error_.message();                  \
    }                                                                                          \
  } while (false)

inline core::Date D(const char* iso) {
  std::optional<core::Date> date = core::Date::Parse(iso);
  EXPECT_TRUE(date.has_value()) << iso;
  return date.value_or(core::Date());
}

inline core::SessionKey Am(const char* iso) { return {D(iso), core::Session::kAm}; }
inline core::SessionKey Pm(const char* iso) { return {D(iso), core::Session::kPm}; }

// A path for a database file that does not exist yet, unique to this process
// and test; RemoveDatabase() deletes it with its -wal and -shm companions.
inline std::string TempDatabasePath(std::string_view tag = "") {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name =
      info != nullptr ? fmt::format("{}_{}", info->test_suite_name(), info->name()) : "store";
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     fmt::format("rollcall_{}_{}{}.db", getpid(), name, tag);
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
  return path.string();
}

inline void RemoveDatabase(const std::string& path) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path + suffix, ignored);
  }
}

// --- Dumps: every field, so EXPECT_EQ(Dump(a), Dump(b)) is a full comparison.

template <typename T>
std::string Opt(const std::optional<T>& value) {
  if (!value) return "null";
  if constexpr (std::is_same_v<T, core::Date>) {
    return value->ToString();
  } else if constexpr (std::is_same_v<T, core::AttendanceCode>) {
    return fmt::format("{}", static_cast<int>(*value));
  } else {
    return fmt::format("{}", *value);
  }
}

inline std::string Slot(core::SessionKey slot) {
  return fmt::format("{} {}", slot.date.ToString(), core::SessionName(slot.session));
}

inline std::string Dump(const School& s) {
  return fmt::format("School{{{}|{}|{}|{}|{}|{}|{}}}", s.name, s.urn, s.la_code, s.phase,
                     s.establishment_number, s.address, s.postcode);
}

inline std::string Dump(const Settings& s) {
  return fmt::format(
      "Settings{{v{} am={} pm={} close={} opens_before={}/{} policy={} target={} share={}@{} "
      "idle={} rewards_exclude_medical={} at={} by={}}}",
      s.version, s.am_start_minute, s.pm_start_minute, s.register_close_minutes,
      s.am_opens_before_minutes, s.pm_opens_before_minutes, s.policy_json, s.target_attendance_pct,
      s.share_destination, s.share_minute, s.session_idle_minutes, s.rewards_exclude_medical,
      s.set_at, s.set_by);
}

inline std::string Dump(const Term& t) {
  return fmt::format("Term{{{} {} {}..{}}}", t.id, t.name, t.start.ToString(), t.end.ToString());
}

inline std::string Dump(const Closure& c) {
  return fmt::format("Closure{{{} {} {}}}", c.date.ToString(), static_cast<int>(c.sessions),
                     c.reason);
}

inline std::string Dump(const Class& c) {
  return fmt::format("Class{{{} {} y{} teachers=[{}]}}", c.id, c.name, c.year_group,
                     fmt::join(c.teacher_ids, ","));
}

inline std::string Dump(const CohortFlag& f) {
  return fmt::format("{}:{}..{}", f.flag, f.from.ToString(), Opt(f.to));
}

inline std::string Dump(const Enrolment& e) {
  return fmt::format("{}..{} ground={} dest={}", e.start.ToString(), Opt(e.end), e.deletion_ground,
                     e.destination);
}

inline std::string Dump(const Contact& c) {
  return fmt::format("{}:{}|{}|{}|{}|user={}|pr={}|{}|{}|{}|lives={}|emergency={}|{}|confirmed={}",
                     c.priority, c.name, c.relationship, c.phone, c.email, Opt(c.user_id),
                     c.parental_responsibility, c.salutation, c.address, c.postcode, c.lives_with,
                     c.emergency, c.other_phone, c.confirmed_on ? c.confirmed_on->ToString() : "-");
}

std::string Dump(const Pupil& p);
std::string Dump(const User& u);
std::string Dump(const Mark& m);
std::string Dump(const Amendment& a);
std::string Dump(const AuthSession& s);
std::string Dump(const AbsenceReport& r);
std::string Dump(const Invite& i);

template <typename T>
std::string Dump(const std::vector<T>& items) {
  std::string out = "[";
  for (const T& item : items) out += Dump(item) + "; ";
  return out + "]";
}

inline std::string Dump(const Pupil& p) {
  return fmt::format(
      "Pupil{{{} upn={} legal={} {} preferred={} {} dob={} sex={} y{} class={} flags={} "
      "enrolments={} contacts={} boarder={} previous={}}}",
      p.id, p.upn, p.legal_given_name, p.legal_family_name, p.preferred_given_name,
      p.preferred_family_name, p.date_of_birth.ToString(), p.sex, p.year_group, Opt(p.class_id),
      Dump(p.flags), Dump(p.enrolments), Dump(p.contacts), p.boarder, p.previous_school);
}

inline std::string Dump(const User& u) {
  return fmt::format("User{{{} {} {} role={} hash={} la={} active={} classes=[{}] pupils=[{}]}}",
                     u.id, u.username, u.display_name, RoleName(u.role), u.password_hash, u.la_code,
                     u.active, fmt::join(u.class_ids, ","), fmt::join(u.pupil_ids, ","));
}

inline std::string Dump(const Mark& m) {
  return fmt::format("Mark{{{} {} code={} arrival={} at={} by={}}}", m.pupil_id, Slot(m.slot),
                     static_cast<int>(m.code), Opt(m.arrival_minute), m.recorded_at, m.recorded_by);
}

inline std::string Dump(const Amendment& a) {
  return fmt::format("Amendment{{{} pupil={} {} old={}/{} new={}/{} reason={} at={} by={} {} {}}}",
                     a.id, a.pupil_id, Slot(a.slot), Opt(a.old_code), Opt(a.old_arrival_minute),
                     static_cast<int>(a.new_code), Opt(a.new_arrival_minute), a.reason, a.at,
                     a.by_user_id, a.by_name, RoleName(a.by_role));
}

inline std::string Dump(const AuthSession& s) {
  return fmt::format("AuthSession{{{} user={} csrf={} {}..{} seen={}}}", s.token_hash, s.user_id,
                     s.csrf_token, s.created_at, s.expires_at, s.last_seen_at);
}

inline std::string Dump(const Invite& i) {
  return fmt::format("Invite{{{} user={} {} {}..{} by={} used={} ended={}}}", i.id, i.user_id,
                     i.token_hash, i.created_at, i.expires_at, i.created_by, Opt(i.used_at),
                     Opt(i.ended_at));
}

inline std::string Dump(const AbsenceReport& r) {
  return fmt::format(
      "AbsenceReport{{{} pupil={} {}..{} reason={} at={} by={} {} resolved={} by={} {}}}", r.id,
      r.pupil_id, r.from.ToString(), r.to.ToString(), r.reason, r.reported_at, r.reported_by,
      r.reported_by_name, Opt(r.resolved_at), r.resolved_by, r.resolution);
}

// --- The fixture of the one suite (store_test.cc, store_marks_test.cc, ...) ------

enum class Backend { kMemory, kSqlite, kPostgres };
inline const char* BackendName(Backend backend) {
  switch (backend) {
    case Backend::kMemory:
      return "Memory";
    case Backend::kSqlite:
      return "Sqlite";
    case Backend::kPostgres:
      return "Postgres";
  }
  return "?";
}
inline void PrintTo(Backend backend, std::ostream* os) { *os << BackendName(backend); }

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kMemory) {
      store_ = NewMemoryStore();
      return;
    }
    if (GetParam() == Backend::kPostgres) {
      if (TestPgConninfo().empty()) GTEST_SKIP() << kPgSkipReason;
      pg_database_ = std::make_unique<PgTestDatabase>();
      ASSERT_OK_AND_ASSIGN(store_, OpenPostgresStore(pg_database_->conninfo(), "100001"));
      return;
    }
    path_ = TempDatabasePath();
    ASSERT_OK_AND_ASSIGN(store_, OpenSqliteStore(path_));
  }

  void TearDown() override {
    store_.reset();
    pg_database_.reset();
    if (!path_.empty()) RemoveDatabase(path_);
  }

  Store& store() { return *store_; }

  int64_t AddTestPupil(const std::string& upn, std::optional<int64_t> class_id = std::nullopt) {
    Pupil p;
    p.upn = upn;
    p.legal_given_name = "Given " + upn;
    p.legal_family_name = "Family";
    p.date_of_birth = D("2016-05-01");
    p.sex = "F";
    p.year_group = 4;
    p.class_id = class_id;
    core::StatusOr<int64_t> id = store().AddPupil(p);
    EXPECT_TRUE(id.ok()) << Describe(id.status());
    return id.ok() ? *id : 0;
  }

  int64_t AddTestUser(const std::string& username, Role role = Role::kTeacher) {
    User u;
    u.username = username;
    u.display_name = "Name of " + username;
    u.role = role;
    u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
    core::StatusOr<int64_t> id = store().AddUser(u);
    EXPECT_TRUE(id.ok()) << Describe(id.status());
    return id.ok() ? *id : 0;
  }

  std::string path_;
  std::unique_ptr<PgTestDatabase> pg_database_;
  std::unique_ptr<Store> store_;
};

inline const Actor kOffice{.user_id = 7, .name = "Ms Office", .role = Role::kOffice};

inline MarkWrite Write(int64_t pupil_id, core::SessionKey slot, core::AttendanceCode code,
                       std::optional<int> arrival = std::nullopt, std::string reason = "") {
  return MarkWrite{pupil_id, slot, code, arrival, std::move(reason)};
}

// The error code of a failed call, or "" when it succeeded.
template <typename T>
std::string CodeOf(const T& result) {
  const core::Status s = result.status();
  return s.ok() ? std::string() : s.code();
}

}  // namespace rollcall::store::testing
