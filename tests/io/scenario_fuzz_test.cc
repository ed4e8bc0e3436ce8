// Seeded random mutation of scenario documents: the parser and evaluator must
// never crash (run under ASan/UBSan in the debug preset), must answer either a
// result or an InvalidArgument with a message, and must be deterministic.
// A failure prints the seed and iteration to reproduce it.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "core/evaluate.h"
#include "io/result_json.h"
#include "io/scenario_json.h"

namespace rollcall::io {
namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Seed documents: a few public conformance cases (small ones) plus a
// hand-written one exercising every key.
std::vector<std::string> Seeds() {
  std::vector<std::string> seeds = {
      R"({"as_of":"2024-11-08","calendar":{"terms":[{"start":"2024-09-03","end":"2024-10-25"},{"start":"2024-11-04","end":"2024-12-20"}],"closures":[{"date":"2024-09-03","session":"BOTH","reason":"INSET"}]},"default_mark":{"AM":"/","PM":"\\"},"policy":{"penalty":{"codes":["G","N","O","U"],"framework_start":null},"bands":[{"name":"a","min":95.5},{"name":"b","min":0}],"continuous_absence":{"sessions":[4,20]},"lateness":{"per_week":2}},"pupils":[{"id":"P001","cohorts":["FSM"],"on_roll":[{"from":"2024-10-07","to":null}],"penalty_history":[{"issued":"2024-09-20","withdrawn":false}]},{"id":"P002"}],"marks":{"P001":{"2024-10-21":{"AM":"G","PM":"G"},"2024-11-04":{"AM":"N","PM":null},"2024-11-05":{"AM":"L","PM":"U"}},"P002":{"2024-09-04":{"AM":"I"}}}})"};
  const char* dir = std::getenv("ROLLCALL_SOURCE_DIR");
  if (dir) {
    for (const char* name : {"codes-one-week", "lateness", "penalty-history-actions",
                             "roll-and-cohorts", "error-saturday-mark", "legacy-codes"}) {
      std::filesystem::path p =
          std::filesystem::path(dir) / "tests/conformance/cases" / name / "scenario.json";
      if (std::filesystem::exists(p)) seeds.push_back(ReadFile(p));
    }
  }
  return seeds;
}

// Byte-level and token-level mutations that produce near-valid documents.
std::string Mutate(const std::string& doc, std::mt19937_64& rng) {
  static const std::vector<std::string> tokens = {
      "null",
      "true",
      "0",
      "-1",
      "1e400",
      "99999999999999999999",
      "\"\"",
      "[]",
      "{}",
      "\"AM\"",
      "\"2024-02-29\"",
      "\"2024-13-01\"",
      "\"X\"",
      "\"Y7\"",
      "\"H\"",
      "\"BOTH\"",
      "1.5",
      "\"\\u0000\"",
      "{\"AM\":\"/\"}",
      "[{\"start\":\"2024-09-01\",\"end\":\"2024-08-01\"}]",
      "\"\xff\xfe\""};
  std::string out = doc;
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits && !out.empty(); ++e) {
    const size_t pos = rng() % out.size();
    switch (rng() % 6) {
      case 0:  // flip a byte
        out[pos] = static_cast<char>(rng() % 256);
        break;
      case 1:  // delete a span
        out.erase(pos, 1 + rng() % 16);
        break;
      case 2:  // duplicate a span
        out.insert(pos, out.substr(pos, 1 + rng() % 32));
        break;
      case 3: {  // replace a value after a colon with a token
        size_t colon = out.find(':', pos);
        if (colon == std::string::npos) break;
        size_t end = out.find_first_of(",}", colon + 1);
        if (end == std::string::npos) break;
        out.replace(colon + 1, end - colon - 1, tokens[rng() % tokens.size()]);
        break;
      }
      case 4:  // swap a digit
        if (out[pos] >= '0' && out[pos] <= '9') out[pos] = static_cast<char>('0' + rng() % 10);
        break;
      case 5:  // truncate
        out.resize(pos);
        break;
    }
  }
  return out;
}

TEST(ScenarioFuzzTest, RandomMutationsNeverCrash) {
  const std::vector<std::string> seeds = Seeds();
  ASSERT_FALSE(seeds.empty());
  constexpr uint64_t kSeed = 20241119;
  std::mt19937_64 rng(kSeed);
  int valid = 0, invalid = 0;
  constexpr int kIterations = 3000;
  for (int i = 0; i < kIterations; ++i) {
    const std::string& base = seeds[static_cast<size_t>(i) % seeds.size()];
    const std::string doc = Mutate(base, rng);
    SCOPED_TRACE(::testing::Message() << "seed " << kSeed << " iteration " << i);
    auto scenario = ParseScenario(doc);
    if (!scenario.ok()) {
      ++invalid;
      EXPECT_FALSE(scenario.status().message().empty());
      EXPECT_EQ(scenario.status().kind(), core::ErrorKind::kInvalidArgument);
      EXPECT_EQ(scenario.status().message().find('\n'), std::string::npos);  // one line
      continue;
    }
    ++valid;
    const std::string once = EvaluationToJson(*scenario, core::Evaluate(*scenario)).dump();
    const std::string twice = EvaluationToJson(*scenario, core::Evaluate(*scenario)).dump();
    EXPECT_EQ(once, twice);
  }
  // The mutator must exercise both paths, or this test proves little.
  EXPECT_GT(valid, kIterations / 20);
  EXPECT_GT(invalid, kIterations / 4);
}

}  // namespace
}  // namespace rollcall::io
