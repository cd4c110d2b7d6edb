"""Seals, handwriting scribbles and synthetic evidence photos (RGBA / RGB PIL images)."""
import math

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from fonts import pil_font

# Fonts a seal's ring and centre are cut in (keys of fonts.FONTS); song_b is
# drawn twice as often. generate.py --seal-fonts replaces them, to measure
# how owner verification holds on fonts pingcha does not render itself.
SEAL_FONTS = ["song_b", "hei_b", "song_b"]

SEAL_REDS = {
    "red": (215, 30, 40), "pink": (232, 80, 110), "dark": (165, 20, 30),
    "orange": (225, 55, 35), "crimson": (200, 15, 60),
}


def seal_spec(rng, owner, shape="round", centre_text="", colour=None, size_mm=None):
    """A seal description: everything random is drawn here so rendering is a pure function."""
    if shape == "round":
        d = size_mm or rng.uniform(40, 45)
        w = h = d
    elif shape == "rect":
        w, h = rng.uniform(36, 44), rng.uniform(14, 18)
    else:
        w, h = rng.uniform(42, 46), rng.uniform(28, 32)
    return dict(shape=shape, w=w, h=h, owner=owner, centre_text=centre_text,
                star=(shape == "round") or rng.random() < 0.3,
                double=rng.random() < 0.25,
                color=SEAL_REDS[colour or rng.choice(list(SEAL_REDS))],
                opacity=rng.choice([rng.uniform(0.55, 0.7), rng.uniform(0.75, 0.95), rng.uniform(0.8, 0.95)]),
                rotation=rng.uniform(-25, 25), uneven=rng.uniform(0.1, 0.6),
                font=rng.choice(SEAL_FONTS), seed=rng.getrandbits(31))


def _star(cx, cy, r):
    pts = []
    for i in range(10):
        a = -math.pi / 2 + i * math.pi / 5
        rr = r if i % 2 == 0 else r * 0.38
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    return pts


def render_seal(spec, px_per_mm):
    """RGBA image of the seal (before rotation), tightly sized."""
    S = 2  # supersampling
    W = int(spec["w"] * px_per_mm * S) + 4
    H = int(spec["h"] * px_per_mm * S) + 4
    mask = Image.new("L", (W, H), 0)
    d = ImageDraw.Draw(mask)
    cx, cy = W / 2, H / 2
    rx, ry = W / 2 - 3, H / 2 - 3
    ring = max(2, int(spec["w"] * 0.03 * px_per_mm * S))
    if spec["shape"] == "rect":
        d.rectangle([3, 3, W - 3, H - 3], outline=255, width=ring)
        lines = [spec["owner"]] + ([spec["centre_text"]] if spec["centre_text"] else [])
        for i, ln in enumerate(lines):
            cp = int(min((W - 12) / max(1, len(ln)), H / (len(lines) + 1.2)))
            f = pil_font(spec["font"], max(8, cp))
            d.text((cx, H * (i + 1) / (len(lines) + 1)), ln, font=f, fill=255, anchor="mm")
        text = ""
    else:
        d.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], outline=255, width=ring)
        text = spec["owner"]
    if spec["double"] and spec["shape"] != "rect":
        k = 0.86
        d.ellipse([cx - rx * k, cy - ry * k, cx + rx * k, cy + ry * k], outline=255, width=max(1, ring // 3))
    # ring text along the upper arc
    n = len(text)
    span = math.radians(min(290, 140 + 9 * n)) if spec["shape"] == "round" else math.radians(min(230, 120 + 7 * n))
    inner = 0.80 if not spec["double"] else 0.70
    trx, try_ = rx * inner, ry * inner
    step = span / max(1, n - 1) if n > 1 else 0
    arc_len = span * (rx * 0.72)
    ch_px = int(min(arc_len / max(n, 1) * 1.05, rx * 0.30))
    if spec["shape"] != "round":
        ch_px = int(min(ch_px, ry * 0.36))
    font = pil_font(spec["font"], max(8, ch_px))
    for i, ch in enumerate(text):
        t = -span / 2 + i * step            # angle from the top, clockwise
        x = cx + trx * math.sin(t)
        y = cy - try_ * math.cos(t)
        g = Image.new("L", (ch_px * 2, ch_px * 2), 0)
        ImageDraw.Draw(g).text((ch_px, ch_px), ch, font=font, fill=255, anchor="mm")
        g = g.resize((int(ch_px * 1.5), int(ch_px * 2.1)))    # tall, condensed seal glyphs
        # tangent direction of the ellipse gives the glyph rotation
        ang = math.degrees(math.atan2(try_ * math.sin(t), trx * math.cos(t)))
        g = g.rotate(-ang, resample=Image.BICUBIC, expand=True)
        mask.paste(255, (int(x - g.width / 2), int(y - g.height / 2)), g)
    if spec["star"] and spec["shape"] != "rect":
        r = (min(rx, ry) * (0.30 if spec["shape"] == "round" else 0.22))
        d.polygon(_star(cx, cy - (0 if spec["shape"] == "round" else ry * 0.25), r), fill=255)
    if spec["centre_text"] and spec["shape"] != "rect":
        ct = spec["centre_text"]
        cp = int(min(rx * 1.2 / len(ct), ry * 0.3))
        f2 = pil_font(spec["font"], max(8, cp))
        ty = cy + (ry * 0.48 if spec["shape"] == "round" else ry * 0.25)
        d.text((cx, ty), ct, font=f2, fill=255, anchor="mm")
    mask = mask.resize((W // S, H // S), Image.LANCZOS)
    # uneven ink: smooth random field, a few dry spots
    rs = np.random.default_rng(spec["seed"])
    a = np.asarray(mask, dtype=np.float32) / 255.0
    lo = rs.random((6, 6)).astype(np.float32)
    field = np.asarray(Image.fromarray((lo * 255).astype(np.uint8)).resize(mask.size, Image.BICUBIC),
                       dtype=np.float32) / 255.0
    a *= spec["opacity"] * (1 - spec["uneven"] * field)
    speck = rs.random(a.shape) < 0.04
    a[speck] *= 0.3
    alpha = Image.fromarray(np.clip(a * 255, 0, 255).astype(np.uint8))
    img = Image.new("RGBA", mask.size, spec["color"] + (0,))
    img.putalpha(alpha)
    return img.rotate(spec["rotation"], resample=Image.BICUBIC, expand=True)


def render_scribble(w_px, h_px, seed, color):
    """Handwriting-like signature: a few cubic Bezier strokes with varying pen width."""
    rs = np.random.default_rng(seed)
    S = 2
    W, H = max(4, int(w_px * S)), max(4, int(h_px * S))
    img = Image.new("L", (W, H), 0)
    d = ImageDraw.Draw(img)
    n_glyph = rs.integers(2, 4)
    width = max(2, int(H * rs.uniform(0.05, 0.08)))
    for gi in range(n_glyph):
        gx0 = W * gi / n_glyph
        gw = W / n_glyph
        for _ in range(rs.integers(2, 4)):
            p = [(gx0 + rs.uniform(0, 1) * gw, rs.uniform(0.15, 0.85) * H) for _ in range(4)]
            pts = []
            for t in np.linspace(0, 1, 40):
                x = ((1 - t) ** 3 * p[0][0] + 3 * (1 - t) ** 2 * t * p[1][0] + 3 * (1 - t) * t ** 2 * p[2][0]
                     + t ** 3 * p[3][0])
                y = ((1 - t) ** 3 * p[0][1] + 3 * (1 - t) ** 2 * t * p[1][1] + 3 * (1 - t) * t ** 2 * p[2][1]
                     + t ** 3 * p[3][1])
                pts.append((x, y))
            d.line(pts, fill=255, width=width, joint="curve")
    # a trailing flourish
    y0 = H * rs.uniform(0.5, 0.8)
    d.line([(W * 0.05, y0), (W * 0.5, y0 + rs.uniform(-3, 3) * S), (W * 0.95, y0 - H * 0.2)], fill=255,
           width=max(1, width - 1), joint="curve")
    img = img.resize((W // S, H // S), Image.LANCZOS)
    out = Image.new("RGBA", img.size, color + (0,))
    out.putalpha(img)
    return out


def render_photo(w_px, h_px, seed):
    """Synthetic evidence photo: gradient scene, shelves/boxes, noise blobs."""
    rs = np.random.default_rng(seed)
    w_px, h_px = max(8, int(w_px)), max(8, int(h_px))
    yy, xx = np.mgrid[0:h_px, 0:w_px].astype(np.float32)
    base = rs.uniform(60, 200, 3)
    top = rs.uniform(80, 230, 3)
    t = (yy / h_px)[..., None]
    img = base * t + top * (1 - t) + (xx / w_px)[..., None] * rs.uniform(-40, 40, 3)
    im = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    d = ImageDraw.Draw(im)
    for _ in range(rs.integers(4, 10)):
        x0, y0 = rs.uniform(0, w_px * 0.8), rs.uniform(h_px * 0.2, h_px * 0.9)
        bw, bh = rs.uniform(w_px * 0.05, w_px * 0.3), rs.uniform(h_px * 0.05, h_px * 0.3)
        col = tuple(int(c) for c in rs.uniform(30, 240, 3))
        if rs.random() < 0.6:
            d.rectangle([x0, y0, x0 + bw, y0 + bh], fill=col, outline=(30, 30, 30))
        else:
            d.ellipse([x0, y0, x0 + bw, y0 + bh], fill=col)
    for _ in range(3):
        y = rs.uniform(h_px * 0.3, h_px * 0.9)
        d.line([(0, y), (w_px, y + rs.uniform(-10, 10))], fill=(70, 60, 50), width=max(2, h_px // 80))
    im = im.filter(ImageFilter.GaussianBlur(1.2))
    arr = np.asarray(im, dtype=np.float32) + rs.normal(0, 8, (h_px, w_px, 1))
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
