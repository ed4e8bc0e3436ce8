// Store::ChangesSince on PostgreSQL (migration 0033): marks followed row by
// row by the transaction that wrote them, every other change of the school
// counted, another school's changes neither. Skipped unless
// ROLLCALL_TEST_PG is set (ctest's store.postgres sets it).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "postgres_test_util.h"
#include "store/store.h"
#include "store_test_util.h"

namespace rollcall::store {
namespace {

using core::AttendanceCode;
using testing::Am;
using testing::kOffice;
using testing::PgConn;
using testing::PgTestDatabase;
using testing::Write;

class PostgresChangesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::TestPgConninfo().empty()) GTEST_SKIP() << testing::kPgSkipReason;
    database_ = std::make_unique<PgTestDatabase>();
    writer_ = Open("100001");
    reader_ = Open("100001");
    ASSERT_TRUE(writer_ && reader_);
    ASSERT_OK(writer_->SetSchool({"Oak Primary", "100001", "909", "primary"}));
    pupil_ = AddPupil(*writer_, "A000000000001");
  }

  std::unique_ptr<Store> Open(const std::string& urn) {
    core::StatusOr<std::unique_ptr<Store>> store = OpenPostgresStore(database_->conninfo(), urn);
    EXPECT_TRUE(store.ok()) << testing::Describe(store.status());
    return store.ok() ? std::move(*store) : nullptr;
  }

  static int64_t AddPupil(Store& store, const std::string& upn) {
    Pupil p;
    p.upn = upn;
    p.legal_given_name = "Given";
    p.legal_family_name = "Family";
    p.date_of_birth = testing::D("2016-05-01");
    p.sex = "F";
    p.year_group = 4;
    core::StatusOr<int64_t> id = store.AddPupil(p);
    EXPECT_TRUE(id.ok()) << testing::Describe(id.status());
    return id.ok() ? *id : 0;
  }

  // The reader's cursor as a School takes it before reading the school.
  ChangeCursor Start() {
    core::StatusOr<OutsideChanges> start = reader_->ChangesSince(ChangeCursor{});
    EXPECT_TRUE(start.ok()) << testing::Describe(start.status());
    if (!start.ok()) return {};
    EXPECT_TRUE(start->reload);  // nothing read yet
    EXPECT_TRUE(start->marks.empty());
    return start->next;
  }

  std::unique_ptr<PgTestDatabase> database_;
  std::unique_ptr<Store> writer_, reader_;
  int64_t pupil_ = 0;
};

TEST_F(PostgresChangesTest, MarksComeBackAsStoredAndAnythingElseAsAReload) {
  const ChangeCursor start = Start();
  ASSERT_OK_AND_ASSIGN(OutsideChanges none, reader_->ChangesSince(start));
  EXPECT_FALSE(none.reload);
  EXPECT_TRUE(none.marks.empty());

  ASSERT_OK(writer_->SaveMarks({Write(pupil_, Am("2025-09-08"), AttendanceCode::kPresentAm)},
                               kOffice, 5));
  ASSERT_OK_AND_ASSIGN(OutsideChanges first, reader_->ChangesSince(none.next));
  EXPECT_FALSE(first.reload);
  ASSERT_EQ(first.marks.size(), 1u);
  EXPECT_EQ(first.marks[0].pupil_id, pupil_);
  EXPECT_EQ(first.marks[0].code, AttendanceCode::kPresentAm);

  // An amendment (an UPDATE of the row) comes back with its new code.
  ASSERT_OK(writer_->SaveMarks(
      {Write(pupil_, Am("2025-09-08"), AttendanceCode::kNoReasonYet, std::nullopt, "Left early")},
      kOffice, 6));
  ASSERT_OK_AND_ASSIGN(OutsideChanges amended, reader_->ChangesSince(first.next));
  EXPECT_FALSE(amended.reload);
  ASSERT_EQ(amended.marks.size(), 1u);  // the one row, as it now stands
  EXPECT_EQ(amended.marks[0].code, AttendanceCode::kNoReasonYet);

  AddPupil(*writer_, "A000000000002");
  ASSERT_OK_AND_ASSIGN(OutsideChanges pupil, reader_->ChangesSince(amended.next));
  EXPECT_TRUE(pupil.reload);
  ASSERT_OK_AND_ASSIGN(OutsideChanges after, reader_->ChangesSince(pupil.next));
  EXPECT_FALSE(after.reload);
}

TEST_F(PostgresChangesTest, AnotherSchoolsChangesAreNotSeen) {
  std::unique_ptr<Store> other = Open("100002");
  ASSERT_TRUE(other);
  const ChangeCursor start = Start();
  ASSERT_OK(other->SetSchool({"Elm Primary", "100002", "909", "primary"}));
  const int64_t theirs = AddPupil(*other, "B000000000001");
  ASSERT_OK(
      other->SaveMarks({Write(theirs, Am("2025-09-08"), AttendanceCode::kPresentAm)}, kOffice, 5));
  ASSERT_OK_AND_ASSIGN(OutsideChanges changes, reader_->ChangesSince(start));
  EXPECT_FALSE(changes.reload);
  EXPECT_TRUE(changes.marks.empty());
}

TEST_F(PostgresChangesTest, AMarkCommittedAfterACheckItOverlappedIsReadNextTime) {
  const ChangeCursor start = Start();
  const int64_t second = AddPupil(*writer_, "A000000000002");
  ASSERT_OK_AND_ASSIGN(OutsideChanges reloaded, reader_->ChangesSince(start));
  ASSERT_TRUE(reloaded.reload);
  PgConn third(database_->conninfo());
  third.Exec("SELECT set_config('rollcall.school_urn', '100001', false)");
  third.Exec(
      "SELECT set_config('rollcall.school_id', (SELECT id::text FROM schools WHERE urn = "
      "'100001'), false)");
  third.Exec("BEGIN");
  third.Exec(
      "INSERT INTO marks (pupil_id, date, session, code, recorded_at, recorded_by) "
      "VALUES (" +
      std::to_string(second) + ", '2025-09-08', 1, 1, 0, 0)");
  // A later transaction commits a mark while the first is still open.
  ASSERT_OK(writer_->SaveMarks({Write(pupil_, Am("2025-09-08"), AttendanceCode::kPresentAm)},
                               kOffice, 5));
  ASSERT_OK_AND_ASSIGN(OutsideChanges seen, reader_->ChangesSince(reloaded.next));
  ASSERT_EQ(seen.marks.size(), 1u);
  EXPECT_EQ(seen.marks[0].pupil_id, pupil_);
  third.Exec("COMMIT");
  ASSERT_OK_AND_ASSIGN(OutsideChanges later, reader_->ChangesSince(seen.next));
  bool found = false;
  for (const Mark& m : later.marks) found = found || m.pupil_id == second;
  EXPECT_TRUE(found) << "the mark committed after the check was not read";
}

}  // namespace
}  // namespace rollcall::store
