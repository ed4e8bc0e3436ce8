#include "core/forecast.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/codes.h"
#include "core/error_codes.h"
#include "core/evaluate.h"
#include "core/pupil_sessions.h"

namespace rollcall::core {

namespace {

constexpr int32_t kTrendWeeks = 6;
constexpr int32_t kPatternDays = 365;
// Features whose share of the log-odds is below this are not named as reasons.
constexpr double kReasonFloor = 0.1;
// Ridge penalty on the standardised weights (not the bias).
constexpr double kRidge = 1.0;
constexpr int kMaxNewtonSteps = 100;

size_t Idx(ForecastFeature f) { return static_cast<size_t>(f); }

// absences per 100 possible sessions; nullopt without possible sessions.
std::optional<double> Rate(const SessionCounts& counts) {
  return Percent(counts.absence, counts.possible);
}

// The weekday before and after `date`, skipping the weekend.
Date PreviousWeekday(Date date) {
  return date.AddDays(date.weekday() == Weekday::kMonday ? -3 : -1);
}
Date NextWeekday(Date date) { return date.AddDays(date.weekday() == Weekday::kFriday ? 3 : 1); }

// A school day whose neighbouring weekday on either side is not a school day.
bool NextToBreak(const Calendar& calendar, Date date) {
  return !calendar.IsSchoolDay(PreviousWeekday(date)) || !calendar.IsSchoolDay(NextWeekday(date));
}

bool IsUnexplained(AttendanceCode code) {
  return code == AttendanceCode::kNoReasonYet || code == AttendanceCode::kOtherUnauthorised ||
         code == AttendanceCode::kLateAfterClose || code == AttendanceCode::kHolidayNotGranted;
}

std::string Pct(double value) { return fmt::format("{:.0f}%", value); }

std::string ReasonWords(ForecastFeature feature, const ForecastInputs& in) {
  switch (feature) {
    case ForecastFeature::kYearRate:
      return fmt::format("Missed {} of sessions this year ({} of {})",
                         Pct(Rate(in.year).value_or(0)), in.year.absence, in.year.possible);
    case ForecastFeature::kTrend:
      return fmt::format("Absence rising: {} in the last six weeks against {} before",
                         Pct(Rate(in.recent).value_or(0)), Pct(Rate(in.before_recent).value_or(0)));
    case ForecastFeature::kMondayFriday: {
      const int64_t absences = in.monday_friday.absence + in.other_weekdays.absence;
      return fmt::format("{} of {} absences on Mondays or Fridays in the last twelve months",
                         in.monday_friday.absence, absences);
    }
    case ForecastFeature::kHolidayAdjacent:
      return fmt::format(
          "Missed {} of {} sessions next to a holiday or closure in the last twelve months",
          in.next_to_break.absence, in.next_to_break.possible);
    case ForecastFeature::kLastYear: {
      const PriorYear prior = in.last_year.value_or(PriorYear{});
      return fmt::format("Missed {} of sessions last year{}",
                         Pct(Percent(prior.absence, prior.possible).value_or(0)),
                         in.last_year_from_marks ? "" : " (as recorded by the school then)");
    }
    case ForecastFeature::kUnexplained:
      return fmt::format("{} session{} this year with no reason accepted (N, O, U or G)",
                         in.unexplained, in.unexplained == 1 ? "" : "s");
  }
  Unreachable();
}

// Solves a * x = b in place by Gaussian elimination with partial pivoting;
// false when a is singular.
template <size_t N>
bool Solve(std::array<std::array<double, N>, N>& a, std::array<double, N>& b) {
  for (size_t col = 0; col < N; ++col) {
    size_t pivot = col;
    for (size_t row = col + 1; row < N; ++row) {
      if (std::fabs(a[row][col]) > std::fabs(a[pivot][col])) pivot = row;
    }
    if (std::fabs(a[pivot][col]) < 1e-300) return false;
    std::swap(a[col], a[pivot]);
    std::swap(b[col], b[pivot]);
    for (size_t row = col + 1; row < N; ++row) {
      const double factor = a[row][col] / a[col][col];
      for (size_t k = col; k < N; ++k) a[row][k] -= factor * a[col][k];
      b[row] -= factor * b[col];
    }
  }
  for (size_t col = N; col-- > 0;) {
    double sum = b[col];
    for (size_t k = col + 1; k < N; ++k) sum -= a[col][k] * b[k];
    b[col] = sum / a[col][col];
  }
  return true;
}

double Sigmoid(double t) {
  if (t >= 0) return 1.0 / (1.0 + std::exp(-t));
  const double e = std::exp(t);
  return e / (1.0 + e);
}

// Area under the ROC curve: the chance that a random positive scores above a
// random negative, ties counting half (ranks averaged over ties).
std::optional<double> Auc(std::vector<std::pair<double, bool>> scored) {
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  double positive_rank_sum = 0;
  int64_t positives = 0;
  for (size_t i = 0; i < scored.size();) {
    size_t j = i;
    while (j < scored.size() && scored[j].first == scored[i].first) ++j;
    const double mean_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (size_t k = i; k < j; ++k) {
      if (scored[k].second) {
        positive_rank_sum += mean_rank;
        ++positives;
      }
    }
    i = j;
  }
  const int64_t negatives = static_cast<int64_t>(scored.size()) - positives;
  if (positives == 0 || negatives == 0) return std::nullopt;
  const double p = static_cast<double>(positives);
  return (positive_rank_sum - p * (p + 1) / 2.0) / (p * static_cast<double>(negatives));
}

ForecastMeasure Measure(std::span<const ForecastExample> examples, const std::vector<bool>& flagged,
                        std::vector<double> scores) {
  ForecastMeasure m;
  std::vector<std::pair<double, bool>> scored;
  scored.reserve(examples.size());
  for (size_t i = 0; i < examples.size(); ++i) {
    const bool positive = examples[i].persistent_absence;
    ++m.pupils;
    if (positive) ++m.positives;
    if (flagged[i]) ++m.flagged;
    if (flagged[i] && positive) ++m.true_positives;
    scored.emplace_back(scores[i], positive);
  }
  if (m.flagged > 0) {
    m.precision = static_cast<double>(m.true_positives) / static_cast<double>(m.flagged);
  }
  if (m.positives > 0) {
    m.recall = static_cast<double>(m.true_positives) / static_cast<double>(m.positives);
  }
  m.auc = Auc(std::move(scored));
  return m;
}

}  // namespace

std::string_view ForecastFeatureKey(ForecastFeature feature) {
  switch (feature) {
    case ForecastFeature::kYearRate:
      return "year_rate";
    case ForecastFeature::kTrend:
      return "trend";
    case ForecastFeature::kMondayFriday:
      return "monday_friday";
    case ForecastFeature::kHolidayAdjacent:
      return "holiday_adjacent";
    case ForecastFeature::kLastYear:
      return "last_year";
    case ForecastFeature::kUnexplained:
      return "unexplained";
  }
  Unreachable();
}

ForecastInputs ForecastInputsFor(const Scenario& scenario, size_t pupil_idx, Date as_of,
                                 DayPart part, std::optional<PriorYear> recorded) {
  const Calendar& calendar = scenario.calendar;
  const std::vector<PupilSession> sessions =
      BuildPupilSessions(calendar, scenario.pupils[pupil_idx], scenario.marks[pupil_idx],
                         scenario.default_mark, as_of, part);
  ForecastInputs in;
  in.as_of = as_of;
  const Period year = StatisticsPeriod(as_of);
  in.year = CountSessions(calendar, sessions, year);

  // The last six school weeks: those of the last session that counts and the
  // five before it.
  const int32_t end = SessionsEnd(calendar, as_of, part);
  const int32_t last_week = end > 0 ? calendar.SchoolWeekOf(end - 1) : 0;
  const int32_t year_begin = calendar.FirstSessionOnOrAfter(year.from);
  const Date pattern_from = as_of.AddDays(-(kPatternDays - 1));
  for (const PupilSession& s : sessions) {
    const Date date = calendar.SessionAt(s.index).date;
    if (date >= pattern_from) {
      const Weekday day = date.weekday();
      const bool monday_friday = day == Weekday::kMonday || day == Weekday::kFriday;
      (monday_friday ? in.monday_friday : in.other_weekdays).Add(s.code);
      (NextToBreak(calendar, date) ? in.next_to_break : in.not_next_to_break).Add(s.code);
    }
    if (s.index < year_begin) continue;
    (calendar.SchoolWeekOf(s.index) > last_week - kTrendWeeks ? in.recent : in.before_recent)
        .Add(s.code);
    if (s.code && IsUnexplained(*s.code)) ++in.unexplained;
  }

  const Date last_year_start = year.from.YearsEarlier(1);
  const SessionCounts last =
      CountSessions(calendar, sessions, Period{last_year_start, year.from.AddDays(-1)});
  if (last.possible > 0) {
    in.last_year = PriorYear{.possible = last.possible, .absence = last.absence};
    in.last_year_from_marks = true;
  } else if (recorded && recorded->possible > 0) {
    in.last_year = recorded;
  }
  return in;
}

ForecastValues FeatureValues(const ForecastInputs& in) {
  ForecastValues v;
  v[Idx(ForecastFeature::kYearRate)] = Rate(in.year).value_or(0);
  const std::optional<double> recent = Rate(in.recent);
  const std::optional<double> before = Rate(in.before_recent);
  v[Idx(ForecastFeature::kTrend)] = recent && before ? *recent - *before : 0;
  const std::optional<double> mf = Rate(in.monday_friday);
  const std::optional<double> other = Rate(in.other_weekdays);
  v[Idx(ForecastFeature::kMondayFriday)] = mf && other ? *mf - *other : 0;
  const std::optional<double> near = Rate(in.next_to_break);
  const std::optional<double> far = Rate(in.not_next_to_break);
  v[Idx(ForecastFeature::kHolidayAdjacent)] = near && far ? *near - *far : 0;
  if (in.last_year) {
    v[Idx(ForecastFeature::kLastYear)] = Percent(in.last_year->absence, in.last_year->possible);
  }
  v[Idx(ForecastFeature::kUnexplained)] = Percent(in.unexplained, in.year.possible).value_or(0);
  return v;
}

double ForecastLogOdds(const ForecastModel& model, const ForecastValues& values) {
  double t = model.bias;
  for (size_t j = 0; j < kForecastFeatures; ++j) {
    if (values[j]) t += model.weight[j] * (*values[j] - model.mean[j]) / model.scale[j];
  }
  return t;
}

double ForecastChance(const ForecastModel& model, const ForecastValues& values) {
  return Sigmoid(ForecastLogOdds(model, values));
}

Forecast ForecastFrom(const ForecastModel& model, const ForecastInputs& inputs,
                      size_t max_reasons) {
  const ForecastValues values = FeatureValues(inputs);
  Forecast forecast;
  forecast.chance = ForecastChance(model, values);
  for (size_t j = 0; j < kForecastFeatures; ++j) {
    if (!values[j]) continue;
    // A reason is a figure above the usual that raises the chance: a feature
    // with a negative weight, or one below its mean, is never named.
    const double above_mean = *values[j] - model.mean[j];
    if (model.weight[j] <= 0 || above_mean <= 0) continue;
    const double contribution = model.weight[j] * above_mean / model.scale[j];
    if (contribution < kReasonFloor) continue;
    const auto feature = static_cast<ForecastFeature>(j);
    forecast.reasons.push_back({feature, contribution, ReasonWords(feature, inputs)});
  }
  std::stable_sort(forecast.reasons.begin(), forecast.reasons.end(),
                   [](const ForecastReason& a, const ForecastReason& b) {
                     return a.contribution > b.contribution;
                   });
  if (forecast.reasons.size() > max_reasons) forecast.reasons.resize(max_reasons);
  return forecast;
}

std::optional<Date> AutumnHalfTermCutOff(const Calendar& calendar, Date year_end) {
  const Date year_start = year_end.AcademicYearStart();
  std::optional<Date> cut_off;
  for (const Term& term : calendar.terms()) {
    if (term.start < year_start || term.start > year_end) continue;
    if (!cut_off || term.end < *cut_off) cut_off = term.end;
  }
  // The term's last school day (a term written to end on a Sunday ends, for
  // the registers, on its Friday).
  while (cut_off && *cut_off >= year_start && !calendar.IsSchoolDay(*cut_off)) {
    cut_off = cut_off->AddDays(-1);
  }
  if (cut_off && *cut_off < year_start) return std::nullopt;
  return cut_off;
}

std::vector<ForecastExample> ForecastExamples(const Scenario& scenario, Date cut_off,
                                              Date year_end) {
  std::vector<ForecastExample> examples;
  for (size_t pupil_idx = 0; pupil_idx < scenario.pupils.size(); ++pupil_idx) {
    const PupilRecord& pupil = scenario.pupils[pupil_idx];
    if (!pupil.OnRollOn(cut_off) || !pupil.OnRollOn(year_end)) continue;
    const ForecastInputs inputs = ForecastInputsFor(scenario, pupil_idx, cut_off);
    if (inputs.year.possible < kForecastMinPossible) continue;
    ForecastExample example;
    example.values = FeatureValues(inputs);
    example.baseline = IsPersistentAbsence(inputs.year, scenario.policy);
    example.persistent_absence =
        EvaluatePupil(scenario, pupil_idx, year_end, DayPart::kWholeDay).persistent_absence;
    examples.push_back(example);
  }
  return examples;
}

StatusOr<ForecastModel> FitForecastModel(std::span<const ForecastExample> examples) {
  ForecastModel model;
  for (const ForecastExample& e : examples) {
    ++model.examples;
    if (e.persistent_absence) ++model.positives;
  }
  if (model.positives == 0 || model.positives == model.examples) {
    return InvalidArgument(kErrValueInvalid,
                           fmt::format("cannot fit the forecast: {} pupils of whom {} "
                                       "persistently absent; both kinds are needed",
                                       model.examples, model.positives));
  }
  // Standardise each feature over the examples that know it.
  for (size_t j = 0; j < kForecastFeatures; ++j) {
    double sum = 0;
    int64_t n = 0;
    for (const ForecastExample& e : examples) {
      if (e.values[j]) {
        sum += *e.values[j];
        ++n;
      }
    }
    const double mean = n > 0 ? sum / static_cast<double>(n) : 0;
    double squares = 0;
    for (const ForecastExample& e : examples) {
      if (e.values[j]) squares += (*e.values[j] - mean) * (*e.values[j] - mean);
    }
    const double sd = n > 0 ? std::sqrt(squares / static_cast<double>(n)) : 0;
    model.mean[j] = mean;
    model.scale[j] = sd > 1e-9 ? sd : 1.0;
  }
  constexpr size_t kN = kForecastFeatures + 1;  // the bias first
  std::vector<std::array<double, kN>> z;
  z.reserve(examples.size());
  for (const ForecastExample& e : examples) {
    std::array<double, kN> row{};
    row[0] = 1.0;
    for (size_t j = 0; j < kForecastFeatures; ++j) {
      row[j + 1] = e.values[j] ? (*e.values[j] - model.mean[j]) / model.scale[j] : 0.0;
    }
    z.push_back(row);
  }
  std::array<double, kN> beta{};
  for (int step = 0; step < kMaxNewtonSteps; ++step) {
    std::array<std::array<double, kN>, kN> hessian{};
    std::array<double, kN> gradient{};
    for (size_t i = 0; i < z.size(); ++i) {
      double t = 0;
      for (size_t k = 0; k < kN; ++k) t += beta[k] * z[i][k];
      const double p = Sigmoid(t);
      const double w = p * (1 - p);
      const double residual = (examples[i].persistent_absence ? 1.0 : 0.0) - p;
      for (size_t a = 0; a < kN; ++a) {
        gradient[a] += z[i][a] * residual;
        for (size_t b = 0; b < kN; ++b) hessian[a][b] += w * z[i][a] * z[i][b];
      }
    }
    for (size_t k = 1; k < kN; ++k) {
      hessian[k][k] += kRidge;
      gradient[k] -= kRidge * beta[k];
    }
    if (!Solve(hessian, gradient)) {
      return Internal(kErrInternal, "cannot fit the forecast: the features are degenerate");
    }
    double largest = 0;
    for (size_t k = 0; k < kN; ++k) {
      beta[k] += gradient[k];
      largest = std::max(largest, std::fabs(gradient[k]));
    }
    if (largest < 1e-12) break;
  }
  model.bias = beta[0];
  for (size_t j = 0; j < kForecastFeatures; ++j) model.weight[j] = beta[j + 1];
  return model;
}

std::string ForecastModelInclude(const ForecastModel& model, std::string_view source) {
  auto list = [](const std::array<double, kForecastFeatures>& values) {
    std::string out;
    for (size_t j = 0; j < values.size(); ++j) {
      out += fmt::format("{}{:.6g}", j == 0 ? "" : ", ", values[j]);
    }
    return out;
  };
  std::string keys;
  for (size_t j = 0; j < kForecastFeatures; ++j) {
    keys += fmt::format("{}{}", j == 0 ? "" : ", ",
                        ForecastFeatureKey(static_cast<ForecastFeature>(j)));
  }
  return fmt::format(
      "// forecast_model.inc: the early-warning model (core/forecast.h), written by\n"
      "// `rollcall forecast train`; do not edit by hand.\n"
      "// {}\n"
      "// {} pupils, {} of them persistently absent at the end of the year.\n"
      "// Features: {}.\n"
      "{{\n"
      "    .mean = {{{{{}}}}},\n"
      "    .scale = {{{{{}}}}},\n"
      "    .weight = {{{{{}}}}},\n"
      "    .bias = {:.6g},\n"
      "    .examples = {},\n"
      "    .positives = {},\n"
      "}}\n",
      source, model.examples, model.positives, keys, list(model.mean), list(model.scale),
      list(model.weight), model.bias, model.examples, model.positives);
}

const ForecastModel& ShippedForecastModel() {
  static const ForecastModel model =
#include "core/forecast_model.inc"
      ;
  return model;
}

ForecastMeasure MeasureModel(const ForecastModel& model,
                             std::span<const ForecastExample> examples) {
  std::vector<bool> flagged;
  std::vector<double> scores;
  for (const ForecastExample& e : examples) {
    const double chance = ForecastChance(model, e.values);
    flagged.push_back(chance >= kForecastListCutOff);
    scores.push_back(chance);
  }
  return Measure(examples, flagged, std::move(scores));
}

ForecastMeasure MeasureBaseline(std::span<const ForecastExample> examples) {
  std::vector<bool> flagged;
  std::vector<double> scores;
  for (const ForecastExample& e : examples) {
    flagged.push_back(e.baseline);
    scores.push_back(e.values[Idx(ForecastFeature::kYearRate)].value_or(0));
  }
  return Measure(examples, flagged, std::move(scores));
}

}  // namespace rollcall::core
