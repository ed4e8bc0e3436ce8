#include "core/lessons.h"

#include <fmt/format.h>

#include <string>

#include "core/error_codes.h"
#include "core/register.h"

namespace rollcall::core {
AttendanceCode PresentCode(Session session) {
  return session == Session::kAm ? AttendanceCode::kPresentAm : AttendanceCode::kPresentPm;
}

namespace {

// Present or late in a lesson: the pupil was seen.
bool Seen(const std::optional<AttendanceCode>& code) {
  return code && CategoryOf(*code) == StatCategory::kPresent;
}

}  // namespace

Status CheckLessonCode(Session session, AttendanceCode code) {
  const std::string symbol(SymbolOf(code));
  switch (code) {
    case AttendanceCode::kPresentAm:
    case AttendanceCode::kPresentPm:
      if (code == PresentCode(session)) return OkStatus();
      return InvalidArgument(
          kErrLessonCodeInvalid,
          fmt::format("'{}' is the {} present code: a lesson in the {} is marked present with '{}'",
                      symbol, session == Session::kAm ? "afternoon" : "morning",
                      session == Session::kAm ? "morning" : "afternoon",
                      SymbolOf(PresentCode(session))));
    // U is decided by the statutory register's close, never by a teacher in
    // a lesson; Z, # and X say the pupil was not expected at all, which is
    // the admission register's and the calendar's to say.
    case AttendanceCode::kLateAfterClose:
      return InvalidArgument(kErrLessonCodeInvalid,
                             "'U' is not a lesson mark: mark a pupil who came late to the lesson "
                             "'L' with the time they arrived");
    case AttendanceCode::kNotOnRoll:
    case AttendanceCode::kPlannedClosure:
    case AttendanceCode::kNotRequired:
      return InvalidArgument(
          kErrLessonCodeInvalid,
          fmt::format("'{}' is not a lesson mark: it says the pupil was not expected in school, "
                      "which only the statutory register records",
                      symbol));
    default:
      return OkStatus();
  }
}

AttendanceCode StatutoryFromLesson(Session session, AttendanceCode lesson_code,
                                   std::optional<int> arrival_minute, int close_minute) {
  if (lesson_code == AttendanceCode::kPresentAm || lesson_code == AttendanceCode::kPresentPm) {
    return PresentCode(session);
  }
  if (lesson_code == AttendanceCode::kLateBeforeClose) {
    // The register's own boundary (LateCode). A late mark with no arrival
    // time cannot be shown to be after the close, so it stays L.
    if (!arrival_minute) return AttendanceCode::kLateBeforeClose;
    return LateCode(*arrival_minute, close_minute);
  }
  return lesson_code;
}

std::vector<SessionDisagreement> CheckSession(std::optional<AttendanceCode> statutory,
                                              const std::vector<LessonEntry>& lessons,
                                              bool register_closed) {
  std::vector<SessionDisagreement> out;
  // On site from the start of the session by the statutory mark: present or
  // late before the close. U says the pupil came after the close but not
  // when, so it vouches only for lessons after one the pupil was seen in.
  const bool on_site_from_start = statutory && CategoryOf(*statutory) == StatCategory::kPresent;
  const bool absent =
      statutory && IsAbsence(*statutory) && *statutory != AttendanceCode::kLateAfterClose;
  bool seen_before = false;
  for (size_t i = 0; i < lessons.size(); ++i) {
    const std::optional<AttendanceCode>& code = lessons[i].code;
    if (Seen(code)) {
      if (absent) {
        out.push_back({Disagreement::kSeenWhileAbsent, i});
      } else if (!statutory && register_closed) {
        out.push_back({Disagreement::kSeenButUnmarked, i});
      }
      seen_before = true;
    } else if (code == AttendanceCode::kNoReasonYet && (on_site_from_start || seen_before)) {
      out.push_back({Disagreement::kMissingFromLesson, i});
    }
  }
  return out;
}

}  // namespace rollcall::core
