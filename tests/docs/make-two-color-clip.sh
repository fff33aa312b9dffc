#!/bin/sh
# make-two-color-clip.sh OUT.webm: one second of VP8 video whose left half
# is #d02818 and right half #2060c0, for the example tests.
set -eu
gst-launch-1.0 -q compositor name=mix sink_1::xpos=160 ! \
    video/x-raw,width=320,height=180 ! vp8enc deadline=1 ! webmmux ! \
    filesink location="$1" \
  videotestsrc pattern=solid-color foreground-color=0xffd02818 num-buffers=30 ! \
    video/x-raw,width=160,height=180,framerate=30/1 ! mix. \
  videotestsrc pattern=solid-color foreground-color=0xff2060c0 num-buffers=30 ! \
    video/x-raw,width=160,height=180,framerate=30/1 ! mix.
