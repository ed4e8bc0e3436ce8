// mail.h
//
// Email to families and staff (docs/messaging.md): building one message as
// RFC 5322 text, and the transports that hand it on. A message's
// Message-ID is made from its outbox idempotency key, so a message sent
// again after a crash carries the same Message-ID and a careful receiver
// can see it is the same message. Nothing here reads the database or
// retries: the caller (service::Messaging) decides what to send and when.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace rollcall::io {

// The result of handing one message to a transport or provider.
struct SendResult {
  bool ok = false;
  // Refused for good (an SMTP 5xx, a 400 or 403 from Notify): sending the
  // same message again would be refused again. Otherwise a failure is
  // retried.
  bool permanent = false;
  int status = 0;            // the SMTP reply or HTTP status; 0 when no answer came
  std::string answer;        // the start of the answer, or the error in words
  std::string provider_ref;  // the provider's id for the message, when it gives one
};

struct MailFile {
  std::string filename;      // "letter.pdf"
  std::string content_type;  // "application/pdf"
  std::string bytes;
};

struct MailMessage {
  std::string from_name;     // "Riverside Primary School"
  std::string from_address;  // "office@riverside.sch.uk"
  std::string reply_to;      // "" for none
  std::string to;            // one address
  std::string subject;       // UTF-8
  std::string body;          // plain text, UTF-8, lines ending "\n" or "\r\n"
  std::vector<MailFile> attachments;
  std::string key;   // the outbox idempotency key: the Message-ID and file name
  int64_t date = 0;  // unix seconds, for the Date header
};

// `key` with every character outside [A-Za-z0-9._-] replaced by '-', and
// "message" for an empty key: safe as a Message-ID's left part and as a
// file name.
std::string SanitizeMailKey(std::string_view key);
// "<KEY@rollcall>" for the sanitised key.
std::string MessageIdFor(std::string_view key);

// The message as RFC 5322 text with CRLF line ends: Date, From, Reply-To,
// To, Subject (RFC 2047 encoded when not ASCII), Message-ID, MIME-Version;
// the body quoted-printable in UTF-8; with attachments, multipart/mixed
// with each file in base64 lines of 76 characters. CR and LF inside header
// values are replaced by spaces, so no value can add a header.
std::string BuildMail(const MailMessage& m);

// Quoted-printable (RFC 2045) of `text`: lines end CRLF, none longer than
// 76 characters; exported for the tests.
std::string QuotedPrintable(std::string_view text);

// Who a message is from and to, as the SMTP conversation names them.
struct MailEnvelope {
  std::string from;  // the from address
  std::vector<std::string> to;
  std::string key;  // the outbox idempotency key
};

class MailTransport {
 public:
  virtual ~MailTransport() = default;
  // Hands `rfc5322` on; never throws.
  virtual SendResult Send(const MailEnvelope& envelope, const std::string& rfc5322) = 0;
};

struct SmtpOptions {
  std::string url;       // "smtp://host:port" or "smtps://host:port"
  std::string username;  // "" for none
  std::string password;
  int connect_timeout_seconds = 10;
  int timeout_seconds = 30;
};

// Sends through an SMTP relay with libcurl. smtp:// requires STARTTLS
// (the message is never sent in the clear), except to this machine
// (127.0.0.1, [::1], localhost), where TLS is used if offered; smtps:// is
// TLS from the start. Certificates are checked against the system's store.
// A 5xx reply is permanent; a 4xx reply or no answer is retried.
class SmtpTransport : public MailTransport {
 public:
  explicit SmtpTransport(SmtpOptions options) : options_(std::move(options)) {}
  SendResult Send(const MailEnvelope& envelope, const std::string& rfc5322) override;

 private:
  SmtpOptions options_;
};

// Ok when `url` is smtp://HOST[:PORT] or smtps://HOST[:PORT]; else
// InvalidArgument VALUE_INVALID naming `field`.
core::Status CheckSmtpUrl(std::string_view field, std::string_view url);
// Whether the host of an smtp:// URL is this machine.
bool IsLocalSmtpHost(std::string_view url);

// Writes each message to DIR/<sanitised key>.eml (creating DIR), whole or
// not at all: for the demo, and for schools that hand mail on some other
// way. Writing the same key again replaces the file, so a message sent
// again after a crash is still one file.
class FolderMailTransport : public MailTransport {
 public:
  explicit FolderMailTransport(std::string dir) : dir_(std::move(dir)) {}
  SendResult Send(const MailEnvelope& envelope, const std::string& rfc5322) override;

 private:
  std::string dir_;
};

}  // namespace rollcall::io
