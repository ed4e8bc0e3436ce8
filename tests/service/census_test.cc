// The school census attendance return (service/census.h): its figures equal
// the rules core's over each census period of a synthetic school across two
// academic years, a pupil who left and came back has two enrolments, the
// checks name the pupils they find, and downloading the XML records the
// return for the school and its LA.
#include "service/census.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "core/pupil_sessions.h"
#include "core/statistics.h"
#include "core/upn.h"
#include "service/school_fixture.h"
#include "synth/synth.h"

namespace rollcall::service {
namespace {

std::string CensusUpn(size_t serial) {
  return core::UpnWithCheckLetter(fmt::format("90912342{:04d}", serial));
}

struct Sums {
  int64_t possible = 0, attended = 0, authorised = 0, unauthorised = 0, rows = 0;
  std::map<std::string, int64_t> reasons;  // by AttendanceReason
  auto Tie() const { return std::tie(possible, attended, authorised, unauthorised, reasons); }
};

TEST(CensusServiceTest, TotalsEqualTheRulesCoreOverEachCensusPeriodAcrossTwoYears) {
  synth::SynthOptions options;
  options.pupils = 100;
  options.years = 2;  // 2023/24 and 2024/25
  options.seed = 20261203;
  core::StatusOr<synth::SynthSchool> synthetic = synth::Synthesize(options);
  ASSERT_TRUE(synthetic.ok()) << synthetic.status().message();
  core::Scenario original = synthetic->scenario;
  const std::vector<core::Term>& terms = original.calendar.terms();
  const core::Date first_day = terms.front().start;

  // One pupil on roll throughout leaves on 18 October 2024 and comes back on
  // 11 November 2024: two enrolments in the autumn term the spring census
  // of 2025 returns.
  size_t rejoined = original.pupils.size();
  for (size_t i = 0; i < original.pupils.size(); ++i) {
    if (original.pupils[i].on_roll.empty()) {
      rejoined = i;
      break;
    }
  }
  ASSERT_LT(rejoined, original.pupils.size());
  original.pupils[rejoined].on_roll = {{first_day, D("2024-10-18")},
                                       {D("2024-11-11"), std::nullopt}};

  std::unique_ptr<store::Store> store = store::NewMemoryStore();
  FakeClock clock(D("2025-09-10"), 12 * 60);
  ASSERT_TRUE(store->SetSchool({"Census School", "123456", "909", "all-through", "1234"}).ok());
  store::Settings settings;
  settings.set_by = "test";
  ASSERT_TRUE(store->SaveSettings(settings).ok());
  for (size_t i = 0; i < terms.size(); ++i) {
    ASSERT_TRUE(
        store->AddTerm({0, fmt::format("Term {}", i + 1), terms[i].start, terms[i].end}).ok());
  }
  for (const core::Closure& c : original.calendar.closures()) {
    ASSERT_TRUE(store->SetClosure({c.date, c.sessions, c.reason}).ok());
  }
  store::User head;
  head.username = "head";
  head.display_name = "Mrs Head";
  head.role = store::Role::kHead;
  head.password_hash = "not-a-hash";
  head.id = *store->AddUser(head);

  // Every pupil, with every session they were on roll for and the code it
  // counts with (the synthetic school leaves most to its default mark).
  std::vector<std::vector<core::PupilSession>> sessions;
  std::vector<store::MarkWrite> writes;
  std::map<std::string, size_t> index_of;
  for (size_t i = 0; i < original.pupils.size(); ++i) {
    const core::PupilRecord& record = original.pupils[i];
    const synth::SynthPupil& meta = synthetic->pupils[i];
    store::Pupil p;
    p.upn = CensusUpn(i);
    p.legal_given_name = meta.given_name;
    p.legal_family_name = meta.family_name;
    p.date_of_birth = D("2012-09-01");
    p.sex = i % 2 ? "M" : "F";
    p.year_group = meta.year_group;
    const std::vector<core::OnRollPeriod> periods =
        record.on_roll.empty() ? std::vector<core::OnRollPeriod>{{}} : record.on_roll;
    for (const core::OnRollPeriod& period : periods) {
      p.enrolments.push_back({period.from.value_or(first_day), period.to, "", ""});
    }
    const int64_t id = *store->AddPupil(p);
    index_of[p.upn] = i;
    sessions.push_back(core::BuildPupilSessions(original.calendar, record, original.marks[i],
                                                original.default_mark, original.as_of));
    for (const core::PupilSession& s : sessions.back()) {
      if (s.code) writes.push_back({id, original.calendar.SessionAt(s.index), *s.code});
    }
  }
  ASSERT_TRUE(store->SaveMarks(writes, {head.id, head.display_name, head.role}, 0).ok());
  Services services(*store, clock);
  ASSERT_TRUE(services.Load().ok());
  const Principal who = PrincipalOf(head);
  const std::vector<core::CensusCodeRow> codes = *io::CensusCodes();

  const std::vector<CensusRequest> censuses = {
      {core::Census::kSpring, 2024}, {core::Census::kSummer, 2024}, {core::Census::kAutumn, 2024},
      {core::Census::kSpring, 2025}, {core::Census::kSummer, 2025}, {core::Census::kAutumn, 2025}};
  for (const CensusRequest& request : censuses) {
    SCOPED_TRACE(CensusTitle(request));
    core::StatusOr<CensusView> v = services.census().Prepare(who, request);
    ASSERT_TRUE(v.ok()) << v.status().message();
    EXPECT_EQ(v->blocking, 0);
    for (size_t part = 0; part < v->parts.size(); ++part) {
      SCOPED_TRACE(v->parts[part].label);
      Sums got;
      for (const core::CensusEnrolment& e : v->enrolments) {
        if (e.part != part) continue;
        ++got.rows;
        got.possible += e.counts.possible;
        got.attended += e.counts.attended;
        got.authorised += e.counts.authorised;
        got.unauthorised += e.counts.unauthorised;
        for (const core::CensusReason& r : e.reasons) got.reasons[r.reason] += r.sessions;
      }
      // The rules core over the whole period, pupil by pupil.
      Sums want;
      for (size_t i = 0; i < original.pupils.size(); ++i) {
        const core::SessionCounts c =
            core::CountSessions(original.calendar, sessions[i], v->parts[part].period);
        want.possible += c.possible;
        want.attended += c.attended;
        want.authorised += c.authorised;
        want.unauthorised += c.unauthorised;
        for (const core::CensusCodeRow& row : codes) {
          const int64_t n = c.by_code[static_cast<size_t>(row.code)];
          if (!row.reason.empty() && n > 0) want.reasons[row.reason] += n;
        }
      }
      EXPECT_GT(want.possible, 0);
      EXPECT_GT(want.authorised + want.unauthorised, 0);
      EXPECT_EQ(got.Tie(), want.Tie());
    }
    // The pupil who left and came back: two enrolments in the autumn term
    // of 2024, one elsewhere.
    int64_t rows = 0;
    for (const core::CensusEnrolment& e : v->enrolments) {
      rows += index_of.at(v->pupils[e.pupil].upn) == rejoined ? 1 : 0;
    }
    const bool autumn_2024 = request.census == core::Census::kSpring && request.year == 2025;
    EXPECT_EQ(rows, autumn_2024 ? 2 : static_cast<int64_t>(v->parts.size()));
  }
}

class CensusTest : public SchoolFixture {};

TEST_F(CensusTest, TheHeadAndTheOfficeMakeTheReturnATeacherMayNot) {
  const CensusRequest spring{core::Census::kSpring, 2027};
  EXPECT_TRUE(services_->census().Prepare(head_, spring).ok());
  EXPECT_TRUE(services_->census().Prepare(office_, spring).ok());
  core::StatusOr<CensusView> refused = services_->census().Prepare(teacher_, spring);
  EXPECT_EQ(refused.status().kind(), core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(services_->census().Prepare(la_, spring).status().kind(),
            core::ErrorKind::kPermissionDenied);
  const CensusView v = *services_->census().Prepare(head_, spring);
  EXPECT_EQ(services_->census().RecordXml(teacher_, v).status().kind(),
            core::ErrorKind::kPermissionDenied);
  EXPECT_TRUE(services_->census().Returns(la_).ok());
  EXPECT_EQ(services_->census().Returns(teacher_).status().kind(),
            core::ErrorKind::kPermissionDenied);
}

TEST_F(CensusTest, ACensusWhoseTermHasNotStartedOrAnOddYearIsRefused) {
  core::StatusOr<CensusView> future =
      services_->census().Prepare(head_, {core::Census::kSpring, 2028});
  EXPECT_EQ(future.status().code(), core::kErrValueInvalid);
  EXPECT_NE(future.status().message().find("has not started"), std::string::npos);
  EXPECT_EQ(services_->census().Prepare(head_, {core::Census::kSpring, 1999}).status().code(),
            core::kErrValueInvalid);
}

TEST_F(CensusTest, APupilWithEverySessionUnmarkedIsNamedButNotReturned) {
  store::Pupil unmarked = NewPupil(core::UpnWithCheckLetter("909123400005"), class_3a_);
  unmarked.legal_given_name = "Nadia";
  unmarked.legal_family_name = "Unmarked";
  ASSERT_TRUE(store_->AddPupil(unmarked).ok());
  ASSERT_TRUE(services_->Load().ok());
  ASSERT_TRUE(Mark(office_, a_, "2026-11-23", "AM", "/").ok());
  ASSERT_TRUE(Mark(office_, b_, "2026-11-23", "AM", "/").ok());
  core::StatusOr<CensusView> v = services_->census().Prepare(head_, {core::Census::kSpring, 2027});
  ASSERT_TRUE(v.ok()) << v.status().message();
  const bool named = std::any_of(v->problems.begin(), v->problems.end(), [](const auto& p) {
    return p.check == core::CensusCheck::kUnrecorded &&
           p.text.rfind("Nadia Unmarked (enrolment from 1 September 2026), autumn term: ", 0) == 0;
  });
  EXPECT_TRUE(named);
  // No possible session: not in the return's figures or file.
  EXPECT_EQ(v->total.pupils, 2);
  EXPECT_EQ(v->total.enrolments, 2);
  for (const core::CensusEnrolment& e : v->enrolments) EXPECT_GT(e.counts.possible, 0);
  EXPECT_EQ(services_->census().Xml(*v).text.find(unmarked.upn), std::string::npos);
}

TEST_F(CensusTest, TheChecksNameThePupilsAndDownloadingRecordsTheReturn) {
  // Outside the module: a boarder, and a pupil 16 on 31 August 2026.
  store::Pupil boarder = NewPupil(core::UpnWithCheckLetter("909123400003"), class_4b_);
  boarder.boarder = true;
  store::Pupil older = NewPupil(core::UpnWithCheckLetter("909123400004"), class_4b_);
  older.date_of_birth = D("2010-08-31");
  ASSERT_TRUE(store_->AddPupil(boarder).ok());
  ASSERT_TRUE(store_->AddPupil(older).ok());
  ASSERT_TRUE(services_->Load().ok());
  ASSERT_TRUE(Mark(office_, a_, "2026-11-23", "AM", "I").ok());
  ASSERT_TRUE(Mark(office_, a_, "2026-11-23", "PM", "O").ok());
  // A pupil with no recorded session has no possible session to return.
  ASSERT_TRUE(Mark(office_, b_, "2026-11-23", "AM", "/").ok());
  const CensusRequest spring{core::Census::kSpring, 2027};
  core::StatusOr<CensusView> v = services_->census().Prepare(head_, spring);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_FALSE(v->term_over);
  EXPECT_EQ(v->as_of, D("2026-11-25"));
  // The fixture's UPNs have the wrong check letters: one problem each.
  EXPECT_EQ(v->blocking, 2);
  int bad_upns = 0;
  for (const CensusProblemLine& p : v->problems) {
    if (p.check != core::CensusCheck::kBadUpn) continue;
    ++bad_upns;
    EXPECT_TRUE(p.blocking);
    EXPECT_EQ(p.text.rfind("Pupil ", 0), 0u) << p.text;  // starts with the pupil's name
    // The term is named mid-sentence, in lower case.
    EXPECT_NE(p.text.find(", autumn term: "), std::string::npos) << p.text;
  }
  EXPECT_EQ(bad_upns, 2);
  ASSERT_EQ(v->year_groups.size(), 1u);
  EXPECT_EQ(v->year_groups[0].year_group, 3);
  EXPECT_EQ(v->year_groups[0].pupils, 2);
  EXPECT_EQ(v->total.authorised, 1);
  EXPECT_EQ(v->total.unauthorised, 1);

  core::StatusOr<CensusFile> xml = services_->census().RecordXml(head_, *v);
  ASSERT_TRUE(xml.ok()) << xml.status().message();
  EXPECT_EQ(xml->name, "census-spring-2027.xml");
  EXPECT_NE(xml->text.find("<AttendanceReason>I</AttendanceReason>"), std::string::npos);
  EXPECT_NE(xml->text.find("<Term>SPR</Term>"), std::string::npos);
  const CensusFile csv = services_->census().Csv(*v);
  EXPECT_EQ(csv.name, "census-spring-2027.csv");

  core::StatusOr<std::vector<store::CensusReturnRecord>> returns =
      services_->census().Returns(head_);
  ASSERT_TRUE(returns.ok());
  ASSERT_EQ(returns->size(), 1u);
  const store::CensusReturnRecord& r = returns->front();
  EXPECT_EQ(r.census, core::Census::kSpring);
  EXPECT_EQ(r.year, 2027);
  EXPECT_EQ(r.by_name, "Mrs Head");
  EXPECT_EQ(r.pupils, 2);
  EXPECT_EQ(r.enrolments, 2);
  EXPECT_EQ(r.authorised, 1);
  EXPECT_EQ(r.unauthorised, 1);
  EXPECT_EQ(r.problems, 2);
  EXPECT_EQ(*store_->CensusReturnXml(r.id), xml->text);

  // Made and recorded apart, as the command does once its file is written:
  // making records nothing; recording is for those who may make the return.
  clock_.Set(D("2026-11-26"), 9 * 60);
  const CensusFile again = services_->census().Xml(*v);
  EXPECT_EQ(services_->census().Returns(head_)->size(), 1u);
  EXPECT_EQ(services_->census().Record(teacher_, *v, again).kind(),
            core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(services_->census().Returns(head_)->size(), 1u);
  ASSERT_TRUE(services_->census().Record(head_, *v, again).ok());
  returns = services_->census().Returns(head_);
  ASSERT_EQ(returns->size(), 2u);
  EXPECT_EQ(*store_->CensusReturnXml(returns->front().id), again.text);

  // A return recorded can be fetched again, as it was sent (the first is
  // now the older one).
  const int64_t first_id = returns->back().id;
  core::StatusOr<CensusFile> fetched = services_->census().RecordedXml(office_, first_id);
  ASSERT_TRUE(fetched.ok()) << fetched.status().message();
  EXPECT_EQ(fetched->name, "census-spring-2027.xml");
  EXPECT_EQ(fetched->text, xml->text);
  EXPECT_EQ(services_->census().RecordedXml(teacher_, first_id).status().kind(),
            core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(services_->census().RecordedXml(head_, first_id + 100).status().kind(),
            core::ErrorKind::kNotFound);
}

}  // namespace
}  // namespace rollcall::service
