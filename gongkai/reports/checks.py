"""Checks a report must pass before it can be submitted for review.

Each failure names the cell, in the words a disclosure office uses, e.g.
“第三部分表格 ‘总计’列 第（三）项：子项之和 5 ≠ 6”. They run on the report data (figures.py),
so the same checks apply to a freshly computed report and to a stored snapshot.
"""

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from .formats import y2021

GROUP_NUMBERS = ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"]


def _row_name(key: str) -> str:
    """How a row of the section-三 table is named in a message: 第一项, 第（三）项第2小项 …"""
    fixed = {"new": _("第一项"), "carried_in": _("第二项"), "carried_out": _("第四项")}
    if key in fixed:
        return fixed[key]
    if key == "results_total":
        return _("第（七）项")
    for index, (group, _label, subs) in enumerate(y2021.GROUPS):
        if key == group:
            return _("第%(n)s项") % {"n": GROUP_NUMBERS[index]}
        for sub_index, (sub_key, _sub_label) in enumerate(subs, start=1):
            if key == sub_key:
                return _("第%(n)s项第%(m)d小项") % {"n": GROUP_NUMBERS[index], "m": sub_index}
    return key


def _fail(failures: list, cell: str, message: str) -> None:
    failures.append({"cell": cell, "message": message})


def _check_title(data: dict, failures: list) -> None:
    years = [int(y) for y in re.findall(r"(\d{4})\s*年", data["title"])]
    if not years:
        _fail(
            failures, "title", _("标题中没有写明年份（应为%(year)d年）。") % {"year": data["year"]}
        )
    for year in sorted(set(years)):
        if year != data["year"]:
            _fail(
                failures,
                "title",
                _("标题年份 %(title)d 与数据年度 %(year)d 不一致。")
                % {"title": year, "year": data["year"]},
            )


def _check_requests_table(rows: dict, failures: list) -> None:
    prefix = _("第三部分表格")
    all_keys = ["new", "carried_in", *y2021.GROUP_KEYS, *y2021.OUTCOME_ROW_KEYS]
    all_keys += ["results_total", "carried_out"]
    for key in dict.fromkeys(all_keys):
        for column in y2021.COLUMN_KEYS:
            value = rows[key][column]
            if value < 0:
                _fail(
                    failures,
                    f"requests.{key}.{column}",
                    _("%(t)s ‘%(col)s’列 %(row)s：数值 %(v)d 不能为负数")
                    % {
                        "t": prefix,
                        "col": y2021.column_label(column),
                        "row": _row_name(key),
                        "v": value,
                    },
                )
    for column in y2021.COLUMN_KEYS:
        col = y2021.column_label(column)
        # Sub-rows sum to their group (（三）= 1..8 …).
        for group, _label, subs in y2021.GROUPS:
            if not subs:
                continue
            total = sum(rows[sub][column] for sub, _l in subs)
            if total != rows[group][column]:
                _fail(
                    failures,
                    f"requests.{group}.{column}",
                    _("%(t)s ‘%(col)s’列 %(row)s：子项之和 %(sum)d ≠ %(v)d")
                    % {
                        "t": prefix,
                        "col": col,
                        "row": _row_name(group),
                        "sum": total,
                        "v": rows[group][column],
                    },
                )
        # （七）总计 is the sum of （一）…（六）.
        total = sum(rows[group][column] for group in y2021.GROUP_KEYS)
        if total != rows["results_total"][column]:
            _fail(
                failures,
                f"requests.results_total.{column}",
                _("%(t)s ‘%(col)s’列 %(row)s：第（一）至（六）项之和 %(sum)d ≠ %(v)d")
                % {
                    "t": prefix,
                    "col": col,
                    "row": _row_name("results_total"),
                    "sum": total,
                    "v": rows["results_total"][column],
                },
            )
        # 勾稽关系: 一 + 二 = 三（七）+ 四.
        left = rows["new"][column] + rows["carried_in"][column]
        right = rows["results_total"][column] + rows["carried_out"][column]
        if left != right:
            _fail(
                failures,
                f"requests.identity.{column}",
                _("%(t)s ‘%(col)s’列：第一项加第二项之和 %(left)d ≠ 第三项加第四项之和 %(right)d")
                % {"t": prefix, "col": col, "left": left, "right": right},
            )
    # The 总计 column is the sum of the six applicant columns.
    for key in dict.fromkeys(all_keys):
        row = rows[key]
        total = sum(row[c] for c in y2021.APPLICANT_COLUMN_KEYS)
        if total != row["total"]:
            _fail(
                failures,
                f"requests.{key}.total",
                _("%(t)s ‘总计’列 %(row)s：各申请人列之和 %(sum)d ≠ %(v)d")
                % {"t": prefix, "row": _row_name(key), "sum": total, "v": row["total"]},
            )


def _check_appeals(appeals: dict, failures: list) -> None:
    for group, label in y2021.APPEAL_GROUPS:
        row = appeals[group]
        total = sum(row[k] for k in ("upheld", "corrected", "other", "pending"))
        if total != row["total"]:
            _fail(
                failures,
                f"appeals.{group}.total",
                _(
                    "第四部分表格 ‘%(g)s’ ‘总计’：结果维持、结果纠正、其他结果、尚未审结之和 %(sum)d ≠ %(v)d"
                )
                % {"g": label, "sum": total, "v": row["total"]},
            )


def _check_shares(block: dict, name: str, failures: list, cell: str) -> None:
    if not block or not block["total"]:
        return
    total = sum((Decimal(c["share"]) for c in block["categories"]), Decimal("0.0"))
    if total != Decimal("100.0"):
        _fail(
            failures,
            cell,
            _("第二部分 %(name)s 分类占比之和 %(sum)s%% ≠ 100.0%%") % {"name": name, "sum": total},
        )
    counted = sum(c["count"] for c in block["categories"])
    if counted != block["total"]:
        _fail(
            failures,
            cell,
            _("第二部分 %(name)s 分类条数之和 %(sum)d ≠ 合计 %(v)d")
            % {"name": name, "sum": counted, "v": block["total"]},
        )


def _check_2008(data: dict, failures: list) -> None:
    tables = data["tables"]
    web = tables["websites"]
    if web["portal"]:
        _check_shares(web["portal"], _("信息公开门户网站"), failures, "websites.portal")
        if web["portal"]["total"] > web["total"]:
            _fail(
                failures,
                "websites.portal.total",
                _("第二部分 信息公开门户网站条数 %(p)d 大于网站合计 %(t)d")
                % {"p": web["portal"]["total"], "t": web["total"]},
            )
    for index, site in enumerate(web["other_sites"]):
        _check_shares(site, site["name"], failures, f"websites.other_sites.{index}")
    for index, channel in enumerate(tables["channels"]):
        if channel.get("categories") and channel.get("items") is not None:
            listed = sum(c["count"] for c in channel["categories"])
            if listed > channel["items"]:
                _fail(
                    failures,
                    f"channels.{index}",
                    _("第二部分 %(name)s 分类条数之和 %(sum)d 大于发布条数 %(v)d")
                    % {"name": channel["name"], "sum": listed, "v": channel["items"]},
                )
    requests = tables["requests"]
    if requests["on_time"] > requests["answered"]:
        _fail(
            failures,
            "requests.on_time",
            _("第三部分 按时答复 %(a)d 件多于已答复 %(b)d 件")
            % {"a": requests["on_time"], "b": requests["answered"]},
        )
    if requests["answered"] > requests["received"] + requests["carried_in"]:
        _fail(
            failures,
            "requests.answered",
            _("第三部分 已答复 %(a)d 件多于本年受理与上年结转之和 %(b)d 件")
            % {"a": requests["answered"], "b": requests["received"] + requests["carried_in"]},
        )


def _check_required_text(data: dict, failures: list) -> None:
    # 条例第五十条第（四）项: the main problems and improvements must be reported.
    for section in data.get("sections", []):
        if section["key"] == "problems" and not section["text"].strip():
            _fail(
                failures,
                "sections.problems",
                _("“%(heading)s”尚未填写。") % {"heading": section["heading"]},
            )


def run_checks(data: dict) -> list[dict]:
    failures: list[dict] = []
    _check_title(data, failures)
    _check_required_text(data, failures)
    if data["format"] == "2021":
        _check_requests_table(data["tables"]["requests"]["rows"], failures)
        _check_appeals(data["tables"]["appeals"], failures)
        web = data["facts"]["websites"]
        if web["portal"]:
            _check_shares(web["portal"], _("信息公开门户网站"), failures, "websites.portal")
    else:
        _check_2008(data, failures)
    return failures
