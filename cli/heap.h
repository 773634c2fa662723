// Heap settings for the commands that compile and exit (check, build, graph,
// dump). Internal to cli/.
#pragma once

namespace topoc::cli {

// The front end builds its AST and IR out of many small allocations that
// live until exit (nothing is freed: CompileOptions::disable_free), and on a
// fresh process every new 4 KiB page of heap costs a page fault. So: grow
// glibc's heap in 64 MiB steps, never give memory back, keep big blocks in
// the heap, and ask the kernel for transparent huge pages on it (what the
// glibc.malloc.hugetlb=1 tunable does; THP is "madvise" on Debian): one
// fault per 2 MiB instead of 512. A 1k-component check runs ~15% faster,
// a 100k one ~30% (docs/benchmarks.md, "check"). Does nothing harmful
// where THP is off: the kernel then ignores the advice.
// Call once, early, before the heap is much used.
void TuneHeapForCompiling();

}  // namespace topoc::cli
