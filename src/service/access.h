// access.h
//
// The one place that decides who may do what. Every handler asks Authorize()
// before it reads or writes; no handler checks roles itself. The rules:
//
//   teacher     registers, pupils and summaries of their own classes; marks
//               on their own classes' registers; school aggregates
//   office      the whole school: pupils, registers, codes, amendments,
//               export, contacts, casework
//   attendance  attendance officer: as office (registers, amendments, the
//               day's worklist, absence reports, letters, LA notifications,
//               CME, support, penalty cases and payments, asking for leave),
//               but not pupils' contacts; never settings or accounts
//   head        as office, plus policy settings, staff accounts, leave and
//               penalty decisions, part-time timetables, the access log and
//               subject access requests
//   dsl         designated safeguarding lead: reads every pupil, their
//               casework and contact log; records contacts; works CME cases;
//               no marks, registers, amendments reports or settings
//   senco       reads every pupil and their support plans, works support,
//               reads (never marks) registers; no settings
//   governor    school and cohort aggregates only, never a pupil's name
//               (the rewards' class table too, rewards.h)
//   la          read everything of schools linked to their LA (and casework)
//   parent      their own children: details, summary, absence reports,
//               medical evidence
//
// Lesson registers (secondary schools): every member of staff but a
// governor reads the timetable; the office and the head import it. A
// teacher reads and marks the registers of the teaching groups they teach
// (Lessons checks the group, which Subject does not carry); the office and
// the head any. The office, the head and the DSL see where lessons and the
// statutory register disagree.
//
// An API token (api_tokens.h) acts as the office would, and only within its
// scopes (api_scopes.h): an action outside them is refused, naming the
// scope it needs; no token manages accounts, settings or tokens.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "service/api_scopes.h"
#include "store/store.h"

namespace rollcall::service {

enum class Action : uint8_t {
  kListPupils = 1,     // list filtered by kReadPupil
  kReadPupil,          // details, marks, summary
  kReadAmendments,     // a pupil's audit trail
  kReadSchoolSummary,  // school and cohort aggregates
  kListClasses,
  kReadRegister,    // a class's register for one session
  kWriteMark,       // record or amend a mark
  kExportScenario,  // whole-school data in the scenario format
  kReadSettings,
  kWriteSettings,
  kManageUsers,
  kImportRoll,          // pupils, classes, flags and contacts from the old system's files
  kReportAbsence,       // a parent tells the school a child is absent
  kListAbsenceReports,  // list filtered by kReadPupil
  kResolveAbsenceReport,
  kReadWorklist,               // the office's Today page
  kReadAmendmentReport,        // every amendment in a date range, with names
  kReadOwnChildren,            // the parents' page
  kReadContactLog,             // a pupil's contact log, with notes and names
  kRecordContact,              // add to a pupil's contact log (calls, visits, messages)
  kReadMessages,               // the school's messages to a pupil's parents
  kReadCases,                  // children-missing-education cases
  kWorkCases,                  // record CME steps and close cases
  kReadSupport,                // a pupil's graduated-approach stage, meetings and plans
  kWorkSupport,                // confirm stages, record meetings, plans and reviews
  kReadLaNotifications,        // the queue of notifications owed to the LA
  kSendLaNotification,         // mark one as sent (the school)
  kAcknowledgeLaNotification,  // mark one as received (the LA)
  kAgreePartTime,              // agree a part-time timetable (the head)
  kSendLetters,                // compose, record and print letters to families
  kRequestLeave,               // ask for leave of absence (parents for their own children)
  kDecideLeave,                // grant or refuse leave (the head)
  kReadLeave,                  // leave requests and decisions
  kReadPenalties,              // penalty-notice cases, notices and evidence packs
  kDecidePenalty,              // decide, issue notices to improve and penalty notices, withdraw
  kRecordPenaltyPayment,       // record a payment of a penalty notice
  kReadLaSchools,              // the LA's cross-school views: comparison, pupils by UPN, packs
  kEditContacts,               // a pupil's contacts: who they are, parental responsibility, address
  kAdmitPupil,                 // add a pupil to the admission register
  kEditPupil,                  // correct a pupil's admission register entry, with the reason
  kRemoveFromRoll,             // delete a pupil from the admission register on a ground
  kReadAdmissionHistory,       // a pupil's admission register entry and its changes
  kManageApiTokens,            // create, list and revoke API tokens (the head)
  kReadShares,                 // the daily attendance share: its log and what it will send
  kShareNow,                   // send the daily attendance share now
  kWriteTransferFile,          // the Common Transfer Files owed, and writing them
  kManageWebhooks,             // webhook subscriptions and their delivery log (the head)
  kMakeCensusReturn,           // check and download the school census attendance return
  kReadCensusReturns,          // the returns downloaded (the school, and its LA)
  kManageNotifications,        // which emails rollcall sends staff, and when (the head)
  kReadSocialWorker,           // a pupil's social worker's name and email (safeguarding)
  kEditSocialWorker,           // record or change a pupil's social worker
  kUploadEvidence,             // send medical evidence (parents for their own children)
  kReadEvidence,               // a pupil's medical evidence and the requests for it
  kRecordCondition,            // note a pupil's known condition and its review date
  kManageMessaging,            // how the school sends email and texts, and test messages (the head)
  kReadMessageLog,             // the email and text messages sent, with their delivery
  kManageRetention,            // retention periods, the purge and its log (the head)
  kReadAccessLog,              // who read which pupil's records, per pupil or per user (the head)
  kMakeSubjectAccess,          // a pupil's or a parent's data, for a subject access request (head)
  kManageBackups,              // the scheduled backup of the database and its log (the head)
  kReadRewards,                // class attendance tables and the 100% and most-improved lists
  kReadEarlyWarning,           // every pupil's chance of persistent absence, with its reasons
  kSignInOut,                  // sign pupils in late and out early at reception (office, head)
  kManageTransport,            // transport routes, their pupils and delays (office, head)
  kReadTimetable,              // the periods, teaching groups and lessons (staff, not governors)
  kManageTimetable,            // import the timetable (the office and the head)
  kReadLessonRegister,         // a lesson's register (teachers: their own groups')
  kWriteLessonMark,            // record or amend a lesson mark (teachers: their own groups')
  kReadLessonDisagreements,    // lessons against the statutory register, internal truancy
};

// The logged-in user as access decisions see them.
struct Principal {
  int64_t user_id = 0;
  store::Role role = store::Role::kTeacher;
  std::string name;
  std::string la_code;
  std::vector<int64_t> class_ids;
  std::vector<int64_t> pupil_ids;
  // Set when the caller is an API token: its scopes, which limit what the
  // role allows (the role is the office's, the name the token's).
  std::optional<std::vector<ApiScope>> token_scopes;
  // For the pages' menu only, never for a decision: the school has a
  // timetable with lessons the caller may open (a teacher: some of their
  // own). Set by the web layer for each page request.
  bool lessons_in_menu = false;
};

// What the action is about; fields not relevant to the action are ignored.
struct Subject {
  std::optional<int64_t> pupil_id;
  std::optional<int64_t> class_id;  // the pupil's class, or the register's
};

// Ok for a person; PermissionDenied (FORBIDDEN) for an API token. A token
// carries the user id of the head who made it but is no login of theirs: it
// may not change that account's password (or try guesses at it, which
// would lock the head out) nor log anyone out. `what` is what was asked,
// for the message ("change a password").
core::Status RefuseApiToken(const Principal& who, std::string_view what);

// Ok, or PermissionDenied (FORBIDDEN) saying what the role may not do.
core::Status Authorize(const Principal& who, Action action, const Subject& subject,
                       const std::string& school_la_code);

}  // namespace rollcall::service
