// server.cc: Beast sessions: read, RequestHandler::Handle, write, repeat.
#include "web/server.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <list>
#include <mutex>
#include <thread>
#include <utility>  // before Asio: Boost 1.74 with g++ 12 in C++20 mode
#include <vector>

#include "core/error_codes.h"
#include "web/app.h"  // AddSecurityHeaders
#include "web/tls.h"

namespace rollcall::web {
namespace {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

int64_t SteadyMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// One open connection, plain or TLS, as the server's sweep sees it.
class Connection {
 public:
  virtual ~Connection() = default;
  // Closes the connection if it has been waiting for a request for at least
  // `idle_ms` (on its own strand, so never in the middle of a request).
  virtual void CloseIfIdle(int64_t idle_ms) = 0;
};

// Transfer-Encoding is accepted only as one header saying exactly
// "chunked", without Content-Length: anything else could make this server
// and a proxy in front of it disagree about where a request ends.
bool TransferEncodingOk(const http::request<http::string_body>& req) {
  const size_t n = req.count(http::field::transfer_encoding);
  if (n == 0) return true;
  if (n > 1 || req.count(http::field::content_length) > 0) return false;
  std::string value(req[http::field::transfer_encoding]);
  const size_t first = value.find_first_not_of(" \t");
  const size_t last = value.find_last_not_of(" \t");
  value = first == std::string::npos ? "" : value.substr(first, last - first + 1);
  std::transform(value.begin(), value.end(), value.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return value == "chunked";
}

// The open connections, shared with each of them (a connection may end
// after the server's own state is gone).
struct Connections {
  std::atomic<int> active{0};
  int max = 0;  // set by Start
  std::mutex mu;
  std::list<std::weak_ptr<Connection>> list;
};

// A TLS client gets this long to finish its handshake, and to say goodbye.
constexpr int kTlsHandshakeSeconds = 10;
constexpr int kTlsShutdownSeconds = 5;

// What a plain HTTP request to the HTTPS port is told before the
// connection closes: a browser shows it, and curl prints it.
constexpr std::string_view kPlainToTlsBody =
    "This server speaks HTTPS only: use an https:// address.\n";

// Under pressure, connections waiting this long for a request are closed.
constexpr int64_t kIdleUnderPressureMs = 1000;

// One connection: read a request, RequestHandler::Handle, write, repeat. `Stream` is
// beast::tcp_stream for plain HTTP or TlsStream for HTTPS; everything after
// the handshake is the same code for both, limits and timeouts included.
template <typename Stream>
class Session : public Connection, public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  // `stream_args` make the stream: the accepted socket, and for TLS the
  // server's ssl::context after it.
  template <typename... StreamArgs>
  Session(RequestHandler& app, const ServerOptions& options, net::thread_pool& login_pool,
          net::thread_pool& write_pool, std::shared_ptr<Connections> connections,
          StreamArgs&&... stream_args)
      : stream_(std::forward<StreamArgs>(stream_args)...),
        app_(app),
        options_(options),
        login_pool_(login_pool),
        write_pool_(write_pool),
        connections_(std::move(connections)) {
    ++connections_->active;
  }
  ~Session() {
    {
      std::lock_guard lock(connections_->mu);
      if (registered_) connections_->list.erase(entry_);
    }
    --connections_->active;
  }

  void Start() {
    {
      std::lock_guard lock(connections_->mu);
      entry_ = connections_->list.insert(connections_->list.end(), this->weak_from_this());
      registered_ = true;
    }
    if constexpr (kTls) {
      net::dispatch(stream_.get_executor(),
                    beast::bind_front_handler(&Session::Detect, this->shared_from_this()));
    } else {
      net::dispatch(stream_.get_executor(),
                    beast::bind_front_handler(&Session::Read, this->shared_from_this()));
    }
  }

  void CloseIfIdle(int64_t idle_ms) override {
    net::post(stream_.get_executor(), [self = this->shared_from_this(), idle_ms] {
      const int64_t since = self->waiting_since_.load();
      if (since == 0 || SteadyMillis() - since < idle_ms) return;
      self->closing_ = true;
      beast::error_code ec;
      self->socket().shutdown(tcp::socket::shutdown_both, ec);
      self->socket().close(ec);
    });
  }

 private:
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }
  tcp::socket& socket() { return lowest().socket(); }

  // TLS only: a client that speaks plain HTTP to this port is told to use
  // https:// (in plain text, as it can read nothing else) and let go; a
  // TLS client goes on to the handshake. Both within kTlsHandshakeSeconds.
  void Detect() {
    lowest().expires_after(
        std::chrono::seconds(std::min(kTlsHandshakeSeconds, options_.request_timeout_seconds)));
    waiting_since_ = SteadyMillis();
    beast::async_detect_ssl(
        lowest(), buffer_, beast::bind_front_handler(&Session::OnDetect, this->shared_from_this()));
  }

  void OnDetect(beast::error_code ec, bool is_tls) {
    if (closing_) return;
    if (ec) return CloseSocket();
    if (!is_tls) {
      waiting_since_ = 0;
      auto text = std::make_shared<std::string>(
          fmt::format("HTTP/1.1 400 Bad Request\r\nServer: rollcall\r\nContent-Type: text/plain; "
                      "charset=utf-8\r\nX-Content-Type-Options: nosniff\r\nContent-Length: {}\r\n"
                      "Connection: close\r\n\r\n{}",
                      kPlainToTlsBody.size(), kPlainToTlsBody));
      net::async_write(lowest(), net::buffer(*text),
                       [self = this->shared_from_this(), text](beast::error_code, size_t) {
                         beast::error_code ignored;
                         self->socket().shutdown(tcp::socket::shutdown_send, ignored);
                       });
      return;
    }
    if constexpr (kTls) {
      // The bytes detect_ssl read are the start of the client's hello.
      stream_.async_handshake(
          ssl::stream_base::server, buffer_.data(),
          beast::bind_front_handler(&Session::OnHandshake, this->shared_from_this()));
    }
  }

  void OnHandshake(beast::error_code ec, size_t used) {
    waiting_since_ = 0;
    if (closing_) return;
    if (ec) {
      // An old protocol, no shared cipher, a scanner: nothing to answer.
      spdlog::debug("TLS handshake failed: {}", ec.message());
      return CloseSocket();
    }
    buffer_.consume(used);
    Read();
  }

  void Read() {
    parser_.emplace();
    parser_->header_limit(8 * 1024);
    // The parser checks a Content-Length against the limit while it reads
    // the header, before OnHeader knows the route: so the header is read
    // with the upload routes' limit, and OnHeader brings every other route
    // down to kMaxBodyBytes (a chunked body is counted against the limit as
    // it arrives).
    parser_->body_limit(kMaxUploadBodyBytes);
    // Close to the cap, a connection gets less time to send its request.
    const bool pressed = connections_->active.load() * 4 >= connections_->max * 3;
    lowest().expires_after(std::chrono::seconds(pressed
                                                    ? std::min(5, options_.request_timeout_seconds)
                                                    : options_.request_timeout_seconds));
    waiting_since_ = SteadyMillis();
    body_limit_ = kMaxBodyBytes;
    http::async_read_header(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&Session::OnHeader, this->shared_from_this()));
  }

  // The header is in: an upload route may send a larger body, and more
  // time to send it; every other route keeps the small limit.
  void OnHeader(beast::error_code ec, size_t bytes) {
    if (ec) return OnRead(ec, bytes);
    body_limit_ = BodyLimitFor(parser_->get());
    if (body_limit_ == kMaxUploadBodyBytes) {
      lowest().expires_after(std::chrono::seconds(std::max(120, options_.request_timeout_seconds)));
    } else {
      parser_->body_limit(kMaxBodyBytes);
      if (parser_->content_length().value_or(0) > kMaxBodyBytes) {
        return OnRead(http::error::body_limit, bytes);
      }
    }
    if (parser_->is_done()) return OnRead(ec, bytes);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, this->shared_from_this()));
  }

  void OnRead(beast::error_code ec, size_t) {
    waiting_since_ = 0;
    if (closing_ || ec == net::error::operation_aborted) return;
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::connection_reset || ec == net::error::eof ||
        ec == ssl::error::stream_truncated) {
      return Close();
    }
    if (ec == http::error::body_limit) {
      return Reply(ErrorResponse(core::InvalidArgument(
                       core::kErrBodyTooLarge,
                       fmt::format("the request body is larger than {} bytes", body_limit_))),
                   false, 11);
    }
    if (ec) {
      // Malformed HTTP: say so once and close.
      return Reply(ErrorResponse(core::InvalidArgument(core::kErrValueInvalid,
                                                       "malformed HTTP request: " + ec.message())),
                   false, 11);
    }
    http::request<http::string_body> req = parser_->release();
    const bool keep_alive = req.keep_alive();
    const unsigned version = req.version();
    beast::error_code addr_ec;
    auto endpoint = socket().remote_endpoint(addr_ec);
    core::StatusOr<Request> converted =
        ToRequest(std::move(req), addr_ec ? std::string() : endpoint.address().to_string(), head_,
                  options_.trusted_proxies);
    if (!converted.ok()) return Reply(ErrorResponse(converted.status()), false, 11);
    Request r = std::move(converted).value();
    const auto started = std::chrono::steady_clock::now();
    // Password hashing (argon2id, ~0.1 s of CPU) runs on its own pool so a
    // burst of logins (API or form) and password changes never holds up
    // registers and summaries. Writes (a register's marks above all) run on
    // a pool of their own too, so that at 9:00 a mark never queues behind
    // hundreds of summaries being read: they share the cores, not a queue.
    const bool hashes = app_.HashesPasswords(r);
    if (hashes || (r.method != http::verb::get && r.method != http::verb::head)) {
      net::post(
          hashes ? login_pool_ : write_pool_, [self = this->shared_from_this(), r = std::move(r),
                                               keep_alive, version, started]() mutable {
            Response res = self->app_.Handle(r);
            net::post(self->stream_.get_executor(), [self, res = std::move(res), r = std::move(r),
                                                     keep_alive, version, started]() mutable {
              self->Finish(std::move(res), r, keep_alive, version, started);
            });
          });
      return;
    }
    Response res = app_.Handle(r);
    Finish(std::move(res), r, keep_alive, version, started);
  }

  void Finish(Response res, const Request& r, bool keep_alive, unsigned version,
              std::chrono::steady_clock::time_point started) {
    if (options_.log_requests) {
      const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::steady_clock::now() - started)
                              .count();
      // Paths carry ids, never names.
      const std::string path = r.target.substr(0, r.target.find('?'));
      spdlog::info("{} {} {} {}us",
                   head_ ? std::string("HEAD") : std::string(http::to_string(r.method)), path,
                   static_cast<int>(res.status), micros);
    }
    Reply(std::move(res), keep_alive, version);
  }

  void Reply(Response res, bool keep_alive, unsigned version) {
    if (res.headers.empty()) AddSecurityHeaders(res, kTls);  // the server's own errors
    if (head_) {
      // The headers GET would send, Content-Length included, and no body.
      auto msg = std::make_shared<http::response<http::empty_body>>(res.status, version);
      SetHeaders(*msg, res, keep_alive);
      msg->content_length(res.body.size());
      Write(std::move(msg));
      return;
    }
    auto msg = std::make_shared<http::response<http::string_body>>(res.status, version);
    SetHeaders(*msg, res, keep_alive);
    msg->body() = std::move(res.body);
    msg->prepare_payload();
    Write(std::move(msg));
  }

  template <typename Message>
  static void SetHeaders(Message& msg, const Response& res, bool keep_alive) {
    msg.set(http::field::server, "rollcall");
    msg.set(http::field::content_type, res.content_type);
    msg.set("X-Content-Type-Options", "nosniff");
    for (const auto& [name, value] : res.headers) msg.insert(name, value);
    msg.keep_alive(keep_alive);
  }

  template <typename Message>
  void Write(std::shared_ptr<Message> msg) {
    response_ = msg;
    http::async_write(
        stream_, *msg,
        beast::bind_front_handler(&Session::OnWrite, this->shared_from_this(), msg->need_eof()));
  }

  void OnWrite(bool close, beast::error_code ec, size_t) {
    response_.reset();
    head_ = false;
    if (ec || close) return Close();
    Read();
  }

  // The end of a connection: over TLS, the close_notify first (bounded in
  // time, since a client may never answer it).
  void Close() {
    if constexpr (kTls) {
      lowest().expires_after(std::chrono::seconds(kTlsShutdownSeconds));
      stream_.async_shutdown(
          [self = this->shared_from_this()](beast::error_code) { self->CloseSocket(); });
    } else {
      beast::error_code ec;
      socket().shutdown(tcp::socket::shutdown_send, ec);
    }
  }

  void CloseSocket() {
    beast::error_code ec;
    socket().shutdown(tcp::socket::shutdown_both, ec);
    socket().close(ec);
  }

  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  size_t body_limit_ = kMaxBodyBytes;  // of the request being read
  std::shared_ptr<void> response_;
  RequestHandler& app_;
  const ServerOptions& options_;
  net::thread_pool& login_pool_;
  net::thread_pool& write_pool_;
  std::shared_ptr<Connections> connections_;
  std::list<std::weak_ptr<Connection>>::iterator entry_;
  bool registered_ = false;                // entry_ is in connections_->list
  std::atomic<int64_t> waiting_since_{0};  // steady ms a read began; 0 while busy
  bool closing_ = false;                   // closed as idle under pressure
  bool head_ = false;                      // answering a HEAD request
};

}  // namespace

core::StatusOr<Request> ToRequest(http::request<http::string_body>&& req, std::string remote_addr,
                                  bool& head, const std::vector<std::string>& trusted_proxies) {
  if (!TransferEncodingOk(req)) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        "malformed HTTP request: Transfer-Encoding must be exactly 'chunked'");
  }
  // HEAD is answered as GET would be, headers only.
  head = req.method() == http::verb::head;
  Request r;
  r.method = head ? http::verb::get : req.method();
  r.target = std::string(req.target());
  r.body = std::move(req.body());
  r.content_type = std::string(req[http::field::content_type]);
  r.cookie = std::string(req[http::field::cookie]);
  r.csrf_token = std::string(req["X-CSRF-Token"]);
  r.authorization = std::string(req[http::field::authorization]);
  r.origin = std::string(req[http::field::origin]);
  r.host = std::string(req[http::field::host]);
  r.htmx = req["HX-Request"] == "true";
  if (trusted_proxies.empty()) {
    r.remote_addr = std::move(remote_addr);
  } else {
    // A proxy may add a header line of its own rather than extend the
    // client's (HAProxy does): the lines joined, the last is still last.
    std::string forwarded_for;
    const auto lines = req.equal_range("X-Forwarded-For");
    for (auto line = lines.first; line != lines.second; ++line) {
      if (!forwarded_for.empty()) forwarded_for += ',';
      forwarded_for += std::string(line->value());
    }
    r.remote_addr =
        ClientAddress(remote_addr, forwarded_for, std::string(req["X-Real-IP"]), trusted_proxies);
  }
  return r;
}

struct Server::Impl {
  Impl(RequestHandler& a, ServerOptions o)
      : app(a),
        options(std::move(o)),
        accept_strand(net::make_strand(ioc)),
        acceptor(accept_strand),
        retry_timer(accept_strand),
        login_pool(static_cast<size_t>(std::max(1, options.threads / 2))),
        write_pool(static_cast<size_t>(std::max(1, options.threads))),
        connections(std::make_shared<Connections>()) {}

  // Closes every connection that has waited for a request for a second or
  // more, to make room.
  void SweepIdle() {
    std::vector<std::shared_ptr<Connection>> sessions;
    {
      std::lock_guard lock(connections->mu);
      for (const std::weak_ptr<Connection>& w : connections->list) {
        if (std::shared_ptr<Connection> s = w.lock()) sessions.push_back(std::move(s));
      }
    }
    for (const std::shared_ptr<Connection>& s : sessions) s->CloseIfIdle(kIdleUnderPressureMs);
  }

  // Accepts again after `delay`, on the acceptor's strand.
  void AcceptAfter(std::chrono::milliseconds delay) {
    retry_timer.expires_after(delay);
    retry_timer.async_wait([this](beast::error_code ec) {
      if (!ec && acceptor.is_open()) Accept();
    });
  }

  // The acceptor is not thread-safe: its completion handlers run on
  // accept_strand, and Stop closes it there too, never beside an Accept.
  void Accept() {
    if (connections->active.load() >= connections->max) {
      // At the cap: make room, and look again shortly. Clients wait in the
      // listen queue meanwhile.
      SweepIdle();
      return AcceptAfter(std::chrono::milliseconds(100));
    }
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
      if (ec) {
        // Out of file descriptors (or another accept error): retrying at
        // once would spin a core. Make room and back off, up to a second.
        accept_backoff = std::min(std::max(accept_backoff * 2, std::chrono::milliseconds(10)),
                                  std::chrono::milliseconds(1000));
        if (accept_backoff == std::chrono::milliseconds(10)) {
          spdlog::warn("cannot accept a connection: {} ({} open)", ec.message(),
                       connections->active.load());
        }
        SweepIdle();
        return AcceptAfter(accept_backoff);
      }
      accept_backoff = std::chrono::milliseconds(0);
      beast::error_code opt_ec;
      socket.set_option(tcp::no_delay(true), opt_ec);
      if (tls) {
        // The connection keeps its own reference to the context's
        // certificate: a reload swaps `tls` for the next ones alone.
        std::make_shared<Session<TlsStream>>(app, options, login_pool, write_pool, connections,
                                             std::move(socket), *tls)
            ->Start();
      } else {
        std::make_shared<Session<beast::tcp_stream>>(app, options, login_pool, write_pool,
                                                     connections, std::move(socket))
            ->Start();
      }
      Accept();
    });
  }

  RequestHandler& app;
  ServerOptions options;
  net::io_context ioc;
  net::strand<net::io_context::executor_type> accept_strand;
  tcp::acceptor acceptor;
  net::steady_timer retry_timer;
  std::chrono::milliseconds accept_backoff{0};
  net::thread_pool login_pool;
  net::thread_pool write_pool;
  std::shared_ptr<Connections> connections;
  // Reads the certificate and key again on each SIGHUP, from Start on, and
  // serves new connections with them; on a failure keeps the ones it has.
  void WatchHangup();

  std::optional<net::signal_set> signals;
  std::optional<net::signal_set> hangup;
  // Set by Start when serving HTTPS; replaced on accept_strand alone.
  std::shared_ptr<ssl::context> tls;
  uint16_t port = 0;
};

size_t BodyLimitFor(const http::request_header<>& header) {
  // Only a request that carries a login (a session cookie or a token) may
  // send an upload's body: anyone else is refused unread, so strangers
  // cannot make the server hold 10 MB for each connection.
  const bool signed_in =
      header.count(http::field::cookie) > 0 || header.count(http::field::authorization) > 0;
  const bool upload =
      header.method() == http::verb::post && signed_in &&
      IsUploadTarget(std::string_view(header.target().data(), header.target().size()));
  return upload ? kMaxUploadBodyBytes : kMaxBodyBytes;
}

bool IsUploadTarget(std::string_view target) {
  std::string_view path = target.substr(0, target.find('?'));
  if (path == "/parent/evidence") return true;
  for (std::string_view prefix :
       {std::string_view("/pupils/"), std::string_view("/api/v1/pupils/")}) {
    if (!path.starts_with(prefix)) continue;
    std::string_view rest = path.substr(prefix.size());
    const size_t slash = rest.find('/');
    if (slash == 0 || slash == std::string_view::npos || rest.substr(slash) != "/evidence") {
      return false;
    }
    return rest.substr(0, slash).find_first_not_of("0123456789") == std::string_view::npos;
  }
  return false;
}

Server::Server(RequestHandler& app, ServerOptions options)
    : impl_(std::make_unique<Impl>(app, std::move(options))) {}
Server::~Server() {
  // Run has returned and joined its threads (or never ran): nothing else
  // touches the acceptor now.
  beast::error_code ec;
  impl_->acceptor.close(ec);
  impl_->ioc.stop();
  impl_->login_pool.stop();
  impl_->write_pool.stop();
}

void Server::Impl::WatchHangup() {
  hangup->async_wait([this](beast::error_code waited, int) {
    if (waited) return;  // stopping
    net::dispatch(accept_strand, [this] {
      core::StatusOr<ssl::context> ctx =
          MakeTlsContext(options.tls_cert_file, options.tls_key_file);
      if (ctx.ok()) {
        tls = std::make_shared<ssl::context>(std::move(ctx).value());
        spdlog::info("SIGHUP: new connections use the certificate read again from {}",
                     options.tls_cert_file);
      } else {
        spdlog::error("SIGHUP: kept the certificate in use: {}", ctx.status().message());
      }
    });
    WatchHangup();
  });
}

core::Status Server::Start() {
  const ServerOptions& o = impl_->options;
  if (o.tls_cert_file.empty() != o.tls_key_file.empty()) {
    return core::InvalidArgument(core::kErrTlsCertInvalid,
                                 "--tls-cert and --tls-key go together: give both or neither");
  }
  // Before the port is bound: a bad certificate stops the start, and never
  // leaves a server that answers nothing.
  if (!o.tls_cert_file.empty()) {
    core::StatusOr<ssl::context> ctx = MakeTlsContext(o.tls_cert_file, o.tls_key_file);
    if (!ctx.ok()) return ctx.status();
    impl_->tls = std::make_shared<ssl::context>(std::move(ctx).value());
  }
  beast::error_code ec;
  const auto address = net::ip::make_address(impl_->options.address, ec);
  if (ec) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "'" + impl_->options.address + "' is not an IP address");
  }
  const tcp::endpoint endpoint(address, impl_->options.port);
  auto fail = [&](const char* what) {
    return core::Unavailable(core::kErrListenFailed,
                             fmt::format("cannot {} {}:{}: {}", what, impl_->options.address,
                                         impl_->options.port, ec.message()));
  };
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (ec) return fail("open");
  impl_->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  impl_->acceptor.bind(endpoint, ec);
  if (ec) return fail("listen on");
  impl_->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen on");
  impl_->port = impl_->acceptor.local_endpoint().port();
  // Leave room below the open-file limit for the database, its journal and
  // the logs: a server that runs out of descriptors can answer no one.
  int cap = std::max(1, impl_->options.max_connections);
  if (rlimit limit{}; getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    const auto files = static_cast<int64_t>(limit.rlim_cur);
    const int64_t reserve = std::max<int64_t>(32, files / 8);
    cap = static_cast<int>(std::clamp<int64_t>(files - reserve, 8, cap));
  }
  impl_->connections->max = cap;
  // Before anyone can learn the port: a SIGTERM straight after it is
  // announced still stops the server cleanly.
  if (impl_->options.handle_signals) {
    if (impl_->tls) {
      impl_->hangup.emplace(impl_->ioc, SIGHUP);
      impl_->WatchHangup();
    }
    impl_->signals.emplace(impl_->ioc, SIGINT, SIGTERM);
    impl_->signals->async_wait([this](beast::error_code waited, int) {
      if (!waited) Stop();
    });
  }
  impl_->Accept();
  return core::OkStatus();
}

uint16_t Server::port() const { return impl_->port; }

void Server::Run() {
  std::vector<std::thread> threads;
  for (int i = 1; i < impl_->options.threads; ++i) {
    threads.emplace_back([this] { impl_->ioc.run(); });
  }
  impl_->ioc.run();
  for (std::thread& t : threads) t.join();
}

void Server::Stop() {
  // Called from the signal handler on one io thread while an accept may be
  // completing on another: close the acceptor on its strand, then stop.
  net::dispatch(impl_->accept_strand, [impl = impl_.get()] {
    beast::error_code ec;
    impl->acceptor.close(ec);
    impl->retry_timer.cancel();
    impl->ioc.stop();
  });
  impl_->login_pool.stop();
  impl_->write_pool.stop();
}

}  // namespace rollcall::web
