// app_internal.h
//
// What the App handler files (app*.cc) share and nothing else sees: the
// request being handled (App::Call) and small helpers for times, ids, names
// and JSON bodies.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/codes.h"
#include "core/date.h"
#include "core/policy.h"
#include "core/pupil_sessions.h"
#include "core/scenario.h"
#include "core/status.h"
#include "service/contacts.h"
#include "service/fields.h"
#include "service/password.h"
#include "service/records.h"
#include "service/words.h"
#include "store/store.h"
#include "web/access.h"
#include "web/app.h"
#include "web/html.h"
#include "web/http.h"

namespace rollcall::web {

using json = nlohmann::ordered_json;

struct App::Call {
  const Request& req;
  Target target;
  std::optional<Principal> who;
  std::string csrf;
  // Set when an API token authenticated the request (App::Authenticate):
  // its use is logged once the request is answered.
  std::optional<int64_t> api_token_id;
};

namespace internal {

// Names every handler file uses (brought in with `using namespace internal`).
using core::Date;
using core::SessionKey;
using core::Status;
using core::StatusOr;
using store::Role;
// Passwords and tokens (service/password.h).
using service::HashCost;
using service::HashPassword;
using service::RandomToken;
using service::SecretEquals;
using service::TokenHash;
using service::ValidateNewUser;
using service::VerifyPassword;

// "HH:MM" of minutes after midnight, and back (nullopt unless 00:00-23:59).
using service::ParseTime;
using service::TimeText;
// "2026-11-25T09:05:00Z".
using service::IsoTime;
// A positive decimal id of at most 18 digits.
using service::ParseId;
// Stored records as the rules core and the access rules see them.
using service::CohortTagsOn;
using service::ContactEntryJson;
using service::DisplayName;
using service::EvidenceText;
using service::PolicyOf;
using service::PrincipalOf;
using service::RecordOf;
using service::ScenarioOf;
using store::CalendarOf;
json UserJson(const store::User& user);
// The JSON object body of a request, with only `allowed` keys.
core::StatusOr<nlohmann::json> ObjectBody(const Request& req,
                                          std::initializer_list<const char*> allowed);
// A string member; "" when absent or null and not required.
core::StatusOr<std::string> StringField(const nlohmann::json& body, const char* key, bool required);
// A true or false member; `absent` when it is not there or null (required
// when `absent` is nullopt).
core::StatusOr<bool> TrueOrFalse(const nlohmann::json& body, const char* key,
                                 std::optional<bool> absent);
using service::ParseDateParam;
core::Status MethodNotAllowed();
// One of a pupil's contacts, as the API gives it (app_contacts.cc).
json PupilContactJson(const store::Contact& c);

// Pages (app_pages.cc). The fields of a form POST (application/x-www-form-urlencoded);
// day, month and year fields of a DateInput become one "YYYY-MM-DD" field.
std::map<std::string, std::string> FormFields(const Request& req);
// The whole page around `body`, with the role's navigation.
Response Layout(const std::optional<Principal>& who, const std::string& csrf,
                const std::string& school, const std::string& title, const Html& body,
                http::status status = http::status::ok);
// A page saying why `s` refused the request, with its HTTP status.
Response Refused(const std::optional<Principal>& who, const std::string& csrf,
                 const std::string& school, const Status& s);
// What a form gets when `s` refused it: "There is a problem" with why, and a
// link back to the page the form is on (`back`), with the HTTP status.
Response NotSaved(const std::optional<Principal>& who, const std::string& csrf, const Status& s,
                  const std::string& back, const std::string& title = "Not saved",
                  const std::string& school = "");
// One line for a contact log entry: "09:39 Phone call to Mrs A Khan (Mother):
// no answer. Note. (Ms Office)" (app_contacts.cc).
std::string ContactSummary(const store::ContactLogEntry& e, const std::string& when);
// Today's one-line "log a call" form for a pupil (app_contacts.cc).
Html CallForm(const std::string& csrf, const store::Pupil& p);
// "96.3%".
Html Percent(double pct);
// A file's size as people read it: "340 KB", "2.4 MB".
std::string SizeText(int64_t bytes);
// The academic year: "2024/25".
using core::AcademicYearText;
// The value of `key` in a form or query, "" when absent.
std::string Get(const std::map<std::string, std::string>& m, const std::string& key);
// A PDF shown in the browser, saved as `filename`.
Response PdfResponse(std::string body, const std::string& filename);
// One GOV.UK checkbox sending `name` (default: its id) = "yes" when ticked.
Html Checkbox(const std::string& id, std::string_view label, bool checked,
              const std::string& name = "");
// A file the browser downloads as `filename` (CSV, XML, JSON).
Response Attachment(std::string body, std::string content_type, const std::string& filename);
// A quoted CSV field; a leading = + - @ gets an apostrophe (no spreadsheet formula).
std::string CsvField(const std::string& text);
// "£80.00".
using service::Pounds;
// What pages show people (service/words.h): UK dates, moments in UK time,
// plurals, codes, bands and cohort flags in words.
using service::BandText;
using service::CitedSessions;
using service::CodeText;
using service::CohortText;
using service::DayDate;
using service::LongDate;
using service::MomentText;
using service::Plural;
using service::SessionText;
using service::ShortDate;
using service::ShortDayDate;
// A percentage from the result JSON: "96.3%", or "–" when null (no possible
// session to divide by).
Html PercentOf(const nlohmann::ordered_json& value);
// A cohort flag in words: "SEN_K" as "SEN K"; "" as "all pupils"
// (app_la_views.cc).
std::string CohortLabel(const std::string& tag);
// Figures as tables, so that a page (a table under each heading) and a PDF
// (a line a row) say the same (app_la_views.cc).
struct PackTable {
  std::string heading;
  std::string caption;
  std::vector<std::string> columns;  // the first heads the cell that names the row
  std::vector<std::vector<std::string>> rows;
  std::string none;  // said instead of an empty table
  // Optional: per row, the address of a last cell linking there with
  // link_text ("" for no link); the row's name follows it for screen readers.
  std::vector<std::string> links;
  std::string link_text;
};
// Each table under its heading; a table with no rows says so instead.
Html TablesHtml(const std::vector<PackTable>& tables);
// The header's pupil search, for those who may list pupils; empty for
// others (app_find.cc).
Html PupilSearchForm(const Principal& who);

// Feedback after a form (app_internal.cc). What a form did, said on the page
// it returns to: the handler redirects with RedirectDone, and that page puts
// DoneBanner(call.target.query) above its content.
enum class Done : uint8_t {
  kMarkSaved,
  kAllPresent,
  kCallLogged,
  kContactSaved,
  kReportConfirmed,
  kLeaveCoded,
  kStageSaved,
  kSupportSaved,
  kPartTimeAgreed,
  kPartTimeReviewed,
  kCmeStepSaved,
  kCmeClosed,
  kLeaveSent,      // a parent's request
  kLeaveRecorded,  // a request the office entered for a family
  kLeaveGranted,
  kLeaveRefused,
  kLeaveWithdrawn,
  kNotificationSent,
  kNotificationReceived,
  kPenaltySaved,
  kClosureAdded,
  kAbsenceSent,  // a parent's absence report
  kPasswordChanged,
  kPupilAdmitted,
  kPupilEdited,
  kPupilLeft,
  kAccountDisabled,
  kAccountEnabled,
  kApiTokenRevoked,
  kWebhookPaused,
  kWebhookResumed,
  kWebhookDeleted,
  kWebhookTestQueued,
  kEvidenceSent,
  kConditionSaved,
  kMessageSettingsSaved,
  kMessageTestQueued,
  kBackupSettingsSaved,
  kBackupMade,
};
// Links to print the day's register of `class_id` and its class list
// (app_print.cc).
Html PrintLinks(int64_t class_id, const std::string& date);
// A redirect to `path` with done=<what> added to its query (before any
// #fragment).
Response RedirectDone(std::string path, Done what);
// The success banner for the done= of a page's query, or nothing when it names no
// confirmation: the words are the program's own, never the address's.
Html DoneBanner(const std::map<std::string, std::string>& query);
// A GOV.UK success notification banner saying `message`.
Html SuccessBanner(std::string_view message);

// GOV.UK Frontend components the pages share (app_internal.cc).
// "There is a problem" above a form or page, with `message`; linked to the
// field whose id is `field_id` when there is one.
Html ErrorSummary(const std::string& message, const std::string& field_id = "");
// The same with several problems: (message, field id) pairs, each linked.
Html ErrorSummary(const std::vector<std::pair<std::string, std::string>>& problems);
// A confirmation shown in place after an action ("Saved as a new version.").
Html Notice(const Html& message);
// The tag colour for a code's statistical category ("govuk-tag--green" for
// present), so that codes read the same on every page.
const char* CodeTagClass(std::optional<core::AttendanceCode> code);
// A policy band ("green", "amber_lower", "red"; "" for none) as a tag.
Html BandTag(const std::string& band);
// A date as day, month and year fields (govuk-date-input) sent as
// `name`-day, `name`-month and `name`-year; FormFields reads them back as
// `name` ("2026-12-02"), so a handler takes either form.
Html DateInput(const std::string& id, const std::string& name, const std::string& label,
               std::optional<Date> value, bool required = true);
// The school week's days, Monday first, as the pages name them.
inline constexpr const char* kWeekdayNames[] = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                                "Friday"};
// "12 of 29 marked": how much of a register (AM/PM or a lesson's) is
// taken. `oob`: to replace the count's text on the page after a mark, as
// htmx swaps it out of band.
Html ProgressCount(size_t marked, size_t total, bool oob);
// A register's row saying why a mark was refused, in place of the row.
Html ErrorRow(std::string_view message);

}  // namespace internal
}  // namespace rollcall::web
