// https_post.h
//
// Sending one HTTP POST to another system: a webhook receiver, or the
// endpoint a school's daily attendance share goes to. Services take a
// Poster, so tests can answer in-process and the server sends with libcurl
// (CurlPoster). A Poster never throws: a failure is an answer with status
// 0 and the reason in words.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace rollcall::io {

struct PostRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // name, value
  std::string content_type = "application/json";
  std::string body;
  int timeout_seconds = 20;  // the whole exchange, connecting included
};

struct PostAnswer {
  int status = 0;     // the HTTP status; 0 when no answer came
  std::string body;   // the first kMaxAnswerBytes of the answer's body
  std::string error;  // why no answer came, in words ("" when one did)
  bool ok() const { return status >= 200 && status < 300; }
};

// A receiver's answer is kept for the delivery log, not read: its first
// 4 KiB are enough to say what went wrong.
inline constexpr size_t kMaxAnswerBytes = 4096;

class Poster {
 public:
  virtual ~Poster() = default;
  virtual PostAnswer Post(const PostRequest& request) = 0;
};

// Posts with libcurl: TLS certificates checked against the system's store,
// no redirects followed (a receiver that moves must be reconfigured, so that
// attendance data never follows a redirect to somewhere unplanned), and no
// proxy unless the environment names one.
class CurlPoster : public Poster {
 public:
  PostAnswer Post(const PostRequest& request) override;
};

// Initialises libcurl once for the whole process, before its first handle
// (curl_global_init is not safe to run twice at once): every user of
// libcurl in rollcall (posts, email, Notify) calls this first.
void EnsureCurlInitialised();

// Ok when `url` may receive pupils' data: https://HOST..., or plain
// http:// to this machine only (127.0.0.1, [::1] or localhost: a receiver
// on the same machine, as in tests). Otherwise InvalidArgument
// VALUE_INVALID naming `field` and what is wrong.
core::Status CheckPostUrl(std::string_view field, std::string_view url);

}  // namespace rollcall::io
