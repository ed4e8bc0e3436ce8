// The registers as the register page and the amendments report read them:
// the page's choice of class and session, one pupil's row after a mark,
// marking everyone not yet marked, and the report of the school's
// amendments.
#include "service/registers.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error_codes.h"
#include "service/school_fixture.h"
#include "store/store.h"

namespace rollcall::service {
namespace {

using core::AttendanceCode;
using core::Session;
using rollcall::testing::D;

class RegistersTest : public SchoolFixture {
 protected:
  Registers& registers() { return services_->registers(); }
  // The pupil's mark for the session as the office's register row shows it.
  std::optional<AttendanceCode> CodeOf(int64_t pupil, const char* date, Session s) {
    core::StatusOr<RegisterRow> row = registers().Row(office_, pupil, core::SessionKey{D(date), s});
    EXPECT_TRUE(row.ok()) << row.status().message();
    if (!row.ok() || !row->mark) return std::nullopt;
    return row->mark->code;
  }
  std::string NameOf(int64_t pupil) const { return DisplayName(*store_->GetPupil(pupil)); }
};

TEST_F(RegistersTest, ThePageOffersTheRegistersTheReaderMaySeeAndTheSessionUnderWay) {
  core::StatusOr<RegisterPageView> page =
      registers().RegisterPage(office_, "2026-11-25", "", std::nullopt);
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ(page->school, "Test Primary");
  EXPECT_EQ(page->session, Session::kAm);  // 10:00: the afternoon starts at 13:15
  ASSERT_EQ(page->classes.size(), 2u);
  EXPECT_EQ(page->classes[0].id, class_3a_);
  EXPECT_EQ(page->classes[0].name, "3A");
  EXPECT_EQ(page->classes[1].name, "4B");
  EXPECT_FALSE(page->chosen);  // no class chosen: no register

  // A teacher is offered their own class; the session asked for is kept.
  page = registers().RegisterPage(teacher_, "2026-11-25", "PM", class_3a_);
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ(page->session, Session::kPm);
  ASSERT_EQ(page->classes.size(), 1u);
  EXPECT_EQ(page->classes[0].id, class_3a_);
  ASSERT_TRUE(page->chosen);
  EXPECT_EQ(page->chosen->slot.date, D("2026-11-25"));
  EXPECT_EQ(page->chosen->slot.session, Session::kPm);
  ASSERT_TRUE(page->chosen->of_class);
  EXPECT_EQ(page->chosen->of_class->name, "3A");
  ASSERT_EQ(page->chosen->pupils.size(), 1u);
  EXPECT_EQ(page->chosen->pupils[0].pupil_id, a_);
  EXPECT_EQ(page->chosen->pupils[0].class_id, class_3a_);

  // From the afternoon's start, the afternoon's register.
  clock_.Set(D("2026-11-25"), 13 * 60 + 15);
  EXPECT_EQ(registers().RegisterPage(office_, "2026-11-25", "", std::nullopt)->session,
            Session::kPm);

  // A class the school does not have: the choice, no register.
  page = registers().RegisterPage(office_, "2026-11-25", "AM", class_4b_ + 99);
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_FALSE(page->chosen);
  // Another teacher's class: refused as the register is.
  EXPECT_EQ(registers().RegisterPage(teacher_, "2026-11-25", "AM", class_4b_).status().code(),
            core::kErrForbidden);
  // A parent may open no register.
  page = registers().RegisterPage(parent_, "2026-11-25", "AM", std::nullopt);
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->classes.empty());
}

TEST_F(RegistersTest, OnePupilsRowForThoseWhoMaySeeThem) {
  ASSERT_TRUE(Mark(office_, a_, "2026-11-25", "AM", "L", "", "09:10").ok());
  const core::SessionKey am{D("2026-11-25"), Session::kAm};
  core::StatusOr<RegisterRow> row = registers().Row(teacher_, a_, am);
  ASSERT_TRUE(row.ok()) << row.status().message();
  EXPECT_EQ(row->pupil_id, a_);
  EXPECT_EQ(row->name, NameOf(a_));
  EXPECT_EQ(row->class_id, class_3a_);
  ASSERT_TRUE(row->mark);
  EXPECT_EQ(row->mark->code, AttendanceCode::kLateBeforeClose);
  EXPECT_EQ(row->mark->arrival_minute, 9 * 60 + 10);
  EXPECT_FALSE(row->planned);
  // Another session: not marked. No session: no mark either.
  EXPECT_FALSE(registers().Row(teacher_, a_, core::SessionKey{am.date, Session::kPm})->mark);
  row = registers().Row(teacher_, a_, std::nullopt);
  ASSERT_TRUE(row.ok());
  EXPECT_FALSE(row->mark);
  EXPECT_EQ(row->class_id, class_3a_);

  EXPECT_EQ(registers().Row(teacher_, b_, am).status().kind(), core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(registers().Row(parent_, b_, am).status().kind(), core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(registers().Row(office_, b_ + 99, am).status().code(), core::kErrPupilUnknown);
}

TEST_F(RegistersTest, EveryoneNotYetMarkedIsMarkedPresentOrAsPlanned) {
  const int64_t c = AddPupil("C909123400003", class_3a_);
  const int64_t d = AddPupil("D909123400004", class_3a_);
  ASSERT_TRUE(services_->Load().ok());
  // a_ attends afternoons only from today: the morning is off timetable.
  PartTimeAgreement afternoons;
  afternoons.pupil_id = a_;
  afternoons.agreed_on = "2026-11-24";
  afternoons.start = "2026-11-25";
  afternoons.end = "2026-12-11";
  afternoons.review_date = "2026-12-01";
  afternoons.agreed_with = "Mrs A Parent (Mother)";
  afternoons.reason = "Phased return after surgery";
  afternoons.plan = "Full time from 14 December";
  afternoons.attends = std::vector<std::string>{"mon-pm", "tue-pm", "wed-pm", "thu-pm", "fri-pm"};
  ASSERT_TRUE(services_->part_time().Agree(head_, afternoons).ok());
  ASSERT_TRUE(Mark(teacher_, c, "2026-11-25", "AM", "N").ok());

  ASSERT_TRUE(registers().MarkAllPresent(teacher_, "2026-11-25", "AM", class_3a_).ok());
  EXPECT_EQ(CodeOf(a_, "2026-11-25", Session::kAm), AttendanceCode::kPartTimeTimetable);
  EXPECT_EQ(CodeOf(c, "2026-11-25", Session::kAm), AttendanceCode::kNoReasonYet);  // kept
  EXPECT_EQ(CodeOf(d, "2026-11-25", Session::kAm), AttendanceCode::kPresentAm);
  EXPECT_FALSE(CodeOf(b_, "2026-11-25", Session::kAm));  // another class
  // Again: nothing left to mark.
  const int64_t version = services_->school().version();
  ASSERT_TRUE(registers().MarkAllPresent(teacher_, "2026-11-25", "AM", class_3a_).ok());
  EXPECT_EQ(services_->school().version(), version);

  // Each mark is RecordMark's, refused as it would be.
  EXPECT_EQ(registers().MarkAllPresent(teacher_, "2026-11-25", "AM", class_4b_).code(),
            core::kErrForbidden);
  EXPECT_FALSE(CodeOf(b_, "2026-11-25", Session::kAm));
  EXPECT_EQ(registers().MarkAllPresent(office_, "2026-11-25", "EVE", class_4b_).code(),
            core::kErrValueInvalid);
  // The afternoon's register, once it has opened (15 minutes before 13:15).
  EXPECT_EQ(registers().MarkAllPresent(office_, "2026-11-25", "PM", class_4b_).code(),
            core::kErrRegisterNotOpen);
  EXPECT_FALSE(CodeOf(b_, "2026-11-25", Session::kPm));
  clock_.Set(D("2026-11-25"), 13 * 60);
  ASSERT_TRUE(registers().MarkAllPresent(office_, "2026-11-25", "PM", class_4b_).ok());
  EXPECT_EQ(CodeOf(b_, "2026-11-25", Session::kPm), AttendanceCode::kPresentPm);
}

TEST_F(RegistersTest, TheDayRegisterToPrintSaysWhoIsInSchool) {
  const int64_t late = AddPupil("C909123400003", class_3a_);
  const int64_t absent = AddPupil("D909123400004", class_3a_);
  const int64_t unmarked = AddPupil("E909123400005", class_3a_);
  ASSERT_TRUE(services_->Load().ok());
  ASSERT_TRUE(Mark(teacher_, a_, "2026-11-25", "AM", "/").ok());
  ASSERT_TRUE(Mark(teacher_, late, "2026-11-25", "AM", "L", "", "09:05").ok());
  ASSERT_TRUE(Mark(teacher_, absent, "2026-11-25", "AM", "N").ok());

  // 10:00: the morning is under way; present and late pupils are in.
  core::StatusOr<DayRegisterView> day = registers().DayRegister(teacher_, "2026-11-25", class_3a_);
  ASSERT_TRUE(day.ok()) << day.status().message();
  EXPECT_EQ(day->school, "Test Primary");
  EXPECT_EQ(day->date, D("2026-11-25"));
  EXPECT_EQ(day->of_class.name, "3A");
  EXPECT_TRUE(day->open_am);
  EXPECT_TRUE(day->open_pm);
  EXPECT_EQ(day->latest, Session::kAm);
  EXPECT_EQ(day->printed_at, clock_.NowSeconds());
  ASSERT_EQ(day->pupils.size(), 4u);  // 3A only
  EXPECT_EQ(day->in_school, 2);
  std::map<int64_t, DayRegisterRow> rows;
  for (const DayRegisterRow& r : day->pupils) rows.emplace(r.pupil_id, r);
  EXPECT_EQ(rows.at(a_).name, NameOf(a_));
  EXPECT_TRUE(rows.at(a_).in_school);
  ASSERT_TRUE(rows.at(late).am);
  EXPECT_EQ(rows.at(late).am->code, AttendanceCode::kLateBeforeClose);
  EXPECT_EQ(rows.at(late).am->arrival_minute, 9 * 60 + 5);
  EXPECT_TRUE(rows.at(late).in_school);
  EXPECT_FALSE(rows.at(absent).in_school);
  EXPECT_FALSE(rows.at(unmarked).am);
  EXPECT_FALSE(rows.at(unmarked).in_school);

  // 14:00: the afternoon's marks count; a pupil not yet marked this
  // afternoon is still in by the morning's mark.
  clock_.Set(D("2026-11-25"), 14 * 60);
  ASSERT_TRUE(Mark(teacher_, a_, "2026-11-25", "PM", "I").ok());  // went home ill
  ASSERT_TRUE(Mark(teacher_, absent, "2026-11-25", "PM", "U", "", "13:50").ok());
  day = registers().DayRegister(teacher_, "2026-11-25", class_3a_);
  ASSERT_TRUE(day.ok()) << day.status().message();
  EXPECT_EQ(day->latest, Session::kPm);
  rows.clear();
  for (const DayRegisterRow& r : day->pupils) rows.emplace(r.pupil_id, r);
  EXPECT_FALSE(rows.at(a_).in_school);
  ASSERT_TRUE(rows.at(a_).pm);
  EXPECT_EQ(rows.at(a_).pm->code, AttendanceCode::kIllness);
  EXPECT_TRUE(rows.at(late).in_school);
  EXPECT_TRUE(rows.at(absent).in_school);  // arrived after the register closed: on site
  EXPECT_EQ(day->in_school, 2);

  // Only those who may read the class's register.
  EXPECT_EQ(registers().DayRegister(teacher_, "2026-11-25", class_4b_).status().kind(),
            core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(registers().DayRegister(parent_, "2026-11-25", class_3a_).status().kind(),
            core::ErrorKind::kPermissionDenied);
  EXPECT_TRUE(registers().DayRegister(office_, "2026-11-25", class_4b_).ok());
  EXPECT_EQ(registers().DayRegister(office_, "2026-11-25", class_4b_ + 99).status().code(),
            core::kErrClassUnknown);
  EXPECT_EQ(registers().DayRegister(office_, "25/11/2026", class_3a_).status().code(),
            core::kErrDateInvalid);
}

TEST_F(RegistersTest, TheClassListGivesEachPupilsContactsToThoseWhoMayReadTheClass) {
  store::Pupil with_contacts = NewPupil("C909123400003", class_3a_);
  with_contacts.contacts = {{1, "Mrs C Parent", "Mother", "07700 900123", "c@example.org", {}},
                            {2, "Mr G Parent", "Grandfather", "07700 900456", "", {}}};
  const int64_t c = *store_->AddPupil(with_contacts);
  store::Pupil left = NewPupil("D909123400004", class_3a_);
  left.enrolments.front().end = D("2026-10-23");
  ASSERT_TRUE(store_->AddPupil(left).ok());
  ASSERT_TRUE(services_->Load().ok());

  for (const Principal& who : {teacher_, office_, head_, la_}) {
    core::StatusOr<ClassListView> list = services_->school_views().ClassList(who, class_3a_);
    ASSERT_TRUE(list.ok()) << who.name << ": " << list.status().message();
    EXPECT_EQ(list->school, "Test Primary");
    EXPECT_EQ(list->of_class.name, "3A");
    EXPECT_EQ(list->as_of, D("2026-11-25"));
    ASSERT_EQ(list->pupils.size(), 2u) << who.name;  // a_ and c; not the pupil who left
    const ClassListRow& row = list->pupils[0].pupil_id == c ? list->pupils[0] : list->pupils[1];
    EXPECT_EQ(row.pupil_id, c);
    EXPECT_EQ(row.name, NameOf(c));
    EXPECT_EQ(row.upn, "C909123400003");
    EXPECT_EQ(row.year_group, 3);
    EXPECT_EQ(row.date_of_birth, D("2018-05-01"));
    ASSERT_EQ(row.contacts.size(), 2u);
    EXPECT_EQ(row.contacts[0].name, "Mrs C Parent");
    EXPECT_EQ(row.contacts[0].phone, "07700 900123");
    EXPECT_EQ(row.contacts[1].relationship, "Grandfather");
  }
  // Not another class's teacher, nor a parent (even of a pupil in the class).
  EXPECT_EQ(services_->school_views().ClassList(teacher_, class_4b_).status().kind(),
            core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(services_->school_views().ClassList(parent_, class_3a_).status().kind(),
            core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(services_->school_views().ClassList(office_, class_4b_ + 99).status().code(),
            core::kErrClassUnknown);
}

TEST_F(RegistersTest, TheAmendmentsReportListsChangesNewestFirst) {
  ASSERT_TRUE(Mark(office_, a_, "2026-11-24", "AM", "N").ok());
  ASSERT_TRUE(Mark(office_, b_, "2026-11-24", "AM", "N").ok());
  ASSERT_TRUE(Mark(office_, a_, "2026-11-24", "AM", "I", "Mother phoned: ill").ok());
  clock_.AdvanceSeconds(60);
  ASSERT_TRUE(Mark(head_, b_, "2026-11-24", "AM", "M", "Dentist").ok());

  core::StatusOr<AmendmentReportView> report =
      registers().AmendmentReport(office_, {"2026-11-19", "2026-11-25", "", ""});
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->school, "Test Primary");
  EXPECT_EQ(report->from, D("2026-11-19"));
  EXPECT_EQ(report->to, D("2026-11-25"));
  ASSERT_EQ(report->lines.size(), 2u);  // first recordings are not amendments
  EXPECT_EQ(report->lines[0].pupil, NameOf(b_));
  EXPECT_EQ(report->lines[0].amendment.new_code, AttendanceCode::kMedical);
  EXPECT_EQ(report->lines[0].amendment.reason, "Dentist");
  EXPECT_EQ(report->lines[1].pupil, NameOf(a_));
  EXPECT_EQ(report->lines[1].amendment.old_code, AttendanceCode::kNoReasonYet);

  // By part of the amender's name, by a code changed from or to, by day.
  report = registers().AmendmentReport(office_, {"2026-11-19", "2026-11-25", "Head", ""});
  ASSERT_EQ(report->lines.size(), 1u);
  EXPECT_EQ(report->lines[0].amendment.pupil_id, b_);
  report = registers().AmendmentReport(office_, {"2026-11-19", "2026-11-25", "", "I"});
  ASSERT_EQ(report->lines.size(), 1u);
  EXPECT_EQ(report->lines[0].amendment.pupil_id, a_);
  EXPECT_EQ(
      registers().AmendmentReport(office_, {"2026-11-19", "2026-11-25", "", "N"})->lines.size(),
      2u);
  EXPECT_TRUE(
      registers().AmendmentReport(office_, {"2026-11-26", "2026-12-02", "", ""})->lines.empty());

  // Who may read it, then the days.
  EXPECT_TRUE(registers().AmendmentReport(la_, {"2026-11-19", "2026-11-25", "", ""}).ok());
  EXPECT_EQ(
      registers().AmendmentReport(teacher_, {"last week", "2026-11-25", "", ""}).status().code(),
      core::kErrForbidden);
  EXPECT_EQ(
      registers().AmendmentReport(office_, {"last week", "2026-11-25", "", ""}).status().code(),
      core::kErrDateInvalid);
}

}  // namespace
}  // namespace rollcall::service
