#!/usr/bin/env bash
# Executions per CPU-second of a libFuzzer target on a kept corpus: the
# fuzzing rate without the machine's load (CPU time, user + system, not wall
# time). Runs the target twice on a fresh copy of the corpus, once only
# loading it (-runs=0) and once for RUNS mutations (-seed=7, so both runs
# and repeated measurements make the same inputs); the rate is RUNS over the
# difference. docs/fuzzing.md, "Where check_fuzzer's time goes".
#
# Usage: bench/fuzz/exec_rate.sh [FUZZER] [MAX_LEN] [RUNS] [CORPUS] [extra libFuzzer flags...]
#   defaults: build-fuzz/fuzz/check_fuzzer 2048 10000 fuzz/corpus/check
#   (build it with fuzz/run.sh check 0); compare two builds at the same
#   moment and repeat: the machine is shared.
set -euo pipefail
cd "$(dirname "$0")/../.."
fuzzer=${1:-build-fuzz/fuzz/check_fuzzer}
max_len=${2:-2048}
runs=${3:-10000}
corpus=${4:-fuzz/corpus/check}
shift $(( $# < 4 ? $# : 4 ))
extra=(-entropic_feature_frequency_threshold=16 "$@")
dict=()
case "$(basename "$fuzzer")" in
  check_fuzzer) dict=(-dict=fuzz/topo.dict) ;;
  config_fuzzer) dict=(-dict=fuzz/config.dict) ;;
  clojure_fuzzer) dict=(-dict=fuzz/clojure.dict) ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cpu() {  # cpu RUNS: CPU seconds of one run on a fresh copy of the corpus
  rm -rf "$tmp/corpus" && cp -r "$corpus" "$tmp/corpus"
  /usr/bin/time -o "$tmp/time" -f "%U %S" "$fuzzer" -seed=7 -max_len="$max_len" -runs="$1" \
    "${dict[@]}" "${extra[@]}" "$tmp/corpus" >/dev/null 2>&1
  awk '{ print $1 + $2 }' "$tmp/time"
}
load=$(cpu 0)
total=$(cpu "$runs")
awk -v l="$load" -v t="$total" -v n="$runs" -v f="$fuzzer" -v m="$max_len" 'BEGIN {
  printf "%s -max_len=%s: load %.2f s, %d runs %.2f s CPU -> %.0f exec per CPU-second\n", f, m, l, n, t - l, n / (t - l) }'
