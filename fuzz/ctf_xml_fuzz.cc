// A Common Transfer File, as the roll import reads it (its size checked
// first, as the command line and the page do).
#include <cstdint>

#include "core/date.h"
#include "fuzz/fuzz_util.h"
#include "io/csv_reader.h"
#include "io/ctf_xml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rollcall;
  if (!io::CheckCtfSize("fuzz.xml", size).ok()) return 0;
  io::CsvErrors errors;
  (void)io::ReadCtf(fuzz::Bytes(data, size), "fuzz.xml",
                    core::Date(std::chrono::year{2026} / 11 / 25), errors);
  return 0;
}
