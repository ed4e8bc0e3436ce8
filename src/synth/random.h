// random.h
//
// The synthetic school's only source of randomness: xoshiro256** seeded
// through splitmix64, and the few distributions the generator needs, written
// here because std:: distributions differ between standard libraries. Every
// draw uses integer operations or IEEE-754 +, -, *, / on doubles (no libm,
// no fused multiply-add: see src/synth/CMakeLists.txt), so one seed gives the
// same school on every platform and compiler. Not for cryptography.
#pragma once

#include <cstdint>
#include <span>

namespace rollcall::synth {

// splitmix64 (Steele, Lea, Flood 2014): a bijective mixer, used to derive
// independent seeds (one per pupil, one per school-level stream) from one seed.
constexpr uint64_t SplitMix64(uint64_t& state) {
  state += 0x9E3779B97F4A7C15ULL;
  uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// The seed of stream `stream` under `seed`: different streams of one seed, and
// one stream of different seeds, start from unrelated states.
constexpr uint64_t StreamSeed(uint64_t seed, uint64_t stream) {
  uint64_t state = seed;
  const uint64_t mixed_seed = SplitMix64(state);
  state = mixed_seed ^ (stream * 0xD1B54A32D192ED03ULL);
  return SplitMix64(state);
}

// Stream numbers under one seed: each pupil draws from streams of its own, so
// a pupil's registers do not depend on the order pupils are generated in.
inline constexpr uint64_t kSchoolStream = 1;
inline constexpr uint64_t kEventsStream = 2;
inline constexpr uint64_t kRosterStreamBase = uint64_t{1} << 32;  // + pupil index
inline constexpr uint64_t kMarksStreamBase = uint64_t{2} << 32;   // + pupil index

// xoshiro256** 1.0 (Blackman and Vigna 2018).
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& word : state_) word = SplitMix64(seed);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, 1), with 53 random bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

  // Uniform in [0, n); n must be positive. Rejection keeps it unbiased.
  uint64_t Below(uint64_t n) {
    const uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    while (true) {
      const uint64_t x = Next();
      if (x >= threshold) return x % n;
    }
  }

  // Uniform integer in [lo, hi]; requires lo <= hi.
  int32_t Between(int32_t lo, int32_t hi) {
    return lo + static_cast<int32_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }

  bool Chance(double p) { return Uniform() < p; }

  // Index i with probability weights[i] / sum(weights); weights must not all be 0.
  size_t Pick(std::span<const uint32_t> weights) {
    uint64_t total = 0;
    for (uint32_t w : weights) total += w;
    uint64_t x = Below(total);
    for (size_t i = 0; i < weights.size(); ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return weights.size() - 1;  // not reached: x < total
  }

  // Rounds `x` >= 0 up or down at random so that the expected result is x:
  // budgets stay unbiased however small they are.
  int32_t RoundRandomly(double x) {
    const auto whole = static_cast<int32_t>(x);
    return whole + (Chance(x - whole) ? 1 : 0);
  }

 private:
  static constexpr uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  uint64_t state_[4];
};

}  // namespace rollcall::synth
