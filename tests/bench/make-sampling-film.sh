#!/bin/bash
# Makes one of the sampling benchmark's films (issue #20) with ffmpeg, from a master that does
# not repeat within itself: the shared color clips of ../shared/media, each once, one after the
# other (Big Buck Bunny 0-30 s, Big Buck Bunny 10 s, vtest, diver, cityCC0, the OA-4 launch:
# some 149.2 s of animation and live action), each scaled to fill a 1280x720 frame (scaled up
# to cover it and cropped at the center: no black bars, square pixels), at 24 fps. A film is
# that master looped to SECONDS and encoded at a fixed GOP, so that its key frames sit where
# the benchmark says.
#
# Why not the 30-s Big Buck Bunny clip looped (the films before): a 30-s period divides the
# benchmark's steps (100 samples over 600 s are 6 s apart, key frames 1 or 10 s apart), so
# seek saw only 5 different images. The master's period, 149.2 s (3,581 frames at 24 fps), is a
# multiple of none of them (every-nth's 60 frames = 2.5 s, seek's 6 s on 600 s, the GOPs of
# 1, 5, 10 s and 15 frames): the 4 passes of a 600-s film land on different frames.
#
# The master (near-lossless H.264, CRF 10, 122 MB, about a minute to make) is made once and
# cached beside OUT as mix-master-720p24.mkv; 720p, as no clip is larger (the 1080p films scale
# it up). A 10-min 1080p film then takes 9-14 minutes on 2 shared, loaded cores.
# ffmpeg, not GStreamer: a concat of six different demuxers and decoders is fragile there, and
# GStreamer 1.22's avenc_mpeg2video cannot encode MPEG-2 at all (it rejects every frame rate).
# tests/bench/sampling-bench caches the films.
#
# Usage: make-sampling-film.sh KIND OUT SECONDS [MEDIA_DIR]
#   h264-10s  1920x1080 H.264 (libx264 veryfast, 6 Mb/s), a key frame every 240 frames (10 s)
#             exactly (no scene-cut key frames, closed GOPs), MP4
#   h264-1s   the same with a key frame every 24 frames (1 s)
#   mjpeg     1280x720 all-intra Motion JPEG, QuickTime
#   vp8       640x360 VP8 (libvpx realtime), a key frame at least every 120 frames (5 s), WebM
#             (720p would take 3-4 times as long to encode on the shared machine)
#   mpeg2     1280x720 MPEG-2, 15-frame GOPs (I + B/P), MPEG program stream (.mpg)
set -euo pipefail
USAGE="usage: make-sampling-film.sh KIND OUT SECONDS [MEDIA_DIR]"
KIND=${1:?$USAGE}
OUT=${2:?$USAGE}
SECS=${3:?$USAGE}
HERE=$(cd "$(dirname "$0")" && pwd)
MEDIA=${4:-$HERE/../../../shared/media}
command -v ffmpeg >/dev/null || { echo "make-sampling-film: needs ffmpeg" >&2; exit 2; }
CLIPS="big_buck_bunny_0_30.webm big_buck_bunny_10s.mp4 vtest.avi diver.mov cityCC0.mpg oa4_launch.webm"
FPS=24
mkdir -p "$(dirname "$OUT")"
MASTER=$(dirname "$OUT")/mix-master-720p24.mkv

if [ ! -s "$MASTER" ]; then
  INPUTS=() FILTER="" CAT=""
  i=0
  for c in $CLIPS; do
    [ -r "$MEDIA/$c" ] || { echo "make-sampling-film: cannot read $MEDIA/$c" >&2; exit 2; }
    INPUTS+=(-i "$MEDIA/$c")
    FILTER="$FILTER[$i:v:0]fps=$FPS,scale=1280:720:force_original_aspect_ratio=increase,crop=1280:720,setsar=1,format=yuv420p[v$i];"
    CAT="$CAT[v$i]"
    i=$((i + 1))
  done
  echo "make-sampling-film: making the master $MASTER (once)" >&2
  ffmpeg -nostdin -hide_banner -loglevel error -y "${INPUTS[@]}" \
    -filter_complex "${FILTER}${CAT}concat=n=$i:v=1:a=0[out]" -map "[out]" -an \
    -c:v libx264 -preset veryfast -crf 10 -pix_fmt yuv420p -f matroska "$MASTER.part"
  mv -f "$MASTER.part" "$MASTER"
fi

case "$KIND" in
  h264-10s|h264-1s)
    GOP=$([ "$KIND" = h264-10s ] && echo 240 || echo 24)
    ENC=(-vf scale=1920:1080 -c:v libx264 -preset veryfast -b:v 6M -maxrate 9M -bufsize 12M
         -g "$GOP" -keyint_min "$GOP" -sc_threshold 0 -x264-params scenecut=0:open-gop=0
         -pix_fmt yuv420p -movflags +faststart -f mp4) ;;
  mjpeg)
    ENC=(-c:v mjpeg -q:v 5 -pix_fmt yuvj420p -f mov) ;;
  vp8)
    ENC=(-vf scale=640:360 -c:v libvpx -deadline realtime -cpu-used 8 -threads 2 -b:v 1500k
         -g 120 -auto-alt-ref 0 -f webm) ;;
  mpeg2)
    ENC=(-c:v mpeg2video -g 15 -bf 2 -sc_threshold 1000000000 -b:v 8M -maxrate 9.5M
         -bufsize 1835k -pix_fmt yuv420p -f vob) ;;
  *) echo "make-sampling-film: unknown kind $KIND" >&2; exit 2 ;;
esac
# the master again and again until SECONDS; timestamps run on across the loops
ffmpeg -nostdin -hide_banner -loglevel error -y -stream_loop -1 -i "$MASTER" \
  -frames:v $((SECS * FPS)) -an -r $FPS "${ENC[@]}" "$OUT.part"
mv -f "$OUT.part" "$OUT"
echo "make-sampling-film: wrote $OUT" >&2
