"""The outcomes of an application: exactly the rows of the annual report's section-三 table.

The one place where each outcome's stable code, its exact Chinese row label (国办公开办函〔2021〕30号,
RULES.md §2) and the article it rests on (RULES.md §2, regulation-to-row mapping) are kept.
Reports, letters, the import command and the admin all read from here.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .statute import FEE_MEASURES, citation


class Group(models.TextChoices):
    """The six kinds of result, rows （一）–（六） of 三、本年度办理结果."""

    DISCLOSED = "disclosed", _("予以公开")
    PARTIAL = "partial", _("部分公开")
    WITHHELD = "withheld", _("不予公开")
    UNAVAILABLE = "unavailable", _("无法提供")
    NOT_HANDLED = "not_handled", _("不予处理")
    OTHER = "other", _("其他处理")


# The group rows as printed in the table, with their numbers.
GROUP_ROW_LABELS = {
    Group.DISCLOSED: _("（一）予以公开"),
    Group.PARTIAL: _("（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    Group.WITHHELD: _("（三）不予公开"),
    Group.UNAVAILABLE: _("（四）无法提供"),
    Group.NOT_HANDLED: _("（五）不予处理"),
    Group.OTHER: _("（六）其他处理"),
}


class Outcome(models.TextChoices):
    DISCLOSED = "disclosed", _("予以公开")
    PARTIAL = "partial", _("部分公开")
    WITHHELD_SECRET = "withheld_secret", _("属于国家秘密")
    WITHHELD_LAW = "withheld_law", _("其他法律行政法规禁止公开")
    WITHHELD_SECURITY = "withheld_security", _("危及“三安全一稳定”")
    WITHHELD_THIRD_PARTY = "withheld_third_party", _("保护第三方合法权益")
    WITHHELD_INTERNAL = "withheld_internal", _("属于三类内部事务信息")
    WITHHELD_PROCESS = "withheld_process", _("属于四类过程性信息")
    WITHHELD_ENFORCEMENT = "withheld_enforcement", _("属于行政执法案卷")
    WITHHELD_QUERY = "withheld_query", _("属于行政查询事项")
    UNAVAILABLE_NOT_HELD = "unavailable_not_held", _("本机关不掌握相关政府信息")
    UNAVAILABLE_NEEDS_CREATION = "unavailable_needs_creation", _("没有现成信息需要另行制作")
    UNAVAILABLE_UNCLEAR = "unavailable_unclear", _("补正后申请内容仍不明确")
    NOT_HANDLED_PETITION = "not_handled_petition", _("信访举报投诉类申请")
    NOT_HANDLED_REPEAT = "not_handled_repeat", _("重复申请")
    NOT_HANDLED_PUBLICATION = "not_handled_publication", _("要求提供公开出版物")
    NOT_HANDLED_EXCESSIVE = "not_handled_excessive", _("无正当理由大量反复申请")
    NOT_HANDLED_CONFIRMATION = (
        "not_handled_confirmation",
        _("要求行政机关确认或重新出具已获取信息"),
    )
    OTHER_NO_CORRECTION = (
        "other_no_correction",
        _("申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    )
    OTHER_FEE_UNPAID = (
        "other_fee_unpaid",
        _("申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    )
    OTHER = "other", pgettext_lazy("办理结果", "其他")


@dataclass(frozen=True)
class OutcomeInfo:
    code: str
    group: str
    number: int | None  # position under its group row; None for （一） and （二）
    articles: tuple[str, ...]  # keys of statute.ARTICLES
    extra_basis: str = ""  # a rule outside the regulation, cited after it

    @property
    def label(self):
        return Outcome(self.code).label

    @property
    def row_label(self) -> str:
        """As printed in the report: '1.属于国家秘密', or the group row for （一）/（二）."""
        if self.number is None:
            return str(GROUP_ROW_LABELS[self.group])
        return f"{self.number}.{self.label}"

    @property
    def ledger_label(self) -> str:
        """As written in an office's ledger: '予以公开', '不予公开:属于行政执法案卷'."""
        if self.number is None:
            return str(Group(self.group).label)
        return f"{Group(self.group).label}:{self.label}"

    @property
    def legal_basis(self) -> str:
        parts = [citation(self.articles)] if self.articles else []
        if self.extra_basis:
            parts.append(self.extra_basis)
        return "和".join(parts)


def _o(code, group, number, articles, extra=""):
    return OutcomeInfo(code, group, number, tuple(articles), extra)


# RULES.md §2 maps rows to articles; where it says nothing the choice is explained.
OUTCOMES: dict[str, OutcomeInfo] = {
    info.code: info
    for info in [
        # 予以公开 covers Art. 36(1) (already published: say where) and 36(2) (provide it).
        _o(Outcome.DISCLOSED, Group.DISCLOSED, None, ["36-2"]),
        _o(Outcome.PARTIAL, Group.PARTIAL, None, ["37"]),
        _o(Outcome.WITHHELD_SECRET, Group.WITHHELD, 1, ["14"]),
        _o(Outcome.WITHHELD_LAW, Group.WITHHELD, 2, ["14"]),
        _o(Outcome.WITHHELD_SECURITY, Group.WITHHELD, 3, ["14"]),
        _o(Outcome.WITHHELD_THIRD_PARTY, Group.WITHHELD, 4, ["15"]),
        _o(Outcome.WITHHELD_INTERNAL, Group.WITHHELD, 5, ["16-1"]),
        _o(Outcome.WITHHELD_PROCESS, Group.WITHHELD, 6, ["16-2"]),
        _o(Outcome.WITHHELD_ENFORCEMENT, Group.WITHHELD, 7, ["16-2"]),
        # RULES.md marks this mapping [UNVERIFIED].
        _o(Outcome.WITHHELD_QUERY, Group.WITHHELD, 8, ["36-7"]),
        _o(Outcome.UNAVAILABLE_NOT_HELD, Group.UNAVAILABLE, 1, ["36-4", "36-5"]),
        _o(Outcome.UNAVAILABLE_NEEDS_CREATION, Group.UNAVAILABLE, 2, ["38"]),
        _o(Outcome.UNAVAILABLE_UNCLEAR, Group.UNAVAILABLE, 3, ["30"]),
        _o(Outcome.NOT_HANDLED_PETITION, Group.NOT_HANDLED, 1, ["39-1"]),
        _o(Outcome.NOT_HANDLED_REPEAT, Group.NOT_HANDLED, 2, ["36-6"]),
        _o(Outcome.NOT_HANDLED_PUBLICATION, Group.NOT_HANDLED, 3, ["39-2"]),
        _o(Outcome.NOT_HANDLED_EXCESSIVE, Group.NOT_HANDLED, 4, ["35"]),
        # RULES.md names no article for this row. Information the applicant already holds
        # needs no new disclosure, and re-issuing or certifying it means making new
        # information (Art. 38). Check with the legal adviser before relying on it.
        _o(Outcome.NOT_HANDLED_CONFIRMATION, Group.NOT_HANDLED, 5, ["38"]),
        _o(Outcome.OTHER_NO_CORRECTION, Group.OTHER, 1, ["30"]),
        _o(Outcome.OTHER_FEE_UNPAID, Group.OTHER, 2, ["42"], FEE_MEASURES),
        _o(Outcome.OTHER, Group.OTHER, 3, []),
    ]
}


def outcome_info(code: str) -> OutcomeInfo:
    return OUTCOMES[code]


def outcomes_in_group(group: str) -> list[OutcomeInfo]:
    return [info for info in OUTCOMES.values() if info.group == group]


def outcome_from_ledger_label(text: str) -> str | None:
    """The code for a ledger's 办理结果 cell; a full-width colon and spaces are accepted."""
    cleaned = (text or "").replace("：", ":").replace(" ", "").replace("\u3000", "")
    for info in OUTCOMES.values():
        if cleaned == info.ledger_label.replace(" ", ""):
            return info.code
    return None
