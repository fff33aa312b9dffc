#!/usr/bin/env bash
# make-library.sh DIR [N]: a film library of N good films (default 12) and
# one damaged one in DIR, for the cluster tests. Each film is a folder
# "Title (Year, Director)" holding one short clip (2 s, 160x120: VP8 in
# WebM, MPEG-4 part 2 in AVI, JPEG in Matroska or QuickTime) of a known
# videotestsrc color or pattern. (No MPEG-4 in MP4 or Matroska: Debian
# 12's avenc_mpeg4 gives buffers without timestamps, and mp4mux and
# matroskamux then write a clip of one frame or of length 0.) Names are
# awkward on purpose: spaces, quotes, an apostrophe, non-ASCII UTF-8, and
# one folder name that is not UTF-8 at all (Latin-1).
#
#   "Broken (1999, Nobody)/film.mp4"   random bytes: bad media, exit code 3
#
# GP_LONG_SECONDS=S makes the first film, "Rope (1948, Alfred Hitchcock)",
# S seconds long (default 2): a film a test can kill a worker in.
# Prints nothing; lists the folder names (NUL-separated) with -0 as a third
# argument.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 DIR [N] [-0]" >&2; exit 2; }
dir=$1
n=${2:-12}
long=${GP_LONG_SECONDS:-2}
mkdir -p "$dir"

# Only the system's plugins (sources, encoders, muxers): the build's own
# may be sanitizer builds gst-launch-1.0 cannot load. Their registry is kept
# beside the tests' one (meson's test_env), made once.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gp-make-library.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
if [ -n "${GST_REGISTRY_1_0:-}" ]; then
  gen_registry=$(dirname "$GST_REGISTRY_1_0")/registry-system-plugins.bin
else
  gen_registry=$tmp/registry.bin
fi
launch () {
  env -u GST_PLUGIN_PATH -u GST_PLUGIN_PATH_1_0 -u GST_REGISTRY_FORK \
    GST_REGISTRY_1_0="$gen_registry" GST_DEBUG='*:1' timeout -k 5 120 gst-launch-1.0 -q "$@"
}

# title (folder name) | container | pattern | foreground color (solid-color)
films=(
  "Rope (1948, Alfred Hitchcock)|webm|solid-color|0xff8b1a1a"
  "Red Desert (1964, Michelangelo Antonioni)|webm|solid-color|0xffc81e1e"
  "Blue (1993, Derek Jarman)|avi|solid-color|0xff1e3cc8"
  "Amélie (2001, Jean-Pierre Jeunet)|mkv|solid-color|0xff2e8b2e"
  "Don't Look Now (1973, Nicolas Roeg)|webm|smpte|"
  "\"Quoted\" Title (2001, Someone)|mov|ball|"
  "Two  Spaces (2002, Some One)|webm|checkers-8|"
  "Gray Area (1950, Someone)|avi|solid-color|0xff808080"
  $'Caf\xe9 Society (1990, Latin One)|webm|colors|'
  "Pinwheel (2003, Someone)|mkv|pinwheel|"
  "Zone Plate (2004, Someone)|webm|zone-plate|"
  "Snow (2005, Someone)|mov|snow|"
  "Circular (2006, Someone)|webm|circular|"
  "Bars (2007, Someone)|mkv|bar|"
  "Gamut (2008, Someone)|avi|gamut|"
  "Spokes (2009, Someone)|webm|spokes|"
  "城市 (2010, 某人)|mkv|gradient|"
)

make_clip () {
  local out=$1 container=$2 pattern=$3 color=$4 seconds=$5 src enc
  src="videotestsrc pattern=$pattern num-buffers=$((seconds * 15))"
  [ -n "$color" ] && src="$src foreground-color=$color"
  case $container in
    webm) enc="vp8enc deadline=1 ! webmmux" ;;
    mkv) enc="jpegenc ! matroskamux" ;;
    avi) enc="avenc_mpeg4 ! avimux" ;;
    mov) enc="jpegenc ! qtmux" ;;
  esac
  # shellcheck disable=SC2086
  launch $src ! video/x-raw,width=160,height=120,framerate=15/1 ! \
    videoconvert ! $enc ! filesink location="$out"
}

i=0
names=()
while [ "$i" -lt "$n" ]; do
  IFS='|' read -r title container pattern color <<< "${films[i % ${#films[@]}]}"
  # more films than the table: "Title 2 (Year, Director)"
  if [ "$i" -ge "${#films[@]}" ]; then
    title="${title%% (*} $((i / ${#films[@]} + 1)) (${title#* (}"
  fi
  seconds=2
  [ "$i" = 0 ] && seconds=$long
  mkdir -p "$dir/$title"
  # made under an ASCII name, then moved: a location that is not UTF-8 is
  # refused by filesink
  ( make_clip "$tmp/$i.$container" "$container" "$pattern" "$color" "$seconds" &&
    mv "$tmp/$i.$container" "$dir/$title/film.$container" ) &
  names+=("$title")
  i=$((i + 1))
  # two encoders at a time
  if [ $((i % 2)) = 0 ]; then wait; fi
done
wait
for title in "${names[@]}"; do
  f=$(find "$dir/$title" -maxdepth 1 -type f -name 'film.*' -size +0 | head -n 1)
  [ -n "$f" ] || { echo "$0: could not make $title" >&2; exit 1; }
done

mkdir -p "$dir/Broken (1999, Nobody)"
head -c 65536 /dev/urandom > "$dir/Broken (1999, Nobody)/film.mp4"
names+=("Broken (1999, Nobody)")

if [ "${3:-}" = -0 ]; then
  printf '%s\0' "${names[@]}"
fi
