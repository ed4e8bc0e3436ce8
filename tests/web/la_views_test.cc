// The LA's cross-school views over three schools (two in LA 909, one in LA
// 111): each officer sees only their LA's schools; the figures are the
// rules' figures for each school's registers; a pupil is found across
// schools by UPN, movers and likely siblings are listed; the targeting
// support pack renders as HTML and PDF.
#include <gtest/gtest.h>

#include <string>

#include "core/evaluate.h"
#include "service/la_directory.h"
#include "test_app.h"

namespace rollcall::testing {
namespace {

using web::http::status;

class LaViewsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Seed(*hillside_, {"Hillside Primary", "200001", "909", "primary"});
    Seed(*elsewhere_, {"Elsewhere Academy", "300001", "111", "secondary"});
    // A pupil who left Hillside at half term and joined Test Primary.
    store::Pupil mover = Pupil("P909555500001", "Mover", "2026-09-02");
    mover.enrolments[0].end = D("2026-10-23");
    mover.enrolments[0].deletion_ground = "c";
    mover.enrolments[0].destination = "Test Primary";
    const int64_t at_hillside = *hillside_->AddPupil(mover);
    mover.enrolments = {{D("2026-11-02"), std::nullopt, "", ""}};
    ASSERT_TRUE(t_.store().AddPupil(mover).ok());
    // Test Primary's P2 has a younger sister at Hillside: the same mother, phone.
    store::Pupil sister = Pupil("P909555500002", "Sister", "2026-09-02");
    sister.contacts = {{1, "Parent P2", "Mother", "07700 900001", "", {}}};
    sister.flags = {{"FSM", D("2026-09-01"), std::nullopt}};
    const int64_t sister_id = *hillside_->AddPupil(sister);
    // Hillside's registers: the mover present 2 sessions, the sister absent
    // unauthorised 3 of 4.
    Mark(*hillside_, at_hillside, "2026-10-22", {"/", "\\"});
    Mark(*hillside_, sister_id, "2026-11-23", {"/", "O"});
    Mark(*hillside_, sister_id, "2026-11-24", {"O", "O"});
    Mark(*elsewhere_, *elsewhere_->AddPupil(Pupil("Q111555500001", "Far", "2026-09-02")),
         "2026-11-23", {"I", "I"});
    directory_ = std::make_unique<service::LaDirectory>(
        std::vector<store::Store*>{&t_.store(), hillside_.get(), elsewhere_.get()});
    t_.app().SetLaDirectory(directory_.get());
  }

  static void Seed(store::Store& s, const store::School& school) {
    ASSERT_TRUE(s.SetSchool(school).ok());
    store::Settings settings;
    settings.set_by = "test";
    ASSERT_TRUE(s.SaveSettings(settings).ok());
    ASSERT_TRUE(s.AddTerm({0, "Autumn 2026", D("2026-09-02"), D("2026-12-18")}).ok());
    store::User office;
    office.username = "office";
    office.display_name = "Office";
    office.role = store::Role::kOffice;
    office.password_hash = "x";
    ASSERT_TRUE(s.AddUser(office).ok());
  }

  static store::Pupil Pupil(const std::string& upn, const std::string& name, const char* start) {
    store::Pupil p;
    p.upn = upn;
    p.legal_given_name = name;
    p.legal_family_name = "Pupil";
    p.date_of_birth = D("2018-05-01");
    p.sex = "F";
    p.year_group = 3;
    p.enrolments.push_back({D(start), std::nullopt, "", ""});
    return p;
  }

  static void Mark(store::Store& s, int64_t pupil, const char* day,
                   std::vector<std::string> codes) {
    std::vector<store::MarkWrite> writes;
    for (size_t i = 0; i < codes.size(); ++i) {
      store::MarkWrite w;
      w.pupil_id = pupil;
      w.slot = {D(day), i == 0 ? core::Session::kAm : core::Session::kPm};
      w.code = *core::CodeFromSymbol(codes[i]);
      w.reason = "register";
      writes.push_back(w);
    }
    ASSERT_TRUE(s.SaveMarks(writes, {1, "Office", store::Role::kOffice}, 1'795'000'000).ok());
  }

  nlohmann::json Schools(const std::string& user, const std::string& query = "") {
    const web::Response r = t_.Get(user, "/api/v1/la/schools" + query);
    EXPECT_EQ(r.status, status::ok) << r.body;
    return nlohmann::json::parse(r.body);
  }

  TestApp t_;
  std::unique_ptr<store::Store> hillside_ = store::NewMemoryStore();
  std::unique_ptr<store::Store> elsewhere_ = store::NewMemoryStore();
  std::unique_ptr<service::LaDirectory> directory_;
};

TEST_F(LaViewsTest, EachOfficerSeesOnlyTheirLasSchools) {
  nlohmann::json la = Schools("la");
  ASSERT_EQ(la["schools"].size(), 2u);
  EXPECT_EQ(la["schools"][0]["urn"], "200001");  // by name: Hillside, Test Primary
  EXPECT_EQ(la["schools"][1]["urn"], "123456");
  nlohmann::json other = Schools("la_other");
  ASSERT_EQ(other["schools"].size(), 1u);
  EXPECT_EQ(other["schools"][0]["urn"], "300001");
  for (const char* user : {"head", "office", "teacher", "governor", "parent"}) {
    EXPECT_EQ(t_.Get(user, "/api/v1/la/schools").status, status::forbidden) << user;
    EXPECT_EQ(t_.Get(user, "/la/schools").status, status::forbidden) << user;
  }
  EXPECT_EQ(t_.Get("la", "/la/schools/300001/pack").status, status::not_found);
  EXPECT_EQ(t_.Get("la_other", "/la/schools/200001/pack.pdf").status, status::not_found);
  const std::string page = t_.Get("la", "/la/schools").body;
  EXPECT_NE(page.find("Hillside Primary"), std::string::npos);
  EXPECT_EQ(page.find("Elsewhere Academy"), std::string::npos);
}

TEST_F(LaViewsTest, FiguresAreTheRulesFiguresForEachSchool) {
  nlohmann::json la = Schools("la");
  const nlohmann::json& hillside = la["schools"][0]["figures"];
  // 2 present (the mover, before leaving) + the sister's 1 present, 3 O.
  EXPECT_EQ(hillside["pupils"], 2);
  EXPECT_EQ(hillside["possible"], 6);
  EXPECT_EQ(hillside["attended"], 3);
  EXPECT_EQ(hillside["unauthorised"], 3);
  EXPECT_EQ(hillside["persistent_absence"], 1);
  EXPECT_EQ(hillside["severe_absence"], 1);  // 75% absent
  // The cohort view: only the FSM sister at Hillside.
  nlohmann::json fsm = Schools("la", "?cohort=FSM");
  EXPECT_EQ(fsm["schools"][0]["figures"]["pupils"], 1);
  EXPECT_EQ(fsm["schools"][0]["figures"]["possible"], 4);
  // The school's own figures, from the core, agree with the LA's.
  const nlohmann::json own = nlohmann::json::parse(t_.Get("head", "/api/v1/school/summary").body);
  const nlohmann::json& test_primary = la["schools"][1]["figures"];
  EXPECT_EQ(test_primary["possible"], own["school"]["possible"]);
  EXPECT_EQ(test_primary["attended"], own["school"]["attended"]);
  EXPECT_EQ(la["all_schools"]["possible"],
            hillside["possible"].get<int>() + test_primary["possible"].get<int>());
  EXPECT_EQ(t_.Get("la", "/la/schools?cohort=NOPE").status, status::bad_request);
}

TEST_F(LaViewsTest, PupilsAcrossSchoolsMoversAndSiblings) {
  const std::string found = t_.Get("la", "/la/pupils?upn=p909555500001").body;
  EXPECT_NE(found.find("Hillside Primary"), std::string::npos);
  EXPECT_NE(found.find("Test Primary"), std::string::npos);
  EXPECT_NE(found.find("from 2 September 2026 to 23 October 2026 (Test Primary)"),
            std::string::npos);
  const std::string bad = t_.Get("la", "/la/pupils?upn=P909555500009").body;
  EXPECT_NE(bad.find("check letter"), std::string::npos);
  // A GOV.UK error summary linking to the UPN box.
  EXPECT_NE(bad.find(R"(<div class="govuk-error-summary")"), std::string::npos) << bad;
  EXPECT_NE(bad.find(R"(<a href="#upn">)"), std::string::npos);
  const std::string none = t_.Get("la", "/la/pupils?upn=Q111555500001").body;
  EXPECT_NE(none.find("No pupil with UPN Q111555500001 at your schools"), std::string::npos);
  const std::string lists = t_.Get("la", "/la/pupils").body;
  const size_t movers = lists.find("Moved between your schools");
  const size_t siblings = lists.find("Likely siblings");
  ASSERT_NE(movers, std::string::npos);
  ASSERT_NE(siblings, std::string::npos);
  EXPECT_NE(lists.find("P909555500001", movers), std::string::npos);
  EXPECT_NE(lists.find("P909555500002", siblings), std::string::npos);
}

TEST_F(LaViewsTest, TargetingSupportPackAsHtmlAndPdf) {
  const web::Response html = t_.Get("la", "/la/schools/200001/pack");
  ASSERT_EQ(html.status, status::ok) << html.body;
  EXPECT_NE(html.body.find("Persistently absent pupils: Free school meals"), std::string::npos)
      << html.body;
  // Tables, not running text: a row a pupil.
  EXPECT_NE(
      html.body.find(
          R"(<th scope="row" class="govuk-table__header">Sister Pupil</th>)"
          R"(<td class="govuk-table__cell">P909555500002</td><td class="govuk-table__cell">Year 3</td>)"
          R"(<td class="govuk-table__cell">25.0% (severe absence)</td>)"),
      std::string::npos)
      << html.body;
  EXPECT_NE(html.body.find("<caption class=\"govuk-table__caption"), std::string::npos);
  EXPECT_NE(html.body.find("National (primary schools"), std::string::npos);
  const web::Response pdf = t_.Get("la", "/la/schools/200001/pack.pdf");
  ASSERT_EQ(pdf.status, status::ok);
  EXPECT_EQ(pdf.content_type, "application/pdf");
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
}

// The officer starts on the comparison and opens each school's dashboard
// from it: of a school this server does not keep, the figures the LA holds.
TEST_F(LaViewsTest, TheOfficerLandsOnTheSchoolsAndOpensEachSchool) {
  const web::Response home = t_.Get("la", "/");
  EXPECT_EQ(home.status, status::see_other);
  EXPECT_EQ(Header(home, "Location"), "/la/schools");
  const std::string schools = t_.Get("la", "/la/schools").body;
  EXPECT_NE(schools.find(R"(<a href="/la/schools/200001">Hillside Primary</a>)"), std::string::npos)
      << schools;
  const web::Response hillside = t_.Get("la", "/la/schools/200001");
  ASSERT_EQ(hillside.status, status::ok) << hillside.body;
  EXPECT_NE(hillside.body.find("Dashboard: Hillside Primary"), std::string::npos);
  EXPECT_NE(hillside.body.find("25 November 2026"), std::string::npos);
  EXPECT_NE(hillside.body.find(R"(href="/la/schools/200001/pack")"), std::string::npos);
  // Only the school this server keeps has the full dashboard.
  EXPECT_EQ(hillside.body.find("full dashboard"), std::string::npos);
  const std::string own = t_.Get("la", "/la/schools/123456").body;
  EXPECT_NE(own.find("full dashboard"), std::string::npos) << own;
  EXPECT_EQ(t_.Get("la", "/la/schools/300001").status, status::not_found);
  EXPECT_EQ(t_.Get("la_other", "/la/schools/200001").status, status::not_found);
  EXPECT_EQ(t_.Get("head", "/la/schools/123456").status, status::forbidden);
}

}  // namespace
}  // namespace rollcall::testing
