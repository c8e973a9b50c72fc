"""Hand-built report data for the checks' tests."""

from gongkai.reports.formats import y2021


def blank_rows() -> dict:
    keys = ["new", "carried_in", *y2021.GROUP_KEYS, *y2021.OUTCOME_ROW_KEYS]
    keys += ["results_total", "carried_out"]
    return {key: {col: 0 for col in y2021.COLUMN_KEYS} for key in dict.fromkeys(keys)}


def put(rows: dict, key: str, column: str, n: int) -> None:
    """Add n cases in one applicant column, keeping the 总计 column right."""
    rows[key][column] += n
    rows[key]["total"] += n


def data_2021(*, year=2025, title=None, rows=None) -> dict:
    appeals = {
        group: {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0}
        for group, _label in y2021.APPEAL_GROUPS
    }
    return {
        "format": "2021",
        "year": year,
        "title": title or f"寮步镇{year}年政府信息公开工作年度报告",
        "tables": {"requests": {"rows": rows or blank_rows()}, "appeals": appeals},
        "facts": {"websites": {"portal": None}},
    }


def consistent_rows() -> dict:
    """3 new + 1 carried in = 3 closed + 1 carried out, natural persons and a company."""
    rows = blank_rows()
    put(rows, "new", "natural", 2)
    put(rows, "new", "commercial", 1)
    put(rows, "carried_in", "natural", 1)
    for key, col in (
        ("disclosed", "natural"),
        ("withheld_secret", "natural"),
        ("withheld_process", "commercial"),
    ):
        put(rows, key, col, 1)
        put(rows, "results_total", col, 1)
    put(rows, "withheld", "natural", 1)
    put(rows, "withheld", "commercial", 1)
    put(rows, "carried_out", "natural", 1)
    return rows
