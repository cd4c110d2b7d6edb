#!/usr/bin/env bash
# Submits a sharded pingcha batch to Slurm: an N-task job array, then a merge
# job that runs when every shard succeeded. Prints the two job ids.
#   scripts/slurm/submit.sh ARCHIVE OUT N [sbatch options...]
# PINGCHA (the binary) must be reachable from every node; OUT on shared storage.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
archive="$(realpath "$1")"; out="$(realpath -m "$2")"; n="$3"; shift 3
export PINGCHA="${PINGCHA:-$(realpath "$here/../../build/pingcha")}"
array=$(sbatch --parsable --export=ALL --array="1-$n" "$@" "$here/pingcha-array.sbatch" "$archive" "$out.shard")
merge=$(sbatch --parsable --export=ALL --dependency="afterok:$array" "$@" "$here/pingcha-merge.sbatch" "$out.shard" "$n" "$out")
echo "$array $merge"
