// The runner's random numbers: tuple ids, edge ids and shuffles. SplitMix64,
// never 0 (0 means "no id" in the acker's tables). Seeded by RunOptions::seed
// so a run can be repeated.
#pragma once

#include <cstdint>

namespace topoc::runtime {

class Rng {
 public:
  explicit Rng(uint64_t seed = 0) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return z ? z : 1;
  }
  void Seed(uint64_t seed) { state_ = seed; }

 private:
  uint64_t state_;
};

}  // namespace topoc::runtime
