// demo_school.cc: the demo's logins, and SeedDemoSchool, which plans every
// scenario (internal.h) before the first write and then writes them in order.
#include "demo/demo_school.h"

#include <fmt/format.h>

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/error_codes.h"
#include "demo/internal.h"
#include "service/records.h"
#include "service/services.h"
#include "synth/synth.h"

namespace rollcall::cli {

std::vector<DemoLogin> DemoLogins() {
  using namespace internal;  // NOLINT: the demo's fixed facts (internal.h)
  std::vector<DemoLogin> logins;
  logins.reserve(kAccounts.size());
  for (const AccountSpec& account : kAccounts) {
    logins.push_back({std::string(account.username), std::string(store::RoleName(account.role)),
                      std::string(account.sees)});
  }
  return logins;
}

core::Status SeedDemoSchool(store::Store& store, core::Date today, int minute_of_day,
                            int64_t now_unix, const DemoOptions& options) {
  using namespace internal;  // NOLINT: the scenarios' steps (internal.h)
  if (core::StatusOr<store::School> existing = store.GetSchool(); existing.ok()) {
    return core::OkStatus();
  } else if (existing.status().kind() != core::ErrorKind::kNotFound) {
    return existing.status();
  }
  if (minute_of_day < 0 || minute_of_day >= 24 * 60) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("minute of day {} is not 0-1439", minute_of_day));
  }
  ASSIGN_OR_RETURN(const synth::SynthSchool school,
                   synth::Synthesize({.pupils = options.pupils,
                                      .years = 1,
                                      .seed = options.seed,
                                      .as_of = today,
                                      .phase = synth::Phase::kPrimary}));
  const LocalTime time(today, minute_of_day, now_unix);

  // Everything is decided before the first write.
  std::vector<Draft> drafts = DraftPupils(school, today, options.seed, options.establishment);
  const MarkPlan plan = PlanMarks(school, drafts, today, minute_of_day, time, options.seed);
  const std::array<ParentChoice, 3> parents = ChooseParents(drafts, plan);
  SetUpFamilies(school, parents, options.seed, drafts);
  CompleteRegisterEntries(school.scenario.calendar, today, options.seed, drafts);
  MarkPlan final_plan = plan;
  MakeChildrenMissing(school.scenario.calendar, drafts, parents, today, minute_of_day, time,
                      final_plan);
  std::optional<PartTimePlan> part_time = PutOnPartTime(school.scenario.calendar, drafts, parents,
                                                        today, minute_of_day, time, final_plan);
  const std::optional<RefusedLeavePlan> refused_leave =
      PlanRefusedLeave(school.scenario.calendar, drafts, parents, today, time, final_plan);

  // First the plain store writes the services read when they load: the
  // calendar, the people, the registers, the CME cases as they were opened,
  // the part-time timetable and leave.
  RETURN_IF_ERROR(WriteSettingsAndCalendar(store, today.AcademicYearStart().year(), time));
  ASSIGN_OR_RETURN(const Staff staff, WriteClassesAndAccounts(store, parents, drafts, options));
  RETURN_IF_ERROR(WritePupils(store, staff, parents, drafts));
  RETURN_IF_ERROR(WriteMarks(store, final_plan, staff, drafts));
  ASSIGN_OR_RETURN(const std::vector<OpenedCme> cme,
                   OpenCmeCases(store, school.scenario.calendar, drafts, today, time));
  if (part_time) {
    store::PartTimeTimetable t = part_time->timetable;
    t.pupil_id = drafts[part_time->pupil].id;
    const size_t head = AccountIndex("head");
    t.by_user_id = staff.user_ids[head];
    t.by_name = std::string(kAccounts[head].display_name);
    t.by_role = kAccounts[head].role;
    RETURN_IF_ERROR(store.AddPartTimeTimetable(t).status());
  }
  RETURN_IF_ERROR(WriteLeave(store, school.scenario.calendar, drafts, parents, staff, refused_leave,
                             today, time, options.school_name));
  RETURN_IF_ERROR(WriteLaNotifications(store, drafts, staff, today, time));
  // The school record, which marks a demo school as seeded, comes before the
  // casework, because the services put the school's name on its letters: a
  // seeding that fails after this point needs a fresh database.
  RETURN_IF_ERROR(store.SetSchool({.name = options.school_name,
                                   .urn = options.urn,
                                   .la_code = std::string(kLaCode),
                                   .phase = "primary",
                                   // Its DfE number, which Common Transfer
                                   // Files name it by.
                                   .establishment_number = options.establishment}));

  // Then the casework, through the services, as the staff who did it, each
  // at the time it was done. Loading at "now" opens the penalty cases the
  // registers call for (src/service/case_checks.cc).
  DemoClock clock(today, minute_of_day, time);
  service::Services services(store, clock);
  RETURN_IF_ERROR(services.Load());
  Casework work{.services = services, .clock = clock, .staff = {}};
  for (const int64_t user_id : staff.user_ids) {
    ASSIGN_OR_RETURN(const store::User user, store.GetUser(user_id));
    work.staff.push_back(service::PrincipalOf(user));
  }
  RETURN_IF_ERROR(WriteContacts(work, final_plan, drafts, parents, today, time));
  RETURN_IF_ERROR(WriteLetters(work, final_plan, drafts, today));
  RETURN_IF_ERROR(RecordCmeSteps(work, school.scenario.calendar, cme, today, time));
  RETURN_IF_ERROR(WriteSupport(work, school.scenario.calendar, drafts, final_plan, parents, today));
  RETURN_IF_ERROR(WritePenaltyCases(work, today));
  RETURN_IF_ERROR(RecordKnownCondition(work, final_plan, drafts, today));
  if (!options.transport) return core::OkStatus();
  return SeedDemoTransport(store, today, minute_of_day, now_unix);
}

}  // namespace rollcall::cli
