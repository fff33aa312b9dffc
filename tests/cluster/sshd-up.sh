#!/usr/bin/env bash
# sshd-up.sh DIR: start an sshd on 127.0.0.1 and 127.0.0.2 (a free high
# port, host and user keys made in DIR/ssh) and leave it running; stop it
# with sshd-down.sh DIR. Prints the --ssh and --sshlogin for GNU parallel.
set -euo pipefail
. "$(dirname "$0")/cluster-lib.sh"
[ $# = 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
cluster_skip_unless_root sshd ssh ssh-keygen
mkdir -p "$1"
dir=$(cd "$1" && pwd)
if ! sshd_up "$dir"; then
  sshd_down "$dir"
  exit 1
fi
printf 'parallel --ssh %q --sshlogin %s ...   # up in %ss\n' \
  "$CLUSTER_SSH" "$CLUSTER_SSHLOGIN" "$SSHD_UP_SECONDS"
