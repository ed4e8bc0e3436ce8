// forecast.h
//
// Early warning: the chance that a pupil ends the academic year persistently
// absent, with the few reasons that drive it, in words. Six features come
// from the pupil's marks as of a day, counted by the rules core itself
// (BuildPupilSessions and SessionCounts, so a "missed 14%" here is the same
// 14% as the pupil's attendance figure):
//
//   year rate         absences / possible sessions this academic year so far
//   trend             the rate over the last six school weeks minus the rate
//                     over the rest of this year (0 while there is no "before")
//   Mondays, Fridays  the absence rate on Mondays and Fridays minus the rate on
//                     the other days, over the last twelve months
//   holidays          the absence rate on the school days next to a break (the
//                     day before or after a holiday, half-term or closure)
//                     minus the rate on the other days, last twelve months
//   last year         absences / possible last academic year: from the marks
//                     when the scenario holds them, else from the figures the
//                     school recorded (a previous school's, by transfer file);
//                     unknown for neither
//   unexplained       N, O, U and G sessions per possible session this year
//
// All in percentage points. A logistic model turns them into a chance:
// chance = sigmoid(b + sum w_j z_j) with z_j = (x_j - mean_j) / scale_j; an
// unknown feature has z = 0 and so adds nothing. The reasons are the features
// whose w_j z_j raise this pupil's log-odds most. docs/early-warning.md
// describes the training data and the measured precision and recall.
//
// Pure and deterministic: fitting uses a fixed number of Newton steps in a
// fixed order, so the same examples give the same model on any machine.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/scenario.h"
#include "core/statistics.h"
#include "core/status.h"

namespace rollcall::core {

enum class ForecastFeature : uint8_t {
  kYearRate = 0,
  kTrend = 1,
  kMondayFriday = 2,
  kHolidayAdjacent = 3,
  kLastYear = 4,
  kUnexplained = 5,
};
inline constexpr size_t kForecastFeatures = 6;
// Short names, used as keys in the model file and in JSON: "year_rate", ...
std::string_view ForecastFeatureKey(ForecastFeature feature);

// A year's figures the school recorded without the marks (e.g. from the
// pupil's previous school).
struct PriorYear {
  int64_t possible = 0;
  int64_t absence = 0;
};

// What the features are made of, each counted by SessionCounts.
struct ForecastInputs {
  Date as_of;
  SessionCounts year;           // this academic year up to as_of
  SessionCounts recent;         // this year's sessions in the last six school weeks
  SessionCounts before_recent;  // this year's sessions before those weeks
  // Pattern window: the twelve months up to as_of.
  SessionCounts monday_friday;
  SessionCounts other_weekdays;
  SessionCounts next_to_break;  // sessions on a school day next to a break
  SessionCounts not_next_to_break;
  // Last academic year: from the marks (last_year_from_marks) or recorded.
  std::optional<PriorYear> last_year;
  bool last_year_from_marks = false;
  int64_t unexplained = 0;  // N, O, U and G sessions this year
};

// The inputs of pupils[pupil_idx] as of `as_of` and `part`. `recorded` is the
// pupil's recorded figure for the academic year before as_of's, used when the
// scenario has no possible session of that year for the pupil.
ForecastInputs ForecastInputsFor(const Scenario& scenario, size_t pupil_idx, Date as_of,
                                 DayPart part = DayPart::kWholeDay,
                                 std::optional<PriorYear> recorded = std::nullopt);

// The feature values in percentage points; nullopt for an unknown last year.
using ForecastValues = std::array<std::optional<double>, kForecastFeatures>;
ForecastValues FeatureValues(const ForecastInputs& inputs);

struct ForecastModel {
  std::array<double, kForecastFeatures> mean{};
  std::array<double, kForecastFeatures> scale{};  // standard deviation; 1 when it was 0
  std::array<double, kForecastFeatures> weight{};
  double bias = 0;
  // What it was trained on, for the model file and the docs.
  int64_t examples = 0;
  int64_t positives = 0;
};

// sigmoid(b + sum w_j z_j) of `values` under `model`.
double ForecastLogOdds(const ForecastModel& model, const ForecastValues& values);
double ForecastChance(const ForecastModel& model, const ForecastValues& values);

// The model the product uses: src/core/forecast_model.inc, written by
// `rollcall forecast train`.
const ForecastModel& ShippedForecastModel();

// The chance at or above which a pupil is on the early-warning list.
inline constexpr double kForecastListCutOff = 0.5;
// A forecast needs this many possible sessions this academic year (two
// school weeks): before then a single absence is too large a share of the
// year to say anything about it.
inline constexpr int64_t kForecastMinPossible = 20;

struct ForecastReason {
  ForecastFeature feature;
  double contribution = 0;  // to the log-odds
  std::string words;        // "Missed 14% of sessions this year (9 of 64)"
};

struct Forecast {
  double chance = 0;                    // 0-1
  std::vector<ForecastReason> reasons;  // largest contribution first
};

// The reasons are the features above their mean, with a positive weight, that
// add at least 0.1 to the log-odds: at most `max_reasons`, largest first
// (ties in feature order).
Forecast ForecastFrom(const ForecastModel& model, const ForecastInputs& inputs,
                      size_t max_reasons = 3);

// Training: one pupil's features at the cut-off and whether the pupil was
// persistently absent at the end of the year.
struct ForecastExample {
  ForecastValues values;
  bool persistent_absence = false;
  bool baseline = false;  // persistently absent already at the cut-off
};

// The Friday (or last school day) before October half-term of the academic
// year containing `year_end`: the last day of the first term that starts in
// that year. Nullopt when the calendar has no such term.
std::optional<Date> AutumnHalfTermCutOff(const Calendar& calendar, Date year_end);

// One example per pupil on roll on both `cut_off` and `year_end` with at
// least kForecastMinPossible possible sessions by the cut-off; the label is
// the core's persistent-absence flag evaluated on `year_end`.
std::vector<ForecastExample> ForecastExamples(const Scenario& scenario, Date cut_off,
                                              Date year_end);

// Logistic regression on standardised features by Newton's method
// (iteratively reweighted least squares) with a small ridge penalty on the
// weights. InvalidArgument when there are no examples or only one class.
StatusOr<ForecastModel> FitForecastModel(std::span<const ForecastExample> examples);

// The model as the C++ include file src/core/forecast_model.inc; `source`
// says how it was made (one comment line).
std::string ForecastModelInclude(const ForecastModel& model, std::string_view source);

struct ForecastMeasure {
  int64_t pupils = 0;
  int64_t positives = 0;  // persistently absent at year end
  int64_t flagged = 0;    // on the list
  int64_t true_positives = 0;
  std::optional<double> precision;  // nullopt when nothing is flagged
  std::optional<double> recall;     // nullopt when there are no positives
  std::optional<double> auc;        // nullopt with one class only
};

// The model's list (chance >= kForecastListCutOff) and its AUC on `examples`.
ForecastMeasure MeasureModel(const ForecastModel& model, std::span<const ForecastExample> examples);
// The plain baseline: flagged when already persistently absent at the
// cut-off; AUC ranks by the year rate so far.
ForecastMeasure MeasureBaseline(std::span<const ForecastExample> examples);

}  // namespace rollcall::core
