// The bytes of a connection, read as the server reads them: Beast's parser
// with the server's header limit, the body limit BodyLimitFor chooses once
// the header is in, then ToRequest, the conversion the server hands to
// App::Handle, and the target parsed as the router parses it.
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>

#include "fuzz/fuzz_util.h"
#include "web/http.h"
#include "web/server.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rollcall;
  namespace http = boost::beast::http;
  http::request_parser<http::string_body> parser;
  parser.header_limit(8 * 1024);
  parser.body_limit(web::kMaxUploadBodyBytes);
  boost::beast::error_code ec;
  std::string_view rest = fuzz::Bytes(data, size);
  bool limited = false;
  int stalled = 0;
  while (!parser.is_done()) {
    const size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
    rest.remove_prefix(used);
    if (ec == http::error::need_more) {
      // The connection ends here: the server closes it unanswered.
      if (rest.empty()) return 0;
      ec = {};
      if (used == 0) return 0;
    } else if (ec) {
      return 0;  // malformed: answered 400 and closed
    } else if (used == 0 && stalled++ > 0) {
      return 0;  // no progress twice: the connection times out
    }
    if (parser.is_header_done() && !limited) {
      limited = true;
      // As http::async_read does once the header is in: the body is read
      // in whatever pieces arrive.
      parser.eager(true);
      const size_t limit = web::BodyLimitFor(parser.get());
      if (limit != web::kMaxUploadBodyBytes) {
        parser.body_limit(limit);
        if (parser.content_length().value_or(0) > limit) return 0;  // 413
      }
    }
  }
  bool head = false;
  core::StatusOr<web::Request> request = web::ToRequest(parser.release(), "127.0.0.1", head);
  if (!request.ok()) return 0;
  fuzz::Check(request->method != http::verb::head, "HEAD reaches the handlers");
  (void)web::ParseTarget(request->target);
  return 0;
}
