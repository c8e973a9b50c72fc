"""The admin pages: choosing channels on an item, retrying, the outbox, issues, the TV log,
printing notices, counts; and who may see them."""

import datetime

import pytest
from django.urls import reverse

from gongkai.channels import services
from gongkai.channels.models import (
    Broadcast,
    Channel,
    ChannelSelection,
    Delivery,
    Issue,
    NoticePrint,
    Post,
)


def test_alice_chooses_channels_and_the_item_goes_out(
    client, alice, make_item, screen, board, django_capture_on_commit_callbacks
):
    item = make_item()
    client.force_login(alice)
    url = reverse("channels_item", args=[item.pk])
    page = client.get(url).content.decode()
    assert "市民广场电子显示屏" in page and "政府大楼公告栏" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"channels": [screen.pk, board.pk]})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "已提交 2 个渠道的发布" in html
    assert html.count("已发送") >= 2
    assert set(ChannelSelection.objects.values_list("channel_id", flat=True)) == {
        screen.pk,
        board.pk,
    }
    # the board's delivery offers printing
    assert reverse("channels_notice_print", args=[Delivery.objects.get(channel=board).pk]) in html


def test_an_unapproved_item_keeps_its_choice_and_says_why(client, alice, make_item, screen):
    item = make_item(published=False)
    client.force_login(alice)
    response = client.post(
        reverse("channels_item", args=[item.pk]), {"channels": [screen.pk]}, follow=True
    )
    html = response.content.decode()
    assert "尚未通过审查发布" in html
    assert "审查通过并发布后自动发送" in html
    assert ChannelSelection.objects.filter(item=item).exists()
    assert not Delivery.objects.exists()


def test_a_failure_shows_its_reason_and_a_retry_button(
    client, alice, make_item, webhook, receiver, django_capture_on_commit_callbacks
):
    receiver.statuses = [500]
    item = make_item()
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.dispatch_create(actor=alice, item=item, channel=webhook)
    client.force_login(alice)
    html = client.get(reverse("channels_item", args=[item.pk])).content.decode()
    assert "接口返回错误 HTTP 500" in html
    retry = reverse("channels_delivery_retry", args=[delivery.pk])
    assert retry in html
    listing = client.get(reverse("channels_deliveries"), {"status": "failed"}).content.decode()
    assert item.title in listing and retry in listing
    with django_capture_on_commit_callbacks(execute=True):
        client.post(retry)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert len(receiver.effective) == 1


def test_charlie_sees_nothing(client, charlie, make_item, screen):
    item = make_item()
    client.force_login(charlie)
    for url in (
        reverse("channels_item", args=[item.pk]),
        reverse("channels_index"),
        reverse("channels_counts"),
    ):
        assert client.get(url).status_code in (302, 403)


def test_a_village_editor_sees_his_village_only(
    client, dave, village, make_item, make_channel, screen
):
    make_channel(Channel.Kind.NOTICE_BOARD, "横坑村公告栏", organisation=village)
    town_item = make_item()
    village_item = make_item("横坑村村务公开", organisation=village, category_name="村(居)委会")
    client.force_login(dave)
    assert client.get(reverse("channels_item", args=[town_item.pk])).status_code in (302, 403)
    html = client.get(reverse("channels_item", args=[village_item.pk])).content.decode()
    assert "横坑村公告栏" in html
    assert f'value="{screen.pk}"' not in html  # the town's screen is not his to choose
    # a forged POST for the town's screen does nothing
    client.post(reverse("channels_item", args=[village_item.pk]), {"channels": [screen.pk]})
    assert not ChannelSelection.objects.filter(channel=screen).exists()


def test_the_reviewer_sees_deliveries_but_cannot_choose(client, bob, make_item, screen):
    item = make_item()
    client.force_login(bob)
    response = client.get(reverse("channels_item", args=[item.pk]))
    assert response.status_code == 200
    assert "无权选择渠道" in response.content.decode()
    response = client.post(reverse("channels_item", args=[item.pk]), {"channels": [screen.pk]})
    assert response.status_code in (302, 403)
    assert not ChannelSelection.objects.exists()


def test_the_outbox_has_the_text_a_copy_button_and_the_link(
    client, alice, make_item, make_channel, django_capture_on_commit_callbacks
):
    account = make_channel(Channel.Kind.NEW_MEDIA, "团委微博", config={"max_length": 120})
    item = make_item()
    with django_capture_on_commit_callbacks(execute=True):
        services.dispatch_create(actor=alice, item=item, channel=account)
    post = Post.objects.get()
    client.force_login(alice)
    html = client.get(reverse("channels_outbox", args=[account.pk])).content.decode()
    assert post.text in html
    assert "data-copy=" in html and "复制文字" in html
    assert "每条不超过 120 字" in html
    client.post(
        reverse("channels_post_posted", args=[post.pk]), {"external_ref": "https://weibo.com/1"}
    )
    post.refresh_from_db()
    assert post.status == Post.Status.POSTED and post.posted_by == alice


def test_composing_an_issue_in_the_admin(
    client, alice, make_item, newspaper, django_capture_on_commit_callbacks
):
    today = timezone_today()
    items = [make_item("采购公告甲", date=today), make_item("采购公告乙", date=today)]
    make_item("草稿不可选", published=False, date=today)
    client.force_login(alice)
    url = reverse("channels_issue_compose", args=[newspaper.pk])
    html = client.get(url).content.decode()
    assert "采购公告甲" in html and "草稿不可选" not in html
    data = {
        "number": 5,
        "date": today.isoformat(),
        "copies": 10000,
        "page_size": "A3",
        "columns": 3,
        "items": [i.pk for i in items],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    issue = Issue.objects.get()
    assert response.url == reverse("channels_issue", args=[issue.pk])
    assert "下载印刷版 PDF" in client.get(response.url).content.decode()
    pdf = client.get(reverse("channels_issue_file", args=[issue.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    # the same number again: the error is shown at the field, what was typed is kept
    other_day = today + datetime.timedelta(days=1 if today.month < 12 or today.day < 31 else -1)
    response = client.post(url, {**data, "date": other_day.isoformat()})
    html = response.content.decode()
    assert f"{today.year}年第5期已经存在" in html
    assert f'value="{other_day.isoformat()}"' in html


def test_recording_an_advert_in_the_tv_log(client, alice, tv):
    client.force_login(alice)
    url = reverse("channels_tv_log", args=[tv.pk])
    response = client.post(
        f"{url}?year=2026",
        {
            "kind": "advert",
            "title": "文明东莞 你我共建",
            "programme": "",
            "aired_at": "2026-03-01T19:30",
            "minutes": 1,
            "seconds": 30,
        },
        follow=True,
    )
    assert "公益广告 1 条次，总播出时长 2 分钟" in response.content.decode()
    assert Broadcast.objects.get().duration_seconds == 90
    # an item broadcast without an item is refused at the field
    response = client.post(
        url, {"kind": "item", "aired_at": "2026-03-01T19:30", "minutes": 2, "seconds": 0}
    )
    assert "请选择播出的政府信息" in response.content.decode()


def test_printing_a_notice_from_the_admin(
    client, alice, make_item, board, django_capture_on_commit_callbacks
):
    item = make_item()
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.dispatch_create(actor=alice, item=item, channel=board)
    client.force_login(alice)
    response = client.post(reverse("channels_notice_print", args=[delivery.pk]), {"copies": 2})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    record = NoticePrint.objects.get()
    assert (record.printed_by, record.copies, record.channel) == (alice, 2, board)


def test_the_counts_page(client, alice, make_item, screen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.dispatch_create(actor=alice, item=make_item(), channel=screen)
    client.force_login(alice)
    html = client.get(reverse("channels_counts"), {"year": timezone_year()}).content.decode()
    assert "市民广场电子显示屏" in html and "政府采购 1" in html


def timezone_year():
    return timezone_today().year


def timezone_today():
    from django.utils import timezone

    return timezone.localdate()


def test_the_channel_form_explains_a_bad_option_in_chinese(client, alice, town):
    client.force_login(alice)
    url = reverse("wagtailsnippets_channels_channel:add")
    response = client.post(
        url,
        {
            "organisation": town.pk,
            "kind": "screen",
            "name": "新屏幕",
            "slug": "new-screen",
            "config": '{"interval_seconds": 1}',
            "secret": "s3cret",
            "sort_order": 0,
            "active": "on",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "应为 3 到 600 之间的整数" in html
    assert not Channel.objects.filter(slug="new-screen").exists()


def test_the_channel_list_is_scoped_to_the_tree(client, dave, village, make_channel, screen):
    make_channel(Channel.Kind.NOTICE_BOARD, "横坑村公告栏", organisation=village)
    client.force_login(dave)
    response = client.get(reverse("wagtailsnippets_channels_channel:list"))
    assert response.status_code == 200
    names = [c.name for c in response.context["object_list"]]
    assert names == ["横坑村公告栏"]


def test_the_item_admin_links_to_the_channels_page(alice, make_item):
    from gongkai.channels.wagtail_hooks import item_channels_listing_button

    item = make_item()
    [button] = list(item_channels_listing_button(item, alice))
    assert button.url == reverse("channels_item", args=[item.pk])


@pytest.mark.parametrize("name", ["channels_index", "channels_deliveries", "channels_counts"])
def test_alice_can_open_the_channel_pages(client, alice, screen, name):
    client.force_login(alice)
    assert client.get(reverse(name)).status_code == 200


def test_the_menu_has_the_channels_group(rf, alice, charlie):
    from wagtail.admin.menu import admin_menu

    def labels(user):
        request = rf.get("/admin/")
        request.user = user
        menu = {item.name: item for item in admin_menu.menu_items_for_request(request)}
        return menu.get("channels")

    channels = labels(alice)
    assert str(channels.label) == "发布渠道"
    request = rf.get("/admin/")
    request.user = alice
    sub = [str(i.label) for i in channels.menu.menu_items_for_request(request)]
    assert set(sub) >= {
        "渠道工作台",
        "发布记录",
        "渠道统计",
        "渠道设置",
        "新闻发布会",
        "外部媒体发稿",
    }
    assert labels(charlie) is None


def test_an_issue_page_and_tv_page_for_other_kinds_are_404(client, alice, screen):
    client.force_login(alice)
    assert client.get(reverse("channels_issues", args=[screen.pk])).status_code == 404
    assert client.get(reverse("channels_tv_log", args=[screen.pk])).status_code == 404


def test_the_item_edit_page_offers_the_channels_page(client, alice, make_item):
    from django.urls import NoReverseMatch

    item = make_item()
    try:
        url = reverse("wagtailsnippets_catalogue_disclosureitem:edit", args=[item.pk])
    except NoReverseMatch:
        pytest.skip("the catalogue's item admin is not registered")
    client.force_login(alice)
    html = client.get(url).content.decode()
    assert reverse("channels_item", args=[item.pk]) in html


def test_an_issue_without_files_can_be_generated_from_its_page(
    client, alice, make_item, newspaper, django_capture_on_commit_callbacks
):
    import datetime

    # as the demo's historical issues: composed, never rendered
    issue = services.issue_compose(
        actor=alice,
        channel=newspaper,
        number=1,
        date=datetime.date(2026, 1, 9),
        items=[make_item()],
    )
    client.force_login(alice)
    page = client.get(reverse("channels_issue", args=[issue.pk])).content.decode()
    assert "生成 PDF 和 Word" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("channels_issue_render", args=[issue.pk]))
    issue.refresh_from_db()
    assert issue.render_status == Issue.RenderStatus.DONE and issue.pdf
