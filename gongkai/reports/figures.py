"""The report as data: one structured dict from which HTML, DOCX, PDF and JSON are all made.

`report_data()` reads every figure through `sources` (the other apps' selectors), adds the
staff-entered figures and the work records, builds the narrative sentences and runs the
checks. The shape is documented as a JSON schema in `schema.py` and docs/reports.md.
"""

from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.orgs.models import Organisation

from . import narrative, sources
from .checks import run_checks
from .formats import y2008, y2021
from .models import AnnualReport
from .percentages import shares
from .selectors import (
    report_organisation_ids,
    staff_figures_current,
    staff_figures_entered,
    work_records,
)

SCHEMA_ID = "gongkai.annual-report/1"
NO_DATA = _("本年度无相关数据")


def _org_json(org: Organisation) -> dict:
    return {"code": org.code, "name": org.name, "short_name": org.short_name or org.name}


def _work_json(records: dict) -> dict:
    return {
        "joint_meetings": [
            {
                "held_on": m.held_on.isoformat(),
                "title": m.title,
                "attendees": [o.name for o in m.attendees.all()],
                "topics": m.topics,
                "decisions": m.decisions,
            }
            for m in records["meetings"]
        ],
        "trainings": [
            {
                "held_on": t.held_on.isoformat(),
                "title": t.title,
                "trainer": t.trainer,
                "attendee_count": t.attendee_count,
            }
            for t in records["trainings"]
        ],
        "rules": [
            {
                "title": r.title,
                "kind": r.kind,
                "kind_label": str(r.get_kind_display()),
                "adopted_on": r.adopted_on.isoformat(),
            }
            for r in records["rules"]
        ],
        "plans": [
            {"title": r.title, "plan_year": r.plan_year, "adopted_on": r.adopted_on.isoformat()}
            for r in records["plans"]
        ],
        "rosters": [
            {
                "organisation": r.organisation.name,
                "title": r.title,
                "adopted_on": r.adopted_on.isoformat(),
                "filed_on": r.filed_on.isoformat() if r.filed_on else None,
                "filed_with": r.filed_with.name if r.filed_with_id else None,
            }
            for r in records["rosters"]
        ],
    }


def _with_shares(categories: list[tuple[str, int]]) -> dict:
    counts = [count for _name, count in categories]
    parts = shares(counts)
    return {
        "total": sum(counts),
        "categories": [
            {"name": name, "count": count, "share": str(part)}
            for (name, count), part in zip(categories, parts, strict=True)
        ],
        "share_sum": str(sum(parts, Decimal("0.0"))) if counts and sum(counts) else "0.0",
    }


def report_data(
    *,
    organisation: Organisation,
    year: int,
    fmt: str,
    include_subtree: bool,
    report: AnnualReport | None = None,
    now: datetime | None = None,
) -> dict:
    org_ids = report_organisation_ids(organisation=organisation, include_subtree=include_subtree)
    orgs = list(
        Organisation.objects.filter(id__in=org_ids)
        .only("code", "name", "short_name")
        .order_by("sort_order", "id")
    )
    work = _work_json(work_records(organisation_ids=org_ids, year=year))
    base = {
        "schema": SCHEMA_ID,
        "format": fmt,
        "year": year,
        "organisation": _org_json(organisation),
        "include_subtree": include_subtree,
        "organisations": [_org_json(o) for o in orgs],
        "generated_at": (now or timezone.now()).isoformat(timespec="seconds"),
        "status": report.status if report else AnnualReport.Status.DRAFT.value,
        "work": work,
    }
    scope = sources.Scope(
        organisation=organisation,
        include_subtree=include_subtree,
        ids=tuple(org_ids),
        year=year,
        everything=len(org_ids) == Organisation.objects.count(),
    )
    if fmt == AnnualReport.Format.Y2021:
        data = _data_2021(base, scope=scope)
        module = y2021
    elif fmt == AnnualReport.Format.Y2008:
        data = _data_2008(base, scope=scope)
        module = y2008
    else:
        raise ValueError(fmt)
    default_title = module.TITLE % {
        "org": organisation.short_name or organisation.name,
        "year": year,
    }
    data["monthly"] = sources.monthly(scope, data.pop("_sites"))
    data["title"] = report.title if report and report.title else default_title
    data["has_data"] = _has_data(data)
    data["no_data_note"] = "" if data["has_data"] else str(NO_DATA)
    texts = report.texts if report else {}
    data["sections"] = narrative.sections(data, texts=texts)
    data["checks"] = run_checks(data)
    return data


def _has_data(data: dict) -> bool:
    def walk(value) -> bool:
        if isinstance(value, bool):
            return False
        if isinstance(value, int):
            return value != 0
        if isinstance(value, str):
            try:
                return Decimal(value) != 0
            except ArithmeticError:
                return False
        if isinstance(value, dict):
            return any(walk(v) for k, v in value.items() if k not in ("share", "share_sum"))
        if isinstance(value, list):
            return any(walk(v) for v in value)
        return False

    work = data["work"]
    if any(work[k] for k in ("joint_meetings", "trainings", "rules", "plans")):
        return True
    return walk(data["tables"]) or walk(data.get("facts", {}))


# ---- 2021 ---------------------------------------------------------------------------------


def _data_2021(base: dict, *, scope: sources.Scope) -> dict:
    org_ids, year = list(scope.ids), scope.year
    regulatory = sources.regulatory(scope)
    staff = staff_figures_current(organisation_ids=org_ids, year=year)
    entered = staff_figures_entered(organisation_ids=org_ids, year=year)
    requests = sources.request_table(scope)
    appeals = sources.appeals(scope)
    fees = sources.processing_fees(scope)
    sites = sources.site_figures(scope)
    summary = sources.request_summary(scope, requests)
    return {
        **base,
        "format_name": str(y2021.FORMAT_NAME),
        "tables": {
            "article20": {
                "item1": {
                    "rule": regulatory["rule"],
                    "normative": regulatory["normative"],
                },
                "item5": {"licensing": int(staff["licensing"])},
                "item6": {
                    "penalty": int(staff["penalty"]),
                    "enforcement": int(staff["enforcement"]),
                },
                "item8": {"fees": f"{staff['fees']:.4f}"},
                "entered": sorted(entered),
            },
            "requests": {"columns": list(y2021.COLUMN_KEYS), "rows": requests},
            "appeals": appeals,
        },
        "facts": {
            "processing_fees_yuan": f"{fees:.2f}",
            "websites": _websites_json(sites),
            "requests": summary,
        },
        "_sites": sites,
    }


# ---- 2008 ---------------------------------------------------------------------------------


def _websites_json(web: dict) -> dict:
    sites = web["sites"]
    government = [s for s in sites if s["is_government"]]
    others = [s for s in sites if not s["is_government"]]
    portal_counts: dict[str, int] = {}
    portal_names = []
    for site in government:
        if site.get("portal"):
            portal_names.append(site["portal"]["name"])
            for name, count in site["portal"]["categories"]:
                portal_counts[name] = portal_counts.get(name, 0) + count
    return {
        "total": web["government_total"],
        "sites": [{"name": s["name"], "count": s["count"]} for s in government],
        "portal": {"names": portal_names, **_with_shares(sources.order_categories(portal_counts))}
        if portal_names
        else None,
        "other_sites": [
            {"name": s["name"], **_with_shares(s["categories"]), "count": s["count"]}
            for s in others
        ],
    }


def _data_2008(base: dict, *, scope: sources.Scope) -> dict:
    sites = sources.site_figures(scope)
    channels = sources.channels(scope)
    summary = sources.request_summary(scope)  # reads the section-三 table once
    fees = sources.processing_fees(scope)
    appeals = sources.appeals(scope)
    return {
        **base,
        "format_name": str(_("2008年条例时期格式")),
        "tables": {
            "websites": _websites_json(sites),
            "channels": channels["channels"],
            "press": channels["press"],
            "requests": summary,
            "fees": {"collected_yuan": f"{fees:.2f}"},
            "appeals": {
                "reconsideration": appeals["reconsideration"]["total"],
                "litigation": appeals["direct_suit"]["total"]
                + appeals["suit_after_reconsideration"]["total"],
            },
        },
        "facts": {},
        "_sites": sites,
    }
