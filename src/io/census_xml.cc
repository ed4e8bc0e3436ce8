#include "io/census_xml.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <sstream>
#include <tuple>

#include "core/error_codes.h"
#include "io/json_reader.h"

namespace rollcall::io {
namespace {

constexpr std::string_view kCensusCodesJson =
#include "census_codes.inc"
    ;

core::Status Bad(std::string message) {
  return core::InvalidArgument(core::kErrValueInvalid, "census codes: " + std::move(message));
}

// The element holding part `part` of `file`'s census. The two halves of the
// summer term are returned separately (docs/census.md: the names are ours).
const char* PartElement(const CensusReturnFile& file, size_t part) {
  if (file.census != core::Census::kAutumn) return "TermlySessionDetails";
  return part == 0 ? "SummerHalfTerm1SessionDetails" : "SummerHalfTerm2SessionDetails";
}

std::string OptionalDate(const std::optional<core::Date>& d) { return d ? d->ToString() : ""; }

// The reasons a return can hold, each once, in the table's order.
std::vector<std::string> ReasonColumns(std::span<const core::CensusCodeRow> codes) {
  std::vector<std::string> out;
  for (const core::CensusCodeRow& row : codes) {
    if (!row.reason.empty() && std::find(out.begin(), out.end(), row.reason) == out.end()) {
      out.push_back(row.reason);
    }
  }
  return out;
}

}  // namespace

core::StatusOr<std::vector<core::CensusCodeRow>> ParseCensusCodes(std::string_view json) {
  ASSIGN_OR_RETURN(StrictJson parsed, ParseStrictJson(json));
  const nlohmann::json& doc = parsed.value;
  if (!doc.is_object() || !doc.contains("codes") || !doc["codes"].is_array()) {
    return Bad("expected an object with a \"codes\" list");
  }
  std::vector<core::CensusCodeRow> out;
  size_t i = 0;
  for (const nlohmann::json& entry : doc["codes"]) {
    ++i;
    if (!entry.is_object() || !entry.contains("code") || !entry["code"].is_string() ||
        !entry.contains("reason") || !entry.contains("confirmed") ||
        !entry["confirmed"].is_boolean()) {
      return Bad(
          fmt::format("entry {}: needs \"code\" (text), \"reason\" (text or null) and "
                      "\"confirmed\" (true or false)",
                      i));
    }
    const std::string symbol = entry["code"].get<std::string>();
    const std::optional<core::AttendanceCode> code = core::CodeFromSymbol(symbol);
    if (!code) return Bad(fmt::format("entry {}: {} is no attendance code", i, symbol));
    for (const core::CensusCodeRow& seen : out) {
      if (seen.code == *code)
        return Bad(fmt::format("entry {}: code {} is listed twice", i, symbol));
    }
    core::CensusCodeRow row{*code, "", entry["confirmed"].get<bool>()};
    const nlohmann::json& reason = entry["reason"];
    if (reason.is_string()) {
      row.reason = reason.get<std::string>();
    } else if (!reason.is_null()) {
      return Bad(fmt::format("entry {}: the reason of {} is text or null", i, symbol));
    }
    if (!row.reason.empty() && !core::IsAbsence(*code)) {
      return Bad(fmt::format("entry {}: {} is no absence, so it has no reason", i, symbol));
    }
    if (row.reason.empty() && core::IsAbsence(*code)) {
      return Bad(fmt::format("entry {}: {} is an absence and needs a reason", i, symbol));
    }
    out.push_back(std::move(row));
  }
  for (const core::CodeInfo& info : core::AllCodes()) {
    bool listed = false;
    for (const core::CensusCodeRow& row : out) listed = listed || row.code == info.code;
    if (!listed) return Bad(fmt::format("code {} has no entry", info.symbol));
  }
  return out;
}

core::StatusOr<std::vector<core::CensusCodeRow>> CensusCodes() {
  return ParseCensusCodes(kCensusCodesJson);
}

std::string_view CensusTermCode(core::Census census) {
  switch (census) {
    case core::Census::kSpring:
      return "SPR";
    case core::Census::kSummer:
      return "SUM";
    case core::Census::kAutumn:
      return "AUT";
  }
  core::Unreachable();
}

std::string WriteCensusXml(const CensusReturnFile& file) {
  pugi::xml_document doc;
  pugi::xml_node decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  pugi::xml_node message = doc.append_child("Message");
  auto text = [](pugi::xml_node parent, const char* name, const std::string& value) {
    parent.append_child(name).text().set(value.c_str());
  };
  pugi::xml_node header = message.append_child("Header");
  pugi::xml_node details = header.append_child("CollectionDetails");
  text(details, "Collection", "SC");
  text(details, "Term", std::string(CensusTermCode(file.census)));
  text(details, "Year", std::to_string(file.year));
  text(details, "ReferenceDate", file.reference_date.ToString());
  pugi::xml_node source = header.append_child("Source");
  text(source, "SourceLevel", "S");
  text(source, "LEA", file.lea);
  text(source, "Estab", file.estab);
  text(source, "SchoolName", file.school_name);
  text(source, "Software", "rollcall");
  text(source, "DateTime", file.produced_at);

  // One PupilOnRoll per enrolment, its parts in order inside it.
  pugi::xml_node pupils = message.append_child("Pupils");
  std::map<std::tuple<size_t, std::string, std::string>, pugi::xml_node> enrolment_nodes;
  for (const core::CensusEnrolment& e : file.enrolments) {
    const auto key = std::make_tuple(e.pupil, OptionalDate(e.dates.from), OptionalDate(e.dates.to));
    auto [it, added] = enrolment_nodes.emplace(key, pugi::xml_node());
    if (added) {
      const CensusPupil& p = file.pupils[e.pupil];
      it->second = pupils.append_child("PupilOnRoll");
      text(it->second, "UPN", p.upn);
      text(it->second, "Surname", p.surname);
      text(it->second, "Forename", p.forename);
      if (e.dates.from) text(it->second, "EntryDate", e.dates.from->ToString());
      if (e.dates.to) text(it->second, "LeavingDate", e.dates.to->ToString());
      it->second.append_child("Attendance");
    }
    pugi::xml_node part = it->second.child("Attendance").append_child(PartElement(file, e.part));
    text(part, "SessionsPossible", std::to_string(e.counts.possible));
    text(part, "SessionsAuthorised", std::to_string(e.counts.authorised));
    text(part, "SessionsUnauthorised", std::to_string(e.counts.unauthorised));
    for (const core::CensusReason& r : e.reasons) {
      pugi::xml_node detail = part.append_child("SessionDetail");
      text(detail, "AttendanceReason", r.reason);
      text(detail, "AbsenceSessions", std::to_string(r.sessions));
    }
  }
  std::ostringstream out;
  // The declaration node above is written as it is (with its encoding).
  doc.save(out, "  ", pugi::format_indent, pugi::encoding_utf8);
  return out.str();
}

std::string WriteCensusCsv(const CensusReturnFile& file) {
  const std::vector<std::string> reasons = ReasonColumns(file.codes);
  std::string out =
      "census,year,part,upn,year_group,enrolment_from,enrolment_to,counted_from,counted_to,"
      "sessions_possible,sessions_attended,sessions_authorised,sessions_unauthorised";
  for (const std::string& r : reasons) out += ",reason_" + r;
  out += '\n';
  for (const core::CensusEnrolment& e : file.enrolments) {
    const CensusPupil& p = file.pupils[e.pupil];
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}", core::CensusName(file.census),
                       file.year, e.part + 1, p.upn, p.year_group, OptionalDate(e.dates.from),
                       OptionalDate(e.dates.to), e.counted.from.ToString(), e.counted.to.ToString(),
                       e.counts.possible, e.counts.attended, e.counts.authorised,
                       e.counts.unauthorised);
    for (const std::string& r : reasons) {
      int64_t n = 0;
      for (const core::CensusReason& given : e.reasons) {
        if (given.reason == r) n = given.sessions;
      }
      out += fmt::format(",{}", n);
    }
    out += '\n';
  }
  return out;
}

}  // namespace rollcall::io
