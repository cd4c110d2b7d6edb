"""Scanner damage: tint, uneven light, skew, blur, noise, rotation, grey; boxes follow the page."""
import math

import numpy as np
from PIL import Image, ImageFilter


def scan_params(rng, case_style):
    """Per-page damage parameters, drawn from the case's scanner profile."""
    p = dict(case_style["scanner"])
    p["skew"] = rng.uniform(-p["max_skew"], p["max_skew"]) if rng.random() < 0.85 else 0.0
    p["quality"] = rng.randint(*p["quality"])
    p["blur"] = rng.choice([0, 0, 0.4, 0.7, 1.0]) * p["blur_level"]
    p["seed"] = rng.getrandbits(31)
    return p


def _rot_point(x, y, cx, cy, deg):
    """Image.rotate(deg) turns counter-clockwise; map a point accordingly."""
    t = math.radians(deg)
    dx, dy = x - cx, y - cy
    return cx + dx * math.cos(t) + dy * math.sin(t), cy - dx * math.sin(t) + dy * math.cos(t)


def apply(img, p, boxes, rotation=0, grey=False, blank=False):
    """Degrade img; returns (image, boxes as fractions of the stored page)."""
    rs = np.random.default_rng(p["seed"])
    W, H = img.size
    arr = np.asarray(img, dtype=np.float32)
    tint = np.array(p["tint"], dtype=np.float32) / 255.0
    arr = arr * tint
    # uneven illumination: a smooth gradient and a soft vignette
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    g = 1.0 - p["illum"] * (0.5 * (xx / W) * p["illum_dir"][0] + 0.5 * (yy / H) * p["illum_dir"][1])
    r2 = ((xx / W - 0.5) ** 2 + (yy / H - 0.5) ** 2)
    g -= p["vignette"] * r2
    arr *= g[..., None]
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    fill = tuple(int(v * 0.97) for v in p["tint"])
    pts = [list(b) for b in boxes]
    if p["skew"]:
        img = img.rotate(p["skew"], resample=Image.BILINEAR, fillcolor=fill)
        cx, cy = W / 2, H / 2
        for i, b in enumerate(pts):
            cs = [_rot_point(x, y, cx, cy, p["skew"]) for x, y in ((b[0], b[1]), (b[2], b[1]), (b[0], b[3]), (b[2], b[3]))]
            pts[i] = [min(c[0] for c in cs), min(c[1] for c in cs), max(c[0] for c in cs), max(c[1] for c in cs)]
    if p["blur"]:
        img = img.filter(ImageFilter.GaussianBlur(p["blur"]))
    arr = np.asarray(img, dtype=np.float32)
    # low-frequency noise (cheap to JPEG-encode) plus sparse speckles
    lo = rs.normal(0, p["noise"], (H // 8 + 1, W // 8 + 1)).astype(np.float32)
    lo = np.asarray(Image.fromarray(lo).resize((W, H), Image.BILINEAR))
    arr += lo[..., None]
    n_speck = int(W * H * p["speckle"])
    if n_speck:
        ys, xs = rs.integers(0, H, n_speck), rs.integers(0, W, n_speck)
        arr[ys, xs] = rs.uniform(30, 120, (n_speck, 1))
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    if grey:
        img = img.convert("L")
    if rotation:  # clockwise degrees the page was turned on the scanner
        img = img.rotate(-rotation, expand=True)
        for i, b in enumerate(pts):
            x0, y0, x1, y1 = b
            if rotation == 180:
                pts[i] = [W - x1, H - y1, W - x0, H - y0]
            elif rotation == 90:   # clockwise: (x, y) -> (H - y, x)
                pts[i] = [H - y1, x0, H - y0, x1]
            elif rotation == 270:  # (x, y) -> (y, W - x)
                pts[i] = [y0, W - x1, y1, W - x0]
    SW, SH = img.size
    fr = [[round(min(max(b[0] / SW, 0), 1), 4), round(min(max(b[1] / SH, 0), 1), 4),
           round(min(max(b[2] / SW, 0), 1), 4), round(min(max(b[3] / SH, 0), 1), 4)] for b in pts]
    return img, fr
