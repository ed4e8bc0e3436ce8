#include "core/lessons.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "core/error_codes.h"

namespace rollcall::core {
namespace {

constexpr int kClose = 9 * 60 + 30;  // the register closes at 09:30

std::optional<AttendanceCode> Code(const std::string& symbol) {
  if (symbol == "-") return std::nullopt;
  std::optional<AttendanceCode> code = CodeFromSymbol(symbol);
  EXPECT_TRUE(code) << symbol;
  return code;
}

std::string KindName(Disagreement kind) {
  switch (kind) {
    case Disagreement::kSeenWhileAbsent:
      return "seen-while-absent";
    case Disagreement::kMissingFromLesson:
      return "missing";
    case Disagreement::kSeenButUnmarked:
      return "seen-but-unmarked";
  }
  return "?";
}

// One morning: the statutory mark ("-" for none), the lesson marks in order
// ("-" for unmarked), whether the register has closed, and the
// disagreements expected ("index:kind", space-separated).
struct Case {
  const char* statutory;
  const char* lessons;
  bool closed;
  const char* expected;
};

// Every statutory mark (none, each present code, L, U, N, an authorised
// code, an approved activity) against every lesson mark (present, L, N, a
// reason code, unmarked), as the first lesson and as a later one after a
// lesson the pupil was present in, before and after the register closed.
const Case kCases[] = {
    {"-", "/", false, ""},
    {"-", "/", true, "0:seen-but-unmarked"},
    {"-", "/ /", false, ""},
    {"-", "/ /", true, "0:seen-but-unmarked 1:seen-but-unmarked"},
    {"-", "L", false, ""},
    {"-", "L", true, "0:seen-but-unmarked"},
    {"-", "/ L", false, ""},
    {"-", "/ L", true, "0:seen-but-unmarked 1:seen-but-unmarked"},
    {"-", "N", false, ""},
    {"-", "N", true, ""},
    {"-", "/ N", false, "1:missing"},
    {"-", "/ N", true, "0:seen-but-unmarked 1:missing"},
    {"-", "I", false, ""},
    {"-", "I", true, ""},
    {"-", "/ I", false, ""},
    {"-", "/ I", true, "0:seen-but-unmarked"},
    {"-", "-", false, ""},
    {"-", "-", true, ""},
    {"-", "/ -", false, ""},
    {"-", "/ -", true, "0:seen-but-unmarked"},
    {"/", "/", false, ""},
    {"/", "/", true, ""},
    {"/", "/ /", false, ""},
    {"/", "/ /", true, ""},
    {"/", "L", false, ""},
    {"/", "L", true, ""},
    {"/", "/ L", false, ""},
    {"/", "/ L", true, ""},
    {"/", "N", false, "0:missing"},
    {"/", "N", true, "0:missing"},
    {"/", "/ N", false, "1:missing"},
    {"/", "/ N", true, "1:missing"},
    {"/", "I", false, ""},
    {"/", "I", true, ""},
    {"/", "/ I", false, ""},
    {"/", "/ I", true, ""},
    {"/", "-", false, ""},
    {"/", "-", true, ""},
    {"/", "/ -", false, ""},
    {"/", "/ -", true, ""},
    {"\\", "/", false, ""},
    {"\\", "/", true, ""},
    {"\\", "/ /", false, ""},
    {"\\", "/ /", true, ""},
    {"\\", "L", false, ""},
    {"\\", "L", true, ""},
    {"\\", "/ L", false, ""},
    {"\\", "/ L", true, ""},
    {"\\", "N", false, "0:missing"},
    {"\\", "N", true, "0:missing"},
    {"\\", "/ N", false, "1:missing"},
    {"\\", "/ N", true, "1:missing"},
    {"\\", "I", false, ""},
    {"\\", "I", true, ""},
    {"\\", "/ I", false, ""},
    {"\\", "/ I", true, ""},
    {"\\", "-", false, ""},
    {"\\", "-", true, ""},
    {"\\", "/ -", false, ""},
    {"\\", "/ -", true, ""},
    {"L", "/", false, ""},
    {"L", "/", true, ""},
    {"L", "/ /", false, ""},
    {"L", "/ /", true, ""},
    {"L", "L", false, ""},
    {"L", "L", true, ""},
    {"L", "/ L", false, ""},
    {"L", "/ L", true, ""},
    {"L", "N", false, "0:missing"},
    {"L", "N", true, "0:missing"},
    {"L", "/ N", false, "1:missing"},
    {"L", "/ N", true, "1:missing"},
    {"L", "I", false, ""},
    {"L", "I", true, ""},
    {"L", "/ I", false, ""},
    {"L", "/ I", true, ""},
    {"L", "-", false, ""},
    {"L", "-", true, ""},
    {"L", "/ -", false, ""},
    {"L", "/ -", true, ""},
    {"U", "/", false, ""},
    {"U", "/", true, ""},
    {"U", "/ /", false, ""},
    {"U", "/ /", true, ""},
    {"U", "L", false, ""},
    {"U", "L", true, ""},
    {"U", "/ L", false, ""},
    {"U", "/ L", true, ""},
    {"U", "N", false, ""},
    {"U", "N", true, ""},
    {"U", "/ N", false, "1:missing"},
    {"U", "/ N", true, "1:missing"},
    {"U", "I", false, ""},
    {"U", "I", true, ""},
    {"U", "/ I", false, ""},
    {"U", "/ I", true, ""},
    {"U", "-", false, ""},
    {"U", "-", true, ""},
    {"U", "/ -", false, ""},
    {"U", "/ -", true, ""},
    {"N", "/", false, "0:seen-while-absent"},
    {"N", "/", true, "0:seen-while-absent"},
    {"N", "/ /", false, "0:seen-while-absent 1:seen-while-absent"},
    {"N", "/ /", true, "0:seen-while-absent 1:seen-while-absent"},
    {"N", "L", false, "0:seen-while-absent"},
    {"N", "L", true, "0:seen-while-absent"},
    {"N", "/ L", false, "0:seen-while-absent 1:seen-while-absent"},
    {"N", "/ L", true, "0:seen-while-absent 1:seen-while-absent"},
    {"N", "N", false, ""},
    {"N", "N", true, ""},
    {"N", "/ N", false, "0:seen-while-absent 1:missing"},
    {"N", "/ N", true, "0:seen-while-absent 1:missing"},
    {"N", "I", false, ""},
    {"N", "I", true, ""},
    {"N", "/ I", false, "0:seen-while-absent"},
    {"N", "/ I", true, "0:seen-while-absent"},
    {"N", "-", false, ""},
    {"N", "-", true, ""},
    {"N", "/ -", false, "0:seen-while-absent"},
    {"N", "/ -", true, "0:seen-while-absent"},
    {"I", "/", false, "0:seen-while-absent"},
    {"I", "/", true, "0:seen-while-absent"},
    {"I", "/ /", false, "0:seen-while-absent 1:seen-while-absent"},
    {"I", "/ /", true, "0:seen-while-absent 1:seen-while-absent"},
    {"I", "L", false, "0:seen-while-absent"},
    {"I", "L", true, "0:seen-while-absent"},
    {"I", "/ L", false, "0:seen-while-absent 1:seen-while-absent"},
    {"I", "/ L", true, "0:seen-while-absent 1:seen-while-absent"},
    {"I", "N", false, ""},
    {"I", "N", true, ""},
    {"I", "/ N", false, "0:seen-while-absent 1:missing"},
    {"I", "/ N", true, "0:seen-while-absent 1:missing"},
    {"I", "I", false, ""},
    {"I", "I", true, ""},
    {"I", "/ I", false, "0:seen-while-absent"},
    {"I", "/ I", true, "0:seen-while-absent"},
    {"I", "-", false, ""},
    {"I", "-", true, ""},
    {"I", "/ -", false, "0:seen-while-absent"},
    {"I", "/ -", true, "0:seen-while-absent"},
    {"B", "/", false, ""},
    {"B", "/", true, ""},
    {"B", "/ /", false, ""},
    {"B", "/ /", true, ""},
    {"B", "L", false, ""},
    {"B", "L", true, ""},
    {"B", "/ L", false, ""},
    {"B", "/ L", true, ""},
    {"B", "N", false, ""},
    {"B", "N", true, ""},
    {"B", "/ N", false, "1:missing"},
    {"B", "/ N", true, "1:missing"},
    {"B", "I", false, ""},
    {"B", "I", true, ""},
    {"B", "/ I", false, ""},
    {"B", "/ I", true, ""},
    {"B", "-", false, ""},
    {"B", "-", true, ""},
    {"B", "/ -", false, ""},
    {"B", "/ -", true, ""},
};

TEST(LessonsTest, CheckSessionOnEveryCombination) {
  for (const Case& c : kCases) {
    std::vector<LessonEntry> lessons;
    std::istringstream marks(c.lessons);
    int start = 9 * 60;
    for (std::string symbol; marks >> symbol; start += 60) {
      lessons.push_back({start, Code(symbol)});
    }
    std::string got;
    for (const SessionDisagreement& d : CheckSession(Code(c.statutory), lessons, c.closed)) {
      if (!got.empty()) got += ' ';
      got += std::to_string(d.lesson) + ":" + KindName(d.kind);
    }
    EXPECT_EQ(got, c.expected) << "statutory " << c.statutory << ", lessons " << c.lessons
                               << (c.closed ? ", closed" : ", open");
  }
}

TEST(LessonsTest, MissingAfterLateArrivalCountsOnlyOnceSeen) {
  // U says the pupil came after the close, not when: an N before the lesson
  // they were first seen in is not internal truancy, one after it is.
  const auto got = CheckSession(AttendanceCode::kLateAfterClose,
                                {{540, AttendanceCode::kNoReasonYet},
                                 {600, AttendanceCode::kLateBeforeClose},
                                 {660, AttendanceCode::kNoReasonYet}},
                                true);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].kind, Disagreement::kMissingFromLesson);
  EXPECT_EQ(got[0].lesson, 2u);
}

TEST(LessonsTest, NoLessonsNoDisagreement) {
  EXPECT_TRUE(CheckSession(std::nullopt, {}, true).empty());
  EXPECT_TRUE(CheckSession(AttendanceCode::kNoReasonYet, {}, true).empty());
}

TEST(LessonsTest, StatutoryFromLessonAtTheCloseBoundary) {
  using C = AttendanceCode;
  // The register's own boundary: before the close minute is L, at it U.
  EXPECT_EQ(StatutoryFromLesson(Session::kAm, C::kLateBeforeClose, kClose - 1, kClose),
            C::kLateBeforeClose);
  EXPECT_EQ(StatutoryFromLesson(Session::kAm, C::kLateBeforeClose, kClose, kClose),
            C::kLateAfterClose);
  EXPECT_EQ(StatutoryFromLesson(Session::kAm, C::kLateBeforeClose, kClose + 1, kClose),
            C::kLateAfterClose);
  EXPECT_EQ(StatutoryFromLesson(Session::kPm, C::kLateBeforeClose, 13 * 60 + 5, 13 * 60 + 15),
            C::kLateBeforeClose);
}

TEST(LessonsTest, StatutoryFromLessonPresentAndReasons) {
  using C = AttendanceCode;
  EXPECT_EQ(StatutoryFromLesson(Session::kAm, C::kPresentAm, std::nullopt, kClose), C::kPresentAm);
  EXPECT_EQ(StatutoryFromLesson(Session::kPm, C::kPresentPm, std::nullopt, kClose), C::kPresentPm);
  // A present mark gives the session's own present code whichever was sent.
  EXPECT_EQ(StatutoryFromLesson(Session::kPm, C::kPresentAm, std::nullopt, kClose), C::kPresentPm);
  for (C code : {C::kNoReasonYet, C::kIllness, C::kOtherApproved, C::kMedical, C::kExcluded}) {
    EXPECT_EQ(StatutoryFromLesson(Session::kAm, code, std::nullopt, kClose), code)
        << SymbolOf(code);
  }
}

TEST(LessonsTest, CheckLessonCodeOnEveryCode) {
  for (const CodeInfo& info : AllCodes()) {
    for (Session session : {Session::kAm, Session::kPm}) {
      const bool other_present =
          (session == Session::kAm && info.code == AttendanceCode::kPresentPm) ||
          (session == Session::kPm && info.code == AttendanceCode::kPresentAm);
      const bool refused = other_present || info.code == AttendanceCode::kLateAfterClose ||
                           info.code == AttendanceCode::kNotOnRoll ||
                           info.code == AttendanceCode::kPlannedClosure ||
                           info.code == AttendanceCode::kNotRequired;
      const Status s = CheckLessonCode(session, info.code);
      EXPECT_EQ(s.ok(), !refused) << info.symbol << " in " << SessionName(session);
      if (!s.ok()) {
        EXPECT_EQ(s.code(), kErrLessonCodeInvalid);
        EXPECT_NE(s.message().find(std::string(info.symbol)), std::string::npos) << s.message();
      }
    }
  }
}

}  // namespace
}  // namespace rollcall::core
