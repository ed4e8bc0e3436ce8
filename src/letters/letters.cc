// letters.cc: the wording of each letter.
#include "letters/letters.h"

#include <fmt/format.h>

#include <array>
#include <stdexcept>

namespace rollcall::letters {
namespace {

constexpr std::array<TemplateInfo, 6> kTemplates = {{
    {Template::kTermlyRag, "termly_rag", "Termly attendance letter (RAG)",
     "every pupil, in the wording of their band"},
    {Template::kAttendanceConcern, "attendance_concern", "Attendance concern letter",
     "pupils below the school's attendance target"},
    {Template::kLateness, "lateness", "Lateness letter",
     "pupils late at least once last week (a panel notice from 3 lates)"},
    {Template::kPanelInvitation, "panel_invitation", "Attendance panel invitation",
     "pupils in the lowest (red) band"},
    {Template::kCertificate, "certificate", "100% attendance certificate",
     "pupils with every session attended this term"},
    {Template::kImprovedCertificate, "improved_certificate", "Most improved attendance certificate",
     "pupils on the rewards page's most-improved list"},
}};

std::string BandWords(const std::string& band) {
  if (band == "green") return "green: no concern";
  if (band == "amber_upper") return "amber: a little below where we would like";
  if (band == "amber_lower") return "amber: below where we would like";
  if (band == "red") return "red: a serious concern";
  return band.empty() ? "not yet banded" : band;
}

// Follows the sentence that gives the period, so it does not say it again.
std::string Missed(const Facts& f) {
  return fmt::format(
      "In that time {} has missed {} of {} possible sessions ({} authorised, {} unauthorised)",
      f.pupil_name, f.absent, f.possible, f.authorised, f.unauthorised);
}

}  // namespace

std::span<const TemplateInfo> Templates() { return kTemplates; }

const TemplateInfo& InfoOf(Template t) {
  for (const TemplateInfo& info : kTemplates) {
    if (info.id == t) return info;
  }
  throw std::logic_error("unknown letter template");
}

std::optional<Template> TemplateFromKey(std::string_view key) {
  for (const TemplateInfo& info : kTemplates) {
    if (info.key == key) return info.id;
  }
  return std::nullopt;
}

bool ForGroups(Template t) {
  return t != Template::kLeaveGranted && t != Template::kLeaveRefused &&
         t != Template::kImprovedCertificate;
}

Text Compose(Template t, const Facts& f) {
  Text out;
  const std::string dear =
      f.salutation.empty() ? fmt::format("Dear {},", f.addressee) : f.salutation + ",";
  const std::string sign = fmt::format("Yours sincerely,\n{}", f.signatory);
  const std::string figures =
      fmt::format("{}'s attendance {} is {}%. The school's target for every pupil is {}%.",
                  f.pupil_name, f.period, f.attendance_pct, f.target_pct);
  switch (t) {
    case Template::kTermlyRag: {
      out.subject = fmt::format("{}'s attendance this term", f.pupil_name);
      std::string response;
      if (f.band == "green") {
        response = "Thank you for making sure that school comes first. Please keep it up.";
      } else if (f.band == "amber_upper" || f.band == "amber_lower") {
        response =
            "Every session counts, and at this level your child is missing learning that is hard "
            "to catch up. We will contact you on the first day of any absence, and our early-help "
            "team can offer support if anything is making attendance difficult. Please talk to "
            "us.";
      } else if (f.band == "red") {
        response =
            "This is a warning: attendance at this level is a serious concern. We will monitor "
            "it closely over the next half-term and, if it does not improve, invite you to an "
            "attendance panel to agree a plan of support together.";
      } else {
        response = "Please talk to us if anything is making attendance difficult.";
      }
      out.paragraphs = {dear,
                        fmt::format("We write to every family each term about attendance. {} "
                                    "This places {} in our {} band.",
                                    figures, f.pupil_name, BandWords(f.band)),
                        Missed(f) + ".", response, sign};
      break;
    }
    case Template::kAttendanceConcern:
      out.subject = fmt::format("Concern about {}'s attendance", f.pupil_name);
      out.paragraphs = {
          dear,
          fmt::format("I am writing because {}'s attendance has fallen below the school's "
                      "target. {}",
                      f.pupil_name, figures),
          Missed(f) + ".",
          "Regular attendance matters for learning, friendships and wellbeing. If there is "
          "anything making it hard for your child to come to school, please contact the "
          "attendance office so that we can help. We will keep attendance under review and "
          "may invite you to a meeting if it does not improve.",
          sign};
      break;
    case Template::kLateness:
      if (f.lates_in_week >= 3) {
        out.subject = fmt::format("{}: lateness panel", f.pupil_name);
        out.paragraphs = {
            dear,
            fmt::format("{} arrived late {} times in {}. Arriving late disrupts the start of the "
                        "day for your child and their class.",
                        f.pupil_name, f.lates_in_week, f.week),
            "Because lateness has continued, the school will invite you to a lateness panel with "
            "the headteacher and a governor to agree an action plan. Continued late arrival "
            "after the register closes is recorded as unauthorised absence.",
            fmt::format("{}'s attendance {} is {}%.", f.pupil_name, f.period, f.attendance_pct),
            sign};
      } else {
        out.subject = fmt::format("{}: arriving late", f.pupil_name);
        out.paragraphs = {
            dear,
            fmt::format("{} arrived late {} in {}. Please make sure {} arrives before the "
                        "register is taken.",
                        f.pupil_name, f.lates_in_week == 1 ? "once" : "twice", f.week,
                        f.pupil_name),
            "If lateness continues, the school will write again and invite you to a lateness "
            "panel. Please talk to us if something is making mornings difficult.",
            sign};
      }
      break;
    case Template::kPanelInvitation:
      out.subject = fmt::format("Invitation to an attendance panel about {}", f.pupil_name);
      out.paragraphs = {
          dear,
          fmt::format("{} Despite the support so far, {}'s attendance has not improved.", figures,
                      f.pupil_name),
          fmt::format("I invite you to an attendance panel on {}, with the headteacher and our "
                      "attendance link governor, to understand what is getting in the way and "
                      "to agree a written plan of support with a review date.",
                      f.meeting),
          "The meeting will go ahead and a plan will be agreed even if you cannot attend, so "
          "please let the office know if you need to rearrange.",
          sign};
      break;
    case Template::kCertificate:
      out.subject = fmt::format("100% attendance: {}", f.pupil_name);
      out.paragraphs = {
          "Certificate of attendance",
          fmt::format("This certifies that {} ({}) attended every session of the {} so far: {}.",
                      f.pupil_name, f.class_name, f.term, f.term_sessions),
          "Congratulations, and thank you to your family for making it happen.", sign};
      break;
    case Template::kImprovedCertificate:
      out.subject = fmt::format("Most improved attendance: {}", f.pupil_name);
      out.paragraphs = {
          "Certificate of most improved attendance",
          fmt::format("This certifies that {} ({}) raised their attendance from {}% in the {} to "
                      "{}% in the {} so far: {}.",
                      f.pupil_name, f.class_name, f.previous_pct, f.previous_term, f.attendance_pct,
                      f.term, f.term_sessions),
          "Well done, and thank you to your family for the difference you have made together.",
          sign};
      break;
    case Template::kLeaveGranted:
      out.subject = fmt::format("Leave of absence for {}: granted", f.pupil_name);
      out.paragraphs = {
          dear,
          fmt::format("Thank you for your request for {} to be absent from school {} ({}).",
                      f.pupil_name, f.leave_dates, f.leave_reason),
          fmt::format("I am able to grant this leave: {}. The sessions will be recorded as {}, "
                      "authorised absence.",
                      f.decision_reason, f.leave_code),
          fmt::format("Please make sure {} is back in school on the next school day after the "
                      "leave ends. Absence beyond the dates granted is unauthorised and may be "
                      "considered for a penalty notice.",
                      f.pupil_name),
          sign};
      break;
    case Template::kLeaveRefused:
      out.subject = fmt::format("Leave of absence for {}: not granted", f.pupil_name);
      out.paragraphs = {
          dear,
          fmt::format("Thank you for your request for {} to be absent from school {} ({}).",
                      f.pupil_name, f.leave_dates, f.leave_reason),
          fmt::format("I am unable to grant this leave: {}. Leave in term time is granted only "
                      "in exceptional circumstances.",
                      f.decision_reason),
          fmt::format("If {} is absent on these days the absence will be recorded as "
                      "unauthorised, and the school may consider asking the local authority for "
                      "a penalty notice under the national framework.",
                      f.pupil_name),
          sign};
      break;
  }
  return out;
}

std::string JoinParagraphs(const std::vector<std::string>& paragraphs) {
  std::string out;
  for (const std::string& p : paragraphs) {
    if (!out.empty()) out += "\n\n";
    out += p;
  }
  return out;
}

std::vector<std::string> SplitParagraphs(std::string_view body) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at <= body.size()) {
    const size_t next = body.find("\n\n", at);
    out.emplace_back(
        body.substr(at, next == std::string_view::npos ? std::string_view::npos : next - at));
    if (next == std::string_view::npos) break;
    at = next + 2;
  }
  return out;
}

}  // namespace rollcall::letters
