// letters.h
//
// The letters a school sends about attendance (docs/rules.md section 7): the
// termly RAG letter in the wording of the pupil's band, the attendance
// concern letter, the weekly lateness letter (a warning for one or two late
// marks in a week, notice of a lateness panel for three or more), the
// attendance panel invitation, the 100% attendance certificate and the
// most-improved attendance certificate (rewards, service/rewards.h). Compose
// turns the figures a letter quotes into its text; it reads no clock and no
// database, and the caller stores the text exactly as sent.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rollcall::letters {

enum class Template {
  kTermlyRag,
  kAttendanceConcern,
  kLateness,
  kPanelInvitation,
  kCertificate,
  kLeaveGranted,  // the head's decision on a leave request
  kLeaveRefused,
  kImprovedCertificate,  // most improved attendance: printed from the rewards page
};

struct TemplateInfo {
  Template id;
  std::string_view key;    // "termly_rag", ... (API, forms, database)
  std::string_view title;  // for people
  std::string_view who;    // who gets it when sent to a group
};
std::span<const TemplateInfo> Templates();
const TemplateInfo& InfoOf(Template t);
std::optional<Template> TemplateFromKey(std::string_view key);
// Whether the letters page sends it to groups (leave letters go with a
// decision instead; most-improved certificates from the rewards page).
bool ForGroups(Template t);

// The figures a letter quotes, already counted by the rules core and
// formatted for the page.
struct Facts {
  std::string school_name;
  std::string signatory;   // "Mrs S Okafor, Headteacher"
  std::string date;        // "2 December 2026"
  std::string addressee;   // "Mr T Edwards"
  std::string salutation;  // "Dear Mr Edwards"; empty: "Dear" and the addressee
  std::string pupil_name;
  std::string class_name;
  std::string period;          // "since the start of the school year (3 September 2026)"
  std::string attendance_pct;  // "91.2"
  std::string band;            // "green", "amber_upper", "amber_lower", "red", or ""
  std::string target_pct;      // "96"
  long long possible = 0;
  long long absent = 0;
  long long authorised = 0;
  long long unauthorised = 0;
  long long lates_in_week = 0;  // lateness letters
  std::string week;             // "the week of 23 November 2026"
  std::string meeting;          // panel invitations: when and where
  std::string term;             // certificates: "Autumn term 2026"
  std::string term_sessions;    // certificates: "142 of 142 sessions"
  std::string previous_term;    // most-improved certificates: "half-term that began on ..."
  std::string previous_pct;     // most-improved certificates: attendance then, "88.0"
  std::string leave_dates;      // leave decisions: "from 7 December (morning) to ..."
  std::string leave_reason;     // what the parent asked for
  std::string decision_reason;  // the head's reason
  std::string leave_code;       // "C (exceptional circumstances)"
};

struct Text {
  std::string subject;
  std::vector<std::string> paragraphs;  // salutation first, sign-off last
};

Text Compose(Template t, const Facts& facts);

// The paragraphs as stored: joined by blank lines; and back.
std::string JoinParagraphs(const std::vector<std::string>& paragraphs);
std::vector<std::string> SplitParagraphs(std::string_view body);

}  // namespace rollcall::letters
