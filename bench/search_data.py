"""Realistic Chinese government disclosure items and a fixed list of queries, for search_bench.

Deterministic (seeded): the same --items N gives the same items and the same 1,000 queries on
every backend and in tantivy. Items look like a town's catalogue over 2008–2025: notices,
plans, tenders and award notices with company names, village accounts, lists with people's
names, statistics, with document numbers typed in all the bracket styles offices use, bodies
of 0.5–5 KB of UTF-8 and summaries on most of them.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

SEED = 20240607

TOPICS = (
    "安全生产 环境保护 城乡规划 社会救助 劳动就业 教育 医疗卫生 食品药品 消防 水利 农村土地 "
    "村务财务 计划生育 文化体育 沉香文化 招商引资 企业服务 社会治安 交通运输 市容环境 统计 "
    "财政预算 民政 优抚安置 残疾人 防汛 防台风 森林防火 垃圾分类 河长制 疫情防控 义务教育 "
    "公共卫生 住房保障 最低生活保障 特困供养 临时救助 养老服务 退役军人 征地拆迁 旧村改造 "
    "污水处理 大气污染防治 扬尘治理 燃气安全 电动自行车 校园安全 道路交通安全 物业管理 "
    "人才引进 科技创新 高新技术企业 知识产权 市场监管 价格监督 安全用电 地质灾害 应急管理 "
    "乡村振兴 农田水利 宅基地 土地征收 房屋征收 筹资筹劳 政府采购 工程建设 招标投标 "
    "信息公开 政务服务 营商环境 信访 法治宣传 禁毒 反诈 消费维权 文明城市 志愿服务"
).split()
DEPTS = (
    "党政办 经济发展局 财政分局 规划管理所 社会事务局 宣传教育文体局 安监分局 环保分局 "
    "城建办 农林水务局 市场监管分局 公安分局 司法所 人力资源分局 卫生健康局 应急管理办 "
    "国土分局 统计办 综治办 信访办 招商办 社保分局 退役军人服务站 交通办 消防办"
).split()
VILLAGE_STEMS = (
    "寮步 西溪 横坑 石龙坑 上屯 下岭贝 凫山 竹园 良平 泉塘 石步 香市 井巷 塘唇 岭厦 缪边 "
    "莞樟 药勒 刘屋 向西 良边 坑口 谢岗 田心 坑尾 新旧围 霞边 浮竹山 牛杨 横岗 石井"
).split()
AGENCIES = (
    "东府办函 东府 东府办 寮府 寮府办 寮府函 寮府办函 东财 东环 东教 东卫 东民 东人社 "
    "东规 东应急 东水务 寮财 寮安监 寮环 寮社 粤府 粤府办 粤府函"
).split()
BRACKETS = ["〔〕", "〔〕", "〔〕", "[]", "【】", "()", "（）", "［］"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡叶"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文辉鹏宇浩然思源佳怡欣"
COMPANY_CHARS = "鑫盛泰华丰源达隆昌兴宏发恒通利顺安康宝新嘉信诚德金汇佳骏晟锦瑞祥联创"
COMPANY_KINDS = (
    "建筑工程 市政工程 环保科技 物业管理 信息技术 园林绿化 消防设备 电子科技 餐饮管理 劳务"
).split()
PROJECTS = (
    "道路改造 雨污分流 公园建设 学校扩建 社区服务中心 文化广场 河道整治 路灯安装 "
    "农贸市场升级 污水管网 停车场 公厕改造 体育公园 绿道建设 桥梁维修"
).split()

TITLE_TEMPLATES = {
    "规范性文件": [
        "寮步镇人民政府关于印发《寮步镇{topic}管理办法》的通知",
        "寮步镇人民政府关于进一步加强{topic}工作的意见",
        "关于印发《寮步镇{topic}工作实施细则》的通知",
        "寮步镇{topic}专项资金管理办法",
    ],
    "规划计划": [
        "寮步镇{year}年{topic}工作计划",
        "寮步镇{topic}专项规划（{year}—{year2}年）",
        "寮步镇{year}年{topic}工作要点",
        "寮步镇{topic}三年行动方案（{year}—{year2}年）",
    ],
    "业务工作": [
        "寮步镇{dept}{month}月份{topic}工作情况",
        "寮步镇开展{topic}专项检查",
        "{dept}关于{topic}工作的情况通报",
        "寮步镇召开{topic}工作会议",
        "寮步镇{topic}工作取得阶段性成效",
    ],
    "统计数据": [
        "寮步镇{year}年{month}月主要经济指标",
        "寮步镇{year}年{month}月{topic}统计数据",
        "寮步镇{year}年第{quarter}季度{topic}情况统计",
    ],
    "政府文件": [
        "寮步镇人民政府关于{topic}有关事项的通知",
        "寮步镇人民政府关于做好{month}月份{topic}工作的通知",
        "东莞市寮步镇人民政府公告（{topic}）",
        "寮步镇人民政府办公室关于{topic}的复函",
    ],
    "村(居)委会": [
        "{village}{month}月份村(居)务公开",
        "{village}{year}年{month}月财务收支公开",
        "{village}关于{topic}的公示",
        "{village}{year}年度集体资产承包经营情况公示",
    ],
    "政府采购": [
        "寮步镇{project}项目采购公告",
        "寮步镇{project}工程中标公告（{company}）",
        "寮步镇{topic}设备采购成交结果公告",
        "寮步镇{project}项目招标公告",
    ],
    "其他": [
        "寮步镇{topic}工作动态",
        "{village}开展{topic}宣传活动",
        "寮步镇举办{topic}培训班",
        "寮步镇领导调研{topic}工作",
        "寮步镇{year}年{topic}补贴发放名单公示",
    ],
}
CATEGORY_WEIGHTS = {
    "规范性文件": 3,
    "规划计划": 5,
    "业务工作": 25,
    "统计数据": 8,
    "政府文件": 12,
    "村(居)委会": 20,
    "政府采购": 10,
    "其他": 17,
}
SENTENCES = [
    "为进一步做好{topic}工作，根据上级有关文件精神，结合我镇实际，现将有关事项通知如下。",
    "各村（社区）、各单位要高度重视，明确责任分工，确保各项工作落到实处。",
    "{dept}牵头负责组织实施，相关部门按照职责分工做好配合。",
    "工作中遇到的问题请及时向镇{dept}反映，联系电话：0769-8{phone}。",
    "本镇将加强督促检查，对工作落实不力的单位予以通报批评。",
    "请各单位于每月{day}日前将{topic}工作情况报送镇{dept}。",
    "{year}年以来，全镇共开展{topic}检查{n}次，发现问题{m}处，已全部整改到位。",
    "会议指出，{topic}工作事关群众切身利益，必须坚持问题导向，补齐短板。",
    "会议要求，要压实属地责任，加强部门联动，形成工作合力。",
    "{village}党支部书记{person}介绍了本村{topic}工作的做法和经验。",
    "经镇党委、镇政府研究，决定成立寮步镇{topic}工作领导小组，由{person}同志任组长。",
    "本项目预算金额为人民币{amount}万元，资金来源为镇级财政资金。",
    "经评审，确定{company}为中标单位，中标金额{amount}万元，工期{n}日历天。",
    "公示期为{n}个工作日，如有异议，请在公示期内向镇纪委反映。",
    "根据{docref}的要求，我镇制定了本实施方案。",
    "截至{month}月底，全镇{topic}累计完成投资{amount}万元，完成年度计划的{pct}%。",
    "{village}{year}年{month}月收入合计{amount}万元，支出合计{amount2}万元。",
    "现将{topic}补贴发放情况公示如下：{person}、{person2}、{person3}等{n}人符合条件。",
    "下一步，我镇将继续深化{topic}工作，推动各项措施落地见效。",
    "各有关单位要严格落实{topic}主体责任，坚决防范和遏制重特大事故发生。",
    "镇主要领导带队深入{village}、{village2}等地调研{topic}工作。",
    "本通知自印发之日起施行，有效期{n}年。",
    "同时废止原《寮步镇{topic}管理办法》（{docref}）。",
    "活动现场发放宣传资料{n}份，接受群众咨询{m}人次。",
]


def _company(rng: random.Random) -> str:
    name = "".join(rng.sample(COMPANY_CHARS, 2))
    return f"东莞市{name}{rng.choice(COMPANY_KINDS)}有限公司"


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))


def _docno(rng: random.Random, year: int) -> tuple[str, str]:
    """(as stored, canonical display)."""
    agency = rng.choice(AGENCIES)
    serial = rng.randint(1, 400)
    left, right = rng.choice(BRACKETS)
    di = "第" if rng.random() < 0.2 else ""
    return f"{agency}{left}{year}{right}{di}{serial}号", f"{agency}〔{year}〕{serial}号"


@dataclass
class Item:
    n: int
    title: str
    summary: str
    body: str
    document_number: str
    category: str
    published: date
    village: int  # 0: the town itself, else 1-based village index
    dept: int
    validity: str
    column: int


def _day(rng: random.Random) -> date:
    # More items in recent years, as sites grow.
    year = 2008 + int(18 * (rng.random() ** 0.7))
    start = date(year, 1, 2)
    return start + timedelta(days=rng.randrange(360))


class _Slots(dict):
    """Slot values for a template, drawn only when the template asks for them."""

    def __init__(self, ctx, rng, pools):
        super().__init__(ctx)
        self.rng = rng
        self.pools = pools

    def __missing__(self, key):
        rng = self.rng
        if key in ("person", "person2", "person3"):
            return rng.choice(self.pools["persons"])
        if key == "company":
            return rng.choice(self.pools["companies"])
        if key == "village2":
            return rng.choice(VILLAGE_STEMS) + "村"
        if key == "phone":
            return rng.randint(1000000, 9999999)
        if key in ("amount", "amount2"):
            return round(rng.uniform(3, 5000), 2)
        if key == "day":
            return rng.randint(1, 28)
        if key == "pct":
            return rng.randint(30, 120)
        if key == "m":
            return rng.randint(1, 300)
        return rng.randint(2, 60)  # n


def _fill(template: str, rng: random.Random, ctx: dict, pools=None) -> str:
    return template.format_map(_Slots(ctx, rng, pools or _POOLS))


def _pools(rng: random.Random) -> dict:
    # Thousands of names and companies: rare words that occur in a handful of items each.
    return {
        "persons": list(dict.fromkeys(_person(rng) for _ in range(6000))),
        "companies": list(dict.fromkeys(_company(rng) for _ in range(2500))),
    }


_POOLS = _pools(random.Random(SEED - 1))


def generate(count: int, *, seed: int = SEED):
    """Yield `count` items, deterministic for a seed."""
    rng = random.Random(seed)
    categories = list(CATEGORY_WEIGHTS)
    weights = [CATEGORY_WEIGHTS[c] for c in categories]
    for n in range(count):
        category = rng.choices(categories, weights)[0]
        day = _day(rng)
        village_index = rng.randrange(len(VILLAGE_STEMS))
        village = VILLAGE_STEMS[village_index] + ("社区" if village_index % 4 == 0 else "村")
        ctx = {
            "topic": rng.choice(TOPICS),
            "dept": rng.choice(DEPTS),
            "village": village,
            "year": day.year,
            "year2": day.year + rng.choice((2, 3, 4)),
            "month": day.month,
            "quarter": (day.month - 1) // 3 + 1,
            "project": rng.choice(VILLAGE_STEMS) + rng.choice(PROJECTS),
            "company": rng.choice(_POOLS["companies"]),
        }
        stored, display = _docno(rng, day.year)
        ctx["docref"] = _docno(rng, day.year - rng.randint(0, 3))[0]
        title = _fill(rng.choice(TITLE_TEMPLATES[category]), rng, ctx)
        target = rng.randint(500, 5000)  # bytes of UTF-8
        paragraphs, size = [], 0
        while size < target:
            sentences = [_fill(rng.choice(SENTENCES), rng, ctx) for _ in range(rng.randint(2, 5))]
            paragraph = "".join(sentences)
            paragraphs.append(f"<p>{paragraph}</p>")
            size += len(paragraph.encode())
        summary = ""
        if rng.random() < 0.6:
            summary = _fill(rng.choice(SENTENCES), rng, ctx)[:300]
        has_docno = category in ("规范性文件", "政府文件", "规划计划") or rng.random() < 0.15
        yield Item(
            n=n,
            title=title[:300],
            summary=summary,
            body="".join(paragraphs),
            document_number=stored if has_docno else "",
            category=category,
            published=day,
            village=village_index + 1 if category == "村(居)委会" else 0,
            dept=rng.randrange(len(DEPTS)),
            validity="repealed" if rng.random() < 0.03 else "in_force",
            column=rng.randrange(12),
        )


def queries(sample, *, count: int = 1000, seed: int = SEED + 1, years=(2008, 2025)):
    """A fixed mix of queries from a sample of the items (so rare words and numbers exist).

    Returns (kind, query, filters-spec) where filters-spec names filters abstractly (resolved
    to ids by the bench): {"year": 2016}, {"org": "village"}, {"category": "政府采购"}, ...
    """
    rng = random.Random(seed)
    common = TOPICS[:40] + ["工作", "通知", "公示", "寮步镇", "会议", "检查", "方案", "村务公开"]
    persons, companies, numbers, projects = [], [], [], []
    for item in sample:
        if "有限公司" in item.body:
            start = item.body.find("东莞市")
            end = item.body.find("有限公司", start)
            if 0 <= start < end:
                companies.append(item.body[start + 3 : end])
        if item.document_number:
            numbers.append(item.document_number)
        for person_mark in ("党支部书记", "由"):
            start = item.body.find(person_mark)
            if start >= 0:
                name = item.body[start + len(person_mark) : start + len(person_mark) + 3]
                if all("\u4e00" <= ch <= "\u9fff" for ch in name[:2]):
                    persons.append(name[:3] if name[2] in GIVEN else name[:2])
        if "项目" in item.title:
            projects.append(item.title.split("寮步镇")[-1].split("项目")[0])
    out = []
    restyle = [("〔", "〕"), ("[", "]"), ("【", "】"), ("(", ")"), ("（", "）")]
    for _ in range(count):
        roll = rng.random()
        if roll < 0.30:
            out.append(("common", rng.choice(common), {}))
        elif roll < 0.50:
            pool = rng.choice([persons, companies, projects]) or companies or ["寮步镇"]
            if rng.random() < 0.1:
                out.append(("rare", "".join(rng.sample(GIVEN, 3)) + "大厦", {}))  # no match
            else:
                out.append(("rare", rng.choice(pool), {}))
        elif roll < 0.65:
            words = rng.sample(common, rng.choice((2, 3)))
            if rng.random() < 0.3:
                out.append(("phrase", f"“{rng.choice(TOPICS)}工作”", {}))
            else:
                out.append(("words", " ".join(words), {}))
        elif roll < 0.80 and numbers:
            number = rng.choice(numbers)
            for brackets in ("〔〕", "[]", "【】", "()", "（）", "［］"):
                number = number.replace(brackets[0], "\x01").replace(brackets[1], "\x02")
            left, right = rng.choice(restyle)
            typed = number.replace("\x01", left).replace("\x02", right)
            if rng.random() < 0.3:
                typed = typed.replace(right, right + "第", 1) if "第" not in typed else typed
            out.append(("docno", typed, {}))
        else:
            spec_kind = rng.choice(["year", "org", "category", "validity", "column"])
            spec = {
                "year": {"year": rng.randint(*years)},
                "org": {"org": rng.choice(["town", "village"])},
                "category": {"category": rng.choice(list(CATEGORY_WEIGHTS))},
                "validity": {"validity": "in_force"},
                "column": {"column": rng.randrange(12)},
            }[spec_kind]
            word = rng.choice(common + (persons[:50] or []))
            out.append(("filter", word, spec))
    return out
