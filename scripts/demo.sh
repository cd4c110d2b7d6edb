#!/usr/bin/env bash
# One command for a newcomer: installs what is needed (Debian packages),
# builds pingcha and reviews the sample archive in samples/archive.
# Output: out/samples/ (case reports, workbooks, evidence crops, page text).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
rm -rf out/samples
rc=0
./build/pingcha batch samples/archive --out out/samples --jobs "$(nproc)" --text || rc=$?
echo
echo "Case reports: $(pwd)/out/samples/cases/"
echo "Workbooks:    $(pwd)/out/samples/workbooks/"
find out/samples/workbooks -name '*.xlsx' | sort | sed 's/^/  /'
exit "$rc"
