#!/usr/bin/env bash
# Scale-out on a REAL single-node Slurm that this test starts itself: the
# samples archive reviewed as a 2-task job array plus a dependent merge job
# must give the same case reports and byte-identical workbooks as one
# single-machine batch. Skipped (exit 77) only where Slurm is not installed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
pingcha="${PINGCHA_BIN:-$root/build/pingcha}"
for tool in sbatch squeue slurmctld slurmd munged mungekey; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool not found — install slurm-wlm and munge (scripts/setup.sh does)"; exit 77
  fi
done
work="$(mktemp -d /tmp/pingcha-slurm.XXXXXX)"
cleanup() { bash "$root/scripts/slurm/local-cluster.sh" stop "$work/cluster" || true; rm -rf "$work"; }
trap cleanup EXIT
eval "$(SLURMCTLD_PORT=$((20000 + RANDOM % 5000)) SLURMD_PORT=$((25000 + RANDOM % 5000)) \
        bash "$root/scripts/slurm/local-cluster.sh" start "$work/cluster")"

echo "== single machine"
"$pingcha" batch "$root/samples/archive" --out "$work/single" --jobs 2 --progress log 2>/dev/null

echo "== job array of 2 shards + merge"
cd "$work"
ids=$(PINGCHA="$pingcha" bash "$root/scripts/slurm/submit.sh" "$root/samples/archive" "$work/cluster-out" 2)
echo "jobs: $ids"
# sbatch --wait polls slowly (2 s, 8 s, then every 32 s): watch the queue instead.
for i in $(seq 1 900); do
  queue="$(squeue -h -j "${ids// /,}" -o '%i %T %r' 2>/dev/null || true)"
  [ -z "$queue" ] && break
  # A job that can never start (e.g. asks for more CPUs than the node has)
  # must fail the test, not hang it.
  if [ "$i" -gt 30 ] && echo "$queue" | grep -qE 'PENDING (PartitionConfig|ReqNodeNotAvail|BadConstraints|JobHeldAdmin)'; then
    echo "FAIL: jobs cannot start:"; echo "$queue"; exit 1
  fi
  sleep 1
done
merge_id="${ids#* }"
state=$(sacct -n -j "$merge_id" -o State 2>/dev/null | head -1 | tr -d ' ' || true)
[ -n "$state" ] && echo "merge job state: $state"
# The exit code of a job is not proof: check the outputs themselves.
test -f "$work/cluster-out/workbooks/附件3_行政执法案卷统计表.xlsx" || { echo "FAIL: no merged workbooks"; cat "$work"/pingcha-*.log; exit 1; }
n_single=$(ls "$work/single/cases" | wc -l); n_cluster=$(ls "$work/cluster-out/cases" | wc -l)
[ "$n_single" = "$n_cluster" ] || { echo "FAIL: $n_single reports vs $n_cluster"; exit 1; }
diff -r "$work/single/cases" "$work/cluster-out/cases" >/dev/null || { echo "FAIL: case reports differ"; exit 1; }
diff -r "$work/single/workbooks" "$work/cluster-out/workbooks" || { echo "FAIL: workbooks differ"; exit 1; }
# Both shards did work (the split is real).
for k in 1 2; do
  [ "$(ls "$work/cluster-out.shard.$k/cases" | wc -l)" -gt 0 ] || { echo "FAIL: shard $k reviewed nothing"; exit 1; }
done
echo "PASS: $n_cluster case reports and the workbooks are identical to the single-machine run"
