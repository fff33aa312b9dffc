#!/usr/bin/env bash
# test-slurm.sh GST_PALETTE: issue #15 on a real one-node Slurm cluster.
# munged, slurmctld and slurmd are started by hand (root, no systemd), a
# library of 12 good films and a damaged one is made, a job array of 4
# shards runs `gst-palette --shard K/4 --results RESULTS LIBRARY`, the
# results are merged into a catalog, and the catalog and the exit codes are
# checked: every good film exactly one palette, the damaged film its error,
# exit code 3 for the shard that had the damaged film and 0 for the others.
# Everything lives in a folder under $TMPDIR; the daemons are stopped by
# PID at the end and nothing may be left running. Skipped (77) when not
# root or without Slurm and MUNGE. CLUSTER_KEEP=1 keeps the folder.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/cluster-lib.sh"
. "$here/catalog-check.sh"

[ $# = 1 ] || { echo "usage: $0 GST_PALETTE" >&2; exit 2; }
cluster_skip_unless_root munged mungekey slurmctld slurmd sinfo sbatch \
  scontrol squeue scancel sqlite3 python3 gst-launch-1.0
GP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[ -x "$GP" ] || cluster_fail "$GP is not a program"

N_SHARDS=4
N_GOOD=12
BROKEN="Broken (1999, Nobody)"

cluster_tmpdir
D=$CLUSTER_DIR
LIB=$D/library
RESULTS=$D/results
mkdir -p "$RESULTS" "$D/tasks"

t0=$(now)
slurm_up "$D"
bounded 300 "$here/make-library.sh" "$LIB" "$N_GOOD"
cluster_log "library of $((N_GOOD + 1)) films made in $(elapsed "$t0")s (with bring-up)"

# The batch script: one shard, its exit status and its events kept per task.
# sbatch passes our environment on (GP, LIB, RESULTS, the test's
# GST_PLUGIN_PATH_1_0/GST_REGISTRY_1_0, CLUSTER_MARK).
export GP LIB RESULTS N_SHARDS TASKS=$D/tasks
cat > "$D/shard.sbatch" <<'EOF'
#!/bin/bash
k=$SLURM_ARRAY_TASK_ID
"$GP" --shard "$k/$N_SHARDS" --results "$RESULTS" \
  --events "$TASKS/events.$k.jsonl" "$LIB"
status=$?
echo "$status" > "$TASKS/status.$k"
exit "$status"
EOF

t1=$(now)
set +e
bounded 300 sbatch --wait --parsable --array=0-$((N_SHARDS - 1)) \
  --job-name=gp-shards --output="$D/log/task-%a.out" "$D/shard.sbatch" \
  > "$D/sbatch.out"
sbatch_status=$?
set -e
job=$(cut -d ';' -f 1 "$D/sbatch.out")
cluster_log "job array $job: sbatch --wait returned $sbatch_status after $(elapsed "$t1")s"
[ "$sbatch_status" != 124 ] || cluster_fail "the job array did not end within 300 s"

# Each task's own exit status, and Slurm's view of it.
declare -A status
for k in $(seq 0 $((N_SHARDS - 1))); do
  [ -s "$D/tasks/status.$k" ] || cluster_fail "task $k left no exit status"
  status[$k]=$(cat "$D/tasks/status.$k")
  slurm_code=$(scontrol show job "${job}_$k" | grep -o 'ExitCode=[0-9]*' | head -n 1)
  [ "$slurm_code" = "ExitCode=${status[$k]}" ] ||
    cluster_fail "task $k: status ${status[$k]} but Slurm says $slurm_code"
done
cluster_log "exit codes by task: $(for k in $(seq 0 $((N_SHARDS - 1))); do printf '%s=%s ' "$k" "${status[$k]}"; done)"
for k in $(seq 0 $((N_SHARDS - 1))); do
  case ${status[$k]} in
    0|3) ;;
    *) cat "$D/log/task-$k.out" >&2
       cluster_fail "task $k exited ${status[$k]} (0 or 3 expected)" ;;
  esac
done

# Which task had the damaged film, from the events: each film started by
# exactly one task, the damaged one failed as bad media in that one.
broken_task=$(python3 - "$D/tasks" "$N_SHARDS" "$BROKEN" "$((N_GOOD + 1))" <<'PY'
import json, sys
folder, n, broken, n_films = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
seen, broken_task = {}, None
for k in range(n):
    for line in open(f"{folder}/events.{k}.jsonl", "rb"):
        e = json.loads(line)
        for key in ("event", "host", "pid", "time"):
            assert key in e, f"task {k}: event without {key}: {e}"
        if e["event"] == "start":
            assert e["film"] not in seen, f"{e['film']!r} in tasks {seen.get(e['film'])} and {k}"
            seen[e["film"]] = k
        if e["event"] == "fail" and e["film"].startswith(broken.split(" (")[0]):
            assert e.get("class") == "bad-media", f"task {k}: {e}"
            assert e.get("error"), f"task {k}: fail without error: {e}"
            broken_task = k
        if e["event"] == "end":
            assert "exit_status" in e, e
assert len(seen) == n_films, f"{len(seen)} films started, not {n_films}: {sorted(seen)}"
assert broken_task is not None, "no task failed the damaged film"
print(broken_task)
PY
) || cluster_fail "events (tasks/events.K.jsonl) do not add up"
for k in "${!status[@]}"; do
  want=0
  [ "$k" = "$broken_task" ] && want=3
  [ "${status[$k]}" = "$want" ] ||
    cluster_fail "task $k exited ${status[$k]}, not $want (damaged film in task $broken_task)"
done

# The results folder: one record per film, nothing else (no temporary file).
n_ok=$(find "$RESULTS" -maxdepth 1 -type f -name '*.json' ! -name '*.failed.json' | wc -l)
n_failed=$(find "$RESULTS" -maxdepth 1 -type f -name '*.failed.json' | wc -l)
n_all=$(find "$RESULTS" -mindepth 1 | wc -l)
[ "$n_ok" = "$N_GOOD" ] && [ "$n_failed" = 1 ] && [ "$n_all" = $((N_GOOD + 1)) ] ||
  { ls -la "$RESULTS" >&2; cluster_fail "results: $n_ok done, $n_failed failed, $n_all entries"; }

bounded 120 "$GP" merge -c "$D/catalog.db" "$RESULTS" ||
  cluster_fail "merge exited $?"
check_catalog "$D/catalog.db" "$LIB" "$BROKEN"
cluster_log "slurm bring-up ${SLURM_UP_SECONDS}s, whole test $(elapsed "$t0")s"
