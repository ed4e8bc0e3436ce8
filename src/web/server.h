// server.h
//
// The HTTP/1.1 server: Boost.Beast over Asio, a pool of threads each running
// the io_context, speaking plain HTTP or, given a certificate, HTTPS (the
// TLS handshake within 10 s, then the same request handling). It reads a
// request (headers at most 8 KiB, body at most kMaxBodyBytes, or
// kMaxUploadBodyBytes for an upload route, 30 s to arrive, or 120 s for an
// upload's body), hands it to the RequestHandler (handler.h: one school's
// App, or Hosted for many) and writes the response;
// keep-alive connections are served in turn. HEAD is answered as GET without
// the body; a request whose Transfer-Encoding is anything but a single final
// "chunked" is refused and its connection closed (no request smuggling).
// Connections are capped below the open-file limit, and accept errors back
// off instead of spinning. Nothing else happens here: routing, auth and
// handlers live in App (and the choice of school in Hosted).
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "web/client_address.h"
#include "web/handler.h"
#include "web/http.h"

namespace rollcall::web {

inline constexpr size_t kMaxBodyBytes = 64 * 1024;
// The routes that take a file (medical evidence: at most 10 MB, in a
// multipart form with its other fields) may send this much; the limit is
// chosen from the request line once the header is read, so every other
// route keeps kMaxBodyBytes.
inline constexpr size_t kMaxUploadBodyBytes = 10 * 1024 * 1024 + 64 * 1024;
// Whether a POST to `target` (path and query) is an upload route:
// /parent/evidence, /pupils/{id}/evidence, /api/v1/pupils/{id}/evidence.
bool IsUploadTarget(std::string_view target);
// The most body bytes a request with this header may send:
// kMaxUploadBodyBytes for a POST to an upload route that carries a login
// (a Cookie or Authorization header), kMaxBodyBytes for any other.
size_t BodyLimitFor(const http::request_header<>& header);

// The request Beast read, as RequestHandler::Handle takes it, from the
// socket peer `remote_addr` (ClientAddress with `trusted_proxies` picks the
// client's address). `head` says whether it was HEAD, which becomes GET
// (the server then sends the headers only). InvalidArgument VALUE_INVALID
// when its Transfer-Encoding is anything but one "chunked" without
// Content-Length.
core::StatusOr<Request> ToRequest(http::request<http::string_body>&& req, std::string remote_addr,
                                  bool& head, const std::vector<std::string>& trusted_proxies = {});

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;  // 0: any free port (tests)
  int threads = 4;
  int request_timeout_seconds = 30;
  // Open connections at most; the server lowers it to fit the process's
  // open-file limit (leaving room for the database and logs). At the cap it
  // stops accepting and closes connections idle for a second or more.
  int max_connections = 1000;
  bool log_requests = true;
  // SIGINT and SIGTERM call Stop, from Start on.
  bool handle_signals = false;
  // PEM files (the certificate may be followed by its chain): with both set
  // the server speaks HTTPS only, TLS 1.2 or 1.3, and a plain HTTP request
  // is answered 400 in plain text and the connection closed. They are read
  // at Start and, with handle_signals, again on each SIGHUP (a renewed
  // certificate): new connections get the new one, open ones keep theirs,
  // and files that no longer load are logged and the old ones kept.
  std::string tls_cert_file;
  std::string tls_key_file;
  // The reverse proxies (IP addresses) whose X-Forwarded-For and X-Real-IP
  // headers name the client (ClientAddress); from anyone else they are
  // ignored.
  std::vector<std::string> trusted_proxies;
};

class Server {
 public:
  // `handler` is not owned and must outlive the server.
  Server(RequestHandler& handler, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Reads the TLS certificate and key if set, binds and listens.
  // InvalidArgument TLS_CERT_INVALID, naming the file, when a TLS file is
  // missing or not PEM or the key is not the certificate's; Unavailable
  // (LISTEN_FAILED) when the address or port cannot be used (e.g. already in
  // use).
  core::Status Start();
  uint16_t port() const;  // the bound port, after Start
  // Serves until Stop() is called (or SIGINT/SIGTERM arrives, with
  // handle_signals). Blocks.
  void Run();
  // Safe from any thread, including a handler: the acceptor closes on its
  // strand and Run returns.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rollcall::web
