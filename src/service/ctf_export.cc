#include "service/ctf_export.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "core/cme.h"
#include "core/error_codes.h"
#include "core/pupil_sessions.h"
#include "core/statistics.h"
#include "io/ctf_xml.h"
#include "service/admissions.h"
#include "service/fields.h"
#include "service/records.h"

namespace rollcall::service {
namespace {

core::Status TransferInvalid(std::string message) {
  return core::InvalidArgument(core::kErrTransferInvalid, std::move(message));
}

// The 15th school day after the last day; three weeks after it when the
// calendar ends first.
core::Date DueDay(const core::Calendar& calendar, core::Date last_day) {
  constexpr int kLookAhead = 120;  // days: longer than any holiday
  for (core::Date d = last_day.AddDays(1); d <= last_day.AddDays(kLookAhead); d = d.AddDays(1)) {
    if (!calendar.IsSchoolDay(d)) continue;
    if (auto due = core::SchoolDayNumber(calendar, d, kTransferDueSchoolDays)) return *due;
    break;
  }
  return last_day.AddDays(21);
}

// The destination an enrolment records, as a DfE number; unknown when it
// names none.
io::CtfDestination DestinationOf(const store::Pupil& p) {
  if (p.enrolments.empty()) return io::CtfUnknownDestination();
  return io::CtfDestinationIn(p.enrolments.back().destination)
      .value_or(io::CtfUnknownDestination());
}

io::CtfAddress AddressOf(const std::string& lines, const std::string& postcode) {
  io::CtfAddress a;
  size_t from = 0;
  while (from <= lines.size()) {
    const size_t end = std::min(lines.find('\n', from), lines.size());
    std::string line = lines.substr(from, end - from);
    if (!line.empty()) a.lines.push_back(std::move(line));
    from = end + 1;
  }
  a.postcode = postcode;
  return a;
}

// A contact as a CTF writes one. rollcall keeps a contact's name whole: the
// last word is written as the surname and the rest as the forename, which
// the reader joins back into the same name. The main phone is written as a
// home phone and the other as a work phone (docs/ctf.md).
io::CtfContact ContactOf(const store::Contact& c) {
  io::CtfContact out;
  out.order = c.priority;
  const size_t space = c.name.rfind(' ');
  out.family_name = space == std::string::npos ? c.name : c.name.substr(space + 1);
  if (space != std::string::npos) out.given_name = c.name.substr(0, space);
  out.relationship = c.relationship;
  out.parental_responsibility = c.parental_responsibility;
  if (!c.phone.empty()) out.phones.push_back({"H", c.phone});
  if (!c.other_phone.empty()) out.phones.push_back({"W", c.other_phone});
  out.email = c.email;
  out.address = AddressOf(c.address, c.postcode);
  return out;
}

// The pupil's address: rollcall keeps addresses with contacts, so it is the
// address of the first contact the pupil lives with, else of the first
// contact with one.
io::CtfAddress PupilAddressOf(const store::Pupil& p) {
  for (bool lives_with : {true, false}) {
    for (const store::Contact& c : p.contacts) {
      if ((c.lives_with || !lives_with) && !(c.address.empty() && c.postcode.empty())) {
        return AddressOf(c.address, c.postcode);
      }
    }
  }
  return {};
}

// The marks of one academic year's sessions (consecutive in `sessions`),
// from the day of the first to the day of the last: two characters a day,
// '#' for a session the pupil did not have.
std::string MarksOf(const core::Calendar& calendar, std::span<const core::PupilSession> sessions) {
  std::string marks;
  const core::Date first = calendar.SessionAt(sessions.front().index).date;
  const core::Date last = calendar.SessionAt(sessions.back().index).date;
  size_t next = 0;
  for (core::Date d = first; d <= last; d = d.AddDays(1)) {
    for (core::Session session : {core::Session::kAm, core::Session::kPm}) {
      if (next < sessions.size() &&
          calendar.SessionAt(sessions[next].index) == core::SessionKey{d, session}) {
        const std::optional<core::AttendanceCode>& code = sessions[next++].code;
        marks += code ? io::CtfMarkChar(*code) : '-';
      } else {
        marks += '#';
      }
    }
  }
  return marks;
}

// What a file needs of the school.
struct SchoolNumbers {
  std::string lea, estab, name;
};

// The pupil as a CTF gives them, with their years at this school counted by
// the rules core as of `today` and the years they brought with them.
io::CtfPupil PupilOf(const Snapshot& snap, size_t index, const SchoolNumbers& school,
                     core::Date today, core::DayPart part,
                     const std::vector<store::PreviousAttendance>& previous) {
  const store::Pupil& p = snap.pupils[index];
  io::CtfPupil out;
  out.upn = p.upn;
  out.family_name = p.legal_family_name;
  out.given_name = p.legal_given_name;
  out.preferred_family_name = p.preferred_family_name;
  out.preferred_given_name = p.preferred_given_name;
  out.date_of_birth = p.date_of_birth;
  out.sex = p.sex;
  // NCyearActual is R or 1 to 13: a nursery pupil's is left out.
  if (p.year_group >= 0 && p.year_group <= 13) out.year_group = p.year_group;
  for (const store::Contact& c : p.contacts) out.contacts.push_back(ContactOf(c));
  out.address = PupilAddressOf(p);

  std::set<std::tuple<std::string, std::string>> seen_schools;
  for (const store::PreviousAttendance& a : previous) {
    if (seen_schools.emplace(a.lea, a.estab).second) {
      out.schools.push_back({a.lea, a.estab, a.school_name, std::nullopt, std::nullopt, ""});
    }
  }
  for (const store::Enrolment& e : p.enrolments) {
    const DeletionGround* ground = DeletionGroundOf(e.deletion_ground);
    out.schools.push_back({school.lea, school.estab, school.name, e.start, e.end,
                           ground ? std::string(ground->words) : ""});
  }

  const core::Calendar& calendar = snap.scenario.calendar;
  const std::vector<core::PupilSession> sessions =
      core::BuildPupilSessions(calendar, snap.scenario.pupils[index], snap.scenario.marks[index],
                               snap.scenario.default_mark, today, part);
  std::set<int> own_years;
  for (auto it = sessions.begin(); it != sessions.end();) {
    const core::Date year_start = calendar.SessionAt(it->index).date.AcademicYearStart();
    // The academic year runs to the day before the next one starts.
    const core::Date year_end =
        core::Date::FromYmd(year_start.year() + 1, 7, 31).value_or(year_start);
    auto end = std::find_if(it, sessions.end(), [&](const core::PupilSession& s) {
      return calendar.SessionAt(s.index).date > year_end;
    });
    const std::span<const core::PupilSession> year(it, end);
    const core::SessionCounts counts =
        core::CountSessions(calendar, year, {year_start, std::min(year_end, today)});
    io::CtfYearData y;
    y.year = year_start.year();
    y.lea = school.lea;
    y.estab = school.estab;
    y.school_name = school.name;
    y.possible = counts.possible;
    y.authorised = counts.authorised;
    y.attended = counts.attended;
    y.unauthorised = counts.unauthorised;
    y.marks_start = calendar.SessionAt(year.front().index).date;
    y.marks = MarksOf(calendar, year);
    own_years.insert(y.year);
    out.attendance.push_back(std::move(y));
    it = end;
  }
  // The years at previous schools go on as they came; a year this school
  // counted itself (a pupil who came back) is this school's.
  for (const store::PreviousAttendance& a : previous) {
    if (a.lea == school.lea && a.estab == school.estab && own_years.contains(a.academic_year)) {
      continue;
    }
    out.attendance.push_back({a.academic_year, a.lea, a.estab, a.school_name, a.possible,
                              a.authorised, a.attended, a.unauthorised, a.marks_start, a.marks});
  }
  std::sort(out.attendance.begin(), out.attendance.end(), [](const auto& a, const auto& b) {
    return std::tie(a.year, a.lea, a.estab) < std::tie(b.year, b.lea, b.estab);
  });
  return out;
}

}  // namespace

core::StatusOr<TransfersView> CtfExport::Owed(const Principal& who,
                                              std::optional<int64_t> pupil_id) const {
  ASSIGN_OR_RETURN(std::vector<store::TransferOwed> owed, school_.store().TransfersOwed());
  TransfersView v;
  v.today = school_.clock().Today();
  auto lock = school_.Read();
  const Snapshot& snap = school_.snapshot();
  RETURN_IF_ERROR(school_.Allow(who, Action::kWriteTransferFile, {}));
  for (const store::TransferOwed& t : owed) {
    if (pupil_id && t.pupil_id != *pupil_id) continue;
    auto at = snap.pupil_index.find(t.pupil_id);
    if (at == snap.pupil_index.end()) continue;
    const store::Pupil& p = snap.pupils[at->second];
    TransferLine line;
    line.id = t.id;
    line.pupil_id = p.id;
    line.pupil_name = DisplayName(p);
    line.upn = p.upn;
    line.last_day = t.last_day;
    line.destination = t.destination;
    if (auto dest = io::CtfDestinationIn(t.destination);
        dest && dest->lea != io::CtfUnknownDestination().lea) {
      line.destination_number = dest->lea + "/" + dest->estab;
    }
    line.due = DueDay(snap.scenario.calendar, t.last_day);
    line.produced_at = t.produced_at;
    line.overdue = !t.produced_at && line.due < v.today;
    if (!t.produced_at) ++v.not_produced;
    v.owed.push_back(std::move(line));
  }
  std::stable_sort(v.owed.begin(), v.owed.end(), [](const auto& a, const auto& b) {
    return std::make_tuple(a.produced_at.has_value(), a.due) <
           std::make_tuple(b.produced_at.has_value(), b.due);
  });
  return v;
}

core::StatusOr<CtfOutput> CtfExport::ForTransfer(const Principal& who, int64_t transfer_id) {
  // Whether a number is owed is not said to someone who may not write files.
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kWriteTransferFile, {}));
  }
  ASSIGN_OR_RETURN(std::vector<store::TransferOwed> owed, school_.store().TransfersOwed());
  for (const store::TransferOwed& t : owed) {
    if (t.id != transfer_id) continue;
    CtfRequest request;
    request.pupils = {std::to_string(t.pupil_id)};
    request.dest = t.destination;
    // A destination in words that names no school is an unknown one.
    if (!io::CtfDestinationIn(t.destination)) request.dest = "MMMMMMM";
    return Write(who, request);
  }
  return core::NotFound(core::kErrTransferUnknown,
                        fmt::format("no Common Transfer File owed with number {}", transfer_id));
}

core::StatusOr<CtfOutput> CtfExport::Write(const Principal& who, const CtfRequest& request) {
  const int chosen =
      (request.pupils.empty() ? 0 : 1) + (request.owed ? 1 : 0) + (request.year_group ? 1 : 0);
  if (chosen != 1) {
    return TransferInvalid(
        "choose the pupils one way: by id or UPN, the files owed, or a year group");
  }
  std::optional<io::CtfDestination> dest;
  if (!request.dest.empty()) {
    dest = io::CtfDestinationIn(request.dest);
    if (!dest) {
      return TransferInvalid(fmt::format(
          "the destination \"{}\" is not a school's LA and establishment number (e.g. 855/2345) "
          "or MMMMMMM",
          request.dest));
    }
  }
  ASSIGN_OR_RETURN(std::vector<store::TransferOwed> owed, school_.store().TransfersOwed());
  const core::Date today = school_.clock().Today();

  CtfOutput out;
  io::CtfHeader header;
  SchoolNumbers numbers;
  std::vector<size_t> chosen_pupils;
  std::vector<io::CtfPupil> pupils;
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    RETURN_IF_ERROR(school_.Allow(who, Action::kWriteTransferFile, {}));
    const store::School& s = snap.school;
    if (s.la_code.size() != 3 || s.establishment_number.size() != 4) {
      return TransferInvalid(
          "the school's LA and establishment numbers are not set: a Common Transfer File names "
          "the school by them (set them in the school's settings)");
    }
    std::set<size_t> picked;
    auto pick = [&](size_t index) {
      if (picked.insert(index).second) chosen_pupils.push_back(index);
    };
    for (const std::string& wanted : request.pupils) {
      std::optional<size_t> found;
      int64_t id = 0;
      if (std::from_chars(wanted.data(), wanted.data() + wanted.size(), id).ptr ==
          wanted.data() + wanted.size()) {
        if (auto it = snap.pupil_index.find(id); it != snap.pupil_index.end()) found = it->second;
      }
      const std::string upn = UpnAsHeld(wanted);
      for (size_t i = 0; !found && i < snap.pupils.size(); ++i) {
        if (snap.pupils[i].upn == upn) found = i;
      }
      if (!found) {
        return core::NotFound(core::kErrPupilUnknown,
                              fmt::format("no pupil with id or UPN \"{}\"", wanted));
      }
      pick(*found);
    }
    if (request.owed) {
      for (const store::TransferOwed& t : owed) {
        auto it = snap.pupil_index.find(t.pupil_id);
        if (!t.produced_at && it != snap.pupil_index.end()) pick(it->second);
      }
      if (chosen_pupils.empty()) return TransferInvalid("no Common Transfer File is owed");
    }
    if (request.year_group) {
      for (size_t i = 0; i < snap.pupils.size(); ++i) {
        const store::Pupil& p = snap.pupils[i];
        if (p.year_group == *request.year_group && !p.enrolments.empty() &&
            (!p.enrolments.back().end || *p.enrolments.back().end >= today.AcademicYearStart())) {
          pick(i);
        }
      }
      if (chosen_pupils.empty()) {
        return TransferInvalid(
            fmt::format("no pupil of {} is on roll this year", YearGroupName(*request.year_group)));
      }
    }
    // One destination for every pupil, or MMMMMMM.
    if (!dest) {
      dest = DestinationOf(snap.pupils[chosen_pupils.front()]);
      for (size_t i : chosen_pupils) {
        if (DestinationOf(snap.pupils[i]).LaEstab() != dest->LaEstab()) {
          dest = io::CtfUnknownDestination();
        }
      }
    }
    header.date_time = LocalIsoTime(school_.clock().NowSeconds());
    header.source = {s.la_code, s.establishment_number, s.name, today.AcademicYearStart().year()};
    header.dest = *dest;
    numbers = {s.la_code, s.establishment_number, s.name};
    const core::DayPart part = school_.DayPartOf(today);
    for (size_t i : chosen_pupils) {
      ASSIGN_OR_RETURN(std::vector<store::PreviousAttendance> previous,
                       school_.store().PreviousAttendanceFor(snap.pupils[i].id));
      pupils.push_back(PupilOf(snap, i, numbers, today, part, previous));
    }
    // The owed files of these pupils that this one produces, stamped under
    // the read lock so that a deletion recorded meanwhile is not stamped.
    std::vector<int64_t> produced;
    for (const store::TransferOwed& t : owed) {
      auto it = snap.pupil_index.find(t.pupil_id);
      if (!t.produced_at && it != snap.pupil_index.end() && picked.contains(it->second)) {
        produced.push_back(t.id);
      }
    }
    if (request.stamp) {
      RETURN_IF_ERROR(
          school_.store().MarkTransfersProduced(produced, school_.clock().NowSeconds()));
      out.produced = static_cast<int64_t>(produced.size());
    }
    out.owed = std::move(produced);
  }
  out.pupils = static_cast<int64_t>(pupils.size());
  out.file_name = fmt::format("{}{}_CTF_{}_{}.xml", numbers.lea, numbers.estab,
                              header.dest.LaEstab(), today.ToString());
  out.xml = io::WriteCtf(header, pupils);
  return out;
}

core::Status CtfExport::MarkProduced(const Principal& who, const std::vector<int64_t>& owed) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kWriteTransferFile, {}));
  }
  return school_.store().MarkTransfersProduced(owed, school_.clock().NowSeconds());
}

}  // namespace rollcall::service
