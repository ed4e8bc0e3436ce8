// message_templates.h
//
// The words of every message rollcall sends (docs/messaging.md): one
// template per kind of message, with an email subject and body and a text
// message body. Each kind declares the fields its words may use, written
// {{field}}; the head may change the words (MessageTemplates), never the
// fields. A kind is either for families (written to the pupil's contact log
// once sent) or for staff, and either statutory or optional: a contact who
// opted out of optional messages still gets statutory and safeguarding ones.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "service/access.h"
#include "service/school.h"
#include "store/people.h"

namespace rollcall::service {

struct TemplateField {
  std::string_view name;     // as written in the words: {{name}}
  std::string_view meaning;  // shown beside the editor
};

struct TemplateInfo {
  std::string_view kind;   // stored and keyed on: never rename
  std::string_view title;  // "Day-one absence"
  std::string_view when;   // when it is sent, for the editor
  bool family = true;      // to a pupil's contacts (else to staff)
  bool optional = false;   // non-statutory: not sent to contacts who opted out
  std::vector<TemplateField> fields;
  // The default words.
  std::string_view subject;
  std::string_view email_body;
  std::string_view sms_body;
};

// Every kind, in the order the editor lists them.
const std::vector<TemplateInfo>& MessageTemplateInfos();
// The kind named `kind`, or nullptr.
const TemplateInfo* FindTemplateInfo(std::string_view kind);

// `text` with each {{field}} replaced by fields[field]. InvalidArgument
// TEMPLATE_INVALID naming it for a field `info` does not declare, or an
// unclosed "{{". A declared field missing from `fields` is written as "".
core::StatusOr<std::string> FillTemplate(const TemplateInfo& info, std::string_view text,
                                         const std::map<std::string, std::string>& fields);

// A message's words filled in.
struct RenderedMessage {
  std::string subject;     // for an email
  std::string email_body;  // plain text
  std::string sms_body;
};

// How one contact is reached: "sms" to a UK mobile, or "email".
struct Recipient {
  size_t contact_index = 0;  // in the pupil's contacts
  std::string name;          // "Mrs A Khan (Mother)", as the contact log names them
  std::string channel;       // "sms" or "email"
  std::string to;            // the mobile number or the address
};

// The parent page's address for links in messages: the settings' public
// address (without a trailing slash) and "/parent"; "" when no public
// address is set, so the words leave the link out rather than send "/parent".
std::string ParentPageLink(const store::MessageSettings& settings);

// Whether `phone` is a UK mobile number (07..., +447...), which texts reach.
bool IsUkMobile(std::string_view phone);

// The contacts of `pupil` a family message of kind `info` may go to, in
// priority order, each by their channel: their preferred one when they have
// its number or address, else a text to a mobile, else email. Never a
// contact without parental responsibility unless messages_without_pr is set;
// never, for an optional kind, a contact who opted out; never a contact with
// no mobile and no email. At most `limit` of them.
std::vector<Recipient> FamilyRecipients(const store::Pupil& pupil, const TemplateInfo& info,
                                        size_t limit = 2);

// How a text message's words are charged: characters, and the parts a
// network splits them into (160 characters in one part, 153 a part when
// several; a character outside the GSM alphabet makes it 70, 67 a part).
struct SmsLength {
  size_t characters = 0;
  size_t parts = 0;
  bool gsm = true;  // every character is in the GSM 7-bit alphabet
};
SmsLength SmsLengthOf(std::string_view utf8);

// The longest text message the school may send: six parts.
inline constexpr size_t kMaxSmsCharacters = 918;

// The school's own words for each kind (the head's edits), over the
// defaults. Implemented with the templates page (message_template_edits.cc).
// The head's words are read from the store at each use, so every process
// sends what was saved last.
class MessageTemplates {
 public:
  explicit MessageTemplates(School& school) : school_(school) {}

  // The words of `kind` now, with `fields` filled in: the head's version if
  // one was saved, else the default. NotFound TEMPLATE_UNKNOWN for a kind
  // not in MessageTemplateInfos.
  core::StatusOr<RenderedMessage> Render(std::string_view kind,
                                         const std::map<std::string, std::string>& fields) const;

  // One kind's current words (head's or default) for the editor, and
  // whether they are the head's. The head (kWriteSettings).
  struct Words {
    const TemplateInfo* info = nullptr;
    std::string subject, email_body, sms_body;
    bool edited = false;
    int64_t set_at = 0;  // when the last version (edit or reset) was saved; 0 for never
    std::string set_by;
  };
  core::StatusOr<std::vector<Words>> List(const Principal& who) const;
  // The words of `kind` in force now, for a sender that fills in many
  // messages of one kind (FillTemplate each). NotFound TEMPLATE_UNKNOWN.
  core::StatusOr<Words> Current(std::string_view kind) const;
  // Whether `who` may change the words (the templates page's forms).
  bool MayEdit(const Principal& who) const;
  // Saves the head's words for `kind`: InvalidArgument TEMPLATE_INVALID for
  // a field the kind does not declare, an empty body, or a text message
  // longer than 918 characters (six parts). Saving the defaults' words again
  // is allowed and recorded.
  core::Status Save(const Principal& who, std::string_view kind, const std::string& subject,
                    const std::string& email_body, const std::string& sms_body);
  // Goes back to the default words for `kind` (recorded as a new version).
  core::Status Reset(const Principal& who, std::string_view kind);

 private:
  School& school_;
};

}  // namespace rollcall::service
