// The one store suite, continued (instantiated for every backend in
// store_test.cc): every pupil's attendance at previous schools in one
// academic year, read at once for the early warning's "last year".
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/store.h"
#include "store_test_util.h"

namespace rollcall::store {
namespace {

using testing::kOffice;
using testing::StoreTest;

PreviousAttendance Row(int64_t pupil_id, int year, std::string estab, int64_t possible,
                       int64_t authorised, int64_t unauthorised) {
  PreviousAttendance a;
  a.pupil_id = pupil_id;
  a.academic_year = year;
  a.lea = "855";
  a.estab = std::move(estab);
  a.school_name = "Elm School";
  a.possible = possible;
  a.authorised = authorised;
  a.unauthorised = unauthorised;
  a.attended = possible - authorised - unauthorised;
  return a;
}

TEST_P(StoreTest, PreviousAttendanceInYearReadsEveryPupilsRowsOfThatYear) {
  const int64_t a = AddTestPupil("A123456789012");
  const int64_t b = AddTestPupil("B123456789012");
  AddTestPupil("C123456789012");  // no transfer file
  ASSERT_OK(store()
                .ImportTransfer({}, {},
                                {Row(b, 2025, "3002", 120, 6, 4), Row(a, 2025, "2001", 300, 20, 10),
                                 Row(b, 2025, "2001", 180, 9, 0), Row(a, 2024, "2001", 310, 5, 0)},
                                kOffice, 100, "Imported from ctf.xml")
                .status());
  ASSERT_OK_AND_ASSIGN(std::vector<PreviousAttendance> rows,
                       store().PreviousAttendanceInYear(2025));
  // By pupil, then LA and establishment; 2024's row is not among them.
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].pupil_id, a);
  EXPECT_EQ(rows[0].possible, 300);
  EXPECT_EQ(rows[0].authorised, 20);
  EXPECT_EQ(rows[0].unauthorised, 10);
  EXPECT_EQ(rows[1].pupil_id, b);
  EXPECT_EQ(rows[1].estab, "2001");
  EXPECT_EQ(rows[1].possible, 180);
  EXPECT_EQ(rows[2].pupil_id, b);
  EXPECT_EQ(rows[2].estab, "3002");
  EXPECT_EQ(rows[2].unauthorised, 4);
  for (const PreviousAttendance& row : rows) EXPECT_EQ(row.academic_year, 2025);

  ASSERT_OK_AND_ASSIGN(std::vector<PreviousAttendance> older,
                       store().PreviousAttendanceInYear(2024));
  ASSERT_EQ(older.size(), 1u);
  EXPECT_EQ(older[0].pupil_id, a);
  ASSERT_OK_AND_ASSIGN(std::vector<PreviousAttendance> none,
                       store().PreviousAttendanceInYear(2019));
  EXPECT_TRUE(none.empty());
}

}  // namespace
}  // namespace rollcall::store
