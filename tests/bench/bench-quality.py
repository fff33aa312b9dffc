#!/usr/bin/python3
"""Score many palettes against one video with ../shared/tools/palette_quality.py.

palette_quality.py decodes its 100 sample frames on every call; on the long film that
is most of a minute.  This runs the tool's own main() once per palette (same arguments,
same code path, same JSON) but decodes the sample frames only once per video, by
memoizing the tool's sample_frames().  The tool is imported from its folder, not copied.

Usage: /usr/bin/python3 bench-quality.py TOOLS_DIR VIDEO PALETTE.json... > results.json
Prints {"PALETTE.json": {palette_quality.py output}, ...}.
"""
import contextlib
import io
import json
import sys


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    tools_dir, video, palettes = sys.argv[1], sys.argv[2], sys.argv[3:]
    sys.path.insert(0, tools_dir)
    import palette_quality  # noqa: E402  (from TOOLS_DIR)

    decoded = {}
    sample_frames = palette_quality.sample_frames

    def sample_frames_once(*args):
        if args not in decoded:
            decoded[args] = sample_frames(*args)
        return decoded[args]

    palette_quality.sample_frames = sample_frames_once
    results = {}
    for pal in palettes:
        sys.argv = ["palette_quality.py", video, pal]
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                palette_quality.main()
            results[pal] = json.loads(out.getvalue())
        except SystemExit as e:  # bad palette file: report it, score the others
            results[pal] = {"error": str(e.code)}
    json.dump(results, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
