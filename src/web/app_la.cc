// app_la.cc: the queue of notifications the school owes its local
// authority (docs/rules.md section 4, "Returns to the LA", and section 7): new
// admissions within 5 days, deletions with their ground, sickness returns
// (15 school days), continuous absence (10 school days), CME referrals (the
// enquiry form on day 10), part-time timetables, persistent-absence
// referrals (an action plan reviewed as not improved: the red escalation of
// docs/rules.md section 7) and persistent lateness. Each is derived from the
// registers and the rules core's alerts; only what was done with it (sent by
// the school, acknowledged by the LA) is stored.
#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "core/error_codes.h"
#include "core/la_returns.h"
#include "core/part_time.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

StatusOr<std::vector<App::LaNotification>> App::LaNotifications(const Call& call) {
  RETURN_IF_ERROR(Allow(call, Action::kReadLaNotifications, {}));
  const Date today = clock_.Today();
  ASSIGN_OR_RETURN(SchoolState state, SchoolAt(today));
  ASSIGN_OR_RETURN(std::vector<store::NotificationEvent> events, store_.NotificationEvents());
  ASSIGN_OR_RETURN(std::vector<store::CmeCase> cases, store_.ListCmeCases(true));
  ASSIGN_OR_RETURN(std::vector<store::SupportEvent> support, store_.AllSupportEvents());
  std::vector<LaNotification> out;
  {
    std::shared_lock lock(mu_);
    const core::Calendar& calendar = snapshot_.scenario.calendar;
    const Date year_start = state.evaluation->period.from;
    const int32_t first_session = calendar.FirstSessionOnOrAfter(year_start);
    const Date first_school_day = first_session < calendar.SessionCount()
                                      ? calendar.SessionAt(first_session).date
                                      : year_start;
    int youngest = 99;
    for (const store::Pupil& p : snapshot_.pupils) youngest = std::min(youngest, p.year_group);
    // `from`: the day the duty arose, which the due date counts from
    // (core::LaReturnDue); the trigger names the notification.
    auto add = [&](core::LaReturnKind kind, const char* title, const store::Pupil& p, Date trigger,
                   Date from, std::string content) {
      out.push_back({store::NotificationKey(core::LaReturnKindName(kind), p.id, trigger), kind,
                     title, p.id, DisplayName(p), p.upn, trigger,
                     core::LaReturnDue(calendar, kind, from), std::move(content),
                     core::LaReturnStatus::kDue, std::nullopt});
    };
    for (size_t i = 0; i < snapshot_.pupils.size(); ++i) {
      const store::Pupil& p = snapshot_.pupils[i];
      for (const store::Enrolment& e : p.enrolments) {
        const bool on_day_one = e.start <= first_school_day && p.year_group == youngest;
        if (e.start >= year_start && e.start <= today && !on_day_one) {
          add(core::LaReturnKind::kNewAdmission, "New pupil on the admission register", p, e.start,
              e.start,
              fmt::format("Joined on {} in Year {}; UPN {}", e.start.ToString(), p.year_group,
                          p.upn));
        }
        if (e.end && *e.end >= year_start && *e.end <= today.AddDays(14)) {
          add(core::LaReturnKind::kDeletion, "Deletion from the admission register", p, *e.end,
              *e.end,
              fmt::format("Last day on roll {}; ground ({}); destination: {}", e.end->ToString(),
                          e.deletion_ground.empty() ? "not given" : e.deletion_ground,
                          e.destination.empty() ? "not known" : e.destination));
        }
      }
      if (i >= state.evaluation->pupils.size()) continue;
      for (const core::Alert& a : state.evaluation->pupils[i].alerts) {
        const Date at = state.scenario->calendar.SessionAt(a.at).date;
        if (at < year_start) continue;
        if (a.kind == core::AlertKind::kSickness) {
          add(core::LaReturnKind::kSickness, "Sickness return: 15 school days' illness", p, at, at,
              fmt::format("{} sessions of illness (I) this year by {}", a.evidence.size(),
                          at.ToString()));
        } else if (a.kind == core::AlertKind::kContinuousAbsence && a.run_length == 20) {
          add(core::LaReturnKind::kContinuousAbsence,
              "Attendance return: 10 continuous school days", p, at, at,
              fmt::format("10 continuous school days of unauthorised absence to {}",
                          at.ToString()));
        } else if (a.kind == core::AlertKind::kPersistentLateness) {
          add(core::LaReturnKind::kPersistentLateness, "Persistent lateness referral", p, at, at,
              fmt::format("{} late sessions this year by {}", a.evidence.size(), at.ToString()));
        }
      }
    }
    for (const PartTimeView& v : TimetablesOf(std::nullopt)) {
      const store::PartTimeTimetable& t = v.t;
      auto it = snapshot_.pupil_index.find(t.pupil_id);
      if (it == snapshot_.pupil_index.end() || t.start < year_start ||
          v.state.status == core::TimetableStatus::kCancelled) {
        continue;
      }
      const store::Pupil& p = snapshot_.pupils[it->second];
      // Due from the day it was agreed: the LA hears of it before it starts.
      add(core::LaReturnKind::kPartTimeTimetable, "Part-time timetable", p, t.start, t.agreed_on,
          fmt::format(
              "Attends {} ({} of 10 sessions a week) from {} to {}; agreed {} with {}; "
              "reason: {}; next review {}",
              core::TimetablePattern{t.attends}.ToString(),
              core::TimetablePattern{t.attends}.SessionsPerWeek(), t.start.ToString(),
              v.state.end.ToString(), t.agreed_on.ToString(), t.agreed_with, t.reason,
              v.state.next_review ? v.state.next_review->ToString() : std::string("none (ended)")));
    }
    for (const store::SupportEvent& e : support) {
      if (e.kind != store::SupportKind::kReview || e.outcome != "not_improved" ||
          e.held_on < year_start) {
        continue;
      }
      auto it = snapshot_.pupil_index.find(e.pupil_id);
      if (it == snapshot_.pupil_index.end()) continue;
      add(core::LaReturnKind::kPersistentAbsence,
          "Persistent absence referral: support has not improved attendance",
          snapshot_.pupils[it->second], e.held_on, e.held_on,
          fmt::format("Action plan reviewed {}: attendance {} in the six weeks before the plan, "
                      "{} since; {}",
                      e.held_on.ToString(), e.attendance_before, e.attendance_after,
                      e.notes.empty() ? std::string("no notes") : e.notes));
    }
    for (const store::CmeCase& c : cases) {
      auto it = snapshot_.pupil_index.find(c.pupil_id);
      if (it == snapshot_.pupil_index.end()) continue;
      add(core::LaReturnKind::kCmeReferral, "Children missing education: reasonable-enquiries form",
          snapshot_.pupils[it->second], c.first_day, c.first_day,
          fmt::format("Absent with no contact since {}", c.first_day.ToString()));
    }
  }
  for (LaNotification& n : out) {
    for (const store::NotificationEvent& e : events) {
      if (e.notification == n.key) n.last = e;
    }
    // Both stores accept only "sent" and "acknowledged" (store.h).
    n.status = core::LaReturnStatusOn(
        n.due, n.last ? core::LaReturnStatusFromName(n.last->status) : std::nullopt, today);
  }
  // What needs doing first: overdue, due, sent (awaiting the LA), done; the
  // statuses are declared in that order (core/la_returns.h).
  std::sort(out.begin(), out.end(), [&](const LaNotification& a, const LaNotification& b) {
    return std::make_tuple(a.status, a.due, a.key) < std::make_tuple(b.status, b.due, b.key);
  });
  return out;
}

json App::LaNotificationJson(const LaNotification& n) {
  json j{{"key", n.key},
         {"kind", core::LaReturnKindName(n.kind)},
         {"title", n.title},
         {"pupil", {{"id", n.pupil_id}, {"name", n.pupil_name}, {"upn", n.upn}}},
         {"trigger", n.trigger.ToString()},
         {"due", n.due.ToString()},
         {"content", n.content},
         {"status", core::LaReturnStatusName(n.status)}};
  if (n.last) {
    j["updated"] = {{"at", IsoTime(n.last->at)},
                    {"by", {{"name", n.last->by_name}, {"role", store::RoleName(n.last->by_role)}}},
                    {"note", n.last->note}};
  }
  return j;
}

Response App::GetLaNotifications(Call& call) {
  StatusOr<std::vector<LaNotification>> list = LaNotifications(call);
  if (!list.ok()) return ErrorResponse(list.status());
  json items = json::array();
  for (const LaNotification& n : *list) items.push_back(LaNotificationJson(n));
  return JsonResponse(json{{"notifications", std::move(items)}}.dump());
}

Status App::MarkNotification(const Call& call, const std::string& key, const std::string& status,
                             const std::string& note) {
  RETURN_IF_ERROR(Allow(
      call, status == "sent" ? Action::kSendLaNotification : Action::kAcknowledgeLaNotification,
      {}));
  if (note.size() > 2000) {
    return core::InvalidArgument(core::kErrValueInvalid, "'note' is longer than 2000 characters");
  }
  ASSIGN_OR_RETURN(std::vector<LaNotification> list, LaNotifications(call));
  auto it =
      std::find_if(list.begin(), list.end(), [&](const LaNotification& n) { return n.key == key; });
  if (it == list.end()) {
    return core::NotFound(core::kErrNotFound, "no LA notification '" + key + "'");
  }
  if (status == "acknowledged" && it->status != core::LaReturnStatus::kSent) {
    return core::Conflict(core::kErrNotificationNotSent,
                          "the school has not sent this notification yet");
  }
  if (status == "sent" && (it->status == core::LaReturnStatus::kSent ||
                           it->status == core::LaReturnStatus::kAcknowledged)) {
    return core::Conflict(core::kErrNotificationSent, "this notification was already sent");
  }
  store::NotificationEvent e{.notification = key, .status = status, .at = clock_.NowSeconds()};
  SetAuthor(e, *call.who);
  e.note = note;
  return store_.AddNotificationEvent(e).status();
}

Response App::PostLaNotification(Call& call, const std::string& key, const std::string& action) {
  if (action != "sent" && action != "acknowledged") {
    return ErrorResponse(
        core::NotFound(core::kErrNotFound, "no such API path: " + call.req.target));
  }
  StatusOr<nlohmann::json> body = ObjectBody(call.req, {"note"});
  if (!body.ok()) return ErrorResponse(body.status());
  StatusOr<std::string> note = StringField(*body, "note", false);
  if (!note.ok()) return ErrorResponse(note.status());
  if (Status s = MarkNotification(call, key, action, *note); !s.ok()) return ErrorResponse(s);
  return JsonResponse(json{{"key", key}, {"status", action}}.dump());
}

Response App::PageLaNotifications(Call& call, bool csv) {
  StatusOr<std::vector<LaNotification>> list = LaNotifications(call);
  std::string school;
  {
    std::shared_lock lock(mu_);
    school = snapshot_.school.name;
  }
  if (!list.ok()) return Refused(call.who, call.csrf, school, list.status());
  if (csv) {
    std::string out = "key,kind,pupil,upn,trigger,due,status,content,updated_by,note\r\n";
    for (const LaNotification& n : *list) {
      out += fmt::format("{},{},{},{},{},{},{},{},{},{}\r\n", CsvField(n.key),
                         CsvField(std::string(core::LaReturnKindName(n.kind))),
                         CsvField(n.pupil_name), CsvField(n.upn), n.trigger.ToString(),
                         n.due.ToString(), core::LaReturnStatusName(n.status), CsvField(n.content),
                         CsvField(n.last ? n.last->by_name : ""),
                         CsvField(n.last ? n.last->note : ""));
    }
    Response res;
    res.content_type = "text/csv; charset=utf-8";
    res.body = std::move(out);
    res.headers.emplace_back("Content-Disposition",
                             "attachment; filename=\"la-notifications.csv\"");
    return res;
  }
  const bool may_send = Allow(call, Action::kSendLaNotification, {}).ok();
  const bool may_ack = Allow(call, Action::kAcknowledgeLaNotification, {}).ok();
  auto filter = call.target.query.find("status");
  const std::string wanted = filter == call.target.query.end() ? "" : filter->second;
  Html rows;
  int overdue = 0;
  for (const LaNotification& n : *list) {
    const std::string_view status = core::LaReturnStatusName(n.status);
    overdue += n.status == core::LaReturnStatus::kOverdue ? 1 : 0;
    if (!wanted.empty() && status != wanted) continue;
    Html action;
    const bool can_send = may_send && (n.status == core::LaReturnStatus::kDue ||
                                       n.status == core::LaReturnStatus::kOverdue);
    const bool can_ack = may_ack && n.status == core::LaReturnStatus::kSent;
    if (can_send || can_ack) {
      action = Html::Format(
          R"(<form class="call-form" method="post" action="/la-notifications/{}/{}">)"
          R"(<input type="hidden" name="_csrf" value="{}"><label>Note <input name="note" maxlength="2000" size="14"></label> )"
          R"(<button type="submit">{}</button></form>)",
          n.key, can_send ? "sent" : "acknowledged", call.csrf,
          can_send ? "Mark as sent" : "Acknowledge");
    }
    Html updated;
    if (n.last) {
      updated = Html::Format(R"(<div class="muted">{} by {}{}</div>)", IsoTime(n.last->at),
                             n.last->by_name, n.last->note.empty() ? "" : ": " + n.last->note);
    }
    rows += Html::Format(
        R"(<tr class="note-{}"><td class="date">{}</td><td>{}</td><td><a href="/pupils/{}">{}</a></td><td>{}</td>)"
        R"(<td><strong>{}</strong>{}</td><td>{}</td></tr>)",
        status, n.due.ToString(), n.title, n.pupil_id, n.pupil_name, n.content, status, updated,
        action);
  }
  Html body = Html::Format(
      R"(<p>What the school owes the local authority, from the registers: new pupils within {} days, )"
      R"(deletions, sickness and continuous-absence returns and persistent lateness within {} school days, )"
      R"(and CME referrals by day 10. {} overdue.</p>)"
      R"(<form method="get" action="/la-notifications" class="inline"><label for="status">Show</label> )"
      R"(<select id="status" name="status"><option value="">all</option><option value="overdue">overdue</option>)"
      R"(<option value="due">due</option><option value="sent">sent</option><option value="acknowledged">acknowledged</option></select> )"
      R"(<button type="submit">Show</button> <a href="/la-notifications.csv">Download as CSV</a> )"
      R"(<a href="/api/v1/la-notifications">JSON</a></form>)"
      R"(<div class="scroll"><table><thead><tr><th>Due</th><th>Notification</th><th>Pupil</th><th>Details</th>)"
      R"(<th>Status</th><th></th></tr></thead><tbody>{}</tbody></table></div>)",
      core::kAdmissionReturnDays, core::kAlertReturnSchoolDays, overdue,
      rows.str().empty() ? Html::Trusted(R"(<tr><td colspan="6">None.</td></tr>)") : rows);
  return Layout(call.who, call.csrf, school, "LA notifications", body);
}

Response App::PageMarkNotification(Call& call, const std::string& key, const std::string& action) {
  std::map<std::string, std::string> form = FormFields(call.req);
  const Status s = action == "sent" || action == "acknowledged"
                       ? MarkNotification(call, key, action, form["note"])
                       : core::NotFound(core::kErrNotFound, "No such action.");
  if (!s.ok()) {
    return Layout(
        call.who, call.csrf, "", "Not saved",
        Html::Format(
            R"(<p class="error" role="alert">{}</p><p><a href="/la-notifications">Back</a></p>)",
            s.message()),
        HttpStatusFor(s.kind()));
  }
  return Redirect("/la-notifications");
}

Html App::LaTodaySection(const Call& call) {
  StatusOr<std::vector<LaNotification>> list = LaNotifications(call);
  if (!list.ok()) return Html();
  int overdue = 0, due = 0;
  for (const LaNotification& n : *list) {
    overdue += n.status == core::LaReturnStatus::kOverdue ? 1 : 0;
    due += n.status == core::LaReturnStatus::kDue ? 1 : 0;
  }
  return Html::Format(
      R"(<h2>Notifications to the local authority</h2><p><a href="/la-notifications?status=overdue">{} overdue</a>, )"
      R"(<a href="/la-notifications?status=due">{} due</a>.</p>)",
      overdue, due);
}

}  // namespace rollcall::web
