// ctf_schema.h
//
// Whether a Common Transfer File is valid against rollcall's own schema,
// data/reference/ctf25-rollcall.xsd, as `xmllint --noout --schema` says
// (libxml2-utils, installed by scripts/bootstrap). Every test that writes a
// CTF checks the file with it, so the schema and the writer cannot drift
// apart.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace rollcall::testing {

inline ::testing::AssertionResult ValidCtf(const std::string& xml) {
  const char* root = std::getenv("ROLLCALL_SOURCE_DIR");
  if (root == nullptr) {
    return ::testing::AssertionFailure() << "ROLLCALL_SOURCE_DIR not set (ctest sets it)";
  }
  static std::atomic<int> files{0};
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() /
      ("rollcall-ctf-" + std::to_string(getpid()) + "-" + std::to_string(files++) + ".xml");
  {
    std::ofstream out(path, std::ios::binary);
    out << xml;
    if (!out) return ::testing::AssertionFailure() << "cannot write " << path;
  }
  const std::string command = "xmllint --noout --schema '" + std::string(root) +
                              "/data/reference/ctf25-rollcall.xsd' '" + path.string() + "' 2>&1";
  std::string said;
  int status = -1;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buffer[512];
    while (fgets(buffer, sizeof buffer, pipe) != nullptr) said += buffer;
    status = pclose(pipe);
  }
  std::filesystem::remove(path);
  if (status == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "xmllint (status " << status << "): " << said;
}

}  // namespace rollcall::testing
