#!/usr/bin/env bash
# slurm-up.sh DIR: start a one-node Slurm cluster (munged, slurmctld, slurmd)
# by hand as root, everything in DIR (made if missing), and leave it running;
# stop it with slurm-down.sh DIR. Then: export SLURM_CONF=DIR/slurm.conf.
set -euo pipefail
. "$(dirname "$0")/cluster-lib.sh"
[ $# = 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
cluster_skip_unless_root munged mungekey slurmctld slurmd sinfo
mkdir -p "$1"
dir=$(cd "$1" && pwd)
if ! slurm_up "$dir"; then
  slurm_down "$dir"
  exit 1
fi
echo "export SLURM_CONF=$dir/slurm.conf   # up in ${SLURM_UP_SECONDS}s"
