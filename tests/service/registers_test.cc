// The registers as the register page and the amendments report read them:
// the page's choice of class and session, one pupil's row after a mark,
// marking everyone not yet marked, and the report of the school's
// amendments.
#include "service/registers.h"

#include <gtest/gtest.h>

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
