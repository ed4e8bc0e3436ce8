// `rollcall bench day-one --pupils N`: the time to queue a morning's day-one
// absence messages for a school of N pupils (target: well under 1 s for
// 2,000). The school is built in an in-memory store first (not timed): each
// pupil with a mother who has a mobile and a father who prefers email, and
// this morning's marks, about one in ten N. The time is that of
// service::DayOne::RunDue, as `rollcall serve` runs it: one pass over the
// school, one read of the absence reports and today's contact log, and one
// transaction for the run and its messages. A second RunDue, a no-op, is
// timed too, in the same service and in a new one (another process). Then
// the messages are sent into folders, as `make demo` sends them, by
// service::Messaging::RunDue called back to back (the server calls it every
// 2 s, each call sending up to kMessagesPerRun of each channel), and that is
// timed. The store is an SQLite file in a new temporary folder, as a school's
// is, removed at the end.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "core/clock.h"
#include "core/codes.h"
#include "core/error_codes.h"
#include "core/upn.h"
#include "service/day_one.h"
#include "service/message_templates.h"
#include "service/messaging.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::cli {
namespace {

using Steady = std::chrono::steady_clock;

// A school day morning after the messages' time: Wednesday 25 November
// 2026 at 10:05, in a term that holds it. Fixed, so every run measures the
// same work.
class MorningClock : public core::Clock {
 public:
  int64_t NowSeconds() const override { return int64_t{Today().days()} * 86400 + 605 * 60; }
  core::Date Today() const override { return *core::Date::FromYmd(2026, 11, 25); }
  int MinuteOfDay() const override { return 10 * 60 + 5; }
};

double Since(Steady::time_point start) {
  return std::chrono::duration<double>(Steady::now() - start).count();
}

core::Status BenchDayOne(const BenchDayOneArgs& args) {
  if (args.pupils < 1 || args.pupils > 100000) {
    return core::InvalidArgument(core::kErrValueInvalid, "--pupils is 1 to 100000");
  }
  const MorningClock clock;
  const core::Date today = clock.Today();
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / fmt::format("rollcall-bench-day-one-{}", getpid());
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  if (!std::filesystem::create_directories(dir, ec)) {
    return core::Unavailable(core::kErrFileWrite,
                             fmt::format("cannot make {}: {}", dir.string(), ec.message()));
  }
  struct RemoveDir {
    std::filesystem::path path;
    ~RemoveDir() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  } remove_dir{dir};
  ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store,
                   store::OpenSqliteStore((dir / "school.db").string()));
  RETURN_IF_ERROR(store->SetSchool({"Bench Primary", "999999", "909", "primary", "1234"}));
  store::Settings settings;
  settings.set_by = "bench";
  RETURN_IF_ERROR(store->SaveSettings(settings).status());
  RETURN_IF_ERROR(store
                      ->AddTerm({0, "Autumn 2026", *core::Date::FromYmd(2026, 9, 1),
                                 *core::Date::FromYmd(2026, 12, 18)})
                      .status());
  const auto setup = Steady::now();
  std::vector<store::Pupil> pupils;
  std::vector<store::MarkWrite> marks;
  int64_t absent = 0;
  for (int64_t i = 0; i < args.pupils; ++i) {
    store::Pupil p;
    p.upn = core::UpnWithCheckLetter(fmt::format("909123{:06}", i));
    p.legal_given_name = fmt::format("Pupil{}", i);
    p.legal_family_name = "Bench";
    p.date_of_birth = *core::Date::FromYmd(2017, 5, 1);
    p.sex = i % 2 == 0 ? "F" : "M";
    p.year_group = 3;
    p.enrolments.push_back({*core::Date::FromYmd(2026, 9, 1), std::nullopt, "", ""});
    store::Contact mother;
    mother.priority = 1;
    mother.name = fmt::format("Mother {}", i);
    mother.relationship = "Mother";
    mother.phone = fmt::format("07700 9{:05}", i % 100000);
    mother.parental_responsibility = true;
    mother.emergency = true;
    store::Contact father;
    father.priority = 2;
    father.name = fmt::format("Father {}", i);
    father.relationship = "Father";
    father.email = fmt::format("father{}@example.org", i);
    father.preferred_channel = "email";
    father.parental_responsibility = true;
    p.contacts = {mother, father};
    pupils.push_back(std::move(p));
  }
  ASSIGN_OR_RETURN(std::vector<int64_t> ids,
                   store->SavePupils({}, pupils, {0, "bench", store::Role::kHead}, 0, "bench"));
  for (size_t i = 0; i < ids.size(); ++i) {
    const bool n = i % 10 == 3;
    absent += n ? 1 : 0;
    marks.push_back({ids[i],
                     {today, core::Session::kAm},
                     n ? core::AttendanceCode::kNoReasonYet : core::AttendanceCode::kPresentAm,
                     {},
                     "",
                     {},
                     {}});
  }
  RETURN_IF_ERROR(store->SaveMarks(marks, {0, "bench", store::Role::kHead}, 0).status());
  service::School school(*store, clock);
  RETURN_IF_ERROR(school.Load());
  service::MessageTemplates templates(school);
  service::DayOne day_one(school, templates);
  fmt::print(
      "rollcall bench day-one: {} pupils, {} absent with no reason (N), set up in {:.1f} s\n",
      args.pupils, absent, Since(setup));

  auto start = Steady::now();
  ASSIGN_OR_RETURN(service::DayOneResult first, day_one.RunDue());
  const double queue_seconds = Since(start);
  if (!first.not_run.empty()) {
    return core::Internal(core::kErrInternal, "the day-one run did not run: " + first.not_run);
  }
  fmt::print("rollcall bench day-one: {} messages for {} pupils queued in {:.3f} s\n",
             first.messages, first.pupils, queue_seconds);

  start = Steady::now();
  ASSIGN_OR_RETURN(service::DayOneResult second, day_one.RunDue());
  const double again_seconds = Since(start);
  service::DayOne other(school, templates);
  start = Steady::now();
  ASSIGN_OR_RETURN(service::DayOneResult other_run, other.RunDue());
  const double other_seconds = Since(start);
  fmt::print(
      "rollcall bench day-one: a second run ({}) in {:.6f} s; in another process ({}) in "
      "{:.6f} s\n",
      second.not_run, again_seconds, other_run.not_run, other_seconds);
  ASSIGN_OR_RETURN(std::vector<store::OutboxMessage> rows, store->OutboxForKindSince("day_one", 0));
  if (rows.size() != static_cast<size_t>(first.messages)) {
    return core::Internal(
        core::kErrInternal,
        fmt::format("{} messages in the outbox, {} reported queued", rows.size(), first.messages));
  }
  // Sending, into folders.
  store::MessageSettings message_settings;
  message_settings.email_transport = "folder:" + (dir / "email").string();
  message_settings.sms_transport = "folder:" + (dir / "sms").string();
  message_settings.from_address = "office@bench-primary.example.org";
  message_settings.from_name = "Bench Primary";
  message_settings.set_by = "bench";
  RETURN_IF_ERROR(store->SaveMessageSettings(message_settings).status());
  service::Messaging messaging(school, nullptr, nullptr);
  start = Steady::now();
  int runs = 0;
  int delivered = 0;
  while (true) {
    ASSIGN_OR_RETURN(service::MessageRun run, messaging.RunDue());
    ++runs;
    delivered += run.delivered;
    if (run.attempted == 0) break;
  }
  const double send_seconds = Since(start);
  fmt::print(
      "rollcall bench day-one: {} messages sent into folders in {:.3f} s ({} sender runs; "
      "the server makes one every 2 s)\n",
      delivered, send_seconds, runs - 1);
  if (delivered != first.messages) {
    return core::Internal(core::kErrInternal,
                          fmt::format("{} messages sent of {} queued", delivered, first.messages));
  }
  return core::OkStatus();
}

}  // namespace

int RunBenchDayOne(const BenchDayOneArgs& args) {
  if (core::Status s = BenchDayOne(args); !s.ok()) {
    std::cerr << "rollcall bench day-one: " << s.message() << "\n";
    return s.kind() == core::ErrorKind::kInvalidArgument ? kExitInvalidInput : kExitFailure;
  }
  return kExitOk;
}

}  // namespace rollcall::cli
