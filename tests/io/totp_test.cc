// Tests of io/totp.h: the RFC 6238 appendix B vectors (SHA1), the window
// either side of now, base32, the otpauth:// address and the QR code.
#include "io/totp.h"

#include <gtest/gtest.h>

#include <string>

namespace rollcall::io {
namespace {

// RFC 6238 appendix B: the SHA1 secret is these 20 ASCII bytes.
constexpr char kRfcSecret[] = "12345678901234567890";

TEST(Totp, RfcAppendixBVectorsSha1EightDigits) {
  const struct {
    int64_t time;
    const char* code;
  } kVectors[] = {
      {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
      {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
  };
  for (const auto& v : kVectors) {
    core::StatusOr<std::string> code = TotpCode(kRfcSecret, v.time, 8);
    ASSERT_TRUE(code.ok()) << code.status().message();
    EXPECT_EQ(*code, v.code) << "at " << v.time;
    // And each is accepted at its own time, in its own step.
    EXPECT_EQ(TotpMatch(kRfcSecret, v.code, v.time, 1, 8), TotpStep(v.time)) << v.time;
  }
}

TEST(Totp, SixDigitsAreTheLastSixOfTheRfcCodes) {
  // Dynamic truncation then modulo 10^6: the 8-digit code's last six.
  EXPECT_EQ(*TotpCode(kRfcSecret, 59), "287082");
  EXPECT_EQ(*TotpCode(kRfcSecret, 1111111109), "081804");
}

TEST(Totp, AcceptsOneStepEitherSideAndNoMore) {
  const int64_t now = 1234567890;  // step 41152263
  const std::string before = *TotpCode(kRfcSecret, now - 30);
  const std::string after = *TotpCode(kRfcSecret, now + 30);
  const std::string two_before = *TotpCode(kRfcSecret, now - 60);
  EXPECT_EQ(TotpMatch(kRfcSecret, before, now), TotpStep(now) - 1);
  EXPECT_EQ(TotpMatch(kRfcSecret, after, now), TotpStep(now) + 1);
  EXPECT_EQ(TotpMatch(kRfcSecret, two_before, now), std::nullopt);
  EXPECT_EQ(TotpMatch(kRfcSecret, two_before, now, 2), TotpStep(now) - 2);
}

TEST(Totp, RefusesCodesOfTheWrongShape) {
  const int64_t now = 59;
  EXPECT_EQ(TotpMatch(kRfcSecret, "", now), std::nullopt);
  EXPECT_EQ(TotpMatch(kRfcSecret, "28708", now), std::nullopt);
  EXPECT_EQ(TotpMatch(kRfcSecret, "2870820", now), std::nullopt);
  EXPECT_EQ(TotpMatch(kRfcSecret, "28708a", now), std::nullopt);
  EXPECT_EQ(TotpMatch("another secret", "287082", now), std::nullopt);
  EXPECT_FALSE(TotpCode(kRfcSecret, now, 5).ok());
}

TEST(Totp, StepsAreThirtySecondsFromTheEpoch) {
  EXPECT_EQ(TotpStep(0), 0);
  EXPECT_EQ(TotpStep(29), 0);
  EXPECT_EQ(TotpStep(30), 1);
  EXPECT_EQ(TotpStep(59), 1);
}

TEST(Totp, Base32IsRfc4648WithoutPadding) {
  EXPECT_EQ(Base32(""), "");
  EXPECT_EQ(Base32("f"), "MY");
  EXPECT_EQ(Base32("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(Base32(kRfcSecret), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

TEST(Totp, OtpauthUriNamesTheSchoolAndEscapesIt) {
  EXPECT_EQ(
      OtpauthUri("St Mary's & All", "head", "GEZDGNBV"),
      "otpauth://totp/St%20Mary%27s%20%26%20All:head?secret=GEZDGNBV&issuer=St%20Mary%27s%20%26"
      "%20All&algorithm=SHA1&digits=6&period=30");
}

TEST(Totp, QrCodeIsAnSvgOfSquares) {
  core::StatusOr<std::string> svg = QrSvg("otpauth://totp/School:head?secret=GEZDGNBV");
  ASSERT_TRUE(svg.ok());
  EXPECT_TRUE(svg->starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_NE(svg->find("<path d=\"M4 4h1v1h-1z"), std::string::npos);  // a finder pattern's corner
  EXPECT_TRUE(svg->ends_with("</svg>"));
  EXPECT_FALSE(QrSvg(std::string(8000, 'x')).ok());  // more than any QR code holds
}

TEST(Totp, Base64IsStandard) {
  EXPECT_EQ(Base64(""), "");
  EXPECT_EQ(Base64("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64("<svg>"), "PHN2Zz4=");
}

}  // namespace
}  // namespace rollcall::io
