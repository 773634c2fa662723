#!/usr/bin/env bash
# Builds topoc, checks the example wordcount project and runs it locally for
# SECS seconds (default 15) on topoc's native local cluster (no JVM).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-15}
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target topoc
./build/cli/topoc check examples/wordcount
./build/cli/topoc run examples/wordcount --time "$secs"
