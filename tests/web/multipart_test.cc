// multipart_test.cc: the multipart/form-data reader, on good forms and on
// every kind of malformed body a client might send.
#include "web/multipart.h"

#include <gtest/gtest.h>

#include <string>

#include "core/error_codes.h"

namespace rollcall::web {
namespace {

constexpr char kType[] = "multipart/form-data; boundary=XyZ";

std::string Part(const std::string& headers, const std::string& body) {
  return "--XyZ\r\n" + headers + "\r\n\r\n" + body + "\r\n";
}

void ExpectMalformed(const std::string& content_type, const std::string& body,
                     const std::string& words) {
  auto parts = ParseMultipart(content_type, body);
  ASSERT_FALSE(parts.ok()) << body;
  EXPECT_EQ(parts.status().code(), core::kErrValueInvalid);
  EXPECT_NE(parts.status().message().find(words), std::string::npos) << parts.status().message();
}

TEST(MultipartTest, ReadsFieldsAndAFileWithBinaryBytes) {
  const std::string bytes("\x89PNG\r\n\x1a\n\0\r\n--Xy", 16);  // a CRLF and a near-boundary inside
  const std::string body = Part(R"(Content-Disposition: form-data; name="_csrf")", "tok") +
                           Part(R"(Content-Disposition: form-data; name="from")", "2026-11-30") +
                           Part(
                               "Content-Disposition: form-data; name=\"file\"; "
                               "filename=\"scan \\\"one\\\".png\"\r\nContent-Type: image/png",
                               bytes) +
                           "--XyZ--\r\n";
  auto parts = ParseMultipart(kType, body);
  ASSERT_TRUE(parts.ok()) << parts.status().message();
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0].name, "_csrf");
  EXPECT_EQ((*parts)[0].body, "tok");
  EXPECT_FALSE((*parts)[0].filename.has_value());
  EXPECT_EQ((*parts)[1].body, "2026-11-30");
  EXPECT_EQ((*parts)[2].name, "file");
  EXPECT_EQ((*parts)[2].filename, "scan \"one\".png");
  EXPECT_EQ((*parts)[2].content_type, "image/png");
  EXPECT_EQ((*parts)[2].body, bytes);
}

TEST(MultipartTest, QuotedBoundaryPreambleAndEmptyFile) {
  const std::string body =
      "a preamble\r\n--a b\r\nContent-Disposition: form-data; name=\"file\"; "
      "filename=\"\"\r\n\r\n\r\n--a b--";
  auto parts = ParseMultipart(R"(Multipart/Form-Data; boundary="a b")", body);
  ASSERT_TRUE(parts.ok()) << parts.status().message();
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].filename, "");
  EXPECT_EQ((*parts)[0].body, "");
}

TEST(MultipartTest, BoundaryFromTheContentType) {
  EXPECT_TRUE(IsMultipartForm("multipart/form-data; boundary=x"));
  EXPECT_FALSE(IsMultipartForm("application/x-www-form-urlencoded"));
  EXPECT_EQ(*MultipartBoundary("multipart/form-data;boundary=abc"), "abc");
  EXPECT_FALSE(MultipartBoundary("multipart/form-data").ok());
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=").ok());
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=" + std::string(71, 'b')).ok());
  EXPECT_FALSE(MultipartBoundary("text/plain; boundary=abc").ok());
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=\"abc").ok());
}

TEST(MultipartTest, MalformedBodiesAreRefusedByName) {
  ExpectMalformed(kType, "", "the first boundary is missing");
  ExpectMalformed(kType, "no boundary here at all", "the first boundary is missing");
  ExpectMalformed(kType, "--XyZ", "not followed by a line break");
  ExpectMalformed(kType, "--XyZjunk\r\n", "not followed by a line break");
  ExpectMalformed(kType, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n",
                  "headers never end");
  ExpectMalformed(kType, Part(R"(Content-Disposition: form-data; name="a")", "x"),
                  "ends before the closing boundary");
  ExpectMalformed(kType, "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx",
                  "ends before the closing boundary");
  ExpectMalformed(kType, Part("Content-Type: text/plain", "x") + "--XyZ--",
                  "no Content-Disposition");
  ExpectMalformed(kType, Part("Content-Disposition: attachment; name=\"a\"", "x") + "--XyZ--",
                  "not form-data");
  ExpectMalformed(kType, Part("Content-Disposition: form-data", "x") + "--XyZ--", "no field name");
  ExpectMalformed(kType, Part("Content-Disposition: form-data; name=\"a", "x") + "--XyZ--",
                  "quoted value is not closed");
  ExpectMalformed(kType, Part("no colon on this line", "x") + "--XyZ--", "has no name");
  ExpectMalformed(
      kType, "--XyZ\r\n" + std::string(kMaxPartHeaderBytes + 10, 'h') + ": v\r\n\r\nx\r\n--XyZ--",
      "headers are longer");
  std::string many;
  for (size_t i = 0; i <= kMaxMultipartParts; ++i) {
    many += Part(R"(Content-Disposition: form-data; name="a")", "x");
  }
  ExpectMalformed(kType, many + "--XyZ--", "more than");
  ExpectMalformed("text/plain", "--XyZ--", "multipart/form-data");
}

TEST(MultipartTest, TruncatedAtEveryByteNeverCrashes) {
  const std::string body =
      Part(R"(Content-Disposition: form-data; name="a")", "value") +
      Part(R"(Content-Disposition: form-data; name="f"; filename="x.png")", "bytes") +
      "--XyZ--\r\n";
  for (size_t n = 0; n < body.size(); ++n) {
    auto parts = ParseMultipart(kType, body.substr(0, n));
    // Only a cut after the closing boundary's "--" reads as whole.
    if (parts.ok()) {
      EXPECT_GE(n, body.size() - 2) << n;
    }
  }
  EXPECT_TRUE(ParseMultipart(kType, body).ok());
}

}  // namespace
}  // namespace rollcall::web
