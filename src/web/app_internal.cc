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

std::string TimeText(int minute) { return service::TimeText(minute); }

std::string Get(const std::map<std::string, std::string>& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? std::string() : it->second;
}

Response PdfResponse(std::string body, const std::string& filename) {
  Response res;
  res.content_type = "application/pdf";
  res.body = std::move(body);
  res.headers.emplace_back("Content-Disposition", "inline; filename=\"" + filename + "\"");
  return res;
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

Status MethodNotAllowed() {
  return core::InvalidArgument(core::kErrMethod, "this method is not allowed on this path");
}

}  // namespace rollcall::web::internal
