"""Text of each document type: builders turn a planned Doc into layout blocks.

Every builder reads the case (parties, officers, dates, matter) and the doc's own
attributes (flags such as attrs["remedy"] or doc.party_signed that defects may have
changed) and sets doc.blocks. Builders never draw random defects themselves.
"""
import cnfmt
from cnfmt import fmt_date, fmt_time, amount_caps, article


def D(case, d, kind="form"):
    """Format a date in the case's style for forms or for 落款 (kind="closing")."""
    st = case.style
    if kind == "closing":
        return fmt_date(d, st["closing_date_style"], st["zero_char"])
    return fmt_date(d, st["form_date_style"])


def cite(law, art):
    return law + article(*art)


def party_line(case):
    p = case.party
    if p["kind"] == "company":
        return [f"当事人：{p['name']}", f"统一社会信用代码：{p['code']}",
                f"住所：{p['address']}", f"法定代表人：{p['rep']}"]
    return [f"当事人：{p['name']}", f"身份证号：{p['code']}", f"住址：{p['address']}"]


def head(case, doc):
    """Agency header (or red letterhead), title and 文号."""
    out = []
    if doc.letterhead:
        out.append(dict(k="letterhead", text=case.agency))
    elif case.style["header_line"]:
        out.append(dict(k="header", text=case.agency))
    out.append(dict(k="title", text=doc.title))
    if doc.docno:
        out.append(dict(k="docno", text=doc.docno))
    return out


def closing(case, doc, prefix=None):
    lines = ([prefix] if prefix else []) + [case.agency, D(case, doc.date, "closing")]
    return dict(k="closing", lines=lines, seal=doc.seal)


def officer_text(o):
    cert = o.get("certificate")
    return f"{o['name']}（执法证号：{cert}）" if cert else o["name"]


def remedy(case):
    rev = case.gov if case.style["review_body"] == "gov" else case.agency_def["parent"]
    return (f"如不服本决定，可以在收到本决定书之日起六十日内向{rev}申请行政复议，"
            f"也可以在六个月内依法向{case.court}提起行政诉讼。")


def times(case, doc, dur=(40, 90)):
    rng = case.style["rng_text"]
    h = doc.attrs.setdefault("hour", rng.choice([9, 9, 10, 14, 15, 16]))
    m = doc.attrs.setdefault("minute", rng.choice([0, 10, 20, 30, 40, 50]))
    end = h * 60 + m + rng.randint(*dur)
    return fmt_time(h, m), fmt_time(end // 60, end % 60)


# ---------------------------------------------------------------- common ----

def b_cover(case, doc):
    a = doc.attrs
    rows = [
        ("案    由", a["cause_title"]),
        ("当 事 人", case.party["name"]),
        (a.get("number_label", "决定书文号"), a.get("decision_no") or "/"),
        ("办案起止日期", f"{D(case, a['start'])} 至 {D(case, a['end'])}"),
        ("保管期限", a.get("keep", "永久")),
        ("本卷件数/页数", f"共{a['n_docs']}件 {a['n_pages']}页"),
        ("归 档 号", a["archive_no"]),
    ]
    blocks = [dict(k="space", mm=25), dict(k="title", text=doc.title), dict(k="space", mm=20)]
    for lab, val in rows:
        blocks.append(dict(k="line", text=f"{lab}：{val}"))
        blocks.append(dict(k="space", mm=5))
    blocks += [dict(k="space", mm=30), dict(k="header", text=case.agency)]
    doc.blocks = blocks


def b_toc(case, doc):
    rows = [[{"text": "序号", "center": True}, {"text": "文号", "center": True}, {"text": "文书名称", "center": True},
             {"text": "日期", "center": True}, {"text": "页号", "center": True}]]
    for i, r in enumerate(doc.attrs["rows"]):
        rows.append([str(i + 1), r["docno"] or "", r["title"], r["date"], r["pages"]])
    doc.blocks = [dict(k="title", text=doc.title), dict(k="space", mm=3),
                  dict(k="table", cols=[0.08, 0.27, 0.33, 0.18, 0.14], rows=rows, pt=case.style["body_pt"] - 1.5)]


def b_backup(case, doc):
    a = doc.attrs
    doc.blocks = [dict(k="title", text=doc.title), dict(k="space", mm=6),
                  dict(k="para", text=f"本卷共有文件材料{a['n_docs']}件，共{a['n_pages']}页（不含封面、卷内目录和备考表）。"),
                  dict(k="para", text=a.get("note", "本卷材料齐全，无缺损，装订完整。执法全过程音像资料另行存档。")),
                  dict(k="space", mm=40),
                  dict(k="sig", label="立卷人：", signed=True, indent=60),
                  dict(k="sig", label="检查人：", signed=True, indent=60),
                  dict(k="line", text=" " * 0 + f"立卷时间：{D(case, doc.date)}")]


def b_service(case, doc):
    a = doc.attrs
    served = a["served_title"] + (f"（{a['served_docno']}）" if a.get("served_docno") else "")
    sdate = D(case, doc.fields["service_date"])
    rows = [
        ["送达文书名称及文号", served],
        ["受送达人", case.party["name"]],
        ["送达地点", case.party["address"]],
        ["送达方式", a.get("method", "直接送达")],
        ["送达日期", sdate],
        ["受送达人签名（盖章）", {"text": "", "sig": bool(doc.party_signed), "tail": sdate}],
        ["送达人", {"text": "、".join(o["name"] for o in case.officers[:2]), "sig": True}],
        ["见证人", "/"],
        ["备注", a.get("remark", "/")],
    ]
    doc.blocks = head(case, doc) + [
        dict(k="table", cols=[0.3, 0.7], rows=[[{"text": r[0]}, r[1]] for r in rows], minh=13),
        closing(case, doc, prefix="送达单位（盖章）")]


def b_closing_report(case, doc):
    a = doc.attrs
    rows = [["案由", a["cause_title"]], ["当事人", case.party["name"]],
            ["决定书文号", a.get("decision_no") or "/"],
            ["处理结果", a["result"]], ["执行情况", a["execution"]],
            ["承办人意见", {"text": "案件已执行完毕，建议结案。", "sig": True, "tail": D(case, doc.date)}],
            ["负责人审批意见", {"text": "同意结案。", "sig": True, "tick": a.get("tick", False),
                            "tail": D(case, doc.date)}]]
    doc.blocks = head(case, doc) + [dict(k="table", cols=[0.22, 0.78], rows=rows, minh=12)]


def b_evidence(case, doc):
    a = doc.attrs
    cap = [f"拍摄时间：{D(case, doc.date)}    拍摄地点：{case.party['address']}",
           f"拍摄人：{case.officers[0]['name']}、{case.officers[1]['name']}",
           f"证明内容：{a['subject']}"]
    doc.blocks = [dict(k="title", text=doc.title), dict(k="space", mm=3),
                  dict(k="photo", h=a.get("photo_h", 95), caption=cap),
                  dict(k="line", text="以上照片经当事人确认，与现场情况一致。"),
                  dict(k="sig", label="当事人（签名）：", signed=bool(doc.party_signed))]


def _record_header(case, doc, kind_word):
    t0, t1 = times(case, doc)
    o = doc.officers
    lines = [f"{kind_word}时间：{D(case, doc.date)}{t0}至{t1}",
             f"{kind_word}地点：{doc.attrs.get('place', case.party['address'])}"]
    return lines, o


def b_inspection_record(case, doc):
    lines, o = _record_header(case, doc, "检查")
    p = case.party
    lines += [f"被检查人：{p['name']}", ("统一社会信用代码：" if p["kind"] == "company" else "身份证号：") + p["code"],
              f"现场负责人：{p['rep']}    联系电话：{p['phone']}",
              f"检查人员：{officer_text(o[0])}、{officer_text(o[1])}",
              f"记录人：{o[1]['name']}"]
    body = [dict(k="line", text=t) for t in lines]
    body.append(dict(k="para", text=f"执法人员向被检查人出示了执法证件，告知其有申请回避的权利和配合检查、如实提供材料的义务。"
                                     f"被检查人表示不申请回避。"))
    body.append(dict(k="para", text="检查情况：" + doc.attrs["finding"]))
    for t in doc.attrs.get("more", []):
        body.append(dict(k="para", text=t))
    body.append(dict(k="para", text="以上笔录已经本人核对，记录属实。"))
    body.append(dict(k="sig", label="被检查人签名：", signed=bool(doc.party_signed), tail=D(case, doc.date)))
    body.append(dict(k="sig", label="检查人员签名：", signed=True, tail=D(case, doc.date)))
    doc.blocks = head(case, doc) + body


def b_inquiry_record(case, doc):
    lines, o = _record_header(case, doc, "询问")
    p = case.party
    who = doc.attrs["who"]
    lines += [f"询问人：{officer_text(o[0])}", f"记录人：{officer_text(o[1])}",
              f"被询问人：{who['name']}    性别：{who['sex']}    身份证号：{who['id']}",
              f"工作单位及职务：{p['name'] if p['kind'] == 'company' else '个体经营'} {who['role']}",
              f"联系电话：{who['phone']}"]
    body = [dict(k="line", text=t) for t in lines]
    qa = [("问", f"我们是{case.agency}的执法人员（出示执法证件），现依法向你调查了解有关情况，你应当如实回答，"
                f"如有虚假要承担法律责任。你是否申请执法人员回避？"), ("答", "不申请回避，我会如实回答。")]
    qa += doc.attrs["qa"]
    qa += [("问", "你还有什么需要补充的吗？"), ("答", "没有了。")]
    for q, a in qa:
        body.append(dict(k="para", text=f"{q}：{a}", indent=False))
    body.append(dict(k="para", text="以上笔录我已看过，与我说的一致。", indent=False))
    body.append(dict(k="sig", label="询问人签名：", signed=True, tail=D(case, doc.date)))
    doc.blocks = head(case, doc) + body


def b_onsite_record(case, doc):
    lines, o = _record_header(case, doc, "实施")
    m = case.matter
    lines += [f"当事人：{case.party['name']}", f"执法人员：{officer_text(o[0])}、{officer_text(o[1])}",
              f"记录人：{o[1]['name']}"]
    body = [dict(k="line", text=t) for t in lines]
    body += [dict(k="para", text=f"执法人员出示执法证件，表明身份，通知当事人到场，当场告知当事人采取{m['kind']}措施的理由："
                                 f"{m['cause']}；依据：{cite(m['law'], m['art'])}。告知当事人依法享有陈述权、申辩权，"
                                 f"以及申请行政复议或者提起行政诉讼的权利。"),
             dict(k="para", text="当事人陈述申辩意见：" + doc.attrs.get("statement", "无异议。")),
             dict(k="para", text=f"现场情况：{doc.attrs['finding']}执法人员对上述物品依法实施{m['kind']}，"
                                 f"物品名称、数量详见{m['kind']}清单。"),
             dict(k="para", text="以上笔录已经当事人核对无误。"),
             dict(k="sig", label="执法人员签名：", signed=True, tail=D(case, doc.date))]
    doc.blocks = head(case, doc) + body


def b_approval_table(case, doc):
    """立案审批表 / 决定审批表 / 强制措施审批表 / 许可审批表 / 调查终结报告 (table forms)."""
    a = doc.attrs
    rows = [[r[0], r[1]] if len(r) == 2 else [r[0], {"text": r[1], "sig": True, "tail": r[2],
                                                      "tick": a.get("tick_row") == r[0]}]
            for r in a["rows"]]
    doc.blocks = head(case, doc) + [dict(k="table", cols=[0.22, 0.78], rows=rows, minh=11)]


def b_prose(case, doc):
    """Letters and decisions: addressee, paragraphs, 落款 with seal."""
    a = doc.attrs
    body = []
    if a.get("addressee"):
        body.append(dict(k="line", text=a["addressee"]))
    for t in a.get("lines", []):
        body.append(dict(k="line", text=t))
    for i, t in enumerate(a["paras"]):
        blk = dict(k="para", text=t)
        if a.get("note_at") == i:
            blk["note"] = a["note"]
        body.append(blk)
    if a.get("remedy"):
        body.append(dict(k="para", text=remedy(case)))
    for s in a.get("sigs", []):
        body.append(dict(k="sig", label=s[0], signed=s[1] and (doc.party_signed is not False or "执法" in s[0] or "复查人员" in s[0]),
                         tail=s[2] if len(s) > 2 else None))
    if not a.get("no_closing"):
        body.append(closing(case, doc))
    doc.blocks = head(case, doc) + body


def b_list(case, doc):
    """查封（扣押）清单."""
    rows = [[{"text": "序号", "center": True}, {"text": "物品名称", "center": True},
             {"text": "规格", "center": True}, {"text": "数量", "center": True}, {"text": "备注", "center": True}]]
    for i, (name, spec, qty, unit) in enumerate(doc.attrs["items"]):
        rows.append([str(i + 1), name, spec, f"{qty}{unit}", ""])
    rows.append(["", "（以下空白）", "", "", ""])
    o = doc.officers
    doc.blocks = head(case, doc) + [
        dict(k="line", text=f"当事人：{case.party['name']}"),
        dict(k="line", text=f"依据{doc.attrs['decision_no']}，对下列物品予以{case.matter['kind']}："),
        dict(k="table", cols=[0.1, 0.35, 0.2, 0.15, 0.2], rows=rows),
        dict(k="line", text="本清单一式二份，一份交当事人，一份附卷。"),
        dict(k="sig", label="当事人签名：", signed=bool(doc.party_signed), tail=D(case, doc.date)),
        dict(k="line", text=f"执法人员：{officer_text(o[0])}、{officer_text(o[1])}"),
        dict(k="sig", label="执法人员签名：", signed=True, tail=D(case, doc.date))]


def b_payment(case, doc):
    a = doc.attrs
    amt = a["amount"]
    rows = [["缴款人", case.party["name"]], ["收款单位", "鄂尔多斯市东胜区财政局（非税收入汇缴专户）"],
            ["执收单位", case.agency], ["项目名称", "罚没收入"], ["决定书文号", a.get("decision_no") or "/"],
            ["金额（大写）", amount_caps(amt)], ["金额（小写）", f"{amt:.2f}元"], ["缴款日期", D(case, doc.date)]]
    doc.blocks = [dict(k="title", text=doc.title), dict(k="docno", text=f"No.{a['serial']}"),
                  dict(k="table", cols=[0.25, 0.75], rows=rows, minh=10),
                  dict(k="closing", lines=["收款银行（盖章）", D(case, doc.date)],
                       seal=doc.extra_seals[0] if doc.extra_seals else None)]


def b_license_form(case, doc):
    """行政许可申请书: applicant fills the form and signs."""
    p, li = case.party, case.matter
    rows = [["申请人", p["name"]], ["统一社会信用代码" if p["kind"] == "company" else "身份证号", p["code"]],
            ["法定代表人（负责人）", p["rep"]], ["住所（经营场所）", p["address"]], ["联系电话", p["phone"]],
            ["申请事项", li["item"]], ["申请内容", doc.attrs["content"]]]
    doc.blocks = [dict(k="title", text=doc.title), dict(k="space", mm=2),
                  dict(k="table", cols=[0.28, 0.72], rows=rows, minh=10),
                  dict(k="para", text="本申请人承诺：所提交的申请材料真实、合法、有效，如有虚假，愿承担相应的法律责任。"),
                  dict(k="space", mm=6),
                  dict(k="sig", label="申请人（签名或盖章）：", signed=bool(doc.party_signed)),
                  dict(k="line", text=f"申请日期：{D(case, doc.date)}")]


def b_review_record(case, doc):
    lines, o = _record_header(case, doc, "核查")
    lines += [f"被核查人：{case.party['name']}", f"核查人员：{officer_text(o[0])}、{officer_text(o[1])}"]
    body = [dict(k="line", text=t) for t in lines]
    body += [dict(k="para", text="核查人员出示了执法证件，说明了核查事项。"),
             dict(k="para", text="核查情况：" + doc.attrs["finding"]),
             dict(k="para", text="核查意见：" + doc.attrs["opinion"]),
             dict(k="sig", label="被核查人签名：", signed=bool(doc.party_signed), tail=D(case, doc.date)),
             dict(k="sig", label="核查人员签名：", signed=True, tail=D(case, doc.date))]
    doc.blocks = head(case, doc) + body


def b_certificate(case, doc):
    a = doc.attrs
    p = case.party
    rows = [["经营者名称", p["name"]], ["统一社会信用代码", p["code"] if p["kind"] == "company" else "/"],
            ["法定代表人（负责人）", p["rep"]], ["经营场所", p["address"]], ["许可项目", a["scope"]],
            ["许可证编号", a["cert_no"]], ["有效期至", D(case, a["valid_to"])]]
    doc.blocks = [dict(k="title", text=doc.title), dict(k="docno", text="（副本）"),
                  dict(k="table", cols=[0.3, 0.7], rows=rows, minh=11),
                  dict(k="closing", lines=["发证机关：" + case.agency, D(case, doc.date, "closing")], seal=doc.seal)]


BUILDERS = {
    "cover": b_cover, "toc": b_toc, "backup_note": b_backup, "service_receipt": b_service,
    "closing_report": b_closing_report, "evidence": b_evidence, "inspection_record": b_inspection_record,
    "inquiry_record": b_inquiry_record, "statement_record": b_inquiry_record, "onsite_record": b_onsite_record, "seizure_list": b_list,
    "payment_receipt": b_payment, "license_application": b_license_form, "review_record": b_review_record,
    "license_certificate": b_certificate,
}


def build(case, doc):
    f = BUILDERS.get(doc.type) or (b_approval_table if doc.attrs.get("rows") else b_prose)
    f(case, doc)
