// neighbours.cc: the demo LA's other schools, and the pupils the schools
// share.
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/upn.h"
#include "demo/demo_school.h"
#include "store/store.h"

namespace rollcall::cli {

namespace {

using core::Date;

// Open sessions of `store`'s calendar from `from` up to yesterday, and this
// morning's once it is past 10:00.
core::StatusOr<std::vector<core::SessionKey>> SessionsSince(store::Store& store, Date from,
                                                            Date today, int minute_of_day) {
  ASSIGN_OR_RETURN(std::vector<store::Term> terms, store.ListTerms());
  ASSIGN_OR_RETURN(std::vector<store::Closure> closures, store.ListClosures());
  const core::Calendar calendar = store::CalendarOf(terms, closures);
  std::vector<core::SessionKey> out;
  for (int32_t i = calendar.FirstSessionOnOrAfter(from); i < calendar.SessionCount(); ++i) {
    const core::SessionKey key = calendar.SessionAt(i);
    if (key.date > today ||
        (key.date == today && (minute_of_day < 10 * 60 || key.session == core::Session::kPm))) {
      break;
    }
    out.push_back(key);
  }
  return out;
}

// Admits `pupil`, who came from `previous_school`, to `store` and marks them
// present at every session since; the family confirmed the contacts on the
// admission form of the first day (today, for one yet to start).
core::Status AdmitWithMarks(store::Store& store, store::Pupil pupil,
                            const std::string& previous_school, Date today, int minute_of_day,
                            int64_t now_unix) {
  pupil.id = 0;
  pupil.class_id.reset();
  pupil.previous_school = previous_school;
  for (store::Contact& c : pupil.contacts) {
    c.user_id.reset();
    c.confirmed_on = std::min(pupil.enrolments.front().start, today);
  }
  ASSIGN_OR_RETURN(const int64_t id, store.AddPupil(pupil));
  ASSIGN_OR_RETURN(store::User office, store.FindUserByName("office"));
  const store::Actor actor{office.id, office.display_name, office.role};
  ASSIGN_OR_RETURN(std::vector<core::SessionKey> sessions,
                   SessionsSince(store, pupil.enrolments.front().start, today, minute_of_day));
  std::vector<store::MarkWrite> writes;
  for (const core::SessionKey& key : sessions) {
    writes.push_back({.pupil_id = id,
                      .slot = key,
                      .code = key.session == core::Session::kAm ? core::AttendanceCode::kPresentAm
                                                                : core::AttendanceCode::kPresentPm,
                      .arrival_minute = std::nullopt,
                      .reason = "register",
                      .actor = std::nullopt,
                      .at = std::nullopt});
  }
  if (!writes.empty()) RETURN_IF_ERROR(store.SaveMarks(writes, actor, now_unix).status());
  return core::OkStatus();
}

}  // namespace

std::vector<DemoOptions> DemoNeighbours() {
  std::vector<DemoOptions> out(3);
  out[0].school_name = "Hillside Primary School";
  out[0].urn = "112605";
  out[0].establishment = "2418";
  out[0].pupils = 240;
  out[0].seed = 20261126;
  out[1].school_name = "St Anne's CofE Primary School";
  out[1].urn = "112606";
  out[1].establishment = "3301";
  out[1].pupils = 210;
  out[1].seed = 20261127;
  out[2].school_name = "Meadow Lane Primary School";
  out[2].urn = "112607";
  out[2].establishment = "2419";
  out[2].pupils = 300;
  out[2].seed = 20261128;
  for (DemoOptions& o : out) {
    o.fast_hashing = true;  // nobody logs in to them in the demo
    o.transport = false;    // Riverside's buses are the demo's
  }
  return out;
}

core::Status LinkDemoNeighbours(store::Store& home, store::Store& mover_to,
                                store::Store& sibling_at, Date today, int minute_of_day,
                                int64_t now_unix) {
  ASSIGN_OR_RETURN(const store::School home_school, home.GetSchool());
  ASSIGN_OR_RETURN(std::vector<store::Pupil> pupils, home.ListPupils());
  const Date year_start = today.AcademicYearStart();
  // A pupil who left this term for a school "not yet known": it is Hillside.
  for (const store::Pupil& p : pupils) {
    if (p.enrolments.empty()) continue;
    const store::Enrolment& last = p.enrolments.back();
    if (!last.end || *last.end < year_start || *last.end >= today.AddDays(-7)) continue;
    store::Pupil moved = p;
    moved.enrolments = {{last.end->AddDays(3), std::nullopt, "", ""}};
    RETURN_IF_ERROR(
        AdmitWithMarks(mover_to, moved, home_school.name, today, minute_of_day, now_unix));
    break;
  }
  // A younger brother or sister of a Riverside pupil, at Meadow Lane.
  for (const store::Pupil& p : pupils) {
    if (p.contacts.empty() || p.contacts.front().phone.empty() || p.year_group < 3) continue;
    if (p.enrolments.empty() || p.enrolments.back().end) continue;
    store::Pupil sibling = p;
    sibling.legal_given_name = sibling.preferred_given_name.empty() ? "Sam" : "Alex";
    sibling.preferred_given_name.clear();
    sibling.year_group = p.year_group - 2;
    sibling.date_of_birth = p.date_of_birth.AddDays(2 * 365 + 40);
    sibling.flags.clear();
    sibling.upn = core::UpnWithCheckLetter(fmt::format(
        "909{}{:02d}{:03d}", "2419", (year_start.year() - sibling.year_group) % 100, 900));
    sibling.enrolments = {{year_start.AddDays(31), std::nullopt, "", ""}};
    RETURN_IF_ERROR(AdmitWithMarks(sibling_at, sibling, "Greystone Primary School, Cockermouth",
                                   today, minute_of_day, now_unix));
    break;
  }
  return core::OkStatus();
}

}  // namespace rollcall::cli
