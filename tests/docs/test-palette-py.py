#!/usr/bin/python3
"""Runs examples/palette.py on a generated two-color clip and checks the
message fields it reads (colors, weights, black-and-white, frames, final).
Skipped (exit 77) when GObject introspection for GStreamer is missing
(Debian: python3-gst-1.0, gir1.2-gstreamer-1.0).

    test-palette-py.py PALETTE.PY MAKE-CLIP
"""
import json
import os
import subprocess
import sys
import tempfile

SKIP = 77


def close(hex_color, rgb, tolerance=12):
    got = [int(hex_color[i:i + 2], 16) for i in (1, 3, 5)]
    return all(abs(a - b) <= tolerance for a, b in zip(got, rgb))


def main():
    script, make_clip = sys.argv[1], sys.argv[2]
    try:
        import gi
        gi.require_version("Gst", "1.0")
        from gi.repository import Gst  # noqa: F401
    except (ImportError, ValueError) as e:
        print(f"SKIP: no GStreamer introspection for Python ({e}); "
              "install python3-gst-1.0 gir1.2-gstreamer-1.0")
        return SKIP

    with tempfile.TemporaryDirectory() as tmp:
        clip = os.path.join(tmp, "two.webm")
        subprocess.run(["sh", make_clip, clip], check=True)
        run = subprocess.run(
            [sys.executable, script, "--json", "--colors", "2", "--step", "1",
             "--interval", "0.25", clip],
            capture_output=True, text=True, timeout=120)
        print(run.stdout, run.stderr)
        if run.returncode != 0:
            print(f"FAIL: palette.py exited with {run.returncode}")
            return 1
        palettes = [json.loads(line) for line in run.stdout.splitlines()]
        final = [p for p in palettes if p["final"]]
        updates = [p for p in palettes if not p["final"]]
        errors = []
        if len(final) != 1:
            errors.append(f"{len(final)} final palettes, want 1")
        else:
            p = final[0]
            if p["frames"] != 30:
                errors.append(f"final frames {p['frames']}, want 30")
            if p["black_and_white"] is not False:
                errors.append("the clip is in color")
            if not p["complete"]:
                errors.append("the final palette should be complete")
            if abs(sum(p["weights"]) - 1) > 1e-6:
                errors.append(f"weights sum to {sum(p['weights'])}")
            for rgb in ((0xd0, 0x28, 0x18), (0x20, 0x60, 0xc0)):
                if not any(close(c, rgb) and 0.4 <= w <= 0.6
                           for c, w in zip(p["colors"], p["weights"])):
                    errors.append(f"no color near {rgb} at about 50 %")
        # a 1 s clip with a 0.25 s interval: updates before the final one
        if len(updates) < 2:
            errors.append(f"{len(updates)} interval updates, want >= 2")
        if any(u["complete"] for u in updates):
            errors.append("interval updates must say complete=false")

        bad = subprocess.run(
            [sys.executable, script, os.path.join(tmp, "missing.webm")],
            capture_output=True, text=True, timeout=60)
        if bad.returncode == 0 or not bad.stderr.strip():
            errors.append("a missing file should fail with a message")

    for e in errors:
        print("FAIL:", e)
    if not errors:
        print("palette.py: OK")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
