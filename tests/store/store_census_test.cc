// The one store suite, continued (instantiated for every backend in
// store_test.cc): the school census returns a school has downloaded.
#include <gtest/gtest.h>

#include "core/error_codes.h"
#include "store/store.h"
#include "store_test_util.h"

namespace rollcall::store {
namespace {

using testing::StoreTest;

CensusReturnRecord SampleReturn(core::Census census, int year, int64_t at) {
  return {.census = census,
          .year = year,
          .produced_at = at,
          .by_user_id = 2,
          .by_name = "Mrs Head",
          .pupils = 3,
          .enrolments = 4,
          .possible = 500,
          .authorised = 20,
          .unauthorised = 7,
          .problems = 1,
          .xml = "<Message/>"};
}

TEST_P(StoreTest, CensusReturnsAreListedNewestFirstWithoutTheirXml) {
  ASSERT_OK_AND_ASSIGN(int64_t first,
                       store().AddCensusReturn(SampleReturn(core::Census::kSpring, 2026, 10)));
  ASSERT_OK_AND_ASSIGN(int64_t second,
                       store().AddCensusReturn(SampleReturn(core::Census::kAutumn, 2026, 20)));
  ASSERT_OK_AND_ASSIGN(std::vector<CensusReturnRecord> all, store().CensusReturns());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, second);
  EXPECT_EQ(all[0].census, core::Census::kAutumn);
  EXPECT_EQ(all[0].year, 2026);
  EXPECT_EQ(all[0].produced_at, 20);
  EXPECT_EQ(all[0].by_name, "Mrs Head");
  EXPECT_EQ(all[0].enrolments, 4);
  EXPECT_EQ(all[0].possible, 500);
  EXPECT_EQ(all[0].authorised, 20);
  EXPECT_EQ(all[0].unauthorised, 7);
  EXPECT_EQ(all[0].problems, 1);
  EXPECT_EQ(all[0].xml, "");
  EXPECT_EQ(all[1].id, first);
  ASSERT_OK_AND_ASSIGN(std::string xml, store().CensusReturnXml(first));
  EXPECT_EQ(xml, "<Message/>");
}

TEST_P(StoreTest, CensusReturnsRefuseABadYearOrCountAndAnUnknownId) {
  EXPECT_EQ(store().AddCensusReturn(SampleReturn(core::Census::kSpring, 1999, 10)).status().code(),
            core::kErrValueInvalid);
  CensusReturnRecord negative = SampleReturn(core::Census::kSpring, 2026, 10);
  negative.possible = -1;
  EXPECT_EQ(store().AddCensusReturn(negative).status().code(), core::kErrValueInvalid);
  ASSERT_OK_AND_ASSIGN(std::vector<CensusReturnRecord> all, store().CensusReturns());
  EXPECT_TRUE(all.empty());
  EXPECT_EQ(store().CensusReturnXml(99).status().kind(), core::ErrorKind::kNotFound);
}

}  // namespace
}  // namespace rollcall::store
