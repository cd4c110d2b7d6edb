"""Plan a case: agency, party, officers, the procedural timeline and the documents.

Date-related defects (late_service, late_decision, decision_before_notice) are
requested through `want` so the timeline is drawn to produce them; the other
defects are applied to the finished plan by defects.py.
"""
import datetime as dt

import calendar2021 as cal
import cnfmt
import data
from artwork import seal_spec
from cnfmt import amount_caps, article
from content import cite
from model import Case, Doc, PARTY_TYPES, OFFICER_TYPES

day = dt.timedelta(days=1)


def wd(d):
    return cal.next_workday(d)


def person(rng):
    return rng.choice(data.SURNAMES) + "".join(rng.choice(data.GIVEN) for _ in range(rng.choice([1, 2, 2])))


def phone(rng):
    return "1" + rng.choice(["39", "52", "58", "77", "86", "89", "35"]) + "".join(str(rng.randrange(10)) for _ in range(8))


def make_party(rng, place, kind=None):
    region = data.PLACES[place][1]
    addr = f"{data.PLACES[place][0]}{rng.choice(data.STREETS)}{rng.randint(1, 199)}号"
    kind = kind or rng.choice(["company", "company", "company", "person"])
    rep = person(rng)
    if kind == "company":
        name = data.PLACES[place][0].replace("鄂尔多斯市", "鄂尔多斯市") + rng.choice(data.COMPANY_WORDS) + rng.choice(data.COMPANY_TRADES)
        return dict(kind=kind, name=name, code=cnfmt.uscc(rng, region), address=addr, rep=rep, phone=phone(rng))
    return dict(kind=kind, name=rep, code=cnfmt.id_number(rng, region), address=addr, rep=rep, phone=phone(rng))


def make_officers(rng, place, n=3):
    region = data.PLACES[place][1]
    return [dict(name=person(rng), certificate=f"{region}{rng.choice(['19', '20', '21'])}{rng.randint(1000, 9999)}")
            for _ in range(n)]


def docno(case, kind, n=None, year=2021):
    words = case.style["docno_words"]
    w = words.get(kind, kind)
    n = case.seq if n is None else n
    if case.style["docno_style"] == "zi":
        return f"{case.abbr}{w}字〔{year}〕第{n:03d}号"
    return f"{case.abbr}{w}〔{year}〕{n}号"


def rand_date(rng, lo, hi):
    return lo + dt.timedelta(days=rng.randrange((hi - lo).days + 1))


def agency_seal(case, rng, kind="official"):
    """The agency's own seal: round 公章, or an oval/round 专用章 with centre text."""
    if kind == "special" or (kind == "official" and rng.random() < 0.25):
        word = {"penalty": "行政处罚专用章", "license": "行政许可专用章"}.get(case.case_type, "行政执法专用章")
        shape = rng.choice(["oval", "round"])
        return seal_spec(rng, case.agency, shape, word, colour=case.style["seal_colour"])
    return seal_spec(rng, case.agency, "round", "", colour=case.style["seal_colour"])


def new_doc(case, rng, type_, title, date, **kw):
    d = Doc(type=type_, title=title, date=date, **kw)
    if type_ in PARTY_TYPES:
        d.party_signed = True
    if type_ in OFFICER_TYPES:
        d.officers = [dict(o) for o in case.officers[:2]]
    if d.needs_seal:
        d.seal = agency_seal(case, rng)
    return d


def pick_title(rng, canonical, variants, p=0.3):
    return rng.choice(variants) if variants and rng.random() < p else canonical


def cause_title(case):
    return f"{case.party['name']}{case.matter['cause']}案"


# ------------------------------------------------------------- penalty ----

def plan_penalty(case, rng, want, small):
    m = case.matter
    amount = case.dates["amount"]
    p = case.party
    # --- timeline, built backwards from the decision date --------------------------
    if "late_decision" in want:
        dec = wd(rand_date(rng, dt.date(2021, 10, 25), dt.date(2021, 12, 10)))
        filing = wd(max(dt.date(2021, 7, 15), dec - dt.timedelta(days=rng.randint(96, 115))))
    else:
        mode = rng.choice(["any", "any", "any", "holiday", "oldlaw", "mayday"])
        if "late_service" in want:
            mode = rng.choice(["any", "oldlaw_late", "any"])
        mode = case.dates.get("force_mode") or mode
        dec = {"holiday": dt.date(2021, 9, 29), "oldlaw": dt.date(2021, 7, 12), "mayday": dt.date(2021, 4, 28),
               "oldlaw_late": dt.date(2021, 7, 12)}.get(mode) or wd(rand_date(rng, dt.date(2021, 2, 22), dt.date(2021, 12, 15)))
        case.dates["mode"] = mode
        filing = None
    approval = dec if rng.random() < 0.5 else cal.add_workdays(dec, -1) if False else wd(dec - day * rng.randint(1, 2))
    if approval > dec:
        approval = dec
    notice_service = approval - dt.timedelta(days=rng.randint(6, 10))
    notice_service = wd(notice_service)
    notice = wd(notice_service - day * rng.randint(0, 2))
    if notice > notice_service:
        notice = notice_service
    report = wd(notice - day * rng.randint(1, 4))
    if report > notice:
        report = notice
    if filing is None:
        filing = wd(report - day * rng.randint(10, 30))
    else:  # late decision: spread the steps over the long period
        report = wd(filing + day * rng.randint(60, 80))
    inspection = filing if rng.random() < 0.6 else wd(filing + day)
    inquiry = wd(inspection + day * rng.randint(1, 6))
    if inquiry > report:
        inquiry = report
    if "decision_before_notice" in want:
        # the decision predates the prior notice: 先决定后告知
        notice = wd(dec + day * rng.randint(1, 3))
        notice_service = notice
        approval = wd(dec - day)
        report = wd(dec - day * rng.randint(3, 6))
    # service of the decision
    deadline = cal.penalty_service_deadline(dec)
    mode = case.dates.get("mode")
    if "late_service" in want:
        if mode == "oldlaw_late":
            service = dt.date(2021, 7, 20)       # 7 natural days → 7-19; 7 working days would allow 7-23
        else:
            service = deadline + day * rng.randint(1, 6)
    elif mode == "holiday":
        service = dt.date(2021, 10, 9)            # within 7 working days (10.9 is a make-up day)
    elif mode == "mayday":
        service = dt.date(2021, 5, 6)             # 4-28 + 7 = 5-5 (holiday) → rolls to 5-6
    elif mode == "oldlaw":
        service = dt.date(2021, 7, 19)
    else:
        service = min(deadline, wd(dec + day * rng.choice([0, 0, 1, 2, 3])))
    payment = wd(service + day * rng.randint(1, 12))
    close = wd(payment + day * rng.randint(1, 8))
    backup = wd(close + day * rng.randint(0, 4))
    lim = cal.penalty_decision_deadline(filing)
    if "late_decision" not in want and lim and dec > lim:
        filing = wd(dec - day * 80)
        inspection, inquiry = filing, wd(filing + day * 2)
    case.dates.update(filing=filing, decision=dec, service=service, notice=notice, close=close)

    # --- documents ----------------------------------------------------------------------
    ag = case.agency_def
    docs = []
    dec_no = docno(case, "decision")
    notice_no = docno(case, "notice")
    case.style["decision_no"] = dec_no
    major = amount >= 50000
    viol = cite(m["law"], m["viol"])
    basis = cite(m["law"], m["basis"])
    facts = (f"经查，当事人于{cnfmt.fmt_date(filing - day * rng.randint(5, 40))}起{m['cause']}，"
             f"执法人员于{cnfmt.fmt_date(inspection)}现场检查时发现上述行为" +
             (f"，现场查获{m['goods']}一批" if m["goods"] else "") + "。")
    evid = ("上述事实，有现场检查笔录、询问笔录、现场照片、当事人营业执照复印件等证据证实。")
    if not small and rng.random() < 0.5:
        title = pick_title(rng, "案件来源登记表", ["案源登记表", "投诉举报登记表"])
        registered = wd(filing - day * rng.randint(0, 2))  # the form shows the day it was registered
        docs.append(new_doc(case, rng, "case_source", title, registered,
                            attrs=dict(rows=[["案件来源", rng.choice(["日常检查", "投诉举报", "上级交办", "双随机抽查"])],
                                             ["当事人", p["name"]], ["地址", p["address"]], ["联系电话", p["phone"]],
                                             ["简要情况", facts],
                                             ["登记人意见", "建议核查。", cnfmt.fmt_date(registered)],
                                             ["负责人意见", "同意。", cnfmt.fmt_date(registered)]])))
    o = case.officers
    docs.append(new_doc(case, rng, "filing_approval", pick_title(rng, "立案审批表", ["立案登记表", "立案呈批表"]), filing,
                        docno=docno(case, "filing") if rng.random() < 0.5 else None,
                        attrs=dict(tick_row="负责人意见" if rng.random() < 0.4 else None,
                                   rows=[["案由", cause_title(case)], ["当事人", p["name"]],
                                         ["统一社会信用代码" if p["kind"] == "company" else "身份证号", p["code"]],
                                         ["地址", p["address"]], ["案件来源", rng.choice(["日常检查", "投诉举报", "双随机抽查"])],
                                         ["简要案情", facts],
                                         ["承办人意见", f"当事人涉嫌违反{viol}的规定，建议立案调查。承办人：{o[0]['name']}、{o[1]['name']}",
                                          cnfmt.fmt_date(filing)],
                                         ["负责人意见", "同意立案。", cnfmt.fmt_date(filing)]])))
    if not small or rng.random() < 0.85:
        finding = (f"当事人营业场所内正在营业，现场负责人{p['rep']}在场。" +
                   (f"执法人员在货架上发现{m['goods']}，数量共计{rng.randint(5, 60)}件，" if m["goods"] else "") +
                   f"经初步核查，当事人涉嫌{m['cause']}。执法人员对现场进行了拍照取证。")
        more = [] if small else [f"执法人员责令当事人立即停止违法行为，并告知当事人于{cnfmt.fmt_date(inquiry)}到"
                                 f"{case.agency}接受询问，携带营业执照、进货票据等材料。"]
        docs.append(new_doc(case, rng, "inspection_record", pick_title(rng, "现场检查笔录", ["现场检查（勘验）笔录"]),
                            inspection, attrs=dict(finding=finding, more=more), footer_sig="当事人（签名）："))
    who = dict(name=p["rep"], sex=rng.choice(["男", "女"]), id=cnfmt.id_number(rng, data.PLACES[case.place][1]),
               role="法定代表人" if p["kind"] == "company" else "经营者", phone=p["phone"])
    qa = [("问", "请介绍一下你的基本情况和经营情况。"),
          ("答", f"我是{p['name']}的负责人，主要从事{rng.choice(['食品零售', '商品批发', '建材销售', '餐饮服务', '农资销售', '生产加工'])}。"),
          ("问", f"执法人员于{cnfmt.fmt_date(inspection)}在你处检查时发现的问题，你是否清楚？"),
          ("答", f"清楚，{m['cause']}的情况属实，是我们管理上的疏忽。"),
          ("问", "上述行为持续了多长时间？获利多少？"),
          ("答", f"大概{rng.randint(1, 6)}个月，具体获利我算不清楚，大约{rng.randint(2, 40) * 100}元。"),
          ("问", "你对此有什么要说明的？"), ("答", "我们已经整改，请从轻处理。")]
    if not small:
        qa += [("问", "你是否有相关的进货票据和台账？"), ("答", "有一部分，我下次一并提供。")]
    docs.append(new_doc(case, rng, "inquiry_record", pick_title(rng, "询问笔录", ["调查询问笔录", "调查笔录"]), inquiry,
                        attrs=dict(who=who, qa=qa, place=case.agency + "询问室"), footer_sig="被询问人签名："))
    docs.append(new_doc(case, rng, "evidence", pick_title(rng, "现场照片", ["证据材料", "照片"], 0.5), inspection,
                        attrs=dict(subject=f"当事人{m['cause']}的现场情况")))
    docs.append(new_doc(case, rng, "investigation_report", pick_title(rng, "案件调查终结报告", ["调查终结报告", "案件调查报告"]), report,
                        attrs=dict(paras=[f"一、当事人基本情况：{p['name']}，" + ("统一社会信用代码" if p["kind"] == "company" else "身份证号") + f"{p['code']}，住所{p['address']}。",
                                          f"二、案件来源及调查经过：{cnfmt.fmt_date(filing)}立案，执法人员{o[0]['name']}、{o[1]['name']}进行了调查。",
                                          "三、违法事实及证据：" + facts + evid,
                                          f"四、处理意见：当事人的行为违反了{viol}的规定。依据{basis}的规定，参照本局行政处罚裁量基准，"
                                          f"鉴于当事人积极整改，属一般情形，建议处罚款{amount}元。"],
                                   sigs=[("承办人签名：", True, cnfmt.fmt_date(report))], no_closing=True)))
    if major and not small:
        lr = wd(report + day)
        docs.append(new_doc(case, rng, "legal_review", pick_title(rng, "法制审核意见书", ["重大执法决定法制审核意见书"]), lr,
                            attrs=dict(rows=[["案由", cause_title(case)], ["审核内容", "执法主体、管辖、程序、事实证据、法律适用、裁量基准"],
                                             ["审核意见", "事实清楚，证据确凿，程序合法，适用依据正确，裁量适当。", cnfmt.fmt_date(lr)]])))
        docs.append(new_doc(case, rng, "collective_discussion", pick_title(rng, "集体讨论记录", ["重大案件集体讨论记录", "案件集体讨论笔录"]), lr,
                            attrs=dict(rows=[["讨论时间", cnfmt.fmt_date(lr) + "15时00分"], ["地点", "本局三楼会议室"],
                                             ["主持人", person(rng)], ["参加人", "、".join(person(rng) for _ in range(4))],
                                             ["讨论意见", f"同意承办人意见，对当事人处罚款{amount}元。"],
                                             ["参加人签名", "", cnfmt.fmt_date(lr)]])))
    hearing = amount >= 10000
    days_word = "五个工作日" if notice >= cal.NEW_PENALTY_LAW else "三日"
    notice_paras = [facts + evid,
                    f"当事人的上述行为违反了{viol}的规定。依据{basis}的规定，本局拟对你（单位）作出如下行政处罚：罚款{amount}元（{amount_caps(amount)}）。",
                    f"根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你（单位）享有陈述、申辩的权利"
                    + ("，并有权要求举行听证" if hearing else "") +
                    f"。如需陈述、申辩{'或者要求听证' if hearing else ''}，请在收到本告知书之日起{days_word}内向本局提出，逾期视为放弃上述权利。",
                    f"联系人：{o[0]['name']}    联系电话：0477-{rng.randint(8100000, 8599999)}"]
    t_notice = pick_title(rng, "行政处罚告知书", ["行政处罚事先告知书"] + (["行政处罚听证告知书"] if hearing else []), 0.5)
    docs.append(new_doc(case, rng, "prior_notice", t_notice, notice, docno=notice_no, letterhead=rng.random() < 0.3,
                        attrs=dict(addressee=f"{p['name']}：", paras=notice_paras)))
    sr1 = new_doc(case, rng, "service_receipt", pick_title(rng, "送达回证", ["送达回执"], 0.2), notice_service,
                  fields=dict(service_date=notice_service, served_doc_number=notice_no, served_doc_type="prior_notice"),
                  attrs=dict(served_title=t_notice, served_docno=notice_no))
    docs.append(sr1)
    if not small and rng.random() < 0.3:
        st = wd(notice_service + day)
        docs.append(new_doc(case, rng, "statement_record", "陈述申辩笔录", st,
                            attrs=dict(who=who, qa=[("问", "你对拟作出的行政处罚有何陈述申辩意见？"),
                                                    ("答", "我们认识到了错误，已经整改，请求从轻处罚。")],
                                       place=case.agency), footer_sig="陈述申辩人签名："))
    docs.append(new_doc(case, rng, "decision_approval", pick_title(rng, "行政处罚决定审批表", ["案件处理审批表", "处罚决定呈批表"]), approval,
                        attrs=dict(tick_row="负责人审批意见" if rng.random() < 0.5 else None,
                                   rows=[["案由", cause_title(case)], ["当事人", p["name"]],
                                         ["陈述申辩情况", "当事人在规定期限内未提出陈述申辩。" if rng.random() < 0.6 else "当事人提出从轻处罚的申辩意见，经复核不予采纳。"],
                                         ["处罚依据", basis], ["处罚内容", f"罚款{amount}元"],
                                         ["承办人意见", f"建议罚款{amount}元。", cnfmt.fmt_date(approval)],
                                         ["审核意见", "同意承办人意见。", cnfmt.fmt_date(approval)],
                                         ["负责人审批意见", "同意。", cnfmt.fmt_date(approval)]])))
    dec_paras = [facts, evid,
                 f"本局认为，当事人的上述行为违反了{viol}的规定。本局于{cnfmt.fmt_date(notice)}向当事人送达了《{t_notice}》（{notice_no}），"
                 f"告知了拟作出行政处罚的事实、理由、依据及当事人依法享有的权利，当事人在规定期限内未提出陈述、申辩。",
                 f"鉴于当事人积极配合调查并及时整改，依据{basis}的规定，参照本局行政处罚裁量基准，本局决定对当事人作出如下行政处罚：",
                 f"罚款人民币{amount}元（{amount_caps(amount)}）。",
                 "当事人应当自收到本决定书之日起十五日内，将罚款缴至指定银行或者通过非税收入电子缴款码缴纳。"
                 "到期不缴纳罚款的，本局可以每日按罚款数额的百分之三加处罚款，并依法申请人民法院强制执行。"]
    docs.append(new_doc(case, rng, "penalty_decision", "行政处罚决定书", dec, docno=dec_no, letterhead=rng.random() < 0.35,
                        attrs=dict(lines=[l for l in _party_lines(case)], paras=dec_paras, remedy=True),
                        fields=dict(amount=amount)))
    sr2 = new_doc(case, rng, "service_receipt", "送达回证", service,
                  fields=dict(service_date=service, served_doc_number=dec_no, served_doc_type="penalty_decision"),
                  attrs=dict(served_title="行政处罚决定书", served_docno=dec_no))
    docs.append(sr2)
    pay = new_doc(case, rng, "payment_receipt", pick_title(rng, "非税收入一般缴款书", ["罚没款缴款凭证", "银行缴款凭证"], 0.4), payment,
                  attrs=dict(amount=amount, decision_no=dec_no, serial=f"{rng.randint(10000000, 99999999)}"))
    pay.extra_seals.append(seal_spec(rng, "中国工商银行鄂尔多斯分行", "rect", "转讫", colour=case.style["seal_colour"]))
    docs.append(pay)
    docs.append(new_doc(case, rng, "closing_report", pick_title(rng, "结案报告", ["结案审批表", "行政处罚结案报告"]), close,
                        attrs=dict(cause_title=cause_title(case), decision_no=dec_no, result=f"罚款{amount}元",
                                   execution=f"当事人已于{cnfmt.fmt_date(payment)}缴纳罚款{amount}元。",
                                   tick=rng.random() < 0.3)))
    case.dates.update(start=filing, end=close, backup=backup)
    case.docs = docs


def _party_lines(case):
    p = case.party
    if p["kind"] == "company":
        return [f"当事人：{p['name']}", f"统一社会信用代码：{p['code']}", f"住所：{p['address']}", f"法定代表人：{p['rep']}"]
    return [f"当事人：{p['name']}", f"身份证号：{p['code']}", f"住址：{p['address']}"]


def plan_simple(case, rng, want, small):
    m = case.matter
    p = case.party
    d = wd(rand_date(rng, dt.date(2021, 3, 1), dt.date(2021, 12, 15)))
    limit = (200 if p["kind"] == "person" else 3000) if d >= cal.NEW_PENALTY_LAW else (50 if p["kind"] == "person" else 1000)
    amount = rng.choice([a for a in (50, 100, 200, 500, 1000, 2000, 3000) if a <= limit])
    o = case.officers
    no = docno(case, "onsite", 100 + case.seq * 3 + rng.randint(0, 2))
    case.style["decision_no"] = no
    t0 = cnfmt.fmt_time(rng.randint(9, 17), rng.choice([0, 15, 30, 45]))
    paras = [f"违法事实：当事人于{cnfmt.fmt_date(d)}{t0}在{p['address']}{m['cause']}，执法人员当场发现。",
             f"当事人的行为违反了{cite(m['law'], m['viol'])}的规定，依据{cite(m['law'], m['basis'])}和《中华人民共和国行政处罚法》"
             f"第{'五十一' if d >= cal.NEW_PENALTY_LAW else '三十三'}条的规定，当场作出如下行政处罚：" +
             (f"罚款{amount}元（{amount_caps(amount)}）。" if amount else "警告。"),
             "执法人员已当场出示执法证件，告知当事人作出行政处罚决定的事实、理由和依据，并告知当事人依法享有陈述、申辩的权利。",
             "当事人应当自收到本决定书之日起十五日内到指定银行缴纳罚款。"]
    doc = new_doc(case, rng, "onsite_penalty_decision", pick_title(rng, "当场行政处罚决定书", ["简易程序处罚决定书", "当场处罚决定书"], 0.3),
                  d, docno=no, attrs=dict(lines=_party_lines(case), paras=paras, remedy=True,
                                          sigs=[(f"执法人员：{officer_text_short(o[0])}、{officer_text_short(o[1])}", False),
                                                ("执法人员签名：", True), ("当事人签名：", True, cnfmt.fmt_date(d))]),
                  fields=dict(amount=amount))
    doc.officers = [dict(x) for x in o[:2]]
    doc.party_signed = True
    docs = [doc, new_doc(case, rng, "evidence", "现场照片", d, attrs=dict(subject=f"当事人{m['cause']}的现场情况", photo_h=110))]
    pay = new_doc(case, rng, "payment_receipt", pick_title(rng, "非税收入一般缴款书", ["罚款收据"], 0.4), wd(d + day * rng.randint(0, 10)),
                  attrs=dict(amount=amount, decision_no=no, serial=f"{rng.randint(10000000, 99999999)}"))
    pay.extra_seals.append(seal_spec(rng, "中国农业银行鄂尔多斯分行", "rect", "现金收讫", colour=case.style["seal_colour"]))
    docs.append(pay)
    case.dates.update(decision=d, start=d, end=pay.date, backup=pay.date, amount=amount)
    case.docs = docs


def officer_text_short(o):
    return f"{o['name']}（执法证号：{o['certificate']}）"


# ------------------------------------------------------------- license ----

def plan_license(case, rng, want, small):
    li = case.matter
    p = case.party
    appl = wd(rand_date(rng, dt.date(2021, 2, 22), dt.date(2021, 11, 20)))
    if rng.random() < 0.3 and "late_decision" not in want:
        appl = dt.date(2021, 9, rng.choice([8, 9, 10]))     # decision period spans the National Day holiday
    accept = cal.add_workdays(appl, rng.randint(0, 3)) if rng.random() < 0.7 else appl
    if "late_decision" in want:
        dec = cal.add_workdays(accept, rng.randint(22, 28))
    elif rng.random() < 0.35:
        dec = cal.license_decision_deadline(accept)          # exactly the 20th working day (clean edge)
    else:
        dec = cal.add_workdays(accept, rng.randint(5, 18))
    review = cal.add_workdays(accept, rng.randint(1, 4))
    if review > dec:
        review = accept
    approval = dec if rng.random() < 0.5 else max(review, cal.add_workdays(dec, -1) if False else wd(dec - day))
    if approval < review:
        approval = review
    if "late_service" in want:
        service = cal.add_workdays(dec, rng.randint(11, 15))
    elif rng.random() < 0.3:
        service = cal.license_service_deadline(dec)          # the 10th working day (clean edge)
    else:
        service = cal.add_workdays(dec, rng.randint(0, 5))
    backup = cal.add_workdays(service, rng.randint(1, 5))
    refuse = "missing_remedy_clause" in want or rng.random() < 0.12
    case.dates.update(application=appl, acceptance=accept, decision=dec, service=service, start=appl, end=service,
                      backup=backup)
    dec_no = docno(case, "license")
    acc_no = docno(case, "accept")
    case.style["decision_no"] = dec_no
    docs = []
    docs.append(new_doc(case, rng, "license_application", pick_title(rng, "行政许可申请书", [li["item"] + "申请表", "申请书"], 0.5), appl,
                        attrs=dict(content=f"申请办理{li['cert']}，" + rng.choice(["新办", "新办", "延续", "变更经营场所"]) + "。")))
    docs.append(new_doc(case, rng, "acceptance_notice", pick_title(rng, "受理通知书", ["行政许可受理通知书"], 0.5), accept,
                        docno=acc_no, letterhead=rng.random() < 0.2,
                        attrs=dict(addressee=f"{p['name']}：",
                                   paras=[f"你（单位）于{cnfmt.fmt_date(appl)}提出的{li['item']}申请，申请材料齐全、符合法定形式，"
                                          f"根据《中华人民共和国行政许可法》第三十二条第一款第（五）项的规定，本机关决定予以受理。",
                                          "本机关将自受理之日起二十个工作日内作出行政许可决定。"])))
    finding = (f"经现场核查，申请人经营场所位于{p['address']}，场所面积约{rng.randint(30, 400)}平方米，"
               f"设施设备、布局流程与申请材料一致，{rng.choice(['符合', '基本符合'])}{li['rule']}规定的条件。")
    docs.append(new_doc(case, rng, "review_record", pick_title(rng, "现场核查记录", ["现场核查笔录", "审查意见表"], 0.4), review,
                        attrs=dict(finding=finding, opinion="不符合许可条件。" if refuse else "符合许可条件，建议准予许可。")))
    docs.append(new_doc(case, rng, "license_approval", pick_title(rng, "行政许可审批表", ["许可审批表", "审批意见表"], 0.3), approval,
                        attrs=dict(tick_row="审批意见" if rng.random() < 0.4 else None,
                                   rows=[["申请人", p["name"]], ["许可事项", li["item"]], ["受理日期", cnfmt.fmt_date(accept)],
                                         ["承办人意见", "经审查，" + ("申请人不符合许可条件，建议不予许可。" if refuse else "申请材料齐全，现场核查符合要求，建议准予许可。"),
                                          cnfmt.fmt_date(approval)],
                                         ["审核意见", "同意。", cnfmt.fmt_date(approval)],
                                         ["审批意见", "同意。", cnfmt.fmt_date(approval)]])))
    if refuse:
        paras = [f"你（单位）于{cnfmt.fmt_date(appl)}提出的{li['item']}申请，本机关于{cnfmt.fmt_date(accept)}受理。",
                 f"经审查，你（单位）的经营场所与污染源的距离不符合{li['rule']}的要求，依据{cite(li['law'], li['art'])}的规定，本机关决定不予行政许可。"]
        title = "不予行政许可决定书"
    else:
        paras = [f"你（单位）于{cnfmt.fmt_date(appl)}提出的{li['item']}申请，本机关于{cnfmt.fmt_date(accept)}受理。",
                 f"经审查，你（单位）的申请符合法定条件，根据{cite(li['law'], li['art'])}的规定，本机关决定准予行政许可。"
                 f"许可内容：{li['cert']}；有效期五年，自{cnfmt.fmt_date(dec)}起计算。",
                 "请持本决定书领取许可证件。"]
        title = pick_title(rng, "准予行政许可决定书", ["行政许可决定书"], 0.3)
    docs.append(new_doc(case, rng, "license_decision", title, dec, docno=dec_no, letterhead=rng.random() < 0.3,
                        attrs=dict(addressee=f"{p['name']}：", paras=paras, remedy=refuse, refusal=refuse)))
    if not refuse:
        docs.append(new_doc(case, rng, "license_certificate", li["cert"], dec,
                            attrs=dict(scope=li["item"], cert_no=f"{li['certno']}{rng.randint(10000000, 99999999)}",
                                       valid_to=dec.replace(year=dec.year + 5) - day)))
    docs.append(new_doc(case, rng, "service_receipt", "送达回证", service,
                        fields=dict(service_date=service, served_doc_number=dec_no, served_doc_type="license_decision"),
                        attrs=dict(served_title=title, served_docno=dec_no)))
    case.docs = docs


# ------------------------------------------------------------ coercion ----

def plan_coercion(case, rng, want, small):
    m = case.matter
    p = case.party
    d = wd(rand_date(rng, dt.date(2021, 2, 22), dt.date(2021, 11, 25)))
    days = 30 if rng.random() < 0.8 else rng.choice([15, 20])
    if "seizure_too_long" in want:
        days = rng.choice([45, 60, 40])
    release = wd(d + day * rng.randint(8, min(days, 30) - 2))
    if release > d + day * min(days, 30):
        release = d + day * min(days, 30) - day
    service = d if "late_service" not in want else wd(d + day * rng.randint(1, 4))
    close = wd(release + day * rng.randint(1, 6))
    backup = wd(close + day * rng.randint(0, 3))
    case.dates.update(decision=d, service=service, release=release, start=d, end=close, backup=backup)
    dec_no = docno(case, "seizure")
    rel_no = docno(case, "release")
    case.style["decision_no"] = dec_no
    kind = m["kind"]
    items = [(g, rng.choice(["500ml", "1kg", "20L", "/", "型号A-2"]), rng.randint(1, 40), u) for g, u in m["goods"]]
    items = items[:rng.randint(1, len(items))]
    docs = [new_doc(case, rng, "coercion_approval", pick_title(rng, "行政强制措施审批表", [f"{kind}审批表", "查封扣押呈批表"], 0.4), d,
                    attrs=dict(rows=[["当事人", p["name"]], ["理由", m["cause"]], ["依据", cite(m["law"], m["art"])],
                                     ["措施种类", kind], ["承办人意见", f"建议对涉案物品实施{kind}。", cnfmt.fmt_date(d)],
                                     ["负责人意见", "同意。", cnfmt.fmt_date(d)]]))]
    finding = f"当事人经营场所内存放有{'、'.join(i[0] for i in items)}等物品，当事人不能提供合法来源证明。"
    docs.append(new_doc(case, rng, "onsite_record", pick_title(rng, "现场笔录", ["实施行政强制措施现场笔录"], 0.5), d,
                        attrs=dict(finding=finding), footer_sig="当事人（签名）："))
    period = f"{kind}期限为{days}日，自{cnfmt.fmt_date(d)}起至{cnfmt.fmt_date(d + day * (days - 1))}止。"
    t_dec = f"{kind}决定书" if rng.random() < 0.5 else f"查封（扣押）决定书" if rng.random() < 0.5 else "实施行政强制措施决定书"
    docs.append(new_doc(case, rng, "seizure_decision", t_dec, d, docno=dec_no, letterhead=rng.random() < 0.3,
                        attrs=dict(lines=_party_lines(case),
                                   paras=[f"经查，你（单位）{m['cause']}。依据{cite(m['law'], m['art'])}的规定，本机关决定对你（单位）的"
                                          f"下列物品实施{kind}：{'、'.join(i[0] for i in items)}（详见{kind}清单）。",
                                          period, f"{kind}期间，不得使用、销毁、转移或者隐匿被{kind}物品。"],
                                   remedy=True), fields=dict(seizure_days=days)))
    docs.append(new_doc(case, rng, "seizure_list", pick_title(rng, f"{kind}清单", ["查封（扣押）清单", f"{kind}财物清单"], 0.4), d,
                        attrs=dict(items=items, decision_no=dec_no)))
    docs.append(new_doc(case, rng, "service_receipt", "送达回证", service,
                        fields=dict(service_date=service, served_doc_number=dec_no, served_doc_type="seizure_decision"),
                        attrs=dict(served_title=t_dec + f"、{kind}清单", served_docno=dec_no)))
    t_rel = f"解除{kind}决定书" if rng.random() < 0.6 else "解除行政强制措施决定书"
    docs.append(new_doc(case, rng, "release_decision", t_rel, release, docno=rel_no,
                        attrs=dict(lines=_party_lines(case),
                                   paras=[f"本机关于{cnfmt.fmt_date(d)}以{dec_no}对你（单位）的物品实施了{kind}。经调查核实，"
                                          f"{rng.choice(['已查清相关事实', '当事人已提供合法来源证明', '不再需要采取强制措施'])}，"
                                          f"依据《中华人民共和国行政强制法》第二十八条的规定，决定解除{kind}，被{kind}物品予以退还。"],
                                   remedy=False)))
    if not small or rng.random() < 0.5:
        docs.append(new_doc(case, rng, "service_receipt", "送达回证", release,
                            fields=dict(service_date=release, served_doc_number=rel_no, served_doc_type="release_decision"),
                            attrs=dict(served_title=t_rel, served_docno=rel_no)))
    docs.append(new_doc(case, rng, "closing_report", pick_title(rng, "结案报告", ["结案审批表"]), close,
                        attrs=dict(cause_title=f"{p['name']}{m['cause']}案", decision_no=dec_no, number_label="决定书文号",
                                   result=f"实施{kind}后已解除", execution=f"{cnfmt.fmt_date(release)}解除{kind}，物品已退还当事人。")))
    case.docs = docs


# ---------------------------------------------------------- inspection ----

def plan_inspection(case, rng, want, small):
    m = case.matter
    p = case.party
    n = wd(rand_date(rng, dt.date(2021, 3, 1), dt.date(2021, 11, 10)))
    insp = cal.add_workdays(n, rng.randint(1, 4))
    period = rng.choice([7, 10, 15])
    review = wd(insp + day * (period + rng.randint(1, 4)))
    backup = wd(review + day * rng.randint(1, 5))
    case.dates.update(notice=n, inspection=insp, review=review, start=n, end=review, backup=backup, decision=insp)
    rect_no = docno(case, "rectify")
    case.style["decision_no"] = rect_no
    docs = [new_doc(case, rng, "inspection_notice", pick_title(rng, "检查通知书", ["行政检查通知书"], 0.5), n,
                    docno=docno(case, "inspect"),
                    attrs=dict(addressee=f"{p['name']}：",
                               paras=[f"根据{cite(m['law'], m['art'])}的规定，本机关定于{cnfmt.fmt_date(insp)}对你单位开展{m['item']}。"
                                      "请你单位做好准备，届时由主要负责人在场配合检查，并提供相关资料。"]))]
    issues = rng.sample(["安全生产教育培训记录不全", "消防器材过期未更换", "进货查验记录不完整", "从业人员健康证明过期",
                         "危险物品存放不规范", "台账记录缺失"], 2)
    docs.append(new_doc(case, rng, "inspection_record", "现场检查笔录", insp,
                        attrs=dict(finding=f"执法人员对{p['name']}进行了{m['item']}，发现存在以下问题：1.{issues[0]}；2.{issues[1]}。"),
                        footer_sig="被检查人（签名）："))
    docs.append(new_doc(case, rng, "rectification_notice", pick_title(rng, "责令改正通知书", ["责令限期改正通知书", "责令整改通知书"], 0.5), insp,
                        docno=rect_no,
                        attrs=dict(addressee=f"{p['name']}：",
                                   paras=[f"经检查，你单位存在以下问题：1.{issues[0]}；2.{issues[1]}。",
                                          f"依据{cite(m['law'], m['art'])}的规定，现责令你单位于{cnfmt.fmt_date(insp + day * period)}前改正上述问题。"
                                          "逾期不改正的，本机关将依法处理。"],
                                   sigs=[(f"执法人员：{officer_text_short(case.officers[0])}、{officer_text_short(case.officers[1])}", False),
                                         ("被检查单位负责人签收：", True, cnfmt.fmt_date(insp))])))
    docs.append(new_doc(case, rng, "service_receipt", "送达回证", insp,
                        fields=dict(service_date=insp, served_doc_number=rect_no, served_doc_type="rectification_notice"),
                        attrs=dict(served_title=docs[-1].title, served_docno=rect_no)))
    docs.append(new_doc(case, rng, "rectification_review", pick_title(rng, "整改复查意见书", ["复查记录"], 0.4), review,
                        attrs=dict(lines=[f"被复查单位：{p['name']}",
                                          f"复查人员：{officer_text_short(case.officers[0])}、{officer_text_short(case.officers[1])}"],
                                   paras=[f"本机关于{cnfmt.fmt_date(review)}对你单位落实{rect_no}的情况进行了复查，"
                                          f"上述问题已整改完毕。"],
                                   sigs=[("被复查单位负责人签名：", True, cnfmt.fmt_date(review)), ("复查人员签名：", True)])))
    case.docs = docs


PLANNERS = {"penalty": plan_penalty, "license": plan_license, "coercion": plan_coercion, "inspection": plan_inspection}
