// Leave of absence through the service, as the web, the command line and
// scheduled jobs ask it: who may ask, decide and withdraw; the decision's
// letter; granted leave as the register's planned code; and coding refused
// leave taken anyway once the office confirms.
#include "service/leave.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "core/error_codes.h"
#include "service/school_fixture.h"
#include "store/store.h"

namespace rollcall::service {
namespace {

using rollcall::testing::D;

class LeaveTest : public SchoolFixture {
 protected:
  Leave& leave() { return services_->leave(); }

  core::StatusOr<LeaveView> Ask(const Principal& who, int64_t pupil, const char* from,
                                const char* to, const char* code = "C",
                                const std::string& received_on = "") {
    NewLeaveRequest r;
    r.pupil_id = pupil;
    r.from = from;
    r.to = to;
    r.code = code;
    r.reason = "Sister's wedding abroad";
    r.received_on = received_on;
    return leave().Request(who, r);
  }

  std::optional<PlannedCode> Planned(int64_t pupil, const char* date, core::Session s) {
    auto lock = services_->school().Read();
    const size_t index = services_->school().snapshot().pupil_index.at(pupil);
    return services_->part_time().PlannedCodeFor(index, {D(date), s});
  }
};

TEST_F(LeaveTest, AParentAsksAndTheHeadGrantsWithALetter) {
  EXPECT_EQ(Ask(parent_, b_, "2026-12-07", "2026-12-08").status().kind(),
            core::ErrorKind::kPermissionDenied);  // not their child
  EXPECT_EQ(Ask(teacher_, a_, "2026-12-07", "2026-12-08").status().kind(),
            core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(Ask(parent_, a_, "2026-12-07", "2026-12-08", "G").status().code(),
            core::kErrLeaveInvalid);  // not a leave code
  EXPECT_EQ(Ask(parent_, a_, "2026-12-07", "2026-12-08", "C", "2026-11-01").status().code(),
            core::kErrValueInvalid);  // the school says when it received it
  EXPECT_EQ(Ask(parent_, a_, "2026-12-19", "2026-12-20").status().code(),
            core::kErrLeaveInvalid);  // no open session
  EXPECT_EQ(Ask(parent_, a_, "7 December", "2026-12-08").status().code(), core::kErrDateInvalid);
  {
    auto lock = services_->school().Read();
    EXPECT_TRUE(services_->school().snapshot().leave_requests.empty());  // nothing kept
  }

  core::StatusOr<LeaveView> asked = Ask(parent_, a_, "2026-12-07", "2026-12-08");
  ASSERT_TRUE(asked.ok()) << asked.status().message();
  EXPECT_EQ(LeaveStatusName(*asked), "pending");
  EXPECT_EQ(asked->sessions.size(), 4u);
  EXPECT_EQ(asked->r.by_role, store::Role::kParent);
  EXPECT_EQ(asked->r.received_on, D("2026-11-25"));
  ASSERT_FALSE(asked->warnings.empty());
  const std::string id = std::to_string(asked->r.id);

  // Only the head decides, with a reason that goes in the letter.
  EXPECT_EQ(leave().Decide(office_, {id, "granted", "x"}).status().kind(),
            core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(leave().Decide(head_, {id, "granted", ""}).status().code(), core::kErrValueInvalid);
  EXPECT_EQ(leave().Decide(head_, {id, "maybe", "x"}).status().code(), core::kErrLeaveInvalid);
  EXPECT_EQ(leave().Decide(head_, {"99", "granted", "x"}).status().code(), core::kErrLeaveUnknown);
  core::StatusOr<store::LeaveDecision> granted =
      leave().Decide(head_, {id, "granted", "a once-in-a-lifetime family event"});
  ASSERT_TRUE(granted.ok()) << granted.status().message();
  EXPECT_EQ(granted->decision, store::LeaveOutcome::kGranted);
  EXPECT_EQ(granted->by_user_id, head_.user_id);
  ASSERT_TRUE(granted->letter_id);
  EXPECT_EQ(leave().Decide(head_, {id, "refused", "x"}).status().code(), core::kErrLeaveDecided);

  const store::Letter letter = *store_->GetLetter(*granted->letter_id);
  EXPECT_EQ(letter.template_key, "leave_granted");
  EXPECT_EQ(letter.addressee, "Parent or carer of Pupil A");
  EXPECT_EQ(letter.by_name, "Mrs Head");
  EXPECT_NE(letter.body.find("a once-in-a-lifetime family event"), std::string::npos);
  EXPECT_NE(letter.body.find("Mon 7 December 2026 (morning)"), std::string::npos) << letter.body;
  EXPECT_NE(letter.body.find("recorded as C (leave: exceptional"), std::string::npos);
  EXPECT_EQ(letter.figures_json, R"({"request":1,"sessions":4,"code":"C"})");

  // Everyone who may see the pupil sees the decision; the register plans C.
  for (const Principal* who : {&parent_, &teacher_, &office_}) {
    const std::vector<LeaveView> seen = leave().Views(*who, std::nullopt);
    ASSERT_EQ(seen.size(), 1u) << who->name;
    EXPECT_EQ(LeaveStatusName(seen[0]), "granted");
  }
  const std::optional<PlannedCode> planned = Planned(a_, "2026-12-07", core::Session::kAm);
  ASSERT_TRUE(planned);
  EXPECT_EQ(planned->code, core::AttendanceCode::kExceptional);
  EXPECT_EQ(planned->reason, "Leave of absence granted (request 1)");
  EXPECT_FALSE(Planned(a_, "2026-12-09", core::Session::kAm));
  EXPECT_FALSE(Planned(b_, "2026-12-07", core::Session::kAm));
}

TEST_F(LeaveTest, NeverGrantedRetrospectivelyAndWithdrawnByWhoeverMayAsk) {
  // Entered by the office; this morning's session has begun (10:00).
  core::StatusOr<LeaveView> late = Ask(office_, b_, "2026-11-25", "2026-11-26", "M", "2026-11-20");
  ASSERT_TRUE(late.ok()) << late.status().message();
  EXPECT_EQ(late->r.received_on, D("2026-11-20"));
  const std::string late_id = std::to_string(late->r.id);
  EXPECT_EQ(leave().Decide(head_, {late_id, "granted", "ok"}).status().code(),
            core::kErrLeaveRetrospective);
  // The parent may neither withdraw another family's request nor decide
  // their own.
  EXPECT_EQ(leave().Withdraw(parent_, late_id).status().kind(), core::ErrorKind::kPermissionDenied);
  core::StatusOr<LeaveView> mine = Ask(parent_, a_, "2026-12-14", "2026-12-14", "M");
  ASSERT_TRUE(mine.ok());
  const std::string mine_id = std::to_string(mine->r.id);
  EXPECT_EQ(leave().Decide(parent_, {mine_id, "granted", "x"}).status().kind(),
            core::ErrorKind::kPermissionDenied);
  core::StatusOr<store::LeaveDecision> withdrawn = leave().Withdraw(parent_, mine_id);
  ASSERT_TRUE(withdrawn.ok()) << withdrawn.status().message();
  EXPECT_EQ(withdrawn->decision, store::LeaveOutcome::kWithdrawn);
  EXPECT_FALSE(withdrawn->letter_id);
  const std::vector<LeaveView> parents = leave().Views(parent_, std::nullopt);
  ASSERT_EQ(parents.size(), 1u);  // only their child's
  EXPECT_EQ(LeaveStatusName(parents[0]), "withdrawn");
  // The pupil's page: the parent may ask, not decide; the head both.
  core::StatusOr<PupilLeave> page = leave().ForPupil(parent_, a_);
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->may_ask);
  EXPECT_FALSE(page->may_decide);
  EXPECT_FALSE(page->may_date_receipt);
  page = leave().ForPupil(head_, a_);
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->may_decide);
  EXPECT_TRUE(page->may_date_receipt);
  EXPECT_EQ(leave().ForPupil(parent_, b_).status().kind(), core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(leave().PupilOf(mine_id), a_);
}

TEST_F(LeaveTest, RefusedLeaveTakenIsCodedGOnceTheOfficeConfirms) {
  core::StatusOr<LeaveView> asked = Ask(office_, b_, "2026-11-30", "2026-12-01", "C", "2026-11-18");
  ASSERT_TRUE(asked.ok()) << asked.status().message();
  const std::string id = std::to_string(asked->r.id);
  ASSERT_TRUE(leave().Decide(head_, {id, "refused", "a holiday is not exceptional"}).ok());
  core::StatusOr<LeaveWorklist> work = leave().Worklist(office_);
  ASSERT_TRUE(work.ok());
  EXPECT_TRUE(work->pending.empty());
  EXPECT_TRUE(work->follow_ups.empty());  // not taken yet

  clock_.Set(D("2026-12-01"), 15 * 60);
  for (const char* day : {"2026-11-30", "2026-12-01"}) {
    for (const char* s : {"AM", "PM"}) ASSERT_TRUE(Mark(office_, b_, day, s, "N").ok());
  }
  work = leave().Worklist(office_);
  ASSERT_TRUE(work.ok());
  ASSERT_EQ(work->follow_ups.size(), 1u);
  EXPECT_EQ(work->follow_ups[0].kind, "taken");
  EXPECT_EQ(work->follow_ups[0].sessions.size(), 4u);
  EXPECT_EQ(work->follow_ups[0].code, core::AttendanceCode::kHolidayNotGranted);
  EXPECT_EQ(leave().Worklist(teacher_).status().kind(), core::ErrorKind::kPermissionDenied);

  EXPECT_EQ(leave().CodeFollowUp(teacher_, id, "taken").status().kind(),
            core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(leave().CodeFollowUp(office_, id, "overstay").status().code(),
            core::kErrLeaveUnknown);  // it was refused, not granted
  core::StatusOr<int> coded = leave().CodeFollowUp(office_, id, "taken");
  ASSERT_TRUE(coded.ok()) << coded.status().message();
  EXPECT_EQ(*coded, 4);
  const std::vector<store::Amendment> trail = *store_->AmendmentsForPupil(b_);
  ASSERT_FALSE(trail.empty());
  EXPECT_EQ(trail.back().new_code, core::AttendanceCode::kHolidayNotGranted);
  EXPECT_EQ(trail.back().reason, "Leave refused (request 1) and taken");
  EXPECT_TRUE(leave().Worklist(office_)->follow_ups.empty());
}

TEST(LeaveLetterTest, IsAddressedToTheFirstParentAndQuotesTheRequest) {
  store::Pupil p;
  p.legal_given_name = "Amira";
  p.legal_family_name = "Khan";
  p.preferred_given_name = "Amy";
  p.contacts.push_back({});
  p.contacts[0].name = "Mrs A Khan";
  p.contacts[0].parental_responsibility = true;
  store::LeaveRequest r{.id = 7,
                        .pupil_id = 42,
                        .from = {D("2026-12-07"), core::Session::kPm},
                        .to = {D("2026-12-07"), core::Session::kPm},
                        .code = core::AttendanceCode::kMedical,
                        .reason = "Orthodontist"};
  const store::Letter l = LeaveLetter("Test Primary", "Mrs Head", p, r, 1,
                                      store::LeaveOutcome::kRefused, "it can be after school");
  EXPECT_EQ(l.pupil_id, 42);
  EXPECT_EQ(l.template_key, "leave_refused");
  EXPECT_EQ(l.addressee, "Mrs A Khan");
  EXPECT_NE(l.subject.find("Amy Khan"), std::string::npos) << l.subject;
  EXPECT_NE(l.body.find("Mon 7 December 2026 (afternoon)"), std::string::npos) << l.body;
  EXPECT_NE(l.body.find("it can be after school"), std::string::npos);
  EXPECT_EQ(l.figures_json, R"({"request":7,"sessions":1,"code":"M"})");
}

}  // namespace
}  // namespace rollcall::service
