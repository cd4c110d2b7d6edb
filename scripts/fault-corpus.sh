#!/usr/bin/env bash
# Builds a corpus of hostile and broken case files for the fault test
# (tests/fault_test.sh) from the committed samples, with bash and Debian
# tools only (qpdf, coreutils, /usr/bin/python3 with PIL for two PNGs).
#
#   scripts/fault-corpus.sh DIR
#
# DIR/archive/测试局/2021/   one case file per fault (see the table below)
# DIR/archive/测试局/2021/…/ two page-image folders (a 1×1 page; a 20000×20000 page)
# DIR/escape/               an archive whose manifest.csv points outside it (../)
# DIR/expected.tsv          name<TAB>expected status<TAB>expected error code, one line per case file
#
# Unreadable files: the tests run as root, and root reads a chmod 000 file
# anyway. The corpus still holds one (no_permission.pdf, a copy of a non-PDF);
# its expected code is "unreadable" for other users and "not_a_pdf" for root.
# What root cannot read is covered by a FIFO named fifo.pdf (opening it would
# block forever) and by a symbolic link loop (loop.pdf → loop.pdf).
set -euo pipefail
dir="${1:?usage: scripts/fault-corpus.sh DIR}"
root="$(cd "$(dirname "$0")/.." && pwd)"
healthy="$root/samples/archive/伊金霍洛旗应急管理局/2021/伊应急责令2021-5.pdf"  # born-digital: no OCR, fast
scanned="$root/samples/archive/东胜区市场监督管理局/2021/东市监行罚2021-1.pdf"  # JPEG pages
command -v qpdf >/dev/null || { echo "fault-corpus: qpdf is missing (apt-get install qpdf)" >&2; exit 3; }

mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
a="$dir/archive/测试局/2021"
rm -rf "$dir/archive" "$dir/escape"
mkdir -p "$a"
: >"$dir/expected.tsv"
expect() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$dir/expected.tsv"; }

# write_pdf FILE BODY... — a minimal PDF with a correct xref; BODY i becomes
# object i (object 1 is the catalog). Bodies are text (no NUL bytes).
write_pdf() {
  local file=$1 i=1 body
  shift
  local offsets=()
  printf '%%PDF-1.4\n' >"$file"
  for body in "$@"; do
    offsets+=("$(stat -c %s "$file")")
    printf '%d 0 obj\n%s\nendobj\n' "$i" "$body" >>"$file"
    i=$((i + 1))
  done
  local xref
  xref=$(stat -c %s "$file")
  {
    printf 'xref\n0 %d\n0000000000 65535 f \n' "$i"
    for o in "${offsets[@]}"; do printf '%010d 00000 n \n' "$o"; done
    printf 'trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' "$i" "$xref"
  } >>"$file"
}

# Healthy baselines (reviewed normally).
cp "$healthy" "$a/baseline.pdf";                                    expect baseline.pdf ok ""
# Owner password only: anyone may open and read it → reviewed normally.
qpdf --encrypt "" owner-secret 256 -- "$healthy" "$a/owner_only.pdf"; expect owner_only.pdf ok ""
# A user password: cannot be opened without it.
qpdf --encrypt user-secret owner-secret 256 -- "$healthy" "$a/user_password.pdf"
expect user_password.pdf error encrypted

# Not PDFs at all.
: >"$a/zero_bytes.pdf";                                             expect zero_bytes.pdf error not_a_pdf
printf 'This is a plain text file, not a PDF.\n' >"$a/not_a_pdf.pdf";  expect not_a_pdf.pdf error not_a_pdf
cp "$root/samples/archive/东胜区城市管理综合执法局/2021/东城管简罚2021-108/0001.jpg" "$a/jpeg_named_pdf.pdf"
expect jpeg_named_pdf.pdf error not_a_pdf
# Truncated: the first 3000 bytes of a PDF (header and the start of page 1).
head -c 3000 "$healthy" >"$a/truncated.pdf";                        expect truncated.pdf error damaged
# Cut in the middle (half of the page objects there, no xref, no trailer).
head -c 200000 "$healthy" >"$a/truncated_half.pdf";                 expect truncated_half.pdf error damaged

# Zero pages: an empty page tree.
write_pdf "$a/zero_pages.pdf" '<< /Type /Catalog /Pages 2 0 R >>' '<< /Type /Pages /Kids [] /Count 0 >>'
expect zero_pages.pdf error no_pages

# A gigantic page: 200000 × 200000 pt (70 m a side).
write_pdf "$a/huge_page.pdf" '<< /Type /Catalog /Pages 2 0 R >>' '<< /Type /Pages /Kids [3 0 R] /Count 1 >>' \
  '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200000 200000] >>'
expect huge_page.pdf error too_large

# A corrupt JPEG stream: page 1 of a scanned sample, its JPEG header (after
# the SOI marker) overwritten in place, so the object layout stays valid.
tmp="$(mktemp -d)"
qpdf --empty --pages "$scanned" 1 -- "$tmp/one.pdf"
qpdf --qdf --object-streams=disable "$tmp/one.pdf" "$a/corrupt_jpeg.pdf"
soi=$(grep -abo $'\xff\xd8\xff' "$a/corrupt_jpeg.pdf" | head -1 | cut -d: -f1)
[ -n "$soi" ] || { echo "fault-corpus: no JPEG stream found in $scanned" >&2; exit 1; }
head -c 600 /dev/zero | tr '\0' 'X' | dd of="$a/corrupt_jpeg.pdf" bs=1 seek=$((soi + 2)) conv=notrunc status=none
rm -rf "$tmp"
# Poppler draws nothing for the broken image and reports it: the page is
# damaged, not blank, and with no page read the file is unreadable.
expect corrupt_jpeg.pdf error unreadable

# Files that cannot be read.
ln -s loop.pdf "$a/loop.pdf";                                       expect loop.pdf error unreadable
mkfifo "$a/fifo.pdf";                                               expect fifo.pdf error unreadable
mkdir "$a/folder.pdf";                                              expect folder.pdf error no_pages
printf 'not a PDF, and not readable by anyone but root\n' >"$a/no_permission.pdf"
chmod 000 "$a/no_permission.pdf"
if [ "$(id -u)" -eq 0 ]; then expect no_permission.pdf error not_a_pdf; else expect no_permission.pdf error unreadable; fi
# A folder symlink loop (not followed by the archive walk).
ln -s . "$a/dirloop"

# A file name that is not UTF-8 (Latin-1 "café", GBK "测试").
name_latin1=$'caf\xe9.pdf'
name_gbk=$'\xb2\xe2\xca\xd4.pdf'
printf 'not a PDF\n' >"$a/$name_latin1";                            expect "$name_latin1" error not_a_pdf
cp "$healthy" "$a/$name_gbk";                                       expect "$name_gbk" ok ""

# Page-image folders: a 1×1 page; a 20000×20000 page beside a 1×1 one.
mkdir -p "$a/tiny_image" "$a/huge_image"
/usr/bin/python3 - "$a" <<'EOF'
import sys
from PIL import Image
a = sys.argv[1]
Image.new("RGB", (1, 1), (255, 255, 255)).save(a + "/tiny_image/0001.png")
Image.new("RGB", (1, 1), (255, 255, 255)).save(a + "/huge_image/0001.png")
Image.new("1", (20000, 20000), 1).save(a + "/huge_image/0002.png")
EOF
expect tiny_image error unreadable   # the 1×1 page is not rendered: no page could be read
expect huge_image error too_large

# An archive whose manifest leaves it: the batch refuses it (exit 2).
mkdir -p "$dir/escape/某局/2021"
cp "$healthy" "$dir/escape/某局/2021/a.pdf"
printf 'path,case_id,agency,case_type,procedure\n某局/2021/a.pdf,,,,\n../../etc/passwd,,,,\n' >"$dir/escape/manifest.csv"

echo "fault-corpus: $(wc -l <"$dir/expected.tsv") case files in $dir/archive, a bad manifest in $dir/escape"
