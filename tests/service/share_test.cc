// The daily attendance share (service/share.h): what each share sends, what
// a failure leaves, the file a folder gets, what the page lists, and the
// schedule.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/error_codes.h"
#include "io/https_post.h"
#include "school_fixture.h"

namespace rollcall::service {
namespace {

// A receiver in the test: keeps every request and answers with `status`.
class ShareReceiver : public io::Poster {
 public:
  io::PostAnswer Post(const io::PostRequest& request) override {
    sent.push_back(request);
    io::PostAnswer answer;
    answer.status = status;
    answer.body = answer.ok() ? R"({"received":true})" : "try again later";
    return answer;
  }
  int status = 200;
  std::vector<io::PostRequest> sent;
};

std::string SentHeader(const io::PostRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.headers) {
    if (key == name) return value;
  }
  return "";
}

class ShareTest : public SchoolFixture {
 protected:
  ShareTest() {
    services_ = std::make_unique<Services>(*store_, clock_, ServiceOptions{.poster = &poster_});
    EXPECT_TRUE(services_->Load().ok());
  }

  void SetDestination(const std::string& destination) {
    SettingsChange change;
    change.share_destination = destination;
    core::StatusOr<SettingsView> saved = services_->settings().Change(head_, change);
    ASSERT_TRUE(saved.ok()) << saved.status().message();
  }
  // The extract of the last POST.
  nlohmann::json LastSent() const { return nlohmann::json::parse(poster_.sent.back().body); }
  ShareResult ShareNow() {
    core::StatusOr<ShareResult> r = services_->shares().Share(office_);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : ShareResult{};
  }

  ShareReceiver poster_;
};

TEST_F(ShareTest, TheFirstShareSendsEveryMarkAndTheNextOnlyTheCodeChanged) {
  ASSERT_TRUE(Mark(office_, a_, "2026-11-23", "AM", "/").ok());
  ASSERT_TRUE(Mark(office_, a_, "2026-11-23", "PM", "\\").ok());
  ASSERT_TRUE(Mark(office_, b_, "2026-11-23", "AM", "N").ok());
  ASSERT_TRUE(Mark(office_, b_, "2026-11-23", "PM", "\\").ok());
  SetDestination("https://receiver.example/attendance");

  ShareResult first = ShareNow();
  EXPECT_TRUE(first.share.ok) << first.share.detail;
  EXPECT_EQ(first.share.id, 1);
  EXPECT_EQ(first.share.rows, 4);
  ASSERT_EQ(poster_.sent.size(), 1u);
  EXPECT_EQ(poster_.sent[0].url, "https://receiver.example/attendance");
  EXPECT_EQ(poster_.sent[0].content_type, "application/json");
  EXPECT_EQ(SentHeader(poster_.sent[0], "Idempotency-Key"),
            ShareIdempotencyKey("123456", 1, poster_.sent[0].body));
  EXPECT_TRUE(
      SentHeader(poster_.sent[0], "Idempotency-Key").starts_with("rollcall-share-123456-1-"));
  nlohmann::json sent = LastSent();
  EXPECT_EQ(sent["format"], "rollcall-daily-share/1");
  EXPECT_EQ(sent["version"], 1);
  EXPECT_TRUE(sent["previous_version"].is_null());
  EXPECT_EQ(sent["rows"].size(), 4u);
  EXPECT_EQ(sent["row_count"], 4);

  // One code amended: the next share sends it again, and nothing else.
  ASSERT_TRUE(Mark(office_, b_, "2026-11-23", "AM", "I", "Mother phoned: ill").ok());
  ShareResult second = ShareNow();
  EXPECT_TRUE(second.share.ok);
  EXPECT_EQ(second.share.id, 2);
  EXPECT_EQ(second.share.rows, 1);
  sent = LastSent();
  EXPECT_EQ(sent["version"], 2);
  EXPECT_EQ(sent["previous_version"], 1);
  ASSERT_EQ(sent["rows"].size(), 1u);
  EXPECT_EQ(sent["rows"][0]["pupil_id"], b_);
  EXPECT_EQ(sent["rows"][0]["date"], "2026-11-23");
  EXPECT_EQ(sent["rows"][0]["session"], "AM");
  EXPECT_EQ(sent["rows"][0]["code"], "I");
  EXPECT_EQ(sent["rows"][0]["previous_code"], "N");
  EXPECT_EQ(SentHeader(poster_.sent.back(), "Idempotency-Key"),
            ShareIdempotencyKey("123456", 2, poster_.sent.back().body));

  // Nothing changed since: an empty share, still versioned.
  ShareResult third = ShareNow();
  EXPECT_EQ(third.share.rows, 0);
  EXPECT_EQ(LastSent()["rows"].size(), 0u);
  EXPECT_EQ(LastSent()["previous_version"], 2);
}

TEST_F(ShareTest, AFailedPostChangesNothingAndTheNextShareSendsTheSameMarks) {
  ASSERT_TRUE(Mark(office_, a_, "2026-11-23", "AM", "/").ok());
  ASSERT_TRUE(Mark(office_, b_, "2026-11-23", "AM", "N").ok());
  SetDestination("https://receiver.example/attendance");
  poster_.status = 500;

  ShareResult failed = ShareNow();
  EXPECT_FALSE(failed.share.ok);
  EXPECT_EQ(failed.share.detail, "HTTP 500: try again later");
  core::StatusOr<std::vector<store::SharedMark>> shared = store_->SharedMarks();
  ASSERT_TRUE(shared.ok());
  EXPECT_TRUE(shared->empty());
  core::StatusOr<SharePage> page = services_->shares().Page(office_);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->differences_total, 2u);
  ASSERT_EQ(page->log.size(), 1u);
  EXPECT_FALSE(page->log[0].ok);

  poster_.status = 200;
  ShareResult resent = ShareNow();
  EXPECT_TRUE(resent.share.ok);
  EXPECT_EQ(resent.share.id, 2);
  EXPECT_EQ(resent.share.rows, 2);
  EXPECT_TRUE(LastSent()["previous_version"].is_null()) << "no share arrived before";
  shared = store_->SharedMarks();
  ASSERT_TRUE(shared.ok());
  EXPECT_EQ(shared->size(), 2u);
}

TEST_F(ShareTest, ATrialRunSendsNothingAndTakesNoVersion) {
  ASSERT_TRUE(Mark(office_, a_, "2026-11-23", "AM", "/").ok());
  SetDestination("https://receiver.example/attendance");
  core::StatusOr<ShareResult> trial = services_->shares().ShareForSchool("command", {{}, true});
  ASSERT_TRUE(trial.ok()) << trial.status().message();
  EXPECT_EQ(trial->share.id, 1);
  EXPECT_EQ(nlohmann::json::parse(trial->extract)["rows"].size(), 1u);
  EXPECT_TRUE(poster_.sent.empty());
  // A share that was sent but never recorded (a crash in between) is sent
  // again under the same version, so the receiver can tell it is the same.
  EXPECT_EQ(ShareNow().share.id, 1);
}

// After a crash between the POST and the log, the next share takes the same
// version with other rows: its key must differ, or a receiver that drops
// repeated keys would lose those rows while rollcall records them shared.
TEST_F(ShareTest, TheIdempotencyKeyIdentifiesTheExactBytes) {
  ASSERT_TRUE(Mark(office_, a_, "2026-11-23", "AM", "/").ok());
  SetDestination("https://receiver.example/attendance");
  core::StatusOr<ShareResult> before = services_->shares().ShareForSchool("command", {{}, true});
  ASSERT_TRUE(before.ok()) << before.status().message();
  ASSERT_TRUE(Mark(office_, b_, "2026-11-23", "AM", "N").ok());
  core::StatusOr<ShareResult> after = services_->shares().ShareForSchool("command", {{}, true});
  ASSERT_TRUE(after.ok()) << after.status().message();
  ASSERT_EQ(before->share.id, after->share.id);
  ASSERT_NE(before->extract, after->extract);
  EXPECT_NE(ShareIdempotencyKey("123456", 1, before->extract),
            ShareIdempotencyKey("123456", 1, after->extract));
  EXPECT_EQ(ShareIdempotencyKey("123456", 1, after->extract),
            ShareIdempotencyKey("123456", 1, std::string(after->extract)));
  // What is posted carries the key of the bytes posted.
  EXPECT_TRUE(ShareNow().share.ok);
  EXPECT_EQ(poster_.sent.back().body, after->extract);
  EXPECT_EQ(SentHeader(poster_.sent.back(), "Idempotency-Key"),
            ShareIdempotencyKey("123456", 1, after->extract));
  EXPECT_NE(SentHeader(poster_.sent.back(), "Idempotency-Key"),
            ShareIdempotencyKey("123456", 1, before->extract));
}

// `rollcall share --url` (or --out) to somewhere else is logged, but the
// configured destination still gets every mark at its next share.
TEST_F(ShareTest, AOneOffShareChangesNothingTheConfiguredDestinationHasHad) {
  ASSERT_TRUE(Mark(office_, a_, "2026-11-23", "AM", "/").ok());
  ASSERT_TRUE(Mark(office_, b_, "2026-11-23", "AM", "N").ok());
  SetDestination("https://receiver.example/attendance");

  ShareRequest elsewhere;
  elsewhere.destination = "https://elsewhere.example/in";
  core::StatusOr<ShareResult> one_off = services_->shares().ShareForSchool("command", elsewhere);
  ASSERT_TRUE(one_off.ok()) << one_off.status().message();
  EXPECT_TRUE(one_off->share.ok) << one_off->share.detail;
  EXPECT_TRUE(one_off->share.one_off);
  EXPECT_EQ(one_off->share.rows, 2);
  EXPECT_EQ(poster_.sent.back().url, "https://elsewhere.example/in");
  core::StatusOr<std::vector<store::SharedMark>> shared = store_->SharedMarks();
  ASSERT_TRUE(shared.ok());
  EXPECT_TRUE(shared->empty()) << "a one-off share records nothing as shared";
  core::StatusOr<std::vector<store::Share>> log = store_->ListShares();
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 1u);
  EXPECT_TRUE(log->front().one_off) << "logged as a one-off";

  ShareResult usual = ShareNow();
  EXPECT_TRUE(usual.share.ok);
  EXPECT_FALSE(usual.share.one_off);
  EXPECT_EQ(usual.share.id, 2);
  EXPECT_EQ(usual.share.rows, 2) << "the configured destination still gets both marks";
  EXPECT_EQ(poster_.sent.back().url, "https://receiver.example/attendance");
  EXPECT_TRUE(LastSent()["previous_version"].is_null())
      << "no share has reached the configured destination before";
  shared = store_->SharedMarks();
  ASSERT_TRUE(shared.ok());
  EXPECT_EQ(shared->size(), 2u);
}

TEST_F(ShareTest, AFolderGetsOneWholeFileOfTheDocumentedShape) {
  const std::filesystem::path folder =
      std::filesystem::temp_directory_path() /
      ("rollcall-share-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
       "-" + std::to_string(reinterpret_cast<uintptr_t>(this)));
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  store::Pupil a = *store_->GetPupil(a_);
  a.flags.push_back({"FSM", D("2026-09-01"), std::nullopt});
  a.flags.push_back({"EHCP", D("2026-09-01"), std::nullopt});
  ASSERT_TRUE(store_->UpdatePupil(a).ok());
  ASSERT_TRUE(services_->Load().ok());
  ASSERT_TRUE(Mark(office_, a_, "2026-11-24", "AM", "L", "", "08:55").ok());
  SetDestination(folder.string());

  core::StatusOr<ShareResult> done = services_->shares().ShareForSchool("command");
  ASSERT_TRUE(done.ok()) << done.status().message();
  EXPECT_TRUE(done->share.ok) << done->share.detail;
  EXPECT_EQ(done->share.destination_kind, "folder");
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    files.push_back(entry.path().filename().string());
  }
  ASSERT_EQ(files, std::vector<std::string>{"rollcall-share-123456-000001.json"})
      << "one file, no temporary left behind";
  std::ifstream in(folder / files[0]);
  std::stringstream text;
  text << in.rdbuf();
  const nlohmann::json extract = nlohmann::json::parse(text.str());
  std::vector<std::string> keys;
  for (const auto& [key, value] : extract.items()) keys.push_back(key);
  // Keys as the JSON writer orders them: alphabetically.
  EXPECT_EQ(keys, (std::vector<std::string>{"created_at", "format", "previous_version", "row_count",
                                            "rows", "school", "version"}));
  EXPECT_EQ(extract["created_at"], "2026-11-25T10:00:00Z");
  EXPECT_EQ(
      extract["school"],
      (nlohmann::json{{"urn", "123456"}, {"la", "909"}, {"estab", ""}, {"name", "Test Primary"}}));
  ASSERT_EQ(extract["rows"].size(), 1u);
  const nlohmann::json& row = extract["rows"][0];
  keys.clear();
  for (const auto& [key, value] : row.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"arrival", "code", "date", "ehcp", "fsm",
                                            "previous_code", "pupil_id", "recorded_at",
                                            "sen_support", "session", "sex", "upn", "year_group"}));
  EXPECT_EQ(row["upn"], "A909123400001");
  EXPECT_EQ(row["code"], "L");
  EXPECT_EQ(row["arrival"], "08:55");
  EXPECT_EQ(row["recorded_at"], "2026-11-25T10:00:00Z");
  EXPECT_TRUE(row["previous_code"].is_null());
  EXPECT_EQ(row["year_group"], 3);
  EXPECT_EQ(row["sex"], "F");
  EXPECT_EQ(row["fsm"], true);
  EXPECT_EQ(row["sen_support"], false);
  EXPECT_EQ(row["ehcp"], true);
  std::filesystem::remove_all(folder);
}

TEST_F(ShareTest, AFolderThatHasGoneIsLoggedAsAFailedShare) {
  const std::filesystem::path folder =
      std::filesystem::temp_directory_path() /
      ("rollcall-share-gone-" + std::to_string(reinterpret_cast<uintptr_t>(this)));
  std::filesystem::create_directories(folder);
  SetDestination(folder.string());
  std::filesystem::remove_all(folder);
  ASSERT_TRUE(Mark(office_, a_, "2026-11-23", "AM", "/").ok());

  ShareResult failed = ShareNow();
  EXPECT_FALSE(failed.share.ok);
  EXPECT_NE(failed.share.detail.find("there is no folder"), std::string::npos)
      << failed.share.detail;
  core::StatusOr<std::vector<store::Share>> log = store_->ListShares();
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 1u);
  EXPECT_FALSE(log->front().ok);
  core::StatusOr<std::vector<store::SharedMark>> shared = store_->SharedMarks();
  ASSERT_TRUE(shared.ok());
  EXPECT_TRUE(shared->empty());
}

TEST_F(ShareTest, ThePageListsWhereTheRegisterNowDiffersFromWhatWasShared) {
  ASSERT_TRUE(Mark(office_, a_, "2026-11-23", "AM", "/").ok());
  ASSERT_TRUE(Mark(office_, b_, "2026-11-23", "AM", "N").ok());
  SetDestination("https://receiver.example/attendance");
  ASSERT_TRUE(ShareNow().share.ok);
  ASSERT_TRUE(Mark(office_, b_, "2026-11-23", "AM", "I", "Mother phoned: ill").ok());
  ASSERT_TRUE(Mark(office_, a_, "2026-11-24", "AM", "/").ok());

  core::StatusOr<SharePage> page = services_->shares().Page(office_);
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ(page->destination, "https://receiver.example/attendance");
  EXPECT_EQ(page->destination_kind, "https");
  EXPECT_EQ(page->share_minute, 18 * 60);
  EXPECT_TRUE(page->may_share);
  EXPECT_FALSE(page->may_change);
  ASSERT_EQ(page->differences_total, 2u);
  ASSERT_EQ(page->differences.size(), 2u);
  // Newest session first.
  EXPECT_EQ(page->differences[0].pupil_id, a_);
  EXPECT_EQ(page->differences[0].slot.date, D("2026-11-24"));
  EXPECT_FALSE(page->differences[0].shared_code);
  EXPECT_EQ(page->differences[0].current_code, "/");
  EXPECT_EQ(page->differences[1].pupil_id, b_);
  EXPECT_EQ(page->differences[1].pupil_name, "Pupil B");
  EXPECT_EQ(page->differences[1].shared_code, "N");
  EXPECT_EQ(page->differences[1].current_code, "I");
  ASSERT_EQ(page->log.size(), 1u);
  EXPECT_EQ(page->log[0].by, "Ms Office");

  // After the next share the register is as shared.
  ASSERT_TRUE(ShareNow().share.ok);
  page = services_->shares().Page(office_);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->differences_total, 0u);
  EXPECT_EQ(page->log.size(), 2u);
  EXPECT_EQ(page->log[0].id, 2) << "newest first";
}

TEST_F(ShareTest, OnlyThoseWhoKeepTheRegistersSeeOrSendTheShare) {
  SetDestination("https://receiver.example/attendance");
  for (const Principal* who : {&teacher_, &parent_, &la_}) {
    EXPECT_EQ(services_->shares().Page(*who).status().kind(), core::ErrorKind::kPermissionDenied)
        << who->name;
    EXPECT_EQ(services_->shares().Share(*who).status().kind(), core::ErrorKind::kPermissionDenied)
        << who->name;
  }
  EXPECT_TRUE(poster_.sent.empty());
  core::StatusOr<SharePage> head = services_->shares().Page(head_);
  ASSERT_TRUE(head.ok());
  EXPECT_TRUE(head->may_change);
  SettingsChange change;
  change.share_destination = "https://elsewhere.example/";
  EXPECT_EQ(services_->settings().Change(office_, change).status().kind(),
            core::ErrorKind::kPermissionDenied);
}

TEST_F(ShareTest, NoDestinationOrABadOneIsRefusedWithTheReason) {
  core::StatusOr<ShareResult> none = services_->shares().Share(office_);
  EXPECT_EQ(none.status().code(), core::kErrShareNoDestination);
  for (const char* bad : {"http://receiver.example/attendance", "ftp://receiver.example/",
                          "relative/folder", "/no/such/folder/anywhere"}) {
    SettingsChange change;
    change.share_destination = bad;
    core::StatusOr<SettingsView> saved = services_->settings().Change(head_, change);
    EXPECT_EQ(saved.status().code(), core::kErrValueInvalid) << bad;
    EXPECT_NE(saved.status().message().find("The share's destination"), std::string::npos)
        << saved.status().message();
  }
  SettingsChange late;
  late.share_time = "25:00";
  EXPECT_EQ(services_->settings().Change(head_, late).status().code(), core::kErrTimeInvalid);
  late.share_time = "17:30";
  core::StatusOr<SettingsView> saved = services_->settings().Change(head_, late);
  ASSERT_TRUE(saved.ok());
  EXPECT_EQ(saved->settings.share_minute, 17 * 60 + 30);
  EXPECT_EQ(saved->settings.share_destination, "") << "a change of time keeps the destination";
}

TEST_F(ShareTest, TheScheduleSharesOnceASchoolDayAfterTheSetTime) {
  ASSERT_TRUE(Mark(office_, a_, "2026-11-23", "AM", "/").ok());
  // Nothing set: nothing to do.
  clock_.Set(D("2026-11-25"), 18 * 60);
  ASSERT_TRUE(services_->shares().RunDue().ok());
  EXPECT_TRUE(poster_.sent.empty());

  SetDestination("https://receiver.example/attendance");
  clock_.Set(D("2026-11-25"), 17 * 60 + 59);
  ASSERT_TRUE(services_->shares().RunDue().ok());
  EXPECT_TRUE(poster_.sent.empty()) << "before the set time";
  clock_.Set(D("2026-11-25"), 18 * 60);
  ASSERT_TRUE(services_->shares().RunDue().ok());
  ASSERT_EQ(poster_.sent.size(), 1u);
  ASSERT_TRUE(Mark(office_, a_, "2026-11-23", "AM", "I", "Mother phoned: ill").ok());
  clock_.Set(D("2026-11-25"), 21 * 60);
  ASSERT_TRUE(services_->shares().RunDue().ok());
  EXPECT_EQ(poster_.sent.size(), 1u) << "once a day";

  // The next school day sends the amended code.
  clock_.Set(D("2026-11-26"), 18 * 60 + 5);
  ASSERT_TRUE(services_->shares().RunDue().ok());
  ASSERT_EQ(poster_.sent.size(), 2u);
  EXPECT_EQ(LastSent()["rows"].size(), 1u);
  core::StatusOr<std::vector<store::Share>> log = store_->ListShares();
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->back().by, "schedule");

  // A failure is tried again an hour later, the same day.
  poster_.status = 503;
  clock_.Set(D("2026-11-27"), 18 * 60);
  ASSERT_TRUE(services_->shares().RunDue().ok());
  EXPECT_EQ(poster_.sent.size(), 3u);
  clock_.AdvanceSeconds(10 * 60);
  ASSERT_TRUE(services_->shares().RunDue().ok());
  EXPECT_EQ(poster_.sent.size(), 3u);
  poster_.status = 200;
  clock_.AdvanceSeconds(60 * 60);
  ASSERT_TRUE(services_->shares().RunDue().ok());
  EXPECT_EQ(poster_.sent.size(), 4u);

  // No share on a Saturday.
  clock_.Set(D("2026-11-28"), 19 * 60);
  ASSERT_TRUE(services_->shares().RunDue().ok());
  EXPECT_EQ(poster_.sent.size(), 4u);
}

}  // namespace
}  // namespace rollcall::service
