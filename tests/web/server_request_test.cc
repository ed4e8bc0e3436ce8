// server_request_test.cc: what the server makes of a request Beast read
// (ToRequest) and how much body it lets one send (BodyLimitFor), the two
// steps the fuzz harness http_request drives with raw bytes.
#include <gtest/gtest.h>

#include <boost/beast/http.hpp>
#include <optional>
#include <string>
#include <vector>

#include "web/client_address.h"
#include "web/server.h"

namespace rollcall::testing {
namespace {

namespace http = boost::beast::http;

TEST(ServerRequestTest, HeadersBecomeTheRequestHandlersSee) {
  http::request<http::string_body> req{http::verb::post, "/pupils/1?tab=marks", 11};
  req.set(http::field::content_type, "application/x-www-form-urlencoded");
  req.set(http::field::cookie, "rollcall_session=abc");
  req.set("X-CSRF-Token", "tok");
  req.set(http::field::authorization, "Bearer rc_x");
  req.set(http::field::origin, "http://localhost");
  req.set(http::field::host, "localhost");
  req.set("HX-Request", "true");
  req.body() = "a=1";
  bool head = true;
  core::StatusOr<web::Request> r = web::ToRequest(std::move(req), "192.0.2.1", head);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(head);
  EXPECT_EQ(r->method, http::verb::post);
  EXPECT_EQ(r->target, "/pupils/1?tab=marks");
  EXPECT_EQ(r->body, "a=1");
  EXPECT_EQ(r->content_type, "application/x-www-form-urlencoded");
  EXPECT_EQ(r->cookie, "rollcall_session=abc");
  EXPECT_EQ(r->csrf_token, "tok");
  EXPECT_EQ(r->authorization, "Bearer rc_x");
  EXPECT_EQ(r->origin, "http://localhost");
  EXPECT_EQ(r->host, "localhost");
  EXPECT_TRUE(r->htmx);
  EXPECT_EQ(r->remote_addr, "192.0.2.1");
}

TEST(ClientAddressTest, FromAPeerNotTrustedTheHeadersAreIgnored) {
  const std::vector<std::string> trusted{"127.0.0.1"};
  EXPECT_EQ(web::ClientAddress("198.51.100.7", "203.0.113.9", "203.0.113.9", trusted),
            "198.51.100.7");
  EXPECT_EQ(web::ClientAddress("127.0.0.1", "203.0.113.9", "203.0.113.9", {}), "127.0.0.1");
  EXPECT_EQ(web::ClientAddress("", "203.0.113.9", "", trusted), "");
}

TEST(ClientAddressTest, FromATrustedProxyTheLastForwardedEntryIsTheClient) {
  const std::vector<std::string> trusted{"10.0.0.2", "127.0.0.1"};
  EXPECT_EQ(web::ClientAddress("127.0.0.1", "203.0.113.9", "", trusted), "203.0.113.9");
  // The entries before the last are the client's own to write: a guesser
  // cannot pick the address its failures are counted against.
  EXPECT_EQ(web::ClientAddress("10.0.0.2", "1.2.3.4, 198.51.100.1,203.0.113.9", "", trusted),
            "203.0.113.9");
  // X-Forwarded-For wins over X-Real-IP, which serves when it is missing.
  EXPECT_EQ(web::ClientAddress("127.0.0.1", "203.0.113.9", "198.51.100.1", trusted), "203.0.113.9");
  EXPECT_EQ(web::ClientAddress("127.0.0.1", "", " 198.51.100.1 ", trusted), "198.51.100.1");
}

TEST(ClientAddressTest, AMalformedOrEmptyHeaderFallsBackToThePeer) {
  const std::vector<std::string> trusted{"127.0.0.1"};
  for (const char* bad : {"", " ", "unknown", "203.0.113.9:5000", "203.0.113.9,", "example.org",
                          "203.0.113.9 198.51.100.1", "300.1.1.1"}) {
    EXPECT_EQ(web::ClientAddress("127.0.0.1", bad, "", trusted), "127.0.0.1") << bad;
  }
  // A bad last entry is not made good by an earlier one, but X-Real-IP may be.
  EXPECT_EQ(web::ClientAddress("127.0.0.1", "203.0.113.9, nonsense", "", trusted), "127.0.0.1");
  EXPECT_EQ(web::ClientAddress("127.0.0.1", "nonsense", "198.51.100.1", trusted), "198.51.100.1");
}

TEST(ClientAddressTest, IPv6AddressesAreComparedAndWrittenInOneForm) {
  EXPECT_EQ(web::CanonicalAddress("2001:DB8:0:0::1"), "2001:db8::1");
  EXPECT_EQ(web::CanonicalAddress("[2001:db8::1]"), "2001:db8::1");
  EXPECT_EQ(web::CanonicalAddress("::ffff:192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(web::CanonicalAddress("[2001:db8::1]:443"), std::nullopt);
  // The proxy on ::1, the client on IPv6.
  EXPECT_EQ(web::ClientAddress("::1", "2001:DB8::7", "", {"0:0:0:0:0:0:0:1"}), "2001:db8::7");
  // A server listening on both stacks sees an IPv4 proxy as IPv4-mapped.
  EXPECT_EQ(web::ClientAddress("::ffff:127.0.0.1", "[2001:db8::7]", "", {"127.0.0.1"}),
            "2001:db8::7");
  EXPECT_EQ(web::ClientAddress("2001:db8::2", "203.0.113.9", "", {"2001:db8::1"}), "2001:db8::2");
}

TEST(ServerRequestTest, ATrustedProxysHeaderLinesAreReadLastFirst) {
  // HAProxy adds a line of its own after any the client sent.
  http::request<http::string_body> req{http::verb::get, "/", 11};
  req.insert("X-Forwarded-For", "203.0.113.66");
  req.insert("X-Forwarded-For", "198.51.100.5");
  req.set("X-Real-IP", "192.0.2.80");
  http::request<http::string_body> same = req;
  bool head = false;
  core::StatusOr<web::Request> r = web::ToRequest(std::move(req), "127.0.0.1", head, {"127.0.0.1"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->remote_addr, "198.51.100.5");
  core::StatusOr<web::Request> untrusted = web::ToRequest(std::move(same), "127.0.0.1", head);
  ASSERT_TRUE(untrusted.ok());
  EXPECT_EQ(untrusted->remote_addr, "127.0.0.1");
}

TEST(ServerRequestTest, HeadIsAnsweredAsGet) {
  http::request<http::string_body> req{http::verb::head, "/", 11};
  bool head = false;
  core::StatusOr<web::Request> r = web::ToRequest(std::move(req), "", head);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(head);
  EXPECT_EQ(r->method, http::verb::get);
}

TEST(ServerRequestTest, OnlyOneChunkedTransferEncodingIsAccepted) {
  for (const char* value : {"chunked", " Chunked ", "CHUNKED"}) {
    http::request<http::string_body> req{http::verb::post, "/", 11};
    req.set(http::field::transfer_encoding, value);
    bool head = false;
    EXPECT_TRUE(web::ToRequest(std::move(req), "", head).ok()) << value;
  }
  for (const char* value : {"gzip, chunked", "chunked, identity", "identity", ""}) {
    http::request<http::string_body> req{http::verb::post, "/", 11};
    req.set(http::field::transfer_encoding, value);
    bool head = false;
    core::StatusOr<web::Request> r = web::ToRequest(std::move(req), "", head);
    ASSERT_FALSE(r.ok()) << value;
    EXPECT_EQ(r.status().code(), "VALUE_INVALID");
  }
  http::request<http::string_body> both{http::verb::post, "/", 11};
  both.set(http::field::transfer_encoding, "chunked");
  both.set(http::field::content_length, "3");
  bool head = false;
  EXPECT_FALSE(web::ToRequest(std::move(both), "", head).ok());
}

TEST(ServerRequestTest, OnlySignedInUploadsMaySendLargeBodies) {
  http::request<http::string_body> upload{http::verb::post, "/pupils/12/evidence", 11};
  EXPECT_EQ(web::BodyLimitFor(upload), web::kMaxBodyBytes);  // no login
  upload.set(http::field::cookie, "rollcall_session=abc");
  EXPECT_EQ(web::BodyLimitFor(upload), web::kMaxUploadBodyBytes);
  http::request<http::string_body> token{http::verb::post, "/api/v1/pupils/12/evidence", 11};
  token.set(http::field::authorization, "Bearer rc_x");
  EXPECT_EQ(web::BodyLimitFor(token), web::kMaxUploadBodyBytes);
  http::request<http::string_body> get{http::verb::get, "/pupils/12/evidence", 11};
  get.set(http::field::cookie, "rollcall_session=abc");
  EXPECT_EQ(web::BodyLimitFor(get), web::kMaxBodyBytes);
  http::request<http::string_body> other{http::verb::post, "/pupils/12", 11};
  other.set(http::field::cookie, "rollcall_session=abc");
  EXPECT_EQ(web::BodyLimitFor(other), web::kMaxBodyBytes);
}

}  // namespace
}  // namespace rollcall::testing
