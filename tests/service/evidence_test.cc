// evidence_test.cc: medical evidence: what an upload must be (checked from
// its bytes), who may send and see it, the rules that ask families for it,
// a known condition pausing them, and the confirmation needed to turn an
// illness into unauthorised absence when no evidence was asked for.
#include "service/evidence.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "core/error_codes.h"
#include "service/outgoing.h"
#include "service/school_fixture.h"

namespace rollcall::service {
namespace {

// Tiny but real files: libmagic reads each as its type.
const std::string kPdf =
    "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
// Its SHA-256, worked out apart from rollcall.
constexpr char kPdfSha256[] = "68d3dbe223d4659eb030429ecc280a437eb6e9b042a59797cbbd9e16f56c1d56";
const std::string kPng(
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x01\x00\x00"
    "\x00\x01\x08\x00\x00\x00\x00\x3a\x7e\x9b\x55\x00\x00\x00\x0a\x49\x44\x41\x54\x78\x9c\x63"
    "\x60\x00\x00\x00\x02\x00\x01\x48\xaf\xa4\x71\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60"
    "\x82",
    67);
const std::string kJpeg(
    "\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9", 22);

// A Word document (.docx): a zip whose entries are a Word package's.
std::string WordDocument() {
  auto entry = [](const std::string& name, const std::string& data) {
    std::string out("PK\x03\x04", 4);
    auto le = [&](uint32_t v, int bytes) {
      for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    };
    le(20, 2);  // version needed
    le(0, 2);   // flags
    le(0, 2);   // stored
    le(0, 4);   // time and date
    le(0, 4);   // CRC (not read by the type check)
    le(static_cast<uint32_t>(data.size()), 4);
    le(static_cast<uint32_t>(data.size()), 4);
    le(static_cast<uint32_t>(name.size()), 2);
    le(0, 2);
    return out + name + data;
  };
  return entry("[Content_Types].xml", "<x/>") + entry("_rels/.rels", "<x/>") +
         entry("word/document.xml", "<x/>");
}

class EvidenceTest : public SchoolFixture {
 protected:
  EvidenceTest() {
    // a_'s mother, with parental responsibility, reached by email.
    store::Pupil p = *store_->GetPupil(a_);
    store::Contact mother;
    mother.priority = 1;
    mother.name = "Mrs A Parent";
    mother.relationship = "Mother";
    mother.email = "mother@example.org";
    mother.parental_responsibility = true;
    p.contacts = {mother};
    EXPECT_TRUE(store_->UpdatePupil(p).ok());
    store::MessageSettings ms = *store_->GetMessageSettings();
    ms.public_url = "https://school.example";
    ms.set_by = "test";
    EXPECT_TRUE(store_->SaveMessageSettings(ms).ok());
    EXPECT_TRUE(services_->Load().ok());
  }

  MedicalEvidence& evidence() { return services_->evidence(); }

  // Both sessions of `date` marked I for `pupil`.
  void Ill(int64_t pupil, const char* date) {
    ASSERT_TRUE(Mark(office_, pupil, date, "AM", "I").ok()) << date;
    ASSERT_TRUE(Mark(office_, pupil, date, "PM", "I").ok()) << date;
  }

  core::StatusOr<MedicalEvidence::UploadResult> Upload(const Principal& who, int64_t pupil,
                                                       const std::string& name,
                                                       const std::string& bytes,
                                                       const char* from = "2026-11-23",
                                                       const char* to = "2026-11-23") {
    return evidence().Upload(who, pupil, D(from), D(to), name, bytes, "");
  }

  std::vector<store::OutboxMessage> Messages() { return *store_->ListOutbox(std::nullopt, 100); }
};

void ExpectRefused(const core::StatusOr<MedicalEvidence::UploadResult>& r, const char* code,
                   const std::string& words) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), code);
  EXPECT_NE(r.status().message().find(words), std::string::npos) << r.status().message();
}

TEST(IllnessEpisodesTest, WeekendsBridgeAnEpisodeAndHolidaysAreItsNeighbours) {
  // Autumn term with a half-term week (26-30 October) and a closure on
  // Friday 13 November.
  const core::Calendar calendar(
      {{D("2026-09-02"), D("2026-10-23")}, {D("2026-11-02"), D("2026-12-18")}},
      {{D("2026-11-13"), core::ClosureSessions::kBoth, "Training"}});
  auto ill = [](const char* date, core::Session session) {
    return core::RecordedMark{{D(date), session}, core::AttendanceCode::kIllness};
  };
  const std::vector<core::RecordedMark> marks = {
      ill("2026-10-22", core::Session::kPm),  // Thu, Fri before half-term
      ill("2026-10-23", core::Session::kAm),
      ill("2026-11-02", core::Session::kAm),  // Mon after half-term
      {{D("2026-11-03"), core::Session::kAm}, core::AttendanceCode::kPresentAm},
      ill("2026-11-06", core::Session::kAm),  // Fri, over the weekend, Mon
      ill("2026-11-09", core::Session::kPm),
      ill("2026-11-12", core::Session::kAm),  // Thu before the closed Friday
  };
  const std::vector<IllnessEpisode> episodes =
      IllnessEpisodes(calendar, marks, D("2026-09-02"), D("2026-11-20"));
  ASSERT_EQ(episodes.size(), 4u);
  EXPECT_EQ(episodes[0].from, D("2026-10-22"));
  EXPECT_EQ(episodes[0].to, D("2026-10-23"));
  EXPECT_EQ(episodes[0].school_days, 2);
  EXPECT_FALSE(episodes[0].after_holiday);
  EXPECT_TRUE(episodes[0].before_holiday);
  EXPECT_EQ(episodes[1].from, D("2026-11-02"));
  EXPECT_TRUE(episodes[1].after_holiday);
  EXPECT_FALSE(episodes[1].before_holiday);
  EXPECT_EQ(episodes[2].from, D("2026-11-06"));
  EXPECT_EQ(episodes[2].to, D("2026-11-09"));
  EXPECT_EQ(episodes[2].school_days, 2);
  EXPECT_FALSE(episodes[2].after_holiday || episodes[2].before_holiday);
  EXPECT_EQ(episodes[3].from, D("2026-11-12"));
  EXPECT_TRUE(episodes[3].before_holiday);
  EXPECT_EQ(episodes[3].number_in_term, 4);
}

TEST_F(EvidenceTest, EmptyOversizedWrongTypeAndMisleadingNamesAreRefused) {
  Ill(a_, "2026-11-23");
  ExpectRefused(Upload(office_, a_, "note.pdf", ""), core::kErrValueInvalid, "the file is empty");
  std::string big = kPng + std::string(12 * 1024 * 1024 + 300 * 1024, 'x');
  ExpectRefused(Upload(office_, a_, "big.png", big), core::kErrBodyTooLarge,
                "the file is 12.3 MB; the limit is 10 MB");
  ExpectRefused(Upload(office_, a_, "note.docx", WordDocument()), core::kErrEvidenceInvalid,
                "A Word document is not accepted: send a PDF, JPEG or PNG");
  ExpectRefused(Upload(office_, a_, "page.html", "<html><body>hello</body></html>"),
                core::kErrEvidenceInvalid, "A web page is not accepted");
  ExpectRefused(Upload(office_, a_, "scan.pdf", kPng), core::kErrEvidenceInvalid,
                "is a PNG image, not a PDF");
  ExpectRefused(Upload(office_, a_, "x.pdf.exe", kPdf), core::kErrEvidenceInvalid,
                "its name ends in .exe");
  ExpectRefused(Upload(office_, a_, "photo.JPG", kPng), core::kErrEvidenceInvalid,
                "not a JPEG image");
  ExpectRefused(Upload(office_, a_, "a.pdf", kPdf, "2026-11-23", "2026-11-20"),
                core::kErrEvidenceInvalid, "before the first");
  ExpectRefused(Upload(office_, a_, "a.pdf", kPdf, "2026-11-26", "2026-11-26"),
                core::kErrEvidenceInvalid, "in the future");
  EXPECT_TRUE(evidence().List(office_, a_)->empty());
}

TEST_F(EvidenceTest, RealPdfPngAndJpegAreStoredWithTheirHash) {
  Ill(a_, "2026-11-23");
  auto pdf = Upload(office_, a_, "C:\\Users\\me\\Doctor's note.PDF", kPdf);
  ASSERT_TRUE(pdf.ok()) << pdf.status().message();
  EXPECT_EQ(pdf->warning, "");
  ASSERT_TRUE(Upload(parent_, a_, "card.png", kPng).ok());
  ASSERT_TRUE(Upload(parent_, a_, "label.jpeg", kJpeg).ok());
  ASSERT_TRUE(Upload(parent_, a_, "no extension", kJpeg).ok());
  auto list = evidence().List(office_, a_);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 4u);
  const store::MedicalEvidence& first = list->back();  // newest first
  EXPECT_EQ(first.filename, "Doctor's note.PDF");
  EXPECT_EQ(first.content_type, "application/pdf");
  EXPECT_EQ(first.size_bytes, static_cast<int64_t>(kPdf.size()));
  EXPECT_EQ(first.sha256, kPdfSha256);
  EXPECT_EQ(first.uploaded_by_name, "Ms Office");
  EXPECT_EQ(first.role, "office");
  EXPECT_EQ((*list)[2].content_type, "image/png");
  EXPECT_EQ((*list)[1].content_type, "image/jpeg");
  EXPECT_EQ((*list)[1].uploaded_by_name, "Mrs A Parent");
  auto got = evidence().Get(office_, pdf->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->bytes, kPdf);
  EXPECT_EQ(evidence().Get(office_, (*list)[2].id)->bytes, kPng);  // binary, NULs and all
}

TEST_F(EvidenceTest, DaysWithoutIllnessAreKeptWithAWarning) {
  auto r = Upload(parent_, a_, "note.pdf", kPdf, "2026-11-10", "2026-11-11");
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r->warning.find("recorded as illness (I)"), std::string::npos) << r->warning;
}

TEST_F(EvidenceTest, ParentsOnlyForTheirOwnChild) {
  Ill(a_, "2026-11-23");
  Ill(b_, "2026-11-23");
  EXPECT_TRUE(Upload(parent_, a_, "card.png", kPng).ok());
  auto other = Upload(parent_, b_, "card.png", kPng);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().kind(), core::ErrorKind::kPermissionDenied);
  EXPECT_FALSE(Upload(teacher_, a_, "card.png", kPng).ok());
  EXPECT_FALSE(Upload(la_, a_, "card.png", kPng).ok());
  auto b_file = Upload(office_, b_, "card.png", kPng);
  ASSERT_TRUE(b_file.ok());
  EXPECT_EQ(evidence().List(parent_, a_)->size(), 1u);
  EXPECT_EQ(evidence().List(parent_, b_).status().kind(), core::ErrorKind::kPermissionDenied);
  EXPECT_EQ(evidence().List(teacher_, a_).status().kind(), core::ErrorKind::kPermissionDenied);
  // Another child's file reads as missing, not as forbidden.
  EXPECT_EQ(evidence().Get(parent_, b_file->id).status().code(), core::kErrEvidenceUnknown);
  EXPECT_TRUE(evidence().Get(head_, b_file->id).ok());
}

TEST_F(EvidenceTest, ALongIllnessRaisesOneRequestAndOneMessageOnce) {
  for (const char* d : {"2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"}) {
    Ill(a_, d);
  }
  ASSERT_TRUE(Mark(office_, a_, "2026-11-23", "AM", "/").ok());
  auto raised = evidence().RaiseRequests();
  ASSERT_TRUE(raised.ok()) << raised.status().message();
  EXPECT_EQ(*raised, 1);
  auto requests = *store_->EvidenceRequestsFor(a_);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].rule, "long_illness");
  EXPECT_EQ(requests[0].from_date, D("2026-11-16"));
  EXPECT_EQ(requests[0].to_date, D("2026-11-20"));
  auto messages = Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].channel, "email");
  EXPECT_EQ(messages[0].event_kind, "evidence_request");
  EXPECT_EQ(messages[0].pupil_id, a_);
  std::string error;
  std::optional<Outgoing> m = FromOutbox(messages[0], &error);
  ASSERT_TRUE(m.has_value()) << error;
  EXPECT_EQ(m->to, "mother@example.org");
  EXPECT_NE(m->body.find("an illness of 5 school days or more"), std::string::npos) << m->body;
  EXPECT_NE(m->body.find("https://school.example/parent"), std::string::npos) << m->body;
  EXPECT_NE(m->body.find("16 November 2026"), std::string::npos) << m->body;
  // Asked once.
  EXPECT_EQ(*evidence().RaiseRequests(), 0);
  EXPECT_EQ(Messages().size(), 1u);
  // Evidence for the days answers the request.
  ASSERT_TRUE(Upload(parent_, a_, "note.pdf", kPdf, "2026-11-18", "2026-11-19").ok());
  EXPECT_TRUE(store_->ListEvidenceRequests(true)->empty());
  EXPECT_TRUE(store_->EvidenceRequestsFor(a_)->front().resolved_at.has_value());
}

TEST_F(EvidenceTest, TheThirdIllnessOfATermRaisesOneRequest) {
  for (const char* d : {"2026-11-02", "2026-11-09"}) Ill(a_, d);
  EXPECT_EQ(*evidence().RaiseRequests(), 0);
  Ill(a_, "2026-11-16");
  EXPECT_EQ(*evidence().RaiseRequests(), 1);
  auto requests = *store_->EvidenceRequestsFor(a_);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].rule, "repeated_illness");
  EXPECT_EQ(requests[0].from_date, D("2026-11-16"));
  EXPECT_EQ(*evidence().RaiseRequests(), 0);
  EXPECT_EQ(Messages().size(), 1u);
}

TEST_F(EvidenceTest, AnIllnessNextToAClosureRaisesOneRequestUnlessSwitchedOff) {
  ASSERT_TRUE(store_->SetClosure({D("2026-11-20"), core::ClosureSessions::kBoth, "Training"}).ok());
  ASSERT_TRUE(services_->Load().ok());
  Ill(a_, "2026-11-19");  // the Thursday before the closed Friday
  ASSERT_TRUE(evidence().SaveRules(head_, 5, 3, false).ok());
  EXPECT_EQ(*evidence().RaiseRequests(), 0);
  EXPECT_FALSE(evidence().SaveRules(office_, 5, 3, true).ok());  // the head sets the rules
  ASSERT_TRUE(evidence().SaveRules(head_, 5, 3, true).ok());
  EXPECT_EQ(*evidence().RaiseRequests(), 1);
  auto requests = *store_->EvidenceRequestsFor(a_);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].rule, "next_to_holiday");
  EXPECT_EQ(*evidence().RaiseRequests(), 0);
}

TEST_F(EvidenceTest, AKnownConditionPausesRequestsUntilItsReviewDate) {
  for (const char* d : {"2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"}) {
    Ill(a_, d);
  }
  EXPECT_FALSE(evidence().SetCondition(teacher_, a_, "Asthma", D("2026-12-01")).ok());
  ASSERT_TRUE(evidence().SetCondition(office_, a_, "Asthma", D("2026-12-01")).ok());
  EXPECT_EQ(*evidence().RaiseRequests(), 0);
  EXPECT_EQ((*evidence().Condition(office_, a_))->note, "Asthma");
  clock_.Set(D("2026-12-01"), 10 * 60);
  EXPECT_EQ(*evidence().RaiseRequests(), 1);
}

TEST_F(EvidenceTest, RunDueWaitsForTheMorningRegisterToCloseAndRunsOnceADay) {
  for (const char* d : {"2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"}) {
    Ill(a_, d);
  }
  clock_.Set(D("2026-11-25"), 8 * 60);
  EXPECT_EQ(*evidence().RunDue(), 0);
  EXPECT_TRUE(store_->EvidenceRequestsFor(a_)->empty());
  clock_.Set(D("2026-11-25"), 11 * 60);
  EXPECT_EQ(*evidence().RunDue(), 1);
  EXPECT_EQ(*evidence().RunDue(), 0);
}

TEST_F(EvidenceTest, TurningAnIllnessUnauthorisedNeedsConfirmationWhenNoEvidenceWasAsked) {
  Ill(a_, "2026-11-23");
  auto refused = Mark(office_, a_, "2026-11-23", "AM", "O", "No note came");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), core::kErrEvidenceNotAsked);
  EXPECT_NE(refused.status().message().find("No medical evidence was asked for this illness"),
            std::string::npos)
      << refused.status().message();
  EXPECT_NE(refused.status().message().find("an illness of 5 school days or more"),
            std::string::npos);
  // Another authorised code, or unauthorised with the tick, is recorded.
  MarkRequest confirmed{"2026-11-23", "AM", std::to_string(a_), "O", "No note came", ""};
  confirmed.evidence_confirmed = true;
  auto done = services_->registers().RecordMark(office_, confirmed);
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_EQ(done->previous, core::AttendanceCode::kIllness);
  EXPECT_TRUE(Mark(office_, a_, "2026-11-23", "PM", "M", "Appointment after all").ok());
}

TEST_F(EvidenceTest, NoConfirmationWhenEvidenceWasAsked) {
  for (const char* d : {"2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"}) {
    Ill(a_, d);
  }
  ASSERT_EQ(*evidence().RaiseRequests(), 1);
  EXPECT_TRUE(Mark(office_, a_, "2026-11-20", "PM", "O", "No evidence sent").ok());
}

}  // namespace
}  // namespace rollcall::service
