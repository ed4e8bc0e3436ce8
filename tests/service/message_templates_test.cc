// The words of the school's messages: filling in the fields, the head's
// own words over the defaults (saved, rendered, put back), what is refused,
// and the length of a text message in parts.
#include "service/message_templates.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "core/error_codes.h"
#include "service/school_fixture.h"

namespace rollcall::service {
namespace {

// A refusal's message, or "ok" (a Status that is ok has none).
std::string TemplateWhy(const core::Status& s) { return s.ok() ? "ok" : s.message(); }

const TemplateInfo& DayOneInfo() {
  const TemplateInfo* info = FindTemplateInfo("day_one");
  EXPECT_NE(info, nullptr);
  return *info;
}

TEST(FillTemplateTest, FillsDeclaredFieldsAndRefusesOthers) {
  const TemplateInfo& info = DayOneInfo();
  core::StatusOr<std::string> filled =
      FillTemplate(info, "Hello {{contact_name}}, about {{ pupil_first_name }}{{date}}.",
                   {{"contact_name", "Mrs Khan"}, {"pupil_first_name", "Ali"}});
  ASSERT_TRUE(filled.ok()) << filled.status().message();
  // A declared field not given is written as nothing.
  EXPECT_EQ(*filled, "Hello Mrs Khan, about Ali.");

  core::StatusOr<std::string> unknown = FillTemplate(info, "Dear {{parent_name}}", {});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), core::kErrTemplateInvalid);
  EXPECT_NE(unknown.status().message().find("{{parent_name}} is not a field"), std::string::npos)
      << unknown.status().message();

  core::StatusOr<std::string> unclosed = FillTemplate(info, "Dear {{contact_name", {});
  ASSERT_FALSE(unclosed.ok());
  EXPECT_EQ(unclosed.status().code(), core::kErrTemplateInvalid);
  EXPECT_NE(unclosed.status().message().find("never closed"), std::string::npos);
  // Braces that open no field are text.
  EXPECT_EQ(*FillTemplate(info, "a } and a { stay", {}), "a } and a { stay");
}

TEST(SmsLengthTest, CountsPartsAsNetworksCharge) {
  EXPECT_EQ(SmsLengthOf("").parts, 0u);
  EXPECT_EQ(SmsLengthOf(std::string(160, 'a')).parts, 1u);
  EXPECT_EQ(SmsLengthOf(std::string(161, 'a')).parts, 2u);
  EXPECT_EQ(SmsLengthOf(std::string(306, 'a')).parts, 2u);
  EXPECT_EQ(SmsLengthOf(std::string(307, 'a')).parts, 3u);
  // £ is in the GSM alphabet: one character, one septet.
  const SmsLength pound = SmsLengthOf("£5");
  EXPECT_TRUE(pound.gsm);
  EXPECT_EQ(pound.characters, 2u);
  // An emoji is not: the message is sent as UCS-2, 70 a part.
  std::string ucs = std::string(70, 'a');
  EXPECT_EQ(SmsLengthOf(ucs).parts, 1u);
  ucs.back() = 'b';
  ucs += "\xF0\x9F\x98\x80";  // U+1F600
  const SmsLength emoji = SmsLengthOf(ucs);
  EXPECT_FALSE(emoji.gsm);
  EXPECT_EQ(emoji.characters, 71u);
  EXPECT_EQ(emoji.parts, 2u);
}

class MessageTemplatesTest : public SchoolFixture {
 protected:
  MessageTemplates& templates() { return services_->templates(); }
};

TEST_F(MessageTemplatesTest, TheHeadsWordsAreRenderedUntilPutBack) {
  const std::map<std::string, std::string> fields = {{"school_name", "Test Primary"},
                                                     {"pupil_first_name", "Ali"},
                                                     {"pupil_name", "Ali Khan"},
                                                     {"date", "Wednesday 25 November"},
                                                     {"report_link", "https://example.org/parent"}};
  core::StatusOr<RenderedMessage> before = templates().Render("day_one", fields);
  ASSERT_TRUE(before.ok()) << before.status().message();
  EXPECT_EQ(before->subject, "Ali is not in school today");
  EXPECT_NE(before->sms_body.find("https://example.org/parent"), std::string::npos);

  ASSERT_TRUE(templates()
                  .Save(head_, "day_one", "Where is {{pupil_first_name}}?",
                        "{{salutation}},\n\n{{pupil_name}} is not here.",
                        "{{pupil_first_name}} is not at {{school_name}}. {{report_link}}")
                  .ok());
  core::StatusOr<RenderedMessage> edited = templates().Render("day_one", fields);
  ASSERT_TRUE(edited.ok()) << edited.status().message();
  EXPECT_EQ(edited->subject, "Where is Ali?");
  EXPECT_EQ(edited->sms_body, "Ali is not at Test Primary. https://example.org/parent");

  core::StatusOr<std::vector<MessageTemplates::Words>> list = templates().List(head_);
  ASSERT_TRUE(list.ok()) << list.status().message();
  ASSERT_FALSE(list->empty());
  EXPECT_EQ(list->front().info->kind, "day_one");
  EXPECT_TRUE(list->front().edited);
  EXPECT_EQ(list->front().set_by, "Mrs Head");
  EXPECT_EQ(list->front().set_at, clock_.NowSeconds());

  clock_.AdvanceSeconds(60);
  ASSERT_TRUE(templates().Reset(head_, "day_one").ok());
  core::StatusOr<RenderedMessage> reset = templates().Render("day_one", fields);
  ASSERT_TRUE(reset.ok());
  EXPECT_EQ(reset->subject, before->subject);
  EXPECT_EQ(reset->sms_body, before->sms_body);
  list = templates().List(head_);
  EXPECT_FALSE(list->front().edited);
  EXPECT_EQ(list->front().set_at, clock_.NowSeconds());  // the reset is recorded
  // Every version is kept: two saved in all.
  EXPECT_EQ(store_->CurrentMessageTemplates()->front().version, 2);
}

TEST_F(MessageTemplatesTest, WordsThatCannotBeSentAreRefusedNamingTheProblem) {
  const auto save = [&](const std::string& subject, const std::string& email,
                        const std::string& sms) {
    return templates().Save(head_, "day_one", subject, email, sms);
  };
  core::Status s = save("Hi", "Dear {{parent}}", "Text");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), core::kErrTemplateInvalid);
  EXPECT_NE(TemplateWhy(s).find("{{parent}} is not a field"), std::string::npos) << TemplateWhy(s);
  s = save("Hi", "Body", "Text {{date");
  EXPECT_NE(TemplateWhy(s).find("the text message"), std::string::npos) << TemplateWhy(s);
  s = save("Hi", "  \n", "Text");
  EXPECT_NE(TemplateWhy(s).find("the email is empty"), std::string::npos) << TemplateWhy(s);
  s = save("Hi", "Body", std::string(919, 'a'));
  EXPECT_NE(TemplateWhy(s).find("919 characters long: at most 918"), std::string::npos)
      << TemplateWhy(s);
  EXPECT_TRUE(save("Hi", "Body", std::string(918, 'a')).ok());
  s = templates().Save(head_, "no_such_kind", "a", "b", "c");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), core::kErrTemplateUnknown);
  core::StatusOr<RenderedMessage> none = templates().Render("no_such_kind", {});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), core::kErrTemplateUnknown);
}

// Only the head changes the words; everyone's messages use them.
TEST_F(MessageTemplatesTest, OnlyTheHeadEditsTheWords) {
  for (const Principal& who : {office_, teacher_, parent_, la_}) {
    EXPECT_EQ(templates().Save(who, "day_one", "a", "b", "c").kind(),
              core::ErrorKind::kPermissionDenied);
    EXPECT_EQ(templates().Reset(who, "day_one").kind(), core::ErrorKind::kPermissionDenied);
    EXPECT_EQ(templates().List(who).status().kind(), core::ErrorKind::kPermissionDenied);
    EXPECT_FALSE(templates().MayEdit(who));
  }
  EXPECT_TRUE(templates().MayEdit(head_));
  EXPECT_TRUE(store_->CurrentMessageTemplates()->empty());
}

}  // namespace
}  // namespace rollcall::service
