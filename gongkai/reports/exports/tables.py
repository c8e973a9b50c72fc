"""The report's tables as grids of cells with spans, shared by the HTML, PDF and DOCX output.

A grid is a list of rows; a row is a list of cells; a cell is
{"text", "colspan", "rowspan", "header", "number"}. Cells covered by another cell's span are
simply absent, as in HTML. The DOCX writer places them on a matrix and merges.
"""

from decimal import Decimal

from ..formats import y2008, y2021
from ..percentages import fmt


def cell(text, *, colspan=1, rowspan=1, header=False, number=False) -> dict:
    return {
        "text": str(text),
        "colspan": colspan,
        "rowspan": rowspan,
        "header": header,
        "number": number,
    }


def _num(value) -> dict:
    return cell(value, number=True)


def article20_tables(data: dict) -> list[dict]:
    t = data["tables"]["article20"]
    rule, normative = t["item1"]["rule"], t["item1"]["normative"]
    return [
        {
            "key": "article20_1",
            "columns": 4,
            "rows": [
                [cell(y2021.ART20_1, colspan=4, header=True)],
                [
                    cell(y2021.CONTENT, header=True),
                    cell(y2021.ISSUED, header=True),
                    cell(y2021.REPEALED, header=True),
                    cell(y2021.IN_FORCE, header=True),
                ],
                [
                    cell(y2021.RULES),
                    _num(rule["issued"]),
                    _num(rule["repealed"]),
                    _num(rule["in_force"]),
                ],
                [
                    cell(y2021.NORMATIVE),
                    _num(normative["issued"]),
                    _num(normative["repealed"]),
                    _num(normative["in_force"]),
                ],
            ],
        },
        {
            "key": "article20_5",
            "columns": 2,
            "rows": [
                [cell(y2021.ART20_5, colspan=2, header=True)],
                [cell(y2021.CONTENT, header=True), cell(y2021.DECISIONS, header=True)],
                [cell(y2021.LICENSING), _num(t["item5"]["licensing"])],
            ],
        },
        {
            "key": "article20_6",
            "columns": 2,
            "rows": [
                [cell(y2021.ART20_6, colspan=2, header=True)],
                [cell(y2021.CONTENT, header=True), cell(y2021.DECISIONS, header=True)],
                [cell(y2021.PENALTY), _num(t["item6"]["penalty"])],
                [cell(y2021.ENFORCEMENT), _num(t["item6"]["enforcement"])],
            ],
        },
        {
            "key": "article20_8",
            "columns": 2,
            "rows": [
                [cell(y2021.ART20_8, colspan=2, header=True)],
                [cell(y2021.CONTENT, header=True), cell(y2021.FEE_AMOUNT, header=True)],
                [cell(y2021.FEES), _num(_wan(t["item8"]["fees"]))],
            ],
        },
    ]


def _wan(value: str) -> str:
    """万元 shown without trailing zeros beyond two decimals: '0.0000' → '0', '1.2500' → '1.25'."""
    amount = Decimal(value)
    if amount == amount.to_integral_value():
        return f"{amount:.0f}"
    text = f"{amount:.4f}".rstrip("0")
    return text if len(text.split(".")[1]) >= 2 else f"{amount:.2f}"


def requests_table(data: dict) -> dict:
    rows_data = data["tables"]["requests"]["rows"]

    def numbers(key):
        return [_num(rows_data[key][col]) for col in y2021.COLUMN_KEYS]

    rows = [
        [
            cell(y2021.IDENTITY_NOTE, colspan=3, rowspan=3, header=True),
            cell(y2021.APPLICANTS, colspan=7, header=True),
        ],
        [
            cell(y2021.NATURAL, rowspan=2, header=True),
            cell(y2021.LEGAL, colspan=5, header=True),
            cell(y2021.TOTAL, rowspan=2, header=True),
        ],
        [
            cell(y2021.COMMERCIAL, header=True),
            cell(y2021.RESEARCH, header=True),
            cell(y2021.SOCIAL, header=True),
            cell(y2021.LEGAL_SERVICE, header=True),
            cell(y2021.OTHER_ORG, header=True),
        ],
        [cell(y2021.NEW, colspan=3), *numbers("new")],
        [cell(y2021.CARRIED_IN, colspan=3), *numbers("carried_in")],
    ]
    result_rows = []
    for group, label, subs in y2021.GROUPS:
        if not subs:
            result_rows.append([cell(label, colspan=2), *numbers(group)])
            continue
        for index, (sub_key, sub_label) in enumerate(subs):
            row = [cell(label, rowspan=len(subs))] if index == 0 else []
            row += [cell(sub_label), *numbers(sub_key)]
            result_rows.append(row)
    result_rows.append([cell(y2021.RESULTS_TOTAL, colspan=2), *numbers("results_total")])
    result_rows[0] = [cell(y2021.RESULTS, rowspan=len(result_rows)), *result_rows[0]]
    rows += result_rows
    rows.append([cell(y2021.CARRIED_OUT, colspan=3), *numbers("carried_out")])
    # Percent widths: the three label columns take what the long row labels need.
    widths = [7, 9, 28, *([8] * 7)]
    return {"key": "requests", "columns": 10, "rows": rows, "widths": widths}


def appeals_table(data: dict) -> dict:
    appeals = data["tables"]["appeals"]
    five = [label for _key, label in y2021.APPEAL_COLUMNS]
    rows = [
        [
            cell(y2021.RECONSIDERATION, colspan=5, header=True),
            cell(y2021.LITIGATION, colspan=10, header=True),
        ],
        [
            *[cell(label, rowspan=2, header=True) for label in five],
            cell(y2021.DIRECT_SUIT, colspan=5, header=True),
            cell(y2021.SUIT_AFTER, colspan=5, header=True),
        ],
        [cell(label, header=True) for label in five * 2],
        [
            _num(appeals[group][key])
            for group, _label in y2021.APPEAL_GROUPS
            for key, _l in y2021.APPEAL_COLUMNS
        ],
    ]
    return {"key": "appeals", "columns": 15, "rows": rows}


def share_table(block: dict, key: str) -> dict:
    rows = [
        [
            cell(y2008.CATEGORY, header=True),
            cell(y2008.COUNT, header=True),
            cell(y2008.SHARE, header=True),
        ]
    ]
    for c in block["categories"]:
        rows.append([cell(c["name"]), _num(c["count"]), _num(fmt(Decimal(c["share"])))])
    rows.append(
        [
            cell(y2008.TOTAL, header=True),
            _num(block["total"]),
            _num(fmt(Decimal(block["share_sum"]))),
        ]
    )
    return {"key": key, "columns": 3, "rows": rows}


def tables_for(data: dict) -> dict[str, list[dict]]:
    """Section key → the tables printed under it."""
    if data["format"] == "2021":
        return {
            "proactive": article20_tables(data),
            "requests": [requests_table(data)],
            "appeals": [appeals_table(data)],
        }
    web = data["tables"]["websites"]
    tables = []
    if web["portal"] and web["portal"]["total"]:
        tables.append(
            {**share_table(web["portal"], "portal"), "caption": "、".join(web["portal"]["names"])}
        )
    for index, site in enumerate(web["other_sites"]):
        if site["total"]:
            tables.append({**share_table(site, f"site{index}"), "caption": site["name"]})
    return {"proactive": tables}
