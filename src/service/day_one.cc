// day_one.cc: the day-one absence messages (day_one.h).
#include "service/day_one.h"

#include <fmt/format.h>

#include <array>
#include <set>
#include <string_view>
#include <unordered_set>

#include "core/codes.h"
#include "core/uk_time.h"
#include "service/fields.h"
#include "service/outgoing.h"
#include "service/records.h"

namespace rollcall::service {

using core::StatusOr;

namespace {

constexpr std::string_view kKind = "day_one";

// The pupils a day-one message would tell what they already know: a
// parent's absence report covers today, or the office spoke to the family.
StatusOr<std::unordered_set<int64_t>> AlreadyKnown(store::Store& store, core::Date today,
                                                   int64_t midnight) {
  std::unordered_set<int64_t> out;
  ASSIGN_OR_RETURN(std::vector<store::AbsenceReport> reports, store.ListAbsenceReports(false));
  for (const store::AbsenceReport& r : reports) {
    if (r.from <= today && today <= r.to) out.insert(r.pupil_id);
  }
  ASSIGN_OR_RETURN(std::vector<store::ContactLogEntry> log, store.ContactLogSince(midnight));
  for (const store::ContactLogEntry& e : log) {
    // A call with no answer or a message left tells the school nothing.
    if (e.method == store::ContactMethod::kCall && e.outcome == store::ContactOutcome::kSpoke) {
      out.insert(e.pupil_id);
    }
  }
  return out;
}

}  // namespace

std::string DayOneDate(core::Date d) {
  static constexpr std::array<std::string_view, 7> kDays = {
      "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
  return fmt::format("{} {} {}", kDays[static_cast<size_t>(d.weekday())], d.day(), d.MonthName());
}

StatusOr<DayOneResult> DayOne::RunDue() {
  const core::Clock& clock = school_.clock();
  const core::Date today = clock.Today();
  std::lock_guard run_lock(mu_);
  DayOneResult result;
  if (done_on_ == today) {
    result.not_run = "already run";
    return result;
  }
  {
    auto lock = school_.Read();
    if (!school_.snapshot().scenario.calendar.IsSchoolDay(today)) {
      result.not_run = "not a school day";
      return result;
    }
  }
  store::Store& store = school_.store();
  ASSIGN_OR_RETURN(store::MessageSettings settings, store.GetMessageSettings());
  if (clock.MinuteOfDay() < settings.day_one_minute) {
    result.not_run = "before the time";
    return result;
  }
  // A server that was down at the time does not text families "not in
  // school today" in the evening: past the window the day is left unsent.
  if (clock.MinuteOfDay() > settings.day_one_minute + kDayOneWindowMinutes) {
    result.not_run = "too late in the day";
    return result;
  }
  ASSIGN_OR_RETURN(std::optional<store::DayOneRun> done, store.GetDayOneRun(today));
  if (done) {
    done_on_ = today;
    result.not_run = "already run";
    return result;
  }
  const int64_t now = clock.NowSeconds();
  ASSIGN_OR_RETURN(const std::unordered_set<int64_t> known,
                   AlreadyKnown(store, today, StartOfToday(clock)));
  ASSIGN_OR_RETURN(const MessageTemplates::Words words, templates_.Current(kKind));
  const TemplateInfo& info = *words.info;
  const std::string report_link = ParentPageLink(settings);
  const std::string date_text = DayOneDate(today);
  const core::SessionKey am{today, core::Session::kAm};

  std::vector<store::OutboxMessage> rows;
  store::DayOneRun run{.date = today, .run_at = now};
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    std::map<std::string, std::string> fields = {
        {"school_name", snap.school.name}, {"date", date_text}, {"report_link", report_link}};
    for (size_t i = 0; i < snap.pupils.size(); ++i) {
      if (!snap.scenario.pupils[i].OnRollOn(today)) continue;
      if (school_.MarkAt(i, am).code != core::AttendanceCode::kNoReasonYet) continue;
      const store::Pupil& p = snap.pupils[i];
      if (known.contains(p.id)) continue;
      const std::vector<Recipient> to = FamilyRecipients(p, info, 2);
      if (to.empty()) {
        run.unreachable.push_back(p.id);
        continue;
      }
      fields["pupil_first_name"] = GivenName(p);
      fields["pupil_name"] = DisplayName(p);
      for (const Recipient& r : to) {
        const store::Contact& c = p.contacts[r.contact_index];
        fields["contact_name"] = c.name;
        fields["salutation"] = store::SalutationOf(c);
        Outgoing m;
        m.kind = std::string(kKind);
        m.channel = r.channel;
        m.pupil_id = p.id;
        m.recipient = r.name;
        m.to = r.to;
        if (r.channel == "email") {
          ASSIGN_OR_RETURN(m.subject, FillTemplate(info, words.subject, fields));
          ASSIGN_OR_RETURN(m.body, FillTemplate(info, words.email_body, fields));
        } else {
          ASSIGN_OR_RETURN(m.body, FillTemplate(info, words.sms_body, fields));
        }
        // A field left empty (no public address) must not leave a text
        // ending in spaces, which networks charge for.
        while (!m.body.empty() && (m.body.back() == ' ' || m.body.back() == '\n')) {
          m.body.pop_back();
        }
        m.key = fmt::format("day_one/{}/{}/{}", today.ToString(), p.id, r.contact_index);
        rows.push_back(ToOutbox(m, now));
      }
      ++run.pupils;
    }
  }
  run.messages = static_cast<int>(rows.size());
  ASSIGN_OR_RETURN(bool recorded, store.RecordDayOneRun(run, rows));
  done_on_ = today;
  if (!recorded) {
    result.not_run = "already run";
    return result;
  }
  result.pupils = run.pupils;
  result.messages = run.messages;
  result.unreachable = std::move(run.unreachable);
  return result;
}

StatusOr<DayOneToday> DayOne::Today(const Principal& who) const {
  const core::Clock& clock = school_.clock();
  const core::Date today = clock.Today();
  DayOneToday out;
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kReadWorklist, {}));
    out.school_day = school_.snapshot().scenario.calendar.IsSchoolDay(today);
  }
  store::Store& store = school_.store();
  ASSIGN_OR_RETURN(store::MessageSettings settings, store.GetMessageSettings());
  out.minute = settings.day_one_minute;
  ASSIGN_OR_RETURN(out.run, store.GetDayOneRun(today));
  ASSIGN_OR_RETURN(std::vector<store::OutboxMessage> rows,
                   store.OutboxForKindSince(kKind, StartOfToday(clock)));
  for (const store::OutboxMessage& m : rows) {
    if (!m.pupil_id) continue;
    std::string state(store::OutboxStateName(m.state));
    if (!m.receipt.empty()) state += " (" + m.receipt + ")";
    out.sent[*m.pupil_id].push_back(
        fmt::format("{} {} to {}: {}", m.channel == "sms" ? "Texted" : "Emailed",
                    TimeText(core::UkTimeAt(m.created_at).minute_of_day), m.recipient, state));
  }
  if (out.run) {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    for (int64_t id : out.run->unreachable) {
      const auto it = snap.pupil_index.find(id);
      if (it == snap.pupil_index.end()) continue;
      if (!school_.PupilFor(who, id, Action::kReadPupil).ok()) continue;
      out.unreachable.emplace_back(id, DisplayName(snap.pupils[it->second]));
    }
  }
  return out;
}

}  // namespace rollcall::service
