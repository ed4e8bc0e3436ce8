// `rollcall bench ctf --leavers N [--years Y]`: the time to write one Common
// Transfer File for N leavers (target: under 2 s for 2,000), each with Y
// academic years of marks at the school ending last July. The school is
// built in an in-memory store first (not timed); the time is that of
// service::CtfExport::Write, which counts each year through the rules core
// and writes the XML, as `rollcall ctf` and the transfers page do.
#include <fmt/format.h>

#include <chrono>
#include <iostream>

#include "cli/commands.h"
#include "cli/system_clock.h"
#include "core/codes.h"
#include "core/error_codes.h"
#include "core/upn.h"
#include "service/ctf_export.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::cli {
namespace {

using Clock = std::chrono::steady_clock;

// A mark for a pupil's session: mostly present, with the usual absences and
// a few of the 2024 codes of two characters.
core::AttendanceCode MarkOf(int64_t pupil, int32_t session) {
  static const char* const kCodes[] = {"/", "\\", "/",  "\\", "/", "\\", "/",  "\\", "/",  "\\",
                                       "/", "\\", "/",  "\\", "/", "\\", "L",  "I",  "M",  "N",
                                       "O", "G",  "C1", "Y1", "B", "/",  "\\", "/",  "\\", "/"};
  constexpr int64_t kCount = sizeof kCodes / sizeof kCodes[0];
  return *core::CodeFromSymbol(kCodes[(pupil * 7 + session * 13 + session / 7) % kCount]);
}

core::Status BenchCtf(const BenchCtfArgs& args) {
  if (args.leavers < 1 || args.leavers > 100000 || args.years < 1 || args.years > 7) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "--leavers is 1 to 100000 and --years 1 to 7");
  }
  const SystemClock clock;
  const int last = clock.Today().AcademicYearStart().year() - 1;  // last academic year's start
  std::unique_ptr<store::Store> store = store::NewMemoryStore();
  RETURN_IF_ERROR(store->SetSchool({"Bench Primary", "999999", "909", "primary", "1234"}));
  store::Settings settings;
  settings.set_by = "bench";
  RETURN_IF_ERROR(store->SaveSettings(settings).status());
  std::vector<store::Term> terms;
  for (int year = last - args.years + 1; year <= last; ++year) {
    terms.push_back({0, fmt::format("{}/{}", year, year + 1), *core::Date::FromYmd(year, 9, 1),
                     *core::Date::FromYmd(year + 1, 7, 20)});
    ASSIGN_OR_RETURN(terms.back().id, store->AddTerm(terms.back()));
  }
  const core::Calendar calendar = store::CalendarOf(terms, {});
  const auto setup = Clock::now();
  std::vector<std::string> ids;
  std::vector<store::MarkWrite> marks;
  for (int64_t i = 0; i < args.leavers; ++i) {
    store::Pupil p;
    p.upn = core::UpnWithCheckLetter(fmt::format("909123{:06}", i));
    p.legal_given_name = fmt::format("Pupil{}", i);
    p.legal_family_name = "Leaver";
    p.date_of_birth = *core::Date::FromYmd(last - 10, 5, 1);
    p.sex = i % 2 == 0 ? "F" : "M";
    p.year_group = 6;
    p.enrolments.push_back({terms.front().start, terms.back().end, "a", "Oak Academy (855/2345)"});
    store::Contact c;
    c.name = "Parent Leaver";
    c.relationship = "Parent";
    c.phone = "01455 000001";
    c.parental_responsibility = true;
    c.address = "1 School Lane\nHinckley";
    c.postcode = "LE10 1AA";
    p.contacts.push_back(c);
    ASSIGN_OR_RETURN(p.id, store->AddPupil(p));
    ids.push_back(std::to_string(p.id));
    for (int32_t s = 0; s < calendar.SessionCount(); ++s) {
      marks.push_back({p.id, calendar.SessionAt(s), MarkOf(i, s), {}, "", {}, {}});
    }
  }
  RETURN_IF_ERROR(store->SaveMarks(marks, {0, "bench", store::Role::kHead}, 0).status());
  service::School school(*store, clock);
  RETURN_IF_ERROR(school.Load());
  fmt::print("rollcall bench ctf: {} leavers x {} year{} ({} marks) set up in {:.1f} s\n",
             args.leavers, args.years, args.years == 1 ? "" : "s", marks.size(),
             std::chrono::duration<double>(Clock::now() - setup).count());

  service::CtfRequest request;
  request.pupils = std::move(ids);
  const service::Principal head{0, store::Role::kHead, "bench", "", {}, {}};
  const auto start = Clock::now();
  ASSIGN_OR_RETURN(service::CtfOutput out, service::CtfExport(school).Write(head, request));
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  fmt::print("rollcall bench ctf: one file of {} pupils ({:.1f} MB) written in {:.3f} s\n",
             out.pupils, static_cast<double>(out.xml.size()) / (1024.0 * 1024.0), seconds);
  return core::OkStatus();
}

}  // namespace

int RunBenchCtf(const BenchCtfArgs& args) {
  if (core::Status s = BenchCtf(args); !s.ok()) {
    std::cerr << "rollcall bench ctf: " << s.message() << "\n";
    return s.kind() == core::ErrorKind::kInvalidArgument ? kExitInvalidInput : kExitFailure;
  }
  return kExitOk;
}

}  // namespace rollcall::cli
