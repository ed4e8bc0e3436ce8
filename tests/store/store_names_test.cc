// The casework kinds, decisions, outcomes and statuses the store keeps as
// text, by their names. The names are frozen: databases already hold them,
// and a database written before the enums read unchanged. So the lists below
// are literal, and renaming a value fails here first. The suite's tests
// (instantiated for every backend in store_test.cc) write every value and
// read it back; on SQLite they also look at the text in the columns and at
// what a text that names no value reads as.
#include <gtest/gtest.h>

#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error_codes.h"
#include "core/la_returns.h"
#include "core/penalty.h"
#include "raw_sqlite.h"
#include "store/store.h"
#include "store_test_util.h"

namespace rollcall::store {
namespace {

using testing::Am;
using testing::Backend;
using testing::D;
using testing::RawDb;
using testing::StoreTest;

template <typename Enum>
using Frozen = std::vector<std::pair<Enum, std::string_view>>;

// `name` gives exactly the frozen text of every value and `from_name` takes
// it back; any other text, even in another case, names none.
template <typename Enum>
void ExpectFrozen(std::string_view (*name)(Enum),
                  std::optional<Enum> (*from_name)(std::string_view), const Frozen<Enum>& frozen) {
  for (const auto& [value, text] : frozen) {
    EXPECT_EQ(name(value), text);
    EXPECT_EQ(from_name(text), value) << text;
    std::string shouted(text);
    shouted[0] = static_cast<char>(shouted[0] - 'a' + 'A');
    EXPECT_FALSE(from_name(shouted)) << shouted;
    EXPECT_FALSE(from_name(std::string(text) + " ")) << text;
  }
  EXPECT_FALSE(from_name(""));
  EXPECT_FALSE(from_name("unknown"));
}

TEST(StoredNamesTest, AreFrozen) {
  ExpectFrozen(PenaltyCaseKindName, PenaltyCaseKindFromName,
               Frozen<PenaltyCaseKind>{{PenaltyCaseKind::kAttendance, "attendance"},
                                       {PenaltyCaseKind::kLocal, "local"},
                                       {PenaltyCaseKind::kExclusion, "exclusion"}});
  ExpectFrozen(PenaltyEventKindName, PenaltyEventKindFromName,
               Frozen<PenaltyEventKind>{{PenaltyEventKind::kDecision, "decision"},
                                        {PenaltyEventKind::kNti, "nti"},
                                        {PenaltyEventKind::kNtiOutcome, "nti_outcome"},
                                        {PenaltyEventKind::kNotice, "notice"},
                                        {PenaltyEventKind::kPayment, "payment"},
                                        {PenaltyEventKind::kWithdrawal, "withdrawal"},
                                        {PenaltyEventKind::kProsecution, "prosecution"},
                                        {PenaltyEventKind::kClosed, "closed"}});
  ExpectFrozen(
      core::PenaltyDecisionName, core::PenaltyDecisionFromName,
      Frozen<core::PenaltyDecision>{{core::PenaltyDecision::kSupportFirst, "support_first"},
                                    {core::PenaltyDecision::kNoticeToImprove, "notice_to_improve"},
                                    {core::PenaltyDecision::kPenaltyNotice, "penalty_notice"},
                                    {core::PenaltyDecision::kNoAction, "no_action"}});
  // A notice to improve's outcome and a support review's.
  ExpectFrozen(
      core::ImprovementOutcomeName, core::ImprovementOutcomeFromName,
      Frozen<core::ImprovementOutcome>{{core::ImprovementOutcome::kImproved, "improved"},
                                       {core::ImprovementOutcome::kNotImproved, "not_improved"}});
  ExpectFrozen(LeaveOutcomeName, LeaveOutcomeFromName,
               Frozen<LeaveOutcome>{{LeaveOutcome::kGranted, "granted"},
                                    {LeaveOutcome::kRefused, "refused"},
                                    {LeaveOutcome::kWithdrawn, "withdrawn"}});
  ExpectFrozen(PartTimeOutcomeName, PartTimeOutcomeFromName,
               Frozen<PartTimeOutcome>{{PartTimeOutcome::kContinue, "continue"},
                                       {PartTimeOutcome::kExtend, "extend"},
                                       {PartTimeOutcome::kEnd, "end"}});
  // Sent and acknowledged are stored; due and overdue are the API's only.
  ExpectFrozen(core::LaReturnStatusName, core::LaReturnStatusFromName,
               Frozen<core::LaReturnStatus>{{core::LaReturnStatus::kOverdue, "overdue"},
                                            {core::LaReturnStatus::kDue, "due"},
                                            {core::LaReturnStatus::kSent, "sent"},
                                            {core::LaReturnStatus::kAcknowledged, "acknowledged"}});
  // Part of the key a notification's events are stored under.
  ExpectFrozen(
      core::LaReturnKindName, core::LaReturnKindFromName,
      Frozen<core::LaReturnKind>{{core::LaReturnKind::kNewAdmission, "new_admission"},
                                 {core::LaReturnKind::kDeletion, "deletion"},
                                 {core::LaReturnKind::kSickness, "sickness"},
                                 {core::LaReturnKind::kContinuousAbsence, "continuous_absence"},
                                 {core::LaReturnKind::kPersistentLateness, "persistent_lateness"},
                                 {core::LaReturnKind::kPartTimeTimetable, "part_time_timetable"},
                                 {core::LaReturnKind::kPersistentAbsence, "persistent_absence"},
                                 {core::LaReturnKind::kCmeReferral, "cme_referral"}});
  EXPECT_EQ(NotificationKey(core::LaReturnKind::kCmeReferral, 42, D("2025-10-01")),
            "cme_referral.42.2025-10-01");
  ExpectFrozen(SupportKindName, SupportKindFromName,
               Frozen<SupportKind>{{SupportKind::kPanelMeeting, "panel_meeting"},
                                   {SupportKind::kActionPlan, "action_plan"},
                                   {SupportKind::kReview, "review"}});
  ExpectFrozen(ContactMethodName, ContactMethodFromName,
               Frozen<ContactMethod>{{ContactMethod::kCall, "call"},
                                     {ContactMethod::kText, "text"},
                                     {ContactMethod::kEmail, "email"},
                                     {ContactMethod::kLetter, "letter"},
                                     {ContactMethod::kHomeVisit, "home_visit"},
                                     {ContactMethod::kMeeting, "meeting"},
                                     {ContactMethod::kMessage, "message"}});
  ExpectFrozen(ContactOutcomeName, ContactOutcomeFromName,
               Frozen<ContactOutcome>{{ContactOutcome::kSpoke, "spoke"},
                                      {ContactOutcome::kNoAnswer, "no_answer"},
                                      {ContactOutcome::kLeftMessage, "left_message"},
                                      {ContactOutcome::kSent, "sent"},
                                      {ContactOutcome::kSeen, "seen"},
                                      {ContactOutcome::kNotSeen, "not_seen"},
                                      {ContactOutcome::kAttended, "attended"},
                                      {ContactOutcome::kDidNotAttend, "did_not_attend"}});
}

// --- Every value through the store ---------------------------------------------

constexpr PenaltyCaseKind kCaseKinds[] = {PenaltyCaseKind::kAttendance, PenaltyCaseKind::kLocal,
                                          PenaltyCaseKind::kExclusion};
constexpr core::PenaltyDecision kDecisions[] = {
    core::PenaltyDecision::kSupportFirst, core::PenaltyDecision::kNoticeToImprove,
    core::PenaltyDecision::kPenaltyNotice, core::PenaltyDecision::kNoAction};
constexpr core::ImprovementOutcome kImprovement[] = {core::ImprovementOutcome::kImproved,
                                                     core::ImprovementOutcome::kNotImproved};
constexpr LeaveOutcome kLeaveOutcomes[] = {LeaveOutcome::kGranted, LeaveOutcome::kRefused,
                                           LeaveOutcome::kWithdrawn};
// In an order the store accepts: continued, extended, then ended.
constexpr PartTimeOutcome kPartTimeOutcomes[] = {PartTimeOutcome::kContinue,
                                                 PartTimeOutcome::kExtend, PartTimeOutcome::kEnd};
constexpr core::LaReturnStatus kRecorded[] = {core::LaReturnStatus::kSent,
                                              core::LaReturnStatus::kAcknowledged};

// A penalty event by its names, for a readable comparison.
std::string NamesOf(const PenaltyEvent& e) {
  return fmt::format("{} {} {}", PenaltyEventKindName(e.kind),
                     e.decision ? core::PenaltyDecisionName(*e.decision) : "-",
                     e.outcome ? core::ImprovementOutcomeName(*e.outcome) : "-");
}

// The id a write returned: 0, and a failure naming `what`, when it failed.
int64_t IdOf(const core::StatusOr<int64_t>& id, std::string_view what) {
  EXPECT_TRUE(id.ok()) << what << ": " << testing::Describe(id.status());
  return id.ok() ? *id : 0;
}

// Every value of every stored name, for `pupil`: a penalty case of each
// kind, the first with an event of each kind, every decision and every
// outcome; a leave request decided each way; a part-time timetable
// continued, extended and ended; an action plan reviewed both ways beside
// a meeting (no outcome); a notification sent and acknowledged; a call.
// Returns the penalty events as written, in order.
std::vector<PenaltyEvent> WriteEveryName(Store& store, int64_t pupil) {
  std::vector<int64_t> cases;
  for (PenaltyCaseKind kind : kCaseKinds) {
    cases.push_back(IdOf(store.OpenPenaltyCase({.pupil_id = pupil,
                                                .kind = kind,
                                                .alert = Am("2026-11-20"),
                                                .evidence = "2026-11-16 AM G"}),
                         PenaltyCaseKindName(kind)));
  }
  std::vector<PenaltyEvent> events;
  auto add = [&](PenaltyEvent e) {
    e.case_id = cases.front();
    e.by_name = "Mr Head";
    e.id = IdOf(store.AddPenaltyEvent(e), NamesOf(e));
    events.push_back(e);
    return e.id;
  };
  for (core::PenaltyDecision d : kDecisions) {
    add({.kind = PenaltyEventKind::kDecision, .decision = d, .text = "reasons"});
  }
  add({.kind = PenaltyEventKind::kNti,
       .on = D("2026-11-23"),
       .end = D("2026-12-21"),
       .text = "every day"});
  for (core::ImprovementOutcome o : kImprovement) {
    add({.kind = PenaltyEventKind::kNtiOutcome, .outcome = o});
  }
  const int64_t notice = add({.kind = PenaltyEventKind::kNotice,
                              .parent = "Mrs A Khan",
                              .on = D("2026-12-22"),
                              .amount_pence = 8000,
                              .notice_number = 1});
  add({.kind = PenaltyEventKind::kPayment,
       .notice_id = notice,
       .on = D("2027-01-05"),
       .amount_pence = 8000});
  add({.kind = PenaltyEventKind::kWithdrawal, .notice_id = notice, .text = "wrong address"});
  add({.kind = PenaltyEventKind::kProsecution, .notice_id = notice});
  add({.kind = PenaltyEventKind::kClosed, .text = "done"});

  for (LeaveOutcome outcome : kLeaveOutcomes) {
    const int64_t request = IdOf(store.AddLeaveRequest({.pupil_id = pupil,
                                                        .from = Am("2026-12-07"),
                                                        .to = Am("2026-12-07"),
                                                        .code = core::AttendanceCode::kMedical,
                                                        .reason = "Orthodontist",
                                                        .received_on = D("2026-12-01")}),
                                 "leave request");
    IdOf(store.DecideLeave({.request_id = request, .decision = outcome}, std::nullopt),
         LeaveOutcomeName(outcome));
  }

  const int64_t timetable = IdOf(store.AddPartTimeTimetable({.pupil_id = pupil,
                                                             .agreed_on = D("2025-10-01"),
                                                             .agreed_with = "Mrs A Khan (mother)",
                                                             .start = D("2025-10-06"),
                                                             .end = D("2025-11-14"),
                                                             .attends = 0b0101010101,  // mornings
                                                             .review_date = D("2025-10-20"),
                                                             .reason = "Phased return"}),
                                 "part-time timetable");
  const PartTimeReview reviews[] = {{.timetable_id = timetable,
                                     .held_on = D("2025-10-20"),
                                     .outcome = PartTimeOutcome::kContinue,
                                     .end = D("2025-11-14"),
                                     .next_review = D("2025-11-03")},
                                    {.timetable_id = timetable,
                                     .held_on = D("2025-11-03"),
                                     .outcome = PartTimeOutcome::kExtend,
                                     .end = D("2025-11-28"),
                                     .next_review = D("2025-11-21")},
                                    {.timetable_id = timetable,
                                     .held_on = D("2025-11-24"),
                                     .outcome = PartTimeOutcome::kEnd,
                                     .end = D("2025-11-24")}};
  for (const PartTimeReview& r : reviews) {
    IdOf(store.AddPartTimeReview(r), PartTimeOutcomeName(r.outcome));
  }

  const int64_t plan = IdOf(store.AddSupportEvent({.pupil_id = pupil,
                                                   .kind = SupportKind::kActionPlan,
                                                   .held_on = D("2025-10-06"),
                                                   .targets = "96% by half-term",
                                                   .review_date = D("2025-11-17")}),
                            "action plan");
  for (core::ImprovementOutcome o : kImprovement) {
    IdOf(store.AddSupportEvent({.pupil_id = pupil,
                                .kind = SupportKind::kReview,
                                .held_on = D("2025-11-17"),
                                .plan_id = plan,
                                .outcome = o}),
         core::ImprovementOutcomeName(o));
  }
  IdOf(store.AddSupportEvent({.pupil_id = pupil,
                              .kind = SupportKind::kPanelMeeting,
                              .held_on = D("2025-11-18"),
                              .attendees = "Head, mum"}),
       "panel meeting");

  for (core::LaReturnStatus status : kRecorded) {
    IdOf(store.AddNotificationEvent({.notification = NotificationKey(core::LaReturnKind::kDeletion,
                                                                     pupil, D("2025-10-01")),
                                     .status = status}),
         core::LaReturnStatusName(status));
  }
  IdOf(store.AddContactLogEntry({.pupil_id = pupil,
                                 .method = ContactMethod::kCall,
                                 .contact_name = "Mrs A Khan",
                                 .outcome = ContactOutcome::kSpoke}),
       "call");
  return events;
}

TEST_P(StoreTest, EveryStoredNameIsReadBackAsWritten) {
  const int64_t p1 = AddTestPupil("A000000000001");
  const std::vector<PenaltyEvent> written = WriteEveryName(store(), p1);

  ASSERT_OK_AND_ASSIGN(std::vector<PenaltyCase> cases, store().ListPenaltyCases());
  std::vector<PenaltyCaseKind> case_kinds;
  for (const PenaltyCase& c : cases) case_kinds.push_back(c.kind);
  EXPECT_EQ(case_kinds, std::vector<PenaltyCaseKind>(std::begin(kCaseKinds), std::end(kCaseKinds)));

  ASSERT_OK_AND_ASSIGN(std::vector<PenaltyEvent> events, store().PenaltyEvents());
  std::vector<std::string> read, wrote;
  for (const PenaltyEvent& e : events) read.push_back(NamesOf(e));
  for (const PenaltyEvent& e : written) wrote.push_back(NamesOf(e));
  EXPECT_EQ(read, wrote);

  ASSERT_OK_AND_ASSIGN(std::vector<LeaveDecision> decisions, store().ListLeaveDecisions());
  std::vector<LeaveOutcome> leave;
  for (const LeaveDecision& d : decisions) leave.push_back(d.decision);
  EXPECT_EQ(leave, std::vector<LeaveOutcome>(std::begin(kLeaveOutcomes), std::end(kLeaveOutcomes)));

  ASSERT_OK_AND_ASSIGN(std::vector<PartTimeReview> reviews, store().ListPartTimeReviews());
  std::vector<PartTimeOutcome> part_time;
  for (const PartTimeReview& r : reviews) part_time.push_back(r.outcome);
  EXPECT_EQ(part_time, std::vector<PartTimeOutcome>(std::begin(kPartTimeOutcomes),
                                                    std::end(kPartTimeOutcomes)));

  ASSERT_OK_AND_ASSIGN(std::vector<SupportEvent> support, store().SupportEventsFor(p1));
  std::vector<std::optional<core::ImprovementOutcome>> support_outcomes;
  for (const SupportEvent& e : support) support_outcomes.push_back(e.outcome);
  EXPECT_EQ(support_outcomes, (std::vector<std::optional<core::ImprovementOutcome>>{
                                  std::nullopt, core::ImprovementOutcome::kImproved,
                                  core::ImprovementOutcome::kNotImproved, std::nullopt}));

  ASSERT_OK_AND_ASSIGN(std::vector<NotificationEvent> notifications, store().NotificationEvents());
  std::vector<core::LaReturnStatus> statuses;
  for (const NotificationEvent& e : notifications) {
    EXPECT_EQ(e.notification, fmt::format("deletion.{}.2025-10-01", p1));
    statuses.push_back(e.status);
  }
  EXPECT_EQ(statuses,
            std::vector<core::LaReturnStatus>(std::begin(kRecorded), std::end(kRecorded)));
}

// SQLite alone: another program's connection sees the frozen names in the
// columns, and one that changes a name to text this program never wrote
// makes the read fail cleanly, naming what it found, instead of guessing.
TEST_P(StoreTest, StoredNamesAreTheFrozenTextAndAnyOtherTextIsABadValue) {
  if (GetParam() != Backend::kSqlite) GTEST_SKIP() << "looks behind the SQLite store";
  const int64_t p1 = AddTestPupil("A000000000001");
  WriteEveryName(store(), p1);
  RawDb raw(path_);
  auto column = [&](const char* table, const char* col) {
    return raw.QueryText(
        fmt::format("SELECT group_concat({}, ',') FROM (SELECT {} FROM {} ORDER "
                    "BY id)",
                    col, col, table));
  };
  EXPECT_EQ(column("penalty_cases", "kind"), "attendance,local,exclusion");
  EXPECT_EQ(column("penalty_events", "kind"),
            "decision,decision,decision,decision,nti,nti_outcome,nti_outcome,notice,payment,"
            "withdrawal,prosecution,closed");
  EXPECT_EQ(column("penalty_events", "decision"),
            "support_first,notice_to_improve,penalty_notice,no_action,,improved,not_improved,,,,,");
  EXPECT_EQ(column("leave_decisions", "decision"), "granted,refused,withdrawn");
  EXPECT_EQ(column("part_time_reviews", "outcome"), "continue,extend,end");
  EXPECT_EQ(column("support_events", "outcome"), ",improved,not_improved,");
  EXPECT_EQ(column("la_notification_events", "status"), "sent,acknowledged");
  EXPECT_EQ(column("la_notification_events", "notification"),
            fmt::format("deletion.{0}.2025-10-01,deletion.{0}.2025-10-01", p1));

  struct Corruption {
    const char* table;
    const char* column;
    const char* where;  // the row changed
    const char* text;   // what it is changed to
    std::function<core::Status()> read;
  };
  const Corruption corruptions[] = {
      {"penalty_cases", "kind", "1", "truancy",
       [&] { return store().ListPenaltyCases().status(); }},
      {"penalty_events", "kind", "1", "fine", [&] { return store().PenaltyEvents().status(); }},
      {"penalty_events", "decision", "kind = 'decision'", "fine_them",
       [&] { return store().PenaltyEvents().status(); }},
      // A name, but not one its kind can have.
      {"penalty_events", "decision", "kind = 'notice'", "improved",
       [&] { return store().PenaltyEvents().status(); }},
      {"leave_decisions", "decision", "1", "maybe",
       [&] { return store().ListLeaveDecisions().status(); }},
      {"part_time_reviews", "outcome", "1", "pause",
       [&] { return store().ListPartTimeReviews().status(); }},
      {"support_events", "outcome", "kind = 'review'", "better",
       [&] { return store().AllSupportEvents().status(); }},
      {"la_notification_events", "status", "1", "lost",
       [&] { return store().NotificationEvents().status(); }},
      // Worked out from the dates, never stored.
      {"la_notification_events", "status", "1", "overdue",
       [&] { return store().NotificationEvents().status(); }},
      {"contact_log", "method", "1", "pigeon",
       [&] { return store().ContactLogForPupil(p1).status(); }},
  };
  for (const Corruption& c : corruptions) {
    SCOPED_TRACE(fmt::format("{}.{} = '{}'", c.table, c.column, c.text));
    ASSERT_OK(c.read());
    const std::string row = fmt::format("id = (SELECT min(id) FROM {} WHERE {})", c.table, c.where);
    const std::string was =
        raw.QueryText(fmt::format("SELECT {} FROM {} WHERE {}", c.column, c.table, row));
    // The schema's checks and append-only triggers keep the store itself
    // from doing this; another program can.
    auto set = [&](const std::string& text) {
      std::string error;
      ASSERT_EQ(raw.Exec(fmt::format("PRAGMA ignore_check_constraints = ON; DROP TRIGGER IF "
                                     "EXISTS {0}_no_update; UPDATE {0} SET {1} = '{2}' WHERE {3}",
                                     c.table, c.column, text, row),
                         &error),
                SQLITE_OK)
          << error;
    };
    set(c.text);
    const core::Status status = c.read();
    EXPECT_ERROR(status, core::ErrorKind::kInternal, core::kErrDbBadValue);
    EXPECT_NE(status.message().find(fmt::format("'{}'", c.text)), std::string::npos)
        << status.message();
    set(was);
  }
}

}  // namespace
}  // namespace rollcall::store
