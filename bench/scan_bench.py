"""Benchmark of the confidentiality scan (issue 4). Not part of the test suite.

Generates its own data: Chinese government-style notices with personal data, classification
marks and listed words mixed in, and a 10,000-word list. Measures, on one core:

1. the scan with every detector on (marks, ID numbers, phones, bank cards, e-mail, addresses,
   the word list), in MB/s of UTF-8 text;
2. beside it, the naive way: a Python loop of `str.find` per word over the same documents;
3. a generated 200-page text PDF (WeasyPrint, Noto CJK) scanned end to end by `scan_file`.

    .venv/bin/python bench/scan_bench.py            # the full run: 100 MB
    .venv/bin/python bench/scan_bench.py --mb 5     # a quick run
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import django  # noqa: E402
from django.conf import settings  # noqa: E402

# The scanner needs only a secret (fingerprints) and the time zone; no database, no apps.
settings.configure(
    SECRET_KEY="bench-only",
    USE_TZ=True,
    TIME_ZONE="Asia/Shanghai",
    USE_I18N=False,
    INSTALLED_APPS=[],
)
django.setup()

from gongkai.orgs.creditcode import id_number_check_char  # noqa: E402
from gongkai.review import detectors  # noqa: E402
from gongkai.review.matchers import COMMON_CHARS, Ruleset, WordMatcher  # noqa: E402
from gongkai.review.scanner import scan_file, scan_text  # noqa: E402

MB = 1024 * 1024
# CPU time of this process: the throughput of one core, whatever else the machine is doing.
clock = time.process_time

ORGS = [
    "寮步镇人民政府",
    "镇党政人大办",
    "镇财政分局",
    "镇社会事务局",
    "镇规划管理所",
    "镇经济科技信息局",
    "镇宣传教育文体局",
    "横坑村村民委员会",
    "寮步社区居民委员会",
    "西溪村村民委员会",
]
TOPICS = [
    "安全生产",
    "防汛防旱",
    "森林防火",
    "食品安全",
    "环境保护",
    "垃圾分类",
    "城市更新",
    "乡村振兴",
    "河长制",
    "社会救助",
    "最低生活保障",
    "义务教育",
    "医疗保障",
    "就业创业",
    "营商环境",
    "招商引资",
    "农村集体资产管理",
    "消防安全",
    "道路交通安全",
    "政务公开",
    "财政预算",
    "民生实事",
    "基层治理",
    "文明城市创建",
    "出租屋管理",
    "违法建设治理",
]
VERBS = [
    "进一步加强",
    "切实做好",
    "认真落实",
    "全面推进",
    "扎实开展",
    "深入推进",
    "稳步推进",
    "持续深化",
]
LAWS = [
    "《中华人民共和国政府信息公开条例》",
    "《中华人民共和国安全生产法》",
    "《中华人民共和国土地管理法》",
    "《广东省政务公开条例》",
    "《东莞市政务公开工作实施细则》",
    "《社会救助暂行办法》",
]
SURNAMES = "陈李张黄王林何叶梁罗刘钟邓莫卢袁蔡"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志"
NUMERALS = "一二三四五六七八九十"
TEMPLATES = [
    "为{verb}{topic}工作，根据{law}有关规定，结合我镇实际，现就有关事项通知如下。",
    "{org}要高度重视{topic}工作，成立以分管领导为组长的工作领导小组，明确责任分工，确保各项工作落到实处。",
    "{year}年{month}月{day}日，{org}召开{topic}工作会议，会议传达学习了上级有关文件精神，部署下一阶段重点工作。",
    "截至{year}年{month}月底，全镇共完成{topic}项目{n}个，累计投入资金{amount}万元，同比增长{pct}%。",
    "各村（社区）要对照任务清单，于{month}月{day}日前将工作进展情况报送{org}，联系电话：0769-8332{n4}。",
    "本次{topic}专项检查共出动检查人员{n}人次，检查企业{n2}家，发现隐患{n3}处，已全部督促整改到位。",
    "（{cn}）{verb}{topic}。要坚持问题导向，聚焦群众急难愁盼问题，建立健全长效工作机制。",
    "经审核，现将{year}年度{topic}补助对象名单予以公示，公示期为{n}个工作日，如有异议请向{org}反映。",
    "{org}将{topic}纳入年度绩效考核，对工作不力、推诿扯皮的单位和个人予以通报批评。",
    "下一步，我镇将继续以{topic}为抓手，强化统筹协调，加大督查力度，推动各项任务按时保质完成。",
]


def make_id(rng: random.Random) -> str:
    first17 = f"4419{rng.randint(0, 99):02d}{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    return first17 + id_number_check_char(first17)


def make_card(rng: random.Random) -> str:
    body = "62" + "".join(str(rng.randint(0, 9)) for _ in range(15))
    for check in "0123456789":
        if detectors.luhn_ok(body + check):
            return body + check
    raise AssertionError


def person_line(rng: random.Random) -> str:
    name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(["", rng.choice(GIVEN)])
    village = rng.choice(ORGS[7:])
    kind = rng.random()
    if kind < 0.4:
        return f"{name}，{rng.choice('男女')}，{village}村民，身份证号{make_id(rng)}，联系电话1{rng.choice('3578')}{rng.randint(0, 999999999):09d}。"
    if kind < 0.6:
        return f"补助资金已发放至{name}的银行卡{make_card(rng)}。"
    if kind < 0.75:
        return f"申请人{name}，电子邮箱 {rng.choice(['zhang', 'li', 'chen', 'huang'])}{rng.randint(1, 999)}@example.com。"
    return f"{name}，现住寮步镇香园路{rng.randint(1, 300)}号{rng.randint(1, 20)}栋{rng.randint(1, 30)}0{rng.randint(1, 4)}房。"


def sentence(rng: random.Random) -> str:
    return rng.choice(TEMPLATES).format(
        verb=rng.choice(VERBS),
        topic=rng.choice(TOPICS),
        law=rng.choice(LAWS),
        org=rng.choice(ORGS),
        year=rng.randint(2010, 2024),
        month=rng.randint(1, 12),
        day=rng.randint(1, 28),
        n=rng.randint(2, 300),
        n2=rng.randint(10, 900),
        n3=rng.randint(1, 60),
        n4=rng.randint(1000, 9999),
        amount=rng.randint(10, 99999) / 10,
        pct=rng.randint(1, 300) / 10,
        cn=rng.choice(NUMERALS),
    )


def make_words(rng: random.Random, count: int, sample: str) -> list[tuple[str, str]]:
    """A list of the size towns receive: 3 to 5 characters, mostly common ones, none of them
    an everyday phrase of the documents (a real list is not full of "工作会议")."""
    common = COMMON_CHARS[20:]
    categories = ["涉密", "政治", "个人信息", "招标采购", "维稳", "其他"]
    words: dict[str, str] = {}
    while len(words) < count:
        length = rng.choice([3, 3, 4, 4, 4, 5])
        chars = [
            rng.choice(common) if rng.random() < 0.7 else chr(0x4E00 + rng.randrange(0x5000))
            for _ in range(length)
        ]
        word = "".join(chars)
        if word not in sample:
            words[word] = rng.choice(categories)
    return list(words.items())


def make_documents(rng: random.Random, size_bytes: int, words: list[tuple[str, str]]) -> list[str]:
    docs, total = [], 0
    listed = [w for w, _c in words]
    while total < size_bytes:
        lines = []
        if rng.random() < 0.05:
            lines.append(rng.choice(["内部资料", "秘密★1年", "【内部】", "机密★10年"]))
        lines.append(f"关于{rng.choice(VERBS)}{rng.choice(TOPICS)}工作的通知")
        length = 0
        target = rng.randint(20_000, 80_000)  # bytes
        while length < target:
            paragraph = "".join(sentence(rng) for _ in range(rng.randint(3, 8)))
            if rng.random() < 0.1:
                paragraph += person_line(rng)
            if rng.random() < 0.02:
                paragraph += f"此事涉及{rng.choice(listed)}，请妥善处理。"
            lines.append(paragraph)
            length += len(paragraph.encode())
        doc = "\n".join(lines)
        docs.append(doc)
        total += len(doc.encode())
    return docs


def naive_scan(docs: list[str], words: list[str]) -> int:
    hits = 0
    for doc in docs:
        for word in words:
            pos = doc.find(word)
            while pos != -1:
                hits += 1
                pos = doc.find(word, pos + 1)
    return hits


def make_pdf(rng: random.Random, pages: int, path: Path) -> None:
    from weasyprint import HTML

    sections = []
    for _ in range(pages):
        body = "".join(sentence(rng) for _ in range(14))
        sections.append(
            f"<section><h2>{rng.choice(TOPICS)}</h2><p>{body}</p><p>{person_line(rng)}</p></section>"
        )
    html = (
        '<html><head><meta charset="utf-8"><style>'
        'body{font-family:"Noto Sans CJK SC";font-size:10.5pt;line-height:1.6}'
        "section{page-break-after:always}</style></head><body>"
        + "".join(sections)
        + "</body></html>"
    )
    HTML(string=html).write_pdf(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=100, help="generated text, MB (default 100)")
    parser.add_argument("--words", type=int, default=10_000, help="word list size (default 10000)")
    parser.add_argument(
        "--naive-mb", type=float, default=None, help="text for the naive loop (default: all)"
    )
    parser.add_argument("--pdf-pages", type=int, default=200)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    started = clock()
    sample = "".join(sentence(rng) for _ in range(20_000))
    words = make_words(rng, args.words, sample)
    docs = make_documents(rng, int(args.mb * MB), words)
    size = sum(len(d.encode()) for d in docs)
    print(
        f"generated {size / MB:.1f} MB in {len(docs)} documents, {len(words)} words "
        f"({clock() - started:.1f} s)",
        flush=True,
    )

    t = clock()
    matcher = WordMatcher(words)
    build = clock() - t
    ruleset = Ruleset(words=matcher)

    t, wall = clock(), time.perf_counter()
    findings = 0
    kinds: dict[str, int] = {}
    for doc in docs:
        report = scan_text(doc, field="正文", ruleset=ruleset, html=False)
        findings += len(report.findings)
        for f in report.findings:
            kinds[f.kind] = kinds.get(f.kind, 0) + 1
    ours, ours_wall = clock() - t, time.perf_counter() - wall
    print(f"scan: {ours:.2f} s, {findings} findings {kinds}", flush=True)

    # Where the time goes, one detector at a time over the same documents.
    parts = {}
    for label, func in (
        ("marks", detectors.find_marks),
        ("numbers", detectors.find_numbers),
        ("e-mail", detectors.find_emails),
        ("addresses", detectors.find_addresses),
        ("words", matcher.find),
    ):
        t = clock()
        for doc in docs:
            func(doc)
        parts[label] = clock() - t
    print("parts: " + ", ".join(f"{k} {v:.2f} s" for k, v in parts.items()), flush=True)

    naive_docs = docs
    if args.naive_mb is not None:
        naive_docs, acc = [], 0
        for d in docs:
            if acc >= args.naive_mb * MB:
                break
            naive_docs.append(d)
            acc += len(d.encode())
    naive_size = sum(len(d.encode()) for d in naive_docs)
    word_list = [w for w, _c in words]
    t = clock()
    naive_hits = naive_scan(naive_docs, word_list)
    naive = clock() - t
    print(f"naive: {naive:.1f} s over {naive_size / MB:.1f} MB, {naive_hits} word hits", flush=True)

    pdf_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"scan_bench_{args.pdf_pages}.pdf"
    t = clock()
    make_pdf(rng, args.pdf_pages, pdf_path)
    pdf_gen = clock() - t
    t, wall = clock(), time.perf_counter()
    pdf_report = scan_file(str(pdf_path), ruleset=ruleset)
    pdf_time, pdf_wall = clock() - t, time.perf_counter() - wall
    pdf_pages = pdf_report.files[0].pages
    print(
        f"pdf: generated in {pdf_gen:.1f} s, {pdf_path.stat().st_size / MB:.1f} MB, "
        f"{pdf_pages} pages, {len(pdf_report.findings)} findings",
        flush=True,
    )

    ours_rate = size / MB / ours
    naive_rate = naive_size / MB / naive
    print()
    print(
        f"机器：{os.cpu_count()} 核，负载 {os.getloadavg()[0]:.1f}；用时为本进程的 CPU 时间（单核）。"
    )
    print(
        f"命令：.venv/bin/python bench/scan_bench.py --mb {args.mb:g} --words {args.words}"
        + (f" --naive-mb {args.naive_mb:g}" if args.naive_mb is not None else "")
    )
    print()
    print("| 项目 | 数据量 | 用时 | 吞吐 |")
    print("| --- | ---: | ---: | ---: |")
    print(
        f"| 本扫描：全部检测器 + {len(words):,} 词（Aho-Corasick） | {size / MB:.1f} MB | "
        f"{ours:.2f} s | {ours_rate:.1f} MB/s |"
    )
    print(
        f"| 朴素做法：逐词 `str.find` 循环（只查词） | {naive_size / MB:.1f} MB | "
        f"{naive:.1f} s | {naive_rate:.2f} MB/s |"
    )
    print(f"| 倍数（本扫描 ÷ 朴素） | | | {ours_rate / naive_rate:.0f}× |")
    print(
        f"| {pdf_pages} 页文字 PDF 端到端（pypdf 取文字 + 扫描） | "
        f"{pdf_path.stat().st_size / MB:.1f} MB | {pdf_time:.2f} s | {pdf_pages / pdf_time:.0f} 页/s |"
    )
    print()
    print(f"墙钟时间：本扫描 {ours_wall:.2f} s，PDF {pdf_wall:.2f} s。")
    print(
        f"词库自动机构建 {build:.2f} s；各检测器单独用时："
        + "，".join(f"{k} {v:.2f} s" for k, v in parts.items())
    )
    print(
        f"本扫描发现 {findings:,} 处：" + "，".join(f"{k} {v:,}" for k, v in sorted(kinds.items()))
    )


if __name__ == "__main__":
    main()
