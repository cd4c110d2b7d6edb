#!/bin/sh
# Regenerate the committed sample set (samples/archive + samples/truth) — deterministic.
# Uses Debian's Python (needs Pillow, numpy, reportlab), not a pyenv python3.
set -e
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$here/archive" "$here/truth"
/usr/bin/python3 "$here/generator/generate.py" --seed 1 --small --out "$here" "$@"
