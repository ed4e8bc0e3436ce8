// notifications.h
//
// Emails rollcall sends staff by itself (docs/notifications.md), each job at
// most once per school day, queued in the outbox in the same transaction
// that records the job as done (Store::RecordNotificationRun):
//
//   register_reminder       five minutes before a register closes, to the
//                           teachers of each class whose register for the
//                           session still has a pupil with no mark;
//   registers_missing       at close, to every office user, the classes
//                           still not taken;
//   dsl_vulnerable          at the DSL list time, to every designated
//                           safeguarding lead, the vulnerable pupils (a
//                           social worker, looked after, an EHC plan)
//                           absent today with no reason, and
//   social_worker_absence   to each such pupil's social worker, about that
//                           pupil only, when the head sets it on;
//   attendance_digest       at the digest time, to the attendance lead: the
//                           day's figures from the rules core.
//
// Only staff with an email address (User::email) are written to. Nothing is
// sent on a day that is not a school day. The head sets which jobs run and
// when (kManageNotifications). Sending is the outbox sender's work, not
// this class's.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/session.h"
#include "core/status.h"
#include "service/access.h"
#include "service/cme.h"
#include "service/dashboards.h"
#include "service/message_templates.h"
#include "service/outgoing.h"
#include "service/penalties.h"
#include "service/school.h"
#include "service/support.h"
#include "store/store.h"

namespace rollcall::service {

// Minutes before a register closes that its teachers are reminded.
inline constexpr int kReminderLeadMinutes = 5;
// A job missed by more than this (the server was down) is not done late:
// a reminder after the register closed, or a list of registers missing an
// hour on, would only mislead.
inline constexpr int kRegisterJobWindowMinutes = 30;

// The settings page as a person fills it in (text fields, checked here).
struct NotificationSettingsForm {
  bool register_reminders = false;
  bool dsl_list = false;
  std::string dsl_list_time;  // "HH:MM", or "" for the day-one message time
  bool social_worker_emails = false;
  std::string attendance_lead;  // a user id, or "" for no digest
  std::string digest_time;      // "HH:MM"
};

// A member of staff the page offers as the attendance lead.
struct StaffChoice {
  int64_t user_id = 0;
  std::string name;
  std::string email;  // "" when they have none: no digest reaches them
};

struct NotificationsView {
  store::NotificationSettings settings;
  int day_one_minute = 0;                     // the DSL list's time when it has none of its own
  std::vector<StaffChoice> staff;             // active staff, by name
  std::vector<store::NotificationRun> today;  // the jobs done today
  // Active staff of the roles each job writes to who have no email address.
  std::vector<std::string> without_email;
};

// A vulnerable pupil absent today with no reason, as the DSL's list gives them.
struct VulnerableAbsence {
  int64_t pupil_id = 0;
  std::string name;
  std::string class_name;
  std::vector<std::string> reasons;   // "social worker", "looked after", "EHC plan"
  std::vector<std::string> sessions;  // "morning", "afternoon"
  std::vector<std::string>
      contacts_tried;  // today's contact log, "09:40 phone: no answer (Mrs A Ali)"
  std::string social_worker_name, social_worker_email;
};

// The attendance digest's figures.
struct DigestFigures {
  std::optional<double> today_pct;  // attended of possible today, from the rules core
  std::optional<double> year_pct;   // the dashboard's year to date
  int64_t today_attended = 0, today_possible = 0;
  int64_t unexplained = 0;                         // pupils with a session still N today
  int64_t messages_sent = 0, messages_failed = 0;  // emails and texts created today
  int64_t absence_reports_waiting = 0;
  int64_t cme_steps_due = 0;      // open CME cases' steps due or overdue
  int64_t penalty_to_act_on = 0;  // penalty cases waiting on the school or the LA
};

class StaffNotifications {
 public:
  StaffNotifications(School& school, MessageTemplates& templates)
      : school_(school),
        templates_(templates),
        support_(school),
        dashboards_(school, support_),
        cme_(school),
        penalties_(school) {}

  // The settings page (the head: kManageNotifications).
  core::StatusOr<NotificationsView> Get(const Principal& who) const;
  // Saves a new version: InvalidArgument VALUE_INVALID for a time that is
  // not HH:MM or an attendance lead who is not active staff.
  core::StatusOr<store::NotificationSettings> Save(const Principal& who,
                                                   const NotificationSettingsForm& form);

  // Does the jobs due now by the school's clock that are not yet done
  // today; returns how many messages it queued. Call every minute or so.
  core::StatusOr<int> RunDue();

  // The lists the jobs send, as of now (exposed for the tests and the page).
  // Classes whose register for today's `session` has a pupil on roll with
  // no mark: id and name, by id.
  std::vector<std::pair<int64_t, std::string>> IncompleteRegisters(core::Session session) const;
  core::StatusOr<std::vector<VulnerableAbsence>> VulnerableAbsent() const;
  core::StatusOr<DigestFigures> Digest() const;

 private:
  core::StatusOr<int> RegisterJobs(const store::NotificationSettings& s, core::Date today,
                                   int minute);
  core::StatusOr<int> DslJob(const store::NotificationSettings& s, core::Date today, int minute);
  core::StatusOr<int> DigestJob(const store::NotificationSettings& s, core::Date today, int minute);
  // Queues `messages` as job `kind` of today's `session`, unless done.
  core::StatusOr<int> Record(const std::string& kind, core::Date today, int session,
                             const std::vector<Outgoing>& messages);
  // A staff email of `kind` to `user`, keyed `key`.
  core::StatusOr<Outgoing> StaffEmail(const std::string& kind, const store::User& user,
                                      std::map<std::string, std::string> fields,
                                      const std::string& key) const;

  School& school_;
  MessageTemplates& templates_;
  // Thin views over the school, for the digest's figures: the same the
  // dashboard, the CME page and the penalty page show.
  mutable Support support_;
  mutable Dashboards dashboards_;
  mutable Cme cme_;
  mutable Penalties penalties_;
};

}  // namespace rollcall::service
