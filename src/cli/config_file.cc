// config_file.cc: the settings of `rollcall serve --config FILE`.
#include "cli/config_file.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <set>
#include <sstream>
#include <string_view>
#include <vector>

#include "cli/commands.h"
#include "core/error_codes.h"

namespace rollcall::cli {
namespace {

core::Status Refuse(const std::string& path, std::string_view message) {
  return core::InvalidArgument(core::kErrConfigFile, fmt::format("{}: {}", path, message));
}

// The option a setting names: the long option of that name (the file says
// "port" for --port), if the file may set it.
std::string SettingName(const CLI::Option& option) {
  return option.get_lnames().empty() ? std::string() : option.get_lnames().front();
}

// Every name a file may use, for the message about one it may not.
std::string SettingNames(const CLI::App& command) {
  std::string names;
  for (const CLI::Option* option : command.get_options()) {
    if (!option->get_configurable() || SettingName(*option).empty()) continue;
    if (!names.empty()) names += ", ";
    names += SettingName(*option);
  }
  return names;
}

// A switch in a file is written true or false (or yes/no, on/off), never a
// count: "behind-tls = 2" is more likely a mistake than a wish.
bool SwitchValue(std::string_view text, bool& value) {
  if (text == "true" || text == "yes" || text == "on") {
    value = true;
    return true;
  }
  if (text == "false" || text == "no" || text == "off") {
    value = false;
    return true;
  }
  return false;
}

}  // namespace

core::Status ApplyConfigFile(CLI::App& command, const std::string& path) {
  ASSIGN_OR_RETURN(const std::string text, ReadInput(path));
  std::istringstream stream(text);
  std::vector<CLI::ConfigItem> items;
  try {
    items = CLI::ConfigTOML().from_config(stream);
  } catch (const CLI::Error& e) {
    return Refuse(path, e.what());
  }
  std::set<std::string> seen;
  for (const CLI::ConfigItem& item : items) {
    // The reader turns "[serve]" and "serve.port" into parents of the names
    // that follow; one file serves one command, so neither has a meaning.
    if (!item.parents.empty()) {
      return Refuse(path,
                    fmt::format("\"{}\" ([{}] or {}.name): the file has no sections, only "
                                "name = value lines",
                                item.parents.front(), item.parents.front(), item.parents.front()));
    }
    CLI::Option* option = command.get_option_no_throw("--" + item.name);
    if (option == nullptr || SettingName(*option) != item.name) {
      return Refuse(path, fmt::format("unknown setting \"{}\"; the settings are: {}", item.name,
                                      SettingNames(command)));
    }
    if (!option->get_configurable()) {
      return Refuse(path, fmt::format("\"{}\" can only be given on the command line", item.name));
    }
    // The reader joins lines that repeat a name one after the other; a name
    // repeated further down comes as a second item.
    const bool repeats = option->get_items_expected_max() > 1;
    if (!seen.insert(item.name).second || (!repeats && item.inputs.size() != 1)) {
      return Refuse(path, fmt::format("\"{}\" is set more than once", item.name));
    }
    if (option->count() > 0) continue;  // the command line wins
    std::vector<std::string> values = item.inputs;
    if (option->get_expected_min() == 0) {
      bool on = false;
      if (!SwitchValue(values.front(), on)) {
        return Refuse(path,
                      fmt::format("{} = {}: a switch is true or false", item.name, values.front()));
      }
      values = {on ? "true" : "false"};
    }
    try {
      option->add_result(values);
      option->run_callback();  // converts, then runs the option's checks
    } catch (const CLI::Error& e) {
      return Refuse(path,
                    fmt::format("{} = {}: {}", item.name, fmt::join(item.inputs, ", "), e.what()));
    }
  }
  return core::OkStatus();
}

}  // namespace rollcall::cli
