#!/usr/bin/python3
"""An RTSP server on loopback for tests/cli/test-live.c: serves rtsp://127.0.0.1:PORT/cam, a
live solid color (0xRRGGBB) in H.264 (openh264enc, a key frame every 5 frames), until killed.

Usage: rtsp-server.py PORT RRGGBB
"""
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

Gst.init(None)
port, color = sys.argv[1], int(sys.argv[2], 16)
server = GstRtspServer.RTSPServer()
server.set_address("127.0.0.1")
server.set_service(port)
factory = GstRtspServer.RTSPMediaFactory()
factory.set_launch(
    "( videotestsrc is-live=true pattern=solid-color foreground-color=0x%08x ! "
    "video/x-raw,width=160,height=90,framerate=10/1 ! openh264enc gop-size=5 ! "
    "h264parse ! rtph264pay name=pay0 pt=96 )" % (0xFF000000 | color))
factory.set_shared(True)
server.get_mount_points().add_factory("/cam", factory)
if server.attach(None) == 0:
    sys.exit("rtsp-server.py: cannot listen on port %s" % port)
print("ready", flush=True)
GLib.MainLoop().run()
