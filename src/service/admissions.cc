// admissions.cc: the admission register (admissions.h).
#include "service/admissions.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <map>
#include <utility>

#include "core/codes.h"
#include "core/error_codes.h"
#include "core/uk_time.h"
#include "core/upn.h"
#include "service/fields.h"
#include "service/records.h"
#include "service/words.h"

namespace rollcall::service {
namespace {

using core::Date;

constexpr size_t kMaxName = 100;
constexpr size_t kMaxText = 500;
// A deletion is entered promptly: its last day on roll may be at most this
// many calendar days before the day it is entered (docs/rules.md section 4).
constexpr int kMaxBackdateDays = 5;
// Nor may a pupil be admitted from a starting day further back than this.
constexpr int kMaxAdmitBackdateDays = 5;
// Ground (h): school days after the leave ended with no return.
constexpr int kLeaveSchoolDays = 10;
// Ground (i): school days of continuous absence coded G, N or O.
constexpr int kAbsentSchoolDays = 20;

constexpr std::array<DeletionGround, 15> kGrounds = {{
    {'a', "Registered at another school",
     "Not where the pupil is registered at both schools by agreement, a school attendance order "
     "names this school, or this is the main school of a child of no fixed abode. Name the new "
     "school.",
     true, false},
    {'b', "Nursery class finished and not moving up to reception here",
     "There is no reason to expect the child back. Say how you know in the evidence.", false, true},
    {'c', "Registered at more than one school and the others agree",
     "There is no reason to expect the pupil to attend here, no school attendance order names "
     "this school, and this is not the main school of a child of no fixed abode. Give the "
     "agreement in the evidence.",
     false, true},
    {'d', "A school attendance order now names another school",
     "Give the amended order in the evidence.", true, true},
    {'e', "The school attendance order naming this school was revoked",
     "Give the revocation in the evidence.", false, true},
    {'f', "Parent's written notice of education at home",
     "The parent has told the school in writing (give the date of the notice) and no school "
     "attendance order names this school. The last day on roll is not before the notice.",
     false, false},
    {'g', "No longer lives within reasonable distance of the school",
     "Not for a boarder. Give the new address or how you know in the evidence.", false, true},
    {'h', "Not back after leave of absence",
     "At least 10 school days have passed since the leave granted ended, the pupil has not "
     "come back, sickness or another unavoidable cause does not explain it, and the school's "
     "enquiries are in the contact log.",
     false, false},
    {'i', "Continuously absent for 20 school days",
     "Every session of the last 20 school days up to the last day on roll is G, N or O, "
     "sickness or another unavoidable cause does not explain it, the school's enquiries are in "
     "the contact log and a children-missing-education case was worked.",
     false, false},
    {'j', "Detained under a sentence of four months or more",
     "There is no reason to expect the pupil back when it ends. Give the sentence in the "
     "evidence.",
     false, true},
    {'k', "Died", "Say how the school was told in the evidence.", false, true},
    {'l', "Leaving at the end of compulsory school age",
     "The pupil ceases to be of compulsory school age before the school next meets and does not "
     "stay on in a sixth form here.",
     false, true},
    {'m', "Boarding fees not paid", "Only for a boarder at a maintained school or academy.", false,
     true},
    {'n', "Left an independent or non-maintained special school",
     "Give how the pupil left in the evidence.", false, true},
    {'o', "Permanently excluded",
     "The exclusion process is complete: any review has ended. Give the dates in the evidence.",
     false, true},
}};

core::Status Invalid(std::string message) {
  return core::InvalidArgument(core::kErrValueInvalid, std::move(message));
}

core::Status Refused(std::string message) {
  return core::InvalidArgument(core::kErrDeletionRefused, std::move(message));
}

// The text without spaces at either end.
std::string Stripped(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return "";
  const size_t last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

core::Status CheckLength(const std::string& value, size_t limit, std::string_view label) {
  if (value.size() > limit) {
    return Invalid(fmt::format("{} is longer than {} characters", label, limit));
  }
  return core::OkStatus();
}

// The year group a child born on `dob` is normally in during the school
// year holding `day`: Reception (0) in the year they turn five.
int UsualYearGroup(Date dob, Date day) {
  // Year groups run from 1 September to 31 August, by birth as by school
  // year (the statistics' academic year starts on 1 August: not this).
  const auto school_year = [](Date d) { return d.month() < 9 ? d.year() - 1 : d.year(); };
  return school_year(day) - school_year(dob) - 5;
}

bool IsPresent(core::AttendanceCode code) {
  const core::StatCategory c = core::CategoryOf(code);
  return c == core::StatCategory::kPresent || c == core::StatCategory::kApprovedActivity;
}

bool IsUnexplainedAbsence(core::AttendanceCode code) {
  return code == core::AttendanceCode::kHolidayNotGranted ||
         code == core::AttendanceCode::kNoReasonYet ||
         code == core::AttendanceCode::kOtherUnauthorised;
}

// A stored value as the history shows it: a date in words ("14 March
// 2019"), every other value as it was stored.
std::string ValueText(const std::string& value) {
  if (std::optional<Date> d = Date::Parse(value)) return LongDate(*d);
  return value;
}

// How a stored field name reads: "legal_family_name" -> "Legal family name".
std::string FieldLabel(std::string field) {
  std::replace(field.begin(), field.end(), '_', ' ');
  if (field == "upn") return "UPN";
  if (!field.empty() && field[0] >= 'a' && field[0] <= 'z') {
    field[0] = static_cast<char>(field[0] - 'a' + 'A');
  }
  return field;
}

}  // namespace

std::span<const DeletionGround> DeletionGrounds() { return kGrounds; }

const DeletionGround* DeletionGroundOf(std::string_view letter) {
  for (const DeletionGround& g : kGrounds) {
    if (letter.size() == 1 && letter[0] == g.letter) return &g;
  }
  return nullptr;
}

core::StatusOr<store::Pupil> Admissions::CheckedEntry(const AdmissionForm& form, Date start) const {
  const Snapshot& snap = school_.snapshot();
  store::Pupil p;
  p.upn = UpnAsHeld(form.upn);
  if (p.upn.empty()) return Invalid("give the pupil's UPN (unique pupil number)");
  RETURN_IF_ERROR(core::CheckUpn(p.upn));
  p.legal_given_name = Stripped(form.legal_given_name);
  p.legal_family_name = Stripped(form.legal_family_name);
  p.preferred_given_name = Stripped(form.preferred_given_name);
  p.preferred_family_name = Stripped(form.preferred_family_name);
  if (p.legal_given_name.empty()) return Invalid("give the pupil's legal first name");
  if (p.legal_family_name.empty()) return Invalid("give the pupil's legal last name");
  RETURN_IF_ERROR(CheckLength(p.legal_given_name, kMaxName, "the legal first name"));
  RETURN_IF_ERROR(CheckLength(p.legal_family_name, kMaxName, "the legal last name"));
  RETURN_IF_ERROR(CheckLength(p.preferred_given_name, kMaxName, "the preferred first name"));
  RETURN_IF_ERROR(CheckLength(p.preferred_family_name, kMaxName, "the preferred last name"));
  if (form.sex != "F" && form.sex != "M") return Invalid("give the pupil's sex: F or M");
  p.sex = form.sex;
  if (form.date_of_birth.empty()) return Invalid("give the pupil's date of birth");
  ASSIGN_OR_RETURN(p.date_of_birth, ParseDateParam(form.date_of_birth, "the date of birth"));
  if (form.year_group == "R" || form.year_group == "r") {
    p.year_group = 0;
  } else {
    const std::optional<int64_t> year = ParseId(form.year_group);
    if (form.year_group != "0" && (!year || *year > 13)) {
      return Invalid("the year group is Reception (R) or 1 to 13");
    }
    p.year_group = year ? static_cast<int>(*year) : 0;
  }
  if (p.date_of_birth >= start) {
    return Invalid(fmt::format("the date of birth, {}, is not before the starting day",
                               LongDate(p.date_of_birth)));
  }
  const int usual = UsualYearGroup(p.date_of_birth, start);
  if (std::abs(usual - p.year_group) > 1) {
    return Invalid(fmt::format(
        "a child born on {} is usually in {}, not {}: check the date of birth and year group",
        LongDate(p.date_of_birth), usual < 0 ? "nursery" : YearGroupName(usual),
        YearGroupName(p.year_group)));
  }
  if (!form.class_id.empty()) {
    const std::optional<int64_t> class_id = ParseId(form.class_id);
    if (!class_id || !snap.classes.contains(*class_id)) {
      return core::NotFound(core::kErrClassUnknown, "choose one of the school's classes");
    }
    p.class_id = class_id;
  }
  p.previous_school = Stripped(form.previous_school);
  RETURN_IF_ERROR(CheckLength(p.previous_school, kMaxText, "the previous school"));
  p.boarder = form.boarder;
  return p;
}

core::StatusOr<int64_t> Admissions::Save(const Principal& who, const store::Pupil& pupil,
                                         const std::string& reason) {
  const store::Actor actor{who.user_id, who.name, who.role};
  const int64_t now = school_.clock().NowSeconds();
  ASSIGN_OR_RETURN(std::vector<int64_t> ids,
                   school_.store().SavePupils({}, {pupil}, actor, now, reason));
  store::Pupil saved = pupil;
  saved.id = ids.front();
  const Date today = school_.clock().Today();
  school_.Apply([&](Snapshot& s) {
    auto it = s.pupil_index.find(saved.id);
    if (it == s.pupil_index.end()) {
      s.pupil_index.emplace(saved.id, s.pupils.size());
      s.pupils.push_back(saved);
      s.scenario.pupils.push_back(RecordOf(saved, today));
      s.scenario.marks.emplace_back();
      return;
    }
    s.pupils[it->second] = saved;
    s.scenario.pupils[it->second].on_roll = RecordOf(saved, today).on_roll;
  });
  return saved.id;
}

bool Admissions::MayAdmit(const Principal& who) const {
  auto lock = school_.Read();
  return school_.Allow(who, Action::kAdmitPupil, {}).ok();
}

std::vector<std::pair<int64_t, std::string>> Admissions::Classes() const {
  auto lock = school_.Read();
  std::vector<std::pair<int64_t, std::string>> out;
  for (const auto& [id, c] : school_.snapshot().classes) out.emplace_back(id, c.name);
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.second < b.second; });
  return out;
}

core::StatusOr<int64_t> Admissions::Admit(const Principal& who, const AdmissionForm& form) {
  const Date today = school_.clock().Today();
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kAdmitPupil, {}));
  }
  if (form.start.empty()) return Invalid("give the pupil's starting day");
  ASSIGN_OR_RETURN(const Date start, ParseDateParam(form.start, "the starting day"));
  if (start < today.AddDays(-kMaxAdmitBackdateDays)) {
    return Invalid(
        fmt::format("the starting day, {}, is more than {} days ago: an admission is "
                    "entered by the starting day",
                    LongDate(start), kMaxAdmitBackdateDays));
  }
  if (start > today.AddDays(366)) {
    return Invalid(fmt::format("the starting day, {}, is more than a year ahead", LongDate(start)));
  }
  const auto write = school_.BeginWrite();
  store::Pupil pupil;
  {
    auto lock = school_.Read();
    ASSIGN_OR_RETURN(pupil, CheckedEntry(form, start));
  }
  // Contacts as typed, blank rows left out.
  std::vector<store::Contact> contacts;
  for (const AdmissionContact& c : form.contacts) {
    store::Contact contact;
    contact.name = Stripped(c.name);
    contact.relationship = Stripped(c.relationship);
    contact.phone = Stripped(c.phone);
    contact.other_phone = Stripped(c.other_phone);
    contact.email = Stripped(c.email);
    contact.address = Stripped(c.address);
    contact.postcode = Stripped(c.postcode);
    if (contact.name.empty() && contact.relationship.empty() && contact.phone.empty() &&
        contact.other_phone.empty() && contact.email.empty() && contact.address.empty() &&
        contact.postcode.empty()) {
      continue;
    }
    const std::string which = fmt::format("contact {}", contacts.size() + 1);
    if (contact.name.empty()) return Invalid(fmt::format("give the name of {}", which));
    if (contact.relationship.empty()) {
      return Invalid(fmt::format("give {}'s relationship to the pupil, e.g. Mother", which));
    }
    for (const std::string* field : {&contact.name, &contact.relationship, &contact.phone,
                                     &contact.other_phone, &contact.email, &contact.postcode}) {
      RETURN_IF_ERROR(CheckLength(*field, kMaxName, which + "'s details"));
    }
    RETURN_IF_ERROR(CheckLength(contact.address, kMaxText, which + "'s address"));
    if (!contact.email.empty() && contact.email.find('@') == std::string::npos) {
      return Invalid(
          fmt::format("'{}', {}'s email, is not an email address", contact.email, which));
    }
    if (contact.phone.empty() && contact.other_phone.empty()) {
      return Invalid(fmt::format("give a phone number for {} ({})", which, contact.name));
    }
    if (c.parental_responsibility && contact.address.empty()) {
      return Invalid(
          fmt::format("give the address of {} ({}): the register holds each "
                      "parent's address",
                      which, contact.name));
    }
    contact.parental_responsibility = c.parental_responsibility;
    contact.lives_with = c.lives_with;
    contact.emergency = c.emergency;
    contact.priority = static_cast<int>(contacts.size()) + 1;
    contact.confirmed_on = today;
    contacts.push_back(std::move(contact));
  }
  const auto any = [&](bool store::Contact::*flag) {
    return std::any_of(contacts.begin(), contacts.end(),
                       [&](const store::Contact& c) { return c.*flag; });
  };
  if (!any(&store::Contact::parental_responsibility)) {
    return Invalid("give at least one parent: a contact with parental responsibility");
  }
  if (!any(&store::Contact::lives_with)) {
    return Invalid("say which parent or carer the pupil normally lives with");
  }
  if (!any(&store::Contact::emergency)) {
    return Invalid("give at least one emergency contact");
  }
  pupil.contacts = std::move(contacts);
  pupil.enrolments.push_back({start, std::nullopt, "", ""});
  return Save(who, pupil, "Admitted");
}

core::Status Admissions::Edit(const Principal& who, int64_t pupil_id, const EditForm& form) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.PupilFor(who, pupil_id, Action::kEditPupil).status());
  }
  const std::string reason = Stripped(form.reason);
  if (reason.empty()) {
    return core::InvalidArgument(core::kErrReasonRequired,
                                 "give the reason for the change: it is kept with it");
  }
  RETURN_IF_ERROR(CheckLength(reason, kMaxText, "the reason"));
  const auto write = school_.BeginWrite();
  store::Pupil pupil;
  {
    auto lock = school_.Read();
    ASSIGN_OR_RETURN(size_t index, school_.PupilFor(who, pupil_id, Action::kEditPupil));
    const store::Pupil& old = school_.snapshot().pupils[index];
    // The starting day can be corrected only on an entry whose enrolment is
    // still open and has no mark yet.
    Date start = old.enrolments.empty() ? school_.clock().Today() : old.enrolments.back().start;
    if (!form.entry.start.empty()) {
      ASSIGN_OR_RETURN(const Date typed, ParseDateParam(form.entry.start, "the starting day"));
      if (typed != start) {
        if (old.enrolments.empty() || old.enrolments.back().end ||
            !school_.snapshot().scenario.marks[index].empty()) {
          return Invalid("the starting day can be changed only before the first mark");
        }
        start = typed;
      }
    }
    ASSIGN_OR_RETURN(pupil, CheckedEntry(form.entry, start));
    pupil.id = old.id;
    pupil.flags = old.flags;
    pupil.contacts = old.contacts;
    pupil.social_worker_name = old.social_worker_name;
    pupil.social_worker_email = old.social_worker_email;
    pupil.enrolments = old.enrolments;
    if (!pupil.enrolments.empty()) pupil.enrolments.back().start = start;
  }
  return Save(who, pupil, reason).status();
}

core::StatusOr<SocialWorkerView> Admissions::SocialWorker(const Principal& who,
                                                          int64_t pupil_id) const {
  auto lock = school_.Read();
  ASSIGN_OR_RETURN(size_t index, school_.PupilFor(who, pupil_id, Action::kReadSocialWorker));
  const store::Pupil& p = school_.snapshot().pupils[index];
  return SocialWorkerView{
      .name = p.social_worker_name,
      .email = p.social_worker_email,
      .may_edit = school_.PupilFor(who, pupil_id, Action::kEditSocialWorker).ok()};
}

core::Status Admissions::SetSocialWorker(const Principal& who, int64_t pupil_id,
                                         const SocialWorkerForm& form) {
  const std::string name = Stripped(form.name);
  const std::string email = Stripped(form.email);
  const std::string reason = Stripped(form.reason);
  RETURN_IF_ERROR(CheckLength(name, kMaxText, "the social worker's name"));
  RETURN_IF_ERROR(CheckLength(email, kMaxText, "the social worker's email"));
  if (!email.empty() && !IsEmailAddress(email)) {
    return Invalid(fmt::format("'{}' is not an email address", email));
  }
  if (name.empty() && !email.empty()) {
    return Invalid("give the social worker's name with their email address");
  }
  if (reason.empty()) {
    return core::InvalidArgument(core::kErrReasonRequired,
                                 "give the reason for the change: it is kept with it");
  }
  RETURN_IF_ERROR(CheckLength(reason, kMaxText, "the reason"));
  const auto write = school_.BeginWrite();
  store::Pupil pupil;
  {
    auto lock = school_.Read();
    ASSIGN_OR_RETURN(size_t index, school_.PupilFor(who, pupil_id, Action::kEditSocialWorker));
    pupil = school_.snapshot().pupils[index];
  }
  pupil.social_worker_name = name;
  pupil.social_worker_email = email;
  return Save(who, pupil, reason).status();
}

core::StatusOr<EditForm> Admissions::FormOf(const Principal& who, int64_t pupil_id) {
  auto lock = school_.Read();
  ASSIGN_OR_RETURN(size_t index, school_.PupilFor(who, pupil_id, Action::kEditPupil));
  const store::Pupil& p = school_.snapshot().pupils[index];
  EditForm f;
  f.entry.upn = p.upn;
  f.entry.legal_given_name = p.legal_given_name;
  f.entry.legal_family_name = p.legal_family_name;
  f.entry.preferred_given_name = p.preferred_given_name;
  f.entry.preferred_family_name = p.preferred_family_name;
  f.entry.sex = p.sex;
  f.entry.date_of_birth = p.date_of_birth.ToString();
  f.entry.year_group = p.year_group == 0 ? "R" : std::to_string(p.year_group);
  f.entry.class_id = p.class_id ? std::to_string(*p.class_id) : "";
  f.entry.start = p.enrolments.empty() ? "" : p.enrolments.back().start.ToString();
  f.entry.previous_school = p.previous_school;
  f.entry.boarder = p.boarder;
  return f;
}

core::Status Admissions::CheckGround(size_t index, const DeletionGround& ground,
                                     const LeaveForm& form, Date last_day,
                                     const std::vector<store::ContactLogEntry>& log,
                                     bool cme_case_worked) const {
  const Snapshot& snap = school_.snapshot();
  const store::Pupil& p = snap.pupils[index];
  const core::Calendar& calendar = snap.scenario.calendar;
  const auto enquiries_since = [&](Date day) {
    return std::any_of(log.begin(), log.end(), [&](const store::ContactLogEntry& e) {
      return e.at >= core::UkUnixSeconds(day, 0);
    });
  };
  if (ground.letter == 'g' && p.boarder) {
    return Refused("ground (g) is not for a boarder");
  }
  if (ground.letter == 'm' && !p.boarder) {
    return Refused("ground (m) is only for a boarder, and the pupil is not recorded as one");
  }
  if (ground.letter == 'f') {
    if (form.notice_date.empty()) {
      return Refused(
          "ground (f) needs the date of the parent's written notice of education at home");
    }
    ASSIGN_OR_RETURN(const Date notice, ParseDateParam(form.notice_date, "the date of the notice"));
    if (notice > school_.clock().Today()) {
      return Refused("the parent's written notice cannot be dated after today");
    }
    if (last_day < notice) {
      return Refused(fmt::format("the last day on roll, {}, is before the parent's notice of {}",
                                 LongDate(last_day), LongDate(notice)));
    }
  }
  if (ground.letter == 'h') {
    // The latest leave granted that ended before the last day.
    std::optional<Date> leave_end;
    for (const store::LeaveDecision& d : snap.leave_decisions) {
      if (d.decision != store::LeaveOutcome::kGranted) continue;
      for (const store::LeaveRequest& r : snap.leave_requests) {
        if (r.id != d.request_id || r.pupil_id != p.id || r.to.date >= last_day) continue;
        if (!leave_end || *leave_end < r.to.date) leave_end = r.to.date;
      }
    }
    if (!leave_end) {
      return Refused("ground (h) needs leave of absence granted to the pupil that has ended");
    }
    const int32_t days = calendar.SchoolDaysBetween(*leave_end, last_day);
    if (days < kLeaveSchoolDays) {
      return Refused(fmt::format(
          "ground (h) needs at least {} school days after the leave ended on {}: there are {}",
          kLeaveSchoolDays, LongDate(*leave_end), days));
    }
    for (const core::RecordedMark& m : snap.scenario.marks[index]) {
      if (m.slot.date > *leave_end && m.code && IsPresent(*m.code)) {
        return Refused(
            fmt::format("the pupil came back after the leave: present on {}", SessionText(m.slot)));
      }
    }
    if (!enquiries_since(leave_end->AddDays(1))) {
      return Refused(
          "ground (h) needs the school's enquiries since the leave ended in the "
          "contact log");
    }
  }
  if (ground.letter == 'i') {
    // The 20 school days up to the last day on roll, every session G, N or O.
    std::map<core::SessionKey, core::AttendanceCode> codes;
    for (const core::RecordedMark& m : snap.scenario.marks[index]) {
      if (m.code) codes[m.slot] = *m.code;
    }
    Date day = last_day;
    std::optional<Date> first;
    for (int counted = 0; counted < kAbsentSchoolDays; day = day.AddDays(-1)) {
      if (calendar.terms().empty() || day < calendar.terms().front().start ||
          day < p.enrolments.back().start) {
        return Refused(
            fmt::format("ground (i) needs {} school days on roll before the last day: "
                        "there are {}",
                        kAbsentSchoolDays, counted));
      }
      if (!calendar.IsSchoolDay(day)) continue;
      for (core::Session s : {core::Session::kAm, core::Session::kPm}) {
        const core::SessionKey key{day, s};
        if (!calendar.IsOpen(key)) continue;
        auto it = codes.find(key);
        if (it == codes.end() || !IsUnexplainedAbsence(it->second)) {
          return Refused(fmt::format(
              "ground (i) needs every session of the {} school days up to the last day to be G, "
              "N or O: {} is {}",
              kAbsentSchoolDays, SessionText(key),
              it == codes.end() ? std::string("not marked")
                                : std::string(core::SymbolOf(it->second))));
        }
      }
      first = day;
      ++counted;
    }
    if (!enquiries_since(*first)) {
      return Refused(
          "ground (i) needs the school's enquiries during the absence in the contact "
          "log");
    }
    if (!cme_case_worked) {
      return Refused(
          "ground (i) needs a children-missing-education case with its steps "
          "recorded");
    }
  }
  if (ground.needs_destination && Stripped(form.destination).empty()) {
    return Refused(
        fmt::format("ground ({}) needs the new school named as the destination", ground.letter));
  }
  if (ground.needs_evidence && Stripped(form.evidence).empty()) {
    return Refused(fmt::format("ground ({}) needs the evidence that it is met: {}", ground.letter,
                               ground.conditions));
  }
  return core::OkStatus();
}

core::Status Admissions::RemoveFromRoll(const Principal& who, int64_t pupil_id,
                                        const LeaveForm& form) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.PupilFor(who, pupil_id, Action::kRemoveFromRoll).status());
  }
  const DeletionGround* ground = DeletionGroundOf(form.ground);
  if (!ground) return Invalid("choose the ground for the deletion: a letter from a to o");
  if (form.last_day.empty()) return Invalid("give the pupil's last day on roll");
  ASSIGN_OR_RETURN(const Date last_day, ParseDateParam(form.last_day, "the last day on roll"));
  const std::string destination = Stripped(form.destination);
  const std::string evidence = Stripped(form.evidence);
  RETURN_IF_ERROR(CheckLength(destination, kMaxText, "the destination"));
  RETURN_IF_ERROR(CheckLength(evidence, kMaxText, "the evidence"));
  const Date today = school_.clock().Today();
  if (last_day > today) {
    return Refused(
        fmt::format("the last day on roll, {}, is after today: a pupil is taken off "
                    "the roll once the ground is met, not before",
                    LongDate(last_day)));
  }
  if (last_day < today.AddDays(-kMaxBackdateDays)) {
    return Refused(
        fmt::format("the last day on roll, {}, is more than {} days ago: a deletion is "
                    "made promptly and never backdated",
                    LongDate(last_day), kMaxBackdateDays));
  }
  // What the conditions read beyond the snapshot, read before the write lock.
  ASSIGN_OR_RETURN(std::vector<store::ContactLogEntry> log,
                   school_.store().ContactLogForPupil(pupil_id));
  bool cme_case_worked = false;
  if (ground->letter == 'i') {
    ASSIGN_OR_RETURN(std::vector<store::CmeCase> cases, school_.store().ListCmeCases(false));
    for (const store::CmeCase& c : cases) {
      if (c.pupil_id != pupil_id) continue;
      ASSIGN_OR_RETURN(std::vector<store::CmeStepRecord> steps, school_.store().CmeStepsFor(c.id));
      cme_case_worked = cme_case_worked || !steps.empty();
    }
  }

  const auto write = school_.BeginWrite();
  store::Pupil pupil;
  {
    auto lock = school_.Read();
    ASSIGN_OR_RETURN(size_t index, school_.PupilFor(who, pupil_id, Action::kRemoveFromRoll));
    pupil = school_.snapshot().pupils[index];
    if (pupil.enrolments.empty() || pupil.enrolments.back().end) {
      return core::Conflict(core::kErrPupilNotOnRoll, "the pupil is already off the roll");
    }
    store::Enrolment& e = pupil.enrolments.back();
    if (last_day < e.start) {
      return Refused(fmt::format("the last day on roll, {}, is before the starting day, {}",
                                 LongDate(last_day), LongDate(e.start)));
    }
    for (const core::RecordedMark& m : school_.snapshot().scenario.marks[index]) {
      if (m.slot.date > last_day && m.code && IsPresent(*m.code)) {
        return Refused(fmt::format("the pupil was in school on {}, after the last day on roll",
                                   SessionText(m.slot)));
      }
    }
    RETURN_IF_ERROR(CheckGround(index, *ground, form, last_day, log, cme_case_worked));
    e.end = last_day;
    e.deletion_ground = std::string(1, ground->letter);
    e.destination = destination.empty() && ground->letter == 'f'
                        ? "Education at home"
                        : (destination.empty() ? "Not known" : destination);
  }
  const std::string reason =
      fmt::format("Off roll: ground ({}) {}{}", ground->letter, ground->words,
                  evidence.empty() ? "" : ". Evidence: " + evidence);
  return Save(who, pupil, reason).status();
}

core::StatusOr<AdmissionEntryView> Admissions::Entry(const Principal& who, int64_t pupil_id) {
  AdmissionEntryView v;
  {
    auto lock = school_.Read();
    ASSIGN_OR_RETURN(size_t index, school_.PupilFor(who, pupil_id, Action::kReadAdmissionHistory));
    const Snapshot& snap = school_.snapshot();
    v.pupil = snap.pupils[index];
    if (v.pupil.class_id) {
      if (auto it = snap.classes.find(*v.pupil.class_id); it != snap.classes.end()) {
        v.class_name = it->second.name;
      }
    }
    const Subject subject{v.pupil.id, v.pupil.class_id};
    v.may_edit = school_.Allow(who, Action::kEditPupil, subject).ok();
    if (!v.pupil.enrolments.empty()) {
      const store::Enrolment& e = v.pupil.enrolments.back();
      v.start = e.start;
      if (e.end) v.left = e;
    }
    v.may_remove = !v.left && v.start && school_.Allow(who, Action::kRemoveFromRoll, subject).ok();
  }
  ASSIGN_OR_RETURN(std::vector<store::AdmissionChange> changes,
                   school_.store().AdmissionChangesFor(pupil_id));
  for (const store::AdmissionChange& c : changes) {
    v.changes.push_back({c.at, fmt::format("{} ({})", c.actor_name, RoleText(c.actor_role)),
                         FieldLabel(c.field), ValueText(c.old_value), ValueText(c.new_value),
                         c.reason});
  }
  return v;
}

}  // namespace rollcall::service
