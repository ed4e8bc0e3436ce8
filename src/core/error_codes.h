// error_codes.h
//
// The one registry of stable machine error codes. They appear in JSON error
// bodies and on stderr; once released a code is never renamed or reused.
#pragma once

namespace rollcall::core {

// Scenario and mark validation.
inline constexpr char kErrJsonMalformed[] = "JSON_MALFORMED";
inline constexpr char kErrJsonType[] = "JSON_WRONG_TYPE";
inline constexpr char kErrJsonDuplicateKey[] = "JSON_DUPLICATE_KEY";
inline constexpr char kErrJsonNumberTooLong[] = "JSON_NUMBER_TOO_LONG";
inline constexpr char kErrRequiredKey[] = "REQUIRED_KEY_MISSING";
inline constexpr char kErrUnknownKey[] = "UNKNOWN_KEY";
inline constexpr char kErrDateInvalid[] = "DATE_INVALID";
inline constexpr char kErrValueInvalid[] = "VALUE_INVALID";
inline constexpr char kErrCodeUnknown[] = "MARK_CODE_UNKNOWN";
inline constexpr char kErrCodeWithdrawn[] = "MARK_CODE_WITHDRAWN";
inline constexpr char kErrCodeNotYetValid[] = "MARK_CODE_NOT_YET_VALID";
inline constexpr char kErrSessionNotOpen[] = "SESSION_NOT_OPEN";
inline constexpr char kErrPupilNotOnRoll[] = "PUPIL_NOT_ON_ROLL";
inline constexpr char kErrPupilUnknown[] = "PUPIL_UNKNOWN";
inline constexpr char kErrPupilDuplicate[] = "PUPIL_DUPLICATE";
// A deletion from the admission register whose ground's conditions are not met.
inline constexpr char kErrDeletionRefused[] = "DELETION_REFUSED";
// A lesson mark that is not one a lesson may have (U, Z, #, X, or the other
// session's present code).
inline constexpr char kErrLessonCodeInvalid[] = "LESSON_CODE_INVALID";

// Files and commands.
inline constexpr char kErrFileRead[] = "FILE_READ";
inline constexpr char kErrFileWrite[] = "FILE_WRITE";
// libmagic, which reads an uploaded file's type from its bytes, could not
// be started (its database missing) or failed.
inline constexpr char kErrFileType[] = "FILE_TYPE";
inline constexpr char kErrCsvInvalid[] = "CSV_INVALID";      // a marks CSV file
inline constexpr char kErrDbMissing[] = "DB_MISSING";        // no database at the path given
inline constexpr char kErrListenFailed[] = "LISTEN_FAILED";  // the server cannot take its port
inline constexpr char kErrBenchIo[] = "BENCH_IO";            // a benchmark's own files
inline constexpr char kErrPdfFailed[] = "PDF_FAILED";        // libharu could not make a PDF
inline constexpr char kErrPasswordHash[] = "PASSWORD_HASH";  // libsodium could not hash
// --tls-cert or --tls-key: missing, not PEM, or a key not the certificate's.
inline constexpr char kErrTlsCertInvalid[] = "TLS_CERT_INVALID";
// A backup file that is missing, not a rollcall database, damaged, or from a
// newer rollcall.
inline constexpr char kErrBackupInvalid[] = "BACKUP_INVALID";
// The file a backup or restore would write is there already (no --force).
inline constexpr char kErrFileExists[] = "FILE_EXISTS";
// A database open in another program (a running server) that restore would replace.
inline constexpr char kErrDbInUse[] = "DB_IN_USE";
// A --config file with a setting the command does not have or a value it refuses.
inline constexpr char kErrConfigFile[] = "CONFIG_FILE";
// A --schools file (serve): a bad line, a URN or host listed twice, or a URN
// with no school in the database.
inline constexpr char kErrSchoolsFile[] = "SCHOOLS_FILE";

// The columnar engine.
inline constexpr char kErrTooManyCohorts[] = "TOO_MANY_COHORTS";
inline constexpr char kErrEngineFile[] = "ENGINE_FILE";

// Store.
inline constexpr char kErrDbOpen[] = "DB_OPEN";            // cannot open the database file
inline constexpr char kErrDbMigration[] = "DB_MIGRATION";  // schema newer than this binary
inline constexpr char kErrDbError[] = "DB_ERROR";          // an SQL statement failed
inline constexpr char kErrDbBusy[] = "DB_BUSY";            // locked by another writer too long
// The connection to PostgreSQL was lost while COMMIT was on its way and the
// server could not be asked afterwards whether it committed.
inline constexpr char kErrDbCommitUnknown[] = "DB_COMMIT_UNKNOWN";
// A stored text that names no value of its enum (a kind, decision, outcome or
// status this program cannot have written): the database was changed outside it.
inline constexpr char kErrDbBadValue[] = "DB_BAD_VALUE";
inline constexpr char kErrUserUnknown[] = "USER_UNKNOWN";
inline constexpr char kErrUserDuplicate[] = "USER_DUPLICATE";
inline constexpr char kErrClassUnknown[] = "CLASS_UNKNOWN";
inline constexpr char kErrSessionUnknown[] = "AUTH_SESSION_UNKNOWN";
// A login session ended because it went unused for the school's idle limit.
inline constexpr char kErrSessionIdle[] = "SESSION_IDLE";
inline constexpr char kErrInviteUnknown[] = "INVITE_UNKNOWN";  // no link with that token
// A link already used, replaced by a newer one, expired, or for a disabled account.
inline constexpr char kErrInviteEnded[] = "INVITE_ENDED";
inline constexpr char kErrSchoolUnset[] = "SCHOOL_NOT_SET";
// Set-up on a database that already has a school.
inline constexpr char kErrSchoolExists[] = "SCHOOL_EXISTS";
// A calendar change that would close a session holding recorded marks.
inline constexpr char kErrCalendarOrphansMarks[] = "CALENDAR_ORPHANS_MARKS";
inline constexpr char kErrUpnInvalid[] = "UPN_INVALID";
inline constexpr char kErrReportUnknown[] = "ABSENCE_REPORT_UNKNOWN";
inline constexpr char kErrReportResolved[] = "ABSENCE_REPORT_RESOLVED";
inline constexpr char kErrContactOutcome[] = "CONTACT_OUTCOME_INVALID";
inline constexpr char kErrCaseUnknown[] = "CME_CASE_UNKNOWN";
inline constexpr char kErrCaseOpen[] = "CME_CASE_OPEN";
inline constexpr char kErrCaseClosed[] = "CME_CASE_CLOSED";
inline constexpr char kErrSupportEvent[] = "SUPPORT_EVENT_INVALID";
inline constexpr char kErrSupportPlan[] = "SUPPORT_PLAN_UNKNOWN";
inline constexpr char kErrPartTimeInvalid[] = "PART_TIME_INVALID";
inline constexpr char kErrPartTimeUnknown[] = "PART_TIME_UNKNOWN";
inline constexpr char kErrPartTimeOverlap[] = "PART_TIME_OVERLAP";
inline constexpr char kErrLetterUnknown[] = "LETTER_UNKNOWN";
inline constexpr char kErrNoLetters[] = "NO_LETTERS";
inline constexpr char kErrLetterPosted[] = "LETTER_POSTED";
inline constexpr char kErrPenaltyCaseUnknown[] = "PENALTY_CASE_UNKNOWN";
inline constexpr char kErrPenaltyCaseExists[] = "PENALTY_CASE_EXISTS";
inline constexpr char kErrPenaltyCaseClosed[] = "PENALTY_CASE_CLOSED";
inline constexpr char kErrPenaltyNoticeUnknown[] = "PENALTY_NOTICE_UNKNOWN";
inline constexpr char kErrPenaltyEvent[] = "PENALTY_EVENT_INVALID";
inline constexpr char kErrLeaveInvalid[] = "LEAVE_INVALID";
inline constexpr char kErrLeaveUnknown[] = "LEAVE_UNKNOWN";
inline constexpr char kErrLeaveDecided[] = "LEAVE_DECIDED";
inline constexpr char kErrLeaveRetrospective[] = "LEAVE_RETROSPECTIVE";
inline constexpr char kErrPenaltyThirdNotice[] = "PENALTY_THIRD_NOTICE";
inline constexpr char kErrPenaltyNoticeLapsed[] = "PENALTY_NOTICE_LAPSED";
// A notice or letter for someone without parental responsibility, or for a
// pupil with no contact recorded as having it.
inline constexpr char kErrNotAParent[] = "NOT_A_PARENT";
inline constexpr char kErrNoParentRecorded[] = "NO_PARENT_RECORDED";
inline constexpr char kErrNotificationSent[] = "NOTIFICATION_SENT";
// A daily share recorded under a version another share took meanwhile.
inline constexpr char kErrShareVersionTaken[] = "SHARE_VERSION_TAKEN";
// A daily share asked for with no destination set (a folder or an https address).
inline constexpr char kErrShareNoDestination[] = "SHARE_NO_DESTINATION";
inline constexpr char kErrNotificationNotSent[] = "NOTIFICATION_NOT_SENT";
// No Common Transfer File owed with that id.
inline constexpr char kErrTransferUnknown[] = "TRANSFER_UNKNOWN";
// A Common Transfer File that cannot be written: the school has no LA or
// establishment number, or no pupil is chosen.
inline constexpr char kErrTransferInvalid[] = "TRANSFER_INVALID";
// Webhooks: a subscription or outbox message that is not there, and a
// subscription with no event kind or one rollcall does not send.
inline constexpr char kErrWebhookUnknown[] = "WEBHOOK_UNKNOWN";
inline constexpr char kErrWebhookInvalid[] = "WEBHOOK_INVALID";
inline constexpr char kErrOutboxUnknown[] = "OUTBOX_UNKNOWN";
// Message templates: a kind rollcall does not send, and words that use a
// field the kind does not have, or are empty or too long.
inline constexpr char kErrTemplateUnknown[] = "TEMPLATE_UNKNOWN";
inline constexpr char kErrTemplateInvalid[] = "TEMPLATE_INVALID";
// Medical evidence: a file that is not there; a file refused (its type, its
// name, its dates); a mark changed from illness to unauthorised absence when
// no evidence was asked for, without the office's confirmation.
inline constexpr char kErrEvidenceUnknown[] = "EVIDENCE_UNKNOWN";
inline constexpr char kErrEvidenceInvalid[] = "EVIDENCE_INVALID";
inline constexpr char kErrEvidenceNotAsked[] = "EVIDENCE_NOT_ASKED";
// A subject access request for a contact the pupil's contact list does not have.
inline constexpr char kErrContactUnknown[] = "CONTACT_UNKNOWN";
// The reception desk: a transport route that is not there, a second route
// of the same name, a second delay for one route and session.
inline constexpr char kErrRouteUnknown[] = "ROUTE_UNKNOWN";
inline constexpr char kErrRouteNameTaken[] = "ROUTE_NAME_TAKEN";
inline constexpr char kErrRouteDelayExists[] = "ROUTE_DELAY_EXISTS";
// Timetables and lesson registers: a timetable refused (duplicate names,
// overlapping periods, a cycle day out of range, a pupil in two lessons at
// once, unknown staff or pupils; or an import file's bad line); a period or
// teaching group that is not there; a lesson the timetable does not have on
// that date.
inline constexpr char kErrTimetableInvalid[] = "TIMETABLE_INVALID";
inline constexpr char kErrPeriodUnknown[] = "PERIOD_UNKNOWN";
inline constexpr char kErrGroupUnknown[] = "GROUP_UNKNOWN";
inline constexpr char kErrLessonNotTimetabled[] = "LESSON_NOT_TIMETABLED";

// Service and HTTP.
inline constexpr char kErrNotLoggedIn[] = "NOT_LOGGED_IN";
inline constexpr char kErrLoginFailed[] = "LOGIN_FAILED";
inline constexpr char kErrLoginThrottled[] = "LOGIN_THROTTLED";
inline constexpr char kErrCsrf[] = "CSRF_TOKEN_INVALID";
// An API token (Authorization: Bearer) that no token has, or one revoked
// or past its expiry.
inline constexpr char kErrTokenInvalid[] = "TOKEN_INVALID";
inline constexpr char kErrTokenRevoked[] = "TOKEN_REVOKED";
inline constexpr char kErrTokenExpired[] = "TOKEN_EXPIRED";
inline constexpr char kErrForbidden[] = "FORBIDDEN";
inline constexpr char kErrNotFound[] = "NOT_FOUND";
inline constexpr char kErrMethod[] = "METHOD_NOT_ALLOWED";
inline constexpr char kErrBodyTooLarge[] = "BODY_TOO_LARGE";
inline constexpr char kErrReasonRequired[] = "REASON_REQUIRED";
inline constexpr char kErrSessionInFuture[] = "SESSION_IN_FUTURE";
// A mark for today's session before its register opens (the school's opening time).
inline constexpr char kErrRegisterNotOpen[] = "REGISTER_NOT_OPEN";
// A late mark's arrival time later than now.
inline constexpr char kErrArrivalInFuture[] = "ARRIVAL_IN_FUTURE";
inline constexpr char kErrTimeInvalid[] = "TIME_INVALID";
inline constexpr char kErrInternal[] = "INTERNAL";  // a request failed inside the server
// Second factor: a one-time or recovery code that is not right (or was
// used already); a password that was right but still needs a code (the
// API's login, for an account with a second factor); enrolment begun or
// done twice; the step after the password that has ended or never began.
inline constexpr char kErrCodeWrong[] = "SECOND_FACTOR_CODE_WRONG";
inline constexpr char kErrSecondFactorNeeded[] = "SECOND_FACTOR_NEEDED";
inline constexpr char kErrSecondFactorEnrolled[] = "SECOND_FACTOR_ENROLLED";
inline constexpr char kErrPendingLoginEnded[] = "PENDING_LOGIN_ENDED";
// Signing a pupil in or out at reception: a time later than now, a time
// before the session began (not late), and a departure's code that is not
// an absence code.
inline constexpr char kErrSignTimeInFuture[] = "SIGN_TIME_IN_FUTURE";
inline constexpr char kErrSignTimeBeforeSession[] = "SIGN_TIME_BEFORE_SESSION";
inline constexpr char kErrSignOutCodeInvalid[] = "SIGN_OUT_CODE_INVALID";

}  // namespace rollcall::core
