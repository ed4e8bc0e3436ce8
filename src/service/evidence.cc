// evidence.cc: medical evidence uploads, the rules that ask for it and the
// warning before an illness is turned into unauthorised absence.
#include "service/evidence.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>
#include <utility>

#include "core/codes.h"
#include "core/error_codes.h"
#include "io/file_type.h"
#include "service/outgoing.h"
#include "service/records.h"
#include "service/words.h"

namespace rollcall::service {
namespace {

using core::Date;
using core::Status;
using core::StatusOr;

// The types accepted and the extensions a name of each may end with.
struct AcceptedType {
  std::string_view mime;
  std::array<std::string_view, 2> extensions;
};
constexpr std::array<AcceptedType, 3> kAccepted = {{
    {"application/pdf", {"pdf", "pdf"}},
    {"image/jpeg", {"jpg", "jpeg"}},
    {"image/png", {"png", "png"}},
}};

// Evidence is asked for an episode that ended at most this many days ago:
// switching the rules on mid-term does not ask about last month's colds.
constexpr int kRecentEpisodeDays = 14;
// The longest span one file may cover.
constexpr int kMaxCoverDays = 92;

std::string Sha256Hex(std::string_view bytes) {
  if (sodium_init() < 0) core::Unreachable();  // no usable libsodium: cannot run safely
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size());
  std::string out(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), digest.data(), digest.size());
  out.pop_back();
  return out;
}

// The name as shown: its last path part (browsers on Windows once sent the
// whole path), control characters dropped, at most 200 bytes.
std::string CleanName(std::string_view filename) {
  const size_t slash = filename.find_last_of("/\\");
  if (slash != std::string_view::npos) filename.remove_prefix(slash + 1);
  std::string out;
  for (char c : filename) {
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) out.push_back(c);
  }
  if (out.size() > 200) out.resize(200);
  return out;
}

std::string MegaBytes(size_t bytes) {
  return fmt::format("{:.1f} MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

// Ok when the name does not contradict the content: no extension, or one
// of the content's own. "scan.pdf" holding a PNG, or "note.pdf.exe", is
// refused, so no file is opened as something it is not.
Status CheckName(const std::string& name, std::string_view mime) {
  const size_t dot = name.rfind('.');
  if (dot == std::string::npos || dot + 1 == name.size()) return core::OkStatus();
  const std::string ext = LowerCase(std::string_view(name).substr(dot + 1));
  for (const AcceptedType& t : kAccepted) {
    if (std::find(t.extensions.begin(), t.extensions.end(), ext) == t.extensions.end()) continue;
    if (t.mime == mime) return core::OkStatus();
    return core::InvalidArgument(
        core::kErrEvidenceInvalid,
        fmt::format("the file is named \"{}\" but it is {}, not {}: send the file itself, with "
                    "its own name",
                    name, io::DescribeMimeType(mime), io::DescribeMimeType(t.mime)));
  }
  return core::InvalidArgument(
      core::kErrEvidenceInvalid,
      fmt::format("a file named \"{}\" is not accepted: its name ends in .{}; send a PDF, JPEG or "
                  "PNG named .pdf, .jpg or .png",
                  name, ext));
}

Date PreviousWeekday(Date d) {
  do {
    d = d.AddDays(-1);
  } while (d.IsWeekend());
  return d;
}

Date NextWeekday(Date d) {
  do {
    d = d.AddDays(1);
  } while (d.IsWeekend());
  return d;
}

// The newest known condition of each pupil.
std::map<int64_t, store::ConditionReview> NewestConditions(
    const std::vector<store::ConditionReview>& all) {
  std::map<int64_t, store::ConditionReview> out;
  for (const store::ConditionReview& c : all) out[c.pupil_id] = c;  // by id: the last wins
  return out;
}

bool Overlaps(Date a_from, Date a_to, Date b_from, Date b_to) {
  return a_from <= b_to && b_from <= a_to;
}

// "first", "second", "third", then "4th", "21st", "22nd", "23rd", "111th".
std::string Ordinal(int n) {
  static constexpr std::array<std::string_view, 3> kWords = {"first", "second", "third"};
  if (n >= 1 && n <= 3) return std::string(kWords[static_cast<size_t>(n - 1)]);
  const int tens = n % 100;
  const char* suffix = (tens >= 11 && tens <= 13) ? "th"
                       : n % 10 == 1              ? "st"
                       : n % 10 == 2              ? "nd"
                       : n % 10 == 3              ? "rd"
                                                  : "th";
  return fmt::format("{}{}", n, suffix);
}

}  // namespace

std::set<int64_t> PupilsWithConditionOn(const std::vector<store::ConditionReview>& all, Date on) {
  std::set<int64_t> out;
  for (const auto& [pupil_id, c] : NewestConditions(all)) {
    if (on < c.review_date) out.insert(pupil_id);
  }
  return out;
}

std::vector<IllnessEpisode> IllnessEpisodes(const core::Calendar& calendar,
                                            const std::vector<core::RecordedMark>& marks, Date from,
                                            Date to) {
  std::set<Date> ill_days;
  for (const core::RecordedMark& m : marks) {
    if (m.code == core::AttendanceCode::kIllness && from <= m.slot.date && m.slot.date <= to) {
      ill_days.insert(m.slot.date);
    }
  }
  std::vector<IllnessEpisode> out;
  std::optional<IllnessEpisode> current;
  auto close = [&] {
    if (!current) return;
    current->before_holiday = !calendar.IsSchoolDay(NextWeekday(current->to));
    current->number_in_term = static_cast<int>(out.size()) + 1;
    out.push_back(*current);
    current.reset();
  };
  for (Date d = from; d <= to; d = d.AddDays(1)) {
    if (!calendar.IsSchoolDay(d)) {
      // A weekend bridges an illness; a holiday or closure ends it, so that
      // the days on either side of one are seen as next to it.
      if (!d.IsWeekend()) close();
      continue;
    }
    if (!ill_days.contains(d)) {
      close();
      continue;
    }
    if (!current) {
      current = IllnessEpisode{.from = d, .to = d};
      current->after_holiday = !calendar.IsSchoolDay(PreviousWeekday(d));
    }
    current->to = d;
    ++current->school_days;
  }
  close();
  return out;
}

std::string EvidenceRuleText(std::string_view rule, const store::EvidenceRules& rules) {
  if (rule == store::kRuleLongIllness) {
    return fmt::format("an illness of {} or more",
                       Plural(rules.long_illness_days, "school day", "school days"));
  }
  if (rule == store::kRuleRepeatedIllness) {
    return fmt::format("a pupil's {} illness in a term", Ordinal(rules.repeated_illness_count));
  }
  if (rule == store::kRuleNextToHoliday) {
    return "an illness just before or just after a holiday or closure";
  }
  return std::string(rule);
}

StatusOr<MedicalEvidence::UploadResult> MedicalEvidence::Upload(const Principal& who,
                                                                int64_t pupil_id, Date from,
                                                                Date to, std::string_view filename,
                                                                std::string_view bytes,
                                                                const std::string& note) {
  const Date today = school_.clock().Today();
  store::MedicalEvidence record;
  std::string warning;
  {
    auto lock = school_.Read();
    ASSIGN_OR_RETURN(size_t index, school_.PupilFor(who, pupil_id, Action::kUploadEvidence));
    const Snapshot& snap = school_.snapshot();
    if (to < from) {
      return core::InvalidArgument(core::kErrEvidenceInvalid,
                                   fmt::format("the last day covered ({}) is before the first ({})",
                                               LongDate(to), LongDate(from)));
    }
    if (today < from) {
      return core::InvalidArgument(
          core::kErrEvidenceInvalid,
          fmt::format("the first day covered ({}) is in the future", LongDate(from)));
    }
    if (to.AddDays(-kMaxCoverDays) > from) {
      return core::InvalidArgument(
          core::kErrEvidenceInvalid,
          fmt::format("one file may cover at most {} days: send one for each absence",
                      kMaxCoverDays));
    }
    // Evidence may arrive before the office records the illness (a parent
    // who reported the absence sends the note at once), so a span without
    // an I is kept with a warning rather than refused.
    const std::vector<IllnessEpisode> episodes =
        IllnessEpisodes(snap.scenario.calendar, snap.scenario.marks[index], from, to);
    if (episodes.empty()) {
      warning = fmt::format(
          "no day from {} to {} is recorded as illness (I) in the register yet; the file is kept "
          "and the office will check it",
          LongDate(from), LongDate(to));
    }
    record.uploaded_by_name = who.name;
    record.role = std::string(store::RoleName(who.role));
  }
  if (note.size() > 500) {
    return core::InvalidArgument(core::kErrValueInvalid, "the note is longer than 500 characters");
  }
  if (bytes.empty()) return core::InvalidArgument(core::kErrValueInvalid, "the file is empty");
  if (bytes.size() > kMaxEvidenceBytes) {
    return core::InvalidArgument(
        core::kErrBodyTooLarge,
        fmt::format("the file is {}; the limit is 10 MB", MegaBytes(bytes.size())));
  }
  ASSIGN_OR_RETURN(std::string mime, io::MimeTypeOf(bytes));
  const bool accepted = std::any_of(kAccepted.begin(), kAccepted.end(),
                                    [&](const AcceptedType& t) { return t.mime == mime; });
  if (!accepted) {
    std::string what = io::DescribeMimeType(mime);
    if (!what.empty())
      what[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(what[0])));
    return core::InvalidArgument(
        core::kErrEvidenceInvalid,
        fmt::format("{} is not accepted: send a PDF, JPEG or PNG (a photo of the note will do)",
                    what));
  }
  const std::string name = CleanName(filename);
  RETURN_IF_ERROR(CheckName(name, mime));
  record.pupil_id = pupil_id;
  record.from_date = from;
  record.to_date = to;
  record.filename = name.empty() ? "evidence" : name;
  record.content_type = mime;
  record.size_bytes = static_cast<int64_t>(bytes.size());
  record.sha256 = Sha256Hex(bytes);
  record.note = note;
  record.uploaded_by = who.user_id;
  record.uploaded_at = school_.clock().NowSeconds();
  ASSIGN_OR_RETURN(int64_t id, school_.store().AddMedicalEvidence(record, bytes));
  return UploadResult{.id = id, .warning = std::move(warning)};
}

StatusOr<std::vector<store::MedicalEvidence>> MedicalEvidence::List(const Principal& who,
                                                                    int64_t pupil_id) const {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.PupilFor(who, pupil_id, Action::kReadEvidence).status());
  }
  return school_.store().MedicalEvidenceFor(pupil_id);
}

StatusOr<std::vector<store::EvidenceRequest>> MedicalEvidence::Requests(const Principal& who,
                                                                        int64_t pupil_id) const {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.PupilFor(who, pupil_id, Action::kReadEvidence).status());
  }
  return school_.store().EvidenceRequestsFor(pupil_id);
}

StatusOr<MedicalEvidence::Download> MedicalEvidence::Get(const Principal& who, int64_t id) const {
  ASSIGN_OR_RETURN(store::MedicalEvidence record, school_.store().GetMedicalEvidence(id));
  {
    auto lock = school_.Read();
    Status allowed = school_.PupilFor(who, record.pupil_id, Action::kReadEvidence).status();
    // Whether a file exists is itself the pupil's business: one the reader
    // may not see reads as missing.
    if (!allowed.ok()) {
      return core::NotFound(core::kErrEvidenceUnknown, fmt::format("no evidence with id {}", id));
    }
  }
  ASSIGN_OR_RETURN(std::string bytes, school_.store().EvidenceContent(id));
  return Download{.record = std::move(record), .bytes = std::move(bytes)};
}

StatusOr<MedicalEvidence::Worklist> MedicalEvidence::Today(const Principal& who, int days) const {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kReadWorklist, {}));
  }
  Worklist out;
  ASSIGN_OR_RETURN(out.open, school_.store().ListEvidenceRequests(/*open_only=*/true));
  ASSIGN_OR_RETURN(out.received, school_.store().MedicalEvidenceSince(school_.clock().NowSeconds() -
                                                                      int64_t{days} * 86400));
  auto lock = school_.Read();
  const Snapshot& snap = school_.snapshot();
  for (const store::EvidenceRequest& r : out.open) {
    if (auto it = snap.pupil_index.find(r.pupil_id); it != snap.pupil_index.end()) {
      out.names[r.pupil_id] = DisplayName(snap.pupils[it->second]);
    }
  }
  for (const store::MedicalEvidence& e : out.received) {
    if (auto it = snap.pupil_index.find(e.pupil_id); it != snap.pupil_index.end()) {
      out.names[e.pupil_id] = DisplayName(snap.pupils[it->second]);
    }
  }
  return out;
}

StatusOr<store::EvidenceRules> MedicalEvidence::RulesInForce() const {
  return school_.store().GetEvidenceRules();
}

StatusOr<store::EvidenceRules> MedicalEvidence::Rules(const Principal& who) const {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kReadSettings, {}));
  }
  return school_.store().GetEvidenceRules();
}

Status MedicalEvidence::SaveRules(const Principal& who, int long_illness_days,
                                  int repeated_illness_count, bool next_to_holiday) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kWriteSettings, {}));
  }
  store::EvidenceRules rules{.long_illness_days = long_illness_days,
                             .repeated_illness_count = repeated_illness_count,
                             .next_to_holiday = next_to_holiday,
                             .set_at = school_.clock().NowSeconds(),
                             .set_by = who.name};
  return school_.store().SaveEvidenceRules(rules).status();
}

StatusOr<std::optional<store::ConditionReview>> MedicalEvidence::Condition(const Principal& who,
                                                                           int64_t pupil_id) const {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.PupilFor(who, pupil_id, Action::kReadEvidence).status());
  }
  ASSIGN_OR_RETURN(std::vector<store::ConditionReview> all, school_.store().ListConditionReviews());
  std::map<int64_t, store::ConditionReview> newest = NewestConditions(all);
  if (auto it = newest.find(pupil_id); it != newest.end()) return {it->second};
  return std::optional<store::ConditionReview>();
}

Status MedicalEvidence::SetCondition(const Principal& who, int64_t pupil_id,
                                     const std::string& note, Date review_date) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.PupilFor(who, pupil_id, Action::kRecordCondition).status());
  }
  if (note.empty()) {
    return core::InvalidArgument(core::kErrValueInvalid, "say what the condition is");
  }
  store::ConditionReview review{.pupil_id = pupil_id,
                                .note = note,
                                .review_date = review_date,
                                .set_by = who.name,
                                .set_at = school_.clock().NowSeconds()};
  return school_.store().AddConditionReview(review).status();
}

StatusOr<std::string> MedicalEvidence::UnaskedIllnessWarning(int64_t pupil_id,
                                                             core::SessionKey slot) const {
  return UnaskedEvidenceWarning(school_, pupil_id, slot);
}

StatusOr<std::string> UnaskedEvidenceWarning(const School& school, int64_t pupil_id,
                                             core::SessionKey slot) {
  std::optional<IllnessEpisode> episode;
  {
    auto lock = school.Read();
    const Snapshot& snap = school.snapshot();
    auto it = snap.pupil_index.find(pupil_id);
    if (it == snap.pupil_index.end()) return std::string();
    const core::Calendar& calendar = snap.scenario.calendar;
    // The episode the session belongs to, within its term.
    for (const core::Term& term : calendar.terms()) {
      if (slot.date < term.start || term.end < slot.date) continue;
      for (const IllnessEpisode& e :
           IllnessEpisodes(calendar, snap.scenario.marks[it->second], term.start, term.end)) {
        if (e.from <= slot.date && slot.date <= e.to) episode = e;
      }
    }
  }
  if (!episode) return std::string();
  ASSIGN_OR_RETURN(std::vector<store::EvidenceRequest> requests,
                   school.store().EvidenceRequestsFor(pupil_id));
  for (const store::EvidenceRequest& r : requests) {
    if (Overlaps(r.from_date, r.to_date, episode->from, episode->to)) return std::string();
  }
  ASSIGN_OR_RETURN(store::EvidenceRules rules, school.store().GetEvidenceRules());
  return fmt::format(
      "No medical evidence was asked for this illness ({} to {}); the school's rule is to ask "
      "for it after {}, after {}{}. Tick to confirm the change without it.",
      LongDate(episode->from), LongDate(episode->to),
      EvidenceRuleText(store::kRuleLongIllness, rules),
      EvidenceRuleText(store::kRuleRepeatedIllness, rules),
      rules.next_to_holiday ? ", and for " + EvidenceRuleText(store::kRuleNextToHoliday, rules)
                            : std::string());
}

StatusOr<int> MedicalEvidence::RunDue() {
  const core::Clock& clock = school_.clock();
  const Date today = clock.Today();
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    if (!snap.scenario.calendar.IsSchoolDay(today) ||
        clock.MinuteOfDay() < school_.RegisterClose(core::Session::kAm)) {
      return 0;
    }
  }
  {
    std::lock_guard run_lock(run_mu_);
    if (done_on_ == today) return 0;
  }
  ASSIGN_OR_RETURN(int raised, RaiseRequests());
  std::lock_guard run_lock(run_mu_);
  done_on_ = today;
  return raised;
}

StatusOr<int> MedicalEvidence::RaiseRequests() {
  const core::Clock& clock = school_.clock();
  const Date today = clock.Today();
  const int64_t now = clock.NowSeconds();
  store::Store& store = school_.store();
  ASSIGN_OR_RETURN(store::EvidenceRules rules, store.GetEvidenceRules());
  ASSIGN_OR_RETURN(std::vector<store::ConditionReview> reviews, store.ListConditionReviews());
  const std::map<int64_t, store::ConditionReview> conditions = NewestConditions(reviews);
  ASSIGN_OR_RETURN(store::MessageSettings message_settings, store.GetMessageSettings());

  struct Candidate {
    store::Pupil pupil;
    std::string rule;
    IllnessEpisode episode;
  };
  std::vector<Candidate> candidates;
  std::string school_name;
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    school_name = snap.school.name;
    const core::Calendar& calendar = snap.scenario.calendar;
    std::optional<core::Term> term;
    for (const core::Term& t : calendar.terms()) {
      if (t.start <= today && today <= t.end) term = t;
    }
    if (!term) return 0;
    for (size_t i = 0; i < snap.pupils.size(); ++i) {
      if (!snap.scenario.pupils[i].OnRollOn(today)) continue;
      const store::Pupil& pupil = snap.pupils[i];
      if (auto c = conditions.find(pupil.id);
          c != conditions.end() && today < c->second.review_date) {
        continue;
      }
      for (const IllnessEpisode& e :
           IllnessEpisodes(calendar, snap.scenario.marks[i], term->start, today)) {
        if (e.to < today.AddDays(-kRecentEpisodeDays)) continue;
        if (e.school_days >= rules.long_illness_days) {
          candidates.push_back({pupil, store::kRuleLongIllness, e});
        }
        if (e.number_in_term == rules.repeated_illness_count) {
          candidates.push_back({pupil, store::kRuleRepeatedIllness, e});
        }
        if (rules.next_to_holiday && (e.after_holiday || e.before_holiday)) {
          candidates.push_back({pupil, store::kRuleNextToHoliday, e});
        }
      }
    }
  }

  const TemplateInfo* info = FindTemplateInfo("evidence_request");
  if (info == nullptr) core::Unreachable();  // registered in message_templates.cc
  int raised = 0;
  for (const Candidate& c : candidates) {
    // Evidence already sent for the episode answers it before it is asked.
    ASSIGN_OR_RETURN(std::vector<store::MedicalEvidence> sent,
                     store.MedicalEvidenceFor(c.pupil.id));
    const bool answered = std::any_of(sent.begin(), sent.end(), [&](const auto& e) {
      return Overlaps(e.from_date, e.to_date, c.episode.from, c.episode.to);
    });
    if (answered) continue;
    const std::string key =
        fmt::format("evidence_request/{}/{}/{}", c.pupil.id, c.rule, c.episode.from.ToString());
    std::vector<store::OutboxMessage> rows;
    for (const Recipient& r : FamilyRecipients(c.pupil, *info)) {
      const store::Contact& contact = c.pupil.contacts[r.contact_index];
      const std::map<std::string, std::string> fields = {
          {"school_name", school_name},
          {"pupil_first_name", GivenName(c.pupil)},
          {"pupil_name", DisplayName(c.pupil)},
          {"contact_name", contact.name},
          {"salutation", store::SalutationOf(contact)},
          {"from_date", LongDate(c.episode.from)},
          {"to_date", LongDate(c.episode.to)},
          {"reason", EvidenceRuleText(c.rule, rules)},
          {"upload_link", ParentPageLink(message_settings)},
      };
      ASSIGN_OR_RETURN(RenderedMessage words, templates_.Render(info->kind, fields));
      Outgoing m{.kind = std::string(info->kind),
                 .channel = r.channel,
                 .pupil_id = c.pupil.id,
                 .recipient = r.name,
                 .to = r.to,
                 .subject = r.channel == "email" ? words.subject : std::string(),
                 .body = r.channel == "email" ? words.email_body : words.sms_body,
                 .key = fmt::format("{}/{}", key, r.contact_index)};
      rows.push_back(ToOutbox(m, now));
    }
    store::EvidenceRequest request{.pupil_id = c.pupil.id,
                                   .rule = c.rule,
                                   .from_date = c.episode.from,
                                   .to_date = c.episode.to,
                                   .raised_at = now,
                                   .outbox_key = key};
    ASSIGN_OR_RETURN(bool added, store.AddEvidenceRequest(request, rows));
    if (added) ++raised;
  }
  return raised;
}

}  // namespace rollcall::service
