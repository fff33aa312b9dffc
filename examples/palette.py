#!/usr/bin/python3
"""Print the palette of a film from Python with GObject introspection.

    palette.py [--step N] [--colors N] [--interval SECONDS] [--json] FILE|URI

Runs `uridecodebin ! framedecimate ! palettesink` and reads the fields of
each `palette` element message from the bus. Needs the Debian packages
python3-gst-1.0 and gir1.2-gstreamer-1.0, and the gst-palette plugins on
GST_PLUGIN_PATH (or `meson devenv -C build`).

Reading the array fields: `colors` and `weights` are GstValueArrays. With
python3-gst-1.0's overrides, `structure.get_value("colors")` returns a
Gst.ValueArray, which iterates like a list. Without the overrides (only the
typelib), get_value() cannot convert a GstValueArray; the deprecated
`structure.get_array("colors")` still works and returns a GObject.ValueArray
read with get_nth(). value_array() below tries both.
"""

import argparse
import json
import sys
import warnings

import gi

gi.require_version("Gst", "1.0")
from gi.repository import GLib, Gst  # noqa: E402


def value_array(structure, field):
    """The list held by a GstValueArray field of a Gst.Structure."""
    try:
        return list(structure.get_value(field))
    except TypeError:
        pass  # no python3-gst-1.0 overrides: fall back to GValueArray
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        ok, array = structure.get_array(field)
        if not ok:
            raise ValueError(f"field {field!r} is not an array")
        return [array.get_nth(i) for i in range(array.n_values)]


def read_palette(structure):
    """The fields of a `palette` message as a dict of Python values."""
    colors = value_array(structure, "colors")
    weights = value_array(structure, "weights")
    return {
        "colors": ["#%06x" % c for c in colors],
        "weights": weights,
        "black_and_white": structure.get_value("black-and-white"),
        "mean_saturation": structure.get_value("mean-saturation"),
        "frames": structure.get_value("frames"),
        "final": structure.get_value("final"),
        "complete": structure.get_value("complete"),
        "stream_time": structure.get_value("stream-time"),
        "duration": structure.get_value("duration"),
    }


def print_palette(palette):
    kind = "gray levels" if palette["black_and_white"] else "colors"
    state = "final" if palette["final"] else "so far"
    print(f"palette ({state}): {len(palette['colors'])} {kind} "
          f"from {palette['frames']} frames")
    for color, weight in zip(palette["colors"], palette["weights"]):
        print(f"  {color} {weight * 100:5.1f} %")
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", help="a file name or a URI")
    parser.add_argument("--step", type=int, default=60,
                        help="analyse one frame in N (default 60)")
    parser.add_argument("--colors", type=int, default=10,
                        help="palette size (default 10)")
    parser.add_argument("--interval", type=float, default=0,
                        help="also print the palette so far every SECONDS")
    parser.add_argument("--json", action="store_true",
                        help="print each palette as one JSON line")
    args = parser.parse_args()

    Gst.init(None)
    for name in ("framedecimate", "palettesink"):
        if Gst.ElementFactory.find(name) is None:
            sys.exit(f"{name} not found: put the gst-palette plugins on "
                     "GST_PLUGIN_PATH")

    uri = args.input if Gst.uri_is_valid(args.input) else \
        Gst.filename_to_uri(args.input)
    pipeline = Gst.parse_launch(
        "uridecodebin name=src ! videoconvert ! "
        f"framedecimate step={args.step} ! "
        f"palettesink name=sink colors={args.colors} "
        f"interval={int(args.interval * Gst.SECOND)}")
    pipeline.get_by_name("src").set_property("uri", uri)

    bus = pipeline.get_bus()
    pipeline.set_state(Gst.State.PLAYING)
    status = 0
    while True:
        message = bus.timed_pop_filtered(
            Gst.CLOCK_TIME_NONE,
            Gst.MessageType.ELEMENT | Gst.MessageType.EOS |
            Gst.MessageType.ERROR)
        if message.type == Gst.MessageType.ELEMENT:
            structure = message.get_structure()
            if structure.has_name("palette"):
                palette = read_palette(structure)
                if args.json:
                    print(json.dumps(palette), flush=True)
                else:
                    print_palette(palette)
        elif message.type == Gst.MessageType.ERROR:
            error, debug = message.parse_error()
            print(f"error from {message.src.get_name()}: {error.message}",
                  file=sys.stderr)
            status = 1
            break
        else:  # EOS: the final palette came before it
            break
    pipeline.set_state(Gst.State.NULL)
    return status


if __name__ == "__main__":
    try:
        sys.exit(main())
    except GLib.Error as e:
        sys.exit(f"error: {e.message}")
