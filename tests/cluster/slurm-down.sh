#!/usr/bin/env bash
# slurm-down.sh DIR: cancel the jobs and stop the daemons slurm-up.sh DIR
# started, by their PIDs (DIR/*.bgpid).
set -euo pipefail
. "$(dirname "$0")/cluster-lib.sh"
[ $# = 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
dir=$(cd "$1" && pwd)
slurm_down "$dir"
if ! wait_until 10 "the last processes of $dir to end" no_leftovers "$dir"; then
  cluster_sweep "$dir" || true
fi
