// The shared pieces of messaging: an email or text as an outbox row and
// back, which numbers take a text, and whom a family message goes to.
#include "service/outgoing.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "service/message_templates.h"

namespace rollcall::service {
namespace {

TEST(OutgoingTest, AnEmailWithAnAttachmentSurvivesTheOutboxRow) {
  Outgoing m;
  m.kind = "day_one";
  m.channel = "email";
  m.pupil_id = 17;
  m.recipient = "Mrs A Khan (Mother)";
  m.to = "a.khan@example.org";
  m.subject = "Zara is not in school today";
  m.body = "Dear Mrs Khan,\n\nZoë…\n";
  m.attachments.push_back({"letter.pdf", "application/pdf", std::string("%PDF-1.4\0\xff\x01", 11)});
  m.key = "day_one/2026-12-03/17/0";

  store::OutboxMessage row = ToOutbox(m, 1'764'756'000);
  EXPECT_EQ(row.channel, "email");
  EXPECT_EQ(row.idempotency_key, m.key);
  EXPECT_EQ(row.event_kind, "day_one");
  EXPECT_EQ(row.destination, m.to);
  EXPECT_EQ(row.pupil_id, 17);
  EXPECT_EQ(row.recipient, m.recipient);
  EXPECT_EQ(row.state, store::OutboxState::kQueued);
  EXPECT_EQ(row.next_attempt_at, 1'764'756'000);
  EXPECT_EQ(row.created_at, 1'764'756'000);
  // The bytes travel as base64, so the payload is plain JSON text.
  nlohmann::json payload = nlohmann::json::parse(row.payload);
  EXPECT_EQ(payload["attachments"][0]["base64"], "JVBERi0xLjQA/wE=");

  std::string error;
  std::optional<Outgoing> back = FromOutbox(row, &error);
  ASSERT_TRUE(back.has_value()) << error;
  EXPECT_EQ(back->kind, m.kind);
  EXPECT_EQ(back->channel, m.channel);
  EXPECT_EQ(back->pupil_id, m.pupil_id);
  EXPECT_EQ(back->recipient, m.recipient);
  EXPECT_EQ(back->to, m.to);
  EXPECT_EQ(back->subject, m.subject);
  EXPECT_EQ(back->body, m.body);
  EXPECT_EQ(back->key, m.key);
  ASSERT_EQ(back->attachments.size(), 1u);
  EXPECT_EQ(back->attachments[0].filename, "letter.pdf");
  EXPECT_EQ(back->attachments[0].content_type, "application/pdf");
  EXPECT_EQ(back->attachments[0].bytes, m.attachments[0].bytes);
}

TEST(OutgoingTest, APayloadNotWrittenByToOutboxIsRefusedWithTheReason) {
  store::OutboxMessage row;
  row.channel = "sms";
  std::string error;
  row.payload = "not json";
  EXPECT_FALSE(FromOutbox(row, &error).has_value());
  EXPECT_NE(error.find("not a JSON object"), std::string::npos);
  row.payload = R"({"kind":"day_one","to":"07700900123","recipient":"x","subject":""})";
  EXPECT_FALSE(FromOutbox(row, &error).has_value());
  EXPECT_NE(error.find("lacks a field"), std::string::npos);
  row.payload =
      R"({"kind":"k","to":"t","recipient":"r","subject":"","body":"b","attachments":[{"filename":"f","content_type":"c","base64":"**"}]})";
  EXPECT_FALSE(FromOutbox(row, &error).has_value());
  EXPECT_NE(error.find("not base64"), std::string::npos);
}

TEST(MessageRecipientsTest, OnlyUkMobileNumbersTakeTexts) {
  EXPECT_TRUE(IsUkMobile("07700 900123"));
  EXPECT_TRUE(IsUkMobile("+44 7700 900123"));
  EXPECT_TRUE(IsUkMobile("(07700) 900-123"));
  EXPECT_FALSE(IsUkMobile("01455 123456"));  // a landline
  EXPECT_FALSE(IsUkMobile("0770090012"));    // a digit short
  EXPECT_FALSE(IsUkMobile("07700 90012x"));
  EXPECT_FALSE(IsUkMobile(""));
}

TEST(MessageRecipientsTest, FillingInUsesOnlyTheKindsFields) {
  const TemplateInfo* info = FindTemplateInfo("day_one");
  ASSERT_NE(info, nullptr);
  auto filled = FillTemplate(*info, "{{pupil_first_name}} is off on {{ date }}.{{report_link}}",
                             {{"pupil_first_name", "Zara"}, {"date", "Thursday 3 December"}});
  ASSERT_TRUE(filled.ok()) << filled.status().message();
  EXPECT_EQ(*filled, "Zara is off on Thursday 3 December.");  // a missing field is blank
  auto unknown = FillTemplate(*info, "Hello {{password}}", {});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), "TEMPLATE_INVALID");
  EXPECT_NE(unknown.status().message().find("{{password}}"), std::string::npos);
  EXPECT_FALSE(FillTemplate(*info, "Hello {{pupil_name", {}).ok());
  EXPECT_EQ(FindTemplateInfo("no_such_kind"), nullptr);
}

store::Contact MakeContact(std::string name, std::string phone, std::string email, bool pr) {
  store::Contact c;
  c.name = std::move(name);
  c.relationship = "Parent";
  c.phone = std::move(phone);
  c.email = std::move(email);
  c.parental_responsibility = pr;
  return c;
}

TEST(MessageRecipientsTest, FamilyMessagesGoOnlyToThoseWhoMayHaveThem) {
  const TemplateInfo day_one = *FindTemplateInfo("day_one");
  store::Pupil p;
  // No parental responsibility: skipped, until marked to get messages.
  p.contacts.push_back(MakeContact("Gran", "07700 900001", "", false));
  // A landline only: nothing reaches them.
  p.contacts.push_back(MakeContact("Mr B", "01455 123456", "", true));
  // A mobile and an email, preferring email.
  p.contacts.push_back(MakeContact("Mrs C", "07700 900003", "c@example.org", true));
  p.contacts.back().preferred_channel = "email";
  // A mobile only.
  p.contacts.push_back(MakeContact("Mr D", "07700 900004", "", true));

  std::vector<Recipient> to = FamilyRecipients(p, day_one, 5);
  ASSERT_EQ(to.size(), 2u);
  EXPECT_EQ(to[0].contact_index, 2u);
  EXPECT_EQ(to[0].channel, "email");
  EXPECT_EQ(to[0].to, "c@example.org");
  EXPECT_EQ(to[0].name, "Mrs C (Parent)");
  EXPECT_EQ(to[1].contact_index, 3u);
  EXPECT_EQ(to[1].channel, "sms");
  EXPECT_EQ(FamilyRecipients(p, day_one, 1).size(), 1u);

  p.contacts[0].messages_without_pr = true;
  to = FamilyRecipients(p, day_one, 5);
  ASSERT_EQ(to.size(), 3u);
  EXPECT_EQ(to[0].contact_index, 0u);

  // An opt-out stops optional kinds only; day-one messages are not optional.
  p.contacts[3].optional_opt_out = true;
  EXPECT_EQ(FamilyRecipients(p, day_one, 5).size(), 3u);
  TemplateInfo optional = day_one;
  optional.optional = true;
  EXPECT_EQ(FamilyRecipients(p, optional, 5).size(), 2u);
}

}  // namespace
}  // namespace rollcall::service
