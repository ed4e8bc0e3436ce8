// retention_test.cc: the purge keeps what is inside its period and removes
// what is past it, never anything of a pupil on hold; the dry run changes
// nothing; each purge is logged; the school is read again after; the
// register's six years cannot be shortened; the nightly purge runs only
// when turned on, in its window, once a night.
#include "service/retention.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "core/error_codes.h"
#include "service/school_fixture.h"

namespace rollcall::service {
namespace {

using core::Status;
using core::StatusOr;

// Noon UTC of `day`.
int64_t NoonOf(const char* day) { return int64_t{D(day).days()} * 86400 + 12 * 3600; }

const store::PurgeCount& CountOf(const PurgePlan& plan, std::string_view kind) {
  auto it = std::find_if(plan.counts.begin(), plan.counts.end(),
                         [&](const store::PurgeCount& c) { return c.kind == kind; });
  EXPECT_NE(it, plan.counts.end()) << kind;
  return *it;
}

// Today is 2026-11-25, so a record made before 2020-11-25 is past six years.
// c_ has been on roll since 2018 and has a mark, an amendment and a call
// from 2019 and a mark from 2021; d_ left in July 2019 and has a mark and a
// call from 2019; e_ (an open CME case) and f_ (an open penalty case) have
// a 2019 mark each, held.
class RetentionTest : public SchoolFixture {
 protected:
  RetentionTest() {
    EXPECT_TRUE(store_->AddTerm({0, "Autumn 2019", D("2019-09-02"), D("2019-12-18")}).ok());
    EXPECT_TRUE(store_->AddTerm({0, "Summer 2019", D("2019-04-23"), D("2019-07-19")}).ok());
    EXPECT_TRUE(store_->AddTerm({0, "Autumn 2021", D("2021-09-01"), D("2021-12-17")}).ok());
    c_ = AddOldPupil("C909123400003", std::nullopt);
    d_ = AddOldPupil("D909123400004", D("2019-07-19"));
    e_ = AddOldPupil("E909123400005", std::nullopt);
    f_ = AddOldPupil("F909123400006", std::nullopt);
    OldMark(c_, "2019-10-01", core::AttendanceCode::kNoReasonYet);
    OldMark(c_, "2019-10-01", core::AttendanceCode::kIllness);  // the amendment
    OldMark(c_, "2021-10-01", core::AttendanceCode::kPresentAm);
    OldMark(d_, "2019-06-03", core::AttendanceCode::kPresentAm);
    OldMark(e_, "2019-10-01", core::AttendanceCode::kPresentAm);
    OldMark(f_, "2019-10-01", core::AttendanceCode::kPresentAm);
    Call(c_, "2019-06-01");
    Call(d_, "2019-06-01");
    EXPECT_TRUE(
        store_
            ->OpenCmeCase(
                {.pupil_id = e_, .first_day = D("2026-11-20"), .opened_at = NoonOf("2026-11-20")})
            .ok());
    store::PenaltyCase pc;
    pc.pupil_id = f_;
    pc.alert = {D("2026-11-20"), core::Session::kAm};
    pc.evidence = "2026-11-20 AM G";
    pc.opened_at = NoonOf("2026-11-20");
    EXPECT_TRUE(store_->OpenPenaltyCase(pc).ok());
    // The school read again, without the case checks (which would close
    // e_'s case: the test's school has no absence behind it).
    EXPECT_TRUE(services_->school().Load().ok());
  }

  int64_t AddOldPupil(const std::string& upn, std::optional<core::Date> left) {
    store::Pupil p = NewPupil(upn, class_4b_);
    p.enrolments = {{D("2018-09-03"), left, left ? "a" : "", left ? "Another School" : ""}};
    return *store_->AddPupil(p);
  }
  void OldMark(int64_t pupil, const char* day, core::AttendanceCode code) {
    store::MarkWrite w{.pupil_id = pupil, .slot = {D(day), core::Session::kAm}, .code = code};
    w.reason = "late note";
    ASSERT_TRUE(
        store_->SaveMarks({w}, {office_.user_id, "Ms Office", store::Role::kOffice}, NoonOf(day))
            .ok());
  }
  void Call(int64_t pupil, const char* day) {
    store::ContactLogEntry e;
    e.pupil_id = pupil;
    e.at = NoonOf(day);
    e.contact_name = "Mother";
    e.note = "ill";
    e.by_name = "Ms Office";
    ASSERT_TRUE(store_->AddContactLogEntry(e).ok());
  }
  size_t MarkCount(int64_t pupil) { return store_->MarksForPupil(pupil)->size(); }

  Retention& retention() { return services_->retention(); }
  int64_t c_ = 0, d_ = 0, e_ = 0, f_ = 0;
};

TEST_F(RetentionTest, DryRunCountsWhatWouldGoAndChangesNothing) {
  StatusOr<PurgePlan> plan = retention().DryRun(head_);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_FALSE(plan->applied);
  const store::PurgeCount& marks = CountOf(*plan, "marks");
  EXPECT_EQ(marks.before, D("2020-11-25"));
  EXPECT_EQ(marks.rows, 2);  // c_'s and d_'s 2019 marks
  EXPECT_EQ(marks.held, 2);  // e_'s and f_'s
  // c_'s two audit rows of 2019, d_'s one; e_ and f_ held.
  EXPECT_EQ(CountOf(*plan, "mark_amendments").rows, 3);
  EXPECT_EQ(CountOf(*plan, "mark_amendments").held, 2);
  // Counted after leaving: only d_, who left in 2019.
  EXPECT_EQ(CountOf(*plan, "contact_log").rows, 1);
  ASSERT_EQ(plan->held.size(), 2u);
  EXPECT_EQ(plan->held[0].pupil_id, e_);
  EXPECT_EQ(plan->held[0].reasons, std::vector<std::string>{"open CME case"});
  EXPECT_EQ(plan->held[1].pupil_id, f_);
  EXPECT_EQ(plan->held[1].reasons, std::vector<std::string>{"open penalty case"});
  // Nothing changed, nothing logged.
  EXPECT_EQ(MarkCount(c_), 2u);
  EXPECT_EQ(MarkCount(d_), 1u);
  EXPECT_TRUE(store_->ListPurgeLog(10)->empty());
}

TEST_F(RetentionTest, ApplyRemovesWhatIsPastItsPeriodKeepsTheRestAndLogs) {
  StatusOr<PurgePlan> done = retention().Apply(head_);
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_TRUE(done->applied);
  EXPECT_EQ(CountOf(*done, "marks").rows, 2);
  // c_ keeps only the 2021 mark and its audit row.
  std::vector<store::Mark> marks = *store_->MarksForPupil(c_);
  ASSERT_EQ(marks.size(), 1u);
  EXPECT_EQ(marks[0].slot.date, D("2021-10-01"));
  std::vector<store::Amendment> audit = *store_->AmendmentsForPupil(c_);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].slot.date, D("2021-10-01"));
  EXPECT_EQ(MarkCount(d_), 0u);
  // The held keep everything.
  EXPECT_EQ(MarkCount(e_), 1u);
  EXPECT_EQ(MarkCount(f_), 1u);
  EXPECT_EQ(store_->AmendmentsForPupil(e_)->size(), 1u);
  // c_ is still on roll: the call is kept; d_ left in 2019: gone.
  EXPECT_EQ(store_->ContactLogForPupil(c_)->size(), 1u);
  EXPECT_EQ(store_->ContactLogForPupil(d_)->size(), 0u);
  // One log row per kind, by the head, with the counts and never content.
  std::vector<store::PurgeLogEntry> log = *store_->ListPurgeLog(100);
  ASSERT_EQ(log.size(), store::kRetentionKinds.size());
  for (const store::PurgeLogEntry& e : log) {
    EXPECT_EQ(e.by, "Mrs Head");
    EXPECT_EQ(e.at, clock_.NowSeconds());
    if (e.kind == "marks") {
      EXPECT_EQ(e.rows, 2);
      EXPECT_EQ(e.held, 2);
      EXPECT_EQ(e.up_to, D("2020-11-25"));
    }
  }
  // The school was read again: the purged mark is gone from the pages'
  // snapshot too.
  {
    auto lock = services_->school().Read();
    const Snapshot& s = services_->school().snapshot();
    const size_t i = s.pupil_index.at(c_);
    EXPECT_FALSE(
        services_->school().MarkAt(i, {D("2019-10-01"), core::Session::kAm}).code.has_value());
    EXPECT_TRUE(
        services_->school().MarkAt(i, {D("2021-10-01"), core::Session::kAm}).code.has_value());
  }
  // A second purge finds nothing more.
  StatusOr<PurgePlan> again = retention().DryRun(head_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->total(), 0);
}

TEST_F(RetentionTest, AHoldEndsWhenTheCaseCloses) {
  const store::CmeCase open = **store_->OpenCmeCaseOf(e_);
  ASSERT_TRUE(
      store_->CloseCmeCase(open.id, clock_.NowSeconds(), "back in school", "Mrs Head").ok());
  StatusOr<PurgePlan> plan = retention().DryRun(head_);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(CountOf(*plan, "marks").rows, 3);
  ASSERT_EQ(plan->held.size(), 1u);
  EXPECT_EQ(plan->held[0].pupil_id, f_);
}

TEST_F(RetentionTest, OnlyTheHeadManagesRetention) {
  for (const Principal* who : {&office_, &teacher_, &parent_, &la_}) {
    EXPECT_EQ(retention().DryRun(*who).status().kind(), core::ErrorKind::kPermissionDenied);
    EXPECT_EQ(retention().Apply(*who).status().kind(), core::ErrorKind::kPermissionDenied);
    EXPECT_EQ(retention().Periods(*who).status().kind(), core::ErrorKind::kPermissionDenied);
    EXPECT_EQ(retention().SetAutoPurge(*who, true).kind(), core::ErrorKind::kPermissionDenied);
  }
  EXPECT_EQ(MarkCount(d_), 1u);
}

TEST_F(RetentionTest, TheRegistersSixYearsCannotBeShortened) {
  const Status shorter =
      retention().SetPeriod(head_, "marks", 60, store::RetentionBasis::kMade, "space");
  EXPECT_EQ(shorter.kind(), core::ErrorKind::kInvalidArgument);
  EXPECT_NE(shorter.message().find("six years"), std::string::npos) << shorter.message();
  EXPECT_EQ(retention().SetPeriod(head_, "marks", 84, store::RetentionBasis::kMade, "").kind(),
            core::ErrorKind::kInvalidArgument);  // no reason
  EXPECT_EQ(retention().SetPeriod(head_, "minutes", 12, store::RetentionBasis::kMade, "x").kind(),
            core::ErrorKind::kInvalidArgument);  // no such kind
  ASSERT_TRUE(
      retention().SetPeriod(head_, "marks", 86, store::RetentionBasis::kMade, "LA asked").ok());
  // A non-statutory kind may be shortened.
  ASSERT_TRUE(retention()
                  .SetPeriod(head_, "messages", 6, store::RetentionBasis::kMade, "policy review")
                  .ok());
  std::vector<RetentionPeriod> periods = *retention().Periods(head_);
  EXPECT_EQ(periods[0].months, 86);
  ASSERT_TRUE(periods[0].change.has_value());
  EXPECT_EQ(periods[0].change->reason, "LA asked");
  EXPECT_EQ(periods[0].change->set_by, "Mrs Head");
  // Seven years and two months: c_'s October 2019 mark stays.
  StatusOr<PurgePlan> plan = retention().DryRun(head_);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(CountOf(*plan, "marks").before, D("2019-09-25"));
  EXPECT_EQ(CountOf(*plan, "marks").rows, 1);  // d_'s June 2019 mark only
}

TEST_F(RetentionTest, TheNightlyPurgeRunsOnlyWhenOnInItsWindowOnceANight) {
  clock_.Set(D("2026-11-26"), 2 * 60 + 30);
  StatusOr<std::optional<PurgePlan>> run = retention().RunDue();
  ASSERT_TRUE(run.ok());
  EXPECT_FALSE(run->has_value());  // off by default
  EXPECT_EQ(MarkCount(d_), 1u);
  ASSERT_TRUE(retention().SetAutoPurge(head_, true).ok());
  clock_.Set(D("2026-11-26"), 10 * 60);
  run = retention().RunDue();
  ASSERT_TRUE(run.ok());
  EXPECT_FALSE(run->has_value());  // not in the day
  clock_.Set(D("2026-11-26"), 2 * 60 + 30);
  run = retention().RunDue();
  ASSERT_TRUE(run.ok()) << run.status().message();
  ASSERT_TRUE(run->has_value());
  EXPECT_EQ(CountOf(**run, "marks").rows, 2);
  EXPECT_EQ(MarkCount(d_), 0u);
  EXPECT_EQ(store_->ListPurgeLog(1)->at(0).by, "scheduled");
  // Once a night, even in another process.
  Retention other(services_->school());
  run = other.RunDue();
  ASSERT_TRUE(run.ok());
  EXPECT_FALSE(run->has_value());
  EXPECT_EQ(store_->ListPurgeLog(100)->size(), store::kRetentionKinds.size());
}

TEST(RetentionCutoffTest, MonthsBackClampedToTheMonthsEnd) {
  EXPECT_EQ(RetentionCutoff(D("2026-11-25"), 72), D("2020-11-25"));
  EXPECT_EQ(RetentionCutoff(D("2026-01-15"), 1), D("2025-12-15"));
  EXPECT_EQ(RetentionCutoff(D("2026-03-31"), 1), D("2026-02-28"));
  EXPECT_EQ(RetentionCutoff(D("2026-02-28"), 24), D("2024-02-28"));
  EXPECT_EQ(MonthsText(72), "6 years");
  EXPECT_EQ(MonthsText(12), "1 year");
  EXPECT_EQ(MonthsText(18), "18 months");
}

}  // namespace
}  // namespace rollcall::service
