// The one store suite, continued (instantiated for every backend in
// store_test.cc): the purge removes what its cut-offs reach except the
// records of pupils on hold, logs each kind, and changes nothing on an
// unknown kind; retention changes and settings. Then, on SQLite alone, the
// triggers: the append-only tables refuse every ordinary DELETE, and only a
// transaction holding the purge's permit may delete.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error_codes.h"
#include "raw_sqlite.h"
#include "store/store.h"
#include "store_test_util.h"

namespace rollcall::store {
namespace {

using testing::Am;
using testing::D;
using testing::kAt;
using testing::kOffice;
using testing::RawDb;
using testing::StoreTest;
using testing::Write;

// Noon UTC on 7 January 2019, and the first second of 2020.
constexpr int64_t kOld = 1'546'862'400;
constexpr int64_t kNewYear2020 = 1'577'836'800;

std::vector<PurgeCutoff> Cutoffs() {
  return {{.kind = "marks", .before = D("2020-01-01"), .before_at = kNewYear2020},
          {.kind = "mark_amendments", .before = D("2020-01-01"), .before_at = kNewYear2020}};
}

TEST_P(StoreTest, ThePurgeRemovesWhatItsCutoffsReachExceptThoseHeldAndLogsIt) {
  const int64_t p = AddTestPupil("A000000000001");
  const int64_t q = AddTestPupil("B000000000002");
  ASSERT_OK(store().SaveMarks({Write(p, Am("2019-01-07"), core::AttendanceCode::kPresentAm),
                               Write(q, Am("2019-01-07"), core::AttendanceCode::kPresentAm)},
                              kOffice, kOld));
  ASSERT_OK(store().SaveMarks({Write(p, Am("2025-09-08"), core::AttendanceCode::kPresentAm)},
                              kOffice, kAt));
  ASSERT_OK(store().OpenCmeCase({.pupil_id = q, .first_day = D("2025-09-08"), .opened_at = kAt}));
  ASSERT_OK_AND_ASSIGN(std::vector<PurgeHold> holds, store().ListPurgeHolds());
  ASSERT_EQ(holds.size(), 1u);
  EXPECT_EQ(holds[0].pupil_id, q);
  EXPECT_EQ(holds[0].reason, "open CME case");

  ASSERT_OK_AND_ASSIGN(std::vector<PurgeCount> counted, store().CountPurge(Cutoffs()));
  ASSERT_EQ(counted.size(), 2u);
  EXPECT_EQ(counted[0].kind, "marks");
  EXPECT_EQ(counted[0].rows, 1);
  EXPECT_EQ(counted[0].held, 1);
  EXPECT_EQ(counted[1].rows, 1);
  EXPECT_EQ(counted[1].held, 1);
  EXPECT_EQ(store().MarksForPupil(p)->size(), 2u);  // counting changed nothing

  // An unknown kind: refused before anything is removed.
  std::vector<PurgeCutoff> bad = Cutoffs();
  bad.push_back({.kind = "minutes", .before = D("2020-01-01"), .before_at = kNewYear2020});
  EXPECT_ERROR(store().Purge(bad, kAt, "Mrs Head"), core::ErrorKind::kInvalidArgument,
               core::kErrValueInvalid);
  EXPECT_ERROR(store().Purge(Cutoffs(), kAt, ""), core::ErrorKind::kInvalidArgument,
               core::kErrValueInvalid);
  EXPECT_EQ(store().MarksForPupil(p)->size(), 2u);

  ASSERT_OK_AND_ASSIGN(std::vector<PurgeCount> purged,
                       store().Purge(Cutoffs(), kAt + 60, "Mrs Head"));
  ASSERT_EQ(purged.size(), 2u);
  EXPECT_EQ(purged[0].rows, 1);
  ASSERT_OK_AND_ASSIGN(std::vector<Mark> left, store().MarksForPupil(p));
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].slot, Am("2025-09-08"));
  ASSERT_OK_AND_ASSIGN(std::vector<Amendment> audit, store().AmendmentsForPupil(p));
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].slot, Am("2025-09-08"));
  EXPECT_EQ(store().MarksForPupil(q)->size(), 1u);
  EXPECT_EQ(store().AmendmentsForPupil(q)->size(), 1u);

  ASSERT_OK_AND_ASSIGN(std::vector<PurgeLogEntry> log, store().ListPurgeLog(10));
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].kind, "mark_amendments");  // newest first
  EXPECT_EQ(log[1].kind, "marks");
  EXPECT_EQ(log[1].rows, 1);
  EXPECT_EQ(log[1].held, 1);
  EXPECT_EQ(log[1].up_to, D("2020-01-01"));
  EXPECT_EQ(log[1].at, kAt + 60);
  EXPECT_EQ(log[1].by, "Mrs Head");

  // The same purge again removes nothing and says so.
  ASSERT_OK_AND_ASSIGN(purged, store().Purge(Cutoffs(), kAt + 120, "scheduled"));
  EXPECT_EQ(purged[0].rows, 0);
  EXPECT_EQ(store().ListPurgeLog(10)->size(), 4u);
}

// A letter goes with its posting date; a message delivered (or given up)
// goes with its attempts; one still queued stays whatever its age.
TEST_P(StoreTest, ThePurgeTakesLettersAndFinishedMessagesWithWhatHangsOffThem) {
  const int64_t p = AddTestPupil("A000000000001");
  ASSERT_OK_AND_ASSIGN(std::vector<int64_t> letters,
                       store().AddLetters({{.pupil_id = p,
                                            .template_key = "certificate",
                                            .addressee = "Mrs A Khan",
                                            .subject = "100% attendance",
                                            .body = "Well done.",
                                            .figures_json = "{}",
                                            .at = kOld,
                                            .by_name = "Ms Office"}}));
  ASSERT_OK(store().RecordLettersPosted(letters, D("2019-01-08"), kOld, 7, "Ms Office"));
  auto message = [](const std::string& key) {
    return OutboxMessage{.channel = "webhook",
                         .idempotency_key = key,
                         .subscription_id = 1,
                         .event_kind = "mark.amended",
                         .destination = "https://example.org/hook",
                         .payload = "{}",
                         .next_attempt_at = kOld,
                         .created_at = kOld};
  };
  ASSERT_OK(store().FanOut({}, {message("sent"), message("waiting")}));
  ASSERT_OK_AND_ASSIGN(std::vector<OutboxMessage> claimed,
                       store().ClaimDueOutbox("webhook", kOld, kOld + 60, 10));
  ASSERT_EQ(claimed.size(), 2u);
  const int64_t sent = claimed[0].idempotency_key == "sent" ? claimed[0].id : claimed[1].id;
  const int64_t waiting = claimed[0].idempotency_key == "sent" ? claimed[1].id : claimed[0].id;
  ASSERT_OK(store().RecordOutboxAttempt({.outbox_id = sent, .at = kOld, .status = 200},
                                        {.state = OutboxState::kDelivered}));
  ASSERT_OK(store().ReleaseOutbox(waiting, kOld + 100));

  const std::vector<PurgeCutoff> cutoffs = {
      {.kind = "letters", .before = D("2020-01-01"), .before_at = kNewYear2020},
      {.kind = "messages", .before = D("2020-01-01"), .before_at = kNewYear2020}};
  ASSERT_OK_AND_ASSIGN(std::vector<PurgeCount> purged, store().Purge(cutoffs, kAt, "Mrs Head"));
  ASSERT_EQ(purged.size(), 2u);
  EXPECT_EQ(purged[0].rows, 1);
  EXPECT_EQ(purged[1].rows, 1);
  EXPECT_TRUE(store().LettersForPupil(p)->empty());
  ASSERT_OK_AND_ASSIGN(std::vector<OutboxMessage> left, store().ListOutbox(std::nullopt, 10));
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].id, waiting);
  EXPECT_TRUE(store().OutboxAttemptsFor(sent)->empty());
}

TEST_P(StoreTest, RetentionChangesAndSettingsAreVersioned) {
  EXPECT_ERROR(store().AddRetentionChange({.kind = "marks", .months = 71, .reason = "x"}),
               core::ErrorKind::kInvalidArgument, core::kErrValueInvalid);
  EXPECT_ERROR(store().AddRetentionChange({.kind = "letters", .months = 0, .reason = "x"}),
               core::ErrorKind::kInvalidArgument, core::kErrValueInvalid);
  EXPECT_ERROR(store().AddRetentionChange({.kind = "letters", .months = 12, .reason = ""}),
               core::ErrorKind::kInvalidArgument, core::kErrValueInvalid);
  EXPECT_ERROR(store().AddRetentionChange({.kind = "diaries", .months = 12, .reason = "x"}),
               core::ErrorKind::kInvalidArgument, core::kErrValueInvalid);
  ASSERT_OK(store().AddRetentionChange({.kind = "letters",
                                        .months = 36,
                                        .basis = RetentionBasis::kLeft,
                                        .reason = "policy",
                                        .set_at = kAt,
                                        .set_by = "Mrs Head"}));
  ASSERT_OK_AND_ASSIGN(std::vector<RetentionChange> changes, store().ListRetentionChanges());
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].kind, "letters");
  EXPECT_EQ(changes[0].months, 36);
  EXPECT_EQ(changes[0].basis, RetentionBasis::kLeft);
  EXPECT_EQ(changes[0].reason, "policy");
  EXPECT_EQ(changes[0].set_by, "Mrs Head");

  ASSERT_OK_AND_ASSIGN(RetentionSettings none, store().GetRetentionSettings());
  EXPECT_EQ(none.version, 0);
  EXPECT_FALSE(none.auto_purge);
  ASSERT_OK_AND_ASSIGN(int64_t v, store().SaveRetentionSettings(
                                      {.auto_purge = true, .set_at = kAt, .set_by = "Mrs Head"}));
  EXPECT_EQ(v, 1);
  ASSERT_OK_AND_ASSIGN(RetentionSettings on, store().GetRetentionSettings());
  EXPECT_EQ(on.version, 1);
  EXPECT_TRUE(on.auto_purge);
  EXPECT_EQ(on.set_by, "Mrs Head");
}

// The append-only tables refuse an ordinary DELETE; inside a transaction
// holding the purge's permit one passes; a committed database never holds a
// permit; the purge log itself is append-only.
TEST(SqlitePurgeTriggerTest, OnlyAPurgeInProgressMayDeleteFromAppendOnlyTables) {
  const std::string path = testing::TempDatabasePath();
  int64_t pupil = 0;
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> store, OpenSqliteStore(path));
    Pupil p;
    p.upn = "A000000000001";
    ASSERT_OK_AND_ASSIGN(pupil, store->AddPupil(p));
    ASSERT_OK(store->SaveMarks({Write(pupil, Am("2019-01-07"), core::AttendanceCode::kPresentAm)},
                               kOffice, kOld));
    ContactLogEntry e;
    e.pupil_id = pupil;
    e.at = kOld;
    e.contact_name = "Mother";
    ASSERT_OK(store->AddContactLogEntry(e));
  }
  {
    RawDb raw(path);
    std::string error;
    for (const char* table : {"mark_audit", "contact_log", "letters", "letter_postings",
                              "admission_changes", "outbox_attempts", "medical_evidence"}) {
      // Each table's delete trigger lets only a purge in progress through.
      EXPECT_NE(raw.QueryText(fmt::format("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                                          "AND name = '{}_no_delete'",
                                          table))
                    .find("NOT EXISTS (SELECT 1 FROM purge_permits)"),
                std::string::npos)
          << table;
      // A trigger fires per row: the tables this test filled refuse at once.
      if (raw.QueryText(fmt::format("SELECT COUNT(*) FROM {}", table)) == "0") continue;
      EXPECT_EQ(raw.Exec(fmt::format("DELETE FROM {}", table), &error), SQLITE_CONSTRAINT) << table;
      EXPECT_EQ(error, fmt::format("{} is append-only", table));
    }
    EXPECT_EQ(raw.QueryText("SELECT COUNT(*) FROM contact_log"), "1");
    EXPECT_EQ(raw.QueryText("SELECT COUNT(*) FROM mark_audit"), "1");
    // Updates stay refused even during a purge.
    EXPECT_EQ(raw.Exec("BEGIN; INSERT INTO purge_permits (started_at) VALUES (1)"), SQLITE_OK);
    EXPECT_EQ(raw.Exec("UPDATE mark_audit SET reason = 'x'", &error), SQLITE_CONSTRAINT);
    EXPECT_EQ(raw.Exec("DELETE FROM mark_audit"), SQLITE_OK);
    EXPECT_EQ(raw.Exec("ROLLBACK"), SQLITE_OK);
    EXPECT_EQ(raw.QueryText("SELECT COUNT(*) FROM mark_audit"), "1");
  }
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> store, OpenSqliteStore(path));
    ASSERT_OK(store->Purge(
        {{.kind = "mark_amendments", .before = D("2020-01-01"), .before_at = kNewYear2020},
         {.kind = "contact_log", .before = D("2020-01-01"), .before_at = kNewYear2020}},
        kAt, "Mrs Head"));
  }
  RawDb raw(path);
  EXPECT_EQ(raw.QueryText("SELECT COUNT(*) FROM mark_audit"), "0");
  EXPECT_EQ(raw.QueryText("SELECT COUNT(*) FROM contact_log"), "0");
  EXPECT_EQ(raw.QueryText("SELECT COUNT(*) FROM purge_permits"), "0");
  std::string error;
  EXPECT_EQ(raw.Exec("DELETE FROM purge_log", &error), SQLITE_CONSTRAINT);
  EXPECT_EQ(error, "purge_log is append-only");
  EXPECT_EQ(raw.Exec("UPDATE purge_log SET row_count = 0", &error), SQLITE_CONSTRAINT);
  EXPECT_EQ(raw.QueryText("SELECT group_concat(kind || '=' || row_count) FROM purge_log"),
            "mark_amendments=1,contact_log=1");
  testing::RemoveDatabase(path);
}

}  // namespace
}  // namespace rollcall::store
