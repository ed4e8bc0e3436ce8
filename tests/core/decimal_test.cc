#include "core/decimal.h"

#include <gtest/gtest.h>

namespace rollcall::core {
namespace {

TEST(DecimalTest, ParsesLiteralsExactly) {
  EXPECT_EQ(Decimal::Parse("95.9")->ToString(), "95.9");
  EXPECT_EQ(Decimal::Parse("10")->ToString(), "10");
  EXPECT_EQ(Decimal::Parse("1e1")->ToString(), "10");
  EXPECT_EQ(Decimal::Parse("955E-1")->ToString(), "95.5");
  EXPECT_EQ(Decimal::Parse("-0")->ToString(), "0");
  EXPECT_EQ(Decimal::Parse("12.50")->ToString(), "12.5");
  EXPECT_FALSE(Decimal::Parse("-1"));
  EXPECT_FALSE(Decimal::Parse("1."));
  EXPECT_FALSE(Decimal::Parse("abc"));
  EXPECT_TRUE(Decimal::Parse("100")->AtMostHundred());
  EXPECT_FALSE(Decimal::Parse("100.0000001")->AtMostHundred());
  EXPECT_FALSE(Decimal::Parse("1e300")->AtMostHundred());
}

TEST(DecimalTest, ComparesAsExactRationals) {
  // 959/1000 = 95.9% exactly reaches a 95.9 band; a binary float of 95.9 might not.
  EXPECT_TRUE(Decimal::Parse("95.9")->PercentReached(959, 1000));
  EXPECT_FALSE(Decimal::Parse("95.9")->PercentReached(958, 1000));
  // PA at exactly 10%.
  EXPECT_TRUE(Decimal::FromInt(10).PercentReached(2, 20));
  EXPECT_FALSE(Decimal::FromInt(10).PercentReached(2, 21));
  // One third against 33.333...: never reached by truncation.
  EXPECT_FALSE(Decimal::Parse("33.34")->PercentReached(1, 3));
  EXPECT_TRUE(Decimal::Parse("33.33")->PercentReached(1, 3));
  EXPECT_TRUE(Decimal::FromInt(0).PercentReached(0, 5));
}

}  // namespace
}  // namespace rollcall::core
