#!/usr/bin/env bash
# Regenerates tests/golden/workbook/ from the current workbook stage:
#   tests/workbook/update_goldens.sh [BUILD_DIR]   (default: build)
# Builds write_sample_workbooks, writes the sample workbooks and copies them
# over the goldens (same as PINGCHA_UPDATE_GOLDEN=1 ctest -R workbook_readers_golden).
# Then look at `git diff --stat tests/golden`, run the workbook_readers tests
# and, for a layout change, render the pages (see tests/workbook/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${1:-build}"
cmake --build "$build" --target write_sample_workbooks >/dev/null
"$build/stages/workbook/write_sample_workbooks" "$build/workbook_samples"
PINGCHA_UPDATE_GOLDEN=1 /usr/bin/python3 tests/workbook/compare_golden.py \
  "$build/workbook_samples/workbooks" tests/golden/workbook
