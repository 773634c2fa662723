#!/usr/bin/env bash
# The whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer
# (docs/fuzzing.md, "Sanitizer runs"). Configures BUILD_DIR (default
# build-asan) with gcc, -fsanitize=address,undefined, static linking of
# topoc's dependencies off, and TOPOC_FREE_AT_EXIT (the front end frees its
# trees instead of leaving them to the exit, so LeakSanitizer sees every
# real leak; what remains deliberate is in scripts/lsan.supp). Then runs
# every ctest test; any sanitizer report makes the process it happened in
# exit non-zero, so its test fails.
#
# Usage: scripts/sanitize.sh [BUILD_DIR] [extra ctest args, e.g. -R check]
# Exit: 0 when every test passed and no sanitizer report appears in the
# log (BUILD_DIR/sanitize.log), else 1.
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-asan}
shift || true
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTOPOC_STATIC_DEPS=OFF \
  -DCMAKE_CXX_FLAGS="$san -DTOPOC_FREE_AT_EXIT" -DCMAKE_C_FLAGS="$san" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null || exit 1
cmake --build "$build" -j "$(nproc)" || exit 1

export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:exitcode=23:detect_stack_use_after_return=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=24
export LSAN_OPTIONS=suppressions=$PWD/scripts/lsan.supp:print_suppressions=0
log=$build/sanitize.log
start=$(date -u +%FT%TZ)
ctest --test-dir "$build" -j "$(nproc)" --output-on-failure --timeout 1200 "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
reports=$(grep -cE "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:" "$log" || true)
echo "sanitize.sh: started $start, ctest exit $rc, $reports sanitizer report line(s) (log: $log)"
[ "$rc" -eq 0 ] && [ "$reports" -eq 0 ]
