// message_template_edits.cc: the head's words for the school's messages
// over the defaults (MessageTemplates), and how long a text message is.
#include <fmt/format.h>

#include <cstdint>
#include <map>
#include <string>
#include <tuple>

#include "core/error_codes.h"
#include "service/message_templates.h"

namespace rollcall::service {

using core::Status;
using core::StatusOr;

namespace {

// The email body the editor accepts at most: far more than any letter.
constexpr size_t kMaxEmailBody = 20000;
constexpr size_t kMaxSubject = 200;

// The code points of `utf8`, a stray byte counted as one.
std::u32string CodePoints(std::string_view utf8) {
  std::u32string out;
  for (size_t i = 0; i < utf8.size();) {
    const auto b = static_cast<unsigned char>(utf8[i]);
    size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 1;
    if (i + n > utf8.size()) n = 1;
    char32_t cp = n == 1 ? b : b & (0x7F >> n);
    for (size_t k = 1; k < n; ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    }
    out.push_back(cp);
    i += n;
  }
  return out;
}

// Characters of the GSM 03.38 alphabet: the basic set, and the extension
// table's (which take two septets each).
bool GsmBasic(char32_t c) {
  static const std::u32string kBasic =
      U"@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
      U"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  return kBasic.find(c) != std::u32string::npos;
}
bool GsmExtension(char32_t c) {
  static const std::u32string kExtension = U"^{}\\[~]|€\f";
  return kExtension.find(c) != std::u32string::npos;
}

// The words of `kind` as stored, by kind.
StatusOr<std::map<std::string, store::MessageTemplateVersion>> Saved(store::Store& store) {
  ASSIGN_OR_RETURN(std::vector<store::MessageTemplateVersion> all, store.CurrentMessageTemplates());
  std::map<std::string, store::MessageTemplateVersion> out;
  for (store::MessageTemplateVersion& t : all) out[t.kind] = std::move(t);
  return out;
}

MessageTemplates::Words WordsOf(const TemplateInfo& info,
                                const store::MessageTemplateVersion* saved) {
  MessageTemplates::Words w;
  w.info = &info;
  if (saved && !saved->is_default) {
    w.subject = saved->subject;
    w.email_body = saved->email_body;
    w.sms_body = saved->sms_body;
    w.edited = true;
  } else {
    w.subject = std::string(info.subject);
    w.email_body = std::string(info.email_body);
    w.sms_body = std::string(info.sms_body);
  }
  if (saved) {
    w.set_at = saved->set_at;
    w.set_by = saved->set_by;
  }
  return w;
}

StatusOr<const TemplateInfo*> TemplateInfoOf(std::string_view kind) {
  const TemplateInfo* info = FindTemplateInfo(kind);
  if (!info) {
    return core::NotFound(core::kErrTemplateUnknown,
                          fmt::format("rollcall sends no message of kind '{}'", kind));
  }
  return info;
}

}  // namespace

SmsLength SmsLengthOf(std::string_view utf8) {
  SmsLength out;
  size_t septets = 0;
  const std::u32string text = CodePoints(utf8);
  for (char32_t c : text) {
    if (GsmBasic(c)) {
      ++septets;
    } else if (GsmExtension(c)) {
      septets += 2;
    } else {
      out.gsm = false;
    }
  }
  out.characters = text.size();
  // A UCS-2 message counts characters; a GSM one septets.
  const size_t units = out.gsm ? septets : text.size();
  const size_t single = out.gsm ? 160 : 70;
  const size_t multi = out.gsm ? 153 : 67;
  if (units == 0) {
    out.parts = 0;
  } else if (units <= single) {
    out.parts = 1;
  } else {
    out.parts = (units + multi - 1) / multi;
  }
  return out;
}

StatusOr<RenderedMessage> MessageTemplates::Render(
    std::string_view kind, const std::map<std::string, std::string>& fields) const {
  ASSIGN_OR_RETURN(Words w, Current(kind));
  RenderedMessage out;
  ASSIGN_OR_RETURN(out.subject, FillTemplate(*w.info, w.subject, fields));
  ASSIGN_OR_RETURN(out.email_body, FillTemplate(*w.info, w.email_body, fields));
  ASSIGN_OR_RETURN(out.sms_body, FillTemplate(*w.info, w.sms_body, fields));
  return out;
}

StatusOr<MessageTemplates::Words> MessageTemplates::Current(std::string_view kind) const {
  ASSIGN_OR_RETURN(const TemplateInfo* info, TemplateInfoOf(kind));
  ASSIGN_OR_RETURN(auto saved, Saved(school_.store()));
  const auto it = saved.find(std::string(kind));
  return WordsOf(*info, it == saved.end() ? nullptr : &it->second);
}

bool MessageTemplates::MayEdit(const Principal& who) const {
  auto lock = school_.Read();
  return school_.Allow(who, Action::kWriteSettings, {}).ok();
}

StatusOr<std::vector<MessageTemplates::Words>> MessageTemplates::List(const Principal& who) const {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kWriteSettings, {}));
  }
  ASSIGN_OR_RETURN(auto saved, Saved(school_.store()));
  std::vector<Words> out;
  for (const TemplateInfo& info : MessageTemplateInfos()) {
    const auto it = saved.find(std::string(info.kind));
    out.push_back(WordsOf(info, it == saved.end() ? nullptr : &it->second));
  }
  return out;
}

Status MessageTemplates::Save(const Principal& who, std::string_view kind,
                              const std::string& subject, const std::string& email_body,
                              const std::string& sms_body) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kWriteSettings, {}));
  }
  ASSIGN_OR_RETURN(const TemplateInfo* info, TemplateInfoOf(kind));
  const auto invalid = [](std::string why) {
    return core::InvalidArgument(core::kErrTemplateInvalid, std::move(why));
  };
  using Part = std::tuple<const char*, const std::string*, size_t>;
  for (const auto& [name, text, limit] :
       {Part{"email subject", &subject, kMaxSubject}, Part{"email", &email_body, kMaxEmailBody},
        Part{"text message", &sms_body, kMaxSmsCharacters}}) {
    if (text->find_first_not_of(" \t\r\n") == std::string::npos) {
      return invalid(fmt::format("the {} is empty: write its words", name));
    }
    const size_t length = CodePoints(*text).size();
    if (length > limit) {
      return invalid(fmt::format("the {} is {} characters long: at most {}", name, length, limit));
    }
    // Every field it uses must be one the kind has, and every "{{" closed.
    StatusOr<std::string> filled = FillTemplate(*info, *text, {});
    if (!filled.ok()) {
      return invalid(fmt::format("the {}: {}", name, filled.status().message()));
    }
  }
  if (subject.find('\n') != std::string::npos) {
    return invalid("the email subject is one line");
  }
  store::MessageTemplateVersion t;
  t.kind = std::string(kind);
  t.subject = subject;
  t.email_body = email_body;
  t.sms_body = sms_body;
  t.set_at = school_.clock().NowSeconds();
  t.set_by = who.name;
  return school_.store().SaveMessageTemplate(t).status();
}

Status MessageTemplates::Reset(const Principal& who, std::string_view kind) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kWriteSettings, {}));
  }
  RETURN_IF_ERROR(TemplateInfoOf(kind).status());
  store::MessageTemplateVersion t;
  t.kind = std::string(kind);
  t.is_default = true;
  t.set_at = school_.clock().NowSeconds();
  t.set_by = who.name;
  return school_.store().SaveMessageTemplate(t).status();
}

}  // namespace rollcall::service
