// access.cc: the role rules of access.h.
#include "service/access.h"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>

#include "core/error_codes.h"
#include "service/words.h"

namespace rollcall::service {
namespace {

using store::Role;

bool Has(const std::vector<int64_t>& ids, const std::optional<int64_t>& id) {
  return id && std::find(ids.begin(), ids.end(), *id) != ids.end();
}

// "an attendance officer account may not ...": the role in words, as pages
// show the refusal.
core::Status Deny(const Principal& who, std::string_view what) {
  return core::PermissionDenied(
      core::kErrForbidden, fmt::format("{} account may not {}", RoleWithArticle(who.role), what));
}

// The office, the head and the attendance officer: the whole school's
// registers, its day-to-day attendance work and its casework.
bool WholeSchool(Role role) {
  return role == Role::kOffice || role == Role::kHead || role == Role::kAttendanceOfficer;
}

// Whether `who` may see this one pupil at all.
bool SeesPupil(const Principal& who, const Subject& s, const std::string& school_la_code) {
  switch (who.role) {
    case Role::kOffice:
    case Role::kHead:
    case Role::kSafeguardingLead:
    case Role::kSenco:
    case Role::kAttendanceOfficer:
      return true;
    case Role::kLaOfficer:
      return !who.la_code.empty() && who.la_code == school_la_code;
    case Role::kTeacher:
      return Has(who.class_ids, s.class_id);
    case Role::kParent:
      return Has(who.pupil_ids, s.pupil_id);
    case Role::kGovernor:
      return false;
  }
  core::Unreachable();
}

// The scope an API token needs for `action`; nullopt for the actions no
// token may take. Actions added later are refused to tokens until a scope
// names them here.
std::optional<ApiScope> ScopeFor(Action action) {
  switch (action) {
    case Action::kReadSchoolSummary:
    case Action::kListClasses:
      return ApiScope::kReadFigures;
    case Action::kListPupils:
    case Action::kReadPupil:
    case Action::kReadAmendments:
    case Action::kReadRegister:
    case Action::kReadTimetable:
    case Action::kReadLessonRegister:
      return ApiScope::kReadPupils;
    case Action::kWriteMark:
    case Action::kWriteLessonMark:
      return ApiScope::kWriteMarks;
    case Action::kListAbsenceReports:
    case Action::kReadContactLog:
    case Action::kReadCases:
    case Action::kReadSupport:
    case Action::kReadLaNotifications:
    case Action::kReadLeave:
    case Action::kReadPenalties:
    case Action::kReadEvidence:
      return ApiScope::kReadCasework;
    case Action::kExportScenario:
      return ApiScope::kReadExports;
    default:
      return std::nullopt;
  }
}

// Ok when the token's scopes allow `action`; else FORBIDDEN naming the
// scope it needs, or saying no token may.
core::Status TokenMay(const std::vector<ApiScope>& scopes, Action action) {
  const std::optional<ApiScope> needed = ScopeFor(action);
  if (!needed) {
    return core::PermissionDenied(core::kErrForbidden,
                                  "an API token may not do this (no scope allows it); accounts, "
                                  "settings and API tokens are managed by people only");
  }
  if (std::find(scopes.begin(), scopes.end(), *needed) == scopes.end()) {
    return core::PermissionDenied(
        core::kErrForbidden,
        fmt::format("this API token lacks the scope {}, which this needs", ApiScopeName(*needed)));
  }
  return core::OkStatus();
}

}  // namespace

core::Status RefuseApiToken(const Principal& who, std::string_view what) {
  if (!who.token_scopes) return core::OkStatus();
  return core::PermissionDenied(
      core::kErrForbidden,
      fmt::format("an API token may not {}: it acts for no account of its own; the person "
                  "logs in to do that",
                  what));
}

core::Status Authorize(const Principal& who, Action action, const Subject& subject,
                       const std::string& school_la_code) {
  if (who.token_scopes) RETURN_IF_ERROR(TokenMay(*who.token_scopes, action));
  const Role role = who.role;
  const bool la_linked =
      role == Role::kLaOfficer && !who.la_code.empty() && who.la_code == school_la_code;
  if (role == Role::kLaOfficer && !la_linked) {
    return Deny(who, "see a school outside its local authority");
  }
  switch (action) {
    case Action::kListPupils:
      if (role == Role::kGovernor) return Deny(who, "see pupils' names");
      return core::OkStatus();
    case Action::kReadPupil:
      if (!SeesPupil(who, subject, school_la_code)) return Deny(who, "see this pupil");
      return core::OkStatus();
    case Action::kReadAmendments:
      if (role == Role::kParent || role == Role::kGovernor) {
        return Deny(who, "see the amendment history");
      }
      if (!SeesPupil(who, subject, school_la_code)) return Deny(who, "see this pupil");
      return core::OkStatus();
    case Action::kReadSchoolSummary:
    case Action::kListClasses:
      if (role == Role::kParent) return Deny(who, "see school figures");
      return core::OkStatus();
    case Action::kReadRegister:
      // The SENCO reads registers (to see how a pupil's support is going)
      // but never marks them.
      if (WholeSchool(role) || role == Role::kSenco || la_linked) return core::OkStatus();
      if (role == Role::kTeacher && Has(who.class_ids, subject.class_id)) return core::OkStatus();
      return Deny(who, "see this register");
    case Action::kWriteMark:
      if (WholeSchool(role)) return core::OkStatus();
      if (role == Role::kTeacher && Has(who.class_ids, subject.class_id)) return core::OkStatus();
      return Deny(who, "record marks for this pupil");
    case Action::kExportScenario:
      if (WholeSchool(role) || la_linked) return core::OkStatus();
      return Deny(who, "export the school's data");
    case Action::kReadSettings:
      if (role == Role::kParent || role == Role::kSafeguardingLead || role == Role::kSenco) {
        return Deny(who, "see school settings");
      }
      return core::OkStatus();
    case Action::kWriteSettings:
      if (role == Role::kHead) return core::OkStatus();
      return Deny(who, "change school policy");
    case Action::kManageUsers:
      if (role == Role::kHead) return core::OkStatus();
      return Deny(who, "manage staff accounts");
    case Action::kImportRoll:
      if (role == Role::kOffice || role == Role::kHead) return core::OkStatus();
      return Deny(who, "import the school's roll");
    case Action::kReportAbsence:
      if (WholeSchool(role)) return core::OkStatus();
      if (role == Role::kParent && Has(who.pupil_ids, subject.pupil_id)) return core::OkStatus();
      return Deny(who, "report an absence for this pupil");
    case Action::kListAbsenceReports:
      if (role == Role::kGovernor) return Deny(who, "see absence reports");
      return core::OkStatus();
    case Action::kResolveAbsenceReport:
      if (WholeSchool(role)) return core::OkStatus();
      return Deny(who, "resolve absence reports");
    case Action::kReadWorklist:
      if (WholeSchool(role)) return core::OkStatus();
      return Deny(who, "see the office's worklist");
    case Action::kReadAmendmentReport:
      if (WholeSchool(role) || la_linked) return core::OkStatus();
      return Deny(who, "see the amendments report");
    case Action::kReadOwnChildren:
      if (role == Role::kParent) return core::OkStatus();
      return Deny(who, "use the parents' page");
    case Action::kReadContactLog:
      if (role == Role::kParent || role == Role::kGovernor) return Deny(who, "see a contact log");
      if (!SeesPupil(who, subject, school_la_code)) return Deny(who, "see this pupil");
      return core::OkStatus();
    case Action::kRecordContact:
      if (WholeSchool(role) || role == Role::kSafeguardingLead || la_linked) {
        return core::OkStatus();
      }
      return Deny(who, "record contacts with families");
    case Action::kReadCases:
    case Action::kWorkCases:
      // Safeguarding casework: the designated safeguarding lead, the
      // office, the head, the attendance officer and the LA.
      if (WholeSchool(role) || role == Role::kSafeguardingLead || la_linked) {
        return core::OkStatus();
      }
      return Deny(who, "see or work on children-missing-education cases");
    case Action::kReadSupport:
      if (role == Role::kParent || role == Role::kGovernor) {
        return Deny(who, "see a pupil's support plans");
      }
      if (!SeesPupil(who, subject, school_la_code)) return Deny(who, "see this pupil");
      return core::OkStatus();
    case Action::kWorkSupport:
      if (WholeSchool(role) || role == Role::kSenco || la_linked) return core::OkStatus();
      return Deny(who, "record stages, meetings and action plans");
    case Action::kReadLaSchools:
      // Only an officer of the school's own LA (checked above for officers).
      if (la_linked) return core::OkStatus();
      return Deny(who, "see the local authority's cross-school views");
    case Action::kReadLaNotifications:
      if (WholeSchool(role) || la_linked) return core::OkStatus();
      return Deny(who, "see the notifications to the local authority");
    case Action::kSendLaNotification:
      if (WholeSchool(role)) return core::OkStatus();
      return Deny(who, "send notifications to the local authority");
    case Action::kAcknowledgeLaNotification:
      if (la_linked) return core::OkStatus();
      return Deny(who, "acknowledge notifications for the local authority");
    case Action::kAgreePartTime:
      // The head agrees it with the parent (docs/rules.md section 6).
      if (role == Role::kHead) return core::OkStatus();
      return Deny(who, "agree a part-time timetable: the head does");
    case Action::kSendLetters:
      if (WholeSchool(role)) return core::OkStatus();
      return Deny(who, "send letters to families");
    case Action::kRequestLeave:
      if (WholeSchool(role)) return core::OkStatus();
      if (role == Role::kParent && Has(who.pupil_ids, subject.pupil_id)) return core::OkStatus();
      return Deny(who, "ask for leave of absence for this pupil");
    case Action::kDecideLeave:
      // Only a person the proprietor authorises: the head, never the LA.
      if (role == Role::kHead) return core::OkStatus();
      return Deny(who, "grant or refuse leave of absence: the head does");
    case Action::kReadLeave:
      if (role == Role::kGovernor) return Deny(who, "see leave requests");
      if (!SeesPupil(who, subject, school_la_code)) return Deny(who, "see this pupil");
      return core::OkStatus();
    case Action::kReadPenalties:
    case Action::kRecordPenaltyPayment:
      if (WholeSchool(role) || la_linked) return core::OkStatus();
      return Deny(who, "see or work on penalty-notice cases");
    case Action::kDecidePenalty:
      // Issuers under the national framework: the head (or an authorised
      // deputy) and the local authority.
      if (role == Role::kHead || la_linked) return core::OkStatus();
      return Deny(who, "decide on penalty notices: the head or the local authority does");
    case Action::kEditContacts:
      // The school's own records of the family (the admission register):
      // the office and the head.
      if (role == Role::kOffice || role == Role::kHead) return core::OkStatus();
      return Deny(who, "change a pupil's contacts");
    case Action::kAdmitPupil:
    case Action::kEditPupil:
    case Action::kRemoveFromRoll:
      // The admission register is the school's: the office and the head.
      if (role == Role::kOffice || role == Role::kHead) return core::OkStatus();
      return Deny(who, "change the admission register");
    case Action::kReadAdmissionHistory:
      if (role == Role::kOffice || role == Role::kHead || la_linked) return core::OkStatus();
      return Deny(who, "see the admission register's history");
    case Action::kManageApiTokens:
      if (role == Role::kHead) return core::OkStatus();
      return Deny(who, "manage API tokens");
    case Action::kManageWebhooks:
      // Subscriptions send pupils' data to other systems: the head decides.
      if (role == Role::kHead) return core::OkStatus();
      return Deny(who, "manage webhooks");
    case Action::kMakeCensusReturn:
      // The school's statutory return: the head signs it off, the office
      // prepares it.
      if (role == Role::kOffice || role == Role::kHead) return core::OkStatus();
      return Deny(who, "make the school census return");
    case Action::kReadCensusReturns:
      if (role == Role::kOffice || role == Role::kHead || la_linked) return core::OkStatus();
      return Deny(who, "see the school census returns");
    case Action::kManageBackups:
      // A backup is a copy of every child's record, written to a folder
      // outside rollcall's own care: the head decides where.
      if (role == Role::kHead) return core::OkStatus();
      return Deny(who, "manage the school's backups");
    case Action::kManageMessaging:
      // The relay's password and the Notify key send in the school's name:
      // the head decides.
      if (role == Role::kHead) return core::OkStatus();
      return Deny(who, "change how the school sends email and text messages");
    case Action::kReadMessageLog:
      // Every family's messages, with their addresses: those who keep the
      // school's registers and contact families.
      if (WholeSchool(role)) return core::OkStatus();
      return Deny(who, "see the log of email and text messages");
    case Action::kReadMessages:
      if (role == Role::kGovernor) return Deny(who, "see messages to parents");
      if (!SeesPupil(who, subject, school_la_code)) return Deny(who, "see this pupil");
      return core::OkStatus();
    case Action::kReadShares:
    case Action::kShareNow:
      // Pupil-level data leaving the school: those who keep its registers.
      if (WholeSchool(role)) return core::OkStatus();
      return Deny(who, "see or send the daily attendance share");
    case Action::kWriteTransferFile:
      // The leaver's school sends the file: the office, the head and the
      // attendance officer, never the LA on the school's behalf.
      if (WholeSchool(role)) return core::OkStatus();
      return Deny(who, "write Common Transfer Files");
    case Action::kManageNotifications:
      if (role == Role::kHead) return core::OkStatus();
      return Deny(who, "change the notifications sent to staff");
    case Action::kReadSocialWorker:
      // Safeguarding details, seen by those who see safeguarding casework
      // (kReadCases): the DSL, the office, the head, the attendance officer
      // and the LA; never a class teacher, the SENCO or a parent.
      if (WholeSchool(role) || role == Role::kSafeguardingLead || la_linked) {
        return core::OkStatus();
      }
      return Deny(who, "see a pupil's social worker");
    case Action::kEditSocialWorker:
      if (role == Role::kOffice || role == Role::kHead || role == Role::kSafeguardingLead) {
        return core::OkStatus();
      }
      return Deny(who, "record a pupil's social worker");
    case Action::kUploadEvidence:
      // As reporting an absence: the family for their own child, or the
      // office with a note the family handed in.
      if (WholeSchool(role)) return core::OkStatus();
      if (role == Role::kParent && Has(who.pupil_ids, subject.pupil_id)) return core::OkStatus();
      return Deny(who, "send medical evidence for this pupil");
    case Action::kReadEvidence:
      // Health information: those who follow up absence, and the family.
      if (WholeSchool(role)) return core::OkStatus();
      if (role == Role::kParent && Has(who.pupil_ids, subject.pupil_id)) return core::OkStatus();
      return Deny(who, "see this pupil's medical evidence");
    case Action::kRecordCondition:
      if (role == Role::kOffice || role == Role::kHead) return core::OkStatus();
      return Deny(who, "record a pupil's known condition");
    case Action::kManageRetention:
      // Deleting the school's records for good: the head decides.
      if (role == Role::kHead) return core::OkStatus();
      return Deny(who, "see or change how long records are kept, or purge them");
    case Action::kReadAccessLog:
      // Who looked at which child is itself personal data about staff and
      // pupils: the head, who answers for the school's data protection.
      if (role == Role::kHead) return core::OkStatus();
      return Deny(who, "see who read pupils' records");
    case Action::kMakeSubjectAccess:
      // A request under UK GDPR is answered by the school as controller:
      // the head decides what is released.
      if (role == Role::kHead) return core::OkStatus();
      return Deny(who, "make a subject access request's copy of a pupil's or parent's data");
    case Action::kReadRewards:
      // Class tables and lists for assemblies and newsletters, inside the
      // school: which names each reader sees is kReadPupil's (rewards.h).
      if (role == Role::kParent || role == Role::kLaOfficer) {
        return Deny(who, "see the school's rewards tables");
      }
      return core::OkStatus();
    case Action::kReadEarlyWarning:
      // A ranking of named children by a guess about their year: for those
      // who work with every pupil's attendance (the office, the head, the
      // attendance officer, the DSL, the SENCO); never a class teacher, a
      // governor, a parent or the LA.
      if (WholeSchool(role) || role == Role::kSafeguardingLead || role == Role::kSenco) {
        return core::OkStatus();
      }
      return Deny(who, "see the early warning of persistent absence");
    case Action::kSignInOut:
      // The reception desk: whoever runs the office, and the head.
      if (role == Role::kOffice || role == Role::kHead) return core::OkStatus();
      return Deny(who, "sign pupils in or out at reception");
    case Action::kManageTransport:
      // A route's delay turns its pupils' U marks into L: those who record
      // late arrivals decide it.
      if (role == Role::kOffice || role == Role::kHead) return core::OkStatus();
      return Deny(who, "manage school transport routes and delays");
    case Action::kReadTimetable:
      if (role == Role::kParent || role == Role::kGovernor || role == Role::kLaOfficer) {
        return Deny(who, "see the timetable");
      }
      return core::OkStatus();
    case Action::kManageTimetable:
      if (role == Role::kOffice || role == Role::kHead) return core::OkStatus();
      return Deny(who, "import the timetable");
    case Action::kReadLessonRegister:
    case Action::kWriteLessonMark:
      // A teacher only for the groups they teach: Lessons checks the group.
      if (role == Role::kOffice || role == Role::kHead || role == Role::kTeacher) {
        return core::OkStatus();
      }
      return Deny(who, action == Action::kReadLessonRegister ? "see lesson registers"
                                                             : "record lesson marks");
    case Action::kReadLessonDisagreements:
      if (role == Role::kOffice || role == Role::kHead || role == Role::kSafeguardingLead) {
        return core::OkStatus();
      }
      return Deny(who, "see where lesson registers and the statutory register disagree");
  }
  core::Unreachable();
}

}  // namespace rollcall::service
