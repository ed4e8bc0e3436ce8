// error_codes.h
//
// The one registry of stable machine error codes. They appear in JSON error
// bodies and on stderr; once released a code is never renamed or reused.
#pragma once

namespace rollcall::core {

// Scenario and mark validation.
inline constexpr char kErrJsonMalformed[] = "JSON_MALFORMED";
inline constexpr char kErrJsonType[] = "JSON_WRONG_TYPE";
inline constexpr char kErrJsonDuplicateKey[] = "JSON_DUPLICATE_KEY";
inline constexpr char kErrRequiredKey[] = "REQUIRED_KEY_MISSING";
inline constexpr char kErrUnknownKey[] = "UNKNOWN_KEY";
inline constexpr char kErrDateInvalid[] = "DATE_INVALID";
inline constexpr char kErrValueInvalid[] = "VALUE_INVALID";
inline constexpr char kErrCodeUnknown[] = "MARK_CODE_UNKNOWN";
inline constexpr char kErrCodeWithdrawn[] = "MARK_CODE_WITHDRAWN";
inline constexpr char kErrCodeNotYetValid[] = "MARK_CODE_NOT_YET_VALID";
inline constexpr char kErrSessionNotOpen[] = "SESSION_NOT_OPEN";
inline constexpr char kErrPupilNotOnRoll[] = "PUPIL_NOT_ON_ROLL";
inline constexpr char kErrPupilUnknown[] = "PUPIL_UNKNOWN";
inline constexpr char kErrPupilDuplicate[] = "PUPIL_DUPLICATE";

// Files and commands.
inline constexpr char kErrFileRead[] = "FILE_READ";
inline constexpr char kErrFileWrite[] = "FILE_WRITE";

}  // namespace rollcall::core
