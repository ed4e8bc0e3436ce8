// letters_test.cc: the wording of each letter, and the PDF: its text, read
// back with pdftotext (poppler-utils, installed by scripts/bootstrap).
#include "letters/letters.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "letters/pdf.h"

namespace rollcall::letters {
namespace {

Facts Sample() {
  return {.school_name = "Riverside Primary",
          .signatory = "Mrs S Okafor, Headteacher",
          .date = "2 December 2026",
          .addressee = "Mr Łukasz Nowak",
          .pupil_name = "Zoë Nowak",
          .class_name = "3A",
          .period = "since the start of the school year (2 September 2026)",
          .attendance_pct = "89.5",
          .band = "red",
          .target_pct = "96",
          .possible = 110,
          .absent = 12,
          .authorised = 7,
          .unauthorised = 5,
          .lates_in_week = 2,
          .week = "the week of 23 November 2026",
          .meeting = "Tuesday 8 December at 15:30 in the school office",
          .term = "Autumn term 2026",
          .term_sessions = "118 of 118 sessions"};
}

std::string Body(const Text& t) { return JoinParagraphs(t.paragraphs); }

TEST(LettersTest, EveryTemplateHasAKeyAndQuotesItsFigures) {
  for (const TemplateInfo& info : Templates()) {
    EXPECT_EQ(TemplateFromKey(info.key), info.id);
    const Text t = Compose(info.id, Sample());
    EXPECT_FALSE(t.subject.empty()) << info.key;
    EXPECT_NE(Body(t).find("Mrs S Okafor, Headteacher"), std::string::npos) << info.key;
  }
  EXPECT_FALSE(TemplateFromKey("threat"));
  const std::string rag = Body(Compose(Template::kTermlyRag, Sample()));
  EXPECT_NE(rag.find("Zoë Nowak's attendance since the start of the school year (2 September "
                     "2026) is 89.5%"),
            std::string::npos);
  EXPECT_NE(rag.find("red: a serious concern"), std::string::npos);
  EXPECT_NE(rag.find("In that time Zoë Nowak has missed 12 of 110 possible sessions (7 "
                     "authorised, 5 unauthorised)"),
            std::string::npos);
  EXPECT_NE(rag.find("This is a warning"), std::string::npos);
  Facts green = Sample();
  green.band = "green";
  EXPECT_NE(Body(Compose(Template::kTermlyRag, green)).find("Please keep it up"),
            std::string::npos);
  EXPECT_NE(Body(Compose(Template::kPanelInvitation, Sample()))
                .find("Tuesday 8 December at 15:30 in the school office"),
            std::string::npos);
  EXPECT_NE(Body(Compose(Template::kCertificate, Sample())).find("118 of 118 sessions"),
            std::string::npos);
  Facts improved = Sample();
  improved.previous_term = "half-term that began on 2 September 2026";
  improved.previous_pct = "85.0";
  EXPECT_NE(Body(Compose(Template::kImprovedCertificate, improved))
                .find("from 85.0% in the half-term that began on 2 September 2026 to 89.5% in "
                      "the Autumn term 2026 so far: 118 of 118 sessions"),
            std::string::npos);
  EXPECT_FALSE(ForGroups(Template::kImprovedCertificate));
}

// Letters once printed the same date range twice in a row, and
// the letter greeted the parent by full name whatever the contact record said.
TEST(LettersTest, ThePeriodIsSaidOnceAndTheSalutationIsTheContactsOwn) {
  for (const Template t : {Template::kTermlyRag, Template::kAttendanceConcern, Template::kLateness,
                           Template::kPanelInvitation}) {
    const std::string body = Body(Compose(t, Sample()));
    const std::string period = Sample().period;
    // The lateness letter speaks of one week, not the period.
    const size_t first = body.find(period);
    if (t != Template::kLateness) {
      ASSERT_NE(first, std::string::npos) << body;
    }
    if (first != std::string::npos) {
      EXPECT_EQ(body.find(period, first + 1), std::string::npos) << body;
    }
    EXPECT_EQ(Compose(t, Sample()).paragraphs.front(), "Dear Mr Łukasz Nowak,");
    Facts greeted = Sample();
    greeted.salutation = "Dear Mr Nowak";
    EXPECT_EQ(Compose(t, greeted).paragraphs.front(), "Dear Mr Nowak,");
  }
}

TEST(LettersTest, LatenessFollowsTheWeeklyFlowchart) {
  Facts f = Sample();
  f.lates_in_week = 1;
  Text t = Compose(Template::kLateness, f);
  EXPECT_EQ(t.subject, "Zoë Nowak: arriving late");
  EXPECT_NE(Body(t).find("arrived late once in the week of 23 November 2026"), std::string::npos);
  f.lates_in_week = 3;
  t = Compose(Template::kLateness, f);
  EXPECT_EQ(t.subject, "Zoë Nowak: lateness panel");
  EXPECT_NE(Body(t).find("arrived late 3 times"), std::string::npos);
  EXPECT_NE(Body(t).find("lateness panel with the headteacher and a governor"), std::string::npos);
}

TEST(LettersTest, ParagraphsRoundTrip) {
  const std::vector<std::string> p = {"Dear Sir,", "Line one\nLine two", "Yours"};
  EXPECT_EQ(SplitParagraphs(JoinParagraphs(p)), p);
  EXPECT_EQ(SplitParagraphs("one"), std::vector<std::string>{"one"});
}

TEST(LettersTest, Windows1252KeepsLatinAndMarksTheRest) {
  EXPECT_EQ(ToWindows1252("Zoë – £10 ‘ok’"),
            "Zo\xEB \x96 \xA3"
            "10 \x91ok\x92");
  EXPECT_EQ(ToWindows1252("Łukasz"), "?ukasz");
  EXPECT_EQ(ToWindows1252("\xFF"), "?");  // not UTF-8
}

std::string PdfText(const std::string& pdf) {
  const auto dir =
      std::filesystem::temp_directory_path() /
      ("rollcall-letters-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  std::filesystem::create_directories(dir);
  const auto in = dir / "letter.pdf";
  const auto out = dir / "letter.txt";
  std::ofstream(in, std::ios::binary) << pdf;
  const std::string command =
      "pdftotext -enc UTF-8 '" + in.string() + "' '" + out.string() + "' 2>/dev/null";
  EXPECT_EQ(std::system(command.c_str()), 0) << "pdftotext (poppler-utils) is needed: " << command;
  std::ifstream text(out);
  std::string result((std::istreambuf_iterator<char>(text)), std::istreambuf_iterator<char>());
  std::filesystem::remove_all(dir);
  return result;
}

TEST(PdfTest, LettersRenderAsSearchableText) {
  const Text concern = Compose(Template::kAttendanceConcern, Sample());
  const Text certificate = Compose(Template::kCertificate, Sample());
  const std::array<Page, 3> pages = {
      Page{"Riverside Primary", "2 December 2026", "Mr Łukasz Nowak", concern.subject,
           concern.paragraphs},
      Page{"Riverside Primary", "2 December 2026", "", certificate.subject, certificate.paragraphs},
      Page{"Riverside Primary", "2 December 2026", "Mr Łukasz Nowak", concern.subject,
           concern.paragraphs, "Mr Łukasz Nowak\n14 Castle Street\nHinckley\nLE10 1DA"}};
  const core::StatusOr<std::string> pdf = RenderPdf(pages);
  ASSERT_TRUE(pdf.ok()) << pdf.status().message();
  EXPECT_EQ(pdf->substr(0, 5), "%PDF-");
  const std::string text = PdfText(*pdf);
  EXPECT_NE(text.find("Riverside Primary"), std::string::npos) << text;
  EXPECT_NE(text.find("Concern about Zoë Nowak's attendance"), std::string::npos) << text;
  EXPECT_NE(text.find("Dear Mr Łukasz Nowak,"), std::string::npos) << text;
  EXPECT_NE(text.find("89.5%"), std::string::npos) << text;
  EXPECT_NE(text.find("Certificate of attendance"), std::string::npos) << text;
  // The long paragraph was wrapped, not cut: its last words are there.
  EXPECT_NE(text.find("if it does not improve."), std::string::npos) << text;
  // The address block, a line each, before the date.
  const size_t address = text.find("14 Castle Street\nHinckley\nLE10 1DA");
  EXPECT_NE(address, std::string::npos) << text;
  EXPECT_LT(address, text.rfind("2 December 2026")) << text;
  // Three letters, three pages (a form feed after each page).
  EXPECT_EQ(std::count(text.begin(), text.end(), '\f'), 3) << text;
}

TEST(PdfTest, AnEmptyBatchIsStillAValidDocument) {
  const core::StatusOr<std::string> pdf = RenderPdf({});
  ASSERT_TRUE(pdf.ok());
  EXPECT_EQ(pdf->substr(0, 5), "%PDF-");
}

}  // namespace
}  // namespace rollcall::letters
