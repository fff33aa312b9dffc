#!/bin/sh
# Runs each libFuzzer target of a build made with
#   CC=clang meson setup BUILD -Dfuzzing=enabled -Db_sanitize=address,undefined -Db_lundef=false
# from its checked-in corpus for RUNS inputs (CI's smoke run; see
# tests/README.md for longer runs). The engine target gets RUNS/20: each of
# its inputs builds a film analyzer (3 MiB of histograms), about 0.2 s under
# ASan with coverage. The catalog-import target gets RUNS/4: each of its
# inputs opens up to three SQLite databases and writes files. New
# interesting inputs go to a temporary folder, not into the source tree.
#   tests/fuzz/run-libfuzzer.sh BUILD [RUNS]
set -eu
build=$1
runs=${2:-20000}
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=detect_leaks=1
for name in engine json folder-name catalog-import; do
  mkdir -p "$scratch/$name"
  case $name in
    engine) max_len=4096; target_runs=$((runs / 20)) ;;
    json) max_len=8192; target_runs=$runs ;;
    catalog-import) max_len=8192; target_runs=$((runs / 4)) ;;
    *) max_len=512; target_runs=$runs ;;
  esac
  echo "fuzz-$name: $target_runs runs from $(ls "$here/corpus/$name" | wc -l) corpus inputs"
  status=0
  "$build/tests/fuzz/fuzz-$name" -runs="$target_runs" -max_len=$max_len -timeout=30 \
    -seed=1 -print_final_stats=1 -artifact_prefix="$scratch/" \
    "$scratch/$name" "$here/corpus/$name" > "$scratch/log" 2>&1 || status=$?
  grep -E "stat::number_of_executed_units|stat::new_units_added|Done|ERROR|SUMMARY|runtime error" "$scratch/log" || true
  if [ "$status" != 0 ]; then
    tail -40 "$scratch/log"
    mkdir -p "$build/fuzz-artifacts"
    cp "$scratch"/crash-* "$scratch"/leak-* "$scratch"/timeout-* "$scratch"/oom-* "$build/fuzz-artifacts/" 2>/dev/null || true
    echo "fuzz-$name failed (status $status); inputs in $build/fuzz-artifacts"
    exit 1
  fi
done
