#!/usr/bin/env bash
# Installs everything pingcha needs to build, run and test, from Debian packages.
# Idempotent: re-running only installs what is missing. Needs root (or sudo).
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config git
  libpoppler-cpp-dev poppler-utils
  libqpdf-dev libjpeg-dev   # ingest: a scanned page's JPEG taken from the PDF and decoded, not rendered
  libtesseract-dev libleptonica-dev tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-eng
  libxlsxwriter-dev libicu-dev
  libfreetype-dev libfontconfig-dev   # seal owners: ring glyphs compared with rendered names
  libgtest-dev libgmock-dev
  libtomlplusplus-dev nlohmann-json3-dev libcli11-dev libsqlite3-dev
  libfmt-dev libspdlog-dev libssl-dev
  python3 python3-pil python3-numpy python3-reportlab
  fonts-noto-cjk fonts-wqy-zenhei fonts-arphic-ukai fonts-arphic-uming
  slurm-wlm munge   # the scale-out test starts a real single-node Slurm
  # Workbook reader tests (ctest -L workbook_readers): LibreOffice Calc opens,
  # recalculates and prints the annex workbooks, openpyxl reads them back
  # (under /usr/bin/python3), unzip takes them apart (also for workbook_test).
  libreoffice-calc python3-openpyxl unzip
  # The fault test (tests/fault_test.sh) builds encrypted and page-picked
  # PDFs with qpdf (scripts/fault-corpus.sh; also bench/big-file).
  qpdf
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
