#include "io/roll_csv.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "core/error_codes.h"
#include "core/scenario.h"
#include "core/upn.h"
#include "io/json_reader.h"
#include "io/quote.h"

namespace rollcall::io {

const std::vector<std::string> kRequiredPupilFields{
    "upn", "legal_given_name", "legal_family_name", "date_of_birth",
    "sex", "year_group",       "admission_date"};
const std::vector<std::string> kPupilFields{"upn",
                                            "legal_given_name",
                                            "legal_family_name",
                                            "date_of_birth",
                                            "sex",
                                            "year_group",
                                            "admission_date",
                                            "preferred_given_name",
                                            "preferred_family_name",
                                            "registration_group",
                                            "leaving_date",
                                            "previous_school",
                                            "boarder"};
const std::vector<std::string> kRequiredContactFields{"upn", "name"};
const std::vector<std::string> kContactFields{
    "upn",        "name",      "priority", "relationship", "parental_responsibility",
    "lives_with", "emergency", "phone",    "other_phone",  "email",
    "address",    "postcode"};

namespace {

// "a, b, c": the cells a mapping knows, for an error naming them. A loop,
// not std::views::keys, which clang 14 (the fuzz build) cannot compile
// with the standard library of g++ 12.
std::string Keys(const std::map<std::string, std::string>& values) {
  std::string out;
  for (const auto& [key, value] : values) {
    if (!out.empty()) out += ", ";
    out += key;
  }
  return out;
}

bool KnownFlag(std::string_view flag) {
  return std::find(std::begin(core::kCohortFlags), std::end(core::kCohortFlags), flag) !=
         std::end(core::kCohortFlags);
}
constexpr size_t kMaxTextCharacters = 200;

// Our own headings: the field names themselves, ISO dates, a flag column per
// flag with its start date beside it, and the SEN status as K or E.
constexpr char kRollcallPreset[] = R"({
  "pupils": {
    "upn": "upn", "legal_given_name": "legal_given_name",
    "legal_family_name": "legal_family_name", "preferred_given_name": "preferred_given_name",
    "preferred_family_name": "preferred_family_name", "date_of_birth": "date_of_birth",
    "sex": "sex", "year_group": "year_group", "registration_group": "registration_group",
    "admission_date": "admission_date", "leaving_date": "leaving_date",
    "previous_school": "previous_school", "boarder": "boarder"
  },
  "flags": [
    {"column": "fsm", "flag": "FSM", "from_column": "fsm_from"},
    {"column": "pp", "flag": "PP", "from_column": "pp_from"},
    {"column": "sen", "values": {"K": "SEN_K", "E": "EHCP", "N": ""}, "from_column": "sen_from"},
    {"column": "cla", "flag": "CLA", "from_column": "cla_from"},
    {"column": "sw", "flag": "SW", "from_column": "sw_from"},
    {"column": "yc", "flag": "YC", "from_column": "yc_from"},
    {"column": "eal", "flag": "EAL", "from_column": "eal_from"}
  ],
  "contacts": {
    "upn": "upn", "priority": "priority", "name": "name", "relationship": "relationship",
    "parental_responsibility": "parental_responsibility", "lives_with": "lives_with",
    "emergency": "emergency", "phone": "phone", "other_phone": "other_phone", "email": "email",
    "address": "address", "postcode": "postcode"
  },
  "values": {"year_group": {"R": 0, "Reception": 0}},
  "date_format": "YYYY-MM-DD"
})";

// Headings in words with the legal surname and forename apart, and UK dates,
// as many MIS exports write them (docs/import.md lists them column by column).
constexpr char kSurnameForenamePreset[] = R"({
  "pupils": {
    "upn": "UPN", "legal_family_name": "Legal Surname", "legal_given_name": "Legal Forename",
    "preferred_family_name": "Preferred Surname", "preferred_given_name": "Preferred Forename",
    "date_of_birth": "DOB", "sex": "Gender", "year_group": "Year", "registration_group": "Reg",
    "admission_date": "Admission Date", "leaving_date": "Leaving Date",
    "previous_school": "Previous School", "boarder": "Boarder"
  },
  "flags": [
    {"column": "FSM Eligible", "flag": "FSM", "from_column": "FSM Start Date"},
    {"column": "Pupil Premium", "flag": "PP"},
    {"column": "SEN Status", "values": {"K": "SEN_K", "E": "EHCP", "N": ""},
     "from_column": "SEN Start Date"},
    {"column": "In Care", "flag": "CLA"},
    {"column": "EAL", "flag": "EAL"}
  ],
  "contacts": {
    "upn": "UPN", "priority": "Priority", "name": ["Contact Forename", "Contact Surname"],
    "relationship": "Relationship", "parental_responsibility": "Parental Responsibility",
    "lives_with": "Lives With Pupil", "emergency": "Emergency Contact",
    "phone": "Telephone", "other_phone": "Mobile", "email": "Email",
    "address": ["Address 1", "Address 2", "Town", "County"], "postcode": "Postcode"
  },
  "values": {
    "sex": {"Male": "M", "Female": "F"},
    "year_group": {"R": 0, "Reception": 0, "Rec": 0, "Year 1": 1, "Year 2": 2, "Year 3": 3,
                   "Year 4": 4, "Year 5": 5, "Year 6": 6, "Year 7": 7, "Year 8": 8,
                   "Year 9": 9, "Year 10": 10, "Year 11": 11, "Year 12": 12, "Year 13": 13}
  },
  "date_format": "DD/MM/YYYY"
})";

const std::vector<std::pair<std::string, const char*>> kPresets{
    {"rollcall", kRollcallPreset}, {"surname-forename-dmy", kSurnameForenamePreset}};

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<int> WholeNumber(std::string_view text) {
  int n = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return n;
}

// Words as a message lists them: quoted, so that an empty one shows.
std::string Listed(const std::set<std::string>& words) {
  std::vector<std::string> quoted;
  for (const std::string& w : words) quoted.push_back(Quote(w));
  return fmt::format("{}", fmt::join(quoted, ", "));
}

core::Status MappingError(std::string_view name, std::string_view problem) {
  return core::InvalidArgument(core::kErrValueInvalid,
                               fmt::format("mapping {}: {}", Quote(name), problem));
}

// A field's headings: one string or a list of them.
core::StatusOr<std::map<std::string, std::vector<std::string>>> FieldsOf(
    const nlohmann::json& object, std::string_view name, std::string_view part,
    const std::vector<std::string>& known, const std::vector<std::string>& required) {
  std::map<std::string, std::vector<std::string>> out;
  if (!object.is_object()) return MappingError(name, fmt::format("{} must be an object", part));
  for (const auto& [field, value] : object.items()) {
    if (std::find(known.begin(), known.end(), field) == known.end()) {
      return MappingError(name, fmt::format("{} has no field {} (it has {})", part, Quote(field),
                                            fmt::join(known, ", ")));
    }
    std::vector<std::string> headings;
    if (value.is_string()) headings.push_back(value.get<std::string>());
    if (value.is_array()) {
      for (const nlohmann::json& h : value) {
        if (!h.is_string()) headings.clear();
        if (!h.is_string()) break;
        headings.push_back(h.get<std::string>());
      }
    }
    if (headings.empty() || std::any_of(headings.begin(), headings.end(),
                                        [](const std::string& h) { return h.empty(); })) {
      return MappingError(
          name, fmt::format("{}.{} must be a column heading or a list of them", part, field));
    }
    out[field] = std::move(headings);
  }
  for (const std::string& field : required) {
    if (!out.contains(field)) {
      return MappingError(name, fmt::format("{} must name the column of {}", part, field));
    }
  }
  return out;
}

core::StatusOr<std::set<std::string>> WordsOf(const nlohmann::json& list, std::string_view name,
                                              std::string_view key) {
  std::set<std::string> out;
  if (!list.is_array()) return MappingError(name, fmt::format("values.{} must be a list", key));
  for (const nlohmann::json& w : list) {
    if (!w.is_string()) {
      return MappingError(name, fmt::format("values.{} must be a list of text", key));
    }
    out.insert(Lower(w.get<std::string>()));
  }
  return out;
}

// The parts of a CSV file the mapping reads: each field's column indexes,
// and the problems of a header that lacks a required column.
struct Columns {
  std::map<std::string, std::vector<size_t>> field;
  std::map<std::string, size_t> heading;  // every heading of the file
  std::optional<size_t> Find(const std::string& h) const {
    auto it = heading.find(h);
    return it == heading.end() ? std::nullopt : std::optional<size_t>(it->second);
  }
};

// Reads the header; false (with the problems added) when the file cannot be
// read or lacks a required column.
bool ReadHeader(CsvReader& reader, std::string_view file,
                const std::map<std::string, std::vector<std::string>>& fields,
                const std::vector<std::string>& required, std::string_view mapping,
                Columns& columns, CsvErrors& errors) {
  core::StatusOr<std::vector<std::string>> head = reader.Header();
  if (!head.ok()) {
    std::string message = head.status().message();
    if (message.starts_with("line 1: ")) message.erase(0, 8);
    errors.Add(file, 1, std::move(message));
    return false;
  }
  for (size_t i = 0; i < head->size(); ++i) columns.heading[(*head)[i]] = i;
  bool ok = true;
  for (const auto& [field, headings] : fields) {
    std::vector<size_t> found;
    std::vector<std::string> missing;
    for (const std::string& h : headings) {
      if (std::optional<size_t> at = columns.Find(h)) {
        found.push_back(*at);
      } else {
        missing.push_back(Quote(h));
      }
    }
    const bool needed = std::find(required.begin(), required.end(), field) != required.end();
    if (needed && found.empty()) {
      errors.Add(file, 1,
                 fmt::format("no column {} for {}, which the mapping {} requires",
                             fmt::join(missing, " or "), field, Quote(mapping)));
      ok = false;
    }
    if (!found.empty()) columns.field[field] = std::move(found);
  }
  return ok;
}

// One row's cells, read through the mapping; each problem is added once,
// with the row's line and the field it is about.
class Row {
 public:
  Row(const std::vector<std::string>& cells, const Columns& columns, const RollMapping& mapping,
      std::string_view file, int64_t line, CsvErrors& errors)
      : cells_(cells),
        columns_(columns),
        mapping_(mapping),
        file_(file),
        line_(line),
        errors_(errors) {}

  bool ok() const { return ok_; }
  bool Has(const std::string& field) const { return columns_.field.contains(field); }
  void Problem(std::string_view field, std::string problem) {
    errors_.Add(file_, line_, fmt::format("{}: {}", field, problem));
    ok_ = false;
  }

  // The field's cells joined by `separator` (empty cells left out).
  std::string Text(const std::string& field, bool required = false,
                   std::string_view separator = " ") {
    std::string out;
    auto it = columns_.field.find(field);
    if (it != columns_.field.end()) {
      for (size_t i : it->second) {
        if (cells_[i].empty()) continue;
        if (!out.empty()) out += separator;
        out += cells_[i];
      }
    }
    if (required && out.empty()) Problem(field, "is empty");
    if (CharacterCount(out) > kMaxTextCharacters) {
      Problem(field,
              fmt::format("{} is longer than {} characters", Quote(out), kMaxTextCharacters));
    }
    return out;
  }

  std::optional<core::Date> DateCell(const std::string& field, std::string_view cell) {
    std::optional<core::Date> d;
    if (mapping_.date_format == DateFormat::kIso) {
      d = core::Date::Parse(cell);
    } else if (cell.size() == 10 && cell[2] == '/' && cell[5] == '/') {
      d = core::Date::Parse(
          fmt::format("{}-{}-{}", cell.substr(6, 4), cell.substr(3, 2), cell.substr(0, 2)));
    }
    if (!d) {
      Problem(field,
              fmt::format("{} is not a date ({})", Quote(cell),
                          mapping_.date_format == DateFormat::kIso ? "YYYY-MM-DD" : "DD/MM/YYYY"));
    }
    return d;
  }
  std::optional<core::Date> Date(const std::string& field, bool required) {
    const std::string cell = Text(field, required);
    if (cell.empty()) return std::nullopt;
    return DateCell(field, cell);
  }

  std::optional<bool> YesNo(const std::string& field, std::string_view cell) {
    const std::string key = Lower(cell);
    if (mapping_.yes.contains(key)) return true;
    if (mapping_.no.contains(key)) return false;
    Problem(field, fmt::format("{} is neither yes nor no (the mapping's yes: {}; no: {})",
                               Quote(cell), Listed(mapping_.yes), Listed(mapping_.no)));
    return std::nullopt;
  }
  bool Flag(const std::string& field) {
    if (!Has(field)) return false;
    return YesNo(field, Text(field)).value_or(false);
  }

 private:
  static size_t CharacterCount(std::string_view text) {
    return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
      return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
  }

  const std::vector<std::string>& cells_;
  const Columns& columns_;
  const RollMapping& mapping_;
  std::string_view file_;
  int64_t line_;
  CsvErrors& errors_;
  bool ok_ = true;
};

std::string UpnOf(Row& row) {
  std::string upn;
  for (char c : row.Text("upn", true)) {
    if (c != ' ') upn += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (upn.empty()) return upn;
  if (core::Status s = core::CheckUpn(upn); !s.ok()) row.Problem("upn", s.message());
  return upn;
}

bool TooLarge(std::string_view text, std::string_view file, CsvErrors& errors) {
  core::Status s = CheckRollFileSize(file, text.size());
  if (!s.ok()) errors.AddFile(file, s.message());
  return !s.ok();
}

}  // namespace

std::set<std::string> FlagColumn::Governs() const {
  std::set<std::string> out;
  if (!flag.empty()) out.insert(flag);
  for (const auto& [cell, f] : values) {
    if (!f.empty()) out.insert(f);
  }
  return out;
}

core::Status CheckRollFileSize(std::string_view file, uint64_t bytes) {
  if (bytes <= kMaxRollFileBytes) return core::OkStatus();
  return core::InvalidArgument(
      kErrCsvInvalid,
      fmt::format("{} is {:.1f} MB: an import file may have at most {} MB (is it the right file?)",
                  file, static_cast<double>(bytes) / (1024.0 * 1024.0),
                  kMaxRollFileBytes / (1024 * 1024)));
}

core::StatusOr<RollMapping> ParseRollMapping(std::string_view json, std::string_view name) {
  core::StatusOr<StrictJson> doc = ParseStrictJson(json);
  if (!doc.ok()) return MappingError(name, doc.status().message());
  const nlohmann::json& root = doc->value;
  if (!root.is_object()) return MappingError(name, "must be a JSON object");
  for (const auto& [key, value] : root.items()) {
    if (key != "pupils" && key != "contacts" && key != "flags" && key != "values" &&
        key != "date_format") {
      return MappingError(
          name,
          fmt::format("unknown key {} (pupils, contacts, flags, values, date_format)", Quote(key)));
    }
  }
  RollMapping m;
  m.name = std::string(name);
  if (!root.contains("pupils")) return MappingError(name, "must have pupils");
  ASSIGN_OR_RETURN(m.pupils,
                   FieldsOf(root["pupils"], name, "pupils", kPupilFields, kRequiredPupilFields));
  if (root.contains("contacts")) {
    ASSIGN_OR_RETURN(m.contacts, FieldsOf(root["contacts"], name, "contacts", kContactFields,
                                          kRequiredContactFields));
  }
  if (root.contains("flags")) {
    if (!root["flags"].is_array()) return MappingError(name, "flags must be a list");
    for (const nlohmann::json& f : root["flags"]) {
      FlagColumn column;
      if (!f.is_object() || !f.contains("column") || !f["column"].is_string()) {
        return MappingError(name, "each of flags must have a column");
      }
      column.heading = f["column"].get<std::string>();
      for (const auto& [key, value] : f.items()) {
        if (key == "column") continue;
        if (key == "flag" && value.is_string()) {
          column.flag = value.get<std::string>();
        } else if (key == "from_column" && value.is_string()) {
          column.from_heading = value.get<std::string>();
        } else if (key == "values" && value.is_object()) {
          for (const auto& [cell, flag] : value.items()) {
            if (!flag.is_string()) return MappingError(name, "flag values must be flag names");
            column.values[Lower(cell)] = flag.get<std::string>();
          }
        } else {
          return MappingError(name, fmt::format("flag column {}: {} is not flag, values or "
                                                "from_column, or is of the wrong type",
                                                Quote(column.heading), Quote(key)));
        }
      }
      if (column.flag.empty() == column.values.empty()) {
        return MappingError(
            name, fmt::format("flag column {} needs either flag or values", Quote(column.heading)));
      }
      for (const std::string& flag : column.Governs()) {
        if (!KnownFlag(flag)) {
          return MappingError(name, fmt::format("{} is not a flag rollcall knows ({})", Quote(flag),
                                                fmt::join(core::kCohortFlags, ", ")));
        }
      }
      m.flags.push_back(std::move(column));
    }
  }
  m.yes = {"yes", "y", "true", "1"};
  m.no = {"no", "n", "false", "0", ""};
  m.sex = {{"f", "F"}, {"m", "M"}};
  if (root.contains("values")) {
    const nlohmann::json& values = root["values"];
    if (!values.is_object()) return MappingError(name, "values must be an object");
    for (const auto& [key, value] : values.items()) {
      if (key == "yes") {
        ASSIGN_OR_RETURN(m.yes, WordsOf(value, name, key));
      } else if (key == "no") {
        ASSIGN_OR_RETURN(m.no, WordsOf(value, name, key));
      } else if (key == "sex" && value.is_object()) {
        for (const auto& [cell, sex] : value.items()) {
          if (sex != "F" && sex != "M") return MappingError(name, "values.sex maps to F or M");
          m.sex[Lower(cell)] = sex.get<std::string>();
        }
      } else if (key == "year_group" && value.is_object()) {
        for (const auto& [cell, year] : value.items()) {
          if (!year.is_number_integer() || year.get<int64_t>() < 0 || year.get<int64_t>() > 13) {
            return MappingError(name, "values.year_group maps to 0 (Reception) to 13");
          }
          m.year_group[Lower(cell)] = year.get<int>();
        }
      } else {
        return MappingError(
            name, fmt::format("values.{} is not yes, no, sex or year_group, or is of the wrong "
                              "type",
                              key));
      }
    }
  }
  for (const std::string& w : m.yes) {
    if (m.no.contains(w)) {
      return MappingError(name, fmt::format("{} is both yes and no", Quote(w)));
    }
  }
  if (root.contains("date_format")) {
    const nlohmann::json& f = root["date_format"];
    if (f == "YYYY-MM-DD") {
      m.date_format = DateFormat::kIso;
    } else if (f == "DD/MM/YYYY") {
      m.date_format = DateFormat::kDayMonthYear;
    } else {
      return MappingError(name, "date_format is YYYY-MM-DD or DD/MM/YYYY");
    }
  }
  return m;
}

std::vector<std::string> RollMappingPresetNames() {
  std::vector<std::string> names;
  for (const auto& [name, json] : kPresets) names.push_back(name);
  return names;
}

core::StatusOr<RollMapping> RollMappingPreset(std::string_view name) {
  for (const auto& [preset, json] : kPresets) {
    if (preset == name) return ParseRollMapping(json, preset);
  }
  return core::InvalidArgument(
      core::kErrValueInvalid,
      fmt::format("no built-in mapping {} (there are {}; or give a mapping file)", Quote(name),
                  fmt::join(RollMappingPresetNames(), ", ")));
}

RollPupilsFile ReadRollPupils(std::string_view text, std::string_view file,
                              const RollMapping& mapping, core::Date today, CsvErrors& errors) {
  RollPupilsFile out;
  if (TooLarge(text, file, errors)) return out;
  CsvReader reader(text, file);
  Columns columns;
  if (!ReadHeader(reader, file, mapping.pupils, kRequiredPupilFields, mapping.name, columns,
                  errors)) {
    return out;
  }
  for (const auto& [field, at] : columns.field) out.fields.insert(field);
  const core::Date first_admission = *core::Date::FromYmd(1990, 1, 1);
  const core::Date last_admission = *core::Date::FromYmd(today.year() + 1, 12, 31);
  const core::Date first_birth = today.YearsEarlier(25);
  std::map<std::string, int64_t> seen;
  int64_t line = 0;
  std::vector<std::string> cells;
  while (reader.Next(errors, line, cells)) {
    Row row(cells, columns, mapping, file, line, errors);
    RollPupilRow p;
    p.line = line;
    p.upn = UpnOf(row);
    p.legal_given_name = row.Text("legal_given_name", true);
    p.legal_family_name = row.Text("legal_family_name", true);
    p.preferred_given_name = row.Text("preferred_given_name");
    p.preferred_family_name = row.Text("preferred_family_name");
    const std::optional<core::Date> born = row.Date("date_of_birth", true);
    if (born && (*born > today || *born < first_birth)) {
      row.Problem("date_of_birth", fmt::format("{} is not the birthday of a pupil of school age "
                                               "(from {} to today)",
                                               born->LongText(), first_birth.LongText()));
    }
    const std::string sex = row.Text("sex", true);
    if (auto it = mapping.sex.find(Lower(sex)); it != mapping.sex.end()) {
      p.sex = it->second;
    } else if (!sex.empty()) {
      row.Problem("sex", fmt::format("{} is not one the mapping knows ({})", Quote(sex),
                                     Keys(mapping.sex)));
    }
    const std::string year = row.Text("year_group", true);
    if (auto it = mapping.year_group.find(Lower(year)); it != mapping.year_group.end()) {
      p.year_group = it->second;
    } else if (std::optional<int> n = WholeNumber(year); n && *n >= 0 && *n <= 13) {
      p.year_group = *n;
    } else if (!year.empty()) {
      row.Problem("year_group",
                  fmt::format("{} is not a year group rollcall knows (Reception, or 1 to 13)",
                              Quote(year)));
    }
    p.registration_group = row.Text("registration_group");
    const std::optional<core::Date> admitted = row.Date("admission_date", true);
    p.leaving = row.Date("leaving_date", false);
    for (const auto& [field, d] :
         {std::pair{"admission_date", admitted}, std::pair{"leaving_date", p.leaving}}) {
      if (d && (*d < first_admission || *d > last_admission)) {
        row.Problem(field, fmt::format("{} is outside {} to {}", d->LongText(),
                                       first_admission.LongText(), last_admission.LongText()));
      }
    }
    if (born && admitted && *admitted < *born) {
      row.Problem("date_of_birth", fmt::format("{} is after the admission date, {}",
                                               born->LongText(), admitted->LongText()));
    }
    if (admitted && p.leaving && *p.leaving < *admitted) {
      row.Problem("leaving_date", fmt::format("{} is before the admission date, {}",
                                              p.leaving->LongText(), admitted->LongText()));
    }
    p.previous_school = row.Text("previous_school");
    p.boarder = row.Flag("boarder");
    for (const FlagColumn& f : mapping.flags) {
      const std::optional<size_t> at = columns.Find(f.heading);
      if (!at) continue;
      const std::string& cell = cells[*at];
      RollFlag flag{f.Governs(), "", admitted.value_or(core::Date())};
      if (!f.flag.empty()) {
        if (row.YesNo(f.heading, cell).value_or(false)) flag.held = f.flag;
      } else if (auto v = f.values.find(Lower(cell)); v != f.values.end()) {
        flag.held = v->second;
      } else {
        row.Problem(f.heading, fmt::format("{} is not one the mapping knows ({})", Quote(cell),
                                           Keys(f.values)));
      }
      if (const std::optional<size_t> from = columns.Find(f.from_heading);
          from && !flag.held.empty() && !cells[*from].empty()) {
        if (std::optional<core::Date> d = row.DateCell(f.from_heading, cells[*from])) {
          flag.from = *d;
        }
      }
      p.flags.push_back(std::move(flag));
    }
    if (!p.upn.empty()) {
      auto [it, added] = seen.emplace(p.upn, line);
      if (!added) row.Problem("upn", fmt::format("{} is also on line {}", p.upn, it->second));
    }
    if (!row.ok() || !born || !admitted) continue;
    p.date_of_birth = *born;
    p.admission = *admitted;
    out.rows.push_back(std::move(p));
  }
  return out;
}

RollContactsFile ReadRollContacts(std::string_view text, std::string_view file,
                                  const RollMapping& mapping, CsvErrors& errors) {
  RollContactsFile out;
  if (TooLarge(text, file, errors)) return out;
  if (mapping.contacts.empty()) {
    errors.AddFile(file, fmt::format("the mapping {} has no contacts part", Quote(mapping.name)));
    return out;
  }
  CsvReader reader(text, file);
  Columns columns;
  if (!ReadHeader(reader, file, mapping.contacts, kRequiredContactFields, mapping.name, columns,
                  errors)) {
    return out;
  }
  for (const auto& [field, at] : columns.field) out.fields.insert(field);
  std::map<std::pair<std::string, int>, int64_t> priorities;
  int64_t line = 0;
  std::vector<std::string> cells;
  while (reader.Next(errors, line, cells)) {
    Row row(cells, columns, mapping, file, line, errors);
    RollContactRow c;
    c.line = line;
    c.upn = UpnOf(row);
    c.name = row.Text("name", true);
    c.relationship = row.Text("relationship");
    c.phone = row.Text("phone");
    c.other_phone = row.Text("other_phone");
    c.email = row.Text("email");
    if (!c.email.empty() && c.email.find('@') == std::string::npos) {
      row.Problem("email", fmt::format("{} has no @", Quote(c.email)));
    }
    c.address = row.Text("address", false, "\n");
    c.postcode = row.Text("postcode");
    c.parental_responsibility = row.Flag("parental_responsibility");
    c.lives_with = row.Flag("lives_with");
    c.emergency = row.Flag("emergency");
    if (const std::string priority = row.Text("priority"); !priority.empty()) {
      const std::optional<int> n = WholeNumber(priority);
      if (!n || *n < 1 || *n > 99) {
        row.Problem("priority", fmt::format("{} is not a number from 1 to 99", Quote(priority)));
      } else {
        c.priority = n;
        auto [it, added] = priorities.emplace(std::make_pair(c.upn, *n), line);
        if (!added) {
          row.Problem("priority",
                      fmt::format("{}'s contact {} is also on line {}", c.upn, *n, it->second));
        }
      }
    }
    if (row.ok()) out.rows.push_back(std::move(c));
  }
  return out;
}

}  // namespace rollcall::io
