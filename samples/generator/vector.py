"""Born-digital PDFs: the same laid-out pages drawn with reportlab (real text layer)."""
import os

from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from artwork import render_seal, render_scribble, render_photo
from fonts import FONTS, PT_MM
from layout import PAGE_W, PAGE_H
from raster import ellipse_box

MM = 72.0 / 25.4
_registered = set()


def _font(key):
    name = "pc_" + key
    if name not in _registered:
        path, idx, ttf = FONTS[key]
        if not ttf:
            raise ValueError(f"font {key} has CFF outlines; born-digital pages need TrueType fonts")
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=idx))
        _registered.add(name)
    return name


def write_pdf(path, pages):
    """pages: laid-out page dicts. Returns per page the seal boxes [(item, box as fractions)]."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    c = canvas.Canvas(path, pagesize=(PAGE_W * MM, PAGE_H * MM), invariant=1, pageCompression=1)
    c.setCreator("pingcha sample generator")
    c.setProducer("pingcha sample generator")
    res = []
    k = 8.0  # px per mm for the bitmap overlays (≈ 200 dpi)
    for page in pages:
        seals = []
        for it in page["items"]:
            kind = it["k"]
            if kind == "text":
                r, g, b = (v / 255.0 for v in it["color"])
                c.setFillColorRGB(r, g, b)
                t = c.beginText()
                t.setFont(_font(it["font"]), it["pt"])
                t.setCharSpace(it.get("track", 0) * MM)
                t.setTextOrigin(it["x"] * MM, (PAGE_H - it["y"]) * MM)
                t.textOut(it["s"])
                c.drawText(t)
            elif kind == "rule":
                r, g, b = (v / 255.0 for v in it["color"])
                c.setStrokeColorRGB(r, g, b)
                c.setLineWidth(it["w"] * MM)
                c.line(it["x0"] * MM, (PAGE_H - it["y0"]) * MM, it["x1"] * MM, (PAGE_H - it["y1"]) * MM)
            elif kind == "tick":
                r, g, b = (v / 255.0 for v in it["color"])
                c.setStrokeColorRGB(r, g, b)
                c.setLineWidth(it["size"] * 0.12 * MM)
                s, x, y = it["size"], it["x"], it["y"]
                p = c.beginPath()
                p.moveTo(x * MM, (PAGE_H - y - s * 0.55) * MM)
                p.lineTo((x + s * 0.35) * MM, (PAGE_H - y - s) * MM)
                p.lineTo((x + s) * MM, (PAGE_H - y) * MM)
                c.drawPath(p, stroke=1, fill=0)
            elif kind == "photo":
                im = render_photo(it["w"] * k, it["h"] * k, it["seed"])
                c.drawImage(ImageReader(im), it["x"] * MM, (PAGE_H - it["y"] - it["h"]) * MM, it["w"] * MM, it["h"] * MM)
            elif kind == "scribble":
                im = render_scribble(it["w"] * k, it["h"] * k, it["seed"], it["color"])
                c.drawImage(ImageReader(im), it["x"] * MM, (PAGE_H - it["y"] - it["h"]) * MM, it["w"] * MM, it["h"] * MM,
                            mask="auto")
        for it in page["items"]:
            if it["k"] == "seal":
                sp = it["spec"]
                im = render_seal(sp, k)
                w, h = im.width / k, im.height / k
                c.drawImage(ImageReader(im), (it["cx"] - w / 2) * MM, (PAGE_H - it["cy"] - h / 2) * MM, w * MM, h * MM,
                            mask="auto")
                b = ellipse_box(it["cx"], it["cy"], sp["w"] / 2, sp["h"] / 2, sp["rotation"])
                seals.append((it, [round(b[0] / PAGE_W, 4), round(b[1] / PAGE_H, 4),
                                   round(b[2] / PAGE_W, 4), round(b[3] / PAGE_H, 4)]))
        res.append(seals)
        c.showPage()
    c.save()
    return res
