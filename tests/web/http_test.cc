// Request targets, cookies and the error mapping; ParseTarget is fuzzed with
// seeded random input.
#include "web/http.h"

#include <gtest/gtest.h>

#include <random>

namespace rollcall::web {
namespace {

TEST(ParseTargetTest, SplitsAndDecodes) {
  core::StatusOr<Target> t = ParseTarget("/api/v1/pupils/7%20x?as_of=2026-11-25&q=a+b&flag");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->segments, (std::vector<std::string>{"api", "v1", "pupils", "7 x"}));
  EXPECT_EQ(t->query.at("as_of"), "2026-11-25");
  EXPECT_EQ(t->query.at("q"), "a b");
  EXPECT_EQ(t->query.at("flag"), "");
}

TEST(ParseTargetTest, RejectsBadInput) {
  for (const char* bad : {"", "api", "/a%", "/a%2", "/a%zz", "/a%00", "/?x=1&x=2", "/?x=%G1"}) {
    core::StatusOr<Target> t = ParseTarget(bad);
    EXPECT_FALSE(t.ok()) << bad;
    if (!t.ok()) {
      EXPECT_EQ(t.status().code(), "VALUE_INVALID");
    }
  }
}

TEST(ParseTargetTest, RandomInputNeverCrashes) {
  std::mt19937 rng(20261125);
  const std::string alphabet = "/%?&=+a0F\x01\xff ";
  for (int i = 0; i < 20000; ++i) {
    std::string s = "/";
    const int len = static_cast<int>(rng() % 24);
    for (int j = 0; j < len; ++j) s.push_back(alphabet[rng() % alphabet.size()]);
    core::StatusOr<Target> t = ParseTarget(s);
    if (t.ok()) {
      for (const std::string& seg : t->segments) EXPECT_FALSE(seg.empty());
    } else {
      EXPECT_FALSE(t.status().message().empty());
    }
  }
}

TEST(CookieTest, FindsTheNamedCookie) {
  EXPECT_EQ(CookieValue("a=1; rollcall_session=abc; b=2", "rollcall_session"), "abc");
  EXPECT_EQ(CookieValue("rollcall_sessionx=abc", "rollcall_session"), std::nullopt);
  EXPECT_EQ(CookieValue("", "rollcall_session"), std::nullopt);
  EXPECT_EQ(CookieValue(";;=;", "rollcall_session"), std::nullopt);
}

TEST(ErrorMappingTest, KindsMapToStatuses) {
  EXPECT_EQ(HttpStatusFor(core::ErrorKind::kInvalidArgument), http::status::bad_request);
  EXPECT_EQ(HttpStatusFor(core::ErrorKind::kUnauthenticated), http::status::unauthorized);
  EXPECT_EQ(HttpStatusFor(core::ErrorKind::kPermissionDenied), http::status::forbidden);
  EXPECT_EQ(HttpStatusFor(core::ErrorKind::kNotFound), http::status::not_found);
  EXPECT_EQ(HttpStatusFor(core::ErrorKind::kConflict), http::status::conflict);
  EXPECT_EQ(HttpStatusFor(core::ErrorKind::kUnavailable), http::status::service_unavailable);
  EXPECT_EQ(HttpStatusFor(core::ErrorKind::kInternal), http::status::internal_server_error);
  Response r = ErrorResponse(core::NotFound("PUPIL_UNKNOWN", "no pupil 7"));
  EXPECT_EQ(r.body, R"({"error":{"code":"PUPIL_UNKNOWN","message":"no pupil 7"}})");
}

}  // namespace
}  // namespace rollcall::web
