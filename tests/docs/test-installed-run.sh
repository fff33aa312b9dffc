#!/bin/sh
# An installed gst-palette (docs/install.md): `meson install --destdir`
# into a staging folder, then the staged gst-palette and gst-inspect-1.0 on
# the staged plugins, with none of the build's on any path.
#   test-installed-run.sh BUILD-DIR PREFIX PLUGIN-DIR MAKE-CLIP
# PLUGIN-DIR is where the plugins go under PREFIX (absolute).
set -eu
build=$1
prefix=$2
plugin_dir=$3
make_clip=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

meson install -C "$build" --destdir "$tmp/stage" --no-rebuild --quiet
bin="$tmp/stage$prefix/bin/gst-palette"
staged_plugins="$tmp/stage$plugin_dir"
[ -x "$bin" ] || { echo "FAIL: no gst-palette at $bin"; exit 1; }
for plugin in libgstframedecimate.so libgstpalette.so; do
  [ -f "$staged_plugins/$plugin" ] || { echo "FAIL: no $plugin in $staged_plugins"; exit 1; }
done

sh "$make_clip" "$tmp/film.webm"
unset GST_PLUGIN_PATH GST_PLUGIN_PATH_1_0
export GST_REGISTRY_1_0="$tmp/registry.bin"

# Nothing on the path: the staged command must not load the build's plugins
# (unless the real install folder has some, which this machine then has).
if [ ! -e "$plugin_dir/libgstpalette.so" ]; then
  if "$bin" "$tmp/film.webm" >"$tmp/out.txt" 2>"$tmp/err.txt"; then
    echo "FAIL: the staged gst-palette found plugins it should not see:"
    cat "$tmp/out.txt" "$tmp/err.txt"; exit 1
  fi
  grep -q "the GStreamer element 'framedecimate' was not found" "$tmp/err.txt" ||
    { echo "FAIL: no clear message without plugins:"; cat "$tmp/err.txt"; exit 1; }
fi

# The staged plugins on the path: gst-inspect-1.0 and gst-palette work.
export GST_PLUGIN_PATH="$staged_plugins"
rm -f "$GST_REGISTRY_1_0"
gst-inspect-1.0 palettesink >"$tmp/inspect.txt"
grep -q "Filename *$staged_plugins/libgstpalette.so" "$tmp/inspect.txt" ||
  { echo "FAIL: palettesink not from the staged folder:"; head -20 "$tmp/inspect.txt"; exit 1; }
NO_COLOR=1 "$bin" --step 1 --colors 2 "$tmp/film.webm" >"$tmp/out.txt"
cat "$tmp/out.txt"
grep -q "^film: 2 colors from 30 frames" "$tmp/out.txt" ||
  { echo "FAIL: no palette from the staged gst-palette"; exit 1; }
echo "installed run: OK"
