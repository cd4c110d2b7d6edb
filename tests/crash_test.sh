#!/usr/bin/env bash
# Crash safety: kill -9 a batch in the middle, rerun it, and check that
# nothing is lost or corrupted and that finished cases are not redone; then
# Ctrl-C (SIGINT) a batch and check its exit code and what it kept.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
pingcha="${PINGCHA_BIN:-$root/build/pingcha}"
work="$(mktemp -d /tmp/pingcha-crash.XXXXXX)"
trap 'rm -rf "$work"' EXIT
out="$work/out"

wait_for_reports() {  # wait until at least $1 reports exist (max 300 s)
  for _ in $(seq 1 600); do
    n=$(find "$out/cases" -name '*.json' 2>/dev/null | wc -l || true)
    [ "$n" -ge "$1" ] && return 0
    sleep 0.5
  done
  echo "FAIL: no reports appeared"; exit 1
}

echo "== kill -9 in the middle"
"$pingcha" batch "$root/samples/archive" --out "$out" --jobs 1 --progress log 2>"$work/run1.log" &
pid=$!
wait_for_reports 2
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
before=$(find "$out/cases" -name '*.json' | wc -l)
echo "killed with $before finished reports"
for f in "$out"/cases/*.json; do
  python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$f" || { echo "FAIL: corrupt report $f"; exit 1; }
done

echo "== rerun"
"$pingcha" batch "$root/samples/archive" --out "$out" --jobs 2 --progress log 2>"$work/run2.log"
reused=$(grep -c "unchanged" "$work/run2.log" || true)
total=$(find "$out/cases" -name '*.json' | wc -l)
[ "$total" -eq 5 ] || { echo "FAIL: $total reports after the rerun"; exit 1; }
[ "$reused" -ge "$before" ] || { echo "FAIL: only $reused of $before finished cases were reused"; cat "$work/run2.log"; exit 1; }
[ -z "$(find "$out" -name '*.tmp-*')" ] || { echo "FAIL: temporary files left"; exit 1; }
test -f "$out/workbooks/附件3_行政执法案卷统计表.xlsx" || { echo "FAIL: no workbooks"; exit 1; }

echo "== the same reports as an uninterrupted run"
"$pingcha" batch "$root/samples/archive" --out "$work/clean" --jobs 2 --progress log 2>/dev/null
diff -r "$out/cases" "$work/clean/cases" >/dev/null || { echo "FAIL: reports differ from a clean run"; exit 1; }
diff -r "$out/workbooks" "$work/clean/workbooks" >/dev/null || { echo "FAIL: workbooks differ from a clean run"; exit 1; }

echo "== Ctrl-C"
rm -rf "$work/int"
"$pingcha" batch "$root/samples/archive" --out "$work/int" --jobs 1 --fresh --progress log 2>"$work/run3.log" &
pid=$!
out="$work/int" wait_for_reports 1
kill -INT "$pid"
rc=0; wait "$pid" || rc=$?
[ "$rc" -eq 130 ] || { echo "FAIL: exit code $rc after SIGINT, expected 130"; exit 1; }
for f in "$work"/int/cases/*.json; do python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$f"; done
echo "PASS: kill -9 lost nothing ($before reports kept, $reused reused), rerun equals a clean run, SIGINT exits 130"
