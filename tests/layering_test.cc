// The layering of docs/architecture.md section 1 ("Layers"): core includes
// nothing above it and does no I/O, clock reading or threading; io, synth and
// engine never include cli, web or store headers upward; the service layer
// never includes the web, and the command line reaches workflows through it;
// the demo school includes no web header.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>

namespace {

namespace fs = std::filesystem;

fs::path SourceDir() {
  const char* dir = std::getenv("ROLLCALL_SOURCE_DIR");
  return dir ? fs::path(dir) : fs::path(".");
}

void CheckLibrary(const std::string& library, const std::vector<std::string>& allowed_includes,
                  const std::vector<std::string>& banned) {
  const fs::path root = SourceDir() / "src" / library;
  ASSERT_TRUE(fs::exists(root)) << root;
  const std::regex include(R"re(#include\s+"([a-z_]+)/)re");
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    const std::string ext = entry.path().extension();
    if (ext != ".h" && ext != ".cc" && ext != ".inc") continue;
    ++files;
    std::ifstream in(entry.path());
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      std::smatch m;
      if (std::regex_search(line, m, include)) {
        const std::string target = m[1];
        EXPECT_NE(std::find(allowed_includes.begin(), allowed_includes.end(), target),
                  allowed_includes.end())
            << entry.path() << ":" << number << " includes upward: " << line;
      }
      for (const std::string& word : banned) {
        EXPECT_EQ(line.find(word), std::string::npos)
            << entry.path() << ":" << number << " uses " << word << " in " << library;
      }
    }
  }
  EXPECT_GT(files, 0);
}

TEST(LayeringTest, CoreIsPure) {
  CheckLibrary("core", {"core"},
               {"::now(", "<thread>", "<fstream>", "<iostream>", "<cstdio>", "sqlite3.h", "pqxx",
                "<random>", "std::rand", "getenv"});
}

TEST(LayeringTest, IoBuildsOnlyOnCore) {
  CheckLibrary("io", {"core", "io"}, {"::now(", "<thread>"});
}

TEST(LayeringTest, SynthIsPureAndBuildsOnlyOnCore) {
  CheckLibrary("synth", {"core", "synth"},
               {"::now(", "<thread>", "<fstream>", "<iostream>", "std::random_device"});
}

TEST(LayeringTest, EngineBuildsOnlyOnCoreAndOpensNoFiles) {
  CheckLibrary("engine", {"core", "engine"},
               {"::now(", "<fstream>", "<iostream>", "fopen", "sqlite3.h", "pqxx"});
}

TEST(LayeringTest, StoreBuildsOnlyOnCore) {
  CheckLibrary("store", {"core", "store"}, {"::now(", "<iostream>"});
}

TEST(LayeringTest, LettersBuildOnlyOnCore) {
  CheckLibrary("letters", {"core", "letters"}, {"::now(", "system_clock", "<iostream>"});
}

TEST(LayeringTest, ServiceNeverIncludesWebOrCli) {
  // The application layer: the web, the command line and scheduled jobs
  // build on it, never the reverse, so it speaks no HTTP. "Now" comes in as
  // a core::Clock&.
  CheckLibrary(
      "service", {"core", "io", "store", "letters", "engine", "service"},
      {"system_clock", "time(nullptr)", "localtime", "<iostream>", "boost/beast", "boost/asio"});
}

TEST(LayeringTest, WebBuildsOnTheServices) {
  // "Now" comes in as a core::Clock&; only cli makes the real one. (The
  // server times requests with steady_clock, which tells no date.)
  CheckLibrary("web", {"core", "io", "store", "letters", "engine", "service", "web"},
               {"system_clock", "time(nullptr)", "localtime", "<iostream>"});
}

// The command line reaches workflows through the services: only the server
// command includes the web.
TEST(LayeringTest, CommandLineUsesServicesNotTheWeb) {
  const std::regex web_include(R"re(#include\s+"web/)re");
  int files = 0;
  for (const auto& entry : fs::directory_iterator(SourceDir() / "src" / "cli")) {
    const std::string name = entry.path().filename();
    if (name == "serve_command.cc") continue;
    ++files;
    std::ifstream in(entry.path());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_FALSE(std::regex_search(text, web_include)) << entry.path() << " includes the web";
  }
  EXPECT_GT(files, 5);
}

// The demo school (src/demo) builds on the store, synth, letters and the
// services: it includes no web (or cli) header, and reads no clock ("now"
// comes in as arguments).
TEST(LayeringTest, DemoSchoolNeverIncludesWebOrCli) {
  CheckLibrary("demo", {"core", "synth", "store", "letters", "service", "demo"},
               {"system_clock", "time(nullptr)", "localtime", "::now(", "<iostream>"});
}

// Every machine error code is defined once, in core/error_codes.h: no status is
// made from a string literal and no other file defines a kErr constant, so the
// registry is the whole list of codes a caller can meet.
TEST(LayeringTest, EveryErrorCodeIsInTheRegistry) {
  const std::regex literal_status(
      R"re(\b(InvalidArgument|NotFound|Conflict|Unavailable|PermissionDenied|Unauthenticated|Internal)\(\s*")re");
  const std::regex own_code(R"re(constexpr\s+char\s+kErr\w*\[\])re");
  const fs::path registry = SourceDir() / "src" / "core" / "error_codes.h";
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(SourceDir() / "src")) {
    if (!entry.is_regular_file()) continue;
    const std::string ext = entry.path().extension();
    if (ext != ".h" && ext != ".cc" && ext != ".inc") continue;
    ++files;
    std::ifstream in(entry.path());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::smatch m;
    EXPECT_FALSE(std::regex_search(text, m, literal_status))
        << entry.path() << " makes a status from a literal code: " << m.str();
    if (fs::equivalent(entry.path(), registry)) continue;
    EXPECT_FALSE(std::regex_search(text, m, own_code))
        << entry.path() << " defines its own error code: " << m.str();
  }
  EXPECT_GT(files, 100);
}

}  // namespace
