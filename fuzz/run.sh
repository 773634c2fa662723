#!/usr/bin/env bash
# Builds the libFuzzer target (fuzz/check_fuzzer.cc) in build-fuzz with clang,
# AddressSanitizer and coverage on every library, then fuzzes the front end
# for SECONDS (default 60) with the seed corpus: fuzz/corpus/*.topo and
# fuzz/corpus/check/ (a merged corpus of earlier runs), the examples,
# stdlib and test .topo files, a generated benchmark topology and a few
# hostile inputs made here (deep nesting, huge tokens, invalid UTF-8).
#
# Usage: fuzz/run.sh [check|config|multilang|clojure] [SECONDS] [extra libFuzzer flags...]
#   check      the front end (check_fuzzer.cc; the default)
#   config     the config.json reader (config_fuzzer.cc), seeds fuzz/corpus/config/
#   multilang  the multilang JSON/MessagePack parsers (multilang_fuzzer.cc),
#              seeds fuzz/corpus/multilang/
#   clojure    `topoc import` of Clojure files: reader, importer, .topo writer
#              (clojure_fuzzer.cc), seeds fuzz/corpus/clojure/
#   Replay one input:  build-fuzz/fuzz/<target>_fuzzer FILE
# The growing corpus stays in build-fuzz/fuzz/corpus[-TARGET] (reused by
# later runs); crashes, leaks and timeouts go to build-fuzz/fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
target=check
case "${1:-}" in check|config|multilang|clojure) target=$1; shift ;; esac
secs=${1:-60}
shift || true

# Debian's ANTLR 4.9 headers do not compile with clang: Vocabulary has
# `const std::vector<std::string>` members yet a defaulted default
# constructor, which clang (unlike gcc) rejects. Build against a copy of the
# headers with those members non-const: same layout, same symbols.
shim=build-fuzz/antlr4-shim
if [ ! -f "$shim/Vocabulary.h" ]; then
  mkdir -p build-fuzz
  rm -rf "$shim" && cp -r /usr/include/antlr4-runtime "$shim"
  sed -i 's/std::vector<std::string> const _/std::vector<std::string> _/' "$shim/Vocabulary.h"
fi

export CC=clang CXX=clang++
cmake -S . -B build-fuzz -G Ninja -DTOPOC_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_CXX_FLAGS="-I$PWD/$shim -fsanitize=fuzzer-no-link,address -fno-omit-frame-pointer" >/dev/null
cmake --build build-fuzz -j2 --target ${target}_fuzzer

# libFuzzer's entropic schedule keeps a list of rare features and scans it
# for every feature of every execution; with the default threshold (255
# hits before a feature stops being rare) the list grows to thousands and
# the scan was 40 % of check_fuzzer's time. 16 keeps the schedule and halves
# the cost per execution (docs/fuzzing.md, "Where check_fuzzer's time goes").
entropic=(-entropic_feature_frequency_threshold=16)

if [ "$target" != check ]; then
  out=build-fuzz/fuzz
  mkdir -p "$out/corpus-$target" "$out/artifacts"
  dict=()
  [ "$target" = config ] && dict=(-dict=fuzz/config.dict)
  [ "$target" = clojure ] && dict=(-dict=fuzz/clojure.dict)
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
  "$out/${target}_fuzzer" -max_total_time="$secs" "${dict[@]}" -timeout=10 \
    -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 "${entropic[@]}" \
    -artifact_prefix="$out/artifacts/$target-" "$@" "$out/corpus-$target" "fuzz/corpus/$target"
  exit
fi

out=build-fuzz/fuzz
seeds=$out/seeds
mkdir -p "$seeds" "$out/corpus" "$out/artifacts"
cp fuzz/corpus/*.topo "$seeds"/ 2>/dev/null || true
i=0
while IFS= read -r -d '' f; do
  cp "$f" "$seeds/file-$i.topo"; i=$((i + 1))
done < <(find examples stdlib tests -name '*.topo' -print0 2>/dev/null)
python3 bench/check/gen_topology.py 50 "$seeds/bench-50.topo"
python3 - "$seeds" <<'PY'
import sys, os
d = sys.argv[1]
def put(name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)
put("deep-brackets.topo", b"topology t { config { k: " + b"[" * 5000 + b"]" * 5000 + b" } }")
put("deep-maps.topo", b"topology t { config { k: " + b'{"a": ' * 3000 + b"1" + b"}" * 3000 + b" } }")
put("unterminated-string.topo", b'topology t {\n spout s = python "spouts.S {\n output (a)\n }\n}\n')
put("unterminated-comment.topo", b"topology t { /* never closed\n spout s = python \"a.B\" { output (x) }")
put("invalid-utf8.topo", b'topology t\xff\xfe { spout "\xc3\x28" = python "a.\xe2\x82" { output (x) } }')
put("huge-token.topo", b"topology " + b"a" * 200000 + b" { }")
put("nul-bytes.topo", b"topology t {\x00 spout s = python \"a.B\" {\x00} }")
PY

ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
"$out/check_fuzzer" -max_total_time="$secs" -dict=fuzz/topo.dict -timeout=10 \
  -rss_limit_mb=2048 -max_len=2048 -print_final_stats=1 "${entropic[@]}" \
  -artifact_prefix="$out/artifacts/" "$@" "$out/corpus" "$seeds" fuzz/corpus/check
