"""New-media accounts: text fitted to the platform, outbox, webhook, what was posted."""

from hypothesis import given
from hypothesis import strategies as st

from gongkai.channels import services
from gongkai.channels.integrations.new_media.text import fit_text
from gongkai.channels.models import Channel, Delivery, Post
from gongkai.channels.options import PLATFORM_LIMITS


@given(
    title=st.text(min_size=1, max_size=300),
    summary=st.text(max_size=3000),
    limit=st.integers(min_value=1, max_value=2500),
)
def test_the_text_never_exceeds_the_limit(title, summary, limit):
    url = "https://www.liaobu.gov.cn/xxgk/12345/"
    text = fit_text(title=title, summary=summary, url=url, limit=limit, link_label="详情：")
    assert len(text) <= limit
    if limit >= len(url) + 12:
        assert text.endswith(url)


def test_the_text_keeps_the_link_and_shortens_the_summary():
    text = fit_text(
        title="寮步镇政府采购公告",
        summary="采购" * 100,
        url="https://x.cn/1",
        limit=60,
        link_label="详情：",
    )
    assert len(text) == 60
    assert text.startswith("【寮步镇政府采购公告】采购")
    assert text.endswith("… 详情：https://x.cn/1")


def test_platform_defaults_are_documented_and_editable(make_channel):
    weibo = make_channel(Channel.Kind.NEW_MEDIA, "团委微博", config={"platform": "weibo"})
    wechat = make_channel(Channel.Kind.NEW_MEDIA, "寮步发布", config={"platform": "wechat"})
    short = make_channel(Channel.Kind.NEW_MEDIA, "短帖", config={"max_length": 140})
    assert PLATFORM_LIMITS == {"weibo": 2000, "wechat": 20000, "other": 1000}
    assert weibo.option("max_length") == 2000
    assert wechat.option("max_length") == 20000
    assert short.option("max_length") == 140


def test_it_puts_a_post_in_the_outbox_and_records_manual_posting(
    alice, make_item, make_channel, django_capture_on_commit_callbacks
):
    account = make_channel(Channel.Kind.NEW_MEDIA, "团委微博", config={"max_length": 80})
    item = make_item(summary="这是一段很长的内容概述。" * 20)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.dispatch_create(actor=alice, item=item, channel=account)
    post = Post.objects.get(delivery=delivery)
    assert post.status == Post.Status.READY
    assert len(post.text) <= 80
    assert post.text.startswith(f"【{item.title}】")
    services.post_mark_posted(actor=alice, post=post, external_ref="https://weibo.com/123/abc")
    post.refresh_from_db()
    assert (post.status, post.posted_by, post.external_ref) == (
        "posted",
        alice,
        "https://weibo.com/123/abc",
    )


def test_it_pushes_the_post_to_the_accounts_webhook(
    alice, make_item, weibo, receiver, django_capture_on_commit_callbacks
):
    item = make_item()
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.dispatch_create(actor=alice, item=item, channel=weibo)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    post = Post.objects.get(delivery=delivery)
    assert (post.status, post.external_ref) == ("posted", "remote-1")
    [request] = receiver.requests
    assert request["signature_valid"]
    assert request["json"]["text"] == post.text


def test_a_failed_push_leaves_the_post_ready_and_is_retried_once_sent(
    alice, make_item, weibo, receiver
):
    receiver.statuses = [502]
    delivery = services.dispatch_create(actor=alice, item=make_item(), channel=weibo, enqueue=False)
    assert services.delivery_attempt(delivery_id=delivery.pk).status == "failed"
    assert Post.objects.get().status == Post.Status.READY
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
    assert services.delivery_attempt(delivery_id=delivery.pk).status == "sent"
    assert Post.objects.count() == 1 and Post.objects.get().status == Post.Status.POSTED
    assert len(receiver.effective) == 1
