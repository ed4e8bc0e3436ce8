#include "io/policy_json.h"

#include <fmt/format.h>

#include <limits>

#include "core/error_codes.h"
#include "core/leave.h"
#include "io/quote.h"

namespace rollcall::io {
namespace {

using core::InvalidArgument;
using core::Status;
using core::StatusOr;
using nlohmann::json;
using Literals = std::unordered_map<std::string, std::string>;

Status CheckKeys(const json& object, std::initializer_list<std::string_view> allowed,
                 const JsonPath& path) {
  if (!object.is_object()) return PathError(core::kErrJsonType, path, "must be an object");
  for (const auto& item : object.items()) {
    bool known = false;
    for (std::string_view key : allowed) known = known || item.key() == key;
    if (!known)
      return PathError(core::kErrUnknownKey, path.Entry(item.key()), "unknown policy key");
  }
  return core::OkStatus();
}

// A positive integer written without fraction or exponent (0 allowed when
// `allow_zero`). Values past int64 saturate: no count can reach them.
StatusOr<int64_t> ParseCount(const json& value, const JsonPath& path, bool allow_zero) {
  const char* expected =
      allow_zero ? "must be a whole number, 0 or more" : "must be a positive whole number";
  if (!value.is_number_integer()) return PathError(core::kErrValueInvalid, path, expected);
  if (value.is_number_unsigned()) {
    uint64_t u = value.get<uint64_t>();
    if (u == 0 && !allow_zero) return PathError(core::kErrValueInvalid, path, expected);
    return u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())
               ? std::numeric_limits<int64_t>::max()
               : static_cast<int64_t>(u);
  }
  int64_t v = value.get<int64_t>();
  if (v < 0 || (v == 0 && !allow_zero)) return PathError(core::kErrValueInvalid, path, expected);
  return v;
}

StatusOr<core::Decimal> ParsePercent(const json& value, const Literals& literals,
                                     const JsonPath& path) {
  if (!value.is_number())
    return PathError(core::kErrValueInvalid, path, "must be a number from 0 to 100");
  std::string literal;
  if (value.is_number_float()) {
    auto it = literals.find(path.ToPointer());
    literal = it != literals.end() ? it->second : value.dump();
  } else {
    literal = value.dump();
  }
  std::optional<core::Decimal> decimal = core::Decimal::Parse(literal);
  if (!decimal || !decimal->AtMostHundred()) {
    return PathError(core::kErrValueInvalid, path, "must be a number from 0 to 100");
  }
  return *decimal;
}

StatusOr<core::CodeMask> ParseCodes(const json& value, const JsonPath& path) {
  if (!value.is_array()) return PathError(core::kErrJsonType, path, "must be a list of codes");
  if (value.empty()) return PathError(core::kErrValueInvalid, path, "must not be empty");
  core::CodeMask mask;
  for (size_t i = 0; i < value.size(); ++i) {
    const JsonPath item = path.Index(i);
    if (!value[i].is_string()) return PathError(core::kErrJsonType, item, "must be a code");
    const std::string& symbol = value[i].get_ref<const std::string&>();
    std::optional<core::AttendanceCode> code = core::CodeFromSymbol(symbol);
    if (!code) {
      return PathError(core::kErrCodeUnknown, item,
                       fmt::format("{} is not an attendance code", Quote(symbol, '\'')));
    }
    if (!core::IsPossible(*code)) {
      return PathError(
          core::kErrValueInvalid, item,
          fmt::format("{} is a not-possible code and cannot be counted", Quote(symbol, '\'')));
    }
    mask.Add(*code);
  }
  return mask;
}

// Calls `apply` for each present, non-null key of an optional sub-object.
template <typename Apply>
Status ForEachSet(const json& object, const JsonPath& path, Apply apply) {
  for (const auto& item : object.items()) {
    if (item.value().is_null()) continue;  // null is treated as absent
    RETURN_IF_ERROR(apply(item.key(), item.value(), path.Key(item.key())));
  }
  return core::OkStatus();
}

Status ParsePenalty(const json& value, const JsonPath& path, core::PenaltyPolicy& out) {
  RETURN_IF_ERROR(CheckKeys(
      value, {"codes", "sessions", "school_weeks", "framework_start", "service_working_days"},
      path));
  // framework_start: null means "no limit", unlike other keys.
  if (auto it = value.find("framework_start"); it != value.end()) {
    if (it->is_null()) {
      out.framework_start.reset();
    } else {
      std::optional<core::Date> date;
      if (it->is_string()) date = core::Date::Parse(it->get_ref<const std::string&>());
      if (!date) {
        return PathError(core::kErrDateInvalid, path.Key("framework_start"),
                         "must be a date in the form YYYY-MM-DD or null");
      }
      out.framework_start = date;
    }
  }
  return ForEachSet(value, path,
                    [&](const std::string& key, const json& v, const JsonPath& p) -> Status {
                      if (key == "codes") {
                        ASSIGN_OR_RETURN(out.codes, ParseCodes(v, p));
                      } else if (key == "sessions") {
                        ASSIGN_OR_RETURN(out.sessions, ParseCount(v, p, false));
                      } else if (key == "school_weeks") {
                        ASSIGN_OR_RETURN(out.school_weeks, ParseCount(v, p, false));
                      } else if (key == "service_working_days") {
                        ASSIGN_OR_RETURN(int64_t days, ParseCount(v, p, true));
                        if (days > 10) {
                          return PathError(core::kErrValueInvalid, p,
                                           "must be 0 (handed over) to 10 working days");
                        }
                        out.service_working_days = static_cast<int>(days);
                      }
                      return core::OkStatus();
                    });
}

Status ParseContinuous(const json& value, const JsonPath& path,
                       core::ContinuousAbsencePolicy& out) {
  RETURN_IF_ERROR(CheckKeys(value, {"codes", "sessions"}, path));
  return ForEachSet(value, path,
                    [&](const std::string& key, const json& v, const JsonPath& p) -> Status {
                      if (key == "codes") {
                        ASSIGN_OR_RETURN(out.codes, ParseCodes(v, p));
                        return core::OkStatus();
                      }
                      if (!v.is_array())
                        return PathError(core::kErrJsonType, p, "must be a list of session counts");
                      if (v.empty())
                        return PathError(core::kErrValueInvalid, p, "must not be empty");
                      out.sessions.clear();
                      for (size_t i = 0; i < v.size(); ++i) {
                        ASSIGN_OR_RETURN(int64_t n, ParseCount(v[i], p.Index(i), false));
                        out.sessions.push_back(n);
                      }
                      return core::OkStatus();
                    });
}

Status ParseSickness(const json& value, const JsonPath& path, core::SicknessPolicy& out) {
  RETURN_IF_ERROR(CheckKeys(value, {"codes", "sessions"}, path));
  return ForEachSet(value, path,
                    [&](const std::string& key, const json& v, const JsonPath& p) -> Status {
                      if (key == "codes") {
                        ASSIGN_OR_RETURN(out.codes, ParseCodes(v, p));
                      } else {
                        ASSIGN_OR_RETURN(out.sessions, ParseCount(v, p, false));
                      }
                      return core::OkStatus();
                    });
}

StatusOr<core::Date> ParsePolicyDate(const json& v, const JsonPath& p) {
  std::optional<core::Date> date;
  if (v.is_string()) date = core::Date::Parse(v.get_ref<const std::string&>());
  if (!date) return PathError(core::kErrDateInvalid, p, "must be a date in the form YYYY-MM-DD");
  return *date;
}

Status ParseLeave(const json& value, const JsonPath& path, core::LeavePolicy& out) {
  RETURN_IF_ERROR(CheckKeys(
      value, {"notice_days", "restricted", "first_half_term_restricted", "overstay_code"}, path));
  return ForEachSet(
      value, path, [&](const std::string& key, const json& v, const JsonPath& p) -> Status {
        if (key == "overstay_code") {
          const std::optional<core::AttendanceCode> code =
              v.is_string() ? core::CodeFromSymbol(v.get<std::string>()) : std::nullopt;
          if (code != core::AttendanceCode::kHolidayNotGranted &&
              code != core::AttendanceCode::kOtherUnauthorised) {
            return PathError(core::kErrValueInvalid, p,
                             "must be G or O (or null: G after a holiday, else O)");
          }
          out.overstay_code = code;
        } else if (key == "first_half_term_restricted") {
          if (!v.is_boolean()) return PathError(core::kErrValueInvalid, p, "must be true or false");
          out.first_half_term_restricted = v.get<bool>();
        } else if (key == "notice_days") {
          if (!v.is_object()) {
            return PathError(core::kErrValueInvalid, p, "must be an object of code: days");
          }
          for (const auto& item : v.items()) {
            const JsonPath at = p.Entry(item.key());
            const std::optional<core::AttendanceCode> code = core::CodeFromSymbol(item.key());
            if (!code || !core::IsLeaveCode(*code)) {
              return PathError(core::kErrCodeUnknown, at, "is not a leave code (C1, M, J1, S, C)");
            }
            ASSIGN_OR_RETURN(int64_t days, ParseCount(item.value(), at, true));
            auto it = std::find_if(out.notice_days.begin(), out.notice_days.end(),
                                   [&](const auto& e) { return e.first == *code; });
            if (it == out.notice_days.end()) {
              out.notice_days.emplace_back(*code, days);
            } else {
              it->second = days;
            }
          }
        } else {
          if (!v.is_array()) return PathError(core::kErrValueInvalid, p, "must be an array");
          out.restricted.clear();
          for (size_t i = 0; i < v.size(); ++i) {
            const JsonPath at = p.Index(i);
            const json& r = v[i];
            if (!r.is_object()) return PathError(core::kErrValueInvalid, at, "must be an object");
            RETURN_IF_ERROR(CheckKeys(r, {"from", "to", "years", "label"}, at));
            core::RestrictedPeriod period;
            if (!r.contains("from") || !r.contains("to") || !r.contains("label")) {
              return PathError(core::kErrRequiredKey, at, "needs from, to and label");
            }
            ASSIGN_OR_RETURN(period.from, ParsePolicyDate(r["from"], at.Key("from")));
            ASSIGN_OR_RETURN(period.to, ParsePolicyDate(r["to"], at.Key("to")));
            if (period.to < period.from) {
              return PathError(core::kErrValueInvalid, at.Key("to"), "is before 'from'");
            }
            if (!r["label"].is_string()) {
              return PathError(core::kErrValueInvalid, at.Key("label"), "must be text");
            }
            period.label = r["label"].get<std::string>();
            if (r.contains("years")) {
              if (!r["years"].is_array()) {
                return PathError(core::kErrValueInvalid, at.Key("years"),
                                 "must be an array of year groups");
              }
              for (size_t k = 0; k < r["years"].size(); ++k) {
                ASSIGN_OR_RETURN(int64_t y,
                                 ParseCount(r["years"][k], at.Key("years").Index(k), true));
                if (y > 13) {
                  return PathError(core::kErrValueInvalid, at.Key("years").Index(k),
                                   "must be a year group, 0 (Reception) to 13");
                }
                period.year_groups.push_back(static_cast<int>(y));
              }
            }
            out.restricted.push_back(std::move(period));
          }
        }
        return core::OkStatus();
      });
}

Status ParseLocalCode(const json& value, const JsonPath& path, core::LocalCodePolicy& out) {
  RETURN_IF_ERROR(CheckKeys(value, {"name", "codes", "sessions"}, path));
  return ForEachSet(value, path,
                    [&](const std::string& key, const json& v, const JsonPath& p) -> Status {
                      if (key == "name") {
                        if (!v.is_string())
                          return PathError(core::kErrValueInvalid, p, "must be text");
                        out.name = v.get<std::string>();
                      } else if (key == "codes") {
                        ASSIGN_OR_RETURN(out.codes, ParseCodes(v, p));
                      } else {
                        ASSIGN_OR_RETURN(out.sessions, ParseCount(v, p, true));
                      }
                      return core::OkStatus();
                    });
}

Status ParseLateness(const json& value, const JsonPath& path, core::LatenessPolicy& out) {
  RETURN_IF_ERROR(CheckKeys(value, {"codes", "per_week", "per_year"}, path));
  return ForEachSet(value, path,
                    [&](const std::string& key, const json& v, const JsonPath& p) -> Status {
                      if (key == "codes") {
                        ASSIGN_OR_RETURN(out.codes, ParseCodes(v, p));
                      } else if (key == "per_week") {
                        ASSIGN_OR_RETURN(out.per_week, ParseCount(v, p, false));
                      } else {
                        ASSIGN_OR_RETURN(out.per_year, ParseCount(v, p, false));
                      }
                      return core::OkStatus();
                    });
}

StatusOr<std::vector<core::Band>> ParseBands(const json& value, const Literals& literals,
                                             const JsonPath& path) {
  if (!value.is_array()) return PathError(core::kErrJsonType, path, "must be a list of bands");
  if (value.empty()) return PathError(core::kErrValueInvalid, path, "must not be empty");
  std::vector<core::Band> bands;
  for (size_t i = 0; i < value.size(); ++i) {
    const JsonPath band_path = path.Index(i);
    const json& band = value[i];
    RETURN_IF_ERROR(CheckKeys(band, {"name", "min"}, band_path));
    auto name = band.find("name");
    if (name == band.end() || !name->is_string() || name->get_ref<const std::string&>().empty()) {
      return PathError(core::kErrValueInvalid, band_path.Key("name"), "must be a non-empty string");
    }
    auto min = band.find("min");
    if (min == band.end())
      return PathError(core::kErrRequiredKey, band_path.Key("min"), "required key is missing");
    ASSIGN_OR_RETURN(core::Decimal min_pct, ParsePercent(*min, literals, band_path.Key("min")));
    bands.push_back({name->get<std::string>(), min_pct});
  }
  return bands;
}

}  // namespace

StatusOr<core::Policy> ParsePolicy(const json& value, const Literals& literals,
                                   const JsonPath& path) {
  core::Policy policy;
  RETURN_IF_ERROR(
      CheckKeys(value,
                {"penalty", "continuous_absence", "sickness", "lateness", "leave", "local_code",
                 "n_overdue_school_days", "persistent_absence_pct", "severe_absence_pct", "bands"},
                path));
  RETURN_IF_ERROR(ForEachSet(
      value, path, [&](const std::string& key, const json& v, const JsonPath& p) -> Status {
        if (key == "penalty") return ParsePenalty(v, p, policy.penalty);
        if (key == "continuous_absence") return ParseContinuous(v, p, policy.continuous_absence);
        if (key == "sickness") return ParseSickness(v, p, policy.sickness);
        if (key == "lateness") return ParseLateness(v, p, policy.lateness);
        if (key == "leave") return ParseLeave(v, p, policy.leave);
        if (key == "local_code") return ParseLocalCode(v, p, policy.local_code);
        if (key == "n_overdue_school_days") {
          ASSIGN_OR_RETURN(policy.n_overdue_school_days, ParseCount(v, p, true));
        } else if (key == "persistent_absence_pct") {
          ASSIGN_OR_RETURN(policy.persistent_absence_pct, ParsePercent(v, literals, p));
        } else if (key == "severe_absence_pct") {
          ASSIGN_OR_RETURN(policy.severe_absence_pct, ParsePercent(v, literals, p));
        } else {
          ASSIGN_OR_RETURN(policy.bands, ParseBands(v, literals, p));
        }
        return core::OkStatus();
      }));
  return policy;
}

namespace {

nlohmann::ordered_json LeaveJson(const core::LeavePolicy& leave) {
  nlohmann::ordered_json notice = nlohmann::ordered_json::object();
  for (const auto& [code, days] : leave.notice_days)
    notice[std::string(core::SymbolOf(code))] = days;
  nlohmann::ordered_json restricted = nlohmann::ordered_json::array();
  for (const core::RestrictedPeriod& r : leave.restricted) {
    restricted.push_back({{"from", r.from.ToString()},
                          {"to", r.to.ToString()},
                          {"years", r.year_groups},
                          {"label", r.label}});
  }
  return {{"notice_days", std::move(notice)},
          {"restricted", std::move(restricted)},
          {"first_half_term_restricted", leave.first_half_term_restricted},
          {"overstay_code", leave.overstay_code
                                ? nlohmann::ordered_json(core::SymbolOf(*leave.overstay_code))
                                : nlohmann::ordered_json(nullptr)}};
}

}  // namespace

nlohmann::ordered_json PolicyToJson(const core::Policy& policy) {
  using nlohmann::ordered_json;
  auto codes = [](const core::CodeMask& mask) {
    ordered_json list = ordered_json::array();
    for (core::AttendanceCode code : mask.Codes()) list.push_back(core::SymbolOf(code));
    return list;
  };
  // Percentages are written from their exact decimal text so they read back equal.
  auto pct = [](const core::Decimal& d) { return ordered_json::parse(d.ToString()); };
  ordered_json bands = ordered_json::array();
  for (const core::Band& band : policy.bands)
    bands.push_back({{"name", band.name}, {"min", pct(band.min)}});
  const auto& p = policy.penalty;
  return {
      {"penalty",
       {{"codes", codes(p.codes)},
        {"sessions", p.sessions},
        {"school_weeks", p.school_weeks},
        {"framework_start",
         p.framework_start ? ordered_json(p.framework_start->ToString()) : nullptr},
        {"service_working_days", p.service_working_days}}},
      {"continuous_absence",
       {{"codes", codes(policy.continuous_absence.codes)},
        {"sessions", policy.continuous_absence.sessions}}},
      {"sickness",
       {{"codes", codes(policy.sickness.codes)}, {"sessions", policy.sickness.sessions}}},
      {"lateness",
       {{"codes", codes(policy.lateness.codes)},
        {"per_week", policy.lateness.per_week},
        {"per_year", policy.lateness.per_year}}},
      {"leave", LeaveJson(policy.leave)},
      {"local_code",
       {{"name", policy.local_code.name},
        {"codes", codes(policy.local_code.codes)},
        {"sessions", policy.local_code.sessions}}},
      {"n_overdue_school_days", policy.n_overdue_school_days},
      {"persistent_absence_pct", pct(policy.persistent_absence_pct)},
      {"severe_absence_pct", pct(policy.severe_absence_pct)},
      {"bands", std::move(bands)},
  };
}

core::StatusOr<core::Policy> ParsePolicyText(std::string_view text) {
  if (text.empty()) return core::Policy();
  ASSIGN_OR_RETURN(StrictJson doc, ParseStrictJson(text));
  return ParsePolicy(doc.value, doc.float_literals, JsonPath());
}

}  // namespace rollcall::io
