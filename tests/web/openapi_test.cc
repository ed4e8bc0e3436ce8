// The API's OpenAPI description served at /api/v1/openapi.json, checked
// against the route table in both directions, and the codes endpoint checked
// against the rules core's table of codes. Real traffic is checked against
// the description by tests/api/openapi_check.mjs.
#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "core/codes.h"
#include "test_app.h"
#include "web/routes.h"

namespace rollcall::testing {
namespace {

using nlohmann::json;
using web::http::status;
using web::http::verb;

json Document(TestApp& t) {
  web::Response res = t.Anonymous(verb::get, "/api/v1/openapi.json");
  EXPECT_EQ(res.status, status::ok) << res.body;
  return json::parse(res.body);
}

TEST(OpenApiTest, IsServedWithoutALoginAsOpenApi31) {
  TestApp t;
  const json doc = Document(t);
  EXPECT_EQ(doc["openapi"], "3.1.0");
  EXPECT_TRUE(doc["paths"].is_object());
  for (const char* scheme : {"cookieAuth", "csrfToken", "bearerAuth"}) {
    EXPECT_TRUE(doc["components"]["securitySchemes"].contains(scheme)) << scheme;
  }
}

// Every API route of the table is documented, with its method and pattern,
// and every documented operation is a route: neither can be added alone.
TEST(OpenApiTest, DocumentsEveryApiRouteAndNothingElse) {
  TestApp t;
  const json doc = Document(t);
  std::set<std::string> routes;
  for (const web::App::Route& r : web::App::Route::All()) {
    const std::string pattern(r.pattern);
    if (!pattern.starts_with("/api/v1/") && pattern != "/healthz") continue;
    std::string method(web::http::to_string(r.method));
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    routes.insert(method + " " + pattern);
  }
  std::set<std::string> documented;
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      if (method == "parameters" || method == "summary" || method == "description") continue;
      documented.insert(method + " " + path);
    }
  }
  for (const std::string& r : routes) {
    EXPECT_TRUE(documented.contains(r)) << r << " is a route but not in openapi.json";
  }
  for (const std::string& d : documented) {
    EXPECT_TRUE(routes.contains(d)) << d << " is in openapi.json but not a route";
  }
  EXPECT_GT(routes.size(), 60u);
}

// Each "$ref" in the document names something the document has.
void CheckRefs(const json& doc, const json& node, std::vector<std::string>& broken) {
  if (node.is_object()) {
    if (auto ref = node.find("$ref"); ref != node.end() && ref->is_string()) {
      const std::string target = ref->get<std::string>();
      if (!target.starts_with("#/") || !doc.contains(json::json_pointer(target.substr(1)))) {
        broken.push_back(target);
      }
    }
    for (const auto& [key, value] : node.items()) CheckRefs(doc, value, broken);
  } else if (node.is_array()) {
    for (const json& value : node) CheckRefs(doc, value, broken);
  }
}

TEST(OpenApiTest, EveryReferenceResolves) {
  TestApp t;
  const json doc = Document(t);
  std::vector<std::string> broken;
  CheckRefs(doc, doc, broken);
  EXPECT_TRUE(broken.empty()) << broken.front();
}

// The codes in force on a date, each as the rules core has it.
void ExpectCodeSet(TestApp& t, const std::string& date, const std::string& set) {
  web::Response res = t.Anonymous(verb::get, "/api/v1/codes?date=" + date);
  ASSERT_EQ(res.status, status::ok) << res.body;
  const json body = json::parse(res.body);
  EXPECT_EQ(body["date"], date);
  EXPECT_EQ(body["code_set"], set);
  const core::Date day = *core::Date::Parse(date);
  std::set<std::string> listed;
  for (const json& c : body["codes"]) {
    const std::string symbol = c["code"];
    listed.insert(symbol);
    const std::optional<core::AttendanceCode> code = core::CodeFromSymbol(symbol);
    ASSERT_TRUE(code) << symbol;
    const core::CodeInfo& info = core::InfoOf(*code);
    EXPECT_EQ(c["meaning"], std::string(info.meaning)) << symbol;
    EXPECT_EQ(c["category"], std::string(core::CategoryKey(info.category))) << symbol;
    EXPECT_EQ(c["category_words"], std::string(core::CategoryWords(info.category))) << symbol;
    EXPECT_EQ(c["possible"], core::IsPossible(*code)) << symbol;
  }
  for (const core::CodeInfo& info : core::AllCodes()) {
    EXPECT_EQ(listed.contains(std::string(info.symbol)), core::IsValidOn(info.code, day))
        << info.symbol << " on " << date;
  }
}

TEST(CodesTest, TheSetInForceOnEachSideOfThe2024Change) {
  TestApp t;
  ExpectCodeSet(t, "2024-08-18", "legacy");
  ExpectCodeSet(t, "2024-08-19", "2024");
  const json legacy = json::parse(t.Anonymous(verb::get, "/api/v1/codes?date=2024-08-18").body);
  EXPECT_EQ(legacy["in_force_to"], "2024-08-18");
  EXPECT_TRUE(legacy["in_force_from"].is_null());
  const json since = json::parse(t.Anonymous(verb::get, "/api/v1/codes?date=2024-08-19").body);
  EXPECT_EQ(since["in_force_from"], "2024-08-19");
  EXPECT_TRUE(since["in_force_to"].is_null());
}

TEST(CodesTest, TodayByDefaultAndABadDateIsRefused) {
  TestApp t;
  const json today = json::parse(t.Anonymous(verb::get, "/api/v1/codes").body);
  EXPECT_EQ(today["date"], "2026-11-25");
  EXPECT_EQ(today["code_set"], "2024");
  web::Response bad = t.Anonymous(verb::get, "/api/v1/codes?date=25/11/2026");
  EXPECT_EQ(bad.status, status::bad_request);
  EXPECT_EQ(ErrorCode(bad), "DATE_INVALID");
}

// Found by checking the traffic against the description: the decision on a
// leave request was answered as a number, where the list says "granted".
TEST(OpenApiTest, ALeaveDecisionIsAnsweredInWords) {
  TestApp t;
  const std::string p1 = std::to_string(t.pupil("P1"));
  web::Response asked =
      t.As("office", verb::post, "/api/v1/pupils/" + p1 + "/leave-requests",
           R"({"from":"2026-12-07","to":"2026-12-07","code":"M","reason":"Orthodontist"})");
  ASSERT_EQ(asked.status, status::created) << asked.body;
  const std::string id = std::to_string(Json(asked)["id"].get<int64_t>());
  web::Response decided = t.As("head", verb::post, "/api/v1/leave-requests/" + id + "/decision",
                               R"({"decision":"granted","reason":"An appointment"})");
  ASSERT_EQ(decided.status, status::created) << decided.body;
  EXPECT_EQ(Json(decided)["decision"], "granted");
}

}  // namespace
}  // namespace rollcall::testing
