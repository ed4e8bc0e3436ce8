// Setting up a school from nothing, and later changes to its calendar
// (service::Setup).
#include "service/setup.h"

#include <gtest/gtest.h>

#include "core/error_codes.h"
#include "school_fixture.h"
#include "service/password.h"

namespace rollcall::service {
namespace {

// A small primary, as `rollcall init` or the first-run page would give it.
SchoolSetup SmallPrimary() {
  SchoolSetup s;
  s.school = {"Oak Primary", "123456", "909", "primary", "2001", "1 Oak Lane", "LE10 1AA"};
  s.am_start = "08:50";
  s.terms = {{0, "Autumn 2026", D("2026-09-03"), D("2026-12-18")},
             {0, "Spring 2027", D("2027-01-05"), D("2027-03-26")}};
  s.closures = {{D("2026-10-26"), core::ClosureSessions::kBoth, "Autumn half term"}};
  s.classes = {{"3A", 3, {{"jsmith", "Mrs Jo Smith"}}},
               {"R", 0, {{"jsmith", "Mrs Jo Smith"}, {"pbrown", "Mr Pat Brown"}}}};
  s.head = {"head", "Ms Ada Head"};
  s.head_password = "a-long-password";
  return s;
}

std::vector<std::string> FieldsOf(const std::vector<SetupProblem>& problems) {
  std::vector<std::string> fields;
  for (const SetupProblem& p : problems) fields.push_back(p.field);
  return fields;
}

TEST(SetupCheckTest, AGoodSetupHasNoProblems) { EXPECT_TRUE(CheckSetup(SmallPrimary()).empty()); }

TEST(SetupCheckTest, EachBadAnswerIsNamedByItsField) {
  SchoolSetup s = SmallPrimary();
  s.school.name = "";
  s.school.urn = "12345";
  s.school.la_code = "9O9";
  s.school.establishment_number = "20011";
  s.school.phase = "infant";
  s.am_start = "8.50";
  s.register_close_minutes = 31;
  s.terms.clear();
  s.classes.push_back({"3a", 14, {{"Bad Name", "Someone"}}});
  s.head = {"h", ""};
  s.head_password = "short";
  EXPECT_EQ(FieldsOf(CheckSetup(s)),
            (std::vector<std::string>{"name", "urn", "la", "estab", "phase", "am_start",
                                      "register_close_minutes", "terms", "classes", "classes",
                                      "classes", "head_username", "head_name", "head_password"}));
}

TEST(SetupCheckTest, TermsAndTimesThatCannotWorkAreRefused) {
  SchoolSetup s = SmallPrimary();
  s.terms.push_back({0, "Overlap", D("2026-12-01"), D("2026-12-20")});
  s.terms.push_back({0, "Backwards", D("2027-05-01"), D("2027-04-20")});
  s.pm_start = "09:00";  // before the morning register closes at 09:20
  std::vector<SetupProblem> problems = CheckSetup(s);
  EXPECT_EQ(FieldsOf(problems), (std::vector<std::string>{"pm_start", "terms", "terms"}));
  EXPECT_EQ(problems[1].message, "Overlap starts on 1 December 2026, before Autumn 2026 ends");
  EXPECT_EQ(problems[2].message, "Backwards ends on 20 April 2027, before it starts on 1 May 2027");
}

TEST(SetupCheckTest, AUsernameForTwoPeopleIsRefused) {
  SchoolSetup s = SmallPrimary();
  s.classes[1].teachers[1] = {"jsmith", "Mr Pat Brown"};
  std::vector<SetupProblem> problems = CheckSetup(s);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].message,
            "Class R: the username jsmith is given to both Mrs Jo Smith and Mr Pat Brown");
}

TEST(SetupLinesTest, TermsClosuresAndClassesAreReadFromLines) {
  core::StatusOr<std::vector<store::Term>> terms = ParseTermLines(
      "Autumn 1 2026, 2026-09-03, 2026-10-23\n\n Autumn 2 2026,2026-11-02,2026-12-18 ");
  ASSERT_TRUE(terms.ok()) << terms.status().message();
  ASSERT_EQ(terms->size(), 2u);
  EXPECT_EQ((*terms)[1].name, "Autumn 2 2026");
  EXPECT_EQ((*terms)[1].end, D("2026-12-18"));
  EXPECT_EQ(TermLines(*terms),
            "Autumn 1 2026, 2026-09-03, 2026-10-23\nAutumn 2 2026, 2026-11-02, 2026-12-18\n");

  core::StatusOr<std::vector<store::Closure>> closures = ParseClosureLines(
      "2026-10-19, INSET day\n2026-11-05 PM, Polling station\n"
      "2026-10-23 to 2026-10-27, Half term, extended");
  ASSERT_TRUE(closures.ok()) << closures.status().message();
  // The range's weekdays: Fri 23, Mon 26, Tue 27 October.
  EXPECT_EQ(ClosureLines(*closures),
            "2026-10-19, INSET day\n2026-11-05 PM, Polling station\n"
            "2026-10-23, Half term, extended\n2026-10-26, Half term, extended\n"
            "2026-10-27, Half term, extended\n");

  core::StatusOr<std::vector<SetupClass>> classes =
      ParseClassLines("R, Reception, Mrs Jo Smith <jsmith>, Mr Pat Brown <pbrown>\n3A, Year 3");
  ASSERT_TRUE(classes.ok()) << classes.status().message();
  ASSERT_EQ(classes->size(), 2u);
  EXPECT_EQ((*classes)[0].year_group, 0);
  ASSERT_EQ((*classes)[0].teachers.size(), 2u);
  EXPECT_EQ((*classes)[0].teachers[1].username, "pbrown");
  EXPECT_EQ((*classes)[0].teachers[1].display_name, "Mr Pat Brown");
  EXPECT_EQ((*classes)[1].year_group, 3);
  EXPECT_TRUE((*classes)[1].teachers.empty());
}

TEST(SetupLinesTest, AFileAddedTwiceGivesItsTermsAndClosuresOnce) {
  io::TermDates dates;
  dates.terms = {{"Autumn 2026", D("2026-09-01"), D("2026-12-18")}};
  dates.closures = {{D("2026-09-01"), core::ClosureSessions::kBoth, "INSET day (staff training)"},
                    {D("2026-11-05"), core::ClosureSessions::kBoth, "INSET day (staff training)"}};
  std::vector<store::Term> terms;
  std::vector<store::Closure> closures = {
      {D("2026-11-05"), core::ClosureSessions::kPm, "Polling station"}};
  AddTermDates(dates, terms, closures);
  AddTermDates(dates, terms, closures);
  EXPECT_EQ(TermLines(terms), "Autumn 2026, 2026-09-01, 2026-12-18\n");
  EXPECT_EQ(ClosureLines(closures),
            "2026-09-01, INSET day (staff training)\n2026-11-05 PM, Polling station\n");
}

TEST(SetupLinesTest, ABadLineIsNamedByItsNumber) {
  EXPECT_EQ(ParseTermLines("Autumn, 2026-09-03, 2026-12-18\nSpring, 5 Jan, 2027-03-26")
                .status()
                .message(),
            "line 2: the days are dates like 2026-09-03");
  EXPECT_EQ(ParseClosureLines("2026-10-19").status().message(),
            "line 1: write a closure as its day and reason, like \"2026-10-19, INSET day\"");
  EXPECT_EQ(ParseClassLines("3A, Year 3, Mrs Jo Smith").status().message(),
            "line 1: give the teacher's username after their name, like \"Mrs Jo Smith "
            "<jsmith>\" (not \"Mrs Jo Smith\")");
  EXPECT_FALSE(ParseClassLines("3A, Year Three").ok());
}

class SetupTest : public ::testing::Test {
 protected:
  SetupTest() : store_(store::NewMemoryStore()), clock_(D("2026-08-20"), 10 * 60) {
    services_ = std::make_unique<Services>(*store_, clock_);
    EXPECT_TRUE(services_->Load().ok());
  }
  std::unique_ptr<store::Store> store_;
  FakeClock clock_;
  std::unique_ptr<Services> services_;
};

TEST_F(SetupTest, CreateWritesTheSchoolAndLoadsIt) {
  EXPECT_TRUE(services_->setup().NeedsSetup());
  ASSERT_TRUE(services_->setup().Create(SmallPrimary()).ok());
  EXPECT_FALSE(services_->setup().NeedsSetup());
  ASSERT_TRUE(store_->GetSchool().ok());
  EXPECT_EQ(store_->GetSchool()->establishment_number, "2001");
  EXPECT_EQ(store_->GetSettings()->am_start_minute, 8 * 60 + 50);
  // The head logs in with their password; teachers wait for an invitation.
  store::User head = *store_->FindUserByName("head");
  EXPECT_EQ(head.role, store::Role::kHead);
  EXPECT_TRUE(VerifyPassword("a-long-password", head.password_hash));
  store::User jo = *store_->FindUserByName("jsmith");
  EXPECT_EQ(jo.role, store::Role::kTeacher);
  EXPECT_EQ(jo.password_hash, "");
  EXPECT_EQ(jo.class_ids.size(), 2u);
  EXPECT_EQ(store_->ListUsers()->size(), 3u);
  // Loaded: the services see the new classes at once.
  auto lock = services_->school().Read();
  EXPECT_EQ(services_->school().snapshot().classes.size(), 2u);
  EXPECT_EQ(services_->school().snapshot().school.name, "Oak Primary");
}

TEST_F(SetupTest, ADatabaseWithAccountsMadeByHandIsNotAFirstRun) {
  store::User head;
  head.username = "akhan";
  head.display_name = "Mrs A Khan";
  head.role = store::Role::kHead;
  head.password_hash = "x";
  ASSERT_TRUE(store_->AddUser(head).ok());
  EXPECT_FALSE(services_->setup().NeedsSetup());
}

TEST_F(SetupTest, ASecondSetupIsRefusedAndChangesNothing) {
  ASSERT_TRUE(services_->setup().Create(SmallPrimary()).ok());
  SchoolSetup other = SmallPrimary();
  other.school.name = "Ash Primary";
  other.head = {"ash", "Mr Ash"};
  core::Status s = services_->setup().Create(other);
  EXPECT_EQ(s.code(), core::kErrSchoolExists);
  EXPECT_EQ(store_->GetSchool()->name, "Oak Primary");
  EXPECT_FALSE(store_->FindUserByName("ash").ok());
}

TEST_F(SetupTest, CreateRefusesABadSetupNamingTheField) {
  SchoolSetup s = SmallPrimary();
  s.school.urn = "12";
  core::Status status = services_->setup().Create(s);
  EXPECT_EQ(status.code(), core::kErrValueInvalid);
  EXPECT_TRUE(status.message().starts_with("urn: ")) << status.message();
  EXPECT_TRUE(services_->setup().NeedsSetup());
}

// The fixture's school: Autumn 2026 from 2 September; today 25 November.
class CalendarChangeTest : public SchoolFixture {};

TEST_F(CalendarChangeTest, AChangeThatWouldOrphanMarksIsRefusedNamingTheSessions) {
  ASSERT_TRUE(Mark(office_, a_, "2026-11-02", "AM", "/").ok());
  ASSERT_TRUE(Mark(office_, a_, "2026-11-02", "PM", "/").ok());
  ASSERT_TRUE(Mark(office_, b_, "2026-11-03", "AM", "/").ok());
  // The term now starts after the marks, or the day becomes a closure.
  core::Status s = services_->setup().ChangeCalendar(
      head_, {{0, "Autumn 2026", D("2026-11-04"), D("2026-12-18")}}, {});
  EXPECT_EQ(s.code(), core::kErrCalendarOrphansMarks);
  EXPECT_TRUE(s.message().find("Mon 2 November 2026 AM and 2 more") != std::string::npos)
      << s.message();
  s = services_->setup().ChangeCalendar(
      head_, {{0, "Autumn 2026", D("2026-09-02"), D("2026-12-18")}},
      {{D("2026-11-03"), core::ClosureSessions::kAm, "Polling day"}});
  EXPECT_EQ(s.code(), core::kErrCalendarOrphansMarks);
  EXPECT_EQ(store_->ListTerms()->front().start, D("2026-09-02"));
  EXPECT_TRUE(store_->ListClosures()->empty());
}

TEST_F(CalendarChangeTest, TheHeadChangesTermsAndClosuresThatLeaveMarksOpen) {
  ASSERT_TRUE(Mark(office_, a_, "2026-11-02", "AM", "/").ok());
  EXPECT_EQ(services_->setup()
                .ChangeCalendar(office_, {{0, "Autumn 2026", D("2026-09-02"), D("2026-12-18")}}, {})
                .kind(),
            core::ErrorKind::kPermissionDenied);
  ASSERT_TRUE(services_->setup()
                  .ChangeCalendar(head_,
                                  {{0, "Autumn 2026", D("2026-09-02"), D("2026-12-18")},
                                   {0, "Spring 2027", D("2027-01-05"), D("2027-03-26")}},
                                  {{D("2026-12-04"), core::ClosureSessions::kBoth, "INSET day"}})
                  .ok());
  EXPECT_EQ(store_->ListTerms()->size(), 2u);
  auto lock = services_->school().Read();
  const core::Calendar& calendar = services_->school().snapshot().scenario.calendar;
  EXPECT_FALSE(calendar.IsOpen({D("2026-12-04"), core::Session::kAm}));
  EXPECT_TRUE(calendar.IsOpen({D("2027-01-05"), core::Session::kAm}));
}

TEST_F(CalendarChangeTest, ACalendarWithoutTermsIsRefused) {
  core::Status s = services_->setup().ChangeCalendar(head_, {}, {});
  EXPECT_EQ(s.kind(), core::ErrorKind::kInvalidArgument);
  EXPECT_EQ(s.message(), "Enter at least one term");
}

}  // namespace
}  // namespace rollcall::service
