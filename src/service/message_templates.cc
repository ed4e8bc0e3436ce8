// message_templates.cc: the kinds of message, their default words and
// fields, filling them in, and whom a family message goes to.
#include "service/message_templates.h"

#include <fmt/format.h>

#include <cctype>

#include "core/error_codes.h"

namespace rollcall::service {
namespace {

using core::StatusOr;

// Fields every family message may use.
#define ROLLCALL_FAMILY_FIELDS                                                         \
  TemplateField{"school_name", "the school's name"},                                   \
      TemplateField{"pupil_first_name", "the pupil's preferred first name"},           \
      TemplateField{"pupil_name", "the pupil's preferred full name"},                  \
      TemplateField{"contact_name", "the contact's name"},                             \
      TemplateField{"salutation", "how a letter greets the contact (\"Dear Mrs Ali\")"}

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
          .fields = {ROLLCALL_FAMILY_FIELDS, TemplateField{"date", "the day, e.g. \"Thursday 3 December\""},
                     TemplateField{"report_link", "the parent page's absence report"},
                     TemplateField{"school_phone", "the school office's telephone number"}},
          .subject = "{{pupil_first_name}} is not in school today",
          .email_body = "{{salutation}},\n\n{{pupil_name}} has not arrived at {{school_name}} "
                        "today, {{date}}, and we have not been told why.\n\nPlease tell us "
                        "the reason as soon as you can: {{report_link}}\nor call the office on "
                        "{{school_phone}}.\n\nIf you believe {{pupil_first_name}} is in "
                        "school, please call us at once.\n\n{{school_name}}",
          .sms_body = "{{school_name}}: {{pupil_first_name}} is not in school today and we "
                      "have not been told why. Please tell us: {{report_link}} or call "
                      "{{school_phone}}.",
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
    if (c.preferred_channel == "email" && !c.email.empty()) {
      r.channel = "email";
      r.to = c.email;
    } else if (!mobile.empty()) {
      r.channel = "sms";
      r.to = mobile;
    } else if (!c.email.empty()) {
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
