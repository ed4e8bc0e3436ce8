// config_file.h
//
// `rollcall serve --config FILE`: a command's options read from a file, so a
// service manager can start the server with one fixed command line and the
// settings kept in /etc/rollcall/rollcall.conf. The file is CLI11's INI/TOML
// form: `name = value` lines, each name an option of the command without its
// dashes (`port = 8080`, `behind-tls = true`), `#` or `;` comments, and
// `name = ["a", "b"]` for an option that repeats. No [sections].
//
// An option given on the command line wins over the same setting in the
// file. Nothing here reads or writes anything but the file named.
#pragma once

#include <string>

#include "core/status.h"

namespace CLI {
class App;
}

namespace rollcall::cli {

// Reads `path` and gives each setting in it to the option of `command` it
// names, unless that option was given on the command line, converting and
// checking the value as the command line would.
// InvalidArgument (kErrConfigFile) naming the file and the setting for a
// name that is no option of the command, an option that may not be set
// from a file (CLI11's configurable(false): --config itself, --now), a
// [section], a single-valued setting given twice, or a value the option
// refuses; kErrFileRead when the file cannot be read. Options set before
// the error keep their values: the caller stops on any error.
core::Status ApplyConfigFile(CLI::App& command, const std::string& path);

}  // namespace rollcall::cli
