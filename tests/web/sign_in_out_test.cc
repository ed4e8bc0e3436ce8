// The reception kiosk and the school transport page through App::Handle:
// a late arrival signed in on the kiosk, an early departure, the search as
// htmx asks it, a route's delay turning a U into L, a refused form shown
// again, names escaped, and who may use the pages.
#include <gtest/gtest.h>

#include <string>

#include "core/error_codes.h"
#include "test_app.h"

namespace rollcall::testing {
namespace {

using web::http::status;
using web::http::verb;

bool Has(const web::Response& r, const std::string& text) {
  return r.body.find(text) != std::string::npos;
}

std::string Location(const web::Response& r) {
  for (const auto& [name, value] : r.headers) {
    if (name == "Location") return value;
  }
  return "";
}

// The AM mark of `pupil` today.
std::optional<store::Mark> AmMark(TestApp& t, int64_t pupil) {
  core::StatusOr<std::vector<store::Mark>> marks =
      t.store().MarksForSession({D("2026-11-25"), core::Session::kAm});
  EXPECT_TRUE(marks.ok());
  for (const store::Mark& m : *marks) {
    if (m.pupil_id == pupil) return m;
  }
  return std::nullopt;
}

TEST(SignInOutPageTest, TheKioskSignsAPupilInLateAndListsThem) {
  TestApp t;
  const web::Response kiosk = t.Get("office", "/reception");
  ASSERT_EQ(kiosk.status, status::ok) << kiosk.body;
  EXPECT_TRUE(Has(kiosk, R"(hx-get="/reception/find")"));
  EXPECT_TRUE(Has(kiosk, "No one has been signed in or out today."));

  // The search as htmx asks it: the fragment alone, the name escaped.
  const web::Response found = t.Get("office", "/reception/find?q=script");
  ASSERT_EQ(found.status, status::ok);
  EXPECT_FALSE(Has(found, "<html"));
  EXPECT_TRUE(Has(found, "&lt;script&gt;"));
  EXPECT_FALSE(Has(found, "<script>alert"));
  const std::string p1 = std::to_string(t.pupil("P1"));
  EXPECT_TRUE(Has(found, "/reception/" + p1 + "/in"));
  // And without script, the same on the page.
  EXPECT_TRUE(Has(t.Get("office", "/reception?q=script"), "/reception/" + p1 + "/in"));

  const web::Response form = t.Get("office", "/reception/" + p1 + "/in");
  ASSERT_EQ(form.status, status::ok);
  EXPECT_TRUE(Has(form, R"(value="10:00")"));  // now, by the school's clock
  EXPECT_FALSE(Has(form, "<script>alert"));

  const web::Response signed_in = t.As("office", verb::post, "/reception/" + p1 + "/in",
                                       "time=09%3A40&reason=Overslept&detail=");
  ASSERT_EQ(signed_in.status, status::see_other) << signed_in.body;
  EXPECT_EQ(Location(signed_in), "/reception?signed=in");
  ASSERT_TRUE(AmMark(t, t.pupil("P1")).has_value());
  EXPECT_EQ(AmMark(t, t.pupil("P1"))->code, core::AttendanceCode::kLateAfterClose);

  const web::Response after = t.Get("office", "/reception?signed=in");
  EXPECT_TRUE(Has(after, "09:40"));
  EXPECT_TRUE(Has(after, "Overslept"));
  EXPECT_FALSE(Has(after, "<script>alert"));
  // And on the office's Today page.
  const web::Response today = t.Get("office", "/today");
  EXPECT_TRUE(Has(today, "today-reception")) << today.body;
  EXPECT_TRUE(Has(today, "signed in: Overslept (U)"));
}

TEST(SignInOutPageTest, ARefusedFormIsShownAgainWithWhy) {
  TestApp t;
  const std::string p2 = std::to_string(t.pupil("P2"));
  const web::Response future =
      t.As("office", verb::post, "/reception/" + p2 + "/in", "time=10%3A30&reason=Traffic&detail=");
  EXPECT_EQ(future.status, status::unprocessable_entity);
  EXPECT_TRUE(Has(future, "later than now"));
  EXPECT_TRUE(Has(future, R"(value="10:30")"));  // as typed
  const web::Response no_reason =
      t.As("office", verb::post, "/reception/" + p2 + "/in", "time=09%3A40&reason=Other&detail=");
  EXPECT_EQ(no_reason.status, status::unprocessable_entity);
  EXPECT_TRUE(Has(no_reason, "Choose or write a reason"));
  EXPECT_FALSE(AmMark(t, t.pupil("P2")).has_value());
  EXPECT_EQ(t.Get("office", "/reception/99999/in").status, status::not_found);
}

TEST(SignInOutPageTest, ADepartureThatDoesNotCountRecordsTheCodeChosen) {
  TestApp t;
  const std::string p2 = std::to_string(t.pupil("P2"));
  const web::Response form = t.Get("office", "/reception/" + p2 + "/out");
  ASSERT_EQ(form.status, status::ok);
  EXPECT_TRUE(Has(form, R"(name="counts")"));
  EXPECT_TRUE(Has(form, R"(<option value="M")"));
  const web::Response out =
      t.As("office", verb::post, "/reception/" + p2 + "/out",
           "time=09%3A50&reason=Medical+or+dental+appointment&detail=&counts=no&code=M");
  ASSERT_EQ(out.status, status::see_other) << out.body;
  ASSERT_TRUE(AmMark(t, t.pupil("P2")).has_value());
  EXPECT_EQ(AmMark(t, t.pupil("P2"))->code, core::AttendanceCode::kMedical);
}

TEST(SignInOutPageTest, ARouteDelayOnTheTransportPageTurnsUIntoL) {
  TestApp t;
  const std::string p2 = std::to_string(t.pupil("P2"));
  ASSERT_EQ(t.As("office", verb::post, "/transport/routes", "name=North+bus").status, status::ok);
  const web::Response dup = t.As("office", verb::post, "/transport/routes", "name=north+BUS");
  EXPECT_EQ(dup.status, status::unprocessable_entity);
  EXPECT_TRUE(Has(dup, "already a route called"));
  const int64_t route = (*t.store().TransportRoutes())[0].id;
  ASSERT_EQ(t.As("office", verb::post, "/transport/riders",
                 "pupil=" + p2 + "&route=" + std::to_string(route))
                .status,
            status::ok);
  ASSERT_EQ(t.As("office", verb::post, "/reception/" + p2 + "/in",
                 "time=09%3A45&reason=Bus+or+taxi+late&detail=")
                .status,
            status::see_other);
  ASSERT_EQ(AmMark(t, t.pupil("P2"))->code, core::AttendanceCode::kLateAfterClose);

  const web::Response delay =
      t.As("office", verb::post, "/transport/delays",
           "route=" + std::to_string(route) + "&date=2026-11-25&session=AM&note=flat+tyre");
  ASSERT_EQ(delay.status, status::ok) << delay.body;
  EXPECT_TRUE(Has(delay, "Changed from U to L: Pupil P2"));
  EXPECT_EQ(AmMark(t, t.pupil("P2"))->code, core::AttendanceCode::kLateBeforeClose);
  const web::Response page = t.Get("office", "/transport");
  EXPECT_TRUE(Has(page, "North bus (1 pupil)")) << page.body;
  EXPECT_TRUE(Has(page, "flat tyre"));
  EXPECT_EQ(
      t.As("office", verb::post, "/transport/delays", "route=9999&date=2026-11-25&session=AM&note=")
          .status,
      status::unprocessable_entity);
}

TEST(SignInOutPageTest, ARoutesFileSetsThePupilsRoutes) {
  TestApp t;
  ASSERT_EQ(t.As("head", verb::post, "/transport/routes", "name=Taxi").status, status::ok);
  web::Request req = t.RequestAs("head", verb::post, "/transport/import");
  req.content_type = "multipart/form-data; boundary=XyZ";
  req.body = "--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + req.csrf_token +
             "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.csv\"\r\n"
             "Content-Type: text/csv\r\n\r\nUPN,route\nB909123400002,taxi\n\r\n--XyZ--\r\n";
  const web::Response r = t.app().Handle(req);
  ASSERT_EQ(r.status, status::ok) << r.body;
  EXPECT_TRUE(Has(r, "Routes set for 1 pupil."));
  ASSERT_EQ(t.store().RouteRiders()->size(), 1u);
  EXPECT_EQ((*t.store().RouteRiders())[0].pupil_id, t.pupil("P2"));
}

// Only the office and the head: everyone else is refused every page and
// form, and nothing is written.
TEST(SignInOutPageTest, OnlyTheOfficeAndTheHeadMayUseTheDeskAndTransport) {
  TestApp t;
  const std::string p1 = std::to_string(t.pupil("P1"));
  for (const char* role :
       {"head", "office", "teacher", "governor", "la", "parent", "attendance", "dsl", "senco"}) {
    const bool allowed = std::string(role) == "head" || std::string(role) == "office";
    const status want = allowed ? status::ok : status::forbidden;
    EXPECT_EQ(t.Get(role, "/reception").status, want) << role;
    EXPECT_EQ(t.Get(role, "/reception/find?q=pupil").status, want) << role;
    EXPECT_EQ(t.Get(role, "/reception/" + p1 + "/out").status, want) << role;
    EXPECT_EQ(t.Get(role, "/transport").status, want) << role;
    if (allowed) continue;
    EXPECT_EQ(
        t.As(role, verb::post, "/reception/" + p1 + "/in", "time=09%3A40&reason=Overslept&detail=")
            .status,
        status::forbidden)
        << role;
    EXPECT_EQ(t.As(role, verb::post, "/transport/routes", "name=Sneaky").status, status::forbidden)
        << role;
    EXPECT_FALSE(Has(t.Get(role, "/today"), "today-reception")) << role;
  }
  EXPECT_FALSE(AmMark(t, t.pupil("P1")).has_value());
  EXPECT_TRUE(t.store().TransportRoutes()->empty());
  EXPECT_NE(t.Anonymous(verb::get, "/reception").status, status::ok);
}

}  // namespace
}  // namespace rollcall::testing
