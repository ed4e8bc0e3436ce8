// The one store suite: every test runs against the in-memory store, the
// SQLite store (a fresh temporary file per test) and the PostgreSQL store (a
// fresh database per test; skipped unless ROLLCALL_TEST_PG is set), so all
// keep the contract of store/store.h. This file: school, settings, calendar, classes, pupils and
// users; store_marks_test.cc: marks, the audit trail, logins and threads;
// store_absence_reports_test.cc: absence reports.
// Tests of SQLite alone (files, schema, triggers) are in sqlite_store_test.cc.
#include "store/store.h"

#include <gtest/gtest.h>

#include "core/error_codes.h"
#include "store_test_util.h"

namespace rollcall::store {
namespace {

using core::AttendanceCode;
using core::ErrorKind;
using testing::Am;
using testing::D;
using testing::Dump;
using testing::Pm;
using testing::StoreTest;
using testing::Write;

// --- School and settings --------------------------------------------------------

TEST_P(StoreTest, SchoolIsNotFoundUntilSetThenRoundTripsAndIsReplaced) {
  EXPECT_ERROR(store().GetSchool(), ErrorKind::kNotFound, core::kErrSchoolUnset);
  ASSERT_OK(store().SetSchool({"Oak Primary", "123456", "909", "primary"}));
  ASSERT_OK_AND_ASSIGN(School school, store().GetSchool());
  EXPECT_EQ(Dump(school), Dump(School{"Oak Primary", "123456", "909", "primary"}));
  ASSERT_OK(store().SetSchool({"Oak Academy", "654321", "910", "all-through"}));
  ASSERT_OK_AND_ASSIGN(school, store().GetSchool());
  EXPECT_EQ(Dump(school), Dump(School{"Oak Academy", "654321", "910", "all-through"}));
}

TEST_P(StoreTest, SchoolKeepsItsEstablishmentNumberAndAddress) {
  const School oak{"Oak Primary",          "123456",  "909", "primary", "2001",
                   "1 Oak Lane\nHinckley", "LE10 1AA"};
  ASSERT_OK(store().SetSchool(oak));
  ASSERT_OK_AND_ASSIGN(School school, store().GetSchool());
  EXPECT_EQ(Dump(school), Dump(oak));
}

// A small school as set-up makes it: two teachers, a head and two classes.
NewSchool SmallSchool() {
  NewSchool n;
  n.school = {"Oak Primary", "123456", "909", "primary", "2001", "1 Oak Lane", "LE10 1AA"};
  n.settings.am_start_minute = 8 * 60 + 50;
  n.settings.set_by = "Set-up";
  n.terms = {{0, "Autumn 2026", D("2026-09-03"), D("2026-12-18")},
             {0, "Spring 2027", D("2027-01-05"), D("2027-03-26")}};
  n.closures = {{D("2026-10-26"), core::ClosureSessions::kBoth, "Autumn half term"}};
  n.users = {
      {.username = "head", .display_name = "Ms Head", .role = Role::kHead, .password_hash = "h"},
      {.username = "jsmith", .display_name = "Mrs Jo Smith", .role = Role::kTeacher},
      {.username = "pbrown", .display_name = "Mr Pat Brown", .role = Role::kTeacher}};
  n.classes = {{0, "3A", 3, {1}}, {0, "R", 0, {1, 2}}};
  return n;
}

TEST_P(StoreTest, CreateSchoolWritesEverythingOnce) {
  ASSERT_OK(store().CreateSchool(SmallSchool()));
  ASSERT_OK_AND_ASSIGN(School school, store().GetSchool());
  EXPECT_EQ(school.establishment_number, "2001");
  ASSERT_OK_AND_ASSIGN(Settings settings, store().GetSettings());
  EXPECT_EQ(settings.version, 1);
  EXPECT_EQ(settings.am_start_minute, 8 * 60 + 50);
  ASSERT_OK_AND_ASSIGN(std::vector<Term> terms, store().ListTerms());
  ASSERT_EQ(terms.size(), 2u);
  EXPECT_EQ(terms[1].name, "Spring 2027");
  ASSERT_OK_AND_ASSIGN(std::vector<Closure> closures, store().ListClosures());
  EXPECT_EQ(Dump(closures), Dump(SmallSchool().closures));
  ASSERT_OK_AND_ASSIGN(User jo, store().FindUserByName("jsmith"));
  EXPECT_EQ(jo.password_hash, "");  // set later, through the head's invitation
  ASSERT_OK_AND_ASSIGN(User pat, store().FindUserByName("pbrown"));
  ASSERT_OK_AND_ASSIGN(std::vector<Class> classes, store().ListClasses());
  EXPECT_EQ(Dump(classes), Dump(std::vector<Class>{{classes[0].id, "3A", 3, {jo.id}},
                                                   {classes[1].id, "R", 0, {jo.id, pat.id}}}));

  // A second set-up is refused and changes nothing.
  NewSchool again = SmallSchool();
  again.school.name = "Ash Primary";
  EXPECT_ERROR(store().CreateSchool(again), ErrorKind::kConflict, core::kErrSchoolExists);
  ASSERT_OK_AND_ASSIGN(school, store().GetSchool());
  EXPECT_EQ(school.name, "Oak Primary");
  ASSERT_OK_AND_ASSIGN(std::vector<User> users, store().ListUsers());
  EXPECT_EQ(users.size(), 3u);
}

TEST_P(StoreTest, CreateSchoolWritesNothingWhenAPartFails) {
  NewSchool n = SmallSchool();
  n.users[2].username = "jsmith";
  EXPECT_ERROR(store().CreateSchool(n), ErrorKind::kConflict, core::kErrUserDuplicate);
  n = SmallSchool();
  n.classes[1].teacher_ids = {7};
  EXPECT_ERROR(store().CreateSchool(n), ErrorKind::kNotFound, core::kErrUserUnknown);
  EXPECT_ERROR(store().GetSchool(), ErrorKind::kNotFound, core::kErrSchoolUnset);
  ASSERT_OK_AND_ASSIGN(std::vector<Term> terms, store().ListTerms());
  EXPECT_TRUE(terms.empty());
  ASSERT_OK_AND_ASSIGN(std::vector<User> users, store().ListUsers());
  EXPECT_TRUE(users.empty());
}

TEST_P(StoreTest, SettingsVersionsIncrementAndHistoryIsKept) {
  EXPECT_ERROR(store().GetSettings(), ErrorKind::kNotFound, core::kErrSchoolUnset);
  ASSERT_OK_AND_ASSIGN(std::vector<Settings> history, store().SettingsHistory());
  EXPECT_TRUE(history.empty());

  std::vector<Settings> saved;
  for (int i = 0; i < 3; ++i) {
    Settings s;
    s.version = 99;  // ignored
    s.am_start_minute = 500 + i;
    s.pm_start_minute = 800 + i;
    s.register_close_minutes = 10 * i;
    s.am_opens_before_minutes = 5 * i;
    s.pm_opens_before_minutes = 20 + i;
    s.policy_json = fmt::format(R"({{"pa_threshold": "{}"}})", 10 + i);
    s.target_attendance_pct = fmt::format("9{}.5", i);
    s.set_at = 1'700'000'000 + i;
    s.set_by = fmt::format("Head {}", i);
    s.share_destination = fmt::format("/srv/share/{}", i);
    s.share_minute = 17 * 60 + i;
    s.session_idle_minutes = 30 + i;
    s.rewards_exclude_medical = i % 2 == 1;
    ASSERT_OK_AND_ASSIGN(int64_t version, store().SaveSettings(s));
    EXPECT_EQ(version, i + 1);
    s.version = version;
    saved.push_back(s);
  }
  ASSERT_OK_AND_ASSIGN(Settings latest, store().GetSettings());
  EXPECT_EQ(Dump(latest), Dump(saved.back()));
  ASSERT_OK_AND_ASSIGN(history, store().SettingsHistory());
  EXPECT_EQ(Dump(history), Dump(saved));
}

TEST_P(StoreTest, SettingsOutsideTheSchemaLimitsAreRefusedAndNotSaved) {
  Settings s;
  s.register_close_minutes = 31;
  EXPECT_ERROR(store().SaveSettings(s), ErrorKind::kInternal, core::kErrDbError);
  s.register_close_minutes = -1;
  EXPECT_ERROR(store().SaveSettings(s), ErrorKind::kInternal, core::kErrDbError);
  s.register_close_minutes = 0;
  // Neither a register that opens after its session starts nor one that
  // opens the day before.
  s.am_opens_before_minutes = -1;
  EXPECT_ERROR(store().SaveSettings(s), ErrorKind::kInternal, core::kErrDbError);
  s.am_opens_before_minutes = 15;
  s.pm_opens_before_minutes = s.pm_start_minute + 1;
  EXPECT_ERROR(store().SaveSettings(s), ErrorKind::kInternal, core::kErrDbError);
  s.pm_opens_before_minutes = 15;
  // A login's idle limit: 5 minutes to the 8-hour cap.
  for (int idle : {4, 481, 0}) {
    s.session_idle_minutes = idle;
    SCOPED_TRACE(idle);
    EXPECT_ERROR(store().SaveSettings(s), ErrorKind::kInternal, core::kErrDbError);
  }
  s.session_idle_minutes = 60;
  ASSERT_OK_AND_ASSIGN(std::vector<Settings> history, store().SettingsHistory());
  EXPECT_TRUE(history.empty());
  ASSERT_OK_AND_ASSIGN(int64_t version, store().SaveSettings(s));
  EXPECT_EQ(version, 1);
}

// --- Calendar --------------------------------------------------------------------

TEST_P(StoreTest, TermsRoundTripInStartOrder) {
  ASSERT_OK_AND_ASSIGN(int64_t spring,
                       store().AddTerm({0, "Spring 2026", D("2026-01-05"), D("2026-03-27")}));
  ASSERT_OK_AND_ASSIGN(int64_t autumn,
                       store().AddTerm({0, "Autumn 2025", D("2025-09-03"), D("2025-12-19")}));
  EXPECT_EQ(spring, 1);
  EXPECT_EQ(autumn, 2);
  ASSERT_OK_AND_ASSIGN(std::vector<Term> terms, store().ListTerms());
  EXPECT_EQ(Dump(terms),
            Dump(std::vector<Term>{{autumn, "Autumn 2025", D("2025-09-03"), D("2025-12-19")},
                                   {spring, "Spring 2026", D("2026-01-05"), D("2026-03-27")}}));
  EXPECT_ERROR(store().AddTerm({0, "Backwards", D("2026-04-20"), D("2026-04-19")}),
               ErrorKind::kInternal, core::kErrDbError);
}

TEST_P(StoreTest, ClosuresAreListedByDateAndReplacedOnTheSameDate) {
  ASSERT_OK(store().SetClosure({D("2025-11-14"), core::ClosureSessions::kBoth, "INSET"}));
  ASSERT_OK(store().SetClosure({D("2025-10-01"), core::ClosureSessions::kAm, "Polling"}));
  ASSERT_OK(store().SetClosure({D("2025-11-14"), core::ClosureSessions::kPm, "Heating"}));
  ASSERT_OK_AND_ASSIGN(std::vector<Closure> closures, store().ListClosures());
  EXPECT_EQ(Dump(closures),
            Dump(std::vector<Closure>{{D("2025-10-01"), core::ClosureSessions::kAm, "Polling"},
                                      {D("2025-11-14"), core::ClosureSessions::kPm, "Heating"}}));
}

TEST_P(StoreTest, ReplaceCalendarReplacesEveryTermAndClosure) {
  ASSERT_OK(store().AddTerm({0, "Autumn 2025", D("2025-09-03"), D("2025-12-19")}).status());
  ASSERT_OK(store().SetClosure({D("2025-11-14"), core::ClosureSessions::kBoth, "INSET"}));
  ASSERT_OK(
      store().ReplaceCalendar({{0, "Autumn 2026", D("2026-09-03"), D("2026-12-18")}},
                              {{D("2026-11-02"), core::ClosureSessions::kAm, "Polling"},
                               {D("2026-11-02"), core::ClosureSessions::kBoth, "Polling day"}}));
  ASSERT_OK_AND_ASSIGN(std::vector<Term> terms, store().ListTerms());
  ASSERT_EQ(terms.size(), 1u);
  EXPECT_EQ(terms[0].name, "Autumn 2026");
  ASSERT_OK_AND_ASSIGN(std::vector<Closure> closures, store().ListClosures());
  EXPECT_EQ(
      Dump(closures),
      Dump(std::vector<Closure>{{D("2026-11-02"), core::ClosureSessions::kBoth, "Polling day"}}));
  // A backwards term is refused and the old calendar stays.
  EXPECT_ERROR(store().ReplaceCalendar({{0, "Backwards", D("2027-04-20"), D("2027-04-19")}}, {}),
               ErrorKind::kInternal, core::kErrDbError);
  ASSERT_OK_AND_ASSIGN(terms, store().ListTerms());
  ASSERT_EQ(terms.size(), 1u);
  EXPECT_EQ(terms[0].name, "Autumn 2026");
}

// --- Classes ---------------------------------------------------------------------

TEST_P(StoreTest, ClassesAreListedByNameWithTheirTeachers) {
  const int64_t t1 = AddTestUser("t1");
  const int64_t t2 = AddTestUser("t2");
  ASSERT_OK_AND_ASSIGN(int64_t c4, store().AddClass({0, "4B", 4, {t2, t1}}));
  ASSERT_OK_AND_ASSIGN(int64_t c3, store().AddClass({0, "3A", 3, {}}));
  ASSERT_OK_AND_ASSIGN(int64_t reception, store().AddClass({0, "R", 0, {t1}}));
  ASSERT_OK_AND_ASSIGN(std::vector<Class> classes, store().ListClasses());
  EXPECT_EQ(Dump(classes),
            Dump(std::vector<Class>{
                {c3, "3A", 3, {}}, {c4, "4B", 4, {t1, t2}}, {reception, "R", 0, {t1}}}));

  // The same relation, seen from the teacher.
  ASSERT_OK_AND_ASSIGN(User teacher, store().GetUser(t1));
  EXPECT_EQ(teacher.class_ids, (std::vector<int64_t>{c4, reception}));

  ASSERT_OK(store().SetClassTeachers(c4, {t2}));
  ASSERT_OK(store().SetClassTeachers(c3, {t1, t2}));
  ASSERT_OK_AND_ASSIGN(classes, store().ListClasses());
  EXPECT_EQ(Dump(classes),
            Dump(std::vector<Class>{
                {c3, "3A", 3, {t1, t2}}, {c4, "4B", 4, {t2}}, {reception, "R", 0, {t1}}}));
  ASSERT_OK_AND_ASSIGN(teacher, store().GetUser(t1));
  EXPECT_EQ(teacher.class_ids, (std::vector<int64_t>{c3, reception}));
}

TEST_P(StoreTest, ClassesRefuseUnknownClassesAndTeachersAndChangeNothing) {
  const int64_t t1 = AddTestUser("t1");
  ASSERT_OK_AND_ASSIGN(int64_t c, store().AddClass({0, "5C", 5, {t1}}));
  EXPECT_ERROR(store().AddClass({0, "6D", 6, {t1, 99}}), ErrorKind::kNotFound,
               core::kErrUserUnknown);
  EXPECT_ERROR(store().SetClassTeachers(99, {t1}), ErrorKind::kNotFound, core::kErrClassUnknown);
  EXPECT_ERROR(store().SetClassTeachers(c, {99}), ErrorKind::kNotFound, core::kErrUserUnknown);
  ASSERT_OK_AND_ASSIGN(std::vector<Class> classes, store().ListClasses());
  EXPECT_EQ(Dump(classes), Dump(std::vector<Class>{{c, "5C", 5, {t1}}}));
}

// --- Pupils ----------------------------------------------------------------------

Pupil FullPupil(int64_t class_id, int64_t parent_id) {
  Pupil p;
  p.upn = "A123456789012";
  p.legal_given_name = "Aisha";
  p.legal_family_name = "O'Brien";  // quotes must survive parameter binding
  p.preferred_given_name = "Ash";
  p.preferred_family_name = "Brien-Khan";
  p.date_of_birth = D("2016-02-29");
  p.sex = "F";
  p.year_group = 4;
  p.class_id = class_id;
  p.flags = {{"EAL", D("2020-09-01"), std::nullopt}, {"FSM", D("2021-01-04"), D("2022-07-20")}};
  p.enrolments = {{D("2020-09-02"), D("2023-07-21"), "b", "Elm School (URN 100200)"},
                  {D("2024-01-08"), std::nullopt, "", ""}};
  p.contacts = {{1, "Sam O'Brien", "Mother", "07700 900123", "sam@example.org", parent_id, true,
                 "Dear Ms O'Brien", "Flat 2\n14 Castle Street\nHinckley", "LE10 1DA", true, true,
                 "01455 000111", D("2026-09-07")},
                {2, "Lee Khan", "Uncle", "07700 900456", "", std::nullopt}};
  p.contacts[1].emergency = true;
  p.boarder = true;
  p.previous_school = "Elm School (URN 100200)";
  return p;
}

TEST_P(StoreTest, PupilRoundTripsEveryField) {
  const int64_t parent = AddTestUser("parent", Role::kParent);
  ASSERT_OK_AND_ASSIGN(int64_t class_id, store().AddClass({0, "4B", 4, {}}));
  Pupil full = FullPupil(class_id, parent);
  full.id = 42;  // ignored: AddPupil assigns ids
  ASSERT_OK_AND_ASSIGN(int64_t id, store().AddPupil(full));
  EXPECT_EQ(id, 1);
  full.id = id;
  ASSERT_OK_AND_ASSIGN(Pupil stored, store().GetPupil(id));
  EXPECT_EQ(Dump(stored), Dump(full));

  // Optional fields left unset, empty lists.
  Pupil minimal;
  minimal.upn = "B123456789012";
  minimal.date_of_birth = D("2019-08-31");
  ASSERT_OK_AND_ASSIGN(minimal.id, store().AddPupil(minimal));
  ASSERT_OK_AND_ASSIGN(stored, store().GetPupil(minimal.id));
  EXPECT_EQ(Dump(stored), Dump(minimal));
  EXPECT_FALSE(stored.class_id.has_value());

  ASSERT_OK_AND_ASSIGN(std::vector<Pupil> pupils, store().ListPupils());
  EXPECT_EQ(Dump(pupils), Dump(std::vector<Pupil>{full, minimal}));
}

TEST_P(StoreTest, PupilFlagsEnrolmentsAndContactsComeBackSorted) {
  Pupil p;
  p.upn = "C123456789012";
  p.flags = {{"SEN_K", D("2024-09-01"), std::nullopt},
             {"PP", D("2023-09-01"), std::nullopt},
             {"FSM", D("2023-09-01"), D("2024-08-31")}};
  p.enrolments = {{D("2024-01-08"), std::nullopt, "", ""},
                  {D("2021-09-01"), D("2023-07-21"), "c", "Moved abroad"}};
  p.contacts = {{3, "C", "", "", "", std::nullopt},
                {1, "A", "", "", "", std::nullopt},
                {2, "B1", "", "", "", std::nullopt},
                {2, "B2", "", "", "", std::nullopt}};
  ASSERT_OK_AND_ASSIGN(int64_t id, store().AddPupil(p));
  ASSERT_OK_AND_ASSIGN(Pupil stored, store().GetPupil(id));
  EXPECT_EQ(Dump(stored.flags), Dump(std::vector<CohortFlag>{p.flags[2], p.flags[1], p.flags[0]}));
  EXPECT_EQ(Dump(stored.enrolments),
            Dump(std::vector<Enrolment>{p.enrolments[1], p.enrolments[0]}));
  EXPECT_EQ(Dump(stored.contacts),
            Dump(std::vector<Contact>{p.contacts[1], p.contacts[2], p.contacts[3], p.contacts[0]}));
}

TEST_P(StoreTest, ListPupilsIsByIdWithEachPupilsOwnDetails) {
  for (const char* upn : {"Z000000000001", "A000000000002", "M000000000003"}) {
    Pupil p;
    p.upn = upn;
    p.flags = {{fmt::format("flag-{}", upn), D("2024-09-01"), std::nullopt}};
    p.contacts = {{1, fmt::format("contact-{}", upn), "", "", "", std::nullopt}};
    ASSERT_OK(store().AddPupil(p));
  }
  ASSERT_OK_AND_ASSIGN(std::vector<Pupil> pupils, store().ListPupils());
  ASSERT_EQ(pupils.size(), 3u);
  for (size_t i = 0; i < pupils.size(); ++i) {
    EXPECT_EQ(pupils[i].id, static_cast<int64_t>(i) + 1);
    ASSERT_EQ(pupils[i].flags.size(), 1u);
    EXPECT_EQ(pupils[i].flags[0].flag, "flag-" + pupils[i].upn);
    ASSERT_EQ(pupils[i].contacts.size(), 1u);
    EXPECT_EQ(pupils[i].contacts[0].name, "contact-" + pupils[i].upn);
  }
}

TEST_P(StoreTest, UpdatePupilReplacesEverything) {
  const int64_t parent = AddTestUser("parent", Role::kParent);
  ASSERT_OK_AND_ASSIGN(int64_t class_id, store().AddClass({0, "4B", 4, {}}));
  ASSERT_OK_AND_ASSIGN(int64_t id, store().AddPupil(FullPupil(class_id, parent)));
  Pupil changed;
  changed.id = id;
  changed.upn = "A123456789099";
  changed.legal_given_name = "Aisha";
  changed.legal_family_name = "Khan";
  changed.date_of_birth = D("2016-03-01");
  changed.sex = "F";
  changed.year_group = 5;
  changed.flags = {{"CLA", D("2025-01-01"), std::nullopt}};
  ASSERT_OK(store().UpdatePupil(changed));
  ASSERT_OK_AND_ASSIGN(Pupil stored, store().GetPupil(id));
  EXPECT_EQ(Dump(stored), Dump(changed));
}

TEST_P(StoreTest, DuplicateUpnIsAConflict) {
  const int64_t first = AddTestPupil("A000000000001");
  const int64_t second = AddTestPupil("A000000000002");
  Pupil dup;
  dup.upn = "A000000000001";
  EXPECT_ERROR(store().AddPupil(dup), ErrorKind::kConflict, core::kErrPupilDuplicate);
  ASSERT_OK_AND_ASSIGN(Pupil p, store().GetPupil(second));
  p.upn = "A000000000001";
  EXPECT_ERROR(store().UpdatePupil(p), ErrorKind::kConflict, core::kErrPupilDuplicate);
  // Keeping one's own UPN is no conflict.
  ASSERT_OK_AND_ASSIGN(p, store().GetPupil(first));
  p.year_group = 6;
  ASSERT_OK(store().UpdatePupil(p));
  ASSERT_OK_AND_ASSIGN(std::vector<Pupil> pupils, store().ListPupils());
  ASSERT_EQ(pupils.size(), 2u);
  EXPECT_EQ(pupils[1].upn, "A000000000002");
}

TEST_P(StoreTest, PupilsWithUnknownIdsAreNotFoundAndNothingIsWritten) {
  EXPECT_ERROR(store().GetPupil(1), ErrorKind::kNotFound, core::kErrPupilUnknown);
  Pupil p;
  p.id = 5;
  p.upn = "A000000000001";
  EXPECT_ERROR(store().UpdatePupil(p), ErrorKind::kNotFound, core::kErrPupilUnknown);
  p.class_id = 3;
  EXPECT_ERROR(store().AddPupil(p), ErrorKind::kNotFound, core::kErrClassUnknown);
  p.class_id.reset();
  p.contacts = {{1, "Parent", "Father", "", "", 12}};
  EXPECT_ERROR(store().AddPupil(p), ErrorKind::kNotFound, core::kErrUserUnknown);
  ASSERT_OK_AND_ASSIGN(std::vector<Pupil> pupils, store().ListPupils());
  EXPECT_TRUE(pupils.empty());
}

// --- Users -----------------------------------------------------------------------

TEST_P(StoreTest, UsersRoundTripEveryField) {
  ASSERT_OK_AND_ASSIGN(int64_t c1, store().AddClass({0, "1A", 1, {}}));
  ASSERT_OK_AND_ASSIGN(int64_t c2, store().AddClass({0, "2A", 2, {}}));
  const int64_t p1 = AddTestPupil("A000000000001");
  const int64_t p2 = AddTestPupil("A000000000002");

  User teacher{0, "jsmith", "Mr J Smith", Role::kTeacher, "hash-1", "", true, {c2, c1}, {}};
  User parent{0,       "parent@example.org", "Sam O'Brien", Role::kParent, "hash-2", "", true, {},
              {p2, p1}};
  User la{0, "la.officer", "LA Officer", Role::kLaOfficer, "hash-3", "909", false, {}, {}};
  for (User* u : {&teacher, &parent, &la}) {
    ASSERT_OK_AND_ASSIGN(u->id, store().AddUser(*u));
  }
  teacher.class_ids = {c1, c2};  // read back in id order
  parent.pupil_ids = {p1, p2};
  EXPECT_EQ(teacher.id, 1);

  ASSERT_OK_AND_ASSIGN(User got, store().GetUser(parent.id));
  EXPECT_EQ(Dump(got), Dump(parent));
  ASSERT_OK_AND_ASSIGN(got, store().FindUserByName("jsmith"));
  EXPECT_EQ(Dump(got), Dump(teacher));
  ASSERT_OK_AND_ASSIGN(got, store().FindUserByName("la.officer"));
  EXPECT_EQ(Dump(got), Dump(la));
  ASSERT_OK_AND_ASSIGN(std::vector<User> users, store().ListUsers());
  EXPECT_EQ(Dump(users), Dump(std::vector<User>{teacher, parent, la}));
}

TEST_P(StoreTest, UpdateUserReplacesFieldsAndLinks) {
  ASSERT_OK_AND_ASSIGN(int64_t c1, store().AddClass({0, "1A", 1, {}}));
  ASSERT_OK_AND_ASSIGN(int64_t c2, store().AddClass({0, "2A", 2, {}}));
  const int64_t p1 = AddTestPupil("A000000000001");
  User u{0, "kim", "Kim", Role::kTeacher, "old-hash", "", true, {c1}, {p1}};
  ASSERT_OK_AND_ASSIGN(u.id, store().AddUser(u));
  u.username = "kim.lee";
  u.display_name = "Kim Lee";
  u.role = Role::kHead;
  u.password_hash = "new-hash";
  u.active = false;
  u.class_ids = {c2};
  u.pupil_ids = {};
  ASSERT_OK(store().UpdateUser(u));
  ASSERT_OK_AND_ASSIGN(User got, store().GetUser(u.id));
  EXPECT_EQ(Dump(got), Dump(u));
  EXPECT_ERROR(store().FindUserByName("kim"), ErrorKind::kNotFound, core::kErrUserUnknown);
  ASSERT_OK_AND_ASSIGN(std::vector<Class> classes, store().ListClasses());
  EXPECT_EQ(Dump(classes), Dump(std::vector<Class>{{c1, "1A", 1, {}}, {c2, "2A", 2, {u.id}}}));
}

TEST_P(StoreTest, DuplicateUsernameIsAConflict) {
  const int64_t first = AddTestUser("alex");
  const int64_t second = AddTestUser("sam");
  User dup{0, "alex", "Another Alex", Role::kOffice, "h", "", true, {}, {}};
  EXPECT_ERROR(store().AddUser(dup), ErrorKind::kConflict, core::kErrUserDuplicate);
  ASSERT_OK_AND_ASSIGN(User u, store().GetUser(second));
  u.username = "alex";
  EXPECT_ERROR(store().UpdateUser(u), ErrorKind::kConflict, core::kErrUserDuplicate);
  ASSERT_OK_AND_ASSIGN(u, store().GetUser(first));
  u.display_name = "Alex Renamed";
  ASSERT_OK(store().UpdateUser(u));
  ASSERT_OK_AND_ASSIGN(std::vector<User> users, store().ListUsers());
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[1].username, "sam");
}

TEST_P(StoreTest, UsersWithUnknownIdsAreNotFoundAndNothingIsWritten) {
  EXPECT_ERROR(store().GetUser(1), ErrorKind::kNotFound, core::kErrUserUnknown);
  EXPECT_ERROR(store().FindUserByName("nobody"), ErrorKind::kNotFound, core::kErrUserUnknown);
  User u{3, "nobody", "No One", Role::kTeacher, "h", "", true, {}, {}};
  EXPECT_ERROR(store().UpdateUser(u), ErrorKind::kNotFound, core::kErrUserUnknown);
  u.class_ids = {4};
  EXPECT_ERROR(store().AddUser(u), ErrorKind::kNotFound, core::kErrClassUnknown);
  u.class_ids = {};
  u.pupil_ids = {5};
  EXPECT_ERROR(store().AddUser(u), ErrorKind::kNotFound, core::kErrPupilUnknown);
  u.pupil_ids = {};
  u.role = static_cast<Role>(10);  // outside the CHECK of users.role
  EXPECT_ERROR(store().AddUser(u), ErrorKind::kInternal, core::kErrDbError);
  ASSERT_OK_AND_ASSIGN(std::vector<User> users, store().ListUsers());
  EXPECT_TRUE(users.empty());
}

// --- Links to set a password --------------------------------------------------

TEST_P(StoreTest, AnInvitedAccountIsAddedWithItsLinkAndANewLinkEndsTheOld) {
  User dsl{0, "dsl", "Ms Safe", Role::kSafeguardingLead, "", "", true, {}, {}};
  Invite first{0, 0, "hash-1", 100, 700, "Mrs Head", std::nullopt, std::nullopt};
  ASSERT_OK_AND_ASSIGN(dsl.id, store().AddInvite(first, dsl));
  ASSERT_OK_AND_ASSIGN(User got, store().GetUser(dsl.id));
  EXPECT_EQ(Dump(got), Dump(dsl));
  ASSERT_OK_AND_ASSIGN(Invite stored, store().FindInvite("hash-1"));
  first.id = stored.id;
  first.user_id = dsl.id;
  EXPECT_EQ(Dump(stored), Dump(first));

  // A second link for the account ends the first when it is made.
  ASSERT_OK_AND_ASSIGN(int64_t again, store().AddInvite({0, dsl.id, "hash-2", 200, 800, "Mrs Head",
                                                         std::nullopt, std::nullopt},
                                                        std::nullopt));
  EXPECT_EQ(again, dsl.id);
  ASSERT_OK_AND_ASSIGN(stored, store().FindInvite("hash-1"));
  EXPECT_EQ(stored.ended_at, std::optional<int64_t>(200));
  EXPECT_ERROR(store().UseInvite("hash-1", "argon-1", 300), ErrorKind::kConflict,
               core::kErrInviteEnded);

  // The newest link works once, and ends the account's logins.
  ASSERT_OK(store().CreateAuthSession({"session", dsl.id, "csrf", 250, 9000}));
  EXPECT_ERROR(store().UseInvite("hash-2", "argon-2", 800), ErrorKind::kConflict,
               core::kErrInviteEnded);  // expired at 800
  ASSERT_OK(store().UseInvite("hash-2", "argon-2", 300));
  ASSERT_OK_AND_ASSIGN(got, store().GetUser(dsl.id));
  EXPECT_EQ(got.password_hash, "argon-2");
  ASSERT_OK_AND_ASSIGN(stored, store().FindInvite("hash-2"));
  EXPECT_EQ(stored.used_at, std::optional<int64_t>(300));
  EXPECT_ERROR(store().FindAuthSession("session"), ErrorKind::kNotFound, core::kErrSessionUnknown);
  EXPECT_ERROR(store().UseInvite("hash-2", "argon-3", 301), ErrorKind::kConflict,
               core::kErrInviteEnded);
  EXPECT_ERROR(store().UseInvite("no-such-hash", "argon-3", 301), ErrorKind::kNotFound,
               core::kErrInviteUnknown);
  EXPECT_ERROR(store().FindInvite("no-such-hash"), ErrorKind::kNotFound, core::kErrInviteUnknown);
}

TEST_P(StoreTest, AnInvitationThatCannotBeAddedWritesNothing) {
  EXPECT_ERROR(
      store().AddInvite({0, 42, "hash-1", 100, 700, "Mrs Head", std::nullopt, std::nullopt},
                        std::nullopt),
      ErrorKind::kNotFound, core::kErrUserUnknown);
  User senco{0, "senco", "Mrs Plan", Role::kSenco, "", "", true, {}, {}};
  ASSERT_OK(store().AddUser(senco).status());
  EXPECT_ERROR(
      store().AddInvite({0, 0, "hash-2", 100, 700, "Mrs Head", std::nullopt, std::nullopt}, senco),
      ErrorKind::kConflict, core::kErrUserDuplicate);
  EXPECT_ERROR(store().FindInvite("hash-1"), ErrorKind::kNotFound, core::kErrInviteUnknown);
  EXPECT_ERROR(store().FindInvite("hash-2"), ErrorKind::kNotFound, core::kErrInviteUnknown);
  ASSERT_OK_AND_ASSIGN(std::vector<User> users, store().ListUsers());
  EXPECT_EQ(users.size(), 1u);
}

TEST_P(StoreTest, DisablingAnAccountEndsItsLoginsAndLinks) {
  User att{0, "att", "Mr Att", Role::kAttendanceOfficer, "argon", "", true, {}, {}};
  ASSERT_OK_AND_ASSIGN(att.id, store().AddUser(att));
  ASSERT_OK(store().CreateAuthSession({"session", att.id, "csrf", 100, 9000}));
  ASSERT_OK(store()
                .AddInvite({0, att.id, "hash-1", 100, 700, "Mrs Head", std::nullopt, std::nullopt},
                           std::nullopt)
                .status());
  ASSERT_OK(store().SetUserActive(att.id, false, 150));
  ASSERT_OK_AND_ASSIGN(User got, store().GetUser(att.id));
  EXPECT_FALSE(got.active);
  EXPECT_ERROR(store().FindAuthSession("session"), ErrorKind::kNotFound, core::kErrSessionUnknown);
  ASSERT_OK_AND_ASSIGN(Invite link, store().FindInvite("hash-1"));
  EXPECT_EQ(link.ended_at, std::optional<int64_t>(150));
  EXPECT_ERROR(store().UseInvite("hash-1", "argon-2", 200), ErrorKind::kConflict,
               core::kErrInviteEnded);
  // Enabled again, with the password it had.
  ASSERT_OK(store().SetUserActive(att.id, true, 200));
  ASSERT_OK_AND_ASSIGN(got, store().GetUser(att.id));
  EXPECT_TRUE(got.active);
  EXPECT_EQ(got.password_hash, "argon");
  EXPECT_ERROR(store().SetUserActive(att.id + 1, false, 200), ErrorKind::kNotFound,
               core::kErrUserUnknown);
}

}  // namespace

// --- The admission register ------------------------------------------------------

TEST_P(StoreTest, SavePupilsAdmitsAndRecordsTheAdmission) {
  const Actor office{0, "Ms Office", Role::kOffice};
  Pupil p = FullPupil(0, AddTestUser("parent", Role::kParent));
  p.class_id = std::nullopt;
  ASSERT_OK_AND_ASSIGN(std::vector<int64_t> ids,
                       store().SavePupils({}, {p}, office, 1'800'000'000, "new pupil"));
  ASSERT_EQ(ids.size(), 1u);
  p.id = ids[0];
  ASSERT_OK_AND_ASSIGN(Pupil stored, store().GetPupil(ids[0]));
  EXPECT_EQ(Dump(stored), Dump(p));
  ASSERT_OK_AND_ASSIGN(std::vector<AdmissionChange> changes, store().AdmissionChangesFor(ids[0]));
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].field, "admitted");
  EXPECT_EQ(changes[0].old_value, "");
  EXPECT_EQ(changes[0].new_value, "A123456789012 Aisha O'Brien");
  EXPECT_EQ(changes[0].actor_name, "Ms Office");
  EXPECT_EQ(changes[0].actor_role, Role::kOffice);
  EXPECT_EQ(changes[0].at, 1'800'000'000);
  EXPECT_EQ(changes[0].reason, "new pupil");
  // Nothing is owed for a pupil admitted with an enrolment already ended.
  ASSERT_OK_AND_ASSIGN(std::vector<TransferOwed> owed, store().TransfersOwed());
  EXPECT_TRUE(owed.empty());
}

TEST_P(StoreTest, SavePupilsKeepsEachChangedFieldAndNothingForAnUnchangedSave) {
  const Actor head{0, "Mrs Head", Role::kHead};
  Pupil p = FullPupil(0, AddTestUser("parent", Role::kParent));
  p.class_id = std::nullopt;
  ASSERT_OK_AND_ASSIGN(std::vector<int64_t> ids, store().SavePupils({}, {p}, head, 100, "admit"));
  p.id = ids[0];

  ASSERT_OK(store().SavePupils({}, {p}, head, 200, "no change").status());
  ASSERT_OK_AND_ASSIGN(std::vector<AdmissionChange> changes, store().AdmissionChangesFor(p.id));
  EXPECT_EQ(changes.size(), 1u);  // the admission only

  p.legal_family_name = "Brien";
  p.contacts[0].phone = "07700 900999";
  ASSERT_OK(store().SavePupils({}, {p}, head, 300, "Deed poll seen").status());
  ASSERT_OK_AND_ASSIGN(changes, store().AdmissionChangesFor(p.id));
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[1].field, "legal_family_name");
  EXPECT_EQ(changes[1].old_value, "O'Brien");
  EXPECT_EQ(changes[1].new_value, "Brien");
  EXPECT_EQ(changes[1].reason, "Deed poll seen");
  EXPECT_EQ(changes[1].at, 300);
  EXPECT_EQ(changes[1].actor_name, "Mrs Head");
  EXPECT_EQ(changes[2].field, "contact 1 phone");
  EXPECT_EQ(changes[2].old_value, "07700 900123");
  EXPECT_EQ(changes[2].new_value, "07700 900999");
  ASSERT_OK_AND_ASSIGN(Pupil stored, store().GetPupil(p.id));
  EXPECT_EQ(Dump(stored), Dump(p));
}

TEST_P(StoreTest, SavePupilsRecordsATransferOwedWhenAnEnrolmentEnds) {
  const Actor office{0, "Ms Office", Role::kOffice};
  Pupil p;
  p.upn = "A123456789012";
  p.date_of_birth = D("2018-05-01");
  p.enrolments = {{D("2026-09-02"), std::nullopt, "", ""}};
  ASSERT_OK_AND_ASSIGN(std::vector<int64_t> ids, store().SavePupils({}, {p}, office, 100, "admit"));
  p.id = ids[0];
  p.enrolments[0].end = D("2026-11-20");
  p.enrolments[0].deletion_ground = "a";
  p.enrolments[0].destination = "Elm School";
  ASSERT_OK(store().SavePupils({}, {p}, office, 200, "Left for Elm School").status());
  ASSERT_OK_AND_ASSIGN(std::vector<TransferOwed> owed, store().TransfersOwed());
  ASSERT_EQ(owed.size(), 1u);
  EXPECT_EQ(owed[0].pupil_id, p.id);
  EXPECT_EQ(owed[0].last_day, D("2026-11-20"));
  EXPECT_EQ(owed[0].destination, "Elm School");
  EXPECT_EQ(owed[0].recorded_at, 200);
  EXPECT_FALSE(owed[0].produced_at.has_value());
  ASSERT_OK_AND_ASSIGN(std::vector<AdmissionChange> changes, store().AdmissionChangesFor(p.id));
  ASSERT_EQ(changes.size(), 4u);  // admitted; end, ground and destination
  EXPECT_EQ(changes[1].field, "enrolment 1 end");
  EXPECT_EQ(changes[1].new_value, "2026-11-20");
  // Saving the leaver again owes nothing more.
  ASSERT_OK(store().SavePupils({}, {p}, office, 300, "again").status());
  ASSERT_OK_AND_ASSIGN(owed, store().TransfersOwed());
  EXPECT_EQ(owed.size(), 1u);
}

TEST_P(StoreTest, ATransferIsStampedProducedOnceAndAnUnknownOneWritesNothing) {
  const Actor office{0, "Ms Office", Role::kOffice};
  Pupil p;
  p.upn = "A123456789012";
  p.date_of_birth = D("2018-05-01");
  p.enrolments = {{D("2026-09-02"), std::nullopt, "", ""}};
  ASSERT_OK_AND_ASSIGN(std::vector<int64_t> ids, store().SavePupils({}, {p}, office, 100, "admit"));
  p.id = ids[0];
  p.enrolments[0].end = D("2026-11-20");
  p.enrolments[0].deletion_ground = "a";
  ASSERT_OK(store().SavePupils({}, {p}, office, 200, "left").status());
  ASSERT_OK_AND_ASSIGN(std::vector<TransferOwed> owed, store().TransfersOwed());
  ASSERT_EQ(owed.size(), 1u);
  const int64_t id = owed[0].id;
  // One unknown id: nothing is stamped.
  EXPECT_ERROR(store().MarkTransfersProduced({id, id + 1}, 300), ErrorKind::kNotFound,
               core::kErrTransferUnknown);
  ASSERT_OK_AND_ASSIGN(owed, store().TransfersOwed());
  EXPECT_FALSE(owed[0].produced_at.has_value());
  ASSERT_OK(store().MarkTransfersProduced({id}, 400));
  ASSERT_OK(store().MarkTransfersProduced({id}, 500));  // keeps the first time
  ASSERT_OK_AND_ASSIGN(owed, store().TransfersOwed());
  EXPECT_EQ(owed[0].produced_at.value_or(0), 400);
}

TEST_P(StoreTest, SavePupilsWritesNothingWhenAUpnIsRepeatedInTheBatch) {
  const Actor office{0, "Ms Office", Role::kOffice};
  Pupil a;
  a.upn = "A123456789012";
  a.date_of_birth = D("2018-05-01");
  a.class_id = -1;
  Pupil b = a;
  b.legal_given_name = "Other";
  EXPECT_ERROR(store().SavePupils({{0, "1A", 1, {}}}, {a, b}, office, 100, "import"),
               ErrorKind::kConflict, core::kErrPupilDuplicate);
  ASSERT_OK_AND_ASSIGN(std::vector<Pupil> pupils, store().ListPupils());
  EXPECT_TRUE(pupils.empty());
  ASSERT_OK_AND_ASSIGN(std::vector<Class> classes, store().ListClasses());
  EXPECT_TRUE(classes.empty());
}

TEST_P(StoreTest, SavePupilsPlacesPupilsInTheNewClasses) {
  const Actor office{0, "Ms Office", Role::kOffice};
  ASSERT_OK_AND_ASSIGN(int64_t old_class, store().AddClass({0, "R", 0, {}}));
  Pupil a;
  a.upn = "A123456789012";
  a.date_of_birth = D("2018-05-01");
  a.class_id = -2;
  Pupil b = a;
  b.upn = "B123456789012";
  b.class_id = -1;
  Pupil c = a;
  c.upn = "C123456789012";
  c.class_id = old_class;
  ASSERT_OK_AND_ASSIGN(
      std::vector<int64_t> ids,
      store().SavePupils({{0, "3A", 3, {}}, {0, "4B", 4, {}}}, {a, b, c}, office, 100, "import"));
  ASSERT_EQ(ids.size(), 3u);
  ASSERT_OK_AND_ASSIGN(std::vector<Class> classes, store().ListClasses());
  ASSERT_EQ(classes.size(), 3u);  // by name: 3A, 4B, R
  ASSERT_OK_AND_ASSIGN(Pupil stored, store().GetPupil(ids[0]));
  EXPECT_EQ(stored.class_id, classes[1].id);
  ASSERT_OK_AND_ASSIGN(stored, store().GetPupil(ids[1]));
  EXPECT_EQ(stored.class_id, classes[0].id);
  ASSERT_OK_AND_ASSIGN(stored, store().GetPupil(ids[2]));
  EXPECT_EQ(stored.class_id, old_class);
  // A placeholder beyond the new classes is refused, and nothing is written.
  Pupil d = a;
  d.upn = "D123456789012";
  d.class_id = -3;
  EXPECT_ERROR(store().SavePupils({{0, "5C", 5, {}}}, {d}, office, 200, "import"),
               ErrorKind::kNotFound, core::kErrClassUnknown);
  ASSERT_OK_AND_ASSIGN(classes, store().ListClasses());
  EXPECT_EQ(classes.size(), 3u);
}

TEST_P(StoreTest, SavePupilsRefusesAnUnknownPupilAndWritesNothing) {
  const Actor office{0, "Ms Office", Role::kOffice};
  Pupil a;
  a.upn = "A123456789012";
  a.date_of_birth = D("2018-05-01");
  Pupil ghost = a;
  ghost.id = 99;
  ghost.upn = "B123456789012";
  EXPECT_ERROR(store().SavePupils({}, {a, ghost}, office, 100, "x"), ErrorKind::kNotFound,
               core::kErrPupilUnknown);
  ASSERT_OK_AND_ASSIGN(std::vector<Pupil> pupils, store().ListPupils());
  EXPECT_TRUE(pupils.empty());
}

// --- Attendance at previous schools (Common Transfer Files) -------------------

PreviousAttendance Previous(int64_t pupil_id, int year, std::string estab, int64_t attended) {
  PreviousAttendance a;
  a.pupil_id = pupil_id;
  a.academic_year = year;
  a.lea = "855";
  a.estab = std::move(estab);
  a.school_name = "Elm School";
  a.possible = 300;
  a.attended = attended;
  a.authorised = 300 - attended;
  return a;
}

TEST_P(StoreTest, ImportTransferAdmitsPupilsWithTheirPreviousAttendance) {
  const Actor office{0, "Ms Office", Role::kOffice};
  Pupil p = FullPupil(0, AddTestUser("parent", Role::kParent));
  p.class_id = std::nullopt;
  PreviousAttendance with_marks = Previous(-1, 2025, "2001", 290);
  with_marks.marks_start = D("2025-09-01");
  with_marks.marks = "/\\##8L";
  ASSERT_OK_AND_ASSIGN(
      std::vector<int64_t> ids,
      store().ImportTransfer({}, {p}, {with_marks, Previous(-1, 2024, "2001", 280)}, office, 100,
                             "Imported from ctf.xml"));
  ASSERT_EQ(ids.size(), 1u);
  ASSERT_OK_AND_ASSIGN(std::vector<PreviousAttendance> got, store().PreviousAttendanceFor(ids[0]));
  ASSERT_EQ(got.size(), 2u);
  // By academic year, with every field kept.
  EXPECT_EQ(got[0].academic_year, 2024);
  EXPECT_EQ(got[0].attended, 280);
  EXPECT_EQ(got[0].marks_start, std::nullopt);
  EXPECT_EQ(got[1].pupil_id, ids[0]);
  EXPECT_EQ(got[1].academic_year, 2025);
  EXPECT_EQ(got[1].lea, "855");
  EXPECT_EQ(got[1].estab, "2001");
  EXPECT_EQ(got[1].school_name, "Elm School");
  EXPECT_EQ(got[1].possible, 300);
  EXPECT_EQ(got[1].attended, 290);
  EXPECT_EQ(got[1].authorised, 10);
  EXPECT_EQ(got[1].unauthorised, 0);
  EXPECT_EQ(got[1].marks_start, D("2025-09-01"));
  EXPECT_EQ(got[1].marks, "/\\##8L");
  ASSERT_OK_AND_ASSIGN(std::vector<AdmissionChange> changes, store().AdmissionChangesFor(ids[0]));
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].reason, "Imported from ctf.xml");
}

TEST_P(StoreTest, ImportTransferReplacesTheSameYearAndSchoolAndKeepsOthers) {
  const Actor office{0, "Ms Office", Role::kOffice};
  Pupil p = FullPupil(0, AddTestUser("parent", Role::kParent));
  p.class_id = std::nullopt;
  ASSERT_OK_AND_ASSIGN(
      std::vector<int64_t> ids,
      store().ImportTransfer({}, {p}, {Previous(-1, 2025, "2001", 290)}, office, 100, "first"));
  // A second file: the same year and school again, and another school.
  ASSERT_OK(store()
                .ImportTransfer(
                    {}, {},
                    {Previous(ids[0], 2025, "2001", 250), Previous(ids[0], 2025, "3002", 100)},
                    office, 200, "second")
                .status());
  ASSERT_OK_AND_ASSIGN(std::vector<PreviousAttendance> got, store().PreviousAttendanceFor(ids[0]));
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].estab, "2001");
  EXPECT_EQ(got[0].attended, 250);
  EXPECT_EQ(got[1].estab, "3002");
}

TEST_P(StoreTest, ImportTransferWritesNothingWhenAPartFails) {
  const Actor office{0, "Ms Office", Role::kOffice};
  Pupil p = FullPupil(0, AddTestUser("parent", Role::kParent));
  p.class_id = std::nullopt;
  // The previous attendance names a second pupil that is not written.
  EXPECT_ERROR(store().ImportTransfer({}, {p}, {Previous(-2, 2025, "2001", 290)}, office, 100, "x"),
               ErrorKind::kNotFound, core::kErrPupilUnknown);
  ASSERT_OK_AND_ASSIGN(std::vector<Pupil> pupils, store().ListPupils());
  EXPECT_TRUE(pupils.empty());
  // A row the schema refuses (a negative count) undoes the admission too.
  PreviousAttendance bad = Previous(-1, 2025, "2001", 290);
  bad.possible = -1;
  EXPECT_FALSE(store().ImportTransfer({}, {p}, {bad}, office, 100, "x").ok());
  ASSERT_OK_AND_ASSIGN(pupils, store().ListPupils());
  EXPECT_TRUE(pupils.empty());
  EXPECT_ERROR(store().PreviousAttendanceFor(42), ErrorKind::kNotFound, core::kErrPupilUnknown);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest,
                         ::testing::Values(testing::Backend::kMemory, testing::Backend::kSqlite,
                                           testing::Backend::kPostgres),
                         [](const ::testing::TestParamInfo<testing::Backend>& param_info) {
                           return std::string(testing::BackendName(param_info.param));
                         });

}  // namespace rollcall::store
