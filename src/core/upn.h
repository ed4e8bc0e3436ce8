// upn.h
//
// Unique Pupil Numbers: the 13-character identifier the DfE gives each pupil
// in a maintained school in England ("Unique Pupil Numbers (UPN): a guide for
// schools and local authorities"). Character 1 is a check letter; 2-4 the LA
// number; 5-8 the DfE establishment number; 9-10 the year of issue; 11-13 a
// serial, whose last character is a letter in a temporary UPN. Checks the form
// and the check letter only: not whether the LA number exists or the UPN was
// ever issued. Pure.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace rollcall::core {

inline constexpr size_t kUpnLength = 13;

// Ok when `upn` is 13 characters: a check letter (A-Z except I, O and S), 11
// digits, then a digit or such a letter, with the check letter that characters
// 2-13 give. Otherwise InvalidArgument (UPN_INVALID) saying what is wrong: the
// length, the first bad character and its position, or the check letter
// expected. Upper case only: a caller who accepts typed input normalises first.
Status CheckUpn(std::string_view upn);

// The check letter followed by `twelve_chars` (characters 2-13 of a UPN: 11
// digits, then a digit or a letter A-Z except I, O and S). Returns "" when
// `twelve_chars` is not of that form.
std::string UpnWithCheckLetter(std::string_view twelve_chars);

}  // namespace rollcall::core
