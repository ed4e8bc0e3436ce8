#include "io/files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace rollcall::io {
namespace {

std::string ReadBack(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(WriteFileAtomicallyTest, WritesAndReplacesLeavingNoTemporaryFile) {
  const std::filesystem::path folder = std::filesystem::temp_directory_path() /
                                       ("rollcall-files-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  const std::filesystem::path file = folder / "out.json";
  ASSERT_TRUE(WriteFileAtomically(file.string(), "first, and longer").ok());
  ASSERT_TRUE(WriteFileAtomically(file.string(), "second").ok());
  EXPECT_EQ(ReadBack(file), "second");
  // Only the file itself: the temporary one was renamed into place.
  int entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(folder)) ++entries;
  EXPECT_EQ(entries, 1);
  std::filesystem::remove_all(folder);
}

TEST(WriteFileAtomicallyTest, AMissingFolderIsNamedInTheError) {
  const core::Status s = WriteFileAtomically("/nonexistent-rollcall-folder/out.json", "x");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), "FILE_WRITE");
  EXPECT_NE(s.message().find("/nonexistent-rollcall-folder/.out.json.part"), std::string::npos)
      << s.message();
}

}  // namespace
}  // namespace rollcall::io
