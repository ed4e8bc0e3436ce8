#include "demo/demo_school.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/codes.h"
#include "core/register.h"
#include "core/scenario.h"
#include "core/upn.h"
#include "service/contacts.h"
#include "service/password.h"
#include "store/store.h"

namespace rollcall::cli {
namespace {

using core::AttendanceCode;
using core::Date;

const Date kToday = *Date::FromYmd(2026, 11, 25);  // a Wednesday in the autumn term
constexpr int kTwoPm = 14 * 60;

int64_t UnixAt(Date date, int minute) { return int64_t{date.days()} * 86400 + minute * 60; }

template <typename T>
T ValueOrFail(core::StatusOr<T> result) {
  EXPECT_TRUE(result.ok()) << result.status().code() << ": " << result.status().message();
  if (!result.ok()) std::abort();
  return std::move(result).value();
}

core::Calendar CalendarOf(store::Store& store) {
  std::vector<core::Term> terms;
  for (const store::Term& term : ValueOrFail(store.ListTerms())) {
    terms.push_back({term.start, term.end});
  }
  std::vector<core::Closure> closures;
  for (const store::Closure& closure : ValueOrFail(store.ListClosures())) {
    closures.push_back({closure.date, closure.sessions, closure.reason});
  }
  return core::Calendar(std::move(terms), std::move(closures));
}

core::PupilRecord RecordOf(const store::Pupil& pupil) {
  core::PupilRecord record;
  record.id = pupil.upn;
  for (const store::Enrolment& e : pupil.enrolments) record.on_roll.push_back({e.start, e.end});
  return record;
}

// One seeding shared by the tests that only read: seeding a debug build
// takes a few seconds.
class DemoSchoolTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    store_ = store::NewMemoryStore().release();
    const auto started = std::chrono::steady_clock::now();
    const core::Status seeded =
        SeedDemoSchool(*store_, kToday, kTwoPm, UnixAt(kToday, kTwoPm), {.fast_hashing = true});
    const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
    ASSERT_TRUE(seeded.ok()) << seeded.code() << ": " << seeded.message();
    fmt::print("seeded the demo school in {:.2f} s\n", elapsed.count());
  }
  static void TearDownTestSuite() {
    delete store_;
    store_ = nullptr;
  }
  static store::Store& store() { return *store_; }

 private:
  static store::Store* store_;
};
store::Store* DemoSchoolTest::store_ = nullptr;

TEST_F(DemoSchoolTest, SchoolAndSettings) {
  const store::School school = ValueOrFail(store().GetSchool());
  EXPECT_EQ(school.name, "Riverside Primary School");
  EXPECT_EQ(school.urn.size(), 6u);
  EXPECT_EQ(school.la_code, "909");
  EXPECT_EQ(school.phase, "primary");
  const store::Settings settings = ValueOrFail(store().GetSettings());
  EXPECT_EQ(settings.version, 1);
  EXPECT_EQ(settings.am_start_minute, 8 * 60 + 45);
  EXPECT_EQ(settings.pm_start_minute, 13 * 60 + 15);
  EXPECT_EQ(settings.register_close_minutes, 30);
  EXPECT_EQ(settings.target_attendance_pct, "96");
  EXPECT_EQ(settings.set_by, "Demo setup");
}

TEST_F(DemoSchoolTest, CalendarHasNamedHalfTermsAndClosuresWithReasons) {
  const std::vector<store::Term> terms = ValueOrFail(store().ListTerms());
  ASSERT_EQ(terms.size(), 6u);
  EXPECT_EQ(terms.front().name, "Autumn 1 2026");
  EXPECT_EQ(terms.back().name, "Summer 2 2027");
  EXPECT_LE(terms[1].start, kToday);
  EXPECT_GE(terms[1].end, kToday);
  const std::vector<store::Closure> closures = ValueOrFail(store().ListClosures());
  int inset = 0;
  int bank_holidays = 0;
  for (const store::Closure& closure : closures) {
    EXPECT_FALSE(closure.reason.empty());
    if (closure.reason.starts_with("INSET")) ++inset;
    if (closure.reason.starts_with("Bank holiday")) ++bank_holidays;
  }
  EXPECT_EQ(inset, 5);
  EXPECT_GE(bank_holidays, 1);  // the early May bank holiday at least
}

TEST_F(DemoSchoolTest, AboutFourHundredAndTwentyPupilsInReceptionToYearSix) {
  const std::vector<store::Pupil> pupils = ValueOrFail(store().ListPupils());
  EXPECT_EQ(pupils.size(), 420u);
  std::map<int, int> per_year;
  for (const store::Pupil& pupil : pupils) ++per_year[pupil.year_group];
  ASSERT_EQ(per_year.size(), 7u);
  EXPECT_EQ(per_year.begin()->first, 0);
  EXPECT_EQ(per_year.rbegin()->first, 6);
  for (const auto& [year, count] : per_year) EXPECT_EQ(count, 60) << "year " << year;
}

TEST_F(DemoSchoolTest, FourteenClassesEachWithItsTeacher) {
  const std::vector<store::Class> classes = ValueOrFail(store().ListClasses());
  ASSERT_EQ(classes.size(), 14u);
  std::set<std::string> names;
  for (const store::Class& c : classes) {
    names.insert(c.name);
    EXPECT_EQ(c.name.substr(0, 1), c.year_group == 0 ? "R" : std::to_string(c.year_group));
    ASSERT_EQ(c.teacher_ids.size(), 1u) << c.name;
    const store::User teacher = ValueOrFail(store().GetUser(c.teacher_ids[0]));
    EXPECT_EQ(teacher.role, store::Role::kTeacher);
    EXPECT_EQ(teacher.class_ids, std::vector<int64_t>{c.id}) << c.name;
  }
  EXPECT_EQ(names, (std::set<std::string>{"RA", "RB", "1A", "1B", "2A", "2B", "3A", "3B", "4A",
                                          "4B", "5A", "5B", "6A", "6B"}));
  // Classes of about 30 (the infant class size limit in Reception to Year 2).
  std::map<int64_t, int> on_roll;
  for (const store::Pupil& pupil : ValueOrFail(store().ListPupils())) {
    ASSERT_TRUE(pupil.class_id.has_value());
    if (!pupil.enrolments.back().end) ++on_roll[*pupil.class_id];
  }
  for (const store::Class& c : classes) {
    EXPECT_GE(on_roll[c.id], 24) << c.name;
    EXPECT_LE(on_roll[c.id], 30) << c.name;
  }
}

TEST_F(DemoSchoolTest, EveryDemoLoginExistsWithItsRoleAndThePassword) {
  const std::vector<DemoLogin> logins = DemoLogins();
  // head, office, 14 teachers, governor, la, 3 parents, attendance officer, DSL, SENCO
  EXPECT_EQ(logins.size(), 24u);
  for (const DemoLogin& login : logins) {
    const core::StatusOr<store::User> user = store().FindUserByName(login.username);
    ASSERT_TRUE(user.ok()) << login.username;
    EXPECT_EQ(store::RoleName(user->role), login.role) << login.username;
    EXPECT_TRUE(user->active);
    EXPECT_FALSE(login.sees.empty());
    EXPECT_FALSE(user->display_name.empty());
    EXPECT_TRUE(service::VerifyPassword(kDemoPassword, user->password_hash)) << login.username;
    EXPECT_FALSE(service::VerifyPassword("rollcall-dem0", user->password_hash));
  }
  EXPECT_EQ(ValueOrFail(store().ListUsers()).size(), logins.size());
  EXPECT_EQ(ValueOrFail(store().FindUserByName("head")).role, store::Role::kHead);
  EXPECT_EQ(ValueOrFail(store().FindUserByName("la")).la_code, "909");
  EXPECT_EQ(ValueOrFail(store().FindUserByName("attendance")).role,
            store::Role::kAttendanceOfficer);
  EXPECT_EQ(ValueOrFail(store().FindUserByName("dsl")).role, store::Role::kSafeguardingLead);
  EXPECT_EQ(ValueOrFail(store().FindUserByName("senco")).role, store::Role::kSenco);
  // teacher1 registers a Year 3 class.
  const store::User teacher1 = ValueOrFail(store().FindUserByName("teacher1"));
  ASSERT_EQ(teacher1.class_ids.size(), 1u);
  for (const store::Class& c : ValueOrFail(store().ListClasses())) {
    if (c.id == teacher1.class_ids[0]) {
      EXPECT_EQ(c.year_group, 3);
    }
  }
}

TEST_F(DemoSchoolTest, ParentsSeeTheirChildrenWhoseContactsPointBack) {
  std::map<std::string, store::User> parents;
  for (const char* name : {"parent1", "parent2", "parent3"}) {
    parents[name] = ValueOrFail(store().FindUserByName(name));
    EXPECT_EQ(parents[name].role, store::Role::kParent);
  }
  ASSERT_EQ(parents["parent1"].pupil_ids.size(), 2u);
  EXPECT_EQ(parents["parent2"].pupil_ids.size(), 1u);
  EXPECT_EQ(parents["parent3"].pupil_ids.size(), 1u);
  for (const auto& [name, parent] : parents) {
    for (int64_t pupil_id : parent.pupil_ids) {
      const store::Pupil child = ValueOrFail(store().GetPupil(pupil_id));
      EXPECT_FALSE(child.enrolments.back().end) << name << ": child no longer on roll";
      ASSERT_FALSE(child.contacts.empty());
      EXPECT_EQ(child.contacts.front().user_id, parent.id) << name;
      EXPECT_NE(parent.display_name.find(child.legal_family_name), std::string::npos)
          << parent.display_name;
    }
  }
  // parent1's children are siblings, one of them persistently absent.
  const store::Pupil first = ValueOrFail(store().GetPupil(parents["parent1"].pupil_ids[0]));
  const store::Pupil second = ValueOrFail(store().GetPupil(parents["parent1"].pupil_ids[1]));
  EXPECT_EQ(first.legal_family_name, second.legal_family_name);
  EXPECT_NE(first.year_group, second.year_group);
  double worst = 0;
  for (const store::Pupil& child : {first, second}) {
    int possible = 0;
    int absent = 0;
    for (const store::Mark& mark : ValueOrFail(store().MarksForPupil(child.id))) {
      const core::StatCategory category = core::CategoryOf(mark.code);
      possible += core::IsPossible(mark.code) ? 1 : 0;
      absent += category == core::StatCategory::kAuthorised ||
                        category == core::StatCategory::kUnauthorised
                    ? 1
                    : 0;
    }
    ASSERT_GT(possible, 0);
    worst = std::max(worst, static_cast<double>(absent) / possible);
  }
  EXPECT_GE(worst, 0.10);
  // parent3's child has an N awaiting a reason.
  bool has_n = false;
  for (const store::Mark& mark :
       ValueOrFail(store().MarksForPupil(parents["parent3"].pupil_ids[0]))) {
    has_n = has_n || mark.code == AttendanceCode::kNoReasonYet;
  }
  EXPECT_TRUE(has_n);
}

TEST_F(DemoSchoolTest, PupilRecordsAreComplete) {
  const int year_start = 2026;
  std::set<std::string> upns;
  int leavers = 0;
  int cme = 0;
  int preferred = 0;
  std::map<std::string, int> flags;
  for (const store::Pupil& pupil : ValueOrFail(store().ListPupils())) {
    const core::Status upn = core::CheckUpn(pupil.upn);
    EXPECT_TRUE(upn.ok()) << pupil.upn << ": " << upn.message();
    EXPECT_TRUE(upns.insert(pupil.upn).second) << "duplicate UPN " << pupil.upn;
    EXPECT_FALSE(pupil.legal_given_name.empty());
    EXPECT_FALSE(pupil.legal_family_name.empty());
    if (!pupil.preferred_given_name.empty()) {
      EXPECT_NE(pupil.preferred_given_name, pupil.legal_given_name);
      ++preferred;
    }
    EXPECT_TRUE(pupil.sex == "F" || pupil.sex == "M") << pupil.sex;
    // Born 1 September to 31 August of the year that puts them in their year group.
    const int reception_year = year_start - pupil.year_group;
    EXPECT_GE(pupil.date_of_birth, *Date::FromYmd(reception_year - 5, 9, 1)) << pupil.upn;
    EXPECT_LE(pupil.date_of_birth, *Date::FromYmd(reception_year - 4, 8, 31)) << pupil.upn;
    ASSERT_EQ(pupil.enrolments.size(), 1u);
    const store::Enrolment& enrolment = pupil.enrolments.front();
    EXPECT_LE(enrolment.start, kToday);
    if (enrolment.end) {
      ++leavers;
      EXPECT_LE(*enrolment.end, kToday);
      EXPECT_EQ(enrolment.deletion_ground.size(), 1u);
      EXPECT_NE(std::string("afgi").find(enrolment.deletion_ground), std::string::npos)
          << enrolment.deletion_ground;
      EXPECT_FALSE(enrolment.destination.empty());
      if (enrolment.deletion_ground == "i") {
        ++cme;
        EXPECT_NE(enrolment.destination.find("CME"), std::string::npos);
      }
    } else {
      EXPECT_TRUE(enrolment.deletion_ground.empty());
    }
    ASSERT_GE(pupil.contacts.size(), 2u);
    EXPECT_EQ(pupil.contacts[0].priority, 1);
    EXPECT_EQ(pupil.contacts[1].priority, 2);
    for (const store::Contact& contact : pupil.contacts) {
      EXPECT_FALSE(contact.name.empty());
      EXPECT_TRUE(contact.relationship == "Mother" || contact.relationship == "Father" ||
                  contact.relationship == "Carer" || contact.relationship == "Grandparent")
          << contact.relationship;
      EXPECT_TRUE(contact.phone.starts_with("07700 900")) << contact.phone;
      EXPECT_EQ(contact.phone.size(), 12u) << contact.phone;
      EXPECT_TRUE(contact.email.ends_with("@example.org")) << contact.email;
      // Parents and carers have parental responsibility; a grandparent is an
      // emergency contact. Each is greeted by title and family name, at a
      // postal address with a postcode.
      EXPECT_EQ(contact.parental_responsibility, contact.relationship != "Grandparent")
          << contact.name;
      if (contact.relationship == "Grandparent") {
        EXPECT_TRUE(contact.emergency) << contact.name;
      }
      EXPECT_TRUE(contact.salutation.starts_with("Dear Mr") ||
                  contact.salutation.starts_with("Dear Ms"))
          << contact.salutation;
      EXPECT_TRUE(contact.salutation.ends_with(contact.name.substr(contact.name.rfind(' '))))
          << contact.salutation << " / " << contact.name;
      EXPECT_TRUE(contact.address.ends_with("\nCarlisle")) << contact.address;
      EXPECT_TRUE(contact.postcode.starts_with("CA")) << contact.postcode;
    }
    EXPECT_TRUE(pupil.contacts[0].parental_responsibility);
    EXPECT_TRUE(pupil.contacts[0].emergency);  // the first called is always one
    for (const store::CohortFlag& flag : pupil.flags) {
      ++flags[flag.flag];
      EXPECT_GE(flag.from, enrolment.start) << flag.flag;
      EXPECT_LE(flag.from, kToday) << flag.flag;
      EXPECT_FALSE(flag.to.has_value());
    }
  }
  EXPECT_GE(leavers, 3);
  EXPECT_GE(cme, 1);
  EXPECT_GE(preferred, 3);
  EXPECT_EQ(flags["FSM"] > 0, true);
  EXPECT_GE(flags["PP"], flags["FSM"]);
  EXPECT_GT(flags["SEN_K"], 0);
  EXPECT_GT(flags["EAL"], 420 / 10);
  EXPECT_LT(flags["EAL"], 420 * 3 / 10);
  for (const auto& [flag, count] : flags) {
    EXPECT_NE(std::string(" FSM PP SEN_K EHCP CLA SW YC EAL ").find(" " + flag + " "),
              std::string::npos)
        << flag;
  }
}

// The admission register as a school keeps it from September: the parent
// each pupil lives with, in-year joiners' previous schools, and contacts the
// families confirmed, so that the office's list of contacts to check is a
// short one, not the whole roll.
TEST_F(DemoSchoolTest, TheAdmissionRegisterIsKeptAsSinceSeptember) {
  const Date september = *Date::FromYmd(2026, 9, 1);
  const Date fourth_week = *Date::FromYmd(2026, 9, 28);
  int joiners = 0, on_roll = 0, never_confirmed = 0, apart = 0;
  int one_emergency = 0, to_check = 0, in_september = 0;
  for (const store::Pupil& pupil : ValueOrFail(store().ListPupils())) {
    const store::Enrolment& enrolment = pupil.enrolments.front();
    // In-year joiners say where they came from; those here since September
    // (or Reception) came from no school the register names.
    const bool joined_in_year = enrolment.start > september;
    joiners += joined_in_year ? 1 : 0;
    EXPECT_EQ(pupil.previous_school.empty(), !joined_in_year)
        << pupil.upn << " started " << enrolment.start.ToString() << ": " << pupil.previous_school;
    int lives_with = 0, emergency = 0;
    for (const store::Contact& contact : pupil.contacts) {
      // Only someone with parental responsibility or care is lived with, at
      // the first contact's address.
      if (contact.lives_with) {
        ++lives_with;
        EXPECT_TRUE(contact.parental_responsibility) << contact.name;
        EXPECT_EQ(contact.address, pupil.contacts[0].address) << contact.name;
      } else if (contact.parental_responsibility) {
        ++apart;
      }
      emergency += contact.emergency ? 1 : 0;
      // A family confirms its contacts together: in the first weeks of
      // September, or on the first day of a pupil who joined later.
      EXPECT_EQ(contact.confirmed_on, pupil.contacts[0].confirmed_on) << contact.name;
    }
    EXPECT_TRUE(pupil.contacts[0].lives_with) << pupil.upn;
    EXPECT_GE(lives_with, 1) << pupil.upn;
    // Joiners confirmed theirs on the admission form; the others (a parent
    // account's two children share their contacts) in September.
    const std::optional<Date> confirmed = pupil.contacts[0].confirmed_on;
    if (joined_in_year) {
      EXPECT_TRUE(confirmed) << pupil.upn;
    }
    if (confirmed) {
      EXPECT_GE(*confirmed, september) << pupil.upn;
      EXPECT_LE(*confirmed, kToday) << pupil.upn;
      in_september += *confirmed < fourth_week ? 1 : 0;
    }
    if (enrolment.end) continue;
    ++on_roll;
    never_confirmed += confirmed ? 0 : 1;
    EXPECT_GE(emergency, 1) << pupil.upn;
    one_emergency += emergency == 1 ? 1 : 0;
    to_check += service::ChecksOf(pupil, kToday).any() ? 1 : 0;
  }
  fmt::print(
      "admission register: {} in-year joiners, {} parents living apart; of {} on roll, {} not "
      "yet confirmed, {} with one emergency contact, {} to check\n",
      joiners, apart, on_roll, never_confirmed, one_emergency, to_check);
  EXPECT_GE(joiners, 3);
  EXPECT_GE(in_september, on_roll * 8 / 10);
  EXPECT_GE(apart, 5);
  // About 1 in 20 families have not sent the sheet back, and a few pupils
  // have one emergency contact: a list of a few dozen at most.
  EXPECT_GE(never_confirmed, 5);
  EXPECT_LE(never_confirmed, on_roll / 10);
  EXPECT_GE(one_emergency, 1);
  EXPECT_LE(one_emergency, on_roll / 20);
  EXPECT_GE(to_check, never_confirmed);
  EXPECT_LE(to_check, on_roll / 8);
}

// The pupils the demo LA's schools share came from somewhere: the mover from
// Riverside, the younger sibling from another school; each family confirmed
// its contacts on the admission form.
TEST_F(DemoSchoolTest, NeighboursJoinersNameTheirPreviousSchool) {
  std::vector<DemoOptions> options = DemoNeighbours();
  ASSERT_GE(options.size(), 3u);
  std::unique_ptr<store::Store> hillside = store::NewMemoryStore();
  std::unique_ptr<store::Store> meadow_lane = store::NewMemoryStore();
  for (auto [school, o] :
       {std::pair{hillside.get(), options[0]}, {meadow_lane.get(), options[2]}}) {
    o.pupils = 70;  // enough for a school; seeding the full size takes longer
    const core::Status seeded = SeedDemoSchool(*school, kToday, kTwoPm, UnixAt(kToday, kTwoPm), o);
    ASSERT_TRUE(seeded.ok()) << seeded.message();
  }
  ASSERT_TRUE(
      LinkDemoNeighbours(store(), *hillside, *meadow_lane, kToday, kTwoPm, UnixAt(kToday, kTwoPm))
          .ok());
  // Each is their school's newest pupil.
  const auto newest = [](store::Store& at) {
    const std::vector<store::Pupil> pupils = ValueOrFail(at.ListPupils());
    return *std::max_element(
        pupils.begin(), pupils.end(),
        [](const store::Pupil& a, const store::Pupil& b) { return a.id < b.id; });
  };
  const store::Pupil mover = newest(*hillside);
  EXPECT_EQ(mover.previous_school, "Riverside Primary School");
  ASSERT_FALSE(mover.contacts.empty());
  EXPECT_EQ(mover.contacts[0].confirmed_on, mover.enrolments.front().start);
  const store::Pupil sibling = newest(*meadow_lane);
  EXPECT_TRUE(sibling.upn.ends_with("900")) << sibling.upn;
  EXPECT_FALSE(sibling.previous_school.empty());
  EXPECT_NE(sibling.previous_school, "Riverside Primary School");
}

TEST_F(DemoSchoolTest, EveryMarkIsValidAndNoneIsLaterThanNow) {
  const core::Calendar calendar = CalendarOf(store());
  std::map<int64_t, core::PupilRecord> records;
  for (const store::Pupil& pupil : ValueOrFail(store().ListPupils())) {
    records[pupil.id] = RecordOf(pupil);
  }
  const std::vector<store::Mark> marks = ValueOrFail(store().AllMarks());
  EXPECT_GT(marks.size(), 40'000u);
  std::map<AttendanceCode, int> codes;
  int today_am = 0;
  int today_pm = 0;
  for (const store::Mark& mark : marks) {
    ASSERT_TRUE(records.contains(mark.pupil_id));
    const core::Status valid =
        core::CheckMark(calendar, records[mark.pupil_id], mark.slot, mark.code);
    EXPECT_TRUE(valid.ok()) << mark.slot.date.ToString() << ": " << valid.message();
    EXPECT_LE(mark.slot.date, kToday);
    EXPECT_LE(mark.recorded_at, UnixAt(kToday, kTwoPm));
    EXPECT_GE(mark.recorded_at, UnixAt(mark.slot.date, 8 * 60 + 45));
    ++codes[mark.code];
    if (mark.slot.date == kToday) {
      ++(mark.slot.session == core::Session::kAm ? today_am : today_pm);
    }
    if (mark.code == AttendanceCode::kLateBeforeClose) {
      ASSERT_TRUE(mark.arrival_minute.has_value());
      const int start = mark.slot.session == core::Session::kAm ? 8 * 60 + 45 : 13 * 60 + 15;
      EXPECT_GT(*mark.arrival_minute, start);
      // After the close only when the pupil's bus was late (transport.cc).
      if (*mark.arrival_minute >= start + 30) {
        EXPECT_TRUE(ValueOrFail(store().RouteDelayFor(mark.pupil_id, mark.slot)).has_value());
      }
    }
    if (mark.code == AttendanceCode::kLateAfterClose) {
      ASSERT_TRUE(mark.arrival_minute.has_value());
      EXPECT_GT(*mark.arrival_minute, 8 * 60 + 45 + 30);
    }
  }
  // Registers are taken for both of today's sessions by 14:00.
  EXPECT_GT(today_am, 350);
  EXPECT_GT(today_pm, 350);
  EXPECT_GT(codes[AttendanceCode::kPresentAm], 15'000);
  EXPECT_GT(codes[AttendanceCode::kIllness], 100);
  EXPECT_GT(codes[AttendanceCode::kLateBeforeClose], 10);
}

TEST_F(DemoSchoolTest, OfficeReplacesNWithReasonsAndLeavesTheLatestToResolve) {
  int n_left = 0;
  int recent_n = 0;
  const Date yesterday = *Date::FromYmd(2026, 11, 24);
  // Children missing education stay N while the enquiries go on.
  std::set<int64_t> missing;
  for (const store::CmeCase& c : ValueOrFail(store().ListCmeCases(true))) {
    if (c.first_day < yesterday) missing.insert(c.pupil_id);
  }
  EXPECT_EQ(missing.size(), 2u);
  for (const store::Mark& mark : ValueOrFail(store().AllMarks())) {
    if (mark.code != AttendanceCode::kNoReasonYet || missing.contains(mark.pupil_id)) continue;
    ++n_left;
    if (mark.slot.date >= yesterday) ++recent_n;
  }
  fmt::print("{} N marks left, {} of them from the last two school days\n", n_left, recent_n);
  // This morning's late arrivals at reception (one or two: the pupils still
  // N this morning, transport.cc) were N until they came.
  const size_t signed_in = ValueOrFail(store().SignEventsOn(kToday)).size();
  EXPECT_GE(signed_in, 1u);
  EXPECT_LE(signed_in, 2u);
  EXPECT_GE(recent_n + static_cast<int>(signed_in), 5);
  EXPECT_LE(recent_n, 25);
  EXPECT_LE(n_left, 40);

  int amended = 0;
  int first_recordings = 0;
  int reception = 0;  // this morning's late arrivals and the late bus (transport.cc)
  for (const store::Pupil& pupil : ValueOrFail(store().ListPupils())) {
    for (const store::Amendment& a : ValueOrFail(store().AmendmentsForPupil(pupil.id))) {
      EXPECT_FALSE(a.reason.empty());
      EXPECT_FALSE(a.by_name.empty());
      if (a.reason.starts_with("Signed in at ") || a.reason.starts_with("School transport: ")) {
        ++reception;
        EXPECT_EQ(a.by_role, store::Role::kOffice);
        EXPECT_EQ(a.slot, (core::SessionKey{kToday, core::Session::kAm}));
        continue;
      }
      if (!a.old_code) {
        ++first_recordings;
        EXPECT_EQ(a.by_role, store::Role::kTeacher);
        if (a.new_code == AttendanceCode::kPartTimeTimetable) {
          EXPECT_EQ(a.reason, "Part-time timetable: not timetabled this session");
        } else {
          EXPECT_EQ(a.reason, "Register taken");
        }
        continue;
      }
      ++amended;
      EXPECT_EQ(a.by_role, store::Role::kOffice);
      EXPECT_EQ(*a.old_code, AttendanceCode::kNoReasonYet);
      EXPECT_NE(a.new_code, AttendanceCode::kNoReasonYet);
      EXPECT_NE(a.reason, "Register taken");
      // A few hours to a few days after the register.
      EXPECT_GT(a.at, UnixAt(a.slot.date, 9 * 60));
      EXPECT_LE(a.at, UnixAt(kToday, kTwoPm));
    }
  }
  EXPECT_GT(amended, 300);
  // Each signed in, and the bus pupil's U made L.
  EXPECT_EQ(reception, static_cast<int>(signed_in) + 1);
  EXPECT_EQ(ValueOrFail(store().CountAmendments()), amended + first_recordings + reception);
  EXPECT_EQ(static_cast<size_t>(first_recordings), ValueOrFail(store().AllMarks()).size());
}

// Two bus routes, and this morning at reception: a Northfield pupil
// signed in after the close, the bus's delay recorded (their U made L), and
// another pupil signed in late with no bus to blame (U).
TEST_F(DemoSchoolTest, TheBusWasLateThisMorning) {
  const std::vector<store::TransportRoute> routes = ValueOrFail(store().TransportRoutes());
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_GT(ValueOrFail(store().RouteRiders()).size(), 15u);
  const std::vector<store::RouteDelay> delays = ValueOrFail(store().RouteDelaysOn(kToday));
  ASSERT_EQ(delays.size(), 1u);
  EXPECT_EQ(delays[0].route_name, "Northfield bus");
  const std::vector<store::SignEvent> events = ValueOrFail(store().SignEventsOn(kToday));
  ASSERT_GE(events.size(), 1u);
  const core::SessionKey morning{kToday, core::Session::kAm};
  std::map<int64_t, AttendanceCode> am;
  for (const store::Mark& m : ValueOrFail(store().MarksForSession(morning))) {
    am[m.pupil_id] = m.code;
  }
  EXPECT_EQ(am[events[0].pupil_id], AttendanceCode::kLateBeforeClose);
  EXPECT_TRUE(ValueOrFail(store().RouteDelayFor(events[0].pupil_id, morning)).has_value());
  if (events.size() > 1) {
    EXPECT_EQ(am[events[1].pupil_id], AttendanceCode::kLateAfterClose);
    EXPECT_FALSE(ValueOrFail(store().RouteDelayFor(events[1].pupil_id, morning)).has_value());
  }
}

TEST_F(DemoSchoolTest, TheOfficeKeepsAContactLogOfItsFollowUp) {
  std::map<store::ContactMethod, int> by_method;
  int calls_today = 0, letters_of_concern = 0, messages = 0;
  const int64_t now = UnixAt(kToday, kTwoPm);
  for (const store::Pupil& pupil : ValueOrFail(store().ListPupils())) {
    for (const store::ContactLogEntry& e : ValueOrFail(store().ContactLogForPupil(pupil.id))) {
      ++by_method[e.method];
      EXPECT_TRUE(store::CheckContactLogEntry(e).ok());
      EXPECT_LE(e.at, now);
      // The office's, but for the head's letters with leave decisions.
      EXPECT_TRUE(e.by_role == store::Role::kOffice ||
                  (e.method == store::ContactMethod::kLetter && e.by_role == store::Role::kHead))
          << e.note;
      EXPECT_FALSE(e.note.empty());
      EXPECT_FALSE(e.contact_name.empty());
      if (e.method == store::ContactMethod::kCall && e.at >= UnixAt(kToday, 0)) ++calls_today;
      if (e.method == store::ContactMethod::kLetter && e.note.starts_with("Concern about ")) {
        ++letters_of_concern;
      }
      if (e.method == store::ContactMethod::kMessage) {
        ++messages;
        // Only parent1's child gets a message, and they can read it.
        const store::User parent1 = ValueOrFail(store().FindUserByName("parent1"));
        EXPECT_NE(std::find(parent1.pupil_ids.begin(), parent1.pupil_ids.end(), pupil.id),
                  parent1.pupil_ids.end());
      }
    }
  }
  fmt::print(
      "contact log: {} calls ({} today), {} emails, {} letters ({} of concern), {} home "
      "visits, {} messages\n",
      by_method[store::ContactMethod::kCall], calls_today, by_method[store::ContactMethod::kEmail],
      by_method[store::ContactMethod::kLetter], letters_of_concern,
      by_method[store::ContactMethod::kHomeVisit], messages);
  EXPECT_GT(by_method[store::ContactMethod::kCall], 200);
  EXPECT_GT(by_method[store::ContactMethod::kEmail], 20);
  EXPECT_GT(by_method[store::ContactMethod::kLetter], 20);
  EXPECT_GE(calls_today, 3);
  EXPECT_GE(letters_of_concern, 20);  // about 14% of 420 pupils are persistently absent
  EXPECT_EQ(messages, 1);
  // The letters of concern are stored as sent, one batch, with their figures.
  const std::vector<store::Letter> batches = ValueOrFail(store().RecentBatches(10));
  auto batch = std::find_if(batches.begin(), batches.end(), [](const store::Letter& l) {
    return l.template_key == "attendance_concern";
  });
  ASSERT_NE(batch, batches.end());
  EXPECT_EQ(batches.size(), 4u);  // and three leave decisions' letters
  const std::vector<store::Letter> concern = ValueOrFail(store().LettersInBatch(batch->batch));
  EXPECT_EQ(static_cast<int>(concern.size()), letters_of_concern);
  for (const store::Letter& l : concern) {
    EXPECT_EQ(l.template_key, "attendance_concern");
    // To a parent, greeted as their contact record says, at their address.
    const store::Pupil pupil = ValueOrFail(store().GetPupil(l.pupil_id));
    auto to = std::find_if(pupil.contacts.begin(), pupil.contacts.end(),
                           [](const store::Contact& c) { return c.parental_responsibility; });
    ASSERT_NE(to, pupil.contacts.end());
    EXPECT_EQ(l.addressee, to->name);
    EXPECT_EQ(l.body.rfind(store::SalutationOf(*to) + ",\n", 0), 0u) << l.body;
    EXPECT_EQ(l.address, store::AddressBlockOf(*to));
    const nlohmann::json figures = nlohmann::json::parse(l.figures_json);
    EXPECT_LT(std::stod(figures["attendance_pct"].get<std::string>()), 96.0) << l.figures_json;
    EXPECT_NE(l.body.find(figures["attendance_pct"].get<std::string>() + "%"), std::string::npos);
  }
  // Newest first, across the whole school, for Today.
  const std::vector<store::ContactLogEntry> today =
      ValueOrFail(store().ContactLogSince(UnixAt(kToday, 0)));
  EXPECT_TRUE(std::is_sorted(today.begin(), today.end(),
                             [](const auto& a, const auto& b) { return a.at > b.at; }));
}

TEST_F(DemoSchoolTest, ChildrenMissingEducationHaveOpenCasesWithTheStepsDone) {
  const std::vector<store::CmeCase> cases = ValueOrFail(store().ListCmeCases(true));
  fmt::print("{} open CME cases\n", cases.size());
  ASSERT_GE(cases.size(), 2u);
  int older = 0;
  for (const store::CmeCase& c : cases) {
    EXPECT_LE(c.first_day, kToday);
    EXPECT_LE(c.opened_at, UnixAt(kToday, kTwoPm));
    const std::vector<store::CmeStepRecord> steps = ValueOrFail(store().CmeStepsFor(c.id));
    if (c.first_day < kToday.AddDays(-10)) {
      ++older;
      EXPECT_GE(steps.size(), 6u);  // everything to day 10
    } else if (c.first_day < kToday.AddDays(-1)) {
      EXPECT_EQ(steps.size(), 2u);  // days 1-2; the DSL not yet told
    } else {
      EXPECT_TRUE(steps.empty());  // opened today
    }
    for (const store::CmeStepRecord& r : steps) {
      EXPECT_NE(r.step, core::CmeStep::kDeletionReview);  // left for Today to escalate
      EXPECT_FALSE(r.note.empty());
      EXPECT_GE(r.done_at, c.opened_at);
      EXPECT_LE(r.done_at, UnixAt(kToday, kTwoPm));
    }
  }
  EXPECT_EQ(older, 1);
}

TEST_F(DemoSchoolTest, TwoPersistentlyAbsentPupilsHaveActionPlansAtDifferentStages) {
  int plans = 0, reviews = 0;
  std::set<core::SupportStage> stages;
  for (const store::Pupil& pupil : ValueOrFail(store().ListPupils())) {
    const std::vector<store::StageRecord> history = ValueOrFail(store().StageHistory(pupil.id));
    if (!history.empty()) stages.insert(history.back().stage);
    for (const store::SupportEvent& e : ValueOrFail(store().SupportEventsFor(pupil.id))) {
      EXPECT_TRUE(store::CheckSupportEvent(e).ok());
      EXPECT_LE(e.held_on, kToday);
      if (e.kind == store::SupportKind::kActionPlan) ++plans;
      if (e.kind == store::SupportKind::kReview) {
        ++reviews;
        EXPECT_EQ(e.outcome, core::ImprovementOutcome::kNotImproved);
        EXPECT_TRUE(e.attendance_before.ends_with('%')) << e.attendance_before;
        EXPECT_TRUE(e.attendance_after.ends_with('%')) << e.attendance_after;
      }
    }
  }
  EXPECT_EQ(plans, 2);
  EXPECT_EQ(reviews, 1);
  EXPECT_EQ(stages, (std::set<core::SupportStage>{core::SupportStage::kListen,
                                                  core::SupportStage::kFacilitate}));
}

TEST_F(DemoSchoolTest, OnePupilIsOnAPartTimeTimetableWithAfternoonsCodedC2) {
  const std::vector<store::PartTimeTimetable> all = ValueOrFail(store().ListPartTimeTimetables());
  ASSERT_EQ(all.size(), 1u);
  const store::PartTimeTimetable& t = all[0];
  EXPECT_TRUE(store::CheckPartTimeTimetable(t).ok());
  EXPECT_EQ(t.by_role, store::Role::kHead);
  EXPECT_LE(t.start, kToday);
  EXPECT_GT(t.review_date, kToday);
  int c2 = 0;
  for (const store::Mark& m : ValueOrFail(store().MarksForPupil(t.pupil_id))) {
    if (m.slot.date < t.start) continue;
    // Mornings as usual; every afternoon since it started is C2.
    if (m.slot.session == core::Session::kPm) {
      EXPECT_EQ(m.code, AttendanceCode::kPartTimeTimetable) << m.slot.date.ToString();
      ++c2;
    } else {
      EXPECT_NE(m.code, AttendanceCode::kPartTimeTimetable);
    }
  }
  EXPECT_GE(c2, 9);  // two weeks and more of afternoons
}

// The rewards page's medical exclusion has someone to leave out: a pupil
// on roll who has missed nothing, with a known condition in force.
TEST_F(DemoSchoolTest, OnePupilWhoMissedNothingHasAKnownCondition) {
  const std::vector<store::ConditionReview> all = ValueOrFail(store().ListConditionReviews());
  ASSERT_EQ(all.size(), 1u);
  const store::ConditionReview& c = all[0];
  EXPECT_GT(c.review_date, kToday);
  EXPECT_FALSE(c.note.empty());
  int marks = 0;
  for (const store::Mark& m : ValueOrFail(store().MarksForPupil(c.pupil_id))) {
    const core::StatCategory category = core::CategoryOf(m.code);
    EXPECT_NE(category, core::StatCategory::kAuthorised) << m.slot.date.ToString();
    EXPECT_NE(category, core::StatCategory::kUnauthorised) << m.slot.date.ToString();
    ++marks;
  }
  EXPECT_GE(marks, 20);
}

TEST_F(DemoSchoolTest, PenaltyCasesAreAtSeveralStages) {
  const std::vector<store::PenaltyCase> cases = ValueOrFail(store().ListPenaltyCases());
  const std::vector<store::PenaltyEvent> events = ValueOrFail(store().PenaltyEvents());
  fmt::print("{} penalty cases, {} events\n", cases.size(), events.size());
  EXPECT_GE(cases.size(), 5u);
  using Kind = store::PenaltyEventKind;
  std::map<Kind, int> kinds;
  for (const store::PenaltyEvent& e : events) {
    ++kinds[e.kind];
    EXPECT_TRUE(store::CheckPenaltyEvent(e).ok()) << store::PenaltyEventKindName(e.kind);
    EXPECT_LE(e.at, UnixAt(kToday, 23 * 60));
  }
  EXPECT_EQ(kinds[Kind::kNotice], 2);  // one paid, one unpaid after 28 days
  EXPECT_EQ(kinds[Kind::kPayment], 1);
  EXPECT_EQ(kinds[Kind::kNti], 2);  // one ended, one running
  EXPECT_EQ(kinds[Kind::kClosed], 1);
  EXPECT_EQ(kinds[Kind::kDecision], 5);
  // One case per episode: no pupil has two open cases of a kind; a pupil who
  // stayed away met the threshold again, in later windows of
  // the one case.
  std::map<std::pair<int64_t, store::PenaltyCaseKind>, int> open;
  size_t windows = 0;
  for (const store::PenaltyCase& c : cases) {
    EXPECT_EQ(std::count(c.evidence.begin(), c.evidence.end(), ',') + 1, 10) << c.evidence;
    if (!c.closed_on) ++open[{c.pupil_id, c.kind}];
    for (const store::PenaltyWindow& w : c.windows) {
      ++windows;
      EXPECT_EQ(std::count(w.evidence.begin(), w.evidence.end(), ',') + 1, 10) << w.evidence;
      EXPECT_GT(w.alert, c.alert);
      if (c.closed_on) {
        EXPECT_LE(w.alert.date, *c.closed_on);
      }
    }
  }
  for (const auto& [pupil_kind, n] : open) EXPECT_EQ(n, 1) << "pupil " << pupil_kind.first;
  EXPECT_GE(windows, 1u);
}

TEST_F(DemoSchoolTest, LeaveRequestsAreAtSeveralStages) {
  const std::vector<store::LeaveRequest> requests = ValueOrFail(store().ListLeaveRequests());
  const std::vector<store::LeaveDecision> decisions = ValueOrFail(store().ListLeaveDecisions());
  ASSERT_EQ(requests.size(), 5u);
  std::map<store::LeaveOutcome, int> by;
  for (const store::LeaveDecision& d : decisions) {
    ++by[d.decision];
    // Granted and refused requests have their letter; a withdrawal none.
    EXPECT_EQ(d.letter_id.has_value(), d.decision != store::LeaveOutcome::kWithdrawn);
  }
  EXPECT_EQ(by[store::LeaveOutcome::kGranted], 1);
  EXPECT_EQ(by[store::LeaveOutcome::kRefused], 2);
  EXPECT_EQ(by[store::LeaveOutcome::kWithdrawn], 1);
  EXPECT_EQ(decisions.size(), 4u);  // one awaits the head
  // The refused leave that was taken is N on the register, for the office.
  const store::LeaveRequest& taken = requests.back();
  EXPECT_LT(taken.to.date, kToday);
  int n = 0;
  for (const store::Mark& m : ValueOrFail(store().MarksForPupil(taken.pupil_id))) {
    if (m.slot >= taken.from && m.slot <= taken.to) {
      EXPECT_EQ(m.code, AttendanceCode::kNoReasonYet);
      ++n;
    }
  }
  EXPECT_EQ(n, 4);
}

TEST_F(DemoSchoolTest, AbsenceRateIsLikeAnEnglishPrimarySchool) {
  int possible = 0;
  int absent = 0;
  for (const store::Mark& mark : ValueOrFail(store().AllMarks())) {
    if (!core::IsPossible(mark.code)) continue;
    ++possible;
    const core::StatCategory category = core::CategoryOf(mark.code);
    if (category == core::StatCategory::kAuthorised ||
        category == core::StatCategory::kUnauthorised) {
      ++absent;
    }
  }
  ASSERT_GT(possible, 0);
  const double rate = static_cast<double>(absent) / possible;
  fmt::print("absence {:.2f}% of {} possible sessions\n", 100 * rate, possible);
  EXPECT_GE(rate, 0.03);
  EXPECT_LE(rate, 0.08);
}

TEST_F(DemoSchoolTest, SeedingTwiceChangesNothing) {
  const size_t pupils = ValueOrFail(store().ListPupils()).size();
  const int64_t amendments = ValueOrFail(store().CountAmendments());
  const size_t users = ValueOrFail(store().ListUsers()).size();
  const core::Status again =
      SeedDemoSchool(store(), kToday.AddDays(1), 10 * 60, UnixAt(kToday.AddDays(1), 10 * 60),
                     {.fast_hashing = true});
  EXPECT_TRUE(again.ok()) << again.message();
  EXPECT_EQ(ValueOrFail(store().ListPupils()).size(), pupils);
  EXPECT_EQ(ValueOrFail(store().CountAmendments()), amendments);
  EXPECT_EQ(ValueOrFail(store().ListUsers()).size(), users);
  EXPECT_EQ(ValueOrFail(store().SettingsHistory()).size(), 1u);
}

// Before the morning register closes, today has no marks; after it closes
// and before the afternoon's, only the morning's.
TEST(DemoSchoolClockTest, TodaysRegistersOnlyOnceClosed) {
  for (const int minute : {9 * 60, 10 * 60 + 30}) {
    std::unique_ptr<store::Store> store = store::NewMemoryStore();
    const int64_t now = UnixAt(kToday, minute);
    const core::Status seeded =
        SeedDemoSchool(*store, kToday, minute, now, {.pupils = 70, .fast_hashing = true});
    ASSERT_TRUE(seeded.ok()) << seeded.message();
    int today_am = 0;
    int today_pm = 0;
    for (const store::Mark& mark : ValueOrFail(store->AllMarks())) {
      EXPECT_LE(mark.slot.date, kToday);
      EXPECT_LE(mark.recorded_at, now);
      if (mark.slot.date == kToday) {
        ++(mark.slot.session == core::Session::kAm ? today_am : today_pm);
      }
    }
    EXPECT_EQ(today_pm, 0) << minute;
    if (minute < 9 * 60 + 15) {
      EXPECT_EQ(today_am, 0);
    } else {
      EXPECT_GT(today_am, 50);
    }
    for (const store::Pupil& pupil : ValueOrFail(store->ListPupils())) {
      for (const store::Amendment& a : ValueOrFail(store->AmendmentsForPupil(pupil.id))) {
        EXPECT_LE(a.at, now);
      }
    }
  }
}

// In British Summer Time local 09:30 is 08:30 UTC: the morning register
// (09:05 local) is stamped 08:05 UTC, and nothing later than now.
TEST(DemoSchoolClockTest, StampsWithTheCallersUtcOffset) {
  const Date day = *Date::FromYmd(2027, 6, 16);  // a Wednesday in the summer term
  const int64_t now = UnixAt(day, 9 * 60 + 30) - 3600;
  std::unique_ptr<store::Store> store = store::NewMemoryStore();
  const core::Status seeded =
      SeedDemoSchool(*store, day, 9 * 60 + 30, now, {.pupils = 70, .fast_hashing = true});
  ASSERT_TRUE(seeded.ok()) << seeded.message();
  int today_am = 0;
  for (const store::Mark& mark : ValueOrFail(store->AllMarks())) {
    EXPECT_LE(mark.recorded_at, now);
    if (mark.slot.date == day) {
      EXPECT_EQ(mark.slot.session, core::Session::kAm);
      if (mark.code == AttendanceCode::kPresentAm) {
        EXPECT_EQ(mark.recorded_at, UnixAt(day, 9 * 60 + 5) - 3600);
      }
      ++today_am;
    }
  }
  EXPECT_GT(today_am, 50);
}

// A weekend, the summer holiday before the first term, and the first day of
// term all give a school; on the first morning, before the register closes,
// there are no marks at all.
TEST(DemoSchoolClockTest, SeedsOnAnyDayOfTheYear) {
  for (const Date day : {*Date::FromYmd(2026, 11, 28), *Date::FromYmd(2026, 8, 20),
                         *Date::FromYmd(2026, 9, 3), *Date::FromYmd(2027, 7, 22)}) {
    std::unique_ptr<store::Store> store = store::NewMemoryStore();
    const int64_t now = UnixAt(day, 9 * 60);
    const core::Status seeded =
        SeedDemoSchool(*store, day, 9 * 60, now, {.pupils = 70, .fast_hashing = true});
    ASSERT_TRUE(seeded.ok()) << day.ToString() << ": " << seeded.message();
    EXPECT_TRUE(store->GetSchool().ok());
    const core::Calendar calendar = CalendarOf(*store);
    std::map<int64_t, core::PupilRecord> records;
    for (const store::Pupil& pupil : ValueOrFail(store->ListPupils())) {
      records[pupil.id] = RecordOf(pupil);
    }
    for (const store::Mark& mark : ValueOrFail(store->AllMarks())) {
      EXPECT_LT(mark.slot.date, day);
      EXPECT_TRUE(core::CheckMark(calendar, records[mark.pupil_id], mark.slot, mark.code).ok());
    }
  }
}

TEST(DemoSchoolClockTest, RefusesADateOutsideTheKnownCalendars) {
  std::unique_ptr<store::Store> store = store::NewMemoryStore();
  const Date far = *Date::FromYmd(2031, 11, 25);
  const core::Status seeded =
      SeedDemoSchool(*store, far, 600, UnixAt(far, 600), {.fast_hashing = true});
  EXPECT_FALSE(seeded.ok());
  EXPECT_EQ(seeded.kind(), core::ErrorKind::kInvalidArgument);
  EXPECT_FALSE(store->GetSchool().ok());
}

// The demo runs on SQLite: the same school must go into a real database.
TEST(DemoSchoolSqliteTest, SeedsAnSqliteDatabase) {
  const std::filesystem::path path =
      std::filesystem::path(::testing::TempDir()) /
      fmt::format("demo_school_test_{}.db",
                  std::chrono::steady_clock::now().time_since_epoch().count());
  {
    core::StatusOr<std::unique_ptr<store::Store>> opened = store::OpenSqliteStore(path.string());
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store::Store& store = **opened;
    const auto started = std::chrono::steady_clock::now();
    const core::Status seeded =
        SeedDemoSchool(store, kToday, kTwoPm, UnixAt(kToday, kTwoPm), {.fast_hashing = true});
    const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
    ASSERT_TRUE(seeded.ok()) << seeded.code() << ": " << seeded.message();
    fmt::print("seeded the demo school into SQLite in {:.2f} s\n", elapsed.count());
    EXPECT_EQ(ValueOrFail(store.ListPupils()).size(), 420u);
    EXPECT_TRUE(store.GetSchool().ok());
  }
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::error_code ignored;
    std::filesystem::remove(path.string() + suffix, ignored);
  }
}

}  // namespace
}  // namespace rollcall::cli
