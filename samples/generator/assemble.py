"""Bind a planned case into pages: cover/目录/备考表, blank backs, printed page numbers;
render, damage, write the files and the truth JSON."""
import os

import numpy as np
from PIL import Image

import content
import scan
import vector
import writer
from cnfmt import fmt_date
from fonts import text_width
from layout import layout_doc, PAGE_W, PAGE_H, BLACK
from model import Doc
from raster import render_page

COVER_TITLE = {"penalty": ["行政处罚案卷", "行政执法案卷"], "license": ["行政许可案卷", "行政执法案卷"],
               "coercion": ["行政强制案卷", "行政执法案卷"], "inspection": ["行政检查案卷", "行政执法案卷"]}


def _range(nums):
    nums = [n for n in nums if n is not None]
    if not nums:
        return ""
    return nums[0] if nums[0] == nums[-1] else f"{nums[0]}-{nums[-1]}"


def bind(case, rng, small):
    """Lay out every document and decide the page sequence. Returns [(doc, page dict)]."""
    st = case.style
    body = []
    for d in case.docs:
        content.build(case, d)
        pages = layout_doc(d, st, rng)
        body.append((d, pages))
    # blank back pages after some documents (never inside a document, never at the end)
    seq = []
    forced_blank = rng.randint(2, len(body) - 2) if st.get("force_blank") and len(body) > 3 else None
    for i, (d, pages) in enumerate(body):
        for p in pages:
            seq.append((d, p))
        if i == forced_blank or (i < len(body) - 1 and rng.random() < (0.04 if small else 0.1)
                                  and not st["born_digital"]):
            seq.append((None, {"items": [], "lines": [], "traps": [], "doc": None, "blank": True}))
    # printed page numbers over the numbered (non-blank) pages
    numbered = [i for i, (d, p) in enumerate(seq) if d is not None]
    nums, n = {}, 0
    gap_at = rng.randint(2, max(2, len(numbered) - 2)) if st["page_gap"] else None
    for j, i in enumerate(numbered):
        n += 1
        if j == gap_at:
            n += 1 if st["page_gap"] == "skip" else -1
        nums[i] = n
    # cover / toc / backup need page counts and ranges
    n_pages = max(nums.values()) if nums else 0
    toc_rows = []
    for d, pages in body:
        idx = [i for i, (dd, p) in enumerate(seq) if dd is d]
        toc_rows.append(dict(docno=d.docno, title=d.title, date=fmt_date(d.date, "dot" if st["form_date_style"] == "dot" else "arabic"),
                             pages=str(_range([nums[i] for i in idx]))))
    if st["toc_extra"]:
        pos = rng.randint(2, len(toc_rows) - 1)
        toc_rows.insert(pos, dict(docno="", title=st["toc_extra"], date=toc_rows[pos]["date"], pages=toc_rows[pos]["pages"].split("-")[0]))
    dd = case.dates
    front, back = [], []
    want_cover = case.case_type != "inspection" or (not small and rng.random() < 0.5)
    if "cover" not in st["omit"] and want_cover and case.procedure != "simple":
        if True:
            cov = Doc("cover", rng.choice(COVER_TITLE[case.case_type]), date=None,
                      attrs=dict(cause_title=content_cause(case), decision_no=st.get("decision_no"),
                                 start=dd["start"], end=dd["end"], n_docs=len(body), n_pages=n_pages,
                                 archive_no=f"2021{case.seq:04d}", keep=rng.choice(["永久", "30年", "长期"])))
            front.append(cov)
    if "toc" not in st["omit"] and (case.case_type != "inspection" or not small) and case.procedure != "simple":
        front.append(Doc("toc", rng.choice(["卷内目录", "卷内目录", "卷内文件目录"]), attrs=dict(rows=toc_rows)))
    if "backup_note" not in st["omit"] and case.procedure != "simple":
        back.append(Doc("backup_note", rng.choice(["卷内备考表", "备考表"]), date=dd["backup"],
                        attrs=dict(n_docs=len(body), n_pages=n_pages)))
    out = []
    for d in front:
        content.build(case, d)
        out += [(d, p, None) for p in layout_doc(d, st, rng)]
    out += [(d, p, nums.get(i)) for i, (d, p) in enumerate(seq)]
    for d in back:
        content.build(case, d)
        out += [(d, p, None) for p in layout_doc(d, st, rng)]
    all_docs = front + [d for d, _ in body] + back
    return out, all_docs


def content_cause(case):
    m = case.matter
    if case.case_type == "license":
        return f"{case.party['name']}申请{m['item']}"
    if case.case_type == "inspection":
        return f"{case.party['name']}{m['item']}"
    return f"{case.party['name']}{m['cause']}案"


def add_page_number(page, num, st):
    s = str(num)
    pt = st["body_pt"]
    x = PAGE_W - st["margin_r"] - text_width(s, st["body_font"], pt)
    if st["number_pos"] == "tr":
        y = st["margin_t"] - 8
        page["lines"].insert(0, s)
    else:
        y = PAGE_H - st["margin_b"] + 10
        page["lines"].append(s)
    page["items"].append(dict(k="text", x=x, y=y, s=s, font=st["body_font"], pt=pt, color=BLACK, track=0))


def blank_page(W, H, tint, seed):
    rs = np.random.default_rng(seed)
    arr = np.ones((H, W, 3), np.float32) * np.array(tint, np.float32)
    arr += rs.normal(0, 1.5, (H // 8 + 1, W // 8 + 1, 1)).repeat(8, 0).repeat(8, 1)[:H, :W]
    n = int(W * H * 0.00005)
    arr[rs.integers(0, H, n), rs.integers(0, W, n)] = 120
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def produce(case, rng, out_dir, rel_path, kind, small):
    """Render and write one case; returns the truth dict. kind: pdf | folder | digital."""
    st = case.style
    seq, all_docs = bind(case, rng, small)
    for d, p, num in seq:
        if num is not None:
            add_page_number(p, num, st)
    # which pages are turned on the scanner (clockwise degrees of the stored content)
    turns = [0] * len(seq)
    if kind != "digital":
        for i in range(len(seq)):
            if rng.random() < (0.04 if small else 0.05):
                turns[i] = rng.choice([180, 180, 90, 270])
        if st.get("force_turn"):
            cands = [i for i, (d, p, n) in enumerate(seq) if n is not None]
            turns[rng.choice(cands)] = st["force_turn"]
    pages_truth, page_seals, page_traps, encoded = [], [], [], []
    if kind == "digital":
        seal_boxes = vector.write_pdf(os.path.join(out_dir, rel_path + ".pdf"), [p for _, p, _ in seq])
        for i, (d, p, num) in enumerate(seq):
            page_seals.append(seal_boxes[i])
            page_traps.append([(t, [round(t["box"][0] / PAGE_W, 4), round(t["box"][1] / PAGE_H, 4),
                                    round(t["box"][2] / PAGE_W, 4), round(t["box"][3] / PAGE_H, 4)]) for t in p["traps"]])
    else:
        dpi = st["dpi"]
        for i, (d, p, num) in enumerate(seq):
            params = scan.scan_params(rng, st)
            if p.get("blank"):
                k = dpi / 25.4
                img = blank_page(int(PAGE_W * k), int(PAGE_H * k), params["tint"], params["seed"])
                params = dict(params, tint=(255, 255, 255), illum=params["illum"] * 0.5)
                seals_px, traps_px = [], []
            else:
                img, seals_px, traps_px = render_page(p, dpi)
            boxes = [b for _, b in seals_px] + [b for _, b in traps_px]
            img, fr = scan.apply(img, params, boxes, rotation=turns[i], grey=not st["colour"])
            ns = len(seals_px)
            page_seals.append([(it, fr[j]) for j, (it, _) in enumerate(seals_px)])
            page_traps.append([(t, fr[ns + j]) for j, (t, _) in enumerate(traps_px)])
            encoded.append((writer.jpeg_bytes(img, params["quality"]), img.width, img.height, dpi, img.mode == "L"))
        if kind == "pdf":
            writer.write_scanned_pdf(os.path.join(out_dir, rel_path + ".pdf"), encoded)
        else:
            writer.write_folder(os.path.join(out_dir, rel_path), encoded)
    # ---- truth ----
    doc_pages = {}
    for i, (d, p, num) in enumerate(seq):
        blank = bool(p.get("blank"))
        pages_truth.append(dict(page=i + 1, rotation=(360 - turns[i]) % 360, blank=blank,
                                printed_number=str(num) if num is not None else None,
                                text="\n".join(p["lines"]), photo=bool(p.get("photo"))))
        if d is not None:
            doc_pages.setdefault(id(d), []).append(i + 1)
    documents = []
    for d in all_docs:
        pg = doc_pages.get(id(d))
        if not pg:
            continue
        seals = []
        for i in pg:
            for it, box in page_seals[i - 1]:
                sp = it["spec"]
                seals.append(dict(page=i, bbox=box, shape=sp["shape"], owner=sp["owner"],
                                  is_agency_seal=sp["owner"] == case.agency))
        documents.append(dict(type=d.type, title=d.title, first_page=pg[0], last_page=pg[-1], doc_number=d.docno,
                              date=d.date.isoformat() if d.date else None, seals=seals, needs_seal=d.needs_seal,
                              party_signed=d.party_signed, officers=d.officers,
                              fields=_fields(d)))
    traps = []
    for i, tl in enumerate(page_traps):
        for t, box in tl:
            traps.append(dict(page=i + 1, bbox=box, kind=t["kind"]))
    return pages_truth, documents, traps


def _fields(d):
    out = {}
    for k, v in d.fields.items():
        out[k] = v.isoformat() if hasattr(v, "isoformat") else v
    if d.type in ("penalty_decision", "onsite_penalty_decision", "seizure_decision", "license_decision"):
        out["remedy_clause"] = bool(d.attrs.get("remedy"))
    return out
