// The one store suite, continued (instantiated for both backends in
// store_test.cc): absence reports.
#include <gtest/gtest.h>

#include "core/error_codes.h"
#include "store/store.h"
#include "store_test_util.h"

namespace rollcall::store {
namespace {

using core::ErrorKind;
using testing::D;
using testing::Dump;
using testing::StoreTest;

using testing::kAt;

AbsenceReport Report(int64_t pupil_id, const char* from, const char* to, int64_t reported_at,
                     std::string reason = "illness") {
  AbsenceReport r;
  r.pupil_id = pupil_id;
  r.from = D(from);
  r.to = D(to);
  r.reason = std::move(reason);
  r.reported_at = reported_at;
  r.reported_by = 11;
  r.reported_by_name = "Mrs Parent";
  return r;
}

std::vector<int64_t> Ids(const std::vector<AbsenceReport>& reports) {
  std::vector<int64_t> ids;
  for (const AbsenceReport& r : reports) ids.push_back(r.id);
  return ids;
}

TEST_P(StoreTest, AbsenceReportRoundTripsEveryFieldAndStartsOpen) {
  const int64_t p1 = AddTestPupil("A000000000001");
  AbsenceReport report = Report(p1, "2025-09-08", "2025-09-10", kAt, "Chickenpox: doctor's note");
  report.id = 99;  // ignored: ids are assigned
  ASSERT_OK_AND_ASSIGN(int64_t id, store().AddAbsenceReport(report));
  EXPECT_EQ(id, 1);
  ASSERT_OK_AND_ASSIGN(int64_t second,
                       store().AddAbsenceReport(Report(p1, "2025-09-15", "2025-09-15", kAt + 1)));
  EXPECT_EQ(second, 2);

  ASSERT_OK_AND_ASSIGN(std::vector<AbsenceReport> reports, store().ListAbsenceReports(false));
  ASSERT_EQ(reports.size(), 2u);
  AbsenceReport expected = report;
  expected.id = 1;
  EXPECT_EQ(Dump(reports[1]), Dump(expected));
  EXPECT_FALSE(reports[1].resolved_at.has_value());
  EXPECT_EQ(reports[1].resolved_by, 0);
  EXPECT_EQ(reports[1].resolution, "");
}

TEST_P(StoreTest, AbsenceReportsAreNewestFirstWithTiesByIdNewestFirst) {
  const int64_t p1 = AddTestPupil("A000000000001");
  const int64_t p2 = AddTestPupil("A000000000002");
  // Reported out of order: ids 1..4 have times kAt+10, kAt, kAt+10, kAt+20.
  for (const AbsenceReport& r : {Report(p1, "2025-09-08", "2025-09-08", kAt + 10),
                                 Report(p2, "2025-09-09", "2025-09-09", kAt),
                                 Report(p2, "2025-09-10", "2025-09-11", kAt + 10),
                                 Report(p1, "2025-09-12", "2025-09-12", kAt + 20)}) {
    ASSERT_OK(store().AddAbsenceReport(r));
  }
  ASSERT_OK_AND_ASSIGN(std::vector<AbsenceReport> all, store().ListAbsenceReports(false));
  EXPECT_EQ(Ids(all), (std::vector<int64_t>{4, 3, 1, 2}));
  ASSERT_OK_AND_ASSIGN(std::vector<AbsenceReport> open, store().ListAbsenceReports(true));
  EXPECT_EQ(Ids(open), (std::vector<int64_t>{4, 3, 1, 2}));
}

TEST_P(StoreTest, OpenOnlyListsUnresolvedReports) {
  const int64_t p1 = AddTestPupil("A000000000001");
  for (int i = 0; i < 4; ++i) {
    ASSERT_OK(store().AddAbsenceReport(Report(p1, "2025-09-08", "2025-09-08", kAt + i)));
  }
  ASSERT_OK(store().ResolveAbsenceReport(2, kAt + 100, 7, "coded I"));
  ASSERT_OK(store().ResolveAbsenceReport(4, kAt + 101, 7, "coded M"));
  ASSERT_OK_AND_ASSIGN(std::vector<AbsenceReport> open, store().ListAbsenceReports(true));
  EXPECT_EQ(Ids(open), (std::vector<int64_t>{3, 1}));
  for (const AbsenceReport& r : open) EXPECT_FALSE(r.resolved_at.has_value());
  ASSERT_OK_AND_ASSIGN(std::vector<AbsenceReport> all, store().ListAbsenceReports(false));
  EXPECT_EQ(Ids(all), (std::vector<int64_t>{4, 3, 2, 1}));
}

TEST_P(StoreTest, ResolvingSetsTheResolutionAndKeepsTheReport) {
  const int64_t p1 = AddTestPupil("A000000000001");
  const AbsenceReport report = Report(p1, "2025-09-08", "2025-09-09", kAt, "dentist");
  ASSERT_OK_AND_ASSIGN(int64_t id, store().AddAbsenceReport(report));
  ASSERT_OK(store().ResolveAbsenceReport(id, kAt + 3600, 7, "Coded M for both days"));

  ASSERT_OK_AND_ASSIGN(std::vector<AbsenceReport> reports, store().ListAbsenceReports(false));
  AbsenceReport expected = report;
  expected.id = id;
  expected.resolved_at = kAt + 3600;
  expected.resolved_by = 7;
  expected.resolution = "Coded M for both days";
  EXPECT_EQ(Dump(reports), Dump(std::vector<AbsenceReport>{expected}));
}

TEST_P(StoreTest, ResolvingTwiceIsAConflictAndTheFirstResolutionStands) {
  const int64_t p1 = AddTestPupil("A000000000001");
  ASSERT_OK_AND_ASSIGN(int64_t id,
                       store().AddAbsenceReport(Report(p1, "2025-09-08", "2025-09-08", kAt)));
  ASSERT_OK(store().ResolveAbsenceReport(id, kAt + 60, 7, "first"));
  EXPECT_ERROR(store().ResolveAbsenceReport(id, kAt + 120, 8, "second"), ErrorKind::kConflict,
               core::kErrReportResolved);
  ASSERT_OK_AND_ASSIGN(std::vector<AbsenceReport> reports, store().ListAbsenceReports(false));
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].resolved_at, kAt + 60);
  EXPECT_EQ(reports[0].resolved_by, 7);
  EXPECT_EQ(reports[0].resolution, "first");
}

TEST_P(StoreTest, ResolvingAnUnknownReportIsNotFound) {
  EXPECT_ERROR(store().ResolveAbsenceReport(1, kAt, 7, "x"), ErrorKind::kNotFound,
               core::kErrReportUnknown);
  const int64_t p1 = AddTestPupil("A000000000001");
  ASSERT_OK(store().AddAbsenceReport(Report(p1, "2025-09-08", "2025-09-08", kAt)));
  for (int64_t id : {int64_t{0}, int64_t{2}, int64_t{-1}}) {
    EXPECT_ERROR(store().ResolveAbsenceReport(id, kAt, 7, "x"), ErrorKind::kNotFound,
                 core::kErrReportUnknown);
  }
  ASSERT_OK_AND_ASSIGN(std::vector<AbsenceReport> open, store().ListAbsenceReports(true));
  EXPECT_EQ(Ids(open), (std::vector<int64_t>{1}));
}

TEST_P(StoreTest, AReportForAnUnknownPupilIsNotFoundAndNothingIsWritten) {
  EXPECT_ERROR(store().AddAbsenceReport(Report(1, "2025-09-08", "2025-09-08", kAt)),
               ErrorKind::kNotFound, core::kErrPupilUnknown);
  const int64_t p1 = AddTestPupil("A000000000001");
  EXPECT_ERROR(store().AddAbsenceReport(Report(p1 + 1, "2025-09-08", "2025-09-08", kAt)),
               ErrorKind::kNotFound, core::kErrPupilUnknown);
  ASSERT_OK_AND_ASSIGN(std::vector<AbsenceReport> reports, store().ListAbsenceReports(false));
  EXPECT_TRUE(reports.empty());
  // The failed adds used no ids.
  ASSERT_OK_AND_ASSIGN(int64_t id,
                       store().AddAbsenceReport(Report(p1, "2025-09-08", "2025-09-08", kAt)));
  EXPECT_EQ(id, 1);
}

TEST_P(StoreTest, AReportEndingBeforeItStartsIsRefusedByTheSchema) {
  const int64_t p1 = AddTestPupil("A000000000001");
  EXPECT_ERROR(store().AddAbsenceReport(Report(p1, "2025-09-09", "2025-09-08", kAt)),
               ErrorKind::kInternal, core::kErrDbError);
  ASSERT_OK_AND_ASSIGN(std::vector<AbsenceReport> reports, store().ListAbsenceReports(false));
  EXPECT_TRUE(reports.empty());
}

TEST_P(StoreTest, ANewReportIsOpenWhateverItsResolutionFieldsSay) {
  const int64_t p1 = AddTestPupil("A000000000001");
  AbsenceReport report = Report(p1, "2025-09-08", "2025-09-08", kAt);
  report.resolved_at = kAt;
  report.resolved_by = 7;
  report.resolution = "pre-filled";
  ASSERT_OK(store().AddAbsenceReport(report));
  ASSERT_OK_AND_ASSIGN(std::vector<AbsenceReport> open, store().ListAbsenceReports(true));
  ASSERT_EQ(open.size(), 1u);
  EXPECT_FALSE(open[0].resolved_at.has_value());
  EXPECT_EQ(open[0].resolved_by, 0);
  EXPECT_EQ(open[0].resolution, "");
}

}  // namespace
}  // namespace rollcall::store
