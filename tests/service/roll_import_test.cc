// The roll import (service/roll_import.h): pupils admitted, changed and left
// alone by UPN, classes added, contacts replaced; problems against the
// school named by file and line with nothing written; a second import of the
// same files writes nothing; random damage to valid files never crashes nor
// half-writes; and a synthetic school written out as CSV files and imported
// into an empty database evaluates to the same figures as the original.
#include "service/roll_import.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "core/evaluate.h"
#include "core/pupil_sessions.h"
#include "core/upn.h"
#include "io/marks_csv.h"
#include "io/roll_csv.h"
#include "service/marks_import.h"
#include "service/school_fixture.h"
#include "synth/synth.h"

namespace rollcall::service {
namespace {

std::string NewUpn(int serial) {
  return core::UpnWithCheckLetter(fmt::format("90912342{:04d}", serial));
}

io::RollMapping Rollcall() { return *io::RollMappingPreset("rollcall"); }

// Everything an import may change, as text, to tell whether it changed.
std::string StateOf(store::Store& store) {
  std::ostringstream out;
  for (const store::Class& c : *store.ListClasses()) {
    out << "class " << c.id << " " << c.name << " " << c.year_group << "\n";
  }
  for (const store::Pupil& p : *store.ListPupils()) {
    out << "pupil " << p.id << " " << p.upn << " " << p.legal_given_name << " "
        << p.legal_family_name << " " << p.preferred_given_name << " " << p.preferred_family_name
        << " " << p.date_of_birth.ToString() << " " << p.sex << " " << p.year_group << " "
        << p.class_id.value_or(0) << " " << p.boarder << " " << p.previous_school << "\n";
    for (const store::CohortFlag& f : p.flags) {
      out << "  flag " << f.flag << " " << f.from.ToString() << " "
          << (f.to ? f.to->ToString() : "") << "\n";
    }
    for (const store::Enrolment& e : p.enrolments) {
      out << "  on roll " << e.start.ToString() << " " << (e.end ? e.end->ToString() : "") << "\n";
    }
    for (const store::Contact& c : p.contacts) {
      out << "  contact " << c.priority << " " << c.name << " " << c.relationship << " " << c.phone
          << " " << c.parental_responsibility << "\n";
    }
    out << "  changes " << store.AdmissionChangesFor(p.id)->size() << "\n";
  }
  return out.str();
}

class RollImportTest : public SchoolFixture {
 protected:
  // The fixture's pupils a_ and b_, with UPNs whose check letters are right
  // (the files' UPNs are checked).
  RollImportTest() {
    for (int64_t id : {a_, b_}) {
      store::Pupil p = *store_->GetPupil(id);
      p.upn = core::UpnWithCheckLetter(p.upn.substr(1));
      EXPECT_TRUE(store_->UpdatePupil(p).ok());
    }
    EXPECT_TRUE(services_->Load().ok());
  }

  core::StatusOr<RollImportResult> Import(const Principal& who, const std::string& pupils,
                                          const std::string& contacts = "", bool dry_run = false) {
    RollImportRequest r;
    r.pupils = {"pupils.csv", pupils};
    if (!contacts.empty()) r.contacts = RollImportFile{"contacts.csv", contacts};
    r.mapping = Rollcall();
    r.dry_run = dry_run;
    return services_->roll_import().Import(who, r);
  }
  std::optional<store::Pupil> ByUpn(const std::string& upn) {
    for (const store::Pupil& p : *store_->ListPupils()) {
      if (p.upn == upn) return p;
    }
    return std::nullopt;
  }

  const std::string pupils_ =
      "upn,legal_given_name,legal_family_name,date_of_birth,sex,year_group,registration_group,"
      "admission_date,fsm\n"
      "Z909123400001,Pupil,Ahmed,2018-05-01,F,3,3A,2026-09-01,no\n" +
      NewUpn(1) + ",Sam,Khan,2016-03-03,M,5,5C,2026-09-02,yes\n" + NewUpn(2) +
      ",Ann,Lee,2018-01-01,F,3,3A,2026-11-02,no\n";
  const std::string contacts_ = "upn,name,relationship,parental_responsibility,phone,priority\n" +
                                NewUpn(1) +
                                ",Helen Khan,Mother,yes,07700 900001,1\n"
                                "N909123400002,Jo B,Father,yes,07700 900002,\n";
};

TEST_F(RollImportTest, AdmitsChangesAndAddsClassesInOneWrite) {
  core::StatusOr<RollImportResult> r = Import(office_, pupils_, contacts_);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->admitted, 2);
  EXPECT_EQ(r->updated, 2);  // a_'s name, b_'s contacts
  EXPECT_EQ(r->unchanged, 0);
  EXPECT_EQ(r->classes_added, 1);

  const store::Pupil sam = *ByUpn(NewUpn(1));
  EXPECT_EQ(sam.legal_given_name, "Sam");
  EXPECT_EQ(sam.year_group, 5);
  ASSERT_EQ(sam.enrolments.size(), 1u);
  EXPECT_EQ(sam.enrolments[0].start, D("2026-09-02"));
  ASSERT_EQ(sam.flags.size(), 1u);
  EXPECT_EQ(sam.flags[0].flag, "FSM");
  EXPECT_EQ(sam.flags[0].from, D("2026-09-02"));
  ASSERT_EQ(sam.contacts.size(), 1u);
  EXPECT_EQ(sam.contacts[0].name, "Helen Khan");
  EXPECT_TRUE(sam.contacts[0].parental_responsibility);
  std::optional<int64_t> class_5c;
  for (const store::Class& c : *store_->ListClasses()) {
    if (c.name == "5C") class_5c = c.id;
  }
  ASSERT_TRUE(class_5c.has_value());
  EXPECT_EQ(sam.class_id, class_5c);

  const store::Pupil a = *store_->GetPupil(a_);
  EXPECT_EQ(a.legal_family_name, "Ahmed");
  const std::vector<store::AdmissionChange> changes = *store_->AdmissionChangesFor(a_);
  ASSERT_FALSE(changes.empty());
  EXPECT_EQ(changes.back().reason, "Imported from pupils.csv and contacts.csv");
  EXPECT_EQ(changes.back().actor_name, "Ms Office");
  EXPECT_EQ(store_->GetPupil(b_)->contacts.at(0).name, "Jo B");

  // The school was read again: the new pupils are in the snapshot.
  auto lock = services_->school().Read();
  EXPECT_EQ(services_->school().snapshot().pupils.size(), 4u);
}

TEST_F(RollImportTest, TheSameFilesAgainChangeNothing) {
  ASSERT_TRUE(Import(office_, pupils_, contacts_).ok());
  const std::string before = StateOf(*store_);
  const int64_t version = services_->school().version();
  core::StatusOr<RollImportResult> again = Import(head_, pupils_, contacts_);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->admitted, 0);
  EXPECT_EQ(again->updated, 0);
  EXPECT_EQ(again->unchanged, 4);
  EXPECT_EQ(again->classes_added, 0);
  EXPECT_EQ(StateOf(*store_), before);  // no admission change appended either
  EXPECT_EQ(services_->school().version(), version);
}

TEST_F(RollImportTest, ADryRunCountsAndWritesNothing) {
  const std::string before = StateOf(*store_);
  core::StatusOr<RollImportResult> r = Import(office_, pupils_, contacts_, /*dry_run=*/true);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->admitted, 2);
  EXPECT_EQ(r->classes_added, 1);
  EXPECT_EQ(StateOf(*store_), before);
}

TEST_F(RollImportTest, ProblemsAgainstTheSchoolAreNamedAndNothingIsWritten) {
  const std::string before = StateOf(*store_);
  core::StatusOr<RollImportResult> r = Import(
      office_,
      "upn,legal_given_name,legal_family_name,date_of_birth,sex,year_group,registration_group,"
      "admission_date\n" +
          NewUpn(1) + ",Sam,Khan,2016-03-03,M,4,3A,2026-09-02\n" +  // 3A is Year 3
          NewUpn(2) + ",Ann,Lee,2012-01-01,F,8,8X,2026-09-02\n" +   // a primary school
          NewUpn(3) + ",Ann,Lee,2016-01-01,F,5,5C,2026-09-02\n" + NewUpn(4) +
          ",Bob,Lee,2016-01-01,M,6,5C,2026-09-02\n" +           // 5C is Year 5 on line 4
          NewUpn(5) + ",Cal,Lee,2016-01-01,M,5,,2026-09-02\n",  // good
      "upn,name\n" + NewUpn(9) + ",Helen Khan\n" + NewUpn(5) + ",Jo Lee\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), core::kErrCsvInvalid);
  const std::string m = r.status().message();
  for (const char* want : {
           "pupils.csv and contacts.csv: 4 problems, nothing imported",
           "pupils.csv line 2: registration_group: 3A is a Year 3 class, not Year 4",
           "pupils.csv line 3: year_group: Year 8 is not taught in a primary school",
           "pupils.csv line 5: registration_group: 5C is Year 5 on line 4, not Year 6",
           "contacts.csv line 2: upn: no pupil ",
       }) {
    EXPECT_NE(m.find(want), std::string::npos) << want << "\n" << m;
  }
  EXPECT_EQ(StateOf(*store_), before);
}

TEST_F(RollImportTest, OnlyTheOfficeAndTheHeadImport) {
  core::StatusOr<RollImportResult> r = Import(teacher_, pupils_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().kind(), core::ErrorKind::kPermissionDenied);
  EXPECT_FALSE(Import(parent_, pupils_).ok());
  EXPECT_FALSE(Import(la_, pupils_).ok());
}

TEST_F(RollImportTest, AFlagTheFileNoLongerGivesEndsYesterday) {
  ASSERT_TRUE(Import(office_, pupils_).ok());
  clock_.Set(D("2026-12-01"), 10 * 60);
  std::string later = pupils_;
  later.replace(later.find(",yes\n"), 5, ",no\n");
  core::StatusOr<RollImportResult> r = Import(office_, later);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->updated, 1);
  const store::Pupil sam = *ByUpn(NewUpn(1));
  ASSERT_EQ(sam.flags.size(), 1u);
  EXPECT_EQ(sam.flags[0].to, D("2026-11-30"));
}

// Property: take valid files, damage them at random (drop or repeat a
// column, corrupt a byte, swap two cells, cut the file short); the import
// either succeeds or reports problems by line, never crashes, and when it
// reports problems the store is as it was.
TEST_F(RollImportTest, RandomDamageNeverCrashesNorHalfWrites) {
  uint64_t state = 17;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  auto lines_of = [](const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      rows.emplace_back();
      std::istringstream cells(line);
      for (std::string cell; std::getline(cells, cell, ',');) rows.back().push_back(cell);
      if (!line.empty() && line.back() == ',') rows.back().emplace_back();
    }
    return rows;
  };
  auto text_of = [](const std::vector<std::vector<std::string>>& rows) {
    std::string out;
    for (const auto& row : rows) out += fmt::format("{}\n", fmt::join(row, ","));
    return out;
  };
  int failures = 0;
  for (int i = 0; i < 300; ++i) {
    std::string files[2] = {pupils_, contacts_};
    std::string& target = files[next() % 2];
    for (int damage = 1 + static_cast<int>(next() % 3); damage > 0; --damage) {
      std::vector<std::vector<std::string>> rows = lines_of(target);
      const size_t columns = rows.empty() ? 0 : rows[0].size();
      switch (next() % 5) {
        case 0:  // drop a column
          if (columns > 1) {
            const size_t c = next() % columns;
            for (auto& row : rows) {
              if (c < row.size()) row.erase(row.begin() + static_cast<std::ptrdiff_t>(c));
            }
            target = text_of(rows);
          }
          break;
        case 1:  // repeat a column
          if (columns > 0) {
            const size_t c = next() % columns;
            for (auto& row : rows) {
              if (c < row.size()) row.push_back(row[c]);
            }
            target = text_of(rows);
          }
          break;
        case 2:  // corrupt a byte
          if (!target.empty()) target[next() % target.size()] = static_cast<char>(next() % 256);
          break;
        case 3:  // swap two cells of a row
          if (rows.size() > 1 && columns > 1) {
            auto& row = rows[1 + next() % (rows.size() - 1)];
            if (row.size() > 1) std::swap(row[next() % row.size()], row[next() % row.size()]);
            target = text_of(rows);
          }
          break;
        default:  // cut short
          target.resize(next() % (target.size() + 1));
          break;
      }
    }
    const std::string before = StateOf(*store_);
    core::StatusOr<RollImportResult> r = Import(office_, files[0], files[1]);
    if (r.ok()) continue;
    ++failures;
    EXPECT_EQ(r.status().code(), core::kErrCsvInvalid) << r.status().message();
    EXPECT_NE(r.status().message().find(" line "), std::string::npos) << r.status().message();
    EXPECT_EQ(StateOf(*store_), before) << "case " << i;
  }
  EXPECT_GT(failures, 50);  // the damage is mostly caught
}

// A synthetic school (src/synth) written out as our CSV files, imported into
// an empty database with its calendar, evaluates as the original does.
TEST(RollImportRoundTripTest, ASyntheticSchoolImportsToTheSameFigures) {
  synth::SynthOptions options;
  options.pupils = 200;
  options.years = 2;
  options.seed = 20261203;
  core::StatusOr<synth::SynthSchool> synthetic = synth::Synthesize(options);
  ASSERT_TRUE(synthetic.ok()) << synthetic.status().message();
  const core::Scenario& original = synthetic->scenario;

  std::unique_ptr<store::Store> store = store::NewMemoryStore();
  FakeClock clock(original.as_of.AddDays(1), 12 * 60);
  ASSERT_TRUE(store->SetSchool({"Round Trip School", "123456", "909", "all-through"}).ok());
  store::Settings settings;
  settings.set_by = "test";
  ASSERT_TRUE(store->SaveSettings(settings).ok());
  const std::vector<core::Term>& terms = original.calendar.terms();
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
  Services services(*store, clock);
  ASSERT_TRUE(services.Load().ok());

  // The roll, in our own headings.
  const core::Date first_day = terms.front().start;
  const int as_of_year = original.as_of.AcademicYearStart().year();
  std::string pupils =
      "upn,legal_given_name,legal_family_name,date_of_birth,sex,year_group,registration_group,"
      "admission_date,leaving_date,fsm,sen,cla,sw,yc\n";
  std::string marks = "school,upn,date,session,code\n";
  std::map<std::string, size_t> index_of;
  auto yes = [](bool b) { return b ? "yes" : "no"; };
  for (size_t i = 0; i < original.pupils.size(); ++i) {
    const synth::SynthPupil& meta = synthetic->pupils[i];
    const core::PupilRecord& record = original.pupils[i];
    const std::string upn = NewUpn(static_cast<int>(i));
    index_of[upn] = i;
    const core::Date born = core::Date::FromYmd(as_of_year - 5 - meta.year_group, 9, 1)
                                ->AddDays(static_cast<int32_t>(i % 360));
    ASSERT_LE(record.on_roll.size(), 1u);
    const core::OnRollPeriod period =
        record.on_roll.empty() ? core::OnRollPeriod{} : record.on_roll.front();
    pupils += fmt::format("{},\"{}\",\"{}\",{},{},{},{},{},{},{},{},{},{},{}\n", upn,
                          meta.given_name, meta.family_name, born.ToString(), i % 2 ? "M" : "F",
                          meta.year_group, meta.form, period.from.value_or(first_day).ToString(),
                          period.to ? period.to->ToString() : "", yes(meta.flags.free_school_meals),
                          meta.flags.ehc_plan ? "E" : (meta.flags.sen_support ? "K" : "N"),
                          yes(meta.flags.looked_after), yes(meta.flags.social_worker),
                          yes(meta.flags.young_carer));
    // Every session the pupil was on roll for, with the code it counts
    // with (the synthetic school leaves most to its default mark).
    for (const core::PupilSession& s : core::BuildPupilSessions(
             original.calendar, record, original.marks[i], original.default_mark, original.as_of)) {
      if (!s.code) continue;
      const core::SessionKey slot = original.calendar.SessionAt(s.index);
      marks += fmt::format("123456,{},{},{},{}\n", upn, slot.date.ToString(),
                           core::SessionName(slot.session), core::SymbolOf(*s.code));
    }
  }
  core::StatusOr<io::RollMapping> mapping = io::RollMappingPreset("rollcall");
  ASSERT_TRUE(mapping.ok());
  const Principal who = PrincipalOf(head);
  core::StatusOr<RollImportResult> roll =
      services.roll_import().Import(who, {{"pupils.csv", pupils}, std::nullopt, *mapping, false});
  ASSERT_TRUE(roll.ok()) << roll.status().message();
  EXPECT_EQ(roll->admitted, options.pupils);
  core::StatusOr<std::vector<io::MarkRow>> rows = io::ParseMarksCsv(marks);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  core::StatusOr<ImportResult> imported =
      ImportMarks(*store, *rows, {who.user_id, who.name, who.role}, clock, "marks.csv");
  ASSERT_TRUE(imported.ok()) << imported.status().message();
  ASSERT_TRUE(services.Load().ok());

  const core::Evaluation want = core::Evaluate(original);
  const Evaluated got = services.school().EvaluatedOn(original.as_of);
  auto counts = [](const core::SessionCounts& c) {
    return std::make_tuple(c.possible, c.present, c.late_before_close, c.late_after_close,
                           c.approved_activity, c.attended, c.authorised, c.unauthorised, c.absence,
                           c.not_possible, c.unrecorded, c.by_code);
  };
  std::vector<std::string> upns;
  {
    auto lock = services.school().Read();
    for (const store::Pupil& p : services.school().snapshot().pupils) upns.push_back(p.upn);
  }
  ASSERT_EQ(got.evaluation->pupils.size(), want.pupils.size());
  for (size_t k = 0; k < upns.size(); ++k) {
    const size_t i = index_of.at(upns[k]);
    const core::PupilEvaluation& a = got.evaluation->pupils[k];
    const core::PupilEvaluation& b = want.pupils[i];
    EXPECT_EQ(counts(a.counts), counts(b.counts)) << original.pupils[i].id;
    EXPECT_EQ(a.persistent_absence, b.persistent_absence) << original.pupils[i].id;
    EXPECT_EQ(a.severe_absence, b.severe_absence) << original.pupils[i].id;
  }
  EXPECT_EQ(counts(got.evaluation->school.counts), counts(want.school.counts));
  ASSERT_EQ(got.evaluation->cohorts.size(), want.cohorts.size());
  for (const auto& [tag, aggregate] : want.cohorts) {
    ASSERT_TRUE(got.evaluation->cohorts.contains(tag)) << tag;
    const core::Aggregate& mine = got.evaluation->cohorts.at(tag);
    EXPECT_EQ(mine.pupils, aggregate.pupils) << tag;
    EXPECT_EQ(mine.persistent_absence, aggregate.persistent_absence) << tag;
    EXPECT_EQ(counts(mine.counts), counts(aggregate.counts)) << tag;
  }
}

}  // namespace
}  // namespace rollcall::service
