#include "engine/column_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <istream>
#include <map>
#include <ostream>
#include <set>

#include "core/pupil_sessions.h"

namespace rollcall::engine {

CalendarTables::CalendarTables(core::Calendar c) : calendar(std::move(c)) {
  const int32_t n = calendar.SessionCount();
  week_of.resize(static_cast<size_t>(n));
  pm.assign(static_cast<size_t>(n) / 64 + 1, 0);
  for (int32_t i = 0; i < n; ++i) {
    week_of[static_cast<size_t>(i)] = calendar.SchoolWeekOf(i);
    if (calendar.SessionAt(i).session == core::Session::kPm) pm[i >> 6] |= uint64_t{1} << (i & 63);
  }
}

std::string_view School::PupilId(size_t pupil) const {
  const uint32_t begin = pupil == 0 ? 0 : id_end[pupil - 1];
  return std::string_view(id_chars).substr(begin, id_end[pupil] - begin);
}

void School::AddPupilId(std::string_view pupil_id) {
  id_chars.append(pupil_id);
  id_end.push_back(static_cast<uint32_t>(id_chars.size()));
}

uint8_t School::MarkAt(size_t pupil, int32_t index) const {
  for (const YearBlock& year : years) {
    if (index >= year.first_session && index < year.first_session + year.sessions) {
      return year.Row(pupil)[index - year.first_session];
    }
  }
  return kOffRoll;
}

void School::AllocateYears() {
  for (YearBlock& year : years) year.marks.assign(pupils.size() * size_t(year.sessions), kOffRoll);
}

size_t Dataset::PupilCount() const {
  size_t n = 0;
  for (const School& s : schools) n += s.PupilCount();
  return n;
}

size_t Dataset::MarkBytes() const {
  size_t n = 0;
  for (const School& s : schools) {
    for (const YearBlock& y : s.years) n += y.marks.size();
  }
  return n;
}

size_t Dataset::MemoryBytes() const {
  size_t n = MarkBytes();
  for (const School& s : schools) {
    n += s.pupils.size() * sizeof(PupilMeta) + s.id_chars.size() +
         s.id_end.size() * sizeof(uint32_t) +
         s.penalty_history.size() * sizeof(core::PenaltyNotice);
  }
  return n;
}

std::vector<YearBlock> YearBlocksOf(const core::Calendar& calendar) {
  std::vector<YearBlock> years;
  for (int32_t i = 0; i < calendar.SessionCount(); ++i) {
    const core::Date start = calendar.SessionAt(i).date.AcademicYearStart();
    if (years.empty() || years.back().year_start != start) {
      years.push_back({.year_start = start, .first_session = i, .sessions = 0, .marks = {}});
    }
    ++years.back().sessions;
  }
  return years;
}

core::StatusOr<School> SchoolFromScenario(const core::Scenario& scenario, std::string id) {
  School school;
  school.id = std::move(id);
  school.calendar = std::make_shared<const CalendarTables>(scenario.calendar);
  school.policy = std::make_shared<const core::Policy>(scenario.policy);
  std::set<std::string> tags;
  for (const core::PupilRecord& p : scenario.pupils)
    tags.insert(p.cohorts.begin(), p.cohorts.end());
  if (tags.size() > kMaxCohorts) {
    return core::InvalidArgument(
        kErrTooManyCohorts,
        fmt::format("{} cohort tags; the engine holds at most {}", tags.size(), kMaxCohorts));
  }
  school.cohort_names.assign(tags.begin(), tags.end());
  school.years = YearBlocksOf(scenario.calendar);
  school.pupils.resize(scenario.pupils.size());
  school.AllocateYears();
  const core::Calendar& calendar = scenario.calendar;
  // Every session of the calendar (marks after any as-of day included: the
  // passes stop at their own as-of day).
  const core::Date last = calendar.SessionCount() > 0
                              ? calendar.SessionAt(calendar.SessionCount() - 1).date
                              : core::Date();
  for (size_t p = 0; p < scenario.pupils.size(); ++p) {
    const core::PupilRecord& record = scenario.pupils[p];
    school.AddPupilId(record.id);
    PupilMeta& meta = school.pupils[p];
    for (const std::string& tag : record.cohorts) {
      const size_t bit = static_cast<size_t>(
          std::lower_bound(school.cohort_names.begin(), school.cohort_names.end(), tag) -
          school.cohort_names.begin());
      meta.cohorts |= uint64_t{1} << bit;
    }
    meta.history_begin = static_cast<uint32_t>(school.penalty_history.size());
    meta.history_count = static_cast<uint32_t>(record.penalty_history.size());
    school.penalty_history.insert(school.penalty_history.end(), record.penalty_history.begin(),
                                  record.penalty_history.end());
    // The core's own sequence builder decides which sessions are the
    // pupil's and what each holds, so the two cannot differ on enrolment.
    const std::vector<core::PupilSession> sessions =
        core::BuildPupilSessions(calendar, record, scenario.marks[p], scenario.default_mark, last);
    size_t y = 0;
    for (const core::PupilSession& s : sessions) {
      while (s.index >= school.years[y].first_session + school.years[y].sessions) ++y;
      school.years[y].Row(p)[s.index - school.years[y].first_session] =
          s.code ? static_cast<uint8_t>(*s.code) : kUnrecorded;
    }
  }
  return school;
}

// --- File format ------------------------------------------------------------------

namespace {

constexpr char kMagic[8] = {'R', 'C', 'E', 'N', 'G', 'I', 'N', '1'};
// Limits that keep a corrupt count from allocating the machine's memory.
constexpr uint64_t kMaxSchools = 1'000'000;
constexpr uint64_t kMaxPupilsPerSchool = 10'000'000;
constexpr uint64_t kMaxString = 1 << 24;

class Writer {
 public:
  explicit Writer(std::ostream& out) : out_(out) {}
  void U64(uint64_t v) { Bytes(&v, sizeof v); }
  void I32(int32_t v) { Bytes(&v, sizeof v); }
  void Str(std::string_view s) {
    U64(s.size());
    Bytes(s.data(), s.size());
  }
  void Bytes(const void* p, size_t n) {
    out_.write(static_cast<const char*>(p), std::streamsize(n));
  }
  bool ok() const { return out_.good(); }

 private:
  std::ostream& out_;
};

class Reader {
 public:
  explicit Reader(std::istream& in) : in_(in) {}
  core::Status Bytes(void* p, size_t n, std::string_view what) {
    in_.read(static_cast<char*>(p), std::streamsize(n));
    if (!in_.good() && size_t(in_.gcount()) != n) return Fail(fmt::format("truncated in {}", what));
    return core::OkStatus();
  }
  core::StatusOr<uint64_t> U64(std::string_view what, uint64_t max) {
    uint64_t v = 0;
    RETURN_IF_ERROR(Bytes(&v, sizeof v, what));
    if (v > max) return Fail(fmt::format("{} is {}, more than {}", what, v, max));
    return v;
  }
  core::StatusOr<int32_t> I32(std::string_view what) {
    int32_t v = 0;
    RETURN_IF_ERROR(Bytes(&v, sizeof v, what));
    return v;
  }
  core::StatusOr<std::string> Str(std::string_view what) {
    ASSIGN_OR_RETURN(uint64_t n, U64(what, kMaxString));
    std::string s(n, '\0');
    RETURN_IF_ERROR(Bytes(s.data(), n, what));
    return s;
  }
  core::StatusOr<core::Date> Day(std::string_view what) {
    ASSIGN_OR_RETURN(int32_t days, I32(what));
    // 1900-01-01 .. 2200-12-31
    if (days < -25567 || days > 84005) return Fail(fmt::format("{} is not a plausible date", what));
    return core::Date::FromDays(days);
  }
  static core::Status Fail(std::string message) {
    return core::InvalidArgument(kErrEngineFile, "engine file: " + message);
  }

 private:
  std::istream& in_;
};

void WriteCalendar(Writer& w, const core::Calendar& calendar) {
  w.U64(calendar.terms().size());
  for (const core::Term& t : calendar.terms()) {
    w.I32(t.start.days());
    w.I32(t.end.days());
  }
  w.U64(calendar.closures().size());
  for (const core::Closure& c : calendar.closures()) {
    w.I32(c.date.days());
    w.U64(static_cast<uint64_t>(c.sessions));
    w.Str(c.reason);
  }
}

core::StatusOr<core::Calendar> ReadCalendar(Reader& r) {
  ASSIGN_OR_RETURN(uint64_t terms, r.U64("term count", 1000));
  std::vector<core::Term> t;
  for (uint64_t i = 0; i < terms; ++i) {
    ASSIGN_OR_RETURN(core::Date start, r.Day("term start"));
    ASSIGN_OR_RETURN(core::Date end, r.Day("term end"));
    if (end < start) return Reader::Fail("a term ends before it starts");
    t.push_back({start, end});
  }
  ASSIGN_OR_RETURN(uint64_t closures, r.U64("closure count", 100'000));
  std::vector<core::Closure> c;
  for (uint64_t i = 0; i < closures; ++i) {
    ASSIGN_OR_RETURN(core::Date date, r.Day("closure date"));
    ASSIGN_OR_RETURN(uint64_t sessions, r.U64("closure sessions", 3));
    if (sessions == 0) return Reader::Fail("closure sessions is 0");
    ASSIGN_OR_RETURN(std::string reason, r.Str("closure reason"));
    c.push_back({date, static_cast<core::ClosureSessions>(sessions), std::move(reason)});
  }
  return core::Calendar(std::move(t), std::move(c));
}

}  // namespace

core::Status WriteDataset(const Dataset& dataset, std::ostream& out) {
  Writer w(out);
  w.Bytes(kMagic, sizeof kMagic);
  w.U64(dataset.schools.size());
  // Calendars are shared: each is written once and referred to by number.
  std::map<const CalendarTables*, uint64_t> calendars;
  for (const School& s : dataset.schools) calendars.emplace(s.calendar.get(), calendars.size());
  std::vector<const CalendarTables*> by_number(calendars.size());
  for (auto [c, n] : calendars) by_number[n] = c;
  w.U64(by_number.size());
  for (const CalendarTables* c : by_number) WriteCalendar(w, c->calendar);
  for (const School& s : dataset.schools) {
    w.Str(s.id);
    w.U64(calendars.at(s.calendar.get()));
    w.Str(s.policy_json);
    w.U64(s.cohort_names.size());
    for (const std::string& name : s.cohort_names) w.Str(name);
    w.U64(s.pupils.size());
    w.Str(s.id_chars);
    w.Bytes(s.id_end.data(), s.id_end.size() * sizeof(uint32_t));
    w.Bytes(s.pupils.data(), s.pupils.size() * sizeof(PupilMeta));
    w.U64(s.penalty_history.size());
    for (const core::PenaltyNotice& n : s.penalty_history) {
      w.I32(n.issued.days());
      w.U64(n.withdrawn ? 1 : 0);
    }
    w.U64(s.years.size());
    for (const YearBlock& y : s.years) {
      w.I32(y.year_start.days());
      w.I32(y.first_session);
      w.I32(y.sessions);
      w.Bytes(y.marks.data(), y.marks.size());
    }
  }
  out.flush();
  if (!w.ok()) return core::Internal(kErrEngineFile, "engine file: write failed");
  return core::OkStatus();
}

core::StatusOr<Dataset> ReadDataset(std::istream& in, PolicyParser policy_for) {
  Reader r(in);
  char magic[sizeof kMagic];
  RETURN_IF_ERROR(r.Bytes(magic, sizeof magic, "header"));
  if (std::memcmp(magic, kMagic, sizeof kMagic) != 0) {
    return Reader::Fail("not a rollcall engine file (bad magic)");
  }
  ASSIGN_OR_RETURN(uint64_t schools, r.U64("school count", kMaxSchools));
  ASSIGN_OR_RETURN(uint64_t calendar_count, r.U64("calendar count", schools));
  std::vector<std::shared_ptr<const CalendarTables>> calendars;
  for (uint64_t i = 0; i < calendar_count; ++i) {
    ASSIGN_OR_RETURN(core::Calendar c, ReadCalendar(r));
    calendars.push_back(std::make_shared<const CalendarTables>(std::move(c)));
  }
  Dataset dataset;
  std::map<std::string, std::shared_ptr<const core::Policy>> policies;
  for (uint64_t i = 0; i < schools; ++i) {
    School s;
    ASSIGN_OR_RETURN(s.id, r.Str("school id"));
    ASSIGN_OR_RETURN(uint64_t calendar, r.U64("calendar number", calendar_count - 1));
    if (calendars.empty()) return Reader::Fail("a school refers to a calendar, none are stored");
    s.calendar = calendars[calendar];
    ASSIGN_OR_RETURN(s.policy_json, r.Str("policy"));
    auto [it, added] = policies.emplace(s.policy_json, nullptr);
    if (added) {
      core::StatusOr<core::Policy> policy = policy_for(s.policy_json);
      if (!policy.ok()) {
        return Reader::Fail(fmt::format("school {}: policy: {}", s.id, policy.status().message()));
      }
      it->second = std::make_shared<const core::Policy>(std::move(policy).value());
    }
    s.policy = it->second;
    ASSIGN_OR_RETURN(uint64_t cohorts, r.U64("cohort count", kMaxCohorts));
    for (uint64_t c = 0; c < cohorts; ++c) {
      ASSIGN_OR_RETURN(std::string name, r.Str("cohort name"));
      s.cohort_names.push_back(std::move(name));
    }
    ASSIGN_OR_RETURN(uint64_t pupils, r.U64("pupil count", kMaxPupilsPerSchool));
    ASSIGN_OR_RETURN(s.id_chars, r.Str("pupil ids"));
    s.id_end.resize(pupils);
    s.pupils.resize(pupils);
    RETURN_IF_ERROR(r.Bytes(s.id_end.data(), pupils * sizeof(uint32_t), "pupil id table"));
    RETURN_IF_ERROR(r.Bytes(s.pupils.data(), pupils * sizeof(PupilMeta), "pupil table"));
    for (uint64_t p = 0; p < pupils; ++p) {
      if (s.id_end[p] > s.id_chars.size() || (p > 0 && s.id_end[p] < s.id_end[p - 1])) {
        return Reader::Fail(fmt::format("school {}: pupil id table is out of order", s.id));
      }
    }
    ASSIGN_OR_RETURN(uint64_t notices, r.U64("penalty history", 100 * pupils + 1000));
    for (uint64_t n = 0; n < notices; ++n) {
      ASSIGN_OR_RETURN(core::Date issued, r.Day("notice date"));
      ASSIGN_OR_RETURN(uint64_t withdrawn, r.U64("notice withdrawn", 1));
      s.penalty_history.push_back({issued, withdrawn == 1});
    }
    for (const PupilMeta& m : s.pupils) {
      if (uint64_t{m.history_begin} + m.history_count > notices) {
        return Reader::Fail(fmt::format("school {}: penalty history out of range", s.id));
      }
      if (cohorts < 64 && (m.cohorts >> cohorts) != 0) {
        return Reader::Fail(fmt::format("school {}: a pupil has an unnamed cohort", s.id));
      }
    }
    // The year blocks must be exactly those of the calendar.
    std::array<bool, 256> valid{};
    valid[kUnrecorded] = valid[kOffRoll] = true;
    for (int v = 1; v <= core::kMaxStoredCode; ++v)
      valid[size_t(v)] = core::CodeFromStored(v).has_value();
    std::vector<YearBlock> expected = YearBlocksOf(s.calendar->calendar);
    ASSIGN_OR_RETURN(uint64_t years, r.U64("year count", expected.size()));
    if (years != expected.size()) return Reader::Fail("year blocks do not match the calendar");
    for (YearBlock& y : expected) {
      ASSIGN_OR_RETURN(core::Date start, r.Day("year start"));
      ASSIGN_OR_RETURN(int32_t first, r.I32("year first session"));
      ASSIGN_OR_RETURN(int32_t count, r.I32("year sessions"));
      if (start != y.year_start || first != y.first_session || count != y.sessions) {
        return Reader::Fail(fmt::format("school {}: year block {} does not match the calendar",
                                        s.id, start.ToString()));
      }
      y.marks.resize(pupils * size_t(count));
      RETURN_IF_ERROR(r.Bytes(y.marks.data(), y.marks.size(), "marks"));
      for (size_t b = 0; b < y.marks.size(); ++b) {
        if (!valid[y.marks[b]]) {
          return Reader::Fail(fmt::format("school {}: pupil {} has mark byte {} (not a code)", s.id,
                                          b / size_t(count), int{y.marks[b]}));
        }
      }
    }
    s.years = std::move(expected);
    dataset.schools.push_back(std::move(s));
  }
  return dataset;
}

}  // namespace rollcall::engine
