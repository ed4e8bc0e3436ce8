// The notifications owed to the LA through the service: what the registers
// make due and when, who may see the queue, the school marking one sent and
// the LA acknowledging it, and a return that follows an alert appearing once
// the marks that fire it are in.
#include "service/la_returns.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "core/error_codes.h"
#include "service/school_fixture.h"
#include "store/store.h"

namespace rollcall::service {
namespace {

// The fixture's school (pupils a_ and b_ joined Year 3, the youngest, on the
// first day: no return for them), with pupil d_ joining Year 4 on Monday 23
// November, and an officer of the school's LA.
class LaReturnsTest : public SchoolFixture {
 protected:
  LaReturnsTest() {
    store::Pupil p = NewPupil("D909123400004", class_4b_);
    p.date_of_birth = D("2017-06-01");
    p.year_group = 4;
    p.enrolments = {{D("2026-11-23"), std::nullopt, "", ""}};
    d_ = *store_->AddPupil(p);
    EXPECT_TRUE(services_->Load().ok());
  }

  LaReturns& returns() { return services_->la_returns(); }

  // The queue's notification of `kind` about `pupil`, if there is one.
  std::optional<LaNotification> Find(const Principal& who, core::LaReturnKind kind, int64_t pupil) {
    core::StatusOr<std::vector<LaNotification>> queue = returns().Queue(who);
    EXPECT_TRUE(queue.ok()) << queue.status().message();
    if (!queue.ok()) return std::nullopt;
    for (const LaNotification& n : *queue) {
      if (n.kind == kind && n.pupil_id == pupil) return n;
    }
    return std::nullopt;
  }

  int64_t d_ = 0;
};

TEST_F(LaReturnsTest, ANewPupilIsDueWithinFiveDaysAndTheLaAcknowledgesWhatWasSent) {
  const std::optional<LaNotification> joined = Find(office_, core::LaReturnKind::kNewAdmission, d_);
  ASSERT_TRUE(joined);
  EXPECT_EQ(joined->trigger, D("2026-11-23"));
  EXPECT_EQ(joined->due, D("2026-11-28"));
  EXPECT_EQ(joined->status, core::LaReturnStatus::kDue);
  EXPECT_EQ(joined->upn, "D909123400004");
  EXPECT_FALSE(Find(office_, core::LaReturnKind::kNewAdmission, a_));
  for (const Principal& who : {teacher_, parent_}) {
    EXPECT_EQ(returns().Queue(who).status().kind(), core::ErrorKind::kPermissionDenied);
  }

  const std::string& key = joined->key;
  EXPECT_EQ(returns().Mark(la_, key, core::LaReturnStatus::kAcknowledged, "").code(),
            core::kErrNotificationNotSent);
  EXPECT_EQ(returns().Mark(la_, key, core::LaReturnStatus::kSent, "").kind(),
            core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(returns().Mark(office_, key, core::LaReturnStatus::kDue, "").code(),
            core::kErrValueInvalid);
  EXPECT_EQ(
      returns().Mark(office_, key, core::LaReturnStatus::kSent, std::string(2001, 'x')).code(),
      core::kErrValueInvalid);
  EXPECT_EQ(returns().Mark(office_, "nothing.1.2026-01-01", core::LaReturnStatus::kSent, "").code(),
            core::kErrNotFound);

  ASSERT_TRUE(returns().Mark(office_, key, core::LaReturnStatus::kSent, "Emailed").ok());
  EXPECT_EQ(returns().Mark(head_, key, core::LaReturnStatus::kSent, "").code(),
            core::kErrNotificationSent);
  EXPECT_EQ(returns().Mark(office_, key, core::LaReturnStatus::kAcknowledged, "").kind(),
            core::ErrorKind::kPermissionDenied);
  std::optional<LaNotification> sent = Find(la_, core::LaReturnKind::kNewAdmission, d_);
  ASSERT_TRUE(sent && sent->last);
  EXPECT_EQ(sent->status, core::LaReturnStatus::kSent);
  EXPECT_EQ(sent->last->note, "Emailed");
  EXPECT_EQ(sent->last->by_role, store::Role::kOffice);

  ASSERT_TRUE(returns().Mark(la_, key, core::LaReturnStatus::kAcknowledged, "").ok());
  const std::optional<LaNotification> done = Find(head_, core::LaReturnKind::kNewAdmission, d_);
  ASSERT_TRUE(done && done->last);
  EXPECT_EQ(done->status, core::LaReturnStatus::kAcknowledged);
  EXPECT_EQ(done->last->by_role, store::Role::kLaOfficer);
  EXPECT_EQ(returns().Mark(office_, key, core::LaReturnStatus::kSent, "").code(),
            core::kErrNotificationSent);

  EXPECT_TRUE(returns().RightsOf(office_).send);
  EXPECT_FALSE(returns().RightsOf(office_).acknowledge);
  EXPECT_TRUE(returns().RightsOf(la_).acknowledge);
  EXPECT_FALSE(returns().RightsOf(la_).send);
}

TEST_F(LaReturnsTest, OneNotSentByItsDueDayIsOverdueAndComesFirst) {
  clock_.Set(D("2026-11-30"), 10 * 60);
  core::StatusOr<std::vector<LaNotification>> queue = returns().Queue(office_);
  ASSERT_TRUE(queue.ok());
  ASSERT_FALSE(queue->empty());
  EXPECT_EQ(queue->front().kind, core::LaReturnKind::kNewAdmission);
  EXPECT_EQ(queue->front().status, core::LaReturnStatus::kOverdue);
  EXPECT_TRUE(std::is_sorted(
      queue->begin(), queue->end(),
      [](const LaNotification& x, const LaNotification& y) { return x.status < y.status; }));
}

TEST_F(LaReturnsTest, TenSchoolDaysOfUnauthorisedAbsenceOweAReturnOnceMarked) {
  // Asked before the marks: nothing owed for a_ yet.
  EXPECT_FALSE(Find(office_, core::LaReturnKind::kContinuousAbsence, a_));
  for (const char* day : {"2026-11-11", "2026-11-12", "2026-11-13", "2026-11-16", "2026-11-17",
                          "2026-11-18", "2026-11-19", "2026-11-20", "2026-11-23", "2026-11-24"}) {
    for (const char* session : {"AM", "PM"}) {
      ASSERT_TRUE(Mark(office_, a_, day, session, "O").ok()) << day << " " << session;
    }
  }
  const std::optional<LaNotification> owed =
      Find(office_, core::LaReturnKind::kContinuousAbsence, a_);
  ASSERT_TRUE(owed);
  EXPECT_EQ(owed->trigger, D("2026-11-24"));
  EXPECT_EQ(owed->due, D("2026-12-01"));  // the 6th school day counting the 24th
  EXPECT_EQ(owed->content, "10 continuous school days of unauthorised absence to 24 November 2026");
  EXPECT_EQ(owed->key, "continuous_absence." + std::to_string(a_) + ".2026-11-24");
  // The same marks opened a CME case: its enquiry form is owed too.
  const std::optional<LaNotification> cme = Find(office_, core::LaReturnKind::kCmeReferral, a_);
  ASSERT_TRUE(cme);
  EXPECT_EQ(cme->trigger, D("2026-11-11"));
}

TEST_F(LaReturnsTest, ADeletionGivesTheLaWhatTheRulesAskFor) {
  // A pupil known by another name, whose grandmother is called first in an
  // emergency, whose father has parental responsibility but lives elsewhere,
  // and who lives with their mother.
  store::Pupil p = NewPupil("E909123400005", class_3a_);
  p.legal_given_name = "Adaeze";
  p.legal_family_name = "Nowak";
  p.preferred_given_name = "Ada";
  p.enrolments = {{D("2026-09-01"), D("2026-11-24"), "a", "Oak Academy, Hinckley"}};
  store::Contact gran{.priority = 1, .name = "Maureen Nowak", .relationship = "Grandparent"};
  gran.phone = "07700 900301";
  gran.emergency = true;
  gran.address = "1 Brook Street\nCarlisle";
  store::Contact father{.priority = 2, .name = "Piotr Nowak", .relationship = "Father"};
  father.phone = "07700 900302";
  father.parental_responsibility = true;
  father.address = "40 Station Road\nPenrith";
  father.postcode = "CA11 7AA";
  store::Contact mother{.priority = 3, .name = "Emma Nowak", .relationship = "Mother"};
  mother.phone = "07700 900303";
  mother.parental_responsibility = true;
  mother.lives_with = true;
  mother.emergency = true;
  mother.address = "12 Mill Lane\nCarlisle";
  mother.postcode = "CA1 2AB";
  p.contacts = {gran, father, mother};
  const int64_t e = *store_->AddPupil(p);
  ASSERT_TRUE(services_->Load().ok());

  const std::optional<LaNotification> n = Find(office_, core::LaReturnKind::kDeletion, e);
  ASSERT_TRUE(n && n->deletion);
  EXPECT_EQ(n->due, D("2026-11-24"));
  const DeletionNotice& d = *n->deletion;
  EXPECT_EQ(d.legal_name, "Adaeze Nowak");  // the register's names, not the one used day to day
  EXPECT_EQ(d.last_day, D("2026-11-24"));
  EXPECT_EQ(d.ground, "a");
  EXPECT_EQ(d.ground_words, "Registered at another school");
  EXPECT_EQ(d.destination, "Oak Academy, Hinckley");
  // The home the pupil lives in; the parents, that one first; the first
  // emergency number by priority.
  EXPECT_EQ(d.address, "12 Mill Lane, Carlisle, CA1 2AB");
  EXPECT_EQ(d.parents, (std::vector<std::string>{"Emma Nowak (Mother)", "Piotr Nowak (Father)"}));
  EXPECT_EQ(d.emergency_phone, "07700 900301 (Maureen Nowak, Grandparent)");
  EXPECT_EQ(n->content,
            "Adaeze Nowak, last day on roll 24 November 2026; Left on ground (a): Registered at "
            "another school; Destination: Oak Academy, Hinckley; Home address: 12 Mill Lane, "
            "Carlisle, CA1 2AB; Parents: Emma Nowak (Mother), Piotr Nowak (Father); Emergency "
            "phone: 07700 900301 (Maureen Nowak, Grandparent)");
  // Other notifications carry no deletion particulars.
  const std::optional<LaNotification> joined = Find(office_, core::LaReturnKind::kNewAdmission, d_);
  ASSERT_TRUE(joined);
  EXPECT_FALSE(joined->deletion);
}

TEST_F(LaReturnsTest, ADeletionWithNoContactLivedWithUsesAParentsAddressAndSaysWhatIsMissing) {
  store::Pupil p = NewPupil("F909123400006", class_3a_);
  p.enrolments = {{D("2026-09-01"), D("2026-11-20"), "", ""}};
  store::Contact carer{.priority = 1, .name = "Sam Lee", .relationship = "Carer"};
  carer.phone = "07700 900401";
  carer.parental_responsibility = true;
  carer.postcode = "CA3 9XY";
  p.contacts = {carer};
  const int64_t f = *store_->AddPupil(p);
  ASSERT_TRUE(services_->Load().ok());
  const std::optional<LaNotification> n = Find(la_, core::LaReturnKind::kDeletion, f);
  ASSERT_TRUE(n && n->deletion);
  EXPECT_EQ(n->deletion->address, "CA3 9XY");
  EXPECT_EQ(n->deletion->parents, std::vector<std::string>{"Sam Lee (Carer)"});
  EXPECT_EQ(n->deletion->emergency_phone, "");
  EXPECT_EQ(n->deletion->ground_words, "");
  const std::vector<std::string> lines = DeletionLines(*n->deletion);
  EXPECT_EQ(lines, (std::vector<std::string>{"Pupil F, last day on roll 20 November 2026",
                                             "Ground not given", "Destination: not known",
                                             "Home address: CA3 9XY", "Parents: Sam Lee (Carer)",
                                             "Emergency phone: none recorded"}));
}

}  // namespace
}  // namespace rollcall::service
