#include "service/marks_import.h"

#include <fmt/format.h>

#include <map>

#include "core/register.h"
#include "io/quote.h"
#include "service/fields.h"
#include "service/records.h"

namespace rollcall::service {

core::StatusOr<ImportResult> ImportMarks(store::Store& store, const std::vector<io::MarkRow>& rows,
                                         const store::Actor& actor, const core::Clock& clock,
                                         const std::string& source) {
  const core::Date today = clock.Today();
  ASSIGN_OR_RETURN(store::School school, store.GetSchool());
  ASSIGN_OR_RETURN(const store::Settings settings, SettingsInForce(store));
  ASSIGN_OR_RETURN(std::vector<store::Pupil> pupils, store.ListPupils());
  ASSIGN_OR_RETURN(std::vector<store::Term> terms, store.ListTerms());
  ASSIGN_OR_RETURN(std::vector<store::Closure> closures, store.ListClosures());
  const core::Calendar calendar = store::CalendarOf(terms, closures);
  std::map<std::string, const store::Pupil*> by_upn;
  for (const store::Pupil& p : pupils) by_upn[p.upn] = &p;
  std::map<int64_t, std::map<core::SessionKey, core::AttendanceCode>> stored;
  {
    ASSIGN_OR_RETURN(std::vector<store::Mark> marks, store.AllMarks());
    for (const store::Mark& m : marks) stored[m.pupil_id][m.slot] = m.code;
  }

  io::CsvErrors errors;
  ImportResult result;
  std::vector<store::MarkWrite> writes;
  for (const io::MarkRow& row : rows) {
    if (row.school != school.urn) {
      errors.Add(row.line, fmt::format("school {} is not this database's school ({}, URN {})",
                                       io::Shorten(row.school), school.name, school.urn));
      continue;
    }
    auto p = by_upn.find(row.upn);
    if (p == by_upn.end()) {
      errors.Add(row.line, fmt::format("no pupil with UPN {} in {}", row.upn, school.name));
      continue;
    }
    if (!row.code) {
      ++result.no_mark;
      continue;
    }
    if (row.slot.date > today) {
      errors.Add(row.line, fmt::format("{} is in the future: marks are taken on the day",
                                       row.slot.date.ToString()));
      continue;
    }
    if (const int opens = settings.RegisterOpen(row.slot.session);
        row.slot.date == today && clock.MinuteOfDay() < opens) {
      errors.Add(row.line, fmt::format("{} {}: the register opens at {}", row.slot.date.ToString(),
                                       core::SessionName(row.slot.session), TimeText(opens)));
      continue;
    }
    const core::PupilRecord record = RecordOf(*p->second, row.slot.date);
    if (core::Status s = core::CheckMark(calendar, record, row.slot, row.code); !s.ok()) {
      errors.Add(row.line, fmt::format("{} {} {}: {}", row.upn, row.slot.date.ToString(),
                                       core::SessionName(row.slot.session), s.message()));
      continue;
    }
    ++result.rows;
    const auto& marks = stored[p->second->id];
    auto existing = marks.find(row.slot);
    if (existing != marks.end() && existing->second == *row.code) {
      ++result.unchanged;
      continue;
    }
    if (existing != marks.end()) ++result.amended;
    writes.push_back({.pupil_id = p->second->id,
                      .slot = row.slot,
                      .code = *row.code,
                      .arrival_minute = std::nullopt,
                      .reason = fmt::format("imported from {} line {}", source, row.line),
                      .actor = std::nullopt,
                      .at = std::nullopt});
  }
  if (!errors.empty()) return errors.ToStatus(source);
  if (!writes.empty()) {
    ASSIGN_OR_RETURN(store::SaveMarksResult saved,
                     store.SaveMarks(writes, actor, clock.NowSeconds()));
    result.changed = saved.changed;
  }
  return result;
}

}  // namespace rollcall::service
