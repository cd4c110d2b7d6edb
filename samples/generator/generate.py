#!/usr/bin/python3
"""Synthetic, truth-labelled archive of scanned 行政执法案卷 for pingcha.

usage: generate.py --seed N --count K --out DIR [--small]

Writes DIR/archive/<agency>/<year>/<case>.pdf (scanned), some <case>/0001.jpg… folders and
born-digital PDFs, DIR/archive/manifest.csv (some cases), and DIR/truth/<case_id>.json.
Deterministic: the same seed and count give byte-identical files.
"""
import argparse
import sys as _sys
_sys.dont_write_bytecode = True  # keep samples/generator free of __pycache__
import csv
import io
import json
import multiprocessing
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import artwork                  # noqa: E402
import data                     # noqa: E402
import fonts                    # noqa: E402
import defects                  # noqa: E402
import plan                     # noqa: E402
from assemble import produce    # noqa: E402
from model import Case          # noqa: E402
from style import case_style    # noqa: E402

# the committed --small set: (case type, procedure, agency kind, place, output kind, defects, colour, manifest)
SMALL = [
    ("penalty", "ordinary", "市场监督管理局", "东胜区", "pdf", ["wrong_seal_owner", "page_number_gap"], True, False),
    ("penalty", "simple", "城市管理综合执法局", "东胜区", "folder", [], True, True),
    ("license", "ordinary", "市场监督管理局", "康巴什区", "pdf", ["late_decision"], False, False),
    ("coercion", "ordinary", "生态环境局", "东胜区", "pdf", ["seizure_too_long", "missing_party_signature"], True, False),
    ("inspection", "ordinary", "应急管理局", "伊金霍洛旗", "digital", [], True, False),
]
TYPE_WEIGHTS = [(("penalty", "ordinary"), 40), (("penalty", "simple"), 15), (("license", "ordinary"), 20),
                (("coercion", "ordinary"), 15), (("inspection", "ordinary"), 10)]


def pick_weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.uniform(0, total)
    for v, w in pairs:
        x -= w
        if x <= 0:
            return v
    return pairs[-1][0]


def make_case(rng, seq, case_type, procedure, kind_name, place, want, born_digital, small, colour=None):
    ag = next(a for a in data.AGENCIES if a["kind"] == kind_name)
    st = case_style(rng, born_digital=born_digital, small=small)
    if colour is not None:
        st["colour"] = colour
    if born_digital:
        st["colour"] = True
    pdef = data.PLACES[place]
    if case_type == "penalty":
        matter = ag["simple"] if procedure == "simple" else rng.choice(ag["penalty"])
    else:
        matter = ag[case_type]
    party_kind = "person" if procedure == "simple" and rng.random() < 0.6 else ("company" if case_type != "penalty" else None)
    case = Case(case_type=case_type, procedure=procedure, place=place, agency_def=ag,
                agency=pdef[0] + ag["kind"], abbr=pdef[4] + ag["short"], gov=pdef[2], court=pdef[3],
                party=plan.make_party(rng, place, party_kind), officers=plan.make_officers(rng, place),
                matter=matter, dates={}, style=st, seq=seq)
    if small and case_type == "penalty" and procedure == "ordinary":
        case.dates["force_mode"] = "holiday"   # decision 2021-09-29 served 2021-10-09: within 7 working days
        st.update(force_blank=True, force_turn=180)
    if small and case_type == "coercion":
        st.update(force_turn=90)
    if case_type == "penalty" and procedure == "ordinary":
        case.dates["amount"] = rng.choice(matter["amounts"])
        plan.plan_penalty(case, rng, set(want), small)
    elif case_type == "penalty":
        plan.plan_simple(case, rng, set(want), small)
    else:
        plan.PLANNERS[case_type](case, rng, set(want), small)
    defects.apply(case, rng, want)
    defects.self_check(case)
    return case


def expected_items(case):
    out = []
    for d in case.defects:
        if d["items"][0] not in out:
            out.append(d["items"][0])
    return out


def stem_for(case):
    no = case.style.get("decision_no") or f"{case.abbr}{case.seq}"
    import re
    m = re.match(r"(.*?)(?:字)?〔(\d{4})〕(?:第)?(\d+)号", no)
    return f"{m.group(1)}{m.group(2)}-{int(m.group(3))}" if m else no


def run_case(job):
    """Plan, render and write case i; returns its manifest row or None. Pure function of (seed, i, spec)."""
    seed, i, spec, archive, truth_dir, small, quiet = job
    ct, proc, kind_name, place, out_kind, want, colour, in_manifest = spec
    t0 = time.time()
    rng = random.Random(f"{seed}-case-{i}")
    case = make_case(rng, i + 1, ct, proc, kind_name, place, want, out_kind == "digital", small, colour)
    year = str(case.dates["end"].year)
    rel = f"{place + kind_name}/{year}/{stem_for(case)}"   # unique: the serial is the case index
    pages, documents, traps = produce(case, rng, archive, rel, out_kind, small)
    case_id = rel.replace("/", "__")
    src = rel + ("" if out_kind == "folder" else ".pdf")
    truth = dict(case_id=case_id, source_path=src, case_type=ct, procedure=proc, agency=case.agency,
                 colour=bool(case.style["colour"]), pages=pages, documents=documents, traps=traps,
                 defects=case.defects, expected_items=expected_items(case))
    with open(os.path.join(truth_dir, case_id + ".json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, ensure_ascii=False, indent=2)
        f.write("\n")
    if not quiet:
        print(f"{case_id}: {ct}/{proc} {len(pages)} pages, defects={[d['check'] for d in case.defects]} "
              f"({time.time() - t0:.1f}s)", file=sys.stderr)
    return [src, case_id, case.agency, ct, proc] if in_manifest else None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=30)
    ap.add_argument("--out", required=True)
    ap.add_argument("--small", action="store_true", help="the committed 5-case sample set")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1),
                    help="worker processes (output does not depend on it)")
    ap.add_argument("--seal-fonts", default="",
                    help="comma-separated font keys (fonts.py: kai, ming, wqy …) for seals instead of Noto Song/Hei bold")
    a = ap.parse_args(argv)
    if a.seal_fonts:
        keys = [k for k in a.seal_fonts.split(",") if k]
        unknown = [k for k in keys if k not in fonts.FONTS]
        if unknown:
            ap.error(f"--seal-fonts: unknown font {unknown[0]!r} (known: {', '.join(fonts.FONTS)})")
        artwork.SEAL_FONTS = keys
    master = random.Random(a.seed)
    deck = defects.Deck(random.Random(master.getrandbits(32)))
    archive = os.path.join(a.out, "archive")
    truth_dir = os.path.join(a.out, "truth")
    os.makedirs(archive, exist_ok=True)
    os.makedirs(truth_dir, exist_ok=True)
    specs = []
    if a.small:
        specs = SMALL
    else:
        for i in range(a.count):
            r = random.Random(f"{a.seed}-spec-{i}")
            (ct, proc) = pick_weighted(r, TYPE_WEIGHTS)
            kind_name = r.choice([ag["kind"] for ag in data.AGENCIES])
            place = r.choice(list(data.PLACES)) if r.random() < 0.4 else "东胜区"
            out_kind = r.choices(["pdf", "folder", "digital"], [80, 12, 8])[0]
            n_def = r.choices([0, 1, 2], [18, 44, 38])[0]
            want = defects.choose(r, deck, ct, proc, n_def)
            specs.append((ct, proc, kind_name, place, out_kind, want, None, r.random() < 0.3))
    jobs = [(a.seed, i, spec, archive, truth_dir, a.small, a.quiet) for i, spec in enumerate(specs)]
    if a.jobs > 1 and len(jobs) > 1:
        with multiprocessing.get_context("fork").Pool(a.jobs) as pool:
            results = pool.map(run_case, jobs, chunksize=1)
    else:
        results = [run_case(j) for j in jobs]
    manifest = [row for row in results if row]
    if manifest:
        with open(os.path.join(archive, "manifest.csv"), "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["path", "case_id", "agency", "case_type", "procedure"])
            w.writerows(manifest)


if __name__ == "__main__":
    main()
