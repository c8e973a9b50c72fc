"""Delivery: idempotent, retried with backoff, never sent twice, one failure blocks nothing."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongkai.channels import services
from gongkai.channels.models import Channel, Delivery


def dispatch(actor, item, channel):
    # Create the delivery without running it, so each test drives the worker itself.
    return services.dispatch_create(actor=actor, item=item, channel=channel, enqueue=False)


def test_it_signs_the_webhook_and_the_receiver_verifies_it(alice, make_item, webhook, receiver):
    item = make_item()
    delivery = services.delivery_attempt(delivery_id=dispatch(alice, item, webhook).pk)
    assert delivery.status == Delivery.Status.SENT
    assert delivery.external_id == "remote-1"
    [request] = receiver.requests
    assert request["signature_valid"] is True
    assert request["key"] == str(delivery.idempotency_key)
    assert request["json"]["item"]["title"] == item.title
    assert request["json"]["item"]["index_number"] == item.index_number
    assert request["json"]["channel"]["slug"] == "share"


def test_a_wrong_secret_is_refused_by_the_receiver(alice, make_item, webhook, receiver):
    receiver.secret = "not-the-channels-secret"
    delivery = services.delivery_attempt(delivery_id=dispatch(alice, make_item(), webhook).pk)
    assert delivery.status == Delivery.Status.FAILED
    assert "HTTP 401" in delivery.last_error
    assert receiver.requests[0]["signature_valid"] is False


def test_running_the_delivery_twice_sends_once(alice, make_item, webhook, receiver):
    delivery = dispatch(alice, make_item(), webhook)
    first = services.delivery_attempt(delivery_id=delivery.pk)
    second = services.delivery_attempt(delivery_id=delivery.pk)
    assert first.status == Delivery.Status.SENT
    assert second is None
    assert len(receiver.requests) == 1


def test_two_workers_claiming_at_once_get_one_claim(alice, make_item, webhook):
    delivery = dispatch(alice, make_item(), webhook)
    claims = [services.delivery_claim(delivery_id=delivery.pk) for _ in range(3)]
    assert claims == [True, False, False]


def test_a_crash_between_claim_and_send_is_recovered_without_double_sending(
    alice, make_item, webhook, receiver
):
    delivery = dispatch(alice, make_item(), webhook)
    assert services.delivery_claim(delivery_id=delivery.pk)
    # …and the worker dies here. Nothing was sent; the row says "sending".
    later = timezone.now() + services.CLAIM_LEASE + datetime.timedelta(seconds=1)
    assert services.deliveries_recover(now=later) == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert "中断" in delivery.last_error
    sent = services.delivery_attempt(delivery_id=delivery.pk)
    assert sent.status == Delivery.Status.SENT
    assert len(receiver.requests) == 1
    # a second recovery finds nothing to do
    assert services.deliveries_recover(now=later) == 0


def test_a_crash_after_sending_is_marked_sent_without_sending_again(
    alice, make_item, webhook, receiver, monkeypatch
):
    delivery = dispatch(alice, make_item(), webhook)

    def die(_delivery):
        raise SystemExit("worker killed")

    monkeypatch.setattr(services, "_mark_sent", die)
    with pytest.raises(SystemExit):
        services.delivery_attempt(delivery_id=delivery.pk)
    monkeypatch.undo()
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENDING
    assert delivery.external_id == "remote-1"  # recorded before marking sent
    later = timezone.now() + services.CLAIM_LEASE + datetime.timedelta(seconds=1)
    services.deliveries_recover(now=later)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert len(receiver.requests) == 1


def test_a_crash_before_the_answer_is_recorded_resends_with_the_same_key(
    alice, make_item, webhook, receiver, monkeypatch
):
    delivery = dispatch(alice, make_item(), webhook)
    real_send = services.integrations.send

    def send_then_die(d):
        real_send(d)
        raise SystemExit("worker killed after the POST")

    monkeypatch.setattr(services.integrations, "send", send_then_die)
    with pytest.raises(SystemExit):
        services.delivery_attempt(delivery_id=delivery.pk)
    monkeypatch.undo()
    later = timezone.now() + services.CLAIM_LEASE + datetime.timedelta(seconds=1)
    services.deliveries_recover(now=later)
    services.delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    # Two POSTs reached the receiver, both with the same idempotency key: one effect.
    assert len(receiver.requests) == 2
    assert len(receiver.effective) == 1


def test_a_failure_is_retried_with_backoff(alice, make_item, webhook, receiver):
    receiver.statuses = [503, 503]
    delivery = dispatch(alice, make_item(), webhook)
    before = timezone.now()
    failed = services.delivery_attempt(delivery_id=delivery.pk)
    assert failed.status == Delivery.Status.FAILED
    assert "HTTP 503" in failed.last_error
    assert failed.next_attempt_at >= before + datetime.timedelta(seconds=59)
    # not due yet: nothing happens
    assert services.delivery_attempt(delivery_id=delivery.pk) is None
    assert services.deliveries_due() == []
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    second = services.delivery_attempt(delivery_id=delivery.pk)
    assert second.status == Delivery.Status.FAILED
    assert second.next_attempt_at - timezone.now() > datetime.timedelta(minutes=3)
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    call_command("retry_deliveries", "--inline", stdout=open("/dev/null", "w"))
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert delivery.attempts == 3
    assert len(receiver.effective) == 1


def test_backoff_grows_and_is_bounded():
    assert [services.backoff(n).total_seconds() for n in (1, 2, 3)] == [60, 240, 960]
    assert services.backoff(20) == services.BACKOFF_MAX


def test_it_gives_up_after_the_last_attempt_and_the_editor_can_retry(
    alice, make_item, webhook, receiver
):
    webhook.config = {"url": receiver.url, "max_attempts": 2}
    webhook.save()
    receiver.statuses = [500, 500]
    delivery = dispatch(alice, make_item(), webhook)
    services.delivery_attempt(delivery_id=delivery.pk)
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    services.delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 2, None)
    assert services.deliveries_due() == []
    services.delivery_retry(actor=alice, delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.QUEUED and delivery.max_attempts == 4
    assert services.delivery_attempt(delivery_id=delivery.pk).status == Delivery.Status.SENT


def test_a_dead_webhook_does_not_block_the_other_channels(
    alice, make_item, make_channel, screen, board, django_capture_on_commit_callbacks
):
    dead = make_channel(
        Channel.Kind.WEBHOOK, "坏掉的接口", config={"url": "http://127.0.0.1:9/nothing-here"}
    )
    item = make_item()
    with django_capture_on_commit_callbacks(execute=True):
        result = services.channel_selection_set(
            actor=alice, item=item, channels=[dead, screen, board]
        )
    assert len(result.deliveries) == 3
    statuses = dict(Delivery.objects.values_list("channel__name", "status"))
    assert statuses == {"坏掉的接口": "failed", screen.name: "sent", board.name: "sent"}
    assert "无法连接接口" in Delivery.objects.get(channel=dead).last_error


def test_a_delivery_of_a_withdrawn_item_is_cancelled_not_sent(alice, make_item, webhook, receiver):
    from gongkai.catalogue.services import item_withdraw

    item = make_item()
    delivery = dispatch(alice, item, webhook)
    item_withdraw(actor=alice, item=item, reason="发现错误")
    done = services.delivery_attempt(delivery_id=delivery.pk)
    assert done.status == Delivery.Status.CANCELLED
    assert "已撤回" in done.last_error
    assert receiver.requests == []


def test_the_website_delivery_places_the_item_in_the_column(
    alice, make_item, make_channel, django_capture_on_commit_callbacks
):
    from wagtail.models import Page

    from gongkai.catalogue.models import ColumnPage

    root = Page.get_first_root_node()
    column = root.add_child(instance=ColumnPage(title="政府采购", slug="caigou-test"))
    site = make_channel(Channel.Kind.WEBSITE, "人民政府网站", column=column)
    item = make_item()
    with django_capture_on_commit_callbacks(execute=True):
        services.dispatch_create(actor=alice, item=item, channel=site)
    assert list(item.columns.all()) == [column]
    assert Delivery.objects.get(channel=site).status == Delivery.Status.SENT
