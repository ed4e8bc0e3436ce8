// contacts.cc: the contact log and the messages parents read (contacts.h).
#include "service/contacts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <optional>
#include <string_view>
#include <tuple>
#include <utility>

#include "core/error_codes.h"
#include "service/fields.h"
#include "service/message_templates.h"
#include "service/records.h"
#include "service/words.h"

namespace rollcall::service {

nlohmann::ordered_json ContactEntryJson(const store::ContactLogEntry& e) {
  return nlohmann::ordered_json{
      {"id", e.id},
      {"pupil_id", e.pupil_id},
      {"at", IsoTime(e.at)},
      {"method", store::ContactMethodName(e.method)},
      {"contact", e.contact_name},
      {"outcome", store::ContactOutcomeName(e.outcome)},
      {"note", e.note},
      {"by", {{"name", e.by_name}, {"role", store::RoleName(e.by_role)}}}};
}
namespace {

constexpr size_t kMaxContactName = 200;
constexpr size_t kMaxContactNote = 2000;

constexpr size_t kMaxContacts = 10;
constexpr size_t kMaxAddress = 500;
constexpr size_t kMaxReason = 500;

// A UK postcode in its usual form ("LE10 2AB"), from any case and spacing;
// nullopt when it is not one: an outward code of a letter or two, a digit
// and perhaps a letter or digit, and an inward code of a digit and two
// letters.
std::optional<std::string> UkPostcode(std::string_view text) {
  std::string compact;
  for (char c : text) {
    if (c == ' ') continue;
    compact += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  const auto letter = [](char c) { return c >= 'A' && c <= 'Z'; };
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (compact.size() < 5 || compact.size() > 7) return std::nullopt;
  const std::string outward = compact.substr(0, compact.size() - 3);
  const std::string inward = compact.substr(compact.size() - 3);
  if (!digit(inward[0]) || !letter(inward[1]) || !letter(inward[2])) return std::nullopt;
  // A1, A11, A1A, AA1, AA11, AA1A.
  const size_t area = letter(outward[1]) ? 2 : 1;
  if (!letter(outward[0]) || !digit(outward[area])) return std::nullopt;
  for (size_t i = area + 1; i < outward.size(); ++i) {
    if (!letter(outward[i]) && !digit(outward[i])) return std::nullopt;
  }
  if (outward.size() > area + 2) return std::nullopt;
  return outward + " " + inward;
}

// A UK phone number spaced as it is usually written ("07700 900123",
// "020 7946 0000", "0113 496 0000"), from any spacing, hyphens or brackets
// and a +44 in place of the first 0 (with or without the 0 after it); nullopt when it is not a
// mobile (07 and 11 digits) or a landline (01 and 10 or 11 digits, 02 or 03 and 11).
std::optional<std::string> UkPhone(std::string_view text) {
  std::string digits;
  bool international = false;  // +44 written for the first 0
  bool zero_dropped = false;   // "+44 (0)7700 900123": the 0 is for callers in the UK
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == '-' || c == '(' || c == ')') continue;
    if (c == '+' && i == text.find_first_not_of(" (") && text.substr(i).starts_with("+44")) {
      international = true;
      i += 2;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    if (international && digits.empty() && c == '0' && !zero_dropped) {
      zero_dropped = true;
      continue;
    }
    digits += c;
  }
  if (international) digits.insert(0, "0");
  if (digits.size() < 10 || digits.size() > 11 || digits[0] != '0') return std::nullopt;
  const char kind = digits[1];
  if (kind != '1' && kind != '2' && kind != '3' && kind != '7') return std::nullopt;
  if (digits.size() == 10 && kind != '1') return std::nullopt;
  // London and the like: 020 7946 0000; non-geographic and the big cities'
  // 011x and 01x1 numbers: 0300 123 4567, 0113 496 0000; the rest 01632 960123.
  if (kind == '2') return digits.substr(0, 3) + " " + digits.substr(3, 4) + " " + digits.substr(7);
  if (digits.size() == 11 &&
      (kind == '3' || (kind == '1' && (digits[2] == '1' || digits[3] == '1')))) {
    return digits.substr(0, 4) + " " + digits.substr(4, 3) + " " + digits.substr(7);
  }
  return digits.substr(0, 5) + " " + digits.substr(5);
}

// The contact as entered, checked; InvalidArgument VALUE_INVALID naming the
// field otherwise.
core::StatusOr<store::Contact> CheckedContact(const ContactDetails& d) {
  const auto invalid = [](std::string why) {
    return core::InvalidArgument(core::kErrValueInvalid, std::move(why));
  };
  using Field = std::tuple<const char*, const std::string*, size_t>;
  for (const auto& [key, value, limit] :
       {Field{"name", &d.name, kMaxContactName}, Field{"relationship", &d.relationship, 100},
        Field{"phone", &d.phone, 40}, Field{"other_phone", &d.other_phone, 40},
        Field{"email", &d.email, kMaxContactName}, Field{"salutation", &d.salutation, 100},
        Field{"address", &d.address, kMaxAddress}, Field{"postcode", &d.postcode, 10},
        Field{"reason", &d.reason, kMaxReason}}) {
    if (value->size() > limit) {
      return invalid(fmt::format("'{}' is longer than {} characters", key, limit));
    }
  }
  if (d.name.empty()) return invalid("give the contact's name in 'name'");
  if (d.relationship.empty()) {
    return invalid("give the contact's relationship to the child in 'relationship', e.g. Mother");
  }
  store::Contact c;
  for (const auto& [key, typed, held] :
       {std::tuple{"phone", &d.phone, &c.phone},
        std::tuple{"other_phone", &d.other_phone, &c.other_phone}}) {
    if (typed->empty()) continue;
    const std::optional<std::string> phone = UkPhone(*typed);
    if (!phone) {
      return invalid(fmt::format(
          "'{}': '{}' is not a UK phone number: a mobile (07…), a landline (01…, 02… or 03…) "
          "or the same with +44, e.g. 07700 900123",
          key, *typed));
    }
    *held = *phone;
  }
  if (d.emergency && c.phone.empty()) {
    return invalid("'phone': an emergency contact needs a phone number");
  }
  if (!d.email.empty() && !IsEmailAddress(d.email)) {
    return invalid(
        fmt::format("'email': '{}' is not an email address, e.g. name@example.org", d.email));
  }
  if (!d.salutation.empty() && !d.salutation.starts_with("Dear ")) {
    return invalid("a salutation starts with 'Dear', e.g. 'Dear Mrs Ali'");
  }
  if (d.preferred_channel == "email" && d.email.empty()) {
    return invalid("'preferred_channel': email needs the contact's email address in 'email'");
  } else if (d.preferred_channel == "sms" && !IsUkMobile(c.phone) && !IsUkMobile(c.other_phone)) {
    return invalid(
        "'preferred_channel': a text needs a UK mobile number (07…) in 'phone' or "
        "'other_phone'");
  } else if (!d.preferred_channel.empty() && d.preferred_channel != "email" &&
             d.preferred_channel != "sms") {
    return invalid(fmt::format(
        "'preferred_channel': '{}' is not one of sms, email or \"\" (a text when they have a "
        "mobile, else email)",
        d.preferred_channel));
  }
  if (d.messages_without_pr && (d.parental_responsibility || !d.emergency)) {
    return invalid(
        "'messages_without_pr': only an emergency contact without parental responsibility "
        "can be sent the absence messages as one; those with it get them anyway");
  }
  if (d.consent_note.size() > kMaxReason) {
    return invalid(fmt::format("'consent_note' is longer than {} characters", kMaxReason));
  }
  if (d.record_consent && d.consent_note.empty()) {
    return invalid("'consent_note': say how consent was given, e.g. on the admission form");
  }
  c.preferred_channel = d.preferred_channel;
  c.optional_opt_out = d.optional_opt_out;
  c.messages_without_pr = d.messages_without_pr;
  c.name = d.name;
  c.relationship = d.relationship;
  c.email = d.email;
  c.parental_responsibility = d.parental_responsibility;
  c.lives_with = d.lives_with;
  c.emergency = d.emergency;
  c.salutation = d.salutation;
  // Lines as typed, without the blank ones or a Windows line end.
  for (size_t at = 0; at <= d.address.size();) {
    size_t nl = d.address.find('\n', at);
    if (nl == std::string::npos) nl = d.address.size();
    std::string line = d.address.substr(at, nl - at);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty()) c.address += (c.address.empty() ? "" : "\n") + line;
    at = nl + 1;
  }
  if (!d.postcode.empty()) {
    const std::optional<std::string> postcode = UkPostcode(d.postcode);
    if (!postcode) {
      return invalid(fmt::format("'{}' is not a UK postcode, such as LE10 2AB", d.postcode));
    }
    c.postcode = *postcode;
  }
  return c;
}

// The reason given, or the one the office's changes are recorded with.
std::string ReasonOr(const std::string& given, const char* otherwise) {
  return given.empty() ? std::string(otherwise) : given;
}

// A reason the admission register can keep; InvalidArgument otherwise.
core::Status CheckReason(const std::string& reason) {
  if (reason.size() > kMaxReason) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("'reason' is longer than {} characters", kMaxReason));
  }
  return core::OkStatus();
}

// The contact at `position` (1 = first) exists; InvalidArgument otherwise.
core::Status CheckPosition(const store::Pupil& p, size_t position) {
  if (position < 1 || position > p.contacts.size()) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("the pupil has no contact {}: there are {}", position, p.contacts.size()));
  }
  return core::OkStatus();
}

// Priorities 1, 2, ... in the contacts' order.
void Renumber(std::vector<store::Contact>& contacts) {
  for (size_t i = 0; i < contacts.size(); ++i) contacts[i].priority = static_cast<int>(i + 1);
}

// Moves the contact at `position` (1 = first, which exists) to `to`, the
// others keeping their order, and numbers the priorities 1, 2, ... again.
core::Status MoveWithin(std::vector<store::Contact>& contacts, size_t position, size_t to) {
  if (to < 1 || to > contacts.size()) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("there is no priority {}: give 1 to {}", to, contacts.size()));
  }
  const auto from = contacts.begin() + static_cast<std::ptrdiff_t>(position - 1);
  const auto dest = contacts.begin() + static_cast<std::ptrdiff_t>(to - 1);
  if (dest < from) {
    std::rotate(dest, from, from + 1);
  } else {
    std::rotate(from, from + 1, dest + 1);
  }
  Renumber(contacts);
  return core::OkStatus();
}

// 1 September that starts the school year containing `day`, as the checks
// of contacts count it.
core::Date ChecksYearStart(core::Date day) {
  return *core::Date::FromYmd(day.month() < 9 ? day.year() - 1 : day.year(), 9, 1);
}

// A contact's name, phone numbers and email as compared between pupils:
// lower case, single spaces, phone numbers as digits.
std::string NameKey(std::string_view name) {
  std::string out;
  for (char c : LowerCase(name)) {
    if (c == ' ' || c == '\t') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}
std::string DigitsOfPhone(std::string_view phone) {
  const std::string held = UkPhone(phone).value_or(std::string(phone));
  std::string digits;
  for (char c : held) {
    if (c >= '0' && c <= '9') digits += c;
  }
  return digits;
}
bool SameContact(const store::Contact& a, const store::Contact& b) {
  if (NameKey(a.name) != NameKey(b.name)) return false;
  const std::string email = LowerCase(a.email);
  if (!email.empty() && email == LowerCase(b.email)) return true;
  for (const std::string* mine : {&a.phone, &a.other_phone}) {
    const std::string key = DigitsOfPhone(*mine);
    if (key.empty()) continue;
    for (const std::string* theirs : {&b.phone, &b.other_phone}) {
      if (key == DigitsOfPhone(*theirs)) return true;
    }
  }
  return false;
}

std::string OutcomeNames(const std::vector<store::ContactOutcome>& outcomes) {
  std::string out;
  for (store::ContactOutcome o : outcomes) {
    out += (out.empty() ? "" : ", ") + std::string(store::ContactOutcomeName(o));
  }
  return out;
}

}  // namespace

ContactChecks ChecksOf(const store::Pupil& p, core::Date today) {
  ContactChecks checks;
  bool all_confirmed = true;
  for (const store::Contact& c : p.contacts) {
    if (c.emergency) ++checks.emergency;
    if (!c.confirmed_on) {
      all_confirmed = false;
    } else if (!checks.checked_on || *c.confirmed_on < *checks.checked_on) {
      checks.checked_on = c.confirmed_on;
    }
  }
  if (!all_confirmed) checks.checked_on.reset();
  if (checks.emergency == 0) {
    checks.emergency_warning = "No emergency contact: the school's policy asks for two";
  } else if (checks.emergency == 1) {
    checks.emergency_warning = "Only one emergency contact: the school's policy asks for two";
  }
  if (!p.contacts.empty() && (!checks.checked_on || *checks.checked_on < ChecksYearStart(today))) {
    checks.check_warning = checks.checked_on
                               ? "Contacts not checked since " + LongDate(*checks.checked_on)
                               : std::string("Contacts not yet checked with the family");
  }
  return checks;
}

std::vector<Sibling> SiblingsOf(const std::vector<store::Pupil>& pupils, size_t index) {
  const store::Pupil& pupil = pupils[index];
  std::vector<Sibling> out;
  for (size_t j = 0; j < pupils.size(); ++j) {
    if (j == index) continue;
    const store::Pupil& other = pupils[j];
    const auto shared = [&]() -> const store::Contact* {
      for (const store::Contact& mine : pupil.contacts) {
        if (!mine.parental_responsibility) continue;
        for (const store::Contact& theirs : other.contacts) {
          if (theirs.parental_responsibility && SameContact(mine, theirs)) return &mine;
        }
      }
      return nullptr;
    }();
    if (shared) out.push_back({other.id, DisplayName(other), shared->name});
  }
  std::sort(out.begin(), out.end(),
            [](const Sibling& a, const Sibling& b) { return a.name < b.name; });
  return out;
}

core::StatusOr<std::pair<size_t, store::Pupil>> Contacts::Editable(const Principal& who,
                                                                   int64_t pupil_id) const {
  auto lock = school_.Read();
  ASSIGN_OR_RETURN(size_t index, school_.PupilFor(who, pupil_id, Action::kEditContacts));
  return std::pair{index, school_.snapshot().pupils[index]};
}

core::Status Contacts::Save(const Principal& who, size_t index, const store::Pupil& pupil,
                            const std::string& reason) {
  RETURN_IF_ERROR(school_.store()
                      .SavePupils({}, {pupil}, store::Actor{who.user_id, who.name, who.role},
                                  school_.clock().NowSeconds(), reason)
                      .status());
  school_.Apply([&](Snapshot& s) {
    s.pupils[index] = pupil;
    s.scenario.pupils[index].cohorts = CohortTagsOn(pupil, s.scenario.as_of);
  });
  return core::OkStatus();
}

core::StatusOr<store::Contact> Contacts::SaveContact(const Principal& who,
                                                     const ContactDetails& d) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.PupilFor(who, d.pupil_id, Action::kEditContacts).status());
  }
  ASSIGN_OR_RETURN(store::Contact contact, CheckedContact(d));
  const auto write = school_.BeginWrite();
  ASSIGN_OR_RETURN(auto editable, Editable(who, d.pupil_id));
  auto& [index, pupil] = editable;
  if (d.position) {
    RETURN_IF_ERROR(CheckPosition(pupil, *d.position));
    const store::Contact& old = pupil.contacts[*d.position - 1];
    contact.priority = old.priority;
    contact.user_id = old.user_id;
    contact.confirmed_on = old.confirmed_on;
    contact.consent_at = old.consent_at;
    contact.consent_by = old.consent_by;
    contact.consent_note = old.consent_note;
  } else {
    if (pupil.contacts.size() >= kMaxContacts) {
      return core::InvalidArgument(
          core::kErrValueInvalid,
          fmt::format("a pupil has at most {} contacts: change one instead", kMaxContacts));
    }
    contact.priority = pupil.contacts.empty() ? 1 : pupil.contacts.back().priority + 1;
  }
  if (d.confirmed) contact.confirmed_on = school_.clock().Today();
  if (d.record_consent) {
    contact.consent_at = school_.clock().NowSeconds();
    contact.consent_by = who.name;
    contact.consent_note = d.consent_note;
  }
  if (d.position) {
    pupil.contacts[*d.position - 1] = contact;
  } else {
    pupil.contacts.push_back(contact);
  }
  if (d.priority) {
    RETURN_IF_ERROR(
        MoveWithin(pupil.contacts, d.position.value_or(pupil.contacts.size()), *d.priority));
    contact = pupil.contacts[*d.priority - 1];
  }
  RETURN_IF_ERROR(Save(who, index, pupil, ReasonOr(d.reason, "Contacts changed by the office")));
  return contact;
}

bool Contacts::MayEditContacts(const Principal& who, int64_t pupil_id) const {
  auto lock = school_.Read();
  return school_.PupilFor(who, pupil_id, Action::kEditContacts).ok();
}

core::Status Contacts::MoveContact(const Principal& who, int64_t pupil_id, size_t position,
                                   size_t to, const std::string& reason) {
  const auto write = school_.BeginWrite();
  ASSIGN_OR_RETURN(auto editable, Editable(who, pupil_id));
  auto& [index, pupil] = editable;
  RETURN_IF_ERROR(CheckPosition(pupil, position));
  RETURN_IF_ERROR(CheckReason(reason));
  RETURN_IF_ERROR(MoveWithin(pupil.contacts, position, to));
  return Save(who, index, pupil, ReasonOr(reason, "Contacts changed by the office"));
}

core::Status Contacts::RemoveContact(const Principal& who, int64_t pupil_id, size_t position,
                                     const std::string& reason) {
  const auto write = school_.BeginWrite();
  ASSIGN_OR_RETURN(auto editable, Editable(who, pupil_id));
  auto& [index, pupil] = editable;
  RETURN_IF_ERROR(CheckPosition(pupil, position));
  RETURN_IF_ERROR(CheckReason(reason));
  pupil.contacts.erase(pupil.contacts.begin() + static_cast<std::ptrdiff_t>(position - 1));
  Renumber(pupil.contacts);
  return Save(who, index, pupil, ReasonOr(reason, "Contacts changed by the office"));
}

core::Status Contacts::ConfirmContacts(const Principal& who, int64_t pupil_id) {
  const auto write = school_.BeginWrite();
  ASSIGN_OR_RETURN(auto editable, Editable(who, pupil_id));
  auto& [index, pupil] = editable;
  if (pupil.contacts.empty()) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "the pupil has no contacts to confirm: add them first");
  }
  for (store::Contact& c : pupil.contacts) c.confirmed_on = school_.clock().Today();
  return Save(who, index, pupil, "Contacts confirmed with the family");
}

namespace {

// The flag and day of a change as entered, checked.
core::StatusOr<std::pair<std::string, core::Date>> CheckedFlag(const FlagChange& c) {
  if (std::find(std::begin(kCohortFlags), std::end(kCohortFlags), c.flag) ==
      std::end(kCohortFlags)) {
    std::string known;
    for (std::string_view f : kCohortFlags) known += (known.empty() ? "" : ", ") + std::string(f);
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("'flag': '{}' is not one of {}", c.flag, known));
  }
  const std::optional<core::Date> day = core::Date::Parse(c.date);
  if (!day) {
    return core::InvalidArgument(core::kErrDateInvalid,
                                 fmt::format("'date': '{}' is not a date, YYYY-MM-DD", c.date));
  }
  RETURN_IF_ERROR(CheckReason(c.reason));
  return std::pair{c.flag, *day};
}

void SortFlags(std::vector<store::CohortFlag>& flags) {
  std::sort(flags.begin(), flags.end(), [](const store::CohortFlag& a, const store::CohortFlag& b) {
    return std::tie(a.flag, a.from) < std::tie(b.flag, b.from);
  });
}

}  // namespace

core::Status Contacts::AddFlag(const Principal& who, const FlagChange& c) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.PupilFor(who, c.pupil_id, Action::kEditContacts).status());
  }
  ASSIGN_OR_RETURN(auto checked, CheckedFlag(c));
  const std::string& flag = checked.first;
  const core::Date from = checked.second;
  const auto write = school_.BeginWrite();
  ASSIGN_OR_RETURN(auto editable, Editable(who, c.pupil_id));
  auto& [index, pupil] = editable;
  for (const store::CohortFlag& held : pupil.flags) {
    // The same again (a form sent twice, an import run again) changes nothing.
    if (held.flag == flag && held.from == from && !held.to) return core::OkStatus();
    // The new one holds from `from` on, so any period still running then
    // overlaps it.
    if (held.flag == flag && (!held.to || *held.to >= from)) {
      return core::InvalidArgument(
          core::kErrValueInvalid,
          fmt::format("{} is already recorded from {}{}: end it before {}", CohortText(flag),
                      LongDate(held.from), held.to ? " to " + LongDate(*held.to) : "",
                      LongDate(from)));
    }
  }
  pupil.flags.push_back({flag, from, std::nullopt});
  SortFlags(pupil.flags);
  return Save(who, index, pupil, ReasonOr(c.reason, "Cohort flags changed by the office"));
}

core::Status Contacts::EndFlag(const Principal& who, const FlagChange& c) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.PupilFor(who, c.pupil_id, Action::kEditContacts).status());
  }
  ASSIGN_OR_RETURN(auto checked, CheckedFlag(c));
  const std::string& flag = checked.first;
  const core::Date to = checked.second;
  const auto write = school_.BeginWrite();
  ASSIGN_OR_RETURN(auto editable, Editable(who, c.pupil_id));
  auto& [index, pupil] = editable;
  const auto open =
      std::find_if(pupil.flags.begin(), pupil.flags.end(),
                   [&](const store::CohortFlag& f) { return f.flag == flag && !f.to; });
  if (open == pupil.flags.end()) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("the pupil has no {} still held to end", CohortText(flag)));
  }
  if (to < open->from) {
    return core::InvalidArgument(core::kErrDateInvalid,
                                 fmt::format("{} cannot end on {}, before it began on {}",
                                             CohortText(flag), LongDate(to), LongDate(open->from)));
  }
  open->to = to;
  return Save(who, index, pupil, ReasonOr(c.reason, "Cohort flags changed by the office"));
}

core::StatusOr<ContactsView> Contacts::View(const Principal& who, int64_t pupil_id) const {
  auto lock = school_.Read();
  ASSIGN_OR_RETURN(size_t index, school_.PupilFor(who, pupil_id, Action::kReadPupil));
  const std::vector<store::Pupil>& pupils = school_.snapshot().pupils;
  const store::Pupil& p = pupils[index];
  ContactsView v;
  v.pupil_id = p.id;
  v.contacts = p.contacts;
  v.flags = p.flags;
  SortFlags(v.flags);
  v.checks = ChecksOf(p, school_.clock().Today());
  v.siblings = SiblingsOf(pupils, index);
  std::erase_if(v.siblings, [&](const Sibling& s) {
    return !school_.PupilFor(who, s.pupil_id, Action::kReadPupil).ok();
  });
  v.may_edit = school_.Allow(who, Action::kEditContacts, {p.id, p.class_id}).ok();
  return v;
}

core::StatusOr<std::vector<ContactCheckRow>> Contacts::ToCheck(const Principal& who) const {
  auto lock = school_.Read();
  RETURN_IF_ERROR(school_.Allow(who, Action::kEditContacts, {}));
  const Snapshot& s = school_.snapshot();
  const core::Date today = school_.clock().Today();
  std::vector<ContactCheckRow> out;
  for (size_t i = 0; i < s.pupils.size(); ++i) {
    if (!s.scenario.pupils[i].OnRollOn(today)) continue;
    ContactChecks checks = ChecksOf(s.pupils[i], today);
    if (!checks.any()) continue;
    const store::Pupil& p = s.pupils[i];
    const auto cls = p.class_id ? s.classes.find(*p.class_id) : s.classes.end();
    out.push_back({p.id, DisplayName(p), cls == s.classes.end() ? std::string() : cls->second.name,
                   std::move(checks)});
  }
  std::sort(out.begin(), out.end(), [](const ContactCheckRow& a, const ContactCheckRow& b) {
    return std::tie(a.class_name, a.name) < std::tie(b.class_name, b.name);
  });
  return out;
}

core::StatusOr<store::ContactLogEntry> Contacts::Add(const Principal& who,
                                                     const ContactRequest& req) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.PupilFor(who, req.pupil_id, Action::kRecordContact).status());
  }
  store::ContactLogEntry e;
  e.pupil_id = req.pupil_id;
  const std::optional<store::ContactMethod> method = store::ContactMethodFromName(req.method);
  if (!method) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("method '{}' is not one of call, text, email, letter, home_visit, meeting, "
                    "message",
                    req.method));
  }
  e.method = *method;
  const std::vector<store::ContactOutcome> allowed = store::OutcomesOf(e.method);
  if (req.outcome.empty() && allowed.size() == 1) {
    e.outcome = allowed.front();  // a letter or a message is simply sent
  } else {
    const std::optional<store::ContactOutcome> outcome = store::ContactOutcomeFromName(req.outcome);
    if (!outcome) {
      return core::InvalidArgument(
          core::kErrContactOutcome,
          fmt::format("give the outcome of the {}: {}", req.method, OutcomeNames(allowed)));
    }
    // One the method cannot have (a letter that "spoke") is refused by the
    // store's own check (store::CheckContactLogEntry).
    e.outcome = *outcome;
  }
  if (req.contact.size() > kMaxContactName) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("'contact' is longer than {} characters", kMaxContactName));
  }
  if (req.note.size() > kMaxContactNote) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("'note' is longer than {} characters", kMaxContactNote));
  }
  if (e.method == store::ContactMethod::kMessage && req.note.empty()) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "a message to parents needs its text in 'note'");
  }
  e.contact_name = req.contact;
  e.note = req.note;
  e.at = school_.clock().NowSeconds();
  e.by_user_id = who.user_id;
  e.by_name = who.name;
  e.by_role = who.role;
  const auto write = school_.BeginWrite();
  ASSIGN_OR_RETURN(e.id, school_.store().AddContactLogEntry(e));
  return e;
}

core::StatusOr<store::ContactLogEntry> Contacts::LogCall(const Principal& who,
                                                         const CallRequest& req) {
  ContactRequest call{req.pupil_id, "call", req.outcome, req.contact, req.note};
  if (!req.reason.empty()) {
    // A reason comes from the family, so only from a call that reached them.
    if (req.outcome != store::ContactOutcomeName(store::ContactOutcome::kSpoke)) {
      return core::InvalidArgument(core::kErrValueInvalid,
                                   "a reason for the absence comes from speaking to the family: "
                                   "choose 'spoke to them'");
    }
    const std::string today = school_.clock().Today().ToString();
    RETURN_IF_ERROR(reports_
                        .Report(who, {.pupil_id = req.pupil_id,
                                      .from = today,
                                      .to = req.until.empty() ? today : req.until,
                                      .reason = req.reason})
                        .status());
    call.note = req.note.empty() ? "Reason given: " + req.reason
                                 : req.note + " (reason given: " + req.reason + ")";
  }
  return Add(who, call);
}

core::StatusOr<ContactLogView> Contacts::Log(const Principal& who, int64_t pupil_id) {
  ContactLogView v;
  {
    auto lock = school_.Read();
    ASSIGN_OR_RETURN(size_t index, school_.PupilFor(who, pupil_id, Action::kReadContactLog));
    const store::Pupil& p = school_.snapshot().pupils[index];
    v.may_record = school_.Allow(who, Action::kRecordContact, {p.id, p.class_id}).ok();
  }
  ASSIGN_OR_RETURN(v.entries, school_.store().ContactLogForPupil(pupil_id));
  return v;
}

core::StatusOr<std::vector<store::ContactLogEntry>> Contacts::LoggedToday(const Principal& who) {
  const int64_t midnight = StartOfToday(school_.clock());
  ASSIGN_OR_RETURN(std::vector<store::ContactLogEntry> entries,
                   school_.store().ContactLogSince(midnight));
  auto lock = school_.Read();
  std::erase_if(entries, [&](const store::ContactLogEntry& e) {
    return !school_.PupilFor(who, e.pupil_id, Action::kReadContactLog).ok();
  });
  return entries;
}

core::StatusOr<std::vector<FamilyMessage>> Contacts::Messages(const Principal& who,
                                                              int64_t pupil_id) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.PupilFor(who, pupil_id, Action::kReadMessages).status());
  }
  ASSIGN_OR_RETURN(std::vector<store::ContactLogEntry> log,
                   school_.store().ContactLogForPupil(pupil_id));
  ASSIGN_OR_RETURN(std::vector<store::AbsenceReport> reports,
                   school_.store().ListAbsenceReports(false));
  std::vector<FamilyMessage> out;
  for (const store::ContactLogEntry& e : log) {
    if (e.method != store::ContactMethod::kMessage) continue;
    out.push_back({e.at, "school", e.by_name, e.note});
  }
  for (const store::AbsenceReport& r : reports) {
    if (r.pupil_id != pupil_id) continue;
    const std::string dates =
        r.from == r.to ? LongDate(r.from) : LongDate(r.from) + " to " + LongDate(r.to);
    out.push_back({r.reported_at, "family", r.reported_by_name,
                   fmt::format("Absence {}: {}", dates, r.reason)});
    if (r.resolved_at) {
      out.push_back({*r.resolved_at, "school", "School office",
                     fmt::format("About the absence {}: {}", dates, r.resolution)});
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const FamilyMessage& a, const FamilyMessage& b) { return a.at > b.at; });
  return out;
}

}  // namespace rollcall::service
