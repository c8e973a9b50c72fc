"""The staff side through the Django test client, with the POST data a browser sends."""

import hashlib
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import ModelLogEntry

from gongkai.catalogue.models import Category, DisclosureItem, ItemAttachment
from gongkai.catalogue.services import item_withdraw
from gongkai.orgs.creditcode import make_credit_code
from gongkai.orgs.models import Organisation
from gongkai.orgs.services import organisation_create
from gongkai.review.testing import publish_through_review

from .items_factories import info_category, item_post_data, make_item, pdf_bytes, png_bytes

URL = "wagtailsnippets_catalogue_disclosureitem"


def url(name, *args):
    return reverse(f"{URL}:{name}", args=args)


def assert_refused(response):
    # Wagtail turns PermissionDenied into a redirect to the dashboard with a message.
    assert response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    ), (response.status_code, response.get("Location"))


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser("root", password="pw-Secret-123")


@pytest.fixture
def village_with_code(village):
    village.credit_code = make_credit_code("54441900MA4W00001")
    village.save(update_fields=["credit_code"])
    return village


def test_it_creates_an_item_through_the_admin_with_a_pdf_attachment(client, alice, town):
    client.force_login(alice)
    pdf = pdf_bytes()
    data = item_post_data(
        organisation=town,
        category=info_category(),
        attachments=[("防汛通知正文", SimpleUploadedFile("通知.pdf", pdf, "application/pdf"))],
    )
    response = client.post(url("add"), data)
    item = DisclosureItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("edit", item.pk)
    assert item.index_number == f"{town.credit_code}/2026-00001"
    assert item.live is False
    assert item.title == "寮步镇关于做好2026年防汛工作的通知"
    assert "现将防汛工作通知如下" in item.body
    attachment = ItemAttachment.objects.get(item=item)
    assert attachment.title == "防汛通知正文"
    assert attachment.size == len(pdf)
    assert attachment.sha256 == hashlib.sha256(pdf).hexdigest()
    assert attachment.content_type == "application/pdf"
    assert attachment.file.read() == pdf
    revision = item.latest_revision
    assert revision is not None
    assert revision.content["index_number"] == item.index_number
    assert revision.content["attachments"][0]["sha256"] == attachment.sha256
    assert ModelLogEntry.objects.filter(object_id=str(item.pk), action="wagtail.create").exists()


def test_it_names_an_untitled_attachment_after_its_file(client, alice, town):
    client.force_login(alice)
    data = item_post_data(
        organisation=town,
        category=info_category(),
        attachments=[("", SimpleUploadedFile("2026年预算表.pdf", pdf_bytes()))],
    )
    assert client.post(url("add"), data).status_code == 302
    assert ItemAttachment.objects.get().title == "2026年预算表"


def test_it_refuses_a_png_named_pdf_at_the_field_and_keeps_what_was_typed(client, alice, town):
    client.force_login(alice)
    data = item_post_data(
        organisation=town,
        category=info_category(),
        title="寮步镇2026年第一季度财政收支情况",
        document_number="寮财〔2026〕3号",
        attachments=[("收支表", SimpleUploadedFile("收支表.pdf", png_bytes(), "application/pdf"))],
    )
    response = client.post(url("add"), data)
    assert response.status_code == 200
    assert not DisclosureItem.objects.exists()
    formset = response.context["form"].formsets["attachments"]
    assert "file" in formset.forms[0].errors
    message = formset.forms[0].errors["file"][0]
    assert "收支表.pdf" in message and "PNG" in message and "不符" in message
    html = response.content.decode()
    assert message.replace("“", "&ldquo;")[:10] in html or "与扩展名不符" in html
    # What was typed is still in the form.
    assert "寮步镇2026年第一季度财政收支情况" in html
    assert "寮财〔2026〕3号" in html


def test_it_refuses_a_file_over_the_size_limit(client, alice, town, settings):
    settings.GONGKAI_MAX_UPLOAD_MB = 1
    client.force_login(alice)
    big = pdf_bytes() + b"%" + b"0" * (1024 * 1024 + 10)
    data = item_post_data(
        organisation=town,
        category=info_category(),
        attachments=[("大文件", SimpleUploadedFile("大文件.pdf", big))],
    )
    response = client.post(url("add"), data)
    assert response.status_code == 200
    errors = response.context["form"].formsets["attachments"].forms[0].errors["file"]
    assert "超过上限 1 MB" in errors[0]
    assert not DisclosureItem.objects.exists()


def test_it_never_changes_the_index_number_on_edit(client, alice, town):
    client.force_login(alice)
    client.post(url("add"), item_post_data(organisation=town, category=info_category()))
    item = DisclosureItem.objects.get()
    number = item.index_number
    data = item_post_data(
        organisation=town,
        category=info_category(),
        title="改过的标题",
        created_date="2025-06-01",
        index_number="HACKED/2020-99999",
    )
    response = client.post(url("edit", item.pk), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "改过的标题"
    assert item.created_date == date(2025, 6, 1)
    assert item.index_number == number  # not the year 2025, not what was posted
    assert item.latest_revision.content["index_number"] == number


def test_it_keeps_the_index_number_and_withdrawal_through_revisions(client, alice, town, root):
    item = make_item(town, actor=alice)
    number = item.index_number
    item = publish_through_review(item)
    assert item.live
    client.force_login(alice)
    response = client.post(
        url("edit", item.pk),
        item_post_data(organisation=town, category=info_category(), title="第二稿"),
    )
    assert response.status_code == 302
    first_revision = item.live_revision
    assert item.revisions.order_by("-id").first() != first_revision
    item_withdraw(actor=alice, item=item, reason="内容有误")
    # Publishing the old (reviewed) revision again must not undo the withdrawal or change the
    # number.
    first_revision.publish(user=root)
    item.refresh_from_db()
    assert item.index_number == number
    assert item.is_withdrawn
    assert item.withdrawn_reason == "内容有误"
    assert not item.is_public


def test_it_refuses_to_delete_an_item_even_for_a_superuser(client, root, town):
    item = make_item(town)
    client.force_login(root)
    for response in (client.get(url("delete", item.pk)), client.post(url("delete", item.pk))):
        assert response.status_code == 302
        assert response["Location"] == url("list")
    bulk = reverse("wagtail_bulk_action", args=["catalogue", "disclosureitem", "delete"])
    response = client.post(f"{bulk}?id={item.pk}", follow=True)
    assert "政府信息不能删除" in response.content.decode()
    assert DisclosureItem.objects.filter(pk=item.pk).exists()
    # …and no delete button is offered.
    edit = client.get(url("edit", item.pk)).content.decode()
    assert url("delete", item.pk) not in edit


def test_it_gives_no_role_a_delete_permission(alice, dave, bob):
    for user in (alice, dave, bob):
        assert not any(p.startswith("catalogue.delete_") for p in user.get_all_permissions())


def test_it_refuses_delete_for_the_office_administrator(client, alice, town):
    item = make_item(town)
    client.force_login(alice)
    response = client.post(url("delete", item.pk))
    assert response.status_code in (302, 403)
    assert DisclosureItem.objects.filter(pk=item.pk).exists()


def test_it_withdraws_with_a_reason_and_logs_it(client, alice, town):
    item = make_item(town)
    client.force_login(alice)
    withdraw_url = reverse("catalogue_item_withdraw", args=[item.pk])
    assert withdraw_url in client.get(url("edit", item.pk)).content.decode()
    assert client.get(withdraw_url).status_code == 200

    response = client.post(withdraw_url, {"reason": "   "})
    assert response.status_code == 200
    assert "撤回须填写理由" in response.content.decode()
    item.refresh_from_db()
    assert not item.is_withdrawn

    response = client.post(withdraw_url, {"reason": "附件中含有个人身份证号码"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.is_withdrawn
    assert item.withdrawn_by == alice
    entry = ModelLogEntry.objects.get(object_id=str(item.pk), action="gongkai.withdraw")
    assert entry.user == alice
    assert entry.data["reason"] == "附件中含有个人身份证号码"

    # Still listed, with its status and history.
    listing = client.get(url("list")).content.decode()
    assert item.title in listing and "已撤回" in listing
    edit = client.get(url("edit", item.pk)).content.decode()
    assert "附件中含有个人身份证号码" in edit
    history = client.get(url("history", item.pk)).content.decode()
    assert "撤回" in history


def test_a_village_editor_sees_and_edits_only_his_village(client, dave, town, village_with_code):
    town_item = make_item(town, title="镇政府文件")
    village_item = make_item(village_with_code, title="横坑村务公开")
    client.force_login(dave)
    response = client.get(url("list"))
    assert response.status_code == 200
    assert list(response.context["object_list"]) == [village_item]
    for name in ("edit", "inspect", "history"):
        assert_refused(client.get(url(name, town_item.pk)))
    assert_refused(
        client.post(reverse("catalogue_item_withdraw", args=[town_item.pk]), {"reason": "x"})
    )
    town_item.refresh_from_db()
    assert not town_item.is_withdrawn
    assert client.get(url("edit", village_item.pk)).status_code == 200

    # The organisation field offers only his subtree; posting the town is refused at the field.
    form = client.get(url("add")).context["form"]
    assert list(form.fields["organisation"].queryset) == [village_with_code]
    response = client.post(url("add"), item_post_data(organisation=town, category=info_category()))
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert DisclosureItem.objects.count() == 2


def test_charlie_is_refused(client, charlie, town):
    item = make_item(town)
    client.force_login(charlie)
    for target in (url("list"), url("add"), url("edit", item.pk)):
        response = client.get(target)
        assert response.status_code in (302, 403)
        assert response.get("Location", "") != target


def test_a_reviewer_may_read_but_not_edit(client, bob, town):
    item = make_item(town)
    client.force_login(bob)
    response = client.get(url("list"))
    assert response.status_code == 200
    assert url("inspect", item.pk) in response.content.decode()
    assert client.get(url("inspect", item.pk)).status_code == 200
    assert_refused(client.get(url("edit", item.pk)))
    assert_refused(client.get(url("add")))
    assert_refused(client.post(reverse("catalogue_item_withdraw", args=[item.pk]), {"reason": "x"}))


def test_it_checks_validity_dates_and_replacement_at_the_fields(client, alice, town):
    item = make_item(town)
    client.force_login(alice)
    data = item_post_data(
        organisation=town,
        category=info_category(),
        validity="repealed",
        replaced_by=str(item.pk),
    )
    response = client.post(url("edit", item.pk), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "已修改或已废止的文件须填写修改/废止日期" in errors["validity_changed_on"][0]
    assert "替代文件不能是本文件" in errors["replaced_by"][0]


def test_the_list_filters_and_searches(client, alice, town):
    old = make_item(town, title="2025年工作总结", created_date=date(2025, 12, 1))
    new = make_item(town, title="2026年工作要点", created_date=date(2026, 2, 1))
    gone = make_item(town, title="已撤回的通知", created_date=date(2026, 2, 2))
    item_withdraw(actor=alice, item=gone, reason="重复发布")
    client.force_login(alice)

    def listed(**params):
        return set(client.get(url("list"), params).context["object_list"])

    assert listed() == {old, new, gone}
    assert listed(year="2025") == {old}
    assert listed(withdrawn="true") == {gone}
    assert listed(withdrawn="false") == {old, new}
    assert listed(q=new.index_number) == {new}
    assert listed(q="工作要点") == {new}
    assert listed(organisation=str(town.pk), live="false") == {old, new, gone}
    other = Category.objects.get(scheme="info", code="tongji")
    assert listed(category=str(other.pk)) == set()


def test_the_list_and_the_edit_view_flag_a_late_item(client, alice, town):
    # 条例第二十六条: created Fri 2026-09-18, 20 working days end on 2026-10-22 (国庆 and
    # 中秋 off, make-up Sunday 09-20 and Saturday 10-10 worked).
    late = make_item(town, title="迟发的通知", created_date=date(2026, 9, 18))
    DisclosureItem.objects.filter(pk=late.pk).update(published_date=date(2026, 10, 23))
    on_time = make_item(town, title="按时的通知", created_date=date(2026, 9, 18))
    DisclosureItem.objects.filter(pk=on_time.pk).update(published_date=date(2026, 10, 22))
    client.force_login(alice)
    response = client.get(url("list"), {"late": "true"})
    assert set(response.context["object_list"]) == {late}
    assert "超时" in response.content.decode()
    edit = client.get(url("edit", late.pk)).content.decode()
    assert 'data-late="yes"' in edit and "2026-10-22" in edit
    edit = client.get(url("edit", on_time.pk)).content.decode()
    assert 'data-late="no"' in edit


def test_it_says_cannot_compute_when_the_schedule_is_missing(client, alice, town):
    item = make_item(town, title="远期信息", created_date=date(2026, 3, 2))
    DisclosureItem.objects.filter(pk=item.pk).update(created_date=date(2031, 3, 3))
    client.force_login(alice)
    assert "无法计算" in client.get(url("list")).content.decode()
    assert 'data-late="unknown"' in client.get(url("edit", item.pk)).content.decode()


def test_the_administrator_manages_categories_and_cannot_delete_them(client, alice, dave, root):
    client.force_login(alice)
    add = reverse("wagtailsnippets_catalogue_category:add")
    response = client.post(
        add,
        {
            "scheme": "info",
            "name": "乡村振兴",
            "code": "xiangcun",
            "sort_order": "20",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    category = Category.objects.get(code="xiangcun")
    client.force_login(root)
    response = client.post(reverse("wagtailsnippets_catalogue_category:delete", args=[category.pk]))
    assert response.status_code == 302
    assert Category.objects.filter(pk=category.pk).exists()
    client.force_login(dave)
    assert_refused(client.get(add))


def test_an_organisation_without_credit_code_is_refused_at_the_field(client, town, make_user):
    other = organisation_create(name="无代码镇", code="wudaima", kind=Organisation.Kind.GOVERNMENT)
    from gongkai.orgs.models import Role

    eve = make_user("eve", roles=[(Role.EDITOR, other)])
    client.force_login(eve)
    response = client.post(url("add"), item_post_data(organisation=other, category=info_category()))
    assert response.status_code == 200
    assert "统一社会信用代码" in response.context["form"].errors["organisation"][0]


def test_the_replacement_chooser_offers_only_items_in_reach(client, dave, town, village_with_code):
    make_item(town, title="镇政府文件")
    village_item = make_item(village_with_code, title="横坑村务公开")
    client.force_login(dave)
    response = client.get(reverse("wagtailsnippetchoosers_catalogue_disclosureitem:choose"))
    assert response.status_code == 200
    html = response.json()["html"]
    assert village_item.title in html
    assert "镇政府文件" not in html


def test_a_locked_item_cannot_be_saved_by_another_editor(client, alice, town, make_user):
    from gongkai.orgs.models import Role

    frank = make_user("frank", roles=[(Role.EDITOR, town)])
    item = make_item(town)
    client.force_login(alice)
    assert client.post(url("lock", item.pk)).status_code == 302
    item.refresh_from_db()
    assert item.locked and item.locked_by == alice
    client.force_login(frank)
    response = client.post(
        url("edit", item.pk),
        item_post_data(organisation=town, category=info_category(), title="抢改"),
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.title != "抢改"


def test_the_preview_shows_the_metadata_and_body(client, alice, town):
    client.force_login(alice)
    data = item_post_data(organisation=town, category=info_category(), title="预览中的通知")
    preview = reverse(f"{URL}:preview_on_add")
    assert client.post(preview, data).json()["is_valid"] is True
    html = client.get(preview).content.decode()
    assert "预览中的通知" in html and "寮府〔2026〕8号" in html and "未经保密审查" in html


def test_a_scheduled_go_live_is_kept_on_the_draft(client, alice, town):
    client.force_login(alice)
    data = item_post_data(
        organisation=town, category=info_category(), go_live_at="2030-01-02 09:00"
    )
    assert client.post(url("add"), data).status_code == 302
    item = DisclosureItem.objects.get()
    assert item.go_live_at is not None and item.go_live_at.year == 2030
    assert not item.live


def test_a_village_editor_who_reviews_for_the_town_edits_only_the_village(
    client, town, village_with_code, make_user
):
    from gongkai.orgs.models import Role

    grace = make_user("grace", roles=[(Role.EDITOR, village_with_code), (Role.REVIEWER, town)])
    town_item = make_item(town, title="镇政府文件")
    village_item = make_item(village_with_code, title="横坑村务公开")
    client.force_login(grace)
    assert client.get(url("inspect", town_item.pk)).status_code == 200
    assert client.get(url("history", town_item.pk)).status_code == 200
    for name in ("edit", "lock"):
        assert_refused(client.get(url(name, town_item.pk)))
    response = client.post(
        url("edit", town_item.pk),
        item_post_data(
            organisation=village_with_code, category=info_category(), title="改了镇里的"
        ),
    )
    assert_refused(response)
    town_item.refresh_from_db()
    assert town_item.title == "镇政府文件"
    assert client.get(url("edit", village_item.pk)).status_code == 200
    listing = client.get(url("list")).content.decode()
    assert url("inspect", town_item.pk) in listing and url("edit", village_item.pk) in listing
