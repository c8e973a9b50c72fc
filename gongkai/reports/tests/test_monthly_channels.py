"""The chart 各渠道每月发布信息条数: websites per site, the other channels per kind."""

import io
import json
from datetime import date, datetime

from django.core.management import call_command
from PIL import Image

from gongkai.catalogue.services import item_create
from gongkai.channels import services as channel_services
from gongkai.channels.models import Channel, Delivery
from gongkai.reports.exports.charts import render_chart
from gongkai.reports.figures import report_data
from gongkai.reports.schema import REPORT_SCHEMA
from gongkai.review.testing import publish_through_review

from .conftest import SHANGHAI, YEAR
from .jsonschema_lite import errors


def _screen_items_sent_in_march(town, alice, categories, capture):
    screen = Channel(organisation=town, kind=Channel.Kind.SCREEN, name="市民广场电子显示屏")
    screen.slug = "plaza"
    screen.full_clean()
    screen.save()
    items = [
        publish_through_review(
            item_create(
                organisation=town,
                title=title,
                summary="寮步镇政府采购项目公告。",
                body="<p>寮步镇政府采购项目公开招标。</p>",
                category=categories["政府采购"],
                created_date=date(YEAR, 3, 2),
                published_date=date(YEAR, 3, 2),
            )
        )
        for title in ("寮步镇办公设备采购公告", "寮步镇道路维修采购公告")
    ]
    with capture(execute=True):
        for item in items:
            channel_services.dispatch_create(actor=alice, item=item, channel=screen)
    # The records are of March of the report's year (the workers sent them "now").
    Delivery.objects.filter(channel=screen).update(
        sent_at=datetime(YEAR, 3, 10, 9, tzinfo=SHANGHAI)
    )
    return screen


def test_the_chart_data_has_a_line_for_the_screens(
    town, alice, site, categories, django_capture_on_commit_callbacks
):
    _screen_items_sent_in_march(town, alice, categories, django_capture_on_commit_callbacks)

    data = report_data(organisation=town, year=YEAR, fmt="2008", include_subtree=True)

    series = data["monthly"]["by_channel"]
    assert series["电子显示屏"] == [0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    # Kinds without anything in the year have no line (no 报纸, 电视台 … here).
    assert set(series) <= {"电子显示屏", "寮步镇人民政府网"}
    assert errors(json.loads(json.dumps(data)), REPORT_SCHEMA) == []
    other_year = report_data(organisation=town, year=YEAR - 1, fmt="2008", include_subtree=True)
    assert "电子显示屏" not in other_year["monthly"]["by_channel"]


def test_the_json_output_and_the_chart_carry_the_channel_line(
    town, alice, site, categories, django_capture_on_commit_callbacks
):
    _screen_items_sent_in_march(town, alice, categories, django_capture_on_commit_callbacks)
    out = io.StringIO()
    call_command("annual_report", org="liaobu", year=YEAR, format="2021", json=True, stdout=out)
    data = json.loads(out.getvalue())
    assert data["monthly"]["by_channel"]["电子显示屏"][2] == 2

    png = render_chart(data, "by_channel")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size[0] > 1000
