#include "io/scenario_json.h"

#include <fmt/format.h>

#include <unordered_map>

#include "core/error_codes.h"
#include "core/register.h"
#include "io/json_reader.h"
#include "io/policy_json.h"
#include "io/quote.h"

namespace rollcall::io {
namespace {

using core::InvalidArgument;
using core::Status;
using core::StatusOr;
using nlohmann::json;

// An optional key: nullptr when missing or null.
const json* Optional(const json& object, std::string_view key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

StatusOr<const json*> Required(const json& object, std::string_view key, const JsonPath& path) {
  const json* value = Optional(object, key);
  if (!value) return PathError(core::kErrRequiredKey, path.Key(key), "required key is missing");
  return value;
}

Status ExpectType(const json& value, json::value_t type, const JsonPath& path) {
  const bool ok =
      type == json::value_t::number_integer ? value.is_number_integer() : value.type() == type;
  if (ok) return core::OkStatus();
  const char* name = type == json::value_t::object    ? "an object"
                     : type == json::value_t::array   ? "a list"
                     : type == json::value_t::string  ? "a string"
                     : type == json::value_t::boolean ? "true or false"
                                                      : "a value of another type";
  return PathError(core::kErrJsonType, path, fmt::format("must be {}", name));
}

StatusOr<core::Date> ParseDate(const json& value, const JsonPath& path) {
  RETURN_IF_ERROR(ExpectType(value, json::value_t::string, path));
  std::optional<core::Date> date = core::Date::Parse(value.get_ref<const std::string&>());
  if (!date) return PathError(core::kErrDateInvalid, path, "not a date in the form YYYY-MM-DD");
  return *date;
}

StatusOr<std::optional<core::Date>> ParseOptionalDate(const json& object, std::string_view key,
                                                      const JsonPath& path) {
  const json* value = Optional(object, key);
  if (!value) return std::optional<core::Date>();
  ASSIGN_OR_RETURN(core::Date date, ParseDate(*value, path.Key(key)));
  return std::optional<core::Date>(date);
}

StatusOr<core::Calendar> ParseCalendar(const json& value, const JsonPath& path) {
  RETURN_IF_ERROR(ExpectType(value, json::value_t::object, path));
  ASSIGN_OR_RETURN(const json* terms_json, Required(value, "terms", path));
  const JsonPath terms_path = path.Key("terms");
  RETURN_IF_ERROR(ExpectType(*terms_json, json::value_t::array, terms_path));
  if (terms_json->empty())
    return PathError(core::kErrValueInvalid, terms_path, "needs at least one term");
  std::vector<core::Term> terms;
  for (size_t i = 0; i < terms_json->size(); ++i) {
    const JsonPath term_path = terms_path.Index(i);
    const json& term = (*terms_json)[i];
    RETURN_IF_ERROR(ExpectType(term, json::value_t::object, term_path));
    ASSIGN_OR_RETURN(const json* start, Required(term, "start", term_path));
    ASSIGN_OR_RETURN(const json* end, Required(term, "end", term_path));
    ASSIGN_OR_RETURN(core::Date start_date, ParseDate(*start, term_path.Key("start")));
    ASSIGN_OR_RETURN(core::Date end_date, ParseDate(*end, term_path.Key("end")));
    if (end_date < start_date) {
      return PathError(core::kErrValueInvalid, term_path.Key("end"), "term ends before it starts");
    }
    terms.push_back({start_date, end_date});
  }
  std::vector<core::Closure> closures;
  if (const json* closures_json = Optional(value, "closures")) {
    const JsonPath closures_path = path.Key("closures");
    RETURN_IF_ERROR(ExpectType(*closures_json, json::value_t::array, closures_path));
    for (size_t i = 0; i < closures_json->size(); ++i) {
      const JsonPath closure_path = closures_path.Index(i);
      const json& closure = (*closures_json)[i];
      RETURN_IF_ERROR(ExpectType(closure, json::value_t::object, closure_path));
      ASSIGN_OR_RETURN(const json* date, Required(closure, "date", closure_path));
      ASSIGN_OR_RETURN(core::Date closure_date, ParseDate(*date, closure_path.Key("date")));
      core::ClosureSessions sessions = core::ClosureSessions::kBoth;
      if (const json* session = Optional(closure, "session")) {
        const JsonPath session_path = closure_path.Key("session");
        RETURN_IF_ERROR(ExpectType(*session, json::value_t::string, session_path));
        const std::string& name = session->get_ref<const std::string&>();
        if (name == "AM")
          sessions = core::ClosureSessions::kAm;
        else if (name == "PM")
          sessions = core::ClosureSessions::kPm;
        else if (name != "BOTH") {
          return PathError(core::kErrValueInvalid, session_path, "must be AM, PM or BOTH");
        }
      }
      std::string reason;
      if (const json* reason_json = Optional(closure, "reason")) {
        RETURN_IF_ERROR(
            ExpectType(*reason_json, json::value_t::string, closure_path.Key("reason")));
        reason = reason_json->get<std::string>();
      }
      closures.push_back({closure_date, sessions, std::move(reason)});
    }
  }
  return core::Calendar(std::move(terms), std::move(closures));
}

StatusOr<core::PupilRecord> ParsePupil(const json& value, const JsonPath& path) {
  RETURN_IF_ERROR(ExpectType(value, json::value_t::object, path));
  core::PupilRecord pupil;
  ASSIGN_OR_RETURN(const json* id, Required(value, "id", path));
  RETURN_IF_ERROR(ExpectType(*id, json::value_t::string, path.Key("id")));
  pupil.id = id->get<std::string>();
  if (pupil.id.empty())
    return PathError(core::kErrValueInvalid, path.Key("id"), "must not be empty");

  if (const json* cohorts = Optional(value, "cohorts")) {
    RETURN_IF_ERROR(ExpectType(*cohorts, json::value_t::array, path.Key("cohorts")));
    for (size_t i = 0; i < cohorts->size(); ++i) {
      RETURN_IF_ERROR(
          ExpectType((*cohorts)[i], json::value_t::string, path.Key("cohorts").Index(i)));
      pupil.cohorts.push_back((*cohorts)[i].get<std::string>());
    }
  }
  if (const json* on_roll = Optional(value, "on_roll")) {
    const JsonPath roll_path = path.Key("on_roll");
    RETURN_IF_ERROR(ExpectType(*on_roll, json::value_t::array, roll_path));
    if (on_roll->empty()) return PathError(core::kErrValueInvalid, roll_path, "must not be empty");
    for (size_t i = 0; i < on_roll->size(); ++i) {
      const JsonPath period_path = roll_path.Index(i);
      RETURN_IF_ERROR(ExpectType((*on_roll)[i], json::value_t::object, period_path));
      core::OnRollPeriod period;
      ASSIGN_OR_RETURN(period.from, ParseOptionalDate((*on_roll)[i], "from", period_path));
      ASSIGN_OR_RETURN(period.to, ParseOptionalDate((*on_roll)[i], "to", period_path));
      if (period.from && period.to && *period.to < *period.from) {
        return PathError(core::kErrValueInvalid, period_path.Key("to"), "'to' is before 'from'");
      }
      pupil.on_roll.push_back(period);
    }
  }
  if (const json* history = Optional(value, "penalty_history")) {
    const JsonPath history_path = path.Key("penalty_history");
    RETURN_IF_ERROR(ExpectType(*history, json::value_t::array, history_path));
    for (size_t i = 0; i < history->size(); ++i) {
      const JsonPath notice_path = history_path.Index(i);
      const json& notice = (*history)[i];
      RETURN_IF_ERROR(ExpectType(notice, json::value_t::object, notice_path));
      ASSIGN_OR_RETURN(const json* issued, Required(notice, "issued", notice_path));
      ASSIGN_OR_RETURN(core::Date issued_date, ParseDate(*issued, notice_path.Key("issued")));
      bool withdrawn = false;
      if (const json* w = Optional(notice, "withdrawn")) {
        RETURN_IF_ERROR(ExpectType(*w, json::value_t::boolean, notice_path.Key("withdrawn")));
        withdrawn = w->get<bool>();
      }
      pupil.penalty_history.push_back({issued_date, withdrawn});
    }
  }
  return pupil;
}

StatusOr<std::optional<core::AttendanceCode>> ParseMarkValue(const json& value,
                                                             const JsonPath& path) {
  if (value.is_null()) return std::optional<core::AttendanceCode>();
  RETURN_IF_ERROR(ExpectType(value, json::value_t::string, path));
  const std::string& symbol = value.get_ref<const std::string&>();
  std::optional<core::AttendanceCode> code = core::CodeFromSymbol(symbol);
  if (!code) {
    return PathError(core::kErrCodeUnknown, path,
                     fmt::format("{} is not an attendance code", Quote(symbol, '\'')));
  }
  return code;
}

Status ParseDefaultMark(const json& value, const JsonPath& path, core::Scenario& scenario) {
  RETURN_IF_ERROR(ExpectType(value, json::value_t::object, path));
  for (const auto& [key, mark] : value.items()) {
    std::optional<core::Session> session = core::SessionFromName(key);
    if (!session)
      return PathError(core::kErrUnknownKey, path.Entry(key), "only AM and PM are allowed");
    ASSIGN_OR_RETURN(std::optional<core::AttendanceCode> code, ParseMarkValue(mark, path.Key(key)));
    if (code && core::InfoOf(*code).set != core::CodeSet::kCommon) {
      return PathError(core::kErrValueInvalid, path.Key(key),
                       "a default mark must be a code valid in both code sets");
    }
    scenario.default_mark[*session == core::Session::kAm ? 0 : 1] = code;
  }
  return core::OkStatus();
}

Status ParseMarks(const json& value, const JsonPath& path, core::Scenario& scenario) {
  RETURN_IF_ERROR(ExpectType(value, json::value_t::object, path));
  std::unordered_map<std::string_view, size_t> pupil_index;
  for (size_t i = 0; i < scenario.pupils.size(); ++i) pupil_index[scenario.pupils[i].id] = i;
  for (const auto& [pupil_id, days] : value.items()) {
    const JsonPath pupil_path = path.Entry(pupil_id);
    auto found = pupil_index.find(pupil_id);
    if (found == pupil_index.end()) {
      return PathError(core::kErrPupilUnknown, pupil_path, "not the id of a pupil in 'pupils'");
    }
    const core::PupilRecord& pupil = scenario.pupils[found->second];
    std::vector<core::RecordedMark>& marks = scenario.marks[found->second];
    RETURN_IF_ERROR(ExpectType(days, json::value_t::object, pupil_path));
    for (const auto& [day, halves] : days.items()) {
      const JsonPath day_path = pupil_path.Entry(day);
      std::optional<core::Date> date = core::Date::Parse(day);
      if (!date)
        return PathError(core::kErrDateInvalid, day_path, "not a date in the form YYYY-MM-DD");
      RETURN_IF_ERROR(ExpectType(halves, json::value_t::object, day_path));
      if (halves.empty()) return PathError(core::kErrValueInvalid, day_path, "needs AM or PM");
      for (const auto& [half, mark] : halves.items()) {
        std::optional<core::Session> session = core::SessionFromName(half);
        if (!session) {
          return PathError(core::kErrUnknownKey, day_path.Entry(half),
                           "only AM and PM are allowed");
        }
        const JsonPath mark_path = day_path.Key(half);
        ASSIGN_OR_RETURN(std::optional<core::AttendanceCode> code, ParseMarkValue(mark, mark_path));
        const core::SessionKey slot{*date, *session};
        if (Status check = core::CheckMark(scenario.calendar, pupil, slot, code); !check.ok()) {
          return PathError(check.code().c_str(), mark_path, check.message());
        }
        marks.push_back({slot, code});
      }
    }
  }
  return core::OkStatus();
}

// Keys and codes come from the input: control characters in them must not
// split the one-line error message.
std::string OneLine(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f)
      out += fmt::format("\\x{:02x}", c);
    else
      out += static_cast<char>(c);
  }
  return out;
}

StatusOr<core::Scenario> ParseScenarioUnchecked(std::string_view json_text) {
  ASSIGN_OR_RETURN(StrictJson doc, ParseStrictJson(json_text));
  const json& root = doc.value;
  const JsonPath path;
  RETURN_IF_ERROR(ExpectType(root, json::value_t::object, path));
  core::Scenario scenario;

  ASSIGN_OR_RETURN(const json* as_of, Required(root, "as_of", path));
  ASSIGN_OR_RETURN(scenario.as_of, ParseDate(*as_of, path.Key("as_of")));
  // Written by the school's export during the school day: which of the as-of
  // day's registers had opened. Absent: the whole day counts.
  if (const json* open = Optional(root, "as_of_registers_open")) {
    const JsonPath open_path = path.Key("as_of_registers_open");
    RETURN_IF_ERROR(ExpectType(*open, json::value_t::string, open_path));
    const std::string& text = open->get_ref<const std::string&>();
    if (text == "none") {
      scenario.as_of_part = core::DayPart::kNoSession;
    } else if (text == "AM") {
      scenario.as_of_part = core::DayPart::kAmOnly;
    } else if (text != "AM and PM") {
      return PathError(core::kErrValueInvalid, open_path,
                       "must be \"none\", \"AM\" or \"AM and PM\"");
    }
  }
  ASSIGN_OR_RETURN(const json* calendar, Required(root, "calendar", path));
  ASSIGN_OR_RETURN(scenario.calendar, ParseCalendar(*calendar, path.Key("calendar")));
  if (const json* policy = Optional(root, "policy")) {
    ASSIGN_OR_RETURN(scenario.policy, ParsePolicy(*policy, doc.float_literals, path.Key("policy")));
  }
  if (const json* default_mark = Optional(root, "default_mark")) {
    RETURN_IF_ERROR(ParseDefaultMark(*default_mark, path.Key("default_mark"), scenario));
  }

  ASSIGN_OR_RETURN(const json* pupils, Required(root, "pupils", path));
  const JsonPath pupils_path = path.Key("pupils");
  RETURN_IF_ERROR(ExpectType(*pupils, json::value_t::array, pupils_path));
  std::unordered_map<std::string, size_t> seen;
  for (size_t i = 0; i < pupils->size(); ++i) {
    ASSIGN_OR_RETURN(core::PupilRecord pupil, ParsePupil((*pupils)[i], pupils_path.Index(i)));
    if (!seen.emplace(pupil.id, i).second) {
      return PathError(core::kErrPupilDuplicate, pupils_path.Index(i).Key("id"),
                       fmt::format("duplicate pupil id {}", Quote(pupil.id, '\'')));
    }
    scenario.pupils.push_back(std::move(pupil));
  }
  scenario.marks.resize(scenario.pupils.size());
  if (const json* marks = Optional(root, "marks")) {
    RETURN_IF_ERROR(ParseMarks(*marks, path.Key("marks"), scenario));
  }
  return scenario;
}

}  // namespace

StatusOr<core::Scenario> ParseScenario(std::string_view json_text) {
  StatusOr<core::Scenario> scenario = ParseScenarioUnchecked(json_text);
  if (scenario.ok()) return scenario;
  const Status& error = scenario.status();
  return Status(error.kind(), error.code(), OneLine(error.message()));
}

nlohmann::ordered_json ScenarioToJson(const core::Scenario& scenario,
                                      const ScenarioWriteOptions& options) {
  using nlohmann::ordered_json;
  ordered_json out;
  if (!options.name.empty()) out["name"] = options.name;
  out["as_of"] = scenario.as_of.ToString();
  if (scenario.as_of_part != core::DayPart::kWholeDay) {
    out["as_of_registers_open"] = scenario.as_of_part == core::DayPart::kAmOnly ? "AM" : "none";
  }
  ordered_json terms = ordered_json::array();
  for (const core::Term& term : scenario.calendar.terms()) {
    terms.push_back({{"start", term.start.ToString()}, {"end", term.end.ToString()}});
  }
  ordered_json closures = ordered_json::array();
  for (const core::Closure& closure : scenario.calendar.closures()) {
    const char* session = closure.sessions == core::ClosureSessions::kAm   ? "AM"
                          : closure.sessions == core::ClosureSessions::kPm ? "PM"
                                                                           : "BOTH";
    ordered_json c{{"date", closure.date.ToString()}, {"session", session}};
    if (!closure.reason.empty()) c["reason"] = closure.reason;
    closures.push_back(std::move(c));
  }
  out["calendar"] = {{"terms", std::move(terms)}, {"closures", std::move(closures)}};
  if (scenario.default_mark[0] || scenario.default_mark[1]) {
    ordered_json dm = ordered_json::object();
    if (scenario.default_mark[0]) dm["AM"] = core::SymbolOf(*scenario.default_mark[0]);
    if (scenario.default_mark[1]) dm["PM"] = core::SymbolOf(*scenario.default_mark[1]);
    out["default_mark"] = std::move(dm);
  }
  out["policy"] = PolicyToJson(scenario.policy);

  ordered_json pupils = ordered_json::array();
  for (const core::PupilRecord& pupil : scenario.pupils) {
    ordered_json p{{"id", pupil.id}};
    if (!pupil.cohorts.empty()) p["cohorts"] = pupil.cohorts;
    if (!pupil.on_roll.empty()) {
      ordered_json periods = ordered_json::array();
      for (const core::OnRollPeriod& period : pupil.on_roll) {
        periods.push_back({{"from", period.from ? ordered_json(period.from->ToString()) : nullptr},
                           {"to", period.to ? ordered_json(period.to->ToString()) : nullptr}});
      }
      p["on_roll"] = std::move(periods);
    }
    if (!pupil.penalty_history.empty()) {
      ordered_json history = ordered_json::array();
      for (const core::PenaltyNotice& notice : pupil.penalty_history) {
        history.push_back({{"issued", notice.issued.ToString()}, {"withdrawn", notice.withdrawn}});
      }
      p["penalty_history"] = std::move(history);
    }
    pupils.push_back(std::move(p));
  }
  out["pupils"] = std::move(pupils);

  ordered_json marks = ordered_json::object();
  for (size_t i = 0; i < scenario.pupils.size() && i < scenario.marks.size(); ++i) {
    std::vector<core::RecordedMark> sorted = scenario.marks[i];
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.slot < b.slot; });
    ordered_json days = ordered_json::object();
    for (const core::RecordedMark& mark : sorted) {
      const size_t half = mark.slot.session == core::Session::kAm ? 0 : 1;
      if (options.omit_default_marks && mark.code && mark.code == scenario.default_mark[half]) {
        continue;
      }
      days[mark.slot.date.ToString()][std::string(core::SessionName(mark.slot.session))] =
          mark.code ? ordered_json(core::SymbolOf(*mark.code)) : ordered_json(nullptr);
    }
    if (!days.empty()) marks[scenario.pupils[i].id] = std::move(days);
  }
  out["marks"] = std::move(marks);
  return out;
}

core::StatusOr<core::Calendar> ParseCalendarText(std::string_view json_text) {
  ASSIGN_OR_RETURN(StrictJson doc, ParseStrictJson(json_text));
  return ParseCalendar(doc.value, JsonPath());
}

}  // namespace rollcall::io
