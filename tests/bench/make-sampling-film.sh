#!/bin/bash
# Makes one of the sampling benchmark's films (issue #20) with GStreamer alone (no ffmpeg):
# the 30-s Big Buck Bunny clip of ../shared/media (720p VP8) looped with concat (one timeline
# through identity single-segment) and encoded at a fixed GOP, so that the key frames sit where
# the benchmark says. A 10-min 1080p film takes several minutes on 2 cores:
# tests/bench/sampling-bench caches the films.
#
# Usage: make-sampling-film.sh KIND OUT SECONDS [SOURCE]
#   h264-10s  1080p H.264 (x264enc, gstreamer1.0-plugins-ugly), a key frame every 10 s, MP4
#   h264-1s   the same with a key frame every second
#   mjpeg     720p all-intra Motion JPEG (jpegenc), QuickTime
#   vp8       360p VP8 with a key frame at least every 5 s, WebM (vp8enc manages ~14 frames/s
#             of 720p on one core: 360p keeps the film affordable)
# MPEG-2 is not made: avenc_mpeg2video in GStreamer 1.22 rejects every frame rate ("MPEG-1/2
# does not support 1000000000/1 fps"); the shared cityCC0.mpg (15-frame GOPs) stands in.
set -euo pipefail
KIND=${1:?usage: make-sampling-film.sh KIND OUT SECONDS [SOURCE]}
OUT=${2:?usage: make-sampling-film.sh KIND OUT SECONDS [SOURCE]}
SECS=${3:?usage: make-sampling-film.sh KIND OUT SECONDS [SOURCE]}
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=${4:-$HERE/../../../shared/media/big_buck_bunny_0_30.webm}
[ -r "$SRC" ] || { echo "make-sampling-film: cannot read $SRC" >&2; exit 2; }
FPS=24
LOOPS=$(( (SECS + 29) / 30 ))
case "$KIND" in
  h264-10s|h264-1s)
    GOP=$([ "$KIND" = h264-10s ] && echo 240 || echo 24)
    SIZE="width=1920,height=1080"
    ENC="x264enc speed-preset=veryfast bitrate=6000 key-int-max=$GOP option-string=scenecut=0:min-keyint=$GOP ! h264parse ! mp4mux faststart=true" ;;
  mjpeg)
    SIZE="width=1280,height=720"
    ENC="jpegenc quality=85 ! qtmux" ;;
  vp8)
    SIZE="width=640,height=360"
    ENC="vp8enc deadline=1 cpu-used=8 threads=2 target-bitrate=1500000 keyframe-max-dist=120 ! webmmux" ;;
  *) echo "make-sampling-film: unknown kind $KIND" >&2; exit 2 ;;
esac
# explicit demuxer and decoder per loop: with decodebin, concat of many branches fails (not-linked)
BRANCHES=""
for i in $(seq 1 "$LOOPS"); do
  BRANCHES="$BRANCHES filesrc location=$SRC ! matroskademux name=d$i d$i.video_0 ! queue ! vp8dec ! c."
done
TMP="$OUT.part"
mkdir -p "$(dirname "$OUT")"
# shellcheck disable=SC2086
gst-launch-1.0 -q concat name=c ! identity single-segment=true ! videoconvert ! videoscale ! \
  videorate ! "video/x-raw,$SIZE,framerate=$FPS/1,pixel-aspect-ratio=1/1,format=I420" ! \
  identity eos-after=$(( SECS * FPS )) ! $ENC ! filesink location="$TMP" $BRANCHES
mv -f "$TMP" "$OUT"
echo "make-sampling-film: wrote $OUT" >&2
