"""Font registry shared by the raster (PIL) and the born-digital (reportlab) renderers."""
from PIL import ImageFont

NOTO = "/usr/share/fonts/opentype/noto/"
FONTS = {  # key: (path, ttc index, TrueType outlines usable by reportlab)
    "song": (NOTO + "NotoSerifCJK-Regular.ttc", 2, False),
    "song_b": (NOTO + "NotoSerifCJK-Bold.ttc", 2, False),
    "hei": (NOTO + "NotoSansCJK-Regular.ttc", 2, False),
    "hei_b": (NOTO + "NotoSansCJK-Bold.ttc", 2, False),
    "ming": ("/usr/share/fonts/truetype/arphic/uming.ttc", 0, True),
    "kai": ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0, True),
    "wqy": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0, True),
}
PT_MM = 25.4 / 72.0
_REF = 100  # px size used to measure
_cache = {}


def pil_font(key, px):
    k = (key, px)
    if k not in _cache:
        path, idx, _ = FONTS[key]
        _cache[k] = ImageFont.truetype(path, px, index=idx)
    return _cache[k]


_wcache = {}


def char_w(key, ch):
    """Advance of one character at 1 pt, in mm."""
    k = (key, ch)
    if k not in _wcache:
        _wcache[k] = pil_font(key, _REF).getlength(ch) / _REF * PT_MM
    return _wcache[k]


def text_width(text, key, pt, track=0.0):
    """Width in mm of text at size pt with extra tracking (mm per character)."""
    return sum(char_w(key, c) for c in text) * pt + track * max(0, len(text) - 1)
