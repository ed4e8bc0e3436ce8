#include "io/https_post.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

namespace rollcall::io {
namespace {

TEST(CheckPostUrlTest, TakesHttpsAndLocalHttpOnly) {
  EXPECT_TRUE(CheckPostUrl("url", "https://share.example.org/in").ok());
  EXPECT_TRUE(CheckPostUrl("url", "http://127.0.0.1:8080/hook").ok());
  EXPECT_TRUE(CheckPostUrl("url", "http://localhost/hook").ok());
  EXPECT_TRUE(CheckPostUrl("url", "http://[::1]:9/").ok());
  EXPECT_TRUE(CheckPostUrl("url", "http://127.0.0.1:8080?x=1").ok());
  EXPECT_TRUE(CheckPostUrl("url", "https://share.example.org:8443/in?school=1#x").ok());
  for (const char* bad :
       {"", "http://example.org/hook", "http://localhost.example.org/x",
        "http://127.0.0.1.example.org/", "ftp://example.org/", "https://", "https:///path",
        "https://exa mple.org/", "file:///etc/passwd", "http://127.0.0.1:80@evil.example/",
        "http://localhost@evil.example/", "https://user:pw@example.org/", "http://127.0.0.1:8x/",
        "http://127.0.0.1:/", "https://:443/", "http://127.0.0.1\\@evil.example/"}) {
    const core::Status s = CheckPostUrl("Webhook address", bad);
    EXPECT_FALSE(s.ok()) << bad;
    EXPECT_TRUE(s.message().starts_with("Webhook address: ")) << s.message();
  }
}

// One HTTP exchange on a loopback port: reads the request until its body
// has arrived, answers `answer`, and keeps what it read.
class OneShotServer {
 public:
  explicit OneShotServer(std::string answer) : answer_(std::move(answer)) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);  // NOLINT
    listen(fd_, 1);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);  // NOLINT
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~OneShotServer() {
    Join();
    close(fd_);
  }
  int port() const { return port_; }
  // What the client sent, once the exchange is over.
  const std::string& Request() {
    Join();
    return request_;
  }

 private:
  void Join() {
    if (thread_.joinable()) thread_.join();
  }
  void Serve() {
    const int client = accept(fd_, nullptr, nullptr);
    if (client < 0) return;
    char buf[4096];
    for (;;) {
      const ssize_t n = read(client, buf, sizeof buf);
      if (n <= 0) break;
      request_.append(buf, static_cast<size_t>(n));
      const size_t end = request_.find("\r\n\r\n");
      const size_t length_at = request_.find("Content-Length: ");
      if (end != std::string::npos && length_at != std::string::npos &&
          request_.size() >= end + 4 + std::stoul(request_.substr(length_at + 16))) {
        break;
      }
    }
    (void)!write(client, answer_.data(), answer_.size());
    close(client);
  }
  std::string answer_;
  int fd_ = -1;
  int port_ = 0;
  std::string request_;
  std::thread thread_;
};

TEST(CurlPosterTest, SendsTheBodyAndHeadersAndKeepsTheAnswer) {
  OneShotServer server(
      "HTTP/1.1 202 Accepted\r\nContent-Length: 8\r\nConnection: close\r\n\r\nreceived");
  CurlPoster poster;
  const PostAnswer answer =
      poster.Post({.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/in",
                   .headers = {{"Rollcall-Test", "yes"}},
                   .body = R"({"a":1})"});
  EXPECT_EQ(answer.status, 202);
  EXPECT_TRUE(answer.ok());
  EXPECT_EQ(answer.body, "received");
  EXPECT_EQ(answer.error, "");
  const std::string& request = server.Request();
  EXPECT_TRUE(request.starts_with("POST /in HTTP/1.1\r\n")) << request;
  EXPECT_NE(request.find("Content-Type: application/json\r\n"), std::string::npos) << request;
  EXPECT_NE(request.find("Rollcall-Test: yes\r\n"), std::string::npos) << request;
  EXPECT_TRUE(request.ends_with("\r\n\r\n{\"a\":1}")) << request;
}

TEST(CurlPosterTest, AReceiverThatIsNotThereIsAnAnswerOfNoneWithTheReason) {
  int port = 0;
  {
    // A port that was free a moment ago and is closed now.
    OneShotServer probe("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    port = probe.port();
    CurlPoster().Post({.url = "http://127.0.0.1:" + std::to_string(port) + "/"});
  }
  CurlPoster poster;
  const PostAnswer answer =
      poster.Post({.url = "http://127.0.0.1:" + std::to_string(port) + "/", .body = "{}"});
  EXPECT_EQ(answer.status, 0);
  EXPECT_FALSE(answer.ok());
  EXPECT_NE(answer.error, "");
  EXPECT_EQ(answer.body, "");
}

TEST(CurlPosterTest, AnErrorAnswerIsKeptForTheLog) {
  OneShotServer server(
      "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\nConnection: close\r\n\r\n"
      "oops");
  const PostAnswer answer =
      CurlPoster().Post({.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/"});
  EXPECT_EQ(answer.status, 500);
  EXPECT_FALSE(answer.ok());
  EXPECT_EQ(answer.body, "oops");
}

}  // namespace
}  // namespace rollcall::io
