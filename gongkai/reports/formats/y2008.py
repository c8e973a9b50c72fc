"""The 2008-era report (《政府信息公开条例》2008, RULES.md §7): the seed report's six parts.

The sub-sections of part 二 are numbered in the order they are printed — the seed printed (二)
after (六); a generated report never does.
"""

from django.utils.translation import gettext_lazy as _

TITLE = _("%(org)s%(year)d年政府信息公开工作年度报告")

HEADINGS = {
    "basic": _("一、基本工作情况"),
    "proactive": _("二、主动公开政府信息情况"),
    "requests": _("三、依申请公开政府信息情况"),
    "fees": _("四、政府信息公开相关费用情况"),
    "appeals": _("五、申请行政复议、提起行政诉讼情况"),
    "problems": _("六、主要问题和改进措施"),
}
SECTION_ORDER = ["basic", "proactive", "requests", "fees", "appeals", "problems"]
NARRATIVE_SECTIONS = ["basic", "problems"]

# Sub-section numbers （一）…（二十）; more sub-sections than that would be a different report.
NUMERALS = "一二三四五六七八九十"


def subsection_number(n: int) -> str:
    """1 → （一）, 10 → （十）, 12 → （十二）, 20 → （二十）."""
    if n < 1 or n > 99:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    text = ""
    if tens:
        text = ("" if tens == 1 else NUMERALS[tens - 1]) + "十"
    if ones:
        text += NUMERALS[ones - 1]
    return f"（{text}）"


# Table headings used in the 2008 report's attached tables (counts and shares).
CATEGORY = _("信息类别")
COUNT = _("条数")
SHARE = _("占比")
TOTAL = _("合计")
