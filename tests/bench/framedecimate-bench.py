#!/usr/bin/python3
"""framedecimate speed, side by side with decoding alone.

Runs, on one film, interleaved (A B C ... A B C ...), each run in its own process:
  floor      filesrc ! decodebin ! video/x-raw ! fakesink        (decoding everything)
  keyframes  ... ! framedecimate mode=keyframes ! SINK
  every-nth  ... ! framedecimate mode=every-nth step=60 ! SINK
  interval   ... ! framedecimate mode=interval (2.5 s) ! SINK
  count      ... ! framedecimate mode=count count=100 ! SINK
and prints min / median wall time, the ratio to the floor's median and the frames kept.

Two more measure whether seeking ahead would pay for count mode (not in the element yet):
  seek-accurate  100 seeks FLUSH|ACCURATE to i*duration/100, one frame each (exact times)
  seek-keyunit   100 seeks FLUSH|KEY_UNIT|SNAP_NEAREST (the nearest key frame instead)

The film defaults to BUILDDIR/bench-cache/bbb-10min-1080p.mp4 (10 min, 1080p H.264, a key
frame every 10 s), made once with bench-make-film.sh (several minutes on 2 cores).
SINK is `fakesink sync=false` until palettesink is ready: --sink 'palettesink'.

Usage: /usr/bin/python3 tests/bench/framedecimate-bench.py [--builddir build]
         [--film FILE] [--sink 'fakesink sync=false'] [--reps 3] [--modes a,b,...]
Target (issue #5): keyframes <= 0.2x the floor (aim 0.1x).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.path.dirname(os.path.dirname(HERE))

MODES = {
    "floor": None,
    "keyframes": "mode=keyframes",
    "every-nth": "mode=every-nth step=60",
    "interval": "mode=interval interval=2500000000",
    "count": "mode=count count=100",
    "scene": "mode=scene",
    "seek-accurate": "ACCURATE",
    "seek-keyunit": "KEY_UNIT|SNAP_NEAREST",
}


def pipeline_for(film, mode, sink):
    head = 'filesrc location="%s" ! decodebin ! video/x-raw ! ' % film
    if mode.startswith("seek-"):
        return "SEEK:%s:%s" % (MODES[mode], head + "appsink name=fd sync=false")
    if MODES[mode] is None:
        return head + "fakesink sync=false"
    return head + "framedecimate name=fd %s ! %s" % (MODES[mode], sink)


def run_seeks(Gst, flags, desc, count=100):
    """Child: COUNT seeks evenly over the duration, one decoded frame each."""
    pipeline = Gst.parse_launch(desc)
    sink = pipeline.get_by_name("fd")
    start = time.monotonic()
    pipeline.set_state(Gst.State.PAUSED)
    pipeline.get_state(Gst.CLOCK_TIME_NONE)
    ok, duration = pipeline.query_duration(Gst.Format.TIME)
    seek_flags = Gst.SeekFlags.FLUSH
    for name in flags.split("|"):
        seek_flags |= getattr(Gst.SeekFlags, name)
    got = set()
    for i in range(count):
        pipeline.seek_simple(Gst.Format.TIME, seek_flags, duration * i // count)
        pipeline.get_state(Gst.CLOCK_TIME_NONE)
        sample = sink.emit("pull-preroll")
        if sample is not None:
            got.add(sample.get_buffer().pts)
    elapsed = time.monotonic() - start
    pipeline.set_state(Gst.State.NULL)
    print(json.dumps({"seconds": elapsed, "in": count, "out": len(got)}))


def run_one(desc):
    """Child: run DESC to EOS, print elapsed seconds and the counters as JSON."""
    import gi
    gi.require_version("Gst", "1.0")
    from gi.repository import Gst
    Gst.init(None)
    if desc.startswith("SEEK:"):
        _, flags, desc = desc.split(":", 2)
        run_seeks(Gst, flags, desc)
        return
    pipeline = Gst.parse_launch(desc)
    start = time.monotonic()
    pipeline.set_state(Gst.State.PLAYING)
    msg = pipeline.get_bus().timed_pop_filtered(
        Gst.CLOCK_TIME_NONE, Gst.MessageType.EOS | Gst.MessageType.ERROR)
    elapsed = time.monotonic() - start
    result = {"seconds": elapsed}
    if msg.type == Gst.MessageType.ERROR:
        err, dbg = msg.parse_error()
        result["error"] = "%s (%s)" % (err.message, dbg)
    fd = pipeline.get_by_name("fd")
    if fd is not None:
        result.update({k: fd.get_property(k) for k in ("in", "out", "drop")})
    pipeline.set_state(Gst.State.NULL)
    print(json.dumps(result))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        run_one(sys.argv[2])
        return 0

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--builddir", default=os.path.join(SOURCE_ROOT, "build"))
    ap.add_argument("--film")
    ap.add_argument("--sink", default="fakesink sync=false")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--modes", default="floor,keyframes,every-nth,interval,count")
    args = ap.parse_args()

    builddir = os.path.abspath(args.builddir)
    film = args.film or os.path.join(builddir, "bench-cache", "bbb-10min-1080p.mp4")
    if not os.path.exists(film):
        print("making %s (bench-make-film.sh, several minutes)..." % film, file=sys.stderr)
        subprocess.run([os.path.join(HERE, "bench-make-film.sh"), film], check=True)

    env = dict(os.environ)
    env["GST_PLUGIN_PATH_1_0"] = ":".join(
        [os.path.join(builddir, "gst", "framedecimate"), os.path.join(builddir, "ext", "palette")])
    env["GST_REGISTRY_1_0"] = os.path.join(builddir, "bench-cache", "registry-fd.bin")

    modes = args.modes.split(",")
    if "floor" not in modes:
        modes.insert(0, "floor")
    times = {m: [] for m in modes}
    last = {}
    for rep in range(args.reps):
        for mode in modes:
            desc = pipeline_for(film, mode, args.sink)
            out = subprocess.run([sys.executable, __file__, "--one", desc], env=env,
                                 check=True, capture_output=True, text=True).stdout
            res = json.loads(out.strip().splitlines()[-1])
            if "error" in res:
                print("%s: %s" % (mode, res["error"]), file=sys.stderr)
                return 1
            times[mode].append(res["seconds"])
            last[mode] = res
            print("rep %d %-9s %7.2f s" % (rep + 1, mode, res["seconds"]), file=sys.stderr)

    floor = statistics.median(times["floor"])
    print("film: %s; sink: %s; %d reps, interleaved" % (film, args.sink, args.reps))
    print()
    print("| mode | min s | median s | ratio to floor | frames in / kept |")
    print("|---|---|---|---|---|")
    for mode in modes:
        med = statistics.median(times[mode])
        res = last[mode]
        if mode.startswith("seek-"):
            frames = "%d seeks / %d distinct frames" % (res["in"], res["out"])
        elif "in" in res:
            frames = "%d / %d" % (res["in"], res["out"])
        else:
            frames = "all decoded"
        print("| %s | %.2f | %.2f | %.3f | %s |" % (mode, min(times[mode]), med, med / floor, frames))
    return 0


if __name__ == "__main__":
    sys.exit(main())
