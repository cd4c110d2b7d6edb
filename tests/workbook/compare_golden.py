#!/usr/bin/python3
"""Compares written workbooks with the committed goldens, part by part.

usage: compare_golden.py ACTUAL_DIR GOLDEN_DIR

Every .xlsx under GOLDEN_DIR must exist under ACTUAL_DIR (same relative path)
and vice versa. Both are unzipped in memory; the part lists must match, XML
parts are parsed and compared element by element (tag, attributes, text), other
parts (images) byte for byte. The first difference of each file is reported
with the part name, the element's path and both sides, e.g.

  附件4_自查自评情况表.xlsx: xl/worksheets/sheet2.xml:
    /worksheet/sheetData[1]/row[@r="18"]/c[@r="F18"]/v[1]: text '94' != golden '97'

Regenerating the goldens after an intended change of the workbook stage:
  PINGCHA_UPDATE_GOLDEN=1 ctest --test-dir BUILD -R workbook_readers
or tests/workbook/update_goldens.sh BUILD. Review `git diff --stat` and the
rendered pages before committing new goldens.
"""
import os
import shutil
import sys
import zipfile
import xml.etree.ElementTree as ET


def xlsx_files(root):
    out = set()
    for dirpath, _, names in os.walk(root):
        for n in names:
            if n.endswith(".xlsx"):
                out.add(os.path.relpath(os.path.join(dirpath, n), root))
    return out


def short(text, limit=80):
    text = repr(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def local(tag):
    return tag.split("}", 1)[1] if tag.startswith("{") else tag


def compare_elements(a, b, here):
    """Returns a description of the first difference below a/b (at path
    `here`, e.g. /worksheet/sheetData/row[5]), or None."""
    if a.tag != b.tag:
        return f"{here}: element <{local(a.tag)}> != golden <{local(b.tag)}>"
    if a.attrib != b.attrib:
        keys = sorted(set(a.attrib) | set(b.attrib))
        k = [k for k in keys if a.attrib.get(k) != b.attrib.get(k)][0]
        return (f"{here}: attribute {local(k)}={short(a.attrib.get(k))} != golden "
                f"{short(b.attrib.get(k))} (golden element {short(dict(b.attrib), 160)})")
    if (a.text or "") != (b.text or ""):
        return f"{here}: text {short(a.text)} != golden {short(b.text)}"
    ca, cb = list(a), list(b)
    counts = {}
    for x, y in zip(ca, cb):
        name = local(y.tag)
        counts[name] = counts.get(name, 0) + 1
        # cells and rows name themselves: c[@r="F18"] reads better than c[6]
        key = f'@r="{y.attrib["r"]}"' if "r" in y.attrib else counts[name]
        child = f"{here}/{name}[{key}]"
        d = compare_elements(x, y, child)
        if d:
            return d
        if (x.tail or "") != (y.tail or ""):
            return f"{child}: text after it {short(x.tail)} != golden {short(y.tail)}"
    if len(ca) != len(cb):
        extra = ca[len(cb)] if len(ca) > len(cb) else cb[len(ca)]
        side = "actual" if len(ca) > len(cb) else "golden"
        return (f"{here}: {len(ca)} children != golden {len(cb)}; first extra, in {side}: "
                f"<{local(extra.tag)} {short(dict(extra.attrib), 160)}> text {short(extra.text)}")
    return None


def compare_xlsx(actual, golden):
    """Returns the first difference between two xlsx files, or None."""
    with zipfile.ZipFile(actual) as za, zipfile.ZipFile(golden) as zb:
        # Folder entries (a golden re-zipped by hand has them) are not parts.
        na = [n for n in za.namelist() if not n.endswith("/")]
        nb = [n for n in zb.namelist() if not n.endswith("/")]
        if sorted(na) != sorted(nb):
            return (f"parts differ: only in actual {sorted(set(na) - set(nb))}, "
                    f"only in golden {sorted(set(nb) - set(na))}")
        for part in nb:  # golden's order: [Content_Types].xml, rels, docProps, xl/...
            da, db = za.read(part), zb.read(part)
            if da == db:
                continue
            if part.endswith((".xml", ".rels", ".vml")):
                try:
                    ea, eb = ET.fromstring(da), ET.fromstring(db)
                except ET.ParseError as e:
                    return f"{part}: not well-formed XML ({e})"
                d = compare_elements(ea, eb, "/" + local(eb.tag))
                if d:
                    return f"{part}:\n    {d}"
                # Same tree, different bytes (declaration, namespaces, quoting).
                return f"{part}: same elements but different bytes ({len(da)} vs golden {len(db)})"
            return f"{part}: binary part differs ({len(da)} bytes vs golden {len(db)})"
    return None


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    actual_dir, golden_dir = sys.argv[1], sys.argv[2]
    actual = xlsx_files(actual_dir)
    if not actual:
        print(f"no .xlsx under {actual_dir}: run write_sample_workbooks first")
        return 1
    if os.environ.get("PINGCHA_UPDATE_GOLDEN"):
        for rel in xlsx_files(golden_dir) - actual:
            os.remove(os.path.join(golden_dir, rel))
        for rel in sorted(actual):
            dst = os.path.join(golden_dir, rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copyfile(os.path.join(actual_dir, rel), dst)
            print(f"updated {dst}")
        for dirpath, dirs, files in os.walk(golden_dir, topdown=False):
            if dirpath != golden_dir and not os.listdir(dirpath):
                os.rmdir(dirpath)
        return 0

    golden = xlsx_files(golden_dir)
    failures = 0
    for rel in sorted(golden - actual):
        print(f"FAIL {rel}: in the goldens, not written")
        failures += 1
    for rel in sorted(actual - golden):
        print(f"FAIL {rel}: written, no golden (PINGCHA_UPDATE_GOLDEN=1 to add)")
        failures += 1
    for rel in sorted(actual & golden):
        d = compare_xlsx(os.path.join(actual_dir, rel), os.path.join(golden_dir, rel))
        if d:
            print(f"FAIL {rel}: {d}")
            failures += 1
        else:
            print(f"ok   {rel}")
    if failures:
        print(f"{failures} workbook(s) differ from {golden_dir}.\n"
              "If the change is intended: PINGCHA_UPDATE_GOLDEN=1 ctest --test-dir BUILD "
              "-R workbook_readers_golden, then review and commit tests/golden/workbook/.")
        return 1
    print(f"{len(golden)} workbooks match the goldens")
    return 0


if __name__ == "__main__":
    sys.exit(main())
