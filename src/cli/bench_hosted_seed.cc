// `rollcall bench hosted-seed`: the schools of the hosted morning burst
// (scripts/bench-hosted, docs/benchmarks.md). Each school is a secondary
// school of `classes` forms of `class_size` pupils, with an office login and
// one teacher per form, an autumn term with its half-term week around the
// bench day, and `days` school days of marks before it. Everything goes
// through the store's own bulk writes, in a few transactions a school: the
// school with its settings, calendar, accounts and classes (CreateSchool),
// every pupil in one admission write (SavePupils), then a day of marks a
// transaction (SaveMarks, which writes each mark's audit row too). Schools
// are written by `jobs` threads at once, each with its own store.
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

#include "cli/commands.h"
#include "core/codes.h"
#include "core/error_codes.h"
#include "core/uk_time.h"
#include "core/upn.h"
#include "service/password.h"
#include "store/store.h"

namespace rollcall::cli {
namespace {

using core::Status;
using core::StatusOr;

// The school year around the bench day: its autumn term (the first weekday
// from 2 September to the Friday before 19 December) and the half-term week
// (Monday to Friday of the last full week of October), which closes.
struct AutumnTerm {
  store::Term term;
  core::Date half_term_start, half_term_end;
};

core::Date NextWeekday(core::Date d) {
  while (d.IsWeekend()) d = d.AddDays(1);
  return d;
}

StatusOr<AutumnTerm> AutumnTermAround(core::Date day) {
  const int year = day.year();
  AutumnTerm out;
  out.term.name = fmt::format("Autumn {}", year);
  out.term.start = NextWeekday(*core::Date::FromYmd(year, 9, 2));
  core::Date end = *core::Date::FromYmd(year, 12, 18);
  while (end.weekday() != core::Weekday::kFriday) end = end.AddDays(-1);
  out.term.end = end;
  core::Date friday = *core::Date::FromYmd(year, 10, 31);
  while (friday.weekday() != core::Weekday::kFriday) friday = friday.AddDays(-1);
  out.half_term_end = friday;
  out.half_term_start = friday.AddDays(-4);
  if (day < out.term.start || day > out.term.end || day.IsWeekend() ||
      (day >= out.half_term_start && day <= out.half_term_end)) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("--date {}: give a school day of the autumn term ({} to {}, not the half term "
                    "{} to {})",
                    day.ToString(), out.term.start.ToString(), out.term.end.ToString(),
                    out.half_term_start.ToString(), out.half_term_end.ToString()));
  }
  return out;
}

// The `days` school days before `day` (oldest first): InvalidArgument when
// the term has fewer.
StatusOr<std::vector<core::Date>> DaysBefore(const AutumnTerm& autumn, core::Date day, int days) {
  std::vector<core::Date> out;
  for (core::Date d = day.AddDays(-1); static_cast<int>(out.size()) < days; d = d.AddDays(-1)) {
    if (d < autumn.term.start) {
      return core::InvalidArgument(
          core::kErrValueInvalid,
          fmt::format("--days {}: the term has only {} school days before {}", days, out.size(),
                      day.ToString()));
    }
    const bool half_term = d >= autumn.half_term_start && d <= autumn.half_term_end;
    if (!d.IsWeekend() && !half_term) out.push_back(d);
  }
  return std::vector<core::Date>(out.rbegin(), out.rend());
}

struct Seeded {
  int64_t pupils = 0, users = 0, classes = 0, marks = 0;
};

// A pupil's mark of one session: mostly present, with the illness, medical
// appointments, late arrivals and unauthorised absence of an ordinary week
// (about 1 session in 15 not present), fixed by the pupil, day and session.
store::MarkWrite PastMark(int64_t pupil_id, core::Date day, core::Session session,
                          const store::Settings& settings) {
  store::MarkWrite w;
  w.pupil_id = pupil_id;
  w.slot = {day, session};
  const uint64_t h =
      (static_cast<uint64_t>(pupil_id) * 2654435761u + static_cast<uint64_t>(day.days()) * 40503u +
       static_cast<uint64_t>(session) * 977u) %
      1000u;
  const bool am = session == core::Session::kAm;
  if (h < 35) {
    w.code = core::AttendanceCode::kIllness;
  } else if (h < 40) {
    w.code = core::AttendanceCode::kMedical;
  } else if (h < 52) {
    w.code = core::AttendanceCode::kOtherUnauthorised;
  } else if (h < 70) {
    w.code = core::AttendanceCode::kLateBeforeClose;
    w.arrival_minute = settings.SessionStart(session) + 3 + static_cast<int>(h % 20);
  } else {
    w.code = am ? core::AttendanceCode::kPresentAm : core::AttendanceCode::kPresentPm;
  }
  return w;
}

Status SeedSchool(store::Store& store, const HostedSeedArgs& args, const std::string& urn,
                  int index, const AutumnTerm& autumn, const std::vector<core::Date>& days,
                  const std::string& password_hash, Seeded& seeded) {
  const int64_t set_up_at = core::UkUnixSeconds(autumn.term.start.AddDays(-5), 9 * 60);
  store::NewSchool school;
  school.school = {fmt::format("Bench Academy {}", index + 1), urn, "909", "secondary",
                   fmt::format("{:04}", 4000 + index % 6000)};
  school.school.postcode = "ZZ99 1ZZ";
  school.settings.set_at = set_up_at;
  school.settings.set_by = "rollcall bench hosted-seed";
  school.terms = {autumn.term};
  for (core::Date d = autumn.half_term_start; d <= autumn.half_term_end; d = d.AddDays(1)) {
    school.closures.push_back({d, core::ClosureSessions::kBoth, "Half term"});
  }
  store::User office;
  office.username = args.office_user;
  office.display_name = "School Office";
  office.role = store::Role::kOffice;
  office.password_hash = password_hash;
  school.users.push_back(office);
  for (int c = 0; c < args.classes; ++c) {
    store::User teacher;
    teacher.username = fmt::format("teacher{}", c + 1);
    teacher.display_name = fmt::format("Form Tutor {}", c + 1);
    teacher.role = store::Role::kTeacher;
    teacher.password_hash = password_hash;
    school.users.push_back(teacher);
    // Forms of Years 7 to 11, A, B, C ... in each year.
    const int per_year = (args.classes + 4) / 5;
    school.classes.push_back(store::Class{
        0, fmt::format("{}{}", 7 + c / per_year, static_cast<char>('A' + c % per_year)),
        7 + c / per_year, std::vector<int64_t>{c + 1}});
  }
  RETURN_IF_ERROR(store.CreateSchool(school));
  seeded.users += static_cast<int64_t>(school.users.size());
  seeded.classes += args.classes;

  ASSIGN_OR_RETURN(std::vector<store::Class> classes, store.ListClasses());
  ASSIGN_OR_RETURN(store::User office_user, store.FindUserByName(args.office_user));
  const store::Actor actor{office_user.id, office_user.display_name, store::Role::kOffice};
  std::vector<store::Pupil> pupils;
  const int academic_year = autumn.term.start.year();
  for (const store::Class& c : classes) {
    for (int n = 0; n < args.class_size; ++n) {
      const int64_t serial = static_cast<int64_t>(pupils.size());
      store::Pupil p;
      p.upn = core::UpnWithCheckLetter(fmt::format("909{:03}{:06}", index % 1000, serial));
      p.legal_given_name = fmt::format("Pupil{}", serial + 1);
      p.legal_family_name = fmt::format("Form{}", c.name);
      // Born January to August, so the year group fits the age on 1 September.
      p.date_of_birth = *core::Date::FromYmd(academic_year - c.year_group - 4,
                                             static_cast<unsigned>(1 + serial % 8),
                                             static_cast<unsigned>(1 + serial % 28));
      p.sex = serial % 2 == 0 ? "F" : "M";
      p.year_group = c.year_group;
      p.class_id = c.id;
      p.enrolments.push_back({autumn.term.start, std::nullopt, "", ""});
      if (serial % 5 == 0) p.flags.push_back({"FSM", autumn.term.start, std::nullopt});
      store::Contact parent;
      parent.priority = 1;
      parent.name = fmt::format("Parent of Pupil{}", serial + 1);
      parent.relationship = serial % 3 == 0 ? "Father" : "Mother";
      parent.phone = fmt::format("07700 9{:05}", serial % 100000);
      parent.parental_responsibility = true;
      p.contacts.push_back(parent);
      pupils.push_back(std::move(p));
    }
  }
  const store::Actor admitted_by{office_user.id, office_user.display_name, store::Role::kOffice};
  ASSIGN_OR_RETURN(std::vector<int64_t> ids, store.SavePupils({}, pupils, admitted_by, set_up_at,
                                                              "admitted for the new school year"));
  seeded.pupils += static_cast<int64_t>(ids.size());

  ASSIGN_OR_RETURN(const store::Settings settings, store.GetSettings());
  for (const core::Date& day : days) {
    std::vector<store::MarkWrite> writes;
    writes.reserve(ids.size() * 2);
    for (core::Session session : {core::Session::kAm, core::Session::kPm}) {
      for (int64_t id : ids) writes.push_back(PastMark(id, day, session, settings));
    }
    ASSIGN_OR_RETURN(store::SaveMarksResult saved,
                     store.SaveMarks(writes, actor, core::UkUnixSeconds(day, 9 * 60 + 10)));
    seeded.marks += saved.changed;
  }
  return core::OkStatus();
}

Status HostedSeed(const HostedSeedArgs& args) {
  if (args.schools < 1 || args.schools > 10000) {
    return core::InvalidArgument(core::kErrValueInvalid, "--schools is 1 to 10000");
  }
  if (args.classes < 1 || args.classes > 200 || args.class_size < 1 || args.class_size > 60) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "--classes is 1 to 200 and --class-size 1 to 60");
  }
  if (args.days < 0 || args.days > 60) {
    return core::InvalidArgument(core::kErrValueInvalid, "--days is 0 to 60");
  }
  if (args.first_urn < 100000 || args.first_urn + args.schools > 999999) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "--first-urn: the schools' URNs must be six digits");
  }
  const bool postgres = store::IsPostgresUri(args.db);
  if (!postgres && args.schools != 1) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "an SQLite --db holds one school: give --schools 1, or a "
                                 "postgresql:// --db for many");
  }
  const std::optional<core::Date> day = core::Date::Parse(args.date);
  if (!day) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("--date {}: expected YYYY-MM-DD", args.date));
  }
  ASSIGN_OR_RETURN(const AutumnTerm autumn, AutumnTermAround(*day));
  ASSIGN_OR_RETURN(const std::vector<core::Date> days, DaysBefore(autumn, *day, args.days));
  RETURN_IF_ERROR(service::ValidateNewUser(args.office_user, args.password));
  // One hash for every account: the logins cost what a real login costs,
  // and seeding does not hash thousands of times.
  ASSIGN_OR_RETURN(const std::string hash, service::HashPassword(args.password));
  if (postgres) RETURN_IF_ERROR(store::MigratePostgres(args.db).status());

  const auto start = std::chrono::steady_clock::now();
  std::atomic<int> next{0};
  std::mutex mu;
  Status failed = core::OkStatus();
  Seeded total;
  auto work = [&] {
    while (true) {
      const int index = next.fetch_add(1);
      if (index >= args.schools) return;
      {
        std::lock_guard lock(mu);
        if (!failed.ok()) return;
      }
      const std::string urn = std::to_string(args.first_urn + index);
      Seeded seeded;
      Status s = [&]() -> Status {
        ASSIGN_OR_RETURN(
            std::unique_ptr<store::Store> store,
            postgres ? store::OpenPostgresStore(args.db, urn) : store::OpenSqliteStore(args.db));
        return SeedSchool(*store, args, urn, index, autumn, days, hash, seeded);
      }();
      std::lock_guard lock(mu);
      if (!s.ok()) {
        if (failed.ok())
          failed = core::Status(s.kind(), s.code(), "school " + urn + ": " + s.message());
        return;
      }
      total.pupils += seeded.pupils;
      total.users += seeded.users;
      total.classes += seeded.classes;
      total.marks += seeded.marks;
    }
  };
  std::vector<std::thread> threads;
  for (int j = 0; j < std::max(1, std::min(args.jobs, args.schools)); ++j)
    threads.emplace_back(work);
  for (std::thread& t : threads) t.join();
  RETURN_IF_ERROR(failed);

  std::string list;
  for (int i = 0; i < args.schools; ++i) list += std::to_string(args.first_urn + i) + "\n";
  if (!args.out_schools.empty()) RETURN_IF_ERROR(WriteOutput(args.out_schools, list));
  const double seconds = SecondsSince(start);
  fmt::print(
      "rollcall bench hosted-seed: {} school(s) in {}: {} pupils, {} classes, {} accounts, {} "
      "marks with their audit rows ({} school days before {}), in {:.1f} s ({:.0f} marks/s)\n",
      args.schools, PrintableDb(args.db), total.pupils, total.classes, total.users, total.marks,
      days.size(), day->ToString(), seconds,
      seconds > 0 ? static_cast<double>(total.marks) / seconds : 0.0);
  std::fflush(stdout);
  return core::OkStatus();
}

}  // namespace

int RunHostedSeed(const HostedSeedArgs& args) {
  if (Status s = HostedSeed(args); !s.ok()) return ReportProblem("bench hosted-seed", s);
  return kExitOk;
}

}  // namespace rollcall::cli
