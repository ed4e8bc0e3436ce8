// outgoing.cc: an email or text message as an outbox row, and back.
#include "service/outgoing.h"

#include <sodium.h>

#include <nlohmann/json.hpp>

namespace rollcall::service {
namespace {

std::string ToBase64(const std::string& bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::optional<std::string> FromBase64(const std::string& text) {
  std::string out(text.size(), '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

}  // namespace

store::OutboxMessage ToOutbox(const Outgoing& m, int64_t now) {
  nlohmann::ordered_json payload = {
      {"kind", m.kind},       {"to", m.to},     {"recipient", m.recipient},
      {"subject", m.subject}, {"body", m.body}, {"attachments", nlohmann::json::array()}};
  for (const MailAttachment& a : m.attachments) {
    payload["attachments"].push_back({{"filename", a.filename},
                                      {"content_type", a.content_type},
                                      {"base64", ToBase64(a.bytes)}});
  }
  store::OutboxMessage row;
  row.channel = m.channel;
  row.idempotency_key = m.key;
  row.event_kind = m.kind;
  row.destination = m.to;
  // Text that is not UTF-8 (a name stored from a badly encoded form) is
  // written with replacement characters rather than stopping the job.
  row.payload = payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  row.state = store::OutboxState::kQueued;
  row.next_attempt_at = now;
  row.created_at = now;
  row.pupil_id = m.pupil_id;
  row.recipient = m.recipient;
  return row;
}

std::optional<Outgoing> FromOutbox(const store::OutboxMessage& row, std::string* error) {
  auto fail = [&](const char* why) -> std::optional<Outgoing> {
    if (error != nullptr) *error = why;
    return std::nullopt;
  };
  nlohmann::json payload = nlohmann::json::parse(row.payload, nullptr, false);
  if (!payload.is_object()) return fail("the message's payload is not a JSON object");
  Outgoing m;
  m.channel = row.channel;
  m.key = row.idempotency_key;
  m.pupil_id = row.pupil_id;
  try {
    m.kind = payload.at("kind").get<std::string>();
    m.to = payload.at("to").get<std::string>();
    m.recipient = payload.at("recipient").get<std::string>();
    m.subject = payload.at("subject").get<std::string>();
    m.body = payload.at("body").get<std::string>();
    for (const auto& a : payload.at("attachments")) {
      std::optional<std::string> bytes = FromBase64(a.at("base64").get<std::string>());
      if (!bytes) return fail("an attachment is not base64");
      m.attachments.push_back({a.at("filename").get<std::string>(),
                               a.at("content_type").get<std::string>(), std::move(*bytes)});
    }
  } catch (const nlohmann::json::exception&) {
    return fail("the message's payload lacks a field or has one of the wrong type");
  }
  return m;
}

}  // namespace rollcall::service
