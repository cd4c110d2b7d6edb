"""Agencies, parties, officers and the legal matter of synthetic cases."""

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏辉建国志宏海波斌宇浩凯俊峰晨亮林文龙飞鑫雪琳慧颖佳欣瑞博嘉乐宁"

# county-level places: (prefix, region code, government, court)
PLACES = {
    "东胜区": ("鄂尔多斯市东胜区", "150602", "鄂尔多斯市东胜区人民政府", "鄂尔多斯市东胜区人民法院", "东"),
    "康巴什区": ("鄂尔多斯市康巴什区", "150603", "鄂尔多斯市康巴什区人民政府", "鄂尔多斯市康巴什区人民法院", "康"),
    "伊金霍洛旗": ("伊金霍洛旗", "150627", "伊金霍洛旗人民政府", "伊金霍洛旗人民法院", "伊"),
    "准格尔旗": ("准格尔旗", "150622", "准格尔旗人民政府", "准格尔旗人民法院", "准"),
}

STREETS = ["伊克昭大街", "鄂托克西街", "天骄北路", "林荫路", "宝日陶亥东街", "达拉特南路",
           "准格尔北路", "吉劳庆南路", "团结路", "铁西路", "杭锦南路", "民族街"]

# kind: short word (市场监督管理局 → 市监), parent body (上一级主管部门), matters per case type
AGENCIES = [
    dict(kind="市场监督管理局", short="市监", parent="鄂尔多斯市市场监督管理局", folder="市场监管局",
         penalty=[dict(cause="销售超过保质期的食品", law="《中华人民共和国食品安全法》", viol=(34, None, 10),
                       basis=(124, 1, 5), goods="超过保质期的乳制品", amounts=[5000, 10000, 20000, 50000]),
                  dict(cause="经营标签不符合规定的预包装食品", law="《中华人民共和国食品安全法》", viol=(71, 1, None),
                       basis=(125, 1, 2), goods="标签不符合规定的预包装食品", amounts=[5000, 8000, 10000]),
                  dict(cause="发布虚假广告", law="《中华人民共和国广告法》", viol=(28, 1, None),
                       basis=(55, 1, None), goods="虚假宣传的广告物料", amounts=[30000, 60000, 100000])],
         simple=dict(cause="未按规定公示营业执照", law="《中华人民共和国电子商务法》", viol=(15, 1, None), basis=(76, 1, 1)),
         license=dict(item="食品经营许可", law="《中华人民共和国食品安全法》", art=(35, 1, None),
                      cert="食品经营许可证", certno="JY1150602", rule="《食品经营许可管理办法》"),
         coercion=dict(cause="涉嫌销售超过保质期的食品", law="《中华人民共和国食品安全法》", art=(110, None, 4),
                       goods=[("超过保质期的纯牛奶", "箱"), ("超过保质期的饼干", "袋"), ("过期调味品", "瓶")], kind="扣押"),
         inspection=dict(item="食品经营单位日常监督检查", law="《中华人民共和国食品安全法》", art=(110, None, None))),
    dict(kind="城市管理综合执法局", short="城管", parent="鄂尔多斯市城市管理综合执法局", folder="城管执法局",
         penalty=[dict(cause="未经批准擅自设置大型户外广告", law="《城市市容和环境卫生管理条例》", viol=(17, 1, None),
                       basis=(36, None, 4), goods="户外广告牌", amounts=[1000, 3000, 5000]),
                  dict(cause="随意倾倒建筑垃圾", law="《城市建筑垃圾管理规定》", viol=(15, None, None),
                       basis=(26, None, None), goods="建筑垃圾", amounts=[5000, 20000, 50000])],
         simple=dict(cause="占道经营", law="《城市市容和环境卫生管理条例》", viol=(14, None, None), basis=(34, None, 4)),
         license=dict(item="城市建筑垃圾处置核准", law="《城市建筑垃圾管理规定》", art=(7, None, None),
                      cert="城市建筑垃圾处置核准证", certno="DSJZ", rule="《城市建筑垃圾管理规定》"),
         coercion=dict(cause="涉嫌违法占道堆放经营物品", law="《内蒙古自治区城市管理综合执法条例》", art=(25, None, 2),
                       goods=[("经营用遮阳伞", "把"), ("折叠货架", "个"), ("电动三轮车", "辆")], kind="扣押"),
         inspection=dict(item="市容环境卫生责任区检查", law="《城市市容和环境卫生管理条例》", art=(10, None, None))),
    dict(kind="生态环境局", short="环", parent="鄂尔多斯市生态环境局", folder="生态环境局",
         penalty=[dict(cause="未采取有效措施防治扬尘污染", law="《中华人民共和国大气污染防治法》", viol=(69, 3, None),
                       basis=(115, 1, 1), goods="", amounts=[10000, 50000, 80000]),
                  dict(cause="超标排放水污染物", law="《中华人民共和国水污染防治法》", viol=(10, None, None),
                       basis=(83, None, 2), goods="", amounts=[100000, 150000, 200000])],
         simple=dict(cause="未按规定设置危险废物识别标志", law="《中华人民共和国固体废物污染环境防治法》", viol=(77, None, None), basis=(112, 1, 3)),
         license=dict(item="排污许可", law="《排污许可管理条例》", art=(6, None, None),
                      cert="排污许可证", certno="91150602PW", rule="《排污许可管理条例》"),
         coercion=dict(cause="涉嫌违法排放污染物", law="《中华人民共和国环境保护法》", art=(25, None, None),
                       goods=[("燃煤锅炉", "台"), ("喷涂设备", "套"), ("排污泵", "台")], kind="查封"),
         inspection=dict(item="排污单位现场执法检查", law="《中华人民共和国环境保护法》", art=(24, None, None))),
    dict(kind="农牧局", short="农", parent="鄂尔多斯市农牧局", folder="农牧局",
         penalty=[dict(cause="经营假农药", law="《农药管理条例》", viol=(44, 1, None),
                       basis=(55, 1, 1), goods="假农药", amounts=[5000, 10000, 30000]),
                  dict(cause="未取得农药经营许可证经营农药", law="《农药管理条例》", viol=(24, None, None),
                       basis=(55, 1, 3), goods="农药", amounts=[5000, 20000])],
         simple=dict(cause="未按规定建立农药经营台账", law="《农药管理条例》", viol=(33, None, None), basis=(58, 1, 1)),
         license=dict(item="农药经营许可", law="《农药管理条例》", art=(24, None, None),
                      cert="农药经营许可证", certno="农药经许（蒙）", rule="《农药经营许可管理办法》"),
         coercion=dict(cause="涉嫌经营假农药", law="《农药管理条例》", art=(51, None, 4),
                       goods=[("除草剂", "瓶"), ("杀虫剂", "袋"), ("杀菌剂", "瓶")], kind="查封"),
         inspection=dict(item="农资经营门店专项检查", law="《农药管理条例》", art=(41, None, None))),
    dict(kind="应急管理局", short="应急", parent="鄂尔多斯市应急管理局", folder="应急管理局",
         penalty=[dict(cause="未按规定对从业人员进行安全生产教育和培训", law="《中华人民共和国安全生产法》", viol=(28, 1, None),
                       basis=(97, None, 3), goods="", amounts=[10000, 30000, 50000]),
                  dict(cause="未对安全设备进行经常性维护保养", law="《中华人民共和国安全生产法》", viol=(36, 2, None),
                       basis=(99, None, 2), goods="", amounts=[20000, 50000])],
         simple=dict(cause="未按规定如实记录安全生产教育培训情况", law="《中华人民共和国安全生产法》", viol=(28, 4, None), basis=(97, None, 4)),
         license=dict(item="危险化学品经营许可", law="《危险化学品安全管理条例》", art=(33, 1, None),
                      cert="危险化学品经营许可证", certno="蒙鄂危化经字", rule="《危险化学品经营许可证管理办法》"),
         coercion=dict(cause="涉嫌违法储存危险化学品", law="《中华人民共和国安全生产法》", art=(65, 1, 4),
                       goods=[("液化石油气钢瓶", "个"), ("油漆稀释剂", "桶"), ("乙炔气瓶", "个")], kind="查封"),
         inspection=dict(item="工贸企业安全生产执法检查", law="《中华人民共和国安全生产法》", art=(65, 1, None))),
]

COMPANY_WORDS = ["恒泰", "鑫源", "华润", "金鼎", "宏达", "万隆", "嘉禾", "蒙源", "草原情", "东方红",
                 "福瑞", "天骄", "博众", "佳美", "兴旺", "聚宝", "顺通", "安泰", "百信", "银河"]
COMPANY_TRADES = ["商贸有限公司", "食品有限责任公司", "建筑工程有限公司", "农资经销部", "超市",
                  "餐饮管理有限公司", "化工有限公司", "广告传媒有限公司", "物流有限公司", "便利店"]

OTHER_BODIES = ["鄂尔多斯市东胜区人民政府办公室", "鄂尔多斯市东胜区住房和城乡建设局",
                "鄂尔多斯市东胜区交通运输局", "鄂尔多斯市康巴什区市场监督管理局"]
INTERNAL_UNITS = ["法规科", "执法大队", "综合执法一中队", "办公室", "稽查股"]


def agency_name(place, kind):
    return PLACES[place][0] + kind
