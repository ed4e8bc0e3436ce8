#include "service/roll_import.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "core/error_codes.h"
#include "io/ctf_xml.h"
#include "io/quote.h"
#include "service/records.h"

namespace rollcall::service {
namespace {

bool SameFlags(const std::vector<store::CohortFlag>& a, const std::vector<store::CohortFlag>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return std::tie(x.flag, x.from, x.to) == std::tie(y.flag, y.from, y.to);
  });
}

bool SameEnrolments(const std::vector<store::Enrolment>& a,
                    const std::vector<store::Enrolment>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return std::tie(x.start, x.end, x.deletion_ground, x.destination) ==
           std::tie(y.start, y.end, y.deletion_ground, y.destination);
  });
}

auto ContactFields(const store::Contact& c) {
  return std::tie(c.priority, c.name, c.relationship, c.phone, c.email, c.user_id,
                  c.parental_responsibility, c.salutation, c.address, c.postcode, c.lives_with,
                  c.emergency, c.other_phone, c.confirmed_on, c.preferred_channel,
                  c.optional_opt_out, c.messages_without_pr, c.consent_at, c.consent_by,
                  c.consent_note);
}

// Whether the entry would be written unchanged: then it is not written.
bool SameEntry(const store::Pupil& a, const store::Pupil& b) {
  return std::tie(a.upn, a.legal_given_name, a.legal_family_name, a.preferred_given_name,
                  a.preferred_family_name, a.date_of_birth, a.sex, a.year_group, a.class_id,
                  a.boarder, a.previous_school) ==
             std::tie(b.upn, b.legal_given_name, b.legal_family_name, b.preferred_given_name,
                      b.preferred_family_name, b.date_of_birth, b.sex, b.year_group, b.class_id,
                      b.boarder, b.previous_school) &&
         SameFlags(a.flags, b.flags) && SameEnrolments(a.enrolments, b.enrolments) &&
         std::equal(
             a.contacts.begin(), a.contacts.end(), b.contacts.begin(), b.contacts.end(),
             [](const auto& x, const auto& y) { return ContactFields(x) == ContactFields(y); });
}

// The year groups a school of `phase` teaches: all of them unless its phase
// says otherwise.
bool PhaseTeaches(const std::string& phase, int year_group) {
  if (phase == "primary") return year_group <= 6;
  if (phase == "secondary") return year_group >= 7;
  return true;
}

// The cohort flags a column decides, as the file gives them: an open flag
// the file no longer gives ends yesterday (or goes, if it started since);
// a flag the file gives that the pupil does not hold starts on its date.
void ApplyFlag(const io::RollFlag& f, core::Date today, std::vector<store::CohortFlag>& flags) {
  const core::Date yesterday = today.AddDays(-1);
  bool held = false;
  for (auto it = flags.begin(); it != flags.end();) {
    if (!f.governs.contains(it->flag) || it->to) {
      ++it;
      continue;
    }
    if (it->flag == f.held) {
      held = true;
      ++it;
    } else if (it->from <= yesterday) {
      it->to = yesterday;
      ++it;
    } else {
      it = flags.erase(it);
    }
  }
  if (!f.held.empty() && !held) flags.push_back({f.held, f.from, std::nullopt});
}

store::Contact ContactOf(const io::RollContactRow& row, const std::set<std::string>& fields,
                         int priority, const std::vector<store::Contact>& before) {
  store::Contact c;
  // The same person as before keeps what the file does not say: their
  // parent account, greeting, and when they were last confirmed.
  for (const store::Contact& old : before) {
    if (LowerCase(old.name) == LowerCase(row.name)) c = old;
  }
  c.priority = priority;
  c.name = row.name;
  auto set = [&](const char* field, auto& to, const auto& from) {
    if (fields.contains(field)) to = from;
  };
  set("relationship", c.relationship, row.relationship);
  set("phone", c.phone, row.phone);
  set("other_phone", c.other_phone, row.other_phone);
  set("email", c.email, row.email);
  set("address", c.address, row.address);
  set("postcode", c.postcode, row.postcode);
  set("parental_responsibility", c.parental_responsibility, row.parental_responsibility);
  set("lives_with", c.lives_with, row.lives_with);
  set("emergency", c.emergency, row.emergency);
  return c;
}

}  // namespace

core::StatusOr<RollImport::Roll> RollImport::ReadRoll(const Principal& who) const {
  auto lock = school_.Read();
  RETURN_IF_ERROR(school_.Allow(who, Action::kImportRoll, {}));
  const Snapshot& s = school_.snapshot();
  Roll roll;
  roll.pupils = s.pupils;
  for (size_t i = 0; i < roll.pupils.size(); ++i) roll.by_upn[roll.pupils[i].upn] = i;
  for (const auto& [id, c] : s.classes) roll.classes[c.name] = c;
  roll.phase = s.school.phase;
  return roll;
}

core::StatusOr<RollImportResult> RollImport::Import(const Principal& who,
                                                    const RollImportRequest& r) {
  const auto write = school_.BeginWrite();
  ASSIGN_OR_RETURN(const Roll roll, ReadRoll(who));
  io::CsvErrors errors;
  const io::RollPupilsFile file =
      io::ReadRollPupils(r.pupils.text, r.pupils.name, r.mapping, school_.clock().Today(), errors);
  io::RollContactsFile contacts;
  if (r.contacts) {
    contacts = io::ReadRollContacts(r.contacts->text, r.contacts->name, r.mapping, errors);
  }
  std::string what = r.pupils.name;
  if (r.contacts) what += " and " + r.contacts->name;
  const RowNames names{r.pupils.name, r.contacts ? r.contacts->name : "", {}};
  Plan plan = PlanWrites(roll, file, contacts, names, errors);
  if (!errors.empty()) return errors.ToStatus(what);
  if (r.dry_run || plan.writes.empty()) return plan.result;

  const store::Actor actor{who.user_id, who.name, who.role};
  RETURN_IF_ERROR(school_.store()
                      .SavePupils(plan.new_classes, plan.writes, actor,
                                  school_.clock().NowSeconds(), "Imported from " + what)
                      .status());
  // A bulk change to the roll: read the whole school again.
  RETURN_IF_ERROR(school_.Load());
  return plan.result;
}

RollImport::Plan RollImport::PlanWrites(const Roll& roll, const io::RollPupilsFile& file,
                                        const io::RollContactsFile& contacts, const RowNames& names,
                                        io::CsvErrors& errors) const {
  const std::vector<store::Pupil>& school_pupils = roll.pupils;
  const std::map<std::string, size_t>& existing = roll.by_upn;
  const std::map<std::string, store::Class>& classes = roll.classes;
  const std::string& phase = roll.phase;
  const core::Date today = school_.clock().Today();
  const std::string& pupils_file = names.pupils;
  // A problem of a pupils row: by its line, or by its element's path.
  auto problem = [&](int64_t line, std::string text) {
    if (names.paths.empty()) {
      errors.Add(pupils_file, line, std::move(text));
    } else {
      errors.AddFile(pupils_file,
                     fmt::format("{}: {}", names.paths[static_cast<size_t>(line - 1)], text));
    }
  };
  std::set<std::string> in_file;
  for (const io::RollPupilRow& row : file.rows) in_file.insert(row.upn);

  // Classes: a registration group the school has must be of the row's year
  // group; a new one takes its first row's year group, and the others must agree.
  std::vector<store::Class> new_classes;
  std::map<std::string, std::pair<size_t, int64_t>> new_class_line;  // name -> (index, line)
  std::map<std::string, store::Pupil> entries;                       // by UPN
  for (const io::RollPupilRow& row : file.rows) {
    if (!PhaseTeaches(phase, row.year_group)) {
      problem(row.line, fmt::format("year_group: {} is not taught in a {} school",
                                    YearGroupName(row.year_group), phase));
    }
    auto found = existing.find(row.upn);
    store::Pupil p = found == existing.end() ? store::Pupil{} : school_pupils[found->second];
    p.upn = row.upn;
    p.legal_given_name = row.legal_given_name;
    p.legal_family_name = row.legal_family_name;
    if (file.fields.contains("preferred_given_name")) {
      p.preferred_given_name = row.preferred_given_name;
    }
    if (file.fields.contains("preferred_family_name")) {
      p.preferred_family_name = row.preferred_family_name;
    }
    p.date_of_birth = row.date_of_birth;
    p.sex = row.sex;
    p.year_group = row.year_group;
    if (file.fields.contains("previous_school")) p.previous_school = row.previous_school;
    if (file.fields.contains("boarder")) p.boarder = row.boarder;
    if (file.fields.contains("registration_group")) {
      p.class_id.reset();
      const std::string& group = row.registration_group;
      if (auto c = classes.find(group); !group.empty() && c != classes.end()) {
        p.class_id = c->second.id;
        if (c->second.year_group != row.year_group) {
          problem(row.line,
                  fmt::format("registration_group: {} is a {} class, not {}", group,
                              YearGroupName(c->second.year_group), YearGroupName(row.year_group)));
        }
      } else if (!group.empty()) {
        auto [it, added] = new_class_line.emplace(group, std::pair{new_classes.size(), row.line});
        if (added) new_classes.push_back({0, group, row.year_group, {}});
        const store::Class& made = new_classes[it->second.first];
        if (made.year_group != row.year_group) {
          problem(row.line, fmt::format("registration_group: {} is {} on line {}, not {}", group,
                                        YearGroupName(made.year_group), it->second.second,
                                        YearGroupName(row.year_group)));
        }
        p.class_id = -static_cast<int64_t>(it->second.first + 1);
      }
    }
    // The admission: the enrolment that starts that day, or the only one
    // (a corrected admission date); a leaving date ends it.
    auto same_start =
        std::find_if(p.enrolments.begin(), p.enrolments.end(),
                     [&](const store::Enrolment& e) { return e.start == row.admission; });
    if (same_start == p.enrolments.end() && p.enrolments.size() > 1) {
      problem(row.line, fmt::format("admission_date: {} starts none of the pupil's {} admissions "
                                    "recorded in rollcall; change them on the pupil's page",
                                    row.admission.LongText(), p.enrolments.size()));
    } else if (same_start == p.enrolments.end()) {
      p.enrolments = {{row.admission, row.leaving, "", ""}};
    } else if (row.leaving) {
      same_start->end = row.leaving;
    }
    for (const io::RollFlag& f : row.flags) ApplyFlag(f, today, p.flags);
    entries[row.upn] = std::move(p);
  }

  // Contacts: each pupil the contacts file names gets exactly its rows.
  std::map<std::string, std::vector<const io::RollContactRow*>> contact_rows;
  for (const io::RollContactRow& row : contacts.rows) {
    if (!in_file.contains(row.upn) && !existing.contains(row.upn)) {
      errors.Add(names.contacts, row.line,
                 fmt::format("upn: no pupil {} in {} or in the school", row.upn, pupils_file));
      continue;
    }
    contact_rows[row.upn].push_back(&row);
  }
  Plan plan;
  if (!errors.empty()) return plan;
  for (const auto& [upn, rows] : contact_rows) {
    auto entry = entries.find(upn);
    if (entry == entries.end()) {
      entry = entries.emplace(upn, school_pupils[existing.at(upn)]).first;
    }
    store::Pupil& p = entry->second;
    std::vector<store::Contact> list;
    for (size_t i = 0; i < rows.size(); ++i) {
      list.push_back(ContactOf(*rows[i], contacts.fields,
                               rows[i]->priority.value_or(static_cast<int>(i + 1)), p.contacts));
    }
    std::stable_sort(list.begin(), list.end(),
                     [](const auto& a, const auto& b) { return a.priority < b.priority; });
    p.contacts = std::move(list);
  }

  RollImportResult& result = plan.result;
  std::vector<store::Pupil>& writes = plan.writes;
  // In the files' order, so that new pupils' ids follow the pupils file.
  auto consider = [&](const std::string& upn) {
    auto entry = entries.find(upn);
    if (entry == entries.end()) return;
    store::Pupil& p = entry->second;
    std::sort(p.enrolments.begin(), p.enrolments.end(),
              [](const auto& a, const auto& b) { return a.start < b.start; });
    if (auto found = existing.find(upn); found == existing.end()) {
      ++result.admitted;
      writes.push_back(std::move(p));
    } else if (SameEntry(p, school_pupils[found->second])) {
      ++result.unchanged;
    } else {
      ++result.updated;
      writes.push_back(std::move(p));
    }
    entries.erase(entry);
  };
  for (const io::RollPupilRow& row : file.rows) consider(row.upn);
  for (const io::RollContactRow& row : contacts.rows) consider(row.upn);
  result.classes_added = static_cast<int64_t>(new_classes.size());
  plan.new_classes = std::move(new_classes);
  return plan;
}

namespace {

// The fields a CTF gives, as the roll import's columns.
const std::set<std::string> kCtfPupilFields{"upn",
                                            "legal_given_name",
                                            "legal_family_name",
                                            "preferred_given_name",
                                            "preferred_family_name",
                                            "date_of_birth",
                                            "sex",
                                            "year_group",
                                            "admission_date",
                                            "previous_school"};
const std::set<std::string> kCtfContactFields{
    "upn",   "name",        "priority", "relationship", "parental_responsibility",
    "phone", "other_phone", "email",    "address",      "postcode"};

// The school a pupil comes from, as the admission register writes it.
std::string SourceSchool(const io::CtfFile& ctf) {
  const io::CtfSource& s = ctf.source;
  if (s.school_name.empty()) return "";
  if (s.lea.empty() || s.estab.empty()) return s.school_name;
  return fmt::format("{} ({}/{})", s.school_name, s.lea, s.estab);
}

bool SamePrevious(const store::PreviousAttendance& a, const store::PreviousAttendance& b) {
  return std::tie(a.academic_year, a.lea, a.estab, a.school_name, a.possible, a.authorised,
                  a.attended, a.unauthorised, a.marks_start, a.marks) ==
         std::tie(b.academic_year, b.lea, b.estab, b.school_name, b.possible, b.authorised,
                  b.attended, b.unauthorised, b.marks_start, b.marks);
}

}  // namespace

core::StatusOr<RollImportResult> RollImport::ImportCtf(const Principal& who,
                                                       const CtfImportRequest& r) {
  const auto write = school_.BeginWrite();
  ASSIGN_OR_RETURN(const Roll roll, ReadRoll(who));
  io::CsvErrors errors;
  const io::CtfFile ctf = io::ReadCtf(r.ctf.text, r.ctf.name, school_.clock().Today(), errors);
  const std::string source = SourceSchool(ctf);
  std::optional<store::Class> joins;
  if (auto c = roll.classes.find(r.class_name); c != roll.classes.end()) joins = c->second;

  // The file's pupils as the rows of a pupils file and a contacts file.
  io::RollPupilsFile pupils{kCtfPupilFields, {}};
  if (!r.class_name.empty()) pupils.fields.insert("registration_group");
  io::RollContactsFile contacts{kCtfContactFields, {}};
  RowNames names{r.ctf.name, r.ctf.name, {}};
  for (const io::CtfPupil& p : ctf.pupils) {
    const auto known = roll.by_upn.find(p.upn);
    const store::Pupil* before = known == roll.by_upn.end() ? nullptr : &roll.pupils[known->second];
    if (!before && !p.year_group && !joins) {
      errors.AddFile(r.ctf.name, fmt::format("{}/BasicDetails/NCyearActual: missing, and no class "
                                             "of the school is given to take the year group from",
                                             p.path));
      continue;
    }
    io::RollPupilRow row;
    row.line = static_cast<int64_t>(names.paths.size() + 1);
    names.paths.push_back(p.path);
    row.upn = p.upn;
    row.legal_given_name = p.given_name;
    row.legal_family_name = p.family_name;
    row.preferred_given_name = p.preferred_given_name;
    row.preferred_family_name = p.preferred_family_name;
    row.date_of_birth = p.date_of_birth;
    row.sex = p.sex;
    if (before) {
      // Already on the school's register: their admission, class and
      // previous school stay as the school recorded them.
      row.year_group = p.year_group.value_or(before->year_group);
      row.admission = before->enrolments.empty() ? r.start : before->enrolments.back().start;
      row.previous_school = before->previous_school;
      if (before->class_id) {
        for (const auto& [name, c] : roll.classes) {
          if (c.id == *before->class_id) row.registration_group = name;
        }
      }
    } else {
      row.year_group = p.year_group ? *p.year_group : joins->year_group;
      row.admission = r.start;
      row.previous_school = source;
      row.registration_group = r.class_name;
    }
    for (const io::CtfContact& c : p.contacts) {
      io::RollContactRow contact;
      contact.line = row.line;
      contact.upn = p.upn;
      contact.priority = c.order;
      contact.name = c.Name();
      contact.relationship = c.relationship;
      if (!c.phones.empty()) contact.phone = c.phones[0].number;
      if (c.phones.size() > 1) contact.other_phone = c.phones[1].number;
      contact.email = c.email;
      contact.address = c.address.Text();
      contact.postcode = c.address.postcode;
      contact.parental_responsibility = c.parental_responsibility;
      contacts.rows.push_back(std::move(contact));
    }
    pupils.rows.push_back(std::move(row));
  }
  Plan plan = PlanWrites(roll, pupils, contacts, names, errors);
  if (!errors.empty()) return errors.ToStatus(r.ctf.name);

  // The years at previous schools that the school does not hold as given.
  std::vector<store::PreviousAttendance> previous;
  for (const io::CtfPupil& p : ctf.pupils) {
    int64_t pupil_id = 0;
    std::vector<store::PreviousAttendance> held;
    if (auto known = roll.by_upn.find(p.upn); known != roll.by_upn.end()) {
      pupil_id = roll.pupils[known->second].id;
      ASSIGN_OR_RETURN(held, school_.store().PreviousAttendanceFor(pupil_id));
    } else {
      const auto at = std::find_if(plan.writes.begin(), plan.writes.end(),
                                   [&](const store::Pupil& w) { return w.upn == p.upn; });
      pupil_id = -static_cast<int64_t>(at - plan.writes.begin() + 1);
    }
    for (const io::CtfYearData& y : p.attendance) {
      store::PreviousAttendance row{0,          pupil_id,       y.year,        y.lea,
                                    y.estab,    y.school_name,  y.possible,    y.authorised,
                                    y.attended, y.unauthorised, y.marks_start, y.marks};
      if (std::none_of(held.begin(), held.end(),
                       [&](const store::PreviousAttendance& h) { return SamePrevious(h, row); })) {
        previous.push_back(std::move(row));
      }
    }
  }
  plan.result.previous_years = static_cast<int64_t>(previous.size());
  if (r.dry_run || (plan.writes.empty() && previous.empty())) return plan.result;

  const store::Actor actor{who.user_id, who.name, who.role};
  const std::string reason =
      source.empty() ? "Common Transfer File " + r.ctf.name
                     : fmt::format("Common Transfer File {} from {}", r.ctf.name, source);
  RETURN_IF_ERROR(school_.store()
                      .ImportTransfer(plan.new_classes, plan.writes, previous, actor,
                                      school_.clock().NowSeconds(), reason)
                      .status());
  RETURN_IF_ERROR(school_.Load());
  return plan.result;
}

}  // namespace rollcall::service
