"""The report's sentences, computed from its figures and the office's work records.

Narrative sections (2021: 一、五、六; 2008: 一、六) are prefilled with these sentences and
may be rewritten by the office; the sentences of the 2008 report's parts 二 to 五 are always
computed, so that no figure is ever typed into a report by hand.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from .formats import y2008, y2021
from .percentages import fmt


def _n(value) -> str:
    """Thousands are not separated in Chinese government reports: 1986, 520000."""
    return str(value)


def _titles(items: list[dict]) -> str:
    return "、".join(f"《{item['title']}》" for item in items)


def _org_name(data: dict) -> str:
    return data["organisation"]["short_name"]


def work_sentences(data: dict) -> list[str]:
    """What the office did in the year: meetings, rules, plans, training, rosters."""
    work = data["work"]
    out = []
    meetings = work["joint_meetings"]
    if meetings:
        topics = "；".join(m["topics"].rstrip("。；;") for m in meetings if m["topics"])
        attendees = {name for m in meetings for name in m["attendees"]}
        sentence = _("全年召开联席会议%(n)d次") % {"n": len(meetings)}
        if attendees:
            sentence += _("，参会单位%(n)d个") % {"n": len(attendees)}
        if topics:
            sentence += _("，研究%(topics)s等事项") % {"topics": topics}
        out.append(sentence + "。")
    rules = work["rules"]
    if rules:
        out.append(
            _("制定（修订）了%(titles)s等%(n)d项工作制度。")
            % {"titles": _titles(rules), "n": len(rules)}
        )
    trainings = work["trainings"]
    if trainings:
        people = sum(t["attendee_count"] for t in trainings)
        out.append(
            _("举办政府信息公开培训%(n)d期，参训%(p)d人次。") % {"n": len(trainings), "p": people}
        )
    rosters = [r for r in work["rosters"] if r["filed_on"]]
    if rosters:
        filed_with = next((r["filed_with"] for r in rosters if r["filed_with"]), "")
        out.append(
            _("%(n)d个单位调整政务公开领导小组并将名单报%(office)s备案。")
            % {"n": len({r["organisation"] for r in rosters}), "office": filed_with}
        )
    return out


def plan_sentences(data: dict) -> list[str]:
    plans = data["work"]["plans"]
    if not plans:
        return []
    return [_("已制定%(titles)s，明确下一年度的工作任务和责任分工。") % {"titles": _titles(plans)}]


def website_sentence(web: dict, data: dict) -> str:
    if not web["total"]:
        return ""
    names = "、".join(s["name"] for s in web["sites"])
    sentence = _("全年通过%(names)s发布政务信息%(n)s条") % {"names": names, "n": _n(web["total"])}
    if web["portal"]:
        sentence += _("，其中信息公开专栏发布政府信息%(n)s条") % {"n": _n(web["portal"]["total"])}
    return sentence + "。"


# ---- 2021 ---------------------------------------------------------------------------------


def overview_2021(data: dict) -> str:
    year, org = data["year"], _org_name(data)
    rows = data["tables"]["requests"]["rows"]
    item1 = data["tables"]["article20"]["item1"]
    paragraphs = [
        _(
            "%(year)d年，%(org)s认真贯彻落实《中华人民共和国政府信息公开条例》，"
            "扎实推进政府信息公开工作，现将有关情况报告如下。"
        )
        % {"year": year, "org": org}
    ]
    web = website_sentence(data["facts"]["websites"], data)
    paragraphs.append(_("（一）主动公开。") + (web or _("本年度未通过政府网站发布政务信息。")))
    paragraphs.append(
        _("（二）依申请公开。")
        + _(
            "全年新收政府信息公开申请%(new)d件，上年结转%(carried)d件，"
            "本年度办结%(done)d件，结转下年度继续办理%(out)d件。"
        )
        % {
            "new": rows["new"]["total"],
            "carried": rows["carried_in"]["total"],
            "done": rows["results_total"]["total"],
            "out": rows["carried_out"]["total"],
        }
    )
    paragraphs.append(
        _("（三）政府信息管理。")
        + _("全年制发行政规范性文件%(issued)d件，废止%(repealed)d件，现行有效%(in_force)d件。")
        % item1["normative"]
    )
    sites = data["facts"]["websites"]["sites"] + data["facts"]["websites"]["other_sites"]
    if sites:
        paragraphs.append(
            _("（四）政府信息公开平台建设。")
            + _("依托%(names)s等平台公开政府信息。")
            % {"names": "、".join(s["name"] for s in sites)}
        )
    work = work_sentences(data)
    if work:
        paragraphs.append(_("（五）监督保障。") + "".join(work))
    return "\n".join(paragraphs)


def problems_2021(data: dict) -> str:
    paragraphs = []
    plans = plan_sentences(data)
    if plans:
        paragraphs.append(_("改进情况：") + "".join(plans))
    return "\n".join(paragraphs)


def other_2021(data: dict) -> str:
    fees = Decimal(data["facts"]["processing_fees_yuan"])
    if fees:
        return _("本年度收取信息处理费%(yuan)s元。") % {"yuan": f"{fees:.2f}"}
    return _("本年度未收取信息处理费。")


# ---- 2008 ---------------------------------------------------------------------------------


def basic_2008(data: dict) -> str:
    year, org = data["year"], _org_name(data)
    paragraphs = [
        _("%(year)d年，%(org)s按照上级有关政府信息公开文件的要求，切实做好政府信息公开工作。")
        % {"year": year, "org": org}
    ]
    paragraphs += work_sentences(data)
    return "\n".join(paragraphs)


def _categories_text(block: dict, suffix: str) -> str:
    parts = [
        _("%(name)s%(suffix)s%(n)s条，占%(share)s")
        % {
            "name": c["name"],
            "suffix": suffix,
            "n": _n(c["count"]),
            "share": fmt(Decimal(c["share"])),
        }
        for c in block["categories"]
        if c["count"]
    ]
    return "；".join(parts)


def proactive_subsections_2008(data: dict) -> list[dict]:
    """Part 二's sub-sections, numbered in the order printed: （一）（二）（三）…"""
    tables = data["tables"]
    org = _org_name(data)
    subs: list[tuple[str, str]] = []
    web = tables["websites"]
    if web["sites"]:
        text = _("%(org)s网站发布政务信息%(n)s条。") % {"org": org, "n": _n(web["total"])}
        if web["portal"]:
            portal = web["portal"]
            text += _("其中，%(names)s发布政府信息%(n)s条") % {
                "names": "、".join(portal["names"]),
                "n": _n(portal["total"]),
            }
            detail = _categories_text(portal, _("类信息"))
            text += (_("，包括") + detail + "。") if detail else "。"
        subs.append((_("镇政府网站主动公开政府信息情况"), text))
    for channel in tables["channels"]:
        subs.append(
            (
                _("%(name)s主动公开政府信息情况") % {"name": channel["name"]},
                channel_text(channel, data),
            )
        )
    for site in web["other_sites"]:
        text = _("共发布政府信息%(n)s条。") % {"n": _n(site["total"])}
        detail = _categories_text(site, _("类信息"))
        if detail:
            text += detail + "。"
        subs.append((_("%(name)s主动公开政府信息情况") % {"name": site["name"]}, text))
    press = tables["press"]
    if press["conferences"] or press["releases"] or press["outside_articles"]:
        subs.append((_("召开新闻发布会主动公开政府信息"), press_text(press, data)))
    return [
        {"number": y2008.subsection_number(i), "heading": heading, "text": text}
        for i, (heading, text) in enumerate(subs, start=1)
    ]


def channel_text(channel: dict, data: dict) -> str:
    kind = channel["kind"]
    if kind == "newspaper":
        text = _("%(year)d年共印发%(issues)s期合%(copies)s份。") % {
            "year": data["year"],
            "issues": _n(channel.get("issues", 0)),
            "copies": _n(channel.get("copies", 0)),
        }
        text += _("共刊登政府信息%(n)s条次。") % {"n": _n(channel.get("appearances", 0))}
        return text
    if kind == "tv":
        text = _("共发布政府信息%(n)s条次。") % {"n": _n(channel.get("broadcasts", 0))}
        if channel.get("adverts") or channel.get("minutes"):
            text += _("制作播出公益广告%(ads)s条次，总播出时间%(min)s分钟。") % {
                "ads": _n(channel.get("adverts", 0)),
                "min": _n(channel.get("minutes", 0)),
            }
        return text
    text = _("共发布政务信息%(n)s条") % {"n": _n(channel.get("items", 0))}
    detail = "，".join(
        _("%(name)s类信息%(n)s条") % {"name": c["name"], "n": _n(c["count"])}
        for c in channel.get("categories", [])
        if c["count"]
    )
    return text + ("，其中" + detail if detail else "") + "。"


def press_text(press: dict, data: dict) -> str:
    conferences = press["conferences"]
    text = ""
    if conferences:
        names = "、".join(c["title"] for c in conferences)
        text += _("共召开%(n)d次新闻发布会，分别是%(names)s。") % {
            "n": len(conferences),
            "names": names,
        }
    text += _("%(year)d年共发布重大新闻%(releases)s次") % {
        "year": data["year"],
        "releases": _n(press["major_releases"]),
    }
    if press["releases"] > press["major_releases"]:
        text += _("（发布新闻稿共%(n)s次）") % {"n": _n(press["releases"])}
    outlets = "、".join(press["articles_by_outlet"])
    if press["outside_articles"]:
        text += _("，在%(outlets)s等外部媒体发稿%(n)s篇次") % {
            "outlets": outlets,
            "n": _n(press["outside_articles"]),
        }
    return text + "。"


def requests_2008(data: dict) -> str:
    r = data["tables"]["requests"]
    text = _("全年共受理政府信息公开申请%(n)d宗") % {"n": r["received"]}
    if r["carried_in"]:
        text += _("，上年结转%(n)d宗") % {"n": r["carried_in"]}
    if r["answered"]:
        text += _("，已答复%(a)d宗，其中在规定时间内完成答复%(t)d宗") % {
            "a": r["answered"],
            "t": r["on_time"],
        }
    if r["carried_out"]:
        text += _("，结转下年度继续办理%(n)d宗") % {"n": r["carried_out"]}
    return text + "。"


def fees_2008(data: dict) -> str:
    yuan = Decimal(data["tables"]["fees"]["collected_yuan"])
    return _("全年依申请公开政府信息收取费用%(yuan)s元。") % {
        "yuan": f"{yuan:.0f}" if yuan == yuan.to_integral_value() else f"{yuan:.2f}"
    }


def appeals_2008(data: dict) -> str:
    a = data["tables"]["appeals"]
    if not a["reconsideration"] and not a["litigation"]:
        return _("全年没有因政府信息公开申请行政复议、提起行政诉讼的案件。")
    return _("全年因政府信息公开申请行政复议%(r)d件，提起行政诉讼%(l)d件。") % {
        "r": a["reconsideration"],
        "l": a["litigation"],
    }


def problems_2008(data: dict) -> str:
    return "\n".join(plan_sentences(data))


# ---- Assembly -----------------------------------------------------------------------------

COMPUTED_2021 = {"overview": overview_2021, "problems": problems_2021, "other": other_2021}
COMPUTED_2008 = {
    "basic": basic_2008,
    "requests": requests_2008,
    "fees": fees_2008,
    "appeals": appeals_2008,
    "problems": problems_2008,
}


def sections(data: dict, *, texts: dict) -> list[dict]:
    if data["format"] == "2021":
        module, computed = y2021, COMPUTED_2021
    else:
        module, computed = y2008, COMPUTED_2008
    out = []
    for key in module.SECTION_ORDER:
        editable = key in module.NARRATIVE_SECTIONS
        generated = computed[key](data) if key in computed else ""
        text = texts.get(key) if editable and texts.get(key) else generated
        if not data["has_data"] and key in computed and not (editable and texts.get(key)):
            text = "\n".join(t for t in [data["no_data_note"] + "。", text] if t)
        section = {
            "key": key,
            "heading": str(module.HEADINGS[key]),
            "editable": editable,
            "computed_text": generated,
            "text": text,
            "paragraphs": [p for p in text.split("\n") if p.strip()],
        }
        if data["format"] == "2008" and key == "proactive":
            section["subsections"] = proactive_subsections_2008(data)
            if not section["subsections"]:
                section["paragraphs"] = (
                    [data["no_data_note"] + "。"]
                    if not data["has_data"]
                    else [_("本年度无主动公开政府信息记录。")]
                )
        out.append(section)
    return out
