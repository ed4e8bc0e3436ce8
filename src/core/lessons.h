// lessons.h
//
// Lesson registers beside the statutory register. A secondary school takes a
// register in every lesson; the law asks only for the AM and PM marks. This
// is the one rule that joins the two (docs/lessons.md says it in words):
//
// 1. Where the statutory mark comes from. By default (kRegistration) the AM
//    or PM register is the form tutor's, taken in the registration period
//    like a primary school's; lessons never write it. A school may instead
//    say the first lesson of each session gives it (kFirstLesson): when that
//    lesson's register is taken and the session has no statutory mark yet,
//    the lesson's mark becomes the statutory one (StatutoryFromLesson).
// 2. A lesson never changes a statutory mark that is already recorded, and a
//    later lesson never gives one. Only an amendment with a reason does.
// 3. Where the lesson registers and the statutory mark disagree, the office
//    is told (CheckSession): a pupil seen in a lesson while marked absent, a
//    pupil marked present at registration but missing from a later lesson
//    without a reason (internal truancy), and a pupil seen in lessons whose
//    statutory mark is still missing after the register closed.
//
// A lesson mark is a national code: present (/ or \ by session), late (L,
// with the arrival time), absent with no reason yet (N), or the code of a
// known reason (for example B for a pupil out with the music service, I for
// a pupil sent home ill). Pure functions; no clock.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/codes.h"
#include "core/session.h"
#include "core/status.h"

namespace rollcall::core {

// Which register gives the statutory AM and PM marks.
enum class StatutorySource : uint8_t {
  kRegistration = 1,  // the registration period's register (the AM/PM register)
  kFirstLesson = 2,   // the first lesson of each session
};

// The present code of `session`: / in the morning, \ in the afternoon.
AttendanceCode PresentCode(Session session);

// Ok when `code` may be a lesson mark in `session`: present (the session's
// own present code), L, N, or any absence or approved-activity code other
// than U, Z, # and X (not a lesson's to say). InvalidArgument
// LESSON_CODE_INVALID otherwise, naming the code.
Status CheckLessonCode(Session session, AttendanceCode code);

// The statutory mark the source lesson's mark gives a session that has none:
// present gives the session's present code; L gives what LateCode gives
// the arrival: L before the register's close (`close_minute`, minutes after
// midnight), U at the close minute or later, and L when there is no arrival
// time (nothing shows it was after the close); any other code gives itself.
AttendanceCode StatutoryFromLesson(Session session, AttendanceCode lesson_code,
                                   std::optional<int> arrival_minute, int close_minute);

// One lesson of a session for one pupil, in the order of the day.
struct LessonEntry {
  int start_minute = 0;                // the period's start
  std::optional<AttendanceCode> code;  // nullopt: not marked (yet)
};

enum class Disagreement : uint8_t {
  kSeenWhileAbsent = 1,    // the statutory mark is an absence, yet present or late in a lesson
  kMissingFromLesson = 2,  // on site (/, \, L; U once seen in a lesson), N in a later lesson
  kSeenButUnmarked = 3,    // present or late in a lesson, no statutory mark after the close
};

struct SessionDisagreement {
  Disagreement kind = Disagreement::kSeenWhileAbsent;
  size_t lesson = 0;  // index into the lessons given to CheckSession
};

// The disagreements of one pupil's session: `statutory` is the session's
// statutory mark (nullopt: none yet), `lessons` its lessons in order of
// start, `register_closed` whether the statutory register has closed. One
// entry per lesson that disagrees; a source lesson that gave the statutory
// mark agrees with it by construction. An N in a lesson counts as missing
// only when it starts after the first lesson the pupil was seen in or the
// statutory mark says they were on site.
std::vector<SessionDisagreement> CheckSession(std::optional<AttendanceCode> statutory,
                                              const std::vector<LessonEntry>& lessons,
                                              bool register_closed);

}  // namespace rollcall::core
