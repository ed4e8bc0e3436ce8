#include "io/ctf_xml.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <pugixml.hpp>
#include <set>
#include <sstream>
#include <tuple>
#include <utility>

#include "core/error_codes.h"
#include "core/upn.h"
#include "io/quote.h"

namespace rollcall::io {
namespace {

// The 2024 codes of two characters, as one (docs/ctf.md): the digit of each
// Y code is its own, and C1, C2 and J1 take the next digits. No digit is a
// code, old or new, so every character reads back as exactly one code.
constexpr std::array<std::pair<core::AttendanceCode, char>, 10> kTwoCharacterCodes{{
    {core::AttendanceCode::kTransport, '1'},
    {core::AttendanceCode::kTravelDisruption, '2'},
    {core::AttendanceCode::kPartClosed, '3'},
    {core::AttendanceCode::kSiteClosed, '4'},
    {core::AttendanceCode::kDetention, '5'},
    {core::AttendanceCode::kPublicHealth, '6'},
    {core::AttendanceCode::kOtherUnavoidable, '7'},
    {core::AttendanceCode::kPerformance, '8'},
    {core::AttendanceCode::kPartTimeTimetable, '9'},
    {core::AttendanceCode::kInterview, '0'},
}};
constexpr char kNoMark = '-';

// The relationship codes of CTF contacts, in words; any other is kept as
// written.
const std::map<std::string, std::string, std::less<>> kRelationships{
    {"PAR", "Parent"},         {"CAR", "Carer"},         {"FAM", "Other family member"},
    {"REL", "Other relative"}, {"SWR", "Social worker"}, {"CHM", "Childminder"},
    {"DOC", "Doctor"},         {"OTH", "Other"},         {"STP", "Step-parent"},
    {"FOF", "Foster parent"}};

// Reads the elements of one file, adding each problem with its path.
class Reader {
 public:
  Reader(std::string_view file, core::Date today, CsvErrors& errors)
      : file_(file), today_(today), errors_(errors) {}

  void Problem(const std::string& path, std::string_view problem) {
    errors_.AddFile(file_, fmt::format("{}: {}", path, problem));
    ++problems_;
  }
  size_t problems() const { return problems_; }

  // The trimmed text of child `name` ("" when missing).
  static std::string Text(pugi::xml_node node, const char* name) {
    return Trim(node.child_value(name));
  }
  std::string Required(pugi::xml_node node, const std::string& path, const char* name) {
    std::string value = Text(node, name);
    if (value.empty()) Problem(path + "/" + name, "missing");
    return value;
  }
  std::optional<core::Date> Date(pugi::xml_node node, const std::string& path, const char* name,
                                 core::Date first, core::Date last) {
    const std::string text = Text(node, name);
    if (text.empty()) return std::nullopt;
    const std::optional<core::Date> d = core::Date::Parse(text);
    if (!d || text.size() != 10) {
      Problem(path + "/" + name, fmt::format("{} is not a date (yyyy-MM-dd)", Quote(text)));
      return std::nullopt;
    }
    if (*d < first || *d > last) {
      Problem(path + "/" + name, fmt::format("{} is not between {} and {}", d->LongText(),
                                             first.LongText(), last.LongText()));
      return std::nullopt;
    }
    return d;
  }
  std::optional<core::Date> EventDate(pugi::xml_node node, const std::string& path,
                                      const char* name) {
    return Date(node, path, name, *core::Date::FromYmd(1990, 1, 1),
                *core::Date::FromYmd(today_.year() + 1, 12, 31));
  }
  std::optional<int64_t> Count(pugi::xml_node node, const std::string& path, const char* name) {
    const std::string text = Text(node, name);
    int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < 0 ||
        value > 1000) {
      Problem(path + "/" + name,
              text.empty()
                  ? "missing"
                  : fmt::format("{} is not a number of sessions (0 to 1000)", Quote(text)));
      return std::nullopt;
    }
    return value;
  }

  CtfAddress Address(pugi::xml_node node) {
    CtfAddress a;
    for (const char* part : {"SAON", "PAON", "Street", "Locality", "Town", "AdministrativeArea",
                             "PostTown", "County"}) {
      std::string line = Text(node.child("BS7666Address"), part);
      if (!line.empty()) a.lines.push_back(std::move(line));
    }
    for (pugi::xml_node line : node.child("AddressLines").children()) {
      std::string text = Trim(line.child_value());
      if (!text.empty()) a.lines.push_back(std::move(text));
    }
    a.postcode = Text(node, "Postcode");
    return a;
  }

  CtfContact Contact(pugi::xml_node node, const std::string& path, const CtfAddress& pupil) {
    CtfContact c;
    if (const std::string order = Text(node, "Order"); !order.empty()) {
      int value = 0;
      const auto [end, ec] = std::from_chars(order.data(), order.data() + order.size(), value);
      if (ec != std::errc() || end != order.data() + order.size() || value < 1 || value > 99) {
        Problem(path + "/Order", fmt::format("{} is not a priority (1 to 99)", Quote(order)));
      } else {
        c.order = value;
      }
    }
    c.title = Text(node, "Title");
    c.given_name = Text(node, "Forename");
    c.family_name = Required(node, path, "Surname");
    const std::string relationship = Text(node, "Relationship");
    auto known = kRelationships.find(relationship);
    c.relationship = known == kRelationships.end() ? relationship : known->second;
    const std::string responsibility = Text(node, "Responsibility");
    if (responsibility == "true" || responsibility == "1") {
      c.parental_responsibility = true;
    } else if (!responsibility.empty() && responsibility != "false" && responsibility != "0") {
      Problem(path + "/Responsibility",
              fmt::format("{} is not true or false", Quote(responsibility)));
    }
    for (pugi::xml_node phone : node.child("Phones").children("Phone")) {
      std::string number = Text(phone, "PhoneNo");
      if (!number.empty()) c.phones.push_back({Text(phone, "TelephoneType"), std::move(number)});
    }
    // Email is text; some writers nest it in EmailAddress (docs/ctf.md).
    c.email = Text(node, "Email");
    if (c.email.empty()) c.email = Text(node.child("Email"), "EmailAddress");
    const std::string as_pupil = Text(node, "AddressAsPupil");
    c.address = as_pupil == "true" || as_pupil == "1" ? pupil : Address(node.child("Address"));
    return c;
  }

  CtfYearData YearData(pugi::xml_node node, const std::string& path) {
    CtfYearData y;
    const std::string year = Required(node, path, "Year");
    const auto [end, ec] = std::from_chars(year.data(), year.data() + year.size(), y.year);
    if (!year.empty() && (ec != std::errc() || end != year.data() + year.size() || y.year < 1990 ||
                          y.year > today_.year())) {
      Problem(path + "/Year", fmt::format("{} is not an academic year's first year (1990 to {})",
                                          Quote(year), today_.year()));
    }
    y.lea = Required(node, path, "LEA");
    if (!y.lea.empty() &&
        (y.lea.size() != 3 || !std::all_of(y.lea.begin(), y.lea.end(), IsDigit))) {
      Problem(path + "/LEA",
              fmt::format("{} is not a local authority number (3 digits)", Quote(y.lea)));
    }
    y.estab = Required(node, path, "Estab");
    if (!y.estab.empty() &&
        (y.estab.size() != 4 || !std::all_of(y.estab.begin(), y.estab.end(), IsDigit))) {
      Problem(path + "/Estab",
              fmt::format("{} is not an establishment number (4 digits)", Quote(y.estab)));
    }
    y.school_name = Text(node, "SchoolName");
    const auto possible = Count(node, path, "SessionsPossible");
    const auto authorised = Count(node, path, "SessionsAuthorised");
    const auto attended = Count(node, path, "SessionsAttended");
    const auto unauthorised = Count(node, path, "SessionsUnauthorised");
    if (possible && authorised && attended && unauthorised) {
      y.possible = *possible, y.authorised = *authorised, y.attended = *attended;
      y.unauthorised = *unauthorised;
      // Every possible session is attended or an absence, authorised or not.
      if (y.attended + y.authorised + y.unauthorised != y.possible) {
        Problem(path + "/SessionsPossible",
                fmt::format("{} is not SessionsAttended + SessionsAuthorised + "
                            "SessionsUnauthorised ({})",
                            y.possible, y.attended + y.authorised + y.unauthorised));
      }
    }
    if (pugi::xml_node sessions = node.child("AttendSessions")) {
      const std::string at = path + "/AttendSessions";
      y.marks_start = EventDate(sessions, at, "AttendanceStartDate");
      if (Text(sessions, "AttendanceStartDate").empty())
        Problem(at + "/AttendanceStartDate", "missing");
      y.marks = Text(sessions, "AttendanceMarks");
      Marks(y.marks, at + "/AttendanceMarks");
    }
    return y;
  }

  void Marks(std::string_view marks, const std::string& path) {
    if (marks.size() % 2 != 0) {
      Problem(path, fmt::format("{} characters: two a day (AM then PM) make an even number",
                                marks.size()));
    }
    if (marks.size() > 2 * 366) {
      Problem(path,
              fmt::format("{} characters: a year has at most {} sessions", marks.size(), 2 * 366));
      return;
    }
    for (size_t i = 0; i < marks.size(); ++i) {
      const char c = marks[i];
      if (c != kNoMark && !CtfMarkCode(c)) {
        Problem(path, fmt::format("character {} ({}) is not an attendance mark", i + 1,
                                  Quote(std::string_view(&marks[i], 1))));
        return;
      }
    }
  }

  CtfPupil Pupil(pugi::xml_node node, const std::string& path) {
    CtfPupil p;
    p.path = path;
    p.upn = Required(node, path, "UPN");
    if (!p.upn.empty()) {
      if (core::Status s = core::CheckUpn(p.upn); !s.ok()) Problem(path + "/UPN", s.message());
    }
    p.family_name = Required(node, path, "Surname");
    p.given_name = Required(node, path, "Forename");
    const pugi::xml_node basic = node.child("BasicDetails");
    p.preferred_family_name = Text(basic, "PreferredSurname");
    p.preferred_given_name = Text(basic, "PreferredForename");
    if (p.preferred_family_name == p.family_name) p.preferred_family_name.clear();
    if (p.preferred_given_name == p.given_name) p.preferred_given_name.clear();
    if (Text(node, "DOB").empty()) Problem(path + "/DOB", "missing");
    if (auto dob = Date(node, path, "DOB", today_.YearsEarlier(25), today_)) p.date_of_birth = *dob;
    // CTF 25 writes Sex; older versions Gender.
    const char* sex_element = node.child("Sex") ? "Sex" : "Gender";
    p.sex = Text(node, sex_element);
    if (p.sex.empty()) {
      Problem(path + "/Sex", "missing");
    } else if (p.sex != "F" && p.sex != "M") {
      Problem(path + "/" + sex_element, fmt::format("{} is not F or M", Quote(p.sex)));
    }
    if (const std::string year = Text(basic, "NCyearActual"); !year.empty()) {
      int value = 0;
      const auto [end, ec] = std::from_chars(year.data(), year.data() + year.size(), value);
      if (year == "R") {
        p.year_group = 0;
      } else if (ec == std::errc() && end == year.data() + year.size() && value >= 1 &&
                 value <= 13) {
        p.year_group = value;
      } else {
        Problem(path + "/BasicDetails/NCyearActual",
                fmt::format("{} is not a year group (R or 1 to 13)", Quote(year)));
      }
    }
    p.address = Address(node.child("Address"));
    int i = 0;
    for (pugi::xml_node c : node.child("Contacts").children("Contact")) {
      p.contacts.push_back(
          Contact(c, fmt::format("{}/Contacts/Contact[{}]", path, ++i), p.address));
    }
    std::stable_sort(p.contacts.begin(), p.contacts.end(), [](const auto& a, const auto& b) {
      return a.order.value_or(100) < b.order.value_or(100);
    });
    i = 0;
    for (pugi::xml_node s : node.child("SchoolHistory").children("School")) {
      const std::string at = fmt::format("{}/SchoolHistory/School[{}]", path, ++i);
      CtfSchool school{Text(s, "LEA"),
                       Text(s, "Estab"),
                       Text(s, "SchoolName"),
                       EventDate(s, at, "EntryDate"),
                       EventDate(s, at, "LeavingDate"),
                       Text(s, "LeavingReason")};
      if (school.entry && school.leaving && *school.leaving < *school.entry) {
        Problem(at + "/LeavingDate",
                fmt::format("{} is before EntryDate {}", school.leaving->LongText(),
                            school.entry->LongText()));
      }
      p.schools.push_back(std::move(school));
    }
    i = 0;
    std::set<std::tuple<int, std::string, std::string>> seen;
    for (pugi::xml_node y : node.child("Attendance").children("YearData")) {
      const std::string at = fmt::format("{}/Attendance/YearData[{}]", path, ++i);
      CtfYearData year = YearData(y, at);
      if (!seen.emplace(year.year, year.lea, year.estab).second) {
        Problem(at,
                fmt::format("a second YearData for {} at {}/{}", year.year, year.lea, year.estab));
      }
      p.attendance.push_back(std::move(year));
    }
    std::sort(p.attendance.begin(), p.attendance.end(), [](const auto& a, const auto& b) {
      return std::tie(a.year, a.lea, a.estab) < std::tie(b.year, b.lea, b.estab);
    });
    return p;
  }

 private:
  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }

  std::string_view file_;
  core::Date today_;
  CsvErrors& errors_;
  size_t problems_ = 0;
};

// Writes the elements of a file, leaving out the optional ones that are
// empty.
class Writer {
 public:
  static void Text(pugi::xml_node parent, const char* name, std::string_view text) {
    parent.append_child(name).text().set(std::string(text).c_str());
  }
  static void Optional(pugi::xml_node parent, const char* name, std::string_view text) {
    if (!text.empty()) Text(parent, name, text);
  }
  static void Number(pugi::xml_node parent, const char* name, int64_t value) {
    Text(parent, name, std::to_string(value));
  }

  // The lines as AddressLine1..5: a sixth line and later join the fifth, as
  // the schema allows five.
  static void Address(pugi::xml_node parent, const CtfAddress& address) {
    if (address.empty()) return;
    pugi::xml_node node = parent.append_child("Address");
    if (!address.lines.empty()) {
      pugi::xml_node lines = node.append_child("AddressLines");
      constexpr size_t kMaxLines = 5;
      for (size_t i = 0; i < std::min(address.lines.size(), kMaxLines); ++i) {
        std::string line = address.lines[i];
        for (size_t j = kMaxLines; i + 1 == kMaxLines && j < address.lines.size(); ++j) {
          line += ", " + address.lines[j];
        }
        Text(lines, fmt::format("AddressLine{}", i + 1).c_str(), line);
      }
    }
    Optional(node, "Postcode", address.postcode);
  }

  static void Contact(pugi::xml_node parent, const CtfContact& c) {
    pugi::xml_node node = parent.append_child("Contact");
    if (c.order) Number(node, "Order", *c.order);
    Optional(node, "Title", c.title);
    Text(node, "Surname", c.family_name);
    Optional(node, "Forename", c.given_name);
    // The code of a relationship the reader knows in words; any other as it is.
    std::string relationship = c.relationship;
    for (const auto& [code, words] : kRelationships) {
      if (words == c.relationship) relationship = code;
    }
    Optional(node, "Relationship", relationship);
    Text(node, "Responsibility", c.parental_responsibility ? "true" : "false");
    if (!c.phones.empty()) {
      pugi::xml_node phones = node.append_child("Phones");
      for (const CtfPhone& phone : c.phones) {
        pugi::xml_node p = phones.append_child("Phone");
        Optional(p, "TelephoneType", phone.type);
        Text(p, "PhoneNo", phone.number);
      }
    }
    Optional(node, "Email", c.email);
    Text(node, "AddressAsPupil", "false");
    Address(node, c.address);
  }

  static void School(pugi::xml_node parent, const CtfSchool& s) {
    pugi::xml_node node = parent.append_child("School");
    Text(node, "LEA", s.lea);
    Text(node, "Estab", s.estab);
    Optional(node, "SchoolName", s.name);
    if (s.entry) Text(node, "EntryDate", s.entry->ToString());
    if (s.leaving) Text(node, "LeavingDate", s.leaving->ToString());
    Optional(node, "LeavingReason", s.leaving_reason);
  }

  static void YearData(pugi::xml_node parent, const CtfYearData& y) {
    pugi::xml_node node = parent.append_child("YearData");
    Number(node, "Year", y.year);
    Text(node, "LEA", y.lea);
    Text(node, "Estab", y.estab);
    Optional(node, "SchoolName", y.school_name);
    Number(node, "SessionsPossible", y.possible);
    Number(node, "SessionsAuthorised", y.authorised);
    Number(node, "SessionsAttended", y.attended);
    Number(node, "SessionsUnauthorised", y.unauthorised);
    if (y.marks_start) {
      pugi::xml_node sessions = node.append_child("AttendSessions");
      Text(sessions, "AttendanceStartDate", y.marks_start->ToString());
      Text(sessions, "AttendanceMarks", y.marks);
    }
  }

  static void Pupil(pugi::xml_node parent, const CtfPupil& p) {
    pugi::xml_node node = parent.append_child("Pupil");
    Text(node, "UPN", p.upn);
    Text(node, "Surname", p.family_name);
    Text(node, "Forename", p.given_name);
    Text(node, "DOB", p.date_of_birth.ToString());
    Text(node, "Sex", p.sex);
    pugi::xml_node basic = node.append_child("BasicDetails");
    Optional(basic, "PreferredSurname", p.preferred_family_name);
    Optional(basic, "PreferredForename", p.preferred_given_name);
    if (p.year_group) {
      Text(basic, "NCyearActual", *p.year_group == 0 ? "R" : std::to_string(*p.year_group));
    }
    if (!p.contacts.empty()) {
      pugi::xml_node contacts = node.append_child("Contacts");
      for (const CtfContact& c : p.contacts) Contact(contacts, c);
    }
    Address(node, p.address);
    if (!p.schools.empty()) {
      pugi::xml_node history = node.append_child("SchoolHistory");
      for (const CtfSchool& s : p.schools) School(history, s);
    }
    if (!p.attendance.empty()) {
      pugi::xml_node attendance = node.append_child("Attendance");
      for (const CtfYearData& y : p.attendance) YearData(attendance, y);
    }
  }
};

std::string TooBig(uint64_t bytes) {
  return fmt::format(
      "{:.1f} MB: a Common Transfer File may have at most {} MB (is it the right "
      "file?)",
      static_cast<double>(bytes) / (1024.0 * 1024.0), kMaxCtfBytes / (1024 * 1024));
}

bool AllDigits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

char CtfMarkChar(core::AttendanceCode code) {
  for (const auto& [two, one] : kTwoCharacterCodes) {
    if (two == code) return one;
  }
  return core::SymbolOf(code).front();
}

std::optional<core::AttendanceCode> CtfMarkCode(char mark) {
  for (const auto& [two, one] : kTwoCharacterCodes) {
    if (one == mark) return two;
  }
  return core::CodeFromSymbol(std::string_view(&mark, 1));
}

std::string CtfAddress::Text() const {
  std::string out;
  for (const std::string& line : lines) out += (out.empty() ? "" : "\n") + line;
  return out;
}

std::string CtfContact::Name() const {
  std::string out;
  for (const std::string* part : {&title, &given_name, &family_name}) {
    if (!part->empty()) out += (out.empty() ? "" : " ") + *part;
  }
  return out;
}

core::Status CheckCtfSize(std::string_view file, uint64_t bytes) {
  if (bytes <= kMaxCtfBytes) return core::OkStatus();
  return core::InvalidArgument(core::kErrCsvInvalid, fmt::format("{}: {}", file, TooBig(bytes)));
}

CtfFile ReadCtf(std::string_view text, std::string_view file, core::Date today, CsvErrors& errors) {
  CtfFile out;
  if (text.size() > kMaxCtfBytes) {
    errors.AddFile(file, TooBig(text.size()));
    return out;
  }
  if (std::optional<size_t> bad = FirstInvalidUtf8(text)) {
    errors.AddFile(file, fmt::format("byte {} is not UTF-8", *bad + 1));
    return out;
  }
  pugi::xml_document doc;
  // DOCTYPE is kept in the tree so it can be refused: a CTF never has one,
  // and a document type is where entities would be declared.
  const pugi::xml_parse_result parsed = doc.load_buffer(
      text.data(), text.size(), pugi::parse_default | pugi::parse_doctype, pugi::encoding_utf8);
  if (!parsed) {
    errors.AddFile(file,
                   fmt::format("not XML at byte {}: {}", parsed.offset + 1, parsed.description()));
    return out;
  }
  for (pugi::xml_node node : doc.children()) {
    if (node.type() == pugi::node_doctype) {
      errors.AddFile(file, "DOCTYPE: a Common Transfer File has no document type declaration");
      return out;
    }
  }
  const pugi::xml_node root = doc.document_element();
  if (std::string_view(root.name()) != "CTfile") {
    errors.AddFile(
        file, fmt::format("{}: the root element of a Common Transfer File is CTfile", root.name()));
    return out;
  }
  Reader reader(file, today, errors);
  const pugi::xml_node header = root.child("Header");
  out.version = Reader::Text(header, "CTFversion");
  const pugi::xml_node source = header.child("SourceSchool");
  out.source = {Reader::Text(source, "LEA"), Reader::Text(source, "Estab"),
                Reader::Text(source, "SchoolName"), std::nullopt};
  if (const std::string year = Reader::Text(source, "AcademicYear"); !year.empty()) {
    int value = 0;
    if (std::from_chars(year.data(), year.data() + year.size(), value).ec == std::errc()) {
      out.source.academic_year = value;
    }
  }
  const pugi::xml_node data = root.child("CTFpupilData");
  if (!data) {
    reader.Problem("CTFpupilData", "missing");
    return out;
  }
  std::map<std::string, std::string> upns;  // UPN -> the path that first gave it
  int i = 0;
  for (pugi::xml_node node : data.children("Pupil")) {
    const size_t before = reader.problems();
    CtfPupil p = reader.Pupil(node, fmt::format("CTFpupilData/Pupil[{}]", ++i));
    if (!p.upn.empty()) {
      auto [it, added] = upns.emplace(p.upn, p.path);
      if (!added) reader.Problem(p.path + "/UPN", fmt::format("{} is also {}", p.upn, it->second));
    }
    if (reader.problems() == before) out.pupils.push_back(std::move(p));
  }
  if (i == 0) reader.Problem("CTFpupilData", "no Pupil");
  return out;
}

CtfDestination CtfUnknownDestination() { return {"MMM", "MMMM"}; }

std::optional<CtfDestination> CtfDestinationIn(std::string_view text) {
  if (text.find("MMMMMMM") != std::string_view::npos) return CtfUnknownDestination();
  // A run of digits and slashes that is "855/2345" or "8552345", and
  // nothing longer: a phone number, a URN or a date is not a DfE number.
  auto digit_or_slash = [](char c) { return (c >= '0' && c <= '9') || c == '/'; };
  for (size_t i = 0; i < text.size(); ++i) {
    if (!digit_or_slash(text[i]) || (i > 0 && digit_or_slash(text[i - 1]))) continue;
    size_t end = i;
    while (end < text.size() && digit_or_slash(text[end])) ++end;
    const std::string_view run = text.substr(i, end - i);
    if (run.size() == 8 && run[3] == '/' && AllDigits(run.substr(0, 3)) &&
        AllDigits(run.substr(4))) {
      return CtfDestination{std::string(run.substr(0, 3)), std::string(run.substr(4))};
    }
    if (run.size() == 7 && AllDigits(run)) {
      return CtfDestination{std::string(run.substr(0, 3)), std::string(run.substr(3))};
    }
    i = end;
  }
  return std::nullopt;
}

std::string WriteCtf(const CtfHeader& header, std::span<const CtfPupil> pupils) {
  pugi::xml_document doc;
  pugi::xml_node declaration = doc.append_child(pugi::node_declaration);
  declaration.append_attribute("version") = "1.0";
  declaration.append_attribute("encoding") = "UTF-8";
  pugi::xml_node root = doc.append_child("CTfile");
  pugi::xml_node head = root.append_child("Header");
  Writer::Text(head, "DocumentName", "Common Transfer File");
  Writer::Text(head, "CTFversion", "25.0");
  Writer::Text(head, "DateTime", header.date_time);
  Writer::Text(head, "DocumentQualifier", "full");
  Writer::Text(head, "DataDescriptor", "Pupil transfer");
  Writer::Text(head, "SupplierID", "rollcall");
  pugi::xml_node source = head.append_child("SourceSchool");
  Writer::Text(source, "LEA", header.source.lea);
  Writer::Text(source, "Estab", header.source.estab);
  Writer::Text(source, "SchoolName", header.source.school_name);
  if (header.source.academic_year) {
    Writer::Number(source, "AcademicYear", *header.source.academic_year);
  }
  pugi::xml_node dest = head.append_child("DestSchool");
  Writer::Text(dest, "LEA", header.dest.lea);
  Writer::Text(dest, "Estab", header.dest.estab);
  pugi::xml_node data = root.append_child("CTFpupilData");
  for (const CtfPupil& p : pupils) Writer::Pupil(data, p);
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

}  // namespace rollcall::io
