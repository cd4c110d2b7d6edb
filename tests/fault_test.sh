#!/usr/bin/env bash
# Hostile and broken input, end to end: builds the fault corpus
# (scripts/fault-corpus.sh) in a temporary folder, runs the real
# build/pingcha on it, and checks for every file that the batch goes on, that
# its case report has the expected status, a stable error code and a message
# naming the file (no absolute path), that the workbook's 未能评查案卷 sheet
# lists exactly the failed files, that nothing is written outside OUT, that
# nothing earlier is lost, that nothing hangs (every run under `timeout`), and
# the exit codes of README "Exit codes" (130 is covered by crash_test.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
pingcha="${PINGCHA_BIN:-$root/build/pingcha}"
py=/usr/bin/python3
work="$(mktemp -d /tmp/pingcha-fault.XXXXXX)"
mounts=()
cleanup() {
  for m in "${mounts[@]}"; do umount "$m" 2>/dev/null || true; done
  chmod -R u+rwX "$work" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

# run WANT_RC NAME ARGS... — runs pingcha (at most 300 s), stderr to $logs/NAME.log.
logs="$work/logs"
run() {
  local want=$1 name=$2 rc=0
  shift 2
  TMPDIR="$work/tmp" timeout --kill-after=10 300 "$pingcha" "$@" >"$logs/$name.out" 2>"$logs/$name.log" || rc=$?
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then fail "$name: pingcha hung (killed after 300 s)"; fi
  if [ "$rc" -ne "$want" ]; then cat "$logs/$name.log"; fail "$name: exit code $rc, expected $want"; fi
  echo "ok: $name exits $rc"
}
# Everything under $work except the output folders, the logs and TMPDIR
# (libxlsxwriter keeps its worksheets in anonymous temporary files there,
# unlinked as soon as they are created; it must be empty afterwards), with
# sizes, times and modes.
snapshot() {
  (cd "$work" && find . -mindepth 1 \( -path './out*' -o -path ./logs -o -path ./tmp \) -prune -o \
     -printf '%p\t%y\t%s\t%T@\t%m\n' | LC_ALL=C sort)
}

mkdir -p "$work/tmp" "$logs"
bash "$root/scripts/fault-corpus.sh" "$work/corpus"
archive="$work/corpus/archive"

echo "== the fault corpus"
out="$work/out"
mkdir -p "$out"
echo "an operator's note, not pingcha's" >"$out/operator-note.txt"
snapshot >"$logs/snap.before"
run 4 corpus batch "$archive" --out "$out" --jobs 2 --progress log
snapshot >"$logs/snap.after"
diff "$logs/snap.before" "$logs/snap.after" || fail "files outside OUT changed"
[ -z "$(ls -A "$work/tmp")" ] || fail "temporary files left in TMPDIR: $(ls -A "$work/tmp")"
grep -q "an operator's note" "$out/operator-note.txt" || fail "an earlier file in OUT was lost"
[ -z "$(find "$out" -name '*.tmp*')" ] || fail "temporary files left in OUT"

WORK="$work" OUT="$out" EXPECTED="$work/corpus/expected.tsv" LOG="$logs/corpus.log" "$py" - <<'EOF'
import codecs, json, os, re, sys, zipfile

codecs.register_error("pct", lambda e: ("".join("%%%02X" % b for b in e.object[e.start:e.end]), e.end))
def escape(raw):  # pipeline::EscapeNonUtf8
    return raw.decode("utf-8", "pct")

work, out = os.environ["WORK"], os.environ["OUT"]
log = open(os.environ["LOG"], "rb").read().decode("utf-8", "replace")
rows = [line.split(b"\t") for line in open(os.environ["EXPECTED"], "rb").read().splitlines()]

# The 未能评查案卷 sheet of 附件3: the case ids it lists.
book = zipfile.ZipFile(os.path.join(out, "workbooks", "附件3_行政执法案卷统计表.xlsx"))
shared = [re.sub(r"<[^>]+>", "", si) for si in re.findall(r"<si>(.*?)</si>", book.read("xl/sharedStrings.xml").decode(), re.S)]
wb = book.read("xl/workbook.xml").decode()
rid = re.search(r'<sheet name="未能评查案卷"[^>]*r:id="([^"]+)"', wb).group(1)
rels = book.read("xl/_rels/workbook.xml.rels").decode()
target = re.search(r'Id="%s"[^>]*Target="([^"]+)"' % rid, rels) or re.search(r'Target="([^"]+)"[^>]*Id="%s"' % rid, rels)
sheet = book.read("xl/" + target.group(1).lstrip("/").removeprefix("xl/")).decode()
cells = {}
for ref, val in re.findall(r'<c r="([A-Z]+\d+)"[^>]*t="s"[^>]*><v>(\d+)</v>', sheet):
    cells[ref] = shared[int(val)]
listed = {v for k, v in cells.items() if k.startswith("C") and k != "C2"}
codes_listed = {cells.get("C" + k[1:]): v for k, v in cells.items() if k.startswith("E")}

failures = []
want_listed = set()
for name_raw, status, code in rows:
    status, code = status.decode(), code.decode().split("#")[0].strip()
    name = escape(name_raw)
    stem = name[:-4] if name.lower().endswith(".pdf") else name
    case_id = "测试局__2021__" + stem
    rel = "测试局/2021/" + name
    path = os.path.join(out, "cases", case_id + ".json")
    if not os.path.exists(path):
        failures.append(f"{name}: no case report {case_id}.json"); continue
    text = open(path, encoding="utf-8").read()
    r = json.loads(text)
    if work in text or "/tmp/" in text:
        failures.append(f"{name}: the report holds an absolute path")
    if r["source"]["path"] != rel:
        failures.append(f"{name}: source.path {r['source']['path']!r}, expected {rel!r}")
    if r["status"] != status:
        failures.append(f"{name}: status {r['status']} ({r.get('error')}), expected {status}"); continue
    if status == "error":
        want_listed.add(case_id)
        err = r["error"]
        if err["code"] != code:
            failures.append(f"{name}: code {err['code']} ({err['message']}), expected {code}")
        if rel not in err["message"]:
            failures.append(f"{name}: the message does not name the file: {err['message']!r}")
        if codes_listed.get(case_id) not in (None, code):
            failures.append(f"{name}: the workbook gives code {codes_listed.get(case_id)}")
    else:
        if r["score"] is None:
            failures.append(f"{name}: reviewed but no score")
    if case_id not in log:
        failures.append(f"{name}: not in the batch log")
    print(f"  {status:5} {code or '-':17} {case_id}")

if listed != want_listed:
    failures.append(f"未能评查案卷 lists {sorted(listed ^ want_listed)} wrongly")
if "reviewed, " not in log:
    failures.append("no summary line in the log")
for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
EOF
echo "ok: every file has its report, code and message; 未能评查案卷 lists exactly the failed files"

echo "== rerun on the same OUT: the same reports and workbooks, nothing lost"
cp -a "$out" "$work/out-first"
run 4 rerun batch "$archive" --out "$out" --jobs 2 --progress log
diff -r "$work/out-first/cases" "$out/cases" || fail "reports changed on rerun"
diff -r "$work/out-first/workbooks" "$out/workbooks" || fail "workbooks changed on rerun"

echo "== pingcha case on files that must not hang"
run 4 case-fifo case "$archive/测试局/2021/fifo.pdf" --out "$work/out-case"
run 4 case-loop case "$archive/测试局/2021/loop.pdf" --out "$work/out-case"
grep -q '"code": "unreadable"' "$work/out-case/cases/测试局__2021__fifo.json" || fail "case fifo.pdf: not unreadable"

echo "== exit codes"
mkdir -p "$work/clean/某局/2021"
cp "$archive/测试局/2021/baseline.pdf" "$work/clean/某局/2021/a.pdf"
run 0 clean batch "$work/clean" --out "$work/out-clean" --jobs 1 --progress log
run 2 unknown-command frobnicate
run 2 missing-archive batch "$work/no-such-archive" --out "$work/out-missing"
run 2 escape batch "$work/corpus/escape" --out "$work/out-escape" --progress log
grep -q "leaves the archive" "$logs/escape.log" || fail "escape: unclear message: $(cat "$logs/escape.log")"
grep -q "manifest.csv:3" "$logs/escape.log" || fail "escape: the message does not name the manifest line"
[ ! -e "$work/out-escape" ] || fail "escape: OUT was written although the archive was refused"
mkdir -p "$work/empty-tessdata"
TESSDATA_PREFIX="$work/empty-tessdata" run 3 no-model batch "$work/clean" --out "$work/out-nomodel"
grep -q "chi_sim" "$logs/no-model.log" || fail "no-model: the message does not name chi_sim"
echo "a file" >"$work/file.txt"
run 5 out-under-file batch "$work/clean" --out "$work/file.txt/out"
grep -q "output folder" "$logs/out-under-file.log" || fail "out-under-file: unclear message"

# A read-only output folder and a full disk need mount (root, not in every
# container); without it the full disk is a file-size limit (ulimit -f).
# FAULT_NO_MOUNT=1 takes the path without mount.
if [ -z "${FAULT_NO_MOUNT:-}" ] && mkdir -p "$work/ro" && mount --bind "$work/ro" "$work/ro" 2>/dev/null; then
  mounts+=("$work/ro")
  if mount -o remount,ro,bind "$work/ro" 2>/dev/null; then
    run 5 out-read-only batch "$work/clean" --out "$work/ro"
    grep -q "not writable" "$logs/out-read-only.log" || fail "out-read-only: unclear message"
  else
    echo "skip: cannot remount read-only"
  fi
else
  echo "skip: read-only output folder (mount not allowed here)"
fi

full="$work/out-full"
mkdir -p "$full"
full_mode=ulimit
if [ -z "${FAULT_NO_MOUNT:-}" ] && mount -t tmpfs -o size=4m tmpfs "$full" 2>/dev/null; then mounts+=("$full"); full_mode=tmpfs; fi
run 0 full-first batch "$work/clean" --out "$full" --jobs 1 --progress log
cp -a "$full" "$work/out-full-first"
if [ "$full_mode" = tmpfs ]; then
  dd if=/dev/zero of="$full/filler" bs=64k status=none 2>/dev/null || true  # until the disk is full
  run 5 full-disk batch "$work/clean" --out "$full" --jobs 1 --fresh --progress log
  rm -f "$full/filler"
else
  # SIGXFSZ ignored: writes past the limit fail with EFBIG, as on a full disk.
  (trap '' XFSZ; ulimit -f 4; run 5 full-disk batch "$work/clean" --out "$full" --jobs 1 --fresh --progress log)
fi
grep -qE "disk full|No space|cannot write|write failed" "$logs/full-disk.log" || fail "full-disk: unclear message: $(cat "$logs/full-disk.log")"
diff -r "$work/out-full-first/cases" "$full/cases" || fail "full-disk: earlier reports lost or damaged"
diff -r "$work/out-full-first/workbooks" "$full/workbooks" || fail "full-disk: earlier workbooks lost or damaged"
echo "ok: full disk ($full_mode) exits 5 and keeps the earlier reports and workbooks"

echo "PASS: fault corpus — every file reported with its code, nothing outside OUT, nothing lost, no hang, exit codes 0/2/3/4/5"
