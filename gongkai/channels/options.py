"""The options each kind of channel takes in its `config`, with documented defaults.

Kept as data so the admin, the docs and the validation agree. An empty config means "all
defaults"; a value of the wrong type or out of range is refused at the field with a message in
Chinese, never at send time.
"""

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Channel

Kind = Channel.Kind

# Length limits of the platforms (characters). Weibo has allowed 2,000 characters in an
# ordinary post since 2016 (the old 140 applies only to the preview); a WeChat official-account
# article body takes up to 20,000. Each account can set its own `max_length`.
PLATFORM_LIMITS = {"weibo": 2000, "wechat": 20000, "other": 1000}
PLATFORM_LABELS = {"weibo": _("微博"), "wechat": _("微信公众号"), "other": _("其他平台")}
DEFAULT_MAX_ATTEMPTS = 5
# The kiosk's quick-search buttons: what people at a town hall's counters most often ask for.
# Each kiosk can set its own (`topics`); a word with nothing to find is not shown.
KIOSK_TOPICS = ("低保", "补贴", "社保", "医疗", "教育", "就业", "招聘", "采购", "规划", "财政")
KIOSK_TOPICS_MAX = 12
KIOSK_TOPIC_MAX_CHARS = 20
TOPIC_SEPARATORS = re.compile(r"[\s,，、;；]+")


@dataclass(frozen=True)
class Option:
    key: str
    label: Any
    type: type
    default: Any
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple | None = None
    url: bool = False


_ATTEMPTS = Option("max_attempts", _("最多尝试次数"), int, DEFAULT_MAX_ATTEMPTS, 1, 20)
_TIMEOUT = Option("timeout_seconds", _("超时（秒）"), int, 10, 1, 60)

OPTIONS: dict[str, tuple[Option, ...]] = {
    Kind.WEBSITE: (
        Option("url", _("外部网站地址（不在本平台的网站）"), str, "", url=True),
        _ATTEMPTS,
    ),
    Kind.SCREEN: (
        Option("interval_seconds", _("轮播间隔（秒）"), int, 15, 3, 600),
        Option("poll_seconds", _("检查新内容间隔（秒）"), int, 60, 10, 3600),
        Option("max_items", _("最多轮播条数"), int, 20, 1, 200),
        Option("days_shown", _("每条显示天数"), int, 60, 1, 3650),
        _ATTEMPTS,
    ),
    Kind.KIOSK: (
        Option("idle_seconds", _("无人操作返回首页（秒）"), int, 90, 15, 3600),
        Option("max_items", _("最多收录条数"), int, 500, 10, 5000),
        Option("topics", _("常用检索词（用空格或逗号分隔）"), str, " ".join(KIOSK_TOPICS)),
        _ATTEMPTS,
    ),
    Kind.NEWSPAPER: (
        Option("page_size", _("纸张"), str, "A3", choices=("A3", "A4")),
        Option("columns", _("栏数"), int, 3, choices=(2, 3)),
        Option("default_copies", _("每期印数"), int, 10000, 0, 10_000_000),
        Option("masthead", _("报头"), str, ""),
        _ATTEMPTS,
    ),
    Kind.MAGAZINE: (
        Option("page_size", _("纸张"), str, "A4", choices=("A3", "A4")),
        Option("columns", _("栏数"), int, 2, choices=(2, 3)),
        Option("default_copies", _("每期印数"), int, 3000, 0, 10_000_000),
        Option("masthead", _("刊头"), str, ""),
        _ATTEMPTS,
    ),
    Kind.TV: (
        Option("programme", _("默认节目"), str, "寮步新闻"),
        _ATTEMPTS,
    ),
    Kind.NEW_MEDIA: (
        Option("platform", _("平台"), str, "weibo", choices=tuple(PLATFORM_LIMITS)),
        Option("max_length", _("字数上限（0 为平台默认）"), int, 0, 0, 100_000),
        Option("webhook_url", _("推送接口地址（可空）"), str, "", url=True),
        _TIMEOUT,
        _ATTEMPTS,
    ),
    Kind.NOTICE_BOARD: (
        Option("location", _("位置"), str, ""),
        _ATTEMPTS,
    ),
    Kind.WEBHOOK: (
        Option("url", _("接口地址"), str, "", url=True),
        _TIMEOUT,
        _ATTEMPTS,
    ),
}


def _option(kind: str, key: str) -> Option:
    for option in OPTIONS.get(kind, ()):
        if option.key == key:
            return option
    raise KeyError(f"{kind} has no option {key}")


def option_value(channel: Channel, key: str):
    option = _option(channel.kind, key)
    value = (channel.config or {}).get(key)
    if value is None or value == "":
        if key == "max_length" and channel.kind == Kind.NEW_MEDIA:
            return PLATFORM_LIMITS[option_value(channel, "platform")]
        return option.default
    if key == "max_length" and value == 0:
        return PLATFORM_LIMITS[option_value(channel, "platform")]
    return value


def kiosk_topics(value: str) -> list[str]:
    """The words of a kiosk's `topics` option, in order, without repeats."""
    return list(dict.fromkeys(w for w in TOPIC_SEPARATORS.split(value or "") if w))


def _check_url(value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError


def options_clean(channel: Channel) -> dict:
    """Validate `channel.config` for its kind; return it with values of the right type."""
    config = channel.config if channel.config is not None else {}
    if not isinstance(config, dict):
        raise ValidationError({"config": _('参数应为 JSON 对象，例如 {"interval_seconds": 15}。')})
    errors = []
    known = {o.key: o for o in OPTIONS.get(channel.kind, ())}
    cleaned = {}
    for key, value in config.items():
        option = known.get(key)
        if option is None:
            errors.append(
                _("“%(kind)s”渠道没有参数“%(key)s”。")
                % {"kind": Kind(channel.kind).label if channel.kind else "", "key": key}
            )
            continue
        try:
            if option.type is int:
                if isinstance(value, bool):
                    raise ValueError
                value = int(value)
            else:
                value = str(value).strip()
            if option.minimum is not None and value < option.minimum:
                raise ValueError
            if option.maximum is not None and value > option.maximum:
                raise ValueError
            if option.choices and value not in option.choices:
                raise ValueError
            if option.url and value:
                _check_url(value)
        except (TypeError, ValueError):
            errors.append(_bad_value_message(option, value))
            continue
        cleaned[key] = value
    topics = kiosk_topics(cleaned.get("topics", "")) if channel.kind == Kind.KIOSK else []
    if len(topics) > KIOSK_TOPICS_MAX or any(len(w) > KIOSK_TOPIC_MAX_CHARS for w in topics):
        errors.append(
            _("参数“topics”（常用检索词）最多 %(count)s 个词，每个词不超过 %(chars)s 个字。")
            % {"count": KIOSK_TOPICS_MAX, "chars": KIOSK_TOPIC_MAX_CHARS}
        )
    if channel.kind == Kind.WEBHOOK and not cleaned.get("url"):
        errors.append(_("接口推送渠道须填写参数 url（接口地址）。"))
    if channel.kind == Kind.WEBSITE and not channel.column_id and not cleaned.get("url"):
        raise ValidationError(
            {"column": _("网站渠道须选择本平台的栏目，或在参数 url 中填写外部网站地址。")}
        )
    if errors:
        raise ValidationError({"config": errors})
    return cleaned


def _bad_value_message(option: Option, value) -> str:
    if option.choices:
        allowed = "、".join(str(c) for c in option.choices)
        return _("参数“%(key)s”（%(label)s）只能是：%(allowed)s。") % {
            "key": option.key,
            "label": option.label,
            "allowed": allowed,
        }
    if option.url:
        return _("参数“%(key)s”（%(label)s）应为 http:// 或 https:// 开头的网址。") % {
            "key": option.key,
            "label": option.label,
        }
    if option.minimum is not None:
        return _("参数“%(key)s”（%(label)s）应为 %(min)s 到 %(max)s 之间的整数。") % {
            "key": option.key,
            "label": option.label,
            "min": option.minimum,
            "max": option.maximum,
        }
    return _("参数“%(key)s”（%(label)s）的值“%(value)s”无效。") % {
        "key": option.key,
        "label": option.label,
        "value": value,
    }
