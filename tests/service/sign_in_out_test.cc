// The reception desk: late arrivals signed in get L or U by the register's
// close through the register's own rule, a route's delay keeps its pupils
// from U (recorded before or after they arrived), early departures keep or
// change the session's mark, and the refusals.
#include "service/sign_in_out.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "core/error_codes.h"
#include "service/school_fixture.h"

namespace rollcall::service {
namespace {

using core::AttendanceCode;
using core::Session;

// Today is Wednesday 2026-11-25 at 10:00; the morning session starts at
// 08:45 and its register closes at 09:15.
class SignInOutTest : public SchoolFixture {
 protected:
  SignInOut& desk() { return services_->sign_in_out(); }

  core::StatusOr<store::SignEvent> In(int64_t pupil, const std::string& time,
                                      const std::string& reason = "Overslept") {
    return desk().SignIn(office_, {std::to_string(pupil), time, reason});
  }
  core::StatusOr<store::SignEvent> Out(int64_t pupil, const std::string& time, bool counts,
                                       const std::string& code = "") {
    return desk().SignOut(office_, {.pupil = std::to_string(pupil),
                                    .time = time,
                                    .reason = "Medical or dental appointment",
                                    .counts = counts,
                                    .code = code});
  }
  // The session's mark as the school holds it.
  SlotMark MarkOf(int64_t pupil, Session s = Session::kAm) {
    auto lock = services_->school().Read();
    const size_t index = services_->school().snapshot().pupil_index.at(pupil);
    return services_->school().MarkAt(index, {D("2026-11-25"), s});
  }
  // The reason of the pupil's newest audit row.
  std::string LastReason(int64_t pupil) {
    core::StatusOr<std::vector<store::Amendment>> list =
        services_->registers().Amendments(office_, pupil);
    EXPECT_TRUE(list.ok() && !list->empty());
    return list.ok() && !list->empty() ? list->back().reason : "";
  }
  int64_t RouteWith(const std::string& name, int64_t pupil) {
    core::StatusOr<int64_t> route = desk().AddRoute(office_, name);
    EXPECT_TRUE(route.ok()) << route.status().message();
    EXPECT_TRUE(desk().SetRoute(office_, std::to_string(pupil), std::to_string(*route)).ok());
    return *route;
  }
};

TEST_F(SignInOutTest, ArrivalBeforeTheCloseIsLAndAtTheCloseMinuteIsU) {
  ASSERT_TRUE(In(a_, "09:14").ok());
  EXPECT_EQ(MarkOf(a_).code, AttendanceCode::kLateBeforeClose);
  EXPECT_EQ(MarkOf(a_).arrival, 9 * 60 + 14);
  EXPECT_EQ(LastReason(a_), "Signed in at 09:14: Overslept");

  core::StatusOr<store::SignEvent> at_close = In(b_, "09:15", "Traffic");
  ASSERT_TRUE(at_close.ok()) << at_close.status().message();
  EXPECT_EQ(MarkOf(b_).code, AttendanceCode::kLateAfterClose);
  EXPECT_EQ(at_close->code, AttendanceCode::kLateAfterClose);
  EXPECT_EQ(at_close->slot.session, Session::kAm);
  EXPECT_EQ(at_close->recorded_by, "Ms Office");
  EXPECT_EQ(at_close->recorded_by_id, office_.user_id);

  // Both on today's list, newest first, with the pupil's class.
  core::StatusOr<DeskView> view = desk().Desk(office_);
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->lines.size(), 2u);
  EXPECT_EQ(view->lines[0].event.pupil_id, b_);
  EXPECT_EQ(view->lines[0].class_name, "4B");
  EXPECT_EQ(view->lines[1].event.minute, 9 * 60 + 14);
}

TEST_F(SignInOutTest, AnEmptyTimeIsNowByTheSchoolsClock) {
  clock_.Set(D("2026-11-25"), 9 * 60 + 50);
  core::StatusOr<store::SignEvent> now = In(a_, "");
  ASSERT_TRUE(now.ok()) << now.status().message();
  EXPECT_EQ(now->minute, 9 * 60 + 50);
  EXPECT_EQ(MarkOf(a_).code, AttendanceCode::kLateAfterClose);
}

TEST_F(SignInOutTest, APupilOnADelayedRouteSignedInAfterTheCloseGetsL) {
  const int64_t route = RouteWith("North bus", a_);
  core::StatusOr<DelayResult> delay =
      desk().RecordDelay(office_, {std::to_string(route), "", "AM", "broke down"});
  ASSERT_TRUE(delay.ok()) << delay.status().message();
  EXPECT_TRUE(delay->changed.empty());  // no one had arrived yet

  ASSERT_TRUE(In(a_, "09:40", "Bus or taxi late").ok());
  EXPECT_EQ(MarkOf(a_).code, AttendanceCode::kLateBeforeClose);
  EXPECT_NE(LastReason(a_).find("North bus transport was late"), std::string::npos)
      << LastReason(a_);
  // Not on the route: U.
  ASSERT_TRUE(In(b_, "09:40", "Bus or taxi late").ok());
  EXPECT_EQ(MarkOf(b_).code, AttendanceCode::kLateAfterClose);
  // The afternoon is another session: the morning's delay does not reach it.
  clock_.Set(D("2026-11-25"), 14 * 60 + 30);
  ASSERT_TRUE(In(a_, "14:00").ok());
  EXPECT_EQ(MarkOf(a_, Session::kPm).code, AttendanceCode::kLateAfterClose);
}

TEST_F(SignInOutTest, ADelayRecordedAfterTheSignInTurnsItsPupilsUIntoL) {
  const int64_t route = RouteWith("North bus", a_);
  ASSERT_TRUE(In(a_, "09:40", "Bus or taxi late").ok());
  ASSERT_TRUE(In(b_, "09:41", "Bus or taxi late").ok());
  ASSERT_EQ(MarkOf(a_).code, AttendanceCode::kLateAfterClose);

  core::StatusOr<DelayResult> delay =
      desk().RecordDelay(office_, {std::to_string(route), "2026-11-25", "AM", ""});
  ASSERT_TRUE(delay.ok()) << delay.status().message();
  EXPECT_EQ(delay->changed, std::vector<std::string>{"Pupil A"});
  EXPECT_TRUE(delay->failed.empty());
  EXPECT_EQ(MarkOf(a_).code, AttendanceCode::kLateBeforeClose);
  EXPECT_EQ(MarkOf(a_).arrival, 9 * 60 + 40);  // the arrival kept
  EXPECT_EQ(LastReason(a_).rfind("School transport: North bus was late this session", 0), 0u)
      << LastReason(a_);
  EXPECT_EQ(MarkOf(b_).code, AttendanceCode::kLateAfterClose);  // on no route

  // Recorded twice: refused, and nothing changes.
  EXPECT_EQ(desk().RecordDelay(office_, {std::to_string(route), "", "AM", ""}).status().code(),
            core::kErrRouteDelayExists);
}

TEST_F(SignInOutTest, TheRegisterHonoursADelayToo) {
  const int64_t route = RouteWith("Taxi 3", a_);
  ASSERT_TRUE(desk().RecordDelay(head_, {std::to_string(route), "", "AM", ""}).ok());
  ASSERT_TRUE(Mark(office_, a_, "2026-11-25", "AM", "U", "", "09:35").ok());
  EXPECT_EQ(MarkOf(a_).code, AttendanceCode::kLateBeforeClose);
}

TEST_F(SignInOutTest, ADepartureThatCountsKeepsTheMark) {
  ASSERT_TRUE(Mark(teacher_, a_, "2026-11-25", "AM", "/").ok());
  core::StatusOr<store::SignEvent> out = Out(a_, "09:50", true);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_TRUE(out->counts);
  EXPECT_FALSE(out->code.has_value());
  EXPECT_EQ(out->kind, store::SignKind::kOut);
  EXPECT_EQ(MarkOf(a_).code, AttendanceCode::kPresentAm);
}

TEST_F(SignInOutTest, ADepartureThatDoesNotCountIsAmendedToTheCodeChosen) {
  ASSERT_TRUE(Mark(teacher_, a_, "2026-11-25", "AM", "/").ok());
  core::StatusOr<store::SignEvent> out = Out(a_, "09:50", false, "M");
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_FALSE(out->counts);
  EXPECT_EQ(out->code, AttendanceCode::kMedical);
  EXPECT_EQ(MarkOf(a_).code, AttendanceCode::kMedical);
  EXPECT_EQ(LastReason(a_), "Signed out at 09:50: Medical or dental appointment");
  // A present or late code is not a departure's.
  EXPECT_EQ(Out(b_, "09:50", false, "/").status().code(), core::kErrSignOutCodeInvalid);
  EXPECT_EQ(Out(b_, "09:50", false, "U").status().code(), core::kErrSignOutCodeInvalid);
  EXPECT_EQ(Out(b_, "09:50", false, "").status().code(), core::kErrSignOutCodeInvalid);
  EXPECT_FALSE(MarkOf(b_).code.has_value());
}

TEST_F(SignInOutTest, BadInputIsRefusedAndNothingIsStored) {
  EXPECT_EQ(In(a_ + b_ + 99, "09:40").status().code(), core::kErrPupilUnknown);
  EXPECT_EQ(desk().SignIn(office_, {"x1", "09:40", "Overslept"}).status().code(),
            core::kErrPupilUnknown);
  EXPECT_EQ(In(a_, "10:01").status().code(), core::kErrSignTimeInFuture);
  EXPECT_EQ(In(a_, "08:30").status().code(), core::kErrSignTimeBeforeSession);
  EXPECT_EQ(In(a_, "9h40").status().code(), core::kErrTimeInvalid);
  EXPECT_EQ(In(a_, "09:40", "  ").status().code(), core::kErrValueInvalid);
  EXPECT_EQ(In(a_, "09:40", std::string(201, 'x')).status().code(), core::kErrValueInvalid);
  EXPECT_EQ(Out(a_, "08:00", true).status().code(), core::kErrSignTimeBeforeSession);
  EXPECT_FALSE(MarkOf(a_).code.has_value());
  EXPECT_TRUE(store_->SignEventsOn(D("2026-11-25"))->empty());

  EXPECT_TRUE(desk().AddRoute(office_, "North").ok());
  EXPECT_EQ(desk().AddRoute(office_, "north").status().code(), core::kErrRouteNameTaken);
  EXPECT_EQ(desk().RecordDelay(office_, {"999", "", "AM", ""}).status().code(),
            core::kErrRouteUnknown);
  EXPECT_EQ(desk().SetRoute(office_, std::to_string(a_), "999").code(), core::kErrRouteUnknown);
  EXPECT_EQ(desk().SetRoute(office_, "999", "").code(), core::kErrPupilUnknown);
}

TEST_F(SignInOutTest, OnlyTheOfficeAndTheHeadUseTheDesk) {
  for (const Principal* who : {&teacher_, &parent_, &la_}) {
    EXPECT_EQ(desk().SignIn(*who, {std::to_string(a_), "09:40", "Overslept"}).status().kind(),
              core::ErrorKind::kPermissionDenied)
        << who->name;
    EXPECT_EQ(desk().Desk(*who).status().kind(), core::ErrorKind::kPermissionDenied);
    EXPECT_EQ(desk().Transport(*who).status().kind(), core::ErrorKind::kPermissionDenied);
    EXPECT_EQ(desk().AddRoute(*who, "North").status().kind(), core::ErrorKind::kPermissionDenied);
    EXPECT_TRUE(desk().Today(*who)->empty());
  }
  EXPECT_FALSE(MarkOf(a_).code.has_value());
  EXPECT_TRUE(desk().SignIn(head_, {std::to_string(a_), "09:40", "Overslept"}).ok());
  EXPECT_EQ(desk().Today(head_)->size(), 1u);
}

TEST_F(SignInOutTest, ARoutesCsvSetsEveryPupilOrNone) {
  ASSERT_TRUE(desk().AddRoute(office_, "North").ok());
  core::StatusOr<int> bad = desk().ImportRoutes(
      office_, "UPN,route\nA909123400001,North\nZ000000000000,North\nB909123400002,South\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), core::kErrCsvInvalid);
  EXPECT_NE(bad.status().message().find("line 3"), std::string::npos) << bad.status().message();
  EXPECT_NE(bad.status().message().find("'South'"), std::string::npos);
  EXPECT_TRUE(store_->RouteRiders()->empty());

  core::StatusOr<int> good =
      desk().ImportRoutes(office_, "upn,Route\nA909123400001,north\nB909123400002,\n");
  ASSERT_TRUE(good.ok()) << good.status().message();
  EXPECT_EQ(*good, 2);
  core::StatusOr<TransportView> view = desk().Transport(office_);
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->routes.size(), 1u);
  ASSERT_EQ(view->routes[0].riders.size(), 1u);
  EXPECT_EQ(view->routes[0].riders[0].pupil_id, a_);
  EXPECT_EQ(view->pupils.size(), 2u);
  // The kiosk's search shows the route.
  core::StatusOr<std::vector<DeskPupil>> found = desk().Find(office_, "pupil a");
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].route, "North");
  EXPECT_TRUE(desk().Find(office_, "p")->empty());  // one letter finds nothing
}

}  // namespace
}  // namespace rollcall::service
