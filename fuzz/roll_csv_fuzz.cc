// The roll import's pupils and contacts CSV files, read with each built-in
// column mapping, or with a mapping file of the input's own: the first
// byte chooses; with a mapping of its own, the input is the mapping's JSON,
// a NUL byte, then the CSV.
#include <cstdint>
#include <string>
#include <vector>

#include "core/date.h"
#include "fuzz/fuzz_util.h"
#include "io/csv_reader.h"
#include "io/roll_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rollcall;
  if (size < 1) return 0;
  static const std::vector<std::string> presets = io::RollMappingPresetNames();
  const uint8_t choice = data[0];
  std::string_view text = fuzz::Bytes(data + 1, size - 1);
  if (!io::CheckRollFileSize("fuzz.csv", text.size()).ok()) return 0;
  core::StatusOr<io::RollMapping> mapping =
      io::RollMappingPreset(presets[(choice >> 1) % presets.size()]);
  if (choice & 0x80) {
    const size_t nul = text.find('\0');
    if (nul == std::string_view::npos) return 0;
    mapping = io::ParseRollMapping(text.substr(0, nul), "fuzz.json");
    text.remove_prefix(nul + 1);
  }
  if (!mapping.ok()) return 0;
  io::CsvErrors errors;
  if (choice & 1) {
    (void)io::ReadRollContacts(text, "contacts.csv", *mapping, errors);
  } else {
    (void)io::ReadRollPupils(text, "pupils.csv", *mapping,
                             core::Date(std::chrono::year{2026} / 11 / 25), errors);
  }
  return 0;
}
