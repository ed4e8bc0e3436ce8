// message_templates.cc: the kinds of message, their default words and
// fields, filling them in, and whom a family message goes to.
#include "service/message_templates.h"

#include <fmt/format.h>

#include <cctype>

#include "core/error_codes.h"
#include "service/fields.h"

namespace rollcall::service {
namespace {

using core::StatusOr;

// Fields every family message may use.
#define ROLLCALL_FAMILY_FIELDS                                               \
  TemplateField{"school_name", "the school's name"},                         \
      TemplateField{"pupil_first_name", "the pupil's preferred first name"}, \
      TemplateField{"pupil_name", "the pupil's preferred full name"},        \
      TemplateField{"contact_name", "the contact's name"}, TemplateField {   \
    "salutation", "how a letter greets the contact (\"Dear Mrs Ali\")"       \
  }

const std::vector<TemplateInfo>& Infos() {
  static const std::vector<TemplateInfo> infos = {
      {
          .kind = "day_one",
          .title = "Day-one absence",
          .when = "Each school day at the time set in the message settings, to the contacts of "
                  "each pupil absent with no reason, unless a parent has reported the absence "
                  "or the office has spoken to the family.",
          .family = true,
          .optional = false,
          // store::School has no telephone number, so the words send
          // families to the office without one.
          .fields = {ROLLCALL_FAMILY_FIELDS,
                     TemplateField{"date", "the day, e.g. \"Thursday 3 December\""},
                     TemplateField{"report_link",
                                   "the parents' page, where they report the absence (empty "
                                   "when no public address is set in the message settings, so "
                                   "put it where the words read well without it)"}},
          .subject = "{{pupil_first_name}} is not in school today",
          .email_body = "{{salutation}},\n\n{{pupil_name}} has not arrived at {{school_name}} "
                        "today, {{date}}, and we have not been told why.\n\nPlease tell us "
                        "the reason as soon as you can: reply to this email or call the school "
                        "office.\n{{report_link}}\n\nIf you believe {{pupil_first_name}} is in "
                        "school, please call us at once.\n\n{{school_name}}",
          // One part (160 characters) for most schools, with the link.
          .sms_body = "{{school_name}}: {{pupil_first_name}} is absent today and we have not "
                      "been told why. Please let us know. {{report_link}}",
      },
      {
          .kind = "letter",
          .title = "Letter by email",
          .when = "When the office sends letters and chooses to email where possible: the "
                  "letter goes as a PDF attached, to each contact whose messages go by email.",
          .family = true,
          .optional = false,
          .fields = {TemplateField{"school_name", "the school's name"},
                     TemplateField{"pupil_name", "the pupil's preferred full name"},
                     TemplateField{"contact_name", "the contact's name"},
                     TemplateField{"salutation",
                                   "how a letter greets the contact (\"Dear Mrs Ali\")"},
                     TemplateField{"letter_title", "the letter's subject"}},
          .subject = "{{letter_title}}",
          .email_body = "{{salutation}},\n\nPlease find attached a letter from {{school_name}} "
                        "about {{pupil_name}}: {{letter_title}}.\n\n{{school_name}}",
          .sms_body = "{{school_name}} has emailed you a letter about {{pupil_name}}: "
                      "{{letter_title}}.",
      },
      {
          .kind = "register_reminder",
          .title = "Register not yet taken (to teachers)",
          .when = "Five minutes before a register closes, to the teachers of each class whose "
                  "register for the session still has a pupil with no mark.",
          .family = false,
          .optional = false,
          .fields = {TemplateField{"school_name", "the school's name"},
                     TemplateField{"staff_name", "the teacher's name"},
                     TemplateField{"class_name", "the class"},
                     TemplateField{"session", "\"morning\" or \"afternoon\""},
                     TemplateField{"close_time", "when the register closes, e.g. \"09:30\""},
                     TemplateField{"register_link", "the class's register page"}},
          .subject = "Register for {{class_name}} not yet taken",
          .email_body = "{{staff_name}},\n\nThe {{session}} register for {{class_name}} still "
                        "has pupils with no mark. It closes at {{close_time}}.\n\n"
                        "{{register_link}}\n\n{{school_name}}",
          .sms_body = "{{school_name}}: the {{session}} register for {{class_name}} is not yet "
                      "taken; it closes at {{close_time}}.",
      },
      {
          .kind = "registers_missing",
          .title = "Registers not taken at close (to the office)",
          .when = "When a register closes, to every office user, the classes whose register "
                  "still has a pupil with no mark.",
          .family = false,
          .optional = false,
          .fields = {TemplateField{"school_name", "the school's name"},
                     TemplateField{"staff_name", "the office user's name"},
                     TemplateField{"session", "\"morning\" or \"afternoon\""},
                     TemplateField{"close_time", "when the register closed"},
                     TemplateField{"count", "how many registers are missing"},
                     TemplateField{"classes", "the classes, a line each"}},
          .subject = "{{count}} {{session}} registers not taken",
          .email_body = "{{staff_name}},\n\nThe {{session}} registers closed at {{close_time}}. "
                        "These still have pupils with no mark:\n\n{{classes}}\n{{school_name}}",
          .sms_body = "{{school_name}}: {{count}} {{session}} registers not taken at "
                      "{{close_time}}.",
      },
      {
          .kind = "dsl_vulnerable",
          .title = "Vulnerable pupils absent (to the DSL)",
          .when = "Each school day at the DSL list time, to every designated safeguarding lead, "
                  "when pupils with a social worker, looked after or with an EHC plan are absent "
                  "with no reason.",
          .family = false,
          .optional = false,
          .fields = {TemplateField{"school_name", "the school's name"},
                     TemplateField{"staff_name", "the DSL's name"},
                     TemplateField{"date", "the day, e.g. \"Thursday 3 December 2026\""},
                     TemplateField{"count", "how many pupils"},
                     TemplateField{"pupils",
                                   "each pupil: name, class, why listed, sessions, "
                                   "contacts tried today"}},
          .subject = "{{count}} vulnerable pupils absent with no reason today",
          .email_body = "{{staff_name}},\n\nThese pupils are absent today, {{date}}, and we "
                        "have no reason yet:\n\n{{pupils}}\n{{school_name}}",
          .sms_body = "{{school_name}}: {{count}} vulnerable pupils absent with no reason today.",
      },
      {
          .kind = "social_worker_absence",
          .title = "Pupil absent (to their social worker)",
          .when = "With the DSL's list, when the head sets it on: to the social worker of each "
                  "pupil on it, about that pupil only.",
          .family = false,
          .optional = false,
          .fields = {TemplateField{"school_name", "the school's name"},
                     TemplateField{"social_worker_name", "the social worker's name"},
                     TemplateField{"pupil_name", "the pupil's preferred full name"},
                     TemplateField{"date", "the day"},
                     TemplateField{"sessions", "\"morning\", \"morning and afternoon\""}},
          .subject = "{{pupil_name}} is absent from {{school_name}} today",
          .email_body = "Dear {{social_worker_name}},\n\n{{pupil_name}} is absent from "
                        "{{school_name}} today, {{date}} ({{sessions}}), and we have not been "
                        "told why. Our designated safeguarding lead has been told.\n\n"
                        "{{school_name}}",
          .sms_body = "{{school_name}}: {{pupil_name}} is absent today with no reason given.",
      },
      {
          .kind = "attendance_digest",
          .title = "Attendance digest (to the attendance lead)",
          .when = "Each school day at the digest time, to the attendance lead.",
          .family = false,
          .optional = false,
          .fields = {TemplateField{"school_name", "the school's name"},
                     TemplateField{"staff_name", "the attendance lead's name"},
                     TemplateField{"date", "the day"},
                     TemplateField{"today_pct", "today's attendance"},
                     TemplateField{"year_pct", "attendance this school year, as the dashboard"},
                     TemplateField{"unexplained", "pupils still absent with no reason today"},
                     TemplateField{"messages_sent", "emails and texts delivered today"},
                     TemplateField{"messages_failed", "emails and texts that failed today"},
                     TemplateField{"absence_reports", "parents' absence reports waiting"},
                     TemplateField{"cme_due", "children-missing-education steps due or overdue"},
                     TemplateField{"penalty_due", "penalty cases waiting on the school or LA"}},
          .subject = "Attendance today, {{date}}: {{today_pct}}",
          .email_body = "{{staff_name}},\n\nAttendance today: {{today_pct}} (this school "
                        "year: {{year_pct}}).\nStill absent with no reason: {{unexplained}}.\n"
                        "Messages to families: {{messages_sent}} delivered, {{messages_failed}} "
                        "failed.\nAbsence reports waiting: {{absence_reports}}.\nCME steps due: "
                        "{{cme_due}}.\nPenalty cases to act on: {{penalty_due}}.\n\n"
                        "{{school_name}}",
          .sms_body = "{{school_name}}: attendance today {{today_pct}}; {{unexplained}} "
                      "unexplained absences.",
      },
      {
          .kind = "evidence_request",
          .title = "Medical evidence request",
          .when = "Once a school day after the morning register closes, for an illness that "
                  "meets one of the school's rules for asking (Settings, Medical evidence): "
                  "once per illness and rule, never while a known condition is under review.",
          .family = true,
          .optional = false,
          .fields = {ROLLCALL_FAMILY_FIELDS,
                     TemplateField{"from_date",
                                   "the first day of the illness, e.g. \"30 November 2026\""},
                     TemplateField{"to_date", "the last day of the illness so far"},
                     TemplateField{
                         "reason",
                         "why the school asks, e.g. \"an illness of 5 school days or more\""},
                     TemplateField{"upload_link", "the parent page, where the evidence is sent"}},
          .subject = "Medical evidence for {{pupil_first_name}}'s absence",
          .email_body = "{{salutation}},\n\n{{pupil_name}} has been absent from {{school_name}} "
                        "through illness from {{from_date}} to {{to_date}}. For {{reason}} the "
                        "school asks for medical evidence: an appointment card, a prescription, "
                        "a photo of the medicine's label or a note from the doctor.\n\nPlease "
                        "send a photo or scan (PDF, JPEG or PNG) from your parent page.\n"
                        "{{upload_link}}\n\nWe hope {{pupil_first_name}} is feeling better."
                        "\n\n{{school_name}}",
          .sms_body = "{{school_name}}: please send medical evidence (e.g. an appointment card "
                      "or prescription) for {{pupil_first_name}}'s illness from {{from_date}} "
                      "to {{to_date}}, from your parent page. {{upload_link}}",
      },
      {
          .kind = "test",
          .title = "Test message",
          .when = "When the head sends a test from the message settings page, to the address "
                  "or mobile number given there.",
          .family = false,
          .optional = false,
          .fields = {TemplateField{"school_name", "the school's name"},
                     TemplateField{"requested_by", "who sent the test"}},
          .subject = "A test message from {{school_name}}",
          .email_body = "This is a test message from {{school_name}}'s attendance system, sent "
                        "by {{requested_by}}.\n\nIf it reached you, email from rollcall "
                        "works.\n",
          .sms_body = "{{school_name}}: a test text message from the attendance system, sent by "
                      "{{requested_by}}.",
      },
  };
  return infos;
}

}  // namespace

const std::vector<TemplateInfo>& MessageTemplateInfos() { return Infos(); }

const TemplateInfo* FindTemplateInfo(std::string_view kind) {
  for (const TemplateInfo& info : Infos()) {
    if (info.kind == kind) return &info;
  }
  return nullptr;
}

StatusOr<std::string> FillTemplate(const TemplateInfo& info, std::string_view text,
                                   const std::map<std::string, std::string>& fields) {
  std::string out;
  out.reserve(text.size() + 64);
  size_t at = 0;
  while (true) {
    size_t open = text.find("{{", at);
    if (open == std::string_view::npos) {
      out.append(text.substr(at));
      return out;
    }
    out.append(text.substr(at, open - at));
    size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      return core::InvalidArgument(core::kErrTemplateInvalid,
                                   "a \"{{\" is never closed with \"}}\"");
    }
    std::string_view name = text.substr(open + 2, close - open - 2);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    bool declared = false;
    for (const TemplateField& f : info.fields) declared = declared || f.name == name;
    if (!declared) {
      return core::InvalidArgument(
          core::kErrTemplateInvalid,
          fmt::format("{{{{{}}}}} is not a field of the {} message", name, info.title));
    }
    if (auto it = fields.find(std::string(name)); it != fields.end()) out += it->second;
    at = close + 2;
  }
}

std::string ParentPageLink(const store::MessageSettings& settings) {
  std::string base = settings.public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base.empty() ? "" : base + "/parent";
}

bool IsUkMobile(std::string_view phone) {
  std::string digits;
  for (char c : phone) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits += c;
    } else if (c != ' ' && c != '-' && c != '+' && c != '(' && c != ')') {
      return false;
    }
  }
  if (digits.starts_with("447")) digits = "0" + digits.substr(2);
  return digits.size() == 11 && digits.starts_with("07");
}

std::vector<Recipient> FamilyRecipients(const store::Pupil& pupil, const TemplateInfo& info,
                                        size_t limit) {
  std::vector<Recipient> out;
  for (size_t i = 0; i < pupil.contacts.size() && out.size() < limit; ++i) {
    const store::Contact& c = pupil.contacts[i];
    if (!c.parental_responsibility && !c.messages_without_pr) continue;
    if (info.optional && c.optional_opt_out) continue;
    std::string mobile;
    if (IsUkMobile(c.phone)) {
      mobile = c.phone;
    } else if (IsUkMobile(c.other_phone)) {
      mobile = c.other_phone;
    }
    Recipient r;
    r.contact_index = i;
    r.name = c.relationship.empty() ? c.name : fmt::format("{} ({})", c.name, c.relationship);
    if (c.preferred_channel == "email" && IsEmailAddress(c.email)) {
      r.channel = "email";
      r.to = c.email;
    } else if (!mobile.empty()) {
      r.channel = "sms";
      r.to = mobile;
    } else if (IsEmailAddress(c.email)) {
      r.channel = "email";
      r.to = c.email;
    } else {
      continue;
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace rollcall::service
