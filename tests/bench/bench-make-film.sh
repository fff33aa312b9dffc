#!/bin/bash
# Makes the long benchmark film: 10 minutes of 1080p H.264 (AAC audio) in MP4, a key frame
# every 10 s exactly (no scene-cut key frames), by looping the 30 s Big Buck Bunny clip from
# ../shared/media.  Encoding takes several minutes on 2 cores, so tests/bench/run caches it.
#
# Usage: bench-make-film.sh OUT.mp4 [SECONDS=600] [SOURCE=../shared/media/big_buck_bunny_0_30.webm]
set -euo pipefail
OUT=${1:?usage: bench-make-film.sh OUT.mp4 [SECONDS] [SOURCE]}
SECS=${2:-600}
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=${3:-$HERE/../../../shared/media/big_buck_bunny_0_30.webm}
[ -r "$SRC" ] || { echo "bench-make-film: cannot read $SRC" >&2; exit 2; }
mkdir -p "$(dirname "$OUT")"
TMP="$OUT.part.mp4"
# 24 fps, -g 240 + sc_threshold 0: one key frame every 10 s, as films are often cut.
ffmpeg -nostdin -hide_banner -loglevel error -y -stream_loop -1 -i "$SRC" -t "$SECS" \
  -vf "scale=1920:1080,fps=24" -c:v libx264 -preset veryfast -crf 20 -pix_fmt yuv420p \
  -g 240 -keyint_min 240 -sc_threshold 0 -c:a aac -b:a 128k -movflags +faststart "$TMP"
mv -f "$TMP" "$OUT"
echo "bench-make-film: wrote $OUT" >&2
