#!/bin/sh
# rtp-palette.sh: the palette of an RTP video stream, as it plays.
#
#   rtp-palette.sh [--port PORT] [--seconds N] [--interval SECONDS] [--window SECONDS]
#                  [--receive-only]
#
# Sends a live test pattern as raw RTP video (rtpvrawpay) to 127.0.0.1:PORT
# and receives it (udpsrc ! rtpvrawdepay ! palettesink). The receiver posts
# the palette of the last WINDOW seconds every INTERVAL seconds of running
# time; each one is printed as a line:
#
#   0.9 s  30 frames  #ff0000 12.4 %  #00ff00 12.3 % ...
#
# After N seconds (default 10) the receiver is interrupted; -e turns that
# into EOS, so a final palette is printed too. --receive-only listens for
# another sender of 320x180 RGB raw RTP video (payload 96) on PORT. An
# encoded stream works the same way, e.g. `vp8enc ! rtpvp8pay` and
# `rtpvp8depay ! vp8dec` instead of the raw payloader. The plugins must be on
# GST_PLUGIN_PATH (or run it in `meson devenv -C build`).
set -eu

port=5004
seconds=10
interval=1
window=2
receive_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --interval) interval=$2; shift 2 ;;
    --window) window=$2; shift 2 ;;
    --receive-only) receive_only=1; shift ;;
    -h|--help) sed -n '2,20s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

to_ns() {
  awk -v s="$1" 'BEGIN { if (s <= 0) exit 1; printf "%.0f", s * 1e9 }'
}
interval_ns=$(to_ns "$interval") || { echo "--interval must be > 0 seconds" >&2; exit 2; }
window_ns=$(to_ns "$window") || { echo "--window must be > 0 seconds" >&2; exit 2; }
case "$seconds" in
  ''|*[!0-9]*|0) echo "--seconds must be a whole number > 0" >&2; exit 2 ;;
esac

for element in udpsrc udpsink rtpvrawpay rtpvrawdepay palettesink; do
  gst-inspect-1.0 "$element" >/dev/null 2>&1 || {
    echo "missing GStreamer element: $element" >&2; exit 1; }
done

caps="application/x-rtp,media=video,clock-rate=90000,encoding-name=RAW,\
sampling=RGB,depth=(string)8,width=(string)320,height=(string)180,payload=96"

sender_pid=
cleanup() {
  if [ -n "$sender_pid" ]; then
    kill "$sender_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT INT TERM

if [ "$receive_only" -eq 0 ]; then
  # A moving pattern: the window follows it.
  gst-launch-1.0 -q videotestsrc is-live=true pattern=smpte horizontal-speed=4 ! \
      video/x-raw,format=RGB,width=320,height=180,framerate=30/1 ! \
      rtpvrawpay ! udpsink host=127.0.0.1 port="$port" &
  sender_pid=$!
fi

# The receiver: a live source, so palettesink drops frames (and says so in
# QoS messages) rather than holding up the network if it falls behind.
timeout --foreground -s INT "$seconds" gst-launch-1.0 -m -e \
    udpsrc address=127.0.0.1 port="$port" caps="$caps" ! \
    rtpjitterbuffer latency=100 ! rtpvrawdepay ! videoconvert ! \
    palettesink interval="$interval_ns" window="$window_ns" colors=6 |
  awk '
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
    }' || true
