"""Flow a document's blocks onto A4 pages (millimetre coordinates, origin top-left).

A laid-out page is a dict: {"items": [...], "lines": [printed text lines in reading order],
"traps": [...], "doc": doc}; items are drawn by raster.py / vector.py:
  text   {x, y (baseline), s, font, pt, color, track}
  rule   {x0, y0, x1, y1, w, color}
  seal   {cx, cy, spec}            (spec from seal.py; owner, shape, size …)
  scribble {x, y, w, h, seed, color}
  photo  {x, y, w, h, seed}
  tick   {x, y, size, color}
"""
from fonts import text_width, char_w, PT_MM

PAGE_W, PAGE_H = 210.0, 297.0
BLACK = (20, 20, 20)
NO_LINE_START = set("，。、；：）》”！？」』")


def wrap(text, width, font, pt, first_indent=0.0):
    lines, cur, w = [], "", first_indent
    for ch in text:
        cw = char_w(font, ch) * pt
        if cur and w + cw > width and ch not in NO_LINE_START:
            lines.append(cur)
            cur, w = "", 0.0
        cur += ch
        w += cw
    if cur or not lines:
        lines.append(cur)
    return lines


class Flow:
    def __init__(self, doc, style, rng):
        self.doc, self.st, self.rng = doc, style, rng
        self.pages = []
        self.left = style["margin_l"]
        self.right = PAGE_W - style["margin_r"]
        self.bottom = PAGE_H - style["margin_b"] - (14 if doc.footer_sig else 0)
        self.new_page()

    # -- page handling -------------------------------------------------
    def new_page(self):
        self.page = {"items": [], "lines": [], "traps": [], "doc": self.doc}
        self.pages.append(self.page)
        self.y = self.st["margin_t"]

    def need(self, h):
        if self.y + h > self.bottom and self.y > self.st["margin_t"] + 1:
            self.new_page()

    def lh(self, pt):
        return pt * PT_MM * self.st["leading"]

    def text(self, x, baseline, s, font=None, pt=None, color=BLACK, track=0.0, printed=True):
        font = font or self.st["body_font"]
        pt = pt or self.st["body_pt"]
        self.page["items"].append(dict(k="text", x=x, y=baseline, s=s, font=font, pt=pt,
                                       color=color, track=track))
        if printed:
            self.page["lines"].append(s)

    def put_line(self, s, x=None, pt=None, font=None, align="left", color=BLACK, track=0.0):
        pt = pt or self.st["body_pt"]
        font = font or self.st["body_font"]
        h = self.lh(pt)
        self.need(h)
        w = text_width(s, font, pt, track)
        if align == "center":
            x = (self.left + self.right - w) / 2
        elif align == "right":
            x = self.right - w - (x or 0)
        elif x is None:
            x = self.left
        base = self.y + pt * PT_MM * 1.0
        self.text(x, base, s, font, pt, color, track)
        self.y += h
        return x, base, w

    # -- blocks ----------------------------------------------------------
    def run(self):
        for b in self.doc.blocks:
            getattr(self, "b_" + b["k"])(b)
        return self.pages

    def b_space(self, b):
        self.y += b["mm"]

    def b_pagebreak(self, b):
        self.new_page()

    def b_header(self, b):
        self.put_line(b["text"], pt=self.st["header_pt"], font=self.st["header_font"], align="center")
        self.y += 1

    def b_letterhead(self, b):
        red = self.st["letterhead_red"]
        pt = self.st["letterhead_pt"]
        s = b["text"]
        fnt = self.st["letterhead_font"]
        track = 0.8
        w = text_width(s, fnt, pt, track)
        while w > self.right - self.left and pt > 14:
            pt -= 1
            w = text_width(s, fnt, pt, track)
        x0, base, w = self.put_line(s, pt=pt, font=fnt, align="center", color=red, track=track)
        top = base - pt * PT_MM * 0.9
        self.page["traps"].append(dict(kind="letterhead", box=[x0, top, x0 + w, base + pt * PT_MM * 0.15]))
        y = self.y + 1.5
        self.page["items"].append(dict(k="rule", x0=self.left, y0=y, x1=self.right, y1=y, w=0.9, color=red))
        self.page["traps"].append(dict(kind="red_rule", box=[self.left, y - 0.8, self.right, y + 0.8]))
        self.y += 6

    def b_title(self, b):
        st = self.st
        s = b["text"]
        if st["title_spaced"] and len(s) <= 10:
            s = " ".join(s)
        self.y += 2
        x0, base, w = self.put_line(s, pt=st["title_pt"], font=st["title_font"], align="center",
                                    track=st["title_track"])
        self.y += 2

    def b_docno(self, b):
        align = self.st["docno_align"]
        self.put_line(b["text"], align=align, x=5 if align == "right" else None)
        self.y += 1

    def b_para(self, b):
        st = self.st
        pt, font = b.get("pt", st["body_pt"]), st["body_font"]
        indent = char_w(font, "中") * pt * 2 if b.get("indent", True) else 0
        lines = wrap(b["text"], self.right - self.left, font, pt, indent)
        for i, ln in enumerate(lines):
            self.put_line(ln, x=self.left + (indent if i == 0 else 0), pt=pt)
        if b.get("note") and self.pages:   # red handwriting note in the right margin (trap)
            self.red_note(b["note"])

    def red_note(self, s):
        pt = 16
        x = self.right - text_width(s, "kai", pt) - 2
        base = self.y - 1
        red = self.st["trap_red"]
        self.page["items"].append(dict(k="text", x=x, y=base, s=s, font="kai", pt=pt, color=red, track=0.5))
        self.page["traps"].append(dict(kind="handwriting", box=[x, base - pt * PT_MM, x + text_width(s, "kai", pt, 0.5), base + 1]))

    def b_line(self, b):
        st = self.st
        pt, font = st["body_pt"], st["body_font"]
        lines = wrap(b["text"], self.right - self.left, font, pt)
        for ln in lines:
            x, base, w = self.put_line(ln, pt=pt)
        if b.get("underline"):   # red underline under the last line (trap)
            red = st["trap_red"]
            y = base + 1.2
            self.page["items"].append(dict(k="rule", x0=x, y0=y, x1=x + w, y1=y, w=0.5, color=red))
            self.page["traps"].append(dict(kind="underline", box=[x, y - 0.6, x + w, y + 0.6]))

    def b_sig(self, b):
        """Signature label (printed) with a handwritten scribble beside it when signed."""
        st = self.st
        pt = st["body_pt"]
        h = max(self.lh(pt), 11)
        self.need(h)
        base = self.y + h * 0.7
        x = self.left + b.get("indent", 0)
        label = b["label"]
        self.text(x, base, label)
        lw = text_width(label, st["body_font"], pt)
        tail = b.get("tail")
        if tail:
            tx = self.right - text_width(tail, st["body_font"], pt) - 2
            self.text(tx, base, tail)
        if b.get("signed"):
            self.scribble(x + lw + 2, base - 8, self.rng.uniform(22, 34), 10)
        self.y += h

    def scribble(self, x, y, w, h):
        ink = self.rng.choice([(25, 35, 110), (20, 25, 80), (15, 15, 20), (30, 40, 130)])
        self.page["items"].append(dict(k="scribble", x=x, y=y, w=w, h=h,
                                       seed=self.rng.getrandbits(31), color=ink))

    def b_table(self, b):
        """Grid table: cols = fractions of the text width; cells are str or
        {"text", "sig", "tick", "tail"}; the first row may be a header."""
        st = self.st
        pt, font = b.get("pt", st["body_pt"]), st["body_font"]
        x0, x1 = self.left, self.right
        widths = [(x1 - x0) * f for f in b["cols"]]
        line_h = self.lh(pt)
        pad = 1.5
        for r, row in enumerate(b["rows"]):
            cells = [c if isinstance(c, dict) else {"text": c} for c in row]
            wrapped = [wrap(c["text"], w - 2 * pad, font, pt) if c["text"] else [] for c, w in zip(cells, widths)]
            n = max(1, max(len(wl) for wl in wrapped))
            extra = max((12 if c.get("sig") or c.get("tail") else 0) for c in cells)
            h = n * line_h + 2 * pad + extra
            h = max(h, b.get("minh", 0))
            if self.y + h > self.bottom:
                self.new_page()
            top = self.y
            items = self.page["items"]
            items.append(dict(k="rule", x0=x0, y0=top, x1=x1, y1=top, w=0.3, color=BLACK))
            cx = x0
            for c, w, wl in zip(cells, widths, wrapped):
                items.append(dict(k="rule", x0=cx, y0=top, x1=cx, y1=top + h, w=0.3, color=BLACK))
                for i, ln in enumerate(wl):
                    tx = cx + pad
                    if c.get("center"):
                        tx = cx + (w - text_width(ln, font, pt)) / 2
                    items.append(dict(k="text", x=tx, y=top + pad + (i + 0.8) * line_h, s=ln, font=font,
                                      pt=pt, color=BLACK, track=0))
                if c.get("tail"):
                    tw = text_width(c["tail"], font, pt)
                    items.append(dict(k="text", x=cx + w - tw - pad, y=top + h - pad - 1, s=c["tail"],
                                      font=font, pt=pt, color=BLACK, track=0))
                if c.get("sig"):
                    self.scribble(cx + w * 0.35, top + h - pad - 12, min(30, w * 0.35), 9)
                if c.get("tick") and wl:
                    red = st["trap_red"]
                    tx = cx + pad + text_width(wl[0], font, pt) + 2
                    ty = top + pad + line_h * 0.2
                    items.append(dict(k="tick", x=tx, y=ty, size=6, color=red))
                    self.page["traps"].append(dict(kind="tick", box=[tx, ty, tx + 6, ty + 6]))
                cx += w
            items.append(dict(k="rule", x0=x1, y0=top, x1=x1, y1=top + h, w=0.3, color=BLACK))
            items.append(dict(k="rule", x0=x0, y0=top + h, x1=x1, y1=top + h, w=0.3, color=BLACK))
            for i in range(n + (1 if any(c.get("tail") for c in cells) else 0)):
                parts = [wl[i] for wl in wrapped if i < len(wl)]
                if i == n:
                    parts = [c["tail"] for c in cells if c.get("tail")]
                if parts:
                    self.page["lines"].append(" ".join(parts))
            self.y = top + h
        self.y += 2

    def b_closing(self, b):
        """落款: agency name and date right-aligned, the seal over them."""
        st = self.st
        pt = st["body_pt"]
        lines = b["lines"]
        block_h = len(lines) * self.lh(pt) + 16
        self.need(block_h)
        self.y += 8
        ws = [text_width(s, st["body_font"], pt) for s in lines]
        right = self.right - st["closing_indent"]
        centre_x = right - max(ws) / 2
        bases = []
        for s, w in zip(lines, ws):
            x = centre_x - w / 2
            base = self.y + pt * PT_MM
            self.text(x, base, s)
            bases.append(base)
            self.y += self.lh(pt)
        spec = b.get("seal")
        if spec:
            dx, dy = st["seal_offset"]
            cy = (bases[0] + bases[-1]) / 2 - pt * PT_MM * 0.4 + dy
            cy = min(max(cy, spec["h"] / 2 + 3), PAGE_H - spec["h"] / 2 - 3)
            cx = min(centre_x + dx, PAGE_W - spec["w"] / 2 - 3)
            self.page["items"].append(dict(k="seal", cx=cx, cy=cy, spec=spec))
        self.y += 4

    def b_photo(self, b):
        h = b.get("h", 85)
        self.need(h + 25)
        w = (self.right - self.left) * b.get("wfrac", 0.85)
        x = (self.left + self.right - w) / 2
        self.page["items"].append(dict(k="photo", x=x, y=self.y, w=w, h=h, seed=self.rng.getrandbits(31)))
        self.page["photo"] = True
        self.y += h + 3
        for c in b["caption"]:
            self.put_line(c)


def layout_doc(doc, style, rng):
    pages = Flow(doc, style, rng).run()
    if doc.footer_sig:   # 笔录: party signs every page; "第N页 共M页"
        n = len(pages)
        for i, p in enumerate(pages):
            y = PAGE_H - style["margin_b"] - 4
            x = style["margin_l"]
            p["items"].append(dict(k="text", x=x, y=y, s=doc.footer_sig, font=style["body_font"],
                                   pt=style["body_pt"], color=BLACK, track=0))
            foot = f"第{i + 1}页 共{n}页"
            fx = PAGE_W - style["margin_r"] - text_width(foot, style["body_font"], style["body_pt"])
            p["items"].append(dict(k="text", x=fx, y=y, s=foot, font=style["body_font"],
                                   pt=style["body_pt"], color=BLACK, track=0))
            p["lines"].append(doc.footer_sig + " " + foot)
            if doc.party_signed:
                lw = text_width(doc.footer_sig, style["body_font"], style["body_pt"])
                ink = rng.choice([(25, 35, 110), (20, 25, 80), (15, 15, 20)])
                p["items"].append(dict(k="scribble", x=x + lw + 2, y=y - 8, w=rng.uniform(22, 32), h=10,
                                       seed=rng.getrandbits(31), color=ink))
    return pages
