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

// The fixture's school, with pupil c_ (3A) whose two parents (with
// parental responsibility) and grandmother (an emergency contact, without
// it) are contacts, and an officer of the school's LA.
class PenaltiesTest : public SchoolFixture {
 protected:
  PenaltiesTest() {
    store::Pupil p = NewPupil("C909123400003", class_3a_);
    p.date_of_birth = D("2018-03-01");
    p.sex = "M";
    p.contacts.push_back({1, "Mrs C Parent", "Mother", "", "", std::nullopt, true});
    p.contacts.push_back({2, "Mr C Parent", "Father", "", "", std::nullopt, true});
    p.contacts.push_back({3, "Mrs G Gran", "Grandparent", "", "", std::nullopt, false});
    c_ = *store_->AddPupil(p);
    EXPECT_TRUE(services_->Load().ok());
  }

  // Ten G sessions for c_ on the five school days from Monday `monday`.
  void GWeek(const char* monday) {
    const core::Date first = D(monday);
    for (int day = 0; day < 5; ++day) {
      const std::string date = first.AddDays(day).ToString();
      for (const char* session : {"AM", "PM"}) {
        ASSERT_TRUE(Mark(office_, c_, date.c_str(), session, "G").ok()) << date << " " << session;
      }
    }
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
  EXPECT_EQ(v->next_step, "Improvement period until 22 December 2026");
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

// A grandparent kept as an emergency contact was offered
// an £80 notice. Only contacts with parental responsibility are offered one,
// and the service refuses a notice to anyone else.
TEST_F(PenaltiesTest, NoticesGoOnlyToContactsWithParentalResponsibility) {
  HolidayWeek();
  core::StatusOr<PenaltyView> v = penalties().Case(office_, "1");
  ASSERT_TRUE(v.ok()) << v.status().message();
  ASSERT_EQ(v->parents.size(), 2u);
  EXPECT_EQ(v->parents[0].parent, "Mrs C Parent");
  EXPECT_EQ(v->parents[1].parent, "Mr C Parent");
  ASSERT_TRUE(Event(head_, {.kind = "decision", .decision = "penalty_notice", .text = "x"}).ok());
  const core::StatusOr<store::PenaltyEvent> gran =
      Event(head_, {.kind = "notice", .parent = "Mrs G Gran"});
  EXPECT_EQ(gran.status().code(), core::kErrNotAParent);
  EXPECT_EQ(gran.status().message(),
            "Mrs G Gran (Grandparent) does not have parental responsibility for Pupil C: a "
            "notice goes only to a parent or a person who has care of the child");
  EXPECT_TRUE(Event(head_, {.kind = "notice", .parent = "Mr C Parent"}).ok());
}

// With no contact recorded as having parental responsibility the case says
// so (no one is offered a notice), and neither a notice nor a notice to
// improve can be issued until the office records who has it.
TEST_F(PenaltiesTest, ACaseWithNoParentRecordedSaysSoAndIssuesNothing) {
  store::Pupil p = *store_->GetPupil(c_);
  for (store::Contact& contact : p.contacts) contact.parental_responsibility = false;
  ASSERT_TRUE(store_->UpdatePupil(p).ok());
  ASSERT_TRUE(services_->Load().ok());
  HolidayWeek();
  core::StatusOr<PenaltyView> v = penalties().Case(office_, "1");
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_TRUE(v->parents.empty());
  EXPECT_TRUE(PenaltyJson(*v)["parents"].empty());
  ASSERT_TRUE(Event(head_, {.kind = "decision", .decision = "penalty_notice", .text = "x"}).ok());
  const core::StatusOr<store::PenaltyEvent> notice =
      Event(head_, {.kind = "notice", .parent = "Mrs C Parent"});
  EXPECT_EQ(notice.status().code(), core::kErrNoParentRecorded);
  EXPECT_EQ(notice.status().message(),
            "no contact of Pupil C is recorded as having parental responsibility: the office "
            "records who has it on the pupil's contacts before a notice can be issued");
  ASSERT_TRUE(
      Event(head_, {.kind = "decision", .decision = "notice_to_improve", .text = "x"}).ok());
  EXPECT_EQ(Event(head_, {.kind = "nti", .end = "2026-12-22", .text = "x"}).status().code(),
            core::kErrNoParentRecorded);
}

// A pupil who stayed away met the threshold in window
// after window, and each opened a case of its own. While a case is open, a
// later window adds its sessions to it; Today lists the pupil once.
TEST_F(PenaltiesTest, LaterWindowsOfAnOpenCaseAreAddedToIt) {
  GWeek("2026-11-02");
  GWeek("2026-11-09");
  HolidayWeek();
  core::StatusOr<std::vector<PenaltyView>> cases = penalties().Cases(office_, c_);
  ASSERT_TRUE(cases.ok()) << cases.status().message();
  ASSERT_EQ(cases->size(), 1u);
  const PenaltyView& v = cases->front();
  EXPECT_EQ(v.c.alert.date, D("2026-11-06"));
  EXPECT_EQ(v.c.evidence.substr(0, 16), "2026-11-02 AM G,");
  ASSERT_EQ(v.c.windows.size(), 2u);
  EXPECT_EQ(v.c.windows[0].alert.date, D("2026-11-13"));
  EXPECT_EQ(v.c.windows[0].alert.session, core::Session::kPm);
  EXPECT_EQ(v.c.windows[0].evidence.substr(0, 16), "2026-11-09 AM G,");
  EXPECT_EQ(v.c.windows[1].alert.date, D("2026-11-20"));
  EXPECT_NE(v.c.windows[1].evidence.find("2026-11-20 PM G"), std::string::npos);
  const nlohmann::ordered_json json = PenaltyJson(v);
  ASSERT_EQ(json["later_windows"].size(), 2u);
  EXPECT_EQ(json["later_windows"][1]["alert"]["date"], "2026-11-20");
  // One case waiting on the head: the pupil is on Today's list once.
  core::StatusOr<std::vector<PenaltyView>> to_act = penalties().ToActOn(office_);
  ASSERT_TRUE(to_act.ok());
  EXPECT_EQ(to_act->size(), 1u);
  // Checking again (as at every load) adds nothing twice.
  services_->cases().CheckAll();
  EXPECT_EQ(penalties().Cases(office_, c_)->front().c.windows.size(), 2u);
}

// The episode ends when the case is closed: only sessions after the day it
// closed count towards a new case.
TEST_F(PenaltiesTest, ANewCaseOpensOnlyForSessionsAfterTheLastClosed) {
  clock_.Set(D("2026-11-09"), 10 * 60);
  GWeek("2026-11-02");
  ASSERT_EQ(penalties().Cases(office_, c_)->size(), 1u);
  ASSERT_TRUE(Event(head_, {.kind = "decision", .decision = "no_action", .text = "x"}).ok());
  ASSERT_TRUE(Event(head_, {.kind = "closed", .text = "Family moved; no action"}).ok());

  clock_.Set(D("2026-11-25"), 10 * 60);
  GWeek("2026-11-09");  // the two sessions of the closing day do not count
  ASSERT_EQ(penalties().Cases(office_, c_)->size(), 1u);
  HolidayWeek();
  core::StatusOr<std::vector<PenaltyView>> cases = penalties().Cases(office_, c_);
  ASSERT_TRUE(cases.ok());
  ASSERT_EQ(cases->size(), 2u);
  EXPECT_EQ((*cases)[0].stage, core::PenaltyStage::kClosed);
  EXPECT_TRUE((*cases)[0].c.windows.empty());
  const PenaltyView& next = (*cases)[1];
  EXPECT_EQ(next.c.alert.date, D("2026-11-16"));
  EXPECT_EQ(next.c.alert.session, core::Session::kPm);
  EXPECT_EQ(next.c.evidence.substr(0, 16), "2026-11-10 AM G,");
  EXPECT_EQ(next.c.evidence.find("2026-11-09"), std::string::npos);
  EXPECT_TRUE(next.c.windows.empty());
  EXPECT_EQ(next.stage, core::PenaltyStage::kAwaitingDecision);
}

}  // namespace
}  // namespace rollcall::service
