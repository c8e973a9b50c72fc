"""JSON Schema (draft 2020-12) of `annual_report --json`, also printed in docs/reports.md."""

INT = {"type": "integer", "minimum": 0}
DECIMAL = {"type": "string", "pattern": r"^\d+\.\d+$"}
SHARE = {"type": "string", "pattern": r"^\d{1,3}\.\d$"}
YEAR = {"type": "integer", "minimum": 2008, "maximum": 2100}

ORG = {
    "type": "object",
    "required": ["code", "name", "short_name"],
    "properties": {
        "code": {"type": "string"},
        "name": {"type": "string"},
        "short_name": {"type": "string"},
    },
}

SEVEN = {
    "type": "object",
    "required": ["natural", "commercial", "research", "social", "legal_service", "other", "total"],
    "properties": {
        k: INT
        for k in ("natural", "commercial", "research", "social", "legal_service", "other", "total")
    },
}

FIVE = {
    "type": "object",
    "required": ["upheld", "corrected", "other", "pending", "total"],
    "properties": {k: INT for k in ("upheld", "corrected", "other", "pending", "total")},
}

THREE = {
    "type": "object",
    "required": ["issued", "repealed", "in_force"],
    "properties": {k: INT for k in ("issued", "repealed", "in_force")},
}

CATEGORIES = {
    "type": "object",
    "required": ["total", "categories", "share_sum"],
    "properties": {
        "total": INT,
        "share_sum": SHARE,
        "categories": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "count", "share"],
                "properties": {"name": {"type": "string"}, "count": INT, "share": SHARE},
            },
        },
    },
}

WEBSITES = {
    "type": "object",
    "required": ["total", "sites", "portal", "other_sites"],
    "properties": {
        "total": INT,
        "sites": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "count"],
                "properties": {"name": {"type": "string"}, "count": INT},
            },
        },
        "portal": {"type": ["object", "null"]},
        "other_sites": {"type": "array", "items": CATEGORIES},
    },
}

REQUESTS_SUMMARY = {
    "type": "object",
    "required": ["received", "carried_in", "answered", "on_time", "carried_out", "outcomes"],
    "properties": {
        **{k: INT for k in ("received", "carried_in", "answered", "on_time", "carried_out")},
        "outcomes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["key", "label", "count"],
                "properties": {
                    "key": {"type": "string"},
                    "label": {"type": "string"},
                    "count": INT,
                },
            },
        },
    },
}

SECTION = {
    "type": "object",
    "required": ["key", "heading", "editable", "text", "computed_text", "paragraphs"],
    "properties": {
        "key": {"type": "string"},
        "heading": {"type": "string"},
        "editable": {"type": "boolean"},
        "text": {"type": "string"},
        "computed_text": {"type": "string"},
        "paragraphs": {"type": "array", "items": {"type": "string"}},
        "subsections": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["number", "heading", "text"],
                "properties": {
                    "number": {"type": "string"},
                    "heading": {"type": "string"},
                    "text": {"type": "string"},
                },
            },
        },
    },
}

TABLES_2021 = {
    "type": "object",
    "required": ["article20", "requests", "appeals"],
    "properties": {
        "article20": {
            "type": "object",
            "required": ["item1", "item5", "item6", "item8"],
            "properties": {
                "item1": {
                    "type": "object",
                    "required": ["rule", "normative"],
                    "properties": {"rule": THREE, "normative": THREE},
                },
                "item5": {
                    "type": "object",
                    "required": ["licensing"],
                    "properties": {"licensing": INT},
                },
                "item6": {
                    "type": "object",
                    "required": ["penalty", "enforcement"],
                    "properties": {"penalty": INT, "enforcement": INT},
                },
                "item8": {"type": "object", "required": ["fees"], "properties": {"fees": DECIMAL}},
                "entered": {"type": "array", "items": {"type": "string"}},
            },
        },
        "requests": {
            "type": "object",
            "required": ["columns", "rows"],
            "properties": {
                "columns": {"type": "array", "items": {"type": "string"}},
                "rows": {"type": "object", "additionalProperties": SEVEN},
            },
        },
        "appeals": {
            "type": "object",
            "required": ["reconsideration", "direct_suit", "suit_after_reconsideration"],
            "properties": {
                "reconsideration": FIVE,
                "direct_suit": FIVE,
                "suit_after_reconsideration": FIVE,
            },
        },
    },
}

CHANNEL = {
    "type": "object",
    "required": ["kind", "name", "items", "categories"],
    "properties": {
        "kind": {"type": "string"},
        "kind_label": {"type": "string"},
        "name": {"type": "string"},
        **{
            k: INT
            for k in (
                "items",
                "issues",
                "copies",
                "appearances",
                "broadcasts",
                "adverts",
                "minutes",
                "posts",
            )
        },
        "categories": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "count"],
                "properties": {"name": {"type": "string"}, "count": INT},
            },
        },
    },
}

TABLES_2008 = {
    "type": "object",
    "required": ["websites", "channels", "press", "requests", "fees", "appeals"],
    "properties": {
        "websites": WEBSITES,
        "channels": {"type": "array", "items": CHANNEL},
        "press": {
            "type": "object",
            "required": ["conferences", "releases", "major_releases", "outside_articles"],
            "properties": {
                "conferences": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["title"],
                        "properties": {"title": {"type": "string"}},
                    },
                },
                "releases": INT,
                "major_releases": INT,
                "outside_articles": INT,
                "articles_by_outlet": {"type": "object", "additionalProperties": INT},
            },
        },
        "requests": REQUESTS_SUMMARY,
        "fees": {
            "type": "object",
            "required": ["collected_yuan"],
            "properties": {"collected_yuan": DECIMAL},
        },
        "appeals": {
            "type": "object",
            "required": ["reconsideration", "litigation"],
            "properties": {"reconsideration": INT, "litigation": INT},
        },
    },
}

MONTHS = {"type": "array", "items": INT, "minItems": 12, "maxItems": 12}

REPORT_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "gongkai.annual-report/1",
    "title": "政府信息公开工作年度报告",
    "type": "object",
    "required": [
        "schema",
        "format",
        "format_name",
        "title",
        "year",
        "organisation",
        "include_subtree",
        "organisations",
        "generated_at",
        "status",
        "has_data",
        "no_data_note",
        "work",
        "tables",
        "facts",
        "monthly",
        "sections",
        "checks",
    ],
    "properties": {
        "schema": {"const": "gongkai.annual-report/1"},
        "format": {"enum": ["2021", "2008"]},
        "format_name": {"type": "string"},
        "title": {"type": "string"},
        "year": YEAR,
        "organisation": ORG,
        "include_subtree": {"type": "boolean"},
        "organisations": {"type": "array", "items": ORG},
        "generated_at": {"type": "string"},
        "status": {"enum": ["draft", "submitted", "publishing"]},
        "has_data": {"type": "boolean"},
        "no_data_note": {"type": "string"},
        "work": {
            "type": "object",
            "required": ["joint_meetings", "trainings", "rules", "plans", "rosters"],
            "properties": {
                k: {"type": "array", "items": {"type": "object"}}
                for k in ("joint_meetings", "trainings", "rules", "plans", "rosters")
            },
        },
        "tables": {"type": "object"},
        "facts": {"type": "object"},
        "monthly": {
            "type": "object",
            "required": ["by_channel", "by_category"],
            "properties": {
                "by_channel": {
                    "description": "每月发布信息条数：各网站一项（键为网站名称），其他渠道按类型"
                    "各一项（键为渠道类型名称，如“电子显示屏”“报纸”“电视台”）",
                    "type": "object",
                    "additionalProperties": MONTHS,
                },
                "by_category": {
                    "description": "各信息类别每月在网站发布的条数（键为类别名称）",
                    "type": "object",
                    "additionalProperties": MONTHS,
                },
            },
        },
        "sections": {"type": "array", "items": SECTION},
        "checks": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["cell", "message"],
                "properties": {"cell": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
    "allOf": [
        {
            "if": {"properties": {"format": {"const": "2021"}}},
            "then": {
                "properties": {
                    "tables": TABLES_2021,
                    "facts": {
                        "type": "object",
                        "required": ["processing_fees_yuan", "websites", "requests"],
                        "properties": {
                            "processing_fees_yuan": DECIMAL,
                            "websites": WEBSITES,
                            "requests": REQUESTS_SUMMARY,
                        },
                    },
                }
            },
        },
        {
            "if": {"properties": {"format": {"const": "2008"}}},
            "then": {"properties": {"tables": TABLES_2008}},
        },
    ],
}
