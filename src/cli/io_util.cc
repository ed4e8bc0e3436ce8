#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "core/error_codes.h"
#include "io/files.h"
#include "io/scenario_json.h"

namespace rollcall::cli {

core::StatusOr<std::string> ReadInput(const std::string& path) {
  std::ostringstream buffer;
  if (path == "-") {
    buffer << std::cin.rdbuf();
    if (std::cin.bad())
      return core::InvalidArgument(core::kErrFileRead, "cannot read standard input");
    return buffer.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return core::InvalidArgument(core::kErrFileRead,
                                 fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  }
  // A regular file is read straight into a string of its size: through a
  // stringstream a large file would be held twice.
  std::string text;
  if (in.seekg(0, std::ios::end)) {
    const std::streamoff size = in.tellg();
    in.seekg(0, std::ios::beg);
    if (size > 0) {
      text.resize(static_cast<size_t>(size));
      in.read(text.data(), size);
      if (in.gcount() != size)
        return core::InvalidArgument(core::kErrFileRead, fmt::format("{}: read failed", path));
      return text;
    }
  }
  in.clear();
  buffer << in.rdbuf();
  if (in.bad())
    return core::InvalidArgument(core::kErrFileRead, fmt::format("{}: read failed", path));
  return buffer.str();
}

core::Status WriteOutput(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() ||
        std::fflush(stdout) != 0) {
      return core::Internal(core::kErrFileWrite, "cannot write to standard output");
    }
    return core::OkStatus();
  }
  return io::WriteFileAtomically(path, text);
}

std::optional<core::Scenario> LoadScenarioOrReport(const std::string& path,
                                                   std::string_view command) {
  core::StatusOr<std::string> text = ReadInput(path);
  if (!text.ok()) {
    std::cerr << "rollcall " << command << ": " << text.status().message() << "\n";
    return std::nullopt;
  }
  return ParseScenarioOrReport(*text);
}

std::optional<core::Scenario> ParseScenarioOrReport(std::string_view text) {
  core::StatusOr<core::Scenario> scenario = io::ParseScenario(text);
  if (!scenario.ok()) {
    // The conformance contract: exactly the path and problem, one line.
    std::cerr << scenario.status().message() << "\n";
    return std::nullopt;
  }
  return std::move(scenario).value();
}

int ReportProblem(std::string_view command, const core::Status& status) {
  std::cerr << "rollcall " << command << ": " << status.message() << "\n";
  return status.kind() == core::ErrorKind::kInvalidArgument ||
                 status.kind() == core::ErrorKind::kPermissionDenied ||
                 status.kind() == core::ErrorKind::kNotFound
             ? kExitInvalidInput
             : kExitFailure;
}

core::StatusOr<store::User> UserOrTheHead(store::Store& store, const std::string& username,
                                          std::string_view doing) {
  if (!username.empty()) {
    core::StatusOr<store::User> user = store.FindUserByName(username);
    if (!user.ok()) {
      return core::InvalidArgument(user.status().code(), "--user " + username + ": no such user");
    }
    return user;
  }
  ASSIGN_OR_RETURN(std::vector<store::User> users, store.ListUsers());
  std::vector<store::User> heads;
  for (store::User& u : users) {
    if (u.role == store::Role::kHead && u.active) heads.push_back(std::move(u));
  }
  if (heads.size() != 1) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("say who {} with --user USERNAME (an office or head "
                                             "account): the change is recorded in their name",
                                             doing));
  }
  return heads.front();
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace rollcall::cli
