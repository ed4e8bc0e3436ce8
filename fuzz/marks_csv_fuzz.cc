// The marks and pupil-list CSV files of `rollcall import`.
#include <cstdint>

#include "fuzz/fuzz_util.h"
#include "io/marks_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rollcall;
  const std::string_view text = fuzz::Bytes(data, size);
  (void)io::ParseMarksCsv(text);
  (void)io::ParsePupilsCsv(text);
  return 0;
}
