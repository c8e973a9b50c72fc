"""Letters to applicants: the reply (告知书) for each outcome and the notices on the way.

The text comes from the editable LetterTemplate (or the shipped default); placeholders such as
{申请人} are filled from the case. Word (python-docx) because offices exchange Word files; PDF
(WeasyPrint, Noto CJK) because the public reads PDF.
"""

import io
import re
from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .fees import FeeBasis
from .letter_defaults import DEFAULTS
from .models import Application, CaseEvent, LetterTemplate
from .outcomes import OUTCOMES, Outcome
from .statute import ARTICLES, FEE_MEASURES, REGULATION, citation

Kind = CaseEvent.Kind
Key = LetterTemplate.Key

# The notices cite these (条例第三十条, 第三十三条, 第四十二条 and the fee measures).
NOTICE_ARTICLES = {
    Key.CORRECTION_NOTICE: (["30"], ""),
    Key.EXTENSION_NOTICE: (["33-2"], ""),
    Key.FEE_NOTICE: (["42"], FEE_MEASURES),
}
# Which event a notice is about.
NOTICE_EVENTS = {
    Key.CORRECTION_NOTICE: Kind.CORRECTION_REQUESTED,
    Key.EXTENSION_NOTICE: Kind.EXTENDED,
    Key.FEE_NOTICE: Kind.FEE_NOTICE_SENT,
}

PLACEHOLDERS = {
    "受理机关": gettext_lazy("受理申请的机关名称"),
    "申请人": gettext_lazy("申请人姓名或名称"),
    "申请编号": gettext_lazy("申请编号，例如 LB-2026-00017"),
    "收到日期": gettext_lazy("收到申请之日（条例第三十一条）"),
    "申请内容": gettext_lazy("所需信息的名称或描述（含文号）"),
    "信息形式": gettext_lazy("申请人要求的信息形式"),
    "获取方式": gettext_lazy("申请人选择的获取方式"),
    "答复日期": gettext_lazy("答复或通知的日期"),
    "办理结果": gettext_lazy("办理结果的名称"),
    "依据条款": gettext_lazy("所依据的条款，例如《中华人民共和国政府信息公开条例》第十四条"),
    "条款原文": gettext_lazy("所依据条款的原文"),
    "说明": gettext_lazy("经办人填写的理由或说明"),
    "负责机关说明": gettext_lazy("条例第三十六条第（五）项：能确定负责公开的机关时，写明该机关"),
    "补正事项": gettext_lazy("补正通知中需要补正的事项"),
    "补正通知日期": gettext_lazy("发出补正通知的日期"),
    "补正期限": gettext_lazy("补正期限"),
    "延长工作日数": gettext_lazy("延长的工作日数"),
    "延长后期限": gettext_lazy("延长后的答复期限"),
    "收费通知日期": gettext_lazy("发出收费通知的日期"),
    "计收方式": gettext_lazy("按件或按量"),
    "计费说明": gettext_lazy("计费的依据，例如本月第12件、共250页"),
    "收费金额": gettext_lazy("应缴金额（元）"),
}
PLACEHOLDER_RE = re.compile(r"\{([^{}\s]{1,20})\}")

REMEDIES = gettext_lazy(
    "如对本答复不服，可以自知道该行政行为之日起六十日内依法申请行政复议，"
    "或者自知道或者应当知道该行政行为之日起六个月内依法向人民法院提起行政诉讼。"
)


def template_keys() -> list[tuple[str, str]]:
    return [*Key.choices, *Outcome.choices]


def check_template(body: str) -> list[str]:
    """Placeholders in `body` that the letters do not know."""
    return sorted({m for m in PLACEHOLDER_RE.findall(body or "") if m not in PLACEHOLDERS})


def fill(text: str, context: dict[str, str]) -> str:
    return PLACEHOLDER_RE.sub(lambda m: context.get(m.group(1), m.group(0)), str(text))


def chinese_date(value: date | None) -> str:
    if value is None:
        return ""
    return _("%(y)d年%(m)d月%(d)d日") % {"y": value.year, "m": value.month, "d": value.day}


@dataclass
class Letter:
    key: str
    title: str
    agency: str
    number: str
    dated: str
    paragraphs: list[str]
    remedies: str

    @property
    def filename_stem(self) -> str:
        return f"{self.number}-{self.key}"


def _template_text(key: str) -> tuple[str, list[str]]:
    row = LetterTemplate.objects.filter(key=key).first()
    if row is not None:
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", row.body) if p.strip()]
        return row.title, paragraphs
    title, paragraphs = DEFAULTS[key]
    return str(title), [str(p) for p in paragraphs]


def _article_quotes(keys) -> str:
    return "".join(
        _("%(regulation)s%(citation)s规定：“%(text)s”")
        % {"regulation": REGULATION, "citation": ARTICLES[k].citation, "text": ARTICLES[k].text}
        for k in keys
    )


def letter_context(application: Application, key: str, event: CaseEvent | None) -> dict[str, str]:
    events = list(application.events.all())
    correction = next((e for e in events if e.kind == Kind.CORRECTION_REQUESTED), None)
    fee_notice = next((e for e in reversed(events) if e.kind == Kind.FEE_NOTICE_SENT), None)
    if key in NOTICE_ARTICLES:
        articles, extra = NOTICE_ARTICLES[key]
        basis = "和".join(p for p in [citation(articles), extra] if p)
        outcome_label = ""
    else:
        info = OUTCOMES[key]
        articles, basis, outcome_label = info.articles, info.legal_basis, str(info.label)
    wanted = application.description
    if application.document_number:
        wanted = f"{wanted}（{application.document_number}）"
    agency_note = ""
    if application.responsible_agency:
        agency_note = _(
            "该政府信息不属于本机关负责公开，负责公开该政府信息的行政机关为%(agency)s，"
            "您可以向该机关提出申请。"
        ) % {"agency": application.responsible_agency}
    context = {
        "受理机关": application.organisation.name,
        "申请人": application.name,
        "申请编号": application.number,
        "收到日期": chinese_date(application.received_on),
        "申请内容": wanted,
        "信息形式": str(application.get_info_form_display()),
        "获取方式": str(application.get_delivery_display()),
        "答复日期": chinese_date(event.happened_on if event else timezone.localdate()),
        "办理结果": outcome_label,
        "依据条款": basis,
        "条款原文": _article_quotes(articles),
        "说明": (event.note if event else "") or "",
        "负责机关说明": agency_note,
        "补正事项": correction.note if correction else "",
        "补正通知日期": chinese_date(correction.happened_on) if correction else "",
        "补正期限": chinese_date(correction.due_on) if correction else "",
        "收费通知日期": chinese_date(fee_notice.happened_on) if fee_notice else "",
        "延长工作日数": "",
        "延长后期限": "",
        "计收方式": "",
        "计费说明": "",
        "收费金额": "",
    }
    if event is not None and event.kind == Kind.EXTENDED:
        context["延长工作日数"] = str(event.data.get("extension_days", ""))
        context["延长后期限"] = chinese_date(
            date.fromisoformat(event.data["due_on"]) if event.data.get("due_on") else None
        )
    if event is not None and event.kind == Kind.FEE_NOTICE_SENT:
        context["计收方式"] = str(FeeBasis(event.fee_basis).label)
        context["收费金额"] = f"{event.amount:,.2f}"
        if event.fee_basis == FeeBasis.PIECE:
            context["计费说明"] = _("本月第%(first)d件至第%(last)d件") % {
                "first": event.data["earlier"] + 1,
                "last": event.data["earlier"] + event.data["pieces"],
            }
        else:
            context["计费说明"] = _("共%(pages)d页") % {"pages": event.data["pages"]}
    return context


def letter_build(application: Application, key: str, event: CaseEvent | None = None) -> Letter:
    title, paragraphs = _template_text(key)
    context = letter_context(application, key, event)
    filled = [fill(p, context) for p in paragraphs]
    return Letter(
        key=key,
        title=fill(title, context),
        agency=application.organisation.name,
        number=application.number,
        dated=context["答复日期"],
        paragraphs=[p for p in filled if p.strip()],
        remedies="" if key in (Key.CORRECTION_NOTICE, Key.EXTENSION_NOTICE) else str(REMEDIES),
    )


def letters_available(application: Application, events: list[CaseEvent]) -> list[tuple]:
    """(key, label) of the letters this case has had so far: its notices and its reply."""
    kinds = {event.kind for event in events}
    keys = [key for key, kind in NOTICE_EVENTS.items() if kind in kinds]
    if application.outcome:
        keys.append(application.outcome)
    labels = dict(template_keys())
    return [(key, labels[key]) for key in keys]


def letter_event(application: Application, key: str) -> CaseEvent | None:
    """The event a letter is about: the latest notice of its kind, or the closing reply."""
    kinds = [NOTICE_EVENTS[key]] if key in NOTICE_EVENTS else [Kind.REPLIED, Kind.ABANDONED]
    return application.events.filter(kind__in=kinds).order_by("-happened_on", "-id").first()


def letter_docx(letter: Letter) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Noto Serif CJK SC"
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")

    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(letter.agency)
    run.bold = True
    run.font.size = Pt(20)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(letter.title)
    run.bold = True
    run.font.size = Pt(18)
    number = document.add_paragraph(_("编号：%(number)s") % {"number": letter.number})
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for i, text in enumerate(letter.paragraphs):
        paragraph = document.add_paragraph(text)
        if i:
            paragraph.paragraph_format.first_line_indent = Pt(28)
    if letter.remedies:
        paragraph = document.add_paragraph(letter.remedies)
        paragraph.paragraph_format.first_line_indent = Pt(28)
    for text in (letter.agency, letter.dated):
        paragraph = document.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def letter_pdf(letter: Letter) -> bytes:
    return html_to_pdf(render_to_string("applications/letters/letter.html", {"letter": letter}))
