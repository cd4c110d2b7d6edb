#!/usr/bin/python3
"""Reads the sample workbooks back with openpyxl (Debian's python3-openpyxl)
and checks values, merged ranges, formulas with their cached values, data
validations, links and print set-up against what the hand-built cases of
stages/workbook/write_sample_workbooks.cc must give.

usage: check_openpyxl.py WORKBOOKS_DIR   (OUT/workbooks of write_sample_workbooks)
"""
import os
import sys
import warnings
import zipfile

import openpyxl

MARKET = "鄂尔多斯市东胜区市场监督管理局"
RESOURCES_FOLDER = "东胜区自然资源局_许可科"
ENVIRONMENT = "东胜区生态环境分局"
ANNEX3 = "附件3_行政执法案卷统计表.xlsx"
ANNEX4 = "附件4_自查自评情况表.xlsx"
FOOTER = "第 &P 页 共 &N 页"

failures = []
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)


def eq(actual, expected, what):
    check(actual == expected, f"{what}: {actual!r} != expected {expected!r}")


def load(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Data Validation extension is not supported"
        return openpyxl.load_workbook(path), openpyxl.load_workbook(path, data_only=True)


def merged(ws):
    return {str(r) for r in ws.merged_cells.ranges}


def formula(ws, wv, cell, text, cached):
    """The cell holds formula `text` (without '=') and the cached value `cached`."""
    eq(ws[cell].value, "=" + text, f"{ws.title}!{cell} formula")
    eq(wv[ws.title][cell].value, cached, f"{ws.title}!{cell} cached value")


def print_setup(ws, title_rows, freeze):
    eq(ws.page_setup.orientation, "landscape", f"{ws.title} orientation")
    eq(str(ws.page_setup.paperSize), "9", f"{ws.title} paper (A4)")
    check(ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage,
          f"{ws.title}: not fitted to the page width")
    eq(str(ws.page_setup.fitToHeight), "0", f"{ws.title} fitToHeight (pages tall: any)")
    eq(ws.print_title_rows, title_rows, f"{ws.title} repeated rows")
    eq(ws.oddFooter.center.text, FOOTER, f"{ws.title} footer")
    eq(ws.freeze_panes, freeze, f"{ws.title} frozen panes")


def validations(ws):
    """{cell: (type, formula1, formula2)} of the sheet's data validations."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in str(dv.sqref).split():
            out[rng] = (dv.type, dv.formula1, dv.formula2)
    return out


def check_annex3(path):
    wb, wv = load(path)
    eq(wb.sheetnames, ["附件3", "未能评查案卷"], "附件3 sheets")
    ws = wb["附件3"]
    eq(ws["A1"].value, "附件3", "附件3!A1")
    eq(ws["A2"].value, "2021年度行政执法案卷统计表", "附件3 title")
    check("A2:S2" in merged(ws), "附件3 title not merged over A2:S2")
    heads = [ws.cell(3, c).value.replace("\n", "") for c in range(1, 20)]
    eq(heads, ["序号", "单位名称", "行政处罚（一般程序）", "行政处罚（简易程序）", "行政许可",
               "行政强制（措施）", "行政强制（执行）", "行政征收", "行政检查", "行政确认", "其他",
               "合计", "自查案卷数", "优秀", "合格", "不合格", "平均得分", "未能评查（错误）", "备注"],
       "附件3 columns")
    agencies = [MARKET, "东胜区教育局", "东胜区自然资源局/许可科", ENVIRONMENT]
    eq([ws.cell(r, 2).value for r in range(4, 8)], agencies, "附件3 agencies in the given order")
    eq([ws.cell(r, 1).value for r in range(4, 8)], [1, 2, 3, 4], "附件3 序号 (numbers)")
    # C..K counts by type, L total (live), M reviewed, N/O/P grades, Q mean, R errors, S note
    rows = {4: ([2, 1, 0, 0, 0, 0, 0, 0, 1], 4, 3, 2, 0, 1, 63, 1, "含待人工评查案卷1件"),
            5: ([0] * 9, 0, 0, 0, 0, 0, None, 0, "无案卷"),
            6: ([0, 0, 1, 0, 0, 0, 0, 0, 0], 1, 1, 1, 0, 0, 100, 0, None),
            7: ([0, 0, 0, 1, 0, 0, 0, 0, 0], 1, 1, 0, 1, 0, 95, 0, None)}
    for r, (types, total, reviewed, excellent, passed, failed, mean, errors, note) in rows.items():
        eq([ws.cell(r, c).value for c in range(3, 12)], types, f"附件3 row {r} counts by type")
        formula(ws, wv, f"L{r}", f"SUM(C{r}:K{r})", total)
        eq([ws.cell(r, c).value for c in range(13, 17)], [reviewed, excellent, passed, failed],
           f"附件3 row {r} reviewed/grades")
        eq(ws[f"Q{r}"].value, mean, f"附件3 Q{r} mean")
        eq(ws[f"R{r}"].value, errors, f"附件3 R{r} errors")
        eq(ws[f"S{r}"].value, note, f"附件3 S{r} note")
    eq(ws["Q4"].number_format, "0.00", "附件3 mean format")
    check("A8:B8" in merged(ws), "附件3 合计 label not merged")
    eq(ws["A8"].value, "合计", "附件3 A8")
    expected_sums = dict(zip("CDEFGHIJKLMNOPR", [2, 1, 1, 1, 0, 0, 0, 0, 1, 6, 5, 3, 1, 1, 1]))
    for col, v in expected_sums.items():
        formula(ws, wv, f"{col}8", f"SUM({col}4:{col}7)", v)
    formula(ws, wv, "Q8", 'IF(M8>0,SUMPRODUCT(M4:M7,Q4:Q7)/M8,"")', 76.8)
    eq([ws[c].value for c in ("A10", "D10", "H10", "L10", "Q10")],
       ["填表人：", "联系电话：", "单位负责人：", "单位（盖章）：", "填报日期："], "附件3 signatures")
    check(str(ws["A11"].value).startswith("填表说明：1. 统计范围为2021年1月1日至2021年12月31日"),
          f"附件3 A11 填表说明: {ws['A11'].value!r}")
    print_setup(ws, "$2:$3", "C4")

    ws = wb["未能评查案卷"]
    eq([ws.cell(3, c).value for c in range(1, 6)],
       [1, MARKET, "市场监管局__2021__坏文件", "市场监管局/2021/坏文件.pdf", "damaged"],
       "未能评查案卷 row")
    check(ws.cell(4, 1).value is None, "未能评查案卷 has more than one row")
    print_setup(ws, "$1:$2", "A3")


def check_market(path):
    wb, wv = load(path)
    eq(wb.sheetnames, ["附件4", "东市监处罚〔2021〕12号", "东市监处罚〔2021〕30号", "简易001"],
       "附件4 (market) sheets")
    ws = wb["附件4"]
    eq(ws["A2"].value, "行政执法案卷自查自评情况表", "附件4 title")
    eq(ws["A3"].value, "单位名称：" + MARKET, "附件4 单位名称")
    eq(ws["J3"].value, "自查时间：2022-01-20", "附件4 自查时间")
    eq([ws.cell(4, c).value.replace("\n", "") for c in range(1, 16)],
       ["序号", "案卷名称（案由）", "案号/决定书文号", "执法类别", "当事人", "立案（受理）日期",
        "决定日期", "自评得分", "等次", "扣分项目（细则条目）", "扣分值", "扣分理由",
        "待人工评查项", "整改情况", "备注"], "附件4 columns")
    # Each case spans one row per deduction, its own columns merged vertically.
    m = merged(ws)
    for first, last in ((5, 6), (7, 8), (9, 10)):
        for col in "ABCDEFGHIMNO":
            check(f"{col}{first}:{col}{last}" in m, f"附件4 {col}{first}:{col}{last} not merged")
    check(not any(r[0] in "JKL" and 5 <= int(r.split(":")[0][1:]) <= 10 for r in m),
          "附件4 deduction columns must not be merged")
    eq([ws[f"A{r}"].value for r in (5, 7, 9)], [1, 2, 3], "附件4 序号 (numbers)")
    eq([ws[f"C{r}"].value for r in (5, 7, 9)],
       ["东市监处罚〔2021〕12号", "东市监处罚〔2021〕30号", None], "附件4 文号")
    eq(ws["B5"].value, "销售不合格产品案", "附件4 案由 from the decision")
    eq(ws["E5"].value, "鄂尔多斯市某某商贸有限公司", "附件4 当事人")
    eq((ws["F5"].value, ws["G5"].value), ("2021-03-01", "2021-04-20"), "附件4 dates")
    eq(ws["D9"].value.replace("\n", ""), "行政处罚（简易程序）", "附件4 执法类别")
    for r, sheet, row, total, grade in ((5, "东市监处罚〔2021〕12号", 18, 97, "优秀"),
                                        (7, "东市监处罚〔2021〕30号", 18, 92, "优秀"),
                                        (9, "简易001", 19, 0, "不合格")):
        formula(ws, wv, f"H{r}", f"'{sheet}'!$F${row}", total)
        formula(ws, wv, f"I{r}", f"'{sheet}'!$I${row}", grade)
        eq(ws[f"O{r}"].value, "查看评分表", f"附件4 O{r}")
        link = ws[f"O{r}"].hyperlink
        eq(link.location if link else None, f"'{sheet}'!A1", f"附件4 O{r} link")
    eq([(ws[f"J{r}"].value.split()[0], ws[f"K{r}"].value) for r in range(5, 11)],
       [("P-A1", 2), ("P-D16", 1), ("P-A1", 5), ("P-A2", 5), ("P-V01", "否决"), ("P-D30", 3)],
       "附件4 deductions (item, points)")
    eq(ws["L6"].value, "决定书未载明申请行政复议的期限（第18页）", "附件4 扣分理由 with pages")
    eq(ws["M5"].value, "P-V12、P-B1", "附件4 待人工评查项")
    check(str(ws["A11"].value).startswith("另有1件案卷未能自动评查"), "附件4 error note")
    print_setup(ws, "$2:$4", "A5")

    # 评分表 of the first case: live scores, caps, veto-aware grade, inputs.
    ws = wb["东市监处罚〔2021〕12号"]
    eq(ws["A1"].value, "附件5", "评分表 annex label")
    eq(ws["A2"].value, "行政处罚案卷评查评分细则", "评分表 title")
    eq([ws[c].value for c in ("A3", "C3", "F3", "H3", "F4", "H4")],
       ["被评查单位", MARKET, "执法类别", "行政处罚（一般程序）", "案号", "东市监处罚〔2021〕12号"],
       "评分表 header block")
    eq(ws["A7"].value, "一、否决项：有下列情形之一的，为不合格案卷", "评分表 veto line")
    eq([ws[f"F{r}"].value for r in (9, 10)], ["符合", "待人工"], "评分表 veto results")
    eq([ws.cell(12, c).value for c in range(1, 11)],
       ["评查项目", "序号", "评查内容", "分值", "扣分标准", "扣分", "得分", "扣分理由及证据",
        "人工复核", "证据图片"], "评分表 body columns")
    eq([ws[f"A{r}"].value for r in (13, 15, 16)],
       ["执法主体\n（8分）", "事实证据\n（20分）", "执法程序\n（30分）"], "评分表 categories")
    check({"A13:A14", "A16:A17"} <= merged(ws), "评分表 category cells not merged")
    for r, cached in zip(range(13, 18), (3, 5, 20, 3, 5)):
        formula(ws, wv, f"G{r}", f"D{r}-F{r}", cached)
    eq(ws["F15"].value, None, "评分表 manual P-B1 deduction left blank")
    formula(ws, wv, "C18", "MIN(8,SUM(F13:F14))+MIN(20,SUM(F15:F15))+MIN(30,SUM(F16:F17))", 3)
    formula(ws, wv, "F18", 'IF(COUNTIF($F$9:$F$10,"不符合")>0,0,MAX(0,100-$C$18))', 97)
    formula(ws, wv, "I18", 'IF(COUNTIF($F$9:$F$10,"不符合")>0,"不合格",'
            'IF($F$18>=90,"优秀",IF($F$18>=60,"合格","不合格")))', "优秀")
    eq([ws[c].value for c in ("A18", "D18", "H18")], ["合计扣分", "总分", "等次"], "评分表 footer labels")
    check(str(ws["C19"].value).startswith("2项：P-V12、P-B1"), f"评分表 C19: {ws['C19'].value!r}")
    eq((ws["A20"].value, ws["F20"].value), ("评查人签名", "复核人签名"), "评分表 signatures")
    dv = validations(ws)
    eq(dv, {"F10": ("list", "$Z$1:$Z$3", None), "F15": ("decimal", "0", "20")},
       "评分表 data validations (veto drop-down, 0..points for the manual item)")
    eq([ws[f"Z{r}"].value for r in (1, 2, 3)], ["符合", "不符合", "待人工"], "评分表 drop-down choices")
    check(ws.column_dimensions["Z"].hidden, "评分表 column Z (choices) not hidden")
    for cell in ("F10", "F15", "I13", "I15"):
        check(not ws[cell].protection.locked, f"评分表 input cell {cell} is locked")
    check(ws["G13"].protection.locked, "评分表 formula cell G13 is not locked")
    eq(ws["F15"].fill.fgColor.rgb, "FFFFF2CC", "评分表 manual row fill")
    area = ws.print_area
    area = area[0] if isinstance(area, list) else area  # openpyxl 3.0 gives a list
    eq(area.split("!")[-1], "$A$1:$J$20", "评分表 print area")
    print_setup(ws, "$2:$4", "A7")

    # Category cap: 5 + 5 deducted under a weight of 8.
    ws = wb["东市监处罚〔2021〕30号"]
    formula(ws, wv, "C18", "MIN(8,SUM(F13:F14))+MIN(20,SUM(F15:F15))+MIN(30,SUM(F16:F17))", 8)
    eq(wv[ws.title]["F18"].value, 92, "capped total")
    eq(ws["H17"].value, "不适用：当场送达", "not-applicable reason")

    # Veto hit (zero-score mode) on a simple-procedure case: P-D30 shown, total 0.
    ws = wb["简易001"]
    eq(ws["F9"].value, "不符合", "veto hit")
    eq([ws[f"B{r}"].value for r in range(13, 19)],
       ["P-A1", "P-A2", "P-B1", "P-D16", "P-D20", "P-D30"], "simple-procedure items")
    eq(wv[ws.title]["F19"].value, 0, "veto total")
    eq(wv[ws.title]["I19"].value, "不合格", "veto grade")
    eq(validations(ws), {"F17": ("decimal", "0", "5")}, "简易001 validations")

    with zipfile.ZipFile(path) as z:
        check("xl/media/image1.png" in z.namelist(), "evidence crop image missing")


def check_environment(path):
    wb, wv = load(path)
    eq(wb.sheetnames, ["附件4", "强制003"], "附件4 (environment) sheets")
    ws = wb["强制003"]
    eq(ws["A1"].value, "附件7", "coercion annex label")
    eq(ws["A7"].value, "一、否决项：有下列情形之一的，不得评为优秀", "not_excellent veto line")
    eq(ws["F9"].value, "不符合", "coercion veto hit")
    formula(ws, wv, "F14", "MAX(0,100-$C$14)", 95)
    formula(ws, wv, "I14", 'IF(COUNTIF($F$9:$F$9,"不符合")>0,IF($F$14>=60,"合格","不合格"),'
            'IF($F$14>=90,"优秀",IF($F$14>=60,"合格","不合格")))', "合格")
    eq(validations(ws), {}, "coercion validations (nothing manual)")
    eq(wv["附件4"]["H5"].value, 95, "附件4 score of the coercion case")
    eq(wv["附件4"]["I5"].value, "合格", "附件4 grade of the coercion case")


def check_resources(path):
    wb, wv = load(path)
    eq(len(wb.sheetnames), 2, "附件4 (resources) sheet count")
    name = wb.sheetnames[1]
    eq(name, "鄂尔多斯市东胜区自然资源局准予行政许可决定书_2021_第00", "long 文号 cut to a legal sheet name")
    eq(len(name.encode("utf-16-le")) // 2, 31, "sheet name length")
    ws = wb["附件4"]
    eq(ws["J5"].value, "无扣分", "no deductions")
    eq(wv["附件4"]["H5"].value, 100, "license score")
    eq(wb[name]["A1"].value, "附件6", "license annex label")
    eq(wb[name]["A9"].value, "（本细则未设否决项）", "no veto items line")
    eq(wb[name]["H13"].value, "不适用：申请材料齐全", "license not-applicable reason")


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    root = sys.argv[1]
    steps = [(check_annex3, ANNEX3), (check_market, os.path.join(MARKET, ANNEX4)),
             (check_environment, os.path.join(ENVIRONMENT, ANNEX4)),
             (check_resources, os.path.join(RESOURCES_FOLDER, ANNEX4))]
    for fn, rel in steps:
        path = os.path.join(root, rel)
        if not os.path.exists(path):
            failures.append(f"missing {path}")
            continue
        before = len(failures)
        try:
            fn(path)
        except Exception as e:  # a broken expectation must name itself, not stop the rest
            failures.append(f"{rel}: {type(e).__name__}: {e}")
        print(f"{'ok  ' if len(failures) == before else 'FAIL'} {rel}")
    extra = {os.path.relpath(os.path.join(d, n), root)
             for d, _, ns in os.walk(root) for n in ns if n.endswith(".xlsx")} - {r for _, r in steps}
    check(not extra, f"unexpected workbooks: {sorted(extra)}")
    for f in failures:
        print("  " + f)
    print(f"openpyxl {openpyxl.__version__}: {checks} checks, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
