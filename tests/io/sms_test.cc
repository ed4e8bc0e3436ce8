// Text messages' pieces that need no network: the Notify API key split
// from the right, the JWT checked by recomputing its HMAC from a known test
// vector, delivery receipts, and the folder of texts.
#include "io/sms.h"

#include <gtest/gtest.h>
#include <sodium.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "core/clock.h"

namespace rollcall::io {
namespace {

constexpr char kServiceId[] = "26785a09-ab16-4eb0-8407-a37497a57506";
constexpr char kSecret[] = "3d844edf-8d35-48ac-975b-e847b4f122b0";

std::string Hex(const std::string& bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                 bytes.size());
  out.pop_back();
  return out;
}

std::string Base64UrlDecode(const std::string& text) {
  std::string out(text.size(), '\0');
  size_t length = 0;
  EXPECT_EQ(sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                              text.size(), nullptr, &length, nullptr,
                              sodium_base64_VARIANT_URLSAFE_NO_PADDING),
            0)
      << text;
  out.resize(length);
  return out;
}

// A clock stopped at one second.
class StoppedClock : public core::Clock {
 public:
  explicit StoppedClock(int64_t now) : now_(now) {}
  int64_t NowSeconds() const override { return now_; }
  core::Date Today() const override {
    return core::Date::FromDays(static_cast<int32_t>(now_ / 86400));
  }
  int MinuteOfDay() const override { return static_cast<int>(now_ % 86400 / 60); }

 private:
  int64_t now_;
};

TEST(SmsTest, TheApiKeyIsSplitFromTheRight) {
  const std::string key = std::string("rollcall-live-key-") + kServiceId + "-" + kSecret;
  const core::StatusOr<NotifyKey> parsed = ParseNotifyKey("notify_api_key", key);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->key_name, "rollcall-live-key");
  EXPECT_EQ(parsed->service_id, kServiceId);
  EXPECT_EQ(parsed->secret, kSecret);
  for (const std::string& bad :
       {std::string(kServiceId) + "-" + kSecret,            // no key name
        std::string("name-") + kServiceId + "_" + kSecret,  // not joined by a dash
        std::string("name-") + kServiceId + "-" + "x" + std::string(kSecret).substr(1),
        std::string("short")}) {
    const core::StatusOr<NotifyKey> refused = ParseNotifyKey("notify_api_key", bad);
    EXPECT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.status().code(), "VALUE_INVALID");
    EXPECT_NE(refused.status().message().find("notify_api_key"), std::string::npos);
  }
  EXPECT_TRUE(IsUuid(kServiceId));
  EXPECT_FALSE(IsUuid("26785a09-ab16-4eb0-8407-a37497a5750"));
  EXPECT_FALSE(IsUuid("26785a09xab16-4eb0-8407-a37497a57506"));
}

TEST(SmsTest, HmacMatchesTheRfc4231Vectors) {
  // RFC 4231 test case 2: a key shorter than the block.
  EXPECT_EQ(Hex(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 6: a key longer than the block (131 bytes), hashed first.
  EXPECT_EQ(Hex(HmacSha256(std::string(131, '\xaa'),
                           "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(SmsTest, TheJwtIsHs256OverItsHeaderAndClaims) {
  const NotifyKey key{"test", kServiceId, kSecret};
  const std::string jwt = NotifyJwt(key, 1796284800);
  const size_t first = jwt.find('.');
  const size_t second = jwt.find('.', first + 1);
  ASSERT_NE(second, std::string::npos);
  EXPECT_EQ(jwt.find('='), std::string::npos) << "no padding";
  const nlohmann::json header = nlohmann::json::parse(Base64UrlDecode(jwt.substr(0, first)));
  EXPECT_EQ(header, nlohmann::json({{"typ", "JWT"}, {"alg", "HS256"}}));
  const nlohmann::json claims =
      nlohmann::json::parse(Base64UrlDecode(jwt.substr(first + 1, second - first - 1)));
  EXPECT_EQ(claims, nlohmann::json({{"iss", kServiceId}, {"iat", 1796284800}}));
  // The signature: HMAC-SHA-256 of "header.claims" keyed with the secret.
  EXPECT_EQ(Base64UrlDecode(jwt.substr(second + 1)), HmacSha256(kSecret, jwt.substr(0, second)));
  // Another secret signs differently.
  const NotifyKey other{"test", kServiceId, "00000000-0000-0000-0000-000000000000"};
  EXPECT_NE(NotifyJwt(other, 1796284800).substr(second), jwt.substr(second));
}

TEST(SmsTest, DeliveryReceiptsAreRead) {
  const core::StatusOr<NotifyReceipt> r = ParseNotifyReceipt(R"({
      "id": "740e5834-3a29-46b4-9a6f-16142fde533a", "reference": "day_one/2026-12-03/7/0",
      "to": "07700900123", "status": "delivered", "created_at": "2026-12-03T10:00:00.000000Z",
      "completed_at": "2026-12-03T10:00:05.000000Z", "sent_at": "2026-12-03T10:00:01.000000Z",
      "notification_type": "sms"})");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->id, "740e5834-3a29-46b4-9a6f-16142fde533a");
  EXPECT_EQ(r->reference, "day_one/2026-12-03/7/0");
  EXPECT_EQ(r->to, "07700900123");
  EXPECT_EQ(r->status, "delivered");
  EXPECT_EQ(r->completed_at, "2026-12-03T10:00:05.000000Z");
  EXPECT_EQ(r->notification_type, "sms");
  // Notify sends null for times not yet known, and null for no reference.
  const core::StatusOr<NotifyReceipt> failed = ParseNotifyReceipt(
      R"({"id": "x", "reference": null, "status": "permanent-failure", "sent_at": null})");
  ASSERT_TRUE(failed.ok());
  EXPECT_EQ(failed->reference, "");
  EXPECT_EQ(failed->sent_at, "");
  for (const char* bad :
       {"not json", "[]", R"({"status": "delivered"})", R"({"id": "x", "status": "lost"})"}) {
    const core::StatusOr<NotifyReceipt> refused = ParseNotifyReceipt(bad);
    EXPECT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.status().code(), "VALUE_INVALID");
  }
}

TEST(SmsTest, TheFolderWritesOneFilePerReferenceAndFindsIt) {
  const std::filesystem::path folder =
      std::filesystem::temp_directory_path() / ("rollcall-sms-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(folder);
  StoppedClock clock(1796284800);
  FolderSms sms(folder.string(), clock);
  EXPECT_EQ(*sms.FindByReference("day_one/2026-12-03/7/0"), std::nullopt);
  const SendResult sent =
      sms.Send("07700900123", "Amir is not in school", "day_one/2026-12-03/7/0");
  ASSERT_TRUE(sent.ok) << sent.answer;
  EXPECT_EQ(*sms.FindByReference("day_one/2026-12-03/7/0"), sent.provider_ref);
  std::ifstream in(folder / "day_one-2026-12-03-7-0.json");
  std::ostringstream text;
  text << in.rdbuf();
  const nlohmann::json written = nlohmann::json::parse(text.str());
  EXPECT_EQ(written["to"], "07700900123");
  EXPECT_EQ(written["body"], "Amir is not in school");
  EXPECT_EQ(written["reference"], "day_one/2026-12-03/7/0");
  EXPECT_EQ(written["written_at"], "2026-12-03T08:00:00Z");
  std::filesystem::remove_all(folder);
}

TEST(SmsTest, NotifyRefusesABadKeyOrAPlainHttpAddressWithoutSending) {
  StoppedClock clock(1796284800);
  NotifySms bad_key({.base_url = "https://api.notifications.service.gov.uk",
                     .api_key = "not-a-key",
                     .template_id = kServiceId},
                    clock);
  const SendResult a = bad_key.Send("07700900123", "x", "ref");
  EXPECT_FALSE(a.ok);
  EXPECT_EQ(a.status, 0);
  EXPECT_NE(a.answer.find("notify_api_key"), std::string::npos);
  NotifySms plain({.base_url = "http://notify.example.org",
                   .api_key = std::string("k-") + kServiceId + "-" + kSecret,
                   .template_id = kServiceId},
                  clock);
  const SendResult b = plain.Send("07700900123", "x", "ref");
  EXPECT_FALSE(b.ok);
  EXPECT_NE(b.answer.find("notify_base_url"), std::string::npos);
  // A lookup that cannot be made says so: it is not "none there".
  EXPECT_FALSE(plain.FindByReference("ref").ok());
}

}  // namespace
}  // namespace rollcall::io
