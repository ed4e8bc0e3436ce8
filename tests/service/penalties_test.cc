// Penalty-notice cases through the service, as the web, the command line and
// scheduled jobs reach them: who may read, decide and record payments; the
// order a case's events must come in; a notice per parent with its amounts;
// an exclusion notice case; and the evidence pack, generated and stored as
// generated.
#include "service/penalties.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/error_codes.h"
#include "service/school_fixture.h"
#include "store/store.h"

namespace rollcall::service {
namespace {

// The fixture's school, with pupil c_ (3A) whose two parents are contacts,
// and an officer of the school's LA.
class PenaltiesTest : public SchoolFixture {
 protected:
  PenaltiesTest() {
    store::Pupil p = NewPupil("C909123400003", class_3a_);
    p.date_of_birth = D("2018-03-01");
    p.sex = "M";
    p.contacts.push_back({1, "Mrs C Parent", "Mother", "", "", std::nullopt});
    p.contacts.push_back({2, "Mr C Parent", "Father", "", "", std::nullopt});
    c_ = *store_->AddPupil(p);
    EXPECT_TRUE(services_->Load().ok());
  }

  Penalties& penalties() { return services_->penalties(); }

  // Ten G sessions (holiday not agreed) for c_ from Monday 16 November: the
  // national threshold, met on Friday 20 November PM, opens case 1.
  void HolidayWeek() {
    for (const char* day : {"2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"}) {
      for (const char* session : {"AM", "PM"}) {
        ASSERT_TRUE(Mark(office_, c_, day, session, "G").ok()) << day << " " << session;
      }
    }
  }

  core::StatusOr<store::PenaltyEvent> Event(const Principal& who, PenaltyEventRequest r) {
    if (r.case_id.empty()) r.case_id = "1";
    return penalties().AddEvent(who, r);
  }

  int64_t c_ = 0;
};

TEST_F(PenaltiesTest, AThresholdCaseIsReadByTheOfficeTheHeadAndTheLaOnly) {
  HolidayWeek();
  core::StatusOr<std::vector<PenaltyView>> cases = penalties().Cases(office_);
  ASSERT_TRUE(cases.ok()) << cases.status().message();
  ASSERT_EQ(cases->size(), 1u);
  const PenaltyView& v = cases->front();
  EXPECT_EQ(v.c.pupil_id, c_);
  EXPECT_EQ(v.c.alert.date, D("2026-11-20"));
  EXPECT_EQ(v.stage, core::PenaltyStage::kAwaitingDecision);
  ASSERT_EQ(v.parents.size(), 2u);
  EXPECT_EQ(v.parents[0].action, core::PenaltyAction::kFirstNotice);
  EXPECT_EQ(PenaltyJson(v)["stage"], "awaiting_decision");
  EXPECT_TRUE(penalties().Cases(la_).ok());
  EXPECT_EQ(penalties().Cases(head_, c_)->size(), 1u);
  EXPECT_TRUE(penalties().Cases(head_, a_)->empty());
  for (const Principal& who : {teacher_, parent_}) {
    EXPECT_EQ(penalties().Cases(who).status().kind(), core::ErrorKind::kPermissionDenied);
    EXPECT_EQ(penalties().Case(who, "1").status().kind(), core::ErrorKind::kPermissionDenied);
  }
  // A case that does not exist, however it is written.
  EXPECT_EQ(penalties().Case(office_, "2").status().code(), core::kErrPenaltyCaseUnknown);
  EXPECT_EQ(penalties().Case(teacher_, "abc").status().code(), core::kErrPenaltyCaseUnknown);
  // The head decides; the office sees the forms for payments only.
  EXPECT_TRUE(penalties().RightsOf(head_).decide);
  EXPECT_FALSE(penalties().RightsOf(office_).decide);
  EXPECT_TRUE(penalties().RightsOf(office_).record_payment);
  EXPECT_FALSE(penalties().RightsOf(teacher_).record_payment);
  // Waiting on the head's decision: on Today's list.
  ASSERT_EQ(penalties().ToActOn(office_)->size(), 1u);
}

TEST_F(PenaltiesTest, TheHeadDecidesAndEventsComeInTheirOrder) {
  HolidayWeek();
  EXPECT_EQ(Event(office_, {.kind = "decision", .decision = "penalty_notice", .text = "x"})
                .status()
                .kind(),
            core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(Event(head_, {.kind = "decision"}).status().code(), core::kErrRequiredKey);
  EXPECT_EQ(Event(head_, {.kind = "fine"}).status().code(), core::kErrPenaltyEvent);
  // A decision that names none is refused with those there are.
  const core::StatusOr<store::PenaltyEvent> unknown =
      Event(head_, {.kind = "decision", .decision = "fine_them", .text = "x"});
  EXPECT_EQ(unknown.status().code(), core::kErrPenaltyEvent);
  EXPECT_EQ(unknown.status().message(),
            "penalty case decision: the decision is support_first, notice_to_improve, "
            "penalty_notice or no_action");
  EXPECT_EQ(Event(head_, {.kind = "decision", .decision = "support_first", .on = "2026-11-26"})
                .status()
                .code(),
            core::kErrValueInvalid);  // not yet happened
  EXPECT_EQ(Event(head_, {.case_id = "9", .kind = "closed", .text = "x"}).status().code(),
            core::kErrPenaltyCaseUnknown);
  EXPECT_EQ(Event(head_, {.kind = "notice", .parent = "Mrs C Parent"}).status().code(),
            core::kErrPenaltyEvent);  // no decision for a notice yet

  core::StatusOr<store::PenaltyEvent> decided =
      Event(head_, {.kind = "decision", .decision = "notice_to_improve", .text = "First time"});
  ASSERT_TRUE(decided.ok()) << decided.status().message();
  EXPECT_EQ(decided->by_name, "Mrs Head");
  EXPECT_EQ(decided->on, D("2026-11-25"));
  // The improvement period is 3 to 6 weeks.
  EXPECT_EQ(Event(head_, {.kind = "nti", .end = "2026-12-10"}).status().code(),
            core::kErrPenaltyEvent);
  ASSERT_TRUE(Event(head_, {.kind = "nti", .end = "2026-12-22", .text = "No more G"}).ok());
  EXPECT_EQ(Event(head_, {.kind = "nti", .end = "2026-12-22"}).status().kind(),
            core::ErrorKind::kConflict);  // one per case
  EXPECT_EQ(Event(head_, {.kind = "nti_outcome", .outcome = "improved"}).status().kind(),
            core::ErrorKind::kConflict);  // still running
  core::StatusOr<PenaltyView> v = penalties().Case(office_, "1");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->stage, core::PenaltyStage::kNtiRunning);
  EXPECT_EQ(v->next_step, "Improvement period until 2026-12-22");
  EXPECT_TRUE(penalties().ToActOn(office_)->empty());  // waiting on the family

  // The period ends and worked: the case closes, and takes no more events.
  clock_.Set(D("2026-12-23"), 10 * 60);
  EXPECT_EQ(penalties().Case(office_, "1")->stage, core::PenaltyStage::kNtiEnded);
  const core::StatusOr<store::PenaltyEvent> better =
      Event(la_, {.kind = "nti_outcome", .outcome = "better"});
  EXPECT_EQ(better.status().code(), core::kErrPenaltyEvent);
  EXPECT_EQ(better.status().message(),
            "penalty case nti_outcome: the outcome is improved or not_improved");
  ASSERT_TRUE(Event(la_, {.kind = "nti_outcome", .outcome = "improved"}).ok());
  ASSERT_TRUE(Event(head_, {.kind = "closed", .text = "Improved"}).ok());
  EXPECT_EQ(penalties().Case(office_, "1")->stage, core::PenaltyStage::kClosed);
  EXPECT_EQ(
      Event(head_, {.kind = "decision", .decision = "no_action", .text = "x"}).status().kind(),
      core::ErrorKind::kConflict);
}

TEST_F(PenaltiesTest, ANoticeGoesToEachParentOnceAndIsPaidAtTheAmountDue) {
  HolidayWeek();
  ASSERT_TRUE(Event(head_, {.kind = "decision", .decision = "penalty_notice", .text = "G"}).ok());
  EXPECT_EQ(Event(head_, {.kind = "notice", .parent = "Nobody"}).status().code(),
            core::kErrValueInvalid);
  EXPECT_EQ(Event(head_, {.kind = "notice", .parent = "Mrs C Parent", .on = "2026-11-19"})
                .status()
                .code(),
            core::kErrValueInvalid);  // before the threshold was met
  core::StatusOr<store::PenaltyEvent> notice =
      Event(head_, {.kind = "notice", .parent = "Mrs C Parent"});
  ASSERT_TRUE(notice.ok()) << notice.status().message();
  EXPECT_EQ(notice->notice_number, 1);
  EXPECT_EQ(notice->amount_pence, 8000);
  EXPECT_EQ(Event(head_, {.kind = "notice", .parent = "Mrs C Parent"}).status().code(),
            core::kErrPenaltyEvent);  // one per parent per child
  core::StatusOr<PenaltyView> v = penalties().Case(office_, "1");
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->notices.size(), 1u);
  EXPECT_EQ(v->notices[0].terms.full_pence, 16000);
  EXPECT_EQ(v->notices[0].status, core::NoticeStatus::kDueReduced);
  EXPECT_TRUE(v->parents[0].issued_here);
  EXPECT_FALSE(v->parents[1].issued_here);

  const int64_t id = notice->id;
  EXPECT_EQ(Event(office_, {.kind = "payment", .amount_pence = 8000}).status().code(),
            core::kErrRequiredKey);  // which notice?
  EXPECT_EQ(Event(office_, {.kind = "payment", .notice_id = id + 99, .amount_pence = 8000})
                .status()
                .code(),
            core::kErrPenaltyNoticeUnknown);
  EXPECT_EQ(
      Event(teacher_, {.kind = "payment", .notice_id = id, .amount_pence = 8000}).status().kind(),
      core::ErrorKind::kPermissionDenied);
  core::StatusOr<store::PenaltyEvent> wrong =
      Event(office_, {.kind = "payment", .notice_id = id, .amount_pence = 16000});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().message(), "£80.00 was due on 2026-11-25, not £160.00");
  // Not for the prosecutor while it can still be paid.
  EXPECT_EQ(Event(la_, {.kind = "prosecution", .notice_id = id}).status().kind(),
            core::ErrorKind::kConflict);
  ASSERT_TRUE(Event(office_, {.kind = "payment", .notice_id = id, .amount_pence = 8000}).ok());
  EXPECT_EQ(
      Event(office_, {.kind = "payment", .notice_id = id, .amount_pence = 8000}).status().kind(),
      core::ErrorKind::kConflict);  // already paid
  EXPECT_EQ(penalties().Case(office_, "1")->notices[0].status, core::NoticeStatus::kPaid);
}

TEST_F(PenaltiesTest, AnExcludedPupilSeenInPublicOpensAnExclusionCase) {
  for (const char* session : {"AM", "PM"}) {
    ASSERT_TRUE(Mark(office_, c_, "2026-11-24", session, "E", "Suspended").ok());
  }
  ExclusionCaseRequest r{.pupil_id = c_,
                         .date = "2026-11-24",
                         .session = "PM",
                         .text = "Seen in the shopping centre at 14:00"};
  EXPECT_EQ(penalties().OpenExclusionCase(office_, r).status().kind(),
            core::ErrorKind::kPermissionDenied);
  ExclusionCaseRequest no_date = r;
  no_date.date = std::nullopt;
  EXPECT_EQ(penalties().OpenExclusionCase(head_, no_date).status().code(), core::kErrRequiredKey);
  ExclusionCaseRequest not_excluded = r;
  not_excluded.date = "2026-11-23";
  EXPECT_EQ(penalties().OpenExclusionCase(head_, not_excluded).status().code(),
            core::kErrPenaltyEvent);
  ExclusionCaseRequest nobody = r;
  nobody.pupil_id = c_ + 99;
  EXPECT_EQ(penalties().OpenExclusionCase(head_, nobody).status().code(), core::kErrPupilUnknown);

  core::StatusOr<int64_t> id = penalties().OpenExclusionCase(head_, r);
  ASSERT_TRUE(id.ok()) << id.status().message();
  core::StatusOr<PenaltyView> v = penalties().Case(la_, std::to_string(*id));
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->c.kind, store::PenaltyCaseKind::kExclusion);
  EXPECT_NE(v->c.evidence.find("school day 1 of the exclusion"), std::string::npos)
      << v->c.evidence;
  ASSERT_TRUE(Event(head_, {.case_id = std::to_string(*id),
                            .kind = "decision",
                            .decision = "penalty_notice",
                            .text = "In public while suspended"})
                  .ok());
  core::StatusOr<store::PenaltyEvent> notice =
      Event(la_, {.case_id = std::to_string(*id), .kind = "notice", .parent = "Mr C Parent"});
  ASSERT_TRUE(notice.ok()) << notice.status().message();
  EXPECT_EQ(notice->amount_pence, 6000);  // an exclusion notice: £60, then £120
}

TEST_F(PenaltiesTest, AnEvidencePackIsStoredAsGeneratedAndReadBack) {
  HolidayWeek();
  EXPECT_EQ(penalties().GenerateEvidencePack(office_, "1").status().kind(),
            core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(penalties().GenerateEvidencePack(head_, "7").status().code(),
            core::kErrPenaltyCaseUnknown);
  core::StatusOr<store::EvidencePack> made = penalties().GenerateEvidencePack(head_, "1");
  ASSERT_TRUE(made.ok()) << made.status().message();
  EXPECT_EQ(made->case_id, 1);
  EXPECT_EQ(made->by_name, "Mrs Head");

  core::StatusOr<store::EvidencePack> read =
      penalties().FindEvidencePack(la_, "1", std::to_string(made->id));
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->content, made->content);
  const nlohmann::json pack = nlohmann::json::parse(read->content);
  EXPECT_EQ(pack["pupil"]["upn"], "C909123400003");
  EXPECT_EQ(pack["school"]["la_code"], "909");
  int g = 0;
  for (const auto& session : pack["register_extract"]) g += session[2] == "G" ? 1 : 0;
  EXPECT_EQ(g, 10);
  EXPECT_EQ(pack["case"]["stage"], "awaiting_decision");
  EXPECT_EQ(pack["generated_by"]["role"], "head");
  EXPECT_EQ(pack["generated_at"], "2026-11-25T10:00:00Z");

  EXPECT_EQ(penalties().EvidencePacks(office_, 1)->size(), 1u);
  EXPECT_EQ(penalties().EvidencePacks(teacher_, 1).status().kind(),
            core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(penalties().FindEvidencePack(teacher_, "1", "1").status().kind(),
            core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(penalties().FindEvidencePack(la_, "1", "99").status().code(), core::kErrNotFound);
  EXPECT_EQ(penalties().FindEvidencePack(la_, "2", std::to_string(made->id)).status().code(),
            core::kErrNotFound);  // not this case's
}

}  // namespace
}  // namespace rollcall::service
