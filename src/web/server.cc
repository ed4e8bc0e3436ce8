// server.cc: Beast sessions: read, App::Handle, write, repeat.
#include "web/server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <thread>
#include <utility>  // before Asio: Boost 1.74 with g++ 12 in C++20 mode
#include <vector>

#include "core/error_codes.h"

namespace rollcall::web {
namespace {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, App& app, const ServerOptions& options,
          net::thread_pool& login_pool)
      : stream_(std::move(socket)), app_(app), options_(options), login_pool_(login_pool) {}

  void Start() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::Read, shared_from_this()));
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->header_limit(8 * 1024);
    parser_->body_limit(kMaxBodyBytes);
    stream_.expires_after(std::chrono::seconds(options_.request_timeout_seconds));
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, size_t) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::connection_reset || ec == net::error::eof) {
      return Close();
    }
    if (ec == http::error::body_limit) {
      return Reply(ErrorResponse(core::InvalidArgument(
                       core::kErrBodyTooLarge,
                       fmt::format("the request body is larger than {} bytes", kMaxBodyBytes))),
                   false, 11);
    }
    if (ec) {
      // Malformed HTTP: say so once and close.
      return Reply(ErrorResponse(core::InvalidArgument(core::kErrValueInvalid,
                                                       "malformed HTTP request: " + ec.message())),
                   false, 11);
    }
    http::request<http::string_body> req = parser_->release();
    const auto started = std::chrono::steady_clock::now();
    Request r;
    r.method = req.method();
    r.target = std::string(req.target());
    r.body = std::move(req.body());
    r.content_type = std::string(req[http::field::content_type]);
    r.cookie = std::string(req[http::field::cookie]);
    r.csrf_token = std::string(req["X-CSRF-Token"]);
    r.origin = std::string(req[http::field::origin]);
    r.host = std::string(req[http::field::host]);
    r.htmx = req["HX-Request"] == "true";
    beast::error_code addr_ec;
    auto endpoint = stream_.socket().remote_endpoint(addr_ec);
    r.remote_addr = addr_ec ? std::string() : endpoint.address().to_string();
    const bool keep_alive = req.keep_alive();
    const unsigned version = req.version();
    // Password hashing (argon2id, ~0.1 s of CPU) runs on its own pool so a
    // burst of logins never holds up registers and summaries.
    if (r.method == http::verb::post && r.target == "/api/v1/login") {
      net::post(login_pool_, [self = shared_from_this(), r = std::move(r), keep_alive, version,
                              started]() mutable {
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
      spdlog::info("{} {} {} {}us", std::string(http::to_string(r.method)), path,
                   static_cast<int>(res.status), micros);
    }
    Reply(std::move(res), keep_alive, version);
  }

  void Reply(Response res, bool keep_alive, unsigned version) {
    auto msg = std::make_shared<http::response<http::string_body>>(res.status, version);
    msg->set(http::field::server, "rollcall");
    msg->set(http::field::content_type, res.content_type);
    msg->set("X-Content-Type-Options", "nosniff");
    for (auto& [name, value] : res.headers) msg->insert(name, value);
    msg->body() = std::move(res.body);
    msg->keep_alive(keep_alive);
    msg->prepare_payload();
    response_ = msg;
    http::async_write(
        stream_, *msg,
        beast::bind_front_handler(&Session::OnWrite, shared_from_this(), msg->need_eof()));
  }

  void OnWrite(bool close, beast::error_code ec, size_t) {
    response_.reset();
    if (ec || close) return Close();
    Read();
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<void> response_;
  App& app_;
  const ServerOptions& options_;
  net::thread_pool& login_pool_;
};

}  // namespace

struct Server::Impl {
  Impl(App& a, ServerOptions o)
      : app(a),
        options(std::move(o)),
        accept_strand(net::make_strand(ioc)),
        acceptor(accept_strand),
        login_pool(static_cast<size_t>(std::max(1, options.threads / 2))) {}

  // The acceptor is not thread-safe: its completion handlers run on
  // accept_strand, and Stop closes it there too, never beside an Accept.
  void Accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (!ec) {
        beast::error_code opt_ec;
        socket.set_option(tcp::no_delay(true), opt_ec);
        std::make_shared<Session>(std::move(socket), app, options, login_pool)->Start();
      }
      if (acceptor.is_open()) Accept();
    });
  }

  App& app;
  ServerOptions options;
  net::io_context ioc;
  net::strand<net::io_context::executor_type> accept_strand;
  tcp::acceptor acceptor;
  net::thread_pool login_pool;
  std::optional<net::signal_set> signals;
  uint16_t port = 0;
};

Server::Server(App& app, ServerOptions options)
    : impl_(std::make_unique<Impl>(app, std::move(options))) {}
Server::~Server() {
  // Run has returned and joined its threads (or never ran): nothing else
  // touches the acceptor now.
  beast::error_code ec;
  impl_->acceptor.close(ec);
  impl_->ioc.stop();
  impl_->login_pool.stop();
}

core::Status Server::Start() {
  beast::error_code ec;
  const auto address = net::ip::make_address(impl_->options.address, ec);
  if (ec) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "'" + impl_->options.address + "' is not an IP address");
  }
  const tcp::endpoint endpoint(address, impl_->options.port);
  auto fail = [&](const char* what) {
    return core::Unavailable("LISTEN_FAILED",
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
  // Before anyone can learn the port: a SIGTERM straight after it is
  // announced still stops the server cleanly.
  if (impl_->options.handle_signals) {
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
    impl->ioc.stop();
  });
  impl_->login_pool.stop();
}

}  // namespace rollcall::web
