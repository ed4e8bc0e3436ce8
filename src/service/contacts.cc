// contacts.cc: the contact log and the messages parents read (contacts.h).
#include "service/contacts.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string_view>
#include <tuple>
#include <utility>

#include "core/error_codes.h"
#include "service/fields.h"
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

// The contact as entered, checked; InvalidArgument VALUE_INVALID naming the
// field otherwise.
core::StatusOr<store::Contact> CheckedContact(const ContactDetails& d) {
  const auto invalid = [](std::string why) {
    return core::InvalidArgument(core::kErrValueInvalid, std::move(why));
  };
  using Field = std::tuple<const char*, const std::string*, size_t>;
  for (const auto& [key, value, limit] :
       {Field{"name", &d.name, kMaxContactName}, Field{"relationship", &d.relationship, 100},
        Field{"phone", &d.phone, 40}, Field{"email", &d.email, kMaxContactName},
        Field{"salutation", &d.salutation, 100}, Field{"address", &d.address, kMaxAddress},
        Field{"postcode", &d.postcode, 10}}) {
    if (value->size() > limit) {
      return invalid(fmt::format("'{}' is longer than {} characters", key, limit));
    }
  }
  if (d.name.empty()) return invalid("give the contact's name in 'name'");
  if (d.relationship.empty()) {
    return invalid("give the contact's relationship to the child in 'relationship', e.g. Mother");
  }
  if (!d.email.empty() && d.email.find('@') == std::string::npos) {
    return invalid(fmt::format("'{}' is not an email address", d.email));
  }
  if (!d.salutation.empty() && !d.salutation.starts_with("Dear ")) {
    return invalid("a salutation starts with 'Dear', e.g. 'Dear Mrs Ali'");
  }
  store::Contact c;
  c.name = d.name;
  c.relationship = d.relationship;
  c.phone = d.phone;
  c.email = d.email;
  c.parental_responsibility = d.parental_responsibility;
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

std::string OutcomeNames(const std::vector<store::ContactOutcome>& outcomes) {
  std::string out;
  for (store::ContactOutcome o : outcomes) {
    out += (out.empty() ? "" : ", ") + std::string(store::ContactOutcomeName(o));
  }
  return out;
}

}  // namespace

core::StatusOr<store::Contact> Contacts::SaveContact(const Principal& who,
                                                     const ContactDetails& d) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.PupilFor(who, d.pupil_id, Action::kEditContacts).status());
  }
  ASSIGN_OR_RETURN(store::Contact contact, CheckedContact(d));
  const auto write = school_.BeginWrite();
  store::Pupil pupil;
  size_t index = 0;
  {
    auto lock = school_.Read();
    ASSIGN_OR_RETURN(index, school_.PupilFor(who, d.pupil_id, Action::kEditContacts));
    pupil = school_.snapshot().pupils[index];
  }
  if (d.position) {
    if (*d.position < 1 || *d.position > pupil.contacts.size()) {
      return core::InvalidArgument(core::kErrValueInvalid,
                                   fmt::format("the pupil has no contact {}: there are {}",
                                               *d.position, pupil.contacts.size()));
    }
    store::Contact& old = pupil.contacts[*d.position - 1];
    contact.priority = old.priority;
    contact.user_id = old.user_id;
    old = contact;
  } else {
    if (pupil.contacts.size() >= kMaxContacts) {
      return core::InvalidArgument(
          core::kErrValueInvalid,
          fmt::format("a pupil has at most {} contacts: change one instead", kMaxContacts));
    }
    contact.priority = pupil.contacts.empty() ? 1 : pupil.contacts.back().priority + 1;
    pupil.contacts.push_back(contact);
  }
  RETURN_IF_ERROR(school_.store().UpdatePupil(pupil));
  school_.Apply([&](Snapshot& s) { s.pupils[index].contacts = pupil.contacts; });
  return contact;
}

bool Contacts::MayEditContacts(const Principal& who, int64_t pupil_id) const {
  auto lock = school_.Read();
  return school_.PupilFor(who, pupil_id, Action::kEditContacts).ok();
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
  const core::Clock& clock = school_.clock();
  const int64_t now = clock.NowSeconds();
  const int64_t midnight = now - int64_t{clock.MinuteOfDay()} * 60 - now % 60;
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
