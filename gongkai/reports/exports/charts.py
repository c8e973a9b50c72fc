"""Charts for the report, drawn with matplotlib's Agg backend in a CJK font.

The font is Noto Sans CJK SC from Debian's fonts-noto-cjk (/usr/share/fonts/opentype/noto),
registered with matplotlib's font manager at first use; without it Chinese labels would be
drawn as empty boxes, so its absence is an error, not a silent fallback.
"""

import io
import threading
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from django.core.exceptions import ImproperlyConfigured  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from django.utils.translation import gettext_lazy  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

FONT_FAMILY = "Noto Sans CJK SC"
FONT_DIRS = [Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/opentype")]
_font_lock = threading.Lock()
_font_name: str | None = None

CHART_KINDS = ["by_channel", "by_category", "outcomes", "on_time"]
MONTHS = [f"{m}月" for m in range(1, 13)]


def cjk_font() -> str:
    """The family name of the CJK font, registered with matplotlib once per process."""
    global _font_name
    if _font_name:
        return _font_name
    with _font_lock:
        names = {f.name for f in font_manager.fontManager.ttflist}
        if FONT_FAMILY not in names:
            for folder in FONT_DIRS:
                for path in sorted(folder.glob("NotoSansCJK*.tt[cf]")):
                    font_manager.fontManager.addfont(str(path))
            names = {f.name for f in font_manager.fontManager.ttflist}
        if FONT_FAMILY not in names:
            raise ImproperlyConfigured(
                "未找到 Noto Sans CJK SC 字体，请安装 fonts-noto-cjk "
                "(install Debian's fonts-noto-cjk for Chinese chart labels)"
            )
        _font_name = FONT_FAMILY
    return _font_name


def _figure(width=7.5, height=3.0) -> Figure:
    font = cjk_font()
    fig = Figure(figsize=(width, height), dpi=150)
    fig.set_layout_engine("constrained")
    matplotlib.rcParams["font.family"] = [font]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return fig


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def _empty(ax, text):
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=12, transform=ax.transAxes)
    ax.set_axis_off()


def chart_by_channel(data: dict) -> bytes:
    monthly = data["monthly"]["by_channel"]
    fig = _figure()
    ax = fig.add_subplot()
    if not any(sum(v) for v in monthly.values()):
        _empty(ax, _("本年度无相关数据"))
    else:
        for name, values in monthly.items():
            ax.plot(MONTHS, values, marker="o", markersize=4, linewidth=1.5, label=name)
        ax.set_ylabel(_("条数"))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        # Beside the plot: with a line per site and per kind of channel it would hide points.
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
        ax.grid(axis="y", alpha=0.3)
    ax.set_title(_("%(year)d年各渠道每月发布信息条数") % {"year": data["year"]}, fontsize=11)
    return _png(fig)


def chart_by_category(data: dict) -> bytes:
    monthly = data["monthly"]["by_category"]
    fig = _figure()
    ax = fig.add_subplot()
    if not any(sum(v) for v in monthly.values()):
        _empty(ax, _("本年度无相关数据"))
    else:
        bottom = [0] * 12
        for name, values in monthly.items():
            ax.bar(MONTHS, values, bottom=bottom, label=name)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        ax.set_ylabel(_("条数"))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(fontsize=8, ncol=3, loc="upper left", frameon=False)
    ax.set_title(_("%(year)d年各类别每月主动公开信息条数") % {"year": data["year"]}, fontsize=11)
    return _png(fig)


def _requests(data: dict) -> dict:
    if data["format"] == "2021":
        return data["facts"]["requests"]
    return data["tables"]["requests"]


def chart_outcomes(data: dict) -> bytes:
    requests = _requests(data)
    fig = _figure(width=5.2, height=3.0)
    ax = fig.add_subplot()
    labels = [o["label"].split("（区分")[0] for o in requests["outcomes"]]
    counts = [o["count"] for o in requests["outcomes"]]
    if not sum(counts):
        _empty(ax, _("本年度无办结的政府信息公开申请"))
    else:
        bars = ax.barh(labels[::-1], counts[::-1], color="#3b6ea5")
        ax.bar_label(bars, padding=3)
        ax.set_xlabel(_("件数"))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlim(0, max(counts) * 1.15)
    ax.set_title(_("%(year)d年政府信息公开申请办理结果") % {"year": data["year"]}, fontsize=11)
    return _png(fig)


def chart_on_time(data: dict) -> bytes:
    requests = _requests(data)
    answered, on_time = requests["answered"], requests["on_time"]
    fig = _figure(width=3.6, height=3.0)
    ax = fig.add_subplot()
    if not answered:
        _empty(ax, _("本年度无办结的政府信息公开申请"))
    else:
        late = answered - on_time
        values = [on_time, late] if late else [on_time]
        labels = [_("按时答复"), _("超期答复")][: len(values)]
        ax.pie(
            values,
            labels=labels,
            autopct=lambda p: f"{p:.1f}%",
            colors=["#4c9a5f", "#c0504d"][: len(values)],
            startangle=90,
        )
        ax.axis("equal")
    ax.set_title(_("%(year)d年申请按时答复比例") % {"year": data["year"]}, fontsize=11)
    return _png(fig)


RENDERERS = {
    "by_channel": chart_by_channel,
    "by_category": chart_by_category,
    "outcomes": chart_outcomes,
    "on_time": chart_on_time,
}

TITLES = {
    "by_channel": gettext_lazy("各渠道每月发布信息条数"),
    "by_category": gettext_lazy("各类别每月主动公开信息条数"),
    "outcomes": gettext_lazy("申请办理结果"),
    "on_time": gettext_lazy("按时答复比例"),
}


def render_chart(data: dict, kind: str) -> bytes:
    return RENDERERS[kind](data)


def render_all(data: dict) -> dict[str, bytes]:
    return {kind: render_chart(data, kind) for kind in CHART_KINDS}
