"""Chinese formatting: dates, times, numerals, amounts, identity numbers."""
import datetime as dt

DIG = "〇一二三四五六七八九"
CAP = "零壹贰叁肆伍陆柒捌玖"


def cn_int(n):
    """Chinese numeral for 0 < n < 10000 (十二, 一百二十四, 二十)."""
    if n < 10:
        return "零一二三四五六七八九"[n]
    units = [(1000, "千"), (100, "百"), (10, "十")]
    out, zero = "", False
    for u, name in units:
        q, n = divmod(n, u)
        if q:
            if zero:
                out += "零"
                zero = False
            out += ("" if (u == 10 and q == 1 and not out) else "零一二三四五六七八九"[q]) + name
        elif out:
            zero = True
    if n:
        if zero:
            out += "零"
        out += "零一二三四五六七八九"[n]
    return out


def fmt_date(d, style="arabic", zero="〇"):
    if d is None:
        return "    年  月  日"
    if style == "arabic":
        return f"{d.year}年{d.month}月{d.day}日"
    if style == "dot":
        return f"{d.year}.{d.month}.{d.day}"
    if style == "dash":
        return f"{d.year}-{d.month:02d}-{d.day:02d}"
    if style == "cn":
        y = "".join(DIG[int(c)] for c in str(d.year)).replace("〇", zero)
        return f"{y}年{cn_int(d.month)}月{cn_int(d.day)}日"
    raise ValueError(style)


def fmt_time(h, m):
    return f"{h}时{m:02d}分" if m else f"{h}时"


def amount_caps(n):
    """Integer yuan in financial capitals: 50000 -> 伍万元整, 3500 -> 叁仟伍佰元整."""
    if n == 0:
        return "零元整"
    parts = []
    wan, rest = divmod(n, 10000)

    def four(x, lead):
        s, zero = "", False
        for u, name in [(1000, "仟"), (100, "佰"), (10, "拾"), (1, "")]:
            q, x = divmod(x, u)
            if q:
                if zero or (lead and not s and u < 1000):
                    s += "零" if s or lead else ""
                zero = False
                s += CAP[q] + name
            elif s:
                zero = True
        return s

    if wan:
        parts.append(four(wan, False) + "万")
    if rest:
        parts.append(four(rest, bool(wan)))
    return "".join(parts) + "元整"


USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc(rng, region="150602"):
    """18-char 统一社会信用代码 with a valid GB 32100 check character."""
    body = "91" + region + "".join(rng.choice(USCC_CHARS[:10] if i < 8 else USCC_CHARS)
                                   for i in range(9))
    s = sum(USCC_CHARS.index(c) * w for c, w in zip(body, USCC_W))
    return body + USCC_CHARS[(31 - s % 31) % 31]


def id_number(rng, region="150602"):
    """18-digit 居民身份证号 with a valid ISO 7064 check digit."""
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 15000))
    body = region + birth.strftime("%Y%m%d") + f"{rng.randrange(0, 1000):03d}"
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    s = sum(int(c) * x for c, x in zip(body, w))
    return body + "10X98765432"[s % 11]


def article(n, kuan=None, xiang=None):
    s = f"第{cn_int(n)}条"
    if kuan:
        s += f"第{cn_int(kuan)}款"
    if xiang:
        s += f"第（{cn_int(xiang)}）项"
    return s
