// mail.cc: building an email, and sending it by SMTP or into a folder.
#include "io/mail.h"

#include <curl/curl.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <filesystem>
#include <memory>
#include <system_error>

#include "core/error_codes.h"
#include "io/files.h"
#include "io/https_post.h"

namespace rollcall::io {
namespace {

constexpr char kCrlf[] = "\r\n";
// Cannot occur in quoted-printable or base64 text: '=' is always escaped
// in the one and absent from the other.
constexpr char kBoundary[] = "=_rollcall_part_1";
constexpr char kMailHex[] = "0123456789ABCDEF";

bool IsAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// A header value on one line: CR and LF would start a header of the
// sender's choosing.
std::string OneLine(std::string_view text) {
  std::string out(text);
  std::replace(out.begin(), out.end(), '\r', ' ');
  std::replace(out.begin(), out.end(), '\n', ' ');
  return out;
}

std::string Base64(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

// Base64 in lines of 76 characters, each ending CRLF.
std::string Base64Lines(std::string_view bytes) {
  const std::string text = Base64(bytes);
  std::string out;
  for (size_t at = 0; at < text.size(); at += 76) {
    out += text.substr(at, 76);
    out += kCrlf;
  }
  return out;
}

// The length of the UTF-8 sequence that starts with `lead` (1 for a byte
// that starts none, so broken text still advances).
size_t Utf8Length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

// RFC 2047 encoded words for a non-ASCII header value, split between
// characters so each word is at most 75 characters, folded onto
// continuation lines.
std::string EncodedWords(std::string_view text) {
  if (IsAscii(text)) return std::string(text);
  std::string out;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = at;
    // 39 bytes make 52 base64 characters: with "=?UTF-8?B?" and "?=", 64,
    // so even the first line, after "Subject: ", keeps within 78.
    while (end < text.size()) {
      const size_t next = end + Utf8Length(static_cast<unsigned char>(text[end]));
      if (next - at > 39) break;
      end = std::min(next, text.size());
    }
    if (end == at) end = std::min(at + 39, text.size());
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(text.substr(at, end - at)) + "?=";
    at = end;
  }
  return out;
}

// "Name" <address>, the name encoded or quoted as it needs.
std::string Mailbox(std::string_view name, std::string_view address) {
  const std::string clean_address = OneLine(address);
  if (name.empty()) return clean_address;
  const std::string clean_name = OneLine(name);
  if (!IsAscii(clean_name)) return EncodedWords(clean_name) + " <" + clean_address + ">";
  std::string quoted = "\"";
  for (char c : clean_name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\" <" + clean_address + ">";
}

// A filename parameter: quoted when ASCII, else RFC 2231 percent-encoded UTF-8.
std::string FilenameParameter(std::string_view filename) {
  const std::string name = OneLine(filename);
  if (IsAscii(name)) {
    std::string quoted = "filename=\"";
    for (char c : name) {
      if (c == '"' || c == '\\') quoted += '\\';
      quoted += c;
    }
    return quoted + "\"";
  }
  std::string out = "filename*=UTF-8''";
  for (char c : name) {
    const auto b = static_cast<unsigned char>(c);
    if (std::isalnum(b) != 0 || c == '.' || c == '-' || c == '_') {
      out += c;
    } else {
      out += '%';
      out += kMailHex[b >> 4];
      out += kMailHex[b & 15];
    }
  }
  return out;
}

std::string DateHeader(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return text;
}

}  // namespace

std::string SanitizeMailKey(std::string_view key) {
  if (key.empty()) return "message";
  std::string out(key);
  for (char& c : out) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '.' && c != '_' && c != '-') {
      c = '-';
    }
  }
  // A file name of dots alone would name the folder or its parent.
  if (out.find_first_not_of('.') == std::string::npos) out = "message" + out;
  return out;
}

std::string MessageIdFor(std::string_view key) { return "<" + SanitizeMailKey(key) + "@rollcall>"; }

std::string QuotedPrintable(std::string_view text) {
  std::string out;
  size_t line_length = 0;
  auto put = [&](std::string_view token) {
    // 75 leaves room for the '=' of a soft line break.
    if (line_length + token.size() > 75) {
      out += "=\r\n";
      line_length = 0;
    }
    out += token;
    line_length += token.size();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    if (c == '\n') {
      out += kCrlf;
      line_length = 0;
      continue;
    }
    const auto b = static_cast<unsigned char>(c);
    const bool line_end = i + 1 == text.size() || text[i + 1] == '\n' ||
                          (text[i + 1] == '\r' && i + 2 < text.size() && text[i + 2] == '\n');
    // Spaces at a line's end may be dropped in transit, so they are escaped.
    const bool plain = (b >= 33 && b <= 126 && c != '=') || ((c == ' ' || c == '\t') && !line_end);
    if (plain) {
      put(std::string_view(&c, 1));
    } else {
      const char escaped[3] = {'=', kMailHex[b >> 4], kMailHex[b & 15]};
      put(std::string_view(escaped, 3));
    }
  }
  return out;
}

std::string BuildMail(const MailMessage& m) {
  std::string out;
  auto header = [&](std::string_view name, std::string_view value) {
    out += name;
    out += ": ";
    out += value;
    out += kCrlf;
  };
  header("Date", DateHeader(m.date));
  header("From", Mailbox(m.from_name, m.from_address));
  if (!m.reply_to.empty()) header("Reply-To", OneLine(m.reply_to));
  header("To", OneLine(m.to));
  header("Subject", EncodedWords(OneLine(m.subject)));
  header("Message-ID", MessageIdFor(m.key));
  header("MIME-Version", "1.0");
  const std::string body = QuotedPrintable(m.body);
  auto text_part = [&] {
    header("Content-Type", "text/plain; charset=utf-8");
    header("Content-Transfer-Encoding", "quoted-printable");
    out += kCrlf;
    out += body;
    if (!body.ends_with(kCrlf)) out += kCrlf;
  };
  if (m.attachments.empty()) {
    text_part();
    return out;
  }
  header("Content-Type", std::string("multipart/mixed; boundary=\"") + kBoundary + "\"");
  out += kCrlf;
  out += "This is a message in MIME format.\r\n";
  out += std::string("--") + kBoundary + kCrlf;
  text_part();
  for (const MailFile& f : m.attachments) {
    out += std::string("--") + kBoundary + kCrlf;
    header("Content-Type",
           OneLine(f.content_type.empty() ? "application/octet-stream" : f.content_type));
    header("Content-Transfer-Encoding", "base64");
    header("Content-Disposition", "attachment; " + FilenameParameter(f.filename));
    out += kCrlf;
    out += Base64Lines(f.bytes);
  }
  out += std::string("--") + kBoundary + "--" + kCrlf;
  return out;
}

core::Status CheckSmtpUrl(std::string_view field, std::string_view url) {
  const auto bad = [&](std::string_view why) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 std::string(field) + ": " + std::string(why));
  };
  const bool smtps = url.starts_with("smtps://");
  if (!smtps && !url.starts_with("smtp://")) {
    return bad("an SMTP relay is smtp://host:port or smtps://host:port");
  }
  std::string_view rest = url.substr(smtps ? 8 : 7);
  if (rest.ends_with('/')) rest.remove_suffix(1);
  if (rest.empty()) return bad("the relay's address has no host");
  if (rest.find_first_of("/?#@ \t\r\n\\") != std::string_view::npos) {
    return bad("give the relay as smtp://host:port, with no path, user name or spaces");
  }
  std::string_view host = rest;
  std::string_view port;
  if (rest.starts_with('[')) {
    const size_t close = rest.find(']');
    if (close == std::string_view::npos) return bad("the relay's address has an unclosed '['");
    host = rest.substr(0, close + 1);
    port = rest.substr(close + 1);
  } else if (const size_t colon = rest.find(':'); colon != std::string_view::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon);
  }
  if (host.empty() || host == "[]") return bad("the relay's address has no host");
  if (!port.empty()) {
    const std::string_view digits = port.substr(1);
    if (port[0] != ':' || digits.empty() || digits.size() > 5 ||
        digits.find_first_not_of("0123456789") != std::string_view::npos ||
        std::stoi(std::string(digits)) > 65535) {
      return bad("the relay's port is a number up to 65535");
    }
  }
  return core::OkStatus();
}

bool IsLocalSmtpHost(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return false;
  std::string_view rest = url.substr(scheme + 3);
  for (std::string_view local : {"127.0.0.1", "[::1]", "localhost"}) {
    if (!rest.starts_with(local)) continue;
    const std::string_view after = rest.substr(local.size());
    if (after.empty() || after[0] == ':' || after[0] == '/') return true;
  }
  return false;
}

namespace {

struct SmtpCurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SmtpListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

struct Upload {
  const std::string* text;
  size_t at = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t n = std::min(size * count, upload->text->size() - upload->at);
  std::copy_n(upload->text->data() + upload->at, n, buffer);
  upload->at += n;
  return n;
}

}  // namespace

SendResult SmtpTransport::Send(const MailEnvelope& envelope, const std::string& rfc5322) {
  EnsureCurlInitialised();
  SendResult result;
  // A setting to put right, not a message to give up on: retried.
  if (core::Status checked = CheckSmtpUrl("email_transport", options_.url); !checked.ok()) {
    result.answer = checked.message();
    return result;
  }
  std::unique_ptr<CURL, SmtpCurlDeleter> curl(curl_easy_init());
  if (!curl) {
    result.answer = "could not start an SMTP client";
    return result;
  }
  CURL* c = curl.get();
  // An address with a line break or angle brackets could add recipients or
  // commands to the exchange: never handed to the relay.
  std::vector<const std::string*> addresses = {&envelope.from};
  for (const std::string& to : envelope.to) addresses.push_back(&to);
  for (const std::string* address : addresses) {
    if (address->find_first_of("\r\n<>") != std::string::npos) {
      result.answer = "not sent: an address holds a line break or angle brackets";
      result.permanent = true;
      return result;
    }
  }
  curl_slist* raw = nullptr;
  for (const std::string& to : envelope.to) raw = curl_slist_append(raw, ("<" + to + ">").c_str());
  std::unique_ptr<curl_slist, SmtpListDeleter> recipients(raw);
  Upload upload{&rfc5322};
  char error[CURL_ERROR_SIZE] = {};
  const std::string from = "<" + envelope.from + ">";
  curl_easy_setopt(c, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  // STARTTLS is required, so a relay that does not offer it, or a network
  // that strips it, never gets pupils' news in the clear; only a relay on
  // this machine may go without.
  curl_easy_setopt(c, CURLOPT_USE_SSL,
                   IsLocalSmtpHost(options_.url) ? static_cast<long>(CURLUSESSL_TRY)
                                                 : static_cast<long>(CURLUSESSL_ALL));
  if (!options_.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, options_.password.c_str());
  }
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadUpload);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(rfc5322.size()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(options_.connect_timeout_seconds));
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(options_.timeout_seconds));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // the server's threads handle signals
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  const CURLcode code = curl_easy_perform(c);
  long reply = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
  result.status = static_cast<int>(reply);
  if (code == CURLE_OK) {
    result.ok = true;
    result.answer = "accepted by the relay";
    return result;
  }
  result.answer = error[0] != '\0' ? std::string(error) : std::string(curl_easy_strerror(code));
  result.answer = result.answer.substr(0, 500);
  // 5xx: the relay refused this message and would refuse it again; but a
  // refused login (535, 530) or a relay that will not relay for us is a
  // setting to put right, after which the message should still go.
  result.permanent = reply >= 500 && reply < 600 && code != CURLE_LOGIN_DENIED && reply != 530 &&
                     reply != 535 && reply != 554;
  return result;
}

SendResult FolderMailTransport::Send(const MailEnvelope& envelope, const std::string& rfc5322) {
  SendResult result;
  std::error_code error;
  std::filesystem::create_directories(dir_, error);
  if (error) {
    result.answer = "could not make the folder " + dir_ + ": " + error.message();
    return result;
  }
  const std::string path =
      (std::filesystem::path(dir_) / (SanitizeMailKey(envelope.key) + ".eml")).string();
  if (core::Status written = WriteFileAtomically(path, rfc5322); !written.ok()) {
    result.answer = written.message();
    return result;
  }
  result.ok = true;
  result.answer = "written to " + path;
  result.provider_ref = path;
  return result;
}

}  // namespace rollcall::io
