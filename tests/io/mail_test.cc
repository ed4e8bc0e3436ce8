// Email as io::BuildMail writes it, read back by decoding: the headers, the
// encodings of the subject, body and attachments, CRLF line ends and line
// lengths; the SMTP URL rules; the folder transport.
#include "io/mail.h"

#include <gtest/gtest.h>
#include <sodium.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace rollcall::io {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at < text.size()) {
    const size_t end = text.find("\r\n", at);
    if (end == std::string::npos) {
      out.push_back(text.substr(at));
      break;
    }
    out.push_back(text.substr(at, end - at));
    at = end + 2;
  }
  return out;
}

std::string Base64Decode(const std::string& text) {
  std::string out(text.size(), '\0');
  size_t length = 0;
  EXPECT_EQ(
      sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), "\r\n", &length, nullptr, sodium_base64_VARIANT_ORIGINAL),
      0)
      << text;
  out.resize(length);
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  ADD_FAILURE() << "not an upper-case hex digit: " << c;
  return 0;
}

// Quoted-printable back to bytes, lines joined with "\n".
std::string QpDecode(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '=' && text.compare(i + 1, 2, "\r\n") == 0) {
      i += 2;  // a soft line break
    } else if (text[i] == '=') {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else if (text.compare(i, 2, "\r\n") == 0) {
      out += '\n';
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

// The headers (up to the first empty line) and the rest.
std::pair<std::string, std::string> Split(const std::string& text) {
  const size_t blank = text.find("\r\n\r\n");
  EXPECT_NE(blank, std::string::npos);
  return {text.substr(0, blank + 2), text.substr(blank + 4)};
}

std::string Header(const std::string& headers, const std::string& name) {
  const std::string prefix = name + ": ";
  size_t at = headers.starts_with(prefix) ? 0 : headers.find("\r\n" + prefix);
  if (at == std::string::npos) return "";
  if (at != 0) at += 2;
  std::string value;
  at += prefix.size();
  // Folded lines continue with a space.
  while (true) {
    const size_t end = headers.find("\r\n", at);
    value += headers.substr(at, end - at);
    if (end + 2 >= headers.size() || headers[end + 2] != ' ') break;
    at = end + 2;
  }
  return value;
}

MailMessage Sample() {
  return {.from_name = "Riverside Primary School",
          .from_address = "office@riverside.sch.uk",
          .reply_to = "attendance@riverside.sch.uk",
          .to = "parent@example.org",
          .subject = "Amir is not in school today",
          .body = "Dear Mrs Khan,\n\nAmir has not arrived.\n",
          .key = "day_one/2026-12-03/7/0",
          .date = 1796284800};  // 2026-12-03 08:00 UTC
}

TEST(MailTest, HeadersAndAPlainBodyWithCrlfLineEnds) {
  const std::string mail = BuildMail(Sample());
  // Every line ends CRLF: no bare LF or CR anywhere.
  for (size_t i = 0; i < mail.size(); ++i) {
    if (mail[i] == '\n') {
      EXPECT_TRUE(i > 0 && mail[i - 1] == '\r') << "bare LF at " << i;
    }
    if (mail[i] == '\r') {
      EXPECT_TRUE(i + 1 < mail.size() && mail[i + 1] == '\n') << "bare CR at " << i;
    }
  }
  const auto [headers, body] = Split(mail);
  EXPECT_EQ(Header(headers, "Date"), "Thu, 03 Dec 2026 08:00:00 +0000");
  EXPECT_EQ(Header(headers, "From"), "\"Riverside Primary School\" <office@riverside.sch.uk>");
  EXPECT_EQ(Header(headers, "Reply-To"), "attendance@riverside.sch.uk");
  EXPECT_EQ(Header(headers, "To"), "parent@example.org");
  EXPECT_EQ(Header(headers, "Subject"), "Amir is not in school today");
  EXPECT_EQ(Header(headers, "Message-ID"), "<day_one-2026-12-03-7-0@rollcall>");
  EXPECT_EQ(Header(headers, "MIME-Version"), "1.0");
  EXPECT_EQ(Header(headers, "Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(Header(headers, "Content-Transfer-Encoding"), "quoted-printable");
  EXPECT_EQ(QpDecode(body), "Dear Mrs Khan,\n\nAmir has not arrived.\n");
}

TEST(MailTest, TheMessageIdIsTheSanitisedKeyEveryTime) {
  EXPECT_EQ(MessageIdFor("a/b c@d\xc3\xa9"), "<a-b-c-d--@rollcall>");
  EXPECT_EQ(MessageIdFor(""), "<message@rollcall>");
  EXPECT_EQ(SanitizeMailKey(".."), "message..");
  // The same key at another time: another Date, the same Message-ID.
  MailMessage later = Sample();
  later.date += 3600;
  EXPECT_EQ(Header(Split(BuildMail(later)).first, "Message-ID"),
            Header(Split(BuildMail(Sample())).first, "Message-ID"));
}

TEST(MailTest, ANonAsciiSubjectIsEncodedInWordsThatDecodeBack) {
  MailMessage m = Sample();
  m.subject = "Zoë and Łukasz: café closed on 3 December — " + std::string(60, 'x') + " ✓";
  m.from_name = "Ysgol Gynradd Pen-y-Bryn ✓";
  const std::string mail = BuildMail(m);
  // The subject's lines, folded, are within the 78 characters a line should keep to.
  bool in_subject = false;
  for (const std::string& line : Lines(Split(mail).first)) {
    in_subject = line.starts_with("Subject: ") || (in_subject && line.starts_with(" "));
    if (in_subject) {
      EXPECT_LE(line.size(), 78u) << line;
    }
  }
  const std::string subject = Header(Split(mail).first, "Subject");
  // Words "=?UTF-8?B?...?=" separated by the folding space.
  std::string decoded;
  std::istringstream words(subject);
  std::string word;
  while (words >> word) {
    ASSERT_TRUE(word.starts_with("=?UTF-8?B?") && word.ends_with("?=")) << word;
    EXPECT_LE(word.size(), 75u);
    decoded += Base64Decode(word.substr(10, word.size() - 12));
  }
  EXPECT_EQ(decoded, m.subject);
  EXPECT_TRUE(Header(Split(mail).first, "From").starts_with("=?UTF-8?B?"));
}

TEST(MailTest, QuotedPrintableKeepsLinesShortAndRoundTripsUtf8) {
  const std::string text =
      "Zoë's mum said \"5 = five\"; " + std::string(200, 'a') + "\ntrailing space \n\ttab\nend";
  const std::string qp = QuotedPrintable(text);
  for (const std::string& line : Lines(qp)) {
    EXPECT_LE(line.size(), 76u) << line;
    EXPECT_FALSE(line.ends_with(" ")) << "a trailing space may be lost in transit";
  }
  EXPECT_NE(qp.find("=3D"), std::string::npos);
  EXPECT_NE(qp.find("Zo=C3=AB"), std::string::npos);
  EXPECT_EQ(QpDecode(qp), text);
}

TEST(MailTest, AttachmentsRoundTripThroughBase64Lines) {
  MailMessage m = Sample();
  std::string pdf = "%PDF-1.4\n";
  for (int i = 0; i < 1000; ++i) pdf += static_cast<char>(i % 256);
  m.attachments = {{"letter.pdf", "application/pdf", pdf},
                   {"Zoë's note.txt", "text/plain", std::string("a\0b", 3)}};
  const std::string mail = BuildMail(m);
  const auto [headers, body] = Split(mail);
  const std::string type = Header(headers, "Content-Type");
  ASSERT_TRUE(type.starts_with("multipart/mixed; boundary=\"")) << type;
  const std::string boundary = type.substr(27, type.size() - 28);
  // The parts between the boundaries: the text, then each file.
  std::vector<std::string> parts;
  const std::string delimiter = "--" + boundary + "\r\n";
  size_t at = body.find(delimiter);
  ASSERT_NE(at, std::string::npos);
  while (true) {
    at += delimiter.size();
    size_t next = body.find("\r\n--" + boundary, at);
    ASSERT_NE(next, std::string::npos);
    parts.push_back(body.substr(at, next - at + 2));
    at = next + 2;
    if (body.compare(at, boundary.size() + 4, "--" + boundary + "--") == 0) break;
  }
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(QpDecode(Split(parts[0]).second), m.body);
  for (size_t i = 0; i < 2; ++i) {
    const auto [part_headers, content] = Split(parts[i + 1]);
    EXPECT_EQ(Header(part_headers, "Content-Transfer-Encoding"), "base64");
    EXPECT_EQ(Header(part_headers, "Content-Type"), m.attachments[i].content_type);
    for (const std::string& line : Lines(content)) EXPECT_LE(line.size(), 76u);
    EXPECT_EQ(Base64Decode(content), m.attachments[i].bytes);
  }
  EXPECT_EQ(Header(Split(parts[1]).first, "Content-Disposition"),
            "attachment; filename=\"letter.pdf\"");
  EXPECT_EQ(Header(Split(parts[2]).first, "Content-Disposition"),
            "attachment; filename*=UTF-8''Zo%C3%AB%27s%20note.txt");
  // The first file's lines are full 76-character lines but the last.
  const std::vector<std::string> lines = Lines(Split(parts[1]).second);
  ASSERT_GT(lines.size(), 2u);
  EXPECT_EQ(lines[0].size(), 76u);
}

TEST(MailTest, ALineBreakInAHeaderValueAddsNoHeader) {
  MailMessage m = Sample();
  m.subject = "Hello\r\nBcc: everyone@example.org";
  m.to = "parent@example.org\nBcc: other@example.org";
  const std::string headers = Split(BuildMail(m)).first;
  for (const std::string& line : Lines(headers)) EXPECT_FALSE(line.starts_with("Bcc:")) << line;
}

TEST(MailTest, SmtpUrls) {
  EXPECT_TRUE(CheckSmtpUrl("email_transport", "smtp://relay.example.org:587").ok());
  EXPECT_TRUE(CheckSmtpUrl("email_transport", "smtps://relay.example.org").ok());
  EXPECT_TRUE(CheckSmtpUrl("email_transport", "smtp://[::1]:2525").ok());
  for (const char* bad : {"http://relay", "smtp://", "smtp://user@relay:25", "smtp://relay:99999",
                          "smtp://relay:x", "smtp://relay/path", "smtp://re lay"}) {
    const core::Status s = CheckSmtpUrl("email_transport", bad);
    EXPECT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.code(), "VALUE_INVALID");
    EXPECT_NE(s.message().find("email_transport"), std::string::npos);
  }
  EXPECT_TRUE(IsLocalSmtpHost("smtp://127.0.0.1:2525"));
  EXPECT_TRUE(IsLocalSmtpHost("smtp://localhost"));
  EXPECT_TRUE(IsLocalSmtpHost("smtp://[::1]:25"));
  EXPECT_FALSE(IsLocalSmtpHost("smtp://localhost.example.org:25"));
  EXPECT_FALSE(IsLocalSmtpHost("smtp://127.0.0.10:25"));
  EXPECT_FALSE(IsLocalSmtpHost("smtp://relay.example.org"));
}

TEST(MailTest, TheFolderTransportWritesOneFilePerKey) {
  const std::filesystem::path folder = std::filesystem::temp_directory_path() /
                                       ("rollcall-mail-test-" + std::to_string(::getpid())) /
                                       "outbox";
  std::filesystem::remove_all(folder.parent_path());
  FolderMailTransport transport(folder.string());
  const std::string mail = BuildMail(Sample());
  const SendResult first = transport.Send(
      {"office@riverside.sch.uk", {"parent@example.org"}, "day_one/2026-12-03/7/0"}, mail);
  ASSERT_TRUE(first.ok) << first.answer;
  // Sent again after a crash: the same file, not a second one.
  ASSERT_TRUE(
      transport
          .Send({"office@riverside.sch.uk", {"parent@example.org"}, "day_one/2026-12-03/7/0"}, mail)
          .ok);
  int files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(folder)) ++files;
  EXPECT_EQ(files, 1);
  std::ifstream in(folder / "day_one-2026-12-03-7-0.eml", std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), mail);
  std::filesystem::remove_all(folder.parent_path());
}

}  // namespace
}  // namespace rollcall::io
