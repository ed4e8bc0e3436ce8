// A policy document (policy files, the engine file's policies). A policy
// that parses is written in full and must parse again to the same text.
#include <cstdint>

#include "fuzz/fuzz_util.h"
#include "io/policy_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rollcall;
  core::StatusOr<core::Policy> policy = io::ParsePolicyText(fuzz::Bytes(data, size));
  if (!policy.ok()) return 0;
  const std::string written = io::PolicyToJson(*policy).dump();
  core::StatusOr<core::Policy> again = io::ParsePolicyText(written);
  fuzz::Check(again.ok(), "a written policy does not parse",
              again.ok() ? written : again.status().message() + "\n" + written);
  const std::string rewritten = io::PolicyToJson(*again).dump();
  fuzz::Check(rewritten == written, "a policy does not read back as written",
              written + "\n" + rewritten);
  return 0;
}
