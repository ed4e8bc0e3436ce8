// files.cc: writing a file whole or not at all (files.h).
#include "io/files.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/error_codes.h"

namespace rollcall::io {

core::Status WriteFileAtomically(const std::string& path, std::string_view text) {
  const std::filesystem::path final_path(path);
  std::filesystem::path folder = final_path.parent_path();
  if (folder.empty()) folder = ".";
  const std::filesystem::path temp_path = folder / ("." + final_path.filename().string() + ".part");
  const auto failed = [](std::string_view step, const std::filesystem::path& file) {
    return core::Internal(core::kErrFileWrite, fmt::format("cannot {} {}: {}", step, file.string(),
                                                           std::strerror(errno)));
  };
  const int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return failed("create", temp_path);
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const core::Status status = failed("write", temp_path);
      ::close(fd);
      ::unlink(temp_path.c_str());
      return status;
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const core::Status status = failed("save", temp_path);
    ::close(fd);
    ::unlink(temp_path.c_str());
    return status;
  }
  if (::close(fd) != 0) {
    const core::Status status = failed("save", temp_path);
    ::unlink(temp_path.c_str());
    return status;
  }
  if (::rename(temp_path.c_str(), final_path.c_str()) != 0) {
    const core::Status status = failed("rename into place", final_path);
    ::unlink(temp_path.c_str());
    return status;
  }
  // The rename is only durable once the folder's entry is on disk too.
  const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return failed("open the folder of", final_path);
  const bool synced = ::fsync(dir) == 0;
  const core::Status status = synced ? core::OkStatus() : failed("save the folder of", final_path);
  ::close(dir);
  return status;
}

}  // namespace rollcall::io
