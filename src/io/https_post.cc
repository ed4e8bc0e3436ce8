// https_post.cc: CurlPoster and CheckPostUrl.
#include "io/https_post.h"

#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <mutex>

#include "core/error_codes.h"

namespace rollcall::io {
namespace {

size_t KeepAnswer(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  const size_t bytes = size * count;
  if (body->size() < kMaxAnswerBytes) {
    body->append(data, std::min(bytes, kMaxAnswerBytes - body->size()));
  }
  return bytes;  // the rest is read and dropped, so the exchange completes
}

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct ListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

}  // namespace

void EnsureCurlInitialised() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

PostAnswer CurlPoster::Post(const PostRequest& request) {
  EnsureCurlInitialised();
  PostAnswer answer;
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) {
    answer.error = "could not start an HTTP client";
    return answer;
  }
  curl_slist* raw = nullptr;
  raw = curl_slist_append(raw, ("Content-Type: " + request.content_type).c_str());
  // Without this, curl waits a second for "100 Continue" before a large body.
  raw = curl_slist_append(raw, "Expect:");
  for (const auto& [name, value] : request.headers) {
    raw = curl_slist_append(raw, (name + ": " + value).c_str());
  }
  std::unique_ptr<curl_slist, ListDeleter> headers(raw);
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(request.timeout_seconds));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(request.timeout_seconds));
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // the server's threads handle signals
  curl_easy_setopt(c, CURLOPT_USERAGENT, "rollcall");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, KeepAnswer);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer.body);
  const CURLcode result = curl_easy_perform(c);
  if (result != CURLE_OK) {
    answer.body.clear();
    answer.error = curl_easy_strerror(result);
    return answer;
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  answer.status = static_cast<int>(status);
  return answer;
}

core::Status CheckPostUrl(std::string_view field, std::string_view url) {
  const auto bad = [&](std::string_view why) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 std::string(field) + ": " + std::string(why));
  };
  if (url.empty()) return bad("an address is needed");
  if (url.find_first_of(" \t\r\n\\") != std::string_view::npos) {
    return bad("an address has no spaces or backslashes");
  }
  const bool https = url.starts_with("https://");
  if (!https && !url.starts_with("http://")) return bad("the address must start with https://");
  const std::string_view rest = url.substr(https ? 8 : 7);
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  // A user name before the host ("http://127.0.0.1:80@elsewhere/") would
  // send the data to the host after the '@': no address carries one.
  if (authority.find('@') != std::string_view::npos) {
    return bad("an address may not carry a user name or password");
  }
  if (authority.empty() || authority.starts_with(':')) return bad("the address has no host");
  if (https) return core::OkStatus();
  for (std::string_view local : {"127.0.0.1", "[::1]", "localhost"}) {
    if (!authority.starts_with(local)) continue;
    const std::string_view port = authority.substr(local.size());
    if (port.empty() ||
        (port.size() > 1 && port[0] == ':' &&
         port.substr(1).find_first_not_of("0123456789") == std::string_view::npos)) {
      return core::OkStatus();
    }
  }
  return bad(
      "pupils' data goes only to an https:// address (plain http:// only to this "
      "machine)");
}

}  // namespace rollcall::io
