#include "cli/heap.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

namespace topoc::cli {

void TuneHeapForCompiling() {
  constexpr size_t kStep = size_t{64} << 20;
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  mallopt(M_TOP_PAD, static_cast<int>(kStep));
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  // Make the heap grow now (a block bigger than what is left at its top),
  // then advise the new part; later growth keeps the plain pages.
  constexpr size_t kBlock = size_t{1} << 20;
  void* volatile block = std::malloc(kBlock);  // volatile: not elided
  auto top = reinterpret_cast<uintptr_t>(block);  // it came from the heap's top...
  auto end = reinterpret_cast<uintptr_t>(sbrk(0));
  std::free(block);  // ...and merges back into it
  // malloc wrote a chunk header just past the block: the 2 MiB around it
  // already has small pages, so huge ones start at the next boundary.
  uintptr_t lo = (top + kBlock + 64 + kHuge - 1) & ~(kHuge - 1);
  uintptr_t hi = end & ~(kHuge - 1);
  if (block == nullptr || hi <= lo + kHuge) return;
  madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_HUGEPAGE);
  // A huge page needs a whole aligned 2 MiB: fill the plain-page gap below
  // the first one with a block that is never touched (so never faulted in),
  // and the allocations that follow start on huge pages.
  if (lo - top > 256) {
    void* volatile filler = std::malloc(lo - top - 128);
    (void)filler;  // kept for the life of the process
  }
}

}  // namespace topoc::cli
