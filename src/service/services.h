// services.h
//
// The application layer in one object: the school's state and the services
// that act on it. The web server, the command line (the demo, imports) and
// scheduled jobs each build one over a store and a clock and ask it, so that
// a workflow rule is written once and every caller gets the same answer.
#pragma once

#include <cstdint>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "service/absence_reports.h"
#include "service/access_log.h"
#include "service/accounts.h"
#include "service/admissions.h"
#include "service/api_tokens.h"
#include "service/backups.h"
#include "service/case_checks.h"
#include "service/census.h"
#include "service/cme.h"
#include "service/contacts.h"
#include "service/ctf_export.h"
#include "service/dashboards.h"
#include "service/day_one.h"
#include "service/early_warning.h"
#include "service/evidence.h"
#include "service/jobs.h"
#include "service/la_returns.h"
#include "service/leave.h"
#include "service/lessons.h"
#include "service/letters.h"
#include "service/message_templates.h"
#include "service/messaging.h"
#include "service/notifications.h"
#include "service/part_time.h"
#include "service/penalties.h"
#include "service/pupils.h"
#include "service/registers.h"
#include "service/retention.h"
#include "service/rewards.h"
#include "service/roll_import.h"
#include "service/school.h"
#include "service/school_views.h"
#include "service/second_factor.h"
#include "service/sessions.h"
#include "service/settings.h"
#include "service/setup.h"
#include "service/share.h"
#include "service/sign_in_out.h"
#include "service/subject_access.h"
#include "service/support.h"
#include "service/webhooks.h"
#include "store/store.h"

namespace rollcall::service {

struct ServiceOptions {
  // How often a request asks the store what other processes (another
  // server, `rollcall import`) have committed, and brings the school up to
  // date (School::ReloadIfWrittenOutside); 0: on every request.
  int64_t outside_write_check_ms = 1000;
  // Session lengths and the limits on failed logins.
  SessionOptions sessions;
  // What sends webhooks and the daily share (not owned; tests pass a
  // fake); nullptr: libcurl.
  io::Poster* poster = nullptr;
  // What sends email and text messages (not owned; tests pass fakes);
  // nullptr: the transports the message settings name.
  io::MailTransport* mail = nullptr;
  io::SmsProvider* sms = nullptr;
  // The SQLite file being served, for the scheduled backups; "" for a
  // PostgreSQL school or one in memory (Backups then does nothing).
  std::string database_file;
};

class Services {
 public:
  Services(store::Store& store, const core::Clock& clock, ServiceOptions options = {})
      : school_(store, clock, options.outside_write_check_ms),
        templates_(school_),
        cases_(school_),
        part_time_(school_),
        registers_(school_, cases_, part_time_),
        accounts_(school_),
        second_factors_(school_),
        sessions_(school_, accounts_, second_factors_, options.sessions),
        settings_(school_, cases_),
        setup_(school_, cases_),
        penalties_(school_),
        la_returns_(school_),
        cme_(school_),
        support_(school_),
        absence_reports_(school_, registers_),
        contacts_(school_, absence_reports_),
        leave_(school_, registers_),
        lessons_(school_, registers_),
        pupils_(school_),
        admissions_(school_),
        school_views_(school_),
        dashboards_(school_, support_),
        early_warning_(school_),
        roll_import_(school_),
        api_tokens_(school_),
        shares_(school_, options.poster),
        ctf_export_(school_),
        webhooks_(school_, options.poster),
        messaging_(school_, options.mail, options.sms),
        census_(school_),
        day_one_(school_, templates_),
        notifications_(school_, templates_),
        letters_(school_, templates_),
        evidence_(school_, templates_),
        retention_(school_),
        access_log_(school_),
        subject_access_(school_, pupils_, access_log_),
        backups_(school_, options.database_file),
        rewards_(school_, letters_),
        sign_in_out_(school_, registers_),
        jobs_(school_) {}

  // Reads the school, then opens and closes the cases that marks written
  // meanwhile call for. Cached login sessions are read from the store again:
  // another process may have ended sessions or changed passwords.
  core::Status Load() {
    RETURN_IF_ERROR(school_.Load());
    cases_.CheckAll();
    sessions_.ForgetCached();
    return core::OkStatus();
  }
  // Brings the school up to date with what other processes committed (at
  // most once per outside_write_check_ms): their marks one by one, anything
  // else by reading the school again. True when it read the school again;
  // then, as Load, it forgets the cached login sessions.
  bool NoticeOutsideWrites() {
    if (!school_.ReloadIfWrittenOutside()) return false;
    cases_.CheckAll();
    sessions_.ForgetCached();
    return true;
  }

  School& school() { return school_; }
  const School& school() const { return school_; }
  CaseChecks& cases() { return cases_; }
  Registers& registers() { return registers_; }
  Accounts& accounts() { return accounts_; }
  const Accounts& accounts() const { return accounts_; }
  Sessions& sessions() { return sessions_; }
  SecondFactors& second_factors() { return second_factors_; }
  SchoolSettings& settings() { return settings_; }
  Setup& setup() { return setup_; }
  Penalties& penalties() { return penalties_; }
  LaReturns& la_returns() { return la_returns_; }
  Cme& cme() { return cme_; }
  Support& support() { return support_; }
  AbsenceReports& absence_reports() { return absence_reports_; }
  Contacts& contacts() { return contacts_; }
  PartTime& part_time() { return part_time_; }
  Leave& leave() { return leave_; }
  Lessons& lessons() { return lessons_; }
  Letters& letters() { return letters_; }
  Pupils& pupils() { return pupils_; }
  Admissions& admissions() { return admissions_; }
  SchoolViews& school_views() { return school_views_; }
  const SchoolViews& school_views() const { return school_views_; }
  Dashboards& dashboards() { return dashboards_; }
  EarlyWarning& early_warning() { return early_warning_; }
  RollImport& roll_import() { return roll_import_; }
  ApiTokens& api_tokens() { return api_tokens_; }
  Shares& shares() { return shares_; }
  CtfExport& ctf_export() { return ctf_export_; }
  Webhooks& webhooks() { return webhooks_; }
  Messaging& messaging() { return messaging_; }
  CensusReturns& census() { return census_; }
  MessageTemplates& templates() { return templates_; }
  DayOne& day_one() { return day_one_; }
  StaffNotifications& notifications() { return notifications_; }
  MedicalEvidence& evidence() { return evidence_; }
  Retention& retention() { return retention_; }
  AccessLog& access_log() { return access_log_; }
  SubjectAccess& subject_access() { return subject_access_; }
  Backups& backups() { return backups_; }
  Rewards& rewards() { return rewards_; }
  SignInOut& sign_in_out() { return sign_in_out_; }
  // The leases of the scheduled jobs that must run once across processes.
  Jobs& jobs() { return jobs_; }

 private:
  School school_;
  MessageTemplates templates_;  // before anything that renders a message
  CaseChecks cases_;
  PartTime part_time_;  // before registers_, which shows its planned codes
  Registers registers_;
  Accounts accounts_;
  SecondFactors second_factors_;
  Sessions sessions_;  // after accounts_ and second_factors_, which it uses
  SchoolSettings settings_;
  Setup setup_;
  Penalties penalties_;
  LaReturns la_returns_;
  Cme cme_;
  Support support_;
  AbsenceReports absence_reports_;
  Contacts contacts_;
  Leave leave_;
  Lessons lessons_;  // after registers_, which records the marks first lessons give
  Pupils pupils_;
  Admissions admissions_;
  SchoolViews school_views_;
  Dashboards dashboards_;
  EarlyWarning early_warning_;
  RollImport roll_import_;
  ApiTokens api_tokens_;
  Shares shares_;
  CtfExport ctf_export_;
  Webhooks webhooks_;
  Messaging messaging_;
  CensusReturns census_;
  DayOne day_one_;
  StaffNotifications notifications_;
  Letters letters_;
  MedicalEvidence evidence_;  // after templates_, which it uses
  Retention retention_;
  AccessLog access_log_;
  SubjectAccess subject_access_;  // after pupils_ and access_log_, which it uses
  Backups backups_;
  Rewards rewards_;  // after letters_, which prints its certificates
  SignInOut sign_in_out_;
  Jobs jobs_;
};

}  // namespace rollcall::service
