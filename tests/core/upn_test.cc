#include "core/upn.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

#include "core/error_codes.h"

namespace rollcall::core {
namespace {

// Expects an UPN_INVALID error whose message contains `words`.
void ExpectInvalid(std::string_view upn, std::string_view words) {
  const Status status = CheckUpn(upn);
  ASSERT_FALSE(status.ok()) << upn;
  EXPECT_EQ(status.kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(status.code(), kErrUpnInvalid);
  EXPECT_NE(status.message().find(words), std::string::npos)
      << "message: " << status.message() << "\nexpected to contain: " << words;
}

TEST(UpnTest, AcceptsValidUpns) {
  // B801200005001 is the example of the python-stdnum UPN module; the others
  // were worked by hand from the DfE guide's weights (2-13, modulus 23).
  for (const char* upn : {"B801200005001", "U909211726001", "A000000000000", "F999999999999"}) {
    const Status status = CheckUpn(upn);
    EXPECT_TRUE(status.ok()) << upn << ": " << status.message();
  }
}

TEST(UpnTest, AcceptsTemporaryUpnsEndingInALetter) {
  for (const char* upn : {"E90921172600A", "Q90921172600Z", "J20130510001H"}) {
    const Status status = CheckUpn(upn);
    EXPECT_TRUE(status.ok()) << upn << ": " << status.message();
  }
}

TEST(UpnTest, RejectsWrongLength) {
  ExpectInvalid("", "13 characters, not 0");
  ExpectInvalid("B80120000500", "13 characters, not 12");
  ExpectInvalid("B8012000050011", "13 characters, not 14");
  ExpectInvalid(" B801200005001", "13 characters, not 14");
}

TEST(UpnTest, RejectsBadCheckLetterCharacter) {
  ExpectInvalid("1801200005001", "character 1 must be a check letter");
  ExpectInvalid("b801200005001", "not 'b'");
  // I, O and S are never check letters.
  ExpectInvalid("I801200005001", "not 'I'");
  ExpectInvalid("O801200005001", "not 'O'");
  ExpectInvalid("S801200005001", "not 'S'");
}

TEST(UpnTest, RejectsNonDigitsInTheMiddle) {
  ExpectInvalid("X80120000A001", "character 10 must be a digit, not 'A'");
  ExpectInvalid("BX01200005001", "character 2 must be a digit, not 'X'");
  ExpectInvalid("B80120000500 1", "13 characters");
  ExpectInvalid("B80120000500-1", "13 characters");
  ExpectInvalid("B8012000050-1", "character 12 must be a digit, not '-'");
  ExpectInvalid(std::string_view("B80120\0005001", 13),
                "character 7 must be a digit, not byte 0x00");
}

TEST(UpnTest, RejectsBadLastCharacter) {
  ExpectInvalid("B80120000500I", "character 13 must be a digit or a letter");
  ExpectInvalid("B80120000500O", "not 'O'");
  ExpectInvalid("B80120000500S", "not 'S'");
  ExpectInvalid("B80120000500a", "not 'a'");
  ExpectInvalid("B80120000500#", "not '#'");
}

TEST(UpnTest, RejectsWrongCheckLetterNamingTheExpectedOne) {
  ExpectInvalid("A801200005001", "check letter is 'A' but characters 2-13 give 'B'");
  ExpectInvalid("A90921172600A", "give 'E'");
  // A transposition of two digits changes the check letter.
  ExpectInvalid("B810200005001", "check letter is 'B'");
}

TEST(UpnTest, WithCheckLetterPrependsTheRightLetter) {
  EXPECT_EQ(UpnWithCheckLetter("801200005001"), "B801200005001");
  EXPECT_EQ(UpnWithCheckLetter("90921172600A"), "E90921172600A");
  EXPECT_EQ(UpnWithCheckLetter("000000000000"), "A000000000000");
}

TEST(UpnTest, WithCheckLetterRefusesMalformedInput) {
  EXPECT_EQ(UpnWithCheckLetter(""), "");
  EXPECT_EQ(UpnWithCheckLetter("80120000500"), "");
  EXPECT_EQ(UpnWithCheckLetter("8012000050011"), "");
  EXPECT_EQ(UpnWithCheckLetter("80120000A001"), "");
  EXPECT_EQ(UpnWithCheckLetter("80120000500I"), "");
}

TEST(UpnTest, RoundTripsGeneratedNumbersAndCatchesSingleDigitErrors) {
  // Every LA-establishment-year-serial pattern a demo or import would use,
  // over a spread of serials, and every temporary-UPN letter.
  int checked = 0;
  for (int la : {201, 330, 909, 938}) {
    for (int serial = 0; serial < 1000; serial += 7) {
      const std::string twelve =
          fmt::format("{:03d}{:04d}{:02d}{:03d}", la, 2000 + la % 97, (serial * 3) % 100, serial);
      const std::string upn = UpnWithCheckLetter(twelve);
      ASSERT_EQ(upn.size(), kUpnLength) << twelve;
      EXPECT_EQ(upn.substr(1), twelve);
      const Status status = CheckUpn(upn);
      EXPECT_TRUE(status.ok()) << upn << ": " << status.message();
      // Changing any one digit changes the check letter: weights 2-13 are all
      // below 23 and non-zero, so a single substitution never leaves the sum
      // unchanged modulo 23.
      for (size_t pos = 1; pos < kUpnLength; ++pos) {
        std::string altered = upn;
        altered[pos] = altered[pos] == '9' ? '0' : static_cast<char>(altered[pos] + 1);
        EXPECT_FALSE(CheckUpn(altered).ok()) << altered;
      }
      ++checked;
    }
  }
  for (char letter : std::string_view("ABCDEFGHJKLMNPQRTUVWXYZ")) {
    const std::string upn = UpnWithCheckLetter(std::string("90921172600") + letter);
    ASSERT_EQ(upn.size(), kUpnLength) << letter;
    EXPECT_TRUE(CheckUpn(upn).ok()) << upn;
    ++checked;
  }
  EXPECT_EQ(checked, 4 * 143 + 23);
}

}  // namespace
}  // namespace rollcall::core
