#!/bin/sh
# live-palette.sh: the palette of a live stream, updated every interval.
#
#   live-palette.sh [--camera DEVICE] [--seconds N] [--interval SECONDS]
#
# Without --camera the source is a live test pattern (videotestsrc
# is-live=true). palettesink's interval property posts the palette of
# everything seen so far every INTERVAL of running time; gst-launch-1.0 -m
# prints each message and this script turns the `palette` ones into a line:
#
#   3.0 s  90 frames  #ff0000 12.4 %  #00ff00 12.3 % ...
#
# --seconds ends the stream (EOS, and a final palette) after N seconds;
# 0 runs until Ctrl-C. The plugins must be on GST_PLUGIN_PATH (or run it in
# `meson devenv -C build`).
set -eu

device=
seconds=0
interval=1
while [ $# -gt 0 ]; do
  case "$1" in
    --camera) device=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --interval) interval=$2; shift 2 ;;
    -h|--help) sed -n '2,16s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

interval_ns=$(awk -v s="$interval" 'BEGIN { if (s <= 0) exit 1; printf "%.0f", s * 1e9 }') || {
  echo "--interval must be > 0 seconds" >&2; exit 2; }

# A live source at 30 frames per second; num-buffers bounds the run.
buffers=-1
if [ "$seconds" -gt 0 ]; then
  buffers=$((seconds * 30))
fi
if [ -n "$device" ]; then
  source="v4l2src device=$device num-buffers=$buffers ! videorate ! video/x-raw,framerate=30/1"
else
  source="videotestsrc is-live=true pattern=smpte horizontal-speed=2 num-buffers=$buffers ! video/x-raw,width=320,height=180,framerate=30/1"
fi

# Word splitting of $source is wanted: it is a launch line. Every frame is
# analysed: nearest downscaling costs 5-9x less than the default linear.
# shellcheck disable=SC2086
gst-launch-1.0 -m -e $source ! videoconvert ! \
    palettesink interval="$interval_ns" colors=6 downscale-method=nearest |
  awk '
    # One line per palette message: time covered, frames, colors and shares.
    /\(element\): palette,/ {
      line = $0
      final = (line ~ /final=\(boolean\)true/) ? "  (final)" : ""
      match(line, /frames=\(guint64\)[0-9]+/)
      frames = substr(line, RSTART + 16, RLENGTH - 16)
      match(line, /duration=\(guint64\)[0-9]+/)
      duration = substr(line, RSTART + 18, RLENGTH - 18) / 1e9
      match(line, /colors=\(uint\)< [0-9, ]* >/)
      ncolors = split(substr(line, RSTART + 15, RLENGTH - 17), colors, /, /)
      match(line, /weights=\(double\)< [0-9.e, -]* >/)
      split(substr(line, RSTART + 18, RLENGTH - 20), weights, /, /)
      printf "%5.1f s %5d frames ", duration, frames
      for (i = 1; i <= ncolors; i++)
        printf " #%06x %4.1f %%", colors[i], weights[i] * 100
      printf "%s\n", final
      fflush()
    }'
