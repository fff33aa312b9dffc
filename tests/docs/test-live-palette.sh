#!/bin/sh
# Runs examples/live-palette.sh on the live test source for 4 seconds with a
# 1 s interval: expects at least 3 updates (growing frame counts) and one
# final palette with SMPTE bar colors.
#   test-live-palette.sh LIVE-PALETTE.SH
set -eu
script=$1
out=$(mktemp)
trap 'rm -f "$out"' EXIT

timeout 60 sh "$script" --seconds 4 --interval 1 >"$out"
cat "$out"

updates=$(grep -c ' frames ' "$out" | tr -d ' ')
finals=$(grep -c '(final)$' "$out" | tr -d ' ')
[ "$updates" -ge 4 ] || { echo "FAIL: $updates palette lines, want >= 4"; exit 1; }
[ "$finals" -eq 1 ] || { echo "FAIL: $finals final palettes, want 1"; exit 1; }
grep '(final)$' "$out" | grep -q ' 120 frames ' ||
  { echo "FAIL: the final palette should cover 120 frames"; exit 1; }
# frame counts grow from update to update; the final palette may cover no
# more than the last update (a live source's first timestamp is the running
# time it started at, so its 120th frame can fall due an update at 4 s)
awk '{ final = ($NF == "(final)")
       if (final ? $3 + 0 < last : $3 + 0 <= last) exit 1; last = $3 + 0 }' "$out" ||
  { echo "FAIL: frame counts do not grow"; exit 1; }
# SMPTE bars: pure magenta and blue are there
grep '(final)$' "$out" | grep -q '#ff00ff' ||
  { echo "FAIL: no magenta bar in the final palette"; exit 1; }
echo "live-palette: OK"
