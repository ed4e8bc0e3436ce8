// Tests of the PostgreSQL store alone: schools kept apart in one database
// (by the store and by row-level security underneath it), the LA officers'
// read-only view, the schema's append-only tables, and clean errors for bad
// connection strings and roles. Behaviour shared with the other stores is
// tested once, in store_test.cc. Skipped unless ROLLCALL_TEST_PG is set
// (scripts/with-test-postgres sets it).
#include <gtest/gtest.h>

#include <string>

#include "core/error_codes.h"
#include "store/postgres_db.h"
#include "store/store.h"
#include "store_test_util.h"

namespace rollcall::store {
namespace {

using core::AttendanceCode;
using core::ErrorKind;
using testing::Am;
using testing::D;
using testing::Dump;
using testing::kOffice;
using testing::PgConn;
using testing::PgTestDatabase;
using testing::Write;

TEST(PostgresPlaceholdersTest, NumberedParametersBecomeDollarsOutsideQuotesAndComments) {
  int params = 0;
  EXPECT_EQ(postgres::TranslatePlaceholders(
                "SELECT '?1', \"?2\", ?3 -- ?4\n, 'it''s ?5', ?10 FROM t WHERE a = ?1", &params),
            "SELECT '?1', \"?2\", $3 -- ?4\n, 'it''s ?5', $10 FROM t WHERE a = $1");
  EXPECT_EQ(params, 10);
  EXPECT_EQ(postgres::TranslatePlaceholders("SELECT 1", &params), "SELECT 1");
  EXPECT_EQ(params, 0);
}

TEST(PostgresOpenTest, AnUnreachableServerIsOneClearError) {
  core::StatusOr<std::unique_ptr<Store>> store =
      OpenPostgresStore("host=/nonexistent-rollcall-dir port=1 connect_timeout=2", "100001");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().kind(), ErrorKind::kUnavailable);
  EXPECT_EQ(store.status().code(), core::kErrDbOpen);
  EXPECT_NE(store.status().message().find("cannot connect to PostgreSQL"), std::string::npos);
  EXPECT_EQ(store.status().message().find('\n'), std::string::npos) << store.status().message();

  store = OpenPostgresStore("this is not a conninfo", "100001");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), core::kErrDbOpen);
  EXPECT_TRUE(IsPostgresUri("postgresql://u@h/db"));
  EXPECT_TRUE(IsPostgresUri("postgres://h/db"));
  EXPECT_FALSE(IsPostgresUri("school.db"));
}

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::TestPgConninfo().empty()) GTEST_SKIP() << testing::kPgSkipReason;
    database_ = std::make_unique<PgTestDatabase>();
  }

  std::unique_ptr<Store> Open(const std::string& urn) {
    core::StatusOr<std::unique_ptr<Store>> store = OpenPostgresStore(conninfo(), urn);
    EXPECT_TRUE(store.ok()) << testing::Describe(store.status());
    return store.ok() ? std::move(*store) : nullptr;
  }

  const std::string& conninfo() const { return database_->conninfo(); }

  static int64_t AddPupil(Store& store, const std::string& upn) {
    Pupil p;
    p.upn = upn;
    p.legal_given_name = "Given " + upn;
    p.legal_family_name = "Family";
    p.date_of_birth = D("2016-05-01");
    p.sex = "F";
    p.year_group = 4;
    core::StatusOr<int64_t> id = store.AddPupil(p);
    EXPECT_TRUE(id.ok()) << testing::Describe(id.status());
    return id.ok() ? *id : 0;
  }

  static std::vector<std::string> Upns(Store& store) {
    std::vector<std::string> upns;
    core::StatusOr<std::vector<Pupil>> pupils = store.ListPupils();
    EXPECT_TRUE(pupils.ok()) << testing::Describe(pupils.status());
    if (pupils.ok()) {
      for (const Pupil& p : *pupils) upns.push_back(p.upn);
    }
    return upns;
  }

  std::unique_ptr<PgTestDatabase> database_;
};

TEST_F(PostgresStoreTest, ASchoolSeesAndChangesOnlyItsOwnRows) {
  std::unique_ptr<Store> a = Open("100001");
  std::unique_ptr<Store> b = Open("100002");
  ASSERT_TRUE(a && b);
  ASSERT_OK(a->SetSchool({"Oak Primary", "100001", "909", "primary"}));
  const int64_t pupil = AddPupil(*a, "A000000000001");
  User teacher{0, "alex", "Alex", Role::kTeacher, "h", "", true, {}, {}};
  ASSERT_OK_AND_ASSIGN(const int64_t user, a->AddUser(teacher));
  ASSERT_OK(
      a->SaveMarks({Write(pupil, Am("2025-09-08"), AttendanceCode::kNoReasonYet)}, kOffice, 5));
  ASSERT_OK(a->SaveSettings(Settings{}).status());

  // B sees nothing of A.
  EXPECT_ERROR(b->GetSchool(), ErrorKind::kNotFound, core::kErrSchoolUnset);
  EXPECT_TRUE(Upns(*b).empty());
  ASSERT_OK_AND_ASSIGN(std::vector<User> users, b->ListUsers());
  EXPECT_TRUE(users.empty());
  ASSERT_OK_AND_ASSIGN(std::vector<Mark> marks, b->AllMarks());
  EXPECT_TRUE(marks.empty());
  ASSERT_OK_AND_ASSIGN(int64_t amendments, b->CountAmendments());
  EXPECT_EQ(amendments, 0);
  EXPECT_ERROR(b->GetSettings(), ErrorKind::kNotFound, core::kErrSchoolUnset);
  EXPECT_ERROR(b->GetPupil(pupil), ErrorKind::kNotFound, core::kErrPupilUnknown);
  EXPECT_ERROR(b->FindUserByName("alex"), ErrorKind::kNotFound, core::kErrUserUnknown);

  // ... and can change nothing of A's, nor point at it.
  Pupil renamed;
  renamed.id = pupil;
  renamed.upn = "B000000000001";
  EXPECT_ERROR(b->UpdatePupil(renamed), ErrorKind::kNotFound, core::kErrPupilUnknown);
  EXPECT_ERROR(
      b->SaveMarks({Write(pupil, Am("2025-09-09"), AttendanceCode::kPresentAm)}, kOffice, 6),
      ErrorKind::kNotFound, core::kErrPupilUnknown);
  EXPECT_ERROR(b->CreateAuthSession({"t", user, "c", 1, 2}), ErrorKind::kNotFound,
               core::kErrUserUnknown);
  EXPECT_ERROR(b->AddClass({0, "4B", 4, {user}}), ErrorKind::kNotFound, core::kErrUserUnknown);

  // Usernames and UPNs are unique within a school, not across schools.
  ASSERT_OK(b->AddUser(teacher).status());
  AddPupil(*b, "A000000000001");
  ASSERT_OK_AND_ASSIGN(Pupil still, a->GetPupil(pupil));
  EXPECT_EQ(still.upn, "A000000000001");
  EXPECT_EQ(Upns(*a), std::vector<std::string>{"A000000000001"});
  ASSERT_OK_AND_ASSIGN(marks, a->AllMarks());
  EXPECT_EQ(marks.size(), 1u);

  // Reopening a school finds its rows again.
  a.reset();
  a = Open("100001");
  ASSERT_OK_AND_ASSIGN(School school, a->GetSchool());
  EXPECT_EQ(school.name, "Oak Primary");
}

TEST_F(PostgresStoreTest, RowLevelSecurityKeepsSchoolsApartBelowTheStore) {
  std::unique_ptr<Store> a = Open("100001");
  std::unique_ptr<Store> b = Open("100002");
  ASSERT_TRUE(a && b);
  const int64_t pupil = AddPupil(*a, "A000000000001");
  AddPupil(*b, "B000000000001");
  PgConn raw(conninfo());
  const std::string a_id = raw.Exec("SELECT id FROM schools WHERE urn = '100001'");
  EXPECT_EQ(a_id, "") << "with no school set, the registry shows nothing";
  EXPECT_EQ(raw.Exec("SELECT count(*) FROM pupils"), "0") << "nor any school's rows";

  raw.Exec("SELECT set_config('rollcall.school_urn', '100002', false)");
  const std::string b_id = raw.Exec("SELECT id FROM schools");
  raw.Exec("SELECT set_config('rollcall.school_id', '" + b_id + "', false)");
  EXPECT_EQ(raw.Exec("SELECT count(*) FROM pupils"), "1");
  EXPECT_EQ(raw.Exec("SELECT count(*) FROM schools"), "1");
  raw.Exec("UPDATE pupils SET sex = 'M'");
  raw.Exec("DELETE FROM contacts");
  std::string error;
  raw.Exec(fmt::format("INSERT INTO pupils (school_id, upn, legal_given_name, legal_family_name, "
                       "preferred_given_name, preferred_family_name, date_of_birth, sex, "
                       "year_group) SELECT id, 'X', '', '', '', '', '2016-01-01', 'F', 4 "
                       "FROM schools WHERE id <> {}",
                       b_id),
           &error);
  EXPECT_EQ(raw.Exec("SELECT count(*) FROM pupils"), "1") << error;
  // A mark of B's cannot name A's pupil: the key is (school_id, pupil_id).
  raw.Exec(fmt::format("INSERT INTO marks (pupil_id, date, session, code, recorded_at, "
                       "recorded_by) VALUES ({}, '2025-09-08', 1, 1, 0, 0)",
                       pupil),
           &error);
  EXPECT_NE(error.find("foreign key"), std::string::npos) << error;
  ASSERT_OK_AND_ASSIGN(Pupil untouched, a->GetPupil(pupil));
  EXPECT_EQ(untouched.sex, "F");
}

TEST_F(PostgresStoreTest, AnLaOfficerReadsOnlyTheSchoolsOfTheirLa) {
  std::unique_ptr<Store> a = Open("100001");
  std::unique_ptr<Store> b = Open("100002");
  std::unique_ptr<Store> c = Open("100003");
  ASSERT_TRUE(a && b && c);
  ASSERT_OK(a->SetSchool({"Oak", "100001", "909", "primary"}));
  ASSERT_OK(b->SetSchool({"Ash", "100002", "909", "secondary"}));
  ASSERT_OK(c->SetSchool({"Elm", "100003", "910", "primary"}));
  AddPupil(*a, "A000000000001");
  AddPupil(*b, "B000000000001");
  AddPupil(*c, "C000000000001");

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> la, OpenPostgresLaView(conninfo(), "909"));
  EXPECT_EQ(Upns(*la), (std::vector<std::string>{"A000000000001", "B000000000001"}));
  EXPECT_ERROR(la->AddPupil(Pupil{}), ErrorKind::kPermissionDenied, core::kErrDbError);
  EXPECT_ERROR(la->SetSchool({"Oak", "100001", "910", "primary"}), ErrorKind::kPermissionDenied,
               core::kErrDbError);

  // A school that moves LA leaves the view.
  ASSERT_OK(b->SetSchool({"Ash", "100002", "910", "secondary"}));
  EXPECT_EQ(Upns(*la), (std::vector<std::string>{"A000000000001"}));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> other, OpenPostgresLaView(conninfo(), "999"));
  EXPECT_TRUE(Upns(*other).empty());
  EXPECT_ERROR(OpenPostgresLaView(conninfo(), "").status(), ErrorKind::kInvalidArgument,
               core::kErrValueInvalid);
  EXPECT_ERROR(OpenPostgresStore(conninfo(), "x' OR '1'='1").status(), ErrorKind::kInvalidArgument,
               core::kErrValueInvalid);
}

TEST_F(PostgresStoreTest, EveryTableBelongsToASchoolUnderForcedRowLevelSecurity) {
  PgConn raw(conninfo());
  EXPECT_EQ(raw.Exec("SELECT string_agg(c.relname, ', ') FROM pg_class c "
                     "WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace "
                     "AND c.relname NOT IN ('schools', 'schema_migrations') AND NOT EXISTS "
                     "(SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid "
                     "AND a.attname = 'school_id' AND a.attnotnull)"),
            "")
      << "tables without a school_id";
  EXPECT_EQ(raw.Exec("SELECT string_agg(c.relname, ', ') FROM pg_class c "
                     "WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace "
                     "AND c.relname <> 'schema_migrations' AND (NOT c.relrowsecurity "
                     "OR NOT c.relforcerowsecurity OR (SELECT count(*) FROM pg_policy p "
                     "WHERE p.polrelid = c.oid) < 3)"),
            "")
      << "tables without forced row-level security and its policies";
  EXPECT_EQ(raw.Exec("SELECT max(version) FROM schema_migrations"), "37");
}

TEST_F(PostgresStoreTest, AppendOnlyTablesRefuseUpdateAndDelete) {
  std::unique_ptr<Store> a = Open("100001");
  ASSERT_TRUE(a);
  const int64_t pupil = AddPupil(*a, "A000000000001");
  ASSERT_OK(
      a->SaveMarks({Write(pupil, Am("2025-09-08"), AttendanceCode::kNoReasonYet)}, kOffice, 5));
  PgConn raw(conninfo());
  raw.Exec("SELECT set_config('rollcall.school_urn', '100001', false)");
  raw.Exec("SELECT set_config('rollcall.school_id', (SELECT id::text FROM schools), false)");
  std::string error;
  raw.Exec("UPDATE mark_audit SET reason = 'edited'", &error);
  EXPECT_NE(error.find("mark_audit is append-only"), std::string::npos) << error;
  raw.Exec("DELETE FROM mark_audit", &error);
  EXPECT_NE(error.find("mark_audit is append-only"), std::string::npos) << error;
  // API tokens are revoked, never deleted, as in SQLite.
  User head{0, "head", "Mrs Head", Role::kHead, "h", "", true, {}, {}};
  ASSERT_OK_AND_ASSIGN(const int64_t head_id, a->AddUser(head));
  ASSERT_OK(a->AddApiToken({.name = "MIS sync",
                            .scopes = "write:marks",
                            .token_hash = "h1",
                            .created_by_user_id = head_id,
                            .created_by_name = "Mrs Head",
                            .created_at = 5,
                            .expires_at = 86405})
                .status());
  raw.Exec("DELETE FROM api_tokens", &error);
  EXPECT_NE(error.find("api_tokens is append-only"), std::string::npos) << error;
  raw.Exec("UPDATE pupils SET date_of_birth = '2016-02-30'", &error);
  EXPECT_NE(error.find("check constraint"), std::string::npos) << error;
  ASSERT_OK_AND_ASSIGN(int64_t amendments, a->CountAmendments());
  EXPECT_EQ(amendments, 1);
}

TEST_F(PostgresStoreTest, ConcurrentWritersToOneSchoolQueueAndLoseNothing) {
  std::unique_ptr<Store> a = Open("100001");
  std::unique_ptr<Store> again = Open("100001");
  ASSERT_TRUE(a && again);
  for (int i = 0; i < 5; ++i) {
    ASSERT_OK(a->SaveSettings(Settings{}).status());
    ASSERT_OK(again->SaveSettings(Settings{}).status());
  }
  ASSERT_OK_AND_ASSIGN(std::vector<Settings> history, a->SettingsHistory());
  ASSERT_EQ(history.size(), 10u);
  EXPECT_EQ(history.back().version, 10);
}

}  // namespace
}  // namespace rollcall::store
