"""Fixtures for the channels tests: published items, one channel of each kind, and a real
HTTP receiver on 127.0.0.1 for the webhooks (nothing leaves the machine)."""

import datetime
import importlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from gongkai.catalogue.models import Category
from gongkai.catalogue.services import item_create
from gongkai.channels.integrations.webhook.client import (
    IDEMPOTENCY_HEADER,
    SIGNATURE_HEADER,
    signature_valid,
)
from gongkai.channels.models import Channel
from gongkai.orgs.creditcode import make_credit_code
from gongkai.review.testing import publish_through_review

BODY = "<p>第一段：寮步镇政府采购项目公开招标。</p><p>第二段：欢迎符合条件的供应商参加。</p>"


def category(name: str) -> Category:
    found = Category.objects.filter(scheme=Category.Scheme.INFO, name=name).first()
    if found is None:
        # A transactional (browser) test flushes the rows the seed migration made.
        seed = importlib.import_module("gongkai.catalogue.migrations.0002_seed_categories")
        code = {n: c for c, n in seed.INFO}[name]
        found = Category.objects.create(scheme=Category.Scheme.INFO, name=name, code=code)
    return found


def publish(item):
    """Publish the item's newest revision the only way there is: through the review workflow."""
    return publish_through_review(item)


@pytest.fixture
def make_item(town):
    def make(
        title="寮步镇政府采购公告",
        *,
        organisation=None,
        category_name="政府采购",
        published=True,
        date=datetime.date(2026, 3, 2),
        **fields,
    ):
        organisation = organisation or town
        if not organisation.credit_code:  # the index number needs one
            organisation.credit_code = make_credit_code(f"5444190073{organisation.pk:07d}")
            organisation.save(update_fields=["credit_code"])
        fields.setdefault("summary", "关于寮步镇2026年办公设备政府采购项目的公告。")
        fields.setdefault("body", BODY)
        item = item_create(
            organisation=organisation,
            title=title,
            category=category(category_name),
            created_date=date,
            published_date=date,
            **fields,
        )
        return publish(item) if published else item

    return make


@pytest.fixture
def make_channel(town):
    def make(kind, name=None, *, organisation=None, slug=None, config=None, **fields):
        channel = Channel(
            organisation=organisation or town,
            kind=kind,
            name=name or f"{kind}-channel",
            slug=slug or f"{kind.replace('_', '-')}-{Channel.objects.count() + 1}",
            config=config or {},
            **fields,
        )
        channel.full_clean()
        channel.save()
        return channel

    return make


@pytest.fixture
def screen(make_channel):
    return make_channel(Channel.Kind.SCREEN, "市民广场电子显示屏", slug="plaza")


@pytest.fixture
def kiosk(make_channel):
    return make_channel(Channel.Kind.KIOSK, "政府大楼触摸屏", slug="hall-kiosk")


@pytest.fixture
def newspaper(make_channel):
    return make_channel(Channel.Kind.NEWSPAPER, "《寮步报》", slug="liaobu-bao")


@pytest.fixture
def tv(make_channel):
    return make_channel(Channel.Kind.TV, "寮步电视台", slug="liaobu-tv")


@pytest.fixture
def board(make_channel):
    return make_channel(
        Channel.Kind.NOTICE_BOARD,
        "政府大楼公告栏",
        slug="hall-board",
        config={"location": "一楼大堂"},
    )


class Receiver:
    """A webhook receiver: checks signatures, remembers what it got, answers as told."""

    def __init__(self):
        self.requests = []
        self.statuses = []  # answers to give, in order; 200 once they run out
        self.secret = None
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        host, port = self.server.server_address
        return f"http://{host}:{port}/hook"

    @property
    def effective(self):
        """Distinct deliveries acted on: a repeat of an idempotency key is not acted on."""
        return {r["key"] for r in self.requests if r["status"] == 200}

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    valid = receiver.secret is None or signature_valid(
                        receiver.secret, body, self.headers[SIGNATURE_HEADER]
                    )
                    if not valid:
                        status = 401
                    receiver.requests.append(
                        {
                            "key": self.headers[IDEMPOTENCY_HEADER],
                            "signature_valid": valid,
                            "status": status,
                            "json": json.loads(body),
                        }
                    )
                    number = len(receiver.requests)
                answer = json.dumps({"id": f"remote-{number}"}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        return Handler


@pytest.fixture
def receiver():
    server = Receiver()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def webhook(make_channel, receiver):
    channel = make_channel(
        Channel.Kind.WEBHOOK, "政务数据共享接口", slug="share", config={"url": receiver.url}
    )
    receiver.secret = channel.secret
    return channel


@pytest.fixture
def weibo(make_channel, receiver):
    channel = make_channel(
        Channel.Kind.NEW_MEDIA,
        "香书记微博",
        slug="xiang-weibo",
        config={"platform": "weibo", "webhook_url": receiver.url},
    )
    receiver.secret = channel.secret
    return channel
