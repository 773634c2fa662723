#!/bin/sh
# Prints the runner benchmark figures (see bench_runtime.cc and
# docs/benchmarks.md, section "runtime").
#   bench/runtime/run_bench.sh [BUILD_DIR] [SECONDS]
set -e
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build}
secs=${2:-5}
cmake --build "$build" --target bench_runtime bench_multilang_spout bench_multilang_bolt >/dev/null
echo "cores: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg)"
"$build/runtime/bench_runtime" --secs "$secs"
