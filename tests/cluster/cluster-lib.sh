# tests/cluster/cluster-lib.sh: sourced (bash) by the cluster tests and by
# slurm-up.sh/sshd-up.sh. A one-node Slurm cluster (munged, slurmctld,
# slurmd) and an sshd on 127.0.0.1 and 127.0.0.2, started by hand as root,
# everything (keys, sockets, state, logs, PID files) in one folder, and
# stopped by PID. No systemd, nothing in /etc.
#
#   cluster_skip_unless_root CMD...   exit 77 (meson: skipped) when not root
#                                     or a command is missing
#   cluster_tmpdir                    CLUSTER_DIR: a new folder under $TMPDIR,
#                                     removed, with every daemon stopped, on exit
#   slurm_up DIR / slurm_down DIR     munged + slurmctld + slurmd; exports
#                                     SLURM_CONF; SLURM_UP_SECONDS
#   sshd_up DIR / sshd_down DIR       exports CLUSTER_SSH (the ssh command
#                                     for parallel --ssh) and CLUSTER_SSHLOGIN
#   wait_until SECONDS WHAT CMD...    poll CMD every 0.1 s, fail after SECONDS
#   bounded SECONDS CMD...            CMD under timeout, waited for so that a
#                                     signal reaches the test's trap at once
#   cluster_leftovers DIR             PIDs of processes still marked with DIR

# Every process we start (daemons, jobs, ssh workers) carries this in its
# environment, so that the end of a test can find any that outlived it.
: "${CLUSTER_MARK:=}"

cluster_log () { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
cluster_fail () { cluster_log "FAIL: $*"; exit 1; }

cluster_skip_unless_root () {
  if [ "$(id -u)" != 0 ]; then
    echo "skipped: needs root (starts munged, slurmctld, slurmd, sshd by hand)"
    exit 77
  fi
  local c
  for c in "$@"; do
    if ! command -v "$c" > /dev/null 2>&1 && [ ! -x "/usr/sbin/$c" ]; then
      echo "skipped: $c not found (apt-get install slurmctld slurmd slurm-client munge openssh-server openssh-client parallel; see .ci/packages.txt)"
      exit 77
    fi
  done
}

# sbin is not always in a non-login root PATH
case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH=$PATH:/usr/sbin:/sbin ;; esac

now () { date +%s.%N; }

# A foreground command delays the shell's traps until it ends; `wait` does
# not. timeout runs CMD in a process group of its own: the reaper finds it
# by its mark.
bounded () {
  local limit=$1
  shift
  timeout -k 10 "$limit" "$@" &
  wait $!
}
elapsed () { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

wait_until () {
  local limit=$1 what=$2 start
  shift 2
  start=$(now)
  while ! "$@" > /dev/null 2>&1; do
    if awk -v a="$start" -v b="$(now)" -v l="$limit" 'BEGIN { exit !(b - a > l) }'; then
      cluster_log "timed out after ${limit}s waiting for $what"
      return 1
    fi
    sleep 0.1
  done
}

# A TCP port free on 127.0.0.1 now (a later bind may still race: rare).
free_port () {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# stop_pid FILE NAME: TERM the PID in FILE, KILL it after 10 s.
stop_pid () {
  local file=$1 name=$2 pid _
  [ -s "$file" ] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2> /dev/null; then
    kill -TERM "$pid" 2> /dev/null || true
    for _ in $(seq 100); do
      kill -0 "$pid" 2> /dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2> /dev/null; then
      cluster_log "$name (pid $pid) ignored SIGTERM for 10 s: SIGKILL"
      kill -KILL "$pid" 2> /dev/null || true
    fi
  fi
  # reap it when it is our child
  wait "$pid" 2> /dev/null || true
  rm -f "$file"
}

# start_bg DIR NAME CMD...: CMD in the background (it must stay in the
# foreground itself: -D, -F), its PID in DIR/NAME.bgpid, its output in
# DIR/log/NAME.out. It stays in our process group, so a test runner that
# kills the group on a timeout kills it too.
start_bg () {
  local dir=$1 name=$2
  shift 2
  mkdir -p "$dir/log"
  "$@" > "$dir/log/$name.out" 2>&1 < /dev/null &
  echo $! > "$dir/$name.bgpid"
}

# PIDs of the processes that belong to DIR: those whose environment
# carries its mark (our daemons, the jobs, the ssh workers) and those with a
# file under DIR open (slurmstepd, which overwrites its environment with its
# process title, keeps the job's output and slurmd's log open).
cluster_leftovers () {
  # sort runs while the scan does: without the mark
  ( export -n CLUSTER_MARK; _cluster_leftovers "$@" | sort -un )
}
_cluster_leftovers () {
  local mark="CLUSTER_MARK=$1" p e
  for p in /proc/[0-9]*; do
    # read in bash itself: a tr or grep started here would carry the mark
    while IFS= read -r -d '' e; do
      if [ "$e" = "$mark" ]; then
        echo "${p#/proc/}"
        break
      fi
    done 2> /dev/null < "$p/environ" || true
  done
  find /proc/[0-9]*/fd -maxdepth 1 -lname "$1/*" -printf '%h\n' 2> /dev/null |
    cut -d / -f 3
}

no_leftovers () { [ -z "$(cluster_leftovers "$1")" ]; }

# Kill what is left (slurmstepd, job steps, ssh sessions), by PID.
cluster_sweep () {
  local dir=$1 pids
  pids=$(cluster_leftovers "$dir")
  [ -z "$pids" ] && return 0
  # shellcheck disable=SC2086 # one PID a word
  cluster_log "still running, marked with $dir:" $pids
  # shellcheck disable=SC2086
  kill -TERM $pids 2> /dev/null || true
  sleep 1
  pids=$(cluster_leftovers "$dir")
  # shellcheck disable=SC2086
  if [ -n "$pids" ]; then kill -KILL $pids 2> /dev/null || true; fi
  return 1
}

# ---------------------------------------------------------------- Slurm

slurm_write_conf () {
  local dir=$1 host cpus ctld_port d_port
  host=$(hostname -s)
  cpus=$(nproc)
  ctld_port=$(free_port)
  d_port=$(free_port)
  while [ "$d_port" = "$ctld_port" ]; do d_port=$(free_port); done
  mkdir -p "$dir/state" "$dir/spool" "$dir/log"
  cat > "$dir/slurm.conf" <<EOF
# A one-node cluster for the gst-palette tests (tests/cluster/cluster-lib.sh)
ClusterName=gpcluster
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
AuthType=auth/munge
CredType=cred/munge
# munged of this folder (used by auth/munge and cred/munge); cred_expire
# is also how long a requeued job waits before it may start again
AuthInfo=socket=$dir/munge/munge.socket,cred_expire=${CLUSTER_CRED_EXPIRE:-120}
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
# finished jobs stay in scontrol show job for 10 minutes (no accounting)
MinJobAge=600
MailProg=/bin/true
${CLUSTER_SLURM_EXTRA:-}
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=500 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
}

munge_up () {
  local dir=$1
  # munged insists that every folder above its socket is searchable by all
  chmod 755 "$dir"
  mkdir -p "$dir/munge" "$dir/log"
  chmod 755 "$dir/munge"
  mungekey --create --keyfile="$dir/munge/munge.key" 2> /dev/null ||
    dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$dir/munge/munge.key"
  start_bg "$dir" munged munged -F --key-file="$dir/munge/munge.key" \
    --socket="$dir/munge/munge.socket" --pid-file="$dir/munge/munged.pid" \
    --seed-file="$dir/munge/munged.seed" --log-file="$dir/log/munged.log"
  wait_until 10 "munged's socket" test -S "$dir/munge/munge.socket" ||
    { cat "$dir/log/munged.out" >&2; return 1; }
}

no_jobs () { [ -z "$(timeout 5 squeue -h 2> /dev/null)" ]; }
node_idle () { [ "$(timeout 5 sinfo -h -o %t 2> /dev/null)" = idle ]; }

slurm_up () {
  local dir=$1 start
  start=$(now)
  export CLUSTER_MARK=$dir
  munge_up "$dir" || return 1
  slurm_write_conf "$dir"
  export SLURM_CONF=$dir/slurm.conf
  start_bg "$dir" slurmctld slurmctld -D -c -f "$SLURM_CONF"
  start_bg "$dir" slurmd slurmd -D -f "$SLURM_CONF"
  if ! wait_until 60 "the node to be idle in sinfo" node_idle; then
    sinfo >&2 || true
    tail -n 20 "$dir/log/slurmctld.out" "$dir/log/slurmd.out" >&2 || true
    return 1
  fi
  SLURM_UP_SECONDS=$(elapsed "$start")
  cluster_log "slurm up in ${SLURM_UP_SECONDS}s (munged, slurmctld, slurmd; SLURM_CONF=$SLURM_CONF)"
}

slurm_down () {
  local dir=$1
  if [ -s "$dir/slurmctld.bgpid" ] && [ -f "$dir/slurm.conf" ] &&
     kill -0 "$(cat "$dir/slurmctld.bgpid")" 2> /dev/null; then
    export SLURM_CONF=$dir/slurm.conf
    timeout 10 scancel --partition=debug > /dev/null 2>&1 || true
    wait_until 15 "jobs to end" no_jobs || true
  fi
  stop_pid "$dir/slurmd.bgpid" slurmd
  stop_pid "$dir/slurmctld.bgpid" slurmctld
  stop_pid "$dir/munged.bgpid" munged
}

# ---------------------------------------------------------------- sshd

sshd_up () {
  local dir=$1 port start
  start=$(now)
  export CLUSTER_MARK=$dir
  mkdir -p "$dir/ssh" "$dir/log"
  chmod 755 "$dir"
  ssh-keygen -q -t ed25519 -N '' -C gp-host -f "$dir/ssh/host_key"
  ssh-keygen -q -t ed25519 -N '' -C gp-user -f "$dir/ssh/id_ed25519"
  cp "$dir/ssh/id_ed25519.pub" "$dir/ssh/authorized_keys"
  port=$(free_port)
  cat > "$dir/ssh/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
ListenAddress 127.0.0.2
HostKey $dir/ssh/host_key
PidFile $dir/ssh/sshd.pid
AuthorizedKeysFile $dir/ssh/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
# the key lives under \$TMPDIR, which is world-writable
StrictModes no
PrintMotd no
MaxStartups 100
LogLevel INFO
EOF
  # sshd's privilege separation folder is compiled in; Debian makes it at
  # boot (systemd-tmpfiles), which a container may not have done
  if [ ! -d /run/sshd ]; then
    mkdir -p /run/sshd
    chmod 755 /run/sshd
  fi
  start_bg "$dir" sshd /usr/sbin/sshd -D -e -f "$dir/ssh/sshd_config"
  CLUSTER_SSH="ssh -p $port -i $dir/ssh/id_ed25519 -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR -o ConnectTimeout=10"
  CLUSTER_SSHLOGIN=1/127.0.0.1,1/127.0.0.2
  export CLUSTER_SSH CLUSTER_SSHLOGIN
  # shellcheck disable=SC2086
  if ! wait_until 30 "sshd on 127.0.0.1" $CLUSTER_SSH 127.0.0.1 true ||
     ! wait_until 30 "sshd on 127.0.0.2" $CLUSTER_SSH 127.0.0.2 true; then
    cat "$dir/log/sshd.out" >&2
    return 1
  fi
  SSHD_UP_SECONDS=$(elapsed "$start")
  cluster_log "sshd up in ${SSHD_UP_SECONDS}s on 127.0.0.1 and 127.0.0.2 port $port"
}

sshd_down () {
  stop_pid "$1/sshd.bgpid" sshd
}

# ---------------------------------------------------------------- a test

# cluster_tmpdir: CLUSTER_DIR, with an exit trap that stops the daemons
# by PID, kills anything else still marked with the folder, fails the test
# when something had to be killed, and removes the folder (kept with
# CLUSTER_KEEP=1). On SIGTERM, SIGINT or SIGHUP (meson's timeout, Ctrl-C)
# the same is done by a reaper in a session of its own, which the SIGKILL
# meson sends the test's process group half a second later cannot reach.
cluster_tmpdir () {
  CLUSTER_DIR=$(mktemp -d "${TMPDIR:-/tmp}/gp-cluster.XXXXXX")
  export CLUSTER_MARK=$CLUSTER_DIR
  trap cluster_cleanup EXIT
  trap 'cluster_on_signal 143' TERM
  trap 'cluster_on_signal 130' INT
  trap 'cluster_on_signal 129' HUP
}

cluster_on_signal () {
  trap - EXIT TERM INT HUP
  cluster_log "stopped by a signal: stopping the daemons of $CLUSTER_DIR in the background"
  # shellcheck disable=SC2016 # expanded by the reaper's bash
  env -u CLUSTER_MARK setsid bash -c '. "$1"; cluster_stop_all "$2" > /dev/null 2>&1' \
    _ "${BASH_SOURCE[0]}" "$CLUSTER_DIR" < /dev/null > /dev/null 2>&1 &
  exit "$1"
}

# cluster_stop_all DIR: daemons by PID, then whatever still carries the
# mark of DIR; 0 when nothing had to be killed.
cluster_stop_all () {
  local dir=$1 clean=0
  slurm_down "$dir" 2> /dev/null || true
  sshd_down "$dir" || true
  if ! wait_until 10 "the last processes of $dir to end" no_leftovers "$dir"; then
    cluster_sweep "$dir" || true
    clean=1
  fi
  [ "${CLUSTER_KEEP:-0}" = 1 ] || rm -rf "$dir"
  return "$clean"
}

cluster_cleanup () {
  local status=$? dir=$CLUSTER_DIR f
  trap - EXIT TERM INT HUP
  [ -n "$dir" ] && [ -d "$dir" ] || exit "$status"
  if ! CLUSTER_KEEP=1 cluster_stop_all "$dir"; then
    cluster_log "FAIL: processes outlived the test"
    [ "$status" = 0 ] && status=1
  fi
  if [ "$status" != 0 ] && [ "$status" != 77 ]; then
    for f in "$dir"/log/*; do
      [ -s "$f" ] || continue
      echo "---- ${f#"$dir"/} (last 15 lines)" >&2
      tail -n 15 "$f" >&2
    done
  fi
  if [ "${CLUSTER_KEEP:-0}" = 1 ]; then
    cluster_log "kept $dir"
  else
    rm -rf "$dir"
  fi
  exit "$status"
}
