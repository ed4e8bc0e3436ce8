// sms.cc: GOV.UK Notify (its JWT, sending, finding a message by reference,
// delivery receipts) and the folder of texts.
#include "io/sms.h"

#include <curl/curl.h>
#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <system_error>

#include "core/error_codes.h"
#include "io/files.h"
#include "io/https_post.h"

namespace rollcall::io {
namespace {

constexpr size_t kUuidLength = 36;

struct NotifyCurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct NotifyListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

size_t KeepNotifyAnswer(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  const size_t bytes = size * count;
  if (body->size() < 65536) body->append(data, std::min(bytes, 65536 - body->size()));
  return bytes;
}

// A GET with a bearer token: the status (0 when no answer came) and the body.
std::pair<int, std::string> Get(const std::string& url, const std::string& bearer,
                                int timeout_seconds) {
  EnsureCurlInitialised();
  std::unique_ptr<CURL, NotifyCurlDeleter> curl(curl_easy_init());
  if (!curl) return {0, ""};
  std::unique_ptr<curl_slist, NotifyListDeleter> headers(
      curl_slist_append(nullptr, ("Authorization: Bearer " + bearer).c_str()));
  std::string body;
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(timeout_seconds));
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "rollcall");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, KeepNotifyAnswer);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
  if (curl_easy_perform(c) != CURLE_OK) return {0, ""};
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  return {static_cast<int>(status), body};
}

std::string UrlEncode(std::string_view text) {
  static constexpr char kUrlHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (std::isalnum(b) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kUrlHex[b >> 4];
      out += kUrlHex[b & 15];
    }
  }
  return out;
}

std::string BaseUrl(const std::string& base) {
  std::string out = base;
  while (out.ends_with('/')) out.pop_back();
  return out;
}

std::string UtcIso(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

std::string TextOrEmpty(const nlohmann::json& object, const char* name) {
  const auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

bool IsUuid(std::string_view text) {
  if (text.size() != kUuidLength) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : std::isxdigit(static_cast<unsigned char>(text[i])) == 0) {
      return false;
    }
  }
  return true;
}

core::StatusOr<NotifyKey> ParseNotifyKey(std::string_view field, std::string_view key) {
  // name "-" service id (36) "-" secret (36): at least one character of name.
  if (key.size() < 2 * kUuidLength + 3) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        std::string(field) +
            ": a Notify API key is its name, the service id and the secret, "
            "joined by dashes (copy it whole from Notify's API keys page)");
  }
  NotifyKey out;
  out.secret = std::string(key.substr(key.size() - kUuidLength));
  out.service_id = std::string(key.substr(key.size() - 2 * kUuidLength - 1, kUuidLength));
  out.key_name = std::string(key.substr(0, key.size() - 2 * kUuidLength - 2));
  if (key[key.size() - kUuidLength - 1] != '-' || key[out.key_name.size()] != '-' ||
      !IsUuid(out.secret) || !IsUuid(out.service_id)) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        std::string(field) +
            ": a Notify API key ends with the service id and the secret, two "
            "ids of 36 characters (copy it whole from Notify's API keys page)");
  }
  return out;
}

std::string HmacSha256(std::string_view key, std::string_view message) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  std::string mac(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char*>(mac.data()));
  return mac;
}

std::string Base64Url(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                  '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::string NotifyJwt(const NotifyKey& key, int64_t now) {
  const std::string header = Base64Url(R"({"typ":"JWT","alg":"HS256"})");
  nlohmann::ordered_json claims = {{"iss", key.service_id}, {"iat", now}};
  const std::string signing_input = header + "." + Base64Url(claims.dump());
  return signing_input + "." + Base64Url(HmacSha256(key.secret, signing_input));
}

SendResult NotifySms::Send(const std::string& to, const std::string& body,
                           const std::string& reference) {
  SendResult result;
  core::StatusOr<NotifyKey> key = ParseNotifyKey("notify_api_key", options_.api_key);
  core::Status url = CheckPostUrl("notify_base_url", options_.base_url);
  if (!key.ok() || !url.ok()) {
    // A setting to put right, not a message to give up on.
    result.answer = !key.ok() ? key.status().message() : url.message();
    return result;
  }
  nlohmann::json request = {{"phone_number", to},
                            {"template_id", options_.template_id},
                            {"personalisation", {{"body", body}}},
                            {"reference", reference}};
  CurlPoster poster;
  const PostAnswer answer =
      poster.Post({.url = BaseUrl(options_.base_url) + "/v2/notifications/sms",
                   .headers = {{"Authorization", "Bearer " + NotifyJwt(*key, clock_.NowSeconds())}},
                   .body = request.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                   .timeout_seconds = options_.timeout_seconds});
  result.status = answer.status;
  result.answer = answer.status == 0 ? answer.error : answer.body.substr(0, 500);
  if (answer.status == 201) {
    const nlohmann::json reply = nlohmann::json::parse(answer.body, nullptr, false);
    result.ok = true;
    if (reply.is_object()) result.provider_ref = TextOrEmpty(reply, "id");
    return result;
  }
  // 400: the number or the request is wrong, and sending the same again
  // would be refused again. A 403 (the key is wrong or revoked) is a
  // setting to put right, after which the text should still go: retried.
  result.permanent = answer.status == 400;
  return result;
}

core::StatusOr<std::optional<std::string>> NotifySms::FindByReference(
    const std::string& reference) {
  ASSIGN_OR_RETURN(const NotifyKey key, ParseNotifyKey("notify_api_key", options_.api_key));
  RETURN_IF_ERROR(CheckPostUrl("notify_base_url", options_.base_url));
  const auto [status, body] =
      Get(BaseUrl(options_.base_url) + "/v2/notifications?reference=" + UrlEncode(reference) +
              "&template_type=sms",
          NotifyJwt(key, clock_.NowSeconds()), options_.timeout_seconds);
  const auto cannot_say = [&, status = status](std::string_view why) {
    return core::Unavailable(
        core::kErrValueInvalid,
        fmt::format("Notify could not say whether it has {}: {} ({})", reference, why, status));
  };
  if (status != 200) return cannot_say("no list of messages came back");
  const nlohmann::json reply = nlohmann::json::parse(body, nullptr, false);
  if (!reply.is_object()) return cannot_say("its answer is not JSON");
  const auto list = reply.find("notifications");
  if (list == reply.end() || !list->is_array()) return cannot_say("its answer has no list");
  if (list->empty()) return std::optional<std::string>();
  std::string id = list->front().is_object() ? TextOrEmpty(list->front(), "id") : "";
  if (id.empty()) return cannot_say("a message in its list has no id");
  return std::optional<std::string>(std::move(id));
}

std::string FolderSms::PathFor(const std::string& reference) const {
  return (std::filesystem::path(dir_) / (SanitizeMailKey(reference) + ".json")).string();
}

SendResult FolderSms::Send(const std::string& to, const std::string& body,
                           const std::string& reference) {
  SendResult result;
  std::error_code error;
  std::filesystem::create_directories(dir_, error);
  if (error) {
    result.answer = "could not make the folder " + dir_ + ": " + error.message();
    return result;
  }
  const std::string path = PathFor(reference);
  nlohmann::ordered_json text = {{"to", to},
                                 {"body", body},
                                 {"reference", reference},
                                 {"written_at", UtcIso(clock_.NowSeconds())}};
  if (core::Status written = WriteFileAtomically(
          path, text.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
      !written.ok()) {
    result.answer = written.message();
    return result;
  }
  result.ok = true;
  result.answer = "written to " + path;
  result.provider_ref = "folder:" + SanitizeMailKey(reference);
  return result;
}

core::StatusOr<std::optional<std::string>> FolderSms::FindByReference(
    const std::string& reference) {
  std::error_code error;
  const bool there = std::filesystem::exists(PathFor(reference), error);
  if (error) {
    return core::Unavailable(core::kErrFileRead,
                             fmt::format("cannot look in {}: {}", dir_, error.message()));
  }
  if (!there) return std::optional<std::string>();
  return std::optional<std::string>("folder:" + SanitizeMailKey(reference));
}

core::StatusOr<NotifyReceipt> ParseNotifyReceipt(std::string_view body) {
  const nlohmann::json json = nlohmann::json::parse(body, nullptr, false);
  if (!json.is_object()) {
    return core::InvalidArgument(core::kErrValueInvalid, "a delivery receipt is a JSON object");
  }
  NotifyReceipt r;
  r.id = TextOrEmpty(json, "id");
  r.reference = TextOrEmpty(json, "reference");
  r.to = TextOrEmpty(json, "to");
  r.status = TextOrEmpty(json, "status");
  r.created_at = TextOrEmpty(json, "created_at");
  r.completed_at = TextOrEmpty(json, "completed_at");
  r.sent_at = TextOrEmpty(json, "sent_at");
  r.notification_type = TextOrEmpty(json, "notification_type");
  if (r.id.empty()) {
    return core::InvalidArgument(core::kErrValueInvalid, "the delivery receipt has no \"id\"");
  }
  static constexpr std::string_view kStatuses[] = {"delivered", "permanent-failure",
                                                   "temporary-failure", "technical-failure"};
  if (std::find(std::begin(kStatuses), std::end(kStatuses), r.status) == std::end(kStatuses)) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        "the delivery receipt's \"status\" is not delivered, permanent-failure, "
        "temporary-failure or technical-failure");
  }
  return r;
}

}  // namespace rollcall::io
