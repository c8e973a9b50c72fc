"""The gate: nothing reaches a channel without passing review."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.catalogue.models import DisclosureItem
from gongkai.catalogue.services import item_withdraw
from gongkai.channels import selectors, services
from gongkai.channels.models import Channel, ChannelSelection, Delivery
from gongkai.orgs.models import Role

from .conftest import publish


def test_it_refuses_an_unpublished_item(alice, make_item, screen):
    item = make_item(published=False)
    assert not services.item_is_cleared_for_channels(item)
    with pytest.raises(ValidationError) as caught:
        services.dispatch_create(actor=alice, item=item, channel=screen)
    assert caught.value.code == "not_cleared"
    assert "尚未通过审查" in caught.value.messages[0]
    assert not Delivery.objects.exists()


def test_it_refuses_a_withdrawn_item(alice, make_item, screen):
    item = make_item()
    item_withdraw(actor=alice, item=item, reason="内容有误")
    with pytest.raises(ValidationError, match="已撤回"):
        services.dispatch_create(actor=alice, item=item, channel=screen)
    assert not Delivery.objects.exists()


def test_it_refuses_an_item_edited_since_its_approval(alice, make_item, screen):
    item = make_item()
    item.title = "改过但未审查的标题"
    item.save_revision()
    item.refresh_from_db()
    assert item.live and item.has_unpublished_changes
    with pytest.raises(ValidationError, match="未经审查"):
        services.dispatch_create(actor=alice, item=item, channel=screen)


def test_it_refuses_a_stale_object_of_a_withdrawn_item(alice, make_item, screen):
    item = make_item()
    stale = DisclosureItem.objects.get(pk=item.pk)
    item_withdraw(actor=alice, item=item, reason="撤回")
    # the caller still holds an object that says "live, not withdrawn": the gate re-reads
    with pytest.raises(ValidationError):
        services.dispatch_create(actor=alice, item=stale, channel=screen)


def test_it_refuses_an_item_made_live_without_review(alice, make_item, screen):
    # e.g. written straight into the table by an import: live, but no review cleared it
    item = make_item(published=False)
    DisclosureItem.objects.filter(pk=item.pk).update(
        live=True, live_revision=item.latest_revision, has_unpublished_changes=False
    )
    item.refresh_from_db()
    with pytest.raises(ValidationError, match="未经保密审查"):
        services.dispatch_create(actor=alice, item=item, channel=screen)
    assert not selectors.items_cleared_for_channels().filter(pk=item.pk).exists()


def test_it_refuses_information_not_proactively_disclosed(alice, make_item, screen):
    item = make_item(disclosure_mode=DisclosureItem.DisclosureMode.ON_REQUEST)
    with pytest.raises(ValidationError, match="主动公开"):
        services.dispatch_create(actor=alice, item=item, channel=screen)


def test_it_sends_a_cleared_item_once_per_revision(
    alice, make_item, screen, django_capture_on_commit_callbacks
):
    item = make_item()
    with django_capture_on_commit_callbacks(execute=True):
        first = services.dispatch_create(actor=alice, item=item, channel=screen)
        again = services.dispatch_create(actor=alice, item=item, channel=screen)
    assert first.pk == again.pk
    first.refresh_from_db()
    assert first.status == Delivery.Status.SENT
    assert first.revision_id == item.live_revision_id
    assert first.attempts == 1


def test_the_query_and_the_function_agree(alice, make_item):
    items = [
        make_item("已公开"),
        make_item("草稿", published=False),
        make_item("依申请", disclosure_mode=DisclosureItem.DisclosureMode.ON_REQUEST),
    ]
    unreviewed = make_item("未经审查却已上线", published=False)
    DisclosureItem.objects.filter(pk=unreviewed.pk).update(
        live=True, live_revision=unreviewed.latest_revision
    )
    items.append(unreviewed)
    withdrawn = make_item("已撤回")
    item_withdraw(actor=alice, item=withdrawn, reason="撤回")
    edited = make_item("已修改")
    edited.title = "已修改（待审）"
    edited.save_revision()
    items += [withdrawn, edited]
    by_query = set(selectors.items_cleared_for_channels().values_list("pk", flat=True))
    for item in items:
        item.refresh_from_db()
        assert (item.pk in by_query) == services.item_is_cleared_for_channels(item), item.title
    assert by_query == {items[0].pk}


def test_it_sends_chosen_channels_when_the_item_is_approved(
    alice, make_item, screen, board, django_capture_on_commit_callbacks
):
    item = make_item(published=False)
    result = services.channel_selection_set(actor=alice, item=item, channels=[screen, board])
    assert [c.pk for c in result.added] == [screen.pk, board.pk]
    assert result.deliveries == [] and not Delivery.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        publish(item)
    statuses = dict(Delivery.objects.values_list("channel_id", "status"))
    assert statuses == {screen.pk: "sent", board.pk: "sent"}
    # a new approved revision goes out again
    item.title = "寮步镇政府采购公告（更正）"
    item.save_revision()
    with django_capture_on_commit_callbacks(execute=True):
        publish(item)
    assert Delivery.objects.filter(channel=screen).count() == 2


def test_a_village_editor_cannot_use_the_towns_screen(
    dave, village, make_item, screen, make_channel
):
    village_board = make_channel(Channel.Kind.NOTICE_BOARD, "横坑村公告栏", organisation=village)
    item = make_item("横坑村村务公开", organisation=village, category_name="村(居)委会")
    with pytest.raises(PermissionDenied):
        services.dispatch_create(actor=dave, item=item, channel=screen)
    assert services.dispatch_create(actor=dave, item=item, channel=village_board).pk
    result = services.channel_selection_set(actor=dave, item=item, channels=[screen, village_board])
    assert [c.pk for c in result.added] == [village_board.pk]
    assert [c.pk for c, _message in result.errors] == [screen.pk]


def test_a_town_item_cannot_go_on_a_village_board(alice, village, make_item, make_channel):
    village_board = make_channel(Channel.Kind.NOTICE_BOARD, "横坑村公告栏", organisation=village)
    with pytest.raises(ValidationError, match="不属于"):
        services.dispatch_create(actor=alice, item=make_item(), channel=village_board)


@pytest.mark.parametrize("persona", ["bob", "carol", "charlie"])
def test_people_without_the_editor_role_cannot_dispatch(persona, request, make_item, screen):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.dispatch_create(actor=user, item=make_item(), channel=screen)


def test_an_inactive_channel_refuses(alice, make_item, screen):
    screen.active = False
    screen.save()
    with pytest.raises(ValidationError, match="停用"):
        services.dispatch_create(actor=alice, item=make_item(), channel=screen)


def test_the_role_table_names_real_permissions(db):
    from django.contrib.auth.models import Permission

    from gongkai.channels.roles import ROLE_PERMISSIONS

    for role, perms in ROLE_PERMISSIONS.items():
        assert role in Role.values
        for dotted in perms:
            app, codename = dotted.split(".")
            assert Permission.objects.filter(
                content_type__app_label=app, codename=codename
            ).exists(), dotted


def test_selection_is_kept_per_item(alice, make_item, screen, board):
    item = make_item(published=False)
    services.channel_selection_set(actor=alice, item=item, channels=[screen, board])
    services.channel_selection_set(actor=alice, item=item, channels=[board])
    assert list(
        ChannelSelection.objects.filter(item=item).values_list("channel_id", flat=True)
    ) == [board.pk]
