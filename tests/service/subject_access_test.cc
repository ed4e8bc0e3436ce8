// subject_access_test.cc: the access log (who read a pupil's records, kept
// for staff and not for parents, read per pupil and per user by the head
// alone) and subject access copies (each kind of record held, the figures
// the pupil's page shows, a contact's copy holding only their own family's
// data, and each copy made logged).
#include "service/subject_access.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "core/error_codes.h"
#include "service/school_fixture.h"

namespace rollcall::service {
namespace {

using nlohmann::json;

// `decl = *expr`, failing the test (and returning) when expr is an error.
#define SAR_CONCAT_(a, b) a##b
#define SAR_CONCAT(a, b) SAR_CONCAT_(a, b)
#define SAR_ASSERT_OK_AND_ASSIGN(decl, expr)               \
  auto SAR_CONCAT(result_, __LINE__) = (expr);             \
  ASSERT_TRUE(SAR_CONCAT(result_, __LINE__).ok())          \
      << SAR_CONCAT(result_, __LINE__).status().message(); \
  decl = std::move(SAR_CONCAT(result_, __LINE__)).value()

class SubjectAccessTest : public SchoolFixture {
 protected:
  SubjectAccessTest() {
    // a_'s mother (with an account: parent_) and b_'s father, another family.
    store::Pupil a = *store_->GetPupil(a_);
    store::Contact mother;
    mother.priority = 1;
    mother.name = "Mrs A Parent";
    mother.relationship = "Mother";
    mother.email = "mother@example.org";
    mother.phone = "07700 900001";
    mother.parental_responsibility = true;
    mother.user_id = parent_.user_id;
    a.contacts = {mother};
    EXPECT_TRUE(store_->UpdatePupil(a).ok());
    store::Pupil b = *store_->GetPupil(b_);
    store::Contact father;
    father.priority = 1;
    father.name = "Mr B Other";
    father.relationship = "Father";
    father.email = "father@example.org";
    father.parental_responsibility = true;
    b.contacts = {father};
    EXPECT_TRUE(store_->UpdatePupil(b).ok());
    EXPECT_TRUE(services_->Load().ok());
  }

  // An email queued to `to` about `pupil`, with a request for evidence.
  void QueueEmail(int64_t pupil, const std::string& to, const std::string& key) {
    store::EvidenceRequest r;
    r.pupil_id = pupil;
    r.rule = store::kRuleLongIllness;
    r.from_date = D("2026-11-02");
    r.to_date = D("2026-11-06");
    r.raised_at = clock_.NowSeconds();
    r.outbox_key = key;
    store::OutboxMessage m;
    m.channel = "email";
    m.idempotency_key = key + "/0";
    m.event_kind = "evidence_request";
    m.destination = to;
    m.payload = R"({"body":"Please send a note for )" + key + R"("})";
    m.pupil_id = pupil;
    m.created_at = clock_.NowSeconds();
    m.next_attempt_at = clock_.NowSeconds();
    ASSERT_TRUE(store_->AddEvidenceRequest(r, {m}).ok());
  }

  AccessLog& log() { return services_->access_log(); }
  SubjectAccess& sar() { return services_->subject_access(); }
};

const SarSection* SarFind(const SubjectAccessCopy& copy, const std::string& key) {
  for (const SarSection& s : copy.sections) {
    if (s.key == key) return &s;
  }
  return nullptr;
}

// The cell of `row` under column `key`.
std::string SarCell(const SarSection& s, size_t row, const std::string& key) {
  for (size_t i = 0; i < s.columns.size(); ++i) {
    if (s.columns[i].key == key) return s.rows.at(row).at(i);
  }
  ADD_FAILURE() << "no column " << key << " in " << s.key;
  return "";
}

TEST_F(SubjectAccessTest, StaffReadsAreLoggedAndParentsReadsOfTheirOwnChildAreNot) {
  ASSERT_TRUE(log().Record(office_, store::kAccessPupilPage, a_, "/pupils/1").ok());
  clock_.AdvanceSeconds(60);
  ASSERT_TRUE(log().Record(teacher_, store::kAccessCasework, a_, "penalty case 3").ok());
  ASSERT_TRUE(log().Record(office_, store::kAccessEvidence, b_, "evidence 2 (note.pdf)").ok());
  ASSERT_TRUE(log().Record(parent_, store::kAccessPupilPage, a_, "/pupils/1").ok());

  SAR_ASSERT_OK_AND_ASSIGN(AccessLog::Page by_pupil, log().ForPupil(head_, a_, 1));
  ASSERT_EQ(by_pupil.total, 2);
  ASSERT_EQ(by_pupil.entries.size(), 2u);
  EXPECT_EQ(by_pupil.entries[0].user_name, "Mr Teacher");  // newest first
  EXPECT_EQ(by_pupil.entries[0].kind, store::kAccessCasework);
  EXPECT_EQ(by_pupil.entries[0].detail, "penalty case 3");
  EXPECT_EQ(by_pupil.entries[1].user_id, office_.user_id);
  EXPECT_EQ(by_pupil.entries[1].role, store::Role::kOffice);
  EXPECT_EQ(by_pupil.entries[1].at, clock_.NowSeconds() - 60);

  SAR_ASSERT_OK_AND_ASSIGN(AccessLog::Page by_user, log().ForUser(head_, office_.user_id, 1));
  ASSERT_EQ(by_user.total, 2);
  EXPECT_EQ(by_user.entries[0].pupil_id, b_);
  EXPECT_EQ(by_user.entries[1].pupil_id, a_);
  EXPECT_EQ(by_user.pupil_names.at(b_), DisplayName(*store_->GetPupil(b_)));
  SAR_ASSERT_OK_AND_ASSIGN(AccessLog::Page parent_reads, log().ForUser(head_, parent_.user_id, 1));
  EXPECT_EQ(parent_reads.total, 0);
}

TEST_F(SubjectAccessTest, TheLogIsPagedNewestFirst) {
  for (int i = 0; i < kAccessLogPageSize + 3; ++i) {
    ASSERT_TRUE(log().Record(office_, store::kAccessPupilPage, a_, std::to_string(i)).ok());
  }
  SAR_ASSERT_OK_AND_ASSIGN(AccessLog::Page first, log().ForPupil(head_, a_, 1));
  EXPECT_EQ(first.pages, 2);
  EXPECT_EQ(first.entries.front().detail, std::to_string(kAccessLogPageSize + 2));
  SAR_ASSERT_OK_AND_ASSIGN(AccessLog::Page second, log().ForPupil(head_, a_, 2));
  ASSERT_EQ(second.entries.size(), 3u);
  EXPECT_EQ(second.entries.back().detail, "0");
  SAR_ASSERT_OK_AND_ASSIGN(AccessLog::Page beyond, log().ForPupil(head_, a_, 99));
  EXPECT_EQ(beyond.page, 2);
}

TEST_F(SubjectAccessTest, OnlyTheHeadReadsTheLogOrMakesACopy) {
  for (const Principal* who : {&office_, &teacher_, &parent_, &la_}) {
    EXPECT_EQ(log().ForPupil(*who, a_, 1).status().code(), core::kErrForbidden) << who->name;
    EXPECT_EQ(log().ForUser(*who, office_.user_id, 1).status().code(), core::kErrForbidden);
    EXPECT_EQ(sar().ForPupil(*who, a_, "json").status().code(), core::kErrForbidden);
    EXPECT_EQ(sar().ForContact(*who, {a_, 1}, "json").status().code(), core::kErrForbidden);
  }
  EXPECT_EQ(log().ForPupil(head_, 9999, 1).status().code(), core::kErrPupilUnknown);
  EXPECT_EQ(log().ForUser(head_, 9999, 1).status().code(), core::kErrUserUnknown);
  EXPECT_EQ(log().Record(office_, store::kAccessPupilPage, 9999, "").code(),
            core::kErrPupilUnknown);
  EXPECT_EQ(sar().ForPupil(head_, 9999, "json").status().code(), core::kErrPupilUnknown);
  EXPECT_EQ(sar().ForContact(head_, {a_, 2}, "json").status().code(), core::kErrContactUnknown);
}

TEST_F(SubjectAccessTest, ContactsAreNamedAsPupilAndPlace) {
  SAR_ASSERT_OK_AND_ASSIGN(ContactRef ref, ParseContactRef("12:3"));
  EXPECT_EQ(ref.pupil_id, 12);
  EXPECT_EQ(ref.position, 3);
  for (const char* bad : {"", "12", "12:", ":1", "x:1", "12:0", "-1:1", "12:1:1", "12:1x"}) {
    EXPECT_EQ(ParseContactRef(bad).status().code(), core::kErrValueInvalid) << bad;
  }
}

TEST_F(SubjectAccessTest, APupilsCopyHoldsEveryKindOfRecordAndThePagesFigures) {
  ASSERT_TRUE(Mark(office_, a_, "2026-11-23", "AM", "/").ok());
  ASSERT_TRUE(Mark(office_, a_, "2026-11-23", "AM", "I", "Mother rang: ill").ok());
  ASSERT_TRUE(Mark(office_, a_, "2026-11-23", "PM", "O").ok());
  store::ContactLogEntry call;
  call.pupil_id = a_;
  call.at = clock_.NowSeconds();
  call.contact_name = "Mrs A Parent (Mother)";
  call.note = "Spoke about the cough";
  call.by_user_id = office_.user_id;
  call.by_name = office_.name;
  ASSERT_TRUE(store_->AddContactLogEntry(call).ok());
  store::AbsenceReport report;
  report.pupil_id = a_;
  report.from = report.to = D("2026-11-24");
  report.reason = "Dentist";
  report.reported_at = clock_.NowSeconds();
  report.reported_by = parent_.user_id;
  report.reported_by_name = parent_.name;
  ASSERT_TRUE(store_->AddAbsenceReport(report).ok());
  store::StageRecord stage;
  stage.pupil_id = a_;
  stage.stage = core::SupportStage::kMonitor;
  stage.at = clock_.NowSeconds();
  stage.reason = "Attendance slipping";
  stage.by_name = "Mrs Head";
  ASSERT_TRUE(store_->AddStageRecord(stage).ok());
  QueueEmail(a_, "mother@example.org", "ev-a");
  ASSERT_TRUE(log().Record(teacher_, store::kAccessPupilPage, a_, "/pupils/1").ok());
  ASSERT_TRUE(services_->Load().ok());

  SAR_ASSERT_OK_AND_ASSIGN(SubjectAccessCopy copy, sar().ForPupil(head_, a_, "json"));
  EXPECT_EQ(copy.subject_kind, "pupil");
  EXPECT_EQ(copy.school, "Test Primary");
  for (const char* key : {"admission_entry",
                          "contacts",
                          "admission_changes",
                          "figures",
                          "marks",
                          "amendments",
                          "previous_schools",
                          "absence_reports",
                          "support",
                          "cme",
                          "penalties",
                          "leave",
                          "part_time",
                          "contact_log",
                          "letters",
                          "messages",
                          "evidence",
                          "evidence_requests",
                          "conditions",
                          "access_log"}) {
    EXPECT_NE(SarFind(copy, key), nullptr) << key;
  }
  const SarSection& marks = *SarFind(copy, "marks");
  ASSERT_EQ(marks.rows.size(), 2u);
  EXPECT_EQ(SarCell(marks, 0, "code"), "I");
  const SarSection& amendments = *SarFind(copy, "amendments");
  ASSERT_EQ(amendments.rows.size(), 3u);
  EXPECT_EQ(SarCell(amendments, 1, "old_code"), "/");
  EXPECT_EQ(SarCell(amendments, 1, "reason"), "Mother rang: ill");
  EXPECT_EQ(SarCell(amendments, 1, "by"), "Ms Office");
  EXPECT_EQ(SarCell(*SarFind(copy, "contact_log"), 0, "note"), "Spoke about the cough");
  EXPECT_EQ(SarCell(*SarFind(copy, "absence_reports"), 0, "reason"), "Dentist");
  EXPECT_EQ(SarCell(*SarFind(copy, "support"), 0, "detail"), "Attendance slipping");
  EXPECT_EQ(SarCell(*SarFind(copy, "messages"), 0, "to"), "mother@example.org");
  EXPECT_EQ(SarCell(*SarFind(copy, "evidence_requests"), 0, "rule"), "long_illness");
  EXPECT_EQ(SarCell(*SarFind(copy, "contacts"), 0, "email"), "mother@example.org");

  // The figures are the pupil page's, from the same overview.
  SAR_ASSERT_OK_AND_ASSIGN(PupilOverview page,
                           services_->pupils().Overview(head_, a_, clock_.Today()));
  const SarSection& figures = *SarFind(copy, "figures");
  const std::optional<double> pct =
      core::Percent(page.result.counts.attended, page.result.counts.possible);
  ASSERT_TRUE(pct.has_value());
  EXPECT_EQ(SarCell(figures, 1, "figure"), "attendance");
  EXPECT_EQ(SarCell(figures, 1, "value"), fmt::format("{:.1f}%", *pct));
  EXPECT_EQ(SarCell(figures, 2, "value"), std::to_string(page.result.counts.possible));

  // The copy is logged before it is made, so it lists itself.
  const SarSection& reads = *SarFind(copy, "access_log");
  ASSERT_EQ(reads.rows.size(), 2u);
  EXPECT_EQ(SarCell(reads, 0, "kind"), "subject access");
  EXPECT_EQ(SarCell(reads, 0, "user"), "Mrs Head");
  EXPECT_EQ(SarCell(reads, 1, "user"), "Mr Teacher");

  // Both renderings come from the one structure.
  const json j = json::parse(SubjectAccessJson(copy));
  EXPECT_EQ(j["subject"]["kind"], "pupil");
  EXPECT_EQ(j["subject"]["pupil_id"], a_);
  EXPECT_EQ(j["sections"]["amendments"][1]["reason"], "Mother rang: ill");
  EXPECT_EQ(j["sections"]["figures"][1]["value"], fmt::format("{:.1f}%", *pct));
  SAR_ASSERT_OK_AND_ASSIGN(std::string pdf, SubjectAccessPdf(copy));
  EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
}

TEST_F(SubjectAccessTest, AContactsCopyHoldsOnlyTheirOwnFamilysData) {
  QueueEmail(a_, "mother@example.org", "ev-a");
  QueueEmail(b_, "father@example.org", "ev-b");
  store::AbsenceReport report;
  report.pupil_id = a_;
  report.from = report.to = D("2026-11-24");
  report.reason = "Dentist";
  report.reported_at = clock_.NowSeconds();
  report.reported_by = parent_.user_id;
  report.reported_by_name = parent_.name;
  ASSERT_TRUE(store_->AddAbsenceReport(report).ok());
  ASSERT_TRUE(services_->Load().ok());

  SAR_ASSERT_OK_AND_ASSIGN(SubjectAccessCopy copy, sar().ForContact(head_, {a_, 1}, "pdf"));
  EXPECT_EQ(copy.subject_kind, "contact");
  EXPECT_EQ(copy.subject_name, "Mrs A Parent");
  EXPECT_EQ(copy.contact, fmt::format("{}:1", a_));
  const SarSection& pupils = *SarFind(copy, "pupils");
  ASSERT_EQ(pupils.rows.size(), 1u);
  EXPECT_EQ(SarCell(pupils, 0, "pupil_id"), std::to_string(a_));
  const SarSection& messages = *SarFind(copy, "messages");
  ASSERT_EQ(messages.rows.size(), 1u);
  EXPECT_EQ(SarCell(messages, 0, "to"), "mother@example.org");
  EXPECT_EQ(SarCell(*SarFind(copy, "absence_reports"), 0, "reason"), "Dentist");
  EXPECT_EQ(SarCell(*SarFind(copy, "account"), 0, "value"), "parent");
  const std::string text = SubjectAccessJson(copy);
  EXPECT_EQ(text.find("father@example.org"), std::string::npos);
  EXPECT_EQ(text.find("Mr B Other"), std::string::npos);

  // The other family's copy has none of the first's.
  SAR_ASSERT_OK_AND_ASSIGN(SubjectAccessCopy other, sar().ForContact(head_, {b_, 1}, "json"));
  const std::string other_text = SubjectAccessJson(other);
  EXPECT_EQ(other_text.find("mother@example.org"), std::string::npos);
  EXPECT_EQ(SarFind(other, "account")->rows.size(), 0u);  // no account

  // Each copy is in the access log under its pupil.
  SAR_ASSERT_OK_AND_ASSIGN(AccessLog::Page logged, log().ForUser(head_, head_.user_id, 1));
  ASSERT_EQ(logged.total, 2);
  EXPECT_EQ(logged.entries[0].pupil_id, b_);
  EXPECT_EQ(logged.entries[1].kind, store::kAccessSubjectAccess);
  EXPECT_NE(logged.entries[1].detail.find("Mrs A Parent"), std::string::npos);
}

}  // namespace
}  // namespace rollcall::service
