#!/usr/bin/python3
"""Runs the commands of README.md and examples/README.md as a new user would,
command by command, and fails on any that does not work.

    test-readme-commands.py SOURCE-DIR BUILD-DIR

Each command is taken from the page itself (README.md's indented blocks,
examples/README.md's ```sh block), so a command added to a page is run too,
or the test fails asking for it to be known here. The commands run in a
scratch folder where `build` is the build folder and `examples` the source's
examples, with a clip named as the pages name films (film.mkv, movie.mp4,
film.mp4) and a one-film library as ~/Films (HOME is the scratch folder).
As the README says, they run inside `meson devenv -C build --workdir .`, with no
GST_PLUGIN_PATH of the test's own and a registry of their own: a command
works only if the README's set-up makes it work. The one line that sets
GST_PLUGIN_PATH by hand runs outside devenv.

What cannot run here is skipped with the reason printed: installing the
packages and building (done: this is the build), `meson test` (this is it),
an interactive devenv shell (its commands run in devenv instead), a window
(--show) without a display, a camera that is not there.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

SOURCE, BUILD = sys.argv[1], sys.argv[2]
TIMEOUT = 120


def commands_of(page):
    """The command lines of a page: indented blocks, and ```sh blocks."""
    lines = open(os.path.join(SOURCE, page), encoding="utf-8").read().splitlines()
    commands, fenced = [], False
    previous_blank = True
    for line in lines:
        if line.startswith("```"):
            fenced = line.strip() == "```sh" if not fenced else False
            continue
        if fenced:
            if line.strip():
                commands.append(line.split("  #")[0].strip())
        elif line.startswith("    ") and line.strip() and (previous_blank or commands):
            text = line.strip()
            if not text.startswith("|"):
                commands.append(text)
        previous_blank = not line.strip()
    # a line ending in a backslash goes on in the next one, as in a shell
    joined = []
    for command in commands:
        if joined and joined[-1].endswith("\\"):
            joined[-1] = joined[-1][:-1].rstrip() + " " + command
        else:
            joined.append(command)
    return joined


def skip_reason(command):
    if command.startswith(".ci/install-deps"):
        return "installing packages: done before the build"
    if command.startswith("meson setup build") or command.startswith("meson compile"):
        return "building: this test runs in that build"
    if command.startswith("meson test"):
        return "the test suite itself"
    if command.startswith("meson devenv -C build"):
        return "an interactive shell: the commands run inside `meson devenv -C build` instead"
    if "--show" in command and not (os.environ.get("DISPLAY") or
                                    os.environ.get("WAYLAND_DISPLAY")):
        return "a window, and there is no display"
    if "/dev/video0" in command and not os.path.exists("/dev/video0"):
        return "no camera at /dev/video0"
    if " live " in command and ".example" in command:
        return ("streams at example addresses and a broker: cli-live runs "
                "`gst-palette live` against mosquitto and RTP senders")
    return None


def adapt(command):
    """What runs for COMMAND here: the same, but a live camera (v4l2src) is
    the live test pattern, and the README's elided pipeline (…) is its tour's."""
    if "v4l2src" in command and not os.path.exists("/dev/video0"):
        command = command.replace(
            "v4l2src", "videotestsrc is-live=true num-buffers=45 ! "
            "video/x-raw,framerate=15/1")
    command = command.replace(
        "gst-launch-1.0 …", "gst-launch-1.0 filesrc location=film.mkv ! decodebin ! "
        "framedecimate ! palettesink location=by-hand.json")
    return command


def check(command, result, scratch):
    """What each kind of command must have done, beyond exit status 0."""
    out = result.stdout
    if "gst-inspect-1.0 palettesink" in command:
        assert "Sink/Analyzer/Video" in out, "palettesink not described"
    elif command.startswith("gst-launch-1.0 -m"):
        assert "palette" in out, "no palette message"
        assert "(qos)" not in out, "QoS messages"
    elif command.startswith("gst-launch-1.0"):
        location = re.search(r"location=(\S+\.json)", command).group(1)
        assert os.path.getsize(os.path.join(scratch, location)) > 0, location
    elif "gst-palette score" in command:
        assert out.startswith("mean CIEDE2000 "), out
    elif re.search(r"gst-palette( \[FILM\])?$", command):
        assert "built-in demo clip" in out, "no demo clip"
    elif "gst-palette list" in command:
        assert "Red" in out, "the library's film is not listed"
    elif "gst-palette draw" in command:
        images = os.path.join(scratch, "film-images")
        assert os.listdir(images), "no images drawn"
    elif "gst-palette" in command and "film.mkv" in command:
        for name in ("film.png", "film-swatch.png"):
            assert os.path.getsize(os.path.join(scratch, name)) > 0, name
    elif "gst-palette" in command and "Films" in command:
        assert os.path.exists(os.path.join(scratch, "Films", "movies.db"))
    elif re.search(r"palette-player|palette\.py|live-palette|rtp-palette", command):
        assert re.search(r"#[0-9a-f]{6}", out), "no palette printed"


def main():
    scratch = tempfile.mkdtemp(prefix="gst-palette-readme-")
    failures = []
    try:
        os.symlink(os.path.abspath(BUILD), os.path.join(scratch, "build"))
        os.symlink(os.path.join(os.path.abspath(SOURCE), "examples"),
                   os.path.join(scratch, "examples"))
        clip = os.path.join(scratch, "film.mkv")
        subprocess.run(["sh", os.path.join(SOURCE, "tests", "docs",
                                           "make-two-color-clip.sh"), clip],
                       check=True, timeout=TIMEOUT)
        for name in ("movie.mp4", "film.mp4"):
            shutil.copy(clip, os.path.join(scratch, name))
        os.makedirs(os.path.join(scratch, "Films", "Red (1999)"))
        shutil.copy(clip, os.path.join(scratch, "Films", "Red (1999)", "red.webm"))

        env = dict(os.environ, HOME=scratch, NO_COLOR="1",
                   GST_REGISTRY_1_0=os.path.join(scratch, "registry.bin"))
        for name in ("GST_PLUGIN_PATH", "GST_PLUGIN_PATH_1_0"):
            env.pop(name, None)

        pages = ["README.md", "examples/README.md"]
        commands = [c for page in pages for c in commands_of(page)]
        assert len(commands) >= 15, commands
        # a chain: each part on its own
        commands = [part.strip() for c in commands for part in c.split("&&")]
        for command in commands:
            reason = skip_reason(command)
            if reason:
                print(f"SKIP {command}\n     ({reason})")
                continue
            run = adapt(command).replace("[FILM]", "")
            if run.startswith("GST_PLUGIN_PATH="):
                argv = ["sh", "-c", run]
            else:
                argv = ["meson", "devenv", "-C", "build", "--workdir", scratch,
                        "sh", "-c", run]
            print(f"RUN  {command}", flush=True)
            try:
                result = subprocess.run(argv, cwd=scratch, env=env, text=True,
                                        capture_output=True, timeout=TIMEOUT)
                assert result.returncode == 0, f"exit status {result.returncode}"
                check(command, result, scratch)
            except (AssertionError, OSError, subprocess.TimeoutExpired) as e:
                failures.append(command)
                print(f"FAIL {command}: {e}")
                if isinstance(e, AssertionError):
                    print(result.stdout[-2000:], result.stderr[-2000:])
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if failures:
        print(f"{len(failures)} command(s) failed:", *failures, sep="\n  ")
        return 1
    print("every command works")
    return 0


if __name__ == "__main__":
    sys.exit(main())
