#!/usr/bin/env bash
# test-merge.sh GST_PALETTE: `gst-palette merge -c CATALOG SOURCE...` is
# idempotent and order-independent and keeps every palette once (issue #15).
# Two results folders (shards 0/2 and 1/2, the second with K from
# $JOB_COMPLETION_INDEX) and a shard catalog are made from one library, then
#
#   merge A  ra rb   then   merge A  ra rb  again   whole .dump unchanged
#   merge B  rb ra                                  same content as A
#   merge C  ra,  then  merge C  rb                 same content as A
#   merge D  A.db ra rb     (a catalog as a source)  same content as A
#   merge E  shard0.db rb   (a shard catalog)        one palette a film
#   merge F  shard0.db ra rb                          shard 0's films: two
#                                                     palettes (two ids)
#
# "Same content": every row of every table, palette ids and dates included;
# only the merge's own movie ids and movies.added left aside. No daemon, no
# root: runs anywhere.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/cluster-lib.sh"
. "$here/catalog-check.sh"

[ $# = 1 ] || { echo "usage: $0 GST_PALETTE" >&2; exit 2; }
for c in sqlite3 gst-launch-1.0; do
  command -v "$c" > /dev/null || { echo "skipped: $c not found"; exit 77; }
done
GP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[ -x "$GP" ] || cluster_fail "$GP is not a program"

N_GOOD=12
BROKEN="Broken (1999, Nobody)"

cluster_tmpdir
D=$CLUSTER_DIR
LIB=$D/library
t0=$(now)
bounded 300 "$here/make-library.sh" "$LIB" "$N_GOOD"

# run_status EXPECTED... -- CMD...: CMD's exit status (in $status) must be
# one of EXPECTED
run_status () {
  local want=()
  while [ "$1" != -- ]; do want+=("$1"); shift; done
  shift
  set +e
  bounded 300 "$@" > "$D/log/last.out" 2>&1
  status=$?
  set -e
  case " ${want[*]} " in
    *" $status "*) ;;
    *) cat "$D/log/last.out" >&2; cluster_fail "$* exited $status, not ${want[*]}" ;;
  esac
}

mkdir -p "$D/log"
run_status 0 3 -- "$GP" --shard 0/2 --results "$D/ra" "$LIB"
sa=$status
run_status 0 3 -- env JOB_COMPLETION_INDEX=1 "$GP" --shard 2 --results "$D/rb" "$LIB"
sb=$status
[ "$((sa + sb))" = 3 ] || cluster_fail "shard exit codes $sa and $sb: the damaged film is in exactly one"
run_status 0 3 -- "$GP" -c "$D/shard0.db" --shard 0/2 "$LIB"
s0=$status
[ "$s0" = "$sa" ] || cluster_fail "shard 0/2 exited $sa with --results, $s0 with a catalog"
n_a=$(find "$D/ra" -name '*.json' ! -name '*.failed.json' | wc -l)
n_b=$(find "$D/rb" -name '*.json' ! -name '*.failed.json' | wc -l)
[ $((n_a + n_b)) = "$N_GOOD" ] || cluster_fail "shards gave $n_a + $n_b palettes, not $N_GOOD"
cluster_log "shard 0/2: $n_a palettes (exit $sa), shard 1/2: $n_b (exit $sb)"

merge () { run_status 0 -- "$GP" merge -c "$@"; }

merge "$D/A.db" "$D/ra" "$D/rb"
check_catalog "$D/A.db" "$LIB" "$BROKEN"
sqlite3 "$D/A.db" .dump > "$D/A.1.dump"
merge "$D/A.db" "$D/ra" "$D/rb"
sqlite3 "$D/A.db" .dump > "$D/A.2.dump"
same_or_fail "A.db merged once and twice (sqlite3 .dump)" "$D/A.1.dump" "$D/A.2.dump"
merge "$D/A.db" "$D/rb"
sqlite3 "$D/A.db" .dump > "$D/A.3.dump"
same_or_fail "A.db merged once and after one more folder (sqlite3 .dump)" \
  "$D/A.1.dump" "$D/A.3.dump"

merge "$D/B.db" "$D/rb" "$D/ra"
merge "$D/C.db" "$D/ra"
merge "$D/C.db" "$D/rb"
merge "$D/D.db" "$D/A.db" "$D/ra" "$D/rb"
catalog_content "$D/A.db" > "$D/A.content"
for x in B C D; do
  check_catalog "$D/$x.db" "$LIB" "$BROKEN"
  catalog_content "$D/$x.db" > "$D/$x.content"
  same_or_fail "catalogs A.db and $x.db" "$D/A.content" "$D/$x.content"
done

# A shard catalog as a source: its palettes, once each.
merge "$D/E.db" "$D/shard0.db" "$D/rb"
check_catalog "$D/E.db" "$LIB" "$BROKEN"
merge "$D/E.db" "$D/rb" "$D/shard0.db"
check_catalog "$D/E.db" "$LIB" "$BROKEN"

# shard0.db and ra computed shard 0 separately: two palettes (two ids) for
# each of its films, each kept once.
merge "$D/F.db" "$D/shard0.db" "$D/ra" "$D/rb"
merge "$D/F.db" "$D/ra" "$D/shard0.db"
got=$(q "$D/F.db" "SELECT count(*) FROM palettes")
[ "$got" = $((2 * n_a + n_b)) ] ||
  cluster_fail "F.db: $got palettes, not $((2 * n_a + n_b)) (2 x $n_a + $n_b)"
got=$(q "$D/F.db" "SELECT count(DISTINCT id) FROM palettes")
[ "$got" = $((2 * n_a + n_b)) ] || cluster_fail "F.db: palette ids repeat"
cluster_log "merges idempotent and order-independent; whole test $(elapsed "$t0")s"
