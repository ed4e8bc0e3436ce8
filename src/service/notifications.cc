// notifications.cc: the jobs that email staff, and their settings page
// (notifications.h).
#include "service/notifications.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "core/error_codes.h"
#include "core/pupil_sessions.h"
#include "core/statistics.h"
#include "core/uk_time.h"
#include "service/fields.h"
#include "service/records.h"
#include "service/words.h"

namespace rollcall::service {
namespace {

using core::Status;
using core::StatusOr;

constexpr char kReminder[] = "register_reminder";
constexpr char kMissing[] = "registers_missing";
constexpr char kDslList[] = "dsl_vulnerable";
constexpr char kSocialWorker[] = "social_worker_absence";
constexpr char kDigest[] = "attendance_digest";
// Outbox rows read to count today's messages: more than a school sends in a day.
constexpr int kOutboxScan = 20000;

int SessionNumber(core::Session s) { return s == core::Session::kAm ? 1 : 2; }

// The rollcall job itself, reading the school as the head would: the
// digest holds counts only, never a pupil's name.
Principal SystemPrincipal() {
  return Principal{.user_id = 0, .role = store::Role::kHead, .name = "rollcall"};
}

std::string PublicLink(const std::string& public_url, const std::string& path) {
  if (public_url.empty()) return "";
  std::string base = public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + path;
}

std::string PctText(const std::optional<double>& pct) {
  return pct ? fmt::format("{:.1f}%", *pct) : std::string("–");
}

bool StaffRole(store::Role role) {
  return role != store::Role::kParent && role != store::Role::kLaOfficer &&
         role != store::Role::kGovernor;
}

}  // namespace

StatusOr<NotificationsView> StaffNotifications::Get(const Principal& who) const {
  NotificationsView v;
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kManageNotifications, {}));
    for (const auto& [id, u] : school_.snapshot().users) {
      if (!u.active || !StaffRole(u.role)) continue;
      v.staff.push_back({id, u.display_name, u.email});
      const bool written_to = u.role == store::Role::kTeacher || u.role == store::Role::kOffice ||
                              u.role == store::Role::kSafeguardingLead;
      if (written_to && u.email.empty()) v.without_email.push_back(u.display_name);
    }
  }
  std::sort(v.staff.begin(), v.staff.end(),
            [](const StaffChoice& a, const StaffChoice& b) { return a.name < b.name; });
  std::sort(v.without_email.begin(), v.without_email.end());
  ASSIGN_OR_RETURN(v.settings, school_.store().GetNotificationSettings());
  ASSIGN_OR_RETURN(const store::MessageSettings m, school_.store().GetMessageSettings());
  v.day_one_minute = m.day_one_minute;
  ASSIGN_OR_RETURN(v.today, school_.store().NotificationRunsOn(school_.clock().Today()));
  return v;
}

StatusOr<store::NotificationSettings> StaffNotifications::Save(
    const Principal& who, const NotificationSettingsForm& form) {
  store::NotificationSettings s;
  s.register_reminders = form.register_reminders;
  s.dsl_list = form.dsl_list;
  s.social_worker_emails = form.social_worker_emails;
  if (!form.dsl_list_time.empty()) {
    s.dsl_list_minute = ParseTime(form.dsl_list_time);
    if (!s.dsl_list_minute) {
      return core::InvalidArgument(
          core::kErrValueInvalid,
          fmt::format("the DSL list's time '{}' is not HH:MM", form.dsl_list_time));
    }
  }
  const std::optional<int> digest = ParseTime(form.digest_time);
  if (!digest) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("the digest's time '{}' is not HH:MM", form.digest_time));
  }
  s.digest_minute = *digest;
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kManageNotifications, {}));
    if (!form.attendance_lead.empty()) {
      s.attendance_lead_user_id = ParseId(form.attendance_lead);
      const auto& users = school_.snapshot().users;
      auto it = s.attendance_lead_user_id ? users.find(*s.attendance_lead_user_id) : users.end();
      if (it == users.end() || !it->second.active || !StaffRole(it->second.role)) {
        return core::InvalidArgument(
            core::kErrValueInvalid,
            fmt::format("the attendance lead '{}' is not an active member of staff",
                        form.attendance_lead));
      }
    }
  }
  s.set_at = school_.clock().NowSeconds();
  s.set_by = who.name;
  ASSIGN_OR_RETURN(s.version, school_.store().SaveNotificationSettings(s));
  return s;
}

std::vector<std::pair<int64_t, std::string>> StaffNotifications::IncompleteRegisters(
    core::Session session) const {
  const core::Date today = school_.clock().Today();
  auto lock = school_.Read();
  const Snapshot& snap = school_.snapshot();
  const core::SessionKey slot{today, session};
  std::vector<std::pair<int64_t, std::string>> out;
  if (!snap.scenario.calendar.IsOpen(slot)) return out;
  // The register page's rule (the office's Today list counts the same way):
  // a register is taken when every pupil of the class on roll has a mark.
  std::set<int64_t> incomplete;
  for (size_t i = 0; i < snap.pupils.size(); ++i) {
    const store::Pupil& p = snap.pupils[i];
    if (!p.class_id || !snap.scenario.pupils[i].OnRollOn(today)) continue;
    if (!school_.MarkAt(i, slot).code) incomplete.insert(*p.class_id);
  }
  for (int64_t id : incomplete) out.emplace_back(id, ClassNameOf(snap, id));
  return out;
}

StatusOr<std::vector<VulnerableAbsence>> StaffNotifications::VulnerableAbsent() const {
  const core::Clock& clock = school_.clock();
  const core::Date today = clock.Today();
  std::vector<VulnerableAbsence> out;
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    std::vector<core::Session> sessions = {core::Session::kAm};
    // The afternoon counts once its register has closed: before then an
    // unmarked pupil may still arrive.
    if (clock.MinuteOfDay() >= school_.RegisterClose(core::Session::kPm)) {
      sessions.push_back(core::Session::kPm);
    }
    for (size_t i = 0; i < snap.pupils.size(); ++i) {
      const store::Pupil& p = snap.pupils[i];
      if (!snap.scenario.pupils[i].OnRollOn(today)) continue;
      VulnerableAbsence a;
      for (core::Session s : sessions) {
        const core::SessionKey slot{today, s};
        if (!snap.scenario.calendar.IsOpen(slot)) continue;
        if (school_.MarkAt(i, slot).code == core::AttendanceCode::kNoReasonYet) {
          a.sessions.push_back(SessionWord(s));
        }
      }
      if (a.sessions.empty()) continue;
      const std::vector<std::string> tags = CohortTagsOn(p, today);
      const auto has = [&](const char* tag) {
        return std::find(tags.begin(), tags.end(), tag) != tags.end();
      };
      if (!p.social_worker_name.empty() || has("SW")) a.reasons.push_back("social worker");
      if (has("CLA")) a.reasons.push_back("looked after");
      if (has("EHCP")) a.reasons.push_back("EHC plan");
      if (a.reasons.empty()) continue;
      a.pupil_id = p.id;
      a.name = DisplayName(p);
      a.class_name = ClassNameOf(snap, p.class_id);
      a.social_worker_name = p.social_worker_name;
      a.social_worker_email = p.social_worker_email;
      out.push_back(std::move(a));
    }
  }
  for (VulnerableAbsence& a : out) {
    ASSIGN_OR_RETURN(std::vector<store::ContactLogEntry> log,
                     school_.store().ContactLogForPupil(a.pupil_id));
    // The log is newest first; the list reads in the order of the day.
    for (auto it = log.rbegin(); it != log.rend(); ++it) {
      const core::UkTime at = core::UkTimeAt(it->at);
      if (at.date != today) continue;
      a.contacts_tried.push_back(
          fmt::format("{} {}: {}{}", TimeText(at.minute_of_day),
                      store::ContactMethodName(it->method), store::ContactOutcomeName(it->outcome),
                      it->contact_name.empty() ? "" : fmt::format(" ({})", it->contact_name)));
    }
  }
  return out;
}

StatusOr<DigestFigures> StaffNotifications::Digest() const {
  const core::Clock& clock = school_.clock();
  const core::Date today = clock.Today();
  const Principal system = SystemPrincipal();
  DigestFigures d;
  // The year to date exactly as the dashboard shows it.
  ASSIGN_OR_RETURN(const SchoolSummaryView summary, dashboards_.Summary(system, today));
  if (summary.school) {
    d.year_pct = core::Percent(summary.school->counts.attended, summary.school->counts.possible);
  }
  // Today alone, counted by the rules core from the same evaluation.
  const Evaluated state = school_.EvaluatedOn(today);
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    const core::Scenario& scenario = *state.scenario;
    for (size_t i = 0; i < scenario.pupils.size() && i < snap.pupils.size(); ++i) {
      if (!scenario.pupils[i].OnRollOn(today)) continue;
      const std::vector<core::PupilSession> sessions =
          core::BuildPupilSessions(scenario.calendar, scenario.pupils[i], scenario.marks[i],
                                   scenario.default_mark, scenario.as_of, scenario.as_of_part);
      const core::SessionCounts c =
          core::CountSessions(scenario.calendar, sessions, {today, today});
      d.today_attended += c.attended;
      d.today_possible += c.possible;
      for (core::Session s : {core::Session::kAm, core::Session::kPm}) {
        if (school_.MarkAt(i, {today, s}).code == core::AttendanceCode::kNoReasonYet) {
          ++d.unexplained;
          break;
        }
      }
    }
  }
  d.today_pct = core::Percent(d.today_attended, d.today_possible);
  ASSIGN_OR_RETURN(const std::vector<store::OutboxMessage> outbox,
                   school_.store().ListOutbox(std::nullopt, kOutboxScan));
  for (const store::OutboxMessage& m : outbox) {
    if (core::UkTimeAt(m.created_at).date != today) continue;
    if (m.channel != "email" && m.channel != "sms") continue;
    if (m.state == store::OutboxState::kDelivered) ++d.messages_sent;
    if (m.state == store::OutboxState::kFailed) ++d.messages_failed;
  }
  ASSIGN_OR_RETURN(const std::vector<store::AbsenceReport> reports,
                   school_.store().ListAbsenceReports(true));
  d.absence_reports_waiting = static_cast<int64_t>(reports.size());
  ASSIGN_OR_RETURN(const std::vector<CmeView> cases, cme_.Cases(system, std::nullopt, true));
  for (const CmeView& c : cases) {
    for (const CmeStepView& step : c.steps) {
      if (step.status == CmeStepStatus::kDue || step.status == CmeStepStatus::kOverdue) {
        ++d.cme_steps_due;
      }
    }
  }
  ASSIGN_OR_RETURN(const std::vector<PenaltyView> penalties, penalties_.ToActOn(system));
  d.penalty_to_act_on = static_cast<int64_t>(penalties.size());
  return d;
}

StatusOr<int> StaffNotifications::RunDue() {
  const core::Clock& clock = school_.clock();
  const core::Date today = clock.Today();
  const int minute = clock.MinuteOfDay();
  {
    auto lock = school_.Read();
    if (!school_.snapshot().scenario.calendar.IsSchoolDay(today)) return 0;
  }
  ASSIGN_OR_RETURN(const store::NotificationSettings s, school_.store().GetNotificationSettings());
  int queued = 0;
  if (s.register_reminders) {
    ASSIGN_OR_RETURN(const int n, RegisterJobs(s, today, minute));
    queued += n;
  }
  if (s.dsl_list) {
    ASSIGN_OR_RETURN(const int n, DslJob(s, today, minute));
    queued += n;
  }
  if (s.attendance_lead_user_id) {
    ASSIGN_OR_RETURN(const int n, DigestJob(s, today, minute));
    queued += n;
  }
  return queued;
}

StatusOr<Outgoing> StaffNotifications::StaffEmail(const std::string& kind, const store::User& user,
                                                  std::map<std::string, std::string> fields,
                                                  const std::string& key) const {
  {
    auto lock = school_.Read();
    fields["school_name"] = school_.snapshot().school.name;
  }
  fields["staff_name"] = user.display_name;
  ASSIGN_OR_RETURN(const RenderedMessage words, templates_.Render(kind, fields));
  return Outgoing{.kind = kind,
                  .channel = "email",
                  .recipient = user.display_name,
                  .to = user.email,
                  .subject = words.subject,
                  .body = words.email_body,
                  .key = key};
}

StatusOr<int> StaffNotifications::Record(const std::string& kind, core::Date today, int session,
                                         const std::vector<Outgoing>& messages) {
  const int64_t now = school_.clock().NowSeconds();
  std::vector<store::OutboxMessage> rows;
  rows.reserve(messages.size());
  for (const Outgoing& m : messages) rows.push_back(ToOutbox(m, now));
  const store::NotificationRun run{.kind = kind,
                                   .date = today,
                                   .session = session,
                                   .at = now,
                                   .messages = static_cast<int>(rows.size())};
  ASSIGN_OR_RETURN(const bool done, school_.store().RecordNotificationRun(run, rows));
  return done ? static_cast<int>(rows.size()) : 0;
}

StatusOr<int> StaffNotifications::RegisterJobs(const store::NotificationSettings& s,
                                               core::Date today, int minute) {
  (void)s;
  ASSIGN_OR_RETURN(const store::MessageSettings m, school_.store().GetMessageSettings());
  ASSIGN_OR_RETURN(const std::vector<store::NotificationRun> done,
                   school_.store().NotificationRunsOn(today));
  const auto was_done = [&](const char* kind, int session) {
    return std::any_of(done.begin(), done.end(), [&](const store::NotificationRun& r) {
      return r.kind == kind && r.session == session;
    });
  };
  int queued = 0;
  for (core::Session session : {core::Session::kAm, core::Session::kPm}) {
    int close = 0;
    bool open = false;
    {
      auto lock = school_.Read();
      close = school_.RegisterClose(session);
      open = school_.snapshot().scenario.calendar.IsOpen({today, session});
    }
    if (!open) continue;
    const int number = SessionNumber(session);
    const std::string date = today.ToString();
    const std::string session_word = SessionWord(session);
    const bool remind = minute >= close - kReminderLeadMinutes && minute < close;
    const bool at_close = minute >= close && minute < close + kRegisterJobWindowMinutes;
    if (remind && !was_done(kReminder, number)) {
      std::vector<Outgoing> messages;
      for (const auto& [class_id, class_name] : IncompleteRegisters(session)) {
        std::vector<store::User> teachers;
        {
          auto lock = school_.Read();
          const Snapshot& snap = school_.snapshot();
          for (int64_t uid : snap.classes.at(class_id).teacher_ids) {
            auto it = snap.users.find(uid);
            if (it != snap.users.end() && it->second.active && !it->second.email.empty()) {
              teachers.push_back(it->second);
            }
          }
        }
        for (const store::User& t : teachers) {
          ASSIGN_OR_RETURN(
              Outgoing mail,
              StaffEmail(
                  kReminder, t,
                  {{"class_name", class_name},
                   {"session", session_word},
                   {"close_time", TimeText(close)},
                   {"register_link",
                    PublicLink(m.public_url, fmt::format("/register?class={}&session={}", class_id,
                                                         core::SessionName(session)))}},
                  fmt::format("{}/{}/{}/{}/{}", kReminder, date, number, class_id, t.id)));
          messages.push_back(std::move(mail));
        }
      }
      ASSIGN_OR_RETURN(const int n, Record(kReminder, today, number, messages));
      queued += n;
    }
    if (at_close && !was_done(kMissing, number)) {
      std::vector<Outgoing> messages;
      const std::vector<std::pair<int64_t, std::string>> missing = IncompleteRegisters(session);
      if (!missing.empty()) {
        std::string list;
        for (const auto& [id, name] : missing) list += fmt::format("- {}\n", name);
        std::vector<store::User> office;
        {
          auto lock = school_.Read();
          for (const auto& [id, u] : school_.snapshot().users) {
            if (u.active && u.role == store::Role::kOffice && !u.email.empty()) office.push_back(u);
          }
        }
        for (const store::User& u : office) {
          ASSIGN_OR_RETURN(Outgoing mail,
                           StaffEmail(kMissing, u,
                                      {{"session", session_word},
                                       {"close_time", TimeText(close)},
                                       {"classes", list},
                                       {"count", std::to_string(missing.size())}},
                                      fmt::format("{}/{}/{}/{}", kMissing, date, number, u.id)));
          messages.push_back(std::move(mail));
        }
      }
      ASSIGN_OR_RETURN(const int n, Record(kMissing, today, number, messages));
      queued += n;
    }
  }
  return queued;
}

StatusOr<int> StaffNotifications::DslJob(const store::NotificationSettings& s, core::Date today,
                                         int minute) {
  ASSIGN_OR_RETURN(const store::MessageSettings m, school_.store().GetMessageSettings());
  const int at = s.dsl_list_minute.value_or(m.day_one_minute);
  if (minute < at) return 0;
  ASSIGN_OR_RETURN(const std::vector<store::NotificationRun> done,
                   school_.store().NotificationRunsOn(today));
  if (std::any_of(done.begin(), done.end(),
                  [](const store::NotificationRun& r) { return r.kind == kDslList; })) {
    return 0;
  }
  ASSIGN_OR_RETURN(const std::vector<VulnerableAbsence> absent, VulnerableAbsent());
  std::string list;
  for (const VulnerableAbsence& a : absent) {
    list += fmt::format("- {}{} ({}); absent with no reason: {}\n", a.name,
                        a.class_name.empty() ? "" : ", " + a.class_name, fmt::join(a.reasons, ", "),
                        fmt::join(a.sessions, " and "));
    if (a.contacts_tried.empty()) {
      list += "  Contacts tried today: none yet\n";
    } else {
      for (const std::string& c : a.contacts_tried) list += "  Tried: " + c + "\n";
    }
  }
  std::vector<store::User> leads;
  std::string school_name;
  {
    auto lock = school_.Read();
    school_name = school_.snapshot().school.name;
    for (const auto& [id, u] : school_.snapshot().users) {
      if (u.active && u.role == store::Role::kSafeguardingLead && !u.email.empty()) {
        leads.push_back(u);
      }
    }
  }
  const std::string date = today.ToString();
  std::vector<Outgoing> messages;
  // A day with nobody to list sends nothing: an empty list every morning
  // teaches the reader to skip it.
  if (!absent.empty()) {
    for (const store::User& u : leads) {
      ASSIGN_OR_RETURN(Outgoing mail, StaffEmail(kDslList, u,
                                                 {{"date", LongDate(today)},
                                                  {"count", std::to_string(absent.size())},
                                                  {"pupils", list}},
                                                 fmt::format("{}/{}/{}", kDslList, date, u.id)));
      messages.push_back(std::move(mail));
    }
  }
  if (s.social_worker_emails) {
    for (const VulnerableAbsence& a : absent) {
      if (a.social_worker_email.empty() || !IsEmailAddress(a.social_worker_email)) continue;
      std::map<std::string, std::string> fields = {
          {"school_name", school_name},
          {"social_worker_name", a.social_worker_name},
          {"pupil_name", a.name},
          {"date", LongDate(today)},
          {"sessions", fmt::format("{}", fmt::join(a.sessions, " and "))}};
      ASSIGN_OR_RETURN(const RenderedMessage words, templates_.Render(kSocialWorker, fields));
      messages.push_back(
          Outgoing{.kind = kSocialWorker,
                   .channel = "email",
                   // Logged in the pupil's contact log once sent: the school told
                   // the child's social worker.
                   .pupil_id = a.pupil_id,
                   .recipient = fmt::format("{} (social worker)", a.social_worker_name.empty()
                                                                      ? a.social_worker_email
                                                                      : a.social_worker_name),
                   .to = a.social_worker_email,
                   .subject = words.subject,
                   .body = words.email_body,
                   .key = fmt::format("{}/{}/{}", kSocialWorker, date, a.pupil_id)});
    }
  }
  return Record(kDslList, today, 0, messages);
}

StatusOr<int> StaffNotifications::DigestJob(const store::NotificationSettings& s, core::Date today,
                                            int minute) {
  if (minute < s.digest_minute) return 0;
  ASSIGN_OR_RETURN(const std::vector<store::NotificationRun> done,
                   school_.store().NotificationRunsOn(today));
  if (std::any_of(done.begin(), done.end(),
                  [](const store::NotificationRun& r) { return r.kind == kDigest; })) {
    return 0;
  }
  std::optional<store::User> lead;
  {
    auto lock = school_.Read();
    const auto& users = school_.snapshot().users;
    auto it = users.find(*s.attendance_lead_user_id);
    if (it != users.end() && it->second.active && !it->second.email.empty()) lead = it->second;
  }
  std::vector<Outgoing> messages;
  if (lead) {
    ASSIGN_OR_RETURN(const DigestFigures d, Digest());
    ASSIGN_OR_RETURN(Outgoing mail,
                     StaffEmail(kDigest, *lead,
                                {{"date", LongDate(today)},
                                 {"today_pct", PctText(d.today_pct)},
                                 {"year_pct", PctText(d.year_pct)},
                                 {"unexplained", std::to_string(d.unexplained)},
                                 {"messages_sent", std::to_string(d.messages_sent)},
                                 {"messages_failed", std::to_string(d.messages_failed)},
                                 {"absence_reports", std::to_string(d.absence_reports_waiting)},
                                 {"cme_due", std::to_string(d.cme_steps_due)},
                                 {"penalty_due", std::to_string(d.penalty_to_act_on)}},
                                fmt::format("{}/{}/{}", kDigest, today.ToString(), lead->id)));
    messages.push_back(std::move(mail));
  }
  return Record(kDigest, today, 0, messages);
}

}  // namespace rollcall::service
