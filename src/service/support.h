// support.h
//
// The graduated approach to a pupil's attendance: the stage rollcall
// suggests from the pupil's figures (core/graduated.h) and the one staff
// confirm, attendance panel meetings, action plans and their reviews. A
// review quotes the pupil's attendance in the six weeks before the plan and
// since it, counted by the rules core, so the figures are the register's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/graduated.h"
#include "core/status.h"
#include "service/access.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::service {

struct SupportView {
  core::StageSuggestion suggested;
  std::vector<store::StageRecord> history;  // oldest first
  std::vector<store::SupportEvent> events;  // oldest first
  // The latest confirmed stage; "expect" until staff confirm one.
  core::SupportStage current = core::SupportStage::kExpect;
  bool confirmed = false;
  bool may_work = false;  // the reader may confirm stages and record events
};

// A stage as staff confirm it (text fields, checked here).
struct StageRequest {
  int64_t pupil_id = 0;
  std::string stage;  // a core::StageKey, e.g. "monitor"
  std::string reason;
};

// A panel meeting, an action plan or a review, as entered. Fields that only
// one kind needs are optional: nullopt when not given.
struct SupportEventRequest {
  int64_t pupil_id = 0;
  std::string kind;     // "panel_meeting", "action_plan" or "review"
  std::string held_on;  // YYYY-MM-DD; "" for today
  std::string notes, attendees, targets, support_offered;
  std::optional<std::string> review_date;  // action plans: YYYY-MM-DD
  std::optional<int64_t> plan_id;          // reviews: the plan reviewed
  std::optional<std::string> outcome;      // reviews: "improved" or "not_improved"
};

// An action plan whose review is due.
struct ReviewDue {
  int64_t pupil_id = 0;
  std::string pupil_name;
  store::SupportEvent plan;
  bool overdue = false;  // the review date has passed
};

class Support {
 public:
  explicit Support(School& school) : school_(school) {}

  // A pupil's stage, suggestion, history and events, for those who may read
  // them (kReadSupport).
  core::StatusOr<SupportView> Of(const Principal& who, int64_t pupil_id);
  // Confirms a pupil's stage, as `who`, now, with the reason.
  core::StatusOr<store::StageRecord> ConfirmStage(const Principal& who, const StageRequest& r);
  // Records a panel meeting (held, with who attended and notes), an action
  // plan (targets, support offered, a review date within a year) or a
  // review of one (its outcome, and the attendance figures it quotes).
  core::StatusOr<store::SupportEvent> AddEvent(const Principal& who, const SupportEventRequest& r);
  // Action plans not yet reviewed whose review date is at most a week away
  // (or past), of the pupils whose support `who` may read, oldest first.
  core::StatusOr<std::vector<ReviewDue>> ReviewsDue(const Principal& who);

  // Every intervention since `since`: contact log entries made from then and
  // every support record, for the dashboards' attendance before and after
  // each kind (figures only, so anyone who may see the school's figures).
  struct Interventions {
    std::vector<store::ContactLogEntry> contacts;
    std::vector<store::SupportEvent> support;
  };
  core::StatusOr<Interventions> InterventionsSince(const Principal& who, core::Date since);

 private:
  School& school_;
};

}  // namespace rollcall::service
