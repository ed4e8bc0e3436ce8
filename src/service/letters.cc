// letters.cc: composing, storing and reading attendance letters (letters.h).
#include "service/letters.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <utility>

#include "core/error_codes.h"
#include "core/pupil_sessions.h"
#include "core/statistics.h"
#include "core/uk_time.h"
#include "letters/letters.h"
#include "service/fields.h"
#include "service/outgoing.h"
#include "service/records.h"
#include "service/words.h"

namespace rollcall::service {
namespace {

using core::Date;

constexpr size_t kMaxMeeting = 300;
constexpr int kRecentBatches = 10;

std::string GroupsHelp() { return "'school', 'year-N', 'class-ID', 'band-NAME' or 'pupil-ID'"; }

// The day a letter was made, as the school's clock gave it.
Date LetterDay(const store::Letter& l) { return core::UkTimeAt(l.at).date; }

}  // namespace

letters::Page LetterPage(const store::Letter& l, const std::string& school_name) {
  const Date sent = Date::FromDays(static_cast<int32_t>(l.at / 86400));
  const bool certificate =
      l.template_key == "certificate" || l.template_key == "improved_certificate";
  return {school_name,
          LongDate(sent),
          certificate ? std::string() : l.addressee,
          l.subject,
          letters::SplitParagraphs(l.body),
          certificate ? std::string() : l.address};
}

core::StatusOr<LetterService> ServiceOf(store::Store& store, const store::Letter& l) {
  LetterService out;
  ASSIGN_OR_RETURN(const std::vector<store::OutboxMessage> rows,
                   store.OutboxWithKeyPrefix(fmt::format("letter/{}/", l.id)));
  for (const store::OutboxMessage& m : rows) {
    LetterEmail e{.recipient = m.recipient,
                  .to = m.destination,
                  .state = m.state,
                  .queued_at = m.created_at,
                  .delivered_at = m.delivered_at};
    std::string state;
    switch (m.state) {
      case store::OutboxState::kQueued:
      case store::OutboxState::kSending:
        state = "not yet delivered";
        break;
      case store::OutboxState::kDelivered:
        state = m.delivered_at
                    ? fmt::format("delivered {}", LongDate(core::UkTimeAt(*m.delivered_at).date))
                    : std::string("delivered");
        break;
      case store::OutboxState::kFailed:
        state = "not delivered: " + (m.last_answer.empty() ? "the sender gave up" : m.last_answer);
        break;
    }
    out.proof.push_back(fmt::format("Emailed to {} <{}> on {}, {}", m.recipient, m.destination,
                                    LongDate(core::UkTimeAt(m.created_at).date), state));
    out.emails.push_back(std::move(e));
  }
  if (l.posted_on) {
    out.proof.insert(out.proof.begin(), fmt::format("Posted on {} (recorded by {})",
                                                    LongDate(*l.posted_on), l.posted_by));
  } else if (out.emails.empty()) {
    out.proof.push_back("Printed; not yet recorded as posted");
  }
  return out;
}

core::StatusOr<std::vector<LetterDraft>> Letters::Draft(const Principal& who,
                                                        const LetterRequest& req) {
  const std::string& template_key = req.template_key;
  const std::string& group = req.group;
  const std::string& meeting = req.meeting;
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kSendLetters, {}));
  }
  const std::optional<letters::Template> tpl = letters::TemplateFromKey(template_key);
  if (!tpl) {
    std::string keys;
    for (const letters::TemplateInfo& info : letters::Templates()) {
      keys += (keys.empty() ? "" : ", ") + std::string(info.key);
    }
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("template '{}' is not one of {}", template_key, keys));
  }
  if (*tpl == letters::Template::kLeaveGranted || *tpl == letters::Template::kLeaveRefused) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "leave letters are sent with the head's decision on a request");
  }
  if (*tpl == letters::Template::kImprovedCertificate) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "most-improved certificates are printed from the rewards page, "
                                 "for its most-improved list");
  }
  if (*tpl == letters::Template::kPanelInvitation && meeting.empty()) {
    return core::InvalidArgument(core::kErrRequiredKey,
                                 "an attendance panel invitation needs 'meeting': when and where");
  }
  if (meeting.size() > kMaxMeeting) {
    return core::InvalidArgument(
        core::kErrValueInvalid, fmt::format("'meeting' is longer than {} characters", kMaxMeeting));
  }
  const Date today = school_.clock().Today();
  const Evaluated state = school_.EvaluatedOn(today);
  auto lock = school_.Read();
  const Snapshot& snap = school_.snapshot();
  const core::Scenario& scenario = *state.scenario;
  const core::Calendar& calendar = scenario.calendar;
  // Which pupils the group names.
  std::optional<int> year;
  std::optional<int64_t> class_id, pupil_id;
  std::string band;
  if (group.starts_with("year-")) {
    year = ParseId(group.substr(5));
  } else if (group.starts_with("class-")) {
    class_id = ParseId(group.substr(6));
  } else if (group.starts_with("pupil-")) {
    pupil_id = ParseId(group.substr(6));
  } else if (group.starts_with("band-")) {
    band = group.substr(5);
  }
  const bool known_band = std::any_of(scenario.policy.bands.begin(), scenario.policy.bands.end(),
                                      [&](const core::Band& b) { return b.name == band; });
  if ((group != "school" && !year && !class_id && !pupil_id && !known_band) ||
      (group.starts_with("band-") && !known_band)) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("group '{}' is not {}", group, GroupsHelp()));
  }
  if (pupil_id && !snap.pupil_index.contains(*pupil_id)) {
    return core::NotFound(core::kErrPupilUnknown, fmt::format("no pupil with id {}", *pupil_id));
  }
  // The term holding today, for certificates; last week, for lateness.
  Date term_start = state.evaluation->period.from;
  for (const core::Term& t : calendar.terms()) {
    if (t.start <= today && today <= t.end) term_start = std::max(t.start, term_start);
  }
  const Date week_start = today.WeekStart().AddDays(-7);
  const Date week_end = week_start.AddDays(4);
  std::string signatory = "The attendance office";
  for (const auto& [id, u] : snap.users) {
    if (u.role == store::Role::kHead && u.active) {
      signatory = u.display_name;
      break;
    }
  }
  const std::string& lowest = scenario.policy.bands.back().name;
  const double target = std::strtod(snap.settings.target_attendance_pct.c_str(), nullptr);
  // The school year's figures run from 1 August, but no family thinks of the
  // year as starting then: the letters name its first day of term.
  std::optional<Date> first_day;
  for (const core::Term& t : calendar.terms()) {
    if (t.start >= state.evaluation->period.from && t.start <= today &&
        (!first_day || t.start < *first_day)) {
      first_day = t.start;
    }
  }
  const std::string period =
      first_day ? fmt::format("since the start of the school year ({})", LongDate(*first_day))
                : std::string("since the start of the school year");
  std::vector<LetterDraft> out;
  std::string refusal;
  for (size_t i = 0; i < snap.pupils.size() && i < state.evaluation->pupils.size(); ++i) {
    const store::Pupil& p = snap.pupils[i];
    const core::PupilEvaluation& e = state.evaluation->pupils[i];
    if (pupil_id && p.id != *pupil_id) continue;
    if (year && p.year_group != *year) continue;
    if (class_id && p.class_id != *class_id) continue;
    if (!scenario.pupils[i].OnRollOn(today)) {
      if (pupil_id) refusal = "the pupil is not on roll today";
      continue;
    }
    if (known_band && e.band != band) continue;
    const core::SessionCounts& c = e.counts;
    const std::vector<core::PupilSession> sessions =
        core::BuildPupilSessions(calendar, scenario.pupils[i], scenario.marks[i],
                                 scenario.default_mark, scenario.as_of, scenario.as_of_part);
    const core::SessionCounts week =
        core::CountSessions(calendar, sessions, {week_start, week_end});
    const core::SessionCounts term = core::CountSessions(calendar, sessions, {term_start, today});
    const int64_t lates = week.late_before_close + week.late_after_close;
    std::string why_not;
    switch (*tpl) {
      case letters::Template::kTermlyRag:
        if (c.possible == 0) why_not = "the pupil has no possible sessions yet";
        break;
      case letters::Template::kAttendanceConcern:
        if (c.possible == 0 ||
            static_cast<double>(c.attended) * 100 >= target * static_cast<double>(c.possible)) {
          why_not = "the pupil's attendance is not below the school's target";
        }
        break;
      case letters::Template::kLateness:
        if (lates == 0) why_not = "the pupil was not late last week";
        break;
      case letters::Template::kPanelInvitation:
        if (!pupil_id && e.band != lowest) why_not = "not in the lowest band";
        break;
      case letters::Template::kCertificate:
        if (term.possible == 0 || term.attended != term.possible) {
          why_not = "the pupil has not attended every session this term";
        }
        break;
      case letters::Template::kLeaveGranted:
      case letters::Template::kLeaveRefused:
      case letters::Template::kImprovedCertificate:
        break;  // refused above
    }
    if (!why_not.empty()) {
      if (pupil_id) refusal = why_not;
      continue;
    }
    letters::Facts f;
    f.school_name = snap.school.name;
    f.signatory = signatory;
    f.date = LongDate(today);
    const LetterRecipient to = RecipientOf(p);
    f.addressee = to.addressee;
    f.salutation = to.salutation;
    f.pupil_name = DisplayName(p);
    f.class_name = p.class_id && snap.classes.contains(*p.class_id)
                       ? snap.classes.at(*p.class_id).name
                       : fmt::format("Year {}", p.year_group);
    f.period = period;
    f.attendance_pct = AttendancePctText(c);
    f.band = e.band.value_or("");
    f.target_pct = snap.settings.target_attendance_pct;
    f.possible = c.possible;
    f.absent = c.absence;
    f.authorised = c.authorised;
    f.unauthorised = c.unauthorised;
    f.lates_in_week = lates;
    f.week = "the week of " + LongDate(week_start);
    f.meeting = meeting;
    f.term = "term that began on " + LongDate(term_start);
    f.term_sessions = fmt::format("{} of {}", term.attended, Plural(term.possible, "session"));
    const letters::Text text = letters::Compose(*tpl, f);
    const nlohmann::ordered_json figures{{"period_from", state.evaluation->period.from.ToString()},
                                         {"as_of", today.ToString()},
                                         {"attendance_pct", f.attendance_pct},
                                         {"band", f.band},
                                         {"target_pct", f.target_pct},
                                         {"possible", c.possible},
                                         {"attended", c.attended},
                                         {"absent", c.absence},
                                         {"authorised", c.authorised},
                                         {"unauthorised", c.unauthorised},
                                         {"lates_in_week", lates},
                                         {"week_from", week_start.ToString()},
                                         {"term_from", term_start.ToString()},
                                         {"term_attended", term.attended},
                                         {"term_possible", term.possible},
                                         {"meeting", meeting}};
    store::Letter l{.pupil_id = p.id,
                    .template_key = template_key,
                    .addressee = f.addressee,
                    .address = *tpl == letters::Template::kCertificate ? "" : to.address,
                    .subject = text.subject,
                    .body = letters::JoinParagraphs(text.paragraphs),
                    .figures_json = figures.dump(),
                    .at = school_.clock().NowSeconds()};
    StampAuthor(l, who);
    out.push_back({std::move(l), f.pupil_name});
  }
  if (out.empty()) {
    return core::InvalidArgument(
        core::kErrNoLetters,
        pupil_id ? fmt::format("no {} for this pupil: {}", letters::InfoOf(*tpl).title,
                               refusal.empty() ? "not eligible" : refusal)
                 : fmt::format("no pupil in this group qualifies for a {} ({})",
                               letters::InfoOf(*tpl).title, letters::InfoOf(*tpl).who));
  }
  return out;
}

core::StatusOr<std::vector<store::Letter>> Letters::Send(const Principal& who,
                                                         const LetterRequest& r) {
  ASSIGN_OR_RETURN(std::vector<LetterDraft> drafts, Draft(who, r));
  return SendDrafts(who, std::move(drafts), r.email_where_possible);
}

core::StatusOr<std::vector<store::Letter>> Letters::SendDrafts(const Principal& who,
                                                               std::vector<LetterDraft> drafts,
                                                               bool email_where_possible) {
  std::vector<store::Pupil> pupils;  // drafts[k]'s pupil, when emailing
  std::string school_name;
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kSendLetters, {}));
    const Snapshot& snap = school_.snapshot();
    school_name = snap.school.name;
    if (email_where_possible) {
      for (const LetterDraft& d : drafts) {
        auto it = snap.pupil_index.find(d.letter.pupil_id);
        if (it == snap.pupil_index.end()) {
          return core::NotFound(core::kErrPupilUnknown,
                                fmt::format("no pupil with id {}", d.letter.pupil_id));
        }
        pupils.push_back(snap.pupils[it->second]);
      }
    }
  }
  std::vector<store::Letter> out;
  out.reserve(drafts.size());
  for (LetterDraft& d : drafts) out.push_back(std::move(d.letter));
  // The emails, made before the transaction: each carries its letter as a
  // PDF, the same the letters page prints.
  std::vector<std::vector<store::OutboxMessage>> emails;
  if (email_where_possible) {
    const TemplateInfo* info = FindTemplateInfo("letter");
    if (info == nullptr) {
      return core::Internal(core::kErrTemplateUnknown, "the letter message is not declared");
    }
    const int64_t now = school_.clock().NowSeconds();
    emails.resize(out.size());
    for (size_t k = 0; k < out.size(); ++k) {
      const store::Pupil& p = pupils[k];
      std::optional<std::string> pdf;
      for (const Recipient& r : FamilyRecipients(p, *info, p.contacts.size())) {
        // A letter is for those with parental responsibility: an emergency
        // contact who gets absence messages without it gets no letters.
        if (r.channel != "email" || !p.contacts[r.contact_index].parental_responsibility) continue;
        if (!pdf) {
          const letters::Page page = LetterPage(out[k], school_name);
          ASSIGN_OR_RETURN(pdf, letters::RenderPdf(std::span<const letters::Page>(&page, 1)));
        }
        const store::Contact& c = p.contacts[r.contact_index];
        ASSIGN_OR_RETURN(const RenderedMessage words,
                         templates_.Render("letter", {{"school_name", school_name},
                                                      {"pupil_name", DisplayName(p)},
                                                      {"contact_name", c.name},
                                                      {"salutation", store::SalutationOf(c)},
                                                      {"letter_title", out[k].subject}}));
        const Outgoing m{.kind = "letter",
                         .channel = "email",
                         .pupil_id = p.id,
                         .recipient = r.name,
                         .to = r.to,
                         .subject = words.subject,
                         .body = words.email_body,
                         .attachments = {{fmt::format("{}-{}.pdf", out[k].template_key,
                                                      LetterDay(out[k]).ToString()),
                                          "application/pdf", *pdf}},
                         // The store writes "letter/<letter id>/" before it.
                         .key = std::to_string(r.contact_index)};
        emails[k].push_back(ToOutbox(m, now));
      }
    }
  }
  // Letters are not in the snapshot, so the write needs neither the writer
  // lock nor an Apply: a big batch holds up no register.
  ASSIGN_OR_RETURN(std::vector<int64_t> ids,
                   emails.empty() ? school_.store().AddLetters(out)
                                  : school_.store().AddLettersWithEmails(out, emails));
  for (size_t k = 0; k < out.size(); ++k) {
    out[k].id = ids[k];
    out[k].batch = ids.front();
  }
  return out;
}

core::StatusOr<store::Letter> Letters::Get(const Principal& who, const std::string& id_text) {
  const std::optional<int64_t> id = ParseId(id_text);
  if (!id) return core::NotFound(core::kErrLetterUnknown, "no letter '" + id_text + "'");
  ASSIGN_OR_RETURN(store::Letter l, school_.store().GetLetter(*id));
  auto lock = school_.Read();
  ASSIGN_OR_RETURN(size_t index, school_.PupilFor(who, l.pupil_id, Action::kReadContactLog));
  (void)index;
  return l;
}

core::StatusOr<int> Letters::MarkPosted(const Principal& who, const std::string& batch_text,
                                        const std::string& date_text) {
  ASSIGN_OR_RETURN(const std::vector<store::Letter> batch, Batch(who, batch_text));
  ASSIGN_OR_RETURN(const Date posted_on, ParseDateParam(date_text, "the posting date"));
  const Date today = school_.clock().Today();
  if (posted_on > today) {
    return core::InvalidArgument(core::kErrDateInvalid,
                                 fmt::format("{} is after today: record the day the letters "
                                             "went in the post",
                                             LongDate(posted_on)));
  }
  std::vector<int64_t> ids;
  for (const store::Letter& l : batch) {
    if (posted_on < LetterDay(l)) {
      return core::InvalidArgument(core::kErrDateInvalid,
                                   fmt::format("{} is before the letters were made ({})",
                                               LongDate(posted_on), LongDate(LetterDay(l))));
    }
    if (l.posted_on) continue;
    ASSIGN_OR_RETURN(const LetterService service, ServiceOf(school_.store(), l));
    // A letter that went by email was not printed: a posting date on it
    // would claim a service that did not happen.
    if (!service.emails.empty()) continue;
    ids.push_back(l.id);
  }
  if (ids.empty()) {
    return core::InvalidArgument(core::kErrNoLetters,
                                 "no printed letter of this batch is waiting for a posting date");
  }
  RETURN_IF_ERROR(school_.store().RecordLettersPosted(ids, posted_on, school_.clock().NowSeconds(),
                                                      who.user_id, who.name));
  return static_cast<int>(ids.size());
}

core::StatusOr<LetterService> Letters::Service(const Principal& who, const store::Letter& l) {
  {
    auto lock = school_.Read();
    ASSIGN_OR_RETURN(size_t index, school_.PupilFor(who, l.pupil_id, Action::kReadContactLog));
    (void)index;
  }
  return ServiceOf(school_.store(), l);
}

core::StatusOr<std::vector<store::Letter>> Letters::Batch(const Principal& who,
                                                          const std::string& batch_text) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kSendLetters, {}));
  }
  const std::optional<int64_t> batch = ParseId(batch_text);
  std::vector<store::Letter> found;
  if (batch) {
    ASSIGN_OR_RETURN(found, school_.store().LettersInBatch(*batch));
  }
  if (found.empty()) {
    return core::NotFound(core::kErrLetterUnknown, "no batch of letters '" + batch_text + "'");
  }
  return found;
}

core::StatusOr<PupilLetters> Letters::ForPupil(const Principal& who, int64_t pupil_id) {
  PupilLetters out;
  {
    auto lock = school_.Read();
    ASSIGN_OR_RETURN(size_t index, school_.PupilFor(who, pupil_id, Action::kReadContactLog));
    (void)index;
    out.may_send = school_.Allow(who, Action::kSendLetters, {}).ok();
  }
  ASSIGN_OR_RETURN(out.letters, school_.store().LettersForPupil(pupil_id));
  return out;
}

core::StatusOr<std::vector<store::Letter>> Letters::RecentBatches(const Principal& who) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kSendLetters, {}));
  }
  return school_.store().RecentBatches(kRecentBatches);
}

core::StatusOr<std::vector<LetterGroup>> Letters::Groups(const Principal& who) {
  auto lock = school_.Read();
  RETURN_IF_ERROR(school_.Allow(who, Action::kSendLetters, {}));
  const Snapshot& snap = school_.snapshot();
  std::vector<LetterGroup> out;
  out.push_back({"school", "Whole school"});
  std::set<int> years;
  for (const auto& [id, c] : snap.classes) years.insert(c.year_group);
  for (int y : years) {
    out.push_back({fmt::format("year-{}", y), YearGroupName(y)});
  }
  for (const auto& [id, c] : snap.classes) {
    out.push_back({fmt::format("class-{}", id), "Class " + c.name});
  }
  for (const core::Band& b : snap.scenario.policy.bands) {
    out.push_back({"band-" + b.name, "Band: " + BandText(b.name)});
  }
  return out;
}

}  // namespace rollcall::service
