// Every API endpoint under every role, with the expected allow or deny, and
// every endpoint without a session. The roles are those of access.h.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "service/password.h"
#include "test_app.h"

namespace rollcall::testing {
namespace {

using web::http::status;
using web::http::verb;

struct Endpoint {
  const char* name;
  verb method;
  std::string target;  // with {P1} {P2} {3A} {4B} placeholders
  std::string body;
  // Roles allowed, in the order of kRoles; everything else gets 403.
  std::vector<std::string> allowed;
  status ok_status = status::ok;
};

const std::vector<std::string> kRoles = {"head",   "office",   "teacher",    "governor", "la",
                                         "parent", "la_other", "attendance", "dsl",      "senco"};

std::string Expand(std::string text, TestApp& t) {
  auto replace = [&](const std::string& from, const std::string& to) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from)) {
      text.replace(at, from.size(), to);
    }
  };
  replace("{P1}", std::to_string(t.pupil("P1")));
  replace("{P2}", std::to_string(t.pupil("P2")));
  replace("{3A}", std::to_string(t.class_id("3A")));
  replace("{4B}", std::to_string(t.class_id("4B")));
  replace("{T2}", std::to_string(t.user("teacher2")));
  return text;
}

std::vector<Endpoint> Endpoints() {
  const std::vector<std::string> staff = {"head", "office",     "teacher", "governor",
                                          "la",   "attendance", "dsl",     "senco"};
  return {
      {"me",
       verb::get,
       "/api/v1/me",
       "",
       {"head", "office", "teacher", "governor", "la", "parent", "la_other", "attendance", "dsl",
        "senco"}},
      {"pupils",
       verb::get,
       "/api/v1/pupils",
       "",
       {"head", "office", "teacher", "la", "parent", "attendance", "dsl", "senco"}},
      {"pupil own",
       verb::get,
       "/api/v1/pupils/{P1}",
       "",
       {"head", "office", "teacher", "la", "parent", "attendance", "dsl", "senco"}},
      {"pupil other",
       verb::get,
       "/api/v1/pupils/{P2}",
       "",
       {"head", "office", "la", "attendance", "dsl", "senco"}},
      {"summary own",
       verb::get,
       "/api/v1/pupils/{P1}/summary",
       "",
       {"head", "office", "teacher", "la", "parent", "attendance", "dsl", "senco"}},
      {"summary other",
       verb::get,
       "/api/v1/pupils/{P2}/summary?as_of=2026-11-24",
       "",
       {"head", "office", "la", "attendance", "dsl", "senco"}},
      {"amendments own",
       verb::get,
       "/api/v1/pupils/{P1}/amendments",
       "",
       {"head", "office", "teacher", "la", "attendance", "dsl", "senco"}},
      {"amendments other",
       verb::get,
       "/api/v1/pupils/{P2}/amendments",
       "",
       {"head", "office", "la", "attendance", "dsl", "senco"}},
      {"school summary", verb::get, "/api/v1/school/summary", "", staff},
      {"school dashboard", verb::get, "/api/v1/school/dashboard?group=class-{3A}", "", staff},
      {"classes", verb::get, "/api/v1/classes", "", staff},
      {"register own",
       verb::get,
       "/api/v1/registers/2026-11-25/AM?class={3A}",
       "",
       {"head", "office", "teacher", "la", "attendance", "senco"}},
      {"register other",
       verb::get,
       "/api/v1/registers/2026-11-25/AM?class={4B}",
       "",
       {"head", "office", "la", "attendance", "senco"}},
      {"mark own",
       verb::put,
       "/api/v1/registers/2026-11-25/AM/marks/{P1}",
       R"({"code":"/"})",
       {"head", "office", "teacher", "attendance"}},
      {"mark other",
       verb::put,
       "/api/v1/registers/2026-11-25/AM/marks/{P2}",
       R"({"code":"/"})",
       {"head", "office", "attendance"}},
      {"export", verb::get, "/api/v1/export/scenario", "", {"head", "office", "la", "attendance"}},
      {"settings",
       verb::get,
       "/api/v1/settings",
       "",
       {"head", "office", "teacher", "governor", "la", "attendance"}},
      {"settings write",
       verb::put,
       "/api/v1/settings",
       R"({"target_attendance_pct":"95.5"})",
       {"head"}},
      {"report absence own",
       verb::post,
       "/api/v1/pupils/{P1}/absence-reports",
       R"({"from":"2026-11-26","reason":"Dentist in the morning"})",
       {"head", "office", "parent", "attendance"},
       status::created},
      {"report absence other",
       verb::post,
       "/api/v1/pupils/{P2}/absence-reports",
       R"({"from":"2026-11-26","reason":"Dentist"})",
       {"head", "office", "attendance"},
       status::created},
      {"absence reports",
       verb::get,
       "/api/v1/absence-reports",
       "",
       {"head", "office", "teacher", "la", "parent", "attendance", "dsl", "senco"}},
      {"resolve absence report",
       verb::post,
       "/api/v1/absence-reports/999/resolve",
       R"({"resolution":"Coded M"})",
       {"head", "office", "attendance"},
       status::not_found},
      {"contact log own",
       verb::get,
       "/api/v1/pupils/{P1}/contact-log",
       "",
       {"head", "office", "teacher", "la", "attendance", "dsl", "senco"}},
      {"contact log other",
       verb::get,
       "/api/v1/pupils/{P2}/contact-log",
       "",
       {"head", "office", "la", "attendance", "dsl", "senco"}},
      {"record contact",
       verb::post,
       "/api/v1/pupils/{P1}/contact-log",
       R"({"method":"call","outcome":"no_answer","contact":"Parent P1, mother"})",
       {"head", "office", "la", "attendance", "dsl"},
       status::created},
      {"change contact",
       verb::put,
       "/api/v1/pupils/{P1}/contacts/1",
       R"({"name":"Parent P1","relationship":"Mother","parental_responsibility":true})",
       {"head", "office"}},
      {"add contact",
       verb::post,
       "/api/v1/pupils/{P1}/contacts",
       R"({"name":"Gran P1","relationship":"Grandparent","parental_responsibility":false})",
       {"head", "office"},
       status::created},
      // The admission register: the office and the head. Each body is
      // refused by the service's checks, so every allowed role gets the same
      // answer and nothing is written.
      {"admit pupil",
       verb::post,
       "/api/v1/pupils",
       R"({"upn":"","start":"2026-11-25"})",
       {"head", "office"},
       status::bad_request},
      {"correct pupil",
       verb::put,
       "/api/v1/pupils/{P1}",
       R"({"legal_given_name":"Pat"})",
       {"head", "office"},
       status::bad_request},
      {"pupil leaves the roll",
       verb::post,
       "/api/v1/pupils/{P1}/leave",
       R"({"ground":"z","last_day":"2026-11-25"})",
       {"head", "office"},
       status::bad_request},
      // P1 has its two contacts and the two added above: each role allowed
      // removes the third.
      {"confirm contacts",
       verb::post,
       "/api/v1/pupils/{P1}/contacts/confirm",
       "{}",
       {"head", "office"}},
      {"remove contact", verb::delete_, "/api/v1/pupils/{P1}/contacts/3", "", {"head", "office"}},
      // Adding the same flag from the same day again changes nothing.
      {"add cohort flag",
       verb::post,
       "/api/v1/pupils/{P1}/flags",
       R"({"flag":"EAL","from":"2026-09-01","reason":"Home language Polish"})",
       {"head", "office"}},
      {"messages own",
       verb::get,
       "/api/v1/pupils/{P1}/messages",
       "",
       {"head", "office", "teacher", "la", "parent", "attendance", "dsl", "senco"}},
      {"messages other",
       verb::get,
       "/api/v1/pupils/{P2}/messages",
       "",
       {"head", "office", "la", "attendance", "dsl", "senco"}},
      {"cme cases",
       verb::get,
       "/api/v1/cme-cases",
       "",
       {"head", "office", "la", "attendance", "dsl"}},
      {"pupil cme",
       verb::get,
       "/api/v1/pupils/{P1}/cme",
       "",
       {"head", "office", "la", "attendance", "dsl"}},
      {"cme step",
       verb::post,
       "/api/v1/cme-cases/999/steps",
       R"({"step":"notify_dsl","note":"DSL told"})",
       {"head", "office", "la", "attendance", "dsl"},
       status::not_found},
      {"cme close",
       verb::post,
       "/api/v1/cme-cases/999/close",
       R"({"outcome":"Found"})",
       {"head", "office", "la", "attendance", "dsl"},
       status::not_found},
      {"support own",
       verb::get,
       "/api/v1/pupils/{P1}/support",
       "",
       {"head", "office", "teacher", "la", "attendance", "dsl", "senco"}},
      {"support other",
       verb::get,
       "/api/v1/pupils/{P2}/support",
       "",
       {"head", "office", "la", "attendance", "dsl", "senco"}},
      {"confirm stage",
       verb::post,
       "/api/v1/pupils/{P1}/stage",
       R"({"stage":"monitor","reason":"amber"})",
       {"head", "office", "la", "attendance", "senco"}},
      {"support event",
       verb::post,
       "/api/v1/pupils/{P1}/support-events",
       R"({"kind":"panel_meeting","attendees":"Head, mum","notes":"Mornings"})",
       {"head", "office", "la", "attendance", "senco"},
       status::created},
      {"part-time own",
       verb::get,
       "/api/v1/pupils/{P1}/part-time",
       "",
       {"head", "office", "teacher", "la", "attendance", "dsl", "senco"}},
      {"part-time other",
       verb::get,
       "/api/v1/pupils/{P2}/part-time",
       "",
       {"head", "office", "la", "attendance", "dsl", "senco"}},
      {"agree part-time",
       verb::post,
       "/api/v1/pupils/{P1}/part-time",
       R"({"agreed_with":"Mum","start":"2026-11-25","end":"2026-12-11","review_date":"2026-12-01","attends":["mon-am"],"reason":"Medical"})",
       {"head"},
       status::created},
      {"part-time review",
       verb::post,
       "/api/v1/part-time/999/reviews",
       R"({"outcome":"end"})",
       {"head", "office", "la", "attendance", "senco"},
       status::not_found},
      {"send letters",
       verb::post,
       "/api/v1/letters",
       R"({"template":"termly_rag","group":"school"})",
       {"head", "office", "attendance"},
       status::created},
      {"letter of P1",
       verb::get,
       "/api/v1/letters/1",
       "",
       {"head", "office", "teacher", "la", "attendance", "dsl", "senco"}},
      {"letters of P1",
       verb::get,
       "/api/v1/pupils/{P1}/letters",
       "",
       {"head", "office", "teacher", "la", "attendance", "dsl", "senco"}},
      {"letters of P2",
       verb::get,
       "/api/v1/pupils/{P2}/letters",
       "",
       {"head", "office", "la", "attendance", "dsl", "senco"}},
      {"leave request own",
       verb::post,
       "/api/v1/pupils/{P1}/leave-requests",
       R"({"from":"2026-12-07","to":"2026-12-07","code":"M","reason":"Dentist"})",
       {"head", "office", "parent", "attendance"},
       status::created},
      {"leave request other",
       verb::post,
       "/api/v1/pupils/{P2}/leave-requests",
       R"({"from":"2026-12-07","to":"2026-12-07","code":"M","reason":"Dentist"})",
       {"head", "office", "attendance"},
       status::created},
      {"leave requests",
       verb::get,
       "/api/v1/leave-requests",
       "",
       {"head", "office", "teacher", "governor", "la", "parent", "la_other", "attendance", "dsl",
        "senco"}},
      {"leave decision",
       verb::post,
       "/api/v1/leave-requests/999/decision",
       R"({"decision":"refused","reason":"x"})",
       {"head"},
       status::not_found},
      {"exclusion notice case",
       verb::post,
       "/api/v1/pupils/{P1}/exclusion-notice-cases",
       R"({"date":"2026-11-23","text":"Seen in town"})",
       {"head", "la"},
       status::bad_request},
      {"penalty cases",
       verb::get,
       "/api/v1/penalty-cases",
       "",
       {"head", "office", "la", "attendance"}},
      {"penalty case",
       verb::get,
       "/api/v1/penalty-cases/999",
       "",
       {"head", "office", "la", "attendance"},
       status::not_found},
      {"penalty decision",
       verb::post,
       "/api/v1/penalty-cases/999/events",
       R"({"kind":"decision","decision":"no_action","text":"x"})",
       {"head", "la"},
       status::not_found},
      {"penalty payment",
       verb::post,
       "/api/v1/penalty-cases/999/events",
       R"({"kind":"payment","notice_id":1,"amount_pence":8000})",
       {"head", "office", "la", "attendance"},
       status::not_found},
      {"confirm absence report",
       verb::post,
       "/api/v1/absence-reports/999/confirm",
       R"({"code":"M"})",
       {"head", "office", "attendance"},
       status::not_found},
      {"la notifications",
       verb::get,
       "/api/v1/la-notifications",
       "",
       {"head", "office", "la", "attendance"}},
      // Any LA officer may ask; each sees only their own LA's schools (la_other: none).
      {"la schools", verb::get, "/api/v1/la/schools", "", {"la", "la_other"}},
      {"transfers", verb::get, "/api/v1/transfers", "", {"head", "office", "attendance"}},
      {"la notification sent",
       verb::post,
       "/api/v1/la-notifications/none.1.2026-01-01/sent",
       "{}",
       {"head", "office", "attendance"},
       status::not_found},
      {"la notification acknowledged",
       verb::post,
       "/api/v1/la-notifications/none.1.2026-01-01/acknowledged",
       "{}",
       {"la"},
       status::not_found},
      {"users", verb::get, "/api/v1/users", "", {"head"}},
      {"users add",
       verb::post,
       "/api/v1/users",
       R"({"username":"newteacher","display_name":"Mr New","role":"teacher","password":"long-enough-pw"})",
       {"head"},
       status::created},
      {"invite",
       verb::post,
       "/api/v1/users/invitations",
       R"({"username":"newdsl","display_name":"Ms New","role":"dsl"})",
       {"head"},
       status::created},
      {"new link", verb::post, "/api/v1/users/{T2}/invitation", "{}", {"head"}, status::created},
      {"disable", verb::post, "/api/v1/users/{T2}/disable", "{}", {"head"}},
      {"enable", verb::post, "/api/v1/users/{T2}/enable", "{}", {"head"}},
      {"evidence own",
       verb::get,
       "/api/v1/pupils/{P1}/evidence",
       "",
       {"head", "office", "parent", "attendance"}},
      {"evidence other",
       verb::get,
       "/api/v1/pupils/{P2}/evidence",
       "",
       {"head", "office", "attendance"}},
      {"webhooks", verb::get, "/api/v1/webhooks", "", {"head"}},
      {"webhook add",
       verb::post,
       "/api/v1/webhooks",
       R"({"url":"https://receiver.example/hook","events":["mark.amended"]})",
       {"head"},
       status::created},
      {"webhook pause", verb::post, "/api/v1/webhooks/1/pause", "{}", {"head"}},
      {"webhook test", verb::post, "/api/v1/webhooks/1/test", "{}", {"head"}},
  };
}

TEST(AccessMatrixTest, EveryEndpointUnderEveryRole) {
  TestApp t;
  int checked = 0;
  for (const Endpoint& e : Endpoints()) {
    for (const std::string& role : kRoles) {
      const bool allowed = std::find(e.allowed.begin(), e.allowed.end(), role) != e.allowed.end();
      web::Response res = t.As(role, e.method, Expand(e.target, t), e.body);
      EXPECT_EQ(res.status, allowed ? e.ok_status : status::forbidden)
          << e.name << " as " << role << ": " << res.body;
      if (!allowed) {
        EXPECT_NE(res.body.find("\"FORBIDDEN\""), std::string::npos) << res.body;
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, static_cast<int>(Endpoints().size() * kRoles.size()));
}

// The daily attendance share's page and its forms (pages, so a refusal is
// a page with 403): those who keep the whole school's registers see it and
// share now; only the head sets where and when it goes.
TEST(AccessMatrixTest, TheDailySharePageUnderEveryRole) {
  TestApp t;
  const std::vector<std::string> keepers = {"head", "office", "attendance"};
  for (const std::string& role : kRoles) {
    const bool keeper = std::find(keepers.begin(), keepers.end(), role) != keepers.end();
    EXPECT_EQ(t.Get(role, "/share").status, keeper ? status::ok : status::forbidden) << role;
    // No destination is set, so a keeper's share now is refused with the
    // reason (400), anyone else's for who they are.
    EXPECT_EQ(t.As(role, verb::post, "/share").status,
              keeper ? status::bad_request : status::forbidden)
        << role;
    // An empty time changes nothing: the head saves, anyone else is refused.
    EXPECT_EQ(t.As(role, verb::post, "/share/settings", "share_destination=&share_time=").status,
              role == "head" ? status::ok : status::forbidden)
        << role;
  }
  for (const char* path : {"/share", "/share/settings"}) {
    EXPECT_NE(t.Anonymous(verb::post, path).status, status::ok) << path;
    EXPECT_EQ(t.As("head", verb::post, path, "", /*csrf=*/false).body.find("Share now"),
              std::string::npos)
        << path << ": a form without its token does nothing";
  }
  EXPECT_NE(t.Anonymous(verb::get, "/share").status, status::ok);
}

// The message templates page and its form (pages, so a refusal is a page
// with 403): only the head reads and changes the words of the school's
// messages.
TEST(AccessMatrixTest, TheMessageTemplatesPageUnderEveryRole) {
  TestApp t;
  for (const std::string& role : kRoles) {
    const bool head = role == "head";
    EXPECT_EQ(t.Get(role, "/settings/templates").status, head ? status::ok : status::forbidden)
        << role;
    EXPECT_EQ(t.As(role, verb::post, "/settings/templates", "kind=day_one&action=reset").status,
              head ? status::ok : status::forbidden)
        << role;
  }
  EXPECT_NE(t.Anonymous(verb::get, "/settings/templates").status, status::ok);
  EXPECT_NE(t.Anonymous(verb::post, "/settings/templates").status, status::ok);
  EXPECT_EQ(t.As("head", verb::post, "/settings/templates", "kind=day_one&action=reset",
                 /*csrf=*/false)
                .body.find("back to the default words."),
            std::string::npos)
      << "a form without its token does nothing";
}

// The pages of staff notifications, social workers, staff email addresses
// and letters' posting dates: who may see and change them.
TEST(AccessMatrixTest, NotificationAndSocialWorkerPagesUnderEveryRole) {
  TestApp t;
  const std::string pupil = "/pupils/" + std::to_string(t.pupil("P1"));
  const std::vector<std::string> see_social_worker = {"head", "office", "la", "attendance", "dsl"};
  const std::vector<std::string> edit_social_worker = {"head", "office", "dsl"};
  const std::vector<std::string> send_letters = {"head", "office", "attendance"};
  auto in = [](const std::vector<std::string>& roles, const std::string& role) {
    return std::find(roles.begin(), roles.end(), role) != roles.end();
  };
  for (const std::string& role : kRoles) {
    EXPECT_EQ(t.Get(role, "/settings/notifications").status,
              role == "head" ? status::ok : status::forbidden)
        << role;
    EXPECT_EQ(t.As(role, verb::post, "/settings/notifications", "digest_time=16%3A00").status,
              role == "head" ? status::ok : status::forbidden)
        << role;
    EXPECT_EQ(t.As(role, verb::post, pupil + "/social-worker",
                   "name=Ms+Worker&email=sw%40council.example&reason=Referral")
                  .status,
              in(edit_social_worker, role) ? status::see_other : status::forbidden)
        << role;
    // Batch 999 does not exist: those who send letters are told so, the
    // others are refused first.
    EXPECT_EQ(t.As(role, verb::post, "/letters/batch/999/posted", "posted_on=2026-11-25").status,
              in(send_letters, role) ? status::not_found : status::forbidden)
        << role;
    EXPECT_EQ(
        t.As(role, verb::post, Expand("/users/{T2}/email", t), "email=t2%40school.example").status,
        role == "head" ? status::see_other : status::forbidden)
        << role;
  }
  // The social worker is shown only to those who may see safeguarding details.
  for (const std::string& role : kRoles) {
    const web::Response page = t.Get(role, pupil);
    if (page.status != status::ok) continue;
    EXPECT_EQ(page.body.find("Ms Worker") != std::string::npos, in(see_social_worker, role))
        << role;
  }
  EXPECT_NE(t.Anonymous(verb::get, "/settings/notifications").status, status::ok);
}

// The data protection pages (pages, so a refusal is a page with 403): only
// the head reads the access log, per pupil and per user, and makes subject
// access copies.
TEST(AccessMatrixTest, TheAccessLogAndSubjectAccessPagesUnderEveryRole) {
  TestApp t;
  const std::vector<std::string> paths = {
      Expand("/pupils/{P1}/access-log", t), Expand("/users/{T2}/access-log", t),
      Expand("/pupils/{P1}/subject-access", t), Expand("/pupils/{P1}/subject-access/pupil.json", t),
      Expand("/pupils/{P2}/subject-access/contact-1.pdf", t)};
  for (const std::string& role : kRoles) {
    for (const std::string& path : paths) {
      EXPECT_EQ(t.Get(role, path).status, role == "head" ? status::ok : status::forbidden)
          << role << " " << path;
    }
  }
  for (const std::string& path : paths) {
    EXPECT_NE(t.Anonymous(verb::get, path).status, status::ok) << path;
  }
}

// The message pages (pages, so a refusal is a page with 403): only the
// head sets how messages are sent and sends a test; those who keep the
// whole school's registers read the log.
TEST(AccessMatrixTest, TheMessagePagesUnderEveryRole) {
  TestApp t;
  const std::vector<std::string> keepers = {"head", "office", "attendance"};
  for (const std::string& role : kRoles) {
    const bool head = role == "head";
    const bool keeper = std::find(keepers.begin(), keepers.end(), role) != keepers.end();
    EXPECT_EQ(t.Get(role, "/settings/messages").status, head ? status::ok : status::forbidden)
        << role;
    // Nothing set but the time: a valid version with no transport.
    EXPECT_EQ(t.As(role, verb::post, "/settings/messages", "day_one_time=10%3A00").status,
              head ? status::see_other : status::forbidden)
        << role;
    EXPECT_EQ(
        t.As(role, verb::post, "/settings/messages/test", "channel=email&to=head%40test.sch.uk")
            .status,
        head ? status::see_other : status::forbidden)
        << role;
    EXPECT_EQ(t.Get(role, "/messages").status, keeper ? status::ok : status::forbidden) << role;
  }
  for (const char* path : {"/settings/messages", "/settings/messages/test"}) {
    EXPECT_NE(t.Anonymous(verb::post, path).status, status::ok) << path;
    EXPECT_EQ(t.As("head", verb::post, path, "day_one_time=11%3A00", /*csrf=*/false).status,
              status::forbidden)
        << path << ": a form without its token does nothing";
  }
  EXPECT_NE(t.Anonymous(verb::get, "/messages").status, status::ok);
  EXPECT_NE(t.Anonymous(verb::get, "/settings/messages").status, status::ok);
}

// The retention page: only the head sees how long records are kept,
// changes a period, turns the nightly purge on and purges.
TEST(AccessMatrixTest, TheRetentionPageUnderEveryRole) {
  TestApp t;
  for (const std::string& role : kRoles) {
    const bool head = role == "head";
    EXPECT_EQ(t.Get(role, "/settings/retention").status, head ? status::ok : status::forbidden)
        << role;
    EXPECT_EQ(t.As(role, verb::post, "/settings/retention", "action=auto&auto_purge=yes").status,
              head ? status::ok : status::forbidden)
        << role;
    EXPECT_EQ(t.As(role, verb::post, "/settings/retention",
                   "action=period&kind=messages&months=12&basis=made&reason=Policy")
                  .status,
              head ? status::ok : status::forbidden)
        << role;
    // Purging without ticking the confirmation: the head is told to tick
    // it, everyone else refused.
    EXPECT_EQ(t.As(role, verb::post, "/settings/retention", "action=purge").status,
              head ? status::unprocessable_entity : status::forbidden)
        << role;
    EXPECT_EQ(t.As(role, verb::post, "/settings/retention", "action=purge&confirm=yes").status,
              head ? status::ok : status::forbidden)
        << role;
  }
  // The register's six years cannot be shortened, from the page either.
  const web::Response shorter = t.As("head", verb::post, "/settings/retention",
                                     "action=period&kind=marks&months=12&basis=made&reason=Space");
  EXPECT_EQ(shorter.status, status::unprocessable_entity);
  EXPECT_NE(shorter.body.find("six years"), std::string::npos);
  EXPECT_NE(t.Anonymous(verb::get, "/settings/retention").status, status::ok);
  EXPECT_NE(t.Anonymous(verb::post, "/settings/retention").status, status::ok);
  EXPECT_EQ(t.As("head", verb::post, "/settings/retention", "action=purge&confirm=yes",
                 /*csrf=*/false)
                .status,
            status::forbidden)
      << "a form without its token does nothing";
  // The page shows the purges done, by whom.
  const web::Response page = t.Get("head", "/settings/retention");
  EXPECT_NE(page.body.find("Attendance register marks"), std::string::npos);
  EXPECT_NE(page.body.find("Rows removed"), std::string::npos);
}

// The backups page (a page, so a refusal is a page with 403): only the head
// sees and sets it. The test app's database is in memory, so the head's
// save is refused as input (no file to back up), never as a permission.
TEST(AccessMatrixTest, TheBackupsPageUnderEveryRole) {
  TestApp t;
  for (const std::string& role : kRoles) {
    const bool head = role == "head";
    EXPECT_EQ(t.Get(role, "/settings/backups").status, head ? status::ok : status::forbidden)
        << role;
    EXPECT_EQ(t.As(role, verb::post, "/settings/backups", "folder=&time=02%3A00&keep=14").status,
              head ? status::unprocessable_entity : status::forbidden)
        << role;
    const web::Response now = t.As(role, verb::post, "/settings/backups/now", "");
    if (head) {
      EXPECT_NE(now.status, status::forbidden) << role;
    } else {
      EXPECT_EQ(now.status, status::forbidden) << role;
    }
  }
  for (const char* path : {"/settings/backups", "/settings/backups/now"}) {
    EXPECT_NE(t.Anonymous(verb::post, path).status, status::ok) << path;
    EXPECT_EQ(t.As("head", verb::post, path, "folder=%2Ftmp&time=02%3A00&keep=14",
                   /*csrf=*/false)
                  .status,
              status::forbidden)
        << path << ": a form without its token does nothing";
  }
  EXPECT_NE(t.Anonymous(verb::get, "/settings/backups").status, status::ok);
}

// The rewards pages (pages, so a refusal is a page with 403): every role
// inside the school reads the class table; parents and the LA do not.
// Certificates are letters: those who send letters print them.
TEST(AccessMatrixTest, TheRewardsPagesUnderEveryRole) {
  TestApp t;
  const std::vector<std::string> readers = {"head",       "office", "teacher", "governor",
                                            "attendance", "dsl",    "senco"};
  const std::vector<std::string> printers = {"head", "office", "attendance"};
  auto in = [](const std::vector<std::string>& roles, const std::string& role) {
    return std::find(roles.begin(), roles.end(), role) != roles.end();
  };
  for (const std::string& role : kRoles) {
    for (const char* path : {"/rewards", "/rewards?period=year", "/rewards.csv"}) {
      EXPECT_EQ(t.Get(role, path).status, in(readers, role) ? status::ok : status::forbidden)
          << role << " " << path;
    }
    EXPECT_EQ(t.As(role, verb::post, "/rewards/certificates", "period=week&kind=full").status,
              in(printers, role) ? status::see_other : status::forbidden)
        << role;
  }
  EXPECT_NE(t.Anonymous(verb::get, "/rewards").status, status::ok);
  EXPECT_EQ(
      t.As("head", verb::post, "/rewards/certificates", "period=week&kind=full", /*csrf=*/false)
          .status,
      status::forbidden);
}

// GOV.UK Notify's receipts need no login and no CSRF token, but the bearer
// token set in the message settings: without it, 401 whoever asks.
TEST(AccessMatrixTest, NotifyReceiptsNeedTheReceiptTokenNotALogin) {
  TestApp t;
  const std::string receipt = R"({"id":"notify-1","status":"delivered"})";
  web::Request req;
  req.method = verb::post;
  req.target = "/api/v1/messages/notify-receipts";
  req.body = receipt;
  req.remote_addr = "127.0.0.1";
  req.host = "localhost";
  // No token is set yet: every receipt is refused.
  EXPECT_EQ(t.app().Handle(req).status, status::unauthorized);
  store::MessageSettings settings;
  settings.notify_receipt_token = "receipt-token-123456";
  settings.set_by = "test";
  ASSERT_TRUE(t.store().SaveMessageSettings(settings).ok());
  for (const std::string& wrong : {std::string(""), std::string("Bearer wrong-token-123456"),
                                   std::string("receipt-token-123456")}) {
    req.authorization = wrong;
    const web::Response res = t.app().Handle(req);
    EXPECT_EQ(res.status, status::unauthorized) << wrong;
    EXPECT_EQ(ErrorCode(res), "TOKEN_INVALID");
  }
  // A logged-in head without the token is refused too.
  EXPECT_EQ(t.As("head", verb::post, "/api/v1/messages/notify-receipts", receipt).status,
            status::unauthorized);
  req.authorization = "Bearer receipt-token-123456";
  EXPECT_EQ(ErrorCode(t.app().Handle(req)), "OUTBOX_UNKNOWN");
  req.body = "{not json";
  EXPECT_EQ(t.app().Handle(req).status, status::bad_request);

  // A text rollcall sent: the receipt is recorded.
  store::OutboxMessage m{.channel = "sms",
                         .idempotency_key = "test/1",
                         .event_kind = "test",
                         .destination = "07700900123",
                         .payload = "{}",
                         .next_attempt_at = 1,
                         .created_at = 1};
  ASSERT_TRUE(t.store().FanOut({}, {m}).ok());
  core::StatusOr<std::vector<store::OutboxMessage>> claimed =
      t.store().ClaimDueOutbox("sms", 1, 100, 1);
  ASSERT_TRUE(claimed.ok() && claimed->size() == 1u);
  ASSERT_TRUE(t.store()
                  .RecordMessageAttempt({.outbox_id = claimed->front().id, .at = 2, .status = 201},
                                        {store::OutboxState::kDelivered, 2},
                                        std::string("notify-1"), std::nullopt)
                  .ok());
  req.body = receipt;
  const web::Response recorded = t.app().Handle(req);
  EXPECT_EQ(recorded.status, status::ok) << recorded.body;
  core::StatusOr<std::vector<store::OutboxMessage>> messages = t.store().ListMessages({});
  ASSERT_TRUE(messages.ok() && messages->size() == 1u);
  EXPECT_EQ(messages->front().receipt, "delivered");
}

TEST(AccessMatrixTest, EveryEndpointNeedsALogin) {
  TestApp t;
  for (const Endpoint& e : Endpoints()) {
    web::Response res = t.Anonymous(e.method, Expand(e.target, t), e.body);
    EXPECT_EQ(res.status, status::unauthorized) << e.name << ": " << res.body;
    EXPECT_NE(res.body.find("NOT_LOGGED_IN"), std::string::npos) << res.body;
  }
  EXPECT_EQ(t.Anonymous(verb::get, "/healthz").body, R"({"status":"ok"})");
}

// An API token acts as the office, within its scopes: with every scope it
// is still refused whatever the office is refused, and the settings too.
TEST(AccessMatrixTest, AnApiTokenNeverDoesWhatTheOfficeMayNot) {
  TestApp t;
  const std::string secret = "rc_every-scope";
  store::ApiToken token{.name = "Every scope",
                        .scopes = "read:figures read:pupils write:marks read:casework read:exports",
                        .token_hash = service::TokenHash(secret),
                        .created_by_user_id = t.user("head"),
                        .created_by_name = "User head",
                        .created_at = t.clock().NowSeconds(),
                        .expires_at = t.clock().NowSeconds() + 86400};
  ASSERT_TRUE(t.store().AddApiToken(token).ok());
  for (const Endpoint& e : Endpoints()) {
    const bool office = std::find(e.allowed.begin(), e.allowed.end(), "office") != e.allowed.end();
    if (office && e.name != std::string("settings")) continue;
    web::Request req;
    req.method = e.method;
    req.target = Expand(e.target, t);
    req.body = e.body;
    req.authorization = "Bearer " + secret;
    req.remote_addr = "127.0.0.1";
    req.host = "localhost";
    web::Response res = t.app().Handle(req);
    EXPECT_EQ(res.status, status::forbidden) << e.name << ": " << res.body;
  }
}

// The API tokens page and its forms: the head's alone.
TEST(AccessMatrixTest, OnlyTheHeadManagesApiTokens) {
  TestApp t;
  for (const std::string& role : kRoles) {
    const bool head = role == "head";
    EXPECT_EQ(t.Get(role, "/settings/api-tokens").status, head ? status::ok : status::forbidden)
        << role;
    web::Response created = t.As(role, verb::post, "/settings/api-tokens",
                                 "name=x&scope-read-figures=yes&expires=2027-01-31");
    EXPECT_EQ(created.status, head ? status::created : status::forbidden) << role;
    EXPECT_EQ(t.Get(role, "/settings/api-tokens/999").status,
              head ? status::not_found : status::forbidden)
        << role;
    EXPECT_EQ(t.As(role, verb::post, "/settings/api-tokens/999/revoke", "confirm=yes").status,
              head ? status::not_found : status::forbidden)
        << role;
  }
}

// The second factor's pages: everyone's own on their account page; the
// head's page of everyone's, its setting and resets, the head's alone.
TEST(AccessMatrixTest, SecondFactorPagesUnderEveryRole) {
  TestApp t;
  const std::string teacher = std::to_string(t.user("teacher"));
  for (const std::string& role : kRoles) {
    const bool head = role == "head";
    EXPECT_EQ(t.Get(role, "/account/second-factor").status, status::ok) << role;
    EXPECT_EQ(t.As(role, verb::post, "/account/second-factor/start").status, status::see_other)
        << role;
    EXPECT_EQ(t.Get(role, "/second-factor").status, head ? status::ok : status::forbidden) << role;
    EXPECT_EQ(t.As(role, verb::post, "/second-factor/required", "required=no").status,
              head ? status::see_other : status::forbidden)
        << role;
    // The teacher has none to reset: the head is told so, no one else is.
    EXPECT_EQ(t.As(role, verb::post, "/second-factor/reset", "user_id=" + teacher).status,
              head ? status::not_found : status::forbidden)
        << role;
  }
  // The steps after the password need a pending login, not a session.
  for (const char* path : {"/login/code", "/login/enrol"}) {
    EXPECT_EQ(t.Anonymous(verb::get, path).status, status::unauthorized) << path;
    EXPECT_EQ(t.Anonymous(verb::post, path, "code=123456").status, status::unauthorized) << path;
  }
}

TEST(AccessMatrixTest, StateChangingRequestsNeedTheCsrfToken) {
  TestApp t;
  for (const Endpoint& e : Endpoints()) {
    if (e.method == verb::get) continue;
    web::Response res = t.As("head", e.method, Expand(e.target, t), e.body, /*csrf=*/false);
    EXPECT_EQ(res.status, status::forbidden) << e.name;
    EXPECT_NE(res.body.find("CSRF_TOKEN_INVALID"), std::string::npos) << res.body;
  }
}

// A set-password link needs no login but a token that works: the page
// opens, sets the password once and logs the person in; a token that is not
// right is refused, and too many of them from one address are held up as
// failed logins are.
TEST(AccessMatrixTest, ASetPasswordLinkNeedsNoLoginButAValidToken) {
  TestApp t;
  web::Response wrong = t.Anonymous(verb::get, "/invite/not-a-token");
  EXPECT_EQ(wrong.status, status::not_found) << wrong.body;
  EXPECT_NE(wrong.body.find("this link is not right"), std::string::npos) << wrong.body;

  web::Response invited = t.As("head", verb::post, "/api/v1/users/invitations",
                               R"({"username":"newdsl","display_name":"Ms New","role":"dsl"})");
  ASSERT_EQ(invited.status, status::created) << invited.body;
  const std::string link = Json(invited)["link"];
  ASSERT_TRUE(link.starts_with("/invite/")) << link;
  web::Response form = t.Anonymous(verb::get, link);
  EXPECT_EQ(form.status, status::ok) << form.body;
  EXPECT_NE(form.body.find("Set your password"), std::string::npos);
  EXPECT_NE(form.body.find("newdsl"), std::string::npos);

  web::Response differ =
      t.Anonymous(verb::post, link, "new_password=a-long-password&confirm_password=another-one");
  EXPECT_EQ(differ.status, status::bad_request);
  EXPECT_NE(differ.body.find("the two passwords differ"), std::string::npos);
  // A form on another site cannot set it (and log the browser in).
  web::Request forged;
  forged.method = verb::post;
  forged.target = link;
  forged.body = "new_password=a-long-password&confirm_password=a-long-password";
  forged.origin = "https://elsewhere.example";
  forged.host = "localhost";
  forged.remote_addr = "127.0.0.1";
  EXPECT_EQ(t.app().Handle(forged).status, status::forbidden);
  web::Response set = t.Anonymous(verb::post, link,
                                  "new_password=a-long-password&confirm_password=a-long-password");
  EXPECT_EQ(set.status, status::see_other) << set.body;
  EXPECT_EQ(Header(set, "Location"), "/");
  const std::string cookie = Header(set, "Set-Cookie");
  ASSERT_FALSE(cookie.empty());
  // Logged in as the new account.
  web::Request me;
  me.method = verb::get;
  me.target = "/api/v1/me";
  me.cookie = cookie.substr(0, cookie.find(';'));
  me.remote_addr = "127.0.0.1";
  me.host = "localhost";
  web::Response who = t.app().Handle(me);
  EXPECT_EQ(who.status, status::ok) << who.body;
  EXPECT_NE(who.body.find("\"role\":\"dsl\""), std::string::npos) << who.body;
  // Once only.
  web::Response again = t.Anonymous(
      verb::post, link, "new_password=a-long-password&confirm_password=a-long-password");
  EXPECT_EQ(again.status, status::conflict) << again.body;
  EXPECT_EQ(t.Anonymous(verb::get, link).status, status::conflict);

  // Wrong tokens count as failed logins from the address, and are held up.
  web::Response held;
  for (int i = 0; i < 8; ++i) held = t.Anonymous(verb::get, "/invite/guess" + std::to_string(i));
  EXPECT_EQ(held.status, status::unauthorized) << held.body;
  EXPECT_NE(held.body.find("too many links"), std::string::npos) << held.body;
}

TEST(AccessMatrixTest, GovernorsNeverSeeAPupilsName) {
  TestApp t;
  for (const Endpoint& e : Endpoints()) {
    web::Response res = t.As("governor", e.method, Expand(e.target, t), e.body);
    EXPECT_EQ(res.body.find("Pupil"), std::string::npos) << e.name << ": " << res.body;
    EXPECT_EQ(res.body.find("script"), std::string::npos) << e.name << ": " << res.body;
  }
}

TEST(AccessMatrixTest, ListsAreFilteredToWhatTheRoleMaySee) {
  TestApp t;
  auto ids = [&](const std::string& user) {
    std::vector<int64_t> out;
    const nlohmann::json list = nlohmann::json::parse(t.Get(user, "/api/v1/pupils").body);
    for (const auto& p : list["pupils"]) {
      out.push_back(p["id"]);
    }
    return out;
  };
  EXPECT_EQ(ids("parent"), (std::vector<int64_t>{t.pupil("P1")}));
  EXPECT_EQ(ids("teacher"), (std::vector<int64_t>{t.pupil("P1"), t.pupil("P3")}));
  EXPECT_EQ(ids("office").size(), 3u);
}

}  // namespace
}  // namespace rollcall::testing
