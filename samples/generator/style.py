"""Per-case typography and scanner profile (all random choices of appearance live here)."""
import random

DOCNO_WORDS = [
    dict(decision="处罚", notice="罚告", filing="立", seizure="强扣", release="解扣", license="许", accept="许受",
         rectify="责改", inspect="检通", onsite="当罚"),
    dict(decision="罚", notice="告", filing="立", seizure="强制", release="解强", license="许决", accept="受",
         rectify="限改", inspect="检", onsite="简罚"),
    dict(decision="行罚", notice="罚告字", filing="案", seizure="查封", release="解封", license="许准", accept="许受",
         rectify="责令", inspect="检查", onsite="当场罚"),
]


def case_style(rng, born_digital=False, small=False):
    bd = born_digital
    st = dict(
        rng_text=random.Random(rng.getrandbits(32)),
        body_font=rng.choice(["ming", "wqy"] if bd else ["song", "ming", "song", "hei", "wqy"]),
        title_font=rng.choice(["wqy", "ming"] if bd else ["song_b", "hei_b", "song_b", "wqy", "song"]),
        header_font=rng.choice(["wqy", "ming"] if bd else ["song", "hei", "song_b", "ming"]),
        letterhead_font=rng.choice(["wqy", "ming"] if bd else ["song_b", "hei_b"]),
        body_pt=rng.choice([11.5, 12, 12, 12.5, 13]),
        header_pt=rng.choice([13, 14, 15, 16]),
        title_pt=rng.choice([18, 20, 22, 22, 24]),
        letterhead_pt=rng.choice([24, 26, 28]),
        title_spaced=rng.random() < 0.35,
        title_track=rng.choice([0, 0, 0.6, 1.5]),
        leading=rng.uniform(1.5, 1.85),
        margin_l=rng.uniform(22, 30), margin_r=rng.uniform(18, 24),
        margin_t=rng.uniform(20, 28), margin_b=rng.uniform(20, 26),
        docno_align=rng.choice(["center", "center", "right"]),
        docno_style=rng.choice(["plain", "plain", "plain", "zi"]),
        docno_words=rng.choice(DOCNO_WORDS),
        closing_date_style=rng.choice(["cn", "cn", "cn", "arabic"]),
        zero_char=rng.choice(["〇", "〇", "○"]),
        form_date_style=rng.choice(["arabic", "arabic", "arabic", "dot"]),
        header_line=rng.random() < 0.7,
        closing_indent=rng.uniform(4, 18),
        seal_offset=(rng.uniform(-8, 8), rng.uniform(-5, 6)),
        seal_colour=rng.choice(["red", "pink", "dark", "orange", "crimson"]),
        letterhead_red=(rng.randint(200, 235), rng.randint(15, 45), rng.randint(25, 55)),
        trap_red=(rng.randint(200, 235), rng.randint(20, 60), rng.randint(30, 60)),
        review_body=rng.choice(["gov", "gov", "parent"]),
        dpi=rng.choice([150, 160, 170] if small else [150, 160, 170, 180, 200]),
        colour=rng.random() > 0.15,
        number_pos=rng.choice(["br", "br", "tr"]),
        born_digital=bd,
        omit=set(), page_gap=None, toc_extra=None,
        scanner=dict(
            tint=rng.choice([(252, 248, 232), (246, 240, 220), (238, 238, 234), (250, 250, 248), (244, 242, 236)]),
            illum=rng.uniform(0, 0.18), illum_dir=(rng.uniform(-1, 1), rng.uniform(-1, 1)),
            vignette=rng.uniform(0, 0.2), max_skew=rng.choice([0.5, 1.0, 2.0, 3.0]),
            quality=rng.choice([(40, 60), (50, 75), (60, 85)]),
            blur_level=rng.choice([0, 0.5, 1.0]), noise=rng.uniform(0.5, 4.0),
            speckle=rng.choice([0, 0.00005, 0.0002, 0.0005])),
    )
    return st
