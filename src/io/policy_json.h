// policy_json.h
//
// Policy overrides in JSON (FORMAT.md "Default policy"): object-valued keys
// merge key by key with the defaults, other keys replace them, and an unknown
// key at any level is an error. Percentages keep the decimal as written.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>

#include "core/policy.h"
#include "core/status.h"
#include "io/json_reader.h"

namespace rollcall::io {

// `float_literals` is StrictJson::float_literals of the document holding `value`.
core::StatusOr<core::Policy> ParsePolicy(
    const nlohmann::json& value, const std::unordered_map<std::string, std::string>& float_literals,
    const JsonPath& path);

// A policy document on its own (policy files, the engine file's policies):
// "" or "{}" is the national defaults.
core::StatusOr<core::Policy> ParsePolicyText(std::string_view text);

// The full policy, every key written, in FORMAT.md's shape.
nlohmann::ordered_json PolicyToJson(const core::Policy& policy);

}  // namespace rollcall::io
