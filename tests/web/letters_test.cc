// Letters through the API and the pages: who qualifies for each template,
// the figures each letter quotes (from the rules core), storage as sent with
// a contact-log entry, HTML and PDF from what was stored, and bad input.
#include <gtest/gtest.h>

#include <string>

#include "test_app.h"

namespace rollcall::testing {
namespace {

using web::http::status;
using web::http::verb;

TEST(LettersTest, TermlyLettersQuoteEachPupilsFiguresAndAreKeptAsSent) {
  TestApp t;
  web::Response sent = t.As("office", verb::post, "/api/v1/letters",
                            R"({"template":"termly_rag","group":"school"})");
  ASSERT_EQ(sent.status, status::created) << sent.body;
  const nlohmann::json batch = Json(sent);
  // P3 joined on Monday and has no possible session yet: no letter.
  ASSERT_EQ(batch["letters"].size(), 2u) << sent.body;
  const nlohmann::json p1 = batch["letters"][0];
  EXPECT_EQ(p1["pupil_id"], t.pupil("P1"));
  EXPECT_EQ(p1["addressee"], "Parent P1");
  EXPECT_EQ(p1["figures"]["attendance_pct"], "75.0");  // ill one morning of four sessions
  EXPECT_EQ(p1["figures"]["band"], "red");
  EXPECT_EQ(p1["figures"]["possible"], 4);
  EXPECT_NE(p1["body"].get<std::string>().find("This is a warning"), std::string::npos);
  EXPECT_NE(p1["body"].get<std::string>().find("missed 1 of 4 possible sessions"),
            std::string::npos);
  const nlohmann::json p2 = batch["letters"][1];
  EXPECT_EQ(p2["figures"]["band"], "green");
  EXPECT_NE(p2["body"].get<std::string>().find("Please keep it up"), std::string::npos);
  EXPECT_EQ(p2["batch"], batch["batch"]);

  // Each letter is in the pupil's contact log, so it counts as an intervention.
  const nlohmann::json log =
      Json(t.Get("office", "/api/v1/pupils/" + std::to_string(t.pupil("P1")) + "/contact-log"));
  EXPECT_EQ(log["entries"][0]["method"], "letter");
  EXPECT_EQ(log["entries"][0]["outcome"], "sent");

  // Who may read it: the pupil's teacher, the office, the LA; not others.
  const std::string letter = "/api/v1/letters/" + std::to_string(p1["id"].get<int64_t>());
  EXPECT_EQ(t.Get("teacher", letter).status, status::ok);
  EXPECT_EQ(t.Get("teacher2", letter).status, status::forbidden);
  EXPECT_EQ(t.Get("parent", letter).status, status::forbidden);
  EXPECT_EQ(t.Get("office", "/api/v1/letters/999").status, status::not_found);
  EXPECT_EQ(Json(t.Get("la", letter))["subject"], p1["subject"]);

  // Printing: the batch as HTML and as PDF, from the stored text.
  const std::string b = std::to_string(batch["batch"].get<int64_t>());
  web::Response html = t.Get("office", "/letters/batch/" + b);
  ASSERT_EQ(html.status, status::ok);
  EXPECT_NE(html.body.find("class=\"letter\""), std::string::npos);
  EXPECT_NE(html.body.find("75.0%"), std::string::npos);
  // The pupil named <script> is text, not markup.
  EXPECT_EQ(html.body.find("<script>alert(1)"), std::string::npos);
  EXPECT_NE(html.body.find("&lt;script&gt;alert(1)"), std::string::npos);
  web::Response pdf = t.Get("office", "/letters/batch/" + b + ".pdf");
  ASSERT_EQ(pdf.status, status::ok);
  EXPECT_EQ(pdf.content_type, "application/pdf");
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
  EXPECT_NE(Header(pdf, "Content-Disposition").find("letters-" + b + ".pdf"), std::string::npos);
  EXPECT_EQ(t.Get("teacher", "/letters/batch/" + b).status, status::forbidden);
  web::Response one =
      t.Get("teacher", "/letters/" + std::to_string(p1["id"].get<int64_t>()) + ".pdf");
  EXPECT_EQ(one.status, status::ok);
  EXPECT_EQ(one.body.substr(0, 5), "%PDF-");
  // The pupil page lists it.
  web::Response page = t.Get("office", "/pupils/" + std::to_string(t.pupil("P1")));
  EXPECT_NE(page.body.find(R"(<h2 id="letters">Letters</h2>)"), std::string::npos);
  EXPECT_NE(page.body.find("attendance this term</a>"), std::string::npos);
  // Changing the registers afterwards does not change the letter sent.
  ASSERT_EQ(t.As("office", verb::put,
                 "/api/v1/registers/2026-11-23/AM/marks/" + std::to_string(t.pupil("P1")),
                 R"({"code":"/","reason":"Was in after all"})")
                .status,
            status::ok);
  EXPECT_EQ(Json(t.Get("office", letter))["figures"]["attendance_pct"], "75.0");
}

TEST(LettersTest, EachTemplateGoesOnlyToThoseItIsFor) {
  TestApp t;
  auto send = [&](const std::string& body) {
    return t.As("office", verb::post, "/api/v1/letters", body);
  };
  const std::string p1 = std::to_string(t.pupil("P1"));
  const std::string p2 = std::to_string(t.pupil("P2"));
  // Concern: below the 96% target (P1 only).
  web::Response concern = send(R"({"template":"attendance_concern","group":"school"})");
  ASSERT_EQ(concern.status, status::created) << concern.body;
  ASSERT_EQ(Json(concern)["letters"].size(), 1u);
  EXPECT_EQ(Json(concern)["letters"][0]["pupil_id"], t.pupil("P1"));
  // Certificates: every session this term (P2 only).
  web::Response certificate = send(R"({"template":"certificate","group":"school"})");
  ASSERT_EQ(certificate.status, status::created);
  ASSERT_EQ(Json(certificate)["letters"].size(), 1u);
  EXPECT_EQ(Json(certificate)["letters"][0]["pupil_id"], t.pupil("P2"));
  EXPECT_NE(Json(certificate)["letters"][0]["body"].get<std::string>().find("4 of 4 sessions"),
            std::string::npos);
  web::Response refused = send(R"({"template":"certificate","group":"pupil-)" + p1 + R"("})");
  EXPECT_EQ(refused.status, status::bad_request);
  EXPECT_NE(refused.body.find("has not attended every session this term"), std::string::npos);
  // Lateness: nobody was late last week, until a late mark is recorded.
  web::Response none = send(R"({"template":"lateness","group":"school"})");
  EXPECT_EQ(none.status, status::bad_request);
  EXPECT_NE(none.body.find("NO_LETTERS"), std::string::npos);
  ASSERT_EQ(t.As("office", verb::put, "/api/v1/registers/2026-11-18/AM/marks/" + p2,
                 R"({"code":"L","arrival_time":"08:55","reason":"Register taken late"})")
                .status,
            status::ok);
  web::Response late = send(R"({"template":"lateness","group":"class-)" +
                            std::to_string(t.class_id("4B")) + R"("})");
  ASSERT_EQ(late.status, status::created) << late.body;
  EXPECT_NE(Json(late)["letters"][0]["body"].get<std::string>().find(
                "arrived late once in the week of 16 November 2026"),
            std::string::npos);
  // Panel invitations go to the lowest band, and need the meeting.
  EXPECT_EQ(send(R"({"template":"panel_invitation","group":"school"})").status,
            status::bad_request);
  web::Response panel = send(
      R"({"template":"panel_invitation","group":"band-red","meeting":"Tuesday 8 December at 15:30"})");
  ASSERT_EQ(panel.status, status::created) << panel.body;
  EXPECT_EQ(Json(panel)["letters"].size(), 1u);
  // Bad input.
  EXPECT_EQ(send(R"({"template":"threat","group":"school"})").status, status::bad_request);
  EXPECT_EQ(send(R"({"template":"termly_rag","group":"band-purple"})").status, status::bad_request);
  EXPECT_EQ(send(R"({"template":"termly_rag","group":"everyone"})").status, status::bad_request);
  EXPECT_EQ(send(R"({"template":"termly_rag","group":"pupil-999"})").status, status::not_found);
  EXPECT_EQ(send(R"({"template":"termly_rag"})").status, status::bad_request);
  EXPECT_EQ(t.As("teacher", verb::post, "/api/v1/letters",
                 R"({"template":"termly_rag","group":"school"})")
                .status,
            status::forbidden);
  // Nothing was stored by any refused request: P1 has the concern and the
  // panel letter only.
  EXPECT_EQ(Json(t.Get("office", "/api/v1/pupils/" + p1 + "/letters"))["letters"].size(), 2u);
}

TEST(LettersTest, TheLettersPagePreviewsThenRecordsABatch) {
  TestApp t;
  web::Response preview = t.Get("office", "/letters?template=attendance_concern&group=school");
  ASSERT_EQ(preview.status, status::ok);
  EXPECT_NE(preview.body.find("1 letter to send"), std::string::npos) << preview.body;
  EXPECT_NE(preview.body.find("Record and send 1 letter"), std::string::npos);
  const std::string csrf = Json(t.Get("office", "/api/v1/me"))["csrf_token"];
  web::Response posted =
      t.As("office", verb::post, "/letters",
           "_csrf=" + csrf + "&template=attendance_concern&group=school&meeting=", false);
  ASSERT_EQ(posted.status, status::see_other) << posted.body;
  EXPECT_EQ(Header(posted, "Location"), "/letters/batch/1");
  EXPECT_NE(t.Get("office", "/letters")
                .body.find(R"(<a href="/letters/batch/1">Attendance concern letter</a>)"),
            std::string::npos);
  web::Response bad =
      t.As("office", verb::post, "/letters",
           "_csrf=" + csrf + "&template=certificate&group=pupil-" + std::to_string(t.pupil("P1")),
           false);
  EXPECT_EQ(bad.status, status::bad_request);
  EXPECT_NE(bad.body.find("has not attended every session"), std::string::npos);
  EXPECT_EQ(t.Get("teacher", "/letters").status, status::forbidden);
}

// Letters sent from the page without email are printed; the office records
// the day they went in the post, once, and each letter says so.
TEST(LettersTest, PrintedLettersAreMarkedPostedOnceAndShowTheirProofOfService) {
  TestApp t;
  web::Response sent =
      t.As("office", verb::post, "/letters", "template=attendance_concern&group=school&meeting=");
  ASSERT_EQ(sent.status, status::see_other) << sent.body;
  const std::string batch = Header(sent, "Location");
  web::Response page = t.Get("office", batch);
  ASSERT_EQ(page.status, status::ok);
  EXPECT_NE(page.body.find("Printed; not yet recorded as posted"), std::string::npos);
  const std::string field = R"(name="posted_on" type="date" value=")";
  const size_t at = page.body.find(field);
  ASSERT_NE(at, std::string::npos) << page.body;
  const std::string today = page.body.substr(at + field.size(), 10);
  web::Response done = t.As("office", verb::post, batch + "/posted", "posted_on=" + today);
  ASSERT_EQ(done.status, status::see_other) << done.body;
  page = t.Get("office", batch);
  EXPECT_NE(page.body.find("Posted on "), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("(recorded by "), std::string::npos);
  EXPECT_EQ(page.body.find(field), std::string::npos);  // nothing left to post
  web::Response again = t.As("office", verb::post, batch + "/posted", "posted_on=" + today);
  EXPECT_EQ(again.status, status::bad_request);
  EXPECT_NE(again.body.find("no printed letter of this batch"), std::string::npos);
  EXPECT_EQ(t.As("teacher", verb::post, batch + "/posted", "posted_on=" + today).status,
            status::forbidden);
}

}  // namespace
}  // namespace rollcall::testing
