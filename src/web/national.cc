#include "web/national.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "core/error_codes.h"

namespace rollcall::web {
namespace {

constexpr std::string_view kNationalCsv =
#include "national_figures.inc"
    ;

constexpr std::string_view kHeader =
    "academic_year,phase,attendance_pct,absence_pct,authorised_pct,unauthorised_pct,illness_pct,"
    "persistent_absence_pct,source";

std::vector<std::string_view> SplitCommas(std::string_view line) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= line.size(); ++i) {
    if (i == line.size() || line[i] == ',') {
      out.push_back(line.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

// "94.75": digits, one point, two decimals, at most 100.
bool IsPercentText(std::string_view v) {
  const size_t dot = v.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot > 3 || v.size() != dot + 3) return false;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i != dot && (v[i] < '0' || v[i] > '9')) return false;
  }
  return std::strtod(std::string(v).c_str(), nullptr) <= 100.0;
}

}  // namespace

core::StatusOr<std::vector<NationalFigures>> ParseNationalFigures(std::string_view csv) {
  std::vector<NationalFigures> out;
  size_t line_no = 0;
  size_t start = 0;
  while (start < csv.size()) {
    size_t end = csv.find('\n', start);
    if (end == std::string_view::npos) end = csv.size();
    const std::string_view line = csv.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (line_no == 1) {
      if (line != kHeader) {
        return core::InvalidArgument(core::kErrValueInvalid,
                                     "national figures: line 1 is not the expected header");
      }
      continue;
    }
    if (line.empty()) continue;
    const std::vector<std::string_view> f = SplitCommas(line);
    if (f.size() != 9) {
      return core::InvalidArgument(
          core::kErrValueInvalid,
          fmt::format("national figures: line {} has {} fields, not 9", line_no, f.size()));
    }
    const bool year_ok = f[0].size() == 7 && f[0][4] == '/';
    if (!year_ok) {
      return core::InvalidArgument(
          core::kErrValueInvalid,
          fmt::format("national figures: line {}: academic year \"{}\" is not YYYY/YY", line_no,
                      f[0]));
    }
    for (size_t i = 2; i < 8; ++i) {
      if (!IsPercentText(f[i])) {
        return core::InvalidArgument(
            core::kErrValueInvalid,
            fmt::format("national figures: line {}: \"{}\" is not a percentage", line_no, f[i]));
      }
    }
    out.push_back({std::string(f[0]), std::string(f[1]), std::string(f[2]), std::string(f[3]),
                   std::string(f[4]), std::string(f[5]), std::string(f[6]), std::string(f[7]),
                   std::string(f[8])});
  }
  if (out.empty()) {
    return core::InvalidArgument(core::kErrValueInvalid, "national figures: no rows");
  }
  return out;
}

const std::vector<NationalFigures>& NationalReference() {
  static const std::vector<NationalFigures> table = [] {
    core::StatusOr<std::vector<NationalFigures>> parsed = ParseNationalFigures(kNationalCsv);
    // The table is compiled in and checked by a test: failing here is a
    // build that should never have shipped.
    if (!parsed.ok()) {
      fmt::print(stderr, "{}\n", parsed.status().message());
      std::abort();
    }
    return std::move(parsed).value();
  }();
  return table;
}

std::string_view NationalPhaseFor(std::string_view school_phase) {
  if (school_phase == "primary" || school_phase == "secondary" || school_phase == "special") {
    return school_phase;
  }
  return "total";
}

std::vector<NationalFigures> LatestNational(std::string_view phase, size_t count) {
  std::vector<NationalFigures> out;
  for (const NationalFigures& f : NationalReference()) {
    if (f.phase == phase) out.push_back(f);
  }
  std::sort(out.begin(), out.end(), [](const NationalFigures& a, const NationalFigures& b) {
    return a.academic_year > b.academic_year;
  });
  if (out.size() > count) out.resize(count);
  return out;
}

}  // namespace rollcall::web
