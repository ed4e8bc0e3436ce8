// Lesson registers on the web: the pages render, every route answers each
// role as the access rules say, a teacher's htmx marks round trip, the API's
// PUT, bad input refused in words, the timetable's import, the Today and
// pupil-page sections, and names from the timetable escaped.
//
// The fixture's school (test_app.h) gets a one-week timetable: a
// registration period, P1 09:00-10:00 and P2 10:00-11:00 in the morning and
// P3 13:30-14:30 in the afternoon; "10X/Ma1" (Mathematics, `teacher`, every
// pupil) meets in P2 on Wednesday, and a group coded
// "<script>alert(2)</script>" (`teacher2`, P1 and P2) meets in P3. Today is
// Wednesday 2026-11-25 at 10:00: the maths lesson has just begun.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/lessons.h"
#include "test_app.h"

namespace rollcall::testing {
// Named, not anonymous: the web tests compile as one unit (unity build).
namespace lessons_web {

using web::http::status;
using web::http::verb;

bool Has(const std::string& body, const std::string& text) {
  return body.find(text) != std::string::npos;
}

struct Ids {
  std::string maths_period, maths_group, script_period, script_group;
  std::string date = "2026-11-25";
  std::string Register() const {
    return "/lessons/register?date=" + date + "&period=" + maths_period + "&group=" + maths_group;
  }
  std::string Api() const {
    return "/api/v1/lessons/" + date + "/" + maths_period + "/" + maths_group;
  }
};

// Sets the timetable in the store and reloads the App; the ids as stored.
Ids WithTimetable(TestApp& t) {
  store::Timetable tt;
  tt.cycle_weeks = 1;
  tt.week1_monday = D("2026-11-23");
  tt.source = core::StatutorySource::kRegistration;
  auto period = [](const char* name, int start, int end, core::Session s, bool reg) {
    store::Period p;
    p.name = name;
    p.start_minute = start;
    p.end_minute = end;
    p.session = s;
    p.registration = reg;
    return p;
  };
  tt.periods = {period("Reg", 8 * 60 + 40, 9 * 60, core::Session::kAm, true),
                period("P1", 9 * 60, 10 * 60, core::Session::kAm, false),
                period("P2", 10 * 60, 11 * 60, core::Session::kAm, false),
                period("P3", 13 * 60 + 30, 14 * 60 + 30, core::Session::kPm, false)};
  store::TeachingGroup maths;
  maths.code = "10X/Ma1";
  maths.subject = "Mathematics";
  maths.teacher_ids = {t.user("teacher")};
  maths.pupil_ids = {t.pupil("P1"), t.pupil("P2"), t.pupil("P3")};
  store::TeachingGroup script;
  script.code = "<script>alert(2)</script>";
  script.subject = "History";
  script.teacher_ids = {t.user("teacher2")};
  script.pupil_ids = {t.pupil("P1"), t.pupil("P2")};
  tt.groups = {maths, script};
  // Lessons name their group and period by position in the lists above.
  tt.lessons = {{0, 3, 2, "M4"}, {1, 3, 3, "H1"}};
  const core::Status set =
      t.store().SetTimetable(tt, {t.user("head"), "User head", store::Role::kHead}, 0);
  EXPECT_TRUE(set.ok()) << set.code() << " " << set.message();
  EXPECT_TRUE(t.app().Load().ok());
  core::StatusOr<store::Timetable> stored = t.store().GetTimetable();
  EXPECT_TRUE(stored.ok());
  Ids ids;
  for (const store::Period& p : stored->periods) {
    if (p.name == "P2") ids.maths_period = std::to_string(p.id);
    if (p.name == "P3") ids.script_period = std::to_string(p.id);
  }
  for (const store::TeachingGroup& g : stored->groups) {
    if (g.code == "10X/Ma1") ids.maths_group = std::to_string(g.id);
    if (g.subject == "History") ids.script_group = std::to_string(g.id);
  }
  EXPECT_FALSE(ids.maths_period.empty() || ids.maths_group.empty());
  return ids;
}

web::Response Htmx(TestApp& t, const std::string& who, const std::string& target,
                   const std::string& body) {
  web::Request req = t.RequestAs(who, verb::post, target, body);
  req.htmx = true;
  req.content_type = "application/x-www-form-urlencoded";
  return t.app().Handle(req);
}

std::string MarkForm(const Ids& ids, const std::string& pupil, const std::string& rest) {
  return "date=" + ids.date + "&period=" + ids.maths_period + "&group=" + ids.maths_group +
         "&pupil=" + pupil + "&" + rest;
}

TEST(LessonsWebTest, ATeacherSeesTheirLessonsAndItsRegister) {
  TestApp t;
  const Ids ids = WithTimetable(t);
  web::Response list = t.Get("teacher", "/lessons");
  ASSERT_EQ(list.status, status::ok) << list.body;
  EXPECT_TRUE(Has(list.body, "10X/Ma1"));
  EXPECT_TRUE(Has(list.body, "Mathematics"));
  EXPECT_TRUE(Has(list.body, "href=\"/lessons/register?date=2026-11-25&amp;period=" +
                                 ids.maths_period + "&amp;group=" + ids.maths_group + "\""))
      << list.body;
  EXPECT_FALSE(Has(list.body, "History"));  // teacher2's lesson
  // The menu shows "Lessons" to those with lessons in the timetable.
  EXPECT_TRUE(Has(t.Get("teacher", "/register").body, "href=\"/lessons\""));
  EXPECT_TRUE(Has(t.Get("office", "/today").body, "href=\"/lessons\""));
  // Not to those who may not open a lesson register.
  EXPECT_FALSE(Has(t.Get("attendance", "/today").body, "href=\"/lessons\""));
  EXPECT_FALSE(Has(t.Get("senco", "/pupils").body, "href=\"/lessons\""));

  web::Response reg = t.Get("teacher", ids.Register());
  ASSERT_EQ(reg.status, status::ok) << reg.body;
  EXPECT_TRUE(Has(reg.body, "0 of 3 marked"));
  EXPECT_TRUE(Has(reg.body, "id=\"all-present\""));
  EXPECT_TRUE(Has(reg.body, "hx-post=\"/lessons/mark\""));
  EXPECT_FALSE(Has(reg.body, "id=\"read-only\""));
  // Names link to the pupils' pages the reader may open: the teacher's own
  // class's (P1, P3 in 3A), not P2 of 4B, whose name is plain text.
  const std::string p1 = std::to_string(t.pupil("P1"));
  const std::string p2 = std::to_string(t.pupil("P2"));
  EXPECT_TRUE(Has(reg.body, "href=\"/pupils/" + p1 + "\""));
  EXPECT_FALSE(Has(reg.body, "href=\"/pupils/" + p2 + "\""));
  EXPECT_TRUE(Has(t.Get("office", ids.Register()).body, "href=\"/pupils/" + p2 + "\""));
  // The other lessons that day and another day's list.
  EXPECT_EQ(t.Get("office", "/lessons?date=2026-11-24").status, status::ok);
  EXPECT_TRUE(Has(t.Get("office", "/lessons").body, "History"));
}

TEST(LessonsWebTest, NoTimetableNoLessonsInTheMenuOrOnToday) {
  TestApp t;
  EXPECT_FALSE(Has(t.Get("teacher", "/register").body, "href=\"/lessons\""));
  const web::Response today = t.Get("office", "/today");
  EXPECT_FALSE(Has(today.body, "href=\"/lessons\""));
  EXPECT_FALSE(Has(today.body, "Missing from lessons today"));
}

// Every route for each role: the teacher of the group, another teacher, the
// office, the head, a governor, a parent and the LA.
TEST(LessonsWebTest, EveryRouteAnswersEachRoleAsTheAccessRulesSay) {
  TestApp t;
  const Ids ids = WithTimetable(t);
  const std::string p1 = std::to_string(t.pupil("P1"));
  struct Expect {
    std::string who;
    status read, write, office_pages;
  };
  const std::vector<Expect> roles = {
      {"teacher", status::ok, status::ok, status::forbidden},
      {"teacher2", status::forbidden, status::forbidden, status::forbidden},
      {"office", status::ok, status::ok, status::ok},
      {"head", status::ok, status::ok, status::ok},
      {"governor", status::forbidden, status::forbidden, status::forbidden},
      {"parent", status::forbidden, status::forbidden, status::forbidden},
      {"la", status::forbidden, status::forbidden, status::forbidden},
  };
  for (const Expect& e : roles) {
    SCOPED_TRACE(e.who);
    EXPECT_EQ(t.Get(e.who, ids.Register()).status, e.read);
    EXPECT_EQ(t.Get(e.who, ids.Api()).status, e.read);
    EXPECT_EQ(t.As(e.who, verb::put, ids.Api() + "/marks/" + p1, R"({"code":"/"})").status,
              e.write);
    EXPECT_EQ(t.Get(e.who, "/lessons/disagreements").status, e.office_pages);
    const status parent_or_governor =
        e.who == "parent" || e.who == "governor" || e.who == "la" ? status::forbidden : status::ok;
    EXPECT_EQ(t.Get(e.who, "/lessons").status, parent_or_governor);
    if (e.who != "teacher" && e.who != "teacher2") {
      EXPECT_EQ(t.Get(e.who, "/timetable").status, e.office_pages);
    }
  }
  // A lesson not yet begun is read-only, saying why, without buttons.
  web::Response later =
      t.Get("teacher2", "/lessons/register?date=2026-11-25&period=" + ids.script_period +
                            "&group=" + ids.script_group);
  ASSERT_EQ(later.status, status::ok) << later.body;
  EXPECT_TRUE(Has(later.body, "id=\"read-only\""));
  EXPECT_TRUE(Has(later.body, "13:30"));
  EXPECT_FALSE(Has(later.body, "hx-post=\"/lessons/mark\""));
  EXPECT_FALSE(Has(later.body, "id=\"all-present\""));
  // Marks and the import: only those who may, and never without the CSRF token.
  EXPECT_EQ(t.As("teacher", verb::post, "/lessons/mark", MarkForm(ids, p1, "code=N"), false).status,
            status::forbidden);
  EXPECT_EQ(Htmx(t, "teacher2", "/lessons/mark", MarkForm(ids, p1, "code=N")).status,
            status::forbidden);
  EXPECT_EQ(Htmx(t, "parent", "/lessons/all-present",
                 "date=2026-11-25&period=" + ids.maths_period + "&group=" + ids.maths_group)
                .status,
            status::forbidden);
  for (const char* who : {"teacher", "governor", "parent", "la"}) {
    EXPECT_EQ(t.As(who, verb::post, "/timetable/import", "").status, status::forbidden) << who;
  }
}

TEST(LessonsWebTest, TheHtmxMarksRoundTrip) {
  TestApp t;
  const Ids ids = WithTimetable(t);
  const std::string p1 = std::to_string(t.pupil("P1"));
  const std::string p2 = std::to_string(t.pupil("P2"));
  web::Response absent = Htmx(t, "teacher", "/lessons/mark", MarkForm(ids, p1, "code=N"));
  ASSERT_EQ(absent.status, status::ok) << absent.body;
  EXPECT_TRUE(absent.body.starts_with("<tr id=\"row-" + p1 + "\"")) << absent.body;
  EXPECT_TRUE(Has(absent.body, ">N</span>"));
  EXPECT_TRUE(Has(absent.body, "1 of 3 marked"));
  // A recorded mark's row asks a reason for a change.
  EXPECT_TRUE(Has(absent.body, "name=\"reason\" required"));
  // One tap on L today: arrived now.
  web::Response late = Htmx(t, "teacher", "/lessons/mark", MarkForm(ids, p2, "code=L"));
  EXPECT_TRUE(Has(late.body, ">L</span> at 10:00")) << late.body;
  // A change without a reason is refused in the row, which keeps the mark.
  web::Response no_reason = Htmx(t, "teacher", "/lessons/mark", MarkForm(ids, p1, "code=%2F"));
  EXPECT_EQ(no_reason.status, status::ok);
  EXPECT_TRUE(Has(no_reason.body, "role=\"alert\"")) << no_reason.body;
  EXPECT_TRUE(Has(no_reason.body, ">N</span>"));
  web::Response with_reason =
      Htmx(t, "teacher", "/lessons/mark", MarkForm(ids, p1, "code=%2F&reason=Came+from+the+nurse"));
  EXPECT_TRUE(Has(with_reason.body, ">/</span>")) << with_reason.body;
  // The page, read again, shows both marks.
  web::Response page = t.Get("teacher", ids.Register());
  EXPECT_TRUE(Has(page.body, "2 of 3 marked"));
  EXPECT_TRUE(Has(page.body, ">L</span> at 10:00"));
  // All present marks the one left and keeps the others.
  web::Response all =
      Htmx(t, "teacher", "/lessons/all-present",
           "date=2026-11-25&period=" + ids.maths_period + "&group=" + ids.maths_group);
  ASSERT_EQ(all.status, status::ok) << all.body;
  EXPECT_TRUE(Has(all.body, "3 of 3 marked"));
  EXPECT_TRUE(Has(all.body, ">L</span> at 10:00"));
  // Without JavaScript: a redirect back to the register.
  web::Response form = t.As("teacher", verb::post, "/lessons/mark",
                            MarkForm(ids, p2, "code=N&reason=Left+for+the+dentist"));
  EXPECT_EQ(form.status, status::see_other);
  EXPECT_TRUE(Has(Header(form, "Location"), "/lessons/register?date=2026-11-25"));
}

TEST(LessonsWebTest, TheApiReadsAndRecordsLessonMarks) {
  TestApp t;
  const Ids ids = WithTimetable(t);
  const std::string p3 = std::to_string(t.pupil("P3"));
  // An arrival later than now is refused; a quarter of an hour on, 10:12 is past.
  web::Response early = t.As("office", verb::put, ids.Api() + "/marks/" + p3,
                             R"({"code":"L","arrival_time":"10:12"})");
  EXPECT_EQ(early.status, status::bad_request);
  EXPECT_EQ(Json(early)["error"]["code"], "ARRIVAL_IN_FUTURE");
  t.clock().Set(D("2026-11-25"), 10 * 60 + 15);
  web::Response put = t.As("office", verb::put, ids.Api() + "/marks/" + p3,
                           R"({"code":"L","arrival_time":"10:12"})");
  ASSERT_EQ(put.status, status::ok) << put.body;
  nlohmann::json saved = Json(put);
  EXPECT_EQ(saved["code"], "L");
  EXPECT_EQ(saved["arrival_time"], "10:12");
  EXPECT_EQ(saved["changed"], true);
  EXPECT_TRUE(saved["statutory_recorded"].is_null());  // the registration period gives it
  nlohmann::json reg = Json(t.Get("office", ids.Api()));
  EXPECT_EQ(reg["group"]["code"], "10X/Ma1");
  EXPECT_EQ(reg["period"]["name"], "P2");
  EXPECT_EQ(reg["session"], "AM");
  EXPECT_EQ(reg["marked"], 1);
  ASSERT_EQ(reg["pupils"].size(), 3u);
  bool found = false;
  for (const nlohmann::json& row : reg["pupils"]) {
    if (row["id"] == t.pupil("P3")) {
      found = true;
      EXPECT_EQ(row["code"], "L");
      EXPECT_EQ(row["arrival_time"], "10:12");
    }
  }
  EXPECT_TRUE(found);
  // The same again changes nothing; a change needs a reason.
  EXPECT_EQ(Json(t.As("office", verb::put, ids.Api() + "/marks/" + p3,
                      R"({"code":"L","arrival_time":"10:12"})"))["changed"],
            false);
  EXPECT_EQ(t.As("office", verb::put, ids.Api() + "/marks/" + p3, R"({"code":"N"})").status,
            status::bad_request);
  EXPECT_EQ(t.As("office", verb::put, ids.Api() + "/marks/" + p3,
                 R"({"code":"N","reason":"Left at 10:20"})")
                .status,
            status::ok);
  // Bad bodies and codes a lesson may not take.
  web::Response extra =
      t.As("office", verb::put, ids.Api() + "/marks/" + p3, R"({"code":"/","colour":"red"})");
  EXPECT_EQ(extra.status, status::bad_request);
  web::Response u = t.As("office", verb::put, ids.Api() + "/marks/" + p3,
                         R"({"code":"U","reason":"after the close"})");
  EXPECT_EQ(u.status, status::bad_request);
  EXPECT_EQ(ErrorCode(u), "LESSON_CODE_INVALID");
  EXPECT_EQ(t.As("office", verb::put, ids.Api() + "/marks/" + p3, R"({})").status,
            status::bad_request);
  // Unknown lessons and ids that are no ids.
  web::Response not_id = t.Get("office", "/api/v1/lessons/2026-11-25/P2/" + ids.maths_group);
  EXPECT_EQ(not_id.status, status::bad_request);
  EXPECT_EQ(ErrorCode(not_id), "VALUE_INVALID");
  EXPECT_EQ(t.Get("office", "/api/v1/lessons/2026-11-25/999999/" + ids.maths_group).status,
            status::not_found);
  EXPECT_EQ(
      t.Get("office", "/api/v1/lessons/25-11-2026/" + ids.maths_period + "/" + ids.maths_group)
          .status,
      status::bad_request);
}

TEST(LessonsWebTest, BadInputIsRefusedInWords) {
  TestApp t;
  const Ids ids = WithTimetable(t);
  web::Response bad_date = t.Get("teacher", "/lessons?date=2026-13-45");
  EXPECT_EQ(bad_date.status, status::bad_request);
  EXPECT_TRUE(Has(bad_date.body, "date"));
  web::Response bad_period =
      t.Get("teacher", "/lessons/register?date=2026-11-25&period=abc&group=" + ids.maths_group);
  EXPECT_EQ(bad_period.status, status::bad_request);
  EXPECT_TRUE(Has(bad_period.body, "&#39;abc&#39; is not a period")) << bad_period.body;
  // A code the form does not offer, sent without JavaScript.
  web::Response bad_code =
      t.As("teacher", verb::post, "/lessons/mark",
           MarkForm(ids, std::to_string(t.pupil("P1")), "code=other&other=QQ"));
  EXPECT_EQ(bad_code.status, status::bad_request);
  EXPECT_TRUE(Has(bad_code.body, "There is a problem"));
  // A disagreements range that is no range.
  EXPECT_EQ(t.Get("office", "/lessons/disagreements?from=yesterday").status, status::bad_request);
  // Another teacher's lesson is not theirs to take.
  web::Response other =
      t.Get("teacher", "/lessons/register?date=2026-11-25&period=" + ids.script_period +
                           "&group=" + ids.script_group);
  EXPECT_EQ(other.status, status::forbidden);
}

TEST(LessonsWebTest, NamesFromTheTimetableAreEscaped) {
  TestApp t;
  const Ids ids = WithTimetable(t);
  for (const std::string& target :
       {std::string("/lessons"), "/lessons/register?date=2026-11-25&period=" + ids.script_period +
                                     "&group=" + ids.script_group}) {
    web::Response r = t.Get("teacher2", target);
    ASSERT_EQ(r.status, status::ok) << target << r.body;
    EXPECT_FALSE(Has(r.body, "<script>alert(2)")) << target;
    EXPECT_TRUE(Has(r.body, "&lt;script&gt;alert(2)")) << target;
    EXPECT_FALSE(Has(r.body, "<script>alert(1)")) << target;  // P1's name
  }
  web::Response tt = t.Get("head", "/timetable");
  EXPECT_FALSE(Has(tt.body, "<script>alert(2)"));
  EXPECT_TRUE(Has(tt.body, "&lt;script&gt;alert(2)"));
}

// Present at registration, absent from a later lesson with no reason: on
// Today within the lesson, on the office's disagreements, and on the
// pupil's page with the pattern.
TEST(LessonsWebTest, InternalTruancyReachesTodayAndThePupilPage) {
  TestApp t;
  const Ids ids = WithTimetable(t);
  const std::string p1 = std::to_string(t.pupil("P1"));
  ASSERT_EQ(
      t.As("office", verb::put, "/api/v1/registers/2026-11-25/AM/marks/" + p1, R"({"code":"/"})")
          .status,
      status::ok);
  EXPECT_TRUE(Has(t.Get("office", "/today").body, "Missing from lessons today"));
  ASSERT_EQ(Htmx(t, "teacher", "/lessons/mark", MarkForm(ids, p1, "code=N")).status, status::ok);
  const web::Response today = t.Get("office", "/today");
  EXPECT_TRUE(Has(today.body, "missing from P2 10X/Ma1 (Mathematics) with User teacher"))
      << today.body;
  EXPECT_TRUE(Has(today.body, "href=\"/pupils/" + p1 + "\""));
  web::Response lines = t.Get("office", "/lessons/disagreements");
  ASSERT_EQ(lines.status, status::ok);
  EXPECT_TRUE(Has(lines.body, "/register?date=2026-11-25&amp;session=AM")) << lines.body;
  web::Response pupil = t.Get("office", "/pupils/" + p1);
  EXPECT_TRUE(Has(pupil.body, "Missed lessons (last 6 weeks)"));
  EXPECT_TRUE(Has(pupil.body, "Wednesday 1"));
  EXPECT_TRUE(Has(pupil.body, "P2 1"));
  EXPECT_TRUE(Has(pupil.body, "Mathematics 1"));
  // A pupil who missed nothing has no such section.
  EXPECT_FALSE(
      Has(t.Get("office", "/pupils/" + std::to_string(t.pupil("P2"))).body, "Missed lessons"));
}

constexpr char kBoundary[] = "----rollcallLessonsBoundary";

std::string TimetableBody(const std::string& periods, const std::string& weeks) {
  std::string body;
  auto field = [&](const std::string& name, const std::string& value) {
    body += std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + name +
            "\"\r\n\r\n" + value + "\r\n";
  };
  auto file = [&](const std::string& name, const std::string& bytes) {
    body += std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + name +
            "\"; filename=\"" + name + ".csv\"\r\nContent-Type: text/csv\r\n\r\n" + bytes + "\r\n";
  };
  field("cycle_weeks", weeks);
  field("week1_monday", "2026-11-23");
  field("source", "registration");
  file("periods", periods);
  file("groups", "group,subject,teachers\n10X/Ma1,Mathematics,teacher\n");
  file("members", "group,upn\n10X/Ma1,A909123400001\n10X/Ma1,B909123400002\n");
  file("lessons", "group,day,period,room\n10X/Ma1,Wed,P2,M4\n");
  body += std::string("--") + kBoundary + "--\r\n";
  return body;
}

web::Response Import(TestApp& t, const std::string& body) {
  web::Request req = t.RequestAs("head", verb::post, "/timetable/import", body);
  req.content_type = std::string("multipart/form-data; boundary=") + kBoundary;
  return t.app().Handle(req);
}

TEST(LessonsWebTest, TheHeadImportsATimetableAndSeesWhyOneIsRefused) {
  TestApp t;
  EXPECT_TRUE(Has(t.Get("head", "/timetable").body, "No timetable yet."));
  const std::string periods =
      "period,start,end,session,registration\nReg,08:40,09:00,AM,yes\nP2,10:00,11:00,AM,no\n";
  web::Response refused = Import(t, TimetableBody("period,start,end,session,registration\n"
                                                  "P2,11:00,10:00,AM,no\n",
                                                  "1"));
  EXPECT_EQ(refused.status, status::bad_request) << refused.body;
  EXPECT_TRUE(Has(refused.body, "There is a problem"));
  EXPECT_TRUE(Has(refused.body, "Timetable not imported"));
  EXPECT_TRUE(Has(t.Get("head", "/timetable").body, "No timetable yet."));  // nothing written
  web::Response done = Import(t, TimetableBody(periods, "1"));
  ASSERT_EQ(done.status, status::ok) << done.body;
  EXPECT_TRUE(Has(done.body, "Timetable imported: 2 periods, 1 teaching group, 1 lesson"))
      << done.body;
  const web::Response page = t.Get("head", "/timetable");
  EXPECT_TRUE(Has(page.body, "10X/Ma1 M4"));
  EXPECT_TRUE(Has(page.body, "User teacher"));
  EXPECT_TRUE(Has(t.Get("teacher", "/lessons").body, "10X/Ma1"));
}

}  // namespace lessons_web
}  // namespace rollcall::testing
