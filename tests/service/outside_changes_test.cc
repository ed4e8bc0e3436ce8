// Two server processes on one school, played by two Services over two
// connections to the same database: what one writes, the other sees at its
// next NoticeOutsideWrites (School::ReloadIfWrittenOutside), marks one by
// one and anything else by reading the school again; and nothing of another
// school. The PostgreSQL cases skip unless ROLLCALL_TEST_PG is set (ctest's
// service.postgres runs them under scripts/with-test-postgres).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "service/la_directory.h"
#include "service/records.h"
#include "service/services.h"
#include "store/postgres_test_util.h"
#include "store/store.h"
#include "support/dates.h"
#include "support/fake_clock.h"

namespace rollcall::service {
namespace {

using core::AttendanceCode;
using core::Session;
using rollcall::testing::D;
using rollcall::testing::FakeClock;

const core::SessionKey kMorning{D("2026-11-25"), Session::kAm};

// Fills an empty store with a school of one class, pupils A and B and an
// office account; returns the office's principal.
Principal MakeSchool(store::Store& store, const std::string& name, int64_t* a, int64_t* b) {
  EXPECT_TRUE(store.SetSchool({name, "123456", "909", "primary"}).ok());
  store::Settings settings;
  settings.set_by = "test";
  EXPECT_TRUE(store.SaveSettings(settings).ok());
  EXPECT_TRUE(store.AddTerm({0, "Autumn 2026", D("2026-09-02"), D("2026-12-18")}).ok());
  const int64_t class_id = *store.AddClass({0, "3A", 3, {}});
  auto add = [&](const std::string& upn) {
    store::Pupil p;
    p.upn = upn;
    p.legal_given_name = "Pupil";
    p.legal_family_name = upn.substr(0, 1);
    p.date_of_birth = D("2018-05-01");
    p.sex = "F";
    p.year_group = 3;
    p.class_id = class_id;
    p.enrolments.push_back({D("2026-09-01"), std::nullopt, "", ""});
    core::StatusOr<int64_t> id = store.AddPupil(p);
    EXPECT_TRUE(id.ok()) << id.status().message();
    return id.ok() ? *id : 0;
  };
  *a = add("A909123400001");
  *b = add("B909123400002");
  store::User office;
  office.username = "office";
  office.display_name = "Ms Office";
  office.role = store::Role::kOffice;
  office.password_hash = "not-a-hash";
  office.id = *store.AddUser(office);
  return PrincipalOf(office);
}

// Two processes' worth of services over `writer` and `reader`, both
// checking for outside changes on every call.
class TwoProcesses {
 public:
  TwoProcesses(store::Store& writer, store::Store& reader, const core::Clock& clock)
      : writer_(writer, clock, {.outside_write_check_ms = 0}),
        reader_(reader, clock, {.outside_write_check_ms = 0}) {
    EXPECT_TRUE(writer_.Load().ok());
    EXPECT_TRUE(reader_.Load().ok());
  }
  Services& writer() { return writer_; }
  Services& reader() { return reader_; }

 private:
  Services writer_;
  Services reader_;
};

// The mark `services` holds for `pupil` this morning, as its register shows.
std::optional<AttendanceCode> CodeIn(Services& services, const Principal& office, int64_t pupil) {
  core::StatusOr<RegisterRow> row = services.registers().Row(office, pupil, kMorning);
  EXPECT_TRUE(row.ok()) << row.status().message();
  if (!row.ok() || !row->mark) return std::nullopt;
  return row->mark->code;
}

// The pupil's mark this morning in the school's evaluation as of today,
// which the summaries are computed from.
std::optional<AttendanceCode> EvaluatedCode(Services& services, int64_t pupil) {
  size_t index = 0;
  {
    auto lock = services.school().Read();
    index = services.school().snapshot().pupil_index.at(pupil);
  }
  const Evaluated e = services.school().EvaluatedOn(kMorning.date);
  for (const core::RecordedMark& m : e.scenario->marks.at(index)) {
    if (m.slot == kMorning) return m.code;
  }
  return std::nullopt;
}

core::Status Mark(Services& services, const Principal& office, int64_t pupil,
                  const std::string& code, const std::string& reason = "") {
  MarkRequest m{"2026-11-25", "AM", std::to_string(pupil), code, reason, ""};
  return services.registers().RecordMark(office, m).status();
}

// What every engine must do: a mark written by one process is in the
// other's register at its next check, and so is an amendment of it.
void ExpectMarksFollowed(TwoProcesses& p, const Principal& office, int64_t pupil) {
  ASSERT_EQ(CodeIn(p.reader(), office, pupil), std::nullopt);
  ASSERT_TRUE(Mark(p.writer(), office, pupil, "/").ok());
  EXPECT_EQ(CodeIn(p.reader(), office, pupil), std::nullopt);  // not checked yet
  p.reader().NoticeOutsideWrites();
  EXPECT_EQ(CodeIn(p.reader(), office, pupil), AttendanceCode::kPresentAm);
  EXPECT_EQ(EvaluatedCode(p.reader(), pupil), AttendanceCode::kPresentAm);
  ASSERT_TRUE(Mark(p.writer(), office, pupil, "N", "Left at break").ok());
  p.reader().NoticeOutsideWrites();
  EXPECT_EQ(CodeIn(p.reader(), office, pupil), AttendanceCode::kNoReasonYet);
  // The summaries' cached evaluation is not the one of before the amendment.
  EXPECT_EQ(EvaluatedCode(p.reader(), pupil), AttendanceCode::kNoReasonYet);
}

class OutsideChangesPostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (store::testing::TestPgConninfo().empty()) {
      GTEST_SKIP() << store::testing::kPgSkipReason;
    }
    database_ = std::make_unique<store::testing::PgTestDatabase>();
    writer_store_ = Open("100001");
    reader_store_ = Open("100001");
    ASSERT_TRUE(writer_store_ && reader_store_);
    office_ = MakeSchool(*writer_store_, "Riverside Primary", &a_, &b_);
    p_ = std::make_unique<TwoProcesses>(*writer_store_, *reader_store_, clock_);
  }

  std::unique_ptr<store::Store> Open(const std::string& urn) {
    core::StatusOr<std::unique_ptr<store::Store>> s =
        store::OpenPostgresStore(database_->conninfo(), urn);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(*s) : nullptr;
  }

  // A plain connection scoped to school 100001, as the store scopes its own.
  std::unique_ptr<store::testing::PgConn> Connect() {
    auto conn = std::make_unique<store::testing::PgConn>(database_->conninfo());
    conn->Exec("SELECT set_config('rollcall.school_urn', '100001', false)");
    conn->Exec(
        "SELECT set_config('rollcall.school_id', (SELECT id::text FROM schools WHERE urn = "
        "'100001'), false)");
    return conn;
  }

  FakeClock clock_{D("2026-11-25"), 10 * 60};
  std::unique_ptr<store::testing::PgTestDatabase> database_;
  std::unique_ptr<store::Store> writer_store_, reader_store_;
  std::unique_ptr<TwoProcesses> p_;
  Principal office_;
  int64_t a_ = 0, b_ = 0;
};

TEST_F(OutsideChangesPostgresTest, AMarkAndItsAmendmentAreSeenAtTheNextCheckWithoutAReload) {
  const int64_t reader_version = p_->reader().school().version();
  ExpectMarksFollowed(*p_, office_, a_);
  // Two marks applied one by one; the school was not read again (a reload
  // would have returned true and counted too).
  EXPECT_EQ(p_->reader().school().version(), reader_version + 2);
  EXPECT_FALSE(p_->reader().NoticeOutsideWrites());
  EXPECT_EQ(p_->reader().school().version(), reader_version + 2);
}

TEST_F(OutsideChangesPostgresTest, OwnMarksComingBackChangeNothing) {
  ASSERT_TRUE(Mark(p_->writer(), office_, a_, "/").ok());
  const int64_t version = p_->writer().school().version();
  EXPECT_FALSE(p_->writer().NoticeOutsideWrites());
  EXPECT_FALSE(p_->writer().NoticeOutsideWrites());
  EXPECT_EQ(p_->writer().school().version(), version);
  EXPECT_EQ(CodeIn(p_->writer(), office_, a_), AttendanceCode::kPresentAm);
}

TEST_F(OutsideChangesPostgresTest, ANewPupilReadsTheSchoolAgain) {
  store::Pupil p = *writer_store_->GetPupil(a_);
  p.id = 0;
  p.upn = "C909123400003";
  const int64_t c = *writer_store_->AddPupil(p);
  {
    auto lock = p_->reader().school().Read();
    EXPECT_FALSE(p_->reader().school().snapshot().pupil_index.contains(c));
  }
  EXPECT_TRUE(p_->reader().NoticeOutsideWrites());
  {
    auto lock = p_->reader().school().Read();
    EXPECT_TRUE(p_->reader().school().snapshot().pupil_index.contains(c));
  }
  EXPECT_FALSE(p_->reader().NoticeOutsideWrites());  // once only
}

// The timetable is held in the snapshot: an import elsewhere reads the
// school again; lesson marks, read from the database, never do.
TEST_F(OutsideChangesPostgresTest, ATimetableImportedElsewhereIsReadAgain) {
  store::Timetable t;
  t.week1_monday = D("2026-11-23");
  t.periods = {{.name = "P1", .start_minute = 9 * 60, .end_minute = 10 * 60}};
  t.groups = {{.code = "10X/Ma1", .subject = "Mathematics", .pupil_ids = {a_}}};
  t.lessons = {{.group_id = 0, .cycle_day = 3, .period_id = 0, .room = "M1"}};
  const store::Actor office{1, "Ms Office", store::Role::kOffice};
  ASSERT_TRUE(writer_store_->SetTimetable(t, office, 5).ok());
  {
    auto lock = p_->reader().school().Read();
    EXPECT_TRUE(p_->reader().school().snapshot().timetable.periods.empty());
  }
  EXPECT_TRUE(p_->reader().NoticeOutsideWrites());
  store::Timetable seen;
  {
    auto lock = p_->reader().school().Read();
    seen = p_->reader().school().snapshot().timetable;
  }
  ASSERT_EQ(seen.periods.size(), 1u);
  ASSERT_EQ(seen.groups.size(), 1u);
  EXPECT_EQ(seen.groups[0].pupil_ids, std::vector<int64_t>{a_});
  EXPECT_FALSE(p_->reader().NoticeOutsideWrites());
  ASSERT_TRUE(writer_store_
                  ->SaveLessonMarks({{.pupil_id = a_,
                                      .date = D("2026-11-25"),
                                      .period_id = seen.periods[0].id,
                                      .group_id = seen.groups[0].id,
                                      .code = AttendanceCode::kNoReasonYet}},
                                    office, 6)
                  .ok());
  EXPECT_FALSE(p_->reader().NoticeOutsideWrites());
}

TEST_F(OutsideChangesPostgresTest, AnotherSchoolsWritesAreNeitherSeenNorCounted) {
  std::unique_ptr<store::Store> other = Open("100002");
  ASSERT_TRUE(other);
  int64_t x = 0, y = 0;
  const Principal other_office = MakeSchool(*other, "Hillside Primary", &x, &y);
  Services elsewhere(*other, clock_, {.outside_write_check_ms = 0});
  ASSERT_TRUE(elsewhere.Load().ok());
  const int64_t version = p_->reader().school().version();
  ASSERT_TRUE(Mark(elsewhere, other_office, x, "/").ok());
  EXPECT_FALSE(p_->reader().NoticeOutsideWrites());
  EXPECT_EQ(p_->reader().school().version(), version);
  EXPECT_EQ(CodeIn(elsewhere, other_office, x), AttendanceCode::kPresentAm);
}

TEST_F(OutsideChangesPostgresTest, AWriteCommittedAfterACheckThatItOverlappedIsSeenLater) {
  // A transaction on a third connection writes B's mark and stays open
  // while the writer commits A's and the reader checks, so the reader has
  // seen a newer transaction than the open one: the open one is still
  // followed once it commits.
  std::unique_ptr<store::testing::PgConn> third = Connect();
  third->Exec("BEGIN");
  third->Exec(
      fmt::format("INSERT INTO marks (pupil_id, date, session, code, recorded_at, recorded_by) "
                  "VALUES ({}, '2026-11-25', 1, {}, 0, 0)",
                  b_, static_cast<int>(AttendanceCode::kPresentAm)));
  ASSERT_TRUE(Mark(p_->writer(), office_, a_, "/").ok());
  p_->reader().NoticeOutsideWrites();
  EXPECT_EQ(CodeIn(p_->reader(), office_, a_), AttendanceCode::kPresentAm);
  EXPECT_EQ(CodeIn(p_->reader(), office_, b_), std::nullopt);
  third->Exec("COMMIT");
  p_->reader().NoticeOutsideWrites();
  EXPECT_EQ(CodeIn(p_->reader(), office_, b_), AttendanceCode::kPresentAm);
}

TEST(OutsideChangesSqliteTest, AMarkAndItsAmendmentAreSeenAtTheNextCheck) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / fmt::format("rollcall-outside-changes-{}", ::getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string file = (dir / "school.db").string();
  {
    core::StatusOr<std::unique_ptr<store::Store>> writer = store::OpenSqliteStore(file);
    core::StatusOr<std::unique_ptr<store::Store>> reader = store::OpenSqliteStore(file);
    ASSERT_TRUE(writer.ok() && reader.ok());
    int64_t a = 0, b = 0;
    const Principal office = MakeSchool(**writer, "Riverside Primary", &a, &b);
    FakeClock clock(D("2026-11-25"), 10 * 60);
    TwoProcesses p(**writer, **reader, clock);
    ExpectMarksFollowed(p, office, a);
  }
  fs::remove_all(dir);
}

TEST(OutsideChangesSqliteTest, LaViewsFollowAChangedSchoolAfterFiveSecondsNotAMinute) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / fmt::format("rollcall-outside-changes-la-{}", ::getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string file = (dir / "school.db").string();
  {
    core::StatusOr<std::unique_ptr<store::Store>> writer = store::OpenSqliteStore(file);
    core::StatusOr<std::unique_ptr<store::Store>> reader = store::OpenSqliteStore(file);
    ASSERT_TRUE(writer.ok() && reader.ok());
    int64_t a = 0, b = 0;
    MakeSchool(**writer, "Riverside Primary", &a, &b);
    LaDirectory directory({reader->get()});
    const core::Date today = D("2026-11-25");
    auto built_at = [&](int64_t now) -> int64_t {
      core::StatusOr<std::shared_ptr<const LaSnapshot>> s = directory.Snapshot(today, now);
      EXPECT_TRUE(s.ok()) << s.status().message();
      return s.ok() ? (*s)->computed_at : -1;
    };
    EXPECT_EQ(built_at(1000), 1000);
    EXPECT_EQ(built_at(1010), 1000);  // nothing changed: kept
    const store::Actor actor{0, "test", store::Role::kOffice};
    ASSERT_TRUE((*writer)->SaveMarks({{a, kMorning, AttendanceCode::kPresentAm}}, actor, 0).ok());
    EXPECT_EQ(built_at(1012), 1012);  // changed: rebuilt
    ASSERT_TRUE((*writer)->SaveMarks({{b, kMorning, AttendanceCode::kPresentAm}}, actor, 0).ok());
    EXPECT_EQ(built_at(1015), 1012);  // changed, but built under five seconds ago...
    EXPECT_EQ(built_at(1017), 1017);  // ...then rebuilt
    EXPECT_EQ(built_at(1070), 1017);  // nothing changed since
    EXPECT_EQ(built_at(1077), 1077);  // a minute on, rebuilt in any case
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace rollcall::service
