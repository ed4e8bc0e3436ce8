// app_internal.cc: the helpers shared by the App handler files.
#include "web/app_internal.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <set>

#include "core/error_codes.h"
#include "io/json_reader.h"
#include "io/policy_json.h"

namespace rollcall::web::internal {

std::string TimeText(int minute) { return fmt::format("{:02}:{:02}", minute / 60, minute % 60); }

// "HH:MM", 00:00-23:59.
std::optional<int> ParseTime(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (size_t i : {0, 1, 3, 4}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const int h = (text[0] - '0') * 10 + (text[1] - '0');
  const int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

std::string IsoTime(int64_t unix_seconds) {
  const int64_t days = unix_seconds >= 0 ? unix_seconds / 86400 : (unix_seconds - 86399) / 86400;
  const int64_t rest = unix_seconds - days * 86400;
  return fmt::format("{}T{:02}:{:02}:{:02}Z", Date::FromDays(static_cast<int32_t>(days)).ToString(),
                     rest / 3600, rest / 60 % 60, rest % 60);
}

std::optional<int64_t> ParseId(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

std::string DisplayName(const store::Pupil& p) {
  const std::string& given =
      p.preferred_given_name.empty() ? p.legal_given_name : p.preferred_given_name;
  const std::string& family =
      p.preferred_family_name.empty() ? p.legal_family_name : p.preferred_family_name;
  return given + " " + family;
}

std::vector<std::string> CohortTagsOn(const store::Pupil& p, Date day) {
  std::set<std::string> tags;
  for (const store::CohortFlag& f : p.flags) {
    if (f.from <= day && (!f.to || day <= *f.to)) tags.insert(f.flag);
  }
  return {tags.begin(), tags.end()};
}

core::PupilRecord RecordOf(const store::Pupil& p, Date day) {
  core::PupilRecord record;
  record.id = std::to_string(p.id);
  record.cohorts = CohortTagsOn(p, day);
  for (const store::Enrolment& e : p.enrolments) {
    record.on_roll.push_back(core::OnRollPeriod{e.start, e.end});
  }
  // A pupil with no admission entry is not on roll at all, rather than "on
  // roll throughout" as an empty list means in a scenario.
  if (record.on_roll.empty()) {
    record.on_roll.push_back(core::OnRollPeriod{Date::FromDays(1), Date::FromDays(0)});
  }
  return record;
}

StatusOr<core::Policy> PolicyOf(const store::Settings& settings) {
  ASSIGN_OR_RETURN(io::StrictJson doc, io::ParseStrictJson(settings.policy_json));
  return io::ParsePolicy(doc.value, doc.float_literals, io::JsonPath().Key("policy"));
}

std::string Get(const std::map<std::string, std::string>& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? std::string() : it->second;
}

StatusOr<core::Scenario> ScenarioOf(store::Store& store, const store::Settings& settings,
                                    const std::vector<store::Pupil>& pupils,
                                    const std::vector<store::Mark>& marks, Date today) {
  core::Scenario scenario;
  scenario.as_of = today;
  ASSIGN_OR_RETURN(scenario.policy, PolicyOf(settings));
  ASSIGN_OR_RETURN(std::vector<store::Term> terms, store.ListTerms());
  ASSIGN_OR_RETURN(std::vector<store::Closure> closures, store.ListClosures());
  scenario.calendar = CalendarOf(terms, closures);
  std::map<int64_t, size_t> index;
  scenario.marks.resize(pupils.size());
  for (size_t i = 0; i < pupils.size(); ++i) {
    index.emplace(pupils[i].id, i);
    scenario.pupils.push_back(RecordOf(pupils[i], today));
  }
  for (const store::Mark& m : marks) {
    if (auto it = index.find(m.pupil_id); it != index.end()) {
      scenario.marks[it->second].push_back(core::RecordedMark{m.slot, m.code});
    }
  }
  return scenario;
}

Response PdfResponse(std::string body, const std::string& filename) {
  Response res;
  res.content_type = "application/pdf";
  res.body = std::move(body);
  res.headers.emplace_back("Content-Disposition", "inline; filename=\"" + filename + "\"");
  return res;
}

Principal PrincipalOf(const store::User& user) {
  return Principal{user.id,      user.role,      user.display_name,
                   user.la_code, user.class_ids, user.pupil_ids};
}

json UserJson(const store::User& user) {
  return json{{"id", user.id},
              {"username", user.username},
              {"name", user.display_name},
              {"role", store::RoleName(user.role)},
              {"class_ids", user.class_ids},
              {"pupil_ids", user.pupil_ids}};
}

// The JSON object body of a request, with only `allowed` keys.
namespace {

Status RefuseHugeIntegers(const nlohmann::json& value, const std::string& where) {
  if (value.is_number_unsigned() &&
      value.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("the number at '{}' is too large", where));
  }
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      RETURN_IF_ERROR(RefuseHugeIntegers(item, where.empty() ? key : where + "." + key));
    }
  } else if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i) {
      RETURN_IF_ERROR(RefuseHugeIntegers(value[i], fmt::format("{}[{}]", where, i)));
    }
  }
  return core::OkStatus();
}

}  // namespace

StatusOr<nlohmann::json> ObjectBody(const Request& req,
                                    std::initializer_list<const char*> allowed) {
  if (req.body.empty()) {
    return core::InvalidArgument(core::kErrJsonMalformed, "the request needs a JSON object body");
  }
  ASSIGN_OR_RETURN(io::StrictJson doc, io::ParseStrictJson(req.body));
  if (!doc.value.is_object()) {
    return core::InvalidArgument(core::kErrJsonType, "the request body must be a JSON object");
  }
  for (const auto& [key, value] : doc.value.items()) {
    if (std::find_if(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; }) ==
        allowed.end()) {
      return core::InvalidArgument(core::kErrUnknownKey, "unknown key '" + key + "'");
    }
  }
  // Whole numbers are read as signed 64-bit: one above that would wrap
  // round to a negative number, so it is refused here, once, for every body.
  RETURN_IF_ERROR(RefuseHugeIntegers(doc.value, ""));
  return std::move(doc.value);
}

StatusOr<std::string> StringField(const nlohmann::json& body, const char* key, bool required) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) {
    if (required) {
      return core::InvalidArgument(core::kErrRequiredKey, fmt::format("'{}' is required", key));
    }
    return std::string();
  }
  if (!it->is_string()) {
    return core::InvalidArgument(core::kErrJsonType, fmt::format("'{}' must be a string", key));
  }
  return it->get<std::string>();
}

StatusOr<Date> ParseDateParam(std::string_view text, const char* what) {
  std::optional<Date> d = Date::Parse(text);
  if (!d) {
    return core::InvalidArgument(core::kErrDateInvalid,
                                 fmt::format("{} '{}' is not a date (YYYY-MM-DD)", what, text));
  }
  return *d;
}

Status MethodNotAllowed() {
  return core::InvalidArgument(core::kErrMethod, "this method is not allowed on this path");
}

}  // namespace rollcall::web::internal
