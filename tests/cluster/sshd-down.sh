#!/usr/bin/env bash
# sshd-down.sh DIR: stop the sshd sshd-up.sh DIR started, by its PID.
set -euo pipefail
. "$(dirname "$0")/cluster-lib.sh"
[ $# = 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
dir=$(cd "$1" && pwd)
sshd_down "$dir"
