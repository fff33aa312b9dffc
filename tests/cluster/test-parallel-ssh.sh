#!/usr/bin/env bash
# test-parallel-ssh.sh GST_PALETTE: issue #15 through GNU parallel over ssh
# to two "nodes", an sshd started by hand on 127.0.0.1 and 127.0.0.2:
#
#   gst-palette list LIBRARY --todo -0 > todo
#   parallel -0 -a todo --joblog J --retries 2 --sshlogin 1/127.0.0.1,1/127.0.0.2 \
#     --ssh "ssh -p PORT -i KEY ..." WORKER {}      WORKER = gst-palette --results
#                                                   RESULTS --film {} LIBRARY
#
# The worker of one film ("Rope", 60 s) is killed with SIGTERM mid-run on
# both its attempts (first on one node, then on the other): parallel gives
# up on it; a second run with --resume-failed redoes it. Then: every film
# has its result, nothing partial is left in the results folder, the
# library is untouched, and the merged catalog's palettes are the same,
# byte for byte apart from ids and dates, as a one-machine run's
# (`gst-palette -c ONE.db LIBRARY`). Skipped (77) when not root or without
# sshd, ssh or parallel. CLUSTER_KEEP=1 keeps the folder.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/cluster-lib.sh"
. "$here/catalog-check.sh"

[ $# = 1 ] || { echo "usage: $0 GST_PALETTE" >&2; exit 2; }
cluster_skip_unless_root sshd ssh ssh-keygen parallel sqlite3 python3 \
  gst-launch-1.0
GP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[ -x "$GP" ] || cluster_fail "$GP is not a program"

N_GOOD=12
BROKEN="Broken (1999, Nobody)"
VICTIM="Rope (1948, Alfred Hitchcock)"

cluster_tmpdir
D=$CLUSTER_DIR
LIB=$D/library
RESULTS=$D/results
mkdir -p "$RESULTS" "$D/worker"

t0=$(now)
GP_LONG_SECONDS=60 bounded 300 "$here/make-library.sh" "$LIB" "$N_GOOD"
library_state () { find "$LIB" -printf '%P %y %s %T@\n' | LC_ALL=C sort; }
library_state > "$D/library.before"
sshd_up "$D"

# The worker: gst-palette on one film, on whichever node parallel sent it
# to. ssh passes no environment, so the test's own (plugins, registry,
# sanitizer options, the mark that finds leftovers) is written into it.
# The victim's first two attempts are killed mid-run: the worker stops the
# process, lets it run in 5 ms steps until its "start" event is out, checks
# that it is not done, then sends SIGTERM.
{
  echo '#!/bin/bash'
  for v in GP LIB RESULTS VICTIM D CLUSTER_MARK GST_PLUGIN_PATH_1_0 \
      GST_REGISTRY_1_0 GST_REGISTRY_FORK GST_DEBUG ASAN_OPTIONS LSAN_OPTIONS \
      UBSAN_OPTIONS; do
    [ -n "${!v+set}" ] && printf 'export %s=%q\n' "$v" "${!v}"
  done
  cat <<'EOF'
set -u
film=$1
read -r _ _ node _ <<< "${SSH_CONNECTION:-- - local -}"
ev=$D/worker/events.$node.$$.jsonl
kill_this=0
if [ "$film" = "$VICTIM" ]; then
  if mkdir "$D/worker/kill.1" 2> /dev/null; then kill_this=1
  elif mkdir "$D/worker/kill.2" 2> /dev/null; then kill_this=2
  fi
fi
if [ "$kill_this" = 0 ]; then
  "$GP" --results "$RESULTS" --events "$ev" --film "$film" "$LIB"
  status=$?
  echo "$node $status $film" >> "$D/worker/runs"
  exit "$status"
fi

key=$(printf '%s' "$film" | sha256sum | cut -c 1-16)
"$GP" --results "$RESULTS" --events "$ev" --film "$film" "$LIB" &
pid=$!
kill -STOP "$pid"
steps=0
while ! grep -qE '"event" *: *"start"' "$ev" 2> /dev/null; do
  kill -0 "$pid" 2> /dev/null || break
  steps=$((steps + 1))
  [ "$steps" -gt 2000 ] && break
  kill -CONT "$pid"; sleep 0.005; kill -STOP "$pid" 2> /dev/null
done
if grep -qE '"event" *: *"start"' "$ev" 2> /dev/null &&
   ! grep -qE '"event" *: *"(done|end)"' "$ev" &&
   ! compgen -G "$RESULTS/*.$key.json" > /dev/null; then
  echo "$node attempt $kill_this: killed mid-run after $steps steps" >> "$D/worker/kills"
else
  echo "$node attempt $kill_this: missed (steps $steps)" >> "$D/worker/kills"
fi
kill -TERM "$pid" 2> /dev/null
kill -CONT "$pid" 2> /dev/null
wait "$pid"
status=$?
echo "$node $status $film (killed)" >> "$D/worker/runs"
exit "$status"
EOF
} > "$D/worker/worker"
chmod +x "$D/worker/worker"

bounded 60 "$GP" list "$LIB" --todo -0 > "$D/todo" ||
  cluster_fail "list --todo exited $?"
n_todo=$(tr -cd '\0' < "$D/todo" | wc -c)
[ "$n_todo" = $((N_GOOD + 1)) ] ||
  cluster_fail "list --todo gave $n_todo films, not $((N_GOOD + 1))"

run_parallel () {
  set +e
  bounded 300 parallel -0 -a "$D/todo" --joblog "$D/joblog" "$@" \
    --sshlogin "$CLUSTER_SSHLOGIN" --ssh "$CLUSTER_SSH" \
    "$D/worker/worker" {} > "$D/log/parallel.out" 2>&1
  parallel_status=$?
  set -e
  [ "$parallel_status" != 124 ] || cluster_fail "parallel did not end within 300 s"
}

# joblog_status FILM: the Exitval of the film's last job in the joblog (its
# Seq is its place in the todo list)
joblog_status () {
  python3 - "$D/todo" "$D/joblog" "$1" <<'PY'
import sys
todo, joblog, film = sys.argv[1], sys.argv[2], sys.argv[3]
names = open(todo, "rb").read().split(b"\0")[:-1]
seq = str(names.index(film.encode("utf-8", "surrogateescape")) + 1).encode()
last = None
with open(joblog, "rb") as f:
    next(f)
    for line in f:
        fields = line.split(b"\t")
        if fields[0] == seq:
            last = fields[6].decode()
print(last)
PY
}

t1=$(now)
run_parallel --retries 2
cluster_log "run 1: parallel exited $parallel_status in $(elapsed "$t1")s"
# parallel's status: the number of jobs whose last try failed. The damaged
# film's first try exits 3 (failed for good, kept as such in the results
# folder); parallel's retry finds it there and skips it (0), as every later
# run does. So only the victim counts.
[ "$parallel_status" = 1 ] || cluster_fail "run 1: parallel exited $parallel_status, not 1"
grep -qxF "127.0.0.1 3 $BROKEN" "$D/worker/runs" ||
  grep -qxF "127.0.0.2 3 $BROKEN" "$D/worker/runs" ||
  cluster_fail "$BROKEN: no try exited 3: $(grep -F "$BROKEN" "$D/worker/runs")"
cat "$D/worker/kills" >&2
[ -d "$D/worker/kill.1" ] && [ -d "$D/worker/kill.2" ] ||
  cluster_fail "the victim was not attempted twice"
grep -q 'killed mid-run' "$D/worker/kills" ||
  cluster_fail "no attempt of $VICTIM was killed mid-run"
[ "$(joblog_status "$VICTIM")" = 143 ] ||
  cluster_fail "$VICTIM: Exitval $(joblog_status "$VICTIM") in the joblog, not 143 (128 + SIGTERM)"
[ "$(joblog_status "$BROKEN")" = 0 ] ||
  cluster_fail "$BROKEN: Exitval $(joblog_status "$BROKEN") in the joblog, not 0 (skipped)"
key=$(printf '%s' "$VICTIM" | sha256sum | cut -c 1-16)
if compgen -G "$RESULTS/*.$key.*" > /dev/null; then
  cluster_fail "the killed film left a file: $(find "$RESULTS" -name "*.$key.*")"
fi

t1=$(now)
run_parallel --retries 2 --resume-failed
cluster_log "run 2 (--resume-failed): parallel exited $parallel_status in $(elapsed "$t1")s"
[ "$parallel_status" = 0 ] || cluster_fail "run 2: parallel exited $parallel_status, not 0"
[ "$(joblog_status "$VICTIM")" = 0 ] ||
  cluster_fail "$VICTIM not redone: Exitval $(joblog_status "$VICTIM")"
hosts=$(tail -n +2 "$D/joblog" | cut -f 2 | sort -u | tr '\n' ' ')
[ "$hosts" = "127.0.0.1 127.0.0.2 " ] || cluster_fail "jobs ran on: $hosts"

# One record per film, nothing partial or temporary left.
n_ok=$(find "$RESULTS" -maxdepth 1 -type f -name '*.json' ! -name '*.failed.json' | wc -l)
n_failed=$(find "$RESULTS" -maxdepth 1 -type f -name '*.failed.json' | wc -l)
n_all=$(find "$RESULTS" -mindepth 1 | wc -l)
[ "$n_ok" = "$N_GOOD" ] && [ "$n_failed" = 1 ] && [ "$n_all" = $((N_GOOD + 1)) ] ||
  { ls -la "$RESULTS" >&2; cluster_fail "results: $n_ok done, $n_failed failed, $n_all entries"; }

bounded 120 "$GP" merge -c "$D/cluster.db" "$RESULTS" ||
  cluster_fail "merge exited $?"
check_catalog "$D/cluster.db" "$LIB" "$BROKEN"

# The same library on one machine, into a catalog outside the library.
set +e
bounded 300 "$GP" -c "$D/one.db" "$LIB" > "$D/log/one-machine.out" 2>&1
one_status=$?
set -e
[ "$one_status" = 3 ] || cluster_fail "one-machine run exited $one_status, not 3"
check_catalog "$D/one.db" "$LIB" "$BROKEN"
palette_dump "$D/one.db" > "$D/one.dump"
palette_dump "$D/cluster.db" > "$D/cluster.dump"
same_or_fail "palettes of the one-machine run and of parallel over ssh" \
  "$D/one.dump" "$D/cluster.dump"

library_state > "$D/library.after"
same_or_fail "the library before and after (workers must not write in it)" \
  "$D/library.before" "$D/library.after"
cluster_log "sshd bring-up ${SSHD_UP_SECONDS}s, whole test $(elapsed "$t0")s"
