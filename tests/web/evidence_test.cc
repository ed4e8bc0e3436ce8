// evidence_test.cc: medical evidence over HTTP: every new route under every
// role, multipart forms carrying their CSRF token, malformed uploads, and
// downloads served as attachments of their stored type.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "test_app.h"
#include "web/server.h"

namespace rollcall::testing {
namespace {

using web::http::status;
using web::http::verb;

const std::vector<std::string> kRoles = {"head",   "office",   "teacher",    "governor", "la",
                                         "parent", "la_other", "attendance", "dsl",      "senco"};

const std::string kPng(
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x01\x00\x00"
    "\x00\x01\x08\x00\x00\x00\x00\x3a\x7e\x9b\x55\x00\x00\x00\x0a\x49\x44\x41\x54\x78\x9c\x63"
    "\x60\x00\x00\x00\x02\x00\x01\x48\xaf\xa4\x71\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60"
    "\x82",
    67);

constexpr char kBoundary[] = "----rollcallTestBoundary";

// A multipart/form-data body: each field, then the file.
std::string Multipart(const std::vector<std::pair<std::string, std::string>>& fields,
                      const std::string& filename, const std::string& bytes) {
  std::string body;
  for (const auto& [name, value] : fields) {
    body += std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + name +
            "\"\r\n\r\n" + value + "\r\n";
  }
  body += std::string("--") + kBoundary +
          "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename +
          "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + bytes + "\r\n--" + kBoundary +
          "--\r\n";
  return body;
}

web::Response Upload(TestApp& t, const std::string& role, const std::string& target,
                     const std::string& body, bool csrf_header = true) {
  web::Request req = t.RequestAs(role, verb::post, target, body, csrf_header);
  req.content_type = std::string("multipart/form-data; boundary=") + kBoundary;
  return t.app().Handle(req);
}

bool In(const std::vector<std::string>& roles, const std::string& role) {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

const std::vector<std::string> kSenders = {"head", "office", "parent", "attendance"};

TEST(EvidenceWebTest, TheApiUploadUnderEveryRole) {
  TestApp t;
  const std::string target = "/api/v1/pupils/" + std::to_string(t.pupil("P1")) + "/evidence";
  for (const std::string& role : kRoles) {
    web::Response res =
        Upload(t, role, target, Multipart({{"from", "2026-11-23"}}, "card.png", kPng));
    EXPECT_EQ(res.status, In(kSenders, role) ? status::created : status::forbidden)
        << role << ": " << res.body;
  }
  web::Response list = t.Get("office", target);
  ASSERT_EQ(list.status, status::ok);
  const nlohmann::json j = nlohmann::json::parse(list.body);
  ASSERT_EQ(j["evidence"].size(), kSenders.size());
  EXPECT_EQ(j["evidence"][0]["content_type"], "image/png");
  EXPECT_EQ(j["evidence"][0]["size_bytes"], 67);
  EXPECT_EQ(j["evidence"][0]["sha256"].get<std::string>().size(), 64u);
  // No login, no upload; a session's upload needs its CSRF token.
  web::Request anonymous;
  anonymous.method = verb::post;
  anonymous.target = target;
  anonymous.content_type = std::string("multipart/form-data; boundary=") + kBoundary;
  anonymous.body = Multipart({{"from", "2026-11-23"}}, "card.png", kPng);
  anonymous.remote_addr = "127.0.0.1";
  anonymous.host = "localhost";
  EXPECT_EQ(t.app().Handle(anonymous).status, status::unauthorized);
  EXPECT_EQ(Upload(t, "office", target, Multipart({{"from", "2026-11-23"}}, "a.png", kPng),
                   /*csrf_header=*/false)
                .status,
            status::forbidden);
}

TEST(EvidenceWebTest, TheApiSaysWhyAFileIsRefused) {
  TestApp t;
  const std::string target = "/api/v1/pupils/" + std::to_string(t.pupil("P1")) + "/evidence";
  web::Response misnamed =
      Upload(t, "office", target, Multipart({{"from", "2026-11-23"}}, "scan.pdf", kPng));
  EXPECT_EQ(misnamed.status, status::bad_request);
  EXPECT_NE(misnamed.body.find("EVIDENCE_INVALID"), std::string::npos) << misnamed.body;
  EXPECT_NE(misnamed.body.find("is a PNG image, not a PDF"), std::string::npos) << misnamed.body;
  web::Response empty =
      Upload(t, "office", target, Multipart({{"from", "2026-11-23"}}, "a.png", ""));
  EXPECT_EQ(empty.status, status::bad_request);
  EXPECT_NE(empty.body.find("the file is empty"), std::string::npos) << empty.body;
  web::Response no_file = Upload(t, "office", target, std::string("--") + kBoundary + "--\r\n");
  EXPECT_EQ(no_file.status, status::bad_request);
  EXPECT_NE(no_file.body.find("choose the file"), std::string::npos) << no_file.body;
  web::Response broken = Upload(t, "office", target, "this is not a multipart body");
  EXPECT_EQ(broken.status, status::bad_request);
  EXPECT_NE(broken.body.find("malformed"), std::string::npos) << broken.body;
}

TEST(EvidenceWebTest, ThePagesUnderEveryRoleAndTheDownload) {
  TestApp t;
  const std::string p1 = std::to_string(t.pupil("P1"));
  for (const std::string& role : kRoles) {
    // The form's CSRF token comes in the multipart body, as a browser sends it.
    const std::string csrf = t.RequestAs(role, verb::get, "/").csrf_token;
    web::Response res = Upload(
        t, role, "/pupils/" + p1 + "/evidence",
        Multipart(
            {{"_csrf", csrf}, {"from-day", "23"}, {"from-month", "11"}, {"from-year", "2026"}},
            "card.png", kPng),
        /*csrf_header=*/false);
    if (In(kSenders, role)) {
      EXPECT_TRUE(res.status == status::see_other || res.status == status::ok)
          << role << ": " << static_cast<int>(res.status) << " " << res.body;
    } else {
      EXPECT_EQ(res.status, status::forbidden) << role << ": " << res.body;
    }
  }
  web::Response parent_form = Upload(
      t, "parent", "/parent/evidence",
      Multipart({{"pupil", p1}, {"from", "2026-11-23"}, {"to", "2026-11-24"}}, "card.png", kPng));
  EXPECT_TRUE(parent_form.status == status::see_other || parent_form.status == status::ok)
      << parent_form.body;
  web::Response other_child =
      Upload(t, "parent", "/parent/evidence",
             Multipart({{"pupil", std::to_string(t.pupil("P2"))}, {"from", "2026-11-23"}},
                       "card.png", kPng));
  EXPECT_EQ(other_child.status, status::forbidden);
  web::Response misnamed =
      Upload(t, "parent", "/parent/evidence",
             Multipart({{"pupil", p1}, {"from", "2026-11-23"}}, "scan.pdf", kPng));
  EXPECT_EQ(misnamed.status, status::bad_request);
  EXPECT_NE(misnamed.body.find("is a PNG image, not a PDF"), std::string::npos);

  // Listed on the pupil's page and the parents' page; downloaded as an attachment.
  web::Response page = t.Get("office", "/pupils/" + p1);
  EXPECT_NE(page.body.find("Medical evidence"), std::string::npos);
  EXPECT_NE(page.body.find("card.png"), std::string::npos);
  EXPECT_NE(t.Get("parent", "/parent").body.find("card.png"), std::string::npos);
  const nlohmann::json listed =
      nlohmann::json::parse(t.Get("office", "/api/v1/pupils/" + p1 + "/evidence").body);
  const std::string download = listed["evidence"][0]["download"];
  for (const std::string& role : kRoles) {
    web::Response res = t.Get(role, download);
    if (In(kSenders, role)) {
      ASSERT_EQ(res.status, status::ok) << role;
      EXPECT_EQ(res.content_type, "image/png");
      EXPECT_EQ(res.body, kPng);
      bool attachment = false;
      for (const auto& [name, value] : res.headers) {
        if (name == "Content-Disposition") attachment = value.starts_with("attachment;");
      }
      EXPECT_TRUE(attachment) << role;
    } else {
      EXPECT_EQ(res.status, status::not_found) << role;
      EXPECT_NE(res.body, kPng);
    }
  }
}

TEST(EvidenceWebTest, TheRulesPageAndKnownConditionsUnderEveryRole) {
  TestApp t;
  const std::vector<std::string> readers = {"head",     "office", "teacher",
                                            "governor", "la",     "attendance"};
  const std::string p1 = std::to_string(t.pupil("P1"));
  for (const std::string& role : kRoles) {
    EXPECT_EQ(t.Get(role, "/settings/evidence").status,
              In(readers, role) ? status::ok : status::forbidden)
        << role;
    web::Response saved = t.As(role, verb::post, "/settings/evidence",
                               "long_illness_days=4&repeated_illness_count=3&next_to_holiday=yes");
    EXPECT_EQ(saved.status, role == "head" ? status::ok : status::forbidden) << role;
    web::Response condition = t.As(role, verb::post, "/pupils/" + p1 + "/condition",
                                   "note=Asthma&review_date=2027-01-31");
    EXPECT_EQ(condition.status,
              role == "head" || role == "office" ? status::see_other : status::forbidden)
        << role << ": " << condition.body;
  }
  EXPECT_NE(t.Get("head", "/settings/evidence").body.find("value=\"4\""), std::string::npos);
  EXPECT_NE(t.Get("office", "/pupils/" + p1).body.find("Known condition: Asthma"),
            std::string::npos);
  EXPECT_EQ(t.Get("parent", "/parent").body.find("Asthma"), std::string::npos);
  EXPECT_EQ(
      t.As("head", verb::post, "/settings/evidence", "long_illness_days=0&repeated_illness_count=3")
          .status,
      status::bad_request);
}

TEST(EvidenceWebTest, OnlyTheUploadRoutesMaySendLargeBodies) {
  for (const char* upload : {"/parent/evidence", "/pupils/12/evidence",
                             "/api/v1/pupils/12/evidence", "/api/v1/pupils/12/evidence?x=1"}) {
    EXPECT_TRUE(web::IsUploadTarget(upload)) << upload;
  }
  for (const char* other :
       {"/parent", "/parent/report", "/pupils/12", "/pupils//evidence", "/pupils/x/evidence",
        "/pupils/12/evidence/1", "/api/v1/pupils/12/absence-reports", "/penalties/1/evidence",
        "/api/v1/pupils/12/evidence2", "/evidence/1", "/pupils/1/2/evidence"}) {
    EXPECT_FALSE(web::IsUploadTarget(other)) << other;
  }
  EXPECT_GT(web::kMaxUploadBodyBytes, 10u * 1024 * 1024);
  EXPECT_EQ(web::kMaxBodyBytes, 64u * 1024);
}

}  // namespace
}  // namespace rollcall::testing
