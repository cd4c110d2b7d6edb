"""Defect injection: choose defects per case, apply them to the plan, and record the truth.

Each defect record: {"check": <check name>, "items": [preferred id, alternatives…], "detail": …}.
Item ids follow rubrics.md §4 (the first id is the one expected_items lists).
"""
import datetime as dt

import calendar2021 as cal
import data
from artwork import seal_spec

# check names per case type (rubrics.md table; inspection uses the 附件7 Q-I module)
APPLICABLE = {
    ("penalty", "ordinary"): ["missing_document", "missing_seal", "wrong_seal_owner", "missing_party_signature",
                              "missing_officer_certificate", "decision_before_notice", "late_service",
                              "late_decision", "missing_remedy_clause", "doc_number_mismatch",
                              "pages_out_of_order", "page_number_gap", "toc_lists_absent"],
    ("penalty", "simple"): ["missing_seal", "wrong_seal_owner"],
    ("license", "ordinary"): ["missing_document", "missing_seal", "wrong_seal_owner", "missing_party_signature",
                              "missing_officer_certificate", "late_service", "late_decision",
                              "missing_remedy_clause", "doc_number_mismatch", "pages_out_of_order",
                              "page_number_gap", "toc_lists_absent"],
    ("coercion", "ordinary"): ["missing_document", "missing_seal", "wrong_seal_owner", "missing_party_signature",
                               "missing_officer_certificate", "late_service", "seizure_too_long",
                               "missing_remedy_clause", "doc_number_mismatch", "pages_out_of_order",
                               "page_number_gap", "toc_lists_absent"],
    ("inspection", "ordinary"): ["missing_seal", "wrong_seal_owner", "missing_party_signature",
                                 "missing_officer_certificate"],
}
PLAN_LEVEL = {"late_service", "late_decision", "decision_before_notice", "seizure_too_long", "missing_remedy_clause"}
CONFLICTS = [{"missing_document", "late_service"}, {"missing_document", "decision_before_notice"},
             {"missing_document", "toc_lists_absent"}, {"missing_document", "pages_out_of_order"},
             {"missing_document", "doc_number_mismatch"}, {"late_decision", "decision_before_notice"},
             {"missing_seal", "wrong_seal_owner"}]

MISSING_DOC = {
    "penalty": {"filing_approval": "P-D1", "prior_notice": "P-V12", "investigation_report": "P-D12",
                "decision_approval": "P-D15", "service_receipt": "P-D18", "closing_report": "P-F4",
                "cover": "P-H2", "toc": "P-H3", "backup_note": "P-H6", "records": "P-D4"},
    "license": {"license_application": "L-01", "acceptance_notice": "L-04", "review_record": "L-07",
                "license_approval": "L-08", "service_receipt": "L-18", "cover": "L-21", "toc": "L-21",
                "backup_note": "L-21"},
    "coercion": {"coercion_approval": "Q-M01", "onsite_record": "Q-M03", "seizure_list": "Q-M05",
                 "service_receipt": "Q-M06", "closing_report": "Q-M13", "cover": "Q-M13", "toc": "Q-M13",
                 "backup_note": "Q-M13"},
}
SEAL_ITEMS = {
    "penalty": {"penalty_decision": ["P-A1", "P-V14"], "prior_notice": ["P-A1", "P-V14"],
                "onsite_penalty_decision": ["P-A1", "P-V14"]},
    "license": {"acceptance_notice": ["L-04"], "license_decision": ["L-14"], "service_receipt": ["L-18"]},
    "coercion": {"seizure_decision": ["Q-M04", "Q-V05"], "release_decision": ["Q-M10", "Q-V05"],
                 "service_receipt": ["Q-M06"]},
    "inspection": {"rectification_notice": ["Q-I06"], "inspection_notice": ["Q-I06"]},
}
OWNER_ITEMS = {"penalty": ["P-A1", "P-V01"], "license": ["L-V01"], "coercion": ["Q-V01"], "inspection": ["Q-V01"]}
SIGN_ITEMS = {
    "penalty": {"inquiry_record": ["P-B5", "P-D5"], "inspection_record": ["P-D5", "P-B5"],
                "service_receipt": ["P-D19"]},
    "license": {"review_record": ["L-07"], "service_receipt": ["L-18"]},
    "coercion": {"onsite_record": ["Q-M03"], "seizure_list": ["Q-M05"], "service_receipt": ["Q-M06"]},
    "inspection": {"inspection_record": ["Q-I04"]},
}
CERT_ITEMS = {
    "penalty": {"inquiry_record": ["P-A2", "P-V03", "P-V04", "P-D4"], "inspection_record": ["P-A2", "P-V03", "P-V04", "P-D4"]},
    "license": {"review_record": ["L-07", "L-V05"]},
    "coercion": {"onsite_record": ["Q-M03", "Q-V02"]},
    "inspection": {"inspection_record": ["Q-I03", "Q-V02"]},
}
REMEDY_ITEMS = {"penalty": ("penalty_decision", ["P-D16"]), "license": ("license_decision", ["L-15"]),
                "coercion": ("seizure_decision", ["Q-M04"])}
NUMBER_ITEMS = {"penalty": ["P-D19", "P-G4"], "license": ["L-18", "L-21"], "coercion": ["Q-M06", "Q-M13"]}
ARCHIVE_ITEMS = {"penalty": {"pages_out_of_order": ["P-H4"], "page_number_gap": ["P-H5"], "toc_lists_absent": ["P-H3"]},
                 "license": {k: ["L-21"] for k in ("pages_out_of_order", "page_number_gap", "toc_lists_absent")},
                 "coercion": {k: ["Q-M13"] for k in ("pages_out_of_order", "page_number_gap", "toc_lists_absent")}}
SWAPS = {"penalty": [("inquiry_record", "investigation_report"), ("decision_approval", "penalty_decision"),
                     ("filing_approval", "inquiry_record")],
         "license": [("license_approval", "license_decision"), ("license_application", "acceptance_notice")],
         "coercion": [("onsite_record", "seizure_decision"), ("release_decision", "closing_report")]}
TOC_ABSENT = {"penalty": ["重大执法决定法制审核意见书", "陈述申辩笔录", "听证笔录"],
              "license": ["补正材料通知书", "特别程序告知书"],
              "coercion": ["延长查封（扣押）期限决定书", "检测期间告知书"]}
TOC_ABSENT_TYPE = {"重大执法决定法制审核意见书": "legal_review", "陈述申辩笔录": "statement_record",
                   "听证笔录": "hearing_record", "补正材料通知书": "correction_notice",
                   "延长查封（扣押）期限决定书": "extension_decision"}


class Deck:
    """Draws check names so that a set of cases covers every applicable check."""

    def __init__(self, rng):
        self.rng = rng
        self.cards = {}

    def draw(self, key, exclude):
        pile = self.cards.setdefault(key, [])
        for _ in range(2):
            for i, c in enumerate(pile):
                if c not in exclude:
                    return pile.pop(i)
            fresh = list(APPLICABLE[key])
            self.rng.shuffle(fresh)
            pile.extend(fresh)
        return None


def choose(rng, deck, case_type, procedure, n):
    key = (case_type, procedure)
    chosen = []
    for _ in range(n):
        excl = set(chosen)
        for c in chosen:
            for pair in CONFLICTS:
                if c in pair:
                    excl |= pair
        k = deck.draw(key, excl)
        if k:
            chosen.append(k)
    return chosen


def _docs(case, t):
    return [d for d in case.docs if d.type == t]


def _record(case, check, items, detail):
    case.defects.append(dict(check=check, items=list(items), detail=detail))


def apply(case, rng, kinds):
    """Apply non-plan-level defects; then record the plan-level ones from the dates."""
    ct = case.case_type
    touched = set()
    for k in kinds:
        if k in PLAN_LEVEL:
            continue
        globals()["_" + k](case, rng, touched)
    _record_plan_level(case, kinds)


def _missing_document(case, rng, touched):
    table = MISSING_DOC[case.case_type]
    options = [t for t in table if t in ("cover", "toc", "backup_note", "records") or _docs(case, t)]
    t = rng.choice(options)
    if t in ("cover", "toc", "backup_note"):
        case.style["omit"].add(t)
    elif t == "records":
        case.docs = [d for d in case.docs if d.type not in ("inspection_record", "inquiry_record")]
    else:
        case.docs = [d for d in case.docs if d.type != t]
        if t == "prior_notice":
            case.docs = [d for d in case.docs if d.fields.get("served_doc_type") != "prior_notice"]
    touched.add(t)
    what = {"records": "现场检查笔录和询问笔录"}.get(t, t)
    _record(case, "missing_document", [table[t]], f"卷内缺少{what}")


def _pick(case, rng, table, touched):
    opts = [d for d in case.docs if d.type in table and d.type not in touched]
    return rng.choice(opts) if opts else None


def _missing_seal(case, rng, touched):
    d = _pick(case, rng, SEAL_ITEMS[case.case_type], touched)
    if not d:
        return
    d.seal = None
    touched.add(d.type)
    _record(case, "missing_seal", SEAL_ITEMS[case.case_type][d.type], f"{d.title}（{d.docno or d.type}）未加盖印章")


def _wrong_seal_owner(case, rng, touched):
    cands = [d for d in case.docs if d.seal and d.type not in touched]
    if case.case_type in SEAL_ITEMS:
        pref = [d for d in cands if d.type in SEAL_ITEMS[case.case_type]]
        cands = pref or cands
    if not cands:
        return
    d = rng.choice(cands)
    if rng.random() < 0.5:
        owner = case.agency + rng.choice(data.INTERNAL_UNITS)
    else:
        owner = rng.choice([b for b in data.OTHER_BODIES if b != case.agency])
    d.seal = seal_spec(rng, owner, d.seal["shape"], d.seal["centre_text"], colour=case.style["seal_colour"])
    d.seal["is_agency"] = False
    touched.add(d.type)
    _record(case, "wrong_seal_owner", OWNER_ITEMS[case.case_type], f"{d.title}加盖“{owner}”印章，非本案执法机关")


def _missing_party_signature(case, rng, touched):
    d = _pick(case, rng, SIGN_ITEMS[case.case_type], touched)
    if not d:
        return
    d.party_signed = False
    touched.add(d.type)
    _record(case, "missing_party_signature", SIGN_ITEMS[case.case_type][d.type], f"{d.title}无当事人签名")


def _missing_officer_certificate(case, rng, touched):
    d = _pick(case, rng, CERT_ITEMS[case.case_type], touched)
    if not d:
        return
    d.officers[1] = dict(d.officers[1], certificate=None)
    touched.add(d.type)
    _record(case, "missing_officer_certificate", CERT_ITEMS[case.case_type][d.type],
            f"{d.title}仅载明一名执法人员的执法证号")


def _doc_number_mismatch(case, rng, touched):
    srs = [d for d in case.docs if d.type == "service_receipt" and d.attrs.get("served_docno")
           and d.fields.get("served_doc_type") in ("penalty_decision", "license_decision", "seizure_decision")]
    if not srs or "service_receipt" in touched:
        return
    d = srs[0]
    right = d.attrs["served_docno"]
    import re
    m = re.search(r"(\d+)号$", right)
    n = int(m.group(1))
    wrong = right[:m.start(1)] + (f"{n + rng.randint(1, 9):0{len(m.group(1))}d}") + "号"
    if rng.random() < 0.3:
        wrong = right.replace("2021", "2020")
    d.attrs["served_docno"] = wrong
    d.fields["served_doc_number"] = wrong
    touched.add("service_receipt")
    _record(case, "doc_number_mismatch", NUMBER_ITEMS[case.case_type], f"送达回证载明文号{wrong}，与被送达文书文号{right}不一致")


def _pages_out_of_order(case, rng, touched):
    pairs = [(a, b) for a, b in SWAPS[case.case_type] if _docs(case, a) and _docs(case, b)]
    if not pairs:
        return
    a, b = rng.choice(pairs)
    ia = case.docs.index(_docs(case, a)[0])
    ib = case.docs.index(_docs(case, b)[0])
    case.docs[ia], case.docs[ib] = case.docs[ib], case.docs[ia]
    _record(case, "pages_out_of_order", ARCHIVE_ITEMS[case.case_type]["pages_out_of_order"],
            f"{case.docs[ia].title}装订在{case.docs[ib].title}之前，未按程序顺序组卷")


def _page_number_gap(case, rng, touched):
    case.style["page_gap"] = rng.choice(["skip", "repeat"])
    _record(case, "page_number_gap", ARCHIVE_ITEMS[case.case_type]["page_number_gap"],
            "页码跳号" if case.style["page_gap"] == "skip" else "页码重号")


def _toc_lists_absent(case, rng, touched):
    if "toc" in case.style["omit"]:
        return
    # Only a document the file really lacks: a 法制审核意见书 in the file is
    # the 重大执法决定法制审核意见书 a reviewer would look for.
    present = {d.type for d in case.docs}
    choices = [t for t in TOC_ABSENT[case.case_type] if TOC_ABSENT_TYPE.get(t) not in present]
    if not choices:
        return
    t = rng.choice(choices)
    case.style["toc_extra"] = t
    _record(case, "toc_lists_absent", ARCHIVE_ITEMS[case.case_type]["toc_lists_absent"], f"卷内目录列有“{t}”，卷内无此文书")


def _record_plan_level(case, kinds):
    ct = case.case_type
    dd = case.dates
    if "late_service" in kinds:
        if ct == "penalty":
            dl = cal.penalty_service_deadline(dd["decision"])
            rule = "7个工作日" if dd["decision"] >= cal.NEW_PENALTY_LAW else "7日"
            _record(case, "late_service", ["P-D20"], f"决定书{dd['decision']}作出，{dd['service']}送达，超过{rule}（期限至{dl}）")
        elif ct == "license":
            _record(case, "late_service", ["L-18"], f"许可决定{dd['decision']}作出，{dd['service']}送达，超过10个工作日")
        elif ct == "coercion":
            _record(case, "late_service", ["Q-M06"], f"决定书{dd['decision']}作出，{dd['service']}才送达，未当场交付")
    if "late_decision" in kinds:
        if ct == "penalty":
            _record(case, "late_decision", ["P-D17"], f"{dd['filing']}立案，{dd['decision']}作出决定，超过90日")
        else:
            _record(case, "late_decision", ["L-17", "L-V07"],
                    f"{dd['acceptance']}受理，{dd['decision']}作出决定，超过20个工作日（{cal.workdays_between(dd['acceptance'], dd['decision'])}个工作日）")
    if "decision_before_notice" in kinds:
        _record(case, "decision_before_notice", ["P-V12", "P-V16", "P-D9"],
                f"处罚决定书日期{dd['decision']}早于告知书日期{dd['notice']}")
    if "seizure_too_long" in kinds:
        days = [d for d in case.docs if d.type == "seizure_decision"][0].fields["seizure_days"]
        _record(case, "seizure_too_long", ["Q-M07"], f"查封扣押期限为{days}日，超过30日且无延长决定")
    if "missing_remedy_clause" in kinds:
        t, items = REMEDY_ITEMS[ct]
        ds = _docs(case, t)
        if ds:
            ds[0].attrs["remedy"] = False
            _record(case, "missing_remedy_clause", items, f"{ds[0].title}未告知申请行政复议、提起行政诉讼的途径和期限")


def self_check(case):
    """Recompute the date rules from the final plan; a mismatch with the recorded defects is a bug."""
    found = set()
    ct = case.case_type
    present = {d.type for d in case.docs}
    dd = case.dates
    if ct == "penalty" and case.procedure == "ordinary":
        if "service_receipt" in present:
            if dd["service"] > cal.penalty_service_deadline(dd["decision"]):
                found.add("late_service")
        lim = cal.penalty_decision_deadline(dd["filing"])
        if lim and dd["decision"] > lim:
            found.add("late_decision")
        if "prior_notice" in present and dd["decision"] < dd["notice"]:
            found.add("decision_before_notice")
    if ct == "license":
        if "service_receipt" in present and dd["service"] > cal.license_service_deadline(dd["decision"]):
            found.add("late_service")
        if dd["decision"] > cal.license_decision_deadline(dd["acceptance"]):
            found.add("late_decision")
    if ct == "coercion":
        if "service_receipt" in present and dd["service"] != dd["decision"]:
            found.add("late_service")
        if [d for d in case.docs if d.type == "seizure_decision"][0].fields["seizure_days"] > 30:
            found.add("seizure_too_long")
    recorded = {d["check"] for d in case.defects} & {"late_service", "late_decision", "decision_before_notice", "seizure_too_long"}
    if found != recorded:
        raise AssertionError(f"date rules {sorted(found)} but recorded {sorted(recorded)} ({dd})")
