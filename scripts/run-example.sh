#!/usr/bin/env bash
# Builds topoc, installs it on the PATH (cmake --install, prefix $TOPOC_PREFIX,
# default /usr/local; sudo when not root), then checks the example wordcount
# project and runs it locally for SECS seconds (default 15) on topoc's native
# local cluster (no JVM), with the installed topoc.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-15}
prefix=${TOPOC_PREFIX:-/usr/local}
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target topoc topoc_docs
SUDO=""
if [ ! -w "$prefix" ] && [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO cmake --install build --prefix "$prefix" >/dev/null
echo "run-example: installed $prefix/bin/topoc ($("$prefix/bin/topoc" --version))"
export PATH="$prefix/bin:$PATH"
topoc check examples/wordcount
topoc run examples/wordcount --time "$secs"
