// subject_access.cc: gathering everything held about a pupil or a contact.
#include "service/subject_access.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "core/cme.h"
#include "core/codes.h"
#include "core/error_codes.h"
#include "core/graduated.h"
#include "core/statistics.h"
#include "service/fields.h"
#include "service/records.h"
#include "service/words.h"

namespace rollcall::service {
namespace {

using core::StatusOr;

// Each section's columns, given as key and title pairs.
SarSection Section(std::string key, std::string title,
                   std::initializer_list<std::pair<const char*, const char*>> columns) {
  SarSection s{.key = std::move(key), .title = std::move(title), .columns = {}, .rows = {}};
  for (const auto& [k, t] : columns) s.columns.push_back({k, t});
  return s;
}

std::string Time(int64_t at) { return at == 0 ? "" : LocalIsoTime(at); }
std::string Time(const std::optional<int64_t>& at) { return at ? LocalIsoTime(*at) : ""; }
std::string DateText(const std::optional<core::Date>& d) { return d ? d->ToString() : ""; }
std::string Slot(core::SessionKey s) {
  return fmt::format("{} {}", s.date.ToString(), core::SessionName(s.session));
}
std::string Role(store::Role r) { return std::string(RoleText(r)); }
std::string YesNo(bool b) { return b ? "yes" : "no"; }
std::string Minute(const std::optional<int>& m) { return m ? TimeText(*m) : ""; }
std::string Code(const std::optional<core::AttendanceCode>& c) {
  return c ? std::string(core::SymbolOf(*c)) : "";
}

bool SameText(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Whether two contact records are one person: the same parent account, or
// the same name with the same email or phone. A name alone is not enough:
// two families may each have a "Mrs A Khan".
bool SamePerson(const store::Contact& a, const store::Contact& b) {
  if (a.user_id && b.user_id) return *a.user_id == *b.user_id;
  if (!SameText(a.name, b.name)) return false;
  return (!a.email.empty() && SameText(a.email, b.email)) ||
         (!a.phone.empty() && a.phone == b.phone);
}

SarSection ContactSection(const std::vector<store::Contact>& contacts, std::string key,
                          std::string title) {
  SarSection s = Section(std::move(key), std::move(title),
                         {{"priority", "Priority"},
                          {"name", "Name"},
                          {"relationship", "Relationship"},
                          {"phone", "Phone"},
                          {"other_phone", "Other phone"},
                          {"email", "Email"},
                          {"address", "Address"},
                          {"postcode", "Postcode"},
                          {"parental_responsibility", "Parental responsibility"},
                          {"lives_with", "Lives with the pupil"},
                          {"emergency", "Emergency contact"},
                          {"preferred_channel", "Messages by"},
                          {"optional_opt_out", "No optional messages"},
                          {"consent", "Consent to messages"},
                          {"confirmed_on", "Last confirmed"}});
  for (const store::Contact& c : contacts) {
    s.rows.push_back(
        {std::to_string(c.priority), c.name, c.relationship, c.phone, c.other_phone, c.email,
         c.address, c.postcode, YesNo(c.parental_responsibility), YesNo(c.lives_with),
         YesNo(c.emergency), c.preferred_channel, YesNo(c.optional_opt_out),
         c.consent_at
             ? fmt::format("{} by {} ({})", Time(c.consent_at), c.consent_by, c.consent_note)
             : "",
         DateText(c.confirmed_on)});
  }
  return s;
}

SarSection MessageSection(const std::vector<store::OutboxMessage>& messages) {
  SarSection s = Section("messages", "Email and text messages",
                         {{"queued_at", "Queued"},
                          {"channel", "Channel"},
                          {"kind", "Kind"},
                          {"to", "To"},
                          {"recipient", "Recipient"},
                          {"state", "State"},
                          {"delivered_at", "Delivered"},
                          {"receipt", "Receipt"},
                          {"text", "Text"}});
  for (const store::OutboxMessage& m : messages) {
    s.rows.push_back({Time(m.created_at), m.channel, m.event_kind, m.destination, m.recipient,
                      std::string(store::OutboxStateName(m.state)), Time(m.delivered_at), m.receipt,
                      m.payload});
  }
  return s;
}

SarSection AccessSection(const std::vector<store::AccessLogEntry>& entries) {
  SarSection s = Section(
      "access_log", "Who read these records",
      {{"at", "When"}, {"user", "Who"}, {"role", "Role"}, {"kind", "What"}, {"detail", "Detail"}});
  for (const store::AccessLogEntry& e : entries) {
    s.rows.push_back({Time(e.at), e.user_name, Role(e.role), AccessKindText(e.kind), e.detail});
  }
  return s;
}

}  // namespace

StatusOr<ContactRef> ParseContactRef(std::string_view text) {
  const size_t colon = text.find(':');
  ContactRef ref;
  auto number = [](std::string_view part, auto& out) {
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), out);
    return ec == std::errc() && end == part.data() + part.size() && out > 0;
  };
  if (colon == std::string_view::npos || !number(text.substr(0, colon), ref.pupil_id) ||
      !number(text.substr(colon + 1), ref.position)) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("'{}' is not a contact: give the pupil's id and the contact's place in "
                    "their list, e.g. 12:1",
                    text));
  }
  return ref;
}

StatusOr<SubjectAccessCopy> SubjectAccess::ForPupil(const Principal& who, int64_t pupil_id,
                                                    std::string_view format) {
  RETURN_IF_ERROR(school_.AllowNow(who, Action::kMakeSubjectAccess, {.pupil_id = pupil_id}));
  const core::Date today = school_.clock().Today();
  // The figures and alerts exactly as the pupil's page computes them.
  ASSIGN_OR_RETURN(PupilOverview v,
                   pupils_.Overview(who, pupil_id, today, {.marks = false, .previous = false}));
  const store::Pupil& p = v.pupil;
  store::Store& store = school_.store();

  SubjectAccessCopy copy;
  copy.subject_kind = "pupil";
  copy.subject_name = DisplayName(p);
  copy.pupil_id = p.id;
  copy.school = v.school;
  copy.produced_at = school_.clock().NowSeconds();
  copy.produced_by = who.name;

  SarSection record = Section("admission_entry", "Admission register entry",
                              {{"field", "Field"}, {"value", "Value"}});
  auto field = [&](const char* name, std::string value) {
    record.rows.push_back({name, std::move(value)});
  };
  field("id", std::to_string(p.id));
  field("upn", p.upn);
  field("legal_given_name", p.legal_given_name);
  field("legal_family_name", p.legal_family_name);
  field("preferred_given_name", p.preferred_given_name);
  field("preferred_family_name", p.preferred_family_name);
  field("date_of_birth", p.date_of_birth.ToString());
  field("sex", p.sex);
  field("year_group", std::to_string(p.year_group));
  field("class", v.class_name.value_or(""));
  field("boarder", YesNo(p.boarder));
  field("previous_school", p.previous_school);
  field("social_worker", p.social_worker_name.empty()
                             ? ""
                             : fmt::format("{} <{}>", p.social_worker_name, p.social_worker_email));
  for (const store::Enrolment& e : p.enrolments) {
    field("enrolment", fmt::format("on roll from {}{}", e.start.ToString(),
                                   e.end ? fmt::format(" to {} (ground {}; {})", e.end->ToString(),
                                                       e.deletion_ground, e.destination)
                                         : ""));
  }
  for (const store::CohortFlag& f : p.flags) {
    field("flag", fmt::format("{} from {}{}", f.flag, f.from.ToString(),
                              f.to ? " to " + f.to->ToString() : ""));
  }
  copy.sections.push_back(std::move(record));
  copy.sections.push_back(ContactSection(p.contacts, "contacts", "Contacts"));

  SarSection changes = Section("admission_changes", "Changes to the admission register entry",
                               {{"at", "When"},
                                {"by", "By"},
                                {"role", "Role"},
                                {"field", "Field"},
                                {"old", "Was"},
                                {"new", "Now"},
                                {"reason", "Reason"}});
  ASSIGN_OR_RETURN(std::vector<store::AdmissionChange> admission, store.AdmissionChangesFor(p.id));
  for (const store::AdmissionChange& c : admission) {
    changes.rows.push_back({Time(c.at), c.actor_name, Role(c.actor_role), c.field, c.old_value,
                            c.new_value, c.reason});
  }
  copy.sections.push_back(std::move(changes));

  // The figures as the pupil's page shows them.
  SarSection figures = Section("figures", "Attendance figures and alerts",
                               {{"figure", "Figure"}, {"value", "Value"}});
  const core::SessionCounts& c = v.result.counts;
  const std::optional<double> pct = core::Percent(c.attended, c.possible);
  figures.rows.push_back({"as_of", v.as_of.ToString()});
  figures.rows.push_back({"attendance", pct ? fmt::format("{:.1f}%", *pct) : "–"});
  figures.rows.push_back({"possible_sessions", std::to_string(c.possible)});
  figures.rows.push_back({"attended_sessions", std::to_string(c.attended)});
  figures.rows.push_back({"authorised_absence", std::to_string(c.authorised)});
  figures.rows.push_back({"unauthorised_absence", std::to_string(c.unauthorised)});
  figures.rows.push_back({"persistent_absence", YesNo(v.result.persistent_absence)});
  figures.rows.push_back({"severe_absence", YesNo(v.result.severe_absence)});
  for (const AlertLine& line : v.alert_lines) figures.rows.push_back({"alert", line.text});
  copy.sections.push_back(std::move(figures));

  SarSection marks = Section("marks", "Attendance marks",
                             {{"session", "Session"},
                              {"code", "Code"},
                              {"arrival", "Arrived"},
                              {"recorded_at", "Recorded"}});
  ASSIGN_OR_RETURN(std::vector<store::Mark> stored, store.MarksForPupil(p.id));
  for (const store::Mark& m : stored) {
    marks.rows.push_back({Slot(m.slot), std::string(core::SymbolOf(m.code)),
                          Minute(m.arrival_minute), Time(m.recorded_at)});
  }
  copy.sections.push_back(std::move(marks));

  SarSection amendments = Section("amendments", "Marks recorded and amended",
                                  {{"session", "Session"},
                                   {"old_code", "Was"},
                                   {"new_code", "Now"},
                                   {"at", "When"},
                                   {"by", "By"},
                                   {"role", "Role"},
                                   {"reason", "Reason"}});
  ASSIGN_OR_RETURN(std::vector<store::Amendment> audit, store.AmendmentsForPupil(p.id));
  for (const store::Amendment& a : audit) {
    amendments.rows.push_back({Slot(a.slot), Code(a.old_code),
                               std::string(core::SymbolOf(a.new_code)), Time(a.at), a.by_name,
                               Role(a.by_role), a.reason});
  }
  copy.sections.push_back(std::move(amendments));

  SarSection previous = Section("previous_schools", "Attendance at previous schools",
                                {{"academic_year", "Year"},
                                 {"school", "School"},
                                 {"possible", "Possible sessions"},
                                 {"attended", "Attended"},
                                 {"authorised", "Authorised absence"},
                                 {"unauthorised", "Unauthorised absence"}});
  ASSIGN_OR_RETURN(std::vector<store::PreviousAttendance> earlier,
                   store.PreviousAttendanceFor(p.id));
  for (const store::PreviousAttendance& y : earlier) {
    previous.rows.push_back({fmt::format("{}/{:02}", y.academic_year, (y.academic_year + 1) % 100),
                             fmt::format("{} ({}/{})", y.school_name, y.lea, y.estab),
                             std::to_string(y.possible), std::to_string(y.attended),
                             std::to_string(y.authorised), std::to_string(y.unauthorised)});
  }
  copy.sections.push_back(std::move(previous));

  SarSection reports = Section("absence_reports", "Absence reports from the family",
                               {{"from", "From"},
                                {"to", "To"},
                                {"reason", "Reason"},
                                {"reported_at", "Reported"},
                                {"reported_by", "By"},
                                {"resolved_at", "Dealt with"},
                                {"resolution", "How"}});
  ASSIGN_OR_RETURN(std::vector<store::AbsenceReport> all_reports, store.ListAbsenceReports(false));
  for (const store::AbsenceReport& r : all_reports) {
    if (r.pupil_id != p.id) continue;
    reports.rows.push_back({r.from.ToString(), r.to.ToString(), r.reason, Time(r.reported_at),
                            r.reported_by_name, Time(r.resolved_at), r.resolution});
  }
  copy.sections.push_back(std::move(reports));

  SarSection support = Section(
      "support", "Attendance support",
      {{"at", "When"}, {"what", "What"}, {"detail", "Detail"}, {"by", "By"}, {"role", "Role"}});
  ASSIGN_OR_RETURN(std::vector<store::StageRecord> stages, store.StageHistory(p.id));
  for (const store::StageRecord& s : stages) {
    support.rows.push_back({Time(s.at), "stage " + std::string(core::StageKey(s.stage)), s.reason,
                            s.by_name, Role(s.by_role)});
  }
  ASSIGN_OR_RETURN(std::vector<store::SupportEvent> events, store.SupportEventsFor(p.id));
  for (const store::SupportEvent& e : events) {
    std::string detail = fmt::format("held {}", e.held_on.ToString());
    for (const auto& [label, text] : {std::pair{"attendees", &e.attendees},
                                      {"notes", &e.notes},
                                      {"targets", &e.targets},
                                      {"support offered", &e.support_offered},
                                      {"attendance before", &e.attendance_before},
                                      {"attendance after", &e.attendance_after}}) {
      if (!text->empty()) detail += fmt::format("; {}: {}", label, *text);
    }
    if (e.review_date) detail += "; review " + e.review_date->ToString();
    support.rows.push_back({Time(e.at), std::string(store::SupportKindName(e.kind)), detail,
                            e.by_name, Role(e.by_role)});
  }
  copy.sections.push_back(std::move(support));

  SarSection cme =
      Section("cme", "Children missing education enquiries",
              {{"case", "Case"}, {"at", "When"}, {"what", "What"}, {"note", "Note"}, {"by", "By"}});
  ASSIGN_OR_RETURN(std::vector<store::CmeCase> cases, store.ListCmeCases(false));
  for (const store::CmeCase& k : cases) {
    if (k.pupil_id != p.id) continue;
    const std::string id = std::to_string(k.id);
    cme.rows.push_back({id, Time(k.opened_at), "opened; day 1 " + k.first_day.ToString(), "", ""});
    ASSIGN_OR_RETURN(std::vector<store::CmeStepRecord> steps, store.CmeStepsFor(k.id));
    for (const store::CmeStepRecord& s : steps) {
      cme.rows.push_back(
          {id, Time(s.done_at), std::string(core::InfoOf(s.step).title), s.note, s.by_name});
    }
    if (k.closed_at)
      cme.rows.push_back({id, Time(k.closed_at), "closed", k.outcome, k.closed_by_name});
  }
  copy.sections.push_back(std::move(cme));

  SarSection penalties = Section(
      "penalties", "Penalty notice cases",
      {{"case", "Case"}, {"at", "When"}, {"what", "What"}, {"detail", "Detail"}, {"by", "By"}});
  ASSIGN_OR_RETURN(std::vector<store::PenaltyCase> pcases, store.PenaltyCasesOf(p.id));
  ASSIGN_OR_RETURN(std::vector<store::PenaltyEvent> pevents, store.PenaltyEvents());
  for (const store::PenaltyCase& k : pcases) {
    const std::string id = std::to_string(k.id);
    penalties.rows.push_back({id, Time(k.opened_at),
                              "opened (" + std::string(store::PenaltyCaseKindName(k.kind)) + ")",
                              k.evidence, ""});
    for (const store::PenaltyEvent& e : pevents) {
      if (e.case_id != k.id) continue;
      std::string detail = e.text;
      if (e.decision) detail += " " + std::string(core::PenaltyDecisionName(*e.decision));
      if (e.outcome) detail += " " + std::string(core::ImprovementOutcomeName(*e.outcome));
      if (!e.parent.empty()) detail += "; parent: " + e.parent;
      if (e.amount_pence != 0)
        detail += fmt::format("; £{}.{:02}", e.amount_pence / 100, e.amount_pence % 100);
      penalties.rows.push_back(
          {id, Time(e.at), std::string(store::PenaltyEventKindName(e.kind)), detail, e.by_name});
    }
  }
  copy.sections.push_back(std::move(penalties));

  SarSection leave = Section("leave", "Leave of absence",
                             {{"request", "Request"},
                              {"at", "When"},
                              {"what", "What"},
                              {"detail", "Detail"},
                              {"by", "By"}});
  SarSection part_time = Section("part_time", "Part-time timetables",
                                 {{"timetable", "Timetable"},
                                  {"at", "When"},
                                  {"what", "What"},
                                  {"detail", "Detail"},
                                  {"by", "By"}});
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    for (const store::LeaveRequest& r : snap.leave_requests) {
      if (r.pupil_id != p.id) continue;
      const std::string id = std::to_string(r.id);
      leave.rows.push_back({id, Time(r.at), "asked",
                            fmt::format("{} to {}, code {}: {} (evidence: {})", Slot(r.from),
                                        Slot(r.to), core::SymbolOf(r.code), r.reason, r.evidence),
                            r.by_name});
      for (const store::LeaveDecision& d : snap.leave_decisions) {
        if (d.request_id != r.id) continue;
        leave.rows.push_back({id, Time(d.at), std::string(store::LeaveOutcomeName(d.decision)),
                              d.reason, d.by_name});
      }
    }
    for (const store::PartTimeTimetable& t : snap.part_time) {
      if (t.pupil_id != p.id) continue;
      const std::string id = std::to_string(t.id);
      part_time.rows.push_back(
          {id, Time(t.at), "agreed",
           fmt::format("{} to {}, agreed with {} on {}; review {}; {}; plan: {}",
                       t.start.ToString(), t.end.ToString(), t.agreed_with, t.agreed_on.ToString(),
                       t.review_date.ToString(), t.reason, t.plan),
           t.by_name});
      for (const store::PartTimeReview& r : snap.part_time_reviews) {
        if (r.timetable_id != t.id) continue;
        part_time.rows.push_back(
            {id, Time(r.at), "review " + std::string(store::PartTimeOutcomeName(r.outcome)),
             fmt::format("held {}; ends {}; {}", r.held_on.ToString(), r.end.ToString(), r.notes),
             r.by_name});
      }
    }
  }
  copy.sections.push_back(std::move(leave));
  copy.sections.push_back(std::move(part_time));

  SarSection contact_log = Section("contact_log", "Contact log",
                                   {{"at", "When"},
                                    {"method", "How"},
                                    {"contact", "With"},
                                    {"outcome", "Outcome"},
                                    {"note", "Note"},
                                    {"by", "By"}});
  ASSIGN_OR_RETURN(std::vector<store::ContactLogEntry> log, store.ContactLogForPupil(p.id));
  for (const store::ContactLogEntry& e : log) {
    contact_log.rows.push_back({Time(e.at), std::string(store::ContactMethodName(e.method)),
                                e.contact_name, std::string(store::ContactOutcomeName(e.outcome)),
                                e.note, e.by_name});
  }
  copy.sections.push_back(std::move(contact_log));

  SarSection letters = Section("letters", "Letters",
                               {{"at", "Written"},
                                {"template", "Letter"},
                                {"addressee", "To"},
                                {"subject", "Subject"},
                                {"posted_on", "Posted"},
                                {"by", "By"},
                                {"text", "Text"}});
  ASSIGN_OR_RETURN(std::vector<store::Letter> sent, store.LettersForPupil(p.id));
  for (const store::Letter& l : sent) {
    letters.rows.push_back({Time(l.at), l.template_key, l.addressee, l.subject,
                            DateText(l.posted_on), l.by_name, l.body});
  }
  copy.sections.push_back(std::move(letters));

  store::MessageFilter filter;
  filter.pupil_id = p.id;
  filter.limit = 100000;
  ASSIGN_OR_RETURN(std::vector<store::OutboxMessage> messages, store.ListMessages(filter));
  copy.sections.push_back(MessageSection(messages));

  SarSection evidence = Section("evidence",
                                "Medical evidence (the files themselves are kept "
                                "and can be copied on request)",
                                {{"uploaded_at", "Sent"},
                                 {"filename", "File name"},
                                 {"content_type", "Type"},
                                 {"size_bytes", "Bytes"},
                                 {"covers", "Days covered"},
                                 {"by", "By"},
                                 {"note", "Note"}});
  ASSIGN_OR_RETURN(std::vector<store::MedicalEvidence> files, store.MedicalEvidenceFor(p.id));
  for (const store::MedicalEvidence& e : files) {
    evidence.rows.push_back({Time(e.uploaded_at), e.filename, e.content_type,
                             std::to_string(e.size_bytes),
                             fmt::format("{} to {}", e.from_date.ToString(), e.to_date.ToString()),
                             e.uploaded_by_name, e.note});
  }
  copy.sections.push_back(std::move(evidence));
  SarSection requests = Section(
      "evidence_requests", "Requests for medical evidence",
      {{"raised_at", "Asked"}, {"rule", "Why"}, {"covers", "Days"}, {"resolved_at", "Answered"}});
  ASSIGN_OR_RETURN(std::vector<store::EvidenceRequest> asked, store.EvidenceRequestsFor(p.id));
  for (const store::EvidenceRequest& r : asked) {
    requests.rows.push_back({Time(r.raised_at), r.rule,
                             fmt::format("{} to {}", r.from_date.ToString(), r.to_date.ToString()),
                             Time(r.resolved_at)});
  }
  copy.sections.push_back(std::move(requests));
  SarSection conditions = Section(
      "conditions", "Known medical conditions",
      {{"set_at", "Recorded"}, {"note", "Condition"}, {"review_date", "Review"}, {"by", "By"}});
  ASSIGN_OR_RETURN(std::vector<store::ConditionReview> reviews, store.ListConditionReviews());
  for (const store::ConditionReview& r : reviews) {
    if (r.pupil_id != p.id) continue;
    conditions.rows.push_back({Time(r.set_at), r.note, r.review_date.ToString(), r.set_by});
  }
  copy.sections.push_back(std::move(conditions));

  // The request itself is logged first, so the copy lists it too.
  RETURN_IF_ERROR(
      log_.Record(who, store::kAccessSubjectAccess, p.id, fmt::format("pupil, {}", format)));
  ASSIGN_OR_RETURN(std::vector<store::AccessLogEntry> reads,
                   store.AccessLogEntries({.pupil_id = p.id, .limit = 1000000}));
  copy.sections.push_back(AccessSection(reads));
  return copy;
}

StatusOr<SubjectAccessCopy> SubjectAccess::ForContact(const Principal& who, ContactRef ref,
                                                      std::string_view format) {
  RETURN_IF_ERROR(school_.AllowNow(who, Action::kMakeSubjectAccess, {.pupil_id = ref.pupil_id}));
  SubjectAccessCopy copy;
  copy.subject_kind = "contact";
  copy.pupil_id = ref.pupil_id;
  copy.contact = fmt::format("{}:{}", ref.pupil_id, ref.position);
  copy.produced_at = school_.clock().NowSeconds();
  copy.produced_by = who.name;

  store::Contact person;
  std::vector<std::pair<store::Pupil, store::Contact>> linked;  // each pupil and their record
  std::optional<store::User> account;
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    copy.school = snap.school.name;
    auto it = snap.pupil_index.find(ref.pupil_id);
    if (it == snap.pupil_index.end()) {
      return core::NotFound(core::kErrPupilUnknown,
                            fmt::format("no pupil with id {}", ref.pupil_id));
    }
    const std::vector<store::Contact>& list = snap.pupils[it->second].contacts;
    auto c = std::find_if(list.begin(), list.end(),
                          [&](const store::Contact& x) { return x.priority == ref.position; });
    if (c == list.end()) {
      return core::NotFound(core::kErrContactUnknown,
                            fmt::format("pupil {} has no contact {} (they have {})", ref.pupil_id,
                                        ref.position, list.size()));
    }
    person = *c;
    for (const store::Pupil& p : snap.pupils) {
      for (const store::Contact& x : p.contacts) {
        if (SamePerson(person, x)) {
          linked.emplace_back(p, x);
          break;
        }
      }
    }
    if (person.user_id) {
      if (auto u = snap.users.find(*person.user_id); u != snap.users.end()) account = u->second;
    }
  }
  copy.subject_name = person.name;
  copy.sections.push_back(ContactSection({person}, "contact", "Contact record"));

  SarSection pupils = Section("pupils", "Pupils they are a contact of",
                              {{"pupil_id", "Pupil"},
                               {"name", "Name"},
                               {"relationship", "Relationship"},
                               {"parental_responsibility", "Parental responsibility"},
                               {"priority", "Priority"}});
  for (const auto& [p, c] : linked) {
    pupils.rows.push_back({std::to_string(p.id), DisplayName(p), c.relationship,
                           YesNo(c.parental_responsibility), std::to_string(c.priority)});
  }
  copy.sections.push_back(std::move(pupils));

  // Messages to this person: those about their children sent to their own
  // email address or phone, never another contact's.
  store::Store& store = school_.store();
  std::vector<store::OutboxMessage> theirs;
  for (const auto& [p, c] : linked) {
    store::MessageFilter filter;
    filter.pupil_id = p.id;
    filter.limit = 100000;
    ASSIGN_OR_RETURN(std::vector<store::OutboxMessage> about, store.ListMessages(filter));
    for (store::OutboxMessage& m : about) {
      // Two parents may share a home phone or an email address: a message
      // names the person it was written to, and only theirs count.
      const bool to_them = ((!c.email.empty() && SameText(m.destination, c.email)) ||
                            (!c.phone.empty() && m.destination == c.phone)) &&
                           (m.recipient.empty() || SameText(m.recipient, c.name));
      if (to_them) theirs.push_back(std::move(m));
    }
  }
  copy.sections.push_back(MessageSection(theirs));

  SarSection reports = Section("absence_reports", "Absence reports they made",
                               {{"pupil_id", "Pupil"},
                                {"from", "From"},
                                {"to", "To"},
                                {"reason", "Reason"},
                                {"reported_at", "Reported"}});
  SarSection leave = Section("leave_requests", "Leave requests they made",
                             {{"pupil_id", "Pupil"},
                              {"from", "From"},
                              {"to", "To"},
                              {"reason", "Reason"},
                              {"at", "Asked"}});
  SarSection login =
      Section("account", "Their rollcall account", {{"field", "Field"}, {"value", "Value"}});
  if (account) {
    ASSIGN_OR_RETURN(std::vector<store::AbsenceReport> all, store.ListAbsenceReports(false));
    for (const store::AbsenceReport& r : all) {
      if (r.reported_by != account->id) continue;
      reports.rows.push_back({std::to_string(r.pupil_id), r.from.ToString(), r.to.ToString(),
                              r.reason, Time(r.reported_at)});
    }
    auto lock = school_.Read();
    for (const store::LeaveRequest& r : school_.snapshot().leave_requests) {
      if (r.by_user_id != account->id) continue;
      leave.rows.push_back(
          {std::to_string(r.pupil_id), Slot(r.from), Slot(r.to), r.reason, Time(r.at)});
    }
    login.rows.push_back({"username", account->username});
    login.rows.push_back({"name", account->display_name});
    login.rows.push_back({"email", account->email});
    login.rows.push_back({"active", YesNo(account->active)});
    login.rows.push_back({"logins", "rollcall keeps no history of logins"});
  }
  copy.sections.push_back(std::move(reports));
  copy.sections.push_back(std::move(leave));
  copy.sections.push_back(std::move(login));

  RETURN_IF_ERROR(
      log_.Record(who, store::kAccessSubjectAccess, ref.pupil_id,
                  fmt::format("contact {} ({}), {}", copy.contact, person.name, format)));
  return copy;
}

}  // namespace rollcall::service
