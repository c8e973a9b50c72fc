"""A locked report period (issue #8) and the catalogue: items dated in it are refused on every
path (service, import, admin form); a withdrawal is never refused and leaves the report of a
year that has ended as it was."""

import csv
from datetime import date

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from gongkai.catalogue.importing import ImportFailed, import_file
from gongkai.catalogue.models import DisclosureItem
from gongkai.catalogue.services import item_create, item_withdraw
from gongkai.catalogue.tests.items_factories import info_category, item_post_data
from gongkai.orgs.creditcode import make_credit_code
from gongkai.reports.figures import report_data
from gongkai.reports.locks import PeriodLocked
from gongkai.reports.services import period_lock, period_unlock

LOCKED = "属于已锁定的2025年度报告期（寮步镇人民政府锁定）"
ADD = "wagtailsnippets_catalogue_disclosureitem:add"
EDIT = "wagtailsnippets_catalogue_disclosureitem:edit"


@pytest.fixture
def locked_2025(town, alice):
    return period_lock(actor=alice, organisation=town, year=2025)


def _create(organisation, created, published=None):
    return item_create(
        organisation=organisation,
        title="寮步镇关于做好2025年防汛工作的通知",
        category=info_category(),
        created_date=created,
        published_date=published,
    )


def test_it_refuses_to_create_an_item_dated_in_a_locked_year(town, village, locked_2025, alice):
    village.credit_code = make_credit_code("54441900MA4W00001")
    village.save(update_fields=["credit_code"])
    with pytest.raises(PeriodLocked) as caught:
        _create(town, date(2025, 3, 3))
    assert caught.value.message_dict["created_date"][0].startswith(
        "该信息的生成日期为2025-03-03，" + LOCKED + "，不能补录。"
    )
    with pytest.raises(PeriodLocked, match="该信息的发布日期为2025-12-31"):
        _create(village, date(2024, 12, 1), date(2025, 12, 31))  # the town's lock covers it
    assert not DisclosureItem.objects.exists()

    assert _create(town, date(2026, 1, 2)).created_date == date(2026, 1, 2)
    period_unlock(actor=alice, organisation=town, year=2025, reason="补录漏登记的通知")
    assert _create(town, date(2025, 3, 3)).created_date == date(2025, 3, 3)


def _write(path, rows):
    header = ["索引号", "名称", "生成日期", "发布日期", "信息类别", "有效性", "公开方式"]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        for row in rows:
            writer.writerow({"索引号": "", "有效性": "现行有效", "公开方式": "主动公开", **row})
    return path


def test_the_catalogue_import_names_the_rows_in_a_locked_year(tmp_path, town, locked_2025):
    path = _write(
        tmp_path / "目录.csv",
        [
            {"名称": "通知一", "生成日期": "2026-01-05", "发布日期": "", "信息类别": "业务工作"},
            {"名称": "通知二", "生成日期": "2025-11-05", "发布日期": "", "信息类别": "业务工作"},
            {
                "名称": "通知三",
                "生成日期": "2024-12-25",
                "发布日期": "2025-01-04",
                "信息类别": "业务工作",
            },
        ],
    )
    with pytest.raises(ImportFailed) as caught:
        import_file(path, organisation=town)
    lines = [str(error) for error in caught.value.errors]
    assert len(lines) == 2
    assert lines[0].startswith("第 3 行「生成日期」：该信息的生成日期为2025-11-05，" + LOCKED)
    assert lines[1].startswith("第 4 行「发布日期」：该信息的发布日期为2025-01-04，" + LOCKED)
    assert not DisclosureItem.objects.exists()


def test_the_admin_form_refuses_a_locked_date_and_keeps_what_was_typed(
    client, town, alice, locked_2025
):
    client.force_login(alice)
    data = item_post_data(
        organisation=town,
        category=info_category(),
        title="寮步镇2025年第四季度财政收支情况",
        created_date="2025-12-30",
    )
    response = client.post(reverse(ADD), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "该信息的生成日期为2025-12-30，" + LOCKED + "，不能补录。" in html
    assert "寮步镇2025年第四季度财政收支情况" in html and 'value="2025-12-30"' in html
    assert not DisclosureItem.objects.exists()

    response = client.post(reverse(ADD), {**data, "created_date": "2026-01-04"})
    assert response.status_code == 302
    item = DisclosureItem.objects.get()
    # Moving it into the locked year is a change the lock refuses too.
    response = client.post(reverse(EDIT, args=[item.pk]), {**data, "created_date": "2025-12-31"})
    assert "该信息的生成日期为2025-12-31，" + LOCKED + "，不能修改。" in response.content.decode()
    item.refresh_from_db()
    assert item.created_date == date(2026, 1, 4)


def test_an_item_dated_in_a_locked_year_cannot_be_edited_until_unlocked(
    client, town, alice, site, place_items
):
    (item,) = place_items(town, site["portal"], {"业务工作": 1}, on=date(2025, 3, 3))
    DisclosureItem.objects.filter(pk=item.pk).update(live=False)  # a draft, editable as such
    period_lock(actor=alice, organisation=town, year=2025)
    client.force_login(alice)
    url = reverse(EDIT, args=[item.pk])
    assert LOCKED in client.get(url).content.decode()  # the page says so at once
    data = item_post_data(
        organisation=town, category=info_category(), title="改过的标题", created_date="2025-03-03"
    )
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "该信息的生成日期为2025-03-03，" + LOCKED + "，不能修改。" in html
    assert "改过的标题" in html  # what was typed is still in the form
    item.refresh_from_db()
    assert item.title == "业务工作0"

    period_unlock(actor=alice, organisation=town, year=2025, reason="更正标题")
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert item.title == "改过的标题"


def test_a_withdrawal_is_allowed_and_the_ended_year_keeps_its_figures(
    town, alice, site, place_items
):
    normative = DisclosureItem.RegulatoryKind.NORMATIVE
    items = place_items(
        town, site["portal"], {"规范性文件": 2}, on=date(2025, 5, 6), regulatory_kind=normative
    )
    before = report_data(organisation=town, year=2025, fmt="2008", include_subtree=True)
    period_lock(actor=alice, organisation=town, year=2025)

    withdrawn = item_withdraw(actor=alice, item=items[0], reason="含有不应公开的个人信息")

    assert withdrawn.withdrawn_at is not None
    entry = ModelLogEntry.objects.get(action="gongkai.withdraw")
    assert entry.data["locked_periods"] == [2025] and entry.user == alice
    after = report_data(organisation=town, year=2025, fmt="2008", include_subtree=True)
    assert after["tables"]["websites"] == before["tables"]["websites"]
    assert after["monthly"] == before["monthly"]
    assert before["tables"]["websites"]["total"] == 2
    in_2021 = report_data(organisation=town, year=2025, fmt="2021", include_subtree=True)
    assert in_2021["tables"]["article20"]["item1"]["normative"]["issued"] == 2


def test_publishing_through_review_is_refused_while_the_items_year_is_locked(town, alice):
    """A draft made before the lock (so its form was accepted) cannot go public afterwards:
    publishing it would add to the locked year's figures. The approval is undone with it."""
    from gongkai.review.testing import publish_through_review

    item = _create(town, date(2025, 11, 3))
    period_lock(actor=alice, organisation=town, year=2025)
    with pytest.raises(PeriodLocked) as refused:
        publish_through_review(item)
    assert LOCKED in " ".join(refused.value.messages)
    item.refresh_from_db()
    assert not item.live and item.published_date is None

    period_unlock(actor=alice, organisation=town, year=2025, reason="补发漏登的通知")
    item = publish_through_review(item)
    assert item.live and item.published_date is not None
