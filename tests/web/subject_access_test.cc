// subject_access_test.cc: the access log and subject access requests over
// HTTP: reads of a pupil's page and evidence written to the log (staff, not
// parents), the head's log pages per pupil and per user, and the subject
// access page and its downloads, for the head alone.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_app.h"

namespace rollcall::testing {
namespace {

using web::http::status;
using web::http::verb;

const std::vector<std::string> kEveryRole = {"head", "office", "teacher",  "governor",
                                             "la",   "parent", "la_other", "attendance",
                                             "dsl",  "senco"};

std::vector<store::AccessLogEntry> AccessReads(TestApp& t, int64_t pupil) {
  return *t.store().AccessLogEntries({.pupil_id = pupil, .limit = 1000});
}

TEST(AccessLogWebTest, APupilPageReadByStaffIsLoggedButNotByTheirParent) {
  TestApp t;
  const int64_t p1 = t.pupil("P1");
  ASSERT_EQ(t.Get("office", "/pupils/" + std::to_string(p1)).status, status::ok);
  std::vector<store::AccessLogEntry> reads = AccessReads(t, p1);
  ASSERT_EQ(reads.size(), 1u);
  EXPECT_EQ(reads[0].user_id, t.user("office"));
  EXPECT_EQ(reads[0].kind, store::kAccessPupilPage);
  EXPECT_EQ(reads[0].detail, "/pupils/" + std::to_string(p1));
  EXPECT_EQ(reads[0].at, t.clock().NowSeconds());
  t.Get("parent", "/pupils/" + std::to_string(p1));
  t.Get("parent", "/parent");
  EXPECT_EQ(AccessReads(t, p1).size(), 1u);
  // A refused read is not a read.
  EXPECT_EQ(t.Get("teacher", "/pupils/" + std::to_string(t.pupil("P2"))).status, status::forbidden);
  EXPECT_TRUE(AccessReads(t, t.pupil("P2")).empty());
}

TEST(AccessLogWebTest, AnEvidenceDownloadIsLogged) {
  TestApp t;
  const int64_t p1 = t.pupil("P1");
  store::MedicalEvidence e;
  e.pupil_id = p1;
  e.from_date = e.to_date = D("2026-11-23");
  e.filename = "note.pdf";
  e.content_type = "application/pdf";
  const std::string bytes = "%PDF-1.4\n%%EOF\n";
  e.size_bytes = static_cast<int64_t>(bytes.size());
  e.sha256 = std::string(64, 'a');
  e.uploaded_by = t.user("office");
  e.uploaded_by_name = "Office";
  e.role = "office";
  e.uploaded_at = t.clock().NowSeconds();
  const int64_t id = *t.store().AddMedicalEvidence(e, bytes);
  ASSERT_EQ(t.Get("attendance", "/evidence/" + std::to_string(id)).status, status::ok);
  std::vector<store::AccessLogEntry> reads = AccessReads(t, p1);
  ASSERT_EQ(reads.size(), 1u);
  EXPECT_EQ(reads[0].kind, store::kAccessEvidence);
  EXPECT_EQ(reads[0].user_id, t.user("attendance"));
  EXPECT_NE(reads[0].detail.find("note.pdf"), std::string::npos);
}

TEST(AccessLogWebTest, OnlyTheHeadSeesTheLogPerPupilAndPerUser) {
  TestApp t;
  const std::string p1 = std::to_string(t.pupil("P1"));
  const std::string office = std::to_string(t.user("office"));
  ASSERT_EQ(t.Get("office", "/pupils/" + p1).status, status::ok);
  for (const std::string& role : kEveryRole) {
    const status expected = role == "head" ? status::ok : status::forbidden;
    EXPECT_EQ(t.Get(role, "/pupils/" + p1 + "/access-log").status, expected) << role;
    EXPECT_EQ(t.Get(role, "/users/" + office + "/access-log").status, expected) << role;
    EXPECT_EQ(t.Get(role, "/pupils/" + p1 + "/subject-access").status, expected) << role;
    for (const char* what : {"pupil.json", "pupil.pdf", "contact-1.json", "contact-2.pdf"}) {
      EXPECT_EQ(t.Get(role, "/pupils/" + p1 + "/subject-access/" + what).status, expected)
          << role << " " << what;
    }
  }
  for (const char* path : {"/pupils/1/access-log", "/users/1/access-log",
                           "/pupils/1/subject-access", "/pupils/1/subject-access/pupil.json"}) {
    EXPECT_NE(t.Anonymous(verb::get, path).status, status::ok) << path;
  }
  const web::Response by_pupil = t.Get("head", "/pupils/" + p1 + "/access-log");
  EXPECT_NE(by_pupil.body.find("pupil page"), std::string::npos);
  EXPECT_NE(by_pupil.body.find("/users/" + office + "/access-log"), std::string::npos);
  const web::Response by_user = t.Get("head", "/users/" + office + "/access-log");
  EXPECT_NE(by_user.body.find("/pupils/" + p1 + "\""), std::string::npos);
  EXPECT_EQ(t.Get("head", "/pupils/999999/access-log").status, status::not_found);
  EXPECT_EQ(t.Get("head", "/pupils/x/access-log").status, status::not_found);
  EXPECT_EQ(t.Get("head", "/users/999999/access-log").status, status::not_found);
  // The pupil's page links to both for the head only.
  EXPECT_NE(t.Get("head", "/pupils/" + p1).body.find("/pupils/" + p1 + "/access-log"),
            std::string::npos);
  EXPECT_EQ(t.Get("office", "/pupils/" + p1).body.find("/pupils/" + p1 + "/access-log"),
            std::string::npos);
  EXPECT_NE(t.Get("head", "/users").body.find("/users/" + office + "/access-log"),
            std::string::npos);
}

TEST(SubjectAccessWebTest, TheHeadDownloadsJsonAndPdfAndEachIsLogged) {
  TestApp t;
  const int64_t p1 = t.pupil("P1");
  const std::string base = "/pupils/" + std::to_string(p1) + "/subject-access/";
  const web::Response page = t.Get("head", "/pupils/" + std::to_string(p1) + "/subject-access");
  EXPECT_NE(page.body.find(base + "pupil.pdf"), std::string::npos);
  EXPECT_NE(page.body.find(base + "contact-2.json"), std::string::npos);

  const web::Response json = t.Get("head", base + "pupil.json");
  ASSERT_EQ(json.status, status::ok);
  EXPECT_EQ(json.content_type, "application/json");
  EXPECT_NE(Header(json, "Content-Disposition").find("attachment"), std::string::npos);
  const nlohmann::json copy = Json(json);
  EXPECT_EQ(copy["subject"]["kind"], "pupil");
  EXPECT_EQ(copy["subject"]["pupil_id"], p1);
  EXPECT_EQ(copy["sections"]["contacts"].size(), 2u);
  EXPECT_EQ(copy["sections"]["access_log"][0]["kind"], "subject access");

  const web::Response pdf = t.Get("head", base + "pupil.pdf");
  ASSERT_EQ(pdf.status, status::ok);
  EXPECT_EQ(pdf.content_type, "application/pdf");
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");

  const nlohmann::json contact = Json(t.Get("head", base + "contact-2.json"));
  EXPECT_EQ(contact["subject"]["kind"], "contact");
  EXPECT_EQ(contact["subject"]["name"], "Other P1");
  EXPECT_EQ(contact["sections"]["contact"][0]["email"], "b@example.org");

  EXPECT_EQ(t.Get("head", base + "contact-9.json").status, status::not_found);
  EXPECT_EQ(t.Get("head", base + "contact-x.json").status, status::not_found);
  EXPECT_EQ(t.Get("head", base + "pupil.txt").status, status::not_found);
  EXPECT_EQ(t.Get("head", "/pupils/999999/subject-access/pupil.json").status, status::not_found);

  int made = 0;
  for (const store::AccessLogEntry& e : AccessReads(t, p1)) {
    if (e.kind == store::kAccessSubjectAccess) ++made;
  }
  EXPECT_EQ(made, 3);
}

}  // namespace
}  // namespace rollcall::testing
