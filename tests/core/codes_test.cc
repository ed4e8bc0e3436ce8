#include "core/codes.h"

#include <gtest/gtest.h>

#include <set>

namespace rollcall::core {
namespace {

TEST(CodesTest, EverySymbolRoundTripsAndIsUnique) {
  std::set<std::string_view> symbols;
  for (const CodeInfo& info : AllCodes()) {
    EXPECT_TRUE(symbols.insert(info.symbol).second) << info.symbol;
    EXPECT_EQ(CodeFromSymbol(info.symbol), info.code);
    EXPECT_EQ(CodeFromStored(static_cast<int>(info.code)), info.code);
  }
  EXPECT_EQ(symbols.size(), 38u);
  EXPECT_FALSE(CodeFromSymbol("Q9"));
  EXPECT_FALSE(CodeFromSymbol("g"));
  EXPECT_FALSE(CodeFromStored(0));
  EXPECT_FALSE(CodeFromStored(39));
}

TEST(CodesTest, CategoriesFollowRuleOne) {
  auto category = [](std::string_view s) { return CategoryOf(*CodeFromSymbol(s)); };
  for (auto s : {"/", "\\", "L"}) EXPECT_EQ(category(s), StatCategory::kPresent) << s;
  for (auto s : {"K", "V", "P", "W", "B", "J"})
    EXPECT_EQ(category(s), StatCategory::kApprovedActivity) << s;
  for (auto s : {"C1", "M", "J1", "S", "C2", "C", "T", "R", "I", "E", "H", "F"}) {
    EXPECT_EQ(category(s), StatCategory::kAuthorised) << s;
  }
  for (auto s : {"G", "N", "O", "U"}) EXPECT_EQ(category(s), StatCategory::kUnauthorised) << s;
  for (auto s : {"X", "Q", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7", "Z", "#", "D", "Y"}) {
    EXPECT_EQ(category(s), StatCategory::kNotPossible) << s;
  }
}

TEST(CodesTest, AbsencesAreTheAuthorisedAndUnauthorisedCodes) {
  for (const CodeInfo& info : AllCodes()) {
    const bool absence =
        info.category == StatCategory::kAuthorised || info.category == StatCategory::kUnauthorised;
    EXPECT_EQ(IsAbsence(info.code), absence) << info.symbol;
    EXPECT_EQ(IsAbsence(info.category), absence) << info.symbol;
  }
  EXPECT_TRUE(IsAbsence(*CodeFromSymbol("C1")));
  EXPECT_TRUE(IsAbsence(*CodeFromSymbol("O")));
  EXPECT_FALSE(IsAbsence(*CodeFromSymbol("B")));
  EXPECT_FALSE(IsAbsence(*CodeFromSymbol("Y1")));
}

TEST(CodesTest, ValidityChangesOnNineteenthAugust2024) {
  const Date before = *Date::Parse("2024-08-18");
  const Date after = *Date::Parse("2024-08-19");
  for (auto s : {"H", "F", "J", "Y"}) {
    EXPECT_TRUE(IsValidOn(*CodeFromSymbol(s), before)) << s;
    EXPECT_FALSE(IsValidOn(*CodeFromSymbol(s), after)) << s;
  }
  for (auto s : {"C1", "C2", "J1", "K", "Q", "Y1", "Y7"}) {
    EXPECT_FALSE(IsValidOn(*CodeFromSymbol(s), before)) << s;
    EXPECT_TRUE(IsValidOn(*CodeFromSymbol(s), after)) << s;
  }
  for (auto s : {"/", "G", "N", "O", "U", "C", "B", "#"}) {
    EXPECT_TRUE(IsValidOn(*CodeFromSymbol(s), before)) << s;
    EXPECT_TRUE(IsValidOn(*CodeFromSymbol(s), after)) << s;
  }
}

}  // namespace
}  // namespace rollcall::core
