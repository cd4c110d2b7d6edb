#!/usr/bin/python3
"""Opens every sample workbook in LibreOffice Calc (headless) and checks that

  1. each converts to PDF without error, as A4 landscape pages, with a sane
     page count (at least one page per sheet, at most three) and its title
     readable in the PDF's text (pdfinfo/pdftotext from poppler-utils);
  2. after LibreOffice recalculates every formula (forced in a private
     profile), each formula cell has the value pingcha cached: the 总分 and
     等次 of each 评分表, the 自评得分 of 附件4, the 合计 row of 附件3 ...;
  3. a reviewer's entry moves the totals: a copy of one 附件4 with 4 points
     entered for its manual item P-B1 recalculates to 93 on the 评分表 and on
     附件4 (this also proves the recalculation really ran).

usage: check_libreoffice.py WORKBOOKS_DIR WORK_DIR

All files go through one soffice call per target format (PDF, then xlsx);
the LibreOffice profile lives in WORK_DIR, never in $HOME.
"""
import os
import re
import shutil
import subprocess
import sys
import time
import warnings
import zipfile

import openpyxl

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
MARKET_ANNEX4 = os.path.join("鄂尔多斯市东胜区市场监督管理局", "附件4_自查自评情况表.xlsx")
TITLES = {"附件3": "行政执法案卷统计表", "附件4": "行政执法案卷自查自评情况表"}

# Calc settings: recalculate OOXML and ODF files on load, always (0); no
# first-start dialogs.
PROFILE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Setup/Office"><prop oor:name="FirstStartWizardCompleted" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL " + msg)


def load(path, data_only):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(path, data_only=data_only)


def soffice(profile, fmt, outdir, files):
    """Converts `files` to `fmt` in one LibreOffice run."""
    env = dict(os.environ, HOME=os.path.dirname(profile), SAL_USE_VCLPLUGIN="svp")
    for k in ("ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS", "LD_PRELOAD"):
        env.pop(k, None)
    cmd = [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--invisible",
           "--nologo", "--norestore", "--nodefault", "--nolockcheck",
           "--convert-to", fmt, "--outdir", outdir] + files
    start = time.monotonic()
    p = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                       timeout=120)
    print(f"soffice --convert-to {fmt}: {len(files)} files in {time.monotonic() - start:.1f} s")
    noise = re.compile(r"javaldx|java may not function|^\s*$")
    errors = [l for l in p.stderr.splitlines() if not noise.search(l)]
    if p.returncode != 0 or errors:
        fail(f"soffice --convert-to {fmt} exited {p.returncode}: {' | '.join(errors)[:500]}")


def sheet_count(path):
    with zipfile.ZipFile(path) as z:
        return z.read("xl/workbook.xml").decode().count("<sheet ")


def check_pdf(name, xlsx, pdf):
    if not os.path.exists(pdf) or os.path.getsize(pdf) == 0:
        return fail(f"{name}: no PDF written")
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    w, h = float(size.group(1)), float(size.group(2))
    sheets = sheet_count(xlsx)
    print(f"  {name}: {sheets} sheets -> {pages} pages, {w:.0f}x{h:.0f} pt")
    if not sheets <= pages <= 3 * sheets:
        fail(f"{name}: {pages} PDF pages for {sheets} sheets")
    if abs(w - 841.9) > 2 or abs(h - 595.3) > 2:
        fail(f"{name}: page {w}x{h} pt is not A4 landscape")
    text = subprocess.run(["pdftotext", "-l", "1", pdf, "-"], capture_output=True, text=True).stdout
    title = TITLES["附件3" if "附件3" in name else "附件4"]
    if title not in text.replace(" ", ""):
        fail(f"{name}: title {title} not in the text of PDF page 1 (font missing?)")


def same(a, b):
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) < 1e-6
    return (a if a is not None else "") == (b if b is not None else "")


def check_recalc(name, original, recalculated):
    """Every formula cell of `original` has its cached value after LibreOffice's recalculation."""
    formulas = load(original, False)
    cached = load(original, True)
    recalc = load(recalculated, True)
    n, shown = 0, []
    for ws in formulas.worksheets:
        if ws.title not in recalc.sheetnames:
            fail(f"{name}: sheet {ws.title} lost by LibreOffice")
            continue
        for row in ws.iter_rows():
            for c in row:
                if not (isinstance(c.value, str) and c.value.startswith("=")):
                    continue
                n += 1
                mine = cached[ws.title][c.coordinate].value
                theirs = recalc[ws.title][c.coordinate].value
                if not same(mine, theirs):
                    fail(f"{name}: {ws.title}!{c.coordinate} {c.value}: pingcha cached {mine!r}, "
                         f"LibreOffice computed {theirs!r}")
                # 总分 of each 评分表, 自评得分 on 附件4, the 合计 row of 附件3
                if ("MAX(0," in c.value or (ws.title == "附件4" and c.column == 8)
                        or (ws.title == "附件3" and re.match(r"=SUM\([A-Z]+4:", c.value))):
                    shown.append(f"{ws.title}!{c.coordinate}={theirs!r}")
    print(f"  {name}: {n} formula cells agree; totals " + ", ".join(shown))
    if n == 0:
        fail(f"{name}: no formula cells")


def enter_manual_score(src, dst):
    """A copy of the market 附件4 where the reviewer entered 4 for P-B1 (F15 of
    its first 评分表, sheet2), as Excel would save it: a value in the cell."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                text, n = re.subn(r'<c r="F15"( s="\d+")?/>', r'<c r="F15"\1><v>4</v></c>',
                                  data.decode())
                if n != 1:
                    fail("edited copy: blank manual cell F15 not found in sheet2.xml")
                data = text.encode()
            zout.writestr(item, data)


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    root, work = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    shutil.rmtree(work, ignore_errors=True)
    profile = os.path.join(work, "profile")
    os.makedirs(os.path.join(profile, "user"))
    with open(os.path.join(profile, "user", "registrymodifications.xcu"), "w") as f:
        f.write(PROFILE_XCU)
    inputs = os.path.join(work, "in")
    os.makedirs(inputs)

    # Flat ASCII names: every 附件4 has the same file name.
    rels = sorted(os.path.relpath(os.path.join(d, n), root)
                  for d, _, files in os.walk(root) for n in files if n.endswith(".xlsx"))
    names = {rel: f"wb{i + 1:02d}" for i, rel in enumerate(rels)}
    if len(names) < 2:
        fail(f"fewer than two workbooks under {root}")
        return 1
    for rel, flat in names.items():
        shutil.copyfile(os.path.join(root, rel), os.path.join(inputs, flat + ".xlsx"))
    if MARKET_ANNEX4 in names:
        enter_manual_score(os.path.join(root, MARKET_ANNEX4), os.path.join(inputs, "edited.xlsx"))
    else:
        fail(f"{MARKET_ANNEX4} not written")
    files = sorted(os.path.join(inputs, f) for f in os.listdir(inputs))

    soffice(profile, "pdf", os.path.join(work, "pdf"), files)
    soffice(profile, "xlsx", os.path.join(work, "xlsx"), files)

    for rel, flat in sorted(names.items()):
        print(f"{rel} ({flat}.pdf)")
        check_pdf(rel, os.path.join(root, rel), os.path.join(work, "pdf", flat + ".pdf"))
        out = os.path.join(work, "xlsx", flat + ".xlsx")
        if os.path.exists(out):
            check_recalc(rel, os.path.join(root, rel), out)
        else:
            fail(f"{rel}: LibreOffice wrote no xlsx")

    edited = os.path.join(work, "xlsx", "edited.xlsx")
    if os.path.exists(edited):
        wb = load(edited, True)
        sheet = wb.sheetnames[1]
        got = (wb[sheet]["C18"].value, wb[sheet]["F18"].value, wb[sheet]["I18"].value,
               wb["附件4"]["H5"].value, wb["附件4"]["I5"].value)
        print(f"reviewer enters 4 for P-B1: 合计扣分, 总分, 等次, 附件4 得分, 等次 = {got}")
        if got != (7, 93, "优秀", 93, "优秀"):
            fail(f"after entering 4 for P-B1 expected (7, 93, '优秀', 93, '优秀'), got {got}")
    else:
        fail("LibreOffice wrote no xlsx for the edited copy")

    print(f"LibreOffice: {len(names)} workbooks, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
