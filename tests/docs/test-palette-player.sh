#!/bin/sh
# Runs examples/palette-player on a generated two-color clip and checks that
# it prints both colors (within VP8's rounding), each about half, and the
# ANSI swatches.
#   test-palette-player.sh PALETTE-PLAYER MAKE-CLIP
set -eu
player=$1
make_clip=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

sh "$make_clip" "$tmp/two.webm"

NO_COLOR=1 "$player" --colors 2 --step 1 "$tmp/two.webm" >"$tmp/plain.txt"
cat "$tmp/plain.txt"
"$player" --colors 2 --step 1 "$tmp/two.webm" >"$tmp/color.txt"

grep -q '^Final palette: 2 colors from 30 frames' "$tmp/plain.txt" ||
  { echo "FAIL: no final palette of 2 colors from 30 frames"; exit 1; }

# each expected color: a printed color within 12 per channel, share 40-60 %
for expected in d02818 2060c0; do
  awk -v want="$expected" '
    function hex(s) { return index("0123456789abcdef", substr(s, 1, 1)) * 16 - 16 + index("0123456789abcdef", substr(s, 2, 1)) - 1 }
    function abs(x) { return x < 0 ? -x : x }
    /^  #[0-9a-f]+ / {
      got = substr($1, 2); share = $2
      ok = 1
      for (c = 0; c < 3; c++)
        if (abs(hex(substr(got, 2 * c + 1, 2)) - hex(substr(want, 2 * c + 1, 2))) > 12) ok = 0
      if (ok && share >= 40 && share <= 60) found = 1
    }
    END { exit found ? 0 : 1 }' "$tmp/plain.txt" ||
    { echo "FAIL: #$expected (about 50 %) is not in the palette"; exit 1; }
done

esc=$(printf '\033')
grep -q "${esc}\[48;2;[0-9]*;[0-9]*;[0-9]*m" "$tmp/color.txt" ||
  { echo "FAIL: no 24-bit ANSI swatch in the colored output"; exit 1; }
if grep -q "$esc" "$tmp/plain.txt"; then
  echo "FAIL: NO_COLOR output has escape sequences"; exit 1
fi

# bad input: a clear error and a failure status
if "$player" "$tmp/missing.webm" >"$tmp/err.txt" 2>&1; then
  echo "FAIL: a missing file should fail"; exit 1
fi
grep -qi "error\|cannot\|not found\|exist" "$tmp/err.txt" ||
  { echo "FAIL: no error message for a missing file:"; cat "$tmp/err.txt"; exit 1; }
echo "palette-player: OK"
