// cli/heap.cc: after TuneHeapForCompiling, big blocks come from the heap
// (not mmap), the heap grows in 64 MiB steps and is never trimmed. Checked
// in a forked child, whose heap this may change.
#include <malloc.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

#include <doctest/doctest.h>

#include "cli/heap.h"

namespace {

// AddressSanitizer replaces glibc's malloc, whose behaviour these tests
// observe (scripts/sanitize.sh): there they are skipped.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kOtherMalloc = true;
#else
constexpr bool kOtherMalloc = false;
#endif

// 0 when the tuned heap behaves as heap.h says, else which check failed.
int CheckTunedHeap() {
  topoc::cli::TuneHeapForCompiling();
  struct mallinfo2 before = mallinfo2();
  void* heap_end = sbrk(0);
  // 24 MiB: mmap'ed under glibc's default threshold, from the heap here.
  void* volatile big = std::malloc(size_t{24} << 20);
  if (big == nullptr) return 1;
  struct mallinfo2 during = mallinfo2();
  if (during.hblks != before.hblks) return 2;
  // Grown in one step of at least 64 MiB, or not at all (room was left).
  char* end_during = static_cast<char*>(sbrk(0));
  size_t grown = static_cast<size_t>(end_during - static_cast<char*>(heap_end));
  if (grown != 0 && grown < (size_t{64} << 20)) return 3;
  std::free(big);
  // Freed, but kept: no trim below a gigabyte at the top.
  if (sbrk(0) != end_during) return 4;
  return 0;
}

}  // namespace

TEST_CASE("TuneHeapForCompiling: big blocks from the heap, grown in big steps, never trimmed" *
          doctest::skip(kOtherMalloc)) {
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) _exit(CheckTunedHeap());
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  CHECK_MESSAGE(WEXITSTATUS(status) == 0, "failed check " << WEXITSTATUS(status));
}

TEST_CASE("without the tuning, the same 24 MiB block is mmap'ed (so the test above can fail)" *
          doctest::skip(kOtherMalloc)) {
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    struct mallinfo2 before = mallinfo2();
    void* volatile big = std::malloc(size_t{24} << 20);
    struct mallinfo2 during = mallinfo2();
    std::free(big);
    _exit(during.hblks == before.hblks + 1 ? 0 : 1);
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  CHECK(WEXITSTATUS(status) == 0);
}
