// la_returns.cc: the notifications owed to the LA (la_returns.h).
#include "service/la_returns.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <string_view>
#include <tuple>
#include <utility>

#include "core/alerts.h"
#include "core/error_codes.h"
#include "core/part_time.h"
#include "core/pupil_sessions.h"
#include "core/statistics.h"
#include "service/admissions.h"
#include "service/fields.h"
#include "service/records.h"
#include "service/words.h"

namespace rollcall::service {

using core::Date;

namespace {

// "Emma Smith (Mother)", or the name alone when no relationship is held.
std::string NameAndRelationship(const store::Contact& c) {
  return c.relationship.empty() ? c.name : fmt::format("{} ({})", c.name, c.relationship);
}

// The contact's address on one line: the address block a letter uses, without
// the name, its lines joined by ", ".
std::string OneLineAddress(const store::Contact& c) {
  const std::string block = store::AddressBlockOf(c);
  const size_t after_name = block.find('\n');
  if (after_name == std::string::npos) return "";
  std::string out;
  for (char ch : std::string_view(block).substr(after_name + 1)) {
    if (ch == '\n') {
      out += ", ";
    } else {
      out += ch;
    }
  }
  return out;
}

// What the LA is told of `p` leaving on `e`'s last day: the contacts as the
// record holds them now, the ground in the admission register's words.
DeletionNotice DeletionNoticeOf(const store::Pupil& p, const store::Enrolment& e) {
  DeletionNotice n{.legal_name = p.legal_given_name + " " + p.legal_family_name,
                   .destination = e.destination,
                   .ground = e.deletion_ground,
                   .last_day = *e.end};
  if (const DeletionGround* ground = DeletionGroundOf(e.deletion_ground)) {
    n.ground_words = std::string(ground->words);
  }
  // Contacts come by priority; those the pupil lives with go first, both for
  // the home address and for the parents' names.
  std::vector<const store::Contact*> parents;
  for (const store::Contact& c : p.contacts) {
    if (c.parental_responsibility) parents.push_back(&c);
  }
  std::stable_partition(parents.begin(), parents.end(),
                        [](const store::Contact* c) { return c->lives_with; });
  for (const store::Contact* c : parents) n.parents.push_back(NameAndRelationship(*c));
  for (const bool lives_with : {true, false}) {
    for (const store::Contact& c : p.contacts) {
      const bool home = lives_with ? c.lives_with : c.parental_responsibility;
      if (n.address.empty() && home && (!c.address.empty() || !c.postcode.empty())) {
        n.address = OneLineAddress(c);
      }
    }
  }
  for (const store::Contact& c : p.contacts) {
    if (c.emergency && !c.phone.empty()) {
      n.emergency_phone = c.relationship.empty()
                              ? fmt::format("{} ({})", c.phone, c.name)
                              : fmt::format("{} ({}, {})", c.phone, c.name, c.relationship);
      break;
    }
  }
  return n;
}

}  // namespace

std::vector<std::string> DeletionLines(const DeletionNotice& n) {
  return {
      fmt::format("{}, last day on roll {}", n.legal_name, LongDate(n.last_day)),
      n.ground.empty() ? std::string("Ground not given")
                       : fmt::format("Left on ground ({}){}", n.ground,
                                     n.ground_words.empty() ? "" : ": " + n.ground_words),
      "Destination: " + (n.destination.empty() ? std::string("not known") : n.destination),
      "Home address: " + (n.address.empty() ? std::string("not recorded") : n.address),
      "Parents: " + (n.parents.empty() ? std::string("none recorded")
                                       : fmt::format("{}", fmt::join(n.parents, ", "))),
      "Emergency phone: " +
          (n.emergency_phone.empty() ? std::string("none recorded") : n.emergency_phone),
  };
}

LaRights LaReturns::RightsOf(const Principal& who) const {
  auto lock = school_.Read();
  return {.send = school_.Allow(who, Action::kSendLaNotification, {}).ok(),
          .acknowledge = school_.Allow(who, Action::kAcknowledgeLaNotification, {}).ok()};
}

std::map<int64_t, std::vector<LaReturns::AlertReturn>> LaReturns::AlertReturns(Date today) {
  const Evaluated state = school_.EvaluatedOn(today);
  const core::Scenario& scenario = *state.scenario;
  const core::Calendar& calendar = scenario.calendar;
  const Date year_start = core::StatisticsPeriod(today).from;
  std::map<int64_t, std::vector<AlertReturn>> out;
  for (size_t i = 0; i < scenario.pupils.size(); ++i) {
    const std::optional<int64_t> pupil_id = ParseId(scenario.pupils[i].id);
    if (!pupil_id) continue;
    for (const core::Alert& a : state.evaluation->pupils[i].alerts) {
      const Date at = calendar.SessionAt(a.at).date;
      if (at < year_start) continue;
      std::optional<core::LaReturnKind> kind;
      if (a.kind == core::AlertKind::kSickness) {
        kind = core::LaReturnKind::kSickness;
      } else if (a.kind == core::AlertKind::kContinuousAbsence && a.run_length == 20) {
        // The return is owed once, when the run reaches 10 school days.
        kind = core::LaReturnKind::kContinuousAbsence;
      } else if (a.kind == core::AlertKind::kPersistentLateness) {
        kind = core::LaReturnKind::kPersistentLateness;
      }
      if (kind) out[*pupil_id].push_back({*kind, at, a.evidence.size()});
    }
  }
  return out;
}

core::StatusOr<std::vector<LaNotification>> LaReturns::Queue(const Principal& who) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kReadLaNotifications, {}));
  }
  const Date today = school_.clock().Today();
  const std::map<int64_t, std::vector<AlertReturn>> alerts = AlertReturns(today);
  store::Store& store = school_.store();
  ASSIGN_OR_RETURN(std::vector<store::NotificationEvent> events, store.NotificationEvents());
  ASSIGN_OR_RETURN(std::vector<store::CmeCase> cases, store.ListCmeCases(true));
  ASSIGN_OR_RETURN(std::vector<store::SupportEvent> support, store.AllSupportEvents());
  std::vector<LaNotification> out;
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    const core::Calendar& calendar = snap.scenario.calendar;
    const Date year_start = core::StatisticsPeriod(today).from;
    const int32_t first_session = calendar.FirstSessionOnOrAfter(year_start);
    const Date first_school_day = first_session < calendar.SessionCount()
                                      ? calendar.SessionAt(first_session).date
                                      : year_start;
    int youngest = 99;
    for (const store::Pupil& p : snap.pupils) youngest = std::min(youngest, p.year_group);
    // `from`: the day the duty arose, which the due date counts from
    // (core::LaReturnDue); the trigger names the notification.
    auto add = [&](core::LaReturnKind kind, const char* title, const store::Pupil& p, Date trigger,
                   Date from, std::string content) {
      out.push_back({store::NotificationKey(kind, p.id, trigger), kind, title, p.id, DisplayName(p),
                     p.upn, trigger, core::LaReturnDue(calendar, kind, from), std::move(content),
                     core::LaReturnStatus::kDue, std::nullopt, std::nullopt});
    };
    for (const store::Pupil& p : snap.pupils) {
      for (const store::Enrolment& e : p.enrolments) {
        // The youngest year's first day is the school's normal intake, not
        // a new admission to tell the LA about.
        const bool on_day_one = e.start <= first_school_day && p.year_group == youngest;
        if (e.start >= year_start && e.start <= today && !on_day_one) {
          add(core::LaReturnKind::kNewAdmission, "New pupil on the admission register", p, e.start,
              e.start,
              fmt::format("Joined on {} in Year {}; UPN {}", LongDate(e.start), p.year_group,
                          p.upn));
        }
        if (e.end && *e.end >= year_start && *e.end <= today.AddDays(14)) {
          DeletionNotice notice = DeletionNoticeOf(p, e);
          add(core::LaReturnKind::kDeletion, "Deletion from the admission register", p, *e.end,
              *e.end, fmt::format("{}", fmt::join(DeletionLines(notice), "; ")));
          out.back().deletion = std::move(notice);
        }
      }
      auto fired = alerts.find(p.id);
      if (fired == alerts.end()) continue;
      for (const AlertReturn& a : fired->second) {
        switch (a.kind) {
          case core::LaReturnKind::kSickness:
            add(a.kind, "Sickness return: 15 school days' illness", p, a.at, a.at,
                fmt::format("{} of illness (I) this year by {}", Plural(a.sessions, "session"),
                            LongDate(a.at)));
            break;
          case core::LaReturnKind::kContinuousAbsence:
            add(a.kind, "Attendance return: 10 continuous school days", p, a.at, a.at,
                fmt::format("10 continuous school days of unauthorised absence to {}",
                            LongDate(a.at)));
            break;
          case core::LaReturnKind::kPersistentLateness:
            add(a.kind, "Persistent lateness referral", p, a.at, a.at,
                fmt::format("{} this year by {}", Plural(a.sessions, "late session"),
                            LongDate(a.at)));
            break;
          case core::LaReturnKind::kNewAdmission:
          case core::LaReturnKind::kDeletion:
          case core::LaReturnKind::kPartTimeTimetable:
          case core::LaReturnKind::kPersistentAbsence:
          case core::LaReturnKind::kCmeReferral:
            break;  // not from an alert
        }
      }
    }
    for (const store::PartTimeTimetable& t : snap.part_time) {
      auto it = snap.pupil_index.find(t.pupil_id);
      if (it == snap.pupil_index.end() || t.start < year_start) continue;
      // As last reviewed, today: the end in force and whether it was cancelled.
      const core::TimetableState state =
          core::TimetableStateOn({t.start, t.end, t.review_date},
                                 store::TimetableReviewsOf(t, snap.part_time_reviews), today);
      if (state.status == core::TimetableStatus::kCancelled) continue;
      const store::Pupil& p = snap.pupils[it->second];
      // Due from the day it was agreed: the LA hears of it before it starts.
      add(core::LaReturnKind::kPartTimeTimetable, "Part-time timetable", p, t.start, t.agreed_on,
          fmt::format(
              "Attends {} ({} of 10 sessions a week) from {} to {}; agreed {} with {}; "
              "reason: {}; next review {}",
              core::TimetablePattern{t.attends}.ToString(),
              core::TimetablePattern{t.attends}.SessionsPerWeek(), LongDate(t.start),
              LongDate(state.end), LongDate(t.agreed_on), t.agreed_with, t.reason,
              state.next_review ? LongDate(*state.next_review) : std::string("none (ended)")));
    }
    for (const store::SupportEvent& e : support) {
      if (e.kind != store::SupportKind::kReview ||
          e.outcome != core::ImprovementOutcome::kNotImproved || e.held_on < year_start) {
        continue;
      }
      auto it = snap.pupil_index.find(e.pupil_id);
      if (it == snap.pupil_index.end()) continue;
      add(core::LaReturnKind::kPersistentAbsence,
          "Persistent absence referral: support has not improved attendance",
          snap.pupils[it->second], e.held_on, e.held_on,
          fmt::format("Action plan reviewed {}: attendance {} in the six weeks before the plan, "
                      "{} since; {}",
                      LongDate(e.held_on), e.attendance_before, e.attendance_after,
                      e.notes.empty() ? std::string("no notes") : e.notes));
    }
    for (const store::CmeCase& c : cases) {
      auto it = snap.pupil_index.find(c.pupil_id);
      if (it == snap.pupil_index.end()) continue;
      add(core::LaReturnKind::kCmeReferral, "Children missing education: reasonable-enquiries form",
          snap.pupils[it->second], c.first_day, c.first_day,
          fmt::format("Absent with no contact since {}", LongDate(c.first_day)));
    }
  }
  for (LaNotification& n : out) {
    for (const store::NotificationEvent& e : events) {
      if (e.notification == n.key) n.last = e;
    }
    n.status =
        core::LaReturnStatusOn(n.due, n.last ? std::optional(n.last->status) : std::nullopt, today);
  }
  // What needs doing first: overdue, due, sent (awaiting the LA), done; the
  // statuses are declared in that order (core/la_returns.h).
  std::sort(out.begin(), out.end(), [&](const LaNotification& a, const LaNotification& b) {
    return std::make_tuple(a.status, a.due, a.key) < std::make_tuple(b.status, b.due, b.key);
  });
  return out;
}

core::Status LaReturns::Mark(const Principal& who, const std::string& key,
                             core::LaReturnStatus status, const std::string& note) {
  const bool sent = status == core::LaReturnStatus::kSent;
  if (!sent && status != core::LaReturnStatus::kAcknowledged) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "a notification is marked sent or acknowledged");
  }
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(
        who, sent ? Action::kSendLaNotification : Action::kAcknowledgeLaNotification, {}));
  }
  if (note.size() > 2000) {
    return core::InvalidArgument(core::kErrValueInvalid, "'note' is longer than 2000 characters");
  }
  ASSIGN_OR_RETURN(std::vector<LaNotification> list, Queue(who));
  auto it =
      std::find_if(list.begin(), list.end(), [&](const LaNotification& n) { return n.key == key; });
  if (it == list.end()) {
    return core::NotFound(core::kErrNotFound, "no LA notification '" + key + "'");
  }
  // Where it stands is read again under the writer's lock, so that two
  // people marking it at once cannot both send it.
  const auto write = school_.BeginWrite();
  store::Store& store = school_.store();
  ASSIGN_OR_RETURN(std::vector<store::NotificationEvent> events, store.NotificationEvents());
  std::optional<core::LaReturnStatus> recorded;
  for (const store::NotificationEvent& e : events) {
    if (e.notification == key) recorded = e.status;
  }
  const core::LaReturnStatus now_status =
      core::LaReturnStatusOn(it->due, recorded, school_.clock().Today());
  if (!sent && now_status != core::LaReturnStatus::kSent) {
    return core::Conflict(core::kErrNotificationNotSent,
                          "the school has not sent this notification yet");
  }
  if (sent && (now_status == core::LaReturnStatus::kSent ||
               now_status == core::LaReturnStatus::kAcknowledged)) {
    return core::Conflict(core::kErrNotificationSent, "this notification was already sent");
  }
  store::NotificationEvent e{.notification = key,
                             .status = status,
                             .at = school_.clock().NowSeconds(),
                             .by_user_id = who.user_id,
                             .by_name = who.name,
                             .by_role = who.role,
                             .note = note};
  return store.AddNotificationEvent(e).status();
}

}  // namespace rollcall::service
