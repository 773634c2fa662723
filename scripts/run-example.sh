#!/usr/bin/env bash
# Builds topoc and runs the example wordcount project.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target topoc
./build/cli/topoc check examples/wordcount
./build/cli/topoc build examples/wordcount --out _build/wordcount
