// A term-dates file, as the set-up page and `rollcall init` read it.
#include <cstdint>

#include "fuzz/fuzz_util.h"
#include "io/term_dates.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rollcall;
  (void)io::ReadTermDates(fuzz::Bytes(data, size));
  return 0;
}
