"""《中华人民共和国政府信息公开工作年度报告格式》(国办公开办函〔2021〕30号), RULES.md §2.

Every label printed in a report of the current format is here, exactly as the format gives it,
character for character (full-width brackets, the typographic quotes of “三安全一稳定”).
The tests assert each one; change none without the format changing.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

FORMAT_NAME = _("国办公开办函〔2021〕30号")

TITLE = _("%(org)s%(year)d年政府信息公开工作年度报告")

# Section headings, in order.
HEADINGS = {
    "overview": _("一、总体情况"),
    "proactive": _("二、主动公开政府信息情况"),
    "requests": _("三、收到和处理政府信息公开申请情况"),
    "appeals": _("四、政府信息公开行政复议、行政诉讼情况"),
    "problems": _("五、存在的主要问题及改进情况"),
    "other": _("六、其他需要报告的事项"),
}
SECTION_ORDER = ["overview", "proactive", "requests", "appeals", "problems", "other"]
# The sections whose text staff write (prefilled with computed sentences).
NARRATIVE_SECTIONS = ["overview", "problems", "other"]

# ---- Section 二: 条例第二十条 ----
CONTENT = _("信息内容")
ART20_1 = _("第二十条第（一）项")
ART20_5 = _("第二十条第（五）项")
ART20_6 = _("第二十条第（六）项")
ART20_8 = _("第二十条第（八）项")
ISSUED = _("本年制发件数")
REPEALED = _("本年废止件数")
IN_FORCE = _("现行有效件数")
DECISIONS = _("本年处理决定数量")
FEE_AMOUNT = _("本年收费金额（单位：万元）")
RULES = _("规章")
NORMATIVE = _("行政规范性文件")
LICENSING = _("行政许可")
PENALTY = _("行政处罚")
ENFORCEMENT = _("行政强制")
FEES = _("行政事业性收费")

# ---- Section 三 ----
IDENTITY_NOTE = _("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
APPLICANTS = _("申请人情况")
NATURAL = _("自然人")
LEGAL = _("法人或其他组织")
COMMERCIAL = _("商业企业")
RESEARCH = _("科研机构")
SOCIAL = _("社会公益组织")
LEGAL_SERVICE = _("法律服务机构")
OTHER_ORG = pgettext_lazy("申请人", "其他")
TOTAL = _("总计")

# The seven numeric columns, in order: key → label.
COLUMNS = [
    ("natural", NATURAL),
    ("commercial", COMMERCIAL),
    ("research", RESEARCH),
    ("social", SOCIAL),
    ("legal_service", LEGAL_SERVICE),
    ("other", OTHER_ORG),
    ("total", TOTAL),
]
COLUMN_KEYS = [key for key, _label in COLUMNS]
APPLICANT_COLUMN_KEYS = COLUMN_KEYS[:-1]

NEW = _("一、本年新收政府信息公开申请数量")
CARRIED_IN = _("二、上年结转政府信息公开申请数量")
RESULTS = _("三、本年度办理结果")
CARRIED_OUT = _("四、结转下年度继续办理")

# Groups under 三、本年度办理结果: key → (label, [(row key, sub-row label)]).
# （一）and（二）have no sub-rows: their row is the group.
GROUPS = [
    ("disclosed", _("（一）予以公开"), []),
    ("partial", _("（二）部分公开（区分处理的，只计这一情形，不计其他情形）"), []),
    (
        "withheld",
        _("（三）不予公开"),
        [
            ("withheld_secret", _("1.属于国家秘密")),
            ("withheld_law", _("2.其他法律行政法规禁止公开")),
            ("withheld_security", _("3.危及“三安全一稳定”")),
            ("withheld_third_party", _("4.保护第三方合法权益")),
            ("withheld_internal", _("5.属于三类内部事务信息")),
            ("withheld_process", _("6.属于四类过程性信息")),
            ("withheld_enforcement", _("7.属于行政执法案卷")),
            ("withheld_query", _("8.属于行政查询事项")),
        ],
    ),
    (
        "unavailable",
        _("（四）无法提供"),
        [
            ("unavailable_not_held", _("1.本机关不掌握相关政府信息")),
            ("unavailable_needs_creation", _("2.没有现成信息需要另行制作")),
            ("unavailable_unclear", _("3.补正后申请内容仍不明确")),
        ],
    ),
    (
        "not_handled",
        _("（五）不予处理"),
        [
            ("not_handled_petition", _("1.信访举报投诉类申请")),
            ("not_handled_repeat", _("2.重复申请")),
            ("not_handled_publication", _("3.要求提供公开出版物")),
            ("not_handled_excessive", _("4.无正当理由大量反复申请")),
            ("not_handled_confirmation", _("5.要求行政机关确认或重新出具已获取信息")),
        ],
    ),
    (
        "other",
        _("（六）其他处理"),
        [
            (
                "other_no_correction",
                _("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
            ),
            (
                "other_fee_unpaid",
                _("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
            ),
            ("other_other", _("3.其他")),
        ],
    ),
]
RESULTS_TOTAL = _("（七）总计")

# Every numeric row of the section-三 table in printed order (group rows with sub-rows are
# headings in the printed table; their totals are kept in the data and checked).
OUTCOME_ROW_KEYS = [
    key
    for group, _label, subs in GROUPS
    for key in ([group] if not subs else [k for k, _l in subs])
]
GROUP_KEYS = [group for group, _label, _subs in GROUPS]

# ---- Section 四 ----
RECONSIDERATION = _("行政复议")
LITIGATION = _("行政诉讼")
DIRECT_SUIT = _("未经复议直接起诉")
SUIT_AFTER = _("复议后起诉")
UPHELD = _("结果维持")
CORRECTED = _("结果纠正")
OTHER_RESULT = _("其他结果")
PENDING = _("尚未审结")
APPEAL_COLUMNS = [
    ("upheld", UPHELD),
    ("corrected", CORRECTED),
    ("other", OTHER_RESULT),
    ("pending", PENDING),
    ("total", TOTAL),
]
APPEAL_GROUPS = [
    ("reconsideration", RECONSIDERATION),
    ("direct_suit", DIRECT_SUIT),
    ("suit_after_reconsideration", SUIT_AFTER),
]


def row_label(key: str) -> str:
    """The printed label of a section-三 row key (used to name a failing cell)."""
    fixed = {
        "new": NEW,
        "carried_in": CARRIED_IN,
        "results_total": RESULTS_TOTAL,
        "carried_out": CARRIED_OUT,
    }
    if key in fixed:
        return str(fixed[key])
    for group, label, subs in GROUPS:
        if key == group:
            return str(label)
        for sub_key, sub_label in subs:
            if key == sub_key:
                return f"{label}{sub_label}"
    raise KeyError(key)


def column_label(key: str) -> str:
    return str(dict(COLUMNS)[key])
