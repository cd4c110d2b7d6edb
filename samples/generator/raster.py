"""Render a laid-out page to a PIL RGB image at a given dpi; report seal/trap boxes in pixels."""
import math

import numpy as np
from PIL import Image, ImageDraw

from artwork import render_seal, render_scribble, render_photo
from fonts import pil_font, char_w, PT_MM
from layout import PAGE_W, PAGE_H


def _multiply(base, overlay, x, y):
    """Multiply-blend an RGBA overlay onto base (float32 HxWx3 array) at integer offset."""
    ov = np.asarray(overlay, dtype=np.float32) / 255.0
    h, w = ov.shape[:2]
    H, W = base.shape[:2]
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(W, x + w), min(H, y + h)
    if x1 <= x0 or y1 <= y0:
        return
    o = ov[y0 - y:y1 - y, x0 - x:x1 - x]
    a = o[..., 3:4]
    base[y0:y1, x0:x1] *= (1 - a + a * o[..., :3])


def ellipse_box(cx, cy, a, b, deg):
    t = math.radians(deg)
    hw = math.sqrt((a * math.cos(t)) ** 2 + (b * math.sin(t)) ** 2)
    hh = math.sqrt((a * math.sin(t)) ** 2 + (b * math.cos(t)) ** 2)
    return [cx - hw, cy - hh, cx + hw, cy + hh]


def render_page(page, dpi, paper=(255, 255, 255)):
    """Returns (image, seals [(item, box_px)], traps [(trap, box_px)])."""
    k = dpi / 25.4
    W, H = int(round(PAGE_W * k)), int(round(PAGE_H * k))
    img = Image.new("RGB", (W, H), paper)
    d = ImageDraw.Draw(img)
    overlays = []
    for it in page["items"]:
        kind = it["k"]
        if kind == "text":
            px = max(6, int(round(it["pt"] * PT_MM * k)))
            f = pil_font(it["font"], px)
            x = it["x"] * k
            y = it["y"] * k
            if it.get("track"):
                for ch in it["s"]:
                    d.text((x, y), ch, font=f, fill=it["color"], anchor="ls")
                    x += (char_w(it["font"], ch) * it["pt"] + it["track"]) * k
            else:
                d.text((x, y), it["s"], font=f, fill=it["color"], anchor="ls")
        elif kind == "rule":
            d.line([(it["x0"] * k, it["y0"] * k), (it["x1"] * k, it["y1"] * k)], fill=it["color"],
                   width=max(1, int(round(it["w"] * k))))
        elif kind == "tick":
            s = it["size"] * k
            x, y = it["x"] * k, it["y"] * k
            d.line([(x, y + s * 0.55), (x + s * 0.35, y + s), (x + s, y)], fill=it["color"],
                   width=max(2, int(s * 0.12)), joint="curve")
        elif kind == "photo":
            ph = render_photo(it["w"] * k, it["h"] * k, it["seed"])
            img.paste(ph, (int(it["x"] * k), int(it["y"] * k)))
            d.rectangle([it["x"] * k, it["y"] * k, it["x"] * k + ph.width, it["y"] * k + ph.height],
                        outline=(40, 40, 40), width=1)
        else:
            overlays.append(it)
    base = np.asarray(img, dtype=np.float32) / 255.0
    seals = []
    for it in overlays:
        if it["k"] == "scribble":
            sc = render_scribble(it["w"] * k, it["h"] * k, it["seed"], it["color"])
            _multiply(base, sc, int(it["x"] * k), int(it["y"] * k))
    for it in overlays:
        if it["k"] == "seal":
            sp = it["spec"]
            im = render_seal(sp, k)
            cx, cy = it["cx"] * k, it["cy"] * k
            _multiply(base, im, int(cx - im.width / 2), int(cy - im.height / 2))
            seals.append((it, ellipse_box(cx, cy, sp["w"] * k / 2, sp["h"] * k / 2, sp["rotation"])))
    img = Image.fromarray(np.clip(base * 255, 0, 255).astype(np.uint8))
    traps = [(t, [v * k for v in t["box"]]) for t in page["traps"]]
    return img, seals, traps
